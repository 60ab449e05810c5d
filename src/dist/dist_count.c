/* dist_count.c — counting across ranks: the global vocabulary, the totals for ngrams, and
 * TF-IDF with the whole corpus's statistics (dist.h).
 *
 * Each rank counts its documents with the ordinary threaded counter (its own vocabulary,
 * sorted in byte order). The sorted term lists of all ranks are gathered on every rank and
 * merged, dropping repeats, into the global vocabulary — the union in byte order, which is
 * the vocabulary one process builds, so term ids (and every tie broken by them) are the
 * same. Each rank renumbers its columns (the map is increasing, so rows stay sorted).
 * Totals and document frequencies are then arrays over the global vocabulary added up by
 * MPI reductions; counts are integers, so the sums are exact whatever their order. Memory
 * per rank: its rows plus the vocabulary (the gathered lists, then the merged one). */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "dist.h"
#include "matrix_impl.h"
#include "tfidf_impl.h"
#include "vocab_impl.h"

/* MPI counts are ints: reductions of long arrays go in pieces. */
#define SLICE ((size_t)1 << 26)

/* Merge the ranks' vocabularies: *global on every rank, *remap (ct_malloc) this rank's
 * local id → global id. Collective; failures only for memory (then the job ends). */
static void merge_vocab(const ct_vocab *local, ct_vocab **global, uint32_t **remap)
{
    int P = ct_dist_size(), rank = ct_dist_rank();
    size_t bytes = local->offset[local->n];
    if (bytes > INT32_MAX) {
        fprintf(stderr, "comptext: a rank's vocabulary exceeds 2 GB; use more ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    int mine = (int)bytes, *counts = ct_malloc((size_t)P * sizeof *counts),
        *disp = ct_malloc((size_t)P * sizeof *disp);
    if (!counts || !disp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(&mine, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < P; r++) {
        disp[r] = (int)total;
        total += (size_t)counts[r];
    }
    if (total > INT32_MAX) { /* displacements are ints too */
        fprintf(stderr, "comptext: the gathered vocabularies exceed 2 GB\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    char *all = ct_malloc(total ? total : 1);
    if (!all)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgatherv(local->arena, mine, MPI_BYTE, all, counts, disp, MPI_BYTE, MPI_COMM_WORLD);
    /* k-way merge: head[r] is the next term of rank r's list, in [disp, disp+counts) */
    size_t *head = ct_malloc((size_t)P * sizeof *head), *end = ct_malloc((size_t)P * sizeof *end);
    char *arena = ct_malloc(total ? total : 1);
    size_t cap = 1024, n = 0, at = 0, own = 0;
    size_t *offset = ct_malloc(cap * sizeof *offset);
    uint32_t *map = ct_malloc((local->n ? local->n : 1) * sizeof *map);
    if (!head || !end || !arena || !offset || !map)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (int r = 0; r < P; r++) {
        head[r] = (size_t)disp[r];
        end[r] = (size_t)disp[r] + (size_t)counts[r];
    }
    for (;;) {
        int best = -1;
        for (int r = 0; r < P; r++)
            if (head[r] < end[r] && (best < 0 || strcmp(all + head[r], all + head[best]) < 0))
                best = r;
        if (best < 0)
            break;
        const char *t = all + head[best];
        size_t len = strlen(t) + 1;
        if (n + 2 > cap) {
            cap *= 2;
            size_t *o = ct_reallocarray(offset, cap, sizeof *o);
            if (!o)
                MPI_Abort(MPI_COMM_WORLD, 1);
            offset = o;
        }
        offset[n] = at;
        memcpy(arena + at, t, len);
        at += len;
        for (int r = 0; r < P; r++)
            if (r != best && head[r] < end[r] && strcmp(all + head[r], arena + offset[n]) == 0) {
                if (r == rank)
                    map[own++] = (uint32_t)n;
                head[r] += len;
            }
        if (best == rank)
            map[own++] = (uint32_t)n;
        head[best] += len;
        n++;
    }
    offset[n] = at;
    ct_free(all);
    ct_free(head);
    ct_free(end);
    ct_free(counts);
    ct_free(disp);
    if (n > UINT32_MAX || ct_vocab_adopt(global, arena, offset, n) != CT_OK)
        MPI_Abort(MPI_COMM_WORLD, 1);
    *remap = map;
}

/* m's columns renumbered to the global vocabulary, in place (the map is increasing, so
 * each row's columns stay ascending); m takes a reference to global. */
static void renumber(ct_matrix *m, ct_vocab *global, const uint32_t *map)
{
    size_t nnz = m->row_ptr[m->rows];
    for (size_t k = 0; k < nnz; k++)
        m->cols[k] = map[m->cols[k]];
    ct_vocab_unref(m->vocab);
    m->vocab = ct_vocab_ref(global);
}

/* 1 when this rank has no documents but others have: it counts nothing (the counter
 * refuses an empty corpus, which is right only when the whole corpus is empty). */
static int idle_rank(const ct_corpus *corpus)
{
    unsigned long long mine = ct_corpus_size(corpus), all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return mine == 0 && all > 0;
}

/* An empty vocabulary, or an empty matrix over it (an idle rank's counts). */
static int empty_counts(ct_matrix **m, ct_vocab **v)
{
    ct_vocab *voc;
    int rc = ct_vocab_from_terms(&voc, NULL, NULL, 0);
    if (rc != CT_OK)
        return rc;
    if (v) {
        *v = voc;
        return CT_OK;
    }
    size_t *row_ptr = ct_calloc(1, sizeof *row_ptr);
    uint32_t *cols = ct_malloc(sizeof *cols);
    double *values = ct_malloc(sizeof *values);
    rc = row_ptr && cols && values ? ct_matrix_new(m, 0, voc, row_ptr, cols, values, NULL)
                                   : CT_ENOMEM;
    if (!(row_ptr && cols && values)) {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(values);
    }
    ct_vocab_unref(voc);
    return rc;
}

int ct_dist_count(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                  const ct_count_options *opts, ct_error *err)
{
    *out = NULL;
    ct_matrix *local = NULL;
    int rc = idle_rank(corpus) ? empty_counts(&local, NULL)
                               : ct_count_corpus(&local, corpus, tok, opts, err);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_matrix_free(local);
        return rc;
    }
    ct_vocab *global;
    uint32_t *map;
    merge_vocab(local->vocab, &global, &map);
    renumber(local, global, map);
    ct_vocab_unref(global); /* the matrix holds its reference */
    ct_free(map);
    *out = local;
    return CT_OK;
}

int ct_dist_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                   const ct_tokenizer *tok, const ct_count_options *opts, ct_error *err)
{
    *vocab = NULL;
    *totals = NULL;
    ct_vocab *local = NULL;
    uint64_t *mine = NULL;
    int rc = idle_rank(corpus) ? empty_counts(NULL, &local)
                               : ct_count_totals(&local, &mine, corpus, tok, opts, err);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_vocab_unref(local);
        ct_free(mine);
        return rc;
    }
    ct_vocab *global;
    uint32_t *map;
    merge_vocab(local, &global, &map);
    size_t V = global->n;
    uint64_t *spread = ct_calloc(V ? V : 1, sizeof *spread);
    uint64_t *sum = ct_dist_rank() == 0 ? ct_malloc((V ? V : 1) * sizeof *sum) : NULL;
    if (!spread || (ct_dist_rank() == 0 && !sum))
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t i = 0; i < local->n; i++)
        spread[map[i]] = mine[i];
    for (size_t at = 0; at < V; at += SLICE) {
        size_t k = V - at < SLICE ? V - at : SLICE;
        MPI_Reduce(spread + at, sum ? sum + at : NULL, (int)k, MPI_UINT64_T, MPI_SUM, 0,
                   MPI_COMM_WORLD);
    }
    ct_free(spread);
    ct_free(map);
    ct_free(mine);
    ct_vocab_unref(local);
    *vocab = global;
    *totals = sum;
    return CT_OK;
}

int ct_dist_tfidf(ct_matrix **m, const ct_tfidf_options *opts, ct_error *err)
{
    size_t V = ct_matrix_cols(*m);
    unsigned long long rows = ct_matrix_rows(*m), n = 0;
    MPI_Allreduce(&rows, &n, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    uint32_t *df = NULL;
    double *tfs = NULL;
    int rc = ct_matrix_col_nonzero(*m, &df);
    if (rc == CT_OK && opts->max_features)
        rc = ct_matrix_col_sums(*m, &tfs);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_free(df);
        ct_free(tfs);
        return rc;
    }
    for (size_t at = 0; at < V; at += SLICE) {
        size_t k = V - at < SLICE ? V - at : SLICE;
        MPI_Allreduce(MPI_IN_PLACE, df + at, (int)k, MPI_UINT32_T, MPI_SUM, MPI_COMM_WORLD);
        if (tfs)
            MPI_Allreduce(MPI_IN_PLACE, tfs + at, (int)k, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    }
    /* the same statistics on every rank: pruning and its errors agree by construction */
    rc = ct_tfidf_transform_global(m, (size_t)n, df, tfs, opts, err);
    ct_free(df);
    ct_free(tfs);
    return ct_dist_agree(rc, err);
}
