#define _DEFAULT_SOURCE /* realpath */
#include "project/project.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "project/library.h"
#include "syntax/parse.h"

void project_init(Project *p)
{
    memset(p, 0, sizeof(*p));
    arena_init(&p->arena);
    arena_init(&p->scratch);
    diag_init(&p->diags, &p->arena);
    strmap_init(&p->objects, &p->arena);
    strmap_init(&p->databases, &p->arena);
    strmap_init(&p->functions, &p->arena);
    strmap_init(&p->functions_ci, &p->arena);
    types_init(&p->types, &p->arena);
}

void project_free(Project *p)
{
    for (int i = 0; i < p->files.n; i++)
        source_close(p->files.v[i]);
    arena_free(&p->scratch);
    arena_free(&p->arena);
}

/* ---- Finding the files ---- */

typedef LIST_OF(char *) PathList;

static bool has_mvd_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".mvd") == 0;
}

/* The directories from a top path down to the one being read, to tell a
 * symbolic link that leads back up (`ln -s .. src/up`) from a tree. */
typedef struct Ancestors {
    dev_t dev[64];
    ino_t ino[64];
    int n;
} Ancestors;

static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket" : S_ISCHR(m) || S_ISBLK(m) ? "a device"
                                                                                         : "not a regular file";
}

/* A path in a message: a file name may hold any byte (syntax/diag.h). */
static const char *shown(Project *p, const char *path)
{
    return diag_escape(&p->arena, path);
}

/* Every entry that could be a source is read or refused, never skipped:
 * a source left out silently would have the plan drop what it declared. */
static bool collect(Project *p, const char *path, PathList *out, bool top, Ancestors *up)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        int err = errno;
        struct stat link;
        if (err == ENOENT && lstat(path, &link) == 0 && S_ISLNK(link.st_mode))
            fprintf(stderr, "mvdc: cannot read '%s': a symbolic link to something that does not exist\n",
                    shown(p, path));
        else if (err == ELOOP)
            fprintf(stderr, "mvdc: cannot read '%s': a loop of symbolic links\n", shown(p, path));
        else
            fprintf(stderr, "mvdc: cannot read '%s': %s\n", shown(p, path), strerror(err));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (!top && !has_mvd_suffix(path))
            return true;
        if (!S_ISREG(st.st_mode)) {
            fprintf(stderr, "mvdc: cannot read '%s': %s, not a source file\n", shown(p, path),
                    file_kind(st.st_mode));
            return false;
        }
        *LIST_PUSH(&p->arena, out) = arena_strndup(&p->arena, path, strlen(path));
        return true;
    }
    if (has_mvd_suffix(path)) {
        fprintf(stderr, "mvdc: cannot read '%s': a directory, and a name ending in .mvd is for source files\n",
                shown(p, path));
        return false;
    }
    for (int i = 0; i < up->n; i++)
        if (up->dev[i] == st.st_dev && up->ino[i] == st.st_ino) {
            fprintf(stderr, "mvdc: cannot read '%s': a symbolic link back to a directory above it (a loop)\n",
                    shown(p, path));
            return false;
        }
    if (up->n == (int)(sizeof up->dev / sizeof up->dev[0])) {
        fprintf(stderr, "mvdc: cannot read '%s': directories nested more than 64 deep\n", shown(p, path));
        return false;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        int err = errno;
        fprintf(stderr, "mvdc: cannot read directory '%s': %s\n", shown(p, path), strerror(err));
        return false;
    }
    up->dev[up->n] = st.st_dev;
    up->ino[up->n++] = st.st_ino;
    bool ok = true;
    struct dirent *e;
    size_t plen = strlen(path);
    const char *sep = plen && path[plen - 1] == '/' ? "" : "/";
    while (ok && (e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden entries such as .git */
        ok = collect(p, arena_printf(&p->arena, "%s%s%s", path, sep, e->d_name), out, false, up);
    }
    up->n--;
    closedir(dir);
    return ok;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- Default databases ---- */

static void assign_default_databases(Project *p)
{
    SourceFile *file = NULL;
    Name current = {0};
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (d->file != file) {
            file = d->file;
            current = (Name){0};
        }
        if (d->kind == DECL_DATABASE) {
            current = d->name.name;
            strmap_put(&p->databases, current.s, current.len, d);
        }
        d->default_db = current;
    }
}

static void add_source(Project *p, SourceFile *f)
{
    *LIST_PUSH(&p->arena, &p->files) = f;
    parse_file(&p->arena, &p->diags, f, &p->decls);
}

void project_load_text(Project *p, const char *path, const char *text, size_t len)
{
    add_source(p, source_from_string(&p->arena, path, text, len));
    assign_default_databases(p);
}

bool project_load(Project *p, char *const *paths, int npaths)
{
    PathList files = {0};
    for (int i = 0; i < npaths; i++)
        if (!collect(p, paths[i], &files, true, &(Ancestors){.n = 0}))
            return false;
    if (files.n > 1)
        qsort(files.v, (size_t)files.n, sizeof(char *), compare_paths);
    StrMap seen;
    strmap_init(&seen, &p->arena);
    int first = p->files.n; /* the standard library's files come before */
    for (int i = 0; i < files.n; i++) {
        /* The same file named twice (p and ./p/b.mvd) is read once. */
        char *real = realpath(files.v[i], NULL);
        const char *key = real ? arena_strndup(&p->arena, real, strlen(real)) : files.v[i];
        free(real);
        if (strmap_put(&seen, key, strlen(key), files.v[i]) != files.v[i])
            continue;
        SourceFile *f = source_read(&p->arena, files.v[i]);
        if (!f) {
            int err = errno;
            fprintf(stderr, "mvdc: cannot read '%s': %s\n", shown(p, files.v[i]), strerror(err));
            return false;
        }
        *LIST_PUSH(&p->arena, &p->files) = f;
    }
    parse_files(p, p->files.v + first, p->files.n - first);
    assign_default_databases(p);
    return true;
}

bool project_load_library(Project *p, const char *dir)
{
    return library_load(p, dir) != 0;
}

Object *project_function(Project *p, Name name)
{
    Object *o = strmap_get(&p->functions, name.s, name.len);
    if (o || name.len > 128)
        return o;
    char lower[128];
    for (uint32_t i = 0; i < name.len; i++)
        lower[i] = (char)tolower((unsigned char)name.s[i]);
    return strmap_get(&p->functions_ci, lower, name.len);
}

/* ---- Names ---- */

/* Option names are words of the language: any case will do. */
static bool name_is_ci(Name a, const char *s)
{
    return a.len == strlen(s) && strncasecmp(a.s, s, a.len) == 0;
}

Name project_db_of(const Decl *decl, const QName *q)
{
    return q->db.s ? q->db : decl->default_db;
}

Object *project_lookup(Project *p, Name db, Name name)
{
    if (!db.s)
        return NULL;
    enum { MAX_KEY = 512 };
    char small[MAX_KEY];
    size_t len = (size_t)db.len + 1 + name.len;
    /* A longer name is rare, and still a name: looked up all the same
     * (else it was "not found", and "did you mean" offered it back). */
    char *key = len <= MAX_KEY ? small : malloc(len);
    if (!key)
        return NULL;
    memcpy(key, db.s, db.len);
    key[db.len] = '.';
    memcpy(key + db.len + 1, name.s, name.len);
    Object *o = strmap_get(&p->objects, key, len);
    if (key != small)
        free(key);
    return o;
}

/* ---- Options ---- */

static const char *literal_text(Project *p, Decl *d, Expr *e)
{
    const char *s = d->file->text + e->span.off;
    if (e->kind == EX_STRING)
        return arena_strndup(&p->arena, s + 1, e->span.len - 2);
    return arena_strndup(&p->arena, s, e->span.len);
}

static bool parse_version(const char *s, int *major, int *minor)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != '.' || a <= 0 || a > 1000)
        return false;
    const char *m = end + 1;
    long b = strtol(m, &end, 10);
    if (end == m || b < 0 || b > 1000)
        return false;
    while (*end == '.' && end[1] >= '0' && end[1] <= '9')
        strtol(end + 1, &end, 10); /* 24.8.1.5: the patch level does not gate syntax */
    if (*end)
        return false;
    *major = (int)a;
    *minor = (int)b;
    return true;
}

static bool option_name_ok(const char *s, bool cluster);

/* option keep_versions = N: how many earlier versions of each object a
 * plan still upgrades from (docs/plan-format.md, "Retention"). */
static void read_keep_versions(Project *p, Decl *d, Expr *v)
{
    long n = -1;
    if (v->kind == EX_INTEGER) {
        char *end;
        n = strtol(d->file->text + v->span.off, &end, 10);
        if (end != d->file->text + v->span.off + v->span.len)
            n = -1;
    }
    if (n < 1 || n > 1000) {
        diag_error(&p->diags, "option", d->file, v->span,
                   "option keep_versions takes a number of versions from 1 to 1000, such as 20");
        return;
    }
    p->options.keep = (int)n;
    p->options.keep_versions = d;
}

static void read_option(Project *p, Decl *d)
{
    Decl **slot = NULL;
    if (name_is_ci(d->name.name, "cluster"))
        slot = &p->options.cluster;
    else if (name_is_ci(d->name.name, "clickhouse"))
        slot = &p->options.clickhouse;
    else if (name_is_ci(d->name.name, "registry"))
        slot = &p->options.registry;
    else if (name_is_ci(d->name.name, "keep_versions"))
        slot = &p->options.keep_versions;
    if (!slot) {
        Diag *g = diag_error(&p->diags, "option", d->file, d->name.name.span, "unknown option '%.*s'",
                             (int)d->name.name.len, d->name.name.s);
        diag_note(&p->diags, g, NULL, (Span){0},
                  "the options are cluster, clickhouse, registry and keep_versions");
        return;
    }
    if (*slot) {
        Diag *g = diag_error(&p->diags, "duplicate", d->file, d->name.name.span,
                             "option '%.*s' is set twice", (int)d->name.name.len, d->name.name.s);
        diag_note(&p->diags, g, (*slot)->file, (*slot)->name.name.span, "first set here");
        return;
    }
    Expr *v = d->body;
    if (slot == &p->options.keep_versions) {
        read_keep_versions(p, d, v);
        return;
    }
    bool version = slot == &p->options.clickhouse;
    if (v->kind != EX_STRING && !(version && v->kind == EX_FLOAT)) {
        diag_error(&p->diags, "option", d->file, v->span, "option '%.*s' takes a string literal, such as %s",
                   (int)d->name.name.len, d->name.name.s,
                   version ? "'24.8'" : slot == &p->options.cluster ? "'analytics'" : "'_mvd'");
        return;
    }
    const char *text = literal_text(p, d, v);
    if (slot == &p->options.clickhouse &&
        !parse_version(text, &p->options.version_major, &p->options.version_minor)) {
        diag_error(&p->diags, "option", d->file, v->span,
                   "option clickhouse needs a version such as '24.8', not '%s'", text);
        return;
    }
    if (slot != &p->options.clickhouse && !*text) {
        diag_error(&p->diags, "option", d->file, v->span, "option '%.*s' cannot be empty",
                   (int)d->name.name.len, d->name.name.s);
        return;
    }
    if (slot != &p->options.clickhouse && !option_name_ok(text, slot == &p->options.cluster)) {
        Diag *g = diag_error(&p->diags, "option", d->file, v->span, "option '%.*s' must be a plain name",
                             (int)d->name.name.len, d->name.name.s);
        diag_note(&p->diags, g, NULL, (Span){0}, "%s",
                  slot == &p->options.cluster ? "a cluster's name is letters, digits, '_', '-' and '.'"
                                              : "a registry's name is letters, digits and '_', not starting with a digit");
        return;
    }
    *slot = d;
}

/* The registry and the cluster are written into the plan's manifest and
 * into mvrun's own SQL: names such as a server's configuration allows,
 * never a byte that could end a line or close a quote. */
static bool option_name_ok(const char *s, bool cluster)
{
    if (!cluster && !ast_plain_chars(s, (uint32_t)strlen(s)))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && !(cluster && (*s == '-' || *s == '.')))
            return false;
    return true;
}

/* mvrun owns the registry database: a managed database of that name, or a
 * `drop table` inside it, would have the plan change mvrun's own records
 * (and its lock table) under it. */
void project_check_registry(Project *p)
{
    Decl *opt = p->options.registry;
    const char *registry = opt ? literal_text(p, opt, opt->body) : "_mvd";
    size_t len = strlen(registry);
    Decl *db = strmap_get(&p->databases, registry, len);
    if (db) {
        Diag *g = diag_error(&p->diags, "option", db->file, db->name.name.span,
                             "database '%s' is mvrun's registry: it cannot also be a managed database", registry);
        if (opt)
            diag_note(&p->diags, g, opt->file, opt->body->span, "the registry is named here");
        diag_note(&p->diags, g, NULL, (Span){0}, "choose another name for the database, or set `option registry`");
    }
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (d->kind != DECL_DROP_TABLE)
            continue;
        Name in = project_db_of(d, &d->name);
        if (in.s && in.len == len && memcmp(in.s, registry, len) == 0)
            diag_error(&p->diags, "option", d->file, d->name.span,
                       "'%s' is mvrun's registry: a plan never drops its tables", registry);
    }
}

void project_read_options(Project *p)
{
    p->options.version_major = 24;
    p->options.version_minor = 8;
    p->options.keep = PROJECT_KEEP_VERSIONS;
    for (int i = 0; i < p->decls.n; i++)
        if (p->decls.v[i]->kind == DECL_OPTION)
            read_option(p, p->decls.v[i]);
}
