/* tables.c — the result tables of the command line (see tables.h), moved here from the
 * command line's own files so that one layer writes every output. TSV and CSV go through
 * the one table writer (table.c) for their header rows and escaping; JSON results are
 * streamed — the parameters, then one array item at a time — so that a result with millions
 * of entries never exists as one jansson tree. */
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/vocab.h"
#include "output.h"
#include "table.h"
#include "tables.h"
#include "sort.h"

json_t *ct_json_row(const ct_corpus *corpus, const ct_grouping *groups, size_t row)
{
    json_t *r = json_object(), *meta = json_object();
    if (!r || !meta) {
        json_decref(r);
        json_decref(meta);
        return NULL;
    }
    size_t n_fields = ct_corpus_field_count(corpus);
    const char *id = groups ? ct_grouping_name(groups, row) : ct_corpus_id(corpus, row);
    int fail = json_object_set_new(r, "id", json_string(id));
    if (!groups) {
        fail |= json_object_set_new(r, "source", json_string(ct_corpus_source(corpus, row)));
        for (size_t f = 0; f < n_fields; f++) {
            const char *v = ct_corpus_meta(corpus, row, f);
            if (v)
                fail |= json_object_set_new(meta, ct_corpus_field_name(corpus, f), json_string(v));
        }
    } else {
        size_t n;
        const size_t *mem = ct_grouping_members(groups, row, &n);
        json_t *members = json_array();
        for (size_t i = 0; members && i < n; i++)
            fail |= json_array_append_new(members, json_string(ct_corpus_id(corpus, mem[i])));
        fail |= json_object_set_new(r, "members", members);
        for (size_t f = 0; f < n_fields; f++) {
            const char *v = ct_corpus_meta(corpus, mem[0], f);
            for (size_t i = 1; v && i < n; i++) {
                const char *w = ct_corpus_meta(corpus, mem[i], f);
                if (!w || strcmp(v, w) != 0)
                    v = NULL;
            }
            if (v)
                fail |= json_object_set_new(meta, ct_corpus_field_name(corpus, f), json_string(v));
        }
    }
    fail |= json_object_set_new(r, "metadata", meta);
    if (fail) {
        json_decref(r);
        return NULL;
    }
    return r;
}

int ct_json_begin(FILE *f, json_t *parameters)
{
    if (!parameters)
        return CT_ENOMEM;
    fputs("{\"parameters\": ", f);
    int rc = json_dumpf(parameters, f, CT_JSON_FLAGS) == 0 ? CT_OK : CT_EIO;
    json_decref(parameters);
    return rc;
}

int ct_json_array_begin(FILE *f, const char *key)
{
    fputs(",\n", f);
    json_t *k = json_string(key);
    if (!k)
        return CT_ENOMEM;
    int rc = json_dumpf(k, f, JSON_ENCODE_ANY) == 0 ? CT_OK : CT_EIO;
    json_decref(k);
    fputs(": [", f);
    return rc;
}

int ct_json_item(FILE *f, json_t *item, int first)
{
    if (!item)
        return CT_ENOMEM;
    fputs(first ? "\n" : ",\n", f);
    int rc = json_dumpf(item, f, CT_JSON_FLAGS) == 0 ? CT_OK : CT_EIO;
    json_decref(item);
    return rc;
}

int ct_json_array_end(FILE *f)
{
    fputs("\n]", f);
    return CT_OK;
}

int ct_json_end(FILE *f)
{
    return fputs("\n}\n", f) < 0 ? CT_EIO : CT_OK;
}

int ct_write_entries_table(FILE *f, const ct_matrix *m, const char *format,
                           const char *value_column)
{
    const char *const cols[] = {"id", "term", value_column};
    ct_table *t;
    int rc = ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 3);
    if (rc != CT_OK)
        return rc;
    const ct_vocab *v = ct_matrix_vocab(m);
    for (size_t r = 0; r < ct_matrix_rows(m); r++) {
        const char *id = ct_matrix_row_id(m, r);
        size_t id_len = strlen(id);
        const uint32_t *cols_of;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols_of, &vals, &n);
        for (size_t i = 0; i < n; i++) {
            if (vals[i] == 0.0)
                continue;
            ct_table_textn(t, id, id_len);
            ct_table_textn(t, ct_vocab_term(v, cols_of[i]), ct_vocab_term_len(v, cols_of[i]));
            ct_table_double(t, vals[i]);
        }
    }
    return ct_table_finish(t);
}

int ct_write_entries_json(FILE *f, const ct_corpus *corpus, const ct_grouping *groups,
                          const ct_matrix *m, json_t *parameters, const char *value_key)
{
    int rc = ct_json_begin(f, parameters);
    if (rc == CT_OK)
        rc = ct_json_array_begin(f, "documents");
    const ct_vocab *v = ct_matrix_vocab(m);
    for (size_t r = 0; rc == CT_OK && r < ct_matrix_rows(m); r++) {
        json_t *row = ct_json_row(corpus, groups, r), *terms = json_array();
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, r, &cols, &vals, &n);
        for (size_t i = 0; terms && i < n; i++)
            if (vals[i] != 0.0 &&
                json_array_append_new(terms,
                                      json_pack("{s:s, s:f}", "term", ct_vocab_term(v, cols[i]),
                                                value_key, vals[i])) != 0) {
                json_decref(terms);
                terms = NULL;
            }
        if (!row || !terms) {
            json_decref(row);
            json_decref(terms);
            return CT_ENOMEM;
        }
        if (json_object_set_new(row, "terms", terms) != 0) {
            json_decref(row);
            return CT_ENOMEM;
        }
        rc = ct_json_item(f, row, r == 0);
    }
    if (rc == CT_OK)
        rc = ct_json_array_end(f);
    return rc == CT_OK ? ct_json_end(f) : rc;
}

/* Item json (stolen) of a JSON array dumped with JSON_INDENT(1) at depth 1: its own dump
 * with every line indented by one more space, after ",\n" (the first: "\n"), as jansson
 * writes the items of the whole array (a raw line break is always its indentation: one in
 * a string is written \n). */
static int json_indented_item(FILE *f, json_t *item, int first)
{
    if (!item)
        return CT_ENOMEM;
    char *text = json_dumps(item, JSON_INDENT(1));
    json_decref(item);
    if (!text)
        return CT_ENOMEM;
    fputs(first ? "\n " : ",\n ", f);
    for (const char *p = text; *p; p++) {
        putc(*p, f);
        if (*p == '\n')
            putc(' ', f);
    }
    ct_free(text); /* jansson allocates with ct_set_alloc_funcs' functions */
    return ferror(f) ? CT_EIO : CT_OK;
}

int ct_write_themes(FILE *f, const char *format, const ct_matrix *m, const ct_themes *t)
{
    return ct_write_themes_part(f, format, m, t, 0, ct_matrix_rows(m), 1);
}

int ct_write_themes_part(FILE *f, const char *format, const ct_matrix *m, const ct_themes *t,
                         size_t first, size_t total, int begin)
{
    const ct_vocab *v = ct_matrix_vocab(m);
    size_t rows = ct_matrix_rows(m);
    int grouped = ct_themes_grouped(t);
    if (strcmp(format, "tsv") == 0 || strcmp(format, "csv") == 0) {
        static const char *const cols[] = {"id", "term", "score", "docs", "dp"};
        ct_table *tab;
        int rc = ct_table_new(&tab, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV,
                              cols, grouped ? 5 : 3);
        if (rc != CT_OK)
            return rc;
        for (size_t r = 0; r < rows; r++) {
            size_t n;
            const ct_theme *th = ct_themes_row(t, r, &n);
            for (size_t i = 0; i < n; i++) {
                ct_table_text(tab, ct_matrix_row_id(m, r));
                ct_table_text(tab, ct_vocab_term(v, th[i].term));
                ct_table_double(tab, th[i].score);
                if (grouped) {
                    ct_table_u64(tab, (uint64_t)th[i].docs);
                    ct_table_double(tab, th[i].dp);
                }
            }
        }
        return ct_table_finish(tab);
    }
    if (total == 0)
        return begin && fputs("[]\n", f) < 0 ? CT_EIO : CT_OK;
    if (begin)
        putc('[', f);
    int rc = CT_OK;
    for (size_t r = 0; rc == CT_OK && r < rows; r++) {
        size_t n;
        const ct_theme *th = ct_themes_row(t, r, &n);
        json_t *list = json_array();
        if (!list) {
            rc = CT_ENOMEM;
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (json_array_append_new(
                    list, grouped ? json_pack("{s:s, s:f, s:I, s:f}", "term",
                                              ct_vocab_term(v, th[i].term), "score", th[i].score,
                                              "docs", (json_int_t)th[i].docs, "dp", th[i].dp)
                                  : json_pack("{s:s, s:f}", "term", ct_vocab_term(v, th[i].term),
                                              "score", th[i].score)) != 0)
                rc = CT_ENOMEM;
        json_t *obj = json_pack("{s:s, s:o}", "id", ct_matrix_row_id(m, r), "themes", list);
        if (rc == CT_OK)
            rc = json_indented_item(f, obj, first + r == 0);
        else
            json_decref(obj);
    }
    if (rc == CT_OK && rows && first + rows == total && fputs("\n]\n", f) < 0)
        rc = CT_EIO;
    return rc == CT_OK && ferror(f) ? CT_EIO : rc;
}

typedef struct ref_row {
    const char *term;
    double count;
    uint32_t docs;
} ref_row;

static int by_count(const void *x, const void *y)
{
    const ref_row *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->term, b->term);
}

int ct_write_reference(FILE *f, const ct_matrix *m)
{
    const ct_vocab *v = ct_matrix_vocab(m);
    size_t cols = ct_matrix_cols(m), n = 0;
    double *sum = NULL, total = 0;
    uint32_t *df = NULL;
    ref_row *rows = malloc((cols ? cols : 1) * sizeof *rows);
    int rc = rows ? CT_OK : CT_ENOMEM;
    if (rc == CT_OK && (rc = ct_matrix_col_sums(m, &sum)) == CT_OK)
        rc = ct_matrix_col_nonzero(m, &df);
    for (size_t j = 0; rc == CT_OK && j < cols; j++) {
        total += sum[j];
        if (sum[j] > 0)
            rows[n++] = (ref_row){ct_vocab_term(v, (uint32_t)j), sum[j], df[j]};
    }
    if (rc == CT_OK) {
        ct_sort(rows, n, sizeof *rows, by_count);
        fprintf(f, "# documents %zu\n# tokens ", ct_matrix_rows(m));
        ct_write_double(f, total);
        fputs("\nterm\tcount\tdocuments\n", f);
        for (size_t i = 0; i < n; i++) {
            ct_write_tsv_field(f, rows[i].term);
            putc('\t', f);
            ct_write_double(f, rows[i].count);
            putc('\t', f);
            ct_write_u64(f, rows[i].docs);
            putc('\n', f);
        }
        if (ferror(f))
            rc = CT_EIO;
    }
    ct_free(sum);
    ct_free(df);
    free(rows);
    return rc;
}

int ct_write_similarity_csv(FILE *f, size_t n, const char *const *ids, const double *const *rows)
{
    for (size_t j = 0; j < n; j++) {
        putc(',', f);
        ct_write_csv_field(f, ids[j]);
    }
    putc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const double *row = rows[i];
        ct_write_csv_field(f, ids[i]);
        for (size_t j = 0; j < n; j++) {
            putc(',', f);
            ct_write_double(f, row[j]);
        }
        putc('\n', f);
    }
    return ferror(f) ? CT_EIO : CT_OK;
}

int ct_write_simmatrix_csv(FILE *f, const ct_matrix *m, const ct_simmatrix *s)
{
    size_t n = ct_simmatrix_size(s);
    const char **ids = malloc((n + 1) * sizeof *ids);
    const double **rows = malloc((n + 1) * sizeof *rows);
    int rc = CT_ENOMEM;
    if (ids && rows) {
        for (size_t i = 0; i < n; i++) {
            ids[i] = ct_matrix_row_id(m, i);
            rows[i] = ct_simmatrix_row(s, i);
        }
        rc = ct_write_similarity_csv(f, n, ids, rows);
    }
    free(ids);
    free(rows);
    return rc;
}

int ct_write_neighbours_table(FILE *f, const char *format, const ct_matrix *m,
                              const ct_neighbours *nb)
{
    static const char *const cols[] = {"id", "neighbour", "score"};
    ct_table *t;
    int rc = ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 3);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_matrix_rows(m); i++) {
        size_t k;
        const ct_neighbour *r = ct_neighbours_row(nb, i, &k);
        for (size_t q = 0; q < k; q++) {
            ct_table_text(t, ct_matrix_row_id(m, i));
            ct_table_text(t, ct_matrix_row_id(m, r[q].row));
            ct_table_double(t, r[q].score);
        }
    }
    return ct_table_finish(t);
}

int ct_write_tokens_line(FILE *f, const char *id, json_t *tokens)
{
    json_t *line = json_object();
    if (!line)
        return CT_ENOMEM;
    int rc = CT_OK;
    json_object_set_new(line, "id", json_string(id));
    json_object_set(line, "tokens", tokens);
    if (json_dumpf(line, f, 0) != 0)
        rc = CT_EIO;
    fputc('\n', f);
    json_decref(line);
    return rc;
}

int ct_write_keyness_table(FILE *f, const char *format, const ct_keyness *k, const ct_vocab *v,
                           int bh)
{
    static const char *const cols[] = {"term",        "statistic",
                                       "p",           "effect",
                                       "n_target",    "n_reference",
                                       "docs_target", "docs_reference",
                                       "dp",          "statistic_without_top"};
    ct_table *t;
    int rc =
        ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 10);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_keyness_size(k); i++) {
        const ct_keyness_row *r = ct_keyness_get_row(k, i);
        ct_table_text(t, ct_vocab_term(v, r->term));
        double vals[5] = {r->stat, bh ? r->p_adjusted : r->p, r->effect, r->n_target,
                          r->n_reference};
        for (int j = 0; j < 5; j++)
            ct_table_double(t, vals[j]);
        ct_table_u64(t, r->docs_target);
        ct_table_u64(t, r->docs_reference);
        ct_table_double(t, r->dp);
        ct_table_double(t, r->stat_without_top);
    }
    return ct_table_finish(t);
}

int ct_write_keyness_json(FILE *f, const ct_keyness *k, const ct_vocab *v, const char *stat,
                          const ct_corpus *c, const unsigned char *mask, json_t *parameters)
{
    double n1, n2;
    size_t d1, d2;
    ct_keyness_totals(k, &n1, &n2);
    ct_keyness_documents(k, &d1, &d2);
    json_t *ids = json_array(), *terms = json_array();
    int rc = ids && terms ? CT_OK : CT_ENOMEM;
    for (size_t d = 0; rc == CT_OK && d < ct_corpus_size(c); d++)
        if (mask[d] && json_array_append_new(ids, json_string(ct_corpus_id(c, d))) != 0)
            rc = CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < ct_keyness_size(k); i++) {
        const ct_keyness_row *r = ct_keyness_get_row(k, i);
        if (json_array_append_new(
                terms,
                json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:f, s:f}", "term",
                          ct_vocab_term(v, r->term), "statistic", r->stat, "p", r->p, "p_adjusted",
                          r->p_adjusted, "effect", r->effect, "n_target", r->n_target,
                          "n_reference", r->n_reference, "docs_target", (json_int_t)r->docs_target,
                          "docs_reference", (json_int_t)r->docs_reference, "dp", r->dp,
                          "statistic_without_top", r->stat_without_top)) != 0)
            rc = CT_ENOMEM;
    }
    json_t *obj = NULL;
    ct_keyness_rank rk = ct_keyness_ranked_by(k);
    if (rc == CT_OK) {
        obj = parameters
                  ? json_pack("{s:O, s:O, s:s, s:s, s:f, s:f, s:I, s:I, s:O}", "parameters",
                              parameters, "target", ids, "statistic", stat, "ranked_by",
                              rk == CT_KEYNESS_RANK_WITHOUT_TOP ? "statistic_without_top"
                                                                : "statistic",
                              "target_size", n1, "reference_size", n2, "target_documents",
                              (json_int_t)d1, "reference_documents", (json_int_t)d2, "terms", terms)
                  : NULL;
        if (!obj)
            rc = CT_ENOMEM;
    }
    if (rc == CT_OK && json_dumpf(obj, f, JSON_INDENT(1)) != 0)
        rc = CT_EIO;
    fputc('\n', f);
    json_decref(obj);
    json_decref(ids);
    json_decref(terms);
    return rc;
}

int ct_write_kwic_json(FILE *f, const char *id, const ct_kwic_hit *h)
{
    json_t *obj = json_pack("{s:s, s:I, s:s, s:s, s:s}", "id", id, "offset", (json_int_t)h->offset,
                            "left", h->left, "term", h->term, "right", h->right);
    if (!obj)
        return CT_ENOMEM;
    int rc = json_dumpf(obj, f, JSON_COMPACT) == 0 ? CT_OK : CT_EIO;
    json_decref(obj);
    fputc('\n', f);
    return rc;
}

int ct_write_kwic_row(ct_table *t, const char *id, const ct_kwic_hit *h)
{
    ct_table_text(t, id);
    ct_table_u64(t, h->offset);
    ct_table_text(t, h->left);
    ct_table_text(t, h->term);
    ct_table_text(t, h->right);
    return CT_OK;
}

int ct_write_ranked_terms(FILE *f, const char *format, const ct_ranked_term *r, size_t n,
                          json_t *parameters)
{
    if (strcmp(format, "json") == 0) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) {
            json_t *count = json_integer((json_int_t)r[i].count);
            if (json_array_append_new(arr,
                                      json_pack("{s:s, s:o}", "term", r[i].term, "count", count)))
                break;
        }
        json_t *obj = arr && json_array_size(arr) == n && parameters
                          ? json_pack("{s:O, s:O}", "parameters", parameters, "terms", arr)
                          : NULL;
        int rc = obj && json_dumpf(obj, f, JSON_INDENT(1) | CT_JSON_FLAGS) == 0 ? CT_OK : CT_ENOMEM;
        fputc('\n', f);
        json_decref(obj);
        json_decref(arr);
        return rc;
    }
    static const char *const cols[] = {"term", "count"};
    ct_table *t;
    int rc = ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 2);
    for (size_t i = 0; rc == CT_OK && i < n; i++) {
        ct_table_textn(t, r[i].term, r[i].len);
        ct_table_u64(t, r[i].count);
    }
    return rc == CT_OK ? ct_table_finish(t) : rc;
}

int ct_write_term_stats(FILE *f, const char *format, const char *const *terms,
                        const ct_term_stats *stats, size_t n)
{
    static const char *const cols[] = {"term",     "count",  "segments",
                                       "cohesion", "h_left", "h_right"};
    ct_table *t;
    int rc = ct_table_new(&t, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV, cols, 6);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const ct_term_stats *st = &stats[i];
        ct_table_text(t, terms[i]);
        double vals[5] = {st->count, st->tokens, st->cohesion, st->h_left, st->h_right};
        for (int j = 0; j < 5; j++)
            ct_table_double(t, vals[j]);
    }
    return ct_table_finish(t);
}

int ct_write_similarity_json(FILE *f, json_t *p, const ct_corpus *corpus, const ct_grouping *groups,
                             const ct_matrix *m, const ct_simmatrix *s, const ct_neighbours *nb)
{
    int rc = ct_json_begin(f, p);
    size_t n = ct_matrix_rows(m);
    if (rc == CT_OK)
        rc = ct_json_array_begin(f, "documents");
    for (size_t i = 0; rc == CT_OK && i < n; i++)
        rc = ct_json_item(f, ct_json_row(corpus, groups, i), i == 0);
    if (rc == CT_OK)
        rc = ct_json_array_end(f);
    if (rc == CT_OK)
        rc = ct_json_array_begin(f, s ? "matrix" : "neighbours");
    for (size_t i = 0; rc == CT_OK && i < n; i++) {
        json_t *item;
        if (s) {
            item = json_array();
            const double *row = ct_simmatrix_row(s, i);
            for (size_t j = 0; item && j < n; j++)
                if (json_array_append_new(item, json_real(row[j])) != 0) {
                    json_decref(item);
                    item = NULL;
                }
        } else {
            size_t k;
            const ct_neighbour *r = ct_neighbours_row(nb, i, &k);
            json_t *list = json_array();
            for (size_t q = 0; list && q < k; q++)
                if (json_array_append_new(list, json_pack("{s:s, s:f}", "id",
                                                          ct_matrix_row_id(m, r[q].row), "score",
                                                          r[q].score)) != 0) {
                    json_decref(list);
                    list = NULL;
                }
            item = list ? json_pack("{s:s, s:o}", "id", ct_matrix_row_id(m, i), "neighbours", list)
                        : NULL;
        }
        rc = ct_json_item(f, item, i == 0);
    }
    if (rc == CT_OK)
        rc = ct_json_array_end(f);
    return rc == CT_OK ? ct_json_end(f) : rc;
}
