/* malloc, calloc, realloc and strdup that end the program when memory
 * runs out: a runtime that would go on with half a query is worse than
 * one that stops. */
#ifndef MVRUN_XALLOC_H
#define MVRUN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
