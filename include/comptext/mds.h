/* comptext/mds.h — a 2-D (or k-D) map of the documents by classical multidimensional
 * scaling (Torgerson 1952; Gower 1966).
 *
 * From the distances D, B = −½ J D⁽²⁾ J (J centres rows and columns); the coordinates on
 * axis a are the eigenvector of B's a-th largest eigenvalue λ_a scaled by sqrt(λ_a), computed
 * with GSL's symmetric eigen-solver (gsl_eigen_symmv); beyond 500 items, when comptext is
 * built with ARPACK, GSL gives the eigenvalues only and ARPACK's Lanczos iteration the dims
 * leading eigenvectors (the same map to rounding, 1e-14 of numpy's eigh at 1 200 items, at a
 * fraction of the cost). The share of variance of axis a is
 * λ_a divided by the sum of B's positive eigenvalues (cosine distances are not Euclidean, so
 * B can have negative eigenvalues; they carry no axis). Each axis's sign is fixed so that
 * its coordinate of largest magnitude (the first such document on a tie) is positive: the
 * same input gives the same map on every machine.
 *
 * Why classical MDS of 1 − cos: tools/measure_map.py compares it with classical MDS of the
 * chord distance sqrt(2(1 − cos)) and with LSA (GSL/sklearn truncated SVD of the TF-IDF
 * matrix); the map distances of MDS on 1 − cos agree best with the cosine distances on both
 * the default corpus and the government work reports (see BENCHMARKS.md, "compare:
 * clustering, map, pictures"). */
#ifndef COMPTEXT_MDS_H
#define COMPTEXT_MDS_H

#include "comptext/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_mds ct_mds;

/** Scale n items from a row-major n×n distance matrix (symmetric; the upper triangle is
 * read) into dims dimensions (1 ≤ dims; axes beyond the number of positive eigenvalues get
 * coordinate 0 and share 0). CT_EINVAL for n = 0, dims = 0 or a negative or non-finite
 * distance; CT_ENUMERIC when GSL fails. */
CT_API int ct_mds_new(ct_mds **out, const double *dist, size_t n, size_t dims);

/** The same from a similarity matrix: distance 1 − s, clamped at 0. */
CT_API int ct_mds_new_from_similarity(ct_mds **out, const double *sim, size_t n, size_t dims);

/** Landmark MDS (de Silva & Tenenbaum 2004) for n items too many for the n × n problem:
 * classical MDS (as ct_mds_new) of the L landmarks' distances among themselves, then every
 * item placed by distance-based triangulation, y(x) = −½ L♯ (δ_x − δ_μ), from its squared
 * distances δ_x to the landmarks (δ_μ: the landmarks' mean squared distances; L♯ the
 * pseudo-inverse of the landmarks' coordinates). dist is L × n row-major: row l holds
 * landmark l's distances to every item, landmarks[l] being its own item (the landmarks'
 * distances among themselves are read both ways and averaged). On the landmarks it gives
 * classical MDS's coordinates; eigenvalues and shares are the landmarks'. Each axis's sign
 * is fixed as ct_mds_new fixes it, over all n items. Memory O(L² + n·dims) beyond dist.
 * CT_EINVAL for L = 0, L > n, dims = 0, a landmark ≥ n or a negative or non-finite
 * distance; CT_ENUMERIC when GSL fails. */
CT_API int ct_mds_new_landmark(ct_mds **out, const double *dist, const size_t *landmarks, size_t L,
                               size_t n, size_t dims);

CT_API void ct_mds_free(ct_mds *m);

CT_API size_t ct_mds_size(const ct_mds *m);
CT_API size_t ct_mds_dims(const ct_mds *m);
/** Coordinates, n × dims row-major (borrowed). */
CT_API const double *ct_mds_coords(const ct_mds *m);
/** The eigenvalue of axis a (0-based), and its share of the positive eigenvalues' sum. */
CT_API double ct_mds_eigenvalue(const ct_mds *m, size_t axis);
CT_API double ct_mds_variance_share(const ct_mds *m, size_t axis);

#ifdef __cplusplus
}
#endif
#endif
