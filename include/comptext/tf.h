/* comptext/tf.h — term frequency: the per-document (or per-group) weight of each term
 * before any corpus-wide weighting.
 *
 * Four schemes, the usual ones of quanteda's dfm_weight and scikit-learn:
 *   count      tf = n(t, d), the raw count;
 *   relative   tf = n(t, d) / Σ_t' n(t', d), the share of the document's tokens
 *              (a document without tokens keeps an empty row);
 *   sublinear  tf = 1 + ln n(t, d) (scikit-learn's sublinear_tf);
 *   boolean    tf = 1 for every term present.
 * Zero counts stay absent, so the structure of the matrix never changes. */
#ifndef COMPTEXT_TF_H
#define COMPTEXT_TF_H

#include "comptext/export.h"

#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ct_tf_scheme {
    CT_TF_COUNT = 0,
    CT_TF_RELATIVE,
    CT_TF_SUBLINEAR,
    CT_TF_BOOLEAN,
} ct_tf_scheme;

/** The scheme called name ("count", "relative", "sublinear", "boolean"); CT_EINVAL for
 * anything else. */
CT_API int ct_tf_scheme_parse(const char *name, ct_tf_scheme *out);
/** The name of a scheme (static). */
CT_API const char *ct_tf_scheme_name(ct_tf_scheme scheme);

/** Apply a scheme to the values of m in place (its structure is unchanged). CT_EINVAL for an
 * unknown scheme. */
CT_API int ct_tf_apply(ct_matrix *m, ct_tf_scheme scheme);

/** A new matrix: counts weighted by scheme (sharing the vocabulary). */
CT_API int ct_tf_compute(ct_matrix **out, const ct_matrix *counts, ct_tf_scheme scheme);

#ifdef __cplusplus
}
#endif
#endif
