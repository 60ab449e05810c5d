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

/* Cosine distances of n documents given as rows of dim term weights (row-major; a zero row
 * is an empty document: distance 1 to everything, as compare gives it). */
static double *cosine_distances(const double *v, size_t n, size_t dim)
{
    double *d = calloc(n * n, sizeof *d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dot = 0, a = 0, b = 0;
            for (size_t t = 0; t < dim; t++) {
                dot += v[i * dim + t] * v[j * dim + t];
                a += v[i * dim + t] * v[i * dim + t];
                b += v[j * dim + t] * v[j * dim + t];
            }
            double s = a > 0 && b > 0 ? dot / sqrt(a * b) : 0;
            d[i * n + j] = i == j ? 0 : (s < 1 ? 1 - s : 0);
        }
    return d;
}

/* The rule of ct_cluster_rank_cuts and ct_cluster_suggest_k on planted corpora. */
static void meaningful_cuts(void)
{
    /* 300 equal documents and 1 different one: the only cut that is not at height 0 isolates
     * the different one, so there is no cut: one cluster and an outlier. */
    {
        size_t n = 301, dim = 3;
        double *v = calloc(n * dim, sizeof *v);
        for (size_t i = 0; i < 300; i++)
            v[i * dim] = 1, v[i * dim + 1] = 1;
        v[300 * dim + 2] = 1;
        double *d = cosine_distances(v, n, dim);
        ct_cluster *c;
        CHECK_INT(ct_cluster_new(&c, d, n, CT_LINKAGE_AVERAGE), CT_OK);
        CHECK_INT(ct_cluster_suggest_k(c, d), 1);
        ct_cluster_cut_score sc[3];
        size_t m = 9;
        CHECK_INT(ct_cluster_rank_cuts(c, d, NULL, sc, 3, &m), CT_OK);
        CHECK_INT(m, 0);
        size_t *lab = calloc(n, sizeof *lab), k;
        CHECK_INT(ct_cluster_cut_outliers(c, 2, NULL, lab, &k), CT_OK);
        CHECK_INT(k, 1);
        CHECK_INT(lab[300], 0); /* the outlier */
        CHECK_INT(lab[0], 1);
        free(lab);
        ct_cluster_free(c);
        free(d);
        free(v);
    }
    /* Two planted topics of 6 documents each (terms 0-3 and 4-7, with a little noise), one
     * outlying document (term 8) and two empty documents: the best cut is the two topics,
     * with the outlier and the empty documents as outliers, not clusters. */
    {
        size_t n = 15, dim = 9;
        double *v = calloc(n * dim, sizeof *v);
        for (size_t i = 0; i < 12; i++) {
            size_t base = i < 6 ? 0 : 4;
            for (size_t t = 0; t < 4; t++)
                v[i * dim + base + t] = 1 + (double)((i * 7 + t * 3) % 5) / 10;
            v[i * dim + (base + 4 + i % 4) % 8] = 0.3; /* a term of the other topic */
        }
        v[12 * dim + 8] = 1; /* the outlier; 13 and 14 stay empty */
        double tokens[15];
        for (size_t i = 0; i < n; i++) {
            tokens[i] = 0;
            for (size_t t = 0; t < dim; t++)
                tokens[i] += v[i * dim + t] * 100;
        }
        double *d = cosine_distances(v, n, dim);
        unsigned char tiny[15];
        CHECK_INT(ct_cluster_tiny(tokens, n, tiny), CT_OK);
        size_t n_tiny = 0;
        for (size_t i = 0; i < n; i++)
            n_tiny += tiny[i];
        CHECK_INT(n_tiny, 2);
        CHECK(tiny[13] && tiny[14] && !tiny[12]);
        for (int linkage = 0; linkage < 4; linkage++) {
            ct_cluster *c;
            CHECK_INT(ct_cluster_new(&c, d, n, (ct_linkage)linkage), CT_OK);
            ct_cluster_cut_score sc[3];
            size_t m = 0;
            CHECK_INT(ct_cluster_rank_cuts(c, d, tiny, sc, 3, &m), CT_OK);
            CHECK(m >= 2); /* the best cuts, for the report */
            CHECK_INT(sc[0].clusters, 2);
            CHECK_INT(sc[0].outliers, 3);
            CHECK(m < 2 || sc[0].silhouette >= sc[1].silhouette);
            size_t lab[15], k;
            CHECK_INT(ct_cluster_cut_outliers(c, sc[0].k, tiny, lab, &k), CT_OK);
            CHECK_INT(k, 2);
            for (size_t i = 0; i < 12; i++)
                CHECK_INT(lab[i], lab[i < 6 ? 0 : 6]);
            CHECK(lab[0] != lab[6] && lab[0] && lab[6]);
            CHECK(lab[12] == 0 && lab[13] == 0 && lab[14] == 0);
            /* Without the tiny flags, distances alone cannot tell the empty documents (at
             * distance 1 from everything, each other included) from a pair: the caller passes
             * them (compare does, from the token counts). The topics are still found. */
            size_t k0 = ct_cluster_suggest_k(c, d);
            CHECK_INT(ct_cluster_cut_outliers(c, k0, NULL, lab, &k), CT_OK);
            CHECK(k >= 2);
            for (size_t i = 0; i < 12; i++)
                CHECK_INT(lab[i], lab[i < 6 ? 0 : 6]);
            CHECK(lab[0] != lab[6] && lab[0] && lab[6]);
            ct_cluster_free(c);
        }
        free(d);
        free(v);
    }
    /* Empty documents only, and a few documents: nothing to cut. */
    {
        double d[16];
        for (size_t i = 0; i < 16; i++)
            d[i] = i % 5 ? 1 : 0;
        ct_cluster *c;
        CHECK_INT(ct_cluster_new(&c, d, 4, CT_LINKAGE_AVERAGE), CT_OK);
        CHECK_INT(ct_cluster_suggest_k(c, d), 1);
        ct_cluster_free(c);
        double tok[3] = {0, 0, 0};
        unsigned char t[3];
        CHECK_INT(ct_cluster_tiny(tok, 3, t), CT_OK);
        CHECK(t[0] && t[1] && t[2]);
    }
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
        /* Every cut of the four isolates single documents ({D} | {A, B, C}, or {D} | {C} |
         * {A, B}): none means anything, so one cluster. */
        CHECK_INT(ct_cluster_suggest_k(c, d), 1);
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
    meaningful_cuts();
    /* Weak clusters: Kaufman and Rousseeuw's 0.25 or less, with two clusters or more. */
    CHECK(ct_cluster_weak(0.069, 2));
    CHECK(ct_cluster_weak(0.25, 3));
    CHECK(!ct_cluster_weak(0.2501, 2));
    CHECK(!ct_cluster_weak(0.9, 10));
    CHECK(!ct_cluster_weak(0, 1)); /* one cluster has no silhouette */
    return check_finish();
}
