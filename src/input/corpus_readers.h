/* corpus_readers.h — the corpus readers, one file each (private to the input layer).
 *
 * Each reader adds the documents of one kind of source to a corpus through corpus_impl.h;
 * corpus_add.c picks the reader for a path. Nothing else calls them, so the corpus container
 * (corpus.c) does not depend on its readers. */
#ifndef CT_CORPUS_READERS_H
#define CT_CORPUS_READERS_H

#include "comptext/corpus.h"

/** corpus_dir.c: a directory of text files with an optional manifest.tsv. */
int ct_corpus_add_dir(ct_corpus *c, const char *dir, ct_error *err);
/** corpus_dir.c: one text file; id NULL: derived from the path. */
int ct_corpus_add_file(ct_corpus *c, const char *path, const char *id, ct_error *err);
/** corpus_jsonl.c: a JSON Lines file. */
int ct_corpus_add_jsonl(ct_corpus *c, const char *path, ct_error *err);

#endif
