#include "project/library.h"

#include "project/project.h"

int library_load(Project *p, const char *dir)
{
    size_t before = (size_t)p->files.n;
    if (dir) {
        char *paths[1] = {(char *)dir};
        if (!project_load(p, paths, 1))
            return 0;
    } else {
        for (const EmbeddedFile *f = stdlib_files; f->path; f++) {
            const char *path = arena_printf(&p->arena, "<stdlib>/%s", f->path);
            project_load_text(p, path, f->text, f->len);
        }
    }
    for (size_t i = before; i < (size_t)p->files.n; i++)
        p->files.v[i]->builtin = true;
    return 1;
}
