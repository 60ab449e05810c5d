/* cli_matrix.c — the pipeline and the JSON shared by tf, tfidf and similarity (see
 * cli_matrix.h). JSON results are streamed — the parameters, then one array item at a time —
 * so that a result with millions of entries never exists as one jansson tree. */
#include <string.h>

#include "cli_matrix.h"
#include "encoding.h"
#include "table.h"

static void note(const cli_opts *o, const char *msg)
{
    fprintf(stderr, "comptext %s: note: %s\n", o->command, msg);
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
    int rc = ct_count_corpus(&c->counts, c->corpus, c->tok, &copts, &err);
    if (rc != CT_OK)
        return cli_fail(o, rc, &err);
    if (c->groups) {
        ct_matrix *g;
        if ((rc = ct_grouping_apply(&g, c->groups, c->counts)) != CT_OK)
            return cli_fail(o, rc, NULL);
        ct_matrix_free(c->counts);
        c->counts = g;
    }
    if (ct_matrix_cols(c->counts) == 0)
        note(o, "no document has any token: the result has no terms");
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
    ct_tfidf_norm_from_name(o->norm ? o->norm : "l2", &t->norm); /* cli_parse checked it */
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
    int rc = ct_tfidf_transform(&c->counts, NULL, &t, &err); /* in place: no copy */
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

json_t *cli_json_row(const cli_counted *c, size_t row)
{
    json_t *r = json_object(), *meta = json_object();
    if (!r || !meta) {
        json_decref(r);
        json_decref(meta);
        return NULL;
    }
    size_t n_fields = ct_corpus_field_count(c->corpus);
    const char *id = c->groups ? ct_grouping_name(c->groups, row) : ct_corpus_id(c->corpus, row);
    int fail = json_object_set_new(r, "id", json_string(id));
    if (!c->groups) {
        fail |= json_object_set_new(r, "source", json_string(ct_corpus_source(c->corpus, row)));
        for (size_t f = 0; f < n_fields; f++) {
            const char *v = ct_corpus_meta(c->corpus, row, f);
            if (v)
                fail |=
                    json_object_set_new(meta, ct_corpus_field_name(c->corpus, f), json_string(v));
        }
    } else {
        size_t n;
        const size_t *mem = ct_grouping_members(c->groups, row, &n);
        json_t *members = json_array();
        for (size_t i = 0; members && i < n; i++)
            fail |= json_array_append_new(members, json_string(ct_corpus_id(c->corpus, mem[i])));
        fail |= json_object_set_new(r, "members", members);
        for (size_t f = 0; f < n_fields; f++) {
            const char *v = ct_corpus_meta(c->corpus, mem[0], f);
            for (size_t i = 1; v && i < n; i++) {
                const char *w = ct_corpus_meta(c->corpus, mem[i], f);
                if (!w || strcmp(v, w) != 0)
                    v = NULL;
            }
            if (v)
                fail |=
                    json_object_set_new(meta, ct_corpus_field_name(c->corpus, f), json_string(v));
        }
    }
    fail |= json_object_set_new(r, "metadata", meta);
    if (fail) {
        json_decref(r);
        return NULL;
    }
    return r;
}

int cli_json_begin(FILE *f, json_t *parameters)
{
    if (!parameters)
        return CT_ENOMEM;
    fputs("{\"parameters\": ", f);
    int rc = json_dumpf(parameters, f, CLI_JSON_FLAGS) == 0 ? CT_OK : CT_EIO;
    json_decref(parameters);
    return rc;
}

int cli_json_array_begin(FILE *f, const char *key)
{
    fputs(",\n", f);
    json_t *k = json_string(key);
    if (!k)
        return CT_ENOMEM;
    int rc = json_dumpf(k, f, JSON_ENCODE_ANY) == 0 ? CT_OK : CT_EIO;
    json_decref(k);
    fputs(": [", f);
    return rc;
}

int cli_json_item(FILE *f, json_t *item, int first)
{
    if (!item)
        return CT_ENOMEM;
    fputs(first ? "\n" : ",\n", f);
    int rc = json_dumpf(item, f, CLI_JSON_FLAGS) == 0 ? CT_OK : CT_EIO;
    json_decref(item);
    return rc;
}

int cli_json_array_end(FILE *f)
{
    fputs("\n]", f);
    return CT_OK;
}

int cli_json_end(FILE *f)
{
    return fputs("\n}\n", f) < 0 ? CT_EIO : CT_OK;
}

int cli_write_entries_table(FILE *f, const ct_matrix *m, const char *format,
                            const char *value_column)
{
    const char *const cols[] = {"id", "term", value_column};
    ct_table *t;
    int rc = ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 3);
    if (rc != CT_OK)
        return rc;
    const ct_vocab *v = ct_matrix_vocab(m);
    for (size_t r = 0; r < ct_matrix_rows(m); r++) {
        const char *id = ct_matrix_row_id(m, r);
        size_t id_len = strlen(id);
        const uint32_t *cols_of;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols_of, &vals, &n);
        for (size_t i = 0; i < n; i++) {
            if (vals[i] == 0.0)
                continue;
            ct_table_textn(t, id, id_len);
            ct_table_textn(t, ct_vocab_term(v, cols_of[i]), ct_vocab_term_len(v, cols_of[i]));
            ct_table_double(t, vals[i]);
        }
    }
    return ct_table_finish(t);
}

int cli_write_entries_json(FILE *f, const cli_counted *c, const ct_matrix *m, json_t *parameters,
                           const char *value_key)
{
    int rc = cli_json_begin(f, parameters);
    if (rc == CT_OK)
        rc = cli_json_array_begin(f, "documents");
    const ct_vocab *v = ct_matrix_vocab(m);
    for (size_t r = 0; rc == CT_OK && r < ct_matrix_rows(m); r++) {
        json_t *row = cli_json_row(c, r), *terms = json_array();
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols, &vals, &n);
        for (size_t i = 0; terms && i < n; i++)
            if (vals[i] != 0.0 &&
                json_array_append_new(terms,
                                      json_pack("{s:s, s:f}", "term", ct_vocab_term(v, cols[i]),
                                                value_key, vals[i])) != 0) {
                json_decref(terms);
                terms = NULL;
            }
        if (!row || !terms) {
            json_decref(row);
            json_decref(terms);
            return CT_ENOMEM;
        }
        if (json_object_set_new(row, "terms", terms) != 0) {
            json_decref(row);
            return CT_ENOMEM;
        }
        rc = cli_json_item(f, row, r == 0);
    }
    if (rc == CT_OK)
        rc = cli_json_array_end(f);
    return rc == CT_OK ? cli_json_end(f) : rc;
}

int cli_write_similarity_csv(FILE *f, const ct_matrix *m, const ct_simmatrix *s)
{
    size_t n = ct_simmatrix_size(s);
    for (size_t j = 0; j < n; j++) {
        putc(',', f);
        ct_write_csv_field(f, ct_matrix_row_id(m, j));
    }
    putc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const double *row = ct_simmatrix_row(s, i);
        ct_write_csv_field(f, ct_matrix_row_id(m, i));
        for (size_t j = 0; j < n; j++) {
            putc(',', f);
            ct_write_double(f, row[j]);
        }
        putc('\n', f);
    }
    return ferror(f) ? CT_EIO : CT_OK;
}
