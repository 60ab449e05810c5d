/* test_tfidf.c — TF-IDF on a hand-made matrix, against values worked out from the formulas
 * of comptext/tfidf.h: smooth and plain idf, sublinear tf, the three norms, df pruning with
 * counts and proportions, max_features with its tie rule, and the errors; on a larger random
 * matrix, the same bits with 1 and 2 threads as with the steps applied one by one. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "matrix_fixture.h"

static const char *const ids[] = {"d0", "d1", "d2"};
static const char *const terms[] = {"a", "b", "c"};
/* d0: a×2 b×1; d1: a×1 c×3; d2: no tokens. n = 3, df(a) = 2, df(b) = df(c) = 1. */
static const double counts[] = {2, 1, 0, 1, 0, 3, 0, 0, 0};

static ct_matrix *weigh(const ct_matrix *m, const ct_tfidf_options *o, int *rc, ct_error *err)
{
    ct_matrix *w = NULL;
    ct_error_clear(err);
    *rc = ct_tfidf_compute(&w, NULL, m, o, err);
    return w;
}

static ct_df_limit count_limit(double v)
{
    ct_df_limit l = {1, 0, v};
    return l;
}

static ct_df_limit share_limit(double v)
{
    ct_df_limit l = {1, 1, v};
    return l;
}

/* A matrix large enough to be weighed on several threads: 1 and 2 threads give the same
 * bits, for each norm and with sublinear tf, and the pieces agree with ct_tf_apply and
 * ct_tfidf_normalize_rows applied one after the other. */
static void test_threads(void)
{
    enum { N = 120, V = 3000 };
    static double dense[N * V];
    static char idbuf[N][8], termbuf[V][8];
    const char *rid[N], *tid[V];
    unsigned long long x = 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < N; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "r%03d", i);
        rid[i] = idbuf[i];
    }
    for (int t = 0; t < V; t++) {
        snprintf(termbuf[t], sizeof termbuf[t], "t%04d", t);
        tid[t] = termbuf[t];
    }
    for (int i = 0; i < N * V; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        dense[i] = (x >> 40) % 3 == 0 ? (double)((x >> 20) % 7 + 1) : 0.0;
    }
    ct_matrix *m = fixture_matrix(N, rid, V, tid, dense);
    CHECK(m != NULL);
    CHECK(ct_matrix_nnz(m) > 100000); /* above weigh's threshold for threads */
    for (int norm = CT_TFIDF_NORM_L2; norm <= CT_TFIDF_NORM_NONE; norm++)
        for (unsigned flags = 0; flags <= CT_TFIDF_SUBLINEAR_TF; flags += CT_TFIDF_SUBLINEAR_TF) {
            ct_tfidf_options o;
            ct_tfidf_options_init(&o);
            o.norm = (ct_tfidf_norm)norm;
            o.flags = flags;
            ct_error err;
            ct_matrix *w[2] = {NULL, NULL};
            for (int t = 0; t < 2; t++) {
                o.threads = t + 1;
                CHECK_INT(ct_tfidf_compute(&w[t], NULL, m, &o, &err), CT_OK);
            }
            /* the same steps one after the other */
            ct_matrix *ref;
            double *idf;
            CHECK_INT(ct_matrix_copy(&ref, m), CT_OK);
            CHECK_INT(ct_tfidf_idf(&idf, m, flags), CT_OK);
            if (flags & CT_TFIDF_SUBLINEAR_TF)
                CHECK_INT(ct_tf_apply(ref, CT_TF_SUBLINEAR), CT_OK);
            int bad = 0;
            for (size_t r = 0; r < N; r++) {
                const uint32_t *c0, *c1, *c2;
                const double *v0, *v1, *v2;
                size_t n0, n1, n2;
                ct_matrix_row(w[0], r, &c0, &v0, &n0);
                ct_matrix_row(w[1], r, &c1, &v1, &n1);
                ct_matrix_row(ref, r, &c2, &v2, &n2);
                double *mv = ct_matrix_row_values_mut(ref, r);
                for (size_t i = 0; i < n2; i++)
                    mv[i] = v2[i] * idf[c2[i]];
                bad += n0 != n1 || memcmp(v0, v1, n0 * sizeof *v0) != 0;
            }
            ct_tfidf_normalize_rows(ref, (ct_tfidf_norm)norm);
            for (size_t r = 0; r < N; r++) {
                const uint32_t *c0, *c2;
                const double *v0, *v2;
                size_t n0, n2;
                ct_matrix_row(w[0], r, &c0, &v0, &n0);
                ct_matrix_row(ref, r, &c2, &v2, &n2);
                bad += n0 != n2 || memcmp(v0, v2, n0 * sizeof *v0) != 0;
            }
            CHECK_INT(bad, 0);
            ct_free(idf);
            ct_matrix_free(ref);
            ct_matrix_free(w[0]);
            ct_matrix_free(w[1]);
        }
    ct_matrix_free(m);
}

int main(void)
{
    test_threads();
    ct_matrix *m = fixture_matrix(3, ids, 3, terms, counts), *w;
    CHECK(m != NULL);
    ct_tfidf_options o;
    ct_error err;
    int rc;

    /* defaults: smooth idf, l2 */
    ct_tfidf_options_init(&o);
    double ia = log(4.0 / 3.0) + 1, ib = log(4.0 / 2.0) + 1, ic = ib;
    double n0 = sqrt(4 * ia * ia + ib * ib), n1 = sqrt(ia * ia + 9 * ic * ic);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_OK);
    CHECK_NEAR(fixture_get(w, 0, "a"), 2 * ia / n0, 1e-15);
    CHECK_NEAR(fixture_get(w, 0, "b"), ib / n0, 1e-15);
    CHECK_NEAR(fixture_get(w, 1, "a"), ia / n1, 1e-15);
    CHECK_NEAR(fixture_get(w, 1, "c"), 3 * ic / n1, 1e-15);
    CHECK_INT(ct_matrix_nnz(w), 4); /* the empty row stays empty */
    double *idf;
    CHECK_INT(ct_tfidf_idf(&idf, m, 0), CT_OK);
    CHECK_NEAR(idf[0], ia, 1e-15);
    CHECK_NEAR(idf[2], ic, 1e-15);
    ct_free(idf);
    ct_matrix_free(w);

    /* plain idf, no norm */
    o.flags = CT_TFIDF_NO_SMOOTH_IDF;
    o.norm = CT_TFIDF_NORM_NONE;
    w = weigh(m, &o, &rc, &err);
    CHECK_NEAR(fixture_get(w, 0, "a"), 2 * (log(3.0 / 2.0) + 1), 1e-15);
    CHECK_NEAR(fixture_get(w, 1, "c"), 3 * (log(3.0) + 1), 1e-15);
    ct_matrix_free(w);

    /* sublinear tf, no idf, l1 */
    o.flags = CT_TFIDF_SUBLINEAR_TF | CT_TFIDF_NO_IDF;
    o.norm = CT_TFIDF_NORM_L1;
    w = weigh(m, &o, &rc, &err);
    CHECK_NEAR(fixture_get(w, 0, "a"), (1 + log(2.0)) / (2 + log(2.0)), 1e-15);
    CHECK_NEAR(fixture_get(w, 0, "b"), 1 / (2 + log(2.0)), 1e-15);
    CHECK_NEAR(fixture_get(w, 1, "c"), (1 + log(3.0)) / (2 + log(3.0)), 1e-15);
    ct_matrix_free(w);

    /* min_df = 2 (a count): only a stays; each row is then a alone, normalised to 1; idf is
     * computed on the kept columns */
    ct_tfidf_options_init(&o);
    o.min_df = count_limit(2);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_OK);
    CHECK_INT(ct_matrix_cols(w), 1);
    CHECK_NEAR(fixture_get(w, 0, "a"), 1.0, 1e-15);
    CHECK_NEAR(fixture_get(w, 1, "a"), 1.0, 1e-15);
    CHECK(fixture_get(w, 0, "b") == -1.0);
    ct_matrix_free(w);

    /* max_df = 0.5 (a proportion): 1.5 documents, compared unrounded: a (df 2) goes */
    ct_tfidf_options_init(&o);
    o.max_df = share_limit(0.5);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(ct_matrix_cols(w), 2);
    CHECK(fixture_get(w, 0, "a") == -1.0);
    CHECK_NEAR(fixture_get(w, 0, "b"), 1.0, 1e-15);
    ct_matrix_free(w);
    /* min_df = 0.6: 1.8 documents → df ≥ 1.8 keeps a only */
    ct_tfidf_options_init(&o);
    o.min_df = share_limit(0.6);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(ct_matrix_cols(w), 1);
    ct_matrix_free(w);
    /* max_df below min_df: scikit-learn's error */
    ct_tfidf_options_init(&o);
    o.min_df = count_limit(2);
    o.max_df = share_limit(0.5);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_EINVAL);
    CHECK(w == NULL);
    CHECK(strstr(err.text, "max_df corresponds to < documents than min_df") != NULL);
    /* min_df above the number of documents with the default max_df 1.0: the same error */
    ct_tfidf_options_init(&o);
    o.min_df = count_limit(4);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_EINVAL);
    /* no term left */
    ct_tfidf_options_init(&o);
    o.min_df = count_limit(3);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_EEMPTY);
    CHECK(strstr(err.text, "no terms remain") != NULL);
    /* out-of-range bounds */
    ct_tfidf_options_init(&o);
    o.max_df = share_limit(1.5);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_EINVAL);
    o.max_df = count_limit(-1);
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(rc, CT_EINVAL);

    /* max_features: totals a = 3, b = 1, c = 3; a and c tie, broken by term in byte order */
    ct_tfidf_options_init(&o);
    o.max_features = 1;
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(ct_matrix_cols(w), 1);
    CHECK_STR(ct_vocab_term(ct_matrix_vocab(w), 0), "a");
    ct_matrix_free(w);
    o.max_features = 2;
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(ct_matrix_cols(w), 2);
    CHECK_STR(ct_vocab_term(ct_matrix_vocab(w), 1), "c");
    ct_matrix_free(w);
    o.max_features = 10; /* more than there are: all stay */
    w = weigh(m, &o, &rc, &err);
    CHECK_INT(ct_matrix_cols(w), 3);
    ct_matrix_free(w);

    /* norms by name */
    ct_tfidf_norm nm;
    CHECK_INT(ct_tfidf_norm_parse("l1", &nm), CT_OK);
    CHECK_INT(nm, CT_TFIDF_NORM_L1);
    CHECK_INT(ct_tfidf_norm_parse("max", &nm), CT_EINVAL);

    /* a matrix without terms (every document empty): an empty result, not an error */
    static const char *const none[] = {"x"};
    ct_matrix *empty = fixture_matrix(1, ids, 0, none, counts + 8);
    CHECK(empty != NULL);
    ct_tfidf_options_init(&o);
    w = weigh(empty, &o, &rc, &err);
    CHECK_INT(rc, CT_OK);
    CHECK_INT(ct_matrix_cols(w), 0);
    CHECK_INT(ct_matrix_rows(w), 1);
    ct_matrix_free(w);
    ct_matrix_free(empty);

    /* one document: idf = ln(2/2) + 1 = 1, l2 of the counts */
    ct_matrix *one = fixture_matrix(1, ids, 3, terms, counts);
    w = weigh(one, &o, &rc, &err);
    CHECK_NEAR(fixture_get(w, 0, "a"), 2 / sqrt(5.0), 1e-15);
    CHECK_NEAR(fixture_get(w, 0, "b"), 1 / sqrt(5.0), 1e-15);
    ct_matrix_free(w);
    ct_matrix_free(one);

    /* ct_tfidf_transform gives the same bytes as ct_tfidf_compute, pruned or not */
    for (int pruned = 0; pruned < 2; pruned++) {
        ct_tfidf_options_init(&o);
        o.flags = CT_TFIDF_SUBLINEAR_TF;
        if (pruned)
            o.max_df = share_limit(0.5);
        ct_matrix *in_place;
        CHECK_INT(ct_matrix_copy(&in_place, m), CT_OK);
        w = weigh(m, &o, &rc, &err);
        CHECK_INT(ct_tfidf_transform(&in_place, NULL, &o, &err), CT_OK);
        CHECK_INT(ct_matrix_cols(in_place), ct_matrix_cols(w));
        CHECK_INT(ct_matrix_nnz(in_place), ct_matrix_nnz(w));
        for (size_t r = 0; r < 3; r++) {
            const uint32_t *c1, *c2;
            const double *v1, *v2;
            size_t n1, n2;
            ct_matrix_row(w, r, &c1, &v1, &n1);
            ct_matrix_row(in_place, r, &c2, &v2, &n2);
            CHECK(n1 == n2 && memcmp(c1, c2, n1 * sizeof *c1) == 0 &&
                  memcmp(v1, v2, n1 * sizeof *v1) == 0);
        }
        ct_matrix_free(w);
        ct_matrix_free(in_place);
    }
    /* and on an error leaves the matrix with the caller */
    ct_matrix *keep_me;
    CHECK_INT(ct_matrix_copy(&keep_me, m), CT_OK);
    ct_tfidf_options_init(&o);
    o.min_df = count_limit(3);
    CHECK_INT(ct_tfidf_transform(&keep_me, NULL, &o, &err), CT_EEMPTY);
    CHECK_INT(ct_matrix_cols(keep_me), 3);
    ct_matrix_free(keep_me);

    ct_matrix_free(m);
    return check_finish();
}
