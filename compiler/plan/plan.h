/* The plan: what `mvdc build` computes from a checked project and the
 * previous plan's manifest, before emit.c writes it out
 * (docs/plan-format.md).
 *
 *   manifest.c  read the previous plan (its manifest and steps)
 *   hash.c      each object's canonical definition and hash
 *   respell.c   hashes kept when only an older mvdc's spelling differs
 *   alter.c     ALTER steps from one table version to the next
 *   in_place.c  MVs changed in place by MODIFY QUERY around their tables' ALTERs
 *   mv_list.c   MVs with their own column list that MODIFY QUERY leaves as declared
 *   swap.c      MVs with a new target, swapped in with no window
 *   table_order.c  one table's steps before another's, where an MV needs it
 *   plan.c      which steps, guarded how, in which order
 *   emit.c      the plan file's bytes */
#ifndef MVD_PLAN_H
#define MVD_PLAN_H

#include <stdbool.h>

#include "project/project.h"
#include "sha256.h"
#include "print/sql.h"

/* ---- The previous plan ---------------------------------------------------- */

typedef struct PrevColumn {
    const char *name, *type;
} PrevColumn;
typedef LIST_OF(PrevColumn) PrevColumnList;

/* A state an object can be in (@state and its @column lines). */
typedef struct PrevState {
    const char *kind, *qname, *hash, *engine;
    PrevColumnList columns;
    const Decl *table;     /* instead of columns: a declared table's columns */
} PrevState;

typedef struct PrevObject {
    const char *kind, *qname, *hash, *target;
    int removal;  /* @removed: the removing release it came in (removal=N), 0 when unnumbered */
} PrevObject;

typedef struct PrevStep {
    const char *phase, *action, *kind, *qname, *guard, *sets, *src;
    const char *from; /* an MV's rename: the removed MV it renames (from=) */
    const char *until; /* a removed MV's drop with a window: the MV whose create ends it (until=) */
    bool destructive;
    const char *sql;
} PrevStep;

/* What the previous plan says about one qualified name. */
typedef struct ManifestEntry {
    LIST_OF(int) states;   /* indexes into Manifest.states */
    LIST_OF(int) steps;    /* indexes into Manifest.steps */
} ManifestEntry;

typedef struct Manifest {
    bool present;     /* false: no previous plan */
    StrMap by_object; /* "kind qname" -> PrevObject */
    StrMap by_qname;  /* qname -> ManifestEntry */
    LIST_OF(PrevObject) objects;
    LIST_OF(PrevState) states;
    LIST_OF(PrevObject) dropped;
    LIST_OF(PrevObject) removed; /* views, MVs and functions no longer declared */
    LIST_OF(PrevStep) steps;
} Manifest;

/* Reads the plan at path into *m (strings in a). A missing file (or no
 * path) is an empty manifest; a file that is not an unedited mvd plan is
 * an error: false, with the message (lines for stderr) in err. */
bool manifest_read(Arena *a, const char *path, Manifest *m, StrBuf *err);
const PrevObject *manifest_object(const Manifest *m, const char *kind, const char *qname);
/* "kind qname": how objects are keyed in the manifest's map and the
 * plan's (a database and a function may share a name). */
const char *manifest_object_key(Arena *a, const char *kind, const char *qname, size_t *len);
void *manifest_object_get(const StrMap *map, const char *kind, const char *qname);
/* The states and steps the previous plan has for qname (never NULL). */
const ManifestEntry *manifest_entry(const Manifest *m, const char *qname);
/* The previous plan's @state of qname at hash (its columns), or NULL
 * (summary.c: a column's type before a MODIFY COLUMN). */
const PrevState *manifest_state(const Manifest *m, const char *qname, const char *hash);
/* The statement of the previous plan that created object o in its state
 * (o->hash): its CREATE, or CREATE OR REPLACE; NULL when none did. */
const char *manifest_create_of(const Manifest *m, const PrevObject *o);
/* The column of that name in l, or NULL. */
const PrevColumn *prev_column(const PrevColumnList *l, const char *name);
/* The same, for a name of the sources. */
const PrevColumn *prev_column_named(const PrevColumnList *l, Name name);

/* ---- What the new sources declare ------------------------------------------ */

/* How an MV whose query changed reaches its new query (in_place.c). */
typedef enum InPlace {
    IN_PLACE_NO,     /* dropped and created again (a gap), or MODIFY QUERY as before */
    IN_PLACE_AFTER,  /* MODIFY QUERY after its tables' ALTERs */
    IN_PLACE_BEFORE, /* MODIFY QUERY before its tables' ALTERs */
    IN_PLACE_BRIDGE, /* a bridge query across a rename of its target's columns or a retype of its trigger's (bridge.c) */
    IN_PLACE_BETWEEN, /* MODIFY QUERY after its tables' other ALTERs, before their DROP COLUMNs (alter.c holds them) */
} InPlace;

typedef struct AlterHeld AlterHeld;

/* A table an MV's source bridge reads through a subquery (source_bridge.c,
 * bridge.c): its FROM item in the new query, and the columns the
 * subquery gives, each by its new name. */
typedef struct BridgeSub {
    const struct Managed *table;
    const FromItem *item;
    LIST_OF(const char *) columns;
} BridgeSub;

typedef struct Managed {
    Decl *decl;
    Object *obj;           /* NULL for databases */
    const char *kind;      /* database, table, view, materialized-view, function */
    const char *qname;     /* as the plan prints it */
    const char *src;       /* the declaring file, as `src=` writes it */
    char hash[SHA256_HEX_LEN + 1]; /* "" for databases */
    const char *create;    /* CREATE [IF NOT EXISTS] ... [ON CLUSTER] ...; as setup runs it */
    SqlPlanWords words;    /* where in create the plan's words are */
    size_t canonical_len;  /* create's length without the `;` */
    char create_sha[SHA256_HEX_LEN + 1]; /* its SHA-256, for the step header */
    PrevColumnList shape;  /* views, MVs: their columns for @column lines */
    bool shape_from_decl;  /* tables: emit.c prints them from the declaration */
    const char *target;    /* MVs: the target's qname */
    const PrevObject *prev; /* the previous plan's entry, if any */
    const char *older;     /* views/MVs: earlier states (hashes, comma-separated), or NULL */
    const char *older_same; /* those of them with the current output columns */
    LIST_OF(int) dependents; /* indexes of the objects that read or write this one */
    int waiting;           /* dependencies not yet emitted */
    int drop_step;         /* MVs: 1 + index of the step that drops it, or 0 */
    int fill_step;         /* backfill MVs: 1 + index of the step that fills the target, or 0 */
    InPlace in_place;      /* MVs: changed in place (in_place.c), and where */
    const char *in_place_from; /* its state MODIFY QUERY takes (the previous plan's) */
    const char *in_place_when; /* the states the MODIFY QUERY runs on, that one first */
    int in_place_at;       /* IN_PLACE_BETWEEN carried from the previous plan: 1 + its MODIFY QUERY's step there */
    /* MVs: the previous plan's MODIFY QUERY into its previous state and
     * those before it into the states it takes, carried to walk an MV in
     * an older state release by release (in_place.c): their indexes among
     * the previous plan's steps, in order; from carried_next on not made. */
    LIST_OF(int) carried_modifies;
    int carried_next;
    int alter_seq;         /* tables: 1 + how many tables began their ALTERs before it (alter.c); 0: not yet */
    int carried_from;      /* tables: 1 + the previous plan's index of the first step carried, or 0 */
    AlterHeld *held;        /* tables: the rest of its ALTERs, held back for an MV IN_PLACE_BETWEEN (alter.c) */
    bool swap;             /* MVs: a new target, swapped in with no window (swap.c) */
    const char *swap_from; /* the state it is swapped from (the previous plan's) */
    const char *swap_shadowed, *swap_absent; /* its states "swap_from, shadow made" and "absent, shadow made" */
    bool swap_bridge;      /* ... across changes of what it reads, its shadow made with the bridge query
                            * (source_bridge.c) before their ALTERs, then MODIFY QUERY to its own after */
    bool swap_between;     /* ... across ALTERs of what it reads that neither query meets: after the
                            * other ALTERs, before the DROP COLUMNs (alter.c holds them, as for
                            * IN_PLACE_BETWEEN; in_place_at: carried from the previous plan) */
    bool in_place_retyped;     /* ... across a type changed under what it writes or reads (in_place_types.c) */
    bool in_place_converted;   /* ... its outputs converted in between as the target's ALTER converts them */
    bool in_place_unread;      /* ... before a type changed under a column only its old query read */
    bool in_place_unread_drop; /* ... and, with it, before a column only its old query used is dropped */
    const struct Managed *retyped_in; /* ... the table it reads (its trigger, or one it joins) whose types change */
    bool target_first;     /* ... with its target's ALTERs ordered before retyped_in's (table_order.c);
                            * a source bridge: before its trigger's */
    bool read_first;       /* ... with retyped_in's ALTERs ordered before its target's (a narrowing of both) */
    const char *moved_from; /* ... its MODIFY QUERY moving it from this trigger (in_place.c), or NULL */
    const char *bridge;    /* IN_PLACE_BRIDGE: the bridge query's state */
    LIST_OF(const char *) bridge_old, bridge_new; /* the target's renames it spans */
    Name bridge_qualifier; /* the source's name, before the old names the bridge reads, or empty */
    /* A source bridge (source_bridge.c): the trigger's columns it reads as
     * the new query would, each by its new name, with its new type (or
     * NULL: the same) and its old name (or NULL: not renamed). */
    LIST_OF(const char *) source_names, source_types, source_from;
    LIST_OF(bool) source_unnulled; /* ... made plain from Nullable: its NULLs read as the ALTER gives them */
    LIST_OF(const char *) source_default; /* ... that one's constant DEFAULT of its own, as SQL, or NULL */
    const struct Managed *bridge_table; /* ... the table whose columns it reads cast: its trigger, or the one
                                         * table it joins (source_bridge.c) */
    LIST_OF(const struct Managed *) source_table; /* ... each one's table */
    LIST_OF(BridgeSub) bridge_subs; /* ... in a join, the tables it reads through subqueries */
    const Object *bridge_after; /* ... reading a column its trigger adds, or writing one its target adds:
                                 * that table, whose ADDs come first, the bridge after them (alter.c); or NULL */
    bool bridge_at_drops; /* ... after its target's ALTERs, before the target's DROP COLUMNs of outputs
                           * only the old query writes (source_bridge.c, target_takes) */
    int bridge_copy;       /* 1 + the previous plan's bridge step it repeats (source_bridge.c), or 0 */
    int bridge_carried_at; /* 1 + the previous plan's bridge step it carries (either bridge), or 0 */
    bool bridged;          /* its bridge step is in the plan */
    bool bridge_due;       /* its bridge waits for the carried MODIFY QUERYs of a server behind (bridge.c) */
    const char *renamed_from; /* a new MV that renames a removed one: its name (mv_rename.c), or NULL */
    const char *rename_sets;  /* ... the state the RENAME gives it: its own, or, changed too, the old one's */
    bool emitted, dropped_early, modified;
} Managed;

typedef struct Step {
    const char *phase, *action, *kind, *qname;
    const char *guard;     /* "when=..." or "unless=..." */
    const char *sets, *src;
    const char *sql;       /* the statement, its `;` included */
    const char *sql_sha;   /* its SHA-256 when known already, or NULL */
    bool destructive;
    int window;            /* MV drops: the step that creates it again */
    size_t select_at;      /* views/MVs: where the statement's SELECT starts, or 0 */
    const char *target;    /* truncate/backfill of an MV: the table the statement writes (its TO) */
    bool cutoff;           /* create/backfill of a `backfill by` MV: reads mvrun's time cutoff */
    const char *chunks;    /* backfill filled chunk by chunk (mvrun's fill.c): the source it splits */
    const char *from;      /* an MV's rename: the removed MV it renames (mv_rename.c) */
    const char *until;     /* a removed MV's drop with a window: the MV that replaces it, whose create ends it */
} Step;

/* Object `then`'s steps wait for object `first`'s (indexes into
 * Plan.objects): an order no read or write between them gives. */
typedef struct TableOrder {
    int first, then;
} TableOrder;

typedef struct Plan {
    Project *project;
    Manifest prev;
    LIST_OF(Managed) objects;
    LIST_OF(Step) steps;
    LIST_OF(TableOrder) order;   /* table_order.c's edges, on top of reads and writes */
    int alters_begun;            /* tables set up so far (alter.c: their queues move in that order) */
    LIST_OF(PrevState) states;   /* @state entries of the new manifest */
    LIST_OF(PrevObject) dropped; /* @dropped entries */
    LIST_OF(PrevObject) removed; /* @removed entries */
    StrMap declared;             /* "kind qname" -> Managed, when there is a previous plan */
    StrMap source_paths;         /* SourceFile.path -> its `src=` form */
    const char *cluster;         /* option cluster, or NULL */
    const char *registry;
    char version[32];            /* option clickhouse as written, e.g. "26.5" */
    struct Hashing *hashing;     /* hash.c's threads, while they run */
    const char *previous;        /* the previous plan's path, or NULL */
    struct PreviousRead *reading; /* it, while it is read */
} Plan;

/* Starts planning p before it is checked (its options read): the
 * CREATE statements are printed, and the previous plan at `previous` (or
 * none: NULL) is read, on other threads meanwhile. plan_build or
 * plan_abandon must follow. */
void plan_begin(Plan *pl, Project *p, const char *previous);
/* Computes the plan once the project checked clean. Reports what it
 * refuses (destructive, changes ClickHouse cannot ALTER) as diagnostics;
 * false, with the reason printed, when the previous plan cannot be used. */
bool plan_build(Plan *pl);
/* Stops what plan_begin started, for a plan that will not be built. */
void plan_abandon(Plan *pl);

/* Every object's CREATE and hash (hash.c), in steps:
 *   hash_start   starts printing the CREATEs and hashing tables, databases
 *                and functions on other threads: they need only the syntax
 *                tree, so this runs while the project is checked;
 *   hash_wait    takes a share of what is left and waits for the rest;
 *   hash_views   after hash_wait: hashes views and MVs (their hashes cover
 *                the columns they use, known once the project checked
 *                clean) and releases;
 *   hash_release waits and frees the threads' state, for a plan given up. */
void hash_start(Plan *pl);
void hash_wait(Plan *pl);
void hash_views(Plan *pl);
void hash_release(Plan *pl);
/* A source's path relative to the working directory (`src=`). */
const char *hash_source_path(Plan *pl, const SourceFile *f);
/* A table's columns as @column lines need them. */
void hash_table_columns(Plan *pl, const Decl *d, PrevState *s);

/* Objects the previous plan printed differently but that are the same
 * statement keep their previous hash (respell.c). */
void respell_keep_hashes(Plan *pl);

/* Every column name a query mentions and every table its FROMs name
 * (query_names.c): a superset of what it reads. */
typedef struct QueryNames {
    LIST_OF(Name) names;
    LIST_OF(QName) tables;
    bool star;
} QueryNames;
void query_names_collect(Arena *a, Select *q, const char *src, QueryNames *out);
bool query_names_has(const QueryNames *set, Name n);
bool query_names_mention(const QueryNames *set, const char *name); /* the same, for a C string */
/* A table's columns as the names a query mentions: for plan_alters_spare. */
void query_names_of_columns(Arena *a, const PrevColumnList *cols, QueryNames *out);

/* Whether the MV has no column list of its own, or one that is its
 * query's typed outputs (mv_list.c): then MODIFY QUERY, which replaces
 * the list with those, leaves the MV as the plan declares it. */
bool plan_mv_list_exact(const Managed *m);

/* Whether MODIFY QUERY takes the MV from its previous state to the new
 * one with no row lost, and before or after its tables' ALTERs: sets
 * m->in_place and the states it runs on. */
void plan_in_place(Plan *pl, Managed *m);
/* Before the teardown drop of `old`, a removed view or MV: the rename of
 * the MV that the sources now declare under another name, fresh (removed
 * in this release: removed_now) or carried from the previous plan. */
void plan_mv_rename(Plan *pl, const PrevObject *old, bool removed_now);
/* Which new MVs rename removed ones (mv_rename.c): before anything reads
 * the MVs' previous states. */
void plan_mv_renames(Plan *pl);
/* The new MV that replaces the removed MV `old` in this release (into
 * its target, from its trigger; not a `backfill` one, whose fill covers
 * the rows in between): the one renamed from it, or one created while it
 * is dropped, a gap. NULL when none. */
const Managed *plan_mv_replacing(const Plan *pl, const PrevObject *old);
/* A name of a query read back from the previous plan (src: its text), as
 * the plan prints names (db: the default database): `db.name`. */
const char *plan_qname_text(Plan *pl, const char *src, const QName *q, Name db);
/* The plan's Managed entry of a resolved object, or NULL (not managed). */
const Managed *plan_managed_of(const Plan *pl, const Object *o);
/* Whether MODIFY QUERY can take the MV from its previous state at all: a
 * plain MV with the same trigger, target and tables, views and functions
 * unchanged (in_place.c). With moved_from: or moved from an old trigger
 * its old query alone read, altered nowhere it reads, which *moved_from
 * then names. */
bool in_place_reads_kept(Plan *pl, const Managed *m, const char **moved_from);
/* Whether the previous plan has an ALTER of one of the MV's tables after
 * its step `at` (in_place.c). */
bool plan_tables_altered_after(const Plan *pl, const Managed *m, int at);
/* Whether every table the MV reads or writes has the previous plan's hash. */
bool plan_tables_unchanged(const Plan *pl, const Managed *m);
/* Whether, while the MV is in its previous state, the columns among
 * `reads` of table t (its trigger, or a table it joins) can only have
 * their types of t's previous state; *every_state: its tables may be in
 * any state the previous plan knew (not only the previous one). */
bool in_place_table_known(Plan *pl, const Managed *m, const Managed *t, const QueryNames *reads, bool *every_state);
/* After plan_in_place found no way: whether a bridge query takes the MV
 * across renames of its target's columns (rename_bridge.c), and its
 * steps, before the first ALTER of its tables and at its own place. */
void plan_rename_bridge(Plan *pl, Managed *m);
/* For a source bridge (source_bridge.c) whose target renames columns the
 * MV writes (from its state `was`): whether the bridge can write each
 * under both names too, as the rename bridge does; sets m's renames.
 * `joined`: it reads a table through a subquery, where the query must
 * name no old name (a qualified read of it would find the subquery's
 * columns, not the table's). *added: it also writes outputs the target
 * adds (whose ADDs must then come before the bridge). */
bool rename_bridge_target(Plan *pl, Managed *m, const PrevState *was, bool joined, bool *added);
/* ... or across types its trigger changes under columns the new query
 * reads, or renames (source_bridge.c). */
void plan_source_bridge(Plan *pl, Managed *m);
/* For an MV swapped into a new target (swap.c): whether its shadow can
 * be made with the bridge query before the ALTERs of the tables it reads
 * (source_bridge.c); if so, m is IN_PLACE_BRIDGE with its bridge state
 * (the swap's, whose MODIFY QUERY to the new query follows the ALTERs). */
bool source_bridge_swap(Plan *pl, Managed *m);
/* The same for a plan rebuilt from itself: the previous plan swapped it
 * from state `from` through the bridge, its shadow step at index `at`:
 * m is IN_PLACE_BRIDGE again, that bridge carried (its three steps
 * repeated where they were). */
bool source_bridge_swap_carried(Plan *pl, Managed *m, const char *from, int at);
/* bridge.c: the previous plan's bridge MODIFY QUERY (a `kind` bridge)
 * into the MV's state, which with its tables stands as it was (a plan
 * rebuilt from itself): its index among that plan's steps, or -1. */
int bridge_carried(Plan *pl, const Managed *m, const char *kind);
/* The MV bridged from state `from`: IN_PLACE_BRIDGE and its states. */
void bridge_set(Plan *pl, Managed *m, const char *kind, const char *from);
/* The MODIFY QUERY to the bridge query (once), and the one from it to
 * the new query (after the bridge's, once). */
void bridge_open(Plan *pl, Managed *m);
/* The bridge whose opening waited for the previous plan's MODIFY QUERYs
 * (a server behind), once the last of them is out. */
void bridge_open_due(Plan *pl, Managed *m);
void bridge_close(Plan *pl, Managed *m);
/* After a table's ADDs: the bridges of the MVs that read or write what
 * they add (m->bridge_after). */
void plan_open_bridges(Plan *pl, const Managed *table);
/* Before a table's DROP COLUMNs: the bridges of the MVs that write it
 * and, after its other ALTERs, must come before them (m->bridge_at_drops). */
void plan_open_bridges_at_drops(Plan *pl, const Managed *table);
/* Before the previous plan's step `at` of one of its tables, carried: a
 * bridge carried from that plan that came before it there. */
void plan_open_carried_bridges(Plan *pl, const Managed *table, int at);
/* After that step (`done`), carried: a bridge carried from that plan
 * that came right after it there (bridge_step_before), where it read what
 * the step added. */
void plan_open_carried_bridges_after(Plan *pl, const Managed *table, int done);
/* The previous plan's step before its step `at`, other MVs' MODIFY
 * QUERYs aside (their bridges opened at the same place), or -1. */
int bridge_step_before(const Plan *pl, int at);
/* A bridge carried from the previous plan (its step `at`) that came
 * right after an ALTER of one of its tables (the ADDs it reads or
 * writes: adds_lead) comes after it again: that table's chain before
 * those of its other tables altered after the bridge there
 * (table_order.c); false where that order cannot be. */
bool bridge_carried_lead_first(Plan *pl, const Managed *m, int at);
/* The i-th table the MV reads or writes (i up to reads.n: the target),
 * or NULL where that is not a table of the plan. */
const Managed *bridge_table_of(const Plan *pl, const Managed *m, int i);
/* Whether the previous plan altered or renamed something of table t
 * after its step `at`. */
bool plan_prev_altered_after(const Plan *pl, const Managed *t, int at);

/* An MV whose target changed, made under a name of its own
 * before the old one is dropped, then renamed (swap.c): swap_decide sets
 * m->swap where that is exact; swap_steps adds the shadow's CREATE, the
 * drop and the RENAME. swap_same_target keeps, of a list of
 * the MV's earlier states, those that wrote into its current target (the
 * only ones MODIFY QUERY, which keeps the target, may take); NULL if none. */
void swap_decide(Plan *pl, Managed *m);
/* Whether the release's ALTERs of table t leave an old and a new query
 * (the names each mentions) what they read while each runs: no column
 * either mentions retyped, renamed, or dropped and added again; a column
 * only the new one mentions may be added (before it runs: the MV is set up
 * after its tables), one only the old one mentions dropped where
 * drops_held (its DROP COLUMN held back until the old query is gone:
 * swap_between, alter.c). Anything else of t may change. (swap.c) */
bool plan_alters_spare(Plan *pl, const Managed *t, const QueryNames *old_reads, const QueryNames *new_reads,
                       bool drops_held);
/* Whether the sources say `drop table` of the table qname. */
bool plan_drops_table(Plan *pl, const char *qname);
void swap_steps(Plan *pl, Managed *m);
/* The same, the shadow made by the statement `create` (its SELECT at
 * select_at; 0: where the MV's own query is): the bridge's, for
 * m->swap_bridge (bridge.c). */
void swap_steps_with(Plan *pl, Managed *m, const char *create, size_t select_at);
/* The MV's shadow: its declaration under the shadow's name. */
Decl swap_shadow_decl(Plan *pl, const Managed *m);
const char *swap_same_target(Plan *pl, const Managed *m, const char *list);
/* The statement that drops object m, by name. */
const char *plan_drop_sql(Plan *pl, const Managed *m);
/* Where a view's or MV's statement has its SELECT (`select=`), or 0. */
size_t plan_select_offset(const Managed *m, const char *stmt);
/* For an MV changed in place whose target has a type changed under one
 * of its outputs (old_out: its previous query's, new_out: its new
 * one's): whether every cast into the target stays lossless with MODIFY
 * QUERY after the target's ALTERs, and with it before them
 * (in_place_types.c). every_state: the target may be in any state the
 * previous plan knew. Where neither holds, whether each cast in between
 * gives what the target's ALTER makes of the value, with *converted
 * set (may be NULL). */
void in_place_output_casts(Plan *pl, const Managed *target, const PrevColumnList *old_out,
                           const PrevColumnList *new_out, bool every_state, bool *after_ok, bool *before_ok,
                           bool *converted);
/* For an MV changed in place whose unchanged query reads two or more
 * columns of its trigger that the release retypes: whether no part of
 * the query reads two of them, so that the trigger's ALTER chain, one
 * column at a time, shows each output one version of the query
 * (in_place_apart.c). */
bool in_place_reads_apart(Plan *pl, const Managed *m, const Managed *table);

/* Orders table `first`'s setup (CREATE and ALTERs) before table
 * `then`'s (table_order.c): false, with nothing recorded, when `first`
 * already waits on `then` through what objects read and write and the
 * edges recorded before (the order would be a cycle). */
bool table_order_first(Plan *pl, const Managed *first, const Managed *then);
/* Adds the recorded edges to the objects' dependents, once their reads
 * and writes are linked (plan.c's setup order). */
void table_order_link(Plan *pl);

/* ALTER steps taking a table from its previous version to m's (alter.c).
 * Where an MV reading or writing it is changed IN_PLACE_BETWEEN, the
 * steps from its first DROP COLUMN on (and, for a chain carried over,
 * those after that MV's MODIFY QUERY in the previous plan) are held back
 * until alter_release. */
void alter_table(Plan *pl, Managed *m);
/* After the MODIFY QUERY of an MV changed IN_PLACE_BETWEEN: the held
 * steps of each of its tables that no other such MV still waits for. */
void alter_release(Plan *pl, const Managed *mv);
/* After the setup: an error for any step still held (none, unless mvdc
 * has a bug: never a plan that silently lacks a step). */
void alter_check_released(Plan *pl);
/* The MV's carried MODIFY QUERY (from an older state into its previous
 * one), once its tables have come as far as it was in the previous plan
 * (alter.c); then, an MV changed IN_PLACE_BEFORE, its new one (plan.c). */
void plan_carried_modify(Plan *pl, Managed *m);
/* The previous plan's MODIFY QUERY step `s`, carried as it was (its
 * guard, state, src= and statement). */
Step *plan_copy_step(Plan *pl, const Managed *m, const PrevStep *s);
/* Whether every hash of the comma-separated list `states` is one of `in`'s. */
bool plan_states_within(const char *states, const char *in);

/* Whether the table's ADDs of this release can come before its RENAMEs
 * and MODIFYs (alter.c): no ORDER BY extended with them, no added column
 * named like a column a RENAME frees, none whose DEFAULT, MATERIALIZED,
 * ALIAS or TTL expression names a column a RENAME of the release names. */
bool alter_adds_can_lead(Plan *pl, const Managed *t);

/* Whether every value of `from` survives conversion to `to` unchanged
 * (a widening; alter.c, the rule runtime/type_change.c checks again). */
bool alter_type_widens(const Type *from, const Type *to);

/* The statements that keep a plain MergeTree table from merging around
 * its RENAME COLUMNs (alter.c), named here for the summary's words. */
#define ALTER_MERGES_PAUSED "MODIFY SETTING max_bytes_to_merge_at_max_space_in_pool = 1, " \
                            "max_bytes_to_merge_at_min_space_in_pool = 1"
#define ALTER_MERGES_RESUMED "RESET SETTING max_bytes_to_merge_at_max_space_in_pool, " \
                             "max_bytes_to_merge_at_min_space_in_pool"
#define ALTER_RENAME_WAITS "SETTINGS mutations_sync = 1"
/* Whether a cast of `from` to `to` never fails and gives, value for
 * value, what the ALTER from `from` to `to` makes of a column (alter.c). */
bool alter_cast_alike(const Type *from, const Type *to);
/* Whether a cast of `from` to `to` that may fail on a value gives what
 * that ALTER makes of each value and fails where its mutation fails. */
bool alter_cast_fails_alike(const Type *from, const Type *to);
/* Whether every value of the output type `out` reaches a column of type
 * `col` unchanged: the same type, or a widening (in_place_types.c). */
bool in_place_cast_keeps(Plan *pl, const char *out, const char *col);

/* Drops the MVs that read or write a table before its first ALTER. */
void plan_drop_dependents(Plan *pl, const Managed *table);
/* At the first step of this release's chain of a table whose steps were
 * queued (alter.c, which dropped its dependents before the queue): the
 * bridges that open before it, once the MODIFY QUERYs they wait for are
 * out. */
void plan_open_bridges_at_chain(Plan *pl, const Managed *table);

/* Adds a step; strings are copied into the project's arena. */
Step *plan_add_step(Plan *pl, const char *phase, const char *action, const Managed *m,
                    const char *guard, const char *sets, const char *sql);
/* Adds the setup step that creates m with m->create. */
Step *plan_add_create(Plan *pl, const Managed *m, const char *guard, const char *sets);

/* A Markdown summary of what the plan changes (summary.c); free() it. */
char *summary_markdown(const Plan *pl);
/* The same as one JSON object (docs/language.md, "--summary"). */
char *summary_json(const Plan *pl);

/* Where the plan's bytes go: put() gets the body in order, from the end
 * of the two header lines on, then the header lines at offset 0. */
typedef struct PlanSink {
    bool (*put)(void *ctx, size_t offset, const char *data, size_t len);
    void *ctx;
} PlanSink;

/* Writes the plan file's bytes to sink (emit.c); false when it refused some. */
bool emit_plan(const Plan *pl, PlanSink *sink);
/* The same bytes in memory; free with free(). */
char *emit_plan_text(const Plan *pl, size_t *len);

/* The plan at path made the plan's bytes, atomically, or (check) compared
 * with them (plan_file.c): 0 done/up to date, 1 stale, 2 cannot write. */
int plan_file_write(const Plan *pl, const char *path);
int plan_file_check(const Plan *pl, const char *path);

#endif
