/* compare_standin.h — what `comptext compare` computes before it draws and writes: the rows
 * (documents or groups), their similarity matrix, themes, keyness and keyword-in-context
 * lines (compare_standin.c).
 *
 * TEMPORARY: until the weighting (issue 3) and themes (issue 4) modules are on main, the
 * bodies in compare_standin.c compute a stand-in (scikit-learn's default TF-IDF and cosine,
 * themes as the top TF-IDF terms) behind this interface; they are replaced by calls to
 * analysis/tfidf.c, similarity.c, group.c, themes, keyness and kwic when those land. */
#ifndef CT_COMPARE_STANDIN_H
#define CT_COMPARE_STANDIN_H

#include "cli.h"
#include "report.h"

typedef struct compare_result {
    ct_corpus *corpus;
    size_t n;         /* rows: documents, or groups with --group-by */
    const char **ids; /* row ids (borrowed from the weight matrix) */
    double *sim;      /* n × n */
    ct_cluster *tree; /* filled by the caller */
    ct_report_theme **themes;
    size_t *n_themes;
    ct_report_key **keyness; /* NULL without --group-by */
    size_t *n_keyness;
    ct_report_kwic *kwic;
    size_t n_kwic;
    char *settings;
    /* private */
    ct_stopwords *stopwords;
    ct_tokenizer *tok;
    ct_matrix *counts, *weights;
    char **owned; /* strings owned by the result */
    size_t n_owned;
} compare_result;

/* Load, count, weight, compare and find themes; CLI_OK or the exit status after a message. */
int compare_compute(cli_opts *o, long k, compare_result *r);
/* similarity.csv and themes.json, byte for byte as `comptext similarity` and `themes`. */
int compare_write_similarity(FILE *f, const compare_result *r);
int compare_write_themes(FILE *f, const compare_result *r);
void compare_result_free(compare_result *r);

#endif
