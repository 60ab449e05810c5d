/* test_stopwords.c — stopword lists (comptext/stopwords.h): loading a file (comments, blank
 * lines, CRLF, a byte-order mark, surrounding ASCII and ideographic spaces), entries
 * normalised with the text's flags (full-width and upper-case entries match what the
 * tokeniser sees), one-character entries as edges, bad files named by path and line, and
 * the shipped list: its documented one-character entries are edges, and the characters the
 * list says carry content at word edges (和 是 在 与 就 …) are not. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "stopwords_impl.h" /* ct_stopwords_is_edge */

static char tmpdir[] = "/tmp/ct-test-stopwords-XXXXXX";

static const char *put(const char *name, const char *bytes, size_t len)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
    return path;
}

#define S(lit) lit, sizeof lit - 1

static int has(const ct_stopwords *sw, const char *s)
{
    return ct_stopwords_contains(sw, s, strlen(s));
}

/* The code point of a one-character UTF-8 string. */
static int32_t cp_of(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80)
        return u[0];
    if (u[0] < 0xE0)
        return (u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    if (u[0] < 0xF0)
        return (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    return (u[0] & 0x07) << 18 | (u[1] & 0x3F) << 12 | (u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const unsigned NK = CT_NORM_NFKC | CT_NORM_CASEFOLD;
    ct_stopwords *sw = NULL;
    ct_error err;

    /* Comments, blank lines, CRLF, BOM, spaces (ASCII, tab, U+3000) around entries. */
    const char *p = put("list.txt", S("\xEF\xBB\xBF# a comment\r\n"
                                      "的\r\n"
                                      "\r\n"
                                      "  我们\t\r\n"
                                      "\xE3\x80\x80了\xE3\x80\x80\r\n"
                                      "ＡＢＣ\n"
                                      "𠀀\n"
                                      "   # indented comment\n"
                                      "一个"));
    CHECK_INT(ct_stopwords_load(&sw, p, NK, &err), CT_OK);
    CHECK_INT(ct_stopwords_size(sw), 6);
    CHECK(has(sw, "的") && has(sw, "我们") && has(sw, "了") && has(sw, "一个"));
    CHECK(has(sw, "abc"));  /* ＡＢＣ normalised as the text is */
    CHECK(!has(sw, "ABC")); /* ...and text is normalised before the look-up */
    CHECK(!has(sw, "# a comment") && !has(sw, "\xEF\xBB\xBF# a comment"));
    CHECK(!has(sw, "我") && !has(sw, "们的"));
    CHECK(ct_stopwords_is_edge(sw, cp_of("的")));
    CHECK(ct_stopwords_is_edge(sw, cp_of("了")));
    CHECK(ct_stopwords_is_edge(sw, cp_of("𠀀"))); /* outside the BMP */
    CHECK(!ct_stopwords_is_edge(sw, cp_of("我")));
    CHECK(!ct_stopwords_is_edge(sw, 'a'));
    ct_stopwords_free(sw);

    /* Without NFKC the full-width entry stays full-width (but is case folded). */
    CHECK_INT(ct_stopwords_load(&sw, p, CT_NORM_CASEFOLD, &err), CT_OK);
    CHECK(has(sw, "ａｂｃ") && !has(sw, "abc"));
    ct_stopwords_free(sw);

    /* An empty list and a list of comments are valid and empty. */
    p = put("empty.txt", S(""));
    CHECK_INT(ct_stopwords_load(&sw, p, NK, &err), CT_OK);
    CHECK_INT(ct_stopwords_size(sw), 0);
    ct_stopwords_free(sw);

    /* Bad lists: missing file (CT_EIO naming it), invalid UTF-8 (line and offset), NUL. */
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/none.txt", tmpdir);
    ct_error_clear(&err);
    CHECK_INT(ct_stopwords_load(&sw, missing, NK, &err), CT_EIO);
    CHECK(sw == NULL);
    CHECK_STR(err.source, missing);
    p = put("bad.txt", S("的\n\xFF\n"));
    ct_error_clear(&err);
    CHECK_INT(ct_stopwords_load(&sw, p, NK, &err), CT_EENCODING);
    CHECK_STR(err.source, p);
    CHECK_INT(err.line, 2);
    CHECK_INT(err.offset, 4);
    p = put("nul.txt", S("的\n了\0x\n"));
    ct_error_clear(&err);
    CHECK_INT(ct_stopwords_load(&sw, p, NK, &err), CT_EENCODING); /* NUL: not text */
    CHECK_INT(err.line, 2);
    CHECK_INT(err.offset, 7);

    /* From an array. */
    const char *entries[] = {" 的 ", "#x", "", "Ｘ"};
    CHECK_INT(ct_stopwords_from_array(&sw, entries, 4, NK), CT_OK);
    CHECK_INT(ct_stopwords_size(sw), 2);
    CHECK(has(sw, "的") && has(sw, "x"));
    CHECK(ct_stopwords_is_edge(sw, 'x'));
    ct_stopwords_free(sw);
    ct_stopwords_free(NULL);

    /* The shipped list (corpora/stopwords-zh.txt): the particles its header names are edges;
     * the characters it names as content-bearing at word edges are not one-character
     * entries. */
    const char *src = getenv("COMPTEXT_SOURCE");
    char shipped[1100];
    snprintf(shipped, sizeof shipped, "%s/corpora/stopwords-zh.txt", src && *src ? src : ".");
    CHECK_INT(ct_stopwords_load(&sw, shipped, NK, &err), CT_OK);
    if (sw) {
        const char *edges[] = {"的", "了", "吗", "呢", "吧", "啊", "呀", "嘛", "哦",
                               "之", "其", "也", "而", "乎", "矣", "焉", "哉"};
        for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
            check_count++;
            if (!ct_stopwords_is_edge(sw, cp_of(edges[i]))) {
                check_failed++;
                fprintf(stderr, "shipped list: %s should be a one-character entry\n", edges[i]);
            }
        }
        const char *content[] = {"和", "是", "在", "与", "及", "就", "着", "地", "得", "所",
                                 "对", "把", "被", "给", "从", "向", "社", "区", "服", "务"};
        for (size_t i = 0; i < sizeof content / sizeof *content; i++) {
            check_count++;
            if (ct_stopwords_is_edge(sw, cp_of(content[i])) || has(sw, content[i])) {
                check_failed++;
                fprintf(stderr, "shipped list: %s must not be a one-character entry\n", content[i]);
            }
        }
        /* Content words of the genre are not listed. */
        const char *words[] = {"问题", "工作", "服务", "建设", "社区", "开展", "需要"};
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            CHECK(!has(sw, words[i]));
        ct_stopwords_free(sw);
    }

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_finish();
}
