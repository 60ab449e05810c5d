/* encoding.h — reading files and decoding their bytes to clean UTF-8 (private). */
#ifndef CT_ENCODING_H
#define CT_ENCODING_H

#include <stddef.h>
#include "comptext/encoding.h"
#include "comptext/error.h"

/** Offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
 * surrogates, code points above U+10FFFF and truncated sequences are invalid), or len. */
size_t ct_utf8_invalid_offset(const char *s, size_t len);

/** Decode a text file's bytes per enc into NUL-terminated UTF-8 (ct_malloc): drop a UTF-8
 * byte-order mark, read CRLF and lone CR as LF. *fell_back (may be NULL) is set to
 * CT_ENCODING_GB18030 or CT_ENCODING_BIG5 when auto read the text as that, else 0. CT_EENCODING
 * names source and the byte offset of the first bad byte. */
int ct_decode_text(const char *bytes, size_t len, ct_encoding enc, const char *source, char **out,
                   size_t *out_len, int *fell_back, ct_error *err);

/** Copy valid UTF-8 with CRLF and lone CR turned into LF (ct_malloc, NUL-terminated). */
int ct_normalize_newlines(const char *src, size_t len, char **out, size_t *out_len);

/** For files that are always UTF-8 (manifests, stopword lists): replace the "try --encoding
 * gb18030" hint of a CT_EENCODING message, which does not apply to them, by "WHAT must be
 * UTF-8". */
void ct_error_utf8_only(ct_error *err, const char *what);

/** Read a file that is always UTF-8 (manifests, stopword and reference lists) and decode it
 * (ct_decode_text with CT_ENCODING_UTF8) into *text (ct_malloc, NUL-terminated), *len bytes;
 * a CT_EENCODING message says that WHAT must be UTF-8 (ct_error_utf8_only). */
int ct_read_utf8_file(const char *path, const char *what, char **text, size_t *len, ct_error *err);

/** "UTF-32LE", "UTF-32BE", "UTF-16LE" or "UTF-16BE" when bytes look like that encoding
 * (a byte-order mark, or the pattern of its NUL bytes), else NULL: such a file gets the
 * decoder's message naming the encoding rather than a plain "NUL byte". */
const char *ct_wide_unicode_guess(const char *bytes, size_t len);

/** s[0, n) with every byte that is not part of valid UTF-8 written as \xNN (ct_malloc,
 * NUL-terminated): ids and sources from file names that are not UTF-8 (GBK on a UTF-8
 * system) must be UTF-8, for JSON and for the terminal. */
char *ct_utf8_escape_invalid(const char *s, size_t n);

/** Read what fd gives, to its end or to the first NUL byte (kept, and the last byte read:
 * the decoder then reports it), into memory (ct_malloc, NUL-terminated); CT_EIO and
 * CT_ENOMEM name name. */
int ct_read_fd(int fd, const char *name, char **bytes, size_t *len, ct_error *err);

/** Open path and ct_read_fd it; CT_EIO names the path. */
int ct_read_file(const char *path, char **bytes, size_t *len, ct_error *err);

#endif
