/* cmd_chrome.c — `comptext chrome CORPUS...`: the page chrome that every other command
 * removes from the texts (see comptext/chrome.h), one line a row: TSV with the header
 * id, line, text (line: the 1-based line number in the document as read; text: the line as
 * it stands there, tabs, newlines and backslashes escaped as in every TSV field), or with
 * --format csv. --rule adds the rule that removed each line as a fourth column. The command
 * exists so that what was removed can be checked: nothing else is done with the lines. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"

enum { OPT_RULE = 1000 };

typedef struct state {
    const cli_opts *o;
    const ct_corpus *corpus;
    int rule;
    ct_error *err;
} state;

static int handle(void *st, int val, const char *arg)
{
    (void)arg;
    state *s = st;
    if (val == OPT_RULE) {
        s->rule = 1;
        return 0;
    }
    return cli_usage_error(s->o, "unknown option");
}

static int write_lines(void *ctx, FILE *f)
{
    state *s = ctx;
    static const char *const columns[] = {"id", "line", "text", "rule"};
    ct_table *t;
    int rc = ct_table_new(&t, f,
                          strcmp(cli_format(s->o, "tsv"), "csv") == 0 ? CT_TABLE_CSV : CT_TABLE_TSV,
                          columns, s->rule ? 4 : 3);
    if (rc != CT_OK)
        return rc;
    for (size_t d = 0; rc == CT_OK && d < ct_corpus_size(s->corpus); d++) {
        char *text;
        size_t len, n;
        ct_chrome_hit *hits;
        if ((rc = ct_corpus_chrome_find(s->corpus, d, &text, &len, &hits, &n, s->err)) != CT_OK)
            break;
        for (size_t h = 0; h < n; h++) {
            ct_table_text(t, ct_corpus_id(s->corpus, d));
            ct_table_u64(t, hits[h].line);
            ct_table_textn(t, text + hits[h].offset, hits[h].length);
            if (s->rule)
                ct_table_text(t, ct_chrome_rule_name(hits[h].rule));
        }
        ct_free(hits);
        ct_free(text);
    }
    int done = ct_table_finish(t);
    return rc != CT_OK ? rc : done;
}

int cmd_chrome(int argc, char **argv)
{
    static const struct option own[] = {{"rule", no_argument, 0, OPT_RULE}, {0, 0, 0, 0}};
    cli_opts o;
    ct_error err;
    ct_error_clear(&err);
    state s = {.o = &o, .err = &err};
    cli_spec spec = {
        .name = "chrome",
        .synopsis = "[OPTIONS] [CORPUS...]",
        .summary = "The scraped page chrome that the other commands remove (counters, menus, "
                   "timestamps,\nfile lists, licence footers, ...): TSV id, line, text.",
        .own_help = "      --rule               add a column naming the rule that removed the "
                    "line\n"
                    "                           (file, footer, counter, timestamp, menu, "
                    "phrase, repeat)",
        .groups = CLI_CORPUS | CLI_FORMAT | CLI_OUTPUT,
        .formats = "tsv|csv",
        CLI_OWN(own, handle, &s),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    ct_corpus *corpus = NULL;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    s.corpus = corpus;
    int rc = cli_write_output(&o, write_lines, &s, &err);
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
cleanup:
    ct_corpus_free(corpus);
    return status;
}
