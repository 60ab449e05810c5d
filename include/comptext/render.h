/* comptext/render.h — writing analysis results in standard exchange formats.
 *
 * Analyses compute and return results; nothing in analysis/ writes a file. The writers
 * declared here (implemented in src/render/) turn results into the formats other tools
 * read: a clustering tree as Newick (R's ape::read.tree, scipy via Bio.Phylo, iTOL), a
 * map as CSV, shared passages as JSON Lines or TSV. Each writes to a caller-owned FILE and returns
 * CT_EIO when the stream reports an error. */
#ifndef COMPTEXT_RENDER_H
#define COMPTEXT_RENDER_H

#include <stdio.h>
#include "comptext/cluster.h"
#include "comptext/export.h"
#include "comptext/mds.h"
#include "comptext/reuse.h"
#include "comptext/tfidf_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Write the tree in Newick format with the given leaf labels (n strings), ending in ";\n".
 * Branch lengths are differences of merge heights (leaves at height 0), so the tree is
 * drawn as the dendrogram is. Labels are written bare when they hold only safe characters,
 * else quoted in single quotes with inner quotes doubled (Newick's quoting rule). */
CT_API int ct_cluster_write_newick(const ct_cluster *c, const char *const *labels, FILE *f);

/** Write the map as CSV: the header "id,x,y" (each name quoted) and a row a document, ids
 * quoted per RFC 4180 and numbers with %.17g (ids has n strings). Axes are named x and y for
 * a 2-D map, d1, d2, … otherwise. */
CT_API int ct_mds_write_csv(const ct_mds *m, const char *const *ids, FILE *f);

/** Write the passages as JSON Lines, one passage pair a line, keys in this order: "a",
 * "a_begin", "a_end", "b", "b_begin", "b_end" (document ids; offsets in characters of the
 * original texts, end exclusive), "length", "matches", "identity", "score", "cluster",
 * "cluster_size", "boilerplate", "directed", "a_text", "b_text". */
CT_API int ct_reuse_write_jsonl(const ct_reuse *r, const ct_corpus *corpus, FILE *f);
/** The same as a table, format "tsv" or "csv" (CT_EINVAL otherwise), after a header row: the
 * same columns but "matches" and "directed", fields escaped as every comptext table's. */
CT_API int ct_reuse_write_table(const ct_reuse *r, const ct_corpus *corpus, const char *format,
                                FILE *f);
/** The group matrix as a table ("tsv" or "csv"): header group_a, group_b, passages,
 * characters. */
CT_API int ct_reuse_write_groups_table(const ct_reuse_cell *cells, size_t n, const char *format,
                                       FILE *f);
/** The group matrix as JSON Lines: {"group_a", "group_b", "passages", "characters"}. */
CT_API int ct_reuse_write_groups_jsonl(const ct_reuse_cell *cells, size_t n, FILE *f);

/** Write the axes' shares of variance as CSV: the header "axis,variance_share", then a row
 * an axis (named as in ct_mds_write_csv) with its share, %.17g. */
CT_API int ct_mds_write_axes_csv(const ct_mds *m, FILE *f);

/** Write a fitted TF-IDF model as the JSON file ct_tfidf_model_load reads (src/render/model.c
 * shows the layout): the parameters, the weighting options, and the terms with their df and
 * idf (%.17g). CT_EINVAL when the model's parameters are not a JSON object. */
CT_API int ct_tfidf_model_write(const ct_tfidf_model *m, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
