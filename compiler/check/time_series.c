/* TimeSeries tables. ClickHouse (chDB 26.5, tried) gives one its outer
 * columns itself: the CREATE may list them (types may be overridden, e.g.
 * `value Float32`, and flow into the inner tables), and the server adds
 * every one the CREATE leaves out; any other column is refused (122). Its
 * three inner tables (.inner_id.data|tags|metrics.UUID) follow from the
 * columns. So a declaration is what the server will list only when it
 * lists all of them in the engine's order: a missing one, or another
 * order, is an error (the server would add it or reorder them, and the
 * table would never match its declaration: mvrun sees drift).
 * `store_min_time_and_max_time = 0` leaves out min_time and max_time;
 * with `tags_to_columns` the table has columns of its own, not judged.
 * The DATA / TAGS / METRICS clauses (other inner engines, or target
 * tables) are not in the language: the inner tables are the defaults.
 * The CREATE needs allow_experimental_time_series_table = 1 (344
 * without): a warning when the table's SETTINGS do not say it, since a
 * server profile may. Nothing can be ALTERed (48): plan/alter.c. */
#include <string.h>
#include <strings.h>

#include "check/time_series.h"
#include "strbuf.h"

const char *const time_series_columns[] = {
    "id UUID DEFAULT reinterpretAsUUID(sipHash128(metric_name, all_tags))",
    "timestamp DateTime64(3)",
    "value Float64",
    "metric_name LowCardinality(String)",
    "tags Map(LowCardinality(String), String)",
    "all_tags Map(String, String)",
    "min_time Nullable(DateTime64(3))",
    "max_time Nullable(DateTime64(3))",
    "metric_family_name String",
    "type String",
    "unit String",
    "help String",
};
const int time_series_column_count = (int)(sizeof time_series_columns / sizeof *time_series_columns);

/* The index of col's column in d, or -1. */
static int declared_at(const Decl *d, const char *col)
{
    size_t n = strcspn(col, " ");
    for (int i = 0; i < d->columns.n; i++) {
        Name c = d->columns.v[i]->name;
        if (c.len == n && memcmp(c.s, col, n) == 0)
            return i;
    }
    return -1;
}

/* Whether settings set key to 0 (or false). */
static bool set_off(const Decl *d, const Clause *settings, const char *key)
{
    for (int i = 0; settings && i < settings->settings.n; i++) {
        const Setting *st = &settings->settings.v[i];
        if (!name_is(st->key, key) || !st->value)
            continue;
        const char *v = d->file->text + st->value->span.off;
        size_t n = st->value->span.len;
        return (n == 1 && *v == '0') || (n == 5 && strncasecmp(v, "false", 5) == 0);
    }
    return false;
}

static bool has_setting(const Clause *settings, const char *key)
{
    for (int i = 0; settings && i < settings->settings.n; i++)
        if (name_is(settings->settings.v[i].key, key))
            return true;
    return false;
}

/* The engine's columns, all of them, in its order (the server puts them
 * in that order whatever order the CREATE gave). */
static void check_columns(Project *p, const Decl *d, const Clause *engine, const Clause *settings)
{
    if (has_setting(settings, "tags_to_columns"))
        return; /* columns of its own: not known here */
    bool minmax = !set_off(d, settings, "store_min_time_and_max_time");
    StrBuf missing = {0};
    int n = 0, at = 0;
    const Column *misplaced = NULL;
    for (int i = 0; i < time_series_column_count; i++) {
        const char *col = time_series_columns[i];
        if (!minmax && (strncmp(col, "min_time ", 9) == 0 || strncmp(col, "max_time ", 9) == 0))
            continue;
        int k = declared_at(d, col);
        if (k < 0)
            strbuf_printf(&missing, "%s%s", n++ ? ", " : "", col);
        else if (k < at && !misplaced)
            misplaced = d->columns.v[k];
        else
            at = k;
    }
    if (n) {
        Diag *g = diag_error(&p->diags, "engine", d->file, engine->span,
                             "a TimeSeries table whose declaration leaves out %d of the engine's columns: the server "
                             "adds them, and the table then differs from its declaration", n);
        diag_note(&p->diags, g, NULL, (Span){0}, "declare them too, as chDB 26.5 makes them: %s", strbuf_str(&missing));
    } else if (misplaced) {
        Diag *g = diag_error(&p->diags, "engine", d->file, misplaced->name.span,
                             "a TimeSeries table's columns in another order than the engine's: the server puts them "
                             "in its own, and the table then differs from its declaration");
        StrBuf order = {0};
        for (int i = 0; i < time_series_column_count; i++)
            strbuf_printf(&order, "%s%.*s", i ? ", " : "", (int)strcspn(time_series_columns[i], " "), time_series_columns[i]);
        diag_note(&p->diags, g, NULL, (Span){0}, "the engine's order: %s", strbuf_str(&order));
        strbuf_free(&order);
    }
    strbuf_free(&missing);
}

static bool sets_it(const Clause *settings)
{
    for (int i = 0; settings && i < settings->settings.n; i++)
        if (name_is(settings->settings.v[i].key, TIME_SERIES_SETTING))
            return true;
    return false;
}

void time_series_check(Project *p, const Decl *d, const Clause *engine, const Clause *settings)
{
    check_columns(p, d, engine, settings);
    if (!sets_it(settings)) {
        Diag *g = diag_warning(&p->diags, "engine", d->file, engine->span,
                               "TimeSeries is experimental: the CREATE fails (code 344) unless "
                               TIME_SERIES_SETTING " = 1 is set by the server's profile");
        diag_note(&p->diags, g, NULL, (Span){0}, "add `settings " TIME_SERIES_SETTING " = 1` to the table");
    }
}
