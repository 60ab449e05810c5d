/* test_known_bugs.c — checks of bugs found in files this test's author was not to edit
 * (src/normalize.c, src/charclass.c/src/tokenize.c belong to the lead). Each bug is one
 * argument; meson runs each as a should_fail test, so the suite passes while the bug is
 * there and reports an unexpected pass once it is fixed: then move the checks into the
 * module's own test program and drop the entry from tests/meson.build.
 *
 * mark-order (src/normalize.c): a cluster is decomposed code point by code point with
 *   utf8proc_decompose_char, which does not sort combining marks into canonical order
 *   (utf8proc_decompose does), so marks written out of order do not compose: a + U+0302
 *   (ccc 230) + U+0323 (ccc 220) gives â + U+0323 instead of ậ U+1EAD, which is the NFKC of
 *   both orders (UAX #15; utf8proc_NFKC_Casefold and Python's unicodedata agree).
 *
 * han-zero (src/charclass.c): 〇 U+3007 IDEOGRAPHIC NUMBER ZERO is category Nl (letter
 *   number), script Han, East Asian width W; the classifier sends every category but
 *   L*, Nd and M* to BOUNDARY, so 二〇三五年 (2035, as written in the government work
 *   reports: 二〇三五年远景目标) is cut into 二 | 三五年 and 一九五〇年 into 一九五 | 年. Issue 2
 *   cuts runs only at whitespace, punctuation, symbols, controls and script changes; 〇 is
 *   none of these. (Suggested fix: a wide Nl code point is CJK.)
 *
 * decimal-nonascii (src/tokenize.c, minor): a '.' joins a number only when the digit after
 *   it is ASCII (the check is s[i + 1] < 0x80), while the documented rule is "a '.' between
 *   digits": ١.٢ (Arabic-Indic) and, with --no-nfkc, ２２.４ (full-width digits) are cut in
 *   two numbers. (Suggested fix: decode the code point after the '.' and ask its class.) */
#include <string.h>

#include "check.h"
#include "comptext.h"

static int collect(void *ctx, const ct_token *t)
{
    char *buf = ctx;
    size_t used = strlen(buf);
    snprintf(buf + used, 1024 - used, "%s%.*s", used ? "|" : "", (int)t->len, t->text);
    return 0;
}

static const char *tok(const char *text, int lo, int hi)
{
    static char buf[1024];
    buf[0] = '\0';
    ct_tokenizer_options o;
    ct_tokenizer_options_init(&o);
    o.ngram_min = lo;
    o.ngram_max = hi;
    ct_tokenizer *t;
    if (ct_tokenizer_new(&t, &o) != CT_OK)
        return "(tokenizer_new failed)";
    int rc = ct_tokenize(t, text, strlen(text), collect, buf);
    ct_tokenizer_free(t);
    return rc == CT_OK ? buf : "(tokenize failed)";
}

static const char *norm(const char *text)
{
    static char buf[256];
    char *out;
    size_t len;
    if (ct_normalize(text, strlen(text), CT_NORM_NFKC | CT_NORM_CASEFOLD, &out, &len, NULL))
        return "(failed)";
    snprintf(buf, sizeof buf, "%s", out);
    ct_free(out);
    return buf;
}

int main(int argc, char **argv)
{
    const char *bug = argc > 1 ? argv[1] : "";
    if (strcmp(bug, "mark-order") == 0) {
        CHECK_STR(norm("a\xcc\x82\xcc\xa3"), "\xe1\xba\xad");
        CHECK_STR(norm("q\xcc\x82\xcc\xa3"), "q\xcc\xa3\xcc\x82"); /* no precomposed form */
    } else if (strcmp(bug, "han-zero") == 0) {
        CHECK_STR(tok("二〇三五年", 5, 5), "二〇三五年");
        CHECK_STR(tok("一九五〇年", 2, 2), "一九|九五|五〇|〇年");
    } else if (strcmp(bug, "decimal-nonascii") == 0) {
        CHECK_STR(tok("\xd9\xa1.\xd9\xa2", 1, 1), "\xd9\xa1.\xd9\xa2"); /* ١.٢ */
        static char buf[256];
        buf[0] = '\0';
        ct_tokenizer_options o;
        ct_tokenizer_options_init(&o);
        o.flags = CT_TOK_CASEFOLD; /* --no-nfkc */
        o.ngram_min = o.ngram_max = 1;
        ct_tokenizer *t;
        CHECK_INT(ct_tokenizer_new(&t, &o), CT_OK);
        const char *text = "\xef\xbc\x92\xef\xbc\x92.\xef\xbc\x94"; /* ２２.４ */
        CHECK_INT(ct_tokenize(t, text, strlen(text), collect, buf), CT_OK);
        CHECK_STR(buf, text);
        ct_tokenizer_free(t);
    } else {
        fprintf(stderr, "usage: test_known_bugs mark-order|han-zero|decimal-nonascii\n");
        return 2;
    }
    return check_finish();
}
