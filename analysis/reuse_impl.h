/* reuse_impl.h — what the text-reuse files share (private): the prepared documents, the
 * candidate regions, the aligner and a small thread pool.
 *
 * reuse_candidates.c prepares each document (normalised, reduced to letters and digits, with
 * the way back to the original text) and finds candidate regions from shared shingles;
 * reuse_align.c aligns a region with parasail; reuse.c runs the steps, merges, clusters and
 * orders the passages. The steps are separate functions so that the MPI driver
 * (src/dist/dist_reuse.c) runs the same ones on each rank's share and on rank 0. */
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
    uint32_t n;      /* skeleton characters */
    uint32_t *cp;    /* code points */
    uint32_t *bbeg;  /* start byte in text */
    uint32_t *bend;  /* end byte in text (exclusive) */
    uint32_t *cbeg;  /* start character in text */
    uint8_t *common; /* 1: under a shingle found in boilerplate_docs documents or more (NULL:
                      * none is) */
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

/* The candidate regions of the prepared documents, sorted by a, b, a0, b0; marks the
 * documents' common text (reuse_mark_common). */
int reuse_candidates(reuse_doc *docs, size_t n_docs, const ct_reuse_options *o, int threads,
                     reuse_region **regions, size_t *n_regions);

/* The steps of reuse_candidates. A key is a shingle's 32-bit hash above its global skeleton
 * position (starts[d]: the position of document d's first character). reuse_keys writes the
 * keys of docs (sum of n - k + 1 over those with n >= k) and returns how many; keys sort
 * with reuse_sort_keys (tmp: as many scratch entries). */
size_t reuse_keys(const reuse_doc *docs, size_t n_docs, const uint64_t *starts, size_t k,
                  uint64_t *keys);
void reuse_sort_keys(uint64_t *keys, uint64_t *tmp, size_t n);
/* The document holding global position g (starts ascending, starts[n_docs] = the total). */
uint32_t reuse_doc_of(const uint64_t *starts, size_t n_docs, uint64_t g);
/* Whether one shingle's m sorted keys are evidence: in 2 to max_df documents, and not
 * repeated too often in any one. */
int reuse_evidence(const uint64_t *keys, size_t m, const uint64_t *starts, size_t n_docs,
                   size_t max_df);

/* Common text: whether a shingle's m sorted keys lie in `docs` documents or more; mark
 * skeleton characters [pos, pos + k) of d as common (CT_ENOMEM); how many characters of
 * [s0, s1) are common. A passage with fewer than min_length characters outside common text
 * in both documents is boilerplate, whatever its cluster (reuse_finish). */
int reuse_common(const uint64_t *keys, size_t m, const uint64_t *starts, size_t n_docs,
                 size_t docs);
int reuse_mark_common(reuse_doc *d, uint32_t pos, size_t k);
uint32_t reuse_common_in(const reuse_doc *d, uint32_t s0, uint32_t s1);

/* A hit: skeleton position pa of document a and pb of document b (a < b) start the same
 * shingle. */
typedef struct reuse_hit {
    uint32_t a, b, pa, pb;
} reuse_hit;

typedef struct reuse_regions {
    reuse_region *v;
    size_t n, cap;
    int rc;
} reuse_regions;

/* Chain hits sorted by a, b, pa, pb into regions, appended to out pair by pair in that
 * order; lens[d] is document d's skeleton length. */
int reuse_chain(const reuse_hit *hv, size_t n, const uint32_t *lens, const ct_reuse_options *o,
                reuse_regions *out);
/* Sort regions by a, b, a0, b0, a1, b1 (qsort, as reuse_candidates does). */
void reuse_sort_regions(reuse_region *v, size_t n);

/* Check the options (err says which is out of range: CT_EINVAL) and turn a proportional
 * max_df into a count for a corpus of n_docs documents. */
int reuse_options_check(ct_reuse_options *o, size_t n_docs, ct_error *err);
/* Boilerplate before alignment: keep of a large cluster of regions only the pairs of its
 * spanning tree (regions sorted as reuse_candidates returns them; *n updated). */
int reuse_reduce(reuse_region *r, size_t *n, size_t n_docs, size_t boilerplate_docs);

/* The last step, from the alignments of the reduced candidate regions (in their order) to the
 * result. The passages kept need their original text: fetch is called once with every span
 * (doc, skeleton range) to place and fills, for each, the character offsets, a copy of the
 * text (ct_malloc'd; the result takes it), the document's value of the direction field
 * (borrowed until reuse_finish returns; NULL for none) and the span's common characters. */
typedef struct reuse_span {
    size_t doc;
    uint32_t s0, s1;
} reuse_span;
typedef struct reuse_place {
    size_t begin, end;
    char *text;
    const char *value;
    uint32_t common; /* skeleton characters of the span under common text (reuse_common_in) */
} reuse_place;
typedef int (*reuse_fetch_fn)(void *ctx, const reuse_span *spans, size_t n, reuse_place *out,
                              ct_error *err);
int reuse_finish(const reuse_align *aligns, size_t n_aligns, size_t n_docs,
                 const ct_reuse_options *o, size_t candidates, reuse_fetch_fn fetch, void *ctx,
                 ct_reuse **out, ct_error *err);
/* An empty result (fewer than two documents). */
int reuse_empty(const ct_reuse_options *o, ct_reuse **out);
/* Renumber the documents of the passages: doc d becomes its index in the ascending list
 * docs[0..n) (which holds every document of a passage). The order stays the same. */
void reuse_renumber(ct_reuse *r, const size_t *docs, size_t n);
/* Skeleton range [s0, s1) of a prepared document in characters of its text, and a copy. */
int reuse_to_original(const reuse_doc *d, uint32_t s0, uint32_t s1, size_t *begin, size_t *end,
                      char **text);

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
