/* ALTER steps from a table's previous version to its new one.
 *
 * The previous version is the previous plan's CREATE TABLE for it, read
 * back as a .mvd table declaration (the canonical printer writes both the
 * same way after the table's name). The differences become one ALTER per
 * step, each idempotent (IF [NOT] EXISTS) and guarded by the state before
 * it; intermediate states get their own hash and @state so that mvrun can
 * tell how far a crashed run got. Steps of earlier versions are carried
 * over from the previous plan unchanged: a database two releases behind
 * walks both transitions.
 *
 * Nothing here loses data unless the source says so: a column that is
 * gone needs `drop column x`, a narrower type `narrow column x`, a new
 * name `rename column old to new` (never drop+add). Changes ClickHouse
 * cannot ALTER are errors that say what to do instead. */
#include <string.h>

#include "syntax/parse.h"
#include "plan/plan.h"
#include "print/print.h"
#include "print/sql.h"
#include "syntax/walk.h"
#include "typing/typesyntax.h"
#include "project/versions.h"

/* The table as the steps so far have left it. */
typedef struct LiveColumn {
    Name name;
    const Column *decl;  /* in the declaration that last defined it */
    const Decl *owner;   /* that declaration (its file holds decl's text) */
} LiveColumn;

typedef struct Alter {
    Plan *pl;
    Managed *m;
    const Decl *old, *now;
    LIST_OF(LiveColumn) live;
    const char *state;     /* the hash the table has before the next step */
    int pending;           /* steps produced, for naming states */
    StrBuf combined;       /* ADD COLUMNs that must share one ALTER with MODIFY ORDER BY */
    bool first_step_done;
    bool time_series;      /* a TimeSeries table: comments are all it can ALTER */
    bool refused;          /* one of its ALTERs reported */
    int last_step, last_state; /* where the latest step and its state are in the plan */
} Alter;

/* A TimeSeries table takes COMMENT COLUMN and MODIFY COMMENT, and no other
 * ALTER (chDB 26.5: code 48, "Alter of type ... is not supported by
 * storage TimeSeries"): refused here rather than by the server halfway
 * through a plan. */
static bool time_series_refuses(Alter *al, const char *body)
{
    if (!al->time_series || strncmp(body, "COMMENT COLUMN ", 15) == 0 || strncmp(body, "MODIFY COMMENT ", 15) == 0)
        return false;
    if (!al->refused) {
        Plan *pl = al->pl;
        Diag *g = diag_error(&pl->project->diags, "unalterable", al->now->file, al->now->name.span,
                             "%s is a TimeSeries table, which ClickHouse cannot ALTER but for comments (code 48): "
                             "this change cannot be planned", al->m->qname);
        diag_note(&pl->project->diags, g, NULL, (Span){0},
                  "declare the changed table under a new name, or `drop table` this one in one release and "
                  "declare it again in the next");
    }
    al->refused = true;
    return true;
}

static Printer printer_for(StrBuf *b, const Decl *d)
{
    return (Printer){.out = b, .src = d->file->text, .mode = PRINT_SQL, .db = d->default_db};
}

static const Type *column_type(Alter *al, const Decl *d, const Column *c)
{
    Project *p = al->pl->project;
    const Type *t = c->type->resolved;
    if (!t)
        t = typesyntax_read(p, d->file, c->type, c->name.span);
    if (t && c->null_mod == 1)
        t = type_wrap(&p->types, TY_NULLABLE, t);
    return t;
}

/* IF [NOT] EXISTS where the server has it; 18.16 has none, and the
 * step's guard (judged by mvrun against the live columns) is then what
 * keeps a repeated step from running twice. */
static const char *if_exists(const Alter *al, const char *words)
{
    return version_has_feature(&al->pl->project->options, F_ALTER_IF_EXISTS) ? words : "";
}

static int live_index(const Alter *al, Name n)
{
    for (int i = 0; i < al->live.n; i++)
        if (name_eq(al->live.v[i].name, n))
            return i;
    return -1;
}

static const Column *column_in(const Decl *d, Name n)
{
    for (int i = 0; i < d->columns.n; i++)
        if (name_eq(d->columns.v[i]->name, n))
            return d->columns.v[i];
    return NULL;
}

static const Clause *change_clause(const Decl *d, ClauseKind kind, Name column)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == kind && name_eq(d->clauses.v[i].column, column))
            return &d->clauses.v[i];
    return NULL;
}

/* The name new column `n` has in the table as the steps so far left it:
 * its old name while its `rename column old to n` is still to come (the
 * ADDs before the RENAMEs: adds_lead), else its own. */
static Name live_name(const Alter *al, Name n)
{
    for (int i = 0; live_index(al, n) < 0 && i < al->now->clauses.n; i++) {
        const Clause *c = &al->now->clauses.v[i];
        if (c->kind == CL_RENAME_COLUMN && name_eq(*c->renamed, n) && live_index(al, c->column) >= 0)
            return c->column;
    }
    return n;
}

/* ---- Steps and their states -------------------------------------------------- */

static void record_state(Alter *al, const char *hash)
{
    Plan *pl = al->pl;
    Arena *a = &pl->project->arena;
    PrevState *st = LIST_PUSH(a, &pl->states);
    *st = (PrevState){.kind = "table", .qname = al->m->qname, .hash = hash};
    for (int i = 0; i < pl->states.n - 1; i++)
        if (strcmp(pl->states.v[i].qname, al->m->qname) == 0)
            st->engine = pl->states.v[i].engine;
    for (int i = 0; i < al->live.n; i++) {
        const LiveColumn *c = &al->live.v[i];
        const Type *t = column_type(al, c->owner, c->decl);
        *LIST_PUSH(a, &st->columns) = (PrevColumn){name_cstr(a, c->name), t ? t->name : "Unknown"};
    }
}

/* A `local table` (one per host, on purpose) under `option cluster` is
 * altered ON CLUSTER like any table: the only statement that reaches every
 * host. On a cluster whose shards set internal_replication, 18.16 refuses
 * it for a table that is not replicated (371, tried on the loopback
 * cluster). mvdc cannot see the cluster's configuration: a warning, once
 * per table and release. */
static void warn_local_alter(Alter *al)
{
    if (!al->pl->cluster || !al->now->local || ast_decl_replicated(al->now))
        return;
    Diag *g = diag_warning(&al->pl->project->diags, "engine", al->now->file, al->now->name.span,
                           "this release ALTERs the local table %s ON CLUSTER: a cluster whose shards "
                           "set internal_replication refuses that for a table that is not replicated "
                           "(code 371), after the plan has dropped the MVs that write into it",
                           al->m->qname);
    diag_note(&al->pl->project->diags, g, NULL, (Span){0},
              "on such a cluster, leave its columns as they are (declare a new local table), or "
              "make it Replicated");
}

/* One ALTER statement as one step. The final state is the new version's
 * hash; the ones between are derived from the state before and the
 * statement, so they are stable across builds. */
static void add_alter(Alter *al, const char *action, const char *body, bool destructive, bool last)
{
    if (time_series_refuses(al, body))
        return;
    Plan *pl = al->pl;
    Arena *a = &pl->project->arena;
    if (!al->first_step_done) {
        warn_local_alter(al);
        if (!al->m->held) /* a queued table's were, before its queue (alter_table) */
            plan_drop_dependents(pl, al->m);
        else
            plan_open_bridges_at_chain(pl, al->m);
        al->first_step_done = true;
    }
    StrBuf b = {0};
    strbuf_printf(&b, "ALTER TABLE %s", al->m->qname);
    if (pl->cluster) {
        Printer p = {.out = &b};
        sql_on_cluster(&p, (SqlStyle){.cluster = pl->cluster});
    }
    strbuf_printf(&b, " %s", body);
    const char *sets = al->m->hash;
    if (!last) {
        char hex[SHA256_HEX_LEN + 1];
        StrBuf seed = {0};
        strbuf_printf(&seed, "%s\n%s", al->state, b.s);
        sha256_hex(seed.s, seed.len, hex);
        strbuf_free(&seed);
        sets = arena_strndup(a, hex, SHA256_HEX_LEN);
    }
    Step *s = plan_add_step(pl, "setup", action, al->m, arena_printf(a, "when=%s", al->state), sets, b.s);
    s->destructive = destructive;
    strbuf_free(&b);
    al->last_step = pl->steps.n - 1;
    if (!last)
        record_state(al, sets);
    al->last_state = pl->states.n - 1;
    al->state = sets;
}

/* ---- Columns ---------------------------------------------------------------- */

static void print_column_def(Printer *p, const Column *c, bool with_comment)
{
    print_quoted_name(p, c->name);
    strbuf_putc(p->out, ' ');
    print_column_type(p, c);
    if (c->mods) {
        ColumnMods m = *c->mods;
        if (!with_comment)
            m.comment = (Span){0};
        print_column_mods(p, &m);
    }
}

/* DROP COLUMN of live column i (destructive: the source said so). */
static void drop_live_column(Alter *al, int i)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, al->now);
    strbuf_printf(&b, "DROP COLUMN %s", if_exists(al, "IF EXISTS "));
    print_quoted_name(&p, al->live.v[i].name);
    for (int k = i; k + 1 < al->live.n; k++)
        al->live.v[k] = al->live.v[k + 1];
    al->live.n--;
    add_alter(al, "alter", b.s, true, false);
    strbuf_free(&b);
}

/* ClickHouse's plain MergeTree renames a column in two halves: the
 * table's metadata at once, each part's files in a mutation. A merge
 * that runs while that mutation is pending writes its part under the
 * new name, the mutation then runs on it again, finds the old name gone
 * and reads the column as its default: the merged rows lose every value
 * of it (ClickHouse issues 80648 and 111001; seen on chDB 26.5, 45 of 60
 * values 0; fixed on ClickHouse's master by pull request 115981 in
 * August 2026, so from 26.9). Replicated tables rename otherwise. */
static bool rename_races_merges(const Alter *al)
{
    return ast_engine_merge_tree(ast_decl_engine(al->now)) && !ast_decl_replicated(al->now) &&
           !version_at_least(&al->pl->project->options, 26, 9);
}

/* So the plan keeps the table from merging around its renames: a table
 * setting that no part fits (a merge is chosen only under it; the
 * mutation is not: chDB 26.5 runs it), each RENAME waiting for its
 * mutation (mutations_sync = 1), then the setting put back as it was.
 * SYSTEM STOP MERGES would stop the mutation too. The setting comes back
 * with RESET SETTING (21.8 and later); before that, and ON CLUSTER, where
 * mvdc cannot try the statements, the renames run as written and the
 * build warns. */
static const char *const merges_paused_keys[] = {"max_bytes_to_merge_at_max_space_in_pool",
                                                 "max_bytes_to_merge_at_min_space_in_pool"};

static bool renames_pause_merges(const Alter *al)
{
    return rename_races_merges(al) && !al->pl->cluster && version_has_feature(&al->pl->project->options, F_RESET_SETTING);
}

static void warn_rename_race(Alter *al, const Clause *c)
{
    if (!rename_races_merges(al) || renames_pause_merges(al))
        return;
    const char *name = name_cstr(&al->pl->project->arena, c->column);
    Diag *g = diag_warning(&al->pl->project->diags, "engine", al->now->file, c->span,
                           "ClickHouse 26.8 and older may lose every value of '%s' in %s if a merge runs while "
                           "this RENAME's mutation is pending (ClickHouse issues 80648, 111001)",
                           name, al->m->qname);
    diag_note(&al->pl->project->diags, g, NULL, (Span){0},
              "for the release, keep the table from merging (SETTINGS max_bytes_to_merge_at_max_space_in_pool = 1, "
              "reset once system.mutations shows the rename done) or stop its inserts; docs/mv-changes.md");
}

static const char *setting_named(Alter *al, const Decl *d, const char *key);

static void pause_merges(Alter *al)
{
    add_alter(al, "alter", ALTER_MERGES_PAUSED, false, false);
}

/* The two settings back to what the table had before the renames: its
 * own value where it set one, else the default. */
static void resume_merges(Alter *al)
{
    StrBuf set = {0}, reset = {0};
    for (size_t i = 0; i < sizeof merges_paused_keys / sizeof merges_paused_keys[0]; i++) {
        const char *key = merges_paused_keys[i], *was = setting_named(al, al->old, key);
        if (*was)
            strbuf_printf(&set, "%s%s = %s", set.len ? ", " : "MODIFY SETTING ", key, was);
        else
            strbuf_printf(&reset, "%s%s", reset.len ? ", " : "RESET SETTING ", key);
    }
    if (set.len)
        add_alter(al, "alter", set.s, false, false);
    if (reset.len) /* both: the summary's words for it (summary.c) */
        add_alter(al, "alter", set.len ? reset.s : ALTER_MERGES_RESUMED, false, false);
    strbuf_free(&set);
    strbuf_free(&reset);
}

static void renames(Alter *al)
{
    bool paused = false;
    for (int i = 0; i < al->now->clauses.n; i++) {
        const Clause *c = &al->now->clauses.v[i];
        if (c->kind != CL_RENAME_COLUMN)
            continue;
        int from = live_index(al, c->column);
        int taken = live_index(al, *c->renamed);
        if (from < 0 || (taken >= 0 && !change_clause(al->now, CL_DROP_COLUMN, *c->renamed)))
            continue; /* done in an earlier version, or nothing to do */
        if (!version_require_feature(al->pl->project, F_RENAME_COLUMN, al->now->file, c->span)) {
            al->live.v[from].name = *c->renamed; /* one error, not a cascade */
            continue;
        }
        if (!paused && renames_pause_merges(al)) {
            pause_merges(al);
            paused = true;
        }
        if (taken >= 0) {
            /* `drop column x` and `rename column y to x`: the old x goes first. */
            drop_live_column(al, taken);
            from = live_index(al, c->column);
        }
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_printf(&b, "RENAME COLUMN %s", if_exists(al, "IF EXISTS "));
        print_quoted_name(&p, c->column);
        strbuf_puts(&b, " TO ");
        print_quoted_name(&p, *c->renamed);
        if (paused)
            strbuf_puts(&b, " " ALTER_RENAME_WAITS);
        al->live.v[from].name = *c->renamed;
        add_alter(al, "rename", b.s, false, false);
        warn_rename_race(al, c);
        strbuf_free(&b);
    }
    if (paused)
        resume_merges(al);
}

static void drops(Alter *al)
{
    for (int i = 0; i < al->live.n; i++) {
        Name n = al->live.v[i].name;
        if (column_in(al->now, n))
            continue;
        if (!change_clause(al->now, CL_DROP_COLUMN, n)) {
            const char *name = name_cstr(&al->pl->project->arena, n);
            Diag *g = diag_error(&al->pl->project->diags, "destructive", al->now->file, al->now->name.span,
                                 "column '%s' is gone from this table: the plan would drop it with its data", name);
            diag_note(&al->pl->project->diags, g, NULL, (Span){0},
                      "say `drop column %s` after the table's clauses to drop it, or `rename column %s to NEW` "
                      "if it was renamed", name, name);
            continue;
        }
        drop_live_column(al, i--);
    }
}

/* 18.16 keeps no COMMENT given in ADD COLUMN (tried: the column is added,
 * its comment is empty). There the column is added without it, as a column
 * of its own (so that modifies() gives it its COMMENT COLUMN step), unless
 * the table is Replicated, where 18.16 refuses COMMENT COLUMN (48). */
static const Column *added_as(Alter *al, const Column *c)
{
    if (!c->mods || !c->mods->comment.len || version_is_after_18_16(&al->pl->project->options) ||
        ast_decl_replicated(al->now))
        return c;
    Column *bare = arena_alloc(&al->pl->project->arena, sizeof *bare);
    ColumnMods *mods = arena_alloc(&al->pl->project->arena, sizeof *mods);
    *bare = *c;
    *mods = *c->mods;
    mods->comment = (Span){0};
    bare->mods = mods;
    return bare;
}

static int default_kind(const Column *c);

/* The column a new column i goes AFTER: the one before it, or, where the
 * server keeps MATERIALIZED and ALIAS columns apart (18.16, which lists
 * them last anyway), the last ordinary one before it; -1 for none (the
 * column then goes at the end of the ordinary ones). */
static int after_column(const Alter *al, int i)
{
    int k = i - 1;
    if (!version_has_feature(&al->pl->project->options, F_AFTER_COMPUTED))
        while (k >= 0 && (default_kind(al->now->columns.v[k]) == DEF_MATERIALIZED ||
                          default_kind(al->now->columns.v[k]) == DEF_ALIAS))
            k--;
    return k;
}

/* ADD COLUMN for each new column, at its place. Returned in `combined`
 * instead when an ORDER BY change must share their statement. */
static void adds(Alter *al, bool combine)
{
    for (int i = 0; i < al->now->columns.n; i++) {
        const Column *c = al->now->columns.v[i];
        if (live_index(al, live_name(al, c->name)) >= 0)
            continue;
        const Column *added = added_as(al, c);
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_printf(&b, "ADD COLUMN %s", if_exists(al, "IF NOT EXISTS "));
        print_column_def(&p, added, true);
        int after = after_column(al, i);
        if (i == 0) {
            version_require_feature(al->pl->project, F_ADD_COLUMN_FIRST, al->now->file, c->name.span);
            strbuf_puts(&b, " FIRST");
        } else if (after >= 0) {
            strbuf_puts(&b, " AFTER ");
            print_quoted_name(&p, live_name(al, al->now->columns.v[after]->name));
        }
        int at = i == 0 ? 0 : live_index(al, live_name(al, al->now->columns.v[i - 1]->name)) + 1;
        *LIST_PUSH(&al->pl->project->arena, &al->live) = (LiveColumn){0};
        for (int k = al->live.n - 1; k > at; k--)
            al->live.v[k] = al->live.v[k - 1];
        al->live.v[at] = (LiveColumn){c->name, added, al->now};
        if (combine) {
            strbuf_puts(&al->combined, al->combined.len ? ", " : "");
            strbuf_add(&al->combined, b.s, b.len);
        } else {
            add_alter(al, "alter", b.s, false, false);
        }
        strbuf_free(&b);
    }
}

/* Integer width for narrowing; Bool is not an integer here. */
static int int_width(const Type *t)
{
    return t->kind == TY_BOOL ? 0 : type_int_bits(t);
}

/* Whether every value of `from` survives conversion to `to` (plan.h). */
bool alter_type_widens(const Type *from, const Type *to)
{
    if (from == to)
        return true;
    if (!from || !to)
        return false;
    if (to->kind == TY_NULLABLE)
        return alter_type_widens(from->kind == TY_NULLABLE ? from->elems[0] : from, to->elems[0]);
    if (from->kind == TY_LOWCARDINALITY)
        return alter_type_widens(from->elems[0], to);
    if (to->kind == TY_LOWCARDINALITY)
        return alter_type_widens(from, to->elems[0]);
    if (to->kind == TY_STRING)
        return from->kind != TY_NULLABLE;
    if (type_is_integer(from) && type_is_integer(to)) {
        int wf = int_width(from), wt = int_width(to);
        if (type_is_unsigned(from) == type_is_unsigned(to))
            return wt >= wf;
        return type_is_unsigned(from) && wt > wf;
    }
    if (from->kind == TY_FLOAT32 && to->kind == TY_FLOAT64)
        return true;
    if (type_is_integer(from) && to->kind == TY_FLOAT64)
        return int_width(from) <= 32;
    if (from->kind == TY_DECIMAL && to->kind == TY_DECIMAL)
        return to->scale >= from->scale && to->precision - to->scale >= from->precision - from->scale;
    return false;
}

static bool is_float32_or_64(const Type *t)
{
    return t->kind == TY_FLOAT32 || t->kind == TY_FLOAT64;
}

/* Whether a cast of `from` to `to` never fails and gives what an ALTER
 * MODIFY COLUMN from `from` to `to` makes of the rows already there
 * (plan.h): an insert's cast and the mutation's are the same `_CAST`.
 * A widening (no value changes); or a conversion between numbers that
 * wraps or rounds as the ALTER does (tried on chDB 26.5: Int64 to Int32
 * and UInt32, UInt32 to Int32 and back, Float64 to Float32 and Int64 to
 * Float64 give the ALTER's values, out of range included), a Nullable
 * one's NULLs kept. Not a float to an integer, nor a column that stops
 * being Nullable (the ALTER gives its NULLs a DEFAULT from 25.8, a cast
 * fails on them). */
bool alter_cast_alike(const Type *from, const Type *to)
{
    if (alter_type_widens(from, to))
        return true;
    if (from->kind == TY_NULLABLE && to->kind == TY_NULLABLE)
        return alter_cast_alike(from->elems[0], to->elems[0]);
    return (type_is_integer(from) || is_float32_or_64(from)) && (type_is_integer(to) || is_float32_or_64(to)) &&
           !(is_float32_or_64(from) && type_is_integer(to));
}

static bool is_int_or_decimal(const Type *t)
{
    return t->kind != TY_BOOL && (type_is_integer(t) || t->kind == TY_DECIMAL);
}

/* Whether a cast of `from` to `to` that can fail on a value gives what
 * the ALTER from `from` to `to` makes of it, and fails exactly where the
 * ALTER's mutation fails (plan.h): the ALTER converts the rows already
 * there with the same function, `_CAST(c, 'T')`. Tried on chDB 26.5: a
 * String read as Int32 and UInt64, wrapped out of range, `+5` and `007`
 * read, ` 12`, `1e2` and `` refused (codes 6 and 32); Decimal(18, 4) to
 * Decimal(9, 2) and to Int32, Int64 to Decimal(9, 2), truncated alike,
 * out of range refused (407); a Float64 read as an Int32, truncated
 * toward zero (1.7 to 1, -2.5 to -2), out of range -2147483648 alike,
 * NaN and inf refused (70). Not a String read as a float, a date or a
 * time (parsed by settings an insert and the mutation may not share:
 * precise_float_parsing, cast_string_to_date_time_mode,
 * session_timezone). */
bool alter_cast_fails_alike(const Type *from, const Type *to)
{
    if (from->kind == TY_NULLABLE && to->kind == TY_NULLABLE)
        return alter_cast_fails_alike(from->elems[0], to->elems[0]);
    return ((from->kind == TY_STRING || is_float32_or_64(from)) && to->kind != TY_BOOL && type_is_integer(to)) ||
           (is_int_or_decimal(from) && is_int_or_decimal(to) &&
            (from->kind == TY_DECIMAL || to->kind == TY_DECIMAL));
}

/* The canonical text a printer wrote into b, kept in the scratch arena
 * for comparing one version with the other; b is freed. */
static char *kept_text(Alter *al, StrBuf *b)
{
    char *s = arena_strndup(&al->pl->project->scratch, b->s ? b->s : "", b->len);
    strbuf_free(b);
    return s;
}

static char *printed(Alter *al, const Decl *d, const Expr *e)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, d);
    if (e)
        print_expr(&p, e);
    return kept_text(al, &b);
}

static char *printed_codec(Alter *al, const Decl *d, const Column *c)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, d);
    for (int i = 0; c->mods && i < c->mods->codec.n; i++)
        print_expr(&p, c->mods->codec.v[i]);
    return kept_text(al, &b);
}

static char *comment_of(Alter *al, const Decl *d, const Column *c)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, d);
    if (c->mods && c->mods->comment.len)
        print_string_literal(&p, d->file->text + c->mods->comment.off, c->mods->comment.len);
    return kept_text(al, &b);
}

static bool expr_mentions(const Expr *e, Name n)
{
    if (!e)
        return false;
    switch (e->kind) {
    case EX_COLUMN: return name_eq(e->name, n);
    case EX_CALL:
        for (int i = 0; i < e->u.call.args.n; i++)
            if (expr_mentions(e->u.call.args.v[i], n))
                return true;
        return false;
    case EX_TUPLE: case EX_ARRAY:
        for (int i = 0; i < e->u.list.items.n; i++)
            if (expr_mentions(e->u.list.items.v[i], n))
                return true;
        return false;
    case EX_UNARY: case EX_BINARY: case EX_ALIAS: case EX_CAST:
        return e->kind == EX_CAST ? expr_mentions(e->u.cast.a, n)
                                  : expr_mentions(e->u.x.a, n) || (e->kind == EX_BINARY && expr_mentions(e->u.x.b, n));
    default: return false;
    }
}

/* Whether a sorting, primary, partition or sampling key uses the column. */
static bool in_key(const Decl *d, Name n)
{
    for (int i = 0; i < d->clauses.n; i++) {
        const Clause *c = &d->clauses.v[i];
        bool key = c->kind == CL_ORDER_BY || c->kind == CL_PRIMARY_KEY || c->kind == CL_PARTITION_BY ||
                   c->kind == CL_SAMPLE_BY;
        if (key && expr_mentions(c->expr, n))
            return true;
    }
    return false;
}

static int default_kind(const Column *c)
{
    return c->mods ? c->mods->default_kind : DEF_NONE;
}

static void remove_property(Alter *al, const Column *c, const char *what)
{
    if (!version_require_feature(al->pl->project, F_REMOVE_COLUMN_PROPERTY, al->now->file, c->name.span))
        return;
    StrBuf b = {0};
    Printer p = printer_for(&b, al->now);
    strbuf_printf(&b, "MODIFY COLUMN %s", if_exists(al, "IF EXISTS "));
    print_quoted_name(&p, c->name);
    strbuf_printf(&b, " REMOVE %s", what);
    add_alter(al, "alter", b.s, false, false);
    strbuf_free(&b);
}

/* 18.16 refuses COMMENT COLUMN on Replicated tables (code 48, tried). */
static bool comment_alterable(Alter *al, const Column *c)
{
    if (ast_decl_replicated(al->now))
        return version_require_feature(al->pl->project, F_COMMENT_COLUMN_REPLICATED, al->now->file, c->name.span);
    return true;
}

static bool holds_null(const Type *t)
{
    return t && (t->kind == TY_NULLABLE || (t->kind == TY_LOWCARDINALITY && t->elems[0]->kind == TY_NULLABLE));
}

/* A column that stops being Nullable, with no DEFAULT of its own: where
 * the server asks for one (code 36: "Please specify DEFAULT"), it gets
 * its type's default value for the statement, which the NULLs take (the
 * narrowing `narrow column` said), and loses it again in the next step. */
static bool nulls_need_default(Alter *al, const Type *from, const Type *to, const Column *c)
{
    return holds_null(from) && to && !holds_null(to) && !default_kind(c) &&
           version_has_feature(&al->pl->project->options, F_MODIFY_NULL_DEFAULT);
}

static WalkResult find_column(Walker *w, Expr *e)
{
    *(bool *)w->ctx |= e->kind == EX_COLUMN;
    return WALK_CONTINUE;
}

/* A column that stops being Nullable whose own DEFAULT reads other
 * columns: the server's conversion, `_CAST(ifNull(c, DEFAULT), T)`,
 * cannot read them (tried on chDB 26.5: `Nullable(Int64)` to `Int32
 * DEFAULT toInt32(a * 100 + 1)` fails its mutation with code 47, which
 * stays stuck, and every read of the column fails with it). So the NULLs
 * take the DEFAULT by an UPDATE first, the type changes with a constant
 * DEFAULT (no NULL left), and the column gets its own DEFAULT last:
 * the same values, tried the same way. */
static bool nulls_filled_first(Alter *al, const Type *from, const Type *to, const Column *c)
{
    bool reads = false;
    Walker w = {.expr = find_column, .ctx = &reads};
    if (holds_null(from) && to && !holds_null(to) && default_kind(c) == DEF_DEFAULT && c->mods->default_expr &&
        version_has_feature(&al->pl->project->options, F_MODIFY_NULL_DEFAULT))
        walk_expr(&w, c->mods->default_expr);
    return reads;
}

/* `UPDATE c = DEFAULT WHERE c IS NULL`, then `MODIFY COLUMN c T DEFAULT
 * defaultValueOfTypeName('T')` (nulls_filled_first). */
static void fill_nulls(Alter *al, const Column *c, const Type *to, bool narrowing)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, al->now);
    strbuf_puts(&b, "UPDATE ");
    print_quoted_name(&p, c->name);
    strbuf_puts(&b, " = ");
    print_expr(&p, c->mods->default_expr);
    strbuf_puts(&b, " WHERE ");
    print_quoted_name(&p, c->name);
    strbuf_puts(&b, " IS NULL");
    add_alter(al, "alter", b.s, narrowing, false);
    strbuf_clear(&b);
    strbuf_printf(&b, "MODIFY COLUMN %s", if_exists(al, "IF EXISTS "));
    print_quoted_name(&p, c->name);
    strbuf_printf(&b, " %s DEFAULT defaultValueOfTypeName('", to->name);
    for (const char *t = to->name; *t; t++)
        strbuf_puts(&b, *t == '\'' ? "\\'" : *t == '\\' ? "\\\\" : (char[2]){*t, 0});
    strbuf_puts(&b, "')");
    add_alter(al, "alter", b.s, narrowing, false);
    strbuf_free(&b);
}

static void modify_column(Alter *al, LiveColumn *lc, const Column *c)
{
    const Column *o = lc->decl;
    const Decl *od = lc->owner;
    const Type *from = column_type(al, od, o), *to = column_type(al, al->now, c);
    bool type_changed = from != to;
    const Expr *old_def = o->mods ? o->mods->default_expr : NULL;
    const Expr *new_def = c->mods ? c->mods->default_expr : NULL;
    bool default_changed = default_kind(o) != default_kind(c) ||
                           strcmp(printed(al, od, old_def), printed(al, al->now, new_def)) != 0;
    bool codec_changed = strcmp(printed_codec(al, od, o), printed_codec(al, al->now, c)) != 0;
    bool ttl_changed = strcmp(printed(al, od, o->mods ? o->mods->ttl : NULL),
                              printed(al, al->now, c->mods ? c->mods->ttl : NULL)) != 0;
    if (type_changed && from && to && (from->kind == TY_AGGREGATE || to->kind == TY_AGGREGATE)) {
        Diag *g = diag_error(&al->pl->project->diags, "unalterable", al->now->file, typesyntax_column_span(al->now->file, c),
                             "ClickHouse cannot convert the aggregate states of '%s' to another type",
                             name_cstr(&al->pl->project->arena, c->name));
        diag_note(&al->pl->project->diags, g, NULL, (Span){0},
                  "from %s to %s; keep the old type, or add a column under a new name for the new states "
                  "(and `drop column` the old one once nothing reads it)", from->name, to->name);
        return;
    }
    if (type_changed && in_key(al->old, c->name)) {
        Diag *g = diag_error(&al->pl->project->diags, "unalterable", al->now->file, typesyntax_column_span(al->now->file, c),
                             "ClickHouse cannot change the type of '%s': the table's keys use it",
                             name_cstr(&al->pl->project->arena, c->name));
        diag_note(&al->pl->project->diags, g, NULL, (Span){0},
                  "keep %s, or declare a new table (chDB: 524, ALTER of a key column is not safe)", from ? from->name : "the old type");
        return;
    }
    bool narrowing = type_changed && !alter_type_widens(from, to);
    if (narrowing && !change_clause(al->now, CL_NARROW_COLUMN, c->name)) {
        const char *name = name_cstr(&al->pl->project->arena, c->name);
        Diag *g = diag_error(&al->pl->project->diags, "destructive", al->now->file, typesyntax_column_span(al->now->file, c),
                             "changing the type of '%s' may lose data", name);
        diag_note(&al->pl->project->diags, g, NULL, (Span){0}, "from %s to %s; say `narrow column %s` after the table's clauses if that is intended",
                  from ? from->name : "?", to ? to->name : "?", name);
        return;
    }
    if (default_kind(o) && !default_kind(c))
        remove_property(al, c, default_kind(o) == DEF_DEFAULT ? "DEFAULT" : default_kind(o) == DEF_MATERIALIZED ? "MATERIALIZED" : "ALIAS");
    if (o->mods && o->mods->codec.n && !(c->mods && c->mods->codec.n))
        remove_property(al, c, "CODEC");
    if (o->mods && o->mods->ttl && !(c->mods && c->mods->ttl))
        remove_property(al, c, "TTL");
    lc->decl = c;
    lc->owner = al->now;
    if (type_changed || (default_changed && default_kind(c)) || (codec_changed && c->mods && c->mods->codec.n) ||
        (ttl_changed && c->mods && c->mods->ttl)) {
        bool filled = type_changed && nulls_filled_first(al, from, to, c);
        if (filled)
            fill_nulls(al, c, to, narrowing);
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_printf(&b, "MODIFY COLUMN %s", if_exists(al, "IF EXISTS "));
        print_column_def(&p, c, false);
        bool nulls = nulls_need_default(al, from, to, c);
        if (nulls) {
            strbuf_puts(&b, " DEFAULT defaultValueOfTypeName('");
            for (const char *t = to->name; *t; t++)
                strbuf_puts(&b, *t == '\'' ? "\\'" : *t == '\\' ? "\\\\" : (char[2]){*t, 0});
            strbuf_puts(&b, "')");
        }
        add_alter(al, "alter", b.s, narrowing && !filled, false);
        strbuf_free(&b);
        if (nulls)
            remove_property(al, c, "DEFAULT");
    }
    if (strcmp(comment_of(al, od, o), comment_of(al, al->now, c)) != 0 && comment_alterable(al, c)) {
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_printf(&b, "COMMENT COLUMN %s", if_exists(al, "IF EXISTS "));
        print_quoted_name(&p, c->name);
        strbuf_printf(&b, " %s", *comment_of(al, al->now, c) ? comment_of(al, al->now, c) : "''");
        add_alter(al, "alter", b.s, false, false);
        strbuf_free(&b);
    }
}

static void modifies(Alter *al)
{
    for (int i = 0; i < al->live.n; i++) {
        const Column *c = column_in(al->now, al->live.v[i].name);
        if (c)
            modify_column(al, &al->live.v[i], c);
    }
}

/* ---- Table clauses ------------------------------------------------------------ */

static const Clause *clause_of(const Decl *d, ClauseKind kind)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == kind)
            return &d->clauses.v[i];
    return NULL;
}

static char *printed_clause(Alter *al, const Decl *d, ClauseKind kind)
{
    const Clause *c = clause_of(d, kind);
    StrBuf b = {0};
    Printer p = printer_for(&b, d);
    if (c)
        print_clause(&p, c);
    return kept_text(al, &b);
}

/* A key is compared without the parentheses around it as a whole: mvdc
 * before 2026-12 printed `ORDER BY (x)` as `ORDER BY x`, the same key. */
static bool clause_changed(Alter *al, ClauseKind kind)
{
    const Clause *o = clause_of(al->old, kind), *n = clause_of(al->now, kind);
    if (o && n && o->expr && n->expr)
        return strcmp(printed(al, al->old, o->expr), printed(al, al->now, n->expr)) != 0;
    return strcmp(printed_clause(al, al->old, kind), printed_clause(al, al->now, kind)) != 0;
}

static void unalterable(Alter *al, ClauseKind kind, const char *what)
{
    const Clause *c = clause_of(al->now, kind);
    Span at = c ? c->span : al->now->name.span;
    Diag *g = kind == CL_ORDER_BY
        ? diag_error(&al->pl->project->diags, "unalterable", al->now->file, at,
                     "ClickHouse can only extend the ORDER BY of an existing table, with columns added in "
                     "the same version and without a default")
        : diag_error(&al->pl->project->diags, "unalterable", al->now->file, at,
                     "ClickHouse cannot ALTER the %s of an existing table", what);
    diag_note(&al->pl->project->diags, g, NULL, (Span){0},
              "keep the previous %s; or declare a new table under a new name, move the MVs to it, "
              "and `drop table` the old one once its data is copied", what);
}

/* The new ORDER BY must be the old one with columns added by this version
 * at its end: ClickHouse takes that, in the same ALTER as the ADDs. */
static bool order_by_extends(Alter *al)
{
    const Clause *o = clause_of(al->old, CL_ORDER_BY), *n = clause_of(al->now, CL_ORDER_BY);
    if (!o || !n)
        return false;
    const Expr *oe = o->expr, *ne = n->expr;
    int on = oe->kind == EX_TUPLE ? oe->u.list.items.n : 1;
    if (ne->kind != EX_TUPLE || ne->u.list.items.n <= on)
        return false;
    for (int i = 0; i < ne->u.list.items.n; i++) {
        const Expr *item = ne->u.list.items.v[i];
        if (i < on) {
            const Expr *was = oe->kind == EX_TUPLE ? oe->u.list.items.v[i] : oe;
            if (strcmp(printed(al, al->old, was), printed(al, al->now, item)) != 0)
                return false;
        } else if (item->kind != EX_COLUMN || column_in(al->old, item->name)) {
            return false;
        } else {
            const Column *c = column_in(al->now, item->name);
            if (!c || default_kind(c) != DEF_NONE)
                return false; /* 26.5: a new key column may not have a default (36) */
        }
    }
    return true;
}

/* MergeTree settings fixed at CREATE (tried on 26.5: 472 READONLY_SETTING). */
static bool setting_is_readonly(Name key)
{
    static const char *const fixed[] = {"index_granularity", "index_granularity_bytes", "storage_policy"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (name_is(key, fixed[i]))
            return true;
    return false;
}

static const char *setting_value(Alter *al, const Decl *d, Name key)
{
    const Clause *c = clause_of(d, CL_SETTINGS);
    for (int i = 0; c && i < c->settings.n; i++)
        if (name_eq(c->settings.v[i].key, key))
            return printed(al, d, c->settings.v[i].value);
    return "";
}

static const char *setting_named(Alter *al, const Decl *d, const char *key)
{
    const Clause *c = clause_of(d, CL_SETTINGS);
    for (int i = 0; c && i < c->settings.n; i++)
        if (name_is(c->settings.v[i].key, key))
            return printed(al, d, c->settings.v[i].value);
    return "";
}

/* MODIFY SETTING for the settings that are new or changed. */
static void modify_settings(Alter *al, const Clause *c)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, al->now);
    for (int i = 0; c && i < c->settings.n; i++) {
        Name key = c->settings.v[i].key;
        if (strcmp(setting_value(al, al->old, key), setting_value(al, al->now, key)) == 0)
            continue;
        strbuf_puts(&b, b.len ? ", " : "MODIFY SETTING ");
        print_name(&p, key);
        strbuf_puts(&b, " = ");
        print_expr(&p, c->settings.v[i].value);
    }
    if (b.len && version_require_feature(al->pl->project, F_MODIFY_SETTING, al->now->file, c->span))
        add_alter(al, "alter", b.s, false, false);
    strbuf_free(&b);
}

/* RESET SETTING for those the new version no longer sets: their
 * defaults come back, as a fresh CREATE would have them. */
static void reset_settings(Alter *al, const Clause *now)
{
    const Clause *was = clause_of(al->old, CL_SETTINGS);
    StrBuf b = {0};
    Printer p = printer_for(&b, al->now);
    for (int i = 0; was && i < was->settings.n; i++) {
        Name key = was->settings.v[i].key;
        if (*setting_value(al, al->now, key))
            continue;
        strbuf_puts(&b, b.len ? ", " : "RESET SETTING ");
        print_name(&p, key);
    }
    Span at = now ? now->span : al->now->name.span;
    if (b.len && version_require_feature(al->pl->project, F_RESET_SETTING, al->now->file, at))
        add_alter(al, "alter", b.s, false, false);
    strbuf_free(&b);
}

static void table_clauses(Alter *al)
{
    Plan *pl = al->pl;
    if (clause_changed(al, CL_TTL)) {
        const Clause *c = clause_of(al->now, CL_TTL);
        if (c)
            add_alter(al, "alter", arena_printf(&pl->project->scratch, "MODIFY %s", printed_clause(al, al->now, CL_TTL)),
                      false, false);
        else
            add_alter(al, "alter", "REMOVE TTL", false, false);
    }
    if (clause_changed(al, CL_SETTINGS)) {
        const Clause *c = clause_of(al->now, CL_SETTINGS);
        for (int i = 0; c && i < c->settings.n; i++)
            if (setting_is_readonly(c->settings.v[i].key) &&
                strcmp(setting_value(al, al->old, c->settings.v[i].key), setting_value(al, al->now, c->settings.v[i].key)) != 0) {
                Diag *g = diag_error(&pl->project->diags, "unalterable", al->now->file, c->settings.v[i].key.span,
                                     "ClickHouse cannot change the setting '%s' of an existing table",
                                     name_cstr(&pl->project->arena, c->settings.v[i].key));
                diag_note(&pl->project->diags, g, NULL, (Span){0}, "keep its previous value, or declare a new table");
                return;
            }
        modify_settings(al, c);
        reset_settings(al, c);
    }
    if (clause_changed(al, CL_COMMENT)) {
        const Clause *c = clause_of(al->now, CL_COMMENT);
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_puts(&b, "MODIFY COMMENT ");
        if (c)
            print_string_literal(&p, al->now->file->text + c->comment.off, c->comment.len);
        else
            strbuf_puts(&b, "''");
        add_alter(al, "alter", b.s, false, false);
        strbuf_free(&b);
    }
}

/* ---- Indexes, constraints, projections ---------------------------------------- */

/* A table's other elements are matched by name: one that is gone or
 * different is dropped (before renames and column drops, which ClickHouse
 * refuses while an index reads the column: chDB 47), one that is new or
 * different is added once the columns it reads exist. Neither touches
 * data: existing parts get a new index or projection as they merge
 * (MATERIALIZE is a mutation, left to the operator). */
typedef enum ExtraKind { EXTRA_INDEX, EXTRA_CONSTRAINT, EXTRA_PROJECTION, EXTRA_KINDS } ExtraKind;

static const char *const extra_word[EXTRA_KINDS] = {"INDEX", "CONSTRAINT", "PROJECTION"};
static const Feature extra_feature[EXTRA_KINDS] = {F_ALTER_INDEX, F_ALTER_CONSTRAINT, F_ALTER_PROJECTION};

static int extra_count(const Decl *d, ExtraKind k)
{
    const TableBody *x = d->extras;
    if (!x)
        return 0;
    return k == EXTRA_INDEX ? x->indexes.n : k == EXTRA_CONSTRAINT ? x->constraints.n : x->projections.n;
}

static Name extra_name(const Decl *d, ExtraKind k, int i, Span *span)
{
    const TableBody *x = d->extras;
    switch (k) {
    case EXTRA_INDEX: *span = x->indexes.v[i]->span; return x->indexes.v[i]->name;
    case EXTRA_CONSTRAINT: *span = x->constraints.v[i]->span; return x->constraints.v[i]->name;
    default: *span = x->projections.v[i]->span; return x->projections.v[i]->name;
    }
}

/* The element as the plan writes it, after its keyword: `name ...`. */
static const char *extra_text(Alter *al, const Decl *d, ExtraKind k, int i)
{
    StrBuf b = {0};
    Printer p = printer_for(&b, d);
    const TableBody *x = d->extras;
    if (k == EXTRA_INDEX)
        print_index(&p, x->indexes.v[i]);
    else if (k == EXTRA_CONSTRAINT)
        print_constraint(&p, x->constraints.v[i]);
    else
        print_projection(&p, x->projections.v[i]);
    size_t skip = strlen(extra_word[k]) + 1;
    const char *text = arena_strndup(&al->pl->project->arena, b.s + skip, b.len - skip);
    strbuf_free(&b);
    return text;
}

/* Whether element i of `from` is in `in` as it is. */
static bool extra_kept(Alter *al, const Decl *from, ExtraKind k, int i, const Decl *in)
{
    Span span;
    Name n = extra_name(from, k, i, &span);
    for (int j = 0; j < extra_count(in, k); j++)
        if (name_eq(extra_name(in, k, j, &span), n))
            return strcmp(extra_text(al, from, k, i), extra_text(al, in, k, j)) == 0;
    return false;
}

static void extras_drop(Alter *al)
{
    for (ExtraKind k = 0; k < EXTRA_KINDS; k++)
        for (int i = 0; i < extra_count(al->old, k); i++) {
            if (extra_kept(al, al->old, k, i, al->now) ||
                !version_require_feature(al->pl->project, extra_feature[k], al->now->file, al->now->name.span))
                continue;
            Span span;
            StrBuf b = {0};
            Printer p = printer_for(&b, al->old);
            strbuf_printf(&b, "DROP %s %s", extra_word[k], if_exists(al, "IF EXISTS "));
            print_name(&p, extra_name(al->old, k, i, &span));
            add_alter(al, "alter", b.s, false, false);
            strbuf_free(&b);
        }
}

static void extras_add(Alter *al)
{
    for (ExtraKind k = 0; k < EXTRA_KINDS; k++)
        for (int i = 0; i < extra_count(al->now, k); i++) {
            Span span;
            extra_name(al->now, k, i, &span);
            if (extra_kept(al, al->now, k, i, al->old) ||
                !version_require_feature(al->pl->project, extra_feature[k], al->now->file, span))
                continue;
            StrBuf b = {0};
            strbuf_printf(&b, "ADD %s %s%s", extra_word[k], if_exists(al, "IF NOT EXISTS "),
                          extra_text(al, al->now, k, i));
            add_alter(al, "alter", b.s, false, false);
            strbuf_free(&b);
        }
}

/* ---- Column order --------------------------------------------------------------- */

/* Columns the source lists in another order (INSERT without a column list
 * and SELECT * follow it): each one out of place is moved after the one
 * before it, restating its whole definition (ClickHouse wants the type in
 * MODIFY COLUMN, and older servers reset what is left out). */
static void reorder(Alter *al)
{
    for (int i = 0; i < al->now->columns.n && i < al->live.n; i++) {
        const Column *c = al->now->columns.v[i];
        int from = live_index(al, c->name);
        if (from <= i)
            continue;
        if (!version_require_feature(al->pl->project, F_MODIFY_COLUMN_POSITION, al->now->file, c->name.span))
            return;
        StrBuf b = {0};
        Printer p = printer_for(&b, al->now);
        strbuf_printf(&b, "MODIFY COLUMN %s", if_exists(al, "IF EXISTS "));
        print_column_def(&p, c, true);
        if (i == 0) {
            strbuf_puts(&b, " FIRST");
        } else {
            strbuf_puts(&b, " AFTER ");
            print_quoted_name(&p, al->now->columns.v[i - 1]->name);
        }
        LiveColumn moved = al->live.v[from];
        for (int k = from; k > i; k--)
            al->live.v[k] = al->live.v[k - 1];
        al->live.v[i] = moved;
        add_alter(al, "alter", b.s, false, false);
        strbuf_free(&b);
    }
}

/* ---- The transition ------------------------------------------------------------ */

/* The previous plan's CREATE TABLE for the version with this hash, as a
 * declaration: `CREATE TABLE IF NOT EXISTS db.t [ON CLUSTER c]` becomes
 * `table db.t`, and the rest (columns, clauses) is .mvd already. */
static const Decl *parse_previous(Plan *pl, const Managed *m, const char *hash)
{
    Project *p = pl->project;
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    const char *sql = NULL;
    for (int i = 0; i < e->steps.n && !sql; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (strcmp(s->action, "create") == 0 && strcmp(s->kind, "table") == 0 && s->sets && strcmp(s->sets, hash) == 0)
            sql = s->sql;
    }
    const char *body = sql ? strstr(sql, "\n(") : NULL;
    if (!body)
        return NULL;
    const char *text = arena_printf(&p->arena, "table %s %s", m->qname, body + 1);
    SourceFile *f = source_from_string(&p->arena, "(previous plan)", text, strlen(text));
    DeclList decls = {0};
    Diags quiet;
    diag_init(&quiet, &p->scratch);
    parse_source(&p->arena, &quiet, f, &decls);
    return quiet.errors == 0 && decls.n == 1 && decls.v[0]->kind == DECL_TABLE ? decls.v[0] : NULL;
}

/* ---- The ADDs before the RENAMEs, for a source bridge ------------------------- */

/* A source bridge that reads a column this release adds to its trigger
 * (source_bridge.c) must come after that ADD and before the trigger's
 * RENAMEs and MODIFYs of what it reads; a rename bridge that writes a
 * column the release adds to its target (rename_bridge.c), after that ADD
 * and before the target's RENAMEs. The table's chain then makes its ADDs
 * first, and the bridge follows them (plan_open_bridges). */
static bool adds_lead(const Plan *pl, const Managed *t)
{
    for (int i = 0; i < t->dependents.n; i++) {
        const Managed *d = &pl->objects.v[t->dependents.v[i]];
        if (d->decl->kind == DECL_MV && d->in_place == IN_PLACE_BRIDGE && d->bridge_after && d->bridge_after == t->obj)
            return true;
    }
    return false;
}

typedef struct RenamedSeek {
    const Decl *now;
    bool found;
} RenamedSeek;

/* A column a RENAME of the release names (either name). */
static WalkResult renamed_seek(Walker *w, Expr *e)
{
    RenamedSeek *s = w->ctx;
    for (int i = 0; e->kind == EX_COLUMN && i < s->now->clauses.n; i++) {
        const Clause *c = &s->now->clauses.v[i];
        for (int k = 0; c->kind == CL_RENAME_COLUMN && k < e->u.path.parts.n; k++)
            s->found |= name_eq(e->u.path.parts.v[k], c->column) || name_eq(e->u.path.parts.v[k], *c->renamed);
    }
    return WALK_CONTINUE;
}

bool alter_adds_can_lead(Plan *pl, const Managed *t)
{
    const Decl *old = t->prev && t->prev->hash ? parse_previous(pl, t, t->prev->hash) : NULL;
    if (!old)
        return false;
    Alter al = {.pl = pl, .old = old, .now = t->decl};
    if (clause_changed(&al, CL_ORDER_BY))
        return false; /* its ADDs share one ALTER with MODIFY ORDER BY */
    for (int i = 0; i < old->columns.n; i++)
        *LIST_PUSH(&pl->project->scratch, &al.live) = (LiveColumn){old->columns.v[i]->name, old->columns.v[i], old};
    for (int i = 0; i < t->decl->columns.n; i++) {
        const Column *c = t->decl->columns.v[i];
        if (live_index(&al, live_name(&al, c->name)) >= 0)
            continue; /* there, or renamed to it */
        /* Made before the RENAMEs, an added column would take a name one
         * of them frees, or read a name that is not there yet. */
        for (int k = 0; k < t->decl->clauses.n; k++)
            if (t->decl->clauses.v[k].kind == CL_RENAME_COLUMN && name_eq(t->decl->clauses.v[k].column, c->name))
                return false;
        RenamedSeek seek = {.now = t->decl};
        Walker w = {.expr = renamed_seek, .ctx = &seek};
        if (c->mods) {
            walk_expr(&w, c->mods->default_expr);
            walk_expr(&w, c->mods->ttl);
        }
        if (seek.found)
            return false;
    }
    return true;
}

/* Whether a carried step ends a release's chain: its `sets=` is a
 * version, not one of the intermediate states add_alter derives from the
 * state before and the statement (an older mvdc derived them alike). */
static bool ends_version(const PrevStep *s)
{
    if (strncmp(s->guard, "when=", 5) != 0 || !s->sql || !s->sets)
        return true;
    size_t n = strlen(s->sql);
    StrBuf seed = {0};
    strbuf_printf(&seed, "%s\n%.*s", s->guard + 5, (int)(n && s->sql[n - 1] == ';' ? n - 1 : n), s->sql);
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(seed.s, seed.len, hex);
    strbuf_free(&seed);
    return strcmp(hex, s->sets) != 0;
}

static bool is_table_alter(const PrevStep *s)
{
    return strcmp(s->kind, "table") == 0 && (strcmp(s->action, "alter") == 0 || strcmp(s->action, "rename") == 0);
}

static bool names_state(const PrevStep *s, const char *hash)
{
    return strcmp(s->sets, hash) == 0 || (strncmp(s->guard, "when=", 5) == 0 && strcmp(s->guard + 5, hash) == 0);
}

/* A carried step, after any bridge carried from the previous plan that
 * came before it there, and before one that came right after it: a
 * bridge reads what its tables' steps before it made (an ADD it reads:
 * adds_lead), and runs across the rest. */
static void add_carried(Plan *pl, const Managed *m, const PrevStep *s)
{
    plan_open_carried_bridges(pl, m, (int)(s - pl->prev.steps.v));
    Step *st = LIST_PUSH(&pl->project->arena, &pl->steps);
    *st = (Step){.phase = s->phase, .action = s->action, .kind = s->kind, .qname = s->qname, .guard = s->guard,
                 .sets = s->sets, .src = s->src ? s->src : m->src, .sql = s->sql, .destructive = s->destructive};
    plan_open_carried_bridges_after(pl, m, (int)(s - pl->prev.steps.v));
}

/* ---- A table's steps in step with the MODIFY QUERYs of its MVs ----------------- */

/* A table's steps wait where an MV that reads or writes it has a MODIFY
 * QUERY to make between two of them (in_place.c):
 * - this release's chain from its DROP COLUMNs on, for an MV changed
 *   IN_PLACE_BETWEEN in this release: its old query reads or writes what
 *   they drop until its MODIFY QUERY (plan.c's setup_mv, alter_release);
 * - the carried steps that followed such an MV's MODIFY QUERY in the
 *   previous plan, for a plan rebuilt from itself: likewise;
 * - for an MV whose previous MODIFY QUERY is carried over to take it from
 *   an older state (a server two releases behind: in_place.c), the carried
 *   steps that followed that MODIFY QUERY in the previous plan, and this
 *   release's chain: until every table of the MV has come that far, when
 *   it is made (carried_modify_ready).
 * A table with such an MV queues its steps; each queue keeps its order,
 * and the MODIFY QUERYs fall between. */
struct AlterHeld {
    LIST_OF(const PrevStep *) carried; /* the carried steps; from `next` on not out yet */
    int next;
    bool chain; /* this release's chain, not made yet */
    Alter rest; /* made, from its DROP COLUMNs on, not out yet (rest.m NULL: none) */
};

/* An MV that still waits for its MODIFY QUERY, or its swap, between its
 * tables' ALTERs. */
static bool waits_between(const Managed *d)
{
    return d->decl->kind == DECL_MV && (d->in_place == IN_PLACE_BETWEEN || d->swap_between) && !d->modified;
}

/* An MV whose previous plan's MODIFY QUERY, carried over, is not out yet. */
static bool waits_carried(const Managed *d)
{
    return d->decl->kind == DECL_MV && d->carried_next < d->carried_modifies.n;
}

static int prev_index(const Plan *pl, const PrevStep *s)
{
    return (int)(s - pl->prev.steps.v);
}

static const Managed *dependent(const Plan *pl, const Managed *t, int i)
{
    return &pl->objects.v[t->dependents.v[i]];
}

static bool queued(const Plan *pl, const Managed *t)
{
    for (int i = 0; i < t->dependents.n; i++)
        if (waits_between(dependent(pl, t, i)) || waits_carried(dependent(pl, t, i)))
            return true;
    return false;
}

/* Whether the carried step waits for an MV's MODIFY QUERY that came
 * before it in the previous plan. */
static bool tables_begun(const Plan *pl, const Managed *mv);

static bool carried_waits(const Plan *pl, const Managed *t, const PrevStep *s)
{
    int at = prev_index(pl, s);
    for (int i = 0; i < t->dependents.n; i++) {
        const Managed *d = dependent(pl, t, i);
        if ((waits_between(d) && d->in_place_at && at > d->in_place_at - 1) ||
            (waits_carried(d) && (at > d->carried_modifies.v[d->carried_next] || !tables_begun(pl, d))))
            return true;
    }
    return false;
}

static bool chain_waits(const Plan *pl, const Managed *t)
{
    for (int i = 0; i < t->dependents.n; i++)
        if (waits_carried(dependent(pl, t, i)))
            return true;
    return false;
}

/* This release's DROP COLUMNs wait for an MV changed IN_PLACE_BETWEEN in
 * this release. */
static bool rest_waits(const Plan *pl, const Managed *t)
{
    for (int i = 0; i < t->dependents.n; i++)
        if (waits_between(dependent(pl, t, i)) && !dependent(pl, t, i)->in_place_at)
            return true;
    return false;
}

/* Where such an MV waits and a column is to be dropped: the chain is
 * held from its drops on. */
static bool held_for_mv(const Alter *al)
{
    if (!al->m->held || !rest_waits(al->pl, al->m))
        return false;
    for (int i = 0; i < al->live.n; i++)
        if (!column_in(al->now, al->live.v[i].name))
            return true;
    return false;
}

static void alter_chain(Plan *pl, Managed *m);
static void alter_finish(Alter *al);

/* Lets out what of the table's queue no MV waits for any more. */
static void table_advance(Plan *pl, Managed *t)
{
    AlterHeld *h = t->held;
    while (h->next < h->carried.n && !carried_waits(pl, t, h->carried.v[h->next]))
        add_carried(pl, t, h->carried.v[h->next++]);
    if (h->next < h->carried.n)
        return;
    if (h->chain && !chain_waits(pl, t)) {
        h->chain = false;
        alter_chain(pl, t);
    }
    if (h->rest.m && !rest_waits(pl, t)) {
        Alter al = h->rest;
        h->rest.m = NULL;
        alter_finish(&al);
    }
}

/* Whether the table's steps have come as far as step `at` of the
 * previous plan: set up, and nothing of it from before that step left. */
static bool table_reached(const Plan *pl, const Managed *t, int at)
{
    const AlterHeld *h = t->held;
    return t->alter_seq && (!h || h->next >= h->carried.n || prev_index(pl, h->carried.v[h->next]) > at);
}

/* The MV's tables that have begun their ALTERs, in the order they did
 * (the setup graph's: table_order.c may have put the target first). */
static Managed **tables_of(Plan *pl, const Managed *mv, int *n)
{
    const Object *o = mv->obj;
    Managed **v = arena_alloc(&pl->project->arena, sizeof *v * (size_t)(o->reads.n + 1));
    *n = 0;
    for (int k = 0; k <= o->reads.n; k++) {
        const Object *t = k < o->reads.n ? o->reads.v[k] : o->target;
        Managed *m = t && t->managed && t->kind == OBJ_TABLE ? &pl->objects.v[t->managed - 1] : NULL;
        bool listed = false;
        for (int i = 0; m && i < *n; i++)
            listed |= v[i] == m;
        if (!m || !m->alter_seq || listed)
            continue;
        int at = (*n)++;
        for (; at > 0 && v[at - 1]->alter_seq > m->alter_seq; at--)
            v[at] = v[at - 1];
        v[at] = m;
    }
    return v;
}

/* Whether every table of the MV has come as far as step `at`. */
static bool tables_reached(const Plan *pl, const Managed *mv, int at)
{
    for (int k = 0; k <= mv->obj->reads.n; k++) {
        const Object *o = k < mv->obj->reads.n ? mv->obj->reads.v[k] : mv->obj->target;
        if (o && o->managed && o->kind == OBJ_TABLE && !table_reached(pl, &pl->objects.v[o->managed - 1], at))
            return false;
    }
    return true;
}

/* Whether every table of the MV has begun its ALTERs: come as far as
 * before the previous plan's first step. */
static bool tables_begun(const Plan *pl, const Managed *mv)
{
    return tables_reached(pl, mv, -1);
}

static void carried_modify_ready(Plan *pl, const Managed *t);

/* Once all of a carrying MV's tables have begun: their carried steps and
 * its carried MODIFY QUERYs in the previous plan's order (which also
 * keeps the order of its tables' steps between two MODIFY QUERYs that an
 * earlier release needed: table_order.c), then their chains of this
 * release in the order the tables were set up. */
static void mv_walk(Plan *pl, Managed *mv)
{
    int n;
    Managed **tables = tables_of(pl, mv, &n);
    int before = pl->steps.n;
    for (;;) {
        Managed *next = NULL;
        for (int i = 0; i < n; i++) {
            AlterHeld *h = tables[i]->held;
            if (h && h->next < h->carried.n && !carried_waits(pl, tables[i], h->carried.v[h->next]) &&
                (!next || prev_index(pl, h->carried.v[h->next]) <
                              prev_index(pl, next->held->carried.v[next->held->next])))
                next = tables[i];
        }
        if (next)
            add_carried(pl, next, next->held->carried.v[next->held->next++]);
        else if (waits_carried(mv) && tables_reached(pl, mv, mv->carried_modifies.v[mv->carried_next]))
            plan_carried_modify(pl, mv);
        else
            break;
    }
    for (int i = 0; i < n; i++)
        if (tables[i]->held)
            table_advance(pl, tables[i]);
    for (int i = 0; pl->steps.n > before && i < n; i++)
        carried_modify_ready(pl, tables[i]); /* other MVs the queues let through */
}

/* The carrying MVs of a table that has just begun or moved on. */
static void carried_modify_ready(Plan *pl, const Managed *t)
{
    for (int i = 0; i < t->dependents.n; i++) {
        Managed *mv = &pl->objects.v[t->dependents.v[i]];
        if (waits_carried(mv) && tables_begun(pl, mv))
            mv_walk(pl, mv);
    }
}

void alter_check_released(Plan *pl)
{
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        const AlterHeld *h = m->held;
        if ((h && (h->next < h->carried.n || h->chain || h->rest.m)) ||
            (m->decl->kind == DECL_MV && (waits_carried(m) || waits_between(m))))
            diag_error(&pl->project->diags, "internal", m->decl->file, m->decl->name.span,
                       "mvdc could not place every step of %s among those of the MVs changed in place across "
                       "its tables (a bug in mvdc: please report it with the sources and the previous plan)",
                       m->qname);
    }
}

void alter_release(Plan *pl, const Managed *mv)
{
    int n;
    Managed **tables = tables_of(pl, mv, &n);
    for (int i = 0; i < n; i++)
        if (tables[i]->held)
            table_advance(pl, tables[i]);
}

/* Carries the previous plan's ALTER steps (and their states) for this
 * table: older transitions stay walkable, for the latest `keep` earlier
 * versions (option keep_versions; one fewer when this build adds a
 * version). Each carried version's chain starts where the step before it
 * ends a version; the chains of older versions and the states only they
 * name are left out, so a plan stays proportional to the project. */
static void carry_older_steps(Plan *pl, Managed *m, AlterHeld *into)
{
    Arena *a = &pl->project->arena;
    const ManifestEntry *e = manifest_entry(&pl->prev, m->qname);
    LIST_OF(const PrevStep *) chain = {0};
    for (int i = 0; i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        if (is_table_alter(s))
            *LIST_PUSH(a, &chain) = s;
    }
    bool changed = strcmp(m->prev->hash, m->hash) != 0;
    int allowed = pl->project->options.keep - (changed ? 1 : 0), versions = 0, cut = 0;
    for (int i = chain.n - 1; i >= 0; i--) {
        if (i > 0 && !ends_version(chain.v[i - 1]))
            continue; /* not the first step of a version's chain */
        if (++versions > allowed) {
            cut = i + 1;
            while (cut < chain.n && !(ends_version(chain.v[cut - 1])))
                cut++;
            break;
        }
    }
    for (int i = 0; i < e->states.n; i++) {
        const PrevState *s = &pl->prev.states.v[e->states.v[i]];
        if (strcmp(s->kind, "table") != 0 || strcmp(s->hash, m->hash) == 0)
            continue;
        bool kept = changed && strcmp(s->hash, m->prev->hash) == 0;
        for (int k = cut; !kept && k < chain.n; k++)
            kept = names_state(chain.v[k], s->hash);
        if (kept || chain.n == 0)
            *LIST_PUSH(a, &pl->states) = *s;
    }
    if (cut < chain.n) {
        m->carried_from = prev_index(pl, chain.v[cut]) + 1;
        plan_drop_dependents(pl, m);
    }
    for (int i = cut; i < chain.n; i++) {
        if (into)
            *LIST_PUSH(a, &into->carried) = chain.v[i];
        else
            add_carried(pl, m, chain.v[i]);
    }
}

/* The drops and moves that end a chain, then its last step landing on the
 * new version's hash (whose intermediate state is the version itself). */
static void alter_finish(Alter *al)
{
    Plan *pl = al->pl;
    Managed *m = al->m;
    plan_open_bridges_at_drops(pl, m);
    drops(al);
    reorder(al);
    if (al->first_step_done && strcmp(al->state, m->hash) != 0) {
        pl->steps.v[al->last_step].sets = m->hash;
        pl->states.n--;
        memmove(&pl->states.v[al->last_state], &pl->states.v[al->last_state + 1],
                sizeof pl->states.v[0] * (size_t)(pl->states.n - al->last_state));
    } else if (!al->first_step_done && !pl->project->diags.errors) {
        diag_error(&pl->project->diags, "unalterable", m->decl->file, m->decl->name.span,
                   "mvdc cannot ALTER this change to %s yet", m->qname);
    }
}

void alter_table(Plan *pl, Managed *m)
{
    m->alter_seq = ++pl->alters_begun;
    if (m->prev && queued(pl, m)) {
        m->held = arena_zalloc(&pl->project->arena, sizeof *m->held);
        carry_older_steps(pl, m, m->held);
        m->held->chain = strcmp(m->prev->hash, m->hash) != 0;
        if (m->held->chain)
            plan_drop_dependents(pl, m); /* before any step of it, as add_alter would */
        carried_modify_ready(pl, m); /* the last of a carrying MV's tables: all of them, in order */
        table_advance(pl, m);
    } else if (m->prev) {
        carry_older_steps(pl, m, NULL);
        if (strcmp(m->prev->hash, m->hash) != 0)
            alter_chain(pl, m);
    }
}

/* This release's ALTER steps, from the previous version to the new one. */
static void alter_chain(Plan *pl, Managed *m)
{
    const Decl *old = parse_previous(pl, m, m->prev->hash);
    if (!old) {
        diag_error(&pl->project->diags, "unalterable", m->decl->file, m->decl->name.span,
                   "the previous plan's definition of %s cannot be read back", m->qname);
        return;
    }
    Alter al = {.pl = pl, .m = m, .old = old, .now = m->decl, .state = m->prev->hash};
    const Clause *engine = clause_of(m->decl, CL_ENGINE);
    al.time_series = engine && name_is(engine->engine, "TimeSeries");
    for (int i = 0; i < old->columns.n; i++)
        *LIST_PUSH(&pl->project->arena, &al.live) = (LiveColumn){old->columns.v[i]->name, old->columns.v[i], old};
    static const struct { ClauseKind kind; const char *what; } fixed[] = {
        {CL_ENGINE, "engine"}, {CL_PARTITION_BY, "partition key"}, {CL_PRIMARY_KEY, "primary key"},
        {CL_SAMPLE_BY, "sampling key"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (clause_changed(&al, fixed[i].kind))
            unalterable(&al, fixed[i].kind, fixed[i].what);
    bool order_changed = clause_changed(&al, CL_ORDER_BY);
    bool extend = order_changed && order_by_extends(&al);
    if (order_changed && !extend)
        unalterable(&al, CL_ORDER_BY, "ORDER BY");
    /* Drops come last: a default, a TTL or a key may still read the
     * column until the steps before have moved them off it (chDB: 44, 47). */
    extras_drop(&al);
    bool lead = adds_lead(pl, m);
    if (lead) {
        adds(&al, false);
        plan_open_bridges(pl, m);
    }
    renames(&al);
    if (!lead)
        adds(&al, extend);
    if (extend) {
        strbuf_printf(&al.combined, ", MODIFY %s", printed_clause(&al, al.now, CL_ORDER_BY));
        add_alter(&al, "alter", al.combined.s, false, false);
    }
    modifies(&al);
    table_clauses(&al);
    extras_add(&al);
    strbuf_free(&al.combined);
    if (held_for_mv(&al)) {
        m->held->rest = al;
        return;
    }
    alter_finish(&al);
}

