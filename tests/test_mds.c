/* test_mds.c — classical MDS recovers points of known coordinates from their distances (up
 * to rotation, so pairwise distances and the eigenvalues are compared), the variance shares,
 * the sign convention, the CSV, and bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "failalloc.h"

int main(void)
{
    /* Five points in the plane, centred: (±3, 0), (0, ±1), (0, 0). Their distances are
     * Euclidean in 2-D, so MDS gives back the configuration exactly: eigenvalues are the
     * sums of squares along the principal axes, 9+9 = 18 and 1+1 = 2, shares 0.9 and 0.1. */
    const double p[5][2] = {{3, 0}, {-3, 0}, {0, 1}, {0, -1}, {0, 0}};
    double d[25];
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            d[i * 5 + j] = hypot(p[i][0] - p[j][0], p[i][1] - p[j][1]);
    ct_mds *m = NULL;
    CHECK_INT(ct_mds_new(&m, d, 5, 2), CT_OK);
    if (m) {
        const double *x = ct_mds_coords(m);
        CHECK_NEAR(ct_mds_eigenvalue(m, 0), 18, 1e-9);
        CHECK_NEAR(ct_mds_eigenvalue(m, 1), 2, 1e-9);
        CHECK_NEAR(ct_mds_variance_share(m, 0), 0.9, 1e-12);
        CHECK_NEAR(ct_mds_variance_share(m, 1), 0.1, 1e-12);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                CHECK_NEAR(hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]), d[i * 5 + j],
                           1e-9);
        /* The first axis is the long one; its largest |coordinate| (point 0 or 1, tied: the
         * first, point 0) is positive, so point 0 sits at x = +3. */
        CHECK_NEAR(fabs(x[0]), 3, 1e-9);
        CHECK(x[0] > 0);
        CHECK_NEAR(x[2 * 4], 0, 1e-9);
        char buf[512];
        FILE *f = fmemopen(buf, sizeof buf, "w");
        const char *ids[5] = {"a", "b,c", "d", "e", "f"};
        CHECK_INT(ct_mds_write_csv(m, ids, f), CT_OK);
        fclose(f);
        /* No comment line: the header first, text quoted; the shares in a table of their own. */
        CHECK(strncmp(buf, "\"id\",\"x\",\"y\"\n\"a\",", 17) == 0);
        char axes[256];
        f = fmemopen(axes, sizeof axes, "w");
        CHECK_INT(ct_mds_write_axes_csv(m, f), CT_OK);
        fclose(f);
        double sx = 0, sy = 0;
        CHECK(sscanf(axes, "\"axis\",\"variance_share\"\n\"x\",%lf\n\"y\",%lf\n", &sx, &sy) == 2);
        CHECK_NEAR(sx, 0.9, 1e-12);
        CHECK_NEAR(sy, 0.1, 1e-12);
        CHECK(strstr(buf, "-0\n") == NULL && strstr(buf, "-0,") == NULL); /* no negative zero */
        CHECK(strstr(buf, "\n\"b,c\",-") != NULL);
        ct_mds_free(m);
    }

    /* Three points on a line at 0, 1, 5: one axis carries everything; the second gets 0. */
    const double l[9] = {0, 1, 5, 1, 0, 4, 5, 4, 0};
    CHECK_INT(ct_mds_new(&m, l, 3, 2), CT_OK);
    if (m) {
        const double *x = ct_mds_coords(m);
        CHECK_NEAR(ct_mds_variance_share(m, 0), 1, 1e-12);
        CHECK_NEAR(ct_mds_variance_share(m, 1), 0, 1e-12);
        /* centred: mean 2 -> -2, -1, 3; the largest |x| (3) is positive. */
        CHECK_NEAR(x[0], -2, 1e-9);
        CHECK_NEAR(x[2], -1, 1e-9);
        CHECK_NEAR(x[4], 3, 1e-9);
        CHECK_NEAR(x[5], 0, 1e-12);
        ct_mds_free(m);
    }

    /* From a similarity: 1 - s. Two documents at cosine 0.5 lie 0.5 apart. */
    const double s[4] = {1, 0.5, 0.5, 1};
    CHECK_INT(ct_mds_new_from_similarity(&m, s, 2, 2), CT_OK);
    if (m) {
        const double *x = ct_mds_coords(m);
        CHECK_NEAR(fabs(x[0] - x[2]), 0.5, 1e-12);
        CHECK(x[0] > 0 || x[2] > 0);
        ct_mds_free(m);
    }
    /* One document: a point at the origin. */
    double zero = 0;
    CHECK_INT(ct_mds_new(&m, &zero, 1, 2), CT_OK);
    if (m) {
        CHECK_NEAR(ct_mds_coords(m)[0], 0, 0);
        ct_mds_free(m);
    }
    double bad[4] = {0, -1, -1, 0};
    CHECK_INT(ct_mds_new(&m, bad, 2, 2), CT_EINVAL);
    CHECK(m == NULL);
    CHECK_INT(ct_mds_new(&m, bad, 2, 0), CT_EINVAL);
    ct_mds_free(NULL);

    /* Landmark MDS: 12 points of a plane (Euclidean distances), 4 of them landmarks, gives
     * every distance back exactly (triangulation is exact when the points span the
     * landmarks' space); with every point a landmark it is classical MDS. */
    {
        enum { NP = 12, NL = 4 };
        double px[NP], py[NP], D[NP * NP], DL[NL * NP];
        size_t lm[NL] = {0, 3, 7, 10};
        for (int i = 0; i < NP; i++) {
            px[i] = cos(1.7 * i) * (1 + 0.3 * i);
            py[i] = sin(0.9 * i) * 2 - 0.1 * i;
        }
        for (int i = 0; i < NP; i++)
            for (int j = 0; j < NP; j++)
                D[i * NP + j] = hypot(px[i] - px[j], py[i] - py[j]);
        for (int l = 0; l < NL; l++)
            memcpy(DL + l * NP, D + lm[l] * NP, NP * sizeof *D);
        ct_mds *lmm = NULL, *full = NULL;
        CHECK_INT(ct_mds_new_landmark(&lmm, DL, lm, NL, NP, 2), CT_OK);
        if (lmm) {
            const double *y = ct_mds_coords(lmm);
            double worst = 0;
            for (int i = 0; i < NP; i++)
                for (int j = 0; j < NP; j++) {
                    double e = fabs(hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]) -
                                    D[i * NP + j]);
                    worst = e > worst ? e : worst;
                }
            CHECK_NEAR(worst, 0, 1e-9);
            CHECK_NEAR(ct_mds_variance_share(lmm, 0) + ct_mds_variance_share(lmm, 1), 1, 1e-9);
        }
        size_t all[NP];
        for (int i = 0; i < NP; i++)
            all[i] = (size_t)i;
        ct_mds_free(lmm);
        lmm = NULL;
        CHECK_INT(ct_mds_new_landmark(&lmm, D, all, NP, NP, 2), CT_OK);
        CHECK_INT(ct_mds_new(&full, D, NP, 2), CT_OK);
        if (lmm && full)
            for (int q = 0; q < 2 * NP; q++)
                CHECK_NEAR(ct_mds_coords(lmm)[q], ct_mds_coords(full)[q], 1e-9);
        ct_mds_free(lmm);
        ct_mds_free(full);
        size_t bad_lm[1] = {NP};
        CHECK_INT(ct_mds_new_landmark(&lmm, D, bad_lm, 1, NP, 2), CT_EINVAL);
        CHECK_INT(ct_mds_new_landmark(&lmm, D, all, 0, NP, 2), CT_EINVAL);
    }

    /* Every allocation failure gives CT_ENOMEM and leaks nothing. */
    for (long fail = 0;; fail++) {
        failalloc_arm(fail);
        long live = failalloc_live;
        ct_mds *fm = NULL;
        int frc = ct_mds_new_from_similarity(&fm, s, 2, 2);
        ct_mds_free(fm);
        failalloc_arm(-1);
        CHECK_INT(failalloc_live, live);
        if (frc == CT_OK)
            break;
        CHECK_INT(frc, CT_ENOMEM);
        if (fail > 100)
            break;
    }
    return check_finish();
}
