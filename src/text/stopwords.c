/* stopwords.c — stopword lists: loading, normalising, and the two checks the tokeniser makes
 * (is this token an entry; is this code point a one-character entry, which drops the n-grams
 * it begins or ends). Entries are normalised with the text's flags so that both agree. */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "comptext/alloc.h"
#include "comptext/normalize.h"
#include "comptext/stopwords.h"
#include "datadir.h"
#include "encoding.h"
#include "lines.h"
#include "stopwords_impl.h"
#include "keytab.h"
#include "termtab.h"
#include "utf8.h"

/* The first code point of len bytes of UTF-8, or -1. */
static int32_t first_codepoint(const char *s, size_t len)
{
    utf8proc_int32_t cp;
    if (!len)
        return -1;
    if ((unsigned char)s[0] < 0x80)
        return (unsigned char)s[0];
    return utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) > 0 ? cp : -1;
}

/* Length of the space (ASCII space, tab, U+00A0, U+3000) that s[0..len) starts with (at_end:
 * ends with). Lists edited in Chinese editors often carry ideographic spaces. */
static size_t space_len(const char *s, size_t len, int at_end)
{
    static const char *const spaces[] = {" ", "\t", "\xC2\xA0", "\xE3\x80\x80"};
    for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++) {
        size_t k = strlen(spaces[i]);
        if (len >= k && memcmp(at_end ? s + len - k : s, spaces[i], k) == 0)
            return k;
    }
    return 0;
}

static int add_entry(ct_stopwords *sw, const char *s, size_t len, unsigned flags)
{
    size_t k0;
    while ((k0 = space_len(s, len, 0)) > 0) {
        s += k0;
        len -= k0;
    }
    while ((k0 = space_len(s, len, 1)) > 0)
        len -= k0;
    if (!len || s[0] == '#')
        return CT_OK;
    char *norm;
    size_t norm_len;
    int rc = ct_normalize(s, len, flags, &norm, &norm_len, NULL);
    if (rc != CT_OK)
        return rc;
    uint32_t id;
    rc = ct_termtab_intern(sw->entries, norm, norm_len, &id, NULL);
    uint64_t key = ct_pack_utf8(norm, norm_len);
    uint32_t key_id;
    if (rc == CT_OK && key)
        rc = ct_keytab_intern(sw->packed, key, &key_id);
    int32_t first = first_codepoint(norm, norm_len);
    if (first >= 0x10000)
        sw->first_astral = 1;
    else if (first >= 0)
        sw->first_bmp[first >> 3] |= (unsigned char)(1u << (first & 7));
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)norm, (utf8proc_ssize_t)norm_len, &cp);
    if (rc == CT_OK && k > 0 && (size_t)k == norm_len) {
        if (cp < 0x10000) {
            sw->edge_bmp[cp >> 3] |= (unsigned char)(1u << (cp & 7));
        } else {
            int32_t *e = ct_reallocarray(sw->edge, sw->n_edge + 1, sizeof *e);
            if (!e)
                rc = CT_ENOMEM;
            else {
                sw->edge = e;
                size_t j = sw->n_edge++;
                while (j > 0 && e[j - 1] > cp) {
                    e[j] = e[j - 1];
                    j--;
                }
                e[j] = cp;
            }
        }
    }
    ct_free(norm);
    return rc;
}

static int new_list(ct_stopwords **out)
{
    *out = ct_calloc(1, sizeof **out);
    if (!*out)
        return CT_ENOMEM;
    if (ct_termtab_new(&(*out)->entries) != CT_OK || ct_keytab_new(&(*out)->packed) != CT_OK) {
        ct_termtab_free((*out)->entries);
        ct_free(*out);
        *out = NULL;
        return CT_ENOMEM;
    }
    return CT_OK;
}

int ct_stopwords_from_array(ct_stopwords **out, const char *const *entries, size_t count,
                            unsigned norm_flags)
{
    int rc = new_list(out);
    for (size_t i = 0; rc == CT_OK && i < count; i++)
        rc = add_entry(*out, entries[i], strlen(entries[i]), norm_flags);
    if (rc != CT_OK) {
        ct_stopwords_free(*out);
        *out = NULL;
    }
    return rc;
}

int ct_stopwords_load(ct_stopwords **out, const char *path, unsigned norm_flags, ct_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    int rc = ct_read_utf8_file(path, "a stopword list", &text, &len, err);
    if (rc != CT_OK)
        return rc;
    rc = new_list(out);
    size_t pos = 0;
    long line_no = 0;
    const char *line;
    size_t n;
    while (rc == CT_OK && (line = ct_line_next(text, len, &pos, &n))) {
        line_no++;
        if (memchr(line, '\0', n)) {
            ct_error_set(err, path, line_no, -1, "NUL byte in the stopword list");
            rc = CT_EINPUT;
            break;
        }
        rc = add_entry(*out, line, n, norm_flags);
    }
    ct_free(text);
    if (rc != CT_OK) {
        ct_stopwords_free(*out);
        *out = NULL;
    }
    return rc;
}

void ct_stopwords_free(ct_stopwords *sw)
{
    if (!sw)
        return;
    ct_termtab_free(sw->entries);
    ct_keytab_free(sw->packed);
    ct_free(sw->edge);
    ct_free(sw);
}

size_t ct_stopwords_size(const ct_stopwords *sw)
{
    return ct_termtab_size(sw->entries);
}

int ct_stopwords_contains(const ct_stopwords *sw, const char *s, size_t len)
{
    int32_t first = first_codepoint(s, len);
    if (first < 0 || !ct_stopwords_may_start(sw, first))
        return 0;
    uint32_t id;
    return ct_termtab_find(sw->entries, s, len, &id) == CT_OK;
}

int ct_stopwords_contains_key(const ct_stopwords *sw, uint64_t key)
{
    int32_t first = (int32_t)(key >> 42);
    if (!ct_stopwords_may_start(sw, first))
        return 0;
    uint32_t id;
    return ct_keytab_find(sw->packed, key, &id) == CT_OK;
}

int ct_stopwords_is_edge(const ct_stopwords *sw, int32_t cp)
{
    if (cp >= 0 && cp < 0x10000)
        return (sw->edge_bmp[cp >> 3] >> (cp & 7)) & 1;
    size_t lo = 0, hi = sw->n_edge;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sw->edge[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sw->n_edge && sw->edge[lo] == cp;
}

const char *ct_stopwords_default_path(void)
{
    return ct_data_path("stopwords-zh.txt");
}
