/* cmd_compare.c — `comptext compare [CORPUS...] -o DIR`: the main job.
 *
 * One run gives a researcher everything to look at: the similarity matrix (similarity.csv,
 * the bytes `comptext similarity` writes), the themes (themes.json, as `comptext themes`),
 * the clustering (clusters.tsv, linkage.tsv in scipy's format, dendrogram.nwk), the 2-D map
 * (map.csv), the pictures (heatmap.svg, dendrogram.svg, map.svg), keyness of each group
 * against the rest with --group-by (keyness.tsv), and report.html with all of it; a short
 * plain-text summary goes to standard output. Without a CORPUS it runs on the shipped
 * default corpus.
 *
 * Nothing half-written: the files are built in a stage and moved into place only when every
 * one of them and the summary have been written, all or nothing (ct_outdir, output.c). */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compare_compute.h"
#include "report.h"
#include "svg.h"
#include "table.h"

enum { OPT_LINKAGE = CLI_OPT_OWN, OPT_CLUSTERS };

typedef struct compare_args {
    cli_opts *o;
    compare_result *r;
    ct_linkage linkage;
    long clusters; /* 0: suggested */
    long k;        /* themes a row */
} compare_args;

static int handle(void *state, int val, const char *arg)
{
    compare_args *a = state;
    int rc = cli_terms_handle(&a->r->terms, val, arg);
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
    }
    return CLI_USAGE;
}

/* A phase line on stderr (terminal only, not with --quiet). */
static void phase(const cli_opts *o, const char *what)
{
    if (!o->quiet && isatty(STDERR_FILENO))
        fprintf(stderr, "comptext compare: %s\n", what);
}

/* Characters (code points) of every document. */
static int count_chars(const ct_corpus *corpus, size_t *chars, ct_error *err)
{
    for (size_t d = 0; d < ct_corpus_size(corpus); d++) {
        char *text;
        size_t len;
        int rc = ct_corpus_read_text(corpus, d, &text, &len, err);
        if (rc != CT_OK)
            return rc;
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            n += ((unsigned char)text[i] & 0xC0) != 0x80;
        chars[d] = n;
        ct_free(text);
    }
    return CT_OK;
}

/* A picture into a string (open_memstream), for the file and the report. */
typedef struct picture {
    char *text;
    size_t len;
} picture;

static int write_text_file(ct_outdir *d, const char *name, const char *text, size_t len,
                           ct_error *err)
{
    FILE *f = ct_outdir_file(d, name, err);
    if (!f)
        return err->text[0] ? CT_EIO : CT_ENOMEM;
    fwrite(text, 1, len, f);
    return ct_outdir_close_file(d, f, name, CT_OK, err);
}

static int write_clusters(FILE *f, const compare_result *r, const size_t *clusters)
{
    const size_t *order = ct_cluster_leaf_order(r->tree);
    fputs("id\tcluster\n", f);
    for (size_t q = 0; q < r->n; q++) {
        ct_write_tsv_field(f, r->ids[order[q]]);
        fprintf(f, "\t%zu\n", clusters[order[q]]);
    }
    return CT_OK;
}

static int write_linkage(FILE *f, const compare_result *r)
{
    const double *z = ct_cluster_merges(r->tree);
    fputs("a\tb\theight\tcount\n", f);
    for (size_t i = 0; z && i + 1 < r->n; i++)
        fprintf(f, "%.0f\t%.0f\t%.17g\t%.0f\n", z[4 * i], z[4 * i + 1], z[4 * i + 2], z[4 * i + 3]);
    return CT_OK;
}

static void print_summary(const cli_opts *o, const compare_result *r, const size_t *doc_chars,
                          const ct_corpus *corpus, const size_t *clusters, size_t k,
                          double silhouette)
{
    unsigned long long chars = 0;
    for (size_t d = 0; d < ct_corpus_size(corpus); d++)
        chars += doc_chars[d];
    size_t docs = ct_corpus_size(corpus);
    printf("comptext compare: %zu document%s, %llu characters", docs, docs == 1 ? "" : "s", chars);
    if (o->group_by) {
        printf(", %zu groups by ", r->n);
        cli_print_escaped(stdout, o->group_by);
    }
    size_t len = strlen(o->output);
    while (len > 1 && o->output[len - 1] == '/')
        len--;
    char *shown_dir = strndup(o->output, len);
    printf(" -> ");
    cli_print_escaped(stdout, shown_dir ? shown_dir : "");
    printf("/\n");
    free(shown_dir);
    ct_report_pair pairs[5];
    size_t m = ct_report_top_pairs(r->sim, r->n, pairs, 5);
    if (m) {
        printf("\nMost similar pairs (cosine):\n");
        for (size_t p = 0; p < m; p++) {
            printf("  %.4f  ", pairs[p].sim);
            cli_print_escaped(stdout, r->ids[pairs[p].i]);
            printf("  ");
            cli_print_escaped(stdout, r->ids[pairs[p].j]);
            putchar('\n');
        }
    }
    printf("\nClusters (%s linkage, %zu, mean silhouette %.3f):\n",
           ct_linkage_name(ct_cluster_linkage(r->tree)), k, silhouette);
    const size_t *order = ct_cluster_leaf_order(r->tree);
    for (size_t c = 1; c <= k; c++) {
        size_t shown = 0, members = 0;
        printf("  %zu:", c);
        for (size_t q = 0; q < r->n; q++)
            if (clusters[order[q]] == c && ++members <= 8) {
                putchar(' ');
                cli_print_escaped(stdout, r->ids[order[q]]);
                shown++;
            }
        if (members > shown)
            printf(" ... (%zu more)", members - shown);
        putchar('\n');
    }
    printf("\nTop themes:\n");
    for (size_t i = 0; i < r->n; i++) {
        printf("  ");
        cli_print_escaped(stdout, r->ids[i]);
        putchar(':');
        for (size_t t = 0; t < r->n_themes[i] && t < 6; t++) {
            fputs(t ? ", " : " ", stdout);
            cli_print_escaped(stdout, r->themes[i][t].term);
        }
        putchar('\n');
    }
    printf("\nWrote similarity.csv, themes.json, clusters.tsv, linkage.tsv, dendrogram.nwk, "
           "map.csv, map-axes.csv, heatmap.svg, dendrogram.svg, map.svg%s, report.html\n",
           r->keyness ? ", keyness.tsv" : "");
}

static int write_keyness(FILE *f, const compare_result *r)
{
    static const char *const cols[] = {"id",     "term",     "statistic",  "p",
                                       "effect", "n_target", "n_reference"};
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_TSV, cols, 7);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < r->n; i++)
        for (size_t q = 0; q < r->n_keyness[i]; q++) {
            const ct_report_key *k = &r->keyness[i][q];
            ct_table_text(t, r->ids[i]);
            ct_table_text(t, k->term);
            ct_table_double(t, k->statistic);
            ct_table_double(t, k->p);
            ct_table_double(t, k->effect);
            ct_table_double(t, k->n_target);
            ct_table_double(t, k->n_reference);
        }
    return ct_table_finish(t);
}

int cmd_compare(int argc, char **argv)
{
    static const struct option own[] = {
        {"linkage", required_argument, 0, OPT_LINKAGE},
        {"clusters", required_argument, 0, OPT_CLUSTERS},
        CLI_TERMS_LONG_OPTIONS,
        {0, 0, 0, 0},
    };
    cli_opts o;
    compare_result r;
    compare_result_init(&r, &o);
    compare_args a = {
        .o = &o, .r = &r, .linkage = CT_LINKAGE_AVERAGE, .clusters = 0, .k = CT_THEMES_K_DEFAULT};
    cli_spec spec = {
        .name = "compare",
        .synopsis = "[OPTIONS] [CORPUS...] -o DIR",
        .summary = "Compare the documents: similarity, themes, clusters, a map, pictures and an "
                   "HTML report in DIR.",
        .own_help = "  -k K                     themes a document or group (default: 20)\n"
                    "      --linkage METHOD     average (default), complete, single or ward\n"
                    "      --clusters K         clusters to cut the tree into (default: the K "
                    "with the\n"
                    "                           best mean silhouette, 2 to min(10, N/2))\n"
                    "Term discovery for the themes (as in comptext themes):\n" CLI_TERMS_HELP,
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_OUTPUT,
        .corpus_optional = 1,
        .own_options = own,
        .handle = handle,
        .state = &a,
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
    ct_outdir *d = NULL;
    size_t *doc_chars = NULL, *clusters = NULL;
    ct_mds *map = NULL;
    double *xy = NULL, *dist = NULL, silhouette = 0;
    picture pic[3] = {{0}};
    ct_report rep;

    phase(&o, "reading and counting");
    if ((status = compare_compute(&o, (size_t)a.k, &r)) != CLI_OK)
        goto cleanup;
    if ((rc = ct_outdir_open(&d, o.output, &err)) != CT_OK)
        goto failed;
    doc_chars = calloc(ct_corpus_size(r.corpus) + 1, sizeof *doc_chars);
    clusters = calloc(r.n, sizeof *clusters);
    xy = calloc(2 * r.n, sizeof *xy);
    if (!doc_chars || !clusters || !xy) {
        rc = CT_ENOMEM;
        goto failed;
    }
    if ((rc = count_chars(r.corpus, doc_chars, &err)) != CT_OK)
        goto failed;

    phase(&o, "clustering");
    if ((rc = ct_cluster_new_from_similarity(&r.tree, r.sim, r.n, a.linkage)) != CT_OK)
        goto failed;
    /* the number of clusters: the best mean silhouette on the cosine distances */
    dist = malloc(r.n * r.n * sizeof *dist);
    if (!dist) {
        rc = CT_ENOMEM;
        goto failed;
    }
    for (size_t i = 0; i < r.n * r.n; i++)
        dist[i] = r.sim[i] < 1 ? 1 - r.sim[i] : 0;
    size_t k = a.clusters ? (size_t)a.clusters : ct_cluster_suggest_k(r.tree, dist);
    if (k == 0) {
        rc = CT_ENOMEM;
        goto failed;
    }
    if (k > r.n) {
        status = cli_usage_error(&o, "--clusters: %zu is more than the %zu %s", k, r.n,
                                 o.group_by ? "groups" : "documents");
        goto cleanup;
    }
    if ((rc = ct_cluster_cut(r.tree, k, clusters)) != CT_OK)
        goto failed;
    if (k >= 2 && k < r.n &&
        (rc = ct_cluster_silhouette(dist, r.n, clusters, k, &silhouette)) != CT_OK)
        goto failed;
    phase(&o, "map");
    if ((rc = ct_mds_new_from_similarity(&map, r.sim, r.n, 2)) != CT_OK)
        goto failed;
    memcpy(xy, ct_mds_coords(map), 2 * r.n * sizeof *xy);

    phase(&o, "writing");
    FILE *f;
    /* similarity.csv, themes.json: the bytes of `comptext similarity` and `comptext themes` */
#define WRITE(name, call)                                                                          \
    do {                                                                                           \
        if (!(f = ct_outdir_file(d, name, &err))) {                                                \
            rc = err.text[0] ? CT_EIO : CT_ENOMEM;                                                 \
            goto failed;                                                                           \
        }                                                                                          \
        rc = ct_outdir_close_file(d, f, name, (call), &err);                                       \
        if (rc != CT_OK)                                                                           \
            goto failed;                                                                           \
    } while (0)
    WRITE("similarity.csv", compare_write_similarity(f, &r));
    WRITE("themes.json", compare_write_themes(f, &r));
    WRITE("clusters.tsv", write_clusters(f, &r, clusters));
    WRITE("linkage.tsv", write_linkage(f, &r));
    WRITE("dendrogram.nwk", ct_cluster_write_newick(r.tree, r.ids, f));
    WRITE("map.csv", ct_mds_write_csv(map, r.ids, f));
    WRITE("map-axes.csv", ct_mds_write_axes_csv(map, f));
    if (r.keyness)
        WRITE("keyness.tsv", write_keyness(f, &r));
    const char *what =
        o.group_by ? (r.n == 1 ? "group" : "groups") : (r.n == 1 ? "document" : "documents");
    char title[3][96];
    snprintf(title[0], sizeof title[0], "Cosine similarity of %zu %s", r.n, what);
    snprintf(title[1], sizeof title[1], "Dendrogram (%s linkage)", ct_linkage_name(a.linkage));
    snprintf(title[2], sizeof title[2], "Map of %zu %s (classical MDS)", r.n, what);
    static const char *const names[3] = {"heatmap.svg", "dendrogram.svg", "map.svg"};
    for (int p = 0; p < 3; p++) {
        FILE *m = open_memstream(&pic[p].text, &pic[p].len);
        if (!m) {
            rc = CT_ENOMEM;
            goto failed;
        }
        if (p == 0)
            rc = ct_svg_heatmap(m, r.sim, r.n, r.ids, ct_cluster_leaf_order(r.tree), title[0]);
        else if (p == 1)
            rc = ct_svg_dendrogram(m, r.tree, r.ids, clusters, title[1]);
        else
            rc = ct_svg_map(m, xy, r.n, r.ids, clusters, ct_mds_variance_share(map, 0),
                            ct_mds_variance_share(map, 1), title[2]);
        if (fclose(m) != 0 && rc == CT_OK)
            rc = CT_ENOMEM;
        if (rc != CT_OK)
            goto failed;
        if ((rc = write_text_file(d, names[p], pic[p].text, pic[p].len, &err)) != CT_OK)
            goto failed;
    }
    memset(&rep, 0, sizeof rep);
    rep.settings = r.settings;
    rep.corpus = r.corpus;
    rep.doc_chars = doc_chars;
    rep.group_by = o.group_by;
    rep.n = r.n;
    rep.ids = r.ids;
    rep.sim = r.sim;
    rep.tree = r.tree;
    rep.clusters = clusters;
    rep.k = k;
    rep.k_given = a.clusters != 0;
    rep.silhouette = silhouette;
    rep.xy = xy;
    rep.share[0] = ct_mds_variance_share(map, 0);
    rep.share[1] = ct_mds_variance_share(map, 1);
    rep.themes = (const ct_report_theme *const *)r.themes;
    rep.n_themes = r.n_themes;
    rep.keyness_measure = "G² (log-likelihood)";
    rep.keyness = (const ct_report_key *const *)r.keyness;
    rep.n_keyness = r.n_keyness;
    rep.kwic = r.kwic;
    rep.n_kwic = r.n_kwic;
    rep.heatmap_svg = pic[0].text;
    rep.dendrogram_svg = pic[1].text;
    rep.map_svg = pic[2].text;
    WRITE("report.html", ct_report_write_html(f, &rep));
#undef WRITE
    /* The summary first: when it cannot be written, nothing is replaced. */
    print_summary(&o, &r, doc_chars, r.corpus, clusters, k, silhouette);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "comptext compare: standard output: write failed: %s\n", strerror(errno));
        status = CLI_FAIL;
        goto cleanup;
    }
    if ((rc = ct_outdir_commit(d, &err)) != CT_OK)
        goto failed;
    d = NULL;
failed:
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_outdir_abort(d);
    for (int p = 0; p < 3; p++)
        free(pic[p].text);
    ct_mds_free(map);
    free(xy);
    free(dist);
    free(clusters);
    free(doc_chars);
    compare_result_free(&r);
    return status;
}
