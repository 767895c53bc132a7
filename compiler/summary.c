/* `mvdc build --summary=md`: what a plan will do, in Markdown for a pull
 * request comment. It lists what changes against the previous plan:
 * objects created, altered, rebuilt, replaced and dropped, every
 * destructive step, and every MV that will miss inserts for a while (its
 * window: from the step that drops it to the step that creates it again). */
#include <string.h>

#include "plan.h"
#include "strbuf.h"

static int count_steps(const Plan *pl, const char *qname, const char *action)
{
    int n = 0;
    for (int i = 0; i < pl->steps.n; i++)
        if (strcmp(pl->steps.v[i].qname, qname) == 0 && (!action || strcmp(pl->steps.v[i].action, action) == 0))
            n++;
    return n;
}

static int step_of(const Plan *pl, const char *qname, const char *action, const char *phase)
{
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *s = &pl->steps.v[i];
        if (strcmp(s->qname, qname) == 0 && strcmp(s->action, action) == 0 && (!phase || strcmp(s->phase, phase) == 0))
            return i + 1;
    }
    return 0;
}

static void row(StrBuf *b, const char *change, const char *kind, const char *qname, const char *what)
{
    strbuf_printf(b, "| %s | `%s` | %s | %s |\n", change, qname, kind, what);
}

static void object_rows(const Plan *pl, StrBuf *b, int *changes)
{
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        if (m->prev && strcmp(m->prev->hash, m->hash[0] ? m->hash : "present") == 0)
            continue;
        ++*changes;
        if (!m->prev) {
            row(b, "created", m->kind, m->qname, "new");
        } else if (strcmp(m->kind, "table") == 0) {
            char what[64];
            snprintf(what, sizeof what, "%d ALTER step(s)", count_steps(pl, m->qname, "alter") +
                                                             count_steps(pl, m->qname, "rename"));
            row(b, "altered", m->kind, m->qname, what);
        } else if (strcmp(m->kind, "materialized-view") == 0) {
            int drop = step_of(pl, m->qname, "drop", NULL), create = step_of(pl, m->qname, "create", NULL);
            char what[160];
            if (step_of(pl, m->qname, "modify-query", NULL) && !drop)
                snprintf(what, sizeof what, "query changed in place (MODIFY QUERY), no window");
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
