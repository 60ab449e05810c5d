/* test_output.c — ct_format_double against the C library's %.17g, byte for byte: whole
 * numbers, the fast path's whole range (1e-4 <= |v| < 1e17) and beyond, values next to
 * powers of ten, exact decimal ties at the 17th digit, similarity-like values in [0, 1], and
 * random bit patterns; plus the TSV/CSV field escaping and the table writer (header row,
 * row ends, a leading quote in TSV, CSV quoting, fields longer than its buffer). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"
#include "table.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_u64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static long mismatches;

static void check_one(double v)
{
    char want[64], got[CT_DOUBLE_BUF + 1];
    snprintf(want, sizeof want, "%.17g", v);
    size_t n = ct_format_double(got, v);
    got[n] = '\0';
    if (strcmp(want, got) != 0) {
        if (mismatches < 10)
            fprintf(stderr, "%a: printf %s, ct_format_double %s\n", v, want, got);
        mismatches++;
    }
}

static void check_around(double v)
{
    double a = v, b = v;
    for (int i = 0; i < 20; i++) {
        check_one(a);
        check_one(b);
        check_one(-a);
        a = nextafter(a, 0.0);
        b = nextafter(b, INFINITY);
    }
}

/* The TSV escaper into buffers: each special byte as its two-character escape, the rest as
 * it is; (size_t)-1 when the room is short; rows of a term and a count. */
/* A table of two columns into a string: the header, one short row, one row with a field of
 * long_len bytes (a leading quote, then 'x', with a quote every 1000 bytes and at each 32 767 bytes
 * — where the long path cuts its pieces — and a tab every 1000). */
static char *table_text(ct_table_format fmt, size_t long_len, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    CHECK(f != NULL);
    static const char *const cols[] = {"term", "n"};
    ct_table *t;
    CHECK(ct_table_new(&t, f, fmt, cols, 2) == CT_OK);
    ct_table_text(t, "\"q\"");
    ct_table_u64(t, 7);
    char *big = malloc(long_len + 1);
    CHECK(big != NULL);
    for (size_t i = 0; i < long_len; i++)
        big[i] = i % 1000 == 0 || i % 32767 == 0 ? '"' : i % 1000 == 500 ? '\t' : 'x';
    big[long_len] = '\0';
    ct_table_text(t, big);
    ct_table_double(t, 0.5);
    CHECK(ct_table_finish(t) == CT_OK);
    fclose(f);
    free(big);
    return buf;
}

static void check_table(void)
{
    size_t len;
    char *s = table_text(CT_TABLE_TSV, 10, &len);
    CHECK(strcmp(s, "term\tn\n\\\"q\"\t7\n\\\"xxxxxxxxx\t0.5\n") == 0);
    free(s);
    s = table_text(CT_TABLE_CSV, 10, &len);
    CHECK(strcmp(s, "\"term\",\"n\"\n\"\"\"q\"\"\",7\n\"\"\"xxxxxxxxx\",0.5\n") == 0);
    free(s);
    /* Longer than the 64 KiB buffer: the same bytes as the short path would give. */
    size_t big = 200000;
    for (int fmt = 0; fmt < 2; fmt++) {
        s = table_text((ct_table_format)fmt, big, &len);
        char *expect = malloc(2 * big + 64), *e = expect;
        CHECK(expect != NULL);
        e += sprintf(e, fmt ? "\"term\",\"n\"\n\"\"\"q\"\"\",7\n\"" : "term\tn\n\\\"q\"\t7\n");
        for (size_t i = 0; i < big; i++) {
            char c = i % 1000 == 0 || i % 32767 == 0 ? '"' : i % 1000 == 500 ? '\t' : 'x';
            if (c == '"' && fmt)
                *e++ = '"';
            else if (c == '"' && i == 0)
                *e++ = '\\';
            if (c == '\t' && !fmt) {
                *e++ = '\\';
                c = 't';
            }
            *e++ = c;
        }
        e += sprintf(e, fmt ? "\",0.5\n" : "\t0.5\n");
        CHECK(len == (size_t)(e - expect) && memcmp(s, expect, len) == 0);
        free(expect);
        free(s);
    }
    /* A CSV field of nothing but quotes, twice the buffer: every quote doubled. */
    {
        size_t q = 140000;
        char *quotes = malloc(q + 1), *buf = NULL;
        CHECK(quotes != NULL);
        memset(quotes, '"', q);
        quotes[q] = '\0';
        FILE *f = open_memstream(&buf, &len);
        static const char *const one[] = {"q"};
        ct_table *t;
        CHECK(ct_table_new(&t, f, CT_TABLE_CSV, one, 1) == CT_OK);
        ct_table_text(t, quotes);
        CHECK(ct_table_finish(t) == CT_OK);
        fclose(f);
        int ok = len == 4 + 2 * q + 3 && memcmp(buf, "\"q\"\n\"", 5) == 0 && buf[len - 1] == '\n' &&
                 buf[len - 2] == '"';
        for (size_t i = 5; ok && i < len - 2; i++)
            ok = buf[i] == '"';
        CHECK(ok);
        free(buf);
        free(quotes);
    }
    ct_table_format f;
    CHECK(ct_table_format_from_name("csv", &f) == CT_OK && f == CT_TABLE_CSV);
    CHECK(ct_table_format_from_name("xlsx", &f) == CT_EINVAL);
}

static void check_tsv_formatting(void)
{
    char out[64];
    const char *in = "a\tb\\c\nd\re 社区";
    size_t n = ct_format_tsv_field(out, sizeof out, in, strlen(in));
    CHECK(n == strlen("a\\tb\\\\c\\nd\\re 社区") && memcmp(out, "a\\tb\\\\c\\nd\\re 社区", n) == 0);
    CHECK(ct_format_tsv_field(out, 5, in, strlen(in)) == (size_t)-1);
    CHECK(ct_format_tsv_field(out, 1, "\\", 1) == (size_t)-1);
    n = ct_format_tsv_field(out, sizeof out, "\"a\"b", 4); /* only a leading quote escaped */
    CHECK(n == 5 && memcmp(out, "\\\"a\"b", 5) == 0);
    n = ct_format_tsv_count_row(out, sizeof out, "社区", strlen("社区"), 1234567);
    CHECK(n == strlen("社区\t1234567\n") && memcmp(out, "社区\t1234567\n", n) == 0);
    n = ct_format_tsv_count_row(out, sizeof out, "a\tb", 3, 0);
    CHECK(n == strlen("a\\tb\t0\n") && memcmp(out, "a\\tb\t0\n", n) == 0);
    CHECK(ct_format_tsv_count_row(out, 10, "社区", strlen("社区"), 1) == 0);
}

int main(void)
{
    check_tsv_formatting();
    check_table();
    static const double fixed[] = {0.0,
                                   -0.0,
                                   1.0,
                                   -1.0,
                                   0.5,
                                   0.1,
                                   0.2,
                                   0.3,
                                   1.0 / 3,
                                   2.0 / 3,
                                   0.99999999999999989,
                                   1e-4,
                                   9.9999999999999991e-5,
                                   1e15,
                                   1e16,
                                   1e17,
                                   123456789012345678.0,
                                   1e-300,
                                   5e-324,
                                   1e300,
                                   INFINITY,
                                   -INFINITY,
                                   NAN,
                                   0.125,
                                   2.5,
                                   1e15 + 0.5};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        check_one(fixed[i]);
    /* next to every power of ten the fast path decides on */
    for (int x = -6; x <= 18; x++)
        check_around(pow(10.0, x));
    /* exact ties at the 17th significant digit: k / 2^n has a terminating expansion */
    for (int nbits = 50; nbits <= 62; nbits++)
        for (int i = 0; i < 2000; i++) {
            double v = ldexp((double)(next_u64() >> 11), -nbits);
            check_one(v);
            check_one(ldexp((double)((next_u64() >> 40) | 1), -(int)(next_u64() % 40)));
        }
    /* similarity-like values and general magnitudes */
    for (int i = 0; i < 300000; i++) {
        uint64_t u = next_u64();
        double unit = (double)(u >> 11) / 9007199254740992.0;
        check_one(unit);
        check_one(unit * unit * unit);
        check_one(ldexp(1.0 + unit, (int)(next_u64() % 80) - 20));
        double bits;
        u = next_u64();
        memcpy(&bits, &u, sizeof bits);
        check_one(bits);
    }
    CHECK_INT(mismatches, 0);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    ct_write_double(f, 0.25);
    putc(' ', f);
    ct_write_tsv_field(f, "a\tb\\c\n");
    putc(' ', f);
    ct_write_csv_field(f, "x,\"y\"");
    fclose(f);
    CHECK(strcmp(buf, "0.25 a\\tb\\\\c\\n \"x,\"\"y\"\"\"") == 0);
    free(buf);
    return check_finish();
}
