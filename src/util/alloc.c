/* alloc.c — the replaceable allocator behind every allocation of libcomptext.
 *
 * One set of function pointers, switched by ct_set_alloc_funcs and passed on to jansson, so
 * tests can make the Nth allocation fail and check that each call reports CT_ENOMEM. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"

static ct_malloc_fn alloc_malloc = malloc;
static ct_realloc_fn alloc_realloc = realloc;
static ct_free_fn alloc_free = free;

void ct_set_alloc_funcs(ct_malloc_fn malloc_fn, ct_realloc_fn realloc_fn, ct_free_fn free_fn)
{
    alloc_malloc = malloc_fn ? malloc_fn : malloc;
    alloc_realloc = realloc_fn ? realloc_fn : realloc;
    alloc_free = free_fn ? free_fn : free;
    json_set_alloc_funcs(alloc_malloc, alloc_free);
}

void *ct_malloc(size_t size)
{
    return alloc_malloc(size ? size : 1);
}

void *ct_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = ct_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *ct_realloc(void *ptr, size_t size)
{
    return alloc_realloc(ptr, size ? size : 1);
}

void *ct_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return ct_realloc(ptr, count * size);
}

char *ct_strndup(const char *s, size_t n)
{
    char *p = ct_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *ct_strdup(const char *s)
{
    return ct_strndup(s, strlen(s));
}

void ct_free(void *ptr)
{
    if (ptr)
        alloc_free(ptr);
}
