/* test_tokenize.c — the tokeniser: runs and their boundaries, n-gram ranges, numbers, words,
 * NFKC and case folding, emoji and ZWJ sequences, combining marks, stopword rules, offsets. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

typedef struct tokens {
    char buf[8192];
    size_t n;
    size_t offsets[512];
    size_t lens[512];
} tokens;

static int collect(void *ctx, const ct_token *t)
{
    tokens *k = ctx;
    size_t used = strlen(k->buf);
    snprintf(k->buf + used, sizeof k->buf - used, "%s%.*s", k->n ? "|" : "", (int)t->len, t->text);
    if (k->n < 512) {
        k->offsets[k->n] = t->offset;
        k->lens[k->n] = t->orig_len;
    }
    k->n++;
    return 0;
}

/* Tokens of text joined by '|'. */
static const char *tok(const char *text, unsigned flags, int lo, int hi, const ct_stopwords *sw,
                       tokens *k)
{
    memset(k, 0, sizeof *k);
    ct_tokenizer_options o;
    ct_tokenizer_options_init(&o);
    o.flags = flags;
    o.ngram_min = lo;
    o.ngram_max = hi;
    o.stopwords = sw;
    ct_tokenizer *t;
    if (ct_tokenizer_new(&t, &o) != CT_OK)
        return "(tokenizer_new failed)";
    int rc = ct_tokenize(t, text, strlen(text), collect, k);
    ct_tokenizer_free(t);
    return rc == CT_OK ? k->buf : "(tokenize failed)";
}

int main(void)
{
    tokens k;
    const unsigned D = CT_TOK_DEFAULT;

    /* n-grams inside a Han run, in text order: by start, then by length. */
    CHECK_STR(tok("社区建设", D, 1, 2, NULL, &k), "社|社区|区|区建|建|建设|设");
    CHECK_STR(tok("社区建设", D, 2, 3, NULL, &k), "社区|社区建|区建|区建设|建设");
    CHECK_STR(tok("社区", D, 3, 3, NULL, &k), "");
    /* Punctuation and spaces are boundaries: no n-gram spans them. */
    CHECK_STR(tok("社区，建设", D, 2, 2, NULL, &k), "社区|建设");
    CHECK_STR(tok("社区 建设\n服务", D, 2, 2, NULL, &k), "社区|建设|服务");
    CHECK_STR(tok("“社区”", D, 1, 2, NULL, &k), "社|社区|区");
    /* Script changes are boundaries: Han | Latin word | digits. */
    CHECK_STR(tok("建设5G基站", D, 1, 2, NULL, &k), "建|建设|设|5|g|基|基站|站");
    CHECK_STR(tok("GDP增长", D, 2, 2, NULL, &k), "gdp|增长");
    /* NFKC: full-width digits and letters; case folding. */
    CHECK_STR(tok("２００１年", D, 1, 1, NULL, &k), "2001|年");
    CHECK_STR(tok("ＡＢＣ", D, 1, 1, NULL, &k), "abc");
    CHECK_STR(tok("ＡＢＣ", CT_TOK_NFKC, 1, 1, NULL, &k), "ABC");
    CHECK_STR(tok("ＡＢＣ", 0, 1, 1, NULL, &k), "ＡＢＣ");
    CHECK_STR(tok("Straße", D, 1, 1, NULL, &k), "strasse");
    /* Numbers: one token, a decimal point between digits kept; --no-numbers drops them. */
    CHECK_STR(tok("增长22.4%", D, 2, 2, NULL, &k), "增长|22.4");
    CHECK_STR(tok("1.2.3.", D, 1, 1, NULL, &k), "1.2.3");
    /* --no-numbers also drops the units after digits and the numbers in Chinese numerals:
     * years (〇, ○ and 零 as zero), cardinals and percentages with their units; 十三五 (a
     * slogan, not a cardinal) stays. */
    CHECK_STR(tok("第2005年", D | CT_TOK_NO_NUMBERS, 1, 1, NULL, &k), "第");
    CHECK_STR(tok("第2005年", D, 1, 1, NULL, &k), "第|2005|年");
    CHECK_STR(tok("1955年国家决算", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "国家|家决|决算");
    CHECK_STR(tok("一九五八年大跃进", D | CT_TOK_NO_NUMBERS, 2, 3, NULL, &k), "大跃|大跃进|跃进");
    CHECK_STR(tok("从二○○四年起", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "");
    CHECK_STR(tok("从二〇〇四年开始", D | CT_TOK_NO_NUMBERS, 1, 2, NULL, &k), "从|开|开始|始");
    CHECK_STR(tok("一百五十六个建设项目", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "建设|设项|项目");
    CHECK_STR(tok("增长百分之四点五", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "增长");
    CHECK_STR(tok("降到千分之七", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "降到");
    CHECK_STR(tok("万分之三以下", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "以下");
    CHECK_STR(tok("千分之", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "千分|分之");
    CHECK_STR(tok("十三五规划", D | CT_TOK_NO_NUMBERS, 2, 2, NULL, &k), "十三|三五|五规|规划");
    CHECK_STR(tok("一九五八年", D, 2, 2, NULL, &k), "一九|九五|五八|八年");
    CHECK_STR(tok("ok 2005", D | CT_TOK_NO_WORDS, 1, 1, NULL, &k), "2005");
    /* Circled digits fold to digits under NFKC. */
    CHECK_STR(tok("①社区", D, 1, 1, NULL, &k), "1|社|区");
    /* Emoji, ZWJ sequences and variation selectors are boundaries. */
    CHECK_STR(tok("社区😀服务", D, 2, 2, NULL, &k), "社区|服务");
    CHECK_STR(tok("家👨‍👩‍👧庭", D, 1, 2, NULL, &k), "家|庭");
    CHECK_STR(tok("a\u200db", D, 1, 1, NULL, &k), "a|b");
    /* Combining marks stay with their letter (and compose under NFKC). */
    CHECK_STR(tok("cafe\xcc\x81 ok", D, 1, 1, NULL, &k), "caf\xc3\xa9|ok");
    CHECK_STR(tok("cafe\xcc\x81", 0, 1, 1, NULL, &k), "cafe\xcc\x81");
    CHECK_STR(tok("\xcc\x81社区", D, 1, 1, NULL, &k), "社|区");
    /* 〇 (a wide letter number) is written inside Han numbers: no boundary. */
    CHECK_STR(tok("二〇三五年", D, 5, 5, NULL, &k), "二〇三五年");
    CHECK_STR(tok("一九五〇年", D, 2, 2, NULL, &k), "一九|九五|五〇|〇年");
    /* A '.' between digits of any script joins the number. */
    CHECK_STR(tok("\xd9\xa1.\xd9\xa2", D, 1, 1, NULL, &k), "\xd9\xa1.\xd9\xa2");
    CHECK_STR(tok("２２.４", CT_TOK_CASEFOLD, 1, 1, NULL, &k), "２２.４");
    /* Kana and Hangul are CJK runs too; Cyrillic is a word. */
    CHECK_STR(tok("ひらがな", D, 2, 2, NULL, &k), "ひら|らが|がな");
    CHECK_STR(tok("Москва市", D, 1, 1, NULL, &k), "москва|市");
    /* Empty and boundary-only text. */
    CHECK_STR(tok("", D, 1, 3, NULL, &k), "");
    CHECK_STR(tok("，。！ \t\n", D, 1, 3, NULL, &k), "");
    /* A NUL byte is a control character: a boundary. */
    {
        const char text[] = "社区\0建设";
        memset(&k, 0, sizeof k);
        ct_tokenizer_options o;
        ct_tokenizer_options_init(&o);
        o.ngram_min = o.ngram_max = 2;
        ct_tokenizer *t;
        CHECK_INT(ct_tokenizer_new(&t, &o), CT_OK);
        CHECK_INT(ct_tokenize(t, text, sizeof text - 1, collect, &k), CT_OK);
        CHECK_STR(k.buf, "社区|建设");
        ct_tokenizer_free(t);
    }

    /* Offsets point into the original text, also through NFKC. */
    tok("ＡＢ 社区", D, 1, 2, NULL, &k);
    CHECK_STR(k.buf, "ab|社|社区|区");
    CHECK_INT(k.offsets[0], 0);
    CHECK_INT(k.lens[0], 6);
    CHECK_INT(k.offsets[1], 7);
    CHECK_INT(k.lens[2], 6);
    CHECK_INT(k.offsets[3], 10);

    /* Stopwords: a token equal to an entry is dropped; a one-character entry also drops the
     * n-grams it begins or ends, but not those it sits inside. */
    const char *entries[] = {"的", "我们", "# comment"};
    ct_stopwords *sw;
    CHECK_INT(ct_stopwords_from_array(&sw, entries, 3, CT_NORM_NFKC | CT_NORM_CASEFOLD), CT_OK);
    CHECK_INT(ct_stopwords_size(sw), 2);
    /* 我们 is an entry; 我们的 and 的社 end or begin with 的; 们的社 keeps it inside. */
    CHECK_STR(tok("我们的社区", D, 1, 3, sw, &k), "我|们|们的社|社|社区|区");
    CHECK_STR(tok("目的地", D, 2, 2, sw, &k), "");
    CHECK_STR(tok("好的好", D, 3, 3, sw, &k), "好的好");
    ct_stopwords_free(sw);

    /* Bad n ranges are refused. */
    ct_tokenizer_options o;
    ct_tokenizer_options_init(&o);
    ct_tokenizer *t;
    o.ngram_min = 0;
    CHECK_INT(ct_tokenizer_new(&t, &o), CT_EINVAL);
    o.ngram_min = 3;
    o.ngram_max = 2;
    CHECK_INT(ct_tokenizer_new(&t, &o), CT_EINVAL);
    o.ngram_min = 1;
    o.ngram_max = CT_NGRAM_LIMIT + 1;
    CHECK_INT(ct_tokenizer_new(&t, &o), CT_EINVAL);
    return check_finish();
}
