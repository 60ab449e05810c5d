/* matrix_fixture.h — a small hand-made count matrix for the unit tests of tf, tfidf and
 * similarity: rows and terms given as dense arrays, turned into a ct_matrix; and a comparison
 * of two matrices' rows, bit for bit. */
#ifndef CT_MATRIX_FIXTURE_H
#define CT_MATRIX_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include "comptext.h"

/* A rows × n_terms matrix from dense values (row-major); terms must be in byte order so that
 * column c is term c. Returns NULL on failure. */
static inline ct_matrix *fixture_matrix(size_t rows, const char *const *ids, size_t n_terms,
                                        const char *const *terms, const double *dense)
{
    ct_vocab *v;
    if (ct_vocab_from_terms(&v, NULL, terms, n_terms) != CT_OK)
        return NULL;
    size_t nnz = 0;
    for (size_t i = 0; i < rows * n_terms; i++)
        nnz += dense[i] != 0.0;
    size_t *row_ptr = ct_malloc((rows + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((nnz + 1) * sizeof *cols);
    double *vals = ct_malloc((nnz + 1) * sizeof *vals);
    if (!row_ptr || !cols || !vals) {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(vals);
        ct_vocab_unref(v);
        return NULL;
    }
    size_t k = 0;
    for (size_t r = 0; r < rows; r++) {
        row_ptr[r] = k;
        for (size_t c = 0; c < n_terms; c++)
            if (dense[r * n_terms + c] != 0.0) {
                cols[k] = (uint32_t)c;
                vals[k++] = dense[r * n_terms + c];
            }
    }
    row_ptr[rows] = k;
    ct_matrix *m;
    int rc = ct_matrix_new(&m, rows, v, row_ptr, cols, vals, ids);
    ct_vocab_unref(v);
    return rc == CT_OK ? m : NULL;
}

/* The value of (row, term) in m, 0 when absent; -1 when the term is not in m's vocabulary. */
static inline double fixture_get(const ct_matrix *m, size_t row, const char *term)
{
    uint32_t id;
    if (ct_vocab_find(ct_matrix_vocab(m), term, strlen(term), &id) != CT_OK)
        return -1.0;
    const uint32_t *cols;
    const double *vals;
    size_t n;
    ct_matrix_row(m, row, &cols, &vals, &n);
    for (size_t i = 0; i < n; i++)
        if (cols[i] == id)
            return vals[i];
    return 0.0;
}

/* 1 when a and b have the same shape and every row the same columns and values, bit for bit. */
static inline int fixture_same_rows(const ct_matrix *a, const ct_matrix *b)
{
    if (ct_matrix_rows(a) != ct_matrix_rows(b) || ct_matrix_cols(a) != ct_matrix_cols(b))
        return 0;
    for (size_t r = 0; r < ct_matrix_rows(a); r++) {
        const uint32_t *ca, *cb;
        const double *va, *vb;
        size_t na, nb;
        ct_matrix_row(a, r, &ca, &va, &na);
        ct_matrix_row(b, r, &cb, &vb, &nb);
        if (na != nb || memcmp(ca, cb, na * sizeof *ca) || memcmp(va, vb, na * sizeof *va))
            return 0;
    }
    return 1;
}

#endif
