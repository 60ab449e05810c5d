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

#endif
