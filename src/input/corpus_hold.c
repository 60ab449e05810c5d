/* corpus_hold.c — holding a corpus's texts in memory while an analysis passes over them
 * several times (corpus_hold.h).
 *
 * A corpus reads a text from its source whenever it is asked (comptext/corpus.h), which keeps
 * its memory to the documents; but compare passes over the texts three times with chrome
 * removal on (learning the repeated lines, term discovery, counting), and reading — opening
 * files, decoding, extracting DOCX and PDF text, parsing JSON strings — is what a large
 * corpus spends its time on. ct_corpus_hold_texts reads every text once, on the threads
 * (parallel.h's queue, so the error reported is that of the first failing document whatever
 * the threads, as in a pass of one thread), learns the chrome model from the texts in memory
 * in corpus order, blanks each text's chrome once and records its counts, exactly as
 * ct_corpus_read_text would; later reads copy the held text. A held text is the decoded text,
 * so holding costs about the corpus's size in UTF-8; term discovery, which holds every
 * normalised text and a suffix array of several words a character, needs many times more.
 * Texts beyond the budget are not held (the first ones read are, in corpus order as the
 * queue hands them out) and are read from their source as before; the results are the same
 * bytes either way, only the reading differs. The hold is counted, so that two analyses of
 * one corpus on two threads may hold it at once; the texts go with the last release. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "corpus_hold.h"
#include "corpus_impl.h"
#include "parallel.h"

void ct_held_free(ct_held *h)
{
    if (!h)
        return;
    if (h->block)
        ct_free(h->block);
    else
        for (size_t d = 0; d < h->n; d++)
            ct_free(h->text[d]);
    ct_free(h->text);
    ct_free(h->len);
    ct_free(h);
}

size_t ct_corpus_hold_default_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    size_t quarter = pages > 0 && size > 0 ? (size_t)pages / 4 * (size_t)size : 0;
    size_t floor = (size_t)256 << 20;
    return quarter > floor ? quarter : floor;
}

typedef struct hold_job {
    const ct_corpus *c;
    ct_held *h;
    size_t budget, total; /* total: bytes held so far (atomic) */
    int full;             /* the budget is spent: read no more (atomic) */
    int strip;            /* second pass: blank the chrome of the held texts */
    ct_chunk_queue queue;
} hold_job;

static int read_one(hold_job *j, size_t d, ct_error *err)
{
    if (__atomic_load_n(&j->full, __ATOMIC_RELAXED))
        return CT_OK;
    int rc = ct_corpus_read_raw(j->c, &j->c->docs[d], &j->h->text[d], &j->h->len[d], err);
    if (rc != CT_OK)
        return rc;
    size_t total = __atomic_add_fetch(&j->total, j->h->len[d] + 1, __ATOMIC_RELAXED);
    if (total >= j->budget)
        __atomic_store_n(&j->full, 1, __ATOMIC_RELAXED);
    return CT_OK;
}

/* Blank the chrome of a held text and record its counts, as ct_corpus_read_text does. */
static int strip_one(hold_job *j, size_t d)
{
    if (!j->h->text[d])
        return CT_OK;
    size_t lines, chars;
    int rc = ct_chrome_strip(j->c->lazy->chrome, j->h->text[d], j->h->len[d], &lines, &chars);
    if (rc != CT_OK)
        return rc;
    ct_doc *doc = &j->c->docs[d];
    __atomic_store_n(&doc->chrome_lines, lines, __ATOMIC_RELAXED);
    __atomic_store_n(&doc->chrome_chars, chars, __ATOMIC_RELAXED);
    __atomic_store_n(&doc->chrome_known, 1, __ATOMIC_RELEASE);
    return CT_OK;
}

static void hold_main(void *arg, int worker)
{
    hold_job *j = arg;
    size_t d, end;
    ct_error e;
    ct_error_clear(&e);
    (void)worker;
    while (ct_chunk_queue_take(&j->queue, &d, &end)) {
        int rc = j->strip ? strip_one(j, d) : read_one(j, d, &e);
        if (rc == CT_ENOMEM && !e.text[0])
            ct_error_set(&e, j->c->docs[d].source, 0, -1,
                         "out of memory while reading this document");
        if (ct_chunk_queue_finish(&j->queue, d, 1, rc, &e) != CT_OK)
            break;
    }
}

/* Move the texts into one block: the threads read them into their own malloc arenas, where
 * texts freed later leave holes the next steps do not always fill (two threads on the shared
 * JSON Lines: about 10 MB more at the peak); one block goes back to the system whole. When
 * the block cannot be had, the texts stay where they are. */
static void pack(ct_held *h, size_t total)
{
    char *block = ct_malloc(total ? total : 1);
    if (!block)
        return;
    size_t at = 0;
    for (size_t d = 0; d < h->n; d++) {
        if (!h->text[d])
            continue;
        memcpy(block + at, h->text[d], h->len[d] + 1);
        ct_free(h->text[d]);
        h->text[d] = block + at;
        at += h->len[d] + 1;
    }
    h->block = block;
}

static int pass(hold_job *j, int threads, int strip, ct_error *err)
{
    j->strip = strip;
    ct_chunk_queue_init(&j->queue, j->h->n, 1, NULL, NULL);
    ct_parallel_run(ct_parallel_workers(threads, j->h->n, CT_PARALLEL_MAX), hold_main, j);
    int rc = j->queue.rc;
    if (rc != CT_OK && err)
        *err = j->queue.err;
    ct_chunk_queue_destroy(&j->queue);
    return rc;
}

int ct_corpus_hold_texts(const ct_corpus *c, size_t budget, int threads, ct_error *err)
{
    ct_corpus_lazy *lazy = c->lazy;
    hold_job j = {.c = c, .budget = budget ? budget : ct_corpus_hold_default_budget()};
    int rc = CT_OK, strip = (c->opts.flags & CT_READ_STRIP_CHROME) != 0;
    pthread_mutex_lock(&lazy->lock);
    lazy->hold_refs++;
    if (__atomic_load_n(&lazy->held, __ATOMIC_ACQUIRE) || !c->n_docs)
        goto done; /* held already (by another analysis), or nothing to hold */
    if (!(j.h = ct_calloc(1, sizeof *j.h)) || !(j.h->text = ct_calloc(c->n_docs, sizeof(char *))) ||
        !(j.h->len = ct_calloc(c->n_docs, sizeof(size_t)))) {
        rc = CT_ENOMEM;
        goto failed;
    }
    j.h->n = c->n_docs;
    if ((rc = pass(&j, threads, 0, err)) != CT_OK)
        goto failed;
    pack(j.h, j.total);
    /* The chrome model from the held texts (those beyond the budget read from their source),
     * then each held text stripped with it. */
    if (strip && (rc = ct_corpus_prepare_locked(c, j.h, err)) != CT_OK)
        goto failed;
    if (strip && lazy->chrome && (rc = pass(&j, threads, 1, err)) != CT_OK)
        goto failed;
    __atomic_store_n(&lazy->held, j.h, __ATOMIC_RELEASE);
    goto done;
failed:
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, NULL, 0, -1, "out of memory while holding the texts");
    ct_held_free(j.h);
    lazy->hold_refs--;
done:
    pthread_mutex_unlock(&lazy->lock);
    return rc;
}

void ct_corpus_release_texts(const ct_corpus *c)
{
    ct_corpus_lazy *lazy = c->lazy;
    pthread_mutex_lock(&lazy->lock);
    if (lazy->hold_refs && --lazy->hold_refs == 0)
        ct_held_free(__atomic_exchange_n(&lazy->held, NULL, __ATOMIC_ACQ_REL));
    pthread_mutex_unlock(&lazy->lock);
}
