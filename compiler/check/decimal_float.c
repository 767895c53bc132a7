#include "check/decimal_float.h"

#include "check/infer.h"
#include "typing/promote.h"
#include "project/versions.h"

static bool is_comparison(Op op)
{
    return op >= OP_EQ && op <= OP_GE;
}

static bool is_arithmetic(Op op)
{
    return op == OP_PLUS || op == OP_MINUS || op == OP_MUL || op == OP_DIV;
}

/* Whether one of a and b is a Decimal and the other a float (either may
 * be Nullable or LowCardinality); unknown types never are. */
static bool decimal_and_float(const Type *a, const Type *b)
{
    if (!a || !b)
        return false;
    a = promote_unwrap(a);
    b = promote_unwrap(b);
    return (a->kind == TY_DECIMAL && type_is_float(b)) || (b->kind == TY_DECIMAL && type_is_float(a));
}

static void refuse(Project *p, Feature f, const Type *a, const Type *b, const Expr *at, SourceFile *file)
{
    Diag *g = version_refuse_feature(p, f, file, at->span);
    if (!g)
        return;
    diag_note(&p->diags, g, NULL, (Span){0},
              "the operands are %s and %s; write the number as a Decimal (toDecimal64('0.5', 4)) or an "
              "integer, or convert the column with toFloat64",
              a->name, b->name);
}

static void check_pair(Project *p, const Scope *sc, Op op, const Expr *at, const Expr *x, const Expr *y,
                       SourceFile *file)
{
    const Type *a = infer_type(p, sc, x, file->text), *b = infer_type(p, sc, y, file->text);
    if (!decimal_and_float(a, b))
        return;
    refuse(p, op == OP_MUL ? F_DECIMAL_FLOAT_MULTIPLY : F_DECIMAL_FLOAT, a, b, at, file);
}

void decimal_float_check(Project *p, const Scope *sc, const Expr *e, SourceFile *file)
{
    if (version_has_feature(&p->options, F_DECIMAL_FLOAT))
        return;
    ArenaMark mark = arena_mark(&p->scratch);
    if (e->kind == EX_BETWEEN) {
        check_pair(p, sc, OP_GE, e, e->u.x.a, e->u.x.b, file);
        check_pair(p, sc, OP_LE, e, e->u.x.a, e->u.x.c, file);
    } else if (e->kind == EX_BINARY && (is_comparison((Op)e->op) || is_arithmetic((Op)e->op))) {
        check_pair(p, sc, (Op)e->op, e, e->u.x.a, e->u.x.b, file);
    }
    arena_release(&p->scratch, mark);
}
