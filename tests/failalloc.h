/* failalloc.h — allocators for tests that fail one allocation and count live blocks, so a
 * test can check that every allocation failure returns CT_ENOMEM and leaks nothing. Two
 * kinds: failalloc_* fails the n-th allocation from now and every one after it (for n = 0,
 * 1, 2, … run the call until it succeeds); kfail_* fails only the k-th allocation since
 * kfail_arm(k) and counts atomically, so a workload on several threads can run under it and
 * a sweep over k can stop once a run makes fewer than k allocations. */
#ifndef CT_FAILALLOC_H
#define CT_FAILALLOC_H

#include <stdatomic.h>
#include <stdlib.h>

static long failalloc_countdown = -1; /* allocations left before one fails; -1: never */
static long failalloc_live;

static inline void *failalloc_malloc(size_t size)
{
    if (failalloc_countdown == 0)
        return NULL;
    if (failalloc_countdown > 0)
        failalloc_countdown--;
    void *p = malloc(size);
    if (p)
        failalloc_live++;
    return p;
}

static inline void *failalloc_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return failalloc_malloc(size);
    if (failalloc_countdown == 0)
        return NULL;
    if (failalloc_countdown > 0)
        failalloc_countdown--;
    return realloc(ptr, size);
}

static inline void failalloc_free(void *ptr)
{
    if (ptr)
        failalloc_live--;
    free(ptr);
}

/* Install the counting allocator; fail the n-th allocation from now (n < 0: never). */
static inline void failalloc_arm(long n)
{
    ct_set_alloc_funcs(failalloc_malloc, failalloc_realloc, failalloc_free);
    failalloc_countdown = n;
}

/* kfail_*: the k-th allocation since kfail_arm(k) fails (k = 0: none); kfail_allocs counts
 * the allocations since then and kfail_live the blocks still live. Unused in some tests. */
__attribute__((unused)) static atomic_long kfail_allocs, kfail_at, kfail_live;

static inline void *kfail_malloc(size_t n)
{
    long k = atomic_fetch_add(&kfail_allocs, 1) + 1;
    if (kfail_at && k == kfail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        atomic_fetch_add(&kfail_live, 1);
    return p;
}

static inline void *kfail_realloc(void *ptr, size_t n)
{
    long k = atomic_fetch_add(&kfail_allocs, 1) + 1;
    if (kfail_at && k == kfail_at)
        return NULL;
    void *p = realloc(ptr, n);
    if (p && !ptr)
        atomic_fetch_add(&kfail_live, 1);
    return p;
}

static inline void kfail_free(void *p)
{
    if (p)
        atomic_fetch_sub(&kfail_live, 1);
    free(p);
}

/* Reset the counts and fail the k-th allocation from now (k = 0: none). */
static inline void kfail_arm(long k)
{
    atomic_store(&kfail_allocs, 0);
    atomic_store(&kfail_live, 0);
    atomic_store(&kfail_at, k);
}

#endif
