/* radix.h — least-significant-digit radix sort of 64-bit keys with 32-bit values (private).
 *
 * Counting sorts many integer keys: the entries of each document row by column, every
 * thread's packed n-gram keys when the vocabulary is built, terms by count. One pass over
 * the keys counts every digit position at once; a position in which every key has the same
 * digit is skipped, so keys that use few bits cost few passes. Stable. */
#ifndef CT_RADIX_H
#define CT_RADIX_H

#include <stddef.h>
#include <stdint.h>

/** Sort n pairs (keys[i], values[i]) by key ascending, stably; the tmp arrays have room for n. */
void ct_radix_sort_pairs(uint64_t *keys, uint32_t *values, uint64_t *tmp_keys, uint32_t *tmp_values,
                         size_t n);

#endif
