/* cli_mtx.c — the three files of `--format mtx` (see cli_mtx.h). X.mtx is the -o path; the
 * side tables are named after it without its .mtx extension, so `-o tfidf.mtx` gives
 * tfidf.mtx, tfidf.rows.tsv and tfidf.cols.tsv. Each is written to a temporary file and the
 * three are moved into place only when all three were written. */
#include <stdlib.h>
#include <string.h>

#include "cli_dist.h"
#include "cli_mtx.h"
#include "mtx.h"

int cli_mtx_check(const cli_opts *o)
{
    if (strcmp(cli_format(o, "tsv"), "mtx") == 0 && (!o->output || strcmp(o->output, "-") == 0))
        return cli_usage_error(o, "--format mtx writes three files (X.mtx, X.rows.tsv, "
                                  "X.cols.tsv): give -o X.mtx");
    return cli_dist_check(o, "json|mtx");
}

/* path without a trailing ".mtx", then suffix (malloc'd). */
static char *side_path(const char *path, const char *suffix)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".mtx") == 0)
        n -= 4;
    char *s = malloc(n + strlen(suffix) + 1);
    if (s) {
        memcpy(s, path, n);
        strcpy(s + n, suffix);
    }
    return s;
}

int cli_write_mtx(const cli_opts *o, const cli_counted *c, const ct_matrix *m, const uint32_t *df,
                  const double *idf, int integer, json_t *parameters, ct_error *err)
{
    char *rows_path = side_path(o->output, ".rows.tsv"),
         *cols_path = side_path(o->output, ".cols.tsv");
    char *params = parameters ? json_dumps(parameters, JSON_COMPACT | CLI_JSON_FLAGS) : NULL;
    ct_out *out[3] = {NULL, NULL, NULL};
    int rc = rows_path && cols_path && (params || !parameters) ? CT_OK : CT_ENOMEM;
    const char *paths[3] = {o->output, rows_path, cols_path};
    for (int i = 0; rc == CT_OK && i < 3; i++)
        rc = ct_out_open(&out[i], paths[i], err);
    char *comment = NULL;
    if (rc == CT_OK) {
        const char *rb = strrchr(rows_path, '/'), *cb = strrchr(cols_path, '/');
        rb = rb ? rb + 1 : rows_path;
        cb = cb ? cb + 1 : cols_path;
        size_t len = strlen(rb) + strlen(cb) + (params ? strlen(params) : 0) + 128;
        comment = malloc(len);
        if (!comment)
            rc = CT_ENOMEM;
        else
            snprintf(comment, len, "comptext %s: rows in %s, columns in %s%s%s", o->command, rb, cb,
                     params ? "; parameters " : "", params ? params : "");
    }
    if (rc == CT_OK)
        rc = ct_mtx_write(ct_out_file(out[0]), m, integer, comment);
    if (rc == CT_OK)
        rc = ct_mtx_write_rows(ct_out_file(out[1]), CT_TABLE_TSV, m, c->corpus, c->groups);
    if (rc == CT_OK)
        rc = ct_mtx_write_cols(ct_out_file(out[2]), CT_TABLE_TSV, ct_matrix_vocab(m), df, idf);
    /* the side tables first, the matrix last */
    for (int i = 2; i >= 0; i--) {
        if (rc == CT_OK)
            rc = ct_out_commit(out[i], err);
        else
            ct_out_abort(out[i]);
        out[i] = NULL;
    }
    free(comment);
    free(params);
    free(rows_path);
    free(cols_path);
    return rc;
}
