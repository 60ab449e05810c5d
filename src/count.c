/* count.c — counting a corpus into a document-term matrix on several threads.
 *
 * Workers take documents from a shared counter; each reads, normalises and tokenises its
 * document and counts terms under ids of its own term table (no locks on the hot path).
 * A finished document becomes a row of (local id, count) pairs. When every document is
 * done, the threads' tables are merged into one vocabulary sorted in byte order, the rows
 * are translated to its ids and sorted, and the CSR matrix is assembled in corpus order —
 * so the result is the same bytes whatever the number of threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/normalize.h"
#include "corpus_impl.h"
#include "matrix_impl.h"
#include "termtab.h"
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

typedef struct doc_row {
    uint32_t *ids; /* local ids of the worker that counted it, then global ids */
    double *counts;
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
    uint32_t *counts; /* per local id, for the current document */
    size_t counts_cap;
    uint32_t *touched; /* local ids with a non-zero count in the current document */
    size_t n_touched, touched_cap;
    int rc;
} worker;

static int on_token(void *ctx, const ct_token *t)
{
    worker *w = ctx;
    uint32_t id;
    int rc = ct_termtab_intern(w->terms, t->text, t->len, &id, NULL);
    if (rc != CT_OK)
        return rc;
    if (id >= w->counts_cap) {
        size_t cap = w->counts_cap ? w->counts_cap * 2 : 4096;
        while (cap <= id)
            cap *= 2;
        uint32_t *c = ct_reallocarray(w->counts, cap, sizeof *c);
        if (!c)
            return CT_ENOMEM;
        memset(c + w->counts_cap, 0, (cap - w->counts_cap) * sizeof *c);
        w->counts = c;
        w->counts_cap = cap;
    }
    if (w->counts[id]++ == 0) {
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
    return 0;
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
        if (ok) {
            row->ids[i] = id;
            row->counts[i] = w->counts[id];
        }
        w->counts[id] = 0;
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

typedef struct pair_u32 {
    uint32_t col;
    double count;
} pair_u32;

static int cmp_pair(const void *a, const void *b)
{
    uint32_t x = ((const pair_u32 *)a)->col, y = ((const pair_u32 *)b)->col;
    return (x > y) - (x < y);
}

/* Merge the workers' term tables into a sorted vocabulary; maps[w][local] = global id. */
static int merge_vocab(worker *workers, int n_workers, ct_vocab **vocab, uint32_t **maps)
{
    ct_termtab *all = NULL;
    const char **keys = NULL;
    uint32_t *rank = NULL;
    int rc = ct_termtab_new(&all);
    if (rc != CT_OK)
        return rc;
    for (int k = 0; k < n_workers && rc == CT_OK; k++) {
        size_t n = ct_termtab_size(workers[k].terms);
        maps[k] = ct_malloc((n ? n : 1) * sizeof *maps[k]);
        if (!maps[k]) {
            rc = CT_ENOMEM;
            break;
        }
        for (size_t i = 0; i < n && rc == CT_OK; i++) {
            size_t len;
            const char *key = ct_termtab_key(workers[k].terms, (uint32_t)i, &len);
            rc = ct_termtab_intern(all, key, len, &maps[k][i], NULL);
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
                maps[k][i] = rank[maps[k][i]];
        }
    ct_free(rank);
    ct_free(keys);
    ct_termtab_free(all);
    return rc;
}

static int assemble(shared_state *s, uint32_t **maps, ct_vocab *vocab, ct_matrix **out)
{
    size_t n_docs = ct_corpus_size(s->corpus), nnz = 0;
    for (size_t d = 0; d < n_docs; d++)
        nnz += s->rows[d].n;
    size_t *row_ptr = ct_malloc((n_docs + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    const char **ids = ct_malloc((n_docs ? n_docs : 1) * sizeof *ids);
    pair_u32 *tmp = NULL;
    size_t tmp_cap = 0;
    int rc = CT_OK;
    if (!row_ptr || !cols || !values || !ids) {
        rc = CT_ENOMEM;
        goto fail;
    }
    size_t k = 0;
    for (size_t d = 0; d < n_docs; d++) {
        doc_row *r = &s->rows[d];
        ids[d] = ct_corpus_id(s->corpus, d);
        row_ptr[d] = k;
        if (r->n > tmp_cap) {
            pair_u32 *t = ct_reallocarray(tmp, r->n, sizeof *t);
            if (!t) {
                rc = CT_ENOMEM;
                goto fail;
            }
            tmp = t;
            tmp_cap = r->n;
        }
        for (size_t i = 0; i < r->n; i++) {
            tmp[i].col = maps[r->worker][r->ids[i]];
            tmp[i].count = r->counts[i];
        }
        qsort(tmp, r->n, sizeof *tmp, cmp_pair);
        for (size_t i = 0; i < r->n; i++) {
            cols[k] = tmp[i].col;
            values[k++] = tmp[i].count;
        }
        ct_free(r->ids);
        ct_free(r->counts);
        r->ids = NULL;
        r->counts = NULL;
    }
    row_ptr[n_docs] = k;
    ct_free(tmp);
    rc = ct_matrix_new(out, n_docs, vocab, row_ptr, cols, values, ids);
    ct_free(ids);
    return rc;
fail:
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
    uint32_t *maps[MAX_THREADS] = {0};
    ct_vocab *vocab = NULL;
    s.rows = ct_calloc(n_docs, sizeof *s.rows);
    if (!s.rows) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (int k = 0; k < n_threads; k++) {
        workers[k].shared = &s;
        workers[k].index = k;
        if ((rc = ct_termtab_new(&workers[k].terms)) != CT_OK)
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
    rc = merge_vocab(workers, n_threads, &vocab, maps);
    if (rc == CT_OK)
        rc = assemble(&s, maps, vocab, out);
cleanup:
    if (s.rows)
        for (size_t d = 0; d < n_docs; d++) {
            ct_free(s.rows[d].ids);
            ct_free(s.rows[d].counts);
        }
    ct_free(s.rows);
    for (int k = 0; k < n_threads; k++) {
        ct_termtab_free(workers[k].terms);
        ct_free(workers[k].counts);
        ct_free(workers[k].touched);
        ct_free(maps[k]);
    }
    ct_vocab_unref(vocab);
    pthread_mutex_destroy(&s.lock);
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, NULL, 0, -1, "out of memory");
    return rc;
}
