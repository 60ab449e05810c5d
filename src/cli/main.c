/* main.c — the comptext command: dispatch to a subcommand, --help, help COMMAND and
 * --version. */
#include <stdio.h>
#include <string.h>

#include "ct_config.h"
#include "cli.h"
#include "cli_dist.h"
#if CT_HAVE_MPI
#include "dist.h"
#endif

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"tokens", cmd_tokens, "print each document's tokens (JSON Lines)"},
    {"ngrams", cmd_ngrams, "count n-grams over the whole corpus"},
    {"tf", cmd_tf, "term frequencies of each document or group"},
    {"tfidf", cmd_tfidf, "TF-IDF weights (scikit-learn's TfidfVectorizer)"},
    {"similarity", cmd_similarity, "cosine or Jaccard similarity matrix, or top-K neighbours"},
    {"compare", cmd_compare, "similarity, themes, clusters, map and an HTML report in a directory"},
    {"terms", cmd_terms, "the terms discovered in the corpus, with their statistics"},
    {"themes", cmd_themes, "the key themes (whole terms) of each document or group"},
    {"keyness", cmd_keyness, "terms a target over- or under-uses, with p-values"},
    {"kwic", cmd_kwic, "every occurrence of a term in context"},
    {"reuse", cmd_reuse, "passages that documents share (text reuse), aligned"},
    {"chrome", cmd_chrome, "the scraped page chrome the other commands remove, line by line"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "Usage: comptext COMMAND [OPTIONS] [CORPUS...]\n"
               "Compare Chinese reports: character n-grams, TF-IDF, similarity, themes.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        f,
        "\n'comptext COMMAND --help' (or 'comptext help COMMAND') describes a command and its\n"
        "options; 'comptext --version' prints the version.\n\n"
        "CORPUS is a directory of .txt, .docx and .pdf files (optional manifest.tsv), a\n"
        ".jsonl file, a .csv or .tsv table (a header row; one document a row), a text,\n"
        ".docx or .pdf file, or - for standard input. Without CORPUS every command reads\n"
        "the shipped default corpus (a note on stderr says so).\n\n"
        "Exit status: 0 success; 1 bad input or failed processing (the message names the\n"
        "file and, where known, the line or byte offset); 2 usage error.\n\n"
        "Environment:\n"
        "  COMPTEXT_DATADIR   directory of the shipped data (stopwords-zh.txt, chrome-zh.txt,\n"
        "                     cities/), searched before the installed data directory\n"
        "  COMPTEXT_THREADS   worker threads when --threads is not given (default: all cores)\n");
}

/* Under mpirun: the commands that split the corpus across the ranks (the others refuse). */
static int distributed(const char *name)
{
    return strcmp(name, "ngrams") == 0 || strcmp(name, "tf") == 0 || strcmp(name, "tfidf") == 0 ||
           strcmp(name, "similarity") == 0 || strcmp(name, "reuse") == 0 ||
           strcmp(name, "terms") == 0 || strcmp(name, "themes") == 0;
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
#if CT_HAVE_MPI
    int mpi = ct_dist_start(&argc, &argv);
    if (mpi < 0)
        return CLI_FAIL;
    /* only rank 0 writes (help texts, results): the other ranks' standard output is closed */
    if (mpi && ct_dist_rank() > 0 && !freopen("/dev/null", "w", stdout))
        return CLI_FAIL;
    int status = run(argc, argv);
    if (mpi)
        status = ct_dist_max_status(status);
    ct_dist_stop();
    return status;
#else
    return run(argc, argv);
#endif
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    ct_tmp_cleanup_on_signals(); /* no temporary file is left behind by ^C */
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 && argc >= 3) {
        /* comptext help COMMAND: the same text as comptext COMMAND --help */
        for (size_t i = 0; i < N_COMMANDS; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *args[] = {argv[2], "--help", NULL};
                return commands[i].run(2, args);
            }
        fprintf(stderr, "comptext help: unknown command \"%s\"\n", argv[2]);
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("comptext %s\n", ct_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) {
            if (!distributed(name) && cli_dist_size() > 1)
                return cli_dist_refuse(name);
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "comptext: unknown command \"%s\"\n", name);
    usage(stderr);
    return CLI_USAGE;
}
