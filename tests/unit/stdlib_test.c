/* The standard library: every embedded file parses, every signature
 * compiles, and it covers what the contract asks (docs/stdlib.md). The
 * type rules themselves are judged against ClickHouse by tests/types. */
#include "check/passes.h"
#include "typing/promote.h"
#include "typing/signature.h"
#include "unit.h"

static void load(Project *p)
{
    project_init(p);
    project_load_library(p, NULL);
    declare_objects(p);
}

static void print_diags(Project *p)
{
    if (p->diags.list.n)
        diag_print_text(&p->diags, stdout);
}

static void library_parses(UnitState *st)
{
    Project p;
    load(&p);
    EXPECT(st, p.diags.list.n == 0);
    print_diags(&p);
    project_free(&p);
}

/* Every declaration compiles: a broken one would be skipped silently. */
static void signatures_compile(UnitState *st)
{
    Project p;
    load(&p);
    int typed_functions = 0, typed_aggregates = 0;
    for (int i = 0; i < p.decls.n; i++) {
        Decl *d = p.decls.v[i];
        if (d->kind != DECL_FUNCTION && d->kind != DECL_AGGREGATE)
            continue;
        Signature s;
        EXPECT(st, signature_compile(&p, d, &s, true));
        /* Typed declarations add to a name ClickHouse has, of the same kind,
         * or say themselves since when it has it. */
        Object *head = project_function(&p, d->name.name);
        bool named = head && d->object && head->kind == d->object->kind &&
                     (strstr(head->decl->file->path, "clickhouse-names.mvd") || head->since_major);
        if (!named && !strstr(d->file->path, "clickhouse-names.mvd")) {
            printf("  %s: '%.*s' is not a ClickHouse %s\n", d->file->path, (int)d->name.name.len, d->name.name.s,
                   d->kind == DECL_AGGREGATE ? "aggregate" : "function");
            st->failures++;
        }
    }
    print_diags(&p);
    EXPECT(st, p.diags.list.n == 0);
    /* Count the names that have a typed signature. */
    for (size_t i = 0; i < p.functions.cap; i++) {
        Object *o = p.functions.slots[i].value;
        if (!p.functions.slots[i].key || !o)
            continue;
        const SigSet *set = signatures_of(&p, o);
        if (set && set->typed)
            *(o->kind == OBJ_AGGREGATE ? &typed_aggregates : &typed_functions) += 1;
    }
    printf("  typed signatures: %d functions, %d aggregates\n", typed_functions, typed_aggregates);
    EXPECT(st, typed_functions >= 350);
    EXPECT(st, typed_aggregates >= 60);
    project_free(&p);
}

static const Type *T(Project *p, TypeKind k)
{
    return type_simple(&p->types, k);
}

/* A few rules whose edge the corpus cannot reach on every version. */
static void supertype_rules(UnitState *st)
{
    Project p;
    load(&p);
    const Type *u64_i32[2] = {T(&p, TY_UINT64), T(&p, TY_INT32)};
    p.options.version_major = 24, p.options.version_minor = 8;
    EXPECT(st, promote_supertype(&p, u64_i32, 2) == NULL); /* an error there: Unknown, not a guess */
    p.options.version_major = 26, p.options.version_minor = 1;
    const Type *v = promote_supertype(&p, u64_i32, 2);
    EXPECT_STR(st, v ? v->name : NULL, "Variant(Int32, UInt64)");
    const Type *u8_i8[2] = {T(&p, TY_UINT8), T(&p, TY_INT8)};
    EXPECT(st, promote_supertype(&p, u8_i8, 2) == T(&p, TY_INT16));
    const Type *nul[2] = {type_wrap(&p.types, TY_NULLABLE, T(&p, TY_NOTHING)), T(&p, TY_STRING)};
    const Type *r = promote_supertype(&p, nul, 2);
    EXPECT_STR(st, r ? r->name : NULL, "Nullable(String)");
    EXPECT(st, promote_arith(&p, AR_PLUS, T(&p, TY_UINT64), T(&p, TY_UINT64)) == T(&p, TY_UINT64));
    EXPECT(st, promote_arith(&p, AR_MINUS, T(&p, TY_UINT8), T(&p, TY_UINT8)) == T(&p, TY_INT16));
    EXPECT(st, promote_arith(&p, AR_PLUS, T(&p, TY_STRING), T(&p, TY_UINT8)) == NULL);
    project_free(&p);
}

const UnitTest stdlib_tests[] = {
    {"stdlib-parses", library_parses},
    {"stdlib-signatures-compile", signatures_compile},
    {"promote-supertype", supertype_rules},
    {0, 0},
};
