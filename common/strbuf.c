/* strbuf: see strbuf.h. Out of memory ends the program: every caller would
 * otherwise have to unwind a half-built statement or plan. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_reserve(StrBuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        fputs("mvd: out of memory\n", stderr);
        abort();
    }
    b->s = s;
    b->cap = cap;
}

void strbuf_add(StrBuf *b, const char *s, size_t n)
{
    strbuf_reserve(b, n);
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void strbuf_puts(StrBuf *b, const char *s)
{
    strbuf_add(b, s, strlen(s));
}

void strbuf_putc_slow(StrBuf *b, char c)
{
    strbuf_add(b, &c, 1);
}

/* Formats straight into the spare room; only a result that does not fit
 * is formatted a second time. */
void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    strbuf_reserve(b, 128);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, copy);
    va_end(copy);
    if (n <= 0) {
        b->s[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        strbuf_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void strbuf_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void strbuf_clear(StrBuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

bool strbuf_read_file(StrBuf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        strbuf_add(b, chunk, got);
    bool ok = !ferror(f);
    fclose(f);
    return ok;
}

char *strbuf_take(StrBuf *b)
{
    if (!b->s)
        strbuf_reserve(b, 0), b->s[0] = '\0';
    char *s = b->s;
    *b = (StrBuf){0};
    return s;
}

void strbuf_free(StrBuf *b)
{
    free(b->s);
    *b = (StrBuf){0};
}
