#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "base/arena.h"

#include <sys/mman.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t mapped; /* bytes mapped with mmap, 0: from malloc */
    max_align_t align[];
};

/* Blocks grow with the arena so that a 100k-object project makes a few
 * hundred mallocs, not millions. */
enum { MIN_BLOCK = 64 * 1024, MAX_BLOCK = 16 * 1024 * 1024 };

/* Big blocks are mapped and asked for huge pages: a 10k-object build
 * touches a hundred megabytes, and faulting them in 4 KiB at a time cost
 * more than a tenth of its time. Without huge pages this is plain mmap. */
enum { HUGE_BLOCK = 2 * 1024 * 1024 };

static ArenaBlock *block_new(size_t bytes)
{
    ArenaBlock *b = NULL;
    size_t mapped = 0;
    if (bytes >= HUGE_BLOCK) {
        mapped = (bytes + HUGE_BLOCK - 1) & ~(size_t)(HUGE_BLOCK - 1);
        void *p = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
            madvise(p, mapped, MADV_HUGEPAGE);
#endif
            b = p;
        } else {
            mapped = 0;
        }
    }
    if (!b)
        b = malloc(bytes);
    if (!b) {
        fprintf(stderr, "mvdc: out of memory\n");
        exit(70);
    }
    b->mapped = mapped;
    return b;
}

static void block_free(ArenaBlock *b)
{
    if (b->mapped)
        munmap(b, b->mapped);
    else
        free(b);
}

void arena_init(Arena *a)
{
    memset(a, 0, sizeof(*a));
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        block_free(b);
        b = next;
    }
    memset(a, 0, sizeof(*a));
}

void arena_adopt(Arena *a, Arena *other)
{
    if (!other->head)
        return;
    if (!a->head) {
        *a = *other;
    } else {
        /* Behind a's current block, which stays the one it allocates from. */
        ArenaBlock *last = other->head;
        while (last->next)
            last = last->next;
        last->next = a->head->next;
        a->head->next = other->head;
        a->total += other->total;
    }
    memset(other, 0, sizeof(*other));
}

ArenaMark arena_mark(const Arena *a)
{
    return (ArenaMark){a->head, a->cur, a->end, a->total};
}

void arena_release(Arena *a, ArenaMark m)
{
    while (a->head != m.head) {
        ArenaBlock *next = a->head->next;
        block_free(a->head);
        a->head = next;
    }
    a->cur = m.cur;
    a->end = m.end;
    a->total = m.total; /* block sizes follow what is in use, not what was */
}

static void new_block(Arena *a, size_t need)
{
    size_t size = a->total < MIN_BLOCK ? MIN_BLOCK : a->total;
    if (size > MAX_BLOCK)
        size = MAX_BLOCK;
    if (size < need)
        size = need;
    ArenaBlock *b = block_new(sizeof(ArenaBlock) + size);
    b->next = a->head;
    a->head = b;
    a->cur = (char *)b->align;
    a->end = a->cur + size;
    a->total += size;
}

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (!a->cur || (size_t)(a->end - a->cur) < size)
        new_block(a, size);
    void *p = a->cur;
    a->cur += size;
    return p;
}

void *arena_zalloc(Arena *a, size_t size)
{
    void *p = arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
