/* test_alloc.c — allocation failure: every library call returns CT_ENOMEM (or succeeds)
 * when memory runs out, and frees everything it allocated, on every error path.
 *
 * A counting allocator is installed with ct_set_alloc_funcs (which also routes jansson's
 * allocations through it). A small pipeline — load a directory corpus with a manifest and a
 * JSON Lines file, load a stopword list, tokenise, count, read texts with chrome stripping —
 * is run once to count its allocations, then once for every N with the Nth allocation
 * failing ("fail once"), and again with every allocation from the Nth on failing ("fail
 * from"). Each run must end in CT_OK or CT_ENOMEM, must report the failure (a failed
 * allocation cannot turn into success or into another error), and must leave no block
 * allocated: allocations are counted against frees. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "comptext.h"
#include <jansson.h>

static atomic_long calls, live, fail_at, fail_from, failures;

static int should_fail(void)
{
    long n = atomic_fetch_add(&calls, 1) + 1;
    long at = atomic_load(&fail_at), from = atomic_load(&fail_from);
    if ((at && n == at) || (from && n >= from)) {
        atomic_fetch_add(&failures, 1);
        return 1;
    }
    return 0;
}

static void *t_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = malloc(size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *t_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    void *p = realloc(ptr, size);
    if (p && !ptr)
        atomic_fetch_add(&live, 1);
    return p;
}

static void t_free(void *ptr)
{
    if (ptr)
        atomic_fetch_sub(&live, 1);
    free(ptr);
}

/* jansson's allocations are counted (for leaks) but never failed: jansson 2.14 itself
 * crashes when an allocation fails inside its lexer (lex_save drops strbuffer failures and
 * the parser later double-frees; upstream akheron/jansson PR #735). */
static void *t_json_malloc(size_t size)
{
    void *p = malloc(size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void install_allocator(void)
{
    ct_set_alloc_funcs(t_malloc, t_realloc, t_free);
    json_set_alloc_funcs(t_json_malloc, t_free);
}

static char dir[256];

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(p);
        exit(1);
    }
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ct-test-alloc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    char p[512];
    snprintf(p, sizeof p, "%s/corpus", dir);
    mkdir(p, 0700);
    write_file("corpus/manifest.tsv", "file\tid\tcity\tyear\na.txt\tA\t泰州\t2009\n"
                                      "b.txt\tB\t常州\t2010\n");
    write_file("corpus/a.txt", "阅读次数：12\n社区建设取得成效，和谐社区。\n举报\n");
    write_file("corpus/b.txt", "和谐社区建设，ＧＤＰ增长22.4%。\r\n阅读次数：12\n");
    write_file("corpus/c.txt", "城乡社区的建设\n举报\n");
    write_file("docs.jsonl",
               "{\"id\": \"j1\", \"text\": \"社区服务\\n阅读次数：3\", \"year\": 2011}\n"
               "\n{\"id\": 7, \"text\": \"城乡 abc\\u793e\\ud83d\\ude00\", \"score\": 1.5}\n"
               "{\"id\": \"k\", \"te\\u0078t\": \"escaped key\\n第二行\"}\n");
    write_file("stop.txt", "的\n# comment\n了\nabc\n");
}

static void teardown(void)
{
    const char *names[] = {"corpus/manifest.tsv", "corpus/a.txt", "corpus/b.txt",
                           "corpus/c.txt",        "docs.jsonl",   "stop.txt"};
    char p[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/corpus", dir);
    rmdir(p);
    rmdir(dir);
}

static int count_tokens(void *ctx, const ct_token *t)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 0;
}

/* The pipeline under test; returns the first failing status. */
static int pipeline(int threads, size_t *terms)
{
    ct_corpus *corpus = NULL;
    ct_stopwords *sw = NULL;
    ct_tokenizer *tok = NULL;
    ct_matrix *m = NULL;
    char *text = NULL, *norm = NULL;
    size_t *origin = NULL;
    ct_error err;
    char p[512];
    ct_read_options ro;
    ct_read_options_init(&ro);
    ro.flags = CT_READ_STRIP_CHROME;
    int rc = ct_corpus_new(&corpus, &ro);
    if (rc != CT_OK)
        goto cleanup;
    snprintf(p, sizeof p, "%s/corpus", dir);
    if ((rc = ct_corpus_add(corpus, p, &err)) != CT_OK)
        goto cleanup;
    snprintf(p, sizeof p, "%s/docs.jsonl", dir);
    if ((rc = ct_corpus_add(corpus, p, &err)) != CT_OK)
        goto cleanup;
    if ((rc = ct_corpus_add_text(corpus, "mem", NULL, "内存 文本", strlen("内存 文本"), &err)))
        goto cleanup;
    snprintf(p, sizeof p, "%s/stop.txt", dir);
    if ((rc = ct_stopwords_load(&sw, p, CT_TOK_DEFAULT, &err)) != CT_OK)
        goto cleanup;
    ct_tokenizer_options to;
    ct_tokenizer_options_init(&to);
    to.stopwords = sw;
    to.ngram_min = 1;
    to.ngram_max = 3;
    if ((rc = ct_tokenizer_new(&tok, &to)) != CT_OK)
        goto cleanup;
    size_t len, norm_len, n_tokens = 0;
    if ((rc = ct_corpus_read_text(corpus, 1, &text, &len, &err)) != CT_OK)
        goto cleanup;
    if ((rc = ct_normalize(text, len, CT_NORM_NFKC | CT_NORM_CASEFOLD, &norm, &norm_len,
                           &origin)) != CT_OK)
        goto cleanup;
    if ((rc = ct_tokenize(tok, text, len, count_tokens, &n_tokens)) != CT_OK)
        goto cleanup;
    ct_count_options co;
    ct_count_options_init(&co);
    co.threads = threads;
    if ((rc = ct_count_corpus(&m, corpus, tok, &co, &err)) != CT_OK)
        goto cleanup;
    *terms = ct_matrix_cols(m);
cleanup:
    ct_matrix_free(m);
    ct_free(text);
    ct_free(norm);
    ct_free(origin);
    ct_tokenizer_free(tok);
    ct_stopwords_free(sw);
    ct_corpus_free(corpus);
    return rc;
}

/* Run the pipeline with one failure mode over every N up to total; returns the number of
 * runs that did not behave. */
static int sweep(int threads, long total, int from, size_t expected_terms)
{
    int bad = 0;
    for (long n = 1; n <= total; n++) {
        atomic_store(&calls, 0);
        atomic_store(&live, 0);
        atomic_store(&failures, 0);
        atomic_store(&fail_at, from ? 0 : n);
        atomic_store(&fail_from, from ? n : 0);
        size_t terms = 0;
        int rc = pipeline(threads, &terms);
        atomic_store(&fail_at, 0);
        atomic_store(&fail_from, 0);
        long leaked = atomic_load(&live), failed = atomic_load(&failures);
        int ok = leaked == 0 && (failed ? rc == CT_ENOMEM : rc == CT_OK && terms == expected_terms);
        if (!ok) {
            if (bad < 20)
                fprintf(stderr,
                        "threads %d, %s allocation %ld: status %d (%s), %ld failed "
                        "allocations, %ld blocks leaked\n",
                        threads, from ? "failing from" : "failing", n, rc, ct_strerror(rc), failed,
                        leaked);
            bad++;
        }
    }
    return bad;
}

int main(int argc, char **argv)
{
    setup();
    if (argc > 1) { /* debugging: fail allocation argv[1] once, with argv[2] threads */
        install_allocator();
        atomic_store(&fail_at, atol(argv[1]));
        size_t terms = 0;
        int rc = pipeline(argc > 2 ? atoi(argv[2]) : 1, &terms);
        printf("status %d, %ld failed, %ld leaked\n", rc, (long)failures, (long)live);
        teardown();
        return 0;
    }
    install_allocator();
    for (int threads = 1; threads <= 2; threads++) {
        atomic_store(&calls, 0);
        atomic_store(&live, 0);
        size_t terms = 0;
        int rc = pipeline(threads, &terms);
        long total = atomic_load(&calls);
        CHECK_INT(rc, CT_OK);
        CHECK_INT(atomic_load(&live), 0);
        CHECK(terms > 0);
        CHECK(total > 50); /* the counting allocator is really in use */
        printf("threads %d: %ld allocations, %zu terms\n", threads, total, terms);
        /* With two threads the order of allocations varies: a sweep still must not crash,
         * leak or lose the error, whichever allocation it hits. */
        CHECK_INT(sweep(threads, total + 5, 0, terms), 0);
        CHECK_INT(sweep(threads, total + 5, 1, terms), 0);
    }
    ct_set_alloc_funcs(NULL, NULL, NULL);
    teardown();
    return check_finish();
}
