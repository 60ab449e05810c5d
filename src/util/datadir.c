/* datadir.c — finding shipped data files: $COMPTEXT_DATADIR, the source tree the program
 * was built from, share/comptext beside the executable's prefix, then the configured data
 * directory. The answer is cached per name. */
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
    char exe_dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 1);
    char prefix_data[PATH_MAX] = "";
    if (n > 0) {
        exe_dir[n] = '\0';
        char *slash = strrchr(exe_dir, '/');
        if (slash) {
            *slash = '\0';
            snprintf(prefix_data, sizeof prefix_data, "%.3800s/../share/comptext", exe_dir);
        }
    }
    if (try_dir(out, PATH_MAX, getenv("COMPTEXT_DATADIR"), name) ||
        try_dir(out, PATH_MAX, CT_SOURCE_DATADIR, name) ||
        try_dir(out, PATH_MAX, prefix_data, name) ||
        try_dir(out, PATH_MAX, CT_INSTALL_DATADIR, name)) {
        snprintf(data_cache[slot].name, sizeof data_cache[slot].name, "%s", name);
        result = out;
    } else {
        out[0] = '\0';
    }
done:
    pthread_mutex_unlock(&data_lock);
    return result;
}
