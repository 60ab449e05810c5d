/* reuse.c — shared passages between documents (comptext/reuse.h): runs the steps of
 * reuse_candidates.c and reuse_align.c, then turns alignments into passages.
 *
 * After the candidate regions are aligned (on threads, each into its own slot, so the result
 * does not depend on the number of threads), alignments of one document pair that follow
 * each other closely — the pieces of a long region, or two regions split by a short
 * rewritten stretch — are joined into one passage; of alignments that cover the same text in
 * both documents the best is kept; what is shorter than min_length or below min_identity is
 * dropped. Passages are then clustered: overlapping spans of one document are one node, and
 * each passage links its two nodes; a cluster of boilerplate_docs documents or more is
 * boilerplate and keeps only a maximum spanning tree of its passages (best score first), so
 * a passage repeated in N documents costs N - 1 lines rather than N (N - 1) / 2. A passage
 * with fewer than min_length characters outside common text (under shingles found in
 * boilerplate_docs documents or more) in both documents is boilerplate too, whatever its
 * cluster: a template sentence with a few words around it that only two reports share.
 * Finally the
 * skeleton ranges are mapped back to characters of the original texts, each pair is
 * oriented by the direction field, and passages are sorted with a full tie-break. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/normalize.h"
#include "reuse_impl.h"
#include "sort.h"

/* Alignments of a pair at most MERGE_GAP skeleton characters apart in both documents are
 * joined; the gap is counted as aligned columns that do not match. */
#define MERGE_GAP 12
#define MAX_THREADS 64

struct ct_reuse {
    ct_reuse_passage *v;
    size_t n;
    size_t candidates, found;
    int directed_mode;
};

void ct_reuse_options_init(ct_reuse_options *o)
{
    memset(o, 0, sizeof *o);
    o->norm_flags = CT_NORM_NFKC | CT_NORM_CASEFOLD; /* callers add CT_NORM_FOLD_SCRIPT */
    o->shingle = 10;
    o->max_df = 100;
    o->min_shingles = 3;
    o->min_length = 20;
    o->min_identity = 0.8;
    o->boilerplate_docs = 5;
    o->direction_field = -1;
}

/* ---- threads ---- */

typedef struct par {
    size_t n;
    size_t next;
    int rc;
    pthread_mutex_t lock;
    int (*fn)(void *, size_t);
    void *ctx;
} par;

static void *par_main(void *arg)
{
    par *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        int stop = p->rc != CT_OK;
        pthread_mutex_unlock(&p->lock);
        if (stop || i >= p->n)
            return NULL;
        int rc = p->fn(p->ctx, i);
        if (rc != CT_OK) {
            pthread_mutex_lock(&p->lock);
            if (p->rc == CT_OK)
                p->rc = rc;
            pthread_mutex_unlock(&p->lock);
        }
    }
}

int reuse_parallel(size_t n, int threads, int (*fn)(void *ctx, size_t i), void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > n)
        threads = n ? (int)n : 1;
    par p = {.n = n, .fn = fn, .ctx = ctx};
    if (threads == 1) {
        for (size_t i = 0; i < n; i++)
            if ((p.rc = fn(ctx, i)) != CT_OK)
                break;
        return p.rc;
    }
    pthread_mutex_init(&p.lock, NULL);
    pthread_t t[MAX_THREADS];
    int started = 0;
    for (; started < threads - 1; started++)
        if (pthread_create(&t[started], NULL, par_main, &p) != 0)
            break;
    par_main(&p); /* this thread works too; with no extra thread it does everything */
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    pthread_mutex_destroy(&p.lock);
    return p.rc;
}

/* ---- alignment on threads ---- */

typedef struct align_ctx {
    const reuse_aligner *al;
    const reuse_doc *docs;
    const reuse_region *regions;
    reuse_align *out;
} align_ctx;

static int align_fn(void *ctx, size_t i)
{
    align_ctx *c = ctx;
    return reuse_align_region(c->al, c->docs, &c->regions[i], &c->out[i]);
}

/* ---- passages in skeleton coordinates ---- */

typedef struct sp {
    uint32_t a, b, a0, a1, b0, b1;
    uint32_t columns, matches;
    long score;
    size_t comp;
    int keep;
    size_t idx; /* the candidate region, while candidates are reduced */
} sp;

/* Position order of two pairs given as (a, b, a_begin, b_begin, a_end, b_end), then the
 * higher score first: the one ordering of spans and of passages. */
static int cmp_position(const size_t u[6], long su, const size_t v[6], long sv)
{
    for (int i = 0; i < 6; i++)
        if (u[i] != v[i])
            return u[i] < v[i] ? -1 : 1;
    if (su != sv)
        return su > sv ? -1 : 1;
    return 0;
}

static int cmp_sp_pos(const void *x, const void *y)
{
    const sp *p = x, *q = y;
    const size_t u[] = {p->a, p->b, p->a0, p->b0, p->a1, p->b1};
    const size_t v[] = {q->a, q->b, q->a0, q->b0, q->a1, q->b1};
    return cmp_position(u, p->score, v, q->score);
}

/* Best first: score, then identity as matches/columns (cross-multiplied), then position. */
static int cmp_sp_best(const void *x, const void *y)
{
    const sp *p = x, *q = y;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    uint64_t l = (uint64_t)p->matches * q->columns, r = (uint64_t)q->matches * p->columns;
    if (l != r)
        return l > r ? -1 : 1;
    return cmp_sp_pos(x, y);
}

/* By pair, then best first. */
static int cmp_sp_pair_best(const void *x, const void *y)
{
    const sp *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return cmp_sp_best(x, y);
}

static uint32_t overlap(uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    uint32_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* The larger of two overlaps relative to the shorter span exceeds half. */
static int covers(const sp *p, const sp *q)
{
    uint32_t oa = overlap(p->a0, p->a1, q->a0, q->a1), ob = overlap(p->b0, p->b1, q->b0, q->b1);
    uint32_t la = p->a1 - p->a0 < q->a1 - q->a0 ? p->a1 - p->a0 : q->a1 - q->a0;
    uint32_t lb = p->b1 - p->b0 < q->b1 - q->b0 ? p->b1 - p->b0 : q->b1 - q->b0;
    return 2 * oa > la && 2 * ob > lb;
}

/* Join alignments of a pair that follow each other closely; v sorted by position. */
static size_t join(sp *v, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w > 0) {
            sp *p = &v[w - 1];
            const sp *x = &v[i];
            if (p->a == x->a && p->b == x->b && x->a0 >= p->a1 && x->b0 >= p->b1 &&
                x->a0 - p->a1 <= MERGE_GAP && x->b0 - p->b1 <= MERGE_GAP) {
                uint32_t ga = x->a0 - p->a1, gb = x->b0 - p->b1;
                uint32_t sub = ga < gb ? ga : gb, indel = ga > gb ? ga - gb : gb - ga;
                p->columns += x->columns + sub + indel;
                p->matches += x->matches;
                p->score += x->score - 3 * (long)sub - (indel ? 5 + 2 * (long)(indel - 1) : 0);
                p->a1 = x->a1;
                p->b1 = x->b1;
                continue;
            }
        }
        v[w++] = v[i];
    }
    return w;
}

/* Union-find. */
static size_t find(size_t *up, size_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

static void unite(size_t *up, size_t x, size_t y)
{
    x = find(up, x);
    y = find(up, y);
    if (x != y) {
        if (x < y)
            up[y] = x;
        else
            up[x] = y;
    }
}

typedef struct span {
    uint32_t doc, begin, end;
    size_t passage; /* passage index * 2 + side */
} span;

static int cmp_span(const void *x, const void *y)
{
    const span *p = x, *q = y;
    if (p->doc != q->doc)
        return p->doc < q->doc ? -1 : 1;
    if (p->begin != q->begin)
        return p->begin < q->begin ? -1 : 1;
    if (p->end != q->end)
        return p->end < q->end ? -1 : 1;
    return p->passage < q->passage ? -1 : p->passage > q->passage;
}

typedef struct cd {
    size_t comp;
    uint32_t doc;
} cd;

static int cmp_cd(const void *x, const void *y)
{
    const cd *p = x, *q = y;
    if (p->comp != q->comp)
        return p->comp < q->comp ? -1 : 1;
    return p->doc < q->doc ? -1 : p->doc > q->doc;
}

/* Cluster the passages (comp: a representative index), then set keep: every passage of a
 * small cluster, the maximum spanning tree of a boilerplate one. sizes[comp] = documents. */
static int cluster(sp *v, size_t n, size_t n_docs, size_t boilerplate_docs, size_t *sizes)
{
    span *s = ct_malloc((2 * n + 1) * sizeof *s);
    size_t *up = ct_malloc((2 * n + 1) * sizeof *up);
    size_t *dup = ct_malloc((2 * n + 1) * sizeof *dup);
    size_t *node = ct_malloc((2 * n + 1) * sizeof *node);
    cd *c = ct_malloc((2 * n + 1) * sizeof *c);
    size_t *active = ct_malloc((2 * n + 1) * sizeof *active), n_active = 0;
    int rc = CT_OK;
    (void)n_docs;
    if (!s || !up || !dup || !node || !c || !active) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = (span){v[i].a, v[i].a0, v[i].a1, 2 * i};
        s[2 * i + 1] = (span){v[i].b, v[i].b0, v[i].b1, 2 * i + 1};
        up[2 * i] = up[2 * i + 1] = 2 * i;
    }
    ct_sort(s, 2 * n, sizeof *s, cmp_span);
    /* Spans of one document that mostly overlap are one node: each span joins the active
     * representative (a span whose end lies beyond its begin) it overlaps most, when that
     * covers more than half of the shorter of the two, or becomes a representative itself.
     * Comparing with representatives rather than with every span keeps a long chain of
     * slightly overlapping passages from fusing a whole document into one node. */
    for (size_t i = 0; i < 2 * n; i++) {
        if (i > 0 && s[i].doc != s[i - 1].doc)
            n_active = 0;
        size_t w = 0, best = (size_t)-1;
        double best_share = 0.5;
        for (size_t j = 0; j < n_active; j++) {
            const span *r = &s[active[j]];
            if (r->end <= s[i].begin)
                continue;
            active[w++] = active[j];
            uint32_t ov = overlap(r->begin, r->end, s[i].begin, s[i].end);
            uint32_t lr = r->end - r->begin, ls = s[i].end - s[i].begin;
            double share = (double)ov / (double)(lr < ls ? lr : ls);
            if (share > best_share) {
                best_share = share;
                best = active[w - 1];
            }
        }
        n_active = w;
        if (best != (size_t)-1) {
            unite(up, s[i].passage, s[best].passage);
            node[s[i].passage] = s[best].passage;
        } else {
            active[n_active++] = i;
            node[s[i].passage] = s[i].passage;
        }
    }
    for (size_t i = 0; i < n; i++)
        v[i].comp = find(up, 2 * i);
    /* Documents of each cluster. */
    for (size_t i = 0; i < n; i++) {
        c[2 * i] = (cd){v[i].comp, v[i].a};
        c[2 * i + 1] = (cd){v[i].comp, v[i].b};
    }
    ct_sort(c, 2 * n, sizeof *c, cmp_cd);
    for (size_t i = 0; i < 2 * n; i++)
        sizes[c[i].comp] += i == 0 || c[i].comp != c[i - 1].comp || c[i].doc != c[i - 1].doc;
    /* Spanning trees of the boilerplate clusters, best passage first, over the nodes (spans)
     * rather than the documents: a strong pair is never dropped because weaker passages
     * elsewhere in the same documents already connect them. */
    for (size_t i = 0; i < 2 * n; i++)
        dup[i] = i;
    for (size_t i = 0; i < n; i++)
        v[i].keep = sizes[v[i].comp] < boilerplate_docs;
    /* v is sorted best first by the caller, so within a cluster index order is the order of
     * Kruskal. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!v[i].keep)
            c[m++] = (cd){v[i].comp, (uint32_t)i};
    ct_sort(c, m, sizeof *c, cmp_cd);
    for (size_t h = 0; h < m; h++) {
        size_t i = c[h].doc, x = node[2 * i], y = node[2 * i + 1];
        if (find(dup, x) != find(dup, y)) {
            unite(dup, x, y);
            v[i].keep = 1;
        }
    }
cleanup:
    ct_free(s);
    ct_free(up);
    ct_free(dup);
    ct_free(node);
    ct_free(c);
    ct_free(active);
    return rc;
}

/* By cluster, then pair, kept ones first. */
static int cmp_sp_comp_pair(const void *x, const void *y)
{
    const sp *p = x, *q = y;
    if (p->comp != q->comp)
        return p->comp < q->comp ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->keep != q->keep)
        return p->keep > q->keep ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* Boilerplate before alignment: the candidate regions are clustered as passages are (their
 * spans), and a cluster of boilerplate_docs documents or more keeps the document pairs of a
 * maximum spanning tree by shared shingles (every region of such a pair, since a long
 * passage is cut into several), so a passage copied into N documents costs N - 1
 * alignments, not N (N - 1) / 2. Regions are compacted in place; *n is updated. */
int reuse_reduce(reuse_region *r, size_t *n, size_t n_docs, size_t boilerplate_docs)
{
    size_t m = *n;
    sp *v = ct_malloc((m ? m : 1) * sizeof *v);
    size_t *sizes = ct_calloc(2 * m + 1, sizeof *sizes);
    unsigned char *keep = ct_calloc(m ? m : 1, 1);
    int rc = CT_OK;
    if (!v || !sizes || !keep) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++)
        v[i] =
            (sp){r[i].a, r[i].b, r[i].sa0, r[i].sa1, r[i].sb0, r[i].sb1, 1, 1, r[i].hits, 0, 0, i};
    ct_sort(v, m, sizeof *v, cmp_sp_best);
    if ((rc = cluster(v, m, n_docs, boilerplate_docs, sizes)) != CT_OK)
        goto cleanup;
    ct_sort(v, m, sizeof *v, cmp_sp_comp_pair);
    for (size_t i = 0; i < m; i++) {
        int first =
            i == 0 || v[i].comp != v[i - 1].comp || v[i].a != v[i - 1].a || v[i].b != v[i - 1].b;
        if (!first)
            v[i].keep = v[i - 1].keep; /* kept ones sort first within a pair */
        keep[v[i].idx] = (unsigned char)v[i].keep;
    }
    size_t w = 0;
    for (size_t i = 0; i < m; i++)
        if (keep[i])
            r[w++] = r[i];
    *n = w;
cleanup:
    ct_free(v);
    ct_free(sizes);
    ct_free(keep);
    return rc;
}

/* ---- the direction field ---- */

/* -1, 0, 1: a before, the same as, after b; 0 also when either has no value. Numbers compare
 * as numbers, anything else in byte order. */
static int direction(const char *va, const char *vb, int *ordered)
{
    *ordered = 0;
    if (!va || !vb || !*va || !*vb)
        return 0;
    char *ea, *eb;
    double x = strtod(va, &ea), y = strtod(vb, &eb);
    int c;
    if (*ea == '\0' && *eb == '\0' && !isnan(x) && !isnan(y))
        c = x < y ? -1 : x > y;
    else {
        int s = strcmp(va, vb);
        c = s < 0 ? -1 : s > 0;
    }
    *ordered = c != 0;
    return c;
}

static int cmp_passage(const void *x, const void *y)
{
    const ct_reuse_passage *p = x, *q = y;
    const size_t u[] = {p->a, p->b, p->a_begin, p->b_begin, p->a_end, p->b_end};
    const size_t v[] = {q->a, q->b, q->a_begin, q->b_begin, q->a_end, q->b_end};
    return cmp_position(u, p->score, v, q->score);
}

/* Character offsets of skeleton range [s0, s1) of doc and its original text. */
int reuse_to_original(const reuse_doc *d, uint32_t s0, uint32_t s1, size_t *begin, size_t *end,
                      char **text)
{
    size_t b0 = d->bbeg[s0], b1 = d->bend[s1 - 1];
    size_t chars = d->cbeg[s1 - 1];
    for (size_t i = d->bbeg[s1 - 1]; i < b1; i++)
        chars += ((unsigned char)d->text[i] & 0xC0) != 0x80;
    *begin = d->cbeg[s0];
    *end = chars;
    *text = ct_strndup(d->text + b0, b1 - b0);
    return *text ? CT_OK : CT_ENOMEM;
}

void ct_reuse_free(ct_reuse *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        ct_free((char *)r->v[i].a_text);
        ct_free((char *)r->v[i].b_text);
    }
    ct_free(r->v);
    ct_free(r);
}

size_t ct_reuse_count(const ct_reuse *r)
{
    return r ? r->n : 0;
}

const ct_reuse_passage *ct_reuse_get(const ct_reuse *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

size_t ct_reuse_candidates(const ct_reuse *r)
{
    return r ? r->candidates : 0;
}

size_t ct_reuse_passages_found(const ct_reuse *r)
{
    return r ? r->found : 0;
}

int reuse_options_check(ct_reuse_options *o, size_t n_docs, ct_error *err)
{
    if (o->shingle < 4 || o->shingle > 64 || o->min_length < 1 || o->min_shingles < 1 ||
        !(o->min_identity >= 0 && o->min_identity <= 1) || o->boilerplate_docs < 2 ||
        (o->max_df_prop <= 0 && o->max_df < 2) || o->max_df_prop > 1) {
        ct_error_set(err, NULL, 0, -1, "reuse: an option is out of range");
        return CT_EINVAL;
    }
    if (o->max_df_prop > 0)
        o->max_df = (size_t)ceil(o->max_df_prop * (double)n_docs);
    if (o->max_df < 2)
        o->max_df = 2;
    return CT_OK;
}

int reuse_empty(const ct_reuse_options *o, ct_reuse **out)
{
    ct_reuse *res = ct_calloc(1, sizeof *res);
    if (!res)
        return CT_ENOMEM;
    res->directed_mode = o->direction_field >= 0;
    *out = res;
    return CT_OK;
}

static size_t doc_index(const size_t *docs, size_t n, size_t d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (docs[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void reuse_renumber(ct_reuse *r, const size_t *docs, size_t n)
{
    for (size_t i = 0; i < r->n; i++) {
        r->v[i].a = doc_index(docs, n, r->v[i].a);
        r->v[i].b = doc_index(docs, n, r->v[i].b);
    }
}

int reuse_finish(const reuse_align *aligns, size_t n_regions, size_t n_docs,
                 const ct_reuse_options *opts, size_t candidates, reuse_fetch_fn fetch, void *ctx,
                 ct_reuse **out, ct_error *err)
{
    const ct_reuse_options *o = opts;
    *out = NULL;
    sp *v = NULL;
    size_t *sizes = NULL, *compid = NULL, n = 0;
    reuse_span *spans = NULL;
    reuse_place *places = NULL;
    size_t n_places = 0;
    ct_reuse *res = NULL;
    int rc = reuse_empty(o, &res);
    if (rc != CT_OK)
        return rc;
    res->candidates = candidates;
    v = ct_malloc((n_regions ? n_regions : 1) * sizeof *v);
    if (!v) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n_regions; i++) {
        const reuse_align *x = &aligns[i];
        if (x->valid)
            v[n++] = (sp){x->a,       x->b,       x->a0,    x->a1, x->b0, x->b1,
                          x->columns, x->matches, x->score, 0,     0,     i};
    }
    /* Duplicates (overlapping regions align to the same text) first, then joins. */
    ct_sort(v, n, sizeof *v, cmp_sp_pos);
    {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (w == 0 || v[i].a != v[w - 1].a || v[i].b != v[w - 1].b || v[i].a0 != v[w - 1].a0 ||
                v[i].a1 != v[w - 1].a1 || v[i].b0 != v[w - 1].b0 || v[i].b1 != v[w - 1].b1)
                v[w++] = v[i];
        n = w;
    }
    n = join(v, n);
    /* Of passages covering the same text of a pair, the best. */
    ct_sort(v, n, sizeof *v, cmp_sp_pair_best);
    {
        size_t w = 0, pair_start = 0;
        for (size_t i = 0; i < n; i++) {
            if (w > 0 && (v[w - 1].a != v[i].a || v[w - 1].b != v[i].b))
                pair_start = w;
            int dup = 0;
            for (size_t j = pair_start; j < w && !dup; j++)
                dup = v[j].a == v[i].a && v[j].b == v[i].b && covers(&v[j], &v[i]);
            if (dup)
                continue;
            if (v[i].columns < o->min_length ||
                (double)v[i].matches < o->min_identity * (double)v[i].columns)
                continue;
            v[w++] = v[i];
        }
        n = w;
    }
    ct_sort(v, n, sizeof *v, cmp_sp_best); /* the order of Kruskal in cluster() */
    res->found = n;
    sizes = ct_calloc(2 * n + 1, sizeof *sizes);
    if (!sizes) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    if ((rc = cluster(v, n, n_docs, o->boilerplate_docs, sizes)) != CT_OK)
        goto cleanup;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += v[i].keep;
    res->v = ct_calloc(kept ? kept : 1, sizeof *res->v);
    spans = ct_malloc((2 * kept + 1) * sizeof *spans);
    places = ct_calloc(2 * kept + 1, sizeof *places);
    if (!res->v || !spans || !places) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    n_places = 2 * kept;
    for (size_t i = 0, k = 0; i < n; i++)
        if (v[i].keep) {
            spans[k++] = (reuse_span){v[i].a, v[i].a0, v[i].a1};
            spans[k++] = (reuse_span){v[i].b, v[i].b0, v[i].b1};
        }
    if ((rc = fetch(ctx, spans, 2 * kept, places, err)) != CT_OK)
        goto cleanup;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (!v[i].keep)
            continue;
        ct_reuse_passage *p = &res->v[res->n++];
        reuse_place *pa = &places[k++], *pb = &places[k++];
        p->a_begin = pa->begin;
        p->a_end = pa->end;
        p->b_begin = pb->begin;
        p->b_end = pb->end;
        p->a_text = pa->text;
        p->b_text = pb->text;
        pa->text = pb->text = NULL;
        p->a = v[i].a;
        p->b = v[i].b;
        p->length = v[i].columns;
        p->matches = v[i].matches;
        p->identity = v[i].columns ? (double)v[i].matches / (double)v[i].columns : 0;
        p->score = v[i].score;
        p->cluster = v[i].comp; /* renumbered below */
        p->cluster_size = sizes[v[i].comp];
        /* boilerplate: a large cluster, or too little beyond common text in both documents */
        uint32_t own_a = v[i].a1 - v[i].a0 - pa->common, own_b = v[i].b1 - v[i].b0 - pb->common;
        p->boilerplate = sizes[v[i].comp] >= o->boilerplate_docs ||
                         (own_a < o->min_length && own_b < o->min_length);
        int ordered = 0,
            c = o->direction_field >= 0 ? direction(pa->value, pb->value, &ordered) : 0;
        p->directed = ordered;
        if (c > 0) {
            size_t t;
            const char *s;
            t = p->a, p->a = p->b, p->b = t;
            t = p->a_begin, p->a_begin = p->b_begin, p->b_begin = t;
            t = p->a_end, p->a_end = p->b_end, p->b_end = t;
            s = p->a_text, p->a_text = p->b_text, p->b_text = s;
        }
    }
    ct_sort(res->v, res->n, sizeof *res->v, cmp_passage);
    /* Clusters numbered in order of their first passage. */
    compid = ct_malloc((2 * n + 1) * sizeof *compid);
    if (!compid) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < 2 * n + 1; i++)
        compid[i] = (size_t)-1;
    size_t next = 0;
    for (size_t i = 0; i < res->n; i++) {
        size_t cc = res->v[i].cluster;
        if (compid[cc] == (size_t)-1)
            compid[cc] = next++;
        res->v[i].cluster = compid[cc];
    }
    *out = res;
    res = NULL;
cleanup:
    for (size_t k = 0; places && k < n_places; k++)
        ct_free(places[k].text); /* those the result did not take */
    ct_free(v);
    ct_free(sizes);
    ct_free(compid);
    ct_free(spans);
    ct_free(places);
    ct_reuse_free(res);
    return rc;
}

/* The single process's fetch: the prepared documents and the corpus's metadata. */
typedef struct local_fetch {
    const reuse_doc *docs;
    const ct_corpus *corpus;
    long field;
} local_fetch;

static int fetch_local(void *ctx, const reuse_span *spans, size_t n, reuse_place *out,
                       ct_error *err)
{
    const local_fetch *c = ctx;
    (void)err;
    for (size_t i = 0; i < n; i++) {
        int rc = reuse_to_original(&c->docs[spans[i].doc], spans[i].s0, spans[i].s1, &out[i].begin,
                                   &out[i].end, &out[i].text);
        if (rc != CT_OK)
            return rc;
        out[i].value =
            c->field >= 0 ? ct_corpus_meta(c->corpus, spans[i].doc, (size_t)c->field) : NULL;
        out[i].common = reuse_common_in(&c->docs[spans[i].doc], spans[i].s0, spans[i].s1);
    }
    return CT_OK;
}

int ct_reuse_find(const ct_corpus *corpus, const ct_reuse_options *opts, ct_reuse **out,
                  ct_error *err)
{
    *out = NULL;
    ct_reuse_options o;
    if (opts)
        o = *opts;
    else
        ct_reuse_options_init(&o);
    size_t n_docs = ct_corpus_size(corpus);
    int rc = reuse_options_check(&o, n_docs, err);
    if (rc != CT_OK)
        return rc;
    int threads = o.threads > 0 ? o.threads : ct_default_threads();
    reuse_aligner *al = NULL;
    reuse_doc *docs = ct_calloc(n_docs ? n_docs : 1, sizeof *docs);
    reuse_region *regions = NULL;
    reuse_align *aligns = NULL;
    size_t n_regions = 0;
    if (!docs) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    if ((rc = reuse_aligner_new(&al, err)) != CT_OK)
        goto cleanup;
    /* Every text is read, even when there is nothing to compare: bad input is an error. */
    if ((rc = reuse_prepare(corpus, &o, threads, docs, err)) != CT_OK)
        goto cleanup;
    if (n_docs < 2) {
        rc = reuse_empty(&o, out);
        goto cleanup;
    }
    rc = reuse_candidates(docs, n_docs, &o, threads, &regions, &n_regions);
    if (rc == CT_EINVAL)
        ct_error_set(err, NULL, 0, -1, "reuse: the corpus has 4 G characters or more");
    if (rc != CT_OK)
        goto cleanup;
    if ((rc = reuse_reduce(regions, &n_regions, n_docs, o.boilerplate_docs)) != CT_OK)
        goto cleanup;
    aligns = ct_calloc(n_regions ? n_regions : 1, sizeof *aligns);
    if (!aligns) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    align_ctx ac = {al, docs, regions, aligns};
    if ((rc = reuse_parallel(n_regions, threads, align_fn, &ac)) != CT_OK)
        goto cleanup;
    ct_free(regions);
    regions = NULL;
    local_fetch lf = {docs, corpus, o.direction_field};
    rc = reuse_finish(aligns, n_regions, n_docs, &o, n_regions, fetch_local, &lf, out, err);
cleanup:
    if (docs)
        for (size_t d = 0; d < n_docs; d++)
            reuse_doc_clear(&docs[d]);
    ct_free(docs);
    ct_free(regions);
    ct_free(aligns);
    reuse_aligner_free(al);
    return rc;
}

/* ---- the group matrix ---- */

typedef struct gcell {
    const char *ga, *gb;
    size_t length;
} gcell;

static int cmp_gcell(const void *x, const void *y)
{
    const gcell *p = x, *q = y;
    int c = strcmp(p->ga, q->ga);
    return c ? c : strcmp(p->gb, q->gb);
}

int ct_reuse_group(const ct_reuse *r, const ct_corpus *corpus, size_t field, ct_reuse_cell **cells,
                   size_t *n_cells, ct_error *err)
{
    *cells = NULL;
    *n_cells = 0;
    gcell *g = ct_malloc((r->n ? r->n : 1) * sizeof *g);
    if (!g)
        return CT_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const ct_reuse_passage *p = &r->v[i];
        if (p->boilerplate)
            continue;
        const char *ga = ct_corpus_meta(corpus, p->a, field);
        const char *gb = ct_corpus_meta(corpus, p->b, field);
        if (!ga || !gb) {
            size_t d = ga ? p->b : p->a;
            ct_error_set(err, ct_corpus_source(corpus, d), 0, -1,
                         "document \"%s\" has no value for the --group-by field \"%s\"",
                         ct_corpus_id(corpus, d), ct_corpus_field_name(corpus, field));
            ct_free(g);
            return CT_EINPUT;
        }
        if (!r->directed_mode && strcmp(ga, gb) > 0) {
            const char *t = ga;
            ga = gb;
            gb = t;
        }
        g[n++] = (gcell){ga, gb, p->length};
    }
    ct_sort(g, n, sizeof *g, cmp_gcell);
    ct_reuse_cell *c = ct_malloc((n ? n : 1) * sizeof *c);
    if (!c) {
        ct_free(g);
        return CT_ENOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && strcmp(c[m - 1].group_a, g[i].ga) == 0 &&
            strcmp(c[m - 1].group_b, g[i].gb) == 0) {
            c[m - 1].passages++;
            c[m - 1].characters += g[i].length;
            continue;
        }
        c[m++] = (ct_reuse_cell){g[i].ga, g[i].gb, 1, g[i].length};
    }
    ct_free(g);
    *cells = c;
    *n_cells = m;
    return CT_OK;
}
