/* cmd_tf.c — `comptext tf`: term frequencies of each document (or --group-by group): a table
 * id, term, count with the non-zero entries (TSV or CSV; --format mtx: Matrix Market), documents in
 * corpus order (groups in order of first appearance), terms in byte order inside a document;
 * --scheme chooses raw counts (default), relative frequencies, 1 + ln(count) or 0/1; --format json
 * records the parameters and each document's metadata with its entries. */
#include <string.h>

#include "cli_dist.h"
#include "cli_mtx.h"

enum { OPT_SCHEME = 1000 };

typedef struct tf_state {
    cli_opts *o;
    ct_tf_scheme scheme;
} tf_state;

static int handle(void *state, int val, const char *arg)
{
    tf_state *s = state;
    if (val == OPT_SCHEME && ct_tf_scheme_parse(arg, &s->scheme) == CT_OK)
        return 0;
    if (val == OPT_SCHEME)
        return cli_usage_error(
            s->o, "--scheme: \"%s\" is not count, relative, sublinear or boolean", arg);
    return cli_usage_error(s->o, "unknown option");
}

typedef struct result {
    const cli_opts *o;
    const tf_state *st;
    const cli_counted *c;
} result;

static int write_result(void *ctx, FILE *f)
{
    const result *r = ctx;
    if (strcmp(cli_format(r->o, "tsv"), "json") == 0) {
        json_t *p = cli_json_parameters(r->o, r->c, 0);
        if (p)
            json_object_set_new(p, "scheme", json_string(ct_tf_scheme_name(r->st->scheme)));
        return ct_write_entries_json(f, r->c->corpus, r->c->groups, r->c->counts, p, "tf");
    }
    /* the value column is "count" for counts, "tf" for the other schemes */
    return ct_write_entries_table(f, r->c->counts, cli_format(r->o, "tsv"),
                                  r->st->scheme == CT_TF_COUNT ? "count" : "tf");
}

int cmd_tf(int argc, char **argv)
{
    static const struct option own[] = {{"scheme", required_argument, 0, OPT_SCHEME}, {0, 0, 0, 0}};
    cli_opts o;
    tf_state st = {&o, CT_TF_COUNT};
    cli_spec spec = {
        .name = "tf",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "Term frequencies of each document (or group): a table id, term, count of "
                   "the non-zero\nentries, terms in byte order inside a document; --format mtx "
                   "-o X.mtx: Matrix Market\nin X.mtx, every row in X.rows.tsv, the terms in "
                   "X.cols.tsv.",
        .own_help = "      --scheme S           count (default), relative (count / tokens of "
                    "the document),\n"
                    "                           sublinear (1 + ln count) or boolean (1)",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv|json|mtx",
        CLI_OWN(own, handle, &st),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_mtx_check(&o)) != CLI_OK)
        return status;
    cli_counted c;
    ct_error err;
    ct_error_clear(&err);
    if ((status = cli_count(&o, &c)) != CLI_OK)
        goto cleanup;
    int rc = ct_tf_apply(c.counts, st.scheme);
    result r = {&o, &st, &c};
    if (rc == CT_OK && strcmp(cli_format(&o, "tsv"), "mtx") == 0) {
        uint32_t *df = NULL;
        json_t *p = cli_json_parameters(&o, &c, 0);
        if (p)
            json_object_set_new(p, "scheme", json_string(ct_tf_scheme_name(st.scheme)));
        rc = ct_matrix_col_nonzero(c.counts, &df);
        if (rc == CT_OK)
            rc = cli_write_mtx(&o, &c, c.counts, df, NULL, st.scheme == CT_TF_COUNT, p, &err);
        json_decref(p);
        ct_free(df);
    } else if (rc == CT_OK) {
        rc = cli_dist_output(&o, write_result, &r, 1, &err);
    }
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    cli_counted_free(&c);
    return status;
}
