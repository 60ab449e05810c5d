/* test_tf.c — the four term-frequency schemes on a hand-made matrix, and grouping
 * (comptext/group.h): group order, summed rows, missing values and unknown fields. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "comptext.h"
#include "matrix_fixture.h"

static const char *const ids[] = {"d0", "d1", "d2"};
static const char *const terms[] = {"a", "b", "c"};
/* d0: a×2 b×1; d1: a×1 c×3; d2: no tokens */
static const double counts[] = {2, 1, 0, 1, 0, 3, 0, 0, 0};

static void test_schemes(void)
{
    ct_matrix *m = fixture_matrix(3, ids, 3, terms, counts), *t;
    CHECK(m != NULL);
    CHECK_INT(ct_tf_compute(&t, m, CT_TF_COUNT), CT_OK);
    CHECK_NEAR(fixture_get(t, 0, "a"), 2.0, 0);
    CHECK_NEAR(fixture_get(t, 1, "c"), 3.0, 0);
    ct_matrix_free(t);
    CHECK_INT(ct_tf_compute(&t, m, CT_TF_RELATIVE), CT_OK);
    CHECK_NEAR(fixture_get(t, 0, "a"), 2.0 / 3.0, 1e-15);
    CHECK_NEAR(fixture_get(t, 0, "b"), 1.0 / 3.0, 1e-15);
    CHECK_NEAR(fixture_get(t, 1, "a"), 0.25, 0);
    CHECK_NEAR(fixture_get(t, 1, "c"), 0.75, 0);
    CHECK_INT(ct_matrix_nnz(t), 4); /* the empty document stays empty, no NaN */
    ct_matrix_free(t);
    CHECK_INT(ct_tf_compute(&t, m, CT_TF_SUBLINEAR), CT_OK);
    CHECK_NEAR(fixture_get(t, 0, "a"), 1.0 + log(2.0), 1e-15);
    CHECK_NEAR(fixture_get(t, 0, "b"), 1.0, 0);
    CHECK_NEAR(fixture_get(t, 1, "c"), 1.0 + log(3.0), 1e-15);
    ct_matrix_free(t);
    CHECK_INT(ct_tf_compute(&t, m, CT_TF_BOOLEAN), CT_OK);
    CHECK_NEAR(fixture_get(t, 0, "a"), 1.0, 0);
    CHECK_NEAR(fixture_get(t, 1, "c"), 1.0, 0);
    CHECK_NEAR(fixture_get(t, 2, "a"), 0.0, 0);
    ct_matrix_free(t);
    CHECK_INT(ct_tf_compute(&t, m, (ct_tf_scheme)99), CT_EINVAL);
    CHECK(t == NULL);
    ct_tf_scheme s;
    CHECK_INT(ct_tf_scheme_parse("relative", &s), CT_OK);
    CHECK_INT(s, CT_TF_RELATIVE);
    CHECK_INT(ct_tf_scheme_parse("prop", &s), CT_EINVAL);
    CHECK_STR(ct_tf_scheme_name(CT_TF_BOOLEAN), "boolean");
    ct_matrix_free(m);
}

/* A JSON Lines corpus in a temporary file. */
static ct_corpus *jsonl_corpus(const char *lines, char *path)
{
    strcpy(path, "/tmp/ct-test-group-XXXXXX.jsonl");
    int fd = mkstemps(path, 6);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fputs(lines, f);
    fclose(f);
    ct_read_options o;
    ct_read_options_init(&o);
    ct_corpus *c;
    ct_error err;
    if (ct_corpus_new(&c, &o) != CT_OK)
        return NULL;
    if (ct_corpus_add(c, path, &err) != CT_OK) {
        ct_corpus_free(c);
        return NULL;
    }
    return c;
}

static void test_groups(void)
{
    char path[64];
    ct_corpus *c = jsonl_corpus("{\"id\": \"d0\", \"text\": \"x\", \"city\": \"乙\"}\n"
                                "{\"id\": \"d1\", \"text\": \"x\", \"city\": \"甲\"}\n"
                                "{\"id\": \"d2\", \"text\": \"x\", \"city\": \"乙\"}\n",
                                path);
    CHECK(c != NULL);
    ct_grouping *g;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_grouping_new(&g, c, "city", &err), CT_OK);
    /* first appearance: 乙 (d0) before 甲 (d1), although 甲 < 乙 in byte order */
    CHECK_INT(ct_grouping_size(g), 2);
    CHECK_STR(ct_grouping_name(g, 0), "乙");
    CHECK_STR(ct_grouping_name(g, 1), "甲");
    CHECK_INT(ct_grouping_of(g, 2), 0);
    size_t n;
    const size_t *mem = ct_grouping_members(g, 0, &n);
    CHECK_INT(n, 2);
    CHECK_INT(mem[0], 0);
    CHECK_INT(mem[1], 2);
    ct_matrix *m = fixture_matrix(3, ids, 3, terms, counts), *s;
    CHECK_INT(ct_grouping_apply(&s, g, m), CT_OK);
    CHECK_INT(ct_matrix_rows(s), 2);
    CHECK_STR(ct_matrix_row_id(s, 0), "乙");
    CHECK_NEAR(fixture_get(s, 0, "a"), 2.0, 0); /* d0 + d2 */
    CHECK_NEAR(fixture_get(s, 0, "b"), 1.0, 0);
    CHECK_NEAR(fixture_get(s, 0, "c"), 0.0, 0);
    CHECK_NEAR(fixture_get(s, 1, "c"), 3.0, 0);
    CHECK_INT(ct_matrix_nnz(s), 4);
    ct_matrix_free(s);
    /* a matrix whose rows are not the corpus's documents */
    ct_matrix *two = fixture_matrix(2, ids, 3, terms, counts);
    CHECK_INT(ct_grouping_apply(&s, g, two), CT_EINVAL);
    ct_matrix_free(two);
    ct_grouping_free(g);
    /* an unknown field names the fields there are */
    CHECK_INT(ct_grouping_new(&g, c, "province", &err), CT_ENOTFOUND);
    CHECK(g == NULL);
    CHECK(strstr(err.text, "province") && strstr(err.text, "city"));
    ct_corpus_free(c);
    unlink(path);

    /* a document without the field: an error naming the first one */
    c = jsonl_corpus("{\"id\": \"d0\", \"text\": \"x\", \"city\": \"乙\"}\n"
                     "{\"id\": \"d1\", \"text\": \"x\"}\n"
                     "{\"id\": \"d2\", \"text\": \"x\", \"city\": \"\"}\n",
                     path);
    CHECK(c != NULL);
    CHECK_INT(ct_grouping_new(&g, c, "city", &err), CT_EINPUT);
    CHECK(strstr(err.text, "\"d1\"") != NULL);
    CHECK(strstr(err.source, ":2") != NULL);
    ct_corpus_free(c);
    unlink(path);
    ct_matrix_free(m);
}

int main(void)
{
    test_schemes();
    test_groups();
    return check_finish();
}
