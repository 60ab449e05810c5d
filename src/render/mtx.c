/* mtx.c — Matrix Market coordinate files with their row and column tables (see mtx.h).
 *
 * The coordinate format is what scipy.io.mmread, R's Matrix::readMM, MATLAB and Julia read
 * directly, and is about a third of the size of the id/term/value TSV (ids and terms are
 * written once, in the side tables, not on every entry). The rows table lists every row, the
 * empty ones too, so that row i of the matrix is line i of the table whatever the corpus
 * holds. */
#include <math.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "mtx.h"
#include "output.h"

int ct_mtx_write(FILE *f, const ct_matrix *m, int integer, const char *comment)
{
    size_t rows = ct_matrix_rows(m), nnz = 0;
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols, &vals, &n);
        for (size_t i = 0; i < n; i++) {
            nnz += vals[i] != 0.0;
            if (integer && (vals[i] != floor(vals[i]) || fabs(vals[i]) > 9e15))
                integer = 0;
        }
    }
    fprintf(f, "%%%%MatrixMarket matrix coordinate %s general\n", integer ? "integer" : "real");
    if (comment)
        fprintf(f, "%% %s\n", comment);
    fprintf(f, "%zu %zu %zu\n", rows, ct_matrix_cols(m), nnz);
    char line[3 * 24 + CT_DOUBLE_BUF];
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols, &vals, &n);
        for (size_t i = 0; i < n; i++) {
            if (vals[i] == 0.0)
                continue;
            int k = snprintf(line, sizeof line, "%zu %u ", r + 1, cols[i] + 1);
            size_t len = (size_t)k + ct_format_double(line + k, vals[i]);
            line[len++] = '\n';
            fwrite(line, 1, len, f);
        }
    }
    return ferror(f) ? CT_EIO : CT_OK;
}

int ct_mtx_write_rows(FILE *f, ct_table_format fmt, const ct_matrix *m, const ct_corpus *corpus,
                      const ct_grouping *g)
{
    size_t n_fields = ct_corpus_field_count(corpus), fixed = 5;
    const char **cols = ct_malloc((fixed + n_fields + 1) * sizeof *cols);
    if (!cols)
        return CT_ENOMEM;
    size_t c = 0;
    cols[c++] = "row";
    cols[c++] = "id";
    if (g) {
        cols[c++] = "n_members";
        cols[c++] = "members";
    } else {
        cols[c++] = "source";
    }
    cols[c++] = "n_terms";
    /* A metadata field named like a fixed column (a manifest's "source", say) is written as
     * "meta.NAME", so that no two columns share a name. */
    char **renamed = ct_calloc(n_fields ? n_fields : 1, sizeof *renamed);
    int rc = renamed ? CT_OK : CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < n_fields; i++) {
        const char *name = ct_corpus_field_name(corpus, i);
        int clash = 0;
        for (size_t k = 0; k < c; k++)
            clash |= strcmp(cols[k], name) == 0;
        if (clash) {
            size_t len = strlen(name) + 6;
            renamed[i] = ct_malloc(len);
            if (!renamed[i])
                rc = CT_ENOMEM;
            else
                snprintf(renamed[i], len, "meta.%s", name);
        }
        cols[c + i] = renamed && renamed[i] ? renamed[i] : name;
    }
    ct_table *t = NULL;
    if (rc == CT_OK)
        rc = ct_table_new(&t, f, fmt, cols, c + n_fields);
    for (size_t i = 0; renamed && i < n_fields; i++)
        ct_free(renamed[i]);
    ct_free(renamed);
    ct_free(cols);
    if (rc != CT_OK)
        return rc;
    char *joined = NULL;
    size_t cap = 0;
    for (size_t r = 0; rc == CT_OK && r < ct_matrix_rows(m); r++) {
        const uint32_t *mc;
        const double *vals;
        size_t n, nz = 0;
        ct_matrix_row(m, r, &mc, &vals, &n);
        for (size_t i = 0; i < n; i++)
            nz += vals[i] != 0.0;
        ct_table_u64(t, r + 1);
        ct_table_text(t, ct_matrix_row_id(m, r));
        size_t count = 1, doc = r;
        const size_t *mem = &doc;
        if (g) {
            mem = ct_grouping_members(g, r, &count);
            size_t len = 0;
            for (size_t i = 0; i < count; i++)
                len += strlen(ct_corpus_id(corpus, mem[i])) + 1;
            if (len > cap) {
                char *p = ct_realloc(joined, len);
                if (!p) {
                    rc = CT_ENOMEM;
                    break;
                }
                joined = p;
                cap = len;
            }
            size_t at = 0;
            for (size_t i = 0; i < count; i++) {
                const char *id = ct_corpus_id(corpus, mem[i]);
                if (i)
                    joined[at++] = '|';
                memcpy(joined + at, id, strlen(id));
                at += strlen(id);
            }
            ct_table_u64(t, count);
            ct_table_textn(t, joined ? joined : "", at);
        } else {
            ct_table_text(t, ct_corpus_source(corpus, doc));
        }
        ct_table_u64(t, nz);
        for (size_t fi = 0; fi < n_fields; fi++) {
            const char *v = ct_corpus_meta(corpus, mem[0], fi);
            for (size_t i = 1; v && i < count; i++) {
                const char *w = ct_corpus_meta(corpus, mem[i], fi);
                if (!w || strcmp(v, w) != 0)
                    v = NULL;
            }
            ct_table_text(t, v);
        }
    }
    ct_free(joined);
    int done = ct_table_finish(t);
    return rc == CT_OK ? done : rc;
}

int ct_mtx_write_cols(FILE *f, ct_table_format fmt, const ct_vocab *v, const uint32_t *df,
                      const double *idf)
{
    static const char *const cols[] = {"col", "term", "df", "idf"};
    ct_table *t;
    int rc = ct_table_new(&t, f, fmt, cols, idf ? 4 : 3);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_vocab_size(v); i++) {
        ct_table_u64(t, i + 1);
        ct_table_textn(t, ct_vocab_term(v, (uint32_t)i), ct_vocab_term_len(v, (uint32_t)i));
        ct_table_u64(t, df[i]);
        if (idf)
            ct_table_double(t, idf[i]);
    }
    return ct_table_finish(t);
}
