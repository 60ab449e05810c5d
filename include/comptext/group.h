/* comptext/group.h — grouping documents by a metadata field (--group-by FIELD).
 *
 * Documents that share a value of the field are merged into one row before any weighting:
 * their count rows are summed, as quanteda's dfm_group does, and the value becomes the row's
 * id. Groups are numbered in order of first appearance in the corpus (the first document's
 * group is group 0), so the order of rows follows the corpus the way the user wrote it.
 * Every document must have a non-empty value: a document without one is an error naming the
 * first such document (a silent "missing" group would mix unrelated reports). tf, tfidf,
 * similarity, themes and compare all group through this module. */
#ifndef COMPTEXT_GROUP_H
#define COMPTEXT_GROUP_H

#include "comptext/export.h"

#include <stddef.h>
#include "comptext/corpus.h"
#include "comptext/error.h"
#include "comptext/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_grouping ct_grouping;

/** Group the documents of corpus by the metadata field named field.
 * Fails with CT_ENOTFOUND when no document has the field (err lists the fields there are),
 * CT_EINPUT when some document has no value or an empty one (err names the first such
 * document and its source), CT_ENOMEM. */
CT_API int ct_grouping_new(ct_grouping **out, const ct_corpus *corpus, const char *field,
                           ct_error *err);
CT_API void ct_grouping_free(ct_grouping *g);

/** The field grouped by (borrowed). */
CT_API const char *ct_grouping_field(const ct_grouping *g);
/** Number of groups. */
CT_API size_t ct_grouping_size(const ct_grouping *g);
/** A group's name: the shared field value (borrowed). */
CT_API const char *ct_grouping_name(const ct_grouping *g, size_t group);
/** The group of document doc. */
CT_API size_t ct_grouping_of(const ct_grouping *g, size_t doc);
/** The documents of a group, in corpus order (borrowed array of *count document indices). */
CT_API const size_t *ct_grouping_members(const ct_grouping *g, size_t group, size_t *count);

/** Sum the rows of m — one row per document of the grouped corpus, in corpus order — by
 * group: row g of *out is the sum of its members' rows (columns ascending, zeros dropped),
 * its id the group's name; the vocabulary is shared. CT_EINVAL when m's row count differs
 * from the corpus size. */
CT_API int ct_grouping_apply(ct_matrix **out, const ct_grouping *g, const ct_matrix *m);

#ifdef __cplusplus
}
#endif
#endif
