/* cmd_tfidf.c — `comptext tfidf`: TF-IDF weights exactly as scikit-learn's TfidfVectorizer
 * computes them (analysis/tfidf.c): a table id, term, weight of the non-zero entries (TSV or
 * CSV), %.17g, documents (or --group-by groups) in order, terms in byte order inside a
 * document; --format json records the parameters, each row's metadata and its weights;
 * --format mtx -o X.mtx writes Matrix Market with its row and column tables (cli_mtx.c).
 *
 * --save-model FILE keeps the fitted vocabulary, df and idf (comptext/tfidf_model.h);
 * --model FILE applies a saved model to this corpus instead of fitting one, as
 * TfidfVectorizer.transform does: the model's tokenisation and weighting options are used,
 * so giving any of them as well is a usage error. The model carries its stopword list (its
 * lines, "stop_words" in its parameters), so it tokenises alike wherever it is applied. */
#include <stdlib.h>
#include <string.h>

#include "cli_dist.h"
#include "cli_mtx.h"
#include "encoding.h"
#include "lines.h"

enum { OPT_SAVE_MODEL = 1000, OPT_MODEL };

typedef struct tfidf_state {
    cli_opts *o;
    const char *save_model, *model;
} tfidf_state;

static int handle(void *state, int val, const char *arg)
{
    tfidf_state *s = state;
    if (val == OPT_SAVE_MODEL)
        s->save_model = arg;
    else if (val == OPT_MODEL)
        s->model = arg;
    else
        return cli_usage_error(s->o, "unknown option");
    return 0;
}

typedef struct result {
    const cli_opts *o;
    const cli_counted *c;
    const ct_matrix *w;
    json_t *parameters;
    const ct_tfidf_model *model;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (strcmp(cli_format(r->o, "tsv"), "json") == 0)
        return ct_write_entries_json(f, r->c->corpus, r->c->groups, r->w,
                                     json_incref(r->parameters), "weight");
    return ct_write_entries_table(f, r->w, cli_format(r->o, "tsv"), "weight");
}

static int write_model(void *ctx, FILE *f)
{
    return ct_tfidf_model_write(((const result *)ctx)->model, f);
}

/* The options a model fixes: given with --model, they are a usage error. */
static int model_conflict(const cli_opts *o, int argc, char **argv)
{
    static const char *const fixed[] = {
        "--ngrams",   "--stopwords",     "--no-nfkc", "--no-casefold",     "--no-numbers",
        "--no-words", "--min-df",        "--max-df",  "--max-features",    "--sublinear-tf",
        "--no-idf",   "--no-smooth-idf", "--norm",    "--no-sublinear-tf", "--no-fold-script",
    };
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        int hit = strncmp(a, "-n", 2) == 0;
        for (size_t k = 0; !hit && k < sizeof fixed / sizeof fixed[0]; k++) {
            size_t n = strlen(a);
            const char *eq = strchr(a, '=');
            if (eq)
                n = (size_t)(eq - a);
            hit = n > 3 && strncmp(fixed[k], a, n) == 0; /* getopt accepts prefixes */
        }
        if (hit)
            return cli_usage_error(o,
                                   "%s: --model fixes the tokenisation and weighting options "
                                   "(they are the model's)",
                                   a);
    }
    return CLI_OK;
}

/* The lines of the stopword list at path as its loader reads them (UTF-8, a line an entry),
 * as a JSON array of strings: a model carries its list, so that it tokenises the same way
 * wherever it is applied. NULL after filling err. */
static json_t *stopword_lines(const char *path, int *rc, ct_error *err)
{
    char *raw = NULL, *text = NULL;
    size_t raw_len, len;
    *rc = ct_read_file(path, &raw, &raw_len, err);
    if (*rc == CT_OK)
        *rc = ct_decode_text(raw, raw_len, CT_ENCODING_UTF8, path, &text, &len, NULL, err);
    ct_free(raw);
    if (*rc != CT_OK)
        return NULL;
    json_t *arr = json_array();
    size_t pos = 0, n;
    const char *line;
    while (arr && (line = ct_line_next(text, len, &pos, &n)))
        if (json_array_append_new(arr, json_stringn(line, n)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    ct_free(text);
    if (!arr)
        *rc = CT_ENOMEM;
    return arr;
}

/* Take the tokenisation and weighting options from the model's parameters. */
static int options_from_model(cli_opts *o, const ct_tfidf_model *m, const char *path)
{
    json_error_t jerr;
    json_t *p = json_loads(ct_tfidf_model_parameters(m), 0, &jerr);
    json_int_t lo = 0, hi = 0;
    int nfkc = 1, casefold = 1, numbers = 1, words = 1;
    json_t *sw = NULL;
    int bad = !p || json_unpack(p, "{s:[II], s:b, s:b, s:b, s:b, s:o}", "ngram_range", &lo, &hi,
                                "nfkc", &nfkc, "casefold", &casefold, "numbers", &numbers, "words",
                                &words, "stopwords", &sw) != 0;
    if (!bad &&
        (lo < 1 || hi < lo || hi > CT_NGRAM_LIMIT || !(json_is_string(sw) || json_is_null(sw))))
        bad = 1;
    if (bad) {
        json_decref(p);
        fprintf(stderr,
                "comptext %s: %s: not a valid comptext TF-IDF model: its parameters lack the "
                "tokenisation options (ngram_range, nfkc, casefold, numbers, words, stopwords)\n",
                o->command, path);
        return CLI_FAIL;
    }
    o->tok.ngram_min = (int)lo;
    o->tok.ngram_max = (int)hi;
    /* Script folding: as the model was made (a model from before folding existed has no
     * such parameter, and was made without it). */
    json_t *fold = json_object_get(p, "fold_script");
    o->tok.flags &= ~(unsigned)(CT_TOK_NFKC | CT_TOK_CASEFOLD | CT_TOK_FOLD_SCRIPT |
                                CT_TOK_NO_NUMBERS | CT_TOK_NO_WORDS);
    o->tok.flags |= (nfkc ? CT_TOK_NFKC : 0) | (casefold ? CT_TOK_CASEFOLD : 0) |
                    (json_is_true(fold) ? CT_TOK_FOLD_SCRIPT : 0) |
                    (numbers ? 0 : CT_TOK_NO_NUMBERS) | (words ? 0 : CT_TOK_NO_WORDS);
    json_t *list = json_object_get(p, "stop_words");
    if (json_is_array(list)) {
        size_t n = json_array_size(list);
        const char **entries = malloc((n ? n : 1) * sizeof *entries);
        int ok = entries != NULL;
        for (size_t i = 0; ok && i < n; i++) {
            entries[i] = json_string_value(json_array_get(list, i));
            ok = entries[i] != NULL;
        }
        if (ok)
            ok = ct_stopwords_from_array(&o->stopwords_given, entries, n,
                                         o->tok.flags & CT_NORM_ALL) == CT_OK;
        free(entries);
        if (!ok) {
            json_decref(p);
            fprintf(stderr,
                    "comptext %s: %s: not a valid comptext TF-IDF model: \"stop_words\" is not a "
                    "list of strings\n",
                    o->command, path);
            return CLI_FAIL;
        }
    }
    /* a copy that outlives p: the options keep pointing at it until the process ends */
    static char *stopwords;
    free(stopwords);
    stopwords = strdup(json_is_string(sw) ? json_string_value(sw) : "none");
    o->stopwords_path = stopwords;
    unsigned flags = ct_tfidf_model_flags(m);
    o->sublinear_tf = (flags & CT_TFIDF_SUBLINEAR_TF) != 0;
    o->no_smooth_idf = (flags & CT_TFIDF_NO_SMOOTH_IDF) != 0;
    o->no_idf = (flags & CT_TFIDF_NO_IDF) != 0;
    o->norm = ct_tfidf_norm_name(ct_tfidf_model_norm(m));
    json_t *v;
    if ((v = json_object_get(p, "min_df")) && json_is_number(v)) {
        o->min_df.set = 1;
        o->min_df.is_proportion = json_is_real(v);
        o->min_df.value = json_number_value(v);
    }
    if ((v = json_object_get(p, "max_df")) && json_is_number(v)) {
        o->max_df.set = 1;
        o->max_df.is_proportion = json_is_real(v);
        o->max_df.value = json_number_value(v);
    }
    if ((v = json_object_get(p, "max_features")) && json_is_integer(v))
        o->max_features = (long)json_integer_value(v);
    json_decref(p);
    return stopwords ? CLI_OK : CLI_FAIL;
}

int cmd_tfidf(int argc, char **argv)
{
    static const struct option own[] = {{"save-model", required_argument, 0, OPT_SAVE_MODEL},
                                        {"model", required_argument, 0, OPT_MODEL},
                                        {0, 0, 0, 0}};
    cli_opts o;
    tfidf_state st = {&o, NULL, NULL};
    cli_spec spec = {
        .name = "tfidf",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "TF-IDF weights as scikit-learn's TfidfVectorizer: a table id, term, weight "
                   "of the non-zero\nentries, terms in byte order inside a document; --format "
                   "mtx -o X.mtx: Matrix Market\nin X.mtx, every row in X.rows.tsv, the terms "
                   "with df and idf in X.cols.tsv.",
        .own_help = "      --save-model FILE    also write the fitted vocabulary, df and idf "
                    "(JSON)\n"
                    "      --model FILE         weigh with a saved model instead of fitting "
                    "(its n-gram,\n"
                    "                           stopword and weighting options are used)",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv|json|mtx",
        CLI_OWN(own, handle, &st),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_mtx_check(&o)) != CLI_OK)
        return status;
    if (cli_dist_size() > 1 && (st.model || st.save_model))
        return cli_usage_error(&o, "--model and --save-model are not distributed: run them as "
                                   "one process");
    if (st.model && st.save_model)
        return cli_usage_error(&o, "--model applies a saved model; --save-model fits one: give "
                                   "one of them");
    if (st.model && (status = model_conflict(&o, argc, argv)) != CLI_OK)
        return status;
    cli_counted c;
    memset(&c, 0, sizeof c);
    ct_matrix *w = NULL;
    ct_tfidf_model *model = NULL;
    double *idf = NULL;
    uint32_t *df = NULL;
    json_t *params = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if (st.model) {
        if ((rc = ct_tfidf_model_load(&model, st.model, &err)) != CT_OK) {
            status = cli_fail(&o, rc, &err);
            goto cleanup;
        }
        if ((status = options_from_model(&o, model, st.model)) != CLI_OK)
            goto cleanup;
    }
    if ((status = cli_count(&o, &c)) != CLI_OK)
        goto cleanup;
    if (model) {
        rc = ct_tfidf_model_transform(&w, model, c.counts);
    } else {
        ct_tfidf_options t;
        cli_tfidf_options(&o, &t);
        /* under mpirun: the corpus's df and totals, no idf kept (--save-model and mtx are
         * refused with several ranks) */
        rc = cli_dist_size() > 1 ? cli_dist_tfidf(&c.counts, &t, &err)
                                 : ct_tfidf_transform(&c.counts, &idf, &t, &err); /* in place */
        if (rc != CT_OK) {
            status = cli_weights_fail(&o, rc, &err);
            goto cleanup;
        }
        w = c.counts;
        c.counts = NULL;
        rc = ct_matrix_col_nonzero(w, &df); /* weights are non-zero where counts are */
    }
    if (rc != CT_OK)
        goto failed;
    params = cli_json_parameters(&o, &c, 1);
    if (!params) {
        rc = CT_ENOMEM;
        goto failed;
    }
    json_object_set_new(params, "n_terms", json_integer((json_int_t)ct_matrix_cols(w)));
    json_object_set_new(params, "model", st.model ? json_string(st.model) : json_null());
    result r = {&o, &c, w, params, model};
    if (st.save_model) {
        ct_tfidf_options t;
        cli_tfidf_options(&o, &t);
        /* the model's parameters: the run's, and the stopword list itself */
        json_t *mp = json_deep_copy(params);
        rc = mp ? CT_OK : CT_ENOMEM;
        const char *sw = o.stopwords_path ? o.stopwords_path : ct_stopwords_default_path();
        if (rc == CT_OK && sw && strcmp(sw, "none") != 0) {
            json_t *lines = stopword_lines(sw, &rc, &err);
            if (lines)
                json_object_set_new(mp, "stop_words", lines);
        }
        if (rc != CT_OK) {
            json_decref(mp);
            goto failed;
        }
        char *text = json_dumps(mp, JSON_COMPACT | CLI_JSON_FLAGS);
        json_decref(mp);
        rc = text ? ct_tfidf_model_new(&model, ct_matrix_vocab(w), idf, df, ct_matrix_rows(w), &t,
                                       text)
                  : CT_ENOMEM;
        free(text);
        r.model = model;
        cli_opts mo = o;
        mo.output = st.save_model;
        if (rc == CT_OK)
            rc = cli_write_output(&mo, write_model, &r, &err);
        if (rc != CT_OK)
            goto failed;
    }
    if (strcmp(cli_format(&o, "tsv"), "mtx") == 0)
        rc = cli_write_mtx(&o, &c, w, model ? ct_tfidf_model_df(model) : df,
                           model ? ct_tfidf_model_idf(model) : idf, 0, params, &err);
    else
        rc = cli_dist_output(&o, write_result, &r, 1, &err);
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_stopwords_free(o.stopwords_given);
    json_decref(params);
    ct_free(idf);
    ct_free(df);
    ct_tfidf_model_free(model);
    ct_matrix_free(w);
    cli_counted_free(&c);
    return status;
}
