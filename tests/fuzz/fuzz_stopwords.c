/* fuzz_stopwords.c — libFuzzer target: the stopword list reader, then the tokeniser using
 * the list (one-character entries change how n-grams are dropped).
 *
 * The first input byte picks the normalisation flags; the rest is the list file. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "comptext.h"
#include "fuzz_common.h"

static int on_token(void *ctx, const ct_token *t)
{
    (void)ctx;
    if (!t->len)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & (CT_NORM_NFKC | CT_NORM_CASEFOLD);
    char path[64];
    int fd = fuzz_memfd("stopwords.txt", data + 1, size - 1, path, sizeof path);
    ct_stopwords *sw = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_stopwords_load(&sw, path, flags, &err);
    if (rc != CT_OK) {
        if (sw || rc == CT_ENOMEM || !err.text[0])
            abort();
    } else {
        static const char text[] = "社区建设的目的是和谐，ABC abc ２００１年 22.4% 😀 的了";
        ct_tokenizer_options o;
        ct_tokenizer_options_init(&o);
        o.flags = flags;
        o.stopwords = sw;
        ct_tokenizer *tok = NULL;
        if (ct_tokenizer_new(&tok, &o) != CT_OK)
            abort();
        if (ct_tokenize(tok, text, sizeof text - 1, on_token, NULL) != CT_OK)
            abort();
        (void)ct_stopwords_size(sw);
        ct_tokenizer_free(tok);
        ct_stopwords_free(sw);
    }
    close(fd);
    return 0;
}
