#define _DEFAULT_SOURCE /* realpath */
#include "base/file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_replace_open(FileReplace *r, const char *path, bool keep_mode)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    /* No realpath for a file not made yet: it is replaced where named. */
    r->target = realpath(path, NULL);
    if (!r->target)
        r->target = strdup(path);
    size_t n = r->target ? strlen(r->target) + 32 : 0;
    r->tmp = r->target ? malloc(n) : NULL;
    if (!r->tmp) {
        free(r->target);
        return ENOMEM;
    }
    snprintf(r->tmp, n, "%s.tmp%ld", r->target, (long)getpid());
    struct stat st;
    r->keep_mode = keep_mode && stat(r->target, &st) == 0;
    r->mode = r->keep_mode ? st.st_mode & 07777 : 0;
    r->fd = open(r->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (r->fd < 0) {
        int err = errno;
        free(r->target);
        free(r->tmp);
        return err;
    }
    return 0;
}

int file_replace_finish(FileReplace *r, int err)
{
    if (!err && r->keep_mode && fchmod(r->fd, r->mode) != 0)
        err = errno;
    if (close(r->fd) != 0 && !err)
        err = errno;
    if (!err && rename(r->tmp, r->target) != 0)
        err = errno;
    if (err)
        unlink(r->tmp);
    free(r->target);
    free(r->tmp);
    return err;
}

int file_replace(const char *path, const char *data, size_t len, bool keep_mode)
{
    FileReplace r;
    int err = file_replace_open(&r, path, keep_mode);
    if (err)
        return err;
    while (len && !err) {
        ssize_t n = write(r.fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            err = n < 0 ? errno : EIO;
        else {
            data += n;
            len -= (size_t)n;
        }
    }
    return file_replace_finish(&r, err);
}
