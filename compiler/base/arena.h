/* One arena per compilation: every AST node, name and list comes from it
 * and is released at once by arena_free. Allocation never fails visibly:
 * out of memory aborts with a message, as there is nothing to recover. */
#ifndef MVD_ARENA_H
#define MVD_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;
    char *cur;
    char *end;
    size_t total; /* bytes obtained from malloc, for the benchmarks */
} Arena;

/* A position in an arena; releasing it frees everything allocated after
 * it, so a pass can use an arena as a stack of temporary space. */
typedef struct ArenaMark {
    ArenaBlock *head;
    char *cur;
    char *end;
    size_t total;
} ArenaMark;

void arena_init(Arena *a);
ArenaMark arena_mark(const Arena *a);
void arena_release(Arena *a, ArenaMark m);
void arena_free(Arena *a);
/* Moves everything other holds into a (other is left empty): what a
 * worker thread allocated lives as long as the arena it joins. Marks
 * taken on a before this must not be released. */
void arena_adopt(Arena *a, Arena *other);
void *arena_alloc(Arena *a, size_t size);
void *arena_zalloc(Arena *a, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
