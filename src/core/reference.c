/* reference.c — loading a background reference list (comptext/reference.h): a hash table
 * of the terms (termtab) with their counts and document counts, and the two totals. The
 * list is read whole; the shipped one is about twenty thousand lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/reference.h"
#include "datadir.h"
#include "encoding.h"
#include "lines.h"
#include "termtab.h"

struct ct_reference {
    ct_termtab *terms;
    double *count, *docs; /* by term id */
    size_t cap;
    size_t documents;
    double tokens;
};

void ct_reference_free(ct_reference *r)
{
    if (!r)
        return;
    ct_termtab_free(r->terms);
    ct_free(r->count);
    ct_free(r->docs);
    ct_free(r);
}

/* A non-negative finite number filling s[0, n). */
static int parse_number(const char *s, size_t n, double *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno || !(v >= 0) || v > 1e300)
        return -1;
    *out = v;
    return 0;
}

static int add(ct_reference *r, const char *term, size_t len, double count, double docs, int *dup)
{
    uint32_t id;
    int is_new;
    int rc = ct_termtab_intern(r->terms, term, len, &id, &is_new);
    if (rc != CT_OK)
        return rc;
    *dup = !is_new;
    if (!is_new)
        return CT_OK;
    if (id >= r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 1024;
        double *c = ct_realloc(r->count, cap * sizeof *c);
        if (!c)
            return CT_ENOMEM;
        r->count = c;
        double *d = ct_realloc(r->docs, cap * sizeof *d);
        if (!d)
            return CT_ENOMEM;
        r->docs = d;
        r->cap = cap;
    }
    r->count[id] = count;
    r->docs[id] = docs;
    return CT_OK;
}

int ct_reference_load(ct_reference **out, const char *path, ct_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    int rc = ct_read_utf8_file(path, "a reference list", &text, &len, err);
    if (rc != CT_OK)
        return rc;
    ct_reference *r = ct_calloc(1, sizeof *r);
    if (!r || (rc = ct_termtab_new(&r->terms)) != CT_OK) {
        ct_free(text);
        ct_reference_free(r);
        return CT_ENOMEM;
    }
    size_t pos = 0;
    long line_no = 0;
    const char *line;
    size_t n;
    int have_docs = 0, have_tokens = 0, have_header = 0;
    double docs_total = 0;
    while (rc == CT_OK && (line = ct_line_next(text, len, &pos, &n))) {
        line_no++;
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        if (memchr(line, '\0', n)) {
            ct_error_set(err, path, line_no, -1, "NUL byte in the reference list");
            rc = CT_EINPUT;
            break;
        }
        if (line[0] == '#') {
            double v;
            if (n > 12 && memcmp(line, "# documents ", 12) == 0 &&
                parse_number(line + 12, n - 12, &v) == 0 && v >= 1 && v == (double)(size_t)v) {
                docs_total = v;
                have_docs = 1;
            } else if (n > 9 && memcmp(line, "# tokens ", 9) == 0 &&
                       parse_number(line + 9, n - 9, &v) == 0 && v > 0) {
                r->tokens = v;
                have_tokens = 1;
            }
            continue;
        }
        if (!have_header) {
            if (n != strlen("term\tcount\tdocuments") ||
                memcmp(line, "term\tcount\tdocuments", n) != 0) {
                ct_error_set(err, path, line_no, -1,
                             "the header row must be \"term<TAB>count<TAB>documents\"");
                rc = CT_EINPUT;
                break;
            }
            if (!have_docs || !have_tokens) {
                ct_error_set(err, path, line_no, -1,
                             "the totals \"# documents D\" and \"# tokens N\" must come before "
                             "the header row");
                rc = CT_EINPUT;
                break;
            }
            have_header = 1;
            continue;
        }
        const char *t1 = memchr(line, '\t', n);
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line + n - t1 - 1)) : NULL;
        double count, docs;
        if (!t1 || !t2 || t1 == line || memchr(t2 + 1, '\t', (size_t)(line + n - t2 - 1)) ||
            parse_number(t1 + 1, (size_t)(t2 - t1 - 1), &count) != 0 ||
            parse_number(t2 + 1, (size_t)(line + n - t2 - 1), &docs) != 0 || count > r->tokens ||
            docs > docs_total) {
            ct_error_set(err, path, line_no, -1,
                         "expected term<TAB>count<TAB>documents with counts within the totals");
            rc = CT_EINPUT;
            break;
        }
        int dup;
        if ((rc = add(r, line, (size_t)(t1 - line), count, docs, &dup)) == CT_OK && dup) {
            ct_error_set(err, path, line_no, -1, "the term \"%.*s\" is listed twice",
                         (int)(t1 - line), line);
            rc = CT_EINPUT;
        }
    }
    if (rc == CT_OK && !have_header) {
        ct_error_set(err, path, line_no, -1,
                     "no header row \"term<TAB>count<TAB>documents\": not a reference list");
        rc = CT_EINPUT;
    }
    ct_free(text);
    if (rc != CT_OK) {
        ct_reference_free(r);
        return rc;
    }
    r->documents = (size_t)docs_total;
    *out = r;
    return CT_OK;
}

size_t ct_reference_size(const ct_reference *r)
{
    return ct_termtab_size(r->terms);
}

size_t ct_reference_documents(const ct_reference *r)
{
    return r->documents;
}

double ct_reference_tokens(const ct_reference *r)
{
    return r->tokens;
}

int ct_reference_lookup(const ct_reference *r, const char *term, size_t len, double *count,
                        double *docs)
{
    uint32_t id;
    if (ct_termtab_find(r->terms, term, len, &id) != CT_OK) {
        *count = *docs = 0;
        return 0;
    }
    *count = r->count[id];
    *docs = r->docs[id];
    return 1;
}

const char *ct_reference_default_path(void)
{
    return ct_data_path("reference/gov-reports.tsv");
}
