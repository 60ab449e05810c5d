/* output.c — atomic output files and directories, and TSV/CSV field escaping (see output.h).
 *
 * Temporary files and directories are registered while they exist: a signal handler
 * (SIGINT, SIGTERM, SIGHUP) removes them with async-signal-safe calls and re-raises the
 * signal. Temporary names are short (".NAME.tmp-XXXXXX", or ".tmp-XXXXXX" when that would not
 * fit NAME_MAX), so outputs with names of up to 255 bytes work. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "comptext/alloc.h"
#include "output.h"

/* --- temporaries removed on a signal ------------------------------------------------------- */

enum { N_TMP = 64 };
static struct tmp_slot {
    int used; /* read by the handler: set after path, cleared before it is reused */
    int is_dir;
    char path[PATH_MAX];
} tmp_slots[N_TMP];

static void tmp_remove_all(void)
{
    for (int pass = 0; pass < 2; pass++) /* files first, then the (emptied) directories */
        for (int i = N_TMP - 1; i >= 0; i--)
            if (__atomic_load_n(&tmp_slots[i].used, __ATOMIC_ACQUIRE) &&
                tmp_slots[i].is_dir == pass) {
                if (pass)
                    rmdir(tmp_slots[i].path);
                else
                    unlink(tmp_slots[i].path);
            }
}

static void on_signal(int sig)
{
    tmp_remove_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

void ct_tmp_cleanup_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* keep an ignored signal ignored (nohup) */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* Block the three signals (around changes to the registry and during a commit). */
static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Register a temporary; returns its slot, or -1 when the registry is full (it is then only
 * not removed on a signal). */
static int tmp_register(const char *path, int is_dir)
{
    if (strlen(path) >= PATH_MAX)
        return -1;
    sigset_t old;
    block_signals(&old);
    int slot = -1;
    for (int i = 0; i < N_TMP && slot < 0; i++)
        if (!tmp_slots[i].used) {
            slot = i;
            tmp_slots[i].is_dir = is_dir;
            strcpy(tmp_slots[i].path, path);
            __atomic_store_n(&tmp_slots[i].used, 1, __ATOMIC_RELEASE);
        }
    restore_signals(&old);
    return slot;
}

static void tmp_unregister(int slot)
{
    if (slot >= 0)
        __atomic_store_n(&tmp_slots[slot].used, 0, __ATOMIC_RELEASE);
}

/* A temporary name beside path: DIR/.BASE.tmp-XXXXXX, or DIR/.tmp-XXXXXX when that would be
 * longer than NAME_MAX (ct_malloc). */
static char *tmp_name_beside(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir_len;
    size_t base_len = strlen(base);
    char *t = ct_malloc(dir_len + base_len + 16);
    if (!t)
        return NULL;
    memcpy(t, path, dir_len);
    if (base_len + 13 <= NAME_MAX)
        snprintf(t + dir_len, base_len + 16, ".%s.tmp-XXXXXX", base);
    else
        snprintf(t + dir_len, base_len + 16, ".tmp-XXXXXX");
    return t;
}

struct ct_out {
    FILE *f;
    int direct; /* a device or pipe opened directly (closed, never renamed) */
    char *name; /* for messages: the device's path (direct), else NULL */
    char *path; /* NULL for standard output */
    char *tmp;
    int slot; /* of tmp in the signal registry */
};

/* The process's umask, read without changing it where Linux allows (/proc/self/status). */
static mode_t current_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned mask;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &mask) == 1) {
                fclose(f);
                return (mode_t)mask;
            }
        fclose(f);
    }
    mode_t m = umask(022);
    umask(m);
    return m;
}

/* mkstemp makes the temporary file 0600; give it the mode the output would have had if
 * opened with fopen (0666 minus the umask), or the mode of the file it replaces. */
static void set_output_mode(int fd, const char *path)
{
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask());
    (void)fchmod(fd, mode); /* best effort: the data matter more than the mode */
}

int ct_out_open(ct_out **out, const char *path, ct_error *err)
{
    *out = NULL;
    ct_out *o = ct_calloc(1, sizeof *o);
    if (!o)
        return CT_ENOMEM;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        *out = o;
        return CT_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* A device or pipe (/dev/null, a FIFO): write to it directly; never replace it. */
        o->f = fopen(path, "wb");
        if (!o->f) {
            ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
            ct_free(o);
            return CT_EIO;
        }
        o->direct = 1;
        o->name = ct_strdup(path);
        if (!o->name) {
            ct_out_abort(o);
            return CT_ENOMEM;
        }
        *out = o;
        return CT_OK;
    }
    o->slot = -1;
    o->path = ct_strdup(path);
    o->tmp = tmp_name_beside(path);
    if (!o->path || !o->tmp) {
        ct_out_abort(o);
        return CT_ENOMEM;
    }
    sigset_t old;
    block_signals(&old); /* registered before a signal could leave it behind */
    int fd = mkstemp(o->tmp);
    if (fd >= 0)
        o->slot = tmp_register(o->tmp, 0);
    restore_signals(&old);
    if (fd < 0) {
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_free(o->tmp);
        o->tmp = NULL;
        ct_out_abort(o);
        return CT_EIO;
    }
    set_output_mode(fd, path);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        close(fd);
        ct_error_set(err, path, 0, -1, "cannot write: %s", strerror(errno));
        ct_out_abort(o);
        return CT_EIO;
    }
    setvbuf(o->f, NULL, _IOFBF, (size_t)1 << 18); /* large outputs: fewer, larger writes */
    *out = o;
    return CT_OK;
}

FILE *ct_out_file(ct_out *o)
{
    return o->f;
}

int ct_out_commit(ct_out *o, ct_error *err)
{
    int rc = CT_OK;
    int failed = fflush(o->f) != 0 || ferror(o->f);
    int saved = errno;
    if (o->direct) {
        if (fclose(o->f) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        o->f = NULL;
    }
    if (o->path) {
        if (!failed && fsync(fileno(o->f)) != 0 && errno != EINVAL) {
            failed = 1;
            saved = errno;
        }
        if (fclose(o->f) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        o->f = NULL;
        if (!failed && rename(o->tmp, o->path) != 0) {
            failed = 1;
            saved = errno;
        }
        if (!failed)
            tmp_unregister(o->slot);
    }
    if (failed) {
        ct_error_set(err,
                     o->path   ? o->path
                     : o->name ? o->name
                               : "standard output",
                     0, -1, "write failed: %s", strerror(saved ? saved : EIO));
        rc = CT_EIO;
        ct_out_abort(o);
        return rc;
    }
    ct_free(o->path);
    ct_free(o->tmp);
    ct_free(o->name);
    ct_free(o);
    return CT_OK;
}

void ct_out_abort(ct_out *o)
{
    if (!o)
        return;
    if (o->direct && o->f)
        fclose(o->f);
    if (o->path) {
        if (o->f)
            fclose(o->f);
        if (o->tmp) {
            unlink(o->tmp);
            tmp_unregister(o->slot);
        }
    }
    ct_free(o->path);
    ct_free(o->tmp);
    ct_free(o->name);
    ct_free(o);
}

/* --- output directories ------------------------------------------------------------------- */

typedef struct outdir_file {
    char *name;
    int slot;
} outdir_file;

struct ct_outdir {
    char *dir;   /* the destination, without trailing slashes */
    char *stage; /* where the files are written: beside dir when it is new, else inside it */
    int stage_slot;
    int dir_exists;
    outdir_file *files;
    size_t n_files;
    const char *const *owned; /* names the command owns in dir (ct_outdir_own) */
    size_t n_owned;
};

void ct_outdir_own(ct_outdir *d, const char *const *names, size_t n)
{
    d->owned = names;
    d->n_owned = n;
}

/* Whether name is one of the files staged for this run. */
static int staged_here(const ct_outdir *d, const char *name)
{
    for (size_t i = 0; i < d->n_files; i++)
        if (strcmp(d->files[i].name, name) == 0)
            return 1;
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = ct_malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

int ct_outdir_open(ct_outdir **out, const char *dir, ct_error *err)
{
    *out = NULL;
    ct_outdir *d = ct_calloc(1, sizeof *d);
    if (!d)
        return CT_ENOMEM;
    d->stage_slot = -1;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    d->dir = ct_strndup(dir, n);
    if (!d->dir) {
        ct_outdir_abort(d);
        return CT_ENOMEM;
    }
    struct stat st;
    if (stat(d->dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            ct_error_set(err, d->dir, 0, -1, "exists and is not a directory");
            ct_outdir_abort(d);
            return CT_EIO;
        }
        d->dir_exists = 1;
    } else if (errno != ENOENT) {
        ct_error_set(err, d->dir, 0, -1, "cannot write: %s", strerror(errno));
        ct_outdir_abort(d);
        return CT_EIO;
    }
    /* An existing directory gets its stage inside it: the same file system whatever is
     * mounted there, and no need to write to its parent. A new one is staged beside it and
     * renamed into place in one step. */
    d->stage = d->dir_exists ? join(d->dir, ".tmp-XXXXXX") : tmp_name_beside(d->dir);
    if (!d->stage) {
        ct_outdir_abort(d);
        return CT_ENOMEM;
    }
    sigset_t old;
    block_signals(&old);
    int made = mkdtemp(d->stage) != NULL;
    int saved = errno;
    if (made)
        d->stage_slot = tmp_register(d->stage, 1);
    restore_signals(&old);
    if (!made) {
        ct_error_set(err, d->dir, 0, -1, "cannot write: %s", strerror(saved));
        ct_free(d->stage);
        d->stage = NULL;
        ct_outdir_abort(d);
        return CT_EIO;
    }
    /* mkdtemp makes it 0700; the result gets the usual permissions. */
    chmod(d->stage, 0777 & ~current_umask());
    *out = d;
    return CT_OK;
}

FILE *ct_outdir_file(ct_outdir *d, const char *name, ct_error *err)
{
    outdir_file *files = ct_reallocarray(d->files, d->n_files + 1, sizeof *files);
    if (!files)
        return NULL;
    d->files = files;
    char *path = join(d->stage, name);
    outdir_file *f = &files[d->n_files];
    f->name = ct_strdup(name);
    if (!path || !f->name) {
        ct_free(path);
        ct_free(f->name);
        return NULL;
    }
    sigset_t old;
    block_signals(&old);
    FILE *fp = fopen(path, "wb");
    int saved = errno;
    f->slot = fp ? tmp_register(path, 0) : -1;
    restore_signals(&old);
    if (!fp) {
        ct_error_set(err, d->dir, 0, -1, "cannot write %s: %s", name, strerror(saved));
        ct_free(f->name);
    } else {
        d->n_files++;
    }
    ct_free(path);
    return fp;
}

int ct_outdir_close_file(ct_outdir *d, FILE *f, const char *name, int rc, ct_error *err)
{
    int failed = ferror(f);
    int saved = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (rc == CT_OK && failed) {
        ct_error_set(err, d->dir, 0, -1, "writing %s failed: %s", name,
                     strerror(saved ? saved : EIO));
        rc = CT_EIO;
    }
    return rc;
}

/* Copy the file from into a temporary file in dir, then rename it to to (for a stage on
 * another file system than dir). */
static int copy_across(const char *from, const char *dir, const char *to)
{
    char *tmp = join(dir, ".tmp-XXXXXX");
    if (!tmp)
        return -1;
    int in = open(from, O_RDONLY | O_CLOEXEC), out = in >= 0 ? mkstemp(tmp) : -1, ok = out >= 0;
    char buf[1 << 16];
    ssize_t k;
    while (ok && (k = read(in, buf, sizeof buf)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        for (ssize_t w = 0; ok && k > 0 && w < k;) {
            ssize_t put = write(out, buf + w, (size_t)(k - w));
            if (put < 0 && errno != EINTR)
                ok = 0;
            w += put > 0 ? put : 0;
        }
        ok = ok && k > 0;
    }
    if (ok && fsync(out) != 0 && errno != EINVAL)
        ok = 0;
    if (out >= 0) {
        fchmod(out, 0666 & ~current_umask());
        close(out);
    }
    if (in >= 0)
        close(in);
    if (ok && rename(tmp, to) != 0)
        ok = 0;
    int saved = errno;
    if (!ok && out >= 0)
        unlink(tmp);
    ct_free(tmp);
    errno = saved;
    return ok ? 0 : -1;
}

enum { MOVED = 1, SWAPPED, BACKED, COPIED };

/* Undo the first n moves of a commit into an existing directory (best effort). */
static void roll_back(ct_outdir *d, char **staged, char **target, char **backup, int *how, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (how[i] == SWAPPED)
            renameat2(AT_FDCWD, staged[i], AT_FDCWD, target[i], RENAME_EXCHANGE);
        else if (how[i] == MOVED || how[i] == COPIED)
            how[i] == MOVED ? (void)rename(target[i], staged[i]) : (void)unlink(target[i]);
        else if (how[i] == BACKED) {
            rename(target[i], staged[i]);
            rename(backup[i], target[i]);
        }
    }
    (void)d;
}

/* Move every staged file into the existing directory, all or nothing: an existing file is
 * swapped with the new one (renameat2 RENAME_EXCHANGE; or moved aside first where the file
 * system cannot swap), and a failure puts back what was moved. */
static int commit_into(ct_outdir *d, ct_error *err)
{
    size_t n = d->n_files;
    char **staged = ct_calloc(n + 1, sizeof *staged), **target = ct_calloc(n + 1, sizeof *target);
    char **backup = ct_calloc(n + 1, sizeof *backup);
    int *how = ct_calloc(n + 1, sizeof *how);
    int rc = staged && target && backup && how ? CT_OK : CT_ENOMEM;
    for (size_t i = 0; rc == CT_OK && i < n; i++) {
        char bname[32];
        snprintf(bname, sizeof bname, ".old-%zu", i);
        staged[i] = join(d->stage, d->files[i].name);
        target[i] = join(d->dir, d->files[i].name);
        backup[i] = join(d->stage, bname);
        if (!staged[i] || !target[i] || !backup[i])
            rc = CT_ENOMEM;
    }
    size_t done = 0;
    for (; rc == CT_OK && done < n; done++) {
        size_t i = done;
        struct stat st;
        int exists = lstat(target[i], &st) == 0;
        if (exists && S_ISDIR(st.st_mode)) { /* never swapped out of the way */
            ct_error_set(err, target[i], 0, -1, "cannot write: %s", strerror(EISDIR));
            rc = CT_EIO;
            break;
        }
        if (exists && renameat2(AT_FDCWD, staged[i], AT_FDCWD, target[i], RENAME_EXCHANGE) == 0) {
            how[i] = SWAPPED;
            continue;
        }
        if (exists && errno != EINVAL && errno != ENOSYS && errno != EXDEV) {
            ct_error_set(err, target[i], 0, -1, "cannot write: %s", strerror(errno));
            rc = CT_EIO;
            break;
        }
        if (exists && errno != EXDEV) {
            if (rename(target[i], backup[i]) != 0) {
                ct_error_set(err, target[i], 0, -1, "cannot write: %s", strerror(errno));
                rc = CT_EIO;
                break;
            }
            if (rename(staged[i], target[i]) != 0) {
                int e = errno;
                rename(backup[i], target[i]);
                ct_error_set(err, target[i], 0, -1, "cannot write: %s", strerror(e));
                rc = CT_EIO;
                break;
            }
            how[i] = BACKED;
            continue;
        }
        if (!exists && rename(staged[i], target[i]) == 0) {
            how[i] = MOVED;
            continue;
        }
        if (errno == EXDEV && copy_across(staged[i], d->dir, target[i]) == 0) {
            how[i] = COPIED; /* the old file, if any, is replaced by the rename: no undo */
            continue;
        }
        ct_error_set(err, target[i], 0, -1, "cannot write: %s", strerror(errno));
        rc = CT_EIO;
        break;
    }
    /* A file the command owns that this run does not write is moved into the stage (and
     * removed with it), so that the directory describes this run alone; put back on failure. */
    char **gone = rc == CT_OK ? ct_calloc(d->n_owned + 1, sizeof *gone) : NULL;
    char **gone_to = rc == CT_OK ? ct_calloc(d->n_owned + 1, sizeof *gone_to) : NULL;
    size_t n_gone = 0;
    if (rc == CT_OK && (!gone || !gone_to))
        rc = CT_ENOMEM;
    for (size_t k = 0; rc == CT_OK && k < d->n_owned; k++) {
        if (staged_here(d, d->owned[k]))
            continue;
        char gname[32];
        snprintf(gname, sizeof gname, ".gone-%zu", k);
        char *from = join(d->dir, d->owned[k]), *to = join(d->stage, gname);
        struct stat st;
        if (!from || !to) {
            rc = CT_ENOMEM;
        } else if (lstat(from, &st) != 0 || S_ISDIR(st.st_mode)) {
            /* absent (or a directory, not ours to remove) */
        } else if (rename(from, to) == 0) {
            gone[n_gone] = from;
            gone_to[n_gone++] = to;
            continue;
        } else if (errno != EXDEV || unlink(from) != 0) {
            /* a stage copied across file systems: the stale file is removed outright */
            ct_error_set(err, from, 0, -1, "cannot remove the earlier run's file: %s",
                         strerror(errno));
            rc = CT_EIO;
        }
        ct_free(from);
        ct_free(to);
    }
    for (size_t k = 0; k < n_gone; k++) {
        if (rc != CT_OK)
            rename(gone_to[k], gone[k]);
        else
            unlink(gone_to[k]);
        ct_free(gone[k]);
        ct_free(gone_to[k]);
    }
    ct_free(gone);
    ct_free(gone_to);
    if (rc != CT_OK && how) {
        roll_back(d, staged, target, backup, how, done);
    } else if (rc == CT_OK) {
        for (size_t i = 0; i < n; i++) {
            if (how[i] == SWAPPED || how[i] == COPIED)
                unlink(staged[i]); /* the old file, swapped out */
            else if (how[i] == BACKED)
                unlink(backup[i]);
        }
    }
    for (size_t i = 0; i < n && staged && target && backup; i++) {
        ct_free(staged[i]);
        ct_free(target[i]);
        ct_free(backup[i]);
    }
    ct_free(staged);
    ct_free(target);
    ct_free(backup);
    ct_free(how);
    return rc;
}

int ct_outdir_commit(ct_outdir *d, ct_error *err)
{
    sigset_t old;
    block_signals(&old); /* a commit is not interrupted halfway */
    int rc = CT_OK;
    if (!d->dir_exists && rename(d->stage, d->dir) == 0) {
        for (size_t i = 0; i < d->n_files; i++)
            tmp_unregister(d->files[i].slot);
        tmp_unregister(d->stage_slot);
        ct_free(d->stage);
        d->stage = NULL;
    } else if (!d->dir_exists && errno != EEXIST && errno != ENOTEMPTY) {
        ct_error_set(err, d->dir, 0, -1, "cannot create: %s", strerror(errno));
        rc = CT_EIO;
    } else {
        /* The directory exists (or another run has just made it): one run at a time moves
         * its files in, under a lock on the directory. */
        int fd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            ct_error_set(err, d->dir, 0, -1, "cannot write: %s", strerror(errno));
            rc = CT_EIO;
        } else {
            while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
                ;
            rc = commit_into(d, err);
            close(fd); /* releases the lock */
        }
    }
    restore_signals(&old);
    if (rc != CT_OK)
        return rc;
    ct_outdir_abort(d); /* removes the emptied stage and frees */
    return CT_OK;
}

void ct_outdir_abort(ct_outdir *d)
{
    if (!d)
        return;
    if (d->stage) {
        for (size_t i = 0; i < d->n_files; i++) {
            char *p = join(d->stage, d->files[i].name);
            if (p)
                unlink(p);
            ct_free(p);
        }
        rmdir(d->stage);
    }
    for (size_t i = 0; i < d->n_files; i++) {
        tmp_unregister(d->files[i].slot);
        ct_free(d->files[i].name);
    }
    tmp_unregister(d->stage_slot);
    ct_free(d->files);
    ct_free(d->stage);
    ct_free(d->dir);
    ct_free(d);
}

void ct_write_tsv_field(FILE *f, const char *s)
{
    if (*s == '"') { /* a leading quote would start a quoted field for a CSV reader */
        fputs("\\\"", f);
        s++;
    }
    for (;;) {
        size_t plain = strcspn(s, "\\\t\n\r"); /* written as it is, in one piece */
        fwrite(s, 1, plain, f);
        s += plain;
        if (!*s)
            return;
        fputs(*s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\r", f);
        s++;
    }
}

void ct_write_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

void ct_write_u64(FILE *f, uint64_t u)
{
    char buf[24];
    size_t n = sizeof buf;
    do {
        buf[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    fwrite(buf + n, 1, sizeof buf - n, f);
}

size_t ct_format_tsv_field(char *out, size_t room, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    if (len && s[0] == '"') { /* a leading quote would start a quoted field for a CSV reader */
        if (room < 2)
            return (size_t)-1;
        out[o++] = '\\';
        out[o++] = '"';
        i = 1;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= '\\' && (c == '\\' || c == '\t' || c == '\n' || c == '\r')) {
            if (o + 2 > room)
                return (size_t)-1;
            out[o++] = '\\';
            out[o++] = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        } else {
            if (o + 1 > room)
                return (size_t)-1;
            out[o++] = (char)c;
        }
    }
    return o;
}

size_t ct_format_tsv_count_row(char *out, size_t room, const char *term, size_t len, uint64_t count)
{
    if (room < 22)
        return 0;
    size_t at = ct_format_tsv_field(out, room - 22, term, len);
    if (at == (size_t)-1)
        return 0;
    out[at++] = '\t';
    size_t digits = 1;
    for (uint64_t v = count; v >= 10; v /= 10)
        digits++;
    for (size_t d = digits; d-- > 0; count /= 10)
        out[at + d] = (char)('0' + count % 10);
    at += digits;
    out[at++] = '\n';
    return at;
}

void ct_write_tsv_count_row(FILE *f, const char *term, uint64_t count)
{
    char line[96];
    size_t n = ct_format_tsv_count_row(line, sizeof line, term, strlen(term), count);
    if (n) {
        fwrite(line, 1, n, f);
        return;
    }
    ct_write_tsv_field(f, term);
    putc('\t', f);
    ct_write_u64(f, count);
    putc('\n', f);
}

#ifdef __SIZEOF_INT128__
/* %.17g for 1e-4 <= v < 1e17 with exact integer arithmetic: v = m·2^e (m < 2^53), and its 17
 * significant digits are D = m·5^q·2^(q+e) rounded to an integer, q = 16 − X where
 * 10^X <= v < 10^(X+1). m·5^q < 2^53·5^20 < 2^100 fits 128 bits, so the rounding (half to
 * even on an exact tie, as glibc's printf in the default rounding mode) is exact. %g then
 * prints X + 1 integer digits (or "0"), the point and the q decimals without trailing zeros.
 * Returns the length, or 0 when v is outside the range or the rounding carries into an
 * 18th digit (left to printf). */
static size_t format_g17(char *buf, double v)
{
    static const double pow10[] = {1e-4, 1e-3, 1e-2, 1e-1, 1e0,  1e1, 1e2,  1e3,
                                   1e4,  1e5,  1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    /* The doubles nearest 10^-1 … 10^-4 lie above them and the others are exact, so
     * v >= pow10[i] exactly when v >= 10^(i-4). */
    if (!(v >= 1e-4 && v < 1e17))
        return 0;
    int X = -4;
    while (v >= pow10[X + 5])
        X++;
    int k;
    double fr = frexp(v, &k); /* v = fr·2^k, 0.5 <= fr < 1 */
    uint64_t m = (uint64_t)ldexp(fr, 53);
    int e = k - 53, q = 16 - X, s = q + e;
    uint64_t five = 1;
    for (int i = 0; i < q; i++)
        five *= 5; /* 5^20 < 2^47 */
    unsigned __int128 P = (unsigned __int128)m * five;
    uint64_t D;
    if (s >= 0) {
        D = (uint64_t)(P << s);
    } else {
        int r = -s; /* 1 … 71: r >= 128 cannot happen for v >= 1e-4 */
        unsigned __int128 half = (unsigned __int128)1 << (r - 1), rem = P & ((half << 1) - 1);
        D = (uint64_t)(P >> r);
        if (rem > half || (rem == half && (D & 1)))
            D++;
    }
    if (D >= 100000000000000000ULL)
        return 0;
    char dig[17];
    for (int i = 16; i >= 0; i--) {
        dig[i] = (char)('0' + D % 10);
        D /= 10;
    }
    size_t n = 0;
    int last = 16; /* the last digit to print: trailing zeros of the decimals go */
    while (last > X && dig[last] == '0')
        last--;
    if (X < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int i = -1; i > X; i--)
            buf[n++] = '0';
        memcpy(buf + n, dig, (size_t)last + 1);
        n += (size_t)last + 1;
    } else {
        memcpy(buf + n, dig, (size_t)X + 1);
        n += (size_t)X + 1;
        if (last > X) {
            buf[n++] = '.';
            memcpy(buf + n, dig + X + 1, (size_t)(last - X));
            n += (size_t)(last - X);
        }
    }
    return n;
}
#endif

size_t ct_format_double(char *buf, double v)
{
    /* Counts are whole numbers: digit by digit. For |v| < 1e15 the digits are exactly what
     * %.17g prints. */
    if (v == v && v > -1e15 && v < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v))) {
        char tmp[24];
        size_t n = sizeof tmp;
        long long x = (long long)v;
        unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        do {
            tmp[--n] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x < 0)
            tmp[--n] = '-';
        memcpy(buf, tmp + n, sizeof tmp - n);
        return sizeof tmp - n;
    }
#ifdef __SIZEOF_INT128__
    /* printf's %g is slow (a fifth of `comptext similarity`'s time went into it) */
    if (signbit(v)) {
        size_t n = format_g17(buf + 1, -v);
        if (n) {
            buf[0] = '-';
            return n + 1;
        }
    } else {
        size_t n = format_g17(buf, v);
        if (n)
            return n;
    }
#endif
    return (size_t)snprintf(buf, CT_DOUBLE_BUF, "%.17g", v);
}

void ct_write_double(FILE *f, double v)
{
    char buf[CT_DOUBLE_BUF];
    fwrite(buf, 1, ct_format_double(buf, v), f);
}

void ct_write_escaped(FILE *f, const char *s)
{
    /* C0 controls, DEL and the C1 controls (U+0080-U+009F, C2 80-C2 9F in UTF-8) would
     * reach the terminal raw: an id or file name could move the cursor or retitle the
     * window. They are written as \xNN (the bytes), everything else as it is. */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *q = p;
        while (*q && *q >= 0x20 && *q != 0x7F && !(q[0] == 0xC2 && q[1] >= 0x80 && q[1] <= 0x9F))
            q++;
        fwrite(p, 1, (size_t)(q - p), f);
        if (!*q)
            return;
        if (*q == 0xC2) {
            fprintf(f, "\\xC2\\x%02X", q[1]);
            p = q + 2;
        } else {
            fprintf(f, "\\x%02X", *q);
            p = q + 1;
        }
    }
}
