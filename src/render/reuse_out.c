/* reuse_out.c — shared passages and the group matrix as JSON Lines or TSV
 * (comptext/render.h).
 *
 * JSON is written through jansson (escaping, UTF-8 checks), one compact object a line in a
 * fixed key order; TSV and CSV go through the one table writer (table.h), header row
 * first. Only public accessors of the reuse result are used. */
#include <jansson.h>

#include "comptext/error.h"
#include "comptext/render.h"
#include "output.h"
#include "table.h"

static int put_line(json_t *obj, FILE *f)
{
    if (!obj)
        return CT_ENOMEM;
    int rc = json_dumpf(obj, f, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0 ? CT_OK : CT_EIO;
    json_decref(obj);
    if (rc == CT_OK && fputc('\n', f) == EOF)
        rc = CT_EIO;
    return rc;
}

int ct_reuse_write_jsonl(const ct_reuse *r, const ct_corpus *corpus, FILE *f)
{
    for (size_t i = 0; i < ct_reuse_count(r); i++) {
        const ct_reuse_passage *p = ct_reuse_get(r, i);
        json_t *o = json_pack(
            "{s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:b, s:b, s:s, s:s}", "a",
            ct_corpus_id(corpus, p->a), "a_begin", (json_int_t)p->a_begin, "a_end",
            (json_int_t)p->a_end, "b", ct_corpus_id(corpus, p->b), "b_begin",
            (json_int_t)p->b_begin, "b_end", (json_int_t)p->b_end, "length", (json_int_t)p->length,
            "matches", (json_int_t)p->matches, "identity", p->identity, "score",
            (json_int_t)p->score, "cluster", (json_int_t)p->cluster, "cluster_size",
            (json_int_t)p->cluster_size, "boilerplate", p->boilerplate, "directed", p->directed,
            "a_text", p->a_text, "b_text", p->b_text);
        int rc = put_line(o, f);
        if (rc != CT_OK)
            return rc;
    }
    return ferror(f) ? CT_EIO : CT_OK;
}

static int table_format(const char *format, ct_table_format *fmt)
{
    return ct_table_format_parse(format ? format : "tsv", fmt);
}

int ct_reuse_write_table(const ct_reuse *r, const ct_corpus *corpus, const char *format, FILE *f)
{
    static const char *const cols[] = {
        "a",     "a_begin", "a_end",        "b",           "b_begin", "b_end", "length", "identity",
        "score", "cluster", "cluster_size", "boilerplate", "a_text",  "b_text"};
    ct_table_format fmt;
    ct_table *t;
    int rc = table_format(format, &fmt);
    if (rc == CT_OK)
        rc = ct_table_new(&t, f, fmt, cols, sizeof cols / sizeof cols[0]);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < ct_reuse_count(r); i++) {
        const ct_reuse_passage *p = ct_reuse_get(r, i);
        ct_table_text(t, ct_corpus_id(corpus, p->a));
        ct_table_u64(t, p->a_begin);
        ct_table_u64(t, p->a_end);
        ct_table_text(t, ct_corpus_id(corpus, p->b));
        ct_table_u64(t, p->b_begin);
        ct_table_u64(t, p->b_end);
        ct_table_u64(t, p->length);
        ct_table_double(t, p->identity);
        ct_table_u64(t, (uint64_t)p->score);
        ct_table_u64(t, p->cluster);
        ct_table_u64(t, p->cluster_size);
        ct_table_u64(t, (uint64_t)p->boilerplate);
        ct_table_text(t, p->a_text);
        ct_table_text(t, p->b_text);
    }
    return ct_table_finish(t);
}

int ct_reuse_write_groups_table(const ct_reuse_cell *cells, size_t n, const char *format, FILE *f)
{
    static const char *const cols[] = {"group_a", "group_b", "passages", "characters"};
    ct_table_format fmt;
    ct_table *t;
    int rc = table_format(format, &fmt);
    if (rc == CT_OK)
        rc = ct_table_new(&t, f, fmt, cols, 4);
    if (rc != CT_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        ct_table_text(t, cells[i].group_a);
        ct_table_text(t, cells[i].group_b);
        ct_table_u64(t, cells[i].passages);
        ct_table_u64(t, cells[i].characters);
    }
    return ct_table_finish(t);
}

int ct_reuse_write_groups_jsonl(const ct_reuse_cell *cells, size_t n, FILE *f)
{
    for (size_t i = 0; i < n; i++) {
        int rc = put_line(json_pack("{s:s, s:s, s:I, s:I}", "group_a", cells[i].group_a, "group_b",
                                    cells[i].group_b, "passages", (json_int_t)cells[i].passages,
                                    "characters", (json_int_t)cells[i].characters),
                          f);
        if (rc != CT_OK)
            return rc;
    }
    return ferror(f) ? CT_EIO : CT_OK;
}
