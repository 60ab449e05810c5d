/* corpus_table.c — CSV and TSV tables as corpora: a header row, then one document a row.
 *
 * The column named by --text-field (default "text") holds the text, --id-field (default
 * "id") the id, and every other column is a metadata field (an empty cell: no value). A
 * table without the id column gives each row the id "<file name without extension>:<line>",
 * the line on which its record starts, as a JSON Lines file does.
 *
 * Quoting is RFC 4180's, for CSV and TSV alike (the separator is ',' or a tab; pandas'
 * read_csv and R's read.csv / read.delim read both the same way): a field that begins with
 * '"' is quoted, runs to the next '"' that is not doubled, may hold separators and line
 * breaks, and must be followed by a separator or the end of the record; "" inside it stands
 * for one '"'. A '"' inside an unquoted field is an ordinary character. Records end at LF,
 * CRLF or a lone CR; empty lines between records are skipped. Every record must have as
 * many fields as the header. Errors name the file, the line and the byte offset.
 *
 * The bytes are parsed as they are: quotes, separators and line ends are ASCII bytes that
 * never occur inside a UTF-8 or GB18030 multi-byte character. The file's encoding is decided
 * once (per --encoding: UTF-8 when the whole file is valid UTF-8, else GB18030), the header,
 * ids and metadata are decoded now, and a text cell is remembered as its byte range and read
 * and decoded only when the document is needed — texts are never kept in memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_part.h"
#include "corpus_readers.h"
#include "encoding.h"

static int table_read_text(const ct_doc *d, char **text, size_t *len, ct_error *err);

typedef struct cell {
    size_t start, end; /* content bytes, without the quotes */
    int quoted;
} cell;

typedef struct record {
    cell *cells;
    size_t n, cap;
    long line;        /* where the record starts */
    long long offset; /* byte offset of its start */
} record;

typedef struct parser {
    const char *b;
    size_t len, pos;
    long line; /* the line pos is on */
    char sep;
    const char *path;
    long long base; /* the file offset of b[0] (for messages) */
} parser;

static int record_add(record *r, size_t start, size_t end, int quoted)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        cell *c = ct_reallocarray(r->cells, cap, sizeof *c);
        if (!c)
            return CT_ENOMEM;
        r->cells = c;
        r->cap = cap;
    }
    r->cells[r->n++] = (cell){start, end, quoted};
    return CT_OK;
}

/* Consume a line end at p->pos if there is one (LF, CRLF, lone CR); returns 1 when it did. */
static int eat_eol(parser *p)
{
    if (p->pos >= p->len)
        return 0;
    if (p->b[p->pos] == '\n') {
        p->pos++;
        p->line++;
        return 1;
    }
    if (p->b[p->pos] == '\r') {
        p->pos += p->pos + 1 < p->len && p->b[p->pos + 1] == '\n' ? 2 : 1;
        p->line++;
        return 1;
    }
    return 0;
}

/* Parse the next record into r. Returns CT_OK with r->n == 0 at the end of the input. */
static int next_record(parser *p, record *r, ct_error *err)
{
    r->n = 0;
    while (p->pos < p->len && (p->b[p->pos] == '\n' || p->b[p->pos] == '\r'))
        eat_eol(p); /* empty lines */
    if (p->pos >= p->len)
        return CT_OK;
    r->line = p->line;
    r->offset = p->base + (long long)p->pos;
    for (;;) {
        int rc;
        if (p->pos < p->len && p->b[p->pos] == '"') {
            long open_line = p->line;
            size_t open = p->pos++, start = p->pos;
            for (;;) {
                const char *q = memchr(p->b + p->pos, '"', p->len - p->pos);
                for (const char *s = p->b + p->pos; s < (q ? q : p->b + p->len); s++)
                    if (*s == '\n' || (*s == '\r' && (s + 1 >= p->b + p->len || s[1] != '\n')))
                        p->line++;
                if (!q) {
                    ct_error_set(err, p->path, open_line, p->base + (long long)open,
                                 "the quoted field %zu opened here never ends (unterminated "
                                 "'\"')",
                                 r->n + 1);
                    return CT_EINPUT;
                }
                p->pos = (size_t)(q - p->b) + 1;
                if (p->pos < p->len && p->b[p->pos] == '"') {
                    p->pos++; /* "" */
                    continue;
                }
                break;
            }
            if ((rc = record_add(r, start, p->pos - 1, 1)) != CT_OK)
                return rc;
            if (p->pos < p->len && p->b[p->pos] != p->sep && p->b[p->pos] != '\n' &&
                p->b[p->pos] != '\r') {
                ct_error_set(err, p->path, p->line, p->base + (long long)p->pos,
                             "field %zu: unexpected character after its closing quote (a '\"' "
                             "inside a quoted field is written \"\")",
                             r->n);
                return CT_EINPUT;
            }
        } else {
            size_t start = p->pos;
            while (p->pos < p->len && p->b[p->pos] != p->sep && p->b[p->pos] != '\n' &&
                   p->b[p->pos] != '\r')
                p->pos++;
            if ((rc = record_add(r, start, p->pos, 0)) != CT_OK)
                return rc;
        }
        if (p->pos < p->len && p->b[p->pos] == p->sep) {
            p->pos++;
            continue;
        }
        eat_eol(p);
        return CT_OK;
    }
}

/* The decoded UTF-8 value of a cell (ct_malloc). */
static int cell_value(const parser *p, const cell *c, ct_encoding enc, char **out, size_t *out_len,
                      ct_error *err)
{
    size_t n = c->end - c->start;
    char *raw = ct_malloc(n + 1);
    if (!raw)
        return CT_ENOMEM;
    size_t k = 0;
    for (size_t i = c->start; i < c->end; i++) {
        raw[k++] = p->b[i];
        if (c->quoted && p->b[i] == '"')
            i++; /* the second of "" */
    }
    int rc = ct_decode_text(raw, k, enc, p->path, out, out_len, NULL, err);
    ct_free(raw);
    return rc;
}

static void list_columns(char **names, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(buf + used, size - used, "%s\"%s\"", i ? ", " : "", names[i]);
        if (k < 0 || (size_t)k >= size - used)
            break;
        used += (size_t)k;
    }
}

/* Decide the table's encoding per the option: the one given, or with auto UTF-8, else
 * GB18030 or Big5 as the whole file's bytes say (ct_decode_text); errors name the line. */
static int table_encoding(ct_corpus *c, const char *path, const char *b, size_t len,
                          ct_encoding *enc, ct_error *err)
{
    char *tmp;
    size_t tmp_len;
    int gb = 0;
    int rc = ct_decode_text(b, len, c->opts.encoding, path, &tmp, &tmp_len, &gb, err);
    if (rc != CT_OK)
        return rc;
    ct_free(tmp);
    *enc = c->opts.encoding != CT_ENCODING_AUTO ? c->opts.encoding
           : gb                                 ? (ct_encoding)gb
                                                : CT_ENCODING_UTF8;
    if (gb && c->opts.note) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s: not valid UTF-8, read as %s", path,
                 gb == CT_ENCODING_BIG5 ? "Big5 (its bytes look like Big5, not GB18030; "
                                          "--encoding gb18030 reads them as GB18030)"
                                        : "GB18030");
        c->opts.note(c->opts.note_ctx, msg);
    }
    return CT_OK;
}

/* The header of a table: its column names and where the text and the id are. */
struct ct_table_head {
    char **names;
    size_t n;
    long text_col, id_col;
    char sep;
    ct_encoding enc;
    const char *path;
    char stem[4096];
};

void ct_table_head_free(ct_table_head *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->names && i < h->n; i++)
        ct_free(h->names[i]);
    ct_free(h->names);
    ct_free(h);
}

int ct_table_head_parse(ct_table_head **out, const ct_corpus *c, const char *path, char sep,
                        ct_encoding enc, const char *b, size_t len, size_t *end, long *end_line,
                        ct_error *err)
{
    *out = NULL;
    ct_table_head *h = ct_calloc(1, sizeof *h);
    if (!h)
        return CT_ENOMEM;
    h->sep = sep;
    h->enc = enc;
    h->path = path;
    h->text_col = h->id_col = -1;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(h->stem, sizeof h->stem, "%s", base);
    char *dot = strrchr(h->stem, '.');
    if (dot && dot != h->stem)
        *dot = '\0';
    parser p = {.b = b, .len = len, .line = 1, .sep = sep, .path = path};
    if (len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        p.pos = 3; /* Excel's "CSV UTF-8" starts with a byte-order mark */
    record r = {0};
    int rc = next_record(&p, &r, err);
    if (rc != CT_OK)
        goto done;
    if (r.n == 0) {
        ct_error_set(err, path, 0, -1, "the table is empty (it needs a header row)");
        rc = CT_EEMPTY;
        goto done;
    }
    h->names = ct_calloc(r.n, sizeof *h->names);
    if (!h->names) {
        rc = CT_ENOMEM;
        goto done;
    }
    h->n = r.n;
    for (size_t i = 0; i < h->n; i++) {
        size_t nl;
        if ((rc = cell_value(&p, &r.cells[i], h->enc, &h->names[i], &nl, err)) != CT_OK)
            goto done;
        if (nl == 0 || memchr(h->names[i], '\n', nl)) {
            ct_error_set(err, path, r.line, r.offset, "header: column %zu has %s name%s", i + 1,
                         nl ? "a multi-line" : "an empty",
                         nl || i ? ""
                                 : " (pandas' to_csv and R's write.csv write the row index so: "
                                   "save with index=False / row.names = FALSE)");
            rc = CT_EINPUT;
            goto done;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->names[i], h->names[j]) == 0) {
                ct_error_set(err, path, r.line, r.offset,
                             "header: column \"%s\" appears twice (columns %zu and %zu)",
                             h->names[i], j + 1, i + 1);
                rc = CT_EINPUT;
                goto done;
            }
        if (strcmp(h->names[i], c->text_field) == 0)
            h->text_col = (long)i;
        else if (strcmp(h->names[i], c->id_field) == 0)
            h->id_col = (long)i;
    }
    if (h->text_col < 0) {
        char cols[800];
        list_columns(h->names, h->n, cols, sizeof cols);
        ct_error_set(err, path, r.line, -1,
                     "no text column \"%s\" in the header (columns: %s); choose one with "
                     "--text-field",
                     c->text_field, cols);
        rc = CT_EINPUT;
        goto done;
    }
    *end = p.pos;
    *end_line = p.line - 1;
done:
    if (rc == CT_EENCODING && err && err->line == 0)
        err->line = r.line;
    ct_free(r.cells);
    if (rc == CT_OK)
        *out = h;
    else
        ct_table_head_free(h);
    return rc;
}

int ct_corpus_add_table_rows(ct_corpus *c, const ct_table_head *h, const char *b, size_t len,
                             long long base, long first_line, ct_error *err)
{
    const char *path = h->path;
    parser p = {
        .b = b, .len = len, .line = first_line + 1, .sep = h->sep, .path = path, .base = base};
    record r = {0};
    int rc;
    for (;;) {
        if ((rc = next_record(&p, &r, err)) != CT_OK)
            goto done;
        if (r.n == 0)
            break;
        if (r.n != h->n) {
            ct_error_set(err, path, r.line, r.offset, "%zu fields, but the header has %zu%s", r.n,
                         h->n, h->sep == ',' && r.n > h->n ? " (an unquoted ',' in a field?)" : "");
            rc = CT_EINPUT;
            goto done;
        }
        char source[4200];
        snprintf(source, sizeof source, "%s:%ld", path, r.line);
        ct_doc d = {0};
        d.kind = CT_DOC_TABLE_CELL;
        d.read = table_read_text;
        d.path = ct_strdup(path);
        d.source = ct_strdup(source);
        d.offset = base + (long long)r.cells[h->text_col].start;
        d.length = r.cells[h->text_col].end - r.cells[h->text_col].start;
        d.quoted = r.cells[h->text_col].quoted;
        d.table_enc = h->enc;
        d.line = r.line;
        if (h->id_col >= 0) {
            size_t il;
            if ((rc = cell_value(&p, &r.cells[h->id_col], h->enc, &d.id, &il, err)) != CT_OK) {
                ct_doc_clear(&d);
                goto done;
            }
            if (ct_blank_id(d.id, il)) {
                ct_error_set(err, path, r.line, r.offset, "%s id in column \"%s\"",
                             il ? "blank (white space only)" : "empty", c->id_field);
                ct_doc_clear(&d);
                rc = CT_EINPUT;
                goto done;
            }
        } else {
            char derived[4200];
            snprintf(derived, sizeof derived, "%s:%ld", h->stem, r.line);
            d.id = ct_strdup(derived);
        }
        if (!d.path || !d.source || !d.id) {
            ct_doc_clear(&d);
            rc = CT_ENOMEM;
            goto done;
        }
        if ((rc = ct_corpus_push(c, &d, err)) != CT_OK)
            goto done;
        for (size_t i = 0; i < h->n; i++) {
            if ((long)i == h->text_col || (long)i == h->id_col ||
                r.cells[i].end == r.cells[i].start)
                continue;
            char *v;
            size_t vl;
            if ((rc = cell_value(&p, &r.cells[i], h->enc, &v, &vl, err)) != CT_OK)
                goto done;
            rc = ct_corpus_set_meta(c, h->names[i], v, vl);
            ct_free(v);
            if (rc != CT_OK)
                goto done;
        }
    }
done:
    /* A cell's decoding error names the table, but not where the cell is. */
    if (rc == CT_EENCODING && err && err->line == 0)
        err->line = r.line;
    ct_free(r.cells);
    return rc;
}

int ct_corpus_add_table(ct_corpus *c, const char *path, char sep, ct_error *err)
{
    char *bytes;
    size_t len;
    int rc = ct_read_file(path, &bytes, &len, err);
    if (rc != CT_OK)
        return rc;
    if ((rc = ct_kind_check_head(path, sep == ',' ? CT_KIND_CSV : CT_KIND_TSV,
                                 (const unsigned char *)bytes, len, err)) != CT_OK) {
        ct_free(bytes);
        return rc;
    }
    ct_encoding enc;
    ct_table_head *h = NULL;
    size_t end = 0;
    long end_line = 0;
    if ((rc = table_encoding(c, path, bytes, len, &enc, err)) != CT_OK ||
        (rc = ct_table_head_parse(&h, c, path, sep, enc, bytes, len, &end, &end_line, err)) !=
            CT_OK)
        goto done;
    size_t before = c->n_docs;
    if ((rc = ct_corpus_add_table_rows(c, h, bytes + end, len - end, (long long)end, end_line,
                                       err)) != CT_OK)
        goto done;
    if (c->n_docs == before) {
        ct_error_set(err, path, 0, -1, "the table has a header row but no records");
        rc = CT_EEMPTY;
    }
done:
    ct_table_head_free(h);
    ct_free(bytes);
    return rc;
}

/* The parser as an automaton over bytes, for splitting a table at record starts
 * (corpus_part.h). States: before the first record, at a record start (after a line end),
 * at a field start (after a separator), in an unquoted field, in a quoted field, just after
 * a '"' in a quoted field (a closing quote, or the first of ""), and after the error the
 * parser reports (any other byte after a closing quote). A '"' inside an unquoted field is
 * an ordinary character, as it is to the parser, so this is quote parity made exact. */
static unsigned char table_step(unsigned char s, unsigned char ch, char sep)
{
    int eol = ch == '\n' || ch == '\r';
    switch (s) {
    case CT_TABLE_FIRST:
    case CT_TABLE_RECORD:
    case CT_TABLE_FIELD:
    case CT_TABLE_BARE:
        if (eol)
            return s == CT_TABLE_FIRST ? CT_TABLE_FIRST : CT_TABLE_RECORD;
        if (ch == (unsigned char)sep)
            return CT_TABLE_FIELD;
        if (ch == '"' && s != CT_TABLE_BARE)
            return CT_TABLE_QUOTED;
        return CT_TABLE_BARE;
    case CT_TABLE_QUOTED:
        return ch == '"' ? CT_TABLE_CLOSE : CT_TABLE_QUOTED;
    case CT_TABLE_CLOSE:
        if (ch == '"')
            return CT_TABLE_QUOTED;
        if (eol)
            return CT_TABLE_RECORD;
        return ch == (unsigned char)sep ? CT_TABLE_FIELD : CT_TABLE_BAD;
    default:
        return CT_TABLE_BAD;
    }
}

void ct_table_scan(const char *b, size_t n, char sep, unsigned char map[CT_TABLE_STATES])
{
    /* follow the distinct states only: they merge quickly (after a line end outside quotes) */
    unsigned char cur[CT_TABLE_STATES];
    size_t k = 0;
    for (int s = 0; s < CT_TABLE_STATES; s++) {
        size_t j = 0;
        while (j < k && cur[j] != map[s])
            j++;
        if (j == k)
            cur[k++] = map[s];
    }
    unsigned char from[CT_TABLE_STATES];
    memcpy(from, cur, k);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            cur[j] = table_step(cur[j], (unsigned char)b[i], sep);
    for (int s = 0; s < CT_TABLE_STATES; s++)
        for (size_t j = 0; j < k; j++)
            if (from[j] == map[s]) {
                map[s] = cur[j];
                break;
            }
}

size_t ct_table_record_start(const char *b, size_t n, char sep, unsigned char *state)
{
    unsigned char s = *state;
    size_t i = 0;
    for (; i < n; i++) {
        if (s == CT_TABLE_RECORD && b[i] != '\n' && b[i] != '\r')
            break;
        if (s == CT_TABLE_BAD) {
            i = n;
            break;
        }
        s = table_step(s, (unsigned char)b[i], sep);
    }
    *state = s;
    return i;
}

/* A cell's text read back from its byte range (ct_doc.read of a table cell). */
static int table_read_text(const ct_doc *d, char **text, size_t *len, ct_error *err)
{
    FILE *f = fopen(d->path, "rb");
    if (!f) {
        ct_error_set(err, d->path, d->line, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    char *raw = ct_malloc(d->length + 1);
    int rc = CT_OK;
    if (!raw) {
        rc = CT_ENOMEM;
        goto done;
    }
    if (fseeko(f, (off_t)d->offset, SEEK_SET) != 0 || fread(raw, 1, d->length, f) != d->length) {
        ct_error_set(err, d->path, d->line, d->offset, "the file changed while being read");
        rc = CT_EIO;
        goto done;
    }
    size_t k = d->length;
    if (d->quoted) {
        k = 0;
        for (size_t i = 0; i < d->length; i++) {
            raw[k++] = raw[i];
            if (raw[i] == '"')
                i++;
        }
    }
    rc = ct_decode_text(raw, k, d->table_enc, d->source, text, len, NULL, err);
done:
    ct_free(raw);
    fclose(f);
    return rc;
}
