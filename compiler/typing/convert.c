/* Can an MV output of one type go into a target column of another? An MV
 * inserts by name, casting each output to its column's type. What that
 * cast does depends on the server (tried on 18.16 and chDB 26.5; the
 * pipelines under tests/pipelines prove each rule on a real engine):
 *
 *   - 18.16 casts nothing: any difference fails every insert (53), a
 *     widening too. (A DateTime's time zone does not count, and its
 *     -State types drop Nullable from their arguments.)
 *   - Aggregate states cast only into a state of the same representation:
 *     uniqIf into uniq, quantile into quantiles, count(x) into count(), a
 *     LowCardinality argument, and only from ~22.1 (F_STATE_CAST). Other
 *     states are refused (70). Different quantile levels are cast too, and
 *     the table's levels win when reading: a warning.
 *   - A state into a plain or SimpleAggregateFunction column fails every
 *     insert (43); a plain value into a state column is refused (70).
 *   - A -SimpleState of one function into a SimpleAggregateFunction of
 *     another (maxSimpleState into sum) is accepted, and merges then sum
 *     maxima: wrong totals, an error.
 *   - Plain values are cast, and what does not fit is lost: a NULL into a
 *     non-Nullable column fails the insert (349), a String that does not
 *     parse as a number fails it (6), a narrower type wraps or truncates
 *     silently.
 * A numeric literal (`0 AS hits`) is cast exactly by modern servers, and
 * so is a string literal ('0' AS u into UInt256). A signed value into an
 * unsigned column is a warning: `a - b` is signed even where WHERE a > b
 * keeps it positive, and mvdc cannot know. */
#include <stdlib.h>
#include <string.h>

#include "typing/convert.h"
#include "project/versions.h"
#include "typing/aggregate.h"

typedef struct Conv {
    Project *p;
    bool literal;
} Conv;

static Fit fits(void)
{
    return (Fit){FIT_OK, NULL, NULL};
}

static Fit refuse(const char *why, const char *hint)
{
    return (Fit){FIT_ERROR, why, hint};
}

static const Type *strip(const Type *t, TypeKind k)
{
    return t && t->kind == k ? t->elems[0] : t;
}

/* ---- 18.16: equal or not ---- */

/* 18.16 compares types as they are, but for a DateTime's time zone. */
static bool same_on_18_16(const Type *a, const Type *b)
{
    if (a == b)
        return true;
    if (a->kind != b->kind || a->n != b->n)
        return false;
    if (a->kind == TY_DATETIME)
        return true;
    if (a->kind == TY_DATETIME64)
        return a->precision == b->precision;
    if (a->kind == TY_AGGREGATE) {
        if (strcmp(a->func, b->func) != 0)
            return false;
        /* 18.16's -State over a Nullable argument has the argument's own type */
        for (int i = 0; i < a->n; i++)
            if (!same_on_18_16(strip(a->elems[i], TY_NULLABLE), strip(b->elems[i], TY_NULLABLE)))
                return false;
        return true;
    }
    if (a->kind != TY_NULLABLE && a->kind != TY_ARRAY && a->kind != TY_TUPLE && a->kind != TY_MAP)
        return false;
    for (int i = 0; i < a->n; i++)
        if (!same_on_18_16(a->elems[i], b->elems[i]))
            return false;
    return true;
}

/* ---- Aggregate states ---- */

typedef struct State {
    char name[64];       /* the function, without parameters */
    char params[128];    /* "0.5, 0.9", empty when none */
    const Type *const *args;
    int nargs;
    const Type *elems[8]; /* args once -Array is taken off: their elements */
} State;

static bool read_state(const Type *t, State *s)
{
    const char *f = type_state_function(t);
    const char *paren = strchr(f, '(');
    size_t n = paren ? (size_t)(paren - f) : strlen(f);
    size_t k = paren ? strlen(paren) : 0;
    if (n >= sizeof s->name || k >= sizeof s->params)
        return false;
    memcpy(s->name, f, n);
    s->name[n] = 0;
    s->params[0] = 0;
    if (paren) { /* "(0.5, 0.9)" without its parentheses */
        memcpy(s->params, paren + 1, k - 2);
        s->params[k - 2] = 0;
    }
    s->args = t->elems;
    s->nargs = t->n;
    return true;
}

/* Levels compare as numbers: quantiles(0.50) and quantiles(0.5) agree. */
static bool same_params(const char *a, const char *b)
{
    while (*a || *b) {
        char *ea, *eb;
        double x = strtod(a, &ea), y = strtod(b, &eb);
        if (ea == a || eb == b || x != y)
            return strcmp(a, b) == 0;
        a = ea + strspn(ea, ", ");
        b = eb + strspn(eb, ", ");
    }
    return true;
}

/* Every level of the query's state is one of the column's: reading with
 * the column's levels loses nothing the query asked for. */
static bool levels_within(const char *query, const char *column)
{
    while (*query) {
        char *end;
        double x = strtod(query, &end);
        if (end == query)
            return false;
        bool found = false;
        for (const char *c = column; *c && !found;) {
            char *ce;
            double y = strtod(c, &ce);
            if (ce == c)
                break;
            found = x == y;
            c = ce + strspn(ce, ", ");
        }
        if (!found)
            return false;
        query = end + strspn(end, ", ");
    }
    return true;
}

static bool is_quantile(const State *s)
{
    return strncmp(s->name, "quantile", 8) == 0;
}

static void rename_prefix(State *s, const char *from, const char *to)
{
    size_t k = strlen(from), t = strlen(to), n = strlen(s->name);
    if (strncmp(s->name, from, k) != 0 || n - k + t >= sizeof s->name)
        return;
    memmove(s->name + t, s->name + k, n - k + 1);
    memcpy(s->name, to, t);
}

/* -Array: f over the arrays' elements keeps f's state (26.5 merges
 * uniqUpToArrayState(n)(urls) into AggregateFunction(uniqUpTo(n), String),
 * PostHog's session replay features do so). */
static void strip_array_combinator(Conv *c, State *s)
{
    size_t n = strlen(s->name);
    Name base = {.s = s->name, .len = (uint32_t)(n - 5)};
    if (n <= 5 || strcmp(s->name + n - 5, "Array") != 0 || s->nargs == 0 || s->nargs > 8 ||
        !aggregate_lookup(c->p, base))
        return;
    for (int i = 0; i < s->nargs; i++)
        if (!s->args[i] || s->args[i]->kind != TY_ARRAY)
            return;
    for (int i = 0; i < s->nargs; i++)
        s->elems[i] = s->args[i]->elems[0];
    s->args = s->elems;
    s->name[n - 5] = 0;
}

/* What the state is made of: -If, -Array and count's arguments do not
 * change it, median is quantile, quantiles is quantile with several
 * levels. */
static void representation(Conv *c, State *s)
{
    size_t n = strlen(s->name);
    Name base = {.s = s->name, .len = (uint32_t)(n - 2)};
    if (n > 2 && strcmp(s->name + n - 2, "If") == 0 && s->nargs > 0 && aggregate_lookup(c->p, base)) {
        s->name[n - 2] = 0;
        s->nargs--;
    }
    strip_array_combinator(c, s);
    if (strcmp(s->name, "count") == 0)
        s->nargs = 0;
    rename_prefix(s, "median", "quantile");
    rename_prefix(s, "quantiles", "quantile");
    if (is_quantile(s) && !s->params[0])
        strcpy(s->params, "0.5"); /* quantile(x) is quantile(0.5)(x) */
}

static bool same_args(const State *a, const State *b)
{
    if (a->nargs != b->nargs)
        return false;
    for (int i = 0; i < a->nargs; i++)
        if (strip(a->args[i], TY_LOWCARDINALITY) != strip(b->args[i], TY_LOWCARDINALITY))
            return false;
    return true;
}

static Fit state_into_state(Conv *c, const Type *from, const Type *to)
{
    State f, t;
    if (!read_state(from, &f) || !read_state(to, &t))
        return fits(); /* names too long to judge: say nothing */
    representation(c, &f);
    representation(c, &t);
    if (strcmp(f.name, t.name) != 0 || !same_args(&f, &t) || (!is_quantile(&f) && !same_params(f.params, t.params)))
        return refuse("the states differ, so ClickHouse refuses the MV (70) or, before 20.x, every insert",
                      "make the -State call match the column (the same function and argument types), "
                      "or declare the column with the type the query produces");
    if (!version_has_feature(&c->p->options, F_STATE_CAST))
        return refuse("the states share a representation, but servers before ~22.1 do not cast one into the other",
                      "write the -State call exactly as the column declares it");
    if (!levels_within(f.params, t.params))
        return (Fit){FIT_WARNING, "the levels differ: the state is stored and the column's levels win when reading",
                     "use the same levels in the query and in the column"};
    return fits();
}

/* ---- Plain values ---- */

static bool is_unsigned_int(const Type *t)
{
    return t->kind == TY_BOOL || type_is_unsigned(t);
}

/* Decimal digits an integer type needs. */
static int int_digits(const Type *t)
{
    switch (type_int_bits(t)) {
    case 8: return 3;
    case 16: return 5;
    case 32: return 10;
    case 64: return is_unsigned_int(t) ? 20 : 19;
    case 128: return 39;
    default: return 78;
    }
}

/* Values with more integer digits than a Decimal column holds fail the
 * insert (chDB: 407, DECIMAL_OVERFLOW), nothing is stored wrong, and mvdc
 * cannot know the values (umami's Decimal(18, 2) into Decimal(18, 4)). */
static Fit too_many_digits(void)
{
    return (Fit){FIT_WARNING, "values with more integer digits than the Decimal holds would fail the insert (407)",
                 "widen the Decimal if they can occur"};
}

static Fit int_into(const Type *from, const Type *to)
{
    if (type_is_integer(to) || to->kind == TY_BOOL) {
        bool fu = is_unsigned_int(from), tu = is_unsigned_int(to);
        int fb = type_int_bits(from), tb = type_int_bits(to);
        /* 0 and 1 go in exactly; only other values suffer (26.5: Int8/Int64 2
         * is stored true, a UInt8 2 keeps its byte and reads true). PostHog's
         * metrics MVs write ifNull(is_monotonic, 0), a 0/1 UInt8, so: a
         * warning, as for the other narrowings mvdc cannot judge. */
        if (to->kind == TY_BOOL && from->kind != TY_BOOL)
            return (Fit){FIT_WARNING, "values other than 0 and 1 become true",
                         "compare it in the query if it can hold others: x != 0"};
        if (!fu && tu) /* a - b of unsigned columns is signed, yet never negative under WHERE a > b */
            return (Fit){FIT_WARNING, "a negative value would wrap around silently",
                         "make the column signed, or the value unsigned (if it can never be negative: "
                         "toUInt64(x), ...)"};
        /* Narrower: only values past the column's range wrap, and mvdc
         * cannot know the values (row_number() into UInt16, issue 15): a
         * warning. So is unsigned into the signed type of the same width,
         * where only values from its top bit up turn negative: count(*)
         * and sumIf(1, ...) into SimpleAggregateFunction(sum, Int64), a
         * real sessions table's forms, never get there; an ERC-20
         * allowance summed as UInt256 into Int256 may (2^256 - 1). */
        if (tb < fb)
            return (Fit){FIT_WARNING, "values past the column's range would wrap around silently",
                         "widen the column if they can occur"};
        if (fu && !tu && tb == fb)
            return (Fit){FIT_WARNING, "values from the signed type's top bit up would turn negative",
                         "make the column unsigned, or wider, if they can occur (a count never gets there)"};
        return fits();
    }
    if (type_is_float(to))
        return to->kind == TY_FLOAT64 || type_int_bits(from) <= 16
                   ? fits() : refuse("Float32 keeps 24 bits: larger values lose digits", "use Float64");
    if (to->kind == TY_DECIMAL)
        return to->precision - to->scale >= int_digits(from) ? fits() : too_many_digits();
    if (to->kind == TY_DATETIME || to->kind == TY_DATETIME64 || to->kind == TY_DATE)
        return fits(); /* seconds or days since the epoch */
    return fits();
}

static Fit number_into(const Type *from, const Type *to)
{
    if (type_is_integer(from) || from->kind == TY_BOOL)
        return int_into(from, to);
    if (type_is_float(from)) {
        if (to->kind == TY_DECIMAL)
            return refuse("floats are rounded to the Decimal's scale", "round it in the query, or use a Float64 column");
        if (type_is_integer(to)) /* whole numbers (a sum of amounts) lose nothing: ClickHouse accepts it */
            return (Fit){FIT_WARNING, "a fraction would be cut off silently",
                         "round it in the query (round(x), toUInt256(x)), or use a Float64 column"};
        if (to->kind == TY_FLOAT32 && from->kind == TY_FLOAT64)
            return refuse("Float32 keeps about 7 digits: values lose precision", "use Float64");
        return fits();
    }
    /* Decimal: a smaller scale cuts digits silently (1.2345 is 1.23), an
     * error; fewer integer digits fail the insert loudly, and only for
     * values that large (chDB: 407), a warning as for narrower integers. */
    if (to->kind == TY_DECIMAL) {
        if (to->scale < from->scale)
            return refuse("digits after the point are cut off silently", "widen the Decimal's scale");
        return to->precision - to->scale >= from->precision - from->scale ? fits() : too_many_digits();
    }
    if (type_is_integer(to))
        return refuse("fractions are cut off silently", "round it in the query");
    return fits();
}

static Fit temporal_into(const Type *from, const Type *to)
{
    if (!type_is_temporal(to)) { /* a count of days or seconds */
        Type count = {.kind = from->kind == TY_DATE ? TY_UINT16 : from->kind == TY_DATETIME ? TY_UINT32 : TY_INT64};
        return type_is_integer(to) ? int_into(&count, to) : fits();
    }
    if (from->kind == TY_DATE)
        return fits();
    if (from->kind == TY_DATE32)
        return to->kind == TY_DATE32 || to->kind == TY_DATETIME64
                   ? fits() : refuse("dates outside 1970-2149 do not fit", "use Date32 or DateTime64");
    if (to->kind == TY_DATE || to->kind == TY_DATE32)
        return refuse("the time of day is dropped", "convert it in the query: toDate(...)");
    if (from->kind == TY_DATETIME64 && (to->kind == TY_DATETIME || to->precision < from->precision))
        return refuse("the fraction of a second is dropped", "keep DateTime64 with as many digits");
    return fits();
}

static bool is_string(const Type *t)
{
    return t->kind == TY_STRING || t->kind == TY_FIXEDSTRING;
}

static Fit plain_into(Conv *c, const Type *from, const Type *to);

static Fit elements_into(Conv *c, const Type *from, const Type *to)
{
    if (from->n != to->n)
        return refuse("the tuples have different sizes", NULL);
    for (int i = 0; i < from->n; i++) {
        Fit f = plain_into(c, from->elems[i], to->elems[i]);
        if (f.kind != FIT_OK)
            return f;
    }
    return fits();
}

static Fit plain_into(Conv *c, const Type *from, const Type *to)
{
    from = strip(strip(from, TY_SIMPLE_AGGREGATE), TY_LOWCARDINALITY);
    to = strip(strip(to, TY_SIMPLE_AGGREGATE), TY_LOWCARDINALITY);
    if (from == to)
        return fits();
    if (to->kind == TY_NULLABLE)
        return from->kind == TY_NULLABLE ? plain_into(c, from->elems[0], to->elems[0])
                                         : plain_into(c, from, to->elems[0]);
    if (strip(from, TY_NULLABLE)->kind == TY_NOTHING)
        return refuse("NULL cannot go into a non-Nullable column: ClickHouse refuses the MV (70)",
                      "write the column's default instead of NULL, or make the column Nullable");
    if (from->kind == TY_NULLABLE)
        return refuse("the first NULL fails the insert (349): insert_null_as_default does not apply to MVs",
                      "replace NULLs in the query (coalesce(x, 0), ifNull(x, '')), or make the column Nullable");
    if (from->kind == to->kind && (from->kind == TY_ARRAY || from->kind == TY_MAP || from->kind == TY_TUPLE))
        return elements_into(c, from, to);
    if (to->kind == TY_STRING || from->kind == TY_ENUM8 || from->kind == TY_ENUM16)
        return fits();
    if (is_string(from) && c->literal && to->kind != TY_FIXEDSTRING)
        return fits(); /* '0' AS u: a constant is parsed once; ClickHouse casts it */
    if (is_string(from)) {
        if (to->kind == TY_FIXEDSTRING) /* a longer one fails loudly (131); nothing is lost: a warning */
            return from->kind == TY_FIXEDSTRING && from->precision <= to->precision
                       ? fits() : (Fit){FIT_WARNING, "a longer string would fail the insert (131)",
                                        "use String, or cut it: left(x, N)"};
        if (type_is_number(to) || type_is_temporal(to) || to->kind == TY_UUID || to->kind == TY_IPV4 ||
            to->kind == TY_IPV6)
            return refuse("a String that does not parse fails the insert (72, 6)",
                          "convert it in the query: toUInt64OrZero(x), parseDateTimeBestEffortOrZero(x), ...");
        return fits();
    }
    if (c->literal)
        return fits();
    if (type_is_number(from))
        return number_into(from, to);
    if (type_is_temporal(from))
        return temporal_into(from, to);
    return fits();
}

/* ---- Entry ---- */

Fit convert_fit(Project *p, const Type *from, const Type *to, bool literal)
{
    Conv c = {p, literal};
    if (!from || !to || from == to)
        return fits();
    if (!version_is_after_18_16(&p->options))
        return same_on_18_16(from, to)
                   ? fits()
                   : refuse("ClickHouse 18.16 fails every insert when an output's type differs from its column's, "
                            "even a wider one (53)", "cast it in the query to the column's type");
    if (to->kind == TY_AGGREGATE)
        return from->kind == TY_AGGREGATE ? state_into_state(&c, from, to)
               : refuse("it is not an aggregate state: ClickHouse refuses the MV (70)",
                        "produce the state with the -State combinator, e.g. sumState(x) instead of sum(x)");
    if (from->kind == TY_AGGREGATE)
        return refuse(to->kind == TY_SIMPLE_AGGREGATE
                          ? "a state cannot become a SimpleAggregateFunction value: every insert fails (43)"
                          : "a state cannot become a plain value: every insert fails (43)",
                      to->kind == TY_SIMPLE_AGGREGATE ? "use -SimpleState or the plain aggregate, e.g. sum(x)"
                                                      : "use the plain aggregate, e.g. uniq(x) instead of uniqState(x)");
    if (from->kind == TY_SIMPLE_AGGREGATE && to->kind == TY_SIMPLE_AGGREGATE && strcmp(from->func, to->func) != 0)
        return refuse(arena_printf(&p->arena, "the query stores %s values that merges combine with %s, so the "
                                   "merged values are wrong", from->func, to->func),
                      arena_printf(&p->arena, "use %sSimpleState(x) (or the plain %s(x)), or declare the column "
                                   "SimpleAggregateFunction(%s, ...)", to->func, to->func, from->func));
    return plain_into(&c, from, to);
}
