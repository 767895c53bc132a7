/* judge: the plan's guards judged against the target's real state.
 *
 * First each object's state is worked out from what the server shows and
 * what the registry remembers (docs/mvrun.md, "Knowing an object's
 * state"); an object whose live state no version of the plan explains is
 * drift. Then the steps are walked in order, each guard judged against
 * the state its object has by then, and each step that runs moving its
 * object to its sets= state. Nothing here talks to the server. */
#ifndef MVRUN_JUDGE_H
#define MVRUN_JUDGE_H

#include "nameindex.h"
#include "plan.h"
#include "state.h"
#include "strbuf.h"

/* The state of an object that exists but whose version mvrun cannot
 * know; only objects the plan merely drops may be in it. It satisfies
 * the guard `present` and no hash. */
#define STATE_UNKNOWN "unknown"

typedef enum StateSource {
    SOURCE_SERVER,      /* absent, or a database: the server says so */
    SOURCE_REGISTRY,    /* the registry's record, and the live object matches it */
    SOURCE_ADOPTED,     /* not recorded (or recorded otherwise): its columns and engine tell */
    SOURCE_RECOVERED,   /* a killed run's unrecorded step explains it */
    SOURCE_REREAD,      /* recorded under another ClickHouse version: taken as recorded */
    SOURCE_UNKNOWN,     /* exists, version unknown (STATE_UNKNOWN) */
    SOURCE_DRIFT,
} StateSource;

typedef struct JudgedObject {
    ObjectKind kind;
    const PlanName *name;       /* in the plan */
    int managed;                /* declared by @object */
    PlanState state;            /* absent, present, a hash, or STATE_UNKNOWN */
    StateSource source;
    int record;                 /* the registry should learn this state */
    const char *live_hash;      /* in the LiveState; NULL when absent */
    char *note;                 /* how the state was known, when worth saying */
    PlanState after;            /* the state once the steps that run have run */
} JudgedObject;

typedef struct Drift {
    char *object;               /* "table web.page_views" */
    char *what;                 /* the differences, "; "-separated */
    ObjectKind kind;
    const PlanName *name;       /* in the plan */
    char *diff;                 /* driftdiff.h: the plan's CREATE against the server's; NULL: none */
    unsigned diff_step;         /* the step whose CREATE it is */
    int too_old;                /* at a version older than the plan keeps: apply an older plan first */
} Drift;

typedef struct StepVerdict {
    int run;
    int held;                   /* judge_hold: not run although its guard lets it */
    PlanState before;           /* the object's state when the step comes */
    char *reason;               /* why it runs or is skipped */
} StepVerdict;

typedef struct Judgement {
    JudgedObject *objects;
    size_t n_objects;
    NameIndex index;            /* "kind qname" -> objects[] */
    StepVerdict *steps;         /* one per plan step */
    size_t n_steps;
    size_t n_to_run;
    Drift *drift;
    size_t n_drift;
} Judgement;

void judge_plan(const Plan *plan, const LiveState *live, Judgement *out);

/* Holds step i back although its guard lets it run, and walks the steps
 * again: the later steps see its object in the state it has without it.
 * For an MV that a killed run left half way, kept where it is
 * (cutoff_resume.h). reason (taken over) says why it does not run. */
void judge_hold(const Plan *plan, Judgement *j, size_t i, char *reason);
void judge_free(Judgement *j);

const JudgedObject *judge_find(const Judgement *j, ObjectKind kind, const PlanName *name);

/* 1 when `live` shows step's object in the step's sets= state for sure
 * (after a timeout: the statement did run), on every host when `live`
 * has hosts; 0 when it does not or cannot tell. */
int judge_step_landed(const Plan *plan, const LiveState *live, const PlanStep *step);

/* 1 when judge_step_landed can ever say 1 for step: a create, a drop (the
 * object gone), or an ALTER whose table's columns or engine differ from
 * those of every state it runs on. 0 for what leaves the shape as it was
 * (a comment, a setting, a TTL) and for a view's new definition. */
int judge_landing_visible(const Plan *plan, const PlanStep *step);

/* 1 when step can be queued in a batch on a cluster (execute.c,
 * "Batches"): a create, ALTER or drop that is not destructive, not a
 * cutoff MV's CREATE (which checks the server's clock after it), and
 * whose landing shows (judge_landing_visible). */
int judge_batchable(const Plan *plan, const PlanStep *step);

/* For a table mvrun just changed: 0 when its live columns and engine are
 * the plan's shape `state` (or the plan has no shape for it), else -1 and
 * the differences in *diff. */
int judge_table_is(const Plan *plan, const LiveState *live, const PlanName *name,
                   const char *state, StrBuf *diff);

/* "9c1e0a4f2b7d" for a hash, the word itself otherwise. */
const char *judge_short_state(const char *state, char out[16]);

#endif
