/* vocab.c — the sorted, immutable, reference-counted vocabulary (comptext/vocab.h).
 *
 * Terms are stored NUL-terminated back to back in byte order; the id of a term is its rank,
 * so look-up is a binary search and iteration in id order is iteration in byte order. */
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "vocab_impl.h"
#include "sort.h"

int ct_vocab_adopt(ct_vocab **out, char *arena, size_t *offset, size_t n)
{
    *out = ct_malloc(sizeof **out);
    if (!*out) {
        ct_free(arena);
        ct_free(offset);
        return CT_ENOMEM;
    }
    (*out)->refs = 1;
    (*out)->n = n;
    (*out)->offset = offset;
    (*out)->arena = arena;
    return CT_OK;
}

size_t ct_vocab_size(const ct_vocab *v)
{
    return v->n;
}

const char *ct_vocab_term(const ct_vocab *v, uint32_t id)
{
    return v->arena + v->offset[id];
}

size_t ct_vocab_term_len(const ct_vocab *v, uint32_t id)
{
    return v->offset[id + 1] - v->offset[id] - 1;
}

/* memcmp order with the shorter string first on a common prefix: the byte order of C
 * strings without NULs, which is also scikit-learn's (Python str) order for UTF-8. */
static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c)
        return c;
    return an < bn ? -1 : an > bn;
}

int ct_vocab_find(const ct_vocab *v, const char *term, size_t len, uint32_t *id)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_bytes(ct_vocab_term(v, (uint32_t)mid), ct_vocab_term_len(v, (uint32_t)mid),
                          term, len);
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else {
            *id = (uint32_t)mid;
            return CT_OK;
        }
    }
    return CT_ENOTFOUND;
}

ct_vocab *ct_vocab_ref(ct_vocab *v)
{
    __atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
    return v;
}

void ct_vocab_unref(ct_vocab *v)
{
    if (!v || __atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    ct_free(v->offset);
    ct_free(v->arena);
    ct_free(v);
}

typedef struct term_ref {
    uint64_t prefix; /* the first 8 bytes, big-endian, zero-padded: most comparisons end here */
    const char *s;
    size_t len;
    size_t index;
} term_ref;

static uint64_t prefix_of(const char *s, size_t len)
{
    uint64_t p = 0;
    for (size_t i = 0; i < 8; i++)
        p = p << 8 | (i < len ? (unsigned char)s[i] : 0);
    return p;
}

static int cmp_term_ref(const void *a, const void *b)
{
    const term_ref *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    if (x->len <= 8 || y->len <= 8) /* equal prefixes: the shorter string is a prefix */
        return (x->len > y->len) - (x->len < y->len);
    return cmp_bytes(x->s + 8, x->len - 8, y->s + 8, y->len - 8);
}

int ct_vocab_from_terms(ct_vocab **out, uint32_t **remap, const char *const *terms, size_t count)
{
    *out = NULL;
    if (remap)
        *remap = NULL;
    term_ref *refs = ct_calloc(count ? count : 1, sizeof *refs);
    size_t *offset = ct_malloc((count + 1) * sizeof *offset);
    uint32_t *map = remap ? ct_malloc((count ? count : 1) * sizeof *map) : NULL;
    char *arena = NULL;
    int rc = CT_ENOMEM;
    if (!refs || !offset || (remap && !map))
        goto fail;
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        refs[i].s = terms[i];
        refs[i].len = strlen(terms[i]);
        refs[i].prefix = prefix_of(terms[i], refs[i].len);
        refs[i].index = i;
        total += refs[i].len + 1;
    }
    ct_sort(refs, count, sizeof *refs, cmp_term_ref);
    for (size_t i = 1; i < count; i++)
        if (cmp_term_ref(&refs[i - 1], &refs[i]) == 0) {
            rc = CT_EINVAL;
            goto fail;
        }
    arena = ct_malloc(total ? total : 1);
    if (!arena)
        goto fail;
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        offset[i] = used;
        memcpy(arena + used, refs[i].s, refs[i].len + 1);
        used += refs[i].len + 1;
        if (map)
            map[refs[i].index] = (uint32_t)i;
    }
    offset[count] = used;
    ct_free(refs);
    rc = ct_vocab_adopt(out, arena, offset, count);
    if (rc != CT_OK) {
        ct_free(map);
        return rc;
    }
    if (remap)
        *remap = map;
    return CT_OK;
fail:
    ct_free(refs);
    ct_free(offset);
    ct_free(map);
    ct_free(arena);
    return rc;
}

int ct_vocab_subset(ct_vocab **out, uint32_t **old_to_new, const ct_vocab *v,
                    const unsigned char *keep)
{
    *out = NULL;
    *old_to_new = NULL;
    size_t n = 0, bytes = 0;
    for (size_t i = 0; i < v->n; i++)
        if (keep[i]) {
            n++;
            bytes += v->offset[i + 1] - v->offset[i];
        }
    uint32_t *map = ct_malloc((v->n ? v->n : 1) * sizeof *map);
    size_t *offset = ct_malloc((n + 1) * sizeof *offset);
    char *arena = ct_malloc(bytes ? bytes : 1);
    if (!map || !offset || !arena) {
        ct_free(map);
        ct_free(offset);
        ct_free(arena);
        return CT_ENOMEM;
    }
    size_t k = 0, used = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (!keep[i]) {
            map[i] = UINT32_MAX;
            continue;
        }
        size_t sz = v->offset[i + 1] - v->offset[i];
        offset[k] = used;
        memcpy(arena + used, v->arena + v->offset[i], sz);
        used += sz;
        map[i] = (uint32_t)k++;
    }
    offset[n] = used;
    int rc = ct_vocab_adopt(out, arena, offset, n);
    if (rc != CT_OK) {
        ct_free(map);
        return rc;
    }
    *old_to_new = map;
    return CT_OK;
}
