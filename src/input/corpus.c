/* corpus.c — the corpus: documents, ids, metadata and on-demand text reading.
 *
 * This file keeps the document list, checks that ids are unique, and reads a document's text
 * when asked, decoding it and, on request, blanking page chrome. The readers (corpus_dir.c,
 * corpus_jsonl.c, corpus_table.c, corpus_docx.c, corpus_pdf.c) fill it through
 * corpus_impl.h, each document carrying the function that reads it back where it needs one,
 * and corpus_add.c picks the reader for a path, so nothing here depends on them. Texts are
 * not kept — memory grows with documents, not bytes — unless an analysis that passes over
 * them several times holds them for its run (corpus_hold.c; reads are served from them
 * here). The chrome model, which needs every text, is computed on the first read (or by
 * ct_corpus_prepare) into state the handle points to (ct_corpus_lazy), under its lock. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_hold.h"
#include "corpus_part.h"
#include "encoding.h"

void ct_read_options_init(ct_read_options *o)
{
    memset(o, 0, sizeof *o);
    o->encoding = CT_ENCODING_AUTO;
    o->flags = CT_READ_STRIP_CHROME;
}

int ct_corpus_new(ct_corpus **out, const ct_read_options *opts)
{
    *out = NULL;
    ct_corpus *c = ct_calloc(1, sizeof *c);
    if (!c)
        return CT_ENOMEM;
    if (opts)
        c->opts = *opts;
    else
        ct_read_options_init(&c->opts);
    c->text_field = ct_strdup(c->opts.text_field ? c->opts.text_field : "text");
    c->id_field = ct_strdup(c->opts.id_field ? c->opts.id_field : "id");
    c->opts.text_field = c->text_field;
    c->opts.id_field = c->id_field;
    if (c->text_field && c->id_field && strcmp(c->text_field, c->id_field) == 0) {
        ct_corpus_free(c); /* the id would be the whole text */
        return CT_EINVAL;
    }
    c->lazy = ct_calloc(1, sizeof *c->lazy);
    if (c->lazy)
        pthread_mutex_init(&c->lazy->lock, NULL);
    if (!c->lazy || !c->text_field || !c->id_field || ct_termtab_new(&c->ids) != CT_OK ||
        ct_termtab_new(&c->fields) != CT_OK) {
        ct_corpus_free(c);
        return CT_ENOMEM;
    }
    *out = c;
    return CT_OK;
}

void ct_doc_clear(ct_doc *d)
{
    ct_free(d->id);
    ct_free(d->source);
    ct_free(d->path);
    ct_free(d->bytes);
    for (size_t i = 0; i < d->n_meta; i++)
        ct_free(d->meta[i].value);
    ct_free(d->meta);
    memset(d, 0, sizeof *d);
}

void ct_corpus_free(ct_corpus *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_docs; i++)
        ct_doc_clear(&c->docs[i]);
    ct_free(c->docs);
    ct_termtab_free(c->ids);
    ct_termtab_free(c->fields);
    if (c->lazy) {
        ct_chrome_free(c->lazy->chrome);
        ct_held_free(c->lazy->held);
        pthread_mutex_destroy(&c->lazy->lock);
        ct_free(c->lazy);
    }
    for (size_t i = 0; i < c->n_fds; i++)
        close(c->fds[i]);
    ct_free(c->fds);
    ct_free(c->text_field);
    ct_free(c->id_field);
    ct_free(c);
}

int ct_corpus_push(ct_corpus *c, ct_doc *doc, ct_error *err)
{
    int rc;
    if (c->n_docs == c->cap_docs) {
        size_t cap = c->cap_docs ? c->cap_docs * 2 : 64;
        ct_doc *docs = ct_reallocarray(c->docs, cap, sizeof *docs);
        if (!docs) {
            rc = CT_ENOMEM;
            goto fail;
        }
        c->docs = docs;
        c->cap_docs = cap;
    }
    uint32_t index;
    int is_new;
    rc = ct_termtab_intern(c->ids, doc->id, strlen(doc->id), &index, &is_new);
    if (rc != CT_OK)
        goto fail;
    if (!is_new) {
        /* a JSON line's source already ends in ":LINE" */
        ct_error_set(err,
                     doc->kind == CT_DOC_JSONL_LINE || doc->kind == CT_DOC_TABLE_CELL ? doc->path
                                                                                      : doc->source,
                     doc->line, -1, "duplicate document id \"%s\": already used by %s", doc->id,
                     c->docs[index].source);
        rc = CT_EDUPLICATE;
        goto fail;
    }
    doc->reads = 1; /* the listing's */
    c->docs[c->n_docs++] = *doc;
    memset(doc, 0, sizeof *doc);
    __atomic_store_n(&c->lazy->prepared, 0, __ATOMIC_RELEASE); /* chrome rule 1 must see it */
    /* held texts were stripped with the old model: read them again (a corpus is not added to
     * while it is read, so no reader holds a pointer into them) */
    ct_held_free(__atomic_exchange_n(&c->lazy->held, NULL, __ATOMIC_ACQ_REL));
    return CT_OK;
fail:
    ct_doc_clear(doc);
    return rc;
}

int ct_corpus_set_meta(ct_corpus *c, const char *field, const char *value, size_t value_len)
{
    ct_doc *d = &c->docs[c->n_docs - 1];
    uint32_t f;
    int rc = ct_termtab_intern(c->fields, field, strlen(field), &f, NULL);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < d->n_meta; i++)
        if (d->meta[i].field == f)
            return CT_OK; /* the first value wins (a JSON object's keys are unique anyway) */
    ct_meta_value *m = ct_reallocarray(d->meta, d->n_meta + 1, sizeof *m);
    if (!m)
        return CT_ENOMEM;
    d->meta = m;
    char *v = ct_strndup(value, value_len);
    if (!v)
        return CT_ENOMEM;
    m[d->n_meta].field = f;
    m[d->n_meta].value = v;
    d->n_meta++;
    return CT_OK;
}

int ct_corpus_add_text(ct_corpus *c, const char *id, const char *source, const char *bytes,
                       size_t len, ct_error *err)
{
    ct_doc d = {0};
    d.kind = CT_DOC_MEMORY;
    d.id = ct_strdup(id);
    d.source = ct_strdup(source ? source : id);
    d.bytes = ct_strndup(bytes, len);
    d.length = len;
    if (!d.id || !d.source || !d.bytes) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    return ct_corpus_push(c, &d, err);
}

size_t ct_corpus_size(const ct_corpus *c)
{
    return c->n_docs;
}

const char *ct_corpus_id(const ct_corpus *c, size_t doc)
{
    return doc < c->n_docs ? c->docs[doc].id : NULL;
}

const char *ct_corpus_source(const ct_corpus *c, size_t doc)
{
    return doc < c->n_docs ? c->docs[doc].source : NULL;
}

const char *ct_corpus_relative_source(const ct_corpus *c, size_t doc)
{
    return doc < c->n_docs ? c->docs[doc].source + c->docs[doc].rel_off : NULL;
}

const char *ct_corpus_path(const ct_corpus *c, size_t doc)
{
    return doc < c->n_docs ? c->docs[doc].path : NULL;
}

size_t ct_corpus_field_count(const ct_corpus *c)
{
    return ct_termtab_size(c->fields);
}

const char *ct_corpus_field_name(const ct_corpus *c, size_t field)
{
    return field < ct_termtab_size(c->fields) ? ct_termtab_key(c->fields, (uint32_t)field, NULL)
                                              : NULL;
}

long ct_corpus_field_index(const ct_corpus *c, const char *name)
{
    uint32_t f;
    return ct_termtab_find(c->fields, name, strlen(name), &f) == CT_OK ? (long)f : -1;
}

const char *ct_corpus_meta(const ct_corpus *c, size_t doc, size_t field)
{
    if (doc >= c->n_docs)
        return NULL;
    const ct_doc *d = &c->docs[doc];
    for (size_t i = 0; i < d->n_meta; i++)
        if (d->meta[i].field == field)
            return d->meta[i].value;
    return NULL;
}

/* A time value's number: what it begins with, up to a date separator ("2016-03-05"), a
 * space or a character beyond ASCII ("2016年"); NAN for a blank value; -1 (and *t unset)
 * for one that is present but no number ("abc", "19x5", "inf"). */
static int parse_time(const char *v, double *t)
{
    while (*v == ' ' || *v == '\t')
        v++;
    if (!*v) {
        *t = NAN;
        return 0;
    }
    const char *d = v + (*v == '-' || *v == '+');
    if (!isdigit((unsigned char)*d))
        return -1;
    char *end = NULL;
    errno = 0;
    *t = strtod(v, &end);
    unsigned char next = (unsigned char)*end;
    if (!isfinite(*t) || errno == ERANGE)
        return -1;
    if (next && next < 0x80 && next != '-' && next != '/' && next != '.' && next != ' ' &&
        next != '\t' && next != ',' && next != ')' && next != ']')
        return -1;
    return 0;
}

int ct_corpus_field_times(const ct_corpus *c, size_t field, double **times, ct_error *err)
{
    double *t = ct_reallocarray(NULL, c->n_docs ? c->n_docs : 1, sizeof *t);
    if (!t)
        return CT_ENOMEM;
    for (size_t i = 0; i < c->n_docs; i++) {
        const char *v = ct_corpus_meta(c, i, field);
        t[i] = NAN;
        if (v && parse_time(v, &t[i]) != 0) {
            ct_error_set(err, ct_corpus_source(c, i), 0, -1,
                         "field \"%s\" is \"%.40s\", not a number (a year such as 2016 or "
                         "2016-03-05)",
                         ct_corpus_field_name(c, field), v);
            ct_free(t);
            return CT_EINPUT;
        }
    }
    *times = t;
    return CT_OK;
}

/* Read a listed text file: the same file (device and inode) as when it was listed. */
static int read_listed_file(const ct_doc *d, char **bytes, size_t *n, ct_error *err)
{
    int fd = open(d->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        ct_error_set(err, d->source, 0, -1, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return CT_EIO;
    }
    if ((d->dev || d->ino) && (st.st_dev != d->dev || st.st_ino != d->ino)) {
        close(fd);
        ct_error_set(err, d->source, 0, -1,
                     "the file was replaced during the run (it is not the file listed)");
        return CT_EIO;
    }
    int rc = ct_read_fd(fd, d->source, bytes, n, err);
    close(fd);
    return rc;
}

/* Read and decode one document without chrome stripping. */
int ct_corpus_read_raw(const ct_corpus *c, ct_doc *d, char **text, size_t *len, ct_error *err)
{
    int rc, gb = 0;
    __atomic_fetch_add(&d->reads, 1, __ATOMIC_RELAXED);
    if (d->read)
        return d->read(d, text, len, err);
    switch (d->kind) {
    case CT_DOC_MEMORY:
        rc = ct_decode_text(d->bytes, d->length, d->utf8 ? CT_ENCODING_UTF8 : c->opts.encoding,
                            d->source, text, len, &gb, err);
        break;
    default: {
        char *bytes;
        size_t n;
        rc = read_listed_file(d, &bytes, &n, err);
        if (rc != CT_OK)
            return rc;
        rc = ct_decode_text(bytes, n, c->opts.encoding, d->source, text, len, &gb, err);
        ct_free(bytes);
    }
    }
    if (rc == CT_ENOMEM && err && !err->text[0])
        ct_error_set(err, d->source, 0, -1, "out of memory while reading this document");
    /* The note is given once a document, however often a command reads it. */
    if (rc == CT_OK && gb && c->opts.note && !__atomic_exchange_n(&d->noted, 1, __ATOMIC_RELAXED)) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s: not valid UTF-8, read as %s", d->source,
                 gb == CT_ENCODING_BIG5 ? "Big5 (its bytes look like Big5, not GB18030; "
                                          "--encoding gb18030 reads them as GB18030)"
                                        : "GB18030");
        c->opts.note(c->opts.note_ctx, msg);
    }
    return rc;
}

int ct_corpus_chrome_observe(const ct_corpus *c, ct_chrome *model, ct_error *err)
{
    for (size_t i = 0; i < c->n_docs; i++) {
        char *text;
        size_t len;
        int rc = ct_corpus_read_raw(c, &c->docs[i], &text, &len, err);
        if (rc != CT_OK)
            return rc;
        rc = ct_chrome_observe(model, text, len);
        ct_free(text);
        if (rc != CT_OK)
            return rc;
    }
    return CT_OK;
}

void ct_corpus_chrome_install(ct_corpus *c, ct_chrome *model)
{
    ct_corpus_lazy *lazy = c->lazy;
    pthread_mutex_lock(&lazy->lock);
    ct_chrome_free(lazy->chrome);
    lazy->chrome = model;
    for (size_t i = 0; i < c->n_docs; i++)
        __atomic_store_n(&c->docs[i].chrome_known, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&lazy->prepared, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&lazy->lock);
}

int ct_corpus_prepare_locked(const ct_corpus *c, const ct_held *held, ct_error *err)
{
    ct_corpus_lazy *lazy = c->lazy;
    if (__atomic_load_n(&lazy->prepared, __ATOMIC_ACQUIRE) ||
        !(c->opts.flags & CT_READ_STRIP_CHROME))
        return CT_OK;
    ct_chrome_free(lazy->chrome);
    lazy->chrome = NULL;
    int rc = ct_chrome_new(&lazy->chrome, NULL);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < c->n_docs; i++) {
        if (held && i < held->n && held->text[i]) {
            if ((rc = ct_chrome_observe(lazy->chrome, held->text[i], held->len[i])) != CT_OK)
                return rc;
            continue;
        }
        char *text;
        size_t len;
        rc = ct_corpus_read_raw(c, &c->docs[i], &text, &len, err);
        if (rc != CT_OK)
            return rc;
        rc = ct_chrome_observe(lazy->chrome, text, len);
        ct_free(text);
        if (rc != CT_OK)
            return rc;
    }
    ct_chrome_finish(lazy->chrome, c->n_docs);
    for (size_t i = 0; i < c->n_docs; i++) /* counts recorded before a source was added */
        __atomic_store_n(&c->docs[i].chrome_known, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&lazy->prepared, 1, __ATOMIC_RELEASE);
    return CT_OK;
}

int ct_corpus_prepare(const ct_corpus *c, ct_error *err)
{
    pthread_mutex_lock(&c->lazy->lock);
    int rc = ct_corpus_prepare_locked(c, NULL, err);
    pthread_mutex_unlock(&c->lazy->lock);
    return rc;
}

/* CT_READ_NOTE_SCRIPT: count the text's scripts the first time it is read (the counting
 * pass reads every text anyway, so the counts cost no second reading). The notes on the
 * documents in traditional or mixed script are the command's, given after the counting pass
 * in corpus order (ct_corpus_script): here, on the reading threads, the order would be the
 * threads' timing. */
static void record_script(const ct_corpus *c, ct_doc *d, ct_script_counts sc)
{
    (void)c;
    d->n_traditional = sc.traditional;
    d->n_simplified = sc.simplified;
    __atomic_store_n(&d->script_known, 1, __ATOMIC_RELEASE);
}

static void note_script(const ct_corpus *c, ct_doc *d, const char *text, size_t len)
{
    if (__atomic_load_n(&d->script_known, __ATOMIC_ACQUIRE))
        return;
    ct_script_counts sc;
    if (ct_fold_count_script(text, len, &sc) != CT_OK)
        return; /* folding is not available: whoever asked for it fails there */
    record_script(c, d, sc);
}

void ct_corpus_record_script(const ct_corpus *c, size_t doc, const ct_script_counts *sc)
{
    if (doc < c->n_docs && !__atomic_load_n(&c->docs[doc].script_known, __ATOMIC_ACQUIRE))
        record_script(c, &c->docs[doc], *sc);
}

static int read_text(const ct_corpus *c, size_t doc, char **text, size_t *len, int *script,
                     ct_error *err);

int ct_corpus_read_text(const ct_corpus *c, size_t doc, char **text, size_t *len, ct_error *err)
{
    return read_text(c, doc, text, len, NULL, err);
}

int ct_corpus_read_text_unscripted(const ct_corpus *c, size_t doc, char **text, size_t *len,
                                   int *script, ct_error *err)
{
    return read_text(c, doc, text, len, script, err);
}

static int read_text(const ct_corpus *c, size_t doc, char **text, size_t *len, int *script,
                     ct_error *err)
{
    if (script)
        *script = 0;
    *text = NULL;
    *len = 0;
    if (doc >= c->n_docs)
        return CT_EINVAL;
    int strip = (c->opts.flags & CT_READ_STRIP_CHROME) != 0;
    if (strip && !__atomic_load_n(&c->lazy->prepared, __ATOMIC_ACQUIRE)) {
        int rc = ct_corpus_prepare(c, err);
        if (rc != CT_OK)
            return rc;
    }
    const ct_held *held = __atomic_load_n(&c->lazy->held, __ATOMIC_ACQUIRE);
    if (held && doc < held->n && held->text[doc]) { /* already stripped */
        if (!(*text = ct_malloc(held->len[doc] + 1))) {
            ct_error_set(err, c->docs[doc].source, 0, -1,
                         "out of memory while reading this document");
            return CT_ENOMEM;
        }
        memcpy(*text, held->text[doc], held->len[doc] + 1);
        *len = held->len[doc];
        if ((c->opts.flags & CT_READ_NOTE_SCRIPT) && script)
            *script = !__atomic_load_n(&c->docs[doc].script_known, __ATOMIC_ACQUIRE);
        else if (c->opts.flags & CT_READ_NOTE_SCRIPT)
            note_script(c, &c->docs[doc], *text, *len);
        return CT_OK;
    }
    int rc = ct_corpus_read_raw(c, &c->docs[doc], text, len, err);
    if (rc == CT_OK && strip && c->lazy->chrome) {
        size_t lines, chars;
        rc = ct_chrome_strip(c->lazy->chrome, *text, *len, &lines, &chars);
        if (rc == CT_OK) {
            /* the same numbers on every read: recording them twice is harmless */
            ct_doc *d = &c->docs[doc];
            __atomic_store_n(&d->chrome_lines, lines, __ATOMIC_RELAXED);
            __atomic_store_n(&d->chrome_chars, chars, __ATOMIC_RELAXED);
            __atomic_store_n(&d->chrome_known, 1, __ATOMIC_RELEASE);
        } else {
            ct_free(*text);
            *text = NULL;
            *len = 0;
        }
    }
    if (rc == CT_OK && (c->opts.flags & CT_READ_NOTE_SCRIPT) && script)
        *script = !__atomic_load_n(&c->docs[doc].script_known, __ATOMIC_ACQUIRE);
    else if (rc == CT_OK && (c->opts.flags & CT_READ_NOTE_SCRIPT))
        note_script(c, &c->docs[doc], *text, *len);
    return rc;
}

int ct_corpus_chrome_removed(const ct_corpus *c, size_t doc, size_t *lines, size_t *chars,
                             ct_error *err)
{
    *lines = *chars = 0;
    if (doc >= c->n_docs)
        return CT_EINVAL;
    if (!(c->opts.flags & CT_READ_STRIP_CHROME))
        return CT_OK;
    const ct_doc *d = &c->docs[doc];
    if (!__atomic_load_n(&d->chrome_known, __ATOMIC_ACQUIRE)) {
        char *text;
        size_t len;
        int rc = ct_corpus_read_text(c, doc, &text, &len, err);
        if (rc != CT_OK)
            return rc;
        ct_free(text);
    }
    *lines = __atomic_load_n(&d->chrome_lines, __ATOMIC_RELAXED);
    *chars = __atomic_load_n(&d->chrome_chars, __ATOMIC_RELAXED);
    return CT_OK;
}

int ct_corpus_chrome_find(const ct_corpus *c, size_t doc, char **text, size_t *len,
                          ct_chrome_hit **hits, size_t *n_hits, ct_error *err)
{
    *text = NULL;
    *len = 0;
    *hits = NULL;
    *n_hits = 0;
    if (doc >= c->n_docs)
        return CT_EINVAL;
    int rc;
    if ((c->opts.flags & CT_READ_STRIP_CHROME) &&
        !__atomic_load_n(&c->lazy->prepared, __ATOMIC_ACQUIRE) &&
        (rc = ct_corpus_prepare(c, err)) != CT_OK)
        return rc;
    if ((rc = ct_corpus_read_raw(c, &c->docs[doc], text, len, err)) != CT_OK)
        return rc;
    if (c->lazy->chrome && (c->opts.flags & CT_READ_STRIP_CHROME) &&
        (rc = ct_chrome_find(c->lazy->chrome, *text, *len, hits, n_hits)) != CT_OK) {
        ct_free(*text);
        *text = NULL;
        *len = 0;
    }
    return rc;
}

int ct_corpus_script(const ct_corpus *c, size_t doc, ct_script_counts *out)
{
    memset(out, 0, sizeof *out);
    if (doc >= c->n_docs || !__atomic_load_n(&c->docs[doc].script_known, __ATOMIC_ACQUIRE))
        return 0;
    out->traditional = c->docs[doc].n_traditional;
    out->simplified = c->docs[doc].n_simplified;
    return 1;
}

unsigned ct_corpus_reads(const ct_corpus *c, size_t doc)
{
    return doc < c->n_docs ? __atomic_load_n(&c->docs[doc].reads, __ATOMIC_RELAXED) : 0;
}
