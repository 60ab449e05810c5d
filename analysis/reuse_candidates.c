/* reuse_candidates.c — text reuse, first half: preparing the documents and finding the
 * candidate regions that two documents may share (reuse_impl.h).
 *
 * A document is read, normalised with its origin map (ct_normalize, the normalisation every
 * command uses) and reduced to a "skeleton" of its letters and digits, each remembering
 * where it lies in the original text, so passages can be compared regardless of punctuation
 * and white space and still be reported at exact original offsets.
 *
 * Candidates come from an inverted index of shingle hashes: every skeleton position's
 * k-character shingle is hashed (a polynomial rolling hash, mixed down to 32 bits) and packed
 * with its global position into one 64-bit key; one radix sort groups the keys of each
 * shingle. A shingle found in a single document is no evidence, one found in more than
 * max_df documents is boilerplate (passim's rule), and one repeated more than a few times in
 * one document is a repetition, not a passage: those are dropped; a shingle found in
 * boilerplate_docs documents or more marks its characters common (reuse.c: a passage made
 * of little else is boilerplate); every other shingle gives
 * one hit per pair of its documents. Hits of a document pair are chained along nearly the
 * same diagonal into regions; a region with min_shingles hits or more is a candidate. The
 * work is the number of keys plus the number of hits, never the number of document pairs.
 * A 32-bit hash collision only adds a hit that the alignment then rejects. Long regions are
 * cut into pieces at a shared shingle so that each alignment stays small (reuse.c joins the
 * pieces' alignments again). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "comptext/alloc.h"
#include "comptext/normalize.h"
#include "reuse_impl.h"
#include "sort.h"

/* Chaining: a hit joins a region when it is at most MAX_GAP skeleton characters after the
 * region's last hit and its diagonal (pb - pa) moved by at most MAX_DRIFT (insertions and
 * deletions); a region is cut into pieces of about PIECE characters; unfinished ends are
 * padded by PAD characters so that the alignment can reach edits near them. */
#define MAX_GAP 48
#define MAX_DRIFT 12
#define PIECE 600
#define PAD 24
/* A shingle repeated more often than this in one document is dropped. */
#define MAX_REPEAT 4

void reuse_doc_clear(reuse_doc *d)
{
    ct_free(d->text);
    ct_free(d->cp);
    ct_free(d->bbeg);
    ct_free(d->bend);
    ct_free(d->cbeg);
    ct_free(d->common);
    memset(d, 0, sizeof *d);
}

/* Letters and digits are compared; punctuation, symbols, marks and spaces are not. */
static int compared(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* Normalise a document for comparison: the step that every text goes through. It returns the
 * normalised UTF-8 and the origin map of ct_normalize (for each output byte, the byte of the
 * original text it came from). Script folding, when the library offers it, is one more step
 * here composing its own origin map with this one. */
static int normalise_text(const char *text, size_t len, unsigned flags, char **norm,
                          size_t *norm_len, size_t **origin)
{
    return ct_normalize(text, len, flags, norm, norm_len, origin);
}

static int prepare_one(const ct_corpus *corpus, const ct_reuse_options *o, size_t d, reuse_doc *doc,
                       ct_error *err)
{
    char *norm = NULL;
    size_t norm_len = 0, *origin = NULL;
    int rc = ct_corpus_read_text(corpus, d, &doc->text, &doc->text_len, err);
    if (rc != CT_OK)
        return rc;
    if (doc->text_len >= UINT32_MAX) {
        ct_error_set(err, ct_corpus_source(corpus, d), 0, -1,
                     "the text is too long for reuse (4 GB or more)");
        return CT_EINVAL;
    }
    rc = normalise_text(doc->text, doc->text_len, o->norm_flags, &norm, &norm_len, &origin);
    if (rc == CT_EENCODING)
        ct_error_set(err, ct_corpus_source(corpus, d), 0, -1, "invalid UTF-8");
    if (rc != CT_OK)
        return rc;
    /* At most one skeleton character a normalised byte; shrunk below. */
    size_t cap = norm_len ? norm_len : 1;
    doc->cp = ct_malloc(cap * sizeof *doc->cp);
    doc->bbeg = ct_malloc(cap * sizeof *doc->bbeg);
    doc->bend = ct_malloc(cap * sizeof *doc->bend);
    doc->cbeg = ct_malloc(cap * sizeof *doc->cbeg);
    if (!doc->cp || !doc->bbeg || !doc->bend || !doc->cbeg) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)norm;
    size_t p = 0, n = 0, counted_bytes = 0, counted_chars = 0;
    while (p < norm_len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + p, (utf8proc_ssize_t)(norm_len - p), &cp);
        if (k <= 0) { /* ct_normalize returns valid UTF-8; be safe anyway */
            p++;
            continue;
        }
        if (compared(cp)) {
            size_t ob = origin[p], q = p + (size_t)k;
            while (q < norm_len && origin[q] == ob)
                q++;
            for (; counted_bytes < ob; counted_bytes++)
                counted_chars += ((unsigned char)doc->text[counted_bytes] & 0xC0) != 0x80;
            doc->cp[n] = (uint32_t)cp;
            doc->bbeg[n] = (uint32_t)ob;
            doc->bend[n] = (uint32_t)origin[q];
            doc->cbeg[n] = (uint32_t)counted_chars;
            n++;
        }
        p += (size_t)k;
    }
    doc->n = (uint32_t)n;
cleanup:
    ct_free(norm);
    ct_free(origin);
    return rc;
}

typedef struct prep_ctx {
    const ct_corpus *corpus;
    const ct_reuse_options *o;
    reuse_doc *docs;
    int *rcs;
    ct_error *errs; /* one a document that failed, filled on failure only */
} prep_ctx;

static int prep_fn(void *ctx, size_t d)
{
    prep_ctx *c = ctx;
    ct_error e;
    ct_error_clear(&e);
    int rc = prepare_one(c->corpus, c->o, d, &c->docs[d], &e);
    c->rcs[d] = rc;
    if (rc != CT_OK)
        c->errs[d] = e;
    return CT_OK; /* the first failing document, by index, is reported below */
}

int reuse_prepare(const ct_corpus *corpus, const ct_reuse_options *o, int threads, reuse_doc *docs,
                  ct_error *err)
{
    size_t n = ct_corpus_size(corpus);
    prep_ctx c = {corpus, o, docs, ct_calloc(n ? n : 1, sizeof(int)),
                  ct_malloc((n ? n : 1) * sizeof(ct_error))};
    int rc = CT_OK;
    if (!c.rcs || !c.errs)
        rc = CT_ENOMEM;
    if (rc == CT_OK)
        rc = reuse_parallel(n, threads, prep_fn, &c);
    for (size_t d = 0; rc == CT_OK && d < n; d++)
        if (c.rcs[d] != CT_OK) {
            rc = c.rcs[d];
            if (err)
                *err = c.errs[d];
        }
    ct_free(c.rcs);
    ct_free(c.errs);
    return rc;
}

/* ---- the inverted index ---- */

/* LSD radix sort of 64-bit keys, 16 bits a pass; a pass whose digit is the same for every
 * key is skipped. */
void reuse_sort_keys(uint64_t *keys, uint64_t *tmp, size_t n)
{
    size_t *count = ct_calloc(4 * 65536, sizeof *count);
    if (!count) { /* fall back on a slower sort rather than fail */
        for (size_t i = 1; i < n; i++) {
            uint64_t k = keys[i];
            size_t j = i;
            while (j > 0 && keys[j - 1] > k) {
                keys[j] = keys[j - 1];
                j--;
            }
            keys[j] = k;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 4; d++)
            count[d * 65536 + ((keys[i] >> (16 * d)) & 0xFFFF)]++;
    uint64_t *src = keys, *dst = tmp;
    for (int d = 0; d < 4; d++) {
        size_t *c = count + d * 65536;
        int trivial = 0;
        for (size_t v = 0; v < 65536; v++)
            if (c[v] == n)
                trivial = 1;
        if (trivial)
            continue;
        size_t sum = 0;
        for (size_t v = 0; v < 65536; v++) {
            size_t t = c[v];
            c[v] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> (16 * d)) & 0xFFFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys)
        memcpy(keys, src, n * sizeof *keys);
    ct_free(count);
}

static inline uint32_t mix32(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

typedef reuse_hit hit;

static int cmp_hit(const void *x, const void *y)
{
    const hit *p = x, *q = y;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->pa != q->pa)
        return p->pa < q->pa ? -1 : 1;
    if (p->pb != q->pb)
        return p->pb < q->pb ? -1 : 1;
    return 0;
}

/* The document holding global position g (starts[] ascending, starts[n_docs] = total). */
uint32_t reuse_doc_of(const uint64_t *starts, size_t n_docs, uint64_t g)
{
    size_t lo = 0, hi = n_docs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (starts[mid] <= g)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* Whether a shingle's postings (global positions, ascending) are evidence: in 2 to max_df
 * documents, and at most MAX_REPEAT times in any one. */
int reuse_evidence(const uint64_t *keys, size_t m, const uint64_t *starts, size_t n_docs,
                   size_t max_df)
{
    size_t df = 0, run = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t d = reuse_doc_of(starts, n_docs, keys[i] & 0xFFFFFFFFu);
        if (i == 0 || d != prev) {
            if (++df > max_df)
                return 0;
            run = 0;
            prev = d;
        }
        if (++run > MAX_REPEAT)
            return 0;
    }
    return df >= 2;
}

int reuse_common(const uint64_t *keys, size_t m, const uint64_t *starts, size_t n_docs, size_t docs)
{
    size_t df = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < m && df < docs; i++) {
        uint32_t d = reuse_doc_of(starts, n_docs, keys[i] & 0xFFFFFFFFu);
        if (i == 0 || d != prev)
            df++;
        prev = d;
    }
    return df >= docs;
}

int reuse_mark_common(reuse_doc *d, uint32_t pos, size_t k)
{
    if (!d->common && !(d->common = ct_calloc(d->n ? d->n : 1, 1)))
        return CT_ENOMEM;
    for (size_t i = pos; i < pos + k && i < d->n; i++)
        d->common[i] = 1;
    return CT_OK;
}

uint32_t reuse_common_in(const reuse_doc *d, uint32_t s0, uint32_t s1)
{
    uint32_t c = 0;
    for (uint32_t i = s0; d->common && i < s1 && i < d->n; i++)
        c += d->common[i];
    return c;
}

/* ---- chaining hits into regions ---- */

typedef struct open_region {
    uint32_t first_pa, first_pb, last_pa, last_pb;
    long diag;
    uint32_t hits;
    uint32_t covered; /* characters of a under the region's shingles */
    uint8_t cont_prev;
} open_region;

typedef reuse_regions regions;

static int emit(regions *out, uint32_t na, uint32_t nb, uint32_t a, uint32_t b,
                const open_region *r, const ct_reuse_options *o, const hit *cut)
{
    if (!r->cont_prev && !cut && r->hits < o->min_shingles)
        return CT_OK;
    uint32_t k = (uint32_t)o->shingle;
    reuse_region g = {.a = a, .b = b, .hits = r->hits, .cont_prev = r->cont_prev};
    g.a0 = r->cont_prev ? r->first_pa : (r->first_pa > PAD ? r->first_pa - PAD : 0);
    g.b0 = r->cont_prev ? r->first_pb : (r->first_pb > PAD ? r->first_pb - PAD : 0);
    if (cut) {
        g.a1 = cut->pa;
        g.b1 = cut->pb;
        g.cont_next = 1;
    } else {
        g.a1 = r->last_pa + k + PAD < na ? r->last_pa + k + PAD : na;
        g.b1 = r->last_pb + k + PAD < nb ? r->last_pb + k + PAD : nb;
    }
    g.sa0 = r->first_pa;
    g.sb0 = r->first_pb;
    g.sa1 = cut ? cut->pa : r->last_pa + k;
    g.sb1 = cut ? cut->pb : r->last_pb + k;
    if (g.a1 <= g.a0 || g.b1 <= g.b0)
        return CT_OK;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        reuse_region *v = ct_reallocarray(out->v, cap, sizeof *v);
        if (!v)
            return CT_ENOMEM;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = g;
    return CT_OK;
}

/* Chain the hits of one document pair (sorted by pa, pb) into regions. */
static int chain_pair(const hit *hv, size_t m, const uint32_t *lens, const ct_reuse_options *o,
                      open_region **open, size_t *open_cap, regions *out)
{
    size_t n_open = 0;
    int rc = CT_OK;
    uint32_t a = hv[0].a, b = hv[0].b, na = lens[a], nb = lens[b];
    for (size_t i = 0; i < m && rc == CT_OK; i++) {
        const hit *x = &hv[i];
        long diag = (long)x->pb - (long)x->pa;
        size_t best = (size_t)-1;
        long best_diff = MAX_DRIFT + 1;
        size_t kept = 0;
        for (size_t j = 0; j < n_open && rc == CT_OK; j++) {
            open_region *r = &(*open)[j];
            if (x->pa - r->last_pa > MAX_GAP) {
                rc = emit(out, na, nb, a, b, r, o, NULL);
                continue;
            }
            if (kept != j)
                (*open)[kept] = *r;
            r = &(*open)[kept];
            long diff = labs(diag - r->diag);
            if (x->pb > r->last_pb && x->pa > r->last_pa && diff < best_diff) {
                best_diff = diff;
                best = kept;
            }
            kept++;
        }
        if (rc != CT_OK)
            break;
        n_open = kept;
        if (best < n_open) {
            open_region *r = &(*open)[best];
            if (x->pa - r->first_pa >= PIECE) {
                rc = emit(out, na, nb, a, b, r, o, x);
                *r = (open_region){x->pa, x->pb, x->pa, x->pb, diag, 1, (uint32_t)o->shingle, 1};
            } else {
                uint32_t step = x->pa - r->last_pa;
                r->covered += step < o->shingle ? step : (uint32_t)o->shingle;
                r->last_pa = x->pa;
                r->last_pb = x->pb;
                r->diag = diag;
                r->hits++;
            }
            continue;
        }
        if (n_open == *open_cap) {
            size_t cap = *open_cap ? *open_cap * 2 : 16;
            open_region *v = ct_reallocarray(*open, cap, sizeof *v);
            if (!v)
                return CT_ENOMEM;
            *open = v;
            *open_cap = cap;
        }
        (*open)[n_open++] =
            (open_region){x->pa, x->pb, x->pa, x->pb, diag, 1, (uint32_t)o->shingle, 0};
    }
    for (size_t j = 0; j < n_open && rc == CT_OK; j++)
        rc = emit(out, na, nb, a, b, &(*open)[j], o, NULL);
    return rc;
}

static int cmp_region(const void *x, const void *y)
{
    const reuse_region *p = x, *q = y;
    const uint32_t u[] = {p->a, p->b, p->a0, p->b0, p->a1, p->b1};
    const uint32_t v[] = {q->a, q->b, q->a0, q->b0, q->a1, q->b1};
    for (int i = 0; i < 6; i++)
        if (u[i] != v[i])
            return u[i] < v[i] ? -1 : 1;
    return 0;
}

void reuse_sort_regions(reuse_region *v, size_t n)
{
    ct_sort(v, n, sizeof *v, cmp_region);
}

int reuse_chain(const reuse_hit *hv, size_t n, const uint32_t *lens, const ct_reuse_options *o,
                reuse_regions *out)
{
    open_region *open = NULL;
    size_t open_cap = 0;
    int rc = CT_OK;
    for (size_t i = 0; i < n && rc == CT_OK;) {
        size_t j = i + 1;
        while (j < n && hv[j].b == hv[i].b && hv[j].a == hv[i].a)
            j++;
        rc = chain_pair(hv + i, j - i, lens, o, &open, &open_cap, out);
        i = j;
    }
    ct_free(open);
    return rc;
}

size_t reuse_keys(const reuse_doc *docs, size_t n_docs, const uint64_t *starts, size_t k,
                  uint64_t *keys)
{
    /* Rolling hash: h = sum cp[i+j] * B^(k-1-j) modulo 2^64. */
    const uint64_t B = 0x100000001b3ULL;
    uint64_t bk = 1;
    for (size_t j = 0; j < k; j++)
        bk *= B;
    size_t nk = 0;
    for (size_t d = 0; d < n_docs; d++) {
        const reuse_doc *doc = &docs[d];
        if (doc->n < k)
            continue;
        uint64_t hv = 0;
        for (size_t j = 0; j < k; j++)
            hv = hv * B + doc->cp[j] + 1;
        for (size_t i = 0;; i++) {
            keys[nk++] = ((uint64_t)mix32(hv) << 32) | (starts[d] + i);
            if (i + k >= doc->n)
                break;
            hv = hv * B + doc->cp[i + k] + 1 - bk * (doc->cp[i] + 1);
        }
    }
    return nk;
}

#define NONE UINT32_MAX

typedef struct pair_ctx {
    const reuse_doc *docs;
    size_t n_docs;
    const ct_reuse_options *o;
    const uint64_t *starts;
    const uint32_t *group_of, *post, *gstart, *lens;
    regions *per_doc;
} pair_ctx;

/* Document a against every later document: the hits of its shingles, sorted by document,
 * then chained into regions. */
static int pair_fn(void *ctx, size_t a)
{
    const pair_ctx *c = ctx;
    regions *out = &c->per_doc[a];
    const reuse_doc *doc = &c->docs[a];
    uint64_t s0 = c->starts[a], end = c->starts[a + 1];
    hit *hv = NULL;
    size_t n = 0, cap = 0;
    int rc = CT_OK;
    for (uint32_t i = 0; i < doc->n && rc == CT_OK; i++) {
        uint32_t g = c->group_of[s0 + i];
        if (g == NONE)
            continue;
        /* Postings are in position order: those of later documents are a suffix. */
        for (uint32_t t = c->gstart[g + 1]; t > c->gstart[g] && c->post[t - 1] >= end; t--) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                hit *v = ct_reallocarray(hv, nc, sizeof *v);
                if (!v) {
                    rc = CT_ENOMEM;
                    break;
                }
                hv = v;
                cap = nc;
            }
            uint32_t gp = c->post[t - 1], b = reuse_doc_of(c->starts, c->n_docs, gp);
            hv[n++] = (hit){(uint32_t)a, b, i, (uint32_t)(gp - c->starts[b])};
        }
    }
    if (rc == CT_OK && n) {
        ct_sort(hv, n, sizeof *hv, cmp_hit);
        rc = reuse_chain(hv, n, c->lens, c->o, out);
    }
    ct_free(hv);
    out->rc = rc;
    return CT_OK; /* failures are collected in document order */
}

int reuse_candidates(reuse_doc *docs, size_t n_docs, const ct_reuse_options *o, int threads,
                     reuse_region **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t k = o->shingle;
    uint64_t *starts = ct_malloc((n_docs + 1) * sizeof *starts);
    uint64_t *keys = NULL, *tmp = NULL;
    uint32_t *group_of = NULL, *post = NULL, *gstart = NULL, *lens = NULL;
    regions rg = {0}, *per_doc = NULL;
    int rc = CT_OK;
    if (!starts)
        return CT_ENOMEM;
    uint64_t total = 0, n_keys = 0;
    for (size_t d = 0; d < n_docs; d++) {
        starts[d] = total;
        total += docs[d].n;
        if (docs[d].n >= k)
            n_keys += docs[d].n - k + 1;
    }
    starts[n_docs] = total;
    if (total >= UINT32_MAX) {
        rc = CT_EINVAL;
        goto cleanup;
    }
    keys = ct_malloc((n_keys ? n_keys : 1) * sizeof *keys);
    tmp = ct_malloc((n_keys ? n_keys : 1) * sizeof *tmp);
    if (!keys || !tmp) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    size_t nk = reuse_keys(docs, n_docs, starts, k, keys);
    reuse_sort_keys(keys, tmp, nk);
    ct_free(tmp);
    tmp = NULL;
    /* The inverted index: for each global position the shingle (group) starting there, or
     * NONE when the shingle is no evidence; each group's postings in position order. A
     * shingle in boilerplate_docs documents or more marks its characters common. */
    group_of = ct_malloc((total ? total : 1) * sizeof *group_of);
    post = ct_malloc((nk ? nk : 1) * sizeof *post);
    gstart = ct_malloc((nk + 1) * sizeof *gstart);
    if (!group_of || !post || !gstart) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (uint64_t g = 0; g < total; g++)
        group_of[g] = NONE;
    size_t n_groups = 0, n_post = 0;
    for (size_t i = 0; i < nk;) {
        size_t j = i + 1;
        while (j < nk && (keys[j] >> 32) == (keys[i] >> 32))
            j++;
        if (j - i >= o->boilerplate_docs &&
            reuse_common(keys + i, j - i, starts, n_docs, o->boilerplate_docs))
            for (size_t t = i; t < j && rc == CT_OK; t++) {
                uint32_t g = (uint32_t)(keys[t] & 0xFFFFFFFFu), d = reuse_doc_of(starts, n_docs, g);
                rc = reuse_mark_common(&docs[d], (uint32_t)(g - starts[d]), k);
            }
        if (rc != CT_OK)
            goto cleanup;
        if (j - i >= 2 && reuse_evidence(keys + i, j - i, starts, n_docs, o->max_df)) {
            gstart[n_groups] = (uint32_t)n_post;
            for (size_t t = i; t < j; t++) {
                uint32_t g = (uint32_t)(keys[t] & 0xFFFFFFFFu);
                post[n_post++] = g;
                group_of[g] = (uint32_t)n_groups;
            }
            n_groups++;
        }
        i = j;
    }
    gstart[n_groups] = (uint32_t)n_post;
    ct_free(keys);
    keys = NULL;
    /* Each document against the later ones, on threads, into its own list. */
    per_doc = ct_calloc(n_docs ? n_docs : 1, sizeof *per_doc);
    lens = ct_malloc((n_docs ? n_docs : 1) * sizeof *lens);
    if (!per_doc || !lens) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t d = 0; d < n_docs; d++)
        lens[d] = docs[d].n;
    pair_ctx pc = {docs, n_docs, o, starts, group_of, post, gstart, lens, per_doc};
    if ((rc = reuse_parallel(n_docs, threads, pair_fn, &pc)) != CT_OK)
        goto cleanup;
    for (size_t d = 0; d < n_docs; d++) {
        if ((rc = per_doc[d].rc) != CT_OK)
            goto cleanup;
        size_t add = per_doc[d].n;
        if (!add)
            continue;
        if (rg.n + add > rg.cap) {
            size_t cap = (rg.n + add) * 2;
            reuse_region *v = ct_reallocarray(rg.v, cap, sizeof *v);
            if (!v) {
                rc = CT_ENOMEM;
                goto cleanup;
            }
            rg.v = v;
            rg.cap = cap;
        }
        memcpy(rg.v + rg.n, per_doc[d].v, add * sizeof *rg.v);
        rg.n += add;
        ct_free(per_doc[d].v);
        per_doc[d].v = NULL;
    }
    reuse_sort_regions(rg.v, rg.n);
    *out = rg.v;
    *n_out = rg.n;
    rg.v = NULL;
cleanup:
    ct_free(starts);
    ct_free(keys);
    ct_free(tmp);
    ct_free(group_of);
    ct_free(post);
    ct_free(gstart);
    ct_free(lens);
    if (per_doc)
        for (size_t d = 0; d < n_docs; d++)
            ct_free(per_doc[d].v);
    ct_free(per_doc);
    ct_free(rg.v);
    return rc;
}
