/* transport: send one SQL statement to ClickHouse and say precisely what
 * came back. Two backends behind one interface, chosen by the URL's scheme:
 *
 *   http://HOST:PORT[/]   https://HOST:PORT[/]   libcurl, one kept-alive
 *                                                connection per Transport
 *   chdb:PATH                                    chDB (ClickHouse as a
 *                                                library, dlopen'ed), data
 *                                                in directory PATH
 *
 * The transport prints nothing: every failure comes back as a class, a
 * ClickHouse error code and one message that the caller prints. The
 * password is never part of any message, result or URL.
 *
 * The caller runs curl_global_init(CURL_GLOBAL_DEFAULT) once before the
 * first transport_open and curl_global_cleanup() after the last
 * transport_close (libcurl's global state is not ours to own).
 * A Transport is used by one thread at a time.
 */
#ifndef MVRUN_TRANSPORT_H
#define MVRUN_TRANSPORT_H

#include <stddef.h>

/* What the caller should do about a result. */
typedef enum TransportClass {
    TR_OK = 0,
    /* May succeed later: retry with backoff. The statement may have run
     * (a timeout, a dropped connection, a transient server code), so only
     * idempotent statements are retried blindly. */
    TR_TRANSIENT,
    /* Fails again the same way (syntax, unknown table, type, ...): stop. */
    TR_PERMANENT,
    /* Wrong user or password, or the server refuses the credentials. */
    TR_AUTH,
    /* The statement never reached the server: refused, DNS, TLS, connect
     * timeout, chDB library missing or not connectable. Safe to retry; if
     * it persists, mvrun exits 5. */
    TR_CONNECT
} TransportClass;

/* One ClickHouse setting sent with every statement (HTTP: a URL
 * parameter; chDB: SET once per session). */
typedef struct TransportSetting {
    const char *name;  /* [A-Za-z_][A-Za-z0-9_]* */
    const char *value;
} TransportSetting;

typedef struct TransportConfig {
    const char *url;              /* http://, https:// or chdb:PATH */
    const char *user;             /* NULL or "": the server's default user */
    const char *password;         /* NULL or "": none; never printed */
    long connect_timeout_ms;      /* 0: 10 s */
    long request_timeout_ms;      /* 0: no limit (ON CLUSTER DDL may wait minutes) */
    int insecure;                 /* 1: do not verify the TLS peer (--insecure) */
    const char *cacert;           /* NULL: the system's CA bundle */
    const TransportSetting *settings;
    size_t n_settings;
    const char *chdb_lib;         /* NULL: $MVRUN_CHDB_LIB, else .deps/chdb above the executable */
} TransportConfig;

typedef struct TransportResult {
    int ok;                /* 1: the statement succeeded */
    TransportClass cls;    /* TR_OK when ok */
    char *body;            /* when ok: the answer, NUL-terminated (may be ""); else NULL */
    size_t body_len;
    int code;              /* ClickHouse error code; 0 when ok or when none was given */
    char *message;         /* when not ok: one message, owned; else NULL */
    long http_status;      /* 0 for chDB and when no response came */
    long new_connections;  /* connections opened for this statement (0: reused) */
    int final;             /* TR_CONNECT that no retry can cure (the server's TLS certificate) */
    /* What the statement read and wrote, where the engine says so: chDB's
     * result, or HTTP's X-ClickHouse-Summary header (servers from about
     * 19.x; 18.16 sends none). has_counts 0: not said. */
    int has_counts;
    unsigned long long read_rows, read_bytes, written_rows, written_bytes;
} TransportResult;

typedef struct TransportError {
    TransportClass cls;
    char message[512];
} TransportError;

typedef struct Transport Transport;

/* Chooses the backend by cfg->url's scheme. HTTP does not connect here
 * (the first statement does); chDB loads the library and connects.
 * Returns 0 and sets *out, or -1 and fills *err. cfg need not outlive
 * the call. */
int transport_open(const TransportConfig *cfg, Transport **out, TransportError *err);

/* Runs one statement of len bytes. query_id (NULL or "": none) lets the
 * server's system.processes and system.query_log find it; chDB ignores
 * it. Always fills *res; returns 0 when res->ok, else -1. Free *res with
 * transport_result_free. */
int transport_query(Transport *t, const char *sql, size_t len, const char *query_id,
                    TransportResult *res);

void transport_result_free(TransportResult *res);

/* Closes the connection (chDB: stops its threads, unloads the library). */
void transport_close(Transport *t);

/* The class of a failure from its ClickHouse code (0: none) and HTTP
 * status (0: none); the lists are in runtime/README.md. */
TransportClass transport_classify(int code, long http_status);

const char *transport_class_name(TransportClass cls);

#endif
