/* type_change: see type_change.h.
 *
 * The rules are mvdc's (compiler/plan/alter.c, type_widens), which decides
 * whether a step is destructive; mvrun checks them again so that a plan
 * whose header lies cannot narrow a column unannounced. They must agree:
 * what mvdc calls a widening must pass here, or mvrun would refuse mvdc's
 * own plans. Widenings, checked on chDB (26.5): a wider integer of the
 * same sign, or a strictly wider signed one from unsigned; Float32 to
 * Float64; an integer of 32 bits or less to Float64; a Decimal with at
 * least the scale and the integer digits; T to Nullable(T'), adding or
 * removing LowCardinality, and anything but a Nullable to String. Every
 * other change (narrower, sign lost, String to FixedString, Nullable
 * dropped, dates, enums, ...) may lose data. */
#include "type_change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_MAX 512

/* t without blanks outside quotes, DecimalNN(S) as Decimal(P,S): the two
 * spellings (system.columns and mvdc's) of one type become one. Returns 0
 * when it does not fit. */
static int canonical(const char *t, char out[TYPE_MAX])
{
    size_t n = 0;
    char quote = 0;
    for (; *t; t++) {
        if (!quote && (*t == ' ' || *t == '\t' || *t == '\n'))
            continue;
        if (quote && *t == '\\' && t[1]) {
            if (n + 2 >= TYPE_MAX)
                return 0;
            out[n++] = *t++;
        } else if (*t == '\'' || *t == '`' || *t == '"') {
            quote = quote == *t ? 0 : quote ? quote : *t;
        }
        if (n + 1 >= TYPE_MAX)
            return 0;
        out[n++] = *t;
    }
    out[n] = '\0';
    static const struct { const char *name; int precision; } decimals[] = {
        {"Decimal32(", 9}, {"Decimal64(", 18}, {"Decimal128(", 38}, {"Decimal256(", 76}};
    for (size_t i = 0; i < sizeof decimals / sizeof decimals[0]; i++) {
        size_t k = strlen(decimals[i].name);
        int scale;
        char close;
        if (strncmp(out, decimals[i].name, k) == 0 && sscanf(out + k, "%d%c", &scale, &close) == 2
            && close == ')')
            snprintf(out, TYPE_MAX, "Decimal(%d,%d)", decimals[i].precision, scale);
    }
    return 1;
}

/* Whether t is wrapper(inner); inner points into t, its length in *len. */
static int wrapped(const char *t, const char *wrapper, const char **inner, size_t *len)
{
    size_t k = strlen(wrapper), n = strlen(t);
    if (strncmp(t, wrapper, k) != 0 || t[k] != '(' || n < k + 2 || t[n - 1] != ')')
        return 0;
    *inner = t + k + 1;
    *len = n - k - 2;
    return 1;
}

/* (U)IntN: its width, and whether unsigned. 0 for anything else. */
static int integer(const char *t, int *is_unsigned)
{
    *is_unsigned = t[0] == 'U';
    const char *p = t + *is_unsigned;
    if (strncmp(p, "Int", 3) != 0)
        return 0;
    static const int widths[] = {8, 16, 32, 64, 128, 256};
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        char name[8];
        snprintf(name, sizeof name, "%d", widths[i]);
        if (strcmp(p + 3, name) == 0)
            return widths[i];
    }
    return 0;
}

static int widens(const char *from, const char *to);

/* widens() on the inner part of a wrapper. */
static int widens_inner(const char *from, size_t from_len, const char *to, size_t to_len)
{
    char a[TYPE_MAX], b[TYPE_MAX], ca[TYPE_MAX], cb[TYPE_MAX];
    if (from_len >= TYPE_MAX || to_len >= TYPE_MAX)
        return 0;
    memcpy(a, from, from_len);
    a[from_len] = '\0';
    memcpy(b, to, to_len);
    b[to_len] = '\0';
    return canonical(a, ca) && canonical(b, cb) && widens(ca, cb);
}

/* In the order of mvdc's type_widens. */
static int widens(const char *from, const char *to)
{
    const char *fi, *ti;
    size_t fl, tl;
    if (strcmp(from, to) == 0)
        return 1;
    if (wrapped(to, "Nullable", &ti, &tl)) {
        if (wrapped(from, "Nullable", &fi, &fl))
            return widens_inner(fi, fl, ti, tl);
        return widens_inner(from, strlen(from), ti, tl);
    }
    if (wrapped(from, "LowCardinality", &fi, &fl))
        return widens_inner(fi, fl, to, strlen(to));
    if (wrapped(to, "LowCardinality", &ti, &tl))
        return widens_inner(from, strlen(from), ti, tl);
    if (strcmp(to, "String") == 0)
        return strncmp(from, "Nullable(", 9) != 0;
    int fu, tu, wf = integer(from, &fu), wt = integer(to, &tu);
    if (wf && wt)
        return fu == tu ? wt >= wf : fu && wt > wf;
    if (strcmp(from, "Float32") == 0 && strcmp(to, "Float64") == 0)
        return 1;
    if (wf && strcmp(to, "Float64") == 0)
        return wf <= 32;
    int fp, fs, tp, ts;
    char c1, c2;
    if (sscanf(from, "Decimal(%d,%d%c", &fp, &fs, &c1) == 3 && c1 == ')'
        && sscanf(to, "Decimal(%d,%d%c", &tp, &ts, &c2) == 3 && c2 == ')')
        return ts >= fs && tp - ts >= fp - fs;
    return 0;
}

int type_change_keeps_data(const char *from, const char *to)
{
    char a[TYPE_MAX], b[TYPE_MAX];
    if (!canonical(from, a) || !canonical(to, b))
        return 0;
    return widens(a, b);
}
