/* report.c — the HTML report of `comptext compare` (see report.h).
 *
 * One file, inline CSS and SVG, no script and nothing fetched, so it opens in any browser,
 * mails as an attachment and archives with the data. Sections: how it was made, the corpus
 * (documents, characters, metadata fields, one row a document), the most similar pairs, the
 * heatmap, the dendrogram with the clusters, the map, the themes of each row, keyness tables
 * and keyword-in-context lines. Every string from the corpus passes through ct_html_escape. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/cluster.h"
#include "comptext/corpus.h"
#include "comptext/fold.h"
#include "comptext/version.h"
#include "report.h"
#include "svg.h"

void ct_html_escape(FILE *f, const char *s)
{
    ct_xml_escape(f, s ? s : "");
}

const char *ct_report_noun(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int ct_report_weak_clusters(char *buf, size_t len, double silhouette, size_t k)
{
    if (len)
        buf[0] = '\0';
    if (!ct_cluster_weak(silhouette, k))
        return 0;
    snprintf(buf, len,
             "weak clusters: a mean silhouette of %.3f (%.2f or less) means no substantial "
             "cluster structure (Kaufman and Rousseeuw 1990): read the clusters as tentative",
             silhouette, CT_CLUSTER_WEAK_SILHOUETTE);
    return 1;
}

void ct_report_write_files(FILE *f, const ct_report *r)
{
    fputs("<p class=\"meta\">Written by comptext compare. Files beside this report: ", f);
    for (size_t i = 0; i < r->n_files; i++) {
        fprintf(f, "%s%s", i ? ", " : "", r->files[i]);
        if (r->large && strcmp(r->files[i], "heatmap.svg") == 0)
            fputs(" (the clusters)", f);
    }
    fputs(".</p>\n", f);
}

size_t ct_report_outliers(const size_t *clusters, size_t n)
{
    size_t outliers = 0;
    for (size_t i = 0; i < n; i++)
        outliers += clusters[i] == 0;
    return outliers;
}

size_t ct_report_top_pairs(const double *sim, size_t n, ct_report_pair *pairs, size_t max)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double v = sim[i * n + j];
            /* insertion into the sorted list of the best max pairs: ties keep (i, j) order */
            size_t pos = m;
            while (pos > 0 && pairs[pos - 1].sim < v)
                pos--;
            if (pos >= max)
                continue;
            size_t last = m < max ? m : max - 1;
            memmove(pairs + pos + 1, pairs + pos, (last - pos) * sizeof *pairs);
            pairs[pos] = (ct_report_pair){i, j, v};
            if (m < max)
                m++;
        }
    return m;
}

const char ct_report_css[] =
    "body{font-family:" CT_SVG_FONTS ";margin:24px auto;max-width:1200px;padding:0 16px;"
    "color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:4px}h2{border-bottom:1px solid #ccc;padding-bottom:3px;"
    "margin-top:2em}"
    ".meta{color:#555;font-size:.9em}"
    "table{border-collapse:collapse;margin:8px 0;font-size:.92em}"
    "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}table.docs td{white-space:nowrap}table.docs td.long{white-space:"
    "normal;min-width:14em}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".fig{overflow-x:auto;margin:8px 0}.fig svg{max-width:none}"
    ".chip{display:inline-block;background:#eef3f8;border-radius:3px;padding:0 5px;margin:1px 2px;"
    "white-space:nowrap}.chip small{color:#777}"
    ".kgrid{display:flex;flex-wrap:wrap;gap:6px 22px}.kgrid table{font-size:.85em}"
    "td.id{white-space:nowrap}"
    ".kwic td.l{text-align:right;color:#555}.kwic td.t{font-weight:bold;color:#a33}"
    ".kwic td.r{color:#555}.sw{display:inline-block;width:10px;height:10px;border-radius:5px;"
    "margin-right:4px}"
    "details summary{cursor:pointer;color:#246}";

/* The reuse section's styles, only in a report that has one. */
const char ct_report_reuse_css[] =
    "table.reuse td.pa{min-width:20em;max-width:36em;white-space:normal}"
    "del{background:#fbd3d3;text-decoration:none}ins{background:#cdeccd;text-decoration:none}";

static void cell_text(FILE *f, const char *tag, const char *s)
{
    fprintf(f, "<%s>", tag);
    ct_html_escape(f, s);
    fprintf(f, "</%s>", tag);
}

/* The corpus in a few lines: documents, characters, metadata fields, grouping, page chrome
 * removed and script; *chrome_docs and *script_docs get the documents with either. */
void ct_report_corpus_summary(FILE *f, const ct_report *r, size_t *chrome_docs_out,
                              size_t *script_docs_out)
{
    const ct_corpus *c = r->corpus;
    size_t docs = ct_corpus_size(c), fields = ct_corpus_field_count(c);
    unsigned long long chars = 0;
    for (size_t d = 0; d < docs; d++)
        chars += r->doc_chars[d];
    fprintf(f,
            "<h2 id=\"corpus\">Corpus</h2>\n<table><tr><th>documents</th><td class=\"num\">%zu"
            "</td></tr>\n<tr><th>characters</th><td class=\"num\">%llu</td></tr>\n"
            "<tr><th>metadata fields</th><td>",
            docs, chars);
    if (!fields)
        fputs("(none)", f);
    for (size_t k = 0; k < fields; k++) {
        size_t have = 0;
        for (size_t d = 0; d < docs; d++)
            have += ct_corpus_meta(c, d, k) != NULL;
        if (k)
            fputs(", ", f);
        ct_html_escape(f, ct_corpus_field_name(c, k));
        fprintf(f, " <small>(%zu)</small>", have);
    }
    fputs("</td></tr>\n", f);
    if (r->group_by) {
        fputs("<tr><th>grouped by</th><td>", f);
        ct_html_escape(f, r->group_by);
        fprintf(f, " — %zu %s</td></tr>\n", r->n, ct_report_noun(r->n, "group", "groups"));
    }
    /* page chrome removed (recorded when compare read the texts) */
    size_t chrome_docs = 0;
    unsigned long long chrome_lines = 0, chrome_chars = 0;
    for (size_t d = 0; d < docs; d++) {
        size_t l = 0, ch = 0;
        ct_error err;
        if (ct_corpus_chrome_removed(c, d, &l, &ch, &err) == CT_OK && l) {
            chrome_docs++;
            chrome_lines += l;
            chrome_chars += ch;
        }
    }
    if (chrome_docs)
        fprintf(f,
                "<tr><th>page chrome removed</th><td>%llu %s, %llu %s in %zu %s (not counted "
                "above; <code>comptext chrome</code> lists the lines, <code>--keep-chrome</code> "
                "keeps them)</td></tr>\n",
                chrome_lines, ct_report_noun(chrome_lines, "line", "lines"), chrome_chars,
                ct_report_noun(chrome_chars, "character", "characters"), chrome_docs,
                ct_report_noun(chrome_docs, "document", "documents"));
    /* traditional script (recorded as compare read the texts, CT_READ_NOTE_SCRIPT) */
    size_t script_docs = 0;
    for (size_t d = 0; d < docs; d++) {
        ct_script_counts sc;
        script_docs += ct_corpus_script(c, d, &sc) && sc.traditional > 0;
    }
    if (script_docs)
        fprintf(f,
                "<tr><th>script</th><td>%zu %s written in traditional or mixed script, "
                "counted in simplified form (<code>--no-fold-script</code> keeps the scripts "
                "apart)</td></tr>\n",
                script_docs, ct_report_noun(script_docs, "document", "documents"));
    *chrome_docs_out = chrome_docs;
    *script_docs_out = script_docs;
}

static void section_corpus(FILE *f, const ct_report *r)
{
    const ct_corpus *c = r->corpus;
    size_t docs = ct_corpus_size(c), fields = ct_corpus_field_count(c);
    size_t chrome_docs, script_docs;
    ct_report_corpus_summary(f, r, &chrome_docs, &script_docs);
    fputs("</table>\n", f);
    fprintf(f, "%s<table class=\"docs\"><tr><th>id</th><th>file</th><th>characters</th>%s%s",
            docs > 30 ? "<details><summary>all documents</summary>" : "",
            chrome_docs ? "<th>chrome removed</th>" : "", script_docs ? "<th>script</th>" : "");
    for (size_t k = 0; k < fields; k++)
        cell_text(f, "th", ct_corpus_field_name(c, k));
    fputs("</tr>\n", f);
    for (size_t d = 0; d < docs; d++) {
        fputs("<tr>", f);
        cell_text(f, "td", ct_corpus_id(c, d));
        /* the file name, with the path relative to the corpus as a tooltip (never where the
         * corpus lies on the disk of whoever ran it) */
        const char *src = ct_corpus_relative_source(c, d), *base = strrchr(src, '/');
        fputs("<td title=\"", f);
        ct_html_escape(f, src);
        fputs("\">", f);
        ct_html_escape(f, base && base[1] ? base + 1 : src);
        fputs("</td>", f);
        fprintf(f, "<td class=\"num\">%zu</td>", r->doc_chars[d]);
        if (chrome_docs) {
            size_t l = 0, ch = 0;
            ct_error err;
            if (ct_corpus_chrome_removed(c, d, &l, &ch, &err) == CT_OK && l)
                fprintf(f, "<td class=\"num\">%zu %s, %zu %s</td>", l,
                        ct_report_noun(l, "line", "lines"), ch,
                        ct_report_noun(ch, "character", "characters"));
            else
                fputs("<td></td>", f);
        }
        if (script_docs) {
            ct_script_counts sc;
            if (ct_corpus_script(c, d, &sc) && sc.traditional > 0)
                fprintf(f, "<td>%s (%zu traditional, %zu simplified-only characters)</td>",
                        sc.simplified > 0 ? "mixed" : "traditional", sc.traditional, sc.simplified);
            else
                fputs("<td></td>", f);
        }
        for (size_t k = 0; k < fields; k++) {
            const char *v = ct_corpus_meta(c, d, k);
            fputs(v && strlen(v) > 36 ? "<td class=\"long\">" : "<td>", f);
            ct_html_escape(f, v ? v : "");
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fprintf(f, "</table>%s\n", docs > 30 ? "</details>" : "");
}

/* Notes on the corpus (duplicates, near-duplicates, documents with almost no tokens or far
 * shorter than the rest), when there are any. */
static void section_notes(FILE *f, const ct_report *r)
{
    if (!r->n_notes)
        return;
    fputs("<h2 id=\"notes\">Notes on the corpus</h2>\n<p>Check these before reading the "
          "comparison: copies weigh a theme twice, and a nearly empty document has no themes "
          "and sits apart in every cluster.</p>\n<ul>\n",
          f);
    for (size_t i = 0; i < r->n_notes; i++) {
        fputs("<li>", f);
        ct_html_escape(f, r->notes[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

static void section_pairs(FILE *f, const ct_report *r)
{
    ct_report_pair pairs[15];
    size_t m = ct_report_top_pairs(r->sim, r->n, pairs, 15);
    fputs("<h2 id=\"pairs\">Most similar pairs</h2>\n", f);
    if (!m) {
        fputs("<p>(one row: no pairs)</p>\n", f);
        return;
    }
    fputs("<table><tr><th>#</th><th>a</th><th>b</th><th>cosine</th></tr>\n", f);
    for (size_t p = 0; p < m; p++) {
        fprintf(f, "<tr><td class=\"num\">%zu</td>", p + 1);
        cell_text(f, "td", r->ids[pairs[p].i]);
        cell_text(f, "td", r->ids[pairs[p].j]);
        fprintf(f, "<td class=\"num\">%.4f</td></tr>\n", pairs[p].sim);
    }
    fputs("</table>\n", f);
}

/* The note on weak clusters, when the cut is weak (both reports). */
void ct_report_write_weak(FILE *f, const ct_report *r)
{
    char weak[320];
    if (ct_report_weak_clusters(weak, sizeof weak, r->silhouette, r->k)) {
        weak[0] = 'W';
        fprintf(f, "<p class=\"weak\"><b>Note.</b> %s.</p>\n", weak);
    }
}

static void section_clusters(FILE *f, const ct_report *r)
{
    size_t outliers = ct_report_outliers(r->clusters, r->n);
    fprintf(f,
            "<h2 id=\"clusters\">Clusters</h2>\n<p>%s linkage on cosine distances, cut into "
            "%zu %s and %zu %s (%s; mean silhouette %.3f). Files clusters.tsv "
            "(cluster 0: an outlier), linkage.tsv (scipy's format), dendrogram.nwk.</p>\n"
            "<table><tr><th>cluster</th><th>members</th></tr>\n",
            ct_linkage_name(ct_cluster_linkage(r->tree)), r->k,
            ct_report_noun(r->k, "cluster", "clusters"), outliers,
            ct_report_noun(outliers, "outlier", "outliers"),
            r->k_given ? "as asked with --clusters"
                       : "the cut with the best mean silhouette among those that leave two "
                         "clusters or more; documents alone or nearly empty are outliers",
            r->silhouette);
    const size_t *order = ct_cluster_leaf_order(r->tree);
    for (size_t step = 0; step < r->k + (outliers > 0); step++) {
        size_t c = step < r->k ? step + 1 : 0;
        if (c)
            fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>%zu</td><td>",
                    ct_svg_cluster_colour(c), c);
        else
            fprintf(f,
                    "<tr><td><span class=\"sw\" style=\"background:%s\"></span>outliers</td><td>",
                    ct_svg_cluster_colour(0));
        int first = 1;
        for (size_t i = 0; i < r->n; i++)
            if (r->clusters[order[i]] == c) {
                if (!first)
                    fputs(", ", f);
                first = 0;
                ct_html_escape(f, r->ids[order[i]]);
            }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    ct_report_write_weak(f, r);
    if (r->n_cuts) {
        fputs("<p>The best cuts (<code>--clusters K</code> cuts the tree into K groups):</p>\n"
              "<table><tr><th>K groups</th><th>clusters</th><th>outliers</th>"
              "<th>mean silhouette</th></tr>\n",
              f);
        for (size_t i = 0; i < r->n_cuts; i++)
            fprintf(f,
                    "<tr><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                    "<td class=\"num\">%zu</td><td class=\"num\">%.3f</td></tr>\n",
                    r->cuts[i].k, r->cuts[i].clusters, r->cuts[i].outliers, r->cuts[i].silhouette);
        fputs("</table>\n", f);
    } else if (!r->k_given) {
        fputs("<p>No cut of the tree leaves two clusters of two documents or more.</p>\n", f);
    }
}

static void section_themes(FILE *f, const ct_report *r)
{
    fprintf(f,
            "<h2 id=\"themes\">Themes</h2>\n<p>The most distinctive terms of each %s "
            "(themes.json), best first, with their scores.</p>\n",
            r->group_by ? "group" : "document");
    if (!r->themes) {
        fputs("<p>(no themes)</p>\n", f);
        return;
    }
    fputs("<table><tr><th>id</th><th>cluster</th><th>themes</th></tr>\n", f);
    const size_t *order = ct_cluster_leaf_order(r->tree);
    for (size_t q = 0; q < r->n; q++) {
        size_t i = order[q];
        fputs("<tr>", f);
        fputs("<td class=\"id\">", f);
        ct_html_escape(f, r->ids[i]);
        fputs("</td>", f);
        fprintf(f, "<td><span class=\"sw\" style=\"background:%s\"></span>%zu</td><td>",
                ct_svg_cluster_colour(r->clusters[i]), r->clusters[i]);
        for (size_t t = 0; t < r->n_themes[i]; t++) {
            fputs("<span class=\"chip\">", f);
            ct_html_escape(f, r->themes[i][t].term);
            fprintf(f, " <small>%.3g</small></span>", r->themes[i][t].score);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

void ct_report_section_keyness(FILE *f, const ct_report *r, size_t max_groups)
{
    if (!r->keyness)
        return;
    fputs("<h2 id=\"keyness\">Keyness</h2>\n<p>Each group against the rest of the corpus, "
          "the 15 most key terms it over-uses: ",
          f);
    ct_html_escape(f, r->keyness_measure);
    fputs(", p from the χ² distribution with one degree of freedom, effect as log₂ ratio of "
          "relative frequencies; every tested term is in keyness.tsv.</p>\n",
          f);
    if (max_groups < r->n)
        fprintf(f, "<p>The first %zu of the %zu groups; keyness.tsv has them all.</p>\n",
                max_groups, r->n);
    fputs("<div class=\"kgrid\">\n", f);
    for (size_t i = 0; i < r->n && i < max_groups; i++) {
        fputs("<div><b>", f);
        ct_html_escape(f, r->ids[i]);
        fputs("</b><table><tr><th>term</th><th>statistic</th><th>p</th><th>effect</th>"
              "<th>n target</th><th>n reference</th></tr>\n",
              f);
        /* the most key over-used terms; the full lists are in keyness.tsv */
        for (size_t t = 0;
             t < r->n_keyness[i] && t < CT_REPORT_KEYNESS_TERMS && r->keyness[i][t].statistic > 0;
             t++) {
            const ct_report_key *k = &r->keyness[i][t];
            fputs("<tr>", f);
            cell_text(f, "td", k->term);
            fprintf(f,
                    "<td class=\"num\">%.2f</td><td class=\"num\">%.3g</td><td class=\"num\">"
                    "%.2f</td><td class=\"num\">%.0f</td><td class=\"num\">%.0f</td></tr>\n",
                    k->statistic, k->p, k->effect, k->n_target, k->n_reference);
        }
        fputs("</table></div>\n", f);
    }
    fputs("</div>\n", f);
}

static void section_kwic(FILE *f, const ct_report *r)
{
    if (!r->n_kwic)
        return;
    fputs("<h2 id=\"kwic\">Top themes in context</h2>\n<table class=\"kwic\">"
          "<tr><th>id</th><th>offset</th><th></th><th>term</th><th></th></tr>\n",
          f);
    for (size_t i = 0; i < r->n_kwic; i++) {
        const ct_report_kwic *k = &r->kwic[i];
        fputs("<tr>", f);
        cell_text(f, "td", k->id);
        fprintf(f, "<td class=\"num\">%lld</td><td class=\"l\">", k->offset);
        ct_html_escape(f, k->left);
        fputs("</td><td class=\"t\">", f);
        ct_html_escape(f, k->term);
        fputs("</td><td class=\"r\">", f);
        ct_html_escape(f, k->right);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* The page's head, title and first line of settings, shared by the report of a small corpus
 * and that of a big one (extra_css: the big one's own rules, "" for none). */
void ct_report_write_head(FILE *f, const ct_report *r, const char *what, const char *extra_css)
{
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>comptext: comparison of %zu %s</title>\n<style>%s%s%s</style>\n</head>\n"
            "<body>\n<h1>Comparison of %zu %s</h1>\n<p class=\"meta\">comptext %s — ",
            r->n, what, ct_report_css, extra_css, r->reuse ? ct_report_reuse_css : "", r->n, what,
            ct_version());
    ct_html_escape(f, r->settings);
}

int ct_report_write_html(FILE *f, const ct_report *r)
{
    if (r->large)
        return ct_report_write_large_html(f, r);
    const char *what = r->group_by ? ct_report_noun(r->n, "group", "groups")
                                   : ct_report_noun(r->n, "document", "documents");
    ct_report_write_head(f, r, what, "");
    fputs("</p>\n<p class=\"meta\"><a href=\"#corpus\">corpus</a> · <a href=\"#pairs\">pairs</a>"
          " · <a href=\"#heatmap\">heatmap</a> · <a href=\"#clusters\">clusters</a> · "
          "<a href=\"#map\">map</a> · <a href=\"#themes\">themes</a>",
          f);
    if (r->keyness)
        fputs(" · <a href=\"#keyness\">keyness</a>", f);
    if (r->n_kwic)
        fputs(" · <a href=\"#kwic\">in context</a>", f);
    if (r->n_notes)
        fputs(" · <a href=\"#notes\">notes</a>", f);
    if (r->reuse)
        fputs(" · <a href=\"#reuse\">shared passages</a>", f);
    fputs("</p>\n", f);
    section_corpus(f, r);
    section_notes(f, r);
    section_pairs(f, r);
    if (r->heatmap_file_bytes)
        fprintf(f,
                "<h2 id=\"heatmap\">Similarity</h2>\n<p>Cosine similarity of the TF-IDF rows "
                "(similarity.csv). With %zu %s the heatmap of the rows is too large to show "
                "here: it is in heatmap.svg (%.1f MB, rows and columns in the dendrogram's "
                "order, each cell the mean cosine of a block of rows). Below, the mean cosine "
                "between the members of two clusters (on the "
                "diagonal: between two members of one cluster).</p>\n"
                "<div class=\"fig\">%s</div>\n",
                r->n, what, (double)r->heatmap_file_bytes / 1e6, r->heatmap_svg);
    else
        fprintf(f,
                "<h2 id=\"heatmap\">Similarity</h2>\n<p>Cosine similarity of the TF-IDF rows "
                "(similarity.csv), rows and columns in the dendrogram's order.</p>\n"
                "<div class=\"fig\">%s</div>\n",
                r->heatmap_svg);
    section_clusters(f, r);
    fprintf(f, "<div class=\"fig\">%s</div>\n", r->dendrogram_svg);
    fprintf(f,
            "<h2 id=\"map\">Map</h2>\n<p>Classical multidimensional scaling of the cosine "
            "distances (map.csv): near points are similar %s; the axes carry %.1f%% and "
            "%.1f%% of the variance.</p>\n<div class=\"fig\">%s</div>\n",
            r->group_by ? "groups" : "documents", 100 * r->share[0], 100 * r->share[1], r->map_svg);
    section_themes(f, r);
    ct_report_section_keyness(f, r, r->n);
    section_kwic(f, r);
    if (r->reuse)
        ct_report_section_reuse(f, r->reuse);
    ct_report_write_files(f, r);
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? CT_EIO : CT_OK;
}
