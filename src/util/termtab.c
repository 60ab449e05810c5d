/* termtab.c — open-addressing hash table interning byte strings to dense ids.
 *
 * Linear probing over a power-of-two array of slots holding id+1 (0 = empty) and the low
 * 32 bits of the hash, so most probes are rejected without touching the key. Keys are
 * stored NUL-terminated in an arena. The load factor stays under 1/2. The hash is a
 * multiply-mix over 8-byte words (keys are short n-grams: most fit in one or two words). */
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "termtab.h"

struct slot {
    uint32_t id_plus_one;
    uint32_t hash_lo;
};

struct ct_termtab {
    struct slot *slots;
    size_t mask; /* capacity - 1 */
    size_t count;
    size_t *key_offset; /* per id */
    uint32_t *key_len;
    size_t ids_cap;
    char *arena;
    size_t arena_len, arena_cap;
};

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

uint64_t ct_hash_bytes(const char *key, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xff51afd7ed558ccdULL);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, key + i, 8);
        h = mix64(h ^ w) + 0x632BE59BD9B4E019ULL;
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, key + i, len - i);
        h = mix64(h ^ w ^ ((uint64_t)(len - i) << 59));
    }
    return mix64(h);
}

int ct_termtab_new(ct_termtab **out)
{
    *out = NULL;
    ct_termtab *t = ct_calloc(1, sizeof *t);
    if (!t)
        return CT_ENOMEM;
    t->mask = 1023;
    t->slots = ct_calloc(t->mask + 1, sizeof *t->slots);
    t->ids_cap = 256;
    t->key_offset = ct_malloc(t->ids_cap * sizeof *t->key_offset);
    t->key_len = ct_malloc(t->ids_cap * sizeof *t->key_len);
    t->arena_cap = 4096;
    t->arena = ct_malloc(t->arena_cap);
    if (!t->slots || !t->key_offset || !t->key_len || !t->arena) {
        ct_termtab_free(t);
        return CT_ENOMEM;
    }
    *out = t;
    return CT_OK;
}

void ct_termtab_free(ct_termtab *t)
{
    if (!t)
        return;
    ct_free(t->slots);
    ct_free(t->key_offset);
    ct_free(t->key_len);
    ct_free(t->arena);
    ct_free(t);
}

size_t ct_termtab_size(const ct_termtab *t)
{
    return t->count;
}

const char *ct_termtab_key(const ct_termtab *t, uint32_t id, size_t *len)
{
    if (len)
        *len = t->key_len[id];
    return t->arena + t->key_offset[id];
}

static inline int key_equals(const ct_termtab *t, uint32_t id, const char *key, size_t len)
{
    return t->key_len[id] == len && memcmp(t->arena + t->key_offset[id], key, len) == 0;
}

int ct_termtab_find(const ct_termtab *t, const char *key, size_t len, uint32_t *id)
{
    uint64_t h = ct_hash_bytes(key, len);
    uint32_t lo = (uint32_t)h;
    for (size_t i = (size_t)(h >> 32) & t->mask;; i = (i + 1) & t->mask) {
        struct slot s = t->slots[i];
        if (!s.id_plus_one)
            return CT_ENOTFOUND;
        if (s.hash_lo == lo && key_equals(t, s.id_plus_one - 1, key, len)) {
            *id = s.id_plus_one - 1;
            return CT_OK;
        }
    }
}

static int grow_slots(ct_termtab *t)
{
    size_t cap = (t->mask + 1) * 2;
    struct slot *slots = ct_calloc(cap, sizeof *slots);
    if (!slots)
        return CT_ENOMEM;
    size_t mask = cap - 1;
    for (size_t i = 0; i <= t->mask; i++) {
        struct slot s = t->slots[i];
        if (!s.id_plus_one)
            continue;
        uint32_t id = s.id_plus_one - 1;
        uint64_t h = ct_hash_bytes(t->arena + t->key_offset[id], t->key_len[id]);
        size_t j = (size_t)(h >> 32) & mask;
        while (slots[j].id_plus_one)
            j = (j + 1) & mask;
        slots[j] = s;
    }
    ct_free(t->slots);
    t->slots = slots;
    t->mask = mask;
    return CT_OK;
}

int ct_termtab_intern(ct_termtab *t, const char *key, size_t len, uint32_t *id, int *is_new)
{
    if (len > UINT32_MAX - 1)
        return CT_EINVAL;
    uint64_t h = ct_hash_bytes(key, len);
    uint32_t lo = (uint32_t)h;
    size_t i = (size_t)(h >> 32) & t->mask;
    for (;; i = (i + 1) & t->mask) {
        struct slot s = t->slots[i];
        if (!s.id_plus_one)
            break;
        if (s.hash_lo == lo && key_equals(t, s.id_plus_one - 1, key, len)) {
            *id = s.id_plus_one - 1;
            if (is_new)
                *is_new = 0;
            return CT_OK;
        }
    }
    if (t->count >= UINT32_MAX - 1)
        return CT_ENOMEM;
    /* Make room first, so a failure leaves the table unchanged. */
    if (t->count == t->ids_cap) {
        size_t cap = t->ids_cap * 2;
        size_t *off = ct_reallocarray(t->key_offset, cap, sizeof *off);
        if (!off)
            return CT_ENOMEM;
        t->key_offset = off;
        uint32_t *kl = ct_reallocarray(t->key_len, cap, sizeof *kl);
        if (!kl)
            return CT_ENOMEM;
        t->key_len = kl;
        t->ids_cap = cap;
    }
    if (t->arena_len + len + 1 > t->arena_cap) {
        size_t cap = t->arena_cap * 2;
        while (cap < t->arena_len + len + 1)
            cap *= 2;
        char *a = ct_realloc(t->arena, cap);
        if (!a)
            return CT_ENOMEM;
        t->arena = a;
        t->arena_cap = cap;
    }
    if ((t->count + 1) * 2 > t->mask + 1) {
        if (grow_slots(t) != CT_OK)
            return CT_ENOMEM;
        i = (size_t)(h >> 32) & t->mask;
        while (t->slots[i].id_plus_one)
            i = (i + 1) & t->mask;
    }
    uint32_t new_id = (uint32_t)t->count++;
    memcpy(t->arena + t->arena_len, key, len);
    t->arena[t->arena_len + len] = '\0';
    t->key_offset[new_id] = t->arena_len;
    t->key_len[new_id] = (uint32_t)len;
    t->arena_len += len + 1;
    t->slots[i].id_plus_one = new_id + 1;
    t->slots[i].hash_lo = lo;
    *id = new_id;
    if (is_new)
        *is_new = 1;
    return CT_OK;
}
