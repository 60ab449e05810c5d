/* test_weighting_alloc.c — allocation failure through grouping, tf, tfidf and similarity:
 * an allocator that fails the k-th allocation (k = 1, 2, … until a run makes no failing
 * allocation) runs a workload of those calls each time — grouping a JSON Lines corpus,
 * applying the grouping, the four tf schemes, TF-IDF with pruning and max_features, the
 * similarity matrix and top-K neighbours on two threads (also consuming a copy of the
 * weights). Every call must return CT_OK or
 * CT_ENOMEM, never crash, and once everything is freed no block may be left alive. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "comptext.h"
#include "failalloc.h"
#include "matrix_fixture.h"

static const char *const ids[] = {"d0", "d1", "d2", "d3"};
static const char *const terms[] = {"a", "b", "c", "d"};
static const double counts[] = {2, 1, 0, 1, 1, 0, 3, 0, 0, 0, 0, 0, 4, 1, 1, 2};

static long current_k;

static int ok_at(int rc, int line)
{
    if (rc == CT_OK || rc == CT_ENOMEM)
        return 1;
    fprintf(stderr, "failing allocation %ld: line %d returned %d\n", current_k, line, rc);
    return 0;
}
#define ok(rc) ok_at((rc), __LINE__)

/* One run of the workload; returns the number of calls that returned a wrong code. */
static int workload(const char *corpus_path)
{
    int bad = 0, rc;
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus = NULL;
    ct_grouping *g = NULL;
    ct_matrix *m = NULL, *grouped = NULL, *tf = NULL, *w = NULL;
    ct_simmatrix *s = NULL;
    ct_neighbours *nb = NULL;
    double *idf = NULL;
    ct_error err;
    if ((rc = ct_corpus_new(&corpus, &ro)) != CT_OK) {
        bad += !ok(rc);
        goto done;
    }
    /* The JSON Lines reader (not under test here) reports jansson's allocation failures as
     * CT_EINPUT; the grouping is then skipped. */
    rc = ct_corpus_add(corpus, corpus_path, &err);
    if (rc == CT_OK) {
        rc = ct_grouping_new(&g, corpus, "city", &err);
        bad += !ok(rc);
    }
    m = fixture_matrix(4, ids, 4, terms, counts);
    if (!m)
        goto done;
    if (g) {
        bad += !ok(ct_grouping_apply(&grouped, g, m));
    }
    for (int sch = CT_TF_COUNT; sch <= CT_TF_BOOLEAN; sch++) {
        bad += !ok(ct_tf_compute(&tf, m, (ct_tf_scheme)sch));
        ct_matrix_free(tf);
        tf = NULL;
    }
    ct_tfidf_options o;
    ct_tfidf_options_init(&o);
    o.min_df.set = 1;
    o.min_df.is_proportion = 1;
    o.min_df.value = 0.2;
    o.max_features = 3;
    o.flags = CT_TFIDF_SUBLINEAR_TF;
    ct_matrix *t = NULL;
    if (ct_matrix_copy(&t, m) == CT_OK) {
        bad += !ok(ct_tfidf_transform(&t, NULL, &o, &err));
        ct_matrix_free(t);
    }
    rc = ct_tfidf_compute(&w, &idf, m, &o, &err);
    bad += !ok(rc);
    if (rc == CT_OK) {
        ct_sim_options so;
        ct_sim_options_init(&so);
        so.threads = 2;
        for (int meas = 0; meas < 2; meas++) {
            so.measure = (ct_sim_measure)meas;
            bad += !ok(ct_simmatrix_new(&s, w, &so));
            ct_simmatrix_free(s);
            s = NULL;
            bad += !ok(ct_neighbours_new(&nb, w, 2, &so));
            ct_neighbours_free(nb);
            nb = NULL;
            ct_matrix *c = NULL;
            if (ct_matrix_copy(&c, w) == CT_OK) {
                bad += !ok(ct_simmatrix_new_consume(&s, c, &so));
                bad += ct_matrix_nnz(c) != 0;
                ct_simmatrix_free(s);
                s = NULL;
                ct_matrix_free(c);
            }
            if (ct_matrix_copy(&c, w) == CT_OK) {
                bad += !ok(ct_neighbours_new_consume(&nb, c, 2, &so));
                bad += ct_matrix_nnz(c) != 0;
                ct_neighbours_free(nb);
                nb = NULL;
                ct_matrix_free(c);
            }
        }
    }
done:
    ct_free(idf);
    ct_matrix_free(w);
    ct_matrix_free(grouped);
    ct_matrix_free(m);
    ct_grouping_free(g);
    ct_corpus_free(corpus);
    return bad;
}

int main(void)
{
    char path[] = "/tmp/ct-test-walloc-XXXXXX.jsonl";
    int fd = mkstemps(path, 6);
    CHECK(fd >= 0);
    const char *text = "{\"id\": \"d0\", \"text\": \"社区\", \"city\": \"乙\"}\n"
                       "{\"id\": \"d1\", \"text\": \"社区\", \"city\": \"甲\"}\n"
                       "{\"id\": \"d2\", \"text\": \"社区\", \"city\": \"乙\"}\n"
                       "{\"id\": \"d3\", \"text\": \"社区\", \"city\": \"丙\"}\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    ct_set_alloc_funcs(kfail_malloc, kfail_realloc, kfail_free);
    json_set_alloc_funcs(kfail_malloc, kfail_free);
    long runs = 0;
    int bad = 0, leaks = 0;
    for (long k = 1;; k++) {
        current_k = k;
        kfail_arm(k);
        bad += workload(path);
        leaks += atomic_load(&kfail_live) != 0;
        if (atomic_load(&kfail_live) != 0)
            fprintf(stderr, "failing allocation %ld: %ld blocks left\n", k,
                    (long)atomic_load(&kfail_live));
        runs++;
        if (atomic_load(&kfail_allocs) < k) /* no allocation failed: every path has been tried */
            break;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(leaks, 0);
    CHECK(runs > 20);
    printf("%ld runs\n", runs);
    unlink(path);
    return check_finish();
}
