/* Parameter bounds of aggregates, as ClickHouse checks them when it builds
 * the function. Each was seen refused on chDB 26.5 at CREATE TABLE (a
 * state column), CREATE VIEW and CREATE MATERIALIZED VIEW, and the same
 * way on 18.16 where the function exists there. A parameter only some
 * versions refuse (topK's upper size) is left out.
 *
 * A whole parameter given as a fraction is truncated towards zero before
 * its bound is checked: uniqUpTo(100.5) and uniqUpTo(100.9) count up to
 * 100, uniqUpTo(101.5) is refused (69), uniqCombined(20.5) is taken and
 * uniqCombined(21.5) refused (69), topK(0.5) is topK(0) (69) (chDB 26.5
 * and 18.16 alike). A negative fraction differs: 18.16 truncates it too
 * (uniqUpTo(-0.5) is taken), chDB 26.5 refuses it (70). */
#include "typing/agg_bounds.h"
#include "typing/aggregate.h"

#include <stdlib.h>
#include <string.h>

#include "project/versions.h"

typedef struct Bound {
    const char *base;
    int index;        /* the parameter; -1: every one (quantiles' levels) */
    double lo, hi;    /* hi < lo: no upper bound */
    bool whole;       /* a count: a fraction is truncated towards zero first */
    const char *what;
} Bound;

enum { NO_MAX = -1 };

static const Bound bounds[] = {
    /* "Too large parameter for aggregate function uniqUpTo. Maximum: 100" (69); -1 too */
    {"uniqUpTo", 0, 0, 100, true, "the threshold"},
    /* "out of range: [12, 20]" (69) */
    {"uniqCombined", 0, 12, 20, true, "the precision"},
    {"uniqCombined64", 0, 12, 20, true, "the precision"},
    /* "Bin count should be positive" (36), "Should not be greater than 250" (12) */
    {"histogram", 0, 1, 250, true, "the bin count"},
    /* "Parameter 0 is illegal" (69), "Too small parameter 'load_factor'" (69) */
    {"topK", 0, 1, NO_MAX, true, "the count"},
    {"topK", 1, 1, NO_MAX, true, "the load factor"},
    {"topKWeighted", 0, 1, NO_MAX, true, "the count"},
    {"topKWeighted", 1, 1, NO_MAX, true, "the load factor"},
    /* "Parameter for aggregate function groupArray should be positive number" (36) */
    {"groupArray", 0, 1, NO_MAX, true, "the size"},
    {"groupUniqArray", 0, 1, NO_MAX, true, "the size"},
    {"groupArraySample", 0, 1, NO_MAX, true, "the size"},
    {"groupArrayLast", 0, 1, NO_MAX, true, "the size"},
    {"groupArraySorted", 0, 1, NO_MAX, true, "the size"},
    {"groupArrayMovingSum", 0, 1, NO_MAX, true, "the window"},
    {"groupArrayMovingAvg", 0, 1, NO_MAX, true, "the window"},
    /* "Quantile level is out of range [0..1]" (12) */
    {"quantile", -1, 0, 1, false, "the level"},
    {"quantileBFloat16", -1, 0, 1, false, "the level"},
    {"quantileDeterministic", -1, 0, 1, false, "the level"},
    {"quantileExact", -1, 0, 1, false, "the level"},
    {"quantileExactHigh", -1, 0, 1, false, "the level"},
    {"quantileExactLow", -1, 0, 1, false, "the level"},
    {"quantileExactWeighted", -1, 0, 1, false, "the level"},
    {"quantileTDigest", -1, 0, 1, false, "the level"},
    {"quantileTDigestWeighted", -1, 0, 1, false, "the level"},
    {"quantileTiming", -1, 0, 1, false, "the level"},
    {"quantileTimingWeighted", -1, 0, 1, false, "the level"},
    {"quantiles", -1, 0, 1, false, "each level"},
    {"quantilesBFloat16", -1, 0, 1, false, "each level"},
    {"quantilesDeterministic", -1, 0, 1, false, "each level"},
    {"quantilesExact", -1, 0, 1, false, "each level"},
    {"quantilesExactWeighted", -1, 0, 1, false, "each level"},
    {"quantilesTDigest", -1, 0, 1, false, "each level"},
    {"quantilesTiming", -1, 0, 1, false, "each level"},
};

/* The literal's value; false when it is not a plain number (0x10, nan). */
static bool value_of(AggParam p, double *v)
{
    if (!p.text || !*p.text || strchr(p.text, 'x') || strchr(p.text, 'X') || strchr(p.text, 'n') ||
        strchr(p.text, 'N'))
        return false;
    char *end;
    *v = strtod(p.text, &end);
    if (*end)
        return false;
    *v = p.negative ? -*v : *v;
    return true;
}

/* Past 2^63 every double is whole. */
static bool whole(double v)
{
    return v > 9e18 || v < -9e18 || v == (double)(long long)v;
}

static const char *range_text(Arena *a, const Bound *b)
{
    if (b->hi < b->lo)
        return arena_printf(a, "at least %g", b->lo);
    return arena_printf(a, "from %g to %g", b->lo, b->hi);
}

static const char *resample_step_refused(Arena *a, AggParam step)
{
    double v;
    if (!value_of(step, &v) || v != 0)
        return NULL;
    return arena_printf(a, "the step of -Resample must not be 0: ClickHouse refuses the function");
}

const char *aggregate_param_refused(Arena *a, const Options *o, const char *base, int i, AggParam param)
{
    double v;
    if (!value_of(param, &v))
        return NULL;
    for (size_t k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++) {
        const Bound *b = &bounds[k];
        if (strcmp(b->base, base) != 0 || (b->index >= 0 && b->index != i))
            continue;
        if (b->whole && !whole(v) && v < 0 && version_has_feature(o, F_NEGATIVE_FRACTION_REFUSED))
            return arena_printf(a, "%s of '%s' must be a whole number or a positive fraction, not -%s: ClickHouse "
                                "refuses the function", b->what, base, param.text);
        if (b->whole && !whole(v))
            v = (double)(long long)v; /* towards zero; whole() says |v| < 2^63 */
        if (v >= b->lo && (b->hi < b->lo || v <= b->hi))
            return NULL;
        return arena_printf(a, "%s of '%s' must be %s, not %s%s: ClickHouse refuses the function", b->what, base,
                            range_text(a, b), param.negative ? "-" : "", param.text);
    }
    return NULL;
}

void aggregate_params_refused(Project *p, const char *fn, size_t len, const AggParam *params, int n,
                              const char **why)
{
    size_t base_len;
    for (int i = 0; i < n; i++)
        why[i] = NULL;
    if (!n || !aggregate_base(p, fn, len, &base_len))
        return;
    const char *base = arena_strndup(&p->scratch, fn, base_len);
    int own = n - 3 * aggregate_resamples(fn + base_len, len - base_len);
    if (own >= 0 && own < n)
        why[n - 1] = resample_step_refused(&p->scratch, params[n - 1]);
    for (int i = 0; i < own; i++)
        why[i] = aggregate_param_refused(&p->scratch, &p->options, base, i, params[i]);
}
