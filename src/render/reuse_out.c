/* reuse_out.c — shared passages and the group matrix as JSON Lines or TSV
 * (comptext/render.h).
 *
 * JSON is written through jansson (escaping, UTF-8 checks), one compact object a line in a
 * fixed key order; TSV uses the project's field escaping and %.17g numbers, after a header
 * row. Only public accessors of the reuse result are used. */
#include <jansson.h>

#include "comptext/error.h"
#include "comptext/render.h"
#include "output.h"

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

int ct_reuse_write_tsv(const ct_reuse *r, const ct_corpus *corpus, FILE *f)
{
    fputs("a\ta_begin\ta_end\tb\tb_begin\tb_end\tlength\tidentity\tscore\tcluster\tcluster_size"
          "\tboilerplate\ta_text\tb_text\n",
          f);
    for (size_t i = 0; i < ct_reuse_count(r); i++) {
        const ct_reuse_passage *p = ct_reuse_get(r, i);
        ct_write_tsv_field(f, ct_corpus_id(corpus, p->a));
        fprintf(f, "\t%zu\t%zu\t", p->a_begin, p->a_end);
        ct_write_tsv_field(f, ct_corpus_id(corpus, p->b));
        fprintf(f, "\t%zu\t%zu\t%zu\t", p->b_begin, p->b_end, p->length);
        ct_write_double(f, p->identity);
        fprintf(f, "\t%ld\t%zu\t%zu\t%d\t", p->score, p->cluster, p->cluster_size, p->boilerplate);
        ct_write_tsv_field(f, p->a_text);
        fputc('\t', f);
        ct_write_tsv_field(f, p->b_text);
        fputc('\n', f);
    }
    return ferror(f) ? CT_EIO : CT_OK;
}

int ct_reuse_write_groups_tsv(const ct_reuse_cell *cells, size_t n, FILE *f)
{
    fputs("group_a\tgroup_b\tpassages\tcharacters\n", f);
    for (size_t i = 0; i < n; i++) {
        ct_write_tsv_field(f, cells[i].group_a);
        fputc('\t', f);
        ct_write_tsv_field(f, cells[i].group_b);
        fprintf(f, "\t%zu\t%zu\n", cells[i].passages, cells[i].characters);
    }
    return ferror(f) ? CT_EIO : CT_OK;
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
