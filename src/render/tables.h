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
#include "comptext/matrix.h"
#include "comptext/similarity.h"
#include "comptext/terms.h"
#include "comptext/themes.h"

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

/** The non-zero entries of m as TSV ID<TAB>TERM<TAB>VALUE, rows in order, terms in byte
 * order. */
int ct_write_entries_tsv(FILE *f, const ct_matrix *m);
/** The same as JSON: {"parameters": P, "documents": [{row description, "terms": [{"term": T,
 * value_key: V}, ...]}, ...]}. Steals parameters. */
int ct_write_entries_json(FILE *f, const ct_corpus *corpus, const ct_grouping *groups,
                          const ct_matrix *m, json_t *parameters, const char *value_key);

/** A similarity matrix as CSV (header ",ID1,ID2,…", then "IDi,s_i1,…", %.17g, RFC 4180
 * quoting): n ids and n rows of n values. */
int ct_write_similarity_csv(FILE *f, size_t n, const char *const *ids, const double *const *rows);
/** The same for a similarity matrix of m's rows. */
int ct_write_simmatrix_csv(FILE *f, const ct_matrix *m, const ct_simmatrix *s);
/** Each row's neighbours as TSV ID<TAB>NEIGHBOUR<TAB>SCORE, rows in order. */
int ct_write_neighbours_tsv(FILE *f, const ct_matrix *m, const ct_neighbours *nb);

/** Themes as JSON [{"id": ID, "themes": [{"term": T, "score": S}, …]}, …] (format "json")
 * or TSV ID<TAB>TERM<TAB>SCORE ("tsv"); m's rows and vocabulary name them. */
int ct_write_themes(FILE *f, const char *format, const ct_matrix *m, const ct_themes *t);

/** Keyness rows as TSV TERM<TAB>STATISTIC<TAB>P<TAB>EFFECT<TAB>N_TARGET<TAB>N_REFERENCE (p
 * the Benjamini–Hochberg adjusted one when bh), most key first. */
int ct_write_keyness_tsv(FILE *f, const ct_keyness *k, const ct_vocab *v, int bh);
/** The same as one JSON object {"target": [ids with mask set], "statistic": stat,
 * "target_size", "reference_size", "terms": [...]}. */
int ct_write_keyness_json(FILE *f, const ct_keyness *k, const ct_vocab *v, const char *stat,
                          const ct_corpus *c, const unsigned char *mask);

/** A keyword-in-context line: TSV ID<TAB>OFFSET<TAB>LEFT<TAB>TERM<TAB>RIGHT, or with jsonl
 * a compact JSON object {"id", "offset", "left", "term", "right"} a line. */
int ct_write_kwic_hit(FILE *f, const char *id, const ct_kwic_hit *h, int jsonl);

/** A term and its count, for ct_write_ranked_terms. */
typedef struct ct_ranked_term {
    const char *term;
    size_t len;
    uint64_t count;
} ct_ranked_term;
/** Terms and counts in the order given: TSV TERM<TAB>COUNT, "csv" with a header term,count,
 * or "json" [{"term", "count"}, ...]. */
int ct_write_ranked_terms(FILE *f, const char *format, const ct_ranked_term *r, size_t n);

/** A discovered term's line: TERM<TAB>COUNT<TAB>TOKENS<TAB>COHESION<TAB>H_LEFT<TAB>H_RIGHT. */
int ct_write_term_stats(FILE *f, const char *term, const ct_term_stats *st);

/** The similarity result as JSON: {"parameters": p, "documents": [row descriptions],
 * "matrix": [[...], ...]} with s, or "neighbours": [{"id", "neighbours": [{"id", "score"}]}]
 * with nb (s NULL). Steals p. */
int ct_write_similarity_json(FILE *f, json_t *p, const ct_corpus *corpus, const ct_grouping *groups,
                             const ct_matrix *m, const ct_simmatrix *s, const ct_neighbours *nb);

/** A document's tokens as one JSON line {"id": id, "tokens": tokens} (tokens borrowed). */
int ct_write_tokens_line(FILE *f, const char *id, json_t *tokens);

#endif
