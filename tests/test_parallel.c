/* test_parallel.c — the thread helper (src/util/parallel.h): every worker runs once, every
 * chunk is handed out once and in order, the first failure stops the queue and keeps its
 * error record, progress counts up under the lock, and the worker counts are clamped. */
#include <stdatomic.h>
#include <stdlib.h>

#include "check.h"
#include "parallel.h"

typedef struct run_ctx {
    atomic_int calls[CT_PARALLEL_MAX];
} run_ctx;

static void count_call(void *arg, int worker)
{
    run_ctx *r = arg;
    atomic_fetch_add(&r->calls[worker], 1);
}

typedef struct part {
    int index, done;
} part;

static void mark_part(void *arg)
{
    part *p = arg;
    p->done += p->index + 1;
}

#define ITEMS 10007

typedef struct queue_ctx {
    ct_chunk_queue q;
    atomic_int seen[ITEMS];
    size_t fail_at; /* the item whose chunk fails, or ITEMS */
    size_t last_done;
    int progress_calls, progress_ok;
} queue_ctx;

static void take_chunks(void *arg, int worker)
{
    queue_ctx *c = arg;
    size_t lo, hi;
    (void)worker;
    while (ct_chunk_queue_take(&c->q, &lo, &hi)) {
        int rc = CT_OK;
        ct_error e;
        ct_error_clear(&e);
        for (size_t i = lo; i < hi; i++) {
            atomic_fetch_add(&c->seen[i], 1);
            if (i == c->fail_at) {
                rc = CT_EINPUT;
                ct_error_set(&e, "item", (long)i, -1, "failed at %zu", i);
            }
        }
        if (ct_chunk_queue_finish(&c->q, lo, hi - lo, rc, &e) != CT_OK)
            break;
    }
}

static void on_progress(void *arg, size_t done, size_t total)
{
    queue_ctx *c = arg;
    c->progress_calls++;
    if (done <= c->last_done || done > total || total != ITEMS)
        c->progress_ok = 0;
    c->last_done = done;
}

static void run_queue(queue_ctx *c, int workers, size_t chunk, size_t fail_at)
{
    for (size_t i = 0; i < ITEMS; i++)
        atomic_store(&c->seen[i], 0);
    c->fail_at = fail_at;
    c->last_done = 0;
    c->progress_calls = 0;
    c->progress_ok = 1;
    ct_chunk_queue_init(&c->q, ITEMS, chunk, on_progress, c);
    ct_parallel_run(workers, take_chunks, c);
    ct_chunk_queue_destroy(&c->q);
}

int main(void)
{
    /* Every worker index runs exactly once. */
    int counts[] = {1, 2, 3, 8, CT_PARALLEL_MAX};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        run_ctx r;
        for (int w = 0; w < CT_PARALLEL_MAX; w++)
            atomic_init(&r.calls[w], 0);
        ct_parallel_run(counts[k], count_call, &r);
        for (int w = 0; w < CT_PARALLEL_MAX; w++)
            CHECK_INT(atomic_load(&r.calls[w]), w < counts[k] ? 1 : 0);
    }
    /* One part a worker. */
    part parts[5];
    for (int i = 0; i < 5; i++)
        parts[i] = (part){i, 0};
    ct_parallel_run_parts(5, mark_part, parts, sizeof *parts);
    for (int i = 0; i < 5; i++)
        CHECK_INT(parts[i].done, i + 1);

    /* A queue without failures: each item once, progress rising to the total. */
    static queue_ctx c;
    int workers[] = {1, 2, 4};
    size_t chunks[] = {1, 7, 1000, ITEMS + 5};
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 4; b++) {
            run_queue(&c, workers[a], chunks[b], ITEMS);
            int once = 1;
            for (size_t i = 0; i < ITEMS; i++)
                once &= atomic_load(&c.seen[i]) == 1;
            CHECK(once);
            CHECK_INT(c.q.rc, CT_OK);
            CHECK_INT(c.q.done, ITEMS);
            CHECK(c.progress_ok);
            CHECK_INT(c.last_done, ITEMS);
            CHECK_INT(c.progress_calls, (ITEMS + chunks[b] - 1) / chunks[b]);
        }
    /* A failure: its code and record are kept, no item is handed out twice, and one worker
     * stops handing out chunks after it (with one worker, nothing after the failing chunk). */
    for (size_t a = 0; a < 3; a++) {
        run_queue(&c, workers[a], 10, 5003);
        CHECK_INT(c.q.rc, CT_EINPUT);
        CHECK_STR(c.q.err.text, "failed at 5003");
        CHECK_INT(c.q.err.line, 5003);
        int at_most_once = 1;
        for (size_t i = 0; i < ITEMS; i++)
            at_most_once &= atomic_load(&c.seen[i]) <= 1;
        CHECK(at_most_once);
        CHECK_INT(atomic_load(&c.seen[5003]), 1);
        if (workers[a] == 1)
            CHECK_INT(atomic_load(&c.seen[5010]), 0);
    }
    /* A failure outside a chunk (a worker that cannot set up) stops the queue too. */
    ct_chunk_queue q;
    size_t lo, hi;
    ct_chunk_queue_init(&q, 100, 10, NULL, NULL);
    CHECK(ct_chunk_queue_take(&q, &lo, &hi) && lo == 0 && hi == 10);
    CHECK_INT(ct_chunk_queue_fail(&q, CT_ENOMEM), CT_ENOMEM);
    CHECK(!ct_chunk_queue_take(&q, &lo, &hi));
    CHECK_INT(q.rc, CT_ENOMEM);
    ct_chunk_queue_destroy(&q);

    /* Worker counts: requested, else the default; clamped to max, to the items, to ≥ 1. */
    CHECK_INT(ct_parallel_workers(3, 100, 8), 3);
    CHECK_INT(ct_parallel_workers(30, 100, 8), 8);
    CHECK_INT(ct_parallel_workers(30, 5, 64), 5);
    CHECK_INT(ct_parallel_workers(4, 0, 64), 1);
    CHECK_INT(ct_parallel_workers(1000, 1000, 1000), CT_PARALLEL_MAX);
    setenv("COMPTEXT_THREADS", "3", 1);
    CHECK_INT(ct_parallel_default_threads(), 3);
    CHECK_INT(ct_parallel_workers(0, 100, 64), 3);
    CHECK_INT(ct_parallel_workers(0, 100, 2), 2);
    setenv("COMPTEXT_THREADS", "500", 1);
    CHECK_INT(ct_parallel_default_threads(), CT_PARALLEL_MAX);
    setenv("COMPTEXT_THREADS", "x", 1);
    CHECK(ct_parallel_default_threads() >= 1);
    return check_finish();
}
