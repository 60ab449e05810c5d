/* mds.c — classical multidimensional scaling with GSL's symmetric eigen-solver (see
 * comptext/mds.h for the method, the variance shares and the sign convention).
 *
 * Beyond CT_MDS_LANCZOS_ABOVE items (and with ARPACK built in) the full eigen-decomposition —
 * 60 % of a 1 000-document compare, 77 of 100 s at 2 000 — is split: GSL gives all the
 * eigenvalues without vectors (the variance shares need the sum of the positive ones), and
 * ARPACK's implicitly restarted Lanczos the few leading eigenvectors, to machine precision
 * from a fixed start vector. The two solvers' leading eigenvalues must agree, or the full
 * decomposition is made after all.
 *
 * The matrices live in ct_malloc'd arrays viewed as gsl_matrix, so that allocation-failure
 * tests reach them; only GSL's eigen workspace is allocated by GSL itself (and checked). */
#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort_vector.h>

#include "ct_config.h"
#if CT_HAVE_ARPACK
#include <arpack/arpack.h>
#include <pthread.h>
#endif

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

/* The result's arrays for n items in dims dimensions, zeroed (axes without spread stay 0). */
static int result_alloc(ct_mds *m, size_t n, size_t dims)
{
    m->n = n;
    m->dims = dims;
    m->coords = ct_calloc(n * dims, sizeof *m->coords);
    m->eval = ct_calloc(dims, sizeof *m->eval);
    m->share = ct_calloc(dims, sizeof *m->share);
    return m->coords && m->eval && m->share ? CT_OK : CT_ENOMEM;
}

#if CT_HAVE_ARPACK
/* Items beyond which the leading eigenvectors come from ARPACK (below, GSL's full solver is
 * cheap and every map stays as it always was). */
#define CT_MDS_LANCZOS_ABOVE 500

/* ARPACK keeps its state in Fortran SAVE variables: one solve at a time. */
static pthread_mutex_t arpack_lock = PTHREAD_MUTEX_INITIALIZER;

/* The k leading eigenvectors of the symmetric n × n matrix b (row-major, 2k + 1 < n) by
 * dsaupd/dseupd ("LA", tolerance 0: machine precision), from a fixed start vector so that the
 * same input gives the same vectors: vec[i·n + a] of the a-th largest eigenvalue, lambda[a]
 * its value. CT_OK, CT_ENOMEM, or CT_ENUMERIC when ARPACK did not converge. */
static int arpack_leading(const double *b, size_t n, size_t k, double *vec, double *lambda)
{
    a_int nn = (a_int)n, nev = (a_int)k;
    a_int ncv = (a_int)(2 * k + 1 > 32 ? 2 * k + 1 : 32);
    if (ncv > nn)
        ncv = nn;
    a_int lworkl = ncv * (ncv + 8);
    double *resid = ct_malloc(n * sizeof *resid);
    double *v = ct_malloc(n * (size_t)ncv * sizeof *v);
    double *workd = ct_malloc(3 * n * sizeof *workd);
    double *workl = ct_malloc((size_t)lworkl * sizeof *workl);
    double *d = ct_malloc(k * sizeof *d);
    double *z = ct_malloc(n * k * sizeof *z);
    a_int *select = ct_calloc((size_t)ncv, sizeof *select);
    int rc = CT_ENOMEM;
    if (!resid || !v || !workd || !workl || !d || !z || !select)
        goto done;
    for (size_t i = 0; i < n; i++)
        resid[i] = 1.0 + sin((double)i + 1.0);
    a_int iparam[11] = {0}, ipntr[14] = {0}, ido = 0, info = 1; /* info 1: start from resid */
    iparam[0] = 1;                                              /* exact shifts */
    iparam[2] = 300; /* restarts at most; beyond, the full decomposition instead */
    iparam[6] = 1;   /* A x = λ x */
    rc = CT_ENUMERIC;
    pthread_mutex_lock(&arpack_lock);
    for (;;) {
        dsaupd_c(&ido, "I", nn, "LA", nev, 0.0, resid, ncv, v, nn, iparam, ipntr, workd, workl,
                 lworkl, &info);
        if (ido != -1 && ido != 1)
            break;
        const double *x = workd + ipntr[0] - 1;
        double *y = workd + ipntr[1] - 1;
        for (size_t i = 0; i < n; i++) {
            const double *row = b + i * n;
            double s = 0;
            for (size_t j = 0; j < n; j++)
                s += row[j] * x[j];
            y[i] = s;
        }
    }
    if (info == 0) {
        dseupd_c(1, "A", select, d, z, nn, 0.0, "I", nn, "LA", nev, 0.0, resid, ncv, v, nn, iparam,
                 ipntr, workd, workl, lworkl, &info);
        if (info == 0 && iparam[4] >= nev) {
            for (size_t a = 0; a < k; a++) { /* the largest first, whatever order dseupd used */
                size_t best = 0;
                for (size_t t = 1; t < k; t++)
                    if (d[t] > d[best])
                        best = t;
                lambda[a] = d[best];
                for (size_t i = 0; i < n; i++)
                    vec[i * n + a] = z[best * n + i];
                d[best] = -INFINITY;
            }
            rc = CT_OK;
        }
    }
    pthread_mutex_unlock(&arpack_lock);
done:
    ct_free(resid);
    ct_free(v);
    ct_free(workd);
    ct_free(workl);
    ct_free(d);
    ct_free(z);
    ct_free(select);
    return rc;
}

/* All eigenvalues of b, largest first, into val (GSL, no vectors: scratch is an n × n
 * buffer it may overwrite), then the leading k eigenvectors by ARPACK into vec. 1 when both
 * agree on the leading eigenvalues (to 1e-9 of the largest), 0 when the caller should make
 * the full decomposition, or a negative CT_E code. */
static int values_and_leading(const double *b, size_t n, size_t k, double *scratch, double *val,
                              double *vec)
{
    memcpy(scratch, b, n * n * sizeof *scratch);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(n);
    if (!ws)
        return CT_ENOMEM;
    gsl_matrix_view sv = gsl_matrix_view_array(scratch, n, n);
    gsl_vector_view ev = gsl_vector_view_array(val, n);
    int ok = gsl_eigen_symm(&sv.matrix, &ev.vector, ws) == GSL_SUCCESS;
    gsl_eigen_symm_free(ws);
    if (!ok)
        return 0;
    gsl_sort_vector(&ev.vector);
    gsl_vector_reverse(&ev.vector);
    double lambda[8];
    if (k > 8)
        return 0;
    int rc = arpack_leading(b, n, k, vec, lambda);
    if (rc == CT_ENOMEM)
        return rc;
    if (rc != CT_OK)
        return 0;
    double scale = fabs(val[0]) > 0 ? fabs(val[0]) : 1.0;
    for (size_t a = 0; a < k; a++)
        if (!(fabs(lambda[a] - val[a]) <= 1e-9 * scale))
            return 0;
    return 1;
}
#endif

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
    if (result_alloc(m, n, dims) != CT_OK)
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
    int have_vectors = 0;
#if CT_HAVE_ARPACK
    if (n > CT_MDS_LANCZOS_ABOVE && 2 * dims + 1 < n) {
        double *scratch = ct_malloc(n * n * sizeof *scratch);
        rc = scratch ? values_and_leading(b, n, dims, scratch, val, vec) : CT_ENOMEM;
        ct_free(scratch);
        if (rc < 0)
            goto cleanup;
        have_vectors = rc == 1;
    }
#endif
    if (!have_vectors) {
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
    }
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
    if (result_alloc(m, n, dims) != CT_OK)
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
