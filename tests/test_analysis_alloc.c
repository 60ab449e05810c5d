/* test_analysis_alloc.c — allocation failure through the analyses: term discovery (with a
 * user dictionary), keyness, themes and keyword in context run with an allocator that fails
 * the k-th allocation, for every k up to the number a clean run makes. Each run must end with
 * CT_OK or CT_ENOMEM, and once everything is freed no block may be left (a leak on an error
 * path shows as a live block). One thread, so that the k-th allocation is the same each run. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static atomic_long n_allocs, fail_at, live;

static void *t_malloc(size_t n)
{
    long k = atomic_fetch_add(&n_allocs, 1) + 1;
    if (fail_at && k == fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *t_realloc(void *ptr, size_t n)
{
    long k = atomic_fetch_add(&n_allocs, 1) + 1;
    if (fail_at && k == fail_at)
        return NULL;
    void *p = realloc(ptr, n);
    if (p && !ptr)
        atomic_fetch_add(&live, 1);
    return p;
}

static void t_free(void *p)
{
    if (p)
        atomic_fetch_sub(&live, 1);
    free(p);
}

static const char *DOCS[] = {
    "网格巡查覆盖全部社区，全面推行网格巡查，智慧门牌逐步规范。网格巡查取得新进展，社区建设。",
    "居家养老驿站覆盖全部社区，助餐点取得新进展，居家养老驿站逐步规范。社区建设，助餐点。",
    "垃圾分类督导取得新进展，积分兑换覆盖全部社区，社区建设。积分兑换逐步规范，垃圾分类督导。",
};

static int on_hit(void *ctx, const ct_kwic_hit *h)
{
    (*(size_t *)ctx) += h->offset + 1;
    return 0;
}

static int workload(const char *dict)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *c = NULL;
    ct_terms *t = NULL;
    ct_keyness *k = NULL;
    ct_themes *th = NULL;
    int rc = ct_corpus_new(&c, &ro);
    for (int d = 0; rc == CT_OK && d < 3; d++) {
        char id[8];
        snprintf(id, sizeof id, "d%d", d);
        rc = ct_corpus_add_text(c, id, id, DOCS[d], strlen(DOCS[d]), NULL);
    }
    ct_terms_options to;
    ct_terms_options_init(&to);
    to.min_count = 2;
    to.min_segments = 2;
    to.dict_path = dict;
    to.threads = 1;
    ct_error err;
    if (rc == CT_OK)
        rc = ct_terms_discover(&t, c, &to, &err);
    if (rc == CT_OK) {
        unsigned char target[3] = {1, 0, 0};
        ct_keyness_options ko;
        ct_keyness_options_init(&ko);
        rc = ct_keyness_compute(&k, ct_terms_counts(t), target, &ko);
    }
    if (rc == CT_OK) {
        ct_themes_options tho;
        ct_themes_options_init(&tho);
        tho.k = 3;
        rc = ct_themes_compute(&th, ct_terms_counts(t), &tho);
    }
    size_t sum = 0;
    if (rc == CT_OK)
        rc = ct_kwic_search(c, "社区", 3, CT_NORM_NFKC | CT_NORM_CASEFOLD, on_hit, &sum, &err);
    ct_themes_free(th);
    ct_keyness_free(k);
    ct_terms_free(t);
    ct_corpus_free(c);
    return rc;
}

int main(void)
{
    char dict[] = "/tmp/ct-test-analysis-alloc-XXXXXX";
    int fd = mkstemp(dict);
    if (fd < 0)
        return 1;
    FILE *f = fdopen(fd, "w");
    fputs("社区建设\n-覆盖全部社区\n", f);
    fclose(f);
    ct_set_alloc_funcs(t_malloc, t_realloc, t_free);
    CHECK_INT(workload(dict), CT_OK);
    CHECK_INT(atomic_load(&live), 0);
    long total = atomic_load(&n_allocs);
    CHECK(total > 50);
    long bad = 0, leaks = 0;
    for (long i = 1; i <= total; i++) {
        atomic_store(&n_allocs, 0);
        atomic_store(&live, 0);
        atomic_store(&fail_at, i);
        int rc = workload(dict);
        if (rc != CT_OK && rc != CT_ENOMEM && bad++ < 5)
            fprintf(stderr, "failing allocation %ld gave status %d (%s)\n", i, rc, ct_strerror(rc));
        if (atomic_load(&live) != 0 && leaks++ < 5)
            fprintf(stderr, "failing allocation %ld leaked %ld blocks\n", i,
                    (long)atomic_load(&live));
    }
    atomic_store(&fail_at, 0);
    CHECK_INT(bad, 0);
    CHECK_INT(leaks, 0);
    remove(dict);
    printf("%ld allocation points\n", total);
    return check_finish();
}
