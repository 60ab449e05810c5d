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
int ct_corpus_add_jsonl(ct_corpus *c, const char *path, int sniff, ct_error *err);
/** corpus_table.c: a CSV (sep ',') or TSV (sep '\t') table: a header row, one document a
 * row. */
int ct_corpus_add_table(ct_corpus *c, const char *path, char sep, ct_error *err);
/** corpus_docx.c, corpus_pdf.c: the text of a Word document or a PDF, in reading order
 * (UTF-8, ct_malloc); CT_EINPUT naming path for a damaged file, and when the reader was not
 * built. */
int ct_docx_read_text(const char *path, char **text, size_t *len, ct_error *err);
int ct_pdf_read_text(const char *path, char **text, size_t *len, ct_error *err);

/** Kinds (corpus_kind.c): CT_KIND_… of a path by its extension; 1 when the reader for a
 * kind was built; a check that the file's first bytes agree with its kind (and that the
 * format is one comptext reads), with an error naming the file and what it looks like. */
int ct_kind_by_name(const char *path);
int ct_kind_built(int kind);
int ct_kind_check(const char *path, int kind, ct_error *err);
/** The two halves of ct_kind_check, for the readers that read the file whole anyway (JSON
 * Lines, tables) and check its first bytes as they read it, rather than reading them twice:
 * the name (refused formats, readers not built), and the first n bytes (at most the 8 KiB
 * ct_kind_check reads; a PDF's end is checked by ct_kind_check only). */
int ct_kind_check_name(const char *path, int kind, ct_error *err);
int ct_kind_check_head(const char *path, int kind, const unsigned char *bytes, size_t n,
                       ct_error *err);
/** What binary content looks like ("a ZIP archive", "a PDF file", ...) or NULL. */
const char *ct_sniff_binary(const unsigned char *bytes, size_t n);

#endif
