/* kwic.c — keyword in context over normalised text (comptext/kwic.h).
 *
 * Each document is read and normalised with its origin map; the normalised term is found
 * with memmem (UTF-8 is self-synchronising, so a match of valid UTF-8 always starts on a
 * character boundary), restarting one character after each match start so overlapping
 * occurrences are all found. Character offsets into the original text are counted
 * incrementally, since matches come in increasing order, so a document costs one pass.
 * The search over a normalised text is public on its own, so that a caller holding the
 * text already (comptext/compare.h, during counting) does not read it again. */
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/kwic.h"
#include "comptext/normalize.h"

static inline int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Start of the character n characters before pos (not before 0). */
static size_t back_chars(const char *s, size_t pos, size_t n)
{
    while (n-- > 0 && pos > 0) {
        pos--;
        while (pos > 0 && is_cont((unsigned char)s[pos]))
            pos--;
    }
    return pos;
}

/* End of the character n characters after pos (not past len). */
static size_t fwd_chars(const char *s, size_t len, size_t pos, size_t n)
{
    while (n-- > 0 && pos < len) {
        pos++;
        while (pos < len && is_cont((unsigned char)s[pos]))
            pos++;
    }
    return pos;
}

/* The term normalised with flags; CT_EINVAL when it is empty or only white space. */
static int prepare_needle(const char *term, unsigned flags, char **needle, size_t *nlen,
                          ct_error *err)
{
    int rc = ct_normalize(term, strlen(term), flags, needle, nlen, NULL);
    if (rc == CT_EENCODING)
        ct_error_set(err, NULL, 0, -1, "the term is not valid UTF-8");
    if (rc != CT_OK)
        return rc;
    /* Empty, or only spaces (ASCII white space, U+3000): nothing to look for. */
    size_t blank = 0;
    while (blank < *nlen) {
        if (strchr(" \t\n\r\v\f", (*needle)[blank]) && (*needle)[blank])
            blank++;
        else if (*nlen - blank >= 3 && memcmp(*needle + blank, "\xe3\x80\x80", 3) == 0)
            blank += 3;
        else
            break;
    }
    if (blank == *nlen) {
        ct_free(*needle);
        *needle = NULL;
        return CT_EINVAL;
    }
    return CT_OK;
}

int ct_kwic_search_normalized(const char *text, const char *norm, size_t norm_len,
                              const size_t *origin, size_t doc, const char *needle, size_t nlen,
                              size_t window, ct_kwic_fn fn, void *ctx)
{
    if (nlen == 0)
        return CT_EINVAL;
    /* A window of w characters is at most 4w bytes of UTF-8. */
    size_t cap = window * 4 + 1;
    char *left = ct_malloc(cap), *right = ct_malloc(cap), *mid = ct_malloc(nlen + 1);
    int rc = CT_OK;
    if (!left || !right || !mid) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    size_t counted_bytes = 0, counted_chars = 0, from = 0;
    while (rc == CT_OK && from + nlen <= norm_len) {
        const char *hit = memmem(norm + from, norm_len - from, needle, nlen);
        if (!hit)
            break;
        size_t at = (size_t)(hit - norm), end = at + nlen;
        size_t ob = origin[at];
        for (; counted_bytes < ob; counted_bytes++)
            counted_chars += !is_cont((unsigned char)text[counted_bytes]);
        size_t ls = back_chars(norm, at, window), re = fwd_chars(norm, norm_len, end, window);
        memcpy(left, norm + ls, at - ls);
        left[at - ls] = '\0';
        memcpy(right, norm + end, re - end);
        right[re - end] = '\0';
        memcpy(mid, norm + at, nlen);
        mid[nlen] = '\0';
        ct_kwic_hit h = {doc, counted_chars, ob, left, mid, right};
        rc = fn(ctx, &h);
        from = fwd_chars(norm, norm_len, at, 1);
    }
cleanup:
    ct_free(left);
    ct_free(right);
    ct_free(mid);
    return rc;
}

int ct_kwic_search_docs(const ct_corpus *corpus, const size_t *docs, size_t n_docs,
                        const char *term, size_t window, unsigned flags, ct_kwic_fn fn, void *ctx,
                        ct_error *err)
{
    char *needle = NULL;
    size_t nlen;
    int rc = prepare_needle(term, flags, &needle, &nlen, err);
    if (rc != CT_OK)
        return rc;
    size_t n = docs ? n_docs : ct_corpus_size(corpus);
    for (size_t q = 0; q < n && rc == CT_OK; q++) {
        size_t d = docs ? docs[q] : q;
        char *text = NULL, *norm = NULL;
        size_t len, norm_len, *origin = NULL;
        if ((rc = ct_corpus_read_text(corpus, d, &text, &len, err)) != CT_OK)
            break;
        rc = ct_normalize(text, len, flags, &norm, &norm_len, &origin);
        if (rc == CT_EENCODING)
            ct_error_set(err, ct_corpus_source(corpus, d), 0, -1, "invalid UTF-8");
        if (rc == CT_OK)
            rc = ct_kwic_search_normalized(text, norm, norm_len, origin, d, needle, nlen, window,
                                           fn, ctx);
        ct_free(text);
        ct_free(norm);
        ct_free(origin);
    }
    ct_free(needle);
    return rc;
}

int ct_kwic_search(const ct_corpus *corpus, const char *term, size_t window, unsigned flags,
                   ct_kwic_fn fn, void *ctx, ct_error *err)
{
    return ct_kwic_search_docs(corpus, NULL, 0, term, window, flags, fn, ctx, err);
}
