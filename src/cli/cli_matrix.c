/* cli_matrix.c — the pipeline shared by tf, tfidf and similarity, and the JSON record of
 * their parameters (see cli_matrix.h); the tables themselves are written by the render
 * layer (tables.c). */
#include <string.h>

#include "cli_dist.h"
#include "cli_matrix.h"
#include "encoding.h"

static void note(const cli_opts *o, const char *msg)
{
    fprintf(stderr, "comptext %s: note: ", o->command);
    cli_print_escaped(stderr, msg);
    putc('\n', stderr);
}

int cli_count(cli_opts *o, cli_counted *c)
{
    memset(c, 0, sizeof *c);
    int status;
    if ((status = cli_load_tokenized(o, &c->corpus, &c->stopwords, &c->tok)) != CLI_OK)
        return status;
    ct_error err;
    ct_error_clear(&err);
    /* Check --group-by before the (long) counting. */
    if (o->group_by) {
        int rc = ct_grouping_new(&c->groups, c->corpus, o->group_by, &err);
        if (rc == CT_ENOTFOUND)
            return cli_usage_error(o, "--group-by: %s", err.text);
        if (rc != CT_OK)
            return cli_fail(o, rc, &err);
    }
    ct_count_options copts;
    cli_count_options(o, &copts);
    int rc = cli_dist_count(&c->counts, c->corpus, c->tok, &copts, &err);
    if (rc != CT_OK)
        return cli_fail(o, rc, &err);
    if (c->groups) {
        ct_matrix *g;
        if ((rc = ct_grouping_apply(&g, c->groups, c->counts)) != CT_OK)
            return cli_fail(o, rc, NULL);
        ct_matrix_free(c->counts);
        c->counts = g;
    }
    if (ct_matrix_cols(c->counts) == 0 && cli_dist_rank() == 0)
        note(o, "no document has any token: the result has no terms");
    cli_chrome_summary(o, c->corpus);
    return CLI_OK;
}

void cli_counted_free(cli_counted *c)
{
    ct_matrix_free(c->counts);
    ct_grouping_free(c->groups);
    ct_tokenizer_free(c->tok);
    ct_stopwords_free(c->stopwords);
    ct_corpus_free(c->corpus);
    memset(c, 0, sizeof *c);
}

static ct_df_limit df_limit(const cli_df *d)
{
    ct_df_limit l = {d->set, d->is_proportion, d->value};
    return l;
}

void cli_tfidf_options(const cli_opts *o, ct_tfidf_options *t)
{
    ct_tfidf_options_init(t);
    if (o->sublinear_tf)
        t->flags |= CT_TFIDF_SUBLINEAR_TF;
    if (o->no_smooth_idf)
        t->flags |= CT_TFIDF_NO_SMOOTH_IDF;
    if (o->no_idf)
        t->flags |= CT_TFIDF_NO_IDF;
    ct_tfidf_norm_parse(o->norm ? o->norm : "l2", &t->norm); /* cli_parse checked it */
    t->min_df = df_limit(&o->min_df);
    t->max_df = df_limit(&o->max_df);
    t->max_features = o->max_features > 0 ? (size_t)o->max_features : 0;
    t->threads = o->threads;
}

int cli_weights_fail(const cli_opts *o, int rc, const ct_error *err)
{
    if (rc == CT_EINVAL)
        return cli_usage_error(o, "--min-df/--max-df: %s", err->text);
    return cli_fail(o, rc, err);
}

int cli_weigh(const cli_opts *o, cli_counted *c, ct_matrix **weights)
{
    ct_error err;
    ct_error_clear(&err);
    ct_tfidf_options t;
    cli_tfidf_options(o, &t);
    int rc = cli_dist_tfidf(&c->counts, &t, &err); /* in place: no copy */
    if (rc != CT_OK)
        return cli_weights_fail(o, rc, &err);
    *weights = c->counts;
    c->counts = NULL;
    return CLI_OK;
}

static json_t *df_json(const cli_df *d, int is_max)
{
    if (!d->set)
        return is_max ? json_real(1.0) : json_integer(1);
    return d->is_proportion ? json_real(d->value) : json_integer((json_int_t)d->value);
}

json_t *cli_json_parameters(const cli_opts *o, const cli_counted *c, int weights)
{
    json_t *p = json_object(), *corpus = json_array();
    if (!p || !corpus) {
        json_decref(p);
        json_decref(corpus);
        return NULL;
    }
    if (o->n_corpus == 0)
        json_array_append_new(corpus, json_string(cli_default_corpus()));
    for (int i = 0; i < o->n_corpus; i++) {
        char *path = ct_utf8_escape_invalid(o->corpus_paths[i], strlen(o->corpus_paths[i]));
        json_array_append_new(corpus, path ? json_string(path) : NULL);
        ct_free(path);
    }
    const char *enc = o->read.encoding == CT_ENCODING_UTF8      ? "utf-8"
                      : o->read.encoding == CT_ENCODING_GB18030 ? "gb18030"
                      : o->read.encoding == CT_ENCODING_BIG5    ? "big5"
                                                                : "auto";
    const char *sw = o->stopwords_path ? o->stopwords_path : ct_stopwords_default_path();
    int fail = 0;
    fail |= json_object_set_new(p, "command", json_string(o->command));
    fail |= json_object_set_new(p, "version", json_string(ct_version()));
    fail |= json_object_set_new(p, "corpus", corpus);
    fail |=
        json_object_set_new(p, "n_documents", json_integer((json_int_t)ct_corpus_size(c->corpus)));
    fail |= json_object_set_new(p, "encoding", json_string(enc));
    fail |= json_object_set_new(p, "text_field",
                                json_string(o->read.text_field ? o->read.text_field : "text"));
    fail |=
        json_object_set_new(p, "id_field", json_string(o->read.id_field ? o->read.id_field : "id"));
    fail |=
        json_object_set_new(p, "strip_chrome", json_boolean(o->read.flags & CT_READ_STRIP_CHROME));
    fail |= json_object_set_new(p, "ngram_range",
                                json_pack("[i, i]", o->tok.ngram_min, o->tok.ngram_max));
    fail |= json_object_set_new(p, "stopwords", sw ? json_string(sw) : json_null());
    fail |= json_object_set_new(p, "nfkc", json_boolean(o->tok.flags & CT_TOK_NFKC));
    fail |= json_object_set_new(p, "casefold", json_boolean(o->tok.flags & CT_TOK_CASEFOLD));
    fail |= json_object_set_new(p, "fold_script", json_boolean(o->tok.flags & CT_TOK_FOLD_SCRIPT));
    fail |= json_object_set_new(p, "numbers", json_boolean(!(o->tok.flags & CT_TOK_NO_NUMBERS)));
    fail |= json_object_set_new(p, "words", json_boolean(!(o->tok.flags & CT_TOK_NO_WORDS)));
    fail |=
        json_object_set_new(p, "group_by", o->group_by ? json_string(o->group_by) : json_null());
    if (weights) {
        fail |= json_object_set_new(p, "min_df", df_json(&o->min_df, 0));
        fail |= json_object_set_new(p, "max_df", df_json(&o->max_df, 1));
        fail |= json_object_set_new(
            p, "max_features", o->max_features > 0 ? json_integer(o->max_features) : json_null());
        fail |= json_object_set_new(p, "sublinear_tf", json_boolean(o->sublinear_tf));
        fail |= json_object_set_new(p, "smooth_idf", json_boolean(!o->no_smooth_idf));
        fail |= json_object_set_new(p, "use_idf", json_boolean(!o->no_idf));
        fail |= json_object_set_new(p, "norm", json_string(o->norm ? o->norm : "l2"));
    }
    if (fail) {
        json_decref(p);
        return NULL;
    }
    return p;
}
