/* group_impl.h — grouping's checks of a corpus (private), for a caller that groups a corpus
 * held in parts (a rank's share under mpirun, src/dist/dist_group.c): the same errors, with
 * the same words, as ct_grouping_new's. */
#ifndef CT_GROUP_IMPL_H
#define CT_GROUP_IMPL_H

#include <stddef.h>

#include "comptext/corpus.h"
#include "comptext/error.h"

/** No document has the field: err lists the n field names there are; CT_ENOTFOUND. */
int grouping_no_field(ct_error *err, const char *field, const char *const *names, size_t n);
/** Document d's value of the field (fi its index in corpus, -1 when the corpus has none):
 * CT_OK with *value, or CT_EINPUT when it has no value or an empty one (err names the
 * document and its source). */
int grouping_value(const char **value, const ct_corpus *corpus, size_t d, long fi,
                   const char *field, ct_error *err);

#endif
