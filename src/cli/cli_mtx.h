/* cli_mtx.h — `--format mtx -o X.mtx` for tf and tfidf (cli_mtx.c): the matrix in X.mtx, its
 * rows in X.rows.tsv and its columns in X.cols.tsv, all three written or none. */
#ifndef CT_CLI_MTX_H
#define CT_CLI_MTX_H

#include "cli_matrix.h"

/* Usage checks of tf and tfidf before the work: --format mtx needs -o, and under mpirun
 * cli_dist_check refusing json and mtx (one process writes them). CLI_OK or CLI_USAGE after
 * a message. */
int cli_mtx_check(const cli_opts *o);
/* Write m (rows as c's documents or groups) with the columns' df and, when not NULL, idf.
 * integer: counts (Matrix Market "integer"). parameters: recorded in a comment line of
 * X.mtx (borrowed; may be NULL). Returns CT_OK or a status with err filled. */
int cli_write_mtx(const cli_opts *o, const cli_counted *c, const ct_matrix *m, const uint32_t *df,
                  const double *idf, int integer, json_t *parameters, ct_error *err);

#endif
