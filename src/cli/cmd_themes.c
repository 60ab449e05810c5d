/* cmd_themes.c — `comptext themes`: the top k distinctive whole terms of each document,
 * or of each group with --group-by. JSON [{"id": ID, "themes": [{"term": T, "score": S},
 * …]}, …] (or a table id, term, score: TSV or CSV), best first. Terms are discovered from the
 * corpus (comptext/terms.h) and ranked by comptext/themes.h. A corpus of fewer than three
 * documents is ranked against the shipped background reference (--reference FILE|none
 * chooses); --write-reference writes the corpus's own counts as such a reference instead of
 * the themes (tools/make-reference.sh builds the shipped one so). With --group-by the groups
 * are ranked with the documents' rows (dispersion: docs, dp; --rank); the year field
 * (--time-field) gives each document's time for the comparison with its past. */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_dist.h"
#include "cli_terms.h"
#include "tables.h"

enum {
    OPT_SCORE = CLI_OPT_OWN,
    OPT_MIN_COUNT,
    OPT_NEIGHBOURS,
    OPT_REFERENCE,
    OPT_WRITE_REFERENCE,
    OPT_RANK,
    OPT_TIME_FIELD,
    OPT_ONSET_YEARS,
    OPT_ONSET_WEIGHT,
    OPT_LENGTH_WEIGHT,
    OPT_COMMON_SHARE
};

typedef struct state {
    cli_terms terms;
    ct_themes_options topts;
    const char *reference; /* --reference FILE, "none", or NULL (automatic) */
    int write_reference;
    const char *time_field; /* --time-field FIELD, "none", or NULL (year when there is one) */
    int neighbours_given;   /* --neighbours N was given */
    int length_given;       /* --length-weight X was given */
} state;

/* --neighbours N as given works only with 3 (N + 1) rows or more (themes.h): fewer rows
 * clamp it to the most they allow, with a note, and where none is possible (or with
 * --score tfidf, or beyond CT_THEMES_NEIGHBOURS_MAX_ROWS) a note says it is not used. */
static void clamp_neighbours(state *s, const cli_opts *o, size_t rows)
{
    size_t n = s->topts.neighbours;
    if (!s->neighbours_given || n == 0)
        return;
    const char *why = NULL;
    char beyond[64];
    snprintf(beyond, sizeof beyond, "beyond %d rows they are not searched",
             (int)CT_THEMES_NEIGHBOURS_MAX_ROWS);
    if (s->topts.score == CT_THEMES_TFIDF)
        why = "--score tfidf compares each document with all the others";
    else if (rows > CT_THEMES_NEIGHBOURS_MAX_ROWS)
        why = beyond;
    else if (rows / 3 < n + 1 && rows / 3 >= 2) {
        s->topts.neighbours = rows / 3 - 1;
        if (!o->quiet && cli_dist_rank() == 0)
            fprintf(stderr,
                    "comptext themes: note: --neighbours %zu needs %zu rows or more (3 x (N + "
                    "1)); with %zu, %zu are left out\n",
                    n, 3 * (n + 1), rows, s->topts.neighbours);
        return;
    } else if (rows / 3 < n + 1)
        why = "fewer than 6 rows leave none out";
    if (why && !o->quiet && cli_dist_rank() == 0)
        fprintf(stderr,
                "comptext themes: note: --neighbours %zu is not used (%s): each row is compared "
                "with all the others\n",
                n, why);
}

/* A weight option: a finite number >= 0, or a usage error naming the option. */
static int parse_weight(const cli_opts *o, const char *name, const char *arg, double *out)
{
    char *end;
    double w = strtod(arg, &end);
    if (end == arg || *end || !(w >= 0) || !isfinite(w))
        return cli_usage_error(o, "%s: \"%s\" is not a number >= 0", name, arg);
    *out = w;
    return 0;
}

static int handle(void *st, int val, const char *arg)
{
    state *s = st;
    const cli_opts *o = s->terms.o;
    int rc = cli_terms_handle(&s->terms, val, arg);
    if (rc >= 0)
        return rc;
    long v;
    switch (val) {
    case 'k':
        rc = cli_parse_long(o, "-k", arg, 1, INT_MAX, &v);
        s->topts.k = (size_t)v;
        return rc;
    case OPT_SCORE:
        if (ct_themes_score_parse(arg, &s->topts.score) != CT_OK)
            return cli_usage_error(o,
                                   "--score: \"%s\" is not g2-idf, g2, tfidf, logratio "
                                   "or g2-logratio",
                                   arg);
        return 0;
    case OPT_MIN_COUNT:
        rc = cli_parse_long(o, "--min-count", arg, 1, INT_MAX, &v);
        s->topts.min_count = (double)v;
        return rc;
    case OPT_NEIGHBOURS:
        rc = cli_parse_long(o, "--neighbours", arg, 0, INT_MAX, &v);
        s->topts.neighbours = (size_t)v;
        s->neighbours_given = 1;
        return rc;
    case OPT_REFERENCE:
        s->reference = arg;
        return 0;
    case OPT_WRITE_REFERENCE:
        s->write_reference = 1;
        return 0;
    case OPT_ONSET_YEARS:
        rc = cli_parse_long(o, "--onset-years", arg, 0, 1000000, &v);
        s->topts.onset_years = (double)v;
        return rc;
    case OPT_ONSET_WEIGHT:
        return parse_weight(o, "--onset-weight", arg, &s->topts.onset_weight);
    case OPT_LENGTH_WEIGHT:
        s->length_given = 1;
        return parse_weight(o, "--length-weight", arg, &s->topts.length_weight);
    case OPT_COMMON_SHARE:
        return cli_parse_double(o, "--common-share", arg, 1e-9, 1.0, &s->topts.common_share);
    case OPT_TIME_FIELD:
        s->time_field = arg;
        return 0;
    case OPT_RANK:
        if (strcmp(arg, "without-top") == 0 || strcmp(arg, "auto") == 0)
            s->topts.group_rank = CT_THEMES_RANK_WITHOUT_TOP;
        else if (strcmp(arg, "statistic") == 0)
            s->topts.group_rank = CT_THEMES_RANK_STATISTIC;
        else
            return cli_usage_error(o, "--rank: \"%s\" is not auto, without-top or statistic", arg);
        return 0;
    }
    return cli_usage_error(o, "unknown option");
}

typedef struct result {
    const char *format;
    const ct_matrix *counts;
    const ct_themes *themes;
    size_t first, total; /* the corpus rows of counts' rows (under mpirun: this rank's) */
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (!r->themes)
        return ct_write_reference(f, r->counts);
    return ct_write_themes_part(f, r->format, r->counts, r->themes, r->first, r->total,
                                cli_dist_rank() == 0);
}

/* Under mpirun with more than one rank: what is not distributed (yet) is refused (exit 2).
 * Either unit runs split: cli_terms_count gives each rank its rows over the corpus's
 * vocabulary (n-grams counted and merged, or terms discovered across the ranks and each
 * rank's documents segmented into them), and ct_dist_themes ranks them; with --group-by
 * the groups are summed across the ranks (cli_dist_group) and each rank ranks a block. */
static int refuse_distributed(const cli_opts *o, const state *s)
{
    if (cli_dist_size() < 2)
        return CLI_OK;
    cli_opts one = *o; /* cli_dist_check's other refusals (one CORPUS): themes groups */
    one.group_by = NULL;
    int status = cli_dist_check(&one, NULL);
    if (status != CLI_OK)
        return status;
    if (s->write_reference)
        return cli_usage_error(o, "--write-reference is not distributed: run it as one process");
    return CLI_OK;
}

int cmd_themes(int argc, char **argv)
{
    static const struct option own[] = {
        CLI_TERMS_LONG_OPTIONS,
        {"score", required_argument, 0, OPT_SCORE},
        {"min-count", required_argument, 0, OPT_MIN_COUNT},
        {"neighbours", required_argument, 0, OPT_NEIGHBOURS},
        {"reference", required_argument, 0, OPT_REFERENCE},
        {"write-reference", no_argument, 0, OPT_WRITE_REFERENCE},
        {"rank", required_argument, 0, OPT_RANK},
        {"time-field", required_argument, 0, OPT_TIME_FIELD},
        {"onset-years", required_argument, 0, OPT_ONSET_YEARS},
        {"onset-weight", required_argument, 0, OPT_ONSET_WEIGHT},
        {"length-weight", required_argument, 0, OPT_LENGTH_WEIGHT},
        {"common-share", required_argument, 0, OPT_COMMON_SHARE},
        {0, 0, 0, 0},
    };
    state s;
    cli_opts o;
    memset(&s, 0, sizeof s);
    cli_terms_init(&s.terms, &o);
    ct_themes_options_init(&s.topts);
    cli_spec spec = {
        .name = "themes",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "The top K distinctive whole terms of each document (or group), best first.",
        .own_help =
            "  -k K                     themes a document (default 20)\n"
            "      --score S            g2-idf (default): log-likelihood G2 against the rest\n"
            "                           of the corpus times ln((1+n)/(1+df)); g2; tfidf;\n"
            "                           logratio; g2-logratio\n"
            "      --min-count N        a theme occurs at least N times in its document\n"
            "                           (default 2)\n"
            "      --neighbours N       leave the N documents most similar to a document out\n"
            "                           of its reference and score their period too, so that\n"
            "                           what marks a few years is found (default 6, with 21\n"
            "                           documents or more; from 12, as many as 1/3 of them\n"
            "                           allow; 0: compare with all the others)\n"
            "      --reference FILE|none  background term counts added to every reference;\n"
            "                           default: the shipped list of government work reports\n"
            "                           when the corpus has fewer than 3 documents, else none\n"
            "      --write-reference    write the corpus's term counts as a reference list\n"
            "                           (for --reference) instead of the themes\n"
            "      --time-field F|none  metadata field with each document's year (default:\n"
            "                           year, when the corpus has it): a document is also\n"
            "                           compared with the documents more than 2 years\n"
            "                           before it (what begins in its years ranks high)\n"
            "      --onset-years N      ...more than N years before it (default 2)\n"
            "      --onset-weight X     weight of that comparison (default 4; 0: none)\n"
            "      --length-weight X    g2, g2-idf and g2-logratio times (characters/2)^X:\n"
            "                           a longer term wins a near tie (default 0.2 for\n"
            "                           discovered terms, 0 with --units ngrams)\n"
            "      --common-share X     a term that a share X of the documents (groups,\n"
            "                           with --group-by) or more use in some form (itself,\n"
            "                           or inside a longer term) is common vocabulary, no\n"
            "                           theme (default 0.95; 1: none; not with a reference)\n"
            "      --rank R             with --group-by, a group of 2 documents or more:\n"
            "                           auto or without-top (default): scored without the\n"
            "                           document using the term most, a term over-used only\n"
            "                           thanks to it left out; statistic: the whole group as\n"
            "                           one document. Grouped output adds docs (documents of\n"
            "                           the group using the term) and dp (Gries's "
            "DP)\n"
            "                           Under mpirun with several ranks: no --write-reference\n"
            "                           (each rank ranks its share of the corpus or "
            "groups)\n" CLI_TERMS_HELP,
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "json|tsv|csv",
        .own_options = own,
        .handle = handle,
        .state = &s,
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_terms_check(&s.terms, argc, argv)) != 0 ||
        (status = refuse_distributed(&o, &s)) != CLI_OK)
        return status;
    ct_corpus *corpus = NULL;
    const ct_matrix *counts = NULL;
    ct_matrix *grouped = NULL;
    ct_grouping *grouping = NULL;
    struct ct_dist_groups *dist_groups = NULL; /* under mpirun: this rank's block of groups */
    ct_themes *themes = NULL;
    ct_reference *ref = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    size_t first_doc, n_docs; /* under mpirun: this rank's first document, all documents */
    cli_dist_rows(ct_corpus_size(corpus), &first_doc, &n_docs);
    (void)first_doc;
    /* With --units ngrams, number tokens (22.4) would bring a '.' into a theme: themes are
     * words, so numbers are left out. */
    o.tok.flags |= CT_TOK_NO_NUMBERS;
    /* n-grams of every length cover one another: the length prior is for whole terms */
    if (s.terms.ngrams && !s.length_given)
        s.topts.length_weight = 0;
    if ((status = cli_terms_count(&s.terms, corpus, &counts)) != CLI_OK)
        goto cleanup;
    if (s.write_reference) {
        result r = {"tsv", counts, NULL, 0, 0};
        rc = cli_write_output(&o, write_result, &r, &err);
        goto failed;
    }
    if (o.group_by && cli_dist_size() > 1) {
        /* across the ranks: this rank's block of the groups, summed over every rank's
         * documents, with their dispersion (one rank holds them all: as one process) */
        rc = cli_dist_group(&dist_groups, &counts, corpus, counts, o.group_by, s.topts.min_count,
                            &err);
        if (rc == CT_ENOTFOUND) {
            status = cli_usage_error(&o, "--group-by: %s", err.text);
            goto cleanup;
        }
        if (rc != CT_OK)
            goto failed;
    } else if (o.group_by) {
        /* the groups' rows, and the grouping with the documents' rows for the dispersion of
         * each group's themes over its documents */
        rc = ct_grouping_new(&grouping, corpus, o.group_by, &err);
        if (rc == CT_ENOTFOUND) {
            status = cli_usage_error(&o, "--group-by: %s", err.text);
            goto cleanup;
        }
        if (rc != CT_OK || (rc = ct_grouping_apply(&grouped, grouping, counts)) != CT_OK)
            goto failed;
        s.topts.grouping = grouping;
        s.topts.documents = counts;
        counts = grouped;
    }
    /* The reference: as asked, or the shipped one for a corpus of fewer than 3 documents. */
    s.topts.reference_auto = 0;
    const char *ref_path = NULL;
    if (s.reference && strcmp(s.reference, "none") != 0)
        ref_path = s.reference;
    else if (!s.reference && n_docs < CT_THEMES_REFERENCE_BELOW &&
             (ref_path = ct_reference_default_path()) == NULL && cli_dist_rank() == 0)
        fprintf(stderr, "comptext themes: note: the shipped reference list was not found: a "
                        "corpus of fewer than 3 documents is ranked by count\n");
    if (ref_path) {
        if ((rc = cli_dist_agree(ct_reference_load(&ref, ref_path, &err), &err)) != CT_OK)
            goto failed;
        s.topts.reference = ref;
        if (!s.reference && !o.quiet && cli_dist_rank() == 0)
            fprintf(stderr,
                    "comptext themes: note: fewer than 3 documents: themes are ranked against "
                    "the shipped reference %s (--reference none: by the corpus alone)\n",
                    ref_path);
    }
    /* The documents' years (not for groups: a group spans its members' years). */
    double *times = NULL;
    const char *tf = s.time_field ? s.time_field : "year";
    if (!o.group_by && strcmp(tf, "none") != 0) {
        long fi = ct_corpus_field_index(corpus, tf);
        int somewhere = cli_dist_agree_status(fi >= 0); /* under mpirun: any rank's documents */
        if (!somewhere && s.time_field) {
            status = cli_usage_error(&o, "--time-field: the corpus has no field \"%s\"", tf);
            goto cleanup;
        }
        if (fi >= 0)
            rc = ct_corpus_field_times(corpus, (size_t)fi, &times, &err);
        else if (somewhere) { /* another rank's documents have it, none of this rank's */
            size_t n = ct_corpus_size(corpus);
            if ((times = ct_malloc((n ? n : 1) * sizeof *times)) == NULL)
                rc = CT_ENOMEM;
            for (size_t i = 0; times && i < n; i++)
                times[i] = NAN;
        }
        if ((rc = cli_dist_agree(rc, &err)) != CT_OK)
            goto failed;
        s.topts.time = times;
    }
    {
        size_t first, total;
        cli_dist_rows(ct_matrix_rows(counts), &first, &total);
        clamp_neighbours(&s, &o, total);
    }
    rc = cli_dist_themes(&themes, counts, &s.topts, dist_groups, &err);
    ct_free(times);
    if (rc != CT_OK)
        goto failed;
    const char *format = cli_format(&o, "json");
    result r = {format, counts, themes, 0, 0}; /* its rows: documents or groups */
    cli_dist_rows(ct_matrix_rows(counts), &r.first, &r.total);
    rc = cli_dist_output(&o, write_result, &r, strcmp(format, "json") != 0, &err);
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    ct_themes_free(themes);
    ct_reference_free(ref);
    ct_matrix_free(grouped);
    ct_grouping_free(grouping);
    cli_dist_groups_free(dist_groups);
    cli_terms_free(&s.terms);
    ct_corpus_free(corpus);
    return status;
}
