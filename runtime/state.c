/* state: see state.h. One UNION ALL of six String columns, the first
 * saying what the row is:
 *
 *   'v' version()
 *   'd' database
 *   't' database name engine sha256(create_table_query)
 *   'c' database table column type
 *   'f' function sha256(create_query)                 (plans with functions)
 *   'r' 'm'                                            the registry (registry.c)
 *
 * and, only when the last run did not end cleanly, a second query for
 * its steps that may have run unrecorded ('p', registry_pending_sql).
 *
 * 18.16 computes create_table_query for every table of a database it
 * lists, whatever the WHERE on the name says (one table: 60 ms among
 * 1300), so reading the whole of the plan's databases once costs what
 * reading one table costs. */
#include "state.h"

#include "hosts.h"
#include "judge.h"
#include "plan.h"
#include "sqlquote.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CODE_UNKNOWN_TABLE 60
#define CODE_UNKNOWN_DATABASE 81

/* ---- Keys ---------------------------------------------------------------------- */

/* db \x1f name: a separator no name holds. */
static char *object_key(const char *db, const char *name)
{
    StrBuf k = {0};
    strbuf_puts(&k, db ? db : "");
    strbuf_putc(&k, '\x1f');
    strbuf_puts(&k, name);
    return strbuf_take(&k);
}

static char *entry_key(const char *kind, const char *qname)
{
    StrBuf k = {0};
    strbuf_puts(&k, kind);
    strbuf_putc(&k, ' ');
    strbuf_puts(&k, qname);
    return strbuf_take(&k);
}

const LiveObject *state_find_object(const LiveState *s, const PlanName *name)
{
    char *key = object_key(name->db, name->name);
    size_t i;
    int found = nameindex_get(&s->object_index, key, &i);
    free(key);
    /* Columns without a table row: it went between the two reads. */
    return found && s->objects[i].engine ? &s->objects[i] : NULL;
}

const RegistryEntry *state_find_entry(const LiveState *s, ObjectKind kind, const char *qname)
{
    char *key = entry_key(plan_kind_name(kind), qname);
    size_t i;
    int found = nameindex_get(&s->entry_index, key, &i);
    free(key);
    return found ? &s->entries[i] : NULL;
}

int state_has_database(const LiveState *s, const char *db)
{
    size_t ignored;
    return nameindex_get(&s->databases, db, &ignored);
}

/* ---- The query ------------------------------------------------------------------- */

/* Adds db to the IN list unless it is there already. */
static void add_database(StrBuf *list, NameIndex *seen, const char *db)
{
    size_t ignored;
    if (!db || nameindex_get(seen, db, &ignored))
        return;
    nameindex_put(seen, db, 0);
    if (list->len)
        strbuf_puts(list, ", ");
    sql_string(list, db);
}

static void add_name(StrBuf *list, NameIndex *seen, ObjectKind kind, const PlanName *name)
{
    add_database(list, seen, kind == KIND_DATABASE ? name->name : name->db);
}

/* The plan's databases, as an IN list. */
static void plan_databases(const Plan *plan, StrBuf *list, int *has_functions)
{
    NameIndex seen = NAMEINDEX_INIT;
    *has_functions = 0;
    for (size_t i = 0; i < plan->n_objects; i++) {
        add_name(list, &seen, plan->objects[i].kind, &plan->objects[i].name);
        *has_functions |= plan->objects[i].kind == KIND_FUNCTION;
    }
    for (size_t i = 0; i < plan->n_dropped; i++)
        add_name(list, &seen, plan->dropped[i].kind, &plan->dropped[i].name);
    for (size_t i = 0; i < plan->n_shapes; i++)
        add_name(list, &seen, plan->shapes[i].kind, &plan->shapes[i].name);
    for (size_t i = 0; i < plan->n_steps; i++) {
        add_name(list, &seen, plan->steps[i].kind, &plan->steps[i].name);
        *has_functions |= plan->steps[i].kind == KIND_FUNCTION;
    }
    /* An IN list must not be empty. */
    add_database(list, &seen, plan->registry);
    nameindex_free(&seen);
}

/* Host i's rows (through remote()), tagged with i in the sixth column. */
static void host_parts(StrBuf *sql, const ClusterHosts *h, size_t i, const char *db_filter,
                       int functions, int hashes)
{
    StrBuf from = {0};
#define FROM(table) (strbuf_clear(&from), hosts_remote(h, i, "system", table, &from), strbuf_str(&from))
    /* The host's version rides on its row for `system`: each remote() of
     * another host costs a connection to it, one read less per host. */
    strbuf_printf(sql, " UNION ALL SELECT if(name %s, 'd', 'v'), if(name %s, name, version()), '', '', '', "
                       "'%zu' FROM %s WHERE name %s OR name = 'system'", db_filter, db_filter, i,
                  FROM("databases"), db_filter);
    strbuf_printf(sql, " UNION ALL SELECT 't', database, name, engine, "
                       "%s, '%zu' FROM %s WHERE database %s",
                  hashes ? "lower(hex(SHA256(create_table_query)))" : "''", i,
                  FROM("tables"), db_filter);
    strbuf_printf(sql, " UNION ALL SELECT 'c', database, table, name, type, '%zu' FROM %s "
                       "WHERE database %s", i, FROM("columns"), db_filter);
    if (functions)
        strbuf_printf(sql, " UNION ALL SELECT 'f', name, lower(hex(SHA256(create_query))), '', '', "
                           "'%zu' FROM %s WHERE origin = 'SQLUserDefined'", i, FROM("functions"));
#undef FROM
    strbuf_free(&from);
}

/* The connected server's rows. */
static void local_parts(StrBuf *sql, const char *db_filter, int functions)
{
    strbuf_printf(sql, " UNION ALL SELECT 'd', name, '', '', '', '' FROM system.databases WHERE name %s",
              db_filter);
    strbuf_printf(sql, " UNION ALL SELECT 't', database, name, engine, "
                   "lower(hex(SHA256(create_table_query))), '' FROM system.tables "
                   "WHERE database %s", db_filter);
    strbuf_printf(sql, " UNION ALL SELECT 'c', database, table, name, type, '' FROM system.columns "
                   "WHERE database %s", db_filter);
    if (functions)
        strbuf_puts(sql, " UNION ALL SELECT 'f', name, lower(hex(SHA256(create_query))), '', '', '' "
                     "FROM system.functions WHERE origin = 'SQLUserDefined'");
}

/* registry: 0 none, 1 the connected server's, 2 every host's. With a
 * cluster, the connected server is one of the hosts: read once, as one. */
static void build_query(StrBuf *sql, const char *db_filter, int functions, const Registry *reg,
                        int registry, const ClusterHosts *hosts, int hashes)
{
    strbuf_puts(sql, "SELECT 'v', version(), '', '', '', ''");
    if (hosts && hosts->n)
        for (size_t i = 0; i < hosts->n; i++)
            host_parts(sql, hosts, i, db_filter, functions, hashes);
    else
        local_parts(sql, db_filter, functions);
    if (reg && registry)
        registry_state_sql(reg, registry == 2, sql);
    strbuf_puts(sql, " FORMAT TabSeparated");
}

/* ---- Reading the answer ---------------------------------------------------------- */

static LiveObject *add_object(LiveState *s, const char *db, const char *name)
{
    if (s->n_objects == s->cap_objects) {
        s->cap_objects = s->cap_objects ? s->cap_objects * 2 : 64;
        s->objects = xrealloc(s->objects, s->cap_objects * sizeof *s->objects);
    }
    LiveObject *o = &s->objects[s->n_objects];
    memset(o, 0, sizeof *o);
    o->db = db ? xstrdup(db) : NULL;
    o->name = xstrdup(name);
    char *key = object_key(db, name);
    nameindex_put(&s->object_index, key, s->n_objects);
    free(key);
    s->n_objects++;
    return o;
}

static LiveObject *find_mutable(LiveState *s, const char *db, const char *name)
{
    char *key = object_key(db, name);
    size_t i;
    int found = nameindex_get(&s->object_index, key, &i);
    free(key);
    return found ? &s->objects[i] : add_object(s, db, name);
}

static void add_column(LiveObject *o, const char *name, const char *type)
{
    if (o->n_columns == o->cap_columns) {
        o->cap_columns = o->cap_columns ? o->cap_columns * 2 : 16;
        o->columns = xrealloc(o->columns, o->cap_columns * sizeof *o->columns);
    }
    o->columns[o->n_columns].name = xstrdup(name);
    o->columns[o->n_columns].type = xstrdup(type);
    o->n_columns++;
}

static void add_entry(LiveState *s, char **f)
{
    if (s->n_entries == s->cap_entries) {
        s->cap_entries = s->cap_entries ? s->cap_entries * 2 : 64;
        s->entries = xrealloc(s->entries, s->cap_entries * sizeof *s->entries);
    }
    RegistryEntry *e = &s->entries[s->n_entries];
    memset(e, 0, sizeof *e);
    e->kind = xstrdup(f[1]);
    e->qname = xstrdup(f[2]);
    e->state = xstrdup(f[3]);
    e->live_hash = xstrdup(f[4]);
    e->server_version = xstrdup(f[5]);
    char *key = entry_key(e->kind, e->qname);
    nameindex_put(&s->entry_index, key, s->n_entries);
    free(key);
    s->n_entries++;
}

static void take_row(LiveState *s, char **f)
{
    if (f[5][0] && strchr("vdtcf", f[0][0])) {
        /* A host's own row; its tag is its index. */
        size_t i = (size_t)strtoul(f[5], NULL, 10);
        f[5][0] = '\0';
        if (i < s->n_hosts)
            take_row(&s->hosts[i], f);
        return;
    }
    switch (f[0][0]) {
    case 'v':
        free(s->server_version);
        s->server_version = xstrdup(f[1]);
        break;
    case 'd':
        nameindex_put(&s->databases, f[1], 1);
        break;
    case 't': {
        LiveObject *o = find_mutable(s, f[1], f[2]);
        free(o->engine);
        free(o->live_hash);
        o->engine = xstrdup(f[3]);
        o->live_hash = xstrdup(f[4]);
        break;
    }
    case 'c':
        add_column(find_mutable(s, f[1], f[2]), f[3], f[4]);
        break;
    case 'f': {
        LiveObject *o = find_mutable(s, NULL, f[1]);
        free(o->engine);
        free(o->live_hash);
        o->engine = xstrdup("Function");
        o->live_hash = xstrdup(f[2]);
        break;
    }
    case 'r':
        add_entry(s, f);
        break;
    case 'p':
        if (s->n_pending < REGISTRY_PENDING_CLUSTER) {
            RegistryEntry *p = &s->pending[s->n_pending++];
            p->kind = xstrdup(f[1]);
            p->qname = xstrdup(f[2]);
            p->state = xstrdup(f[3]);
            p->step = (unsigned)strtoul(f[4], NULL, 10);
            p->timed_out = strcmp(f[5], "failed") == 0;
        }
        break;
    case 'm':
        s->last_run = strtoull(f[1], NULL, 10);
        s->ended_run = strtoull(f[2], NULL, 10);
        s->timed_out_run = strtoull(f[3], NULL, 10);
        break;
    }
}

static int take_answer(LiveState *out, Tsv *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].n == 6 && rows->rows[i].fields[0][0])
            take_row(out, rows->rows[i].fields);
    tsv_free(rows);
    return 0;
}

static int run_query(Conn *c, const char *sql, LiveState *out, TransportResult *res)
{
    Tsv rows;
    if (conn_select(c, sql, &rows, res) != 0)
        return -1;
    return take_answer(out, &rows);
}

static void prepare_hosts(Conn *c, LiveState *out)
{
    const ClusterHosts *h = c->hosts;
    if (!h || !h->n)
        return;
    out->n_hosts = h->n;
    out->hosts = xcalloc(h->n, sizeof *out->hosts);
    out->host_names = xcalloc(h->n, sizeof *out->host_names);
    for (size_t i = 0; i < h->n; i++)
        out->host_names[i] = xstrdup(h->hosts[i].name);
}

/* A host that does not answer fails a remote() read at once (code 279 or
 * 210 on 18.16, in some 30 ms): that is reported as it is, naming the
 * hosts, without the retries that are for the connected server. */
static int hosts_down(Conn *c, TransportResult *res)
{
    StrBuf down = {0};
    if (hosts_probe(c, c->hosts, &down) == 0) {
        strbuf_free(&down);
        return 0;
    }
    transport_result_free(res);
    res->ok = 0;
    res->cls = TR_CONNECT;
    res->code = 0;
    StrBuf m = {0};
    strbuf_printf(&m, "cannot read the state of every host of cluster %s: %s", c->hosts->cluster,
                  strbuf_str(&down));
    res->message = strbuf_take(&m);
    strbuf_free(&down);
    return 1;
}

/* No registry (yet) where it was looked for: 60 or 81 from the connected
 * server, 279 "There is no table" from another host through remote(). */
static int no_registry(const TransportResult *res)
{
    return res->code == CODE_UNKNOWN_TABLE || res->code == CODE_UNKNOWN_DATABASE
           || (res->message && strstr(res->message, "There is no table"));
}

/* One read; with a cluster, once, then the hosts probed on failure. */
static int read_once(Conn *c, const char *sql, LiveState *out, TransportResult *res)
{
    prepare_hosts(c, out);
    if (!c->hosts)
        return run_query(c, sql, out, res);
    Tsv rows;
    if (conn_query(c, sql, NULL, res) == 0 && tsv_parse(res->body, res->body_len, &rows) == 0)
        return take_answer(out, &rows);
    if (!res->ok && no_registry(res))
        return -1;
    if (!res->ok && hosts_down(c, res))
        return -1;
    if (res->ok || res->cls != TR_TRANSIENT)
        return -1;
    transport_result_free(res);
    return run_query(c, sql, out, res);
}

static void free_entry(RegistryEntry *e);

/* Whether the pending step p could have been in a batch (execute.c): by
 * the plan's step of that number when it is the same step (a later run
 * may apply another plan), else taken as could. */
static int pending_batchable(const Plan *plan, const RegistryEntry *p)
{
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (s->number != p->step)
            continue;
        if (strcmp(plan_kind_name(s->kind), p->kind) != 0 || strcmp(s->name.key, p->qname) != 0
            || strcmp(s->sets.s, p->state) != 0)
            return 1;
        return judge_batchable(plan, s);
    }
    return 1;
}

/* Of a cluster run's unrecorded steps (ordered by step), those that can
 * have run: the first `base` (the recorder's window), and the batch that
 * starts at the first of them. A batch waits until every earlier step is
 * recorded, then holds consecutive steps that can go in one (each on an
 * object of its own, REGISTRY_BATCH_MAX at most): the steps after it had
 * not been sent. Reading no further keeps a step that never ran from
 * explaining what the next run finds (a view changed by hand taken for
 * that step's work). Steps that failed with 159 are all kept. */
static void pending_window(const Plan *plan, LiveState *s, size_t base)
{
    NameIndex seen = NAMEINDEX_INIT;
    size_t kept = 0, unrecorded = 0, batch = 0, ignored;
    int in_batch = 1;
    for (size_t i = 0; i < s->n_pending; i++) {
        RegistryEntry p = s->pending[i];
        int keep = p.timed_out;
        if (!p.timed_out) {
            char *key = entry_key(p.kind, p.qname);
            in_batch = in_batch && batch < REGISTRY_BATCH_MAX && !nameindex_get(&seen, key, &ignored)
                       && pending_batchable(plan, &p);
            if (in_batch) {
                nameindex_put(&seen, key, 1);
                batch++;
            }
            free(key);
            keep = ++unrecorded <= base || in_batch;
        }
        if (keep)
            s->pending[kept++] = p;
        else
            free_entry(&s->pending[i]);
    }
    s->n_pending = kept;
    nameindex_free(&seen);
}

/* The last run's steps that may have run unrecorded, when the 'm' row
 * says it can have left some (registry_pending_needed). */
static int read_pending(Conn *c, const Plan *plan, const Registry *reg, int every_host, LiveState *out,
                        TransportResult *res)
{
    if (!registry_pending_needed(out->last_run, out->ended_run, out->timed_out_run))
        return 0;
    StrBuf sql = {0};
    registry_pending_sql(reg, every_host, out->last_run, &sql);
    strbuf_puts(&sql, " FORMAT TabSeparated");
    int rc = run_query(c, strbuf_str(&sql), out, res);
    strbuf_free(&sql);
    if (rc == 0 && c->hosts)
        pending_window(plan, out, reg->inline_records ? REGISTRY_PENDING_INLINE : REGISTRY_PENDING_ONE);
    return rc;
}

static int read_plan_state(Conn *c, const Plan *plan, const Registry *reg, int hashes,
                           LiveState *out, TransportResult *res)
{
    memset(out, 0, sizeof *out);
    StrBuf dbs = {0}, filter = {0}, sql = {0};
    int functions;
    plan_databases(plan, &dbs, &functions);
    strbuf_printf(&filter, "IN (%s)", strbuf_str(&dbs));
    /* Every host's registry, else the connected server's (a host that has
     * not made it yet), else none (nothing was ever recorded). */
    int registry = reg ? (c->hosts ? 2 : 1) : 0;
    int rc;
    for (;;) {
        strbuf_clear(&sql);
        build_query(&sql, strbuf_str(&filter), functions, reg, registry, c->hosts, hashes);
        rc = read_once(c, strbuf_str(&sql), out, res);
        if (rc == 0 || registry == 0 || !no_registry(res))
            break;
        transport_result_free(res);
        state_free(out);
        registry--;
    }
    if (rc == 0 && registry) {
        transport_result_free(res);
        rc = read_pending(c, plan, reg, registry == 2, out, res);
    }
    if (rc == 0)
        out->registry_read = registry != 0;
    strbuf_free(&dbs);
    strbuf_free(&filter);
    strbuf_free(&sql);
    if (rc == 0)
        transport_result_free(res);
    else
        state_free(out);    /* the hosts' part read_once prepared, a read cut short */
    return rc;
}

int state_read(Conn *c, const Plan *plan, const Registry *reg, LiveState *out,
               TransportResult *res)
{
    return read_plan_state(c, plan, reg, 1, out, res);
}

int state_read_shapes(Conn *c, const Plan *plan, LiveState *out, TransportResult *res)
{
    return read_plan_state(c, plan, NULL, 0, out, res);
}

int state_read_object(Conn *c, ObjectKind kind, const PlanName *name, LiveState *out,
                      TransportResult *res)
{
    memset(out, 0, sizeof *out);
    StrBuf filter = {0}, sql = {0};
    strbuf_puts(&filter, "= ");
    sql_string(&filter, kind == KIND_DATABASE || !name->db ? name->name : name->db);
    build_query(&sql, strbuf_str(&filter), kind == KIND_FUNCTION, NULL, 0, c->hosts, 1);
    int rc = read_once(c, strbuf_str(&sql), out, res);
    strbuf_free(&filter);
    strbuf_free(&sql);
    if (rc == 0)
        transport_result_free(res);
    else
        state_free(out);
    return rc;
}

long state_hosts_with(Conn *c, ObjectKind kind, const PlanName *name)
{
    if (!c->hosts || kind == KIND_FUNCTION)
        return -1;
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT count() FROM ");
    if (kind == KIND_DATABASE) {
        hosts_remote_all(c->hosts, "system", "databases", &sql);
        strbuf_puts(&sql, " WHERE name = ");
        sql_string(&sql, name->name);
    } else {
        hosts_remote_all(c->hosts, "system", "tables", &sql);
        strbuf_puts(&sql, " WHERE database = ");
        sql_string(&sql, name->db);
        strbuf_puts(&sql, " AND name = ");
        sql_string(&sql, name->name);
    }
    TransportResult res;
    Tsv rows = {0};
    long n = conn_query(c, strbuf_str(&sql), NULL, &res) == 0 && tsv_parse(res.body, res.body_len, &rows) == 0
             && rows.n == 1 && rows.rows[0].n == 1 ? strtol(rows.rows[0].fields[0], NULL, 10) : -1;
    tsv_free(&rows);
    transport_result_free(&res);
    strbuf_free(&sql);
    return n;
}

static void free_entry(RegistryEntry *e)
{
    free(e->kind);
    free(e->qname);
    free(e->state);
    free(e->live_hash);
    free(e->server_version);
    memset(e, 0, sizeof *e);
}

void state_free(LiveState *s)
{
    free(s->server_version);
    for (size_t i = 0; i < s->n_objects; i++) {
        LiveObject *o = &s->objects[i];
        free(o->db);
        free(o->name);
        free(o->engine);
        free(o->live_hash);
        for (size_t k = 0; k < o->n_columns; k++) {
            free(o->columns[k].name);
            free(o->columns[k].type);
        }
        free(o->columns);
    }
    free(s->objects);
    for (size_t i = 0; i < s->n_entries; i++)
        free_entry(&s->entries[i]);
    free(s->entries);
    for (size_t i = 0; i < s->n_pending; i++)
        free_entry(&s->pending[i]);
    nameindex_free(&s->databases);
    nameindex_free(&s->object_index);
    nameindex_free(&s->entry_index);
    for (size_t i = 0; i < s->n_hosts; i++) {
        state_free(&s->hosts[i]);
        free(s->host_names[i]);
    }
    free(s->hosts);
    free(s->host_names);
    memset(s, 0, sizeof *s);
}
