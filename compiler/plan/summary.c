/* `mvdc build --summary=md|json`: what this build changes against the
 * previous plan, object by object, in words a reviewer can check without
 * reading the plan: "added column `x UInt32` after `y`", "renamed column
 * `a` to `b`", "MODIFY TTL: a mutation over every part", dropped (and
 * whether that deletes data), an MV rebuilt and the window in which it
 * misses inserts.
 *
 * A plan keeps the steps that bring older releases up to date too; the
 * summary leaves them out. A table's changes are the ALTER chain from the
 * previous plan's version of it to this one (each step's guard names the
 * version it starts from); a drop is a change only for an object the
 * previous plan still declared. */
#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <string.h>

#include "plan/plan.h"
#include "strbuf.h"

typedef LIST_OF(const char *) Words;

typedef struct Change {
    const char *change;    /* created, altered, rebuilt, replaced, dropped */
    const char *kind, *qname;
    Words what;
    bool destructive;
} Change;

typedef LIST_OF(Change) ChangeList;

typedef struct Summary {
    const Plan *pl;
    Arena *a;
    ChangeList changes;
    LIST_OF(int) destructive; /* indexes of this build's destructive steps */
} Summary;

static void say(Summary *s, Change *c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(Summary *s, Change *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf b = {0};
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    *LIST_PUSH(s->a, &c->what) = arena_strndup(s->a, b.s ? b.s : "", b.len);
    strbuf_free(&b);
}

static Change *add(Summary *s, const char *change, const char *kind, const char *qname)
{
    Change *c = LIST_PUSH(s->a, &s->changes);
    *c = (Change){.change = change, .kind = kind, .qname = qname};
    return c;
}

/* ---- Reading one ALTER command ------------------------------------------------ */

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\n')
        p++;
    return p;
}

/* Whether p starts with the words w (case-insensitive); *after past them. */
static bool starts(const char *p, const char *w, const char **after)
{
    size_t n = strlen(w);
    if (strncasecmp(p, w, n) != 0 || isalnum((unsigned char)p[n]) || p[n] == '_')
        return false;
    *after = skip_space(p + n);
    return true;
}

/* The statement without `ALTER TABLE name [ON CLUSTER c]` and its `;`. */
static const char *command_of(Summary *s, const Step *st)
{
    const char *p = skip_space(st->sql), *q;
    if (starts(p, "ALTER TABLE", &q))
        p = q;
    while (*p && *p != ' ')
        p += *p == '`' ? (strchr(p + 1, '`') ? (size_t)(strchr(p + 1, '`') - p) + 1 : 1) : 1;
    p = skip_space(p);
    if (starts(p, "ON CLUSTER", &q)) {
        p = q;
        while (*p && *p != ' ')
            p++;
        p = skip_space(p);
    }
    size_t n = strlen(p);
    while (n && (p[n - 1] == ';' || p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    /* One line: a PROJECTION's SELECT spans several. */
    StrBuf b = {0};
    for (size_t i = 0; i < n; i++) {
        bool space = p[i] == ' ' || p[i] == '\n';
        if (!space)
            strbuf_putc(&b, p[i]);
        else if (b.len && b.s[b.len - 1] != ' ' && b.s[b.len - 1] != '(' && i + 1 < n && p[i + 1] != ')' &&
                 p[i + 1] != ' ' && p[i + 1] != '\n')
            strbuf_putc(&b, ' ');
    }
    const char *one = arena_strndup(s->a, b.s ? b.s : "", b.len);
    strbuf_free(&b);
    return one;
}

/* A column name as the command writes it, backquotes and all; *rest
 * past it. */
static const char *column_name(Summary *s, const char *p, const char **rest)
{
    const char *q;
    if (starts(p, "IF NOT EXISTS", &q) || starts(p, "IF EXISTS", &q))
        p = q;
    const char *e = p;
    if (*e == '`') {
        e = strchr(e + 1, '`');
        e = e ? e + 1 : p + strlen(p);
    } else {
        while (*e && *e != ' ')
            e++;
    }
    *rest = skip_space(e);
    return arena_strndup(s->a, p, (size_t)(e - p));
}

/* The type at the start of a column definition: up to the first
 * DEFAULT, MATERIALIZED, ALIAS, CODEC, TTL or COMMENT outside brackets. */
static const char *type_of(Summary *s, const char *p)
{
    static const char *const stops[] = {"DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL", "CODEC", "TTL", "COMMENT",
                                        "AFTER", "FIRST", NULL};
    int depth = 0;
    const char *e = p, *q;
    for (; *e; e++) {
        depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
        if (depth || e == p || e[-1] != ' ')
            continue;
        for (int i = 0; stops[i]; i++)
            if (starts(e, stops[i], &q))
                goto done;
    }
done:
    while (e > p && e[-1] == ' ')
        e--;
    return arena_strndup(s->a, p, (size_t)(e - p));
}

static const char *unquote(Summary *s, const char *name)
{
    size_t n = strlen(name);
    return n > 2 && name[0] == '`' ? arena_strndup(s->a, name + 1, n - 2) : name;
}

/* The previous version's type of column `name`, or NULL. */
static const char *old_type(Summary *s, const PrevState *prev, const char *name)
{
    const char *bare = unquote(s, name);
    for (int i = 0; prev && i < prev->columns.n; i++)
        if (strcmp(prev->columns.v[i].name, bare) == 0)
            return prev->columns.v[i].type;
    return NULL;
}

static bool starts_nullable(const char *type)
{
    return strncmp(type, "Nullable(", 9) == 0 || strncmp(type, "LowCardinality(Nullable(", 24) == 0;
}

static void describe_modify_column(Summary *s, Change *c, const char *p, const PrevState *prev)
{
    const char *rest, *q;
    const char *name = column_name(s, p, &rest);
    if (starts(rest, "REMOVE", &q)) {
        if (!c->what.n || !strstr(c->what.v[c->what.n - 1], "(the DEFAULT is for this statement only)"))
            say(s, c, "removed the %s of column %s", q, name);
        return;
    }
    const char *type = type_of(s, rest), *was = old_type(s, prev, name), *after = strstr(rest, " AFTER ");
    size_t len = strlen(rest);
    if (after || (len > 6 && strcmp(rest + len - 6, " FIRST") == 0)) {
        say(s, c, "moved column %s %s", name, after ? arena_printf(s->a, "after %s", after + 7) : "first");
        if (was && strcmp(was, type) != 0)
            say(s, c, "changed the type of column %s from `%s` to `%s`: a mutation that rewrites the column in "
                      "every part", name, was, type);
        return;
    }
    const char *last = c->what.n ? c->what.v[c->what.n - 1] : "";
    const char *retyped = was ? arena_printf(s->a, "changed the type of column %s from `%s` to `%s`", name, was, type)
                              : NULL;
    if (was && strncmp(last, retyped, strlen(retyped)) == 0) /* after the NULLs were filled (alter.c) */
        say(s, c, "then gave column %s its DEFAULT: `%s`", name, rest);
    else if (was && strcmp(was, type) != 0)
        say(s, c, "%s: a mutation that rewrites the column in every part%s", retyped,
            strstr(last, "its NULLs set to") ? " (no NULL is left; the DEFAULT is for this statement only)"
            : strstr(rest, " DEFAULT defaultValueOfTypeName(") ? "; its NULLs take the type's default value (the "
                                                                "DEFAULT is for this statement only)"
            : starts_nullable(was) && !starts_nullable(type) && strstr(rest, " DEFAULT ")
                ? "; its NULLs take its DEFAULT" : "");
    else
        say(s, c, "changed column %s to `%s`", name, rest);
    if (strstr(rest, " TTL "))
        say(s, c, "column %s's TTL is applied to the existing data: a mutation over every part", name);
}

/* Whether cmd puts back the merge settings that a "merges paused" step
 * of this change set (alter.c's resume_merges): the defaults, or the
 * table's own values. */
static bool resumes_merges(const Change *c, const char *cmd)
{
    bool paused = false;
    for (int i = 0; i < c->what.n && !paused; i++)
        paused = strncmp(c->what.v[i], "merges paused", 13) == 0;
    const char *p;
    if (!paused || !(starts(cmd, "MODIFY SETTING", &p) || starts(cmd, "RESET SETTING", &p)))
        return false;
    while (*p) {
        if (!starts(p, "max_bytes_to_merge_at_max_space_in_pool", &p) &&
            !starts(p, "max_bytes_to_merge_at_min_space_in_pool", &p))
            return false;
        p += strcspn(p, ",");
        p = skip_space(p + (*p == ','));
    }
    return true;
}

/* One ALTER command in words. */
static void describe_command(Summary *s, Change *c, const Step *st, const PrevState *prev)
{
    const char *cmd = command_of(s, st), *p, *rest;
    if (starts(cmd, "ADD COLUMN", &p)) {
        const char *name = column_name(s, p, &rest), *after = strstr(rest, " AFTER ");
        const char *def = after ? arena_strndup(s->a, rest, (size_t)(after - rest)) : rest;
        if (after)
            say(s, c, "added column `%s %s` after %s", unquote(s, name), def, after + 7);
        else if (strcmp(def + (strlen(def) > 6 ? strlen(def) - 6 : 0), " FIRST") == 0)
            say(s, c, "added column `%s %.*s` first", unquote(s, name), (int)(strlen(def) - 6), def);
        else
            say(s, c, "added column `%s %s`", unquote(s, name), def);
    } else if (starts(cmd, "DROP COLUMN", &p)) {
        say(s, c, "dropped column %s: its data is deleted", column_name(s, p, &rest));
    } else if (starts(cmd, "RENAME COLUMN", &p)) {
        const char *from = column_name(s, p, &rest);
        const char *to = starts(rest, "TO", &p) ? p : rest, *waits = strstr(to, " " ALTER_RENAME_WAITS);
        say(s, c, "renamed column %s to %.*s%s", from, waits ? (int)(waits - to) : (int)strlen(to), to,
            waits ? ", waiting for its mutation" : "");
    } else if (strcmp(cmd, ALTER_MERGES_PAUSED) == 0) {
        say(s, c, "merges paused for its renames: ClickHouse 26.8 and older can lose a renamed column's values "
                  "to a merge that runs while the rename's mutation is pending (issues 80648, 111001)");
    } else if (strcmp(cmd, ALTER_MERGES_RESUMED) == 0) {
        say(s, c, "merges resumed, its renames' mutations done");
    } else if (resumes_merges(c, cmd)) {
        bool first = strncmp(c->what.v[c->what.n - 1], "merges resumed", 14) != 0;
        say(s, c, "%s`%s` (%s)", first ? "merges resumed, its renames' mutations done: " : "and ", cmd,
            cmd[0] == 'M' ? "the table's own value" : "the default");
    } else if (starts(cmd, "MODIFY COLUMN", &p)) {
        describe_modify_column(s, c, p, prev);
    } else if (starts(cmd, "COMMENT COLUMN", &p)) {
        const char *name = column_name(s, p, &rest);
        say(s, c, "comment of column %s: %s", name, rest);
    } else if (starts(cmd, "UPDATE", &p)) {
        const char *name = column_name(s, p, &rest), *where = strstr(rest, " WHERE ");
        const char *value = starts(rest, "=", &p) ? p : rest;
        if (where && strcmp(where, arena_printf(s->a, " WHERE %s IS NULL", name)) == 0)
            say(s, c, "its NULLs set to the DEFAULT of column %s, `%.*s`: a mutation over every part", name,
                (int)(where - value), value);
        else
            say(s, c, "`%s`", cmd);
    } else if (starts(cmd, "MODIFY TTL", &p)) {
        say(s, c, "MODIFY TTL `%s`: a mutation over every part of the table", p);
    } else if (starts(cmd, "REMOVE TTL", &p)) {
        say(s, c, "removed the table's TTL");
    } else {
        say(s, c, "`%s`", cmd);
    }
}

/* ---- Objects -------------------------------------------------------------------- */

static bool guard_names(const Step *st, const char *hash)
{
    return strncmp(st->guard, "when=", 5) == 0 && strstr(st->guard, hash) != NULL;
}

/* The ALTER chain from the previous plan's version (from) to this one:
 * each link the step whose guard starts from the last one's `sets`. */
static void table_changes(Summary *s, Change *c, const Managed *m)
{
    const Plan *pl = s->pl;
    const char *at = m->prev->hash;
    const PrevState *prev = manifest_state(&pl->prev, m->qname, at);
    for (int guard = 0; guard < pl->steps.n && strcmp(at, m->hash) != 0; guard++) {
        int found = -1;
        for (int i = 0; i < pl->steps.n && found < 0; i++) {
            const Step *st = &pl->steps.v[i];
            if (strcmp(st->qname, m->qname) == 0 && strcmp(st->phase, "setup") == 0 &&
                (strcmp(st->action, "alter") == 0 || strcmp(st->action, "rename") == 0) && guard_names(st, at))
                found = i;
        }
        if (found < 0)
            break;
        const Step *st = &pl->steps.v[found];
        describe_command(s, c, st, prev);
        if (st->destructive) {
            c->destructive = true;
            *LIST_PUSH(s->a, &s->destructive) = found;
        }
        at = st->sets;
    }
    if (!c->what.n)
        say(s, c, "its definition changed");
}

static int step_of(const Plan *pl, const char *qname, const char *action)
{
    for (int i = 0; i < pl->steps.n; i++)
        if (strcmp(pl->steps.v[i].qname, qname) == 0 && strcmp(pl->steps.v[i].action, action) == 0)
            return i + 1;
    return 0;
}

/* A fill by chunks says so: it resumes after a kill (mvrun's fill.c). */
static const char *chunk_words(const Plan *pl, int fill)
{
    return pl->steps.v[fill - 1].chunks ? " by chunks (partitions of the source; resumed after a kill)" : "";
}

/* The first ALTER after step `from` of a table the MV reads or writes,
 * or 0. */
static int alter_of_tables_after(const Plan *pl, const Managed *m, int from)
{
    const Object *o = m->obj;
    for (int i = from; o && i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        if (strcmp(st->action, "alter") != 0)
            continue;
        for (int k = 0; k <= o->reads.n; k++) {
            const Object *t = k < o->reads.n ? o->reads.v[k] : o->target;
            if (t && t->managed && strcmp(pl->objects.v[t->managed - 1].qname, st->qname) == 0)
                return i + 1;
        }
    }
    return 0;
}

static int first_alter_of_tables(const Plan *pl, const Managed *m)
{
    return alter_of_tables_after(pl, m, 0);
}

static int alter_from_previous(const Plan *pl, const Managed *t);

/* A source bridge's columns (source_bridge.c) of `table` (NULL: all):
 * "`b` (renamed from `a`, to `T`), ...", and their number in *n. */
static char *source_columns(Summary *s, const Managed *m, const Managed *table, int *n)
{
    StrBuf cols = {0};
    int k = 0;
    for (int i = 0; i < m->source_names.n; i++) {
        const char *from = m->source_from.v[i], *type = m->source_types.v[i];
        if (table && m->source_table.v[i] != table)
            continue;
        strbuf_printf(&cols, "%s`%s` (", k++ ? ", " : "", m->source_names.v[i]);
        if (from)
            strbuf_printf(&cols, "renamed from `%s`%s", from, type ? ", " : "");
        if (type)
            strbuf_printf(&cols, "to `%s`", type);
        strbuf_putc(&cols, ')');
    }
    char *text = arena_strndup(s->a, cols.s, cols.len);
    strbuf_free(&cols);
    if (n)
        *n = k;
    return text;
}

/* The first step after the bridge (step `bridge`) that alters or renames
 * something of table t, or 0. */
static int alter_after(const Plan *pl, const Managed *t, int bridge)
{
    for (int i = bridge; i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        if (strcmp(st->qname, t->qname) == 0 && (strcmp(st->action, "alter") == 0 || strcmp(st->action, "rename") == 0))
            return i + 1;
    }
    return 0;
}

/* A source bridge across the changes of two or more tables of its join
 * (source_bridge.c: each read through a subquery), after the ADDs of one
 * of them where it reads what they add (m->bridge_after); `target` the
 * target's renames it writes under both names too, or NULL. */
static void bridge_tables(Summary *s, Change *c, const Managed *m, int bridge, int last, const char *first,
                          const char *target)
{
    const Plan *pl = s->pl;
    const Managed *trigger = plan_managed_of(pl, m->obj->trigger);
    const Managed *lead = m->bridge_after ? plan_managed_of(pl, m->bridge_after) : NULL;
    int adds = lead ? alter_from_previous(pl, lead) : 0;
    StrBuf what = {0};
    int at = 0;
    for (int i = 0; i < m->bridge_subs.n; i++) {
        const Managed *t = m->bridge_subs.v[i].table;
        bool again = false; /* a table joined twice: a subquery each */
        for (int k = 0; k < i; k++)
            again |= m->bridge_subs.v[k].table == t;
        if (again)
            continue;
        int n, t_at = alter_after(pl, t, bridge);
        const char *cols = source_columns(s, m, t, &n);
        if (t_at && (!at || t_at < at))
            at = t_at;
        if (!n)
            continue;
        const char *whose = t == trigger ? "its trigger's" : arena_printf(s->a, "`%s`'s", t->qname);
        strbuf_printf(&what, "%s%s column%s %s", what.len ? " and " : "", whose, n > 1 ? "s" : "", cols);
    }
    const char *leads = lead && lead->obj == m->obj->target ? "its target's"
                        : lead == trigger                    ? "its trigger's"
                        : lead                               ? arena_printf(s->a, "`%s`'s", lead->qname)
                                                             : NULL;
    if (adds && adds < bridge)
        first = arena_printf(s->a, "%s%s ADD COLUMNs from step %d, ", first, leads, adds);
    say(s, c, "its query changed in place across the change of %s%s%s (%sMODIFY QUERY at step %d reading each "
              "table through a subquery of its new columns%s, the tables' %sALTERs from step %d, MODIFY QUERY at "
              "step %d): no window; the rows it delivered before are its old query's",
        what.s, target ? " and the rename of " : "", target ? target : "", first, bridge,
        target ? " and writing both names" : "", adds && adds < bridge ? "other " : "", at, last);
    strbuf_free(&what);
}

/* An MV bridged across its target's renames (rename_bridge.c), its
 * trigger's changes (source_bridge.c), or both: its bridge, the ALTERs,
 * its final query. */
static void bridge_changes(Summary *s, Change *c, const Managed *m, int bridge)
{
    const Plan *pl = s->pl;
    int last = bridge, rename = 0;
    for (int i = bridge; i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        if (strcmp(st->qname, m->qname) == 0 && strcmp(st->action, "modify-query") == 0)
            last = i + 1;
        else if (!rename && strcmp(st->qname, m->target) == 0 && strcmp(st->action, "rename") == 0)
            rename = i + 1;
    }
    StrBuf names = {0};
    for (int i = 0; i < m->bridge_old.n; i++)
        strbuf_printf(&names, "%s`%s` to `%s`", i ? ", " : "", m->bridge_old.v[i], m->bridge_new.v[i]);
    const char *target = m->bridge_old.n ? arena_printf(s->a, "its target's column%s %s", m->bridge_old.n > 1 ? "s" : "",
                                                        names.s)
                                         : NULL;
    strbuf_free(&names);
    if (!m->source_names.n) {
        int adds = alter_from_previous(pl, plan_managed_of(pl, m->obj->target));
        const char *first = adds && adds < bridge ? arena_printf(s->a, "its target's ADD COLUMNs from step %d, ", adds)
                                                  : ""; /* before the bridge that writes them (alter.c) */
        say(s, c, "its query changed in place across the rename of %s (%sMODIFY QUERY at step %d writing both names, "
                  "the RENAME from step %d, MODIFY QUERY at step %d): no window", target, first, bridge, rename, last);
        return;
    }
    int n = m->source_names.n, target_at = alter_from_previous(pl, plan_managed_of(pl, m->obj->target));
    const Managed *trigger = plan_managed_of(pl, m->obj->trigger);
    if (m->bridge_subs.n > 1) {
        bridge_tables(s, c, m, bridge, last,
                      m->target_first ? arena_printf(s->a, "its target's ALTERs from step %d, ", target_at) : "", target);
        return;
    }
    const Managed *read = m->bridge_table ? m->bridge_table : trigger; /* its trigger, or the table it joins */
    const char *whose = read == trigger ? "its trigger's" : arena_printf(s->a, "`%s`'s", read->qname);
    const char *as = read == trigger ? "the trigger's" : whose;
    int trigger_at = alter_from_previous(pl, read), after = trigger_at;
    const char *first = m->target_first ? arena_printf(s->a, "its target's ALTERs from step %d, ", target_at) : "";
    if (m->bridge_after && m->bridge_after == m->obj->target && target_at && target_at < bridge)
        first = arena_printf(s->a, "its target's ADD COLUMNs from step %d, ", target_at); /* what it writes (alter.c) */
    else if (trigger_at && trigger_at < bridge) { /* after the ADDs it reads (alter.c) */
        first = arena_printf(s->a, "%s%s ADD COLUMNs from step %d, ", first, whose, trigger_at);
        for (int i = bridge; i < pl->steps.n && after < bridge; i++)
            if (strcmp(pl->steps.v[i].qname, read->qname) == 0 && strcmp(pl->steps.v[i].kind, "table") == 0)
                after = i + 1;
    }
    say(s, c, "its query changed in place across the change of %s column%s %s%s%s (%sMODIFY QUERY at step "
              "%d reading %s as %s new column%s%s, %s %sALTERs from step %d, MODIFY QUERY at "
              "step %d): no window; the rows it delivered before are its old query's",
        whose, n > 1 ? "s" : "", source_columns(s, m, NULL, NULL), target ? " and the rename of " : "", target ? target : "", first,
        bridge, n > 1 ? "them" : "it", as, n > 1 ? "s" : "", target ? " and writing both names" : "", whose,
        after != trigger_at ? "other " : "", after, last);
}

/* The first ALTER step of this build's change of table t (the one
 * guarded by its previous state), or 0. */
static int alter_from_previous(const Plan *pl, const Managed *t)
{
    for (int i = 0; t && t->prev && t->prev->hash && i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        if (strcmp(st->qname, t->qname) == 0 && (strcmp(st->action, "alter") == 0 || strcmp(st->action, "rename") == 0) &&
            strstr(st->guard, t->prev->hash))
            return i + 1;
    }
    return 0;
}

/* How an MV changed in place after its target's ALTERs finds its old
 * query's outputs in the target's new columns (in_place_types.c). */
static const char *unchanged(const Managed *m)
{
    return m->in_place_converted ? "converted as the ALTERs convert its earlier rows" : "unchanged";
}

/* A column of a table it reads (its trigger, or one it joins) passed
 * through to its target, widened in both: the target's ALTERs first
 * (table_order.c), so that the old query's narrow output is what meets
 * the wide column in between; narrowed in both: that table's first, so
 * that the new query's narrow output meets the target's still wide
 * column. */
static void ordered_changes(Summary *s, Change *c, const Managed *m, int modify)
{
    const Plan *pl = s->pl;
    int target = alter_from_previous(pl, plan_managed_of(pl, m->obj->target));
    int read = alter_from_previous(pl, m->retyped_in);
    const char *table = m->retyped_in == plan_managed_of(pl, m->obj->trigger)
                            ? "its trigger's"
                            : arena_printf(s->a, "`%s`'s", m->retyped_in->qname);
    say(s, c, "its query changed in place (MODIFY QUERY at step %d, after the ALTERs of its tables, which change "
              "types under it: %s from step %d before %s from step %d, so that every output "
              "reaches its target's columns %s in between): no window", modify,
        m->read_first ? table : "its target's", m->read_first ? read : target,
        m->read_first ? "its target's" : table, m->read_first ? target : read, unchanged(m));
}

/* The MODIFY QUERY from the MV's previous state (one carried over from
 * the previous plan, from an older state, may come first), or 0. */
static int modify_from_previous(const Plan *pl, const Managed *m)
{
    for (int i = 0; m->prev && m->prev->hash && i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        if (strcmp(st->qname, m->qname) == 0 && strcmp(st->action, "modify-query") == 0 &&
            strstr(st->guard, m->prev->hash))
            return i + 1;
    }
    return 0;
}

/* How many releases the MODIFY QUERYs carried from the previous plan
 * walk: one each, but a bridge's two are one release (the state between
 * them is the bridge's, no state the manifest keeps). */
static int releases_carried(const Plan *pl, const Managed *m)
{
    int n = 0;
    for (int i = 0; i < m->carried_modifies.n; i++) {
        const char *from = pl->prev.steps.v[m->carried_modifies.v[i]].guard + strlen("when=");
        n += m->older && plan_states_within(from, m->older);
    }
    return n;
}

static void mv_changes(Summary *s, Change *c, const Managed *m)
{
    const Plan *pl = s->pl;
    int modify = step_of(pl, m->qname, "modify-query"), in_place = modify_from_previous(pl, m);
    if (in_place) {
        int carried = modify < in_place ? modify : 0;
        modify = in_place;
        c->change = "altered";
        bool same = m->older_same && strstr(m->older_same, m->prev->hash);
        int first = first_alter_of_tables(pl, m);
        if (m->in_place == IN_PLACE_BRIDGE)
            bridge_changes(s, c, m, modify);
        else if (m->in_place == IN_PLACE_BEFORE && m->in_place_retyped)
            say(s, c, "its query changed in place (MODIFY QUERY at step %d, before the ALTERs of its tables: every "
                      "output of its new query reaches its target's old column types %s): no window", modify,
                m->in_place_converted ? "and the ALTERs convert it back to itself" : "unchanged");
        else if (m->in_place == IN_PLACE_BEFORE)
            say(s, c, "its query changed in place (MODIFY QUERY at step %d, before the ALTERs of its tables, which "
                      "%s what only its old query used): no window", modify,
                !m->in_place_unread ? "drop" : m->in_place_unread_drop ? "drop or change the type of" : "change the type of");
        else if (m->in_place == IN_PLACE_BETWEEN)
            say(s, c, "its query%s changed in place (MODIFY QUERY at step %d, after the other ALTERs of its tables "
                      "and before their DROP COLUMNs from step %d: its new query finds every column it uses, its old "
                      "one kept those it used until then): no window; the rows it delivered before are its old "
                      "query's%s",
                same ? "" : " and output columns", modify, alter_of_tables_after(pl, m, modify),
                same ? "" : " (a column it did not write holds its default there)");
        else if (m->in_place == IN_PLACE_AFTER && m->in_place_retyped && (m->target_first || m->read_first))
            ordered_changes(s, c, m, modify);
        else if (m->in_place == IN_PLACE_AFTER && m->in_place_retyped)
            say(s, c, "its query%s changed in place (MODIFY QUERY at step %d, after the ALTERs of its tables, "
                      "which change types under it: every output reaches its target's columns %s in between): "
                      "no window; the rows it delivered before are its old query's", same ? "" : " and output columns", modify,
                unchanged(m));
        else if (!same || (first && first < modify))
            say(s, c, "its query%s changed in place (MODIFY QUERY at step %d%s): no window; the rows it delivered "
                      "before are its old query's%s", same ? "" : " and output columns", modify,
                first && first < modify ? ", after the ALTERs of its tables" : "",
                same ? "" : " (a column it did not write holds its default there)");
        else
            say(s, c, "its query changed in place (MODIFY QUERY at step %d): no window", modify);
        if (m->carried_modifies.n && carried)
            say(s, c, "from an earlier state (a server up to %d releases behind), the previous plan's MODIFY "
                      "QUERY%s first (from step %d, each in its place among the ALTERs it came with): no window there "
                      "either", 1 + releases_carried(pl, m), m->carried_modifies.n > 1 ? "s" : "", carried);
        return;
    }
    int shadow = step_of(pl, m->qname, "shadow");
    if (shadow) {
        /* The swap's statement: RENAME TABLE <shadow> TO <qname>; */
        const char *rename = pl->steps.v[shadow + 1].sql + strlen("RENAME TABLE ");
        int n = (int)(strlen(rename) - strlen(" TO ;") - strlen(m->qname));
        c->change = "replaced";
        say(s, c, "without a window (its target changed): the new MV is made at step %d as `%.*s`, the old "
                  "one dropped at step %d, the new one renamed to its name at step %d; rows reach the old MV's "
                  "target until the drop and the new one's from its creation, none twice into one target",
            shadow, n, rename, shadow + 1, shadow + 2);
        if (m->swap_bridge)
            say(s, c, "across the change of the column%s %s of the tables it reads: the new MV is made with a query "
                      "that reads %s as the ALTERs leave %s, before them (from step %d), and takes its own query "
                      "by MODIFY QUERY at step %d, after them",
                m->source_names.n > 1 ? "s" : "", source_columns(s, m, NULL, NULL),
                m->source_names.n > 1 ? "them" : "it", m->source_names.n > 1 ? "them" : "it",
                first_alter_of_tables(pl, m), step_of(pl, m->qname, "modify-query"));
        int after = alter_of_tables_after(pl, m, shadow + 2);
        if (m->swap_between)
            say(s, c, "its tables' ALTERs (neither MV reads what they change) come before the new MV%s",
                after ? arena_printf(&pl->project->arena, "; their DROP COLUMNs at step %d and after, once the old "
                                                          "MV, which may read what they drop, is gone", after)
                      : "");
        return;
    }
    int drop = step_of(pl, m->qname, "drop"), create = step_of(pl, m->qname, "create");
    int fill = step_of(pl, m->qname, "backfill");
    if (fill && pl->steps.v[fill - 1].cutoff)
        say(s, c, "rebuilt with a time cutoff: dropped at step %d, created at step %d taking the rows from the "
                  "cutoff on, its target emptied and filled with the rows before it at step %d%s, then MODIFY QUERY "
                  "at step %d: no row lost or counted twice while inserts go on", drop, create, fill,
            chunk_words(pl, fill), modify);
    else if (fill)
        say(s, c, "**rebuilt with backfill: dropped at step %d, its target emptied and filled from the source at "
                  "step %d%s, created at step %d; rows inserted while the fill runs are not seen (a gap: mvrun needs "
                  "`--allow-gap`)**", drop, fill, chunk_words(pl, fill), create);
    else
        say(s, c, "**dropped at step %d and created again at step %d: inserts into its source in between are not "
                  "seen by it (a gap: mvrun needs `--allow-gap`)**", drop, create);
}

/* The step that renames MV `qname` from a removed one, or 0. */
static int rename_step(const Plan *pl, const char *qname)
{
    for (int i = 0; i < pl->steps.n; i++)
        if (pl->steps.v[i].from && strcmp(pl->steps.v[i].qname, qname) == 0)
            return i + 1;
    return 0;
}

/* A removed MV that a new one replaces (mv_rename.c): renamed to it, or
 * dropped here and the new one created later, rows in between lost. */
static bool removed_mv_replaced(Summary *s, Change *c, const Step *drop, int at)
{
    const Plan *pl = s->pl;
    const PrevObject *old = manifest_object(&pl->prev, drop->kind, drop->qname);
    const Managed *m = old ? plan_mv_replacing(pl, old) : NULL;
    if (!m)
        return false;
    int create = step_of(pl, m->qname, "create");
    if (m->renamed_from)
        say(s, c, "renamed to `%s` at step %d; a server where it is in an earlier state drops it at step %d and "
                  "creates `%s` at step %d: inserts into its source in between reach neither (a gap: mvrun "
                  "needs `--allow-gap` there)",
            m->qname, rename_step(pl, m->qname), at, m->qname, create);
    else
        say(s, c, "**replaced by `%s` (the same target and source), created at step %d: inserts into its source "
                  "in between reach neither (a gap: mvrun needs `--allow-gap`)**",
            m->qname, create);
    return true;
}

static void object_changes(Summary *s)
{
    const Plan *pl = s->pl;
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        if (m->prev && strcmp(m->prev->hash, m->hash[0] ? m->hash : "present") == 0)
            continue;
        int fill = step_of(pl, m->qname, "backfill");
        if (!m->prev && fill) {
            Change *c = add(s, "created", m->kind, m->qname);
            if (pl->steps.v[fill - 1].cutoff)
                say(s, c, "its target emptied and filled from the source at step %d%s, with a time cutoff: no row "
                          "lost or counted twice while inserts go on", fill, chunk_words(pl, fill));
            else
                say(s, c, "its target emptied and filled from the source at step %d%s, before the MV is created", fill,
                    chunk_words(pl, fill));
        } else if (!m->prev && m->renamed_from) {
            Change *c = add(s, "renamed", m->kind, m->qname);
            say(s, c, "from `%s` (RENAME TABLE at step %d): it goes on delivering, no window", m->renamed_from,
                rename_step(pl, m->qname));
        } else if (!m->prev) {
            Change *c = add(s, "created", m->kind, m->qname);
            say(s, c, "new");
        } else if (strcmp(m->kind, "table") == 0) {
            table_changes(s, add(s, "altered", m->kind, m->qname), m);
        } else if (strcmp(m->kind, "materialized-view") == 0) {
            Change *c = add(s, "rebuilt", m->kind, m->qname);
            if (m->renamed_from && pl->prev.present && !manifest_object_get(&pl->declared, m->kind, m->renamed_from))
                say(s, c, "renamed from `%s` first (RENAME TABLE at step %d): it goes on delivering", m->renamed_from,
                    rename_step(pl, m->qname));
            mv_changes(s, c, m);
            if (m->moved_from && m->obj && plan_managed_of(pl, m->obj->trigger))
                say(s, c, "its %sMODIFY QUERY moves it from trigger `%s` to `%s`: it fires on inserts into the "
                          "new one from then on", m->in_place == IN_PLACE_BRIDGE ? "first " : "", m->moved_from,
                    plan_managed_of(pl, m->obj->trigger)->qname);
        } else {
            say(s, add(s, "replaced", m->kind, m->qname), "new definition");
        }
    }
    /* Teardown keeps dropping what earlier releases removed (for a
     * database that is behind): only what the previous plan declared is
     * this build's change. `drop table` comes at the end of the setup
     * (plan.c): the setup drops no other table. */
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *st = &pl->steps.v[i];
        bool table_drop = strcmp(st->phase, "setup") == 0 && strcmp(st->kind, "table") == 0;
        if ((strcmp(st->phase, "teardown") != 0 && !table_drop) || strcmp(st->action, "drop") != 0 ||
            (pl->prev.present && !manifest_object(&pl->prev, st->kind, st->qname)))
            continue;
        Change *c = add(s, "dropped", st->kind, st->qname);
        c->destructive = st->destructive;
        if (!st->destructive && removed_mv_replaced(s, c, st, i + 1))
            continue;
        say(s, c, st->destructive ? "**destructive: its data is deleted**" : "no longer declared");
        if (st->destructive)
            *LIST_PUSH(s->a, &s->destructive) = i;
    }
}

/* ---- Output --------------------------------------------------------------------- */

/* An object name in Markdown code: its own backquotes would end it. */
static void md_code(StrBuf *b, const char *text)
{
    strbuf_puts(b, strchr(text, '`') ? "`` " : "`");
    strbuf_puts(b, text);
    strbuf_puts(b, strchr(text, '`') ? " ``" : "`");
}

static void first_line(StrBuf *b, const char *sql)
{
    const char *nl = strchr(sql, '\n');
    strbuf_add(b, sql, nl ? (size_t)(nl - sql) : strlen(sql));
}

char *summary_markdown(const Plan *pl)
{
    Summary s = {.pl = pl, .a = &pl->project->arena};
    object_changes(&s);
    StrBuf b = {0};
    strbuf_printf(&b, "### mvd plan: %d step(s); %d change(s) since the previous plan\n\n", pl->steps.n,
                  s.changes.n);
    if (!s.changes.n)
        strbuf_puts(&b, "Nothing changes: a database at the previous plan's state converges without DDL.\n");
    for (int i = 0; i < s.changes.n; i++) {
        const Change *c = &s.changes.v[i];
        strbuf_printf(&b, "- %s %s ", c->change, c->kind);
        md_code(&b, c->qname);
        /* A creation is its own description, unless there is more to
         * say (a backfill MV's fill). */
        if (c->what.n == 1 && (strcmp(c->change, "created") != 0 || strcmp(c->what.v[0], "new") != 0)) {
            strbuf_printf(&b, ": %s\n", c->what.v[0]);
            continue;
        }
        strbuf_putc(&b, '\n');
        for (int k = 0; k < c->what.n && strcmp(c->change, "created") != 0; k++)
            strbuf_printf(&b, "  - %s\n", c->what.v[k]);
    }
    for (int i = 0; i < s.destructive.n; i++) {
        const Step *st = &pl->steps.v[s.destructive.v[i]];
        if (!i)
            strbuf_puts(&b, "\n**Destructive steps** (mvrun runs them only with `--allow-destructive`):\n\n");
        strbuf_printf(&b, "- step %d, %s ", s.destructive.v[i] + 1, st->kind);
        md_code(&b, st->qname);
        strbuf_puts(&b, ": `` ");
        first_line(&b, st->sql);
        strbuf_puts(&b, " ``\n");
    }
    return strbuf_take(&b);
}

/* A JSON string; the Markdown emphasis (**) of the words is left out. */
static void json_str(StrBuf *b, const char *text)
{
    strbuf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (p[0] == '*' && p[1] == '*')
            p++;
        else if (*p == '"' || *p == '\\')
            strbuf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            strbuf_printf(b, "\\u%04x", *p);
        else
            strbuf_putc(b, (char)*p);
    }
    strbuf_putc(b, '"');
}

char *summary_json(const Plan *pl)
{
    Summary s = {.pl = pl, .a = &pl->project->arena};
    object_changes(&s);
    StrBuf b = {0};
    strbuf_printf(&b, "{\"steps\":%d,\"changes\":[", pl->steps.n);
    for (int i = 0; i < s.changes.n; i++) {
        const Change *c = &s.changes.v[i];
        strbuf_puts(&b, i ? ",{\"change\":" : "{\"change\":");
        json_str(&b, c->change);
        strbuf_puts(&b, ",\"kind\":");
        json_str(&b, c->kind);
        strbuf_puts(&b, ",\"object\":");
        json_str(&b, c->qname);
        strbuf_printf(&b, ",\"destructive\":%s,\"what\":[", c->destructive ? "true" : "false");
        for (int k = 0; k < c->what.n; k++) {
            if (k)
                strbuf_putc(&b, ',');
            json_str(&b, c->what.v[k]);
        }
        strbuf_puts(&b, "]}");
    }
    strbuf_puts(&b, "],\"destructive_steps\":[");
    for (int i = 0; i < s.destructive.n; i++) {
        const Step *st = &pl->steps.v[s.destructive.v[i]];
        strbuf_printf(&b, "%s{\"step\":%d,\"kind\":", i ? "," : "", s.destructive.v[i] + 1);
        json_str(&b, st->kind);
        strbuf_puts(&b, ",\"object\":");
        json_str(&b, st->qname);
        strbuf_puts(&b, ",\"sql\":");
        json_str(&b, st->sql);
        strbuf_putc(&b, '}');
    }
    strbuf_puts(&b, "]}\n");
    return strbuf_take(&b);
}
