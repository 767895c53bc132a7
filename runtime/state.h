/* state: what the target holds, read in one query whatever the plan's
 * size: the plan's databases (system.databases), their tables, views and
 * MVs with the SHA-256 of each one's create_table_query (system.tables),
 * their columns (system.columns), SQL functions when the plan has any
 * (system.functions), and the registry (registry.h). */
#ifndef MVRUN_STATE_H
#define MVRUN_STATE_H

#include "conn.h"
#include "nameindex.h"
#include "plan.h"
#include "registry.h"

#include <stdint.h>

typedef struct LiveColumn {
    char *name;
    char *type;
} LiveColumn;

/* A table, view, MV (db set) or SQL function (db NULL) on the server. */
typedef struct LiveObject {
    char *db;
    char *name;
    char *engine;           /* system.tables.engine; "Function" for functions */
    char *live_hash;        /* SHA-256 of create_table_query (create_query) */
    LiveColumn *columns;
    size_t n_columns, cap_columns;
} LiveObject;

/* The registry's latest row for an object, or the step a killed run may
 * have left unrecorded. */
typedef struct RegistryEntry {
    char *kind;
    char *qname;
    char *state;
    char *live_hash;
    char *server_version;
    unsigned step;          /* for the pending step */
    int timed_out;          /* a pending step that failed with 159 (not one left unrecorded) */
} RegistryEntry;

typedef struct LiveState {
    char *server_version;
    int registry_read;          /* 0: no registry yet (nothing recorded) */
    NameIndex databases;
    LiveObject *objects;
    size_t n_objects, cap_objects;
    NameIndex object_index;     /* state_object_key(db, name) */
    RegistryEntry *entries;
    size_t n_entries, cap_entries;
    NameIndex entry_index;      /* state_entry_key(kind, qname) */
    /* The steps a killed run may have left unrecorded: its first planned
     * steps without an ending, as many as the recorder may hold unwritten
     * (registry.h), or on a cluster the batch that was in flight; and its
     * steps that failed with 159 (timed_out). */
    RegistryEntry pending[REGISTRY_PENDING_CLUSTER];
    size_t n_pending;
    uint64_t last_run;
    uint64_t ended_run;         /* the last run with an `end` row (registry.h, 'm') */
    uint64_t timed_out_run;     /* the last run with a step that failed with 159 */
    /* With a cluster (conn->hosts): each host's own databases, objects
     * and columns, in system.clusters' order, read through remote(); the
     * fields above then hold the connected server's and the registry
     * read from every host. No registry in these. */
    struct LiveState *hosts;
    char **host_names;          /* "host:port" */
    size_t n_hosts;
} LiveState;

/* Reads everything the plan's objects need, from every host of the
 * cluster when c->hosts is set (a host that does not answer fails the
 * read, TR_CONNECT, naming it). With reg NULL (or a registry
 * without its history table, code 60/81), the registry is taken as empty
 * and registry_read stays 0. Returns 0, or -1 with *res. */
int state_read(Conn *c, const Plan *plan, const Registry *reg, LiveState *out,
               TransportResult *res);

/* The same without the registry, and on a cluster without the
 * definitions' hashes (live_hash ""): what says whether a step landed,
 * cheaper (18.16 prints every table's create_table_query of a database
 * it is asked for). */
int state_read_shapes(Conn *c, const Plan *plan, LiveState *out, TransportResult *res);

/* The same for one object only (after a timeout: did the step run?);
 * no registry. */
int state_read_object(Conn *c, ObjectKind kind, const PlanName *name, LiveState *out,
                      TransportResult *res);

/* How many hosts of the cluster have the database or table (view, MV)
 * `name` now: one light read through remote() of every host, one
 * attempt. -1 when it cannot be read (then a full read says why). */
long state_hosts_with(Conn *c, ObjectKind kind, const PlanName *name);

void state_free(LiveState *s);

/* Lookups; NULL when absent. name->db NULL: a function. */
const LiveObject *state_find_object(const LiveState *s, const PlanName *name);
const RegistryEntry *state_find_entry(const LiveState *s, ObjectKind kind, const char *qname);
int state_has_database(const LiveState *s, const char *db);

#endif
