/* count.c — counting a corpus into a document-term matrix on several threads.
 *
 * Workers take documents from a shared counter; each reads, normalises and tokenises its
 * document and counts terms under ids of its own term tables (no locks on the hot path).
 * N-grams of up to three code points, and of four BMP code points — nearly every token with
 * the default 2-4 — come from the tokeniser packed into a 64-bit integer and are interned in
 * integer tables (one compare, one cache line); other tokens go through the string table.
 * A finished document becomes a row of (local id, count) pairs. When every document is
 * done, the threads' tables are merged into one vocabulary sorted in byte order, the rows
 * are translated to its ids and sorted, and the CSR matrix is assembled in corpus order —
 * so the result is the same bytes whatever the number of threads. */
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/normalize.h"
#include "corpus_impl.h"
#include "matrix_impl.h"
#include "termtab.h"
#include "utf8.h"
#include "vocab_impl.h"

#define MAX_THREADS 64

void ct_count_options_init(ct_count_options *o)
{
    memset(o, 0, sizeof *o);
}

int ct_default_threads(void)
{
    const char *env = getenv("COMPTEXT_THREADS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (!*end && n > 0)
            return n > MAX_THREADS ? MAX_THREADS : (int)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Packed keys are looked up in batches of this many (ct_keytab_intern_many prefetches the
 * slots of a batch first, so the cache misses of a large vocabulary overlap). */
#define PENDING 64

/* A local id with PACKED_BIT set is an id of the worker's table of packed keys of up to three
 * code points; with PACKED4_BIT, of its table of four-code-point keys. */
#define PACKED_BIT 0x80000000u
#define PACKED4_BIT 0x40000000u
#define ID_MASK 0x3FFFFFFFu

typedef struct doc_row {
    uint32_t *ids; /* local ids of the worker that counted it (PACKED_BIT: packed table) */
    uint32_t *counts;
    size_t n;
    int worker;
} doc_row;

typedef struct shared_state {
    const ct_corpus *corpus;
    const ct_tokenizer *tok;
    const ct_count_options *opts;
    doc_row *rows;
    size_t next_doc, done_docs;
    int failed; /* set by the first worker that fails */
    int rc;
    ct_error err;
    pthread_mutex_t lock;
} shared_state;

typedef struct worker {
    shared_state *shared;
    int index;
    ct_termtab *terms;
    ct_keytab *keys, *keys4;
    uint32_t *counts; /* per string-table id, for the current document */
    size_t counts_cap;
    uint32_t *key_counts, *key4_counts; /* per packed-table id */
    size_t key_counts_cap, key4_counts_cap;
    uint64_t pending[PENDING], pending4[PENDING]; /* keys waiting for a batched look-up */
    size_t n_pending, n_pending4;
    uint32_t *touched; /* local ids with a non-zero count in the current document */
    size_t n_touched, touched_cap;
    int rc;
} worker;

/* Grow a zeroed count array so that index id exists. */
static int ensure_counts(uint32_t **counts, size_t *cap, uint32_t id)
{
    if (id < *cap)
        return CT_OK;
    size_t n = *cap ? *cap * 2 : 4096;
    while (n <= id)
        n *= 2;
    uint32_t *c = ct_reallocarray(*counts, n, sizeof *c);
    if (!c)
        return CT_ENOMEM;
    memset(c + *cap, 0, (n - *cap) * sizeof *c);
    *counts = c;
    *cap = n;
    return CT_OK;
}

/* Add one occurrence of local id (PACKED_BIT: packed table) whose count lives in *slot. */
static inline int bump(worker *w, uint32_t id, uint32_t *slot)
{
    if ((*slot)++ == 0) {
        if (w->n_touched == w->touched_cap) {
            size_t cap = w->touched_cap ? w->touched_cap * 2 : 4096;
            uint32_t *tt = ct_reallocarray(w->touched, cap, sizeof *tt);
            if (!tt)
                return CT_ENOMEM;
            w->touched = tt;
            w->touched_cap = cap;
        }
        w->touched[w->n_touched++] = id;
    }
    return CT_OK;
}

/* Count n pending keys of one table, whose ids are tagged with tag. */
static int flush_keys(worker *w, ct_keytab *tab, const uint64_t *keys, size_t n,
                      uint32_t **counts, size_t *counts_cap, uint32_t tag)
{
    uint32_t ids[PENDING];
    int rc = ct_keytab_intern_many(tab, keys, n, ids);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        if (id > ID_MASK)
            return CT_ENOMEM; /* more than 2^30 distinct terms in one thread */
        if ((rc = ensure_counts(counts, counts_cap, id)) != CT_OK ||
            (rc = bump(w, id | tag, &(*counts)[id])) != CT_OK)
            return rc;
    }
    return CT_OK;
}

/* Count the pending packed keys of both tables. */
static int flush_pending(worker *w)
{
    size_t n = w->n_pending, n4 = w->n_pending4;
    w->n_pending = w->n_pending4 = 0;
    int rc = flush_keys(w, w->keys, w->pending, n, &w->key_counts, &w->key_counts_cap,
                        PACKED_BIT);
    if (rc == CT_OK)
        rc = flush_keys(w, w->keys4, w->pending4, n4, &w->key4_counts, &w->key4_counts_cap,
                        PACKED4_BIT);
    return rc;
}

static int on_token(void *ctx, const ct_token *t)
{
    worker *w = ctx;
    if (t->key) {
        w->pending[w->n_pending++] = t->key;
        return w->n_pending == PENDING ? flush_pending(w) : CT_OK;
    }
    if (t->key4) {
        w->pending4[w->n_pending4++] = t->key4;
        return w->n_pending4 == PENDING ? flush_pending(w) : CT_OK;
    }
    uint32_t id;
    int rc;
    if ((rc = ct_termtab_intern(w->terms, t->text, t->len, &id, NULL)) != CT_OK)
        return rc;
    if (id > ID_MASK)
        return CT_ENOMEM; /* more than 2^30 distinct long terms in one thread */
    if ((rc = ensure_counts(&w->counts, &w->counts_cap, id)) != CT_OK)
        return rc;
    return bump(w, id, &w->counts[id]);
}

/* Turn the current document's counts into a row, and reset them. */
static int finish_row(worker *w, doc_row *row)
{
    row->n = w->n_touched;
    row->worker = w->index;
    row->ids = ct_malloc((row->n ? row->n : 1) * sizeof *row->ids);
    row->counts = ct_malloc((row->n ? row->n : 1) * sizeof *row->counts);
    int ok = row->ids && row->counts;
    for (size_t i = 0; i < w->n_touched; i++) {
        uint32_t id = w->touched[i];
        uint32_t *slot = id & PACKED_BIT    ? &w->key_counts[id & ID_MASK]
                         : id & PACKED4_BIT ? &w->key4_counts[id & ID_MASK]
                                            : &w->counts[id];
        if (ok) {
            row->ids[i] = id;
            row->counts[i] = *slot;
        }
        *slot = 0;
    }
    w->n_touched = 0;
    return ok ? CT_OK : CT_ENOMEM;
}

static int count_one(worker *w, size_t doc, ct_error *err)
{
    shared_state *s = w->shared;
    char *text, *norm;
    size_t len, norm_len;
    int rc = ct_corpus_read_text(s->corpus, doc, &text, &len, err);
    if (rc != CT_OK)
        return rc;
    unsigned flags = ct_tokenizer_get_options(s->tok)->flags;
    rc = ct_normalize(text, len, flags & (CT_TOK_NFKC | CT_TOK_CASEFOLD), &norm, &norm_len, NULL);
    ct_free(text);
    if (rc != CT_OK)
        return rc;
    rc = ct_tokenize_normalized(s->tok, norm, norm_len, NULL, 0, on_token, w);
    ct_free(norm);
    if (rc == CT_OK)
        rc = flush_pending(w);
    w->n_pending = w->n_pending4 = 0;
    if (rc == CT_OK)
        rc = finish_row(w, &s->rows[doc]);
    else
        w->n_touched = 0; /* counts are stale, but this run is failing anyway */
    return rc;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    shared_state *s = w->shared;
    size_t total = ct_corpus_size(s->corpus);
    ct_error err;
    ct_error_clear(&err);
    for (;;) {
        pthread_mutex_lock(&s->lock);
        size_t doc = s->next_doc++;
        int stop = s->failed || doc >= total;
        pthread_mutex_unlock(&s->lock);
        if (stop)
            break;
        int rc = count_one(w, doc, &err);
        pthread_mutex_lock(&s->lock);
        if (rc != CT_OK && !s->failed) {
            s->failed = 1;
            s->rc = rc;
            s->err = err;
        }
        s->done_docs++;
        if (rc == CT_OK && s->opts && s->opts->progress)
            s->opts->progress(s->opts->progress_ctx, "counting", s->done_docs, total);
        pthread_mutex_unlock(&s->lock);
        if (rc != CT_OK)
            break;
    }
    return NULL;
}

/* Sort entries (column << 32 | count) by column: LSD radix sort on the column's bytes, with
 * insertion sort for short rows. tmp has room for n entries. */
static void sort_by_column(uint64_t *a, uint64_t *tmp, size_t n, uint32_t max_col)
{
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    for (int shift = 32; shift < 64 && (max_col >> (shift - 32)) != 0; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((a[i] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i] >> shift) & 0xFF]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* Merge the workers' term tables into a sorted vocabulary; str_maps[w][local] and
 * key_maps[w][local] receive global ids. */
static int merge_vocab(worker *workers, int n_workers, ct_vocab **vocab, uint32_t **str_maps,
                       uint32_t **key_maps, uint32_t **key4_maps)
{
    ct_termtab *all = NULL;
    const char **keys = NULL;
    uint32_t *rank = NULL;
    int rc = ct_termtab_new(&all);
    if (rc != CT_OK)
        return rc;
    for (int k = 0; k < n_workers && rc == CT_OK; k++) {
        size_t n = ct_termtab_size(workers[k].terms), m = ct_keytab_size(workers[k].keys);
        size_t m4 = ct_keytab_size(workers[k].keys4);
        str_maps[k] = ct_malloc((n ? n : 1) * sizeof *str_maps[k]);
        key_maps[k] = ct_malloc((m ? m : 1) * sizeof *key_maps[k]);
        key4_maps[k] = ct_malloc((m4 ? m4 : 1) * sizeof *key4_maps[k]);
        if (!str_maps[k] || !key_maps[k] || !key4_maps[k]) {
            rc = CT_ENOMEM;
            break;
        }
        for (size_t i = 0; i < n && rc == CT_OK; i++) {
            size_t len;
            const char *key = ct_termtab_key(workers[k].terms, (uint32_t)i, &len);
            rc = ct_termtab_intern(all, key, len, &str_maps[k][i], NULL);
        }
        for (size_t i = 0; i < m && rc == CT_OK; i++) {
            char buf[16];
            size_t len = ct_unpack_utf8(ct_keytab_key(workers[k].keys, (uint32_t)i), buf);
            rc = ct_termtab_intern(all, buf, len, &key_maps[k][i], NULL);
        }
        for (size_t i = 0; i < m4 && rc == CT_OK; i++) {
            char buf[16];
            size_t len = ct_unpack4_utf8(ct_keytab_key(workers[k].keys4, (uint32_t)i), buf);
            rc = ct_termtab_intern(all, buf, len, &key4_maps[k][i], NULL);
        }
    }
    size_t n = ct_termtab_size(all);
    if (rc == CT_OK) {
        keys = ct_malloc((n ? n : 1) * sizeof *keys);
        if (!keys)
            rc = CT_ENOMEM;
    }
    if (rc == CT_OK) {
        for (size_t i = 0; i < n; i++)
            keys[i] = ct_termtab_key(all, (uint32_t)i, NULL);
        rc = ct_vocab_from_terms(vocab, keys, n, &rank);
    }
    if (rc == CT_OK)
        for (int k = 0; k < n_workers; k++) {
            size_t m = ct_termtab_size(workers[k].terms);
            for (size_t i = 0; i < m; i++)
                str_maps[k][i] = rank[str_maps[k][i]];
            m = ct_keytab_size(workers[k].keys);
            for (size_t i = 0; i < m; i++)
                key_maps[k][i] = rank[key_maps[k][i]];
            m = ct_keytab_size(workers[k].keys4);
            for (size_t i = 0; i < m; i++)
                key4_maps[k][i] = rank[key4_maps[k][i]];
        }
    ct_free(rank);
    ct_free(keys);
    ct_termtab_free(all);
    return rc;
}

/* The rows freed while the matrix is assembled are small heap blocks, which the C library
 * keeps instead of returning to the system, so the rows and the finished matrix would both
 * count in the peak memory. Every so often, hand the freed pages back (glibc's malloc_trim;
 * elsewhere, nothing). */
static void release_freed(size_t done, size_t total)
{
#ifdef __GLIBC__
    if (total >= 64 && (done + 1) % (total / 16 + 1) == 0)
        malloc_trim(0);
#else
    (void)done;
    (void)total;
#endif
}

static int assemble(shared_state *s, uint32_t **str_maps, uint32_t **key_maps,
                    uint32_t **key4_maps, ct_vocab *vocab, ct_matrix **out)
{
    size_t n_docs = ct_corpus_size(s->corpus), nnz = 0, longest = 0;
    for (size_t d = 0; d < n_docs; d++) {
        nnz += s->rows[d].n;
        if (s->rows[d].n > longest)
            longest = s->rows[d].n;
    }
    size_t *row_ptr = ct_malloc((n_docs + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    const char **ids = ct_malloc((n_docs ? n_docs : 1) * sizeof *ids);
    uint64_t *entries = ct_malloc((longest ? longest : 1) * sizeof *entries);
    uint64_t *tmp = ct_malloc((longest ? longest : 1) * sizeof *tmp);
    int rc = CT_ENOMEM;
    if (!row_ptr || !cols || !values || !ids || !entries || !tmp)
        goto fail;
    uint32_t max_col = (uint32_t)ct_vocab_size(vocab);
    size_t k = 0;
    for (size_t d = 0; d < n_docs; d++) {
        doc_row *r = &s->rows[d];
        ids[d] = ct_corpus_id(s->corpus, d);
        row_ptr[d] = k;
        for (size_t i = 0; i < r->n; i++) {
            uint32_t id = r->ids[i];
            uint32_t col = id & PACKED_BIT    ? key_maps[r->worker][id & ID_MASK]
                           : id & PACKED4_BIT ? key4_maps[r->worker][id & ID_MASK]
                                              : str_maps[r->worker][id];
            entries[i] = (uint64_t)col << 32 | r->counts[i];
        }
        sort_by_column(entries, tmp, r->n, max_col);
        for (size_t i = 0; i < r->n; i++) {
            cols[k] = (uint32_t)(entries[i] >> 32);
            values[k++] = (double)(uint32_t)entries[i];
        }
        ct_free(r->ids);
        ct_free(r->counts);
        r->ids = NULL;
        r->counts = NULL;
        release_freed(d, n_docs);
    }
    row_ptr[n_docs] = k;
    ct_free(entries);
    ct_free(tmp);
    rc = ct_matrix_new(out, n_docs, vocab, row_ptr, cols, values, ids);
    ct_free(ids);
    return rc;
fail:
    ct_free(entries);
    ct_free(tmp);
    ct_free(row_ptr);
    ct_free(cols);
    ct_free(values);
    ct_free(ids);
    return rc;
}

int ct_count_corpus(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                    const ct_count_options *opts, ct_error *err)
{
    *out = NULL;
    ct_error_clear(err);
    size_t n_docs = ct_corpus_size(corpus);
    if (n_docs == 0) {
        ct_error_set(err, NULL, 0, -1, "the corpus has no documents");
        return CT_EEMPTY;
    }
    int rc = ct_corpus_prepare((ct_corpus *)corpus, err);
    if (rc != CT_OK)
        return rc;
    int n_threads = opts && opts->threads > 0 ? opts->threads : ct_default_threads();
    if (n_threads > MAX_THREADS)
        n_threads = MAX_THREADS;
    if ((size_t)n_threads > n_docs)
        n_threads = (int)n_docs;
    shared_state s = {.corpus = corpus, .tok = tok, .opts = opts};
    ct_error_clear(&s.err);
    pthread_mutex_init(&s.lock, NULL);
    worker workers[MAX_THREADS];
    memset(workers, 0, sizeof workers);
    pthread_t threads[MAX_THREADS];
    int started = 0;
    uint32_t *str_maps[MAX_THREADS] = {0}, *key_maps[MAX_THREADS] = {0};
    uint32_t *key4_maps[MAX_THREADS] = {0};
    ct_vocab *vocab = NULL;
    s.rows = ct_calloc(n_docs, sizeof *s.rows);
    if (!s.rows) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (int k = 0; k < n_threads; k++) {
        workers[k].shared = &s;
        workers[k].index = k;
        if ((rc = ct_termtab_new(&workers[k].terms)) != CT_OK ||
            (rc = ct_keytab_new(&workers[k].keys)) != CT_OK ||
            (rc = ct_keytab_new(&workers[k].keys4)) != CT_OK)
            goto cleanup;
    }
    if (n_threads == 1) {
        worker_main(&workers[0]);
    } else {
        for (; started < n_threads; started++)
            if (pthread_create(&threads[started], NULL, worker_main, &workers[started]) != 0)
                break;
        if (started == 0)
            worker_main(&workers[0]);
        for (int k = 0; k < started; k++)
            pthread_join(threads[k], NULL);
    }
    if (s.failed) {
        rc = s.rc;
        if (err)
            *err = s.err;
        goto cleanup;
    }
    rc = merge_vocab(workers, n_threads, &vocab, str_maps, key_maps, key4_maps);
    if (rc == CT_OK)
        rc = assemble(&s, str_maps, key_maps, key4_maps, vocab, out);
cleanup:
    if (s.rows)
        for (size_t d = 0; d < n_docs; d++) {
            ct_free(s.rows[d].ids);
            ct_free(s.rows[d].counts);
        }
    ct_free(s.rows);
    for (int k = 0; k < n_threads; k++) {
        ct_termtab_free(workers[k].terms);
        ct_keytab_free(workers[k].keys);
        ct_keytab_free(workers[k].keys4);
        ct_free(workers[k].counts);
        ct_free(workers[k].key_counts);
        ct_free(workers[k].key4_counts);
        ct_free(workers[k].touched);
        ct_free(str_maps[k]);
        ct_free(key_maps[k]);
        ct_free(key4_maps[k]);
    }
    ct_vocab_unref(vocab);
    pthread_mutex_destroy(&s.lock);
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, NULL, 0, -1, "out of memory");
    return rc;
}
