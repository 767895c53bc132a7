/* plan_test: the plan reader (runtime/plan_read.c) against
 * docs/plan-format.md, without a server.
 *
 *   plan_test
 *
 * Plans are built here with their checksums computed, so that each test
 * breaks exactly one rule and shows that the reader names it. Then every
 * single-byte change of a small valid plan must be refused. Prints
 * `PASS name` / `FAIL name` (details indented) and exits 1 when any
 * failed. */
#include "plan.h"
#include "sha256.h"
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed_tests;

/* ---- Building plans ------------------------------------------------------------ */

#define H_V1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H_V2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H_MV "3333333333333333333333333333333333333333333333333333333333333333"

/* A step header with bytes= and sha256= computed for sql. */
static void add_step(StrBuf *b, const char *fields, const char *sql, const char *extra)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(sql, strlen(sql), hex);
    strbuf_printf(b, "-- @step %s bytes=%zu sha256=%s%s%s\n%s\n\n", fields, strlen(sql), hex,
              extra && *extra ? " " : "", extra ? extra : "", sql);
}

/* Lines 1 and 2 in front of body, the checksum computed. */
static char *seal(const char *body)
{
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(body, strlen(body), hex);
    StrBuf b = {0};
    strbuf_printf(&b, "-- mvd plan 2\n-- plan-sha256: %s\n%s", hex, body);
    return strbuf_take(&b);
}

static const char manifest[] =
    "-- a comment\n"
    "--\n"
    "-- @option clickhouse 18.16\n"
    "-- @option registry _mvd\n"
    "-- @object database web\n"
    "-- @object table web.t " H_V2 "\n"
    "-- @object materialized-view web.`my mv` " H_MV " target=web.t\n"
    "-- @dropped table web.old\n"
    "-- @state materialized-view web.`my mv` " H_MV " engine=MaterializedView\n"
    "-- @column a UInt8\n"
    "-- @column s Unknown\n"
    "-- @state table web.t " H_V1 " engine=MergeTree\n"
    "-- @column a UInt8\n"
    "-- @removed view web.gone\n"
    "-- @state table web.t " H_V2 " engine=MergeTree\n"
    "-- @column a UInt8\n"
    "-- @column `b c` Array(Tuple(x String, y Nullable(UInt8)))\n"
    "\n";

/* The valid plan every test starts from. */
static char *valid_body(void)
{
    StrBuf b = {0};
    strbuf_puts(&b, manifest);
    add_step(&b, "teardown drop materialized-view web.`my mv` unless=absent," H_MV " sets=absent src=web.mvd",
             "DROP TABLE IF EXISTS web.`my mv`;", "window");
    add_step(&b, "teardown drop table web.old unless=absent sets=absent src=old%20dir/web.mvd",
             "DROP TABLE IF EXISTS web.old;", "destructive");
    add_step(&b, "teardown drop view web.gone unless=absent sets=absent src=-",
             "DROP TABLE IF EXISTS web.gone;", NULL);
    add_step(&b, "setup create database web unless=present sets=present src=web.mvd",
             "CREATE DATABASE IF NOT EXISTS web;", NULL);
    add_step(&b, "setup alter table web.t when=" H_V1 " sets=" H_V2 " src=web.mvd",
             "ALTER TABLE web.t ADD COLUMN IF NOT EXISTS `b c` Array(Tuple(x String, y Nullable(UInt8)));",
             NULL);
    add_step(&b, "setup create materialized-view web.`my mv` unless=" H_MV " sets=" H_MV " src=web.mvd",
             "CREATE MATERIALIZED VIEW IF NOT EXISTS web.`my mv` TO web.t AS\nSELECT 1 AS a, ';' AS s;",
             "select=63");
    return strbuf_take(&b);
}

/* body with the first `from` replaced by `to`. */
static char *replace(const char *body, const char *from, const char *to)
{
    const char *at = strstr(body, from);
    if (!at)
        return NULL;
    StrBuf b = {0};
    strbuf_add(&b, body, (size_t)(at - body));
    strbuf_puts(&b, to);
    strbuf_puts(&b, at + strlen(from));
    return strbuf_take(&b);
}

/* ---- Harness --------------------------------------------------------------------- */

static void report(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(const char *name, int ok, const char *fmt, ...)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        fputs("    ", stdout);
        vprintf(fmt, ap);
        fputs("\n", stdout);
        va_end(ap);
        failed_tests++;
    }
}

/* Parses text (sealed when seal_it) and checks that it is refused with
 * kind and a message containing want (and the line, when line > 0). */
static void expect_refused(const char *name, const char *text, PlanErrorKind kind,
                           const char *want, size_t line)
{
    Plan plan;
    PlanError err;
    if (!text) {
        report(name, 0, "the test's replace() found nothing to replace");
        return;
    }
    int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
    char where[32] = "";
    if (line)
        snprintf(where, sizeof where, "p.sql:%zu: ", line);
    int ok = rc == -1 && err.kind == kind && strstr(err.message, want) != NULL
             && (!line || strncmp(err.message, where, strlen(where)) == 0);
    report(name, ok, "rc=%d kind=%d message: %s (want kind %d, '%s' at '%s')", rc, (int)err.kind,
           rc ? err.message : "(accepted)", (int)kind, want, where);
    plan_free(&plan);
}

/* A body change, sealed again: the plan checksum passes, the rule breaks. */
static void expect_body_refused_as(const char *name, const char *from, const char *to,
                                   PlanErrorKind kind, const char *want, size_t line)
{
    char *body = valid_body(), *changed = replace(body, from, to);
    char *text = changed ? seal(changed) : NULL;
    expect_refused(name, text, kind, want, line);
    free(body);
    free(changed);
    free(text);
}

static void expect_body_refused(const char *name, const char *from, const char *to,
                                const char *want, size_t line)
{
    expect_body_refused_as(name, from, to, PLAN_ERR_FORMAT, want, line);
}

/* ---- Tests ------------------------------------------------------------------------ */

static void test_valid(void)
{
    char *body = valid_body(), *text = seal(body);
    Plan plan;
    PlanError err;
    int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
    int ok = rc == 0;
    const char *why = rc ? err.message : "fields";
    if (ok) {
        const PlanStep *s1 = &plan.steps[0], *alter = &plan.steps[4], *mv = &plan.steps[5];
        ok = plan.n_steps == 6 && plan.n_objects == 3 && plan.n_dropped == 2 && plan.n_shapes == 3
             && strcmp(plan.registry, "_mvd") == 0 && strcmp(plan.clickhouse, "18.16") == 0
             && !plan.cluster && s1->phase == PHASE_TEARDOWN && s1->window == 6
             && s1->guard == GUARD_UNLESS && s1->n_guard_states == 2
             && strcmp(s1->guard_states[0].s, "absent") == 0 && strcmp(s1->name.name, "my mv") == 0
             && strcmp(s1->name.text, "web.`my mv`") == 0 && strcmp(s1->name.key, "web.`my mv`") == 0
             && plan.steps[1].destructive
             && strcmp(plan.steps[1].src, "old%20dir/web.mvd") == 0
             && strcmp(plan.steps[2].src, "-") == 0 && plan.dropped[1].removed
             && !plan.dropped[0].removed && plan.dropped[1].kind == KIND_VIEW
             && alter->guard == GUARD_WHEN && strcmp(alter->sets.s, H_V2) == 0
             && strcmp(plan.shapes[0].engine, "MaterializedView") == 0
             && strcmp(plan.shapes[0].columns[1].type, "Unknown") == 0
             && plan.shapes[2].n_columns == 2 && strcmp(plan.shapes[2].columns[1].name, "b c") == 0
             && strcmp(plan.shapes[2].columns[1].type, "Array(Tuple(x String, y Nullable(UInt8)))") == 0
             && strcmp(plan.objects[2].target.text, "web.t") == 0
             && mv->sql_len == strlen("CREATE MATERIALIZED VIEW IF NOT EXISTS web.`my mv` TO web.t AS\nSELECT 1 AS a, ';' AS s")
             && memcmp(mv->sql, "CREATE MATERIALIZED", 19) == 0 && mv->sql[mv->sql_len] == ';'
             && mv->select_at == 63 && memcmp(mv->sql + mv->select_at, "SELECT 1", 8) == 0
             && s1->select_at == 0
             && plan.steps[0].line == 21 && mv->line == 36;
    }
    report("plan/valid", ok, "%s", why);
    plan_free(&plan);
    free(body);
    free(text);
}

static void test_header_rules(void)
{
    char *body = valid_body(), *text = seal(body);
    expect_refused("plan/not-a-plan", "SELECT 1;\n", PLAN_ERR_FORMAT, "not an mvd plan", 1);
    expect_refused("plan/empty-file", "", PLAN_ERR_FORMAT, "not an mvd plan", 1);
    char *v2 = replace(text, "-- mvd plan 2", "-- mvd plan 3");
    expect_refused("plan/other-version", v2, PLAN_ERR_FORMAT, "another format version", 1);
    char *v1 = replace(text, "-- mvd plan 2", "-- mvd plan 1");
    expect_refused("plan/format-1", v1, PLAN_ERR_FORMAT, "format 1, written by an older mvdc", 1);
    free(v1);
    char *upper = seal(body);
    for (char *p = upper + strlen("-- mvd plan 2\n-- plan-sha256: "); *p != '\n'; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    expect_refused("plan/uppercase-hash", upper, PLAN_ERR_FORMAT, "64 lowercase hex", 2);
    char *edited = replace(text, "ADD COLUMN", "ADD  COLUMN");
    expect_refused("plan/edited-statement", edited, PLAN_ERR_EDITED, "edited after mvdc generated", 0);
    char *no_nl = xstrndup(text, strlen(text) - 1);
    expect_refused("plan/no-final-newline", no_nl, PLAN_ERR_EDITED, "edited", 0);
    free(v2);
    free(upper);
    free(edited);
    free(no_nl);
    free(body);
    free(text);
}

static void test_body_rules(void)
{
    expect_body_refused("plan/unknown-directive", "-- @removed view", "-- @frob view", "unknown directive", 16);
    expect_body_refused("plan/unknown-option", "@option registry _mvd", "@option colour red", "unknown @option", 6);
    expect_body_refused("plan/missing-registry", "-- @option registry _mvd\n", "", "lacks `-- @option registry", 0);
    expect_body_refused("plan/stray-line", "-- a comment\n", "SELECT 1;\n", "neither empty", 3);
    expect_body_refused("plan/carriage-return", "-- a comment\n", "-- a comment\r\n", "carriage return", 3);
    expect_body_refused("plan/empty-quoted-name", "@object database web", "@object database ``", "empty backquoted name", 7);
    expect_body_refused("plan/bad-kind", "@dropped table web.old", "@dropped tabel web.old", "unknown object kind", 10);
    expect_body_refused("plan/unqualified-table", "@dropped table web.old", "@dropped table old", "qualified", 10);
    expect_body_refused("plan/hash-not-hex", "@object table web.t 2222", "@object table web.t 222X", "hash", 8);
    expect_body_refused("plan/column-outside-state", "-- @dropped table web.old\n", "-- @dropped table web.old\n-- @column x UInt8\n", "@column outside", 11);
    expect_body_refused("plan/state-without-engine", " engine=MergeTree\n-- @column a UInt8\n-- @removed", " MergeTree\n-- @column a UInt8\n-- @removed", "engine=", 14);
    expect_body_refused("plan/double-space", "-- @step setup create", "-- @step setup  create", "empty field", 0);
    expect_body_refused("plan/numbered-step", "-- @step setup alter", "-- @step 5 setup alter", "step 5: the phase must be", 0);
    expect_body_refused("plan/teardown-after-setup", "-- @step setup alter", "-- @step teardown alter", "teardown step after a setup", 0);
    expect_body_refused("plan/bad-guard", "when=" H_V1 " sets", "if=" H_V1 " sets", "guard", 0);
    expect_body_refused("plan/bad-state", "unless=present sets=present", "unless=there sets=present", "not a state", 0);
    expect_body_refused("plan/bad-src", "src=web.mvd ", "src= ", "must name a file", 0);
    expect_body_refused("plan/src-not-ascii", "src=web.mvd ", "src=w\xc3\xa9" "b.mvd ", "must be %-encoded", 0);
    expect_body_refused("plan/src-space", "src=web.mvd ", "src=web%2.mvd ", "%XX", 0);
    expect_body_refused("plan/bytes-too-small", "bytes=34 ", "bytes=33 ", "is not 33 bytes", 0);
    expect_body_refused("plan/bytes-too-large", "bytes=34 ", "bytes=35 ", "is not 35 bytes", 0);
    expect_body_refused("plan/bytes-leading-zero", "bytes=34 ", "bytes=034 ", "bytes=LEN", 0);
    expect_body_refused_as("plan/statement-sha256", "CREATE DATABASE IF NOT EXISTS web;",
                           "CREATE DATABASE IF NOT EXISTS wex;", PLAN_ERR_EDITED,
                           "step 4: the statement does not match its sha256", 31);
    expect_body_refused("plan/no-empty-line", "IF EXISTS web.old;\n\n", "IF EXISTS web.old;\n-- x\n", "followed by an empty line", 0);
    expect_body_refused("plan/unknown-flag", " destructive\n", " dangerous\n", "unexpected field", 0);
    expect_body_refused("plan/window-no-create", "\nDROP TABLE IF EXISTS web.gone;", " window\nDROP TABLE IF EXISTS web.gone;",
                        "step 3: window, but no later step creates web.gone again", 0);
    expect_body_refused("plan/window-not-drop", "\nALTER TABLE web.t", " window\nALTER TABLE web.t",
                        "step 5: only a drop or a backfill opens a window", 0);
    expect_body_refused("plan/window-number", " window\n", " window=6\n", "unexpected field 'window=6'", 0);
    expect_body_refused("plan/manifest-after-step", "-- @step setup alter", "-- @removed view web.x\n\n-- @step setup alter", "after the first @step", 0);
    expect_body_refused("plan/select-zero", "select=63", "select=0", "an offset inside the statement", 0);
    expect_body_refused("plan/removal-not-number", "@removed view web.gone", "@removed view web.gone removal=x",
                        "@removed takes KIND QNAME [removal=N]", 16);
    expect_body_refused("plan/removal-zero", "@removed view web.gone", "@removed view web.gone removal=0",
                        "@removed takes KIND QNAME [removal=N]", 16);
    expect_body_refused("plan/dropped-removal", "@dropped table web.old", "@dropped table web.old removal=1",
                        "@dropped takes KIND QNAME", 10);
    expect_body_refused("plan/select-past-end", "select=63", "select=89", "an offset inside the statement", 0);
    expect_body_refused("plan/invalid-utf8", "-- a comment", "-- a \xc3\x28 comment", "not valid UTF-8", 3);
    expect_body_refused("plan/nul-byte-in-name", "@option clickhouse 18.16", "@option clickhouse 18.x16", "version", 0);
}

/* The tamper test: every single-byte change of a valid plan is
 * refused, whichever byte and whatever it becomes. */
static void test_every_byte_flip(void)
{
    char *body = valid_body(), *text = seal(body);
    size_t n = strlen(text), accepted = 0, first = 0;
    static const unsigned char masks[] = {0x01, 0x20, 0x80, 0xff};
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            char *copy = xstrndup(text, n);
            copy[i] = (char)(copy[i] ^ masks[m]);
            Plan plan;
            PlanError err;
            if (plan_parse("p.sql", copy, n, 1, &plan, &err) == 0) {
                if (!accepted++)
                    first = i;
            }
            plan_free(&plan);
            free(copy);
        }
    }
    report("plan/every-byte-flip", accepted == 0, "%zu of %zu changed plans accepted (first at byte %zu)",
           accepted, n * sizeof masks, first);
    free(body);
    free(text);
}

/* A name is one object however it is quoted: a keyword that one mvdc
 * backquotes and another does not keeps its registry key. */
static void test_name_keys(void)
{
    char *body = valid_body(), *quoted = replace(body, "@object table web.t ", "@object table `web`.`t` ");
    char *text = seal(quoted);
    Plan plan;
    PlanError err;
    int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
    report("plan/name-keys", rc == 0 && strcmp(plan.objects[1].name.text, "`web`.`t`") == 0
           && strcmp(plan.objects[1].name.key, "web.t") == 0
           && plan_same_object(KIND_TABLE, &plan.objects[1].name, KIND_TABLE, &plan.steps[4].name),
           "%s", rc ? err.message : "keys differ");
    plan_free(&plan);
    free(body);
    free(quoted);
    free(text);
}

static void test_read_file(void)
{
    Plan plan;
    PlanError err;
    int rc = plan_read_file("/nonexistent/plan.sql", &plan, &err);
    report("plan/missing-file", rc == -1 && err.kind == PLAN_ERR_IO
           && strstr(err.message, "cannot read /nonexistent/plan.sql"), "%s", err.message);
    plan_free(&plan);
}

/* ---- A statement must be what its header says ------------------------------------ */

/* The manifest and one step, both checksums right: only the statement
 * and its header can disagree. */
/* A sealed plan: head (the manifest), then one step. */
static char *one_step_plan(const char *head, const char *fields, const char *sql, const char *extra)
{
    StrBuf b = {0};
    strbuf_puts(&b, head);
    add_step(&b, fields, sql, extra);
    char *text = seal(b.s);
    strbuf_free(&b);
    return text;
}

/* text (freed here) must be read (want NULL) or refused with want. */
static void expect_parsed(const char *name, char *text, const char *want)
{
    if (want) {
        expect_refused(name, text, PLAN_ERR_FORMAT, want, 0);
    } else {
        Plan plan;
        PlanError err;
        int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
        report(name, rc == 0, "refused: %s", err.message);
        plan_free(&plan);
    }
    free(text);
}

static void expect_step(const char *name, const char *fields, const char *sql, const char *extra,
                        const char *want)
{
    expect_parsed(name, one_step_plan(manifest, fields, sql, extra), want);
}

#define CREATE_T "setup create table web.t when=absent sets=" H_V1 " src=a.mvd"
#define ALTER_T "setup alter table web.t when=" H_V1 " sets=" H_V2 " src=a.mvd"

/* An alter step on a table whose column c has type `from` in the step's
 * when= state: `sql` must pass (want NULL) or be refused with want. */
static void expect_modify(const char *name, const char *from, const char *sql, const char *extra,
                          const char *want)
{
    StrBuf head = {0};
    strbuf_printf(&head, "-- @option clickhouse 18.16\n-- @option registry _mvd\n-- @object database web\n"
                         "-- @object table web.t " H_V2 "\n-- @state table web.t " H_V1 " engine=MergeTree\n"
                         "-- @column k UInt8\n-- @column c %s\n-- @state table web.t " H_V2 " engine=MergeTree\n"
                         "-- @column k UInt8\n-- @column c String\n\n", from);
    expect_parsed(name, one_step_plan(head.s, ALTER_T, sql, extra), want);
    strbuf_free(&head);
}

/* @removed's removal=N (mvdc's retention of removed objects) is read. */
static void test_removed_numbered(void)
{
    char *body = valid_body(), *changed = replace(body, "@removed view web.gone", "@removed view web.gone removal=12");
    expect_parsed("plan/removed-numbered", seal(changed), NULL);
    free(body);
    free(changed);
}

/* MODIFY COLUMN: a type change that may lose a value must be marked
 * destructive, judged from the old type in the when= state (the pairs
 * tried on chDB 26.5: runtime/type_change.c). */
static void test_modify_column_types(void)
{
    static const struct { const char *from, *to; int keeps; } pairs[] = {
        {"UInt8", "UInt16", 1}, {"Int32", "Int64", 1}, {"UInt32", "Int64", 1}, {"UInt8", "Nullable(UInt8)", 1},
        {"Nullable(UInt8)", "Nullable(UInt32)", 1}, {"LowCardinality(String)", "String", 1},
        {"String", "LowCardinality(String)", 1}, {"Float32", "Float64", 1}, {"UInt32", "Float64", 1},
        {"Decimal(9, 2)", "Decimal64(4)", 1}, {"UInt64", "String", 1}, {"Decimal(18, 4)", "Decimal64(4)", 1},
        {"DateTime('UTC')", "DateTime('UTC')", 1}, {"Array(Tuple(x String, y UInt8))", "Array(Tuple(x String, y UInt8))", 1},
        {"UInt64", "UInt16", 0}, {"String", "FixedString(4)", 0}, {"Nullable(UInt8)", "UInt8", 0},
        {"Nullable(String)", "String", 0}, {"UInt32", "Int32", 0}, {"Int8", "UInt64", 0}, {"UInt64", "Float64", 0},
        {"Float64", "Float32", 0}, {"Decimal(18, 4)", "Decimal(18, 2)", 0}, {"Date", "DateTime", 0},
        {"Enum8('a' = 1)", "Enum8('a' = 1, 'b' = 2)", 0}, {"DateTime", "DateTime('UTC')", 0},
        {"LowCardinality(Nullable(String))", "String", 0}, {"Bool", "UInt8", 0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char name[160], sql[200];
        snprintf(name, sizeof name, "modify-column/%s-to-%s", pairs[i].from, pairs[i].to);
        snprintf(sql, sizeof sql, "ALTER TABLE web.t MODIFY COLUMN IF EXISTS `c` %s;", pairs[i].to);
        expect_modify(name, pairs[i].from, sql, NULL, pairs[i].keeps ? NULL : "can lose data");
        if (!pairs[i].keeps) {
            snprintf(name, sizeof name, "modify-column/%s-to-%s-marked", pairs[i].from, pairs[i].to);
            expect_modify(name, pairs[i].from, sql, "destructive", NULL);
        }
    }
    expect_modify("modify-column/codec-only", "UInt64", "ALTER TABLE web.t MODIFY COLUMN c REMOVE CODEC;", NULL, NULL);
    expect_modify("modify-column/same-type-with-codec", "UInt64",
                  "ALTER TABLE web.t MODIFY COLUMN c UInt64 CODEC(T64, LZ4), ADD COLUMN z UInt8;", NULL, NULL);
    expect_modify("modify-column/second-command-narrows", "UInt64",
                  "ALTER TABLE web.t ADD COLUMN z UInt8, MODIFY COLUMN c UInt8;", NULL, "from UInt64 to UInt8");
    expect_modify("modify-column/on-cluster", "UInt64", "ALTER TABLE web.t ON CLUSTER c MODIFY COLUMN c UInt8;",
                  NULL, "can lose data");
    expect_modify("modify-column/unknown-column", "UInt64", "ALTER TABLE web.t MODIFY COLUMN other UInt8;", NULL,
                  "old type is unknown");
    expect_modify("modify-column/unreadable-type", "UInt64", "ALTER TABLE web.t MODIFY COLUMN c UInt8 NOT NULL;",
                  NULL, "cannot read");
}

static void test_forged_headers(void)
{
    expect_step("forged/drop-as-create", CREATE_T, "DROP TABLE IF EXISTS web.t;", NULL, "is not CREATE");
    expect_step("forged/other-object", CREATE_T, "CREATE TABLE IF NOT EXISTS victim.users (a UInt8) ENGINE = Memory;",
                NULL, "another object than web.t");
    expect_step("forged/other-kind", CREATE_T, "CREATE VIEW IF NOT EXISTS web.t AS SELECT 1;", NULL,
                "does not create a table");
    expect_step("forged/two-statements", CREATE_T,
                "CREATE TABLE IF NOT EXISTS web.t (a UInt8) ENGINE = Memory; DROP TABLE victim.users;", NULL,
                "more than one statement");
    expect_step("forged/semicolon-in-string", "setup create view web.v when=absent sets=" H_V1 " src=a.mvd",
                "CREATE VIEW IF NOT EXISTS web.v AS SELECT '; DROP TABLE x' AS `;`, \"a\"\"b\" AS c;", NULL, NULL);
    expect_step("forged/truncate-as-alter", ALTER_T, "TRUNCATE TABLE web.t;", NULL,
                "TRUNCATE in a step whose action is alter");
    expect_step("forged/drop-column-unmarked", ALTER_T, "ALTER TABLE web.t ADD COLUMN b UInt8, DROP COLUMN a;",
                NULL, "'DROP COLUMN a' can lose data");
    expect_step("forged/drop-column-marked", ALTER_T, "ALTER TABLE web.t DROP COLUMN a;", "destructive", NULL);
    expect_step("forged/delete-unmarked", ALTER_T, "ALTER TABLE web.t DELETE WHERE 1;", NULL, "can lose data");
    expect_step("forged/drop-partition", ALTER_T, "ALTER TABLE web.t ON CLUSTER c DROP PARTITION tuple();", NULL,
                "can lose data");
    expect_step("forged/modify-ttl-kept", ALTER_T,
                "ALTER TABLE web.t MODIFY COLUMN a UInt16, COMMENT COLUMN a 'x, y', DROP INDEX i;", NULL, NULL);
    /* The commas of a MODIFY|RESET SETTING list separate settings
     * (mvdc writes every changed setting in one statement), not
     * commands; a command after the list is still judged. */
    expect_step("settings/modify-two", ALTER_T,
                "ALTER TABLE web.t MODIFY SETTING merge_with_ttl_timeout = 7200, min_bytes_for_wide_part = 0;",
                NULL, NULL);
    expect_step("settings/reset-two", ALTER_T,
                "ALTER TABLE web.t RESET SETTING merge_with_ttl_timeout, min_bytes_for_wide_part;", NULL, NULL);
    expect_step("settings/modify-then-drop-column", ALTER_T,
                "ALTER TABLE web.t MODIFY SETTING merge_with_ttl_timeout = 7200, DROP COLUMN a;", NULL,
                "'DROP COLUMN a' can lose data");
    expect_step("settings/reset-then-delete", ALTER_T,
                "ALTER TABLE web.t RESET SETTING merge_with_ttl_timeout, DELETE WHERE 1;", NULL, "can lose data");
    expect_step("settings/not-after-add", ALTER_T, "ALTER TABLE web.t ADD COLUMN b UInt8, x = 1;", NULL,
                "can lose data");
    expect_step("rename/waits-for-its-mutation", "setup rename table web.t when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "ALTER TABLE web.t RENAME COLUMN IF EXISTS a TO b SETTINGS mutations_sync = 1;", NULL, NULL);
    expect_step("forged/drop-table-unmarked", "teardown drop table web.t unless=absent sets=absent src=-",
                "DROP TABLE IF EXISTS web.t;", NULL, "not marked destructive");
    expect_step("forged/drop-two-tables", "teardown drop view web.v unless=absent sets=absent src=-",
                "DROP TABLE IF EXISTS web.v, web.t;", NULL, "more after the object's name");
    expect_step("forged/drop-view-as-table", "teardown drop view web.v unless=absent sets=absent src=-",
                "DROP TABLE IF EXISTS web.v ON CLUSTER c SYNC;", NULL, NULL);
    expect_step("forged/drop-database", "teardown drop database web unless=absent sets=absent src=-",
                "DROP DATABASE IF EXISTS web;", NULL, "not marked destructive");
    expect_step("forged/replace-table", "setup replace table web.t unless=" H_V1 " sets=" H_V1 " src=a.mvd",
                "CREATE OR REPLACE TABLE web.t (a UInt8) ENGINE = Memory;", NULL, "loses the table's rows");
    expect_step("forged/replace-not-create", "setup create view web.v when=absent sets=" H_V1 " src=a.mvd",
                "CREATE OR REPLACE VIEW web.v AS SELECT 1;", NULL, "action is create");
    expect_step("forged/rename-holds-drop", "setup rename table web.t when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "ALTER TABLE web.t RENAME COLUMN a TO b, DROP COLUMN c;", NULL, "RENAME COLUMN only");
    expect_step("forged/modify-query-commas",
                "setup modify-query materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "ALTER TABLE web.m MODIFY QUERY SELECT a, b FROM web.t;", NULL, NULL);
    /* An MV swapped in: the shadow is the MV's own, the rename onto it. */
    expect_step("swap/shadow", "setup shadow materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS web._mvd_swap_m TO web.t AS SELECT a FROM web.s;", NULL, NULL);
    expect_step("swap/shadow-other-name", "setup shadow materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS web.m TO web.t AS SELECT a FROM web.s;", NULL,
                "another object than web._mvd_swap_m");
    expect_step("swap/shadow-on-table", "setup shadow table web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "CREATE TABLE IF NOT EXISTS web._mvd_swap_m (a UInt8) ENGINE = Memory;", NULL,
                "for a materialized view");
    expect_step("swap/rename", "setup swap materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "RENAME TABLE web._mvd_swap_m TO web.m;", NULL, NULL);
    expect_step("swap/rename-elsewhere", "setup swap materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "RENAME TABLE web._mvd_swap_m TO victim.m;", NULL, "another object than web.m");
    expect_step("swap/rename-two", "setup swap materialized-view web.m when=" H_V1 " sets=" H_V2 " src=a.mvd",
                "RENAME TABLE web._mvd_swap_m TO web.m, web.t TO web.u;", NULL, "more after");
    expect_step("swap/rename-as-alter", ALTER_T, "RENAME TABLE web.t TO web.u;", NULL, "is not ALTER");
    expect_step("forged/escaped-name", "setup create table web.`a\\x0Ab` when=absent sets=" H_V1 " src=a.mvd",
                "CREATE TABLE IF NOT EXISTS web.`a\\nb` (`x\\x0Ay` UInt8) ENGINE = Memory;", NULL, NULL);
    expect_step("forged/database-engine", "setup create database web unless=present sets=present src=a.mvd",
                "CREATE DATABASE IF NOT EXISTS web ON CLUSTER c ENGINE = Atomic;", NULL, NULL);
}

/* A backfill MV's truncate step, and the fill after it (when fill_sql is
 * not NULL), on the manifest's MV web.`my mv` whose target is web.t. */
static void expect_fill(const char *name, const char *truncate_extra, const char *truncate_sql,
                        const char *fill_extra, const char *fill_sql, const char *want)
{
    StrBuf b = {0};
    strbuf_puts(&b, manifest);
    add_step(&b, "setup truncate materialized-view web.`my mv` when=absent sets=absent src=a.mvd",
             truncate_sql, truncate_extra);
    if (fill_sql)
        add_step(&b, "setup backfill materialized-view web.`my mv` when=absent sets=absent src=a.mvd",
                 fill_sql, fill_extra);
    char *text = seal(b.s);
    strbuf_free(&b);
    if (want) {
        expect_refused(name, text, PLAN_ERR_FORMAT, want, 0);
    } else {
        Plan plan;
        PlanError err;
        int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
        report(name, rc == 0 && plan.n_steps == 2 && plan.steps[0].target.text
                     && strcmp(plan.steps[1].target.db, "web") == 0 && strcmp(plan.steps[1].target.name, "t") == 0,
               "refused: %s", rc ? err.message : "(no target read)");
        plan_free(&plan);
    }
    free(text);
}

#define FILL_SQL "INSERT INTO web.t (`a`)\nSELECT 1 AS a;"

/* Emptying a table is not destructive only on a backfill MV's truncate
 * step, for the target its @object names, with the fill after it. */
static void test_forged_fill_steps(void)
{
    expect_fill("forged/fill-valid", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;", "select=24 target=web.t",
                FILL_SQL, NULL);
    expect_fill("forged/fill-on-cluster", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t ON CLUSTER c;",
                "target=web.t", FILL_SQL, NULL);
    expect_fill("forged/truncate-other-table", "target=web.t", "TRUNCATE TABLE IF EXISTS victim.users;",
                "target=web.t", FILL_SQL, "another object than web.t");
    expect_fill("forged/truncate-two-tables", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t, victim.users;",
                "target=web.t", FILL_SQL, "more after the object's name");
    expect_fill("forged/truncate-names-other-target", "target=victim.users", "TRUNCATE TABLE victim.users;",
                "target=victim.users", "INSERT INTO victim.users SELECT 1;", "is not the target of web.`my mv`");
    expect_fill("forged/truncate-without-fill", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;", NULL, NULL,
                "no later step fills it");
    expect_fill("forged/truncate-without-target", NULL, "TRUNCATE TABLE IF EXISTS web.t;", "target=web.t",
                FILL_SQL, "names its target");
    expect_fill("forged/truncate-as-drop", "target=web.t", "DROP TABLE IF EXISTS web.t;", "target=web.t", FILL_SQL,
                "is not TRUNCATE");
    expect_fill("forged/fill-other-table", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;", "target=web.t",
                "INSERT INTO victim.users SELECT 1;", "another object than web.t");
    expect_fill("forged/fill-two-statements", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;", "target=web.t",
                "INSERT INTO web.t SELECT 1; DROP TABLE victim.users;", "more than one statement");
    expect_fill("forged/fill-truncates", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;", "target=web.t",
                "TRUNCATE TABLE web.t;", "TRUNCATE in a step whose action is backfill");
    /* A fill by chunks inserts into its stage in the registry, and only there. */
    expect_fill("forged/chunks-valid", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;",
                "target=web.t chunks=web.src", "INSERT INTO _mvd.fill_0123456789abcdef (`a`)\nSELECT 1 AS a;", NULL);
    /* `backfill by`: a fill with a cutoff goes by chunks too (cutoff_resume.c). */
    expect_fill("forged/chunks-with-cutoff-valid", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;",
                "target=web.t cutoff chunks=web.src", "INSERT INTO _mvd.fill_0123456789abcdef (`a`)\nSELECT 1 AS a;",
                NULL);
    expect_fill("forged/chunks-into-target", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;",
                "target=web.t chunks=web.src", FILL_SQL, "inserts into its stage");
    expect_fill("forged/chunks-into-other-database", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;",
                "target=web.t chunks=web.src", "INSERT INTO victim.fill_0123456789abcdef (`a`)\nSELECT 1 AS a;",
                "inserts into its stage");
    expect_fill("forged/chunks-short-id", "target=web.t", "TRUNCATE TABLE IF EXISTS web.t;",
                "target=web.t chunks=web.src", "INSERT INTO _mvd.fill_0123 (`a`)\nSELECT 1 AS a;",
                "inserts into its stage");
    expect_step("forged/chunks-on-create", CREATE_T, "CREATE TABLE IF NOT EXISTS web.t (a UInt8) ENGINE = Memory;",
                "chunks=web.src", "chunks= is for the backfill step");
    expect_step("forged/truncate-on-table", "setup truncate table web.t when=absent sets=absent src=a.mvd",
                "TRUNCATE TABLE web.t;", "target=web.t", "is on a materialized view");
    expect_step("forged/target-on-create", CREATE_T, "CREATE TABLE IF NOT EXISTS web.t (a UInt8) ENGINE = Memory;",
                "target=web.t", "target= is for the truncate and backfill steps");
    expect_step("forged/insert-as-create", CREATE_T, "INSERT INTO web.t SELECT 1;", NULL, "is not CREATE");
    /* A time cutoff on a cluster: refused when the plan is read, before
     * anything is sent (mvdc plans such an MV as `backfill`). */
    StrBuf head = {0};
    strbuf_puts(&head, manifest);
    const char *at = strstr(head.s, "-- @object database");
    StrBuf clustered = {0};
    strbuf_printf(&clustered, "%.*s-- @option cluster c\n%s", (int)(at - head.s), head.s, at);
    expect_parsed("forged/cutoff-on-cluster", one_step_plan(clustered.s, "setup backfill materialized-view "
                  "web.`my mv` when=absent sets=absent src=a.mvd", FILL_SQL, "target=web.t cutoff"),
                  "a time cutoff (`backfill by`) with @option cluster");
    expect_parsed("forged/cutoff-without-cluster", one_step_plan(head.s, "setup backfill materialized-view "
                  "web.`my mv` when=absent sets=absent src=a.mvd", FILL_SQL, "target=web.t cutoff"), NULL);
    strbuf_free(&head);
    strbuf_free(&clustered);
    expect_step("forged/truncate-in-alter", ALTER_T, "TRUNCATE TABLE web.t;", "target=web.t", "target= is for");
}

/* An MV renamed from an old name (from=): the manifest's @removed MV
 * web.`old mv`, renamed to web.`my mv` (docs/plan-format.md). */
#define RENAME_MV "teardown rename materialized-view web.`my mv` when=" H_V1 " sets=" H_MV " src=a.mvd"

static void expect_rename(const char *name, const char *removed, const char *fields, const char *sql,
                          const char *extra, const char *want)
{
    StrBuf head = {0};
    strbuf_puts(&head, manifest);
    char *with = replace(head.s, "-- @removed view web.gone\n", removed);
    expect_parsed(name, one_step_plan(with, fields, sql, extra), want);
    free(with);
    strbuf_free(&head);
}

static void test_mv_rename(void)
{
    const char *removed = "-- @removed view web.gone\n-- @removed materialized-view web.`old mv` removal=3\n";
    const char *sql = "RENAME TABLE web.`old mv` TO web.`my mv`;";
    expect_rename("rename-mv/valid", removed, RENAME_MV, sql, "from=web.`old mv`", NULL);
    expect_rename("rename-mv/valid-quoted-otherwise", removed, RENAME_MV,
                  "RENAME TABLE \"web\" . `old mv`\n    TO `web`.`my mv` -- done\n;", "from=`web`.`old mv`", NULL);
    expect_rename("rename-mv/without-from", removed, RENAME_MV, sql, NULL, "names the MV it renames (from=QNAME)");
    expect_rename("rename-mv/from-not-removed", removed, RENAME_MV, "RENAME TABLE web.t TO web.`my mv`;",
                  "from=web.t", "from=web.t is not a materialized view the manifest lists as removed");
    expect_rename("rename-mv/from-removed-view", removed, RENAME_MV, "RENAME TABLE web.gone TO web.`my mv`;",
                  "from=web.gone", "is not a materialized view the manifest lists as removed");
    expect_rename("rename-mv/from-itself", removed, RENAME_MV, "RENAME TABLE web.`my mv` TO web.`my mv`;",
                  "from=web.`my mv`", "from= names the step's own object");
    expect_rename("rename-mv/other-name", removed, RENAME_MV, "RENAME TABLE web.`old mv` TO web.other;",
                  "from=web.`old mv`", "another object than web.`my mv`");
    expect_rename("rename-mv/other-from", removed, RENAME_MV, "RENAME TABLE web.t TO web.`my mv`;",
                  "from=web.`old mv`", "another object than web.`old mv`");
    expect_rename("rename-mv/two-renames", removed, RENAME_MV,
                  "RENAME TABLE web.`old mv` TO web.`my mv`, web.t TO web.u;", "from=web.`old mv`", "more after");
    expect_rename("rename-mv/on-cluster", removed, RENAME_MV,
                  "RENAME TABLE web.`old mv` TO web.`my mv` ON CLUSTER c;", "from=web.`old mv`", "more after");
    expect_rename("rename-mv/two-statements", removed, RENAME_MV,
                  "RENAME TABLE web.`old mv` TO web.`my mv`; DROP TABLE web.t;", "from=web.`old mv`", "more after");
    expect_rename("rename-mv/as-alter", removed, RENAME_MV, "ALTER TABLE web.`my mv` MODIFY QUERY SELECT 1;",
                  "from=web.`old mv`", "is not RENAME TABLE");
    expect_rename("rename-mv/from-on-create", removed, CREATE_T,
                  "CREATE TABLE IF NOT EXISTS web.t (a UInt8) ENGINE = Memory;", "from=web.`old mv`",
                  "from= is for the rename step of a materialized view");
    expect_rename("rename-mv/from-on-column-rename", removed,
                  "setup rename table web.t when=" H_V1 " sets=" H_V2 " src=a.mvd",
                  "ALTER TABLE web.t RENAME COLUMN a TO b;", "from=web.`old mv`", "from= is for the rename step");
    StrBuf head = {0};
    strbuf_puts(&head, manifest);
    char *with = replace(head.s, "-- @removed view web.gone\n", removed);
    char *clustered = replace(with, "-- @object database", "-- @option cluster c\n-- @object database");
    expect_parsed("rename-mv/on-cluster-plan", one_step_plan(clustered, RENAME_MV, sql, "from=web.`old mv`"),
                  "with @option cluster");
    free(with);
    free(clustered);
    strbuf_free(&head);
    /* The field is read into the step. */
    with = replace(manifest, "-- @removed view web.gone\n", removed);
    char *text = one_step_plan(with, RENAME_MV, sql, "from=web.`old mv`");
    Plan plan;
    PlanError err;
    int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
    report("rename-mv/read", rc == 0 && plan.steps[0].from.text && strcmp(plan.steps[0].from.name, "old mv") == 0
                                && strcmp(plan.steps[0].from.key, "web.`old mv`") == 0,
           "refused or not read: %s", rc ? err.message : "(from= not read)");
    plan_free(&plan);
    free(text);
    free(with);
}

/* A removed MV replaced by another (until=): the valid plan, whose
 * manifest lists web.`old mv` as @removed, with a teardown drop of it
 * (step 2) whose window ends at the create of web.`my mv` (step 7).
 * removed: the manifest's line for it; fields, sql, extra: that step. */
#define DROP_OLD_MV "teardown drop materialized-view web.`old mv` unless=absent sets=absent src=-"
#define OLD_MV_REMOVED "-- @removed view web.gone\n-- @removed materialized-view web.`old mv`\n"

static char *until_plan(const char *removed, const char *fields, const char *sql, const char *extra)
{
    char *body = valid_body(), *with = replace(body, "-- @removed view web.gone\n", removed);
    StrBuf step = {0};
    add_step(&step, fields, sql, extra);
    strbuf_puts(&step, "-- @step teardown drop table web.old");
    char *text = replace(with, "-- @step teardown drop table web.old", step.s);
    char *sealed = seal(text);
    free(body);
    free(with);
    free(text);
    strbuf_free(&step);
    return sealed;
}

static void expect_until(const char *name, const char *removed, const char *fields, const char *sql,
                         const char *extra, const char *want)
{
    expect_parsed(name, until_plan(removed, fields, sql, extra), want);
}

static void test_until(void)
{
    const char *drop = "DROP TABLE IF EXISTS web.`old mv`;";
    expect_until("until/valid", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=web.`my mv`", NULL);
    expect_until("until/valid-quoted-otherwise", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=`web`.`my mv`",
                 NULL);
    expect_until("until/without-window", OLD_MV_REMOVED, DROP_OLD_MV, drop, "until=web.`my mv`",
                 "step 2: until= goes only with window");
    expect_until("until/before-window", OLD_MV_REMOVED, DROP_OLD_MV, drop, "until=web.`my mv` window",
                 "step 2: until= goes only with window");
    expect_until("until/after-select", OLD_MV_REMOVED,
                 "setup create materialized-view web.`old mv` when=absent sets=" H_MV " src=a.mvd",
                 "CREATE MATERIALIZED VIEW IF NOT EXISTS web.`old mv` TO web.t AS SELECT 1 AS a;",
                 "window select=65 until=web.`my mv`", "step 2: unexpected field 'until=web.`my mv`'");
    expect_until("until/on-view-drop", OLD_MV_REMOVED, "teardown drop view web.gone unless=absent sets=absent src=-",
                 "DROP TABLE IF EXISTS web.gone;", "window until=web.`my mv`",
                 "step 2: until= is for the drop step of a materialized view");
    expect_until("until/on-create", OLD_MV_REMOVED,
                 "teardown create materialized-view web.`old mv` when=absent sets=" H_MV " src=a.mvd",
                 "CREATE MATERIALIZED VIEW IF NOT EXISTS web.`old mv` TO web.t AS SELECT 1 AS a;",
                 "window until=web.`my mv`", "step 2: until= is for the drop step of a materialized view");
    expect_until("until/not-removed", "-- @removed view web.gone\n", DROP_OLD_MV, drop, "window until=web.`my mv`",
                 "step 2: until= on the drop of web.`old mv`, which the manifest does not list as removed");
    expect_until("until/removed-as-view", "-- @removed view web.gone\n-- @removed view web.`old mv`\n", DROP_OLD_MV,
                 drop, "window until=web.`my mv`", "which the manifest does not list as removed");
    expect_until("until/not-declared", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=web.other",
                 "step 2: until=web.other is not a materialized view the manifest declares");
    expect_until("until/a-table", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=web.t",
                 "step 2: until=web.t is not a materialized view the manifest declares");
    expect_until("until/itself", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=web.`old mv`",
                 "step 2: until= names the step's own object");
    expect_until("until/no-later-create",
                 OLD_MV_REMOVED "-- @object materialized-view web.other " H_MV " target=web.t\n", DROP_OLD_MV,
                 drop, "window until=web.other", "step 2: window until=web.other, but no later step creates web.other");
    expect_until("until/not-a-name", OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=other", "qualified");
    /* The fields are read into the step, and the window ends at the other MV's create. */
    char *text = until_plan(OLD_MV_REMOVED, DROP_OLD_MV, drop, "window until=`web`.`my mv`");
    Plan plan;
    PlanError err;
    int rc = plan_parse("p.sql", text, strlen(text), 1, &plan, &err);
    const PlanStep *s = rc == 0 ? &plan.steps[1] : NULL;
    report("until/read", s && s->until.text && strcmp(s->until.key, "web.`my mv`") == 0 && s->window == 7
                         && plan.steps[0].window == 7 && !plan.steps[0].until.text,
           "refused or not read: %s", rc ? err.message : "(until= or window not read)");
    plan_free(&plan);
    free(text);
}

int main(void)
{
    test_valid();
    test_removed_numbered();
    test_header_rules();
    test_body_rules();
    test_every_byte_flip();
    test_name_keys();
    test_read_file();
    test_forged_headers();
    test_forged_fill_steps();
    test_modify_column_types();
    test_mv_rename();
    test_until();
    return failed_tests ? 1 : 0;
}
