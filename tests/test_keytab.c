/* test_keytab.c — the counting hash table of packed keys (src/keytab.h): ids in order of
 * first insertion, look-up, growth far past the first capacity, totals, and per-document
 * counts handed out and cleared — checked against counts kept here in a plain array. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "keytab.h"

#define DISTINCT 50000
#define OCCURRENCES 400000

/* A key of the kind the tokeniser makes: three code points packed from the left. */
static uint64_t key_of(uint32_t i)
{
    return (uint64_t)(0x4E00 + i % 2000) << 42 | (uint64_t)(0x4E00 + i / 2000) << 21 | 1;
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

int main(void)
{
    ct_keytab *t;
    CHECK_INT(ct_keytab_new(&t), CT_OK);
    uint32_t id;
    CHECK_INT(ct_keytab_find(t, key_of(7), &id), CT_ENOTFOUND);
    CHECK_INT(ct_keytab_intern(t, key_of(7), &id), CT_OK);
    CHECK_INT(id, 0);
    CHECK_INT(ct_keytab_intern(t, key_of(9), &id), CT_OK);
    CHECK_INT(id, 1);
    CHECK_INT(ct_keytab_intern(t, key_of(7), &id), CT_OK);
    CHECK_INT(id, 0);
    CHECK(ct_keytab_key(t, 1) == key_of(9));
    ct_keytab_free(t);

    /* Totals: random keys in batches of odd sizes, with growth on the way. */
    uint64_t *expect = calloc(DISTINCT, sizeof *expect);
    uint64_t *keys = malloc(OCCURRENCES * sizeof *keys);
    uint32_t state = 1;
    for (size_t i = 0; i < OCCURRENCES; i++) {
        uint32_t k = next_random(&state) % DISTINCT;
        keys[i] = key_of(k);
        expect[k]++;
    }
    CHECK_INT(ct_keytab_new(&t), CT_OK);
    for (size_t at = 0, batch = 1; at < OCCURRENCES; at += batch, batch = batch * 3 % 1000 + 1) {
        size_t n = OCCURRENCES - at < batch ? OCCURRENCES - at : batch;
        CHECK_INT(ct_keytab_count(t, keys + at, n), CT_OK);
    }
    size_t distinct = 0;
    for (size_t k = 0; k < DISTINCT; k++)
        distinct += expect[k] > 0;
    CHECK_INT(ct_keytab_size(t), distinct);
    uint64_t *totals = calloc(ct_keytab_size(t), sizeof *totals);
    ct_keytab_add_totals(t, totals);
    int ok = 1;
    for (uint32_t i = 0; i < ct_keytab_size(t); i++) {
        uint64_t key = ct_keytab_key(t, i);
        uint32_t k =
            (uint32_t)((key >> 42) - 0x4E00) + 2000 * (uint32_t)((key >> 21 & 0x1FFFFF) - 0x4E00);
        uint32_t found;
        if (k >= DISTINCT || totals[i] != expect[k] || ct_keytab_find(t, key, &found) != CT_OK ||
            found != i)
            ok = 0;
    }
    CHECK(ok);
    free(totals);
    ct_keytab_free(t);

    /* Per document: three "documents" over the same keys; each hands out exactly its own
     * counts, in order of first occurrence, and the next starts from zero. */
    CHECK_INT(ct_keytab_new(&t), CT_OK);
    ct_keytab_track_documents(t);
    size_t cut[] = {0, 1000, 150000, OCCURRENCES};
    for (int d = 0; d < 3; d++) {
        memset(expect, 0, DISTINCT * sizeof *expect);
        size_t first_seen = 0;
        uint64_t *order = malloc(DISTINCT * sizeof *order);
        for (size_t i = cut[d]; i < cut[d + 1]; i++) {
            uint32_t k = (uint32_t)((keys[i] >> 42) - 0x4E00) +
                         2000 * (uint32_t)((keys[i] >> 21 & 0x1FFFFF) - 0x4E00);
            if (expect[k]++ == 0)
                order[first_seen++] = keys[i];
        }
        CHECK_INT(ct_keytab_count(t, keys + cut[d], cut[d + 1] - cut[d]), CT_OK);
        size_t n = ct_keytab_document_size(t);
        CHECK_INT(n, first_seen);
        uint32_t *ids = malloc((n ? n : 1) * sizeof *ids),
                 *counts = malloc((n ? n : 1) * sizeof *counts);
        ct_keytab_take_document(t, ids, counts);
        CHECK_INT(ct_keytab_document_size(t), 0);
        ok = 1;
        for (size_t j = 0; j < n && j < first_seen; j++) {
            uint64_t key = ct_keytab_key(t, ids[j]);
            uint32_t k = (uint32_t)((key >> 42) - 0x4E00) +
                         2000 * (uint32_t)((key >> 21 & 0x1FFFFF) - 0x4E00);
            if (key != order[j] || counts[j] != expect[k])
                ok = 0;
        }
        CHECK(ok);
        free(ids);
        free(counts);
        free(order);
    }
    ct_keytab_free(t);

    /* Keys of one code point through the direct index (BMP) and the hash (astral), with the
     * table growing on the way, in both ways of counting: the same counts. */
    for (int per_document = 0; per_document < 2; per_document++) {
        CHECK_INT(ct_keytab_new(&t), CT_OK);
        if (per_document)
            ct_keytab_track_documents(t);
        CHECK_INT(ct_keytab_index_code_points(t), CT_OK);
        memset(expect, 0, DISTINCT * sizeof *expect);
        state = 7;
        for (size_t i = 0; i < OCCURRENCES; i++) {
            uint32_t k = next_random(&state) % 30000; /* 0..19999: BMP, the rest astral */
            keys[i] = (uint64_t)(k < 20000 ? 0x3400 + k : 0x20000 + k) << 42;
            expect[k]++;
        }
        CHECK_INT(ct_keytab_count(t, keys, OCCURRENCES), CT_OK);
        size_t n = ct_keytab_size(t);
        uint64_t *got = calloc(n ? n : 1, sizeof *got);
        if (per_document) {
            uint32_t *ids = malloc(n * sizeof *ids), *counts = malloc(n * sizeof *counts);
            CHECK_INT(ct_keytab_document_size(t), n);
            ct_keytab_take_document(t, ids, counts);
            for (size_t j = 0; j < n; j++)
                got[ids[j]] = counts[j];
            free(ids);
            free(counts);
        } else {
            ct_keytab_add_totals(t, got);
        }
        ok = 1;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t cp = (uint32_t)(ct_keytab_key(t, i) >> 42);
            uint32_t k = cp >= 0x20000 ? cp - 0x20000 : cp - 0x3400;
            if (k >= 30000 || got[i] != expect[k])
                ok = 0;
        }
        CHECK(ok);
        free(got);
        ct_keytab_free(t);
    }
    free(keys);
    free(expect);
    return check_finish();
}
