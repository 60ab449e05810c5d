/* cmd_tfidf.c — `comptext tfidf`: TF-IDF weights exactly as scikit-learn's TfidfVectorizer
 * computes them (analysis/tfidf.c): TSV ID<TAB>TERM<TAB>WEIGHT with the non-zero entries,
 * %.17g, documents (or --group-by groups) in order, terms in byte order inside a document;
 * --format json records the parameters, each row's metadata and its weights. */
#include <string.h>

#include "cli_matrix.h"

int cmd_tfidf(int argc, char **argv)
{
    cli_spec spec = {
        .name = "tfidf",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "TF-IDF weights as scikit-learn's TfidfVectorizer: ID<TAB>TERM<TAB>WEIGHT, "
                   "non-zero entries,\nterms in byte order inside a document.",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_WEIGHTS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|json",
        .corpus_optional = 1,
    };
    cli_opts o;
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    cli_counted c;
    ct_matrix *w = NULL;
    ct_out *out = NULL;
    ct_error err;
    ct_error_clear(&err);
    if ((status = cli_count(&o, &c)) != CLI_OK)
        goto cleanup;
    ct_tfidf_options t;
    cli_tfidf_options(&o, &t);
    int rc = ct_tfidf_transform(&c.counts, NULL, &t, &err); /* in place: no copy */
    w = rc == CT_OK ? c.counts : NULL;
    if (rc == CT_OK)
        c.counts = NULL;
    if (rc != CT_OK) {
        status = cli_weights_fail(&o, rc, &err);
        goto cleanup;
    }
    rc = ct_out_open(&out, o.output, &err);
    if (rc == CT_OK) {
        FILE *f = ct_out_file(out);
        if (strcmp(cli_format(&o, "tsv"), "json") == 0) {
            json_t *p = cli_json_parameters(&o, &c, 1);
            if (p)
                json_object_set_new(p, "n_terms", json_integer((json_int_t)ct_matrix_cols(w)));
            rc = cli_write_entries_json(f, &c, w, p, "weight");
        } else {
            rc = cli_write_entries_tsv(f, w);
        }
    }
    if (rc == CT_OK) {
        rc = ct_out_commit(out, &err);
        out = NULL;
    }
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_out_abort(out);
    ct_matrix_free(w);
    cli_counted_free(&c);
    return status;
}
