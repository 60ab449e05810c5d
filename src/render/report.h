/* report.h — the self-contained HTML report of `comptext compare` (private; report.c, and
 * report_large.c for big corpora, report_reuse.c for the shared passages).
 *
 * The report takes plain arrays — the rows' ids, the similarity matrix, the tree and its
 * cut, the map, themes, keyness rows and keyword-in-context lines, the shared passages — and
 * the pictures as SVG text, and writes one HTML file with inline CSS and SVG that fetches
 * nothing. In large mode (ct_report.large) it shows clusters instead of documents, every
 * part bounded by the clusters and fixed caps, with a few lines of script paging the long
 * tables. Every string that comes from a document, its file name or its metadata is
 * HTML-escaped. */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "comptext/cluster.h"
#include "comptext/corpus.h"

typedef struct ct_report_theme {
    const char *term;
    double score;
} ct_report_theme;

typedef struct ct_report_key {
    const char *term;
    double statistic, p, effect, n_target, n_reference;
} ct_report_key;

typedef struct ct_report_kwic {
    size_t row; /* the row (document or group) whose theme this is */
    const char *id, *left, *term, *right;
    long long offset;
} ct_report_kwic;

/** A passage two documents share (comptext/reuse.h), as the report shows it. */
typedef struct ct_report_passage {
    const char *a, *b;                     /* document ids */
    size_t a_begin, a_end, b_begin, b_end; /* characters of each original text, end exclusive */
    size_t length;
    double identity;
    long score;
    const char *a_text, *b_text;
    size_t documents; /* documents that share it (its cluster) */
} ct_report_passage;

/** A boilerplate cluster: a passage that recurs across many documents. */
typedef struct ct_report_boilerplate {
    size_t documents;   /* documents it links */
    const char *sample; /* one of its passages' text */
    const char *a, *b;  /* the documents of that passage */
} ct_report_boilerplate;

/** The reuse section: shared passages (reuse.jsonl) and the matrix of groups. */
typedef struct ct_report_reuse {
    const char *skipped; /* non-NULL: not run, and why (the rest is unused) */
    size_t min_length;   /* the options the passages were found with */
    double min_identity;
    size_t shingle, boilerplate_docs;
    size_t passages;              /* lines of reuse.jsonl */
    size_t pairs;                 /* pairs of documents sharing a passage that is not boilerplate */
    size_t candidates;            /* candidate regions aligned */
    const ct_report_passage *top; /* the longest passages that are not boilerplate, one a
                                     cluster of passages */
    size_t distinct;              /* clusters of passages that are not boilerplate */
    size_t n_top;
    const ct_report_boilerplate *boilerplate; /* the largest boilerplate clusters */
    size_t n_boilerplate;                     /* clusters in boilerplate[] */
    size_t n_boilerplate_clusters;            /* boilerplate clusters in all */
    size_t boilerplate_total;                 /* passages in them (reuse.jsonl lines) */
    const char *matrix_svg;                   /* the group matrix heatmap, or NULL */
    const char *matrix_what;            /* what the groups are, e.g. "groups by city", "clusters" */
    size_t matrix_groups, matrix_shown; /* groups with reuse, and shown in the matrix */
} ct_report_reuse;

/** A cluster as the big-corpus report shows it (ct_report.large). */
typedef struct ct_report_cluster {
    size_t id;                  /* 1..k; 0: the outliers */
    size_t size;                /* rows in it */
    double within;              /* mean cosine between its members (NAN: not known) */
    const char *const *members; /* the members shown (the most connected first) */
    size_t n_members;
    const ct_report_theme *themes; /* its themes: summed over its members' themes */
    size_t n_themes;
} ct_report_cluster;

/** The notes of one kind, as the big-corpus report summarises them. */
typedef struct ct_report_note_kind {
    const char *what;         /* e.g. "exact duplicates" */
    size_t count;             /* notes of this kind */
    const char *const *shown; /* the first of them, as text lines */
    size_t n_shown;
} ct_report_note_kind;

/** A pair of rows and their similarity. */
typedef struct ct_report_pair {
    size_t i, j;
    double sim;
} ct_report_pair;

/** What the big-corpus report (large mode: no N × N matrix) shows instead of the documents'
 * heatmap, dendrogram, map and per-document tables. Every part is bounded by the clusters
 * and a few caps, never by the number of documents. */
typedef struct ct_report_large {
    size_t threshold;            /* rows beyond which compare works in large mode */
    size_t neighbours;           /* K of neighbours.tsv */
    const ct_report_pair *pairs; /* the strongest pairs */
    size_t n_pairs;
    const ct_report_cluster *clusters; /* the clusters shown, by id, then the outliers */
    size_t n_clusters;
    size_t silhouette_sample;              /* rows the silhouette was estimated on */
    const char *cluster_svg;               /* the clusters' mean-cosine heatmap (may be NULL) */
    const ct_report_note_kind *note_kinds; /* notes by kind (4) */
    size_t n_note_kinds;
    size_t chars_min, chars_median, chars_max; /* characters of the documents */
} ct_report_large;

typedef struct ct_report {
    const char *settings;    /* one line: how the result was made */
    const ct_corpus *corpus; /* for the corpus summary */
    const size_t *doc_chars; /* characters of each document */
    const char *group_by;    /* NULL: the rows are documents */
    size_t n;                /* rows */
    const char *const *ids;  /* row ids */
    const double *sim;       /* n × n */
    const ct_cluster *tree;
    const size_t *clusters;           /* 1..k a row, 0 for an outlier */
    size_t k;                         /* clusters */
    int k_given;                      /* 1: k came from --clusters; 0: the best silhouette */
    double silhouette;                /* mean silhouette of the cut (0 when k < 2) */
    const ct_cluster_cut_score *cuts; /* the best cuts, best first (may be NULL) */
    size_t n_cuts;
    const double *xy; /* n × 2 */
    double share[2];
    const ct_report_theme *const *themes; /* per row, n_themes[row] entries; may be NULL */
    const size_t *n_themes;
    const char *keyness_measure;         /* e.g. "G² (log-likelihood)" */
    const ct_report_key *const *keyness; /* per row; may be NULL */
    const size_t *n_keyness;
    const ct_report_kwic *kwic;
    size_t n_kwic;
    const char *heatmap_svg, *dendrogram_svg, *map_svg;
    size_t heatmap_file_bytes; /* non-zero: heatmap_svg is the clusters' heatmap, the
                                  documents' one (this size) is only in heatmap.svg */
    const char *const *notes;  /* notes on the corpus (duplicates, outliers): plain text lines */
    size_t n_notes;
    const ct_report_reuse *reuse; /* NULL: no reuse section */
    const ct_report_large *large; /* non-NULL: the big-corpus report (sim, tree, themes,
                                     kwic unused; pictures: the cluster heatmap and the
                                     density map) */
    const char *const *files;     /* the files written beside the report, in their order */
    size_t n_files;
} ct_report;

/** The (up to) max most similar pairs i < j, most similar first, then by i, then j; returns
 * how many were written to pairs. */
size_t ct_report_top_pairs(const double *sim, size_t n, ct_report_pair *pairs, size_t max);

/** The noun for a count of n: one when n is 1, else many (ct_report_noun(n, "outlier",
 * "outliers")), so that no page or summary says "1 outliers". */
const char *ct_report_noun(size_t n, const char *one, const char *many);

/** When the cut into k clusters is weak (ct_cluster_weak), the sentence that says so, for
 * stderr, the summary and the report (plain text, no markup), in buf; returns 1, else 0 and
 * buf is empty. */
int ct_report_weak_clusters(char *buf, size_t len, double silhouette, size_t k);

/** That sentence as a paragraph of either report's clusters section, when the cut is weak. */
void ct_report_write_weak(FILE *f, const ct_report *r);

/** The closing line of either report: the files compare wrote beside it (r->files). */
void ct_report_write_files(FILE *f, const ct_report *r);

/** How many of the n rows are outliers (cluster 0 in clusters, as ct_compare_clusters gives). */
size_t ct_report_outliers(const size_t *clusters, size_t n);

/** Escape s for HTML text and attribute values (& < > " '). */
void ct_html_escape(FILE *f, const char *s);

/* Rows beyond which the report shows the clusters' heatmap instead of the documents' (whose
 * n² cells, about 70 bytes each, stay in heatmap.svg): 400 rows are 11 MB of cells. */
#define CT_REPORT_INLINE_HEATMAP_MAX 400

/* Keyness in the report: the most key terms a group, the groups in the big-corpus report. */
#define CT_REPORT_KEYNESS_TERMS 15
#define CT_REPORT_KEYNESS_GROUPS 30

/** The big-corpus report (report_large.c); ct_report_write_html calls it when r->large. */
int ct_report_write_large_html(FILE *f, const ct_report *r);
/* The head, title and settings line of either report (report.c). */
void ct_report_write_head(FILE *f, const ct_report *r, const char *what, const char *extra_css);
/* Shared by both reports (report.c). */
extern const char ct_report_css[], ct_report_reuse_css[];
void ct_report_corpus_summary(FILE *f, const ct_report *r, size_t *chrome_docs,
                              size_t *script_docs);
void ct_report_section_keyness(FILE *f, const ct_report *r, size_t max_groups);

/** The reuse section of the report (report_reuse.c). */
void ct_report_section_reuse(FILE *f, const ct_report_reuse *r);
/** Write text with the characters not on a longest common subsequence with other marked
 * (<tag>…</tag>), at most max characters of text (then "…"); other is compared over at most
 * max + max / 4 characters. CT_ENOMEM. */
int ct_report_write_diff(FILE *f, const char *text, const char *other, size_t max, const char *tag);

/** Write the report. CT_EIO when writing fails. */
int ct_report_write_html(FILE *f, const ct_report *r);

#endif
