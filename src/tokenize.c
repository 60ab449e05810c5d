/* tokenize.c — boundary-aware character n-grams (see comptext/tokenize.h for the rules).
 *
 * One pass over the normalised text finds runs of one class (charclass.h). A CJK run is
 * remembered as the byte offsets of its characters (a character carries the combining
 * marks after it), then every n-gram of the requested lengths is emitted, start by start.
 * A run of other letters is one word; a run of digits, with single '.' between digits, one
 * number. Stopwords (comptext/stopwords.h) are dropped here, so that every later count sees
 * exactly the tokens `comptext tokens` prints. */
#include <string.h>

#include "charclass.h"
#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/tokenize.h"
#include "utf8.h"

struct ct_tokenizer {
    ct_tokenizer_options opts;
};

void ct_tokenizer_options_init(ct_tokenizer_options *o)
{
    memset(o, 0, sizeof *o);
    o->flags = CT_TOK_DEFAULT;
    o->ngram_min = CT_NGRAM_MIN_DEFAULT;
    o->ngram_max = CT_NGRAM_MAX_DEFAULT;
}

int ct_tokenizer_new(ct_tokenizer **out, const ct_tokenizer_options *opts)
{
    *out = NULL;
    if (opts->ngram_min < 1 || opts->ngram_max < opts->ngram_min ||
        opts->ngram_max > CT_NGRAM_LIMIT)
        return CT_EINVAL;
    ct_tokenizer *t = ct_malloc(sizeof *t);
    if (!t)
        return CT_ENOMEM;
    t->opts = *opts;
    *out = t;
    return CT_OK;
}

void ct_tokenizer_free(ct_tokenizer *t)
{
    ct_free(t);
}

const ct_tokenizer_options *ct_tokenizer_get_options(const ct_tokenizer *t)
{
    return &t->opts;
}

/* Decode one code point of the (valid) normalised text at s[i]; returns its length. */
static inline size_t decode_at(const unsigned char *s, size_t i, size_t len, int32_t *cp)
{
    (void)len;
    return ct_utf8_decode(s, i, cp);
}

typedef struct emit_ctx {
    const ct_tokenizer *tok;
    const char *norm;
    size_t norm_len;
    const size_t *origin;
    size_t origin_len; /* length of the original text (origin[norm_len]) */
    ct_token_fn fn;
    void *ctx;
} emit_ctx;

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

static int emit(const emit_ctx *e, size_t start, size_t end, size_t chars, ct_token_kind kind,
                uint64_t key, uint64_t key4)
{
    const ct_stopwords *sw = e->tok->opts.stopwords;
    if (sw && (key ? ct_stopwords_contains_key(sw, key)
                   : ct_stopwords_contains(sw, e->norm + start, end - start)))
        return 0;
    ct_token t;
    t.key = key;
    t.key4 = key4;
    t.text = e->norm + start;
    t.len = end - start;
    t.chars = chars;
    t.kind = kind;
    t.offset = e->origin ? e->origin[start] : start;
    t.orig_len = origin_end(e, end) - t.offset;
    return e->fn(e->ctx, &t);
}

/* Emit the n-grams of a CJK run whose characters start at units[0..n-1], ending at end;
 * edge[i] says character i is a one-character stopword. */
static int emit_ngrams(const emit_ctx *e, const size_t *units, const int32_t *cps,
                       const unsigned char *edge, size_t n, size_t end)
{
    const ct_tokenizer_options *o = &e->tok->opts;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = (size_t)o->ngram_min; k <= (size_t)o->ngram_max && i + k <= n; k++) {
            if (k > 1 && (edge[i] || edge[i + k - 1]))
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

int ct_tokenize_normalized(const ct_tokenizer *tok, const char *norm, size_t len,
                           const size_t *origin, size_t origin_len, ct_token_fn fn, void *ctx)
{
    emit_ctx e = {tok, norm, len, origin, origin_len, fn, ctx};
    const unsigned char *s = (const unsigned char *)norm;
    unsigned flags = tok->opts.flags;
    const ct_stopwords *sw = tok->opts.stopwords;
    size_t cap = 256;
    size_t *units = ct_malloc(cap * sizeof *units);
    int32_t *cps = ct_malloc(cap * sizeof *cps);
    unsigned char *edge = ct_malloc(cap);
    int rc = 0;
    if (!units || !cps || !edge) {
        rc = CT_ENOMEM;
        goto done;
    }
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t k = decode_at(s, i, len, &cp);
        enum ct_charclass cls = ct_charclass_of(cp);
        if (cls == CT_CC_BOUNDARY || cls == CT_CC_MARK) {
            i += k;
            continue;
        }
        size_t start = i, n = 0;
        /* Extend the run: same class, or a combining mark, or (numbers) '.' + digit. */
        for (;;) {
            if (cls == CT_CC_CJK) {
                if (n == cap) {
                    size_t *u = ct_reallocarray(units, cap * 2, sizeof *u);
                    if (!u) {
                        rc = CT_ENOMEM;
                        goto done;
                    }
                    units = u;
                    int32_t *c = ct_reallocarray(cps, cap * 2, sizeof *c);
                    if (!c) {
                        rc = CT_ENOMEM;
                        goto done;
                    }
                    cps = c;
                    unsigned char *g = ct_realloc(edge, cap * 2);
                    if (!g) {
                        rc = CT_ENOMEM;
                        goto done;
                    }
                    edge = g;
                    cap *= 2;
                }
                units[n] = i;
                cps[n] = cp;
                edge[n] = sw && ct_stopwords_is_edge(sw, cp);
            }
            n++;
            i += k;
            /* Look at what follows, once: combining marks stay with this character. */
            int32_t next = 0;
            size_t nk = 0;
            enum ct_charclass ncls = CT_CC_BOUNDARY;
            while (i < len) {
                nk = decode_at(s, i, len, &next);
                ncls = ct_charclass_of(next);
                if (ncls != CT_CC_MARK)
                    break;
                i += nk;
            }
            if (i >= len)
                break;
            if (ncls == cls) {
                cp = next;
                k = nk;
                continue;
            }
            if (cls == CT_CC_DIGIT && next == '.' && i + 1 < len) {
                int32_t after;
                size_t ak = decode_at(s, i + 1, len, &after);
                if (ct_charclass_of(after) == CT_CC_DIGIT) {
                    i += 1; /* the '.' joins the number; the digit after it goes on */
                    n++;
                    cp = after;
                    k = ak;
                    continue;
                }
            }
            break;
        }
        if (cls == CT_CC_CJK)
            rc = emit_ngrams(&e, units, cps, edge, n, i);
        else if (cls == CT_CC_ALPHA && !(flags & CT_TOK_NO_WORDS))
            rc = emit(&e, start, i, n, CT_TOKEN_WORD, ct_pack_utf8(norm + start, i - start), 0);
        else if (cls == CT_CC_DIGIT && !(flags & CT_TOK_NO_NUMBERS))
            rc = emit(&e, start, i, n, CT_TOKEN_NUMBER, ct_pack_utf8(norm + start, i - start), 0);
        if (rc)
            goto done;
    }
done:
    ct_free(units);
    ct_free(cps);
    ct_free(edge);
    return rc;
}

int ct_tokenize(const ct_tokenizer *tok, const char *text, size_t len, ct_token_fn fn,
                void *ctx)
{
    char *norm;
    size_t norm_len;
    size_t *origin;
    int rc = ct_normalize(text, len, tok->opts.flags & (CT_TOK_NFKC | CT_TOK_CASEFOLD), &norm,
                          &norm_len, &origin);
    if (rc != CT_OK)
        return rc;
    rc = ct_tokenize_normalized(tok, norm, norm_len, origin, len, fn, ctx);
    ct_free(norm);
    ct_free(origin);
    return rc;
}
