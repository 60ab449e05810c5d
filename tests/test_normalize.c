/* test_normalize.c — Unicode normalisation (comptext/normalize.h): NFKC of compatibility
 * forms (full-width digits and letters, circled digits, square ligatures), case folding
 * (ß, Greek sigma), each switched off on its own, combining marks composed, the origin map
 * from output bytes back to original byte offsets (also through expanding clusters), and
 * invalid UTF-8 refused with CT_EENCODING. Expected strings are written out as UTF-8
 * escapes from the Unicode data files (UnicodeData.txt, CaseFolding.txt), not from
 * the code under test. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static const unsigned NK = CT_NORM_NFKC | CT_NORM_CASEFOLD;

/* Normalise text with flags; returns a static copy of the result or a "(rc …)" marker. */
static const char *norm(const char *text, unsigned flags)
{
    static char buf[4096];
    char *out = NULL;
    size_t out_len = 0;
    int rc = ct_normalize(text, strlen(text), flags, &out, &out_len, NULL);
    if (rc != CT_OK) {
        snprintf(buf, sizeof buf, "(rc %d)", rc);
        return buf;
    }
    if (strlen(out) != out_len)
        snprintf(buf, sizeof buf, "(length %zu but strlen %zu)", out_len, strlen(out));
    else
        snprintf(buf, sizeof buf, "%s", out);
    ct_free(out);
    return buf;
}

/* Check that the origin map of text under flags equals expect (out_len + 1 entries). */
static void check_origin(const char *text, unsigned flags, const char *expect_out,
                         const size_t *expect, size_t n_expect, int line)
{
    char *out = NULL;
    size_t out_len = 0, *origin = NULL;
    int rc = ct_normalize(text, strlen(text), flags, &out, &out_len, &origin);
    CHECK_INT(rc, CT_OK);
    if (rc != CT_OK)
        return;
    CHECK_STR(out, expect_out);
    CHECK_INT(out_len + 1, n_expect);
    if (out_len + 1 == n_expect) {
        for (size_t i = 0; i < n_expect; i++) {
            check_count++;
            if (origin[i] != expect[i]) {
                check_failed++;
                fprintf(stderr, "line %d: origin[%zu] == %zu, expected %zu\n", line, i, origin[i],
                        expect[i]);
            }
        }
    }
    ct_free(out);
    ct_free(origin);
}

/* Every output byte's origin must be the start of a code point of the input, the map must
 * not decrease, and the last entry is the input length. */
static void check_origin_shape(const char *text, unsigned flags)
{
    char *out = NULL;
    size_t out_len = 0, *origin = NULL, len = strlen(text);
    CHECK_INT(ct_normalize(text, len, flags, &out, &out_len, &origin), CT_OK);
    if (!out)
        return;
    CHECK_INT(origin[out_len], len);
    for (size_t i = 0; i < out_len; i++) {
        CHECK(origin[i] < len);
        CHECK(((unsigned char)text[origin[i]] & 0xC0) != 0x80);
        if (i)
            CHECK(origin[i] >= origin[i - 1]);
    }
    ct_free(out);
    ct_free(origin);
}

/* Without an origin map, ct_normalize copies spans of unchanged code points and reuses the
 * mappings of one-code-point clusters it has met; with one, it goes cluster by cluster. The
 * two must give the same text, on the first meeting of a mapping and on later ones. */
static void check_fast_path(const char *text, unsigned flags)
{
    size_t len = strlen(text);
    char *slow = NULL;
    size_t slow_len = 0, *origin = NULL;
    CHECK_INT(ct_normalize(text, len, flags, &slow, &slow_len, &origin), CT_OK);
    for (int round = 0; round < 2; round++) {
        char *fast = NULL;
        size_t fast_len = 0;
        CHECK_INT(ct_normalize(text, len, flags, &fast, &fast_len, NULL), CT_OK);
        check_count++;
        if (!slow || !fast || fast_len != slow_len || memcmp(fast, slow, slow_len) != 0) {
            check_failed++;
            fprintf(stderr, "fast path differs (round %d, flags %u) on: %s\n", round, flags, text);
        }
        ct_free(fast);
    }
    ct_free(slow);
    ct_free(origin);
}

int main(void)
{
    /* Mappings next to what may join their cluster: marks, ZWJ, prepended signs, Hangul jamo,
     * regional indicators, CR LF; full-width forms in and out of spans. */
    static const char *const mixed[] = {
        "社区，建设：２００９年（草案）",
        "，\xcc\x81，，\xef\xbc\xa1\xcc\x81Ａ。",
        "\xd8\x80"
        "123，\xd8\x80\xef\xbc\x8c",
        "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8，\xea\xb0\x80\xe1\x86\xa8",
        "\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3，\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9，",
        "a\r\n，\r，\n\xef\xbc\x8c\xe2\x80\x8d\xef\xbc\x8c",
        "①②ﬁ㍿Straße ΣΑΣ，ｶﾞ，ｶ\xef\xbe\x9e",
    };
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof mixed / sizeof *mixed; i++) {
            check_fast_path(mixed[i], NK);
            check_fast_path(mixed[i], CT_NORM_NFKC);
            check_fast_path(mixed[i], CT_NORM_CASEFOLD);
        }

    /* NFKC: full-width digits and letters (U+FF10.., U+FF21..), then case folding. */
    CHECK_STR(norm("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91", NK), "2001");
    CHECK_STR(norm("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", NK), "abc");
    CHECK_STR(norm("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", CT_NORM_NFKC), "ABC");
    /* ① U+2460 → 1; ㍿ U+337F → 株式会社; ﬁ U+FB01 → fi; ideographic space U+3000 → ' '. */
    CHECK_STR(norm("\xe2\x91\xa0", NK), "1");
    CHECK_STR(norm("\xe3\x8d\xbf", NK), "\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe");
    CHECK_STR(norm("\xef\xac\x81", CT_NORM_NFKC), "fi");
    CHECK_STR(norm("a\xe3\x80\x80"
                   "b",
                   CT_NORM_NFKC),
              "a b");
    /* Han and ASCII pass through unchanged. */
    CHECK_STR(norm("社区建设 2009 ok.", NK), "社区建设 2009 ok.");
    /* Case folding: ß → ss; Σ (U+03A3) and final ς (U+03C2) both fold to σ (U+03C3). */
    CHECK_STR(norm("Stra\xc3\x9f"
                   "e",
                   NK),
              "strasse");
    CHECK_STR(norm("Stra\xc3\x9f"
                   "e",
                   CT_NORM_CASEFOLD),
              "strasse");
    CHECK_STR(norm("\xce\xa3\xce\x9f\xce\xa6\xce\x9f\xce\xa3", NK),
              "\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x83");
    CHECK_STR(norm("\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x82", NK),
              "\xcf\x83\xce\xbf\xcf\x86\xce\xbf\xcf\x83");
    CHECK_STR(norm("\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", NK),
              "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"); /* МОСКВА → москва */

    /* Switching each off. Casefold off: ß and Σ stay; NFKC off: full-width stays
     * full-width but still folds case (Ａ U+FF21 → ａ U+FF41); both off: unchanged. */
    CHECK_STR(norm("Stra\xc3\x9f"
                   "e",
                   CT_NORM_NFKC),
              "Stra\xc3\x9f"
              "e");
    CHECK_STR(norm("\xce\xa3\xcf\x82", CT_NORM_NFKC), "\xce\xa3\xcf\x82");
    CHECK_STR(norm("\xef\xbc\xa1\xef\xbc\x91", CT_NORM_CASEFOLD), "\xef\xbd\x81\xef\xbc\x91");
    CHECK_STR(norm("\xe2\x91\xa0\xe3\x8d\xbf", CT_NORM_CASEFOLD), "\xe2\x91\xa0\xe3\x8d\xbf");
    CHECK_STR(norm("\xef\xbc\xa1\xe2\x91\xa0Stra\xc3\x9f"
                   "e",
                   0),
              "\xef\xbc\xa1\xe2\x91\xa0Stra\xc3\x9f"
              "e");

    /* Combining marks: e + U+0301 composes to é (U+00E9) under NFKC; É + casefold → é;
     * without NFKC the decomposed form stays decomposed (only the case changes). */
    CHECK_STR(norm("cafe\xcc\x81", NK), "caf\xc3\xa9");
    CHECK_STR(norm("CAFE\xcc\x81", NK), "caf\xc3\xa9");
    CHECK_STR(norm("CAFE\xcc\x81", CT_NORM_CASEFOLD), "cafe\xcc\x81");
    CHECK_STR(norm("cafe\xcc\x81", 0), "cafe\xcc\x81");
    /* a + U+0323 (ccc 220) + U+0302 (ccc 230), already in canonical order, → ậ U+1EAD. (The
     * other order is a known bug: tests/test_known_bugs.c.) */
    CHECK_STR(norm("a\xcc\xa3\xcc\x82", NK), "\xe1\xba\xad");
    /* Hangul jamo L + V compose to a syllable (ᄀ U+1100 + ᅡ U+1161 → 가 U+AC00). */
    CHECK_STR(norm("\xe1\x84\x80\xe1\x85\xa1", NK), "\xea\xb0\x80");

    /* Empty input. */
    {
        char *out = NULL;
        size_t out_len = 99, *origin = NULL;
        CHECK_INT(ct_normalize("", 0, NK, &out, &out_len, &origin), CT_OK);
        CHECK_STR(out, "");
        CHECK_INT(out_len, 0);
        CHECK(origin && origin[0] == 0);
        ct_free(out);
        ct_free(origin);
    }

    /* The origin map: one entry an output byte, plus the input length. */
    {
        /* "Ａ社" → "a社": a from byte 0; 社 (3 bytes) from byte 3. */
        const size_t e1[] = {0, 3, 3, 3, 6};
        check_origin("\xef\xbc\xa1社", NK, "a社", e1, 5, __LINE__);
        /* "x㍿y": 株式会社 (12 bytes) all from byte 1 (the expanding cluster); y from 4. */
        const size_t e2[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 5};
        check_origin("x\xe3\x8d\xbfy", NK,
                     "x\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe"
                     "y",
                     e2, 15, __LINE__);
        /* "ßX": ss both from byte 0, x from byte 2. */
        const size_t e3[] = {0, 0, 2, 3};
        check_origin("\xc3\x9fX", NK, "ssx", e3, 4, __LINE__);
        /* "e + U+0301 + 社": é (2 bytes) from 0 (the cluster), 社 from 3. */
        const size_t e4[] = {0, 0, 3, 3, 3, 6};
        check_origin("e\xcc\x81社", NK, "\xc3\xa9社", e4, 6, __LINE__);
        /* Without normalisation the map is the identity at cluster starts: the two bytes of
         * U+0301 belong to the cluster that starts at e. */
        const size_t e5[] = {0, 0, 0, 3, 3, 3, 6};
        check_origin("e\xcc\x81社", 0, "e\xcc\x81社", e5, 7, __LINE__);
        /* ①② → 12: each digit from its own circled digit. */
        const size_t e6[] = {0, 3, 6};
        check_origin("\xe2\x91\xa0\xe2\x91\xa1", NK, "12", e6, 3, __LINE__);
        /* CRLF is one grapheme cluster: both bytes map to the CR. */
        const size_t e7[] = {0, 1, 1, 3};
        check_origin("a\r\n", NK, "a\r\n", e7, 4, __LINE__);
        check_origin_shape(
            "Ｔｅｓｔ ①㍿ﬁ Straße ΣΟΦΟΣ cafe\xcc\x81 家👨‍👩‍👧庭 "
            "社区",
            NK);
        check_origin_shape("Ｔｅｓｔ ①㍿ﬁ Straße", CT_NORM_CASEFOLD);
    }

    /* Invalid UTF-8 → CT_EENCODING (under every flag combination). */
    {
        const char *bad[] = {
            "\xff",             /* never valid */
            "ok\x80",           /* lone continuation byte */
            "\xc0\xaf",         /* overlong '/' */
            "\xe0\x80\xaf",     /* overlong, 3 bytes */
            "\xf0\x80\x80\xaf", /* overlong, 4 bytes */
            "\xed\xa0\x80",     /* surrogate U+D800 */
            "\xf4\x90\x80\x80", /* above U+10FFFF */
            "\xe7\xa4",         /* truncated 社 at the end */
            "\xe7\xa4社",       /* truncated in the middle */
        };
        const unsigned flag_sets[] = {NK, CT_NORM_NFKC, CT_NORM_CASEFOLD, 0};
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
            for (size_t f = 0; f < 4; f++) {
                char *out = (char *)"not touched";
                size_t out_len = 0;
                int rc = ct_normalize(bad[i], strlen(bad[i]), flag_sets[f], &out, &out_len, NULL);
                check_count++;
                if (rc != CT_EENCODING) {
                    check_failed++;
                    fprintf(stderr, "bad input %zu with flags %u: rc %d, expected CT_EENCODING\n",
                            i, flag_sets[f], rc);
                }
                CHECK(out == NULL);
                if (rc == CT_OK)
                    ct_free(out);
            }
    }
    /* Combining marks out of canonical order still compose (UAX #15): a + U+0302 (ccc 230)
     * + U+0323 (ccc 220) is ậ; without a precomposed form they end in canonical order. */
    {
        char *out;
        size_t len;
        CHECK_INT(
            ct_normalize("a\xcc\x82\xcc\xa3", 5, CT_NORM_NFKC | CT_NORM_CASEFOLD, &out, &len, NULL),
            CT_OK);
        CHECK_STR(out, "\xe1\xba\xad");
        ct_free(out);
        CHECK_INT(
            ct_normalize("q\xcc\x82\xcc\xa3", 5, CT_NORM_NFKC | CT_NORM_CASEFOLD, &out, &len, NULL),
            CT_OK);
        CHECK_STR(out, "q\xcc\xa3\xcc\x82");
        ct_free(out);
    }
    return check_finish();
}
