/* cmd_keyness.c — `comptext keyness`: the terms a target (--target ID or FIELD=VALUE) uses
 * more or less than the rest of the corpus: a table (TSV or CSV) term, statistic, p, effect,
 * n_target, n_reference, docs_target, docs_reference, dp, statistic_without_top, most key
 * first (over-used terms first, under-used ones, with a negative statistic, last; with a
 * target of several documents, by the statistic without the term's top document unless
 * --rank statistic). P is the raw p-value unless --p-adjust bh puts the Benjamini–Hochberg
 * adjusted one there; --format json carries both. --test documents makes statistic and p
 * the Mann–Whitney test over documents. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli_matrix.h"
#include "cli_terms.h"
#include "table.h"

enum { OPT_TARGET = CLI_OPT_OWN, OPT_STATISTIC, OPT_YATES, OPT_P_ADJUST, OPT_RANK, OPT_TEST };

typedef struct state {
    cli_terms terms;
    ct_keyness_options kopts;
    const char *target;
    int bh;
} state;

static int handle(void *st, int val, const char *arg)
{
    state *s = st;
    const cli_opts *o = s->terms.o;
    int rc = cli_terms_handle(&s->terms, val, arg);
    if (rc >= 0)
        return rc;
    switch (val) {
    case OPT_TARGET:
        s->target = arg;
        return 0;
    case OPT_STATISTIC:
        if (strcmp(arg, "g2") == 0)
            s->kopts.stat = CT_KEYNESS_G2;
        else if (strcmp(arg, "chi2") == 0)
            s->kopts.stat = CT_KEYNESS_CHI2;
        else
            return cli_usage_error(o, "--statistic: \"%s\" is not g2 or chi2", arg);
        return 0;
    case OPT_YATES:
        s->kopts.yates = 1;
        return 0;
    case OPT_P_ADJUST:
        if (strcmp(arg, "none") == 0)
            s->bh = 0;
        else if (strcmp(arg, "bh") == 0)
            s->bh = 1;
        else
            return cli_usage_error(o, "--p-adjust: \"%s\" is not none or bh", arg);
        return 0;
    case OPT_RANK:
        if (strcmp(arg, "auto") == 0)
            s->kopts.rank = CT_KEYNESS_RANK_AUTO;
        else if (strcmp(arg, "statistic") == 0)
            s->kopts.rank = CT_KEYNESS_RANK_STAT;
        else if (strcmp(arg, "without-top") == 0)
            s->kopts.rank = CT_KEYNESS_RANK_WITHOUT_TOP;
        else
            return cli_usage_error(o, "--rank: \"%s\" is not auto, statistic or without-top", arg);
        return 0;
    case OPT_TEST:
        if (strcmp(arg, "tokens") == 0)
            s->kopts.test = CT_KEYNESS_TEST_TOKENS;
        else if (strcmp(arg, "documents") == 0)
            s->kopts.test = CT_KEYNESS_TEST_DOCUMENTS;
        else
            return cli_usage_error(o, "--test: \"%s\" is not tokens or documents", arg);
        return 0;
    }
    return cli_usage_error(o, "unknown option");
}

/* Mark the target rows: a document id, else FIELD=VALUE. Returns how many, or -1 after a
 * usage error. */
static long select_target(const cli_opts *o, const ct_corpus *c, const char *target,
                          unsigned char *mask)
{
    size_t n = ct_corpus_size(c);
    long hits = 0;
    for (size_t d = 0; d < n; d++)
        if (strcmp(ct_corpus_id(c, d), target) == 0) {
            mask[d] = 1;
            hits++;
        }
    if (hits)
        return hits;
    const char *eq = strchr(target, '=');
    if (eq) {
        char *field = strndup(target, (size_t)(eq - target));
        long f = field ? ct_corpus_field_index(c, field) : -1;
        free(field);
        if (f >= 0) {
            for (size_t d = 0; d < n; d++) {
                const char *v = ct_corpus_meta(c, d, (size_t)f);
                if (v && strcmp(v, eq + 1) == 0) {
                    mask[d] = 1;
                    hits++;
                }
            }
            if (!hits)
                cli_usage_error(o, "--target: no document has %s", target);
            return hits ? hits : -1;
        }
    }
    cli_usage_error(o,
                    "--target: \"%s\" is neither a document id nor FIELD=VALUE of a known "
                    "field",
                    target);
    return -1;
}

static const char *keyness_stat_name(const ct_keyness_options *k)
{
    if (k->test == CT_KEYNESS_TEST_DOCUMENTS)
        return "mann-whitney-z";
    return k->stat == CT_KEYNESS_G2 ? "g2" : k->yates ? "chi2-yates" : "chi2";
}

typedef struct result {
    const state *s;
    const ct_corpus *corpus;
    const unsigned char *mask;
    const ct_keyness *k;
    const ct_vocab *v;
    const char *format;
    json_t *parameters;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (strcmp(r->format, "json") == 0)
        return ct_write_keyness_json(f, r->k, r->v, keyness_stat_name(&r->s->kopts), r->corpus,
                                     r->mask, r->parameters);
    return ct_write_keyness_table(f, r->format, r->k, r->v, r->s->bh);
}

int cmd_keyness(int argc, char **argv)
{
    static const struct option own[] = {
        CLI_TERMS_LONG_OPTIONS,
        {"target", required_argument, 0, OPT_TARGET},
        {"statistic", required_argument, 0, OPT_STATISTIC},
        {"yates", no_argument, 0, OPT_YATES},
        {"p-adjust", required_argument, 0, OPT_P_ADJUST},
        {"rank", required_argument, 0, OPT_RANK},
        {"test", required_argument, 0, OPT_TEST},
        {0, 0, 0, 0},
    };
    state s;
    cli_opts o;
    memset(&s, 0, sizeof s);
    cli_terms_init(&s.terms, &o);
    ct_keyness_options_init(&s.kopts);
    cli_spec spec = {
        .name = "keyness",
        .synopsis = "--target ID|FIELD=VALUE [OPTIONS] [CORPUS...]",
        .summary = "Terms a target over- or under-uses against the rest of the corpus:\n"
                   "a table term, statistic, p, effect, n_target, n_reference, docs_target,\n"
                   "docs_reference, dp, statistic_without_top.",
        .own_help =
            "      --target T           a document id, or FIELD=VALUE (every document with it)\n"
            "      --statistic S        g2 (log-likelihood, default) or chi2 (Pearson)\n"
            "      --yates              chi2 with Yates' continuity correction\n"
            "      --p-adjust none|bh   P column: raw p (default) or Benjamini-Hochberg\n"
            "                           adjusted (--format json gives both)\n"
            "      --rank R             auto (default): by statistic_without_top (the statistic\n"
            "                           with the target document using the term most left out)\n"
            "                           when the target has 2 documents or more, else by\n"
            "                           statistic; statistic; without-top\n"
            "      --test T             tokens (default: the 2x2 table of counts) or documents\n"
            "                           (Mann-Whitney U of the documents' relative frequencies:\n"
            "                           statistic is its z, p two-sided)\n" CLI_TERMS_HELP,
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv|json",
        CLI_OWN(own, handle, &s),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_terms_check(&s.terms, argc, argv)) != 0)
        return status;
    if (!s.target)
        return cli_usage_error(&o, "--target is required");
    if (s.kopts.yates && s.kopts.stat != CT_KEYNESS_CHI2)
        return cli_usage_error(&o, "--yates applies only with --statistic chi2");
    if (s.kopts.test == CT_KEYNESS_TEST_DOCUMENTS && s.kopts.rank == CT_KEYNESS_RANK_WITHOUT_TOP)
        return cli_usage_error(&o, "--rank without-top applies only with --test tokens");
    ct_corpus *corpus = NULL;
    const ct_matrix *counts = NULL;
    ct_keyness *k = NULL;
    unsigned char *mask = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    size_t n = ct_corpus_size(corpus);
    mask = calloc(n + 1, 1);
    if (!mask) {
        rc = CT_ENOMEM;
        goto failed;
    }
    long hits = select_target(&o, corpus, s.target, mask);
    if (hits < 0) {
        status = CLI_USAGE;
        goto cleanup;
    }
    if ((size_t)hits == n) {
        status = cli_usage_error(&o,
                                 "--target: %s covers every document; nothing is left to "
                                 "compare it with",
                                 s.target);
        goto cleanup;
    }
    if ((status = cli_terms_count(&s.terms, corpus, &counts)) != CLI_OK)
        goto cleanup;
    rc = ct_keyness_compute(&k, counts, mask, &s.kopts);
    if (rc == CT_EEMPTY) {
        fprintf(stderr, "comptext keyness: the target or the reference has no terms to "
                        "compare\n");
        status = CLI_FAIL;
        goto cleanup;
    }
    if (rc != CT_OK)
        goto failed;
    cli_counted cc = {.corpus = corpus};
    json_t *params = cli_json_parameters(&o, &cc, 0);
    if (params) {
        json_object_set_new(params, "target_spec", json_string(s.target));
        json_object_set_new(params, "units", json_string(s.terms.ngrams ? "ngrams" : "terms"));
        json_object_set_new(params, "p_adjust", json_string(s.bh ? "bh" : "none"));
        json_object_set_new(
            params, "test",
            json_string(s.kopts.test == CT_KEYNESS_TEST_DOCUMENTS ? "documents" : "tokens"));
    }
    result r = {&s, corpus, mask, k, ct_matrix_vocab(counts), cli_format(&o, "tsv"), params};
    rc = cli_write_output(&o, write_result, &r, &err);
    json_decref(params);
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    free(mask);
    ct_keyness_free(k);
    cli_terms_free(&s.terms);
    ct_corpus_free(corpus);
    return status;
}
