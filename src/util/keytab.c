/* keytab.c — open addressing on 64-bit keys, with the count kept beside the key.
 *
 * A slot holds the key itself (0: empty), its id and its count: 16 bytes, four to a cache
 * line, so finding a key and counting it touch one line. Linear probing; the table doubles
 * when it is 70% full. ct_keytab_count prefetches the slot of the key COUNT_AHEAD places
 * ahead while it probes the current one, which keeps several cache misses in flight — the
 * difference between waiting for memory once a key and once a batch.
 *
 * A count that passes 2^32 in totals mode carries into a per-id array made on first need.
 * In per-document mode the slots counted in the current document are listed (touched), so
 * handing the document out and zeroing its counts costs its distinct keys, not the table. */
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "keytab.h"
#include "u32list.h"

struct keyslot {
    uint64_t key; /* 0: empty */
    uint32_t id;
    uint32_t count;
};

struct ct_keytab {
    struct keyslot *slots; /* inside slots_block, aligned for huge pages when large */
    void *slots_block;
    size_t mask;    /* capacity - 1 */
    size_t limit;   /* grow before count reaches this */
    uint64_t *keys; /* per id */
    size_t count, keys_cap;
    uint32_t *carry; /* per id: counts above 2^32 in units of 2^32 (totals mode), or NULL */
    int per_document;
    uint32_t *direct; /* NULL, or per BMP code point c: 1 + the slot of the key c << 42 (0: none) */
    uint32_t *touched; /* slots counted in the current document (per-document mode) */
    size_t n_touched, touched_cap;
};

/* How many keys ahead ct_keytab_count prefetches, and how many it hashes at a time. */
#define COUNT_AHEAD 32
#define COUNT_CHUNK 512
/* Tables of fewer slots (512 KiB) are counted without prefetching. */
#define PREFETCH_SLOTS 32768

/* Mix all 64 bits (packed keys have long runs of zero bits at either end); the slot comes
 * from the high half, which depends on every bit of the key. */
static inline uint64_t key_mix(uint64_t key)
{
    key ^= key >> 31;
    key *= 0x9E3779B97F4A7C15ULL;
    key ^= key >> 29;
    return key;
}

/* The code point of a key of one BMP code point (c << 42), or -1. */
static inline int32_t single_bmp(uint64_t key)
{
    return (key & (((uint64_t)1 << 42) - 1)) == 0 && (key >> 42) < 0x10000 ? (int32_t)(key >> 42)
                                                                           : -1;
}

static inline size_t key_slot(uint64_t key, size_t mask)
{
    return (size_t)(key_mix(key) >> 32) & mask;
}

/* Zeroed slots for cap entries. A large table is looked up at random: with 4 KiB pages
 * nearly every look-up also misses the TLB, so on Linux a table of 2 MiB or more is aligned
 * to 2 MiB and asked for transparent huge pages (a hint: without them it works the same). */
#define HUGE_PAGE ((size_t)2 << 20)

static struct keyslot *slots_alloc(size_t cap, void **block)
{
    size_t bytes = cap * sizeof(struct keyslot);
    if (bytes < HUGE_PAGE) {
        *block = ct_calloc(cap, sizeof(struct keyslot));
        return *block;
    }
    *block = ct_malloc(bytes + HUGE_PAGE);
    if (!*block)
        return NULL;
    uintptr_t at = ((uintptr_t)*block + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise((void *)at, bytes, MADV_HUGEPAGE); /* before the pages are first touched */
#endif
    memset((void *)at, 0, bytes);
    return (struct keyslot *)at;
}

static void set_capacity(ct_keytab *t, size_t cap)
{
    t->mask = cap - 1;
    t->limit = cap / 10 * 7;
}

int ct_keytab_new(ct_keytab **out)
{
    *out = NULL;
    ct_keytab *t = ct_calloc(1, sizeof *t);
    if (!t)
        return CT_ENOMEM;
    set_capacity(t, 4096);
    t->slots = slots_alloc(t->mask + 1, &t->slots_block);
    t->keys_cap = 1024;
    t->keys = ct_malloc(t->keys_cap * sizeof *t->keys);
    if (!t->slots || !t->keys) {
        ct_keytab_free(t);
        return CT_ENOMEM;
    }
    *out = t;
    return CT_OK;
}

void ct_keytab_free(ct_keytab *t)
{
    if (!t)
        return;
    ct_free(t->slots_block);
    ct_free(t->keys);
    ct_free(t->carry);
    ct_free(t->touched);
    ct_free(t->direct);
    ct_free(t);
}

size_t ct_keytab_size(const ct_keytab *t)
{
    return t->count;
}

uint64_t ct_keytab_key(const ct_keytab *t, uint32_t id)
{
    return t->keys[id];
}

/* The slot of a key known to be in slots (capacity mask + 1). */
static size_t slot_of(const struct keyslot *slots, size_t mask, uint64_t key)
{
    size_t i = key_slot(key, mask);
    while (slots[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static int keytab_grow(ct_keytab *t)
{
    size_t cap = (t->mask + 1) * 2, mask = cap - 1;
    void *block;
    struct keyslot *slots = slots_alloc(cap, &block);
    if (!slots)
        return CT_ENOMEM;
    for (size_t i = 0; i <= t->mask; i++) {
        if (!t->slots[i].key)
            continue;
        size_t j = key_slot(t->slots[i].key, mask);
        while (slots[j].key)
            j = (j + 1) & mask;
        slots[j] = t->slots[i];
    }
    /* The current document's slots moved with their keys. */
    for (size_t k = 0; k < t->n_touched; k++)
        t->touched[k] = (uint32_t)slot_of(slots, mask, t->slots[t->touched[k]].key);
    ct_free(t->slots_block);
    t->slots = slots;
    t->slots_block = block;
    set_capacity(t, cap);
    if (t->direct)
        for (size_t i = 0; i <= t->mask; i++) {
            int32_t cp = t->slots[i].key ? single_bmp(t->slots[i].key) : -1;
            if (cp >= 0)
                t->direct[cp] = (uint32_t)i + 1;
        }
    return CT_OK;
}

/* Insert key, absent, whose probe ended at the empty slot *at; *at receives its slot. */
static int insert(ct_keytab *t, uint64_t key, size_t *at)
{
    if (t->count >= UINT32_MAX - 1)
        return CT_ENOMEM;
    if (t->count == t->keys_cap) {
        size_t cap = t->keys_cap * 2;
        uint64_t *k = ct_reallocarray(t->keys, cap, sizeof *k);
        if (!k)
            return CT_ENOMEM;
        t->keys = k;
        if (t->carry) {
            uint32_t *c = ct_reallocarray(t->carry, cap, sizeof *c);
            if (!c)
                return CT_ENOMEM;
            memset(c + t->keys_cap, 0, (cap - t->keys_cap) * sizeof *c);
            t->carry = c;
        }
        t->keys_cap = cap;
    }
    if (t->count + 1 >= t->limit) {
        if (keytab_grow(t) != CT_OK)
            return CT_ENOMEM;
        size_t i = key_slot(key, t->mask);
        while (t->slots[i].key)
            i = (i + 1) & t->mask;
        *at = i;
    }
    uint32_t id = (uint32_t)t->count++;
    t->keys[id] = key;
    t->slots[*at] = (struct keyslot){key, id, 0};
    int32_t cp = t->direct ? single_bmp(key) : -1;
    if (cp >= 0)
        t->direct[cp] = (uint32_t)*at + 1;
    return CT_OK;
}

int ct_keytab_find(const ct_keytab *t, uint64_t key, uint32_t *id)
{
    for (size_t i = key_slot(key, t->mask);; i = (i + 1) & t->mask) {
        if (t->slots[i].key == key) {
            *id = t->slots[i].id;
            return CT_OK;
        }
        if (!t->slots[i].key)
            return CT_ENOTFOUND;
    }
}

/* The slot of key, inserting it when absent; CT_ENOMEM when it cannot be inserted. */
static inline int find_or_insert(ct_keytab *t, uint64_t key, size_t *at)
{
    size_t i = key_slot(key, t->mask);
    for (;;) {
        uint64_t k = t->slots[i].key;
        if (k == key) {
            *at = i;
            return CT_OK;
        }
        if (!k) {
            *at = i;
            return insert(t, key, at);
        }
        i = (i + 1) & t->mask;
    }
}

int ct_keytab_intern(ct_keytab *t, uint64_t key, uint32_t *id)
{
    size_t at;
    int rc = find_or_insert(t, key, &at);
    if (rc == CT_OK)
        *id = t->slots[at].id;
    return rc;
}

/* Add the current document's first occurrence of slot at to its list. */
static int touch(ct_keytab *t, size_t at)
{
    return ct_u32list_push(&t->touched, &t->n_touched, &t->touched_cap, (uint32_t)at);
}

/* A count that passed 2^32 (totals): carry into the per-id array. */
static int carry(ct_keytab *t, uint32_t id)
{
    if (!t->carry && !(t->carry = ct_calloc(t->keys_cap, sizeof *t->carry)))
        return CT_ENOMEM;
    t->carry[id]++;
    return CT_OK;
}

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* The loop of ct_keytab_count, compiled once for each way of counting and for tables with
 * and without prefetching (per_document and prefetch are constants where it is inlined).
 * A table that fits in the second-level cache gains nothing from prefetching. */
static ALWAYS_INLINE int count_keys(ct_keytab *t, const uint64_t *keys, size_t n, int per_document,
                                    int prefetch)
{
    uint64_t mixed[COUNT_CHUNK];
    struct keyslot *slots = t->slots; /* reloaded when an insertion grows the table */
    size_t mask = t->mask;
    for (size_t start = 0; start < n; start += COUNT_CHUNK) {
        size_t m = n - start < COUNT_CHUNK ? n - start : COUNT_CHUNK;
        const uint64_t *chunk = keys + start;
        if (prefetch) {
            for (size_t i = 0; i < m; i++)
                mixed[i] = key_mix(chunk[i]) >> 32;
            for (size_t i = 0; i < m && i < COUNT_AHEAD; i++)
                __builtin_prefetch(&slots[mixed[i] & mask]);
        }
        for (size_t i = 0; i < m; i++) {
            if (prefetch && i + COUNT_AHEAD < m)
                __builtin_prefetch(&slots[mixed[i + COUNT_AHEAD] & mask]);
            uint64_t key = chunk[i];
            size_t at = (prefetch ? mixed[i] : key_mix(key) >> 32) & mask;
            uint64_t k;
            while ((k = slots[at].key) != key) {
                if (!k) {
                    int rc = insert(t, key, &at);
                    if (rc != CT_OK)
                        return rc;
                    slots = t->slots;
                    mask = t->mask;
                    break;
                }
                at = (at + 1) & mask;
            }
            struct keyslot *s = &slots[at];
            if (per_document ? s->count++ == 0 : ++s->count == 0) {
                int rc = per_document ? touch(t, at) : carry(t, s->id);
                if (rc != CT_OK)
                    return rc;
            }
        }
    }
    return CT_OK;
}

/* ct_keytab_count for a table indexed by code point: a key of one BMP code point finds its
 * slot in the direct index, without hashing or probing. */
static ALWAYS_INLINE int count_direct(ct_keytab *t, const uint64_t *keys, size_t n,
                                      int per_document)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t key = keys[i];
        int32_t cp = single_bmp(key);
        size_t at;
        if (cp >= 0 && t->direct[cp]) {
            at = t->direct[cp] - 1;
        } else {
            int rc = find_or_insert(t, key, &at); /* new, or above the BMP */
            if (rc != CT_OK)
                return rc;
        }
        struct keyslot *s = &t->slots[at];
        if (per_document ? s->count++ == 0 : ++s->count == 0) {
            int rc = per_document ? touch(t, at) : carry(t, s->id);
            if (rc != CT_OK)
                return rc;
        }
    }
    return CT_OK;
}

int ct_keytab_count(ct_keytab *t, const uint64_t *keys, size_t n)
{
    if (t->direct)
        return t->per_document ? count_direct(t, keys, n, 1) : count_direct(t, keys, n, 0);
    /* Decided a batch: a table that grows past the limit is prefetched from the next one. */
    if (t->mask + 1 < PREFETCH_SLOTS)
        return t->per_document ? count_keys(t, keys, n, 1, 0) : count_keys(t, keys, n, 0, 0);
    return t->per_document ? count_keys(t, keys, n, 1, 1) : count_keys(t, keys, n, 0, 1);
}

void ct_keytab_track_documents(ct_keytab *t)
{
    t->per_document = 1;
}

int ct_keytab_index_code_points(ct_keytab *t)
{
    if (!t->direct && !(t->direct = ct_calloc(0x10000, sizeof *t->direct)))
        return CT_ENOMEM;
    for (size_t i = 0; i <= t->mask; i++) {
        int32_t cp = t->slots[i].key ? single_bmp(t->slots[i].key) : -1;
        if (cp >= 0)
            t->direct[cp] = (uint32_t)i + 1;
    }
    return CT_OK;
}

size_t ct_keytab_document_size(const ct_keytab *t)
{
    return t->n_touched;
}

void ct_keytab_take_document(ct_keytab *t, uint32_t *ids, uint32_t *counts)
{
    for (size_t k = 0; k < t->n_touched; k++) {
        struct keyslot *s = &t->slots[t->touched[k]];
        ids[k] = s->id;
        counts[k] = s->count;
        s->count = 0;
    }
    t->n_touched = 0;
}

void ct_keytab_add_totals(const ct_keytab *t, uint64_t *totals)
{
    for (size_t i = 0; i <= t->mask; i++) {
        const struct keyslot *s = &t->slots[i];
        if (s->key)
            totals[s->id] += s->count + (t->carry ? (uint64_t)t->carry[s->id] << 32 : 0);
    }
}
