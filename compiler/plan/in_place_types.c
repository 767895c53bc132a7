/* Whether a plain MV whose target has a column's type changed under an
 * output can still be changed in place, and on which side of the
 * target's ALTERs its MODIFY QUERY may go (docs/mv-changes.md, "A type
 * changed under the MV's output").
 *
 * What was tried on chDB 26.5 and decides the rule:
 * - an insert into the source runs the MV's query as it stands over the
 *   source's block, then casts each output into the target's column of
 *   the same name with the target's type at that moment
 *   (`_CAST(v, UInt32)` in the message of a failed push); the MV's own
 *   column list plays no part;
 * - that cast is silent where it loses (UInt64 5e10 into UInt32 wraps to
 *   1215752192) and fails the insert where it cannot convert (NULL into
 *   a non-Nullable column, code 349: the source keeps the row, the
 *   target never gets it).
 * So between the target's MODIFY COLUMN and the MODIFY QUERY, whichever
 * comes first, one query writes into the other's target type: the old
 * query into the new type (MODIFY QUERY after the ALTERs), or the new
 * query into the old type (before them). That order is taken only when
 * each such cast is a widening (alter_type_widens: a wider integer,
 * Nullable or LowCardinality added, a wider Decimal, anything to
 * String...): it never fails and changes no value, so each row in the
 * window is the one its query would give under its own target type, and
 * the target's ALTER converts the earlier rows as it converts any
 * table's. Where neither order has only widenings, an order whose casts
 * are the ALTER's own (window_cast_exact: the old query's output, of its
 * column's exact type, cast to the new type as the ALTER casts the rows
 * already there; or the new query's cast into the old type and back to
 * itself); where none, the MV is dropped and made again (a gap,
 * declared). Types that mvdc could not work out are never taken. */
#include <string.h>

#include "plan/plan.h"
#include "typing/signature.h"

bool in_place_cast_keeps(Plan *pl, const char *out, const char *col)
{
    if (strcmp(out, "Unknown") == 0 || strcmp(col, "Unknown") == 0)
        return false;
    if (strcmp(out, col) == 0)
        return true;
    const Type *from = typestring_parse(pl->project, out), *to = typestring_parse(pl->project, col);
    return from && to && alter_type_widens(from, to);
}

/* Which of its target's states a query writes into in the window. */
typedef enum { WINDOW_NONE, WINDOW_NEW_TYPES, WINDOW_OLD_TYPES } WindowSide;

/* Integers of one width, one signed and one not: every value of either
 * wraps into the other and back to itself. */
static bool sign_flip(const Type *a, const Type *b)
{
    return type_is_integer(a) && type_is_integer(b) && type_int_bits(a) == type_int_bits(b) &&
           type_is_unsigned(a) != type_is_unsigned(b);
}

/* Whether an output of type `out`, declared into a column of type `own`,
 * written in the window into that column as `col` instead, gives the
 * row its query gives under its own declaration once the target's ALTER
 * has run, for an output exactly of its own column's type (tried on chDB
 * 26.5, UInt32 to Int32, Int64 to UInt32, Float64 to Float32):
 * - the old query into the new types (the ALTERs first): the insert
 *   casts it to `col` with the function the ALTER converts the old
 *   query's earlier rows with (alter_cast_alike), or one that fails on a
 *   value where the ALTER fails (alter_cast_fails_alike: a float or a
 *   String read as an integer; the insert of such a value fails, its
 *   row in the trigger and not the target, where a drop and create would
 *   have lost the whole window, and the ALTER fails on it either way);
 * - the new query into the old types (MODIFY QUERY first): the ALTER
 *   then casts it back, to itself where one integer type flips the sign
 *   of another of its width (the widenings in_place_cast_keeps takes
 *   already). */
static bool window_cast_exact(Plan *pl, WindowSide side, const char *out, const char *col, const char *own)
{
    if (side == WINDOW_NONE || strcmp(out, own) != 0 || strcmp(own, "Unknown") == 0 || strcmp(col, "Unknown") == 0)
        return false;
    const Type *o = typestring_parse(pl->project, own), *c = typestring_parse(pl->project, col);
    if (!o || !c)
        return false;
    return side == WINDOW_NEW_TYPES ? alter_cast_alike(o, c) || alter_cast_fails_alike(o, c) : sign_flip(o, c);
}

static const Type *unwrapped(const Type *t)
{
    while (t && (t->kind == TY_LOWCARDINALITY || t->kind == TY_NULLABLE))
        t = t->elems[0];
    return t;
}

static bool textual(const Type *t)
{
    t = unwrapped(t);
    return t && (t->kind == TY_STRING || t->kind == TY_FIXEDSTRING);
}

/* A value of type `out` written in the window into a String column
 * `col` that the target's ALTER then makes `to`, of another kind: it
 * passes through its text, which the ALTER parses back, the same value
 * only for an integer (a float's text may parse to a neighbour: tried on
 * chDB 26.5, a third of random doubles under precise_float_parsing = 0,
 * as the mutation parses; a date's text by a time zone the insert and the
 * mutation need not share). */
static bool text_round_trip(Plan *pl, const char *out, const char *col, const char *to)
{
    const Type *o = typestring_parse(pl->project, out), *c = typestring_parse(pl->project, col);
    const Type *t = typestring_parse(pl->project, to);
    return !textual(c) || textual(t) || (o && type_is_integer(unwrapped(o)));
}

/* Whether `outputs` (one query's columns and types) reach the target in
 * each of `types` (the target's columns in one state it may be in while
 * that query runs) unchanged, for each column whose type there is not
 * `own` (the state that query is declared with: its casts are the
 * user's, not the window's), or, for the window itself (`side`), as the
 * target's ALTER would make them (window_cast_exact). A column the state
 * lacks is not written (in_place.c judges those). `then_altered`: the
 * target's ALTER goes from `types` to `own` after the window (the new
 * query before the ALTERs), converting what it wrote there too
 * (text_round_trip). */
static bool casts_keep(Plan *pl, const PrevColumnList *outputs, const PrevColumnList *types,
                       const PrevColumnList *own, WindowSide side, bool then_altered)
{
    for (int i = 0; i < outputs->n; i++) {
        const PrevColumn *col = prev_column(types, outputs->v[i].name);
        const PrevColumn *mine = prev_column(own, outputs->v[i].name);
        if (col && !(mine && strcmp(mine->type, col->type) == 0) &&
            !(in_place_cast_keeps(pl, outputs->v[i].type, col->type) &&
              (!then_altered || !mine || text_round_trip(pl, outputs->v[i].type, col->type, mine->type))) &&
            !(mine && window_cast_exact(pl, side, outputs->v[i].type, col->type, mine->type)))
            return false;
    }
    return true;
}

/* in_place_output_casts's two answers, the window's own casts judged as
 * `window` allows. */
static void output_casts(Plan *pl, const Managed *target, const PrevState *was, const PrevColumnList *old_out,
                         const PrevColumnList *new_out, bool every_state, bool window, bool *after_ok,
                         bool *before_ok)
{
    PrevState now = {0};
    hash_table_columns(pl, target->decl, &now);
    /* The old query runs until the MODIFY QUERY: into the new types when
     * that comes after the ALTERs; the new one runs from it on: into the
     * old types when it comes before. */
    *after_ok = casts_keep(pl, old_out, &now.columns, &was->columns, window ? WINDOW_NEW_TYPES : WINDOW_NONE, false);
    *before_ok = casts_keep(pl, new_out, &was->columns, &now.columns, window ? WINDOW_OLD_TYPES : WINDOW_NONE, true);
    if (!every_state)
        return;
    /* The MV's previous state may have run beside any state the previous
     * plan knew for the target: each other one is one the ALTERs may
     * start from, whose rows pass through more than one cast: widenings
     * only. */
    const ManifestEntry *e = manifest_entry(&pl->prev, target->qname);
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        if (strcmp(s->kind, "table") != 0 || s == was)
            continue;
        *after_ok = *after_ok && casts_keep(pl, old_out, &s->columns, &was->columns, WINDOW_NONE, false);
        *before_ok = *before_ok && casts_keep(pl, new_out, &s->columns, &now.columns, WINDOW_NONE, true);
    }
}

/* Widenings in between where they serve, the side they allow then being
 * the one that changes no value; else the casts the ALTER makes too. */
void in_place_output_casts(Plan *pl, const Managed *target, const PrevColumnList *old_out,
                           const PrevColumnList *new_out, bool every_state, bool *after_ok, bool *before_ok,
                           bool *converted)
{
    const PrevState *was = target->prev ? manifest_state(&pl->prev, target->qname, target->prev->hash) : NULL;
    *after_ok = *before_ok = false;
    if (converted)
        *converted = false;
    if (!was)
        return;
    output_casts(pl, target, was, old_out, new_out, every_state, false, after_ok, before_ok);
    if (*after_ok || *before_ok)
        return;
    output_casts(pl, target, was, old_out, new_out, every_state, true, after_ok, before_ok);
    if (converted)
        *converted = *after_ok || *before_ok;
}
