/* Types written inside string literals, as CAST(x, 'T'), JSONExtract and
 * toTypeName spell them: the text is read into the same TypeExpr nodes the
 * grammar builds, then given meaning by typesyntax.c without diagnostics
 * (a string that names no type leaves the result Unknown). */
#include <ctype.h>
#include <string.h>

#include "typing/signature.h"
#include "typing/typesyntax.h"

typedef struct TypeLexer {
    Arena *a;
    const char *s;
    uint32_t at, len;
    bool failed;
} TypeLexer;

static void skip_space(TypeLexer *x)
{
    while (x->at < x->len && isspace((unsigned char)x->s[x->at]))
        x->at++;
}

static bool peek(TypeLexer *x, char c)
{
    skip_space(x);
    return x->at < x->len && x->s[x->at] == c;
}

static bool accept(TypeLexer *x, char c)
{
    if (!peek(x, c))
        return false;
    x->at++;
    return true;
}

static bool at_identifier(TypeLexer *x)
{
    skip_space(x);
    return x->at < x->len && (isalpha((unsigned char)x->s[x->at]) || x->s[x->at] == '_' || x->s[x->at] == '`');
}

static Span identifier(TypeLexer *x)
{
    uint32_t start = x->at;
    if (x->s[x->at] == '`') {
        for (x->at++; x->at < x->len && x->s[x->at] != '`'; x->at++)
            ;
        x->at++;
    } else {
        while (x->at < x->len && (isalnum((unsigned char)x->s[x->at]) || x->s[x->at] == '_'))
            x->at++;
    }
    return (Span){start, x->at - start};
}

/* A number (with its sign) or a quoted string, as a literal span. */
static Span literal(TypeLexer *x)
{
    uint32_t start = x->at;
    if (x->s[x->at] == '\'') {
        for (x->at++; x->at < x->len && x->s[x->at] != '\''; x->at++)
            if (x->s[x->at] == '\\')
                x->at++;
        if (x->at >= x->len)
            x->failed = true;
        x->at++;
    } else {
        if (x->s[x->at] == '-')
            x->at++;
        while (x->at < x->len && (isalnum((unsigned char)x->s[x->at]) || x->s[x->at] == '.'))
            x->at++;
    }
    return (Span){start, x->at - start};
}

static TypeExpr *read_type(TypeLexer *x, int depth);

static TypeArg read_arg(TypeLexer *x, int depth)
{
    TypeArg arg = {0};
    skip_space(x);
    if (x->at >= x->len) {
        x->failed = true;
        return arg;
    }
    char c = x->s[x->at];
    if (c == '\'' || c == '-' || isdigit((unsigned char)c)) {
        arg.kind = c == '\'' ? TARG_STRING : TARG_NUMBER;
        arg.lit = literal(x);
        if (arg.kind == TARG_STRING && accept(x, '=')) {
            skip_space(x);
            arg.kind = TARG_ENUM;
            arg.value = literal(x);
        }
        return arg;
    }
    uint32_t start = x->at;
    TypeExpr *t = read_type(x, depth + 1);
    if (t && !t->has_parens && at_identifier(x)) { /* `a String` in a Tuple */
        arg.kind = TARG_FIELD;
        arg.field = ast_name(x->a, x->s, start, t->name.span.len);
        arg.type = read_type(x, depth + 1);
        return arg;
    }
    arg.kind = TARG_TYPE;
    arg.type = t;
    return arg;
}

static TypeExpr *read_type(TypeLexer *x, int depth)
{
    if (depth > 32 || !at_identifier(x)) {
        x->failed = true;
        return NULL;
    }
    Span id = identifier(x);
    Name name = ast_name(x->a, x->s, id.off, id.len);
    TypeArgList args = {0};
    bool parens = accept(x, '(');
    if (parens && !accept(x, ')')) {
        do
            *LIST_PUSH(x->a, &args) = read_arg(x, depth);
        while (!x->failed && accept(x, ','));
        if (!accept(x, ')'))
            x->failed = true;
    }
    return x->failed ? NULL : ast_type(x->a, name, parens, args, (Span){id.off, x->at - id.off});
}

const Type *typestring_parse(Project *p, const char *text)
{
    ArenaMark mark = arena_mark(&p->scratch);
    size_t len = strlen(text);
    TypeLexer x = {&p->scratch, text, 0, (uint32_t)len, false};
    TypeExpr *t = len < 4096 ? read_type(&x, 0) : NULL;
    skip_space(&x);
    const Type *r = NULL;
    if (t && !x.failed && x.at == x.len) {
        SourceFile *f = source_from_string(&p->scratch, "<type>", text, len);
        r = typesyntax_read_quiet(p, f, t);
    }
    arena_release(&p->scratch, mark);
    return r;
}
