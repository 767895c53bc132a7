/* An MV renamed: taken to its new name by RENAME TABLE, with no window
 * (docs/mv-changes.md, "An MV renamed").
 *
 * The sources stop declaring `db.old` and declare `db.new`, the same MV
 * under another name. Dropping the one and creating the other (teardown,
 * then setup) loses every row inserted into their trigger in between:
 * the target stops getting them at the drop and the new MV sees only
 * what comes after its CREATE. RENAME TABLE of an MV keeps it delivering
 * (tried on chDB 26.5; 18.16 refuses it, code 48), and the renamed MV's
 * create_table_query then names it by its new name: the definition a
 * CREATE of the new one gives. So where the previous plan's CREATE of
 * the old MV, its name replaced, is the new one's CREATE, and nothing it
 * reads or writes changes in this release (the MV's state is then the
 * new one's), the plan renames it:
 *   teardown rename materialized-view db.new when=P sets=H from=db.old
 *   RENAME TABLE db.old TO db.new;
 * right before the old MV's teardown drop. Renamed and changed (another
 * query, a table it reads altered; the same database, target and
 * trigger), the RENAME gives it the old MV's state P instead, and the
 * new MV takes the old one's place in the previous plan (take_place):
 * its change is planned from P as any MV's, in place where it can be,
 * else dropped and created with the gap declared. The step's guard names
 * the old MV's state (P, the previous plan's), not the new one's: mvrun
 * runs it only while the new MV is absent and the old one is in P, and
 * the old one is absent after it, so its drop is skipped. A server where
 * the old MV is in another state (further behind) drops it and creates
 * the new one, a gap: the drop's `window until=` the new MV makes mvrun
 * refuse it without --allow-gap (plan_mv_replacing), and the summary
 * names it. Later plans carry the step while they
 * carry the old MV's drop (@removed), so a server a release behind is
 * renamed too, and a plan rebuilt from itself is the same plan.
 *
 * Not here: a rename into another database or target, a refreshable or
 * `backfill` MV, on a cluster or on a server without RENAME of an MV
 * (the old MV dropped, the new one created: plan_mv_replacing marks the
 * drop's window, which mvrun refuses without --allow-gap). */
#include <string.h>

#include "plan/plan.h"
#include "project/versions.h"

/* The database part of a qualified name as the plan prints it. */
static size_t db_len(const char *qname)
{
    const char *dot = strrchr(qname, '.');
    return dot ? (size_t)(dot - qname) : 0;
}

/* Whether `created`, with the old MV's name put where it names the new
 * one, is the old MV's CREATE `was`. */
static bool same_create(const char *was, const char *created, const char *old, const char *new)
{
    const char *head = "CREATE MATERIALIZED VIEW IF NOT EXISTS ";
    size_t hn = strlen(head), on = strlen(old), nn = strlen(new);
    return strncmp(was, head, hn) == 0 && strncmp(created, head, hn) == 0 && strncmp(was + hn, old, on) == 0 &&
           strncmp(created + hn, new, nn) == 0 && strcmp(was + hn + on, created + hn + nn) == 0;
}

/* Nothing the new MV reads or writes changes in this release. */
static bool tables_kept(const Plan *pl, const Managed *m)
{
    for (int k = 0; k <= m->obj->reads.n; k++) {
        const Managed *t = plan_managed_of(pl, k < m->obj->reads.n ? m->obj->reads.v[k] : m->obj->target);
        if (t && (!t->prev || strcmp(t->prev->hash, t->hash[0] ? t->hash : "present") != 0))
            return false;
    }
    return true;
}

/* Whether the removed MV `old`, as the previous plan created it, reads
 * new MV m's trigger first (`FROM trigger`, as the plan prints it). */
static bool same_trigger(const Plan *pl, const Managed *m, const PrevObject *old)
{
    const Managed *t = m->obj ? plan_managed_of(pl, m->obj->trigger) : NULL;
    const ManifestEntry *e = t ? manifest_entry(&pl->prev, old->qname) : NULL;
    for (int i = 0; e && i < e->steps.n; i++) {
        const PrevStep *st = &pl->prev.steps.v[e->steps.v[i]];
        const char *as = st->sql && strcmp(st->action, "create") == 0 ? strstr(st->sql, " AS\n") : NULL;
        const char *from = as ? strstr(as, "\nFROM ") : NULL;
        size_t n = strlen(t->qname);
        if (from && strncmp(from + 6, t->qname, n) == 0 && strchr(" \n;", from[6 + n]))
            return true;
    }
    return false;
}

/* Whether the new MV `m` is the removed MV `old` under another name. */
static bool renames(const Plan *pl, const Managed *m, const PrevObject *old)
{
    const char *was = manifest_create_of(&pl->prev, old);
    return strcmp(old->kind, "materialized-view") == 0 && old->target && m->target &&
           strcmp(old->target, m->target) == 0 && db_len(old->qname) == db_len(m->qname) &&
           strncmp(old->qname, m->qname, db_len(m->qname)) == 0 && was && m->create &&
           same_create(was, m->create, old->qname, m->qname) && tables_kept(pl, m);
}

static bool eligible(const Plan *pl, const Managed *m)
{
    return pl->prev.present && !pl->cluster && version_has_feature(&pl->project->options, F_RENAME_MV) && m->decl &&
           m->decl->kind == DECL_MV && !m->decl->refresh.present && m->obj && !m->prev && m->hash[0];
}

/* Whether the new MV `m` replaces the removed MV `old`, changed: in its
 * database, into its target, from its trigger (a plain MV: a `backfill`
 * one fills the rows in between anyway). */
static bool replaces(const Plan *pl, const Managed *m, const PrevObject *old)
{
    return strcmp(old->kind, "materialized-view") == 0 && old->target && old->hash && m->target &&
           !m->decl->backfill.len && strcmp(old->target, m->target) == 0 && db_len(old->qname) == db_len(m->qname) &&
           strncmp(old->qname, m->qname, db_len(m->qname)) == 0 && same_trigger(pl, m, old);
}

typedef bool (*Match)(const Plan *pl, const Managed *m, const PrevObject *old);

/* The removed MVs of this release. */
static bool removed_now(const Plan *pl, const PrevObject *o)
{
    return strcmp(o->kind, "materialized-view") == 0 && !manifest_object_get(&pl->declared, o->kind, o->qname);
}

/* The one new MV that `match`es the removed MV `old` and no other, or
 * NULL: none, or several (which one would be a guess). */
static Managed *only_match(Plan *pl, const PrevObject *old, Match match)
{
    Managed *found = NULL;
    for (int i = 0; i < pl->objects.n; i++) {
        Managed *m = &pl->objects.v[i];
        if (!eligible(pl, m) || m->renamed_from || !match(pl, m, old))
            continue;
        if (found)
            return NULL;
        found = m;
    }
    for (int i = 0; found && i < pl->prev.objects.n; i++) {
        const PrevObject *o = &pl->prev.objects.v[i];
        if (o != old && removed_now(pl, o) && match(pl, found, o))
            return NULL;
    }
    return found;
}

/* A renamed MV that changes too takes the removed one's place in the
 * previous plan: its previous state is the old one's (which the RENAME
 * gives it), and what the previous plan says of the old name (its states,
 * the statements that set them) it says of the new one, so the change is
 * planned from there as any MV's (in place where it can be, else drop and
 * create with the gap declared). */
static void take_place(Plan *pl, Managed *m, const PrevObject *old)
{
    Arena *a = &pl->project->arena;
    PrevObject *as = arena_zalloc(a, sizeof *as);
    *as = *old;
    as->qname = m->qname;
    size_t len;
    const char *key = manifest_object_key(a, as->kind, as->qname, &len);
    strmap_put(&pl->prev.by_object, key, len, as);
    strmap_put(&pl->prev.by_qname, m->qname, strlen(m->qname), (void *)manifest_entry(&pl->prev, old->qname));
    m->prev = as;
}

/* Each removed MV that one new MV `match`es: renamed to it. */
static void rename_matches(Plan *pl, Match match, bool changed)
{
    for (int i = 0; i < pl->prev.objects.n; i++) {
        const PrevObject *old = &pl->prev.objects.v[i];
        Managed *m = removed_now(pl, old) ? only_match(pl, old, match) : NULL;
        if (!m)
            continue;
        m->renamed_from = old->qname;
        m->rename_sets = changed ? old->hash : m->hash;
        if (changed)
            take_place(pl, m, old);
    }
}

void plan_mv_renames(Plan *pl)
{
    if (!pl->prev.present)
        return;
    rename_matches(pl, renames, false); /* the same MV: its own state */
    rename_matches(pl, replaces, true);
}

/* Whether the plan keeps `state` of MV m: its own, or one it still
 * walks from (retention). */
static bool kept(const Managed *m, const char *state)
{
    return strcmp(m->hash, state) == 0 || (m->older && strstr(m->older, state));
}

/* The previous plan's rename of a declared MV from `old`: carried, while
 * the state it gives the MV is one this plan takes further. */
static bool carry(Plan *pl, const char *old)
{
    for (int i = 0; i < pl->prev.steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[i];
        const Managed *m = s->from && strcmp(s->from, old) == 0 && strcmp(s->action, "rename") == 0
                               ? manifest_object_get(&pl->declared, s->kind, s->qname)
                               : NULL;
        if (!m || !m->decl || m->decl->kind != DECL_MV || !s->sets || !kept(m, s->sets))
            continue;
        Managed carried = *m; /* the step keeps the file it had then */
        carried.src = s->src;
        size_t n = strlen(s->sql);
        const char *sql = arena_strndup(&pl->project->arena, s->sql, n && s->sql[n - 1] == ';' ? n - 1 : n);
        plan_add_step(pl, "teardown", "rename", &carried, s->guard, s->sets, sql)->from = old;
        return true;
    }
    return false;
}

/* The MV the previous plan's drop of `old` said replaces it (until=), if
 * still declared: a database behind by more than a release still has
 * the gap. */
static const Managed *replaced_before(const Plan *pl, const PrevObject *old)
{
    const ManifestEntry *e = manifest_entry(&pl->prev, old->qname);
    for (int i = 0; e && i < e->steps.n; i++) {
        const PrevStep *s = &pl->prev.steps.v[e->steps.v[i]];
        const Managed *m = s->until && strcmp(s->action, "drop") == 0
                               ? manifest_object_get(&pl->declared, "materialized-view", s->until)
                               : NULL;
        if (m && m->decl->kind == DECL_MV)
            return m;
    }
    return NULL;
}

const Managed *plan_mv_replacing(const Plan *pl, const PrevObject *old)
{
    if (!pl->prev.present || strcmp(old->kind, "materialized-view") != 0 ||
        manifest_object_get(&pl->declared, old->kind, old->qname))
        return NULL;
    if (!old->target)
        return replaced_before(pl, old); /* an @removed line: the previous plan said */
    for (int i = 0; i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        if (m->renamed_from && strcmp(m->renamed_from, old->qname) == 0)
            return m;
        if (m->decl->kind == DECL_MV && !m->prev && !m->decl->refresh.present && replaces(pl, m, old))
            return m;
    }
    return NULL;
}

void plan_mv_rename(Plan *pl, const PrevObject *old, bool now)
{
    if (strcmp(old->kind, "materialized-view") != 0 || !pl->prev.present)
        return;
    for (int i = 0; now && i < pl->objects.n; i++) {
        const Managed *m = &pl->objects.v[i];
        if (m->renamed_from && strcmp(m->renamed_from, old->qname) == 0) {
            Arena *a = &pl->project->arena;
            plan_add_step(pl, "teardown", "rename", m, arena_printf(a, "when=%s", old->hash), m->rename_sets,
                          arena_printf(a, "RENAME TABLE %s TO %s", old->qname, m->qname))
                ->from = old->qname;
            return;
        }
    }
    carry(pl, old->qname);
}
