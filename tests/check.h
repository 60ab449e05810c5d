/* check.h — the tiny assertion harness of the C test programs.
 *
 * CHECK(cond) records a failure with file and line and goes on; a test program ends with
 * `return check_finish();`, which prints "N checks, N failed" and returns 1 on any failure.
 * A test that cannot run (a peer or a shared corpus is missing) returns CHECK_SKIP (77, which
 * meson reports as SKIP) after saying why. */
#ifndef CT_CHECK_H
#define CT_CHECK_H

#include <stdio.h>
#include <string.h>

#define CHECK_SKIP 77

static int check_count, check_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        check_count++;                                                                             \
        if (check_a_ != check_b_) {                                                                \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a,    \
                    check_a_, #b, check_b_);                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        check_count++;                                                                             \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                           \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,      \
                    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");               \
        }                                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double check_a_ = (a), check_b_ = (b);                                                     \
        check_count++;                                                                             \
        if (!(check_a_ - check_b_ <= (tol) && check_b_ - check_a_ <= (tol))) {                     \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: %s == %.17g, expected %.17g\n", __FILE__, __LINE__, #a,        \
                    check_a_, check_b_);                                                           \
        }                                                                                          \
    } while (0)

static inline int check_finish(void)
{
    printf("%d checks, %d failed\n", check_count, check_failed);
    return check_failed ? 1 : 0;
}

#endif
