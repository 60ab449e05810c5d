/* terms.c — term discovery by cohesion and freedom (comptext/terms.h): the entry points.
 *
 * ct_terms_discover runs the steps of terms_impl.h in order over one terms_work — read the
 * corpus into a character array and sort its suffixes (suffix_array.c), read the dictionary
 * and find the candidates (term_discovery.c), segment and count (segment.c) — and keeps
 * only the result: the documents × terms matrix, the terms' statistics and the documents'
 * character counts. */
#include <math.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/fold.h"
#include "comptext/normalize.h"
#include "datadir.h"
#include "terms_impl.h"

struct ct_terms {
    ct_matrix *counts;
    ct_term_stats *stats; /* by column id */
    double *doc_chars;
};

void ct_terms_options_init(ct_terms_options *o)
{
    memset(o, 0, sizeof *o);
    o->flags = CT_NORM_NFKC | CT_NORM_CASEFOLD | (ct_fold_available() ? CT_NORM_FOLD_SCRIPT : 0);
    o->max_len = CT_TERMS_MAX_LEN_DEFAULT;
    o->min_count = CT_TERMS_MIN_COUNT_DEFAULT;
    o->min_cohesion = CT_TERMS_MIN_COHESION_DEFAULT;
    o->min_entropy = CT_TERMS_MIN_ENTROPY_DEFAULT;
    o->min_entropy_share = CT_TERMS_MIN_ENTROPY_SHARE_DEFAULT;
    o->subsume_ratio = CT_TERMS_SUBSUME_RATIO_DEFAULT;
    o->min_segments = CT_TERMS_MIN_SEGMENTS_DEFAULT;
    o->affix_share = CT_TERMS_AFFIX_SHARE_DEFAULT;
    o->quote_share = CT_TERMS_QUOTE_SHARE_DEFAULT;
    o->min_phrase_pmi = CT_TERMS_MIN_PHRASE_PMI_DEFAULT;
}

const char *ct_terms_generic_default_path(void)
{
    return ct_data_path("generic-zh.txt");
}

static void work_free(terms_work *w)
{
    ct_free(w->id_of_cp);
    ct_free(w->cp_of_id);
    ct_free(w->T);
    ct_free(w->qflag);
    ct_free(w->lim);
    ct_free(w->sa);
    ct_free(w->rank);
    ct_free(w->lcp);
    ct_free(w->doc_start);
    if (w->lv)
        for (int n = 0; n <= w->D; n++) {
            ct_free(w->lv[n].member);
            ct_free(w->lv[n].first);
            ct_free(w->lv[n].before);
            ct_free(w->lv[n].start);
            ct_free(w->lv[n].count);
            ct_free(w->lv[n].acc_left);
        }
    ct_free(w->lv);
    for (int n = 0; n < CT_TERMS_LEN_LIMIT + 2; n++)
        ct_free(w->cand[n]);
    for (size_t i = 0; i < w->n_terms; i++) {
        ct_free(w->terms[i].text);
        ct_free(w->terms[i].check_ids);
    }
    ct_free(w->terms);
    ct_termtab_free(w->veto);
    ct_termtab_free(w->names);
}

int ct_terms_discover(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *o,
                      ct_error *err)
{
    return ct_terms_discover_ranks(out, corpus, o, NULL, err);
}

int ct_terms_discover_ranks(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *o,
                            const terms_ranks *ranks, ct_error *err)
{
    *out = NULL;
    if (o->max_len < 2 || o->max_len > CT_TERMS_LEN_LIMIT || o->min_count < 2 ||
        !(o->subsume_ratio > 0) || isnan(o->min_cohesion) || isnan(o->min_entropy) ||
        isnan(o->min_phrase_pmi) || isnan(o->quote_share))
        return CT_EINVAL;
    size_t n_docs = ct_corpus_size(corpus);
    if (!n_docs && !ranks) /* a rank's share may be empty */
        return CT_EEMPTY;
    terms_work w = {0};
    w.D = o->max_len + 1;
    w.n_docs = n_docs;
    ct_terms *t = ct_calloc(1, sizeof *t);
    w.id_of_cp = ct_calloc(CP_LIMIT, sizeof *w.id_of_cp);
    w.doc_start = ct_malloc((n_docs + 1) * sizeof *w.doc_start);
    w.lv = ct_calloc((size_t)w.D + 1, sizeof *w.lv);
    int rc = CT_OK;
    if (!t || !w.id_of_cp || !w.doc_start || !w.lv ||
        (t->doc_chars = ct_calloc(n_docs + 1, sizeof *t->doc_chars)) == NULL) {
        rc = CT_ENOMEM;
        goto cleanup;
    }
    if ((rc = ct_termtab_new(&w.veto)) != CT_OK || (rc = ct_termtab_new(&w.names)) != CT_OK)
        goto cleanup;
    /* Chrome stripping learns from the whole corpus first: do it before the threads read. */
    if ((rc = ct_corpus_prepare(corpus, err)) != CT_OK) {
        if (ranks) /* the other ranks wait for this one's word */
            rc = ranks->seed(ranks->ctx, &w, rc, err, NULL, NULL);
        goto cleanup;
    }
    if ((rc = ct_sa_read_corpus(&w, corpus, o, ranks, t->doc_chars, err)) != CT_OK)
        goto cleanup;
    if (ranks && (rc = ranks->global_ids(ranks->ctx, &w, err)) != CT_OK)
        goto cleanup;
    if ((rc = ct_sa_build(&w)) != CT_OK)
        goto cleanup;
    for (int n = 1; n <= w.D && !ranks; n++) /* the ranks' source walks the array itself */
        if ((rc = ct_sa_build_level(&w, n)) != CT_OK)
            goto cleanup;
    if (o->dict_path && (rc = ct_discovery_read_dict(&w, o, err)) != CT_OK)
        goto cleanup;
    term_source src = {0};
    if (ranks)
        rc = ranks->source(ranks->ctx, &w, o, &src);
    else
        ct_sa_source(&w, &src);
    if (rc == CT_OK && (rc = ct_discovery_find(&w, &src, o)) == CT_OK)
        ct_sa_locate_terms(&w, &src);
    if (ranks)
        ranks->source_free(&src);
    if (rc != CT_OK)
        goto cleanup;
    if ((rc = ct_segment_count(&w, corpus, o, ranks ? &ranks->sums : NULL, &t->counts,
                               &t->stats)) != CT_OK)
        goto cleanup;
cleanup:
    work_free(&w);
    if (rc != CT_OK) {
        ct_terms_free(t);
        return rc;
    }
    *out = t;
    return CT_OK;
}

void ct_terms_free(ct_terms *t)
{
    if (!t)
        return;
    ct_matrix_free(t->counts);
    ct_free(t->stats);
    ct_free(t->doc_chars);
    ct_free(t);
}

const ct_matrix *ct_terms_counts(const ct_terms *t)
{
    return t->counts;
}

const double *ct_terms_doc_chars(const ct_terms *t)
{
    return t->doc_chars;
}

void ct_terms_stats(const ct_terms *t, uint32_t id, ct_term_stats *st)
{
    *st = t->stats[id];
}
