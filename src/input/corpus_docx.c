/* corpus_docx.c — the text of a Word (.docx) document, through libzip and libxml2.
 *
 * A .docx is a ZIP archive whose word/document.xml holds the body. Its text is taken in
 * reading order: each paragraph (w:p) is one line; inside it the runs' text (w:t), tabs
 * (w:tab) as a tab, line and carriage breaks (w:br, w:cr) as a line break, non-breaking and
 * soft hyphens as '-' and nothing. Tables (w:tbl) are read row by row, cell by cell: a cell's
 * paragraphs are its lines, cells end with a tab and rows with a line break, so a cell's text
 * never runs into its neighbour's. Content controls, hyperlinks, smart tags, tracked
 * insertions and text boxes are read where they stand; tracked deletions (w:delText), field
 * instructions (w:instrText), and the fallback copy of alternate content (mc:Fallback, which
 * repeats mc:Choice) are not. Footnotes and endnotes (word/footnotes.xml, endnotes.xml) are
 * part of the report and follow the body, in the order of their parts; the separator notes
 * Word keeps there are skipped. Headers and footers (word/header*.xml, footer*.xml) are page
 * chrome — a running title and page numbers repeated on every page — and comments are not
 * the author's text: neither is read.
 *
 * A damaged archive, a missing word/document.xml, or XML that does not parse is an error
 * naming the file (and the part and line). Built only with the docx feature (meson); the
 * libraries are loaded at the first DOCX (see load_libraries). */
#include <pthread.h>
#include <string.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_readers.h"
#include "ct_config.h"

#ifdef CT_HAVE_DOCX
#include <dlfcn.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

/* libzip and libxml2 are loaded when the first DOCX is read, not linked: libxml2 maps ICU's
 * 30 MB of data, which a run on text files must not pay for (bad_input2.py runs comptext
 * under a 60 MB address-space cap). The headers give the prototypes. */
/* clang-format off */
#define DOCX_FUNCTIONS(X)                                                                          \
    X(zip_open)                                                                                    \
    X(zip_error_init_with_code)                                                                    \
    X(zip_error_strerror) X(zip_error_fini) X(zip_stat_init) X(zip_stat) X(zip_fopen)              \
        X(zip_strerror) X(zip_fread) X(zip_file_strerror) X(zip_fclose) X(zip_discard)             \
            X(xmlInitParser) X(xmlReadMemory) X(xmlGetLastError) X(xmlDocGetRootElement)           \
                X(xmlFreeDoc)
/* clang-format on */
#define DECLARE(f) __typeof__(f) *p_##f;
static struct {
    int ok;
    char why[512];
    DOCX_FUNCTIONS(DECLARE)
} lib;
#undef DECLARE

static void *open_first(const char *const *names)
{
    void *h = NULL;
    for (size_t i = 0; !h && names[i]; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    return h;
}

static void load_libraries(void)
{
    static const char *const zip_names[] = {"libzip.so.4", "libzip.so.5", "libzip.so", NULL};
    static const char *const xml_names[] = {"libxml2.so.2", "libxml2.so", NULL};
    void *z = open_first(zip_names), *x = z ? open_first(xml_names) : NULL;
    if (!z || !x) {
        const char *e = dlerror();
        snprintf(lib.why, sizeof lib.why, "cannot load %s (%s)", z ? "libxml2" : "libzip",
                 e ? e : "not found");
        return;
    }
#define RESOLVE(f)                                                                                 \
    if (!(*(void **)&lib.p_##f = dlsym(z, #f)) && !(*(void **)&lib.p_##f = dlsym(x, #f))) {        \
        snprintf(lib.why, sizeof lib.why, "cannot find %s in libzip or libxml2", #f);              \
        return;                                                                                    \
    }
    DOCX_FUNCTIONS(RESOLVE)
#undef RESOLVE
    lib.p_xmlInitParser(); /* once, before threads parse documents of their own */
    lib.ok = 1;
}

#define zip_open (*lib.p_zip_open)
#define zip_error_init_with_code (*lib.p_zip_error_init_with_code)
#define zip_error_strerror (*lib.p_zip_error_strerror)
#define zip_error_fini (*lib.p_zip_error_fini)
#define zip_stat_init (*lib.p_zip_stat_init)
#define zip_stat (*lib.p_zip_stat)
#define zip_fopen (*lib.p_zip_fopen)
#define zip_strerror (*lib.p_zip_strerror)
#define zip_fread (*lib.p_zip_fread)
#define zip_file_strerror (*lib.p_zip_file_strerror)
#define zip_fclose (*lib.p_zip_fclose)
#define zip_discard (*lib.p_zip_discard)
#define xmlReadMemory (*lib.p_xmlReadMemory)
#define xmlGetLastError (*lib.p_xmlGetLastError)
#define xmlDocGetRootElement (*lib.p_xmlDocGetRootElement)
#define xmlFreeDoc (*lib.p_xmlFreeDoc)

#define MAX_PART (512u << 20) /* an XML part larger than this is not a report */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *s2 = ct_realloc(b->s, cap);
        if (!s2) {
            b->oom = 1;
            return;
        }
        b->s = s2;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static int is_w(const xmlNode *n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE || !n->ns || !n->ns->href ||
        strcmp((const char *)n->name, name) != 0)
        return 0;
    const char *ns = (const char *)n->ns->href;
    return strcmp(ns, "http://schemas.openxmlformats.org/wordprocessingml/2006/main") == 0 ||
           strcmp(ns, "http://purl.oclc.org/ooxml/wordprocessingml/main") == 0;
}

static int is_mc(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->name, name) == 0 &&
           strcmp((const char *)n->ns->href,
                  "http://schemas.openxmlformats.org/markup-compatibility/2006") == 0;
}

/* The w:type attribute of a footnote or endnote ("separator", ...), or NULL. */
static const char *note_type(const xmlNode *n)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, "type") == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static void walk(const xmlNode *n, sbuf *b, int depth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (depth > 200)
            return; /* absurd nesting: the text so far */
        if (is_w(n, "t")) {
            for (const xmlNode *t = n->children; t; t = t->next)
                if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
                    put(b, (const char *)t->content, strlen((const char *)t->content));
        } else if (is_w(n, "tab")) {
            if (!(n->parent && is_w(n->parent, "tabs"))) /* w:tabs in w:pPr are tab stops */
                put(b, "\t", 1);
        } else if (is_w(n, "br") || is_w(n, "cr")) {
            put(b, "\n", 1);
        } else if (is_w(n, "noBreakHyphen")) {
            put(b, "-", 1);
        } else if (is_w(n, "delText") || is_w(n, "instrText") || is_w(n, "delInstrText") ||
                   is_w(n, "pPr") || is_w(n, "rPr") || is_w(n, "sectPr") || is_mc(n, "Fallback")) {
            /* not text */
        } else if ((is_w(n, "footnote") || is_w(n, "endnote")) && note_type(n) &&
                   strcmp(note_type(n), "normal") != 0) {
            /* separator and continuation notes */
        } else if (is_w(n, "p")) {
            walk(n->children, b, depth + 1);
            put(b, "\n", 1);
        } else if (is_w(n, "tc")) {
            walk(n->children, b, depth + 1);
            if (b->n && b->s[b->n - 1] == '\n')
                b->n--; /* the cell's last paragraph ends with the tab */
            put(b, "\t", 1);
        } else if (is_w(n, "tr")) {
            walk(n->children, b, depth + 1);
            put(b, "\n", 1);
        } else {
            walk(n->children, b, depth + 1);
        }
    }
}

/* Read one part of the archive into memory; 0 when the part does not exist. */
static int read_part(zip_t *z, const char *path, const char *name, char **out, size_t *len,
                     ct_error *err)
{
    *out = NULL;
    *len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0)
        return 0;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART) {
        ct_error_set(err, path, 0, -1, "%s: too large or of unknown size", name);
        return CT_EINPUT;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        ct_error_set(err, path, 0, -1, "damaged DOCX: cannot open %s: %s", name, zip_strerror(z));
        return CT_EINPUT;
    }
    char *buf = ct_malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(f);
        return CT_ENOMEM;
    }
    zip_int64_t got = zip_fread(f, buf, st.size);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        ct_error_set(err, path, 0, -1, "damaged DOCX: cannot read %s: %s", name,
                     zip_file_strerror(f));
        zip_fclose(f);
        ct_free(buf);
        return CT_EINPUT;
    }
    if (zip_fclose(f) != 0) { /* the CRC is checked at the end */
        ct_error_set(err, path, 0, -1, "damaged DOCX: %s fails its checksum", name);
        ct_free(buf);
        return CT_EINPUT;
    }
    buf[st.size] = '\0';
    *out = buf;
    *len = (size_t)st.size;
    return 1;
}

static int read_xml_part(zip_t *z, const char *path, const char *name, int required, sbuf *b,
                         ct_error *err)
{
    char *xml;
    size_t len;
    int rc = read_part(z, path, name, &xml, &len, err);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        if (!required)
            return CT_OK;
        ct_error_set(err, path, 0, -1,
                     "not a Word document: the archive has no %s (an .xlsx or other ZIP file "
                     "named .docx?)",
                     name);
        return CT_EINPUT;
    }
    /* No network, no external entities, no DTD loading: the document is data. */
    xmlDoc *doc = xmlReadMemory(xml, (int)len, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    ct_free(xml);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        ct_error_set(err, path, 0, -1, "damaged DOCX: %s line %d: %s", name, e ? e->line : 0,
                     e && e->message ? e->message : "XML does not parse");
        size_t k = strlen(err ? err->text : "");
        if (err && k && err->text[k - 1] == '\n')
            err->text[k - 1] = '\0';
        return CT_EINPUT;
    }
    walk(xmlDocGetRootElement(doc), b, 0);
    xmlFreeDoc(doc);
    return b->oom ? CT_ENOMEM : CT_OK;
}

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

int ct_docx_read_text(const char *path, char **text, size_t *len, ct_error *err)
{
    *text = NULL;
    *len = 0;
    pthread_once(&load_once, load_libraries);
    if (!lib.ok) {
        ct_error_set(err, path, 0, -1, "cannot read DOCX files: %s", lib.why);
        return CT_EINPUT;
    }
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        ct_error_set(err, path, 0, -1, "damaged DOCX (not a readable ZIP archive): %s",
                     zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return CT_EINPUT;
    }
    sbuf b = {0};
    int rc = read_xml_part(z, path, "word/document.xml", 1, &b, err);
    if (rc == CT_OK)
        rc = read_xml_part(z, path, "word/footnotes.xml", 0, &b, err);
    if (rc == CT_OK)
        rc = read_xml_part(z, path, "word/endnotes.xml", 0, &b, err);
    zip_discard(z);
    if (rc == CT_OK && b.oom)
        rc = CT_ENOMEM;
    if (rc != CT_OK) {
        ct_free(b.s);
        return rc;
    }
    if (!b.s) {
        b.s = ct_strdup("");
        if (!b.s)
            return CT_ENOMEM;
    }
    *text = b.s;
    *len = b.n;
    return CT_OK;
}

#else

int ct_docx_read_text(const char *path, char **text, size_t *len, ct_error *err)
{
    *text = NULL;
    *len = 0;
    ct_error_set(err, path, 0, -1,
                 "this comptext was built without DOCX support (meson setup -Ddocx=enabled)");
    return CT_EINPUT;
}

#endif
