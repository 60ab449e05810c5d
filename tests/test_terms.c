/* test_terms.c — term discovery: a planted term is found whole and its fragments are not;
 * the matrix counts segments (a term inside a longer term is not counted again); the user
 * dictionary adds and vetoes terms and reports bad lines; options out of range fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static const char *BEFORE[] = {"今年", "继续", "我们", "认真", "各地", "努力", "全面", "必须",
                               "明年", "坚持", "他们", "切实", "各省", "尽力", "逐步", "应当"};
static const char *AFTER[] = {"顺利", "已经", "进展", "正在", "目标", "任务", "要求", "部署",
                              "完成", "开始", "实施", "落实", "提前", "全部", "超额", "基本"};

/* Document d: 五年计划 eight times, each after one of sixteen words and before a comma or one
 * of sixteen words; 城市建设 between the same words; so no longer phrase repeats often. */
static void make_doc(char *buf, size_t size, int d)
{
    size_t n = 0;
    for (int k = 0; k < 8; k++)
        n +=
            (size_t)snprintf(buf + n, size - n, "%s五年计划%s，%s城市建设%s。",
                             BEFORE[(k * 3 + d * 5) % 16], k % 2 ? AFTER[(k * 3 + d * 5) % 16] : "",
                             BEFORE[(k * 7 + d * 3 + 2) % 16], AFTER[(k * 5 + d * 3 + 1) % 16]);
    snprintf(buf + n, size - n, "新质生产力。");
}

static ct_corpus *corpus_of(int docs)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *c;
    if (ct_corpus_new(&c, &ro) != CT_OK)
        return NULL;
    for (int d = 0; d < docs; d++) {
        char buf[4096], id[16];
        make_doc(buf, sizeof buf, d);
        snprintf(id, sizeof id, "d%d", d);
        if (ct_corpus_add_text(c, id, id, buf, strlen(buf), NULL) != CT_OK)
            return NULL;
    }
    return c;
}

static int has(const ct_terms *t, const char *term, uint32_t *id)
{
    uint32_t x;
    return ct_vocab_find(ct_matrix_vocab(ct_terms_counts(t)), term, strlen(term), id ? id : &x) ==
           CT_OK;
}

int main(void)
{
    ct_corpus *c = corpus_of(4);
    CHECK(c != NULL);
    ct_terms_options o;
    ct_terms_options_init(&o);
    ct_terms *t = NULL;
    ct_error err;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_OK);
    uint32_t id;
    CHECK(has(t, "五年计划", &id));
    CHECK(!has(t, "五年计", NULL));
    CHECK(!has(t, "年计划", NULL));
    CHECK(!has(t, "五年", NULL)); /* never free of 计划: no term of its own */
    ct_term_stats st;
    ct_terms_stats(t, id, &st);
    CHECK_NEAR(st.count, 32, 0); /* 8 a document, 4 documents */
    /* A few occurrences may be taken by a repeated phrase around it (我们五年计划 …). */
    CHECK(st.tokens >= 24 && st.tokens <= st.count);
    CHECK(st.h_left > 1.0 && st.h_right > 1.0);
    const ct_matrix *m = ct_terms_counts(t);
    CHECK_INT(ct_matrix_rows(m), 4);
    CHECK_STR(ct_matrix_row_id(m, 2), "d2");
    /* The matrix holds the segments: its column sums to st.tokens. */
    double five = 0;
    for (size_t r = 0; r < 4; r++) {
        const uint32_t *cols;
        const double *vals;
        size_t nnz;
        ct_matrix_row(m, r, &cols, &vals, &nnz);
        for (size_t j = 0; j < nnz; j++)
            if (cols[j] == id)
                five += vals[j];
    }
    CHECK_NEAR(five, st.tokens, 0);
    /* 新质生产力 occurs once a document, always after 。/start and before 。: 4 times, with
     * free neighbours — a term; its parts 新质 and 生产力 never occur alone. */
    CHECK(has(t, "新质生产力", NULL));
    CHECK(!has(t, "新质", NULL));
    ct_terms_free(t);

    /* The dictionary: veto 五年计划 and 城市建设, add 城市建 (never free on the right). */
    const char *path = "test_terms_dict.txt";
    FILE *f = fopen(path, "w");
    fputs("# comment\n-五年计划\n-城市建设\n城市建\n\n", f);
    fclose(f);
    o.dict_path = path;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_OK);
    CHECK(!has(t, "五年计划", NULL));
    CHECK(!has(t, "城市建设", NULL));
    CHECK(has(t, "城市建", &id));
    ct_terms_stats(t, id, &st);
    CHECK(st.from_dict);
    CHECK_NEAR(st.count, 32, 0);
    ct_terms_free(t);
    f = fopen(path, "w");
    fputs("五年计划\nGDP增长\n", f);
    fclose(f);
    ct_error_clear(&err);
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_EINPUT);
    CHECK_INT(err.line, 2);
    CHECK(t == NULL);
    o.dict_path = "no/such/dictionary.txt";
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_EIO);
    remove(path);

    ct_terms_options_init(&o);
    o.max_len = 1;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_EINVAL);
    o.max_len = CT_TERMS_LEN_LIMIT + 1;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_EINVAL);
    ct_terms_options_init(&o);
    o.min_count = 1;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_EINVAL);
    ct_corpus_free(c);
    ct_terms_free(NULL);
    return check_finish();
}
