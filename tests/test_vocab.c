/* test_vocab.c — vocabularies (comptext/vocab.h): terms numbered in byte order whatever the
 * input order (UTF-8 byte order, so ASCII < Latin-1 < CJK and 'B' < 'a'), the remap from
 * input index to id, look-up, duplicates refused, subsets renumbered in order, reference
 * counting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

int main(void)
{
    /* Byte order: "B" 42 < "a" 61 < "ab" < "é" C3 A9 < "社" E7 A4 BE < "社区" < "𠀀" F0. */
    const char *terms[] = {"社区", "a", "𠀀", "é", "B", "社", "ab"};
    const char *sorted[] = {"B", "a", "ab", "é", "社", "社区", "𠀀"};
    ct_vocab *v = NULL;
    uint32_t *remap = NULL;
    CHECK_INT(ct_vocab_from_terms(&v, &remap, terms, 7), CT_OK);
    CHECK_INT(ct_vocab_size(v), 7);
    for (uint32_t i = 0; i < 7; i++) {
        CHECK_STR(ct_vocab_term(v, i), sorted[i]);
        CHECK_INT(ct_vocab_term_len(v, i), strlen(sorted[i]));
    }
    for (size_t i = 0; i < 7; i++)
        CHECK_STR(ct_vocab_term(v, remap[i]), terms[i]);
    uint32_t id = 99;
    CHECK_INT(ct_vocab_find(v, "社区", strlen("社区"), &id), CT_OK);
    CHECK_INT(id, 5);
    CHECK_INT(ct_vocab_find(v, "社区", 3, &id), CT_OK); /* a prefix by length: 社 */
    CHECK_INT(id, 4);
    CHECK_INT(ct_vocab_find(v, "区", strlen("区"), &id), CT_ENOTFOUND);
    CHECK_INT(ct_vocab_find(v, "", 0, &id), CT_ENOTFOUND);

    /* Subset: keep B, ab, 社区 → renumbered 0, 1, 2 in the same order. */
    unsigned char keep[7] = {1, 0, 1, 0, 0, 1, 0};
    ct_vocab *s = NULL;
    uint32_t *old_to_new = NULL;
    CHECK_INT(ct_vocab_subset(&s, &old_to_new, v, keep), CT_OK);
    CHECK_INT(ct_vocab_size(s), 3);
    CHECK_STR(ct_vocab_term(s, 0), "B");
    CHECK_STR(ct_vocab_term(s, 1), "ab");
    CHECK_STR(ct_vocab_term(s, 2), "社区");
    const uint32_t expect[7] = {0, UINT32_MAX, 1, UINT32_MAX, UINT32_MAX, 2, UINT32_MAX};
    for (int i = 0; i < 7; i++)
        CHECK_INT(old_to_new[i], expect[i]);
    ct_free(old_to_new);

    /* Reference counting: the subset lives on after the original's last reference. */
    CHECK(ct_vocab_ref(v) == v);
    ct_vocab_unref(v);
    ct_vocab_unref(v);
    CHECK_STR(ct_vocab_term(s, 2), "社区");
    ct_vocab_unref(s);
    ct_vocab_unref(NULL);
    ct_free(remap);

    /* Duplicates are refused; an empty vocabulary is fine. */
    const char *dup[] = {"a", "b", "a"};
    CHECK_INT(ct_vocab_from_terms(&v, NULL, dup, 3), CT_EINVAL);
    CHECK(v == NULL);
    CHECK_INT(ct_vocab_from_terms(&v, NULL, NULL, 0), CT_OK);
    CHECK_INT(ct_vocab_size(v), 0);
    ct_vocab_unref(v);
    return check_finish();
}
