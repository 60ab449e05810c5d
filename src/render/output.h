/* output.h — writing results safely (private).
 *
 * ct_out writes to a temporary file beside the destination and renames it into place on
 * ct_out_commit, so a failed run never leaves a half-written output; "-" or NULL writes to
 * standard output. The field writers escape ids and terms for TSV and CSV. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include "comptext/error.h"

typedef struct ct_out ct_out;

/** Open path for writing ("-" or NULL: standard output). CT_EIO names the path. */
int ct_out_open(ct_out **out, const char *path, ct_error *err);
FILE *ct_out_file(ct_out *out);
/** Flush, check for write errors, and move the file into place; frees out. */
int ct_out_commit(ct_out *out, ct_error *err);
/** Discard the output (removes the temporary file); frees out. NULL is a no-op. */
void ct_out_abort(ct_out *out);

/** Remove the registered temporary files and directories when SIGINT, SIGTERM or SIGHUP
 * arrives (then die of the signal as before); a signal that is ignored stays ignored. */
void ct_tmp_cleanup_on_signals(void);

/** An output directory, all or nothing: files are written into a stage (beside DIR when it
 * does not exist, inside it when it does) and moved into place by ct_outdir_commit — a new
 * DIR in one rename, an existing one file by file under a lock on DIR (flock), each file
 * swapped in (renameat2 RENAME_EXCHANGE) and every move undone when one fails; a stage on
 * another file system is copied. Other files in an existing DIR are left alone, except
 * those the command owns (ct_outdir_own). */
typedef struct ct_outdir ct_outdir;
int ct_outdir_open(ct_outdir **out, const char *dir, ct_error *err);
/** The names (static storage) the command owns in DIR: at commit, an owned file this run
 * does not write is removed, so that DIR describes this run alone. */
void ct_outdir_own(ct_outdir *d, const char *const *names, size_t n);
/** Open the file name of the stage for writing (NULL with err set, or err empty: no memory). */
FILE *ct_outdir_file(ct_outdir *d, const char *name, ct_error *err);
/** Close a file of ct_outdir_file; returns rc, or CT_EIO when rc was CT_OK and writing failed. */
int ct_outdir_close_file(ct_outdir *d, FILE *f, const char *name, int rc, ct_error *err);
/** Move the files into place; on success frees d, on failure nothing was replaced (call
 * ct_outdir_abort). */
int ct_outdir_commit(ct_outdir *d, ct_error *err);
/** Remove the stage and its files; frees d. NULL is a no-op. */
void ct_outdir_abort(ct_outdir *d);

/** A TSV field: backslash, tab, newline and carriage return written as \\ \t \n \r, and a
 * double quote that begins the field as \" (so that no CSV-minded reader starts a quoted
 * field there). */
void ct_write_tsv_field(FILE *f, const char *s);
/** s (len bytes) escaped as ct_write_tsv_field escapes it, into out (room bytes); returns the
 * length written, or (size_t)-1 when it does not fit. */
size_t ct_format_tsv_field(char *out, size_t room, const char *s, size_t len);
/** A CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF. */
void ct_write_csv_field(FILE *f, const char *s);
/** A double as %.17g (the shortest form that reads back exactly is not needed: %.17g is the
 * contract). */
void ct_write_double(FILE *f, double v);
/** Room for any double written by ct_format_double. */
#define CT_DOUBLE_BUF 32
/** v as %.17g into buf (CT_DOUBLE_BUF bytes, not NUL-terminated unless by snprintf):
 * returns the length. Byte for byte printf's output, but about ten times as fast for the
 * usual values (whole numbers, and 1e-4 <= |v| < 1e17). */
size_t ct_format_double(char *buf, double v);
/** Write an unsigned integer in decimal. */
void ct_write_u64(FILE *f, uint64_t u);
/** Write the TSV row TERM<TAB>COUNT<LF> (the term escaped as ct_write_tsv_field does). */
void ct_write_tsv_count_row(FILE *f, const char *term, uint64_t count);
/** The same row into out (room bytes) for a term of len bytes; returns its length, or 0 when
 * it does not fit. */
size_t ct_format_tsv_count_row(char *out, size_t room, const char *term, size_t len,
                               uint64_t count);

/** s for a terminal: C0 controls, DEL and the C1 controls written as \xNN (their bytes),
 * everything else as it is (an id or a file name cannot move the cursor). */
void ct_write_escaped(FILE *f, const char *s);

#endif
