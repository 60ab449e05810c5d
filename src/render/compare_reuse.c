/* compare_reuse.c — the shared passages of a compare run, made ready for the report (see
 * compare_dir.h).
 *
 * From the reuse result (comptext/reuse.h) it picks what the report's section shows, bounded
 * whatever the corpus size: the REUSE_TOP longest passages that are not boilerplate (length,
 * then identity, then their order in reuse.jsonl), one a passage cluster (the documents that
 * share one text give a pair each), the REUSE_BOILERPLATE largest boilerplate
 * clusters with the longest passage of each, and the matrix of characters shared between the
 * rows' groups — the groups of --group-by, else the clusters of the cut (outliers as one
 * more row) — cut to the REUSE_GROUPS groups that share the most. Everything is ordered with
 * full tie-breaks, so the report's bytes depend only on the result. */
#include <stdlib.h>
#include <string.h>

#include "compare_dir.h"
#include "comptext/alloc.h"
#include "report.h"
#include "svg.h"
#include "sort.h"

enum { REUSE_TOP = 20, REUSE_BOILERPLATE = 5, REUSE_GROUPS = 40 };

typedef struct ranked {
    size_t i;    /* passage, cluster or group */
    double key1; /* descending */
    double key2; /* descending */
} ranked;

static int by_keys(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (a->key1 != b->key1)
        return a->key1 > b->key1 ? -1 : 1;
    if (a->key2 != b->key2)
        return a->key2 > b->key2 ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

void ct_compare_reuse_data_free(ct_compare_reuse_data *d)
{
    ct_free(d->top);
    ct_free(d->boilerplate);
    free(d->matrix_svg);
    memset(d, 0, sizeof *d);
}

/* The group (a row of the matrix before the cut) of document doc. */
static size_t group_of(const ct_compare *c, size_t doc)
{
    const ct_grouping *g = ct_compare_grouping(c);
    return g ? ct_grouping_of(g, doc) : ct_compare_clusters(c)[doc];
}

static int fill_matrix(ct_compare_reuse_data *d, const ct_compare *c, const ct_reuse *reuse)
{
    const ct_grouping *g = ct_compare_grouping(c);
    size_t groups = g ? ct_grouping_size(g) : ct_compare_k(c) + 1; /* clusters: 0 outliers */
    size_t np = ct_reuse_count(reuse);
    double *total = ct_calloc(groups + 1, sizeof *total);
    ranked *rank = ct_calloc(groups + 1, sizeof *rank);
    size_t *slot = ct_malloc((groups + 1) * sizeof *slot);
    double *m = NULL;
    const char **labels = NULL;
    char(*names)[32] = NULL;
    size_t *swatch = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = CT_ENOMEM;
    if (!total || !rank || !slot)
        goto cleanup;
    for (size_t i = 0; i < np; i++) {
        const ct_reuse_passage *p = ct_reuse_get(reuse, i);
        if (p->boilerplate)
            continue;
        size_t ga = group_of(c, p->a), gb = group_of(c, p->b);
        total[ga] += (double)p->length;
        if (gb != ga)
            total[gb] += (double)p->length;
    }
    size_t with = 0;
    for (size_t q = 0; q < groups; q++)
        if (total[q] > 0)
            rank[with++] = (ranked){q, total[q], 0};
    d->rep.matrix_groups = with;
    if (with == 0) {
        rc = CT_OK;
        goto cleanup;
    }
    ct_sort(rank, with, sizeof *rank, by_keys);
    size_t shown = with < REUSE_GROUPS ? with : REUSE_GROUPS;
    /* rows in group order (clusters 1..k, outliers last), not by total */
    for (size_t q = 0; q < groups; q++)
        slot[q] = (size_t)-1;
    for (size_t s = 0; s < shown; s++)
        slot[rank[s].i] = 0;
    size_t next = 0;
    for (size_t step = 0; step < groups; step++) {
        size_t q = g ? step : (step + 1) % groups; /* clusters: 1..k, then 0 */
        if (slot[q] == 0) {
            slot[q] = next;
            rank[next++].i = q;
        }
    }
    m = ct_calloc(shown * shown, sizeof *m);
    labels = ct_calloc(shown, sizeof *labels);
    names = ct_calloc(shown, sizeof *names);
    swatch = g ? NULL : ct_calloc(shown, sizeof *swatch);
    if (!m || !labels || !names || (!g && !swatch))
        goto cleanup;
    for (size_t i = 0; i < np; i++) {
        const ct_reuse_passage *p = ct_reuse_get(reuse, i);
        if (p->boilerplate)
            continue;
        size_t a = slot[group_of(c, p->a)], b = slot[group_of(c, p->b)];
        if (a == (size_t)-1 || b == (size_t)-1)
            continue;
        m[a * shown + b] += (double)p->length;
        if (a != b)
            m[b * shown + a] += (double)p->length;
    }
    for (size_t s = 0; s < shown; s++) {
        size_t q = rank[s].i;
        if (g) {
            labels[s] = ct_grouping_name(g, q);
        } else {
            if (q)
                snprintf(names[s], sizeof names[s], "cluster %zu", q);
            else
                snprintf(names[s], sizeof names[s], "outliers");
            labels[s] = names[s];
            swatch[s] = q;
        }
    }
    FILE *f = open_memstream(&text, &len);
    if (!f)
        goto cleanup;
    char title[160];
    if (g)
        snprintf(title, sizeof title, "Characters shared between groups by %.100s",
                 ct_grouping_field(g));
    else
        snprintf(title, sizeof title, "Characters shared between clusters");
    ct_svg_matrix_style st = {title, "reuse", "characters", 1, 0};
    rc = ct_svg_matrix(f, m, shown, labels, swatch, &st);
    if (fclose(f) != 0 && rc == CT_OK)
        rc = CT_ENOMEM;
    if (rc != CT_OK)
        goto cleanup;
    snprintf(d->what, sizeof d->what, "%s%.100s", g ? "groups by " : "the clusters of the cut",
             g ? ct_grouping_field(g) : "");
    d->rep.matrix_what = d->what;
    d->rep.matrix_shown = shown;
    d->matrix_svg = text;
    d->rep.matrix_svg = text;
    text = NULL;
    rc = CT_OK;
cleanup:
    free(text);
    ct_free(total);
    ct_free(rank);
    ct_free(slot);
    ct_free(m);
    ct_free(labels);
    ct_free(names);
    ct_free(swatch);
    return rc;
}

int ct_compare_reuse_data_fill(ct_compare_reuse_data *d, const ct_compare *c,
                               const ct_compare_reuse *cr)
{
    memset(d, 0, sizeof *d);
    d->rep.skipped = cr->skipped;
    d->rep.min_length = cr->opts.min_length;
    d->rep.min_identity = cr->opts.min_identity;
    d->rep.shingle = cr->opts.shingle;
    d->rep.boilerplate_docs = cr->opts.boilerplate_docs;
    const ct_reuse *reuse = cr->reuse;
    if (!reuse) {
        if (!d->rep.skipped)
            d->rep.skipped = "not run";
        return CT_OK;
    }
    const ct_corpus *corpus = ct_compare_corpus(c);
    size_t np = ct_reuse_count(reuse);
    d->rep.passages = np;
    d->rep.candidates = ct_reuse_candidates(reuse);
    size_t clusters = 0; /* cluster numbers run from 0 in order of first passage */
    for (size_t i = 0; i < np; i++)
        if (ct_reuse_get(reuse, i)->cluster + 1 > clusters)
            clusters = ct_reuse_get(reuse, i)->cluster + 1;
    ranked *rank = ct_calloc(np + 1, sizeof *rank);
    ranked *cl = ct_calloc(np + 1, sizeof *cl);
    size_t *where = ct_malloc((clusters + 1) * sizeof *where);
    if (!rank || !cl || !where) {
        ct_free(rank);
        ct_free(cl);
        ct_free(where);
        return CT_ENOMEM;
    }
    for (size_t q = 0; q < clusters; q++)
        where[q] = (size_t)-1;
    /* Passages that are not boilerplate, longest first; pairs of documents among them (the
     * passages come sorted by a, then b); boilerplate clusters with their longest passage. */
    size_t nr = 0, ncl = 0;
    size_t last_a = (size_t)-1, last_b = (size_t)-1;
    for (size_t i = 0; i < np; i++) {
        const ct_reuse_passage *p = ct_reuse_get(reuse, i);
        if (p->boilerplate) {
            d->rep.boilerplate_total++;
            size_t q = where[p->cluster];
            if (q == (size_t)-1) {
                where[p->cluster] = ncl;
                cl[ncl++] = (ranked){i, (double)p->cluster_size, (double)p->length};
            } else if ((double)p->length > cl[q].key2) {
                cl[q] = (ranked){i, (double)p->cluster_size, (double)p->length};
            }
            continue;
        }
        rank[nr++] = (ranked){i, (double)p->length, p->identity};
        if (p->a != last_a || p->b != last_b)
            d->rep.pairs++;
        last_a = p->a;
        last_b = p->b;
    }
    ct_sort(rank, nr, sizeof *rank, by_keys);
    /* one passage a cluster (the longest): the documents that share one text give a pair
     * each, and the table would show the same text over and over */
    for (size_t q = 0; q < clusters; q++)
        where[q] = 0;
    size_t kept = 0;
    for (size_t q = 0; q < nr; q++) {
        size_t id = ct_reuse_get(reuse, rank[q].i)->cluster;
        if (!where[id]) {
            where[id] = 1;
            rank[kept++] = rank[q];
        }
    }
    d->rep.distinct = kept;
    nr = kept;
    ct_free(where);
    /* clusters by size, then the order of their first passage in reuse.jsonl */
    for (size_t q = 0; q < ncl; q++)
        cl[q].key2 = -(double)ct_reuse_get(reuse, cl[q].i)->cluster;
    ct_sort(cl, ncl, sizeof *cl, by_keys);
    d->rep.n_boilerplate_clusters = ncl;
    d->rep.n_top = nr < REUSE_TOP ? nr : REUSE_TOP;
    d->rep.n_boilerplate = ncl < REUSE_BOILERPLATE ? ncl : REUSE_BOILERPLATE;
    d->top = ct_calloc(d->rep.n_top + 1, sizeof *d->top);
    d->boilerplate = ct_calloc(d->rep.n_boilerplate + 1, sizeof *d->boilerplate);
    int rc = CT_ENOMEM;
    if (d->top && d->boilerplate) {
        for (size_t q = 0; q < d->rep.n_top; q++) {
            const ct_reuse_passage *p = ct_reuse_get(reuse, rank[q].i);
            d->top[q] = (ct_report_passage){ct_corpus_id(corpus, p->a),
                                            ct_corpus_id(corpus, p->b),
                                            p->a_begin,
                                            p->a_end,
                                            p->b_begin,
                                            p->b_end,
                                            p->length,
                                            p->identity,
                                            p->score,
                                            p->a_text,
                                            p->b_text,
                                            p->cluster_size};
        }
        for (size_t q = 0; q < d->rep.n_boilerplate; q++) {
            const ct_reuse_passage *p = ct_reuse_get(reuse, cl[q].i);
            d->boilerplate[q] = (ct_report_boilerplate){
                p->cluster_size, p->a_text, ct_corpus_id(corpus, p->a), ct_corpus_id(corpus, p->b)};
        }
        d->rep.top = d->top;
        d->rep.boilerplate = d->boilerplate;
        rc = fill_matrix(d, c, reuse);
    }
    ct_free(rank);
    ct_free(cl);
    return rc;
}
