/* tfidf_model.c — fitted TF-IDF models: fit, transform, and reading a model file
 * (comptext/tfidf_model.h; ct_tfidf_model_write in src/render/model.c writes them).
 *
 * A model is the vocabulary, idf and df of the fitting corpus with the tf and norm options.
 * Transform looks every term of the new counts up in the model's vocabulary (a hash lookup
 * a distinct term of the new vocabulary, once, not a lookup an entry), so it costs one pass
 * over the entries. The file is JSON (jansson): checked field by field, so that a damaged or
 * foreign file is an error naming it rather than a model that weighs wrongly. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/tfidf_model.h"
#include "comptext/vocab.h"
#include "sort.h"

struct ct_tfidf_model {
    ct_vocab *vocab;
    double *idf;
    uint32_t *df;
    size_t n_documents;
    unsigned flags;
    ct_tfidf_norm norm;
    char *parameters; /* JSON object text */
};

void ct_tfidf_model_free(ct_tfidf_model *m)
{
    if (!m)
        return;
    ct_vocab_unref(m->vocab);
    ct_free(m->idf);
    ct_free(m->df);
    ct_free(m->parameters);
    ct_free(m);
}

int ct_tfidf_model_new(ct_tfidf_model **out, const ct_vocab *vocab, const double *idf,
                       const uint32_t *df, size_t n_documents, const ct_tfidf_options *opts,
                       const char *parameters_json)
{
    *out = NULL;
    size_t n = ct_vocab_size(vocab);
    ct_tfidf_model *m = ct_calloc(1, sizeof *m);
    if (!m)
        return CT_ENOMEM;
    m->idf = ct_malloc((n ? n : 1) * sizeof *m->idf);
    m->df = ct_malloc((n ? n : 1) * sizeof *m->df);
    m->parameters = ct_strdup(parameters_json ? parameters_json : "{}");
    /* the model's own copy of the terms: the caller's vocabulary is const */
    unsigned char *all = ct_malloc(n ? n : 1);
    uint32_t *same = NULL;
    if (all)
        memset(all, 1, n ? n : 1);
    int rc = m->idf && m->df && m->parameters && all ? ct_vocab_subset(&m->vocab, &same, vocab, all)
                                                     : CT_ENOMEM;
    ct_free(all);
    ct_free(same);
    if (rc != CT_OK) {
        ct_tfidf_model_free(m);
        return rc;
    }
    if (n) {
        memcpy(m->idf, idf, n * sizeof *idf);
        memcpy(m->df, df, n * sizeof *df);
    }
    m->n_documents = n_documents;
    m->flags = opts->flags & (CT_TFIDF_SUBLINEAR_TF | CT_TFIDF_NO_SMOOTH_IDF | CT_TFIDF_NO_IDF);
    m->norm = opts->norm;
    *out = m;
    return CT_OK;
}

int ct_tfidf_model_fit(ct_tfidf_model **out, const ct_matrix *counts, const ct_tfidf_options *opts,
                       const char *parameters_json, ct_error *err)
{
    *out = NULL;
    ct_matrix *w = NULL;
    double *idf = NULL;
    uint32_t *df = NULL;
    int rc = ct_tfidf_compute(&w, &idf, counts, opts, err);
    /* weights are non-zero exactly where counts are (tf >= 1, idf >= 1) */
    if (rc == CT_OK)
        rc = ct_matrix_col_nonzero(w, &df);
    if (rc == CT_OK)
        rc = ct_tfidf_model_new(out, ct_matrix_vocab(w), idf, df, ct_matrix_rows(counts), opts,
                                parameters_json);
    ct_free(df);
    ct_free(idf);
    ct_matrix_free(w);
    return rc;
}

const ct_vocab *ct_tfidf_model_vocab(const ct_tfidf_model *m)
{
    return m->vocab;
}

const double *ct_tfidf_model_idf(const ct_tfidf_model *m)
{
    return m->idf;
}

const uint32_t *ct_tfidf_model_df(const ct_tfidf_model *m)
{
    return m->df;
}

size_t ct_tfidf_model_n_documents(const ct_tfidf_model *m)
{
    return m->n_documents;
}

unsigned ct_tfidf_model_flags(const ct_tfidf_model *m)
{
    return m->flags;
}

ct_tfidf_norm ct_tfidf_model_norm(const ct_tfidf_model *m)
{
    return m->norm;
}

const char *ct_tfidf_model_parameters(const ct_tfidf_model *m)
{
    return m->parameters;
}

typedef struct entry {
    uint32_t col;
    double value;
} entry;

static int by_col(const void *a, const void *b)
{
    uint32_t x = ((const entry *)a)->col, y = ((const entry *)b)->col;
    return x < y ? -1 : x > y;
}

int ct_tfidf_model_transform(ct_matrix **out, const ct_tfidf_model *m, const ct_matrix *counts)
{
    *out = NULL;
    const ct_vocab *cv = ct_matrix_vocab(counts);
    size_t nterms = ct_matrix_cols(counts), rows = ct_matrix_rows(counts);
    uint32_t *map = ct_malloc((nterms ? nterms : 1) * sizeof *map);
    size_t *row_ptr = ct_malloc((rows + 1) * sizeof *row_ptr);
    const char **ids = ct_malloc((rows ? rows : 1) * sizeof *ids);
    if (!map || !row_ptr || !ids) {
        ct_free(map);
        ct_free(row_ptr);
        ct_free(ids);
        return CT_ENOMEM;
    }
    /* The new corpus's terms → the model's ids (UINT32_MAX: unknown, dropped). */
    for (size_t t = 0; t < nterms; t++)
        if (ct_vocab_find(m->vocab, ct_vocab_term(cv, (uint32_t)t),
                          ct_vocab_term_len(cv, (uint32_t)t), &map[t]) != CT_OK)
            map[t] = UINT32_MAX;
    size_t nnz = 0;
    row_ptr[0] = 0;
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(counts, r, &cols, &vals, &n);
        for (size_t i = 0; i < n; i++)
            nnz += map[cols[i]] != UINT32_MAX && vals[i] != 0.0;
        row_ptr[r + 1] = nnz;
        ids[r] = ct_matrix_row_id(counts, r);
    }
    uint32_t *ocols = ct_malloc((nnz ? nnz : 1) * sizeof *ocols);
    double *ovals = ct_malloc((nnz ? nnz : 1) * sizeof *ovals);
    entry *e = ct_malloc((nnz ? nnz : 1) * sizeof *e);
    int rc = ocols && ovals && e ? CT_OK : CT_ENOMEM;
    int sublinear = (m->flags & CT_TFIDF_SUBLINEAR_TF) != 0;
    for (size_t r = 0; rc == CT_OK && r < rows; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t n, k = 0, at = row_ptr[r];
        ct_matrix_row(counts, r, &cols, &vals, &n);
        for (size_t i = 0; i < n; i++)
            if (map[cols[i]] != UINT32_MAX && vals[i] != 0.0)
                e[k++] = (entry){map[cols[i]], vals[i]};
        /* the two vocabularies are both in byte order, so this is usually sorted already */
        ct_sort(e, k, sizeof *e, by_col);
        for (size_t i = 0; i < k; i++) {
            double x = e[i].value;
            if (sublinear && x > 0.0)
                x = log(x) + 1.0;
            ocols[at + i] = e[i].col;
            ovals[at + i] = x * m->idf[e[i].col];
        }
    }
    ct_free(e);
    ct_free(map);
    if (rc != CT_OK) {
        ct_free(ocols);
        ct_free(ovals);
        ct_free(row_ptr);
        ct_free(ids);
        return rc;
    }
    rc = ct_matrix_new(out, rows, m->vocab, row_ptr, ocols, ovals, ids);
    ct_free(ids);
    if (rc == CT_OK)
        ct_tfidf_normalize_rows(*out, m->norm);
    return rc;
}

/* --- reading a model file -------------------------------------------------------------- */

static int damaged(ct_error *err, const char *path, const char *what)
{
    ct_error_set(err, path, 0, -1, "not a valid comptext TF-IDF model: %s", what);
    return CT_EINPUT;
}

static int get_bool(json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_boolean(v))
        return -1;
    *out = json_is_true(v);
    return 0;
}

static int load_json(ct_tfidf_model **out, json_t *root, const char *path, ct_error *err)
{
    char what[256];
    if (!json_is_object(root))
        return damaged(err, path, "the file is not a JSON object");
    json_t *format = json_object_get(root, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), CT_TFIDF_MODEL_FORMAT) != 0)
        return damaged(err, path, "no \"format\": \"" CT_TFIDF_MODEL_FORMAT "\"");
    json_t *version = json_object_get(root, "format_version");
    if (!json_is_integer(version))
        return damaged(err, path, "\"format_version\" is missing");
    if (json_integer_value(version) != CT_TFIDF_MODEL_VERSION) {
        snprintf(what, sizeof what, "format_version %lld (this comptext reads version %d)",
                 (long long)json_integer_value(version), CT_TFIDF_MODEL_VERSION);
        return damaged(err, path, what);
    }
    json_t *params = json_object_get(root, "parameters");
    if (!json_is_object(params))
        return damaged(err, path, "\"parameters\" is not an object");
    json_t *nd = json_object_get(root, "n_documents");
    if (!json_is_integer(nd) || json_integer_value(nd) < 1)
        return damaged(err, path, "\"n_documents\" is not a positive integer");
    json_t *w = json_object_get(root, "weighting");
    ct_tfidf_options o;
    ct_tfidf_options_init(&o);
    int sublinear, smooth, use_idf;
    json_t *norm = json_object_get(w, "norm");
    if (!json_is_object(w) || get_bool(w, "sublinear_tf", &sublinear) ||
        get_bool(w, "smooth_idf", &smooth) || get_bool(w, "use_idf", &use_idf) ||
        !json_is_string(norm) || ct_tfidf_norm_parse(json_string_value(norm), &o.norm))
        return damaged(err, path,
                       "\"weighting\" needs sublinear_tf, smooth_idf, use_idf (true or false) "
                       "and norm (l2, l1 or none)");
    o.flags = (sublinear ? CT_TFIDF_SUBLINEAR_TF : 0) | (smooth ? 0 : CT_TFIDF_NO_SMOOTH_IDF) |
              (use_idf ? 0 : CT_TFIDF_NO_IDF);
    json_t *terms = json_object_get(root, "terms"), *idf = json_object_get(root, "idf"),
           *df = json_object_get(root, "df");
    if (!json_is_array(terms) || !json_is_array(idf) || !json_is_array(df))
        return damaged(err, path, "\"terms\", \"df\" and \"idf\" must be arrays");
    size_t n = json_array_size(terms);
    if (json_array_size(idf) != n || json_array_size(df) != n) {
        snprintf(what, sizeof what, "%zu terms but %zu df and %zu idf values", n,
                 json_array_size(df), json_array_size(idf));
        return damaged(err, path, what);
    }
    if (n >= UINT32_MAX)
        return damaged(err, path, "too many terms");
    json_int_t ndocs = json_integer_value(nd);
    const char **tv = ct_malloc((n ? n : 1) * sizeof *tv);
    double *iv = ct_malloc((n ? n : 1) * sizeof *iv);
    uint32_t *dv = ct_malloc((n ? n : 1) * sizeof *dv);
    int rc = tv && iv && dv ? CT_OK : CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < n; i++) {
        json_t *t = json_array_get(terms, i), *x = json_array_get(idf, i),
               *d = json_array_get(df, i);
        if (!json_is_string(t) || json_string_length(t) == 0) {
            snprintf(what, sizeof what, "term %zu is not a non-empty string", i + 1);
            rc = damaged(err, path, what);
        } else if (i > 0 && strcmp(tv[i - 1], json_string_value(t)) >= 0) {
            snprintf(what, sizeof what, "term %zu is not after term %zu in byte order", i + 1, i);
            rc = damaged(err, path, what);
        } else if (!json_is_number(x) || !isfinite(json_number_value(x)) ||
                   json_number_value(x) < 1.0) {
            snprintf(what, sizeof what, "idf %zu is not a number of at least 1", i + 1);
            rc = damaged(err, path, what);
        } else if (!json_is_integer(d) || json_integer_value(d) < 1 ||
                   json_integer_value(d) > ndocs) {
            snprintf(what, sizeof what, "df %zu is not an integer from 1 to n_documents", i + 1);
            rc = damaged(err, path, what);
        } else {
            tv[i] = json_string_value(t);
            iv[i] = json_number_value(x);
            dv[i] = (uint32_t)json_integer_value(d);
        }
    }
    ct_vocab *vocab = NULL;
    uint32_t *remap = NULL;
    char *ptext = NULL;
    if (rc == CT_OK)
        rc = ct_vocab_from_terms(&vocab, &remap, tv, n);
    if (rc == CT_OK) {
        /* byte order in the file is the vocabulary's order: remap is the identity */
        for (size_t i = 0; i < n; i++)
            if (remap[i] != i)
                rc = damaged(err, path, "terms are not in byte order");
    }
    if (rc == CT_OK) {
        ptext = json_dumps(params, JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (!ptext)
            rc = CT_ENOMEM;
    }
    if (rc == CT_OK)
        rc = ct_tfidf_model_new(out, vocab, iv, dv, (size_t)ndocs, &o, ptext);
    free(ptext);
    ct_free(remap);
    ct_vocab_unref(vocab);
    ct_free(tv);
    ct_free(iv);
    ct_free(dv);
    return rc;
}

int ct_tfidf_model_load(ct_tfidf_model **out, const char *path, ct_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_set(err, path, 0, -1, "cannot read the model: %s", strerror(errno));
        return CT_EIO;
    }
    json_error_t jerr;
    json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root) {
        ct_error_set(err, path, jerr.line, jerr.position, "not a valid comptext TF-IDF model: %s",
                     jerr.text);
        return CT_EINPUT;
    }
    int rc = load_json(out, root, path, err);
    json_decref(root);
    return rc;
}
