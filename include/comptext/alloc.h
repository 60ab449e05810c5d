/* comptext/alloc.h — the library's allocator, replaceable like jansson's
 * json_set_alloc_funcs. Every allocation in libcomptext (and, through
 * json_set_alloc_funcs, in jansson on its behalf) goes through these functions, so that a
 * test can inject failures and check that every call returns CT_ENOMEM cleanly. */
#ifndef COMPTEXT_ALLOC_H
#define COMPTEXT_ALLOC_H

#include "comptext/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void *(*ct_malloc_fn)(size_t size);
typedef void *(*ct_realloc_fn)(void *ptr, size_t size);
typedef void (*ct_free_fn)(void *ptr);

/** Replace the allocator (NULL arguments restore the C library's). Not thread-safe: call
 * before any other comptext function. Memory must be freed by the allocator that made it. */
CT_API void ct_set_alloc_funcs(ct_malloc_fn malloc_fn, ct_realloc_fn realloc_fn,
                               ct_free_fn free_fn);

CT_API void *ct_malloc(size_t size);
CT_API void *ct_calloc(size_t count, size_t size); /**< zeroed; checks count*size for overflow */
CT_API void *ct_realloc(void *ptr, size_t size);
/** Grow an array: reallocate ptr to count*size bytes, checking the product for overflow. */
CT_API void *ct_reallocarray(void *ptr, size_t count, size_t size);
CT_API char *ct_strdup(const char *s);
CT_API char *ct_strndup(const char *s, size_t n);
CT_API void ct_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
