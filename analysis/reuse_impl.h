/* reuse_impl.h — what the text-reuse files share (private): the prepared documents, the
 * candidate regions, the aligner and a small thread pool.
 *
 * reuse_candidates.c prepares each document (normalised, reduced to letters and digits, with
 * the way back to the original text) and finds candidate regions from shared shingles;
 * reuse_align.c aligns a region with parasail; reuse.c runs the steps, merges, clusters and
 * orders the passages. */
#ifndef CT_REUSE_IMPL_H
#define CT_REUSE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "comptext/reuse.h"

/* One document reduced to the characters that are compared. For skeleton character i: its
 * code point, where it starts in the original text (byte and character) and where the
 * grapheme cluster it came from ends (byte). */
typedef struct reuse_doc {
    char *text; /* the original text (ct_corpus_read_text) */
    size_t text_len;
    uint32_t n;     /* skeleton characters */
    uint32_t *cp;   /* code points */
    uint32_t *bbeg; /* start byte in text */
    uint32_t *bend; /* end byte in text (exclusive) */
    uint32_t *cbeg; /* start character in text */
} reuse_doc;

/* A candidate region: skeleton ranges [a0, a1) of document a and [b0, b1) of document b,
 * a < b. cont_prev / cont_next: the region is a piece of a longer one cut at a shared
 * shingle, and continues the previous / into the next piece. */
typedef struct reuse_region {
    uint32_t a, b;
    uint32_t a0, a1, b0, b1;
    uint32_t sa0, sa1, sb0, sb1; /* what the shared shingles cover (without padding) */
    uint32_t hits;
    uint8_t cont_prev, cont_next;
} reuse_region;

/* An alignment in skeleton coordinates. */
typedef struct reuse_align {
    uint32_t a, b;
    uint32_t a0, a1, b0, b1; /* aligned ranges, end exclusive */
    uint32_t columns, matches;
    long score;
    int valid;
    uint8_t cont_prev, cont_next;
} reuse_align;

/* Read and prepare every document (on threads). docs has ct_corpus_size entries. */
int reuse_prepare(const ct_corpus *corpus, const ct_reuse_options *o, int threads, reuse_doc *docs,
                  ct_error *err);
void reuse_doc_clear(reuse_doc *d);

/* The candidate regions of the prepared documents, sorted by a, b, a0, b0. */
int reuse_candidates(const reuse_doc *docs, size_t n_docs, const ct_reuse_options *o, int threads,
                     reuse_region **regions, size_t *n_regions);

/* The aligner: created once, used from several threads. */
typedef struct reuse_aligner reuse_aligner;
int reuse_aligner_new(reuse_aligner **out, ct_error *err);
void reuse_aligner_free(reuse_aligner *al);
/* Align one region; out->valid is 0 when nothing aligns. CT_ENOMEM on failure. */
int reuse_align_region(const reuse_aligner *al, const reuse_doc *docs, const reuse_region *r,
                       reuse_align *out);

/* Run fn(ctx, i) for i in [0, n) on up to threads threads; returns the first failure. */
int reuse_parallel(size_t n, int threads, int (*fn)(void *ctx, size_t i), void *ctx);

#endif
