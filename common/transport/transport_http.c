/* transport_http: ClickHouse's HTTP interface through libcurl.
 *
 * One CURL handle per Transport, reused for every statement, so that
 * libcurl keeps the connection alive between them (a plan of a thousand
 * statements makes one TCP and TLS handshake, not a thousand). Each
 * statement is POSTed as the body, never put in the URL: URLs end up in
 * proxy logs and have length limits. The URL carries only settings:
 * wait_end_of_query=1, so that an error that happens after the first rows
 * changes the HTTP status instead of being appended to a 200 answer, and
 * query_id, so that a statement can be found again in system.processes
 * and system.query_log (and killed) after a dropped connection.
 *
 * When a reused connection dies before any answer, libcurl sends the
 * request again on a new connection by itself. For a statement that had
 * gone out, that could run it twice (an INSERT ... SELECT backfill, say),
 * behind the caller's back. So the statement is handed to libcurl through
 * a callback that counts what it took, and once it took anything, opening
 * another connection for it is refused (and so is rewinding it): the
 * transfer fails and the caller hears "may have run" (TR_TRANSIENT).
 * Before that, libcurl's own retries are safe and left alone. Tried on
 * 18.16: a server killed during `SELECT sleep(3)` on a reused connection
 * otherwise made libcurl re-send the statement on a new connection.
 *
 * Every curl_easy_setopt is checked and a failure names the option.
 */
#include "transport_impl.h"
#include "hex.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

typedef struct Buf {
    char *v;
    size_t len, cap;
    int oom;
} Buf;

typedef struct HttpTransport {
    Transport base;
    CURL *curl;
    struct curl_slist *headers;
    char *server;           /* scheme://host:port/path, for messages */
    char *url_prefix;       /* the URL up to and including `?` or `&`, settings in */
    char *password;         /* kept only to scrub it out of messages */
    char errbuf[CURL_ERROR_SIZE];
    /* The statement in flight and its answer. */
    const char *sql;
    size_t sql_len, sql_sent;   /* sql_sent > 0: libcurl took some of it */
    int resend_refused;         /* libcurl wanted to send it again */
    Buf body;
    int header_code;        /* X-ClickHouse-Exception-Code, 0 when absent */
    char exception_tag[64]; /* X-ClickHouse-Exception-Tag, "" when absent */
    TransportResult summary;    /* X-ClickHouse-Summary's counts (has_counts 0: none) */
} HttpTransport;

/* ---- A growing buffer ------------------------------------------------------ */

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (n > SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
        char *v = realloc(b->v, cap);
        if (!v) {
            b->oom = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    memcpy(b->v + b->len, s, n);
    b->len += n;
    b->v[b->len] = '\0';
}

static void buf_str(Buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Appends s URL-encoded. */
static void buf_escaped(Buf *b, CURL *curl, const char *s)
{
    char *e = curl_easy_escape(curl, s, (int)strlen(s));
    if (!e) {
        b->oom = 1;
        return;
    }
    buf_str(b, e);
    curl_free(e);
}

/* ---- Opening: the URL ------------------------------------------------------- */

/* 1 when the URL's query string names a parameter that is one of names,
 * however written: any case, %XX-decoded (ClickHouse decodes them, so
 * `pass%77ord=` authenticates). */
static int query_has_param(const char *query, const char *const *names)
{
    for (const char *p = query; p && *p; p = strchr(p, '&'), p = p ? p + 1 : NULL) {
        char name[32];
        size_t k = 0;
        for (const char *q = p; *q && *q != '=' && *q != '&' && k + 1 < sizeof name; q++) {
            int hi, lo;
            if (*q == '%' && (hi = hex_value(q[1])) >= 0 && (lo = hex_value(q[2])) >= 0) {
                name[k++] = (char)(hi * 16 + lo);
                q += 2;
            } else {
                name[k++] = *q;
            }
        }
        name[k] = '\0';
        for (const char *const *n = names; *n; n++)
            if (strcasecmp(name, *n) == 0)
                return 1;
    }
    return 0;
}

/* Rejects what must not be in the URL. Never echoes the URL: what is
 * wrong with it may be a password. */
static int check_url(const char *url, TransportError *err)
{
    const char *rest = strstr(url, "://") + 3;
    size_t authority = strcspn(rest, "/?#");
    const char *query = strchr(url, '?');
    static const char *const credentials[] = {"user", "password", NULL};
    if (memchr(rest, '@', authority) || (query && query_has_param(query + 1, credentials)))
        return transport_open_error(err, TR_PERMANENT,
                                    "the URL must not carry a user or password: "
                                    "give the user with --user, the password with $CLICKHOUSE_PASSWORD "
                                    "or --password-file");
    if (strchr(url, '#'))
        return transport_open_error(err, TR_PERMANENT, "the URL must not have a #fragment");
    if (authority == 0)
        return transport_open_error(err, TR_PERMANENT, "the URL has no host");
    return 0;
}

/* server: scheme://authority/path. prefix: the same with a `/` when the
 * path was empty, the URL's own query, then every extra setting, ready
 * for the per-statement parameters. */
static int build_urls(HttpTransport *h, const TransportConfig *cfg, TransportError *err)
{
    const char *url = cfg->url;
    const char *rest = strstr(url, "://") + 3;
    size_t head = (size_t)(rest - url) + strcspn(rest, "/?");
    Buf server = {0}, prefix = {0};
    buf_add(&server, url, head);
    if (url[head] != '/')
        buf_str(&server, "/");
    buf_add(&server, url + head, strcspn(url + head, "?"));
    buf_str(&prefix, server.v ? server.v : "");
    const char *query = strchr(url, '?');
    buf_str(&prefix, "?");
    if (query && query[1]) {
        buf_str(&prefix, query + 1);
        if (query[strlen(query) - 1] != '&')
            buf_str(&prefix, "&");
    }
    for (size_t i = 0; i < cfg->n_settings; i++) {
        buf_str(&prefix, cfg->settings[i].name);
        buf_str(&prefix, "=");
        buf_escaped(&prefix, h->curl, cfg->settings[i].value);
        buf_str(&prefix, "&");
    }
    h->server = server.v;
    h->url_prefix = prefix.v;
    if (server.oom || prefix.oom)
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    return 0;
}

/* ---- Opening: the handle ------------------------------------------------------ */

static int setopt_checked(CURLcode rc, const char *option, TransportError *err)
{
    if (rc == CURLE_OK)
        return 0;
    return transport_open_error(err, TR_PERMANENT, "curl_easy_setopt(%s): %s", option,
                                curl_easy_strerror(rc));
}

#define SETOPT(h, opt, val, err) setopt_checked(curl_easy_setopt((h)->curl, opt, val), #opt, err)

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    HttpTransport *h = userdata;
    size_t n = size * nmemb;
    buf_add(&h->body, data, n);
    return h->body.oom ? 0 : n;     /* 0 aborts the transfer */
}

static size_t on_read(char *buf, size_t size, size_t nitems, void *userdata)
{
    HttpTransport *h = userdata;
    size_t room = size * nitems, left = h->sql_len - h->sql_sent;
    size_t n = left < room ? left : room;
    memcpy(buf, h->sql + h->sql_sent, n);
    h->sql_sent += n;
    return n;
}

/* See the top of the file: never send a statement twice on our behalf.
 * Rewinding what was not taken yet is harmless: libcurl may ask for that
 * at the start of the next statement, after a retry it was refused. */
static int on_seek(void *userdata, curl_off_t offset, int origin)
{
    HttpTransport *h = userdata;
    if (h->sql_sent == 0 && offset == 0 && origin == SEEK_SET)
        return CURL_SEEKFUNC_OK;
    h->resend_refused = 1;
    return CURL_SEEKFUNC_CANTSEEK;
}

static curl_socket_t on_open_socket(void *userdata, curlsocktype purpose,
                                    struct curl_sockaddr *addr)
{
    HttpTransport *h = userdata;
    (void)purpose;
    if (h->sql_sent > 0) {
        h->resend_refused = 1;
        return CURL_SOCKET_BAD;
    }
    curl_socket_t fd = socket(addr->family, addr->socktype, addr->protocol);
    if (fd != CURL_SOCKET_BAD)
        fcntl(fd, F_SETFD, FD_CLOEXEC);     /* not into programs we start */
    return fd;
}

/* The value of header `name: value` in line, trimmed, or NULL. */
static const char *header_value(const char *line, size_t n, const char *name, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
        return NULL;
    const char *v = line + k + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    *vlen = (size_t)(end - v);
    return v;
}

/* The number after `"key":"` (or `"key":`) in a summary's JSON, 0 when absent. */
static unsigned long long summary_count(const char *v, size_t n, const char *key)
{
    char pat[40];
    int k = snprintf(pat, sizeof pat, "\"%s\":", key);
    for (size_t i = 0; k > 0 && i + (size_t)k < n; i++)
        if (memcmp(v + i, pat, (size_t)k) == 0) {
            size_t j = i + (size_t)k;
            if (j < n && v[j] == '"')
                j++;
            unsigned long long x = 0;
            for (; j < n && v[j] >= '0' && v[j] <= '9'; j++)
                x = x * 10 + (unsigned long long)(v[j] - '0');
            return x;
        }
    return 0;
}

/* X-ClickHouse-Summary: {"read_rows":"5","read_bytes":"40","written_rows":"1",...} */
static void take_summary(HttpTransport *h, const char *v, size_t n)
{
    h->summary.has_counts = 1;
    h->summary.read_rows = summary_count(v, n, "read_rows");
    h->summary.read_bytes = summary_count(v, n, "read_bytes");
    h->summary.written_rows = summary_count(v, n, "written_rows");
    h->summary.written_bytes = summary_count(v, n, "written_bytes");
}

/* Headers and trailers alike: newer servers may send the exception code
 * as a trailer after a 200 began. */
static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
    HttpTransport *h = userdata;
    size_t n = size * nitems, vlen;
    const char *v;
    if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        h->header_code = 0;         /* a new response (after `100 Continue`) */
        h->exception_tag[0] = '\0';
    } else if ((v = header_value(line, n, "X-ClickHouse-Exception-Code", &vlen)) != NULL) {
        h->header_code = (int)strtol(v, NULL, 10);
    } else if ((v = header_value(line, n, "X-ClickHouse-Exception-Tag", &vlen)) != NULL) {
        if (vlen >= sizeof h->exception_tag)
            vlen = sizeof h->exception_tag - 1;
        memcpy(h->exception_tag, v, vlen);
        h->exception_tag[vlen] = '\0';
    } else if ((v = header_value(line, n, "X-ClickHouse-Summary", &vlen)) != NULL) {
        take_summary(h, v, vlen);
    }
    return n;
}

static int set_auth(HttpTransport *h, const TransportConfig *cfg, TransportError *err)
{
    int has_user = cfg->user && *cfg->user, has_password = cfg->password && *cfg->password;
    if (!has_user && !has_password)
        return 0;                   /* the server's default user */
    if (has_password && !(h->password = strdup(cfg->password)))
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    return SETOPT(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC, err)
        || SETOPT(h, CURLOPT_USERNAME, has_user ? cfg->user : "default", err)
        || SETOPT(h, CURLOPT_PASSWORD, has_password ? cfg->password : "", err);
}

static int set_tls(HttpTransport *h, const TransportConfig *cfg, TransportError *err)
{
    if (SETOPT(h, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L, err)
        || SETOPT(h, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L, err))
        return -1;
    if (cfg->cacert && *cfg->cacert)
        return SETOPT(h, CURLOPT_CAINFO, cfg->cacert, err);
    return 0;
}

static int set_options(HttpTransport *h, const TransportConfig *cfg, TransportError *err)
{
    long connect_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    /* Without `Expect:`, curl would wait for `100 Continue` before sending
     * a statement over 1 KiB; text/plain keeps any form parser away from
     * the statement. */
    struct curl_slist *first = curl_slist_append(NULL, "Content-Type: text/plain; charset=UTF-8");
    struct curl_slist *list = first ? curl_slist_append(first, "Expect:") : NULL;
    if (!list) {
        curl_slist_free_all(first);
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    }
    h->headers = list;
    return SETOPT(h, CURLOPT_NOSIGNAL, 1L, err)         /* no SIGALRM for DNS timeouts */
        || SETOPT(h, CURLOPT_ERRORBUFFER, h->errbuf, err)
#if LIBCURL_VERSION_NUM >= 0x075500
        || SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https", err)
#else
        || SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS), err)
#endif
        || SETOPT(h, CURLOPT_POST, 1L, err)
        || SETOPT(h, CURLOPT_HTTPHEADER, h->headers, err)
        || SETOPT(h, CURLOPT_USERAGENT, "mvrun", err)
        || SETOPT(h, CURLOPT_READFUNCTION, on_read, err)
        || SETOPT(h, CURLOPT_READDATA, h, err)
        || SETOPT(h, CURLOPT_SEEKFUNCTION, on_seek, err)
        || SETOPT(h, CURLOPT_SEEKDATA, h, err)
        || SETOPT(h, CURLOPT_OPENSOCKETFUNCTION, on_open_socket, err)
        || SETOPT(h, CURLOPT_OPENSOCKETDATA, h, err)
        || SETOPT(h, CURLOPT_WRITEFUNCTION, on_body, err)
        || SETOPT(h, CURLOPT_WRITEDATA, h, err)
        || SETOPT(h, CURLOPT_HEADERFUNCTION, on_header, err)
        || SETOPT(h, CURLOPT_HEADERDATA, h, err)
        || SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms, err)
        || SETOPT(h, CURLOPT_TIMEOUT_MS, cfg->request_timeout_ms > 0 ? cfg->request_timeout_ms : 0L, err)
        /* A DDL may wait minutes on a quiet connection (ON CLUSTER). */
        || SETOPT(h, CURLOPT_TCP_KEEPALIVE, 1L, err)
        || set_tls(h, cfg, err) || set_auth(h, cfg, err);
}

/* ---- One statement ------------------------------------------------------------ */

/* Whether libcurl took any of the statement decides between TR_CONNECT
 * (the server cannot have seen it: refused, DNS, TLS, connect timeout)
 * and TR_TRANSIENT (it may have run: a timeout or a dropped connection
 * afterwards). */
static TransportClass curl_failure_class(CURLcode rc, int sent)
{
    switch (rc) {
    case CURLE_OUT_OF_MEMORY:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return TR_PERMANENT;
    default:
        return sent ? TR_TRANSIENT : TR_CONNECT;
    }
}

static void fail_curl(HttpTransport *h, CURLcode rc, TransportResult *res)
{
    TransportClass cls = curl_failure_class(rc, h->sql_sent > 0);
    if (rc == CURLE_WRITE_ERROR && h->body.oom) {
        transport_fail(res, TR_PERMANENT, 0, "out of memory holding the answer from %s (%zu bytes)",
                       h->server, h->body.len);
        return;
    }
    /* A certificate that does not verify will not verify a second later. */
    res->final = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE
                 || rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_ISSUER_ERROR
                 || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH || rc == CURLE_SSL_INVALIDCERTSTATUS
                 || rc == CURLE_SSL_CRL_BADFILE;
    const char *detail = h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc);
    if (h->resend_refused)
        detail = "the connection closed after the statement was sent, before any answer";
    transport_fail(res, cls, 0, "%s %s: %s%s", cls == TR_CONNECT ? "cannot connect to" : "request to",
                   h->server, detail,
                   cls == TR_TRANSIENT ? " (the statement may have run)" : "");
}

/* A 2xx answer: success unless an exception was appended to it or
 * announced in a trailer. */
static void take_answer(HttpTransport *h, long status, TransportResult *res)
{
    const char *msg;
    size_t msg_len;
    const char *tag = h->exception_tag[0] ? h->exception_tag : NULL;
    if (transport_trailing_exception(h->body.v, h->body.len, tag, &msg, &msg_len)) {
        transport_fail_text(res, h->header_code, status, msg, msg_len);
    } else if (h->header_code != 0) {
        transport_fail_text(res, h->header_code, status, h->body.v ? h->body.v : "", h->body.len);
    } else {
        res->ok = 1;
        res->cls = TR_OK;
        res->body = h->body.v ? h->body.v : strdup("");
        res->body_len = h->body.len;
        h->body = (Buf){0};
        if (!res->body)
            transport_fail(res, TR_PERMANENT, 0, "out of memory");
    }
}

static int build_request_url(HttpTransport *h, const char *query_id, Buf *url)
{
    buf_str(url, h->url_prefix);
    if (query_id && *query_id) {
        buf_str(url, "query_id=");
        buf_escaped(url, h->curl, query_id);
        buf_str(url, "&");
    }
    buf_str(url, "wait_end_of_query=1");
    return url->oom ? -1 : 0;
}

/* Sets the statement's URL and body and runs it. Returns 0 when the
 * transfer ran (*rc says how it went), -1 when res already says why not. */
static int perform(HttpTransport *h, const char *sql, size_t len, const char *query_id,
                   CURLcode *rc, TransportResult *res)
{
    Buf url = {0};
    if (build_request_url(h, query_id, &url) != 0) {
        free(url.v);
        transport_fail(res, TR_PERMANENT, 0, "out of memory");
        return -1;
    }
    const char *option = "CURLOPT_URL";
    if ((*rc = curl_easy_setopt(h->curl, CURLOPT_URL, url.v)) == CURLE_OK
        && (option = "CURLOPT_POSTFIELDSIZE_LARGE",     /* Content-Length, not chunks */
            *rc = curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len)) == CURLE_OK) {
        free(url.v);                /* curl keeps its own copy */
        h->sql = sql;
        h->sql_len = len;
        h->sql_sent = 0;
        h->resend_refused = 0;
        h->errbuf[0] = '\0';
        *rc = curl_easy_perform(h->curl);
        h->sql = NULL;
        return 0;
    }
    free(url.v);
    transport_fail(res, TR_PERMANENT, 0, "curl_easy_setopt(%s): %s", option, curl_easy_strerror(*rc));
    return -1;
}

/* An error status. Without a ClickHouse code the answer came from
 * something else (a proxy, a load balancer): say which status, from where,
 * and the start of what it said. */
static void fail_status(HttpTransport *h, long status, TransportResult *res)
{
    const char *body = h->body.v ? h->body.v : "";
    size_t n = h->body.len;
    int code = h->header_code ? h->header_code : transport_error_code(body, n);
    if (code != 0) {
        transport_fail_text(res, code, status, body, n);
        return;
    }
    while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == '\r' || body[n - 1] == ' '))
        n--;
    transport_fail(res, transport_classify(0, status), 0, "HTTP %ld from %s: %.*s", status,
                   h->server, (int)(n > 300 ? 300 : n), body);
}

static void judge(HttpTransport *h, CURLcode rc, long status, TransportResult *res)
{
    if (rc != CURLE_OK)
        fail_curl(h, rc, res);
    else if (status >= 200 && status < 300)
        take_answer(h, status, res);
    else
        fail_status(h, status, res);
}

static void http_query(Transport *t, const char *sql, size_t len, const char *query_id,
                       TransportResult *res)
{
    HttpTransport *h = (HttpTransport *)t;
    CURLcode rc;
    h->body = (Buf){0};
    h->header_code = 0;
    h->exception_tag[0] = '\0';
    h->summary.has_counts = 0;
    if (perform(h, sql, len, query_id, &rc, res) == 0) {
        long status = 0, connects = 0;
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h->curl, CURLINFO_NUM_CONNECTS, &connects);
        judge(h, rc, status, res);
        res->http_status = status;
        res->new_connections = connects;
        if (res->ok && h->summary.has_counts) {
            res->has_counts = 1;
            res->read_rows = h->summary.read_rows;
            res->read_bytes = h->summary.read_bytes;
            res->written_rows = h->summary.written_rows;
            res->written_bytes = h->summary.written_bytes;
        }
    }
    res->message = transport_scrub(res->message, h->password);
    free(h->body.v);
    h->body = (Buf){0};
}

/* ---- Closing ------------------------------------------------------------------ */

static void wipe(char *s)
{
    for (volatile char *p = s; p && *p; p++)
        *p = '\0';
}

static void http_close(Transport *t)
{
    HttpTransport *h = (HttpTransport *)t;
    if (h->curl)
        curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    free(h->server);
    free(h->url_prefix);
    wipe(h->password);
    free(h->password);
    free(h);
}

static const TransportOps http_ops = {"http", http_query, http_close};

int http_transport_open(const TransportConfig *cfg, Transport **out, TransportError *err)
{
    if (check_url(cfg->url, err) != 0)
        return -1;
    HttpTransport *h = calloc(1, sizeof *h);
    if (!h)
        return transport_open_error(err, TR_PERMANENT, "out of memory");
    h->base.ops = &http_ops;
    if (!(h->curl = curl_easy_init())) {
        http_close(&h->base);
        return transport_open_error(err, TR_PERMANENT,
                                    "curl_easy_init failed (was curl_global_init called?)");
    }
    if (build_urls(h, cfg, err) != 0 || set_options(h, cfg, err) != 0) {
        http_close(&h->base);
        return -1;
    }
    *out = &h->base;
    return 0;
}
