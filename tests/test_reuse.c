/* test_reuse.c — the text-reuse analysis through its public API: a passage planted in two
 * documents (full-width digits and Latin letters in one copy, half-width in the other, and
 * one substituted character) is found once, at the character offsets where it was planted in
 * both original texts, with its original text; a text sharing nothing gives nothing; one
 * document gives nothing; options out of range are CT_EINVAL. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

#define FILL_A "今天天气很好，我们一起去公园散步然后回家吃饭。\n"
#define PLANT_A                                                                                    \
    "为了全面推进乡村振兴，ＧＤＰ增长２０２４年实现了百分之五的目标，城乡居民收入稳步增加"
#define PLANT_B "为了全面推进乡村振兴，GDP增长2024年实现了百分之五的指标，城乡居民收入稳步增加"
#define FILL_B "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。\n"

static ct_corpus *corpus_of(const char *const *ids, const char *const *texts, size_t n)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *c = NULL;
    ct_error err;
    if (ct_corpus_new(&c, &ro) != CT_OK)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (ct_corpus_add_text(c, ids[i], ids[i], texts[i], strlen(texts[i]), &err) != CT_OK) {
            ct_corpus_free(c);
            return NULL;
        }
    return c;
}

int main(void)
{
    const char *a = FILL_A PLANT_A "。\n明月几时有，把酒问青天。";
    const char *b = FILL_B "——" PLANT_B "！\n";
    const char *z = "The quick brown fox jumps over the lazy dog, again and again.";
    const char *ids[] = {"a", "b", "z"}, *texts[] = {a, b, z};
    ct_corpus *c = corpus_of(ids, texts, 3);
    CHECK(c != NULL);
    ct_reuse_options o;
    ct_reuse_options_init(&o);
    o.threads = 2;
    ct_reuse *r = NULL;
    ct_error err;
    CHECK_INT(ct_reuse_find(c, &o, &r, &err), CT_OK);
    CHECK_INT(ct_reuse_count(r), 1);
    const ct_reuse_passage *p = ct_reuse_get(r, 0);
    CHECK(p != NULL);
    if (p) {
        CHECK_INT(p->a, 0);
        CHECK_INT(p->b, 1);
        CHECK_INT(p->a_begin, chars(FILL_A));
        CHECK_INT(p->a_end, chars(FILL_A) + chars(PLANT_A));
        CHECK_INT(p->b_begin, chars(FILL_B "——"));
        CHECK_INT(p->b_end, chars(FILL_B "——") + chars(PLANT_B));
        CHECK_STR(p->a_text, PLANT_A);
        CHECK_STR(p->b_text, PLANT_B);
        /* Letters and digits only: 40 compared characters, one substituted. */
        CHECK_INT(p->length, 40);
        CHECK_INT(p->matches, 39);
        CHECK(p->identity == 39.0 / 40.0);
        CHECK_INT(p->cluster_size, 2);
        CHECK(!p->boilerplate);
        CHECK(!p->directed);
    }
    CHECK(ct_reuse_get(r, 1) == NULL);
    ct_reuse_free(r);
    /* Options out of range. */
    o.shingle = 3;
    r = NULL;
    CHECK_INT(ct_reuse_find(c, &o, &r, &err), CT_EINVAL);
    CHECK(r == NULL);
    ct_reuse_options_init(&o);
    o.min_identity = 1.5;
    CHECK_INT(ct_reuse_find(c, &o, &r, &err), CT_EINVAL);
    ct_corpus_free(c);
    /* One document: nothing, and no error. */
    c = corpus_of(ids, texts, 1);
    ct_reuse_options_init(&o);
    CHECK_INT(ct_reuse_find(c, &o, &r, &err), CT_OK);
    CHECK_INT(ct_reuse_count(r), 0);
    ct_reuse_free(r);
    ct_corpus_free(c);
    ct_reuse_free(NULL);
    return check_finish();
}
