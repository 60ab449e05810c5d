/* reuse_align.c — text reuse, second half: local alignment of a candidate region with affine
 * gaps through parasail's SIMD Smith–Waterman (reuse_impl.h).
 *
 * parasail aligns byte sequences under a substitution matrix, so the code points of the two
 * ranges are mapped to a small alphabet for each alignment: a character found in both ranges
 * gets its own symbol (1..253, in order of first appearance), a character found in only one
 * range cannot match anything and gets the next symbol (in a) or the one after (in b); the
 * smallest matrix that holds them is used, since parasail's query profile costs the alphabet
 * size times the length (with a fixed 255-symbol alphabet it took most of the time). Ranges of at
 * most a few hundred characters rarely share more than 253 characters; when they do, the rest share
 * symbols by code point, which can at worst steer the path: matches, identity and the reported span
 * are counted on the real code points along parasail's CIGAR. The striped 16-bit kernel is used,
 * and the 32-bit one when the score saturates. Without parasail (meson -Dparasail=disabled, or not
 * installed) reuse_aligner_new fails with a message. */
#include <stdlib.h>
#include <string.h>

#include "ct_config.h"
#include "comptext/alloc.h"
#include "reuse_impl.h"

#if CT_HAVE_PARASAIL
#include <parasail.h>

/* Scores: +2 a match, -3 a substitution, a gap 5 to open and 2 a character to extend; an
 * alignment at 60 % identity scores about zero, so local alignments stop where reuse ends. */
#define MATCH 2
#define MISMATCH (-3)
#define GAP_OPEN 5
#define GAP_EXTEND 2

/* Matrices over the alphabets 1..16, 1..32, …, 1..255: an alignment uses the smallest that
 * holds its symbols, since parasail's query profile costs the alphabet size times the length. */
#define N_MATRICES 5
static const int matrix_size[N_MATRICES] = {16, 32, 64, 128, 255};

struct reuse_aligner {
    parasail_matrix_t *matrix[N_MATRICES];
};

int reuse_aligner_new(reuse_aligner **out, ct_error *err)
{
    (void)err;
    *out = NULL;
    reuse_aligner *al = ct_calloc(1, sizeof *al);
    if (!al)
        return CT_ENOMEM;
    char alphabet[256];
    for (int k = 0; k < N_MATRICES; k++) {
        for (int i = 0; i < matrix_size[k]; i++)
            alphabet[i] = (char)(i + 1);
        alphabet[matrix_size[k]] = '\0';
        al->matrix[k] = parasail_matrix_create_case_sensitive(alphabet, MATCH, MISMATCH);
        if (!al->matrix[k]) {
            reuse_aligner_free(al);
            return CT_ENOMEM;
        }
    }
    *out = al;
    return CT_OK;
}

void reuse_aligner_free(reuse_aligner *al)
{
    if (!al)
        return;
    for (int k = 0; k < N_MATRICES; k++)
        if (al->matrix[k])
            parasail_matrix_free(al->matrix[k]);
    ct_free(al);
}

/* A small open-addressing table: code point → seen in a (1), in b (2), symbol. */
typedef struct slot {
    uint32_t cp;
    uint8_t used, where, sym;
} slot;

static slot *lookup(slot *t, size_t mask, uint32_t cp)
{
    size_t i = (cp * 2654435761u) & mask;
    while (t[i].used && t[i].cp != cp)
        i = (i + 1) & mask;
    return &t[i];
}

int reuse_align_region(const reuse_aligner *al, const reuse_doc *docs, const reuse_region *r,
                       reuse_align *out)
{
    memset(out, 0, sizeof *out);
    const uint32_t *ca = docs[r->a].cp + r->a0, *cb = docs[r->b].cp + r->b0;
    size_t n = r->a1 - r->a0, m = r->b1 - r->b0, size = 64;
    while (size < 2 * (n + m))
        size *= 2;
    slot *t = ct_calloc(size, sizeof *t);
    char *sa = ct_malloc(n + 1), *sb = ct_malloc(m + 1);
    int rc = CT_OK;
    parasail_result_t *res = NULL;
    parasail_cigar_t *cig = NULL;
    if (!t || !sa || !sb) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        slot *s = lookup(t, size - 1, ca[i]);
        s->used = 1;
        s->cp = ca[i];
        s->where |= 1;
    }
    for (size_t j = 0; j < m; j++) {
        slot *s = lookup(t, size - 1, cb[j]);
        s->used = 1;
        s->cp = cb[j];
        s->where |= 2;
    }
    unsigned next = 1;
    for (size_t i = 0; i < n; i++) {
        slot *s = lookup(t, size - 1, ca[i]);
        if (s->where == 3 && !s->sym)
            s->sym = next <= 253 ? (uint8_t)next++ : (uint8_t)(1 + ca[i] % 253);
    }
    /* Symbols 1..next-1 are shared characters; next is "only in a", next + 1 "only in b". */
    int mk = 0;
    while (matrix_size[mk] < (int)next + 1)
        mk++;
    const parasail_matrix_t *matrix = al->matrix[mk];
    for (size_t i = 0; i < n; i++) {
        slot *s = lookup(t, size - 1, ca[i]);
        sa[i] = (char)(s->where == 3 ? s->sym : next);
    }
    for (size_t j = 0; j < m; j++) {
        slot *s = lookup(t, size - 1, cb[j]);
        sb[j] = (char)(s->where == 3 ? s->sym : next + 1);
    }
    res = parasail_sw_trace_scan_16(sa, (int)n, sb, (int)m, GAP_OPEN, GAP_EXTEND, matrix);
    if (res && parasail_result_is_saturated(res)) {
        parasail_result_free(res);
        res = parasail_sw_trace_scan_32(sa, (int)n, sb, (int)m, GAP_OPEN, GAP_EXTEND, matrix);
    }
    if (!res) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    int score = parasail_result_get_score(res);
    if (score <= 0)
        goto cleanup;
    cig = parasail_result_get_cigar(res, sa, (int)n, sb, (int)m, matrix);
    if (!cig) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    /* Walk the CIGAR on the real code points: '=', 'X' (and 'M') consume both ranges, 'I'
     * the first (query), 'D' the second (reference). The passage runs from the first to the
     * last real match: parasail's CIGAR can start with gaps (seen on short ranges), and a
     * symbol shared by overflow could make an end match that is not one. */
    size_t i = (size_t)cig->beg_query, j = (size_t)cig->beg_ref, columns = 0, matches = 0;
    size_t fi = 0, fj = 0, li = 0, lj = 0, first_col = 0, last_col = 0;
    int found = 0;
    for (int c = 0; c < cig->len; c++) {
        char op = parasail_cigar_decode_op(cig->seq[c]);
        uint32_t len = parasail_cigar_decode_len(cig->seq[c]);
        for (uint32_t l = 0; l < len; l++) {
            if (op == 'I')
                i++;
            else if (op == 'D')
                j++;
            else if (i < n && j < m) {
                if (ca[i] == cb[j]) {
                    if (!found) {
                        found = 1;
                        fi = i;
                        fj = j;
                        first_col = columns;
                    }
                    matches++;
                    li = i + 1;
                    lj = j + 1;
                    last_col = columns + 1;
                }
                i++;
                j++;
            }
            columns++;
        }
    }
    if (!found || li > n || lj > m)
        goto cleanup;
    out->a = r->a;
    out->b = r->b;
    out->a0 = r->a0 + (uint32_t)fi;
    out->a1 = r->a0 + (uint32_t)li;
    out->b0 = r->b0 + (uint32_t)fj;
    out->b1 = r->b0 + (uint32_t)lj;
    out->columns = (uint32_t)(last_col - first_col);
    out->matches = (uint32_t)matches;
    out->score = score;
    out->valid = 1;
    out->cont_prev = r->cont_prev;
    out->cont_next = r->cont_next;
cleanup:
    if (cig)
        parasail_cigar_free(cig);
    if (res)
        parasail_result_free(res);
    ct_free(t);
    ct_free(sa);
    ct_free(sb);
    return rc;
}

#else /* no parasail */

struct reuse_aligner {
    int unused;
};

int reuse_aligner_new(reuse_aligner **out, ct_error *err)
{
    *out = NULL;
    ct_error_set(err, NULL, 0, -1,
                 "reuse needs parasail, and comptext was built without it (install "
                 "libparasail-dev and rebuild with -Dparasail=enabled)");
    return CT_EINVAL;
}

void reuse_aligner_free(reuse_aligner *al)
{
    (void)al;
}

int reuse_align_region(const reuse_aligner *al, const reuse_doc *docs, const reuse_region *r,
                       reuse_align *out)
{
    (void)al;
    (void)docs;
    (void)r;
    memset(out, 0, sizeof *out);
    return CT_EINVAL;
}
#endif
