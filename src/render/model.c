/* model.c — a fitted TF-IDF model as a JSON file (comptext/render.h; read back by
 * ct_tfidf_model_load in analysis/tfidf_model.c).
 *
 *   {"format": "comptext-tfidf-model", "format_version": 1,
 *    "parameters": {...what made it...}, "n_documents": N,
 *    "weighting": {"sublinear_tf": B, "smooth_idf": B, "use_idf": B, "norm": "l2"},
 *    "n_terms": T, "terms": [...byte order...], "df": [...], "idf": [...%.17g...]}
 *
 * The three arrays are streamed a value at a time (a vocabulary of millions of terms never
 * becomes one jansson tree); numbers are written with %.17g so that the idf reads back
 * exactly. */
#include <jansson.h>
#include <string.h>

#include "comptext/error.h"
#include "comptext/render.h"
#include "comptext/tfidf_model.h"
#include "output.h"

static int dump(FILE *f, json_t *v)
{
    if (!v)
        return CT_ENOMEM;
    int rc = json_dumpf(v, f, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17)) == 0
                 ? CT_OK
                 : CT_EIO;
    json_decref(v);
    return rc;
}

int ct_tfidf_model_write(const ct_tfidf_model *m, FILE *f)
{
    json_error_t jerr;
    json_t *params = json_loads(ct_tfidf_model_parameters(m), 0, &jerr);
    if (!json_is_object(params)) {
        json_decref(params);
        return CT_EINVAL;
    }
    unsigned flags = ct_tfidf_model_flags(m);
    json_t *w =
        json_pack("{s:b, s:b, s:b, s:s}", "sublinear_tf", !!(flags & CT_TFIDF_SUBLINEAR_TF),
                  "smooth_idf", !(flags & CT_TFIDF_NO_SMOOTH_IDF), "use_idf",
                  !(flags & CT_TFIDF_NO_IDF), "norm", ct_tfidf_norm_name(ct_tfidf_model_norm(m)));
    const ct_vocab *v = ct_tfidf_model_vocab(m);
    size_t n = ct_vocab_size(v);
    fputs("{\"format\": \"" CT_TFIDF_MODEL_FORMAT "\", \"format_version\": ", f);
    fprintf(f, "%d,\n\"parameters\": ", CT_TFIDF_MODEL_VERSION);
    int rc = dump(f, params);
    fprintf(f, ",\n\"n_documents\": %zu,\n\"weighting\": ", ct_tfidf_model_n_documents(m));
    if (rc == CT_OK)
        rc = dump(f, w);
    else
        json_decref(w);
    fprintf(f, ",\n\"n_terms\": %zu,\n\"terms\": [", n);
    for (size_t i = 0; rc == CT_OK && i < n; i++) {
        if (i)
            fputs(i % 16 ? ", " : ",\n", f);
        rc =
            dump(f, json_stringn(ct_vocab_term(v, (uint32_t)i), ct_vocab_term_len(v, (uint32_t)i)));
    }
    fputs("],\n\"df\": [", f);
    const uint32_t *df = ct_tfidf_model_df(m);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%u", i == 0 ? "" : i % 32 ? ", " : ",\n", df[i]);
    fputs("],\n\"idf\": [", f);
    const double *idf = ct_tfidf_model_idf(m);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(i % 8 ? ", " : ",\n", f);
        ct_write_double(f, idf[i]);
    }
    fputs("]}\n", f);
    if (rc == CT_OK && ferror(f))
        rc = CT_EIO;
    return rc;
}
