/* corpus_dir.c — corpora on disk as files: a directory of *.txt (and *.docx, *.pdf where
 * built) files with an optional manifest.tsv, or a single text, DOCX or PDF file.
 *
 * A directory contributes every *.txt, *.docx and *.pdf below it (hidden entries skipped;
 * a kind whose reader was not built is skipped with a note), ordered by the byte order of
 * the relative path, plus any other file a manifest row names (read as text). The manifest
 * is a header row and tab-separated rows; column `file` names a file relative to the
 * directory, `id` its document id, and every other column is a metadata field (an empty
 * cell: no value). A file without a row gets the id of its relative path without its
 * extension. Every file's content is checked against its name (corpus_kind.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "encoding.h"
#include "lines.h"

typedef struct path_list {
    char **items;
    size_t n, cap;
} path_list;

static int path_list_add(path_list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **items = ct_reallocarray(l->items, cap, sizeof *items);
        if (!items)
            return CT_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    char *copy = ct_strdup(s);
    if (!copy)
        return CT_ENOMEM;
    l->items[l->n++] = copy;
    return CT_OK;
}

static void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ct_free(l->items[i]);
    ct_free(l->items);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_txt_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

/* The files a directory walk picks up: *.txt, and *.docx and *.pdf where built. */
static int walked_suffix(const char *name)
{
    size_t n = strlen(name);
    if (has_txt_suffix(name))
        return 1;
    int kind = ct_kind_by_name(name);
    return (kind == CT_KIND_DOCX && n > 5 && strcmp(name + n - 5, ".docx") == 0) ||
           (kind == CT_KIND_PDF && n > 4 && strcmp(name + n - 4, ".pdf") == 0);
}

/* The length of a relative path without its walked extension. */
static size_t id_length(const char *rel)
{
    size_t n = strlen(rel);
    if (!walked_suffix(rel))
        return n;
    return n - strlen(strrchr(rel, '.'));
}

/* Collect the relative paths of *.txt files below root/rel. */
static int walk(ct_corpus *c, const char *root, const char *rel, path_list *out, int depth,
                ct_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    if (depth > 64) {
        ct_error_set(err, dir, 0, -1, "directories nested too deeply (a symbolic link loop?)");
        return CT_EINPUT;
    }
    DIR *d = opendir(dir);
    if (!d) {
        ct_error_set(err, dir, 0, -1, "cannot open directory: %s", strerror(errno));
        return CT_EIO;
    }
    int rc = CT_OK;
    struct dirent *e;
    while (rc == CT_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char child_rel[4096], child[8192];
        if ((size_t)snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "",
                             e->d_name) >= sizeof child_rel)
            continue;
        snprintf(child, sizeof child, "%s/%s", root, child_rel);
        struct stat st;
        if (stat(child, &st) != 0)
            continue; /* a dangling link is not a document */
        if (S_ISDIR(st.st_mode))
            rc = walk(c, root, child_rel, out, depth + 1, err);
        else if (S_ISREG(st.st_mode) && walked_suffix(e->d_name)) {
            int kind = ct_kind_by_name(e->d_name);
            if (!ct_kind_built(kind)) {
                if (c->opts.note) {
                    char msg[8400];
                    snprintf(msg, sizeof msg,
                             "%s: skipped: this comptext was built without %s support", child,
                             kind == CT_KIND_PDF ? "PDF" : "DOCX");
                    c->opts.note(c->opts.note_ctx, msg);
                }
                continue;
            }
            rc = path_list_add(out, child_rel);
        }
    }
    closedir(d);
    return rc;
}

typedef struct manifest_row {
    char *file;
    long line;
    char **cells; /* one per column; NULL when empty */
} manifest_row;

typedef struct manifest {
    char **columns;
    size_t n_columns;
    long file_col, id_col;
    manifest_row *rows;
    size_t n_rows;
} manifest;

static void manifest_free(manifest *m)
{
    for (size_t r = 0; r < m->n_rows; r++) {
        for (size_t c = 0; c < m->n_columns; c++)
            ct_free(m->rows[r].cells[c]);
        ct_free(m->rows[r].cells);
    }
    ct_free(m->rows);
    for (size_t c = 0; c < m->n_columns; c++)
        ct_free(m->columns[c]);
    ct_free(m->columns);
    memset(m, 0, sizeof *m);
}

/* Split one line into tab-separated cells (copied; empty cells become NULL). */
static int split_tabs(const char *line, size_t len, char ***cells, size_t *n)
{
    size_t count = 1;
    for (size_t i = 0; i < len; i++)
        count += line[i] == '\t';
    char **out = ct_calloc(count, sizeof *out);
    if (!out)
        return CT_ENOMEM;
    size_t start = 0, k = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (i > start) {
                out[k] = ct_strndup(line + start, i - start);
                if (!out[k]) {
                    for (size_t j = 0; j < k; j++)
                        ct_free(out[j]);
                    ct_free(out);
                    return CT_ENOMEM;
                }
            }
            k++;
            start = i + 1;
        }
    }
    *cells = out;
    *n = count;
    return CT_OK;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ct_free(cells[i]);
    ct_free(cells);
}

static int read_manifest(const char *path, manifest *m, ct_error *err)
{
    memset(m, 0, sizeof *m);
    m->file_col = m->id_col = -1;
    char *raw;
    size_t raw_len;
    int rc = ct_read_file(path, &raw, &raw_len, err);
    if (rc != CT_OK)
        return rc;
    char *text;
    size_t len;
    rc = ct_decode_text(raw, raw_len, CT_ENCODING_UTF8, path, &text, &len, NULL, err);
    ct_free(raw);
    if (rc != CT_OK) {
        ct_error_utf8_only(err, "a manifest");
        return rc;
    }
    long line_no = 0;
    size_t pos = 0;
    const char *line;
    size_t line_len;
    while (rc == CT_OK && (line = ct_line_next(text, len, &pos, &line_len))) {
        line_no++;
        if (memchr(line, '\0', line_len)) {
            ct_error_set(err, path, line_no, -1, "NUL byte in the manifest");
            rc = CT_EINPUT;
            break;
        }
        if (line_len == 0)
            continue;
        char **cells;
        size_t n;
        rc = split_tabs(line, line_len, &cells, &n);
        if (rc != CT_OK)
            break;
        if (!m->columns) {
            m->columns = cells;
            m->n_columns = n;
            for (size_t c = 0; c < n; c++) {
                if (!cells[c]) {
                    ct_error_set(err, path, line_no, -1, "empty column name in the header");
                    rc = CT_EINPUT;
                } else if (strcmp(cells[c], "file") == 0) {
                    m->file_col = (long)c;
                } else if (strcmp(cells[c], "id") == 0) {
                    m->id_col = (long)c;
                }
            }
            if (rc == CT_OK && m->file_col < 0) {
                ct_error_set(err, path, line_no, -1, "the header row has no column named \"file\"");
                rc = CT_EINPUT;
            }
            continue;
        }
        if (n != m->n_columns) {
            ct_error_set(err, path, line_no, -1, "%zu fields, but the header has %zu", n,
                         m->n_columns);
            free_cells(cells, n);
            rc = CT_EINPUT;
            break;
        }
        if (!cells[m->file_col]) {
            ct_error_set(err, path, line_no, -1, "empty \"file\" field");
            free_cells(cells, n);
            rc = CT_EINPUT;
            break;
        }
        manifest_row *rows = ct_reallocarray(m->rows, m->n_rows + 1, sizeof *rows);
        if (!rows) {
            free_cells(cells, n);
            rc = CT_ENOMEM;
            break;
        }
        m->rows = rows;
        rows[m->n_rows].file = cells[m->file_col];
        rows[m->n_rows].line = line_no;
        rows[m->n_rows].cells = cells;
        m->n_rows++;
    }
    if (rc == CT_OK && !m->columns) {
        ct_error_set(err, path, 0, -1, "the manifest is empty (it needs a header row)");
        rc = CT_EINPUT;
    }
    ct_free(text);
    if (rc != CT_OK)
        manifest_free(m);
    return rc;
}

/* Build a document for a text, DOCX or PDF file (after checking that its content agrees
 * with its name); id NULL: derived from rel. */
static int push_file(ct_corpus *c, const char *full, const char *rel, const char *id, ct_error *err)
{
    int kind = ct_kind_by_name(full);
    if (kind == CT_KIND_JSONL || kind == CT_KIND_CSV || kind == CT_KIND_TSV)
        kind = CT_KIND_TEXT; /* a manifest row naming one: its bytes are the text */
    int rc = ct_kind_check(full, kind, err);
    if (rc != CT_OK)
        return rc;
    ct_doc d = {0};
    d.kind = kind == CT_KIND_DOCX ? CT_DOC_DOCX : kind == CT_KIND_PDF ? CT_DOC_PDF : CT_DOC_FILE;
    d.path = ct_strdup(full);
    d.source = ct_strdup(full);
    if (id)
        d.id = ct_strdup(id);
    else
        d.id = ct_strndup(rel, id_length(rel));
    if (!d.path || !d.source || !d.id) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    return ct_corpus_push(c, &d, err);
}

/* Manifest rows sorted by file, for lookup by relative path. */
static int cmp_row_file(const void *a, const void *b)
{
    return strcmp(((const manifest_row *)a)->file, ((const manifest_row *)b)->file);
}

int ct_corpus_add_dir(ct_corpus *c, const char *dir, ct_error *err)
{
    path_list files = {0};
    manifest m = {0};
    char path[8192];
    int rc = walk(c, dir, "", &files, 0, err);
    if (rc != CT_OK)
        goto cleanup;
    /* Sorted now so that manifest rows naming *.txt files can be looked up. */
    if (files.n > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(files.items, files.n, sizeof *files.items, cmp_str);
    size_t n_walked = files.n;
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    struct stat st;
    int have_manifest = stat(path, &st) == 0;
    if (have_manifest) {
        rc = read_manifest(path, &m, err);
        if (rc != CT_OK)
            goto cleanup;
        if (m.n_rows > 1) /* qsort(NULL, 0, ...) is undefined */
            qsort(m.rows, m.n_rows, sizeof *m.rows, cmp_row_file);
        for (size_t r = 0; r < m.n_rows; r++) {
            if (r > 0 && strcmp(m.rows[r].file, m.rows[r - 1].file) == 0) {
                ct_error_set(err, path, m.rows[r].line, -1,
                             "file \"%s\" is listed twice (also on line %ld)", m.rows[r].file,
                             m.rows[r - 1].line);
                rc = CT_EINPUT;
                goto cleanup;
            }
            char full[8192];
            snprintf(full, sizeof full, "%s/%s", dir, m.rows[r].file);
            if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
                ct_error_set(err, path, m.rows[r].line, -1, "file \"%s\" does not exist in %s",
                             m.rows[r].file, dir);
                rc = CT_EINPUT;
                goto cleanup;
            }
            /* A row naming a *.txt file the walk did not find ("./a.txt", "../x.txt", a
             * hidden file) would otherwise be ignored without a word. */
            if (walked_suffix(m.rows[r].file) &&
                (!n_walked ||
                 !bsearch(&m.rows[r].file, files.items, n_walked, sizeof *files.items, cmp_str))) {
                ct_error_set(err, path, m.rows[r].line, -1,
                             "file \"%s\" is not one of the directory's %s files (write the "
                             "path relative to %s, without \"./\"; hidden files are skipped)",
                             m.rows[r].file, strrchr(m.rows[r].file, '.'), dir);
                rc = CT_EINPUT;
                goto cleanup;
            }
            if (!walked_suffix(m.rows[r].file) && (rc = path_list_add(&files, m.rows[r].file)))
                goto cleanup;
        }
    }
    if (files.n == 0) {
        int docx = ct_kind_built(CT_KIND_DOCX), pdf = ct_kind_built(CT_KIND_PDF);
        ct_error_set(err, dir, 0, -1, "no .txt files in this directory%s%s%s%s",
                     docx || pdf ? " (nor " : "", docx ? ".docx" : "", docx && pdf ? " or " : "",
                     pdf    ? ".pdf files)"
                     : docx ? " files)"
                            : "");
        rc = CT_EEMPTY;
        goto cleanup;
    }
    qsort(files.items, files.n, sizeof *files.items, cmp_str);
    for (size_t i = 0; i < files.n; i++) {
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, files.items[i]);
        manifest_row key = {.file = files.items[i]};
        manifest_row *row =
            m.n_rows ? bsearch(&key, m.rows, m.n_rows, sizeof *m.rows, cmp_row_file) : NULL;
        const char *id = row && m.id_col >= 0 ? row->cells[m.id_col] : NULL;
        rc = push_file(c, full, files.items[i], id, err);
        if (rc != CT_OK)
            goto cleanup;
        if (!row)
            continue;
        for (size_t col = 0; col < m.n_columns; col++) {
            if ((long)col == m.file_col || (long)col == m.id_col || !row->cells[col])
                continue;
            rc = ct_corpus_set_meta(c, m.columns[col], row->cells[col], strlen(row->cells[col]));
            if (rc != CT_OK)
                goto cleanup;
        }
    }
cleanup:
    path_list_free(&files);
    manifest_free(&m);
    return rc;
}

int ct_corpus_add_file(ct_corpus *c, const char *path, const char *id, ct_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return push_file(c, path, base, id, err);
}
