/* A number written as an aggregate function's parameter in a type,
 * spelled as ClickHouse lists the type (system.columns, DESCRIBE): the
 * server keeps the value, not the text, so AggregateFunction(quantile(.5),
 * Float64) is listed quantile(0.5). Plans compare the listed type with
 * their own, so mvdc must spell it the same way (chDB 26.5: .5, 0.50 and
 * 5e-1 are 0.5; 1.0 and 1e0 are 1.; 010 and +10 are 10; 0x1 is 1; 1e-5 is
 * 0.00001, 1e-7 stays 1e-7, 1e30 is 1e30). */
#include "typing/param_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The fewest significant digits that read back as v, and the decimal
 * exponent n with v = 0.DIGITS * 10^n. */
static int shortest_digits(double v, char *digits, int *n)
{
    char buf[40];
    for (int p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    int k = 0;
    char *e = strchr(buf, 'e');
    for (char *s = buf; s < e; s++)
        if (isdigit((unsigned char)*s))
            digits[k++] = *s;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = 0;
    *n = atoi(e + 1) + 1;
    return k;
}

/* ECMAScript's shortest form (fixed from 1e-6 up to 1e21), with a
 * trailing point on a whole number: the printer ClickHouse uses. */
static void float_text(double v, char *out, size_t size)
{
    char d[24], zeros[24] = "";
    const char *sign = v < 0 ? "-" : "";
    if (v == 0) {
        snprintf(out, size, "%s0.", sign);
        return;
    }
    int n, k = shortest_digits(v < 0 ? -v : v, d, &n);
    if (k <= n && n <= 21) {
        memset(zeros, '0', (size_t)(n - k));
        zeros[n - k] = 0;
        snprintf(out, size, "%s%s%s.", sign, d, zeros);
    } else if (0 < n && n <= 21) {
        snprintf(out, size, "%s%.*s.%s", sign, n, d, d + n);
    } else if (-6 < n && n <= 0) {
        memset(zeros, '0', (size_t)-n);
        zeros[-n] = 0;
        snprintf(out, size, "%s0.%s%s", sign, zeros, d);
    } else {
        snprintf(out, size, "%s%c%s%se%d", sign, d[0], k > 1 ? "." : "", d + 1, n - 1);
    }
}

const char *param_text(Arena *a, const char *lit, size_t len)
{
    char s[64];
    if (len == 0 || len >= sizeof s)
        return arena_strndup(a, lit, len);
    memcpy(s, lit, len);
    s[len] = 0;
    const char *body = s + (s[0] == '+' || s[0] == '-');
    bool hex = body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    bool is_float = !hex && (strpbrk(body, ".eE") || strncasecmp(body, "inf", 3) == 0 || strncasecmp(body, "nan", 3) == 0);
    char *end;
    errno = 0;
    if (is_float) {
        double v = strtod(s, &end);
        if (*end || errno || v != v || v - v != 0)
            return arena_strndup(a, lit, len); /* inf, nan, out of range: as written */
        char out[64];
        float_text(v, out, sizeof out);
        return arena_strndup(a, out, strlen(out));
    }
    unsigned long long u = strtoull(body, &end, hex ? 16 : 10);
    if (*end || errno || end == body)
        return arena_strndup(a, lit, len);
    return arena_printf(a, "%s%llu", s[0] == '-' && u ? "-" : "", u);
}
