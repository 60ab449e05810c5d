/* datadir.h — where the shipped data files (stopwords, chrome phrases, default corpus) are
 * found at run time: $COMPTEXT_DATADIR, then the installed data directory (when the program
 * is the installed one) or the source tree it was built from (when it runs from the build
 * tree), then the other. */
#ifndef CT_DATADIR_H
#define CT_DATADIR_H

/** The first existing path among the data directories for name (a file or folder relative
 * to the data directory), or NULL. Static storage: valid until the next call with the same
 * name is not guaranteed, so copy it if you keep it. */
const char *ct_data_path(const char *name);

#endif
