/* themes_impl.h — themes of a part of the rows (private): what ct_themes_compute takes from
 * the whole matrix when it holds only some of its rows (a rank's share under mpirun,
 * src/dist/dist_themes.c).
 *
 * Every row's themes depend on the rest of the corpus only through the column sums and
 * document frequencies, the number of rows, the row's nearest rows (their count rows) and,
 * with times, the column sums of the rows before its period. A caller that holds a part of
 * the rows supplies these for its rows (ct_themes_whole), and ct_themes_compute_part ranks
 * them with the very code of ct_themes_compute, so the scores are those of one process bit
 * for bit as long as the inputs are: the sums are of integer counts (exact in any order),
 * and the neighbours are found with themes_nb_weight and the same sums (see themes.c). */
#ifndef CT_THEMES_IMPL_H
#define CT_THEMES_IMPL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "comptext/matrix.h"
#include "comptext/themes.h"

/** The weight of a count c of a term in df of n rows in the search for a row's nearest rows:
 * (1 + ln c) · (ln((1+n)/(1+df)) + 1); the rows' vectors are L2-normed, and the terms in
 * more than half of the rows (2·df > n) are left out of the dot products (not of the norms).
 * Two rows' similarity is Σ_t w_rt·w_ot, t ascending, over (norm_o · norm_r); a row's nearest
 * are those with a similarity > 0, best first, ties by row. */
static inline double themes_nb_weight(double c, double df, double n)
{
    return (1.0 + log(c)) * (log((1.0 + n) / (1.0 + df)) + 1.0);
}

/** How many nearest rows are left out of a row's reference in a matrix of `rows` rows
 * (0: none). */
size_t themes_neighbours_used(const ct_themes_options *o, size_t rows);
/** Whether rows are compared with their past (o->time given) in a matrix of `rows` rows. */
int themes_onset_used(const ct_themes_options *o, size_t rows);

/** In how many rows of m each term occurs in any form: counted itself, or inside a longer
 * term of the vocabulary (term_containment.c); *out has one entry a column, ct_free it. */
int themes_rows_in_any_form(const ct_matrix *m, uint32_t **out);

/** The whole matrix, as seen from a part of its rows. */
typedef struct ct_themes_whole {
    size_t rows;                 /**< rows of the whole matrix */
    const double *colsum;        /**< its column sums */
    const uint32_t *df;          /**< its document frequencies */
    const uint32_t *in_any_form; /**< its rows using each term in any form
                                      (themes_rows_in_any_form) */
    /** With themes_neighbours_used(o, rows) = m > 0: row r's nearest rows are
     * nb_rows' rows near[r·m + q], q < n_near[r], best first. */
    const ct_matrix *nb_rows;
    const size_t *near, *n_near;
    /** With themes_onset_used: row r's past (the rows of the whole matrix with a time
     * earlier than its own by more than onset_years): past_tokens[r] tokens in past_rows[r]
     * rows, and past_counts[r][i] the past's count of the i-th of row r's terms that it
     * counts o->min_count times or more, the only ones scored (NULL when the past has no
     * rows). */
    const double *past_tokens;
    const size_t *past_rows;
    const double *const *past_counts;
    /** Groups whose documents are held elsewhere (members non-NULL): row r is a group of
     * members[r] documents, and for the i-th of row r's entries counted o->min_count times
     * or more (the only ones scored), at g_at[r] + i, g_docs of them use the term, g_fmax is
     * the largest count of it in one of them and g_ftop that document's size (the first
     * such in corpus order), g_abs_dev the sum over them of Gries's DP terms
     * |v/f − s/S| − s/S (v of f the term's counts in the document and the group, s of S
     * their sizes), added in corpus order: the dispersion themes.c finds from the members'
     * rows. */
    const size_t *members, *g_at;
    const uint32_t *g_docs;
    const double *g_fmax, *g_ftop, *g_abs_dev;
} ct_themes_whole;

/** ct_themes_compute for the rows of m, a part of a whole matrix described by whole (same
 * vocabulary); o->time has m's rows' times. Groups come as whole->members and their
 * dispersion (o->grouping must be NULL: CT_EINVAL). */
int ct_themes_compute_part(ct_themes **out, const ct_matrix *m, const ct_themes_options *o,
                           const ct_themes_whole *whole);

#endif
