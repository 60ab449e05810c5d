/* test_similarity.c — cosine and Jaccard similarity (comptext/similarity.h): a hand-made
 * matrix with a row without terms (0 everywhere, diagonal included), the top-K lists and
 * their tie rule, and on a random sparse matrix: agreement with a direct dense computation,
 * top-K scores equal to the matrix entries, and identical bytes with 1 and 2 threads; the
 * consuming constructors give the same bits and leave the matrix without entries; the pruned
 * top-K walk (MaxScore) gives the same bytes as the full walk on random and adversarial
 * matrices (duplicate rows, ties, rows without terms, K = N - 1, Jaccard, negative weights,
 * reports made of shared paragraphs), with 1 and 2 threads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "matrix_fixture.h"
#include "similarity_impl.h" /* ct_sim_topk_walk: the full and the pruned walk */

static ct_sim_options opts(ct_sim_measure m, int threads)
{
    ct_sim_options o;
    ct_sim_options_init(&o);
    o.measure = m;
    o.threads = threads;
    return o;
}

static void test_small(void)
{
    /* ids not in byte order, to see the tie rule use ids rather than rows */
    static const char *const ids[] = {"d0", "c1", "b2", "a3"};
    static const char *const terms[] = {"a", "b", "c"};
    static const double w[] = {2, 1, 0, /* d0 */
                               1, 0, 3, /* c1 */
                               0, 0, 0, /* b2: no terms */
                               2, 1, 0 /* a3 = d0 */};
    ct_matrix *m = fixture_matrix(4, ids, 3, terms, w);
    ct_simmatrix *s;
    ct_sim_options o = opts(CT_SIM_COSINE, 2);
    CHECK_INT(ct_simmatrix_new(&s, m, &o), CT_OK);
    CHECK_INT(ct_simmatrix_size(s), 4);
    double cos01 = 2.0 / (sqrt(5.0) * sqrt(10.0));
    CHECK_NEAR(ct_simmatrix_row(s, 0)[1], cos01, 1e-15);
    CHECK(ct_simmatrix_row(s, 1)[0] == ct_simmatrix_row(s, 0)[1]); /* exactly symmetric */
    CHECK(ct_simmatrix_row(s, 0)[0] == 1.0);
    CHECK(ct_simmatrix_row(s, 0)[3] <= 1.0); /* identical rows: 1, never above */
    CHECK_NEAR(ct_simmatrix_row(s, 0)[3], 1.0, 1e-15);
    for (size_t j = 0; j < 4; j++) {
        CHECK(ct_simmatrix_row(s, 2)[j] == 0.0); /* the empty row, itself included */
        CHECK(ct_simmatrix_row(s, j)[2] == 0.0);
    }
    ct_simmatrix_free(s);

    o = opts(CT_SIM_JACCARD, 1);
    CHECK_INT(ct_simmatrix_new(&s, m, &o), CT_OK);
    CHECK_NEAR(ct_simmatrix_row(s, 0)[1], 1.0 / 3.0, 1e-15); /* {a,b} vs {a,c} */
    CHECK(ct_simmatrix_row(s, 0)[3] == 1.0);
    CHECK(ct_simmatrix_row(s, 1)[1] == 1.0);
    CHECK(ct_simmatrix_row(s, 2)[2] == 0.0);
    ct_simmatrix_free(s);

    /* top 2 by cosine */
    ct_neighbours *nb;
    o = opts(CT_SIM_COSINE, 2);
    CHECK_INT(ct_neighbours_new(&nb, m, 2, &o), CT_OK);
    size_t k;
    const ct_neighbour *r = ct_neighbours_row(nb, 0, &k);
    CHECK_INT(k, 2);
    CHECK_INT(r[0].row, 3); /* a3, identical */
    CHECK_INT(r[1].row, 1);
    CHECK_NEAR(r[1].score, cos01, 1e-15);
    /* c1: d0 and a3 tie exactly; a3 comes first by id */
    r = ct_neighbours_row(nb, 1, &k);
    CHECK_INT(r[0].row, 3);
    CHECK_INT(r[1].row, 0);
    CHECK(r[0].score == r[1].score);
    /* b2 (no terms): everything scores 0, so the first ids in byte order: a3, c1 */
    r = ct_neighbours_row(nb, 2, &k);
    CHECK_INT(r[0].row, 3);
    CHECK_INT(r[1].row, 1);
    CHECK(r[0].score == 0.0 && r[1].score == 0.0);
    ct_neighbours_free(nb);
    /* K larger than N - 1 gives N - 1 rows; K = 0 is refused */
    CHECK_INT(ct_neighbours_new(&nb, m, 10, &o), CT_OK);
    ct_neighbours_row(nb, 0, &k);
    CHECK_INT(k, 3);
    ct_neighbours_free(nb);
    CHECK_INT(ct_neighbours_new(&nb, m, 0, &o), CT_EINVAL);
    CHECK(nb == NULL);
    o.measure = (ct_sim_measure)7;
    CHECK_INT(ct_simmatrix_new(&s, m, &o), CT_EINVAL);
    ct_sim_measure mm;
    CHECK_INT(ct_sim_measure_parse("jaccard", &mm), CT_OK);
    CHECK_INT(ct_sim_measure_parse("euclid", &mm), CT_EINVAL);
    ct_matrix_free(m);

    /* one row: a 1 × 1 matrix, no neighbours */
    m = fixture_matrix(1, ids, 3, terms, w);
    o = opts(CT_SIM_COSINE, 2);
    CHECK_INT(ct_simmatrix_new(&s, m, &o), CT_OK);
    CHECK(ct_simmatrix_row(s, 0)[0] == 1.0);
    ct_simmatrix_free(s);
    CHECK_INT(ct_neighbours_new(&nb, m, 3, &o), CT_OK);
    ct_neighbours_row(nb, 0, &k);
    CHECK_INT(k, 0);
    ct_neighbours_free(nb);
    ct_matrix_free(m);
}

/* The consuming constructors on a copy of m give s and nb bit for bit, and leave the copy
 * with its rows and ids but no entries. */
static void check_consume(const ct_matrix *m, const ct_sim_options *o, const ct_simmatrix *s,
                          const ct_neighbours *nb, size_t k)
{
    size_t N = ct_matrix_rows(m);
    ct_matrix *c;
    ct_simmatrix *s3;
    CHECK_INT(ct_matrix_copy(&c, m), CT_OK);
    CHECK_INT(ct_simmatrix_new_consume(&s3, c, o), CT_OK);
    CHECK(memcmp(ct_simmatrix_row(s3, 0), ct_simmatrix_row(s, 0), sizeof(double) * N * N) == 0);
    CHECK_INT(ct_matrix_nnz(c), 0);
    CHECK_INT(ct_matrix_rows(c), N);
    CHECK(strcmp(ct_matrix_row_id(c, N - 1), ct_matrix_row_id(m, N - 1)) == 0);
    ct_simmatrix_free(s3);
    ct_matrix_free(c);
    ct_neighbours *n3;
    CHECK_INT(ct_matrix_copy(&c, m), CT_OK);
    CHECK_INT(ct_neighbours_new_consume(&n3, c, k, o), CT_OK);
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        size_t k1, k3;
        const ct_neighbour *a = ct_neighbours_row(nb, i, &k1), *b = ct_neighbours_row(n3, i, &k3);
        bad += k1 != k3 || memcmp(a, b, sizeof *a * k1) != 0;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(ct_matrix_nnz(c), 0);
    ct_neighbours_free(n3);
    ct_matrix_free(c);
}

/* A deterministic pseudo-random generator (no dependence on the C library's rand). */
static unsigned long long rng = 88172645463325252ULL;
static double next_unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void test_random(void)
{
    enum { N = 150, V = 400 };
    static double dense[N * V];
    static char idbuf[N][16], termbuf[V][16];
    const char *ids[N], *terms[V];
    for (int i = 0; i < N; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "doc%03d", (i * 37) % N);
        ids[i] = idbuf[i];
    }
    for (int t = 0; t < V; t++) {
        snprintf(termbuf[t], sizeof termbuf[t], "t%04d", t);
        terms[t] = termbuf[t];
    }
    for (int i = 0; i < N * V; i++) {
        double u = next_unit();
        /* term t is common for small t, rare for large t; row 5 stays empty */
        int t = i % V;
        dense[i] = (i / V != 5 && u < 0.6 / (1 + t / 20.0)) ? floor(next_unit() * 5) + 1 : 0;
    }
    ct_matrix *m = fixture_matrix(N, ids, V, terms, dense);
    CHECK(m != NULL);
    for (int meas = 0; meas < 2; meas++) {
        ct_sim_options o1 = opts((ct_sim_measure)meas, 1), o2 = opts((ct_sim_measure)meas, 2);
        ct_simmatrix *s1, *s2;
        CHECK_INT(ct_simmatrix_new(&s1, m, &o1), CT_OK);
        CHECK_INT(ct_simmatrix_new(&s2, m, &o2), CT_OK);
        CHECK(memcmp(ct_simmatrix_row(s1, 0), ct_simmatrix_row(s2, 0), sizeof(double) * N * N) ==
              0);
        /* a direct computation from the dense rows */
        double worst = 0.0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double dot = 0, ni = 0, nj = 0, inter = 0, uni = 0;
                for (int t = 0; t < V; t++) {
                    double a = dense[i * V + t], b = dense[j * V + t];
                    dot += a * b;
                    ni += a * a;
                    nj += b * b;
                    inter += a && b;
                    uni += a || b;
                }
                double e = meas == CT_SIM_COSINE ? (ni && nj ? dot / sqrt(ni * nj) : 0.0)
                                                 : (uni ? inter / uni : 0.0);
                double d = fabs(e - ct_simmatrix_row(s1, i)[j]);
                if (d > worst)
                    worst = d;
            }
        CHECK(worst <= 1e-12);
        /* top-K: scores equal the matrix entries bit for bit, same with 1 and 2 threads, in
         * order, and nothing outside the list beats the last one */
        ct_neighbours *n1, *n2;
        CHECK_INT(ct_neighbours_new(&n1, m, 7, &o1), CT_OK);
        CHECK_INT(ct_neighbours_new(&n2, m, 7, &o2), CT_OK);
        int bad = 0;
        for (int i = 0; i < N; i++) {
            size_t k1, k2;
            const ct_neighbour *a = ct_neighbours_row(n1, i, &k1),
                               *b = ct_neighbours_row(n2, i, &k2);
            bad += k1 != 7 || k2 != 7 || memcmp(a, b, sizeof *a * k1) != 0;
            const double *row = ct_simmatrix_row(s1, i);
            for (size_t q = 0; q < k1; q++) {
                bad += a[q].row == (size_t)i || a[q].score != row[a[q].row];
                if (q)
                    bad += a[q].score > a[q - 1].score ||
                           (a[q].score == a[q - 1].score &&
                            strcmp(ids[a[q - 1].row], ids[a[q].row]) >= 0);
            }
            int beaten = 0;
            for (int j = 0; j < N; j++) {
                int listed = j == i;
                for (size_t q = 0; q < k1; q++)
                    listed |= a[q].row == (size_t)j;
                if (!listed &&
                    (row[j] > a[k1 - 1].score ||
                     (row[j] == a[k1 - 1].score && strcmp(ids[j], ids[a[k1 - 1].row]) < 0)))
                    beaten++;
            }
            bad += beaten;
        }
        CHECK_INT(bad, 0);
        check_consume(m, &o2, s1, n1, 7);
        ct_neighbours_free(n1);
        ct_neighbours_free(n2);
        ct_simmatrix_free(s1);
        ct_simmatrix_free(s2);
    }
    ct_matrix_free(m);
}

/* A wide vocabulary (several tiles of columns in the index's transpose): 1 and 2 threads,
 * consuming or not, agree bit for bit, and with a direct computation. */
static void test_wide(void)
{
    enum { N = 70, V = 9000 };
    double *dense = calloc((size_t)N * V, sizeof *dense);
    static char idbuf[N][16], termbuf[V][16];
    const char *ids[N], *terms[V];
    CHECK(dense != NULL);
    for (int i = 0; i < N; i++) {
        snprintf(idbuf[i], sizeof idbuf[i], "w%02d", i);
        ids[i] = idbuf[i];
    }
    for (int t = 0; t < V; t++) {
        snprintf(termbuf[t], sizeof termbuf[t], "t%05d", t);
        terms[t] = termbuf[t];
    }
    for (int i = 0; i < N * V; i++) {
        int t = i % V;
        dense[i] = next_unit() < 0.5 / (1 + t / 50.0) ? floor(next_unit() * 9) + 1 : 0;
    }
    ct_matrix *m = fixture_matrix(N, ids, V, terms, dense);
    CHECK(m != NULL);
    ct_sim_options o1 = opts(CT_SIM_COSINE, 1), o2 = opts(CT_SIM_COSINE, 2);
    ct_simmatrix *s1, *s2;
    CHECK_INT(ct_simmatrix_new(&s1, m, &o1), CT_OK);
    CHECK_INT(ct_simmatrix_new(&s2, m, &o2), CT_OK);
    CHECK(memcmp(ct_simmatrix_row(s1, 0), ct_simmatrix_row(s2, 0), sizeof(double) * N * N) == 0);
    double worst = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double dot = 0, ni = 0, nj = 0;
            for (int t = 0; t < V; t++) {
                double a = dense[i * V + t], b = dense[j * V + t];
                dot += a * b;
                ni += a * a;
                nj += b * b;
            }
            double d = fabs(dot / sqrt(ni * nj) - ct_simmatrix_row(s1, i)[j]);
            worst = d > worst ? d : worst;
        }
    CHECK(worst <= 1e-12);
    ct_neighbours *nb;
    CHECK_INT(ct_neighbours_new(&nb, m, 5, &o1), CT_OK);
    check_consume(m, &o2, s1, nb, 5);
    check_consume(m, &o1, s1, nb, 5);
    ct_neighbours_free(nb);
    ct_simmatrix_free(s1);
    ct_simmatrix_free(s2);
    ct_matrix_free(m);
    free(dense);
}

/* The full and the pruned walk over one index: the same bytes, for every K given and 1 and 2
 * threads (the index built both plainly and consuming a copy). Returns the mismatches. */
static int walks_agree(const ct_matrix *m, ct_sim_measure meas, const size_t *ks, size_t nk)
{
    int bad = 0;
    size_t N = ct_matrix_rows(m);
    for (int threads = 1; threads <= 2; threads++)
        for (int consume = 0; consume < 2; consume++) {
            ct_matrix *c = NULL;
            if (consume)
                CHECK_INT(ct_matrix_copy(&c, m), CT_OK);
            sim_index ix;
            CHECK_INT(ct_sim_index_build(&ix, consume ? c : m, c, meas, threads), CT_OK);
            for (size_t q = 0; q < nk; q++) {
                size_t k = ks[q] < N - 1 ? ks[q] : N - 1;
                ct_neighbour *a = calloc(N * k, sizeof *a), *b = calloc(N * k, sizeof *b);
                CHECK(a && b);
                CHECK_INT(ct_sim_topk_walk(&ix, k, a, threads, CT_TOPK_FULL), CT_OK);
                CHECK_INT(ct_sim_topk_walk(&ix, k, b, threads, CT_TOPK_PRUNED), CT_OK);
                int diff = memcmp(a, b, N * k * sizeof *a) != 0;
                if (diff)
                    fprintf(stderr, "walks differ: %zu rows, k %zu, %s, %d threads%s\n", N, k,
                            ct_sim_measure_name(meas), threads, consume ? ", consumed" : "");
                bad += diff;
                free(a);
                free(b);
            }
            ct_sim_index_free(&ix);
            ct_matrix_free(c);
        }
    return bad;
}

/* A dense N × V matrix into a ct_matrix, ids in an order other than the rows'. */
static ct_matrix *walk_matrix(int N, int V, const double *dense)
{
    char(*idbuf)[16] = calloc((size_t)N, 16), (*termbuf)[16] = calloc((size_t)V, 16);
    const char **ids = calloc((size_t)N, sizeof *ids), **terms = calloc((size_t)V, sizeof *terms);
    CHECK(idbuf && termbuf && ids && terms);
    for (int i = 0; i < N; i++) {
        snprintf(idbuf[i], 16, "r%05d", (i * 7919) % N);
        ids[i] = idbuf[i];
    }
    for (int t = 0; t < V; t++) {
        snprintf(termbuf[t], 16, "t%05d", t);
        terms[t] = termbuf[t];
    }
    ct_matrix *m = fixture_matrix((size_t)N, ids, (size_t)V, terms, dense);
    CHECK(m != NULL);
    free(idbuf);
    free(termbuf);
    free(ids);
    free(terms);
    return m;
}

static void test_walks(void)
{
    static const size_t ks[] = {1, 3, 10, 40, 100000};
    int bad = 0;
    /* 1. random sparse rows with small integer weights (many equal scores), duplicate rows
     * and rows without terms */
    {
        enum { N = 300, V = 500 };
        double *d = calloc((size_t)N * V, sizeof *d);
        CHECK(d != NULL);
        for (int i = 0; i < N; i++) {
            if (i % 37 == 5)
                continue; /* no terms */
            if (i % 11 == 3 && i > 20) {
                memcpy(d + (size_t)i * V, d + (size_t)(i - 13) * V, V * sizeof *d); /* duplicate */
                continue;
            }
            for (int t = 0; t < V; t++)
                if (next_unit() < 0.4 / (1 + t / 15.0))
                    d[(size_t)i * V + t] = floor(next_unit() * 3) + 1;
        }
        ct_matrix *m = walk_matrix(N, V, d);
        bad += walks_agree(m, CT_SIM_COSINE, ks, 5);
        bad += walks_agree(m, CT_SIM_JACCARD, ks, 5);
        ct_matrix_free(m);
        /* negative weights: the pruned walk gives way to the full walk */
        for (int i = 0; i < N * V; i += 7)
            d[i] = d[i] ? -d[i] : 0.0;
        m = walk_matrix(N, V, d);
        bad += walks_agree(m, CT_SIM_COSINE, ks, 3);
        ct_matrix_free(m);
        free(d);
    }
    /* 2. short reports made of shared paragraphs (as the compare-scale benchmark's): each
     * row a few of 60 paragraphs (each a set of rare terms) over common terms, so that the
     * pruning stops early */
    {
        enum { N = 900, P = 60, PT = 25, C = 40, V = P * PT + C };
        double *d = calloc((size_t)N * V, sizeof *d);
        CHECK(d != NULL);
        for (int i = 0; i < N; i++) {
            int np = 3 + (int)(next_unit() * 3);
            for (int q = 0; q < np; q++) {
                int p = (int)(next_unit() * P);
                for (int t = 0; t < PT; t++)
                    if (next_unit() < 0.8)
                        d[(size_t)i * V + p * PT + t] += 1.0 + (t % 3);
            }
            for (int t = 0; t < C; t++)
                if (next_unit() < 0.7)
                    d[(size_t)i * V + P * PT + t] = 1.0 + floor(next_unit() * 4);
        }
        for (int i = 0; i < N * V; i++) /* tf-idf-like: rare columns weigh more */
            if (d[i] != 0.0)
                d[i] *= (i % V) < P * PT ? 3.0 : 0.5;
        ct_matrix *m = walk_matrix(N, V, d);
        bad += walks_agree(m, CT_SIM_COSINE, ks, 5);
        bad += walks_agree(m, CT_SIM_JACCARD, ks, 4);
        ct_matrix_free(m);
        free(d);
    }
    /* 3. tiny: two rows, one row with terms and the rest empty */
    {
        static const double d2[] = {1, 0, 2, 0, 1, 1};
        ct_matrix *m = walk_matrix(2, 3, d2);
        bad += walks_agree(m, CT_SIM_COSINE, ks, 2);
        bad += walks_agree(m, CT_SIM_JACCARD, ks, 2);
        ct_matrix_free(m);
        static const double d3[] = {0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        m = walk_matrix(4, 3, d3);
        bad += walks_agree(m, CT_SIM_COSINE, ks, 5);
        bad += walks_agree(m, CT_SIM_JACCARD, ks, 5);
        ct_matrix_free(m);
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    test_small();
    test_random();
    test_wide();
    test_walks();
    return check_finish();
}
