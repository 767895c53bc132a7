/* Pieces of ClickHouse DDL read by the .mvd parser. ClickHouse's column
 * definitions, table clauses and SELECTs are the .mvd language's own, so
 * a piece (the `(columns) ENGINE ...` of a CREATE TABLE, the column of an
 * ADD COLUMN, the query of a view) is parsed with a few words of .mvd put
 * before it: `table _ ` before the columns of a CREATE TABLE. The words go
 * on the line above the piece, which is otherwise blank, and the piece
 * keeps its line and column: a syntax error names the place in the .sql
 * file where the user wrote it. */
#include <string.h>

#include "import/imp.h"
#include "syntax/parse.h"

static SourceFile *wrap(Import *im, const Stmt *st, uint32_t from, uint32_t to, const char *prefix,
                        const char *suffix)
{
    int line, col;
    source_position(&im->arena, st->file, from, &line, &col);
    StrBuf b = {0};
    size_t plen = strlen(prefix);
    if (line >= 2) {
        for (int i = 0; i < line - 2; i++)
            strbuf_putc(&b, '\n');
        strbuf_puts(&b, prefix);
        strbuf_putc(&b, '\n');
        for (int i = 1; i < col; i++)
            strbuf_putc(&b, ' ');
    } else {
        /* The first line has no line above: the piece moves right when
         * the words do not fit before it. */
        strbuf_puts(&b, prefix);
        for (int i = (int)plen + 1; i < col; i++)
            strbuf_putc(&b, ' ');
        strbuf_putc(&b, ' ');
    }
    strbuf_add(&b, st->file->text + from, to - from);
    strbuf_puts(&b, suffix);
    size_t len = b.len;
    char *text = arena_strndup(&im->arena, strbuf_str(&b), len);
    strbuf_free(&b);
    return source_from_string(&im->arena, st->file->path, text, len);
}

Decl *wrap_piece(Import *im, const Stmt *st, uint32_t from, uint32_t to, const char *prefix,
                      const char *suffix, const char **src)
{
    SourceFile *f = wrap(im, st, from, to, prefix, suffix);
    DeclList decls = {0};
    int errors = im->diags.errors;
    parse_source(&im->arena, &im->diags, f, &decls);
    if (im->diags.errors > errors || decls.n != 1)
        return NULL;
    *src = f->text;
    return decls.v[0];
}

Select *wrap_select(Import *im, const Stmt *st, uint32_t from, uint32_t to, const char **src)
{
    SourceFile *f = wrap(im, st, from, to, "", "");
    Select *q = parse_select_source(&im->arena, &im->diags, f);
    *src = f->text;
    return q;
}

Select *wrap_query(Import *im, const Stmt *st, uint32_t from, uint32_t to, SourceFile **file)
{
    *file = wrap(im, st, from, to, "", "");
    return parse_select_source(&im->arena, &im->diags, *file);
}

Column *wrap_column(Import *im, const char *text, const char **src)
{
    char *s = arena_printf(&im->arena, "table _ (%s);", text);
    SourceFile *f = source_from_string(&im->arena, "<import>", s, strlen(s));
    DeclList decls = {0};
    int errors = im->diags.errors;
    parse_source(&im->arena, &im->diags, f, &decls);
    if (im->diags.errors > errors || decls.n != 1 || decls.v[0]->columns.n != 1)
        return NULL;
    *src = s;
    return decls.v[0]->columns.v[0];
}
