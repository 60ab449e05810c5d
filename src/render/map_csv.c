/* map_csv.c — a multidimensional-scaling map as CSV (comptext/render.h): the coordinates in
 * one table (id and one column an axis) and the axes' shares of variance in another, so that
 * both load with any CSV reader's defaults (a comment line in the map gave pandas and R two
 * junk columns). Both go through the one table writer of table.c: numbers with %.17g, so the
 * coordinates read back exactly, text quoted per RFC 4180. */
#include "comptext/error.h"
#include "comptext/render.h"
#include "table.h"

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
    enum { MAX_AXES = 64 };
    if (dims + 1 > MAX_AXES)
        return CT_EINVAL;
    char names[MAX_AXES][24];
    const char *cols[MAX_AXES];
    cols[0] = "id";
    for (size_t a = 0; a < dims; a++) {
        axis_name(dims, a, names[a], sizeof names[a]);
        cols[a + 1] = names[a];
    }
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_CSV, cols, dims + 1);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        ct_table_text(t, ids[i]);
        for (size_t a = 0; a < dims; a++)
            ct_table_double(t, coords[i * dims + a]);
    }
    return ct_table_finish(t);
}

int ct_mds_write_axes_csv(const ct_mds *m, FILE *f)
{
    static const char *const cols[] = {"axis", "variance_share"};
    ct_table *t;
    int rc = ct_table_new(&t, f, CT_TABLE_CSV, cols, 2);
    if (rc != CT_OK)
        return rc;
    char name[24];
    for (size_t a = 0; a < ct_mds_dims(m); a++) {
        axis_name(ct_mds_dims(m), a, name, sizeof name);
        ct_table_text(t, name);
        ct_table_double(t, ct_mds_variance_share(m, a));
    }
    return ct_table_finish(t);
}
