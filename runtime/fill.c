/* fill: see fill.h. Why it is exact (docs/mv-changes.md, "A fill resumed
 * chunk by chunk"):
 *
 * A chunk is one or more whole partitions of the source (`_partition_id`),
 * grouped up to --chunk-rows rows when the fill starts and listed in the
 * registry then. Each is inserted into a stage, <registry>.fill_<id>,
 * made `AS` the target (same columns, engine, partition key), never into
 * the target itself; the stage's parts are then moved into the target
 * with ALTER TABLE ... MOVE PARTITION ID ... TO TABLE, one statement per
 * partition of the stage, which the server commits whole: readers see
 * all of a partition's parts in one table or the other (26.5 also
 * writes empty parts over the moved ones in the stage, so the move
 * survives a restart; tried). A moved partition leaves the stage, so
 * moving what is left in the stage again is harmless. Per chunk, in
 * <registry>.fill_chunks:
 *
 *   (nothing), staging  stop an insert of ours still running on the stage,
 *                       empty the stage, insert the chunk, write `moving`,
 *                       move what the stage holds, write `done`
 *   staged              (written by earlier versions after the insert)
 *                       write `moving`, move what the stage holds, write `done`
 *   moving              move what the stage holds, write `done`; but when
 *                       the server restarted since the `moving` row
 *                       (the insert had ended), a move may have been cut between
 *                       its target's half and its stage's half: a stage
 *                       without rows is done, one with rows starts the
 *                       whole fill again from the truncate
 *   done                nothing
 *
 * A kill anywhere is redone (the stage is emptied first) or finished
 * (moves are idempotent): no chunk is counted twice, none is lost, and
 * a chunk done is not read again.
 *
 * Which fill is in progress: the rows with chunk '' of an MV are its
 * markers, `truncate` (written before every truncate of its target, by
 * chunked fills and whole ones alike), `start` (the chunks are listed)
 * and `finish`. A fill resumes only when its MV's latest marker is its
 * own `start` and its stage exists; anything else that emptied the
 * target since wrote a `truncate` after it. */
#include "fill.h"
#include "fill_stop.h"

#include "sqlquote.h"
#include "strbuf.h"
#include "tsv.h"
#include "xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILL_RESTARTS 2 /* a fill started again more often than this fails */

static void fill_table(StrBuf *b, const Plan *plan)
{
    sql_qualified(b, plan->registry, FILL_TABLE);
}

static void stage_table(StrBuf *b, const Plan *plan, const PlanStep *s)
{
    char name[32];
    snprintf(name, sizeof name, "fill_%s", s->fill_id);
    sql_qualified(b, plan->registry, name);
}

/* ---- Before anything runs ----------------------------------------------------- */

/* 20.1 or newer: a server that can hold a chunked fill (MOVE PARTITION TO
 * TABLE; 18.16 has none). */
static int server_can_chunk(const char *version)
{
    return version && atoi(version) >= 20;
}

int fill_prepare(const Plan *plan, const Judgement *j, Conn *conn, const char *server_version,
                 Report *report, int *have_table)
{
    int need = 0;
    *have_table = 0;
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (j->steps[i].run && (s->chunks.text || (strcmp(s->action, "truncate") == 0
                                                    && server_can_chunk(server_version))))
            need = 1;
    }
    if (!need || plan->cluster)
        return 0;
    StrBuf sql = {0};
    strbuf_puts(&sql, "CREATE TABLE IF NOT EXISTS ");
    fill_table(&sql, plan);
    strbuf_puts(&sql, " (mv String, fill String, chunk String, partitions Array(String), state String, "
                      "rows UInt64, bytes UInt64, run UInt64, seq UInt64, written DateTime DEFAULT now()) "
                      "ENGINE = MergeTree "
                      "ORDER BY (mv, seq)");
    TransportResult res;
    int rc = conn_query_retrying(conn, sql.s, NULL, &res);
    strbuf_free(&sql);
    if (rc != 0)
        report_fail(report, EXIT_STEP_FAILED, "cannot make the registry's %s table: %s; nothing was run",
                    FILL_TABLE, res.message ? res.message : "no message");
    transport_result_free(&res);
    *have_table = rc == 0;
    return rc ? -1 : 0;
}

/* ---- Registry rows --------------------------------------------------------------- */

typedef struct ChunkRow {
    const char *chunk, *state;
    const char *partitions;     /* an array literal of partition ids ([0-9A-Za-z_-]); NULL: [] */
    unsigned long long rows, bytes;
} ChunkRow;

/* One INSERT of n rows for s's MV and fill (fill "" for a whole fill's
 * truncate). Returns the seq of the last row, 0 on failure. */
static unsigned long long write_rows(Execution *x, const PlanStep *s, const char *fill, const ChunkRow *rows,
                                     size_t n, TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "INSERT INTO ");
    fill_table(&sql, x->plan);
    strbuf_puts(&sql, " (mv, fill, chunk, partitions, state, rows, bytes, run, seq) VALUES ");
    unsigned long long seq = 0;
    for (size_t i = 0; i < n; i++) {
        seq = (unsigned long long)x->reg->run << 32 | ++x->fill_seq;
        strbuf_puts(&sql, i ? ", (" : "(");
        sql_string(&sql, s->name.key);
        strbuf_puts(&sql, ", ");
        sql_string(&sql, fill);
        strbuf_puts(&sql, ", ");
        sql_string(&sql, rows[i].chunk);
        strbuf_printf(&sql, ", %s, ", rows[i].partitions ? rows[i].partitions : "[]");
        sql_string(&sql, rows[i].state);
        strbuf_printf(&sql, ", %llu, %llu, %llu, %llu)", rows[i].rows, rows[i].bytes,
                      (unsigned long long)x->reg->run, seq);
    }
    int rc = conn_query_retrying(x->conn, sql.s, NULL, res);
    strbuf_free(&sql);
    if (rc == 0)
        transport_result_free(res);
    return rc == 0 ? seq : 0;
}

/* The MV's latest marker: its fill, state and seq. Returns 0 (an empty
 * state when there is none), -1 on failure. */
static int read_marker(Execution *x, const PlanStep *s, char fill[17], char state[16], unsigned long long *seq,
                       TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT fill, state, seq FROM ");
    fill_table(&sql, x->plan);
    strbuf_puts(&sql, " WHERE mv = ");
    sql_string(&sql, s->name.key);
    strbuf_puts(&sql, " AND chunk = '' ORDER BY seq DESC LIMIT 1");
    Tsv t = {0};
    int rc = conn_select(x->conn, sql.s, &t, res);
    strbuf_free(&sql);
    fill[0] = state[0] = '\0';
    *seq = 0;
    if (rc == 0 && t.n == 1 && t.rows[0].n == 3) {
        snprintf(fill, 17, "%s", t.rows[0].fields[0]);
        snprintf(state, 16, "%s", t.rows[0].fields[1]);
        *seq = strtoull(t.rows[0].fields[2], NULL, 10);
    }
    tsv_free(&t);
    return rc;
}

/* One number from the server; -1 on failure. */
static long long select_number(Execution *x, const char *sql, TransportResult *res)
{
    Tsv t = {0};
    long long v = -1;
    if (conn_select(x->conn, sql, &t, res) == 0 && t.n == 1 && t.rows[0].n == 1)
        v = strtoll(t.rows[0].fields[0], NULL, 10);
    tsv_free(&t);
    return v;
}

/* One number about the stage, from a system table: `SELECT what FROM
 * system.TABLE WHERE [active AND] database = <registry> AND NAME_COL =
 * <the stage>`; -1 on failure. */
static long long stage_number(Execution *x, const PlanStep *s, const char *what_from_where,
                              const char *name_col, TransportResult *res)
{
    StrBuf sql = {0};
    char name[32];
    snprintf(name, sizeof name, "fill_%s", s->fill_id);
    strbuf_printf(&sql, "SELECT %s database = ", what_from_where);
    sql_string(&sql, x->plan->registry);
    strbuf_printf(&sql, " AND %s = ", name_col);
    sql_string(&sql, name);
    long long n = select_number(x, sql.s, res);
    strbuf_free(&sql);
    return n;
}

/* The rows in the stage's active parts; -1 on failure. */
static long long stage_rows(Execution *x, const PlanStep *s, TransportResult *res)
{
    return stage_number(x, s, "sum(rows) FROM system.parts WHERE active AND", "table", res);
}

/* 1 when the stage exists, 0 when not; -1 on failure. */
static long long stage_exists(Execution *x, const PlanStep *s, TransportResult *res)
{
    return stage_number(x, s, "count() FROM system.tables WHERE", "name", res);
}

/* ---- The truncate before a fill ------------------------------------------------ */

int fill_before_truncate(Execution *x, const PlanStep *s, const PlanStep *next, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (!x->fill_table)
        return 0;
    /* A cutoff fill resumes with its filtered MV, never over a new one
     * (cutoff_resume.h): the target holds what the MV delivered from its
     * cutoff on, which the new MV's later cutoff would fill again. */
    if (next && !next->cutoff) {
        char fill[17], state[16];
        unsigned long long seq;
        if (read_marker(x, next, fill, state, &seq, res) != 0)
            return -1;
        transport_result_free(res);
        if (strcmp(state, "start") == 0 && strcmp(fill, next->fill_id) == 0) {
            long long exists = stage_exists(x, next, res);
            if (exists < 0)
                return -1;
            transport_result_free(res);
            if (exists > 0)
                return 1;
        }
    }
    ChunkRow row = {.chunk = "", .state = "truncate"};
    if (!write_rows(x, s, next ? next->fill_id : "", &row, 1, res))
        return -1;
    x->fill_emptied = next;
    return 0;
}

int fill_cutoff_made(Execution *x, const PlanStep *fill, long long cutoff, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    if (!x->fill_table)
        return 0;
    ChunkRow row = {.chunk = "", .state = "cutoff", .rows = (unsigned long long)cutoff};
    return write_rows(x, fill, fill->fill_id, &row, 1, res) ? 0 : -1;
}

typedef struct Chunk {
    char *id;
    char *partitions;           /* its partitions, an array literal */
    char state[16];
    unsigned long long rows, bytes;
    long long written;          /* the server's unix time of its latest row */
} Chunk;

typedef struct Chunks {
    Chunk *v;
    size_t n;
    long long server_start;     /* the server's unix time when it started */
    int unpartitioned;          /* 1: the target (and the stage) has no partition key; 0: not known */
    size_t staging_ahead;       /* 1-based: a chunk whose `staging` row this run wrote with the list, before
                                 * anything of it ran; 0: none */
} Chunks;

static void chunks_free(Chunks *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].partitions);
    }
    free(c->v);
    *c = (Chunks){0};
}

/* ---- Starting a fill --------------------------------------------------------------- */

static int run_sql(Execution *x, StrBuf *sql, TransportResult *res)
{
    int rc = conn_query_retrying(x->conn, sql->s, NULL, res);
    strbuf_free(sql);
    if (rc == 0)
        transport_result_free(res);
    return rc;
}

/* The source's partitions, rows and bytes, into *t; and in each row
 * whether the stage (made `AS` the target) has no partition key. */
static int list_chunks(Execution *x, const PlanStep *s, Tsv *t, TransportResult *res)
{
    char name[32];
    snprintf(name, sizeof name, "fill_%s", s->fill_id);
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT partition_id, sum(rows), sum(bytes_on_disk), (SELECT count() FROM system.tables "
                      "WHERE database = ");
    sql_string(&sql, x->plan->registry);
    strbuf_puts(&sql, " AND name = ");
    sql_string(&sql, name);
    strbuf_puts(&sql, " AND partition_key = '') FROM system.parts WHERE active AND database = ");
    sql_string(&sql, s->chunks.db);
    strbuf_puts(&sql, " AND table = ");
    sql_string(&sql, s->chunks.name);
    strbuf_puts(&sql, " GROUP BY partition_id ORDER BY partition_id");
    int rc = conn_select(x->conn, sql.s, t, res);
    strbuf_free(&sql);
    return rc;
}

/* A partition id as system.parts gives it (hex digits, numbers, `all`,
 * `-` and `_`): spliced into an array literal. */
static int plain_id(const char *id)
{
    return id[0] && strspn(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") == strlen(id);
}

/* The partitions in their order, grouped into chunks of at least
 * x->chunk_rows rows (a partition is never split): rows[1..], *n set. */
static int group_chunks(Execution *x, const Tsv *t, ChunkRow *rows, StrBuf *lists, size_t *n)
{
    size_t open = 0;
    for (size_t i = 0; i < t->n; i++) {
        char **f = t->rows[i].fields;
        if (t->rows[i].n != 4 || !plain_id(f[0]))
            return -1;
        if (!open) {
            open = ++*n;
            rows[open] = (ChunkRow){.chunk = f[0], .state = "listed"};
            strbuf_puts(&lists[open], "[");
        } else {
            strbuf_puts(&lists[open], ",");
        }
        strbuf_printf(&lists[open], "'%s'", f[0]);
        rows[open].rows += strtoull(f[1], NULL, 10);
        rows[open].bytes += strtoull(f[2], NULL, 10);
        if (rows[open].rows >= x->chunk_rows || i + 1 == t->n) {
            strbuf_puts(&lists[open], "]");
            rows[open].partitions = lists[open].s;
            open = 0;
        }
    }
    /* One chunk takes the whole source: the plan's statement reads it
     * without its filter (plan.c, chunk_test); its partitions are still
     * listed, for a plan whose statement does not know `*`. */
    if (*n == 1)
        rows[1].chunk = "*";
    return 0;
}

/* The listed chunks, as read_chunks would read them back. */
static void listed_chunks(const ChunkRow *rows, size_t n, Chunks *out)
{
    *out = (Chunks){.v = xcalloc(n + 1, sizeof *out->v), .n = n};
    for (size_t i = 0; i < n; i++) {
        Chunk *c = &out->v[i];
        c->id = xstrdup(rows[i + 1].chunk);
        c->partitions = xstrdup(rows[i + 1].partitions);
        snprintf(c->state, sizeof c->state, "%s", rows[i + 1].state);
        c->rows = rows[i + 1].rows;
        c->bytes = rows[i + 1].bytes;
    }
}

/* A new stage (`AS` the target), the source's partitions listed in
 * chunks, and the `start` marker with them and the first chunk's
 * `staging` in one INSERT (one part: all or nothing); *cs are the chunks
 * listed (not read back: this run has just written them). */
static int fresh_start(Execution *x, const PlanStep *s, Chunks *cs, TransportResult *res)
{
    *cs = (Chunks){0};
    StrBuf sql = {0};
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    stage_table(&sql, x->plan, s);
    if (run_sql(x, &sql, res) != 0)
        return -1;
    strbuf_puts(&sql, "CREATE TABLE ");
    stage_table(&sql, x->plan, s);
    strbuf_printf(&sql, " AS %s", s->target.text);
    if (run_sql(x, &sql, res) != 0)
        return -1;
    Tsv t = {0};
    if (list_chunks(x, s, &t, res) != 0)
        return -1;
    transport_result_free(res);
    ChunkRow *rows = xcalloc(t.n + 2, sizeof *rows);
    StrBuf *lists = xcalloc(t.n + 1, sizeof *lists);
    rows[0] = (ChunkRow){.chunk = "", .state = "start"};
    size_t n = 0;
    int rc = group_chunks(x, &t, rows, lists, &n);
    if (rc != 0) {
        res->message = xstrdup("the source's partition ids are not as system.parts should give them");
        res->cls = TR_PERMANENT;
    } else {
        /* The first chunk's `staging` row goes in the same INSERT, after
         * the list: the stage was made just now, so nothing is to be
         * emptied before it, and a kill after it finds that chunk
         * `staging`, as when written on its own. One request fewer. */
        if (n)
            rows[n + 1] = (ChunkRow){.chunk = rows[1].chunk, .state = "staging", .partitions = rows[1].partitions};
        rc = write_rows(x, s, s->fill_id, rows, n + 1 + (n > 0), res) ? 0 : -1;
        if (rc == 0) {
            listed_chunks(rows, n, cs);
            cs->staging_ahead = n > 0;
            cs->unpartitioned = t.n && strcmp(t.rows[0].fields[3], "1") == 0;
        }
    }
    for (size_t i = 0; i <= t.n; i++)
        strbuf_free(&lists[i]);
    free(lists);
    free(rows);
    tsv_free(&t);
    return rc;
}

/* ---- The chunks ------------------------------------------------------------------- */

/* The chunks of the fill started at seq `from`, in their listed order,
 * each with its latest state. */
static int read_chunks(Execution *x, const PlanStep *s, unsigned long long from, Chunks *out,
                       TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "SELECT chunk, argMax(state, seq), max(rows), max(bytes), "
                      "toUnixTimestamp(argMax(written, seq)), toUnixTimestamp(now()) - uptime(), "
                      "anyIf(partitions, state = 'listed') FROM ");
    fill_table(&sql, x->plan);
    strbuf_puts(&sql, " WHERE mv = ");
    sql_string(&sql, s->name.key);
    strbuf_puts(&sql, " AND fill = ");
    sql_string(&sql, s->fill_id);
    strbuf_printf(&sql, " AND chunk != '' AND seq > %llu GROUP BY chunk ORDER BY min(seq)", from);
    Tsv t = {0};
    int rc = conn_select(x->conn, sql.s, &t, res);
    strbuf_free(&sql);
    *out = (Chunks){.v = xcalloc(t.n + 1, sizeof *out->v)};
    for (size_t i = 0; rc == 0 && i < t.n; i++) {
        char **f = t.rows[i].fields;
        if (t.rows[i].n != 7 || strspn(f[6], "[]',0123456789abcdefghijklmnopqrstuvwxyz"
                                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-") != strlen(f[6]))
            continue;
        Chunk *c = &out->v[out->n++];
        c->id = xstrdup(f[0]);
        c->partitions = xstrdup(f[6]);
        snprintf(c->state, sizeof c->state, "%s", f[1]);
        c->rows = strtoull(f[2], NULL, 10);
        c->bytes = strtoull(f[3], NULL, 10);
        c->written = strtoll(f[4], NULL, 10);
        out->server_start = strtoll(f[5], NULL, 10);
    }
    tsv_free(&t);
    return rc;
}

static void add_counts(FillCounts *sum, const FillCounts *c)
{
    if (!c->known)
        return;
    sum->final = sum->known ? sum->final && c->final : c->final;
    sum->known = 1;
    sum->read_rows += c->read_rows;
    sum->read_bytes += c->read_bytes;
    sum->written_rows += c->written_rows;
    sum->written_bytes += c->written_bytes;
}

/* The plan's statement for chunk k of n, watched like a whole fill. */
static int insert_chunk(Execution *x, const PlanStep *s, StepReport *sr, size_t k, size_t n,
                        long long *written, TransportResult *res)
{
    char query_id[112];
    snprintf(query_id, sizeof query_id, "mvd-fill-%s-%zu", s->fill_id, k + 1);
    Progress *p = NULL;
    if (x->watch) {
        char *step = report_step_prefix(x->report, s);
        StrBuf prefix = {0};
        strbuf_printf(&prefix, "%schunk %zu/%zu: ", step, k + 1, n);
        free(step);
        p = progress_start(x->watch, query_id, prefix.s, x->tty);
        strbuf_free(&prefix);
    }
    int rc = conn_query_n(x->conn, s->sql, s->sql_len, query_id, res);
    FillCounts seen, got;
    x->watch_requests += progress_stop(p, &seen);
    progress_final(res, &seen, &got);
    add_counts(&sr->fill, &got);
    *written = got.known && got.final ? (long long)got.written_rows : -1;
    if (rc == 0)
        transport_result_free(res);
    return rc;
}

static void fault(const Execution *x, size_t k, int at)
{
    if (x->fault_chunk == k + 1 && x->fault_chunk_at == at)
        raise(SIGKILL);
}

#define MOVES_PER_ALTER 100 /* partitions moved by one ALTER: the statement stays far below max_query_size */

/* One ALTER moving n partitions of the stage into the target (26.5
 * tried: all of them moved, an id without rows moves nothing). The
 * server runs an ALTER's partition commands one after the other, each
 * a move of its own, as separate ALTERs were: a kill between two would
 * leave some partitions moved and the others in the stage, which the
 * next move takes (a kill there was not tried; after a restart a
 * `moving` chunk whose stage holds rows starts the fill again, as
 * before). */
static int move_partitions(Execution *x, const PlanStep *s, const char *const *ids, size_t n,
                           TransportResult *res)
{
    StrBuf sql = {0};
    strbuf_puts(&sql, "ALTER TABLE ");
    stage_table(&sql, x->plan, s);
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(&sql, i ? ", MOVE PARTITION ID " : " MOVE PARTITION ID ");
        sql_string(&sql, ids[i]);
        strbuf_printf(&sql, " TO TABLE %s", s->target.text);
    }
    return run_sql(x, &sql, res);
}

/* Moves every partition of the stage that holds rows into the target,
 * up to MOVES_PER_ALTER by one ALTER. Without a partition key the stage
 * has one partition, `all`: when this run's insert wrote the rows
 * (written >= 0, the engine's own count; -1 not known) it is moved
 * without asking which partitions hold rows, or not at all when nothing
 * was written (the stage held no rows before the insert). One request a
 * chunk fewer. */
static int move_stage(Execution *x, const PlanStep *s, const Chunks *cs, long long written, TransportResult *res)
{
    if (cs->unpartitioned && written >= 0) {
        const char *all = "all";
        return written > 0 ? move_partitions(x, s, &all, 1, res) : 0;
    }
    StrBuf sql = {0};
    char name[32];
    snprintf(name, sizeof name, "fill_%s", s->fill_id);
    strbuf_puts(&sql, "SELECT DISTINCT partition_id FROM system.parts WHERE active AND rows > 0 AND database = ");
    sql_string(&sql, x->plan->registry);
    strbuf_puts(&sql, " AND table = ");
    sql_string(&sql, name);
    Tsv t = {0};
    int rc = conn_select(x->conn, sql.s, &t, res);
    strbuf_free(&sql);
    if (rc == 0)
        transport_result_free(res);
    const char **ids = xcalloc(t.n + 1, sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.rows[i].n == 1)
            ids[n++] = t.rows[i].fields[0];
    for (size_t i = 0; rc == 0 && i < n; i += MOVES_PER_ALTER)
        rc = move_partitions(x, s, ids + i, n - i < MOVES_PER_ALTER ? n - i : MOVES_PER_ALTER, res);
    free(ids);
    tsv_free(&t);
    return rc;
}

/* Empties the stage. An insert of an earlier run (killed, or whose
 * answer was lost) may still be running on a server and writing blocks
 * into it: those are stopped first (their query_id names the fill), so
 * that none lands after the truncate. */
static int empty_stage(Execution *x, const PlanStep *s, TransportResult *res)
{
    char prefix[40];
    snprintf(prefix, sizeof prefix, "mvd-fill-%s-", s->fill_id);
    if (fill_stop(x, prefix, NULL, res) != 0)
        return -1;
    StrBuf sql = {0};
    strbuf_puts(&sql, "TRUNCATE TABLE ");
    stage_table(&sql, x->plan, s);
    return run_sql(x, &sql, res);
}

/* A chunk's next row, with the `done` of the chunk moved before it
 * (*moved, 1-based; 0: none) in the same INSERT, one part: the `done` is
 * written first (its seq is lower) and no later than before, since
 * nothing of the next chunk happens before this row. One request a chunk
 * fewer. */
static int write_next(Execution *x, const PlanStep *s, size_t *moved, const Chunks *cs, const Chunk *c,
                      const char *state, TransportResult *res)
{
    ChunkRow rows[2];
    size_t n = 0;
    if (*moved)
        rows[n++] = (ChunkRow){.chunk = cs->v[*moved - 1].id, .state = "done"};
    if (c)
        rows[n++] = (ChunkRow){.chunk = c->id, .state = state,
                               .partitions = strcmp(state, "staging") == 0 ? c->partitions : NULL};
    if (n && !write_rows(x, s, s->fill_id, rows, n, res))
        return -1;
    if (*moved)
        fault(x, *moved - 1, 3);
    *moved = 0;
    return 0;
}

/* Chunk k: 0 done (or moved, its `done` left in *moved for the next
 * row), 1 the whole fill must start again, -1 failed. */
static int run_chunk(Execution *x, const PlanStep *s, StepReport *sr, const Chunks *cs, size_t k, int first,
                     size_t *moved, TransportResult *res)
{
    const Chunk *c = &cs->v[k];
    if (strcmp(c->state, "done") == 0)
        return 0;
    int moving = strcmp(c->state, "moving") == 0;
    long long written = -1;     /* rows this run's insert of the chunk wrote; -1: not known */
    if (moving && cs->server_start >= c->written - 1) {
        long long left = stage_rows(x, s, res);
        if (left < 0)
            return -1;
        transport_result_free(res);
        if (left > 0)
            return 1;
        return write_next(x, s, moved, cs, c, "done", res);
    }
    if (!moving && strcmp(c->state, "staged") != 0) {
        /* Rows in the stage: only from a chunk cut in its insert (staging),
         * or, for the first chunk of a run, from anything before it. */
        int cut = strcmp(c->state, "staging") == 0;
        if ((first || cut) && empty_stage(x, s, res) != 0)
            return -1;
        /* A chunk cut in its insert is the fill's latest `staging` row
         * already: the statement reads its partitions as they are; so is
         * the first chunk of a fresh fill (written with the list). */
        int ahead = cs->staging_ahead == k + 1;
        if (write_next(x, s, moved, cs, cut || ahead ? NULL : c, "staging", res) != 0)
            return -1;
        if (insert_chunk(x, s, sr, k, cs->n, &written, res) != 0)
            return -1;
        /* No `staged` row: `moving` follows at once. A kill between the
         * insert's end and it finds the chunk `staging`, and redoes its
         * insert (one small request's time, in which the `staged` of
         * earlier versions saved that insert); a kill after it, as
         * before. An earlier version's `staged` row is still read. */
        fault(x, k, 1);
    }
    if (write_next(x, s, moved, cs, c, "moving", res) != 0)
        return -1;
    transport_result_free(res);
    if (move_stage(x, s, cs, written, res) != 0)
        return -1;
    fault(x, k, 2);
    *moved = k + 1;
    return 0;
}

/* Every chunk; 1 when the fill must start again. A stage this run has
 * just made holds nothing, and no earlier insert can reach it (it went
 * into the table dropped before): its first chunk need not empty it. */
static int run_chunks(Execution *x, const PlanStep *s, StepReport *sr, const Chunks *cs, int fresh,
                      TransportResult *res)
{
    size_t resumed = 0;
    for (size_t k = 0; k < cs->n; k++) {
        resumed += strcmp(cs->v[k].state, "done") == 0;
        sr->fill.rows_to_read += cs->v[k].rows;
    }
    if (resumed)
        report_note(x->report, "step %u: the fill of %s resumes: %zu of its %zu chunks were done before", s->number,
                    s->name.text, resumed, cs->n);
    int first = !fresh;
    size_t moved = 0;
    for (size_t k = 0; k < cs->n; k++) {
        if (x->stop && *x->stop)
            return -1;
        int done = strcmp(cs->v[k].state, "done") == 0;
        int rc = run_chunk(x, s, sr, cs, k, first, &moved, res);
        if (rc != 0)
            return rc;
        first = first && done;
    }
    return write_next(x, s, &moved, cs, NULL, "", res);
}

/* Empties the target again (a move cut by a restart cannot be told).
 * Not with a cutoff: the target holds what the filtered MV delivered,
 * which only dropping it and starting again with a new cutoff can
 * redo; the records say that the fill is abandoned, so that the next run
 * does not resume it (cutoff_resume.h), and the step fails. */
static int restart(Execution *x, const PlanStep *s, TransportResult *res)
{
    if (s->cutoff) {
        ChunkRow row = {.chunk = "", .state = "abandoned"};
        if (!write_rows(x, s, s->fill_id, &row, 1, res))
            return -1;
        transport_result_free(res);
        res->cls = TR_PERMANENT;
        res->message = xstrdup("the server restarted while a chunk was being moved into the target, and a "
                               "move cut in the middle cannot be told apart from one that ended: the fill "
                               "is abandoned. The target was not emptied (the MV, filtered on its cutoff, "
                               "writes into it). Run the same command again: it starts again from the "
                               "drop with a new cutoff");
        return -1;
    }
    report_note(x->report, "step %u: the server restarted while a chunk of %s was being moved into %s; the "
                "fill starts again from the empty target", s->number, s->name.text, s->target.text);
    ChunkRow row = {.chunk = "", .state = "truncate"};
    if (!write_rows(x, s, s->fill_id, &row, 1, res))
        return -1;
    transport_result_free(res);
    StrBuf sql = {0};
    strbuf_printf(&sql, "TRUNCATE TABLE %s", s->target.text);
    return run_sql(x, &sql, res);
}

static int finish(Execution *x, const PlanStep *s, TransportResult *res)
{
    ChunkRow row = {.chunk = "", .state = "finish"};
    if (!write_rows(x, s, s->fill_id, &row, 1, res))
        return -1;
    transport_result_free(res);
    StrBuf sql = {0};
    strbuf_puts(&sql, "DROP TABLE IF EXISTS ");
    stage_table(&sql, x->plan, s);
    return run_sql(x, &sql, res);
}

int fill_run(Execution *x, const PlanStep *s, StepReport *sr, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    sr->fill = (FillCounts){0};
    for (int round = 0; round <= FILL_RESTARTS; round++) {
        char fill[17] = "", state[16] = "";
        unsigned long long from = 0;
        /* Right after this run's truncate step the marker is its `truncate`. */
        if (!(round == 0 && x->fill_emptied == s) && read_marker(x, s, fill, state, &from, res) != 0)
            return -1;
        transport_result_free(res);
        int ours = strcmp(fill, s->fill_id) == 0;
        if (s->cutoff && !(round == 0 && x->fill_emptied == s)) {
            /* Not emptied by this run: resumed with its filtered MV, which
             * cutoff_resume.c judged from these records. Anything else
             * than they said then would fill over the MV's rows. */
            if (ours && strcmp(state, "finish") == 0) {
                free(sr->note);
                sr->note = xstrdup("kept: the fill had ended before the last run was interrupted");
                StrBuf sql = {0};
                strbuf_puts(&sql, "DROP TABLE IF EXISTS ");     /* a kill may have come before it */
                stage_table(&sql, x->plan, s);
                if (run_sql(x, &sql, res) != 0)
                    return -1;
                res->ok = 1;
                return 0;
            }
            if (!ours || (strcmp(state, "start") != 0 && strcmp(state, "cutoff") != 0)) {
                res->cls = TR_PERMANENT;
                res->message = xstrdup("the fill was to resume, and the registry's fill records no longer "
                                       "say that it can; nothing was filled. Run the same command again: it "
                                       "starts again from the drop with a new cutoff");
                return -1;
            }
        }
        int fresh = strcmp(state, "start") != 0 || !ours;
        Chunks cs;
        if (fresh ? fresh_start(x, s, &cs, res) != 0 : read_chunks(x, s, from, &cs, res) != 0) {
            chunks_free(&cs);
            return -1;
        }
        /* Started: the marker is now this `start`. A retry of the step in
         * this run (run_step, after a transient failure in a chunk) reads
         * it and resumes, rather than starting afresh over the chunks
         * already moved into the target. */
        x->fill_emptied = NULL;
        transport_result_free(res);
        sr->fill.rows_to_read = 0;
        int rc = run_chunks(x, s, sr, &cs, fresh, res);
        chunks_free(&cs);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (finish(x, s, res) != 0)
                return -1;
            res->ok = 1;
            return 0;
        }
        if (restart(x, s, res) != 0)
            return -1;
    }
    res->ok = 0;
    res->message = xstrdup("the fill was started again too often");
    return -1;
}
