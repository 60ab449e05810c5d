/* radix.c — LSD radix sorts on the bytes of 64-bit keys (see radix.h).
 *
 * Short inputs (under 64 keys, the usual document row of a short text) are sorted by
 * insertion, which beats building histograms. */
#include <string.h>

#include "radix.h"

#define SHORT_INPUT 64

/* Histograms of all eight byte positions; returns a mask of the positions that vary. */
static unsigned histograms(const uint64_t *a, size_t n, size_t count[8][256])
{
    memset(count, 0, 8 * 256 * sizeof count[0][0]);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][(a[i] >> (8 * b)) & 0xFF]++;
    unsigned vary = 0;
    for (int b = 0; b < 8; b++)
        if (count[b][(a[0] >> (8 * b)) & 0xFF] != n)
            vary |= 1u << b;
    return vary;
}

/* Turn a histogram into starting positions. */
static void prefix_sums(size_t count[256])
{
    size_t sum = 0;
    for (int d = 0; d < 256; d++) {
        size_t c = count[d];
        count[d] = sum;
        sum += c;
    }
}

void ct_radix_sort_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
    if (n < SHORT_INPUT) {
        for (size_t i = 1; i < n; i++) {
            uint64_t v = a[i];
            size_t j = i;
            while (j > 0 && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    size_t count[8][256];
    unsigned vary = histograms(a, n, count);
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        if (!(vary >> b & 1))
            continue;
        prefix_sums(count[b]);
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i] >> (8 * b)) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

void ct_radix_sort_pairs(uint64_t *keys, uint32_t *values, uint64_t *tmp_keys,
                         uint32_t *tmp_values, size_t n)
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
    size_t count[8][256];
    unsigned vary = histograms(keys, n, count);
    uint64_t *sk = keys, *dk = tmp_keys;
    uint32_t *sv = values, *dv = tmp_values;
    for (int b = 0; b < 8; b++) {
        if (!(vary >> b & 1))
            continue;
        prefix_sums(count[b]);
        for (size_t i = 0; i < n; i++) {
            size_t at = count[b][(sk[i] >> (8 * b)) & 0xFF]++;
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
