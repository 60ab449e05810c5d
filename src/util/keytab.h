/* keytab.h — a counting hash table of 64-bit integer keys (private).
 *
 * The tokeniser packs nearly every n-gram into one integer (utf8.h); counting a corpus is
 * then mostly "find this integer, add one". A ct_keytab maps non-zero keys to dense ids
 * 0, 1, 2, … in order of first insertion and keeps each key's count in the key's own slot,
 * so an occurrence costs one cache line. Keys are counted in batches whose slots are
 * prefetched a few keys ahead, so the cache misses of a large vocabulary overlap.
 *
 * Two ways of counting: totals over everything counted (the default; `comptext ngrams`), or
 * per document (ct_keytab_track_documents): the distinct keys counted since the last
 * ct_keytab_take_document are handed out with their counts and the counts start again. */
#ifndef CT_KEYTAB_H
#define CT_KEYTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct ct_keytab ct_keytab;

int ct_keytab_new(ct_keytab **out);
void ct_keytab_free(ct_keytab *tab);
/** Find or insert key (must not be 0). */
int ct_keytab_intern(ct_keytab *tab, uint64_t key, uint32_t *id);
/** 0 and *id when present, CT_ENOTFOUND otherwise. */
int ct_keytab_find(const ct_keytab *tab, uint64_t key, uint32_t *id);
size_t ct_keytab_size(const ct_keytab *tab);
/** The key of an id. */
uint64_t ct_keytab_key(const ct_keytab *tab, uint32_t id);

/** Count one occurrence of each of n keys (none 0), inserting the new ones. */
int ct_keytab_count(ct_keytab *tab, const uint64_t *keys, size_t n);
/** Declare that every key is one code point (c << 42, the tokeniser's unigrams): those of the
 * BMP are then found through a direct index instead of the hash. CT_ENOMEM, or CT_OK. */
int ct_keytab_index_code_points(ct_keytab *tab);
/** Count per document from now on (call before counting anything). */
void ct_keytab_track_documents(ct_keytab *tab);
/** Distinct keys counted since the last ct_keytab_take_document (per-document counting). */
size_t ct_keytab_document_size(const ct_keytab *tab);
/** Write the ids and counts of those keys (ct_keytab_document_size entries each, in order of
 * first occurrence) and start the next document with every count at zero. */
void ct_keytab_take_document(ct_keytab *tab, uint32_t *ids, uint32_t *counts);
/** Totals (counting without documents): totals[id] += the count of id, for every id. */
void ct_keytab_add_totals(const ct_keytab *tab, uint64_t *totals);

#endif
