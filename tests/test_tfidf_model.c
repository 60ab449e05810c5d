/* test_tfidf_model.c — fitted TF-IDF models (comptext/tfidf_model.h): a model applied to its
 * own fitting counts gives exactly ct_tfidf_compute's weights; applied to other counts it
 * drops unknown terms, keeps empty rows and uses the fitted idf (values worked out by hand);
 * writing and loading a model gives back the same terms, df, idf (bit for bit), options and
 * parameters; damaged files are CT_EINPUT naming the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "comptext.h"
#include "matrix_fixture.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

int main(void)
{
    static const char *const sorted[] = {"丙", "乙", "甲"}; /* byte order */
    static const char *const ids[] = {"a", "b", "c"};
    static const double dense[] = {2, 1, 0, 0, 3, 1, 1, 0, 4};
    ct_matrix *counts = fixture_matrix(3, ids, 3, sorted, dense);
    CHECK(counts != NULL);

    ct_tfidf_options o;
    ct_tfidf_options_init(&o);
    o.flags = CT_TFIDF_SUBLINEAR_TF;
    ct_error err;
    ct_error_clear(&err);
    ct_tfidf_model *m = NULL;
    CHECK(ct_tfidf_model_fit(&m, counts, &o, "{\"k\": [1, \"x\"]}", &err) == CT_OK);
    ct_matrix *w = NULL, *w2 = NULL;
    CHECK(ct_tfidf_compute(&w, NULL, counts, &o, &err) == CT_OK);
    CHECK(ct_tfidf_model_transform(&w2, m, counts) == CT_OK);
    CHECK(w && w2 && fixture_same_rows(w, w2));
    CHECK_INT(ct_tfidf_model_n_documents(m), 3);
    CHECK_INT(ct_tfidf_model_df(m)[0], 2);
    CHECK(fabs(ct_tfidf_model_idf(m)[0] - (log(4.0 / 3.0) + 1)) < 1e-15);

    /* New counts: 丁 unknown (dropped), row y empty, 甲 only. */
    static const char *const nterms[] = {"丁", "甲"};
    static const char *const nids[] = {"x", "y", "z"};
    static const double ndense[] = {5, 1, 0, 0, 0, 2};
    ct_matrix *nc = fixture_matrix(3, nids, 2, nterms, ndense);
    ct_matrix *nw = NULL;
    CHECK(ct_tfidf_model_transform(&nw, m, nc) == CT_OK);
    CHECK_INT(ct_matrix_rows(nw), 3);
    CHECK_INT(ct_matrix_cols(nw), 3);
    CHECK_STR(ct_matrix_row_id(nw, 1), "y");
    CHECK(fixture_get(nw, 0, "甲") == 1.0 && fixture_get(nw, 0, "丙") == 0.0); /* l2 of one */
    CHECK(fixture_get(nw, 2, "甲") == 1.0);
    const uint32_t *cols;
    const double *vals;
    size_t n;
    ct_matrix_row(nw, 1, &cols, &vals, &n);
    CHECK_INT(n, 0);

    /* Write, load: the same model. */
    char path[] = "/tmp/ct-model-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(ct_tfidf_model_write(m, f) == CT_OK);
    fclose(f);
    ct_tfidf_model *back = NULL;
    CHECK(ct_tfidf_model_load(&back, path, &err) == CT_OK);
    if (back) {
        CHECK_INT(ct_vocab_size(ct_tfidf_model_vocab(back)), 3);
        CHECK(memcmp(ct_tfidf_model_idf(back), ct_tfidf_model_idf(m), 3 * sizeof(double)) == 0);
        CHECK(memcmp(ct_tfidf_model_df(back), ct_tfidf_model_df(m), 3 * sizeof(uint32_t)) == 0);
        CHECK_INT(ct_tfidf_model_flags(back), CT_TFIDF_SUBLINEAR_TF);
        CHECK_INT(ct_tfidf_model_norm(back), CT_TFIDF_NORM_L2);
        CHECK_STR(ct_tfidf_model_parameters(back), "{\"k\":[1,\"x\"]}");
        ct_matrix *w3 = NULL;
        CHECK(ct_tfidf_model_transform(&w3, back, counts) == CT_OK && fixture_same_rows(w, w3));
        ct_matrix_free(w3);
    }
    ct_tfidf_model_free(back);

    /* Damaged files: CT_EINPUT naming the file (a JSON error with its line). */
    static const char *const bad[] = {
        "{\"format\": \"comptext-tfidf-model\", \"format_version\": 1",
        "[]",
        "{\"format\": \"comptext-tfidf-model\", \"format_version\": 2}",
        "{\"format\": \"comptext-tfidf-model\", \"format_version\": 1, \"parameters\": {},"
        " \"n_documents\": 2, \"weighting\": {\"sublinear_tf\": false, \"smooth_idf\": true,"
        " \"use_idf\": true, \"norm\": \"l2\"}, \"terms\": [\"b\", \"a\"], \"df\": [1, 1],"
        " \"idf\": [1.5, 1.5]}",
        "{\"format\": \"comptext-tfidf-model\", \"format_version\": 1, \"parameters\": {},"
        " \"n_documents\": 2, \"weighting\": {\"sublinear_tf\": false, \"smooth_idf\": true,"
        " \"use_idf\": true, \"norm\": \"l2\"}, \"terms\": [\"a\"], \"df\": [3],"
        " \"idf\": [1.5]}",
        "{\"format\": \"comptext-tfidf-model\", \"format_version\": 1, \"parameters\": {},"
        " \"n_documents\": 2, \"weighting\": {\"sublinear_tf\": false, \"smooth_idf\": true,"
        " \"use_idf\": true, \"norm\": \"l3\"}, \"terms\": [\"a\"], \"df\": [1],"
        " \"idf\": [1.5]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        ct_error_clear(&err);
        back = NULL;
        CHECK(ct_tfidf_model_load(&back, path, &err) == CT_EINPUT && back == NULL);
        CHECK_STR(err.source, path);
        CHECK(strstr(err.text, "model") != NULL);
    }
    unlink(path);
    CHECK(ct_tfidf_model_load(&back, path, &err) == CT_EIO);

    ct_matrix_free(nw);
    ct_matrix_free(nc);
    ct_matrix_free(w);
    ct_matrix_free(w2);
    ct_tfidf_model_free(m);
    ct_matrix_free(counts);
    return check_finish();
}
