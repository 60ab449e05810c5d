/* svg_heatmap.c — the similarity heatmap as SVG (see svg.h).
 *
 * Rows and columns follow the dendrogram's leaf order so that clusters show as blocks on
 * the diagonal. The colour scale (viridis, readable in grey and by most colour-blind
 * readers) spans the off-diagonal range of the matrix, not 0–1: character n-gram cosines of
 * reports in one genre sit in a narrow band, and a 0–1 scale would paint them all alike. The
 * legend states the range, and the diagonal (each row with itself) is grey. Cells shrink with n to
 * a floor of 3 px; labels show every m-th row when cells are too small for text; values are printed
 * in cells big enough to hold them, and each cell carries a tooltip with both ids and the value
 * while n is at most 60. */
#include <math.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int ct_svg_heatmap(FILE *f, const double *sim, size_t n, const char *const *labels,
                   const size_t *order, const char *title)
{
    if (n == 0)
        return CT_EINVAL;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (i != j) {
                lo = fmin(lo, sim[i * n + j]);
                hi = fmax(hi, sim[i * n + j]);
            }
    if (n == 1 || !(hi > lo)) { /* one document, or all pairs alike */
        lo = n == 1 ? 0 : lo - 0.5;
        hi = n == 1 ? 1 : hi + 0.5;
    }
    double cell = clamp(640.0 / (double)n, 3, 44);
    double fs = clamp(cell * 0.8, 9, 13);
    size_t step = (size_t)ceil(fs * 1.2 / cell);
    double max_em = 0;
    char **shown = ct_calloc(n, sizeof *shown);
    if (!shown)
        return CT_ENOMEM;
    int rc = CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(shown[i] = ct_svg_truncate(labels[order[i]], 16)))
            goto cleanup;
        max_em = fmax(max_em, ct_svg_text_width(shown[i]));
    }
    double lab = max_em * fs + 10;
    double top = 34 + lab, left = lab + 8, grid = cell * (double)n;
    double legend_x = left + grid + 24, legend_h = fmin(grid, 240);
    double width = legend_x + 80, height = top + grid + 16;
    ct_svg_grid_head(f, "ct-heatmap", "hm", width, height, fs, title);
    /* Cells. */
    fprintf(f, "<g shape-rendering=\"crispEdges\">\n");
    int values = cell >= 34, tips = n <= 60;
    for (size_t r = 0; r < n; r++) {
        for (size_t c = 0; c < n; c++) {
            size_t i = order[r], j = order[c];
            double v = sim[i * n + j], t = clamp((v - lo) / (hi - lo), 0, 1);
            char col[8];
            ct_svg_colour(t, col);
            if (i == j) /* a document with itself: not part of the scale */
                memcpy(col, "#e6e6e6", 8);
            double size = round(cell * 100) / 100;
            fprintf(f, "<rect x=\"%.6g\" y=\"%.6g\" width=\"%.6g\" height=\"%.6g\" fill=\"%s\"",
                    round((left + (double)c * cell) * 100) / 100,
                    round((top + (double)r * cell) * 100) / 100, size, size, col);
            if (tips) {
                fputs("><title>", f);
                ct_xml_escape(f, labels[i]);
                fputs(" × ", f);
                ct_xml_escape(f, labels[j]);
                fprintf(f, ": %.4f</title></rect>\n", v);
            } else {
                fputs("/>\n", f);
            }
            if (values)
                fprintf(f,
                        "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
                        "dominant-baseline=\"central\" font-size=\"11\" fill=\"%s\">%.2f</text>\n",
                        left + ((double)c + 0.5) * cell, top + ((double)r + 0.5) * cell,
                        t > 0.6 || i == j ? "#000" : "#fff", v);
        }
    }
    fputs("</g>\n", f);
    /* Labels: rows on the left, columns above (rotated). */
    ct_svg_grid_labels(f, shown, n, step, top, left, cell, NULL, 0);
    /* Legend. */
    ct_svg_grid_legend(f, "hm", legend_x, top, legend_h, lo, hi, 0, 3);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">cosine</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">"
            "(range of the pairs)</text>\n</svg>\n",
            legend_x, top - 18, legend_x - 6, top + legend_h + 16);
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    for (size_t i = 0; i < n; i++)
        ct_free(shown[i]);
    ct_free(shown);
    return rc;
}
