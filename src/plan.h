/*
 * plan.h - a sampling plan (SPEC §7.1, exitcheck-plan(5)): the strata in
 * which `exitcheck sample` draws villages within each county and
 * households within each drawn village, read from a YAML file and checked
 * like a rule pack.
 *
 * Two steps, because a plan may name the pack it is written for: plan_load
 * reads the file and checks everything that does not depend on a pack
 * (keys, ids, take, method, size given where needed); plan_bind then
 * compiles every `where` and `size` against the pack's levels. Both report
 * every mistake they find at file:line:column and carry on; a plan with
 * any error is not used.
 *
 * What a stage's expressions see (its slots): [0, view->nind) the level's
 * columns as the plan reads its table - the pack's indicators, then the
 * plan's own `columns` of that level; [state_base, +PLAN_STATE__COUNT) the
 * exit states; [param_base, +nparams) the pack's parameters for the row's
 * year. A name resolves to an exit state first, then a column, then a
 * parameter. plan_unit_slots fills the states and parameters of a row.
 *
 * Ownership: the plan owns its strata, expressions and views; the views
 * point at the pack's strings, so the ruleset must outlive the plan.
 */
#ifndef EXITCHECK_PLAN_H
#define EXITCHECK_PLAN_H

#include <stddef.h>

#include "diag.h"
#include "expr.h"
#include "rules.h"

typedef enum { PLAN_VILLAGES, PLAN_HOUSEHOLDS } plan_stage_id;
enum { PLAN__STAGES = PLAN_HOUSEHOLDS + 1 };

typedef enum { PLAN_SRS, PLAN_PPS } plan_method;

/* The exit states of SPEC §3 a `where` may read. */
typedef enum { PSTATE_REGISTERED, PSTATE_CLAIMED, PSTATE_EXITED, PSTATE_EXITED_EARLIER } plan_state;
enum { PSTATE__COUNT = PSTATE_EXITED_EARLIER + 1 };
extern const char *const plan_state_names[PSTATE__COUNT];

enum { PLAN_TAKE_ALL = -1 };

typedef struct plan_stratum {
    const char *id;
    text2 title;
    const char *note;
    const char *where_text;   /* NULL: every unit that reaches the stratum */
    expr *where;              /* compiled by plan_bind */
    long take;                /* a positive count, or PLAN_TAKE_ALL */
    plan_method method;
    const char *size_name;    /* pps: the size column's name; NULL for srs */
    int size;                 /* pps: its slot (a column) after plan_bind; -1 otherwise */
    srcpos pos;
} plan_stratum;

typedef struct plan_stage {
    plan_stratum *strata;
    size_t nstrata;
    int level;                /* the pack level drawn, after plan_bind */
    const rule_level *view;   /* that level as the plan reads its table, after plan_bind */
    int state_base, param_base;
    size_t nslots;
    const int *params;        /* the parameter slots some expression reads */
    size_t nparams_read;
} plan_stage;

typedef struct plan plan;

/* Reads and checks path. NULL after diagnostics when it cannot be read or
 * is not a mapping; a plan with mistakes (diagnosed) is returned all the
 * same, so that plan_bind reports the mistakes in its expressions too in
 * the same run, and then fails. */
plan *plan_load(const char *path, diag_list *d);
void plan_free(plan **p);

const char *plan_id(const plan *p);
const char *plan_version(const plan *p);          /* NULL when not given */
text2 plan_title(const plan *p);
const char *plan_source(const plan *p);           /* NULL when not given */
const char *plan_path(const plan *p);
const char *plan_sha256(const plan *p);           /* of the file's raw bytes */
/* The pack the plan names (its `pack`), or NULL; *pos its position. */
const char *plan_pack(const plan *p, srcpos *pos);

/* Compiles the plan against rs: the villages are the level above the
 * bottom one, drawn within each unit of the level above them (when there
 * is one); the households are the bottom level. Returns 0, or -1 after
 * diagnostics. */
int plan_bind(plan *p, const ruleset *rs, diag_list *d);

const plan_stage *plan_get_stage(const plan *p, plan_stage_id s);

/* Fills slots [view->nind, nslots) of a row of stage s whose columns are
 * in slots [0, view->nind): the exit states and the parameters its
 * expressions read. */
void plan_unit_slots(const plan *p, plan_stage_id s, value *slots);
/* The index of the first stratum of stage s whose `where` holds for the
 * row (unknown does not hold), -1 for none. */
int plan_stratum_of(const plan *p, plan_stage_id s, const value *slots);

/* 1 when path looks like a plan (a YAML mapping with a top-level `plan`
 * key), for lint; reads at most the start of the file. */
int plan_sniff(const char *path);

#endif
