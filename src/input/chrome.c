/* chrome.c — finding and blanking scraped page chrome line by line (rules in
 * comptext/chrome.h).
 *
 * Most rules look at one line: they decode it into code points once and match small
 * patterns (a date, a counter, menu items) by hand, since each is a few lines of code and a
 * regular-expression library would add a dependency for nothing. The footer rule needs the
 * corpus: ct_chrome_observe counts, for each distinct short line among the
 * CT_CHROME_EDGE_LINES non-blank lines at each end of a document, the documents it occurs
 * in; only edge lines are counted, so memory grows with documents, not with text. The
 * repeat rule needs the document, so ct_chrome_find first splits the text into lines.
 * Lines are blanked with blanks of the same UTF-8 length, so that byte and character
 * offsets into the text stay valid for keyword in context and reuse. */
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
#include "corpus_part.h"

#define BOILERPLATE_MAX_BYTES 300 /* longer lines are never counted as boilerplate */
#define MAX_CP 256                /* longer lines are only checked for files, prose, phrases */
#define WEAK_DOCS 3               /* documents every line of a footer block is in */

struct ct_chrome {
    char **phrases;
    size_t n_phrases;
    ct_termtab *lines;   /* distinct short edge lines seen by ct_chrome_observe */
    uint32_t *doc_count; /* per line id: documents it occurs in */
    size_t *last_doc;    /* per line id: last document (+1) that counted it */
    size_t count_cap;
    size_t docs_seen;
    size_t threshold; /* documents one line of a footer must occur in; 0: off */
};

static const char *const rule_names[] = {"keep",      "file", "footer", "counter",
                                         "timestamp", "menu", "phrase", "repeat"};

const char *ct_chrome_rule_name(ct_chrome_rule rule)
{
    return (unsigned)rule < sizeof rule_names / sizeof rule_names[0] ? rule_names[rule] : "?";
}

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

/* The next code point of s[*i, n), advancing *i; an invalid byte reads as -1. */
static int32_t next_cp(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
    if (k < 1) {
        k = 1;
        cp = -1;
    }
    *i += (size_t)k;
    return cp;
}

static size_t count_cps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* ---- character classes of the rules ---- */

static int is_punct(int32_t c) /* sentence punctuation */
{
    switch (c) {
    case 0x3002: /* 。 */
    case 0xFF0C: /* ， */
    case 0x3001: /* 、 */
    case 0xFF1B: /* ； */
    case 0xFF1A: /* ： */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
        return 1;
    default:
        return 0;
    }
}

static int is_end_punct(int32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}

static int is_digit(int32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int is_cn_numeral(int32_t c)
{
    static const int32_t d[] = {
        0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B,
        0x4E5D, 0x5341, 0x767E, 0x5343, 0x96F6, 0x3007, 0x4E24}; /* 一二三四五六七八九十百千零〇两
                                                                  */
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (c == d[i])
            return 1;
    return 0;
}

/* Characters that may stand inside a sentence between Han characters. */
static int in_sentence(int32_t c)
{
    if (is_digit(c))
        return 1;
    switch (c) {
    case 0x201C: /* “ ” ‘ ’ */
    case 0x201D:
    case 0x2018:
    case 0x2019:
    case 0x300A: /* 《 》 〈 〉 「 」 『 』 */
    case 0x300B:
    case 0x3008:
    case 0x3009:
    case 0x300C:
    case 0x300D:
    case 0x300E:
    case 0x300F:
    case 0xFF08: /* （ ） */
    case 0xFF09:
    case '(':
    case ')':
    case '%':
    case 0xFF05:
    case '.':
    case 0xFF0E:
    case 0x2014: /* — … · */
    case 0x2026:
    case 0x00B7:
        return 1;
    default:
        return 0;
    }
}

/* Prose: a sentence punctuation mark inside a run of at least CT_CHROME_PROSE_HAN Han
 * characters (Han before and after it; digits and quotes may stand in the run). */
static int is_prose(const char *s, size_t n)
{
    size_t han = 0, i = 0;
    int seen = 0, pending = 0, inside = 0;
    while (i < n) {
        int32_t c = next_cp(s, n, &i);
        if (ct_is_cjk(c)) {
            han++;
            inside |= pending;
            seen = 1;
        } else if (is_punct(c)) {
            /* a colon after a short label (上一篇：, 来源：) does not make a sentence */
            if (!((c == ':' || c == 0xFF1A) && han < 5))
                pending |= seen;
        } else if (!in_sentence(c)) {
            if (inside && han >= CT_CHROME_PROSE_HAN)
                return 1;
            han = 0;
            seen = pending = inside = 0;
        }
    }
    return inside && han >= CT_CHROME_PROSE_HAN;
}

static int has_cp(const char *s, size_t n, int (*pred)(int32_t))
{
    size_t i = 0;
    while (i < n)
        if (pred(next_cp(s, n, &i)))
            return 1;
    return 0;
}

/* A decoded line: code points and the byte offset of each (off[n] = the length). */
typedef struct cps {
    int32_t cp[MAX_CP];
    size_t off[MAX_CP + 1];
    size_t n;
} cps;

/* Decode s; 0 when it has more than MAX_CP code points. */
static int decode(const char *s, size_t n, cps *d)
{
    size_t i = 0;
    d->n = 0;
    while (i < n) {
        if (d->n == MAX_CP)
            return 0;
        d->off[d->n] = i;
        d->cp[d->n++] = next_cp(s, n, &i);
    }
    d->off[d->n] = n;
    return 1;
}

static int is_space_cp(int32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0;
}

/* ---- numbered headings ---- */

static int heading_cps(const int32_t *cp, size_t n)
{
    size_t i = 0;
    if (n < 2)
        return 0;
    if (cp[0] == 0x7B2C) { /* 第 … 章 节 部分 篇 条 讲 */
        for (i = 1; i < n && (is_cn_numeral(cp[i]) || is_digit(cp[i])); i++)
            ;
        if (i == 1 || i >= n)
            return 0;
        int32_t u = cp[i];
        return u == 0x7AE0 || u == 0x8282 || u == 0x7BC7 || u == 0x6761 || u == 0x8BB2 ||
               (u == 0x90E8 && i + 1 < n && cp[i + 1] == 0x5206);
    }
    if ((cp[0] >= 0x2460 && cp[0] <= 0x2487) || (cp[0] >= 0x2776 && cp[0] <= 0x277F))
        return 1; /* ① … ⑳, ⑴ … ⒇, ❶ … ❿ */
    if (cp[0] == '(' || cp[0] == 0xFF08) {
        for (i = 1; i < n && (is_cn_numeral(cp[i]) || is_digit(cp[i])); i++)
            ;
        return i > 1 && i + 1 < n && (cp[i] == ')' || cp[i] == 0xFF09);
    }
    if (is_cn_numeral(cp[0])) {
        for (i = 1; i < n && is_cn_numeral(cp[i]); i++)
            ;
        return i + 1 < n && (cp[i] == 0x3001 || cp[i] == 0xFF0E || cp[i] == '.');
    }
    if (is_digit(cp[0])) {
        for (i = 1; i < n && is_digit(cp[i]); i++)
            ;
        if (i + 1 >= n)
            return 0;
        if (cp[i] == 0x3001 || cp[i] == 0xFF0E || cp[i] == ')' || cp[i] == 0xFF09)
            return 1;
        if (cp[i] == '.') {
            if (!is_digit(cp[i + 1]))
                return 1; /* 1. 概述, not 2.5 */
            /* 1.2 概述: digits and points, then a space and a letter */
            while (i < n && (is_digit(cp[i]) || cp[i] == '.'))
                i++;
            return i + 1 < n && is_space_cp(cp[i]) && ct_is_cjk(cp[i + 1]);
        }
    }
    return 0;
}

static int is_heading(const char *s, size_t n)
{
    int32_t cp[12];
    size_t k = 0, i = 0;
    while (i < n && k < 12)
        cp[k++] = next_cp(s, n, &i);
    return heading_cps(cp, k);
}

int ct_chrome_line_is_protected(const char *line, size_t len)
{
    trim(&line, &len);
    return len && (is_heading(line, len) || is_prose(line, len));
}

/* ---- files ---- */

/* The line names a file (".docx", ".pdf", … optionally followed by "VIP"). */
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

/* A character a web address never has: a space, or punctuation of Chinese text. */
static int breaks_address(int32_t c)
{
    return is_space_cp(c) || (c > 0x7F && is_punct(c));
}

/* The line is one bare web address and nothing else (file:///tmp/r.html, https://x.cn/a,
 * www.gov.cn/zhengce): the footer a browser prints on every page of a saved PDF, or a page's
 * own link line. A scheme is a letter and then letters, digits, "+", "-" or "."; an address
 * inside a sentence, or words around one, is text. */
static int is_bare_url(const char *s, size_t n)
{
    if (has_cp(s, n, breaks_address))
        return 0;
    if (n > 4 && strncasecmp(s, "www.", 4) == 0)
        return memchr(s + 4, '.', n - 4) != NULL;
    if (!n || !isalpha((unsigned char)s[0]))
        return 0;
    size_t k = 1;
    while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '+' || s[k] == '-' || s[k] == '.'))
        k++;
    return k >= 2 && n > k + 3 && memcmp(s + k, "://", 3) == 0;
}

/* ---- counters ---- */

static int bytes_in(const char *s, size_t n, const char *const *set)
{
    for (; *set; set++)
        if (strlen(*set) == n && memcmp(s, *set, n) == 0)
            return 1;
    return 0;
}

static int is_bullet(int32_t c)
{
    return c == '-' || c == '*' || c == 0x2022 || c == 0x00B7 || c == 0x25AA || c == 0x25CF ||
           c == 0x25CB || c == 0x25C6 || c == 0x25A0 || c == 0x2013;
}

/* cp[a, b) of d is a counter; bullet: a bullet came before it. */
static int counter_range(const cps *d, const char *s, size_t a, size_t b, int bullet)
{
    static const char *const prefixes[] = {"约", "共", "第", "总", NULL};
    static const char *const units[] = {
        "页",     "字",     "万字",   "千字",   "次",     "人",     "条",   "个",
        "份",     "篇",     "KB",     "MB",     "GB",     "K",      "M",    "下载",
        "阅读",   "浏览",   "评论",   "收藏",   "赞",     "点赞",   "分享", "次阅读",
        "人阅读", "次浏览", "次下载", "人下载", "人浏览", "次播放", "页数", NULL};
    while (a < b && is_space_cp(d->cp[a]))
        a++;
    while (b > a && is_space_cp(d->cp[b - 1]))
        b--;
    if (a == b)
        return bullet; /* a lone bullet */
    /* Page 1 of 8 */
    if (b - a >= 9 && d->off[a + 4] - d->off[a] == 4 &&
        strncasecmp(s + d->off[a], "page", 4) == 0) {
        size_t i = a + 4, k;
        while (i < b && is_space_cp(d->cp[i]))
            i++;
        for (k = i; i < b && is_digit(d->cp[i]); i++)
            ;
        if (i == k)
            return 0;
        while (i < b && is_space_cp(d->cp[i]))
            i++;
        if (i + 2 > b || strncasecmp(s + d->off[i], "of", 2) != 0)
            return 0;
        for (i += 2; i < b && is_space_cp(d->cp[i]); i++)
            ;
        for (k = i; i < b && is_digit(d->cp[i]); i++)
            ;
        return i > k && i == b;
    }
    size_t i = a;
    int prefix = 0;
    if (i < b && bytes_in(s + d->off[i], d->off[i + 1] - d->off[i], prefixes)) {
        prefix = 1;
        i++;
    }
    while (i < b && is_space_cp(d->cp[i]))
        i++;
    size_t k = i;
    while (i < b && (is_digit(d->cp[i]) || ((d->cp[i] == '.' || d->cp[i] == ',') && i > k)))
        i++;
    if (i == k)
        return 0;
    while (i < b && is_space_cp(d->cp[i]))
        i++;
    /* an optional "(123)" after the unit is not handled: 文档评论(0) is a phrase */
    if (i == b)
        return bullet || prefix == 1;
    return bytes_in(s + d->off[i], d->off[b] - d->off[i], units);
}

static int is_counter(const cps *d, const char *s)
{
    size_t a = 0;
    int bullet = 0;
    if (d->n && is_bullet(d->cp[0]) && (d->n == 1 || is_space_cp(d->cp[1]))) {
        bullet = 1;
        a = 1;
    }
    /* 第 1 页 / 共 8 页: counters either side of a slash */
    for (size_t i = a; i < d->n; i++)
        if (d->cp[i] == '/' || d->cp[i] == 0xFF0F)
            return counter_range(d, s, a, i, 1) && counter_range(d, s, i + 1, d->n, 1) &&
                   !(i == a || i + 1 == d->n);
    return counter_range(d, s, a, d->n, bullet);
}

/* ---- timestamps ---- */

static size_t digits_at(const cps *d, size_t i)
{
    size_t k = i;
    while (k < d->n && is_digit(d->cp[k]))
        k++;
    return k - i;
}

static size_t skip_spaces(const cps *d, size_t i)
{
    while (i < d->n && is_space_cp(d->cp[i]))
        i++;
    return i;
}

/* Length (in code points) of a date or time starting at i, or 0. */
static size_t stamp_at(const cps *d, size_t i)
{
    if (i > 0 && is_digit(d->cp[i - 1]))
        return 0;
    size_t k = digits_at(d, i);
    if (!k)
        return 0;
    size_t j = i + k;
    /* 2009-12-25, 2009/12/25, 2009.12.25 */
    if (k == 4 && j < d->n && (d->cp[j] == '-' || d->cp[j] == '/' || d->cp[j] == '.')) {
        int32_t sep = d->cp[j];
        size_t m = digits_at(d, j + 1);
        if (m >= 1 && m <= 2 && j + 1 + m < d->n && d->cp[j + 1 + m] == sep) {
            size_t e = j + 2 + m, q = digits_at(d, e);
            if (q >= 1 && q <= 2)
                return e + q - i;
        }
    }
    /* 2009年12月25日 (or 号) */
    if (k >= 2 && k <= 4) {
        size_t p = skip_spaces(d, j);
        if (p < d->n && d->cp[p] == 0x5E74) { /* 年 */
            p = skip_spaces(d, p + 1);
            size_t m = digits_at(d, p);
            if (m >= 1 && m <= 2) {
                p = skip_spaces(d, p + m);
                if (p < d->n && d->cp[p] == 0x6708) { /* 月 */
                    p = skip_spaces(d, p + 1);
                    size_t q = digits_at(d, p);
                    if (q >= 1 && q <= 2) {
                        p = skip_spaces(d, p + q);
                        if (p < d->n && (d->cp[p] == 0x65E5 || d->cp[p] == 0x53F7))
                            return p + 1 - i;
                    }
                }
            }
        }
    }
    /* 15:08, 15:08:00, 15：08 */
    if (k <= 2 && j < d->n && (d->cp[j] == ':' || d->cp[j] == 0xFF1A) && digits_at(d, j + 1) == 2) {
        size_t e = j + 3;
        if (e < d->n && (d->cp[e] == ':' || d->cp[e] == 0xFF1A) && digits_at(d, e + 1) == 2)
            e += 3;
        return e - i;
    }
    /* 15时08分(00秒), 15点08分 */
    if (k <= 2) {
        size_t p = skip_spaces(d, j);
        if (p < d->n && (d->cp[p] == 0x65F6 || d->cp[p] == 0x70B9)) {
            p = skip_spaces(d, p + 1);
            size_t m = digits_at(d, p);
            if (m >= 1 && m <= 2) {
                p = skip_spaces(d, p + m);
                if (p < d->n && d->cp[p] == 0x5206) { /* 分 */
                    size_t e = p + 1, q = digits_at(d, skip_spaces(d, e));
                    size_t r = skip_spaces(d, e) + q;
                    if (q >= 1 && q <= 2 && r < d->n && d->cp[r] == 0x79D2) /* 秒 */
                        e = r + 1;
                    return e - i;
                }
            }
        }
    }
    return 0;
}

static int is_timestamp(const cps *d)
{
    size_t han = 0, i = 0;
    int found = 0;
    while (i < d->n) {
        size_t k = stamp_at(d, i);
        if (k) {
            found = 1;
            i += k;
            continue;
        }
        if (ct_is_cjk(d->cp[i]))
            han++;
        if (is_end_punct(d->cp[i]))
            return 0;
        i++;
    }
    return found && han <= CT_CHROME_STAMP_HAN;
}

/* ---- menus ---- */

static int is_menu_sep(int32_t c, int *explicit_sep)
{
    if (is_space_cp(c))
        return 1;
    switch (c) {
    case '|':
    case 0xFF5C: /* ｜ */
    case 0x00B7: /* · */
    case 0x2022: /* • */
    case '/':
    case '>':
    case 0x203A: /* › */
    case 0x00BB: /* » */
    case 0xFF1E: /* ＞ */
    case 0x4E28: /* 丨 */
    case 0x250A: /* ┊ */
        *explicit_sep = 1;
        return 1;
    default:
        return 0;
    }
}

static int is_menu(const cps *d)
{
    size_t items = 0, lettered = 0, len = 0;
    int explicit_sep = 0, letter = 0;
    for (size_t i = 0; i <= d->n; i++) {
        int32_t c = i < d->n ? d->cp[i] : ' ';
        if (is_punct(c))
            return 0;
        if (is_menu_sep(c, &explicit_sep)) {
            if (len) {
                items++;
                lettered += letter;
            }
            len = 0;
            letter = 0;
            continue;
        }
        if (++len > 8)
            return 0;
        enum ct_charclass k = ct_charclass_of(c);
        if (k == CT_CC_CJK || k == CT_CC_ALPHA)
            letter = 1;
        else if (k != CT_CC_DIGIT && k != CT_CC_MARK)
            return 0; /* menu items are words: no quotes, symbols or emoji */
    }
    return lettered >= 3 && (items >= 4 || (items >= 3 && explicit_sep));
}

/* ---- phrases ---- */

/* A phrase of the list in s; "=P" entries match the whole line, after a list bullet. */
static int has_phrase(const ct_chrome *c, const char *s, size_t n)
{
    const char *w = s;
    size_t wn = n, i = 0;
    int32_t b = next_cp(s, n, &i);
    if (is_bullet(b) && i < n && s[i] == ' ') {
        w = s + i;
        wn = n - i;
        trim(&w, &wn);
    }
    for (size_t k = 0; k < c->n_phrases; k++) {
        const char *p = c->phrases[k];
        if (p[0] == '=') {
            if (strlen(p + 1) == wn && memcmp(w, p + 1, wn) == 0)
                return 1;
        } else if (memmem(s, n, p, strlen(p))) {
            return 1;
        }
    }
    return 0;
}

/* Every single-line rule on a trimmed, non-empty line; *prose and *heading say why a line
 * is kept. */
static ct_chrome_rule line_rule(const ct_chrome *c, const char *s, size_t n, int *prose,
                                int *heading)
{
    *prose = *heading = 0;
    if (names_file(s, n) || is_bare_url(s, n))
        return CT_CHROME_FILE;
    if ((*heading = is_heading(s, n)) || (*prose = is_prose(s, n)))
        return CT_CHROME_KEEP;
    cps d;
    if (decode(s, n, &d)) {
        if (is_counter(&d, s))
            return CT_CHROME_COUNTER;
        if (is_timestamp(&d))
            return CT_CHROME_TIMESTAMP;
        if (is_menu(&d))
            return CT_CHROME_MENU;
    }
    if (!has_cp(s, n, is_end_punct) && has_phrase(c, s, n))
        return CT_CHROME_PHRASE;
    return CT_CHROME_KEEP;
}

ct_chrome_rule ct_chrome_line_rule(const ct_chrome *c, const char *line, size_t n)
{
    trim(&line, &n);
    if (!n)
        return CT_CHROME_KEEP;
    int prose, heading;
    return line_rule(c, line, n, &prose, &heading);
}

int ct_chrome_line_is_chrome(const ct_chrome *c, const char *line, size_t n)
{
    return ct_chrome_line_rule(c, line, n) != CT_CHROME_KEEP;
}

/* ---- the lines of a document ---- */

typedef struct line_rec {
    size_t start, n; /* the line, without its '\n' */
    const char *t;   /* trimmed */
    size_t tn;
    size_t number; /* 1-based */
    ct_chrome_rule rule;
    int prose, heading;
} line_rec;

/* The non-blank lines of text, trimmed (*out: ct_malloc'd). */
static int split_lines(const char *text, size_t len, line_rec **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    size_t cap = 0, n = 0, pos = 0, k, number = 0;
    line_rec *v = NULL;
    const char *line;
    while ((line = ct_line_next(text, len, &pos, &k))) {
        number++;
        const char *t = line;
        size_t tn = k;
        trim(&t, &tn);
        if (!tn)
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            line_rec *w = ct_reallocarray(v, nc, sizeof *w);
            if (!w) {
                ct_free(v);
                return CT_ENOMEM;
            }
            v = w;
            cap = nc;
        }
        v[n++] =
            (line_rec){.start = (size_t)(line - text), .n = k, .t = t, .tn = tn, .number = number};
    }
    *out = v;
    *n_out = n;
    return CT_OK;
}

static int count_line(ct_chrome *c, const char *t, size_t n, size_t doc)
{
    if (n > BOILERPLATE_MAX_BYTES)
        return CT_OK;
    uint32_t id;
    int rc = ct_termtab_intern(c->lines, t, n, &id, NULL);
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
    return CT_OK;
}

int ct_chrome_observe(ct_chrome *c, const char *text, size_t len)
{
    size_t doc = ++c->docs_seen;
    line_rec *v;
    size_t n;
    int rc = split_lines(text, len, &v, &n);
    for (size_t i = 0; rc == CT_OK && i < n; i++)
        if (i < CT_CHROME_EDGE_LINES || i + CT_CHROME_EDGE_LINES >= n)
            rc = count_line(c, v[i].t, v[i].tn, doc);
    ct_free(v);
    return rc;
}

void ct_chrome_finish(ct_chrome *c, size_t n_docs)
{
    c->threshold = n_docs >= 3 ? (n_docs + 1) / 2 : 0;
    if (c->threshold && c->threshold < WEAK_DOCS)
        c->threshold = WEAK_DOCS;
}

int ct_chrome_export(const ct_chrome *c, char **buf, size_t *len)
{
    size_t n = ct_termtab_size(c->lines), total = 0;
    for (uint32_t id = 0; id < n; id++) {
        size_t k;
        ct_termtab_key(c->lines, id, &k);
        total += 8 + k;
    }
    char *b = ct_malloc(total ? total : 1), *p = b;
    if (!b)
        return CT_ENOMEM;
    for (uint32_t id = 0; id < n; id++) {
        size_t k;
        const char *key = ct_termtab_key(c->lines, id, &k);
        uint32_t k32 = (uint32_t)k, count = c->doc_count[id];
        memcpy(p, &k32, 4);
        memcpy(p + 4, key, k);
        memcpy(p + 4 + k, &count, 4);
        p += 8 + k;
    }
    *buf = b;
    *len = total;
    return CT_OK;
}

int ct_chrome_import(ct_chrome *c, const char *buf, size_t len)
{
    size_t pos = 0;
    while (pos + 8 <= len) {
        uint32_t k, count;
        memcpy(&k, buf + pos, 4);
        if (pos + 8 + k > len)
            return CT_EINVAL;
        /* count_line adds one for a document not seen before: a fresh "document" each
         * record, then the rest of the count */
        size_t doc = ++c->docs_seen;
        int rc = count_line(c, buf + pos + 4, k, doc);
        if (rc != CT_OK)
            return rc;
        memcpy(&count, buf + pos + 4 + k, 4);
        uint32_t id;
        if (count > 1 && ct_termtab_find(c->lines, buf + pos + 4, k, &id) == CT_OK)
            c->doc_count[id] += count - 1;
        pos += 8 + k;
    }
    return pos == len ? CT_OK : CT_EINVAL;
}

/* Documents an edge line occurs in (0 when not counted). */
static uint32_t docs_of(const ct_chrome *c, const char *t, size_t n)
{
    uint32_t id;
    if (!c->threshold || n > BOILERPLATE_MAX_BYTES || ct_termtab_find(c->lines, t, n, &id) != CT_OK)
        return 0;
    return c->doc_count[id];
}

/* The footer rule: a block at the end (prose allowed) or, without sentence punctuation and
 * of two lines at least, at the start. */
static void mark_footers(const ct_chrome *c, line_rec *v, size_t n)
{
    if (!c->threshold)
        return;
    size_t edge = n < CT_CHROME_EDGE_LINES ? n : CT_CHROME_EDGE_LINES;
    /* the end */
    size_t len = 0;
    int strong = 0;
    while (len < edge) {
        const line_rec *r = &v[n - 1 - len];
        uint32_t k = r->heading ? 0 : docs_of(c, r->t, r->tn);
        if (k < WEAK_DOCS)
            break;
        strong |= k >= c->threshold;
        len++;
    }
    if (strong && (len >= 2 || !has_cp(v[n - 1].t, v[n - 1].tn, is_punct)))
        for (size_t i = n - len; i < n; i++)
            if (v[i].rule == CT_CHROME_KEEP)
                v[i].rule = CT_CHROME_FOOTER;
    /* the start */
    len = 0;
    strong = 0;
    while (len < edge && len < n - 0) {
        const line_rec *r = &v[len];
        if (r->heading || r->rule == CT_CHROME_FOOTER || has_cp(r->t, r->tn, is_punct))
            break;
        uint32_t k = docs_of(c, r->t, r->tn);
        if (k < WEAK_DOCS)
            break;
        strong |= k >= c->threshold;
        len++;
    }
    if (strong && len >= 2)
        for (size_t i = 0; i < len; i++)
            if (v[i].rule == CT_CHROME_KEEP)
                v[i].rule = CT_CHROME_FOOTER;
}

static int is_wordish(int32_t c)
{
    enum ct_charclass k = ct_charclass_of(c);
    return k == CT_CC_CJK || k == CT_CC_ALPHA || k == CT_CC_DIGIT;
}

static int same(const line_rec *a, const line_rec *b)
{
    return a->tn == b->tn && memcmp(a->t, b->t, a->tn) == 0;
}

/* A repeated line may be a title: no sentence punctuation (各位代表！ may come back), not
 * prose or a heading, and letters (a line of a zero-width space is no title). */
static int title_like(const line_rec *r)
{
    return r->rule == CT_CHROME_KEEP && !r->prose && !r->heading &&
           !has_cp(r->t, r->tn, is_punct) && has_cp(r->t, r->tn, is_wordish);
}

typedef struct head_rec {
    const char *t;
    size_t tn, i;
    int by_mark; /* next to a margin mark */
} head_rec;

static int by_text(const void *x, const void *y)
{
    const head_rec *a = x, *b = y;
    size_t n = a->tn < b->tn ? a->tn : b->tn;
    int c = memcmp(a->t, b->t, n);
    if (c)
        return c;
    if (a->tn != b->tn)
        return a->tn < b->tn ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The end of the run of records from a on with a's text (h sorted by_text). */
static size_t same_text_end(const head_rec *h, size_t m, size_t a)
{
    size_t b = a + 1;
    while (b < m && h[b].tn == h[a].tn && memcmp(h[b].t, h[a].t, h[a].tn) == 0)
        b++;
    return b;
}

/* A time of day in the line: digits, a colon (ASCII or full-width), digits. */
static int has_time_of_day(const char *s, size_t n)
{
    for (size_t i = 1; i + 1 < n; i++) {
        size_t colon = s[i] == ':'                                             ? 1
                       : (i + 3 <= n && memcmp(s + i, "\xEF\xBC\x9A", 3) == 0) ? 3
                                                                               : 0;
        if (colon && isdigit((unsigned char)s[i - 1]) && i + colon < n &&
            isdigit((unsigned char)s[i + colon]))
            return 1;
    }
    return 0;
}

/* The marks a printer puts in a page's margins (marks[i] for line i): a page counter, an
 * address, and a date the document repeats as a print stamp — the same date and time on two
 * pages or more, or the same date on three or more. A date that comes once (a chronicle's
 * entries, a notice's signature) is the text's own. */
static int margin_marks(const line_rec *v, size_t n, unsigned char *marks, head_rec *h)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        marks[i] = v[i].rule == CT_CHROME_COUNTER || v[i].rule == CT_CHROME_FILE;
        if (v[i].rule == CT_CHROME_TIMESTAMP)
            h[m++] = (head_rec){v[i].t, v[i].tn, i, 0};
    }
    qsort(h, m, sizeof *h, by_text);
    for (size_t a = 0, b; a < m; a = b) {
        b = same_text_end(h, m, a);
        if (b - a >= 3 || (b - a >= 2 && has_time_of_day(h[a].t, h[a].tn)))
            for (size_t k = a; k < b; k++)
                marks[h[k].i] = 1;
    }
    return CT_OK;
}

/* Running heads: a title-like line found next to a margin mark twice or more in the
 * document — the title a printer puts on every page beside the date (Chromium) or after the
 * page number (Word). Those copies go; the first copy of the line stays when it is among
 * the first CT_CHROME_HEAD_LINES lines, as the document's title (a second copy there is a
 * repeat of the rule below). */
static int mark_running_heads(line_rec *v, size_t n)
{
    head_rec *h = ct_malloc((n ? n : 1) * sizeof *h);
    unsigned char *marks = ct_malloc(n ? n : 1);
    if (!h || !marks) {
        ct_free(h);
        ct_free(marks);
        return CT_ENOMEM;
    }
    margin_marks(v, n, marks, h);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (title_like(&v[i]))
            h[m++] = (head_rec){v[i].t, v[i].tn, i,
                                (i > 0 && marks[i - 1]) || (i + 1 < n && marks[i + 1])};
    qsort(h, m, sizeof *h, by_text);
    for (size_t a = 0, b; a < m; a = b) {
        b = same_text_end(h, m, a);
        size_t marked = 0;
        for (size_t k = a; k < b; k++)
            marked += (size_t)h[k].by_mark;
        for (size_t k = a; marked >= 2 && k < b; k++)
            if (h[k].by_mark && !(k == a && h[k].i < CT_CHROME_HEAD_LINES))
                v[h[k].i].rule = CT_CHROME_REPEAT;
    }
    ct_free(marks);
    ct_free(h);
    return CT_OK;
}

int ct_chrome_find(const ct_chrome *c, const char *text, size_t len, ct_chrome_hit **hits,
                   size_t *n_hits)
{
    *hits = NULL;
    *n_hits = 0;
    line_rec *v;
    size_t n;
    int rc = split_lines(text, len, &v, &n);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        v[i].rule = line_rule(c, v[i].t, v[i].tn, &v[i].prose, &v[i].heading);
    mark_footers(c, v, n);
    if ((rc = mark_running_heads(v, n)) != CT_OK) {
        ct_free(v);
        return rc;
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        line_rec *r = &v[i];
        if (title_like(r)) {
            int rep = i > 0 && same(r, &v[i - 1]);
            for (size_t j = 0; !rep && i < CT_CHROME_HEAD_LINES && j < i; j++)
                rep = same(r, &v[j]);
            if (rep)
                r->rule = CT_CHROME_REPEAT;
        }
        count += r->rule != CT_CHROME_KEEP;
    }
    if (count) {
        ct_chrome_hit *h = ct_malloc(count * sizeof *h);
        if (!h) {
            ct_free(v);
            return CT_ENOMEM;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].rule != CT_CHROME_KEEP)
                h[k++] = (ct_chrome_hit){.line = v[i].number,
                                         .offset = v[i].start,
                                         .length = v[i].n,
                                         .chars = count_cps(text + v[i].start, v[i].n),
                                         .rule = v[i].rule};
        *hits = h;
        *n_hits = count;
    }
    ct_free(v);
    return CT_OK;
}

void ct_chrome_blank(char *text, size_t len, const ct_chrome_hit *hits, size_t n_hits)
{
    for (size_t h = 0; h < n_hits; h++) {
        size_t a = hits[h].offset, b = a + hits[h].length;
        if (a > len || b > len)
            continue;
        size_t i = a;
        while (i < b) {
            size_t from = i;
            next_cp(text, b, &i);
            switch (i - from) {
            case 2:
                memcpy(text + from, "\xC2\xA0", 2); /* U+00A0 */
                break;
            case 3:
                memcpy(text + from, "\xE3\x80\x80", 3); /* U+3000 */
                break;
            case 4:
                memcpy(text + from, "\xF3\xA0\x80\xA0", 4); /* U+E0020 */
                break;
            default:
                memset(text + from, ' ', i - from);
            }
        }
    }
}

int ct_chrome_strip(const ct_chrome *c, char *text, size_t len, size_t *blanked, size_t *chars)
{
    ct_chrome_hit *hits;
    size_t n;
    int rc = ct_chrome_find(c, text, len, &hits, &n);
    if (rc != CT_OK)
        return rc;
    ct_chrome_blank(text, len, hits, n);
    if (blanked)
        *blanked = n;
    if (chars) {
        *chars = 0;
        for (size_t i = 0; i < n; i++)
            *chars += hits[i].chars;
    }
    ct_free(hits);
    return CT_OK;
}
