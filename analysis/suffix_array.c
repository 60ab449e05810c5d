/* suffix_array.c — the corpus as one array of character ids, and its sorted suffixes.
 *
 * Every document is read and normalised (in parallel, parallel.h) and its CJK characters are
 * copied, as dense character ids, into one array with a separator (0) at every run edge,
 * documents in corpus order. The suffixes starting at characters are sorted on their first
 * D = max_len + 1 characters: a counting sort on the first character, then a quicksort of
 * each bucket on the next characters packed 16 bits each into 64-bit keys (an LSD radix sort
 * when the alphabet is too large to pack), and the length of the common prefix of
 * neighbouring suffixes (capped at D) is computed directly. Every n-gram that occurs at least
 * twice is then a maximal range of the suffix array whose neighbours share n characters — a
 * "group" of level n; term_discovery.c computes every statistic from the groups. No hash
 * table of millions of n-grams is built: memory is a few arrays the size of the corpus. */
#include <string.h>
#include <utf8proc.h>

#include "charclass.h"
#include "comptext/alloc.h"
#include "comptext/normalize.h"
#include "parallel.h"
#include "numerals.h"
#include "terms_impl.h"

/* Reading and normalising the documents, in parallel: workers take documents in turn
 * and keep their normalised texts; the character array is then built in corpus order. */
typedef struct reader {
    const ct_corpus *corpus;
    unsigned flags;
    char **norm;
    size_t *norm_len;
    ct_chunk_queue queue; /* the documents, one at a time */
} reader;

static void reader_main(void *arg, int worker)
{
    reader *r = arg;
    size_t d, end;
    (void)worker;
    while (ct_chunk_queue_take(&r->queue, &d, &end)) {
        char *text = NULL;
        size_t len;
        ct_error e;
        ct_error_clear(&e);
        int rc = ct_corpus_read_text(r->corpus, d, &text, &len, &e);
        if (rc == CT_OK) {
            rc = ct_normalize(text, len, r->flags, &r->norm[d], &r->norm_len[d], NULL);
            if (rc == CT_EENCODING)
                ct_error_set(&e, ct_corpus_source(r->corpus, d), 0, -1, "invalid UTF-8");
        }
        ct_free(text);
        ct_chunk_queue_finish(&r->queue, d, 1, rc, &e);
    }
}

int ct_sa_read_corpus(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                      const terms_ranks *ranks, double *doc_chars, ct_error *err)
{
    reader r = {0};
    r.corpus = corpus;
    r.flags = o->flags;
    r.norm = ct_calloc(w->n_docs + 1, sizeof *r.norm);
    r.norm_len = ct_calloc(w->n_docs + 1, sizeof *r.norm_len);
    int rc = CT_OK;
    if (!r.norm || !r.norm_len ||
        (rc = ct_runs_separator(w)) != CT_OK) { /* the leading separator */
        rc = rc != CT_OK ? rc : CT_ENOMEM;
        goto cleanup;
    }
    ct_chunk_queue_init(&r.queue, w->n_docs, 1, NULL, NULL);
    if (w->n_docs) /* a rank's share may be empty */
        ct_parallel_run(ct_parallel_workers(o->threads, w->n_docs, CT_PARALLEL_MAX), reader_main,
                        &r);
    ct_chunk_queue_destroy(&r.queue);
    if ((rc = r.queue.rc) != CT_OK && err)
        *err = r.queue.err;
    if (ranks)
        rc = ranks->seed(ranks->ctx, w, rc, err, r.norm, r.norm_len);
    if (rc != CT_OK)
        goto cleanup;
    for (size_t d = 0; d < w->n_docs && rc == CT_OK; d++) {
        w->doc_start[d] = w->L;
        rc = ct_runs_add_text(w, r.norm[d], r.norm_len[d], &doc_chars[d]);
    }
    w->doc_start[w->n_docs] = w->L;
cleanup:
    if (r.norm)
        for (size_t d = 0; d < w->n_docs; d++)
            ct_free(r.norm[d]);
    ct_free(r.norm);
    ct_free(r.norm_len);
    return rc;
}

static inline uint32_t key_at(const terms_work *w, uint32_t p, int k)
{
    return k < w->lim[p] ? w->T[p + (size_t)k] : 0;
}

/* A suffix with its characters 1 … D-1 packed 16 bits each, for sorting inside the bucket
 * of its first character. */
typedef struct packed {
    uint64_t k[4];
    uint32_t p;
} packed;

static inline int packed_less(const packed *a, const packed *b, int nk)
{
    for (int i = 0; i < nk; i++)
        if (a->k[i] != b->k[i])
            return a->k[i] < b->k[i];
    return 0;
}

/* Quicksort (median of three, insertion sort below 16) of packed records. Equal keys may
 * end in any order: only the group structure, not the order inside a group, matters, and
 * that order is fixed by the input, so results stay deterministic. */
static void sort_packed(packed *a, size_t n, int nk)
{
    while (n > 16) {
        size_t m = n / 2;
        packed t;
        if (packed_less(&a[m], &a[0], nk)) {
            t = a[m];
            a[m] = a[0];
            a[0] = t;
        }
        if (packed_less(&a[n - 1], &a[0], nk)) {
            t = a[n - 1];
            a[n - 1] = a[0];
            a[0] = t;
        }
        if (packed_less(&a[n - 1], &a[m], nk)) {
            t = a[n - 1];
            a[n - 1] = a[m];
            a[m] = t;
        }
        packed pivot = a[m];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (packed_less(&a[i], &pivot, nk))
                i++;
            while (packed_less(&pivot, &a[j], nk))
                j--;
            if (i >= j)
                break;
            t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* [0, j] ≤ pivot ≤ [j+1, n): recurse into the smaller part. */
        if (j + 1 < n - j - 1) {
            sort_packed(a, j + 1, nk);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_packed(a + j + 1, n - j - 1, nk);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        packed x = a[i];
        size_t j = i;
        while (j > 0 && packed_less(&x, &a[j - 1], nk)) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Sort the suffixes on their first D characters. With fewer than 65536 distinct characters
 * (always, for real text): a counting sort on the first character, then a quicksort of each
 * bucket on the next D-1 characters packed into 64-bit words; otherwise D stable counting
 * sorts, last character first (LSD radix). */
int ct_sa_build(terms_work *w)
{
    size_t L = w->L;
    w->lim = ct_malloc(L);
    w->rank = ct_malloc(L * sizeof *w->rank);
    if (!w->lim || !w->rank)
        return CT_ENOMEM;
    w->lim[L - 1] = 0;
    size_t N = 0;
    for (size_t p = L - 1; p-- > 0;) {
        if (w->T[p] == 0) {
            w->lim[p] = 0;
        } else {
            int l = w->lim[p + 1] + 1;
            w->lim[p] = (unsigned char)(l > w->D ? w->D : l);
            N++;
        }
    }
    if (N >= NONE || L > UINT32_MAX)
        return CT_EINVAL; /* positions are stored as uint32_t */
    w->N = N;
    w->sa = ct_malloc((N ? N : 1) * sizeof *w->sa);
    uint32_t *tmp = ct_malloc((N ? N : 1) * sizeof *tmp);
    size_t *bucket = ct_calloc(w->n_ids + 2, sizeof *bucket);
    w->lcp = ct_calloc(N ? N : 1, sizeof *w->lcp);
    packed *rec = NULL;
    int rc = CT_OK;
    if (!w->sa || !tmp || !bucket || !w->lcp) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    size_t j = 0;
    for (size_t p = 0; p < L; p++)
        if (w->T[p])
            w->sa[j++] = (uint32_t)p;
    int nk = (w->D - 1 + 3) / 4;
    if (w->n_ids < 0xFFFF && nk <= 4) {
        /* Bucket on the first character (stable), then sort each bucket. */
        for (size_t i = 0; i < N; i++)
            bucket[w->T[w->sa[i]] + 1]++;
        for (size_t c = 1; c < w->n_ids + 2; c++)
            bucket[c] += bucket[c - 1];
        for (size_t i = 0; i < N; i++)
            tmp[bucket[w->T[w->sa[i]]]++] = w->sa[i];
        size_t biggest = 0, from = 0;
        for (size_t c = 0; c <= w->n_ids; c++) {
            size_t n = bucket[c] - from;
            if (n > biggest)
                biggest = n;
            from = bucket[c];
        }
        rec = ct_malloc((biggest ? biggest : 1) * sizeof *rec);
        if (!rec) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        from = 0;
        for (size_t c = 0; c <= w->n_ids; c++) {
            size_t n = bucket[c] - from;
            for (size_t i = 0; i < n; i++) {
                uint32_t p = tmp[from + i];
                packed *r = &rec[i];
                r->p = p;
                int lim = w->lim[p];
                for (int q = 0; q < nk; q++) {
                    uint64_t k = 0;
                    for (int b = 0; b < 4; b++) {
                        int at = 1 + q * 4 + b;
                        k = (k << 16) | (at < lim ? w->T[p + (size_t)at] : 0);
                    }
                    r->k[q] = k;
                }
            }
            if (n > 1)
                sort_packed(rec, n, nk);
            for (size_t i = 0; i < n; i++)
                w->sa[from + i] = rec[i].p;
            from = bucket[c];
        }
    } else {
        for (int k = w->D - 1; k >= 0; k--) {
            memset(bucket, 0, (w->n_ids + 2) * sizeof *bucket);
            for (size_t i = 0; i < N; i++)
                bucket[key_at(w, w->sa[i], k) + 1]++;
            for (size_t c = 1; c < w->n_ids + 2; c++)
                bucket[c] += bucket[c - 1];
            for (size_t i = 0; i < N; i++)
                tmp[bucket[key_at(w, w->sa[i], k)]++] = w->sa[i];
            uint32_t *t = w->sa;
            w->sa = tmp;
            tmp = t;
        }
    }
    for (size_t i = 0; i < N; i++)
        w->rank[w->sa[i]] = (uint32_t)i;
    for (size_t i = 1; i < N; i++) {
        uint32_t a = w->sa[i - 1], b = w->sa[i];
        int m = w->lim[a] < w->lim[b] ? w->lim[a] : w->lim[b], l = 0;
        while (l < m && w->T[a + (size_t)l] == w->T[b + (size_t)l])
            l++;
        w->lcp[i] = (uint32_t)l;
    }
cleanup:
    ct_free(rec);
    ct_free(tmp);
    ct_free(bucket);
    return rc;
}

/* Level n, from the common prefix lengths. */
int ct_sa_build_level(terms_work *w, int n)
{
    sa_level *lv = &w->lv[n];
    size_t N = w->N, cap = 1024, blocks = N / 64 + 1;
    lv->member = ct_calloc(blocks, sizeof *lv->member);
    lv->first = ct_calloc(blocks, sizeof *lv->first);
    lv->before = ct_malloc(blocks * sizeof *lv->before);
    lv->start = ct_malloc(cap * sizeof *lv->start);
    lv->count = ct_malloc(cap * sizeof *lv->count);
    if (!lv->member || !lv->first || !lv->before || !lv->start || !lv->count)
        return CT_ENOMEM;
    size_t i = 0;
    while (i < N) {
        /* lcp ≤ the shorter suffix's length, so a suffix shorter than n groups with none. */
        size_t j = i + 1;
        while (j < N && w->lcp[j] >= (uint32_t)n)
            j++;
        if (j - i < 2) {
            i = j;
            continue;
        }
        if (lv->n == cap) {
            cap *= 2;
            uint32_t *s = ct_reallocarray(lv->start, cap, sizeof *s);
            if (!s)
                return CT_ENOMEM;
            lv->start = s;
            uint32_t *c = ct_reallocarray(lv->count, cap, sizeof *c);
            if (!c)
                return CT_ENOMEM;
            lv->count = c;
        }
        for (size_t t = i; t < j; t++)
            lv->member[t >> 6] |= (uint64_t)1 << (t & 63);
        lv->first[i >> 6] |= (uint64_t)1 << (i & 63);
        lv->start[lv->n] = (uint32_t)i;
        lv->count[lv->n] = (uint32_t)(j - i);
        lv->n++;
        i = j;
    }
    uint32_t seen = 0;
    for (size_t b = 0; b < blocks; b++) {
        lv->before[b] = seen;
        seen += (uint32_t)__builtin_popcountll(lv->first[b]);
    }
    lv->acc_left = ct_calloc(lv->n ? lv->n : 1, sizeof *lv->acc_left);
    if (!lv->acc_left)
        return CT_ENOMEM;
    return CT_OK;
}

/* Compare the first n ids of suffix p (stopping at a separator) with ids; like memcmp. */
static int cmp_prefix(const terms_work *w, uint32_t p, const uint32_t *ids, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        uint32_t a = (int)k < w->lim[p] ? w->T[p + k] : 0;
        if (a != ids[k])
            return a < ids[k] ? -1 : 1;
    }
    return 0;
}

/* Two binary searches: the first suffix not below ids, the first above. */
void ct_sa_find_range(const terms_work *w, const uint32_t *ids, size_t n, uint32_t *start,
                      uint32_t *count)
{
    size_t lo = 0, hi = w->N;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_prefix(w, w->sa[mid], ids, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    hi = w->N;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_prefix(w, w->sa[mid], ids, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *start = (uint32_t)first;
    *count = (uint32_t)(lo - first);
}

/* ---- the groups as discovery's term_source ------------------------------------------------
 * String g of n characters is group g of level n; its first suffix-array index gives a
 * position p of an occurrence, and its parts are the groups of the inverse suffix array's
 * entries after p. */

static inline uint32_t first_position(const terms_work *w, int n, uint32_t g)
{
    return w->sa[w->lv[n].start[g]];
}

/* Left extensions: each level n+1 group xw adds x ln x to the level n group of w. */
static int sa_prepare(void *ctx, const unsigned char *boundary)
{
    terms_work *w = ctx;
    w->boundary = boundary;
    for (int n = 1; n < w->D; n++) {
        sa_level *up = &w->lv[n + 1], *lv = &w->lv[n];
        for (size_t h = 0; h < up->n; h++) {
            uint32_t p = w->sa[up->start[h]];
            if (boundary[w->T[p]])
                continue;
            uint32_t g = ct_sa_gid(lv, w->rank[p + 1]);
            if (g != NONE)
                lv->acc_left[g] += ct_xlogx(up->count[h]);
        }
    }
    return CT_OK;
}

static size_t sa_n_strings(const void *ctx, int n)
{
    return ((const terms_work *)ctx)->lv[n].n;
}

static uint32_t sa_count(const void *ctx, int n, uint32_t g)
{
    return ((const terms_work *)ctx)->lv[n].count[g];
}

static const uint32_t *sa_chars(const void *ctx, int n, uint32_t g)
{
    const terms_work *w = ctx;
    return w->T + first_position(w, n, g);
}

static uint32_t sa_part(const void *ctx, int n, uint32_t g, int a, int m)
{
    const terms_work *w = ctx;
    return ct_sa_gid(&w->lv[m], w->rank[first_position(w, n, g) + (size_t)a]);
}

static double sa_left_xlogx(const void *ctx, int n, uint32_t g)
{
    return ((const terms_work *)ctx)->lv[n].acc_left[g];
}

/* The level n+1 groups nested in the group, in suffix-array order. */
static double sa_right_xlogx(const void *ctx, int n, uint32_t g)
{
    const terms_work *w = ctx;
    const sa_level *lv = &w->lv[n], *up = &w->lv[n + 1];
    double acc = 0;
    for (uint32_t i = lv->start[g], end = i + lv->count[g]; i < end;) {
        uint32_t h = ct_sa_gid(up, i);
        if (h == NONE) {
            i++;
            continue;
        }
        if (!w->boundary[w->T[w->sa[i] + (size_t)n]])
            acc += ct_xlogx(up->count[h]);
        i += up->count[h];
    }
    return acc;
}

/* How many occurrences of string g (level n) satisfy at: called with each occurrence's
 * position in turn, in suffix-array order. */
static double count_occurrences(const terms_work *w, int n, uint32_t g,
                                int (*at)(const terms_work *w, uint32_t q, size_t n))
{
    const sa_level *lv = &w->lv[n];
    double k = 0;
    for (uint32_t i = lv->start[g], end = i + lv->count[g]; i < end; i++)
        k += at(w, w->sa[i], (size_t)n);
    return k;
}

/* The character before the occurrence is a numeral. */
static int after_numeral_at(const terms_work *w, uint32_t q, size_t n)
{
    (void)n;
    uint32_t x = w->T[q - 1];
    return x && ct_numerals_is_numeral(w->cp_of_id[x]);
}

/* The occurrence follows a closing quote or precedes an opening one. */
static int quote_glued_at(const terms_work *w, uint32_t q, size_t n)
{
    return (w->qflag[q] & QF_AFTER_CLOSE) || (w->qflag[q + n - 1] & QF_BEFORE_OPEN);
}

/* The occurrence precedes a number. */
static int before_number_at(const terms_work *w, uint32_t q, size_t n)
{
    return (w->qflag[q + n - 1] & QF_BEFORE_NUMBER) != 0;
}

static double sa_after_numeral(const void *ctx, int n, uint32_t g)
{
    return count_occurrences(ctx, n, g, after_numeral_at);
}

static double sa_quote_glued(const void *ctx, int n, uint32_t g)
{
    return count_occurrences(ctx, n, g, quote_glued_at);
}

static double sa_before_number(const void *ctx, int n, uint32_t g)
{
    return count_occurrences(ctx, n, g, before_number_at);
}

/* Each occurrence in turn: its next character, and the level-2 group it starts with the
 * last character. */
static int sa_right_pairs(void *ctx, size_t k, const int *len, const uint32_t *g,
                          const unsigned char *next_ok, const uint32_t *pair_mark, double *out)
{
    const terms_work *w = ctx;
    for (size_t j = 0; j < k; j++) {
        const sa_level *lv = &w->lv[len[j]];
        size_t n = (size_t)len[j];
        double c = 0;
        for (uint32_t i = lv->start[g[j]], end = i + lv->count[g[j]]; i < end; i++) {
            uint32_t q = w->sa[i], next = w->T[q + n];
            if (!next || !next_ok[next])
                continue;
            uint32_t pair = ct_sa_gid(&w->lv[2], w->rank[q + n - 1]);
            c += pair != NONE && pair_mark[pair] != NONE;
        }
        out[j] = c;
    }
    return CT_OK;
}

/* Each occurrence in turn: its previous character, and the level-2 group that starts there
 * (the previous character and the first). */
static int sa_left_pairs(void *ctx, size_t k, const int *len, const uint32_t *g,
                         const unsigned char *next_ok, const uint32_t *pair_mark, double *out)
{
    const terms_work *w = ctx;
    for (size_t j = 0; j < k; j++) {
        const sa_level *lv = &w->lv[len[j]];
        double c = 0;
        for (uint32_t i = lv->start[g[j]], end = i + lv->count[g[j]]; i < end; i++) {
            uint32_t q = w->sa[i], prev = w->T[q - 1];
            if (!prev || !next_ok[prev])
                continue;
            uint32_t pair = ct_sa_gid(&w->lv[2], w->rank[q - 1]);
            c += pair != NONE && pair_mark[pair] != NONE;
        }
        out[j] = c;
    }
    return CT_OK;
}

static const term_source_ops sa_ops = {
    .prepare = sa_prepare,
    .n_strings = sa_n_strings,
    .count = sa_count,
    .chars = sa_chars,
    .part = sa_part,
    .left_xlogx = sa_left_xlogx,
    .right_xlogx = sa_right_xlogx,
    .after_numeral = sa_after_numeral,
    .quote_glued = sa_quote_glued,
    .before_number = sa_before_number,
    .right_pairs = sa_right_pairs,
    .left_pairs = sa_left_pairs,
};

void ct_sa_source(terms_work *w, term_source *src)
{
    src->ops = &sa_ops;
    src->ctx = w;
    src->n_chars = (double)w->N;
}

void ct_sa_locate_terms(terms_work *w, const term_source *src)
{
    for (size_t i = w->n_dict; i < w->n_terms; i++) {
        term_rec *t = &w->terms[i];
        if (src->ops == &sa_ops)
            t->sa_start = w->lv[t->len].start[t->group];
        else
            ct_sa_find_range(w, src->ops->chars(src->ctx, t->len, t->group), (size_t)t->len,
                             &t->sa_start, &t->sa_count);
    }
}
