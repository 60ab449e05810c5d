/* corpus_part.h — reading one share of a corpus, for the MPI driver (src/dist; private).
 *
 * Under mpirun each rank reads only its share of a corpus: the lines of a JSON Lines file
 * that start in a byte range, or a range of the files of a folder by index. Chrome removal
 * depends on the whole corpus (the footer rule counts the documents an edge line occurs in),
 * so each rank observes its own documents, the counts are added up across the ranks
 * (exported and imported as bytes), and the model of the whole corpus is installed in
 * every rank's corpus: each text is then blanked exactly as one process would blank it. */
#ifndef CT_CORPUS_PART_H
#define CT_CORPUS_PART_H

#include <stddef.h>
#include "comptext/chrome.h"
#include "comptext/corpus.h"

/** The records of one JSON Lines file (or share) that got a NAME:LINE id because their id
 * field was missing or null (derived, the first CT_DERIVED_SHOWN of their lines), and those
 * with an id. */
enum { CT_DERIVED_SHOWN = 5 };
typedef struct ct_derived_ids {
    size_t derived, with_id;
    long lines[CT_DERIVED_SHOWN];
} ct_derived_ids;
/** The records of a JSON Lines file whose lines start in [lo, hi) (lo at a line start),
 * numbering the first line first_line + 1 (for messages and derived ids). A share without
 * records is not an error (the caller checks the whole file). *derived: the share's tally,
 * for ct_corpus_note_derived_ids once the shares' tallies are added up (in line order). */
int ct_corpus_add_jsonl_range(ct_corpus *c, const char *path, long long lo, long long hi,
                              long first_line, ct_derived_ids *derived, ct_error *err);
/** The note on a whole file's records with derived ids (none when there are none). */
void ct_corpus_note_derived_ids(const ct_corpus *c, const char *path, const ct_derived_ids *t);
/** A table's share (corpus_table.c). Ranks split a CSV/TSV file at record starts: the
 * parser as an automaton over bytes; ct_table_scan applies the bytes b[0..n) to map (map[s]:
 * the state reached from state s; start from the identity), so the maps of consecutive
 * ranges compose to the state at any range's start. */
enum {
    CT_TABLE_FIRST, /* before the header record */
    CT_TABLE_RECORD,
    CT_TABLE_FIELD,
    CT_TABLE_BARE,
    CT_TABLE_QUOTED,
    CT_TABLE_CLOSE,
    CT_TABLE_BAD,
    CT_TABLE_STATES
};
void ct_table_scan(const char *b, size_t n, char sep, unsigned char map[CT_TABLE_STATES]);
/** From *state, the index in b[0..n) of the first record start (a byte that begins a record
 * other than the header), or n (*state: the state at n; CT_TABLE_BAD: there is none). */
size_t ct_table_record_start(const char *b, size_t n, char sep, unsigned char *state);
/** A table's header record parsed from b (from its start, past a byte-order mark) with the
 * corpus's --text-field/--id-field, its cells in encoding enc (UTF-8, GB18030 or Big5); *end and
 * *end_line: the offset and the line count after it. The same messages as one process's reader. */
typedef struct ct_table_head ct_table_head;
int ct_table_head_parse(ct_table_head **out, const ct_corpus *c, const char *path, char sep,
                        ct_encoding enc, const char *b, size_t len, size_t *end, long *end_line,
                        ct_error *err);
void ct_table_head_free(ct_table_head *h);
/** The records in b[0..len), which starts at file offset base (a record start), numbering
 * its first line first_line + 1. A share without records is not an error. */
int ct_corpus_add_table_rows(ct_corpus *c, const ct_table_head *h, const char *b, size_t len,
                             long long base, long first_line, ct_error *err);

/** The files [n·part/parts, n·(part+1)/parts) of the n files a folder lists, in byte order
 * of relative path, with their manifest rows (the whole manifest is checked on every part). */
int ct_corpus_add_dir_part(ct_corpus *c, const char *dir, size_t part, size_t parts, ct_error *err);

/** Observe the raw text of every document of corpus into model (ct_chrome_observe), without
 * finishing it. */
int ct_corpus_chrome_observe(const ct_corpus *corpus, ct_chrome *model, ct_error *err);
/** Install a finished model (taken over) as the corpus's chrome model: later reads blank
 * with it instead of preparing one from this corpus alone. */
void ct_corpus_chrome_install(ct_corpus *corpus, ct_chrome *model);

/** The observed edge lines and their document counts as bytes (*buf: ct_malloc): records of
 * a 4-byte length, the line, a 4-byte count. */
int ct_chrome_export(const ct_chrome *model, char **buf, size_t *len);
/** Add the counts of an export to model (a line's count adds to the same line's). */
int ct_chrome_import(ct_chrome *model, const char *buf, size_t len);

#endif
