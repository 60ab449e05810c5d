/* radix.c — LSD radix sorts of 64-bit keys in 11-bit digits (see radix.h).
 *
 * Six passes of 11 bits cover 64; 2048 buckets still fit in the first-level cache, where
 * 16-bit digits would not. The histograms (96 KiB) are per thread, not on the stack. Short inputs
 * (under 64 keys, the usual document row of a short text) are sorted by insertion, which beats
 * building histograms. */
#include <string.h>

#include "radix.h"

#define SHORT_INPUT 64
#define DIGIT_BITS 11
#define BUCKETS (1 << DIGIT_BITS)
#define DIGITS 6 /* ceil(64 / DIGIT_BITS) */
#define DIGIT(v, b) ((size_t)((v) >> (DIGIT_BITS * (b))) & (BUCKETS - 1))

/* Histograms of the digits that vary (a digit in which all keys agree needs no pass);
 * returns the mask of those digits. */
static unsigned histograms(const uint64_t *a, size_t n, size_t count[DIGITS][BUCKETS])
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= a[i];
        all_and &= a[i];
    }
    uint64_t differ = all_or ^ all_and; /* bits that are not the same in every key */
    unsigned vary = 0;
    int which[DIGITS], n_which = 0;
    for (int b = 0; b < DIGITS; b++)
        if (DIGIT(differ, b)) {
            vary |= 1u << b;
            which[n_which++] = b;
            memset(count[b], 0, sizeof count[b]);
        }
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < n_which; j++)
            count[which[j]][DIGIT(a[i], which[j])]++;
    return vary;
}

/* Turn a histogram into starting positions. */
static void prefix_sums(size_t count[BUCKETS])
{
    size_t sum = 0;
    for (int d = 0; d < BUCKETS; d++) {
        size_t c = count[d];
        count[d] = sum;
        sum += c;
    }
}

void ct_radix_sort_pairs(uint64_t *keys, uint32_t *values, uint64_t *tmp_keys, uint32_t *tmp_values,
                         size_t n)
{
    if (n < SHORT_INPUT) {
        for (size_t i = 1; i < n; i++) {
            uint64_t k = keys[i];
            uint32_t v = values[i];
            size_t j = i;
            while (j > 0 && keys[j - 1] > k) {
                keys[j] = keys[j - 1];
                values[j] = values[j - 1];
                j--;
            }
            keys[j] = k;
            values[j] = v;
        }
        return;
    }
    static _Thread_local size_t count[DIGITS][BUCKETS];
    unsigned vary = histograms(keys, n, count);
    uint64_t *sk = keys, *dk = tmp_keys;
    uint32_t *sv = values, *dv = tmp_values;
    for (int b = 0; b < DIGITS; b++) {
        if (!(vary >> b & 1))
            continue;
        prefix_sums(count[b]);
        for (size_t i = 0; i < n; i++) {
            size_t at = count[b][DIGIT(sk[i], b)]++;
            dk[at] = sk[i];
            dv[at] = sv[i];
        }
        uint64_t *tk = sk;
        sk = dk;
        dk = tk;
        uint32_t *tv = sv;
        sv = dv;
        dv = tv;
    }
    if (sk != keys) {
        memcpy(keys, sk, n * sizeof *keys);
        memcpy(values, sv, n * sizeof *values);
    }
}
