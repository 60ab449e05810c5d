/* cmd_chrome.c — `comptext chrome CORPUS...`: the page chrome that every other command
 * removes from the texts (see comptext/chrome.h), one line a row: TSV with the header
 * id, line, text (line: the 1-based line number in the document as read; text: the line as
 * it stands there, tabs, newlines and backslashes escaped as in every TSV field), or with
 * --format csv. --rule adds the rule that removed each line as a fourth column. The command
 * exists so that what was removed can be checked: nothing else is done with the lines. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static void field(FILE *f, int csv, const char *s)
{
    if (csv)
        ct_write_csv_field(f, s);
    else
        ct_write_tsv_field(f, s);
}

static int write_lines(void *ctx, FILE *f)
{
    state *s = ctx;
    int csv = strcmp(cli_format(s->o, "tsv"), "csv") == 0;
    char sep = csv ? ',' : '\t';
    fprintf(f, "id%cline%ctext%s\n", sep, sep, s->rule ? (csv ? ",rule" : "\trule") : "");
    for (size_t d = 0; d < ct_corpus_size(s->corpus); d++) {
        char *text;
        size_t len, n;
        ct_chrome_hit *hits;
        int rc = ct_corpus_chrome_find(s->corpus, d, &text, &len, &hits, &n, s->err);
        if (rc != CT_OK)
            return rc;
        for (size_t h = 0; h < n; h++) {
            char *line = ct_strndup(text + hits[h].offset, hits[h].length);
            if (!line) {
                ct_free(hits);
                ct_free(text);
                return CT_ENOMEM;
            }
            field(f, csv, ct_corpus_id(s->corpus, d));
            fprintf(f, "%c%zu%c", sep, hits[h].line, sep);
            field(f, csv, line);
            if (s->rule)
                fprintf(f, "%c%s", sep, ct_chrome_rule_name(hits[h].rule));
            fputc('\n', f);
            ct_free(line);
        }
        ct_free(hits);
        ct_free(text);
    }
    return ferror(f) ? CT_EIO : CT_OK;
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
        .corpus_optional = 1,
        .own_options = own,
        .handle = handle,
        .state = &s,
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
