/* Virtual columns. A Kafka table's rows carry columns no CREATE declares
 * (_topic, _offset, _partition, _timestamp, ...), and Kafka pipelines
 * store them: an MV `SELECT ..., _timestamp, _offset, _partition FROM
 * kafka_t` is the common form (PostHog's person, groups, app_metrics,
 * heatmaps MVs), and ClickHouse accepts it. Unknown to the checker they
 * were false unknown-column errors.
 *
 * They are offered to readers only: `SELECT *` does not list them, no
 * insert writes them, and a declared column of the same name hides the
 * virtual one (as in ClickHouse), so they never join o->columns.
 *
 * Names and types are what 26.5 shows for a Kafka table with
 * `DESCRIBE ... SETTINGS describe_include_virtual_columns = 1`; _raw_message
 * and _error exist only with kafka_handle_error_mode = 'stream', and are
 * accepted always: lookups err on the side of accepting. _timestamp and
 * _timestamp_ms are Nullable, as ClickHouse types them (so maxState(_timestamp)
 * is a state over Nullable(DateTime)), but NULL only for a message without a
 * timestamp (message format v0, Kafka before 0.10; brokers have stamped every
 * message since): they are never_null, and an MV that stores _timestamp or
 * max(_timestamp) into a DateTime column, as Kafka pipelines do, is not the
 * error a NULL that fails the insert would be (infer_never_null). */
#include <string.h>

#include "check/virtual.h"
#include "typing/signature.h"

typedef struct Virtual {
    const char *name, *type;
    bool never_null;
} Virtual;

static const Virtual kafka[] = {
    {"_topic", "LowCardinality(String)", false},
    {"_key", "String", false},
    {"_offset", "UInt64", false},
    {"_partition", "UInt64", false},
    {"_timestamp", "Nullable(DateTime)", true},
    {"_timestamp_ms", "Nullable(DateTime64(3))", true},
    {"_headers.name", "Array(String)", false},
    {"_headers.value", "Array(String)", false},
    {"_raw_message", "String", false},
    {"_error", "String", false},
};

static bool declares(const OutColumnList *cols, Name n)
{
    for (int i = 0; i < cols->n; i++)
        if (name_eq(cols->v[i].name, n))
            return true;
    return false;
}

const OutColumnList *virtual_readable_columns(Project *p, const Object *o, const OutColumnList *cols)
{
    if (!cols || o->kind != OBJ_TABLE || !o->decl || !name_is(ast_decl_engine(o->decl), "Kafka"))
        return cols;
    OutColumnList *all = arena_zalloc(&p->arena, sizeof(*all));
    for (int i = 0; i < cols->n; i++)
        *LIST_PUSH(&p->arena, all) = cols->v[i];
    for (size_t i = 0; i < sizeof kafka / sizeof kafka[0]; i++) {
        Name n = {.s = kafka[i].name, .len = (uint32_t)strlen(kafka[i].name)};
        if (!declares(cols, n))
            *LIST_PUSH(&p->arena, all) =
                (OutColumn){.name = n, .type = typestring_parse(p, kafka[i].type), .from_table = true,
                            .never_null = kafka[i].never_null};
    }
    return all;
}

/* `PROJECTION p (SELECT _part_offset ORDER BY b)`: a second sort order that
 * points back at the part's rows (PostHog's trace_spans); chDB 26.5 takes it
 * without allow_part_offset_column_in_projections. */
const OutColumnList *virtual_projection_columns(Project *p)
{
    OutColumnList *l = arena_zalloc(&p->arena, sizeof(*l));
    *LIST_PUSH(&p->arena, l) = (OutColumn){.name = {.s = "_part_offset", .len = 12},
                                           .type = typestring_parse(p, "UInt64"), .from_table = true};
    return l;
}
