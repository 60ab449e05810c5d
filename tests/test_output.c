/* test_output.c — ct_format_double against the C library's %.17g, byte for byte: whole
 * numbers, the fast path's whole range (1e-4 <= |v| < 1e17) and beyond, values next to
 * powers of ten, exact decimal ties at the 17th digit, similarity-like values in [0, 1], and
 * random bit patterns; plus the TSV/CSV field escaping. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"

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
static void check_tsv_formatting(void)
{
    char out[64];
    const char *in = "a\tb\\c\nd\re 社区";
    size_t n = ct_format_tsv_field(out, sizeof out, in, strlen(in));
    CHECK(n == strlen("a\\tb\\\\c\\nd\\re 社区") && memcmp(out, "a\\tb\\\\c\\nd\\re 社区", n) == 0);
    CHECK(ct_format_tsv_field(out, 5, in, strlen(in)) == (size_t)-1);
    CHECK(ct_format_tsv_field(out, 1, "\\", 1) == (size_t)-1);
    n = ct_format_tsv_count_row(out, sizeof out, "社区", strlen("社区"), 1234567);
    CHECK(n == strlen("社区\t1234567\n") && memcmp(out, "社区\t1234567\n", n) == 0);
    n = ct_format_tsv_count_row(out, sizeof out, "a\tb", 3, 0);
    CHECK(n == strlen("a\\tb\t0\n") && memcmp(out, "a\\tb\t0\n", n) == 0);
    CHECK(ct_format_tsv_count_row(out, 10, "社区", strlen("社区"), 1) == 0);
}

int main(void)
{
    check_tsv_formatting();
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
