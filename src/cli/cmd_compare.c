/* cmd_compare.c — `comptext compare [CORPUS...] -o DIR`: the main job.
 *
 * One run gives a researcher everything to look at: the similarity matrix (similarity.csv,
 * the bytes `comptext similarity` writes), the themes (themes.json, as `comptext themes`),
 * the clustering (clusters.tsv, linkage.tsv in scipy's format, dendrogram.nwk), the 2-D map
 * (map.csv), the pictures (heatmap.svg, dendrogram.svg, map.svg), keyness of each group
 * against the rest with --group-by (keyness.tsv), the passages documents share (reuse.jsonl,
 * as `comptext reuse` writes them; not in large mode unless --reuse), and report.html with
 * all of it; a short plain-text summary goes to standard output. Beyond the large-mode
 * threshold neighbours.tsv and notes.tsv replace similarity.csv and the report shows
 * clusters rather than documents (compare_dir.h). Without a CORPUS it runs on the shipped
 * default corpus.
 *
 * This file only turns the options into ct_compare_options: the library computes
 * (ct_compare_run, comptext/compare.h) and the render layer writes the directory and the
 * summary (compare_dir.h): nothing half-written, the files are staged and moved into place
 * only when every one of them and the summary have been written (ct_outdir, output.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_matrix.h"
#include "cli_terms.h"
#include "compare_dir.h"
#include "corpus_hold.h"
#include "report.h"
#include "comptext/reference.h"
#include "comptext/themes.h"
#include "ct_config.h"

enum {
    OPT_LINKAGE = CLI_OPT_OWN,
    OPT_CLUSTERS,
    OPT_FULL_MATRIX,
    OPT_NO_REUSE,
    OPT_REUSE,
    OPT_LARGE,
    OPT_TIME_FIELD
};
enum { MAX_NOTES = 10 }; /* notes on the corpus shown on stderr */

typedef struct compare_args {
    cli_opts *o;
    cli_terms *terms;
    ct_linkage linkage;
    long clusters; /* 0: suggested */
    long k;        /* themes a row */
    int full_matrix;
    int reuse;  /* shared passages: 1 --reuse, 0 --no-reuse, -1 by size (not in large mode) */
    long large; /* --large-threshold: rows beyond which compare works in large mode; 0: default */
    const char *time_field; /* --time-field FIELD, "none", or NULL (year when there is one) */
} compare_args;

static int handle(void *state, int val, const char *arg)
{
    compare_args *a = state;
    int rc = cli_terms_handle(a->terms, val, arg);
    if (rc >= 0)
        return rc;
    switch (val) {
    case OPT_LINKAGE:
        if (ct_linkage_parse(arg, &a->linkage) != CT_OK)
            return cli_usage_error(
                a->o, "--linkage: \"%s\" is not average, complete, single or ward", arg);
        return 0;
    case OPT_CLUSTERS:
        return cli_parse_long(a->o, "--clusters", arg, 1, 1000000, &a->clusters);
    case 'k':
        return cli_parse_long(a->o, "-k", arg, 1, 100000, &a->k);
    case OPT_FULL_MATRIX:
        a->full_matrix = 1;
        return 0;
    case OPT_NO_REUSE:
    case OPT_REUSE:
        a->reuse = val == OPT_REUSE;
        return 0;
    case OPT_LARGE:
        return cli_parse_long(a->o, "--large-threshold", arg, 1, 1000000000L, &a->large);
    case OPT_TIME_FIELD:
        a->time_field = arg;
        return 0;
    }
    return CLI_USAGE;
}

/* Progress on stderr as every command shows it (cli_status: a status line on a terminal
 * only, erased when done, never in a pipe or a test's captured stderr), for every phase the
 * library reports (term discovery, counting, similarity, clustering, the map, themes,
 * keyness) and the command's own (reuse, writing). */
static void phase(const cli_opts *o, const char *what)
{
    cli_status(o, what, 0, 0, NULL);
}

/* The summary on standard output, written before the directory is committed so that a
 * failure there replaces nothing. */
typedef struct summary_ctx {
    const ct_compare *c;
    const ct_compare_reuse *reuse;
    const char *dir;
    int failed;
} summary_ctx;

static int write_summary(void *ctx)
{
    summary_ctx *s = ctx;
    cli_status_clear();
    ct_compare_write_summary(stdout, s->c, s->reuse, s->dir);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "comptext compare: standard output: write failed: %s\n", strerror(errno));
        s->failed = 1;
        return CT_EIO;
    }
    return CT_OK;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option own[] = {
        {"linkage", required_argument, 0, OPT_LINKAGE},
        {"clusters", required_argument, 0, OPT_CLUSTERS},
        {"full-matrix", no_argument, 0, OPT_FULL_MATRIX},
        {"no-reuse", no_argument, 0, OPT_NO_REUSE},
        {"reuse", no_argument, 0, OPT_REUSE},
        {"large-threshold", required_argument, 0, OPT_LARGE},
        {"time-field", required_argument, 0, OPT_TIME_FIELD},
        CLI_TERMS_LONG_OPTIONS,
        {0, 0, 0, 0},
    };
    cli_opts o;
    cli_terms terms;
    cli_terms_init(&terms, &o);
    compare_args a = {.o = &o,
                      .terms = &terms,
                      .linkage = CT_LINKAGE_AVERAGE,
                      .clusters = 0,
                      .k = CT_THEMES_K_DEFAULT,
                      .reuse = -1};
    cli_spec spec = {
        .name = "compare",
        .synopsis = "[OPTIONS] [CORPUS...] -o DIR",
        .summary = "Compare the documents: similarity, themes, clusters, a map, pictures and an "
                   "HTML report in DIR.",
        .own_help = "  -k K                     themes a document or group (default: 20)\n"
                    "      --linkage METHOD     average (default), complete, single or ward\n"
                    "      --clusters K         clusters to cut the tree into, 1 to N (default: "
                    "the cut\n"
                    "                           into 2 to min(N-1, 20) groups with the best mean "
                    "silhouette\n"
                    "                           that leaves 2 to 10 clusters of 2 or more; the "
                    "rest are outliers)\n"
                    "      --full-matrix        keep the N x N similarity matrix beyond 2000 "
                    "documents\n"
                    "                           (default: each document's top 10 neighbours)\n"
                    "      --no-reuse           do not look for shared passages (reuse.jsonl, "
                    "as comptext\n"
                    "                           reuse writes it, and the report's reuse section)\n"
                    "      --reuse              look for them in large mode too (by default only "
                    "up to the\n"
                    "                           large-mode threshold: they cost time and memory "
                    "on big corpora)\n"
                    "      --large-threshold N  beyond N documents (or groups) work in large mode: "
                    "neighbours.tsv\n"
                    "                           and a report of clusters (default: 2000)\n"
                    "      --time-field F|none  metadata field with each document's year, for "
                    "the themes'\n"
                    "                           comparison with its past, as in comptext themes "
                    "(default:\n"
                    "                           year when the corpus has it)\n"
                    "Term discovery for the themes (as in comptext themes):\n" CLI_TERMS_HELP,
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_OUTPUT,
        CLI_OWN(own, handle, &a),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if (!o.output || !*o.output || strcmp(o.output, "-") == 0)
        return cli_usage_error(&o, "-o DIR is required: compare writes a directory of files");
    o.output_is_dir = 1;

    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    ct_corpus *corpus = NULL;
    ct_stopwords *sw = NULL;
    ct_compare *c = NULL;
    ct_reuse *reuse = NULL;
    int held = 0; /* the texts are held (corpus_hold.h) */
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK ||
        (status = cli_load_stopwords(&o, &sw)) != CLI_OK)
        goto cleanup;
    /* Check --group-by and --clusters before the (long) counting. */
    size_t rows = ct_corpus_size(corpus);
    if (o.group_by) {
        ct_grouping *g = NULL;
        rc = ct_grouping_new(&g, corpus, o.group_by, &err);
        if (rc == CT_ENOTFOUND) {
            status = cli_usage_error(&o, "--group-by: %s", err.text);
            goto cleanup;
        }
        if (rc != CT_OK)
            goto failed;
        rows = ct_grouping_size(g);
        ct_grouping_free(g);
    }
    if (!o.group_by && a.time_field && strcmp(a.time_field, "none") != 0 &&
        ct_corpus_field_index(corpus, a.time_field) < 0) {
        status = cli_usage_error(&o, "--time-field: the corpus has no field \"%s\"", a.time_field);
        goto cleanup;
    }
    if (a.clusters && (size_t)a.clusters > rows) {
        status = cli_usage_error(&o, "--clusters: %zu is more than the %zu %s", (size_t)a.clusters,
                                 rows, o.group_by ? "groups" : "documents");
        goto cleanup;
    }
    ct_compare_options co;
    ct_compare_options_init(&co);
    co.full_matrix = a.full_matrix;
    if (a.large)
        co.large_threshold = (size_t)a.large;
    if (a.full_matrix && rows > co.large_threshold)
        fprintf(stderr,
                "comptext compare: warning: --full-matrix on %zu %s: each %zu x %zu matrix takes "
                "%.2f GB and the run needs about %.1f GB\n",
                rows, o.group_by ? "groups" : "documents", rows, rows,
                8.0 * (double)rows * (double)rows / 1e9, ct_compare_full_matrix_bytes(rows) / 1e9);
    co.tok = o.tok;
    co.tok.stopwords = sw;
    cli_tfidf_options(&o, &co.weights);
    co.units = terms.ngrams ? CT_COMPARE_NGRAMS : CT_COMPARE_TERMS;
    if (!terms.ngrams && (status = cli_terms_load_generic(&terms)) != CLI_OK)
        goto cleanup;
    co.terms = terms.topts;
    co.themes = (size_t)a.k;
    co.group_by = o.group_by;
    co.time_field = a.time_field;
    co.linkage = a.linkage;
    co.clusters = (size_t)a.clusters;
    co.threads = o.threads;
    co.progress = cli_progress;
    co.progress_ctx = &o;
    /* When the shared passages will be looked for, the texts are held in memory from the
     * start (corpus_hold.h; the run's own hold then only counts) and released after reuse:
     * each text is still read from its source once. */
    int will_reuse =
        CT_HAVE_PARASAIL && ct_corpus_size(corpus) >= 2 &&
        (a.reuse == 1 || (a.reuse < 0 && !(rows > co.large_threshold && !co.full_matrix)));
    cli_stage(&o, "reading the corpus");
    if (will_reuse && (rc = ct_corpus_hold_texts(corpus, 0, o.threads, &err)) != CT_OK) {
        status = cli_fail(&o, rc, &err);
        goto cleanup;
    }
    held = will_reuse;
    cli_stage(&o, "comparing the documents of the corpus");
    if ((rc = ct_compare_run(&c, corpus, &co, &err)) != CT_OK) {
        /* the library names the option it refuses: "clusters: …" (large mode: more than the
         * communities), else the document frequencies */
        if (rc == CT_EINVAL && strncmp(err.text, "clusters: ", 10) == 0)
            status = cli_usage_error(&o, "--%s", err.text);
        else
            status = rc == CT_EINVAL ? cli_weights_fail(&o, rc, &err) : cli_fail(&o, rc, &err);
        goto cleanup;
    }
    cli_status_clear();
    cli_chrome_summary(&o, corpus); /* the script notes, then what chrome removal took */
    ct_compare_summary s;
    ct_compare_get_summary(c, &s);
    /* as comptext themes says it: a corpus this small is ranked against the shipped list */
    const char *ref_path;
    if (s.rows > 0 && s.rows < CT_THEMES_REFERENCE_BELOW && !o.quiet &&
        (ref_path = ct_reference_default_path()) != NULL)
        fprintf(stderr,
                "comptext compare: note: fewer than 3 documents: themes are ranked against the "
                "shipped reference %s\n",
                ref_path);
    if (s.features == 0)
        fprintf(stderr, "comptext compare: note: no document has any token: the result has no "
                        "terms\n");
    /* Duplicates and outliers: a note each on stderr (the first few; report.html has all). */
    size_t n_notes;
    const ct_compare_note *notes = ct_compare_notes(c, &n_notes);
    for (size_t q = 0; q < n_notes && q < MAX_NOTES; q++) {
        char line[2400];
        ct_compare_format_note(line, sizeof line, c, &notes[q]);
        fputs("comptext compare: note: ", stderr);
        cli_print_escaped(stderr, line);
        putc('\n', stderr);
    }
    if (n_notes > MAX_NOTES)
        fprintf(stderr, "comptext compare: note: %zu more notes on the corpus in report.html\n",
                n_notes - MAX_NOTES);
    char weak[320];
    if (ct_report_weak_clusters(weak, sizeof weak, ct_compare_silhouette(c), ct_compare_k(c)))
        fprintf(stderr, "comptext compare: note: %s\n", weak);
    /* Shared passages, as `comptext reuse CORPUS` finds them with its defaults. */
    ct_compare_reuse cr;
    memset(&cr, 0, sizeof cr);
    ct_reuse_options_init(&cr.opts);
    cr.opts.norm_flags = o.tok.flags & CT_NORM_ALL; /* NFKC, case and script folding */
    cr.opts.threads = o.threads;
    if (a.reuse == 0)
        cr.skipped = "not run (--no-reuse)";
    else if (a.reuse < 0 && ct_compare_is_large(c)) {
        cr.skipped = "not run: in large mode shared passages are looked for only with --reuse "
                     "(on 10 000 short reports they add 13 s of processor time to 17 s, and a "
                     "48 MB reuse.jsonl)";
        fprintf(stderr, "comptext compare: note: shared passages are not looked for in large "
                        "mode unless --reuse is given\n");
    } else if (!CT_HAVE_PARASAIL)
        cr.skipped = "not run: comptext was built without parasail (install libparasail-dev "
                     "and rebuild)";
    else if (ct_corpus_size(corpus) < 2)
        cr.skipped = "not run: shared passages need two documents or more";
    else {
        phase(&o, "reuse (shared passages)");
        cli_stage(&o, "looking for shared passages in the corpus");
        if ((rc = ct_reuse_find(corpus, &cr.opts, &reuse, &err)) != CT_OK)
            goto failed;
        cr.reuse = reuse;
    }
    if (held) {
        ct_corpus_release_texts(corpus);
        held = 0;
    }
    phase(&o, "writing");
    summary_ctx sc = {c, &cr, o.output, 0};
    ct_compare_dir_info info = {a.reuse == 0 ? NULL : &cr, co.large_threshold, co.neighbours};
    if ((rc = ct_compare_write_dir(c, &info, o.output, write_summary, &sc, &err)) != CT_OK) {
        if (sc.failed) {
            status = CLI_FAIL;
            goto cleanup;
        }
        goto failed;
    }
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    cli_status_clear();
    if (held)
        ct_corpus_release_texts(corpus);
    ct_reuse_free(reuse);
    ct_compare_free(c);
    ct_stopwords_free(sw);
    ct_corpus_free(corpus);
    cli_terms_free(&terms);
    return status;
}
