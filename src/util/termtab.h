/* termtab.h — an interning hash table of byte strings (private).
 *
 * Maps byte strings to dense ids 0, 1, 2, … in order of first insertion. Used for terms
 * while counting (one table per thread), for document ids, and for metadata field names.
 * Keys live in one growing arena and are addressed by offset, so growing never invalidates
 * an id; a pointer from ct_termtab_key is valid until the next insertion. */
#ifndef CT_TERMTAB_H
#define CT_TERMTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct ct_termtab ct_termtab;

int ct_termtab_new(ct_termtab **out);
void ct_termtab_free(ct_termtab *tab);
/** Find or insert; *id receives the key's id, *is_new (may be NULL) whether it was added. */
int ct_termtab_intern(ct_termtab *tab, const char *key, size_t len, uint32_t *id, int *is_new);
/** 0 and *id when present, CT_ENOTFOUND otherwise. */
int ct_termtab_find(const ct_termtab *tab, const char *key, size_t len, uint32_t *id);
size_t ct_termtab_size(const ct_termtab *tab);
/** The key of an id (NUL-terminated) and its length. */
const char *ct_termtab_key(const ct_termtab *tab, uint32_t id, size_t *len);
/** A hash of len bytes (the table's own, exposed for callers that pre-hash). */
uint64_t ct_hash_bytes(const char *key, size_t len);

#endif
