/* fill_stop: see fill_stop.h.
 *
 * KILL QUERY ... SYNC returns once the queries it names have left the
 * server's process list, and a query leaves it only after its output
 * stream is gone (18.16: BlockIO destroys the streams before the process
 * list entry), so no block of a killed INSERT is written after the KILL
 * returns; the parts it wrote before are committed, and the truncate that
 * follows removes them. 18.16 has KILL QUERY WHERE ... SYNC and its ON
 * CLUSTER form (tried: through one host it stops an INSERT running on the
 * other). A queued ON CLUSTER KILL may run late on a host that lags; the
 * current run's own fill is excluded by its query_id, so it can only stop
 * a later run's fill, which then fails and is redone: never counted
 * twice. */
#include "fill_stop.h"

#include "hosts.h"
#include "sha256.h"
#include "sqlquote.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

/* The 16 hex digits that name target in its fills' query_ids. */
static void target_digits(const PlanName *target, char out[17])
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(target->key, strlen(target->key), hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

void fill_whole_query_id(const Execution *x, const PlanName *target, char out[FILL_QUERY_ID_MAX])
{
    char digits[17];
    target_digits(target, digits);
    snprintf(out, FILL_QUERY_ID_MAX, "mvd-fill-into-%s-%llu", digits, (unsigned long long)x->reg->run);
}

int fill_stop(Execution *x, const char *prefix, const char *except, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (x->conn->is_chdb)
        return 0;
    StrBuf sql = {0};
    strbuf_puts(&sql, "KILL QUERY");
    if (x->plan->cluster) {
        strbuf_puts(&sql, " ON CLUSTER ");
        sql_ident(&sql, x->plan->cluster);
    }
    strbuf_puts(&sql, " WHERE startsWith(query_id, ");
    sql_string(&sql, prefix);
    strbuf_puts(&sql, ")");
    if (except) {
        strbuf_puts(&sql, " AND query_id != ");
        sql_string(&sql, except);
    }
    strbuf_puts(&sql, " SYNC");
    int rc = conn_query_retrying(x->conn, sql.s, NULL, res);
    strbuf_free(&sql);
    if (rc != 0)
        return -1;
    /* ON CLUSTER: one row per host; a host whose KILL failed may still run
     * the fill. */
    StrBuf why = {0};
    if (x->plan->cluster && hosts_failed(res->body, res->body_len, &why)) {
        transport_result_free(res);
        res->cls = TR_PERMANENT;
        res->message = strbuf_take(&why);
        return -1;
    }
    strbuf_free(&why);
    transport_result_free(res);
    return 0;
}

int fill_stop_earlier(Execution *x, const PlanName *target, TransportResult *res)
{
    char digits[17], prefix[FILL_QUERY_ID_MAX], own[FILL_QUERY_ID_MAX];
    target_digits(target, digits);
    snprintf(prefix, sizeof prefix, "mvd-fill-into-%s-", digits);
    fill_whole_query_id(x, target, own);
    return fill_stop(x, prefix, own, res);
}
