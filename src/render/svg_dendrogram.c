/* svg_dendrogram.c — the dendrogram as SVG (see svg.h).
 *
 * Leaves run top to bottom in the tree's leaf order (the heatmap's order), with their labels
 * on the left so that Chinese names read horizontally; merge heights run left to right on a
 * labelled axis. Branches inside one of the k clusters of the cut take that cluster's colour
 * (the colours of the map), the rest are grey, and a dashed line marks the cut. Rows shrink
 * with n to 3 px and labels thin to every m-th leaf when rows are too small for text. */
#include <math.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"

int ct_svg_dendrogram(FILE *f, const ct_cluster *c, const char *const *labels,
                      const size_t *clusters, const char *title)
{
    size_t n = ct_cluster_size(c);
    const double *z = ct_cluster_merges(c);
    const size_t *order = ct_cluster_leaf_order(c);
    double row = ct_svg_clamp(560.0 / (double)n, 3, 26);
    double fs = ct_svg_clamp(row * 0.75, 9, 13);
    size_t step = (size_t)ceil(fs * 1.2 / row);
    int rc = CT_ENOMEM;
    double *ypos = ct_calloc(2 * n, sizeof *ypos);
    size_t *colour = ct_calloc(2 * n, sizeof *colour);
    char **shown = ct_calloc(n, sizeof *shown);
    if (!ypos || !colour || !shown)
        goto cleanup;
    double max_em = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(shown[i] = ct_svg_truncate(labels[order[i]], 18)))
            goto cleanup;
        max_em = fmax(max_em, ct_svg_text_width(shown[i]));
    }
    size_t k = 1;
    if (clusters)
        for (size_t i = 0; i < n; i++)
            k = clusters[i] > k ? clusters[i] : k;
    double hmax = n > 1 ? z[4 * (n - 2) + 2] : 1;
    if (!(hmax > 0))
        hmax = 1;
    double left = max_em * fs + 14, top = 34, treew = 460;
    double height = top + row * (double)n + 44, width = left + treew + 30;
    for (size_t i = 0; i < n; i++) {
        ypos[order[i]] = top + ((double)i + 0.5) * row;
        colour[order[i]] = clusters ? clusters[order[i]] : 0;
    }
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ct-dendrogram\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"%.1f\">\n",
            width, height, width, height, CT_SVG_FONTS, fs);
    fputs("<title>", f);
    ct_xml_escape(f, title);
    fputs("</title>\n<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">", f);
    ct_xml_escape(f, title);
    fputs("</text>\n<g fill=\"none\" stroke-width=\"1.5\">\n", f);
    for (size_t i = 0; i + 1 < n; i++) {
        size_t a = (size_t)z[4 * i], b = (size_t)z[4 * i + 1], node = n + i;
        double h = z[4 * i + 2];
        ypos[node] = (ypos[a] + ypos[b]) / 2;
        /* a merge made before the cut lies inside one cluster */
        colour[node] = clusters && i + k < n ? colour[a] : 0;
        double x = left + treew * h / hmax;
        for (int side = 0; side < 2; side++) {
            size_t ch = side ? b : a;
            double hc = ch < n ? 0 : z[4 * (ch - n) + 2];
            fprintf(f, "<path d=\"M%.2f %.2fH%.2f\" stroke=\"%s\"/>\n", left + treew * hc / hmax,
                    ypos[ch], x, colour[ch] ? ct_svg_cluster_colour(colour[ch]) : "#777");
        }
        fprintf(f, "<path d=\"M%.2f %.2fV%.2f\" stroke=\"%s\"/>\n", x, ypos[a], ypos[b],
                colour[node] ? ct_svg_cluster_colour(colour[node]) : "#777");
    }
    fputs("</g>\n", f);
    if (clusters && k > 1 && n > 2) {
        double cut = (z[4 * (n - k) + 2] + (n - k >= 1 ? z[4 * (n - k - 1) + 2] : 0)) / 2;
        double x = left + treew * cut / hmax;
        fprintf(f,
                "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#c00\" "
                "stroke-dasharray=\"4 3\"/>\n<text x=\"%.2f\" y=\"%.1f\" font-size=\"11\" "
                "fill=\"#c00\" text-anchor=\"middle\">%zu clusters</text>\n",
                x, top - 6, x, top + row * (double)n + 2, x, top - 9, k);
    }
    for (size_t i = 0; i < n; i += step) {
        fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"central\"",
                left - 6, top + ((double)i + 0.5) * row);
        if (clusters)
            fprintf(f, " fill=\"%s\"", ct_svg_cluster_colour(clusters[order[i]]));
        fputs(">", f);
        ct_xml_escape(f, shown[i]);
        fputs("</text>\n", f);
    }
    /* Height axis. */
    double ay = top + row * (double)n + 8;
    fprintf(f, "<path d=\"M%.2f %.2fH%.2f\" stroke=\"#333\"/>\n", left, ay, left + treew);
    for (int t = 0; t <= 4; t++) {
        double x = left + treew * t / 4.0;
        fprintf(f,
                "<path d=\"M%.2f %.2fV%.2f\" stroke=\"#333\"/><text x=\"%.2f\" y=\"%.2f\" "
                "font-size=\"10\" text-anchor=\"middle\">%.3g</text>\n",
                x, ay, ay + 4, x, ay + 15, hmax * t / 4.0);
    }
    fprintf(f,
            "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\" text-anchor=\"middle\">merge height "
            "(%s linkage)</text>\n</svg>\n",
            left + treew / 2, ay + 30, ct_linkage_name(ct_cluster_linkage(c)));
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    for (size_t i = 0; shown && i < n; i++)
        ct_free(shown[i]);
    ct_free(shown);
    ct_free(ypos);
    ct_free(colour);
    return rc;
}
