/* cli_matrix.h — what the matrix commands (tf, tfidf, similarity) share: the pipeline from
 * CORPUS to a count matrix (corpus, tokeniser, threaded counting, --group-by), the mapping of
 * the weighting options to ct_tfidf_options, their errors (exit 2 for option values that
 * cannot work, such as max_df below min_df), and the JSON that records how a result was
 * made: the parameters and each row's id, source and metadata (cli_matrix.c). */
#ifndef CT_CLI_MATRIX_H
#define CT_CLI_MATRIX_H

#include <jansson.h>

#include "cli.h"
#include "tables.h"

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
#define CLI_JSON_FLAGS CT_JSON_FLAGS

#endif
