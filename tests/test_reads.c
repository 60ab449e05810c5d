/* test_reads.c — a compare run reads each text at most twice.
 *
 * The corpus counts the passes over each document's bytes (corpus_hold.h, ct_corpus_reads):
 * one for the listing (which sniffs a file, parses a JSON line or a table row) and one for
 * every read from the source. ct_compare_run is run on a folder, a JSON Lines file, a CSV
 * table and texts in memory — with chrome removal (the default, which learns the corpus's
 * repeated lines first), with chrome kept, with n-gram units (whose keyword-in-context lines
 * take a pass of their own), grouped by a metadata field, on one thread and on two — and
 * after each run every document must show at most two passes. The texts have page chrome
 * (a menu line, a footer repeated in every document) so that removing it has work to do.
 *
 * Holding the texts (ct_corpus_hold_texts) must not change them: with a budget too small
 * for all of them, and with none, every text read while held equals the text read without
 * holding, byte for byte, and so do the chrome lines recorded for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "corpus_hold.h"
#include "scratch.h"

#define N_DOCS 6

static const char *const BODIES[N_DOCS] = {
    "居家养老服务中心为老年人提供助餐服务。居家养老服务覆盖全部社区，老年人助餐服务满意度提高。\n"
    "我们推进居家养老服务，建设老年人日间照料中心，助餐服务点达到三十个。\n",
    "居家养老服务中心为老年人提供助餐服务。居家养老服务覆盖全部社区，老年人满意度明显提高。\n"
    "我们推进居家养老服务，建设日间照料中心，助餐服务点达到四十个。居家养老服务人员培训。\n",
    "网格化管理覆盖城市社区，网格员每天巡查。网格化管理平台收集问题，网格员及时处置。\n"
    "推进网格化管理，网格员队伍扩大，网格化管理平台升级。社区治理水平提升。\n",
    "网格化管理平台升级，网格员队伍扩大到五百人。网格化管理覆盖农村社区，网格员每周巡查。\n"
    "网格化管理平台收集问题，网格员按时处置，社区治理水平提升。\n",
    "河道清淤工程完成，河长制全面落实。河道保洁队伍每天巡河，河道水质明显改善。\n"
    "河长制考核严格，河道清淤工程继续推进，河道保洁长效机制建立。\n",
    "河道清淤工程继续推进，河长制考核严格。河道保洁队伍每天巡河，社区治理水平提升。\n"
    "居家养老服务覆盖全部社区，网格化管理平台升级。\n",
};
static const char *const CITY[N_DOCS] = {"甲", "甲", "乙", "乙", "丙", "丙"};

/* A document's text as scraped: a menu line above, a footer below (both chrome). */
static char *scraped(size_t d)
{
    static const char head[] = "首页 > 新闻中心 > 政务公开\n",
                      foot[] = "主办单位：某某市人民政府办公室\n"
                               "网站标识码：0000000000\n";
    size_t n = strlen(head) + strlen(BODIES[d]) + strlen(foot) + 1;
    char *s = malloc(n);
    snprintf(s, n, "%s%s%s", head, BODIES[d], foot);
    return s;
}

/* JSON string body of s (the texts have no quote, backslash or control character but \n). */
static void json_text(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
}

static void make_corpora(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/dir/manifest.tsv", tmpdir);
    put("dir/manifest.tsv", "");
    FILE *m = fopen(path, "w");
    fputs("file\tid\tcity\n", m);
    snprintf(path, sizeof path, "%s/c.jsonl", tmpdir);
    FILE *j = fopen(path, "w");
    snprintf(path, sizeof path, "%s/c.csv", tmpdir);
    FILE *t = fopen(path, "w");
    fputs("id,city,text\n", t);
    for (size_t d = 0; d < N_DOCS; d++) {
        char *s = scraped(d), rel[64];
        snprintf(rel, sizeof rel, "dir/d%zu.txt", d);
        put(rel, s);
        fprintf(m, "d%zu.txt\td%zu\t%s\n", d, d, CITY[d]);
        fprintf(j, "{\"id\": \"d%zu\", \"city\": \"%s\", \"text\": \"", d, CITY[d]);
        json_text(j, s);
        fputs("\"}\n", j);
        fprintf(t, "d%zu,%s,\"%s\"\n", d, CITY[d], s);
        free(s);
    }
    fclose(m);
    fclose(j);
    fclose(t);
}

enum { MEMORY = 0, DIR_CORPUS, JSONL, TABLE };
static const char *const KIND_NAME[] = {"texts in memory", "folder", "JSON Lines", "CSV table"};

static ct_corpus *load(int kind, unsigned flags)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ro.flags = flags;
    ct_corpus *c = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_corpus_new(&c, &ro);
    char path[1024];
    if (rc == CT_OK && kind == MEMORY) {
        for (size_t d = 0; rc == CT_OK && d < N_DOCS; d++) {
            char id[8], *s = scraped(d);
            snprintf(id, sizeof id, "d%zu", d);
            rc = ct_corpus_add_text(c, id, id, s, strlen(s), &err);
            free(s);
        }
    } else if (rc == CT_OK) {
        snprintf(path, sizeof path, "%s/%s", tmpdir,
                 kind == DIR_CORPUS ? "dir"
                 : kind == JSONL    ? "c.jsonl"
                                    : "c.csv");
        rc = ct_corpus_add(c, path, &err);
    }
    if (rc != CT_OK) {
        fprintf(stderr, "%s: %s\n", KIND_NAME[kind], err.text);
        ct_corpus_free(c);
        return NULL;
    }
    return c;
}

/* Run compare; check the run worked and that no text was read more than twice. */
static void run(int kind, unsigned flags, int ngrams, int group, int threads)
{
    ct_corpus *c = load(kind, flags);
    CHECK(c != NULL);
    if (!c)
        return;
    ct_compare_options o;
    ct_compare_options_init(&o);
    o.threads = threads;
    o.units = ngrams ? CT_COMPARE_NGRAMS : CT_COMPARE_TERMS;
    o.terms.min_count = 2;
    o.terms.min_segments = 2;
    o.group_by = group && kind != MEMORY ? "city" : NULL;
    ct_compare *r = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_compare_run(&r, c, &o, &err);
    if (rc != CT_OK)
        fprintf(stderr, "compare (%s): %s\n", KIND_NAME[kind], err.text);
    CHECK_INT(rc, CT_OK);
    size_t n_kwic = 0;
    if (r)
        ct_compare_kwic_lines(r, &n_kwic);
    CHECK(n_kwic > 0); /* the keyword-in-context lines were searched for */
    size_t most = 0;
    for (size_t d = 0; d < ct_corpus_size(c); d++)
        if (ct_corpus_reads(c, d) > most)
            most = ct_corpus_reads(c, d);
    if (most > 2 || most < 1)
        fprintf(stderr, "%s, %s, %s units%s, %d thread(s): a text was read %zu times (at most 2)\n",
                KIND_NAME[kind], flags & CT_READ_STRIP_CHROME ? "chrome removed" : "chrome kept",
                ngrams ? "n-gram" : "term", o.group_by ? ", grouped" : "", threads, most);
    CHECK(most >= 1 && most <= 2);
    /* Chrome was found and removed (the footer is in every document). */
    if (flags & CT_READ_STRIP_CHROME) {
        size_t lines = 0, chars = 0;
        CHECK_INT(ct_corpus_chrome_removed(c, 0, &lines, &chars, &err), CT_OK);
        CHECK(lines >= 2);
        CHECK(most <= 2); /* asking for the chrome lines after the run read nothing more */
        CHECK(ct_corpus_reads(c, 0) <= 2);
    }
    ct_compare_free(r);
    ct_corpus_free(c);
}

/* Every text and its chrome counts, read without holding (*texts: N_DOCS strings). */
static void read_all(ct_corpus *c, char **texts, size_t *lines, size_t *chars)
{
    ct_error err;
    for (size_t d = 0; d < N_DOCS; d++) {
        size_t len;
        texts[d] = NULL;
        CHECK_INT(ct_corpus_read_text(c, d, &texts[d], &len, &err), CT_OK);
        CHECK(texts[d] && strlen(texts[d]) == len);
        CHECK_INT(ct_corpus_chrome_removed(c, d, &lines[d], &chars[d], &err), CT_OK);
    }
}

/* Texts read while held equal the texts read without holding, whatever the budget. */
static void hold(int kind, unsigned flags)
{
    ct_corpus *ref = load(kind, flags);
    CHECK(ref != NULL);
    if (!ref)
        return;
    char *want[N_DOCS], *got[N_DOCS];
    size_t want_lines[N_DOCS], want_chars[N_DOCS], lines[N_DOCS], chars[N_DOCS];
    read_all(ref, want, want_lines, want_chars);
    if (flags & CT_READ_STRIP_CHROME)
        CHECK(want_lines[0] >= 2); /* the menu and the footer */
    ct_error err;
    /* budget 1: the first text alone (one thread), 0: the default, all of them */
    for (size_t budget = 0; budget < 2; budget++) {
        ct_corpus *c = load(kind, flags);
        CHECK(c != NULL);
        if (!c)
            break;
        CHECK_INT(ct_corpus_hold_texts(c, budget, 1, &err), CT_OK);
        CHECK_INT(ct_corpus_hold_texts(c, budget, 1, &err), CT_OK); /* a second holder */
        for (int round = 0; round < 2; round++) {
            read_all(c, got, lines, chars);
            for (size_t d = 0; d < N_DOCS; d++) {
                CHECK_STR(got[d], want[d]);
                CHECK_INT(lines[d], want_lines[d]);
                CHECK_INT(chars[d], want_chars[d]);
                free(got[d]);
                /* held: the listing and the hold; beyond the budget: read to learn the chrome
                 * model, and at each request */
                if (budget == 0 || d == 0)
                    CHECK_INT(ct_corpus_reads(c, d), 2);
                else
                    CHECK_INT(ct_corpus_reads(c, d),
                              2 + round + ((flags & CT_READ_STRIP_CHROME) != 0));
            }
            ct_corpus_release_texts(c); /* the first release leaves the second hold */
        }
        /* released: read from the source again */
        unsigned before = ct_corpus_reads(c, 0);
        char *text;
        size_t len;
        CHECK_INT(ct_corpus_read_text(c, 0, &text, &len, &err), CT_OK);
        CHECK_STR(text, want[0]);
        free(text);
        CHECK_INT(ct_corpus_reads(c, 0), before + 1);
        ct_corpus_free(c);
    }
    /* A document added to a held corpus drops the held texts: the chrome model learns the new
     * document too, as in a corpus that had it from the start. */
    if (kind == MEMORY) {
        ct_corpus *c = load(kind, flags);
        CHECK_INT(ct_corpus_hold_texts(c, 0, 2, &err), CT_OK);
        const char *extra = "河道清淤工程完成。\n主办单位：某某市人民政府办公室\n";
        CHECK_INT(ct_corpus_add_text(c, "extra", "extra", extra, strlen(extra), &err), CT_OK);
        CHECK_INT(ct_corpus_add_text(ref, "extra", "extra", extra, strlen(extra), &err), CT_OK);
        char *a, *b;
        size_t la, lb;
        for (size_t d = 0; d <= N_DOCS; d++) {
            CHECK_INT(ct_corpus_read_text(c, d, &a, &la, &err), CT_OK);
            CHECK_INT(ct_corpus_read_text(ref, d, &b, &lb, &err), CT_OK);
            CHECK_STR(a, b);
            free(a);
            free(b);
        }
        ct_corpus_release_texts(c);
        ct_corpus_free(c);
    }
    for (size_t d = 0; d < N_DOCS; d++)
        free(want[d]);
    ct_corpus_free(ref);
}

int main(void)
{
    if (!scratch_make("reads"))
        return 1;
    make_corpora();
    for (int kind = MEMORY; kind <= TABLE; kind++)
        for (int strip = 1; strip >= 0; strip--) {
            unsigned flags = strip ? CT_READ_STRIP_CHROME : 0;
            run(kind, flags, 0, 0, 2);
            run(kind, flags, 1, 0, 1);
            run(kind, flags, 0, 1, 1);
            run(kind, flags | CT_READ_NOTE_SCRIPT, 1, 1, 2);
            hold(kind, flags);
        }
    scratch_remove();
    return check_finish();
}
