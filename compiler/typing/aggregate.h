/* Aggregate calls: the base aggregate's signature and the combinators
 * around it (-If, -Array, -ForEach, -Distinct, -OrNull, -OrDefault,
 * -State, -SimpleState, -Merge, -MergeState, -Resample and chains of them), applied
 * as generic rules the way ClickHouse's AggregateFunctionFactory does,
 * NULL handling and LowCardinality included. The library declares only the
 * base aggregates. */
#ifndef MVD_AGGREGATE_H
#define MVD_AGGREGATE_H

#include "typing/signature.h"

typedef enum AggProblem {
    AGG_OK,
    AGG_UNKNOWN,       /* nothing to say (a name the library only names, ...) */
    AGG_COUNT,         /* wrong number of arguments for the base aggregate */
    AGG_KIND,          /* an argument the base aggregate does not take */
    AGG_LEVELS,        /* parameters where none go, too many or too few, or (param set)
                        * parameter arg of a kind the function refuses */
    AGG_NOT_ARRAY,     /* -Array / -ForEach over a non-array */
    AGG_NO_CONDITION,  /* -If without its condition */
    AGG_NOT_STATE,     /* -Merge over something that is not a state */
    AGG_WRONG_STATE,   /* -Merge over another aggregate's state */
    AGG_RESAMPLE       /* -Resample without its 3 parameters (arg -1) or its key (arg 0) */
} AggProblem;

typedef struct AggIssue {
    AggProblem problem;
    int arg;                 /* the argument at fault, counted in the call */
    const Signature *sig;    /* AGG_COUNT/KIND/LEVELS: a signature it fails */
    const SigParam *param;   /* AGG_KIND, AGG_LEVELS of a kind: the parameter */
    const char *combinator;  /* the combinator at fault */
    const char *base;        /* the aggregate the combinator applies to */
    const Type *found;       /* AGG_KIND, AGG_WRONG_STATE, AGG_NOT_*: the argument's type;
                              * AGG_LEVELS of a kind: the parameter's */
} AggIssue;

/* The type of an aggregate call named `name` (with its combinators), or
 * NULL when unknown; with issue, what is wrong with the call, if anything. */
const Type *aggregate_type(const SigCall *c, const char *name, const char *params_text, AggIssue *issue);
/* The aggregate a call names, combinators included (uniqStateIf is uniq);
 * NULL for a plain function or an unknown name. */
Object *aggregate_lookup(Project *p, Name call);
/* The i-th combinator suffix, longest first ("MergeState" before
 * "State"); NULL past the last. */
const char *aggregate_combinator(int i);
/* The aggregate object a name with combinators is built on (NULL if none);
 * *base_len is the length of its name. */
Object *aggregate_base(Project *p, const char *name, size_t len, size_t *base_len);
/* How many -Resample combinators the len bytes after an aggregate's base
 * name hold: each takes 3 parameters (start, end, step) after the
 * function's own. */
int aggregate_resamples(const char *suffixes, size_t len);

#endif
