/* tsv: see tsv.h. TabSeparated escapes \t \n \\ and a few more with a
 * backslash; NULL is \N (mvrun's queries select no Nullable column). */
#include "tsv.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static char unescape(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'a': return '\a';
    case 'v': return '\v';
    default: return c;      /* \\ \' \N ... stand for themselves */
    }
}

static char *field(const char *s, size_t n)
{
    StrBuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            strbuf_putc(&b, unescape(s[++i]));
        else
            strbuf_putc(&b, s[i]);
    }
    return strbuf_take(&b);
}

static void add_row(Tsv *t, size_t *cap, const char *line, size_t n)
{
    if (t->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        t->rows = xrealloc(t->rows, *cap * sizeof *t->rows);
    }
    TsvRow *row = &t->rows[t->n++];
    row->n = 1;
    for (size_t i = 0; i < n; i++)
        if (line[i] == '\t')
            row->n++;
    row->fields = xmalloc(row->n * sizeof *row->fields);
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || line[i] == '\t') {
            row->fields[k++] = field(line + start, i - start);
            start = i + 1;
        }
    }
}

int tsv_parse(const char *body, size_t len, Tsv *out)
{
    size_t cap = 0, start = 0;
    out->rows = NULL;
    out->n = 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '\n') {
            add_row(out, &cap, body + start, i - start);
            start = i + 1;
        }
    }
    if (start != len) {
        tsv_free(out);
        return -1;
    }
    return 0;
}

void tsv_free(Tsv *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; k < t->rows[i].n; k++)
            free(t->rows[i].fields[k]);
        free(t->rows[i].fields);
    }
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
}
