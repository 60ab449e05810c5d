/* cmd_tokens.c — `comptext tokens`: each document's tokens as JSON Lines,
 * {"id": ID, "tokens": [T, ...]}, in text order after normalisation, boundaries and
 * stopwords — exactly the tokens every count uses. */
#include <jansson.h>
#include <string.h>

#include "cli.h"
#include "tables.h"

typedef struct collect {
    json_t *array;
} collect;

static int add_token(void *ctx, const ct_token *t)
{
    collect *c = ctx;
    return json_array_append_new(c->array, json_stringn(t->text, t->len)) ? CT_ENOMEM : 0;
}

typedef struct job {
    const cli_opts *o;
    const ct_corpus *corpus;
    const ct_tokenizer *tok;
    ct_error *err;
} job;

/* One JSON line a document, in corpus order. */
static int write_tokens(void *ctx, FILE *f)
{
    const job *j = ctx;
    int rc = CT_OK;
    size_t n = ct_corpus_size(j->corpus);
    for (size_t d = 0; d < n; d++) {
        char *text;
        size_t len;
        rc = ct_corpus_read_text(j->corpus, d, &text, &len, j->err);
        if (rc != CT_OK)
            break;
        collect c = {json_array()};
        rc = c.array ? ct_tokenize(j->tok, text, len, add_token, &c) : CT_ENOMEM;
        ct_free(text);
        if (rc == CT_OK)
            rc = ct_write_tokens_line(f, ct_corpus_id(j->corpus, d), c.array);
        json_decref(c.array);
        cli_progress((void *)j->o, "tokenising", d + 1, n);
        if (rc != CT_OK)
            break;
    }
    return rc;
}

int cmd_tokens(int argc, char **argv)
{
    cli_spec spec = {
        .name = "tokens",
        .synopsis = "[OPTIONS] [CORPUS...]",
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
    ct_error err;
    ct_error_clear(&err);
    if ((status = cli_load_tokenized(&o, &corpus, &sw, &tok)) != CLI_OK)
        goto cleanup;
    job j = {&o, corpus, tok, &err};
    int rc = cli_write_output(&o, write_tokens, &j, &err);
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    ct_tokenizer_free(tok);
    ct_stopwords_free(sw);
    ct_corpus_free(corpus);
    return status;
}
