/* knn_cluster.c — clustering of many rows without their N × N matrix (knn_cluster.h).
 *
 * compare's large mode clusters in two steps. First the Louvain method finds communities of
 * the k-nearest-neighbour graph (each row linked to its top K by cosine) — the method that
 * single-cell analysis (scanpy, Seurat) uses on the same graph for hundreds of thousands of
 * cells: local moving of nodes to the neighbouring community of largest modularity gain,
 * then the communities become nodes, until nothing moves. Communities are many and small;
 * then average linkage joins them: the mean cosine between two groups of rows is exact from
 * their sums of unit rows (Σ_A x̂)·(Σ_B ŷ) / (|A| |B|), and merging two groups adds their
 * sums, so the tree is the average-linkage tree of the rows constrained to start from the
 * communities. Its cuts are what compare scores, as it scores the full tree's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "knn_cluster.h"
#include "sort.h"

/* --- Louvain ---------------------------------------------------------------------------- */

typedef struct graph {
    size_t n;
    size_t *ptr; /* n + 1 */
    size_t *adj;
    double *w;
    double *self; /* twice the weight inside the node (aggregated edges) */
} graph;

typedef struct edge {
    size_t a, b;
    double w;
} edge;

static int by_edge(const void *x, const void *y)
{
    const edge *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static void graph_free(graph *g)
{
    ct_free(g->ptr);
    ct_free(g->adj);
    ct_free(g->w);
    ct_free(g->self);
    memset(g, 0, sizeof *g);
}

/* A symmetric graph from edges (both directions listed, sorted, merged by summing). */
static int graph_from_edges(graph *g, size_t n, edge *e, size_t ne, double *self)
{
    ct_sort(e, ne, sizeof *e, by_edge);
    size_t m = 0;
    for (size_t q = 0; q < ne; q++) {
        if (m && e[m - 1].a == e[q].a && e[m - 1].b == e[q].b)
            e[m - 1].w += e[q].w;
        else
            e[m++] = e[q];
    }
    g->n = n;
    g->ptr = ct_calloc(n + 1, sizeof *g->ptr);
    g->adj = ct_malloc((m + 1) * sizeof *g->adj);
    g->w = ct_malloc((m + 1) * sizeof *g->w);
    g->self = self;
    if (!g->ptr || !g->adj || !g->w)
        return CT_ENOMEM;
    for (size_t q = 0; q < m; q++) {
        g->ptr[e[q].a + 1]++;
        g->adj[q] = e[q].b;
        g->w[q] = e[q].w;
    }
    for (size_t i = 0; i < n; i++)
        g->ptr[i + 1] += g->ptr[i];
    return CT_OK;
}

/* Local moving on g: comm (g->n) receives each node's community; returns moves made. */
static size_t local_moving(const graph *g, double resolution, size_t *comm, double *strength,
                           double *tot, double *wc, size_t *list, double m2)
{
    size_t n = g->n, moves = 0;
    for (size_t i = 0; i < n; i++) {
        double k = g->self[i];
        for (size_t p = g->ptr[i]; p < g->ptr[i + 1]; p++)
            k += g->w[p];
        strength[i] = k;
        comm[i] = i;
        tot[i] = k;
        wc[i] = -1;
    }
    for (int pass = 0; pass < 64; pass++) {
        size_t moved = 0;
        for (size_t i = 0; i < n; i++) {
            size_t ci = comm[i], nl = 0;
            for (size_t p = g->ptr[i]; p < g->ptr[i + 1]; p++) {
                size_t c = comm[g->adj[p]];
                if (wc[c] < 0) {
                    wc[c] = 0;
                    list[nl++] = c;
                }
                wc[c] += g->w[p];
            }
            double k = strength[i];
            tot[ci] -= k;
            double own = (wc[ci] < 0 ? 0 : wc[ci]) - resolution * tot[ci] * k / m2;
            size_t best = ci;
            double gain = own;
            for (size_t q = 0; q < nl; q++) {
                size_t c = list[q];
                if (c == ci)
                    continue;
                double gc = wc[c] - resolution * tot[c] * k / m2;
                if (gc > gain + 1e-12 * (fabs(gain) + k)) {
                    gain = gc;
                    best = c;
                }
            }
            for (size_t q = 0; q < nl; q++)
                wc[list[q]] = -1;
            tot[best] += k;
            if (best != ci) {
                comm[i] = best;
                moved++;
            }
        }
        moves += moved;
        if (!moved)
            break;
    }
    return moves;
}

int ct_knn_louvain(const ct_neighbour *nb, size_t n, size_t k, double resolution, size_t *community,
                   size_t *count, double *modularity)
{
    *count = 0;
    *modularity = 0;
    graph g = {0};
    size_t ne = 0;
    edge *e = ct_malloc((2 * n * k + 1) * sizeof *e);
    double *self = ct_calloc(n + 1, sizeof *self);
    size_t *comm = ct_malloc((n + 1) * sizeof *comm), *list = ct_malloc((n + 1) * sizeof *list);
    size_t *renum = ct_malloc((n + 1) * sizeof *renum);
    double *strength = ct_malloc((n + 1) * sizeof *strength),
           *tot = ct_malloc((n + 1) * sizeof *tot);
    double *wc = ct_malloc((n + 1) * sizeof *wc);
    int rc = CT_ENOMEM;
    if (!e || !self || !comm || !list || !renum || !strength || !tot || !wc)
        goto done;
    /* The undirected kNN graph: an edge a list has, in both directions; an edge both lists
     * have counts once (the same cosine). */
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < k; q++) {
            const ct_neighbour *x = &nb[i * k + q];
            if (!(x->score > 0) || x->row == i)
                continue;
            size_t a = i < x->row ? i : x->row, b = i < x->row ? x->row : i;
            e[ne++] = (edge){a, b, x->score};
        }
    ct_sort(e, ne, sizeof *e, by_edge);
    size_t m = 0;
    for (size_t q = 0; q < ne; q++)
        if (!m || e[m - 1].a != e[q].a || e[m - 1].b != e[q].b)
            e[m++] = e[q];
    ne = m;
    for (size_t q = 0; q < m; q++)
        e[ne++] = (edge){e[q].b, e[q].a, e[q].w};
    if ((rc = graph_from_edges(&g, n, e, ne, self)) != CT_OK) {
        self = NULL;
        goto done;
    }
    self = NULL;
    double m2 = 0;
    for (size_t p = 0; p < g.ptr[n]; p++)
        m2 += g.w[p];
    for (size_t i = 0; i < n; i++)
        community[i] = i;
    if (!(m2 > 0)) { /* no edges: every row alone */
        *count = n;
        rc = CT_OK;
        goto done;
    }
    for (;;) {
        size_t moves = local_moving(&g, resolution, comm, strength, tot, wc, list, m2);
        /* communities numbered in order of first appearance */
        for (size_t i = 0; i < g.n; i++)
            renum[i] = SIZE_MAX;
        size_t nc = 0;
        for (size_t i = 0; i < g.n; i++)
            if (renum[comm[i]] == SIZE_MAX)
                renum[comm[i]] = nc++;
        for (size_t i = 0; i < n; i++)
            community[i] = renum[comm[community[i]]];
        if (!moves || nc == g.n)
            break;
        /* The communities become the nodes. */
        double *ns = ct_calloc(nc + 1, sizeof *ns);
        if (!ns) {
            rc = CT_ENOMEM;
            goto done;
        }
        size_t q = 0;
        for (size_t i = 0; i < g.n; i++) {
            size_t a = renum[comm[i]];
            ns[a] += g.self[i];
            for (size_t p = g.ptr[i]; p < g.ptr[i + 1]; p++) {
                size_t b = renum[comm[g.adj[p]]];
                if (a == b)
                    ns[a] += g.w[p];
                else
                    e[q++] = (edge){a, b, g.w[p]};
            }
        }
        graph_free(&g);
        if ((rc = graph_from_edges(&g, nc, e, q, ns)) != CT_OK)
            goto done;
    }
    /* The count, and the modularity Q = Σ_c [in_c / m2 − γ (tot_c / m2)²] from the last
     * graph, whose nodes the last local moving put in the final communities (in_c counts
     * the edges inside c in both directions). */
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        if (community[i] + 1 > nc)
            nc = community[i] + 1;
    *count = nc;
    double *in = ct_calloc(nc + 1, sizeof *in), *tc = ct_calloc(nc + 1, sizeof *tc);
    rc = in && tc ? CT_OK : CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < g.n; i++) {
        size_t c = renum[comm[i]];
        in[c] += g.self[i];
        tc[c] += g.self[i];
        for (size_t p = g.ptr[i]; p < g.ptr[i + 1]; p++) {
            tc[c] += g.w[p];
            if (renum[comm[g.adj[p]]] == c)
                in[c] += g.w[p];
        }
    }
    for (size_t c = 0; rc == CT_OK && c < nc; c++)
        *modularity += in[c] / m2 - resolution * (tc[c] / m2) * (tc[c] / m2);
    ct_free(in);
    ct_free(tc);
done:
    graph_free(&g);
    ct_free(self);
    ct_free(e);
    ct_free(comm);
    ct_free(list);
    ct_free(renum);
    ct_free(strength);
    ct_free(tot);
    ct_free(wc);
    return rc;
}

/* --- the tree of groups ------------------------------------------------------------------ */

/* The distance between active groups a and b: mean cosine distance or Ward's criterion. */
static double group_dist(const double *G, const double *size, size_t g, ct_linkage linkage,
                         size_t a, size_t b)
{
    double na = size[a], nb = size[b];
    if (linkage == CT_LINKAGE_WARD) {
        double d2 =
            G[a * g + a] / (na * na) + G[b * g + b] / (nb * nb) - 2 * G[a * g + b] / (na * nb);
        return na * nb / (na + nb) * (d2 > 0 ? d2 : 0);
    }
    double d = 1 - G[a * g + b] / (na * nb);
    return d > 0 ? d : 0;
}

typedef struct merge {
    size_t a, b;
    double h;
    size_t seq;
} merge;

static int by_height(const void *x, const void *y)
{
    const merge *p = x, *q = y;
    if (p->h != q->h)
        return p->h < q->h ? -1 : 1;
    return (p->seq > q->seq) - (p->seq < q->seq);
}

int ct_group_linkage(double *G, const double *size_in, size_t g, ct_linkage linkage, double *merges)
{
    if (linkage != CT_LINKAGE_AVERAGE && linkage != CT_LINKAGE_WARD)
        return CT_EINVAL;
    if (g < 2)
        return CT_OK;
    double *size = ct_malloc(g * sizeof *size);
    unsigned char *active = ct_malloc(g);
    size_t *chain = ct_malloc(g * sizeof *chain);
    merge *ms = ct_malloc(g * sizeof *ms);
    if (!size || !active || !chain || !ms) {
        ct_free(size);
        ct_free(active);
        ct_free(chain);
        ct_free(ms);
        return CT_ENOMEM;
    }
    memcpy(size, size_in, g * sizeof *size);
    for (size_t a = 0; a < g; a++)
        if (!(size[a] > 0))
            size[a] = 1; /* an empty group: no rows to average; keep the formula finite */
    memset(active, 1, g);
    size_t len = 0, done = 0, lowest = 0;
    while (done < g - 1) {
        if (!len) {
            while (!active[lowest])
                lowest++;
            chain[len++] = lowest;
        }
        size_t a = chain[len - 1], prev = len > 1 ? chain[len - 2] : SIZE_MAX, best = SIZE_MAX;
        double bd = 0;
        if (prev != SIZE_MAX) {
            best = prev;
            bd = group_dist(G, size, g, linkage, a, prev);
        }
        for (size_t b = 0; b < g; b++) {
            if (!active[b] || b == a)
                continue;
            double d = group_dist(G, size, g, linkage, a, b);
            if (best == SIZE_MAX || d < bd) {
                best = b;
                bd = d;
            }
        }
        if (best != prev) {
            chain[len++] = best;
            continue;
        }
        /* a and prev are each other's nearest: merge them into the lower slot */
        len -= 2;
        size_t lo = a < prev ? a : prev, hi = a < prev ? prev : a;
        ms[done] = (merge){lo, hi, bd, done};
        done++;
        double gll = G[lo * g + lo], ghh = G[hi * g + hi], glh = G[lo * g + hi];
        for (size_t x = 0; x < g; x++) {
            if (!active[x])
                continue;
            G[lo * g + x] += G[hi * g + x];
            G[x * g + lo] = G[lo * g + x];
        }
        G[lo * g + lo] = gll + ghh + 2 * glh;
        size[lo] += size[hi];
        active[hi] = 0;
    }
    ct_sort(ms, g - 1, sizeof *ms, by_height);
    for (size_t q = 0; q < g - 1; q++) {
        merges[3 * q] = (double)ms[q].a;
        merges[3 * q + 1] = (double)ms[q].b;
        merges[3 * q + 2] = ms[q].h;
    }
    ct_free(size);
    ct_free(active);
    ct_free(chain);
    ct_free(ms);
    return CT_OK;
}

static size_t find_root(size_t *parent, size_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

int ct_group_cut(const double *merges, size_t g, size_t K, size_t *label)
{
    size_t *parent = ct_malloc((g + 1) * sizeof *parent);
    if (!parent)
        return CT_ENOMEM;
    for (size_t a = 0; a < g; a++)
        parent[a] = a;
    for (size_t q = 0; q + K < g; q++) {
        size_t a = find_root(parent, (size_t)merges[3 * q]),
               b = find_root(parent, (size_t)merges[3 * q + 1]);
        if (a < b)
            parent[b] = a;
        else if (b < a)
            parent[a] = b;
    }
    /* a root is its cluster's lowest group: it comes first, and is numbered then */
    size_t next = 0;
    for (size_t a = 0; a < g; a++) {
        size_t r = find_root(parent, a);
        label[a] = r == a ? next++ : label[r];
    }
    ct_free(parent);
    return CT_OK;
}
