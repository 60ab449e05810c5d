/* mds.c — classical multidimensional scaling with GSL's symmetric eigen-solver (see
 * comptext/mds.h for the method, the variance shares and the sign convention).
 *
 * The matrices live in ct_malloc'd arrays viewed as gsl_matrix, so that allocation-failure
 * tests reach them; only GSL's eigen workspace is allocated by GSL itself (and checked). */
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/mds.h"
#include "distance.h"

struct ct_mds {
    size_t n, dims;
    double *coords; /* n × dims */
    double *eval;   /* dims */
    double *share;  /* dims */
};

int ct_mds_new(ct_mds **out, const double *dist, size_t n, size_t dims)
{
    *out = NULL;
    if (n == 0 || dims == 0 || n > ((size_t)1 << 20))
        return CT_EINVAL;
    gsl_set_error_handler_off();
    int rc = CT_ENOMEM;
    ct_mds *m = ct_calloc(1, sizeof *m);
    double *b = ct_malloc(n * n * sizeof *b);
    double *vec = ct_malloc(n * n * sizeof *vec);
    double *val = ct_malloc(n * sizeof *val);
    double *mean = ct_calloc(n, sizeof *mean);
    gsl_eigen_symmv_workspace *ws = NULL;
    if (!m || !b || !vec || !val || !mean)
        goto cleanup;
    m->n = n;
    m->dims = dims;
    m->coords = ct_calloc(n * dims, sizeof *m->coords);
    m->eval = ct_calloc(dims, sizeof *m->eval);
    m->share = ct_calloc(dims, sizeof *m->share);
    if (!m->coords || !m->eval || !m->share)
        goto cleanup;
    /* B = -1/2 J D² J: double centring of the squared distances. */
    rc = CT_EINVAL;
    for (size_t i = 0; i < n; i++) {
        b[i * n + i] = 0;
        for (size_t j = i + 1; j < n; j++) {
            double d = dist[i * n + j];
            if (!(d >= 0) || !isfinite(d))
                goto cleanup;
            b[i * n + j] = b[j * n + i] = d * d;
        }
    }
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++)
            s += b[i * n + j];
        mean[i] = s / (double)n;
        total += s;
    }
    total /= (double)n * (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            b[i * n + j] = -0.5 * (b[i * n + j] - mean[i] - mean[j] + total);
    rc = CT_ENOMEM;
    if (!(ws = gsl_eigen_symmv_alloc(n)))
        goto cleanup;
    gsl_matrix_view bv = gsl_matrix_view_array(b, n, n);
    gsl_matrix_view vv = gsl_matrix_view_array(vec, n, n);
    gsl_vector_view ev = gsl_vector_view_array(val, n);
    rc = CT_ENUMERIC;
    if (gsl_eigen_symmv(&bv.matrix, &ev.vector, &vv.matrix, ws) != GSL_SUCCESS ||
        gsl_eigen_symmv_sort(&ev.vector, &vv.matrix, GSL_EIGEN_SORT_VAL_DESC) != GSL_SUCCESS)
        goto cleanup;
    double positive = 0;
    for (size_t i = 0; i < n; i++)
        if (val[i] > 0)
            positive += val[i];
    for (size_t a = 0; a < dims; a++) {
        double lambda = a < n ? val[a] : 0.0;
        /* An eigenvalue at rounding level is no axis: the points have no spread there. */
        if (!(lambda > 1e-12 * (positive > 0 ? positive : 1.0)))
            continue;
        m->eval[a] = lambda;
        m->share[a] = lambda / positive;
        double scale = sqrt(lambda);
        size_t big = 0;
        for (size_t i = 1; i < n; i++)
            if (fabs(vec[i * n + a]) > fabs(vec[big * n + a]))
                big = i;
        double sign = vec[big * n + a] < 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < n; i++)
            m->coords[i * dims + a] = sign * scale * vec[i * n + a] + 0.0; /* no -0 */
    }
    rc = CT_OK;
    *out = m;
    m = NULL;
cleanup:
    if (ws)
        gsl_eigen_symmv_free(ws);
    ct_mds_free(m);
    ct_free(b);
    ct_free(vec);
    ct_free(val);
    ct_free(mean);
    return rc;
}

int ct_mds_new_from_similarity(ct_mds **out, const double *sim, size_t n, size_t dims)
{
    *out = NULL;
    if (n == 0 || n > ((size_t)1 << 20))
        return CT_EINVAL;
    double *d;
    int rc = ct_distance_from_similarity(&d, sim, n, 0);
    if (rc != CT_OK)
        return rc;
    rc = ct_mds_new(out, d, n, dims);
    ct_free(d);
    return rc;
}

void ct_mds_free(ct_mds *m)
{
    if (!m)
        return;
    ct_free(m->coords);
    ct_free(m->eval);
    ct_free(m->share);
    ct_free(m);
}

size_t ct_mds_size(const ct_mds *m)
{
    return m->n;
}

size_t ct_mds_dims(const ct_mds *m)
{
    return m->dims;
}

const double *ct_mds_coords(const ct_mds *m)
{
    return m->coords;
}

double ct_mds_eigenvalue(const ct_mds *m, size_t axis)
{
    return axis < m->dims ? m->eval[axis] : 0.0;
}

double ct_mds_variance_share(const ct_mds *m, size_t axis)
{
    return axis < m->dims ? m->share[axis] : 0.0;
}

int ct_mds_new_landmark(ct_mds **out, const double *dist, const size_t *landmarks, size_t L,
                        size_t n, size_t dims)
{
    *out = NULL;
    if (L == 0 || n == 0 || dims == 0 || L > n || L > ((size_t)1 << 16))
        return CT_EINVAL;
    for (size_t l = 0; l < L; l++)
        if (landmarks[l] >= n)
            return CT_EINVAL;
    for (size_t q = 0; q < L * n; q++)
        if (!(dist[q] >= 0) || !isfinite(dist[q]))
            return CT_EINVAL;
    double *dl = ct_malloc(L * L * sizeof *dl), *mu = ct_calloc(L, sizeof *mu);
    ct_mds *lm = NULL, *m = ct_calloc(1, sizeof *m);
    int rc = CT_ENOMEM;
    if (!dl || !mu || !m)
        goto cleanup;
    /* The landmarks' distances among themselves (symmetric: the mean of the two readings). */
    for (size_t a = 0; a < L; a++)
        for (size_t b = 0; b < L; b++)
            dl[a * L + b] =
                a == b ? 0.0 : 0.5 * (dist[a * n + landmarks[b]] + dist[b * n + landmarks[a]]);
    if ((rc = ct_mds_new(&lm, dl, L, dims)) != CT_OK)
        goto cleanup;
    for (size_t a = 0; a < L; a++) {
        double s = 0;
        for (size_t b = 0; b < L; b++)
            s += dl[a * L + b] * dl[a * L + b];
        mu[a] = s / (double)L;
    }
    rc = CT_ENOMEM;
    m->n = n;
    m->dims = dims;
    m->coords = ct_calloc(n * dims, sizeof *m->coords);
    m->eval = ct_calloc(dims, sizeof *m->eval);
    m->share = ct_calloc(dims, sizeof *m->share);
    if (!m->coords || !m->eval || !m->share)
        goto cleanup;
    /* Distance-based triangulation: y_a(x) = −½ Σ_l (v_la / sqrt(λ_a)) (d²(l, x) − μ_l), and
     * v_la / sqrt(λ_a) = coordinate_la / λ_a. */
    const double *lc = ct_mds_coords(lm);
    for (size_t a = 0; a < dims; a++) {
        double lambda = lm->eval[a];
        m->eval[a] = lambda;
        m->share[a] = lm->share[a];
        if (!(lambda > 0))
            continue;
        for (size_t l = 0; l < L; l++) {
            double w = -0.5 * lc[l * dims + a] / lambda;
            const double *row = dist + l * n;
            for (size_t x = 0; x < n; x++)
                m->coords[x * dims + a] += w * (row[x] * row[x] - mu[l]);
        }
        size_t big = 0;
        for (size_t x = 1; x < n; x++)
            if (fabs(m->coords[x * dims + a]) > fabs(m->coords[big * dims + a]))
                big = x;
        if (m->coords[big * dims + a] < 0)
            for (size_t x = 0; x < n; x++)
                m->coords[x * dims + a] = -m->coords[x * dims + a] + 0.0;
    }
    rc = CT_OK;
    *out = m;
    m = NULL;
cleanup:
    ct_mds_free(lm);
    ct_mds_free(m);
    ct_free(dl);
    ct_free(mu);
    return rc;
}
