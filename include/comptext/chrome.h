/* comptext/chrome.h — removal of scraped page chrome.
 *
 * Reports scraped from document-sharing and government sites carry page furniture: view
 * counters, "举报" links, "发布时间 … 来源 …" and font-size bars, and lists of unrelated
 * documents ("您可能关注的文档", titles ending in .docx VIP). A line is chrome when
 *  1. it occurs in at least half (and at least 3) of the corpus's documents (boilerplate);
 *  2. it repeats the line before it;
 *  3. it has no sentence punctuation (。，、；：！？ and their ASCII forms , ; : ! ?) and no
 *     run of more than CT_CHROME_MAX_SHORT_RUN Han characters (counters, list markers);
 *  4. it names a file: ends in .doc(x) .ppt(x) .xls(x) .pdf .txt .wps, optionally + "VIP";
 *  5. it has no sentence-ending punctuation and contains a phrase of the chrome list
 *     (corpora/chrome-zh.txt: 举报, 发布时间, 阅读次数, …).
 * Chrome lines are blanked (their bytes become spaces), so byte offsets stay valid. */
#ifndef COMPTEXT_CHROME_H
#define COMPTEXT_CHROME_H

#include "comptext/export.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CT_CHROME_MAX_SHORT_RUN 4

typedef struct ct_chrome ct_chrome;

/** Create a filter; phrases_path is the phrase list (NULL: the shipped one, or none when it
 * cannot be found). Returns CT_EIO when a given path cannot be read. */
CT_API int ct_chrome_new(ct_chrome **out, const char *phrases_path);
CT_API void ct_chrome_free(ct_chrome *chrome);

/** Record the lines of one document (for rule 1). Not thread-safe. */
CT_API int ct_chrome_observe(ct_chrome *chrome, const char *text, size_t len);
/** Finish observing: n_docs documents were observed. */
CT_API void ct_chrome_finish(ct_chrome *chrome, size_t n_docs);

/** Blank the chrome lines of text in place. Thread-safe after ct_chrome_finish. Returns the
 * number of lines blanked. */
CT_API size_t ct_chrome_strip(const ct_chrome *chrome, char *text, size_t len);

/** 1 when the line (without its newline) is chrome by rules 3–5 alone. */
CT_API int ct_chrome_line_is_chrome(const ct_chrome *chrome, const char *line, size_t len);

#ifdef __cplusplus
}
#endif
#endif
