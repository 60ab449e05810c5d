/* fuzz_common.h — helpers shared by the libFuzzer targets.
 *
 * The corpus, stopword and chrome readers take paths, so each target hands them the fuzz
 * input as a file: an anonymous memfd (named through /proc/self/fd) when the path's name
 * does not matter, or a file in a private temporary directory when it does (a manifest must
 * be called manifest.tsv inside a corpus directory). Nothing here changes the readers. */
#ifndef CT_FUZZ_COMMON_H
#define CT_FUZZ_COMMON_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Write data to fd from the start, truncating what was there; abort on failure (a broken
 * harness must not look like a clean run). */
static inline void fuzz_rewrite(int fd, const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
        abort();
    while (size) {
        ssize_t n = write(fd, data, size);
        if (n <= 0)
            abort();
        data += n;
        size -= (size_t)n;
    }
}

/* A memfd holding data, with its /proc path in path (size ≥ 64). Returns the fd. */
static inline int fuzz_memfd(const char *name, const uint8_t *data, size_t size, char *path,
                             size_t path_size)
{
    int fd = memfd_create(name, 0);
    if (fd < 0)
        abort();
    fuzz_rewrite(fd, data, size);
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}

/* Write data to a named file (created or truncated). */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    fuzz_rewrite(fd, data, size);
    close(fd);
}

#endif
