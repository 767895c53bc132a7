/* hosts: the hosts of the plan's cluster, as the connected server's
 * system.clusters lists them, so that mvrun reads and judges the state of
 * every host and not only of the one it talks to (docs/mvrun.md,
 * "Clusters").
 *
 * Every host is read through the connected server with the remote()
 * table function (one shard per host, host:port as system.clusters gives
 * it): one request whatever the number of hosts, and no URL or
 * credentials of the other hosts to configure. remote() connects over the
 * native protocol as the run's user with its password (remote()'s user
 * and password arguments), so the user must exist with that password on
 * every host; the password is then part of the query's text, as the
 * server logs it (docs/mvrun.md, "Clusters"), and conn.h keeps it out of
 * every message mvrun prints. */
#ifndef MVRUN_HOSTS_H
#define MVRUN_HOSTS_H

#include "conn.h"
#include "strbuf.h"

#include <stddef.h>

typedef struct ClusterHost {
    char *address;      /* host_address:port, what remote() takes */
    char *name;         /* host_name:port, for messages */
    unsigned shard, replica;
} ClusterHost;

typedef struct ClusterHosts {
    const char *cluster;
    ClusterHost *hosts;
    size_t n;
    const char *user;       /* NULL or "": the `default` user */
    const char *password;   /* NULL or "": none */
    char *server_version;   /* the connected server's version(), read with the hosts */
    /* The connected server has the registry's history table (read with
     * the hosts): when it has not, reading the registry from every host
     * fails, and so does reading it from that server, so a state read
     * before this run makes the registry reads none (mvrun.c, read_state). */
    int registry_here;
} ClusterHosts;

/* Reads the cluster's hosts from system.clusters, and in the same request
 * the connected server's version(), which mvrun checks before anything
 * else (one request less on every run), and whether it has the registry
 * database registry_db's history; remote() reads the hosts as user with
 * password (both kept, not copied). Returns 0; -1 with *res (the request
 * failed) or with a message in *res when the server does not know the
 * cluster. */
int hosts_read(Conn *c, const char *cluster, const char *registry_db, const char *user,
               const char *password, ClusterHosts *out, TransportResult *res);

/* remote('address', db, table[, 'user', 'password']) for host i, into sql. */
void hosts_remote(const ClusterHosts *h, size_t i, const char *db, const char *table, StrBuf *sql);

/* remote('a1,a2,...', db, table): every host, each a shard of its own. */
void hosts_remote_all(const ClusterHosts *h, const char *db, const char *table, StrBuf *sql);

/* After a request over remote() failed: asks each host for one row and
 * describes those that do not answer, "; "-separated, in *down. Returns
 * how many do not answer (0: the failure was something else). */
size_t hosts_probe(Conn *c, const ClusterHosts *h, StrBuf *down);

/* The answer of an ON CLUSTER statement, one row per host (host, port,
 * status, error, ...): 1 when a host reports a status other than 0, each
 * such host described in *why ("; "-separated); 0 when none does. */
int hosts_failed(const char *body, size_t len, StrBuf *why);

void hosts_free(ClusterHosts *h);

#endif
