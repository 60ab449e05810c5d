/* test_corpus.c — corpus reading per the command-line contract, on files this test writes into
 * a temporary directory: a directory's *.txt in byte order of relative path (nested
 * directories, hidden entries skipped), manifest.tsv (ids, metadata, empty cells, and each
 * kind of malformed manifest named by file and line), ids of files without a manifest row,
 * duplicate ids across sources (CT_EDUPLICATE naming both), JSON Lines (string and number
 * ids, scalar metadata only, a missing text field named with the fields the line has, blank
 * lines, invalid JSON, --text-field/--id-field), a single file, an empty file and an empty
 * directory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "comptext.h"
#include "scratch.h"

/* tmpdir/rel as a static string (a ring of 8). */
static const char *at(const char *rel)
{
    static char paths[8][1024];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 1024, "%s/%s", tmpdir, rel);
    return p;
}

static void mkdir_at(const char *rel)
{
    if (mkdir(at(rel), 0755) != 0 && errno != EEXIST) {
        perror(rel);
        exit(1);
    }
}

/* A corpus from the sources in paths (NULL-terminated); returns the status of the first
 * failing ct_corpus_add (the corpus is kept in *out either way). */
static int load(ct_corpus **out, const char *text_field, const char *id_field, ct_error *err,
                const char *const *paths)
{
    ct_read_options o;
    ct_read_options_init(&o);
    o.text_field = text_field;
    o.id_field = id_field;
    ct_error_clear(err);
    int rc = ct_corpus_new(out, &o);
    for (; rc == CT_OK && *paths; paths++)
        rc = ct_corpus_add(*out, *paths, err);
    return rc;
}

/* The ids of a corpus joined by '|'. */
static const char *ids(const ct_corpus *c)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < ct_corpus_size(c); i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof buf - used, "%s%s", i ? "|" : "", ct_corpus_id(c, i));
    }
    return buf;
}

/* Metadata value of doc by field name, or NULL. */
static const char *meta(const ct_corpus *c, size_t doc, const char *field)
{
    long f = ct_corpus_field_index(c, field);
    return f < 0 ? NULL : ct_corpus_meta(c, doc, (size_t)f);
}

/* The text of doc (static copy) or "(rc N)". */
static const char *text_of(const ct_corpus *c, size_t doc)
{
    static char buf[4096];
    char *t;
    size_t len;
    ct_error err;
    int rc = ct_corpus_read_text(c, doc, &t, &len, &err);
    if (rc != CT_OK) {
        snprintf(buf, sizeof buf, "(rc %d)", rc);
        return buf;
    }
    snprintf(buf, sizeof buf, "%s", t);
    ct_free(t);
    return buf;
}

/* Expect loading paths to fail with code, naming source and line (0: any) in err, and the
 * formatted message to contain each of the words (NULL-terminated). */
static void expect_fail(int code, const char *source, long line, const char *const *paths,
                        const char *w1, const char *w2, const char *w3, int src_line)
{
    ct_corpus *c;
    ct_error err;
    int rc = load(&c, NULL, NULL, &err, paths);
    char buf[2400];
    ct_error_format(&err, buf, sizeof buf);
    const char *words[] = {w1, w2, w3};
    int ok = rc == code && strcmp(err.source, source) == 0 && (!line || err.line == line);
    for (int i = 0; i < 3; i++)
        if (words[i] && !strstr(buf, words[i]))
            ok = 0;
    check_count++;
    if (!ok) {
        check_failed++;
        fprintf(stderr,
                "line %d: rc %d, error \"%s\" (source %s, line %ld); expected rc %d, source %s, "
                "line %ld, words %s %s %s\n",
                src_line, rc, buf, err.source, err.line, code, source, line, w1 ? w1 : "",
                w2 ? w2 : "", w3 ? w3 : "");
    }
    ct_corpus_free(c);
}

#define PATHS(...) ((const char *const[]){__VA_ARGS__, NULL})

int main(void)
{
    if (!scratch_make("corpus"))
        return 1;
    ct_corpus *c;
    ct_error err;

    /* Directory order: byte order of the relative path, nested directories included, other
     * extensions and hidden entries skipped. Bytes: 'A' 0x41 < 'a' 0x61; after "a",
     * '-' 0x2D < '.' 0x2E < '/' 0x2F; 中 (E4 B8 AD) sorts after every ASCII byte. */
    put("order/b.txt", "b");
    put("order/a/z.txt", "az");
    put("order/a.txt", "a");
    put("order/a/b/c.txt", "abc");
    put("order/A.txt", "A");
    put("order/a-b.txt", "a-b");
    put("order/中.txt", "zh");
    put("order/notes.md", "not a document");
    put("order/.hidden.txt", "hidden");
    put("order/.git/x.txt", "hidden too");
    put("order/sub.txt.bak", "not .txt");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("order"))), CT_OK);
    CHECK_STR(ids(c), "A|a-b|a|a/b/c|a/z|b|中");
    CHECK_STR(ct_corpus_source(c, 3), at("order/a/b/c.txt"));
    CHECK_STR(text_of(c, 3), "abc");
    CHECK_STR(text_of(c, 6), "zh");
    CHECK_INT(ct_corpus_field_count(c), 0);
    ct_corpus_free(c);

    /* manifest.tsv: ids and metadata; an empty cell is no value; an empty id falls back to
     * the path; a file without a row gets the id of its path; a row may name a file that is
     * not *.txt; CRLF line ends are fine. */
    put("man/a.txt", "A text");
    put("man/b.txt", "B text");
    put("man/c.txt", "C text");
    put("man/sub/d.txt", "D text");
    put("man/extra.md", "E text");
    put("man/manifest.tsv", "file\tid\tcity\tyear\tnote\r\n"
                            "b.txt\tdoc-b\t泰州\t2009\t\r\n"
                            "a.txt\t\t北垣\t\tx\r\n"
                            "\r\n"
                            "sub/d.txt\tdoc-d\t\t2020\t\r\n"
                            "extra.md\tdoc-e\t\t\t\r\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("man"))), CT_OK);
    CHECK_STR(ids(c), "a|doc-b|c|doc-e|doc-d");
    CHECK_INT(ct_corpus_field_count(c), 3);
    CHECK(ct_corpus_field_index(c, "file") < 0);
    CHECK(ct_corpus_field_index(c, "id") < 0);
    CHECK_STR(meta(c, 0, "city"), "北垣");
    CHECK(meta(c, 0, "year") == NULL);
    CHECK_STR(meta(c, 0, "note"), "x");
    CHECK_STR(meta(c, 1, "city"), "泰州");
    CHECK_STR(meta(c, 1, "year"), "2009");
    CHECK(meta(c, 1, "note") == NULL);
    CHECK(meta(c, 2, "city") == NULL && meta(c, 2, "year") == NULL);
    CHECK_STR(meta(c, 4, "year"), "2020");
    CHECK_STR(text_of(c, 3), "E text");
    CHECK_STR(text_of(c, 4), "D text");
    CHECK(ct_corpus_meta(c, 99, 0) == NULL);
    CHECK(ct_corpus_id(c, 99) == NULL);
    ct_corpus_free(c);

    /* A header-only manifest: every file gets its path id. */
    put("hdr/a.txt", "a");
    put("hdr/manifest.tsv", "file\tid\tcity\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("hdr"))), CT_OK);
    CHECK_STR(ids(c), "a");
    ct_corpus_free(c);

    /* Malformed manifests, each named by the manifest's path and line. */
    put("m1/a.txt", "a");
    put("m1/manifest.tsv", "file\tid\na.txt\tx\nmissing.txt\ty\n");
    expect_fail(CT_EINPUT, at("m1/manifest.tsv"), 3, PATHS(at("m1")), "missing.txt", NULL, NULL,
                __LINE__);
    put("m2/a.txt", "a");
    put("m2/manifest.tsv", "file\tid\na.txt\tx\na.txt\ty\n");
    expect_fail(CT_EINPUT, at("m2/manifest.tsv"), 0, PATHS(at("m2")), "a.txt", "twice", NULL,
                __LINE__);
    put("m3/a.txt", "a");
    put("m3/manifest.tsv", "file\tid\tcity\na.txt\tx\n");
    expect_fail(CT_EINPUT, at("m3/manifest.tsv"), 2, PATHS(at("m3")), "2 fields", "3", NULL,
                __LINE__);
    put("m4/a.txt", "a");
    put("m4/manifest.tsv", "file\tid\na.txt\tx\tsurplus\n");
    expect_fail(CT_EINPUT, at("m4/manifest.tsv"), 2, PATHS(at("m4")), "3 fields", NULL, NULL,
                __LINE__);
    put("m5/a.txt", "a");
    put("m5/manifest.tsv", "name\tid\na.txt\tx\n");
    expect_fail(CT_EINPUT, at("m5/manifest.tsv"), 1, PATHS(at("m5")), "\"file\"", NULL, NULL,
                __LINE__);
    put("m6/a.txt", "a");
    put("m6/manifest.tsv", "file\tid\n\tx\n");
    expect_fail(CT_EINPUT, at("m6/manifest.tsv"), 2, PATHS(at("m6")), "file", NULL, NULL, __LINE__);
    put("m7/a.txt", "a");
    put("m7/manifest.tsv", "");
    expect_fail(CT_EINPUT, at("m7/manifest.tsv"), 0, PATHS(at("m7")), "empty", NULL, NULL,
                __LINE__);
    /* Two manifest rows with the same id: a duplicate naming both files. */
    put("m8/a.txt", "a");
    put("m8/b.txt", "b");
    put("m8/manifest.tsv", "file\tid\na.txt\tsame\nb.txt\tsame\n");
    expect_fail(CT_EDUPLICATE, at("m8/b.txt"), 0, PATHS(at("m8")), at("m8/a.txt"), "same", NULL,
                __LINE__);
    /* A manifest id equal to another file's path id. */
    put("m9/a.txt", "a");
    put("m9/b.txt", "b");
    put("m9/manifest.tsv", "file\tid\na.txt\tb\n");
    expect_fail(CT_EDUPLICATE, at("m9/b.txt"), 0, PATHS(at("m9")), at("m9/a.txt"), NULL, NULL,
                __LINE__);

    /* A row naming a *.txt file that is not one of the corpus files ("./a.txt", a hidden
     * file) is an error, not a row silently ignored. */
    put("m10/a.txt", "a");
    put("m10/manifest.tsv", "file\tid\n./a.txt\tmine\n");
    expect_fail(CT_EINPUT, at("m10/manifest.tsv"), 2, PATHS(at("m10")), "./a.txt", NULL, NULL,
                __LINE__);
    put("m11/a.txt", "a");
    put("m11/.h.txt", "h");
    put("m11/manifest.tsv", "file\tid\na.txt\tx\n.h.txt\th\n");
    expect_fail(CT_EINPUT, at("m11/manifest.tsv"), 3, PATHS(at("m11")), ".h.txt", NULL, NULL,
                __LINE__);

    /* Duplicate ids across sources: two directories, a directory and a single file, a
     * directory and a JSON Lines file. */
    put("d1/a.txt", "one");
    put("d2/a.txt", "two");
    expect_fail(CT_EDUPLICATE, at("d2/a.txt"), 0, PATHS(at("d1"), at("d2")), at("d1/a.txt"),
                "\"a\"", NULL, __LINE__);
    expect_fail(CT_EDUPLICATE, at("d2/a.txt"), 0, PATHS(at("d1/a.txt"), at("d2")), at("d1/a.txt"),
                NULL, NULL, __LINE__);
    put("dj.jsonl", "{\"id\": \"b\", \"text\": \"x\"}\n{\"id\": \"a\", \"text\": \"y\"}\n");
    {
        char src[1100];
        snprintf(src, sizeof src, "%s", at("dj.jsonl")); /* the line is in err.line */
        expect_fail(CT_EDUPLICATE, src, 2, PATHS(at("d1"), at("dj.jsonl")), at("d1/a.txt"), NULL,
                    NULL, __LINE__);
    }
    /* Several sources are read in the order given. */
    put("dk.jsonl", "{\"id\": \"b\", \"text\": \"x\"}\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("d2"), at("dk.jsonl"), at("man/c.txt"))), CT_OK);
    CHECK_STR(ids(c), "a|b|c");
    CHECK_STR(text_of(c, 0), "two");
    CHECK_STR(text_of(c, 2), "C text");
    ct_corpus_free(c);

    /* JSON Lines: string and number ids; string and number fields are metadata, other types
     * are not; blank lines (also of spaces) are skipped; a line without an id gets
     * "<file stem>:<line>"; texts have their line ends normalised. */
    put("j.jsonl", "{\"id\": \"x1\", \"text\": \"社区\", \"city\": \"泰州\", \"year\": 2009, "
                   "\"score\": 1.5, \"flag\": true, \"tags\": [\"a\"], \"nested\": {\"k\": 1}, "
                   "\"nothing\": null}\n"
                   "\n"
                   "{\"id\": 42, \"text\": \"建设\\r\\n服务\\r完\", \"city\": \"北垣\"}\r\n"
                   "   \n"
                   "{\"text\": \"无编号\"}\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("j.jsonl"))), CT_OK);
    CHECK_STR(ids(c), "x1|42|j:5");
    CHECK_STR(meta(c, 0, "city"), "泰州");
    CHECK_STR(meta(c, 0, "year"), "2009");
    CHECK_STR(meta(c, 0, "score"), "1.5");
    CHECK(ct_corpus_field_index(c, "flag") < 0);
    CHECK(ct_corpus_field_index(c, "tags") < 0);
    CHECK(ct_corpus_field_index(c, "nested") < 0);
    CHECK(ct_corpus_field_index(c, "nothing") < 0);
    CHECK(ct_corpus_field_index(c, "text") < 0);
    CHECK(ct_corpus_field_index(c, "id") < 0);
    CHECK_STR(meta(c, 1, "city"), "北垣");
    CHECK(meta(c, 1, "year") == NULL);
    CHECK_STR(text_of(c, 0), "社区");
    CHECK_STR(text_of(c, 1), "建设\n服务\n完");
    CHECK_STR(text_of(c, 2), "无编号");
    {
        char src[1100];
        snprintf(src, sizeof src, "%s:3", at("j.jsonl"));
        CHECK_STR(ct_corpus_source(c, 1), src);
    }
    ct_corpus_free(c);

    /* --text-field / --id-field: the default fields become ordinary metadata. */
    put("tf.jsonl", "{\"title\": \"T1\", \"content\": \"正文\", \"text\": \"other\", \"id\": 7}\n");
    CHECK_INT(load(&c, "content", "title", &err, PATHS(at("tf.jsonl"))), CT_OK);
    CHECK_STR(ids(c), "T1");
    CHECK_STR(text_of(c, 0), "正文");
    CHECK_STR(meta(c, 0, "text"), "other");
    CHECK_STR(meta(c, 0, "id"), "7");
    CHECK(ct_corpus_field_index(c, "title") < 0 && ct_corpus_field_index(c, "content") < 0);
    ct_corpus_free(c);
    /* ...and the default "text" field is then missing from a file that only has it. */
    {
        ct_corpus *c2;
        CHECK_INT(load(&c2, "content", NULL, &err, PATHS(at("j.jsonl"))), CT_EINPUT);
        CHECK_INT(err.line, 1);
        CHECK(strstr(err.text, "\"content\"") != NULL);
        ct_corpus_free(c2);
    }

    /* JSON Lines errors, each named by file and line. */
    put("e1.jsonl",
        "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"body\": \"y\", \"year\": 1}\n");
    expect_fail(CT_EINPUT, at("e1.jsonl"), 2, PATHS(at("e1.jsonl")), "\"text\"", "\"body\"",
                "\"year\"", __LINE__);
    put("e2.jsonl", "{\"id\": \"a\", \"text\": \"x\"}\n\n{\"id\": \"b\", \"text\": \"y\"\n");
    expect_fail(CT_EINPUT, at("e2.jsonl"), 3, PATHS(at("e2.jsonl")), "JSON", NULL, NULL, __LINE__);
    put("e3.jsonl", "[1, 2]\n");
    expect_fail(CT_EINPUT, at("e3.jsonl"), 1, PATHS(at("e3.jsonl")), "object", NULL, NULL,
                __LINE__);
    put("e4.jsonl", "{\"id\": \"a\", \"text\": 5}\n");
    expect_fail(CT_EINPUT, at("e4.jsonl"), 1, PATHS(at("e4.jsonl")), "not a string", NULL, NULL,
                __LINE__);
    put("e5.jsonl", "{\"id\": true, \"text\": \"x\"}\n");
    expect_fail(CT_EINPUT, at("e5.jsonl"), 1, PATHS(at("e5.jsonl")), "id", NULL, NULL, __LINE__);
    put("e6.jsonl", "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"a\", \"text\": \"y\"}\n");
    {
        char src[1100], first[1100];
        snprintf(src, sizeof src, "%s", at("e6.jsonl"));
        snprintf(first, sizeof first, "%s:1", at("e6.jsonl"));
        expect_fail(CT_EDUPLICATE, src, 2, PATHS(at("e6.jsonl")), first, NULL, NULL, __LINE__);
    }
    put("e7.jsonl", "\n  \n");
    expect_fail(CT_EEMPTY, at("e7.jsonl"), 0, PATHS(at("e7.jsonl")), NULL, NULL, NULL, __LINE__);
    put("e8.jsonl", "{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": \"\xff\"}\n");
    expect_fail(CT_EENCODING, at("e8.jsonl"), 2, PATHS(at("e8.jsonl")), NULL, NULL, NULL, __LINE__);
    /* A number id and a string id with the same text are the same id. */
    put("e9.jsonl", "{\"id\": 1, \"text\": \"x\"}\n{\"id\": \"1\", \"text\": \"y\"}\n");
    {
        char src[1100], first[1100];
        snprintf(src, sizeof src, "%s", at("e9.jsonl"));
        snprintf(first, sizeof first, "%s:1", at("e9.jsonl"));
        expect_fail(CT_EDUPLICATE, src, 2, PATHS(at("e9.jsonl")), first, NULL, NULL, __LINE__);
    }
    /* JSON string escapes in the text, formatting, nested objects and arrays holding the
     * field name, an escaped key, an empty text, a lone surrogate (U+FFFD). Expected texts
     * are the JSON strings decoded by hand (RFC 8259 section 7). */
    put("esc.jsonl",
        "{\"id\":\"e1\",\"text\":\"a\\nb\\t\\\"q\\\"\\\\\\/\\u00e9\\u4E2D\\ud83d\\ude00\\u0041\"}\n"
        " { \"id\" : \"e2\" , \"meta\" : {\"text\": \"inner\"}, \"text\" : \"outer\" } \n"
        "{\"tags\":[\"text\",{\"text\":\"x\"}],\"note\":\"\\\"text\\\": "
        "\\\"no\\\"\",\"text\":\"y\",\"id\":\"e3\"}\n"
        "{\"id\":\"e4\",\"\\u0074ext\":\"escaped key\"}\n"
        "{\"id\":\"e5\",\"text\":\"\"}\n"
        "{\"id\":\"e6\",\"text\":\"\\ud800x\\udc00\"}\n"
        "{\"id\":\"e7\",\"text\":\"a\\r\\nb\\rc\\u0000d\"}\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("esc.jsonl"))), CT_OK);
    CHECK_STR(ids(c), "e1|e2|e3|e4|e5|e6|e7");
    CHECK_STR(text_of(c, 0), "a\nb\t\"q\"\\/\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"
                             "A");
    CHECK_STR(text_of(c, 1), "outer");
    CHECK(ct_corpus_field_index(c, "meta") < 0);
    CHECK_STR(text_of(c, 2), "y");
    CHECK_STR(meta(c, 2, "note"), "\"text\": \"no\"");
    CHECK_STR(text_of(c, 3), "escaped key");
    CHECK_STR(text_of(c, 4), "");
    CHECK_STR(text_of(c, 5), "\xef\xbf\xbdx\xef\xbf\xbd");
    {
        char *t = NULL;
        size_t len = 0;
        CHECK_INT(ct_corpus_read_text(c, 6, &t, &len, &err), CT_OK);
        CHECK_INT(len, 7);
        CHECK(t && memcmp(t, "a\nb\nc\0d", 7) == 0);
        ct_free(t);
    }
    ct_corpus_free(c);
    /* JSON texts are UTF-8 whatever --encoding says (it applies to text files). */
    {
        ct_read_options o;
        ct_read_options_init(&o);
        o.encoding = CT_ENCODING_GB18030;
        CHECK_INT(ct_corpus_new(&c, &o), CT_OK);
        CHECK_INT(ct_corpus_add(c, at("esc.jsonl"), &err), CT_OK);
        CHECK_STR(text_of(c, 1), "outer");
        CHECK_STR(text_of(c, 3), "escaped key");
        ct_corpus_free(c);
        put("gbj.jsonl", "{\"id\":\"g\",\"\\u0074ext\":\"社区\"}\n");
        CHECK_INT(ct_corpus_new(&c, &o), CT_OK);
        CHECK_INT(ct_corpus_add(c, at("gbj.jsonl"), &err), CT_OK);
        CHECK_STR(text_of(c, 0), "社区");
        ct_corpus_free(c);
    }
    /* Bad strings in the text field, and a text field given twice, are errors with the
     * line. */
    put("e10.jsonl",
        "{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":\"b\",\"text\":\"bad \\x escape\"}\n");
    expect_fail(CT_EINPUT, at("e10.jsonl"), 2, PATHS(at("e10.jsonl")), NULL, NULL, NULL, __LINE__);
    put("e11.jsonl", "{\"id\":\"a\",\"text\":\"raw\ttab\"}\n");
    expect_fail(CT_EINPUT, at("e11.jsonl"), 1, PATHS(at("e11.jsonl")), NULL, NULL, NULL, __LINE__);
    put("e12.jsonl", "{\"id\":\"a\",\"text\":\"one\",\"text\":\"two\"}\n");
    expect_fail(CT_EINPUT, at("e12.jsonl"), 1, PATHS(at("e12.jsonl")), NULL, NULL, NULL, __LINE__);
    put("e13.jsonl", "{\"id\":\"a\",\"text\":\"x\"} trailing\n");
    expect_fail(CT_EINPUT, at("e13.jsonl"), 1, PATHS(at("e13.jsonl")), NULL, NULL, NULL, __LINE__);
    put("e14.jsonl", "{\"id\":\"a\",\"text\":\"unterminated}\n");
    expect_fail(CT_EINPUT, at("e14.jsonl"), 1, PATHS(at("e14.jsonl")), NULL, NULL, NULL, __LINE__);

    /* A byte-order mark before the first line is allowed. */
    put("bom.jsonl", "\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"x\"}\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("bom.jsonl"))), CT_OK);
    CHECK_STR(ids(c), "a");
    CHECK_STR(text_of(c, 0), "x");
    ct_corpus_free(c);

    /* A single file: its id is its name without .txt (the directories do not count). */
    put("single/report-2009.txt", "正文\r\n");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("single/report-2009.txt"))), CT_OK);
    CHECK_STR(ids(c), "report-2009");
    CHECK_STR(ct_corpus_source(c, 0), at("single/report-2009.txt"));
    CHECK_STR(text_of(c, 0), "正文\n");
    ct_corpus_free(c);

    /* An empty file is one document with an empty text. */
    put("empty/empty.txt", "");
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("empty/empty.txt"))), CT_OK);
    CHECK_INT(ct_corpus_size(c), 1);
    {
        char *t = NULL;
        size_t len = 99;
        CHECK_INT(ct_corpus_read_text(c, 0, &t, &len, &err), CT_OK);
        CHECK(t && t[0] == '\0');
        CHECK_INT(len, 0);
        ct_free(t);
    }
    CHECK_INT(ct_corpus_read_text(c, 1, &(char *){NULL}, &(size_t){0}, &err), CT_EINVAL);
    ct_corpus_free(c);
    CHECK_INT(load(&c, NULL, NULL, &err, PATHS(at("empty"))), CT_OK);
    CHECK_STR(ids(c), "empty");
    ct_corpus_free(c);

    /* Standard input ("-") is one document, id "stdin", source "-", decoded like a file. With
     * chrome stripping, adding it after a first read makes the footer rule count it too: a
     * footer in 3 of 4 documents is chrome, in 2 of 3 it was not. */
    {
        const char *L = "某某市社区信息网\n技术支持 某某公司\n";
        char in[512];
        snprintf(in, sizeof in, "\xEF\xBB\xBF标准输入的正文。\r\n%s", L);
        put("stdin.txt", in);
        ct_read_options o;
        ct_read_options_init(&o);
        CHECK(o.flags & CT_READ_STRIP_CHROME); /* the default */
        CHECK_INT(ct_corpus_new(&c, &o), CT_OK);
        char d0[256], d1[256];
        snprintf(d0, sizeof d0, "甲文正文。\n%s", L);
        snprintf(d1, sizeof d1, "乙文正文。\n%s", L);
        CHECK_INT(ct_corpus_add_text(c, "d0", NULL, d0, strlen(d0), &err), CT_OK);
        CHECK_INT(ct_corpus_add_text(c, "d1", NULL, d1, strlen(d1), &err), CT_OK);
        CHECK_INT(ct_corpus_add_text(c, "d2", NULL, "丙文正文。\n", strlen("丙文正文。\n"), &err),
                  CT_OK);
        CHECK(strstr(text_of(c, 0), "某某市社区信息网") != NULL); /* 2 of 3: kept */
        size_t lines = 9, chars = 9;
        CHECK_INT(ct_corpus_chrome_removed(c, 0, &lines, &chars, &err), CT_OK);
        CHECK(lines == 0 && chars == 0);
        if (!freopen(at("stdin.txt"), "rb", stdin)) {
            perror("freopen");
            return 1;
        }
        CHECK_INT(ct_corpus_add(c, "-", &err), CT_OK);
        CHECK_INT(ct_corpus_size(c), 4);
        CHECK_STR(ct_corpus_id(c, 3), "stdin");
        CHECK_STR(ct_corpus_source(c, 3), "-");
        CHECK(strstr(text_of(c, 0), "某某市社区信息网") == NULL); /* 3 of 4: a footer now */
        CHECK_INT(ct_corpus_chrome_removed(c, 0, &lines, &chars, &err), CT_OK);
        CHECK(lines == 2 &&
              chars == strlen("某某市社区信息网") / 3 + strlen("技术支持 某某公司") / 3 + 1);
        const char *t = text_of(c, 3);
        CHECK(strstr(t, "标准输入的正文。\n") != NULL && strstr(t, "某某市社区信息网") == NULL &&
              strchr(t, '\r') == NULL && strstr(t, "\xEF\xBB\xBF") == NULL);
        ct_corpus_free(c);
    }

    /* An empty directory, and one without *.txt, are errors naming the directory. */
    mkdir_at("nothing");
    expect_fail(CT_EEMPTY, at("nothing"), 0, PATHS(at("nothing")), NULL, NULL, NULL, __LINE__);
    put("notxt/readme.md", "x");
    expect_fail(CT_EEMPTY, at("notxt"), 0, PATHS(at("notxt")), ".txt", NULL, NULL, __LINE__);
    /* A path that does not exist. */
    expect_fail(CT_EIO, at("no-such-dir"), 0, PATHS(at("no-such-dir")), NULL, NULL, NULL, __LINE__);

    scratch_remove();
    return check_finish();
}
