/* sqlquote: see sqlquote.h. */
#include "sqlquote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sql_string(StrBuf *b, const char *text)
{
    sb_addc(b, '\'');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        switch (*p) {
        case '\'': sb_adds(b, "\\'"); break;
        case '\\': sb_adds(b, "\\\\"); break;
        case '\n': sb_adds(b, "\\n"); break;
        case '\t': sb_adds(b, "\\t"); break;
        case '\r': sb_adds(b, "\\r"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                sb_printf(b, "\\x%02x", *p);
            else
                sb_addc(b, (char)*p);
        }
    }
    sb_addc(b, '\'');
}

void sql_ident(StrBuf *b, const char *name)
{
    sb_addc(b, '`');
    for (const char *p = name; *p; p++) {
        if (*p == '`' || *p == '\\')
            sb_addc(b, '\\');
        sb_addc(b, *p);
    }
    sb_addc(b, '`');
}

void sql_qualified(StrBuf *b, const char *db, const char *name)
{
    sql_ident(b, db);
    sb_addc(b, '.');
    sql_ident(b, name);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int sql_unquote_string(const char *text, char **out)
{
    *out = NULL;
    size_t n = strlen(text);
    if (n < 2 || text[0] != '\'' || text[n - 1] != '\'')
        return -1;
    StrBuf b = STRBUF_INIT;
    for (size_t i = 1; i < n - 1; i++) {
        char c = text[i];
        if (c == '\'') {
            if (i + 1 < n - 1 && text[i + 1] == '\'') {      /* '' */
                sb_addc(&b, '\'');
                i++;
                continue;
            }
            sb_free(&b);
            return -1;
        }
        if (c != '\\') {
            sb_addc(&b, c);
            continue;
        }
        if (++i >= n - 1) {
            sb_free(&b);
            return -1;
        }
        switch (text[i]) {
        case 'n': sb_addc(&b, '\n'); break;
        case 't': sb_addc(&b, '\t'); break;
        case 'r': sb_addc(&b, '\r'); break;
        case '0': sb_addc(&b, '\0'); break;
        case 'b': sb_addc(&b, '\b'); break;
        case 'f': sb_addc(&b, '\f'); break;
        case 'x': {
            int hi = i + 1 < n - 1 ? hex_value(text[i + 1]) : -1;
            int lo = i + 2 < n - 1 ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                sb_free(&b);
                return -1;
            }
            sb_addc(&b, (char)(hi * 16 + lo));
            i += 2;
            break;
        }
        default: sb_addc(&b, text[i]);
        }
    }
    *out = sb_take(&b);
    return 0;
}
