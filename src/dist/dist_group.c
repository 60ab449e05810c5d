/* dist_group.c — --group-by across ranks (dist.h: ct_dist_group): the groups of the whole
 * corpus, summed from documents that may lie on any rank, with what themes needs of their
 * dispersion, equal to one process's ct_grouping_new / ct_grouping_apply and themes.c's
 * disp_fill.
 *
 * - names: each rank's values in order of first appearance, gathered in rank order and
 *   interned again, so the group ids are one process's (first appearance in the corpus);
 *   every rank holds the names (groups × their length), nothing of the documents;
 * - rows: the groups are dealt to the ranks in contiguous blocks (rank r: groups
 *   [G·r/P, G·(r+1)/P)), so that the ranks' rows in rank order are the groups in order; each
 *   rank sums its documents' rows by group (a partial row per group it has documents of)
 *   and sends each to the rank owning the group (one all-to-all), which adds them in rank
 *   order: counts and numbers of documents are sums of integers (exact in any order), the
 *   largest count a document has with its size goes to the first document with it (strictly
 *   larger, in rank order = corpus order), as disp_fill keeps it;
 * - DP: the sum over a group's documents of |v/f − s/S| − s/S needs the group's counts f and
 *   size S and is a sum of doubles in corpus order, which is not associative: the owner
 *   sends each rank holding documents of a group of two or more the group's counts at its
 *   partial row's places, and the
 *   running sums travel from the first rank holding documents of the group to the next
 *   (each adding its documents in order, point to point, never through the ranks between)
 *   and from the last to the owner: the additions of one process, in its order. A rank
 *   waits only for ranks before it, so the relay cannot deadlock.
 * Memory per rank: its documents' partial rows (32 bytes an entry: column, documents, three
 * doubles — more than its count rows' 12), the names, its block of group rows with the
 * columns of the partial rows it received, and, while DP is summed, the sums of the groups
 * it passes on and their send buffers. The dispersion is
 * kept only for the entries themes scores (counted --min-count times or more in the group). */
#include <limits.h>
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "dist.h"
#include "group_impl.h"
#include "matrix_impl.h"
#include "sort.h"
#include "termtab.h"

enum { TAG_RELAY = 7301, TAG_FINAL = 7302 };

static void *need(void *p)
{
    if (!p)
        MPI_Abort(MPI_COMM_WORLD, 1);
    return p;
}

#define NEW(n, type) ((type *)need(ct_malloc(((n) > 0 ? (size_t)(n) : 1) * sizeof(type))))
#define ZERO(n, type) ((type *)need(ct_calloc((n) > 0 ? (size_t)(n) : 1, sizeof(type))))

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

typedef struct gdoc {
    size_t g, d;
} gdoc;

static int by_group(const void *a, const void *b)
{
    const gdoc *x = a, *y = b;
    if (x->g != y->g)
        return (x->g > y->g) - (x->g < y->g);
    return (x->d > y->d) - (x->d < y->d);
}

/* MPI counts are ints, and some of the messages here carry 3 or 5 items for each counted
 * one: a count beyond INT_MAX / 5 ends every rank with a message instead of wrapping. */
static int mpi_count(size_t n)
{
    if (n > INT_MAX / 5) {
        fprintf(stderr,
                "comptext themes: the groups' rows exceed what one MPI message can "
                "carry (%zu entries); raise --min-count, use fewer groups or more "
                "ranks\n",
                n);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    return (int)n;
}

/* Displacements of counts (P of them) into disp; returns their sum. */
static size_t displace(const int *count, int *disp, int P)
{
    size_t at = 0;
    for (int r = 0; r < P; r++) {
        disp[r] = mpi_count(at);
        at += (size_t)count[r];
    }
    mpi_count(at);
    return at;
}

/* The first group of rank r's block. */
static size_t block_start(size_t G, int r, int P)
{
    return (size_t)((unsigned long long)G * (unsigned long long)r / (unsigned long long)P);
}

static int owner_of(size_t g, size_t G, int P)
{
    int r = (int)((unsigned long long)g * (unsigned long long)P / (G ? G : 1));
    while (r + 1 < P && block_start(G, r + 1, P) <= g)
        r++;
    while (r > 0 && block_start(G, r, P) > g)
        r--;
    return r;
}

void ct_dist_groups_free(ct_dist_groups *g)
{
    if (!g)
        return;
    ct_matrix_free(g->rows);
    ct_free(g->members);
    ct_free(g->at);
    ct_free(g->docs);
    ct_free(g->fmax);
    ct_free(g->ftop);
    ct_free(g->abs_dev);
    ct_free(g);
}

/* The group of each local document (global ids, *gid), the number of groups (*G) and the
 * names of the groups [lo, hi) (*names, borrowed from *tab). CT_ENOTFOUND / CT_EINPUT as
 * ct_grouping_new, agreed. */
static int group_ids(size_t **gid, size_t *G, ct_termtab **tab, const ct_corpus *corpus,
                     const char *field, ct_error *err)
{
    int P = ct_dist_size();
    size_t n = ct_corpus_size(corpus);
    long fi = ct_corpus_field_index(corpus, field);
    int here = fi >= 0, somewhere = 0;
    MPI_Allreduce(&here, &somewhere, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (!somewhere) { /* one process's message: the fields of the whole corpus */
        char **names = NULL;
        size_t nf = ct_dist_field_names(corpus, &names);
        int rc = CT_ENOTFOUND;
        if (ct_dist_rank() == 0)
            rc = grouping_no_field(err, field, (const char *const *)names, nf);
        for (size_t f = 0; f < nf; f++)
            ct_free(names[f]);
        ct_free(names);
        return ct_dist_agree(rc, err);
    }
    /* this rank's values in order of first appearance; the first document without one */
    ct_termtab *local = NULL;
    size_t *lid = NEW(n, size_t);
    int rc = ct_termtab_new(&local);
    for (size_t d = 0; rc == CT_OK && d < n; d++) {
        const char *v;
        uint32_t id;
        if ((rc = grouping_value(&v, corpus, d, fi, field, err)) == CT_OK &&
            (rc = ct_termtab_intern(local, v, strlen(v), &id, NULL)) == CT_OK)
            lid[d] = id;
    }
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_termtab_free(local);
        ct_free(lid);
        return rc;
    }
    size_t L = ct_termtab_size(local), bytes = 0;
    for (uint32_t l = 0; l < L; l++) {
        size_t len;
        ct_termtab_key(local, l, &len);
        bytes += len + 1;
    }
    char *mine = NEW(bytes, char), *at = mine;
    for (uint32_t l = 0; l < L; l++) {
        size_t len;
        const char *k = ct_termtab_key(local, l, &len);
        memcpy(at, k, len);
        at[len] = '\0';
        at += len + 1;
    }
    int mb = mpi_count(bytes), *cnt = NEW(P, int), *disp = NEW(P, int);
    MPI_Allgather(&mb, 1, MPI_INT, cnt, 1, MPI_INT, MPI_COMM_WORLD);
    size_t all = displace(cnt, disp, P);
    char *every = NEW(all, char);
    MPI_Allgatherv(mine, mb, MPI_CHAR, every, cnt, disp, MPI_CHAR, MPI_COMM_WORLD);
    /* interned again in rank order: one process's first appearances */
    rc = ct_termtab_new(tab);
    size_t *map = NEW(L, size_t);
    for (size_t pos = 0; rc == CT_OK && pos < all;) {
        size_t len = strlen(every + pos);
        uint32_t id;
        rc = ct_termtab_intern(*tab, every + pos, len, &id, NULL);
        if (rc == CT_OK && pos >= (size_t)disp[ct_dist_rank()] &&
            pos < (size_t)disp[ct_dist_rank()] + bytes) {
            uint32_t l;
            if (ct_termtab_find(local, every + pos, len, &l) == CT_OK)
                map[l] = id;
        }
        pos += len + 1;
    }
    *gid = lid;
    for (size_t d = 0; d < n && rc == CT_OK; d++)
        lid[d] = map[lid[d]];
    *G = rc == CT_OK ? ct_termtab_size(*tab) : 0;
    ct_termtab_free(local);
    ct_free(mine);
    ct_free(cnt);
    ct_free(disp);
    ct_free(every);
    ct_free(map);
    return ct_dist_agree(rc, err);
}

/* A partial or whole group row in flight: header gid, members, entries; then per entry. */
typedef struct head {
    unsigned long long gid, members, nnz;
} head;

int ct_dist_group(ct_dist_groups **out, const ct_corpus *corpus, const ct_matrix *counts,
                  const char *field, double min_count, ct_error *err)
{
    *out = NULL;
    int P = ct_dist_size(), me = ct_dist_rank();
    size_t n = counts->rows, V = ct_matrix_cols(counts), G = 0, *gid = NULL;
    ct_termtab *names = NULL;
    int rc = group_ids(&gid, &G, &names, corpus, field, err);
    if (rc != CT_OK) {
        ct_free(gid);
        ct_termtab_free(names);
        return rc;
    }
    /* this rank's documents by group (group id order, then corpus order) */
    gdoc *byg = NEW(n, gdoc);
    for (size_t d = 0; d < n; d++)
        byg[d] = (gdoc){gid[d], d};
    ct_sort(byg, n, sizeof *byg, by_group);
    size_t *order = NEW(n, size_t);
    for (size_t d = 0; d < n; d++)
        order[d] = byg[d].d;
    ct_free(byg);
    /* partial rows, one per local group, in group order: columns, counts, documents using
     * each, the largest count and its document's size */
    double *acc = ZERO(V, double), *fmx = ZERO(V, double), *ftp = ZERO(V, double);
    uint32_t *dcs = ZERO(V, uint32_t), *touched = NEW(V, uint32_t);
    unsigned char *seen = ZERO(V, unsigned char);
    size_t nnz_local = counts->row_ptr[n], np = 0, ne = 0;
    head *ph = NEW(n, head);
    uint32_t *pcol = NEW(nnz_local, uint32_t), *pdocs = NEW(nnz_local, uint32_t);
    double *pval = NEW(3 * nnz_local, double); /* count, fmax, ftop */
    int *gcount = ZERO(P, int), *ecount = ZERO(P, int);
    for (size_t i = 0; i < n;) {
        size_t g = gid[order[i]], nt = 0, members = 0;
        for (; i < n && gid[order[i]] == g; i++, members++) {
            size_t d = order[i];
            double size = ct_matrix_row_sum(counts, d);
            for (size_t e = counts->row_ptr[d]; e < counts->row_ptr[d + 1]; e++) {
                uint32_t c = counts->cols[e];
                double v = counts->values[e];
                if (!seen[c]) {
                    seen[c] = 1;
                    touched[nt++] = c;
                }
                acc[c] += v;
                if (v > 0) {
                    dcs[c]++;
                    if (v > fmx[c]) {
                        fmx[c] = v;
                        ftp[c] = size;
                    }
                }
            }
        }
        ct_sort(touched, nt, sizeof *touched, by_u32);
        size_t start = ne;
        for (size_t k = 0; k < nt; k++) {
            uint32_t c = touched[k];
            if (acc[c] != 0.0) { /* as ct_grouping_apply: zeros dropped */
                pcol[ne] = c;
                pdocs[ne] = dcs[c];
                pval[3 * ne] = acc[c];
                pval[3 * ne + 1] = fmx[c];
                pval[3 * ne + 2] = ftp[c];
                ne++;
            }
            acc[c] = fmx[c] = ftp[c] = 0;
            dcs[c] = 0;
            seen[c] = 0;
        }
        ph[np++] = (head){g, members, ne - start};
        int r = owner_of(g, G, P);
        gcount[r]++;
        ecount[r] = mpi_count((size_t)ecount[r] + (ne - start));
    }
    /* to the owners (the partial rows are in group order, so by owner) */
    int *grecv = NEW(P, int), *erecv = NEW(P, int), *gsd = NEW(P, int), *grd = NEW(P, int),
        *esd = NEW(P, int), *erd = NEW(P, int), *c3 = NEW(P, int), *d3 = NEW(P, int),
        *c3r = NEW(P, int), *d3r = NEW(P, int);
    MPI_Alltoall(gcount, 1, MPI_INT, grecv, 1, MPI_INT, MPI_COMM_WORLD);
    MPI_Alltoall(ecount, 1, MPI_INT, erecv, 1, MPI_INT, MPI_COMM_WORLD);
    displace(gcount, gsd, P);
    size_t ng = displace(grecv, grd, P);
    displace(ecount, esd, P);
    size_t nr = displace(erecv, erd, P);
    head *rh = NEW(ng, head);
    uint32_t *rcol = NEW(nr, uint32_t), *rdocs = NEW(nr, uint32_t);
    double *rval = NEW(3 * nr, double);
    for (int r = 0; r < P; r++) {
        c3[r] = 3 * gcount[r];
        d3[r] = 3 * gsd[r];
        c3r[r] = 3 * grecv[r];
        d3r[r] = 3 * grd[r];
    }
    MPI_Alltoallv(ph, c3, d3, MPI_UNSIGNED_LONG_LONG, rh, c3r, d3r, MPI_UNSIGNED_LONG_LONG,
                  MPI_COMM_WORLD);
    MPI_Alltoallv(pcol, ecount, esd, MPI_UINT32_T, rcol, erecv, erd, MPI_UINT32_T, MPI_COMM_WORLD);
    MPI_Alltoallv(pdocs, ecount, esd, MPI_UINT32_T, rdocs, erecv, erd, MPI_UINT32_T,
                  MPI_COMM_WORLD);
    for (int r = 0; r < P; r++) {
        c3[r] = 3 * ecount[r];
        d3[r] = 3 * esd[r];
        c3r[r] = 3 * erecv[r];
        d3r[r] = 3 * erd[r];
    }
    MPI_Alltoallv(pval, c3, d3, MPI_DOUBLE, rval, c3r, d3r, MPI_DOUBLE, MPI_COMM_WORLD);
    ct_free(pval);
    ct_free(pdocs);
    /* this rank's block: each group's partials in rank order (the received order) */
    size_t lo = block_start(G, me, P), hi = block_start(G, me + 1, P), nown = hi - lo;
    size_t *first_part = NEW(nown + 1, size_t), *next_part = NEW(ng, size_t),
           *last_part = NEW(nown, size_t), *part_at = NEW(ng, size_t);
    int *part_rank = NEW(ng, int);
    for (size_t k = 0; k < nown; k++)
        first_part[k] = last_part[k] = SIZE_MAX;
    for (int r = 0, i = 0; r < P; r++)
        for (int q = 0; q < grecv[r]; q++, i++)
            part_rank[i] = r;
    for (size_t i = 0, at = 0; i < ng; i++) {
        size_t k = (size_t)rh[i].gid - lo;
        part_at[i] = at;
        at += (size_t)rh[i].nnz;
        next_part[i] = SIZE_MAX;
        if (first_part[k] == SIZE_MAX)
            first_part[k] = i;
        else
            next_part[last_part[k]] = i;
        last_part[k] = i;
    }
    ct_dist_groups *gs = need(ct_calloc(1, sizeof *gs));
    gs->members = ZERO(nown, size_t);
    size_t *row_ptr = NEW(nown + 1, size_t), cap = nr, nnz = 0;
    uint32_t *cols = NEW(cap, uint32_t);
    double *vals = NEW(cap, double);
    size_t ccap = 1024, nc = 0; /* the entries counted min_count times or more */
    gs->at = NEW(nown + 1, size_t);
    gs->docs = NEW(ccap, uint32_t);
    gs->fmax = NEW(ccap, double);
    gs->ftop = NEW(ccap, double);
    const char **ids = NEW(nown, const char *);
    for (size_t k = 0; k < nown; k++) {
        size_t nt = 0;
        for (size_t i = first_part[k]; i != SIZE_MAX; i = next_part[i]) {
            gs->members[k] += (size_t)rh[i].members;
            for (size_t e = part_at[i]; e < part_at[i] + (size_t)rh[i].nnz; e++) {
                uint32_t c = rcol[e];
                if (!seen[c]) {
                    seen[c] = 1;
                    touched[nt++] = c;
                }
                acc[c] += rval[3 * e];
                dcs[c] += rdocs[e];
                if (rval[3 * e + 1] > fmx[c]) {
                    fmx[c] = rval[3 * e + 1];
                    ftp[c] = rval[3 * e + 2];
                }
            }
        }
        ct_sort(touched, nt, sizeof *touched, by_u32);
        row_ptr[k] = nnz;
        gs->at[k] = nc;
        for (size_t q = 0; q < nt; q++) {
            uint32_t c = touched[q];
            if (acc[c] != 0.0) { /* never more than the partials' entries: cap = nr */
                cols[nnz] = c;
                vals[nnz] = acc[c];
                nnz++;
                if (acc[c] >= min_count) { /* a candidate: its dispersion */
                    if (nc == ccap) {
                        ccap *= 2;
                        gs->docs = need(ct_reallocarray(gs->docs, ccap, sizeof *gs->docs));
                        gs->fmax = need(ct_reallocarray(gs->fmax, ccap, sizeof *gs->fmax));
                        gs->ftop = need(ct_reallocarray(gs->ftop, ccap, sizeof *gs->ftop));
                    }
                    gs->docs[nc] = dcs[c];
                    gs->fmax[nc] = fmx[c];
                    gs->ftop[nc] = ftp[c];
                    nc++;
                }
            }
            acc[c] = fmx[c] = ftp[c] = 0;
            dcs[c] = 0;
            seen[c] = 0;
        }
        size_t len;
        ids[k] = ct_termtab_key(names, (uint32_t)(lo + k), &len);
    }
    row_ptr[nown] = nnz;
    gs->at[nown] = nc;
    gs->abs_dev = ZERO(nc, double);
    rc = ct_matrix_new(&gs->rows, nown, counts->vocab, row_ptr, cols, vals, ids);
    ct_free(ids);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_dist_groups_free(gs);
        gs = NULL;
        goto done;
    }
    ct_free(rdocs); /* the partials' columns stay: their places in the groups' rows */
    ct_free(rval);
    rdocs = NULL;
    rval = NULL;
    /* DP: the owner sends each group of two documents or more to every rank holding
     * documents of it (in group order, so by owner), with its previous and next holder and,
     * for each entry of the holder's partial row, its place in the group's row and the
     * group's count */
    {
        const ct_matrix *R = gs->rows;
        int *hs = ZERO(P, int), *hsv = ZERO(P, int), *hr = NEW(P, int), *hrv = NEW(P, int);
        int *hsd = NEW(P, int), *hrd = NEW(P, int), *vsd = NEW(P, int), *vrd = NEW(P, int);
        size_t nh = 0, nhv = 0;
        for (size_t k = 0; k < nown; k++) {
            if (gs->members[k] < 2)
                continue;
            for (size_t i = first_part[k]; i != SIZE_MAX; i = next_part[i]) {
                hs[part_rank[i]]++;
                hsv[part_rank[i]] = mpi_count((size_t)hsv[part_rank[i]] + (size_t)rh[i].nnz);
                nh++;
                nhv += (size_t)rh[i].nnz;
            }
        }
        /* header: gid, prev holder + 1 (0: none), next holder + 1 (0: the owner), the
         * group's entries, the partial's; then the group's size; per partial entry its place
         * and the group's count */
        unsigned long long *sh = NEW(5 * nh, unsigned long long);
        double *ssize = NEW(nh, double), *sf = NEW(nhv, double);
        uint32_t *sp = NEW(nhv, uint32_t), *place = touched; /* V scratch, free by now */
        displace(hs, hsd, P);
        displace(hsv, vsd, P);
        int *fill = ZERO(P, int), *fillv = ZERO(P, int);
        double *fo = acc; /* V scratch: the group's counts */
        for (size_t k = 0; k < nown; k++) {
            size_t a = R->row_ptr[k], S = gs->at[k + 1] - gs->at[k];
            if (gs->members[k] < 2)
                continue;
            for (size_t e = a, q = 0; e < R->row_ptr[k + 1]; e++) { /* candidates' places */
                place[R->cols[e]] = R->values[e] >= min_count ? (uint32_t)q++ : UINT32_MAX;
                fo[R->cols[e]] = R->values[e];
            }
            double total = ct_matrix_row_sum(R, k);
            int prev = -1;
            for (size_t i = first_part[k]; i != SIZE_MAX; i = next_part[i]) {
                int r = part_rank[i];
                size_t h = (size_t)hsd[r] + (size_t)fill[r]++,
                       v = (size_t)vsd[r] + (size_t)fillv[r], m = (size_t)rh[i].nnz;
                fillv[r] += (int)m;
                int next = next_part[i] == SIZE_MAX ? -1 : part_rank[next_part[i]];
                sh[5 * h] = lo + k;
                sh[5 * h + 1] = (unsigned long long)(prev + 1);
                sh[5 * h + 2] = (unsigned long long)(next + 1);
                sh[5 * h + 3] = S;
                sh[5 * h + 4] = m;
                ssize[h] = total;
                for (size_t e = 0; e < m; e++) {
                    sp[v + e] = place[rcol[part_at[i] + e]];
                    sf[v + e] = fo[rcol[part_at[i] + e]];
                }
                prev = r;
            }
        }
        MPI_Alltoall(hs, 1, MPI_INT, hr, 1, MPI_INT, MPI_COMM_WORLD);
        MPI_Alltoall(hsv, 1, MPI_INT, hrv, 1, MPI_INT, MPI_COMM_WORLD);
        size_t mh = displace(hr, hrd, P), mhv = displace(hrv, vrd, P);
        unsigned long long *rh5 = NEW(5 * mh, unsigned long long);
        double *rsize = NEW(mh, double), *rf = NEW(mhv, double);
        uint32_t *rp = NEW(mhv, uint32_t);
        MPI_Alltoallv(ssize, hs, hsd, MPI_DOUBLE, rsize, hr, hrd, MPI_DOUBLE, MPI_COMM_WORLD);
        MPI_Alltoallv(sp, hsv, vsd, MPI_UINT32_T, rp, hrv, vrd, MPI_UINT32_T, MPI_COMM_WORLD);
        MPI_Alltoallv(sf, hsv, vsd, MPI_DOUBLE, rf, hrv, vrd, MPI_DOUBLE, MPI_COMM_WORLD);
        for (int r = 0; r < P; r++) {
            hs[r] *= 5;
            hsd[r] *= 5;
            hr[r] *= 5;
            hrd[r] *= 5;
        }
        MPI_Alltoallv(sh, hs, hsd, MPI_UNSIGNED_LONG_LONG, rh5, hr, hrd, MPI_UNSIGNED_LONG_LONG,
                      MPI_COMM_WORLD);
        ct_free(sh);
        ct_free(ssize);
        ct_free(sf);
        ct_free(sp);
        /* the relay: the received groups are in group order (owners in rank order); this
         * rank's documents of group g are order[] from where its partial row began. The
         * running sums of a group this rank passes on are kept until sent (*keep). */
        double *fv = acc; /* V scratch: the group's count of each of the partial's terms */
        MPI_Request *req = NEW(mh, MPI_Request);
        double **keep = NEW(mh, double *);
        size_t nreq = 0, p = 0, at = 0, pe = 0;
        for (size_t j = 0, v = 0; j < mh; j++) {
            size_t g = (size_t)rh5[5 * j], S = (size_t)rh5[5 * j + 3], m = (size_t)rh5[5 * j + 4];
            int prev = (int)rh5[5 * j + 1] - 1, next = (int)rh5[5 * j + 2] - 1;
            int to = next >= 0 ? next : owner_of(g, G, P);
            double total = rsize[j];
            while (ph[p].gid != g) { /* this rank's documents and partial row of group g */
                at += (size_t)ph[p].members;
                pe += (size_t)ph[p++].nnz;
            }
            for (size_t e = 0; e < m; e++) {
                place[pcol[pe + e]] = rp[v + e];
                fv[pcol[pe + e]] = rf[v + e];
            }
            v += m;
            /* the owner as the last holder sums into the group's own entries */
            double *s = to == me ? gs->abs_dev + gs->at[g - lo] : ZERO(S, double);
            if (to != me)
                keep[nreq] = s;
            if (prev >= 0)
                MPI_Recv(s, (int)S, MPI_DOUBLE, prev, TAG_RELAY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            for (size_t i = at; i < at + (size_t)ph[p].members && total > 0; i++) {
                size_t d = order[i];
                double size = ct_matrix_row_sum(counts, d);
                if (!(size > 0))
                    continue;
                for (size_t e = counts->row_ptr[d]; e < counts->row_ptr[d + 1]; e++) {
                    double x = counts->values[e];
                    uint32_t c = counts->cols[e];
                    if (x > 0 && place[c] != UINT32_MAX) /* as disp_fill, for the candidates */
                        s[place[c]] += fabs(x / fv[c] - size / total) - size / total;
                }
            }
            if (to != me)
                MPI_Isend(s, (int)S, MPI_DOUBLE, to, next >= 0 ? TAG_RELAY : TAG_FINAL,
                          MPI_COMM_WORLD, &req[nreq++]);
        }
        ct_free(rh5);
        ct_free(rsize);
        ct_free(rf);
        ct_free(rp);
        /* the owner: each group's sums from its last holder */
        for (size_t k = 0; k < nown; k++) {
            if (gs->members[k] < 2 || last_part[k] == SIZE_MAX || part_rank[last_part[k]] == me)
                continue;
            size_t a = gs->at[k], S = gs->at[k + 1] - a;
            MPI_Recv(gs->abs_dev + a, (int)S, MPI_DOUBLE, part_rank[last_part[k]], TAG_FINAL,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        MPI_Waitall((int)nreq, req, MPI_STATUSES_IGNORE);
        for (size_t r = 0; r < nreq; r++)
            ct_free(keep[r]);
        ct_free(keep);
        ct_free(req);
        ct_free(hs);
        ct_free(hsv);
        ct_free(hr);
        ct_free(hrv);
        ct_free(hsd);
        ct_free(hrd);
        ct_free(vsd);
        ct_free(vrd);
        ct_free(fill);
        ct_free(fillv);
    }
done:
    *out = gs;
    ct_free(gid);
    ct_termtab_free(names);
    ct_free(order);
    ct_free(acc);
    ct_free(fmx);
    ct_free(ftp);
    ct_free(dcs);
    ct_free(touched);
    ct_free(seen);
    ct_free(ph);
    ct_free(pcol);
    ct_free(gcount);
    ct_free(ecount);
    ct_free(grecv);
    ct_free(erecv);
    ct_free(gsd);
    ct_free(grd);
    ct_free(esd);
    ct_free(erd);
    ct_free(c3);
    ct_free(d3);
    ct_free(c3r);
    ct_free(d3r);
    ct_free(rh);
    ct_free(rcol);
    ct_free(rdocs);
    ct_free(rval);
    ct_free(first_part);
    ct_free(next_part);
    ct_free(last_part);
    ct_free(part_at);
    ct_free(part_rank);
    return rc;
}
