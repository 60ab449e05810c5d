/* fuzz_decode.c — libFuzzer target: decoding (UTF-8, GB18030, auto), normalisation, the
 * tokeniser and chrome stripping on arbitrary bytes.
 *
 * The first input byte chooses the encoding, the normalisation flags, the n-gram range and
 * whether a small stopword list and chrome stripping are used; the rest is the text. The
 * decoded text must be valid UTF-8; every token must lie inside the original text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext.h"
#include "encoding.h"

static ct_stopwords *stopwords;

typedef struct check_ctx {
    size_t orig_len;
    size_t tokens;
} check_ctx;

static int on_token(void *ctx, const ct_token *t)
{
    check_ctx *c = ctx;
    if (t->len == 0 || t->offset > c->orig_len || t->orig_len > c->orig_len - t->offset)
        abort();
    if (ct_utf8_invalid_offset(t->text, t->len) != t->len)
        abort();
    c->tokens++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!stopwords) {
        static const char *const entries[] = {"的", "了", "社区", "abc", "ＡＢＣ", "2001"};
        if (ct_stopwords_from_array(&stopwords, entries, 6, CT_TOK_DEFAULT) != CT_OK)
            abort();
    }
    unsigned sel = data[0];
    const char *bytes = (const char *)data + 1;
    size_t len = size - 1;
    ct_encoding enc = (ct_encoding)(sel % 3);
    char *text = NULL;
    size_t text_len = 0;
    int gb = 0;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_decode_text(bytes, len, enc, "fuzz", &text, &text_len, &gb, &err);
    if (rc != CT_OK) {
        if (rc != CT_EENCODING && rc != CT_ENOMEM)
            abort();
        if (!err.text[0] || text)
            abort(); /* an encoding error must say why and return nothing */
        return 0;
    }
    if (ct_utf8_invalid_offset(text, text_len) != text_len || text[text_len] != '\0')
        abort();

    unsigned flags = 0;
    if (sel & 4)
        flags |= CT_TOK_NFKC;
    if (sel & 8)
        flags |= CT_TOK_CASEFOLD;
    if (sel & 16)
        flags |= CT_TOK_NO_NUMBERS | CT_TOK_NO_WORDS;
    if (sel & 64) {
        ct_chrome *chrome = NULL;
        if (ct_chrome_new(&chrome, NULL) != CT_OK)
            abort();
        if (ct_chrome_observe(chrome, text, text_len) != CT_OK)
            abort();
        ct_chrome_finish(chrome, 3);
        ct_chrome_strip(chrome, text, text_len, NULL, NULL);
        ct_chrome_free(chrome);
        if (ct_utf8_invalid_offset(text, text_len) != text_len)
            abort(); /* blanking whole lines keeps UTF-8 valid */
    }

    char *norm = NULL;
    size_t norm_len = 0, *origin = NULL;
    rc = ct_normalize(text, text_len, flags & (CT_NORM_NFKC | CT_NORM_CASEFOLD), &norm, &norm_len,
                      &origin);
    if (rc == CT_OK) {
        if (ct_utf8_invalid_offset(norm, norm_len) != norm_len || origin[norm_len] != text_len)
            abort();
        for (size_t i = 0; i < norm_len; i++)
            if (origin[i] > text_len || (i && origin[i] < origin[i - 1]))
                abort();
    } else if (rc != CT_ENOMEM) {
        abort(); /* decoded text is valid UTF-8: normalisation cannot reject it */
    }
    ct_free(norm);
    ct_free(origin);

    ct_tokenizer_options o;
    ct_tokenizer_options_init(&o);
    o.flags = flags;
    o.ngram_min = 1 + (int)((sel >> 5) & 1);
    o.ngram_max = o.ngram_min + (int)((sel >> 7) & 1) * 3;
    o.stopwords = (sel & 2) ? stopwords : NULL;
    ct_tokenizer *tok = NULL;
    if (ct_tokenizer_new(&tok, &o) != CT_OK)
        abort();
    check_ctx c = {text_len, 0};
    rc = ct_tokenize(tok, text, text_len, on_token, &c);
    if (rc != CT_OK && rc != CT_ENOMEM)
        abort();

    /* The counting path (its own fast tokeniser loop) must count exactly the tokens that
     * ct_tokenize emits. */
    ct_read_options ro;
    ct_read_options_init(&ro);
    ro.encoding = CT_ENCODING_UTF8;
    ro.flags &= ~(unsigned)CT_READ_STRIP_CHROME; /* the same text as ct_tokenize saw */
    ct_corpus *corpus = NULL;
    ct_matrix *m = NULL;
    if (ct_corpus_new(&corpus, &ro) != CT_OK ||
        ct_corpus_add_text(corpus, "d", NULL, text, text_len, &err) != CT_OK)
        abort();
    ct_count_options co;
    ct_count_options_init(&co);
    co.threads = 1;
    if (ct_count_corpus(&m, corpus, tok, &co, &err) != CT_OK)
        abort();
    const uint32_t *cols;
    const double *values;
    size_t nnz;
    ct_matrix_row(m, 0, &cols, &values, &nnz);
    double total = 0;
    for (size_t i = 0; i < nnz; i++)
        total += values[i];
    if (total != (double)c.tokens)
        abort();
    ct_matrix_free(m);
    ct_corpus_free(corpus);
    ct_tokenizer_free(tok);
    ct_free(text);
    return 0;
}
