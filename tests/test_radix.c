/* test_radix.c — the radix sort of (key, value) pairs (src/radix.h): ascending keys, stable
 * among equal keys, on short inputs (insertion sort), long ones, keys that use few bits, all
 * bits, and all-equal keys — checked against qsort on (key, original position). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "radix.h"

typedef struct pair {
    uint64_t key;
    uint32_t value;
} pair;

static int by_key_then_value(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Sort n random keys masked with mask; values are the original positions, so stability
 * means equal keys keep ascending values. */
static void check_sort(size_t n, uint64_t mask, uint64_t seed)
{
    uint64_t *keys = malloc((n + 1) * sizeof *keys), *tmp = malloc((n + 1) * sizeof *tmp);
    uint32_t *values = malloc((n + 1) * sizeof *values),
             *tmp_values = malloc((n + 1) * sizeof *values);
    pair *expect = malloc((n + 1) * sizeof *expect);
    for (size_t i = 0; i < n; i++) {
        keys[i] = next_random(&seed) & mask;
        values[i] = (uint32_t)i;
        expect[i] = (pair){keys[i], (uint32_t)i};
    }
    qsort(expect, n, sizeof *expect, by_key_then_value);
    ct_radix_sort_pairs(keys, values, tmp, tmp_values, n);
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        if (keys[i] != expect[i].key || values[i] != expect[i].value)
            ok = 0;
    check_count++;
    if (!ok) {
        check_failed++;
        fprintf(stderr, "radix sort of %zu keys (mask %llx) differs from qsort\n", n,
                (unsigned long long)mask);
    }
    free(keys);
    free(tmp);
    free(values);
    free(tmp_values);
    free(expect);
}

int main(void)
{
    size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
    uint64_t masks[] = {0, 0x7, 0x7FFFF, 0xFFFFFFFF00000000ULL, 0x7FFFFFFFFFFFFFFFULL, ~0ULL};
    uint64_t seed = 88172645463325252ULL;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t m = 0; m < sizeof masks / sizeof *masks; m++)
            check_sort(sizes[s], masks[m], seed + s * 31 + m);
    return check_finish();
}
