/* count.c — counting a corpus into a document-term matrix on several threads.
 *
 * Workers take documents from a shared counter; each reads, normalises and tokenises its
 * document and counts terms under ids of its own term tables (no locks on the hot path).
 * N-grams of up to three code points, and of four BMP code points — nearly every token with
 * the default 2-4 — come from the tokeniser packed into a 64-bit integer and are interned in
 * integer tables (one compare, one cache line); other tokens go through the string table.
 * A finished document becomes a row of (local id, count) pairs. When every document is
 * done, the threads' tables are merged into one vocabulary sorted in byte order, the rows
 * are translated to its ids and sorted, and the CSR matrix is assembled in corpus order —
 * so the result is the same bytes whatever the number of threads. */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/count.h"
#include "comptext/normalize.h"
#include "corpus_impl.h"
#include "matrix_impl.h"
#include "keytab.h"
#include "parallel.h"
#include "radix.h"
#include "sort.h"
#include "stopwords_impl.h"
#include "termtab.h"
#include "tokenize_keys.h"
#include "u32list.h"
#include "utf8.h"
#include "vocab_impl.h"

void ct_count_options_init(ct_count_options *o)
{
    memset(o, 0, sizeof *o);
}

int ct_default_threads(void)
{
    return ct_parallel_default_threads();
}

/* The kinds of term a worker keeps apart: terms without a packed key (in a string table),
 * and for k = 1 … CT_KEY_CHARS the packed keys of k code points (a table each). In a row, a
 * local id carries its kind in the bits above ID_MASK. */
enum { KIND_STRING = 0, N_KINDS = CT_KEY_CHARS + 1 };
#define KIND_SHIFT 29
#define ID_MASK ((1u << KIND_SHIFT) - 1)

typedef struct doc_row {
    uint32_t *ids; /* local ids of the worker that counted it, tagged by kind */
    uint32_t *counts;
    size_t n;
    int worker;
} doc_row;

typedef struct shared_state {
    const ct_corpus *corpus;
    const ct_tokenizer *tok;
    const ct_count_options *opts;
    doc_row *rows;        /* NULL: count totals only */
    ct_chunk_queue queue; /* the documents, one at a time */
} shared_state;

typedef struct worker {
    ct_key_sink sink; /* packed keys from the tokeniser, counted in keys */
    shared_state *shared;
    int index;
    ct_termtab *terms;        /* terms without a packed key */
    ct_keytab *keys[N_KINDS]; /* keys[k]: packed keys of k code points, counted (k ≥ 1) */
    uint64_t *str_counts;     /* per terms id: this document's count, or the total */
    size_t str_counts_cap;
    uint32_t *touched; /* terms ids counted in the current document (rows) */
    size_t n_touched, touched_cap;
    /* Rows: per local id of keys[k], 1 when the term is a stopword entry (the tokeniser lets
     * those through, see tokenize_keys.h); ids below checked[k] are known. */
    unsigned char *stop[N_KINDS];
    size_t checked[N_KINDS], stop_cap[N_KINDS];
} worker;

static int flush_sink(ct_key_sink *sink)
{
    worker *w = sink->ctx;
    int rc = CT_OK;
    for (int k = 1; k < N_KINDS; k++) {
        if (rc == CT_OK)
            rc = ct_keytab_count(w->keys[k], sink->keys[k - 1], sink->n[k - 1]);
        sink->n[k - 1] = 0;
    }
    return rc;
}

/* A token without a packed key: intern its text and count it. */
static int on_token(void *ctx, const ct_token *t)
{
    worker *w = ctx;
    uint32_t id;
    int rc;
    if ((rc = ct_termtab_intern(w->terms, t->text, t->len, &id, NULL)) != CT_OK)
        return rc;
    if (id > ID_MASK)
        return CT_ENOMEM; /* more than 2^29 distinct long terms in one thread */
    if (id >= w->str_counts_cap) {
        size_t cap = w->str_counts_cap ? w->str_counts_cap * 2 : 1024;
        uint64_t *c = ct_reallocarray(w->str_counts, cap, sizeof *c);
        if (!c)
            return CT_ENOMEM;
        memset(c + w->str_counts_cap, 0, (cap - w->str_counts_cap) * sizeof *c);
        w->str_counts = c;
        w->str_counts_cap = cap;
    }
    if (w->str_counts[id]++ == 0 && w->shared->rows)
        return ct_u32list_push(&w->touched, &w->n_touched, &w->touched_cap, id);
    return CT_OK;
}

/* Look up the terms of keys[kind] added since the last call in the stopword list. */
static int check_new_terms(worker *w, int kind)
{
    const ct_stopwords *sw = ct_tokenizer_get_options(w->shared->tok)->stopwords;
    size_t n = ct_keytab_size(w->keys[kind]);
    if (n > w->stop_cap[kind]) {
        size_t cap = w->stop_cap[kind] ? w->stop_cap[kind] : 1024;
        while (cap < n)
            cap *= 2;
        unsigned char *st = ct_realloc(w->stop[kind], cap);
        if (!st)
            return CT_ENOMEM;
        w->stop[kind] = st;
        w->stop_cap[kind] = cap;
    }
    for (size_t id = w->checked[kind]; id < n; id++) {
        uint64_t key = ct_keytab_key(w->keys[kind], (uint32_t)id);
        char text[16];
        w->stop[kind][id] =
            sw && (kind <= 3 ? ct_stopwords_contains_key(sw, key)
                             : ct_stopwords_contains(sw, text, ct_unpack4_utf8(key, text)));
    }
    w->checked[kind] = n;
    return CT_OK;
}

/* Turn the current document's counts into a row (without stopword entries), and reset them. */
static int finish_row(worker *w, doc_row *row)
{
    size_t n = w->n_touched;
    for (int k = 1; k < N_KINDS; k++) {
        n += ct_keytab_document_size(w->keys[k]);
        if (ct_keytab_size(w->keys[k]) > ID_MASK)
            return CT_ENOMEM; /* more than 2^29 distinct terms of one kind in one thread */
    }
    row->n = n;
    row->worker = w->index;
    row->ids = ct_malloc((n ? n : 1) * sizeof *row->ids);
    row->counts = ct_malloc((n ? n : 1) * sizeof *row->counts);
    if (!row->ids || !row->counts)
        return CT_ENOMEM;
    size_t at = w->n_touched;
    for (size_t i = 0; i < w->n_touched; i++) {
        uint32_t id = w->touched[i];
        row->ids[i] = id;
        row->counts[i] = (uint32_t)w->str_counts[id];
        w->str_counts[id] = 0;
    }
    w->n_touched = 0;
    for (int k = 1; k < N_KINDS; k++) {
        size_t m = ct_keytab_document_size(w->keys[k]);
        int rc = check_new_terms(w, k);
        if (rc != CT_OK)
            return rc;
        ct_keytab_take_document(w->keys[k], row->ids + at, row->counts + at);
        size_t kept = at;
        for (size_t i = at; i < at + m; i++)
            if (!w->stop[k][row->ids[i]]) {
                row->ids[kept] = row->ids[i] | (uint32_t)k << KIND_SHIFT;
                row->counts[kept++] = row->counts[i];
            }
        at = kept;
    }
    row->n = at;
    return CT_OK;
}

static int count_one(worker *w, size_t doc, ct_error *err)
{
    shared_state *s = w->shared;
    char *text;
    size_t len;
    /* Folding script, the tokeniser counts the text's scripts on the way (CT_READ_NOTE_SCRIPT
     * would count them in a pass of its own). */
    int script = 0;
    int rc = ct_tokenizer_get_options(s->tok)->flags & CT_TOK_FOLD_SCRIPT
                 ? ct_corpus_read_text_unscripted(s->corpus, doc, &text, &len, &script, err)
                 : ct_corpus_read_text(s->corpus, doc, &text, &len, err);
    if (rc != CT_OK)
        return rc;
    if (s->opts && s->opts->text_fn &&
        (rc = s->opts->text_fn(s->opts->text_ctx, doc, text, len)) != CT_OK) {
        ct_free(text);
        return rc;
    }
    ct_script_counts sc;
    rc = ct_tokenize_keys(s->tok, text, len, &w->sink, on_token, w, script ? &sc : NULL);
    ct_free(text);
    if (rc == CT_OK && script)
        ct_corpus_record_script(s->corpus, doc, &sc);
    if (rc == CT_OK)
        rc = flush_sink(&w->sink);
    if (rc == CT_OK && s->rows)
        rc = finish_row(w, &s->rows[doc]);
    return rc; /* after a failure the counts are stale, but this run is failing anyway */
}

static void worker_main(void *arg)
{
    worker *w = arg;
    shared_state *s = w->shared;
    size_t doc, end;
    ct_error err;
    ct_error_clear(&err);
    while (ct_chunk_queue_take(&s->queue, &doc, &end))
        if (ct_chunk_queue_finish(&s->queue, doc, 1, count_one(w, doc, &err), &err) != CT_OK)
            break;
}

static void report_progress(void *ctx, size_t done, size_t total)
{
    const shared_state *s = ctx;
    s->opts->progress(s->opts->progress_ctx, "counting", done, total);
}

/* One worker's terms of one kind in byte order, as the vocabulary is merged. */
typedef struct term_list {
    uint32_t *local; /* local ids, in byte order of their terms */
    uint64_t *keys;  /* the packed kinds: their keys, in the same order */
    size_t n, pos;
    int worker, kind;
    char buf[16];     /* the head's text, for the packed kinds */
    const char *head; /* the text of local[pos] */
    size_t head_len;
    uint64_t prefix; /* its first eight bytes, big-endian, zero-padded: a quick comparison */
} term_list;

typedef struct string_ref {
    const char *s;
    uint32_t id;
} string_ref;

static int by_string(const void *a, const void *b)
{
    return strcmp(((const string_ref *)a)->s, ((const string_ref *)b)->s);
}

static void list_head(term_list *l, const worker *w)
{
    if (l->pos == l->n) {
        l->head = NULL;
        return;
    }
    l->prefix = 0;
    if (l->kind == KIND_STRING) {
        l->head = ct_termtab_key(w->terms, l->local[l->pos], &l->head_len);
        for (size_t i = 0; i < 8; i++) /* zero-padded */
            l->prefix = l->prefix << 8 | (i < l->head_len ? (unsigned char)l->head[i] : 0);
        return;
    }
    memset(l->buf, 0, 8);
    l->head_len = l->kind <= 3 ? ct_unpack_utf8(l->keys[l->pos], l->buf)
                               : ct_unpack4_utf8(l->keys[l->pos], l->buf);
    l->head = l->buf;
    for (size_t i = 0; i < 8; i++) /* the buffer is zero-padded */
        l->prefix = l->prefix << 8 | (unsigned char)l->buf[i];
}

/* Byte order of two list heads. */
static int compare_heads(const term_list *a, const term_list *b)
{
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    return strcmp(a->head, b->head);
}

/* Put a worker's terms of one kind in byte order into l. The packed keys sort as integers:
 * code points are packed from the left with absent ones 0, so integer order is code point
 * order, which is the byte order of UTF-8. */
static int sort_kind(term_list *l, const worker *w, int kind)
{
    l->worker = w->index;
    l->kind = kind;
    l->pos = 0;
    if (kind == KIND_STRING) {
        l->n = ct_termtab_size(w->terms);
        string_ref *refs = ct_malloc((l->n ? l->n : 1) * sizeof *refs);
        l->local = ct_malloc((l->n ? l->n : 1) * sizeof *l->local);
        if (!refs || !l->local) {
            ct_free(refs);
            return CT_ENOMEM;
        }
        for (size_t i = 0; i < l->n; i++)
            refs[i] = (string_ref){ct_termtab_key(w->terms, (uint32_t)i, NULL), (uint32_t)i};
        ct_sort(refs, l->n, sizeof *refs, by_string);
        for (size_t i = 0; i < l->n; i++)
            l->local[i] = refs[i].id;
        ct_free(refs);
        list_head(l, w);
        return CT_OK;
    }
    const ct_keytab *tab = w->keys[kind];
    l->n = ct_keytab_size(tab);
    size_t m = l->n ? l->n : 1;
    uint64_t *keys = ct_malloc(m * sizeof *keys), *tmp = ct_malloc(m * sizeof *tmp);
    uint32_t *tmp_ids = ct_malloc(m * sizeof *tmp_ids);
    l->local = ct_malloc(m * sizeof *l->local);
    int rc = keys && tmp && tmp_ids && l->local ? CT_OK : CT_ENOMEM;
    if (rc == CT_OK) {
        for (size_t i = 0; i < l->n; i++) {
            keys[i] = ct_keytab_key(tab, (uint32_t)i);
            l->local[i] = (uint32_t)i;
        }
        ct_radix_sort_pairs(keys, l->local, tmp, tmp_ids, l->n);
        l->keys = keys;
        list_head(l, w);
    } else {
        ct_free(keys);
    }
    ct_free(tmp);
    ct_free(tmp_ids);
    return rc;
}

/* Sorting the term lists: list l is kind l % N_KINDS of worker l / N_KINDS. */
typedef struct list_sorting {
    worker *workers;
    term_list *lists;
    size_t n_lists, first, step;
    int rc;
} list_sorting;

static void sort_some_lists(void *arg)
{
    list_sorting *job = arg;
    job->rc = CT_OK;
    for (size_t l = job->first; l < job->n_lists && job->rc == CT_OK; l += job->step)
        job->rc = sort_kind(&job->lists[l], &job->workers[l / N_KINDS], (int)(l % N_KINDS));
}

/* Sort every worker's term lists, on as many threads as there are workers (the lists are
 * independent). */
static int sort_lists(worker *workers, int n_workers, term_list *lists, size_t n_lists)
{
    list_sorting jobs[CT_PARALLEL_MAX];
    int n_jobs = n_workers, rc = CT_OK;
    for (int t = 0; t < n_jobs; t++)
        jobs[t] = (list_sorting){workers, lists, n_lists, (size_t)t, (size_t)n_jobs, CT_OK};
    ct_parallel_run_parts(n_jobs, sort_some_lists, jobs, sizeof *jobs);
    for (int t = 0; t < n_jobs; t++)
        if (jobs[t].rc != CT_OK)
            rc = jobs[t].rc;
    return rc;
}

/* Append a term to the vocabulary being built (arena and offsets grow by doubling). */
static int vocab_append(char **arena, size_t *used, size_t *cap, size_t **offset,
                        size_t *offset_cap, size_t n, const char *term, size_t term_len)
{
    size_t len = term_len + 1;
    if (*used + len > *cap) {
        size_t c = *cap ? *cap * 2 : 1 << 16;
        while (c < *used + len)
            c *= 2;
        char *a = ct_realloc(*arena, c);
        if (!a)
            return CT_ENOMEM;
        *arena = a;
        *cap = c;
    }
    if (n + 2 > *offset_cap) {
        size_t c = *offset_cap ? *offset_cap * 2 : 1 << 14;
        size_t *o = ct_reallocarray(*offset, c, sizeof *o);
        if (!o)
            return CT_ENOMEM;
        *offset = o;
        *offset_cap = c;
    }
    (*offset)[n] = *used;
    memcpy(*arena + *used, term, term_len);
    (*arena)[*used + term_len] = '\0';
    *used += len;
    return CT_OK;
}

/* A local term that is not in the vocabulary: a stopword entry (see tokenize_keys.h). */
#define DROPPED UINT32_MAX

/* Merge the workers' terms into one vocabulary in byte order; maps[w][kind][local] receive
 * global ids, or DROPPED for the entries of the stopword list sw. Each worker's terms of
 * each kind are sorted, then the lists are merged. */
static int merge_vocab(worker *workers, int n_workers, const ct_stopwords *sw, ct_vocab **vocab,
                       uint32_t *(*maps)[N_KINDS])
{
    size_t n_lists = (size_t)n_workers * N_KINDS;
    term_list *lists = ct_calloc(n_lists, sizeof *lists);
    char *arena = NULL;
    size_t *offset = NULL, used = 0, cap = 0, offset_cap = 0, n = 0;
    int rc = lists ? CT_OK : CT_ENOMEM;
    if (rc == CT_OK)
        rc = sort_lists(workers, n_workers, lists, n_lists);
    for (size_t l = 0; l < n_lists && rc == CT_OK; l++) {
        worker *w = &workers[l / N_KINDS];
        size_t size = lists[l].n ? lists[l].n : 1;
        if (!(maps[w->index][l % N_KINDS] = ct_malloc(size * sizeof(uint32_t))))
            rc = CT_ENOMEM;
    }
    while (rc == CT_OK) {
        term_list *least = NULL;
        for (size_t l = 0; l < n_lists; l++)
            if (lists[l].head && (!least || compare_heads(&lists[l], least) < 0))
                least = &lists[l];
        if (!least)
            break;
        int keep = !sw || !(least->kind >= 1 && least->kind <= 3
                                ? ct_stopwords_contains_key(sw, least->keys[least->pos])
                                : ct_stopwords_contains(sw, least->head, least->head_len));
        if (keep && (rc = vocab_append(&arena, &used, &cap, &offset, &offset_cap, n, least->head,
                                       least->head_len)) != CT_OK)
            break;
        /* Every list whose head is this term moves on; least last, as the others are compared
         * with its head. */
        for (size_t l = 0; l < n_lists; l++) {
            term_list *t = &lists[l];
            if (t != least && t->head && compare_heads(t, least) == 0) {
                maps[t->worker][t->kind][t->local[t->pos++]] = keep ? (uint32_t)n : DROPPED;
                list_head(t, &workers[t->worker]);
            }
        }
        maps[least->worker][least->kind][least->local[least->pos++]] = keep ? (uint32_t)n : DROPPED;
        list_head(least, &workers[least->worker]);
        n += keep;
    }
    if (rc == CT_OK && !offset) { /* no terms at all */
        offset = ct_malloc(sizeof *offset);
        arena = ct_malloc(1);
        if (!offset || !arena)
            rc = CT_ENOMEM;
    }
    if (rc == CT_OK) {
        offset[n] = used;
        rc = ct_vocab_adopt(vocab, arena, offset, n);
    } else {
        ct_free(arena);
        ct_free(offset);
    }
    for (size_t l = 0; lists && l < n_lists; l++) {
        ct_free(lists[l].local);
        ct_free(lists[l].keys);
    }
    ct_free(lists);
    return rc;
}

/* The rows freed while the matrix is assembled are small heap blocks, which the C library
 * keeps instead of returning to the system, so the rows and the finished matrix would both
 * count in the peak memory. Every so often, hand the freed pages back (glibc's malloc_trim;
 * elsewhere, nothing). */
static void release_freed(size_t done, size_t total)
{
#ifdef __GLIBC__
    if (total >= 64 && (done + 1) % (total / 16 + 1) == 0)
        malloc_trim(0);
#else
    (void)done;
    (void)total;
#endif
}

/* One thread's share of the assembly: documents [first, last). */
typedef struct assembly {
    shared_state *s;
    uint32_t *(*maps)[N_KINDS];
    size_t first, last, longest;
    const size_t *row_ptr;
    uint32_t *cols;
    double *values;
    int trims; /* this share hands freed memory back to the system */
    int rc;
} assembly;

/* Translate rows [first, last) to global columns, sort them and write them into the CSR
 * arrays at row_ptr, freeing each row as it is done. */
static void assemble_share(void *arg)
{
    assembly *job = arg;
    shared_state *s = job->s;
    size_t room = job->longest ? job->longest : 1, n_docs = ct_corpus_size(s->corpus);
    uint64_t *row_cols = ct_malloc(room * sizeof *row_cols), *tmp = ct_malloc(room * sizeof *tmp);
    uint32_t *row_counts = ct_malloc(room * sizeof *row_counts);
    uint32_t *tmp_counts = ct_malloc(room * sizeof *tmp_counts);
    job->rc = row_cols && tmp && row_counts && tmp_counts ? CT_OK : CT_ENOMEM;
    for (size_t d = job->first; d < job->last && job->rc == CT_OK; d++) {
        doc_row *r = &s->rows[d];
        for (size_t i = 0; i < r->n; i++) {
            uint32_t id = r->ids[i];
            row_cols[i] = job->maps[r->worker][id >> KIND_SHIFT][id & ID_MASK];
            row_counts[i] = r->counts[i];
            if (row_cols[i] == DROPPED)
                job->rc = CT_EINVAL; /* rows hold no stopword entries (finish_row) */
        }
        ct_radix_sort_pairs(row_cols, row_counts, tmp, tmp_counts, r->n);
        size_t k = job->row_ptr[d];
        for (size_t i = 0; i < r->n; i++, k++) {
            job->cols[k] = (uint32_t)row_cols[i];
            job->values[k] = row_counts[i];
        }
        ct_free(r->ids);
        ct_free(r->counts);
        r->ids = NULL;
        r->counts = NULL;
        if (job->trims)
            release_freed(d, n_docs);
    }
    ct_free(row_cols);
    ct_free(tmp);
    ct_free(row_counts);
    ct_free(tmp_counts);
}

/* Assemble the CSR matrix from the rows on n_threads threads, each taking a contiguous share
 * of about equal size; the result does not depend on the split. */
static int assemble(shared_state *s, uint32_t *(*maps)[N_KINDS], ct_vocab *vocab, int n_threads,
                    ct_matrix **out)
{
    size_t n_docs = ct_corpus_size(s->corpus), nnz = 0;
    size_t *row_ptr = ct_malloc((n_docs + 1) * sizeof *row_ptr);
    const char **ids = ct_malloc((n_docs ? n_docs : 1) * sizeof *ids);
    if (!row_ptr || !ids) {
        ct_free(row_ptr);
        ct_free(ids);
        return CT_ENOMEM;
    }
    for (size_t d = 0; d < n_docs; d++) {
        row_ptr[d] = nnz;
        nnz += s->rows[d].n;
        ids[d] = ct_corpus_id(s->corpus, d);
    }
    row_ptr[n_docs] = nnz;
    uint32_t *cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    double *values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    assembly jobs[CT_PARALLEL_MAX];
    int rc = cols && values ? CT_OK : CT_ENOMEM;
    if (n_threads < 1)
        n_threads = 1;
    size_t d = 0;
    for (int t = 0; rc == CT_OK && t < n_threads; t++) {
        size_t last = d, longest = 0;
        size_t share_end = nnz / (size_t)n_threads * (size_t)(t + 1);
        while (last < n_docs && (t == n_threads - 1 || row_ptr[last] < share_end)) {
            if (s->rows[last].n > longest)
                longest = s->rows[last].n;
            last++;
        }
        jobs[t] = (assembly){s, maps, d, last, longest, row_ptr, cols, values, t == 0, CT_OK};
        d = last;
    }
    if (rc == CT_OK) {
        ct_parallel_run_parts(n_threads, assemble_share, jobs, sizeof *jobs);
        for (int t = 0; t < n_threads; t++)
            if (jobs[t].rc != CT_OK)
                rc = jobs[t].rc;
    }
    if (rc == CT_OK)
        rc = ct_matrix_new(out, n_docs, vocab, row_ptr, cols, values, ids);
    else {
        ct_free(row_ptr);
        ct_free(cols);
        ct_free(values);
    }
    ct_free(ids);
    return rc;
}

/* Sum the workers' counts into totals[global id]. */
static int add_totals(worker *workers, int n_workers, uint32_t *(*maps)[N_KINDS], uint64_t *totals)
{
    for (int k = 0; k < n_workers; k++) {
        worker *w = &workers[k];
        for (size_t i = 0; i < ct_termtab_size(w->terms); i++)
            if (maps[k][KIND_STRING][i] != DROPPED)
                totals[maps[k][KIND_STRING][i]] += w->str_counts[i];
        for (int kind = 1; kind < N_KINDS; kind++) {
            const ct_keytab *tab = w->keys[kind];
            size_t n = ct_keytab_size(tab);
            uint64_t *local = ct_calloc(n ? n : 1, sizeof *local);
            if (!local)
                return CT_ENOMEM;
            ct_keytab_add_totals(tab, local);
            for (size_t i = 0; i < n; i++)
                if (maps[k][kind][i] != DROPPED)
                    totals[maps[k][kind][i]] += local[i];
            ct_free(local);
        }
    }
    return CT_OK;
}

/* Count the corpus on the threads: rows (when rows is non-NULL) or totals, and the vocabulary. */
static int count_with_workers(const ct_corpus *corpus, const ct_tokenizer *tok,
                              const ct_count_options *opts, doc_row *rows, ct_vocab **vocab,
                              ct_matrix **matrix, uint64_t **totals, ct_error *err)
{
    size_t n_docs = ct_corpus_size(corpus);
    if (n_docs == 0) {
        ct_error_set(err, NULL, 0, -1, "the corpus has no documents");
        return CT_EEMPTY;
    }
    int rc = ct_corpus_prepare(corpus, err);
    if (rc != CT_OK)
        return rc;
    int n_threads = ct_parallel_workers(opts ? opts->threads : 0, n_docs, CT_PARALLEL_MAX);
    shared_state s = {.corpus = corpus, .tok = tok, .opts = opts, .rows = rows};
    ct_chunk_queue_init(&s.queue, n_docs, 1, opts && opts->progress ? report_progress : NULL, &s);
    worker workers[CT_PARALLEL_MAX];
    memset(workers, 0, sizeof workers);
    uint32_t *maps[CT_PARALLEL_MAX][N_KINDS];
    memset(maps, 0, sizeof maps);
    for (int k = 0; k < n_threads; k++) {
        workers[k].shared = &s;
        workers[k].index = k;
        workers[k].sink.flush = flush_sink;
        workers[k].sink.ctx = &workers[k];
        if ((rc = ct_termtab_new(&workers[k].terms)) != CT_OK)
            goto cleanup;
        for (int kind = 1; kind < N_KINDS; kind++) {
            if ((rc = ct_keytab_new(&workers[k].keys[kind])) != CT_OK)
                goto cleanup;
            if (rows)
                ct_keytab_track_documents(workers[k].keys[kind]);
            if (kind == 1 && (rc = ct_keytab_index_code_points(workers[k].keys[kind])) != CT_OK)
                goto cleanup;
        }
    }
    ct_parallel_run_parts(n_threads, worker_main, workers, sizeof *workers);
    if ((rc = s.queue.rc) != CT_OK) {
        if (err)
            *err = s.queue.err;
        goto cleanup;
    }
    rc = merge_vocab(workers, n_threads, ct_tokenizer_get_options(tok)->stopwords, vocab, maps);
    if (rc == CT_OK && rows)
        rc = assemble(&s, maps, *vocab, n_threads, matrix);
    if (rc == CT_OK && totals) {
        size_t n = ct_vocab_size(*vocab);
        *totals = ct_calloc(n ? n : 1, sizeof **totals);
        rc = *totals ? add_totals(workers, n_threads, maps, *totals) : CT_ENOMEM;
    }
cleanup:
    for (int k = 0; k < n_threads; k++) {
        ct_termtab_free(workers[k].terms);
        for (int kind = 1; kind < N_KINDS; kind++)
            ct_keytab_free(workers[k].keys[kind]);
        ct_free(workers[k].str_counts);
        ct_free(workers[k].touched);
        for (int kind = 0; kind < N_KINDS; kind++) {
            ct_free(maps[k][kind]);
            ct_free(workers[k].stop[kind]);
        }
    }
    ct_chunk_queue_destroy(&s.queue);
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, NULL, 0, -1, "out of memory");
    return rc;
}

int ct_count_corpus(ct_matrix **out, const ct_corpus *corpus, const ct_tokenizer *tok,
                    const ct_count_options *opts, ct_error *err)
{
    *out = NULL;
    ct_error_clear(err);
    size_t n_docs = ct_corpus_size(corpus);
    doc_row *rows = ct_calloc(n_docs ? n_docs : 1, sizeof *rows);
    ct_vocab *vocab = NULL;
    int rc = rows ? count_with_workers(corpus, tok, opts, rows, &vocab, out, NULL, err) : CT_ENOMEM;
    for (size_t d = 0; rows && d < n_docs; d++) {
        ct_free(rows[d].ids);
        ct_free(rows[d].counts);
    }
    ct_free(rows);
    ct_vocab_unref(vocab); /* the matrix holds its own reference */
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, NULL, 0, -1, "out of memory");
    return rc;
}

int ct_count_totals(ct_vocab **vocab, uint64_t **totals, const ct_corpus *corpus,
                    const ct_tokenizer *tok, const ct_count_options *opts, ct_error *err)
{
    *vocab = NULL;
    *totals = NULL;
    ct_error_clear(err);
    int rc = count_with_workers(corpus, tok, opts, NULL, vocab, NULL, totals, err);
    if (rc != CT_OK) {
        ct_vocab_unref(*vocab);
        ct_free(*totals);
        *vocab = NULL;
        *totals = NULL;
    }
    return rc;
}
