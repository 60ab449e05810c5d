/* fold_impl.h — script folding inside the text layer (private; see comptext/fold.h).
 *
 * normalize.c folds its output with ct_fold_apply, and tells the counting fast path which
 * code points folding may change (ct_fold_trigger); the tokeniser's counting path counts a
 * text's traditional code points on the way (ct_fold_count_traditional); fold_dict.cpp reads
 * the sets from OpenCC's dictionaries with OpenCC's C++ API. */
#ifndef CT_FOLD_IMPL_H
#define CT_FOLD_IMPL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Code points covered by the sets: all of Unicode. */
#define CT_FOLD_CODEPOINTS 0x110000u

/** Bit sets of CT_FOLD_CODEPOINTS bits each (bit cp & 7 of byte cp >> 3), zeroed by the
 * caller; see fold_dict.cpp for what each holds. */
typedef struct ct_fold_sets {
    uint8_t *trigger;     /* t2s may change it (alone or inside a phrase) */
    uint8_t *phrase;      /* part of a dictionary key of more than one code point */
    uint8_t *traditional; /* t2s changes it on its own */
    uint8_t *simplified;  /* s2t changes it in every reading */
} ct_fold_sets;

/** Receives the conversion of a trigger code point outside every phrase. */
typedef void (*ct_fold_single_fn)(void *ctx, uint32_t cp, const char *utf8, size_t len);

/** Fill sets->trigger, phrase and traditional from the dictionaries of OpenCC's t2s
 * configuration, and call single for each trigger outside the phrase set; the converter is
 * kept for ct_fold_opencc_convert. 0, or -1 (cannot be loaded) or -2 (out of memory) with a
 * message in err. Called once. */
int ct_fold_dict_sets(const char *t2s_config, ct_fold_sets *sets, ct_fold_single_fn single,
                      void *ctx, char *err, size_t errlen);
/** OpenCC's conversion (that of opencc_convert_utf8) of len bytes of valid UTF-8 with the
 * converter ct_fold_dict_sets loaded: a NUL-terminated buffer of *out_len bytes (malloc; the
 * caller frees it with free), or NULL when memory ran out (any C++ exception is stopped). */
char *ct_fold_opencc_convert(const char *text, size_t len, size_t *out_len);
/** Fill the simplified set from the character table of an s2t configuration (or .ocd2 file).
 * 0, or -1 (cannot be loaded) or -2 (out of memory) with a message in err. */
int ct_fold_dict_simplified(const char *s2t_config, uint8_t *simplified, char *err, size_t errlen);

/** 1 when folding may change the code point (ct_fold_init must have succeeded), else 0. */
int ct_fold_trigger(int32_t cp);
/** 1 when t2s changes the code point on its own (what ct_script_counts.traditional counts;
 * every such code point is a trigger), else 0. */
int ct_fold_traditional(int32_t cp);

/** The two halves of ct_fold_count_script (ct_fold_init must have succeeded): the traditional
 * code points of len bytes of valid UTF-8, and its simplified-only ones (ct_fold_init loaded
 * both sets). ct_tokenize_keys counts the first only in the stretches that it
 * normalises (tokenize.c). */
size_t ct_fold_count_traditional(const char *text, size_t len);
size_t ct_fold_count_simplified(const char *text, size_t len);

/** The sets over the BMP, one byte a code point (ct_fold_init must have succeeded): bit
 * CT_FOLD_BMP_TRAD (ct_fold_traditional), CT_FOLD_BMP_TRIGGER (ct_fold_trigger). */
enum {
    CT_FOLD_BMP_TRAD = 1,
    CT_FOLD_BMP_SIMP = 2,
    CT_FOLD_BMP_TRIGGER = 4,
    CT_FOLD_BMP_PHRASE = 8
};
const uint8_t *ct_fold_bmp(void);

/** Fold len bytes of valid UTF-8, of which [0, start) holds no trigger code point (the caller
 * knows; 0: nothing known). When nothing changes, *out is NULL. Else *out (ct_malloc,
 * NUL-terminated, *out_len bytes) holds the folded text and, when out_origin is not NULL,
 * *out_origin the map of its bytes (out_len + 1 entries) composed with origin (the map of
 * the input's bytes, len + 1 entries; NULL: the identity). Returns 0, CT_ENOMEM, or
 * ct_fold_init's error. */
int ct_fold_apply(const char *text, size_t len, size_t start, const size_t *origin, char **out,
                  size_t *out_len, size_t **out_origin);

#ifdef __cplusplus
}
#endif
#endif
