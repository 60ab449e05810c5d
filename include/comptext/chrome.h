/* comptext/chrome.h — finding and blanking scraped page chrome.
 *
 * Reports scraped from document-sharing and government sites carry page furniture: view
 * counters, "举报" links, "发布时间 … 来源 …" and font-size bars, site menus, timestamps,
 * lists of unrelated documents ("您可能关注的文档", titles ending in .docx VIP) and licence
 * footers repeated across the documents of one site. The rules are conservative: they look
 * for positive evidence of chrome, and two kinds of line are protected from every rule but
 * the file-name one (and prose from all but the footer one):
 *  - a numbered heading: 二、主要做法, （一）…, (1) …, 1. …, 1、…, 第三章 …, ①…;
 *  - prose: a line in which a sentence punctuation mark (。，、；：！？ , ; : ! ?) stands inside
 *    a run of Han characters (Han on both sides, digits and quotes allowed in between) of at
 *    least CT_CHROME_PROSE_HAN Han characters; a colon after fewer than 5 Han characters is
 *    a label's (上一篇：…, 来源：…) and does not count.
 * A line is chrome (the rule names are those of ct_chrome_rule_name) when it
 *  - file: names a file (ends in .doc(x) .ppt(x) .xls(x) .pdf .txt .wps, optionally "VIP"),
 *    or is one bare web address (file:///…, https://…, www.…: no spaces or Chinese
 *    punctuation), as the footer a browser prints on each page of a saved PDF;
 *  - footer: belongs to a block of lines at the end of the document (or, without any
 *    sentence punctuation, at its start) that are each repeated in at least 3 documents of
 *    the corpus, one of them in at least half of them; a block of one line must have no
 *    sentence punctuation (特此报告。 stays), a block at the start needs two lines (a salutation
 * such as 各位代表： is not a header). Only the CT_CHROME_EDGE_LINES non-blank lines at each end
 * are looked at;
 *  - counter: a bullet and a number (- 25), or a number with a counter's unit (约1.03万字,
 *    约 8页, 共8页, 1372次), or Page 1 of 8; a bare number is not (it is often a fragment of
 *    the text, such as the 2.5 of PM2.5 on a line of its own);
 *  - timestamp: holds a date (2009-12-25, 2009/12/25, 2009.12.25, 2009年12月25日) or a time
 *    (15:08, 15：08:00, 15时08分) and, besides them, at most CT_CHROME_STAMP_HAN Han characters
 *    and no sentence-ending punctuation;
 *  - menu: at least 4 short items (each at most 8 letters and digits, at least 3 of them
 *    with a letter) separated by spaces or menu separators (| ｜ · • / > › » 丨), or 3 with a
 *    separator other than a space, and no sentence punctuation at all;
 *  - phrase: contains a phrase of the chrome list (corpora/chrome-zh.txt: 举报, 发布时间,
 *    阅读次数, …) and no sentence-ending punctuation (。！？);
 *  - repeat: repeats the non-blank line before it, or, among the first CT_CHROME_HEAD_LINES
 *    non-blank lines, an earlier one (a page title printed twice); or is a running head: a
 *    line with no sentence punctuation found next to a margin mark twice or more in the
 *    document — a counter, an address, or a print stamp: a timestamp line repeated with
 *    the same date and time, or the same date three times (a date the text gives once or
 *    twice, as a chronicle's entries or a notice's signatures, is no mark) — the title a
 *    printer repeats on each page; a first copy among the first CT_CHROME_HEAD_LINES lines
 *    stays as the document's title.
 * Chrome lines are blanked: each of their code points becomes a blank of the same UTF-8
 * length (U+0020, U+00A0, U+3000, or U+E0020 for four bytes), so byte offsets and code-point
 * offsets into the text both stay those of the original. */
#ifndef COMPTEXT_CHROME_H
#define COMPTEXT_CHROME_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CT_CHROME_PROSE_HAN 8   /* Han characters of a run that makes a line prose */
#define CT_CHROME_STAMP_HAN 12  /* Han characters a timestamp line may hold besides it */
#define CT_CHROME_EDGE_LINES 40 /* non-blank lines at each end looked at for footers */
#define CT_CHROME_HEAD_LINES 16 /* non-blank lines at the start where repeats are titles */

/** Why a line is chrome. */
typedef enum ct_chrome_rule {
    CT_CHROME_KEEP = 0, /**< not chrome */
    CT_CHROME_FILE,
    CT_CHROME_FOOTER,
    CT_CHROME_COUNTER,
    CT_CHROME_TIMESTAMP,
    CT_CHROME_MENU,
    CT_CHROME_PHRASE,
    CT_CHROME_REPEAT,
} ct_chrome_rule;

/** "keep", "file", "footer", "counter", "timestamp", "menu", "phrase", "repeat". */
CT_API const char *ct_chrome_rule_name(ct_chrome_rule rule);

/** One chrome line of a text. */
typedef struct ct_chrome_hit {
    size_t line;   /**< 1-based line number */
    size_t offset; /**< byte offset of the line's first byte */
    size_t length; /**< bytes of the line, without its '\n' */
    size_t chars;  /**< code points of the line (its '\n' not counted) */
    ct_chrome_rule rule;
} ct_chrome_hit;

typedef struct ct_chrome ct_chrome;

/** Create a filter; phrases_path is the phrase list (NULL: the shipped one, or none when it
 * cannot be found). Returns CT_EIO when a given path cannot be read. */
CT_API int ct_chrome_new(ct_chrome **out, const char *phrases_path);
CT_API void ct_chrome_free(ct_chrome *chrome);

/** Record the edge lines of one document (for the footer rule). Not thread-safe. */
CT_API int ct_chrome_observe(ct_chrome *chrome, const char *text, size_t len);
/** Finish observing: n_docs documents were observed. */
CT_API void ct_chrome_finish(ct_chrome *chrome, size_t n_docs);

/** Find the chrome lines of text (not modified). *hits is allocated with ct_malloc and owned
 * by the caller (NULL when there are none), in line order. Thread-safe after
 * ct_chrome_finish. CT_ENOMEM. */
CT_API int ct_chrome_find(const ct_chrome *chrome, const char *text, size_t len,
                          ct_chrome_hit **hits, size_t *n_hits);

/** Blank the given lines of text in place (see the file comment). */
CT_API void ct_chrome_blank(char *text, size_t len, const ct_chrome_hit *hits, size_t n_hits);

/** Find and blank: *blanked (may be NULL) receives the number of lines blanked and *chars
 * (may be NULL) their code points. Thread-safe after ct_chrome_finish. CT_ENOMEM. */
CT_API int ct_chrome_strip(const ct_chrome *chrome, char *text, size_t len, size_t *blanked,
                           size_t *chars);

/** The rule that makes one line (without its newline) chrome on its own — every rule but
 * footer and repeat, which need the corpus and the document — or CT_CHROME_KEEP. */
CT_API ct_chrome_rule ct_chrome_line_rule(const ct_chrome *chrome, const char *line, size_t len);
/** 1 when ct_chrome_line_rule is not CT_CHROME_KEEP. */
CT_API int ct_chrome_line_is_chrome(const ct_chrome *chrome, const char *line, size_t len);
/** 1 when the line is protected: a numbered heading or prose (see the file comment). */
CT_API int ct_chrome_line_is_protected(const char *line, size_t len);

#ifdef __cplusplus
}
#endif
#endif
