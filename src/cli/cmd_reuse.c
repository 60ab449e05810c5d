/* cmd_reuse.c — `comptext reuse CORPUS...`: the passages that documents share (text reuse),
 * one aligned passage pair a line as JSON Lines (default) or TSV; with --group-by FIELD the
 * group-by-group matrix of passages and characters instead. Fewer than two documents, or no
 * shared passage, print nothing and say why on stderr (exit 0). Under mpirun each rank reads
 * its share and the ranks find the passages together (cli_dist_reuse); rank 0 writes them. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_dist.h"

enum {
    OPT_SHINGLE = 1000,
    OPT_MAX_DF,
    OPT_MIN_SHINGLES,
    OPT_MIN_LENGTH,
    OPT_MIN_IDENTITY,
    OPT_BOILERPLATE,
    OPT_DIRECTION,
};

typedef struct state {
    const cli_opts *o;
    ct_reuse_options ro;
    const char *direction;
    const ct_corpus *corpus;
    const ct_reuse *reuse;
    const ct_reuse_cell *cells;
    size_t n_cells;
    int jsonl;
    const char *format;
} state;

static int handle(void *st, int val, const char *arg)
{
    state *s = st;
    long v;
    int rc;
    switch (val) {
    case OPT_SHINGLE:
        rc = cli_parse_long(s->o, "--shingle", arg, 4, 64, &v);
        s->ro.shingle = (size_t)v;
        return rc;
    case OPT_MAX_DF:
        if (strchr(arg, '.') || strchr(arg, 'e') || strchr(arg, 'E')) {
            s->ro.max_df = 0;
            return cli_parse_double(s->o, "--max-df", arg, 1e-9, 1.0, &s->ro.max_df_prop);
        }
        rc = cli_parse_long(s->o, "--max-df", arg, 2, 1000000000L, &v);
        s->ro.max_df = (size_t)v;
        s->ro.max_df_prop = 0;
        return rc;
    case OPT_MIN_SHINGLES:
        rc = cli_parse_long(s->o, "--min-shingles", arg, 1, 1000000, &v);
        s->ro.min_shingles = (size_t)v;
        return rc;
    case OPT_MIN_LENGTH:
        rc = cli_parse_long(s->o, "--min-length", arg, 1, 100000000L, &v);
        s->ro.min_length = (size_t)v;
        return rc;
    case OPT_MIN_IDENTITY:
        return cli_parse_double(s->o, "--min-identity", arg, 0.0, 1.0, &s->ro.min_identity);
    case OPT_BOILERPLATE:
        rc = cli_parse_long(s->o, "--boilerplate", arg, 2, 1000000000L, &v);
        s->ro.boilerplate_docs = (size_t)v;
        return rc;
    case OPT_DIRECTION:
        s->direction = arg;
        return 0;
    }
    return cli_usage_error(s->o, "unknown option");
}

static int write_result(void *ctx, FILE *f)
{
    state *s = ctx;
    if (s->cells || s->o->group_by)
        return s->jsonl ? ct_reuse_write_groups_jsonl(s->cells, s->n_cells, f)
                        : ct_reuse_write_groups_table(s->cells, s->n_cells, s->format, f);
    return s->jsonl ? ct_reuse_write_jsonl(s->reuse, s->corpus, f)
                    : ct_reuse_write_table(s->reuse, s->corpus, s->format, f);
}

/* A metadata field named by an option, or a message (exit 1) naming the fields there are. */
static int field_of(const cli_opts *o, const ct_corpus *corpus, const char *option,
                    const char *name, long *out)
{
    *out = ct_corpus_field_index(corpus, name);
    /* under mpirun: any rank's documents may have it, and the message lists every rank's */
    if (cli_dist_agree_status(*out >= 0))
        return CLI_OK;
    char **names;
    size_t n = cli_dist_field_names(corpus, &names);
    if (cli_dist_rank() == 0) {
        fprintf(stderr,
                "comptext %s: %s: no document has the metadata field \"%s\" (the fields are:",
                o->command, option, name);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s %s", i ? "," : "", names[i]);
        fprintf(stderr, "%s)\n", n ? "" : " none");
    }
    for (size_t i = 0; i < n; i++)
        ct_free(names[i]);
    ct_free(names);
    return CLI_FAIL;
}

int cmd_reuse(int argc, char **argv)
{
    static const struct option own[] = {
        {"shingle", required_argument, 0, OPT_SHINGLE},
        {"max-df", required_argument, 0, OPT_MAX_DF},
        {"min-shingles", required_argument, 0, OPT_MIN_SHINGLES},
        {"min-length", required_argument, 0, OPT_MIN_LENGTH},
        {"min-identity", required_argument, 0, OPT_MIN_IDENTITY},
        {"boilerplate", required_argument, 0, OPT_BOILERPLATE},
        {"direction", required_argument, 0, OPT_DIRECTION},
        {0, 0, 0, 0},
    };
    cli_opts o;
    state s = {.o = &o};
    ct_reuse_options_init(&s.ro);
    cli_spec spec = {
        .name = "reuse",
        .synopsis = "[OPTIONS] CORPUS...",
        .summary =
            "Passages that documents share (text reuse), one aligned pair a line: ids, begin "
            "and end in\ncharacters of each original text (end exclusive), length, identity, "
            "score, cluster, and\nboth passages' text. Punctuation and white space are not "
            "compared.",
        .own_help =
            "      --shingle K          characters in a candidate shingle (default 10)\n"
            "      --max-df X           a shingle in more documents is boilerplate and not "
            "evidence\n"
            "                           (count, or a proportion with a point; default 100)\n"
            "      --min-shingles N     shared shingles a candidate region needs (default 3)\n"
            "      --min-length N       aligned characters a passage needs (default 20)\n"
            "      --min-identity X     share of aligned characters that match (default 0.8)\n"
            "      --boilerplate N      a passage cluster spanning N documents or more is "
            "boilerplate:\n"
            "                           only its spanning tree is reported; so is a passage\n"
            "                           with fewer than --min-length characters, in both\n"
            "                           documents, outside text found in N documents or more\n"
            "                           (default 5)\n"
            "      --direction FIELD    orient each pair from the earlier to the later "
            "document\n"
            "                           by this metadata field (numbers compare as numbers)\n"
            "      --group-by FIELD     print the group-by-group matrix instead (TSV by default): "
            "group_a,\n"
            "                           group_b, passages, characters (boilerplate left out)\n",
        .groups = CLI_CORPUS | CLI_TOKENS | CLI_GROUP | CLI_FORMAT | CLI_OUTPUT,
        .formats = "jsonl|tsv|csv",
        .not_accepted = CLI_TEXT_ONLY, /* reuse compares the normalised text (--shingle) */
        CLI_OWN(own, handle, &s),
    };
    int done, status = cli_parse(&spec, argc, argv, &o, &done);
    if (done)
        return status;
    if ((status = cli_dist_check(&o, NULL)) != CLI_OK) /* one CORPUS, no --group-by */
        return status;
    int dist = cli_dist_size() > 1;
    ct_corpus *corpus = NULL, *names = NULL;
    ct_reuse *reuse = NULL;
    ct_reuse_cell *cells = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = CT_OK;
    if ((status = cli_load_corpus(&o, &corpus)) != CLI_OK)
        goto cleanup;
    s.corpus = corpus;
    s.format = cli_format(&o, o.group_by ? "tsv" : "jsonl");
    s.jsonl = strcmp(s.format, "jsonl") == 0;
    s.ro.norm_flags = o.tok.flags & CT_NORM_ALL; /* NFKC, case and script folding */
    s.ro.threads = o.threads;
    long group_field = -1;
    if (s.direction && (status = field_of(&o, corpus, "--direction", s.direction,
                                          &s.ro.direction_field)) != CLI_OK)
        goto cleanup;
    if (o.group_by &&
        (status = field_of(&o, corpus, "--group-by", o.group_by, &group_field)) != CLI_OK)
        goto cleanup;
    size_t n_docs = ct_corpus_size(corpus);
    if (dist) {
        rc = cli_dist_reuse(&reuse, &names, &n_docs, corpus, &s.ro, s.direction != NULL, &err);
        s.corpus = names; /* rank 0: the ids of the passages' documents */
    } else
        rc = ct_reuse_find(corpus, &s.ro, &reuse, &err);
    if (rc == CT_OK && group_field >= 0)
        rc = ct_reuse_group(reuse, corpus, (size_t)group_field, &cells, &s.n_cells, &err);
    if (rc != CT_OK) {
        status = cli_fail(&o, rc, &err);
        goto cleanup;
    }
    cli_script_notes(&o, corpus);
    s.reuse = reuse;
    s.cells = cells;
    if (dist)
        rc = cli_dist_output(&o, cli_dist_rank() == 0 ? write_result : NULL, &s, 0, &err);
    else
        rc = cli_write_output(&o, write_result, &s, &err);
    status = rc == CT_OK ? CLI_OK : cli_fail(&o, rc, &err);
    if (cli_dist_rank() > 0)
        goto cleanup; /* rank 0 says what there is to say */
    if (status == CLI_OK && n_docs < 2)
        fprintf(stderr,
                "comptext reuse: note: the corpus has %s; shared passages need two or more "
                "documents, so there is nothing to report\n",
                n_docs == 1 ? "only one document" : "no documents");
    else if (status == CLI_OK && ct_reuse_count(reuse) == 0)
        fprintf(stderr,
                "comptext reuse: note: no shared passage of %zu characters or more at identity "
                "%g or more (%zu candidate regions aligned)\n",
                s.ro.min_length, s.ro.min_identity, ct_reuse_candidates(reuse));
cleanup:
    ct_free(cells);
    ct_reuse_free(reuse);
    ct_corpus_free(names);
    ct_corpus_free(corpus);
    return status;
}
