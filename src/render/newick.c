/* newick.c — a clustering tree in Newick format (comptext/render.h).
 *
 * Written from the public accessors of ct_cluster (the merge rows in scipy's linkage
 * layout), so the renderer needs nothing private of the analysis. */
#include <string.h>

#include "comptext/error.h"
#include "comptext/render.h"

/* A label is written bare only when no character has a meaning in Newick. */
static int newick_safe(const char *s)
{
    if (!*s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("()[]':;,_\"", *p))
            return 0;
    return 1;
}

static void newick_label(FILE *f, const char *s)
{
    if (newick_safe(s)) {
        fputs(s, f);
        return;
    }
    putc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            putc('\'', f);
        putc(*s, f);
    }
    putc('\'', f);
}

static double node_height(const double *merges, size_t n, size_t node)
{
    return node < n ? 0.0 : merges[4 * (node - n) + 2];
}

static void newick_node(const double *merges, size_t n, const char *const *labels, size_t node,
                        FILE *f)
{
    if (node < n) {
        newick_label(f, labels[node]);
        return;
    }
    const double *row = merges + 4 * (node - n);
    putc('(', f);
    for (int side = 0; side < 2; side++) {
        size_t child = (size_t)row[side];
        if (side)
            putc(',', f);
        newick_node(merges, n, labels, child, f);
        fprintf(f, ":%.17g", row[2] - node_height(merges, n, child));
    }
    putc(')', f);
}

int ct_cluster_write_newick(const ct_cluster *c, const char *const *labels, FILE *f)
{
    size_t n = ct_cluster_size(c);
    newick_node(ct_cluster_merges(c), n, labels, 2 * n - 2, f);
    fputs(";\n", f);
    return ferror(f) ? CT_EIO : CT_OK;
}
