/* test_compare_api.c — compare through the library as a user's program would call it.
 *
 * This program includes only the public umbrella header <comptext.h> (and the test harness)
 * and is linked against the shared libcomptext, with none of the source tree's private
 * include directories: it proves that the main job can be run from outside the command
 * line. Five documents held in memory — two near-copies about home care for the elderly, two
 * about grid management of communities, one about river cleaning — are compared; the results
 * are checked for what must hold (a symmetric similarity with a unit diagonal, the
 * near-copies as the most similar pair and each other's nearest neighbour, the two topics as
 * the two clusters, non-empty themes that are the same on a second run with other threads,
 * context lines whose offsets point at their theme in the original text, characters counted
 * as the texts have them). A second corpus in a directory with a manifest checks --group-by:
 * per-group keyness and the rows named by the groups. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <comptext.h>

#include "check.h"

static const char *const IDS[5] = {"care-a", "care-b", "grid-a", "grid-b", "river"};
static const char *const TEXTS[5] = {
    "居家养老服务中心为老年人提供助餐服务。居家养老服务覆盖全部社区，老年人助餐服务满意度提高。"
    "我们推进居家养老服务，建设老年人日间照料中心，助餐服务点达到三十个。居家养老服务人员培训"
    "持续开展。",
    "居家养老服务中心为老年人提供助餐服务。居家养老服务覆盖全部社区，老年人助餐服务满意度明显"
    "提高。我们推进居家养老服务，建设老年人日间照料中心，助餐服务点达到四十个。居家养老服务人员"
    "培训继续开展。",
    "网格化管理覆盖城市社区，网格员每天巡查。网格化管理平台收集问题，网格员及时处置。推进网格化"
    "管理，网格员队伍扩大，网格化管理平台升级。社区治理水平提升。",
    "网格化管理平台升级，网格员队伍扩大到五百人。网格化管理覆盖农村社区，网格员每周巡查。网格化"
    "管理平台收集问题，网格员按时处置，社区治理水平提升。",
    "河道清淤工程完成，河长制全面落实。河道保洁队伍每天巡河，河道水质明显改善。河长制考核严格，"
    "河道清淤工程继续推进，河道保洁长效机制建立。",
};

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Byte position of character offset chars in s. */
static size_t byte_of_char(const char *s, size_t chars)
{
    size_t b = 0;
    for (size_t c = 0; s[b] && c < chars; c++) {
        b++;
        while (((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
    }
    return b;
}

static ct_corpus *memory_corpus(void)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus = NULL;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    for (int i = 0; i < 5; i++)
        CHECK_INT(ct_corpus_add_text(corpus, IDS[i], IDS[i], TEXTS[i], strlen(TEXTS[i]), &err),
                  CT_OK);
    return corpus;
}

static ct_compare *run(const ct_corpus *corpus, int threads, size_t clusters)
{
    ct_compare_options o;
    ct_compare_options_init(&o);
    o.tok.ngram_min = 2;
    o.tok.ngram_max = 3;
    o.threads = threads;
    o.clusters = clusters;
    ct_compare *c = NULL;
    ct_error err;
    ct_error_clear(&err);
    int rc = ct_compare_run(&c, corpus, &o, &err);
    CHECK_INT(rc, CT_OK);
    if (rc != CT_OK)
        fprintf(stderr, "ct_compare_run: %s: %s\n", ct_strerror(rc), err.text);
    return c;
}

/* The themes of every row as one string, for comparing runs. */
static char *themes_text(const ct_compare *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    for (size_t i = 0; i < ct_compare_rows(c); i++) {
        size_t n;
        const ct_theme *th = ct_compare_row_themes(c, i, &n);
        fprintf(f, "%s:", ct_compare_ids(c)[i]);
        for (size_t t = 0; t < n; t++)
            fprintf(f, " %s=%.17g", ct_vocab_term(v, th[t].term), th[t].score);
        fputc('\n', f);
    }
    fclose(f);
    return buf;
}

typedef struct kwic_tally {
    size_t hits, bad;
} kwic_tally;

static int kwic_count(void *ctx, const ct_kwic_hit *h)
{
    kwic_tally *t = ctx;
    t->hits++;
    t->bad += h->doc != 2 && h->doc != 4;
    return 0;
}

static void test_memory(void)
{
    ct_corpus *corpus = memory_corpus();
    ct_compare *c = run(corpus, 1, 0);
    if (!c) {
        ct_corpus_free(corpus);
        return;
    }
    size_t n = ct_compare_rows(c);
    CHECK_INT(n, 5);
    const char *const *ids = ct_compare_ids(c);
    for (size_t i = 0; i < n; i++)
        CHECK_STR(ids[i], IDS[i]);

    /* The similarity: symmetric, unit diagonal, in [0, 1]. */
    const double *s = ct_compare_similarity(c);
    size_t bi = 0, bj = 1;
    for (size_t i = 0; i < n; i++) {
        CHECK(fabs(s[i * n + i] - 1) < 1e-12);
        for (size_t j = 0; j < n; j++) {
            CHECK(s[i * n + j] == s[j * n + i]);
            CHECK(s[i * n + j] >= -1e-12 && s[i * n + j] <= 1 + 1e-12);
            if (i < j && s[i * n + j] > s[bi * n + bj]) {
                bi = i;
                bj = j;
            }
        }
    }
    /* The near-copies are the most similar pair, and each other's nearest neighbour; the
     * other topic's pair comes next for each grid document. */
    CHECK_INT(bi, 0);
    CHECK_INT(bj, 1);
    size_t k;
    const ct_compare_neighbour *nb = ct_compare_neighbours(c, 0, &k);
    CHECK_INT(k, 4);
    CHECK(k > 0 && nb[0].row == 1 && nb[0].sim == s[1]);
    for (size_t q = 1; q < k; q++)
        CHECK(nb[q - 1].sim >= nb[q].sim);
    nb = ct_compare_neighbours(c, 2, &k);
    CHECK(k > 0 && nb[0].row == 3);

    /* Themes: every row has some, and the near-copies share their first theme. */
    const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
    for (size_t i = 0; i < n; i++) {
        size_t m;
        const ct_theme *th = ct_compare_row_themes(c, i, &m);
        CHECK(m > 0 && th != NULL);
    }
    size_t m0, m1;
    const ct_theme *t0 = ct_compare_row_themes(c, 0, &m0);
    const ct_theme *t4 = ct_compare_row_themes(c, 4, &m1);
    CHECK(m0 > 0 && strstr("居家养老服务中心老年人助餐服务", ct_vocab_term(v, t0[0].term)));
    CHECK(m1 > 0 && strstr(TEXTS[4], ct_vocab_term(v, t4[0].term)));

    /* Keyword-in-context lines point at their theme in the original text. */
    size_t nk;
    const ct_compare_kwic *kw = ct_compare_kwic_lines(c, &nk);
    CHECK(nk >= n);
    for (size_t q = 0; q < nk; q++) {
        const char *text = TEXTS[kw[q].doc];
        CHECK(kw[q].row == kw[q].doc); /* no grouping */
        CHECK(strncmp(text + byte_of_char(text, kw[q].offset), kw[q].term, strlen(kw[q].term)) ==
              0);
        CHECK_STR(kw[q].match, kw[q].term);
        CHECK(q == 0 || kw[q - 1].row <= kw[q].row);
    }

    /* Clusters: every label is an outlier (0) or in 1..k, and the cut is the one the
     * clustering module's own calls choose: the best of ct_cluster_rank_cuts, outliers
     * apart (ct_cluster_tiny on the characters of documents with tokens). */
    size_t kk = ct_compare_k(c);
    CHECK(kk >= 1 && kk <= n);
    for (size_t i = 0; i < n; i++)
        CHECK(ct_compare_clusters(c)[i] <= kk);
    CHECK(!ct_compare_k_given(c));
    double dist[25], size[5];
    for (size_t i = 0; i < n * n; i++)
        dist[i] = s[i] < 1 ? 1 - s[i] : 0;
    for (size_t i = 0; i < n; i++)
        size[i] = ct_compare_doc_tokens(c)[i] ? (double)ct_compare_doc_chars(c)[i] : 0;
    unsigned char tiny[5];
    CHECK_INT(ct_cluster_tiny(size, n, tiny), CT_OK);
    ct_cluster_cut_score want[3];
    size_t n_want = 0, ns = 0, k_want = 0, labels[5];
    CHECK_INT(ct_cluster_rank_cuts(ct_compare_tree(c), dist, tiny, want, 3, &n_want), CT_OK);
    const ct_cluster_cut_score *cuts = ct_compare_cuts(c, &ns);
    CHECK_INT(ns, n_want);
    for (size_t i = 0; i < ns && i < n_want; i++)
        CHECK(cuts[i].k == want[i].k && cuts[i].silhouette == want[i].silhouette);
    CHECK_INT(
        ct_cluster_cut_outliers(ct_compare_tree(c), n_want ? want[0].k : 1, tiny, labels, &k_want),
        CT_OK);
    CHECK_INT(kk, k_want);
    CHECK(memcmp(labels, ct_compare_clusters(c), sizeof labels) == 0);
    CHECK(ct_compare_silhouette(c) == (n_want ? want[0].silhouette : 0));
    const double *xy = ct_mds_coords(ct_compare_map(c));
    for (size_t i = 0; i < 2 * n; i++)
        CHECK(isfinite(xy[i]));

    /* The summary counts what was read. */
    ct_compare_summary sum;
    ct_compare_get_summary(c, &sum);
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(ct_compare_doc_chars(c)[i], utf8_chars(TEXTS[i]));
        CHECK(ct_compare_doc_tokens(c)[i] > 0);
        chars += utf8_chars(TEXTS[i]);
    }
    CHECK_INT(sum.documents, 5);
    CHECK_INT(sum.rows, 5);
    CHECK_INT(sum.characters, chars);
    CHECK(sum.tokens > 0 && sum.features > 0 && sum.theme_terms > 0);
    CHECK(strstr(ct_compare_settings(c), "character 2–3-grams") != NULL);
    /* The library's defaults are the command line's: sublinear tf (while ct_tfidf_options_init
     * keeps scikit-learn's raw counts). */
    CHECK(strstr(ct_compare_settings(c), "sublinear tf") != NULL);
    ct_tfidf_options raw;
    ct_tfidf_options_init(&raw);
    CHECK(!(raw.flags & CT_TFIDF_SUBLINEAR_TF));

    /* Deterministic: another run, with other threads and k given, has the same themes and
     * similarities; cut in three the two topics stay apart. */
    ct_compare *c2 = run(corpus, 3, 3);
    if (c2) {
        char *a = themes_text(c), *b = themes_text(c2);
        CHECK(a && b && strcmp(a, b) == 0);
        free(a);
        free(b);
        CHECK(memcmp(s, ct_compare_similarity(c2), n * n * sizeof *s) == 0);
        const size_t *lab = ct_compare_clusters(c2);
        CHECK_INT(ct_compare_k(c2), 3);
        CHECK(ct_compare_k_given(c2));
        size_t ns2;
        ct_compare_cuts(c2, &ns2);
        CHECK_INT(ns2, ns); /* the cuts are scored whether or not k is given */
        CHECK(lab[0] == lab[1] && lab[2] == lab[3] && lab[0] != lab[2] && lab[4] != lab[0] &&
              lab[4] != lab[2]);
        size_t nk2;
        ct_compare_kwic_lines(c2, &nk2);
        CHECK_INT(nk2, nk);
        ct_compare_free(c2);
    }

    /* Too many clusters is an error, not a crash. */
    ct_compare_options o;
    ct_compare_options_init(&o);
    o.clusters = 6;
    ct_compare *bad = NULL;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_compare_run(&bad, corpus, &o, &err), CT_EINVAL);
    CHECK(bad == NULL && strstr(err.text, "clusters") != NULL);

    /* KWIC over a subset of the documents finds only theirs. */
    size_t docs[2] = {4, 2};
    kwic_tally st = {0, 0};
    ct_error_clear(&err);
    CHECK_INT(ct_kwic_search_docs(corpus, docs, 2, "社区", 4, CT_NORM_NFKC, kwic_count, &st, &err),
              CT_OK);
    CHECK_INT(st.hits, 2); /* 社区 twice in grid-a, never in river */
    CHECK_INT(st.bad, 0);

    ct_compare_free(c);
    ct_corpus_free(corpus);
}

/* --group-by: a directory with a manifest, grouped by topic. */
static void test_groups(void)
{
    char dir[] = "/tmp/ct-compare-api-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    static const char *const TOPIC[5] = {"care", "care", "grid", "grid", "river"};
    char path[512];
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    FILE *m = fopen(path, "w");
    fputs("file\tid\ttopic\n", m);
    for (int i = 0; i < 5; i++) {
        fprintf(m, "%s.txt\t%s\t%s\n", IDS[i], IDS[i], TOPIC[i]);
        snprintf(path, sizeof path, "%s/%s.txt", dir, IDS[i]);
        FILE *f = fopen(path, "w");
        fputs(TEXTS[i], f);
        fclose(f);
    }
    fclose(m);
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus = NULL;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, dir, &err), CT_OK);
    ct_compare_options o;
    ct_compare_options_init(&o);
    o.group_by = "topic";
    ct_compare *c = NULL;
    CHECK_INT(ct_compare_run(&c, corpus, &o, &err), CT_OK);
    if (c) {
        CHECK_INT(ct_compare_rows(c), 3);
        CHECK_STR(ct_compare_ids(c)[0], "care");
        CHECK_STR(ct_compare_ids(c)[1], "grid");
        CHECK_STR(ct_compare_ids(c)[2], "river");
        CHECK(ct_compare_grouping(c) != NULL);
        const double *s = ct_compare_similarity(c);
        CHECK(fabs(s[0] - 1) < 1e-12 && s[1] == s[3]);
        /* Keyness of each group against the rest, equal to ct_keyness_groups' own. */
        const ct_vocab *v = ct_matrix_vocab(ct_compare_term_counts(c));
        for (size_t g = 0; g < 3; g++) {
            const ct_keyness *k = ct_compare_keyness(c, g);
            CHECK(k != NULL && ct_keyness_size(k) > 0);
            if (k && ct_keyness_size(k) > 0) {
                const ct_keyness_row *top = ct_keyness_get_row(k, 0);
                CHECK(top->stat > 0 && top->n_target > 0);
                const char *term = ct_vocab_term(v, top->term);
                /* the group's most key term occurs in its documents */
                int found = 0;
                for (int i = 0; i < 5; i++)
                    found |= strcmp(TOPIC[i], ct_compare_ids(c)[g]) == 0 &&
                             strstr(TEXTS[i], term) != NULL;
                CHECK(found);
            }
        }
        size_t nk;
        const ct_compare_kwic *kw = ct_compare_kwic_lines(c, &nk);
        CHECK(nk > 0);
        for (size_t q = 0; q < nk; q++)
            CHECK_STR(TOPIC[kw[q].doc], ct_compare_ids(c)[kw[q].row]);
        ct_compare_free(c);
    }
    /* A field nobody has. */
    o.group_by = "nosuch";
    c = NULL;
    CHECK_INT(ct_compare_run(&c, corpus, &o, &err), CT_ENOTFOUND);
    CHECK(c == NULL);
    ct_corpus_free(corpus);
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s.txt", dir, IDS[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    unlink(path);
    rmdir(dir);
}

/* Notes on the corpus: an exact copy, a near copy, a nearly empty document and a short one
 * among the five. */
static void test_notes(void)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *corpus = NULL;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_corpus_new(&corpus, &ro), CT_OK);
    for (int i = 0; i < 5; i++)
        CHECK_INT(ct_corpus_add_text(corpus, IDS[i], IDS[i], TEXTS[i], strlen(TEXTS[i]), &err),
                  CT_OK);
    /* 5: river's text again; 6: grid-b with two more characters; 7: two characters; 8: six
     * characters (fewer than a tenth of the median's 71, but 12 tokens). */
    char near[2048];
    snprintf(near, sizeof near, "%s提升", TEXTS[3]);
    const char *extra[4][2] = {{"river-copy", TEXTS[4]},
                               {"grid-b-near", near},
                               {"tiny", "社区"},
                               {"short", "网格化管理员"}};
    for (int i = 0; i < 4; i++)
        CHECK_INT(ct_corpus_add_text(corpus, extra[i][0], extra[i][0], extra[i][1],
                                     strlen(extra[i][1]), &err),
                  CT_OK);
    ct_compare_options o;
    ct_compare_options_init(&o);
    ct_compare *c = NULL;
    CHECK_INT(ct_compare_run(&c, corpus, &o, &err), CT_OK);
    if (c) {
        size_t n;
        const ct_compare_note *notes = ct_compare_notes(c, &n);
        CHECK_INT(n, 4);
        for (size_t q = 0; n != 4 && q < n; q++)
            fprintf(stderr, "note %d %zu %zu %g\n", (int)notes[q].kind, notes[q].a, notes[q].b,
                    notes[q].value);
        for (size_t d = 0; n != 4 && d < 9; d++)
            fprintf(stderr, "doc %zu: %zu characters, %zu tokens, cos(3,d) %g\n", d,
                    ct_compare_doc_chars(c)[d], ct_compare_doc_tokens(c)[d],
                    ct_compare_similarity(c)[3 * 9 + d]);
        if (n == 4) {
            CHECK_INT(notes[0].kind, CT_NOTE_DUPLICATE);
            CHECK(notes[0].a == 4 && notes[0].b == 5);
            CHECK_INT(notes[1].kind, CT_NOTE_NEAR_DUPLICATE);
            CHECK(notes[1].a == 3 && notes[1].b == 6 && notes[1].value >= 0.98);
            CHECK(notes[1].value == ct_compare_similarity(c)[3 * 9 + 6]);
            CHECK_INT(notes[2].kind, CT_NOTE_FEW_TOKENS);
            CHECK(notes[2].a == 7 && notes[2].value < 10);
            CHECK_INT(notes[3].kind, CT_NOTE_SHORT);
            CHECK(notes[3].a == 8 && notes[3].value < 0.1);
        }
        ct_compare_free(c);
    }
    /* Thresholds are options: with near_duplicate above 1 and no token or length limits,
     * only the exact copy is left. */
    o.near_duplicate = 1.5;
    o.few_tokens = 0;
    o.short_share = 0;
    CHECK_INT(ct_compare_run(&c, corpus, &o, &err), CT_OK);
    if (c) {
        size_t n;
        const ct_compare_note *notes = ct_compare_notes(c, &n);
        CHECK(n == 1 && notes[0].kind == CT_NOTE_DUPLICATE);
        ct_compare_free(c);
    }
    ct_corpus_free(corpus);
}

int main(void)
{
    test_memory();
    test_groups();
    test_notes();
    return check_finish();
}
