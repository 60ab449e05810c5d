/* matrix.c — the CSR document-term matrix (comptext/matrix.h): construction, access, column
 * and row statistics and column selection. Analyses build new matrices from old ones; the
 * vocabulary is shared between them by reference counting. */
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "matrix_impl.h"

void ct_matrix_free(ct_matrix *m)
{
    if (!m)
        return;
    if (m->row_ids)
        for (size_t r = 0; r < m->rows; r++)
            ct_free(m->row_ids[r]);
    ct_free(m->row_ids);
    ct_free(m->row_ptr);
    ct_free(m->cols);
    ct_free(m->values);
    ct_vocab_unref(m->vocab);
    ct_free(m);
}

int ct_matrix_new(ct_matrix **out, size_t rows, ct_vocab *vocab, size_t *row_ptr, uint32_t *cols,
                  double *values, const char *const *row_ids)
{
    *out = NULL;
    ct_matrix *m = ct_calloc(1, sizeof *m);
    if (!m) {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(values);
        return CT_ENOMEM;
    }
    m->rows = rows;
    m->row_ptr = row_ptr;
    m->cols = cols;
    m->values = values;
    m->vocab = ct_vocab_ref(vocab);
    m->row_ids = ct_calloc(rows ? rows : 1, sizeof *m->row_ids);
    if (!m->row_ids) {
        ct_matrix_free(m);
        return CT_ENOMEM;
    }
    for (size_t r = 0; r < rows; r++) {
        m->row_ids[r] = ct_strdup(row_ids[r]);
        if (!m->row_ids[r]) {
            ct_matrix_free(m);
            return CT_ENOMEM;
        }
    }
    *out = m;
    return CT_OK;
}

int ct_matrix_copy(ct_matrix **out, const ct_matrix *m)
{
    *out = NULL;
    size_t nnz = m->row_ptr[m->rows];
    size_t *row_ptr = ct_malloc((m->rows + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    if (!row_ptr || !cols || !values) {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(values);
        return CT_ENOMEM;
    }
    memcpy(row_ptr, m->row_ptr, (m->rows + 1) * sizeof *row_ptr);
    memcpy(cols, m->cols, nnz * sizeof *cols);
    memcpy(values, m->values, nnz * sizeof *values);
    return ct_matrix_new(out, m->rows, m->vocab, row_ptr, cols, values,
                         (const char *const *)m->row_ids);
}

void ct_matrix_drop_entries(ct_matrix *m)
{
    memset(m->row_ptr, 0, (m->rows + 1) * sizeof *m->row_ptr);
    /* Keep one-entry arrays, so that a row's pointers stay valid (best effort: a failed
     * shrink keeps the old array). */
    uint32_t *c = ct_realloc(m->cols, sizeof *c);
    if (c)
        m->cols = c;
    double *v = ct_realloc(m->values, sizeof *v);
    if (v)
        m->values = v;
}

size_t ct_matrix_rows(const ct_matrix *m)
{
    return m->rows;
}

size_t ct_matrix_cols(const ct_matrix *m)
{
    return ct_vocab_size(m->vocab);
}

size_t ct_matrix_nnz(const ct_matrix *m)
{
    return m->row_ptr[m->rows];
}

const ct_vocab *ct_matrix_vocab(const ct_matrix *m)
{
    return m->vocab;
}

const char *ct_matrix_row_id(const ct_matrix *m, size_t row)
{
    return row < m->rows ? m->row_ids[row] : NULL;
}

void ct_matrix_row(const ct_matrix *m, size_t row, const uint32_t **cols, const double **values,
                   size_t *nnz)
{
    size_t a = m->row_ptr[row], b = m->row_ptr[row + 1];
    *cols = m->cols + a;
    *values = m->values + a;
    *nnz = b - a;
}

double *ct_matrix_row_values_mut(ct_matrix *m, size_t row)
{
    return m->values + m->row_ptr[row];
}

int ct_matrix_col_sums(const ct_matrix *m, double **sums)
{
    size_t n = ct_matrix_cols(m);
    double *s = ct_calloc(n ? n : 1, sizeof *s);
    if (!s)
        return CT_ENOMEM;
    size_t nnz = ct_matrix_nnz(m);
    for (size_t i = 0; i < nnz; i++)
        s[m->cols[i]] += m->values[i];
    *sums = s;
    return CT_OK;
}

double ct_matrix_row_sum(const ct_matrix *m, size_t r)
{
    double s = 0;
    for (size_t i = m->row_ptr[r]; i < m->row_ptr[r + 1]; i++)
        s += m->values[i];
    return s;
}

int ct_matrix_row_sums(const ct_matrix *m, double **sums)
{
    double *s = ct_malloc((m->rows ? m->rows : 1) * sizeof *s);
    if (!s)
        return CT_ENOMEM;
    for (size_t r = 0; r < m->rows; r++)
        s[r] = ct_matrix_row_sum(m, r);
    *sums = s;
    return CT_OK;
}

int ct_matrix_col_nonzero(const ct_matrix *m, uint32_t **df)
{
    size_t n = ct_matrix_cols(m);
    uint32_t *d = ct_calloc(n ? n : 1, sizeof *d);
    if (!d)
        return CT_ENOMEM;
    size_t nnz = ct_matrix_nnz(m);
    for (size_t i = 0; i < nnz; i++)
        d[m->cols[i]] += m->values[i] != 0.0;
    *df = d;
    return CT_OK;
}

int ct_matrix_select_cols(ct_matrix **out, const ct_matrix *m, const unsigned char *keep)
{
    *out = NULL;
    ct_vocab *vocab;
    uint32_t *map;
    int rc = ct_vocab_subset(&vocab, &map, m->vocab, keep);
    if (rc != CT_OK)
        return rc;
    size_t nnz = 0, total = ct_matrix_nnz(m);
    for (size_t i = 0; i < total; i++)
        nnz += map[m->cols[i]] != UINT32_MAX;
    size_t *row_ptr = ct_malloc((m->rows + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    if (!row_ptr || !cols || !values) {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(values);
        ct_free(map);
        ct_vocab_unref(vocab);
        return CT_ENOMEM;
    }
    size_t k = 0;
    for (size_t r = 0; r < m->rows; r++) {
        row_ptr[r] = k;
        for (size_t i = m->row_ptr[r]; i < m->row_ptr[r + 1]; i++) {
            uint32_t c = map[m->cols[i]];
            if (c != UINT32_MAX) {
                cols[k] = c;
                values[k++] = m->values[i];
            }
        }
    }
    row_ptr[m->rows] = k;
    ct_free(map);
    rc = ct_matrix_new(out, m->rows, vocab, row_ptr, cols, values, (const char *const *)m->row_ids);
    ct_vocab_unref(vocab);
    return rc;
}
