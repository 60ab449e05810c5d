/* group.c — grouping documents by a metadata field (comptext/group.h).
 *
 * Group names are interned in a termtab, whose ids are dense and in order of first
 * insertion — exactly "groups in order of first appearance". Members are kept as one array
 * of document indices sorted by group (a counting sort, so corpus order inside a group).
 * Summing rows uses a dense accumulator over the vocabulary plus a list of touched columns,
 * so the cost is the number of non-zeros plus a sort of each group's columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/group.h"
#include "group_impl.h"
#include "matrix_impl.h"
#include "termtab.h"
#include "sort.h"

struct ct_grouping {
    char *field;
    ct_termtab *names;
    size_t n_docs, n_groups;
    size_t *group_of; /* n_docs */
    size_t *start;    /* n_groups + 1 offsets into members */
    size_t *members;  /* n_docs document indices, by group then corpus order */
};

void ct_grouping_free(ct_grouping *g)
{
    if (!g)
        return;
    ct_free(g->field);
    ct_termtab_free(g->names);
    ct_free(g->group_of);
    ct_free(g->start);
    ct_free(g->members);
    ct_free(g);
}

/* The field names as "a, b, c" into buf. */
static void list_fields(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t f = 0; f < n && used < size; f++) {
        int k = snprintf(buf + used, size - used, "%s%s", f ? ", " : "", names[f]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (n == 0)
        snprintf(buf, size, "(none)");
}

int grouping_no_field(ct_error *err, const char *field, const char *const *names, size_t n)
{
    char fields[512];
    list_fields(names, n, fields, sizeof fields);
    ct_error_set(err, NULL, 0, -1, "no document has the metadata field \"%s\" (the fields are: %s)",
                 field, fields);
    return CT_ENOTFOUND;
}

int grouping_value(const char **value, const ct_corpus *corpus, size_t d, long fi,
                   const char *field, ct_error *err)
{
    const char *v = fi >= 0 ? ct_corpus_meta(corpus, d, (size_t)fi) : NULL;
    *value = v;
    if (v && *v)
        return CT_OK;
    ct_error_set(err, ct_corpus_source(corpus, d), 0, -1,
                 "document \"%s\" has no value for the --group-by field \"%s\"",
                 ct_corpus_id(corpus, d), field);
    return CT_EINPUT;
}

int ct_grouping_new(ct_grouping **out, const ct_corpus *corpus, const char *field, ct_error *err)
{
    *out = NULL;
    long fi = ct_corpus_field_index(corpus, field);
    if (fi < 0) {
        size_t nf = ct_corpus_field_count(corpus);
        const char **names = ct_malloc((nf ? nf : 1) * sizeof *names);
        if (!names)
            return CT_ENOMEM;
        for (size_t f = 0; f < nf; f++)
            names[f] = ct_corpus_field_name(corpus, f);
        int rc = grouping_no_field(err, field, names, nf);
        ct_free(names);
        return rc;
    }
    size_t n = ct_corpus_size(corpus);
    int rc = CT_ENOMEM;
    ct_grouping *g = ct_calloc(1, sizeof *g);
    if (!g)
        return CT_ENOMEM;
    g->n_docs = n;
    g->field = ct_strdup(field);
    g->group_of = ct_malloc((n ? n : 1) * sizeof *g->group_of);
    g->members = ct_malloc((n ? n : 1) * sizeof *g->members);
    if (!g->field || !g->group_of || !g->members || ct_termtab_new(&g->names) != CT_OK)
        goto fail;
    for (size_t d = 0; d < n; d++) {
        const char *v;
        if ((rc = grouping_value(&v, corpus, d, fi, field, err)) != CT_OK)
            goto fail;
        uint32_t id;
        if ((rc = ct_termtab_intern(g->names, v, strlen(v), &id, NULL)) != CT_OK)
            goto fail;
        g->group_of[d] = id;
    }
    rc = CT_ENOMEM;
    g->n_groups = ct_termtab_size(g->names);
    g->start = ct_calloc(g->n_groups + 1, sizeof *g->start);
    if (!g->start)
        goto fail;
    for (size_t d = 0; d < n; d++)
        g->start[g->group_of[d] + 1]++;
    for (size_t k = 0; k < g->n_groups; k++)
        g->start[k + 1] += g->start[k];
    for (size_t d = 0; d < n; d++) {
        size_t k = g->group_of[d];
        /* start[k] is advanced while filling and restored below */
        g->members[g->start[k]++] = d;
    }
    for (size_t k = g->n_groups; k > 0; k--)
        g->start[k] = g->start[k - 1];
    g->start[0] = 0;
    *out = g;
    return CT_OK;
fail:
    ct_grouping_free(g);
    return rc;
}

const char *ct_grouping_field(const ct_grouping *g)
{
    return g->field;
}

size_t ct_grouping_size(const ct_grouping *g)
{
    return g->n_groups;
}

const char *ct_grouping_name(const ct_grouping *g, size_t group)
{
    size_t len;
    return ct_termtab_key(g->names, (uint32_t)group, &len);
}

size_t ct_grouping_of(const ct_grouping *g, size_t doc)
{
    return g->group_of[doc];
}

const size_t *ct_grouping_members(const ct_grouping *g, size_t group, size_t *count)
{
    *count = g->start[group + 1] - g->start[group];
    return g->members + g->start[group];
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int ct_grouping_apply(ct_matrix **out, const ct_grouping *g, const ct_matrix *m)
{
    *out = NULL;
    if (ct_matrix_rows(m) != g->n_docs)
        return CT_EINVAL;
    size_t n_cols = ct_matrix_cols(m), G = g->n_groups;
    double *acc = ct_calloc(n_cols ? n_cols : 1, sizeof *acc);
    unsigned char *seen = ct_calloc(n_cols ? n_cols : 1, 1);
    uint32_t *touched = ct_malloc((n_cols ? n_cols : 1) * sizeof *touched);
    size_t *row_ptr = ct_malloc((G + 1) * sizeof *row_ptr);
    const char **ids = ct_malloc((G ? G : 1) * sizeof *ids);
    uint32_t *cols = NULL;
    double *vals = NULL;
    size_t cap = 0, nnz = 0;
    int rc = CT_ENOMEM;
    if (!acc || !seen || !touched || !row_ptr || !ids)
        goto fail;
    for (size_t k = 0; k < G; k++) {
        size_t n_members, n_touched = 0;
        const size_t *mem = ct_grouping_members(g, k, &n_members);
        for (size_t i = 0; i < n_members; i++) {
            const uint32_t *c;
            const double *v;
            size_t len;
            ct_matrix_row(m, mem[i], &c, &v, &len);
            for (size_t e = 0; e < len; e++) {
                if (!seen[c[e]]) {
                    seen[c[e]] = 1;
                    touched[n_touched++] = c[e];
                }
                acc[c[e]] += v[e];
            }
        }
        ct_sort(touched, n_touched, sizeof *touched, cmp_u32);
        if (nnz + n_touched > cap) {
            size_t nc = cap ? cap * 2 : 1024;
            while (nc < nnz + n_touched)
                nc *= 2;
            uint32_t *c2 = ct_reallocarray(cols, nc, sizeof *c2);
            if (!c2)
                goto fail;
            cols = c2;
            double *v2 = ct_reallocarray(vals, nc, sizeof *v2);
            if (!v2)
                goto fail;
            vals = v2;
            cap = nc;
        }
        row_ptr[k] = nnz;
        for (size_t i = 0; i < n_touched; i++) {
            uint32_t c = touched[i];
            if (acc[c] != 0.0) {
                cols[nnz] = c;
                vals[nnz++] = acc[c];
            }
            acc[c] = 0.0;
            seen[c] = 0;
        }
        ids[k] = ct_grouping_name(g, k);
    }
    row_ptr[G] = nnz;
    if (!cols) {
        cols = ct_malloc(sizeof *cols);
        vals = ct_malloc(sizeof *vals);
        if (!cols || !vals)
            goto fail;
    }
    ct_free(acc);
    ct_free(seen);
    ct_free(touched);
    rc = ct_matrix_new(out, G, m->vocab, row_ptr, cols, vals, ids); /* shared: a new reference */
    ct_free(ids);
    return rc;
fail:
    ct_free(acc);
    ct_free(seen);
    ct_free(touched);
    ct_free(row_ptr);
    ct_free(ids);
    ct_free(cols);
    ct_free(vals);
    return rc;
}
