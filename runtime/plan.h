/* plan: a plan file, read and verified before mvrun makes any network
 * call. docs/plan-format.md fixes every byte; plan_read.c refuses a plan
 * that breaks any rule there, and says whether the plan is malformed or
 * was edited after mvdc generated it. */
#ifndef MVRUN_PLAN_H
#define MVRUN_PLAN_H

#include <stddef.h>

#define PLAN_HASH_LEN 64
/* A state: "absent", "present" or a 64-hex object hash. */
typedef struct PlanState {
    char s[PLAN_HASH_LEN + 1];
} PlanState;

typedef enum ObjectKind {
    KIND_DATABASE,
    KIND_TABLE,
    KIND_VIEW,
    KIND_MATERIALIZED_VIEW,
    KIND_FUNCTION,
    KIND_DICTIONARY,
} ObjectKind;

/* A name as the plan writes it, and its parts unescaped. */
typedef struct PlanName {
    char *text;         /* as written, backquotes included: web.page_views */
    char *db;           /* NULL for a database or a function */
    char *name;
    /* The same name however it was quoted: parts backquoted only when
     * they are not plain identifiers. What the registry and the lookups
     * key on, so that a keyword quoted by one mvdc and not by another is
     * one object. */
    char *key;
} PlanName;

typedef struct PlanColumn {
    char *name;         /* unescaped */
    char *type;         /* as system.columns.type spells it */
} PlanColumn;

/* @state: a shape a table can be in, to recognise it in system.columns. */
typedef struct PlanShape {
    ObjectKind kind;
    PlanName name;
    PlanState hash;
    char *engine;
    PlanColumn *columns;
    size_t n_columns;
    size_t line;
} PlanShape;

/* @object: a managed object and its state once the plan is done. */
typedef struct PlanObject {
    ObjectKind kind;
    PlanName name;
    PlanState state;        /* "present" for a database */
    PlanName target;        /* target.text NULL when there is none */
    size_t line;
} PlanObject;

/* @dropped (a table the sources say to drop) or @removed (a view, MV or
 * function the sources no longer declare): an object the plan drops. */
typedef struct PlanDropped {
    ObjectKind kind;
    PlanName name;
    int removed;                /* 1: @removed, 0: @dropped */
    size_t line;
} PlanDropped;

typedef enum PlanPhase { PHASE_TEARDOWN, PHASE_SETUP } PlanPhase;
typedef enum GuardKind { GUARD_WHEN, GUARD_UNLESS } GuardKind;

typedef struct PlanStep {
    unsigned number;            /* 1, 2, ... */
    PlanPhase phase;
    char action[16];            /* create, drop, alter, replace, modify-query, rename, truncate, backfill, shadow, swap */
    ObjectKind kind;
    PlanName name;
    GuardKind guard;
    PlanState *guard_states;
    size_t n_guard_states;
    PlanState sets;
    char *src;                  /* the declaring file as written (printable ASCII), or "-" */
    size_t line;                /* of the header, in the plan file */
    const char *sql;            /* the statement without its final ';', in Plan.bytes */
    size_t sql_len;
    char sha256[PLAN_HASH_LEN + 1];
    int destructive;
    unsigned window;            /* 0: none; else the number of the step that creates the MV again
                                 * (with until=: that creates the until= MV) */
    PlanName until;             /* until=: on a window drop of an @removed MV, the MV that replaces it,
                                 * whose create ends the window; until.text NULL when there is none */
    size_t select_at;           /* select=: where in sql its SELECT starts; 0: none */
    PlanName target;            /* target=: the table a truncate/backfill step of an MV writes;
                                 * target.text NULL when there is none */
    int cutoff;                 /* cutoff: the statement reads the MV's time cutoff (cutoff.c) */
    PlanName chunks;            /* chunks=: a fill chunk by chunk (fill.c), of this source's partitions;
                                 * chunks.text NULL when the fill is one statement */
    char fill_id[17];           /* a chunked fill: the 16 hex digits of its stage <registry>.fill_<id> */
    PlanName from;              /* from=: the @removed MV a rename step of an MV renames into this one
                                 * (its guard names that MV's states); from.text NULL when there is none */
} PlanStep;

typedef struct Plan {
    char *path;                 /* as given, for messages */
    char *bytes;                /* the whole file */
    size_t size;
    char sha256[PLAN_HASH_LEN + 1];
    char *clickhouse;           /* @option clickhouse */
    char *registry;             /* @option registry, unescaped */
    char *cluster;              /* @option cluster, unescaped; NULL when unset */
    PlanObject *objects;
    size_t n_objects;
    PlanDropped *dropped;
    size_t n_dropped;
    PlanShape *shapes;
    size_t n_shapes;
    PlanStep *steps;
    size_t n_steps;
} Plan;

typedef enum PlanErrorKind {
    PLAN_ERR_IO,        /* cannot read the file */
    PLAN_ERR_FORMAT,    /* not a plan, or a rule of the format is broken */
    PLAN_ERR_EDITED,    /* a checksum does not match: edited after mvdc wrote it */
} PlanErrorKind;

typedef struct PlanError {
    PlanErrorKind kind;
    char message[768];  /* PATH[:LINE]: what is wrong */
} PlanError;

/* Reads and verifies the plan at path. Returns 0, or -1 with *err filled
 * and *plan empty (plan_free is harmless either way). */
int plan_read_file(const char *path, Plan *plan, PlanError *err);

/* The same on size bytes in memory (copied); name is used in messages.
 * check_hashes 0 skips the checksums, for the fuzzer only: it can
 * then reach what lies behind them. */
int plan_parse(const char *name, const char *bytes, size_t size, int check_hashes, Plan *plan,
               PlanError *err);

void plan_free(Plan *plan);

const char *plan_kind_name(ObjectKind kind);

/* 1 when the two names denote the same object. */
int plan_same_object(ObjectKind k1, const PlanName *n1, ObjectKind k2, const PlanName *n2);
/* The first backfill step after step i (its index) on the same object, or NULL. */
const PlanStep *plan_fill_after(const Plan *plan, size_t i);
/* PlanName.key of db.name (db NULL: a function), malloc'd. */
char *plan_name_key(const char *db, const char *name);
/* The name of MV mv's shadow while a plan swaps it in (shadow and swap
 * steps, docs/mv-changes.md): its database, PLAN_SHADOW_PREFIX and its
 * name. Release with plan_name_release. */
void plan_shadow_name(const PlanName *mv, PlanName *out);
void plan_name_release(PlanName *name);

#endif
