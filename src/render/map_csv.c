/* map_csv.c — a multidimensional-scaling map as CSV (comptext/render.h).
 *
 * Numbers with %.17g so that the coordinates read back exactly; ids quoted per RFC 4180 by
 * the one CSV field writer of output.c. */
#include "comptext/error.h"
#include "comptext/render.h"
#include "output.h"

static void axis_name(size_t dims, size_t a, char *buf, size_t size)
{
    if (dims == 2)
        snprintf(buf, size, "%s", a ? "y" : "x");
    else
        snprintf(buf, size, "d%zu", a + 1);
}

int ct_mds_write_csv(const ct_mds *m, const char *const *ids, FILE *f)
{
    size_t n = ct_mds_size(m), dims = ct_mds_dims(m);
    const double *coords = ct_mds_coords(m);
    char name[32];
    fputs("# classical MDS of cosine distances; share of variance:", f);
    for (size_t a = 0; a < dims; a++) {
        axis_name(dims, a, name, sizeof name);
        fprintf(f, "%s%s=%.17g", a ? "," : " ", name, ct_mds_variance_share(m, a));
    }
    fputs("\nid", f);
    for (size_t a = 0; a < dims; a++) {
        axis_name(dims, a, name, sizeof name);
        fprintf(f, ",%s", name);
    }
    putc('\n', f);
    for (size_t i = 0; i < n; i++) {
        ct_write_csv_field(f, ids[i]);
        for (size_t a = 0; a < dims; a++)
            fprintf(f, ",%.17g", coords[i * dims + a]);
        putc('\n', f);
    }
    return ferror(f) ? CT_EIO : CT_OK;
}
