/* `mvdc fmt`: a .mvd file in its canonical form, printed from the AST by
 * the same printer as the plan (print.h), so that formatting never changes
 * an object's hash.
 *
 * Comments are never lost. Comments between declarations (and `---` doc
 * comments) are kept where they are, one blank line between declarations.
 * A declaration with a comment inside it is kept as written: the printer
 * works from the AST, which has no place for such comments, and moving
 * them would change what they describe. */
#include <string.h>

#include "print/fmt.h"
#include "syntax/lexer.h"
#include "syntax/parse.h"
#include "parser.h"
#include "print/print.h"

/* Whether text[from, to) holds a comment (it holds no tokens but `;`). */
static bool has_comment(const char *text, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i + 1 < to; i++)
        if ((text[i] == '-' && text[i + 1] == '-') || (text[i] == '/' && text[i + 1] == '*'))
            return true;
    return false;
}

/* Copies the comments of text[from, to), each on its own line, dropping
 * the blank lines and stray semicolons between them. */
static void copy_comments(StrBuf *out, const char *text, uint32_t from, uint32_t to)
{
    uint32_t i = from;
    while (i < to) {
        if (i + 1 < to && text[i] == '-' && text[i + 1] == '-') {
            uint32_t end = i;
            while (end < to && text[end] != '\n')
                end++;
            while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
                end--;
            strbuf_add(out, text + i, end - i);
            strbuf_putc(out, '\n');
            i = end;
        } else if (i + 1 < to && text[i] == '/' && text[i + 1] == '*') {
            const char *close = strstr(text + i + 2, "*/");
            uint32_t end = close ? (uint32_t)(close - text) + 2 : to;
            strbuf_add(out, text + i, end - i);
            strbuf_putc(out, '\n');
            i = end;
        } else {
            i++;
        }
    }
}

/* Whether any gap between the declaration's tokens holds a comment. */
static bool comment_inside(const SourceFile *f, Span span)
{
    Lexer lx;
    Token t;
    lex_init(&lx, f->text, f->len);
    lx.cur = (const unsigned char *)f->text + span.off;
    uint32_t end = span.off + span.len, prev_end = span.off;
    int tk;
    while ((tk = lex_next(&lx, &t)) != 0 && t.off < end) {
        if (tk == TK_DOC || has_comment(f->text, prev_end, t.off))
            return true;
        prev_end = t.off + t.len;
    }
    return has_comment(f->text, prev_end, end);
}

/* Whether text parses as exactly one declaration, without errors. */
static bool parses_back(Arena *a, const char *text, size_t len)
{
    Diags d;
    diag_init(&d, a);
    DeclList decls = {0};
    SourceFile *f = source_from_string(a, "(fmt)", text, len);
    parse_source(a, &d, f, &decls);
    return d.errors == 0 && decls.n == 1;
}

/* One declaration in the .mvd style: keywords in lower case, names quoted
 * only where a keyword cannot be a name. Should the lighter quoting not
 * parse back (a keyword name where the grammar takes the keyword), every
 * keyword name is quoted instead. */
void fmt_decl(Arena *a, StrBuf *out, const SourceFile *f, const Decl *decl)
{
    size_t start = out->len;
    Printer p = {.out = out, .src = f->text, .mode = PRINT_MVD};
    print_mvd_decl(&p, decl);
    if (parses_back(a, out->s + start, out->len - start))
        return;
    out->len = start;
    out->s[start] = '\0';
    p.quote_keywords = true;
    print_mvd_decl(&p, decl);
}

bool fmt_source(Arena *a, Diags *d, SourceFile *f, StrBuf *out)
{
    DeclList decls = {0};
    int errors = d->errors;
    parse_source(a, d, f, &decls);
    if (d->errors > errors)
        return false;
    uint32_t pos = 0;
    for (int i = 0; i < decls.n; i++) {
        const Decl *decl = decls.v[i];
        if (i)
            strbuf_putc(out, '\n');
        copy_comments(out, f->text, pos, decl->span.off);
        if (comment_inside(f, decl->span)) {
            strbuf_add(out, f->text + decl->span.off, decl->span.len);
        } else {
            fmt_decl(a, out, f, decl);
        }
        strbuf_putc(out, '\n');
        pos = decl->span.off + decl->span.len;
    }
    if (has_comment(f->text, pos, (uint32_t)f->len)) {
        if (decls.n)
            strbuf_putc(out, '\n');
        copy_comments(out, f->text, pos, (uint32_t)f->len);
    }
    return true;
}
