/* cli_dist.h — the command's side of MPI (cli_dist.c): which rank this is, refusing what is
 * not distributed, and writing the ranks' rows in order. Without MPI (or outside mpirun)
 * there is one rank and every call is the ordinary single-process path. */
#ifndef CT_CLI_DIST_H
#define CT_CLI_DIST_H

#include "cli.h"
#include "comptext/terms.h"

struct ct_dist_groups; /* dist.h (MPI builds) */

/** 1 when MPI runs (started by mpirun/srun with an MPI build). */
int cli_dist_on(void);
int cli_dist_rank(void);
int cli_dist_size(void);

/** Under mpirun with more than one rank: a usage error (exit 2, printed once) for what
 * the distributed path does not do — several CORPUS arguments, --group-by, a --format given
 * in formats_refused ("json|mtx"). CLI_OK otherwise. */
int cli_dist_check(const cli_opts *o, const char *formats_refused);
/** The command is not distributed: refuse under mpirun with more than one rank. */
int cli_dist_refuse(const char *command);

/** Write a result that each rank formats for its own rows, in rank order (= corpus order):
 * rank 0 calls write into the output, the others into a temporary file sent to rank 0 in
 * pieces (write NULL: this rank has nothing to write); the first line of ranks other than 0
 * is dropped when header is set (a fixed header line). Rank 0 writes
 * to -o as cli_write_output does. Returns the same status on every rank. */
int cli_dist_output(const cli_opts *o, int (*write)(void *ctx, FILE *f), void *ctx, int header,
                    ct_error *err);
/** Load this rank's share of the one CORPUS (ct_dist_load_corpus); the same status on every
 * rank, err the first failure. */
int cli_dist_load(const char *path, const ct_read_options *read, ct_corpus **corpus, ct_error *err);
/** The distributed steps (dist.h): counting this rank's rows over the global vocabulary,
 * the corpus totals (on rank 0), TF-IDF with the corpus's statistics. */
int cli_dist_count(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                   const ct_count_options *copts, ct_error *err);
int cli_dist_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                    const ct_tokenizer *tok, const ct_count_options *copts, ct_error *err);
int cli_dist_tfidf(ct_matrix **m, const ct_tfidf_options *t, ct_error *err);
/** Term discovery: ct_dist_terms_discover under mpirun (every rank the same terms and
 * statistics, its own rows), ct_terms_discover otherwise. */
int cli_dist_terms(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *topts,
                   ct_error *err);
/** similarity under mpirun: the full matrix (CSV) or --top K (tsv or csv) of w's rows,
 * computed around the ring and written in corpus order. Returns the same status on every
 * rank (err: the first failure). */
int cli_dist_similarity(const cli_opts *o, ct_matrix *w, long top, ct_sim_measure measure,
                        const char *format, ct_error *err);
/** reuse under mpirun (ct_dist_reuse): on rank 0 the passages, numbered in *names (the ids
 * of their documents); *n_total the size of the whole corpus. The same status on every rank. */
int cli_dist_reuse(ct_reuse **out, ct_corpus **names, size_t *n_total, const ct_corpus *corpus,
                   const ct_reuse_options *opts, int directed, ct_error *err);
/** themes of this rank's rows of the corpus's counts under mpirun (ct_dist_themes), or
 * ct_themes_compute as one process. The same status on every rank. */
int cli_dist_themes(ct_themes **out, const ct_matrix *counts, const ct_themes_options *o,
                    const struct ct_dist_groups *groups, ct_error *err);
/** Under mpirun: the groups of --group-by field over the whole corpus, this rank's block of
 * them (ct_dist_group, the dispersion of the terms counted min_count times; *rows borrowed from
 * *out; free with cli_dist_groups_free), for cli_dist_themes. CT_ENOTFOUND / CT_EINPUT as
 * ct_grouping_new; CT_EINVAL without MPI. */
int cli_dist_group(struct ct_dist_groups **out, const ct_matrix **rows, const ct_corpus *corpus,
                   const ct_matrix *counts, const char *field, double min_count, ct_error *err);
void cli_dist_groups_free(struct ct_dist_groups *g);
/** The corpus row of this rank's first of `rows` rows, and the rows of all ranks (0 and rows
 * as one process). Collective. */
void cli_dist_rows(size_t rows, size_t *first, size_t *total);
/** The metadata fields of the whole corpus, in order of first appearance: under mpirun on
 * rank 0 (0 and NULL elsewhere), else the corpus's; ct_free each name and the array.
 * Collective. */
size_t cli_dist_field_names(const ct_corpus *corpus, char ***names);
/** cli_chrome_summary's note for the whole corpus under several ranks (rank 0 prints it).
 * Collective. */
void cli_dist_chrome_summary(const cli_opts *o, const ct_corpus *corpus, size_t shown);
/** The documents in traditional or mixed script over all ranks: rank 0 calls note for the
 * first max in corpus order, and gets their number in *docs (elsewhere 0). Collective. */
void cli_dist_script_notes(const ct_corpus *corpus, size_t max, size_t *docs,
                           void (*note)(const cli_opts *, const char *, size_t, size_t),
                           const cli_opts *o);
/** Agree on a library status: the lowest failing rank's, with its error, on every rank
 * (rc as it is without MPI). */
int cli_dist_agree(int rc, ct_error *err);
/** The largest of the ranks' exit statuses, on every rank. */
int cli_dist_agree_status(int status);
/** Agree on a status from rank 0 (every rank returns it). */
int cli_dist_status(int status);

#endif
