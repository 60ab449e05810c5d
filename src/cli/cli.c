/* cli.c — the parts every subcommand shares: the common options of the command-line
 * contract (parsed once here, accepted only by the commands whose groups include them),
 * help text, usage errors (exit 2), failures (exit 1), corpus and tokeniser set-up, and the
 * progress line on a terminal. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_dist.h"
#include "datadir.h"

enum {
    OPT_ENCODING = 900,
    OPT_TEXT_FIELD,
    OPT_ID_FIELD,
    OPT_STRIP_CHROME,
    OPT_KEEP_CHROME,
    OPT_FOLLOW_OUTSIDE,
    OPT_THREADS,
    OPT_QUIET,
    OPT_STOPWORDS,
    OPT_NO_NFKC,
    OPT_NO_CASEFOLD,
    OPT_NO_FOLD_SCRIPT,
    OPT_NO_NUMBERS,
    OPT_NO_WORDS,
    OPT_MIN_DF,
    OPT_MAX_DF,
    OPT_MAX_FEATURES,
    OPT_SUBLINEAR_TF,
    OPT_NO_SUBLINEAR_TF,
    OPT_NO_SMOOTH_IDF,
    OPT_NO_IDF,
    OPT_NORM,
    OPT_GROUP_BY,
    OPT_FORMAT,
};

typedef struct common_option {
    struct option opt;
    unsigned group; /* 0: always accepted */
    const char *help;
} common_option;

static const common_option common[] = {
    {{"encoding", required_argument, 0, OPT_ENCODING},
     CLI_CORPUS,
     "      --encoding ENC       auto (default), utf-8, gb18030 or big5"},
    {{"text-field", required_argument, 0, OPT_TEXT_FIELD},
     CLI_CORPUS,
     "      --text-field NAME    JSON Lines field or table column of the text (default: text)"},
    {{"id-field", required_argument, 0, OPT_ID_FIELD},
     CLI_CORPUS,
     "      --id-field NAME      JSON Lines field or table column of the id (default: id)"},
    {{"keep-chrome", no_argument, 0, OPT_KEEP_CHROME},
     CLI_CORPUS,
     "      --keep-chrome        keep scraped page chrome (counters, menus, footers, ...;\n"
     "                           removing it is the default: comptext chrome lists it)"},
    {{"strip-chrome", no_argument, 0, OPT_STRIP_CHROME}, CLI_CORPUS, NULL}, /* old no-op */
    {{"follow-outside", no_argument, 0, OPT_FOLLOW_OUTSIDE},
     CLI_CORPUS,
     "      --follow-outside     read links and manifest rows leading out of a corpus folder"},
    {{"threads", required_argument, 0, OPT_THREADS},
     CLI_CORPUS,
     "      --threads N          worker threads (default: $COMPTEXT_THREADS or all cores)"},
    {{"ngrams", required_argument, 0, 'n'},
     CLI_TOKENS,
     "  -n, --ngrams MIN-MAX     character n-gram lengths (default: 2-4); 2 means 2-2"},
    {{"stopwords", required_argument, 0, OPT_STOPWORDS},
     CLI_TOKENS,
     "      --stopwords FILE|none  stopword list (default: the shipped Chinese list)"},
    {{"no-nfkc", no_argument, 0, OPT_NO_NFKC},
     CLI_TOKENS,
     "      --no-nfkc            do not apply Unicode NFKC normalisation"},
    {{"no-casefold", no_argument, 0, OPT_NO_CASEFOLD},
     CLI_TOKENS,
     "      --no-casefold        do not fold case"},
    {{"no-fold-script", no_argument, 0, OPT_NO_FOLD_SCRIPT},
     CLI_TOKENS,
     "      --no-fold-script     keep traditional and simplified characters apart (folding\n"
     "                           traditional to simplified with OpenCC is the default)"},
    {{"no-numbers", no_argument, 0, OPT_NO_NUMBERS},
     CLI_TOKENS,
     "      --no-numbers         drop numbers: digits, and years, cardinals and\n"
     "                           percentages in Chinese numerals, with their units"},
    {{"no-words", no_argument, 0, OPT_NO_WORDS},
     CLI_TOKENS,
     "      --no-words           drop tokens of non-CJK letters (Latin words, ...)"},
    {{"min-df", required_argument, 0, OPT_MIN_DF},
     CLI_WEIGHTS,
     "      --min-df X           drop terms in fewer documents (integer: count; 0.x: share)"},
    {{"max-df", required_argument, 0, OPT_MAX_DF},
     CLI_WEIGHTS,
     "      --max-df X           drop terms in more documents (integer: count; 0.x: share)"},
    {{"max-features", required_argument, 0, OPT_MAX_FEATURES},
     CLI_WEIGHTS,
     "      --max-features N     keep the N terms most frequent in the corpus"},
    {{"sublinear-tf", no_argument, 0, OPT_SUBLINEAR_TF},
     CLI_WEIGHTS,
     "      --sublinear-tf       use 1 + ln(tf) (the default)"},
    {{"no-sublinear-tf", no_argument, 0, OPT_NO_SUBLINEAR_TF},
     CLI_WEIGHTS,
     "      --no-sublinear-tf    use the raw count (scikit-learn's default)"},
    {{"no-smooth-idf", no_argument, 0, OPT_NO_SMOOTH_IDF},
     CLI_WEIGHTS,
     "      --no-smooth-idf      idf = ln(n/df) + 1 instead of ln((1+n)/(1+df)) + 1"},
    {{"no-idf", no_argument, 0, OPT_NO_IDF},
     CLI_WEIGHTS,
     "      --no-idf             do not weight by idf"},
    {{"norm", required_argument, 0, OPT_NORM},
     CLI_WEIGHTS,
     "      --norm l2|l1|none    row normalisation (default: l2)"},
    {{"group-by", required_argument, 0, OPT_GROUP_BY},
     CLI_GROUP,
     "      --group-by FIELD     merge documents sharing a metadata value"},
    {{"format", required_argument, 0, OPT_FORMAT},
     CLI_FORMAT,
     "      --format FMT         output format"},
    {{"output", required_argument, 0, 'o'},
     CLI_OUTPUT,
     "  -o, --output PATH        output file (default: standard output)"},
    {{"quiet", no_argument, 0, OPT_QUIET}, 0, "      --quiet              no progress messages"},
    {{"help", no_argument, 0, 'h'}, 0, "  -h, --help               show this help"},
};
#define N_COMMON (sizeof common / sizeof common[0])

int cli_usage_error(const cli_opts *o, const char *fmt, ...)
{
    cli_status_clear();
    va_list ap;
    char buf[2200];
    if (cli_dist_rank() > 0)
        return CLI_USAGE; /* under mpirun: rank 0 says it, once */
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "comptext %s: ", o->command);
    cli_print_escaped(stderr, buf); /* it may quote a file name or an argument */
    fprintf(stderr, "\nTry 'comptext %s --help'.\n", o->command);
    return CLI_USAGE;
}

/* What the command is doing, for a failure without a message of its own ("out of memory"
 * alone helps nobody): set by the shared steps below and by cli_stage. */
static char stage[600];

void cli_stage(const cli_opts *o, const char *what)
{
    size_t n = (size_t)snprintf(stage, sizeof stage, "%s", what);
    for (int i = 0; o && i < o->n_corpus && n < sizeof stage; i++)
        n += (size_t)snprintf(stage + n, sizeof stage - n, "%s%s", i ? ", " : " ",
                              o->corpus_paths[i]);
    if (o && o->n_corpus == 0 && n < sizeof stage && strstr(what, "corpus"))
        snprintf(stage + n, sizeof stage - n, " (the default corpus)");
}

int cli_fail(const cli_opts *o, int rc, const ct_error *err)
{
    cli_status_clear();
    char buf[2200];
    if (cli_dist_rank() > 0)
        return CLI_FAIL; /* under mpirun every rank has the same error: rank 0 says it */
    /* A library's bare "out of memory" says less than the stage */
    int bare = err && !err->source[0] && strcmp(err->text, ct_strerror(rc)) == 0;
    if (err && err->text[0] && !(bare && stage[0]))
        ct_error_format(err, buf, sizeof buf);
    else if (stage[0])
        snprintf(buf, sizeof buf, "%s while %s", ct_strerror(rc), stage);
    else
        snprintf(buf, sizeof buf, "%s", ct_strerror(rc));
    cli_print_escaped(stderr, "comptext ");
    cli_print_escaped(stderr, o->command);
    cli_print_escaped(stderr, ": ");
    cli_print_escaped(stderr, buf);
    putc('\n', stderr);
    return CLI_FAIL;
}

void cli_print_escaped(FILE *f, const char *s)
{
    ct_write_escaped(f, s);
}

int cli_parse_long(const cli_opts *o, const char *option, const char *arg, long min, long max,
                   long *out)
{
    *out = 0;
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || errno)
        return cli_usage_error(o, "%s: \"%s\" is not an integer", option, arg);
    if (v < min || v > max)
        return cli_usage_error(o, "%s: %ld is out of range (%ld to %ld)", option, v, min, max);
    *out = v;
    return 0;
}

int cli_parse_double(const cli_opts *o, const char *option, const char *arg, double min, double max,
                     double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (!*arg || *end || errno || !isfinite(v))
        return cli_usage_error(o, "%s: \"%s\" is not a number", option, arg);
    if (v < min || v > max)
        return cli_usage_error(o, "%s: %s is out of range (%g to %g)", option, arg, min, max);
    *out = v;
    return 0;
}

static int parse_ngrams(cli_opts *o, const char *arg)
{
    char *end;
    errno = 0;
    long lo = strtol(arg, &end, 10), hi = lo;
    if (end != arg && *end == '-') {
        const char *rest = end + 1;
        hi = strtol(rest, &end, 10);
        if (end == rest)
            end = (char *)arg; /* force the error below */
    }
    if (end == arg || *end || errno)
        return cli_usage_error(o, "--ngrams: \"%s\" is not MIN-MAX (for example 1-3) or N", arg);
    if (lo < 1 || hi < lo || hi > CT_NGRAM_LIMIT)
        return cli_usage_error(o, "--ngrams: \"%s\": need 1 <= MIN <= MAX <= %d", arg,
                               CT_NGRAM_LIMIT);
    o->tok.ngram_min = (int)lo;
    o->tok.ngram_max = (int)hi;
    return 0;
}

static int parse_df(cli_opts *o, const char *option, const char *arg, cli_df *df)
{
    df->set = 1;
    if (strchr(arg, '.') || strchr(arg, 'e') || strchr(arg, 'E')) {
        df->is_proportion = 1;
        return cli_parse_double(o, option, arg, 0.0, 1.0, &df->value);
    }
    long v;
    int rc = cli_parse_long(o, option, arg, 0, LONG_MAX, &v);
    df->is_proportion = 0;
    df->value = (double)v;
    return rc;
}

/* Whether the command accepts common option i (its group, and not in not_accepted). */
static int accepts(const cli_spec *spec, size_t i)
{
    if (common[i].group && !(spec->groups & common[i].group))
        return 0;
    size_t n = strlen(common[i].opt.name);
    for (const char *p = spec->not_accepted; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        if (k == n && strncmp(p, common[i].opt.name, n) == 0)
            return 0;
        p = comma ? comma + 1 : p + k;
    }
    return 1;
}

static void print_help(const cli_spec *spec)
{
    printf("Usage: comptext %s %s\n%s\n\n", spec->name, spec->synopsis, spec->summary);
    if (spec->own_help)
        printf("Options of %s:\n%s\n", spec->name, spec->own_help);
    printf("Common options:\n");
    for (size_t i = 0; i < N_COMMON; i++) {
        if (!accepts(spec, i))
            continue;
        if (common[i].opt.val == OPT_FORMAT && spec->formats)
            printf("      --format FMT         output format: %s\n", spec->formats);
        else if (common[i].opt.val == 'o' && strcmp(spec->name, "compare") == 0)
            printf("  -o, --output DIR         output directory (required)\n");
        else if (common[i].help)
            printf("%s\n", common[i].help);
    }
    if (spec->groups & CLI_CORPUS)
        printf("\nCORPUS is a directory of .txt, .docx and .pdf files (optional manifest.tsv), a\n"
               ".jsonl file, a .csv or .tsv table (a header row; one document a row), a text,\n"
               ".docx or .pdf file, or - for standard input. Without CORPUS: the shipped\n"
               "default corpus (a note on stderr says so).\n");
}

static int format_allowed(const char *formats, const char *f)
{
    size_t n = strlen(f);
    for (const char *p = formats; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        if (k == n && strncmp(p, f, n) == 0)
            return 1;
        p = bar ? bar + 1 : p + k;
    }
    return 0;
}

static const char *option_name(const struct option *opts, int val)
{
    for (; opts && opts->name; opts++)
        if (opts->val == val)
            return opts->name;
    return "?";
}

int cli_parse(const cli_spec *spec, int argc, char **argv, cli_opts *o, int *done)
{
    memset(o, 0, sizeof *o);
    o->command = spec->name;
    ct_read_options_init(&o->read);
    ct_tokenizer_options_init(&o->tok);
    o->norm = "l2";
    o->sublinear_tf = CLI_SUBLINEAR_TF_DEFAULT;
    *done = 0;
    size_t n_own = 0;
    while (spec->own_options && spec->own_options[n_own].name)
        n_own++;
    struct option *all = calloc(N_COMMON + n_own + 1, sizeof *all);
    if (!all) {
        *done = 1;
        return CLI_FAIL;
    }
    /* A command's own option comes first, so that it can take the name of a common option
     * that the command does not accept otherwise (reuse's --max-df). */
    for (size_t i = 0; i < n_own; i++)
        all[i] = spec->own_options[i];
    for (size_t i = 0; i < N_COMMON; i++)
        all[n_own + i] = common[i].opt;
    int rc = 0, c;
    opterr = 0;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, ":n:o:hk:", all, NULL)) != -1) {
        int refused = 0;
        for (size_t i = 0; i < N_COMMON; i++)
            if (common[i].opt.val == c)
                refused = !accepts(spec, i);
        if (refused) {
            rc = cli_usage_error(o, "option --%s does not apply to this command",
                                 option_name(all, c));
            break;
        }
        switch (c) {
        case 'h':
            print_help(spec);
            free(all);
            *done = 1;
            return CLI_OK;
        case 'n':
            rc = parse_ngrams(o, optarg);
            break;
        case 'o':
            o->output = optarg;
            break;
        case OPT_ENCODING:
            if (strcmp(optarg, "auto") == 0)
                o->read.encoding = CT_ENCODING_AUTO;
            else if (strcmp(optarg, "utf-8") == 0 || strcmp(optarg, "utf8") == 0)
                o->read.encoding = CT_ENCODING_UTF8;
            else if (strcmp(optarg, "gb18030") == 0)
                o->read.encoding = CT_ENCODING_GB18030;
            else if (strcmp(optarg, "big5") == 0)
                o->read.encoding = CT_ENCODING_BIG5;
            else
                rc = cli_usage_error(o, "--encoding: \"%s\" is not auto, utf-8, gb18030 or big5",
                                     optarg);
            break;
        case OPT_TEXT_FIELD:
            o->read.text_field = optarg;
            if (!*optarg)
                rc = cli_usage_error(o, "--text-field: the field name is empty");
            break;
        case OPT_ID_FIELD:
            o->read.id_field = optarg;
            if (!*optarg)
                rc = cli_usage_error(o, "--id-field: the field name is empty");
            break;
        case OPT_STRIP_CHROME: /* the default now; accepted for old scripts */
            break;
        case OPT_KEEP_CHROME:
            o->read.flags &= ~(unsigned)CT_READ_STRIP_CHROME;
            break;
        case OPT_FOLLOW_OUTSIDE:
            o->read.flags |= CT_READ_FOLLOW_OUTSIDE;
            break;
        case OPT_THREADS: {
            long t = 0;
            rc = cli_parse_long(o, "--threads", optarg, 1, 64, &t);
            o->threads = (int)t;
            break;
        }
        case OPT_QUIET:
            o->quiet = 1;
            break;
        case OPT_STOPWORDS:
            o->stopwords_path = optarg;
            break;
        case OPT_NO_NFKC:
            o->tok.flags &= ~(unsigned)CT_TOK_NFKC;
            break;
        case OPT_NO_CASEFOLD:
            o->tok.flags &= ~(unsigned)CT_TOK_CASEFOLD;
            break;
        case OPT_NO_FOLD_SCRIPT:
            o->tok.flags &= ~(unsigned)CT_TOK_FOLD_SCRIPT;
            o->no_fold_script = 1;
            break;
        case OPT_NO_NUMBERS:
            o->tok.flags |= CT_TOK_NO_NUMBERS;
            break;
        case OPT_NO_WORDS:
            o->tok.flags |= CT_TOK_NO_WORDS;
            break;
        case OPT_MIN_DF:
            rc = parse_df(o, "--min-df", optarg, &o->min_df);
            break;
        case OPT_MAX_DF:
            rc = parse_df(o, "--max-df", optarg, &o->max_df);
            break;
        case OPT_MAX_FEATURES:
            rc = cli_parse_long(o, "--max-features", optarg, 1, LONG_MAX, &o->max_features);
            break;
        case OPT_SUBLINEAR_TF:
            o->sublinear_tf = 1;
            break;
        case OPT_NO_SUBLINEAR_TF:
            o->sublinear_tf = 0;
            break;
        case OPT_NO_SMOOTH_IDF:
            o->no_smooth_idf = 1;
            break;
        case OPT_NO_IDF:
            o->no_idf = 1;
            break;
        case OPT_NORM:
            if (strcmp(optarg, "l2") && strcmp(optarg, "l1") && strcmp(optarg, "none"))
                rc = cli_usage_error(o, "--norm: \"%s\" is not l2, l1 or none", optarg);
            o->norm = optarg;
            break;
        case OPT_GROUP_BY:
            o->group_by = optarg;
            break;
        case OPT_FORMAT:
            if (!format_allowed(spec->formats, optarg))
                rc = cli_usage_error(o, "--format: \"%s\" is not one of %s", optarg,
                                     spec->formats ? spec->formats : "(none)");
            o->format = optarg;
            break;
        case ':':
            rc = cli_usage_error(o, "option %s needs a value", argv[optind - 1]);
            break;
        case '?':
            if (optopt)
                rc = cli_usage_error(o, "unknown option -%c", optopt);
            else
                rc = cli_usage_error(o, "unknown option %s", argv[optind - 1]);
            break;
        default:
            if (spec->handle && c >= 1000)
                rc = spec->handle(spec->state, c, optarg);
            else if (spec->handle && c == 'k')
                rc = spec->handle(spec->state, c, optarg);
            else
                rc = cli_usage_error(o, "unknown option %s", argv[optind - 1]);
        }
    }
    free(all);
    if (rc == 0 && o->min_df.set && o->max_df.set && !o->min_df.is_proportion &&
        !o->max_df.is_proportion && o->max_df.value < o->min_df.value)
        rc = cli_usage_error(o, "--max-df (%g) is below --min-df (%g)", o->max_df.value,
                             o->min_df.value);
    if (rc == 0 && strcmp(o->read.text_field ? o->read.text_field : "text",
                          o->read.id_field ? o->read.id_field : "id") == 0)
        rc = cli_usage_error(o, "--id-field and --text-field name the same field \"%s\"",
                             o->read.id_field ? o->read.id_field : "id");
    if (rc != 0) {
        *done = 1;
        return rc;
    }
    /* $COMPTEXT_THREADS is an option given another way: a bad value is a usage error too. */
    const char *env_threads = getenv("COMPTEXT_THREADS");
    if (rc == 0 && (spec->groups & CLI_CORPUS) && !o->threads && env_threads && *env_threads) {
        long t;
        char *end;
        errno = 0;
        t = strtol(env_threads, &end, 10);
        if (!*env_threads || *end || errno || t < 1 || t > 64)
            rc = cli_usage_error(o, "COMPTEXT_THREADS: \"%s\" is not a number of threads (1 to 64)",
                                 env_threads);
    }
    if (rc != 0) {
        *done = 1;
        return rc;
    }
    if ((spec->groups & CLI_TOKENS) && !o->no_fold_script && !ct_fold_available())
        fprintf(stderr,
                "comptext %s: note: built without OpenCC: traditional and simplified script "
                "are not folded (install libopencc-dev and rebuild; --no-fold-script silences "
                "this)\n",
                o->command);
    o->corpus_paths = argv + optind;
    o->n_corpus = argc - optind;
    return 0;
}

static void note_to_stderr(void *ctx, const char *msg);

/* One script note: the document, its counts. */
static void script_note(const cli_opts *o, const char *id, size_t trad, size_t simp)
{
    char msg[1200];
    snprintf(msg, sizeof msg,
             "%s: %s script (%zu traditional, %zu simplified-only characters); counted in "
             "simplified form",
             id, simp > 0 ? "mixes traditional and simplified" : "traditional", trad, simp);
    note_to_stderr((void *)o, msg);
}

void cli_script_notes(const cli_opts *o, const ct_corpus *corpus)
{
    /* One note a document for the first few, in corpus order; a corpus of thousands of such
     * documents gets one line more, not thousands (compare's report lists them all). */
    enum { SHOWN = 10 };
    if (!(o->read.flags & CT_READ_NOTE_SCRIPT))
        return;
    size_t docs = 0;
    if (cli_dist_size() > 1) {
        cli_dist_script_notes(corpus, SHOWN, &docs, script_note, o);
    } else {
        for (size_t d = 0, n = ct_corpus_size(corpus); d < n; d++) {
            ct_script_counts sc;
            if (!ct_corpus_script(corpus, d, &sc) || sc.traditional == 0)
                continue;
            if (docs++ < SHOWN)
                script_note(o, ct_corpus_id(corpus, d), sc.traditional, sc.simplified);
        }
    }
    if (docs > SHOWN) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%zu more documents are in traditional or mixed script, counted in simplified "
                 "form; they are not listed one by one",
                 docs - SHOWN);
        note_to_stderr((void *)o, msg);
    }
}

void cli_chrome_summary(const cli_opts *o, const ct_corpus *corpus)
{
    enum { SHOWN = 6 };
    cli_script_notes(o, corpus);
    if (cli_dist_size() > 1) { /* each rank holds a share: the counts of all of them */
        cli_dist_chrome_summary(o, corpus, SHOWN);
        return;
    }
    size_t n = ct_corpus_size(corpus), docs = 0, shown[SHOWN][3];
    unsigned long long lines = 0, chars = 0;
    for (size_t d = 0; d < n; d++) {
        size_t l, ch;
        ct_error err;
        if (ct_corpus_chrome_removed(corpus, d, &l, &ch, &err) != CT_OK || !l)
            continue;
        if (docs < SHOWN) {
            shown[docs][0] = d;
            shown[docs][1] = l;
            shown[docs][2] = ch;
        }
        docs++;
        lines += l;
        chars += ch;
    }
    if (!docs)
        return;
    fprintf(stderr,
            "comptext %s: note: page chrome removed from %zu of %zu document%s, %llu line%s, "
            "%llu characters (lines/characters: ",
            o->command, docs, n, n == 1 ? "" : "s", lines, lines == 1 ? "" : "s", chars);
    for (size_t i = 0; i < docs && i < SHOWN; i++)
        fprintf(stderr, "%s%s: %zu/%zu", i ? "; " : "", ct_corpus_id(corpus, shown[i][0]),
                shown[i][1], shown[i][2]);
    fprintf(stderr, "%s); 'comptext chrome' lists the lines, --keep-chrome keeps them\n",
            docs > SHOWN ? "; ..." : "");
}

const char *cli_default_corpus(void)
{
    return ct_data_path("cities");
}

/* Notes come from the reading threads: one note a line, whole (stderr locked for it). */
static void note_to_stderr(void *ctx, const char *msg)
{
    const cli_opts *o = ctx;
    flockfile(stderr);
    cli_status_clear();
    fprintf(stderr, "comptext %s: note: ", o->command);
    cli_print_escaped(stderr, msg);
    putc('\n', stderr);
    funlockfile(stderr);
}

/* 1 when path is output (the same file by device and inode, or the same path) or, for a
 * directory output (out_real set), lies inside it. */
static int overlaps(const char *path, const struct stat *out_st, const char *out_real,
                    const char *output)
{
    if (strcmp(path, output) == 0)
        return 1;
    struct stat st;
    if (stat(path, &st) == 0 && st.st_dev == out_st->st_dev && st.st_ino == out_st->st_ino)
        return 1;
    if (!out_real)
        return 0;
    char *real = realpath(path, NULL);
    size_t n = strlen(out_real);
    int inside = real && strncmp(real, out_real, n) == 0 && (real[n] == '/' || n == 1);
    free(real);
    return inside;
}

/* -o must not name an input: writing it would destroy what is being read (the corpus
 * files, a manifest, the stopword list, the dictionary, a corpus folder) — nor, for a
 * directory output, contain one. A usage error (exit 2). */
/* Whether -o names (or, for a directory, contains) an input: 1 and why in msg. */
static int output_overlap(cli_opts *o, const ct_corpus *c, char *msg, size_t size)
{
    if (!o->output || !*o->output || strcmp(o->output, "-") == 0)
        return 0;
    struct stat out_st;
    if (stat(o->output, &out_st) != 0)
        return 0; /* a new file or directory is no input */
    char *out_real = NULL;
    if (o->output_is_dir && S_ISDIR(out_st.st_mode))
        out_real = realpath(o->output, NULL);
    const char *hit = NULL;
    char manifest[PATH_MAX + 16];
    for (int i = 0; !hit && i < o->n_corpus; i++) {
        const char *p = o->corpus_paths[i];
        if (strcmp(p, "-") == 0)
            continue;
        if (overlaps(p, &out_st, out_real, o->output))
            hit = p;
        snprintf(manifest, sizeof manifest, "%s/manifest.tsv", p);
        if (!hit && access(manifest, F_OK) == 0 && overlaps(manifest, &out_st, out_real, o->output))
            hit = manifest;
    }
    for (size_t d = 0; !hit && c && d < ct_corpus_size(c); d++) {
        const char *p = ct_corpus_path(c, d);
        if (p && overlaps(p, &out_st, out_real, o->output))
            hit = p;
    }
    const char *others[] = {o->stopwords_path, o->dict_path};
    for (size_t i = 0; !hit && i < 2; i++)
        if (others[i] && strcmp(others[i], "none") != 0 &&
            overlaps(others[i], &out_st, out_real, o->output))
            hit = others[i];
    int contains = hit && out_real &&
                   !(stat(hit, &(struct stat){0}) == 0 && overlaps(hit, &out_st, NULL, o->output));
    free(out_real);
    if (!hit)
        return 0;
    snprintf(msg, size, "-o %s %s the input %s; choose another output", o->output,
             contains ? "contains" : "is", hit);
    return 1;
}

static int check_output(cli_opts *o, const ct_corpus *c)
{
    char msg[8704];
    int hit = output_overlap(o, c, msg, sizeof msg);
    if (cli_dist_on()) { /* the input may be in any rank's share: the first one says why */
        ct_error e;
        ct_error_clear(&e);
        if (hit) { /* the record holds 1023 bytes of it */
            size_t n = strlen(msg) < sizeof e.text - 1 ? strlen(msg) : sizeof e.text - 1;
            memcpy(e.text, msg, n);
            e.text[n] = '\0';
        }
        if (cli_dist_agree(hit ? CT_EINVAL : CT_OK, &e) == CT_OK)
            return CLI_OK;
        return cli_usage_error(o, "%s", e.text);
    }
    return hit ? cli_usage_error(o, "%s", msg) : CLI_OK;
}

int cli_load_corpus(cli_opts *o, ct_corpus **corpus)
{
    cli_stage(o, "reading the corpus");
    o->read.note = note_to_stderr;
    o->read.note_ctx = o;
    /* With script folding: a note for each document in traditional or mixed script (the
     * 1954 government work report is 29 % traditional characters), given as it is read. */
    ct_error err;
    ct_error_clear(&err);
    int rc;
    if (o->tok.flags & CT_TOK_FOLD_SCRIPT) {
        o->read.flags |= CT_READ_NOTE_SCRIPT;
        /* OpenCC's dictionaries, here on the main thread before any reading thread (fold.c
         * says why); out of memory, the stage says which corpus it was for. */
        cli_stage(o, "loading OpenCC's dictionaries to read the corpus");
        if ((rc = ct_fold_init(&err)) != CT_OK)
            return cli_fail(o, rc, rc == CT_ENOMEM ? NULL : &err);
        cli_stage(o, "reading the corpus");
    }
    rc = ct_corpus_new(corpus, &o->read);
    if (rc != CT_OK)
        return cli_fail(o, rc, NULL);
    if (cli_dist_size() > 1) { /* under mpirun: this rank's share (one CORPUS, cli_dist_check) */
        ct_corpus_free(*corpus);
        *corpus = NULL;
        const char *path = o->n_corpus ? o->corpus_paths[0] : cli_default_corpus();
        if (!path) {
            if (cli_dist_rank() == 0)
                fprintf(stderr, "comptext %s: the default corpus was not found; give a CORPUS\n",
                        o->command);
            return CLI_FAIL;
        }
        if (!o->n_corpus && !o->quiet && cli_dist_rank() == 0)
            fprintf(stderr,
                    "comptext %s: note: no CORPUS given: using the shipped default corpus %s\n",
                    o->command, path);
        rc = cli_dist_load(path, &o->read, corpus, &err);
        if (rc != CT_OK)
            return cli_fail(o, rc, &err);
        int status = check_output(o, *corpus); /* the same status on every rank */
        if (status != CLI_OK) {
            ct_corpus_free(*corpus);
            *corpus = NULL;
        }
        return status;
    }
    if (o->n_corpus == 0) {
        const char *def = cli_default_corpus();
        if (!def) {
            ct_corpus_free(*corpus);
            *corpus = NULL;
            fprintf(stderr, "comptext %s: the default corpus was not found; give a CORPUS\n",
                    o->command);
            return CLI_FAIL;
        }
        if (!o->quiet)
            fprintf(stderr,
                    "comptext %s: note: no CORPUS given: using the shipped default corpus %s\n",
                    o->command, def);
        rc = ct_corpus_add(*corpus, def, &err);
    }
    for (int i = 0; rc == CT_OK && i < o->n_corpus; i++)
        rc = ct_corpus_add(*corpus, o->corpus_paths[i], &err);
    if (rc != CT_OK) {
        ct_corpus_free(*corpus);
        *corpus = NULL;
        return cli_fail(o, rc, &err);
    }
    int status = check_output(o, *corpus);
    if (status != CLI_OK) {
        ct_corpus_free(*corpus);
        *corpus = NULL;
    }
    return status;
}

int cli_load_stopwords(cli_opts *o, ct_stopwords **stopwords)
{
    *stopwords = NULL;
    if (o->stopwords_given) {
        *stopwords = o->stopwords_given;
        o->stopwords_given = NULL;
        return CLI_OK;
    }
    ct_error err;
    ct_error_clear(&err);
    unsigned norm = o->tok.flags & CT_NORM_ALL;
    int rc = CT_OK;
    cli_stage(NULL, "reading the stopword list");
    if (!o->stopwords_path) {
        const char *def = ct_stopwords_default_path();
        if (!def) {
            fprintf(stderr,
                    "comptext %s: the shipped stopword list was not found; use "
                    "--stopwords FILE or --stopwords none\n",
                    o->command);
            return CLI_FAIL;
        }
        rc = ct_stopwords_load(stopwords, def, norm, &err);
    } else if (strcmp(o->stopwords_path, "none") != 0) {
        rc = ct_stopwords_load(stopwords, o->stopwords_path, norm, &err);
    }
    return rc == CT_OK ? CLI_OK : cli_fail(o, rc, &err);
}

int cli_make_tokenizer(cli_opts *o, ct_stopwords **stopwords, ct_tokenizer **tok)
{
    *tok = NULL;
    int status = cli_load_stopwords(o, stopwords);
    if (status != CLI_OK)
        return status;
    o->tok.stopwords = *stopwords;
    cli_stage(o, "processing the corpus");
    int rc = ct_tokenizer_new(tok, &o->tok);
    if (rc != CT_OK) {
        ct_stopwords_free(*stopwords);
        *stopwords = NULL;
        return cli_fail(o, rc, NULL);
    }
    return CLI_OK;
}

/* The status line: one line on stderr, rewritten in place ("\r", then erased to the end of
 * the line with ESC [K) and erased again before anything else is written to stderr and when
 * its phase is done, so a terminal keeps only the notes and results. Only on a terminal and
 * without --quiet: pipes, files and the captured stderr of tests never see it. */
static int status_shown;

void cli_status_clear(void)
{
    if (!status_shown)
        return;
    int saved = errno;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    status_shown = 0;
    errno = saved;
}

void cli_status(const cli_opts *o, const char *what, size_t done, size_t total, const char *unit)
{
    int saved = errno; /* isatty sets it: a write error's reason must survive progress */
    if (o && !o->quiet && isatty(STDERR_FILENO)) {
        fprintf(stderr, "\r\033[Kcomptext %s: %s", o->command, what);
        if (total)
            fprintf(stderr, " %zu/%zu%s%s", done, total, unit ? " " : "", unit ? unit : "");
        else
            fputs(" ...", stderr);
        fflush(stderr);
        status_shown = 1;
    }
    errno = saved;
}

void cli_progress(void *ctx, const char *phase, size_t done, size_t total)
{
    const cli_opts *o = ctx;
    if (total == 0 || done == total || done % 64 == 0)
        cli_status(o, phase, done, total, strcmp(phase, "counting") == 0 ? "documents" : NULL);
    if (total && done == total)
        cli_status_clear();
}

void cli_count_options(const cli_opts *o, ct_count_options *count)
{
    cli_stage(o, "counting the corpus");
    ct_count_options_init(count);
    count->threads = o->threads;
    count->progress = cli_progress;
    count->progress_ctx = (void *)o;
}

const char *cli_format(const cli_opts *o, const char *def)
{
    return o->format ? o->format : def;
}

int cli_write_output(const cli_opts *o, int (*write)(void *ctx, FILE *f), void *ctx, ct_error *err)
{
    ct_out *out = NULL;
    char what[300];
    snprintf(what, sizeof what, "writing %s",
             o->output && strcmp(o->output, "-") ? o->output : "standard output");
    cli_stage(NULL, what);
    int rc = ct_out_open(&out, o->output, err);
    if (rc != CT_OK)
        return rc;
    if ((rc = write(ctx, ct_out_file(out))) != CT_OK) {
        /* A writer that failed because the stream did: the system's reason, with the
         * output's name, not the writer's "input/output error" or "out of memory". */
        int saved = errno;
        if (ferror(ct_out_file(out)) && (!err || !err->text[0] || err->source[0] == '\0')) {
            ct_error_set(err, o->output && strcmp(o->output, "-") ? o->output : "standard output",
                         0, -1, "write failed: %s", strerror(saved ? saved : EIO));
            rc = CT_EIO;
        }
        ct_out_abort(out);
        return rc;
    }
    return ct_out_commit(out, err);
}

int cli_load_tokenized(cli_opts *o, ct_corpus **corpus, ct_stopwords **stopwords,
                       ct_tokenizer **tok)
{
    int status = cli_load_corpus(o, corpus);
    return status != CLI_OK ? status : cli_make_tokenizer(o, stopwords, tok);
}
