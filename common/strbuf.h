/* strbuf: a growable byte buffer for building text (SQL, plans, reports).
 * Always NUL-terminated after the first write; free with strbuf_free. */
#ifndef MVD_STRBUF_H
#define MVD_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct StrBuf {
    char *s;
    size_t len;
    size_t cap;
} StrBuf;

void strbuf_add(StrBuf *b, const char *s, size_t n);
void strbuf_puts(StrBuf *b, const char *s);
void strbuf_putc_slow(StrBuf *b, char c);
/* Room for extra more bytes and the NUL. */
void strbuf_reserve(StrBuf *b, size_t extra);

/* One byte; inline, as printers call it for most of what they write. */
static inline void strbuf_putc(StrBuf *b, char c)
{
    if (b->len + 2 <= b->cap) {
        b->s[b->len++] = c;
        b->s[b->len] = '\0';
    } else {
        strbuf_putc_slow(b, c);
    }
}
void strbuf_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* The text so far ("" before the first write). */
static inline const char *strbuf_str(const StrBuf *b)
{
    return b->s ? b->s : "";
}
/* Empties b, keeping its memory. */
void strbuf_clear(StrBuf *b);
/* Appends the whole file at path; false (errno set) when it cannot be
 * opened or read. */
bool strbuf_read_file(StrBuf *b, const char *path);
/* Hands over the text (never NULL) and leaves b empty. */
char *strbuf_take(StrBuf *b);
void strbuf_free(StrBuf *b);

#endif
