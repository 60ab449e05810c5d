/* corpus_add.c — adding a path to a corpus: the reader for each kind of source.
 *
 * ct_corpus_add dispatches on the kind of source — "-" (standard input, read here into
 * memory), a directory, a .jsonl file, any other file as one text — to the readers declared
 * in corpus_readers.h. It sits above the readers, which sit above the container (corpus.c),
 * so that the dependency goes one way; a new reader is one file and one line here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_readers.h"

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Read standard input into memory as one document. */
static int add_stdin(ct_corpus *c, ct_error *err)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = ct_malloc(cap);
    if (!buf)
        return CT_ENOMEM;
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += got;
        if (n == cap) {
            char *b = ct_realloc(buf, cap * 2);
            if (!b) {
                ct_free(buf);
                return CT_ENOMEM;
            }
            buf = b;
            cap *= 2;
        }
    }
    if (ferror(stdin)) {
        ct_free(buf);
        ct_error_set(err, "-", 0, (long long)n, "read error on standard input");
        return CT_EIO;
    }
    ct_doc d = {0};
    d.kind = CT_DOC_MEMORY;
    d.id = ct_strdup("stdin");
    d.source = ct_strdup("-");
    d.bytes = buf;
    d.length = n;
    if (!d.id || !d.source) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    return ct_corpus_push(c, &d, err);
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
    return ct_corpus_add_file(c, path, NULL, err);
}
