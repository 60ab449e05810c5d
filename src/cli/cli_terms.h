/* cli_terms.h — options and set-up shared by `terms`, `themes`, `keyness` and `compare`
 * (cli_terms.c): the term discovery options, --units terms|ngrams, counting in that unit,
 * merging rows by --group-by, and the themes writer of `themes` and `compare`. */
#ifndef CT_CLI_TERMS_H
#define CT_CLI_TERMS_H

#include "cli.h"

/* Option ids (≥ 1000, as cli_spec requires); commands use ids from CLI_OPT_OWN up. */
enum {
    CLI_OPT_UNITS = 1000,
    CLI_OPT_DICT,
    CLI_OPT_MAX_LEN,
    CLI_OPT_MIN_FREQ,
    CLI_OPT_MIN_COHESION,
    CLI_OPT_MIN_ENTROPY,
    CLI_OPT_ENTROPY_SHARE,
    CLI_OPT_SUBSUME,
    CLI_OPT_AFFIX_SHARE,
    CLI_OPT_MIN_SEGMENTS,
    CLI_OPT_PHRASE_PMI,
    CLI_OPT_GENERIC,
    CLI_OPT_OWN = 1100,
};

// clang-format off
#define CLI_TERMS_LONG_OPTIONS \
    {"units", required_argument, 0, CLI_OPT_UNITS}, \
    {"dict", required_argument, 0, CLI_OPT_DICT}, \
    {"max-len", required_argument, 0, CLI_OPT_MAX_LEN}, \
    {"min-freq", required_argument, 0, CLI_OPT_MIN_FREQ}, \
    {"min-cohesion", required_argument, 0, CLI_OPT_MIN_COHESION}, \
    {"min-entropy", required_argument, 0, CLI_OPT_MIN_ENTROPY}, \
    {"entropy-share", required_argument, 0, CLI_OPT_ENTROPY_SHARE}, \
    {"subsume", required_argument, 0, CLI_OPT_SUBSUME}, \
    {"affix-share", required_argument, 0, CLI_OPT_AFFIX_SHARE}, \
    {"min-segments", required_argument, 0, CLI_OPT_MIN_SEGMENTS}, \
    {"phrase-pmi", required_argument, 0, CLI_OPT_PHRASE_PMI}, \
    {"generic", required_argument, 0, CLI_OPT_GENERIC}

#define CLI_TERMS_HELP \
    "      --units terms|ngrams discovered terms (default) or the tokeniser's n-grams (-n)\n" \
    CLI_TERMS_DISCOVERY_HELP
/* The discovery options alone (comptext terms lists discovered terms only: no --units). */
#define CLI_TERMS_DISCOVERY_HELP \
    "      --dict FILE          user dictionary: a term a line adds it, -TERM vetoes it\n" \
    "      --generic FILE|none  generic words, never terms (default: the shipped list)\n" \
    "      --max-len N          longest discovered term, characters (default 12)\n" \
    "      --min-freq N         corpus frequency a term needs (default 3)\n" \
    "      --min-cohesion X     smallest split PMI, natural log (default 0)\n" \
    "      --min-entropy X      smallest left/right branching entropy, nats (default 0.75)\n" \
    "      --entropy-share X    ...or X*ln(frequency) when smaller (default 0.6)\n" \
    "      --affix-share X      function character: alone in >= X of its uses (default\n" \
    "                           0.15); char + term phrases are dropped\n" \
    "      --subsume X          drop a term inside a longer one occurring >= X times as\n" \
    "                           often (default 0.8)\n" \
    "      --min-segments N     drop a term forming fewer segments (default 3; 0: keep)\n" \
    "      --phrase-pmi X       drop a term made of two terms, the usual context of\n" \
    "                           neither, whose split PMI is below X (default 5)\n"
// clang-format on

typedef struct cli_terms {
    cli_opts *o;
    ct_terms_options topts;
    int ngrams;
    ct_stopwords *sw;
    ct_stopwords *generic;
    const char *generic_path; /* NULL: the shipped list; "none": no list */
    ct_tokenizer *tok;
    ct_terms *terms;
    ct_matrix *owned;
} cli_terms;

void cli_terms_init(cli_terms *t, cli_opts *o);
/* Handle a shared option: 0, CLI_USAGE after a message, or -1 when val is not one. */
int cli_terms_handle(cli_terms *t, int val, const char *arg);
/* After parsing: reject -n without --units ngrams. 0 or CLI_USAGE. */
int cli_terms_check(cli_terms *t, int argc, char **argv);
/* Load the generic words (--generic, or the shipped list) into t->topts. CLI_OK or a status. */
int cli_terms_load_generic(cli_terms *t);
/* Count the corpus in the chosen unit; *counts is borrowed from t. CLI_OK or a status. */
int cli_terms_count(cli_terms *t, const ct_corpus *corpus, const ct_matrix **counts);
void cli_terms_free(cli_terms *t);

/* Merge the rows of the documents sharing a value of --group-by (see cli_terms.c). */
int cli_group_rows(const cli_opts *o, const ct_corpus *corpus, const ct_matrix *in,
                   ct_matrix **out);

#endif
