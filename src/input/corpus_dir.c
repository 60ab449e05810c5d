/* corpus_dir.c — corpora on disk as files: a directory of *.txt (and *.docx, *.pdf where
 * built) files with an optional manifest.tsv, or a single text, DOCX or PDF file. Every
 * file's content is checked against its name (corpus_kind.c); *.docx and *.pdf files are
 * picked up like *.txt (a kind whose reader was not built is skipped with a note), and
 * their ids drop the extension as well.
 *
 * A directory contributes every *.txt below it (hidden entries skipped), ordered by the byte
 * order of the relative path, plus any other file a manifest row names. The manifest is a
 * header row and tab-separated rows; column `file` names a file relative to the directory,
 * `id` its document id, and every other column is a metadata field (an empty cell: no
 * value). A file without a row gets the id of its relative path without ".txt". */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_part.h"
#include "corpus_readers.h"
#include "encoding.h"
#include "lines.h"
#include "termtab.h"
#include "sort.h"

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

/* What the walk needs besides the list: the real path of the root (for symbolic links, made
 * when the first one is met), and the files and directories seen, by device and inode, so
 * that links fanning out to one file or directory count it once (and loops end). */
typedef struct walk_state {
    const char *root;
    char *root_real;
    int follow_outside;
    int pass;         /* 0: real entries only; 1: symbolic links too (when pass 0 met one) */
    int met_link;     /* pass 0 skipped a symbolic link */
    ct_termtab *seen; /* files listed, and directories walked in this pass */
    path_list *out;
    ct_corpus *corpus; /* for the note on files whose reader was not built */
} walk_state;

/* 1 when real (a resolved path) is root_real or below it. */
static int is_inside(const char *root_real, const char *real)
{
    size_t n = strlen(root_real);
    if (n == 1 && root_real[0] == '/')
        return 1;
    return strncmp(real, root_real, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

static int get_root_real(walk_state *w, ct_error *err)
{
    if (w->root_real)
        return CT_OK;
    w->root_real = realpath(w->root, NULL);
    if (!w->root_real) {
        ct_error_set(err, w->root, 0, -1, "cannot resolve the path: %s", strerror(errno));
        return errno == ENOMEM ? CT_ENOMEM : CT_EIO;
    }
    return CT_OK;
}

/* Refuse a path (a symbolic link, a manifest row) that leads out of the corpus folder. */
static int check_inside(walk_state *w, const char *path, const char *what, const char *src,
                        long line, ct_error *err)
{
    if (w->follow_outside)
        return CT_OK;
    int rc = get_root_real(w, err);
    if (rc != CT_OK)
        return rc;
    char *real = realpath(path, NULL);
    if (!real)
        return CT_OK; /* dangling: handled by the caller's stat */
    int inside = is_inside(w->root_real, real);
    if (!inside)
        ct_error_set(err, src, line, -1,
                     "%s leads out of the corpus folder %s (to %s); --follow-outside allows it",
                     what, w->root, real);
    free(real); /* realpath's buffer comes from the C library */
    return inside ? CT_OK : CT_EINPUT;
}

/* 1 when the device and inode of st were seen before (and records them): files in one
 * table for both passes, directories in one table a pass. */
static int seen_before(walk_state *w, const struct stat *st, int *rc)
{
    char key[sizeof(dev_t) + sizeof(ino_t) + 1];
    memcpy(key, &st->st_dev, sizeof(dev_t));
    memcpy(key + sizeof(dev_t), &st->st_ino, sizeof(ino_t));
    key[sizeof key - 1] = S_ISDIR(st->st_mode) ? (char)('d' + w->pass) : 'f';
    int is_new = 0;
    uint32_t id;
    *rc = ct_termtab_intern(w->seen, key, sizeof key, &id, &is_new);
    return *rc == CT_OK && !is_new;
}

/* Collect the relative paths of *.txt files below root/rel, each directory's entries in byte
 * order (so that which of two links to one file is listed does not depend on readdir). */
static int walk(walk_state *w, const char *rel, int depth, ct_error *err)
{
    char dir[PATH_MAX];
    if ((size_t)snprintf(dir, sizeof dir, "%s%s%s", w->root, *rel ? "/" : "", rel) >= sizeof dir) {
        ct_error_set(err, w->root, 0, -1, "a path below this folder is too long (over %d bytes)",
                     PATH_MAX - 1);
        return CT_EINPUT;
    }
    if (depth > 64) {
        ct_error_set(err, dir, 0, -1, "directories nested too deeply (a symbolic link loop?)");
        return CT_EINPUT;
    }
    DIR *d = opendir(dir);
    if (!d) {
        ct_error_set(err, dir, 0, -1, "cannot open directory: %s", strerror(errno));
        return CT_EIO;
    }
    path_list names = {0};
    int rc = CT_OK;
    struct dirent *e;
    errno = 0;
    while (rc == CT_OK && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            rc = path_list_add(&names, e->d_name);
    closedir(d);
    if (rc == CT_OK)
        ct_sort(names.items, names.n, sizeof *names.items, cmp_str);
    for (size_t k = 0; rc == CT_OK && k < names.n; k++) {
        const char *name = names.items[k];
        char child_rel[PATH_MAX], child[PATH_MAX];
        if ((size_t)snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", name) >=
                sizeof child_rel ||
            (size_t)snprintf(child, sizeof child, "%s/%s", w->root, child_rel) >= sizeof child) {
            ct_error_set(err, dir, 0, -1,
                         "the path of \"%s\" below this folder is too long (over %d bytes)", name,
                         PATH_MAX - 1);
            rc = CT_EINPUT;
            break;
        }
        struct stat st;
        if (lstat(child, &st) != 0)
            continue;
        int is_link = S_ISLNK(st.st_mode);
        if (is_link && w->pass == 0) {
            w->met_link = 1;
            continue;
        }
        if (is_link && stat(child, &st) != 0)
            continue; /* a dangling link is not a document */
        if (!S_ISDIR(st.st_mode) && !(S_ISREG(st.st_mode) && walked_suffix(name)))
            continue;
        if (!S_ISDIR(st.st_mode) && !ct_kind_built(ct_kind_by_name(name))) {
            const ct_corpus *c = w->corpus;
            if (c->opts.note && w->pass == 0) {
                char msg[PATH_MAX + 100];
                snprintf(msg, sizeof msg, "%s: skipped: this comptext was built without %s support",
                         child, ct_kind_by_name(name) == CT_KIND_PDF ? "PDF" : "DOCX");
                c->opts.note(c->opts.note_ctx, msg);
            }
            continue;
        }
        if (is_link && (rc = check_inside(w, child, "this symbolic link", child, 0, err)) != CT_OK)
            break;
        if (seen_before(w, &st, &rc) || rc != CT_OK)
            continue; /* the same file or directory through another link: once */
        if (S_ISDIR(st.st_mode))
            rc = walk(w, child_rel, depth + 1, err);
        else
            rc = path_list_add(w->out, child_rel);
    }
    path_list_free(&names);
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
    char *text;
    size_t len;
    int rc = ct_read_utf8_file(path, "a manifest", &text, &len, err);
    if (rc != CT_OK)
        return rc;
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
        if (m->id_col >= 0 && cells[m->id_col] &&
            ct_blank_id(cells[m->id_col], strlen(cells[m->id_col]))) {
            ct_error_set(err, path, line_no, -1, "blank (white space only) \"id\" field");
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
/* The read-back functions of Word and PDF documents (ct_doc.read). */
static int read_docx(const ct_doc *d, char **text, size_t *len, ct_error *err)
{
    return ct_docx_read_text(d->path, text, len, err);
}

static int read_pdf(const ct_doc *d, char **text, size_t *len, ct_error *err)
{
    return ct_pdf_read_text(d->path, text, len, err);
}

/* Build a document for a text, DOCX or PDF file (after checking that its content agrees with
 * its name); id NULL: derived from rel. st: the file as listed. */
static int push_file(ct_corpus *c, const char *full, const char *rel, const char *id,
                     const struct stat *st, ct_error *err)
{
    int kind = ct_kind_by_name(full);
    if (kind == CT_KIND_JSONL || kind == CT_KIND_CSV || kind == CT_KIND_TSV)
        kind = CT_KIND_TEXT; /* a manifest row naming one: its bytes are the text */
    int rc = ct_kind_check(full, kind, err);
    if (rc != CT_OK)
        return rc;
    ct_doc d = {0};
    d.kind = kind == CT_KIND_DOCX ? CT_DOC_DOCX : kind == CT_KIND_PDF ? CT_DOC_PDF : CT_DOC_FILE;
    d.read = kind == CT_KIND_DOCX ? read_docx : kind == CT_KIND_PDF ? read_pdf : NULL;
    d.path = ct_strdup(full);
    d.source = ct_utf8_escape_invalid(full, strlen(full)); /* for messages and JSON */
    char *rel_shown = ct_utf8_escape_invalid(rel, strlen(rel));
    if (!rel_shown) {
        ct_doc_clear(&d);
        return CT_ENOMEM;
    }
    if (d.source && strlen(rel_shown) <= strlen(d.source))
        d.rel_off = strlen(d.source) - strlen(rel_shown);
    ct_free(rel_shown);
    if (st) {
        d.dev = st->st_dev;
        d.ino = st->st_ino;
    }
    if (id)
        d.id = ct_strdup(id);
    else
        d.id = ct_utf8_escape_invalid(rel, id_length(rel));
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

/* The files [n·part/parts, n·(part+1)/parts) of the n listed (all with parts 1). */
static int add_dir(ct_corpus *c, const char *dir, size_t part, size_t parts, ct_error *err)
{
    path_list files = {0};
    manifest m = {0};
    char path[8192];
    walk_state w = {.root = dir,
                    .follow_outside = (c->opts.flags & CT_READ_FOLLOW_OUTSIDE) != 0,
                    .out = &files,
                    .corpus = c};
    /* Two passes: the real files first, then what symbolic links add — so that a file
     * reached both ways is listed under its real path, each file once. */
    int rc = ct_termtab_new(&w.seen);
    struct stat root_st;
    if (rc == CT_OK && stat(dir, &root_st) == 0)
        for (w.pass = 0; rc == CT_OK && w.pass < 2; w.pass++) {
            if (w.pass == 1 && !w.met_link)
                break;
            seen_before(&w, &root_st, &rc); /* a link back to the root is a loop */
            if (rc == CT_OK)
                rc = walk(&w, "", 0, err);
        }
    if (rc != CT_OK)
        goto cleanup;
    /* Sorted now so that manifest rows naming *.txt files can be looked up. */
    ct_sort(files.items, files.n, sizeof *files.items, cmp_str);
    size_t n_walked = files.n;
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    struct stat st;
    int have_manifest = stat(path, &st) == 0;
    if (have_manifest) {
        rc = read_manifest(path, &m, err);
        if (rc != CT_OK)
            goto cleanup;
        ct_sort(m.rows, m.n_rows, sizeof *m.rows, cmp_row_file);
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
            if (m.rows[r].file[0] == '/' && !w.follow_outside) {
                ct_error_set(err, path, m.rows[r].line, -1,
                             "file \"%s\" is an absolute path, outside the corpus folder %s; "
                             "--follow-outside allows it",
                             m.rows[r].file, dir);
                rc = CT_EINPUT;
                goto cleanup;
            }
            if (m.rows[r].file[0] == '/')
                snprintf(full, sizeof full, "%s", m.rows[r].file);
            if ((rc = check_inside(&w, full, "this row", path, m.rows[r].line, err)) != CT_OK)
                goto cleanup;
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
    ct_sort(files.items, files.n, sizeof *files.items, cmp_str);
    size_t first = files.n * part / parts, end = files.n * (part + 1) / parts;
    for (size_t i = first; i < end; i++) {
        char full[8192];
        if (files.items[i][0] == '/') /* an absolute manifest row, with --follow-outside */
            snprintf(full, sizeof full, "%s", files.items[i]);
        else
            snprintf(full, sizeof full, "%s/%s", dir, files.items[i]);
        manifest_row key = {.file = files.items[i]};
        manifest_row *row =
            m.n_rows ? bsearch(&key, m.rows, m.n_rows, sizeof *m.rows, cmp_row_file) : NULL;
        const char *id = row && m.id_col >= 0 ? row->cells[m.id_col] : NULL;
        if (stat(full, &st) != 0) {
            ct_error_set(err, full, 0, -1, "cannot open: %s", strerror(errno));
            rc = CT_EIO;
            goto cleanup;
        }
        rc = push_file(c, full, files.items[i], id, &st, err);
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
    ct_termtab_free(w.seen);
    free(w.root_real);
    path_list_free(&files);
    manifest_free(&m);
    return rc;
}

int ct_corpus_add_dir(ct_corpus *c, const char *dir, ct_error *err)
{
    return add_dir(c, dir, 0, 1, err);
}

int ct_corpus_add_dir_part(ct_corpus *c, const char *dir, size_t part, size_t parts, ct_error *err)
{
    if (parts == 0 || part >= parts)
        return CT_EINVAL;
    return add_dir(c, dir, part, parts, err);
}

int ct_corpus_add_file(ct_corpus *c, const char *path, const char *id, ct_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    struct stat st;
    return push_file(c, path, base, id, stat(path, &st) == 0 ? &st : NULL, err);
}
