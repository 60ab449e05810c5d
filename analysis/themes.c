/* themes.c — the top k distinctive whole terms of each row (comptext/themes.h).
 *
 * For a row with total n1 and a term with count a in it and b in all other rows (total
 * n2), the term is a candidate when a ≥ min_count and, for the keyness scores, the row
 * over-uses it (a/n1 > b/n2). Candidates are sorted by score (then term in byte order) and
 * taken greedily, skipping any that is a substring of, or contains, a theme already taken.
 * A corpus of one row has no reference: its themes are then ranked by count, which is the
 * only evidence there is. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/keyness.h"
#include "comptext/themes.h"
#include "comptext/vocab.h"

struct ct_themes {
    ct_theme *themes; /* rows × k, row-major */
    size_t *n;        /* per row */
    size_t rows, k;
};

void ct_themes_options_init(ct_themes_options *o)
{
    memset(o, 0, sizeof *o);
    o->k = CT_THEMES_K_DEFAULT;
    o->score = CT_THEMES_G2_IDF;
    o->min_count = CT_THEMES_MIN_COUNT_DEFAULT;
}

static const struct {
    const char *name;
    ct_themes_score score;
} score_names[] = {{"g2", CT_THEMES_G2},
                   {"tfidf", CT_THEMES_TFIDF},
                   {"logratio", CT_THEMES_LOGRATIO},
                   {"g2-logratio", CT_THEMES_G2_LOGRATIO},
                   {"g2-idf", CT_THEMES_G2_IDF}};

int ct_themes_score_parse(const char *name, ct_themes_score *out)
{
    for (size_t i = 0; i < sizeof score_names / sizeof score_names[0]; i++)
        if (strcmp(name, score_names[i].name) == 0) {
            *out = score_names[i].score;
            return CT_OK;
        }
    return CT_EINVAL;
}

const char *ct_themes_score_name(ct_themes_score score)
{
    for (size_t i = 0; i < sizeof score_names / sizeof score_names[0]; i++)
        if (score_names[i].score == score)
            return score_names[i].name;
    return "?";
}

typedef struct cand {
    uint32_t term;
    double score;
    const char *text;
} cand;

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->text, b->text);
}

int ct_themes_compute(ct_themes **out, const ct_matrix *m, const ct_themes_options *o)
{
    *out = NULL;
    if (o->k == 0)
        return CT_EINVAL;
    size_t rows = ct_matrix_rows(m), cols = ct_matrix_cols(m);
    const ct_vocab *v = ct_matrix_vocab(m);
    double *colsum = NULL, N = 0;
    uint32_t *df = NULL;
    cand *c = NULL;
    ct_themes *t = ct_calloc(1, sizeof *t);
    int rc = CT_OK;
    if (!t)
        return CT_ENOMEM;
    t->rows = rows;
    t->k = o->k;
    t->themes = ct_calloc(rows ? rows : 1, o->k * sizeof *t->themes);
    t->n = ct_calloc(rows ? rows : 1, sizeof *t->n);
    if (!t->themes || !t->n || (rc = ct_matrix_col_sums(m, &colsum)) != CT_OK ||
        (rc = ct_matrix_col_nonzero(m, &df)) != CT_OK) {
        rc = rc ? rc : CT_ENOMEM;
        goto cleanup;
    }
    for (size_t j = 0; j < cols; j++)
        N += colsum[j];
    size_t widest = 1;
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *cc;
        const double *vv;
        size_t nnz;
        ct_matrix_row(m, r, &cc, &vv, &nnz);
        if (nnz > widest)
            widest = nnz;
    }
    c = ct_malloc(widest * sizeof *c);
    if (!c) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    ct_keyness_options ko;
    ct_keyness_options_init(&ko);
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *cols_r;
        const double *vals;
        size_t nnz, nc = 0;
        ct_matrix_row(m, r, &cols_r, &vals, &nnz);
        double n1 = 0;
        for (size_t j = 0; j < nnz; j++)
            n1 += vals[j];
        double n2 = N - n1;
        for (size_t j = 0; j < nnz; j++) {
            double a = vals[j], b = colsum[cols_r[j]] - a, s;
            if (a < o->min_count)
                continue;
            if (!(n2 > 0)) {
                s = a; /* no reference: rank by count */
            } else if (o->score == CT_THEMES_TFIDF) {
                s = a * (log((1.0 + (double)rows) / (1.0 + (double)df[cols_r[j]])) + 1.0);
            } else {
                if (!(a * n2 > b * n1))
                    continue;
                double stat, p, lr;
                if ((rc = ct_keyness_table(a, b, n1, n2, &ko, &stat, &p, &lr)) != CT_OK)
                    goto cleanup;
                if (o->score == CT_THEMES_G2)
                    s = stat;
                else if (o->score == CT_THEMES_G2_IDF)
                    s = stat * log((1.0 + (double)rows) / (1.0 + (double)df[cols_r[j]]));
                else if (o->score == CT_THEMES_G2_LOGRATIO)
                    s = stat * lr;
                else if (p < 0.001)
                    s = lr;
                else
                    continue;
            }
            c[nc].term = cols_r[j];
            c[nc].score = s;
            c[nc].text = ct_vocab_term(v, cols_r[j]);
            nc++;
        }
        qsort(c, nc, sizeof *c, by_score);
        ct_theme *dst = t->themes + r * o->k;
        size_t taken = 0;
        for (size_t i = 0; i < nc && taken < o->k; i++) {
            int overlaps = 0;
            for (size_t q = 0; q < taken && !overlaps; q++) {
                const char *x = ct_vocab_term(v, dst[q].term);
                overlaps = strstr(x, c[i].text) != NULL || strstr(c[i].text, x) != NULL;
            }
            if (overlaps)
                continue;
            dst[taken].term = c[i].term;
            dst[taken].score = c[i].score;
            taken++;
        }
        t->n[r] = taken;
    }
cleanup:
    ct_free(colsum);
    ct_free(df);
    ct_free(c);
    if (rc != CT_OK) {
        ct_themes_free(t);
        return rc;
    }
    *out = t;
    return CT_OK;
}

void ct_themes_free(ct_themes *t)
{
    if (!t)
        return;
    ct_free(t->themes);
    ct_free(t->n);
    ct_free(t);
}

const ct_theme *ct_themes_row(const ct_themes *t, size_t row, size_t *n)
{
    *n = t->n[row];
    return t->themes + row * t->k;
}
