/* utf8.h — small inline UTF-8 helpers on the hot paths (private).
 *
 * Decoding here assumes valid UTF-8 (every text is validated when it is read), which makes it
 * a few shifts instead of a call into utf8proc. Short code-point sequences are packed into one
 * integer, cp1<<42 | cp2<<21 | cp3 with absent code points 0: the tokeniser hands these keys
 * to the counter, whose integer hash table is much faster than hashing strings. */
#ifndef CT_UTF8_H
#define CT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/** Decode the code point of valid UTF-8 at s[i]; returns its length in bytes. */
static inline size_t ct_utf8_decode(const unsigned char *s, size_t i, int32_t *cp)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xE0) {
        *cp = (int32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        *cp = (int32_t)(c & 0x0F) << 12 | (int32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        return 3;
    }
    *cp = (int32_t)(c & 0x07) << 18 | (int32_t)(s[i + 1] & 0x3F) << 12 |
          (int32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
    return 4;
}

/** Bytes of the UTF-8 form of a code point. */
static inline size_t ct_utf8_length(int32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Write the UTF-8 form of cp to out (room for 4); returns its length. */
static inline size_t ct_utf8_encode(int32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/** Pack one to three non-zero code points; 0 for any other count. */
static inline uint64_t ct_pack_codepoints(const int32_t *cps, size_t n)
{
    if (n < 1 || n > 3)
        return 0;
    uint64_t key = 0;
    for (size_t k = 0; k < n; k++) {
        if (cps[k] <= 0)
            return 0;
        key |= (uint64_t)cps[k] << (21 * (2 - k));
    }
    return key;
}

/** Pack exactly four non-zero BMP code points (16 bits each); 0 otherwise. */
static inline uint64_t ct_pack4_codepoints(const int32_t *cps, size_t n)
{
    if (n != 4)
        return 0;
    uint64_t key = 0;
    for (size_t k = 0; k < 4; k++) {
        if (cps[k] <= 0 || cps[k] > 0xFFFF)
            return 0;
        key |= (uint64_t)cps[k] << (16 * (3 - k));
    }
    return key;
}

/** The UTF-8 form of a four-code-point key into buf (room for 13 bytes); returns its length. */
static inline size_t ct_unpack4_utf8(uint64_t key, char *buf)
{
    size_t len = 0;
    for (int k = 3; k >= 0; k--)
        len += ct_utf8_encode((int32_t)(key >> (16 * k) & 0xFFFF), buf + len);
    buf[len] = '\0';
    return len;
}

/** Pack valid UTF-8 of one to three code points; 0 otherwise. */
static inline uint64_t ct_pack_utf8(const char *text, size_t len)
{
    int32_t cps[3];
    size_t i = 0, n = 0;
    while (i < len) {
        if (n == 3)
            return 0;
        i += ct_utf8_decode((const unsigned char *)text, i, &cps[n++]);
    }
    return i == len ? ct_pack_codepoints(cps, n) : 0;
}

/** The UTF-8 form of a packed key into buf (room for 13 bytes); returns its length. */
static inline size_t ct_unpack_utf8(uint64_t key, char *buf)
{
    size_t len = 0;
    for (int k = 2; k >= 0; k--) {
        int32_t cp = (int32_t)(key >> (21 * k) & 0x1FFFFF);
        if (!cp)
            break;
        len += ct_utf8_encode(cp, buf + len);
    }
    buf[len] = '\0';
    return len;
}

#endif
