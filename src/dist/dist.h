/* dist.h — the MPI driver (private to the command): the same commands across the ranks of
 * `mpirun -np N comptext COMMAND …`, writing the bytes one process writes.
 *
 * Each rank reads its share of the corpus (dist_corpus.c), counts it, and the ranks merge
 * what must be global — the chrome model, the document ids (checked for duplicates), the
 * vocabulary (the union of the terms in byte order, so ids equal one process's), document
 * frequencies and term totals (dist_count.c); weighting is row-local; similarity travels
 * in blocks of prepared rows around a ring (dist_similarity.c). Each rank formats its own
 * rows; rank 0 writes them in rank order, which is corpus order (ct_dist_write).
 * Every function here is collective: all ranks call it, and all return the same status —
 * a failure on any rank is agreed on (ct_dist_agree) so that every rank stops with the
 * message of the failure one process would have met first. */
#ifndef CT_DIST_H
#define CT_DIST_H

#include <stdint.h>
#include <stdio.h>

#include "comptext/corpus.h"
#include "comptext/count.h"
#include "comptext/error.h"
#include "comptext/matrix.h"
#include "comptext/reuse.h"
#include "comptext/similarity.h"
#include "comptext/terms.h"
#include "comptext/tfidf.h"
#include "comptext/themes.h"
#include "comptext/tokenize.h"
#include "comptext/vocab.h"

/** Initialise MPI when the process was started by mpirun/srun (their environment says so);
 * returns 1 then, 0 for an ordinary run (MPI is not touched), -1 when MPI failed to start
 * (a message is printed). */
int ct_dist_start(int *argc, char ***argv);
/** Finalise MPI when ct_dist_start started it. */
void ct_dist_stop(void);
/** Whether MPI runs, this rank, the number of ranks (0, 0, 1 without MPI). */
int ct_dist_active(void);
int ct_dist_rank(void);
int ct_dist_size(void);

/** Agree on a status: returns the status of the failing rank whose failure comes first
 * (lowest key; key < 0: use the rank), with its error copied into err on every rank; CT_OK
 * when no rank failed. The ranks that come first wait without spinning. */
int ct_dist_agree_at(int rc, long key, ct_error *err);
/** ct_dist_agree_at with the rank as key: the lowest failing rank wins. */
int ct_dist_agree(int rc, ct_error *err);
/** The largest of the ranks' statuses (exit statuses), on every rank. */
int ct_dist_max_status(int status);
/** A barrier that waits by sleeping (1 ms at a time) rather than spinning: for ranks that
 * wait while rank 0 works alone, so that their waiting costs no CPU. */
void ct_dist_quiet_barrier(void);
/** Broadcast rank 0's status to every rank. */
int ct_dist_bcast_status(int status);

/** Load the one CORPUS argument: a folder is split by file index, a .jsonl file by byte
 * ranges at line starts; any other kind (a table, a single file, standard input) is read by
 * rank 0 alone (*split 0). Then the chrome model of the whole corpus is installed and the
 * ids are checked for duplicates across ranks. *first receives the corpus index of this
 * rank's first document, *total the size of the whole corpus. */
int ct_dist_load_corpus(ct_corpus **out, const char *path, const ct_read_options *opts,
                        size_t *first, size_t *total, int *split, ct_error *err);

/** The page chrome removed over the whole corpus: on rank 0, *docs documents of *n with
 * chrome, *lines lines and *chars characters in all, and the first (in corpus order) at most
 * max of them in ids/nl/nc (ids: ct_free each; *shown of them). Elsewhere zeros. */
typedef struct ct_dist_chrome {
    size_t docs, n, shown;
    unsigned long long lines, chars;
    char *ids[8];
    size_t nl[8], nc[8];
} ct_dist_chrome;
void ct_dist_chrome_summary(const ct_corpus *corpus, size_t max, ct_dist_chrome *out);

/** The documents in traditional or mixed script over the whole corpus (ct_corpus_script):
 * on rank 0, *docs of them, the first (in corpus order) at most max (≤ 10) in ids/trad/simp
 * (ids: ct_free each; *shown of them). Elsewhere zeros. */
typedef struct ct_dist_script {
    size_t docs, shown;
    char *ids[10];
    size_t trad[10], simp[10];
} ct_dist_script;
void ct_dist_script_summary(const ct_corpus *corpus, size_t max, ct_dist_script *out);

/** The metadata fields of the whole corpus in order of first appearance (the union of the
 * ranks' in rank order), on rank 0: their number, the names in *names (ct_free each and the
 * array); 0 and NULL elsewhere. Collective. */
size_t ct_dist_field_names(const ct_corpus *corpus, char ***names);

/** Count this rank's documents: rows in corpus order, columns the global vocabulary. */
int ct_dist_count(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                  const ct_count_options *opts, ct_error *err);
/** The totals over the whole corpus: every rank gets the global vocabulary; rank 0 alone
 * gets the totals (*totals NULL elsewhere). */
int ct_dist_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                   const ct_tokenizer *tok, const ct_count_options *opts, ct_error *err);
/** TF-IDF in place on this rank's rows of the count matrix, with the document frequencies,
 * totals and number of rows of the whole corpus (ct_tfidf_transform on one process). */
int ct_dist_tfidf(ct_matrix **m, const ct_tfidf_options *opts, ct_error *err);

/** Rows of the full similarity matrix for this rank's rows of w (whose entries are released
 * once prepared: w keeps its rows and ids, as ct_simmatrix_new_consume leaves it) (*S: local rows ×
 * N, with *N the whole number of rows), computed with blocks that travel around the ring. *ids
 * receives every row id in corpus order (ct_free the array and each; for the header). */
int ct_dist_simmatrix(double **S, size_t *N, char ***ids, ct_matrix *w, ct_sim_measure measure,
                      ct_error *err);
/** Each local row's k best other rows (score descending, then id in byte order): *nb gets
 * local rows × *k entries, with the neighbour's id in *nb_ids (ct_free each and the array). */
int ct_dist_neighbours(double **scores, char ***nb_ids, size_t *kk, ct_matrix *w, size_t k,
                       ct_sim_measure measure, ct_error *err);

/** The first corpus row of this rank's `rows` rows, and the rows of all ranks. */
void ct_dist_row_span(size_t rows, size_t *first, size_t *total);

/** themes' nearest rows (analysis/themes_impl.h) of this rank's count rows among the rows
 * of the whole corpus (total of them, with the corpus's document frequencies df): near[i·m +
 * q], q < n_near[i], the corpus row numbers of local row i's m nearest, best first, computed
 * around the ring (dist_similarity.c). */
int ct_dist_themes_nearest(const ct_matrix *counts, const uint32_t *df, size_t total, size_t m,
                           size_t *near, size_t *n_near, ct_error *err);
/** The groups of --group-by FIELD over the whole corpus (dist_group.c), dealt to the ranks
 * in contiguous blocks in group order (one process's: first appearance): rows, this rank's
 * block of groups, each the sum of its documents' count rows wherever they are (ids: the
 * names); members, each group's number of documents; and for each entry of rows counted
 * min_count times or more (the only ones themes scores) the dispersion it uses (themes_impl.h:
 * g_at, g_docs, g_fmax, g_ftop, g_abs_dev; abs_dev only for groups of two documents or more). */
typedef struct ct_dist_groups {
    ct_matrix *rows;
    size_t *members;
    size_t *at; /* row r's candidates (entries counted min_count times or more): at[r] .. */
    uint32_t *docs;
    double *fmax, *ftop, *abs_dev;
} ct_dist_groups;
/** Group this rank's documents (counts: their rows, in corpus order) by field: CT_ENOTFOUND
 * when no document of the corpus has the field, CT_EINPUT for the first document without a
 * value, with one process's messages (ct_grouping_new). */
int ct_dist_group(ct_dist_groups **out, const ct_corpus *corpus, const ct_matrix *counts,
                  const char *field, double min_count, ct_error *err);
void ct_dist_groups_free(ct_dist_groups *g);

/** ct_themes_compute for this rank's rows of the whole corpus's count matrix (dist_themes.c):
 * the same themes as one process's for these rows; o->time: this rank's rows' times. With
 * groups (o->grouping NULL), counts is groups->rows, ranked as one process ranks the groups
 * with their documents. */
int ct_dist_themes(ct_themes **out, const ct_matrix *counts, const ct_themes_options *o,
                   const ct_dist_groups *groups, ct_error *err);

/** reuse (comptext/reuse.h) over the whole corpus, each rank holding its share (dist_reuse.c).
 * opts->direction_field is the field in this rank's corpus (-1 when its documents have
 * none), directed whether --direction was given. On rank 0 *out receives the passages of one
 * process's ct_reuse_find, their documents numbered in *names (a corpus of the ids of the
 * documents in passages, in corpus order); elsewhere both NULL. *n_total: the size of the
 * whole corpus. */
int ct_dist_reuse(ct_reuse **out, ct_corpus **names, size_t *n_total, const ct_corpus *corpus,
                  const ct_reuse_options *opts, int directed, ct_error *err);

/** Term discovery (comptext/terms.h) over the whole corpus, each rank holding its share
 * (dist_terms.c): every rank gets the terms and statistics of one process's
 * ct_terms_discover — the same vocabulary, in byte order, and ct_terms_stats — and the rows
 * of its own documents in ct_terms_counts / ct_terms_doc_chars. The themes path calls this
 * where one process calls ct_terms_discover. */
int ct_dist_terms_discover(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *opts,
                           ct_error *err);

/** Send the ranks' outputs to rank 0 in rank order. Rank 0 passes its output f (its own
 * rows already written; src NULL) and appends every other rank's bytes; the others pass
 * f NULL and their rows in src (a file, read from its start; NULL: nothing), dropping its
 * first line when skip_line is set (a header). Returns CT_OK, or CT_EIO on rank 0 when
 * writing f failed (it still receives everything, so no sender blocks). */
int ct_dist_write_file(FILE *f, FILE *src, int skip_line);

#endif
