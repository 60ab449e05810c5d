/* normalize.c — NFKC and case folding with utf8proc, one grapheme cluster at a time.
 *
 * Normalisation never combines characters across a grapheme cluster boundary, so a text can
 * be normalised cluster by cluster; doing so lets every output byte be traced back to the
 * cluster it came from (the origin map that keyword-in-context uses for offsets) and lets a
 * cluster of one code point that has no decomposition and no case folding — nearly every
 * Han character, digit and lower-case letter — be copied as it is, which is most of the
 * speed. Other clusters are decomposed with utf8proc_decompose_char, recomposed with
 * utf8proc_normalize_utf32 and encoded back; a cluster of more than CLUSTER_PIECE code points
 * in pieces of that length, so that the time stays linear in the text. With
 * CT_NORM_FOLD_SCRIPT the result is then folded to simplified script (fold.c), its origin
 * map composed with this one. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/fold.h"
#include "comptext/normalize.h"
#include "fold_impl.h"
#include "normalize_impl.h"

/* A cluster longer than this many code points (a run of combining marks; real text has at
 * most a few) is normalised in pieces of this length: utf8proc's canonical reordering is
 * quadratic in the length of a run of combining marks (160 KB took 25 s). As in Unicode's
 * Stream-Safe Text Format (UAX #15), which stops reordering after 30 non-starters, marks are
 * then reordered and composed within each piece only — the time is linear in the text. */
#define CLUSTER_PIECE 32

typedef struct outbuf {
    char *data;
    size_t len, cap;
    size_t *origin; /* NULL when not wanted */
} outbuf;

static int outbuf_reserve(outbuf *o, size_t extra)
{
    if (o->len + extra + 1 <= o->cap)
        return CT_OK;
    size_t cap = o->cap * 2;
    while (cap < o->len + extra + 1)
        cap *= 2;
    char *d = ct_realloc(o->data, cap);
    if (!d)
        return CT_ENOMEM;
    o->data = d;
    if (o->origin) {
        size_t *g = ct_reallocarray(o->origin, cap, sizeof *g);
        if (!g)
            return CT_ENOMEM;
        o->origin = g;
    }
    o->cap = cap;
    return CT_OK;
}

static int outbuf_put(outbuf *o, const char *bytes, size_t n, size_t origin)
{
    int rc = outbuf_reserve(o, n);
    if (rc != CT_OK)
        return rc;
    memcpy(o->data + o->len, bytes, n);
    if (o->origin)
        for (size_t i = 0; i < n; i++)
            o->origin[o->len + i] = origin;
    o->len += n;
    return CT_OK;
}

/* Facts about each BMP code point, computed once: whether it is left alone by NFKC and by
 * case folding, and whether its grapheme-break class is "Other" (two such code points in a
 * row always have a cluster boundary between them: rule GB999). */
enum { INFO_NFKC_PLAIN = 1, INFO_CASEFOLD_PLAIN = 2, INFO_BOUND_OTHER = 4, INFO_OWN_CLUSTER = 8 };
static unsigned char bmp_info[0x10000];
static pthread_once_t bmp_info_once = PTHREAD_ONCE_INIT;

static void fill_bmp_info(void)
{
    for (int32_t cp = 0; cp < 0x10000; cp++) {
        const utf8proc_property_t *p = utf8proc_get_property(cp);
        unsigned char info = 0;
        if (p->combining_class == 0 && p->decomp_seqindex == UINT16_MAX)
            info |= INFO_NFKC_PLAIN;
        if (p->casefold_seqindex == UINT16_MAX)
            info |= INFO_CASEFOLD_PLAIN;
        if (p->boundclass == UTF8PROC_BOUNDCLASS_OTHER)
            info |= INFO_BOUND_OTHER;
        if (p->boundclass == UTF8PROC_BOUNDCLASS_OTHER ||
            p->boundclass == UTF8PROC_BOUNDCLASS_CONTROL ||
            p->boundclass == UTF8PROC_BOUNDCLASS_CR || p->boundclass == UTF8PROC_BOUNDCLASS_LF)
            info |= INFO_OWN_CLUSTER;
        bmp_info[cp] = info;
    }
}

unsigned ct_normalize_bmp_traits(int32_t cp, unsigned flags)
{
    pthread_once(&bmp_info_once, fill_bmp_info);
    unsigned info = bmp_info[cp & 0xFFFF];
    unsigned traits = info & INFO_OWN_CLUSTER ? CT_NORM_TRAIT_OWN_CLUSTER : 0;
    /* Without either flag the text is copied as it is; with any, a code point is left alone
     * when it has no decomposition, no combining class and (folding case) no case folding.
     * Folding script changes the code points of its trigger set (ct_fold_init has run: the
     * tokeniser calls it first). */
    if ((!(flags & (CT_NORM_NFKC | CT_NORM_CASEFOLD)) ||
         ((info & INFO_NFKC_PLAIN) &&
          (!(flags & CT_NORM_CASEFOLD) || (info & INFO_CASEFOLD_PLAIN)))) &&
        !((flags & CT_NORM_FOLD_SCRIPT) && ct_fold_trigger(cp)))
        traits |= CT_NORM_TRAIT_UNCHANGED;
    return traits;
}

/* Single-code-point clusters that normalisation changes — full-width punctuation above all,
 * which Chinese text has in every sentence — under the default options (NFKC and case
 * folding): mapped_bmp[cp] is 0 while unknown, else its normalised UTF-8 (up to 7 bytes) with
 * the length in the top byte, or UNCACHED when longer. Filled by the slow path on first use;
 * threads may fill an entry at the same time, with the same value. */
static uint64_t mapped_bmp[0x10000];
#define UNCACHED ((uint64_t)8 << 56)
#define DEFAULT_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)

static void remember_mapping(int32_t cp, const char *bytes, size_t len)
{
    uint64_t m = UNCACHED;
    if (len <= 7) {
        m = (uint64_t)len << 56;
        for (size_t i = 0; i < len; i++)
            m |= (uint64_t)(unsigned char)bytes[i] << (8 * i);
    }
    __atomic_store_n(&mapped_bmp[cp], m, __ATOMIC_RELAXED);
}

/* Decode one code point: a fast path for ASCII and the common three-byte forms, utf8proc for
 * the rest (and for validation). Returns the length, or -1 for invalid UTF-8. */
static inline utf8proc_ssize_t next_codepoint(const utf8proc_uint8_t *s, size_t len,
                                              utf8proc_int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (len >= 3 && s[0] >= 0xE1 && s[0] <= 0xEC && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = (utf8proc_int32_t)(s[0] & 0x0F) << 12 | (utf8proc_int32_t)(s[1] & 0x3F) << 6 |
              (s[2] & 0x3F);
        return 3;
    }
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)len, cp);
    return k < 1 ? -1 : k;
}

/* A code point that normalises to itself whatever its neighbours (within its cluster). */
static inline int is_plain(utf8proc_int32_t cp, utf8proc_option_t options)
{
    if (cp < 0x80)
        return !(options & UTF8PROC_CASEFOLD) || cp < 'A' || cp > 'Z';
    if (cp < 0x10000) {
        unsigned want = ((options & UTF8PROC_COMPAT) ? INFO_NFKC_PLAIN : 0) |
                        ((options & UTF8PROC_CASEFOLD) ? INFO_CASEFOLD_PLAIN : 0);
        unsigned info = bmp_info[cp];
        return (info & want) == want && ((options & UTF8PROC_COMPAT) || (info & INFO_NFKC_PLAIN) ||
                                         utf8proc_get_property(cp)->combining_class == 0);
    }
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class != 0)
        return 0;
    if ((options & UTF8PROC_COMPAT) && p->decomp_seqindex != UINT16_MAX)
        return 0;
    if ((options & UTF8PROC_CASEFOLD) && p->casefold_seqindex != UINT16_MAX)
        return 0;
    return 1;
}

/* Normalise the cluster text[0..len) into o: utf8proc_decompose decomposes it and puts its
 * combining marks into canonical order; utf8proc_normalize_utf32 recomposes. */
static int put_cluster(outbuf *o, const char *text, size_t len, utf8proc_option_t opt,
                       size_t origin, utf8proc_int32_t **work, size_t *work_cap)
{
    utf8proc_ssize_t used;
    for (;;) {
        used = utf8proc_decompose((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, *work,
                                  (utf8proc_ssize_t)*work_cap, opt);
        if (used < 0)
            return used == UTF8PROC_ERROR_NOMEM ? CT_ENOMEM : CT_EENCODING;
        if ((size_t)used <= *work_cap)
            break;
        utf8proc_int32_t *w = ct_reallocarray(*work, (size_t)used, sizeof *w);
        if (!w)
            return CT_ENOMEM;
        *work = w;
        *work_cap = (size_t)used;
    }
    utf8proc_ssize_t m = utf8proc_normalize_utf32(*work, used, opt);
    if (m < 0)
        return CT_EENCODING;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char((*work)[i], enc);
        int rc = outbuf_put(o, (const char *)enc, (size_t)k, origin);
        if (rc != CT_OK)
            return rc;
    }
    return CT_OK;
}

/* Folding script: the traditional code points of the input (*traditional) and where in the
 * output the first trigger code point may stand (*first; SIZE_MAX: nowhere), found in the
 * pass that decodes every code point anyway. */
typedef struct script_scan {
    const uint8_t *bmp; /* ct_fold_bmp(), or NULL when not folding */
    size_t traditional;
    size_t first;
} script_scan;

static inline int traditional_cp(const script_scan *sc, int32_t cp)
{
    return cp < 0x10000 ? sc->bmp[cp] & CT_FOLD_BMP_TRAD : ct_fold_traditional(cp);
}

/* Note a trigger among the n output bytes written at output offset at. */
static void scan_output(script_scan *sc, const char *bytes, size_t n, size_t at)
{
    if (at >= sc->first)
        return;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)bytes + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 1)
            return;
        if (cp < 0x10000 ? sc->bmp[cp] & CT_FOLD_BMP_TRIGGER : ct_fold_trigger(cp)) {
            sc->first = at + i;
            return;
        }
        i += (size_t)k;
    }
}

static int normalize(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                     size_t **origin, size_t *traditional);

int ct_normalize(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                 size_t **origin)
{
    return normalize(text, len, flags, out, out_len, origin, NULL);
}

int ct_normalize_counting(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                          size_t *traditional)
{
    return normalize(text, len, flags, out, out_len, NULL, traditional);
}

static int normalize(const char *text, size_t len, unsigned flags, char **out, size_t *out_len,
                     size_t **origin, size_t *traditional)
{
    if (traditional)
        *traditional = 0;
    *out = NULL;
    *out_len = 0;
    if (origin)
        *origin = NULL;
    utf8proc_option_t opt = UTF8PROC_STABLE;
    if (flags & CT_NORM_NFKC)
        opt |= UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
    if (flags & CT_NORM_CASEFOLD)
        opt |= UTF8PROC_CASEFOLD;
    outbuf o = {0};
    o.cap = len + len / 8 + 16;
    o.data = ct_malloc(o.cap);
    if (origin)
        o.origin = ct_malloc(o.cap * sizeof *o.origin);
    size_t work_cap = 64;
    utf8proc_int32_t *work = ct_malloc(work_cap * sizeof *work);
    int rc = CT_OK;
    if ((flags & CT_NORM_FOLD_SCRIPT) && (rc = ct_fold_init(NULL)) != CT_OK)
        goto cleanup;
    if (!o.data || (origin && !o.origin) || !work) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    pthread_once(&bmp_info_once, fill_bmp_info);
    script_scan sc = {(flags & CT_NORM_FOLD_SCRIPT) ? ct_fold_bmp() : NULL, 0, SIZE_MAX};
    const int fold = sc.bmp != NULL;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    /* Code points that normalise to themselves and can neither join the cluster before them
     * nor take the next into theirs (grapheme-break class Other) are copied in spans. */
    unsigned fast =
        INFO_BOUND_OTHER | INFO_NFKC_PLAIN | ((opt & UTF8PROC_CASEFOLD) ? INFO_CASEFOLD_PLAIN : 0);
    int use_fast = !origin && (opt & (UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
    size_t pos = 0;
    while (pos < len) {
        if (use_fast) {
            size_t span = pos, last = pos;
            while (pos < len) {
                unsigned char c = s[pos];
                int32_t cp;
                size_t k;
                if (c < 0x80) {
                    cp = c;
                    k = 1;
                } else if (c > 0xE0 && c < 0xF0 && c != 0xED && len - pos > 2 &&
                           (s[pos + 1] & 0xC0) == 0x80 && (s[pos + 2] & 0xC0) == 0x80) {
                    cp = (int32_t)(c & 0x0F) << 12 | (int32_t)(s[pos + 1] & 0x3F) << 6 |
                         (s[pos + 2] & 0x3F);
                    k = 3;
                } else {
                    break;
                }
                if ((bmp_info[cp] & fast) != fast) {
                    /* A known mapping of a cluster of this one code point? */
                    if (opt != DEFAULT_OPTIONS || !(bmp_info[cp] & INFO_BOUND_OTHER))
                        break;
                    uint64_t m = __atomic_load_n(&mapped_bmp[cp], __ATOMIC_RELAXED);
                    if (!m || m == UNCACHED)
                        break;
                    if (pos + k < len) {
                        int32_t next;
                        utf8proc_ssize_t nk = next_codepoint(s + pos + k, len - pos - k, &next);
                        if (nk < 0 || next >= 0x10000 || !(bmp_info[next] & INFO_BOUND_OTHER))
                            break;
                    }
                    char bytes[8];
                    for (size_t b = 0; b < 8; b++)
                        bytes[b] = (char)(m >> (8 * b));
                    if ((pos > span &&
                         (rc = outbuf_put(&o, text + span, pos - span, span)) != CT_OK) ||
                        (rc = outbuf_put(&o, bytes, (size_t)(m >> 56), pos)) != CT_OK)
                        goto cleanup;
                    if (fold) {
                        sc.traditional += sc.bmp[cp] & CT_FOLD_BMP_TRAD;
                        scan_output(&sc, bytes, (size_t)(m >> 56), o.len - (size_t)(m >> 56));
                    }
                    pos += k;
                    span = last = pos;
                    continue;
                }
                if (fold) {
                    unsigned f = sc.bmp[cp];
                    sc.traditional += f & CT_FOLD_BMP_TRAD;
                    if ((f & CT_FOLD_BMP_TRIGGER) && sc.first == SIZE_MAX)
                        sc.first = o.len + (pos - span); /* where the span puts it */
                }
                last = pos;
                pos += k;
            }
            /* What stopped the span may belong to the cluster of the span's last code point
             * (a combining mark, say): that code point goes the slow way with it (and is
             * counted there). */
            if (pos < len && pos > span) {
                int32_t cp;
                utf8proc_ssize_t k = next_codepoint(s + pos, len - pos, &cp);
                if (k < 0 || cp >= 0x10000 || !(bmp_info[cp] & INFO_BOUND_OTHER)) {
                    if (fold) {
                        int32_t lastcp;
                        next_codepoint(s + last, len - last, &lastcp);
                        sc.traditional -= (size_t)traditional_cp(&sc, lastcp);
                    }
                    pos = last;
                }
            }
            if (pos > span && (rc = outbuf_put(&o, text + span, pos - span, span)) != CT_OK)
                goto cleanup;
            if (pos >= len)
                break;
        }
        /* One cluster: [start, pos). */
        size_t start = pos, n = 0;
        utf8proc_int32_t state = 0, prev = -1;
        int all_plain = 1;
        while (pos < len) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = next_codepoint(s + pos, len - pos, &cp);
            if (k < 0) {
                rc = CT_EENCODING;
                goto cleanup;
            }
            if (prev >= 0) {
                int both_other = prev < 0x10000 && cp < 0x10000 &&
                                 (bmp_info[prev] & bmp_info[cp] & INFO_BOUND_OTHER);
                if (both_other || utf8proc_grapheme_break_stateful(prev, cp, &state))
                    break;
            }
            if (n == CLUSTER_PIECE)
                break; /* a long cluster is normalised in pieces: see CLUSTER_PIECE */
            if (fold)
                sc.traditional += (size_t)traditional_cp(&sc, cp);
            n++;
            all_plain = all_plain && is_plain(cp, opt);
            prev = cp;
            pos += (size_t)k;
        }
        size_t before = o.len;
        if (!(opt & (UTF8PROC_COMPAT | UTF8PROC_CASEFOLD)) || (n == 1 && all_plain)) {
            rc = outbuf_put(&o, text + start, pos - start, start);
        } else {
            rc = put_cluster(&o, text + start, pos - start, opt, start, &work, &work_cap);
            if (rc == CT_OK && n == 1 && opt == DEFAULT_OPTIONS && prev < 0x10000 &&
                (bmp_info[prev] & INFO_BOUND_OTHER))
                remember_mapping(prev, o.data + before, o.len - before);
        }
        if (rc != CT_OK)
            goto cleanup;
        if (fold)
            scan_output(&sc, o.data + before, o.len - before, before);
    }
    o.data[o.len] = '\0';
    if (o.origin)
        o.origin[o.len] = len;
    if (traditional)
        *traditional = sc.traditional;
    if (fold && sc.first < o.len) { /* else no trigger: folding changes nothing */
        char *folded;
        size_t folded_len, *folded_origin;
        rc = ct_fold_apply(o.data, o.len, sc.first, o.origin, &folded, &folded_len,
                           origin ? &folded_origin : NULL);
        if (rc == CT_OK && folded) {
            ct_free(o.data);
            ct_free(o.origin);
            o.data = folded;
            o.len = folded_len;
            o.origin = origin ? folded_origin : NULL;
        }
    }
cleanup:
    ct_free(work);
    if (rc != CT_OK) {
        ct_free(o.data);
        ct_free(o.origin);
        return rc;
    }
    *out = o.data;
    *out_len = o.len;
    if (origin)
        *origin = o.origin;
    return CT_OK;
}
