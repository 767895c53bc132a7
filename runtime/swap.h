/* swap: an MV that a plan swaps in (steps `shadow`, `drop`, `swap`;
 * docs/mv-changes.md, "Swapped in"), judged with its shadow beside it.
 *
 * The MV's states SH ("the old MV, and the shadow made") and SA ("no MV,
 * the shadow made") are not something the server shows by the MV's name
 * alone: they are the MV's own state (the old one, or absent) read
 * together with its shadow, PLAN_SHADOW_PREFIX + its name in its
 * database. A shadow counts only when this plan's shadow step made it:
 * the registry has the MV at SH or SA, or the killed run's pending steps
 * had it there. Any other object under a shadow's name is drift (exit 3,
 * nothing run): never dropped, never taken for the MV, never left to
 * deliver rows unnoticed. */
#ifndef MVRUN_SWAP_H
#define MVRUN_SWAP_H

#include "plan.h"
#include "state.h"

typedef enum SwapVerdict {
    SWAP_AS_IS,         /* nothing to change */
    SWAP_STATE,         /* the MV is in *state (a copy of a plan state), *note says why */
    SWAP_RECOVERED,     /* the same, from the killed run's pending step */
    SWAP_DRIFT,         /* the MV is drift: *note says why */
    SWAP_DRIFT_SHADOW,  /* the shadow is drift (the MV's judgement stands): *note says why */
} SwapVerdict;

/* The MV `name` judged in `state` from its own name (absent, a hash,
 * unknown), seen with its shadow. *note (malloc'ed) is set unless
 * SWAP_AS_IS; *state is set for SWAP_STATE and SWAP_RECOVERED. */
SwapVerdict swap_judge(const Plan *plan, const LiveState *live, const PlanName *name, const char *state,
                       const char **new_state, char **note);

#endif
