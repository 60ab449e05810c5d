/* lines.h — walking the lines of a text buffer (private). The manifest, stopword and chrome
 * phrase readers and the chrome rules all take a text apart at '\n' the same way: a line is
 * the bytes up to the next '\n' (not included; a '\r' before it stays for the caller), the
 * last line needs no '\n', and a '\n' at the very end starts no further line. */
#ifndef CT_LINES_H
#define CT_LINES_H

#include <stddef.h>
#include <string.h>

/* The line of text[0, len) that starts at *pos: returns its first byte and sets *n to its
 * length, moving *pos past it and its '\n'; NULL once *pos has reached len. */
static inline const char *ct_line_next(const char *text, size_t len, size_t *pos, size_t *n)
{
    if (*pos >= len)
        return NULL;
    const char *line = text + *pos;
    const char *nl = memchr(line, '\n', len - *pos);
    *n = nl ? (size_t)(nl - line) : len - *pos;
    *pos += *n + (nl ? 1 : 0);
    return line;
}

#endif
