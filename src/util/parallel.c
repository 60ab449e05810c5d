/* parallel.c — the one thread helper (parallel.h): workers on pthreads and a chunk queue.
 *
 * Plain pthreads, started and joined for each step: the steps are few and long (a corpus
 * count, an index build, a similarity matrix), so a thread pool would save nothing worth its
 * shutdown rules. A worker whose thread cannot be created runs on the calling thread, so a
 * step never fails for want of threads and its result never depends on how many started. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "parallel.h"

int ct_parallel_default_threads(void)
{
    const char *env = getenv("COMPTEXT_THREADS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (!*end && n > 0)
            return n > CT_PARALLEL_MAX ? CT_PARALLEL_MAX : (int)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > CT_PARALLEL_MAX ? CT_PARALLEL_MAX : (int)n;
}

int ct_parallel_workers(int requested, size_t n_items, int max)
{
    int n = requested > 0 ? requested : ct_parallel_default_threads();
    if (max > CT_PARALLEL_MAX || max < 1)
        max = CT_PARALLEL_MAX;
    if (n > max)
        n = max;
    if ((size_t)n > n_items)
        n = (int)n_items;
    return n < 1 ? 1 : n;
}

typedef struct thread_arg {
    ct_worker_fn fn;
    void *ctx;
    int worker;
} thread_arg;

static void *thread_main(void *arg)
{
    thread_arg *a = arg;
    a->fn(a->ctx, a->worker);
    return NULL;
}

void ct_parallel_run(int n_workers, ct_worker_fn fn, void *ctx)
{
    pthread_t tid[CT_PARALLEL_MAX];
    thread_arg args[CT_PARALLEL_MAX];
    int started[CT_PARALLEL_MAX] = {0};
    if (n_workers > CT_PARALLEL_MAX)
        n_workers = CT_PARALLEL_MAX;
    for (int t = 1; t < n_workers; t++) {
        args[t] = (thread_arg){fn, ctx, t};
        started[t] = pthread_create(&tid[t], NULL, thread_main, &args[t]) == 0;
    }
    fn(ctx, 0); /* the calling thread works too */
    for (int t = 1; t < n_workers; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    for (int t = 1; t < n_workers; t++)
        if (!started[t])
            fn(ctx, t); /* no thread: its work here */
}

typedef struct parts_arg {
    void (*fn)(void *part);
    char *parts;
    size_t size;
} parts_arg;

static void run_part(void *ctx, int worker)
{
    parts_arg *a = ctx;
    a->fn(a->parts + (size_t)worker * a->size);
}

void ct_parallel_run_parts(int n_workers, void (*fn)(void *part), void *parts, size_t size)
{
    parts_arg a = {fn, parts, size};
    ct_parallel_run(n_workers, run_part, &a);
}

void ct_chunk_queue_init(ct_chunk_queue *q, size_t n, size_t chunk, ct_queue_progress_fn progress,
                         void *progress_ctx)
{
    q->n = n;
    q->chunk = chunk ? chunk : 1;
    q->next = q->done = 0;
    q->rc = CT_OK;
    ct_error_clear(&q->err);
    q->progress = progress;
    q->progress_ctx = progress_ctx;
    pthread_mutex_init(&q->lock, NULL);
}

void ct_chunk_queue_destroy(ct_chunk_queue *q)
{
    pthread_mutex_destroy(&q->lock);
}

int ct_chunk_queue_take(ct_chunk_queue *q, size_t *lo, size_t *hi)
{
    pthread_mutex_lock(&q->lock);
    size_t a = q->next;
    int ok = a < q->n && q->rc == CT_OK;
    if (ok) {
        *lo = a;
        *hi = q->n - a > q->chunk ? a + q->chunk : q->n;
        q->next = *hi;
    }
    pthread_mutex_unlock(&q->lock);
    return ok;
}

int ct_chunk_queue_finish(ct_chunk_queue *q, size_t lo, size_t n, int rc, const ct_error *err)
{
    pthread_mutex_lock(&q->lock);
    q->done += n;
    if (rc != CT_OK && (q->rc == CT_OK || lo < q->failed_at)) {
        q->rc = rc;
        q->failed_at = lo;
        if (err)
            q->err = *err;
    }
    if (rc == CT_OK && n && q->progress)
        q->progress(q->progress_ctx, q->done, q->n);
    pthread_mutex_unlock(&q->lock);
    return rc;
}
