/* test_compare_alloc.c — allocation failure through ct_compare_run: the whole compare (term
 * discovery or n-gram themes, counting with its text hook, keyword-in-context lines,
 * similarity, neighbours, clustering, the map, notes) runs with an allocator that fails the
 * k-th allocation, for every k up to the number a clean run makes, in the full and in the
 * large mode. Each run must end with
 * CT_OK or CT_ENOMEM, and once everything is freed no block may be left. One thread, so that
 * the k-th allocation is the same each run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"
#include "failalloc.h"

static const char *DOCS[] = {
    "网格巡查覆盖全部社区，全面推行网格巡查，智慧门牌逐步规范。网格巡查取得新进展，社区建设。",
    "居家养老驿站覆盖全部社区，助餐点取得新进展，居家养老驿站逐步规范。社区建设，助餐点。",
    "垃圾分类督导取得新进展，积分兑换覆盖全部社区，社区建设。积分兑换逐步规范，垃圾分类督导。",
    "垃圾分类督导取得新进展，积分兑换覆盖全部社区，社区建设。积分兑换逐步规范，垃圾分类督导。",
    "社区",
};

/* mode 0: discovered terms, 1: n-grams, 2: discovered terms in large mode (threshold 2 rows:
 * the kNN graph, the group sums, the sampled silhouette, landmark MDS). */
static int workload(int mode)
{
    int ngrams = mode == 1;
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *c = NULL;
    int rc = ct_corpus_new(&c, &ro);
    for (int d = 0; rc == CT_OK && d < 5; d++) {
        char id[8];
        snprintf(id, sizeof id, "d%d", d);
        rc = ct_corpus_add_text(c, id, id, DOCS[d], strlen(DOCS[d]), NULL);
    }
    ct_compare_options o;
    ct_compare_options_init(&o);
    o.threads = 1;
    o.units = ngrams ? CT_COMPARE_NGRAMS : CT_COMPARE_TERMS;
    o.terms.min_count = 2;
    o.terms.min_segments = 2;
    if (mode == 2) {
        o.large_threshold = 2;
        o.neighbours = 2;
    }
    ct_compare *r = NULL;
    ct_error err;
    ct_error_clear(&err);
    if (rc == CT_OK)
        rc = ct_compare_run(&r, c, &o, &err);
    if (rc == CT_OK) {
        size_t n;
        ct_compare_notes(r, &n);
        if (n < 2) /* the copy and the tiny document */
            rc = CT_EINPUT;
        if (ct_compare_is_large(r) != (mode == 2) || !ct_compare_map(r))
            rc = CT_EINPUT;
    }
    ct_compare_free(r);
    ct_corpus_free(c);
    return rc;
}

int main(void)
{
    ct_set_alloc_funcs(kfail_malloc, kfail_realloc, kfail_free);
    for (int ngrams = 0; ngrams < 3; ngrams++) {
        atomic_store(&kfail_allocs, 0);
        CHECK_INT(workload(ngrams), CT_OK);
        CHECK_INT(atomic_load(&kfail_live), 0);
        long total = atomic_load(&kfail_allocs);
        CHECK(total > 50);
        long bad = 0, leaks = 0;
        for (long i = 1; i <= total; i++) {
            kfail_arm(i);
            int rc = workload(ngrams);
            if (rc != CT_OK && rc != CT_ENOMEM && bad++ < 5)
                fprintf(stderr, "failing allocation %ld gave status %d (%s)\n", i, rc,
                        ct_strerror(rc));
            if (atomic_load(&kfail_live) != 0 && leaks++ < 5)
                fprintf(stderr, "failing allocation %ld leaked %ld blocks\n", i,
                        (long)atomic_load(&kfail_live));
        }
        atomic_store(&kfail_at, 0);
        CHECK_INT(bad, 0);
        CHECK_INT(leaks, 0);
        printf("%s: %ld allocation points\n",
               ngrams == 2 ? "large mode"
               : ngrams    ? "n-grams"
                           : "terms",
               total);
    }
    return check_finish();
}
