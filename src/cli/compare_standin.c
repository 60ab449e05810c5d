/* compare_standin.c — TEMPORARY stand-in for the weighting and themes modules (see
 * compare_standin.h): scikit-learn's default TF-IDF (smooth idf, l2 rows) and cosine
 * similarity on the counted n-grams, themes as each row's top TF-IDF terms of two or more
 * characters, keyword-in-context lines found with strstr. To be replaced by the library's
 * analysis modules; nothing here is meant to stay. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_standin.h"

static char *own(compare_result *r, char *s)
{
    if (!s)
        return NULL;
    char **o = realloc(r->owned, (r->n_owned + 1) * sizeof *o);
    if (!o) {
        free(s);
        return NULL;
    }
    r->owned = o;
    r->owned[r->n_owned++] = s;
    return s;
}

typedef struct scored {
    const char *term;
    double score;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->term, y->term);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Up to max characters of text before (dir < 0) or after pos, newlines as spaces. */
static char *context(const char *text, size_t len, size_t pos, int dir, size_t max)
{
    size_t a = pos, b = pos, n = 0;
    if (dir < 0) {
        while (a > 0 && n < max) {
            a--;
            while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80)
                a--;
            n++;
        }
    } else {
        while (b < len && n < max) {
            b++;
            while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
                b++;
            n++;
        }
    }
    char *s = strndup(text + a, b - a);
    for (char *p = s; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return s;
}

int compare_compute(cli_opts *o, long k, compare_result *r)
{
    memset(r, 0, sizeof *r);
    ct_error err;
    ct_error_clear(&err);
    int status, rc = CT_OK;
    double *idf = NULL, *dense = NULL;
    uint32_t *df = NULL;
    if (o->group_by)
        return cli_usage_error(o, "--group-by: not available until the grouping module lands");
    if ((status = cli_load_corpus(o, &r->corpus)) != CLI_OK)
        return status;
    if ((status = cli_make_tokenizer(o, &r->stopwords, &r->tok)) != CLI_OK)
        return status;
    ct_count_options copts;
    cli_count_options(o, &copts);
    if ((rc = ct_count_corpus(&r->counts, r->corpus, r->tok, &copts, &err)) != CT_OK)
        goto failed;
    size_t n = ct_matrix_rows(r->counts), v = ct_matrix_cols(r->counts);
    r->n = n;
    if ((rc = ct_matrix_copy(&r->weights, r->counts)) != CT_OK ||
        (rc = ct_matrix_col_nonzero(r->counts, &df)) != CT_OK)
        goto failed;
    rc = CT_ENOMEM;
    idf = malloc((v + 1) * sizeof *idf);
    dense = calloc(v + 1, sizeof *dense);
    r->sim = calloc(n * n, sizeof *r->sim);
    r->ids = calloc(n, sizeof *r->ids);
    r->themes = calloc(n, sizeof *r->themes);
    r->n_themes = calloc(n, sizeof *r->n_themes);
    if (!idf || !dense || !r->sim || !r->ids || !r->themes || !r->n_themes)
        goto failed;
    for (size_t t = 0; t < v; t++)
        idf[t] = log((1.0 + (double)n) / (1.0 + df[t])) + 1.0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *cols;
        const double *vals;
        size_t nnz;
        ct_matrix_row(r->weights, i, &cols, &vals, &nnz);
        double *w = ct_matrix_row_values_mut(r->weights, i), norm = 0;
        for (size_t e = 0; e < nnz; e++) {
            w[e] = vals[e] * idf[cols[e]];
            norm += w[e] * w[e];
        }
        norm = sqrt(norm);
        for (size_t e = 0; norm > 0 && e < nnz; e++)
            w[e] /= norm;
        r->ids[i] = ct_matrix_row_id(r->weights, i);
    }
    for (size_t i = 0; i < n; i++) {
        const uint32_t *ci, *cj;
        const double *vi, *vj;
        size_t ni, nj;
        ct_matrix_row(r->weights, i, &ci, &vi, &ni);
        for (size_t e = 0; e < ni; e++)
            dense[ci[e]] = vi[e];
        for (size_t j = i; j < n; j++) {
            ct_matrix_row(r->weights, j, &cj, &vj, &nj);
            double s = 0;
            for (size_t e = 0; e < nj; e++)
                s += dense[cj[e]] * vj[e];
            r->sim[i * n + j] = r->sim[j * n + i] = s;
        }
        for (size_t e = 0; e < ni; e++)
            dense[ci[e]] = 0;
    }
    /* Themes: the top k terms of two or more characters by weight. */
    const ct_vocab *voc = ct_matrix_vocab(r->weights);
    size_t kwic_cap = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *cols;
        const double *vals;
        size_t nnz, m = 0;
        ct_matrix_row(r->weights, i, &cols, &vals, &nnz);
        scored *s = calloc(nnz + 1, sizeof *s);
        if (!s)
            goto failed;
        for (size_t e = 0; e < nnz; e++) {
            const char *term = ct_vocab_term(voc, cols[e]);
            if (utf8_chars(term) >= 2)
                s[m++] = (scored){term, vals[e]};
        }
        qsort(s, m, sizeof *s, by_score);
        size_t kk = m < (size_t)k ? m : (size_t)k;
        r->themes[i] = calloc(kk + 1, sizeof **r->themes);
        if (!r->themes[i]) {
            free(s);
            goto failed;
        }
        for (size_t t = 0; t < kk; t++)
            r->themes[i][t] = (ct_report_theme){s[t].term, s[t].score};
        r->n_themes[i] = kk;
        free(s);
        kwic_cap += 6;
    }
    /* Keyword in context: two lines for each of a row's top three themes. */
    r->kwic = calloc(kwic_cap + 1, sizeof *r->kwic);
    if (!r->kwic)
        goto failed;
    for (size_t i = 0; i < n; i++) {
        char *text;
        size_t len;
        if ((rc = ct_corpus_read_text(r->corpus, i, &text, &len, &err)) != CT_OK)
            goto failed;
        rc = CT_ENOMEM;
        for (size_t t = 0; t < r->n_themes[i] && t < 3; t++) {
            const char *term = r->themes[i][t].term, *p = text;
            for (int hit = 0; hit < 2 && (p = strstr(p, term)); hit++) {
                size_t pos = (size_t)(p - text);
                ct_report_kwic *kw = &r->kwic[r->n_kwic++];
                kw->row = i;
                kw->id = r->ids[i];
                kw->term = term;
                kw->offset = (long long)pos;
                kw->left = own(r, context(text, len, pos, -1, 14));
                kw->right = own(r, context(text, len, pos + strlen(term), 1, 14));
                if (!kw->left || !kw->right) {
                    ct_free(text);
                    goto failed;
                }
                p += strlen(term);
            }
        }
        ct_free(text);
    }
    char buf[256];
    snprintf(buf, sizeof buf,
             "character %d-%d-grams, TF-IDF (smooth idf, l2 rows), cosine similarity "
             "[stand-in pipeline]",
             o->tok.ngram_min, o->tok.ngram_max);
    if (!own(r, r->settings = strdup(buf)))
        goto failed;
    rc = CT_OK;
failed:
    free(idf);
    free(dense);
    ct_free(df);
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, &err);
}

int compare_write_similarity(FILE *f, const compare_result *r)
{
    for (size_t j = 0; j < r->n; j++) {
        putc(',', f);
        ct_write_csv_field(f, r->ids[j]);
    }
    putc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        ct_write_csv_field(f, r->ids[i]);
        for (size_t j = 0; j < r->n; j++)
            fprintf(f, ",%.17g", r->sim[i * r->n + j]);
        putc('\n', f);
    }
    return CT_OK;
}

int compare_write_themes(FILE *f, const compare_result *r)
{
    json_t *arr = json_array();
    int rc = CT_ENOMEM;
    for (size_t i = 0; arr && i < r->n; i++) {
        json_t *themes = json_array();
        for (size_t t = 0; themes && t < r->n_themes[i]; t++)
            json_array_append_new(themes, json_pack("{s:s, s:f}", "term", r->themes[i][t].term,
                                                    "score", r->themes[i][t].score));
        if (!themes ||
            json_array_append_new(arr, json_pack("{s:s, s:o}", "id", r->ids[i], "themes", themes)))
            goto done;
    }
    if (arr && json_dumpf(arr, f, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) == 0) {
        fputc('\n', f);
        rc = CT_OK;
    }
done:
    json_decref(arr);
    return rc;
}

void compare_result_free(compare_result *r)
{
    for (size_t i = 0; r->themes && i < r->n; i++)
        free(r->themes[i]);
    free(r->themes);
    free(r->n_themes);
    for (size_t i = 0; r->keyness && i < r->n; i++)
        free(r->keyness[i]);
    free(r->keyness);
    free(r->n_keyness);
    free(r->kwic);
    for (size_t i = 0; i < r->n_owned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->sim);
    free(r->ids);
    ct_cluster_free(r->tree);
    ct_matrix_free(r->weights);
    ct_matrix_free(r->counts);
    ct_tokenizer_free(r->tok);
    ct_stopwords_free(r->stopwords);
    ct_corpus_free(r->corpus);
    memset(r, 0, sizeof *r);
}
