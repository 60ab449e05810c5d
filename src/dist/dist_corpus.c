/* dist_corpus.c — each rank's share of the corpus (dist.h: ct_dist_load_corpus).
 *
 * A folder is split by file index (every rank lists it and checks its manifest, then adds
 * its range of files); a JSON Lines file by byte ranges: rank r starts at the first line
 * that begins at or after r/N of the file, its first line number is the sum of the newlines
 * before it (an exclusive scan), so messages and derived ids name the lines one process
 * names. Any other kind of corpus is read by rank 0 alone. Then, collectively: the chrome
 * model of the whole corpus (each rank observes its documents, the counts are exchanged
 * and added up), and the duplicate-id check across ranks — each id goes to the rank its hash
 * names, which finds the repeats. Failures are ordered by corpus position (rank, then local
 * document), so the message is the one one process would give first. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "corpus_impl.h"
#include "corpus_part.h"
#include "corpus_readers.h"
#include "dist.h"
#include "encoding.h"
#include "termtab.h"
#include "sort.h"

#define POS(rank, doc) (((long)(rank) << 40) | (long)(doc))

/* The first line start at or after byte at (size when none). */
static int line_start_after(int fd, long long at, long long size, long long *out)
{
    char buf[65536];
    long long pos = at - 1; /* the byte before: a '\n' there makes at a line start */
    while (pos < size) {
        ssize_t k = pread(fd, buf, sizeof buf, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return CT_EIO;
        char *nl = memchr(buf, '\n', (size_t)k);
        if (nl) {
            *out = pos + (nl - buf) + 1;
            return CT_OK;
        }
        pos += k;
    }
    *out = size;
    return CT_OK;
}

/* Newlines in [lo, hi). */
static int count_newlines(int fd, long long lo, long long hi, long *out)
{
    char buf[1 << 16];
    long n = 0;
    for (long long pos = lo; pos < hi;) {
        size_t want = hi - pos < (long long)sizeof buf ? (size_t)(hi - pos) : sizeof buf;
        ssize_t k = pread(fd, buf, want, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return CT_EIO;
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + k - p))); p++)
            n++;
        pos += k;
    }
    *out = n;
    return CT_OK;
}

/* This rank's share of a JSON Lines file. Collective. */
/* The note on records without ids that one process gives for the whole file: each rank's
 * tally goes to rank 0, which adds them up in rank (line) order. Collective; no note when a
 * rank failed (one process gives none for a file it could not read). */
static void note_derived_shares(const ct_corpus *c, const char *path, const ct_derived_ids *t,
                                int failed)
{
    enum { W = 4 + CT_DERIVED_SHOWN };
    long mine[W] = {failed, (long)t->derived, (long)t->with_id, 0};
    for (size_t i = 0; i < t->derived && i < CT_DERIVED_SHOWN; i++)
        mine[4 + mine[3]++] = t->lines[i];
    int rank = ct_dist_rank(), P = ct_dist_size();
    long *all = rank == 0 ? ct_malloc((size_t)P * W * sizeof *all) : NULL;
    if (rank == 0 && !all)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Gather(mine, W, MPI_LONG, all, W, MPI_LONG, 0, MPI_COMM_WORLD);
    if (rank != 0)
        return;
    ct_derived_ids sum = {0};
    long any_failed = 0;
    for (int r = 0; r < P; r++) {
        const long *a = all + (size_t)r * W;
        any_failed |= a[0];
        for (long i = 0; i < a[3] && sum.derived + (size_t)i < CT_DERIVED_SHOWN; i++)
            sum.lines[sum.derived + (size_t)i] = a[4 + i];
        sum.derived += (size_t)a[1];
        sum.with_id += (size_t)a[2];
    }
    ct_free(all);
    if (!any_failed)
        ct_corpus_note_derived_ids(c, path, &sum);
}

static int add_jsonl_share(ct_corpus *c, const char *path, const struct stat *st, ct_error *err)
{
    int rank = ct_dist_rank(), P = ct_dist_size();
    long long size = (long long)st->st_size, start = 0;
    int rc = CT_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        rc = CT_EIO;
    }
    if (rc == CT_OK && rank > 0 && (rc = line_start_after(fd, size * rank / P, size, &start)))
        ct_error_set(err, path, 0, -1, "read error: %s", strerror(errno));
    long long *starts = ct_malloc((size_t)P * sizeof *starts);
    if (!starts)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(&start, 1, MPI_LONG_LONG, starts, 1, MPI_LONG_LONG, MPI_COMM_WORLD);
    long long hi = rank + 1 < P ? starts[rank + 1] : size;
    ct_free(starts);
    long lines = 0, first = 0;
    if (rc == CT_OK && (rc = count_newlines(fd, start, hi, &lines)) != CT_OK)
        ct_error_set(err, path, 0, start, "read error: %s", strerror(errno));
    MPI_Exscan(&lines, &first, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        first = 0;
    if (fd >= 0)
        close(fd);
    ct_derived_ids tally = {0};
    if (rc == CT_OK)
        rc = ct_corpus_add_jsonl_range(c, path, start, rank + 1 < P ? hi : -1, first, &tally, err);
    note_derived_shares(c, path, &tally, rc != CT_OK);
    return rc;
}

/* Read [lo, hi) of fd into a new buffer (NUL-terminated). */
static int read_range(int fd, long long lo, long long hi, char **out)
{
    char *b = ct_malloc((size_t)(hi - lo) + 1);
    if (!b)
        return CT_ENOMEM;
    for (long long pos = lo; pos < hi;) {
        ssize_t k = pread(fd, b + (pos - lo), (size_t)(hi - pos), (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            ct_free(b);
            return CT_EIO;
        }
        pos += k;
    }
    b[hi - lo] = '\0';
    *out = b;
    return CT_OK;
}

/* The first record start at or after byte at, given the automaton's state there. */
static int table_start_after(int fd, long long at, long long size, char sep, unsigned char state,
                             long long *out)
{
    char buf[65536];
    for (long long pos = at; pos < size;) {
        ssize_t k = pread(fd, buf, sizeof buf, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return CT_EIO;
        size_t i = ct_table_record_start(buf, (size_t)k, sep, &state);
        if (i < (size_t)k) {
            *out = pos + (long long)i;
            return CT_OK;
        }
        if (state == CT_TABLE_BAD)
            break;
        pos += k;
    }
    *out = size;
    return CT_OK;
}

enum { TABLE_SPLIT = 0, TABLE_WHOLE = 1 };

/* This rank's share of a CSV/TSV table. Each rank runs the parser's automaton over its
 * 1/N of the bytes; the composed maps give the state at each range's start, from which a
 * rank moves its start to the first record start. Each rank then reads its records' bytes,
 * counts their line ends (an exclusive scan numbers the lines) and checks their encoding:
 * all of it valid UTF-8 (or else GB18030) is what one process decides for the whole file.
 * A table one process would refuse for its bytes (a NUL, invalid in both), one read as Big5
 * (--encoding big5, or auto and Big5-looking bytes in a share) is read by rank 0 alone, for
 * one process's messages and choice: TABLE_WHOLE on every rank. Rank 0 parses
 * the header and sends its bytes, so every rank knows the same columns. Collective. */
static int add_table_share(ct_corpus *c, const char *path, const struct stat *st, char sep,
                           int *whole, ct_error *err)
{
    int rank = ct_dist_rank(), P = ct_dist_size();
    long long size = (long long)st->st_size, body = 0;
    int rc = CT_OK;
    char *buf = NULL;
    *whole = TABLE_SPLIT;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        rc = CT_EIO;
    }
    unsigned char bom[3];
    if (rc == CT_OK && pread(fd, bom, 3, 0) == 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0)
        body = 3;
    long long lo = body + (size - body) * rank / P, hi = body + (size - body) * (rank + 1) / P;
    unsigned char map[CT_TABLE_STATES];
    for (int s = 0; s < CT_TABLE_STATES; s++)
        map[s] = (unsigned char)s;
    char chunk[65536];
    for (long long pos = lo; rc == CT_OK && pos < hi;) {
        size_t want = hi - pos < (long long)sizeof chunk ? (size_t)(hi - pos) : sizeof chunk;
        ssize_t k = pread(fd, chunk, want, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            ct_error_set(err, path, 0, pos, "read error: %s", k < 0 ? strerror(errno) : "EOF");
            rc = CT_EIO;
            break;
        }
        ct_table_scan(chunk, (size_t)k, sep, map);
        pos += k;
    }
    unsigned char *maps = ct_malloc((size_t)P * CT_TABLE_STATES);
    long long *starts = ct_malloc((size_t)P * sizeof *starts);
    if (!maps || !starts)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(map, CT_TABLE_STATES, MPI_BYTE, maps, CT_TABLE_STATES, MPI_BYTE, MPI_COMM_WORLD);
    unsigned char state = CT_TABLE_FIRST;
    for (int q = 0; q < rank; q++)
        state = maps[q * CT_TABLE_STATES + state];
    ct_free(maps);
    long long start = 0;
    if (rc == CT_OK && rank > 0 &&
        (rc = table_start_after(fd, lo, size, sep, state, &start)) != CT_OK)
        ct_error_set(err, path, 0, lo, "read error: %s", strerror(errno));
    MPI_Allgather(&start, 1, MPI_LONG_LONG, starts, 1, MPI_LONG_LONG, MPI_COMM_WORLD);
    long long end = rank + 1 < P ? starts[rank + 1] : size;
    ct_free(starts);
    /* this rank's bytes: line ends, NUL, UTF-8 */
    long lines = 0, first = 0;
    int flags[2] = {0, 0}; /* a NUL (or a read error), not UTF-8 */
    if (rc == CT_OK && end > start && (rc = read_range(fd, start, end, &buf)) != CT_OK)
        ct_error_set(err, path, 0, start, "read error: %s", strerror(errno));
    size_t n = rc == CT_OK && buf ? (size_t)(end - start) : 0;
    if (rc != CT_OK)
        flags[0] = 1;
    for (size_t i = 0; i < n; i++)
        lines += buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= n || buf[i + 1] != '\n'));
    if (n && memchr(buf, '\0', n))
        flags[0] = 1;
    size_t skip = rank == 0 ? (size_t)body : 0;
    if (n > skip && ct_utf8_invalid_offset(buf + skip, n - skip) != n - skip)
        flags[1] = 1;
    int any[2];
    MPI_Exscan(&lines, &first, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        first = 0;
    MPI_Allreduce(flags, any, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    ct_encoding opt = c->opts.encoding;
    int gb = opt == CT_ENCODING_GB18030 || any[1];
    if (any[0] || opt == CT_ENCODING_BIG5 || (gb && opt == CT_ENCODING_UTF8)) {
        *whole = TABLE_WHOLE;
    } else if (gb) {
        /* valid GB18030 in every share is valid GB18030 as a whole; with auto, a share whose
         * bytes look like Big5 makes one process's choice a matter of the whole file's
         * bytes (its share of Big5-looking pairs): rank 0 reads it whole */
        int bad[2] = {0, 0}, any_bad[2];
        char *tmp = NULL;
        size_t tl;
        ct_error e;
        int fell = 0;
        if (n && ct_decode_text(buf, n, opt == CT_ENCODING_AUTO ? opt : CT_ENCODING_GB18030, path,
                                &tmp, &tl, &fell, &e) != CT_OK)
            bad[0] = 1;
        bad[1] = fell == CT_ENCODING_BIG5;
        ct_free(tmp);
        MPI_Allreduce(bad, any_bad, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        if (any_bad[0] || any_bad[1])
            *whole = TABLE_WHOLE;
    }
    if (fd >= 0)
        close(fd);
    if (*whole == TABLE_WHOLE) {
        ct_free(buf);
        return CT_OK;
    }
    if (gb && opt != CT_ENCODING_GB18030 && rank == 0 && c->opts.note) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s: not valid UTF-8, read as GB18030", path);
        c->opts.note(c->opts.note_ctx, msg);
    }
    /* the header: rank 0 parses it and sends its bytes (size -1: it failed) */
    ct_table_head *h = NULL;
    size_t hend = 0;
    long hline = 0;
    long long hsize = 0;
    if (rank == 0) {
        rc = ct_table_head_parse(&h, c, path, sep, gb ? CT_ENCODING_GB18030 : CT_ENCODING_UTF8,
                                 buf ? buf : "", n, &hend, &hline, err);
        hsize = rc == CT_OK ? (long long)hend : -1;
    }
    MPI_Bcast(&hsize, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (hsize < 0) {
        ct_free(buf);
        return rank == 0 ? rc : CT_OK; /* rank 0's error comes first */
    }
    char *head = rank == 0 ? buf : ct_malloc((size_t)hsize + 1);
    if (!head)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Bcast(head, (int)hsize, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (rank > 0) {
        rc = ct_table_head_parse(&h, c, path, sep, gb ? CT_ENCODING_GB18030 : CT_ENCODING_UTF8,
                                 head, (size_t)hsize, &hend, &hline, err);
        ct_free(head);
        hend = 0;
    }
    if (rc == CT_OK)
        rc = ct_corpus_add_table_rows(c, h, buf ? buf + hend : "", n - hend,
                                      start + (long long)hend, rank == 0 ? hline : first, err);
    ct_table_head_free(h);
    ct_free(buf);
    return rc;
}

/* The strings of one record: append s with its NUL. */
static int put(char **buf, size_t *len, size_t *cap, const void *s, size_t n)
{
    if (*len + n > *cap) {
        size_t nc = (*cap ? *cap * 2 : 4096);
        while (nc < *len + n)
            nc *= 2;
        char *b = ct_realloc(*buf, nc);
        if (!b)
            return CT_ENOMEM;
        *buf = b;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    return CT_OK;
}

typedef struct id_rec {
    long key; /* POS(rank, doc) */
    long line;
    const char *id, *source, *errsrc;
} id_rec;

static int by_id_then_key(const void *a, const void *b)
{
    const id_rec *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Duplicate ids across the ranks: *key and err receive the first repeat this rank finds
 * among the ids hashed to it (key LONG_MAX: none). Collective. */
static int check_ids(const ct_corpus *c, long *key, ct_error *err)
{
    int P = ct_dist_size(), rank = ct_dist_rank();
    *key = LONG_MAX;
    char **out = ct_calloc((size_t)P, sizeof *out);
    size_t *len = ct_calloc((size_t)P, sizeof *len), *cap = ct_calloc((size_t)P, sizeof *cap);
    int *scount = ct_calloc((size_t)P, sizeof *scount),
        *rcount = ct_calloc((size_t)P, sizeof *rcount);
    int *sdisp = ct_calloc((size_t)P, sizeof *sdisp), *rdisp = ct_calloc((size_t)P, sizeof *rdisp);
    if (!out || !len || !cap || !scount || !rcount || !sdisp || !rdisp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    int rc = CT_OK;
    for (size_t i = 0; rc == CT_OK && i < c->n_docs; i++) {
        const ct_doc *d = &c->docs[i];
        int to = (int)(ct_hash_bytes(d->id, strlen(d->id)) % (uint64_t)P);
        long k = POS(rank, i), line = d->line;
        const char *errsrc =
            d->kind == CT_DOC_JSONL_LINE || d->kind == CT_DOC_TABLE_CELL ? d->path : d->source;
        if ((rc = put(&out[to], &len[to], &cap[to], &k, sizeof k)) ||
            (rc = put(&out[to], &len[to], &cap[to], &line, sizeof line)) ||
            (rc = put(&out[to], &len[to], &cap[to], d->id, strlen(d->id) + 1)) ||
            (rc = put(&out[to], &len[to], &cap[to], d->source, strlen(d->source) + 1)) ||
            (rc = put(&out[to], &len[to], &cap[to], errsrc, strlen(errsrc) + 1)))
            break;
    }
    if (rc != CT_OK)
        MPI_Abort(MPI_COMM_WORLD, 1); /* out of memory while a collective is under way */
    size_t total = 0;
    for (int r = 0; r < P; r++) {
        scount[r] = (int)len[r];
        sdisp[r] = (int)total;
        total += len[r];
    }
    char *send = ct_malloc(total ? total : 1);
    if (!send)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (int r = 0; r < P; r++) {
        if (len[r])
            memcpy(send + sdisp[r], out[r], len[r]);
        ct_free(out[r]);
    }
    MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, MPI_COMM_WORLD);
    size_t rtotal = 0;
    for (int r = 0; r < P; r++) {
        rdisp[r] = (int)rtotal;
        rtotal += (size_t)rcount[r];
    }
    char *recv = ct_malloc(rtotal ? rtotal : 1);
    if (!recv)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Alltoallv(send, scount, sdisp, MPI_BYTE, recv, rcount, rdisp, MPI_BYTE, MPI_COMM_WORLD);
    ct_free(send);
    size_t n = 0, rcap = 0;
    id_rec *recs = NULL;
    for (size_t pos = 0; pos < rtotal;) {
        if (n == rcap) {
            rcap = rcap ? 2 * rcap : 1024;
            id_rec *v = ct_reallocarray(recs, rcap, sizeof *v);
            if (!v)
                MPI_Abort(MPI_COMM_WORLD, 1);
            recs = v;
        }
        id_rec *r = &recs[n++];
        memcpy(&r->key, recv + pos, sizeof r->key);
        memcpy(&r->line, recv + pos + sizeof r->key, sizeof r->line);
        pos += sizeof r->key + sizeof r->line;
        r->id = recv + pos;
        pos += strlen(r->id) + 1;
        r->source = recv + pos;
        pos += strlen(r->source) + 1;
        r->errsrc = recv + pos;
        pos += strlen(r->errsrc) + 1;
    }
    ct_sort(recs, n, sizeof *recs, by_id_then_key);
    size_t best = SIZE_MAX, orig = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(recs[i].id, recs[i - 1].id) != 0)
            continue;
        size_t o = i - 1;
        while (o > 0 && strcmp(recs[o - 1].id, recs[i].id) == 0)
            o--;
        if (best == SIZE_MAX || recs[i].key < recs[best].key) {
            best = i;
            orig = o;
        }
    }
    if (best != SIZE_MAX) {
        *key = recs[best].key;
        ct_error_set(err, recs[best].errsrc, recs[best].line, -1,
                     "duplicate document id \"%s\": already used by %s", recs[best].id,
                     recs[orig].source);
    }
    ct_free(recs);
    ct_free(recv);
    ct_free(out);
    ct_free(len);
    ct_free(cap);
    ct_free(scount);
    ct_free(rcount);
    ct_free(sdisp);
    ct_free(rdisp);
    return CT_OK;
}

/* The chrome model of the whole corpus, installed in c. Collective. */
static int share_chrome(ct_corpus *c, size_t total, ct_error *err)
{
    int P = ct_dist_size();
    ct_chrome *mine = NULL, *all = NULL;
    char *buf = NULL, *every = NULL;
    size_t len = 0;
    int rc = ct_chrome_new(&mine, NULL);
    if (rc == CT_OK)
        rc = ct_corpus_chrome_observe(c, mine, err);
    if (rc == CT_OK)
        rc = ct_chrome_export(mine, &buf, &len);
    ct_chrome_free(mine);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK) {
        ct_free(buf);
        return rc;
    }
    int n = (int)len, *counts = ct_malloc((size_t)P * sizeof *counts),
        *disp = ct_malloc((size_t)P * sizeof *disp);
    if (!counts || !disp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgather(&n, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    size_t sum = 0;
    for (int r = 0; r < P; r++) {
        disp[r] = (int)sum;
        sum += (size_t)counts[r];
    }
    every = ct_malloc(sum ? sum : 1);
    if (!every)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Allgatherv(buf, n, MPI_BYTE, every, counts, disp, MPI_BYTE, MPI_COMM_WORLD);
    ct_free(buf);
    rc = ct_chrome_new(&all, NULL);
    for (int r = 0; rc == CT_OK && r < P; r++)
        rc = ct_chrome_import(all, every + disp[r], (size_t)counts[r]);
    ct_free(every);
    ct_free(counts);
    ct_free(disp);
    if (rc == CT_OK) {
        ct_chrome_finish(all, total);
        ct_corpus_chrome_install(c, all);
    } else {
        ct_chrome_free(all);
    }
    return ct_dist_agree(rc, err);
}

int ct_dist_load_corpus(ct_corpus **out, const char *path, const ct_read_options *opts,
                        size_t *first, size_t *total, int *split, ct_error *err)
{
    int rank = ct_dist_rank(), P = ct_dist_size();
    *out = NULL;
    *split = 1;
    ct_error_clear(err);
    ct_corpus *c = NULL;
    int rc = ct_corpus_new(&c, opts);
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        return rc;
    struct stat st;
    int is_jsonl = 0, is_table = 0;
    if (strcmp(path, "-") != 0 && stat(path, &st) != 0) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        rc = CT_EIO;
    } else if (strcmp(path, "-") != 0 && S_ISDIR(st.st_mode)) {
        rc = ct_corpus_add_dir_part(c, path, (size_t)rank, (size_t)P, err);
    } else if (strcmp(path, "-") != 0 && S_ISREG(st.st_mode) &&
               ct_kind_by_name(path) == CT_KIND_JSONL) {
        is_jsonl = 1;
        rc = ct_kind_check(path, CT_KIND_JSONL, err);
        if (rc == CT_OK)
            rc = add_jsonl_share(c, path, &st, err);
    } else if (strcmp(path, "-") != 0 && S_ISREG(st.st_mode) &&
               (ct_kind_by_name(path) == CT_KIND_CSV || ct_kind_by_name(path) == CT_KIND_TSV)) {
        int kind = ct_kind_by_name(path), whole = 0;
        is_table = 1;
        rc = ct_kind_check(path, kind, err);
        if (rc == CT_OK)
            rc = add_table_share(c, path, &st, kind == CT_KIND_CSV ? ',' : '\t', &whole, err);
        if (rc == CT_OK && whole) {
            *split = is_table = 0;
            if (rank == 0)
                rc = ct_corpus_add(c, path, err);
        }
    } else {
        *split = 0;
        if (rank == 0)
            rc = ct_corpus_add(c, path, err);
    }
    /* the first failure by corpus position, a repeated id included */
    long key = rc != CT_OK ? POS(rank, c->n_docs) : LONG_MAX, dup_key;
    ct_error dup_err;
    ct_error_clear(&dup_err);
    check_ids(c, &dup_key, &dup_err);
    if (dup_key < key && (rc == CT_OK || rc == CT_EDUPLICATE)) {
        key = dup_key;
        rc = CT_EDUPLICATE;
        *err = dup_err;
    }
    if (key == LONG_MAX)
        rc = CT_OK;
    if ((rc = ct_dist_agree_at(rc, key == LONG_MAX ? 0 : key, err)) != CT_OK) {
        ct_corpus_free(c);
        return rc;
    }
    unsigned long long mine = c->n_docs, before = 0, all = 0;
    MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        before = 0;
    if ((is_jsonl || is_table) && all == 0) {
        ct_error_set(err, path, 0, -1,
                     is_jsonl ? "no JSON records in this file"
                              : "the table has a header row but no records");
        ct_corpus_free(c);
        return CT_EEMPTY;
    }
    if ((opts->flags & CT_READ_STRIP_CHROME) && *split &&
        (rc = share_chrome(c, (size_t)all, err)) != CT_OK) {
        ct_corpus_free(c);
        return rc;
    }
    *first = (size_t)before;
    *total = (size_t)all;
    *out = c;
    return CT_OK;
}

/* Every rank's len bytes of buf, one after another in rank order, on rank 0 (NULL on the
 * others), *total their length there; a failed allocation aborts, as in the callers. */
static char *gather_to_root(const char *buf, size_t len, size_t *total)
{
    int rank = ct_dist_rank(), P = ct_dist_size();
    int n = (int)len, *counts = ct_malloc((size_t)P * sizeof *counts),
        *disp = ct_malloc((size_t)P * sizeof *disp);
    if (!counts || !disp)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    *total = 0;
    if (rank == 0)
        for (int r = 0; r < P; r++) {
            disp[r] = (int)*total;
            *total += (size_t)counts[r];
        }
    char *every = rank == 0 ? ct_malloc(*total ? *total : 1) : NULL;
    if (rank == 0 && !every)
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Gatherv(buf, n, MPI_BYTE, every, counts, disp, MPI_BYTE, 0, MPI_COMM_WORLD);
    ct_free(counts);
    ct_free(disp);
    return every;
}

/* One document's record for rank 0: its id (with its NUL), then two counts. */
static void put_doc_counts(char **buf, size_t *len, size_t *cap, const char *id,
                           unsigned long long a, unsigned long long b)
{
    unsigned long long v[2] = {a, b};
    if (put(buf, len, cap, id, strlen(id) + 1) || put(buf, len, cap, v, sizeof v))
        MPI_Abort(MPI_COMM_WORLD, 1);
}

/* On rank 0: the first max of the gathered records (every, total bytes, in rank order) into
 * ids (ct_strdup), a and b; returns how many. */
static size_t take_doc_counts(const char *every, size_t total, size_t max, char **ids, size_t *a,
                              size_t *b)
{
    size_t shown = 0;
    for (size_t pos = 0; pos < total && shown < max;) {
        const char *id = every + pos;
        unsigned long long v[2];
        pos += strlen(id) + 1;
        memcpy(v, every + pos, sizeof v);
        pos += sizeof v;
        ids[shown] = ct_strdup(id);
        a[shown] = (size_t)v[0];
        b[shown] = (size_t)v[1];
        shown++;
    }
    return shown;
}

void ct_dist_chrome_summary(const ct_corpus *c, size_t max, ct_dist_chrome *out)
{
    memset(out, 0, sizeof *out);
    if (max > 8)
        max = 8;
    int rank = ct_dist_rank();
    unsigned long long mine[4] = {0, c->n_docs, 0, 0}, all[4];
    /* this rank's first max documents with chrome: id NUL, lines, chars */
    char *buf = NULL;
    size_t len = 0, cap = 0, shown = 0;
    for (size_t d = 0; d < c->n_docs; d++) {
        size_t l, ch;
        ct_error err;
        if (ct_corpus_chrome_removed(c, d, &l, &ch, &err) != CT_OK || !l)
            continue;
        mine[0]++;
        mine[2] += l;
        mine[3] += ch;
        if (shown < max) {
            put_doc_counts(&buf, &len, &cap, c->docs[d].id, l, ch);
            shown++;
        }
    }
    MPI_Reduce(mine, all, 4, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    size_t total = 0;
    char *every = gather_to_root(buf, len, &total);
    if (rank == 0) {
        out->docs = (size_t)all[0];
        out->n = (size_t)all[1];
        out->lines = all[2];
        out->chars = all[3];
        out->shown = take_doc_counts(every, total, max, out->ids, out->nl, out->nc);
    }
    ct_free(every);
    ct_free(buf);
}

void ct_dist_script_summary(const ct_corpus *c, size_t max, ct_dist_script *out)
{
    memset(out, 0, sizeof *out);
    if (max > 10)
        max = 10;
    int rank = ct_dist_rank();
    unsigned long long mine = 0, all = 0;
    /* this rank's first max such documents: id NUL, traditional, simplified */
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (size_t d = 0; d < c->n_docs; d++) {
        ct_script_counts sc;
        if (!ct_corpus_script(c, d, &sc) || sc.traditional == 0)
            continue;
        if (mine++ < max)
            put_doc_counts(&buf, &len, &cap, c->docs[d].id, sc.traditional, sc.simplified);
    }
    MPI_Reduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    size_t total = 0;
    char *every = gather_to_root(buf, len, &total);
    if (rank == 0) {
        out->docs = (size_t)all;
        out->shown = take_doc_counts(every, total, max, out->ids, out->trad, out->simp);
    }
    ct_free(every);
    ct_free(buf);
}

size_t ct_dist_field_names(const ct_corpus *c, char ***names)
{
    *names = NULL;
    size_t nf = ct_corpus_field_count(c), len = 0;
    for (size_t f = 0; f < nf; f++)
        len += strlen(ct_corpus_field_name(c, f)) + 1;
    char *buf = ct_malloc(len ? len : 1), *at = buf;
    if (!buf)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t f = 0; f < nf; f++) {
        size_t k = strlen(ct_corpus_field_name(c, f)) + 1;
        memcpy(at, ct_corpus_field_name(c, f), k);
        at += k;
    }
    size_t total = 0, n = 0;
    char *every = gather_to_root(buf, len, &total);
    ct_free(buf);
    if (ct_dist_rank() != 0)
        return 0;
    /* the union in rank order, each name where it first appears: one process's order */
    char **out = ct_malloc((total ? total : 1) * sizeof *out);
    if (!out)
        MPI_Abort(MPI_COMM_WORLD, 1);
    for (size_t pos = 0; pos < total; pos += strlen(every + pos) + 1) {
        int seen = 0;
        for (size_t i = 0; i < n && !seen; i++)
            seen = strcmp(out[i], every + pos) == 0;
        if (!seen && !(out[n++] = ct_strdup(every + pos)))
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    ct_free(every);
    *names = out;
    return n;
}
