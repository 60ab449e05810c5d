/* scratch.h — a scratch directory for the C tests that write files. scratch_make("count")
 * creates /tmp/ct-test-count-XXXXXX (its path in tmpdir), put(rel, content) writes
 * tmpdir/rel (creating its directories) or exits, and scratch_remove() deletes the whole
 * directory at the end. */
#ifndef CT_SCRATCH_H
#define CT_SCRATCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmpdir[64];

/* Create the directory; 0 (after perror) when it cannot be made. */
static inline int scratch_make(const char *name)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ct-test-%s-XXXXXX", name);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 0;
    }
    return 1;
}

/* Write tmpdir/rel (creating its directories). */
static inline void put(const char *rel, const char *content)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    for (char *s = path + strlen(tmpdir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            perror(path);
            exit(1);
        }
        *s = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fputs(content, f) < 0) {
        perror(path);
        exit(1);
    }
    fclose(f);
}

static inline void scratch_remove(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

#endif
