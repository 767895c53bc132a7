/* judge: see judge.h and docs/mvrun.md ("Knowing an object's state"). */
#include "judge.h"
#include "swap.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Small helpers ------------------------------------------------------------- */

static int is_hash(const char *s)
{
    return strlen(s) == PLAN_HASH_LEN;
}

const char *judge_short_state(const char *state, char out[16])
{
    /* A hash shows its first 12 digits; words (absent, present,
     * unknown) are shorter than 16. */
    snprintf(out, 16, "%.12s", state);
    return out;
}

static void set_state(PlanState *s, const char *value)
{
    snprintf(s->s, sizeof s->s, "%s", value);
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    StrBuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    return strbuf_take(&b);
}

static char *object_key(ObjectKind kind, const PlanName *name)
{
    return format("%s %s", plan_kind_name(kind), name->key);
}

/* The kind a live object has, by its engine. */
static ObjectKind live_kind(const LiveObject *o)
{
    if (strcmp(o->engine, "View") == 0)
        return KIND_VIEW;
    if (strcmp(o->engine, "MaterializedView") == 0)
        return KIND_MATERIALIZED_VIEW;
    if (strcmp(o->engine, "Function") == 0)
        return KIND_FUNCTION;
    if (strcmp(o->engine, "Dictionary") == 0)
        return KIND_DICTIONARY; /* a DDL dictionary's row in system.tables (26.5) */
    return KIND_TABLE;
}

/* ---- Guards ------------------------------------------------------------------- */

static int state_in(const char *state, const PlanState *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].s, state) == 0)
            return 1;
        if (strcmp(list[i].s, "present") == 0 && strcmp(state, "absent") != 0)
            return 1;
    }
    return 0;
}

/* Whether s's guard lets it run when its object is in `state` (a hash,
 * absent, unknown): when= lists the states it runs on, unless= those it
 * does not; a listed "present" stands for every state but absent. The one
 * reading of a guard, for the walk over the steps, the versions the steps
 * reach from a candidate, and the create a missing object gets. */
static int step_runs_on(const PlanStep *s, const char *state)
{
    int match = state_in(state, s->guard_states, s->n_guard_states);
    return s->guard == GUARD_WHEN ? match : !match;
}

/* ---- Shapes: recognising a table by its columns and engine ------------------- */

static const LiveColumn *live_column(const LiveObject *o, const char *name)
{
    for (size_t i = 0; i < o->n_columns; i++)
        if (strcmp(o->columns[i].name, name) == 0)
            return &o->columns[i];
    return NULL;
}

/* The same engine and the same columns with the same types. Order is not
 * compared: 18.16 lists MATERIALIZED and ALIAS columns after the others
 * in system.columns, whatever their place in the table. */
static int shape_matches(const PlanShape *shape, const LiveObject *o)
{
    if (strcmp(shape->engine, o->engine) != 0 || shape->n_columns != o->n_columns)
        return 0;
    for (size_t i = 0; i < shape->n_columns; i++) {
        const LiveColumn *c = live_column(o, shape->columns[i].name);
        if (!c || strcmp(c->type, shape->columns[i].type) != 0)
            return 0;
    }
    return 1;
}

static const PlanShape *find_shape(const Plan *plan, const PlanName *name, const char *hash)
{
    for (size_t i = 0; i < plan->n_shapes; i++)
        if (strcmp(plan->shapes[i].name.key, name->key) == 0
            && strcmp(plan->shapes[i].hash.s, hash) == 0)
            return &plan->shapes[i];
    return NULL;
}

static int has_shapes(const Plan *plan, const PlanName *name)
{
    for (size_t i = 0; i < plan->n_shapes; i++)
        if (strcmp(plan->shapes[i].name.key, name->key) == 0)
            return 1;
    return 0;
}

/* Whether the plan names state for this object anywhere: a shape, the
 * object's final state, or a step's guard or sets=. */
static int plan_knows_state(const Plan *plan, const JudgedObject *o, const char *state)
{
    if (find_shape(plan, o->name, state))
        return 1;
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        int own = plan_same_object(s->kind, &s->name, o->kind, o->name);
        if (own && strcmp(s->sets.s, state) == 0)
            return 1;
        if (!(s->from.text ? plan_same_object(s->kind, &s->from, o->kind, o->name) : own))
            continue;
        for (size_t k = 0; k < s->n_guard_states; k++)
            if (strcmp(s->guard_states[k].s, state) == 0)
                return 1;
    }
    return 0;
}

/* The oldest version of a table the plan upgrades from: the state its
 * first ALTER step starts from (the chains are in release order), else
 * the version the plan ends at. */
static const char *oldest_version(const Plan *plan, const JudgedObject *o)
{
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (plan_same_object(s->kind, &s->name, o->kind, o->name) && s->guard == GUARD_WHEN
            && s->n_guard_states == 1 && (strcmp(s->action, "alter") == 0 || strcmp(s->action, "rename") == 0))
            return s->guard_states[0].s;
    }
    for (size_t i = 0; i < plan->n_objects; i++)
        if (plan_same_object(plan->objects[i].kind, &plan->objects[i].name, o->kind, o->name))
            return plan->objects[i].state.s;
    return "absent";
}

static void add_drift(Judgement *j, JudgedObject *o, char *what);

/* The registry says the table is at a version this plan does not know:
 * older than the versions a plan keeps (option keep_versions), or from a
 * newer plan. Nothing can be judged; the advice names the plan to apply
 * first by the line only it and its near successors have. */
static void add_too_old(const Plan *plan, Judgement *j, JudgedObject *o, const char *state)
{
    const char *oldest = oldest_version(plan, o);
    char a[16];
    add_drift(j, o, format("mvrun recorded it at version %s, which this plan does not know: older than "
                           "every version it upgrades from (mvdc keeps the latest versions of each "
                           "object, option keep_versions), or made by a newer plan. Apply first the "
                           "plan whose manifest has `-- @object %s %s %s` (in git: git log -S %s -- "
                           "PLAN), then this one",
                           judge_short_state(state, a), plan_kind_name(o->kind), o->name->text, oldest,
                           oldest));
    j->drift[j->n_drift - 1].too_old = 1;
}

/* How the live table differs from shape, "; "-separated. */
static void describe_difference(const PlanShape *shape, const LiveObject *o, StrBuf *out)
{
    size_t start = out->len;
#define SEP() (out->len > start ? "; " : "")
    if (strcmp(shape->engine, o->engine) != 0)
        strbuf_printf(out, "%sengine %s, the plan's version has %s", SEP(), o->engine, shape->engine);
    for (size_t i = 0; i < o->n_columns; i++) {
        const LiveColumn *c = &o->columns[i];
        const PlanColumn *want = NULL;
        for (size_t k = 0; k < shape->n_columns && !want; k++)
            if (strcmp(shape->columns[k].name, c->name) == 0)
                want = &shape->columns[k];
        if (!want)
            strbuf_printf(out, "%scolumn %s %s is not in the plan's version", SEP(), c->name, c->type);
        else if (strcmp(want->type, c->type) != 0)
            strbuf_printf(out, "%scolumn %s is %s, the plan's version has %s", SEP(), c->name, c->type,
                      want->type);
    }
    for (size_t k = 0; k < shape->n_columns; k++)
        if (!live_column(o, shape->columns[k].name))
            strbuf_printf(out, "%scolumn %s %s is missing", SEP(), shape->columns[k].name,
                      shape->columns[k].type);
#undef SEP
}

/* ---- Drift -------------------------------------------------------------------- */

static void add_drift(Judgement *j, JudgedObject *o, char *what)
{
    j->drift = xrealloc(j->drift, (j->n_drift + 1) * sizeof *j->drift);
    j->drift[j->n_drift].object = format("%s %s", plan_kind_name(o->kind), o->name->text);
    j->drift[j->n_drift].what = what;
    j->drift[j->n_drift].kind = o->kind;
    j->drift[j->n_drift].name = o->name;
    j->drift[j->n_drift].diff = NULL;
    j->drift[j->n_drift].diff_step = 0;
    j->drift[j->n_drift].too_old = 0;
    j->n_drift++;
    o->source = SOURCE_DRIFT;
    set_state(&o->state, STATE_UNKNOWN);
}

/* ---- Working out each object's state ----------------------------------------- */

static void known(JudgedObject *o, const char *state, StateSource source, int record, char *note)
{
    set_state(&o->state, state);
    o->source = source;
    o->record = record;
    free(o->note);
    o->note = note;
}

/* A step of a killed run that may have run unrecorded, on o, leaving it
 * in a state that `fits` (NULL: any state but absent); the later of two. */
static const RegistryEntry *pending_for(const LiveState *ls, const JudgedObject *o,
                                        const char **fits, size_t n_fits)
{
    const RegistryEntry *found = NULL;
    for (size_t i = 0; i < ls->n_pending; i++) {
        const RegistryEntry *p = &ls->pending[i];
        if (strcmp(p->kind, plan_kind_name(o->kind)) != 0 || strcmp(p->qname, o->name->key) != 0
            || strcmp(p->state, "absent") == 0)
            continue;
        int fit = fits == NULL;
        for (size_t k = 0; k < n_fits; k++)
            fit |= strcmp(fits[k], p->state) == 0;
        if (fit && (!found || p->step > found->step))
            found = p;
    }
    return found;
}

/* Of several versions with the same columns and engine, the one from
 * which the plan's steps reach all the others, or NULL. Steps between
 * versions of one shape change no column (comments, settings, TTL), and
 * those statements can run again: starting from the earliest is safe. */
static const char *earliest(const Plan *plan, const JudgedObject *o, const char **cands, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        unsigned char seen[64] = {0};
        size_t reached = 1;                 /* cands[c] itself */
        const char *state = cands[c];
        seen[c] = 1;
        for (size_t i = 0; i < plan->n_steps; i++) {
            const PlanStep *s = &plan->steps[i];
            if (!plan_same_object(s->kind, &s->name, o->kind, o->name) || s->from.text)
                continue;
            if (!step_runs_on(s, state))
                continue;
            state = s->sets.s;
            for (size_t k = 0; k < n; k++) {
                if (!seen[k] && strcmp(cands[k], state) == 0) {
                    seen[k] = 1;
                    reached++;
                }
            }
        }
        if (reached >= n)
            return cands[c];
    }
    return NULL;
}

/* A table the plan has shapes for: its columns and engine tell. */
static void resolve_table(const Plan *plan, const LiveState *rs, const LiveObject *live,
                          const RegistryEntry *e, Judgement *j, JudgedObject *o)
{
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < plan->n_shapes; i++) {
        const PlanShape *s = &plan->shapes[i];
        if (strcmp(s->name.key, o->name->key) == 0 && shape_matches(s, live) && n < 64)
            cands[n++] = s->hash.s;
    }
    int in_registry = 0;
    const RegistryEntry *p = pending_for(rs, o, cands, n);
    for (size_t i = 0; i < n; i++)
        in_registry |= e && strcmp(cands[i], e->state) == 0;
    int reread = !e || strcmp(e->live_hash, live->live_hash) != 0;
    char a[16], b[16];
    if (in_registry) {
        known(o, e->state, SOURCE_REGISTRY, reread, NULL);
    } else if (p && n > 1 && earliest(plan, o, cands, n) && strcmp(earliest(plan, o, cands, n), p->state) != 0) {
        /* The interrupted run's later steps changed no column: whether
         * they ran, the columns cannot tell (a REMOVE DEFAULT after the
         * MODIFY COLUMN that needed it). From the earliest, running them
         * again is safe (execute.c takes a REMOVE of what is gone as done). */
        const char *first = earliest(plan, o, cands, n);
        known(o, first, SOURCE_RECOVERED, 1,
              format("step %u of the last run, which was interrupted, may have made it; its columns and engine "
                     "match %zu versions the plan knows, taken as the earliest, %s, whose later steps are safe to "
                     "run again", p->step, n, judge_short_state(first, a)));
    } else if (p) {
        known(o, p->state, SOURCE_RECOVERED, 1,
              format("step %u of the last run, which was interrupted, had made it", p->step));
    } else if (n == 1) {
        known(o, cands[0], SOURCE_ADOPTED, 1,
              e ? format("recognised by its columns and engine as %s (the registry said %s)",
                         judge_short_state(cands[0], a), judge_short_state(e->state, b))
                : format("adopted: its columns and engine are those of %s",
                         judge_short_state(cands[0], a)));
    } else if (n > 1 && earliest(plan, o, cands, n)) {
        const char *first = earliest(plan, o, cands, n);
        known(o, first, SOURCE_ADOPTED, 1,
              format("its columns and engine match %zu versions the plan knows; taken as the "
                     "earliest, %s, whose later steps change no column and are safe to run again",
                     n, judge_short_state(first, a)));
    } else if (n > 1) {
        StrBuf what = {0};
        strbuf_printf(&what, "its columns and engine match %zu versions the plan knows (", n);
        for (size_t i = 0; i < n; i++)
            strbuf_printf(&what, "%s%s", i ? ", " : "", judge_short_state(cands[i], a));
        strbuf_puts(&what, ") and the registry does not say which it is");
        add_drift(j, o, strbuf_take(&what));
    } else if (e && !plan_knows_state(plan, o, e->state)) {
        add_too_old(plan, j, o, e->state);
    } else {
        /* Compare with the version it should be in: the registry's, else
         * the plan's final one, else any. */
        const PlanShape *ref = e ? find_shape(plan, o->name, e->state) : NULL;
        for (size_t i = 0; !ref && i < plan->n_objects; i++)
            if (plan_same_object(plan->objects[i].kind, &plan->objects[i].name, o->kind, o->name))
                ref = find_shape(plan, o->name, plan->objects[i].state.s);
        for (size_t i = 0; !ref && i < plan->n_shapes; i++)
            if (strcmp(plan->shapes[i].name.key, o->name->key) == 0)
                ref = &plan->shapes[i];
        StrBuf what = {0};
        strbuf_printf(&what, "no version the plan knows has its columns and engine (compared with %s): ",
                  judge_short_state(ref->hash.s, a));
        describe_difference(ref, live, &what);
        add_drift(j, o, strbuf_take(&what));
    }
}

/* A view, MV or function (or a table the plan has no shape for): the
 * hash of its live definition, read back after mvrun made it, tells. */
/* The plan's step a pending row names, when it is that step (a later
 * run may apply another plan), or NULL. */
static const PlanStep *pending_step_of(const Plan *plan, const RegistryEntry *p)
{
    const PlanStep *s = p->step >= 1 && p->step <= plan->n_steps ? &plan->steps[p->step - 1] : NULL;
    return s && strcmp(plan_kind_name(s->kind), p->kind) == 0 && strcmp(s->name.key, p->qname) == 0 &&
                   strcmp(s->sets.s, p->state) == 0
               ? s
               : NULL;
}

static int renames_or_modifies(const PlanStep *s)
{
    return s && (strcmp(s->action, "modify-query") == 0 || s->from.text);
}

/* A view's or MV's state from the killed run's pending steps: its
 * definition changed, so the first of them ran, and the later ones may
 * have. The latest is taken, but not past a MODIFY QUERY that follows a
 * MODIFY QUERY or a rename of the same MV (a bridge and the new query; a
 * rename and the change after it): the state before such a MODIFY QUERY
 * is taken, and the MODIFY QUERY, which sent again changes nothing, runs
 * again. Taking its state instead would skip it where it had not run (a
 * run killed between the two: the MV left at the bridge or at its old
 * query). */
static const RegistryEntry *pending_definition(const Plan *plan, const LiveState *rs, const JudgedObject *o)
{
    const RegistryEntry *found = pending_for(rs, o, NULL, 0);
    for (int moved = 1; found && moved;) {
        moved = 0;
        const RegistryEntry *before = NULL;
        for (size_t i = 0; i < rs->n_pending; i++) {
            const RegistryEntry *q = &rs->pending[i];
            if (strcmp(q->kind, found->kind) == 0 && strcmp(q->qname, found->qname) == 0 &&
                strcmp(q->state, "absent") != 0 && q->step < found->step && (!before || q->step > before->step))
                before = q;
        }
        const PlanStep *s = pending_step_of(plan, found), *b = before ? pending_step_of(plan, before) : NULL;
        if (s && strcmp(s->action, "modify-query") == 0 && renames_or_modifies(b)) {
            found = before;
            moved = 1;
        }
    }
    return found;
}

static void resolve_definition(const Plan *plan, const LiveState *ls, const LiveState *rs, const LiveObject *live,
                               const RegistryEntry *e, Judgement *j, JudgedObject *o)
{
    const RegistryEntry *p = pending_definition(plan, rs, o);
    if (e && !e->live_hash[0]) {
        known(o, e->state, SOURCE_REGISTRY, 1, NULL);   /* not read back yet: now */
    } else if (e && strcmp(e->live_hash, live->live_hash) == 0) {
        known(o, e->state, SOURCE_REGISTRY, 0, NULL);
    } else if (e && ls->server_version && strcmp(e->server_version, ls->server_version) != 0) {
        known(o, e->state, SOURCE_REREAD, 1,
              format("recorded under ClickHouse %s, now %s, which may print definitions "
                     "differently: taken as recorded, and read back again",
                     e->server_version, ls->server_version));
    } else if (p) {
        known(o, p->state, SOURCE_RECOVERED, 1,
              format("step %u of the last run, which was interrupted, had made it", p->step));
    } else if (!o->managed) {
        known(o, STATE_UNKNOWN, SOURCE_UNKNOWN, 0,
              xstrdup("exists; mvrun does not know its version"));
    } else if (e) {
        add_drift(j, o, xstrdup("its definition on the server is not the one mvrun created "
                                "(its create_table_query changed since mvrun read it back): "
                                "changed by hand?"));
    } else {
        add_drift(j, o, xstrdup("it exists, but mvrun did not create it (the registry has no "
                                "record of it): drop or rename it, or create it through the plan"));
    }
}

/* The rename step (from= o) of this plan that a killed run had pending,
 * and whose MV is on the server ls shows: it ran, unrecorded, and o went
 * with it (RENAME is one step on the server). NULL when none. */
static const PlanStep *renamed_unrecorded(const Plan *plan, const LiveState *ls, const LiveState *rs,
                                          const JudgedObject *o)
{
    for (size_t i = 0; i < rs->n_pending; i++) {
        const RegistryEntry *p = &rs->pending[i];
        if (p->step == 0 || p->step > plan->n_steps)
            continue;
        const PlanStep *s = &plan->steps[p->step - 1];
        if (s->from.text && plan_same_object(s->kind, &s->from, o->kind, o->name)
            && strcmp(p->qname, s->name.key) == 0 && state_find_object(ls, &s->name))
            return s;
    }
    return NULL;
}

/* o's state on the server that ls shows, with the registry that rs
 * holds (the same LiveState on a single server). */
static void resolve(const Plan *plan, const LiveState *ls, const LiveState *rs, Judgement *j,
                    JudgedObject *o)
{
    if (o->kind == KIND_DATABASE) {
        known(o, state_has_database(ls, o->name->name) ? "present" : "absent", SOURCE_SERVER, 0,
              NULL);
        return;
    }
    const LiveObject *live = state_find_object(ls, o->name);
    const RegistryEntry *e = state_find_entry(rs, o->kind, o->name->key);
    if (e && strcmp(e->state, "absent") == 0)
        e = NULL;
    const PlanStep *renamed = !live && e ? renamed_unrecorded(plan, ls, rs, o) : NULL;
    if (renamed) {
        known(o, "absent", SOURCE_RECOVERED, 1,
              format("step %u of the last run, which was interrupted, had renamed it to %s", renamed->number,
                     renamed->name.text));
        return;
    }
    if (!live) {
        known(o, "absent", SOURCE_SERVER, 0,
              e ? xstrdup("the registry has it, but it is gone from the server (dropped by "
                          "hand?): it is made again")
                : NULL);
        return;
    }
    o->live_hash = live->live_hash;
    if (live_kind(live) != o->kind) {
        add_drift(j, o, format("it is a %s on the server (engine %s)",
                               plan_kind_name(live_kind(live)), live->engine));
        return;
    }
    if (o->kind == KIND_TABLE && has_shapes(plan, o->name))
        resolve_table(plan, rs, live, e, j, o);
    else
        resolve_definition(plan, ls, rs, live, e, j, o);
}

/* ---- Clusters: every host judged ---------------------------------------------- */

/* The sets= of the first step that runs on o when it is absent (its
 * create), or NULL. */
static const char *create_sets(const Plan *plan, const JudgedObject *o)
{
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (plan_same_object(s->kind, &s->name, o->kind, o->name) && !s->from.text && step_runs_on(s, "absent"))
            return s->sets.s;
    }
    return NULL;
}

static void take_host(JudgedObject *o, JudgedObject *h)
{
    known(o, h->state.s, h->source, h->record, h->note);
    h->note = NULL;
    o->live_hash = h->live_hash;
}

/* Hosts in the state `state` (or, with not, in any other), comma-separated. */
static void hosts_in(const LiveState *live, const JudgedObject *per, const char *state, int not,
                     StrBuf *out)
{
    size_t start = out->len;
    for (size_t h = 0; h < live->n_hosts; h++)
        if ((strcmp(per[h].state.s, state) == 0) != not)
            strbuf_printf(out, "%s%s", out->len > start ? ", " : "", live->host_names[h]);
}

/* Every host judged on its own, against the one registry; then one state
 * for the object: the hosts' when they agree; absent when some lack it
 * and the others have exactly what the plan's create makes (a statement
 * that did not reach every host: the create runs again ON CLUSTER, and
 * its IF NOT EXISTS leaves the hosts that have it alone); else drift that
 * names each host. */
static void resolve_on_hosts(const Plan *plan, const LiveState *live, Judgement *j, JudgedObject *o)
{
    size_t n = live->n_hosts, present = n;
    int mixed = 0, absent = 0;
    JudgedObject *per = xcalloc(n, sizeof *per);
    Judgement scratch;
    memset(&scratch, 0, sizeof scratch);
    StrBuf what = {0};
    for (size_t h = 0; h < n; h++) {
        per[h].kind = o->kind;
        per[h].name = o->name;
        per[h].managed = o->managed;
        size_t before = scratch.n_drift;
        resolve(plan, &live->hosts[h], live, &scratch, &per[h]);
        if (scratch.n_drift > before)
            strbuf_printf(&what, "%son %s: %s", what.len ? "; " : "", live->host_names[h],
                          scratch.drift[before].what);
        if (strcmp(per[h].state.s, "absent") == 0)
            absent = 1;
        else if (present == n)
            present = h;
        else if (strcmp(per[h].state.s, per[present].state.s) != 0)
            mixed = 1;
    }
    char a[16];
    if (what.len) {
        add_drift(j, o, strbuf_take(&what));
    } else if (!mixed && (!absent || present == n)) {
        take_host(o, &per[0]);
    } else if (!mixed) {
        const char *made = create_sets(plan, o);
        if (made && strcmp(made, per[present].state.s) == 0) {
            hosts_in(live, per, "absent", 0, &what);
            known(o, "absent", SOURCE_SERVER, 0,
                  format("missing on %s (a statement that did not reach every host): made again "
                         "there; IF NOT EXISTS leaves the hosts that have it as they are",
                         strbuf_str(&what)));
            strbuf_clear(&what);
        } else if (!o->managed) {
            take_host(o, &per[present]);        /* the plan drops it: everywhere */
        } else {
            strbuf_puts(&what, "it is missing on ");
            hosts_in(live, per, "absent", 0, &what);
            strbuf_printf(&what, " and %s on ", judge_short_state(per[present].state.s, a));
            hosts_in(live, per, "absent", 1, &what);
            strbuf_puts(&what, ", a version the plan's create does not make: a statement reached "
                               "some hosts only");
            add_drift(j, o, strbuf_take(&what));
        }
    } else {
        strbuf_puts(&what, "the hosts disagree:");
        for (size_t h = 0; h < n; h++)
            strbuf_printf(&what, "%s %s on %s", h ? ";" : "", judge_short_state(per[h].state.s, a),
                          live->host_names[h]);
        strbuf_puts(&what, " (a statement that reached some hosts only; a host that has just come "
                           "back may still be running the DDL queue: run again in a moment)");
        add_drift(j, o, strbuf_take(&what));
    }
    strbuf_free(&what);
    for (size_t h = 0; h < n; h++)
        free(per[h].note);
    free(per);
    for (size_t i = 0; i < scratch.n_drift; i++) {
        free(scratch.drift[i].object);
        free(scratch.drift[i].what);
    }
    free(scratch.drift);
}

/* ---- Collecting the objects ---------------------------------------------------- */

static JudgedObject *object_for(Judgement *j, size_t *cap, ObjectKind kind, const PlanName *name)
{
    char *key = object_key(kind, name);
    size_t i;
    if (nameindex_get(&j->index, key, &i)) {
        free(key);
        return &j->objects[i];
    }
    if (j->n_objects == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        j->objects = xrealloc(j->objects, *cap * sizeof *j->objects);
    }
    JudgedObject *o = &j->objects[j->n_objects];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->name = name;
    nameindex_put(&j->index, key, j->n_objects++);
    free(key);
    return o;
}

const JudgedObject *judge_find(const Judgement *j, ObjectKind kind, const PlanName *name)
{
    char *key = object_key(kind, name);
    size_t i;
    int found = nameindex_get(&j->index, key, &i);
    free(key);
    return found ? &j->objects[i] : NULL;
}

static void collect(const Plan *plan, Judgement *j)
{
    size_t cap = 0;
    for (size_t i = 0; i < plan->n_objects; i++)
        object_for(j, &cap, plan->objects[i].kind, &plan->objects[i].name)->managed = 1;
    for (size_t i = 0; i < plan->n_dropped; i++)
        object_for(j, &cap, plan->dropped[i].kind, &plan->dropped[i].name);
    for (size_t i = 0; i < plan->n_steps; i++)
        object_for(j, &cap, plan->steps[i].kind, &plan->steps[i].name);
}

static char *skip_reason(const PlanStep *s, const char *state)
{
    char a[16];
    const char *shown = judge_short_state(state, a);
    if (strcmp(state, s->sets.s) == 0)
        return format("already done (%s)", shown);
    if (strcmp(state, "absent") == 0)
        return xstrdup("not needed: it is absent");
    return format("not needed: it is %s", shown);
}

/* An MV renamed from an old name (from=): it runs when its MV is absent
 * and the old one is in a state its guard names; then its MV is in its
 * sets= state and the old one absent, so the old one's drop, later in
 * the plan, does not run. */
static void walk_rename(Judgement *j, const PlanStep *s, JudgedObject *o, StepVerdict *v)
{
    JudgedObject *f = (JudgedObject *)judge_find(j, s->kind, &s->from);
    char a[16];
    int absent = strcmp(o->after.s, "absent") == 0;
    v->run = absent && f && step_runs_on(s, f->after.s);
    if (v->run) {
        v->reason = format("it is absent, and %s is %s", s->from.text, judge_short_state(f->after.s, a));
        o->after = s->sets;
        set_state(&f->after, "absent");
        j->n_to_run++;
    } else if (!absent) {
        v->reason = skip_reason(s, o->after.s);
    } else {
        v->reason = format("not needed: %s is %s", s->from.text,
                           f ? judge_short_state(f->after.s, a) : "absent");
    }
}

/* Walks the steps from the objects' states (again after judge_hold: a
 * held step keeps its reason and does not run). */
static void walk_steps(const Plan *plan, Judgement *j)
{
    if (!j->steps)
        j->steps = xcalloc(plan->n_steps ? plan->n_steps : 1, sizeof *j->steps);
    j->n_steps = plan->n_steps;
    j->n_to_run = 0;
    for (size_t i = 0; i < j->n_objects; i++)
        j->objects[i].after = j->objects[i].state;
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        StepVerdict *v = &j->steps[i];
        JudgedObject *o = (JudgedObject *)judge_find(j, s->kind, &s->name);
        v->before = o->after;
        if (v->held) {
            v->run = 0;
            continue;
        }
        free(v->reason);
        if (s->from.text) {
            walk_rename(j, s, o, v);
            continue;
        }
        v->run = step_runs_on(s, o->after.s);
        if (v->run) {
            char a[16];
            v->reason = strcmp(o->after.s, "absent") == 0 ? xstrdup("it is absent")
                        : strcmp(o->after.s, STATE_UNKNOWN) == 0 ? xstrdup("it exists")
                        : format("it is %s", judge_short_state(o->after.s, a));
            o->after = s->sets;
            j->n_to_run++;
        } else {
            v->reason = skip_reason(s, o->after.s);
        }
    }
}

/* A managed object that the steps do not take to its declared state: a
 * version the plan knows but has no way forward from. */
static void check_convergence(const Plan *plan, Judgement *j)
{
    for (size_t i = 0; i < plan->n_objects; i++) {
        const PlanObject *po = &plan->objects[i];
        JudgedObject *o = (JudgedObject *)judge_find(j, po->kind, &po->name);
        if (o->source == SOURCE_DRIFT)
            continue;
        int ok = strcmp(o->after.s, po->state.s) == 0
                 || (strcmp(po->state.s, "present") == 0 && strcmp(o->after.s, "absent") != 0);
        if (!ok) {
            char a[16], b[16];
            add_drift(j, o, format("it is %s, and no step of the plan takes it from there to %s",
                                   judge_short_state(o->state.s, a),
                                   judge_short_state(po->state.s, b)));
        }
    }
}

/* A view, MV, dictionary or function that mvrun made (the registry has it,
 * not as absent), that is still on the server, and that the plan does not
 * know at all: removed from the sources longer ago than the plan keeps
 * its @removed line (option keep_versions, docs/plan-format.md). It must
 * go before this plan runs (an MV would keep writing into a target the
 * plan may change), and only a plan that still lists it drops it: refused
 * like a table older than the plan, naming the line to look for. */
static void check_forgotten(const LiveState *live, Judgement *j)
{
    for (size_t i = 0; i < live->n_objects; i++) {
        const LiveObject *lo = &live->objects[i];
        if (!lo->engine || live_kind(lo) == KIND_TABLE)
            continue;
        ObjectKind kind = live_kind(lo);
        char *key = plan_name_key(lo->db, lo->name);
        const RegistryEntry *e = state_find_entry(live, kind, key);
        PlanName name = {.key = key};
        if (e && strcmp(e->state, "absent") != 0 && !judge_find(j, kind, &name)) {
            const char *k = plan_kind_name(kind);
            j->drift = xrealloc(j->drift, (j->n_drift + 1) * sizeof *j->drift);
            j->drift[j->n_drift] = (Drift){
                .object = format("%s %s", k, key),
                .what = format("mvrun made it, and this plan does not know it: removed from the sources "
                               "longer ago than the plan keeps removed objects (option keep_versions). "
                               "Apply first the plan whose manifest has `-- @removed %s %s`, which drops it "
                               "(in git: git log -G '^-- @removed %s %s( |$)' -- PLAN), then this one",
                               k, key, k, key),
                .kind = kind,
                .too_old = 1,
            };
            j->n_drift++;
        }
        free(key);
    }
}

/* Every MV read together with its shadow (swap.h): an MV that a plan
 * swaps in, half way, and any object under a shadow's name that this plan
 * did not make. Plans with a cluster have no swaps. */
static void judge_swaps(const Plan *plan, const LiveState *live, Judgement *j)
{
    for (size_t i = 0; i < j->n_objects; i++) {
        JudgedObject *o = &j->objects[i];
        if (o->kind != KIND_MATERIALIZED_VIEW || o->source == SOURCE_DRIFT)
            continue;
        const char *state = NULL;
        char *note = NULL;
        switch (swap_judge(plan, live, o->name, o->state.s, &state, &note)) {
        case SWAP_AS_IS:
            break;
        case SWAP_STATE:
        case SWAP_RECOVERED:
            known(o, state, SOURCE_RECOVERED, 1, note);
            note = NULL;
            break;
        case SWAP_DRIFT:
            add_drift(j, o, note);
            note = NULL;
            break;
        case SWAP_DRIFT_SHADOW: {
            PlanName shadow;
            plan_shadow_name(o->name, &shadow);
            j->drift = xrealloc(j->drift, (j->n_drift + 1) * sizeof *j->drift);
            j->drift[j->n_drift++] = (Drift){
                .object = format("%s %s", plan_kind_name(KIND_MATERIALIZED_VIEW), shadow.text),
                .what = note,
                .kind = KIND_MATERIALIZED_VIEW,
            };
            note = NULL;
            plan_name_release(&shadow);
            break;
        }
        }
        free(note);
    }
}

void judge_plan(const Plan *plan, const LiveState *live, Judgement *out)
{
    memset(out, 0, sizeof *out);
    collect(plan, out);
    for (size_t i = 0; i < out->n_objects; i++) {
        if (live->n_hosts)
            resolve_on_hosts(plan, live, out, &out->objects[i]);
        else
            resolve(plan, live, live, out, &out->objects[i]);
    }
    if (!live->n_hosts)
        judge_swaps(plan, live, out);
    check_forgotten(live, out);
    walk_steps(plan, out);
    check_convergence(plan, out);
}

void judge_hold(const Plan *plan, Judgement *j, size_t i, char *reason)
{
    StepVerdict *v = &j->steps[i];
    free(v->reason);
    v->reason = reason;
    v->held = 1;
    walk_steps(plan, j);
}

void judge_free(Judgement *j)
{
    for (size_t i = 0; i < j->n_objects; i++)
        free(j->objects[i].note);
    free(j->objects);
    for (size_t i = 0; i < j->n_steps; i++)
        free(j->steps[i].reason);
    free(j->steps);
    for (size_t i = 0; i < j->n_drift; i++) {
        free(j->drift[i].object);
        free(j->drift[i].what);
        free(j->drift[i].diff);
    }
    free(j->drift);
    nameindex_free(&j->index);
    memset(j, 0, sizeof *j);
}

/* ---- After a step --------------------------------------------------------------- */

static int landed_on(const Plan *plan, const LiveState *live, const PlanStep *step)
{
    if (step->kind == KIND_DATABASE) {
        int present = state_has_database(live, step->name.name);
        return strcmp(step->sets.s, "absent") == 0 ? !present : present;
    }
    /* What a truncate or a fill wrote does not show in the state: never
     * taken for done (a truncate is sent again, a fill fails or resumes). */
    if (strcmp(step->action, "truncate") == 0 || strcmp(step->action, "backfill") == 0)
        return 0;
    const LiveObject *o = state_find_object(live, &step->name);
    if (strcmp(step->sets.s, "absent") == 0 || strcmp(step->action, "drop") == 0)
        return o == NULL;       /* a swap's drop: absent, in a state of its own */
    if (!o)
        return 0;
    /* An MV renamed from an old name: it ran only when its MV was absent,
     * and RENAME moves the old one in one step. live may hold only the
     * MV's database: the old one is looked for when it is there. */
    if (step->from.text)
        return !(strcmp(step->from.db, step->name.db) == 0 && state_find_object(live, &step->from));
    if (step->kind == KIND_TABLE) {
        const PlanShape *shape = is_hash(step->sets.s) ? find_shape(plan, &step->name, step->sets.s) : NULL;
        if (!shape)
            return strcmp(step->action, "create") == 0;
        if (!shape_matches(shape, o))
            return 0;
        /* The columns tell only when the state before looked otherwise (a
         * comment or a setting changes no column): else say "cannot tell",
         * and such statements run again harmlessly. */
        for (size_t i = 0; step->guard == GUARD_WHEN && i < step->n_guard_states; i++) {
            const PlanShape *before = find_shape(plan, &step->name, step->guard_states[i].s);
            if (before && shape_matches(before, o))
                return 0;
        }
        return 1;
    }
    /* A view, MV or function: existing proves a create, not a replace. */
    return strcmp(step->action, "create") == 0;
}

int judge_step_landed(const Plan *plan, const LiveState *live, const PlanStep *step)
{
    if (!live->n_hosts)
        return landed_on(plan, live, step);
    /* With a cluster, on every host: never counted done from one. */
    for (size_t h = 0; h < live->n_hosts; h++)
        if (!landed_on(plan, &live->hosts[h], step))
            return 0;
    return 1;
}

/* Two versions of a table with the same engine and columns. */
static int same_shape(const PlanShape *a, const PlanShape *b)
{
    if (strcmp(a->engine, b->engine) != 0 || a->n_columns != b->n_columns)
        return 0;
    for (size_t i = 0; i < a->n_columns; i++) {
        size_t k = 0;
        while (k < b->n_columns && strcmp(a->columns[i].name, b->columns[k].name) != 0)
            k++;
        if (k == b->n_columns || strcmp(a->columns[i].type, b->columns[k].type) != 0)
            return 0;
    }
    return 1;
}

int judge_landing_visible(const Plan *plan, const PlanStep *step)
{
    if (strcmp(step->sets.s, "absent") == 0 || strcmp(step->action, "create") == 0
        || strcmp(step->action, "drop") == 0 || step->from.text)
        return 1;
    if (step->kind != KIND_TABLE || step->guard != GUARD_WHEN || !is_hash(step->sets.s))
        return 0;
    const PlanShape *after = find_shape(plan, &step->name, step->sets.s);
    if (!after || step->n_guard_states == 0)
        return 0;
    for (size_t i = 0; i < step->n_guard_states; i++) {
        const PlanShape *before = find_shape(plan, &step->name, step->guard_states[i].s);
        if (!before || same_shape(before, after))
            return 0;
    }
    return 1;
}

int judge_batchable(const Plan *plan, const PlanStep *step)
{
    if (step->destructive || step->cutoff)
        return 0;
    if (strcmp(step->action, "create") != 0 && strcmp(step->action, "alter") != 0
        && strcmp(step->action, "drop") != 0)
        return 0;
    return judge_landing_visible(plan, step);
}

int judge_table_is(const Plan *plan, const LiveState *live, const PlanName *name,
                   const char *state, StrBuf *diff)
{
    const PlanShape *shape = is_hash(state) ? find_shape(plan, name, state) : NULL;
    if (!shape)
        return 0;
    const LiveObject *o = state_find_object(live, name);
    if (!o) {
        strbuf_puts(diff, "it is not on the server");
        return -1;
    }
    if (shape_matches(shape, o))
        return 0;
    describe_difference(shape, o, diff);
    return -1;
}
