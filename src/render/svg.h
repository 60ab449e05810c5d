/* svg.h — the pictures comptext draws (private): the similarity heatmap, the dendrogram and
 * the 2-D map, written as SVG by hand (there is no well-kept C library for SVG charts and the
 * markup is small), plus the helpers they share in svg.c.
 *
 * Every picture takes plain arrays (labels, values, orders), so it depends on nothing but
 * the results it draws. Every string is escaped for XML; text uses a font-family list with
 * CJK fonts first so Chinese labels render wherever one of them is installed. Pictures scale
 * to several hundred documents: cells and rows shrink to a floor of a few pixels, and labels
 * are thinned (every m-th one, or, on the map, those that do not collide) when they would
 * overlap. The output has no XML prolog, so the same bytes work as a file and inline in
 * HTML; element ids carry a per-picture prefix so several pictures can share a page. */
#ifndef CT_SVG_H
#define CT_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "comptext/cluster.h"

/** The font-family list of every text element (CJK fonts first). */
#define CT_SVG_FONTS                                                                               \
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei',"             \
    "'PingFang SC',sans-serif"

/** Write s with &, <, >, " and ' escaped for XML text and attribute values; control
 * characters other than tab and newline (not allowed in XML 1.0) become U+FFFD. */
void ct_xml_escape(FILE *f, const char *s);
/** Estimated width of s in ems: wide (CJK) characters count 1, others 0.6. */
double ct_svg_text_width(const char *s);
/** A copy of s cut to at most max_em ems, with "…" when cut (at a character boundary);
 * NULL when out of memory. Caller frees with ct_free. */
char *ct_svg_truncate(const char *s, double max_em);
/** v limited to [lo, hi] (cell and font sizes, colour positions). */
double ct_svg_clamp(double v, double lo, double hi);
/** Sequential colour for t in [0, 1] (viridis), as "#rrggbb" into buf[8]. */
void ct_svg_colour(double t, char buf[8]);
/** Categorical colour of cluster k (1-based; Tableau 10, cycling), "#rrggbb". */
const char *ct_svg_cluster_colour(size_t k);

/** Above this many rows the heatmap draws blocks of rows, not pairs (ct_svg_heatmap). */
#define CT_SVG_HEATMAP_MAX_SIDE 300

/* The parts of the two matrix pictures (ct_svg_heatmap, ct_svg_matrix) that are drawn the
 * same way. */
/** The opening of a matrix picture: the <svg> element (class cls), its <title>, the colour
 * scale's gradient (element id "ID-legend") and the title as a heading. */
void ct_svg_grid_head(FILE *f, const char *cls, const char *id, double width, double height,
                      double font_size, const char *title);
/** The row labels left of the grid and the column labels above it (rotated), every step-th
 * of the n shown; swatch (may be NULL) puts each row's cluster colour in a dot before its
 * label, sw wide. */
void ct_svg_grid_labels(FILE *f, char *const *shown, size_t n, size_t step, double top, double left,
                        double cell, const size_t *swatch, double sw);
/** The colour legend: the gradient "ID-legend" as a bar of height h at (x, top) and five
 * ticks from lo to hi, with `decimals` digits (log_scale: lo and hi are log10 of the values,
 * the ticks show the values themselves, whole). */
void ct_svg_grid_legend(FILE *f, const char *id, double x, double top, double h, double lo,
                        double hi, int log_scale, int decimals);

/** The similarity heatmap: rows and columns in order (n indices), colours over the
 * off-diagonal range of sim, a colour legend, labels thinned when cells are small. Beyond
 * CT_SVG_HEATMAP_MAX_SIDE rows each cell is a block of b × b consecutive rows (b = ⌈n / 300⌉,
 * the last block smaller), coloured by the mean cosine of its pairs (a row with itself left
 * out), so the file stays under 300 × 300 cells at any n. */
int ct_svg_heatmap(FILE *f, const double *sim, size_t n, const char *const *labels,
                   const size_t *order, const char *title);

/** The dendrogram, leaves top to bottom in leaf order, merge height along x; branches below
 * the cut into clusters (labels: 1..k a leaf, or NULL) take their cluster's colour. */
int ct_svg_dendrogram(FILE *f, const ct_cluster *c, const char *const *labels,
                      const size_t *clusters, const char *title);

/** The 2-D map: points xy (n × 2) on equal axis scales, coloured by cluster (or NULL),
 * labelled where labels do not collide (outlying points first), axes with the share of
 * variance each carries. */
int ct_svg_map(FILE *f, const double *xy, size_t n, const char *const *labels,
               const size_t *clusters, double share_x, double share_y, const char *title);

/** The 2-D map of a big corpus as binned density: a fixed grid of squares, each in the
 * colour of its most frequent cluster (clusters 1..k; 0 outliers; NULL: one colour) and more
 * opaque for more points, the clusters' centres numbered, a legend naming each cluster with
 * legend[c] (k + 1 entries, may be NULL or hold NULLs); unit names what the points are
 * ("documents"). Its size does not depend on n. */
int ct_svg_density(FILE *f, const double *xy, size_t n, const size_t *clusters, size_t k,
                   const char *const *legend, double share_x, double share_y, const char *unit,
                   const char *title);

/** How ct_svg_matrix draws. */
typedef struct ct_svg_matrix_style {
    const char *title; /* the picture's title */
    const char *id;    /* prefix of element ids (unique on a page) */
    const char *unit;  /* the legend's heading, e.g. "mean cosine" */
    int log_scale;     /* 1: colours on log10 of the values (0 and less: light grey) */
    int decimals;      /* digits after the point in tooltips and cells */
} ct_svg_matrix_style;

/** A small labelled n × n matrix (row-major v) as a heatmap, rows and columns in the given
 * order; swatch (may be NULL) gives each row a cluster colour (ct_svg_cluster_colour). */
int ct_svg_matrix(FILE *f, const double *v, size_t n, const char *const *labels,
                  const size_t *swatch, const ct_svg_matrix_style *style);

#endif
