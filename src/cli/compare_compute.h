/* compare_compute.h — what `comptext compare` computes before it draws and writes
 * (compare_compute.c): the rows (documents, or groups with --group-by), their similarity
 * matrix, themes, keyness of each group and keyword-in-context lines for the top themes —
 * all by the library's modules, in the same way as the similarity, themes, keyness and kwic
 * commands, so that compare's files equal theirs. */
#ifndef CT_COMPARE_COMPUTE_H
#define CT_COMPARE_COMPUTE_H

#include "cli.h"
#include "cli_matrix.h"
#include "cli_terms.h"
#include "report.h"

typedef struct compare_result {
    ct_corpus *corpus;        /* borrowed from counted */
    size_t n;                 /* rows: documents, or groups with --group-by */
    const char **ids;         /* row ids (borrowed from the weight matrix) */
    double *sim;              /* n × n */
    ct_cluster *tree;         /* filled by the caller */
    ct_report_theme **themes; /* per row (terms borrowed from the term vocabulary) */
    size_t *n_themes;
    ct_report_key **keyness; /* per row, with --group-by; else NULL */
    size_t *n_keyness;
    ct_report_kwic *kwic;
    size_t n_kwic;
    char *settings;
    /* private */
    cli_counted counted;
    cli_terms terms;
    ct_matrix *weights;
    ct_simmatrix *simmatrix;
    ct_matrix *grouped_terms;   /* term counts by group (--group-by) */
    const ct_matrix *term_rows; /* term counts of the rows (documents or groups) */
    ct_themes *themes_result;
    ct_keyness **keyness_result;
    char **owned; /* strings owned by the result */
    size_t n_owned;
} compare_result;

/* Prepare the term-discovery options (before cli_parse) and handle them; see cli_terms.h. */
void compare_result_init(compare_result *r, cli_opts *o);
/* Load, count, weight, compare and find themes; CLI_OK or the exit status after a message.
 * k: themes a row. */
int compare_compute(cli_opts *o, size_t k, compare_result *r);
/* similarity.csv and themes.json, byte for byte as `comptext similarity` and `themes`. */
int compare_write_similarity(FILE *f, const compare_result *r);
int compare_write_themes(FILE *f, const compare_result *r);
void compare_result_free(compare_result *r);

#endif
