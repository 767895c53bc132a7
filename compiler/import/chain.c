/* The migration chain: which files, in which order, and their text as the
 * migration tool would hand it to ClickHouse.
 *
 * A folder is searched recursively for *.sql files, read in sorted path
 * order (the order every migration tool uses for numbered files); the
 * down half of golang-migrate pairs (*.down.sql) is left out. In a goose
 * file only the `-- +goose Up` part runs; the rest is blanked, so that
 * lines and columns still match the file. `${VAR}` (and bun's `?VAR`) is
 * replaced by the value --define gave it; bun's `--migration:split` lines
 * separate statements. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "import/imp.h"

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool collect_dir(Import *im, const char *dir, PathList *out)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "mvdc: cannot read %s: %s\n", dir, strerror(errno));
        return false;
    }
    PathList names = {0};
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        *LIST_PUSH(&im->arena, &names) = arena_printf(&im->arena, "%s/%s", dir, e->d_name);
    }
    closedir(dh);
    if (names.n)
        qsort(names.v, (size_t)names.n, sizeof(char *), by_path);
    bool ok = true;
    for (int i = 0; ok && i < names.n; i++) {
        struct stat st;
        if (stat(names.v[i], &st) != 0)
            continue; /* a dangling link */
        if (S_ISDIR(st.st_mode))
            ok = collect_dir(im, names.v[i], out);
        else if (ends_with(names.v[i], ".sql") && !ends_with(names.v[i], ".down.sql"))
            *LIST_PUSH(&im->arena, out) = names.v[i];
    }
    return ok;
}

bool chain_collect(Import *im, const char *path, PathList *out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "mvdc: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        *LIST_PUSH(&im->arena, out) = arena_strndup(&im->arena, path, strlen(path));
        return true;
    }
    return collect_dir(im, path, out);
}

/* The line starting at i is a goose annotation `-- +goose WORD`. */
static bool goose_line(const char *s, size_t i, const char *word)
{
    if (strncmp(s + i, "--", 2) != 0)
        return false;
    i += 2;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (strncmp(s + i, "+goose", 6) != 0)
        return false;
    i += 6;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    size_t n = strlen(word);
    return strncasecmp(s + i, word, n) == 0;
}

/* Blanks everything outside `-- +goose Up` ... `-- +goose Down`. */
static void goose_up_only(char *s, size_t len)
{
    bool goose = false;
    for (size_t i = 0; i < len; i = i + strcspn(s + i, "\n") + 1)
        if (goose_line(s, i, "Up") || goose_line(s, i, "Down"))
            goose = true;
    if (!goose)
        return;
    bool keep = false;
    for (size_t i = 0; i < len;) {
        size_t end = i + strcspn(s + i, "\n");
        if (goose_line(s, i, "Up"))
            keep = true;
        else if (goose_line(s, i, "Down"))
            keep = false;
        else if (!keep)
            for (size_t k = i; k < end; k++)
                s[k] = ' ';
        i = end + 1;
    }
}

static const char *define_of(Import *im, const char *name, size_t n)
{
    for (int i = 0; i < im->defines.n; i++)
        if (strlen(im->defines.v[i].name) == n && strncmp(im->defines.v[i].name, name, n) == 0)
            return im->defines.v[i].value;
    return NULL;
}

static bool word_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ${VAR} replaced; an unknown VAR is kept (and then reported by the
 * lexer at its place, with the hint from chain_read). Go's bun migrations
 * write ?VAR: replaced too when VAR is defined. */
static char *substitute(Import *im, const char *s, size_t len, size_t *out_len, bool *unknown)
{
    StrBuf b = {0};
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            size_t n = strcspn(s + i + 2, "}\n");
            const char *v = i + 2 + n < len && s[i + 2 + n] == '}' ? define_of(im, s + i + 2, n) : NULL;
            if (v) {
                strbuf_puts(&b, v);
                i += n + 2;
                continue;
            }
            *unknown = true;
        }
        if (s[i] == '?' && i + 1 < len && word_char(s[i + 1])) {
            size_t n = 1;
            while (i + 1 + n < len && word_char(s[i + 1 + n]))
                n++;
            const char *v = define_of(im, s + i + 1, n);
            if (v) {
                strbuf_puts(&b, v);
                i += n;
                continue;
            }
        }
        strbuf_putc(&b, s[i]);
    }
    *out_len = b.len;
    char *text = arena_strndup(&im->arena, strbuf_str(&b), b.len);
    strbuf_free(&b);
    return text;
}

/* bun's migrations separate statements with a `--migration:split` line
 * rather than `;`: it becomes a `;` (the rest blanked, columns kept). */
static void bun_splits(char *s)
{
    static const char mark[] = "--migration:split";
    for (char *p = strstr(s, mark); p; p = strstr(p, mark)) {
        p[0] = ';';
        memset(p + 1, ' ', sizeof(mark) - 2);
        p += sizeof(mark) - 1;
    }
}

SourceFile *chain_read(Import *im, const char *path)
{
    StrBuf b = {0};
    if (!strbuf_read_file(&b, path)) {
        fprintf(stderr, "mvdc: cannot read %s: %s\n", path, strerror(errno));
        strbuf_free(&b);
        return NULL;
    }
    size_t len = 0;
    bool unknown = false;
    char *text = substitute(im, strbuf_str(&b), b.len, &len, &unknown);
    strbuf_free(&b);
    goose_up_only(text, len);
    bun_splits(text);
    SourceFile *f = source_from_string(&im->arena, path, text, len);
    if (unknown) {
        const char *at = strstr(text, "${");
        Diag *g = diag_error(&im->diags, "import", f, (Span){(uint32_t)(at - text), 2},
                             "a template variable without a value");
        diag_note(&im->diags, g, NULL, (Span){0}, "give it one with --define NAME=VALUE");
    }
    return f;
}
