/* report_reuse.c — the reuse section of the compare report (see report.h).
 *
 * What `comptext reuse` finds, shown where a researcher reads the comparison: how many
 * passages two documents share and between how many pairs, the group-by-group matrix as a
 * heatmap (groups of --group-by, else the clusters), the strongest passages with both texts
 * side by side and their differences marked, and the boilerplate that recurs across many
 * documents. The section is bounded whatever the corpus size: the caller passes the top
 * passages and clusters, each text is cut to a few hundred characters, and the matrix to the
 * groups that share the most. Differences are the characters off a longest common
 * subsequence of the two texts (punctuation included, so a changed comma shows too). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "comptext/error.h"
#include "report.h"

/* Byte offsets of the first max code points of s (starts[0..n], starts[n] the end). */
static size_t char_starts(const char *s, size_t max, size_t **out)
{
    size_t len = strlen(s), n = 0;
    size_t *st = ct_malloc((max + 1) * sizeof *st);
    if (!st)
        return (size_t)-1;
    size_t i = 0;
    while (i < len && n < max) {
        st[n++] = i;
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    st[n] = i;
    *out = st;
    return n;
}

static int same_char(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

static void write_run(FILE *f, const char *s, size_t len, const char *tag)
{
    char *run = ct_malloc(len + 1);
    if (!run)
        return;
    memcpy(run, s, len);
    run[len] = '\0';
    if (tag)
        fprintf(f, "<%s>", tag);
    ct_html_escape(f, run);
    if (tag)
        fprintf(f, "</%s>", tag);
    ct_free(run);
}

int ct_report_write_diff(FILE *f, const char *text, const char *other, size_t max, const char *tag)
{
    size_t *ts = NULL, *os = NULL;
    size_t n = char_starts(text, max, &ts);
    size_t m = char_starts(other, max + max / 4, &os);
    uint16_t *L = NULL;
    int rc = CT_ENOMEM;
    if (n == (size_t)-1 || m == (size_t)-1)
        goto cleanup;
    /* L[i][j]: longest common subsequence of text[i..n) and other[j..m) (n, m < 65 536) */
    if (!(L = ct_calloc((n + 1) * (m + 1), sizeof *L)))
        goto cleanup;
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;) {
            uint16_t *here = &L[i * (m + 1) + j];
            if (same_char(text + ts[i], ts[i + 1] - ts[i], other + os[j], os[j + 1] - os[j]))
                *here = (uint16_t)(L[(i + 1) * (m + 1) + j + 1] + 1);
            else {
                uint16_t down = L[(i + 1) * (m + 1) + j], right = L[i * (m + 1) + j + 1];
                *here = down >= right ? down : right;
            }
        }
    /* Walk the table: runs of common and of marked characters. */
    size_t i = 0, j = 0, run = 0;
    int marked = 0;
    while (i < n) {
        int common = 0;
        while (j < m && !common) {
            if (same_char(text + ts[i], ts[i + 1] - ts[i], other + os[j], os[j + 1] - os[j])) {
                common = 1;
                break;
            }
            if (L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1])
                break; /* text[i] is off the subsequence */
            j++;
        }
        int mark = !common;
        if (mark != marked && i > run) {
            write_run(f, text + ts[run], ts[i] - ts[run], marked ? tag : NULL);
            run = i;
        }
        marked = mark;
        if (common)
            j++;
        i++;
    }
    if (n > run)
        write_run(f, text + ts[run], ts[n] - ts[run], marked ? tag : NULL);
    if (text[ts[n]])
        fputs("…", f);
    rc = ferror(f) ? CT_EIO : CT_OK;
cleanup:
    ct_free(L);
    ct_free(ts);
    ct_free(os);
    return rc;
}

static void cell_id(FILE *f, const char *id, size_t begin, size_t end)
{
    fputs("<b>", f);
    ct_html_escape(f, id);
    fprintf(f, "</b> <small>%zu–%zu</small>", begin, end);
}

void ct_report_section_reuse(FILE *f, const ct_report_reuse *r)
{
    fputs("<h2 id=\"reuse\">Shared passages</h2>\n", f);
    if (r->skipped) {
        fputs("<p>Shared passages: ", f);
        ct_html_escape(f, r->skipped);
        fputs(".</p>\n", f);
        return;
    }
    fprintf(f,
            "<p>Passages of at least %zu characters at identity %.2g or more that two documents "
            "share, as <code>comptext reuse</code> finds them (%zu-character shingles as "
            "candidates, Smith–Waterman alignment with affine gaps; punctuation and white "
            "space are not compared): <b>%zu %s</b> (reuse.jsonl, offsets in characters "
            "of each original text) between %zu %s of documents, from %zu candidate %s "
            "aligned.",
            r->min_length, r->min_identity, r->shingle, r->passages,
            ct_report_noun(r->passages, "passage", "passages"), r->pairs,
            ct_report_noun(r->pairs, "pair", "pairs"), r->candidates,
            ct_report_noun(r->candidates, "region", "regions"));
    if (r->boilerplate_total)
        fprintf(f,
                " %zu of them %s boilerplate — text that recurs across %zu documents or more, "
                "or a passage made mostly of such text (a template sentence) — reported as "
                "a spanning tree of their strongest pairs and left out of the matrix and the "
                "table below.",
                r->boilerplate_total, r->boilerplate_total == 1 ? "is" : "are",
                r->boilerplate_docs);
    fputs("</p>\n", f);
    if (r->matrix_svg) {
        fputs("<p>Characters shared between ", f);
        ct_html_escape(f, r->matrix_what);
        if (r->matrix_shown < r->matrix_groups)
            fprintf(f, " (the %zu of %zu that share the most)", r->matrix_shown, r->matrix_groups);
        fputs(", passages that are not boilerplate; the diagonal is reuse within a "
              "group.</p>\n",
              f);
        fprintf(f, "<div class=\"fig\">%s</div>\n", r->matrix_svg);
    }
    if (r->n_top) {
        if (r->n_top == 1)
            fputs("<h3>The longest passage</h3>\n", f);
        else
            fprintf(f, "<h3>The %zu longest passages</h3>\n", r->n_top);
        fprintf(f,
                "<p>One passage for each text shared (%zu %s in all; documents that share one "
                "text give a passage for each pair: all of them are in reuse.jsonl). Side by side, "
                "the characters of one text that are not in the "
                "other <del>marked</del> / <ins>marked</ins>; begin–end in characters of each "
                "text.</p>\n<table class=\"reuse\"><tr><th>#</th><th>a</th><th>b</th>"
                "<th>length</th><th>identity</th><th>documents</th></tr>\n",
                r->distinct, ct_report_noun(r->distinct, "text", "texts"));
        for (size_t i = 0; i < r->n_top; i++) {
            const ct_report_passage *p = &r->top[i];
            fprintf(f, "<tr><td class=\"num\">%zu</td><td class=\"pa\">", i + 1);
            cell_id(f, p->a, p->a_begin, p->a_end);
            fputs("<br>", f);
            ct_report_write_diff(f, p->a_text, p->b_text, 300, "del");
            fputs("</td><td class=\"pa\">", f);
            cell_id(f, p->b, p->b_begin, p->b_end);
            fputs("<br>", f);
            ct_report_write_diff(f, p->b_text, p->a_text, 300, "ins");
            fprintf(f,
                    "</td><td class=\"num\">%zu</td><td class=\"num\">%.3f</td>"
                    "<td class=\"num\">%zu</td></tr>\n",
                    p->length, p->identity, p->documents);
        }
        fputs("</table>\n", f);
    } else if (r->passages == r->boilerplate_total) {
        fputs("<p>No passage that is not boilerplate.</p>\n", f);
    }
    if (r->n_boilerplate) {
        fputs("<h3>Boilerplate</h3>\n<p>", f);
        if (r->n_boilerplate < r->n_boilerplate_clusters)
            fprintf(f, "The %zu largest of the %zu clusters of boilerplate passages",
                    r->n_boilerplate, r->n_boilerplate_clusters);
        else if (r->n_boilerplate == 1)
            fputs("The cluster of boilerplate passages", f);
        else
            fprintf(f, "The %zu clusters of boilerplate passages", r->n_boilerplate);
        fprintf(f,
                " (text that recurs across %zu documents or more, or a template sentence "
                "fewer documents share), each with one of its passages; documents: how many "
                "the cluster spans.</p>\n"
                "<table class=\"reuse\"><tr><th>documents</th><th>passage</th></tr>\n",
                r->boilerplate_docs);
        for (size_t i = 0; i < r->n_boilerplate; i++) {
            const ct_report_boilerplate *b = &r->boilerplate[i];
            fprintf(f, "<tr><td class=\"num\">%zu</td><td class=\"pa\">", b->documents);
            ct_html_escape(f, b->a);
            fputs(" · ", f);
            ct_html_escape(f, b->b);
            fputs("<br>", f);
            ct_report_write_diff(f, b->sample, b->sample, 200, NULL);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
}
