/* cmd_terms.c — `comptext terms`: the terms discovery finds (comptext/terms.h), with their
 * statistics: a table (TSV or CSV) term, count, segments, cohesion, h_left, h_right, most
 * segments first, then term in byte order. For inspecting discovery and tuning its options
 * (tools/eval-terms.py measures them against a jieba silver standard). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_dist.h"
#include "tables.h"
#include "cli_terms.h"
#include "table.h"
#include "sort.h"

typedef struct row {
    const char *term;
    ct_term_stats st;
} row;

static int by_segments(const void *x, const void *y)
{
    const row *a = x, *b = y;
    if (a->st.tokens != b->st.tokens)
        return a->st.tokens > b->st.tokens ? -1 : 1;
    return strcmp(a->term, b->term);
}

static int handle(void *st, int val, const char *arg)
{
    cli_terms *t = st;
    int rc = cli_terms_handle(t, val, arg);
    return rc >= 0 ? rc : cli_usage_error(t->o, "unknown option");
}

typedef struct result {
    const row *rows;
    size_t n;
    const char *format;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    const char **terms = malloc((r->n + 1) * sizeof *terms);
    ct_term_stats *stats = malloc((r->n + 1) * sizeof *stats);
    int rc = CT_ENOMEM;
    if (terms && stats) {
        for (size_t i = 0; i < r->n; i++) {
            terms[i] = r->rows[i].term;
            stats[i] = r->rows[i].st;
        }
        rc = ct_write_term_stats(f, r->format, terms, stats, r->n);
    }
    free(terms);
    free(stats);
    return rc;
}

int cmd_terms(int argc, char **argv)
{
    static const struct option own[] = {CLI_TERMS_LONG_OPTIONS, {0, 0, 0, 0}};
    cli_opts o;
    cli_terms t;
    cli_terms_init(&t, &o);
    cli_spec spec = {
        .name = "terms",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "The terms discovered in the corpus: a table term, count, segments, "
                   "cohesion, h_left, h_right.",
        .own_help = CLI_TERMS_DISCOVERY_HELP,
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv",
        .not_accepted = "ngrams", /* terms are discovered up to --max-len characters */
        CLI_OWN(own, handle, &t),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if (t.ngrams)
        return cli_usage_error(&o, "--units: terms lists discovered terms only");
    if ((status = cli_terms_check(&t, argc, argv)) != 0 ||
        (status = cli_dist_check(&o, NULL)) != CLI_OK)
        return status;
    ct_corpus *corpus = NULL;
    const ct_matrix *counts = NULL;
    row *rows = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    if ((status = cli_terms_count(&t, corpus, &counts)) != CLI_OK)
        goto cleanup;
    const ct_vocab *v = ct_matrix_vocab(counts);
    size_t n = ct_vocab_size(v);
    rows = malloc((n ? n : 1) * sizeof *rows);
    if (!rows) {
        rc = CT_ENOMEM;
        goto failed;
    }
    for (size_t i = 0; i < n; i++) {
        rows[i].term = ct_vocab_term(v, (uint32_t)i);
        ct_terms_stats(t.terms, (uint32_t)i, &rows[i].st);
    }
    ct_sort(rows, n, sizeof *rows, by_segments);
    result r = {rows, n, cli_format(&o, "tsv")};
    /* under mpirun every rank holds the same rows: rank 0 writes them */
    rc = cli_dist_on()
             ? cli_dist_output(&o, cli_dist_rank() == 0 ? write_result : NULL, &r, 0, &err)
             : cli_write_output(&o, write_result, &r, &err);
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    free(rows);
    cli_terms_free(&t);
    ct_corpus_free(corpus);
    return status;
}
