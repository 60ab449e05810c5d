/* compare_dir.h — writing a compare result (private; compare_dir.c): the output directory
 * of `comptext compare` with its files and its transaction, and the plain-text summary. */
#ifndef CT_COMPARE_DIR_H
#define CT_COMPARE_DIR_H

#include <stdio.h>

#include "comptext/compare.h"
#include "comptext/error.h"

/** Write every file of the result into dir: similarity.csv, themes.json, clusters.tsv,
 * linkage.tsv, dendrogram.nwk, map.csv, map-axes.csv, keyness.tsv (with a grouping),
 * heatmap.svg, dendrogram.svg, map.svg and report.html. Nothing half-written: the files are
 * staged (ct_outdir) and moved into place only when every one has been written and
 * before_commit (may be NULL; the summary) has returned CT_OK; otherwise its status is
 * returned and nothing is replaced. CT_EIO with err naming the path, CT_ENOMEM. */
int ct_compare_write_dir(const ct_compare *c, const char *dir, int (*before_commit)(void *ctx),
                         void *ctx, ct_error *err);

/** One note on the corpus as a line of text (ids as they are; escape them for a terminal),
 * e.g. "a and b have the same text". Returns what snprintf returns. */
int ct_compare_format_note(char *buf, size_t size, const ct_compare *c, const ct_compare_note *n);

/** The short plain-text summary: documents and characters, the most similar pairs, the
 * clusters and each row's top themes, and the files written to dir; control characters
 * in ids, terms and names are written as \xNN. */
void ct_compare_write_summary(FILE *f, const ct_compare *c, const char *dir);

#endif
