/* output.c — atomic output files and TSV/CSV field escaping (see output.h). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
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
    if (*s == '"') { /* a leading quote would start a quoted field for a CSV reader */
        fputs("\\\"", f);
        s++;
    }
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

size_t ct_format_tsv_field(char *out, size_t room, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    if (len && s[0] == '"') { /* a leading quote would start a quoted field for a CSV reader */
        if (room < 2)
            return (size_t)-1;
        out[o++] = '\\';
        out[o++] = '"';
        i = 1;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= '\\' && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
            if (o + 2 > room)
                return (size_t)-1;
            out[o++] = '\\';
            out[o++] = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        } else {
            if (o + 1 > room)
                return (size_t)-1;
            out[o++] = (char)c;
        }
    }
    return o;
}

size_t ct_format_tsv_count_row(char *out, size_t room, const char *term, size_t len, uint64_t count)
{
    if (room < 22)
        return 0;
    size_t at = ct_format_tsv_field(out, room - 22, term, len);
    if (at == (size_t)-1)
        return 0;
    out[at++] = '\t';
    size_t digits = 1;
    for (uint64_t v = count; v >= 10; v /= 10)
        digits++;
    for (size_t d = digits; d-- > 0; count /= 10)
        out[at + d] = (char)('0' + count % 10);
    at += digits;
    out[at++] = '\n';
    return at;
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

#ifdef __SIZEOF_INT128__
/* %.17g for 1e-4 <= v < 1e17 with exact integer arithmetic: v = m·2^e (m < 2^53), and its 17
 * significant digits are D = m·5^q·2^(q+e) rounded to an integer, q = 16 − X where
 * 10^X <= v < 10^(X+1). m·5^q < 2^53·5^20 < 2^100 fits 128 bits, so the rounding (half to
 * even on an exact tie, as glibc's printf in the default rounding mode) is exact. %g then
 * prints X + 1 integer digits (or "0"), the point and the q decimals without trailing zeros.
 * Returns the length, or 0 when v is outside the range or the rounding carries into an
 * 18th digit (left to printf). */
static size_t format_g17(char *buf, double v)
{
    static const double pow10[] = {1e-4, 1e-3, 1e-2, 1e-1, 1e0,  1e1, 1e2,  1e3,
                                   1e4,  1e5,  1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    /* The doubles nearest 10^-1 … 10^-4 lie above them and the others are exact, so
     * v >= pow10[i] exactly when v >= 10^(i-4). */
    if (!(v >= 1e-4 && v < 1e17))
        return 0;
    int X = -4;
    while (v >= pow10[X + 5])
        X++;
    int k;
    double fr = frexp(v, &k); /* v = fr·2^k, 0.5 <= fr < 1 */
    uint64_t m = (uint64_t)ldexp(fr, 53);
    int e = k - 53, q = 16 - X, s = q + e;
    uint64_t five = 1;
    for (int i = 0; i < q; i++)
        five *= 5; /* 5^20 < 2^47 */
    unsigned __int128 P = (unsigned __int128)m * five;
    uint64_t D;
    if (s >= 0) {
        D = (uint64_t)(P << s);
    } else {
        int r = -s; /* 1 … 71: r >= 128 cannot happen for v >= 1e-4 */
        unsigned __int128 half = (unsigned __int128)1 << (r - 1), rem = P & ((half << 1) - 1);
        D = (uint64_t)(P >> r);
        if (rem > half || (rem == half && (D & 1)))
            D++;
    }
    if (D >= 100000000000000000ULL)
        return 0;
    char dig[17];
    for (int i = 16; i >= 0; i--) {
        dig[i] = (char)('0' + D % 10);
        D /= 10;
    }
    size_t n = 0;
    int last = 16; /* the last digit to print: trailing zeros of the decimals go */
    while (last > X && dig[last] == '0')
        last--;
    if (X < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = -1; i > X; i--)
            buf[n++] = '0';
        memcpy(buf + n, dig, (size_t)last + 1);
        n += (size_t)last + 1;
    } else {
        memcpy(buf + n, dig, (size_t)X + 1);
        n += (size_t)X + 1;
        if (last > X) {
            buf[n++] = '.';
            memcpy(buf + n, dig + X + 1, (size_t)(last - X));
            n += (size_t)(last - X);
        }
    }
    return n;
}
#endif

size_t ct_format_double(char *buf, double v)
{
    /* Counts are whole numbers: digit by digit. For |v| < 1e15 the digits are exactly what
     * %.17g prints. */
    if (v == v && v > -1e15 && v < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
        char tmp[24];
        size_t n = sizeof tmp;
        long long x = (long long)v;
        unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        do {
            tmp[--n] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x < 0)
            tmp[--n] = '-';
        memcpy(buf, tmp + n, sizeof tmp - n);
        return sizeof tmp - n;
    }
#ifdef __SIZEOF_INT128__
    /* printf's %g is slow (a fifth of `comptext similarity`'s time went into it) */
    if (signbit(v)) {
        size_t n = format_g17(buf + 1, -v);
        if (n) {
            buf[0] = '-';
            return n + 1;
        }
    } else {
        size_t n = format_g17(buf, v);
        if (n)
            return n;
    }
#endif
    return (size_t)snprintf(buf, CT_DOUBLE_BUF, "%.17g", v);
}

void ct_write_double(FILE *f, double v)
{
    char buf[CT_DOUBLE_BUF];
    fwrite(buf, 1, ct_format_double(buf, v), f);
}
