/* cli.h — what the subcommands share: option parsing, corpus and tokeniser set-up, output,
 * error reporting and progress (cli.c). Each subcommand is one file, cmd_<name>.c, that
 * declares its own options, parses with cli_parse, calls the library and writes the result. */
#ifndef CT_CLI_H
#define CT_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "comptext.h"
#include "output.h"

/* Exit statuses per the command-line contract. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Groups of common options; a command names the groups it accepts. */
enum {
    CLI_CORPUS = 1u << 0,  /* --encoding --text-field --id-field --keep-chrome --threads */
    CLI_TOKENS = 1u << 1,  /* -n --stopwords --no-nfkc --no-casefold --no-fold-script
                              --no-numbers --no-words */
    CLI_WEIGHTS = 1u << 2, /* --min-df --max-df --max-features --(no-)sublinear-tf
                              --no-smooth-idf --no-idf --norm */
    CLI_GROUP = 1u << 3,   /* --group-by */
    CLI_FORMAT = 1u << 4,  /* --format */
    CLI_OUTPUT = 1u << 5,  /* -o --output */
};

/* Sublinear TF is the default of every weighting command: chosen by measurement
 * (BENCHMARKS.md, "Choosing the weighting defaults"); --no-sublinear-tf gives scikit-learn's raw
 * counts. */
#define CLI_SUBLINEAR_TF_DEFAULT 1

/* A document-frequency bound: an integer count or a proportion (a number with a point). */
typedef struct cli_df {
    int set;
    int is_proportion;
    double value;
} cli_df;

typedef struct cli_opts {
    const char *command;
    /* corpus */
    char **corpus_paths;
    int n_corpus;
    ct_read_options read;
    int threads;
    int quiet;
    /* tokens */
    ct_tokenizer_options tok;
    const char *stopwords_path;    /* NULL: the shipped list; "none": no list */
    ct_stopwords *stopwords_given; /* a list the command made itself (tfidf --model), used
                                      instead of stopwords_path: cli_load_stopwords hands it
                                      over to its caller */
    int no_fold_script;            /* --no-fold-script given */
    /* weights */
    cli_df min_df, max_df;
    long max_features; /* 0: no limit */
    int sublinear_tf;  /* 1 + ln(tf): CLI_SUBLINEAR_TF_DEFAULT unless --(no-)sublinear-tf */
    int no_smooth_idf, no_idf;
    const char *norm; /* "l2" (default), "l1", "none" */
    const char *group_by;
    const char *format; /* NULL: the command's default */
    const char *output;
    int output_is_dir;     /* -o names a directory (compare): it must not contain an input */
    const char *dict_path; /* --dict, for the check that -o does not name an input */
} cli_opts;

/* A command's own options: getopt_long entries (val ≥ 1000 to stay clear of common ones),
 * and a handler returning 0, or CLI_USAGE after printing why. */
typedef struct cli_spec {
    const char *name;
    const char *synopsis;             /* e.g. "[OPTIONS] CORPUS..." */
    const char *summary;              /* one line */
    const char *own_help;             /* help lines for the command's own options, or NULL */
    unsigned groups;                  /* CLI_… */
    const char *formats;              /* accepted --format values, "|"-separated, or NULL */
    const char *not_accepted;         /* long names of common options of the accepted
                                         groups that this command refuses, ","-separated
                                         (left out of --help, a usage error when given) */
    const struct option *own_options; /* terminated by a zero entry; may be NULL */
    int (*handle)(void *state, int val, const char *arg);
    void *state;
} cli_spec;

/* cli_spec.not_accepted of the commands that compare the normalised text itself (kwic,
 * reuse): of the token options only --no-nfkc and --no-casefold apply. */
#define CLI_TEXT_ONLY "ngrams,stopwords,no-numbers,no-words"

/* The end of every command's cli_spec: its own options, their handler and its state. */
#define CLI_OWN(options, handler, st) .own_options = (options), .handle = (handler), .state = (st)

/* Parse argv (argv[0] is the command name). Returns 0, or CLI_USAGE / CLI_OK (after --help)
 * with *done set: the caller returns that status. */
int cli_parse(const cli_spec *spec, int argc, char **argv, cli_opts *opts, int *done);

/* Print a usage error for the command ("comptext CMD: message") and return CLI_USAGE. */
int cli_usage_error(const cli_opts *opts, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print an error record or a status ("comptext: file:line: message") and return CLI_FAIL. */
int cli_fail(const cli_opts *opts, int rc, const ct_error *err);

/* Name what the command does now ("counting the corpus"; with o, the CORPUS arguments are
 * added): a failure without a message of its own says "out of memory while ...". */
void cli_stage(const cli_opts *o, const char *what);
/* Write s with control characters (C0, DEL, C1) as \xNN: ids and file names on a terminal. */
void cli_print_escaped(FILE *f, const char *s);

/* Parse helpers for option values: return 0 or CLI_USAGE after printing which option and why. */
int cli_parse_long(const cli_opts *o, const char *option, const char *arg, long min, long max,
                   long *out);
int cli_parse_double(const cli_opts *o, const char *option, const char *arg, double min, double max,
                     double *out);

/* Load every CORPUS argument (or the default corpus) into a new corpus. */
int cli_load_corpus(cli_opts *opts, ct_corpus **corpus);
/* One note on stderr: how many lines and characters of page chrome were removed, in how
 * many documents, with the first few documents' numbers (nothing when none was removed). */
void cli_chrome_summary(const cli_opts *opts, const ct_corpus *corpus);
/** The notes on the documents in traditional or mixed script (after the counting pass: the
 * first ten in corpus order, then how many more), over all ranks under mpirun; also given by
 * cli_chrome_summary. */
void cli_script_notes(const cli_opts *opts, const ct_corpus *corpus);
/* Path of the shipped default corpus, or NULL. */
const char *cli_default_corpus(void);
/* The stopword list --stopwords asks for (the shipped one without it; NULL for "none").
 * Returns CLI_OK or the exit status after a message. */
int cli_load_stopwords(cli_opts *opts, ct_stopwords **stopwords);
/* Make the tokeniser (and its stopword list, which the caller frees after the tokeniser). */
int cli_make_tokenizer(cli_opts *opts, ct_stopwords **stopwords, ct_tokenizer **tok);
/* Both: the corpus, then the tokeniser. Returns CLI_OK or the exit status after a message
 * (whatever was made is the caller's to free). */
int cli_load_tokenized(cli_opts *opts, ct_corpus **corpus, ct_stopwords **stopwords,
                       ct_tokenizer **tok);
/* Count options with progress on stderr when it is a terminal and --quiet is not given. */
void cli_count_options(const cli_opts *opts, ct_count_options *count);
/* Progress on the status line (below): every 64th step and the last of a phase with a total
 * (the line is erased when done == total), a line as a phase without one (total 0) starts.
 * A ct_progress_fn; opts is the cli_opts. */
void cli_progress(void *opts, const char *phase, size_t done, size_t total);
/* The status line on stderr, only when it is a terminal and --quiet is not given: "comptext
 * COMMAND: what done/total unit" (or "what ..." when total is 0), rewritten in place. */
void cli_status(const cli_opts *opts, const char *what, size_t done, size_t total,
                const char *unit);
/* Erase the status line, if one is shown (before other output on stderr; at the end). */
void cli_status_clear(void);
/* The --format value, or def when not given. */
const char *cli_format(const cli_opts *opts, const char *def);
/* Write a result to -o (standard output without it) so that a failure leaves nothing
 * half-written: open it, call write(ctx, f), then commit when write returns CT_OK and abort
 * otherwise. Returns CT_OK or the first failing status (err filled where the cause is known:
 * opening, committing, or whatever write recorded there). */
int cli_write_output(const cli_opts *opts, int (*write)(void *ctx, FILE *f), void *ctx,
                     ct_error *err);

/* Subcommands. */
int cmd_tokens(int argc, char **argv);
int cmd_ngrams(int argc, char **argv);
int cmd_tf(int argc, char **argv);
int cmd_tfidf(int argc, char **argv);
int cmd_similarity(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_themes(int argc, char **argv);
int cmd_keyness(int argc, char **argv);
int cmd_kwic(int argc, char **argv);
int cmd_reuse(int argc, char **argv);
int cmd_chrome(int argc, char **argv);

#endif
