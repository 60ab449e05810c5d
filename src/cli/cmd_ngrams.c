/* cmd_ngrams.c — `comptext ngrams`: term counts over the whole corpus, count descending,
 * then term in byte order (TSV TERM<TAB>COUNT; CSV and JSON on request). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "radix.h"

typedef struct ranked {
    const char *term;
    size_t len;
    uint64_t count;
} ranked;

static int write_ranked(FILE *f, const char *format, const ranked *r, size_t n)
{
    if (strcmp(format, "json") == 0) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) {
            json_t *count = json_integer((json_int_t)r[i].count);
            if (json_array_append_new(arr,
                                      json_pack("{s:s, s:o}", "term", r[i].term, "count", count)))
                break;
        }
        int rc = arr && json_array_size(arr) == n && json_dumpf(arr, f, JSON_INDENT(1)) == 0
                     ? CT_OK
                     : CT_ENOMEM;
        fputc('\n', f);
        json_decref(arr);
        return rc;
    }
    if (strcmp(format, "csv") != 0) {
        /* Rows gathered in a buffer and written in large pieces (a term that needs escaping
         * goes the slow way). */
        static char buf[1 << 16];
        size_t used = 0;
        for (size_t i = 0; i < n; i++) {
            size_t k = ct_format_tsv_count_row(buf + used, sizeof buf - used, r[i].term, r[i].len,
                                               r[i].count);
            if (!k) {
                fwrite(buf, 1, used, f);
                used = 0;
                k = ct_format_tsv_count_row(buf, sizeof buf, r[i].term, r[i].len, r[i].count);
                if (!k)
                    ct_write_tsv_count_row(f, r[i].term, r[i].count);
            }
            used += k;
        }
        fwrite(buf, 1, used, f);
        return CT_OK;
    }
    fputs("term,count\n", f);
    for (size_t i = 0; i < n; i++) {
        ct_write_csv_field(f, r[i].term);
        putc(',', f);
        ct_write_u64(f, r[i].count);
        putc('\n', f);
    }
    return CT_OK;
}

typedef struct result {
    const char *format;
    const ranked *r;
    size_t n;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *res = ctx;
    return write_ranked(f, res->format, res->r, res->n);
}

int cmd_ngrams(int argc, char **argv)
{
    cli_spec spec = {
        .name = "ngrams",
        .synopsis = "[OPTIONS] CORPUS...",
        .summary = "Count n-grams over the whole corpus: TERM<TAB>COUNT, most frequent first.",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_OUTPUT | CLI_FORMAT,
        .formats = "tsv|csv|json",
    };
    cli_opts o;
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    ct_corpus *corpus = NULL;
    ct_stopwords *sw = NULL;
    ct_tokenizer *tok = NULL;
    ct_vocab *v = NULL;
    uint64_t *totals = NULL;
    ranked *r = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_tokenized(&o, &corpus, &sw, &tok)) != CLI_OK)
        goto cleanup;
    ct_count_options copts;
    cli_count_options(&o, &copts);
    if ((rc = ct_count_totals(&v, &totals, corpus, tok, &copts, &err)) != CT_OK)
        goto failed;
    size_t n = ct_vocab_size(v);
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
            r[i] = (ranked){ct_vocab_term(v, ids[i]), ct_vocab_term_len(v, ids[i]), totals[ids[i]]};
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
    result res = {cli_format(&o, "tsv"), r, n};
    rc = cli_write_output(&o, write_result, &res, &err);
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
