/* comptext/tfidf_model.h — a fitted TF-IDF model: the vocabulary and idf learnt on one corpus
 * and applied to another, as scikit-learn's TfidfVectorizer fit / transform.
 *
 * A model holds the kept terms (byte order), their document frequency and idf on the fitting
 * corpus, its number of documents, the tf and norm options, and an opaque JSON object of the
 * parameters that made it (the caller's: tokenisation, corpus, ...), kept as text.
 * ct_tfidf_model_transform maps the columns of a new count matrix to the model's terms by
 * their text — terms the model does not know are dropped, as CountVectorizer.transform drops
 * them — then applies the tf, the model's idf and the norm: per value the same operations as
 * ct_tfidf_compute, so a model applied to its own fitting corpus gives the same weights.
 * Files: ct_tfidf_model_load reads the JSON that ct_tfidf_model_write (comptext/render.h)
 * writes; a file that is not such a model is CT_EINPUT naming it. */
#ifndef COMPTEXT_TFIDF_MODEL_H
#define COMPTEXT_TFIDF_MODEL_H

#include "comptext/export.h"
#include <stddef.h>
#include <stdint.h>

#include "comptext/error.h"
#include "comptext/matrix.h"
#include "comptext/tfidf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tfidf_model ct_tfidf_model;

/** The identifier in a model file's "format" field. */
#define CT_TFIDF_MODEL_FORMAT "comptext-tfidf-model"
#define CT_TFIDF_MODEL_VERSION 1

/** A model from its parts: vocab, idf and df (arrays of ct_vocab_size(vocab) entries), all
 * copied, the fitting corpus's row count, and the
 * flags and norm of opts (its pruning options are recorded only through parameters_json).
 * parameters_json: a JSON object as text, or NULL for {}. */
CT_API int ct_tfidf_model_new(ct_tfidf_model **out, const ct_vocab *vocab, const double *idf,
                              const uint32_t *df, size_t n_documents, const ct_tfidf_options *opts,
                              const char *parameters_json);
/** Fit on counts: prune, weigh (ct_tfidf_compute) and keep the kept terms' idf and df. */
CT_API int ct_tfidf_model_fit(ct_tfidf_model **out, const ct_matrix *counts,
                              const ct_tfidf_options *opts, const char *parameters_json,
                              ct_error *err);
CT_API void ct_tfidf_model_free(ct_tfidf_model *m);

/** The weights of counts under the model: a matrix over the model's vocabulary, one row a
 * row of counts (same ids, empty rows kept). */
CT_API int ct_tfidf_model_transform(ct_matrix **out, const ct_tfidf_model *m,
                                    const ct_matrix *counts);

CT_API const ct_vocab *ct_tfidf_model_vocab(const ct_tfidf_model *m);
CT_API const double *ct_tfidf_model_idf(const ct_tfidf_model *m);
CT_API const uint32_t *ct_tfidf_model_df(const ct_tfidf_model *m);
CT_API size_t ct_tfidf_model_n_documents(const ct_tfidf_model *m);
/** CT_TFIDF_SUBLINEAR_TF, CT_TFIDF_NO_SMOOTH_IDF, CT_TFIDF_NO_IDF as fitted. */
CT_API unsigned ct_tfidf_model_flags(const ct_tfidf_model *m);
CT_API ct_tfidf_norm ct_tfidf_model_norm(const ct_tfidf_model *m);
/** The parameters object as JSON text (borrowed). */
CT_API const char *ct_tfidf_model_parameters(const ct_tfidf_model *m);

/** Read a model file. CT_EIO when it cannot be read, CT_EINPUT when it is not a valid model
 * (err names the file, and the line and column of a JSON syntax error). */
CT_API int ct_tfidf_model_load(ct_tfidf_model **out, const char *path, ct_error *err);

#ifdef __cplusplus
}
#endif

#endif
