/* output.c — atomic output files and TSV/CSV field escaping (see output.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
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

/* The process's umask, read without changing it where Linux allows (/proc/self/status). */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned mask;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &mask) == 1) {
                fclose(f);
                return (mode_t)mask;
            }
        fclose(f);
    }
    mode_t m = umask(022);
    umask(m);
    return m;
}

/* mkstemp makes the temporary file 0600; give it the mode the output would have had if
 * opened with fopen (0666 minus the umask), or the mode of the file it replaces. */
static void set_output_mode(int fd, const char *path)
{
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask());
    (void)fchmod(fd, mode); /* best effort: the data matter more than the mode */
}

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
    set_output_mode(fd, path);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_out_abort(o);
        return CT_EIO;
    }
    setvbuf(o->f, NULL, _IOFBF, (size_t)1 << 18); /* large outputs: fewer, larger writes */
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
        ct_error_set(err,
                     o->path   ? o->path
                     : o->name ? o->name
                               : "standard output",
                     0, -1, "write failed: %s", strerror(saved ? saved : EIO));
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
    for (;;) {
        size_t plain = strcspn(s, "\\\t\n\r"); /* written as it is, in one piece */
        fwrite(s, 1, plain, f);
        s += plain;
        if (!*s)
            return;
        fputs(*s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\r", f);
        s++;
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

void ct_write_u64(FILE *f, uint64_t u)
{
    char buf[24];
    size_t n = sizeof buf;
    do {
        buf[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    fwrite(buf + n, 1, sizeof buf - n, f);
}

size_t ct_format_tsv_count_row(char *out, size_t room, const char *term, size_t len,
                               uint64_t count)
{
    if (len + 22 > room)
        return 0;
    for (size_t i = 0; i < len; i++) { /* copied and checked in one go */
        unsigned char c = (unsigned char)term[i];
        if (c <= '\\' && (c == '\\' || c == '\t' || c == '\n' || c == '\r'))
            return 0; /* needs escaping */
        out[i] = (char)c;
    }
    out[len++] = '\t';
    size_t digits = 1;
    for (uint64_t v = count; v >= 10; v /= 10)
        digits++;
    for (size_t d = digits; d-- > 0; count /= 10)
        out[len + d] = (char)('0' + count % 10);
    len += digits;
    out[len++] = '\n';
    return len;
}

void ct_write_tsv_count_row(FILE *f, const char *term, uint64_t count)
{
    char line[96];
    size_t n = ct_format_tsv_count_row(line, sizeof line, term, strlen(term), count);
    if (n) {
        fwrite(line, 1, n, f);
        return;
    }
    ct_write_tsv_field(f, term);
    putc('\t', f);
    ct_write_u64(f, count);
    putc('\n', f);
}

void ct_write_double(FILE *f, double v)
{
    /* Counts are whole numbers, and printf's %g is slow: print those digit by digit. For
     * |v| < 1e15 the digits are exactly what %.17g prints. */
    if (v == v && v > -1e15 && v < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
        long long x = (long long)v;
        if (x < 0)
            putc('-', f);
        ct_write_u64(f, x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x);
        return;
    }
    fprintf(f, "%.17g", v);
}
