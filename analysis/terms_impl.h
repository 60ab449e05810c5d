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
    double *acc_left; /* by group: Σ s ln s over its left extensions */
    uint32_t *cand;   /* by group: candidate index or NONE */
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
} terms_work;

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

/** Append a separator to w->T. */
int ct_runs_separator(terms_work *w);
/** Append the runs of one normalised text (quoted units, numbers: see term_runs.c);
 * *chars: its CJK characters. */
int ct_runs_add_text(terms_work *w, const char *s, size_t len, double *chars);

/* ---- suffix_array.c ---------------------------------------------------------------------- */

/** Read and normalise every document (in parallel) into w->T, a separator first and after
 * every run, with w->doc_start[d] where document d begins and doc_chars[d] its CJK
 * characters. */
int ct_sa_read_corpus(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                      double *doc_chars, ct_error *err);
/** Sort the suffixes of w->T on their first w->D characters: w->lim, sa, rank, lcp, N. */
int ct_sa_build(terms_work *w);
/** The groups of level n (w->lv[n]): maximal ranges of ≥ 2 suffixes sharing n characters. */
int ct_sa_build_level(terms_work *w, int n);
/** The suffix-array range of the suffixes starting with ids[0..n-1] (n ≤ D). */
void ct_sa_find_range(const terms_work *w, const uint32_t *ids, size_t n, uint32_t *start,
                      uint32_t *count);

/* ---- term_discovery.c -------------------------------------------------------------------- */

/** Read the user dictionary o->dict_path: added terms become terms, "-TERM" lines vetoes. */
int ct_discovery_read_dict(terms_work *w, const ct_terms_options *o, ct_error *err);
/** Find the candidates of every level, compute their statistics, filter, drop fragments. */
int ct_discovery_find(terms_work *w, const ct_terms_options *o);

/* ---- segment.c --------------------------------------------------------------------------- */

/** Segment every run into the kept terms and count the segments: *counts, documents × terms
 * in byte order, and *stats (ct_malloc), each term's statistics by column id. */
int ct_segment_count(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                     ct_matrix **counts, ct_term_stats **stats);

#endif
