/* dist_themes.c — themes across ranks (dist.h: ct_dist_themes): each rank ranks its own
 * rows with ct_themes_compute_part (analysis/themes_impl.h), given what the whole corpus
 * contributes to them, so that no rank holds more than its rows, the rows of its rows'
 * neighbours and a few arrays over the vocabulary.
 *
 * - column sums and document frequencies: MPI reductions (sums of integer counts, exact in
 *   any order, so equal to one process's);
 * - neighbours: the themes weighting's nearest rows around the ring of similarity blocks
 *   (ct_dist_themes_nearest, the sums in one process's order), then the neighbours' count
 *   rows fetched from the ranks holding them (one all-to-all of row numbers, one of rows;
 *   each distinct row once);
 * - the past of each row (with times): every rank learns the corpus's distinct times, so
 *   every rank knows which pasts (prefixes of the times in order) some row needs; the column
 *   sums of the rows between two such prefixes are reduced once, in time order, into a
 *   running sum, from which each rank copies the counts of its rows' scored terms when
 *   their prefix is reached. The sums run over the terms some rank scores (counted
 *   --min-count times or more in a dated row: a reduced mark a term), a fraction of the
 *   vocabulary: one reduction of them a distinct past, never a matrix of years by terms.
 * With --group-by the rows are this rank's block of groups (dist_group.c: their sums and
 * dispersion over documents on any rank), and the same steps run on them. */
#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "dist.h"
#include "matrix_impl.h"
#include "sort.h"
#include "themes_impl.h"

#define SLICE ((size_t)1 << 26) /* MPI counts are ints: long arrays go in pieces */

static void allreduce_sum(void *buf, size_t n, MPI_Datatype type, size_t size)
{
    for (size_t at = 0; at < n; at += SLICE) {
        size_t k = n - at < SLICE ? n - at : SLICE;
        MPI_Allreduce(MPI_IN_PLACE, (char *)buf + at * size, (int)k, type, MPI_SUM, MPI_COMM_WORLD);
    }
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The rows near[] names (global row numbers), fetched from the ranks holding them into *nb
 * (each distinct row once, in row order); near[] renumbered to rows of *nb. */
static int fetch_rows(ct_matrix **nb, const ct_matrix *counts, size_t first, size_t *near,
                      size_t n_entries)
{
    int P = ct_dist_size();
    unsigned long long mine[2] = {first, counts->rows},
                       *span = ct_malloc(2 * (size_t)P * sizeof *span);
    size_t *want = ct_malloc((n_entries ? n_entries : 1) * sizeof *want);
    int *scount = ct_calloc((size_t)P, sizeof *scount),
        *rcount = ct_malloc((size_t)P * sizeof *rcount);
    int *sdisp = ct_malloc((size_t)P * sizeof *sdisp),
        *rdisp = ct_malloc((size_t)P * sizeof *rdisp);
    if (!span || !want || !scount || !rcount || !sdisp || !rdisp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(mine, 2, MPI_UNSIGNED_LONG_LONG, span, 2, MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
    memcpy(want, near, n_entries * sizeof *want);
    ct_sort(want, n_entries, sizeof *want, by_size);
    size_t nw = 0;
    for (size_t i = 0; i < n_entries; i++)
        if (nw == 0 || want[nw - 1] != want[i])
            want[nw++] = want[i];
    for (size_t i = 0, r = 0; i < nw; i++) { /* owners in rank order = row order */
        while (!(want[i] >= span[2 * r] && want[i] < span[2 * r] + span[2 * r + 1]))
            r++;
        scount[r]++;
    }
    MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, MPI_COMM_WORLD);
    size_t ns = 0, nr = 0;
    for (int r = 0; r < P; r++) {
        sdisp[r] = (int)ns;
        rdisp[r] = (int)nr;
        ns += (size_t)scount[r];
        nr += (size_t)rcount[r];
    }
    unsigned long long *asked = ct_malloc((ns ? ns : 1) * sizeof *asked),
                       *given = ct_malloc((nr ? nr : 1) * sizeof *given);
    if (!asked || !given)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0; i < nw; i++)
        asked[i] = want[i];
    MPI_Alltoallv(asked, scount, sdisp, MPI_UNSIGNED_LONG_LONG, given, rcount, rdisp,
                  MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
    /* the rows asked of this rank: their sizes, then their columns and values */
    unsigned long long *len_out = ct_malloc((nr ? nr : 1) * sizeof *len_out),
                       *len_in = ct_malloc((ns ? ns : 1) * sizeof *len_in);
    int *vs = ct_calloc((size_t)P, sizeof *vs), *vr = ct_calloc((size_t)P, sizeof *vr);
    int *vsd = ct_malloc((size_t)P * sizeof *vsd), *vrd = ct_malloc((size_t)P * sizeof *vrd);
    if (!len_out || !len_in || !vs || !vr || !vsd || !vrd)
        MPI_Abort(MPI_COMM_WORLD, 1);
    size_t out_nnz = 0;
    for (int r = 0, i = 0; r < P; r++)
        for (int q = 0; q < rcount[r]; q++, i++) {
            size_t row = (size_t)given[i] - first;
            len_out[i] = counts->row_ptr[row + 1] - counts->row_ptr[row];
            vs[r] += (int)len_out[i];
            out_nnz += len_out[i];
        }
    MPI_Alltoallv(len_out, rcount, rdisp, MPI_UNSIGNED_LONG_LONG, len_in, scount, sdisp,
                  MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
    size_t in_nnz = 0;
    for (int r = 0, i = 0; r < P; r++)
        for (int q = 0; q < scount[r]; q++, i++) {
            vr[r] += (int)len_in[i];
            in_nnz += len_in[i];
        }
    for (int r = 0, a = 0, b = 0; r < P; r++) {
        vsd[r] = a;
        vrd[r] = b;
        a += vs[r];
        b += vr[r];
    }
    uint32_t *ocols = ct_malloc((out_nnz ? out_nnz : 1) * sizeof *ocols);
    double *ovals = ct_malloc((out_nnz ? out_nnz : 1) * sizeof *ovals);
    size_t *row_ptr = ct_malloc((nw + 1) * sizeof *row_ptr);
    uint32_t *cols = ct_malloc((in_nnz ? in_nnz : 1) * sizeof *cols);
    double *vals = ct_malloc((in_nnz ? in_nnz : 1) * sizeof *vals);
    const char **ids = ct_malloc((nw ? nw : 1) * sizeof *ids);
    if (!ocols || !ovals || !row_ptr || !cols || !vals || !ids)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0, at = 0; i < nr; i++) {
        size_t row = (size_t)given[i] - first, a = counts->row_ptr[row];
        memcpy(ocols + at, counts->cols + a, len_out[i] * sizeof *ocols);
        memcpy(ovals + at, counts->values + a, len_out[i] * sizeof *ovals);
        at += len_out[i];
    }
    MPI_Alltoallv(ocols, vs, vsd, MPI_UINT32_T, cols, vr, vrd, MPI_UINT32_T, MPI_COMM_WORLD);
    MPI_Alltoallv(ovals, vs, vsd, MPI_DOUBLE, vals, vr, vrd, MPI_DOUBLE, MPI_COMM_WORLD);
    row_ptr[0] = 0;
    for (size_t i = 0; i < nw; i++) {
        row_ptr[i + 1] = row_ptr[i] + (size_t)len_in[i];
        ids[i] = "";
    }
    for (size_t i = 0; i < n_entries; i++) { /* near[] as rows of *nb */
        size_t *at = bsearch(&near[i], want, nw, sizeof *want, by_size);
        near[i] = (size_t)(at - want);
    }
    int rc = ct_matrix_new(nb, nw, counts->vocab, row_ptr, cols, vals, ids);
    ct_free(ids);
    ct_free(span);
    ct_free(want);
    ct_free(scount);
    ct_free(rcount);
    ct_free(sdisp);
    ct_free(rdisp);
    ct_free(asked);
    ct_free(given);
    ct_free(len_out);
    ct_free(len_in);
    ct_free(vs);
    ct_free(vr);
    ct_free(vsd);
    ct_free(vrd);
    ct_free(ocols);
    ct_free(ovals);
    return rc;
}

/* The past of every local row with a time (see the file comment): w->past_tokens,
 * past_rows and past_counts (pointers into *store). */
static int gather_pasts(ct_themes_whole *w, double **tokens, size_t **prows, double ***counts,
                        double **store, const ct_matrix *m, const double *time, double years,
                        double min_count)
{
    int P = ct_dist_size();
    size_t n = m->rows, V = ct_matrix_cols(m), nnz = 0;
    for (size_t e = 0; e < m->row_ptr[n]; e++) /* the entries scored: counted min_count times */
        nnz += m->values[e] >= min_count;
    size_t *at_row = ct_malloc((n + 1) * sizeof *at_row); /* each row's first in *store */
    if (!at_row)
        MPI_Abort(MPI_COMM_WORLD, 1);
    at_row[0] = 0;
    for (size_t r = 0; r < n; r++) {
        at_row[r + 1] = at_row[r];
        for (size_t e = m->row_ptr[r]; e < m->row_ptr[r + 1]; e++)
            at_row[r + 1] += m->values[e] >= min_count;
    }
    /* the distinct finite times of the corpus, on every rank */
    double *mine = ct_malloc((n ? n : 1) * sizeof *mine);
    int *cnt = ct_malloc((size_t)P * sizeof *cnt), *disp = ct_malloc((size_t)P * sizeof *disp);
    if (!mine || !cnt || !disp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    size_t k = 0;
    for (size_t r = 0; r < n; r++)
        if (isfinite(time[r]))
            mine[k++] = time[r];
    ct_sort(mine, k, sizeof *mine, by_double);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || mine[u - 1] != mine[i])
            mine[u++] = mine[i];
    int mu = (int)u;
    MPI_Allgather(&mu, 1, MPI_INT, cnt, 1, MPI_INT, MPI_COMM_WORLD);
    size_t all = 0;
    for (int r = 0; r < P; r++) {
        disp[r] = (int)all;
        all += (size_t)cnt[r];
    }
    double *T = ct_malloc((all ? all : 1) * sizeof *T);
    if (!T)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgatherv(mine, mu, MPI_DOUBLE, T, cnt, disp, MPI_DOUBLE, MPI_COMM_WORLD);
    ct_sort(T, all, sizeof *T, by_double);
    size_t Y = 0;
    for (size_t i = 0; i < all; i++)
        if (Y == 0 || T[Y - 1] != T[i])
            T[Y++] = T[i];
    /* the past of time T[i]: the times T[0 .. cut[i]), those below T[i] - years (the test
     * of one process's pass: t < time - onset_years) */
    size_t *cut = ct_malloc((Y ? Y : 1) * sizeof *cut),
           *slot = ct_malloc((n ? n : 1) * sizeof *slot);
    *tokens = ct_calloc(n ? n : 1, sizeof **tokens);
    *prows = ct_calloc(n ? n : 1, sizeof **prows);
    *counts = ct_calloc(n ? n : 1, sizeof **counts);
    *store = ct_malloc((nnz ? nnz : 1) * sizeof **store);
    /* the past is summed only over the terms some rank scores (counted min_count times or
     * more in a row with a time): col[t] their index, U of them, then tokens and rows */
    unsigned char *used = ct_calloc(V ? V : 1, 1);
    uint32_t *col = ct_malloc((V ? V : 1) * sizeof *col);
    if (!cut || !slot || !*tokens || !*prows || !*counts || !*store || !used || !col)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t r = 0; r < n; r++)
        if (isfinite(time[r]))
            for (size_t e = m->row_ptr[r]; e < m->row_ptr[r + 1]; e++)
                if (m->values[e] >= min_count)
                    used[m->cols[e]] = 1;
    for (size_t at = 0; at < V; at += SLICE) {
        size_t k = V - at < SLICE ? V - at : SLICE;
        MPI_Allreduce(MPI_IN_PLACE, used + at, (int)k, MPI_UNSIGNED_CHAR, MPI_MAX, MPI_COMM_WORLD);
    }
    size_t U = 0;
    for (size_t t = 0; t < V; t++)
        col[t] = used[t] ? (uint32_t)U++ : UINT32_MAX;
    ct_free(used);
    double *past = ct_calloc(U + 2, sizeof *past), *slice = ct_calloc(U + 2, sizeof *slice);
    if (!past || !slice)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0, c = 0; i < Y; i++) {
        double limit = T[i] - years;
        while (c < Y && T[c] < limit)
            c++;
        cut[i] = c;
    }
    for (size_t r = 0; r < n; r++) { /* the slot of each row's time in T */
        slot[r] = SIZE_MAX;
        if (isfinite(time[r])) {
            double *at = bsearch(&time[r], T, Y, sizeof *T, by_double);
            slot[r] = (size_t)(at - T);
        }
    }
    /* the distinct cuts in order (cut is non-decreasing in i), each reduced once */
    for (size_t i = 0, done = 0; i < Y; i++) {
        size_t c = cut[i];
        if (c == 0 || c == done)
            continue;
        for (size_t r = 0; r < n; r++) /* this rank's rows of times T[done .. c) */
            if (slot[r] != SIZE_MAX && slot[r] >= done && slot[r] < c) {
                double size = 0;
                for (size_t e = m->row_ptr[r]; e < m->row_ptr[r + 1]; e++) {
                    if (col[m->cols[e]] != UINT32_MAX)
                        slice[col[m->cols[e]]] += m->values[e];
                    size += m->values[e];
                }
                slice[U] += size;
                slice[U + 1] += 1;
            }
        allreduce_sum(slice, U + 2, MPI_DOUBLE, sizeof *slice);
        for (size_t j = 0; j < U + 2; j++) {
            past[j] += slice[j];
            slice[j] = 0;
        }
        done = c;
        for (size_t r = 0; r < n; r++) /* the rows whose past this is */
            if (slot[r] != SIZE_MAX && cut[slot[r]] == c) {
                double *dst = *store + at_row[r];
                for (size_t e = m->row_ptr[r], k = 0; e < m->row_ptr[r + 1]; e++)
                    if (m->values[e] >= min_count)
                        dst[k++] = past[col[m->cols[e]]];
                (*counts)[r] = dst;
                (*tokens)[r] = past[U];
                (*prows)[r] = (size_t)past[U + 1];
            }
    }
    w->past_tokens = *tokens;
    w->past_rows = *prows;
    w->past_counts = (const double *const *)*counts;
    ct_free(mine);
    ct_free(cnt);
    ct_free(disp);
    ct_free(T);
    ct_free(cut);
    ct_free(slot);
    ct_free(at_row);
    ct_free(past);
    ct_free(slice);
    ct_free(col);
    return CT_OK;
}

int ct_dist_themes(ct_themes **out, const ct_matrix *counts, const ct_themes_options *o,
                   const ct_dist_groups *groups, ct_error *err)
{
    *out = NULL;
    size_t n = counts->rows, V = ct_matrix_cols(counts), first = 0, total = 0;
    ct_dist_row_span(n, &first, &total);
    double *colsum = NULL, *tokens = NULL, *store = NULL, **pcounts = NULL;
    uint32_t *df = NULL, *any_form = NULL;
    size_t *near = NULL, *n_near = NULL, *prows = NULL;
    ct_matrix *nb = NULL;
    int rc = ct_matrix_col_sums(counts, &colsum);
    if (rc == CT_OK)
        rc = ct_matrix_col_nonzero(counts, &df);
    if (rc == CT_OK) /* rows using a term in any form: its rows' share, added up */
        rc = themes_rows_in_any_form(counts, &any_form);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        goto done;
    allreduce_sum(colsum, V, MPI_DOUBLE, sizeof *colsum);
    allreduce_sum(df, V, MPI_UINT32_T, sizeof *df);
    allreduce_sum(any_form, V, MPI_UINT32_T, sizeof *any_form);
    ct_themes_whole whole = {.rows = total, .colsum = colsum, .df = df, .in_any_form = any_form};
    if (groups) { /* the rows are groups, their dispersion reduced by ct_dist_group */
        whole.members = groups->members;
        whole.g_at = groups->at;
        whole.g_docs = groups->docs;
        whole.g_fmax = groups->fmax;
        whole.g_ftop = groups->ftop;
        whole.g_abs_dev = groups->abs_dev;
    }
    size_t m = themes_neighbours_used(o, total);
    if (m) {
        near = ct_malloc((n ? n : 1) * m * sizeof *near);
        n_near = ct_calloc(n ? n : 1, sizeof *n_near);
        rc = near && n_near ? CT_OK : CT_ENOMEM;
        if ((rc = ct_dist_agree(rc, err)) != CT_OK ||
            (rc = ct_dist_themes_nearest(counts, df, total, m, near, n_near, err)) != CT_OK)
            goto done;
        /* the entries in use (n_near[r] ≤ m of each row), packed for the fetch, then back */
        size_t used = 0;
        for (size_t r = 0; r < n; r++)
            used += n_near[r];
        size_t *packed = ct_malloc((used ? used : 1) * sizeof *packed);
        if (!packed)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (size_t r = 0, at = 0; r < n; r++)
            for (size_t q = 0; q < n_near[r]; q++)
                packed[at++] = near[r * m + q];
        rc = fetch_rows(&nb, counts, first, packed, used);
        for (size_t r = 0, at = 0; r < n; r++)
            for (size_t q = 0; q < n_near[r]; q++)
                near[r * m + q] = packed[at++];
        ct_free(packed);
        if ((rc = ct_dist_agree(rc, err)) != CT_OK)
            goto done;
        whole.nb_rows = nb;
        whole.near = near;
        whole.n_near = n_near;
    }
    if (themes_onset_used(o, total))
        gather_pasts(&whole, &tokens, &prows, &pcounts, &store, counts, o->time, o->onset_years,
                     o->min_count);
    rc = ct_dist_agree(ct_themes_compute_part(out, counts, o, &whole), err);
done:
    if (rc != CT_OK) {
        ct_themes_free(*out);
        *out = NULL;
    }
    ct_free(colsum);
    ct_free(df);
    ct_free(any_form);
    ct_free(near);
    ct_free(n_near);
    ct_matrix_free(nb);
    ct_free(tokens);
    ct_free(prows);
    ct_free(pcounts);
    ct_free(store);
    return rc;
}
