/* Replacing a file whole or not at all (mvdc fmt): the new bytes go to a
 * temporary file beside it, renamed over it once they are all on disk,
 * so an interrupted rewrite leaves the old file, never half of the new. */
#ifndef MVD_FILE_REPLACE_H
#define MVD_FILE_REPLACE_H

#include <stddef.h>

/* Through a symbolic link the file it names is replaced and the link kept;
 * the file keeps its permission bits. Returns 0, or errno when nothing
 * was changed. */
int file_replace(const char *path, const char *data, size_t len);

#endif
