/* test_error.c — status codes and error records (comptext/error.h): every code has its own
 * description, a cleared record reads as "no error", and ct_error_format gives the forms the
 * command line prints ("file:line: text (byte offset N)", "file: byte offset N: text", …),
 * truncating safely into a short buffer. */
#include <string.h>

#include "check.h"
#include "comptext.h"

int main(void)
{
    const int codes[] = {CT_OK,         CT_ENOMEM, CT_EIO,    CT_EINPUT,    CT_EENCODING,
                         CT_EDUPLICATE, CT_EINVAL, CT_EEMPTY, CT_ENOTFOUND, CT_ENUMERIC};
    const size_t n = sizeof codes / sizeof *codes;
    for (size_t i = 0; i < n; i++) {
        CHECK(ct_strerror(codes[i]) != NULL && ct_strerror(codes[i])[0] != '\0');
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(ct_strerror(codes[i]), ct_strerror(codes[j])) != 0);
    }
    CHECK(ct_strerror(-12345) != NULL);

    ct_error e;
    char buf[256];
    ct_error_clear(&e);
    CHECK_STR(e.source, "");
    CHECK_STR(e.text, "");
    CHECK_INT(e.line, 0);
    CHECK_INT(e.offset, -1);
    ct_error_set(&e, "a.txt", 3, 17, "bad byte 0x%02X", 0xFF);
    CHECK_STR(ct_error_format(&e, buf, sizeof buf), "a.txt:3: bad byte 0xFF (byte offset 17)");
    ct_error_set(&e, "a.txt", 3, -1, "x");
    CHECK_STR(ct_error_format(&e, buf, sizeof buf), "a.txt:3: x");
    ct_error_set(&e, "a.txt", 0, 0, "x");
    CHECK_STR(ct_error_format(&e, buf, sizeof buf), "a.txt: byte offset 0: x");
    ct_error_set(&e, "a.txt", 0, -1, "x");
    CHECK_STR(ct_error_format(&e, buf, sizeof buf), "a.txt: x");
    ct_error_set(&e, NULL, 5, 5, "only text");
    CHECK_STR(ct_error_format(&e, buf, sizeof buf), "only text");
    ct_error_set(NULL, "ignored", 1, 1, "no record"); /* must not crash */
    /* Long sources and texts are cut, never overflow. */
    char long_src[3000];
    memset(long_src, 's', sizeof long_src - 1);
    long_src[sizeof long_src - 1] = '\0';
    ct_error_set(&e, long_src, 1, 2, "%s", long_src);
    CHECK_INT(strlen(e.source), sizeof e.source - 1);
    CHECK_INT(strlen(e.text), sizeof e.text - 1);
    char small[8];
    ct_error_format(&e, small, sizeof small);
    CHECK_INT(strlen(small), 7);
    return check_finish();
}
