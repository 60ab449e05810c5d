/* parallel.h — the one thread helper (private): run workers, share a queue of chunks.
 *
 * Every parallel step of the library has one of two shapes. Either the work is cut up front
 * into one part a worker (row ranges with about the same number of entries), or workers take
 * chunks of items from a shared counter until none are left. ct_parallel_run runs the
 * workers of both: worker 0 on the calling thread, the others on threads of their own. It
 * cannot fail: a thread that cannot be started costs no error, its worker runs on the calling
 * thread after the others (for a queue, it then finds nothing left to do). A ct_chunk_queue
 * hands out the chunks, stops handing them out after the first failure, keeps that failure's
 * code and error record, and reports progress under its lock. Which thread does which chunk
 * varies from run to run, so callers write each item's result to a place of its own and
 * combine in item order: the output is then the same for every number of threads. */
#ifndef CT_PARALLEL_H
#define CT_PARALLEL_H

#include <pthread.h>
#include <stddef.h>

#include "comptext/error.h"

/** Threads a parallel step uses at most. */
#define CT_PARALLEL_MAX 64

/** Threads to use by default: COMPTEXT_THREADS when set to a positive integer, else the
 * number of online processors; at most CT_PARALLEL_MAX. */
int ct_parallel_default_threads(void);

/** Workers for a step: requested when > 0, else the default; at most max (≤ CT_PARALLEL_MAX)
 * and at most n_items, and at least 1. */
int ct_parallel_workers(int requested, size_t n_items, int max);

/** Worker function: ctx is shared, worker is 0 … n_workers - 1. */
typedef void (*ct_worker_fn)(void *ctx, int worker);

/** Run fn(ctx, w) for every w < n_workers (1 ≤ n_workers ≤ CT_PARALLEL_MAX) and return when
 * all have returned. */
void ct_parallel_run(int n_workers, ct_worker_fn fn, void *ctx);

/** Run fn(parts + w * size) for every w < n_workers: one part a worker, as above. */
void ct_parallel_run_parts(int n_workers, void (*fn)(void *part), void *parts, size_t size);

/** Called under the queue's lock after each finished chunk: items done so far, of total. */
typedef void (*ct_queue_progress_fn)(void *ctx, size_t done, size_t total);

/** Items 0 … n - 1 handed out in chunks of up to chunk items, in ascending order. */
typedef struct ct_chunk_queue {
    size_t n, chunk, next, done;
    int rc;           /**< the failure of the lowest item, or CT_OK */
    ct_error err;     /**< its error record */
    size_t failed_at; /**< the first item of the chunk that failed */
    ct_queue_progress_fn progress;
    void *progress_ctx;
    pthread_mutex_t lock;
} ct_chunk_queue;

/** Set up a queue of n items (chunk ≥ 1); progress may be NULL. */
void ct_chunk_queue_init(ct_chunk_queue *q, size_t n, size_t chunk, ct_queue_progress_fn progress,
                         void *progress_ctx);
void ct_chunk_queue_destroy(ct_chunk_queue *q);

/** Take the next chunk [*lo, *hi): 1, or 0 when none is left or a worker has failed. */
int ct_chunk_queue_take(ct_chunk_queue *q, size_t *lo, size_t *hi);

/** Report the taken chunk [lo, lo + n) finished with status rc: its items count as done,
 * progress is called when rc is CT_OK; no more chunks are handed out after a failure, and of
 * the failures the one of the lowest chunk is kept (rc and err, which may be NULL). Chunks
 * are handed out in order and each taken one is finished, so that is the first failing item
 * of all: the same failure, and the same message, whatever the threads. Returns rc. */
int ct_chunk_queue_finish(ct_chunk_queue *q, size_t lo, size_t n, int rc, const ct_error *err);

/** Record a failure outside a chunk (a worker that could not set up): as finish with 0 items. */
static inline int ct_chunk_queue_fail(ct_chunk_queue *q, int rc)
{
    return ct_chunk_queue_finish(q, 0, 0, rc, NULL);
}

#endif
