/* tf.c — term-frequency schemes (comptext/tf.h): count, relative, sublinear, boolean.
 *
 * Every scheme maps a row's values in place, so a scheme costs one pass over the non-zeros
 * and no allocation; ct_tf_compute copies first. The sublinear form is computed as
 * scikit-learn computes it (log of the count, then + 1), so the bits agree. */
#include <math.h>
#include <string.h>

#include "comptext/error.h"
#include "comptext/tf.h"
#include "matrix_impl.h"

static const char *const names[] = {"count", "relative", "sublinear", "boolean"};

int ct_tf_scheme_parse(const char *name, ct_tf_scheme *out)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (ct_tf_scheme)i;
            return CT_OK;
        }
    return CT_EINVAL;
}

const char *ct_tf_scheme_name(ct_tf_scheme scheme)
{
    return (unsigned)scheme < sizeof names / sizeof names[0] ? names[scheme] : "?";
}

int ct_tf_apply(ct_matrix *m, ct_tf_scheme scheme)
{
    if ((unsigned)scheme > CT_TF_BOOLEAN)
        return CT_EINVAL;
    size_t rows = ct_matrix_rows(m);
    for (size_t r = 0; r < rows; r++) {
        size_t n;
        double *v = ct_matrix_row_mut(m, r, NULL, &n);
        switch (scheme) {
        case CT_TF_COUNT:
            break;
        case CT_TF_RELATIVE: {
            double sum = 0.0;
            for (size_t i = 0; i < n; i++)
                sum += v[i];
            if (sum != 0.0)
                for (size_t i = 0; i < n; i++)
                    v[i] /= sum;
            break;
        }
        case CT_TF_SUBLINEAR:
            for (size_t i = 0; i < n; i++)
                if (v[i] > 0.0)
                    v[i] = log(v[i]) + 1.0;
            break;
        case CT_TF_BOOLEAN:
            for (size_t i = 0; i < n; i++)
                if (v[i] != 0.0)
                    v[i] = 1.0;
            break;
        }
    }
    return CT_OK;
}

int ct_tf_compute(ct_matrix **out, const ct_matrix *counts, ct_tf_scheme scheme)
{
    *out = NULL;
    if ((unsigned)scheme > CT_TF_BOOLEAN)
        return CT_EINVAL;
    int rc = ct_matrix_copy(out, counts);
    if (rc != CT_OK)
        return rc;
    return ct_tf_apply(*out, scheme);
}
