/* report_large.c — the compare report for big corpora (see report.h).
 *
 * Beyond the large-mode threshold (about 2 000 rows) compare keeps no N × N matrix and a
 * report with a row, a cell or a point a document would grow without bound (1 000 short
 * reports gave a 67 MB report.html). This one shows groups, not documents, and every part is
 * bounded by the clusters and fixed caps, so it stays a few megabytes at any N: the corpus in
 * numbers, the notes (duplicates, near-duplicates, short and empty documents) counted by kind
 * with the first of each, the strongest pairs, each cluster with its size, its mean cosine,
 * its themes (summed over its members' themes) and its most connected members, the clusters'
 * mean-cosine heatmap, the map as binned density with the cluster centres labelled, keyness
 * for the first groups, and the shared passages. Long tables are paged by a few lines of
 * inline script (without script every row shows); nothing is fetched. Every string from the
 * corpus passes through ct_html_escape. */
#include <math.h>
#include <string.h>

#include "comptext/corpus.h"
#include "comptext/version.h"
#include "report.h"
#include "svg.h"

/* The pager: a table of class "paged" shows data-page rows at a time (header rows stay). */
static const char pager_js[] =
    "<script>\n"
    "document.querySelectorAll('table.paged').forEach(function(t){\n"
    "var n=+t.getAttribute('data-page')||20,p=0,rows=[].filter.call(t.rows,function(r){"
    "return !r.querySelector('th');});\n"
    "if(rows.length<=n)return;var pages=Math.ceil(rows.length/n),bar=document.createElement("
    "'div');bar.className='pager';\n"
    "function b(label,d){var e=document.createElement('button');e.textContent=label;"
    "e.onclick=function(){p=Math.min(pages-1,Math.max(0,p+d));show();};bar.appendChild(e);}\n"
    "b('\\u2039 previous',-1);var info=document.createElement('span');bar.appendChild(info);"
    "b('next \\u203a',1);\n"
    "function show(){rows.forEach(function(r,i){r.style.display=i>=p*n&&i<(p+1)*n?'':'none';});"
    "info.textContent=' page '+(p+1)+' of '+pages+' ('+rows.length+' rows) ';}\n"
    "t.parentNode.insertBefore(bar,t.nextSibling);show();});\n"
    "</script>\n";

static const char large_css[] =
    ".pager{margin:2px 0 10px;font-size:.9em;color:#444}.pager button{margin:0 4px}"
    "td.members{font-size:.88em;max-width:40em}";

static void section_corpus(FILE *f, const ct_report *r)
{
    size_t chrome_docs, script_docs;
    ct_report_corpus_summary(f, r, &chrome_docs, &script_docs);
    fprintf(f,
            "<tr><th>characters a document</th><td>%zu (shortest), %zu (median), %zu "
            "(longest)</td></tr>\n</table>\n<p>Every document's cluster is in clusters.tsv, its "
            "place on the map in map.csv, its themes in themes.json and its %zu nearest "
            "neighbours in neighbours.tsv.</p>\n",
            r->large->chars_min, r->large->chars_median, r->large->chars_max, r->large->neighbours);
}

static void section_notes(FILE *f, const ct_report *r)
{
    const ct_report_large *L = r->large;
    size_t total = 0;
    for (size_t q = 0; q < L->n_note_kinds; q++)
        total += L->note_kinds[q].count;
    fputs("<h2 id=\"notes\">Notes on the corpus</h2>\n", f);
    if (!total) {
        fputs("<p>No duplicates, near-duplicates, empty or very short documents.</p>\n", f);
        return;
    }
    fputs("<p>Check these before reading the comparison: copies weigh a theme twice, and a "
          "nearly empty document has no themes and sits apart in every cluster. All of them "
          "are in notes.tsv.</p>\n<table><tr><th>kind</th><th>notes</th><th>the first of "
          "them</th></tr>\n",
          f);
    for (size_t q = 0; q < L->n_note_kinds; q++) {
        const ct_report_note_kind *k = &L->note_kinds[q];
        fputs("<tr><td>", f);
        ct_html_escape(f, k->what);
        fprintf(f, "</td><td class=\"num\">%zu</td><td>", k->count);
        if (k->n_shown) {
            fprintf(f, "<details><summary>%zu shown</summary><ul>", k->n_shown);
            for (size_t i = 0; i < k->n_shown; i++) {
                fputs("<li>", f);
                ct_html_escape(f, k->shown[i]);
                fputs("</li>", f);
            }
            fputs("</ul></details>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void section_pairs(FILE *f, const ct_report *r)
{
    const ct_report_large *L = r->large;
    fputs("<h2 id=\"pairs\">Most similar pairs</h2>\n", f);
    if (!L->n_pairs) {
        fputs("<p>(no pairs)</p>\n", f);
        return;
    }
    fprintf(f,
            "<p>The %zu most similar pairs of %s (cosine), from each one's %zu nearest "
            "neighbours.</p>\n<table class=\"paged\" data-page=\"20\"><tr><th>#</th><th>a</th>"
            "<th>b</th><th>cosine</th><th>clusters</th></tr>\n",
            L->n_pairs, r->group_by ? "groups" : "documents", L->neighbours);
    for (size_t p = 0; p < L->n_pairs; p++) {
        const ct_report_pair *q = &L->pairs[p];
        fprintf(f, "<tr><td class=\"num\">%zu</td><td>", p + 1);
        ct_html_escape(f, r->ids[q->i]);
        fputs("</td><td>", f);
        ct_html_escape(f, r->ids[q->j]);
        fprintf(f, "</td><td class=\"num\">%.4f</td><td>", q->sim);
        for (int s = 0; s < 2; s++) {
            size_t c = r->clusters[s ? q->j : q->i];
            fprintf(f, "%s<span class=\"sw\" style=\"background:%s\"></span>%zu", s ? " " : "",
                    ct_svg_cluster_colour(c), c);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void section_clusters(FILE *f, const ct_report *r)
{
    const ct_report_large *L = r->large;
    size_t outliers = ct_report_outliers(r->clusters, r->n);
    fprintf(f,
            "<h2 id=\"clusters\">Clusters</h2>\n<p>%zu %s and %zu %s (%s); mean "
            "silhouette %.3f, estimated on %zu %s. Each cluster's themes are its members' "
            "themes summed; its members are listed most connected first (the most neighbours "
            "inside the cluster); clusters.tsv has every %s's cluster (0: an outlier).</p>\n",
            r->k, ct_report_noun(r->k, "cluster", "clusters"), outliers,
            ct_report_noun(outliers, "outlier", "outliers"),
            r->k_given ? "as asked with --clusters"
                       : "documents alone or nearly empty are outliers",
            r->silhouette, L->silhouette_sample, r->group_by ? "groups" : "documents",
            r->group_by ? "group" : "document");
    ct_report_write_weak(f, r);
    if (L->cluster_svg)
        fprintf(f,
                "<p id=\"heatmap\">Mean cosine between the members of two clusters (on the "
                "diagonal: between two members of one cluster), exact from the clusters' sums "
                "of normalised rows.</p>\n<div class=\"fig\">%s</div>\n",
                L->cluster_svg);
    fputs("<table class=\"paged\" data-page=\"10\"><tr><th>cluster</th><th>size</th>"
          "<th>mean cosine within</th><th>themes</th><th>members</th></tr>\n",
          f);
    for (size_t q = 0; q < L->n_clusters; q++) {
        const ct_report_cluster *c = &L->clusters[q];
        fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span>",
                ct_svg_cluster_colour(c->id));
        if (c->id)
            fprintf(f, "%zu", c->id);
        else
            fputs("outliers", f);
        fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"num\">", c->size);
        if (isnan(c->within))
            fputs("—", f);
        else
            fprintf(f, "%.3f", c->within);
        fputs("</td><td>", f);
        for (size_t t = 0; t < c->n_themes; t++) {
            fputs("<span class=\"chip\">", f);
            ct_html_escape(f, c->themes[t].term);
            fputs("</span>", f);
        }
        fputs("</td><td class=\"members\">", f);
        for (size_t m = 0; m < c->n_members; m++) {
            if (m)
                fputs(", ", f);
            ct_html_escape(f, c->members[m]);
        }
        if (c->size > c->n_members)
            fprintf(f, " … (%zu more in clusters.tsv)", c->size - c->n_members);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

int ct_report_write_large_html(FILE *f, const ct_report *r)
{
    const ct_report_large *L = r->large;
    const char *what = r->group_by ? "groups" : "documents";
    ct_report_write_head(f, r, what, large_css);
    fputs("</p>\n<p class=\"meta\"><a href=\"#corpus\">corpus</a> · <a href=\"#notes\">notes</a>"
          " · <a href=\"#pairs\">pairs</a> · <a href=\"#clusters\">clusters</a> · "
          "<a href=\"#map\">map</a>",
          f);
    if (r->keyness)
        fputs(" · <a href=\"#keyness\">keyness</a>", f);
    if (r->reuse)
        fputs(" · <a href=\"#reuse\">shared passages</a>", f);
    fprintf(f,
            "</p>\n<p>A big corpus: with more than %zu %s compare works from each one's %zu "
            "nearest neighbours (neighbours.tsv) and from the clusters, never from the %zu × "
            "%zu similarity matrix, and this report shows clusters rather than single %s "
            "(<code>--full-matrix</code> gives the full matrix and the document-level "
            "pictures, at the cost of memory).</p>\n",
            L->threshold, what, L->neighbours, r->n, r->n, what);
    section_corpus(f, r);
    section_notes(f, r);
    section_pairs(f, r);
    section_clusters(f, r);
    fprintf(f,
            "<h2 id=\"map\">Map</h2>\n<p>Where the %s lie on a 2-D map of the cosine distances "
            "(map.csv): each square counts the %s inside it, darker for more, in the colour of "
            "the cluster most of them belong to; the numbers mark the clusters' centres. The "
            "axes carry %.1f%% and %.1f%% of the variance.</p>\n<div class=\"fig\">%s</div>\n",
            what, what, 100 * r->share[0], 100 * r->share[1], r->map_svg);
    if (r->keyness)
        ct_report_section_keyness(f, r, CT_REPORT_KEYNESS_GROUPS);
    if (r->reuse)
        ct_report_section_reuse(f, r->reuse);
    ct_report_write_files(f, r);
    fprintf(f, "%s</body>\n</html>\n", pager_js);
    return ferror(f) ? CT_EIO : CT_OK;
}
