/* chrome.c — blanking scraped page chrome line by line (rules in comptext/chrome.h).
 *
 * Rules 2–5 look at one line and its predecessor; rule 1 (boilerplate repeated across the
 * corpus) needs a first pass over every document, which ct_chrome_observe makes: it counts,
 * for each distinct short line, the documents it occurs in. Lines are blanked, not removed,
 * so byte offsets into the text stay valid for keyword in context. */
#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

#include "charclass.h"
#include "comptext/alloc.h"
#include "comptext/chrome.h"
#include "comptext/error.h"
#include "datadir.h"
#include "encoding.h"
#include "lines.h"
#include "termtab.h"

#define BOILERPLATE_MAX_BYTES 300 /* longer lines are never counted as boilerplate */

struct ct_chrome {
    char **phrases;
    size_t n_phrases;
    ct_termtab *lines;   /* distinct short lines seen by ct_chrome_observe */
    uint32_t *doc_count; /* per line id: documents it occurs in */
    size_t *last_doc;    /* per line id: last document (+1) that counted it */
    size_t count_cap;
    size_t docs_seen;
    size_t threshold; /* documents a line must occur in to be boilerplate; 0: off */
};

static int add_phrase(ct_chrome *c, const char *s, size_t n)
{
    char **p = ct_reallocarray(c->phrases, c->n_phrases + 1, sizeof *p);
    if (!p)
        return CT_ENOMEM;
    c->phrases = p;
    p[c->n_phrases] = ct_strndup(s, n);
    if (!p[c->n_phrases])
        return CT_ENOMEM;
    c->n_phrases++;
    return CT_OK;
}

static int load_phrases(ct_chrome *c, const char *path)
{
    ct_error err;
    char *text;
    size_t len;
    int rc = ct_read_file(path, &text, &len, &err);
    if (rc != CT_OK)
        return rc;
    size_t pos = 0, n;
    const char *line;
    while (rc == CT_OK && (line = ct_line_next(text, len, &pos, &n))) {
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            n--;
        if (memchr(line, '\0', n)) {
            rc = CT_EINPUT; /* a phrase cut at a NUL would be "" and match every line */
            break;
        }
        if (n && line[0] != '#')
            rc = add_phrase(c, line, n);
    }
    ct_free(text);
    return rc;
}

int ct_chrome_new(ct_chrome **out, const char *phrases_path)
{
    *out = NULL;
    ct_chrome *c = ct_calloc(1, sizeof *c);
    if (!c)
        return CT_ENOMEM;
    int rc = ct_termtab_new(&c->lines);
    if (rc == CT_OK) {
        const char *path = phrases_path ? phrases_path : ct_data_path("chrome-zh.txt");
        if (path)
            rc = load_phrases(c, path);
    }
    if (rc != CT_OK) {
        ct_chrome_free(c);
        return rc;
    }
    *out = c;
    return CT_OK;
}

void ct_chrome_free(ct_chrome *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_phrases; i++)
        ct_free(c->phrases[i]);
    ct_free(c->phrases);
    ct_termtab_free(c->lines);
    ct_free(c->doc_count);
    ct_free(c->last_doc);
    ct_free(c);
}

/* Trim ASCII and ideographic spaces from both ends of a line. */
static void trim(const char **s, size_t *n)
{
    for (;;) {
        if (*n && isspace((unsigned char)(*s)[0])) {
            (*s)++;
            (*n)--;
        } else if (*n >= 3 && memcmp(*s, "\xE3\x80\x80", 3) == 0) {
            *s += 3;
            *n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (*n && isspace((unsigned char)(*s)[*n - 1]))
            (*n)--;
        else if (*n >= 3 && memcmp(*s + *n - 3, "\xE3\x80\x80", 3) == 0)
            *n -= 3;
        else
            break;
    }
}

int ct_chrome_observe(ct_chrome *c, const char *text, size_t len)
{
    size_t doc = ++c->docs_seen;
    size_t pos = 0, n;
    const char *line;
    while ((line = ct_line_next(text, len, &pos, &n))) {
        trim(&line, &n);
        if (!n || n > BOILERPLATE_MAX_BYTES)
            continue;
        uint32_t id;
        int rc = ct_termtab_intern(c->lines, line, n, &id, NULL);
        if (rc != CT_OK)
            return rc;
        if (id >= c->count_cap) {
            size_t cap = c->count_cap ? c->count_cap * 2 : 1024;
            uint32_t *dc = ct_reallocarray(c->doc_count, cap, sizeof *dc);
            if (!dc)
                return CT_ENOMEM;
            c->doc_count = dc;
            size_t *ld = ct_reallocarray(c->last_doc, cap, sizeof *ld);
            if (!ld)
                return CT_ENOMEM;
            c->last_doc = ld;
            memset(dc + c->count_cap, 0, (cap - c->count_cap) * sizeof *dc);
            memset(ld + c->count_cap, 0, (cap - c->count_cap) * sizeof *ld);
            c->count_cap = cap;
        }
        if (c->last_doc[id] != doc) {
            c->last_doc[id] = doc;
            c->doc_count[id]++;
        }
    }
    return CT_OK;
}

void ct_chrome_finish(ct_chrome *c, size_t n_docs)
{
    c->threshold = n_docs >= 3 ? (n_docs + 1) / 2 : 0;
    if (c->threshold && c->threshold < 3)
        c->threshold = 3;
}

static int contains(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle)) != NULL;
}

static int has_any(const char *s, size_t n, const char *const *needles)
{
    for (; *needles; needles++)
        if (contains(s, n, *needles))
            return 1;
    return 0;
}

static const char *const sentence_punct[] = {"。", "，", "、", "；", "：", "！", "？",
                                             ",",  ";",  ":",  "!",  "?",  NULL};
static const char *const sentence_end[] = {"。", "！", "？", NULL};

/* Longest run of Han (CJK) characters in a line. */
static size_t longest_cjk_run(const char *s, size_t n)
{
    size_t best = 0, run = 0, i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 1) {
            k = 1;
            cp = -1;
        }
        run = ct_is_cjk(cp) ? run + 1 : 0;
        if (run > best)
            best = run;
        i += (size_t)k;
    }
    return best;
}

/* Rule 4: the line names a file (".docx", ".pdf", … optionally followed by "VIP"). */
static int names_file(const char *s, size_t n)
{
    if (n >= 3 && memcmp(s + n - 3, "VIP", 3) == 0) {
        n -= 3;
        while (n && s[n - 1] == ' ')
            n--;
    }
    static const char *const ext[] = {".doc",  ".docx", ".ppt", ".pptx", ".xls",
                                      ".xlsx", ".pdf",  ".txt", ".wps",  NULL};
    for (const char *const *e = ext; *e; e++) {
        size_t k = strlen(*e);
        if (n > k && strncasecmp(s + n - k, *e, k) == 0)
            return 1;
    }
    return 0;
}

int ct_chrome_line_is_chrome(const ct_chrome *c, const char *line, size_t n)
{
    trim(&line, &n);
    if (!n)
        return 0;
    if (!has_any(line, n, sentence_punct) && longest_cjk_run(line, n) <= CT_CHROME_MAX_SHORT_RUN)
        return 1;
    if (names_file(line, n))
        return 1;
    if (!has_any(line, n, sentence_end))
        for (size_t i = 0; i < c->n_phrases; i++)
            if (contains(line, n, c->phrases[i]))
                return 1;
    return 0;
}

static int is_boilerplate(const ct_chrome *c, const char *line, size_t n)
{
    uint32_t id;
    return c->threshold && n <= BOILERPLATE_MAX_BYTES &&
           ct_termtab_find(c->lines, line, n, &id) == CT_OK && c->doc_count[id] >= c->threshold;
}

size_t ct_chrome_strip(const ct_chrome *c, char *text, size_t len)
{
    size_t blanked = 0, pos = 0;
    const char *prev = NULL;
    size_t prev_n = 0, n;
    const char *t;
    while ((t = ct_line_next(text, len, &pos, &n))) {
        char *line = text + (t - text); /* the line, writable: it may be blanked */
        size_t tn = n;
        trim(&t, &tn);
        if (!tn)
            continue;
        int repeat = prev && prev_n == tn && memcmp(prev, t, tn) == 0;
        if (!repeat) {
            prev = t;
            prev_n = tn;
        }
        if (repeat || is_boilerplate(c, t, tn) || ct_chrome_line_is_chrome(c, t, tn)) {
            memset(line, ' ', n);
            blanked++;
        }
    }
    return blanked;
}
