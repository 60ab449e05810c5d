/* matrix_impl.h — the CSR matrix's structure (private). */
#ifndef CT_MATRIX_IMPL_H
#define CT_MATRIX_IMPL_H

#include "comptext/matrix.h"

struct ct_matrix {
    size_t rows;
    ct_vocab *vocab;
    size_t *row_ptr; /* rows + 1 */
    uint32_t *cols;
    double *values;
    char **row_ids;
};

/* Row r's entries to change in place (the weighting steps): returns its values, sets *n to
 * their number and, unless cols is NULL, *cols to their column ids. */
static inline double *ct_matrix_row_mut(ct_matrix *m, size_t r, const uint32_t **cols, size_t *n)
{
    size_t a = m->row_ptr[r];
    if (cols)
        *cols = m->cols + a;
    *n = m->row_ptr[r + 1] - a;
    return m->values + a;
}

/* The position of row r's first entry. */
static inline size_t ct_matrix_row_start(const ct_matrix *m, size_t r)
{
    return m->row_ptr[r];
}

/* The sum of row r's values, added in column order. */
double ct_matrix_row_sum(const ct_matrix *m, size_t r);

/* Row sums (an array of ct_matrix_rows doubles, ct_malloc; each as ct_matrix_row_sum). */
int ct_matrix_row_sums(const ct_matrix *m, double **sums);

/* Release m's entries, keeping its rows, row ids and vocabulary: m becomes a matrix without
 * entries (the similarity's consuming constructors, which have indexed them). */
void ct_matrix_drop_entries(ct_matrix *m);

#endif
