/* comptext/tokenize.h — the boundary-aware character n-gram tokeniser.
 *
 * Text is normalised (comptext/normalize.h), then cut into runs at whitespace, punctuation,
 * symbols and control characters and wherever the kind of character changes. The kinds come
 * from utf8proc's properties only: CJK (wide letters and 〇: Han, kana, Hangul), other letters
 * (Latin, Greek, Cyrillic, … — words), digits; combining marks stay with the run they
 * follow. Inside a CJK run the tokeniser emits every character n-gram with MIN ≤ n ≤ MAX;
 * a run of other letters is one token (a word); a run of digits — with a '.' between digits
 * kept, so 22.4 is one number — is one token unless CT_TOK_NO_NUMBERS is set, which also
 * drops the n-grams of numbers in Chinese numerals (一九五八年, 二○○四年, 一百五十六个,
 * 百分之四点五: the CJK run is cut around them) and of the units right after digits (the 年 of
 * 1958年). No n-gram spans a run boundary. Tokens come in text order: by start, then by
 * length. */
#ifndef COMPTEXT_TOKENIZE_H
#define COMPTEXT_TOKENIZE_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>
#include "comptext/normalize.h"
#include "comptext/stopwords.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Tokeniser flags; CT_TOK_NFKC and CT_TOK_CASEFOLD equal the CT_NORM_ flags. */
enum {
    CT_TOK_NFKC = CT_NORM_NFKC,
    CT_TOK_CASEFOLD = CT_NORM_CASEFOLD,
    CT_TOK_NO_NUMBERS = 1u << 2,              /**< drop numbers (see above) */
    CT_TOK_NO_WORDS = 1u << 3,                /**< drop tokens of non-CJK letters */
    CT_TOK_FOLD_SCRIPT = CT_NORM_FOLD_SCRIPT, /**< traditional script to simplified */
    CT_TOK_DEFAULT = CT_TOK_NFKC | CT_TOK_CASEFOLD,
};

/** Default n-gram range (chosen by measurement; see BENCHMARKS.md, "Choosing -n"). */
#define CT_NGRAM_MIN_DEFAULT 2
#define CT_NGRAM_MAX_DEFAULT 4
/** Longest n-gram the tokeniser emits. */
#define CT_NGRAM_LIMIT 16

typedef struct ct_tokenizer_options {
    unsigned flags;                /**< CT_TOK_… */
    int ngram_min, ngram_max;      /**< 1 ≤ min ≤ max ≤ CT_NGRAM_LIMIT */
    const ct_stopwords *stopwords; /**< borrowed; NULL: none */
} ct_tokenizer_options;

/** Kinds of token. */
typedef enum ct_token_kind {
    CT_TOKEN_NGRAM = 0, /**< character n-gram of a CJK run */
    CT_TOKEN_WORD = 1,  /**< a run of other letters */
    CT_TOKEN_NUMBER = 2,
} ct_token_kind;

typedef struct ct_token {
    const char *text; /**< normalised UTF-8, not NUL-terminated; valid during the callback */
    size_t len;       /**< bytes */
    size_t chars;     /**< code points */
    size_t offset;    /**< byte offset in the original (un-normalised) text */
    size_t orig_len;  /**< bytes it covers in the original text */
    ct_token_kind kind;
} ct_token;

/** Called for each token; return 0 to go on, anything else to stop (ct_tokenize returns it). */
typedef int (*ct_token_fn)(void *ctx, const ct_token *token);

typedef struct ct_tokenizer ct_tokenizer;

/** Fill options with the defaults (CT_TOK_DEFAULT, plus CT_TOK_FOLD_SCRIPT when built with
 * OpenCC; the default n range, no stopwords). */
CT_API void ct_tokenizer_options_init(ct_tokenizer_options *opts);
/** Create a tokeniser (immutable: one may be shared by several threads). CT_EINVAL for a bad
 * n range, or ct_fold_init's error with CT_TOK_FOLD_SCRIPT. The stopword list is borrowed and must
 * outlive the tokeniser. */
CT_API int ct_tokenizer_new(ct_tokenizer **out, const ct_tokenizer_options *opts);
CT_API void ct_tokenizer_free(ct_tokenizer *tok);
CT_API const ct_tokenizer_options *ct_tokenizer_get_options(const ct_tokenizer *tok);

/** Tokenise len bytes of valid UTF-8 (normalising it first), calling fn for each token,
 * with offsets into text. Returns 0, a negative CT_E… code, or the callback's non-zero value. */
CT_API int ct_tokenize(const ct_tokenizer *tok, const char *text, size_t len, ct_token_fn fn,
                       void *ctx);

/** Tokenise text that is already normalised with the tokeniser's flags (by ct_normalize), so
 * that it is not normalised twice. origin is the map from ct_normalize, or NULL: offsets are
 * then offsets into norm. */
CT_API int ct_tokenize_normalized(const ct_tokenizer *tok, const char *norm, size_t len,
                                  const size_t *origin, size_t origin_len, ct_token_fn fn,
                                  void *ctx);

#ifdef __cplusplus
}
#endif
#endif
