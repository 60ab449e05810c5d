/* svg_density.c — the 2-D map of a big corpus as binned density (see svg.h).
 *
 * With tens of thousands of documents a point each is tens of megabytes of SVG and an
 * unreadable blot. Here the plane is cut into a fixed grid of squares (on equal axis scales,
 * as the point map): each square holding documents is drawn once, in the colour of the
 * cluster most of its documents belong to (ties: the lower cluster number) and more opaque
 * the more it holds (log scale), with a tooltip giving the count. The clusters' centres (the
 * mean of their members' coordinates) are labelled with their number, and a legend names
 * each cluster with a short label. The picture's size depends on the grid and the clusters,
 * never on the number of documents. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"
#include "sort.h"

enum { GRID = 60, LEGEND_MAX = 24 };

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int ct_svg_density(FILE *f, const double *xy, size_t n, const size_t *clusters, size_t k,
                   const char *const *legend, double share_x, double share_y, const char *unit,
                   const char *title)
{
    if (n == 0)
        return CT_EINVAL;
    double side = 600, margin = 56, top = 40;
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        minx = fmin(minx, xy[2 * i]);
        maxx = fmax(maxx, xy[2 * i]);
        miny = fmin(miny, xy[2 * i + 1]);
        maxy = fmax(maxy, xy[2 * i + 1]);
    }
    double span = fmax(maxx - minx, maxy - miny);
    if (!(span > 0))
        span = 1;
    span *= 1.04;
    double mx = (minx + maxx) / 2, my = (miny + maxy) / 2, cellw = side / GRID;
    uint64_t *key = ct_malloc(n * sizeof *key);
    double *cx = ct_calloc(k + 1, sizeof *cx), *cy = ct_calloc(k + 1, sizeof *cy);
    size_t *cn = ct_calloc(k + 1, sizeof *cn);
    int rc = CT_ENOMEM;
    if (!key || !cx || !cy || !cn)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        double u = (xy[2 * i] - (mx - span / 2)) / span,
               v = ((my + span / 2) - xy[2 * i + 1]) / span;
        long gx = (long)floor(u * GRID), gy = (long)floor(v * GRID);
        gx = gx < 0 ? 0 : gx >= GRID ? GRID - 1 : gx;
        gy = gy < 0 ? 0 : gy >= GRID ? GRID - 1 : gy;
        size_t c = clusters ? clusters[i] : 1;
        if (c > k)
            c = 0;
        key[i] = ((uint64_t)(gy * GRID + gx) << 32) | (uint64_t)c;
        cx[c] += xy[2 * i];
        cy[c] += xy[2 * i + 1];
        cn[c]++;
    }
    ct_sort(key, n, sizeof *key, by_u64);
    /* the fullest square, for the opacity scale */
    size_t most = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && key[j] >> 32 == key[i] >> 32)
            j++;
        if (j - i > most)
            most = j - i;
        i = j;
    }
    size_t shown = k < LEGEND_MAX ? k : LEGEND_MAX;
    double width = margin + side + 30 + (shown ? 230 : 0), height = top + side + 50;
#define PX(v) (margin + side / 2 + ((v)-mx) * (side / span))
#define PY(v) (top + side / 2 - ((v)-my) * (side / span))
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ct-density\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"11\">\n",
            width, height, width, height, CT_SVG_FONTS);
    fputs("<title>", f);
    ct_xml_escape(f, title);
    fputs("</title>\n<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">", f);
    ct_xml_escape(f, title);
    fprintf(f,
            "</text>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
            "stroke=\"#bbb\"/>\n",
            margin, top, side, side);
    if (0 >= mx - span / 2 && 0 <= mx + span / 2)
        fprintf(f, "<path d=\"M%.2f %.1fV%.1f\" stroke=\"#eee\"/>\n", PX(0.0), top, top + side);
    if (0 >= my - span / 2 && 0 <= my + span / 2)
        fprintf(f, "<path d=\"M%.1f %.2fH%.1f\" stroke=\"#eee\"/>\n", margin, PY(0.0),
                margin + side);
    fputs("<g shape-rendering=\"crispEdges\">\n", f);
    for (size_t i = 0; i < n;) {
        uint64_t cell = key[i] >> 32;
        size_t j = i, best = 0, best_c = 0;
        while (j < n && key[j] >> 32 == cell) {
            size_t r = j;
            while (r < n && key[r] == key[j])
                r++;
            if (r - j > best) { /* keys ascend by cluster: ties keep the lower number */
                best = r - j;
                best_c = (size_t)(key[j] & 0xffffffffu);
            }
            j = r;
        }
        size_t count = j - i;
        double alpha = 0.18 + 0.82 * log1p((double)count) / log1p((double)most);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                "fill-opacity=\"%.2f\"><title>%zu %s; ",
                margin + (double)(cell % GRID) * cellw, top + (double)(cell / GRID) * cellw, cellw,
                cellw, ct_svg_cluster_colour(best_c), alpha, count, unit);
        if (best_c)
            fprintf(f, "cluster %zu: %zu</title></rect>\n", best_c, best);
        else
            fprintf(f, "outliers: %zu</title></rect>\n", best);
        i = j;
    }
    fputs("</g>\n", f);
    /* the clusters' centres */
    for (size_t c = 1; c <= k; c++) {
        if (!cn[c])
            continue;
        double px = PX(cx[c] / (double)cn[c]), py = PY(cy[c] / (double)cn[c]);
        fprintf(f,
                "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"8\" fill=\"#fff\" stroke=\"%s\" "
                "stroke-width=\"2.5\"><title>cluster %zu: %zu %s</title></circle>"
                "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" dominant-baseline=\"central\" "
                "font-size=\"10\" font-weight=\"bold\">%zu</text>\n",
                px, py, ct_svg_cluster_colour(c), c, cn[c], unit, px, py, c);
    }
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">axis 1 "
            "(%.1f%% of variance)</text>\n",
            margin + side / 2, top + side + 20, 100 * share_x);
    fprintf(f,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\" "
            "font-size=\"12\">axis 2 (%.1f%% of variance)</text>\n",
            margin - 14, top + side / 2, 100 * share_y);
    /* legend: the clusters, then the opacity scale */
    double lx = margin + side + 20, ly = top + 8;
    for (size_t c = 1; c <= shown; c++, ly += 18) {
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"%s\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"central\">%zu (%zu)",
                lx, ly - 5.5, ct_svg_cluster_colour(c), lx + 16, ly, c, cn[c]);
        if (legend && legend[c]) {
            char *lab = ct_svg_truncate(legend[c], 11);
            if (lab) {
                fputs(" ", f);
                ct_xml_escape(f, lab);
                ct_free(lab);
            }
        }
        fputs("</text>\n", f);
    }
    if (k > shown)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">… %zu more clusters</text>\n", lx, ly,
                k - shown),
            ly += 18;
    if (cn[0])
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"%s\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"central\">outliers (%zu)"
                "</text>\n",
                lx, ly - 5.5, ct_svg_cluster_colour(0), lx + 16, ly, cn[0]),
            ly += 18;
    ly += 10;
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">%s in a square:</text>\n", lx, ly, unit);
    ly += 14;
    double last = 0;
    for (int s = 0, col = 0; s < 4; s++) {
        double cnt = s == 0 ? 1 : s == 3 ? (double)most : round(pow((double)most, s / 3.0));
        if (cnt <= last) /* few per square: no repeated steps */
            continue;
        last = cnt;
        double alpha = 0.18 + 0.82 * log1p(cnt) / log1p((double)most);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"#555\" "
                "fill-opacity=\"%.2f\"/><text x=\"%.1f\" y=\"%.1f\" "
                "dominant-baseline=\"central\">%.0f</text>\n",
                lx + (double)col * 48, ly, alpha, lx + (double)col * 48 + 14, ly + 5.5, cnt);
        col++;
    }
#undef PX
#undef PY
    fputs("</svg>\n", f);
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    ct_free(key);
    ct_free(cx);
    ct_free(cy);
    ct_free(cn);
    return rc;
}
