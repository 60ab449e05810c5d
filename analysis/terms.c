/* terms.c — term discovery by cohesion and freedom over a suffix array (comptext/terms.h).
 *
 * Every document is read and normalised (in parallel) and its CJK characters are copied, as
 * dense character ids, into one array with a separator (0) at every run edge. The suffixes
 * starting at characters are sorted on their first D = max_len + 1 characters: a counting
 * sort on the first character, then a quicksort of each bucket on the next characters packed
 * 16 bits each into 64-bit keys (an LSD radix sort when the alphabet is too large to pack),
 * and the length of the common prefix of neighbouring suffixes (capped at D) is computed
 * directly. Every n-gram that occurs at least twice is then a maximal range of the suffix
 * array whose neighbours share n characters — a "group" of level n — and every statistic
 * discovery needs is a scan over groups: frequency (the size), right branching entropy (the
 * level n+1 groups nested inside), left branching entropy (each level n+1 group xw adds to
 * the level n group of w, found through the inverse suffix array), and the PMI of each split
 * (the groups of the prefix and of the suffix, again through the inverse suffix array). No
 * hash table of millions of n-grams is built: memory is a few arrays the size of the corpus.
 * The occurrences of the kept terms (suffix-array ranges) are listed by position, each run
 * is segmented by dynamic programming under a unigram model, and the matrix counts segments;
 * a first segmentation pass prunes candidates that seldom form a segment or are a function
 * character glued to another term. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "charclass.h"
#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/fold.h"
#include "comptext/normalize.h"
#include "comptext/terms.h"
#include "comptext/vocab.h"
#include "encoding.h"
#include "lines.h"
#include "termtab.h"
#define NONE UINT32_MAX
#define CP_LIMIT 0x110000

struct ct_terms {
    ct_matrix *counts;
    ct_term_stats *stats; /* by column id */
    double *doc_chars;
};

void ct_terms_options_init(ct_terms_options *o)
{
    memset(o, 0, sizeof *o);
    o->flags = CT_NORM_NFKC | CT_NORM_CASEFOLD | (ct_fold_available() ? CT_NORM_FOLD_SCRIPT : 0);
    o->max_len = CT_TERMS_MAX_LEN_DEFAULT;
    o->min_count = CT_TERMS_MIN_COUNT_DEFAULT;
    o->min_cohesion = CT_TERMS_MIN_COHESION_DEFAULT;
    o->min_entropy = CT_TERMS_MIN_ENTROPY_DEFAULT;
    o->min_entropy_share = CT_TERMS_MIN_ENTROPY_SHARE_DEFAULT;
    o->subsume_ratio = CT_TERMS_SUBSUME_RATIO_DEFAULT;
    o->min_segments = CT_TERMS_MIN_SEGMENTS_DEFAULT;
    o->affix_share = CT_TERMS_AFFIX_SHARE_DEFAULT;
}

/* One level of the suffix array: the groups of n-grams of one length occurring ≥ 2 times. */
typedef struct level {
    uint32_t *gid;    /* by suffix-array index: group id or NONE */
    uint32_t *start;  /* by group: first suffix-array index */
    uint32_t *count;  /* by group: size */
    double *acc_left; /* by group: Σ s ln s over its left extensions */
    uint32_t *cand;   /* by group: candidate index or NONE */
    size_t n;
} level;

/* A term in the making: a suffix-array range, plus a full-length check for dictionary terms
 * longer than the sorted depth. */
typedef struct term {
    char *text;
    uint32_t sa_start, sa_count;
    uint32_t check_len; /* 0: every suffix of the range is an occurrence */
    uint32_t *check_ids;
    ct_term_stats st;
    int len;        /* characters */
    uint32_t group; /* its group at level len, or NONE (a dictionary term seen once, or
                       longer than the sorted depth) */
    uint32_t id;    /* provisional id while counting */
    int dropped;
} term;

typedef struct work {
    int D;
    uint32_t *id_of_cp; /* CP_LIMIT entries: 0 = not seen */
    int32_t *cp_of_id;
    size_t n_ids, cap_ids;
    uint32_t *T; /* character ids, 0 separators */
    size_t L, cap_T;
    unsigned char *lim; /* per position: min(D, characters before the next separator) */
    uint32_t *sa, *rank, *lcp;
    size_t N;          /* suffixes */
    size_t *doc_start; /* n_docs + 1 positions in T */
    size_t n_docs;
    level *lv; /* D + 1 levels, 1..D used */
    term *terms;
    size_t n_terms, cap_terms;
    size_t n_dict; /* terms[0, n_dict) come from the user dictionary */
    ct_termtab *veto;
    ct_termtab *names; /* term text → index into terms */
} work;

static int push_T(work *w, uint32_t id)
{
    if (w->L == w->cap_T) {
        size_t cap = w->cap_T ? w->cap_T * 2 : 1 << 16;
        uint32_t *t = ct_reallocarray(w->T, cap, sizeof *t);
        if (!t)
            return CT_ENOMEM;
        w->T = t;
        w->cap_T = cap;
    }
    w->T[w->L++] = id;
    return CT_OK;
}

static int char_id(work *w, int32_t cp, uint32_t *id)
{
    if (!w->id_of_cp[cp]) {
        if (w->n_ids + 1 >= w->cap_ids) {
            size_t cap = w->cap_ids ? w->cap_ids * 2 : 4096;
            int32_t *c = ct_reallocarray(w->cp_of_id, cap, sizeof *c);
            if (!c)
                return CT_ENOMEM;
            w->cp_of_id = c;
            w->cap_ids = cap;
        }
        w->n_ids++;
        w->cp_of_id[w->n_ids] = cp;
        w->id_of_cp[cp] = (uint32_t)w->n_ids;
    }
    *id = w->id_of_cp[cp];
    return CT_OK;
}

/* Append the CJK runs of one normalised text. */
static int add_text(work *w, const char *s, size_t len, double *chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    double n = 0;
    while (i < len) {
        int32_t cp;
        if (u[i] < 0x80) {
            cp = u[i];
            i++;
        } else {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
            if (k < 1) {
                i++;
                continue;
            }
            cp = c;
            i += (size_t)k;
        }
        enum ct_charclass cls = ct_charclass_of(cp);
        if (cls == CT_CC_MARK)
            continue; /* stays with the character before it; not part of the term text */
        int rc;
        if (cls == CT_CC_CJK) {
            uint32_t id;
            if ((rc = char_id(w, cp, &id)) != CT_OK || (rc = push_T(w, id)) != CT_OK)
                return rc;
            n++;
        } else if (w->T[w->L - 1] != 0 && (rc = push_T(w, 0)) != CT_OK) {
            return rc;
        }
    }
    *chars = n;
    if (w->T[w->L - 1] != 0)
        return push_T(w, 0);
    return CT_OK;
}

/* Reading and normalising the documents, in parallel: workers take documents in turn
 * and keep their normalised texts; the character array is then built in corpus order. */
typedef struct reader {
    const ct_corpus *corpus;
    unsigned flags;
    char **norm;
    size_t *norm_len;
    size_t n_docs, next;
    int rc;
    size_t failed_doc; /* the first failing document in corpus order: the one reported */
    ct_error *err;
    pthread_mutex_t lock;
} reader;

static void *reader_main(void *arg)
{
    reader *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t d = r->next++;
        int stop = r->rc != CT_OK;
        pthread_mutex_unlock(&r->lock);
        if (stop || d >= r->n_docs)
            break;
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
        if (rc != CT_OK) {
            pthread_mutex_lock(&r->lock);
            /* every document before a failing one is read (they are taken in order), so
             * the lowest failing index is the same whatever the threads */
            if (r->rc == CT_OK || d < r->failed_doc) {
                r->rc = rc;
                r->failed_doc = d;
                if (r->err)
                    *r->err = e;
            }
            pthread_mutex_unlock(&r->lock);
        }
    }
    return NULL;
}

static int read_all(work *w, const ct_corpus *corpus, const ct_terms_options *o, double *doc_chars,
                    ct_error *err)
{
    reader r = {0};
    r.corpus = corpus;
    r.flags = o->flags;
    r.n_docs = w->n_docs;
    r.err = err;
    r.norm = ct_calloc(w->n_docs, sizeof *r.norm);
    r.norm_len = ct_calloc(w->n_docs, sizeof *r.norm_len);
    int rc = CT_OK;
    if (!r.norm || !r.norm_len) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    pthread_mutex_init(&r.lock, NULL);
    int nt = o->threads > 0 ? o->threads : ct_default_threads();
    if ((size_t)nt > w->n_docs)
        nt = (int)w->n_docs;
    if (nt > 64)
        nt = 64;
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < nt; i++) {
        if (pthread_create(&th[started], NULL, reader_main, &r) != 0)
            break;
        started++;
    }
    reader_main(&r);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&r.lock);
    if ((rc = r.rc) != CT_OK)
        goto cleanup;
    for (size_t d = 0; d < w->n_docs && rc == CT_OK; d++) {
        w->doc_start[d] = w->L;
        rc = add_text(w, r.norm[d], r.norm_len[d], &doc_chars[d]);
    }
cleanup:
    if (r.norm)
        for (size_t d = 0; d < w->n_docs; d++)
            ct_free(r.norm[d]);
    ct_free(r.norm);
    ct_free(r.norm_len);
    return rc;
}

static inline uint32_t key_at(const work *w, uint32_t p, int k)
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
static int build_sa(work *w)
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

/* The groups of level n: maximal ranges of ≥ 2 suffixes sharing n characters. */
static int build_level(work *w, int n)
{
    level *lv = &w->lv[n];
    size_t N = w->N, cap = 1024;
    lv->gid = ct_malloc((N ? N : 1) * sizeof *lv->gid);
    lv->start = ct_malloc(cap * sizeof *lv->start);
    lv->count = ct_malloc(cap * sizeof *lv->count);
    if (!lv->gid || !lv->start || !lv->count)
        return CT_ENOMEM;
    size_t i = 0;
    while (i < N) {
        /* lcp ≤ the shorter suffix's length, so a suffix shorter than n groups with none. */
        size_t j = i + 1;
        while (j < N && w->lcp[j] >= (uint32_t)n)
            j++;
        if (j - i < 2) {
            lv->gid[i] = NONE;
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
            lv->gid[t] = (uint32_t)lv->n;
        lv->start[lv->n] = (uint32_t)i;
        lv->count[lv->n] = (uint32_t)(j - i);
        lv->n++;
        i = j;
    }
    lv->acc_left = ct_calloc(lv->n ? lv->n : 1, sizeof *lv->acc_left);
    lv->cand = ct_malloc((lv->n ? lv->n : 1) * sizeof *lv->cand);
    if (!lv->acc_left || !lv->cand)
        return CT_ENOMEM;
    for (size_t g = 0; g < lv->n; g++)
        lv->cand[g] = NONE;
    return CT_OK;
}

static inline double xlogx(double x)
{
    return x > 0 ? x * log(x) : 0.0;
}

/* UTF-8 of n character ids starting at T[p] (or of ids[0..n-1] when ids is given). */
static char *ids_to_text(const work *w, const uint32_t *ids, size_t n)
{
    char *s = ct_malloc(n * 4 + 1);
    if (!s)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)utf8proc_encode_char(w->cp_of_id[ids[i]], (utf8proc_uint8_t *)s + len);
    s[len] = '\0';
    return s;
}

static int push_term(work *w, term *t)
{
    if (w->n_terms == w->cap_terms) {
        size_t cap = w->cap_terms ? w->cap_terms * 2 : 1024;
        term *x = ct_reallocarray(w->terms, cap, sizeof *x);
        if (!x)
            return CT_ENOMEM;
        w->terms = x;
        w->cap_terms = cap;
    }
    w->terms[w->n_terms++] = *t;
    return CT_OK;
}

/* Compare the first n ids of suffix p (stopping at a separator) with ids; like memcmp. */
static int cmp_prefix(const work *w, uint32_t p, const uint32_t *ids, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        uint32_t a = (int)k < w->lim[p] ? w->T[p + k] : 0;
        if (a != ids[k])
            return a < ids[k] ? -1 : 1;
    }
    return 0;
}

/* The suffix-array range of the suffixes starting with ids[0..n-1] (n ≤ D). */
static void find_range(const work *w, const uint32_t *ids, size_t n, uint32_t *start,
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

static inline int term_occurs_at(const work *w, const term *t, uint32_t p)
{
    if (!t->check_len)
        return 1;
    for (uint32_t k = 0; k < t->check_len; k++)
        if (p + k >= w->L || w->T[p + k] != t->check_ids[k])
            return 0;
    return 1;
}

/* Read the user dictionary: added terms become terms, "-TERM" lines vetoes. */
static int read_dict(work *w, const ct_terms_options *o, ct_error *err)
{
    /* Read whole (it stops at a NUL byte): a line that cannot be read is an error, never the
     * end of the dictionary. */
    char *bytes;
    size_t n_bytes, pos = 0, got;
    int rc = ct_read_file(o->dict_path, &bytes, &n_bytes, err);
    if (rc != CT_OK)
        return rc;
    char *line;
    long lineno = 0;
    char *norm = NULL;
    uint32_t *ids = NULL;
    while ((line = (char *)ct_line_next(bytes, n_bytes, &pos, &got)) != NULL) {
        lineno++;
        size_t len = (size_t)got;
        if (memchr(line, '\0', len)) {
            ct_error_set(err, o->dict_path, lineno,
                         (long long)((char *)memchr(line, '\0', len) - bytes),
                         "NUL byte: not a text file");
            rc = CT_EINPUT;
            goto cleanup;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
            len--;
        line[len] = '\0';
        if (!len || line[0] == '#')
            continue;
        int is_veto = line[0] == '-';
        const char *body = line + is_veto;
        size_t norm_len;
        ct_free(norm);
        norm = NULL;
        rc = ct_normalize(body, len - (size_t)is_veto, o->flags, &norm, &norm_len, NULL);
        if (rc == CT_EENCODING) {
            ct_error_set(err, o->dict_path, lineno, -1, "not valid UTF-8");
            rc = CT_EINPUT;
        }
        if (rc == CT_ENOMEM)
            ct_error_set(err, o->dict_path, lineno, -1,
                         "out of memory while reading this line (%zu bytes)", len);
        if (rc != CT_OK)
            goto cleanup;
        if (!norm_len)
            continue;
        if (is_veto) {
            if ((rc = ct_termtab_intern(w->veto, norm, norm_len, &(uint32_t){0}, NULL)) != CT_OK)
                goto cleanup;
            continue;
        }
        /* Character ids; a character the corpus never has means the term never occurs. */
        ct_free(ids);
        ids = ct_malloc((norm_len + 1) * sizeof *ids);
        if (!ids) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        size_t n = 0, i = 0;
        int absent = 0;
        while (i < norm_len) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)norm + i,
                                                  (utf8proc_ssize_t)(norm_len - i), &cp);
            if (k < 1 || ct_charclass_of(cp) != CT_CC_CJK) {
                ct_error_set(err, o->dict_path, lineno, -1,
                             "\"%s\": a dictionary term must consist of CJK characters only", body);
                rc = CT_EINPUT;
                goto cleanup;
            }
            i += (size_t)k;
            if (!w->id_of_cp[cp])
                absent = 1;
            else
                ids[n] = w->id_of_cp[cp];
            n++;
        }
        if (n < 2 || n > 31) {
            ct_error_set(err, o->dict_path, lineno, -1,
                         "\"%s\": a dictionary term has 2 to 31 characters", body);
            rc = CT_EINPUT;
            goto cleanup;
        }
        if (absent)
            continue;
        term t = {0};
        t.len = (int)n;
        t.group = NONE;
        size_t depth = n < (size_t)w->D ? n : (size_t)w->D;
        find_range(w, ids, depth, &t.sa_start, &t.sa_count);
        if (n <= (size_t)w->D && t.sa_count >= 2)
            t.group = w->lv[n].gid[t.sa_start];
        if (n > (size_t)w->D) {
            t.check_len = (uint32_t)n;
            t.check_ids = ids;
            ids = NULL;
        }
        t.text = ct_strndup(norm, norm_len);
        t.st.from_dict = 1;
        if (!t.text) {
            ct_free(t.check_ids);
            rc = CT_ENOMEM;
            goto cleanup;
        }
        if ((rc = push_term(w, &t)) != CT_OK) {
            ct_free(t.text);
            ct_free(t.check_ids);
            goto cleanup;
        }
    }
cleanup:
    ct_free(bytes);
    ct_free(norm);
    ct_free(ids);
    return rc;
}

/* Find the candidates of every level, compute their statistics, filter, drop fragments. */
static int discover(work *w, const ct_terms_options *o)
{
    int D = w->D;
    double Ntot = (double)w->N;
    /* Left extensions: each level n+1 group xw adds s ln s to the level n group of w. */
    for (int n = 1; n < D; n++) {
        level *up = &w->lv[n + 1], *lv = &w->lv[n];
        for (size_t h = 0; h < up->n; h++) {
            uint32_t p = w->sa[up->start[h]];
            uint32_t g = lv->gid[w->rank[p + 1]];
            if (g != NONE)
                lv->acc_left[g] += xlogx(up->count[h]);
        }
    }
    size_t n_dict = w->n_terms; /* dictionary terms come first */
    w->n_dict = n_dict;
    /* Edge stopwords by character id. */
    unsigned char *edge = ct_calloc(w->n_ids + 1, 1);
    if (!edge)
        return CT_ENOMEM;
    if (o->stopwords)
        for (size_t c = 1; c <= w->n_ids; c++)
            edge[c] = (unsigned char)ct_stopwords_is_edge(o->stopwords, w->cp_of_id[c]);
    int rc = CT_OK;
    for (int n = 2; n <= o->max_len && rc == CT_OK; n++) {
        level *lv = &w->lv[n], *up = &w->lv[n + 1];
        for (size_t g = 0; g < lv->n; g++) {
            double c = lv->count[g];
            if (c < (double)o->min_count)
                continue;
            uint32_t s = lv->start[g], p = w->sa[s];
            if (edge[w->T[p]] || edge[w->T[p + (size_t)n - 1]])
                continue;
            /* Freedom: the threshold is min_entropy, or a share of the largest entropy c
             * occurrences can have (ln c) for terms too rare to reach it. */
            double lnc = log(c), need = o->min_entropy;
            if (need > o->min_entropy_share * lnc)
                need = o->min_entropy_share * lnc;
            double hl = lnc - lv->acc_left[g] / c;
            if (hl < need)
                continue;
            double acc_r = 0;
            for (uint32_t i = s; i < s + lv->count[g];) {
                uint32_t h = up->gid[i];
                if (h == NONE) {
                    i++;
                    continue;
                }
                acc_r += xlogx(up->count[h]);
                i += up->count[h];
            }
            double hr = lnc - acc_r / c;
            if (hr < need)
                continue;
            /* Cohesion: the weakest split has the largest product of part frequencies. */
            double worst = 0;
            for (int k = 1; k < n; k++) {
                uint32_t gl = w->lv[k].gid[w->rank[p]];
                uint32_t gr = w->lv[n - k].gid[w->rank[p + (size_t)k]];
                double prod = (double)w->lv[k].count[gl] * (double)w->lv[n - k].count[gr];
                if (prod > worst)
                    worst = prod;
            }
            double coh = log(c * Ntot / worst);
            if (coh < o->min_cohesion)
                continue;
            term t = {0};
            t.text = ids_to_text(w, w->T + p, (size_t)n);
            if (!t.text) {
                rc = CT_ENOMEM;
                break;
            }
            size_t tl = strlen(t.text);
            uint32_t dummy;
            if ((o->stopwords && ct_stopwords_contains(o->stopwords, t.text, tl)) ||
                ct_termtab_find(w->veto, t.text, tl, &dummy) == CT_OK) {
                ct_free(t.text);
                continue;
            }
            t.sa_start = s;
            t.sa_count = lv->count[g];
            t.len = n;
            t.group = (uint32_t)g;
            t.st.count = c;
            t.st.cohesion = coh;
            t.st.h_left = hl;
            t.st.h_right = hr;
            lv->cand[g] = (uint32_t)w->n_terms;
            if ((rc = push_term(w, &t)) != CT_OK)
                ct_free(t.text);
        }
    }
    ct_free(edge);
    if (rc != CT_OK)
        return rc;
    /* Fragments: a candidate inside a longer candidate at nearly the same frequency. */
    for (size_t i = n_dict; i < w->n_terms; i++) {
        term *u = &w->terms[i];
        uint32_t p = w->sa[u->sa_start];
        int n = 0; /* length in characters */
        for (const unsigned char *q = (const unsigned char *)u->text; *q; q++)
            n += (*q & 0xC0) != 0x80;
        for (int a = 0; a < n; a++)
            for (int m = 2; a + m <= n; m++) {
                if (m == n)
                    continue;
                uint32_t g = w->lv[m].gid[w->rank[p + (size_t)a]];
                if (g == NONE || w->lv[m].cand[g] == NONE)
                    continue;
                term *f = &w->terms[w->lv[m].cand[g]];
                if ((double)u->sa_count >= o->subsume_ratio * (double)f->sa_count)
                    f->dropped = 1;
            }
    }
    return CT_OK;
}

/* Segmentation. Term occurrences overlap (五年, 计划 and 五年计划 all occur in 五年计划), and
 * counting every one would credit a fragment with the whole term's frequency. So each run
 * is segmented into kept terms and single characters with the fewest segments (ties: the
 * largest sum of ln(corpus frequency) over its terms; then the first found), by dynamic
 * programming over the positions where terms start, and a term is counted once per segment
 * it forms: 五年计划 counts as one 五年计划, not also as 五年 and 计划. */
typedef struct seg {
    uint32_t *starts;         /* per position: bit m set when a kept term of m characters starts */
    uint32_t *off, *ids;      /* per position: the ids of the terms starting there (CSR) */
    const unsigned char *len; /* per id: length in characters */
    double *best_s;
    unsigned char *back;
    uint32_t *back_id;
    size_t cap;
} seg;

/* The provisional id of the kept term of m characters at position p. */
static uint32_t term_at(const work *w, uint32_t p, int m)
{
    if (m <= w->D) {
        uint32_t g = w->lv[m].gid[w->rank[p]];
        if (g != NONE && w->lv[m].cand[g] != NONE)
            return w->lv[m].cand[g];
    }
    /* A dictionary term without a group (they come first in the list): compare its
     * characters. */
    for (size_t i = 0; i < w->n_dict; i++) {
        const term *t = &w->terms[i];
        if (t->dropped || t->group != NONE || t->len != m)
            continue;
        size_t k = 0;
        if (t->check_len) {
            while (k < (size_t)m && w->T[p + k] == t->check_ids[k])
                k++;
        } else {
            uint32_t q = w->sa[t->sa_start];
            while (k < (size_t)m && w->T[p + k] == w->T[q + k])
                k++;
        }
        if (k == (size_t)m)
            return t->id;
    }
    return NONE;
}

static int seg_reserve(seg *sg, size_t n)
{
    if (n + 1 <= sg->cap)
        return CT_OK;
    size_t cap = sg->cap ? sg->cap : 256;
    while (cap < n + 1)
        cap *= 2;
    double *b = ct_reallocarray(sg->best_s, cap, sizeof *b);
    if (b)
        sg->best_s = b;
    unsigned char *c = ct_realloc(sg->back, cap);
    if (c)
        sg->back = c;
    uint32_t *d = ct_reallocarray(sg->back_id, cap, sizeof *d);
    if (d)
        sg->back_id = d;
    if (!b || !c || !d)
        return CT_ENOMEM;
    sg->cap = cap;
    return CT_OK;
}

/* Segment the run T[a, a+n) with the most probable path under a unigram model (a term
 * costs ln f(term) − ln Z, a character outside any term ln f(char) − ln Z), and add its
 * term segments to cnt (touched: ids first seen). Terms with alive[id] == 0 are ignored. */
static int segment_run(const work *w, seg *sg, const double *lnfreq, const double *lnchar,
                       double lnz, const unsigned char *alive, size_t a, size_t n, double *cnt,
                       uint32_t *touched, size_t *n_touched, double *single)
{
    int rc = seg_reserve(sg, n);
    if (rc != CT_OK)
        return rc;
    sg->best_s[0] = 0;
    for (size_t i = 1; i <= n; i++)
        sg->best_s[i] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double bs = sg->best_s[i];
        double s1 = bs + lnchar[w->T[a + i]] - lnz;
        if (s1 > sg->best_s[i + 1]) { /* a single character */
            sg->best_s[i + 1] = s1;
            sg->back[i + 1] = 1;
            sg->back_id[i + 1] = NONE;
        }
        for (uint32_t k = sg->off[a + i]; k < sg->off[a + i + 1]; k++) {
            uint32_t id = sg->ids[k];
            int m = sg->len[id];
            if (i + (size_t)m > n || !alive[id])
                continue;
            double s = bs + lnfreq[id] - lnz;
            size_t j = i + (size_t)m;
            if (s > sg->best_s[j]) {
                sg->best_s[j] = s;
                sg->back[j] = (unsigned char)m;
                sg->back_id[j] = id;
            }
        }
    }
    for (size_t j = n; j > 0; j -= sg->back[j]) {
        uint32_t id = sg->back_id[j];
        if (id == NONE) {
            if (single)
                single[w->T[a + j - 1]]++;
            continue;
        }
        if (cnt[id] == 0)
            touched[(*n_touched)++] = id;
        cnt[id]++;
    }
    return CT_OK;
}

/* Number of characters of the first k bytes... helpers for drop_affixed: the byte offset
 * of character i of a UTF-8 string. */
static size_t char_offset(const char *s, int i)
{
    size_t b = 0;
    for (int k = 0; k < i && s[b]; k++) {
        b++;
        while ((s[b] & 0xC0) == 0x80)
            b++;
    }
    return b;
}

/* A term of three or more characters that is a function unit glued to another term is a
 * phrase, not a term: 和社区 (和 + 社区), 这些成绩 (这些 + 成绩), 评价和. A function unit is
 * a character that stands alone — forms a single-character segment — in at least
 * affix_share of its occurrences (和, 是, 在, 等: measured by the segmentation itself), or a
 * stopword of the list. Two-character terms are never dropped here: 和平 and 和谐 stay. */
static void drop_affixed(const work *w, const ct_terms_options *o, const uint32_t *keep_index,
                         size_t n_keep, unsigned char *alive, const double *single,
                         const double *charcount)
{
    for (uint32_t id = 0; id < n_keep; id++) {
        const term *t = &w->terms[keep_index[id]];
        if (!alive[id] || t->st.from_dict || t->len < 3 || t->check_len)
            continue;
        uint32_t p = w->sa[t->sa_start];
        int n = t->len, drop = 0;
        for (int side = 0; side < 2 && !drop; side++) {
            uint32_t c = w->T[side == 0 ? p : p + (uint32_t)n - 1];
            int function = charcount[c] > 0 && single[c] >= o->affix_share * charcount[c];
            uint32_t rest = term_at(w, side == 0 ? p + 1 : p, n - 1);
            if (function && rest != NONE && alive[rest])
                drop = 1;
            /* A stopword of k characters at this edge, the rest at least two characters. */
            for (int k = 2; o->stopwords && !drop && k <= n - 2; k++) {
                size_t from = side == 0 ? 0 : char_offset(t->text, n - k);
                size_t to = side == 0 ? char_offset(t->text, k) : strlen(t->text);
                drop = ct_stopwords_contains(o->stopwords, t->text + from, to - from);
            }
        }
        if (drop)
            alive[id] = 0;
    }
}

typedef struct entry {
    uint32_t col;
    double val;
} entry;

static int by_col(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* Build the documents × terms matrix from the kept terms. */
static int build_matrix(work *w, const ct_corpus *corpus, const ct_terms_options *o, ct_terms *out)
{
    int rc = CT_OK;
    size_t n_keep = 0, n_final = 0;
    const char **texts = NULL;
    uint32_t *keep_index = NULL, *remap = NULL, *final_of = NULL, *touched = NULL;
    double *cnt = NULL, *lnfreq = NULL, *tokens = NULL, *lnchar = NULL, *single = NULL,
           *charcount = NULL;
    unsigned char *alive = NULL, *tlen = NULL;
    size_t total_occ = 0;
    size_t *row_ptr = NULL;
    entry *ent = NULL;
    uint32_t *cols = NULL;
    double *values = NULL;
    const char **row_ids = NULL;
    ct_vocab *vocab = NULL;
    seg sg = {0};
    size_t nnz = 0, cap = 1024;
    /* Deduplicate: a dictionary term may also be discovered; the dictionary entry (first)
     * stays and takes the discovered statistics. */
    for (size_t i = 0; i < w->n_terms; i++) {
        term *t = &w->terms[i];
        if (t->dropped)
            continue;
        uint32_t id;
        int is_new;
        if ((rc = ct_termtab_intern(w->names, t->text, strlen(t->text), &id, &is_new)) != CT_OK)
            goto cleanup;
        if (is_new) {
            t->id = id;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            term *u = &w->terms[j];
            if (!u->dropped && u->id == id) {
                u->st = t->st;
                u->st.from_dict = 1;
                u->group = t->group;
            }
        }
        t->dropped = 1;
    }
    n_keep = ct_termtab_size(w->names);
    keep_index = ct_malloc((n_keep + 1) * sizeof *keep_index);
    lnfreq = ct_malloc((n_keep + 1) * sizeof *lnfreq);
    tokens = ct_calloc(n_keep + 1, sizeof *tokens);
    cnt = ct_calloc(n_keep + 1, sizeof *cnt);
    touched = ct_malloc((n_keep + 1) * sizeof *touched);
    sg.starts = ct_calloc(w->L, sizeof *sg.starts);
    tlen = ct_malloc(n_keep + 1);
    sg.len = tlen;
    if (!tlen || !keep_index || !lnfreq || !tokens || !cnt || !touched || !sg.starts) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (int n = 1; n <= w->D; n++)
        for (size_t g = 0; g < w->lv[n].n; g++)
            w->lv[n].cand[g] = NONE;
    for (size_t i = 0; i < w->n_terms; i++) {
        term *t = &w->terms[i];
        if (t->dropped)
            continue;
        keep_index[t->id] = (uint32_t)i;
        if (t->group != NONE)
            w->lv[t->len].cand[t->group] = t->id;
        double occ = 0;
        for (uint32_t k = t->sa_start; k < t->sa_start + t->sa_count; k++) {
            uint32_t p = w->sa[k];
            if (!term_occurs_at(w, t, p))
                continue;
            sg.starts[p] |= 1u << t->len;
            occ++;
        }
        t->st.count = occ;
        lnfreq[t->id] = log(occ > 0 ? occ : 1);
        tlen[t->id] = (unsigned char)t->len;
        total_occ += (size_t)occ;
    }
    /* The ids of the terms starting at each position (CSR), so that segmentation needs no
     * look-up: off[p] … off[p+1]. */
    sg.off = ct_calloc(w->L + 1, sizeof *sg.off);
    sg.ids = ct_malloc((total_occ ? total_occ : 1) * sizeof *sg.ids);
    if (!sg.off || !sg.ids || total_occ >= UINT32_MAX) {
        rc = total_occ >= UINT32_MAX ? CT_EINVAL : CT_ENOMEM;
        goto cleanup;
    }
    for (size_t p = 0; p < w->L; p++)
        sg.off[p + 1] = sg.off[p] + (uint32_t)__builtin_popcount(sg.starts[p]);
    for (size_t p = 0; p < w->L; p++)
        sg.starts[p] = sg.off[p]; /* reused as the fill position */
    for (size_t i = 0; i < w->n_terms; i++) {
        const term *t = &w->terms[i];
        if (t->dropped)
            continue;
        for (uint32_t k = t->sa_start; k < t->sa_start + t->sa_count; k++) {
            uint32_t p = w->sa[k];
            if (term_occurs_at(w, t, p))
                sg.ids[sg.starts[p]++] = t->id;
        }
    }
    /* Unigram model: character and term frequencies, one normalising total. */
    lnchar = ct_calloc(w->n_ids + 1, sizeof *lnchar);
    single = ct_calloc(w->n_ids + 1, sizeof *single);
    charcount = ct_calloc(w->n_ids + 1, sizeof *charcount);
    alive = ct_malloc(n_keep + 1);
    row_ptr = ct_calloc(w->n_docs + 1, sizeof *row_ptr);
    ent = ct_malloc(cap * sizeof *ent);
    if (!lnchar || !single || !charcount || !alive || !row_ptr || !ent) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    double z = 0;
    for (size_t p = 0; p < w->L; p++)
        lnchar[w->T[p]]++;
    for (size_t c = 1; c <= w->n_ids; c++) {
        charcount[c] = lnchar[c];
        z += lnchar[c];
        lnchar[c] = log(lnchar[c] > 0 ? lnchar[c] : 1);
    }
    for (uint32_t id = 0; id < n_keep; id++) {
        z += exp(lnfreq[id]);
        alive[id] = 1;
    }
    double lnz = log(z > 0 ? z : 1);
    /* Pass 0 segments to find the terms that seldom form a segment of their own (fewer
     * than min_segments times: fragments straddling two words, such as 业和 in 企业和, lose
     * to the split 企业 + 和); pass 1, without them, counts. Entries come out row by row. */
    for (int pass = o->min_segments > 0 ? 0 : 1; pass < 2; pass++) {
        nnz = 0;
        for (size_t d = 0; d < w->n_docs; d++) {
            size_t n_touched = 0;
            size_t p = w->doc_start[d], end = w->doc_start[d + 1];
            while (p < end) {
                if (!w->T[p]) {
                    p++;
                    continue;
                }
                size_t q = p;
                while (q < end && w->T[q])
                    q++;
                if ((rc = segment_run(w, &sg, lnfreq, lnchar, lnz, alive, p, q - p, cnt, touched,
                                      &n_touched, pass == 0 ? single : NULL)) != CT_OK)
                    goto cleanup;
                p = q;
            }
            if (pass == 1 && nnz + n_touched > cap) {
                while (nnz + n_touched > cap)
                    cap *= 2;
                entry *e = ct_reallocarray(ent, cap, sizeof *e);
                if (!e) {
                    rc = CT_ENOMEM;
                    goto cleanup;
                }
                ent = e;
            }
            for (size_t k = 0; k < n_touched; k++) {
                uint32_t id = touched[k];
                if (pass == 1) {
                    ent[nnz].col = id;
                    ent[nnz++].val = cnt[id];
                }
                tokens[id] += cnt[id];
                cnt[id] = 0;
            }
            row_ptr[d + 1] = nnz;
        }
        if (pass == 0) {
            for (uint32_t id = 0; id < n_keep; id++) {
                const term *t = &w->terms[keep_index[id]];
                if (!t->st.from_dict && tokens[id] < (double)o->min_segments)
                    alive[id] = 0;
                tokens[id] = 0;
            }
            drop_affixed(w, o, keep_index, n_keep, alive, single, charcount);
        }
    }
    /* The vocabulary: terms that form at least one segment, in byte order. */
    texts = ct_malloc((n_keep + 1) * sizeof *texts);
    final_of = ct_malloc((n_keep + 1) * sizeof *final_of);
    if (!texts || !final_of) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    uint32_t *kept_ids = touched; /* reuse: provisional ids of the vocabulary's terms */
    for (uint32_t id = 0; id < n_keep; id++) {
        final_of[id] = NONE;
        if (tokens[id] > 0) {
            texts[n_final] = w->terms[keep_index[id]].text;
            kept_ids[n_final++] = id;
        }
    }
    if ((rc = ct_vocab_from_terms(&vocab, texts, n_final, &remap)) != CT_OK)
        goto cleanup;
    out->stats = ct_calloc(n_final + 1, sizeof *out->stats);
    cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    row_ids = ct_malloc((w->n_docs + 1) * sizeof *row_ids);
    if (!out->stats || !cols || !values || !row_ids) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < n_final; k++) {
        uint32_t id = kept_ids[k];
        final_of[id] = remap[k];
        out->stats[remap[k]] = w->terms[keep_index[id]].st;
        out->stats[remap[k]].tokens = tokens[id];
    }
    for (size_t k = 0; k < nnz; k++)
        ent[k].col = final_of[ent[k].col];
    for (size_t d = 0; d < w->n_docs; d++) {
        qsort(ent + row_ptr[d], row_ptr[d + 1] - row_ptr[d], sizeof *ent, by_col);
        row_ids[d] = ct_corpus_id(corpus, d);
    }
    for (size_t k = 0; k < nnz; k++) {
        cols[k] = ent[k].col;
        values[k] = ent[k].val;
    }
    rc = ct_matrix_new(&out->counts, w->n_docs, vocab, row_ptr, cols, values, row_ids);
    row_ptr = NULL;
    cols = NULL;
    values = NULL;
cleanup:
    ct_vocab_unref(vocab);
    ct_free(texts);
    ct_free(keep_index);
    ct_free(remap);
    ct_free(final_of);
    ct_free(touched);
    ct_free(cnt);
    ct_free(lnfreq);
    ct_free(lnchar);
    ct_free(single);
    ct_free(charcount);
    ct_free(alive);
    ct_free(tokens);
    ct_free(row_ptr);
    ct_free(ent);
    ct_free(cols);
    ct_free(values);
    ct_free(row_ids);
    ct_free(sg.starts);
    ct_free(sg.off);
    ct_free(sg.ids);
    ct_free(tlen);
    ct_free(sg.best_s);
    ct_free(sg.back);
    ct_free(sg.back_id);
    return rc;
}

static void work_free(work *w)
{
    ct_free(w->id_of_cp);
    ct_free(w->cp_of_id);
    ct_free(w->T);
    ct_free(w->lim);
    ct_free(w->sa);
    ct_free(w->rank);
    ct_free(w->lcp);
    ct_free(w->doc_start);
    if (w->lv)
        for (int n = 0; n <= w->D; n++) {
            ct_free(w->lv[n].gid);
            ct_free(w->lv[n].start);
            ct_free(w->lv[n].count);
            ct_free(w->lv[n].acc_left);
            ct_free(w->lv[n].cand);
        }
    ct_free(w->lv);
    for (size_t i = 0; i < w->n_terms; i++) {
        ct_free(w->terms[i].text);
        ct_free(w->terms[i].check_ids);
    }
    ct_free(w->terms);
    ct_termtab_free(w->veto);
    ct_termtab_free(w->names);
}

int ct_terms_discover(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *o,
                      ct_error *err)
{
    *out = NULL;
    if (o->max_len < 2 || o->max_len > CT_TERMS_LEN_LIMIT || o->min_count < 2 ||
        !(o->subsume_ratio > 0) || isnan(o->min_cohesion) || isnan(o->min_entropy))
        return CT_EINVAL;
    size_t n_docs = ct_corpus_size(corpus);
    if (!n_docs)
        return CT_EEMPTY;
    work w = {0};
    w.D = o->max_len + 1;
    w.n_docs = n_docs;
    ct_terms *t = ct_calloc(1, sizeof *t);
    w.id_of_cp = ct_calloc(CP_LIMIT, sizeof *w.id_of_cp);
    w.doc_start = ct_malloc((n_docs + 1) * sizeof *w.doc_start);
    w.lv = ct_calloc((size_t)w.D + 1, sizeof *w.lv);
    int rc = CT_OK;
    if (!t || !w.id_of_cp || !w.doc_start || !w.lv ||
        (t->doc_chars = ct_calloc(n_docs, sizeof *t->doc_chars)) == NULL) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    if ((rc = ct_termtab_new(&w.veto)) != CT_OK || (rc = ct_termtab_new(&w.names)) != CT_OK ||
        (rc = push_T(&w, 0)) != CT_OK)
        goto cleanup;
    /* Chrome stripping learns from the whole corpus first: do it before the threads read. */
    if ((rc = ct_corpus_prepare((ct_corpus *)corpus, err)) != CT_OK ||
        (rc = read_all(&w, corpus, o, t->doc_chars, err)) != CT_OK)
        goto cleanup;
    w.doc_start[n_docs] = w.L;
    if ((rc = build_sa(&w)) != CT_OK)
        goto cleanup;
    for (int n = 1; n <= w.D; n++)
        if ((rc = build_level(&w, n)) != CT_OK)
            goto cleanup;
    if (o->dict_path && (rc = read_dict(&w, o, err)) != CT_OK)
        goto cleanup;
    if ((rc = discover(&w, o)) != CT_OK)
        goto cleanup;
    if ((rc = build_matrix(&w, corpus, o, t)) != CT_OK)
        goto cleanup;
cleanup:
    work_free(&w);
    if (rc != CT_OK) {
        ct_terms_free(t);
        return rc;
    }
    *out = t;
    return CT_OK;
}

void ct_terms_free(ct_terms *t)
{
    if (!t)
        return;
    ct_matrix_free(t->counts);
    ct_free(t->stats);
    ct_free(t->doc_chars);
    ct_free(t);
}

const ct_matrix *ct_terms_counts(const ct_terms *t)
{
    return t->counts;
}

const double *ct_terms_doc_chars(const ct_terms *t)
{
    return t->doc_chars;
}

void ct_terms_stats(const ct_terms *t, uint32_t id, ct_term_stats *st)
{
    *st = t->stats[id];
}
