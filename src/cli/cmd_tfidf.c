/* cmd_tfidf.c — `comptext tfidf`: TF-IDF weights exactly as scikit-learn's TfidfVectorizer
 * computes them (analysis/tfidf.c): TSV ID<TAB>TERM<TAB>WEIGHT with the non-zero entries,
 * %.17g, documents (or --group-by groups) in order, terms in byte order inside a document;
 * --format json records the parameters, each row's metadata and its weights. */
#include <string.h>

#include "cli_matrix.h"

typedef struct result {
    const cli_opts *o;
    const cli_counted *c;
    const ct_matrix *w;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (strcmp(cli_format(r->o, "tsv"), "json") == 0) {
        json_t *p = cli_json_parameters(r->o, r->c, 1);
        if (p)
            json_object_set_new(p, "n_terms", json_integer((json_int_t)ct_matrix_cols(r->w)));
        return cli_write_entries_json(f, r->c, r->w, p, "weight");
    }
    return cli_write_entries_tsv(f, r->w);
}

int cmd_tfidf(int argc, char **argv)
{
    cli_spec spec = {
        .name = "tfidf",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "TF-IDF weights as scikit-learn's TfidfVectorizer: ID<TAB>TERM<TAB>WEIGHT, "
                   "non-zero entries,\nterms in byte order inside a document.",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|json",
    };
    cli_opts o;
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    cli_counted c;
    ct_matrix *w = NULL;
    ct_error err;
    ct_error_clear(&err);
    if ((status = cli_count(&o, &c)) != CLI_OK)
        goto cleanup;
    if ((status = cli_weigh(&o, &c, &w)) != CLI_OK)
        goto cleanup;
    result r = {&o, &c, w};
    int rc = cli_write_output(&o, write_result, &r, &err);
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_matrix_free(w);
    cli_counted_free(&c);
    return status;
}
