/* comptext/error.h — status codes and the caller-owned error record.
 *
 * Every fallible call returns an int: 0 (CT_OK) or a negative CT_E… code. Calls that read
 * user input also fill a ct_error, owned by the caller, with the source (file name), the
 * line and byte offset where known and a readable message — the same idea as jansson's
 * json_error_t, so the command line can print "file:line: message" without guessing. */
#ifndef COMPTEXT_ERROR_H
#define COMPTEXT_ERROR_H

#include "comptext/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes: 0 on success, negative on failure. */
enum ct_status {
    CT_OK = 0,
    CT_ENOMEM = -1,     /**< memory allocation failed */
    CT_EIO = -2,        /**< a file could not be opened, read or written */
    CT_EINPUT = -3,     /**< malformed input (JSON, manifest, missing field, ...) */
    CT_EENCODING = -4,  /**< bytes that are not valid in the chosen encoding */
    CT_EDUPLICATE = -5, /**< a document id occurs twice */
    CT_EINVAL = -6,     /**< an argument or option value out of range */
    CT_EEMPTY = -7,     /**< nothing to work on (no documents, no terms left) */
    CT_ENOTFOUND = -8,  /**< a looked-up item does not exist */
    CT_ENUMERIC = -9,   /**< a numerical routine (GSL) failed */
};

/** Where and why a call failed. line is 1-based (0: unknown); offset is a byte offset
 * into the source (-1: unknown). */
typedef struct ct_error {
    char source[1024];
    long line;
    long long offset;
    char text[1024];
} ct_error;

/** A static English description of a status code. */
CT_API const char *ct_strerror(int code);

/** Reset an error record to "no error" (empty source and text, line 0, offset -1). */
CT_API void ct_error_clear(ct_error *err);

/** Fill an error record; err may be NULL. source may be NULL. Returns nothing: the caller
 * returns its own status code. */
CT_API void ct_error_set(ct_error *err, const char *source, long line, long long offset,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/** Format an error record into buf (always NUL-terminated when size > 0), by what it knows:
 * "source:line: text (byte offset N)", "source:line: text", "source: byte offset N: text",
 * "source: text", or "text" alone when there is no source. Returns buf. */
CT_API char *ct_error_format(const ct_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
