/* table.h — the one writer of tables (private): every TSV and CSV result of every command
 * goes through it, so that they all start with a header row naming their columns and escape
 * their fields the same way (table.c says how and why).
 *
 *   ct_table *t;
 *   static const char *const cols[] = {"id", "term", "weight"};
 *   ct_table_new(&t, f, CT_TABLE_TSV, cols, 3);    // writes the header row
 *   ct_table_text(t, id); ct_table_text(t, term); ct_table_double(t, w);  // one row
 *   rc = ct_table_finish(t);                       // CT_EIO when a write failed
 *
 * A row ends by itself after its last column. Text columns and number columns are told
 * apart by the call that writes them: in CSV text is always quoted and numbers never. */
#ifndef CT_TABLE_H
#define CT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ct_table_format {
    CT_TABLE_TSV = 0,
    CT_TABLE_CSV,
} ct_table_format;

typedef struct ct_table ct_table;

/** "tsv" or "csv" ↔ the enum; CT_EINVAL for another name. */
int ct_table_format_from_name(const char *name, ct_table_format *out);

/** Start a table of ncols columns on f and write its header row (names escaped like text
 * fields). CT_ENOMEM, or CT_EINVAL for ncols 0. */
int ct_table_new(ct_table **out, FILE *f, ct_table_format fmt, const char *const *columns,
                 size_t ncols);
/** A text field of len bytes. */
void ct_table_textn(ct_table *t, const char *s, size_t len);
/** A NUL-terminated text field (NULL: an empty field). */
void ct_table_text(ct_table *t, const char *s);
/** A number field: %.17g (ct_format_double). */
void ct_table_double(ct_table *t, double v);
/** A number field: an unsigned integer in decimal. */
void ct_table_u64(ct_table *t, uint64_t v);
/** Flush, free t and return CT_OK, or CT_EIO when any write failed (t freed either way; a
 * row left unfinished is ended). NULL is a no-op returning CT_OK. */
int ct_table_finish(ct_table *t);

/** The CSV (RFC 4180) form of one text field: always quoted, an inner quote doubled.
 * Returns the length, or (size_t)-1 when it does not fit (2·len + 2 bytes always do). */
size_t ct_table_format_csv(char *out, size_t room, const char *s, size_t len);

#endif
