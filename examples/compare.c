/* examples/compare.c — compare the documents of a corpus from C, as `comptext compare` does.
 *
 * The smallest useful program on libcomptext: it reads the corpora named on the command line
 * (folders, JSON Lines, CSV/TSV tables, files), runs the comparison with the command's
 * defaults and the shipped stopword list, and prints each document's most similar other
 * document with the cosine, and its three top themes. It includes only the public header
 * <comptext.h>; README.md quotes it, and the test `example-compare` builds it against the
 * installed-style headers and the shared library and checks its output against the
 * command's. Build: cc compare.c $(pkg-config --cflags --libs comptext) -o compare */
#include <stdio.h>

#include <comptext.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS...\n", argv[0]);
        return 2;
    }
    ct_error err;
    ct_error_clear(&err);
    char msg[2200];
    ct_read_options ro;
    ct_read_options_init(&ro); /* auto encoding, fields "text" and "id", chrome removed */
    ct_corpus *corpus = NULL;
    ct_stopwords *stopwords = NULL, *generic = NULL;
    ct_compare *c = NULL;
    int rc = ct_corpus_new(&corpus, &ro);
    for (int i = 1; rc == CT_OK && i < argc; i++)
        rc = ct_corpus_add(corpus, argv[i], &err);

    ct_compare_options o;
    ct_compare_options_init(&o); /* the command's: -n 2-4, sublinear tf, 20 themes, … */
    const char *sw = ct_stopwords_default_path();
    if (rc == CT_OK && sw && (rc = ct_stopwords_load(&stopwords, sw, o.tok.flags, &err)) == CT_OK)
        o.tok.stopwords = stopwords;
    const char *gw = ct_terms_generic_default_path(); /* words never themes, as the command */
    if (rc == CT_OK && gw && (rc = ct_stopwords_load(&generic, gw, o.tok.flags, &err)) == CT_OK)
        o.terms.generic = generic;
    if (rc == CT_OK)
        rc = ct_compare_run(&c, corpus, &o, &err);
    if (rc != CT_OK) {
        fprintf(stderr, "%s: %s\n", argv[0],
                err.text[0] ? ct_error_format(&err, msg, sizeof msg) : ct_strerror(rc));
        ct_stopwords_free(stopwords);
        ct_stopwords_free(generic);
        ct_corpus_free(corpus);
        return 1;
    }

    const char *const *ids = ct_compare_ids(c);
    const ct_vocab *vocab = ct_matrix_vocab(ct_compare_term_counts(c));
    for (size_t row = 0; row < ct_compare_rows(c); row++) {
        size_t n_nb, n_th;
        const ct_compare_neighbour *nb = ct_compare_neighbours(c, row, &n_nb);
        const ct_theme *th = ct_compare_row_themes(c, row, &n_th);
        printf("%s\t%s\t%.4f\t", ids[row], n_nb ? ids[nb[0].row] : "-", n_nb ? nb[0].sim : 0.0);
        for (size_t t = 0; t < n_th && t < 3; t++)
            printf("%s%s", t ? " " : "", ct_vocab_term(vocab, th[t].term));
        putchar('\n');
    }
    ct_compare_free(c);
    ct_stopwords_free(stopwords);
    ct_stopwords_free(generic);
    ct_corpus_free(corpus);
    return 0;
}
