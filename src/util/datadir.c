/* datadir.c — finding shipped data files: $COMPTEXT_DATADIR first; then, for an installed
 * program, share/comptext beside its prefix and the configured data directory before the
 * source tree it was built from; for a program run from the build tree, the source tree
 * first. The answer is cached per name. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct_config.h"
#include "datadir.h"

#define CT_DATA_SLOTS 8

static pthread_mutex_t data_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char name[64];
    char path[PATH_MAX];
} data_cache[CT_DATA_SLOTS];

static int path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int try_dir(char *out, size_t size, const char *dir, const char *name)
{
    if (!dir || !*dir)
        return 0;
    if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
        return 0;
    return path_exists(out);
}

const char *ct_data_path(const char *name)
{
    const char *result = NULL;
    pthread_mutex_lock(&data_lock);
    int slot = -1;
    for (int i = 0; i < CT_DATA_SLOTS; i++) {
        if (strcmp(data_cache[i].name, name) == 0 && data_cache[i].path[0]) {
            result = data_cache[i].path;
            goto done;
        }
        if (slot < 0 && !data_cache[i].name[0])
            slot = i;
    }
    if (slot < 0 || strlen(name) >= sizeof data_cache[0].name)
        goto done;
    char *out = data_cache[slot].path;
    /* Where this code lives: the executable, or the shared library when it is one. */
    char self[PATH_MAX] = "";
    Dl_info info;
    if (dladdr((void *)ct_data_path, &info) && info.dli_fname && strstr(info.dli_fname, ".so") &&
        realpath(info.dli_fname, self)) {
        /* libcomptext.so */
    } else {
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = '\0';
    }
    char self_dir[PATH_MAX] = "", prefix_data[PATH_MAX] = "";
    char *slash = strrchr(self, '/');
    if (slash) {
        *slash = '\0';
        snprintf(self_dir, sizeof self_dir, "%s", self);
        char rel[PATH_MAX];
        snprintf(rel, sizeof rel, "%.3800s/../share/comptext", self_dir);
        if (!realpath(rel, prefix_data))
            prefix_data[0] = '\0';
    }
    /* An installed program (in the configured bindir or libdir, or with share/comptext
     * beside its prefix) reads its installed data first; a program in the build tree reads
     * the source tree it was built from first, so that edits there take effect. */
    char bindir[PATH_MAX], libdir[PATH_MAX];
    int installed = (prefix_data[0] && path_exists(prefix_data)) ||
                    (realpath(CT_INSTALL_BINDIR, bindir) && strcmp(bindir, self_dir) == 0) ||
                    (realpath(CT_INSTALL_LIBDIR, libdir) && strcmp(libdir, self_dir) == 0);
    const char *order[4];
    if (installed) {
        order[0] = prefix_data;
        order[1] = CT_INSTALL_DATADIR;
        order[2] = CT_SOURCE_DATADIR;
    } else {
        order[0] = CT_SOURCE_DATADIR;
        order[1] = prefix_data;
        order[2] = CT_INSTALL_DATADIR;
    }
    order[3] = NULL;
    int found = try_dir(out, PATH_MAX, getenv("COMPTEXT_DATADIR"), name);
    for (int i = 0; !found && order[i]; i++)
        found = try_dir(out, PATH_MAX, order[i], name);
    if (found) {
        snprintf(data_cache[slot].name, sizeof data_cache[slot].name, "%s", name);
        result = out;
    } else {
        out[0] = '\0';
    }
done:
    pthread_mutex_unlock(&data_lock);
    return result;
}
