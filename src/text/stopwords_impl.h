/* stopwords_impl.h — the body of ct_stopwords, for the tokeniser's hot loop (private).
 *
 * The tokeniser asks two questions of every character of a CJK run — is it a one-character
 * entry (it then drops the n-grams the character begins or ends), and does some entry start
 * with it (only then can an n-gram starting there be an entry) — so both are bitmaps over
 * the BMP that it reads inline; the rest of the list is used through comptext/stopwords.h. */
#ifndef CT_STOPWORDS_IMPL_H
#define CT_STOPWORDS_IMPL_H

#include <stdint.h>

#include "comptext/stopwords.h"
#include "keytab.h"
#include "termtab.h"

struct ct_stopwords {
    ct_termtab *entries;
    ct_keytab *packed; /* entries of one to three code points, by packed key */
    int32_t *edge;     /* sorted one-character entries above the BMP */
    size_t n_edge;
    unsigned char edge_bmp[0x10000 / 8];
    unsigned char first_bmp[0x10000 / 8]; /* first code points of entries: a cheap pre-check */
    int first_astral;                     /* some entry starts above the BMP */
};

/** 1 when the n-gram whose packed key (utf8.h, one to three code points, non-zero) is key is
 * an entry. */
int ct_stopwords_contains_key(const ct_stopwords *list, uint64_t key);
/** 1 when the code point is a one-character entry (drops n-grams it begins or ends). */
int ct_stopwords_is_edge(const ct_stopwords *list, int32_t codepoint);

/** 1 when some entry may start with cp (a BMP bitmap; every astral cp when any entry does). */
static inline int ct_stopwords_may_start(const ct_stopwords *sw, int32_t cp)
{
    return cp < 0x10000 ? (sw->first_bmp[cp >> 3] >> (cp & 7)) & 1 : sw->first_astral;
}

/** ct_stopwords_is_edge, inline for the BMP. */
static inline int ct_stopwords_edge_inline(const ct_stopwords *sw, int32_t cp)
{
    return cp < 0x10000 ? (sw->edge_bmp[cp >> 3] >> (cp & 7)) & 1 : ct_stopwords_is_edge(sw, cp);
}

#endif
