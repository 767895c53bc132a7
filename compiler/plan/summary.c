/* `mvdc build --summary=md`: what a plan will do, in Markdown for a pull
 * request comment. It lists what changes against the previous plan:
 * objects created, altered, rebuilt, replaced and dropped, every
 * destructive step, and every MV that will miss inserts for a while (its
 * window: from the step that drops it to the step that creates it again). */
#include <string.h>

#include "plan/plan.h"
#include "strbuf.h"

/* The steps of each object, so that a summary of a large upgrade does not
 * scan the whole plan once per changed object. */
typedef LIST_OF(int) StepList;

typedef struct StepIndex {
    StrMap by_qname; /* qname -> StepList */
    Arena *arena;
} StepIndex;

static StepIndex index_steps(const Plan *pl)
{
    StepIndex ix = {.arena = &pl->project->arena};
    strmap_init(&ix.by_qname, ix.arena);
    for (int i = 0; i < pl->steps.n; i++) {
        const char *q = pl->steps.v[i].qname;
        StepList *l = strmap_get(&ix.by_qname, q, strlen(q));
        if (!l) {
            l = arena_zalloc(ix.arena, sizeof *l);
            strmap_put(&ix.by_qname, q, strlen(q), l);
        }
        *LIST_PUSH(ix.arena, l) = i;
    }
    return ix;
}

static const StepList *steps_of(const StepIndex *ix, const char *qname)
{
    static const StepList none = {0};
    const StepList *l = strmap_get(&ix->by_qname, qname, strlen(qname));
    return l ? l : &none;
}

static int count_steps(const Plan *pl, const StepIndex *ix, const char *qname, const char *action)
{
    const StepList *l = steps_of(ix, qname);
    int n = 0;
    for (int i = 0; i < l->n; i++)
        n += !action || strcmp(pl->steps.v[l->v[i]].action, action) == 0;
    return n;
}

static int step_of(const Plan *pl, const StepIndex *ix, const char *qname, const char *action)
{
    const StepList *l = steps_of(ix, qname);
    for (int i = 0; i < l->n; i++)
        if (strcmp(pl->steps.v[l->v[i]].action, action) == 0)
            return l->v[i] + 1;
    return 0;
}

static void row(StrBuf *b, const char *change, const char *kind, const char *qname, const char *what)
{
    strbuf_printf(b, "| %s | `%s` | %s | %s |\n", change, qname, kind, what);
}

static void object_rows(const Plan *pl, StrBuf *b, int *changes)
{
    StepIndex ix = index_steps(pl);
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        if (m->prev && strcmp(m->prev->hash, m->hash[0] ? m->hash : "present") == 0)
            continue;
        ++*changes;
        if (!m->prev) {
            row(b, "created", m->kind, m->qname, "new");
        } else if (strcmp(m->kind, "table") == 0) {
            char what[64];
            snprintf(what, sizeof what, "%d ALTER step(s)", count_steps(pl, &ix, m->qname, "alter") +
                                                             count_steps(pl, &ix, m->qname, "rename"));
            row(b, "altered", m->kind, m->qname, what);
        } else if (strcmp(m->kind, "materialized-view") == 0) {
            int drop = step_of(pl, &ix, m->qname, "drop"), create = step_of(pl, &ix, m->qname, "create");
            char what[160];
            int modify = step_of(pl, &ix, m->qname, "modify-query");
            if (modify && strstr(pl->steps.v[modify - 1].guard, m->prev->hash))
                snprintf(what, sizeof what, "query changed in place (MODIFY QUERY at step %d), no window", modify);
            else
                snprintf(what, sizeof what, "**dropped at step %d, created again at step %d: inserts in between "
                                            "are not seen by it**", drop, create);
            row(b, "rebuilt", m->kind, m->qname, what);
        } else {
            row(b, "replaced", m->kind, m->qname, "new definition");
        }
    }
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *s = &pl->steps.v[i];
        if (strcmp(s->phase, "teardown") == 0) {
            ++*changes;
            row(b, "dropped", s->kind, s->qname, s->destructive ? "**destructive: its data is deleted**" : "no longer declared");
        }
    }
}

char *summary_markdown(const Plan *pl)
{
    StrBuf b = {0};
    StrBuf rows = {0};
    int changes = 0;
    object_rows(pl, &rows, &changes);
    strbuf_printf(&b, "### mvd plan: %d step(s), %d change(s)\n\n", pl->steps.n, changes);
    if (changes) {
        strbuf_puts(&b, "| change | object | kind | what happens |\n| --- | --- | --- | --- |\n");
        strbuf_add(&b, rows.s, rows.len);
    } else {
        strbuf_puts(&b, "Nothing changes: a database at the previous plan's state converges without DDL.\n");
    }
    strbuf_free(&rows);
    int destructive = 0;
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *s = &pl->steps.v[i];
        if (!s->destructive)
            continue;
        if (!destructive++)
            strbuf_puts(&b, "\n**Destructive steps** (mvrun runs them only with `--allow-destructive`):\n\n");
        const char *nl = strchr(s->sql, '\n');
        strbuf_printf(&b, "- step %d, %s `%s`: `` %.*s ``\n", i + 1, s->kind, s->qname,
                      (int)(nl ? (size_t)(nl - s->sql) : strlen(s->sql)), s->sql);
    }
    return strbuf_take(&b);
}
