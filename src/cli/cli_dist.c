/* cli_dist.c — the command's side of MPI (cli_dist.h). With CT_HAVE_MPI it calls the dist
 * layer (src/dist); without it there is one rank and the calls are no-ops, so the commands
 * have one code path. Rank 0 alone prints errors and writes the output; the other ranks
 * send their formatted rows to it (ct_dist_write). */
#include <stdlib.h>
#include <string.h>

#include "ct_config.h"
#include "cli_dist.h"
#include "output.h"
#include "table.h"
#if CT_HAVE_MPI
#include "dist.h"
#endif

/* The step in the dist layer under mpirun, else the one-process call: without MPI the dist
 * call is not compiled at all. */
#if CT_HAVE_MPI
#define DIST_OR_LOCAL(dist_call, local_call) (cli_dist_on() ? (dist_call) : (local_call))
#else
#define DIST_OR_LOCAL(dist_call, local_call) (local_call)
#endif

int cli_dist_on(void)
{
#if CT_HAVE_MPI
    return ct_dist_active();
#else
    return 0;
#endif
}

int cli_dist_rank(void)
{
#if CT_HAVE_MPI
    return ct_dist_rank();
#else
    return 0;
#endif
}

int cli_dist_size(void)
{
#if CT_HAVE_MPI
    return ct_dist_size();
#else
    return 1;
#endif
}

int cli_dist_check(const cli_opts *o, const char *formats_refused)
{
    if (cli_dist_size() < 2)
        return CLI_OK;
    if (o->n_corpus > 1)
        return cli_usage_error(o,
                               "under mpirun (%d ranks) give one CORPUS (a folder or a "
                               ".jsonl file); several are read only by one process",
                               cli_dist_size());
    if (o->group_by)
        return cli_usage_error(o, "--group-by is not distributed: run it as one process "
                                  "(without mpirun, or mpirun -np 1)");
    const char *f = o->format;
    if (f && formats_refused) {
        size_t n = strlen(f);
        for (const char *p = formats_refused; *p;) {
            const char *bar = strchr(p, '|');
            size_t k = bar ? (size_t)(bar - p) : strlen(p);
            if (k == n && strncmp(p, f, n) == 0)
                return cli_usage_error(o,
                                       "--format %s is not distributed: use the default table "
                                       "format, or run as one process",
                                       f);
            p += k + (bar != NULL);
        }
    }
    return CLI_OK;
}

int cli_dist_refuse(const char *command)
{
    if (cli_dist_size() < 2)
        return CLI_OK;
    if (cli_dist_rank() == 0)
        fprintf(stderr,
                "comptext %s: not distributed under mpirun (%d ranks): run it as one process "
                "(without mpirun, or mpirun -np 1); ngrams, tf, tfidf, similarity, reuse, terms "
                "and themes split the work\n",
                command, cli_dist_size());
    return CLI_USAGE;
}

int cli_dist_status(int status)
{
    return DIST_OR_LOCAL(ct_dist_bcast_status(status), status);
}

int cli_dist_load(const char *path, const ct_read_options *read, ct_corpus **corpus, ct_error *err)
{
#if CT_HAVE_MPI
    size_t first, total;
    int split;
    int rc = ct_dist_load_corpus(corpus, path, read, &first, &total, &split, err);
    if (rc == CT_OK && !split && cli_dist_size() > 1 && cli_dist_rank() == 0)
        fprintf(stderr,
                "comptext: note: %s is not split across the ranks (folders, JSON Lines files "
                "and tables are): rank 0 reads all of it\n",
                path);
    return rc;
#else
    (void)path;
    (void)read;
    (void)corpus;
    (void)err;
    return CT_EINVAL;
#endif
}

int cli_dist_count(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                   const ct_count_options *copts, ct_error *err)
{
    return DIST_OR_LOCAL(ct_dist_count(out, corpus, tok, copts, err),
                         ct_count_corpus(out, corpus, tok, copts, err));
}

int cli_dist_terms(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *topts,
                   ct_error *err)
{
    return DIST_OR_LOCAL(ct_dist_terms_discover(out, corpus, topts, err),
                         ct_terms_discover(out, corpus, topts, err));
}

int cli_dist_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                    const ct_tokenizer *tok, const ct_count_options *copts, ct_error *err)
{
    return DIST_OR_LOCAL(ct_dist_totals(vocab, totals, corpus, tok, copts, err),
                         ct_count_totals(vocab, totals, corpus, tok, copts, err));
}

int cli_dist_tfidf(ct_matrix **m, const ct_tfidf_options *t, ct_error *err)
{
    return DIST_OR_LOCAL(ct_dist_tfidf(m, t, err), ct_tfidf_transform(m, NULL, t, err));
}

int cli_dist_themes(ct_themes **out, const ct_matrix *counts, const ct_themes_options *o,
                    const struct ct_dist_groups *groups, ct_error *err)
{
    (void)err;
    (void)groups;
    if (o->grouping) /* grouped by one process (or one rank, which holds every document) */
        return ct_themes_compute(out, counts, o);
    return DIST_OR_LOCAL(ct_dist_themes(out, counts, o, groups, err),
                         ct_themes_compute(out, counts, o));
}

int cli_dist_group(struct ct_dist_groups **out, const ct_matrix **rows, const ct_corpus *corpus,
                   const ct_matrix *counts, const char *field, double min_count, ct_error *err)
{
    *out = NULL;
    *rows = NULL;
#if CT_HAVE_MPI
    int rc = ct_dist_group(out, corpus, counts, field, min_count, err);
    if (rc == CT_OK)
        *rows = (*out)->rows;
    return rc;
#else
    (void)corpus;
    (void)counts;
    (void)field;
    (void)min_count;
    (void)err;
    return CT_EINVAL;
#endif
}

void cli_dist_groups_free(struct ct_dist_groups *g)
{
#if CT_HAVE_MPI
    ct_dist_groups_free(g);
#else
    (void)g;
#endif
}

void cli_dist_rows(size_t rows, size_t *first, size_t *total)
{
    *first = 0;
    *total = rows;
#if CT_HAVE_MPI
    if (cli_dist_on())
        ct_dist_row_span(rows, first, total);
#endif
}

size_t cli_dist_field_names(const ct_corpus *corpus, char ***names)
{
#if CT_HAVE_MPI
    if (cli_dist_on())
        return ct_dist_field_names(corpus, names);
#endif
    size_t n = ct_corpus_field_count(corpus);
    *names = ct_calloc(n ? n : 1, sizeof **names);
    for (size_t i = 0; *names && i < n; i++)
        (*names)[i] = ct_strdup(ct_corpus_field_name(corpus, i));
    return *names ? n : 0;
}

void cli_dist_chrome_summary(const cli_opts *o, const ct_corpus *corpus, size_t shown)
{
#if CT_HAVE_MPI
    ct_dist_chrome c;
    ct_dist_chrome_summary(corpus, shown, &c);
    if (cli_dist_rank() == 0 && c.docs) {
        fprintf(stderr,
                "comptext %s: note: page chrome removed from %zu of %zu document%s, %llu "
                "line%s, %llu characters (lines/characters: ",
                o->command, c.docs, c.n, c.n == 1 ? "" : "s", c.lines, c.lines == 1 ? "" : "s",
                c.chars);
        for (size_t i = 0; i < c.shown; i++)
            fprintf(stderr, "%s%s: %zu/%zu", i ? "; " : "", c.ids[i] ? c.ids[i] : "?", c.nl[i],
                    c.nc[i]);
        fprintf(stderr, "%s); 'comptext chrome' lists the lines, --keep-chrome keeps them\n",
                c.docs > shown ? "; ..." : "");
    }
    for (size_t i = 0; i < c.shown; i++)
        ct_free(c.ids[i]);
#else
    (void)o;
    (void)corpus;
    (void)shown;
#endif
}

void cli_dist_script_notes(const ct_corpus *corpus, size_t max, size_t *docs,
                           void (*note)(const cli_opts *, const char *, size_t, size_t),
                           const cli_opts *o)
{
    *docs = 0;
#if CT_HAVE_MPI
    ct_dist_script s;
    ct_dist_script_summary(corpus, max, &s);
    for (size_t i = 0; i < s.shown; i++) {
        note(o, s.ids[i] ? s.ids[i] : "?", s.trad[i], s.simp[i]);
        ct_free(s.ids[i]);
    }
    *docs = s.docs;
#else
    (void)corpus;
    (void)max;
    (void)note;
    (void)o;
#endif
}

int cli_dist_agree(int rc, ct_error *err)
{
    (void)err;
    return DIST_OR_LOCAL(ct_dist_agree(rc, err), rc);
}

int cli_dist_agree_status(int status)
{
    return DIST_OR_LOCAL(ct_dist_max_status(status), status);
}

#if CT_HAVE_MPI
/* Rank 0's writer: its own rows straight into the output, then — once every rank has
 * formatted its rows without failing — the other ranks' rows, in rank order. */
typedef struct gather {
    int (*write)(void *ctx, FILE *f);
    void *ctx;
    ct_error *err;
    int agreed; /* the ranks agreed on their formatting (the output was opened) */
} gather;

static int write_gathered(void *ctx, FILE *f)
{
    gather *g = ctx;
    int rc = g->write ? g->write(g->ctx, f) : CT_OK;
    g->agreed = 1;
    ct_dist_quiet_barrier(); /* the others wait for rank 0's rows without spinning */
    if ((rc = ct_dist_agree(rc, g->err)) != CT_OK)
        return rc;
    return ct_dist_write_file(f, NULL, 0);
}
#endif

int cli_dist_output(const cli_opts *o, int (*write)(void *ctx, FILE *f), void *ctx, int header,
                    ct_error *err)
{
#if CT_HAVE_MPI
    if (cli_dist_on()) {
        int rc = CT_OK;
        if (cli_dist_rank() == 0) {
            gather g = {write, ctx, err, 0};
            rc = cli_write_output(o, write_gathered, &g, err);
            if (!g.agreed) { /* the output could not be opened: the others stop too */
                ct_dist_quiet_barrier();
                ct_dist_agree(rc, err);
            }
        } else {
            /* this rank's rows go through a temporary file, not memory */
            FILE *tmp = write ? tmpfile() : NULL;
            if (write)
                rc = tmp ? write(ctx, tmp) : CT_EIO;
            if (rc == CT_OK && tmp && fflush(tmp) != 0)
                rc = CT_EIO;
            if (rc != CT_OK && !err->text[0])
                ct_error_set(err, NULL, 0, -1, "rank %d could not format its rows: %s",
                             cli_dist_rank(), ct_strerror(rc));
            ct_dist_quiet_barrier();
            if ((rc = ct_dist_agree(rc, err)) == CT_OK)
                rc = ct_dist_write_file(NULL, tmp, header);
            if (tmp)
                fclose(tmp);
        }
        return ct_dist_agree(rc, err);
    }
#endif
    (void)header;
    return cli_write_output(o, write, ctx, err);
}

#if CT_HAVE_MPI
typedef struct sim_rows {
    const ct_matrix *w;
    const char *format;
    size_t N, K;
    const double *S;  /* full: local rows × N */
    char **ids;       /* full: every id (rank 0); top: the neighbours' ids */
    const double *sc; /* top: local rows × K */
} sim_rows;

static int write_full(void *ctx, FILE *f)
{
    const sim_rows *r = ctx;
    if (cli_dist_rank() == 0) {
        for (size_t j = 0; j < r->N; j++) {
            putc(',', f);
            ct_write_csv_field(f, r->ids[j]);
        }
        putc('\n', f);
    }
    for (size_t i = 0; i < ct_matrix_rows(r->w); i++) {
        const double *row = r->S + i * r->N;
        ct_write_csv_field(f, ct_matrix_row_id(r->w, i));
        for (size_t j = 0; j < r->N; j++) {
            putc(',', f);
            ct_write_double(f, row[j]);
        }
        putc('\n', f);
    }
    return ferror(f) ? CT_EIO : CT_OK;
}

static int write_top(void *ctx, FILE *f)
{
    const sim_rows *r = ctx;
    static const char *const cols[] = {"id", "neighbour", "score"};
    ct_table *t;
    int rc =
        ct_table_new(&t, f, strcmp(r->format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 3);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_matrix_rows(r->w); i++)
        for (size_t q = 0; q < r->K; q++) {
            ct_table_text(t, ct_matrix_row_id(r->w, i));
            ct_table_text(t, r->ids[i * r->K + q]);
            ct_table_double(t, r->sc[i * r->K + q]);
        }
    return ct_table_finish(t);
}
#endif

int cli_dist_similarity(const cli_opts *o, ct_matrix *w, long top, ct_sim_measure measure,
                        const char *format, ct_error *err)
{
#if CT_HAVE_MPI
    sim_rows r = {.w = w, .format = format};
    double *buf = NULL;
    int rc;
    size_t n_ids = 0;
    if (top) {
        rc = ct_dist_neighbours(&buf, &r.ids, &r.K, w, (size_t)top, measure, err);
        r.sc = buf;
        n_ids = ct_matrix_rows(w) * r.K;
    } else {
        rc = ct_dist_simmatrix(&buf, &r.N, &r.ids, w, measure, err);
        r.S = buf;
        n_ids = r.ids ? r.N : 0;
    }
    if (rc == CT_OK)
        rc = cli_dist_output(o, top ? write_top : write_full, &r, top != 0, err);
    if (r.ids)
        for (size_t i = 0; i < n_ids; i++)
            ct_free(r.ids[i]);
    ct_free(r.ids);
    ct_free(buf);
    return rc;
#else
    (void)o;
    (void)w;
    (void)top;
    (void)measure;
    (void)format;
    (void)err;
    return CT_EINVAL;
#endif
}

int cli_dist_reuse(ct_reuse **out, ct_corpus **names, size_t *n_total, const ct_corpus *corpus,
                   const ct_reuse_options *opts, int directed, ct_error *err)
{
#if CT_HAVE_MPI
    return ct_dist_reuse(out, names, n_total, corpus, opts, directed, err);
#else
    (void)out;
    (void)names;
    (void)n_total;
    (void)corpus;
    (void)opts;
    (void)directed;
    (void)err;
    return CT_EINVAL;
#endif
}
