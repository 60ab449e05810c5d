/* test_keyness.c — the 2×2 statistics against hand computation: G², chi² with and without
 * Yates' correction, p-values, the sign, Hardie's Log Ratio with its zero adjustment, and the
 * Benjamini–Hochberg adjustment; then ct_keyness_compute on a tiny matrix. */
#include <math.h>

#include "check.h"
#include "comptext.h"

int main(void)
{
    ct_keyness_options o;
    ct_keyness_options_init(&o);
    double stat, p, lr;

    /* a = 10 of n1 = 100 in the target, b = 20 of n2 = 400 in the reference. Margins: term
     * 30, other 470, N 500; expectations 6, 24, 94, 376; observed 10, 20, 90, 380. */
    CHECK_INT(ct_keyness_table(10, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    double g2 = 2 * (10 * log(10.0 / 6) + 20 * log(20.0 / 24) + 90 * log(90.0 / 94) +
                     380 * log(380.0 / 376));
    CHECK_NEAR(stat, g2, 1e-12);
    CHECK_NEAR(stat, 3.138733145615940, 1e-12); /* the same sum evaluated with bc -l */
    CHECK_NEAR(lr, 1.0, 1e-15);                 /* (10/100) / (20/400) = 2 */
    CHECK(p > 0.05 && p < 0.10);                /* chi² 1 df: 3.84 → 0.05, 2.71 → 0.10 */

    o.stat = CT_KEYNESS_CHI2;
    CHECK_INT(ct_keyness_table(10, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    /* |O − E| = 4 in every cell: 16/6 + 16/24 + 16/94 + 16/376. */
    CHECK_NEAR(stat, 16.0 / 6 + 16.0 / 24 + 16.0 / 94 + 16.0 / 376, 1e-12);
    o.yates = 1;
    CHECK_INT(ct_keyness_table(10, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    CHECK_NEAR(stat, 12.25 / 6 + 12.25 / 24 + 12.25 / 94 + 12.25 / 376, 1e-12);

    /* p-value of the 5% critical value of chi² with one degree of freedom. */
    o.yates = 0;
    o.stat = CT_KEYNESS_G2;
    /* Under-use is negative; equal rates give 0 and p = 1. */
    CHECK_INT(ct_keyness_table(1, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    CHECK(stat < 0);
    CHECK_INT(ct_keyness_table(5, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    CHECK_NEAR(stat, 0, 1e-12);

    /* Gries's DP by hand. Gries (2008)'s shape: 1, 2, 3, 4, 5 in five equal parts:
     * ½ (|1/15 − .2| + |2/15 − .2| + 0 + |4/15 − .2| + |5/15 − .2|) = ½ (2/15 + 1/15 + 1/15 +
     * 2/15) = 0.2. Unequal parts: 3, 0, 1 in sizes 10, 20, 10: ½ (|.75 − .25| + |0 − .5| +
     * |.25 − .25|) = 0.5; a part of size 0 is skipped; an unused term is NaN; all in one part
     * of one: 0. */
    {
        double f1[5] = {1, 2, 3, 4, 5}, s1[5] = {7, 7, 7, 7, 7};
        CHECK_NEAR(ct_keyness_dp(f1, s1, 5), 0.2, 1e-15);
        double f2[4] = {3, 0, 0, 1}, s2[4] = {10, 20, 0, 10};
        CHECK_NEAR(ct_keyness_dp(f2, s2, 4), 0.5, 1e-15);
        double f3[2] = {0, 0};
        CHECK(isnan(ct_keyness_dp(f3, s2, 2)));
        CHECK_NEAR(ct_keyness_dp(f2, s2, 1), 0, 1e-15);
    }
    CHECK_NEAR(p, 1, 1e-12);
    /* Log Ratio with a zero count: 0.5 stands for it (Hardie 2014). */
    CHECK_INT(ct_keyness_table(0, 20, 100, 400, &o, &stat, &p, &lr), CT_OK);
    CHECK_NEAR(lr, log2((0.5 / 100) / (20.0 / 400)), 1e-12);
    CHECK_INT(ct_keyness_table(7, 0, 100, 400, &o, &stat, &p, &lr), CT_OK);
    CHECK_NEAR(lr, log2((7.0 / 100) / (0.5 / 400)), 1e-12);
    CHECK(stat > 0);
    /* Bad tables. */
    CHECK_INT(ct_keyness_table(101, 20, 100, 400, &o, &stat, &p, &lr), CT_EINVAL);
    CHECK_INT(ct_keyness_table(1, 2, 0, 400, &o, &stat, &p, &lr), CT_EINVAL);

    /* Benjamini–Hochberg by hand: sorted 0.005, 0.01, 0.03, 0.04 (m = 4) → 0.02, 0.02,
     * 0.04, 0.04 after the running minimum from the top. */
    double ps[4] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    CHECK_INT(ct_keyness_bh(ps, 4, adj), CT_OK);
    CHECK_NEAR(adj[0], 0.02, 1e-15);
    CHECK_NEAR(adj[1], 0.04, 1e-15);
    CHECK_NEAR(adj[2], 0.04, 1e-15);
    CHECK_NEAR(adj[3], 0.02, 1e-15);

    /* A 3 × 3 matrix: rows 0 and 1 are the target. Term a: 5+5 vs 0; term b: 0 vs 10;
     * term c: 10+0 vs 10. */
    const char *terms[3] = {"a", "b", "c"};
    ct_vocab *v;
    CHECK_INT(ct_vocab_from_terms(&v, NULL, terms, 3), CT_OK);
    size_t *row_ptr = ct_malloc(4 * sizeof *row_ptr);
    uint32_t *cols = ct_malloc(5 * sizeof *cols);
    double *vals = ct_malloc(5 * sizeof *vals);
    size_t rp[4] = {0, 2, 3, 5};
    uint32_t cc[5] = {0, 2, 0, 1, 2};
    double vv[5] = {5, 10, 5, 10, 10};
    for (int i = 0; i < 4; i++)
        row_ptr[i] = rp[i];
    for (int i = 0; i < 5; i++) {
        cols[i] = cc[i];
        vals[i] = vv[i];
    }
    const char *ids[3] = {"d0", "d1", "d2"};
    ct_matrix *m;
    CHECK_INT(ct_matrix_new(&m, 3, v, row_ptr, cols, vals, ids), CT_OK);
    ct_vocab_unref(v);
    unsigned char target[3] = {1, 1, 0};
    ct_keyness *k;
    CHECK_INT(ct_keyness_compute(&k, m, target, &o), CT_OK);
    CHECK_INT(ct_keyness_size(k), 3);
    double n1, n2;
    ct_keyness_totals(k, &n1, &n2);
    CHECK_NEAR(n1, 20, 0);
    CHECK_NEAR(n2, 20, 0);
    const ct_vocab *mv = ct_matrix_vocab(m);
    CHECK_STR(ct_vocab_term(mv, ct_keyness_get_row(k, 0)->term), "a"); /* a and b mirror: ±G² */
    CHECK_STR(ct_vocab_term(mv, ct_keyness_get_row(k, 2)->term), "b");
    CHECK_NEAR(ct_keyness_get_row(k, 0)->stat, -ct_keyness_get_row(k, 2)->stat, 1e-12);
    CHECK_NEAR(ct_keyness_get_row(k, 1)->stat, 0, 1e-12);
    CHECK_NEAR(ct_keyness_get_row(k, 0)->n_target, 10, 0);
    ct_keyness_free(k);
    unsigned char all[3] = {1, 1, 1};
    CHECK_INT(ct_keyness_compute(&k, m, all, &o), CT_EEMPTY);
    ct_matrix_free(m);
    ct_keyness_free(NULL);
    return check_finish();
}
