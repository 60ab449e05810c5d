/* test_encoding.c — decoding of text files through the public corpus API (ct_corpus_add +
 * ct_corpus_read_text) on files this test writes into a temporary directory: a UTF-8
 * byte-order mark is dropped; CRLF and lone CR are read as LF; GB18030 is read under
 * --encoding auto (with a note) and gb18030, and refused under utf-8 with the file, line and
 * byte offset; bytes valid in neither encoding are named by file, line and byte offset;
 * UTF-16 gets its own message; overlong forms, surrogates, code points above U+10FFFF and
 * truncated sequences are refused. The GB18030 bytes are written out by hand from the
 * GB18030 code table (社 C9 E7, 区 C7 F8, 建 BD A8, 设 C9 E8), not produced by the code
 * under test. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "comptext.h"
#include "encoding.h"

static char tmpdir[] = "/tmp/ct-test-encoding-XXXXXX";

static const char *write_file(const char *name, const char *bytes, size_t len)
{
    static char path[4][512];
    static int slot;
    char *p = path[slot++ % 4];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len) {
        fprintf(stderr, "cannot write %s\n", p);
        exit(1);
    }
    fclose(f);
    return p;
}

typedef struct notes {
    int count;
    char last[1200];
} notes;

static void on_note(void *ctx, const char *message)
{
    notes *n = ctx;
    n->count++;
    snprintf(n->last, sizeof n->last, "%s", message);
}

/* Read the single document of path with the given encoding. Returns the status; *text is
 * the decoded text on success (caller frees). */
static int read_doc(const char *path, ct_encoding enc, char **text, size_t *len, ct_error *err,
                    notes *n)
{
    ct_read_options o;
    ct_read_options_init(&o);
    o.encoding = enc;
    o.note = on_note;
    o.note_ctx = n;
    memset(n, 0, sizeof *n);
    *text = NULL;
    *len = 0;
    ct_corpus *c;
    int rc = ct_corpus_new(&c, &o);
    if (rc != CT_OK)
        return rc;
    rc = ct_corpus_add(c, path, err);
    if (rc == CT_OK) {
        CHECK_INT(ct_corpus_size(c), 1);
        rc = ct_corpus_read_text(c, 0, text, len, err);
    }
    ct_corpus_free(c);
    return rc;
}

/* Expect path to decode to expect under enc (expect_notes notes). */
static void expect_text(const char *path, ct_encoding enc, const char *expect, int expect_notes,
                        int line)
{
    char *text;
    size_t len;
    ct_error err;
    notes n;
    int rc = read_doc(path, enc, &text, &len, &err, &n);
    check_count++;
    if (rc != CT_OK || strcmp(text, expect) != 0 || len != strlen(expect)) {
        check_failed++;
        char buf[2400];
        fprintf(stderr, "line %d: %s (encoding %d): rc %d, text \"%s\", expected \"%s\" (%s)\n",
                line, path, (int)enc, rc, text ? text : "(null)", expect,
                rc ? ct_error_format(&err, buf, sizeof buf) : "");
    }
    CHECK_INT(n.count, expect_notes);
    if (expect_notes) {
        CHECK(strstr(n.last, path) != NULL);
        CHECK(strstr(n.last, "GB18030") != NULL);
    }
    ct_free(text);
}

/* Expect path to be refused under enc with CT_EENCODING at the given line and byte offset
 * (line 0: not checked), and the message to contain word (NULL: not checked). */
static void expect_error(const char *path, ct_encoding enc, long line, long long offset,
                         const char *word, int src_line)
{
    char *text;
    size_t len;
    ct_error err;
    notes n;
    ct_error_clear(&err);
    int rc = read_doc(path, enc, &text, &len, &err, &n);
    char buf[2400];
    ct_error_format(&err, buf, sizeof buf);
    check_count++;
    if (rc != CT_EENCODING || text != NULL || strcmp(err.source, path) != 0 ||
        (line && err.line != line) || err.offset != offset || (word && !strstr(buf, word))) {
        check_failed++;
        fprintf(stderr,
                "line %d: %s (encoding %d): rc %d, error \"%s\" (line %ld, offset %lld); "
                "expected CT_EENCODING at line %ld, offset %lld%s%s\n",
                src_line, path, (int)enc, rc, buf, err.line, err.offset, line, offset,
                word ? ", mentioning " : "", word ? word : "");
    }
    CHECK_INT(n.count, 0);
    ct_free(text);
}

#define S(lit) lit, sizeof lit - 1

/* The offset of the first invalid UTF-8 sequence (len when none), byte by byte from the rules
 * of RFC 3629 — the reference for ct_utf8_invalid_offset, which takes shortcuts. */
static size_t reference_invalid_offset(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            lo = c == 0xE0 ? 0xA0 : lo; /* no overlong forms */
            hi = c == 0xED ? 0x9F : hi; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            lo = c == 0xF0 ? 0x90 : lo;
            hi = c == 0xF4 ? 0x8F : hi; /* nothing above U+10FFFF */
        } else {
            return i;
        }
        if (i + need >= len || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += need + 1;
    }
    return len;
}

/* Windows of Han characters (the validator's fast path takes four at a time) with one byte
 * replaced, at every position, by bytes of every kind. */
static void check_validator_windows(void)
{
    static const unsigned char replacements[] = {0x41, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xE4,
                                                 0xED, 0xEF, 0xF0, 0xF5, 0xFF, 0x00};
    int ok = 1;
    for (size_t prefix = 0; prefix < 3; prefix++)
        for (size_t pos = 0; pos < 24; pos++)
            for (size_t r = 0; r < sizeof replacements; r++) {
                unsigned char text[32];
                size_t len = 0;
                for (size_t k = 0; k < prefix; k++)
                    text[len++] = 'a';
                for (int k = 0; k < 8; k++) { /* 中 */
                    text[len++] = 0xE4;
                    text[len++] = 0xB8;
                    text[len++] = 0xAD;
                }
                text[prefix + pos] = replacements[r];
                if (ct_utf8_invalid_offset((const char *)text, len) !=
                    reference_invalid_offset(text, len))
                    ok = 0;
            }
    CHECK(ok);
}

int main(void)
{
    check_validator_windows();
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    const ct_encoding AUTO = CT_ENCODING_AUTO, UTF8 = CT_ENCODING_UTF8, GB = CT_ENCODING_GB18030;

    /* A UTF-8 byte-order mark is dropped (only at the start). */
    const char *p = write_file("bom.txt", S("\xEF\xBB\xBF社区\n建设"));
    expect_text(p, AUTO, "社区\n建设", 0, __LINE__);
    expect_text(p, UTF8, "社区\n建设", 0, __LINE__);
    p = write_file("bom-only.txt", S("\xEF\xBB\xBF"));
    expect_text(p, AUTO, "", 0, __LINE__);

    /* CRLF and lone CR are read as LF; CR CR LF is two line ends. */
    p = write_file("crlf.txt", S("a\r\nb\rc\n\r\r\nd\r"));
    expect_text(p, AUTO, "a\nb\nc\n\n\nd\n", 0, __LINE__);
    expect_text(p, UTF8, "a\nb\nc\n\n\nd\n", 0, __LINE__);
    p = write_file("bom-crlf.txt", S("\xEF\xBB\xBF社区\r\n"));
    expect_text(p, AUTO, "社区\n", 0, __LINE__);

    /* GB18030: "line one\n社区\n" + "建设\r\n". Under auto: read with a note naming the file;
     * under gb18030: read (no note: nothing was guessed); under utf-8: refused at the
     * first byte of 社 (offset 9, line 2). */
    p = write_file("gb.txt", S("line one\n\xC9\xE7\xC7\xF8\n\xBD\xA8\xC9\xE8\r\n"));
    expect_text(p, AUTO, "line one\n社区\n建设\n", 1, __LINE__);
    expect_text(p, GB, "line one\n社区\n建设\n", 0, __LINE__);
    expect_error(p, UTF8, 2, 9, "gb18030", __LINE__);
    /* Four-byte GB18030 (U+00A5 ¥ is 81 30 84 36) and an ASCII-only file under gb18030. */
    p = write_file("gb4.txt", S("\x81\x30\x84\x36"
                                "5"));
    expect_text(p, GB,
                "\xC2\xA5"
                "5",
                0, __LINE__);
    expect_text(p, AUTO,
                "\xC2\xA5"
                "5",
                1, __LINE__);
    p = write_file("ascii.txt", S("plain\n"));
    expect_text(p, GB, "plain\n", 0, __LINE__);
    expect_text(p, AUTO, "plain\n", 0, __LINE__);
    /* UTF-8 read as GB18030 on request is not refused when its bytes happen to be valid
     * GB18030, but a UTF-8 file is never given to GB18030 under auto. */
    p = write_file("utf8.txt", S("社区建设\n"));
    expect_text(p, AUTO, "社区建设\n", 0, __LINE__);

    /* Bytes valid in neither encoding (0xFF is never valid in UTF-8 nor GB18030): the error
     * names the file, the line and the byte offset of the first bad byte. */
    p = write_file("bad.txt", S("ok\n第二行\n\xFF\xFF\n"));
    expect_error(p, AUTO, 3, 13, NULL, __LINE__);
    expect_error(p, UTF8, 3, 13, NULL, __LINE__);
    /* as GB18030, 第二行 (E7 AC AC E4 BA 8C E8 A1 8C) pairs as E7AC ACE4 BA8C E8A1 and then
     * 8C 0A fails: 0A is no trail byte (offset 11, line 2). */
    expect_error(p, GB, 2, 11, NULL, __LINE__);
    /* A bad first byte is on line 1. */
    p = write_file("bad0.txt", S("\xFF"
                                 "abc"));
    expect_error(p, AUTO, 1, 0, NULL, __LINE__);
    expect_error(p, UTF8, 1, 0, NULL, __LINE__);
    /* Lone CR and CRLF end lines in the line number too. */
    p = write_file("bad-cr.txt", S("a\rb\r\nc\r\xFF"));
    expect_error(p, UTF8, 4, 7, NULL, __LINE__);
    /* GB18030 cut in the middle of a two-byte character. */
    p = write_file("gbcut.txt", S("ab\xC9"));
    expect_error(p, GB, 1, 2, NULL, __LINE__);

    /* UTF-16 with a byte-order mark (LE and BE) gets the UTF-16 message. */
    p = write_file("utf16le.txt", S("\xFF\xFE\x3E\x79\x3A\x53"));
    expect_error(p, AUTO, 0, 0, "UTF-16", __LINE__);
    expect_error(p, UTF8, 0, 0, "UTF-16", __LINE__);
    p = write_file("utf16be.txt", S("\xFE\xFF\x79\x3E\x53\x3A"));
    expect_error(p, AUTO, 0, 0, "UTF-16", __LINE__);

    /* Invalid UTF-8 under --encoding utf-8: overlong forms, surrogates, above U+10FFFF, lone
     * continuation bytes, truncated sequences (at the end and in the middle). */
    struct {
        const char *name, *bytes;
        size_t len;
        long line;
        long long offset;
    } bad[] = {
        {"overlong2.txt", S("a\n\xC0\xAF"), 2, 2},
        {"overlong2b.txt", S("a\xC1\xBF"), 1, 1},
        {"overlong3.txt", S("ab\xE0\x80\xAF"), 1, 2},
        {"overlong4.txt", S("\n\n\xF0\x80\x80\xAF"), 3, 2},
        {"surrogate.txt", S("x\xED\xA0\x80"), 1, 1},
        {"surrogate2.txt", S("xy\xED\xBF\xBF"), 1, 2},
        {"toobig.txt", S("\xF4\x90\x80\x80"), 1, 0},
        {"toobig2.txt", S("a\xF5\x80\x80\x80"), 1, 1},
        {"continuation.txt", S("社\x80"), 1, 3},
        {"truncated-end.txt", S("社区\xE5\xBB"), 1, 6},
        {"truncated-mid.txt", S("社\xE5\xBB区"), 1, 3},
        {"truncated4.txt", S("a\n\xF0\x9F\x98"), 2, 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p = write_file(bad[i].name, bad[i].bytes, bad[i].len);
        expect_error(p, UTF8, bad[i].line, bad[i].offset, NULL, __LINE__);
    }
    /* ...while the largest valid forms are accepted. */
    p = write_file("edges.txt", S("\xF4\x8F\xBF\xBF\xED\x9F\xBF\xEE\x80\x80\xDF\xBF"));
    expect_text(p, UTF8, "\xF4\x8F\xBF\xBF\xED\x9F\xBF\xEE\x80\x80\xDF\xBF", 0, __LINE__);

    /* In-memory texts (standard input goes the same way) are decoded alike. */
    {
        ct_read_options o;
        ct_read_options_init(&o);
        notes n = {0};
        o.note = on_note;
        o.note_ctx = &n;
        ct_corpus *c;
        ct_error err;
        CHECK_INT(ct_corpus_new(&c, &o), CT_OK);
        CHECK_INT(ct_corpus_add_text(c, "m", "memory", S("x\r\n\xC9\xE7"), &err), CT_OK);
        char *text = NULL;
        size_t len;
        CHECK_INT(ct_corpus_read_text(c, 0, &text, &len, &err), CT_OK);
        CHECK_STR(text, "x\n社");
        CHECK_INT(n.count, 1);
        ct_free(text);
        ct_corpus_free(c);
    }

    /* Clean up the temporary directory. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_finish();
}
