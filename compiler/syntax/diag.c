#include "syntax/diag.h"

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

/* The source line, then a caret under the span. Tabs are kept in the
 * caret line and UTF-8 continuation bytes skipped, so the caret lines up
 * in a terminal. A span that runs past its line is cut at the line end. */
static void print_excerpt(Diags *d, FILE *out, SourceFile *f, Span span)
{
    size_t len;
    const char *line = source_line(d->arena, f, span.off, &len);
    size_t start = span.off - (uint32_t)(line - f->text);
    fprintf(out, "    %.*s\n    ", (int)len, line);
    for (size_t i = 0; i < start && i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c & 0xC0) != 0x80)
            fputc(c == '\t' ? '\t' : ' ', out);
    }
    size_t end = start + (span.len ? span.len : 1);
    if (end > len)
        end = len > start ? len : start + 1;
    fputc('^', out);
    for (size_t i = start + 1; i < end; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            fputc('~', out);
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
            fprintf(out, "%s:%d:%d: %s[%s]: %s\n", g->file->path, line, col, sev, g->check, g->msg);
            print_excerpt(d, out, g->file, g->span);
        } else {
            fprintf(out, "mvdc: %s[%s]: %s\n", sev, g->check, g->msg);
        }
        for (int j = 0; j < g->notes.n; j++) {
            DiagNote *n = &g->notes.v[j];
            if (!n->file) {
                fprintf(out, "note: %s\n", n->msg);
                continue;
            }
            int line, col;
            source_position(d->arena, n->file, n->span.off, &line, &col);
            fprintf(out, "note: %s:%d:%d: %s\n", n->file->path, line, col, n->msg);
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
    for (const char *end = s + len; s < end; s++) {
        unsigned char c = (unsigned char)*s;
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
