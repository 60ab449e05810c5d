/* tokenize_keys.h — the tokeniser's fast path for counting (private).
 *
 * Counting needs no offsets and no token text for the n-grams that pack into an integer key
 * (utf8.h): nearly all of them. ct_tokenize_keys applies exactly the rules of
 * ct_tokenize_normalized, but appends those keys to a batch in a ct_key_sink instead of
 * calling a function for every token; only tokens without a packed key (long n-grams,
 * n-grams with combining marks, long words) still go through the token callback.
 *
 * One difference: a packed n-gram that equals a stopword entry may reach the sink (looking
 * every n-gram up in the list would cost more than the rest of its counting). Dropping a
 * token drops one occurrence of its term, so the caller drops those terms once, at the end:
 * every term that ct_stopwords_contains finds. (One-character stopwords, which also drop the
 * n-grams they begin or end, are applied here as always.) */
#ifndef CT_TOKENIZE_KEYS_H
#define CT_TOKENIZE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "comptext/fold.h"
#include "comptext/tokenize.h"

/** Keys a batch holds (a power of two). */
#define CT_KEY_BATCH 512
/** N-grams of one to this many code points have packed keys. */
#define CT_KEY_CHARS 4

typedef struct ct_key_sink {
    /** keys[k - 1]: the keys of tokens of k code points — ct_token.key for k ≤ 3, ct_token.key4
     * for k = 4 — kept apart by length, so that each length has a hash table of its own and
     * the short n-grams, the most frequent, are counted in tables that stay in the cache. */
    uint64_t keys[CT_KEY_CHARS][CT_KEY_BATCH];
    size_t n[CT_KEY_CHARS];
    /** Called when a batch is full and by the caller at the end: must consume every batch and
     * set every n to 0; a non-zero return stops the tokeniser. */
    int (*flush)(struct ct_key_sink *sink);
    void *ctx;
} ct_key_sink;

/** Tokenise text as read (valid UTF-8, not yet normalised) into the tokens ct_tokenize gives:
 * tokens with a packed key go to sink (which the caller flushes at the end), the others to
 * fn, whose token texts are normalised but whose offsets mean nothing. The text is
 * tokenised as it is wherever normalising it could not change a token — code points that
 * normalisation leaves alone, and punctuation that it maps to punctuation (full-width ，
 * to ,) — and only the stretches around other code points (full-width digits, capitals,
 * combining marks) are normalised first, from the boundary before to the boundary after.
 * script (NULL: not wanted) receives the text's script counts, those of ct_fold_count_script:
 * with script folding as a by-product — every traditional code point is in a stretch, and only
 * the stretches are looked at — else from a pass of their own. */
int ct_tokenize_keys(const ct_tokenizer *tok, const char *text, size_t len, ct_key_sink *sink,
                     ct_token_fn fn, void *ctx, ct_script_counts *script);

#endif
