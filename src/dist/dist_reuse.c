/* dist_reuse.c — text reuse under mpirun (dist.h: ct_dist_reuse): the passages one process
 * finds, found by the steps of analysis/reuse*.c spread over the ranks.
 *
 * Each rank prepares the documents of its share (reuse_prepare) and hashes their shingles
 * (reuse_keys, at global skeleton positions: the documents' lengths are gathered on every
 * rank, 4 bytes a document). The keys travel all-to-all to the rank their hash names, which
 * sorts them and so holds every posting of its shingles: it applies the evidence rule
 * (reuse_evidence) and makes the hits, one per pair of postings in two documents. Hits
 * travel all-to-all to the rank that the document pair hashes to, which chains each pair's
 * hits into candidate regions (reuse_chain). The regions (about 50 bytes each) are gathered
 * on rank 0 in the order one process makes them, sorted and reduced there, since the
 * boilerplate clusters span the whole corpus (reuse_reduce); rank 0 deals them out in turn
 * for alignment. An aligning rank asks the owners of the two documents for the code points
 * of the region's two ranges (all-to-all requests and replies) and aligns them
 * (reuse_align_region). The alignments are gathered on rank 0 in region order, and
 * reuse_finish chooses, joins and clusters the passages as one process does; the text, the
 * character offsets, the direction field's value and the id of each passage's two spans
 * come from the ranks holding the documents (a scatter of requests, a gather of replies).
 * So no rank holds more text than its share, and rank 0 holds the regions, alignments and
 * passages of the whole corpus — records, not texts. Every step that can fail is agreed
 * on, so every rank returns the status of the failure one process would meet first. */
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "dist.h"
#include "reuse_impl.h"
#include "sort.h"

typedef struct ctx {
    int rank, p;
    const ct_corpus *corpus;
    reuse_doc *docs; /* this rank's, nl of them */
    size_t nl, first, N;
    size_t *rank_first; /* p + 1 entries: the corpus index of each rank's first document */
    long field;         /* the direction field in this rank's corpus, or -1 */
    int fetched;
    /* rank 0, after the fetch: the replies (NUL-terminated ids and values point into them) */
    char *replies;
    size_t *span_docs; /* the global document of each span */
    const char **ids;  /* its id */
    size_t n_spans;
} ctx;

static int owner(const ctx *c, size_t doc)
{
    int lo = 0, hi = c->p;
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (c->rank_first[mid] <= doc)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* A document pair's hash: its high half names the pair's rank (pair_rank), its low bits the
 * slot (of SLOTS) that decides the round its hits travel in. */
static uint64_t pair_hash(uint32_t a, uint32_t b)
{
    uint64_t h = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static size_t pair_rank(uint64_t h, int p)
{
    return (size_t)(((h >> 32) * (uint64_t)p) >> 32);
}

/* 1 on every rank when any rank passes bad != 0. */
static int any(int bad)
{
    int all = bad;
    MPI_Allreduce(&bad, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

/* All-to-all of records of elem bytes: send holds scount[r] records for rank r, in rank
 * order; *recv (ct_malloc'd) receives rcount[r] records from each rank r, in rank order.
 * CT_ENOMEM on every rank when any rank cannot hold its part or a count passes INT_MAX. */
static int exchange(const void *send, const size_t *scount, size_t elem, void **recv,
                    size_t *n_recv, size_t *rcount)
{
    int p = ct_dist_size();
    int *sc = ct_malloc(4 * (size_t)p * sizeof *sc), bad = !sc;
    int *sd = sc + p, *rc = sc + 2 * p, *rd = sc + 3 * p;
    size_t total = 0, stotal = 0;
    *recv = NULL;
    *n_recv = 0;
    if (any(bad)) {
        ct_free(sc);
        return CT_ENOMEM;
    }
    for (int r = 0; r < p; r++) {
        if (stotal + scount[r] > INT_MAX)
            bad = 1;
        sc[r] = (int)scount[r];
        sd[r] = (int)stotal;
        stotal += scount[r];
    }
    MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, MPI_COMM_WORLD);
    for (int r = 0; r < p; r++) {
        if (total + (size_t)rc[r] > INT_MAX)
            bad = 1;
        rd[r] = (int)total;
        total += (size_t)rc[r];
        if (rcount)
            rcount[r] = (size_t)rc[r];
    }
    void *buf = bad ? NULL : ct_malloc((total ? total : 1) * elem);
    if (any(bad || !buf)) {
        ct_free(buf);
        ct_free(sc);
        return CT_ENOMEM;
    }
    MPI_Datatype t;
    MPI_Type_contiguous((int)elem, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    MPI_Alltoallv(send, sc, sd, t, buf, rc, rd, t, MPI_COMM_WORLD);
    MPI_Type_free(&t);
    ct_free(sc);
    *recv = buf;
    *n_recv = total;
    return CT_OK;
}

/* ---- candidates ---- */

static int cmp_hit(const void *x, const void *y)
{
    const reuse_hit *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->pa != q->pa)
        return p->pa < q->pa ? -1 : 1;
    return p->pb < q->pb ? -1 : p->pb > q->pb;
}

typedef struct wire_region {
    reuse_region r;
    uint32_t seq; /* made in this order on its rank */
} wire_region;

static int cmp_wire(const void *x, const void *y)
{
    const wire_region *p = x, *q = y;
    if (p->r.a != q->r.a)
        return p->r.a < q->r.a ? -1 : 1;
    if (p->r.b != q->r.b)
        return p->r.b < q->r.b ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Slots of pairs, and hits a rank in one round (16 bytes each, sent and received). */
#define SLOTS 64
#define ROUND ((unsigned long long)4 << 20)

/* Chain one round's hits: by first document (a counting sort), then each document's by b,
 * pa, pb, as one process sorts them. */
static int chain_hits(reuse_hit *hv, size_t n, size_t n_docs, const uint32_t *lens,
                      const ct_reuse_options *o, reuse_regions *out)
{
    if (!n)
        return CT_OK;
    size_t *at = ct_calloc(n_docs + 1, sizeof *at);
    reuse_hit *by = ct_malloc(n * sizeof *by);
    int rc = CT_OK;
    if (!at || !by) {
        ct_free(at);
        ct_free(by);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        at[hv[i].a + 1]++;
    for (size_t d = 0; d < n_docs; d++)
        at[d + 1] += at[d];
    for (size_t i = 0; i < n; i++)
        by[at[hv[i].a]++] = hv[i];
    for (size_t d = 0, lo = 0; d < n_docs && rc == CT_OK; d++) {
        size_t hi = at[d]; /* the end of document d's hits, after the scatter */
        ct_sort(by + lo, hi - lo, sizeof *by, cmp_hit);
        if (hi > lo)
            rc = reuse_chain(by + lo, hi - lo, lens, o, out);
        lo = hi;
    }
    ct_free(at);
    ct_free(by);
    return rc;
}

/* The common text (reuse_common) of the shingles this rank owns (sorted keys), sent to the
 * ranks of their documents, which mark it (reuse_mark_common). */
static int mark_common(const ctx *c, const ct_reuse_options *o, const uint64_t *mine, size_t n_mine,
                       const uint64_t *starts)
{
    int p = c->p;
    size_t *count = ct_calloc(2 * (size_t)p + 1, sizeof *count), *fill = count + p, n = 0;
    uint32_t *send = NULL;
    /* pass 0 counts the postings for each rank, pass 1 places them */
    for (int pass = 0; pass < 2 && count && (pass == 0 || send); pass++) {
        for (size_t i = 0; i < n_mine;) {
            size_t j = i + 1;
            while (j < n_mine && (mine[j] >> 32) == (mine[i] >> 32))
                j++;
            if (j - i >= o->boilerplate_docs &&
                reuse_common(mine + i, j - i, starts, c->N, o->boilerplate_docs))
                for (size_t t = i; t < j; t++) {
                    uint32_t g = (uint32_t)(mine[t] & 0xFFFFFFFFu);
                    int r = owner(c, reuse_doc_of(starts, c->N, g));
                    if (pass == 0)
                        count[r]++;
                    else
                        send[fill[r]++] = g;
                }
            i = j;
        }
        if (pass == 0) {
            for (int r = 0; r < p; r++) {
                fill[r] = n;
                n += count[r];
            }
            send = ct_malloc((n ? n : 1) * sizeof *send);
        }
    }
    if (any(!count || !send)) {
        ct_free(count);
        ct_free(send);
        return CT_ENOMEM;
    }
    uint32_t *got = NULL;
    size_t n_got = 0;
    int rc = exchange(send, count, sizeof *send, (void **)&got, &n_got, NULL);
    ct_free(send);
    ct_free(count);
    for (size_t i = 0; rc == CT_OK && i < n_got; i++) {
        uint32_t d = reuse_doc_of(starts, c->N, got[i]);
        rc = reuse_mark_common(&c->docs[d - c->first], (uint32_t)(got[i] - starts[d]), o->shingle);
    }
    ct_free(got);
    return any(rc != CT_OK) ? CT_ENOMEM : CT_OK;
}

/* The hits of the shingles this rank owns, sent to the ranks of their pairs, chained there:
 * this rank's regions (in pair order, each pair's in the order chaining makes them). */
static int find_regions(const ctx *c, const ct_reuse_options *o, const uint64_t *starts,
                        const uint32_t *lens, reuse_regions *out)
{
    int p = c->p, rc = CT_OK;
    size_t k = o->shingle, n_keys = 0;
    for (size_t d = 0; d < c->nl; d++)
        if (c->docs[d].n >= k)
            n_keys += c->docs[d].n - k + 1;
    uint64_t *keys = ct_malloc((n_keys ? n_keys : 1) * sizeof *keys);
    uint64_t *send = ct_malloc((n_keys ? n_keys : 1) * sizeof *send);
    size_t *count = ct_calloc(2 * (size_t)p + 1, sizeof *count), *fill = count + p;
    if (any(!keys || !send || !count)) {
        ct_free(keys);
        ct_free(send);
        ct_free(count);
        return CT_ENOMEM;
    }
    size_t nk = reuse_keys(c->docs, c->nl, starts + c->first, k, keys);
    for (size_t i = 0; i < nk; i++)
        count[(keys[i] >> 32) % (uint64_t)p]++;
    for (size_t r = 0, s = 0; r < (size_t)p; r++) {
        fill[r] = s;
        s += count[r];
    }
    for (size_t i = 0; i < nk; i++)
        send[fill[(keys[i] >> 32) % (uint64_t)p]++] = keys[i];
    ct_free(keys);
    uint64_t *mine = NULL;
    size_t n_mine = 0;
    rc = exchange(send, count, sizeof *send, (void **)&mine, &n_mine, NULL);
    ct_free(send);
    if (rc != CT_OK) {
        ct_free(count);
        return rc;
    }
    uint64_t *tmp = ct_malloc((n_mine ? n_mine : 1) * sizeof *tmp);
    if (any(!tmp)) {
        ct_free(mine);
        ct_free(count);
        return CT_ENOMEM;
    }
    reuse_sort_keys(mine, tmp, n_mine);
    ct_free(tmp);
    /* The shingles that are evidence, each as its postings' positions and documents. */
    uint32_t *ev_pos = ct_malloc((n_mine ? n_mine : 1) * sizeof *ev_pos);
    uint32_t *ev_doc = ct_malloc((n_mine ? n_mine : 1) * sizeof *ev_doc);
    size_t *gst = ct_malloc((n_mine + 1) * sizeof *gst), n_ev = 0, n_groups = 0;
    unsigned long long *slots = ct_calloc((size_t)p * SLOTS, sizeof *slots);
    unsigned long long *load = ct_calloc(2 * (size_t)p, sizeof *load), *inbound = load + p;
    if (any(!ev_pos || !ev_doc || !gst || !slots || !load)) {
        rc = CT_ENOMEM;
        goto hits_done;
    }
    if ((rc = mark_common(c, o, mine, n_mine, starts)) != CT_OK)
        goto hits_done;
    for (size_t i = 0; i < n_mine;) {
        size_t j = i + 1;
        while (j < n_mine && (mine[j] >> 32) == (mine[i] >> 32))
            j++;
        if (j - i >= 2 && reuse_evidence(mine + i, j - i, starts, c->N, o->max_df)) {
            gst[n_groups++] = n_ev;
            for (size_t s = i; s < j; s++) {
                ev_pos[n_ev] = (uint32_t)(mine[s] & 0xFFFFFFFFu);
                ev_doc[n_ev++] = reuse_doc_of(starts, c->N, mine[s] & 0xFFFFFFFFu);
            }
        }
        i = j;
    }
    gst[n_groups] = n_ev;
    ct_free(mine);
    mine = NULL;
    /* Every pair of postings in two documents is a hit, for the rank of the pair. The hits
     * travel in rounds (a pair's hits all in one round) of at most about ROUND hits a rank,
     * so that no rank holds them all: counted first by rank and slot, the rounds are then
     * unions of slots. */
    for (size_t g = 0; g < n_groups; g++)
        for (size_t s = gst[g]; s < gst[g + 1]; s++)
            for (size_t t = s + 1; t < gst[g + 1]; t++)
                if (ev_doc[t] != ev_doc[s]) {
                    uint64_t h = pair_hash(ev_doc[s], ev_doc[t]);
                    slots[pair_rank(h, p) * SLOTS + (h & (SLOTS - 1))]++;
                }
    unsigned long long out_total = 0;
    for (int r = 0; r < p; r++)
        for (int q = 0; q < SLOTS; q++) {
            load[r] += slots[(size_t)r * SLOTS + q];
            out_total += slots[(size_t)r * SLOTS + q];
        }
    MPI_Allreduce(load, inbound, p, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    unsigned long long most = out_total > inbound[c->rank] ? out_total : inbound[c->rank], all;
    MPI_Allreduce(&most, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    /* COMPTEXT_REUSE_ROUND (hits a round) lets the tests run many rounds on a small corpus */
    const char *env = getenv("COMPTEXT_REUSE_ROUND");
    unsigned long long budget = env && atoll(env) > 0 ? (unsigned long long)atoll(env) : ROUND;
    int rounds = 1;
    while (rounds < SLOTS && all / (unsigned long long)rounds > budget)
        rounds *= 2;
    for (int round = 0; round < rounds && rc == CT_OK; round++) {
        size_t n_hits = 0;
        for (int r = 0; r < p; r++) {
            count[r] = 0;
            for (int q = round; q < SLOTS; q += rounds)
                count[r] += (size_t)slots[(size_t)r * SLOTS + q];
            fill[r] = n_hits;
            n_hits += count[r];
        }
        reuse_hit *hits = ct_malloc((n_hits ? n_hits : 1) * sizeof *hits);
        if (any(!hits)) {
            rc = CT_ENOMEM;
            break;
        }
        for (size_t g = 0; g < n_groups; g++)
            for (size_t s = gst[g]; s < gst[g + 1]; s++)
                for (size_t t = s + 1; t < gst[g + 1]; t++)
                    if (ev_doc[t] != ev_doc[s]) {
                        uint32_t ds = ev_doc[s], dt = ev_doc[t];
                        uint64_t h = pair_hash(ds, dt);
                        if ((int)(h & (uint64_t)(rounds - 1)) != round)
                            continue;
                        hits[fill[pair_rank(h, p)]++] =
                            (reuse_hit){ds, dt, (uint32_t)(ev_pos[s] - starts[ds]),
                                        (uint32_t)(ev_pos[t] - starts[dt])};
                    }
        reuse_hit *got = NULL;
        size_t n_got = 0;
        rc = exchange(hits, count, sizeof *hits, (void **)&got, &n_got, NULL);
        ct_free(hits);
        if (rc != CT_OK)
            break;
        rc = chain_hits(got, n_got, c->N, lens, o, out);
        ct_free(got);
        if (any(rc != CT_OK))
            rc = CT_ENOMEM;
    }
hits_done:
    ct_free(mine);
    ct_free(ev_pos);
    ct_free(ev_doc);
    ct_free(gst);
    ct_free(slots);
    ct_free(load);
    ct_free(count);
    return rc;
}

/* ---- alignment ---- */

typedef struct wire_span {
    uint32_t doc, s0, s1;
} wire_span;

typedef struct align_job {
    const reuse_aligner *al;
    const reuse_region *regions;
    const uint32_t *const *seg; /* two a region: a's range, b's range */
    reuse_align *out;
} align_job;

static int align_one(void *vc, size_t j)
{
    const align_job *c = vc;
    const reuse_region *r = &c->regions[j];
    reuse_doc two[2];
    memset(two, 0, sizeof two);
    two[0].cp = (uint32_t *)c->seg[2 * j];
    two[1].cp = (uint32_t *)c->seg[2 * j + 1];
    two[0].n = r->a1 - r->a0;
    two[1].n = r->b1 - r->b0;
    reuse_region q = *r;
    q.a = 0;
    q.b = 1;
    q.a0 = q.b0 = 0;
    q.a1 = two[0].n;
    q.b1 = two[1].n;
    reuse_align *x = &c->out[j];
    int rc = reuse_align_region(c->al, two, &q, x);
    x->a = r->a;
    x->b = r->b;
    x->a0 += r->a0;
    x->a1 += r->a0;
    x->b0 += r->b0;
    x->b1 += r->b0;
    return rc;
}

/* Align this rank's regions (rank 0 dealt them out: region i to rank i % p), fetching the
 * two ranges of each from the ranks holding the documents. */
static int align_mine(const ctx *c, const reuse_aligner *al, const reuse_region *reg, size_t m,
                      int threads, reuse_align *out)
{
    int p = c->p, rc = CT_OK;
    size_t *count = ct_calloc(3 * (size_t)p, sizeof *count), *fill = count + p;
    size_t *rcount = count + 2 * (size_t)p;
    wire_span *req = ct_malloc((2 * m + 1) * sizeof *req);
    size_t *slot = ct_malloc((2 * m + 1) * sizeof *slot); /* request -> place in req */
    const uint32_t **seg = ct_malloc((2 * m + 1) * sizeof *seg);
    if (any(!count || !req || !slot || !seg)) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t j = 0; j < 2 * m; j++)
        count[owner(c, j % 2 ? reg[j / 2].b : reg[j / 2].a)]++;
    for (int r = 0, s = 0; r < p; r++) {
        fill[r] = (size_t)s;
        s += (int)count[r];
    }
    for (size_t j = 0; j < 2 * m; j++) {
        const reuse_region *g = &reg[j / 2];
        uint32_t doc = j % 2 ? g->b : g->a;
        slot[j] = fill[owner(c, doc)]++;
        req[slot[j]] = j % 2 ? (wire_span){doc, g->b0, g->b1} : (wire_span){doc, g->a0, g->a1};
    }
    /* the owners copy the ranges asked for, in the order asked */
    wire_span *asked = NULL;
    size_t n_asked = 0;
    if ((rc = exchange(req, count, sizeof *req, (void **)&asked, &n_asked, rcount)) != CT_OK)
        goto cleanup;
    size_t *bytes = ct_calloc((size_t)p, sizeof *bytes), cp_total = 0;
    for (size_t i = 0; i < n_asked; i++)
        cp_total += asked[i].s1 - asked[i].s0;
    uint32_t *give = ct_malloc((cp_total ? cp_total : 1) * sizeof *give);
    if (any(!bytes || !give)) {
        ct_free(asked);
        ct_free(bytes);
        ct_free(give);
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0, r = 0, left = p ? rcount[0] : 0; i < n_asked; i++) {
        while (left == 0)
            left = rcount[++r];
        bytes[r] += asked[i].s1 - asked[i].s0;
        left--;
    }
    for (size_t i = 0, w = 0; i < n_asked; i++) {
        const reuse_doc *d = &c->docs[asked[i].doc - c->first];
        memcpy(give + w, d->cp + asked[i].s0, (asked[i].s1 - asked[i].s0) * sizeof *give);
        w += asked[i].s1 - asked[i].s0;
    }
    ct_free(asked);
    uint32_t *got = NULL;
    size_t n_got = 0;
    rc = exchange(give, bytes, sizeof *give, (void **)&got, &n_got, NULL);
    ct_free(give);
    ct_free(bytes);
    if (rc != CT_OK)
        goto cleanup;
    /* the replies arrive by rank in the order of req: the offset of each request */
    {
        size_t *at = ct_malloc((2 * m + 1) * sizeof *at), off = 0;
        if (any(!at)) {
            ct_free(got);
            rc = CT_ENOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < 2 * m; i++) {
            at[i] = off;
            off += req[i].s1 - req[i].s0;
        }
        for (size_t j = 0; j < 2 * m; j++)
            seg[j] = got + at[slot[j]];
        ct_free(at);
    }
    align_job job = {al, reg, seg, out};
    rc = reuse_parallel(m, threads, align_one, &job);
    ct_free(got);
cleanup:
    ct_free(count);
    ct_free(req);
    ct_free(slot);
    ct_free(seg);
    return rc;
}

/* ---- the passages' text, offsets, direction values and ids ---- */

typedef struct wire_place {
    uint64_t begin, end;
    uint32_t text_len, value_len, id_len; /* value_len UINT32_MAX: no value */
    uint32_t common;                      /* reuse_common_in */
} wire_place;

/* Every rank: place the spans asked of it into one buffer of replies (each: a wire_place,
 * then text, value and id, each NUL-terminated). */
static int serve(const ctx *c, const wire_span *asked, size_t n, char **out, size_t *len)
{
    size_t cap = 4096, w = 0;
    char *buf = ct_malloc(cap);
    *out = NULL;
    *len = 0;
    if (!buf)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t d = asked[i].doc - c->first, begin, end;
        char *text = NULL;
        int rc = reuse_to_original(&c->docs[d], asked[i].s0, asked[i].s1, &begin, &end, &text);
        if (rc != CT_OK) {
            ct_free(buf);
            return rc;
        }
        const char *value = c->field >= 0 ? ct_corpus_meta(c->corpus, d, (size_t)c->field) : NULL;
        const char *id = ct_corpus_id(c->corpus, d);
        wire_place h = {begin,
                        end,
                        (uint32_t)strlen(text),
                        value ? (uint32_t)strlen(value) : UINT32_MAX,
                        (uint32_t)strlen(id),
                        reuse_common_in(&c->docs[d], asked[i].s0, asked[i].s1)};
        size_t need = sizeof h + h.text_len + 1 + (value ? h.value_len : 0) + 1 + h.id_len + 1;
        if (w + need > cap) {
            while (w + need > cap)
                cap *= 2;
            char *nb = ct_realloc(buf, cap);
            if (!nb) {
                ct_free(text);
                ct_free(buf);
                return CT_ENOMEM;
            }
            buf = nb;
        }
        memcpy(buf + w, &h, sizeof h);
        w += sizeof h;
        memcpy(buf + w, text, h.text_len + 1);
        w += h.text_len + 1;
        if (value)
            memcpy(buf + w, value, h.value_len);
        w += value ? h.value_len : 0;
        buf[w++] = '\0';
        memcpy(buf + w, id, h.id_len + 1);
        w += h.id_len + 1;
        ct_free(text);
    }
    *out = buf;
    *len = w;
    return CT_OK;
}

/* The collective part of a fetch, on every rank: rank 0 scatters the spans (n of them,
 * only rank 0's count matters) to their owners and gathers the replies in *replies (rank
 * 0; *rlen bytes, by rank, each rank's in the order of its requests). */
static int fetch_round(ctx *c, const reuse_span *spans, long long n, char **replies, size_t *rlen,
                       int **rbytes, ct_error *err)
{
    int p = c->p, rc = CT_OK;
    ct_dist_quiet_barrier(); /* the others wait while rank 0 chooses the passages */
    MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (n < 0)
        return CT_OK; /* rank 0 failed before it could ask: nothing to serve */
    int *sc = ct_calloc(4 * (size_t)p, sizeof *sc), *sd = sc + p, mine = 0;
    int *rb = sc + 2 * (size_t)p, *rd = sc + 3 * (size_t)p;
    wire_span *req = NULL, *asked = NULL;
    size_t *fill = ct_calloc((size_t)p, sizeof *fill);
    char *reply = NULL, *all = NULL;
    size_t reply_len = 0;
    int bad = !sc || !fill;
    if (c->rank == 0 && !bad) {
        req = ct_malloc(((size_t)n + 1) * sizeof *req);
        bad = !req || (size_t)n > INT_MAX;
        for (long long i = 0; !bad && i < n; i++)
            sc[owner(c, spans[i].doc)]++;
        for (int r = 0, s = 0; !bad && r < p; r++) {
            sd[r] = s;
            fill[r] = (size_t)s;
            s += sc[r];
        }
        for (long long i = 0; !bad && i < n; i++)
            req[fill[owner(c, spans[i].doc)]++] =
                (wire_span){(uint32_t)spans[i].doc, spans[i].s0, spans[i].s1};
    }
    if (any(bad)) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    MPI_Scatter(sc, 1, MPI_INT, &mine, 1, MPI_INT, 0, MPI_COMM_WORLD);
    asked = ct_malloc(((size_t)mine + 1) * sizeof *asked);
    if (any(!asked)) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    MPI_Datatype t;
    MPI_Type_contiguous((int)sizeof *req, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    MPI_Scatterv(req, sc, sd, t, asked, mine, t, 0, MPI_COMM_WORLD);
    MPI_Type_free(&t);
    rc = serve(c, asked, (size_t)mine, &reply, &reply_len);
    if (rc == CT_OK && reply_len > INT_MAX)
        rc = CT_ENOMEM;
    if (rc != CT_OK)
        ct_error_set(err, NULL, 0, -1, "rank %d could not place the passages: %s", c->rank,
                     ct_strerror(rc));
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto cleanup;
    int len = (int)reply_len;
    MPI_Gather(&len, 1, MPI_INT, rb, 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t total = 0;
    if (c->rank == 0) {
        for (int r = 0; r < p; r++) {
            if (total + (size_t)rb[r] > INT_MAX)
                bad = 1;
            rd[r] = (int)total;
            total += (size_t)rb[r];
        }
        all = bad ? NULL : ct_malloc(total ? total : 1);
        bad = bad || !all;
    }
    if (any(bad)) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    MPI_Gatherv(reply, len, MPI_BYTE, all, rb, rd, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (c->rank == 0) {
        *replies = all;
        *rlen = total;
        all = NULL;
        *rbytes = ct_malloc((size_t)p * sizeof **rbytes);
        if (*rbytes)
            memcpy(*rbytes, sc, (size_t)p * sizeof **rbytes); /* spans per rank */
        else
            rc = CT_ENOMEM;
    }
cleanup:
    ct_free(sc);
    ct_free(fill);
    ct_free(req);
    ct_free(asked);
    ct_free(reply);
    ct_free(all);
    return rc;
}

/* reuse_finish's fetch on rank 0. */
static int fetch_dist(void *vc, const reuse_span *spans, size_t n, reuse_place *out, ct_error *err)
{
    ctx *c = vc;
    c->fetched = 1;
    char *replies = NULL;
    size_t rlen = 0;
    int *per_rank = NULL;
    int rc = fetch_round(c, spans, (long long)n, &replies, &rlen, &per_rank, err);
    if (rc != CT_OK) {
        ct_free(replies);
        ct_free(per_rank);
        return rc;
    }
    /* the replies of rank r answer its requests in span order: walk them rank by rank */
    c->replies = replies;
    c->span_docs = ct_malloc((n ? n : 1) * sizeof *c->span_docs);
    c->ids = ct_malloc((n ? n : 1) * sizeof *c->ids);
    if (!c->span_docs || !c->ids) {
        ct_free(per_rank);
        return CT_ENOMEM;
    }
    c->n_spans = n;
    /* where each rank's replies start */
    size_t *at = ct_calloc((size_t)c->p + 1, sizeof *at), off = 0;
    if (!at) {
        ct_free(per_rank);
        return CT_ENOMEM;
    }
    for (int r = 0; r < c->p; r++) {
        at[r] = off;
        for (int k = 0; k < per_rank[r]; k++) {
            wire_place h;
            memcpy(&h, replies + off, sizeof h);
            off += sizeof h + h.text_len + 1 + (h.value_len == UINT32_MAX ? 0 : h.value_len) + 1 +
                   h.id_len + 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int r = owner(c, spans[i].doc);
        char *q = replies + at[r];
        wire_place h;
        memcpy(&h, q, sizeof h);
        q += sizeof h;
        out[i].begin = (size_t)h.begin;
        out[i].end = (size_t)h.end;
        out[i].common = h.common;
        out[i].text = ct_strndup(q, h.text_len);
        if (!out[i].text)
            rc = CT_ENOMEM;
        q += h.text_len + 1;
        out[i].value = h.value_len == UINT32_MAX ? NULL : q;
        q += (h.value_len == UINT32_MAX ? 0 : h.value_len) + 1;
        c->ids[i] = q;
        c->span_docs[i] = spans[i].doc;
        q += h.id_len + 1;
        at[r] = (size_t)(q - replies);
    }
    ct_free(at);
    ct_free(per_rank);
    return rc;
}

static int cmp_doc_id(const void *x, const void *y)
{
    const size_t *p = x, *q = y;
    return *p < *q ? -1 : *p > *q;
}

/* Rank 0: the corpus of the ids of the documents in passages, in corpus order, and the
 * passages renumbered into it. */
static int name_documents(ctx *c, ct_reuse *res, ct_corpus **names, ct_error *err)
{
    int rc = ct_corpus_new(names, NULL);
    if (rc != CT_OK)
        return rc;
    size_t n = c->n_spans, m = 0;
    size_t *docs = ct_malloc((n ? n : 1) * sizeof *docs);
    /* (document, span) pairs sorted by document */
    size_t *pairs = ct_malloc((n ? n : 1) * 2 * sizeof *pairs);
    if (!docs || !pairs) {
        ct_free(docs);
        ct_free(pairs);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = c->span_docs[i];
        pairs[2 * i + 1] = i;
    }
    ct_sort(pairs, n, 2 * sizeof *pairs, cmp_doc_id);
    for (size_t i = 0; i < n && rc == CT_OK; i++) {
        if (m > 0 && docs[m - 1] == pairs[2 * i])
            continue;
        docs[m++] = pairs[2 * i];
        const char *id = c->ids[pairs[2 * i + 1]];
        rc = ct_corpus_add_text(*names, id, id, "", 0, err);
    }
    if (rc == CT_OK)
        reuse_renumber(res, docs, m);
    ct_free(pairs);
    ct_free(docs);
    return rc;
}

int ct_dist_reuse(ct_reuse **out, ct_corpus **names, size_t *n_total, const ct_corpus *corpus,
                  const ct_reuse_options *opts, int directed, ct_error *err)
{
    *out = NULL;
    *names = NULL;
    ctx c = {.rank = ct_dist_rank(), .p = ct_dist_size(), .corpus = corpus};
    c.nl = ct_corpus_size(corpus);
    c.field = opts->direction_field;
    ct_reuse_options o = *opts;
    unsigned long long nl = c.nl, first = 0, N = 0;
    MPI_Exscan(&nl, &first, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&nl, &N, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    c.first = c.rank == 0 ? 0 : (size_t)first;
    c.N = (size_t)N;
    *n_total = c.N;
    reuse_aligner *al = NULL;
    uint64_t *starts = NULL;
    uint32_t *lens = NULL;
    int *cnt = NULL, *dsp = NULL;
    reuse_regions regs = {0};
    wire_region *wr = NULL, *all = NULL;
    reuse_region *deal = NULL, *mine = NULL;
    reuse_align *aligned = NULL, *aligns = NULL;
    ct_reuse *res = NULL;
    size_t candidates = 0, n_mine = 0;
    int rc = reuse_options_check(&o, c.N, err);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        return rc;
    int threads = o.threads > 0 ? o.threads : ct_default_threads();
    rc = reuse_aligner_new(&al, err);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto cleanup;
    c.docs = ct_calloc(c.nl ? c.nl : 1, sizeof *c.docs);
    c.rank_first = ct_malloc(((size_t)c.p + 1) * sizeof *c.rank_first);
    cnt = ct_malloc(2 * (size_t)c.p * sizeof *cnt);
    dsp = cnt ? cnt + c.p : NULL;
    rc = c.docs && c.rank_first && cnt ? CT_OK : CT_ENOMEM;
    /* every text is read, even when there is nothing to compare; the lowest failing rank
     * holds the first failing document */
    if (rc == CT_OK)
        rc = reuse_prepare(corpus, &o, threads, c.docs, err);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto cleanup;
    if (c.N < 2) {

        if (c.rank == 0 && (rc = reuse_empty(&o, &res)) == CT_OK)
            rc = ct_corpus_new(names, NULL);
        rc = ct_dist_agree(rc, err);
        goto cleanup;
    }
    /* the documents' ranks and skeleton lengths, on every rank */
    int mine_n = (int)c.nl;
    MPI_Allgather(&mine_n, 1, MPI_INT, cnt, 1, MPI_INT, MPI_COMM_WORLD);
    c.rank_first[0] = 0;
    for (int r = 0; r < c.p; r++) {
        dsp[r] = (int)c.rank_first[r];
        c.rank_first[r + 1] = c.rank_first[r] + (size_t)cnt[r];
    }
    lens = ct_malloc(c.N * sizeof *lens);
    starts = ct_malloc((c.N + 1) * sizeof *starts);
    uint32_t *my_lens = ct_malloc((c.nl ? c.nl : 1) * sizeof *my_lens);
    if (any(!lens || !starts || !my_lens || c.N > INT_MAX)) {
        ct_free(my_lens);
        rc = CT_ENOMEM;
        goto agreed;
    }
    for (size_t d = 0; d < c.nl; d++)
        my_lens[d] = c.docs[d].n;
    MPI_Allgatherv(my_lens, mine_n, MPI_UINT32_T, lens, cnt, dsp, MPI_UINT32_T, MPI_COMM_WORLD);
    ct_free(my_lens);
    uint64_t total = 0;
    for (size_t d = 0; d < c.N; d++) {
        starts[d] = total;
        total += lens[d];
    }
    starts[c.N] = total;
    if (total >= UINT32_MAX) {
        ct_error_set(err, NULL, 0, -1, "reuse: the corpus has 4 G characters or more");
        rc = CT_EINVAL;
        goto agreed;
    }
    if ((rc = find_regions(&c, &o, starts, lens, &regs)) != CT_OK)
        goto agreed;
    /* the regions, on rank 0, in the order one process makes them */
    int bad = regs.n > INT_MAX;
    wr = ct_malloc((regs.n ? regs.n : 1) * sizeof *wr);
    if (any(bad || !wr)) {
        rc = CT_ENOMEM;
        goto agreed;
    }
    for (size_t i = 0; i < regs.n; i++)
        wr[i] = (wire_region){regs.v[i], (uint32_t)i};
    ct_free(regs.v);
    regs.v = NULL;
    int my_regions = (int)regs.n;
    MPI_Gather(&my_regions, 1, MPI_INT, cnt, 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t n_all = 0;
    if (c.rank == 0) {
        for (int r = 0; r < c.p; r++) {
            if (n_all + (size_t)cnt[r] > INT_MAX)
                bad = 1;
            dsp[r] = (int)n_all;
            n_all += (size_t)cnt[r];
        }
        all = bad ? NULL : ct_malloc((n_all ? n_all : 1) * sizeof *all);
        bad = bad || !all;
    }
    if (any(bad)) {
        rc = CT_ENOMEM;
        goto agreed;
    }
    MPI_Datatype t;
    MPI_Type_contiguous((int)sizeof *wr, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    MPI_Gatherv(wr, my_regions, t, all, cnt, dsp, t, 0, MPI_COMM_WORLD);
    MPI_Type_free(&t);
    ct_free(wr);
    wr = NULL;
    if (c.rank == 0) {
        ct_sort(all, n_all, sizeof *all, cmp_wire);
        deal = ct_malloc((n_all ? n_all : 1) * sizeof *deal);
        if (!deal)
            rc = CT_ENOMEM;
        for (size_t i = 0; rc == CT_OK && i < n_all; i++)
            deal[i] = all[i].r;
        ct_free(all);
        all = NULL;
        if (rc == CT_OK) {
            reuse_sort_regions(deal, n_all);
            rc = reuse_reduce(deal, &n_all, c.N, o.boilerplate_docs);
        }
        candidates = n_all;
    }
    ct_dist_quiet_barrier(); /* the others wait for rank 0 without spinning */
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto cleanup;
    /* dealt out: region i to rank i % p */
    unsigned long long nc = candidates;
    MPI_Bcast(&nc, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    candidates = (size_t)nc;
    n_mine = candidates / (size_t)c.p + ((size_t)c.rank < candidates % (size_t)c.p);
    mine = ct_malloc((n_mine ? n_mine : 1) * sizeof *mine);
    aligned = ct_calloc(n_mine ? n_mine : 1, sizeof *aligned);
    reuse_region *sorted = NULL;
    if (c.rank == 0) { /* by rank, in order */
        sorted = ct_malloc((candidates ? candidates : 1) * sizeof *sorted);
        for (size_t i = 0, w = 0; sorted && (int)w < c.p; w++)
            for (size_t j = w; j < candidates; j += (size_t)c.p)
                sorted[i++] = deal[j];
    }
    if (any(!mine || !aligned || (c.rank == 0 && !sorted))) {
        ct_free(sorted);
        rc = CT_ENOMEM;
        goto agreed;
    }
    for (int r = 0, s = 0; r < c.p; r++) {
        cnt[r] = (int)(candidates / (size_t)c.p + ((size_t)r < candidates % (size_t)c.p));
        dsp[r] = s;
        s += cnt[r];
    }
    MPI_Type_contiguous((int)sizeof *mine, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    MPI_Scatterv(sorted, cnt, dsp, t, mine, (int)n_mine, t, 0, MPI_COMM_WORLD);
    MPI_Type_free(&t);
    ct_free(sorted);
    ct_free(deal);
    deal = NULL;
    rc = align_mine(&c, al, mine, n_mine, threads, aligned);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto cleanup;
    ct_free(mine);
    mine = NULL;
    /* the alignments, back on rank 0 in region order */
    reuse_align *byrank = NULL;
    if (c.rank == 0) {
        byrank = ct_malloc((candidates ? candidates : 1) * sizeof *byrank);
        aligns = ct_malloc((candidates ? candidates : 1) * sizeof *aligns);
    }
    if (any(c.rank == 0 && (!byrank || !aligns))) {
        ct_free(byrank);
        rc = CT_ENOMEM;
        goto agreed;
    }
    MPI_Type_contiguous((int)sizeof *aligned, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    MPI_Gatherv(aligned, (int)n_mine, t, byrank, cnt, dsp, t, 0, MPI_COMM_WORLD);
    MPI_Type_free(&t);
    if (c.rank == 0) {
        for (size_t i = 0, w = 0; (int)w < c.p; w++)
            for (size_t j = w; j < candidates; j += (size_t)c.p)
                aligns[j] = byrank[i++];
        ct_free(byrank);
        ct_reuse_options o0 = o;
        o0.direction_field = directed ? 0 : -1;
        rc = reuse_finish(aligns, candidates, c.N, &o0, candidates, fetch_dist, &c, &res, err);
        if (!c.fetched) { /* the others wait to serve: tell them there is nothing */
            reuse_span none = {0};
            fetch_round(&c, &none, -1, NULL, NULL, NULL, err);
        }
        if (rc == CT_OK)
            rc = name_documents(&c, res, names, err);
    } else
        rc = fetch_round(&c, NULL, 0, NULL, NULL, NULL, err);
    rc = ct_dist_agree(rc, err);
    goto cleanup;
agreed:

    rc = ct_dist_agree(rc, err);
cleanup:
    if (rc == CT_OK && c.rank == 0) {
        *out = res;
        res = NULL;
    } else if (*names) {
        ct_corpus_free(*names);
        *names = NULL;
    }
    ct_reuse_free(res);
    if (c.docs)
        for (size_t d = 0; d < c.nl; d++)
            reuse_doc_clear(&c.docs[d]);
    ct_free(c.docs);
    ct_free(c.rank_first);
    ct_free(c.replies);
    ct_free(c.span_docs);
    ct_free(c.ids);
    ct_free(cnt);
    ct_free(lens);
    ct_free(starts);
    ct_free(regs.v);
    ct_free(wr);
    ct_free(all);
    ct_free(deal);
    ct_free(mine);
    ct_free(aligned);
    ct_free(aligns);
    reuse_aligner_free(al);
    return rc;
}
