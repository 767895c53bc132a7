/* Replacing a file whole or not at all (the plan, `mvdc fmt`): the new
 * bytes go to a temporary file beside it, renamed over it once they are
 * all written, so an interrupted rewrite leaves the old file (or none),
 * never half of the new. Through a symbolic link the file it names is
 * replaced and the link kept. */
#ifndef MVD_FILE_REPLACE_H
#define MVD_FILE_REPLACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct FileReplace {
    int fd;        /* the temporary file, to write to */
    char *target;  /* the file it replaces */
    char *tmp;
    bool keep_mode;
    mode_t mode;   /* the target's permission bits, when kept */
} FileReplace;

/* Opens the temporary file for path (which need not exist yet). With
 * keep_mode, the replaced file keeps its permission bits; otherwise the
 * new one gets the usual 0666 less the umask. Returns 0 or an errno. */
int file_replace_open(FileReplace *r, const char *path, bool keep_mode);
/* err 0: renames the temporary file over the target; otherwise (or when
 * that fails) removes it and leaves the target as it was. Frees r's
 * state; returns the first errno, or 0. */
int file_replace_finish(FileReplace *r, int err);

/* Both, for bytes already in memory. */
int file_replace(const char *path, const char *data, size_t len, bool keep_mode);

#endif
