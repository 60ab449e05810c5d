/* fuzz_chrome.c — libFuzzer target: the chrome phrase list reader and the chrome line rules.
 *
 * The input is the phrase list file; the filter built from it then judges each line of the
 * input itself (when it is valid UTF-8) and strips a fixed text with repeated lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comptext.h"
#include "encoding.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfd("chrome.txt", data, size, path, sizeof path);
    ct_chrome *chrome = NULL;
    int rc = ct_chrome_new(&chrome, path);
    if (rc != CT_OK) {
        if (chrome || rc == CT_ENOMEM)
            abort();
        close(fd);
        return 0;
    }
    const char *s = (const char *)data;
    size_t pos = 0;
    while (pos < size) {
        const char *nl = memchr(s + pos, '\n', size - pos);
        size_t n = nl ? (size_t)(nl - (s + pos)) : size - pos;
        (void)ct_chrome_line_is_chrome(chrome, s + pos, n);
        pos += n + 1;
    }
    char text[] = "阅读次数：12\n社区建设取得成效。\n社区建设取得成效。\n举报\n附件.docx VIP\n";
    size_t len = strlen(text);
    for (int i = 0; i < 3; i++)
        if (ct_chrome_observe(chrome, text, len) != CT_OK)
            abort();
    ct_chrome_finish(chrome, 3);
    ct_chrome_strip(chrome, text, len, NULL, NULL);
    if (strlen(text) != len)
        abort();
    ct_chrome_free(chrome);
    close(fd);
    return 0;
}
