/* cmd_tokens.c — `comptext tokens`: each document's tokens as JSON Lines,
 * {"id": ID, "tokens": [T, ...]}, in text order after normalisation, boundaries and
 * stopwords — exactly the tokens every count uses. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

typedef struct collect {
    json_t *array;
} collect;

static int add_token(void *ctx, const ct_token *t)
{
    collect *c = ctx;
    return json_array_append_new(c->array, json_stringn(t->text, t->len)) ? CT_ENOMEM : 0;
}

int cmd_tokens(int argc, char **argv)
{
    cli_spec spec = {
        .name = "tokens",
        .synopsis = "[OPTIONS] CORPUS...",
        .summary = "Print each document's tokens as JSON Lines: {\"id\": ID, \"tokens\": [...]}.",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_OUTPUT,
    };
    cli_opts o;
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    ct_corpus *corpus = NULL;
    ct_stopwords *sw = NULL;
    ct_tokenizer *tok = NULL;
    ct_out *out = NULL;
    ct_error err;
    ct_error_clear(&err);
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    if ((status = cli_make_tokenizer(&o, &sw, &tok)) != CLI_OK)
        goto cleanup;
    int rc = ct_out_open(&out, o.output, &err);
    if (rc != CT_OK) {
        status = cli_fail(&o, rc, &err);
        goto cleanup;
    }
    size_t n = ct_corpus_size(corpus);
    for (size_t d = 0; d < n; d++) {
        char *text;
        size_t len;
        rc = ct_corpus_read_text(corpus, d, &text, &len, &err);
        if (rc != CT_OK)
            break;
        collect c = {json_array()};
        rc = c.array ? ct_tokenize(tok, text, len, add_token, &c) : CT_ENOMEM;
        ct_free(text);
        json_t *line = rc == CT_OK ? json_object() : NULL;
        if (line) {
            json_object_set_new(line, "id", json_string(ct_corpus_id(corpus, d)));
            json_object_set(line, "tokens", c.array);
            if (json_dumpf(line, ct_out_file(out), 0) != 0)
                rc = CT_EIO;
            fputc('\n', ct_out_file(out));
        } else if (rc == CT_OK) {
            rc = CT_ENOMEM;
        }
        json_decref(line);
        json_decref(c.array);
        cli_progress(&o, "tokenising", d + 1, n);
        if (rc != CT_OK)
            break;
    }
    if (rc == CT_OK) {
        rc = ct_out_commit(out, &err);
        out = NULL;
    }
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_out_abort(out);
    ct_tokenizer_free(tok);
    ct_stopwords_free(sw);
    ct_corpus_free(corpus);
    return status;
}
