/* swap: see swap.h. */
#include "swap.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <string.h>

static const PlanStep *step_of(const Plan *plan, const PlanName *name, const char *action)
{
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (s->kind == KIND_MATERIALIZED_VIEW && strcmp(s->action, action) == 0
            && strcmp(s->name.key, name->key) == 0)
            return s;
    }
    return NULL;
}

/* Whether the registry, or the killed run's pending steps, had the MV in
 * state `a` or `b`: a shadow step of this plan made the shadow. */
static int made_by_plan(const LiveState *live, const PlanName *name, const char *a, const char *b)
{
    const RegistryEntry *e = state_find_entry(live, KIND_MATERIALIZED_VIEW, name->key);
    if (e && (strcmp(e->state, a) == 0 || strcmp(e->state, b) == 0))
        return 1;
    for (size_t i = 0; i < live->n_pending; i++) {
        const RegistryEntry *p = &live->pending[i];
        if (strcmp(p->kind, plan_kind_name(KIND_MATERIALIZED_VIEW)) == 0 && strcmp(p->qname, name->key) == 0
            && (strcmp(p->state, a) == 0 || strcmp(p->state, b) == 0))
            return 1;
    }
    return 0;
}

/* Whether the killed run's pending steps include step s. */
static int pending_step(const LiveState *live, const PlanStep *s)
{
    for (size_t i = 0; i < live->n_pending; i++)
        if (live->pending[i].step == s->number && strcmp(live->pending[i].qname, s->name.key) == 0)
            return 1;
    return 0;
}

static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *text(const char *fmt, ...)
{
    StrBuf t = {0};
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&t, fmt, ap);
    va_end(ap);
    return strbuf_take(&t);
}

SwapVerdict swap_judge(const Plan *plan, const LiveState *live, const PlanName *name, const char *state,
                       const char **new_state, char **note)
{
    PlanName shadow;
    plan_shadow_name(name, &shadow);
    const LiveObject *there = state_find_object(live, &shadow);
    const PlanStep *make = step_of(plan, name, "shadow"), *swap = step_of(plan, name, "swap");
    SwapVerdict v = SWAP_AS_IS;
    *note = NULL;
    if (make && swap && swap->n_guard_states == 1 && make->n_guard_states == 1) {
        const char *before = make->guard_states[0].s, *shadowed = make->sets.s;
        const char *gone = swap->guard_states[0].s, *done = swap->sets.s;
        int ours = there && made_by_plan(live, name, shadowed, gone);
        int mv_there = state_find_object(live, name) != NULL;
        if (ours && mv_there && strcmp(state, gone) == 0) {
            v = SWAP_DRIFT;     /* the registry has it dropped: made again by hand? */
            *note = text("mvrun dropped it to swap in %s, which is there, and something is under its name "
                         "again (made by hand?): drop one of the two by hand", shadow.text);
        } else if (ours && (strcmp(state, "absent") == 0 || strcmp(state, gone) == 0)) {
            *new_state = gone;
            v = SWAP_STATE;
            *note = text("dropped for the swap; its replacement %s, made by step %u, is there: renamed next",
                         shadow.text, make->number);
        } else if (ours && (strcmp(state, before) == 0 || strcmp(state, shadowed) == 0)) {
            *new_state = shadowed;
            v = SWAP_STATE;
            *note = text("its replacement %s is there already (step %u of an earlier run): not made again",
                         shadow.text, make->number);
        } else if (ours) {
            v = SWAP_DRIFT;
            *note = text("its replacement %s, which this plan made, is beside it, but it is not in the state "
                         "the plan swaps from (changed by hand?): drop one of the two by hand", shadow.text);
        } else if (!there && strcmp(state, shadowed) == 0) {
            *new_state = before;        /* the shadow is gone: made again */
            v = SWAP_STATE;
            *note = text("its replacement %s is gone (dropped by hand?): it is made again", shadow.text);
        } else if (!there && strcmp(state, gone) == 0 && pending_step(live, swap)) {
            *new_state = done;          /* renamed, not recorded */
            v = SWAP_RECOVERED;
            *note = text("step %u of the last run, which was interrupted, had renamed %s to it", swap->number,
                         shadow.text);
        } else if (!there && strcmp(state, gone) == 0) {
            v = SWAP_DRIFT;
            *note = text("mvrun dropped it to swap in %s, which is gone, and something else is under its name: "
                         "made by hand?", shadow.text);
        }
    }
    if (v == SWAP_AS_IS && there && (!make || !made_by_plan(live, name, make->sets.s, swap ? swap->guard_states[0].s : "")))
        v = SWAP_DRIFT_SHADOW;
    if (v == SWAP_DRIFT_SHADOW)
        *note = text("%s exists: the name mvd gives the replacement of %s while it swaps it in, and this plan "
                     "did not make it (left by an interrupted run of another plan, or made by hand). Finish the "
                     "run of the plan that made it, or drop it by hand once %s is as it should be",
                     shadow.text, name->text, name->text);
    plan_name_release(&shadow);
    return v;
}
