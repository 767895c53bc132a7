/* The `backfill` check. `backfill` on an MV says its target holds the
 * query over every row of its source, history included: the plan fills
 * the target from the source when the MV is created or rebuilt. That
 * needs the history to be there. A source that keeps no rows cannot give
 * it, and a plan that claimed otherwise would lose data silently:
 *
 *   - Null: rows go to the MVs and are thrown away (tried on 26.5 and
 *     18.16: SELECT from a Null table returns nothing);
 *   - streaming engines (Kafka, RabbitMQ, NATS, FileLog, S3Queue,
 *     AzureQueue): a SELECT consumes messages, it does not re-read them;
 *   - Buffer: it holds rows only until it flushes them elsewhere;
 *   - a row TTL (TTL ... [DELETE]): expired rows are gone, so the fill
 *     would give a target other than the one the MV built.
 * And the plan empties the target before it fills it, so no other MV may
 * push to it.
 * A TTL that only moves rows (TO DISK, TO VOLUME) keeps them. An external
 * table's engine is not known: nothing is said. */
#include <string.h>
#include <strings.h>

#include "check/passes.h"

static const char *const keeps_nothing[] = {
    "Null", "Kafka", "RabbitMQ", "NATS", "FileLog", "S3Queue", "AzureQueue", "Buffer",
};

static const Clause *find_clause(const Decl *d, ClauseKind k)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == k)
            return &d->clauses.v[i];
    return NULL;
}

static bool engine_keeps_nothing(const Clause *e)
{
    for (size_t i = 0; i < sizeof keeps_nothing / sizeof keeps_nothing[0]; i++)
        if (e->engine.len == strlen(keeps_nothing[i]) && strncmp(e->engine.s, keeps_nothing[i], e->engine.len) == 0)
            return true;
    return false;
}

static const TtlItem *deleting_ttl(const Clause *t)
{
    for (int i = 0; t && i < t->ttl.n; i++)
        if (t->ttl.v[i].action == 0)
            return &t->ttl.v[i];
    return NULL;
}

static void check_one(Project *p, const Object *mv)
{
    const Object *src = mv->trigger;
    if (!src || src->kind != OBJ_TABLE || !src->decl)
        return;
    const Decl *d = mv->decl, *sd = src->decl;
    const Clause *e = find_clause(sd, CL_ENGINE);
    if (e && engine_keeps_nothing(e)) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill,
                             "'%s' is declared backfill, but its source '%s' has engine %.*s, which keeps no rows: "
                             "there is no history to fill the target from",
                             mv->qname, src->qname, (int)e->engine.len, e->engine.s);
        diag_note(&p->diags, g, sd->file, e->span, "the engine of '%s'", src->qname);
        diag_note(&p->diags, g, NULL, (Span){0},
                  "drop `backfill`: the target then holds what the MV saw since it was created");
        return;
    }
    const TtlItem *t = deleting_ttl(find_clause(sd, CL_TTL));
    if (t) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill,
                             "'%s' is declared backfill, but its source '%s' deletes rows by TTL: "
                             "the rows it has deleted cannot be filled in again",
                             mv->qname, src->qname);
        diag_note(&p->diags, g, sd->file, t->expr->span, "the TTL of '%s'", src->qname);
        diag_note(&p->diags, g, NULL, (Span){0},
                  "drop `backfill`, or keep the rows (a TTL that moves them TO DISK or TO VOLUME keeps them)");
    }
}


/* `backfill by COLUMN`: the MV is made with `WHERE COLUMN >= T` and the
 * fill reads `COLUMN < T`, T a DateTime mvrun picks (docs/mv-changes.md).
 * The column must be one of the source's, and a DateTime or DateTime64:
 * a Date cannot split a day, and other types do not compare with T. */
static void check_cutoff_column(Project *p, const Object *mv)
{
    const Object *src = mv->trigger;
    const Decl *d = mv->decl;
    if (!d->backfill_by.len || !src || !src->decl)
        return;
    const Column *col = NULL;
    for (int i = 0; i < src->decl->columns.n && !col; i++)
        if (name_eq(src->decl->columns.v[i]->name, d->backfill_by))
            col = src->decl->columns.v[i];
    if (!col) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill_by.span,
                             "'%s' is backfilled by column '%.*s', which its source '%s' does not have",
                             mv->qname, (int)d->backfill_by.len, d->backfill_by.s, src->qname);
        diag_note(&p->diags, g, src->decl->file, src->decl->name.span, "'%s' is declared here", src->qname);
        return;
    }
    Name t = col->type ? col->type->name : (Name){0};
    if (!name_is(t, "DateTime") && !name_is(t, "DateTime64")) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill_by.span,
                             "'%s' is backfilled by column '%.*s', which is not a DateTime or DateTime64: the "
                             "cutoff between the fill and the MV is a time",
                             mv->qname, (int)d->backfill_by.len, d->backfill_by.s);
        diag_note(&p->diags, g, src->decl->file, col->name.span, "the column's declaration");
        diag_note(&p->diags, g, NULL, (Span){0},
                  "name a column that holds each row's ingestion time, such as `inserted DateTime DEFAULT now()`");
    }
}

/* Under `option cluster` a table that is not Replicated is one table per
 * host (the CREATE goes ON CLUSTER). The fill is one INSERT ... SELECT
 * sent through the host mvrun is connected to, and the truncate before it
 * goes ON CLUSTER. Tried on the 18.16 loopback cluster (history inserted
 * through both hosts, the MV made through host 1): a per-host target held
 * the history on host 1 only, host 2's copy none of it (and a rebuild
 * empties every host's copy); with a per-host source, the Replicated
 * target never got host 2's history. Either way the target is not the
 * query over the source's rows on any host. Only the MergeTree family is
 * judged (what was tried); a `local table` is per host all the same. */
static const Clause *per_host_engine(const Project *p, const Object *t)
{
    if (!p->options.cluster || !t || t->kind != OBJ_TABLE || !t->decl || ast_decl_replicated(t->decl))
        return NULL;
    const Clause *e = find_clause(t->decl, CL_ENGINE);
    const char *tail = "MergeTree";
    size_t n = strlen(tail);
    if (!e || e->engine.len < n || strncmp(e->engine.s + e->engine.len - n, tail, n) != 0
        || (e->engine.len >= 6 && strncmp(e->engine.s, "Shared", 6) == 0))
        return NULL;
    return e;
}

static void check_cluster(Project *p, const Object *mv)
{
    const Decl *d = mv->decl;
    const Clause *e = per_host_engine(p, mv->target);
    if (e) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill,
                             "'%s' is declared backfill, but under `option cluster` its target '%s' is not "
                             "replicated: the plan empties it on every host and fills it through the one host "
                             "mvrun is connected to, so the other hosts' copies never hold the history",
                             mv->qname, mv->target->qname);
        diag_note(&p->diags, g, mv->target->decl->file, e->span, "the engine of '%s'", mv->target->qname);
        diag_note(&p->diags, g, NULL, (Span){0}, "make '%s' Replicated%.*s (the fill then reaches every "
                  "replica), or drop `backfill`", mv->target->qname, (int)e->engine.len, e->engine.s);
    }
    e = per_host_engine(p, mv->trigger);
    if (e) {
        Diag *g = diag_error(&p->diags, "backfill", d->file, d->backfill,
                             "'%s' is declared backfill, but under `option cluster` its source '%s' is not "
                             "replicated: the fill reads the rows of the one host mvrun is connected to, and "
                             "the history the other hosts hold never reaches the target",
                             mv->qname, mv->trigger->qname);
        diag_note(&p->diags, g, mv->trigger->decl->file, e->span, "the engine of '%s'", mv->trigger->qname);
        diag_note(&p->diags, g, NULL, (Span){0}, "make '%s' Replicated%.*s (every replica then holds every "
                  "row), or drop `backfill`", mv->trigger->qname, (int)e->engine.len, e->engine.s);
    }
}

/* `backfill by` under `option cluster`: the cutoff would have to reach
 * every host's MV (mvrun keeps it in a table of the connected host), so
 * the plan fills such an MV as `backfill` does, gap included
 * (docs/mv-changes.md). Said, since the declaration promises more. */
static void check_cluster_cutoff(Project *p, const Object *mv)
{
    const Decl *d = mv->decl;
    if (!p->options.cluster || !d->backfill_by.len)
        return;
    Diag *g = diag_warning(&p->diags, "backfill", d->file, d->backfill_by.span,
                           "'%s' is backfilled by column '%.*s', but under `option cluster` the plan fills it as "
                           "`backfill` does: the time cutoff is not done on a cluster, so a rebuild has a gap "
                           "(mvrun runs it with --allow-gap)",
                           mv->qname, (int)d->backfill_by.len, d->backfill_by.s);
    diag_note(&p->diags, g, NULL, (Span){0}, "each host's MV would have to read the cutoff: see "
              "docs/mv-changes.md, \"`backfill by` on a cluster\"");
}

/* The plan empties a backfill MV's target before it fills it: rows that
 * another MV puts there would be erased (and never put back). */
static void check_shared_target(Project *p, const Object *mv)
{
    if (!mv->target)
        return;
    for (int i = 0; i < p->object_list.n; i++) {
        const Object *o = p->object_list.v[i];
        if (o == mv || o->kind != OBJ_MV || o->target != mv->target)
            continue;
        Diag *g = diag_error(&p->diags, "backfill", mv->decl->file, mv->decl->backfill,
                             "'%s' is declared backfill, but '%s' pushes to its target '%s' too: the plan "
                             "empties the target before filling it, which would erase that MV's rows",
                             mv->qname, o->qname, mv->target->qname);
        diag_note(&p->diags, g, o->decl->file, o->decl->name.span, "'%s' is declared here", o->qname);
        return;
    }
}

void check_backfill(Project *p)
{
    for (int i = 0; i < p->object_list.n; i++) {
        const Object *o = p->object_list.v[i];
        if (o->kind == OBJ_MV && o->decl && o->decl->backfill.len) {
            check_one(p, o);
            check_shared_target(p, o);
            check_cutoff_column(p, o);
            check_cluster(p, o);
            check_cluster_cutoff(p, o);
        }
    }
}
