/* svg_matrix.c — a small labelled matrix as a heatmap (see svg.h).
 *
 * For matrices of groups rather than documents — the mean cosine between clusters, the
 * characters shared between groups — so the picture's size depends on the groups, never on
 * the corpus. Rows and columns keep the caller's order; the colour scale (viridis, as the
 * similarity heatmap) spans the values shown, on a log scale for counts (a few pairs of groups
 * share most of the text); when every coloured cell holds the same value there is no range:
 * they take the top colour and the legend is one swatch. Cells are large enough for their value
 * while the matrix is small, and every cell has a tooltip with both labels and the value. Rows may
 * carry a swatch of their cluster's colour. */
#include <math.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"

int ct_svg_matrix(FILE *f, const double *v, size_t n, const char *const *labels,
                  const size_t *swatch, const ct_svg_matrix_style *st)
{
    if (n == 0)
        return CT_EINVAL;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n * n; i++) {
        double x = st->log_scale ? (v[i] > 0 ? log10(v[i]) : NAN) : v[i];
        if (!isnan(x)) {
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
    }
    /* One value (or none coloured): no range to spread colours over. Its cells take the
     * scale's top colour, the legend one swatch with that value — not a made-up range
     * (25 to 250 on a log scale) with the value at its dark end. */
    int single = !(hi > lo);
    double single_value = hi >= lo ? (st->log_scale ? pow(10, hi) : hi) : 0;
    if (single)
        lo = hi >= lo ? hi - 1 : 0, hi = lo + 1;
    double cell = ct_svg_clamp(560.0 / (double)n, 6, 48);
    double fs = ct_svg_clamp(cell * 0.8, 9, 12);
    size_t step = (size_t)ceil(fs * 1.2 / cell);
    double max_em = 0;
    char **shown = ct_calloc(n, sizeof *shown);
    if (!shown)
        return CT_ENOMEM;
    int rc = CT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(shown[i] = ct_svg_truncate(labels[i], 14)))
            goto cleanup;
        max_em = fmax(max_em, ct_svg_text_width(shown[i]));
    }
    double sw = swatch ? 14 : 0;
    double lab = max_em * fs + 10 + sw;
    double top = 34 + lab, left = lab + 8, grid = cell * (double)n;
    double legend_x = left + grid + 24, legend_h = fmin(fmax(grid, 120), 240);
    double width = legend_x + 90, height = top + fmax(grid, legend_h) + 24;
    ct_svg_grid_head(f, "ct-matrix", st->id, width, height, fs, st->title);
    fputs("<g shape-rendering=\"crispEdges\">\n", f);
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < n; c++) {
            double x = v[r * n + c], t;
            char col[8];
            if (st->log_scale && !(x > 0)) {
                memcpy(col, "#f4f4f4", 8);
                t = 0;
            } else {
                t = single ? 1
                           : ct_svg_clamp(((st->log_scale ? log10(x) : x) - lo) / (hi - lo), 0, 1);
                ct_svg_colour(t, col);
            }
            fprintf(f,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\">"
                    "<title>",
                    left + (double)c * cell, top + (double)r * cell, cell, cell, col);
            ct_xml_escape(f, labels[r]);
            fputs(" × ", f);
            ct_xml_escape(f, labels[c]);
            fprintf(f, ": %.*f</title></rect>\n", st->decimals, x);
            if (cell >= 30 && (!st->log_scale || x > 0))
                fprintf(f,
                        "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
                        "dominant-baseline=\"central\" font-size=\"10\" fill=\"%s\">%.*f</text>\n",
                        left + ((double)c + 0.5) * cell, top + ((double)r + 0.5) * cell,
                        t > 0.6 ? "#000" : "#fff", st->decimals, x);
        }
    fputs("</g>\n", f);
    ct_svg_grid_labels(f, shown, n, step, top, left, cell, swatch, sw);
    if (single) {
        char col[8];
        ct_svg_colour(1, col);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\" "
                "stroke=\"#888\" stroke-width=\"0.5\"/><text x=\"%.1f\" y=\"%.1f\" "
                "font-size=\"11\" dominant-baseline=\"central\">%.*f</text>\n",
                legend_x, top, col, legend_x + 21, top + 7, st->decimals, single_value);
    } else {
        ct_svg_grid_legend(f, st->id, legend_x, top, legend_h, lo, hi, st->log_scale, st->decimals);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", legend_x, top - 18);
    ct_xml_escape(f, st->unit);
    fputs("</text>\n</svg>\n", f);
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    for (size_t i = 0; i < n; i++)
        ct_free(shown[i]);
    ct_free(shown);
    return rc;
}
