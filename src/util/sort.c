/* sort.c — ct_sort, qsort guarded against empty arrays (see sort.h).
 *
 * One function rather than a guard at each call site: a sort of zero or one element has
 * nothing to do, and only the call with n >= 2 is handed to qsort, whose base must then
 * be a valid pointer. */
#include <stdlib.h>

#include "sort.h"

void ct_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    qsort(base, n, size, cmp);
}
