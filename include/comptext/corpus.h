/* comptext/corpus.h — a corpus: the list of documents with their ids and metadata.
 *
 * A corpus knows where each document's text lives (a file, a line of a JSON Lines file, a
 * cell of a CSV/TSV table, or standard input held in memory) but does not keep the texts:
 * ct_corpus_read_text reads and decodes (or extracts, for DOCX and PDF) one document when it
 * is needed, so memory grows with the number of documents and the vocabulary, not with the
 * size of the text (ct_compare_run, which passes over the texts several times, holds them
 * for its run: comptext/compare.h). Sources follow the command-line contract: a directory of
 * *.txt, *.docx and *.pdf (byte order of relative path) with an optional manifest.tsv, a
 * .jsonl file, a .csv or .tsv table (a header row, one document a row), a single text, DOCX
 * or PDF file, or "-" for standard input. A file whose content does not match its name (a
 * ZIP or PDF named .txt, an .xlsx) is refused with CT_EINPUT. */
#ifndef COMPTEXT_CORPUS_H
#define COMPTEXT_CORPUS_H

#include "comptext/export.h"
#include "comptext/chrome.h"
#include "comptext/encoding.h"

#include <stddef.h>
#include "comptext/error.h"
#include "comptext/fold.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_corpus ct_corpus;

/** Reading flags. */
enum {
    /** Blank out scraped page chrome (see comptext/chrome.h) when texts are read; set by
     * ct_read_options_init (clear it to keep chrome, as --keep-chrome does). */
    CT_READ_STRIP_CHROME = 1u << 0,
    /** Follow symbolic links and manifest rows that lead out of a corpus folder (refused
     * without it). */
    CT_READ_FOLLOW_OUTSIDE = 1u << 1,
    /** Count each text's traditional and simplified characters as it is read
     * (ct_fold_count_script, comptext/fold.h): ct_corpus_script gives them (a note on the
     * documents in traditional or mixed script is the caller's to give). */
    CT_READ_NOTE_SCRIPT = 1u << 2,
};

/** Receives informational notes (such as "read as GB18030"); may be called from worker
 * threads, so it must be thread-safe. */
typedef void (*ct_note_fn)(void *ctx, const char *message);

typedef struct ct_read_options {
    ct_encoding encoding;
    const char *text_field; /**< JSON Lines field / table column of the text; NULL: "text" */
    const char *id_field;   /**< JSON Lines field / table column of the id; NULL: "id" */
    unsigned flags;         /**< CT_READ_… */
    ct_note_fn note;        /**< NULL: notes are dropped */
    void *note_ctx;
} ct_read_options;

/** Fill options with the defaults (auto encoding, fields "text" and "id", page chrome
 * removed: CT_READ_STRIP_CHROME). */
CT_API void ct_read_options_init(ct_read_options *opts);

/** Create an empty corpus that will read texts with the given options (copied). CT_EINVAL
 * when the text and id fields are the same field. */
CT_API int ct_corpus_new(ct_corpus **out, const ct_read_options *opts);
CT_API void ct_corpus_free(ct_corpus *corpus);

/** Add the documents of one source: a directory, a .jsonl file, a .csv/.tsv table, a text,
 * .docx or .pdf file, or "-". Ids and metadata are read now (for JSON Lines and tables this
 * parses every line); texts are read later. Fails with CT_EDUPLICATE naming both sources
 * when an id repeats, CT_EINPUT for a malformed manifest, JSON line or table row and for a
 * file whose content does not match its name, CT_EIO for unreadable paths. */
CT_API int ct_corpus_add(ct_corpus *corpus, const char *path, ct_error *err);

/** Add one document whose UTF-8 (or GB18030, per the options) text is given in memory;
 * the bytes are copied. source names it in messages. */
CT_API int ct_corpus_add_text(ct_corpus *corpus, const char *id, const char *source,
                              const char *bytes, size_t len, ct_error *err);

CT_API size_t ct_corpus_size(const ct_corpus *corpus);
/** The document's id (borrowed, valid while the corpus lives). */
CT_API const char *ct_corpus_id(const ct_corpus *corpus, size_t doc);
/** Where the document came from: "dir/a.txt", "x.jsonl:12" or "-" (borrowed). */
CT_API const char *ct_corpus_source(const ct_corpus *corpus, size_t doc);
/** The source relative to its corpus folder ("sub/a.txt"; the file's name for a file given
 * as CORPUS, "x.jsonl:3" for a JSON line): for outputs that must not reveal where the corpus
 * lies on disk (report.html). */
CT_API const char *ct_corpus_relative_source(const ct_corpus *corpus, size_t doc);
/** The file a document is read from (NULL for standard input and texts in memory). */
CT_API const char *ct_corpus_path(const ct_corpus *corpus, size_t doc);
/** Number of metadata fields over all documents, in order of first appearance. */
CT_API size_t ct_corpus_field_count(const ct_corpus *corpus);
CT_API const char *ct_corpus_field_name(const ct_corpus *corpus, size_t field);
/** Index of a metadata field by name, or -1. */
CT_API long ct_corpus_field_index(const ct_corpus *corpus, const char *name);
/** A document's value of a metadata field, or NULL when it has none (borrowed). */
CT_API const char *ct_corpus_meta(const ct_corpus *corpus, size_t doc, size_t field);
/** Each document's time from a metadata field: the number its value begins with (2016 of
 * "2016", "2016-03-05" or "2016年"), NAN where it has none or a blank one. *times (one a document)
 * is allocated with ct_malloc and owned by the caller. CT_ENOMEM; CT_EINPUT (err names the
 * document's source) for a value that is present but begins with no number ("abc") or
 * runs on into letters ("19x5"). */
CT_API int ct_corpus_field_times(const ct_corpus *corpus, size_t field, double **times,
                                 ct_error *err);

/** Read and decode document doc: UTF-8, NUL-terminated, byte-order mark dropped, CRLF and
 * lone CR read as LF, page chrome blanked when CT_READ_STRIP_CHROME is set. *text is
 * allocated with ct_malloc and owned by the caller. Thread-safe. */
CT_API int ct_corpus_read_text(const ct_corpus *corpus, size_t doc, char **text, size_t *len,
                               ct_error *err);

/** The page chrome removed from document doc when its text is read (see
 * comptext/chrome.h): *lines lines of *chars code points (their line breaks not counted; a
 * document's characters as counted are its code points less these). Both 0 when chrome is
 * kept. Reads the document when no read has recorded them yet. Thread-safe. */
CT_API int ct_corpus_chrome_removed(const ct_corpus *corpus, size_t doc, size_t *lines,
                                    size_t *chars, ct_error *err);

/** Document doc's text as read but with its chrome left in place (*text, *len: caller-owned,
 * ct_malloc), and its chrome lines (*hits: caller-owned, ct_malloc; NULL when none, and
 * always when chrome is kept), whose offsets index *text. Thread-safe. */
CT_API int ct_corpus_chrome_find(const ct_corpus *corpus, size_t doc, char **text, size_t *len,
                                 ct_chrome_hit **hits, size_t *n_hits, ct_error *err);
/** The script counts of document doc, once it has been read with CT_READ_NOTE_SCRIPT: 1 and
 * *out filled; else 0 and *out zeroed. Thread-safe. */
CT_API int ct_corpus_script(const ct_corpus *corpus, size_t doc, ct_script_counts *out);

/** Prepare chrome stripping that depends on the whole corpus (lines repeated across many
 * documents): reads every text once. Called automatically by the first read when
 * CT_READ_STRIP_CHROME is set and not yet prepared (adding a document makes it so again).
 * The model is kept apart from the handle's own fields, under a lock, so a const corpus may
 * be prepared and read from several threads; calling it first only moves the work. */
CT_API int ct_corpus_prepare(const ct_corpus *corpus, ct_error *err);

#ifdef __cplusplus
}
#endif
#endif
