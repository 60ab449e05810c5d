/* compare_compute.c — the computing half of `comptext compare` (see compare_compute.h).
 *
 * Each step is the library call the single-purpose command makes, with the same options:
 * cli_count + ct_tfidf_transform + ct_simmatrix_new as `comptext similarity`; term discovery
 * (cli_terms_count, cli_group_rows) + ct_themes_compute as `comptext themes`;
 * ct_keyness_compute with the documents of a group as target, as `comptext keyness --target
 * FIELD=VALUE`; ct_kwic_search as `comptext kwic`. The shared writers (cli_write_similarity_csv,
 * cli_write_themes) make compare's similarity.csv and themes.json the same bytes as those
 * commands'. Keyword-in-context lines are searched in a small corpus of the row's own
 * documents held in memory, so each row costs one pass over its texts, not over the corpus. */
#include <stdlib.h>
#include <string.h>

#include "compare_compute.h"

#define KWIC_THEMES 3  /* themes a row shown in context */
#define KWIC_LINES 2   /* lines a theme */
#define KWIC_WINDOW 16 /* characters each side */

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

void compare_result_init(compare_result *r, cli_opts *o)
{
    memset(r, 0, sizeof *r);
    cli_terms_init(&r->terms, o);
}

/* The documents of row i: itself, or the members of group i. */
static size_t row_docs(const compare_result *r, size_t row, size_t *docs)
{
    if (!r->counted.groups) {
        docs[0] = row;
        return 1;
    }
    size_t n;
    const size_t *members = ct_grouping_members(r->counted.groups, row, &n);
    memcpy(docs, members, n * sizeof *docs);
    return n;
}

typedef struct kwic_ctx {
    compare_result *r;
    const ct_corpus *sub;
    const size_t *docs;
    size_t row, found;
    const char *term;
    int failed;
} kwic_ctx;

static int kwic_hit(void *ctx, const ct_kwic_hit *h)
{
    kwic_ctx *k = ctx;
    ct_report_kwic *line = &k->r->kwic[k->r->n_kwic];
    line->row = k->row;
    line->id = ct_corpus_id(k->r->corpus, k->docs[h->doc]);
    line->term = k->term;
    line->offset = (long long)h->offset;
    line->left = own(k->r, strdup(h->left));
    line->right = own(k->r, strdup(h->right));
    if (!line->left || !line->right) {
        k->failed = 1;
        return 1;
    }
    k->r->n_kwic++;
    return ++k->found >= KWIC_LINES;
}

/* Keyword-in-context lines for the top themes of every row. */
static int find_kwic(const cli_opts *o, compare_result *r, ct_error *err)
{
    size_t nd = ct_corpus_size(r->corpus);
    size_t *docs = malloc((nd + 1) * sizeof *docs);
    r->kwic = calloc(r->n * KWIC_THEMES * KWIC_LINES + 1, sizeof *r->kwic);
    if (!docs || !r->kwic) {
        free(docs);
        return CT_ENOMEM;
    }
    int rc = CT_OK;
    unsigned flags = o->tok.flags & CT_NORM_ALL;
    for (size_t i = 0; rc == CT_OK && i < r->n; i++) {
        if (!r->n_themes[i])
            continue;
        size_t m = row_docs(r, i, docs);
        ct_read_options ro;
        ct_read_options_init(&ro);
        ct_corpus *sub = NULL;
        if ((rc = ct_corpus_new(&sub, &ro)) != CT_OK)
            break;
        for (size_t q = 0; rc == CT_OK && q < m; q++) {
            char *text;
            size_t len;
            if ((rc = ct_corpus_read_text(r->corpus, docs[q], &text, &len, err)) != CT_OK)
                break;
            rc = ct_corpus_add_text(sub, ct_corpus_id(r->corpus, docs[q]),
                                    ct_corpus_source(r->corpus, docs[q]), text, len, err);
            ct_free(text);
        }
        for (size_t t = 0; rc == CT_OK && t < r->n_themes[i] && t < KWIC_THEMES; t++) {
            kwic_ctx k = {r, sub, docs, i, 0, r->themes[i][t].term, 0};
            rc = ct_kwic_search(sub, k.term, KWIC_WINDOW, flags, kwic_hit, &k, err);
            if (k.failed)
                rc = CT_ENOMEM;
            else if (rc > 0) /* stopped after enough lines */
                rc = CT_OK;
        }
        ct_corpus_free(sub);
    }
    free(docs);
    return rc;
}

/* Keyness of every group against the rest: the documents of the group as the target, as
 * `comptext keyness --target FIELD=VALUE` does. */
static int find_keyness(compare_result *r, const ct_matrix *doc_terms)
{
    size_t nd = ct_corpus_size(r->corpus);
    size_t *docs = malloc((nd + 1) * sizeof *docs);
    unsigned char *mask = calloc(nd + 1, 1);
    r->keyness = calloc(r->n, sizeof *r->keyness);
    r->n_keyness = calloc(r->n, sizeof *r->n_keyness);
    r->keyness_result = calloc(r->n, sizeof *r->keyness_result);
    int rc = CT_ENOMEM;
    if (!docs || !mask || !r->keyness || !r->n_keyness || !r->keyness_result)
        goto done;
    ct_keyness_options ko;
    ct_keyness_options_init(&ko);
    const ct_vocab *v = ct_matrix_vocab(doc_terms);
    rc = CT_OK;
    for (size_t i = 0; rc == CT_OK && i < r->n; i++) {
        size_t m = row_docs(r, i, docs);
        memset(mask, 0, nd);
        for (size_t q = 0; q < m; q++)
            mask[docs[q]] = 1;
        if (m == 0 || m == nd)
            continue; /* nothing to compare with */
        rc = ct_keyness_compute(&r->keyness_result[i], doc_terms, mask, &ko);
        if (rc == CT_EEMPTY) {
            rc = CT_OK;
            continue;
        }
        if (rc != CT_OK)
            break;
        size_t total = ct_keyness_size(r->keyness_result[i]);
        r->keyness[i] = calloc(total + 1, sizeof **r->keyness);
        if (!r->keyness[i]) {
            rc = CT_ENOMEM;
            break;
        }
        for (size_t t = 0; t < total; t++) {
            const ct_keyness_row *k = ct_keyness_get(r->keyness_result[i], t);
            r->keyness[i][t] = (ct_report_key){
                ct_vocab_term(v, k->term), k->stat, k->p, k->effect, k->n_target, k->n_reference};
        }
        r->n_keyness[i] = total;
    }
done:
    free(docs);
    free(mask);
    return rc;
}

static int describe(const cli_opts *o, compare_result *r)
{
    char buf[512];
    int len = snprintf(buf, sizeof buf, "character %d–%d-grams, TF-IDF (%s idf%s, %s rows",
                       o->tok.ngram_min, o->tok.ngram_max,
                       o->no_idf          ? "no"
                       : o->no_smooth_idf ? "unsmoothed"
                                          : "smooth",
                       o->sublinear_tf ? ", sublinear tf" : "", o->norm ? o->norm : "l2");
    if (o->min_df.set)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", min_df %g", o->min_df.value);
    if (o->max_df.set)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", max_df %g", o->max_df.value);
    if (o->max_features)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", max_features %ld", o->max_features);
    snprintf(buf + len, sizeof buf - (size_t)len,
             "), cosine similarity; themes: discovered terms ranked by G²·idf%s%s",
             o->group_by ? "; grouped by " : "", o->group_by ? o->group_by : "");
    return own(r, strdup(buf)) ? (r->settings = r->owned[r->n_owned - 1], CT_OK) : CT_ENOMEM;
}

int compare_compute(cli_opts *o, size_t k, compare_result *r)
{
    ct_error err;
    ct_error_clear(&err);
    int status, rc = CT_OK;
    /* Similarity, as `comptext similarity`. */
    if ((status = cli_count(o, &r->counted)) != CLI_OK)
        return status;
    r->corpus = r->counted.corpus;
    if ((status = cli_weigh(o, &r->counted, &r->weights)) != CLI_OK)
        return status;
    ct_sim_options so;
    ct_sim_options_init(&so);
    so.threads = o->threads;
    if ((rc = ct_simmatrix_new(&r->simmatrix, r->weights, &so)) != CT_OK)
        goto failed;
    size_t n = r->n = ct_matrix_rows(r->weights);
    rc = CT_ENOMEM;
    r->sim = malloc((n * n + 1) * sizeof *r->sim);
    r->ids = calloc(n + 1, sizeof *r->ids);
    r->themes = calloc(n + 1, sizeof *r->themes);
    r->n_themes = calloc(n + 1, sizeof *r->n_themes);
    if (!r->sim || !r->ids || !r->themes || !r->n_themes)
        goto failed;
    for (size_t i = 0; i < n; i++) {
        memcpy(r->sim + i * n, ct_simmatrix_row(r->simmatrix, i), n * sizeof *r->sim);
        r->ids[i] = ct_matrix_row_id(r->weights, i);
    }
    /* Themes, as `comptext themes`. */
    ct_matrix *doc_terms = NULL;
    if ((status = cli_terms_count(&r->terms, r->corpus, &doc_terms)) != CLI_OK)
        return status;
    r->term_rows = doc_terms;
    if (r->counted.groups) { /* the similarity's grouping: the same rows in the same order */
        if ((rc = ct_grouping_apply(&r->grouped_terms, r->counted.groups, doc_terms)) != CT_OK)
            goto failed;
        r->term_rows = r->grouped_terms;
    }
    ct_themes_options to;
    ct_themes_options_init(&to);
    to.k = k;
    if ((rc = ct_themes_compute(&r->themes_result, r->term_rows, &to)) != CT_OK)
        goto failed;
    /* The themes' rows are matched to the similarity's by id. */
    const ct_vocab *tv = ct_matrix_vocab(r->term_rows);
    for (size_t j = 0; j < ct_matrix_rows(r->term_rows); j++) {
        size_t i = 0;
        while (i < n && strcmp(r->ids[i], ct_matrix_row_id(r->term_rows, j)) != 0)
            i++;
        if (i == n)
            continue;
        size_t m;
        const ct_theme *th = ct_themes_row(r->themes_result, j, &m);
        if (!(r->themes[i] = calloc(m + 1, sizeof **r->themes))) {
            rc = CT_ENOMEM;
            goto failed;
        }
        for (size_t q = 0; q < m; q++)
            r->themes[i][q] = (ct_report_theme){ct_vocab_term(tv, th[q].term), th[q].score};
        r->n_themes[i] = m;
    }
    if (r->counted.groups && (rc = find_keyness(r, doc_terms)) != CT_OK)
        goto failed;
    if ((rc = find_kwic(o, r, &err)) != CT_OK)
        goto failed;
    rc = describe(o, r);
failed:
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, &err);
}

int compare_write_similarity(FILE *f, const compare_result *r)
{
    return cli_write_similarity_csv(f, r->weights, r->simmatrix);
}

int compare_write_themes(FILE *f, const compare_result *r)
{
    return cli_write_themes(f, "json", r->term_rows, r->themes_result);
}

void compare_result_free(compare_result *r)
{
    for (size_t i = 0; r->themes && i < r->n; i++)
        free(r->themes[i]);
    free(r->themes);
    free(r->n_themes);
    for (size_t i = 0; r->keyness && i < r->n; i++)
        free(r->keyness[i]);
    for (size_t i = 0; r->keyness_result && i < r->n; i++)
        ct_keyness_free(r->keyness_result[i]);
    free(r->keyness_result);
    free(r->keyness);
    free(r->n_keyness);
    free(r->kwic);
    for (size_t i = 0; i < r->n_owned; i++)
        free(r->owned[i]);
    free(r->owned);
    free(r->sim);
    free(r->ids);
    ct_cluster_free(r->tree);
    ct_themes_free(r->themes_result);
    ct_matrix_free(r->grouped_terms);
    ct_simmatrix_free(r->simmatrix);
    ct_matrix_free(r->weights);
    cli_terms_free(&r->terms);
    cli_counted_free(&r->counted);
    memset(r, 0, sizeof *r);
}
