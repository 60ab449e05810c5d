/* test_matrix.c — the CSR matrix (comptext/matrix.h) on a small matrix written out by hand:
 * rows, ids, entries, column sums and document frequencies computed here from the dense
 * form, a deep copy, in-place row values, and column selection with a renumbered vocabulary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

/* Dense form: 3 documents × 4 terms (a b c d). */
static const double dense[3][4] = {{1, 0, 2, 0}, {0, 0, 0, 0}, {3, 4, 0, 5}};

static ct_matrix *build(ct_vocab *v)
{
    size_t *row_ptr = ct_malloc(4 * sizeof *row_ptr);
    uint32_t *cols = ct_malloc(5 * sizeof *cols);
    double *values = ct_malloc(5 * sizeof *values);
    size_t k = 0;
    for (size_t r = 0; r < 3; r++) {
        row_ptr[r] = k;
        for (uint32_t c = 0; c < 4; c++)
            if (dense[r][c] != 0) {
                cols[k] = c;
                values[k++] = dense[r][c];
            }
    }
    row_ptr[3] = k;
    const char *ids[] = {"d0", "d1", "d2"};
    ct_matrix *m = NULL;
    CHECK_INT(ct_matrix_new(&m, 3, v, row_ptr, cols, values, ids), CT_OK);
    return m;
}

int main(void)
{
    const char *terms[] = {"a", "b", "c", "d"};
    ct_vocab *v;
    CHECK_INT(ct_vocab_from_terms(&v, NULL, terms, 4), CT_OK);
    ct_matrix *m = build(v);
    ct_vocab_unref(v); /* the matrix holds its own reference */
    CHECK_INT(ct_matrix_rows(m), 3);
    CHECK_INT(ct_matrix_cols(m), 4);
    CHECK_INT(ct_matrix_nnz(m), 5);
    CHECK_STR(ct_matrix_row_id(m, 2), "d2");
    CHECK_STR(ct_vocab_term(ct_matrix_vocab(m), 3), "d");
    for (size_t r = 0; r < 3; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols, &vals, &n);
        double row[4] = {0};
        for (size_t i = 0; i < n; i++) {
            if (i)
                CHECK(cols[i] > cols[i - 1]);
            row[cols[i]] = vals[i];
        }
        for (int c = 0; c < 4; c++)
            CHECK(row[c] == dense[r][c]);
    }
    double *sums;
    uint32_t *df;
    CHECK_INT(ct_matrix_col_sums(m, &sums), CT_OK);
    CHECK_INT(ct_matrix_col_nonzero(m, &df), CT_OK);
    for (int c = 0; c < 4; c++) {
        double s = 0;
        uint32_t n = 0;
        for (int r = 0; r < 3; r++) {
            s += dense[r][c];
            n += dense[r][c] != 0;
        }
        CHECK(sums[c] == s);
        CHECK_INT(df[c], n);
    }
    ct_free(sums);
    ct_free(df);

    /* A deep copy: changing it leaves the original alone. */
    ct_matrix *copy;
    CHECK_INT(ct_matrix_copy(&copy, m), CT_OK);
    double *vals = ct_matrix_row_values_mut(copy, 0);
    vals[0] = 10;
    const uint32_t *cols;
    const double *orig;
    size_t n;
    ct_matrix_row(m, 0, &cols, &orig, &n);
    CHECK(orig[0] == 1);
    ct_matrix_row(copy, 0, &cols, &orig, &n);
    CHECK(orig[0] == 10);
    CHECK(ct_matrix_vocab(copy) == ct_matrix_vocab(m));
    ct_matrix_free(copy);

    /* Select columns b and d: 2 columns, renumbered 0 and 1, entries kept. */
    unsigned char keep[4] = {0, 1, 0, 1};
    ct_matrix *sel;
    CHECK_INT(ct_matrix_select_cols(&sel, m, keep), CT_OK);
    CHECK_INT(ct_matrix_cols(sel), 2);
    CHECK_INT(ct_matrix_nnz(sel), 2);
    CHECK_STR(ct_vocab_term(ct_matrix_vocab(sel), 0), "b");
    CHECK_STR(ct_vocab_term(ct_matrix_vocab(sel), 1), "d");
    ct_matrix_row(sel, 0, &cols, &orig, &n);
    CHECK_INT(n, 0);
    ct_matrix_row(sel, 2, &cols, &orig, &n);
    CHECK(n == 2 && cols[0] == 0 && orig[0] == 4 && cols[1] == 1 && orig[1] == 5);
    CHECK_STR(ct_matrix_row_id(sel, 1), "d1");
    ct_matrix_free(sel);
    ct_matrix_free(m);
    ct_matrix_free(NULL);
    return check_finish();
}
