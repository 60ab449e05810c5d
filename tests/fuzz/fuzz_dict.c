/* fuzz_dict.c — libFuzzer target: the user dictionary reader of term discovery (--dict).
 *
 * The input is the dictionary file (a term a line, "-TERM" vetoes, '#' comments); term
 * discovery then runs over a small fixed corpus with it. The first input byte picks the
 * normalisation flags and the longest term length. A failure must come with a message
 * naming the line; a success must give a count matrix with one row a document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "comptext.h"
#include "fuzz_common.h"

static const char *const texts[] = {
    "社区建设取得成效，和谐社区建设稳步推进。城乡社区服务体系建设。",
    "五年计划顺利完成，社区服务体系不断健全，社区建设和谐发展。",
    "新质生产力加快发展，五年计划目标任务全面完成，城乡社区建设。",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char path[64];
    int fd = fuzz_memfd("dict.txt", data + 1, size - 1, path, sizeof path);
    ct_corpus *c = NULL;
    ct_error err;
    ct_error_clear(&err);
    if (ct_corpus_new(&c, NULL) != CT_OK)
        abort();
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char id[8] = {(char)('a' + i), 0};
        if (ct_corpus_add_text(c, id, NULL, texts[i], strlen(texts[i]), &err) != CT_OK)
            abort();
    }
    ct_terms_options o;
    ct_terms_options_init(&o);
    o.flags = data[0] & (CT_NORM_NFKC | CT_NORM_CASEFOLD);
    o.max_len = 2 + (data[0] >> 2) % (CT_TERMS_LEN_LIMIT - 1);
    o.min_count = 2;
    o.dict_path = path;
    o.threads = 1;
    ct_terms *terms = NULL;
    int rc = ct_terms_discover(&terms, c, &o, &err);
    if (rc != CT_OK) {
        if (terms || rc == CT_ENOMEM || !err.text[0])
            abort();
    } else {
        const ct_matrix *m = ct_terms_counts(terms);
        if (!m || ct_matrix_rows(m) != sizeof texts / sizeof texts[0])
            abort();
        ct_terms_free(terms);
    }
    ct_corpus_free(c);
    close(fd);
    return 0;
}
