/* cmd_ngrams.c — `comptext ngrams`: term counts over the whole corpus, count descending,
 * then term in byte order: a table (TSV or CSV) with columns term, count, or JSON with the
 * parameters. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli_dist.h"
#include "cli_matrix.h"
#include "table.h"
#include "radix.h"

typedef struct result {
    const char *format;
    const ct_ranked_term *r;
    size_t n;
    json_t *parameters;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *res = ctx;
    return ct_write_ranked_terms(f, res->format, res->r, res->n, res->parameters);
}

int cmd_ngrams(int argc, char **argv)
{
    cli_spec spec = {
        .name = "ngrams",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "Count n-grams over the whole corpus: a table term, count, most frequent first.",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_OUTPUT | CLI_FORMAT,
        .formats = "tsv|csv|json",
    };
    cli_opts o;
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_dist_check(&o, "json")) != CLI_OK)
        return status;
    ct_corpus *corpus = NULL;
    ct_stopwords *sw = NULL;
    ct_tokenizer *tok = NULL;
    ct_vocab *v = NULL;
    uint64_t *totals = NULL;
    ct_ranked_term *r = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_tokenized(&o, &corpus, &sw, &tok)) != CLI_OK)
        goto cleanup;
    ct_count_options copts;
    cli_count_options(&o, &copts);
    if ((rc = cli_dist_totals(&v, &totals, corpus, tok, &copts, &err)) != CT_OK)
        goto failed;
    /* under mpirun rank 0 alone has the totals, and writes them */
    size_t n = totals ? ct_vocab_size(v) : 0;
    /* Most frequent first; vocabulary ids are in byte order of the terms, and the sort is
     * stable, so equal counts stay in byte order. */
    r = malloc((n ? n : 1) * sizeof *r);
    uint64_t *keys = malloc((n ? n : 1) * sizeof *keys), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    uint32_t *ids = malloc((n ? n : 1) * sizeof *ids), *tmp_ids = malloc((n ? n : 1) * sizeof *ids);
    if (r && keys && tmp && ids && tmp_ids) {
        for (size_t i = 0; i < n; i++) {
            keys[i] = UINT64_MAX - totals[i];
            ids[i] = (uint32_t)i;
        }
        ct_radix_sort_pairs(keys, ids, tmp, tmp_ids, n);
        for (size_t i = 0; i < n; i++)
            r[i] = (ct_ranked_term){ct_vocab_term(v, ids[i]), ct_vocab_term_len(v, ids[i]),
                                    totals[ids[i]]};
    }
    int sorted = r && keys && tmp && ids && tmp_ids;
    free(keys);
    free(tmp);
    free(ids);
    free(tmp_ids);
    if (!sorted) {
        rc = CT_ENOMEM;
        goto failed;
    }
    cli_counted c = {.corpus = corpus};
    result res = {cli_format(&o, "tsv"), r, n, cli_json_parameters(&o, &c, 0)};
    rc = cli_dist_output(&o, cli_dist_rank() == 0 ? write_result : NULL, &res, 0, &err);
    json_decref(res.parameters);
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    free(r);
    ct_free(totals);
    ct_vocab_unref(v);
    ct_tokenizer_free(tok);
    ct_stopwords_free(sw);
    ct_corpus_free(corpus);
    return status;
}
