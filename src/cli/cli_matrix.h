/* cli_matrix.h — what the matrix commands (tf, tfidf, similarity) share: the pipeline from
 * CORPUS to a count matrix (corpus, tokeniser, threaded counting, --group-by), the mapping of
 * the weighting options to ct_tfidf_options, their errors (exit 2 for option values that
 * cannot work, such as max_df below min_df), and the JSON that records how a result was
 * made: the parameters and each row's id, source and metadata (cli_matrix.c). */
#ifndef CT_CLI_MATRIX_H
#define CT_CLI_MATRIX_H

#include <jansson.h>

#include "cli.h"

typedef struct cli_counted {
    ct_corpus *corpus;
    ct_stopwords *stopwords;
    ct_tokenizer *tok;
    ct_grouping *groups; /* NULL without --group-by */
    ct_matrix *counts;   /* one row a document, or a group with --group-by */
} cli_counted;

/* Load, tokenise, count and group. Returns CLI_OK or the exit status after a message. */
int cli_count(cli_opts *o, cli_counted *c);
void cli_counted_free(cli_counted *c);

/* The weighting options as the library's. */
void cli_tfidf_options(const cli_opts *o, ct_tfidf_options *t);
/* Report a weighting failure: CT_EINVAL (option values that cannot work together) is a usage
 * error (exit 2) naming --min-df/--max-df; anything else exit 1. */
int cli_weights_fail(const cli_opts *o, int rc, const ct_error *err);
/* Weigh c->counts with TF-IDF in place and move it to *weights (c->counts becomes NULL).
 * Returns CLI_OK, or the exit status after cli_weights_fail's message (c left as it was). */
int cli_weigh(const cli_opts *o, cli_counted *c, ct_matrix **weights);

/* {"command", "version", "corpus", reading and tokenising options, "group_by", and with
 * weights the TfidfVectorizer parameters under their scikit-learn names}. New reference. */
json_t *cli_json_parameters(const cli_opts *o, const cli_counted *c, int weights);
/* A row's description: {"id", "source", "metadata"}, or for a group {"id", "members",
 * "metadata"} with the fields every member shares. New reference. */
json_t *cli_json_row(const cli_counted *c, size_t row);

/* Streaming JSON result: {"parameters": P, "<key>": [item, item, ...], ...}. */
int cli_json_begin(FILE *f, json_t *parameters);
int cli_json_array_begin(FILE *f, const char *key);
/* Write one array item (steals the reference); first: 1 for the first item. */
int cli_json_item(FILE *f, json_t *item, int first);
int cli_json_array_end(FILE *f);
int cli_json_end(FILE *f);

/* The non-zero entries of m as a table (format "tsv" or "csv") with the header row id, term,
 * value_column: rows in order, terms in byte order. */
int cli_write_entries_table(FILE *f, const ct_matrix *m, const char *format,
                            const char *value_column);
/* The same as JSON: {"parameters": P, "documents": [{row description, "terms": [{"term": T,
 * value_key: V}, ...]}, ...]}. Steals parameters. */
int cli_write_entries_json(FILE *f, const cli_counted *c, const ct_matrix *m, json_t *parameters,
                           const char *value_key);

/* The similarity matrix as CSV (header ",ID1,ID2,…", then "IDi,s_i1,…", %.17g, RFC 4180
 * quoting): `comptext similarity` and `comptext compare` write the same bytes. */
int cli_write_similarity_csv(FILE *f, const ct_matrix *m, const ct_simmatrix *s);

#define CLI_JSON_FLAGS JSON_REAL_PRECISION(17)

#endif
