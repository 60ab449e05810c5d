/* tfidf_impl.h — TF-IDF with statistics of a larger corpus (private; for the MPI driver).
 *
 * Under mpirun each rank holds some rows of the count matrix; pruning and idf need the
 * number of rows, document frequencies and term totals of the whole corpus, which the
 * driver (src/dist) adds up across ranks. Given them, every rank's rows are weighted with
 * the very operations ct_tfidf_transform applies on one process. */
#ifndef CT_TFIDF_IMPL_H
#define CT_TFIDF_IMPL_H

#include <stdint.h>
#include "comptext/tfidf.h"

/** ct_tfidf_transform on *m (some rows of a corpus of n rows) with the corpus's document
 * frequencies df and, when opts->max_features is set, its column totals tfs (else NULL),
 * both over the columns of *m. Errors as ct_tfidf_transform. */
int ct_tfidf_transform_global(ct_matrix **m, size_t n, const uint32_t *df, const double *tfs,
                              const ct_tfidf_options *opts, ct_error *err);

#endif
