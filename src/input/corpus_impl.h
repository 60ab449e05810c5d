/* corpus_impl.h — the corpus's private structure, shared by the corpus readers. */
#ifndef CT_CORPUS_IMPL_H
#define CT_CORPUS_IMPL_H

#include <pthread.h>
#include <sys/types.h>
#include "comptext/chrome.h"
#include "comptext/corpus.h"
#include "termtab.h"

typedef enum ct_doc_kind {
    CT_DOC_FILE,       /* a whole text file at path */
    CT_DOC_JSONL_LINE, /* the raw JSON string [offset, offset+length) of a JSON Lines file,
                        * read through the descriptor fd kept open since the file was read
                        * (so a file replaced during the run is still the file read); bytes
                        * holds the raw string instead when the file is not seekable (a pipe) */
    CT_DOC_MEMORY,     /* bytes held in memory (standard input, ct_corpus_add_text) */
    CT_DOC_TABLE_CELL, /* the raw text cell [offset, offset+length) of a CSV or TSV file */
    CT_DOC_DOCX,       /* a Word document at path */
    CT_DOC_PDF,        /* a PDF file at path */
} ct_doc_kind;

/* Kinds of corpus file, chosen by extension (corpus_kind.c). */
enum { CT_KIND_TEXT, CT_KIND_JSONL, CT_KIND_CSV, CT_KIND_TSV, CT_KIND_DOCX, CT_KIND_PDF };

typedef struct ct_meta_value {
    size_t field;
    char *value;
} ct_meta_value;

typedef struct ct_doc {
    char *id;
    char *source;   /* for messages: path, or path:line */
    size_t rel_off; /* source + rel_off: relative to the corpus folder (or the file's name) */
    ct_doc_kind kind;
    char *path; /* FILE, JSONL_LINE */
    long long offset;
    size_t length; /* JSONL_LINE, MEMORY, TABLE_CELL */
    long line;     /* JSONL_LINE, TABLE_CELL */
    char *bytes;   /* MEMORY; JSONL_LINE from a pipe: the raw JSON string */
    int fd;        /* JSONL_LINE: an open descriptor of the file (owned by the corpus), or -1 */
    dev_t dev;     /* FILE: the file's device and inode when it was listed: a file replaced */
    ino_t ino;     /*       during the run is an error, not a mix of two versions */
    int utf8;      /* MEMORY: UTF-8 whatever the encoding option (a JSON string);
                      TABLE_CELL: 1 the table is UTF-8, 0 GB18030 */
    int quoted;    /* TABLE_CELL: a quoted cell, whose "" stand for " */
    ct_meta_value *meta;
    size_t n_meta;
    int noted; /* the "read as GB18030" (or Big5) note was given */
    /* page chrome blanked when the text was read: chrome_known is 1 once recorded */
    size_t chrome_lines, chrome_chars;
    int chrome_known;
    /* CT_READ_NOTE_SCRIPT: the counts, valid once script_known is 1 (set by the reader that
     * counted, after them); script_noted: the note was given */
    size_t n_traditional, n_simplified;
    int script_known, script_noted;
} ct_doc;

struct ct_corpus {
    ct_read_options opts;
    char *text_field, *id_field; /* owned copies of the option strings */
    ct_doc *docs;
    size_t n_docs, cap_docs;
    ct_termtab *ids;    /* id → doc index (ids are interned in doc order) */
    ct_termtab *fields; /* field name → field index */
    pthread_mutex_t lock;
    ct_chrome *chrome; /* with CT_READ_STRIP_CHROME, after preparation */
    int *fds;          /* descriptors of the JSON Lines files, closed with the corpus */
    size_t n_fds;
    int prepared;
};

/** Append a document (taking ownership of the strings in *doc on success and on failure);
 * checks the id is unique, naming both sources in err when it is not. */
int ct_corpus_push(ct_corpus *c, ct_doc *doc, ct_error *err);
/** Attach metadata field=value (copied) to the last pushed document. */
int ct_corpus_set_meta(ct_corpus *c, const char *field, const char *value, size_t value_len);
void ct_doc_clear(ct_doc *doc);

/** Readers, one file each: corpus_dir.c and corpus_jsonl.c. */
int ct_corpus_add_dir(ct_corpus *c, const char *dir, ct_error *err);
int ct_corpus_add_file(ct_corpus *c, const char *path, const char *id, ct_error *err);
int ct_corpus_add_jsonl(ct_corpus *c, const char *path, ct_error *err);
/** A file that is not a regular file (a pipe, a device) as one document, read now, once. */
int ct_corpus_add_stream(ct_corpus *c, const char *path, ct_error *err);
int ct_jsonl_read_text(const ct_corpus *c, const ct_doc *doc, char **text, size_t *len,
                       ct_error *err);
/** Readers of corpus_table.c, corpus_docx.c and corpus_pdf.c. A CSV (sep ',') or TSV (sep
 * '\t') table: a header row, one document a row. */
int ct_corpus_add_table(ct_corpus *c, const char *path, char sep, ct_error *err);
int ct_table_read_text(const ct_corpus *c, const ct_doc *doc, char **text, size_t *len,
                       ct_error *err);
/** The text of a Word document or a PDF, in reading order (UTF-8, ct_malloc); CT_EINPUT
 * naming path for a damaged file, and when the reader was not built. */
int ct_docx_read_text(const char *path, char **text, size_t *len, ct_error *err);
int ct_pdf_read_text(const char *path, char **text, size_t *len, ct_error *err);

/** Kinds (corpus_kind.c): CT_KIND_… of a path by its extension; 1 when the reader for a
 * kind was built; a check that the file's first bytes agree with its kind (and that the
 * format is one comptext reads), with an error naming the file and what it looks like. */
int ct_kind_by_name(const char *path);
int ct_kind_built(int kind);
int ct_kind_check(const char *path, int kind, ct_error *err);
/** What binary content looks like ("a ZIP archive", "a PDF file", ...) or NULL. */
const char *ct_sniff_binary(const unsigned char *bytes, size_t n);

#endif
