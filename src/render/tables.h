/* tables.h — the tables the commands write (private; tables.c): document-term entries as
 * TSV or streamed JSON, the similarity matrix as CSV or JSON and neighbours as TSV, themes
 * as JSON or TSV, keyness, keyword-in-context lines, ranked n-grams, discovered terms,
 * token lines, and the JSON streaming pieces the JSON results are built from. Every command
 * writes through these (compare through compare_dir.h), so equal results are equal bytes. */
#ifndef CT_TABLES_H
#define CT_TABLES_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "comptext/corpus.h"
#include "comptext/group.h"
#include "comptext/keyness.h"
#include "comptext/kwic.h"
#include "comptext/keyness.h"
#include "comptext/kwic.h"
#include "comptext/matrix.h"
#include "comptext/similarity.h"
#include "comptext/terms.h"
#include "comptext/terms.h"
#include "comptext/themes.h"
#include "table.h"

#define CT_JSON_FLAGS JSON_REAL_PRECISION(17)

/** A row's description: {"id", "source", "metadata"}, or for a group (groups not NULL)
 * {"id", "members", "metadata"} with the fields every member shares. New reference. */
json_t *ct_json_row(const ct_corpus *corpus, const ct_grouping *groups, size_t row);

/** Streaming JSON result: {"parameters": P, "<key>": [item, item, ...], ...}. begin steals
 * parameters (NULL: CT_ENOMEM). */
int ct_json_begin(FILE *f, json_t *parameters);
int ct_json_array_begin(FILE *f, const char *key);
/** Write one array item (steals the reference); first: 1 for the first item. */
int ct_json_item(FILE *f, json_t *item, int first);
int ct_json_array_end(FILE *f);
int ct_json_end(FILE *f);

/** The non-zero entries of m as a table (format "tsv" or "csv") with the header row id,
 * term, value_column: rows in order, terms in byte order. */
int ct_write_entries_table(FILE *f, const ct_matrix *m, const char *format,
                           const char *value_column);
/** The same as JSON: {"parameters": P, "documents": [{row description, "terms": [{"term": T,
 * value_key: V}, ...]}, ...]}. Steals parameters. */
int ct_write_entries_json(FILE *f, const ct_corpus *corpus, const ct_grouping *groups,
                          const ct_matrix *m, json_t *parameters, const char *value_key);

/** A similarity matrix as CSV (header ",ID1,ID2,…", then "IDi,s_i1,…", %.17g, RFC 4180
 * quoting): n ids and n rows of n values. */
int ct_write_similarity_csv(FILE *f, size_t n, const char *const *ids, const double *const *rows);
/** The same for a similarity matrix of m's rows. */
int ct_write_simmatrix_csv(FILE *f, const ct_matrix *m, const ct_simmatrix *s);
/** Each row's neighbours as a table ("tsv" or "csv") id, neighbour, score, rows in order. */
int ct_write_neighbours_table(FILE *f, const char *format, const ct_matrix *m,
                              const ct_neighbours *nb);

/** Themes as JSON [{"id": ID, "themes": [{"term": T, "score": S}, …]}, …] (format "json")
 * or a table ("tsv" or "csv") id, term, score; m's rows and vocabulary name them. */
int ct_write_themes(FILE *f, const char *format, const ct_matrix *m, const ct_themes *t);
/** Rows first .. first + rows of m of a result of total rows, as a part of what
 * ct_write_themes writes for the whole (under mpirun each rank writes its rows): begin: this
 * part opens the output (the JSON array's "[", or "[]" when total is 0; a table's header row
 * is written by every part); the part holding the last row closes the array. */
int ct_write_themes_part(FILE *f, const char *format, const ct_matrix *m, const ct_themes *t,
                         size_t first, size_t total, int begin);
/** The column sums of counts as a reference list (comptext/reference.h): "# documents" (the
 * rows), "# tokens" (the sum of every count), the header row, then every term with a
 * non-zero count: term, count, documents using it; count descending, then term in byte
 * order. */
int ct_write_reference(FILE *f, const ct_matrix *counts);

/** A document's tokens as one JSON line {"id": id, "tokens": tokens} (tokens borrowed). */
int ct_write_tokens_line(FILE *f, const char *id, json_t *tokens);

/** Keyness rows as a table ("tsv" or "csv") term, statistic, p, effect, n_target,
 * n_reference, docs_target, docs_reference, dp, statistic_without_top (p the
 * Benjamini–Hochberg adjusted one when bh), most key first. */
int ct_write_keyness_table(FILE *f, const char *format, const ct_keyness *k, const ct_vocab *v,
                           int bh);
/** The same as one JSON object {"parameters", "target": [ids with mask set], "statistic":
 * stat, "ranked_by", "target_size", "reference_size", "target_documents",
 * "reference_documents", "terms": [...]} (parameters borrowed). */
int ct_write_keyness_json(FILE *f, const ct_keyness *k, const ct_vocab *v, const char *stat,
                          const ct_corpus *c, const unsigned char *mask, json_t *parameters);

/** A keyword-in-context line as a compact JSON object {"id", "offset", "left", "term",
 * "right"} and a newline, or as a row of a table with those five columns. */
int ct_write_kwic_json(FILE *f, const char *id, const ct_kwic_hit *h);
int ct_write_kwic_row(ct_table *t, const char *id, const ct_kwic_hit *h);

/** A term and its count, for ct_write_ranked_terms. */
typedef struct ct_ranked_term {
    const char *term;
    size_t len;
    uint64_t count;
} ct_ranked_term;
/** Terms and counts in the order given: a table ("tsv" or "csv") term, count, or "json"
 * {"parameters": parameters (borrowed), "terms": [{"term", "count"}, ...]}. */
int ct_write_ranked_terms(FILE *f, const char *format, const ct_ranked_term *r, size_t n,
                          json_t *parameters);

/** Discovered terms as a table ("tsv" or "csv") term, count, segments, cohesion, h_left,
 * h_right: n terms and their statistics. */
int ct_write_term_stats(FILE *f, const char *format, const char *const *terms,
                        const ct_term_stats *stats, size_t n);

/** The similarity result as JSON: {"parameters": p, "documents": [row descriptions],
 * "matrix": [[...], ...]} with s, or "neighbours": [{"id", "neighbours": [{"id", "score"}]}]
 * with nb (s NULL). Steals p. */
int ct_write_similarity_json(FILE *f, json_t *p, const ct_corpus *corpus, const ct_grouping *groups,
                             const ct_matrix *m, const ct_simmatrix *s, const ct_neighbours *nb);

#endif
