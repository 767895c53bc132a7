/* cutoff_resume: see cutoff_resume.h.
 *
 * Why keeping the filtered MV is exact. The plan makes it with `WHERE COL
 * >= T` and fills `COL < T`; the fill's chunks go through a stage and
 * reach the target only by MOVE PARTITION, whole parts added next to
 * what the MV delivers (fill.c). While mvrun is dead the MV goes on
 * taking every row from T on, and every row below T was committed before
 * the fill started (it waits until T + the margin): the chunks not done
 * yet read the same rows whenever they run. So the MV and T must be the
 * ones the fill started with, and the target must hold nothing but the
 * MV's rows and the chunks done. The records say so when:
 *
 * - the MV is in the state the plan's filtered CREATE makes (its hash
 *   stands for the MV's query and its cutoff filter: another plan's
 *   filtered MV has another one, and is dropped as before);
 * - the MV's latest marker in fill_chunks is `cutoff` (written right after
 *   the clock was read before T: the CREATE was in time), `start` (the
 *   chunks were listed; its stage must still exist) or `finish` (every
 *   chunk done), of this plan's fill (its id stands for the MV's and the
 *   target's states);
 * - a `cutoff` marker of that fill is later than every `truncate` marker
 *   (each emptying of the target writes one first), and the T it recorded
 *   is still the latest in the cutoffs table (each new T is written before
 *   a CREATE, which a truncate precedes);
 * - no step between the drop and the CREATE but the MV's truncate would
 *   run: a plan that changes the source or the target in between (an
 *   ALTER the killed run did not make) starts again from the drop.
 *
 * Anything else leaves the plan as judged: the MV is dropped, the target
 * emptied, and everything starts again with a new T. */
#include "cutoff_resume.h"
#include "cutoff.h"
#include "fill.h"

#include "sqlquote.h"
#include "strbuf.h"
#include "tsv.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

/* The index of step s in the plan. */
static size_t index_of(const Plan *plan, const PlanStep *s)
{
    return (size_t)(s - plan->steps);
}

/* The chunked backfill step with a cutoff after the create at index c, or NULL. */
static const PlanStep *chunked_fill(const Plan *plan, size_t c)
{
    const PlanStep *f = plan_fill_after(plan, c);
    return f && f->cutoff && f->chunks.text ? f : NULL;
}

/* The query over the MV's markers; see the file's comment. */
static void records_sql(const Plan *plan, const PlanStep *f, StrBuf *sql)
{
    char stage[32];
    snprintf(stage, sizeof stage, "fill_%s", f->fill_id);
    strbuf_puts(sql, "SELECT argMax(fill, seq), argMax(state, seq), argMaxIf(fill, seq, state = 'cutoff'), "
                     "maxIf(seq, state = 'cutoff') > maxIf(seq, state = 'truncate'), "
                     "toString(argMaxIf(rows, seq, state = 'cutoff')), (SELECT toString(toUnixTimestamp(max(cutoff))) FROM ");
    sql_qualified(sql, plan->registry, "cutoffs");
    strbuf_puts(sql, " WHERE mv = ");
    sql_string(sql, f->name.text);
    strbuf_puts(sql, "), (SELECT count() FROM system.tables WHERE database = ");
    sql_string(sql, plan->registry);
    strbuf_puts(sql, " AND name = ");
    sql_string(sql, stage);
    strbuf_puts(sql, ") FROM ");
    sql_qualified(sql, plan->registry, FILL_TABLE);
    strbuf_puts(sql, " WHERE mv = ");
    sql_string(sql, f->name.key);
    strbuf_puts(sql, " AND chunk = ''");
}

/* 1 when the records let the fill f resume with the MV as it is, 0 when
 * not, -1 on failure; *latest: the latest marker. */
static int records_allow(const Plan *plan, const PlanStep *f, Conn *conn, char latest[16], TransportResult *res)
{
    StrBuf sql = {0};
    records_sql(plan, f, &sql);
    Tsv t = {0};
    int rc = conn_select(conn, sql.s, &t, res);
    strbuf_free(&sql);
    int yes = 0;
    if (rc == 0 && t.n == 1 && t.rows[0].n == 7) {
        char **v = t.rows[0].fields;
        int marker = strcmp(v[1], "cutoff") == 0 || strcmp(v[1], "start") == 0 || strcmp(v[1], "finish") == 0;
        yes = strcmp(v[0], f->fill_id) == 0 && marker && strcmp(v[2], f->fill_id) == 0 && strcmp(v[3], "1") == 0
              && strcmp(v[4], "0") != 0 && strcmp(v[4], v[5]) == 0
              && (strcmp(v[1], "start") != 0 || strcmp(v[6], "0") != 0);
        snprintf(latest, 16, "%s", v[1]);
    }
    tsv_free(&t);
    if (rc == 0)
        transport_result_free(res);
    return rc == 0 ? yes : -1;
}

/* The plan's steps around the filtered CREATE at index c allow keeping
 * the MV: its drop would run on the state the CREATE makes, and nothing
 * between the drop and the CREATE would run but the truncate. */
static int steps_allow(const Plan *plan, const Judgement *j, size_t c, size_t *drop, size_t *trunc)
{
    const PlanStep *d = cutoff_undo_step(plan, c, "drop"), *t = cutoff_undo_step(plan, c, "truncate");
    if (!d || !t || t < d)
        return 0;
    *drop = index_of(plan, d);
    *trunc = index_of(plan, t);
    if (!j->steps[*drop].run || strcmp(j->steps[*drop].before.s, plan->steps[c].sets.s) != 0)
        return 0;
    for (size_t k = *drop + 1; k < c; k++)
        if (k != *trunc && j->steps[k].run)
            return 0;
    return 1;
}

int cutoff_resume(const Plan *plan, Judgement *j, Conn *conn, TransportResult *res)
{
    memset(res, 0, sizeof *res);
    int kept = 0;
    for (size_t c = 0; c < plan->n_steps; c++) {
        const PlanStep *s = &plan->steps[c];
        const PlanStep *f = s->cutoff && strcmp(s->action, "create") == 0 ? chunked_fill(plan, c) : NULL;
        size_t drop, trunc;
        if (!f || !steps_allow(plan, j, c, &drop, &trunc))
            continue;
        char latest[16] = "";
        int yes = records_allow(plan, f, conn, latest, res);
        if (yes < 0)
            return -1;
        if (!yes)
            continue;
        const char *why = strcmp(latest, "finish") == 0 ? "its fill had ended"
                          : strcmp(latest, "start") == 0 ? "its fill resumes where it stopped"
                                                         : "its fill starts from there";
        size_t held[3] = {drop, trunc, c};
        for (int k = 0; k < 3; k++) {
            StrBuf reason = {0};
            strbuf_printf(&reason, "kept: a run interrupted before the MODIFY QUERY left it filtered on its cutoff, "
                                   "made in time, and %s", why);
            judge_hold(plan, j, held[k], strbuf_take(&reason));
        }
        kept++;
    }
    return kept;
}
