/* compare_probe.c — runs the library's compare on a corpus in the full and the large mode
 * and writes what each computed, for the Python checks of test_compare_modes.py and for
 * tools/measure_map.py --landmark (the distortion of the large mode's map):
 *
 *   compare_probe CORPUS THRESHOLD OUTDIR [full|large|both]
 *
 * writes OUTDIR/MODE.json (rows, ids, seconds, neighbours, clusters, k, silhouette and its
 * sample, cuts, cluster similarity, the map, the top pairs, notes) and, for the full mode,
 * OUTDIR/full.sim (the N × N similarity as doubles). THRESHOLD is the large mode's
 * large_threshold. Public headers only, like a user's program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <comptext.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double t_start;

/* Each phase's start on stderr, with the seconds since the run began. */
static void progress(void *ctx, const char *what, size_t done, size_t total)
{
    (void)ctx;
    (void)total;
    static char last[32];
    if (strcmp(last, what) != 0) {
        fprintf(stderr, "compare_probe: %7.2f s %s\n", now() - t_start, what);
        snprintf(last, sizeof last, "%s", what);
    }
    (void)done;
}

static void json_string(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            putc(*s, f);
    }
    putc('"', f);
}

static int run(const ct_corpus *corpus, int large, size_t threshold, const char *dir)
{
    ct_compare_options o;
    ct_compare_options_init(&o);
    if (large)
        o.large_threshold = threshold;
    else
        o.full_matrix = 1;
    o.kwic_themes = 0;
    o.progress = progress;
    ct_compare *c = NULL;
    ct_error err;
    ct_error_clear(&err);
    double t0 = now();
    t_start = t0;
    int rc = ct_compare_run(&c, corpus, &o, &err);
    double dt = now() - t0;
    if (rc != CT_OK) {
        fprintf(stderr, "compare_probe: %s: %s\n", ct_strerror(rc), err.text);
        return 1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.json", dir, large ? "large" : "full");
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    size_t n = ct_compare_rows(c), cnt;
    fprintf(f, "{\"large\": %d, \"rows\": %zu, \"seconds\": %.3f,\n\"ids\": [",
            ct_compare_is_large(c), n, dt);
    const char *const *ids = ct_compare_ids(c);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', f);
        json_string(f, ids[i]);
    }
    fputs("],\n\"neighbours\": [", f);
    for (size_t i = 0; i < n; i++) {
        const ct_compare_neighbour *nb = ct_compare_neighbours(c, i, &cnt);
        fputs(i ? ",[" : "[", f);
        for (size_t q = 0; q < cnt; q++)
            fprintf(f, "%s[%zu,%.17g]", q ? "," : "", nb[q].row, nb[q].sim);
        putc(']', f);
    }
    size_t k = ct_compare_k(c);
    const size_t *cl = ct_compare_clusters(c);
    fprintf(
        f,
        "],\n\"k\": %zu, \"k_given\": %d, \"silhouette\": %.17g, \"sample\": %zu,\n\"clusters\": [",
        k, ct_compare_k_given(c), ct_compare_silhouette(c), ct_compare_silhouette_sample(c));
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%zu", i ? "," : "", cl[i]);
    const ct_cluster_cut_score *cuts = ct_compare_cuts(c, &cnt);
    fputs("],\n\"cuts\": [", f);
    for (size_t q = 0; q < cnt; q++)
        fprintf(f, "%s[%zu,%zu,%zu,%.17g]", q ? "," : "", cuts[q].k, cuts[q].clusters,
                cuts[q].outliers, cuts[q].silhouette);
    fputs("],\n\"cluster_similarity\": [", f);
    const double *cs = ct_compare_cluster_similarity(c);
    for (size_t q = 0; cs && q < k * k; q++)
        fprintf(f, "%s%.17g", q ? "," : "", cs[q]);
    fputs("],\n\"map\": [", f);
    const double *xy = ct_mds_coords(ct_compare_map(c));
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s[%.17g,%.17g]", i ? "," : "", xy[2 * i], xy[2 * i + 1]);
    fputs("],\n\"pairs\": [", f);
    const ct_compare_pair *pairs = ct_compare_top_pairs(c, &cnt);
    for (size_t q = 0; q < cnt; q++)
        fprintf(f, "%s[%zu,%zu,%.17g]", q ? "," : "", pairs[q].a, pairs[q].b, pairs[q].sim);
    fputs("],\n\"notes\": [", f);
    const ct_compare_note *notes = ct_compare_notes(c, &cnt);
    for (size_t q = 0; q < cnt; q++)
        fprintf(f, "%s[%d,%zu,%zu,%.17g]", q ? "," : "", (int)notes[q].kind, notes[q].a, notes[q].b,
                notes[q].value);
    fprintf(f, "],\n\"tree\": %d, \"similarity\": %d}\n", ct_compare_tree(c) != NULL,
            ct_compare_similarity(c) != NULL);
    fclose(f);
    const double *sim = ct_compare_similarity(c);
    if (sim) {
        snprintf(path, sizeof path, "%s/full.sim", dir);
        FILE *g = fopen(path, "wb");
        if (!g || fwrite(sim, sizeof *sim, n * n, g) != n * n)
            return 1;
        fclose(g);
    }
    fprintf(stderr, "compare_probe: %s mode, %zu rows: %.2f s\n", large ? "large" : "full", n, dt);
    ct_compare_free(c);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: compare_probe CORPUS THRESHOLD OUTDIR [full|large|both]\n");
        return 2;
    }
    const char *which = argc > 4 ? argv[4] : "both";
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus = NULL;
    ct_error err;
    ct_error_clear(&err);
    if (ct_corpus_new(&corpus, &ro) != CT_OK || ct_corpus_add(corpus, argv[1], &err) != CT_OK) {
        fprintf(stderr, "compare_probe: %s: %s\n", argv[1], err.text);
        return 1;
    }
    size_t threshold = (size_t)strtoul(argv[2], NULL, 10);
    int rc = 0;
    if (strcmp(which, "large") != 0)
        rc |= run(corpus, 0, threshold, argv[3]);
    if (strcmp(which, "full") != 0)
        rc |= run(corpus, 1, threshold, argv[3]);
    ct_corpus_free(corpus);
    return rc;
}
