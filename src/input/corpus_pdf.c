/* corpus_pdf.c — the text of a PDF file, through poppler-glib.
 *
 * Each page's text comes from poppler in its reading order (poppler_page_get_text), pages
 * one after another, each ending with a line break. A PDF breaks a paragraph into its
 * printed lines, and Chinese is written without spaces: a wrap would cut the n-grams that
 * span it. So a line break is removed when the line before it reaches the right edge of the
 * page's text (within 1.5 characters: poppler's layout gives each character's box) and
 * both characters around it are CJK; a short line — a heading, a paragraph's last line —
 * keeps its break, as does every other one. Page boundaries are kept (the
 * running heads and page numbers between pages are the page's text).
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

/* For each line of a page's text, whether it is a wrapped line: it reaches to within one and
 * a half characters of the right edge of the page's text (the rightmost line end), so its
 * paragraph goes on. Needs poppler's layout (one rectangle a character); NULL without it. */
static unsigned char *wrapped_lines(PopplerPage *page, const char *text, size_t *n_lines)
{
    PopplerRectangle *r = NULL;
    guint n = 0;
    *n_lines = 1;
    for (const char *s = text; *s; s++)
        *n_lines += *s == '\n';
    if (!poppler_page_get_text_layout(page, &r, &n) || (size_t)n != utf8_chars(text)) {
        g_free(r);
        return NULL;
    }
    double *right = ct_calloc(*n_lines, sizeof *right), *width = ct_calloc(*n_lines, sizeof *width);
    unsigned char *full = ct_calloc(*n_lines, 1);
    if (!right || !width || !full) {
        ct_free(right);
        ct_free(width);
        ct_free(full);
        g_free(r);
        return NULL;
    }
    size_t line = 0;
    double page_right = 0;
    const char *s = text;
    for (guint i = 0; i < n && *s; i++, s = next_char(s)) {
        if (*s == '\n') {
            line++;
            continue;
        }
        if (r[i].x2 > right[line]) {
            right[line] = r[i].x2;
            width[line] = r[i].x2 - r[i].x1;
        }
        if (r[i].x2 > page_right)
            page_right = r[i].x2;
    }
    for (size_t k = 0; k < *n_lines; k++)
        full[k] = right[k] > 0 && right[k] >= page_right - 1.5 * width[k];
    ct_free(right);
    ct_free(width);
    g_free(r);
    return full;
}

/* Append page text to out[*n], removing the line break after a wrapped line (full: one flag a
 * line, or NULL) between two CJK characters. */
static void append_page(char *out, size_t *n, const char *page, size_t len,
                        const unsigned char *full, size_t n_lines)
{
    size_t start = *n, line = 0;
    for (size_t i = 0; i < len; i++) {
        if (page[i] == '\n') {
            int wrapped = full && line < n_lines && full[line];
            line++;
            if (wrapped && i + 1 < len) {
                int32_t prev = cp_before(out + start, *n - start), next;
                ct_utf8_decode((const unsigned char *)page, i + 1, &next);
                if (prev >= 0 && ct_is_cjk(prev) && ct_is_cjk(next))
                    continue;
            }
        }
        out[(*n)++] = page[i];
    }
    if (*n > start && out[*n - 1] != '\n')
        out[(*n)++] = '\n';
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
    size_t cap = 1, used = 0;
    char **texts = ct_calloc(pages > 0 ? (size_t)pages : 1, sizeof *texts);
    unsigned char **full = ct_calloc(pages > 0 ? (size_t)pages : 1, sizeof *full);
    size_t *n_lines = ct_calloc(pages > 0 ? (size_t)pages : 1, sizeof *n_lines);
    if (!texts || !full || !n_lines) {
        ct_free(texts);
        ct_free(full);
        ct_free(n_lines);
        g_object_unref(doc);
        return CT_ENOMEM;
    }
    for (int p = 0; p < pages; p++) {
        PopplerPage *page = poppler_document_get_page(doc, p);
        if (!page)
            continue;
        texts[p] = poppler_page_get_text(page);
        if (texts[p])
            full[p] = wrapped_lines(page, texts[p], &n_lines[p]);
        g_object_unref(page);
        if (texts[p])
            cap += strlen(texts[p]) + 1;
    }
    g_object_unref(doc);
    char *out = ct_malloc(cap);
    rc = out ? CT_OK : CT_ENOMEM;
    size_t chars = 0;
    for (int p = 0; p < pages; p++) {
        if (!texts[p]) {
            ct_free(full[p]);
            continue;
        }
        size_t k = strlen(texts[p]);
        if (rc == CT_OK && ct_utf8_invalid_offset(texts[p], k) == k) {
            append_page(out, &used, texts[p], k, full[p], n_lines[p]);
            for (size_t i = 0; i < k; i++)
                chars += texts[p][i] != ' ' && texts[p][i] != '\n' && texts[p][i] != '\t' &&
                         texts[p][i] != '\f';
        }
        g_free(texts[p]);
        ct_free(full[p]);
    }
    ct_free(texts);
    ct_free(full);
    ct_free(n_lines);
    if (rc != CT_OK)
        return rc;
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
