/* The .mvd lexer: re2c turns this file into build/gen/lexer.c.
 *
 * Tokens are slices of the source: an offset and a length. Nothing is
 * copied and no line or column is computed here; diagnostics derive them
 * from the offset when (and only when) they print. The source must end
 * with a NUL byte, which is the sentinel that stops the scanner. */
#include "syntax/lexer.h"

#include <string.h>

#include "parser.h"

/* Keywords and identifiers are the same shape; a keyword is just an
 * identifier that the grammar gives a meaning to. Which keywords may still
 * be used as names is decided by compiler/parse.c (name_keywords: a keyword
 * the grammar cannot shift where it stands is passed on as a name), not
 * here and not by Lemon's %fallback (see grammar/parser.y). */

static int token(Lexer *lx, const unsigned char *start, Token *t, int type)
{
    t->off = (uint32_t)(start - lx->base);
    t->len = (uint32_t)(lx->cur - start);
    lx->prev = type;
    return type;
}

/* Skips a block comment whose opening has been consumed. Returns 0 when
 * the source ends first. Block comments nest, as in ClickHouse's lexer:
 * a comment opened inside a comment needs its own closing. */
static int skip_block_comment(Lexer *lx)
{
    int depth = 1;
    while (lx->cur < lx->end) {
        if (lx->cur[0] == '/' && lx->cur + 1 < lx->end && lx->cur[1] == '*') {
            depth++;
            lx->cur += 2;
        } else if (lx->cur[0] == '*' && lx->cur + 1 < lx->end && lx->cur[1] == '/') {
            lx->cur += 2;
            if (--depth == 0)
                return 1;
        } else {
            lx->cur++;
        }
    }
    return 0;
}

void lex_init(Lexer *lx, const char *src, size_t len)
{
    lx->base = (const unsigned char *)src;
    lx->cur = lx->base;
    lx->end = lx->base + len;
    lx->prev = 0;
    lx->error = LEX_OK;
}

const char *lex_error_message(int error)
{
    switch (error) {
    case LEX_BAD_CHAR: return "unexpected character";
    case LEX_UNTERMINATED_STRING: return "unterminated string literal";
    case LEX_UNTERMINATED_NAME: return "unterminated quoted identifier";
    case LEX_UNTERMINATED_COMMENT: return "unterminated block comment";
    case LEX_NUL_BYTE: return "NUL byte in source";
    case LEX_BAD_NUMBER: return "a number runs into a name: separate them with a space";
    default: return "invalid token";
    }
}

/* $tag$ ... $tag$ (a heredoc, no escapes): lx->cur is past the opening
 * tag; moves past the closing one, or returns 0 when the source ends. */
static int skip_heredoc(Lexer *lx, const unsigned char *tag, size_t taglen)
{
    for (const unsigned char *c = lx->cur; c + taglen <= lx->end; c++)
        if (*c == '$' && memcmp(c, tag, taglen) == 0) {
            lx->cur = c + taglen;
            return 1;
        }
    return 0;
}

static int is_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

/* A `$` (lx->cur is past it), in ClickHouse's order: first a heredoc
 * ($tag$ ... $tag$) when the tag is closed later; else, followed by an
 * ASCII letter, digit or `_`, a bare name that runs over name characters
 * and `$` (`$session_id`, `$1`, `$a$b`: PostHog's event columns are
 * written so); `$` before anything else (`$$x`, a lone `$`) ClickHouse
 * refuses, and so does this lexer. */
static int dollar(Lexer *lx, const unsigned char *start, Token *t)
{
    const unsigned char *c = lx->cur;
    while (c < lx->end && is_name_char(*c) && *c < 0x80)
        c++;
    if (c < lx->end && *c == '$') {
        lx->cur = c + 1;
        if (skip_heredoc(lx, start, (size_t)(lx->cur - start)))
            return token(lx, start, t, TK_STRING);
        lx->cur = start + 1;
    }
    if (lx->cur < lx->end && is_name_char(*lx->cur) && *lx->cur < 0x80) {
        while (lx->cur < lx->end && (is_name_char(*lx->cur) || *lx->cur == '$'))
            lx->cur++;
        return token(lx, start, t, TK_ID);
    }
    lx->error = LEX_BAD_CHAR;
    return token(lx, start, t, TK_ILLEGAL);
}

/* `.5` is a number, but in `t.1` (tuple element access) the dot follows a
 * name or a closing bracket and is an operator. */
static int follows_operand(int prev)
{
    return prev == TK_ID || prev == TK_RP || prev == TK_RB || prev == TK_INTEGER;
}

int lex_next(Lexer *lx, Token *t)
{
    for (;;) {
        const unsigned char *start = lx->cur;
        const unsigned char *YYMARKER = start;
        lx->error = LEX_OK;
/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = lx->cur;
    re2c:yyfill:enable = 0;
    re2c:flags:case-insensitive = 0;

    nul     = "\x00";
    ws      = [ \t\r\n\f\v]+;
    wordch  = [a-zA-Z0-9_\x80-\xff];
    /* ClickHouse's lexer lets `$` into a bare name anywhere after its
     * first character (`b$c`); a leading `$` is read by the "$" rule. */
    ident   = [a-zA-Z_\x80-\xff] [a-zA-Z0-9_$\x80-\xff]*;
    digits  = [0-9]+ ("_" [0-9]+)*;
    exp     = [eE] [+-]? digits;
    float   = digits "." digits? exp? | digits exp | "." digits exp?;
    xdigits = [0-9a-fA-F]+ ("_" [0-9a-fA-F]+)*;
    hex     = "0" [xX] xdigits;
    bin     = "0" [bB] [01]+ ("_" [01]+)*;
    hexfloat = "0" [xX] (xdigits "." xdigits? | "." xdigits) ([pP] [+-]? digits)? | "0" [xX] xdigits [pP] [+-]? digits;

    nul {
        if (start < lx->end) { lx->error = LEX_NUL_BYTE; return token(lx, start, t, TK_ILLEGAL); }
        lx->cur = start;
        return token(lx, start, t, 0);
    }
    ws                           { continue; }
    "---" [^\n\x00]*             { t->off = (uint32_t)(start - lx->base); t->len = (uint32_t)(lx->cur - start); return TK_DOC; }
    "--" [^\n\x00]*              { continue; }
    "/*"                         { if (skip_block_comment(lx)) continue; lx->error = LEX_UNTERMINATED_COMMENT; return token(lx, start, t, TK_ILLEGAL); }

    'option'        { return token(lx, start, t, TK_OPTION); }
    'database'      { return token(lx, start, t, TK_DATABASE); }
    'table'         { return token(lx, start, t, TK_TABLE); }
    'external'      { return token(lx, start, t, TK_EXTERNAL); }
    'view'          { return token(lx, start, t, TK_VIEW); }
    'materialized'  { return token(lx, start, t, TK_MATERIALIZED); }
    'function'      { return token(lx, start, t, TK_FUNCTION); }
    'dictionary'    { return token(lx, start, t, TK_DICTIONARY); }
    'expression'    { return token(lx, start, t, TK_EXPRESSION); }
    'drop'          { return token(lx, start, t, TK_DROP); }
    'pulls_from'    { return token(lx, start, t, TK_PULLS_FROM); }
    'pushes_to'     { return token(lx, start, t, TK_PUSHES_TO); }
    'refresh'       { return token(lx, start, t, TK_REFRESH); }
    'backfill'      { return token(lx, start, t, TK_BACKFILL); }
    'rename'        { return token(lx, start, t, TK_RENAME); }
    'column'        { return token(lx, start, t, TK_COLUMN); }
    'narrow'        { return token(lx, start, t, TK_NARROW); }
    'every'         { return token(lx, start, t, TK_EVERY); }
    'after'         { return token(lx, start, t, TK_AFTER); }
    'append'        { return token(lx, start, t, TK_APPEND); }
    'engine'        { return token(lx, start, t, TK_ENGINE); }
    'primary'       { return token(lx, start, t, TK_PRIMARY); }
    'key'           { return token(lx, start, t, TK_KEY); }
    'ttl'           { return token(lx, start, t, TK_TTL); }
    'comment'       { return token(lx, start, t, TK_COMMENT); }
    'default'       { return token(lx, start, t, TK_DEFAULT); }
    'alias'         { return token(lx, start, t, TK_ALIAS); }
    'ephemeral'     { return token(lx, start, t, TK_EPHEMERAL); }
    'codec'         { return token(lx, start, t, TK_CODEC); }
    'delete'        { return token(lx, start, t, TK_DELETE); }
    'index'         { return token(lx, start, t, TK_INDEX); }
    'aggregate'     { return token(lx, start, t, TK_AGGREGATE); }
    'type'          { return token(lx, start, t, TK_TYPE); }
    'granularity'   { return token(lx, start, t, TK_GRANULARITY); }
    'constraint'    { return token(lx, start, t, TK_CONSTRAINT); }
    'check'         { return token(lx, start, t, TK_CHECK); }
    'assume'        { return token(lx, start, t, TK_ASSUME); }
    'projection'    { return token(lx, start, t, TK_PROJECTION); }
    'disk'          { return token(lx, start, t, TK_DISK); }
    'volume'        { return token(lx, start, t, TK_VOLUME); }
    'recompress'    { return token(lx, start, t, TK_RECOMPRESS); }
    'set'           { return token(lx, start, t, TK_SET); }

    'select'        { return token(lx, start, t, TK_SELECT); }
    'from'          { return token(lx, start, t, TK_FROM); }
    'where'         { return token(lx, start, t, TK_WHERE); }
    'prewhere'      { return token(lx, start, t, TK_PREWHERE); }
    'group'         { return token(lx, start, t, TK_GROUP); }
    'by'            { return token(lx, start, t, TK_BY); }
    'having'        { return token(lx, start, t, TK_HAVING); }
    'qualify'       { return token(lx, start, t, TK_QUALIFY); }
    'order'         { return token(lx, start, t, TK_ORDER); }
    'limit'         { return token(lx, start, t, TK_LIMIT); }
    'offset'        { return token(lx, start, t, TK_OFFSET); }
    'union'         { return token(lx, start, t, TK_UNION); }
    'all'           { return token(lx, start, t, TK_ALL); }
    'distinct'      { return token(lx, start, t, TK_DISTINCT); }
    'as'            { return token(lx, start, t, TK_AS); }
    'with'          { return token(lx, start, t, TK_WITH); }
    'on'            { return token(lx, start, t, TK_ON); }
    'using'         { return token(lx, start, t, TK_USING); }
    'join'          { return token(lx, start, t, TK_JOIN); }
    'inner'         { return token(lx, start, t, TK_INNER); }
    'left'          { return token(lx, start, t, TK_LEFT); }
    'right'         { return token(lx, start, t, TK_RIGHT); }
    'full'          { return token(lx, start, t, TK_FULL); }
    'outer'         { return token(lx, start, t, TK_OUTER); }
    'cross'         { return token(lx, start, t, TK_CROSS); }
    'any'           { return token(lx, start, t, TK_ANY); }
    'asof'          { return token(lx, start, t, TK_ASOF); }
    'semi'          { return token(lx, start, t, TK_SEMI_KW); }
    'anti'          { return token(lx, start, t, TK_ANTI); }
    'paste'         { return token(lx, start, t, TK_PASTE); }
    'global' ws 'in' / [^a-zA-Z0-9_\x80-\xff]             { return token(lx, start, t, TK_GLOBAL_IN); }
    'global' ws 'not' ws 'in' / [^a-zA-Z0-9_\x80-\xff]    { return token(lx, start, t, TK_GLOBAL_NOT_IN); }
    'global'        { return token(lx, start, t, TK_GLOBAL); }
    /* One token, so that the grammar binds `x BETWEEN a AND b NOT LIKE c`
     * as ClickHouse does (NOT LIKE is a comparison, NOT alone is not). */
    'not' ws 'like' / [^a-zA-Z0-9_\x80-\xff]    { return token(lx, start, t, TK_NOT_LIKE); }
    'not' ws 'ilike' / [^a-zA-Z0-9_\x80-\xff]   { return token(lx, start, t, TK_NOT_ILIKE); }
    'not' ws 'in' / [^a-zA-Z0-9_\x80-\xff]      { return token(lx, start, t, TK_NOT_IN); }
    'not' ws 'between' / [^a-zA-Z0-9_\x80-\xff] { return token(lx, start, t, TK_NOT_BETWEEN); }
    'array'         { return token(lx, start, t, TK_ARRAY); }
    'final'         { return token(lx, start, t, TK_FINAL); }
    'sample'        { return token(lx, start, t, TK_SAMPLE); }
    'settings'      { return token(lx, start, t, TK_SETTINGS); }
    'and'           { return token(lx, start, t, TK_AND); }
    'or'            { return token(lx, start, t, TK_OR); }
    'not'           { return token(lx, start, t, TK_NOT); }
    'in'            { return token(lx, start, t, TK_IN); }
    'is'            { return token(lx, start, t, TK_IS); }
    'null'          { return token(lx, start, t, TK_NULL); }
    'true'          { return token(lx, start, t, TK_TRUE); }
    'false'         { return token(lx, start, t, TK_FALSE); }
    'between'       { return token(lx, start, t, TK_BETWEEN); }
    'like'          { return token(lx, start, t, TK_LIKE); }
    'ilike'         { return token(lx, start, t, TK_ILIKE); }
    'case'          { return token(lx, start, t, TK_CASE); }
    'when'          { return token(lx, start, t, TK_WHEN); }
    'then'          { return token(lx, start, t, TK_THEN); }
    'else'          { return token(lx, start, t, TK_ELSE); }
    'end'           { return token(lx, start, t, TK_END); }
    'cast'          { return token(lx, start, t, TK_CAST); }
    'interval'      { return token(lx, start, t, TK_INTERVAL); }
    'exists'        { return token(lx, start, t, TK_EXISTS); }
    'extract'       { return token(lx, start, t, TK_EXTRACT); }
    'over'          { return token(lx, start, t, TK_OVER); }
    'partition'     { return token(lx, start, t, TK_PARTITION); }
    'rows'          { return token(lx, start, t, TK_ROWS); }
    'range'         { return token(lx, start, t, TK_RANGE); }
    'unbounded'     { return token(lx, start, t, TK_UNBOUNDED); }
    'preceding'     { return token(lx, start, t, TK_PRECEDING); }
    'following'     { return token(lx, start, t, TK_FOLLOWING); }
    'current'       { return token(lx, start, t, TK_CURRENT); }
    'row'           { return token(lx, start, t, TK_ROW); }
    'window'        { return token(lx, start, t, TK_WINDOW); }
    'asc'           { return token(lx, start, t, TK_ASC); }
    'ascending'     { return token(lx, start, t, TK_ASC); }
    'desc'          { return token(lx, start, t, TK_DESC); }
    'descending'    { return token(lx, start, t, TK_DESC); }
    'nulls'         { return token(lx, start, t, TK_NULLS); }
    'first'         { return token(lx, start, t, TK_FIRST); }
    'last'          { return token(lx, start, t, TK_LAST); }
    'collate'       { return token(lx, start, t, TK_COLLATE); }
    'fill'          { return token(lx, start, t, TK_FILL); }
    'to'            { return token(lx, start, t, TK_TO); }
    'step'          { return token(lx, start, t, TK_STEP); }
    'totals'        { return token(lx, start, t, TK_TOTALS); }
    'rollup'        { return token(lx, start, t, TK_ROLLUP); }
    'cube'          { return token(lx, start, t, TK_CUBE); }
    'grouping'      { return token(lx, start, t, TK_GROUPING); }
    'sets'          { return token(lx, start, t, TK_SETS); }
    'ties'          { return token(lx, start, t, TK_TIES); }
    'fetch'         { return token(lx, start, t, TK_FETCH); }
    'next'          { return token(lx, start, t, TK_NEXT); }
    'only'          { return token(lx, start, t, TK_ONLY); }
    'div'           { return token(lx, start, t, TK_DIV); }
    'mod'           { return token(lx, start, t, TK_MOD); }
    'except'        { return token(lx, start, t, TK_EXCEPT); }
    'intersect'     { return token(lx, start, t, TK_INTERSECT); }
    'explain'       { return token(lx, start, t, TK_EXPLAIN); }
    'recursive'     { return token(lx, start, t, TK_RECURSIVE); }
    'interpolate'   { return token(lx, start, t, TK_INTERPOLATE); }
    'staleness'     { return token(lx, start, t, TK_STALENESS); }
    'both'          { return token(lx, start, t, TK_BOTH); }
    'leading'       { return token(lx, start, t, TK_LEADING); }
    'trailing'      { return token(lx, start, t, TK_TRAILING); }
    'trim'          { return token(lx, start, t, TK_TRIM); }
    'columns'       { return token(lx, start, t, TK_COLUMNS); }
    'substring'     { return token(lx, start, t, TK_SUBSTRING); }
    'for'           { return token(lx, start, t, TK_FOR); }
    'apply'         { return token(lx, start, t, TK_APPLY); }
    'replace'       { return token(lx, start, t, TK_REPLACE); }
    'strict'        { return token(lx, start, t, TK_STRICT); }
    'respect'       { return token(lx, start, t, TK_RESPECT); }
    'ignore'        { return token(lx, start, t, TK_IGNORE); }
    'nanosecond'    { return token(lx, start, t, TK_UNIT); }
    'microsecond'   { return token(lx, start, t, TK_UNIT); }
    'millisecond'   { return token(lx, start, t, TK_UNIT); }
    'second'        { return token(lx, start, t, TK_UNIT); }
    'minute'        { return token(lx, start, t, TK_UNIT); }
    'hour'          { return token(lx, start, t, TK_UNIT); }
    'day'           { return token(lx, start, t, TK_UNIT); }
    'week'          { return token(lx, start, t, TK_UNIT); }
    'month'         { return token(lx, start, t, TK_UNIT); }
    'quarter'       { return token(lx, start, t, TK_UNIT); }
    'year'          { return token(lx, start, t, TK_UNIT); }
    /* INTERVAL 2 days: ClickHouse takes the plural too. */
    'nanoseconds'   { return token(lx, start, t, TK_UNIT); }
    'microseconds'  { return token(lx, start, t, TK_UNIT); }
    'milliseconds'  { return token(lx, start, t, TK_UNIT); }
    'seconds'       { return token(lx, start, t, TK_UNIT); }
    'minutes'       { return token(lx, start, t, TK_UNIT); }
    'hours'         { return token(lx, start, t, TK_UNIT); }
    'days'          { return token(lx, start, t, TK_UNIT); }
    'weeks'         { return token(lx, start, t, TK_UNIT); }
    'months'        { return token(lx, start, t, TK_UNIT); }
    'quarters'      { return token(lx, start, t, TK_UNIT); }
    'years'         { return token(lx, start, t, TK_UNIT); }

    /* ClickHouse's Unicode quotes, without escapes: ‘string’ and “name”. */
    "\xE2\x80\x98" ([^\xE2\x00] | "\xE2" [^\x80\x00] | "\xE2\x80" [^\x99\x00])* "\xE2\x80\x99" { return token(lx, start, t, TK_STRING); }
    "\xE2\x80\x9C" ([^\xE2\x00] | "\xE2" [^\x80\x00] | "\xE2\x80" [^\x9D\x00])* "\xE2\x80\x9D" { return token(lx, start, t, TK_ID); }

    ident                        { return token(lx, start, t, TK_ID); }
    "`" ([^`\\\x00] | "\\" [^\x00] | "``")* "`"     { return token(lx, start, t, TK_ID); }
    "\"" ([^"\\\x00] | "\\" [^\x00] | "\"\"")* "\"" { return token(lx, start, t, TK_ID); }
    "`" | "\""                   { lx->error = LEX_UNTERMINATED_NAME; return token(lx, start, t, TK_ILLEGAL); }
    "'" ([^'\\\x00] | "\\" [^\x00] | "''")* "'"     { return token(lx, start, t, TK_STRING); }
    "'"                          { lx->error = LEX_UNTERMINATED_STRING; return token(lx, start, t, TK_ILLEGAL); }
    /* X'4142' and b'01000001' are the bytes they spell; $$text$$ and
     * $tag$text$tag$ are strings without escapes. */
    [xX] "'" [0-9a-fA-F]* "'"    { return token(lx, start, t, TK_STRING); }
    [bB] "'" [01]* "'"           { return token(lx, start, t, TK_STRING); }
    "$"                          { return dollar(lx, start, t); }

    hex | bin | digits           { return token(lx, start, t, TK_INTEGER); }
    hexfloat                     { return token(lx, start, t, TK_FLOAT); }
    float {
        if (start[0] == '.' && follows_operand(lx->prev)) {
            lx->cur = start + 1;
            return token(lx, start, t, TK_DOT);
        }
        if (lx->prev == TK_DOT && start[0] != '.') { /* t.1.2: two element indexes */
            for (lx->cur = start; *lx->cur >= '0' && *lx->cur <= '9'; lx->cur++)
                ;
            return token(lx, start, t, TK_INTEGER);
        }
        return token(lx, start, t, TK_FLOAT);
    }

    /* A number that runs into letters, digits and `_` only is a name, as
     * ClickHouse's lexer reads it (`01234_t`, `1e5x`, `0x1g` are tables or
     * columns); a pure number of the same length is matched above first. */
    [0-9] [a-zA-Z0-9_]*          { return token(lx, start, t, TK_ID); }

    /* `1.5x`, `1e+5x`: a number with a dot or a sign that runs into a name
     * would otherwise be read as the number with an alias, which
     * ClickHouse refuses. */
    (hex | bin | digits | float | hexfloat) wordch+ {
        if (start[0] == '.' && follows_operand(lx->prev)) { /* db.1_t */
            lx->cur = start + 1;
            return token(lx, start, t, TK_DOT);
        }
        lx->error = LEX_BAD_NUMBER;
        return token(lx, start, t, TK_ILLEGAL);
    }

    "("     { return token(lx, start, t, TK_LP); }
    ")"     { return token(lx, start, t, TK_RP); }
    "["     { return token(lx, start, t, TK_LB); }
    "]"     { return token(lx, start, t, TK_RB); }
    "{"     { return token(lx, start, t, TK_LC); }
    "}"     { return token(lx, start, t, TK_RC); }
    ","     { return token(lx, start, t, TK_COMMA); }
    ";"     { return token(lx, start, t, TK_SEMI); }
    "."     { return token(lx, start, t, TK_DOT); }
    "::"    { return token(lx, start, t, TK_DCOLON); }
    "^"     { return token(lx, start, t, TK_CARET); }
    /* json.arr[].x: `[]` right after a name is a JSON path part. */
    "[]" / "."  { if (lx->prev == TK_ID) return token(lx, start, t, TK_EMPTY_SUB); lx->cur = start + 1; return token(lx, start, t, TK_LB); }
    ":"     { return token(lx, start, t, TK_COLON); }
    "?"     { return token(lx, start, t, TK_QUESTION); }
    "->"    { return token(lx, start, t, TK_ARROW); }
    "+"     { return token(lx, start, t, TK_PLUS); }
    "-"     { return token(lx, start, t, TK_MINUS); }
    "*"     { return token(lx, start, t, TK_STAR); }
    "/"     { return token(lx, start, t, TK_SLASH); }
    "%"     { return token(lx, start, t, TK_PERCENT); }
    "||"    { return token(lx, start, t, TK_CONCAT); }
    "=" | "=="  { return token(lx, start, t, TK_EQ); }
    "!=" | "<>" { return token(lx, start, t, TK_NE); }
    "<"     { return token(lx, start, t, TK_LT); }
    ">"     { return token(lx, start, t, TK_GT); }
    "<="    { return token(lx, start, t, TK_LE); }
    ">="    { return token(lx, start, t, TK_GE); }
    "<=>"   { return token(lx, start, t, TK_NULL_SAFE_EQ); }

    *       { lx->error = LEX_BAD_CHAR; return token(lx, start, t, TK_ILLEGAL); }
*/
    }
}
