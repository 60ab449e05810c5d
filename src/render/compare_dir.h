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
 * with skipped saying why there is none ("not run (--no-reuse)"), and the options it was
 * found with (stated in the report). */
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

/** Write every file of the result into dir: similarity.csv, themes.json, clusters.tsv,
 * linkage.tsv, dendrogram.nwk, map.csv, map-axes.csv, keyness.tsv (with a grouping),
 * heatmap.svg, dendrogram.svg, map.svg, reuse.jsonl (when reuse has a result: the bytes of
 * `comptext reuse`) and report.html; reuse may be NULL (no reuse section). Nothing half-written:
 * the files are staged (ct_outdir) and moved into place only when every one has been written and
 * before_commit (may be NULL; the summary) has returned CT_OK; otherwise its status is
 * returned and nothing is replaced. CT_EIO with err naming the path, CT_ENOMEM. */
int ct_compare_write_dir(const ct_compare *c, const ct_compare_reuse *reuse, const char *dir,
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
