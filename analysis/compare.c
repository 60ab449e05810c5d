/* compare.c — the main job as one call (comptext/compare.h).
 *
 * Each step is the library call the single-purpose command makes, with the same options:
 * ct_count_corpus + ct_tfidf_transform + ct_simmatrix_new as `comptext similarity`; term
 * discovery (or the n-gram counts) + ct_themes_compute as `comptext themes`;
 * ct_keyness_groups as `comptext keyness --target FIELD=VALUE` for each group;
 * ct_kwic_search_normalized as `comptext kwic`; then the clustering, its cut by silhouette
 * and the classical MDS map. Nothing here writes a file.
 *
 * Reading: the texts are the slow part, so each is read at most twice. With discovered
 * terms, term discovery reads the corpus first and the themes are known before counting;
 * the counting pass then hands each text (through ct_count_options.text_fn) to a hook that
 * counts its characters and searches it for its row's top themes. With n-gram units the
 * counting pass gives the themes' counts too (the same tokeniser), and the hook only counts
 * characters; the keyword-in-context lines then take a second pass over the documents
 * whose rows have themes. Lines are collected per document (the hook runs in the counting
 * threads) and merged afterwards in document order, so the result does not depend on the
 * threads: the first kwic_lines occurrences of each theme in the row's documents. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "comptext/compare.h"
#include "comptext/kwic.h"
#include "comptext/normalize.h"
#include "comptext/vocab.h"
#include "compare_large.h"
#include "corpus_hold.h"
#include "matrix_impl.h"
#include "termtab.h"
#include "sort.h"

struct ct_compare {
    const ct_corpus *corpus;
    size_t n_docs, n;
    ct_grouping *groups;
    ct_matrix *weights;       /* row ids name the rows */
    const char **ids;         /* n, borrowed from weights */
    double *sim;              /* n × n */
    ct_compare_neighbour *nb; /* n × n_nb_max */
    size_t *n_nb, n_nb_max;
    ct_terms *terms;         /* with discovered terms */
    ct_matrix *ngram_counts; /* with n-gram units: the documents' counts */
    const ct_matrix *doc_terms;
    ct_matrix *grouped_terms;
    const ct_matrix *term_rows; /* rows as the similarity's */
    size_t *term_row;           /* similarity row → term_rows row (SIZE_MAX: none) */
    ct_themes *themes;
    ct_keyness **keyness; /* per row with a grouping, else NULL */
    ct_compare_kwic *kwic;
    size_t n_kwic;
    size_t *doc_chars, *doc_tokens;
    uint64_t *doc_hash; /* n_docs × 3: two hashes of the text as counted and its length */
    ct_compare_note *notes;
    size_t n_notes;
    ct_cluster *tree;
    size_t k, *clusters;
    int k_given;
    double silhouette;
    ct_cluster_cut_score cuts[3]; /* the best cuts, best first (n_cuts of them) */
    size_t n_cuts;
    ct_mds *map;
    int large;              /* large mode: no N × N matrix */
    ct_compare_pair *pairs; /* the strongest pairs */
    size_t n_pairs;
    double *csim;      /* k × k mean cosine between clusters */
    size_t sil_sample; /* rows the silhouette is computed over */
    char *settings;
    ct_compare_summary summary;
};

void ct_compare_options_init(ct_compare_options *o)
{
    memset(o, 0, sizeof *o);
    ct_tokenizer_options_init(&o->tok);
    ct_tfidf_options_init(&o->weights);
    o->weights.flags |= CT_TFIDF_SUBLINEAR_TF; /* the command line's default (compare.h) */
    ct_terms_options_init(&o->terms);
    ct_keyness_options_init(&o->keyness);
    o->units = CT_COMPARE_TERMS;
    o->themes = CT_THEMES_K_DEFAULT;
    o->linkage = CT_LINKAGE_AVERAGE;
    o->neighbours = CT_COMPARE_NEIGHBOURS_DEFAULT;
    o->kwic_themes = CT_COMPARE_KWIC_THEMES_DEFAULT;
    o->kwic_lines = CT_COMPARE_KWIC_LINES_DEFAULT;
    o->kwic_window = CT_COMPARE_KWIC_WINDOW_DEFAULT;
    o->near_duplicate = CT_COMPARE_NEAR_DUPLICATE_DEFAULT;
    o->few_tokens = CT_COMPARE_FEW_TOKENS_DEFAULT;
    o->short_share = CT_COMPARE_SHORT_SHARE_DEFAULT;
    o->large_threshold = CT_COMPARE_LARGE_DEFAULT;
    o->top_pairs = CT_COMPARE_TOP_PAIRS_DEFAULT;
}

/* --- keyword in context, one document at a time ------------------------------------------ */

typedef struct kwic_slot { /* the lines of one theme in one document */
    size_t n;
    ct_compare_kwic *lines; /* kwic_lines */
} kwic_slot;

typedef struct kwic_state {
    ct_compare *c;
    size_t themes, lines, window; /* per row, per theme, characters */
    unsigned flags;
    char **needles; /* n × themes: normalised theme terms (NULL: none) */
    size_t *needle_len;
    kwic_slot *slots; /* n_docs × themes */
    int count_chars;  /* the hook counts characters too */
} kwic_state;

typedef struct kwic_hit_ctx {
    kwic_slot *slot;
    size_t max, row;
    const char *term;
    int failed;
} kwic_hit_ctx;

static int kwic_hit(void *ctx, const ct_kwic_hit *h)
{
    kwic_hit_ctx *k = ctx;
    ct_compare_kwic *line = &k->slot->lines[k->slot->n];
    line->row = k->row;
    line->doc = h->doc;
    line->offset = h->offset;
    line->term = k->term;
    line->left = ct_strdup(h->left);
    line->match = ct_strdup(h->term);
    line->right = ct_strdup(h->right);
    if (!line->left || !line->match || !line->right) {
        ct_free((char *)line->left);
        ct_free((char *)line->match);
        ct_free((char *)line->right);
        k->failed = 1;
        return 1;
    }
    return ++k->slot->n >= k->max;
}

static size_t row_of_doc(const ct_compare *c, size_t doc)
{
    return c->groups ? ct_grouping_of(c->groups, doc) : doc;
}

static const char *theme_term(const ct_compare *c, size_t row, size_t t)
{
    size_t j = c->term_row[row], m;
    const ct_theme *th = ct_themes_row(c->themes, j, &m);
    return ct_vocab_term(ct_matrix_vocab(c->term_rows), th[t].term);
}

/* Search one document's text for its row's top themes. */
static int kwic_text(kwic_state *s, size_t doc, const char *text, size_t len)
{
    size_t row = row_of_doc(s->c, doc), t0 = row * s->themes;
    size_t have = 0;
    for (size_t t = 0; t < s->themes; t++)
        have += s->needles[t0 + t] != NULL;
    if (!have)
        return CT_OK;
    char *norm = NULL;
    size_t norm_len, *origin = NULL;
    int rc = ct_normalize(text, len, s->flags, &norm, &norm_len, &origin);
    if (rc == CT_EENCODING)
        rc = CT_OK; /* counting reports it */
    for (size_t t = 0; rc == CT_OK && norm && t < s->themes; t++) {
        if (!s->needles[t0 + t])
            continue;
        kwic_slot *slot = &s->slots[doc * s->themes + t];
        if (!(slot->lines = ct_calloc(s->lines, sizeof *slot->lines))) {
            rc = CT_ENOMEM;
            break;
        }
        kwic_hit_ctx k = {slot, s->lines, row, theme_term(s->c, row, t), 0};
        rc = ct_kwic_search_normalized(text, norm, norm_len, origin, doc, s->needles[t0 + t],
                                       s->needle_len[t0 + t], s->window, kwic_hit, &k);
        if (k.failed)
            rc = CT_ENOMEM;
        else if (rc > 0) /* stopped after enough lines */
            rc = CT_OK;
    }
    ct_free(norm);
    ct_free(origin);
    return rc;
}

/* The hook of the counting pass: characters, and keyword-in-context lines when the themes
 * are known. */
static int text_hook(void *ctx, size_t doc, const char *text, size_t len)
{
    kwic_state *s = ctx;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)text[i] & 0xC0) != 0x80;
    /* Characters as counted: page chrome is blanked, not cut, so that offsets hold; its
     * characters are not the document's. */
    size_t chrome_lines = 0, chrome_chars = 0;
    ct_error chrome_err;
    int rc = ct_corpus_chrome_removed(s->c->corpus, doc, &chrome_lines, &chrome_chars, &chrome_err);
    if (rc != CT_OK)
        return rc;
    s->c->doc_chars[doc] = n > chrome_chars ? n - chrome_chars : 0;
    /* Two independent 64-bit hashes and the length: equal texts have equal triples, and
     * different texts collide with a chance of about 2^-128. */
    uint64_t fnv = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        fnv = (fnv ^ (unsigned char)text[i]) * 0x100000001b3ULL;
    uint64_t *h = s->c->doc_hash + 3 * doc;
    h[0] = ct_hash_bytes(text, len);
    h[1] = fnv;
    h[2] = len;
    return s->needles ? kwic_text(s, doc, text, len) : CT_OK;
}

/* Normalise the top themes of every row as search terms. */
static int kwic_prepare(kwic_state *s)
{
    ct_compare *c = s->c;
    s->needles = ct_calloc(c->n * s->themes + 1, sizeof *s->needles);
    s->needle_len = ct_calloc(c->n * s->themes + 1, sizeof *s->needle_len);
    s->slots = ct_calloc(c->n_docs * s->themes + 1, sizeof *s->slots);
    if (!s->needles || !s->needle_len || !s->slots)
        return CT_ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
        if (c->term_row[i] == SIZE_MAX)
            continue;
        size_t m;
        ct_themes_row(c->themes, c->term_row[i], &m);
        for (size_t t = 0; t < m && t < s->themes; t++) {
            const char *term = theme_term(c, i, t);
            char *needle;
            size_t nlen;
            int rc = ct_normalize(term, strlen(term), s->flags, &needle, &nlen, NULL);
            if (rc == CT_ENOMEM)
                return rc;
            if (rc != CT_OK || nlen == 0) {
                ct_free(rc == CT_OK ? needle : NULL);
                continue;
            }
            s->needles[i * s->themes + t] = needle;
            s->needle_len[i * s->themes + t] = nlen;
        }
    }
    return CT_OK;
}

/* Merge the documents' lines: by row, theme, then document order, kwic_lines a theme. */
static int kwic_collect(kwic_state *s)
{
    ct_compare *c = s->c;
    size_t total = 0;
    for (size_t q = 0; q < c->n_docs * s->themes; q++)
        total += s->slots[q].n;
    if (!(c->kwic = ct_calloc(total + 1, sizeof *c->kwic)))
        return CT_ENOMEM;
    for (size_t i = 0; i < c->n; i++) {
        size_t m = 1, one = i;
        const size_t *docs = c->groups ? ct_grouping_members(c->groups, i, &m) : &one;
        for (size_t t = 0; t < s->themes; t++) {
            size_t taken = 0;
            for (size_t q = 0; q < m; q++) {
                kwic_slot *slot = &s->slots[docs[q] * s->themes + t];
                for (size_t h = 0; h < slot->n; h++) {
                    if (taken < s->lines) {
                        c->kwic[c->n_kwic++] = slot->lines[h];
                        taken++;
                    } else {
                        ct_free((char *)slot->lines[h].left);
                        ct_free((char *)slot->lines[h].match);
                        ct_free((char *)slot->lines[h].right);
                    }
                }
                slot->n = 0;
            }
        }
    }
    return CT_OK;
}

static void kwic_state_free(kwic_state *s)
{
    ct_compare *c = s->c;
    for (size_t q = 0; s->needles && q < c->n * s->themes; q++)
        ct_free(s->needles[q]);
    for (size_t q = 0; s->slots && q < c->n_docs * s->themes; q++) {
        for (size_t h = 0; h < s->slots[q].n; h++) {
            ct_free((char *)s->slots[q].lines[h].left);
            ct_free((char *)s->slots[q].lines[h].match);
            ct_free((char *)s->slots[q].lines[h].right);
        }
        ct_free(s->slots[q].lines);
    }
    ct_free(s->needles);
    ct_free(s->needle_len);
    ct_free(s->slots);
}

/* --- the size of the full matrix -------------------------------------------------------- */

/* N × N doubles the full-matrix mode holds at its peak: the matrix and its copy while the
 * similarity is made, then the matrix, the distances and the clustering's and the map's
 * working matrices. */
#define FULL_MATRICES 5

double ct_compare_full_matrix_bytes(size_t rows)
{
    return (double)FULL_MATRICES * 8.0 * (double)rows * (double)rows;
}

/* The memory this process may use: physical memory, or less under an address-space limit
 * (ulimit -v) or a control group's memory.max. */
static double available_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    double avail = pages > 0 && size > 0 ? (double)pages * (double)size : 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (avail == 0 || (double)rl.rlim_cur < avail))
        avail = (double)rl.rlim_cur;
    FILE *f = fopen("/sys/fs/cgroup/memory.max", "r");
    if (f) {
        double v;
        if (fscanf(f, "%lf", &v) == 1 && v > 0 && (avail == 0 || v < avail))
            avail = v;
        fclose(f);
    }
    return avail;
}

/* The full matrix must fit: a clear error naming the size rather than an out-of-memory kill. */
static int check_full_matrix(const ct_compare *c, const ct_compare_options *o, ct_error *err)
{
    double need = ct_compare_full_matrix_bytes(c->n), avail = available_memory();
    if (avail <= 0 || need <= 0.8 * avail)
        return CT_OK;
    const char *what = c->groups ? "groups" : "documents";
    ct_error_set(err, NULL, 0, -1,
                 "--full-matrix: %zu %s need about %.2f GB for their %zu × %zu similarity "
                 "matrices (%.2f GB each), more than 80%% of the %.2f GB of memory available; "
                 "leave out --full-matrix: beyond %zu %s compare works from each row's top %zu "
                 "neighbours",
                 c->n, what, need / 1e9, c->n, c->n, need / FULL_MATRICES / 1e9, avail / 1e9,
                 o->large_threshold, what, o->neighbours);
    return CT_ENOMEM;
}

/* --- the steps ----------------------------------------------------------------------------- */

/* The themes' rows matched to the similarity's by id (a hash lookup). */
static int match_rows(ct_compare *c)
{
    if (!(c->term_row = ct_malloc((c->n + 1) * sizeof *c->term_row)))
        return CT_ENOMEM;
    ct_termtab *tab = NULL;
    int rc = ct_termtab_new(&tab);
    size_t rows = ct_matrix_rows(c->term_rows);
    size_t *of_id = ct_malloc((rows + 1) * sizeof *of_id);
    if (!of_id)
        rc = CT_ENOMEM;
    for (size_t j = 0; rc == CT_OK && j < rows; j++) {
        const char *id = ct_matrix_row_id(c->term_rows, j);
        uint32_t k;
        int is_new;
        if ((rc = ct_termtab_intern(tab, id, strlen(id), &k, &is_new)) == CT_OK && is_new)
            of_id[k] = j;
    }
    for (size_t i = 0; rc == CT_OK && i < c->n; i++) {
        uint32_t k;
        c->term_row[i] =
            ct_termtab_find(tab, c->ids[i], strlen(c->ids[i]), &k) == CT_OK ? of_id[k] : SIZE_MAX;
    }
    ct_free(of_id);
    ct_termtab_free(tab);
    return rc;
}

static int themes_step(ct_compare *c, const ct_compare_options *o, ct_error *err)
{
    int rc = CT_OK;
    c->term_rows = c->doc_terms;
    if (c->groups) { /* the similarity's grouping: the same rows in the same order */
        if ((rc = ct_grouping_apply(&c->grouped_terms, c->groups, c->doc_terms)) != CT_OK)
            return rc;
        c->term_rows = c->grouped_terms;
    }
    ct_themes_options to;
    ct_themes_options_init(&to);
    to.k = o->themes;
    if (o->units == CT_COMPARE_NGRAMS) /* as `themes --units ngrams`: no length prior */
        to.length_weight = 0;
    if (c->groups) { /* ranked with dispersion over the groups' documents, as `themes` */
        to.grouping = c->groups;
        to.documents = c->doc_terms;
    }
    /* The documents' years, as `themes` takes them (not for groups: a group spans years). */
    double *times = NULL;
    const char *tf = o->time_field ? o->time_field : "year";
    if (!c->groups && strcmp(tf, "none") != 0) {
        long fi = ct_corpus_field_index(c->corpus, tf);
        if (fi >= 0 && (rc = ct_corpus_field_times(c->corpus, (size_t)fi, &times, err)) != CT_OK)
            return rc;
        to.time = times;
    }
    if (o->progress)
        o->progress(o->progress_ctx, "themes", 0, 0);
    rc = ct_themes_compute(&c->themes, c->term_rows, &to);
    ct_free(times);
    if (rc != CT_OK)
        return rc;
    if (c->groups && o->progress)
        o->progress(o->progress_ctx, "keyness", 0, 0);
    if (c->groups &&
        (rc = ct_keyness_groups(&c->keyness, c->doc_terms, c->groups, &o->keyness)) != CT_OK)
        return rc;
    return CT_OK;
}

static int by_sim(const void *x, const void *y)
{
    const ct_compare_neighbour *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim > b->sim ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

static int neighbours_step(ct_compare *c, size_t k)
{
    size_t n = c->n;
    c->n_nb_max = k < n ? k : (n ? n - 1 : 0);
    c->nb = ct_malloc((n * c->n_nb_max + 1) * sizeof *c->nb);
    c->n_nb = ct_calloc(n + 1, sizeof *c->n_nb);
    ct_compare_neighbour *all = ct_malloc((n + 1) * sizeof *all);
    if (!c->nb || !c->n_nb || !all) {
        ct_free(all);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                all[m++] = (ct_compare_neighbour){j, c->sim[i * n + j]};
        ct_sort(all, m, sizeof *all, by_sim);
        c->n_nb[i] = m < c->n_nb_max ? m : c->n_nb_max;
        memcpy(c->nb + i * c->n_nb_max, all, c->n_nb[i] * sizeof *all);
    }
    ct_free(all);
    return CT_OK;
}

static int cluster_step(ct_compare *c, const ct_compare_options *o, ct_error *err)
{
    size_t n = c->n;
    if (o->clusters > n) {
        ct_error_set(err, NULL, 0, -1, "clusters: %zu is more than the %zu %s", o->clusters, n,
                     c->groups ? "groups" : "documents");
        return CT_EINVAL;
    }
    int rc = ct_cluster_new_from_similarity(&c->tree, c->sim, n, o->linkage);
    if (rc != CT_OK)
        return rc;
    double *dist = ct_malloc((n * n + 1) * sizeof *dist);
    c->clusters = ct_calloc(n + 1, sizeof *c->clusters);
    if (!dist || !c->clusters) {
        ct_free(dist);
        return CT_ENOMEM;
    }
    /* The cut, unless k is given: the best of the cuts that mean something
     * (ct_cluster_rank_cuts: two clusters or more of two documents or more), documents
     * without tokens or far shorter than the median apart as outliers (label 0). */
    for (size_t i = 0; i < n * n; i++)
        dist[i] = c->sim[i] < 1 ? 1 - c->sim[i] : 0;
    unsigned char *tiny = NULL;
    if (!c->groups) {
        tiny = ct_calloc(n + 1, 1);
        double *size = ct_calloc(n + 1, sizeof *size);
        rc = tiny && size ? CT_OK : CT_ENOMEM;
        for (size_t i = 0; rc == CT_OK && i < n; i++)
            size[i] = c->doc_tokens[i] ? (double)c->doc_chars[i] : 0;
        if (rc == CT_OK)
            rc = ct_cluster_tiny(size, n, tiny);
        ct_free(size);
    }
    if (rc == CT_OK)
        rc = ct_cluster_rank_cuts(c->tree, dist, tiny, c->cuts, 3, &c->n_cuts);
    c->k_given = o->clusters != 0;
    if (rc == CT_OK && o->clusters) { /* as asked: k groups, whatever their sizes */
        c->k = o->clusters;
        rc = ct_cluster_cut(c->tree, c->k, c->clusters);
        if (rc == CT_OK && c->k >= 2 && c->k < n)
            rc = ct_cluster_silhouette(dist, n, c->clusters, c->k, &c->silhouette);
    } else if (rc == CT_OK) {
        size_t k = c->n_cuts ? c->cuts[0].k : 1;
        rc = ct_cluster_cut_outliers(c->tree, k, tiny, c->clusters, &c->k);
        c->silhouette = c->n_cuts ? c->cuts[0].silhouette : 0;
    }
    ct_free(tiny);
    ct_free(dist);
    return rc;
}

/* The strongest pairs of the full matrix: a sorted list of the best, ties in (i, j) order. */
static int top_pairs_full(ct_compare *c, size_t max)
{
    size_t n = c->n, m = 0;
    if (!(c->pairs = ct_malloc((max + 1) * sizeof *c->pairs)))
        return CT_ENOMEM;
    for (size_t i = 0; max && i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double v = c->sim[i * n + j];
            size_t pos = m;
            while (pos > 0 && c->pairs[pos - 1].sim < v)
                pos--;
            if (pos >= max)
                continue;
            size_t last = m < max ? m : max - 1;
            memmove(c->pairs + pos + 1, c->pairs + pos, (last - pos) * sizeof *c->pairs);
            c->pairs[pos] = (ct_compare_pair){i, j, v};
            if (m < max)
                m++;
        }
    c->n_pairs = m;
    return CT_OK;
}

/* The mean cosine between clusters from the full matrix (self-pairs left out). */
static int cluster_similarity_full(ct_compare *c)
{
    size_t n = c->n, k = c->k;
    if (!k)
        return CT_OK;
    double *sum = ct_calloc(k * k, sizeof *sum);
    size_t *size = ct_calloc(k, sizeof *size);
    if (!sum || !size) {
        ct_free(sum);
        ct_free(size);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (c->clusters[i])
            size[c->clusters[i] - 1]++;
    for (size_t i = 0; i < n; i++) {
        size_t a = c->clusters[i];
        if (!a)
            continue;
        for (size_t j = 0; j < n; j++)
            if (c->clusters[j] && j != i)
                sum[(a - 1) * k + c->clusters[j] - 1] += c->sim[i * n + j];
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            double pairs = a == b ? (double)size[a] * (double)(size[a] - 1)
                                  : (double)size[a] * (double)size[b];
            sum[a * k + b] = pairs > 0 ? sum[a * k + b] / pairs : 1.0;
        }
    for (size_t i = 0; i < n; i++) /* a cluster of one row: its self-similarity */
        if (c->clusters[i] && size[c->clusters[i] - 1] == 1)
            sum[(c->clusters[i] - 1) * (k + 1)] = c->sim[i * n + i];
    ct_free(size);
    c->csim = sum;
    return CT_OK;
}

/* --- notes on the corpus ---------------------------------------------------------------- */

typedef struct text_key { /* a document's hashes and length, for finding equal texts */
    uint64_t h[3];
    size_t doc;
} text_key;

static int by_text(const void *x, const void *y)
{
    const text_key *a = x, *b = y;
    for (int k = 0; k < 3; k++)
        if (a->h[k] != b->h[k])
            return a->h[k] < b->h[k] ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

static int by_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

static int by_note(const void *x, const void *y)
{
    const ct_compare_note *a = x, *b = y;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static int add_note(ct_compare *c, size_t *cap, ct_compare_note note)
{
    if (c->n_notes == *cap) {
        size_t nc = *cap ? 2 * *cap : 16;
        ct_compare_note *n = ct_realloc(c->notes, nc * sizeof *n);
        if (!n)
            return CT_ENOMEM;
        c->notes = n;
        *cap = nc;
    }
    c->notes[c->n_notes++] = note;
    return CT_OK;
}

static int notes_step(ct_compare *c, const ct_compare_options *o)
{
    size_t nd = c->n_docs, cap = 0;
    size_t *idx = ct_malloc((nd + 1) * sizeof *idx), *first = ct_malloc((nd + 1) * sizeof *first);
    text_key *keys = ct_malloc((nd + 1) * sizeof *keys);
    int rc = idx && first && keys ? CT_OK : CT_ENOMEM;
    /* Exact duplicates: sort by the hashes, pair each with the first of its class. */
    size_t m = 0;
    for (size_t d = 0; rc == CT_OK && d < nd; d++) {
        first[d] = d;
        if (c->doc_tokens[d] >= o->few_tokens) {
            memcpy(keys[m].h, c->doc_hash + 3 * d, sizeof keys[m].h);
            keys[m++].doc = d;
        }
    }
    if (rc == CT_OK) {
        ct_sort(keys, m, sizeof *keys, by_text);
        for (size_t q = 1; q < m; q++)
            if (memcmp(keys[q].h, keys[q - 1].h, sizeof keys[q].h) == 0)
                first[keys[q].doc] = first[keys[q - 1].doc];
        for (size_t d = 0; rc == CT_OK && d < nd; d++)
            if (first[d] != d)
                rc = add_note(c, &cap, (ct_compare_note){CT_NOTE_DUPLICATE, first[d], d, 1});
    }
    /* Near-duplicates among the rows: every pair of the matrix, or in large mode the pairs
     * of the neighbour lists (each once: a pair in both lists is noted from the lower row's). */
    size_t n = c->n;
    for (size_t i = 0; c->large && rc == CT_OK && i < n; i++)
        for (size_t q = 0; rc == CT_OK && q < c->n_nb[i]; q++) {
            const ct_compare_neighbour *x = &c->nb[i * c->n_nb_max + q];
            size_t j = x->row;
            if (!(x->sim >= o->near_duplicate))
                break;
            if (j < i) { /* noted from j's list, if it has i */
                int listed = 0;
                for (size_t r = 0; r < c->n_nb[j] && !listed; r++)
                    listed = c->nb[j * c->n_nb_max + r].row == i;
                if (listed)
                    continue;
            }
            size_t a = i < j ? i : j, b = i < j ? j : i;
            if (!c->groups && first[a] == first[b])
                continue;
            rc = add_note(c, &cap, (ct_compare_note){CT_NOTE_NEAR_DUPLICATE, a, b, x->sim});
        }
    for (size_t i = 0; !c->large && rc == CT_OK && i < n; i++)
        for (size_t j = i + 1; rc == CT_OK && j < n; j++) {
            double sim = c->sim[i * n + j];
            if (!(sim >= o->near_duplicate))
                continue;
            if (!c->groups && first[i] == first[j])
                continue; /* the same text: noted above */
            rc = add_note(c, &cap, (ct_compare_note){CT_NOTE_NEAR_DUPLICATE, i, j, sim});
        }
    /* Almost no tokens; far shorter than the median document. */
    for (size_t d = 0; rc == CT_OK && d < nd; d++)
        if (c->doc_tokens[d] < o->few_tokens)
            rc = add_note(c, &cap,
                          (ct_compare_note){CT_NOTE_FEW_TOKENS, d, 0, (double)c->doc_tokens[d]});
    if (rc == CT_OK && nd >= 3) {
        for (size_t d = 0; d < nd; d++)
            idx[d] = c->doc_chars[d];
        ct_sort(idx, nd, sizeof *idx, by_size);
        double median =
            nd % 2 ? (double)idx[nd / 2] : 0.5 * ((double)idx[nd / 2 - 1] + (double)idx[nd / 2]);
        for (size_t d = 0; rc == CT_OK && median > 0 && d < nd; d++) {
            double share = (double)c->doc_chars[d] / median;
            if (c->doc_tokens[d] >= o->few_tokens && share < o->short_share)
                rc = add_note(c, &cap, (ct_compare_note){CT_NOTE_SHORT, d, 0, share});
        }
    }
    if (rc == CT_OK)
        ct_sort(c->notes, c->n_notes, sizeof *c->notes, by_note);
    ct_free(keys);
    ct_free(idx);
    ct_free(first);
    return rc;
}

static int describe(ct_compare *c, const ct_compare_options *o)
{
    char buf[512];
    const ct_tfidf_options *w = &o->weights;
    int len = snprintf(buf, sizeof buf, "character %d–%d-grams, TF-IDF (%s idf%s, %s rows",
                       o->tok.ngram_min, o->tok.ngram_max,
                       (w->flags & CT_TFIDF_NO_IDF)          ? "no"
                       : (w->flags & CT_TFIDF_NO_SMOOTH_IDF) ? "unsmoothed"
                                                             : "smooth",
                       (w->flags & CT_TFIDF_SUBLINEAR_TF) ? ", sublinear tf" : "",
                       ct_tfidf_norm_name(w->norm));
    if (w->min_df.set)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", min_df %g", w->min_df.value);
    if (w->max_df.set)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", max_df %g", w->max_df.value);
    if (w->max_features)
        len += snprintf(buf + len, sizeof buf - (size_t)len, ", max_features %zu", w->max_features);
    snprintf(buf + len, sizeof buf - (size_t)len,
             "), cosine similarity; themes: discovered terms ranked by G²·idf%s%s",
             o->group_by ? "; grouped by " : "", o->group_by ? o->group_by : "");
    return (c->settings = ct_strdup(buf)) ? CT_OK : CT_ENOMEM;
}

static void row_sums(const ct_matrix *m, size_t *out)
{
    for (size_t r = 0; r < ct_matrix_rows(m); r++)
        out[r] = (size_t)ct_matrix_row_sum(m, r);
}

/* The similarity, clustering and map with the N × N matrix, as the single-purpose commands
 * compute them. */
static int full_steps(ct_compare *c, const ct_compare_options *o, ct_error *err)
{
    ct_simmatrix *sm = NULL;
    int rc;
    if (o->progress)
        o->progress(o->progress_ctx, "similarity", 0, c->n);
    ct_sim_options so;
    ct_sim_options_init(&so);
    so.threads = o->threads;
    if ((rc = ct_simmatrix_new(&sm, c->weights, &so)) != CT_OK)
        return rc;
    size_t n = c->n;
    if (ct_matrix_rows(c->weights) != n || !(c->sim = ct_malloc((n * n + 1) * sizeof *c->sim))) {
        ct_simmatrix_free(sm);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(c->sim + i * n, ct_simmatrix_row(sm, i), n * sizeof *c->sim);
        c->ids[i] = ct_matrix_row_id(c->weights, i);
    }
    ct_simmatrix_free(sm);
    if ((rc = neighbours_step(c, o->neighbours)) != CT_OK)
        return rc;

    /* Clusters and the map. */
    if (o->progress)
        o->progress(o->progress_ctx, "clustering", 0, 0);
    if ((rc = cluster_step(c, o, err)) != CT_OK)
        return rc;
    if (o->progress)
        o->progress(o->progress_ctx, "map", 0, 0);
    if ((rc = ct_mds_new_from_similarity(&c->map, c->sim, n, 2)) != CT_OK)
        return rc;
    c->sil_sample = n;
    if ((rc = top_pairs_full(c, o->top_pairs)) != CT_OK ||
        (rc = cluster_similarity_full(c)) != CT_OK)
        return rc;
    return CT_OK;
}

/* Documents without tokens or far shorter than the median: outliers whatever the cut (with
 * documents as rows; NULL with groups), as cluster_step flags them. */
static int tiny_rows(const ct_compare *c, unsigned char **out)
{
    *out = NULL;
    if (c->groups)
        return CT_OK;
    size_t n = c->n;
    unsigned char *tiny = ct_calloc(n + 1, 1);
    double *size = ct_calloc(n + 1, sizeof *size);
    int rc = tiny && size ? CT_OK : CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < n; i++)
        size[i] = c->doc_tokens[i] ? (double)c->doc_chars[i] : 0;
    if (rc == CT_OK)
        rc = ct_cluster_tiny(size, n, tiny);
    ct_free(size);
    if (rc != CT_OK)
        ct_free(tiny);
    else
        *out = tiny;
    return rc;
}

static int by_pair(const void *x, const void *y)
{
    const ct_compare_pair *a = x, *b = y;
    if (a->sim != b->sim)
        return a->sim > b->sim ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* The strongest pairs among the neighbour lists (each pair once). */
static int top_pairs_lists(ct_compare *c, size_t max)
{
    size_t n = c->n, m = 0;
    ct_compare_pair *all = ct_malloc((n * c->n_nb_max + 1) * sizeof *all);
    if (!all)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        for (size_t q = 0; q < c->n_nb[i]; q++) {
            const ct_compare_neighbour *x = &c->nb[i * c->n_nb_max + q];
            size_t a = i < x->row ? i : x->row, b = i < x->row ? x->row : i;
            all[m++] = (ct_compare_pair){a, b, x->sim};
        }
    ct_sort(all, m, sizeof *all, by_pair);
    size_t u = 0;
    for (size_t q = 0; q < m && u < max; q++)
        if (!u || all[u - 1].a != all[q].a || all[u - 1].b != all[q].b)
            all[u++] = all[q];
    c->pairs = all;
    c->n_pairs = u;
    return CT_OK;
}

/* The similarity, clustering and map without any N × N matrix (compare_large.c). */
static int large_steps(ct_compare *c, const ct_compare_options *o, ct_error *err)
{
    size_t n = c->n;
    if (ct_matrix_rows(c->weights) != n)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        c->ids[i] = ct_matrix_row_id(c->weights, i);
    unsigned char *tiny;
    int rc = tiny_rows(c, &tiny);
    if (rc != CT_OK)
        return rc;
    ct_large_options lo = {
        o->neighbours, o->clusters,    o->linkage, o->threads, c->groups ? "groups" : "documents",
        o->progress,   o->progress_ctx};
    ct_large_result r;
    rc = ct_compare_large(c->weights, tiny, &lo, &r, err);
    ct_free(tiny);
    if (rc != CT_OK)
        return rc;
    c->n_nb_max = o->neighbours < r.K ? o->neighbours : r.K;
    c->nb = ct_malloc((n * c->n_nb_max + 1) * sizeof *c->nb);
    c->n_nb = ct_calloc(n + 1, sizeof *c->n_nb);
    if (!c->nb || !c->n_nb) {
        ct_large_result_free(&r);
        return CT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        c->n_nb[i] = c->n_nb_max;
        for (size_t q = 0; q < c->n_nb_max; q++)
            c->nb[i * c->n_nb_max + q] =
                (ct_compare_neighbour){r.nb[i * r.K + q].row, r.nb[i * r.K + q].score};
    }
    c->clusters = r.clusters;
    c->k = r.k;
    c->k_given = o->clusters != 0;
    memcpy(c->cuts, r.cuts, sizeof c->cuts);
    c->n_cuts = r.n_cuts;
    c->silhouette = r.silhouette;
    c->sil_sample = r.sil_sample;
    c->csim = r.csim;
    c->map = r.map;
    r.clusters = NULL;
    r.csim = NULL;
    r.map = NULL;
    ct_large_result_free(&r);
    return top_pairs_lists(c, o->top_pairs);
}
int ct_compare_run(ct_compare **out, const ct_corpus *corpus, const ct_compare_options *o,
                   ct_error *err)
{
    *out = NULL;
    size_t n_docs = ct_corpus_size(corpus);
    if (!n_docs)
        return CT_EEMPTY;
    ct_compare *c = ct_calloc(1, sizeof *c);
    if (!c)
        return CT_ENOMEM;
    c->corpus = corpus;
    c->n_docs = n_docs;
    kwic_state ks = {0};
    ks.c = c;
    ks.themes = o->kwic_themes;
    ks.lines = o->kwic_lines;
    ks.window = o->kwic_window;
    ks.flags = o->tok.flags & CT_NORM_ALL;
    ct_tokenizer *tok = NULL;
    ct_matrix *counts = NULL;
    int rc = CT_OK, held = 0;
    c->doc_chars = ct_calloc(n_docs + 1, sizeof *c->doc_chars);
    c->doc_tokens = ct_calloc(n_docs + 1, sizeof *c->doc_tokens);
    c->doc_hash = ct_calloc(3 * n_docs + 1, sizeof *c->doc_hash);
    if (!c->doc_chars || !c->doc_tokens || !c->doc_hash) {
        rc = CT_ENOMEM;
        goto failed;
    }
    if (o->group_by && (rc = ct_grouping_new(&c->groups, corpus, o->group_by, err)) != CT_OK)
        goto failed;
    c->n = c->groups ? ct_grouping_size(c->groups) : n_docs;
    c->large = !o->full_matrix && c->n > o->large_threshold;
    if (!c->large && (rc = check_full_matrix(c, o, err)) != CT_OK)
        goto failed;
    if ((rc = ct_tokenizer_new(&tok, &o->tok)) != CT_OK)
        goto failed;
    int ngrams = o->units == CT_COMPARE_NGRAMS, kwic = ks.themes && ks.lines;
    /* Every text read once, here, for all the passes below (corpus_hold.h). */
    if ((rc = ct_corpus_hold_texts(corpus, 0, o->threads, err)) != CT_OK)
        goto failed;
    held = 1;

    /* Read 1 with discovered terms: term discovery, the themes and keyness. */
    if (!ngrams) {
        ct_terms_options to = o->terms;
        to.stopwords = o->tok.stopwords;
        to.flags = ks.flags;
        to.threads = o->threads;
        if (o->progress)
            o->progress(o->progress_ctx, "terms", 0, 0);
        if ((rc = ct_terms_discover(&c->terms, corpus, &to, err)) != CT_OK)
            goto failed;
        c->doc_terms = ct_terms_counts(c->terms);
    }

    /* The counting pass (read 1 with n-grams, read 2 with terms): characters, and with
     * terms the keyword-in-context lines. */
    ct_count_options co;
    ct_count_options_init(&co);
    co.threads = o->threads;
    co.progress = o->progress;
    co.progress_ctx = o->progress_ctx;
    co.text_fn = text_hook;
    co.text_ctx = &ks;
    /* The ids of the rows, for matching the themes before counting: the grouping's names or
     * the documents'. */
    const char **pre_ids = ct_calloc(c->n + 1, sizeof *pre_ids);
    if (!pre_ids) {
        rc = CT_ENOMEM;
        goto failed;
    }
    for (size_t i = 0; i < c->n; i++)
        pre_ids[i] = c->groups ? ct_grouping_name(c->groups, i) : ct_corpus_id(corpus, i);
    c->ids = pre_ids;
    if (!ngrams) {
        if ((rc = themes_step(c, o, err)) != CT_OK || (rc = match_rows(c)) != CT_OK)
            goto failed;
        if (kwic && (rc = kwic_prepare(&ks)) != CT_OK)
            goto failed;
    }
    if ((rc = ct_count_corpus(&counts, corpus, tok, &co, err)) != CT_OK)
        goto failed;
    row_sums(counts, c->doc_tokens);
    if (ngrams) {
        if ((rc = ct_matrix_copy(&c->ngram_counts, counts)) != CT_OK)
            goto failed;
        c->doc_terms = c->ngram_counts;
        if ((rc = themes_step(c, o, err)) != CT_OK || (rc = match_rows(c)) != CT_OK)
            goto failed;
        /* Read 2: the documents of the rows with themes, for their lines in context. */
        if (kwic && (rc = kwic_prepare(&ks)) != CT_OK)
            goto failed;
        for (size_t d = 0; kwic && rc == CT_OK && d < n_docs; d++) {
            size_t row = row_of_doc(c, d), have = 0;
            for (size_t t = 0; t < ks.themes; t++)
                have += ks.needles[row * ks.themes + t] != NULL;
            if (!have)
                continue;
            char *text;
            size_t len;
            if ((rc = ct_corpus_read_text(corpus, d, &text, &len, err)) != CT_OK)
                break;
            rc = kwic_text(&ks, d, text, len);
            ct_free(text);
        }
        if (rc != CT_OK)
            goto failed;
    }
    if (kwic && (rc = kwic_collect(&ks)) != CT_OK)
        goto failed;
    ct_corpus_release_texts(corpus); /* the texts are read: free them for what follows */
    held = 0;

    /* The similarity, as `comptext similarity`. */
    if (c->groups) {
        ct_matrix *g;
        if ((rc = ct_grouping_apply(&g, c->groups, counts)) != CT_OK)
            goto failed;
        ct_matrix_free(counts);
        counts = g;
    }
    c->summary.features = ct_matrix_cols(counts);
    ct_tfidf_options wo = o->weights;
    wo.threads = o->threads;
    if ((rc = ct_tfidf_transform(&counts, NULL, &wo, err)) != CT_OK) /* in place */
        goto failed;
    c->weights = counts;
    counts = NULL;
    if ((rc = c->large ? large_steps(c, o, err) : full_steps(c, o, err)) != CT_OK)
        goto failed;
    size_t n = c->n;
    if ((rc = notes_step(c, o)) != CT_OK || (rc = describe(c, o)) != CT_OK)
        goto failed;
    c->summary.documents = n_docs;
    c->summary.rows = n;
    c->summary.theme_terms = ct_matrix_cols(c->term_rows);
    for (size_t d = 0; d < n_docs; d++) {
        c->summary.characters += c->doc_chars[d];
        c->summary.tokens += c->doc_tokens[d];
    }
failed:
    if (held)
        ct_corpus_release_texts(corpus);
    kwic_state_free(&ks);
    ct_matrix_free(counts);
    ct_tokenizer_free(tok);
    if (rc != CT_OK) {
        ct_compare_free(c);
        return rc;
    }
    *out = c;
    return CT_OK;
}

void ct_compare_free(ct_compare *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_kwic; i++) {
        ct_free((char *)c->kwic[i].left);
        ct_free((char *)c->kwic[i].match);
        ct_free((char *)c->kwic[i].right);
    }
    ct_free(c->kwic);
    ct_keyness_groups_free(c->keyness, c->groups ? ct_grouping_size(c->groups) : 0);
    ct_themes_free(c->themes);
    ct_free(c->term_row);
    ct_matrix_free(c->grouped_terms);
    ct_matrix_free(c->ngram_counts);
    ct_terms_free(c->terms);
    ct_mds_free(c->map);
    ct_cluster_free(c->tree);
    ct_free(c->clusters);
    ct_free(c->nb);
    ct_free(c->n_nb);
    ct_free(c->sim);
    ct_free((void *)c->ids);
    ct_matrix_free(c->weights);
    ct_grouping_free(c->groups);
    ct_free(c->doc_chars);
    ct_free(c->doc_tokens);
    ct_free(c->doc_hash);
    ct_free(c->notes);
    ct_free(c->pairs);
    ct_free(c->csim);
    ct_free(c->settings);
    ct_free(c);
}

/* --- accessors ----------------------------------------------------------------------------- */

const ct_corpus *ct_compare_corpus(const ct_compare *c)
{
    return c->corpus;
}

size_t ct_compare_rows(const ct_compare *c)
{
    return c->n;
}

const char *const *ct_compare_ids(const ct_compare *c)
{
    return c->ids;
}

const ct_grouping *ct_compare_grouping(const ct_compare *c)
{
    return c->groups;
}

void ct_compare_get_summary(const ct_compare *c, ct_compare_summary *s)
{
    *s = c->summary;
}

const size_t *ct_compare_doc_chars(const ct_compare *c)
{
    return c->doc_chars;
}

const size_t *ct_compare_doc_tokens(const ct_compare *c)
{
    return c->doc_tokens;
}

const char *ct_compare_settings(const ct_compare *c)
{
    return c->settings;
}

int ct_compare_is_large(const ct_compare *c)
{
    return c->large;
}

const ct_compare_pair *ct_compare_top_pairs(const ct_compare *c, size_t *count)
{
    *count = c->n_pairs;
    return c->pairs;
}

size_t ct_compare_silhouette_sample(const ct_compare *c)
{
    return c->sil_sample;
}

const double *ct_compare_cluster_similarity(const ct_compare *c)
{
    return c->csim;
}

const double *ct_compare_similarity(const ct_compare *c)
{
    return c->sim;
}

const ct_compare_neighbour *ct_compare_neighbours(const ct_compare *c, size_t row, size_t *count)
{
    *count = c->n_nb[row];
    return c->nb + row * c->n_nb_max;
}

const ct_matrix *ct_compare_term_counts(const ct_compare *c)
{
    return c->term_rows;
}

const ct_themes *ct_compare_themes(const ct_compare *c)
{
    return c->themes;
}

const ct_theme *ct_compare_row_themes(const ct_compare *c, size_t row, size_t *count)
{
    *count = 0;
    if (c->term_row[row] == SIZE_MAX)
        return NULL;
    return ct_themes_row(c->themes, c->term_row[row], count);
}

const ct_keyness *ct_compare_keyness(const ct_compare *c, size_t row)
{
    return c->keyness ? c->keyness[row] : NULL;
}

const ct_compare_kwic *ct_compare_kwic_lines(const ct_compare *c, size_t *count)
{
    *count = c->n_kwic;
    return c->kwic;
}

const ct_compare_note *ct_compare_notes(const ct_compare *c, size_t *count)
{
    *count = c->n_notes;
    return c->notes;
}

const ct_cluster *ct_compare_tree(const ct_compare *c)
{
    return c->tree;
}

size_t ct_compare_k(const ct_compare *c)
{
    return c->k;
}

const size_t *ct_compare_clusters(const ct_compare *c)
{
    return c->clusters;
}

int ct_compare_k_given(const ct_compare *c)
{
    return c->k_given;
}

double ct_compare_silhouette(const ct_compare *c)
{
    return c->silhouette;
}

const ct_cluster_cut_score *ct_compare_cuts(const ct_compare *c, size_t *count)
{
    *count = c->n_cuts;
    return c->cuts;
}

const ct_mds *ct_compare_map(const ct_compare *c)
{
    return c->map;
}
