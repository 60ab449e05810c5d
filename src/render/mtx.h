/* mtx.h — a matrix as Matrix Market coordinate plus its row and column tables (private; see
 * mtx.c): `comptext tf|tfidf --format mtx -o X.mtx` writes X.mtx, X.rows.tsv, X.cols.tsv. */
#ifndef CT_MTX_H
#define CT_MTX_H

#include <stdint.h>
#include <stdio.h>

#include "comptext/corpus.h"
#include "comptext/group.h"
#include "comptext/matrix.h"
#include "table.h"

/** The non-zero entries of m in Matrix Market coordinate format ("integer" when integer is
 * set and every value is whole, else "real" with %.17g), 1-based, rows in order, columns
 * ascending; comment: one line written after the banner as "% comment" (may be NULL; must
 * hold no newline). */
int ct_mtx_write(FILE *f, const ct_matrix *m, int integer, const char *comment);
/** Every row of m — documents of corpus, or the groups of g when g is not NULL — as a table:
 * row (1-based, the matrix's row number), id, source (groups: n_members and members joined
 * by '|'), n_terms (non-zero entries), then one column a metadata field of the corpus (a
 * group's value only when all its members share it; empty when missing). */
int ct_mtx_write_rows(FILE *f, ct_table_format fmt, const ct_matrix *m, const ct_corpus *corpus,
                      const ct_grouping *g);
/** Every column: col (1-based), term, df (rows with a non-zero entry), and idf when idf is not
 * NULL. */
int ct_mtx_write_cols(FILE *f, ct_table_format fmt, const ct_vocab *v, const uint32_t *df,
                      const double *idf);

#endif
