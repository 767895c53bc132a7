/* The canonical printer for expressions, types and SELECT (see print.h).
 * Table parts and whole statements are in print_decl.c. */
#include "print/print.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "hex.h"
#include "syntax/parse.h"

static void put(Printer *p, const char *s) { print_text(p, s); }

void print_text(Printer *p, const char *s)
{
    if (p->mode != PRINT_MVD) {
        strbuf_puts(p->out, s);
        return;
    }
    /* Words of capitals (SELECT, GROUP BY, NULL) are keywords here; a
     * type name (Nullable) has lower-case letters and stays. */
    for (const char *w = s; *w;) {
        const char *e = w;
        bool lower = false;
        while (isalnum((unsigned char)*e) || *e == '_')
            lower |= islower((unsigned char)*e++);
        if (e == w) {
            strbuf_putc(p->out, *e++);
        } else {
            for (const char *c = w; c < e; c++)
                strbuf_putc(p->out, lower ? *c : (char)tolower((unsigned char)*c));
        }
        w = e;
    }
}
static void put_span(Printer *p, Span s) { strbuf_add(p->out, p->src + s.off, s.len); }

void print_newline(Printer *p)
{
    strbuf_putc(p->out, '\n');
    for (int i = 0; i < p->indent; i++)
        put(p, "    ");
}

/* ---- Names and literals ------------------------------------------------- */

bool print_name_is_plain(Name n)
{
    if (n.plain)
        return n.plain == 1;
    return ast_plain_chars(n.s, n.len) && !parse_word_is_reserved(n.s, n.len);
}

/* A control byte is written \xHH, which ClickHouse (18.16 and 26.x, tried)
 * reads back in a quoted name: a name then never breaks a line, neither
 * of a statement nor of a plan's directive (docs/plan-format.md). */
void print_quoted_chars(StrBuf *b, const char *s, size_t len)
{
    strbuf_putc(b, '`');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            strbuf_printf(b, "\\x%02X", c);
            continue;
        }
        if (c == '`' || c == '\\')
            strbuf_putc(b, '\\');
        strbuf_putc(b, (char)c);
    }
    strbuf_putc(b, '`');
}

void print_quoted_name(Printer *p, Name n)
{
    print_quoted_chars(p->out, n.s, n.len);
}

void print_name(Printer *p, Name n)
{
    /* .mvd sources need quotes only for reserved words: `hour`, `day`,
     * `key` are plain names there (docs/language.md). */
    if (n.plain == 3) {
        strbuf_add(p->out, n.s, n.len); /* json.^a, json.a.:Int64, json.arr[].x */
        return;
    }
    bool plain = p->mode == PRINT_MVD && !p->quote_keywords
                     ? ast_plain_chars(n.s, n.len) && !parse_word_needs_quotes(n.s, n.len)
                     : print_name_is_plain(n);
    if (plain)
        strbuf_add(p->out, n.s, n.len);
    else
        print_quoted_name(p, n);
}

/* `WITH name AS (SELECT ...)`: the grammar keeps the name as a column
 * expression (WithItem.name is set only for `WITH expr AS name`). */
static Name cte_name(const WithItem *w)
{
    return w->expr && w->expr->kind == EX_COLUMN ? w->expr->name : w->name;
}

static bool is_cte(const Printer *p, Name n)
{
    for (int i = p->nctes - 1; i >= 0; i--)
        for (int k = 0; k < p->ctes[i]->n; k++) {
            const WithItem *w = &p->ctes[i]->v[k];
            Name c = cte_name(w);
            if (w->query && c.len == n.len && memcmp(c.s, n.s, n.len) == 0)
                return true;
        }
    return false;
}

void print_qname(Printer *p, const QName *q)
{
    Name db = q->db;
    if (!db.s && p->db.s && !is_cte(p, q->name))
        db = p->db;
    if (db.s) {
        print_name(p, db);
        strbuf_putc(p->out, '.');
    }
    print_name(p, q->name);
}

static void put_escaped_byte(Printer *p, int c)
{
    switch (c) {
    case '\'': put(p, "\\'"); return;
    case '\\': put(p, "\\\\"); return;
    case '\n': put(p, "\\n"); return;
    case '\t': put(p, "\\t"); return;
    case '\r': put(p, "\\r"); return;
    case '\0': put(p, "\\0"); return;
    }
    if (c < 0x20 || c == 0x7f)
        strbuf_printf(p->out, "\\x%02X", c);
    else
        strbuf_putc(p->out, (char)c);
}

/* A string literal as written ('...' with escapes or doubled quotes, or
 * in Unicode quotes), printed by value in the one canonical spelling. */
/* The bytes of X'4142' (hex digits) or b'0100' (bits, in bytes from the
 * right), as ClickHouse reads them. */
static void put_coded_bytes(Printer *p, const char *d, uint32_t n, bool hex)
{
    uint32_t per = hex ? 2 : 8, first = n % per ? n % per : per;
    for (uint32_t i = 0; i < n; first = per) {
        int byte = 0;
        for (uint32_t k = 0; k < first && i < n; k++, i++)
            byte = hex ? byte * 16 + hex_value(d[i]) : byte * 2 + (d[i] - '0');
        put_escaped_byte(p, byte);
    }
}

/* The text of a `---` doc comment standing for a COMMENT (check/doc_comment.c):
 * each line without its indentation, its `---` and one space after it, and
 * its trailing blanks; lines joined by newlines, blank ones at either end
 * dropped. */
static void put_doc_text(Printer *p, const char *text, uint32_t n)
{
    int pending_newlines = -1; /* -1: nothing put yet */
    for (uint32_t i = 0; i < n;) {
        while (i < n && (text[i] == ' ' || text[i] == '\t'))
            i++;
        i += 3; /* `---` (a doc comment line starts with it) */
        if (i < n && text[i] == ' ')
            i++;
        uint32_t end = i;
        while (end < n && text[end] != '\n')
            end++;
        uint32_t last = end;
        while (last > i && (text[last - 1] == ' ' || text[last - 1] == '\t' || text[last - 1] == '\r'))
            last--;
        if (last > i) {
            for (; pending_newlines > 0; pending_newlines--)
                put_escaped_byte(p, '\n');
            for (uint32_t k = i; k < last; k++)
                put_escaped_byte(p, (unsigned char)text[k]);
            pending_newlines = 0;
        }
        if (pending_newlines >= 0)
            pending_newlines++;
        i = end + 1;
    }
}

void print_string_literal(Printer *p, const char *text, size_t len)
{
    strbuf_putc(p->out, '\'');
    uint32_t n = (uint32_t)len;
    if (text[0] == '-') {
        put_doc_text(p, text, n);
    } else if (text[0] == '$') { /* $tag$text$tag$ */
        uint32_t tag = 1;
        while (text[tag] != '$')
            tag++;
        for (uint32_t i = tag + 1; i + tag + 1 < n; i++)
            put_escaped_byte(p, (unsigned char)text[i]);
    } else if (text[0] && strchr("xXbB", text[0])) {
        put_coded_bytes(p, text + 2, n - 3, text[0] == 'x' || text[0] == 'X');
    } else if (ast_unicode_quote(text, n)) {
        for (uint32_t i = 3; i + 3 < n; i++)
            put_escaped_byte(p, (unsigned char)text[i]);
    } else {
        for (uint32_t i = 1; i + 1 < n; i++) {
            char bytes[2];
            int k = ast_unquote_char(text, n - 1, &i, '\'', bytes);
            for (int j = 0; j < k; j++)
                put_escaped_byte(p, (unsigned char)bytes[j]);
        }
    }
    strbuf_putc(p->out, '\'');
}

static void print_literal(Printer *p, Span s)
{
    print_string_literal(p, p->src + s.off, s.len);
}

/* ---- Types ------------------------------------------------------------- */

void print_type(Printer *p, const TypeExpr *t)
{
    if (ast_plain_chars(t->name.s, t->name.len) || !t->name.len)
        strbuf_add(p->out, t->name.s, t->name.len);
    else
        print_quoted_name(p, t->name); /* JSON(SKIP `a.b`) reads as a field SKIP of type `a.b` */
    if (!t->has_parens && t->args.n == 0)
        return;
    strbuf_putc(p->out, '(');
    for (int i = 0; i < t->args.n; i++) {
        const TypeArg *a = &t->args.v[i];
        if (i)
            put(p, ", ");
        switch (a->kind) {
        case TARG_TYPE: print_type(p, a->type); break;
        case TARG_NUMBER: put_span(p, a->lit); break;
        case TARG_STRING: print_literal(p, a->lit); break;
        case TARG_ENUM:
            print_literal(p, a->lit);
            put(p, " = ");
            put_span(p, a->value);
            break;
        case TARG_FIELD:
            print_name(p, a->field);
            strbuf_putc(p->out, ' ');
            print_type(p, a->type);
            break;
        case TARG_SETTING:
            print_name(p, a->field);
            put(p, " = ");
            if (p->src[a->lit.off] == '\'')
                print_literal(p, a->lit);
            else
                put_span(p, a->lit);
            break;
        case TARG_SKIP:
            put(p, "SKIP ");
            if (a->lit.len) {
                put(p, "REGEXP ");
                print_literal(p, a->lit);
            } else {
                print_name(p, a->field);
            }
            break;
        }
    }
    strbuf_putc(p->out, ')');
}

/* ---- Expressions ---------------------------------------------------------- */

/* Binding strength, loosest first, as grammar/parser.y declares it. */
enum Prec {
    PREC_ALIAS, PREC_LAMBDA, PREC_TERNARY, PREC_OR, PREC_AND, PREC_NOT,
    PREC_IS, PREC_BETWEEN, /* below comparisons in ClickHouse: (a BETWEEN b AND c) = d */
    PREC_COMPARE, PREC_CONCAT, PREC_ADD, PREC_MUL, PREC_UNARY, PREC_POSTFIX,
    PREC_ATOM
};

static const char *op_text(int op)
{
    switch (op) {
    case OP_PLUS: return "+";
    case OP_MINUS: return "-";
    case OP_MUL: return "*";
    case OP_DIV: return "/";
    case OP_MOD: return "%";
    case OP_INTDIV: return "DIV";
    case OP_CONCAT: return "||";
    case OP_EQ: return "=";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_GT: return ">";
    case OP_LE: return "<=";
    case OP_GE: return ">=";
    case OP_AND: return "AND";
    case OP_OR: return "OR";
    case OP_LIKE: return "LIKE";
    case OP_NOT_LIKE: return "NOT LIKE";
    case OP_ILIKE: return "ILIKE";
    case OP_NOT_ILIKE: return "NOT ILIKE";
    case OP_IN: return "IN";
    case OP_NOT_IN: return "NOT IN";
    case OP_GLOBAL_IN: return "GLOBAL IN";
    case OP_GLOBAL_NOT_IN: return "GLOBAL NOT IN";
    case OP_NULL_SAFE_EQ: return "<=>";
    case OP_IS_DISTINCT: return "IS DISTINCT FROM";
    case OP_IS_NOT_DISTINCT: return "IS NOT DISTINCT FROM";
    default: return "?";
    }
}

static int binary_prec(int op)
{
    switch (op) {
    case OP_OR: return PREC_OR;
    case OP_AND: return PREC_AND;
    case OP_CONCAT: return PREC_CONCAT;
    case OP_PLUS: case OP_MINUS: return PREC_ADD;
    case OP_MUL: case OP_DIV: case OP_MOD: case OP_INTDIV: return PREC_MUL;
    case OP_IS_DISTINCT: case OP_IS_NOT_DISTINCT: return PREC_IS;
    default: return PREC_COMPARE;
    }
}

static int expr_prec(const Expr *e)
{
    switch (e->kind) {
    case EX_ALIAS: return PREC_ALIAS;
    case EX_LAMBDA: return PREC_LAMBDA;
    case EX_TERNARY: return PREC_TERNARY;
    case EX_BINARY: return binary_prec(e->op);
    case EX_UNARY: return e->op == OP_NOT ? PREC_NOT : PREC_UNARY;
    case EX_BETWEEN: return PREC_BETWEEN;
    case EX_IS_NULL: return PREC_IS;
    case EX_SUBSCRIPT: case EX_TUPLE_INDEX: return PREC_POSTFIX;
    default: return PREC_ATOM;
    }
}

static void print_at(Printer *p, const Expr *e, int min_prec);

/* ClickHouse reads the names before a bare lambda in a list as more of its
 * parameters (`f(a, x -> x)` is `f((a, x) -> x)`) and refuses anything
 * else before one: a lambda after the first element keeps parentheses. */
static void print_list(Printer *p, const ExprList *l)
{
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        bool wrap = i > 0 && l->v[i]->kind == EX_LAMBDA;
        if (wrap)
            strbuf_putc(p->out, '(');
        print_at(p, l->v[i], PREC_ALIAS);
        if (wrap)
            strbuf_putc(p->out, ')');
    }
}

static void print_order_items(Printer *p, const OrderList *l);
static void print_settings(Printer *p, const SettingList *l);

static void print_window(Printer *p, const Window *w)
{
    static const char *const bounds[] = {
        [FB_UNBOUNDED_PRECEDING] = "UNBOUNDED PRECEDING",
        [FB_UNBOUNDED_FOLLOWING] = "UNBOUNDED FOLLOWING",
        [FB_CURRENT_ROW] = "CURRENT ROW",
        [FB_PRECEDING] = " PRECEDING",
        [FB_FOLLOWING] = " FOLLOWING",
    };
    const char *sep = "";
    strbuf_putc(p->out, '(');
    if (w->base.s) {
        print_name(p, w->base);
        sep = " ";
    }
    if (w->partition.n) {
        put(p, sep);
        put(p, "PARTITION BY ");
        print_list(p, &w->partition);
        sep = " ";
    }
    if (w->order.n) {
        put(p, sep);
        put(p, "ORDER BY ");
        print_order_items(p, &w->order);
        sep = " ";
    }
    if (w->frame_unit) {
        put(p, sep);
        put(p, w->frame_unit == 1 ? "ROWS " : "RANGE ");
        if (w->hi.kind)
            put(p, "BETWEEN ");
        const FrameBound *b[2] = {&w->lo, &w->hi};
        for (int i = 0; i < 2 && b[i]->kind; i++) {
            if (i)
                put(p, " AND ");
            if (b[i]->expr)
                print_at(p, b[i]->expr, PREC_CONCAT);
            put(p, bounds[b[i]->kind]);
        }
    }
    strbuf_putc(p->out, ')');
}

/* date_add(DAY, 1, d): ClickHouse reads a bare unit word as the unit, a
 * quoted one as a column. */
static bool takes_unit_word(Name fn)
{
    static const char *const names[] = {
        "date_add", "dateadd", "date_sub", "datesub", "timestamp_add", "timestampadd",
        "timestamp_sub", "timestampsub", "date_diff", "datediff", "timestamp_diff", "timestampdiff", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (fn.len == strlen(names[i]) && strncasecmp(fn.s, names[i], fn.len) == 0)
            return true;
    return false;
}

static bool is_bare_word(const Expr *e)
{
    return e->kind == EX_COLUMN && e->u.path.parts.n == 1 && e->name.plain == 2 &&
           ast_plain_chars(e->name.s, e->name.len);
}

static void print_args(Printer *p, const Expr *e)
{
    const ExprList *l = &e->u.call.args;
    if (l->n && takes_unit_word(e->name) && is_bare_word(l->v[0])) {
        strbuf_add(p->out, l->v[0]->name.s, l->v[0]->name.len);
        for (int i = 1; i < l->n; i++) {
            put(p, ", ");
            print_at(p, l->v[i], PREC_ALIAS);
        }
        return;
    }
    if (l->n == 2 && e->name.len == 4 && strncasecmp(e->name.s, "cast", 4) == 0) {
        print_at(p, l->v[0], PREC_LAMBDA); /* CAST((x AS a), 'T'), not CAST(x AS a, 'T') */
        put(p, ", ");
        print_at(p, l->v[1], PREC_ALIAS);
        return;
    }
    print_list(p, l);
}

static void print_call(Printer *p, const Expr *e)
{
    const CallExtra *x = e->u.call.extra;
    if (e->name.plain == 2 && ast_plain_chars(e->name.s, e->name.len))
        strbuf_add(p->out, e->name.s, e->name.len); /* `left(s, 1)` as written */
    else
        print_name(p, e->name); /* `@`(1), `and`(a, b) */
    strbuf_putc(p->out, '(');
    if ((e->flags & EF_PARAMETRIC) && x) {
        print_list(p, &x->params);
        put(p, ")(");
    }
    if (e->flags & EF_DISTINCT)
        put(p, "DISTINCT ");
    if (e->flags & EF_STAR_ARG)
        strbuf_putc(p->out, '*');
    if (e->flags & EF_SELECT_ARG)
        print_select(p, e->u.call.args.v[0]->u.sub.query); /* view(SELECT ...) */
    else
        print_args(p, e);
    strbuf_putc(p->out, ')');
    put(p, e->flags & EF_RESPECT_NULLS ? " RESPECT NULLS" : e->flags & EF_IGNORE_NULLS ? " IGNORE NULLS" : "");
    if (x && x->over) {
        put(p, " OVER ");
        print_window(p, x->over);
    } else if (x && x->window.s) {
        put(p, " OVER ");
        print_name(p, x->window);
    }
}

static void print_subquery(Printer *p, const Select *q)
{
    strbuf_putc(p->out, '(');
    p->indent++;
    print_newline(p);
    print_select(p, q);
    p->indent--;
    print_newline(p);
    strbuf_putc(p->out, ')');
}

static void print_unit(Printer *p, Name unit)
{
    for (uint32_t i = 0; i < unit.len; i++)
        strbuf_putc(p->out, (char)(p->mode == PRINT_MVD ? tolower((unsigned char)unit.s[i])
                                                        : toupper((unsigned char)unit.s[i])));
}

static void print_path(Printer *p, const NameList *parts)
{
    for (int i = 0; i < parts->n; i++) {
        if (i)
            strbuf_putc(p->out, '.');
        print_name(p, parts->v[i]);
    }
}

/* A column read through an MV's bridge (Printer.qualify): qualified, or
 * under either of two names, and cast where the printer says. `parts`
 * is the name as written: bare, or qualified already. */
static void print_bridged_column(Printer *p, int i, const NameList *parts)
{
    const char *cast = p->cast_to ? p->cast_to[i] : NULL, *from = p->renamed_from ? p->renamed_from[i] : NULL;
    bool unnulled = cast && p->unnulled && p->unnulled[i];
    const char *def = unnulled && p->unnull_default ? p->unnull_default[i] : NULL;
    put(p, def ? "CAST(ifNull(" : unnulled ? "ifNull(CAST(" : cast ? "CAST(" : "");
    if (from) { /* plain names (source_bridge.c): nothing to escape in the pattern */
        strbuf_printf(p->out, "identity(COLUMNS('^(%s|%s)$'))", from, p->qualify[i]);
    } else {
        print_name(p, p->qualifier);
        strbuf_putc(p->out, '.');
        print_name(p, parts->v[parts->n - 1]);
    }
    if (def) {
        strbuf_printf(p->out, ", %s) AS %s)", def, cast);
    } else if (unnulled) {
        strbuf_printf(p->out, " AS Nullable(%s)), defaultValueOfTypeName('", cast);
        for (const char *t = cast; *t; t++) /* as alter.c writes the ALTER's DEFAULT */
            strbuf_puts(p->out, *t == '\'' ? "\\'" : *t == '\\' ? "\\\\" : (char[2]){*t, 0});
        put(p, "'))");
    } else if (cast) {
        strbuf_printf(p->out, " AS %s)", cast);
    }
}

static void print_column_ref(Printer *p, const NameList *parts)
{
    for (int i = 0; parts->n == 1 && i < p->nqualify; i++)
        if (name_is(parts->v[0], p->qualify[i])) {
            if (p->aliased && p->aliased[i] && !name_is(p->own_alias, p->qualify[i]))
                break; /* the query's alias of that name */
            print_bridged_column(p, i, parts);
            return;
        }
    /* Qualified by the bridge's table (a joined table's column, `s.price`):
     * never an alias. */
    for (int i = 0; parts->n == 2 && p->qualifier.len && i < p->nqualify; i++)
        if (name_eq(parts->v[0], p->qualifier) && name_is(parts->v[1], p->qualify[i])) {
            print_bridged_column(p, i, parts);
            return;
        }
    print_path(p, parts);
}

static void print_case(Printer *p, const Expr *e)
{
    put(p, "CASE");
    if (e->u.kase.operand) {
        strbuf_putc(p->out, ' ');
        print_at(p, e->u.kase.operand, PREC_LAMBDA);
    }
    for (int i = 0; i + 1 < e->u.kase.arms.n; i += 2) {
        put(p, " WHEN ");
        print_at(p, e->u.kase.arms.v[i], PREC_LAMBDA);
        put(p, " THEN ");
        print_at(p, e->u.kase.arms.v[i + 1], PREC_LAMBDA);
    }
    if (e->u.kase.otherwise) {
        put(p, " ELSE ");
        print_at(p, e->u.kase.otherwise, PREC_LAMBDA);
    }
    put(p, " END");
}

static void print_star(Printer *p, const Expr *e)
{
    if (e->u.path.parts.n) {
        print_path(p, &e->u.path.parts);
        strbuf_putc(p->out, '.');
    }
    strbuf_putc(p->out, '*');
    if (e->u.path.except.n) {
        put(p, " EXCEPT (");
        for (int i = 0; i < e->u.path.except.n; i++) {
            if (i)
                put(p, ", ");
            print_name(p, e->u.path.except.v[i]);
        }
        strbuf_putc(p->out, ')');
    }
}

/* [t.]COLUMNS('re'), [t.]COLUMNS(a, b) */
static void print_columns(Printer *p, const Expr *e)
{
    if (e->u.x.a) {
        print_path(p, &e->u.x.a->u.path.parts);
        strbuf_putc(p->out, '.');
    }
    put(p, "COLUMNS(");
    print_list(p, &e->u.x.b->u.list.items);
    strbuf_putc(p->out, ')');
}

/* A transformer after its star or COLUMNS: APPLY always in parentheses
 * (`APPLY(length)` and `APPLY length` are the same transformer). */
static void print_transform(Printer *p, const Expr *e)
{
    print_at(p, e->u.x.a, PREC_ATOM);
    put(p, e->op == XF_EXCEPT ? " EXCEPT " : e->op == XF_APPLY ? " APPLY" : " REPLACE ");
    if (e->flags & EF_STRICT)
        put(p, "STRICT ");
    strbuf_putc(p->out, '(');
    if (e->op == XF_APPLY)
        print_at(p, e->u.x.b, PREC_LAMBDA);
    else
        print_list(p, &e->u.x.b->u.list.items);
    strbuf_putc(p->out, ')');
}

/* ClickHouse merges `a AND b AND c` into one call of three arguments but
 * keeps `(a AND b) AND c` two calls: the parentheses stay where written. */
static bool merges(const Expr *e, const Expr *left)
{
    return (e->op == OP_AND || e->op == OP_OR || e->op == OP_CONCAT) && left->kind == EX_BINARY &&
           left->op == e->op && (left->flags & EF_PARENS);
}

static void print_binary(Printer *p, const Expr *e)
{
    int prec = binary_prec(e->op);
    print_at(p, e->u.x.a, merges(e, e->u.x.a) ? prec + 1 : prec);
    strbuf_putc(p->out, ' ');
    put(p, op_text(e->op));
    strbuf_putc(p->out, ' ');
    print_at(p, e->u.x.b, prec + 1);
}

static void print_trim(Printer *p, const Expr *e)
{
    static const char *const sides[] = {"BOTH", "LEADING", "TRAILING"};
    put(p, "TRIM(");
    put(p, sides[e->op < 3 ? e->op : 0]);
    strbuf_putc(p->out, ' ');
    print_at(p, e->u.x.b, PREC_LAMBDA);
    put(p, " FROM ");
    print_at(p, e->u.x.a, PREC_LAMBDA);
    strbuf_putc(p->out, ')');
}

static void print_map(Printer *p, const Expr *e)
{
    strbuf_putc(p->out, '{');
    for (int i = 0; i + 1 < e->u.list.items.n; i += 2) {
        if (i)
            put(p, ", ");
        print_at(p, e->u.list.items.v[i], PREC_LAMBDA);
        put(p, ": ");
        print_at(p, e->u.list.items.v[i + 1], PREC_LAMBDA);
    }
    strbuf_putc(p->out, '}');
}

/* ClickHouse reads a literal before `::` from its text (`0.1::Decimal(38,
 * 30)` is exact, `-128::Int8` fits): numbers, and brackets of numbers and
 * strings, are printed as written. */
static bool cast_as_text(const Expr *e)
{
    switch (e->kind) {
    case EX_INTEGER: case EX_FLOAT: return true;
    case EX_UNARY: return e->op == OP_NEG && (e->u.x.a->kind == EX_INTEGER || e->u.x.a->kind == EX_FLOAT);
    case EX_ARRAY: case EX_TUPLE:
        for (int i = 0; i < e->u.list.items.n; i++)
            if (e->u.list.items.v[i]->kind != EX_STRING && !cast_as_text(e->u.list.items.v[i]))
                return false;
        return true;
    default: return false;
    }
}

/* Whether e prints as a number followed by `::` (`1::Int8`, `1::Int8[1]`). */
static bool starts_with_number(const Expr *e)
{
    bool cast = false;
    while (e->kind == EX_CAST || e->kind == EX_SUBSCRIPT || e->kind == EX_TUPLE_INDEX) {
        cast |= e->kind == EX_CAST && (e->flags & EF_DCOLON);
        e = e->kind == EX_CAST ? e->u.cast.a : e->u.x.a;
    }
    return cast && (e->kind == EX_INTEGER || e->kind == EX_FLOAT);
}

/* -(1) is negate(1) in ClickHouse, -1 the literal -1. */
static bool is_parenthesized_number(const Expr *e)
{
    return (e->kind == EX_INTEGER || e->kind == EX_FLOAT) && (e->flags & EF_PARENS);
}

static void print_dcolon(Printer *p, const Expr *e)
{
    const Expr *a = e->u.cast.a;
    if ((a->flags & EF_PARENS) && (cast_as_text(a) || a->kind == EX_STRING)) {
        strbuf_putc(p->out, '('); /* ('x')::T reads the text `('x')` */
        put_span(p, a->span);
        strbuf_putc(p->out, ')');
    } else if (cast_as_text(a))
        put_span(p, a->span);
    else
        print_at(p, e->u.cast.a, PREC_POSTFIX);
    put(p, "::");
    print_type(p, e->u.cast.type);
}

static void print_kind(Printer *p, const Expr *e)
{
    switch (e->kind) {
    case EX_INTEGER: case EX_FLOAT: put_span(p, e->span); break;
    case EX_STRING: print_literal(p, e->span); break;
    case EX_NULL: put(p, "NULL"); break;
    case EX_BOOL: put(p, e->op ? "true" : "false"); break;
    case EX_COLUMN: print_column_ref(p, &e->u.path.parts); break;
    case EX_STAR: print_star(p, e); break;
    case EX_COLUMNS: print_columns(p, e); break;
    case EX_TRANSFORM: print_transform(p, e); break;
    case EX_CALL: print_call(p, e); break;
    case EX_UNARY:
        put(p, e->op == OP_NOT ? "NOT " : "-");
        size_t at = p->out->len;
        if (e->op == OP_NEG && (starts_with_number(e->u.x.a) || is_parenthesized_number(e->u.x.a))) {
            /* -(1::Int8): without the parentheses it is the literal -1 */
            strbuf_putc(p->out, '(');
            print_kind(p, e->u.x.a);
            strbuf_putc(p->out, ')');
        } else {
            print_at(p, e->u.x.a, e->op == OP_NOT ? PREC_NOT : PREC_UNARY);
        }
        if (p->out->len > at && p->out->s[at] == '-') {
            /* `- -1`, not `--1`, which would start a comment */
            strbuf_putc(p->out, ' ');
            memmove(p->out->s + at + 1, p->out->s + at, p->out->len - at - 1);
            p->out->s[at] = ' ';
        }
        break;
    case EX_BINARY: print_binary(p, e); break;
    case EX_BETWEEN:
        print_at(p, e->u.x.a, PREC_CONCAT);
        put(p, e->flags & EF_NOT ? " NOT BETWEEN " : " BETWEEN ");
        print_at(p, e->u.x.b, PREC_CONCAT);
        put(p, " AND ");
        print_at(p, e->u.x.c, PREC_CONCAT);
        break;
    case EX_IS_NULL:
        print_at(p, e->u.x.a, PREC_CONCAT);
        put(p, e->flags & EF_NOT ? " IS NOT NULL" : " IS NULL");
        break;
    case EX_TERNARY: /* ClickHouse reads neither `a ? b : c ? d : e` nor `a OR b ? c : d` */
        print_at(p, e->u.x.a, PREC_UNARY);
        put(p, " ? ");
        print_at(p, e->u.x.b, PREC_UNARY);
        put(p, " : ");
        print_at(p, e->u.x.c, PREC_UNARY);
        break;
    case EX_CASE: print_case(p, e); break;
    case EX_CAST:
        if (e->flags & EF_DCOLON) {
            print_dcolon(p, e);
            break;
        }
        put(p, "CAST(");
        /* CAST(x AS a AS T) as written; CAST((x AS a) AS T) keeps its parentheses */
        print_at(p, e->u.cast.a, e->u.cast.a->kind == EX_ALIAS && !(e->u.cast.a->flags & EF_PARENS) ? PREC_ALIAS : PREC_LAMBDA);
        put(p, " AS ");
        print_type(p, e->u.cast.type);
        strbuf_putc(p->out, ')');
        break;
    case EX_INTERVAL:
        put(p, "INTERVAL ");
        /* the unit ends the operand: INTERVAL n * 600 SECOND */
        print_at(p, e->u.x.a, e->name.s ? PREC_CONCAT : PREC_UNARY);
        if (e->name.s) {
            strbuf_putc(p->out, ' ');
            print_unit(p, e->name);
        }
        break;
    case EX_LAMBDA:
        print_at(p, e->u.x.a, PREC_LAMBDA + 1);
        put(p, " -> ");
        print_at(p, e->u.x.b, PREC_LAMBDA);
        break;
    case EX_ARRAY:
        strbuf_putc(p->out, '[');
        print_list(p, &e->u.list.items);
        strbuf_putc(p->out, ']');
        break;
    case EX_TUPLE:
        strbuf_putc(p->out, '(');
        print_list(p, &e->u.list.items);
        if (e->u.list.items.n == 1)
            strbuf_putc(p->out, ',');
        strbuf_putc(p->out, ')');
        break;
    case EX_MAP: print_map(p, e); break;
    case EX_SUBSCRIPT:
        print_at(p, e->u.x.a, PREC_POSTFIX);
        strbuf_putc(p->out, '[');
        print_at(p, e->u.x.b, PREC_ALIAS);
        strbuf_putc(p->out, ']');
        break;
    case EX_TUPLE_INDEX:
        if (e->u.x.b->kind == EX_COLUMN && e->u.x.a->kind == EX_COLUMN) {
            strbuf_putc(p->out, '('); /* (x).a reads element a of x; x.a is a column */
            print_at(p, e->u.x.a, PREC_ALIAS);
            strbuf_putc(p->out, ')');
        } else {
            print_at(p, e->u.x.a, PREC_POSTFIX);
        }
        strbuf_putc(p->out, '.');
        put_span(p, e->u.x.b->span);
        break;
    case EX_SUBQUERY: print_subquery(p, e->u.sub.query); break;
    case EX_EXISTS:
        put(p, "EXISTS ");
        print_subquery(p, e->u.sub.query);
        break;
    case EX_ALIAS: {
        Name outer = p->own_alias;
        p->own_alias = e->name;
        print_at(p, e->u.x.a, PREC_LAMBDA);
        p->own_alias = outer;
        put(p, " AS ");
        print_name(p, e->name);
        break;
    }
    case EX_EXTRACT:
        put(p, "EXTRACT(");
        print_unit(p, e->name);
        put(p, " FROM ");
        print_at(p, e->u.x.a, PREC_LAMBDA);
        strbuf_putc(p->out, ')');
        break;
    case EX_TRIM: print_trim(p, e); break;
    }
}

/* Prints e, in parentheses when it binds more loosely than its place
 * needs (min_prec). */
static void print_at(Printer *p, const Expr *e, int min_prec)
{
    bool parens = expr_prec(e) < min_prec;
    if (parens)
        strbuf_putc(p->out, '(');
    print_kind(p, e);
    if (parens)
        strbuf_putc(p->out, ')');
}

void print_expr(Printer *p, const Expr *e)
{
    print_at(p, e, PREC_ALIAS);
}

/* ClickHouse keeps the parentheses around a key or a column's expression
 * in its metadata (26.5: `ORDER BY (block_num)` in engine_full and
 * sorting_key, `(amount * 2)` in default_expression; 18.16 drops them), so
 * the text reads back as the raw DDL's. Only the outer ones: inside, the
 * printer's precedence decides, as everywhere. Hashes do not change
 * meaning for it: plan/respell.c and plan/alter.c read `(x)` as `x`. */
void print_expr_as_written(Printer *p, const Expr *e)
{
    if (!(e->flags & EF_PARENS) || e->kind == EX_TUPLE) {
        print_expr(p, e);
        return;
    }
    strbuf_putc(p->out, '(');
    print_at(p, e, PREC_ALIAS);
    strbuf_putc(p->out, ')');
}

/* ---- SELECT -------------------------------------------------------------- */

static void print_order_items(Printer *p, const OrderList *l)
{
    for (int i = 0; i < l->n; i++) {
        const OrderItem *o = &l->v[i];
        if (i)
            put(p, ", ");
        print_at(p, o->expr, PREC_ALIAS); /* ORDER BY f(a) AS o DESC */
        if (o->desc)
            put(p, " DESC");
        if (o->nulls)
            put(p, o->nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
        if (o->collate.len) {
            put(p, " COLLATE ");
            print_literal(p, o->collate);
        }
        if (o->fill) {
            put(p, " WITH FILL");
            const char *const kw[3] = {" FROM ", " TO ", " STEP "};
            const Expr *const ex[3] = {o->fill_from, o->fill_to, o->fill_step};
            for (int k = 0; k < 3; k++)
                if (ex[k]) {
                    put(p, kw[k]);
                    print_at(p, ex[k], PREC_LAMBDA);
                }
            if (o->fill_staleness) {
                put(p, " STALENESS ");
                print_at(p, o->fill_staleness, PREC_LAMBDA);
            }
        }
    }
}

static void clause(Printer *p, const char *keyword)
{
    print_newline(p);
    put(p, keyword);
}

static void print_with(Printer *p, const WithList *with, bool recursive)
{
    put(p, recursive ? "WITH RECURSIVE" : "WITH");
    p->indent++;
    for (int i = 0; i < with->n; i++) {
        const WithItem *w = &with->v[i];
        print_newline(p);
        if (w->query) {
            if (w->expr && w->expr->kind != EX_COLUMN)
                print_at(p, w->expr, PREC_LAMBDA); /* not a name: refused by the checks */
            else
                print_name(p, cte_name(w));
            for (int k = 0; k < w->columns.n; k++) { /* t(a, b) AS (...) */
                put(p, k ? ", " : "(");
                print_name(p, w->columns.v[k]);
            }
            if (w->columns.n)
                strbuf_putc(p->out, ')');
            put(p, " AS ");
            print_subquery(p, w->query);
        } else {
            print_at(p, w->expr, PREC_LAMBDA);
            put(p, " AS ");
            print_name(p, w->name);
        }
        if (i + 1 < with->n)
            strbuf_putc(p->out, ',');
    }
    p->indent--;
    print_newline(p);
}

static void print_join_kind(Printer *p, const FromItem *f)
{
    static const struct { int flag; const char *text; } words[] = {
        /* ClickHouse's order: strictness before kind, OUTER last (it
         * refuses `FULL OUTER ALL JOIN`) */
        {JF_GLOBAL, "GLOBAL "}, {JF_ANY, "ANY "}, {JF_ALL, "ALL "}, {JF_ASOF, "ASOF "},
        {JF_SEMI, "SEMI "}, {JF_ANTI, "ANTI "}, {JF_INNER, "INNER "}, {JF_LEFT, "LEFT "},
        {JF_RIGHT, "RIGHT "}, {JF_FULL, "FULL "}, {JF_OUTER, "OUTER "}, {JF_CROSS, "CROSS "},
        {JF_PASTE, "PASTE "},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (f->join & words[i].flag)
            put(p, words[i].text);
}

/* `(EXPLAIN PIPELINE graph = 1 SELECT ...)` */
static void print_explain(Printer *p, const FromItem *f)
{
    static const char *const kinds[] = {
        [EXPLAIN_PLAN] = "EXPLAIN", [EXPLAIN_AST] = "EXPLAIN AST", [EXPLAIN_SYNTAX] = "EXPLAIN SYNTAX",
        [EXPLAIN_QUERY_TREE] = "EXPLAIN QUERY TREE", [EXPLAIN_PIPELINE] = "EXPLAIN PIPELINE",
        [EXPLAIN_ESTIMATE] = "EXPLAIN ESTIMATE",
    };
    strbuf_putc(p->out, '(');
    p->indent++;
    print_newline(p);
    put(p, kinds[f->explain]);
    if (f->settings.n) {
        strbuf_putc(p->out, ' ');
        print_settings(p, &f->settings);
    }
    print_newline(p);
    print_select(p, f->query);
    p->indent--;
    print_newline(p);
    strbuf_putc(p->out, ')');
}

/* `numbers(10, SETTINGS max_threads = 1)` */
static void print_table_function(Printer *p, const FromItem *f)
{
    print_call(p, f->func);
    if (!f->settings.n)
        return;
    p->out->len--; /* the call's `)` */
    put(p, ", SETTINGS ");
    print_settings(p, &f->settings);
    strbuf_putc(p->out, ')');
}

static void print_from_item(Printer *p, const FromItem *f)
{
    for (int i = 0; i < p->nbridge_from; i++)
        if (f == p->bridge_from[i]) { /* its FINAL inside the subquery */
            Printer in = p->bridge_printer[i];
            in.out = p->out;
            in.indent = p->indent;
            print_subquery(&in, p->bridge_query[i]);
            put(p, " AS ");
            print_name(p, f->alias.len ? f->alias : f->table.name);
            return;
        }
    switch (f->kind) {
    case FROM_TABLE: print_qname(p, &f->table); break;
    case FROM_FUNCTION: print_table_function(p, f); break;
    case FROM_SUBQUERY:
        if (f->explain)
            print_explain(p, f);
        else
            print_subquery(p, f->query);
        break;
    case FROM_ARRAY_JOIN: print_list(p, &f->array_items); return;
    }
    if (f->alias.s) {
        put(p, " AS ");
        print_name(p, f->alias);
    }
    if (f->column_aliases.n) {
        strbuf_putc(p->out, '(');
        for (int i = 0; i < f->column_aliases.n; i++) {
            if (i)
                put(p, ", ");
            print_name(p, f->column_aliases.v[i]);
        }
        strbuf_putc(p->out, ')');
    }
    if (f->final)
        put(p, " FINAL");
    if (f->sample) {
        put(p, " SAMPLE ");
        print_at(p, f->sample, PREC_LAMBDA);
        if (f->sample_offset) {
            put(p, " OFFSET ");
            print_at(p, f->sample_offset, PREC_LAMBDA);
        }
    }
}

static void print_from(Printer *p, const FromList *from)
{
    for (int i = 0; i < from->n; i++) {
        const FromItem *f = from->v[i];
        print_newline(p);
        if (!f->is_join) {
            put(p, "FROM ");
        } else if (f->join & JF_COMMA) {
            put(p, ", ");  /* an old-style comma join stays one */
        } else {
            print_join_kind(p, f);
            put(p, f->kind == FROM_ARRAY_JOIN ? "ARRAY JOIN " : "JOIN ");
        }
        print_from_item(p, f);
        if (f->on) {
            put(p, " ON ");
            print_at(p, f->on, PREC_LAMBDA);
        } else if (f->using_cols.n) {
            put(p, " USING (");
            for (int k = 0; k < f->using_cols.n; k++) {
                if (k)
                    put(p, ", ");
                print_name(p, f->using_cols.v[k]);
            }
            strbuf_putc(p->out, ')');
        }
    }
}

static void print_limit(Printer *p, const Limit *l)
{
    if (l->offset && l->ties) { /* `LIMIT n OFFSET m WITH TIES` needs ClickHouse 26.4 */
        print_at(p, l->offset, PREC_LAMBDA);
        put(p, ", ");
        print_at(p, l->count, PREC_LAMBDA);
        put(p, " WITH TIES");
        return;
    }
    print_at(p, l->count, PREC_LAMBDA);
    if (l->offset) {
        put(p, " OFFSET ");
        print_at(p, l->offset, PREC_LAMBDA);
    }
    if (l->ties)
        put(p, " WITH TIES");
}

static void print_settings(Printer *p, const SettingList *l)
{
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        print_name(p, l->v[i].key);
        put(p, " = ");
        print_at(p, l->v[i].value, PREC_LAMBDA);
    }
}

static void print_group_by(Printer *p, const GroupBy *g)
{
    if (!g->exprs.n && !(g->flags & GF_ALL)) {
        if (g->flags & GF_TOTALS)
            clause(p, "WITH TOTALS"); /* without GROUP BY: one row of totals */
        return;
    }
    clause(p, "GROUP BY ");
    if (g->flags & GF_ALL) {
        put(p, "ALL");
    } else if (g->flags & GF_SETS) {
        /* Each set in its own parentheses: `((x AS k))` must keep both */
        put(p, "GROUPING SETS (");
        for (int i = 0; i < g->exprs.n; i++) {
            const Expr *set = g->exprs.v[i];
            put(p, i ? ", (" : "(");
            if (set->kind == EX_TUPLE)
                print_list(p, &set->u.list.items);
            else
                print_at(p, set, PREC_ALIAS);
            strbuf_putc(p->out, ')');
        }
        strbuf_putc(p->out, ')');
    } else {
        print_list(p, &g->exprs);
    }
    if (g->flags & GF_ROLLUP) put(p, " WITH ROLLUP");
    if (g->flags & GF_CUBE) put(p, " WITH CUBE");
    if (g->flags & GF_TOTALS) put(p, " WITH TOTALS");
}

static void print_optional(Printer *p, const char *keyword, const Expr *e)
{
    if (!e)
        return;
    clause(p, keyword);
    print_at(p, e, PREC_ALIAS);
}

static void print_items(Printer *p, const Select *q)
{
    put(p, "SELECT");
    if (q->distinct) {
        put(p, " DISTINCT");
        if (q->distinct_on.n) {
            put(p, " ON (");
            print_list(p, &q->distinct_on);
            strbuf_putc(p->out, ')');
        }
    }
    p->indent++;
    for (int i = 0; i < q->items.n; i++) {
        print_newline(p);
        print_expr(p, q->items.v[i]);
        if (i + 1 < q->items.n)
            strbuf_putc(p->out, ',');
    }
    p->indent--;
}

static void print_windows(Printer *p, const WindowDefList *l)
{
    if (!l->n)
        return;
    clause(p, "WINDOW ");
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        print_name(p, l->v[i].name);
        put(p, " AS ");
        print_window(p, l->v[i].spec);
    }
}

static void print_limits(Printer *p, const Limits *l)
{
    if (l->by.n || l->by_all) {
        clause(p, "LIMIT ");
        print_limit(p, &l->by_limit);
        put(p, " BY ");
        if (l->by_all)
            put(p, "ALL");
        else
            print_list(p, &l->by);
    }
    if (l->limit.count && !l->offset_only) {
        clause(p, "LIMIT ");
        print_limit(p, &l->limit);
    }
    if (l->offset_only) {
        clause(p, "OFFSET ");
        print_at(p, l->offset_only, PREC_LAMBDA);
        put(p, " ROWS");
        if (l->limit.count) {
            put(p, " FETCH FIRST ");
            print_at(p, l->limit.count, PREC_LAMBDA);
            put(p, l->limit.ties ? " ROWS WITH TIES" : " ROWS ONLY");
        }
    }
}

/* WHERE, with a time cutoff's test added when there is one. */
static void print_where(Printer *p, const Expr *where, Name cutoff_by, const char *cutoff_test)
{
    if (!cutoff_test) {
        print_optional(p, "WHERE ", where);
        return;
    }
    clause(p, "WHERE ");
    if (where) {
        put(p, "(");
        print_at(p, where, PREC_ALIAS);
        put(p, ") AND ");
    }
    if (p->cutoff_grouped)
        put(p, "(");
    if (cutoff_by.len) {    /* without a name, the test is whole */
        print_name(p, cutoff_by);
        put(p, " ");
    }
    put(p, cutoff_test);
    if (p->cutoff_grouped)
        put(p, ")");
}

static void print_one_select(Printer *p, const Select *q, Name cutoff_by, const char *cutoff_test)
{
    if (q->with.n)
        print_with(p, &q->with, q->recursive);
    print_items(p, q);
    print_from(p, &q->from);
    print_optional(p, "PREWHERE ", q->prewhere);
    print_where(p, q->where, cutoff_by, cutoff_test);
    print_group_by(p, &q->group);
    print_optional(p, "HAVING ", q->having);
    print_windows(p, &q->windows);
    print_optional(p, "QUALIFY ", q->qualify);
    if (q->order_all) {
        clause(p, "ORDER BY ALL");
        put(p, q->order_all_desc ? " DESC" : "");
        put(p, q->order_all_nulls == 1 ? " NULLS FIRST" : q->order_all_nulls == 2 ? " NULLS LAST" : "");
    } else if (q->order.n) {
        clause(p, "ORDER BY ");
        print_order_items(p, &q->order);
    }
    if (q->has_interpolate) {
        clause(p, "INTERPOLATE");
        for (int i = 0; i < q->interpolate.n; i++) {
            const Expr *e = q->interpolate.v[i];
            put(p, i ? ", " : " (");
            if (e->kind == EX_ALIAS) { /* col AS expr */
                print_name(p, e->name);
                put(p, " AS ");
                print_at(p, e->u.x.a, PREC_LAMBDA);
            } else {
                print_expr(p, e);
            }
        }
        if (q->interpolate.n)
            strbuf_putc(p->out, ')');
    }
    print_limits(p, &q->limits);
    if (q->settings.n) {
        clause(p, "SETTINGS ");
        print_settings(p, &q->settings);
    }
}

void print_select(Printer *p, const Select *q)
{
    static const char *const unions[] = {
        [UNION_ALL] = "UNION ALL", [UNION_DISTINCT] = "UNION DISTINCT", [UNION_DEFAULT] = "UNION",
        [INTERSECT_DEFAULT] = "INTERSECT", [INTERSECT_ALL] = "INTERSECT ALL",
        [INTERSECT_DISTINCT] = "INTERSECT DISTINCT", [EXCEPT_DEFAULT] = "EXCEPT",
        [EXCEPT_ALL] = "EXCEPT ALL", [EXCEPT_DISTINCT] = "EXCEPT DISTINCT",
    };
    const char *cutoff_test = p->cutoff_test;
    p->cutoff_test = NULL;
    for (const Select *s = q; s; s = s->next) {
        bool scoped = s->with.n && p->nctes < PRINT_MAX_CTE_SCOPES;
        if (scoped)
            p->ctes[p->nctes++] = &s->with;
        for (int i = 0; i < s->open; i++) { /* a parenthesized member: kept */
            strbuf_putc(p->out, '(');
            p->indent++;
            print_newline(p);
        }
        print_one_select(p, s, p->cutoff_by, s == q ? cutoff_test : NULL);
        for (int i = 0; i < s->close; i++) {
            p->indent--;
            print_newline(p);
            strbuf_putc(p->out, ')');
        }
        if (scoped)
            p->nctes--;
        if (s->next) {
            clause(p, unions[s->union_kind ? s->union_kind : UNION_ALL]);
            print_newline(p);
        }
    }
}
