/* Names: unquoting, the string map, and did-you-mean suggestions. */
#include "syntax/ast.h"
#include "syntax/lexer.h"
#include "parser.h"
#include "print/print.h"
#include "project/project.h"
#include "syntax/suggest.h"
#include "base/strmap.h"
#include "project/types.h"
#include "unit.h"

static Name nm(const char *s)
{
    return (Name){.s = s, .len = (uint32_t)strlen(s), .span = {0, (uint32_t)strlen(s)}};
}

static void unquote(UnitState *st)
{
    Arena a;
    arena_init(&a);
    const char *src = "`a``b` \"x\\\"y\" plain";
    Name q1 = ast_name(&a, src, 0, 6), q2 = ast_name(&a, src, 7, 6), q3 = ast_name(&a, src, 14, 5);
    EXPECT(st, q1.len == 3 && memcmp(q1.s, "a`b", 3) == 0);
    EXPECT(st, q2.len == 3 && memcmp(q2.s, "x\"y", 3) == 0);
    EXPECT(st, q3.len == 5 && q3.s == src + 14);
    arena_free(&a);
}

/* The parser records whether a name prints plain from what the lexer
 * said of its token; that must be what the printer would work out. */
static void plain_names(UnitState *st)
{
    Arena a;
    arena_init(&a);
    const char *words[] = {"events_000003", "user_id", "_x", "x1", "ts", "Tuple", "select", "SELECT", "from",
                           "table", "pulls_from", "order", "caf\xc3\xa9", "`a b`", "`ts`", "\"select\""};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *w = words[i];
        Lexer lx;
        Token t;
        lex_init(&lx, w, strlen(w));
        bool keyword = lex_next(&lx, &t) != TK_ID;
        Name known = ast_word(&a, w, 0, (uint32_t)strlen(w), keyword);
        Name worked_out = known;
        worked_out.plain = 0;
        EXPECT(st, print_name_is_plain(known) == print_name_is_plain(worked_out));
        EXPECT(st, (known.plain != 0) == (w[0] != '`' && w[0] != '"'));
    }
    arena_free(&a);
}

static void string_map(UnitState *st)
{
    Arena a;
    arena_init(&a);
    StrMap m;
    strmap_init(&m, &a);
    char keys[1000][16];
    for (int i = 0; i < 1000; i++) {
        snprintf(keys[i], sizeof keys[i], "db.t%d", i);
        EXPECT(st, strmap_put(&m, keys[i], strlen(keys[i]), keys[i]) == keys[i]);
    }
    EXPECT(st, strmap_put(&m, "db.t7", 5, "other") == keys[7]);
    EXPECT(st, strmap_get(&m, "db.t999", 7) == keys[999]);
    EXPECT(st, strmap_get(&m, "db.t1000", 8) == NULL);
    EXPECT(st, m.n == 1000);
    StrMap sized;
    strmap_init(&sized, &a);
    strmap_reserve(&sized, 1000);
    size_t cap = sized.cap;
    for (int i = 0; i < 1000; i++)
        strmap_put(&sized, keys[i], strlen(keys[i]), keys[i]);
    EXPECT(st, sized.cap == cap && sized.n == 1000 && strmap_get(&sized, "db.t500", 7) == keys[500]);
    arena_free(&a);
}

static void suggestions(UnitState *st)
{
    Name c[] = {nm("hour"), nm("url"), nm("hits"), nm("visitors"), nm("user_id")};
    EXPECT(st, suggest_index(nm("hts"), c, 5) == 2);
    EXPECT(st, suggest_index(nm("vistors"), c, 5) == 3);
    EXPECT(st, suggest_index(nm("UserID"), c, 5) == -1 || suggest_index(nm("UserID"), c, 5) == 4);
    EXPECT(st, suggest_index(nm("User_Id"), c, 5) == 4);
    EXPECT(st, suggest_index(nm("revenue"), c, 5) == -1);
    EXPECT(st, suggest_index(nm("url"), c, 5) == -1); /* the name itself is no suggestion */
}

/* Canonical names are what toTypeName() prints; interning makes equal
 * types the same pointer. */
static void type_names(UnitState *st)
{
    Arena a;
    arena_init(&a);
    TypeTable tt;
    types_init(&tt, &a);
    const Type *u64 = type_simple(&tt, TY_UINT64);
    EXPECT(st, u64 == type_simple(&tt, TY_UINT64));
    EXPECT_STR(st, type_wrap(&tt, TY_LOWCARDINALITY, type_wrap(&tt, TY_NULLABLE, type_simple(&tt, TY_STRING)))->name,
               "LowCardinality(Nullable(String))");
    Type dec = {.kind = TY_DECIMAL, .precision = 18, .scale = 4};
    EXPECT_STR(st, type_intern(&tt, &dec)->name, "Decimal(18, 4)");
    Type dt = {.kind = TY_DATETIME64, .precision = 3, .tz = "UTC"};
    EXPECT_STR(st, type_intern(&tt, &dt)->name, "DateTime64(3, 'UTC')");
    const Type *elems[] = {u64};
    Type agg = {.kind = TY_AGGREGATE, .func = "quantiles(0.5, 0.9)", .elems = elems, .n = 1};
    EXPECT_STR(st, type_intern(&tt, &agg)->name, "AggregateFunction(quantiles(0.5, 0.9), UInt64)");
    const char *names[] = {"a", "b"};
    const Type *pair[] = {type_simple(&tt, TY_STRING), u64};
    Type tup = {.kind = TY_TUPLE, .elems = pair, .names = names, .n = 2};
    EXPECT_STR(st, type_intern(&tt, &tup)->name, "Tuple(a String, b UInt64)");
    const char *items[] = {"it's", "b"};
    int values[] = {1, -2};
    Type en = {.kind = TY_ENUM8, .names = items, .values = values, .n = 2};
    EXPECT_STR(st, type_intern(&tt, &en)->name, "Enum8('it\\'s' = 1, 'b' = -2)");
    arena_free(&a);
}

const UnitTest names_tests[] = {
    {"names/type_names", type_names},
    {"names/unquote", unquote},
    {"names/plain", plain_names},
    {"names/string_map", string_map},
    {"names/suggestions", suggestions},
    {0, 0},
};
