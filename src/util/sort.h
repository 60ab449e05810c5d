/* sort.h — qsort for arrays that may be empty (private).
 *
 * Many sorts in the tree run over arrays that are NULL when they hold nothing (no matches,
 * no documents with a region, an empty corpus). The C standard requires qsort's base to be
 * a valid pointer even for zero elements, and UBSan rejects qsort(NULL, 0, ...); every sort
 * therefore goes through ct_sort, which does nothing below two elements (there is nothing
 * to order) and otherwise is qsort. Like qsort it is not stable: comparators break ties fully. */
#ifndef CT_SORT_H
#define CT_SORT_H

#include <stddef.h>

/** qsort(base, n, size, cmp) when n >= 2; nothing when n < 2 (base may then be NULL). */
void ct_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
