/* cli_terms.c — what `themes` and `keyness` share: the options of term discovery, the
 * choice of unit (discovered terms, or the tokeniser's n-grams), counting the corpus in
 * that unit, and merging rows by a metadata field (--group-by).
 *
 * The grouping here is deliberately minimal (sum the count rows of the documents sharing a
 * value, groups in order of first appearance; a document without a value is an error, as in
 * the shared grouping module being written for issue 3); it is one function,
 * cli_group_rows, so that it can be replaced by ct_grouping_new + ct_grouping_apply when
 * that module lands on main. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_terms.h"

void cli_terms_init(cli_terms *t, cli_opts *o)
{
    memset(t, 0, sizeof *t);
    t->o = o;
    ct_terms_options_init(&t->topts);
}

int cli_terms_handle(cli_terms *t, int val, const char *arg)
{
    const cli_opts *o = t->o;
    long v;
    int rc;
    switch (val) {
    case CLI_OPT_UNITS:
        if (strcmp(arg, "terms") == 0)
            t->ngrams = 0;
        else if (strcmp(arg, "ngrams") == 0)
            t->ngrams = 1;
        else
            return cli_usage_error(o, "--units: \"%s\" is not terms or ngrams", arg);
        return 0;
    case CLI_OPT_DICT:
        t->topts.dict_path = arg;
        return 0;
    case CLI_OPT_MAX_LEN:
        rc = cli_parse_long(o, "--max-len", arg, 2, CT_TERMS_LEN_LIMIT, &v);
        t->topts.max_len = (int)v;
        return rc;
    case CLI_OPT_MIN_FREQ:
        rc = cli_parse_long(o, "--min-freq", arg, 2, 1000000000L, &v);
        t->topts.min_count = (size_t)v;
        return rc;
    case CLI_OPT_MIN_COHESION:
        return cli_parse_double(o, "--min-cohesion", arg, -1e9, 1e9, &t->topts.min_cohesion);
    case CLI_OPT_MIN_ENTROPY:
        return cli_parse_double(o, "--min-entropy", arg, 0, 1e9, &t->topts.min_entropy);
    case CLI_OPT_ENTROPY_SHARE:
        return cli_parse_double(o, "--entropy-share", arg, 0, 1, &t->topts.min_entropy_share);
    case CLI_OPT_MIN_SEGMENTS:
        rc = cli_parse_long(o, "--min-segments", arg, 0, 1000000000L, &v);
        t->topts.min_segments = (size_t)v;
        return rc;
    case CLI_OPT_AFFIX_SHARE:
        return cli_parse_double(o, "--affix-share", arg, 0, 1e9, &t->topts.affix_share);
    case CLI_OPT_SUBSUME:
        return cli_parse_double(o, "--subsume", arg, 1e-9, 1e9, &t->topts.subsume_ratio);
    default:
        return -1;
    }
}

/* Was -n/--ngrams given on the command line? */
static int ngrams_given(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strncmp(argv[i], "-n", 2) == 0 || strncmp(argv[i], "--ngrams", 8) == 0 ||
            strncmp(argv[i], "--ng", 4) == 0)
            return 1;
    }
    return 0;
}

int cli_terms_check(cli_terms *t, int argc, char **argv)
{
    if (!t->ngrams && ngrams_given(argc, argv))
        return cli_usage_error(t->o, "-n/--ngrams applies only with --units ngrams (terms are "
                                     "discovered up to --max-len characters)");
    return 0;
}

static int load_stopwords(cli_opts *o, ct_stopwords **sw)
{
    *sw = NULL;
    ct_error err;
    ct_error_clear(&err);
    unsigned norm = o->tok.flags & (CT_TOK_NFKC | CT_TOK_CASEFOLD);
    int rc = CT_OK;
    if (!o->stopwords_path) {
        const char *def = ct_stopwords_default_path();
        if (!def) {
            fprintf(stderr,
                    "comptext %s: the shipped stopword list was not found; use "
                    "--stopwords FILE or --stopwords none\n",
                    o->command);
            return CLI_FAIL;
        }
        rc = ct_stopwords_load(sw, def, norm, &err);
    } else if (strcmp(o->stopwords_path, "none") != 0) {
        rc = ct_stopwords_load(sw, o->stopwords_path, norm, &err);
    }
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, &err);
}

int cli_terms_count(cli_terms *t, const ct_corpus *corpus, ct_matrix **counts)
{
    cli_opts *o = t->o;
    *counts = NULL;
    ct_error err;
    ct_error_clear(&err);
    int status, rc;
    if (t->ngrams) {
        if ((status = cli_make_tokenizer(o, &t->sw, &t->tok)) != CLI_OK)
            return status;
        ct_count_options copts;
        cli_count_options(o, &copts);
        if ((rc = ct_count_corpus(&t->owned, corpus, t->tok, &copts, &err)) != CT_OK)
            return cli_fail(o, rc, &err);
        *counts = t->owned;
        return CLI_OK;
    }
    if ((status = load_stopwords(o, &t->sw)) != CLI_OK)
        return status;
    t->topts.stopwords = t->sw;
    t->topts.flags = o->tok.flags & (CT_TOK_NFKC | CT_TOK_CASEFOLD);
    t->topts.threads = o->threads;
    if ((rc = ct_terms_discover(&t->terms, corpus, &t->topts, &err)) != CT_OK)
        return cli_fail(o, rc, &err);
    *counts = (ct_matrix *)ct_terms_counts(t->terms);
    return CLI_OK;
}

void cli_terms_free(cli_terms *t)
{
    ct_terms_free(t->terms);
    ct_matrix_free(t->owned);
    ct_tokenizer_free(t->tok);
    ct_stopwords_free(t->sw);
    t->terms = NULL;
    t->owned = NULL;
    t->tok = NULL;
    t->sw = NULL;
}

int cli_group_rows(const cli_opts *o, const ct_corpus *corpus, const ct_matrix *in, ct_matrix **out)
{
    *out = NULL;
    long field = ct_corpus_field_index(corpus, o->group_by);
    if (field < 0)
        return cli_usage_error(o, "--group-by: no document has a field \"%s\"", o->group_by);
    size_t rows = ct_matrix_rows(in), cols = ct_matrix_cols(in), n_groups = 0, left_out = 0;
    size_t *group = malloc((rows + 1) * sizeof *group);
    const char **names = malloc((rows + 1) * sizeof *names);
    double *acc = calloc(cols + 1, sizeof *acc);
    size_t *row_ptr = ct_calloc(rows + 2, sizeof *row_ptr);
    uint32_t *out_cols = NULL;
    double *out_vals = NULL;
    int rc = CT_OK;
    if (!group || !names || !acc || !row_ptr) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t r = 0; r < rows; r++) {
        const char *val = ct_corpus_meta(corpus, r, (size_t)field);
        group[r] = SIZE_MAX;
        if (!val || !*val) {
            /* As the shared grouping module will: a document without a value is an error,
             * not a silent "missing" group. */
            fprintf(stderr, "comptext %s: %s: document \"%s\" has no value of \"%s\"\n", o->command,
                    ct_corpus_source(corpus, r), ct_corpus_id(corpus, r), o->group_by);
            left_out++;
            break;
        }
        size_t g = 0;
        while (g < n_groups && strcmp(names[g], val) != 0)
            g++;
        if (g == n_groups)
            names[n_groups++] = val;
        group[r] = g;
    }
    if (left_out) {
        free(group);
        free(names);
        free(acc);
        ct_free(row_ptr);
        return CLI_FAIL;
    }
    size_t cap = ct_matrix_nnz(in) + 1, nnz = 0;
    out_cols = ct_malloc(cap * sizeof *out_cols);
    out_vals = ct_malloc(cap * sizeof *out_vals);
    if (!out_cols || !out_vals) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t g = 0; g < n_groups; g++) {
        for (size_t r = 0; r < rows; r++) {
            if (group[r] != g)
                continue;
            const uint32_t *c;
            const double *v;
            size_t n;
            ct_matrix_row(in, r, &c, &v, &n);
            for (size_t j = 0; j < n; j++)
                acc[c[j]] += v[j];
        }
        for (size_t j = 0; j < cols; j++)
            if (acc[j] != 0) {
                out_cols[nnz] = (uint32_t)j;
                out_vals[nnz++] = acc[j];
                acc[j] = 0;
            }
        row_ptr[g + 1] = nnz;
    }
    rc = ct_matrix_new(out, n_groups, (ct_vocab *)ct_matrix_vocab(in), row_ptr, out_cols, out_vals,
                       names);
    row_ptr = NULL;
    out_cols = NULL;
    out_vals = NULL;
cleanup:
    free(group);
    free(names);
    free(acc);
    ct_free(row_ptr);
    ct_free(out_cols);
    ct_free(out_vals);
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, NULL);
}
