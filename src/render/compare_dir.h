/* compare_dir.h — writing a compare result (private; compare_dir.c): the output directory
 * of `comptext compare` with its files and its transaction, and the plain-text summary. */
#ifndef CT_COMPARE_DIR_H
#define CT_COMPARE_DIR_H

#include <stdio.h>

#include "comptext/compare.h"
#include "comptext/error.h"
#include "comptext/reuse.h"
#include "report.h"

/** Shared passages to show with a compare result (comptext/reuse.h): the result, or NULL
 * with skipped saying why there is none (the report says so), and the options it was found
 * with (stated in the report). Pass no ct_compare_reuse at all for a report without the
 * section (--no-reuse: the report of a compare without reuse, byte for byte). */
typedef struct ct_compare_reuse {
    const ct_reuse *reuse;
    const char *skipped;
    ct_reuse_options opts;
} ct_compare_reuse;

/** What the report's reuse section shows (compare_reuse.c): the section's data and what
 * it owns. */
typedef struct ct_compare_reuse_data {
    ct_report_reuse rep;
    ct_report_passage *top;
    ct_report_boilerplate *boilerplate;
    char *matrix_svg;
    char what[128];
} ct_compare_reuse_data;

int ct_compare_reuse_data_fill(ct_compare_reuse_data *d, const ct_compare *c,
                               const ct_compare_reuse *cr);
void ct_compare_reuse_data_free(ct_compare_reuse_data *d);

/** What the big-corpus report shows (compare_large.c), and what it owns. */
typedef struct ct_compare_large_data {
    ct_report_large rep;
    size_t k;
    ct_report_pair *pairs;
    ct_report_cluster *clusters;
    const char **members;
    ct_report_theme *themes;
    char *cluster_svg, *map_svg; /* the clusters' heatmap (may be NULL), the density map */
    size_t cluster_len, map_len;
    ct_report_note_kind kinds[4];
    char **note_lines;
    size_t n_note_lines;
    char **legend; /* k + 1: a cluster's label on the map */
} ct_compare_large_data;

int ct_compare_large_data_fill(ct_compare_large_data *d, const ct_compare *c, size_t threshold,
                               size_t neighbours);
void ct_compare_large_data_free(ct_compare_large_data *d);
/** The clusters' mean-cosine heatmap (the first clusters) as SVG text into *svg (free()), or
 * NULL when there are no clusters. CT_ENOMEM. */
int ct_compare_cluster_heatmap(const ct_compare *c, char **svg, size_t *len);
/** neighbours.tsv: id, neighbour, score; each row's top K, best first (header row). */
int ct_compare_write_neighbours(FILE *f, const ct_compare *c);
/** notes.tsv: kind (duplicate, near-duplicate, few-tokens, short), a, b (empty for a note on
 * one document), value (the cosine, the tokens, or the share of the median). */
int ct_compare_write_notes(FILE *f, const ct_compare *c);

/** What the directory needs beside the result. */
typedef struct ct_compare_dir_info {
    const ct_compare_reuse *reuse; /* may be NULL: no reuse section */
    size_t large_threshold;        /* as the run's options (stated in the big-corpus report) */
    size_t neighbours;             /* K of the neighbour lists */
} ct_compare_dir_info;

/** Write every file of the result into dir: similarity.csv, themes.json, clusters.tsv,
 * linkage.tsv, dendrogram.nwk, map.csv, map-axes.csv, keyness.tsv (with a grouping),
 * heatmap.svg, dendrogram.svg, map.svg, reuse.jsonl (when reuse has a result: the bytes of
 * `comptext reuse`) and report.html. In large mode (ct_compare_is_large) neighbours.tsv
 * and notes.tsv instead of similarity.csv, no linkage.tsv, dendrogram.nwk or
 * dendrogram.svg, heatmap.svg of the clusters, map.svg as binned density, and the
 * big-corpus report. Nothing half-written:
 * the files are staged (ct_outdir) and moved into place only when every one has been written and
 * before_commit (may be NULL; the summary) has returned CT_OK; otherwise its status is
 * returned and nothing is replaced. CT_EIO with err naming the path, CT_ENOMEM. */
int ct_compare_write_dir(const ct_compare *c, const ct_compare_dir_info *info, const char *dir,
                         int (*before_commit)(void *ctx), void *ctx, ct_error *err);

/** One note on the corpus as a line of text (ids as they are; escape them for a terminal),
 * e.g. "a and b have the same text". Returns what snprintf returns. */
int ct_compare_format_note(char *buf, size_t size, const ct_compare *c, const ct_compare_note *n);

/** The short plain-text summary: documents and characters, the most similar pairs, the
 * clusters and each row's top themes, and the files written to dir; control characters
 * in ids, terms and names are written as \xNN. */
void ct_compare_write_summary(FILE *f, const ct_compare *c, const ct_compare_reuse *reuse,
                              const char *dir);

#endif
