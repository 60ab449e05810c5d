/* terms_impl.h — the shared state of term discovery (private to analysis/).
 *
 * Term discovery (comptext/terms.h) is four files along the steps of one pass over the
 * corpus: suffix_array.c reads the corpus into one array of character ids and sorts its
 * suffixes into levels of groups; term_discovery.c reads the user dictionary and finds the
 * candidates and their statistics in the groups; segment.c segments every run into the kept
 * terms and counts the segments into the documents × terms matrix; terms.c holds the public
 * entry points and runs the steps in order. They share one terms_work, declared here with
 * the records it holds; each step's entry point is declared with its file's name. */
#ifndef CT_TERMS_IMPL_H
#define CT_TERMS_IMPL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "comptext/corpus.h"
#include "comptext/matrix.h"
#include "comptext/terms.h"
#include "termtab.h"

#define NONE UINT32_MAX   /* no group, no candidate, no term */
#define CP_LIMIT 0x110000 /* code points */

/* One level of the suffix array: the groups of n-grams of one length occurring ≥ 2 times. */
typedef struct sa_level {
    /* By suffix-array index, as bits (ct_sa_gid): in a group; first of its group. With the
     * first bits' counts before each 64-index block this answers "which group?" in O(1) at
     * 2.25 bits an index, not the 32 of an id an index (at 100 000 reports: 0.3 GB for the
     * 13 levels instead of 3.6 GB). */
    uint64_t *member, *first;
    uint32_t *before; /* by block of 64 indices: groups starting in the blocks before it */
    uint32_t *start;  /* by group: first suffix-array index */
    uint32_t *count;  /* by group: size */
    double *acc_left; /* by group: Σ s ln s over its left extensions (ct_sa_source) */
    size_t n;
} sa_level;

/* The group id at level lv of suffix-array index i, or NONE. */
static inline uint32_t ct_sa_gid(const sa_level *lv, size_t i)
{
    size_t b = i >> 6;
    unsigned o = (unsigned)(i & 63);
    if (!((lv->member[b] >> o) & 1))
        return NONE;
    uint64_t upto = lv->first[b] & (~(uint64_t)0 >> (63 - o)); /* bits 0..o */
    return lv->before[b] + (uint32_t)__builtin_popcountll(upto) - 1;
}

/* A term in the making: a suffix-array range, plus a full-length check for dictionary terms
 * longer than the sorted depth. */
typedef struct term_rec {
    char *text;
    uint32_t sa_start, sa_count;
    uint32_t check_len; /* 0: every suffix of the range is an occurrence */
    uint32_t *check_ids;
    ct_term_stats st;
    int len;        /* characters */
    uint32_t group; /* its group at level len, or NONE (a dictionary term seen once, or
                       longer than the sorted depth) */
    uint32_t id;    /* provisional id while counting */
    int dropped;
    int generic; /* a generic word: segments, but is not counted (not in the matrix) */
} term_rec;

typedef struct terms_work {
    int D;
    uint32_t *id_of_cp; /* CP_LIMIT entries: 0 = not seen */
    int32_t *cp_of_id;
    size_t n_ids, cap_ids;
    uint32_t *T;          /* character ids, 0 separators */
    unsigned char *qflag; /* per position: QF_… marks next to a quoted unit or a number
                             (term_runs.c) */
    size_t L, cap_T;
    unsigned char *lim; /* per position: min(D, characters before the next separator) */
    uint32_t *sa, *rank, *lcp;
    size_t N;          /* suffixes */
    size_t *doc_start; /* n_docs + 1 positions in T */
    size_t n_docs;
    sa_level *lv; /* D + 1 levels, 1..D used */
    term_rec *terms;
    size_t n_terms, cap_terms;
    size_t n_dict; /* terms[0, n_dict) come from the user dictionary */
    ct_termtab *veto;
    ct_termtab *names; /* term text → index into terms */
    /* By length n and string id of the statistics source (term_source): the candidate's
     * index in terms, or NONE; discovery fills them, segmentation reuses them for ids. */
    uint32_t *cand[CT_TERMS_LEN_LIMIT + 2];
    const unsigned char *boundary; /* the source's boundary characters (borrowed) */
} terms_work;

static inline double ct_xlogx(double x)
{
    return x > 0 ? x * log(x) : 0.0;
}

/* ---- the statistics discovery's rules read ------------------------------------------------
 *
 * Every rule of term_discovery.c reads the corpus through this one interface, so the same
 * rules run on the suffix array of one process (ct_sa_source, suffix_array.c) and on counts
 * merged across MPI ranks (src/dist). The strings are those of 1 … max_len + 1 characters
 * inside one run that occur at least twice; the strings of n characters are numbered
 * 0 … n_strings(n) - 1 in the byte order of their character ids (the suffix array's order),
 * which fixes the order of every sum below. */
typedef struct term_source_ops {
    /** Once, before the rest: the characters (by id, 1 … n_ids) that are word boundaries as
     * neighbours, for left_xlogx and right_xlogx; borrowed until discovery ends. */
    int (*prepare)(void *ctx, const unsigned char *boundary);
    size_t (*n_strings)(const void *ctx, int n);
    /** Occurrences of string g of n characters. */
    uint32_t (*count)(const void *ctx, int n, uint32_t g);
    /** Its n character ids (borrowed). */
    const uint32_t *(*chars)(const void *ctx, int n, uint32_t g);
    /** The id of its part of m characters at offset a (NONE when the part occurs once). */
    uint32_t (*part)(const void *ctx, int n, uint32_t g, int a, int m);
    /** Σ f ln f over the strings xw (x not a boundary), by x's id; likewise wy. */
    double (*left_xlogx)(const void *ctx, int n, uint32_t g);
    double (*right_xlogx)(const void *ctx, int n, uint32_t g);
    /** Occurrences right after a Chinese numeral (ct_numerals_is_numeral). */
    double (*after_numeral)(const void *ctx, int n, uint32_t g);
    /** Occurrences glued to a quoted unit (QF_AFTER_CLOSE on the first character or
     * QF_BEFORE_OPEN on the last). */
    double (*quote_glued)(const void *ctx, int n, uint32_t g);
    /** Occurrences right before a number (QF_BEFORE_NUMBER on the last character). */
    double (*before_number)(const void *ctx, int n, uint32_t g);
    /** For each of the k strings (len[i], g[i]): into out[i], its occurrences followed by a
     * character y with next_ok[y] whose pair (its last character, y) is a string p of two
     * characters with pair_mark[p] != NONE. */
    int (*right_pairs)(void *ctx, size_t k, const int *len, const uint32_t *g,
                       const unsigned char *next_ok, const uint32_t *pair_mark, double *out);
    /** Likewise on the left: into out[i], the occurrences of string i preceded by a
     * character x with next_ok[x] whose pair (x, its first character) is a string p of two
     * characters with pair_mark[p] != NONE. */
    int (*left_pairs)(void *ctx, size_t k, const int *len, const uint32_t *g,
                      const unsigned char *next_ok, const uint32_t *pair_mark, double *out);
    /** Optional (NULL: one process judges everything): the items [*lo, *hi) of ns (the
     * strings of one length, or the candidates) that this process runs a rule on. */
    void (*judged)(const void *ctx, size_t ns, size_t *lo, size_t *hi);
    /** With judged: every process's n items of size bytes (mine), concatenated in the order
     * of their ranges, into *all (ct_malloc), *n_all of them. */
    int (*gather)(void *ctx, const void *mine, size_t n, size_t size, void **all, size_t *n_all);
    /** With judged: flags[0, n) set (non-zero) on every process where any process set them. */
    int (*any)(void *ctx, unsigned char *flags, size_t n);
    /** With judged: called when this process's rules fail (any status; today only out of
     * memory can) before the other processes reach the gather or any they wait in; it must
     * end them all (MPI_Abort). */
    void (*failed)(void *ctx, int rc);
} term_source_ops;

typedef struct term_source {
    const term_source_ops *ops;
    void *ctx;
    double n_chars; /* characters of the corpus (the N of the split PMI) */
} term_source;

/* Whether the term occurs at position p (its suffix-array range holds the suffixes that
 * share its first D characters; a longer dictionary term checks the rest). */
static inline int term_occurs_at(const terms_work *w, const term_rec *t, uint32_t p)
{
    if (!t->check_len)
        return 1;
    for (uint32_t k = 0; k < t->check_len; k++)
        if (p + k >= w->L || w->T[p + k] != t->check_ids[k])
            return 0;
    return 1;
}

/* ---- term_runs.c ------------------------------------------------------------------------- */

#define QF_AFTER_CLOSE 1u   /* the first character of a run right after a closing quote mark */
#define QF_BEFORE_OPEN 2u   /* the last character of a run right before an opening quote mark */
#define QF_BEFORE_NUMBER 4u /* the last character of a run right before a number */

/** The id of code point cp, given it if it has none yet. */
int ct_runs_char_id(terms_work *w, int32_t cp, uint32_t *id);
/** Append a separator to w->T. */
int ct_runs_separator(terms_work *w);
/** Append the runs of one normalised text (quoted units, numbers: see term_runs.c);
 * *chars: its CJK characters. */
int ct_runs_add_text(terms_work *w, const char *s, size_t len, double *chars);

/* ---- suffix_array.c ---------------------------------------------------------------------- */

/* Sums across MPI ranks (src/dist): sum adds up a[0, n) over the ranks, in place, on every
 * rank. NULL for one process. The sums are of counts, exact in any order. */
typedef struct term_sums {
    int (*sum)(void *ctx, double *a, size_t n);
    void *ctx;
} term_sums;

/* Term discovery across MPI ranks (src/dist/dist_terms.c): each rank holds a share of the
 * corpus in its terms_work, and these hooks make what must be global so. NULL for one
 * process. */
typedef struct terms_ranks {
    void *ctx;
    /** After the share's texts are read and normalised (norm[d], len[d]), before they are
     * appended, with the status of reading them (err filled on failure): returns the status
     * agreed by the ranks. */
    int (*seed)(void *ctx, terms_work *w, int rc, ct_error *err, char *const *norm,
                const size_t *len);
    /** After the share is read: renumber the characters with the ids one process gives
     * (err filled on failure, the same on every rank). */
    int (*global_ids)(void *ctx, terms_work *w, ct_error *err);
    /** The statistics over all ranks, from this rank's suffix array; source_free ends it. */
    int (*source)(void *ctx, terms_work *w, const ct_terms_options *o, term_source *src);
    void (*source_free)(term_source *src);
    term_sums sums;
} terms_ranks;

/** Read and normalise every document (in parallel) into w->T, a separator first and after
 * every run, with w->doc_start[d] where document d begins and doc_chars[d] its CJK
 * characters. ranks: NULL, or the hooks of a share. */
int ct_sa_read_corpus(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                      const terms_ranks *ranks, double *doc_chars, ct_error *err);
/** Sort the suffixes of w->T on their first w->D characters: w->lim, sa, rank, lcp, N. */
int ct_sa_build(terms_work *w);
/** The groups of level n (w->lv[n]): maximal ranges of ≥ 2 suffixes sharing n characters. */
int ct_sa_build_level(terms_work *w, int n);
/** The suffix-array range of the suffixes starting with ids[0..n-1] (n ≤ D). */
void ct_sa_find_range(const terms_work *w, const uint32_t *ids, size_t n, uint32_t *start,
                      uint32_t *count);
/** The statistics of the suffix array's groups (string g of n characters: group g of level
 * n) for discovery. */
void ct_sa_source(terms_work *w, term_source *src);
/** After discovery from src: each discovered term's range of this suffix array (sa_start,
 * sa_count; the count stays in st.count). */
void ct_sa_locate_terms(terms_work *w, const term_source *src);

/* ---- term_discovery.c -------------------------------------------------------------------- */

/** Read the user dictionary o->dict_path: added terms become terms, "-TERM" lines vetoes. */
int ct_discovery_read_dict(terms_work *w, const ct_terms_options *o, ct_error *err);
/** Find the candidates of every length in src, compute their statistics, filter, drop
 * fragments: w->terms (after the dictionary's) and w->cand. w->cp_of_id names the ids. */
int ct_discovery_find(terms_work *w, const term_source *src, const ct_terms_options *o);

/* ---- segment.c --------------------------------------------------------------------------- */

/** Segment every run into the kept terms and count the segments: *counts, documents × terms
 * in byte order, and *stats (ct_malloc), each term's statistics by column id. With sums, the
 * corpus in w is this rank's share and the statistics (occurrences, character frequencies,
 * segments) are summed across ranks: the rows are this rank's, the rest global. */
int ct_segment_count(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                     const term_sums *sums, ct_matrix **counts, ct_term_stats **stats);

/* ---- terms.c ---------------------------------------------------------------------------- */

/** ct_terms_discover, the share of this rank when ranks is given (every rank gets the same
 * terms and statistics, and the rows of its documents). */
int ct_terms_discover_ranks(struct ct_terms **out, const ct_corpus *corpus,
                            const ct_terms_options *o, const terms_ranks *ranks, ct_error *err);

#endif
