/* svg.c — helpers shared by the SVG pictures (see svg.h): XML escaping, text width
 * estimates and truncation for layout, the colour scales, and the head, labels and legend
 * that the two matrix pictures (the similarity heatmap and the small group matrix) share. */
#include <math.h>
#include <string.h>
#include <utf8proc.h>

#include "comptext/alloc.h"
#include "svg.h"

/* Decode one UTF-8 character at s (valid UTF-8 is assumed: corpus text is decoded and
 * checked on reading); returns its length, at least 1. */
static size_t next_char(const char *s, utf8proc_int32_t *cp)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, cp);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

void ct_xml_escape(FILE *f, const char *s)
{
    /* Valid XML character data whatever the id or term holds: markup characters as
     * entities, a newline as &#10;, and what XML 1.0 does not allow or HTML calls a parse
     * error — C0 and C1 controls, the non-characters U+FFFE, U+FFFF, U+nFFFE, U+nFFFF and
     * U+FDD0-U+FDEF, bytes that are not UTF-8 — as U+FFFD. */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x7F && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') {
            const unsigned char *q = p;
            while (*q >= 0x20 && *q < 0x7F && *q != '&' && *q != '<' && *q != '>' && *q != '"' &&
                   *q != '\'')
                q++;
            fwrite(p, 1, (size_t)(q - p), f);
            p = q;
            continue;
        }
        switch (c) {
        case '&':
            fputs("&amp;", f);
            p++;
            continue;
        case '<':
            fputs("&lt;", f);
            p++;
            continue;
        case '>':
            fputs("&gt;", f);
            p++;
            continue;
        case '"':
            fputs("&quot;", f);
            p++;
            continue;
        case '\'':
            fputs("&#39;", f);
            p++;
            continue;
        case '\n':
            fputs("&#10;", f);
            p++;
            continue;
        case '\t':
            putc('\t', f);
            p++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = c < 0x80 ? 1 : utf8proc_iterate(p, -1, &cp);
        if (c < 0x80)
            cp = c;
        int bad = k < 1 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
                  (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
        if (bad)
            fputs("\xEF\xBF\xBD", f);
        else
            fwrite(p, 1, (size_t)k, f);
        p += k < 1 ? 1 : k;
    }
}

static double char_em(utf8proc_int32_t cp)
{
    int w = utf8proc_charwidth(cp);
    return w >= 2 ? 1.0 : 0.6;
}

double ct_svg_text_width(const char *s)
{
    double w = 0;
    while (*s) {
        utf8proc_int32_t cp;
        s += next_char(s, &cp);
        w += char_em(cp);
    }
    return w;
}

char *ct_svg_truncate(const char *s, double max_em)
{
    if (ct_svg_text_width(s) <= max_em)
        return ct_strdup(s);
    double w = 0;
    const char *p = s;
    while (*p) {
        utf8proc_int32_t cp;
        size_t k = next_char(p, &cp);
        if (w + char_em(cp) > max_em - 1.0)
            break;
        w += char_em(cp);
        p += k;
    }
    size_t len = (size_t)(p - s);
    char *out = ct_malloc(len + 4);
    if (!out)
        return NULL;
    memcpy(out, s, len);
    memcpy(out + len, "\xE2\x80\xA6", 4); /* … and the terminating NUL */
    return out;
}

double ct_svg_clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void ct_svg_colour(double t, char buf[8])
{
    /* viridis at 9 evenly spaced stops */
    static const unsigned char stops[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                              {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                              {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
    if (!(t > 0))
        t = 0;
    if (t > 1)
        t = 1;
    double x = t * 8;
    int i = (int)floor(x);
    if (i >= 8)
        i = 7;
    double u = x - i;
    int rgb[3];
    for (int k = 0; k < 3; k++)
        rgb[k] = (int)lround(stops[i][k] + u * (stops[i + 1][k] - stops[i][k]));
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

const char *ct_svg_cluster_colour(size_t k)
{
    static const char *const tab10[10] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return k ? tab10[(k - 1) % 10] : "#555555";
}

void ct_svg_grid_head(FILE *f, const char *cls, const char *id, double width, double height,
                      double font_size, const char *title)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" font-size=\"%.1f\">\n",
            cls, width, height, width, height, CT_SVG_FONTS, font_size);
    fputs("<title>", f);
    ct_xml_escape(f, title);
    fprintf(f,
            "</title>\n<defs><linearGradient id=\"%s-legend\" x1=\"0\" y1=\"1\" x2=\"0\" "
            "y2=\"0\">",
            id);
    for (int s = 0; s <= 10; s++) {
        char c[8];
        ct_svg_colour(s / 10.0, c);
        fprintf(f, "<stop offset=\"%.1f\" stop-color=\"%s\"/>", s / 10.0, c);
    }
    fputs("</linearGradient></defs>\n<text x=\"4\" y=\"18\" font-size=\"14\" "
          "font-weight=\"bold\">",
          f);
    ct_xml_escape(f, title);
    fputs("</text>\n", f);
}

void ct_svg_grid_labels(FILE *f, char *const *shown, size_t n, size_t step, double top, double left,
                        double cell, const size_t *swatch, double sw)
{
    for (size_t r = 0; r < n; r += step) {
        double y = top + ((double)r + 0.5) * cell;
        if (swatch)
            fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\"/>\n", left - 8, y,
                    ct_svg_cluster_colour(swatch[r]));
        fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"central\">",
                left - 4 - sw, y);
        ct_xml_escape(f, shown[r]);
        fputs("</text>\n", f);
        fprintf(f,
                "<text transform=\"translate(%.2f,%.2f) rotate(-90)\" "
                "dominant-baseline=\"central\">",
                y - top + left, top - 4);
        ct_xml_escape(f, shown[r]);
        fputs("</text>\n", f);
    }
}

void ct_svg_grid_legend(FILE *f, const char *id, double x, double top, double h, double lo,
                        double hi, int log_scale, int decimals)
{
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"url(#%s-legend)\" "
            "stroke=\"#888\" stroke-width=\"0.5\"/>\n",
            x, top, h, id);
    for (int s = 0; s <= 4; s++) {
        double y = top + h * (1 - s / 4.0), v = lo + (hi - lo) * s / 4.0;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" dominant-baseline=\"central\">"
                "%.*f</text>\n",
                x + 14, y, x + 18, y, x + 21, y, log_scale ? 0 : decimals,
                log_scale ? pow(10, v) : v);
    }
}
