/* corpus_pdf.c — the text of a PDF file, through poppler-glib.
 *
 * Each page's text comes from poppler in its reading order (poppler_page_get_text), pages
 * one after another, each ending with a line break. A PDF breaks a paragraph into its
 * printed lines, and Chinese is written without spaces: a wrap would cut the n-grams that
 * span it. So a line break is removed when the line is a wrapped one — the next line's first
 * unit (a character with its punctuation, a number, a word) would not have fitted before the
 * right edge of the page's body text (wrapped_lines; poppler's layout gives each character's
 * box) — and there was no space there: CJK characters, digits, ，、；： on either side
 * (joins). A paragraph's last line, a heading, an indented first line keep their break.
 * Page boundaries are kept (the running heads and page numbers between pages are the
 * page's text).
 *
 * A file poppler cannot open (damaged, truncated — corpus_kind.c also checks the "%%EOF"
 * marker), a password-protected one, or one with no text at all (a scanned image without a
 * text layer) is an error naming the file. Built only with the pdf feature (meson); the
 * library is loaded at the first PDF (see load_libraries). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "charclass.h"
#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_readers.h"
#include "ct_config.h"
#include "encoding.h"
#include "utf8.h"

#ifdef CT_HAVE_PDF
#include <dlfcn.h>
#include <pthread.h>
#include <poppler.h>

/* poppler-glib (with glib, cairo, lcms2, NSS, ...: some fifty libraries) is loaded when the
 * first PDF is read, not linked: a run on text files must not map it (bad_input2.py runs
 * comptext under a 60 MB address-space cap). The headers give the prototypes. */
/* clang-format off */
#define PDF_FUNCTIONS(X)                                                                           \
    X(poppler_document_new_from_bytes)                                                             \
    X(poppler_document_get_n_pages)                                                                \
    X(poppler_document_get_page)                                                                   \
    X(poppler_page_get_text) X(poppler_page_get_text_layout) X(poppler_error_quark)                \
        X(g_object_unref) X(g_bytes_new_with_free_func) X(g_bytes_unref) X(g_error_free) X(g_free)
/* clang-format on */
#define DECLARE(f) __typeof__(f) *p_##f;
static struct {
    int ok;
    char why[512];
    PDF_FUNCTIONS(DECLARE)
} lib;
#undef DECLARE

static void load_libraries(void)
{
    static const char *const names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so", NULL};
    void *h = NULL;
    for (size_t i = 0; !h && names[i]; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(lib.why, sizeof lib.why, "cannot load poppler-glib (%s)", e ? e : "not found");
        return;
    }
#define RESOLVE(f)                                                                                 \
    if (!(*(void **)&lib.p_##f = dlsym(h, #f))) {                                                  \
        snprintf(lib.why, sizeof lib.why, "cannot find %s in poppler-glib", #f);                   \
        return;                                                                                    \
    }
    PDF_FUNCTIONS(RESOLVE)
#undef RESOLVE
    lib.ok = 1;
}

#define poppler_document_new_from_bytes (*lib.p_poppler_document_new_from_bytes)
#define poppler_document_get_n_pages (*lib.p_poppler_document_get_n_pages)
#define poppler_document_get_page (*lib.p_poppler_document_get_page)
#define poppler_page_get_text (*lib.p_poppler_page_get_text)
#define poppler_page_get_text_layout (*lib.p_poppler_page_get_text_layout)
#define g_object_unref (*lib.p_g_object_unref)
#define g_bytes_new_with_free_func (*lib.p_g_bytes_new_with_free_func)
#define g_bytes_unref (*lib.p_g_bytes_unref)
#define g_error_free (*lib.p_g_error_free)
#define g_free (*lib.p_g_free)

/* glib's g_utf8_next_char and g_utf8_strlen without glib's data table. */
static const char *next_char(const char *s)
{
    s++;
    while (((unsigned char)*s & 0xC0) == 0x80)
        s++;
    return s;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The code point ending just before s[i] (s valid UTF-8), or -1. */
static int32_t cp_before(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0)
        return -1;
    k--;
    int32_t cp;
    ct_utf8_decode((const unsigned char *)s, k, &cp);
    return cp;
}

/* One line of a page's text as poppler lays it out: its extent and its characters' boxes. */
struct pdf_line {
    double x1, x2; /* leftmost and rightmost edge of its characters */
    double em;     /* its widest character (a full-width CJK character) */
    size_t first;  /* index of its first character's box, n of them */
    size_t n;
};

/* Breaks a line allowed before a character: poppler's text has no break opportunities, so
 * as a layout engine (UAX #14, with Chinese kinsoku) does, a run of letters or digits is one
 * unit, punctuation stays with the character before it, and an opening mark with the one
 * after it. */
static int opens(int32_t cp)
{
    return cp == 0x201C || cp == 0x2018 || cp == 0xFF08 || cp == 0x300A || cp == 0x3010 ||
           cp == 0x300C || cp == 0x300E || cp == '(' || cp == '[';
}

/* The right edge of the first unit of line l (the part that would have to fit at the end of
 * the line before for the layout engine to have put it there), relative to the line's left. */
static double first_unit_width(const struct pdf_line *l, const PopplerRectangle *r,
                               const int32_t *cps)
{
    size_t i = l->first, end = l->first + l->n, k = i;
    if (i == end)
        return 0;
    while (k + 1 < end && opens(cps[k]))
        k++;
    enum ct_charclass c = ct_charclass_of(cps[k]);
    if (c == CT_CC_ALPHA || c == CT_CC_DIGIT)
        while (k + 1 < end && ct_charclass_of(cps[k + 1]) == c)
            k++;
    while (k + 1 < end && cps[k + 1] != ' ' && ct_charclass_of(cps[k + 1]) == CT_CC_BOUNDARY &&
           !opens(cps[k + 1]))
        k++;
    return r[k].x2 - l->x1;
}

/* What the joins need of a page's layout: for each line, whether it is a wrapped line
 * (full) — its paragraph goes on on the next line — and, for the break at the page's end,
 * its body's first and last lines (body_first, body_last: SIZE_MAX when it has none) with
 * their geometry. */
struct page_layout {
    unsigned char *full;
    size_t n_lines;
    size_t body_first, body_last;
    double left, right;               /* the body's left margin and right edge */
    double last_x1, last_x2, last_em; /* the last body line's extent and widest character */
    double first_x1, first_unit;      /* the first body line's left and its first unit's width */
    double first_em;                  /* the first body line's widest character */
    int text_outside; /* a line of text before the first or after the last body line */
};

/* For each line of a page's text, whether it is a wrapped line (layout->full). A layout
 * engine breaks a line where the next unit (first_unit_width) does not fit, so the line's
 * right end plus that unit passes the right edge of the text block — whatever the gap the
 * unit left (one character before a ；, a whole number, nothing when justified). The block
 * is the page's body: the lines starting at its left margin (the left edge with the most
 * characters; up to four characters right of it for first-line indents), its right edge
 * their rightmost end. Running heads, page numbers and dates in the page margins start
 * elsewhere and do not move it. A paragraph's last line leaves room for the next line's
 * first unit, and a next line indented more than the line is a new paragraph. A line
 * outside the body (centred, in a second column) counts as wrapped only when it reaches the
 * body's right edge within 1.5 characters. The page's last body line is judged against the
 * next page's first (page_wraps). Needs poppler's layout (one rectangle a character);
 * layout->full is NULL without it. */
static void wrapped_lines(PopplerPage *page, const char *text, struct page_layout *layout)
{
    PopplerRectangle *r = NULL;
    guint n = 0;
    memset(layout, 0, sizeof *layout);
    layout->body_first = layout->body_last = SIZE_MAX;
    layout->n_lines = 1;
    for (const char *s = text; *s; s++)
        layout->n_lines += *s == '\n';
    size_t n_lines = layout->n_lines;
    if (!poppler_page_get_text_layout(page, &r, &n) || (size_t)n != utf8_chars(text)) {
        g_free(r);
        return;
    }
    struct pdf_line *lines = ct_calloc(n_lines, sizeof *lines);
    int32_t *cps = ct_calloc(n ? n : 1, sizeof *cps);
    unsigned char *full = ct_calloc(n_lines, 1);
    if (!lines || !cps || !full) {
        ct_free(lines);
        ct_free(cps);
        ct_free(full);
        g_free(r);
        return;
    }
    size_t line = 0;
    const char *s = text;
    for (guint i = 0; i < n && *s; i++, s = next_char(s)) {
        struct pdf_line *l = &lines[line];
        if (*s == '\n') {
            lines[++line].first = i + 1;
            continue;
        }
        ct_utf8_decode((const unsigned char *)text, (size_t)(s - text), &cps[i]);
        if (l->n == 0 || r[i].x1 < l->x1)
            l->x1 = r[i].x1;
        if (l->n == 0 || r[i].x2 > l->x2)
            l->x2 = r[i].x2;
        if (r[i].x2 - r[i].x1 > l->em)
            l->em = r[i].x2 - r[i].x1;
        l->n++;
    }
    /* The body's left margin: the left edge (to half a point) with the most characters. */
    double left = 0;
    size_t best = 0;
    for (size_t k = 0; k < n_lines; k++) {
        size_t chars = 0;
        for (size_t j = 0; j < n_lines; j++)
            if (lines[j].n && lines[j].x1 > lines[k].x1 - 0.5 && lines[j].x1 < lines[k].x1 + 0.5)
                chars += lines[j].n;
        if (lines[k].n && chars > best) {
            best = chars;
            left = lines[k].x1;
        }
    }
#define IN_BODY(l) ((l)->n && (l)->x1 > left - 0.5 && (l)->x1 <= left + 4 * (l)->em + 0.5)
    double right = 0;
    for (size_t k = 0; k < n_lines; k++)
        if (IN_BODY(&lines[k])) {
            if (lines[k].x2 > right)
                right = lines[k].x2;
            if (layout->body_first == SIZE_MAX)
                layout->body_first = k;
            layout->body_last = k;
        }
    for (size_t k = 0; k + 1 < n_lines; k++) {
        const struct pdf_line *l = &lines[k], *next = &lines[k + 1];
        if (!l->n || !next->n)
            continue;
        if (!IN_BODY(l) || !IN_BODY(next))
            full[k] = l->x2 >= right - 1.5 * l->em && l->x2 <= right + 0.5 * l->em;
        else
            full[k] = l->x2 + first_unit_width(next, r, cps) > right + 0.01 &&
                      next->x1 <= l->x1 + 0.5 * l->em;
    }
#undef IN_BODY
    /* A line of the body's type size and at least half its width, before its first line or
     * after its last, is text the body's left margin missed (the plain paragraph after a
     * page of indented list items), not a margin line: the page's text does not end (or
     * begin) with the body's line. */
    for (size_t k = 0; layout->body_first != SIZE_MAX && k < n_lines; k++) {
        const struct pdf_line
            *l = &lines[k],
            *b = &lines[k < layout->body_first ? layout->body_first : layout->body_last];
        if (l->n && (k < layout->body_first || k > layout->body_last) && l->em >= 0.8 * b->em &&
            l->em <= 1.25 * b->em && l->x2 - l->x1 >= (right - left) / 2)
            layout->text_outside = 1;
    }
    if (layout->body_first != SIZE_MAX) {
        const struct pdf_line *f = &lines[layout->body_first], *l = &lines[layout->body_last];
        layout->first_x1 = f->x1;
        layout->first_unit = first_unit_width(f, r, cps);
        layout->first_em = f->em;
        layout->last_x1 = l->x1;
        layout->last_x2 = l->x2;
        layout->last_em = l->em;
    }
    layout->left = left;
    layout->right = right;
    layout->full = full;
    ct_free(lines);
    ct_free(cps);
    g_free(r);
}

/* Whether page a's last body line is wrapped onto page b's first: the test of
 * wrapped_lines across the break, each line measured from its own page's left margin (the
 * pages of one document share their layout). The running heads, footers and page numbers
 * between the two are outside both bodies — except on a page with little text (the last
 * page's few lines, a page of a figure), where they may hold the most characters and so
 * make the body: a paragraph goes on in its own type size, so two lines whose widest
 * characters differ by more than a fifth (Chromium's 7-point date after 15-point text) are
 * not one paragraph. */
static int page_wraps(const struct page_layout *a, const struct page_layout *b)
{
    if (!a->full || !b->full || a->body_last == SIZE_MAX || b->body_first == SIZE_MAX)
        return 0;
    if (b->first_em < 0.8 * a->last_em || b->first_em > 1.25 * a->last_em || a->text_outside ||
        b->text_outside)
        return 0;
    double last_x1 = a->last_x1 - a->left, first_x1 = b->first_x1 - b->left;
    return a->last_x2 + b->first_unit > a->right + 0.01 && first_x1 <= last_x1 + 0.5 * a->last_em;
}

/* Whether a line break between prev and next, after a wrapped line, is only the wrap:
 * Chinese is written without spaces, so between CJK characters, digits and the comma-like
 * marks inside a sentence (，、；：) there was none. A digit run counts when Chinese is on one
 * side of the break (an English "page 3 / 4 items" keeps its break). */
static int joins(int32_t before_prev, int32_t prev, int32_t next, int32_t after_next)
{
    enum ct_charclass p = ct_charclass_of(prev), q = ct_charclass_of(next);
    int p_ok = p == CT_CC_CJK || p == CT_CC_DIGIT || prev == 0xFF0C || prev == 0x3001 ||
               prev == 0xFF1B || prev == 0xFF1A;
    int q_ok = q == CT_CC_CJK || q == CT_CC_DIGIT || opens(next);
    if (!p_ok || !q_ok)
        return 0;
    if (p == CT_CC_DIGIT && q == CT_CC_DIGIT)
        return ct_is_cjk(before_prev) || ct_is_cjk(after_next);
    return 1;
}

/* The code point at s[i] or -1 past the end. */
static int32_t cp_at(const char *s, size_t i, size_t len)
{
    int32_t cp = -1;
    if (i < len)
        ct_utf8_decode((const unsigned char *)s, i, &cp);
    return cp;
}

/* The document's text as it is assembled: out (its text so far) and pending (the margin
 * lines of a page break that a paragraph goes on across — footers, page numbers, the next
 * page's running heads — held back and written after the paragraph's end, so that the
 * paragraph is one line and the chrome lines stay lines of their own). */
struct assembly {
    char *out, *pending;
    size_t n, n_pending;
};

static void end_line(struct assembly *a)
{
    a->out[a->n++] = '\n';
    memcpy(a->out + a->n, a->pending, a->n_pending);
    a->n += a->n_pending;
    a->n_pending = 0;
}

/* Whether the break after the text so far, before next (the code point at next[0], of
 * next_len bytes), is only a wrap (joins). */
static int wrap_joins(const struct assembly *a, const char *next, size_t next_len)
{
    int32_t prev = cp_before(a->out, a->n), after_next = -1, first = cp_at(next, 0, next_len);
    if (prev < 0 || first < 0)
        return 0;
    size_t k = a->n;
    while (k > 0 && ((unsigned char)a->out[k - 1] & 0xC0) == 0x80)
        k--;
    int32_t before_prev = k > 0 ? cp_before(a->out, k - 1) : -1;
    after_next = cp_at(next, (size_t)(next_char(next) - next), next_len);
    return joins(before_prev, prev, first, after_next);
}

/* Append a page's text, removing the line break after a wrapped line when joins() says it
 * is only the wrap. Lines before index hold_before (the running heads above a paragraph
 * coming from the page before) are held back; so, when on is given (this page's last body
 * line wraps onto the next page, whose first body line starts at on, on_len bytes to that
 * page's end), are the lines after the last body line, and that line's break is judged
 * against on. */
static void append_page(struct assembly *a, const char *page, size_t len,
                        const struct page_layout *lay, size_t hold_before, const char *on,
                        size_t on_len)
{
    size_t line = 0;
    for (size_t i = 0; i <= len; line++) {
        size_t end = i;
        while (end < len && page[end] != '\n')
            end++;
        int terminated = end < len;
        if (line < hold_before || (on && line > lay->body_last)) {
            if (terminated || end > i) {
                memcpy(a->pending + a->n_pending, page + i, end - i);
                a->n_pending += end - i;
                a->pending[a->n_pending++] = '\n';
            }
        } else {
            memcpy(a->out + a->n, page + i, end - i);
            a->n += end - i;
            int joined;
            if (on && line == lay->body_last)
                joined = wrap_joins(a, on, on_len);
            else
                joined = lay->full && line < lay->n_lines && lay->full[line] && end + 1 < len &&
                         wrap_joins(a, page + end + 1, len - end - 1);
            if (!joined && (terminated || (end > i && a->n && a->out[a->n - 1] != '\n')))
                end_line(a);
        }
        i = end + 1;
    }
}

/* The byte offset of line k of text. */
static size_t line_start(const char *text, size_t k)
{
    size_t i = 0;
    for (; k > 0 && text[i]; i++)
        k -= text[i] == '\n';
    return i;
}

static void free_bytes(gpointer p)
{
    ct_free(p);
}

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* The whole file, binary (ct_read_file stops at a NUL byte, which text never has). */
static int read_binary(const char *path, char **out, size_t *len, ct_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = ct_malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *b = cap <= SIZE_MAX / 2 ? ct_realloc(buf, cap * 2) : NULL;
            if (!b) {
                ct_free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    int rc = !buf ? CT_ENOMEM : ferror(f) ? CT_EIO : CT_OK;
    if (rc == CT_EIO) {
        ct_error_set(err, path, 0, (long long)n, "read error: %s", strerror(errno));
        ct_free(buf);
    }
    fclose(f);
    if (rc == CT_OK) {
        *out = buf;
        *len = n;
    }
    return rc;
}

int ct_pdf_read_text(const char *path, char **text, size_t *len, ct_error *err)
{
    *text = NULL;
    *len = 0;
    pthread_once(&load_once, load_libraries);
    if (!lib.ok) {
        ct_error_set(err, path, 0, -1, "cannot read PDF files: %s", lib.why);
        return CT_EINPUT;
    }
    char *bytes;
    size_t n;
    int rc = read_binary(path, &bytes, &n, err);
    if (rc != CT_OK)
        return rc;
    GBytes *gb = g_bytes_new_with_free_func(bytes, n, free_bytes, bytes);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, &gerr);
    g_bytes_unref(gb); /* the document holds its own reference */
    if (!doc) {
        int encrypted = gerr && gerr->domain == lib.p_poppler_error_quark() &&
                        gerr->code == POPPLER_ERROR_ENCRYPTED;
        ct_error_set(err, path, 0, -1, "%s%s",
                     encrypted ? "the PDF is password-protected" : "damaged PDF: ",
                     encrypted               ? ""
                     : gerr && gerr->message ? gerr->message
                                             : "cannot be opened");
        if (gerr)
            g_error_free(gerr);
        return CT_EINPUT;
    }
    int pages = poppler_document_get_n_pages(doc);
    size_t cap = 1, n_pages = pages > 0 ? (size_t)pages : 1;
    char **texts = ct_calloc(n_pages, sizeof *texts);
    struct page_layout *layout = ct_calloc(n_pages, sizeof *layout);
    if (!texts || !layout) {
        ct_free(texts);
        ct_free(layout);
        g_object_unref(doc);
        return CT_ENOMEM;
    }
    for (int p = 0; p < pages; p++) {
        PopplerPage *page = poppler_document_get_page(doc, p);
        if (!page)
            continue;
        texts[p] = poppler_page_get_text(page);
        if (texts[p] && ct_utf8_invalid_offset(texts[p], strlen(texts[p])) != strlen(texts[p])) {
            g_free(texts[p]); /* not UTF-8: poppler's text is, so the page is left out */
            texts[p] = NULL;
        }
        if (texts[p])
            wrapped_lines(page, texts[p], &layout[p]);
        g_object_unref(page);
        if (texts[p])
            cap += strlen(texts[p]) + 1;
    }
    g_object_unref(doc);
    struct assembly a = {ct_malloc(cap), ct_malloc(cap), 0, 0};
    rc = a.out && a.pending ? CT_OK : CT_ENOMEM;
    size_t chars = 0, hold_before = 0;
    for (int p = 0; rc == CT_OK && p < pages; p++) {
        if (!texts[p]) {
            hold_before = 0;
            continue;
        }
        size_t k = strlen(texts[p]);
        const char *on = NULL;
        size_t on_len = 0;
        if (p + 1 < pages && texts[p + 1] && page_wraps(&layout[p], &layout[p + 1])) {
            on = texts[p + 1] + line_start(texts[p + 1], layout[p + 1].body_first);
            on_len = strlen(on);
        }
        append_page(&a, texts[p], k, &layout[p], hold_before, on, on_len);
        hold_before = on ? layout[p + 1].body_first : 0;
        for (size_t i = 0; i < k; i++)
            chars += texts[p][i] != ' ' && texts[p][i] != '\n' && texts[p][i] != '\t' &&
                     texts[p][i] != '\f';
    }
    if (rc == CT_OK && (a.n_pending || (a.n && a.out[a.n - 1] != '\n')))
        end_line(&a);
    for (int p = 0; p < pages; p++) {
        g_free(texts[p]);
        ct_free(layout[p].full);
    }
    ct_free(texts);
    ct_free(layout);
    ct_free(a.pending);
    char *out = a.out;
    size_t used = a.n;
    if (rc != CT_OK) {
        ct_free(out);
        return rc;
    }
    out[used] = '\0';
    if (chars == 0) {
        ct_free(out);
        ct_error_set(err, path, 0, -1,
                     "the PDF has no text (%d page%s of images: a scan? run OCR on it first)",
                     pages, pages == 1 ? "" : "s");
        return CT_EINPUT;
    }
    rc = ct_normalize_newlines(out, used, text, len);
    ct_free(out);
    return rc;
}

#else

int ct_pdf_read_text(const char *path, char **text, size_t *len, ct_error *err)
{
    *text = NULL;
    *len = 0;
    ct_error_set(err, path, 0, -1,
                 "this comptext was built without PDF support (meson setup -Dpdf=enabled)");
    return CT_EINPUT;
}

#endif
