/* fuzz_jsonl.c — libFuzzer target: the JSON Lines corpus reader.
 *
 * The input is written to a memfd and added as a JSON Lines corpus; when it loads, every
 * document's text is read back (which parses its line a second time). A failure must come
 * with a message and a line number; a success must give valid UTF-8 texts. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "comptext.h"
#include "corpus_readers.h"
#include "encoding.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfd("fuzz.jsonl", data, size, path, sizeof path);
    ct_read_options ro;
    ct_read_options_init(&ro);
    if (size && (data[0] & 1))
        ro.flags |= CT_READ_STRIP_CHROME;
    ct_corpus *c = NULL;
    if (ct_corpus_new(&c, &ro) != CT_OK)
        abort();
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_corpus_add_jsonl(c, path, 0, &err);
    if (rc != CT_OK) {
        if (rc == CT_ENOMEM || !err.text[0])
            abort();
        if (rc != CT_EEMPTY && err.line <= 0)
            abort(); /* a bad line is named */
    } else {
        for (size_t d = 0; d < ct_corpus_size(c); d++) {
            if (!ct_corpus_id(c, d))
                abort();
            char *text;
            size_t len;
            rc = ct_corpus_read_text(c, d, &text, &len, &err);
            if (rc != CT_OK)
                abort(); /* the file did not change: a loaded line must read back */
            if (ct_utf8_invalid_offset(text, len) != len)
                abort();
            ct_free(text);
        }
    }
    ct_corpus_free(c);
    close(fd);
    return 0;
}
