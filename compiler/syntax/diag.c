#include "syntax/diag.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(Diags *d, Arena *a)
{
    memset(d, 0, sizeof(*d));
    d->arena = a;
}

static char *vformat(Arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *s = arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static Diag *report(Diags *d, Severity sev, const char *check, SourceFile *f, Span span,
                    const char *fmt, va_list ap)
{
    Diag *g = arena_zalloc(d->arena, sizeof(*g));
    g->sev = sev;
    g->check = check;
    g->file = f;
    g->span = span;
    g->msg = vformat(d->arena, fmt, ap);
    g->seq = d->list.n;
    *LIST_PUSH(d->arena, &d->list) = g;
    if (sev == SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    return g;
}

Diag *diag_error(Diags *d, const char *check, SourceFile *f, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *g = report(d, SEV_ERROR, check, f, span, fmt, ap);
    va_end(ap);
    return g;
}

Diag *diag_warning(Diags *d, const char *check, SourceFile *f, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *g = report(d, SEV_WARNING, check, f, span, fmt, ap);
    va_end(ap);
    return g;
}

void diag_note(Diags *d, Diag *g, SourceFile *f, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    DiagNote *n = LIST_PUSH(d->arena, &g->notes);
    n->file = f;
    n->span = span;
    n->msg = vformat(d->arena, fmt, ap);
    va_end(ap);
}

/* Files are compared by the order the project loaded them in, which is
 * sorted path order; their addresses say nothing, so compare paths. */
static int compare(const void *x, const void *y)
{
    const Diag *a = *(Diag *const *)x, *b = *(Diag *const *)y;
    int c = strcmp(a->file ? a->file->path : "", b->file ? b->file->path : "");
    if (c)
        return c;
    if (a->span.off != b->span.off)
        return a->span.off < b->span.off ? -1 : 1;
    return a->seq - b->seq;
}

static void sort(Diags *d)
{
    if (d->list.n > 1)
        qsort(d->list.v, (size_t)d->list.n, sizeof(Diag *), compare);
}

/* How a byte sequence is shown: a control byte (tab only where keep_tab)
 * and a byte that is not part of valid UTF-8 as \xHH, the plan's
 * convention (docs/plan-format.md); a name may hold any byte, and none
 * must reach a terminal raw. Returns the bytes of text consumed (the
 * sequence's length, or 1), and the columns it takes in *width. */
static size_t shown(const unsigned char *p, const unsigned char *end, int keep_tab, char out[8],
                    size_t *width)
{
    size_t len = utf8_length(p, end);
    if (len == 0 || (len == 1 && (*p < 0x20 || *p == 0x7f) && !(keep_tab && *p == '\t'))) {
        snprintf(out, 8, "\\x%02x", *p);
        *width = 4;
        return 1;
    }
    memcpy(out, p, len);
    out[len] = '\0';
    *width = 1;
    return len;
}

/* Text from a name, a path or a message, escaped as shown() says. */
static void put_text(FILE *out, const char *s, size_t len, int keep_tab)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        char buf[8];
        size_t width;
        p += shown(p, end, keep_tab, buf, &width);
        fputs(buf, out);
    }
}

const char *diag_escape(Arena *a, const char *s)
{
    size_t len = strlen(s), need = 0;
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        char buf[8];
        size_t width;
        p += shown(p, end, 0, buf, &width);
        need += strlen(buf);
    }
    if (need == len)
        return s;
    char *out = arena_alloc(a, need + 1), *o = out;
    for (p = (const unsigned char *)s; p < end;) {
        char buf[8];
        size_t width;
        p += shown(p, end, 0, buf, &width);
        o = stpcpy(o, buf);
    }
    *o = '\0';
    return out;
}

static void put_str(FILE *out, const char *s)
{
    put_text(out, s, strlen(s), 0);
}

/* The source line, then a caret under the span. Tabs are kept in the
 * caret line and UTF-8 continuation bytes skipped, so the caret lines up
 * in a terminal. A span that runs past its line is cut at the line end. */
static void print_excerpt(Diags *d, FILE *out, SourceFile *f, Span span)
{
    size_t len;
    const char *line = source_line(d->arena, f, span.off, &len);
    size_t start = span.off - (uint32_t)(line - f->text);
    const unsigned char *p = (const unsigned char *)line, *end = p + len;
    fputs("    ", out);
    put_text(out, line, len, 1);
    fputs("\n    ", out);
    size_t span_end = start + (span.len ? span.len : 1), i = 0;
    if (span_end > len)
        span_end = len > start ? len : start + 1;
    for (; i < start && i < len;) {
        char buf[8];
        size_t width;
        size_t n = shown(p + i, end, 1, buf, &width);
        for (size_t k = 0; k < width; k++)
            fputc(p[i] == '\t' ? '\t' : ' ', out);
        i += n;
    }
    fputc('^', out);
    int first = 1;
    for (i = start; i < span_end && i < len;) {
        char buf[8];
        size_t width;
        size_t n = shown(p + i, end, 1, buf, &width);
        for (size_t k = first ? 1 : 0; k < width; k++)
            fputc('~', out);
        first = 0;
        i += n;
    }
    fputc('\n', out);
}

void diag_print_text(Diags *d, FILE *out)
{
    sort(d);
    for (int i = 0; i < d->list.n; i++) {
        Diag *g = d->list.v[i];
        const char *sev = g->sev == SEV_ERROR ? "error" : "warning";
        if (g->file) {
            int line, col;
            source_position(d->arena, g->file, g->span.off, &line, &col);
            put_str(out, g->file->path);
            fprintf(out, ":%d:%d: %s[%s]: ", line, col, sev, g->check);
            put_str(out, g->msg);
            fputc('\n', out);
            print_excerpt(d, out, g->file, g->span);
        } else {
            fprintf(out, "mvdc: %s[%s]: ", sev, g->check);
            put_str(out, g->msg);
            fputc('\n', out);
        }
        for (int j = 0; j < g->notes.n; j++) {
            DiagNote *n = &g->notes.v[j];
            fputs("note: ", out);
            if (n->file) {
                int line, col;
                source_position(d->arena, n->file, n->span.off, &line, &col);
                put_str(out, n->file->path);
                fprintf(out, ":%d:%d: ", line, col);
            }
            put_str(out, n->msg);
            fputc('\n', out);
            if (n->file)
                print_excerpt(d, out, n->file, n->span);
        }
    }
}

static void json_string(FILE *out, const char *s)
{
    diag_json_string(out, s, strlen(s));
}

void diag_json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    const unsigned char *end = (const unsigned char *)s + len;
    for (const unsigned char *p = (const unsigned char *)s; p < end; p++) {
        unsigned char c = *p;
        size_t seq = utf8_length(p, end);
        if (seq == 0) {
            fprintf(out, "\\\\x%02x", c);    /* not UTF-8: the text's \\xHH, so JSON stays valid */
            continue;
        }
        if (seq > 1) {
            fwrite(p, 1, seq, out);
            p += seq - 1;
            continue;
        }
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void json_location(Diags *d, FILE *out, SourceFile *f, Span span)
{
    int line, col, end_line, end_col;
    source_position(d->arena, f, span.off, &line, &col);
    source_position(d->arena, f, span.off + span.len, &end_line, &end_col);
    fputs("\"file\":", out);
    json_string(out, f->path);
    fprintf(out, ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d,", line, col,
            end_line, end_col);
}

void diag_print_json(Diags *d, FILE *out)
{
    sort(d);
    for (int i = 0; i < d->list.n; i++) {
        Diag *g = d->list.v[i];
        fputc('{', out);
        if (g->file)
            json_location(d, out, g->file, g->span);
        fprintf(out, "\"severity\":\"%s\",\"check\":", g->sev == SEV_ERROR ? "error" : "warning");
        json_string(out, g->check);
        fputs(",\"message\":", out);
        json_string(out, g->msg);
        fputs(",\"notes\":[", out);
        for (int j = 0; j < g->notes.n; j++) {
            DiagNote *n = &g->notes.v[j];
            fputs(j ? ",{" : "{", out);
            if (n->file)
                json_location(d, out, n->file, n->span);
            fputs("\"message\":", out);
            json_string(out, n->msg);
            fputc('}', out);
        }
        fputs("]}\n", out);
    }
}
