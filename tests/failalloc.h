/* failalloc.h — an allocator for tests that fails the n-th allocation and counts live
 * blocks, so a test can check that every allocation failure returns CT_ENOMEM and leaks
 * nothing: for n = 0, 1, 2, … run the call until it succeeds. */
#ifndef CT_FAILALLOC_H
#define CT_FAILALLOC_H

#include <stdlib.h>

static long failalloc_countdown = -1; /* allocations left before one fails; -1: never */
static long failalloc_live;

static void *failalloc_malloc(size_t size)
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

static void *failalloc_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return failalloc_malloc(size);
    if (failalloc_countdown == 0)
        return NULL;
    if (failalloc_countdown > 0)
        failalloc_countdown--;
    return realloc(ptr, size);
}

static void failalloc_free(void *ptr)
{
    if (ptr)
        failalloc_live--;
    free(ptr);
}

/* Install the counting allocator; fail the n-th allocation from now (n < 0: never). */
static void failalloc_arm(long n)
{
    ct_set_alloc_funcs(failalloc_malloc, failalloc_realloc, failalloc_free);
    failalloc_countdown = n;
}

#endif
