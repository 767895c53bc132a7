#include "syntax/source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

SourceFile *source_from_string(Arena *a, const char *path, const char *text, size_t len)
{
    SourceFile *f = arena_zalloc(a, sizeof(*f));
    f->path = arena_strndup(a, path, strlen(path));
    f->text = text;
    f->len = len;
    return f;
}

/* Maps the file when the page it ends in has room for the NUL sentinel
 * the lexer needs (the kernel zero-fills the rest of that page): no copy,
 * and no fresh memory to clear for large projects. */
static SourceFile *map_file(Arena *a, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    struct stat st;
    long page = sysconf(_SC_PAGESIZE);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 || page <= 0 ||
        st.st_size % page == 0) {
        close(fd);
        return NULL;
    }
    void *text = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (text == MAP_FAILED)
        return NULL;
    SourceFile *f = source_from_string(a, path, text, (size_t)st.st_size);
    f->mapped = (size_t)st.st_size;
    return f;
}

void source_close(SourceFile *f)
{
    if (f->mapped)
        munmap((void *)f->text, f->mapped);
    f->mapped = 0;
}

SourceFile *source_read(Arena *a, const char *path)
{
    SourceFile *mapped = map_file(a, path);
    if (mapped)
        return mapped;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) != 0) {
        fclose(fp);
        return NULL;
    }
    long size = ftell(fp);
    if (size < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return NULL;
    }
    char *text = arena_alloc(a, (size_t)size + 1);
    size_t got = fread(text, 1, (size_t)size, fp);
    int failed = ferror(fp);
    fclose(fp);
    if (failed || got != (size_t)size) {
        errno = EIO;
        return NULL;
    }
    text[got] = 0;
    return source_from_string(a, path, text, got);
}

/* memchr, not a byte loop: a build asks for a line in every file. */
static void build_lines(Arena *a, SourceFile *f)
{
    const char *end = f->text + f->len;
    int n = 1;
    for (const char *p = f->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        n++;
    f->lines = arena_alloc(a, sizeof(uint32_t) * (size_t)n);
    f->nlines = 0;
    f->lines[f->nlines++] = 0;
    for (const char *p = f->text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        f->lines[f->nlines++] = (uint32_t)(p - f->text + 1);
}

static int line_index(Arena *a, SourceFile *f, uint32_t off)
{
    if (!f->lines)
        build_lines(a, f);
    int lo = 0, hi = f->nlines - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (f->lines[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void source_position(Arena *a, SourceFile *f, uint32_t off, int *line, int *col)
{
    int i = line_index(a, f, off);
    *line = i + 1;
    *col = (int)(off - f->lines[i]) + 1;
}

const char *source_line(Arena *a, SourceFile *f, uint32_t off, size_t *len)
{
    int i = line_index(a, f, off);
    const char *start = f->text + f->lines[i];
    const char *end = start;
    while (end < f->text + f->len && *end != '\n')
        end++;
    if (end > start && end[-1] == '\r')
        end--;
    *len = (size_t)(end - start);
    return start;
}

size_t source_invalid_utf8_at(const SourceFile *f)
{
    const unsigned char *s = (const unsigned char *)f->text;
    size_t len = f->len;
    size_t i = 0;
    while (i < len) {
        /* Source is mostly ASCII: skip it eight bytes at a time. */
        uint64_t word;
        if (i + 8 <= len && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ull) == 0)) {
            i += 8;
            continue;
        }
        unsigned char c = s[i];
        int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (extra < 0 || i + (size_t)extra >= len + (extra == 0))
            return i;
        for (int k = 1; k <= extra; k++)
            if ((s[i + (size_t)k] & 0xC0) != 0x80)
                return i;
        i += (size_t)extra + 1;
    }
    return len;
}
