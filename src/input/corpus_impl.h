/* corpus_impl.h — the corpus's private structure and the calls its readers build it with.
 *
 * The dependency goes one way: corpus.c is the container (documents, ids, metadata, reading
 * a text back); the readers (corpus_dir.c, corpus_jsonl.c) fill it through ct_corpus_push
 * and ct_corpus_set_meta; corpus_add.c dispatches a path to its reader (corpus_readers.h).
 * A reader whose documents need a reader of their own to be read back sets ct_doc.read. */
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

typedef struct ct_doc ct_doc;

/** Reads a document's text back (decoded UTF-8, ct_malloc) for documents that the container
 * cannot read by itself (a JSON string within a line of a file). */
typedef int (*ct_doc_read_fn)(const ct_doc *doc, char **text, size_t *len, ct_error *err);

struct ct_doc {
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
    int utf8;      /* MEMORY: UTF-8 whatever the encoding option (a JSON string) */
    ct_encoding table_enc; /* TABLE_CELL: the table's encoding (UTF-8, GB18030 or Big5) */
    int quoted;            /* TABLE_CELL: a quoted cell, whose "" stand for " */
    ct_meta_value *meta;
    size_t n_meta;
    ct_doc_read_fn read; /* JSONL_LINE, TABLE_CELL, DOCX, PDF: reads the text back */
    int noted;           /* the "read as GB18030" (or Big5) note was given */
    /* page chrome blanked when the text was read: chrome_known is 1 once recorded */
    size_t chrome_lines, chrome_chars;
    int chrome_known;
    /* CT_READ_NOTE_SCRIPT: the counts, valid once script_known is 1 (set by the reader that
     * counted, after them) */
    size_t n_traditional, n_simplified;
    int script_known;
    /* passes over the document's bytes so far (atomic): 1 for the listing (which sniffed the
     * file, parsed its line or row, or took it into memory), and one a read_raw (corpus_hold.h) */
    unsigned reads;
};

/* Texts held in memory for several passes (corpus_hold.c): text[d] is document d as
 * ct_corpus_read_text gives it (chrome blanked when stripping), or NULL when it is not held
 * (beyond the budget, or added later); once packed, the texts lie in one block. */
typedef struct ct_held {
    size_t n;
    char **text;
    size_t *len;
    char *block; /* the packed texts, or NULL while each text[d] is its own allocation */
} ct_held;

/* What the corpus computes lazily from all of its texts: the chrome model. It is kept
 * outside the handle, behind a pointer, so that the first read of a const corpus — from any
 * thread — prepares it under the lock while the handle itself stays unchanged. */
typedef struct ct_corpus_lazy {
    pthread_mutex_t lock;
    ct_chrome *chrome; /* with CT_READ_STRIP_CHROME, after preparation */
    int prepared;      /* read and written atomically */
    ct_held *held;     /* texts held in memory (corpus_hold.c), or NULL (atomic pointer) */
    size_t hold_refs;  /* holders, under the lock */
} ct_corpus_lazy;

struct ct_corpus {
    ct_read_options opts;
    char *text_field, *id_field; /* owned copies of the option strings */
    ct_doc *docs;
    size_t n_docs, cap_docs;
    ct_termtab *ids;    /* id → doc index (ids are interned in doc order) */
    ct_termtab *fields; /* field name → field index */
    int *fds;           /* descriptors of the JSON Lines files, closed with the corpus */
    size_t n_fds;
    ct_corpus_lazy *lazy;
};

/** Whether s[0..n) is blank: nothing but ASCII white space, no-break spaces (U+00A0) and
 * ideographic spaces (U+3000) — an id that is blank is refused as an empty one. */
static inline int ct_blank_id(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r'))
            i++;
        else if (i + 1 < n && p[i] == 0xC2 && p[i + 1] == 0xA0)
            i += 2;
        else if (i + 2 < n && p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80)
            i += 3;
        else
            return 0;
    }
    return 1;
}

/** Append a document (taking ownership of the strings in *doc on success and on failure);
 * checks the id is unique, naming both sources in err when it is not. A new document makes
 * the chrome model stale: the next read prepares it again. */
int ct_corpus_push(ct_corpus *c, ct_doc *doc, ct_error *err);
/** Attach metadata field=value (copied) to the last pushed document. */
int ct_corpus_set_meta(ct_corpus *c, const char *field, const char *value, size_t value_len);
void ct_doc_clear(ct_doc *doc);
/** Read and decode one document from its source, without chrome stripping. */
int ct_corpus_read_raw(const ct_corpus *c, ct_doc *d, char **text, size_t *len, ct_error *err);
/** Learn the chrome model from every text, the lock held: held->text[d] when held (may be NULL),
 * else read from the source. */
int ct_corpus_prepare_locked(const ct_corpus *c, const ct_held *held, ct_error *err);
/** Free held texts (NULL: nothing). */
void ct_held_free(ct_held *h);

/** Counting's way to CT_READ_NOTE_SCRIPT (src/core/count.c): ct_corpus_read_text without
 * the script count, which the tokeniser makes on the way when it folds script (see
 * ct_tokenize_keys); *script is 1 when the counts are wanted (CT_READ_NOTE_SCRIPT, and not
 * yet recorded): the caller then passes them to ct_corpus_record_script, which records them
 * and gives the note as ct_corpus_read_text would have. */
int ct_corpus_read_text_unscripted(const ct_corpus *c, size_t doc, char **text, size_t *len,
                                   int *script, ct_error *err);
void ct_corpus_record_script(const ct_corpus *c, size_t doc, const ct_script_counts *sc);

#endif
