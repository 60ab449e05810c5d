/* fold.c — traditional to simplified script with OpenCC's t2s conversion, converting only what
 * needs it (see comptext/fold.h).
 *
 * OpenCC's t2s conversion (t2s.json; the converter that fold_dict.cpp loads, which is what
 * opencc_open and opencc_convert_utf8 of its C API use) converts a few MB/s, while
 * counting runs at tens of MB/s; and simplified text, most of what comptext reads, needs no
 * conversion at all. So the text is scanned for code points that some t2s entry changes
 * (the trigger set that fold_dict.cpp reads from OpenCC's dictionaries). A code point that
 * belongs to no dictionary phrase is matched alone by OpenCC's maximum-match segmentation, so
 * the segmentation starts afresh after it: a trigger outside every phrase (國, 們, 發 — most
 * of them) is replaced from a table that OpenCC filled at start-up by converting each such
 * code point alone, and a trigger inside a phrase (覆 in 反覆, 瞭 in 瞭解) sends the stretch
 * of phrase code points around it through OpenCC, which converts such a stretch alone
 * exactly as inside the whole text. The result equals OpenCC's conversion of the whole text
 * (a test compares the two). Each stretch is converted in a call of its own: merging
 * stretches a few characters apart into one call (tried with gaps of 3 to 96 bytes) sent more
 * text through OpenCC than the calls it saved were worth (a traditional report: 15 % more
 * instructions with a gap of 24 bytes).
 *
 * Offsets: t2s maps a phrase to a phrase of as many code points in OpenCC's data, and then
 * each output code point maps to the input code point at its place; a stretch whose length
 * changes maps all its output to the stretch's first code point. */
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_config.h"
#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/fold.h"
#include "fold_impl.h"
#include "utf8.h"

#ifdef CT_HAVE_OPENCC
#include <opencc/opencc.h>
#endif

#define SET_BYTES (CT_FOLD_CODEPOINTS / 8)
static uint8_t trigger_bits[SET_BYTES], phrase_bits[SET_BYTES], trad_bits[SET_BYTES],
    simp_bits[SET_BYTES];
static int init_rc;
static char init_msg[512];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The conversion of each trigger code point that belongs to no phrase: OpenCC always converts
 * it alone, to what it converts it to alone (asked once, at start-up). */
typedef struct single {
    int32_t cp;
    unsigned char len;
    char utf8[11];
} single;
static single *singles; /* sorted by code point */
static size_t n_singles;
static uint16_t bmp_single[0x10000]; /* 1 + index into singles, or 0 */
/* The four sets over the BMP, one byte a code point (BMP_ bits): one load, no range check and
 * no bit arithmetic on the hot paths (the scan of ct_fold_apply, the script counts). */
enum {
    BMP_TRAD = CT_FOLD_BMP_TRAD,
    BMP_SIMP = CT_FOLD_BMP_SIMP,
    BMP_TRIGGER = CT_FOLD_BMP_TRIGGER,
    BMP_PHRASE = CT_FOLD_BMP_PHRASE
};
static uint8_t bmp_flags[0x10000];

const uint8_t *ct_fold_bmp(void)
{
    return bmp_flags;
}

#ifdef CT_HAVE_OPENCC
static inline int has(const uint8_t *bits, int32_t cp);

/* Collects the conversions of the triggers outside every phrase (fold_dict.cpp calls it in
 * code point order). A conversion longer than a table entry leaves its code point out of the
 * table: its phrase bit is set instead, so that it goes through OpenCC. The table lives as
 * long as the process, made once whatever allocator the caller installed
 * (ct_set_alloc_funcs): the C library's. */
static size_t singles_cap;
static int singles_failed;

static void add_single(void *ctx, uint32_t cp, const char *utf8, size_t len)
{
    (void)ctx;
    if (len == 0 || len >= sizeof singles[0].utf8 || singles_failed) {
        phrase_bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
        return;
    }
    if (n_singles == singles_cap) {
        size_t cap = singles_cap ? singles_cap * 2 : 4096;
        single *g = realloc(singles, cap * sizeof *g);
        if (!g) {
            singles_failed = 1;
            return;
        }
        singles = g;
        singles_cap = cap;
    }
    single *e = &singles[n_singles++];
    e->cp = (int32_t)cp;
    e->len = (unsigned char)len;
    memcpy(e->utf8, utf8, len);
    if (cp < 0x10000)
        bmp_single[cp] = (uint16_t)n_singles;
}

static const single *find_single(int32_t cp)
{
    if (cp < 0x10000)
        return bmp_single[cp] ? &singles[bmp_single[cp] - 1] : NULL;
    size_t lo = 0, hi = n_singles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (singles[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_singles && singles[lo].cp == cp ? &singles[lo] : NULL;
}
#endif

/* OpenCC's loaders do not survive a failed allocation (OpenCC 1.1.6 with marisa 0.2.6: a
 * SIGSEGV in marisa's LoudsTrie::read_ under an address-space cap; MarisaDict::NewFromFile
 * reads a header into an unchecked malloc): no handler can stop that. So OpenCC is never left to
 * find out that memory is short: every dictionary is loaded here, once, in ct_fold_init (which the
 * tokeniser, and reading a corpus that folds, call on the main thread before any reading thread
 * starts), and only after proving that the address space the loading needs can be mapped. Loading
 * t2s and STCharacters grows the address space by 1.2 MB (OpenCC 1.1.6; measured around
 * ct_fold_init from /proc/self/statm): LOAD_NEED is three times that, not more, as comptext
 * itself starts in under 40 MB and must still run under a 50 MB cap. */
#define LOAD_NEED ((size_t)4 << 20)

static int load_headroom(void)
{
    void *p = mmap(NULL, LOAD_NEED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    munmap(p, LOAD_NEED);
    return 1;
}

static void load_simplified(void);

static void load(void)
{
#ifdef CT_HAVE_OPENCC
    if (!load_headroom()) {
        snprintf(init_msg, sizeof init_msg, "%s", ct_strerror(CT_ENOMEM));
        init_rc = CT_ENOMEM;
        return;
    }
    /* The converter that reads the sets also converts (fold_dict.cpp keeps it): OpenCC's
     * dictionaries are loaded once. */
    ct_fold_sets sets = {trigger_bits, phrase_bits, trad_bits, simp_bits};
    int drc = ct_fold_dict_sets(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP, &sets, add_single, NULL,
                                init_msg, sizeof init_msg);
    if (drc != 0) {
        init_rc = drc == -2 ? CT_ENOMEM : CT_EIO;
        return;
    }
    if (singles_failed) {
        snprintf(init_msg, sizeof init_msg, "%s", ct_strerror(CT_ENOMEM));
        init_rc = CT_ENOMEM;
        return;
    }
    for (int32_t cp = 0; cp < 0x10000; cp++)
        bmp_flags[cp] =
            (uint8_t)(has(trad_bits, cp) * BMP_TRAD | has(trigger_bits, cp) * BMP_TRIGGER |
                      has(phrase_bits, cp) * BMP_PHRASE);
    load_simplified();
#else
    snprintf(init_msg, sizeof init_msg,
             "script folding needs OpenCC, and comptext was built without it (install "
             "libopencc-dev and rebuild, or use --no-fold-script)");
    init_rc = CT_EINVAL;
#endif
}

int ct_fold_available(void)
{
#ifdef CT_HAVE_OPENCC
    return 1;
#else
    return 0;
#endif
}

int ct_fold_init(ct_error *err)
{
    pthread_once(&init_once, load);
    if (init_rc != CT_OK && err) {
        ct_error_clear(err);
        snprintf(err->text, sizeof err->text, "%s", init_msg);
    }
    return init_rc;
}

static inline int has(const uint8_t *bits, int32_t cp)
{
    return cp >= 0 && (uint32_t)cp < CT_FOLD_CODEPOINTS && (bits[cp >> 3] >> (cp & 7) & 1);
}

int ct_fold_trigger(int32_t cp)
{
    return has(trigger_bits, cp);
}

int ct_fold_traditional(int32_t cp)
{
    return has(trad_bits, cp);
}

/* The simplified set, from s2t's character table (as cheap to load as t2s: a few ms, about a
 * megabyte; loaded with the rest so that no reading thread ever loads a dictionary). */
static void load_simplified(void)
{
#ifdef CT_HAVE_OPENCC
    char msg[512];
    int rc = ct_fold_dict_simplified("STCharacters.ocd2", simp_bits, msg, sizeof msg);
    if (rc == -2) {
        snprintf(init_msg, sizeof init_msg, "%s", msg);
        init_rc = CT_ENOMEM;
        return;
    }
    if (rc != 0) /* the table is missing: then nothing counts as simplified-only */
        memset(simp_bits, 0, sizeof simp_bits);
    for (int32_t cp = 0; cp < 0x10000; cp++)
        if (simp_bits[cp >> 3])
            bmp_flags[cp] |= (uint8_t)(has(simp_bits, cp) * BMP_SIMP);
    init_rc = CT_OK;
#endif
}

/* Counts of traditional (bit 0 of bmp_flags) or, with shift 1, simplified-only code
 * points. */
static size_t count_set(const unsigned char *s, size_t len, const uint8_t *bits, int shift)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        if (c >= 0xE0 && c < 0xF0 && i + 2 < len) { /* the BMP, nearly all Chinese text */
            cp = (int32_t)(c & 0x0F) << 12 | (int32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            i += 3;
            n += bmp_flags[cp] >> shift & 1;
            continue;
        }
        i += ct_utf8_decode(s, i, &cp);
        n += (size_t)has(bits, cp);
    }
    return n;
}

size_t ct_fold_count_traditional(const char *text, size_t len)
{
    return count_set((const unsigned char *)text, len, trad_bits, 0);
}

size_t ct_fold_count_simplified(const char *text, size_t len)
{
    return count_set((const unsigned char *)text, len, simp_bits, 1);
}

int ct_fold_count_script(const char *text, size_t len, ct_script_counts *out)
{
    memset(out, 0, sizeof *out);
    int rc = ct_fold_init(NULL);
    if (rc != CT_OK)
        return rc;
    out->traditional = ct_fold_count_traditional(text, len);
    if (out->traditional > 0)
        out->simplified = ct_fold_count_simplified(text, len);
    return CT_OK;
}

#ifdef CT_HAVE_OPENCC
/* The BMP_ bits of the code point of valid UTF-8 at s[i] (its value in *cp, its length in
 * *k): bmp_flags for the BMP, the bit sets beyond it. */
static inline unsigned flags_at(const unsigned char *s, size_t i, int32_t *cp, size_t *k)
{
    *k = ct_utf8_decode(s, i, cp);
    if (*cp < 0x10000)
        return bmp_flags[*cp];
    return (unsigned)(has(trad_bits, *cp) * BMP_TRAD | has(trigger_bits, *cp) * BMP_TRIGGER |
                      has(phrase_bits, *cp) * BMP_PHRASE);
}

typedef struct foldbuf {
    char *data;
    size_t len, cap;
    size_t *origin; /* NULL when not wanted */
} foldbuf;

static int reserve(foldbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return CT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = ct_realloc(b->data, cap);
    if (!d)
        return CT_ENOMEM;
    b->data = d;
    if (b->origin) {
        size_t *o = ct_reallocarray(b->origin, cap, sizeof *o);
        if (!o)
            return CT_ENOMEM;
        b->origin = o;
    }
    b->cap = cap;
    return CT_OK;
}

/* Append input bytes [from, to) unchanged. */
static int copy_input(foldbuf *b, const char *text, const size_t *origin, size_t from, size_t to)
{
    int rc = reserve(b, to - from);
    if (rc != CT_OK)
        return rc;
    memcpy(b->data + b->len, text + from, to - from);
    if (b->origin)
        for (size_t i = from; i < to; i++)
            b->origin[b->len + i - from] = origin ? origin[i] : i;
    b->len += to - from;
    return CT_OK;
}

/* Append the conversion of the one code point at input byte at. */
static int put_single(foldbuf *b, const single *one, const size_t *origin, size_t at)
{
    int rc = reserve(b, one->len);
    if (rc != CT_OK)
        return rc;
    memcpy(b->data + b->len, one->utf8, one->len);
    if (b->origin)
        for (size_t j = 0; j < one->len; j++)
            b->origin[b->len + j] = origin ? origin[at] : at;
    b->len += one->len;
    return CT_OK;
}

static size_t count_code_points(const unsigned char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += (s[i] & 0xC0) != 0x80;
    return n;
}

/* Convert input bytes [from, to) with OpenCC and append the result. */
static int convert(foldbuf *b, const char *text, const size_t *origin, size_t from, size_t to)
{
    size_t n;
    char *conv = ct_fold_opencc_convert(text + from, to - from, &n);
    if (!conv)
        return CT_ENOMEM;
    int rc = reserve(b, n);
    if (rc == CT_OK) {
        memcpy(b->data + b->len, conv, n);
        if (b->origin) {
            const unsigned char *in = (const unsigned char *)text, *outp = (unsigned char *)conv;
            int same = count_code_points(in + from, to - from) == count_code_points(outp, n);
            size_t at = from; /* the input code point that the output code point maps to */
            for (size_t j = 0; j < n; j++) {
                if (same && j > 0 && (outp[j] & 0xC0) != 0x80) {
                    at++;
                    while (at < to && (in[at] & 0xC0) == 0x80)
                        at++;
                }
                b->origin[b->len + j] = origin ? origin[at] : at;
            }
        }
        b->len += n;
    }
    free(conv);
    return rc;
}
#endif

int ct_fold_apply(const char *text, size_t len, size_t start, const size_t *origin, char **out,
                  size_t *out_len, size_t **out_origin)
{
    *out = NULL;
    *out_len = 0;
    if (out_origin)
        *out_origin = NULL;
    int rc = ct_fold_init(NULL);
    if (rc != CT_OK)
        return rc;
#ifdef CT_HAVE_OPENCC
    const unsigned char *s = (const unsigned char *)text;
    foldbuf b = {0};
    size_t done = 0; /* input bytes [0, done) are in b */
    size_t i = start < len ? start : len;
    while (i < len) {
        unsigned char c0 = s[i];
        if (c0 < 0x80) {
            i++;
            continue;
        }
        if (c0 >= 0xE0 && c0 < 0xF0) { /* the BMP's three-byte forms: one table load */
            if (!(bmp_flags[(c0 & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F)] &
                  BMP_TRIGGER)) {
                i += 3;
                continue;
            }
        }
        int32_t cp;
        size_t k;
        unsigned f = flags_at(s, i, &cp, &k);
        if (!(f & BMP_TRIGGER)) {
            i += k;
            continue;
        }
        const single *one = f & BMP_PHRASE ? NULL : find_single(cp);
        size_t from = i, to = i + k;
        if (!one) {
            /* The stretch of phrase code points around it. */
            while (from > done) {
                size_t p = from - 1;
                while (p > done && (s[p] & 0xC0) == 0x80)
                    p--;
                int32_t prev;
                size_t pk;
                if (!(flags_at(s, p, &prev, &pk) & BMP_PHRASE))
                    break;
                from = p;
            }
            while (to < len) {
                int32_t next;
                size_t nk;
                if (!(flags_at(s, to, &next, &nk) & BMP_PHRASE))
                    break;
                to += nk;
            }
        }
        if (!b.data) {
            b.cap = len + len / 4 + 16;
            if (!(b.data = ct_malloc(b.cap)) ||
                (out_origin && !(b.origin = ct_malloc(b.cap * sizeof *b.origin)))) {
                rc = CT_ENOMEM;
                goto fail;
            }
        }
        if ((rc = copy_input(&b, text, origin, done, from)) != CT_OK ||
            (rc = one ? put_single(&b, one, origin, from) : convert(&b, text, origin, from, to)) !=
                CT_OK)
            goto fail;
        done = i = to;
    }
    if (!b.data)
        return CT_OK; /* nothing to fold */
    if ((rc = copy_input(&b, text, origin, done, len)) != CT_OK)
        goto fail;
    b.data[b.len] = '\0';
    if (b.origin)
        b.origin[b.len] = origin ? origin[len] : len;
    *out = b.data;
    *out_len = b.len;
    if (out_origin)
        *out_origin = b.origin;
    else
        ct_free(b.origin);
    return CT_OK;
fail:
    ct_free(b.data);
    ct_free(b.origin);
    return rc;
#else
    (void)text;
    (void)len;
    (void)start;
    (void)origin;
    return CT_EINVAL;
#endif
}
