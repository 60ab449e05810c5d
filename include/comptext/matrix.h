/* comptext/matrix.h — the sparse document-term matrix.
 *
 * Rows are documents (or groups of them), columns are the terms of a shared vocabulary,
 * values are doubles: counts straight from the counter, weights after tf-idf. Storage is
 * compressed sparse rows with column ids ascending inside each row, like scipy's CSR. */
#ifndef COMPTEXT_MATRIX_H
#define COMPTEXT_MATRIX_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_matrix ct_matrix;

/** Create a matrix from CSR arrays, which it takes over (they must come from ct_malloc):
 * row_ptr has rows+1 entries; cols and values row_ptr[rows] entries, cols ascending within a
 * row and < ct_vocab_size(vocab). row_ids (rows strings) are copied; vocab gets a reference.
 * On failure the arrays are freed too. */
CT_API int ct_matrix_new(ct_matrix **out, size_t rows, ct_vocab *vocab, size_t *row_ptr,
                         uint32_t *cols, double *values, const char *const *row_ids);
/** A deep copy of values and structure, sharing the vocabulary. */
CT_API int ct_matrix_copy(ct_matrix **out, const ct_matrix *m);
CT_API void ct_matrix_free(ct_matrix *m);

CT_API size_t ct_matrix_rows(const ct_matrix *m);
CT_API size_t ct_matrix_cols(const ct_matrix *m);
CT_API size_t ct_matrix_nnz(const ct_matrix *m);
CT_API const ct_vocab *ct_matrix_vocab(const ct_matrix *m);
CT_API const char *ct_matrix_row_id(const ct_matrix *m, size_t row);

/** The non-zero entries of a row (borrowed). */
CT_API void ct_matrix_row(const ct_matrix *m, size_t row, const uint32_t **cols,
                          const double **values, size_t *nnz);
/** Values of a row for modification in place (structure stays). */
CT_API double *ct_matrix_row_values_mut(ct_matrix *m, size_t row);

/** Column sums (an array of ct_matrix_cols doubles, ct_malloc). */
CT_API int ct_matrix_col_sums(const ct_matrix *m, double **sums);
/** Document frequencies: in how many rows each column is non-zero (ct_malloc). */
CT_API int ct_matrix_col_nonzero(const ct_matrix *m, uint32_t **df);

/** Keep only the columns with keep[col] != 0, renumbering them (a new vocabulary). */
CT_API int ct_matrix_select_cols(ct_matrix **out, const ct_matrix *m, const unsigned char *keep);

#ifdef __cplusplus
}
#endif
#endif
