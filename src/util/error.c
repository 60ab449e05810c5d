/* error.c — status code descriptions and the ct_error record (see comptext/error.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "comptext/error.h"
#include "comptext/version.h"
#include "ct_config.h"

const char *ct_strerror(int code)
{
    switch (code) {
    case CT_OK:
        return "success";
    case CT_ENOMEM:
        return "out of memory";
    case CT_EIO:
        return "input/output error";
    case CT_EINPUT:
        return "malformed input";
    case CT_EENCODING:
        return "invalid text encoding";
    case CT_EDUPLICATE:
        return "duplicate document id";
    case CT_EINVAL:
        return "invalid argument";
    case CT_EEMPTY:
        return "nothing to process";
    case CT_ENOTFOUND:
        return "not found";
    case CT_ENUMERIC:
        return "numerical error";
    default:
        return "unknown error";
    }
}

const char *ct_version(void)
{
    return CT_VERSION;
}

void ct_error_clear(ct_error *err)
{
    if (!err)
        return;
    err->source[0] = '\0';
    err->text[0] = '\0';
    err->line = 0;
    err->offset = -1;
}

void ct_error_set(ct_error *err, const char *source, long line, long long offset, const char *fmt,
                  ...)
{
    if (!err)
        return;
    snprintf(err->source, sizeof err->source, "%s", source ? source : "");
    err->line = line;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
}

char *ct_error_format(const ct_error *err, char *buf, size_t size)
{
    if (!size)
        return buf;
    if (!err->source[0])
        snprintf(buf, size, "%s", err->text);
    else if (err->line > 0 && err->offset >= 0)
        snprintf(buf, size, "%s:%ld: %s (byte offset %lld)", err->source, err->line, err->text,
                 err->offset);
    else if (err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->source, err->line, err->text);
    else if (err->offset >= 0)
        snprintf(buf, size, "%s: byte offset %lld: %s", err->source, err->offset, err->text);
    else
        snprintf(buf, size, "%s: %s", err->source, err->text);
    return buf;
}
