/* dist_terms.c — term discovery across ranks (dist.h: ct_dist_terms_discover), giving every
 * rank the terms and statistics one process finds, and the rows of its own documents.
 *
 * Each rank reads its share into the character array of term discovery and sorts its
 * suffixes (analysis/suffix_array.c), exactly as one process does with the whole corpus:
 * every run lies inside one document, so the occurrences of a string are the sum of the
 * ranks' occurrences, and a document boundary is a separator on every rank as in one array.
 * Character ids are renumbered to one process's (first appearance in corpus order), which
 * fixes the byte order of every sorted list; the ordinal 第 is known to a rank's reader when
 * an earlier rank's text has it, as one reader knows it from earlier documents.
 *
 * The statistics are a term_source (terms_impl.h) over the strings occurring at least
 * min_count times in the whole corpus, built length by length. In round n each rank walks
 * the suffix-array ranges of its frequent strings v of n - 1 characters, once (walk_round),
 * and sends to the rank a hash of v names (v's owner): each string vy of n characters in v's
 * range with its local count (and its counts next to numerals and quote marks when vy's
 * suffix of n - 1 characters is frequent too: no other string can be, a part occurs at least
 * as often) — which gives both vy's count and v's right extensions — and, for the left
 * branching entropy, v's left extensions by one character. The owner sums the counts, keeps
 * the frequent strings of n, and sums f ln f over each v's extensions in character-id order
 * — the order of one process's sum, so the doubles are equal — at v's index (the sums of the
 * ranks' strings are then added up: each v has one owner, the others add zeros). The
 * frequent strings are gathered on every rank, which then runs the very rules one process
 * runs, each rank on its range of each length's strings and of the candidates (ds_judged),
 * the verdicts then gathered or merged (term_discovery.c keeps their order). With one rank, one
 * process's discovery runs. Counts of occurrences next to numerals or quote marks and of cut-word
 * pairs are integers summed by reductions, as are the segmentation's frequencies (segment.c).
 * Memory per rank: its share's arrays, the records of one round, and the frequent strings (the
 * candidates' vocabulary). */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "comptext/alloc.h"
#include "dist.h"
#include "numerals.h"
#include "terms_impl.h"

/* MPI counts are ints: reductions of long arrays go in pieces. */
#define SLICE ((size_t)1 << 26)
#define KW 4 /* 64-bit words of a key: 16 characters of 16 bits */

typedef struct key {
    uint64_t k[KW];
} key;

/* The n ids packed 16 bits each, first character highest: keys compare as the strings do. */
static void pack(key *out, const uint32_t *ids, int n)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++)
        out->k[i / 4] |= (uint64_t)ids[i] << (48 - 16 * (i % 4));
}

/* The words of a key of n characters that can be non-zero: only they are compared and hashed
 * (the owner of a string and its slot depend on them alone, whatever the round). */
#define NW(n) (((n) + 3) / 4)

static int key_cmp(const uint64_t *a, const uint64_t *b, int nw)
{
    for (int i = 0; i < nw; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* The words combined, then mixed so that every bit of the result depends on every bit of
 * the key (the low bits pick the owner and the slot; a short key's low bits are zero). */
static uint64_t key_hash(const uint64_t *k, int nw)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < nw; i++)
        h = (h ^ k[i]) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 33; /* MurmurHash3's finaliser */
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

/* The rank owning the string k of n characters. */
static int owner_of(const key *k, int n, int P)
{
    return (int)(key_hash(k->k, NW(n)) % (uint64_t)P);
}

enum { REC_RIGHT, REC_LEFT, N_KINDS };

/* An extension by character ext of the string k, on the right (uy: the string of one more
 * character, with its counts next to numerals and quote marks) or on the left: kind_ext is
 * kind << 16 | ext (ids have 16 bits). */
typedef struct rec {
    key k;
    uint32_t kind_ext, count, numeral, glued, before;
} rec;

#define KIND(r) ((r)->kind_ext >> 16)
#define EXT(r) ((r)->kind_ext & 0xFFFF)

/* The frequent strings of one length, in key order. */
typedef struct dlevel {
    size_t n;
    uint64_t *words; /* n × nw: each string's key, its words that can be non-zero */
    uint32_t *ids;   /* n × length */
    uint32_t *count, *numeral, *glued, *before;
    double *left, *right;
    uint32_t *slot; /* open addressing on key_hash: 0 empty, else a tag (the hash's top bits)
                       above idx_bits bits of index + 1; mask + 1 slots */
    size_t mask;
    int idx_bits;
    int nw; /* NW of the length */
} dlevel;

/* Where a round's records go: a growable buffer by destination and kind (buf[N_KINDS to + kind]),
 * each filled in the order of the walk, so that one walk a round suffices and each rank's
 * records reach their owner grouped by kind. The buffers live across the rounds. */
typedef struct sink {
    int P;
    rec **buf;
    size_t *n, *cap;
} sink;

typedef struct dsource {
    terms_work *w;
    const ct_terms_options *o;
    dlevel lv[CT_TERMS_LEN_LIMIT + 2];
    unsigned char *frequent; /* by position: the longest length n built so far whose string
                                there is frequent (0: none); its prefixes are frequent too, so
                                the string of n characters there is frequent iff the mark is
                                n, with no clearing between the rounds */
    uint32_t *range;         /* the suffix-array ranges [range[3 i], range[3 i + 1]) of this
                                rank's frequent strings of the last length, in order, and the
                                string of each (range[3 i + 2], in lv) */
    size_t n_range;
    uint16_t *left;     /* by suffix-array index: the character before the suffix (0: none) */
    unsigned char *lim; /* by suffix-array index: its characters before a separator (w->lim) */
    sink out;           /* the records of a round */
} dsource;

static void out_of_memory(void)
{
    fprintf(stderr, "comptext terms: out of memory while discovering terms across ranks\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
}

static void *need(void *p)
{
    if (!p)
        out_of_memory();
    return p;
}

/* The words of string g's key in lv. */
static inline const uint64_t *key_words(const dlevel *lv, size_t g)
{
    return lv->words + g * (size_t)lv->nw;
}

/* String g's key in lv. */
static key key_of(const dlevel *lv, size_t g)
{
    key k = {{0}};
    memcpy(k.k, key_words(lv, g), (size_t)lv->nw * sizeof *k.k);
    return k;
}

/* The tag of a key of hash h in lv's slots: the hash's top bits above the index bits (none
 * with 2^31 strings or more). A probe reads the key (a random read) only when the tags
 * match, nearly always the key sought. */
static uint32_t slot_tag(const dlevel *lv, uint64_t h)
{
    return lv->idx_bits >= 32 ? 0 : (uint32_t)(h >> 32) & ~(((uint32_t)1 << lv->idx_bits) - 1);
}

/* The index of k among lv's strings, or NONE: the rules ask for parts many times on every
 * rank, so a hash table rather than a binary search. */
static uint32_t find_key(const dlevel *lv, const key *k)
{
    if (!lv->slot)
        return NONE;
    uint64_t h = key_hash(k->k, lv->nw);
    uint32_t idx = lv->idx_bits >= 32 ? UINT32_MAX : ((uint32_t)1 << lv->idx_bits) - 1;
    uint32_t tag = slot_tag(lv, h);
    for (size_t at = (size_t)h & lv->mask;; at = (at + 1) & lv->mask) {
        uint32_t v = lv->slot[at];
        if (!v)
            return NONE;
        if ((v & ~idx) == tag && key_cmp(key_words(lv, (v & idx) - 1), k->k, lv->nw) == 0)
            return (v & idx) - 1;
    }
}

static void index_keys(dlevel *lv)
{
    size_t cap = 16;
    while (cap < lv->n + lv->n / 3 + 1)
        cap *= 2;
    lv->idx_bits = 1;
    while (lv->idx_bits < 32 && (lv->n + 1) >> lv->idx_bits)
        lv->idx_bits++;
    lv->slot = need(ct_calloc(cap, sizeof *lv->slot));
    lv->mask = cap - 1;
    for (size_t g = 0; g < lv->n; g++) {
        uint64_t h = key_hash(key_words(lv, g), lv->nw);
        size_t at = (size_t)h & lv->mask;
        while (lv->slot[at])
            at = (at + 1) & lv->mask;
        lv->slot[at] = slot_tag(lv, h) | ((uint32_t)g + 1);
    }
}

/* The key of the m characters at offset a of the string whose key is k (nw words): k's bits from
 * character a on, moved up, the rest cleared (no characters unpacked and packed again: the
 * rules ask for many parts). */
static key sub_key(const uint64_t *k, int nw, int a, int m)
{
    key out = {{0}};
    int ws = a / 4, bs = 16 * (a % 4);
    for (int i = 0; i < NW(m); i++) {
        uint64_t x = k[i + ws] << bs;
        if (bs && i + ws + 1 < nw)
            x |= k[i + ws + 1] >> (64 - bs);
        out.k[i] = x;
    }
    if (m % 4)
        out.k[NW(m) - 1] &= ~(uint64_t)0 << (64 - 16 * (m % 4));
    return out;
}

static uint32_t find_ids(const dlevel *lv, const uint32_t *ids, int n)
{
    key k;
    pack(&k, ids, n);
    return find_key(lv, &k);
}

/* ---- the records of a round, and their exchange ------------------------------------------ */

static void emit_to(sink *k, int to, const rec *r)
{
    size_t b = N_KINDS * (size_t)to + KIND(r);
    if (k->n[b] == k->cap[b]) {
        k->cap[b] = k->cap[b] ? 2 * k->cap[b] : 1024;
        k->buf[b] = need(ct_realloc(k->buf[b], k->cap[b] * sizeof *k->buf[b]));
    }
    k->buf[b][k->n[b]++] = *r;
}

/* Send each other rank its records (the sink's, emptied but for this rank's own, which stay
 * there), receive theirs: returns them (ct_malloc), *n_got of them, from[r] from rank r (none
 * from this rank), each rank's grouped by kind. */
static rec *exchange(sink *out, size_t *n_got, size_t *from)
{
    int P = ct_dist_size(), me = ct_dist_rank();
    size_t size = sizeof(rec), *count = need(ct_calloc((size_t)P, sizeof *count)), n_send = 0;
    for (int r = 0; r < P; r++)
        for (int kd = 0; kd < N_KINDS && r != me; kd++)
            count[r] += out->n[N_KINDS * r + kd];
    for (int r = 0; r < P; r++)
        n_send += count[r];
    rec *send = need(ct_malloc((n_send + 1) * sizeof *send));
    n_send = 0;
    for (size_t b = 0; b < N_KINDS * (size_t)P; b++) {
        if (b / N_KINDS == (size_t)me)
            continue;
        if (out->n[b])
            memcpy(send + n_send, out->buf[b], out->n[b] * sizeof *send);
        n_send += out->n[b];
        out->n[b] = 0;
    }
    int *sc = need(ct_malloc((size_t)P * sizeof *sc)),
        *rc = need(ct_malloc((size_t)P * sizeof *rc));
    int *sd = need(ct_malloc((size_t)P * sizeof *sd)),
        *rd = need(ct_malloc((size_t)P * sizeof *rd));
    size_t total_out = 0, total_in = 0;
    ct_dist_quiet_barrier(); /* the ranks' walks take unequal times: wait without spinning */
    for (int r = 0; r < P; r++) {
        if (total_out + count[r] * size > INT32_MAX) {
            fprintf(stderr, "comptext terms: a round of term discovery sends more than 2 GB "
                            "from a rank; use more ranks\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        sc[r] = (int)(count[r] * size);
        sd[r] = (int)total_out;
        total_out += count[r] * size;
    }
    MPI_Alltoall(sc, 1, MPI_INT, rc, 1, MPI_INT, MPI_COMM_WORLD);
    for (int r = 0; r < P; r++) {
        if (total_in + (size_t)rc[r] > INT32_MAX) {
            fprintf(stderr, "comptext terms: a rank receives more than 2 GB in a round of term "
                            "discovery; use more ranks\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        rd[r] = (int)total_in;
        total_in += (size_t)rc[r];
    }
    rec *got = need(ct_malloc(total_in ? total_in : 1));
    MPI_Alltoallv(send, sc, sd, MPI_BYTE, got, rc, rd, MPI_BYTE, MPI_COMM_WORLD);
    for (int r = 0; r < P; r++)
        from[r] = (size_t)rc[r] / size;
    ct_free(send);
    ct_free(count);
    ct_free(sc);
    ct_free(rc);
    ct_free(sd);
    ct_free(rd);
    *n_got = total_in / size;
    return got;
}

/* a[0, n) (items of size bytes, of type t) reduced by op across the ranks, in place, on every
 * rank. The ranks come to it after unequal work of their own: they wait without spinning. */
static void reduce_all(void *a, size_t n, size_t size, MPI_Datatype t, MPI_Op op)
{
    ct_dist_quiet_barrier();
    for (size_t at = 0; at < n; at += SLICE) {
        size_t k = n - at < SLICE ? n - at : SLICE;
        MPI_Allreduce(MPI_IN_PLACE, (char *)a + at * size, (int)k, t, op, MPI_COMM_WORLD);
    }
}

/* Every rank's items, concatenated in rank order, on every rank; runs (or NULL): how many
 * came from each rank. The ranks come to it after unequal work: they wait without spinning. */
static void *gather_all(const void *mine, size_t n_mine, size_t size, size_t *n_all, size_t *runs)
{
    int P = ct_dist_size();
    ct_dist_quiet_barrier();
    int *counts = need(ct_malloc((size_t)P * sizeof *counts)),
        *disp = need(ct_malloc((size_t)P * sizeof *disp));
    if (n_mine * size > INT32_MAX) {
        fprintf(stderr, "comptext terms: the frequent strings exceed 2 GB; raise --min-freq\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    int me = (int)(n_mine * size);
    MPI_Allgather(&me, 1, MPI_INT, counts, 1, MPI_INT, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; r < P; r++) {
        disp[r] = (int)total;
        total += (size_t)counts[r];
        if (total > INT32_MAX) {
            fprintf(stderr, "comptext terms: the frequent strings exceed 2 GB; raise --min-freq\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    char *all = need(ct_malloc(total ? total : 1));
    MPI_Allgatherv(mine, me, MPI_BYTE, all, counts, disp, MPI_BYTE, MPI_COMM_WORLD);
    for (int r = 0; r < P && runs; r++)
        runs[r] = (size_t)counts[r] / size;
    ct_free(counts);
    ct_free(disp);
    *n_all = total / size;
    return all;
}

static int by_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* Whether record a comes before b: by string, then extension. The keys of one round's
 * records have at most nw words that are not zero, and only those are compared. */
static inline int rec_before(const rec *a, const rec *b, int nw)
{
    if (a->k.k[0] != b->k.k[0]) /* most strings differ in their first four characters */
        return a->k.k[0] < b->k.k[0];
    for (int i = 1; i < nw; i++)
        if (a->k.k[i] != b->k.k[i])
            return a->k.k[i] < b->k.k[i];
    return EXT(a) < EXT(b);
}

/* Merge the P sorted runs [at[r], end[r]) into out: each step takes the smallest head, the
 * first rank's on ties; moves at to end. (P is small: a scan of the heads; the ranks'
 * strings interleave, so runs of one rank are short.) */
static void merge_recs(const rec **at, const rec *const *end, int P, int nw, rec *out)
{
    for (size_t k = 0;; k++) {
        int best = -1;
        const rec *head = NULL;
        for (int r = 0; r < P; r++)
            if (at[r] < end[r] && (!head || rec_before(at[r], head, nw))) {
                best = r;
                head = at[r];
            }
        if (!head)
            return;
        out[k] = *head;
        at[best]++;
    }
}

/* The records of a round sorted by kind, string and extension: each kind's runs of the ranks
 * merged, this rank's read from its sink (then emptied), the others' from got (from[r] from
 * rank r, grouped by kind, each kind in order; freed). Kind kd begins at kind_at[kd]
 * (kind_at[N_KINDS]: their number). */
static rec *sort_received(sink *mine, rec *got, const size_t *from, int P, int nw,
                          size_t kind_at[N_KINDS + 1])
{
    int me = ct_dist_rank();
    const rec **at = need(ct_malloc(N_KINDS * (size_t)P * sizeof *at)); /* kind × rank */
    const rec **end = need(ct_malloc(N_KINDS * (size_t)P * sizeof *end));
    size_t base = 0, total = 0;
    for (int r = 0; r < P; r++) {
        const rec *e = got + base;
        for (uint32_t kd = 0; kd < N_KINDS; kd++) {
            size_t i = kd * (size_t)P + (size_t)r, b = N_KINDS * (size_t)me + kd;
            if (r == me) {
                at[i] = mine->buf[b];
                end[i] = mine->buf[b] + mine->n[b];
                continue;
            }
            at[i] = e;
            while (e < got + base + from[r] && KIND(e) == kd)
                e++;
            end[i] = e;
        }
        base += from[r];
    }
    for (int kd = 0; kd < N_KINDS; kd++) {
        kind_at[kd] = total;
        for (int r = 0; r < P; r++)
            total += (size_t)(end[kd * P + r] - at[kd * P + r]);
    }
    kind_at[N_KINDS] = total;
    rec *out = need(ct_malloc((total + 1) * sizeof *out));
    for (int kd = 0; kd < N_KINDS; kd++)
        merge_recs(at + kd * P, end + kd * P, P, nw, out + kind_at[kd]);
    for (int kd = 0; kd < N_KINDS; kd++)
        mine->n[N_KINDS * me + kd] = 0;
    ct_free(got);
    ct_free(at);
    ct_free(end);
    return out;
}

/* Key k of n - 1 characters extended by character y: the key of the string of n. */
static key extend_key(const key *k, int n, uint32_t y)
{
    key x = *k;
    x.k[(n - 1) / 4] |= (uint64_t)y << (48 - 16 * ((n - 1) % 4));
    return x;
}

/* The records r[0, m) of round n, sorted (strings u of n - 1 characters, by extension; counts
 * summed over the ranks here): into mine (if given), the strings of n characters counted
 * min_count times or more, in key order; into sum (if given), Σ f ln f over each u's
 * extensions (not by a boundary character, if boundary is given) in character order, at u's
 * index in up. Returns how many went into mine. */
static size_t sum_records(const rec *r, size_t m, int n, const dlevel *up,
                          const unsigned char *boundary, uint32_t min_count, rec *mine, double *sum)
{
    size_t n_mine = 0;
    int nw = NW(n - 1);
    for (size_t i = 0; i < m;) {
        const key *u = &r[i].k;
        size_t j = i;
        double acc = 0;
        while (j < m && key_cmp(r[j].k.k, u->k, nw) == 0) {
            uint32_t y = EXT(&r[j]);
            rec x = {{{0}}, REC_RIGHT << 16, 0, 0, 0, 0};
            for (; j < m && EXT(&r[j]) == y && key_cmp(r[j].k.k, u->k, nw) == 0; j++) {
                x.count += r[j].count;
                x.numeral += r[j].numeral;
                x.glued += r[j].glued;
                x.before += r[j].before;
            }
            if (mine && x.count >= min_count) {
                x.k = extend_key(u, n, y);
                mine[n_mine++] = x;
            }
            if (sum && !(boundary && boundary[y]))
                acc += ct_xlogx(x.count);
        }
        uint32_t g = sum ? find_key(up, u) : NONE;
        if (g != NONE)
            sum[g] = acc;
        i = j;
    }
    return n_mine;
}

/* The next distinct string of n characters of this rank's suffix array from index *i on,
 * before index end: its range [*i, *j) (suffixes shorter than n are passed over); 0 at the
 * end. */
static int next_string(const dsource *s, int n, size_t end, size_t *i, size_t *j)
{
    const terms_work *w = s->w;
    size_t a = *i;
    while (a < end && s->lim[a] < n)
        a++;
    if (a >= end)
        return 0;
    size_t b = a + 1;
    while (b < end && w->lcp[b] >= (uint32_t)n)
        b++;
    *i = a;
    *j = b;
    return 1;
}

/* The range of the strings of n - 1 characters whose extensions round n walks, and its key:
 * each frequent string's (the string of no characters, the whole array, for n = 1). */
static void range_of(const dsource *s, int n, size_t r, size_t *i, size_t *j, key *k)
{
    if (n == 1) {
        *i = 0;
        *j = s->w->N;
        memset(k, 0, sizeof *k);
    } else {
        *i = s->range[3 * r];
        *j = s->range[3 * r + 1];
        *k = key_of(&s->lv[n - 1], s->range[3 * r + 2]);
    }
}

static size_t n_ranges(const dsource *s, int n)
{
    return n == 1 ? 1 : s->n_range;
}

/* The walks read, for each string of n characters in a range, its last character and the
 * frequent mark after its first in the text, at random: those of the suffix PREFETCH places
 * on are asked for ahead (strings are mostly one or two suffixes long). */
#define PREFETCH 8
static inline void prefetch_ahead(const dsource *s, int n, size_t i, size_t end)
{
    if (i + PREFETCH < end) {
        uint32_t p = s->w->sa[i + PREFETCH];
        __builtin_prefetch(&s->w->T[p + (size_t)n - 1]);
        __builtin_prefetch(&s->frequent[p + 1]);
    }
}

/* Mark the positions where a frequent string of n characters starts (s->frequent) and keep
 * their ranges (s->range): a frequent string's prefix is frequent, so they lie in the ranges
 * of the frequent strings of n - 1, in the order of lv's keys, and one merge finds them. */
static void mark_frequent(dsource *s, int n)
{
    terms_work *w = s->w;
    const dlevel *lv = &s->lv[n];
    uint32_t *range = need(ct_malloc((3 * lv->n + 1) * sizeof *range));
    size_t n_range = 0, g = 0;
    for (size_t r = 0, n_r = n_ranges(s, n); r < n_r; r++) {
        size_t i0, end;
        key ku;
        range_of(s, n, r, &i0, &end, &ku);
        for (size_t i = i0, j; next_string(s, n, end, &i, &j); i = j) {
            prefetch_ahead(s, n, i, end);
            key k = extend_key(&ku, n, w->T[w->sa[i] + (size_t)n - 1]);
            while (g < lv->n && key_cmp(key_words(lv, g), k.k, lv->nw) < 0)
                g++;
            if (g == lv->n || key_cmp(key_words(lv, g), k.k, lv->nw) != 0)
                continue;
            for (size_t t = i; t < j; t++)
                s->frequent[w->sa[t]] = (unsigned char)n;
            range[3 * n_range] = (uint32_t)i;
            range[3 * n_range + 1] = (uint32_t)j;
            range[3 * n_range + 2] = (uint32_t)g;
            n_range++;
        }
    }
    ct_free(s->range);
    s->range = range;
    s->n_range = n_range;
}

/* The records of round n, in one walk over the ranges of this rank's frequent strings u of
 * n - 1 characters (all of them for n = 1), in order, all to u's owner: each string uy of n
 * characters inside u's range (REC_RIGHT by y, with its local count, and its counts next to
 * numerals and quote marks when its suffix of n - 1 is frequent: else it cannot be), which
 * gives both the frequent strings of n and u's right entropy; and for the left entropy
 * (n ≥ 3), u's left extensions xu (REC_LEFT, x not a boundary, xu inside a run) by x. A
 * record that serves neither (uy cannot be frequent or n > max_len, and y is a boundary or
 * n < 3) stays home. Each kind leaves in (string, extension) order, so each destination
 * receives each rank's records sorted. tally: n_ids + 1 zeros, left zero; seen: as many
 * slots. */
static void walk_round(const dsource *s, int n, const unsigned char *boundary,
                       const unsigned char *numeral, uint32_t *tally, uint32_t *seen, sink *out)
{
    const terms_work *w = s->w;
    int max_len = s->o->max_len;
    for (size_t r = 0, n_r = n_ranges(s, n); r < n_r; r++) {
        size_t i0, end;
        rec x;
        range_of(s, n, r, &i0, &end, &x.k);
        x.numeral = x.glued = x.before = 0;
        int to = owner_of(&x.k, n - 1, out->P);
        if (n >= 3) {
            size_t n_seen = 0;
            for (size_t t = i0; t < end; t++) {
                /* xu lies inside a run when x is no separator: u has n - 1 ≤ D - 1
                 * characters before the next one */
                uint32_t c = s->left[t];
                if (!c || boundary[c])
                    continue;
                if (!tally[c]++)
                    seen[n_seen++] = c;
            }
            if (n_seen > 1)
                qsort(seen, n_seen, sizeof *seen, by_u32);
            for (size_t e = 0; e < n_seen; e++) {
                x.kind_ext = REC_LEFT << 16 | seen[e];
                x.count = tally[seen[e]];
                tally[seen[e]] = 0;
                emit_to(out, to, &x);
            }
        }
        for (size_t i = i0, j; next_string(s, n, end, &i, &j); i = j) {
            prefetch_ahead(s, n, i, end);
            uint32_t p = w->sa[i], y = w->T[p + (size_t)n - 1];
            int counted = n <= max_len && (n == 1 || s->frequent[p + 1] == n - 1);
            if (!counted && (n < 3 || boundary[y]))
                continue;
            rec e = {x.k, REC_RIGHT << 16 | y, (uint32_t)(j - i), 0, 0, 0};
            /* The quote and number marks sit on a run's first character (QF_AFTER_CLOSE) or
             * last (the others): only a suffix at a run's start (no left neighbour) or ending
             * with the run (n characters before the separator) reads them from the text. */
            for (size_t t = i; t < j && counted; t++) {
                uint32_t c = s->left[t];
                unsigned first = c ? 0 : w->qflag[w->sa[t]],
                         last = s->lim[t] == n ? w->qflag[w->sa[t] + (size_t)n - 1] : 0;
                e.numeral += c && numeral[c];
                e.glued += (first & QF_AFTER_CLOSE) || (last & QF_BEFORE_OPEN);
                e.before += (last & QF_BEFORE_NUMBER) != 0;
            }
            emit_to(out, to, &e);
        }
    }
}

/* One round (dist_terms.c's top): the frequent strings of n characters (when n ≤ max_len)
 * and the entropy sums of those of n - 1 (when 2 ≤ n - 1), from one walk. Each rank sums
 * the records of the strings u it owns; the entropy sums, placed at u's index (zero
 * elsewhere), are then added up over the ranks, and the frequent strings gathered. */
static void round_of(dsource *s, int n, const unsigned char *boundary, const unsigned char *numeral)
{
    int P = ct_dist_size(), max_len = s->o->max_len, nw = NW(n);
    uint32_t *tally = NULL, *seen = NULL;
    if (n >= 3) {
        tally = need(ct_calloc(s->w->n_ids + 1, sizeof *tally));
        seen = need(ct_malloc((s->w->n_ids + 1) * sizeof *seen));
    }
    walk_round(s, n, boundary, numeral, tally, seen, &s->out);
    ct_free(tally);
    ct_free(seen);
    size_t n_got, kind_at[N_KINDS + 1], *from = need(ct_malloc((size_t)P * sizeof *from));
    rec *got = exchange(&s->out, &n_got, from);
    got = sort_received(&s->out, got, from, P, nw, kind_at);
    size_t m = kind_at[REC_LEFT];
    rec *mine = need(ct_malloc((m + 1) * sizeof *mine));
    dlevel *up = &s->lv[n - 1];
    size_t n_mine = sum_records(got, m, n, up, boundary, s->o->min_count,
                                n <= max_len ? mine : NULL, n >= 3 ? up->right : NULL);
    if (n >= 3) {
        sum_records(got + m, kind_at[N_KINDS] - m, n, up, NULL, 0, NULL, up->left);
        reduce_all(up->left, up->n, sizeof *up->left, MPI_DOUBLE, MPI_SUM);
        reduce_all(up->right, up->n, sizeof *up->right, MPI_DOUBLE, MPI_SUM);
    }
    ct_free(got);
    /* Everyone's: the frequent strings of length n, in key order. */
    if (n <= max_len) {
        size_t n_all;
        rec *runs = gather_all(mine, n_mine, sizeof *mine, &n_all, from);
        rec *all = need(ct_malloc((n_all + 1) * sizeof *all));
        const rec **at = need(ct_malloc((size_t)P * sizeof *at)),
                  **end = need(ct_malloc((size_t)P * sizeof *end));
        for (int r = 0; r < P; r++) {
            at[r] = r ? end[r - 1] : runs;
            end[r] = at[r] + from[r];
        }
        merge_recs(at, end, P, nw, all);
        ct_free(runs);
        ct_free(at);
        ct_free(end);
        dlevel *lv = &s->lv[n];
        lv->n = n_all;
        lv->nw = NW(n);
        lv->words = need(ct_malloc((n_all * (size_t)lv->nw + 1) * sizeof *lv->words));
        lv->ids = need(ct_malloc((n_all * (size_t)n + 1) * sizeof *lv->ids));
        lv->count = need(ct_malloc((n_all + 1) * sizeof *lv->count));
        lv->numeral = need(ct_malloc((n_all + 1) * sizeof *lv->numeral));
        lv->glued = need(ct_malloc((n_all + 1) * sizeof *lv->glued));
        lv->before = need(ct_malloc((n_all + 1) * sizeof *lv->before));
        lv->left = need(ct_calloc(n_all + 1, sizeof *lv->left));
        lv->right = need(ct_calloc(n_all + 1, sizeof *lv->right));
        for (size_t g = 0; g < n_all; g++) {
            memcpy(lv->words + g * (size_t)lv->nw, all[g].k.k, (size_t)lv->nw * sizeof *lv->words);
            lv->count[g] = all[g].count;
            lv->numeral[g] = all[g].numeral;
            lv->glued[g] = all[g].glued;
            lv->before[g] = all[g].before;
            for (int c = 0; c < n; c++)
                lv->ids[g * (size_t)n + (size_t)c] =
                    (uint32_t)(all[g].k.k[c / 4] >> (48 - 16 * (c % 4))) & 0xFFFF;
        }
        ct_free(all);
        index_keys(lv);
        mark_frequent(s, n);
    }
    ct_free(mine);
    ct_free(from);
}

/* ---- the term_source ---------------------------------------------------------------------- */

static int ds_prepare(void *ctx, const unsigned char *boundary)
{
    dsource *s = ctx;
    terms_work *w = s->w;
    unsigned char *numeral = need(ct_calloc(w->n_ids + 1, 1));
    for (size_t c = 1; c <= w->n_ids; c++)
        numeral[c] = (unsigned char)ct_numerals_is_numeral(w->cp_of_id[c]);
    s->frequent = need(ct_calloc(w->L + 1, 1));
    int P = ct_dist_size();
    s->out.P = P;
    s->out.buf = need(ct_calloc(N_KINDS * (size_t)P, sizeof *s->out.buf));
    s->out.n = need(ct_calloc(N_KINDS * (size_t)P, sizeof *s->out.n));
    s->out.cap = need(ct_calloc(N_KINDS * (size_t)P, sizeof *s->out.cap));
    /* the rounds read each suffix's left neighbour in suffix-array order: one random pass */
    s->left = need(ct_malloc((w->N + 1) * sizeof *s->left));
    s->lim = need(ct_malloc(w->N + 1));
    for (size_t t = 0; t < w->N; t++) {
        s->left[t] = (uint16_t)(w->sa[t] ? w->T[w->sa[t] - 1] : 0);
        s->lim[t] = w->lim[w->sa[t]];
    }
    for (int n = 1; n <= s->o->max_len + 1; n++)
        round_of(s, n, boundary, numeral);
    for (size_t b = 0; b < N_KINDS * (size_t)P; b++)
        ct_free(s->out.buf[b]);
    ct_free(s->out.buf);
    ct_free(s->out.n);
    ct_free(s->out.cap);
    memset(&s->out, 0, sizeof s->out);
    ct_free(numeral);
    ct_free(s->frequent);
    ct_free(s->range);
    ct_free(s->left);
    ct_free(s->lim);
    s->lim = NULL;
    s->frequent = NULL;
    s->range = NULL;
    s->left = NULL;
    return CT_OK;
}

static size_t ds_n_strings(const void *ctx, int n)
{
    const dsource *s = ctx;
    return n <= s->o->max_len ? s->lv[n].n : 0;
}

static uint32_t ds_count(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].count[g];
}

static const uint32_t *ds_chars(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].ids + (size_t)g * (size_t)n;
}

static uint32_t ds_part(const void *ctx, int n, uint32_t g, int a, int m)
{
    const dsource *s = ctx;
    key k = sub_key(key_words(&s->lv[n], g), s->lv[n].nw, a, m);
    return find_key(&s->lv[m], &k);
}

static double ds_left_xlogx(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].left[g];
}

static double ds_right_xlogx(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].right[g];
}

static double ds_after_numeral(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].numeral[g];
}

static double ds_quote_glued(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].glued[g];
}

static double ds_before_number(const void *ctx, int n, uint32_t g)
{
    return ((const dsource *)ctx)->lv[n].before[g];
}

static int dist_sum(void *ctx, double *a, size_t n)
{
    (void)ctx;
    reduce_all(a, n, sizeof *a, MPI_DOUBLE, MPI_SUM);
    return CT_OK;
}

/* Each rank counts its own occurrences (found in its suffix array), and the counts are
 * summed. */
static int ds_right_pairs(void *ctx, size_t k, const int *len, const uint32_t *g,
                          const unsigned char *next_ok, const uint32_t *pair_mark, double *out)
{
    dsource *s = ctx;
    const terms_work *w = s->w;
    for (size_t j = 0; j < k; j++) {
        size_t n = (size_t)len[j];
        uint32_t start, count;
        ct_sa_find_range(w, ds_chars(ctx, len[j], g[j]), n, &start, &count);
        double c = 0;
        for (uint32_t i = start; i < start + count; i++) {
            uint32_t q = w->sa[i], next = w->T[q + n];
            if (!next || !next_ok[next])
                continue;
            uint32_t pair = find_ids(&s->lv[2], w->T + q + n - 1, 2);
            c += pair != NONE && pair_mark[pair] != NONE;
        }
        out[j] = c;
    }
    return dist_sum(NULL, out, k);
}

static int ds_left_pairs(void *ctx, size_t k, const int *len, const uint32_t *g,
                         const unsigned char *next_ok, const uint32_t *pair_mark, double *out)
{
    dsource *s = ctx;
    const terms_work *w = s->w;
    for (size_t j = 0; j < k; j++) {
        uint32_t start, count;
        ct_sa_find_range(w, ds_chars(ctx, len[j], g[j]), (size_t)len[j], &start, &count);
        double c = 0;
        for (uint32_t i = start; i < start + count; i++) {
            uint32_t q = w->sa[i], prev = w->T[q - 1];
            if (!prev || !next_ok[prev])
                continue;
            uint32_t pair = find_ids(&s->lv[2], w->T + q - 1, 2);
            c += pair != NONE && pair_mark[pair] != NONE;
        }
        out[j] = c;
    }
    return dist_sum(NULL, out, k);
}

/* The ranks judge consecutive ranges of each length's strings, rank 0 the first. */
static void ds_judged(const void *ctx, size_t ns, size_t *lo, size_t *hi)
{
    (void)ctx;
    size_t r = (size_t)ct_dist_rank(), P = (size_t)ct_dist_size();
    *lo = ns * r / P;
    *hi = ns * (r + 1) / P;
}

static int ds_gather(void *ctx, const void *mine, size_t n, size_t size, void **all, size_t *n_all)
{
    (void)ctx;
    *all = gather_all(mine, n, size, n_all, NULL);
    return CT_OK;
}

static int ds_any(void *ctx, unsigned char *flags, size_t n)
{
    (void)ctx;
    reduce_all(flags, n, 1, MPI_UNSIGNED_CHAR, MPI_BOR);
    return CT_OK;
}

/* A rank whose rules fail leaves the others waiting in the next gather: end them all. */
static void ds_failed(void *ctx, int rc)
{
    (void)ctx;
    (void)rc; /* the rules fail only when out of memory */
    out_of_memory();
}

static const term_source_ops ds_ops = {
    .prepare = ds_prepare,
    .n_strings = ds_n_strings,
    .count = ds_count,
    .chars = ds_chars,
    .part = ds_part,
    .left_xlogx = ds_left_xlogx,
    .right_xlogx = ds_right_xlogx,
    .after_numeral = ds_after_numeral,
    .quote_glued = ds_quote_glued,
    .before_number = ds_before_number,
    .right_pairs = ds_right_pairs,
    .left_pairs = ds_left_pairs,
    .judged = ds_judged,
    .gather = ds_gather,
    .any = ds_any,
    .failed = ds_failed,
};

static int dist_source(void *ctx, terms_work *w, const ct_terms_options *o, term_source *src)
{
    (void)ctx;
    dsource *s = need(ct_calloc(1, sizeof *s));
    s->w = w;
    s->o = o;
    double n_chars = (double)w->N;
    ct_dist_quiet_barrier(); /* after each rank's sort of its share */
    MPI_Allreduce(MPI_IN_PLACE, &n_chars, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    src->ops = &ds_ops;
    src->ctx = s;
    src->n_chars = n_chars;
    return CT_OK;
}

static void dist_source_free(term_source *src)
{
    dsource *s = src->ctx;
    if (!s)
        return;
    for (int n = 0; n < CT_TERMS_LEN_LIMIT + 2; n++) {
        dlevel *lv = &s->lv[n];
        ct_free(lv->words);
        ct_free(lv->ids);
        ct_free(lv->count);
        ct_free(lv->numeral);
        ct_free(lv->glued);
        ct_free(lv->before);
        ct_free(lv->left);
        ct_free(lv->right);
        ct_free(lv->slot);
    }
    ct_free(s);
    src->ctx = NULL;
}

/* ---- reading: the ordinal 第 and the character ids ---------------------------------------- */

static int dist_seed(void *ctx, terms_work *w, int rc, ct_error *err, char *const *norm,
                     const size_t *len)
{
    (void)ctx;
    if ((rc = ct_dist_agree(rc, err)) != CT_OK)
        return rc;
    int has = 0, before = 0;
    for (size_t d = 0; d < w->n_docs && !has; d++)
        has = norm[d] && memmem(norm[d], len[d], "\xE7\xAC\xAC", 3) != NULL; /* 第 */
    MPI_Exscan(&has, &before, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    if (ct_dist_rank() > 0 && before) {
        uint32_t id;
        return ct_runs_char_id(w, 0x7B2C, &id);
    }
    return CT_OK;
}

/* The ranks' characters in order of first appearance, concatenated in rank order: the first
 * appearance of each is one process's. */
static int dist_global_ids(void *ctx, terms_work *w, ct_error *err)
{
    (void)ctx;
    size_t n_all;
    int32_t *all =
        gather_all(w->cp_of_id ? w->cp_of_id + 1 : NULL, w->n_ids, sizeof *all, &n_all, NULL);
    uint32_t *map = need(ct_calloc(w->n_ids + 1, sizeof *map));
    int32_t *cp_of_id = need(ct_malloc((n_all + 2) * sizeof *cp_of_id));
    uint32_t *id_of_cp = need(ct_calloc(CP_LIMIT, sizeof *id_of_cp));
    size_t n_ids = 0;
    for (size_t i = 0; i < n_all; i++)
        if (!id_of_cp[all[i]]) {
            id_of_cp[all[i]] = (uint32_t)++n_ids;
            cp_of_id[n_ids] = all[i];
        }
    for (size_t c = 1; c <= w->n_ids; c++)
        map[c] = id_of_cp[w->cp_of_id[c]];
    for (size_t p = 0; p < w->L; p++)
        w->T[p] = map[w->T[p]];
    ct_free(map);
    ct_free(all);
    ct_free(w->id_of_cp);
    ct_free(w->cp_of_id);
    w->id_of_cp = id_of_cp;
    w->cp_of_id = cp_of_id;
    w->n_ids = n_ids;
    w->cap_ids = n_all + 2;
    if (n_ids < 0xFFFF) /* keys pack 16 bits a character */
        return CT_OK;
    ct_error_set(err, NULL, 0, -1,
                 "the corpus has %zu distinct characters; term discovery across MPI ranks "
                 "handles at most 65 534 (run it as one process)",
                 n_ids);
    return CT_EINPUT;
}

int ct_dist_terms_discover(ct_terms **out, const ct_corpus *corpus, const ct_terms_options *o,
                           ct_error *err)
{
    /* One rank holds the whole corpus: one process's discovery, without the rounds. */
    if (ct_dist_size() == 1)
        return ct_terms_discover(out, corpus, o, err);
    terms_ranks r = {
        .ctx = NULL,
        .seed = dist_seed,
        .global_ids = dist_global_ids,
        .source = dist_source,
        .source_free = dist_source_free,
        .sums = {dist_sum, NULL},
    };
    int rc = ct_terms_discover_ranks(out, corpus, o, &r, err);
    return ct_dist_agree(rc, err);
}
