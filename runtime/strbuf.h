/* strbuf: a growing, always NUL-terminated byte string, for the SQL mvrun
 * builds (registry and state queries) and for its reports. Running out of
 * memory ends the program with a message (xmalloc): a runtime that would
 * go on with half a query is worse than one that stops. */
#ifndef MVRUN_STRBUF_H
#define MVRUN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct StrBuf {
    char *data;     /* NUL-terminated; NULL until the first add */
    size_t len;
    size_t cap;
} StrBuf;

#define STRBUF_INIT {NULL, 0, 0}

void sb_add(StrBuf *b, const char *s, size_t n);
void sb_adds(StrBuf *b, const char *s);
void sb_addc(StrBuf *b, char c);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* The text so far ("" when empty); valid until the next add. */
const char *sb_str(const StrBuf *b);
void sb_clear(StrBuf *b);
/* Hands the text to the caller (free it) and empties b. */
char *sb_take(StrBuf *b);
void sb_free(StrBuf *b);

/* malloc/calloc/realloc/strdup that end the program when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
