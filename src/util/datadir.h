/* datadir.h — where the shipped data files (stopwords, chrome phrases, default corpus) are
 * found at run time, in this order: $COMPTEXT_DATADIR; then, for an installed program,
 * share/comptext beside the running executable's prefix (<exe dir>/../share/comptext, for a
 * relocated install) and the data directory configured at build time, before the source
 * tree it was built from; for a program run from its build tree, the source tree first. */
#ifndef CT_DATADIR_H
#define CT_DATADIR_H

/** The first existing path among the data directories for name (a file or folder relative
 * to the data directory), or NULL. Thread-safe. The path is cached per name in static
 * storage and stays valid, unchanged, for the life of the process. At most eight different
 * names (of under 64 bytes) can be found: NULL after that. */
const char *ct_data_path(const char *name);

#endif
