/* segment.c — segmenting the runs into the kept terms, and counting the segments.
 *
 * Term occurrences overlap (五年, 计划 and 五年计划 all occur in 五年计划), and counting every
 * one would credit a fragment with the whole term's frequency. So each run is segmented into
 * kept terms and single characters along its most probable path under a unigram model — a
 * term costs ln f(term) − ln Z, a character outside any term ln f(char) − ln Z, ties going to
 * the first path found — by dynamic programming over the positions where terms start, and a
 * term is counted once per segment it forms: 五年计划 counts as one 五年计划, not also as 五年
 * and 计划. The occurrences of the kept terms (their suffix-array ranges) are first listed by
 * position. A first pass segments without counting, to drop the candidates that seldom form
 * a segment of their own and those that are a function character glued to another term; the
 * second pass counts, row by row, into the documents × terms matrix, whose vocabulary is the
 * terms that form at least one segment, in byte order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "comptext/alloc.h"
#include "comptext/vocab.h"
#include "stopwords_impl.h"
#include "terms_impl.h"
#include "sort.h"

typedef struct seg {
    uint32_t *starts;         /* per position: bit m set when a kept term of m characters starts */
    uint32_t *off, *ids;      /* per position: the ids of the terms starting there (CSR) */
    const unsigned char *len; /* per id: length in characters */
    double *best_s;
    unsigned char *back;
    uint32_t *back_id;
    size_t cap;
} seg;

static int seg_reserve(seg *sg, size_t n)
{
    if (n + 1 <= sg->cap)
        return CT_OK;
    size_t cap = sg->cap ? sg->cap : 256;
    while (cap < n + 1)
        cap *= 2;
    double *b = ct_reallocarray(sg->best_s, cap, sizeof *b);
    if (b)
        sg->best_s = b;
    unsigned char *c = ct_realloc(sg->back, cap);
    if (c)
        sg->back = c;
    uint32_t *d = ct_reallocarray(sg->back_id, cap, sizeof *d);
    if (d)
        sg->back_id = d;
    if (!b || !c || !d)
        return CT_ENOMEM;
    sg->cap = cap;
    return CT_OK;
}

/* Segment the run T[a, a+n) with the most probable path under a unigram model (a term
 * costs ln f(term) − ln Z, a character outside any term ln f(char) − ln Z), and add its
 * term segments to cnt (touched: ids first seen). Terms with alive[id] == 0 are ignored. */
static int segment_run(const terms_work *w, seg *sg, const double *lnfreq, const double *lnchar,
                       double lnz, const unsigned char *alive, size_t a, size_t n, double *cnt,
                       uint32_t *touched, size_t *n_touched, double *single)
{
    int rc = seg_reserve(sg, n);
    if (rc != CT_OK)
        return rc;
    sg->best_s[0] = 0;
    for (size_t i = 1; i <= n; i++)
        sg->best_s[i] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double bs = sg->best_s[i];
        double s1 = bs + lnchar[w->T[a + i]] - lnz;
        if (s1 > sg->best_s[i + 1]) { /* a single character */
            sg->best_s[i + 1] = s1;
            sg->back[i + 1] = 1;
            sg->back_id[i + 1] = NONE;
        }
        for (uint32_t k = sg->off[a + i]; k < sg->off[a + i + 1]; k++) {
            uint32_t id = sg->ids[k];
            int m = sg->len[id];
            if (i + (size_t)m > n || !alive[id])
                continue;
            double s = bs + lnfreq[id] - lnz;
            size_t j = i + (size_t)m;
            if (s > sg->best_s[j]) {
                sg->best_s[j] = s;
                sg->back[j] = (unsigned char)m;
                sg->back_id[j] = id;
            }
        }
    }
    for (size_t j = n; j > 0; j -= sg->back[j]) {
        uint32_t id = sg->back_id[j];
        if (id == NONE) {
            if (single)
                single[w->T[a + j - 1]]++;
            continue;
        }
        if (cnt[id] == 0)
            touched[(*n_touched)++] = id;
        cnt[id]++;
    }
    return CT_OK;
}

/* Number of characters of the first k bytes... helpers for drop_affixed: the byte offset
 * of character i of a UTF-8 string. */
static size_t char_offset(const char *s, int i)
{
    size_t b = 0;
    for (int k = 0; k < i && s[b]; k++) {
        b++;
        while ((s[b] & 0xC0) == 0x80)
            b++;
    }
    return b;
}

/* A term of three or more characters that is a function unit glued to another term is a
 * phrase, not a term: 和社区 (和 + 社区), 这些成绩 (这些 + 成绩), 评价和. A function unit is
 * a character that stands alone — forms a single-character segment — in at least
 * affix_share of its occurrences (和, 是, 在, 等: measured by the segmentation itself), or a
 * stopword of the list. Two-character terms are never dropped here: 和平 and 和谐 stay.
 * A character that often stands alone but spends at least BOUND_AFFIX_SHARE of its
 * occurrences (of BOUND_AFFIX_MIN_USES or more) in this one term is a bound affix of it, not
 * a function unit glued to it:
 * 再就业 (再: 19 % of its 359 uses), 劳动者, 旧中国, 畜牧业 stay, where 基础上 (上: 10 %),
 * 为核心 (3 %) and 使企业 go (BENCHMARKS.md, issue 12: 0.10–0.15 measure the same). */
#define BOUND_AFFIX_SHARE 0.12
#define BOUND_AFFIX_MIN_USES 50 /* …of the character's uses, or the share says little (即社区) */
static void drop_affixed(const terms_work *w, const ct_terms_options *o, const uint32_t *keep_index,
                         size_t n_keep, unsigned char *alive, const double *single,
                         const double *charcount)
{
    for (uint32_t id = 0; id < n_keep; id++) {
        const term_rec *t = &w->terms[keep_index[id]];
        if (!alive[id] || t->st.from_dict || t->len < 3 || t->check_len)
            continue;
        int n = t->len, drop = 0;
        size_t bytes = strlen(t->text), second = char_offset(t->text, 1),
               last = char_offset(t->text, n - 1);
        for (int side = 0; side < 2 && !drop; side++) {
            utf8proc_int32_t cp;
            utf8proc_iterate((const utf8proc_uint8_t *)t->text + (side == 0 ? 0 : last), -1, &cp);
            uint32_t c = w->id_of_cp[cp];
            int function = charcount[c] > 0 && single[c] >= o->affix_share * charcount[c] &&
                           (charcount[c] < BOUND_AFFIX_MIN_USES ||
                            t->st.count < BOUND_AFFIX_SHARE * charcount[c]);
            /* The rest, a term of n - 1 characters? (its text names it) */
            uint32_t rest;
            if (ct_termtab_find(w->names, t->text + (side == 0 ? second : 0),
                                side == 0 ? bytes - second : last, &rest) != CT_OK)
                rest = NONE;
            if (function && rest != NONE && alive[rest])
                drop = 1;
            /* A stopword of k characters at this edge, the rest at least two characters. */
            for (int k = 2; o->stopwords && !drop && k <= n - 2; k++) {
                size_t from = side == 0 ? 0 : char_offset(t->text, n - k);
                size_t to = side == 0 ? char_offset(t->text, k) : strlen(t->text);
                drop = ct_stopwords_contains(o->stopwords, t->text + from, to - from);
            }
        }
        if (drop)
            alive[id] = 0;
    }
}

typedef struct entry {
    uint32_t col;
    double val;
} entry;

static int by_col(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* The state of counting, shared by its steps. Provisional ids 0 … n_keep - 1 number the
 * distinct terms that survive discovery; arrays "per id" are indexed by them, arrays "per
 * character" by character id. */
typedef struct counting {
    size_t n_keep;
    uint32_t *keep_index; /* per id: its index in w->terms */
    double *lnfreq;       /* per id: ln of its occurrences */
    unsigned char *tlen;  /* per id: length in characters */
    unsigned char *alive; /* per id: still kept */
    double *tokens;       /* per id: segments it forms in the corpus */
    double *cnt;          /* per id: segments it forms in the current document */
    uint32_t *touched;    /* the ids counted in the current document */
    double *lnchar;       /* per character: ln of its frequency */
    double *single;       /* per character: single-character segments it forms (pass 0) */
    double *charcount;    /* per character: its frequency */
    double lnz;           /* ln of the model's normalising total */
    seg sg;
    entry *ent; /* the counted entries, row by row (pass 1) */
    size_t nnz, cap;
    size_t *row_ptr; /* n_docs + 1 */
} counting;

static void counting_free(counting *c)
{
    ct_free(c->keep_index);
    ct_free(c->touched);
    ct_free(c->cnt);
    ct_free(c->lnfreq);
    ct_free(c->lnchar);
    ct_free(c->single);
    ct_free(c->charcount);
    ct_free(c->alive);
    ct_free(c->tokens);
    ct_free(c->row_ptr);
    ct_free(c->ent);
    ct_free(c->sg.starts);
    ct_free(c->sg.off);
    ct_free(c->sg.ids);
    ct_free(c->tlen);
    ct_free(c->sg.best_s);
    ct_free(c->sg.back);
    ct_free(c->sg.back_id);
}

/* Deduplicate: a dictionary term may also be discovered; the dictionary entry (first) stays
 * and takes the discovered statistics. Numbers the remaining terms with provisional ids. */
static int dedupe_terms(terms_work *w)
{
    int rc;
    for (size_t i = 0; i < w->n_terms; i++) {
        term_rec *t = &w->terms[i];
        if (t->dropped)
            continue;
        uint32_t id;
        int is_new;
        if ((rc = ct_termtab_intern(w->names, t->text, strlen(t->text), &id, &is_new)) != CT_OK)
            return rc;
        if (is_new) {
            t->id = id;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            term_rec *u = &w->terms[j];
            if (!u->dropped && u->id == id) {
                u->st = t->st;
                u->st.from_dict = 1;
                u->group = t->group;
            }
        }
        t->dropped = 1;
    }
    return CT_OK;
}

/* List the kept terms' occurrences by position: the ids of the terms starting at each
 * position (CSR, sg.off[p] … sg.off[p+1]), so that segmentation needs no look-up; count each
 * term's occurrences (its st.count and lnfreq). */
static int index_occurrences(terms_work *w, counting *c, const term_sums *sums)
{
    size_t n_keep = c->n_keep, total_occ = 0;
    seg *sg = &c->sg;
    c->keep_index = ct_malloc((n_keep + 1) * sizeof *c->keep_index);
    c->lnfreq = ct_malloc((n_keep + 1) * sizeof *c->lnfreq);
    c->tokens = ct_calloc(n_keep + 1, sizeof *c->tokens);
    c->cnt = ct_calloc(n_keep + 1, sizeof *c->cnt);
    c->touched = ct_malloc((n_keep + 1) * sizeof *c->touched);
    sg->starts = ct_calloc(w->L, sizeof *sg->starts);
    c->tlen = ct_malloc(n_keep + 1);
    sg->len = c->tlen;
    if (!c->tlen || !c->keep_index || !c->lnfreq || !c->tokens || !c->cnt || !c->touched ||
        !sg->starts)
        return CT_ENOMEM;
    for (size_t i = 0; i < w->n_terms; i++) {
        term_rec *t = &w->terms[i];
        if (t->dropped)
            continue;
        c->keep_index[t->id] = (uint32_t)i;
        double occ = 0;
        for (uint32_t k = t->sa_start; k < t->sa_start + t->sa_count; k++) {
            uint32_t p = w->sa[k];
            if (!term_occurs_at(w, t, p))
                continue;
            sg->starts[p] |= 1u << t->len;
            occ++;
        }
        c->lnfreq[t->id] = occ; /* the count, until summed across ranks */
        c->tlen[t->id] = (unsigned char)t->len;
        total_occ += (size_t)occ;
    }
    int rc = sums ? sums->sum(sums->ctx, c->lnfreq, n_keep) : CT_OK;
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < w->n_terms; i++) {
        term_rec *t = &w->terms[i];
        if (t->dropped)
            continue;
        double occ = c->lnfreq[t->id];
        t->st.count = occ;
        c->lnfreq[t->id] = log(occ > 0 ? occ : 1);
    }
    sg->off = ct_calloc(w->L + 1, sizeof *sg->off);
    sg->ids = ct_malloc((total_occ ? total_occ : 1) * sizeof *sg->ids);
    if (!sg->off || !sg->ids || total_occ >= UINT32_MAX)
        return total_occ >= UINT32_MAX ? CT_EINVAL : CT_ENOMEM;
    for (size_t p = 0; p < w->L; p++)
        sg->off[p + 1] = sg->off[p] + (uint32_t)__builtin_popcount(sg->starts[p]);
    for (size_t p = 0; p < w->L; p++)
        sg->starts[p] = sg->off[p]; /* reused as the fill position */
    for (size_t i = 0; i < w->n_terms; i++) {
        const term_rec *t = &w->terms[i];
        if (t->dropped)
            continue;
        for (uint32_t k = t->sa_start; k < t->sa_start + t->sa_count; k++) {
            uint32_t p = w->sa[k];
            if (term_occurs_at(w, t, p))
                sg->ids[sg->starts[p]++] = t->id;
        }
    }
    return CT_OK;
}

/* The unigram model: character and term frequencies, one normalising total; every term
 * alive. Also the room for the counted rows. */
static int unigram_model(const terms_work *w, counting *c, const term_sums *sums)
{
    c->lnchar = ct_calloc(w->n_ids + 1, sizeof *c->lnchar);
    c->single = ct_calloc(w->n_ids + 1, sizeof *c->single);
    c->charcount = ct_calloc(w->n_ids + 1, sizeof *c->charcount);
    c->alive = ct_malloc(c->n_keep + 1);
    c->row_ptr = ct_calloc(w->n_docs + 1, sizeof *c->row_ptr);
    c->cap = 1024;
    c->ent = ct_malloc(c->cap * sizeof *c->ent);
    if (!c->lnchar || !c->single || !c->charcount || !c->alive || !c->row_ptr || !c->ent)
        return CT_ENOMEM;
    double z = 0;
    for (size_t p = 0; p < w->L; p++)
        c->lnchar[w->T[p]]++;
    int rc = sums ? sums->sum(sums->ctx, c->lnchar, w->n_ids + 1) : CT_OK;
    if (rc != CT_OK)
        return rc;
    for (size_t ch = 1; ch <= w->n_ids; ch++) {
        c->charcount[ch] = c->lnchar[ch];
        z += c->lnchar[ch];
        c->lnchar[ch] = log(c->lnchar[ch] > 0 ? c->lnchar[ch] : 1);
    }
    for (uint32_t id = 0; id < c->n_keep; id++) {
        z += exp(c->lnfreq[id]);
        c->alive[id] = 1;
    }
    c->lnz = log(z > 0 ? z : 1);
    return CT_OK;
}

/* Segment every document's runs: pass 0 adds up each term's segments (tokens) and each
 * character's single segments; pass 1 also keeps each document's counts as a row of ent. */
static int segment_documents(const terms_work *w, counting *c, int pass)
{
    int rc;
    c->nnz = 0;
    for (size_t d = 0; d < w->n_docs; d++) {
        size_t n_touched = 0;
        size_t p = w->doc_start[d], end = w->doc_start[d + 1];
        while (p < end) {
            if (!w->T[p]) {
                p++;
                continue;
            }
            size_t q = p;
            while (q < end && w->T[q])
                q++;
            if ((rc = segment_run(w, &c->sg, c->lnfreq, c->lnchar, c->lnz, c->alive, p, q - p,
                                  c->cnt, c->touched, &n_touched, pass == 0 ? c->single : NULL)) !=
                CT_OK)
                return rc;
            p = q;
        }
        if (pass == 1 && c->nnz + n_touched > c->cap) {
            size_t cap = c->cap;
            while (c->nnz + n_touched > cap)
                cap *= 2;
            entry *e = ct_reallocarray(c->ent, cap, sizeof *e);
            if (!e)
                return CT_ENOMEM;
            c->ent = e;
            c->cap = cap;
        }
        for (size_t k = 0; k < n_touched; k++) {
            uint32_t id = c->touched[k];
            if (pass == 1) {
                c->ent[c->nnz].col = id;
                c->ent[c->nnz++].val = c->cnt[id];
            }
            c->tokens[id] += c->cnt[id];
            c->cnt[id] = 0;
        }
        c->row_ptr[d + 1] = c->nnz;
    }
    return CT_OK;
}

/* After pass 0: drop the terms that seldom form a segment of their own (fewer than
 * min_segments times: fragments straddling two words, such as 业和 in 企业和, lose to the
 * split 企业 + 和) and the function units glued to a term (drop_affixed). */
static void prune(const terms_work *w, const ct_terms_options *o, counting *c)
{
    for (uint32_t id = 0; id < c->n_keep; id++) {
        const term_rec *t = &w->terms[c->keep_index[id]];
        if (!t->st.from_dict && c->tokens[id] < (double)o->min_segments)
            c->alive[id] = 0;
        c->tokens[id] = 0;
    }
    drop_affixed(w, o, c->keep_index, c->n_keep, c->alive, c->single, c->charcount);
}

/* The matrix of pass 1's rows: the vocabulary is the terms that form at least one segment,
 * in byte order; each row's entries sorted by column. */
static int assemble(const terms_work *w, const ct_corpus *corpus, counting *c, ct_matrix **counts,
                    ct_term_stats **stats_out)
{
    size_t n_keep = c->n_keep, n_final = 0, nnz = c->nnz;
    const char **texts = ct_malloc((n_keep + 1) * sizeof *texts);
    uint32_t *final_of = ct_malloc((n_keep + 1) * sizeof *final_of), *remap = NULL;
    ct_term_stats *stats = NULL;
    uint32_t *cols = NULL;
    double *values = NULL;
    const char **row_ids = NULL;
    ct_vocab *vocab = NULL;
    int rc = CT_OK;
    if (!texts || !final_of) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    uint32_t *kept_ids = c->touched; /* reuse: provisional ids of the vocabulary's terms */
    for (uint32_t id = 0; id < n_keep; id++) {
        final_of[id] = NONE;
        if (c->tokens[id] > 0 && !w->terms[c->keep_index[id]].generic) {
            texts[n_final] = w->terms[c->keep_index[id]].text;
            kept_ids[n_final++] = id;
        }
    }
    if ((rc = ct_vocab_from_terms(&vocab, &remap, texts, n_final)) != CT_OK)
        goto cleanup;
    stats = ct_calloc(n_final + 1, sizeof *stats);
    cols = ct_malloc((nnz ? nnz : 1) * sizeof *cols);
    values = ct_malloc((nnz ? nnz : 1) * sizeof *values);
    row_ids = ct_malloc((w->n_docs + 1) * sizeof *row_ids);
    if (!stats || !cols || !values || !row_ids) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    for (size_t k = 0; k < n_final; k++) {
        uint32_t id = kept_ids[k];
        final_of[id] = remap[k];
        stats[remap[k]] = w->terms[c->keep_index[id]].st;
        stats[remap[k]].tokens = c->tokens[id];
    }
    /* Map to final ids, leaving out the generic words' entries. */
    entry *ent = c->ent;
    size_t kept = 0, k = 0;
    for (size_t d = 0; d < w->n_docs; d++) {
        for (; k < c->row_ptr[d + 1]; k++)
            if (final_of[ent[k].col] != NONE) {
                ent[kept].col = final_of[ent[k].col];
                ent[kept++].val = ent[k].val;
            }
        c->row_ptr[d + 1] = kept;
    }
    nnz = kept;
    for (size_t d = 0; d < w->n_docs; d++) {
        ct_sort(ent + c->row_ptr[d], c->row_ptr[d + 1] - c->row_ptr[d], sizeof *ent, by_col);
        row_ids[d] = ct_corpus_id(corpus, d);
    }
    for (size_t k = 0; k < nnz; k++) {
        cols[k] = ent[k].col;
        values[k] = ent[k].val;
    }
    rc = ct_matrix_new(counts, w->n_docs, vocab, c->row_ptr, cols, values, row_ids);
    c->row_ptr = NULL; /* the matrix's now */
    cols = NULL;
    values = NULL;
cleanup:
    if (rc == CT_OK)
        *stats_out = stats;
    else
        ct_free(stats);
    ct_vocab_unref(vocab);
    ct_free(texts);
    ct_free(remap);
    ct_free(final_of);
    ct_free(cols);
    ct_free(values);
    ct_free(row_ids);
    return rc;
}

int ct_segment_count(terms_work *w, const ct_corpus *corpus, const ct_terms_options *o,
                     const term_sums *sums, ct_matrix **counts, ct_term_stats **stats)
{
    counting c = {0};
    int rc = dedupe_terms(w);
    c.n_keep = ct_termtab_size(w->names);
    if (rc == CT_OK)
        rc = index_occurrences(w, &c, sums);
    if (rc == CT_OK)
        rc = unigram_model(w, &c, sums);
    for (int pass = o->min_segments > 0 ? 0 : 1; pass < 2 && rc == CT_OK; pass++) {
        rc = segment_documents(w, &c, pass);
        if (rc == CT_OK && sums)
            rc = sums->sum(sums->ctx, c.tokens, c.n_keep);
        if (rc == CT_OK && sums && pass == 0)
            rc = sums->sum(sums->ctx, c.single, w->n_ids + 1);
        if (rc == CT_OK && pass == 0)
            prune(w, o, &c);
    }
    if (rc == CT_OK)
        rc = assemble(w, corpus, &c, counts, stats);
    counting_free(&c);
    return rc;
}
