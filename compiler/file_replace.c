#define _DEFAULT_SOURCE /* realpath */
#include "file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_whole(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int replace_at(const char *target, const char *data, size_t len)
{
    struct stat st;
    if (stat(target, &st) != 0)
        return errno;
    size_t n = strlen(target) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return ENOMEM;
    snprintf(tmp, n, "%s.tmp%ld", target, (long)getpid());
    int err = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        err = errno;
    } else {
        err = write_whole(fd, data, len);
        if (!err && fchmod(fd, st.st_mode & 07777) != 0)
            err = errno;
        if (close(fd) != 0 && !err)
            err = errno;
        if (!err && rename(tmp, target) != 0)
            err = errno;
        if (err)
            unlink(tmp);
    }
    free(tmp);
    return err;
}

int file_replace(const char *path, const char *data, size_t len)
{
    char *real = realpath(path, NULL);
    if (!real)
        return errno;
    int err = replace_at(real, data, len);
    free(real);
    return err;
}
