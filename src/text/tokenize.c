/* tokenize.c — boundary-aware character n-grams (see comptext/tokenize.h for the rules).
 *
 * One pass over the normalised text finds runs of one class (charclass.h). A CJK run is
 * remembered as the byte offsets of its characters (a character carries the combining
 * marks after it), then every n-gram of the requested lengths is emitted, start by start.
 * A run of other letters is one word; a run of digits, with single '.' between digits, one
 * number. Stopwords (comptext/stopwords.h) are dropped here, so that every later count sees
 * exactly the tokens `comptext tokens` prints. */
#include <stdint.h>
#include <string.h>

#include "charclass.h"
#include "fold_impl.h"
#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/fold.h"
#include "comptext/tokenize.h"
#include "normalize_impl.h"
#include "numerals.h"
#include "stopwords_impl.h"
#include "tokenize_keys.h"
#include "utf8.h"

/* Per character of a CJK run: a one-character stopword (drops the n-grams it begins or
 * ends). */
enum { CHAR_EDGE = 1 };

/* Entries of cps and flags past the end of a run (sink_ngrams reads ahead). */
#define RUN_PAD 3

#define CLASS_MASK 0x0Fu
#define CHAR_SHIFT 4
#define CHAR_MASK 0x07u
/* In the per-code-point table: the code point's tokens are the same whether the text is
 * normalised or not (see raw_ok). */
#define INFO_RAW 0x80u

/* The CHAR_ bits of a code point under a stopword list (none: 0). */
static unsigned char_flags(const ct_stopwords *sw, int32_t cp)
{
    if (!sw)
        return 0;
    return (unsigned)ct_stopwords_edge_inline(sw, cp) * CHAR_EDGE;
}

/* Blocks where Chinese text finds its punctuation: Latin-1, general punctuation, CJK symbols
 * and punctuation, CJK compatibility forms, half- and full-width forms. */
static int punctuation_block(int32_t cp)
{
    return (cp >= 0xA0 && cp < 0xC0) || (cp >= 0x2000 && cp < 0x2070) ||
           (cp >= 0x3000 && cp < 0x3040) || (cp >= 0xFE30 && cp < 0xFE70) ||
           (cp >= 0xFF00 && cp < 0xFFF0);
}

/* 1 when tokenising the text as read gives the same tokens as tokenising it normalised
 * (under flags) wherever this BMP code point stands among others of which this holds: it is
 * a grapheme cluster of its own there, and normalisation leaves it alone — or it is a
 * boundary that normalises to boundaries other than '.' (full-width punctuation: ，→ ,),
 * which the tokeniser skips all the same. 1 or 0, or a negative CT_E… code. */
static int raw_ok(int32_t cp, unsigned flags)
{
    unsigned traits = ct_normalize_bmp_traits(cp, flags & CT_NORM_ALL);
    if (!(traits & CT_NORM_TRAIT_OWN_CLUSTER)) /* only when nothing is normalised at all */
        return !(flags & (CT_TOK_NFKC | CT_TOK_CASEFOLD)) && (traits & CT_NORM_TRAIT_UNCHANGED);
    if (traits & CT_NORM_TRAIT_UNCHANGED)
        return 1;
    if (ct_charclass_of(cp) != CT_CC_BOUNDARY || !punctuation_block(cp))
        return 0;
    char utf8[4], *norm;
    size_t norm_len;
    int rc =
        ct_normalize(utf8, ct_utf8_encode(cp, utf8), flags & CT_NORM_ALL, &norm, &norm_len, NULL);
    if (rc != CT_OK)
        return rc;
    int ok = 1;
    for (size_t i = 0; i < norm_len && ok;) {
        int32_t c;
        i += ct_utf8_decode((const unsigned char *)norm, i, &c);
        ok = c != '.' && ct_charclass_of(c) == CT_CC_BOUNDARY;
    }
    ct_free(norm);
    return ok;
}

struct ct_tokenizer {
    ct_tokenizer_options opts;
    /* Per BMP code point: its class (charclass.h) in the bits of CLASS_MASK and, above
     * CHAR_SHIFT, its CHAR_ bits under this tokeniser's stopwords — one look-up a character. */
    unsigned char info[0x10000];
};

void ct_tokenizer_options_init(ct_tokenizer_options *o)
{
    memset(o, 0, sizeof *o);
    o->flags = CT_TOK_DEFAULT | (ct_fold_available() ? CT_TOK_FOLD_SCRIPT : 0);
    o->ngram_min = CT_NGRAM_MIN_DEFAULT;
    o->ngram_max = CT_NGRAM_MAX_DEFAULT;
}

int ct_tokenizer_new(ct_tokenizer **out, const ct_tokenizer_options *opts)
{
    *out = NULL;
    if (opts->ngram_min < 1 || opts->ngram_max < opts->ngram_min ||
        opts->ngram_max > CT_NGRAM_LIMIT)
        return CT_EINVAL;
    if (opts->flags & CT_TOK_FOLD_SCRIPT) {
        int rc = ct_fold_init(NULL);
        if (rc != CT_OK)
            return rc;
    }
    ct_tokenizer *t = ct_malloc(sizeof *t);
    if (!t)
        return CT_ENOMEM;
    t->opts = *opts;
    const ct_stopwords *sw = opts->stopwords;
    for (int32_t cp = 0; cp < 0x10000; cp++) {
        int raw = raw_ok(cp, opts->flags);
        if (raw < 0) {
            ct_free(t);
            return raw;
        }
        /* Folding: a traditional code point (a trigger, so not raw already) always stops the
         * raw scan, so that ct_tokenize_keys meets each one in a stretch it normalises. */
        if ((opts->flags & CT_TOK_FOLD_SCRIPT) && ct_fold_traditional(cp))
            raw = 0;
        t->info[cp] = (unsigned char)(ct_charclass_of(cp) | char_flags(sw, cp) << CHAR_SHIFT |
                                      (raw ? INFO_RAW : 0));
    }
    *out = t;
    return CT_OK;
}

void ct_tokenizer_free(ct_tokenizer *t)
{
    ct_free(t);
}

/* Class and CHAR_ bits of any code point: the table for the BMP. */
static inline unsigned char_info(const ct_tokenizer *t, int32_t cp)
{
    if (cp < 0x10000)
        return t->info[cp];
    return (unsigned)ct_charclass_of(cp) | char_flags(t->opts.stopwords, cp) << CHAR_SHIFT |
           (t->opts.flags & CT_NORM_ALL ? 0 : INFO_RAW);
}

const ct_tokenizer_options *ct_tokenizer_get_options(const ct_tokenizer *t)
{
    return &t->opts;
}

typedef struct emit_ctx {
    const ct_tokenizer *tok;
    const char *norm;
    size_t norm_len;
    const size_t *origin;
    size_t origin_len; /* length of the original text (origin[norm_len]) */
    ct_token_fn fn;
    void *ctx;
    ct_key_sink *sink;    /* counting: packed keys go here (origin is then NULL) */
    struct raw_scan *raw; /* the text is as read, not normalised (see ct_tokenize_keys) */
} emit_ctx;

/* Tokenising text as read: where it stopped, and why. */
typedef struct raw_scan {
    int stopped; /* a code point without INFO_RAW was met: the text needs normalising */
    size_t bad;  /* its offset */
    size_t cut;  /* where the stretch to normalise starts: the last boundary or run end before
                  * it (or 0) — nothing from there on was emitted */
} raw_scan;

/* In raw mode, stop at a code point whose tokens normalisation could change. */
#define RAW_STOP(e, info, at)                                                                      \
    do {                                                                                           \
        if ((e)->raw && !((info)&INFO_RAW)) {                                                      \
            (e)->raw->stopped = 1;                                                                 \
            (e)->raw->bad = (at);                                                                  \
            rc = 1;                                                                                \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

/* The end, in the original text, of the cluster whose normalised bytes include end-1. */
static size_t origin_end(const emit_ctx *e, size_t end)
{
    if (!e->origin)
        return end;
    if (end >= e->norm_len)
        return e->origin_len;
    size_t o = e->origin[end];
    if (end > 0 && e->origin[end - 1] == o) { /* inside an expanded cluster: go to its end */
        while (end < e->norm_len && e->origin[end] == o)
            end++;
        return end >= e->norm_len ? e->origin_len : e->origin[end];
    }
    return o;
}

/* Append the key of a token of chars code points (1 to CT_KEY_CHARS) to the sink. */
static inline int sink_key(ct_key_sink *k, size_t chars, uint64_t key)
{
    k->keys[chars - 1][k->n[chars - 1]++] = key;
    return k->n[chars - 1] == CT_KEY_BATCH ? k->flush(k) : 0;
}

static int emit(const emit_ctx *e, size_t start, size_t end, size_t chars, ct_token_kind kind,
                uint64_t key, uint64_t key4)
{
    const ct_stopwords *sw = e->tok->opts.stopwords;
    if (sw && (key ? ct_stopwords_contains_key(sw, key)
                   : ct_stopwords_contains(sw, e->norm + start, end - start)))
        return 0;
    if (e->sink && key)
        return sink_key(e->sink, chars, key);
    if (e->sink && key4)
        return sink_key(e->sink, 4, key4);
    ct_token t;
    t.text = e->norm + start;
    t.len = end - start;
    t.chars = chars;
    t.kind = kind;
    t.offset = e->origin ? e->origin[start] : start;
    t.orig_len = origin_end(e, end) - t.offset;
    return e->fn(e->ctx, &t);
}

/* Emit the n-grams of a CJK run whose characters start at units[0..n-1], ending at end;
 * flags[i] holds CHAR_ bits of character i. */
static int emit_ngrams(const emit_ctx *e, const size_t *units, const int32_t *cps,
                       const unsigned char *flags, size_t n, size_t end)
{
    const ct_tokenizer_options *o = &e->tok->opts;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = (size_t)o->ngram_min; k <= (size_t)o->ngram_max && i + k <= n; k++) {
            if (k > 1 && ((flags[i] | flags[i + k - 1]) & CHAR_EDGE))
                continue;
            size_t stop = i + k < n ? units[i + k] : end;
            /* A packed key when the n-gram is plain code points (no combining marks). */
            uint64_t key = 0, key4 = 0;
            if (k <= 4) {
                size_t bytes = 0;
                for (size_t j = i; j < i + k; j++)
                    bytes += ct_utf8_length(cps[j]);
                if (bytes == stop - units[i]) {
                    key = ct_pack_codepoints(cps + i, k);
                    key4 = ct_pack4_codepoints(cps + i, k);
                }
            }
            int rc = emit(e, units[i], stop, k, CT_TOKEN_NGRAM, key, key4);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The counting fast path of emit_ngrams for a run without combining marks: the same
 * n-grams, as keys appended to the sink — except that n-grams equal to a stopword are left
 * for the caller to drop (see tokenize_keys.h). flags has CHAR_EDGE set on three places past
 * the run, so that n-grams running past its end fail the edge test. The n-grams of up to
 * three characters are written without branches (their keys grow by one code point each)
 * and counted only when wanted. */
static int sink_ngrams(const emit_ctx *e, const size_t *units, const int32_t *cps,
                       const unsigned char *flags, size_t n, size_t end)
{
    const ct_tokenizer_options *o = &e->tok->opts;
    ct_key_sink *sink = e->sink;
    size_t lo = (size_t)o->ngram_min, hi = (size_t)o->ngram_max;
    size_t want1 = lo <= 1, want2 = lo <= 2 && hi >= 2, want3 = lo <= 3 && hi >= 3;
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (flags[i] & CHAR_EDGE)
            continue; /* a one-character stopword: its unigram is one, its n-grams begin with one */
        /* Every batch has room: a full one is flushed at once. */
        uint64_t k1 = (uint64_t)cps[i] << 42;
        uint64_t k2 = k1 | (uint64_t)cps[i + 1] << 21;
        uint64_t k3 = k2 | (uint64_t)cps[i + 2];
        sink->keys[0][sink->n[0]] = k1;
        sink->n[0] += want1;
        sink->keys[1][sink->n[1]] = k2;
        sink->n[1] += want2 & !(flags[i + 1] & CHAR_EDGE);
        sink->keys[2][sink->n[2]] = k3;
        sink->n[2] += want3 & !(flags[i + 2] & CHAR_EDGE);
        if (((sink->n[0] | sink->n[1] | sink->n[2]) & CT_KEY_BATCH) && (rc = sink->flush(sink)))
            return rc;
        for (size_t k = 4; k <= hi && i + k <= n; k++) {
            if (k < lo || (flags[i + k - 1] & CHAR_EDGE))
                continue;
            uint64_t key4 = ct_pack4_codepoints(cps + i, k);
            if (key4)
                rc = sink_key(sink, 4, key4);
            else
                rc = emit(e, units[i], i + k < n ? units[i + k] : end, k, CT_TOKEN_NGRAM, 0, 0);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The n-grams of the characters [a, b) of a CJK run of n characters ending at end: the run's
 * arrays are cut there for the time of the call (the fast path reads RUN_PAD places on). */
static int emit_part(const emit_ctx *e, const size_t *units, int32_t *cps, unsigned char *flags,
                     size_t n, size_t end, int marks, size_t a, size_t b)
{
    if (b <= a)
        return 0;
    int32_t keep_cps[RUN_PAD];
    unsigned char keep_flags[RUN_PAD];
    memcpy(keep_cps, cps + b, sizeof keep_cps);
    memcpy(keep_flags, flags + b, sizeof keep_flags);
    for (size_t p = b; p < b + RUN_PAD; p++) {
        cps[p] = 0;
        flags[p] = CHAR_EDGE;
    }
    size_t stop = b < n ? units[b] : end;
    int rc = e->sink && !marks ? sink_ngrams(e, units + a, cps + a, flags + a, b - a, stop)
                               : emit_ngrams(e, units + a, cps + a, flags + a, b - a, stop);
    memcpy(cps + b, keep_cps, sizeof keep_cps);
    memcpy(flags + b, keep_flags, sizeof keep_flags);
    return rc;
}

/* CT_TOK_NO_NUMBERS: the n-grams of a CJK run but those made of numbers in Chinese numerals
 * (一九五八年, 二○○四年, 一百五十六个, 百分之四点五: numerals.h) and of the units right after
 * digits (the 年 of 1958年, when after_digits): the run is cut around them. A number may run on
 * past the run (○ is not CJK); *resume is where the text goes on. In raw mode a character
 * past the run that normalisation could change stops the scan first (*stop_at), before any
 * n-gram is emitted. */
static int emit_without_numbers(const emit_ctx *e, const size_t *units, int32_t *cps,
                                unsigned char *flags, size_t n, size_t end, int marks,
                                int after_digits, size_t *resume, size_t *stop_at)
{
    const char *s = e->norm;
    size_t len = e->norm_len, far = end;
    for (int pass = 0; pass < 2; pass++) {
        size_t a = 0, j = 0;
        if (after_digits) {
            size_t u = units[0] + ct_numerals_units_at(s, units[0], end);
            while (j < n && units[j] < u)
                j++;
            a = j;
        }
        while (j < n) {
            size_t num = ct_numerals_number_at(s, units[j], len);
            if (!num) {
                j++;
                continue;
            }
            size_t stop = units[j] + num;
            if (stop < len)
                stop += ct_numerals_units_at(s, stop, len);
            if (stop > far)
                far = stop;
            int rc = pass ? emit_part(e, units, cps, flags, n, end, marks, a, j) : 0;
            if (rc)
                return rc;
            while (j < n && units[j] < stop)
                j++;
            a = j;
        }
        if (pass == 0 && e->raw)
            for (size_t q = end, k; q < far; q += k) {
                int32_t cp;
                k = ct_utf8_decode((const unsigned char *)s, q, &cp);
                if (!(char_info(e->tok, cp) & INFO_RAW)) {
                    *stop_at = q;
                    return 1;
                }
            }
        if (pass == 1) {
            int rc = emit_part(e, units, cps, flags, n, end, marks, a, n);
            if (rc)
                return rc;
        }
    }
    *resume = far;
    return 0;
}

/* Double the room of the run arrays (cps and flags keep RUN_PAD more entries). */
static int grow_run(size_t **units, int32_t **cps, unsigned char **flags, size_t *cap)
{
    size_t n = *cap * 2;
    size_t *u = ct_reallocarray(*units, n, sizeof *u);
    if (!u)
        return CT_ENOMEM;
    *units = u;
    int32_t *c = ct_reallocarray(*cps, n + RUN_PAD, sizeof *c);
    if (!c)
        return CT_ENOMEM;
    *cps = c;
    unsigned char *g = ct_realloc(*flags, n + RUN_PAD);
    if (!g)
        return CT_ENOMEM;
    *flags = g;
    *cap = n;
    return CT_OK;
}

/* Cut the normalised text into runs and emit their tokens. */
static int tokenize_runs(const emit_ctx *e)
{
    const ct_tokenizer *tok = e->tok;
    const unsigned char *s = (const unsigned char *)e->norm;
    size_t len = e->norm_len;
    unsigned opt_flags = tok->opts.flags;
    size_t cap = 256; /* characters; cps and flags have RUN_PAD more */
    size_t *units = ct_malloc(cap * sizeof *units);
    int32_t *cps = ct_malloc((cap + RUN_PAD) * sizeof *cps);
    unsigned char *flags = ct_malloc(cap + RUN_PAD);
    int rc = 0;
    if (!units || !cps || !flags) {
        rc = CT_ENOMEM;
        goto done;
    }
    size_t i = 0, digits_end = SIZE_MAX; /* where the last run of digits ended */
    while (i < len) {
        int32_t cp;
        size_t k = ct_utf8_decode(s, i, &cp);
        unsigned info = char_info(tok, cp);
        unsigned cls = info & CLASS_MASK;
        RAW_STOP(e, info, i);
        if (cls == CT_CC_BOUNDARY || cls == CT_CC_MARK) {
            if (e->raw)
                e->raw->cut = i;
            i += k;
            continue;
        }
        size_t start = i, n = 0;
        if (cls == CT_CC_CJK) {
            /* Remember each character (with the marks after it) of the run, then emit. */
            int marks = 0;
            for (;;) {
                if (n == cap && (rc = grow_run(&units, &cps, &flags, &cap)) != CT_OK)
                    goto done;
                units[n] = i;
                cps[n] = cp;
                flags[n++] = (unsigned char)(info >> CHAR_SHIFT & CHAR_MASK);
                i += k;
                while (i < len) {
                    k = ct_utf8_decode(s, i, &cp);
                    info = char_info(tok, cp);
                    RAW_STOP(e, info, i);
                    if ((info & CLASS_MASK) != CT_CC_MARK)
                        break;
                    marks = 1;
                    i += k;
                }
                if (i >= len || (info & CLASS_MASK) != CT_CC_CJK)
                    break;
            }
            for (size_t p = n; p < n + RUN_PAD; p++) {
                cps[p] = 0;
                flags[p] = CHAR_EDGE;
            }
            if (opt_flags & CT_TOK_NO_NUMBERS) {
                size_t resume = i, stop_at = 0;
                rc = emit_without_numbers(e, units, cps, flags, n, i, marks, start == digits_end,
                                          &resume, &stop_at);
                if (rc == 1 && stop_at) {
                    e->raw->stopped = 1;
                    e->raw->bad = stop_at;
                    goto done;
                }
                i = resume;
            } else {
                rc = e->sink && !marks ? sink_ngrams(e, units, cps, flags, n, i)
                                       : emit_ngrams(e, units, cps, flags, n, i);
            }
            if (rc)
                goto done;
            if (e->raw)
                e->raw->cut = i; /* emitted: a stretch to normalise starts after it */
            continue;
        }
        /* A word or a number: same class, combining marks, and (numbers) '.' + digit. */
        for (;;) {
            n++;
            i += k;
            int32_t next = 0;
            size_t nk = 0;
            unsigned ncls = CT_CC_BOUNDARY;
            while (i < len) {
                nk = ct_utf8_decode(s, i, &next);
                unsigned ninfo = char_info(tok, next);
                RAW_STOP(e, ninfo, i);
                ncls = ninfo & CLASS_MASK;
                if (ncls != CT_CC_MARK)
                    break;
                i += nk;
            }
            if (i >= len)
                break;
            if (ncls == cls) {
                k = nk;
                continue;
            }
            if (cls == CT_CC_DIGIT && next == '.' && i + 1 < len) {
                int32_t after;
                size_t ak = ct_utf8_decode(s, i + 1, &after);
                unsigned ainfo = char_info(tok, after);
                RAW_STOP(e, ainfo, i + 1);
                if ((ainfo & CLASS_MASK) == CT_CC_DIGIT) {
                    i += 1; /* the '.' joins the number; the digit after it goes on */
                    n++;
                    k = ak;
                    continue;
                }
            }
            break;
        }
        if (cls == CT_CC_ALPHA && !(opt_flags & CT_TOK_NO_WORDS))
            rc = emit(e, start, i, n, CT_TOKEN_WORD, ct_pack_utf8(e->norm + start, i - start), 0);
        else if (cls == CT_CC_DIGIT && !(opt_flags & CT_TOK_NO_NUMBERS))
            rc = emit(e, start, i, n, CT_TOKEN_NUMBER, ct_pack_utf8(e->norm + start, i - start), 0);
        if (cls == CT_CC_DIGIT)
            digits_end = i;
        if (rc)
            goto done;
        /* Without numbers, a stretch to normalise that begins after the digits re-reads
         * them (none was emitted), so that the unit after them is still dropped. */
        if (e->raw && !(cls == CT_CC_DIGIT && (opt_flags & CT_TOK_NO_NUMBERS)))
            e->raw->cut = i;
    }
done:
    ct_free(units);
    ct_free(cps);
    ct_free(flags);
    return rc;
}

int ct_tokenize_normalized(const ct_tokenizer *tok, const char *norm, size_t len,
                           const size_t *origin, size_t origin_len, ct_token_fn fn, void *ctx)
{
    emit_ctx e = {tok, norm, len, origin, origin_len, fn, ctx, NULL, NULL};
    return tokenize_runs(&e);
}

/* The end of the stretch to normalise that holds the code point at bad: the next boundary
 * with INFO_RAW, other than '.', after a code point with INFO_RAW (runs and grapheme clusters
 * both end there), or len. */
static size_t next_cut(const ct_tokenizer *tok, const char *text, size_t len, size_t bad)
{
    const unsigned char *s = (const unsigned char *)text;
    int prev_raw = 0;
    for (size_t i = bad; i < len;) {
        int32_t cp;
        size_t k = ct_utf8_decode(s, i, &cp);
        unsigned info = char_info(tok, cp);
        if (prev_raw && (info & INFO_RAW) && (info & CLASS_MASK) == CT_CC_BOUNDARY && cp != '.')
            return i; /* ('.' may join the digits around it into one number) */
        prev_raw = (info & INFO_RAW) != 0;
        i += k;
    }
    return len;
}

/* Stretches normalised one by one before ct_tokenize_keys normalises the rest of a text —
 * unless they are rare: the rest goes in one go only while they come on average more often
 * than once in STRETCH_SPACING bytes (Korean, say, needs it in every word), not for a few
 * dozen scattered ones (覆 and 么, which script folding may change, in a long simplified
 * report). Each stretch costs a few calls, so the time stays linear in the text. */
#define MAX_STRETCHES 16
#define STRETCH_SPACING 1024

int ct_tokenize_keys(const ct_tokenizer *tok, const char *text, size_t len, ct_key_sink *sink,
                     ct_token_fn fn, void *ctx, ct_script_counts *script)
{
    unsigned flags = tok->opts.flags & CT_NORM_ALL;
    if (script) {
        memset(script, 0, sizeof *script);
        if (!(flags & CT_NORM_FOLD_SCRIPT)) { /* no stretch to count in: count the text */
            int rc = ct_fold_count_script(text, len, script);
            if (rc != CT_OK)
                return rc;
            script = NULL;
        }
    }
    /* Folding, every traditional code point stops the raw scan (ct_tokenizer_new): outside the
     * stretches normalised below there is none, and normalisation counts those inside. */
    size_t traditional = 0;
    size_t pos = 0, stretches = 0;
    while (pos < len) {
        /* As read, up to a code point that normalisation could change ... */
        raw_scan raw = {0, 0, 0};
        emit_ctx e = {tok, text + pos, len - pos, NULL, 0, fn, ctx, sink, &raw};
        int rc = tokenize_runs(&e);
        if (!raw.stopped) {
            if (rc)
                return rc;
            break;
        }
        /* ... then the stretch around it normalised, from the boundary before it (nothing
         * after that boundary was emitted) to the next one. */
        size_t from = pos + raw.cut, to = next_cut(tok, text, len, pos + raw.bad);
        if (++stretches > MAX_STRETCHES && to < stretches * STRETCH_SPACING)
            to = len; /* a text that needs it often: the rest in one go */
        char *norm;
        size_t norm_len, trad = 0;
        if ((rc = ct_normalize_counting(text + from, to - from, flags, &norm, &norm_len, &trad)) !=
            CT_OK)
            return rc;
        traditional += trad;
        emit_ctx n = {tok, norm, norm_len, NULL, 0, fn, ctx, sink, NULL};
        rc = tokenize_runs(&n);
        ct_free(norm);
        if (rc)
            return rc;
        pos = to;
    }
    if (script && traditional > 0) {
        script->traditional = traditional;
        script->simplified = ct_fold_count_simplified(text, len);
    }
    return 0;
}

int ct_tokenize(const ct_tokenizer *tok, const char *text, size_t len, ct_token_fn fn, void *ctx)
{
    char *norm;
    size_t norm_len;
    size_t *origin;
    int rc = ct_normalize(text, len, tok->opts.flags & CT_NORM_ALL, &norm, &norm_len, &origin);
    if (rc != CT_OK)
        return rc;
    rc = ct_tokenize_normalized(tok, norm, norm_len, origin, len, fn, ctx);
    ct_free(norm);
    ct_free(origin);
    return rc;
}
