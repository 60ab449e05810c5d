/* main.c — the comptext command: dispatch to a subcommand, --help and --version. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "Usage: comptext COMMAND [OPTIONS] CORPUS...\n"
               "Compare Chinese reports: character n-grams, TF-IDF, similarity, themes.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'comptext COMMAND --help' describes a command and its options.\n"
               "'comptext --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    ct_tmp_cleanup_on_signals(); /* no temporary file is left behind by ^C */
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("comptext %s\n", ct_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "comptext: unknown command \"%s\"\n", name);
    usage(stderr);
    return CLI_USAGE;
}
