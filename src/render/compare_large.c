/* compare_large.c — a large-mode compare result made ready for the big-corpus report, and
 * the files that replace the document-level ones (see compare_dir.h).
 *
 * Everything here is bounded by the clusters and fixed caps, and costs O(n log n) at most:
 * the strongest pairs (ct_compare_top_pairs), each cluster's size, its mean cosine within
 * (the diagonal of ct_compare_cluster_similarity), its themes — its members' themes summed,
 * the best CLUSTER_THEMES — and its CLUSTER_MEMBERS most connected members (the most
 * neighbours inside the cluster, then the highest sum of their cosines, then row order), the
 * notes counted by kind with the first NOTES_SHOWN of each, the documents' lengths, the
 * clusters' heatmap (the first HEATMAP_CLUSTERS clusters) and the density map. neighbours.tsv
 * (each row's top K, as `comptext similarity --top K` writes them) and notes.tsv are written
 * here too. Orders have full tie-breaks, so the bytes depend only on the result. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_dir.h"
#include "comptext/alloc.h"
#include "comptext/vocab.h"
#include "output.h"
#include "report.h"
#include "svg.h"
#include "table.h"
#include "sort.h"

enum {
    CLUSTER_MEMBERS = 30,
    CLUSTER_THEMES = 8,
    CLUSTERS_SHOWN = 200,
    NOTES_SHOWN = 20,
    HEATMAP_CLUSTERS = 60,
};

int ct_compare_write_neighbours(FILE *f, const ct_compare *c)
{
    static const char *const cols[] = {"id", "neighbour", "score"};
    const char *const *ids = ct_compare_ids(c);
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_TSV, cols, 3);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_compare_rows(c); i++) {
        size_t k;
        const ct_compare_neighbour *nb = ct_compare_neighbours(c, i, &k);
        for (size_t q = 0; q < k; q++) {
            ct_table_text(t, ids[i]);
            ct_table_text(t, ids[nb[q].row]);
            ct_table_double(t, nb[q].sim);
        }
    }
    return ct_table_finish(t);
}

static const char *const note_kind_name[4] = {"duplicate", "near-duplicate", "few-tokens", "short"};
static const char *const note_kind_what[4] = {
    "exact duplicates (the same text)", "near-duplicates (cosine 0.98 or more)",
    "documents with almost no tokens", "documents far shorter than the median"};

int ct_compare_write_notes(FILE *f, const ct_compare *c)
{
    static const char *const cols[] = {"kind", "a", "b", "value"};
    const ct_corpus *corpus = ct_compare_corpus(c);
    const char *const *ids = ct_compare_ids(c);
    size_t n;
    const ct_compare_note *notes = ct_compare_notes(c, &n);
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_TSV, cols, 4);
    if (rc != CT_OK)
        return rc;
    for (size_t q = 0; q < n; q++) {
        const ct_compare_note *x = &notes[q];
        int rows = x->kind == CT_NOTE_NEAR_DUPLICATE, pair = x->kind <= CT_NOTE_NEAR_DUPLICATE;
        ct_table_text(t, note_kind_name[x->kind]);
        ct_table_text(t, rows ? ids[x->a] : ct_corpus_id(corpus, x->a));
        ct_table_text(t, !pair ? "" : rows ? ids[x->b] : ct_corpus_id(corpus, x->b));
        ct_table_double(t, x->value);
    }
    return ct_table_finish(t);
}

void ct_compare_large_data_free(ct_compare_large_data *d)
{
    ct_free(d->pairs);
    ct_free(d->clusters);
    ct_free(d->members);
    ct_free(d->themes);
    free(d->cluster_svg);
    free(d->map_svg);
    for (size_t i = 0; i < d->n_note_lines; i++)
        ct_free(d->note_lines[i]);
    ct_free(d->note_lines);
    for (size_t i = 0; d->legend && i <= d->k; i++)
        ct_free(d->legend[i]);
    ct_free(d->legend);
    memset(d, 0, sizeof *d);
}

typedef struct member {
    size_t row, cluster, inside;
    double sum;
} member;

static int by_member(const void *x, const void *y)
{
    const member *a = x, *b = y;
    if (a->cluster != b->cluster) /* clusters 1..k, then the outliers (0) */
        return a->cluster == 0 ? 1 : b->cluster == 0 ? -1 : a->cluster < b->cluster ? -1 : 1;
    if (a->inside != b->inside)
        return a->inside > b->inside ? -1 : 1;
    if (a->sum != b->sum)
        return a->sum > b->sum ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

typedef struct scored {
    size_t term;
    double score;
} scored;

static int by_score(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->term < b->term ? -1 : a->term > b->term;
}

static int by_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return a < b ? -1 : a > b;
}

/* Each cluster's themes: its members' theme scores summed, the best CLUSTER_THEMES. */
static int cluster_themes(ct_compare_large_data *d, const ct_compare *c, const member *m, size_t n)
{
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    size_t terms = ct_vocab_size(v);
    double *acc = ct_calloc(terms + 1, sizeof *acc);
    scored *touched = ct_calloc(terms + 1, sizeof *touched);
    int rc = CT_ENOMEM;
    if (!acc || !touched)
        goto cleanup;
    for (size_t q = 0, start = 0; q < d->rep.n_clusters; q++) {
        ct_report_cluster *cl = &d->clusters[q];
        while (start < n && m[start].cluster != cl->id)
            start++;
        size_t nt = 0;
        for (size_t i = start; i < n && m[i].cluster == cl->id; i++) {
            size_t k;
            const ct_theme *th = ct_compare_row_themes(c, m[i].row, &k);
            for (size_t t = 0; th && t < k; t++) {
                if (acc[th[t].term] == 0)
                    touched[nt++].term = th[t].term;
                acc[th[t].term] += th[t].score;
            }
        }
        for (size_t t = 0; t < nt; t++) {
            touched[t].score = acc[touched[t].term];
            acc[touched[t].term] = 0;
        }
        ct_sort(touched, nt, sizeof *touched, by_score);
        cl->themes = d->themes + q * CLUSTER_THEMES;
        cl->n_themes = nt < CLUSTER_THEMES ? nt : CLUSTER_THEMES;
        for (size_t t = 0; t < cl->n_themes; t++)
            d->themes[q * CLUSTER_THEMES + t] =
                (ct_report_theme){ct_vocab_term(v, touched[t].term), touched[t].score};
    }
    rc = CT_OK;
cleanup:
    ct_free(acc);
    ct_free(touched);
    return rc;
}

static int cluster_pictures(ct_compare_large_data *d, const ct_compare *c)
{
    size_t k = d->k;
    const char *what = ct_compare_grouping(c) ? "groups" : "documents";
    int rc = CT_ENOMEM;
    /* legend labels: a cluster's two best themes */
    if (!(d->legend = ct_calloc(k + 1, sizeof *d->legend)))
        return CT_ENOMEM;
    for (size_t q = 0; q < d->rep.n_clusters; q++) {
        const ct_report_cluster *cl = &d->clusters[q];
        if (!cl->id || cl->id > k || !cl->n_themes)
            continue;
        size_t len =
            strlen(cl->themes[0].term) + (cl->n_themes > 1 ? strlen(cl->themes[1].term) : 0);
        if (!(d->legend[cl->id] = ct_malloc(len + 8)))
            return CT_ENOMEM;
        snprintf(d->legend[cl->id], len + 8, "%s%s%s", cl->themes[0].term,
                 cl->n_themes > 1 ? " · " : "", cl->n_themes > 1 ? cl->themes[1].term : "");
    }
    const ct_mds *map = ct_compare_map(c);
    char title[128];
    snprintf(title, sizeof title, "Map of %zu %s (binned)", ct_compare_rows(c), what);
    size_t len = 0;
    FILE *f = open_memstream(&d->map_svg, &len);
    if (!f)
        return CT_ENOMEM;
    rc = ct_svg_density(f, ct_mds_coords(map), ct_compare_rows(c), ct_compare_clusters(c), k,
                        (const char *const *)d->legend, ct_mds_variance_share(map, 0),
                        ct_mds_variance_share(map, 1), what, title);
    if (fclose(f) != 0 && rc == CT_OK)
        rc = CT_ENOMEM;
    d->map_len = len;
    if (rc != CT_OK)
        return rc;
    return ct_compare_cluster_heatmap(c, &d->cluster_svg, &d->cluster_len);
}

int ct_compare_cluster_heatmap(const ct_compare *c, char **svg, size_t *len)
{
    size_t k = ct_compare_k(c), shown = k < HEATMAP_CLUSTERS ? k : HEATMAP_CLUSTERS;
    const double *sim = ct_compare_cluster_similarity(c);
    *svg = NULL;
    *len = 0;
    if (!sim || !shown)
        return CT_OK;
    double *m = ct_malloc(shown * shown * sizeof *m);
    const char **labels = ct_calloc(shown, sizeof *labels);
    char(*names)[24] = ct_calloc(shown, sizeof *names);
    size_t *swatch = ct_calloc(shown, sizeof *swatch);
    int rc = CT_ENOMEM;
    if (m && labels && names && swatch) {
        for (size_t a = 0; a < shown; a++) {
            for (size_t b = 0; b < shown; b++)
                m[a * shown + b] = sim[a * k + b];
            snprintf(names[a], sizeof names[a], "%zu", a + 1);
            labels[a] = names[a];
            swatch[a] = a + 1;
        }
        char title[96];
        snprintf(title, sizeof title, "Mean cosine between clusters%s",
                 shown < k ? " (the first clusters)" : "");
        FILE *f = open_memstream(svg, len);
        if (f) {
            ct_svg_matrix_style st = {title, "clsim", "mean cosine", 0, 3};
            rc = ct_svg_matrix(f, m, shown, labels, swatch, &st);
            if (fclose(f) != 0 && rc == CT_OK)
                rc = CT_ENOMEM;
        }
    }
    ct_free(m);
    ct_free(labels);
    ct_free(names);
    ct_free(swatch);
    return rc;
}

int ct_compare_large_data_fill(ct_compare_large_data *d, const ct_compare *c, size_t threshold,
                               size_t neighbours)
{
    memset(d, 0, sizeof *d);
    size_t n = ct_compare_rows(c), k = ct_compare_k(c);
    const size_t *clusters = ct_compare_clusters(c);
    const char *const *ids = ct_compare_ids(c);
    d->k = k;
    d->rep.threshold = threshold;
    d->rep.neighbours = neighbours;
    d->rep.silhouette_sample = ct_compare_silhouette_sample(c);
    /* the strongest pairs */
    size_t np;
    const ct_compare_pair *pairs = ct_compare_top_pairs(c, &np);
    if (!(d->pairs = ct_calloc(np + 1, sizeof *d->pairs)))
        return CT_ENOMEM;
    for (size_t q = 0; q < np; q++)
        d->pairs[q] = (ct_report_pair){pairs[q].a, pairs[q].b, pairs[q].sim};
    d->rep.pairs = d->pairs;
    d->rep.n_pairs = np;
    /* the documents' lengths */
    const ct_corpus *corpus = ct_compare_corpus(c);
    size_t docs = ct_corpus_size(corpus);
    size_t *len = ct_malloc((docs + 1) * sizeof *len);
    if (!len)
        return CT_ENOMEM;
    memcpy(len, ct_compare_doc_chars(c), docs * sizeof *len);
    ct_sort(len, docs, sizeof *len, by_size);
    if (docs) {
        d->rep.chars_min = len[0];
        d->rep.chars_median = len[docs / 2];
        d->rep.chars_max = len[docs - 1];
    }
    ct_free(len);
    /* members, the most connected first */
    member *m = ct_calloc(n + 1, sizeof *m);
    if (!m)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t cnt;
        const ct_compare_neighbour *nb = ct_compare_neighbours(c, i, &cnt);
        m[i] = (member){i, clusters[i], 0, 0};
        for (size_t q = 0; q < cnt; q++)
            if (clusters[nb[q].row] == clusters[i]) {
                m[i].inside++;
                m[i].sum += nb[q].sim;
            }
    }
    ct_sort(m, n, sizeof *m, by_member);
    size_t groups = 0; /* clusters shown: 1..k with members, then the outliers */
    for (size_t i = 0; i < n; i++)
        groups += i == 0 || m[i].cluster != m[i - 1].cluster;
    if (groups > CLUSTERS_SHOWN)
        groups = CLUSTERS_SHOWN;
    d->clusters = ct_calloc(groups + 1, sizeof *d->clusters);
    d->members = ct_calloc(groups * CLUSTER_MEMBERS + 1, sizeof *d->members);
    d->themes = ct_calloc(groups * CLUSTER_THEMES + 1, sizeof *d->themes);
    int rc = CT_ENOMEM;
    if (!d->clusters || !d->members || !d->themes)
        goto cleanup;
    const double *csim = ct_compare_cluster_similarity(c);
    size_t g = 0;
    for (size_t i = 0; i < n && g < groups;) {
        size_t j = i;
        while (j < n && m[j].cluster == m[i].cluster)
            j++;
        ct_report_cluster *cl = &d->clusters[g];
        cl->id = m[i].cluster;
        cl->size = j - i;
        cl->within = cl->id && csim && cl->id <= k ? csim[(cl->id - 1) * k + cl->id - 1] : NAN;
        cl->members = d->members + g * CLUSTER_MEMBERS;
        cl->n_members = cl->size < CLUSTER_MEMBERS ? cl->size : CLUSTER_MEMBERS;
        for (size_t q = 0; q < cl->n_members; q++)
            d->members[g * CLUSTER_MEMBERS + q] = ids[m[i + q].row];
        g++;
        i = j;
    }
    d->rep.clusters = d->clusters;
    d->rep.n_clusters = g;
    if ((rc = cluster_themes(d, c, m, n)) != CT_OK)
        goto cleanup;
    /* the notes by kind */
    size_t nn;
    const ct_compare_note *notes = ct_compare_notes(c, &nn);
    rc = CT_ENOMEM;
    if (!(d->note_lines = ct_calloc(4 * NOTES_SHOWN + 1, sizeof *d->note_lines)))
        goto cleanup;
    d->n_note_lines = 4 * NOTES_SHOWN;
    for (int kind = 0; kind < 4; kind++) {
        ct_report_note_kind *nk = &d->kinds[kind];
        nk->what = note_kind_what[kind];
        nk->shown = (const char *const *)(d->note_lines + kind * NOTES_SHOWN);
    }
    for (size_t q = 0; q < nn; q++) {
        ct_report_note_kind *nk = &d->kinds[notes[q].kind];
        nk->count++;
        if (nk->n_shown == NOTES_SHOWN)
            continue;
        int l = ct_compare_format_note(NULL, 0, c, &notes[q]);
        char *line = l >= 0 ? ct_malloc((size_t)l + 1) : NULL;
        if (!line)
            goto cleanup;
        ct_compare_format_note(line, (size_t)l + 1, c, &notes[q]);
        d->note_lines[notes[q].kind * NOTES_SHOWN + nk->n_shown++] = line;
    }
    d->rep.note_kinds = d->kinds;
    d->rep.n_note_kinds = 4;
    if ((rc = cluster_pictures(d, c)) != CT_OK)
        goto cleanup;
    d->rep.cluster_svg = d->cluster_svg;
    rc = CT_OK;
cleanup:
    ct_free(m);
    return rc;
}
