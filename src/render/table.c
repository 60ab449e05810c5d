/* table.c — the one writer of TSV and CSV tables (see table.h).
 *
 * Every table starts with a header row naming its columns. TSV fields are escaped as
 * output.c's ct_format_tsv_field does — backslash, tab, LF and CR as \\ \t \n \r, and a
 * double quote at the start of a field as \" — so that a TSV line is always one record of
 * exactly its columns, whatever reader splits it, and a reader that still honours quotes
 * (pandas' and R's defaults) never starts a quoted field. CSV follows RFC 4180 with CRLF-free
 * LF line ends (what pandas, R and Python's csv all accept) and quotes every text field and
 * no number, so that a reader that can tell them apart (Python's csv.QUOTE_NONNUMERIC,
 * LibreOffice's "quoted field as text") keeps ids such as 007 and terms such as nan as text.
 *
 * Rows are formatted into a 64 KiB buffer and written in large pieces: tf, tfidf and ngrams
 * write tens of millions of fields, and stdio's per-call locking made up most of their
 * writing time; a field too long for the buffer goes to the stream directly. */
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "output.h"
#include "table.h"

#define TABLE_BUF ((size_t)1 << 16)

struct ct_table {
    FILE *f;
    ct_table_format fmt;
    size_t ncols, col; /* the next field's column */
    size_t used;
    char buf[TABLE_BUF];
};

int ct_table_format_from_name(const char *name, ct_table_format *out)
{
    if (strcmp(name, "tsv") == 0)
        *out = CT_TABLE_TSV;
    else if (strcmp(name, "csv") == 0)
        *out = CT_TABLE_CSV;
    else
        return CT_EINVAL;
    return CT_OK;
}

size_t ct_table_format_csv(char *out, size_t room, const char *s, size_t len)
{
    size_t o = 0;
    if (room < 2)
        return (size_t)-1;
    out[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (o + 2 + (s[i] == '"') > room)
            return (size_t)-1;
        if (s[i] == '"')
            out[o++] = '"';
        out[o++] = s[i];
    }
    out[o++] = '"';
    return o;
}

static void flush(ct_table *t)
{
    if (t->used)
        fwrite(t->buf, 1, t->used, t->f);
    t->used = 0;
}

/* Room for need more bytes in the buffer (flushing it first when needed); 0 when need is
 * larger than the whole buffer. */
static int reserve(ct_table *t, size_t need)
{
    if (t->used + need > TABLE_BUF)
        flush(t);
    return need <= TABLE_BUF;
}

/* The separator before a field (none before the first). */
static void separate(ct_table *t)
{
    if (t->col > 0) {
        reserve(t, 1);
        t->buf[t->used++] = t->fmt == CT_TABLE_CSV ? ',' : '\t';
    }
}

/* After a field: end the row after its last column. */
static void advance(ct_table *t)
{
    if (++t->col == t->ncols) {
        reserve(t, 1);
        t->buf[t->used++] = '\n';
        t->col = 0;
    }
}

void ct_table_textn(ct_table *t, const char *s, size_t len)
{
    separate(t);
    size_t need = 2 * len + 2;
    if (reserve(t, need)) {
        char *at = t->buf + t->used;
        t->used += t->fmt == CT_TABLE_CSV ? ct_table_format_csv(at, need, s, len)
                                          : ct_format_tsv_field(at, need, s, len);
    } else {
        /* Longer than the buffer: in pieces, straight to the stream. */
        flush(t);
        if (t->fmt == CT_TABLE_CSV)
            putc('"', t->f);
        for (size_t i = 0; i < len;) {
            /* at most 2 bytes a byte, plus CSV's two quotes: always fits the buffer */
            size_t k = len - i < TABLE_BUF / 2 - 1 ? len - i : TABLE_BUF / 2 - 1;
            size_t n = t->fmt == CT_TABLE_CSV ? ct_table_format_csv(t->buf, TABLE_BUF, s + i, k) - 2
                                              : ct_format_tsv_field(t->buf, TABLE_BUF, s + i, k);
            /* only the first piece may begin the field (its leading quote) */
            if (t->fmt == CT_TABLE_CSV)
                fwrite(t->buf + 1, 1, n, t->f);
            else if (i > 0 && s[i] == '"')
                fwrite(t->buf + 1, 1, n - 1, t->f);
            else
                fwrite(t->buf, 1, n, t->f);
            i += k;
        }
        if (t->fmt == CT_TABLE_CSV)
            putc('"', t->f);
    }
    advance(t);
}

void ct_table_text(ct_table *t, const char *s)
{
    ct_table_textn(t, s ? s : "", s ? strlen(s) : 0);
}

void ct_table_double(ct_table *t, double v)
{
    separate(t);
    reserve(t, CT_DOUBLE_BUF);
    t->used += ct_format_double(t->buf + t->used, v);
    advance(t);
}

void ct_table_u64(ct_table *t, uint64_t v)
{
    separate(t);
    reserve(t, 24);
    char tmp[24];
    size_t n = sizeof tmp;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(t->buf + t->used, tmp + n, sizeof tmp - n);
    t->used += sizeof tmp - n;
    advance(t);
}

int ct_table_new(ct_table **out, FILE *f, ct_table_format fmt, const char *const *columns,
                 size_t ncols)
{
    *out = NULL;
    if (ncols == 0)
        return CT_EINVAL;
    ct_table *t = ct_malloc(sizeof *t);
    if (!t)
        return CT_ENOMEM;
    t->f = f;
    t->fmt = fmt;
    t->ncols = ncols;
    t->col = 0;
    t->used = 0;
    for (size_t c = 0; c < ncols; c++)
        ct_table_text(t, columns[c]);
    *out = t;
    return CT_OK;
}

int ct_table_finish(ct_table *t)
{
    if (!t)
        return CT_OK;
    if (t->col > 0) { /* an unfinished row: end it where it is */
        reserve(t, 1);
        t->buf[t->used++] = '\n';
    }
    flush(t);
    int rc = ferror(t->f) ? CT_EIO : CT_OK;
    ct_free(t);
    return rc;
}
