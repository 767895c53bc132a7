/* sqlquote: see sqlquote.h. */
#include "sqlquote.h"
#include "hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sql_string(StrBuf *b, const char *text)
{
    strbuf_putc(b, '\'');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '\'': strbuf_puts(b, "\\'"); break;
        case '\\': strbuf_puts(b, "\\\\"); break;
        case '\n': strbuf_puts(b, "\\n"); break;
        case '\t': strbuf_puts(b, "\\t"); break;
        case '\r': strbuf_puts(b, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                strbuf_printf(b, "\\x%02x", *p);
            else
                strbuf_putc(b, (char)*p);
        }
    }
    strbuf_putc(b, '\'');
}

void sql_ident(StrBuf *b, const char *name)
{
    strbuf_putc(b, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`' || *p == '\\')
            strbuf_putc(b, '\\');
        strbuf_putc(b, *p);
    }
    strbuf_putc(b, '`');
}

void sql_qualified(StrBuf *b, const char *db, const char *name)
{
    sql_ident(b, db);
    strbuf_putc(b, '.');
    sql_ident(b, name);
}

int sql_unquote_string(const char *text, char **out)
{
    *out = NULL;
    size_t n = strlen(text);
    if (n < 2 || text[0] != '\'' || text[n - 1] != '\'')
        return -1;
    StrBuf b = {0};
    for (size_t i = 1; i < n - 1; i++) {
        char c = text[i];
        if (c == '\'') {
            if (i + 1 < n - 1 && text[i + 1] == '\'') {      /* '' */
                strbuf_putc(&b, '\'');
                i++;
                continue;
            }
            strbuf_free(&b);
            return -1;
        }
        if (c != '\\') {
            strbuf_putc(&b, c);
            continue;
        }
        if (++i >= n - 1) {
            strbuf_free(&b);
            return -1;
        }
        switch (text[i]) {
        case 'n': strbuf_putc(&b, '\n'); break;
        case 't': strbuf_putc(&b, '\t'); break;
        case 'r': strbuf_putc(&b, '\r'); break;
        case '0': strbuf_putc(&b, '\0'); break;
        case 'b': strbuf_putc(&b, '\b'); break;
        case 'f': strbuf_putc(&b, '\f'); break;
        case 'x': {
            int hi = i + 1 < n - 1 ? hex_value(text[i + 1]) : -1;
            int lo = i + 2 < n - 1 ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                strbuf_free(&b);
                return -1;
            }
            strbuf_putc(&b, (char)(hi * 16 + lo));
            i += 2;
            break;
        }
        default: strbuf_putc(&b, text[i]);
        }
    }
    *out = strbuf_take(&b);
    return 0;
}
