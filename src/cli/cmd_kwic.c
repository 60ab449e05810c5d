/* cmd_kwic.c — `comptext kwic CORPUS --term T [--window N]`: every occurrence of T with N
 * characters of context on each side, a table id, offset, left, term, right (TSV or CSV; or
 * JSON Lines), OFFSET in characters of the original document text. A term that occurs
 * nowhere gives no rows, exit status 0 and a note on stderr. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "encoding.h"
#include "tables.h"
#include "table.h"

enum { OPT_TERM = 1000, OPT_WINDOW };

#define KWIC_WINDOW_DEFAULT 10

typedef struct state {
    const cli_opts *o;
    const char *term;
    long window;
    const ct_corpus *corpus;
    FILE *f;
    int jsonl;
    ct_table *tab; /* TSV or CSV */
    size_t hits;
    ct_error *err;
} state;

static int handle(void *st, int val, const char *arg)
{
    state *s = st;
    switch (val) {
    case OPT_TERM:
        s->term = arg;
        return 0;
    case OPT_WINDOW:
        return cli_parse_long(s->o, "--window", arg, 0, 100000, &s->window);
    }
    return cli_usage_error(s->o, "unknown option");
}

static int write_hit(void *ctx, const ct_kwic_hit *h)
{
    state *s = ctx;
    s->hits++;
    const char *id = ct_corpus_id(s->corpus, h->doc);
    return s->jsonl ? ct_write_kwic_json(s->f, id, h) : ct_write_kwic_row(s->tab, id, h);
}

/* Search the corpus, writing each hit to f as it is found. */
static int search(void *ctx, FILE *f)
{
    state *s = ctx;
    s->f = f;
    static const char *const cols[] = {"id", "offset", "left", "term", "right"};
    const char *format = cli_format(s->o, "tsv");
    int rc = CT_OK;
    if (!s->jsonl)
        rc = ct_table_new(&s->tab, f, strcmp(format, "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV,
                          cols, 5);
    if (rc == CT_OK)
        rc = ct_kwic_search(s->corpus, s->term, (size_t)s->window, s->o->tok.flags & CT_NORM_ALL,
                            write_hit, s, s->err);
    int done = ct_table_finish(s->tab);
    s->tab = NULL;
    if (rc == CT_OK)
        rc = done;
    if (rc == CT_OK && !s->hits) {
        fputs("comptext kwic: note: \"", stderr);
        cli_print_escaped(stderr, s->term);
        fputs("\" occurs nowhere in the corpus\n", stderr);
    }
    return rc;
}

int cmd_kwic(int argc, char **argv)
{
    static const struct option own[] = {
        {"term", required_argument, 0, OPT_TERM},
        {"window", required_argument, 0, OPT_WINDOW},
        {0, 0, 0, 0},
    };
    cli_opts o;
    state s = {.o = &o, .window = KWIC_WINDOW_DEFAULT};
    cli_spec spec = {
        .name = "kwic",
        .synopsis = "--term T [--window N] [OPTIONS] [CORPUS...]",
        .summary = "Every occurrence of a term in context:\n"
                   "a table id, offset, left, term, right, offset in characters of the "
                   "original text.",
        .own_help = "      --term T             the term to find (normalised like the text)\n"
                    "      --window N           characters of context each side (default 10)\n",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv|jsonl",
        .not_accepted = CLI_TEXT_ONLY, /* kwic searches the normalised text */
        CLI_OWN(own, handle, &s),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if (!s.term)
        return cli_usage_error(&o, "--term is required");
    size_t bad = ct_utf8_invalid_offset(s.term, strlen(s.term));
    if (bad != strlen(s.term))
        return cli_usage_error(&o, "--term: not valid UTF-8 (byte 0x%02X at offset %zu)",
                               (unsigned char)s.term[bad], bad);
    ct_corpus *corpus = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    s.corpus = corpus;
    s.jsonl = strcmp(cli_format(&o, "tsv"), "jsonl") == 0;
    s.err = &err;
    rc = cli_write_output(&o, search, &s, &err);
    if (rc == CT_EINVAL) {
        status = cli_usage_error(&o, "--term: \"%s\" is empty or white space after normalisation",
                                 s.term);
        goto cleanup;
    }
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (status == CLI_OK)
        cli_chrome_summary(&o, corpus);
cleanup:
    ct_corpus_free(corpus);
    return status;
}
