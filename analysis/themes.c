/* themes.c — the top k distinctive whole terms of each row (comptext/themes.h).
 *
 * For a row with total n1 and a term with count a in it and b in all other rows (total
 * n2), the term is a candidate when a ≥ min_count and, for the keyness scores, the row
 * over-uses it (a/n1 > b/n2). Candidates are sorted by score (then term in byte order) and
 * taken greedily, skipping any that is a substring of, or contains, a theme already taken.
 * A candidate scoring 0 (idf 0: every row compared with uses it) is no theme, nor is the
 * corpus's common vocabulary: a term that common_share of the rows use in some form, itself
 * or inside a longer term (term_containment.c), as scikit-learn's max_df drops a term.
 * A corpus of one row and no background reference has nothing to compare with: its themes
 * are then ranked by count, which is the only evidence there is.
 *
 * Neighbours: the rows' vectors are w = (1 + ln c) · (ln((1+n)/(1+df)) + 1), L2-normed; the
 * dot products come from postings (term → rows), skipping terms in more than half of the
 * rows (their weight is small, and they make the cost quadratic in the rows for every
 * term). A row's m nearest (cosine > 0, ties by row order) are scattered into a dense
 * scratch of counts before its terms are scored and cleared after, so a row costs
 * O(nnz of the row and its neighbours).
 *
 * With neighbours, a term's G² (scores g2 and g2-idf) is the larger of two: the row
 * against the rest beyond its period (a of n1 against b of n2, the neighbours' counts in
 * neither), and — when a neighbour uses the term too — the period, the row and its
 * neighbours together, against that same rest (a + the neighbours' counts, each at most
 * twice the row's own rate a/n1 times the neighbour's size, of n1 + their sizes: a term the
 * row uses in passing does not borrow a neighbour's heavy use);
 * the idf is the same in both, over the rest and the row. The first finds what is the
 * row's own, the second what marks its few years; the choice and the number of neighbours
 * were measured with tools/eval-gold-themes.py (BENCHMARKS.md).
 *
 * Onset (rows with times): the rows are visited in time order, and the rows more than
 * onset_years before the current one are added once to a dense running sum (the past), so
 * the comparison of each row with its past costs one 2×2 table a candidate and the whole
 * pass O(nnz). Groups: a group's members are scattered into dense scratch (documents using
 * each term, the largest count and its document's size, the terms of Gries's DP) before
 * its terms are scored and cleared after, O(nnz of the members).
 *
 * A part of the rows (a rank's share under mpirun): ct_themes_compute_part runs the same
 * code with the whole matrix's statistics, its rows' neighbours and pasts given
 * (themes_impl.h) instead of computed from the rows at hand; rows that are groups of
 * documents held elsewhere come with their dispersion given, in place of disp_fill's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/group.h"
#include "comptext/keyness.h"
#include "comptext/reference.h"
#include "comptext/themes.h"
#include "comptext/vocab.h"
#include "matrix_impl.h"
#include "sort.h"
#include "themes_impl.h"

struct ct_themes {
    ct_theme *themes; /* rows × k, row-major */
    size_t *n;        /* per row */
    size_t rows, k;
    int grouped; /* ranked as groups of documents */
};

void ct_themes_options_init(ct_themes_options *o)
{
    memset(o, 0, sizeof *o);
    o->k = CT_THEMES_K_DEFAULT;
    o->score = CT_THEMES_G2_IDF;
    o->min_count = CT_THEMES_MIN_COUNT_DEFAULT;
    o->neighbours = CT_THEMES_NEIGHBOURS_DEFAULT;
    o->reference = NULL;
    o->reference_auto = 1;
    o->onset_years = CT_THEMES_ONSET_YEARS_DEFAULT;
    o->onset_weight = CT_THEMES_ONSET_WEIGHT_DEFAULT;
    o->length_weight = CT_THEMES_LENGTH_WEIGHT_DEFAULT;
    o->common_share = CT_THEMES_COMMON_SHARE_DEFAULT;
}

/* The length prior of a keyness score: (characters / 2)^length_weight (1 for the other
 * scores, and for a row ranked by count). */
static double length_factor(const ct_themes_options *o, const char *term, int by_count)
{
    if (!(o->length_weight > 0) || by_count ||
        (o->score != CT_THEMES_G2 && o->score != CT_THEMES_G2_IDF &&
         o->score != CT_THEMES_G2_LOGRATIO))
        return 1.0;
    size_t chars = 0;
    for (const char *p = term; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return pow((double)chars / 2.0, o->length_weight);
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
    double score; /* the ranking score (of a group: without its top document) */
    double full;  /* the score of the whole row: the tie-break */
    const char *text;
    size_t docs;
    double dp;
} cand;

static int by_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->full != b->full)
        return a->full > b->full ? -1 : 1;
    return strcmp(a->text, b->text);
}

typedef struct nb {
    double sim;
    size_t row;
} nb;

static int by_sim(const void *x, const void *y)
{
    const nb *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim > b->sim ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

/* The m nearest rows of every row (see the file comment): near[r * m + q], q < n_near[r]. */
static int nearest_rows(const ct_matrix *mx, const uint32_t *df, size_t m, size_t *near,
                        size_t *n_near)
{
    size_t rows = ct_matrix_rows(mx), cols = ct_matrix_cols(mx), nnz_all = 0;
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(mx, r, &c, &v, &nnz);
        nnz_all += nnz;
    }
    size_t *start = ct_calloc(cols + 1, sizeof *start);
    size_t *prow = ct_malloc((nnz_all ? nnz_all : 1) * sizeof *prow);
    double *pw = ct_malloc((nnz_all ? nnz_all : 1) * sizeof *pw);
    double *norm = ct_calloc(rows ? rows : 1, sizeof *norm);
    double *acc = ct_calloc(rows ? rows : 1, sizeof *acc);
    nb *cand = ct_malloc((rows ? rows : 1) * sizeof *cand);
    int rc = start && prow && pw && norm && acc && cand ? CT_OK : CT_ENOMEM;
    double n = (double)rows;
    for (size_t r = 0; rc == CT_OK && r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(mx, r, &c, &v, &nnz);
        for (size_t j = 0; j < nnz; j++)
            if (v[j] > 0) {
                double w = themes_nb_weight(v[j], df[c[j]], n);
                norm[r] += w * w;
                if (2 * (size_t)df[c[j]] <= rows)
                    start[c[j] + 1]++;
            }
    }
    for (size_t t = 0; rc == CT_OK && t < cols; t++)
        start[t + 1] += start[t];
    for (size_t r = 0; rc == CT_OK && r < rows; r++) {
        norm[r] = sqrt(norm[r]);
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(mx, r, &c, &v, &nnz);
        for (size_t j = 0; j < nnz; j++)
            if (v[j] > 0 && 2 * (size_t)df[c[j]] <= rows) {
                size_t at = start[c[j]]++;
                prow[at] = r;
                pw[at] = themes_nb_weight(v[j], df[c[j]], n);
            }
    }
    /* start[t] is now the end of term t's postings, start[t - 1] their beginning */
    for (size_t r = 0; rc == CT_OK && r < rows; r++) {
        const uint32_t *c;
        const double *v;
        size_t nnz, nc = 0;
        ct_matrix_row(mx, r, &c, &v, &nnz);
        for (size_t j = 0; j < nnz; j++) {
            if (!(v[j] > 0) || 2 * (size_t)df[c[j]] > rows)
                continue;
            double w = themes_nb_weight(v[j], df[c[j]], n);
            for (size_t q = c[j] ? start[c[j] - 1] : 0; q < start[c[j]]; q++)
                acc[prow[q]] += w * pw[q];
        }
        for (size_t o = 0; o < rows; o++) {
            if (o != r && acc[o] > 0 && norm[o] > 0 && norm[r] > 0)
                cand[nc++] = (nb){acc[o] / (norm[o] * norm[r]), o};
            acc[o] = 0;
        }
        ct_sort(cand, nc, sizeof *cand, by_sim);
        n_near[r] = nc < m ? nc : m;
        for (size_t q = 0; q < n_near[r]; q++)
            near[r * m + q] = cand[q].row;
    }
    ct_free(start);
    ct_free(prow);
    ct_free(pw);
    ct_free(norm);
    ct_free(acc);
    ct_free(cand);
    return rc;
}

/* What a row's terms are scored with: the rest (b of n2 per term, the idf), and the
 * neighbours of the row (see the file comment). */
typedef struct scorer {
    const ct_themes_options *o;
    ct_keyness_options ko;
    const size_t *near; /* the row's neighbours */
    size_t nn;
    const double *rowsum, *nbq; /* nbq[q * cols + term]: neighbour q's count */
    size_t cols;
    double left_out; /* the neighbours' tokens */
} scorer;

/* The score of a term the row (or the part of it scored) uses a times of n1, the rest b
 * times of n2, with the given idf; *keep 0 when it is not a candidate (not over-used, or
 * for logratio not significant). nb_used: a neighbour uses the term. */
static int term_score(const scorer *sc, uint32_t term, double a, double n1, double b, double n2,
                      double idf, int nb_used, double *out, int *keep)
{
    const ct_themes_options *o = sc->o;
    *out = 0;
    *keep = 0;
    if (!(n2 > 0)) {
        *out = a; /* no reference: rank by count */
        *keep = 1;
        return CT_OK;
    }
    if (o->score == CT_THEMES_TFIDF) {
        *out = a * (idf + 1.0);
        *keep = 1;
        return CT_OK;
    }
    if (!(a * n2 > b * n1))
        return CT_OK;
    double stat, p, lr;
    int rc = ct_keyness_table(a, b, n1, n2, &sc->ko, &stat, &p, &lr);
    if (rc != CT_OK)
        return rc;
    /* The row's period (it and its neighbours) against the same rest, for a term a
     * neighbour uses too: the better of the two. A neighbour counts at most at the row's
     * own rate, so that the period's term is the row's too. */
    if (sc->nn && nb_used && (o->score == CT_THEMES_G2 || o->score == CT_THEMES_G2_IDF)) {
        double ap = a, n1p = n1 + sc->left_out, sp, pp, lrp;
        for (size_t q = 0; q < sc->nn; q++) {
            double cq = sc->nbq[q * sc->cols + term], cap = 2 * a * sc->rowsum[sc->near[q]] / n1;
            ap += cq < cap ? cq : cap;
        }
        if (ap * n2 > b * n1p) {
            if ((rc = ct_keyness_table(ap, b, n1p, n2, &sc->ko, &sp, &pp, &lrp)) != CT_OK)
                return rc;
            if (sp > stat)
                stat = sp;
        }
    }
    if (o->score == CT_THEMES_G2)
        *out = stat;
    else if (o->score == CT_THEMES_G2_IDF)
        *out = stat * idf;
    else if (o->score == CT_THEMES_G2_LOGRATIO)
        *out = stat * lr;
    else if (p < 0.001)
        *out = lr;
    else
        return CT_OK;
    *keep = 1;
    return CT_OK;
}

/* Dense scratch for the dispersion of a group's terms over its documents (see "Groups" in
 * comptext/themes.h), filled from the group's members and cleared after. */
typedef struct disp {
    double *fmax, *ftop, *abs_dev, *share;
    uint32_t *docs;
} disp;

/* Row r of m (its columns, values and their count) and the sum of its values. */
static double row_of(const ct_matrix *m, size_t r, const uint32_t **c, const double **v,
                     size_t *nnz)
{
    ct_matrix_row(m, r, c, v, nnz);
    return ct_matrix_row_sum(m, r);
}

static void disp_fill(disp *d, const ct_matrix *docs, const size_t *mem, size_t nm,
                      const ct_matrix *groups, size_t row, double total)
{
    const uint32_t *gc;
    const double *gv;
    size_t gn;
    ct_matrix_row(groups, row, &gc, &gv, &gn);
    for (size_t i = 0; i < nm; i++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        double size = row_of(docs, mem[i], &c, &v, &nnz);
        for (size_t j = 0; j < nnz; j++)
            if (v[j] > 0) {
                d->docs[c[j]]++;
                if (v[j] > d->fmax[c[j]]) {
                    d->fmax[c[j]] = v[j];
                    d->ftop[c[j]] = size;
                }
            }
    }
    /* Gries's DP: ½ (Σ_{f_i>0} |f_i/f − s_i| + 1 − Σ_{f_i>0} s_i), f the group's count */
    for (size_t j = 0; j < gn; j++)
        d->share[gc[j]] = -gv[j]; /* the group's count, kept negative until used */
    for (size_t i = 0; i < nm && total > 0; i++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        double size = row_of(docs, mem[i], &c, &v, &nnz);
        if (!(size > 0))
            continue;
        for (size_t j = 0; j < nnz; j++)
            if (v[j] > 0 && d->share[c[j]] < 0) {
                double f = -d->share[c[j]];
                d->abs_dev[c[j]] += fabs(v[j] / f - size / total) - size / total;
            }
    }
    for (size_t j = 0; j < gn; j++)
        d->share[gc[j]] = 0;
}

static void disp_clear(disp *d, const ct_matrix *docs, const size_t *mem, size_t nm)
{
    for (size_t i = 0; i < nm; i++) {
        const uint32_t *c;
        const double *v;
        size_t nnz;
        ct_matrix_row(docs, mem[i], &c, &v, &nnz);
        for (size_t j = 0; j < nnz; j++) {
            d->docs[c[j]] = 0;
            d->fmax[c[j]] = d->ftop[c[j]] = d->abs_dev[c[j]] = 0;
        }
    }
}

/* Rows by time, rows without one last, ties by row. */
typedef struct trow {
    double t;
    size_t row;
} trow;

static int by_time(const void *x, const void *y)
{
    const trow *a = x, *b = y;
    int fa = isfinite(a->t), fb = isfinite(b->t);
    if (fa != fb)
        return fa ? -1 : 1;
    if (fa && a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

size_t themes_neighbours_used(const ct_themes_options *o, size_t rows)
{
    /* Neighbours are left out only where enough rows remain to compare with: at least
     * twice as many as the period has, 3 (N + 1) rows (a corpus of 7 city reports keeps
     * comparing each with all the others). From CT_THEMES_NEIGHBOURS_MIN_ROWS rows on, fewer
     * rows than N needs leave out as many as they allow (rows / 3 - 1), so that the default
     * works in a corpus of 12 yearly reports as in one of 72. */
    if (!o->neighbours || o->score == CT_THEMES_TFIDF || rows > CT_THEMES_NEIGHBOURS_MAX_ROWS)
        return 0;
    if (rows >= 3 * (o->neighbours + 1))
        return o->neighbours;
    return rows >= CT_THEMES_NEIGHBOURS_MIN_ROWS ? rows / 3 - 1 : 0;
}

int themes_onset_used(const ct_themes_options *o, size_t rows)
{
    return o->time && o->onset_weight > 0 && o->score != CT_THEMES_TFIDF &&
           rows >= CT_THEMES_ONSET_MIN_ROWS;
}

/* The themes of m's rows; whole NULL: m is the whole matrix, else a part of the whole
 * (themes_impl.h), whose statistics, neighbours and pasts whole supplies. */
static int themes_rows(ct_themes **out, const ct_matrix *m, const ct_themes_options *o,
                       const ct_themes_whole *whole)
{
    *out = NULL;
    if (o->k == 0)
        return CT_EINVAL;
    size_t rows = ct_matrix_rows(m), cols = ct_matrix_cols(m);
    size_t all_rows = whole ? whole->rows : rows; /* rows of the whole matrix */
    const ct_vocab *v = ct_matrix_vocab(m);
    const ct_grouping *gp = o->documents ? o->grouping : NULL;
    if (gp && (whole || ct_grouping_size(gp) != rows || ct_matrix_cols(o->documents) != cols))
        return CT_EINVAL;
    const ct_themes_whole *wg = whole && whole->members ? whole : NULL; /* groups, given */
    int grouped = gp || wg;
    double *colsum_own = NULL, N = 0, *rowsum = NULL, *nbc = NULL, *nbq = NULL, *pastc = NULL;
    double *nbsum_own = NULL;
    const double *nbsum = NULL; /* the sizes of the rows of nbm */
    const ct_matrix *nbm = m;   /* the rows the neighbours are */
    size_t *order = NULL;
    uint32_t *df_own = NULL, *nbd = NULL, *any_form_own = NULL;
    size_t *near = NULL, *n_near = NULL, mnb = 0;
    const size_t *nearest = NULL, *n_nearest = NULL;
    cand *c = NULL;
    disp d = {0};
    ct_reference *loaded = NULL;
    const ct_reference *ref = o->reference;
    ct_themes *t = ct_calloc(1, sizeof *t);
    int rc = CT_OK;
    if (!t)
        return CT_ENOMEM;
    t->rows = rows;
    t->k = o->k;
    t->grouped = grouped;
    t->themes = ct_calloc(rows ? rows : 1, o->k * sizeof *t->themes);
    t->n = ct_calloc(rows ? rows : 1, sizeof *t->n);
    if (!t->themes || !t->n || ct_matrix_row_sums(m, &rowsum) != CT_OK) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    if (!whole && ((rc = ct_matrix_col_sums(m, &colsum_own)) != CT_OK ||
                   (rc = ct_matrix_col_nonzero(m, &df_own)) != CT_OK))
        goto cleanup;
    const double *colsum = whole ? whole->colsum : colsum_own;
    const uint32_t *df = whole ? whole->df : df_own;
    if (grouped) {
        size_t nc1 = cols ? cols : 1;
        d.fmax = ct_calloc(nc1, sizeof *d.fmax);
        d.ftop = ct_calloc(nc1, sizeof *d.ftop);
        d.abs_dev = ct_calloc(nc1, sizeof *d.abs_dev);
        d.share = ct_calloc(nc1, sizeof *d.share);
        d.docs = ct_calloc(nc1, sizeof *d.docs);
        if (!d.fmax || !d.ftop || !d.abs_dev || !d.share || !d.docs) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
    }
    if (!ref && o->reference_auto && all_rows < CT_THEMES_REFERENCE_BELOW) {
        const char *path = ct_reference_default_path();
        ct_error err;
        ct_error_clear(&err);
        if (path && (rc = ct_reference_load(&loaded, path, &err)) != CT_OK) {
            if (rc == CT_ENOMEM)
                goto cleanup;
            rc = CT_OK; /* an unreadable shipped list: rank as without one */
        }
        ref = loaded;
    }
    /* The corpus's common vocabulary: the terms nearly every row uses in some form — in a
     * corpus of rows compared with one another (no reference, as many rows as one is used
     * below). */
    double common_rows = ceil(o->common_share * (double)all_rows - 1e-9); /* rows, a whole number */
    int common_rule = !ref && o->common_share < 1 && all_rows >= CT_THEMES_REFERENCE_BELOW;
    if (common_rule && !whole && (rc = themes_rows_in_any_form(m, &any_form_own)) != CT_OK)
        goto cleanup;
    const uint32_t *any_form = whole ? whole->in_any_form : any_form_own;
    common_rule = common_rule && any_form;
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
    nbsum = rowsum;
    if ((mnb = themes_neighbours_used(o, all_rows)) != 0) {
        nbc = ct_calloc(cols ? cols : 1, sizeof *nbc);
        nbq = ct_calloc((cols ? cols : 1) * mnb, sizeof *nbq);
        nbd = ct_calloc(cols ? cols : 1, sizeof *nbd);
        if (!nbc || !nbq || !nbd) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        if (whole) { /* the neighbours' rows, wherever they are in the whole */
            nbm = whole->nb_rows;
            nearest = whole->near;
            n_nearest = whole->n_near;
            if (ct_matrix_row_sums(nbm, &nbsum_own) != CT_OK) {
                rc = CT_ENOMEM;
                goto cleanup;
            }
            nbsum = nbsum_own;
        } else {
            near = ct_malloc((rows ? rows : 1) * mnb * sizeof *near);
            n_near = ct_calloc(rows ? rows : 1, sizeof *n_near);
            if (!near || !n_near) {
                rc = CT_ENOMEM;
                goto cleanup;
            }
            if ((rc = nearest_rows(m, df, mnb, near, n_near)) != CT_OK)
                goto cleanup;
            nearest = near;
            n_nearest = n_near;
        }
    }
    /* Onset: rows in time order (rows without a time last), so that the past of each is
     * the rows before it in that order, added up once. */
    order = ct_malloc((rows ? rows : 1) * sizeof *order);
    if (!order) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t r = 0; r < rows; r++)
        order[r] = r;
    int onset = themes_onset_used(o, all_rows);
    if (onset && !whole) {
        pastc = ct_calloc(cols ? cols : 1, sizeof *pastc);
        if (!pastc) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        trow *tr = ct_malloc((rows ? rows : 1) * sizeof *tr);
        if (!tr) {
            rc = CT_ENOMEM;
            goto cleanup;
        }
        for (size_t r = 0; r < rows; r++)
            tr[r] = (trow){o->time[r], r};
        ct_sort(tr, rows, sizeof *tr, by_time);
        for (size_t r = 0; r < rows; r++)
            order[r] = tr[r].row;
        ct_free(tr);
    }
    size_t past_end = 0; /* order[0 .. past_end) are in pastc */
    double npast = 0;
    double ref_n = ref ? ct_reference_tokens(ref) : 0;
    double ref_d = ref ? (double)ct_reference_documents(ref) : 0;
    scorer sc = {.o = o, .nbq = nbq, .rowsum = nbsum, .cols = cols};
    ct_keyness_options_init(&sc.ko);
    for (size_t oi = 0; oi < rows; oi++) {
        size_t r = order[oi];
        const uint32_t *cols_r;
        const double *vals;
        size_t nnz, nc = 0, nn = n_nearest ? n_nearest[r] : 0, nm = 0, n_cand = 0;
        int has_past = 0;
        const double *past_r = NULL; /* with whole: the past's counts of row r's terms */
        if (onset && whole && isfinite(o->time[r])) {
            npast = whole->past_tokens[r];
            past_end = whole->past_rows[r];
            past_r = whole->past_counts[r];
            has_past = npast > 0 && past_end >= CT_THEMES_ONSET_MIN_PAST && past_r;
        } else if (onset && isfinite(o->time[r])) {
            while (past_end < rows && isfinite(o->time[order[past_end]]) &&
                   o->time[order[past_end]] < o->time[r] - o->onset_years) {
                const uint32_t *pc;
                const double *pv;
                size_t pz;
                ct_matrix_row(m, order[past_end], &pc, &pv, &pz);
                for (size_t j = 0; j < pz; j++)
                    pastc[pc[j]] += pv[j];
                npast += rowsum[order[past_end]];
                past_end++;
            }
            has_past = npast > 0 && past_end >= CT_THEMES_ONSET_MIN_PAST;
        }
        const size_t *mem = gp ? ct_grouping_members(gp, r, &nm) : NULL;
        if (wg)
            nm = wg->members[r];
        ct_matrix_row(m, r, &cols_r, &vals, &nnz);
        double n1 = rowsum[r], left_out = 0;
        for (size_t q = 0; q < nn; q++) {
            const uint32_t *ncol;
            const double *nval;
            size_t nz;
            ct_matrix_row(nbm, nearest[r * mnb + q], &ncol, &nval, &nz);
            for (size_t j = 0; j < nz; j++) {
                nbc[ncol[j]] += nval[j];
                nbq[q * cols + ncol[j]] = nval[j];
                nbd[ncol[j]] += nval[j] != 0;
            }
            left_out += nbsum[nearest[r * mnb + q]];
        }
        if (nm >= 2 && gp)
            disp_fill(&d, o->documents, mem, nm, m, r, n1);
        else if (nm >= 2) /* the dispersion given, candidate by candidate */
            for (size_t j = 0, e = wg->g_at[r]; j < nnz; j++)
                if (vals[j] >= o->min_count) {
                    d.docs[cols_r[j]] = wg->g_docs[e];
                    d.fmax[cols_r[j]] = wg->g_fmax[e];
                    d.ftop[cols_r[j]] = wg->g_ftop[e];
                    d.abs_dev[cols_r[j]] = wg->g_abs_dev[e++];
                }
        sc.near = nearest ? nearest + r * mnb : NULL;
        sc.nn = nn;
        sc.left_out = left_out;
        double n2 = N - n1 - left_out + ref_n;
        double nd = (double)(all_rows - nn) + ref_d; /* the idf's rows: the row and its reference */
        for (size_t j = 0; j < nnz; j++) {
            uint32_t term = cols_r[j];
            double a = vals[j], b = colsum[term] - a, s, dfj = (double)df[term];
            int keep;
            if (a < o->min_count)
                continue;
            size_t candidate = n_cand++; /* the row's terms counted min_count times or more */
            if (common_rule && (double)any_form[term] >= common_rows)
                continue;
            if (nn) {
                b -= nbc[term];
                dfj -= (double)nbd[term];
                if (b < 0) /* rounding */
                    b = 0;
            }
            if (ref) {
                const char *text = ct_vocab_term(v, term);
                double ref_count, ref_docs;
                ct_reference_lookup(ref, text, strlen(text), &ref_count, &ref_docs);
                b += ref_count;
                dfj += ref_docs;
            }
            double idf = log((1.0 + nd) / (1.0 + dfj));
            int nb_used = nn && nbd[term];
            if ((rc = term_score(&sc, term, a, n1, b, n2, idf, nb_used, &s, &keep)) != CT_OK)
                goto cleanup;
            if (!keep)
                continue;
            /* what is new in the row's time: the row against its past */
            double pc = has_past ? (past_r ? past_r[candidate] : pastc[term]) : 0;
            if (has_past && a * npast > pc * n1) {
                double so, po, lro;
                if ((rc = ct_keyness_table(a, pc, n1, npast, &sc.ko, &so, &po, &lro)) != CT_OK)
                    goto cleanup;
                so *= o->onset_weight * (o->score == CT_THEMES_G2 ? 1.0 : idf);
                if (o->score != CT_THEMES_LOGRATIO && so > s)
                    s = so;
            }
            c[nc].term = term;
            c[nc].text = ct_vocab_term(v, term);
            c[nc].full = s;
            c[nc].score = s;
            c[nc].docs = 1;
            c[nc].dp = 0;
            if (nm >= 2) {
                /* the group without the document that uses the term most */
                double aw = a - d.fmax[term], n1w = n1 - d.ftop[term], sw = 0;
                int kw = 0;
                if (aw > 0 && n1w > 0 &&
                    (rc = term_score(&sc, term, aw, n1w, b, n2, idf, nb_used, &sw, &kw)) != CT_OK)
                    goto cleanup;
                if (!kw && o->group_rank != CT_THEMES_RANK_STATISTIC)
                    continue; /* over-used only thanks to that document */
                if (o->group_rank != CT_THEMES_RANK_STATISTIC)
                    c[nc].score = sw;
                c[nc].docs = d.docs[term];
                double dp = 0.5 * (d.abs_dev[term] + 1.0);
                c[nc].dp = dp > 0 ? dp : 0; /* rounding */
            } else if (nm == 1) {
                c[nc].docs = 1;
            }
            if (!(c[nc].score > 0))
                continue; /* in every row beyond the neighbours (idf 0): nothing distinctive */
            double lf = length_factor(o, c[nc].text, !(n2 > 0));
            c[nc].full *= lf;
            c[nc].score *= lf;
            nc++;
        }
        if (nm >= 2 && gp)
            disp_clear(&d, o->documents, mem, nm);
        else if (nm >= 2)
            for (size_t j = 0; j < nnz; j++) {
                d.docs[cols_r[j]] = 0;
                d.fmax[cols_r[j]] = d.ftop[cols_r[j]] = d.abs_dev[cols_r[j]] = 0;
            }
        for (size_t q = 0; q < nn; q++) {
            const uint32_t *ncol;
            const double *nval;
            size_t nz;
            ct_matrix_row(nbm, nearest[r * mnb + q], &ncol, &nval, &nz);
            for (size_t j = 0; j < nz; j++) {
                nbc[ncol[j]] = 0;
                nbq[q * cols + ncol[j]] = 0;
                nbd[ncol[j]] = 0;
            }
        }
        ct_sort(c, nc, sizeof *c, by_score);
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
            dst[taken].docs = c[i].docs;
            dst[taken].dp = c[i].dp;
            taken++;
        }
        t->n[r] = taken;
    }
cleanup:
    ct_free(colsum_own);
    ct_free(rowsum);
    ct_free(df_own);
    ct_free(any_form_own);
    ct_free(c);
    ct_free(near);
    ct_free(n_near);
    ct_free(nbsum_own);
    ct_free(nbc);
    ct_free(nbq);
    ct_free(nbd);
    ct_free(pastc);
    ct_free(order);
    ct_free(d.fmax);
    ct_free(d.ftop);
    ct_free(d.abs_dev);
    ct_free(d.share);
    ct_free(d.docs);
    ct_reference_free(loaded);
    if (rc != CT_OK) {
        ct_themes_free(t);
        return rc;
    }
    *out = t;
    return CT_OK;
}

int ct_themes_compute(ct_themes **out, const ct_matrix *m, const ct_themes_options *o)
{
    return themes_rows(out, m, o, NULL);
}

int ct_themes_compute_part(ct_themes **out, const ct_matrix *m, const ct_themes_options *o,
                           const ct_themes_whole *whole)
{
    return themes_rows(out, m, o, whole);
}

int ct_themes_grouped(const ct_themes *t)
{
    return t->grouped;
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
