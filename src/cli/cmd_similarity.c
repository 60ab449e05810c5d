/* cmd_similarity.c — `comptext similarity`: cosine (or Jaccard) similarity of the TF-IDF rows
 * of every pair of documents (or --group-by groups) as a CSV matrix — header ",ID1,ID2,…",
 * then "IDi,s_i1,s_i2,…", %.17g, RFC 4180 quoting — or with --top K each document's K most
 * similar others as a table id, neighbour, score (TSV, or CSV), best first, computed without the N
 * × N matrix. --format json records the parameters and every row's metadata. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_dist.h"
#include "cli_matrix.h"
#include "table.h"

/* With COMPTEXT_TIMING set, the wall and CPU time of each stage go to stderr (for the
 * benchmarks, which run on machines shared with other work). */
typedef struct stage_clock {
    double wall, cpu;
} stage_clock;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The process's peak and current resident memory in MB (Linux /proc/self/status; -1 where
 * it is not available). */
static void memory_mb(double *peak, double *now)
{
    *peak = *now = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return;
    char line[256];
    long kb;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            *peak = (double)kb / 1024.0;
        else if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            *now = (double)kb / 1024.0;
    }
    fclose(f);
}

static stage_clock stage_time(const char *stage, stage_clock since)
{
    stage_clock now = {clock_seconds(CLOCK_MONOTONIC), clock_seconds(CLOCK_PROCESS_CPUTIME_ID)};
    if (stage && getenv("COMPTEXT_TIMING")) {
        double peak, rss;
        memory_mb(&peak, &rss);
        fprintf(stderr,
                "comptext similarity: timing: %s %.3f s (cpu %.3f s); memory: peak so far "
                "%.1f MB, now %.1f MB\n",
                stage, now.wall - since.wall, now.cpu - since.cpu, peak, rss);
    }
    return now;
}

enum { OPT_TOP = 1000, OPT_MEASURE };

typedef struct sim_state {
    cli_opts *o;
    long top; /* 0: the full matrix */
    ct_sim_measure measure;
} sim_state;

static int handle(void *state, int val, const char *arg)
{
    sim_state *s = state;
    if (val == OPT_MEASURE) {
        if (ct_sim_measure_parse(arg, &s->measure) != CT_OK)
            return cli_usage_error(s->o, "--measure: \"%s\" is not cosine or jaccard", arg);
        return 0;
    }
    if (val == OPT_TOP) {
        char *end;
        errno = 0;
        long k = strtol(arg, &end, 10);
        if (!*arg || *end || errno)
            return cli_usage_error(s->o, "--top: \"%s\" is not an integer", arg);
        if (k < 1)
            return cli_usage_error(s->o,
                                   "--top: K must be at least 1 (the number of "
                                   "neighbours listed for each document), not %ld",
                                   k);
        s->top = k;
        return 0;
    }
    return cli_usage_error(s->o, "unknown option");
}

static int write_json(FILE *f, const cli_opts *o, const sim_state *st, const cli_counted *c,
                      const ct_matrix *m, const ct_simmatrix *s, const ct_neighbours *nb)
{
    json_t *p = cli_json_parameters(o, c, 1);
    if (p) {
        json_object_set_new(p, "n_terms", json_integer((json_int_t)ct_matrix_cols(m)));
        json_object_set_new(p, "measure", json_string(ct_sim_measure_name(st->measure)));
        json_object_set_new(p, "top", st->top ? json_integer(st->top) : json_null());
    }
    return ct_write_similarity_json(f, p, c->corpus, c->groups, m, s, nb);
}

typedef struct result {
    const cli_opts *o;
    const sim_state *st;
    const cli_counted *c;
    const ct_matrix *w;
    const ct_simmatrix *s;
    const ct_neighbours *nb;
    int json;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (r->json)
        return write_json(f, r->o, r->st, r->c, r->w, r->s, r->nb);
    return r->st->top ? ct_write_neighbours_table(f, cli_format(r->o, "tsv"), r->w, r->nb)
                      : ct_write_simmatrix_csv(f, r->w, r->s);
}

int cmd_similarity(int argc, char **argv)
{
    static const struct option own[] = {{"top", required_argument, 0, OPT_TOP},
                                        {"measure", required_argument, 0, OPT_MEASURE},
                                        {0, 0, 0, 0}};
    cli_opts o;
    sim_state st = {&o, 0, CT_SIM_COSINE};
    cli_spec spec = {
        .name = "similarity",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "Similarity of the TF-IDF rows of every pair of documents (or groups): a CSV "
                   "matrix,\nor with --top K the K most similar documents of each "
                   "(a table id, neighbour, score).",
        .own_help = "      --top K              list the K most similar other documents of each "
                    "document,\n"
                    "                           best first (TSV or CSV), without the N x N matrix\n"
                    "      --measure M          cosine (default) or jaccard (on the sets of "
                    "terms)",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "csv|tsv|json",
        CLI_OWN(own, handle, &st),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    const char *format = cli_format(&o, st.top ? "tsv" : "csv");
    if (!st.top && strcmp(format, "tsv") == 0)
        return cli_usage_error(&o, "--format tsv is for --top K; the full matrix is csv or "
                                   "json");
    if ((status = cli_dist_check(&o, "json")) != CLI_OK)
        return status;
    cli_counted c;
    ct_matrix *w = NULL;
    ct_simmatrix *s = NULL;
    ct_neighbours *nb = NULL;
    ct_error err;
    ct_error_clear(&err);
    stage_clock t0 = stage_time(NULL, (stage_clock){0, 0});
    if ((status = cli_count(&o, &c)) != CLI_OK)
        goto cleanup;
    t0 = stage_time("read+count", t0);
    status = cli_weigh(&o, &c, &w);
    t0 = stage_time("tfidf", t0);
    if (status != CLI_OK)
        goto cleanup;
    /* under mpirun: blocks of rows around the ring; a single rank has no ring and computes
     * as one process does (its index replaces the weights, where the ring's rank holds its
     * prepared rows and their index: 236 against 391 MB at 20 000 reports, --top 10) */
    if (cli_dist_on() && cli_dist_size() > 1) {
        int rc = cli_dist_similarity(&o, w, st.top, st.measure, format, &err);
        stage_time(st.top ? "top-k+write" : "similarity+write", t0);
        status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
        goto cleanup;
    }
    ct_sim_options so;
    ct_sim_options_init(&so);
    so.measure = st.measure;
    so.threads = o.threads;
    /* w's entries are not needed after this (the writers use its row ids): released as the
     * index is built, which lowers the peak memory by a third. */
    int rc = st.top ? ct_neighbours_new_consume(&nb, w, (size_t)st.top, &so)
                    : ct_simmatrix_new_consume(&s, w, &so);
    if (rc == CT_ENOMEM && !st.top)
        ct_error_set(&err, NULL, 0, -1,
                     "not enough memory for the %zu x %zu matrix; --top K needs far less",
                     ct_matrix_rows(w), ct_matrix_rows(w));
    t0 = stage_time(st.top ? "top-k" : "similarity", t0);
    result r = {&o, &st, &c, w, s, nb, strcmp(format, "json") == 0};
    if (rc == CT_OK)
        rc = cli_write_output(&o, write_result, &r, &err);
    stage_time("write", t0);
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_simmatrix_free(s);
    ct_neighbours_free(nb);
    ct_matrix_free(w);
    cli_counted_free(&c);
    return status;
}
