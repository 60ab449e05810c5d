/* svg_heatmap.c — the similarity heatmap as SVG (see svg.h).
 *
 * Rows and columns follow the dendrogram's leaf order so that clusters show as blocks on
 * the diagonal. The colour scale (viridis, readable in grey and by most colour-blind
 * readers) spans the off-diagonal range of the matrix, not 0–1: character n-gram cosines of
 * reports in one genre sit in a narrow band, and a 0–1 scale would paint them all alike. The
 * legend states the range, and the diagonal (each row with itself) is grey. Cells shrink with n to
 * a floor of 3 px; labels show every m-th row when cells are too small for text; values are printed
 * in cells big enough to hold them, and each cell carries a tooltip with both ids and the value
 * while n is at most 60. Beyond CT_SVG_HEATMAP_MAX_SIDE rows a cell is a block of b × b rows of
 * the leaf order, coloured by the mean of its pairs (self pairs left out; a block of one row on
 * the diagonal stays grey) and labelled by its first row: every pair drawn made a file of n²
 * cells (263 MB at 2 000 short reports), the blocks keep it under 300 × 300 cells (a few MB)
 * and still show the clusters as blocks on the diagonal. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"

int ct_svg_heatmap(FILE *f, const double *sim, size_t n, const char *const *labels,
                   const size_t *order, const char *title)
{
    if (n == 0)
        return CT_EINVAL;
    /* Blocks of b rows of the order (b = 1: every pair); v[R * B + C] the mean of the pairs of
     * block R × C (NaN: none, the diagonal). */
    size_t b = n > CT_SVG_HEATMAP_MAX_SIDE
                   ? (n + CT_SVG_HEATMAP_MAX_SIDE - 1) / CT_SVG_HEATMAP_MAX_SIDE
                   : 1,
           B = (n + b - 1) / b;
    double *v = ct_malloc(B * B * sizeof *v);
    char **shown = ct_calloc(B, sizeof *shown);
    int rc = CT_ENOMEM;
    if (!v || !shown)
        goto cleanup;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t R = 0; R < B; R++)
        for (size_t C = 0; C < B; C++) {
            double sum = 0;
            size_t pairs = 0;
            for (size_t r = R * b; r < (R + 1) * b && r < n; r++)
                for (size_t c = C * b; c < (C + 1) * b && c < n; c++)
                    if (order[r] != order[c]) {
                        sum += sim[order[r] * n + order[c]];
                        pairs++;
                    }
            v[R * B + C] = b == 1  ? sim[order[R] * n + order[C]]
                           : pairs ? sum / (double)pairs
                                   : NAN;
            if (pairs) { /* b = 1: the off-diagonal pairs, as always */
                lo = fmin(lo, v[R * B + C]);
                hi = fmax(hi, v[R * B + C]);
            }
        }
    if (n == 1 || !(hi > lo)) { /* one document, or all pairs alike */
        lo = n == 1 ? 0 : lo - 0.5;
        hi = n == 1 ? 1 : hi + 0.5;
    }
    double cell = ct_svg_clamp(640.0 / (double)B, 3, 44);
    double fs = ct_svg_clamp(cell * 0.8, 9, 13);
    size_t step = (size_t)ceil(fs * 1.2 / cell);
    double max_em = 0;
    for (size_t i = 0; i < B; i++) {
        if (!(shown[i] = ct_svg_truncate(labels[order[i * b]], 16)))
            goto cleanup;
        max_em = fmax(max_em, ct_svg_text_width(shown[i]));
    }
    double lab = max_em * fs + 10;
    double top = 34 + lab, left = lab + 8, grid = cell * (double)B;
    double legend_x = left + grid + 24, legend_h = fmin(grid, 240);
    double width = legend_x + (b > 1 ? 90 : 80), height = top + grid + 16;
    char *full = NULL;
    if (b > 1) { /* the title says what a cell is */
        size_t len = strlen(title) + 96;
        if (!(full = ct_malloc(len)))
            goto cleanup;
        snprintf(full, len, "%s (mean of blocks of %zu × %zu in the tree's order)", title, b, b);
    }
    ct_svg_grid_head(f, "ct-heatmap", "hm", width, height, fs, full ? full : title);
    ct_free(full);
    /* Cells. */
    fprintf(f, "<g shape-rendering=\"crispEdges\">\n");
    int values = cell >= 34, tips = n <= 60;
    for (size_t r = 0; r < B; r++) {
        for (size_t c = 0; c < B; c++) {
            size_t i = order[r * b], j = order[c * b];
            double x = v[r * B + c], t = ct_svg_clamp((x - lo) / (hi - lo), 0, 1);
            char col[8];
            ct_svg_colour(t, col);
            if (b == 1 ? i == j : isnan(x)) /* a row with itself: not part of the scale */
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
                fprintf(f, ": %.4f</title></rect>\n", x);
            } else {
                fputs("/>\n", f);
            }
            if (values)
                fprintf(f,
                        "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
                        "dominant-baseline=\"central\" font-size=\"11\" fill=\"%s\">%.2f</text>\n",
                        left + ((double)c + 0.5) * cell, top + ((double)r + 0.5) * cell,
                        t > 0.6 || i == j ? "#000" : "#fff", x);
        }
    }
    fputs("</g>\n", f);
    /* Labels: rows on the left, columns above (rotated). */
    ct_svg_grid_labels(f, shown, B, step, top, left, cell, NULL, 0);
    /* Legend. */
    ct_svg_grid_legend(f, "hm", legend_x, top, legend_h, lo, hi, 0, 3);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">cosine</text>\n"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">"
            "(range of the %s)</text>\n</svg>\n",
            legend_x, top - 18, legend_x - 6, top + legend_h + 16, b > 1 ? "blocks" : "pairs");
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    for (size_t i = 0; shown && i < B; i++)
        ct_free(shown[i]);
    ct_free(shown);
    ct_free(v);
    return rc;
}
