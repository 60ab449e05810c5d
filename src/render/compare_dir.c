/* compare_dir.c — the output directory of `comptext compare` (see compare_dir.h).
 *
 * The tables are the bytes `comptext similarity` and `comptext themes` write (tables.c),
 * the tree and the map go through the Newick and map-CSV writers, the pictures are drawn
 * into strings (open_memstream) once, for their files and for the report, and the report
 * gets plain arrays (report.h) built here from the result's accessors. The directory is a
 * transaction (ct_outdir, output.c): files are staged and moved into place only when every
 * one of them — and the caller's summary — has been written. In large mode the files and the
 * report that do not grow with N come from compare_large.c; the shared passages' section
 * from compare_reuse.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare_dir.h"
#include "comptext/render.h"
#include "comptext/vocab.h"
#include "output.h"
#include "report.h"
#include "svg.h"
#include "table.h"
#include "tables.h"

static int write_text_file(ct_outdir *d, const char *name, const char *text, size_t len,
                           ct_error *err)
{
    FILE *f = ct_outdir_file(d, name, err);
    if (!f)
        return err->text[0] ? CT_EIO : CT_ENOMEM;
    fwrite(text, 1, len, f);
    return ct_outdir_close_file(d, f, name, CT_OK, err);
}

static int write_clusters(FILE *f, const ct_compare *c)
{
    /* the dendrogram's leaf order; rows in order without a tree (large mode) */
    const ct_cluster *tree = ct_compare_tree(c);
    const size_t *order = tree ? ct_cluster_leaf_order(tree) : NULL;
    const size_t *clusters = ct_compare_clusters(c);
    const char *const *ids = ct_compare_ids(c);
    fputs("id\tcluster\n", f);
    for (size_t q = 0; q < ct_compare_rows(c); q++) {
        size_t i = order ? order[q] : q;
        ct_write_tsv_field(f, ids[i]);
        fprintf(f, "\t%zu\n", clusters[i]);
    }
    return CT_OK;
}

static int write_linkage(FILE *f, const ct_compare *c)
{
    const double *z = ct_cluster_merges(ct_compare_tree(c));
    fputs("a\tb\theight\tcount\n", f);
    for (size_t i = 0; z && i + 1 < ct_compare_rows(c); i++)
        fprintf(f, "%.0f\t%.0f\t%.17g\t%.0f\n", z[4 * i], z[4 * i + 1], z[4 * i + 2], z[4 * i + 3]);
    return CT_OK;
}

static int write_keyness(FILE *f, const ct_compare *c)
{
    static const char *const cols[] = {"id",     "term",     "statistic",  "p",
                                       "effect", "n_target", "n_reference"};
    const char *const *ids = ct_compare_ids(c);
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_TSV, cols, 7);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_compare_rows(c); i++) {
        const ct_keyness *k = ct_compare_keyness(c, i);
        for (size_t q = 0; k && q < ct_keyness_size(k); q++) {
            const ct_keyness_row *r = ct_keyness_get_row(k, q);
            ct_table_text(t, ids[i]);
            ct_table_text(t, ct_vocab_term(v, r->term));
            ct_table_double(t, r->stat);
            ct_table_double(t, r->p);
            ct_table_double(t, r->effect);
            ct_table_double(t, r->n_target);
            ct_table_double(t, r->n_reference);
        }
    }
    return ct_table_finish(t);
}

static int write_similarity(FILE *f, const ct_compare *c)
{
    size_t n = ct_compare_rows(c);
    const double *sim = ct_compare_similarity(c);
    const double **rows = malloc((n + 1) * sizeof *rows);
    if (!rows)
        return CT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        rows[i] = sim + i * n;
    int rc = ct_write_similarity_csv(f, n, ct_compare_ids(c), rows);
    free(rows);
    return rc;
}

int ct_compare_format_note(char *buf, size_t size, const ct_compare *c, const ct_compare_note *n)
{
    const ct_corpus *corpus = ct_compare_corpus(c);
    const char *const *ids = ct_compare_ids(c);
    switch (n->kind) {
    case CT_NOTE_DUPLICATE:
        return snprintf(buf, size, "%s and %s have the same text", ct_corpus_id(corpus, n->a),
                        ct_corpus_id(corpus, n->b));
    case CT_NOTE_NEAR_DUPLICATE:
        return snprintf(buf, size, "%s and %s are near-duplicates (cosine %.4f)", ids[n->a],
                        ids[n->b], n->value);
    case CT_NOTE_FEW_TOKENS:
        return snprintf(buf, size, "%s has almost no tokens (%.0f counted)",
                        ct_corpus_id(corpus, n->a), n->value);
    case CT_NOTE_SHORT:
        return snprintf(buf, size,
                        "%s is far shorter than the rest (%zu characters, %.0f%% of the median "
                        "document)",
                        ct_corpus_id(corpus, n->a), ct_compare_doc_chars(c)[n->a], 100 * n->value);
    }
    return snprintf(buf, size, "?");
}

/* Every file compare may write: one an earlier run left that this run does not write is
 * removed at commit, so the directory describes this run alone. */
static const char *const compare_files[] = {
    "themes.json", "report.html", "similarity.csv", "neighbours.tsv", "clusters.tsv",
    "linkage.tsv", "keyness.tsv", "notes.tsv",      "dendrogram.nwk", "dendrogram.svg",
    "heatmap.svg", "map.svg",     "map.csv",        "map-axes.csv",   "reuse.jsonl"};

/* The report's plain arrays. */
typedef struct report_data {
    ct_report_theme **themes;
    size_t *n_themes;
    ct_report_key **keyness;
    size_t *n_keyness;
    ct_report_kwic *kwic;
    size_t n_kwic;
    char **notes;
    size_t n_notes;
} report_data;

static void report_data_free(report_data *r, size_t n)
{
    for (size_t i = 0; r->themes && i < n; i++)
        free(r->themes[i]);
    for (size_t i = 0; r->keyness && i < n; i++)
        free(r->keyness[i]);
    free(r->themes);
    free(r->n_themes);
    free(r->keyness);
    free(r->n_keyness);
    free(r->kwic);
    for (size_t i = 0; i < r->n_notes; i++)
        free(r->notes[i]);
    free(r->notes);
}

/* In large mode (large 1) the per-row themes and the keyword-in-context lines are left out:
 * the big-corpus report shows the clusters' themes instead. */
static int report_data_fill(report_data *r, const ct_compare *c, int large)
{
    size_t n = ct_compare_rows(c);
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    const ct_corpus *corpus = ct_compare_corpus(c);
    memset(r, 0, sizeof *r);
    r->themes = calloc(n + 1, sizeof *r->themes);
    r->n_themes = calloc(n + 1, sizeof *r->n_themes);
    if (!r->themes || !r->n_themes)
        return CT_ENOMEM;
    for (size_t i = 0; i < n && !large; i++) {
        size_t m;
        const ct_theme *th = ct_compare_row_themes(c, i, &m);
        if (!th)
            continue;
        if (!(r->themes[i] = calloc(m + 1, sizeof **r->themes)))
            return CT_ENOMEM;
        for (size_t q = 0; q < m; q++)
            r->themes[i][q] = (ct_report_theme){ct_vocab_term(v, th[q].term), th[q].score};
        r->n_themes[i] = m;
    }
    if (ct_compare_grouping(c)) {
        r->keyness = calloc(n + 1, sizeof *r->keyness);
        r->n_keyness = calloc(n + 1, sizeof *r->n_keyness);
        if (!r->keyness || !r->n_keyness)
            return CT_ENOMEM;
        /* the report shows a group's 15 most key terms (the rows come most key first),
         * and in large mode only the first groups */
        for (size_t i = 0; i < n && (!large || i < CT_REPORT_KEYNESS_GROUPS); i++) {
            const ct_keyness *k = ct_compare_keyness(c, i);
            size_t total = k ? ct_keyness_size(k) : 0;
            if (!k)
                continue;
            if (total > CT_REPORT_KEYNESS_TERMS)
                total = CT_REPORT_KEYNESS_TERMS;
            if (!(r->keyness[i] = calloc(total + 1, sizeof **r->keyness)))
                return CT_ENOMEM;
            for (size_t t = 0; t < total; t++) {
                const ct_keyness_row *row = ct_keyness_get_row(k, t);
                r->keyness[i][t] = (ct_report_key){ct_vocab_term(v, row->term),
                                                   row->stat,
                                                   row->p,
                                                   row->effect,
                                                   row->n_target,
                                                   row->n_reference};
            }
            r->n_keyness[i] = total;
        }
    }
    size_t nk = 0;
    const ct_compare_kwic *kw = large ? NULL : ct_compare_kwic_lines(c, &nk);
    if (!(r->kwic = calloc(nk + 1, sizeof *r->kwic)))
        return CT_ENOMEM;
    for (size_t q = 0; q < nk; q++)
        r->kwic[q] =
            (ct_report_kwic){kw[q].row,   ct_corpus_id(corpus, kw[q].doc), kw[q].left, kw[q].term,
                             kw[q].right, (long long)kw[q].offset};
    r->n_kwic = nk;
    size_t nn;
    const ct_compare_note *notes = ct_compare_notes(c, &nn);
    if (!(r->notes = calloc(nn + 1, sizeof *r->notes)))
        return CT_ENOMEM;
    for (size_t q = 0; q < nn; q++) {
        int len = ct_compare_format_note(NULL, 0, c, &notes[q]);
        if (len < 0 || !(r->notes[q] = malloc((size_t)len + 1)))
            return CT_ENOMEM;
        ct_compare_format_note(r->notes[q], (size_t)len + 1, c, &notes[q]);
        r->n_notes = q + 1;
    }
    return CT_OK;
}

/* A picture into a string (open_memstream), for the file and the report. */
typedef struct picture {
    char *text;
    size_t len;
} picture;

int ct_compare_write_dir(const ct_compare *c, const ct_compare_dir_info *info, const char *dir,
                         int (*before_commit)(void *ctx), void *ctx, ct_error *err)
{
    const ct_compare_reuse *reuse = info ? info->reuse : NULL;
    int large = ct_compare_is_large(c);
    size_t n = ct_compare_rows(c);
    const ct_cluster *tree = ct_compare_tree(c);
    const ct_mds *map = ct_compare_map(c);
    const size_t *clusters = ct_compare_clusters(c);
    const char *const *ids = ct_compare_ids(c);
    const ct_grouping *groups = ct_compare_grouping(c);
    picture pic[3] = {{0}};
    report_data data;
    memset(&data, 0, sizeof data);
    ct_compare_reuse_data rd;
    memset(&rd, 0, sizeof rd);
    ct_compare_large_data ld;
    memset(&ld, 0, sizeof ld);
    char *cluster_svg = NULL;
    size_t cluster_len = 0;
    ct_outdir *d = NULL;
    int rc = ct_outdir_open(&d, dir, err);
    if (rc != CT_OK)
        goto failed;
    ct_outdir_own(d, compare_files, sizeof compare_files / sizeof *compare_files);
    FILE *f;
    /* every file written beside the report, in order, for its closing line */
    const char *written[16];
    size_t n_written = 0;
#define WRITE(name, call)                                                                          \
    do {                                                                                           \
        if (strcmp(name, "report.html") != 0)                                                      \
            written[n_written++] = name;                                                           \
        if (!(f = ct_outdir_file(d, name, err))) {                                                 \
            rc = err->text[0] ? CT_EIO : CT_ENOMEM;                                                \
            goto failed;                                                                           \
        }                                                                                          \
        rc = ct_outdir_close_file(d, f, name, (call), err);                                        \
        if (rc != CT_OK)                                                                           \
            goto failed;                                                                           \
    } while (0)
    /* similarity.csv, themes.json: the bytes of `comptext similarity` and `comptext themes` */
    if (large) { /* each row's top K instead of the N × N matrix, and the notes as a table */
        WRITE("neighbours.tsv", ct_compare_write_neighbours(f, c));
        WRITE("notes.tsv", ct_compare_write_notes(f, c));
    } else {
        WRITE("similarity.csv", write_similarity(f, c));
    }
    WRITE("themes.json",
          ct_write_themes(f, "json", ct_compare_term_counts(c), ct_compare_themes(c)));
    WRITE("clusters.tsv", write_clusters(f, c));
    if (!large) {
        WRITE("linkage.tsv", write_linkage(f, c));
        WRITE("dendrogram.nwk", ct_cluster_write_newick(tree, ids, f));
    }
    WRITE("map.csv", ct_mds_write_csv(map, ids, f));
    WRITE("map-axes.csv", ct_mds_write_axes_csv(map, f));
    if (groups)
        WRITE("keyness.tsv", write_keyness(f, c));
    /* reuse.jsonl: the bytes of `comptext reuse CORPUS` */
    if (reuse && reuse->reuse)
        WRITE("reuse.jsonl", ct_reuse_write_jsonl(reuse->reuse, ct_compare_corpus(c), f));
    if (large) {
        if ((rc = ct_compare_large_data_fill(&ld, c, info ? info->large_threshold : 0,
                                             info ? info->neighbours : 0)) != CT_OK)
            goto failed;
        if (ld.cluster_svg) {
            written[n_written++] = "heatmap.svg";
            if ((rc = write_text_file(d, "heatmap.svg", ld.cluster_svg, ld.cluster_len, err)) !=
                CT_OK)
                goto failed;
        }
        written[n_written++] = "map.svg";
        if ((rc = write_text_file(d, "map.svg", ld.map_svg, ld.map_len, err)) != CT_OK)
            goto failed;
        goto report;
    }
    const char *what =
        groups ? ct_report_noun(n, "group", "groups") : ct_report_noun(n, "document", "documents");
    char title[3][96];
    snprintf(title[0], sizeof title[0], "Cosine similarity of %zu %s", n, what);
    snprintf(title[1], sizeof title[1], "Dendrogram (%s linkage)",
             ct_linkage_name(ct_cluster_linkage(tree)));
    snprintf(title[2], sizeof title[2], "Map of %zu %s (classical MDS)", n, what);
    static const char *const names[3] = {"heatmap.svg", "dendrogram.svg", "map.svg"};
    for (int p = 0; p < 3; p++) {
        FILE *m = open_memstream(&pic[p].text, &pic[p].len);
        if (!m) {
            rc = CT_ENOMEM;
            goto failed;
        }
        if (p == 0)
            rc = ct_svg_heatmap(m, ct_compare_similarity(c), n, ids, ct_cluster_leaf_order(tree),
                                title[0]);
        else if (p == 1)
            rc = ct_svg_dendrogram(m, tree, ids, clusters, title[1]);
        else
            rc = ct_svg_map(m, ct_mds_coords(map), n, ids, clusters, ct_mds_variance_share(map, 0),
                            ct_mds_variance_share(map, 1), title[2]);
        if (fclose(m) != 0 && rc == CT_OK)
            rc = CT_ENOMEM;
        if (rc != CT_OK)
            goto failed;
        written[n_written++] = names[p];
        if ((rc = write_text_file(d, names[p], pic[p].text, pic[p].len, err)) != CT_OK)
            goto failed;
    }
report:
    if ((rc = report_data_fill(&data, c, large)) != CT_OK)
        goto failed;
    ct_report rep;
    memset(&rep, 0, sizeof rep);
    rep.settings = ct_compare_settings(c);
    rep.corpus = ct_compare_corpus(c);
    rep.doc_chars = ct_compare_doc_chars(c);
    rep.group_by = groups ? ct_grouping_field(groups) : NULL;
    rep.n = n;
    rep.ids = ids;
    rep.sim = ct_compare_similarity(c);
    rep.tree = tree;
    rep.clusters = clusters;
    rep.k = ct_compare_k(c);
    rep.k_given = ct_compare_k_given(c);
    rep.silhouette = ct_compare_silhouette(c);
    rep.cuts = ct_compare_cuts(c, &rep.n_cuts);
    rep.xy = ct_mds_coords(map);
    rep.share[0] = ct_mds_variance_share(map, 0);
    rep.share[1] = ct_mds_variance_share(map, 1);
    rep.themes = (const ct_report_theme *const *)data.themes;
    rep.n_themes = data.n_themes;
    rep.keyness_measure = "G² (log-likelihood)";
    rep.keyness = (const ct_report_key *const *)data.keyness;
    rep.n_keyness = data.n_keyness;
    rep.kwic = data.kwic;
    rep.n_kwic = data.n_kwic;
    rep.heatmap_svg = pic[0].text;
    /* Hundreds of documents: the document heatmap (n² cells) stays in heatmap.svg, and the
     * report shows the clusters' one, so that it stays small enough to open. */
    if (!large && n > CT_REPORT_INLINE_HEATMAP_MAX) {
        if ((rc = ct_compare_cluster_heatmap(c, &cluster_svg, &cluster_len)) != CT_OK)
            goto failed;
        rep.heatmap_svg = cluster_svg ? cluster_svg : "";
        rep.heatmap_file_bytes = pic[0].len;
    }
    rep.dendrogram_svg = pic[1].text;
    rep.map_svg = pic[2].text;
    rep.notes = (const char *const *)data.notes;
    rep.n_notes = data.n_notes;
    if (reuse) {
        if ((rc = ct_compare_reuse_data_fill(&rd, c, reuse)) != CT_OK)
            goto failed;
        rep.reuse = &rd.rep;
    }
    if (large) {
        rep.large = &ld.rep;
        rep.map_svg = ld.map_svg;
    }
    rep.files = written;
    rep.n_files = n_written;
    WRITE("report.html", ct_report_write_html(f, &rep));
#undef WRITE
    /* The caller's last word (the summary) first: when it fails, nothing is replaced. */
    if (before_commit && (rc = before_commit(ctx)) != CT_OK)
        goto failed;
    if ((rc = ct_outdir_commit(d, err)) != CT_OK)
        goto failed;
    d = NULL;
failed:
    ct_outdir_abort(d);
    for (int p = 0; p < 3; p++)
        free(pic[p].text);
    report_data_free(&data, n);
    ct_compare_reuse_data_free(&rd);
    ct_compare_large_data_free(&ld);
    free(cluster_svg);
    return rc;
}

void ct_compare_write_summary(FILE *f, const ct_compare *c, const ct_compare_reuse *reuse,
                              const char *dir)
{
    ct_compare_summary s;
    ct_compare_get_summary(c, &s);
    const ct_grouping *groups = ct_compare_grouping(c);
    const char *const *ids = ct_compare_ids(c);
    size_t n = s.rows, k = ct_compare_k(c);
    fprintf(f, "comptext compare: %zu %s, %llu characters", s.documents,
            ct_report_noun(s.documents, "document", "documents"), s.characters);
    if (groups) {
        fprintf(f, ", %zu %s by ", n, ct_report_noun(n, "group", "groups"));
        ct_write_escaped(f, ct_grouping_field(groups));
    }
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    char *shown_dir = strndup(dir, len);
    fprintf(f, " -> ");
    ct_write_escaped(f, shown_dir ? shown_dir : "");
    fprintf(f, "/\n");
    free(shown_dir);
    int large = ct_compare_is_large(c);
    ct_report_pair pairs[5];
    size_t m = 0;
    if (large) { /* no matrix: the strongest pairs of the neighbour lists */
        size_t np;
        const ct_compare_pair *top = ct_compare_top_pairs(c, &np);
        for (; m < np && m < 5; m++)
            pairs[m] = (ct_report_pair){top[m].a, top[m].b, top[m].sim};
    } else {
        m = ct_report_top_pairs(ct_compare_similarity(c), n, pairs, 5);
    }
    if (m) {
        fprintf(f, "\nMost similar pairs (cosine):\n");
        for (size_t p = 0; p < m; p++) {
            fprintf(f, "  %.4f  ", pairs[p].sim);
            ct_write_escaped(f, ids[pairs[p].i]);
            fprintf(f, "  ");
            ct_write_escaped(f, ids[pairs[p].j]);
            putc('\n', f);
        }
    }
    const ct_cluster *tree = ct_compare_tree(c);
    const size_t *clusters = ct_compare_clusters(c);
    size_t outliers = ct_report_outliers(clusters, n);
    char out_note[64] = "";
    if (outliers)
        snprintf(out_note, sizeof out_note, ", %zu %s", outliers,
                 ct_report_noun(outliers, "outlier", "outliers"));
    const char *clusters_noun = ct_report_noun(k, "cluster", "clusters");
    if (tree)
        fprintf(f, "\nClusters (%s linkage, %zu %s%s, mean silhouette %.3f):\n",
                ct_linkage_name(ct_cluster_linkage(tree)), k, clusters_noun, out_note,
                ct_compare_silhouette(c));
    else
        fprintf(f, "\nClusters (%zu %s%s, mean silhouette %.3f estimated on %zu rows):\n", k,
                clusters_noun, out_note, ct_compare_silhouette(c), ct_compare_silhouette_sample(c));
    const size_t *order = tree ? ct_cluster_leaf_order(tree) : NULL;
    size_t lines = large && k > 20 ? 20 : k; /* large mode: the first 20 clusters */
    for (size_t step = 0; step < lines + (outliers > 0); step++) {
        size_t cl = step < lines ? step + 1 : 0, shown = 0, members = 0;
        if (cl)
            fprintf(f, "  %zu:", cl);
        else
            fprintf(f, "  outliers:");
        for (size_t q = 0; q < n; q++)
            if (clusters[order ? order[q] : q] == cl && ++members <= 8) {
                putc(' ', f);
                ct_write_escaped(f, ids[order ? order[q] : q]);
                shown++;
            }
        if (members > shown)
            fprintf(f, " ... (%zu more)", members - shown);
        putc('\n', f);
    }
    if (lines < k)
        fprintf(f, "  ... (%zu more %s in clusters.tsv)\n", k - lines,
                ct_report_noun(k - lines, "cluster", "clusters"));
    char weak[320];
    if (ct_report_weak_clusters(weak, sizeof weak, ct_compare_silhouette(c), k))
        fprintf(f, "  note: %s.\n", weak);
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    if (large)
        fprintf(f, "\nTop themes: each cluster's in report.html, each %s's in themes.json\n",
                groups ? "group" : "document");
    else
        fprintf(f, "\nTop themes:\n");
    for (size_t i = 0; i < n && !large; i++) {
        fprintf(f, "  ");
        ct_write_escaped(f, ids[i]);
        putc(':', f);
        size_t nt;
        const ct_theme *th = ct_compare_row_themes(c, i, &nt);
        for (size_t t = 0; t < nt && t < 6; t++) {
            fputs(t ? ", " : " ", f);
            ct_write_escaped(f, ct_vocab_term(v, th[t].term));
        }
        putc('\n', f);
    }
    int reused = reuse && reuse->reuse;
    if (reused)
        fprintf(f, "\nShared passages: %zu (reuse.jsonl)\n", ct_reuse_count(reuse->reuse));
    if (large)
        fprintf(f,
                "\nWrote neighbours.tsv, notes.tsv, themes.json, clusters.tsv, map.csv, "
                "map-axes.csv, heatmap.svg, map.svg%s%s, report.html\n",
                groups ? ", keyness.tsv" : "", reused ? ", reuse.jsonl" : "");
    else
        fprintf(f,
                "\nWrote similarity.csv, themes.json, clusters.tsv, linkage.tsv, dendrogram.nwk, "
                "map.csv, map-axes.csv, heatmap.svg, dendrogram.svg, map.svg%s%s, report.html\n",
                groups ? ", keyness.tsv" : "", reused ? ", reuse.jsonl" : "");
}
