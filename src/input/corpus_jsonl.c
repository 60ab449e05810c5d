/* corpus_jsonl.c — JSON Lines corpora: one JSON object a line.
 *
 * The text of a report is almost all of its line, and decoding it with jansson twice (once
 * to learn ids and metadata, once to count) cost more than all the counting: so each line is
 * read once, a small scanner finds the raw string value of the text field, jansson parses the
 * rest of the object (with that value emptied — it still checks the whole line's syntax, the
 * key types and duplicate keys), and the raw value is validated now and decoded later, when
 * jsonl_read_text needs it, from its byte range in the file, through the descriptor the
 * file was read with (kept open: a file replaced during the run is still the one read). Texts
 * are not kept, except from a pipe, which cannot be read twice. A line that cannot be read
 * (memory runs out, a read error) is an error naming the line, never the end of the file.
 * The id comes from --id-field (a string or a number, never empty); a line without one (or
 * with null) gets the id "<file name without .jsonl>:<line>", with a note when other lines
 * have one. Every other string or number field is metadata.
 * Blank lines are skipped. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_part.h"
#include "corpus_readers.h"
#include "encoding.h"
#include "utf8.h"

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

/* 1 when one of the eight bytes of w is c (the usual "some byte is zero" bit trick). */
static inline int has_byte(uint64_t w, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t x = w ^ (ones * c);
    return ((x - ones) & ~x & highs) != 0;
}

static int hex_value(char c);

/* Skip the JSON string that starts with the quote at s[i]; returns the index after its
 * closing quote, or len when it has none. *bad (may be NULL) receives the offset of the first
 * byte that makes it an invalid JSON string — a raw control character or a malformed escape
 * — or SIZE_MAX: the text value is checked here, while it is skipped, not in a pass of its
 * own. */
static size_t skip_string(const char *s, size_t i, size_t len, size_t *bad)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    if (bad)
        *bad = SIZE_MAX;
    for (i++; i < len; i++) {
        /* Eight bytes at a time through the text, which has no quote, backslash or control
         * character for long stretches. */
        uint64_t w;
        while (i + 8 <= len && (memcpy(&w, s + i, 8), !has_byte(w, '"') && !has_byte(w, '\\') &&
                                                          !((w - ones * 0x20) & ~w & highs)))
            i += 8;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            return i + 1;
        if (c < 0x20) {
            if (bad && *bad == SIZE_MAX)
                *bad = i;
        } else if (c == '\\') {
            char e = i + 1 < len ? s[i + 1] : 0;
            int ok = e && strchr("\"\\/bfnrtu", e) != NULL;
            if (ok && e == 'u')
                for (size_t k = 2; k < 6; k++)
                    ok = ok && i + k < len && hex_value(s[i + k]) >= 0;
            if (!ok && bad && *bad == SIZE_MAX)
                *bad = i;
            i++;
        }
    }
    return len;
}

static size_t skip_space(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* Find the string value of the top-level key `field` in the object s[0..len): on success
 * the content between its quotes is s[*start..*end). Returns 0 when found; -1 otherwise (no
 * such key, not a string value, an escaped key, or malformed input: jansson then decides). */
static int find_string_field(const char *s, size_t len, const char *field, size_t *start,
                             size_t *end, size_t *bad)
{
    size_t flen = strlen(field);
    size_t i = skip_space(s, 0, len);
    if (i >= len || s[i] != '{')
        return -1;
    i = skip_space(s, i + 1, len);
    while (i < len && s[i] == '"') {
        size_t key_start = i + 1, key_end = skip_string(s, i, len, NULL);
        if (key_end >= len)
            return -1;
        int match = key_end - 1 - key_start == flen && memcmp(s + key_start, field, flen) == 0;
        i = skip_space(s, key_end, len);
        if (i >= len || s[i] != ':')
            return -1;
        i = skip_space(s, i + 1, len);
        if (i >= len)
            return -1;
        if (s[i] == '"') {
            size_t v_end = skip_string(s, i, len, match ? bad : NULL);
            if (match && v_end <= len && s[v_end - 1] == '"' && v_end - 1 > i) {
                *start = i + 1;
                *end = v_end - 1;
                return 0;
            }
            i = v_end;
        } else {
            if (match)
                return -1;
            int depth = 0; /* skip a number, literal, array or object */
            while (i < len) {
                char c = s[i];
                if (c == '"') {
                    i = skip_string(s, i, len, NULL);
                    continue;
                }
                if (c == '{' || c == '[')
                    depth++;
                else if (c == '}' || c == ']') {
                    if (depth == 0)
                        break;
                    depth--;
                } else if (c == ',' && depth == 0)
                    break;
                i++;
            }
        }
        i = skip_space(s, i, len);
        if (i < len && s[i] == ',')
            i = skip_space(s, i + 1, len);
        else
            break;
    }
    return -1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(const char *s, size_t i, size_t len, unsigned *out)
{
    if (i + 4 > len)
        return -1;
    unsigned v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value(s[i + k]);
        if (h < 0)
            return -1;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return 0;
}

/* 1 when one of the eight bytes at s is a backslash or a control character (below 0x20):
 * the usual bit tricks for "some byte equals" and "some byte is less than". */
static inline int needs_care(const char *s)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t w;
    memcpy(&w, s, 8);
    return has_byte(w, '\\') || ((w - ones * 0x20) & ~w & highs) != 0;
}

/* Decode the raw content of a JSON string (already valid UTF-8) into out (room for len + 1
 * bytes: decoding never grows a string). Returns the
 * decoded length, or (size_t)-1 with *bad set to the offending byte. Unpaired surrogate
 * escapes become U+FFFD, as jansson refuses them and a report should not fail on one. */
static size_t json_unescape(const char *s, size_t len, char *out, size_t *bad)
{
    size_t i = 0, o = 0;
    while (i < len) {
        /* Eight bytes at a time while none is a backslash or a control character. */
        while (i + 8 <= len && !needs_care(s + i)) {
            memcpy(out + o, s + i, 8);
            i += 8;
            o += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c != '\\') {
            if (c < 0x20) {
                *bad = i;
                return (size_t)-1;
            }
            out[o] = (char)c;
            o++;
            i++;
            continue;
        }
        if (i + 1 >= len) {
            *bad = i;
            return (size_t)-1;
        }
        char e = s[i + 1];
        char simple = e == '"'    ? '"'
                      : e == '\\' ? '\\'
                      : e == '/'  ? '/'
                      : e == 'b'  ? '\b'
                      : e == 'f'  ? '\f'
                      : e == 'n'  ? '\n'
                      : e == 'r'  ? '\r'
                      : e == 't'  ? '\t'
                                  : 0;
        if (simple) {
            out[o] = simple;
            o++;
            i += 2;
            continue;
        }
        unsigned cp;
        if (e != 'u' || read_hex4(s, i + 2, len, &cp) != 0) {
            *bad = i;
            return (size_t)-1;
        }
        i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (i + 1 < len && s[i] == '\\' && s[i + 1] == 'u' &&
                read_hex4(s, i + 2, len, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        char buf[4];
        size_t k = ct_utf8_encode((int32_t)cp, buf);
        memcpy(out + o, buf, k);
        o += k; /* \uXXXX is 6 bytes, its UTF-8 at most 4 (a pair: 12 → 4) */
    }
    return o;
}

/* Parse one line: the object (with the text value emptied) and the text's raw range. */
static int parse_line(ct_corpus *c, const char *path, long line_no, long long offset,
                      const char *line, size_t len, json_t **out, size_t *text_start,
                      size_t *text_end, ct_error *err)
{
    json_error_t jerr;
    json_t *obj = NULL;
    size_t ts = 0, te = 0;
    size_t bad = SIZE_MAX; /* the text value is checked while it is found */
    int found = find_string_field(line, len, c->text_field, &ts, &te, &bad) == 0;
    if (found) {
        if (bad != SIZE_MAX) {
            ct_error_set(err, path, line_no, offset + (long long)bad,
                         "invalid JSON string in field \"%s\" at column %zu", c->text_field,
                         bad + 1);
            return CT_EINPUT;
        }
        char *rest = ct_malloc(len - (te - ts) + 1);
        if (!rest)
            return CT_ENOMEM;
        memcpy(rest, line, ts);
        memcpy(rest + ts, line + te, len - te);
        obj = json_loadb(rest, len - (te - ts), JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
        ct_free(rest);
        if (!obj && jerr.position > (int)ts) /* map the position back into the full line */
            jerr.position += (int)(te - ts), jerr.column += (int)(te - ts);
    } else {
        obj = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    }
    if (!obj) {
        /* jansson could not allocate: not a bad line. (When its lexer cannot even start,
         * it returns without any message, and without setting the error code: test the
         * message first; every parse error has one.) */
        if (!jerr.text[0] || json_error_code(&jerr) == json_error_out_of_memory)
            return CT_ENOMEM;
        if (!err)
            return CT_EINPUT;
        ct_error_set(err, path, line_no, offset + jerr.position, "invalid JSON at column %d: %s",
                     jerr.column, jerr.text);
        return CT_EINPUT;
    }
    if (!json_is_object(obj)) {
        ct_error_set(err, path, line_no, offset, "expected a JSON object");
        json_decref(obj);
        return CT_EINPUT;
    }
    *out = obj;
    *text_start = found ? ts : 0;
    *text_end = found ? te : 0;
    return CT_OK;
}

/* ct_doc.read of a JSON line: decode the raw JSON string from its byte range in the file. */
static int jsonl_read_text(const ct_doc *d, char **text, size_t *len, ct_error *err)
{
    char *raw = d->bytes ? NULL : ct_malloc(d->length + 1);
    char *decoded = ct_malloc(d->length + 1);
    int rc = CT_OK;
    if ((!raw && !d->bytes) || !decoded) {
        ct_error_set(err, d->path, d->line, d->offset,
                     "out of memory while reading this record (%zu bytes)", d->length);
        rc = CT_ENOMEM;
        goto done;
    }
    if (raw) {
        size_t got = 0;
        while (got < d->length) {
            ssize_t k = pread(d->fd, raw + got, d->length - got, (off_t)d->offset + (off_t)got);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                ct_error_set(err, d->path, d->line, d->offset,
                             k < 0 ? "read error: %s" : "the file changed while being read%s",
                             k < 0 ? strerror(errno) : "");
                rc = CT_EIO;
                goto done;
            }
            got += (size_t)k;
        }
    }
    const char *src = raw ? raw : d->bytes;
    size_t bad = 0, n = json_unescape(src, d->length, decoded, &bad);
    if (n == (size_t)-1) {
        ct_error_set(err, d->path, d->line, d->offset + (long long)bad,
                     "the file changed while being read");
        rc = CT_EIO;
        goto done;
    }
    /* The line was checked to be UTF-8 when it was added, and escapes decode to UTF-8:
     * only line ends need normalising. A byte-order mark at the start is dropped too. */
    size_t skip = n >= 3 && memcmp(decoded, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    rc = ct_normalize_newlines(decoded + skip, n - skip, text, len);
done:
    ct_free(raw);
    ct_free(decoded);
    return rc;
}

/* *derived: 1 when the record has no id (the field missing or null) and gets NAME:LINE. */
static int add_record(ct_corpus *c, const char *path, const char *stem, long line_no,
                      long long offset, const char *line, int fd, size_t text_start,
                      size_t text_end, json_t *obj, int *derived, ct_error *err)
{
    *derived = 0;
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
        if (ct_blank_id(id, id_len)) { /* as a table's empty id cell */
            ct_error_set(err, path, line_no, offset, "%s id in field \"%s\"",
                         id_len ? "blank (white space only)" : "empty", c->id_field);
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
    d.read = jsonl_read_text;
    d.path = ct_strdup(path);
    d.source = ct_strdup(source);
    d.rel_off = (size_t)(strrchr(path, '/') ? strrchr(path, '/') - path + 1 : 0);
    d.offset = offset + (long long)text_start;
    d.length = text_end - text_start; /* 0 for an empty or unusual (escaped-key) text */
    d.line = line_no;
    d.fd = fd;
    if (fd < 0 && text_end > text_start) {
        /* Not seekable (a pipe): the raw string is kept, as it cannot be read again. */
        d.bytes = ct_strndup(line + text_start, text_end - text_start);
        if (!d.bytes) {
            ct_doc_clear(&d);
            return CT_ENOMEM;
        }
    }
    if (text_end == text_start && json_string_length(text) > 0) {
        /* The scanner did not find the value (an escaped key): keep the decoded text. */
        d.kind = CT_DOC_MEMORY;
        d.read = NULL;
        d.utf8 = 1; /* JSON text: never re-decoded per --encoding */
        d.bytes = ct_strndup(json_string_value(text), json_string_length(text));
        d.length = json_string_length(text);
        if (!d.bytes) {
            ct_doc_clear(&d);
            return CT_ENOMEM;
        }
    }
    if (id) {
        d.id = ct_strndup(id, id_len);
    } else {
        char name_line[4200];
        snprintf(name_line, sizeof name_line, "%s:%ld", stem, line_no);
        d.id = ct_strdup(name_line);
        *derived = 1;
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

/* Lines of a file read through one descriptor: stops at the first NUL byte (the line holding
 * it is the last one), so that an endless stream of NUL bytes is not read into memory. */
typedef struct line_reader {
    int fd;
    char *buf;
    size_t cap, start, end; /* the unread bytes are buf[start, end) */
    int eof;
} line_reader;

/* The next line (without its '\n') in *line, *len; returns 1, 0 at the end, or a negative
 * CT_E… code (CT_ENOMEM, CT_EIO with errno kept). */
static int next_line(line_reader *r, char **line, size_t *len, size_t *raw_len)
{
    size_t scanned = r->start;
    for (;;) {
        char *nl = r->end > scanned ? memchr(r->buf + scanned, '\n', r->end - scanned) : NULL;
        if (nl) {
            *line = r->buf + r->start;
            *len = (size_t)(nl - *line);
            *raw_len = *len + 1;
            r->start += *raw_len;
            return 1;
        }
        scanned = r->end;
        if (r->eof) {
            if (r->start == r->end)
                return 0;
            *line = r->buf + r->start;
            *len = *raw_len = r->end - r->start;
            r->start = r->end;
            return 1;
        }
        if (r->start > 0) { /* move the partial line to the front */
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            scanned -= r->start;
            r->start = 0;
        }
        if (r->end + 1 >= r->cap) {
            size_t cap = r->cap ? r->cap * 2 : (size_t)1 << 16;
            char *b = cap > r->cap ? ct_realloc(r->buf, cap) : NULL;
            if (!b)
                return CT_ENOMEM;
            r->buf = b;
            r->cap = cap;
        }
        ssize_t got = read(r->fd, r->buf + r->end, r->cap - 1 - r->end);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return CT_EIO;
        if (got == 0) {
            r->eof = 1;
            continue;
        }
        char *nul = memchr(r->buf + r->end, '\0', (size_t)got);
        if (nul) {
            got = nul - (r->buf + r->end) + 1;
            r->eof = 1;
        }
        r->end += (size_t)got;
    }
}

/* Read the file's first bytes into the line reader and check them as ct_kind_check would
 * (corpus_kind.c): the lines are then read on from there, each byte read once. The bytes
 * after a NUL are checked but not kept, as next_line keeps no byte after one. */
static int sniff_head(line_reader *r, const char *path, ct_error *err)
{
    enum { HEAD = 8192 };
    r->cap = (size_t)1 << 16;
    if (!(r->buf = ct_malloc(r->cap)))
        return CT_ENOMEM;
    while (r->end < HEAD) {
        ssize_t got = read(r->fd, r->buf + r->end, HEAD - r->end);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            ct_error_set(err, path, 0, -1, "read error: %s", strerror(errno));
            return CT_EIO;
        }
        if (got == 0) {
            r->eof = 1;
            break;
        }
        r->end += (size_t)got;
    }
    int rc = ct_kind_check_head(path, CT_KIND_JSONL, (const unsigned char *)r->buf, r->end, err);
    char *nul = memchr(r->buf, '\0', r->end);
    if (nul) {
        r->end = (size_t)(nul - r->buf) + 1;
        r->eof = 1;
    }
    return rc;
}

/* The records of one file that got a NAME:LINE id because their id field was missing or
 * null: one note for them all, naming the first few lines, so that a field missing from some
 * records (20 of the government work reports have "year": null) is not silently an id of
 * another kind. A file in which no record has the default field "id" is the documented
 * layout without ids, and gets no note. */
enum { DERIVED_SHOWN = CT_DERIVED_SHOWN };
typedef ct_derived_ids derived_ids;

/* The name a derived id begins with: the file's name without .jsonl. */
static void jsonl_stem(const char *path, char *stem, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(stem, size, "%s", base);
    size_t sl = strlen(stem);
    if (sl > 6 && strcmp(stem + sl - 6, ".jsonl") == 0)
        stem[sl - 6] = '\0';
}

void ct_corpus_note_derived_ids(const ct_corpus *c, const char *path, const derived_ids *t)
{
    char stem[4096];
    jsonl_stem(path, stem, sizeof stem);
    if (!t->derived || !c->opts.note || (!t->with_id && strcmp(c->id_field, "id") == 0))
        return;
    char lines[DERIVED_SHOWN * 24 + 8], msg[9000];
    size_t used = 0;
    for (size_t i = 0; i < t->derived && i < DERIVED_SHOWN; i++)
        used += (size_t)snprintf(lines + used, sizeof lines - used, "%s%ld", i ? ", " : "",
                                 t->lines[i]);
    snprintf(msg, sizeof msg,
             "%s: %zu of %zu records have no \"%s\" (missing or null), so their ids are "
             "%s:LINE (line%s %s%s)",
             path, t->derived, t->derived + t->with_id, c->id_field, stem,
             t->derived == 1 ? "" : "s", lines, t->derived > DERIVED_SHOWN ? ", ..." : "");
    c->opts.note(c->opts.note_ctx, msg);
}

/* Keep fd open for the corpus's lifetime (texts are read from it later). */
static int keep_fd(ct_corpus *c, int fd)
{
    int *fds = ct_reallocarray(c->fds, c->n_fds + 1, sizeof *fds);
    if (!fds)
        return CT_ENOMEM;
    c->fds = fds;
    fds[c->n_fds++] = fd;
    return CT_OK;
}

/* The records of lines starting in [lo, hi) (hi < 0: to the end), the first of them line
 * first_line + 1; ranged: a share of the file (corpus_part.h), which may hold no record;
 * sniff: check the file's first bytes as they are read (from the start only). */
static int add_jsonl(ct_corpus *c, const char *path, int sniff, long long lo, long long hi,
                     long first_line, int ranged, derived_ids *tally, ct_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return CT_EIO;
    }
    /* A regular file is read again at its offsets through this descriptor; anything else
     * (a pipe) is read once, its texts kept. */
    int seekable = S_ISREG(st.st_mode);
    if (seekable && keep_fd(c, fd) != CT_OK) {
        close(fd);
        return CT_ENOMEM;
    }
    char stem[4096];
    jsonl_stem(path, stem, sizeof stem);
    line_reader r = {.fd = fd};
    int rc = sniff ? sniff_head(&r, path, err) : CT_OK;
    if (rc != CT_OK) {
        ct_free(r.buf);
        if (!seekable)
            close(fd);
        return rc;
    }
    char *line;
    size_t len, raw_len;
    long line_no = first_line;
    long long offset = lo;
    int got = 0;
    size_t before = c->n_docs;
    derived_ids derived = {0};
    if (lo > 0 && lseek(fd, (off_t)lo, SEEK_SET) < 0) {
        ct_error_set(err, path, 0, lo, "cannot seek: %s", strerror(errno));
        ct_free(r.buf);
        return CT_EIO;
    }
    while ((hi < 0 || offset < hi) && (got = next_line(&r, &line, &len, &raw_len)) == 1) {
        line_no++;
        long long line_offset = offset;
        offset += (long long)raw_len;
        while (len && line[len - 1] == '\r')
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
        const char *nul = memchr(line, '\0', len);
        if (nul) {
            ct_error_set(err, path, line_no, line_offset + (nul - line),
                         "invalid JSON at column %zu: NUL byte", (size_t)(nul - line) + 1);
            rc = CT_EINPUT;
            break;
        }
        size_t k = skip;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        json_t *obj;
        size_t ts, te;
        long long at = line_offset + (long long)skip;
        rc = parse_line(c, path, line_no, at, line + skip, len - skip, &obj, &ts, &te, err);
        if (rc == CT_ENOMEM)
            ct_error_set(err, path, line_no, line_offset,
                         "out of memory while parsing this record (%zu bytes)", len);
        if (rc != CT_OK)
            break;
        int is_derived;
        rc = add_record(c, path, stem, line_no, at, line + skip, seekable ? fd : -1, ts, te, obj,
                        &is_derived, err);
        json_decref(obj);
        if (rc == CT_OK && !is_derived)
            derived.with_id++;
        else if (rc == CT_OK && derived.derived++ < DERIVED_SHOWN)
            derived.lines[derived.derived - 1] = line_no;
        if (rc == CT_ENOMEM)
            ct_error_set(err, path, line_no, line_offset,
                         "out of memory while reading this record (%zu bytes)", len);
        if (rc != CT_OK)
            break;
    }
    /* A line that cannot be read is an error, never the end of the file: the records after
     * it would be lost without a word. */
    if (rc == CT_OK && got == CT_ENOMEM) {
        ct_error_set(err, path, line_no + 1, offset,
                     "out of memory while reading this record (%zu bytes read)", r.end - r.start);
        rc = CT_ENOMEM;
    } else if (rc == CT_OK && got < 0) {
        ct_error_set(err, path, line_no + 1, offset, "read error: %s", strerror(errno));
        rc = CT_EIO;
    }
    if (hi >= 0 && offset >= hi)
        got = 0; /* the share ends here */
    if (rc == CT_OK && c->n_docs == before && !ranged) {
        ct_error_set(err, path, 0, -1, "no JSON records in this file");
        rc = CT_EEMPTY;
    }
    /* A rank's share (ranged) sees only some of the file's records: its tally goes to the
     * caller, which notes the whole file's. */
    if (tally)
        *tally = derived;
    else if (rc == CT_OK)
        ct_corpus_note_derived_ids(c, path, &derived);
    ct_free(r.buf);
    if (!seekable)
        close(fd);
    return rc;
}

int ct_corpus_add_jsonl(ct_corpus *c, const char *path, int sniff, ct_error *err)
{
    return add_jsonl(c, path, sniff, 0, -1, 0, 0, NULL, err);
}

int ct_corpus_add_jsonl_range(ct_corpus *c, const char *path, long long lo, long long hi,
                              long first_line, derived_ids *derived, ct_error *err)
{
    return add_jsonl(c, path, 0, lo, hi, first_line, 1, derived, err);
}
