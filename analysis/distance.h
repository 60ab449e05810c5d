/* distance.h — the similarity-to-distance conversion that clustering and multidimensional
 * scaling share (private to the library; defined in analysis/cluster.c). Both turn a cosine
 * similarity matrix into distances 1 − s, clamped at 0 so that rounding above 1 gives no
 * negative distance; Ward linkage wants the chord distance sqrt(2(1 − s)) instead. */
#ifndef CT_DISTANCE_H
#define CT_DISTANCE_H

#include <stddef.h>

/* A new row-major n×n matrix (free with ct_free) of max(0, 1 − s) for each similarity s,
 * or with chord sqrt(2 max(0, 1 − s)). A non-finite s gives a non-finite distance, for the
 * caller to reject. CT_ENOMEM when n×n doubles do not fit or cannot be allocated. */
int ct_distance_from_similarity(double **out, const double *sim, size_t n, int chord);

#endif
