/* output.c — atomic output files and TSV/CSV field escaping (see output.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "output.h"

struct ct_out {
    FILE *f;
    int direct; /* a device or pipe opened directly (closed, never renamed) */
    char *name; /* for messages: the device's path (direct), else NULL */
    char *path; /* NULL for standard output */
    char *tmp;
};

int ct_out_open(ct_out **out, const char *path, ct_error *err)
{
    *out = NULL;
    ct_out *o = ct_calloc(1, sizeof *o);
    if (!o)
        return CT_ENOMEM;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        *out = o;
        return CT_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device or pipe (/dev/null, a FIFO): write to it directly; never replace it. */
        o->f = fopen(path, "wb");
        if (!o->f) {
            ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
            ct_free(o);
            return CT_EIO;
        }
        o->direct = 1;
        o->name = ct_strdup(path);
        if (!o->name) {
            ct_out_abort(o);
            return CT_ENOMEM;
        }
        *out = o;
        return CT_OK;
    }
    size_t n = strlen(path);
    o->path = ct_strdup(path);
    o->tmp = ct_malloc(n + 16);
    if (!o->path || !o->tmp) {
        ct_out_abort(o);
        return CT_ENOMEM;
    }
    snprintf(o->tmp, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_free(o->tmp);
        o->tmp = NULL;
        ct_out_abort(o);
        return CT_EIO;
    }
    /* mkstemp makes the file 0600; give the output the permissions a plain open would. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        close(fd);
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_out_abort(o);
        return CT_EIO;
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_out_abort(o);
        return CT_EIO;
    }
    *out = o;
    return CT_OK;
}

FILE *ct_out_file(ct_out *o)
{
    return o->f;
}

int ct_out_commit(ct_out *o, ct_error *err)
{
    int rc = CT_OK;
    int failed = fflush(o->f) != 0 || ferror(o->f);
    int saved = errno;
    if (o->direct) {
        if (fclose(o->f) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        o->f = NULL;
    }
    if (o->path) {
        if (!failed && fsync(fileno(o->f)) != 0 && errno != EINVAL) {
            failed = 1;
            saved = errno;
        }
        if (fclose(o->f) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        o->f = NULL;
        if (!failed && rename(o->tmp, o->path) != 0) {
            failed = 1;
            saved = errno;
        }
    }
    if (failed) {
        ct_error_set(err, o->path ? o->path : o->name ? o->name : "standard output", 0, -1,
                     "write failed: %s", strerror(saved ? saved : EIO));
        rc = CT_EIO;
        ct_out_abort(o);
        return rc;
    }
    ct_free(o->path);
    ct_free(o->tmp);
    ct_free(o->name);
    ct_free(o);
    return CT_OK;
}

void ct_out_abort(ct_out *o)
{
    if (!o)
        return;
    if (o->direct && o->f)
        fclose(o->f);
    if (o->path) {
        if (o->f)
            fclose(o->f);
        if (o->tmp)
            unlink(o->tmp);
    }
    ct_free(o->path);
    ct_free(o->tmp);
    ct_free(o->name);
    ct_free(o);
}

void ct_write_tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", f); break;
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        default: putc(*s, f);
        }
    }
}

void ct_write_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

void ct_write_double(FILE *f, double v)
{
    fprintf(f, "%.17g", v);
}
