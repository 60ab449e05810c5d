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
} ct_doc_kind;

typedef struct ct_meta_value {
    size_t field;
    char *value;
} ct_meta_value;

typedef struct ct_doc {
    char *id;
    char *source; /* for messages: path, or path:line */
    ct_doc_kind kind;
    char *path; /* FILE, JSONL_LINE */
    long long offset;
    size_t length; /* JSONL_LINE, MEMORY */
    long line;     /* JSONL_LINE */
    char *bytes;   /* MEMORY; JSONL_LINE from a pipe: the raw JSON string */
    int fd;        /* JSONL_LINE: an open descriptor of the file (owned by the corpus), or -1 */
    dev_t dev;     /* FILE: the file's device and inode when it was listed: a file replaced */
    ino_t ino;     /*       during the run is an error, not a mix of two versions */
    int utf8;      /* MEMORY: UTF-8 whatever the encoding option (a JSON string) */
    ct_meta_value *meta;
    size_t n_meta;
    int noted; /* the "read as GB18030" note was given */
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

#endif
