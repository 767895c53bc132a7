/* The one walk over expressions (walk.c), after SQLite's walker.c: every
 * pass that looks at an expression's children goes through here, so
 * that none of them forgets a kind of child (a call's parameters, its
 * OVER clause, a CASE's operand). Subqueries are children only for a
 * walker that asks for them. */
#ifndef MVD_WALK_H
#define MVD_WALK_H

#include "syntax/ast.h"

/* Calls f on each direct subexpression of e, in source order: a call's
 * arguments, then its parameters and its window (PARTITION BY, ORDER BY,
 * frame bounds); a CASE's operand, arms and ELSE; a lambda's parameters
 * and body; a list's items; an operator's operands. Never a subquery, a
 * literal's or a column's nothing. */
typedef void (*WalkChild)(Expr *child, void *arg);
void walk_children(Expr *e, WalkChild f, void *arg);
/* The same for the expressions of a window specification. */
void walk_window(Window *w, WalkChild f, void *arg);

typedef enum WalkResult {
    WALK_CONTINUE, /* go on into e's children */
    WALK_PRUNE,    /* not into e's children; go on with its siblings */
    WALK_ABORT     /* stop the whole walk */
} WalkResult;

typedef struct Walker Walker;
struct Walker {
    /* Called on every expression before its children. */
    WalkResult (*expr)(Walker *w, Expr *e);
    /* Called on every SELECT a subquery or CTE holds, before its
     * expressions; NULL: subqueries are not entered. */
    WalkResult (*select)(Walker *w, Select *q);
    void *ctx;
    bool aborted;
};

/* Pre-order walks; each returns WALK_ABORT when a callback aborted. */
WalkResult walk_expr(Walker *w, Expr *e);
WalkResult walk_expr_list(Walker *w, ExprList *l);
/* Every expression of a SELECT and of the selects united with it: WITH,
 * items, FROM (ON, ARRAY JOIN, table functions), PREWHERE, WHERE, GROUP
 * BY, HAVING, WINDOW, QUALIFY, ORDER BY (with its WITH FILL), LIMIT BY;
 * subqueries inside them through w->select. */
WalkResult walk_select(Walker *w, Select *q);

#endif
