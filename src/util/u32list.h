/* u32list.h — appending to a growable array of 32-bit integers (private).
 *
 * Counting keeps lists of ids and slots touched in the current document in several places;
 * this is the one way they grow (doubling, through ct_reallocarray). */
#ifndef CT_U32LIST_H
#define CT_U32LIST_H

#include <stddef.h>
#include <stdint.h>

#include "comptext/alloc.h"
#include "comptext/error.h"

/** Append v to items[0..*n) (room for *cap, grown by doubling from 256). CT_OK or CT_ENOMEM. */
static inline int ct_u32list_push(uint32_t **items, size_t *n, size_t *cap, uint32_t v)
{
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 256;
        uint32_t *bigger = ct_reallocarray(*items, grown, sizeof *bigger);
        if (!bigger)
            return CT_ENOMEM;
        *items = bigger;
        *cap = grown;
    }
    (*items)[(*n)++] = v;
    return CT_OK;
}

#endif
