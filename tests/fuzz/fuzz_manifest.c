/* fuzz_manifest.c — libFuzzer target: the manifest.tsv reader of directory corpora.
 *
 * A private temporary directory holds three small text files (a.txt, b.txt, sub/c.txt) and
 * a notes.md; the input becomes its manifest.tsv and the directory is added as a corpus.
 * An input starting with '!' uses the rest as the manifest of a second directory that has
 * no .txt file the walk finds (only a hidden .h.txt and notes.md). Failures must carry a
 * message; on success every document must read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext.h"
#include "encoding.h"
#include "fuzz_common.h"

static char dir[256];
static char manifest[300];
static char dir_b[300];
static char manifest_b[340];

static void cleanup_dir(void)
{
    const char *names[] = {"manifest.tsv", "a.txt",          "b.txt",    "sub/c.txt",
                           "notes.md",     "b/manifest.tsv", "b/.h.txt", "b/notes.md"};
    char p[400];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/sub", dir);
    rmdir(p);
    rmdir(dir_b);
    rmdir(dir);
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ct-fuzz-manifest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        abort();
    char p[400];
    snprintf(p, sizeof p, "%s/sub", dir);
    if (mkdir(p, 0700) != 0)
        abort();
    static const struct {
        const char *name, *text;
    } files[] = {{"a.txt", "社区建设\n"},
                 {"b.txt", "和谐社区 2009\n"},
                 {"sub/c.txt", "城乡\n"},
                 {"notes.md", "备注\n"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i].name);
        fuzz_write_file(p, (const uint8_t *)files[i].text, strlen(files[i].text));
    }
    snprintf(manifest, sizeof manifest, "%s/manifest.tsv", dir);
    snprintf(dir_b, sizeof dir_b, "%s/b", dir);
    if (mkdir(dir_b, 0700) != 0)
        abort();
    snprintf(p, sizeof p, "%s/.h.txt", dir_b);
    fuzz_write_file(p, (const uint8_t *)"隐藏\n", strlen("隐藏\n"));
    snprintf(p, sizeof p, "%s/notes.md", dir_b);
    fuzz_write_file(p, (const uint8_t *)"备注\n", strlen("备注\n"));
    snprintf(manifest_b, sizeof manifest_b, "%s/manifest.tsv", dir_b);
    atexit(cleanup_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        setup();
    const char *corpus_dir = dir;
    if (size && data[0] == '!') {
        fuzz_write_file(manifest_b, data + 1, size - 1);
        corpus_dir = dir_b;
    } else {
        fuzz_write_file(manifest, data, size);
    }
    ct_corpus *c = NULL;
    if (ct_corpus_new(&c, NULL) != CT_OK)
        abort();
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_corpus_add(c, corpus_dir, &err);
    if (rc != CT_OK) {
        if (rc == CT_ENOMEM || !err.text[0])
            abort();
    } else {
        for (size_t d = 0; d < ct_corpus_size(c); d++) {
            char *text;
            size_t len;
            if (!ct_corpus_id(c, d))
                abort();
            for (size_t f = 0; f < ct_corpus_field_count(c); f++)
                (void)ct_corpus_meta(c, d, f);
            rc = ct_corpus_read_text(c, d, &text, &len, &err);
            if (rc == CT_OK)
                ct_free(text);
            else if (!err.text[0])
                abort(); /* a manifest may name files outside the set; they may fail, loudly */
        }
    }
    ct_corpus_free(c);
    return 0;
}
