/* hosts: see hosts.h. */
#include "hosts.h"

#include "registry.h"
#include "sqlquote.h"
#include "tsv.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

int hosts_read(Conn *c, const char *cluster, const char *registry_db, const char *user,
               const char *password, ClusterHosts *out, TransportResult *res)
{
    memset(out, 0, sizeof *out);
    out->cluster = cluster;
    out->user = user;
    out->password = password;
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT host_name, host_address, toString(port), toString(shard_num), "
                      "toString(replica_num), version(), toString((SELECT count() FROM system.tables "
                      "WHERE database = ");
    sql_string(&sql, registry_db);
    strbuf_printf(&sql, " AND name = '%s')) FROM system.clusters WHERE cluster = ", REGISTRY_HISTORY);
    sql_string(&sql, cluster);
    strbuf_puts(&sql, " ORDER BY shard_num, replica_num FORMAT TabSeparated");
    Tsv rows;
    int rc = conn_select(c, strbuf_str(&sql), &rows, res);
    strbuf_free(&sql);
    if (rc != 0)
        return -1;
    out->hosts = xcalloc(rows.n + 1, sizeof *out->hosts);
    for (size_t i = 0; i < rows.n; i++) {
        char **f = rows.rows[i].fields;
        if (rows.rows[i].n != 7)
            continue;
        if (!out->server_version)
            out->server_version = xstrdup(f[5]);
        out->registry_here = strcmp(f[6], "0") != 0;
        ClusterHost *h = &out->hosts[out->n++];
        StrBuf a = {0}, n = {0};
        strbuf_printf(&a, "%s:%s", f[1], f[2]);
        strbuf_printf(&n, "%s:%s", f[0], f[2]);
        h->address = strbuf_take(&a);
        h->name = strbuf_take(&n);
        h->shard = (unsigned)strtoul(f[3], NULL, 10);
        h->replica = (unsigned)strtoul(f[4], NULL, 10);
    }
    tsv_free(&rows);
    if (out->n == 0) {
        transport_result_free(res);
        res->ok = 0;
        res->cls = TR_PERMANENT;
        StrBuf m = {0};
        strbuf_printf(&m, "the server does not know the plan's cluster `%s` (system.clusters has no "
                          "such cluster): check @option cluster and the server's remote_servers",
                      cluster);
        res->message = strbuf_take(&m);
        return -1;
    }
    transport_result_free(res);
    return 0;
}

/* With a user or a password, both go to remote(): its `default` when
 * only a password is given, as the connection itself does. */
static void remote(StrBuf *sql, const ClusterHosts *h, const char *addresses, const char *db,
                   const char *table)
{
    strbuf_puts(sql, "remote(");
    sql_string(sql, addresses);
    strbuf_puts(sql, ", ");
    sql_ident(sql, db);
    strbuf_puts(sql, ", ");
    sql_ident(sql, table);
    int user = h->user && *h->user, password = h->password && *h->password;
    if (user || password) {
        strbuf_puts(sql, ", ");
        sql_string(sql, user ? h->user : "default");
        strbuf_puts(sql, ", ");
        sql_string(sql, password ? h->password : "");
    }
    strbuf_puts(sql, ")");
}

void hosts_remote(const ClusterHosts *h, size_t i, const char *db, const char *table, StrBuf *sql)
{
    remote(sql, h, h->hosts[i].address, db, table);
}

void hosts_remote_all(const ClusterHosts *h, const char *db, const char *table, StrBuf *sql)
{
    StrBuf all = {0};
    for (size_t i = 0; i < h->n; i++)
        strbuf_printf(&all, "%s%s", i ? "," : "", h->hosts[i].address);
    remote(sql, h, strbuf_str(&all), db, table);
    strbuf_free(&all);
}

/* 18.16 wraps a remote host's failure in "All connection tries failed.
 * Log: ..." with one line per try: the first line of the log that names
 * a code says why (connection refused, timeout, no such table). */
static void short_reason(const char *msg, StrBuf *out)
{
    const char *log = strstr(msg, "Log:");
    const char *line = log ? strstr(log, "Code: ") : NULL;
    if (!line)
        line = msg;
    size_t len = strcspn(line, "\n");
    const char *what = strstr(line, ", e.what()");
    if (what && (size_t)(what - line) < len)
        len = (size_t)(what - line);
    strbuf_printf(out, "%.*s", (int)len, line);
}

size_t hosts_probe(Conn *c, const ClusterHosts *h, StrBuf *down)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++) {
        StrBuf sql = {0};
        strbuf_puts(&sql, "SELECT 1 FROM ");
        hosts_remote(h, i, "system", "one", &sql);
        TransportResult res;
        /* Once, without retries: a host that is down is the answer. */
        if (conn_query(c, strbuf_str(&sql), NULL, &res) != 0) {
            strbuf_printf(down, "%shost %s (shard %u, replica %u) does not answer: ", n ? "; " : "",
                          h->hosts[i].name, h->hosts[i].shard, h->hosts[i].replica);
            short_reason(res.message ? res.message : "no message", down);
            n++;
        }
        transport_result_free(&res);
        strbuf_free(&sql);
    }
    return n;
}

void hosts_free(ClusterHosts *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->hosts[i].address);
        free(h->hosts[i].name);
    }
    free(h->hosts);
    free(h->server_version);
    memset(h, 0, sizeof *h);
}

/* With ON CLUSTER, one row per host: host, port, status, error, ... A
 * status other than 0 is a host that failed. */
int hosts_failed(const char *body, size_t len, StrBuf *why)
{
    Tsv t;
    if (!body || tsv_parse(body, len, &t) != 0)
        return 0;
    int failed = 0;
    for (size_t i = 0; i < t.n; i++) {
        char **f = t.rows[i].fields;
        if (t.rows[i].n < 4 || !f[2][0] || strspn(f[2], "-0123456789") != strlen(f[2])
            || strcmp(f[2], "0") == 0)
            continue;
        strbuf_printf(why, "%shost %s:%s failed (status %s): %s", failed ? "; " : "", f[0], f[1], f[2],
                  f[3]);
        failed = 1;
    }
    tsv_free(&t);
    return failed;
}
