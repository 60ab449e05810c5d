/* term_containment.c — in how many rows of a count matrix each term occurs in any form:
 * counted itself, or inside a longer term of the vocabulary that contains it. A segmented
 * corpus counts 社会主义 only where it is a segment of its own; inside 社会主义现代化建设 or
 * 建设有中国特色社会主义 it is not a column of the row, although the row uses it. The
 * document frequency in any form is what tells the corpus's common vocabulary (a term every
 * report uses somehow) from a theme (themes.c, common_share).
 *
 * The vocabulary's containment is found once: every substring of a term (by characters, of
 * terms up to CONTAINMENT_MAX_CHARS long) that is a term of the vocabulary is listed under
 * it. Then each row is visited: every term it counts, and every term inside it, is stamped
 * with the row, and counted when first stamped. The cost is the row entries times the terms
 * inside each, at most CONTAINMENT_MAX_CHARS² / 2 and a few for discovered terms; the counts
 * of the rows of a part of a matrix (a rank's share) add up to those of the whole.
 *
 * "Inside" is by characters, as term discovery counts occurrences: 中国 is inside
 * 发展中国家 although the longer term's words are 发展中 and 国家: a count can be too high,
 * never too low, so the rule it serves may leave out a term a little less common than
 * common_share says, and never keeps one that is common. */
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "comptext/vocab.h"
#include "matrix_impl.h"
#include "themes_impl.h"

/* Longer terms are counted for themselves only (their substrings are not looked up): the
 * terms of discovery are at most CT_TERMS_LEN_LIMIT characters, n-grams shorter still. */
#define CONTAINMENT_MAX_CHARS 32

/* Byte offsets of the characters of text (UTF-8 lead bytes) and its end, at[0..n]; n the
 * characters, or cap + 1 when there are more than cap. */
static size_t char_starts(const char *text, size_t *at, size_t cap)
{
    size_t n = 0, i = 0;
    for (; text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80) {
            if (n == cap)
                return cap + 1; /* too long */
            at[n++] = i;
        }
    at[n] = i;
    return n;
}

/* For each term, the other terms of the vocabulary inside it: ids inner[off[u] .. off[u+1]). */
static int inner_terms(const ct_vocab *v, size_t V, size_t **off_out, uint32_t **inner_out)
{
    size_t *off = ct_calloc(V + 1, sizeof *off), cap = V ? V : 1, used = 0;
    uint32_t *inner = ct_malloc(cap * sizeof *inner);
    size_t at[CONTAINMENT_MAX_CHARS + 1];
    if (!off || !inner) {
        ct_free(off);
        ct_free(inner);
        return CT_ENOMEM;
    }
    for (size_t u = 0; u < V; u++) {
        const char *text = ct_vocab_term(v, (uint32_t)u);
        size_t n = char_starts(text, at, CONTAINMENT_MAX_CHARS);
        for (size_t a = 0; n <= CONTAINMENT_MAX_CHARS && a < n; a++)
            for (size_t b = a + 1; b <= n; b++) {
                uint32_t id;
                if ((a == 0 && b == n) ||
                    ct_vocab_find(v, text + at[a], at[b] - at[a], &id) != CT_OK)
                    continue;
                if (used == cap) {
                    uint32_t *grown = ct_reallocarray(inner, cap * 2, sizeof *inner);
                    if (!grown) {
                        ct_free(off);
                        ct_free(inner);
                        return CT_ENOMEM;
                    }
                    inner = grown;
                    cap *= 2;
                }
                inner[used++] = id;
            }
        off[u + 1] = used;
    }
    *off_out = off;
    *inner_out = inner;
    return CT_OK;
}

int themes_rows_in_any_form(const ct_matrix *m, uint32_t **out)
{
    *out = NULL;
    const ct_vocab *v = ct_matrix_vocab(m);
    size_t V = ct_matrix_cols(m), *off = NULL;
    uint32_t *inner = NULL;
    uint32_t *rows_using = ct_calloc(V ? V : 1, sizeof *rows_using);
    size_t *stamp = ct_calloc(V ? V : 1, sizeof *stamp);
    int rc = rows_using && stamp ? inner_terms(v, V, &off, &inner) : CT_ENOMEM;
    for (size_t r = 0; rc == CT_OK && r < m->rows; r++)
        for (size_t e = m->row_ptr[r]; e < m->row_ptr[r + 1]; e++) {
            uint32_t u = m->cols[e];
            if (!(m->values[e] > 0))
                continue;
            if (stamp[u] != r + 1) {
                stamp[u] = r + 1;
                rows_using[u]++;
            }
            for (size_t k = off[u]; k < off[u + 1]; k++)
                if (stamp[inner[k]] != r + 1) {
                    stamp[inner[k]] = r + 1;
                    rows_using[inner[k]]++;
                }
        }
    ct_free(off);
    ct_free(inner);
    ct_free(stamp);
    if (rc != CT_OK) {
        ct_free(rows_using);
        return rc;
    }
    *out = rows_using;
    return CT_OK;
}
