/* svg_map.c — the 2-D map of the documents as SVG (see svg.h).
 *
 * Both axes share one scale, because MDS distances mean the same in every direction; axis
 * titles give the share of variance each axis carries. Points take their cluster's colour
 * (the dendrogram's). Labels are placed greedily, outlying points first (the documents a
 * reader looks for), to the right of the point, else left, above or below, and skipped when they
 * would overlap a placed label: with hundreds of documents the map stays readable, and
 * every point keeps its full label as a tooltip. */
#include <math.h>
#include <stdlib.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "svg.h"
#include "sort.h"

typedef struct box {
    double x0, y0, x1, y1;
} box;

typedef struct far {
    double d;
    size_t i;
} far;

static int by_distance(const void *a, const void *b)
{
    const far *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int overlaps(const box *placed, size_t m, box b)
{
    for (size_t i = 0; i < m; i++)
        if (b.x0 < placed[i].x1 && placed[i].x0 < b.x1 && b.y0 < placed[i].y1 &&
            placed[i].y0 < b.y1)
            return 1;
    return 0;
}

int ct_svg_map(FILE *f, const double *xy, size_t n, const char *const *labels,
               const size_t *clusters, double share_x, double share_y, const char *title)
{
    if (n == 0)
        return CT_EINVAL;
    double side = 600, margin = 56, top = 40;
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    double cx = 0, cy = 0;
    for (size_t i = 0; i < n; i++) {
        minx = fmin(minx, xy[2 * i]);
        maxx = fmax(maxx, xy[2 * i]);
        miny = fmin(miny, xy[2 * i + 1]);
        maxy = fmax(maxy, xy[2 * i + 1]);
        cx += xy[2 * i] / (double)n;
        cy += xy[2 * i + 1] / (double)n;
    }
    double span = fmax(maxx - minx, maxy - miny);
    if (!(span > 0))
        span = 1;
    span *= 1.15;
    double mx = (minx + maxx) / 2, my = (miny + maxy) / 2;
    double scale = side / span;
    double r = n <= 50 ? 5 : n <= 200 ? 3.5 : 2.5, fs = n <= 30 ? 12 : 10;
    int rc = CT_ENOMEM;
    far *rank = ct_calloc(n, sizeof *rank);
    box *placed = ct_calloc(n, sizeof *placed);
    if (!rank || !placed)
        goto cleanup;
    double width = margin + side + 150, height = top + side + 50;
#define PX(v) (margin + side / 2 + ((v)-mx) * scale)
#define PY(v) (top + side / 2 - ((v)-my) * scale)
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ct-map\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"%.0f\">\n",
            width, height, width, height, CT_SVG_FONTS, fs);
    fputs("<title>", f);
    ct_xml_escape(f, title);
    fputs("</title>\n<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">", f);
    ct_xml_escape(f, title);
    fputs("</text>\n", f);
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" "
            "stroke=\"#bbb\"/>\n",
            margin, top, side, side);
    /* MDS coordinates are centred: the axes through 0 lie inside the plot. */
    fprintf(f, "<path d=\"M%.2f %.1fV%.1f\" stroke=\"#ddd\"/>\n", PX(0.0), top, top + side);
    fprintf(f, "<path d=\"M%.1f %.2fH%.1f\" stroke=\"#ddd\"/>\n", margin, PY(0.0), margin + side);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">MDS axis 1 "
            "(%.1f%% of variance)</text>\n",
            margin + side / 2, top + side + 20, 100 * share_x);
    fprintf(f,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\" "
            "font-size=\"12\">MDS axis 2 (%.1f%% of variance)</text>\n",
            margin - 14, top + side / 2, 100 * share_y);
    for (size_t i = 0; i < n; i++) {
        fprintf(f,
                "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%s\" stroke=\"#fff\" "
                "stroke-width=\"0.8\"><title>",
                PX(xy[2 * i]), PY(xy[2 * i + 1]), r,
                ct_svg_cluster_colour(clusters ? clusters[i] : 1));
        ct_xml_escape(f, labels[i]);
        fputs("</title></circle>\n", f);
        rank[i].i = i;
        rank[i].d = hypot(xy[2 * i] - cx, xy[2 * i + 1] - cy);
    }
    ct_sort(rank, n, sizeof *rank, by_distance);
    size_t m = 0;
    /* Points themselves are obstacles too, so labels do not cover them. */
    box *dots = ct_calloc(n, sizeof *dots);
    if (!dots)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        dots[i] = (box){PX(xy[2 * i]) - r, PY(xy[2 * i + 1]) - r, PX(xy[2 * i]) + r,
                        PY(xy[2 * i + 1]) + r};
    for (size_t q = 0; q < n; q++) {
        size_t i = rank[q].i;
        char *lab = ct_svg_truncate(labels[i], 14);
        if (!lab) {
            ct_free(dots);
            goto cleanup;
        }
        double w = ct_svg_text_width(lab) * fs, px = PX(xy[2 * i]), py = PY(xy[2 * i + 1]);
        /* right of the point, left of it, above, below */
        for (int pos = 0; pos < 4; pos++) {
            double h = fs * 0.6;
            box b = pos == 0   ? (box){px + r + 3, py - h, px + r + 3 + w, py + h}
                    : pos == 1 ? (box){px - r - 3 - w, py - h, px - r - 3, py + h}
                    : pos == 2 ? (box){px - w / 2, py - r - 2 - 2 * h, px + w / 2, py - r - 2}
                               : (box){px - w / 2, py + r + 2, px + w / 2, py + r + 2 + 2 * h};
            if (b.x0 < margin || b.x1 > margin + side || b.y0 < top || b.y1 > top + side ||
                overlaps(placed, m, b))
                continue;
            int hits_dot = 0;
            for (size_t j = 0; j < n && !hits_dot; j++)
                hits_dot = j != i && overlaps(&dots[j], 1, b);
            if (hits_dot && n > 12)
                continue;
            placed[m++] = b;
            fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"central\">", b.x0,
                    (b.y0 + b.y1) / 2);
            ct_xml_escape(f, lab);
            fputs("</text>\n", f);
            break;
        }
        ct_free(lab);
    }
    ct_free(dots);
    /* Cluster legend, and the outliers' grey dot (cluster 0) below it when there are any. */
    size_t k = 0, outliers = 0;
    if (clusters)
        for (size_t i = 0; i < n; i++) {
            k = clusters[i] > k ? clusters[i] : k;
            outliers += clusters[i] == 0;
        }
    size_t entries = k < 20 ? k : 20;
    for (size_t e = 0; e < entries + (outliers > 0); e++) {
        size_t c = e < entries ? e + 1 : 0;
        double y = top + 10 + 18.0 * (double)e;
        fprintf(f,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                "font-size=\"11\" dominant-baseline=\"central\">",
                margin + side + 20, y, ct_svg_cluster_colour(c), margin + side + 30, y);
        if (c)
            fprintf(f, "cluster %zu</text>\n", c);
        else
            fputs("outliers</text>\n", f);
    }
    fputs("</svg>\n", f);
#undef PX
#undef PY
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    ct_free(rank);
    ct_free(placed);
    return rc;
}
