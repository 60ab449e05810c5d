/* cli_terms.c — what `themes` and `keyness` share: the options of term discovery, the
 * choice of unit (discovered terms, or the tokeniser's n-grams), counting the corpus in
 * that unit, and merging rows by a metadata field (--group-by, through the library's
 * grouping module, so the groups are those of tf, tfidf and similarity). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <jansson.h>

#include "cli_dist.h"
#include "cli_terms.h"
#include "cli_dist.h"
#include "table.h"

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
        t->o->dict_path = arg;
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
    case CLI_OPT_GENERIC:
        t->generic_path = arg;
        return 0;
    case CLI_OPT_PHRASE_PMI:
        return cli_parse_double(o, "--phrase-pmi", arg, -1e9, 1e9, &t->topts.min_phrase_pmi);
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

int cli_terms_load_generic(cli_terms *t)
{
    cli_opts *o = t->o;
    if (t->generic || (t->generic_path && strcmp(t->generic_path, "none") == 0))
        return CLI_OK;
    const char *path = t->generic_path ? t->generic_path : ct_terms_generic_default_path();
    if (!path) {
        fprintf(stderr,
                "comptext %s: the shipped list of generic words was not found; use "
                "--generic FILE or --generic none\n",
                o->command);
        return CLI_FAIL;
    }
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_stopwords_load(&t->generic, path, o->tok.flags & CT_NORM_ALL, &err);
    if (rc != CT_OK)
        return cli_fail(o, rc, &err);
    t->topts.generic = t->generic;
    return CLI_OK;
}

int cli_terms_count(cli_terms *t, const ct_corpus *corpus, const ct_matrix **counts)
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
        /* under mpirun: this rank's rows over the corpus's vocabulary */
        if ((rc = cli_dist_count(&t->owned, corpus, t->tok, &copts, &err)) != CT_OK)
            return cli_fail(o, rc, &err);
        *counts = t->owned;
        return CLI_OK;
    }
    if ((status = cli_load_stopwords(o, &t->sw)) != CLI_OK)
        return status;
    t->topts.stopwords = t->sw;
    if ((status = cli_terms_load_generic(t)) != CLI_OK)
        return status;
    t->topts.flags = o->tok.flags & CT_NORM_ALL;
    t->topts.threads = o->threads;
    char what[300];
    snprintf(what, sizeof what, "discovering terms%s%s%s in the corpus",
             t->topts.dict_path ? " (with the dictionary " : "",
             t->topts.dict_path ? t->topts.dict_path : "", t->topts.dict_path ? ")" : "");
    cli_stage(o, what);
    if ((rc = cli_dist_terms(&t->terms, corpus, &t->topts, &err)) != CT_OK)
        return cli_fail(o, rc, &err);
    *counts = ct_terms_counts(t->terms);
    return CLI_OK;
}

void cli_terms_free(cli_terms *t)
{
    ct_terms_free(t->terms);
    ct_matrix_free(t->owned);
    ct_tokenizer_free(t->tok);
    ct_stopwords_free(t->sw);
    ct_stopwords_free(t->generic);
    t->generic = NULL;
    t->terms = NULL;
    t->owned = NULL;
    t->tok = NULL;
    t->sw = NULL;
}

int cli_group_rows(const cli_opts *o, const ct_corpus *corpus, const ct_matrix *in, ct_matrix **out)
{
    *out = NULL;
    ct_grouping *groups = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_grouping_new(&groups, corpus, o->group_by, &err);
    if (rc == CT_ENOTFOUND)
        return cli_usage_error(o, "--group-by: %s", err.text);
    if (rc == CT_OK)
        rc = ct_grouping_apply(out, groups, in);
    ct_grouping_free(groups);
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, &err);
}
