/* corpus_add.c — adding a path to a corpus: the reader for each kind of source.
 *
 * ct_corpus_add dispatches on the kind of source — "-" (standard input) and pipes or devices
 * (read here, once, into memory), a directory, a .jsonl file, a .csv/.tsv table, any other
 * file (text, DOCX, PDF; corpus_kind.c checks that its content agrees with its name) —
 * to the readers declared in corpus_readers.h. It sits above the readers, which sit above
 * the container (corpus.c), so that the dependency goes one way; a new reader is one file
 * and one line here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_readers.h"
#include "encoding.h"

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Push bytes read now as one document with this id and source (the part from rel_off on
 * relative to the corpus: the file's name); takes buf and id (which may be NULL: out of
 * memory) on success and on failure. */
static int push_bytes(ct_corpus *c, char *id, const char *source, size_t rel_off, char *buf,
                      size_t n, ct_error *err)
{
    ct_doc d = {0};
    d.kind = CT_DOC_MEMORY;
    d.id = id;
    d.source = ct_strdup(source);
    d.rel_off = rel_off;
    d.bytes = buf;
    d.length = n;
    if (!d.id || !d.source) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    return ct_corpus_push(c, &d, err);
}

/* Read standard input into memory as one document; binary content is refused. */
static int add_stdin(ct_corpus *c, ct_error *err)
{
    char *buf;
    size_t n;
    int rc = ct_read_fd(STDIN_FILENO, "-", &buf, &n, err);
    if (rc != CT_OK)
        return rc;
    const char *what = ct_sniff_binary((const unsigned char *)buf, n < 8192 ? n : 8192);
    if (what) {
        ct_free(buf);
        ct_error_set(err, "-", 0, -1, "standard input is %s, not text", what);
        return CT_EINPUT;
    }
    return push_bytes(c, ct_strdup("stdin"), "-", 0, buf, n, err);
}

/* A file that is not a regular file (a pipe, a device) as one document, read now, once. */
static int add_stream(ct_corpus *c, const char *path, ct_error *err)
{
    char *buf;
    size_t n;
    int rc = ct_read_file(path, &buf, &n, err);
    if (rc != CT_OK)
        return rc;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bl = strlen(base);
    char *id = ct_strndup(base, has_suffix(base, ".txt") && bl > 4 ? bl - 4 : bl);
    return push_bytes(c, id, path, (size_t)(base - path), buf, n, err);
}

int ct_corpus_add(ct_corpus *c, const char *path, ct_error *err)
{
    ct_error_clear(err);
    if (strcmp(path, "-") == 0)
        return add_stdin(c, err);
    struct stat st;
    if (stat(path, &st) != 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    if (S_ISDIR(st.st_mode))
        return ct_corpus_add_dir(c, path, err);
    int kind = ct_kind_by_name(path), rc;
    if (!S_ISREG(st.st_mode)) { /* a pipe or a device: read once, now */
        if (kind == CT_KIND_JSONL)
            return ct_corpus_add_jsonl(c, path, 0, err);
        if (kind != CT_KIND_TEXT) {
            ct_error_set(err, path, 0, -1,
                         "not a regular file: a %s must be a file (save it first)",
                         kind == CT_KIND_CSV || kind == CT_KIND_TSV ? "table" : "DOCX or PDF");
            return CT_EINPUT;
        }
        return add_stream(c, path, err);
    }
    /* JSON Lines and tables are read whole now: their readers check the first bytes as
     * they read them (so that no text is read twice before compare reads it once more). */
    if ((rc = kind == CT_KIND_JSONL || kind == CT_KIND_CSV || kind == CT_KIND_TSV
                  ? ct_kind_check_name(path, kind, err)
                  : ct_kind_check(path, kind, err)) != CT_OK)
        return rc;
    switch (kind) {
    case CT_KIND_JSONL:
        return ct_corpus_add_jsonl(c, path, 1, err);
    case CT_KIND_CSV:
        return ct_corpus_add_table(c, path, ',', err);
    case CT_KIND_TSV:
        return ct_corpus_add_table(c, path, '\t', err);
    default:
        return ct_corpus_add_file(c, path, NULL, err);
    }
}
