/* encoding.c — from a file on disk to the clean UTF-8 every later step expects.
 *
 * UTF-8 is checked by hand (it is the hot path and the rules are short: no overlong forms,
 * no surrogates, nothing above U+10FFFF, no truncated sequence); GB18030 goes through iconv.
 * In "auto" mode UTF-8 wins when the whole text is valid UTF-8, otherwise GB18030 is tried
 * — or Big5 (iconv's CP950), when the bytes are valid Big5 and look like it (looks_like_big5)
 * — and when both fail the error names the first byte that is not UTF-8. UTF-16 and UTF-32,
 * with or without a byte-order mark, are named in the error. A UTF-8 byte-order
 * mark is dropped and line ends become LF, so offsets are offsets into the decoded text. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "encoding.h"

/* 1 when the twelve bytes at p are four valid three-byte forms with lead bytes E1-EC or EE-EF
 * (no overlong or surrogate forms are possible with those): four Han characters, checked
 * with two 8-byte masks and a table of lead nibbles. */
static inline int four_three_byte_forms(const unsigned char *p)
{
    static const unsigned char lead_ok[16] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1};
    /* a: bytes 0-7 (leads at 0, 3, 6); b: bytes 4-11, of which 8-11 are checked here (the
     * last continuation of the third form, the fourth form); both as little-endian words,
     * whatever the host. */
    uint64_t a = 0, b = 0;
    for (int i = 7; i >= 0; i--) {
        a = a << 8 | p[i];
        b = b << 8 | p[4 + i];
    }
    return (a & 0xC0F0C0C0F0C0C0F0ULL) == 0x80E08080E08080E0ULL &&
           (b & 0xC0C0F0C000000000ULL) == 0x8080E08000000000ULL &&
           lead_ok[p[0] & 15] & lead_ok[p[3] & 15] & lead_ok[p[6] & 15] & lead_ok[p[9] & 15];
}

size_t ct_utf8_invalid_offset(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* The common cases first: eight ASCII bytes, and the three-byte forms of Chinese text
         * (lead bytes E1-EC and EE-EF, which have no overlong or surrogate forms). */
        uint64_t w;
        while (len - i >= 8 && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
            i += 8;
        while (len - i >= 12 && four_three_byte_forms(s + i))
            i += 12;
        while (len - i > 2 && s[i] > 0xE0 && s[i] < 0xF0 && s[i] != 0xED &&
               (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80)
            i += 3;
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return i;
        }
        if (need >= len - i)
            return i; /* truncated at the end */
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += need + 1;
    }
    return len;
}

int ct_normalize_newlines(const char *src, size_t len, char **out, size_t *out_len)
{
    char *dst = ct_malloc(len + 1);
    if (!dst)
        return CT_ENOMEM;
    size_t i = 0, j = 0;
    while (i < len) {
        const char *cr = memchr(src + i, '\r', len - i);
        size_t plain = cr ? (size_t)(cr - (src + i)) : len - i;
        memcpy(dst + j, src + i, plain);
        i += plain;
        j += plain;
        if (i < len) { /* a CR, or a CR LF: one LF */
            dst[j++] = '\n';
            i += i + 1 < len && src[i + 1] == '\n' ? 2 : 1;
        }
    }
    dst[j] = '\0';
    *out = dst;
    *out_len = j;
    return CT_OK;
}

/* Convert GB18030 (or, named, another encoding) to UTF-8 with iconv; on failure *bad_offset
 * is the offending byte. */
static int iconv_to_utf8(const char *from, const char *src, size_t len, char **out, size_t *out_len,
                         size_t *bad_offset)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return CT_EENCODING;
    size_t cap = len * 2 + 16; /* GB18030 or Big5 → UTF-8 grows at most 3/2 */
    char *buf = ct_malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return CT_ENOMEM;
    }
    char *in = (char *)src, *o = buf;
    size_t in_left = len, out_left = cap - 1;
    int rc = CT_OK;
    if (iconv(cd, &in, &in_left, &o, &out_left) == (size_t)-1) {
        *bad_offset = (size_t)(in - src);
        rc = errno == E2BIG ? CT_ENOMEM : CT_EENCODING;
    }
    iconv_close(cd);
    if (rc != CT_OK) {
        ct_free(buf);
        return rc;
    }
    *o = '\0';
    *out = buf;
    *out_len = (size_t)(o - buf);
    return CT_OK;
}

static int looks_like_utf16(const unsigned char *s, size_t len)
{
    return len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF));
}

/* UTF-32: "UTF-32LE"/"UTF-32BE" when the text starts with its byte-order mark or, without
 * one, when every four bytes (of those read) are a code point (at most U+10FFFF) in that
 * byte order; else NULL. (FF FE 00 00 is checked before UTF-16's FF FE.) */
static const char *utf32_kind(const unsigned char *s, size_t len, int *bom)
{
    *bom = 0;
    if (len < 4)
        return NULL;
    if (s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
        *bom = 1;
        return "UTF-32LE";
    }
    if (s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
        *bom = 1;
        return "UTF-32BE";
    }
    int le = 1, be = 1;
    for (size_t i = 0; i + 4 <= len && (le || be); i += 4) { /* (reading may stop mid-way) */
        int zero = !(s[i] | s[i + 1] | s[i + 2] | s[i + 3]); /* U+0000 is no text (/dev/zero) */
        le = le && !zero && s[i + 3] == 0 && s[i + 2] <= 0x10;
        be = be && !zero && s[i] == 0 && s[i + 1] <= 0x10;
    }
    return le ? "UTF-32LE" : be ? "UTF-32BE" : NULL;
}

/* UTF-16 without a byte-order mark, guessed from where its NUL bytes are (the high bytes of
 * ASCII characters, line ends above all): all at odd offsets, little-endian; all at even
 * ones, big-endian; else NULL. */
static const char *utf16_guess(const unsigned char *s, size_t len)
{
    int odd = 0, even = 0;
    for (size_t i = 0; i < len; i++)
        if (!s[i]) {
            if (i % 2)
                odd = 1;
            else
                even = 1;
        }
    return odd && !even ? "UTF-16LE" : even && !odd ? "UTF-16BE" : NULL;
}

const char *ct_wide_unicode_guess(const char *bytes, size_t len)
{
    const unsigned char *s = (const unsigned char *)bytes;
    int bom;
    const char *kind = utf32_kind(s, len, &bom);
    if (kind)
        return kind;
    if (looks_like_utf16(s, len))
        return s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    return memchr(s, '\0', len) ? utf16_guess(s, len) : NULL;
}

/* Text that is valid GB18030 may be Big5, whose byte ranges GB18030 nearly covers (read as
 * GB18030, Big5 gives rare characters and private-use ones). 1 when every byte above 0x7F
 * is part of a Big5 pair (lead A1-F9) and the pairs look like Big5, not like GB text: at
 * least a tenth of them have a trail byte 40-7E (Big5's punctuation ，。 are A1 41 and A1 43;
 * the GB2312 characters of simplified text never have such trails), or a pair falls where
 * GB18030 has only user-defined, private-use characters (AAA1-AFFE, F8A1-FEFE, A140-A7A0),
 * where Big5 has common characters (社 is AA C0). */
static int looks_like_big5(const unsigned char *s, size_t len)
{
    size_t pairs = 0, low = 0, private_use = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xA1 || c > 0xF9 || i + 1 >= len)
            return 0;
        unsigned char t = s[i + 1];
        int is_low = t >= 0x40 && t <= 0x7E;
        if (!is_low && (t < 0xA1 || t == 0xFF))
            return 0;
        pairs++;
        low += is_low;
        private_use +=
            (c >= 0xAA && c <= 0xAF && !is_low) || (c >= 0xF8 && !is_low) || (c <= 0xA7 && is_low);
        i += 2;
    }
    return pairs > 0 && (low * 10 >= pairs || private_use > 0);
}

/* The 1-based line of byte offset in bytes; LF, CRLF and a lone CR each end a line (as they
 * do once the text is decoded). */
static long line_of(const char *bytes, size_t offset)
{
    long line = 1;
    for (size_t i = 0; i < offset; i++)
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= offset || bytes[i + 1] != '\n')))
            line++;
    return line;
}

static int decode(const char *bytes, size_t len, ct_encoding enc, const char *source, char **out,
                  size_t *out_len, int *fell_back, ct_error *err);

int ct_decode_text(const char *bytes, size_t len, ct_encoding enc, const char *source, char **out,
                   size_t *out_len, int *fell_back, ct_error *err)
{
    int rc = decode(bytes, len, enc, source, out, out_len, fell_back, err);
    if (rc == CT_EENCODING && err && err->offset >= 0 && (size_t)err->offset <= len)
        err->line = line_of(bytes, (size_t)err->offset);
    return rc;
}

static int decode(const char *bytes, size_t len, ct_encoding enc, const char *source, char **out,
                  size_t *out_len, int *fell_back, ct_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (fell_back)
        *fell_back = 0;
    const unsigned char *u = (const unsigned char *)bytes;
    /* A NUL byte is never text (in UTF-8 or GB18030): a binary file, or UTF-16 without a
     * byte-order mark — whose tokens would be garbage. UTF-16 with one is reported below. */
    const char *nul = memchr(bytes, '\0', len);
    int bom;
    const char *utf32 = nul ? utf32_kind(u, len, &bom) : NULL;
    if (utf32) {
        ct_error_set(err, source, 0, 0,
                     "this looks like %s (%s); convert it to UTF-8 first, e.g. iconv -f %s -t "
                     "UTF-8",
                     utf32, bom ? "byte-order mark" : "no byte-order mark", utf32);
        return CT_EENCODING;
    }
    if (nul && !looks_like_utf16(u, len)) {
        const char *utf16 = utf16_guess(u, len);
        if (utf16)
            ct_error_set(err, source, 0, (long long)(nul - bytes),
                         "NUL byte: this looks like %s without a byte-order mark; convert it to "
                         "UTF-8 first, e.g. iconv -f %s -t UTF-8",
                         utf16, utf16);
        else
            ct_error_set(err, source, 0, (long long)(nul - bytes),
                         "NUL byte: not a text file (or UTF-16 without a byte-order mark)");
        return CT_EENCODING;
    }
    if (enc == CT_ENCODING_BIG5) {
        char *b5 = NULL;
        size_t b5_len = 0, b5_bad = 0;
        int rc = iconv_to_utf8("CP950", bytes, len, &b5, &b5_len, &b5_bad);
        if (rc == CT_EENCODING)
            ct_error_set(err, source, 0, (long long)b5_bad, "invalid Big5 (byte 0x%02X)",
                         u[b5_bad]);
        if (rc != CT_OK)
            return rc;
        rc = ct_normalize_newlines(b5, b5_len, out, out_len);
        ct_free(b5);
        return rc;
    }
    if (enc != CT_ENCODING_GB18030) {
        size_t skip = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
        size_t bad = ct_utf8_invalid_offset(bytes + skip, len - skip);
        if (bad == len - skip)
            return ct_normalize_newlines(bytes + skip, len - skip, out, out_len);
        bad += skip;
        if (looks_like_utf16(u, len)) {
            ct_error_set(err, source, 0, 0,
                         "this looks like UTF-16 (byte-order mark %02X %02X); convert it to "
                         "UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8",
                         u[0], u[1]);
            return CT_EENCODING;
        }
        if (enc == CT_ENCODING_UTF8) {
            ct_error_set(err, source, 0, (long long)bad,
                         "invalid UTF-8 (byte 0x%02X); try --encoding gb18030", u[bad]);
            return CT_EENCODING;
        }
        char *gb = NULL;
        size_t gb_len = 0, gb_bad = 0;
        int rc = iconv_to_utf8("GB18030", bytes, len, &gb, &gb_len, &gb_bad);
        if (rc == CT_ENOMEM)
            return rc;
        if (rc != CT_OK) {
            ct_error_set(err, source, 0, (long long)bad,
                         "neither valid UTF-8 (byte 0x%02X at offset %zu) nor valid GB18030 "
                         "(offset %zu)",
                         u[bad], bad, gb_bad);
            return CT_EENCODING;
        }
        int fell = CT_ENCODING_GB18030;
        if (looks_like_big5(u, len)) {
            char *b5 = NULL;
            size_t b5_len = 0, b5_bad = 0;
            rc = iconv_to_utf8("CP950", bytes, len, &b5, &b5_len, &b5_bad);
            if (rc == CT_ENOMEM) {
                ct_free(gb);
                return rc;
            }
            if (rc == CT_OK) {
                ct_free(gb);
                gb = b5;
                gb_len = b5_len;
                fell = CT_ENCODING_BIG5;
            }
        }
        if (fell_back)
            *fell_back = fell;
        rc = ct_normalize_newlines(gb, gb_len, out, out_len);
        ct_free(gb);
        return rc;
    }
    char *gb = NULL;
    size_t gb_len = 0, gb_bad = 0;
    int rc = iconv_to_utf8("GB18030", bytes, len, &gb, &gb_len, &gb_bad);
    if (rc == CT_EENCODING)
        ct_error_set(err, source, 0, (long long)gb_bad, "invalid GB18030 (byte 0x%02X)", u[gb_bad]);
    if (rc != CT_OK)
        return rc;
    rc = ct_normalize_newlines(gb, gb_len, out, out_len);
    ct_free(gb);
    return rc;
}

void ct_error_utf8_only(ct_error *err, const char *what)
{
    char *hint = err ? strstr(err->text, "; try --encoding gb18030") : NULL;
    if (hint)
        snprintf(hint, sizeof err->text - (size_t)(hint - err->text), "; %s must be UTF-8", what);
}

/* s[0, n) with every byte that is not part of valid UTF-8 written as \xNN (a GBK file name
 * on a UTF-8 system): ids must be UTF-8, for JSON and for the terminal. */
char *ct_utf8_escape_invalid(const char *s, size_t n)
{
    char *out = ct_malloc(4 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    while (i < n) {
        size_t ok = ct_utf8_invalid_offset(s + i, n - i);
        memcpy(out + o, s + i, ok);
        o += ok;
        i += ok;
        if (i < n) {
            snprintf(out + o, 5, "\\x%02X", (unsigned char)s[i]);
            o += 4;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

int ct_read_fd(int fd, const char *name, char **bytes, size_t *len, ct_error *err)
{
    *bytes = NULL;
    *len = 0;
    size_t cap = 1 << 16, n = 0;
    char *buf = ct_malloc(cap);
    if (!buf) {
        ct_error_set(err, name, 0, -1, "out of memory while reading");
        return CT_ENOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *b = cap <= SIZE_MAX / 2 ? ct_realloc(buf, cap * 2) : NULL;
            if (!b) {
                ct_free(buf);
                ct_error_set(err, name, 0, (long long)n,
                             "out of memory while reading (%zu bytes read)", n);
                return CT_ENOMEM;
            }
            buf = b;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            ct_free(buf);
            ct_error_set(err, name, 0, (long long)n, "read error: %s", strerror(e));
            return CT_EIO;
        }
        if (got == 0)
            break;
        /* A NUL byte is never text: stop after the read that met the first one (the decoder
         * reports it with its line and offset, and tells UTF-16 and UTF-32 from the bytes
         * around it), so that /dev/zero or a binary file is not read to its end. */
        const char *nul = memchr(buf + n, '\0', (size_t)got);
        n += (size_t)got;
        if (nul)
            break;
    }
    buf[n] = '\0';
    *bytes = buf;
    *len = n;
    return CT_OK;
}

int ct_read_file(const char *path, char **bytes, size_t *len, ct_error *err)
{
    *bytes = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    int rc = ct_read_fd(fd, path, bytes, len, err);
    close(fd);
    return rc;
}

int ct_read_utf8_file(const char *path, const char *what, char **text, size_t *len, ct_error *err)
{
    *text = NULL;
    *len = 0;
    char *raw;
    size_t raw_len;
    int rc = ct_read_file(path, &raw, &raw_len, err);
    if (rc != CT_OK)
        return rc;
    rc = ct_decode_text(raw, raw_len, CT_ENCODING_UTF8, path, text, len, NULL, err);
    ct_free(raw);
    if (rc != CT_OK)
        ct_error_utf8_only(err, what);
    return rc;
}
