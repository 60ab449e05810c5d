/* corpus_add.c — adding a path to a corpus: the reader for each kind of source.
 *
 * ct_corpus_add dispatches on the kind of source — "-" (standard input) and pipes or devices
 * (read here, once, into memory), a directory, a .jsonl file, any other file as one text —
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

/* Push bytes read now as one document with this id and source; takes buf and id (which may
 * be NULL: out of memory) on success and on failure. */
static int push_bytes(ct_corpus *c, char *id, const char *source, char *buf, size_t n,
                      ct_error *err)
{
    ct_doc d = {0};
    d.kind = CT_DOC_MEMORY;
    d.id = id;
    d.source = ct_strdup(source);
    d.bytes = buf;
    d.length = n;
    if (!d.id || !d.source) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    return ct_corpus_push(c, &d, err);
}

/* Read standard input into memory as one document. */
static int add_stdin(ct_corpus *c, ct_error *err)
{
    char *buf;
    size_t n;
    int rc = ct_read_fd(STDIN_FILENO, "-", &buf, &n, err);
    return rc == CT_OK ? push_bytes(c, ct_strdup("stdin"), "-", buf, n, err) : rc;
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
    return push_bytes(c, id, path, buf, n, err);
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
    if (has_suffix(path, ".jsonl"))
        return ct_corpus_add_jsonl(c, path, err);
    if (!S_ISREG(st.st_mode)) /* a pipe or a device: read once, now */
        return add_stream(c, path, err);
    return ct_corpus_add_file(c, path, NULL, err);
}
