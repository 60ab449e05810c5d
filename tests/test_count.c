/* test_count.c — counting a corpus (comptext/count.h) against the plain tokeniser.
 *
 * ct_count_corpus has its own fast paths (packed keys, per-thread tables, a merge); the
 * reference here is ct_tokenize called on each document's text with the same tokeniser,
 * its tokens counted in a small table of this test's own. For a corpus of every kind of
 * document (files with a manifest, JSON Lines, in-memory texts, an empty text, long Han
 * runs, mixed scripts, GB18030) and for several tokeniser settings and 1, 2 and 3 threads,
 * the matrix must hold exactly those counts, rows in corpus order with the documents' ids,
 * the vocabulary in byte order, columns ascending in each row, and the same result for
 * every thread count. A document that cannot be decoded fails the count, naming its file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "comptext.h"
#include "matrix_fixture.h"
#include "scratch.h"

/* A tiny term → count table (linear; the test texts are small). */
typedef struct entry {
    char *term;
    double count;
} entry;

typedef struct table {
    entry *e;
    size_t n, cap;
} table;

static int add_token(void *ctx, const ct_token *t)
{
    table *tb = ctx;
    for (size_t i = 0; i < tb->n; i++)
        if (strlen(tb->e[i].term) == t->len && memcmp(tb->e[i].term, t->text, t->len) == 0) {
            tb->e[i].count++;
            return 0;
        }
    if (tb->n == tb->cap) {
        tb->cap = tb->cap ? tb->cap * 2 : 64;
        tb->e = realloc(tb->e, tb->cap * sizeof *tb->e);
    }
    tb->e[tb->n].term = strndup(t->text, t->len);
    tb->e[tb->n].count = 1;
    tb->n++;
    return 0;
}

static void table_free(table *tb)
{
    for (size_t i = 0; i < tb->n; i++)
        free(tb->e[i].term);
    free(tb->e);
    memset(tb, 0, sizeof *tb);
}

static int progress_calls;
static size_t progress_last, progress_total;

static void on_progress(void *ctx, const char *phase, size_t done, size_t total)
{
    (void)ctx;
    (void)phase;
    progress_calls++;
    progress_last = done;
    progress_total = total;
}

/* Compare the counts of corpus under tok with the reference; returns the matrix. */
static ct_matrix *check_counts(const ct_corpus *corpus, const ct_tokenizer *tok, int threads,
                               const char *label)
{
    ct_count_options co;
    ct_count_options_init(&co);
    co.threads = threads;
    co.progress = on_progress;
    progress_calls = 0;
    ct_matrix *m = NULL;
    ct_error err;
    int rc = ct_count_corpus(&m, corpus, tok, &co, &err);
    CHECK_INT(rc, CT_OK);
    if (rc != CT_OK)
        return NULL;
    CHECK(progress_calls > 0 && progress_last == ct_corpus_size(corpus) &&
          progress_total == ct_corpus_size(corpus));
    const ct_vocab *v = ct_matrix_vocab(m);
    size_t nv = ct_vocab_size(v);
    CHECK_INT(ct_matrix_cols(m), nv);
    for (uint32_t i = 1; i < nv; i++)
        CHECK(strcmp(ct_vocab_term(v, i - 1), ct_vocab_term(v, i)) < 0);
    CHECK_INT(ct_matrix_rows(m), ct_corpus_size(corpus));
    size_t used_terms = 0;
    unsigned char *used = calloc(nv ? nv : 1, 1); /* 1 once a term is seen */
    for (size_t d = 0; d < ct_corpus_size(corpus); d++) {
        CHECK_STR(ct_matrix_row_id(m, d), ct_corpus_id(corpus, d));
        char *text;
        size_t len;
        table ref = {0};
        CHECK_INT(ct_corpus_read_text(corpus, d, &text, &len, &err), CT_OK);
        CHECK_INT(ct_tokenize(tok, text, len, add_token, &ref), CT_OK);
        ct_free(text);
        const uint32_t *cols;
        const double *vals;
        size_t n;
        ct_matrix_row(m, d, &cols, &vals, &n);
        int ok = n == ref.n;
        for (size_t i = 0; i < n; i++) {
            if (i && cols[i] <= cols[i - 1])
                ok = 0;
            if (!used[cols[i]]) {
                used[cols[i]] = 1;
                used_terms++;
            }
        }
        for (size_t k = 0; ok && k < ref.n; k++) {
            uint32_t id;
            if (ct_vocab_find(v, ref.e[k].term, strlen(ref.e[k].term), &id) != CT_OK) {
                ok = 0;
                break;
            }
            size_t i = 0;
            while (i < n && cols[i] != id)
                i++;
            if (i == n || vals[i] != ref.e[k].count)
                ok = 0;
        }
        check_count++;
        if (!ok) {
            check_failed++;
            fprintf(stderr, "%s, %d threads: document %s: %zu terms counted, %zu expected\n", label,
                    threads, ct_corpus_id(corpus, d), n, ref.n);
        }
        table_free(&ref);
    }
    CHECK_INT(used_terms, nv); /* no term without a count */
    free(used);

    /* Totals without a matrix: the same vocabulary, and each term's column sum. */
    ct_vocab *tv = NULL;
    uint64_t *totals = NULL;
    double *sums = NULL;
    CHECK_INT(ct_count_totals(&tv, &totals, corpus, tok, &co, &err), CT_OK);
    CHECK_INT(ct_matrix_col_sums(m, &sums), CT_OK);
    int same_totals = tv && totals && sums && ct_vocab_size(tv) == nv;
    for (uint32_t i = 0; same_totals && i < nv; i++)
        same_totals =
            strcmp(ct_vocab_term(tv, i), ct_vocab_term(v, i)) == 0 && (double)totals[i] == sums[i];
    check_count++;
    if (!same_totals) {
        check_failed++;
        fprintf(stderr, "%s, %d threads: ct_count_totals differs from the matrix\n", label,
                threads);
    }
    ct_vocab_unref(tv);
    ct_free(totals);
    ct_free(sums);
    return m;
}

/* 1 when two matrices are equal in every respect. */
static int same(const ct_matrix *a, const ct_matrix *b)
{
    if (!a || !b || !fixture_same_rows(a, b) || ct_matrix_nnz(a) != ct_matrix_nnz(b))
        return 0;
    for (uint32_t i = 0; i < ct_matrix_cols(a); i++)
        if (strcmp(ct_vocab_term(ct_matrix_vocab(a), i), ct_vocab_term(ct_matrix_vocab(b), i)))
            return 0;
    return 1;
}

int main(void)
{
    if (!scratch_make("count"))
        return 1;
    char dir[1024], jsonl[1024], bad[1024];
    snprintf(dir, sizeof dir, "%s/c", tmpdir);
    snprintf(jsonl, sizeof jsonl, "%s/j.jsonl", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad", tmpdir);
    mkdir(dir, 0755);
    mkdir(bad, 0755);
    put("c/a.txt",
        "泰州市城乡和谐社区建设调研情况报告\n社区服务是社区建设的关键。社区社区社区。\n");
    put("c/b.txt", "GDP增长22.4%，Ｇｄｐ与gdp；２００１年、2001年。\r\n1.2.3 ①② Straße STRASSE\n");
    put("c/c.txt", "");
    put("c/d.txt", "\xC9\xE7\xC7\xF8\xBD\xA8\xC9\xE8\xC9\xE7\xC7\xF8"); /* GB18030 社区建设社区 */
    put("c/manifest.tsv", "file\tid\ncc.txt\tempty\n");
    put("c/cc.txt", "");
    put("j.jsonl",
        "{\"id\": \"j1\", \"text\": \"的的的的的社区的\"}\n"
        "{\"id\": \"j2\", \"text\": \"家👨\\u200d👩\\u200d👧庭 cafe\\u0301 CAFÉ ひらがなカタカナ\"}\n"
        "{\"id\": \"j3\", \"text\": \"𠀀𠀁𠀀𠀁 社区\\t社区\\n社区\"}\n"
        "{\"id\": \"j4\", \"text\": \"社\\u0301区建设社区建设我们的社区 𠀀社区建𠀁设\"}\n"
        /* Numbers (dropped with CT_TOK_NO_NUMBERS): years in numerals, ○ as zero (not CJK:
         * the year runs past the CJK run), full-width digits + unit, cardinals, a
         * percentage, a traditional unit after a year that only normalisation folds, and
         * digits + unit before a character only normalisation changes (U+F900). */
        "{\"id\": \"j5\", \"text\": \"一九五八年大跃进，二○○四年非典，１９５５年国家决算，"
        "一百五十六个建设项目增长百分之四点五，二○○四萬元，2020年实现\uF900\"}\n");
    /* A run longer than the tokeniser's first buffer (256 characters). */
    char long_run[4096] = "";
    for (int i = 0; i < 90; i++)
        strcat(long_run, i % 7 ? "社区建设" : "我们的");
    put("c/e.txt", long_run);
    put("bad/a.txt", "社区\n");
    put("bad/b.txt", "ok\n\xFF\n");

    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus;
    ct_error err;
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, dir, &err), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, jsonl, &err), CT_OK);
    const char *mem = "内存里的文本：社区、社区。";
    CHECK_INT(ct_corpus_add_text(corpus, "mem", NULL, mem, strlen(mem), &err), CT_OK);
    CHECK_INT(ct_corpus_size(corpus), 12);

    /* One-character entries (edges), short entries (packed keys), a four-character entry and
     * astral entries, so that the counting fast path meets every kind of stopword. */
    const char *entries[] = {"的", "我们", "社区建设", "𠀁", "𠀀𠀁𠀀", "区"};
    ct_stopwords *sw;
    CHECK_INT(ct_stopwords_from_array(&sw, entries, 2, CT_NORM_NFKC | CT_NORM_CASEFOLD), CT_OK);
    ct_stopwords *sw_more;
    CHECK_INT(ct_stopwords_from_array(&sw_more, entries, sizeof entries / sizeof *entries,
                                      CT_NORM_NFKC | CT_NORM_CASEFOLD),
              CT_OK);
    struct {
        unsigned flags;
        int lo, hi;
        const ct_stopwords *sw;
    } settings[] = {
        {CT_TOK_DEFAULT, 1, 3, NULL},
        {CT_TOK_DEFAULT, 1, 3, sw},
        {CT_TOK_DEFAULT, 2, 4, sw},
        {CT_TOK_DEFAULT, 1, 1, NULL},
        {CT_TOK_DEFAULT, 5, 8, NULL},
        {CT_TOK_DEFAULT | CT_TOK_NO_NUMBERS | CT_TOK_NO_WORDS, 1, 2, NULL},
        {0, 1, 2, NULL},
        {CT_TOK_CASEFOLD, 1, 2, sw},
        {CT_TOK_DEFAULT, 1, 4, sw_more},
        {CT_TOK_DEFAULT, 2, 4, sw_more},
        {CT_TOK_DEFAULT, 3, 6, sw_more},
        {CT_TOK_DEFAULT, 4, 4, NULL},
        {CT_TOK_DEFAULT, 1, 3, sw_more},
    };
    for (size_t s = 0; s < sizeof settings / sizeof *settings; s++) {
        ct_tokenizer_options to;
        ct_tokenizer_options_init(&to);
        to.flags = settings[s].flags;
        to.ngram_min = settings[s].lo;
        to.ngram_max = settings[s].hi;
        to.stopwords = settings[s].sw;
        ct_tokenizer *tok;
        CHECK_INT(ct_tokenizer_new(&tok, &to), CT_OK);
        char label[64];
        snprintf(label, sizeof label, "setting %zu", s);
        ct_matrix *one = check_counts(corpus, tok, 1, label);
        for (int threads = 2; threads <= 3; threads++) {
            ct_matrix *m = check_counts(corpus, tok, threads, label);
            check_count++;
            if (!same(one, m)) {
                check_failed++;
                fprintf(stderr, "%s: %d threads differ from 1 thread\n", label, threads);
            }
            ct_matrix_free(m);
        }
        ct_matrix_free(one);
        ct_tokenizer_free(tok);
    }

    /* Random texts from pieces that normalisation treats in every way — left alone, mapped
     * punctuation, full-width digits and letters that join the runs around them, '.' between
     * digits, capitals, combining marks, ZWJ sequences, Hangul, CR LF, astral Han — counted
     * (which tokenises the text as read where it can, tokenize_keys.h) against the tokens
     * of the normalised text. */
    ct_corpus_free(corpus);
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    {
        static const char *const pieces[] = {
            "社", "区", "建",       "设",           "的", "我们", "，",           "。", "、",
            "：", "（", "）",       "％",           " ",  "\r\n", "\n",           ".",  "2",
            "0",  "9",  "２",       "５",           "．", "Ｇ",   "ｄ",           "G",  "d",
            "p",  "ß",  "\xcc\x81", "\xe2\x80\x8d", "👨",  "가",   "\xe1\x84\x80", "①",  "𠀀",
            "…",  "-",  "＝",       "\xcc\xb8",     "ﬁ",  "Ⅱ",    "　",           "\"", "a",
            "Σ",
        };
        uint32_t seed = 12345;
        for (int d = 0; d < 300; d++) {
            char text[1024] = "";
            size_t n_pieces = 5 + (seed >> 16) % 60;
            for (size_t p = 0; p < n_pieces; p++) {
                seed = seed * 1103515245u + 12345u;
                strcat(text, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
            }
            char id[16];
            snprintf(id, sizeof id, "r%d", d);
            CHECK_INT(ct_corpus_add_text(corpus, id, NULL, text, strlen(text), &err), CT_OK);
        }
        int ranges[][2] = {{1, 3}, {2, 4}, {1, 1}, {3, 5}};
        for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
            for (unsigned flags = 0; flags <= CT_TOK_DEFAULT; flags++) {
                ct_tokenizer_options to;
                ct_tokenizer_options_init(&to);
                to.flags = flags;
                to.ngram_min = ranges[r][0];
                to.ngram_max = ranges[r][1];
                to.stopwords = r % 2 ? sw_more : NULL;
                ct_tokenizer *tok;
                CHECK_INT(ct_tokenizer_new(&tok, &to), CT_OK);
                char label[64];
                snprintf(label, sizeof label, "random texts, n %d-%d, flags %u", ranges[r][0],
                         ranges[r][1], flags);
                ct_matrix_free(check_counts(corpus, tok, 2, label));
                ct_tokenizer_free(tok);
            }
    }

    /* Script folding: random texts of simplified and traditional characters, code points
     * that folding may change inside phrases (覆 in 反覆, 瞭 in 瞭解, 么), and the pieces that
     * normalisation changes (full-width digits, capitals, combining marks, a compatibility
     * ideograph, astral Han with a traditional one), some with long simplified stretches
     * between them: the counts are those of the folded text, and the script counts that the
     * counting pass makes on the way (CT_READ_NOTE_SCRIPT) are those of ct_fold_count_script
     * on the text as read. */
    ct_corpus_free(corpus);
    if (ct_fold_available()) {
        ct_read_options so;
        ct_read_options_init(&so);
        so.flags = CT_READ_NOTE_SCRIPT;
        CHECK_INT(ct_corpus_new(&corpus, &so), CT_OK);
        static const char *const pieces[] = {
            "社",
            "区",
            "国",
            "们",
            "发展",
            "國",
            "們",
            "發",
            "車",
            "覆",
            "反覆",
            "瞭",
            "瞭解",
            "么",
            "什麼",
            "乾淨",
            "，",
            "。",
            " ",
            "\n",
            "２",
            "Ｇ",
            "G",
            "\xcc\x81",
            "\xef\xa4\x82" /* U+F902, NFKC 車 */,
            "\xf0\xa0\x81\x9e" /* U+2005E, t2s changes it */,
            "𠀀",
            "가",
            "1.5",
            "社区建设是城市治理的基础，我们要坚持以人民为中心的发展思想，推进基层治理体系现代化。",
        };
        uint32_t seed = 777;
        for (int d = 0; d < 200; d++) {
            char text[16384] = "";
            size_t n_pieces = 3 + (seed >> 16) % (d % 10 == 0 ? 400 : 60);
            for (size_t p = 0; p < n_pieces && strlen(text) < sizeof text - 200; p++) {
                seed = seed * 1103515245u + 12345u;
                size_t k = (seed >> 16) % (sizeof pieces / sizeof *pieces);
                /* every tenth text: mostly the long simplified sentence, a few others */
                if (d % 10 == 0 && (seed >> 8) % 8)
                    k = sizeof pieces / sizeof *pieces - 1;
                strcat(text, pieces[k]);
            }
            char id[16];
            snprintf(id, sizeof id, "s%d", d);
            CHECK_INT(ct_corpus_add_text(corpus, id, NULL, text, strlen(text), &err), CT_OK);
        }
        ct_tokenizer_options to;
        ct_tokenizer_options_init(&to);
        to.flags = CT_TOK_DEFAULT | CT_TOK_FOLD_SCRIPT;
        ct_tokenizer *tok;
        CHECK_INT(ct_tokenizer_new(&tok, &to), CT_OK);
        ct_matrix_free(check_counts(corpus, tok, 2, "script folding"));
        size_t mixed = 0;
        for (size_t d = 0; d < ct_corpus_size(corpus); d++) {
            ct_script_counts got, want;
            char *text;
            size_t len;
            CHECK(ct_corpus_script(corpus, d, &got) == 1);
            CHECK_INT(ct_corpus_read_text(corpus, d, &text, &len, &err), CT_OK);
            CHECK_INT(ct_fold_count_script(text, len, &want), CT_OK);
            ct_free(text);
            check_count++;
            if (got.traditional != want.traditional || got.simplified != want.simplified) {
                check_failed++;
                fprintf(stderr, "script counts of %s: %zu/%zu, ct_fold_count_script %zu/%zu\n",
                        ct_corpus_id(corpus, d), got.traditional, got.simplified, want.traditional,
                        want.simplified);
            }
            mixed += want.traditional > 0 && want.simplified > 0;
        }
        CHECK(mixed > 10); /* the texts do mix scripts */
        ct_tokenizer_free(tok);
        ct_corpus_free(corpus);
    }

    /* With chrome stripping, the counts are those of the stripped texts. */
    ro.flags = CT_READ_STRIP_CHROME;
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    const char *page = "- 举报\n社区建设调研情况报告正文，第一段。\n发布时间: 2009-12-25\n";
    CHECK_INT(ct_corpus_add_text(corpus, "page", NULL, page, strlen(page), &err), CT_OK);
    {
        ct_tokenizer_options to;
        ct_tokenizer_options_init(&to);
        ct_tokenizer *tok;
        CHECK_INT(ct_tokenizer_new(&tok, &to), CT_OK);
        ct_matrix *m = check_counts(corpus, tok, 2, "chrome");
        uint32_t id;
        CHECK(m && ct_vocab_find(ct_matrix_vocab(m), "举", strlen("举"), &id) == CT_ENOTFOUND);
        CHECK(m && ct_vocab_find(ct_matrix_vocab(m), "2009", 4, &id) == CT_ENOTFOUND);
        CHECK(m && ct_vocab_find(ct_matrix_vocab(m), "正文", strlen("正文"), &id) == CT_OK);
        ct_matrix_free(m);
        ct_tokenizer_free(tok);
    }
    ct_corpus_free(corpus);

    /* A document that cannot be decoded fails the count, naming the file and the line. */
    ro.flags = 0;
    ro.encoding = CT_ENCODING_UTF8;
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, bad, &err), CT_OK);
    for (int threads = 1; threads <= 2; threads++) {
        ct_tokenizer_options to;
        ct_tokenizer_options_init(&to);
        ct_tokenizer *tok;
        CHECK_INT(ct_tokenizer_new(&tok, &to), CT_OK);
        ct_count_options co;
        ct_count_options_init(&co);
        co.threads = threads;
        ct_matrix *m = (ct_matrix *)&m;
        ct_error_clear(&err);
        CHECK_INT(ct_count_corpus(&m, corpus, tok, &co, &err), CT_EENCODING);
        CHECK(m == NULL);
        CHECK(strstr(err.source, "bad/b.txt") != NULL);
        CHECK_INT(err.line, 2);
        ct_tokenizer_free(tok);
    }
    ct_corpus_free(corpus);
    ct_stopwords_free(sw);
    ct_stopwords_free(sw_more);

    scratch_remove();
    return check_finish();
}
