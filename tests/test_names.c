/* test_names.c — every name ↔ value pair of the public API (CONTRIBUTING.md, "Conventions"):
 * each value's name parses back to it, each documented name parses, an unknown name is
 * CT_EINVAL and leaves the output alone, and a value out of range is named "?". */
#include "check.h"
#include "comptext.h"

#define ROUND_TRIP(type, parse, name, n_values, ...)                                               \
    do {                                                                                           \
        const char *names_[] = {__VA_ARGS__};                                                      \
        CHECK_INT(sizeof names_ / sizeof names_[0], n_values);                                     \
        for (int v_ = 0; v_ < (n_values); v_++) {                                                  \
            type out_ = (type)((v_ + 1) % (n_values));                                             \
            CHECK_INT(parse(name((type)v_), &out_), CT_OK);                                        \
            CHECK_INT(out_, v_);                                                                   \
        }                                                                                          \
        for (size_t i_ = 0; i_ < sizeof names_ / sizeof names_[0]; i_++) {                         \
            type out_;                                                                             \
            CHECK_INT(parse(names_[i_], &out_), CT_OK);                                            \
            CHECK_STR(name(out_), names_[i_]);                                                     \
        }                                                                                          \
        type kept_ = (type)0;                                                                      \
        CHECK_INT(parse("no-such-name", &kept_), CT_EINVAL);                                       \
        CHECK_INT(kept_, 0);                                                                       \
        CHECK_STR(name((type)(n_values)), "?");                                                    \
    } while (0)

int main(void)
{
    ROUND_TRIP(ct_linkage, ct_linkage_parse, ct_linkage_name, 4, "average", "complete", "single",
               "ward");
    ROUND_TRIP(ct_sim_measure, ct_sim_measure_parse, ct_sim_measure_name, 2, "cosine", "jaccard");
    ROUND_TRIP(ct_tf_scheme, ct_tf_scheme_parse, ct_tf_scheme_name, 4, "count", "relative",
               "sublinear", "boolean");
    ROUND_TRIP(ct_tfidf_norm, ct_tfidf_norm_parse, ct_tfidf_norm_name, 3, "l2", "l1", "none");
    ROUND_TRIP(ct_themes_score, ct_themes_score_parse, ct_themes_score_name, 5, "g2", "tfidf",
               "logratio", "g2-logratio", "g2-idf");
    return check_finish();
}
