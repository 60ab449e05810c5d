/* corpus_jsonl.c — JSON Lines corpora: one JSON object a line.
 *
 * Adding the file parses every line once to learn ids and metadata and to check that the
 * text field is there; the texts themselves are not kept: each document remembers its
 * line's byte range and ct_jsonl_read_text parses that line again when the text is needed.
 * The id comes from --id-field (a string or a number); when a line has no such field its id
 * is "<file name without .jsonl>:<line>". Every other string or number field is metadata.
 * Blank lines are skipped. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "encoding.h"

/* The string form of a string or number value, in buf; NULL for other types. */
static const char *scalar_text(json_t *v, char *buf, size_t size, size_t *len)
{
    if (json_is_string(v)) {
        *len = json_string_length(v);
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        *len = (size_t)snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        *len = (size_t)snprintf(buf, size, "%.17g", json_real_value(v));
        return buf;
    }
    return NULL;
}

/* The field names of an object, for an error message. */
static void list_fields(json_t *obj, char *buf, size_t size)
{
    const char *key;
    json_t *value;
    size_t used = 0;
    buf[0] = '\0';
    json_object_foreach(obj, key, value)
    {
        (void)value;
        int n = snprintf(buf + used, size - used, "%s\"%s\"", used ? ", " : "", key);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, size, "none");
}

static int parse_line(const char *path, long line_no, long long offset, const char *line,
                      size_t len, json_t **out, ct_error *err)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return CT_ENOMEM;
        ct_error_set(err, path, line_no, offset + jerr.position,
                     "invalid JSON at column %d: %s", jerr.column, jerr.text);
        return CT_EINPUT;
    }
    if (!json_is_object(obj)) {
        ct_error_set(err, path, line_no, offset, "expected a JSON object");
        json_decref(obj);
        return CT_EINPUT;
    }
    *out = obj;
    return CT_OK;
}

static int add_record(ct_corpus *c, const char *path, const char *stem, long line_no,
                      long long offset, size_t len, json_t *obj, ct_error *err)
{
    json_t *text = json_object_get(obj, c->text_field);
    if (!text || !json_is_string(text)) {
        char fields[600];
        list_fields(obj, fields, sizeof fields);
        ct_error_set(err, path, line_no, offset,
                     text ? "field \"%s\" is not a string (fields: %s)"
                          : "no text field \"%s\" (fields: %s); choose one with --text-field",
                     c->text_field, fields);
        return CT_EINPUT;
    }
    if (memchr(json_string_value(text), '\0', json_string_length(text))) {
        ct_error_set(err, path, line_no, offset, "text field \"%s\" contains a NUL character",
                     c->text_field);
        return CT_EINPUT;
    }
    char numbuf[64], source[4200];
    size_t id_len = 0;
    json_t *idv = json_object_get(obj, c->id_field);
    const char *id = NULL;
    if (idv && !json_is_null(idv)) {
        id = scalar_text(idv, numbuf, sizeof numbuf, &id_len);
        if (!id) {
            ct_error_set(err, path, line_no, offset, "id field \"%s\" is not a string or number",
                         c->id_field);
            return CT_EINPUT;
        }
        if (memchr(id, '\0', id_len)) {
            ct_error_set(err, path, line_no, offset, "id field \"%s\" contains a NUL character",
                         c->id_field);
            return CT_EINPUT;
        }
    }
    snprintf(source, sizeof source, "%s:%ld", path, line_no);
    ct_doc d = {0};
    d.kind = CT_DOC_JSONL_LINE;
    d.path = ct_strdup(path);
    d.source = ct_strdup(source);
    d.offset = offset;
    d.length = len;
    d.line = line_no;
    if (id) {
        d.id = ct_strndup(id, id_len);
    } else {
        char derived[4200];
        snprintf(derived, sizeof derived, "%s:%ld", stem, line_no);
        d.id = ct_strdup(derived);
    }
    if (!d.path || !d.source || !d.id) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    int rc = ct_corpus_push(c, &d, err);
    if (rc != CT_OK)
        return rc;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        if (strcmp(key, c->text_field) == 0 || strcmp(key, c->id_field) == 0)
            continue;
        size_t vlen;
        const char *v = scalar_text(value, numbuf, sizeof numbuf, &vlen);
        if (!v || memchr(v, '\0', vlen))
            continue;
        rc = ct_corpus_set_meta(c, key, v, vlen);
        if (rc != CT_OK)
            return rc;
    }
    return CT_OK;
}

int ct_corpus_add_jsonl(ct_corpus *c, const char *path, ct_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char stem[4096];
    snprintf(stem, sizeof stem, "%s", base);
    size_t sl = strlen(stem);
    if (sl > 6 && strcmp(stem + sl - 6, ".jsonl") == 0)
        stem[sl - 6] = '\0';
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long line_no = 0;
    long long offset = 0;
    int rc = CT_OK;
    size_t before = c->n_docs;
    while ((n = getline(&line, &cap, f)) >= 0) {
        line_no++;
        long long line_offset = offset;
        offset += n;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t skip = 0;
        if (line_no == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
            skip = 3;
        size_t bad = ct_utf8_invalid_offset(line + skip, len - skip);
        if (bad != len - skip) {
            ct_error_set(err, path, line_no, line_offset + (long long)(skip + bad),
                         "invalid UTF-8 (byte 0x%02X); JSON Lines must be UTF-8",
                         (unsigned char)line[skip + bad]);
            rc = CT_EENCODING;
            break;
        }
        size_t k = skip;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        json_t *obj;
        rc = parse_line(path, line_no, line_offset + (long long)skip, line + skip, len - skip,
                        &obj, err);
        if (rc != CT_OK)
            break;
        rc = add_record(c, path, stem, line_no, line_offset + (long long)skip, len - skip, obj,
                        err);
        json_decref(obj);
        if (rc != CT_OK)
            break;
    }
    if (rc == CT_OK && ferror(f)) {
        ct_error_set(err, path, line_no, offset, "read error: %s", strerror(errno));
        rc = CT_EIO;
    }
    if (rc == CT_OK && c->n_docs == before) {
        ct_error_set(err, path, 0, -1, "no JSON records in this file");
        rc = CT_EEMPTY;
    }
    free(line); /* getline's buffer comes from the C library */
    fclose(f);
    return rc;
}

int ct_jsonl_read_text(const ct_corpus *c, const ct_doc *d, char **text, size_t *len,
                       ct_error *err)
{
    FILE *f = fopen(d->path, "rb");
    if (!f) {
        ct_error_set(err, d->path, d->line, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    char *buf = ct_malloc(d->length + 1);
    int rc = CT_OK;
    json_t *obj = NULL;
    if (!buf) {
        rc = CT_ENOMEM;
        goto done;
    }
    if (fseeko(f, (off_t)d->offset, SEEK_SET) != 0 || fread(buf, 1, d->length, f) != d->length) {
        ct_error_set(err, d->path, d->line, d->offset, "the file changed while being read");
        rc = CT_EIO;
        goto done;
    }
    rc = parse_line(d->path, d->line, d->offset, buf, d->length, &obj, err);
    if (rc != CT_OK)
        goto done;
    json_t *t = json_object_get(obj, c->text_field);
    if (!json_is_string(t)) {
        ct_error_set(err, d->path, d->line, d->offset, "the file changed while being read");
        rc = CT_EIO;
        goto done;
    }
    /* JSON strings are UTF-8 already; only line ends need normalising. */
    rc = ct_decode_text(json_string_value(t), json_string_length(t), CT_ENCODING_UTF8,
                        d->source, text, len, NULL, err);
done:
    json_decref(obj);
    ct_free(buf);
    fclose(f);
    return rc;
}
