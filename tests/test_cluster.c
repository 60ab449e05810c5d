/* test_cluster.c — hierarchical clustering on four points of a line (0, 1, 3, 7) whose
 * merges are computed by hand below for every linkage, the leaf order, cutting, Newick
 * quoting, and bad input. The comparison with scipy on random matrices is test_cluster.py. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "failalloc.h"

/* Points A=0, B=1, C=3, D=7 on a line: d = |xi - xj|. */
static const double X[4] = {0, 1, 3, 7};

static void line_dist(double *d)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            d[i * 4 + j] = fabs(X[i] - X[j]);
}

static void check_merges(ct_linkage how, const double expect[3][4])
{
    double d[16];
    line_dist(d);
    ct_cluster *c = NULL;
    CHECK_INT(ct_cluster_new(&c, d, 4, how), CT_OK);
    if (!c)
        return;
    const double *z = ct_cluster_merges(c);
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 4; k++)
            CHECK_NEAR(z[4 * i + k], expect[i][k], 1e-12);
    ct_cluster_free(c);
}

static const char *newick(const ct_cluster *c, const char *const *labels, char *buf, size_t n)
{
    FILE *f = fmemopen(buf, n, "w");
    if (!f)
        return "(fmemopen failed)";
    ct_cluster_write_newick(c, labels, f);
    fclose(f);
    return buf;
}

int main(void)
{
    /* Average: AB at 1 -> cluster 4; d(AB,C) = (3+2)/2 = 2.5, d(AB,D) = (7+6)/2 = 6.5,
     * d(C,D) = 4, so C joins AB at 2.5 -> 5; d(ABC,D) = (2*6.5 + 4)/3 = 17/3. */
    const double avg[3][4] = {{0, 1, 1, 2}, {2, 4, 2.5, 3}, {3, 5, 17.0 / 3, 4}};
    check_merges(CT_LINKAGE_AVERAGE, avg);
    /* Complete: d(AB,C) = 3 < d(C,D) = 4; then max(7, 6, 4) = 7. */
    const double comp[3][4] = {{0, 1, 1, 2}, {2, 4, 3, 3}, {3, 5, 7, 4}};
    check_merges(CT_LINKAGE_COMPLETE, comp);
    /* Single: the gaps of the line, 1, 2, 4. */
    const double single[3][4] = {{0, 1, 1, 2}, {2, 4, 2, 3}, {3, 5, 4, 4}};
    check_merges(CT_LINKAGE_SINGLE, single);
    /* Ward on Euclidean points: sqrt(2 na nb / (na + nb)) * |centroid a - centroid b|:
     * A,B: 1; AB (0.5) with C: sqrt(4/3) * 2.5; ABC (4/3) with D: sqrt(6/4) * (7 - 4/3). */
    const double ward[3][4] = {
        {0, 1, 1, 2}, {2, 4, sqrt(4.0 / 3) * 2.5, 3}, {3, 5, sqrt(1.5) * (7 - 4.0 / 3), 4}};
    check_merges(CT_LINKAGE_WARD, ward);

    double d[16];
    line_dist(d);
    ct_cluster *c = NULL;
    CHECK_INT(ct_cluster_new(&c, d, 4, CT_LINKAGE_COMPLETE), CT_OK);
    if (c) {
        /* Root = (D, (C, (A, B))): depth first, lower id on the left. */
        const size_t *order = ct_cluster_leaf_order(c);
        CHECK_INT(order[0], 3);
        CHECK_INT(order[1], 2);
        CHECK_INT(order[2], 0);
        CHECK_INT(order[3], 1);
        size_t lab[4];
        CHECK_INT(ct_cluster_cut(c, 2, lab), CT_OK);
        CHECK_INT(lab[3], 1); /* D first in leaf order */
        CHECK_INT(lab[2], 2);
        CHECK_INT(lab[0], 2);
        CHECK_INT(lab[1], 2);
        CHECK_INT(ct_cluster_cut(c, 4, lab), CT_OK);
        CHECK_INT(lab[3], 1);
        CHECK_INT(lab[2], 2);
        CHECK_INT(lab[0], 3);
        CHECK_INT(lab[1], 4);
        CHECK_INT(ct_cluster_cut(c, 1, lab), CT_OK);
        CHECK_INT(lab[0] + lab[1] + lab[2] + lab[3], 4);
        CHECK_INT(ct_cluster_cut(c, 0, lab), CT_EINVAL);
        CHECK_INT(ct_cluster_cut(c, 5, lab), CT_EINVAL);
        /* n = 4 allows only k = 2. */
        CHECK_INT(ct_cluster_suggest_k(c, d), 2);
        /* Silhouette of {D}, {A, B, C} by hand: D alone 0; A: a = (1+3)/2, b = 7;
         * B: a = (1+2)/2, b = 6; C: a = (3+2)/2, b = 4. */
        size_t two[4] = {2, 2, 2, 1};
        double sil = 0;
        CHECK_INT(ct_cluster_silhouette(d, 4, two, 2, &sil), CT_OK);
        CHECK_NEAR(sil, (0 + 5.0 / 7 + 4.5 / 6 + 1.5 / 4) / 4, 1e-12);
        CHECK_INT(ct_cluster_silhouette(d, 4, two, 1, &sil), CT_EINVAL);
        CHECK_INT(ct_cluster_silhouette(d, 4, two, 4, &sil), CT_EINVAL);
        char buf[256];
        const char *plain[4] = {"A", "B", "C", "D"};
        CHECK_STR(newick(c, plain, buf, sizeof buf), "(D:7,(C:3,(A:1,B:1):2):4);\n");
        /* Newick quoting: spaces, quotes, underscores and punctuation force single quotes,
         * inner quotes doubled; Chinese text is safe bare. */
        const char *odd[4] = {"it's", "a b", "泰州", "x_y(1)"};
        CHECK_STR(newick(c, odd, buf, sizeof buf),
                  "('x_y(1)':7,(泰州:3,('it''s':1,'a b':1):2):4);\n");
        ct_cluster_free(c);
    }

    /* Similarity input: 1 - s, and the chord distance for Ward. */
    const double sim[9] = {1, 0.9, 0.2, 0.9, 1, 0.4, 0.2, 0.4, 1};
    CHECK_INT(ct_cluster_new_from_similarity(&c, sim, 3, CT_LINKAGE_AVERAGE), CT_OK);
    if (c) {
        const double *z = ct_cluster_merges(c);
        CHECK_NEAR(z[2], 0.1, 1e-12);
        CHECK_NEAR(z[6], (0.8 + 0.6) / 2, 1e-12);
        ct_cluster_free(c);
    }
    CHECK_INT(ct_cluster_new_from_similarity(&c, sim, 3, CT_LINKAGE_WARD), CT_OK);
    if (c) {
        CHECK_NEAR(ct_cluster_merges(c)[2], sqrt(2 * 0.1), 1e-12);
        ct_cluster_free(c);
    }

    /* One document: no merges, one leaf; Newick is just the label. */
    double one = 0;
    CHECK_INT(ct_cluster_new(&c, &one, 1, CT_LINKAGE_AVERAGE), CT_OK);
    if (c) {
        CHECK(ct_cluster_merges(c) == NULL);
        CHECK_INT(ct_cluster_leaf_order(c)[0], 0);
        CHECK_INT(ct_cluster_suggest_k(c, &one), 1);
        char buf[64];
        const char *l[1] = {"solo"};
        CHECK_STR(newick(c, l, buf, sizeof buf), "solo;\n");
        ct_cluster_free(c);
    }

    /* Bad input. */
    double bad[4] = {0, -1, -1, 0};
    CHECK_INT(ct_cluster_new(&c, bad, 2, CT_LINKAGE_AVERAGE), CT_EINVAL);
    CHECK(c == NULL);
    bad[1] = bad[2] = NAN;
    CHECK_INT(ct_cluster_new(&c, bad, 2, CT_LINKAGE_AVERAGE), CT_EINVAL);
    CHECK_INT(ct_cluster_new(&c, bad, 0, CT_LINKAGE_AVERAGE), CT_EINVAL);
    ct_linkage l;
    CHECK_INT(ct_linkage_parse("ward", &l), CT_OK);
    CHECK_INT(l, CT_LINKAGE_WARD);
    CHECK_INT(ct_linkage_parse("centroid", &l), CT_EINVAL);
    CHECK_STR(ct_linkage_name(CT_LINKAGE_COMPLETE), "complete");
    ct_cluster_free(NULL);

    /* Every allocation failure gives CT_ENOMEM and leaks nothing. */
    double dl[16];
    line_dist(dl);
    for (long fail = 0;; fail++) {
        failalloc_arm(fail);
        long live = failalloc_live;
        ct_cluster *fc = NULL;
        int frc = ct_cluster_new_from_similarity(&fc, dl, 4, CT_LINKAGE_WARD);
        size_t lab[4];
        if (frc == CT_OK)
            frc = ct_cluster_cut(fc, 2, lab);
        ct_cluster_free(fc);
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
