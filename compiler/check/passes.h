/* The passes check.c runs, and what they share (inside check/ only). */
#ifndef MVD_PASSES_H
#define MVD_PASSES_H

#include "project/project.h"

void declare_objects(Project *p);
void resolve_objects(Project *p);
void check_engines(Project *p);
void check_cycles(Project *p);
void check_targets(Project *p);
void check_triggers(Project *p);
void check_backfill(Project *p);

/* declare.c: a lineage name resolved to its object, reported when unknown. */
Object *declare_lookup_source(Project *p, Decl *d, QName *q, const char *role);
void declare_explain_unknown(Project *p, Diag *g, Name name);
void declare_explain_mv_target(Project *p, Diag *g, Object *mv, const char *verb);
/* resolve.c: the output columns of a view (resolving it first) or a table. */
const OutColumnList *resolve_object_columns(Project *p, Object *o, bool *known);

/* dictionary.c: a dictionary's declaration, and the dictGet family. */
void dictionary_check(Project *p, Decl *d, Object *o);
/* What the first argument of a dictGet-family call names. */
typedef struct DictRef {
    bool named;        /* a plain string literal */
    bool unqualified;  /* 'd' rather than 'db.d' */
    Name db, name;
    Span at;           /* the literal */
    Object *object;    /* the declared object of that name, if any */
} DictRef;
bool dictionary_is_lookup(const Expr *call);
DictRef dictionary_ref(Project *p, const Expr *call, const char *src);
/* Whether its second argument names an attribute (dictGet, not dictHas). */
bool dictionary_attribute_arg(const Expr *call);
Name dictionary_attribute_name(Project *p, const Expr *call, const char *src);
const OutColumn *dictionary_attribute(const Object *dict, Name attr);
bool dictionary_is_key(const Object *dict, Name col);

#endif
