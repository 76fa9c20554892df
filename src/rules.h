/*
 * rules.h - a rule pack: levels, indicators, parameters, derived values,
 * aggregates over child units, recomputed figures and targets, loaded from
 * YAML files (see exitcheck-rules(5)).
 *
 * rules_load reads a pack directory (its pack.yaml and the files that
 * pack.yaml includes), checks every key, name and expression, reports every
 * problem it finds with file:line:column, and returns NULL if there was any
 * error. A loaded ruleset is immutable except for parameter overrides
 * (rules_set_param), which must happen before evaluation starts.
 *
 * Every value an expression of a level can see is a slot of that level:
 *
 *   [0, nind)                       indicators (columns of the level's table)
 *   [param_base, +nparams)          the pack's parameters, for the row's year
 *   [derived_base, +nderived)       derived values, in declaration order
 *   [agg_base, +nagg)               aggregates over child units
 *   [verdict_base, +VERDICT__COUNT) the unit's own verdict (visible only to
 *                                   its parent's aggregates)
 *
 * Ownership: the ruleset owns everything reachable from it; the views
 * returned by the accessors live as long as the ruleset.
 */
#ifndef EXITCHECK_RULES_H
#define EXITCHECK_RULES_H

#include <stddef.h>

#include "aggregate.h"
#include "diag.h"
#include "expr.h"

/* Levels in one pack (county, village, household, and room for more such
 * as a township): arrays indexed by level are sized by this. */
enum { RULES_MAX_LEVELS = 8 };

typedef enum { IND_NUMBER, IND_INTEGER, IND_BOOL, IND_TEXT } ind_type;
enum { IND__COUNT = IND_TEXT + 1 };
typedef enum { SEV_BLOCK, SEV_WARN } target_severity;

/* Verdict builtins, in slot order after verdict_base. */
typedef enum {
    VERDICT_MEETS,        /* status pass or warn */
    VERDICT_FAILS,        /* status fail */
    VERDICT_UNDECIDED,    /* status unknown */
    VERDICT_CLAIMS,       /* claims exit this year */
    VERDICT_SUPPORTED,    /* has exited (this year or earlier) and meets */
    VERDICT_WRONG_EXIT,   /* has exited and fails */
    VERDICT_UNSUPPORTED,  /* has exited, status unknown */
    VERDICT_EXITED,       /* has exited, this year or earlier */
    VERDICT_EXITED_EARLIER, /* exited in an earlier year */
    VERDICT_REGISTERED,   /* in the poverty register (a registered household, a
                             poor village): its `registered` column says so,
                             or the level or table has no such column */
    VERDICT__COUNT
} verdict_builtin;

extern const char *const verdict_names[VERDICT__COUNT];

typedef struct text2 {
    const char *en, *zh;   /* either may be NULL */
} text2;

typedef struct srcpos {
    const char *file;
    long line, column;
} srcpos;

typedef struct rule_indicator {
    const char *id;
    ind_type type;
    const char *unit;         /* NULL when none */
    int percent;              /* unit: percent; cells may end in % */
    int has_min, has_max;
    double min, max;
    text2 title;
    const char *zh;           /* canonical Chinese header, or NULL */
    const char **aliases;
    size_t naliases;
    const char **codes;       /* text: the accepted codes (values:), or NULL for any text */
    size_t ncodes;
    int required;             /* some expression or role needs the column */
    int used;                 /* read when present, not required (a recomputed figure) */
    int optional;             /* optional: true: a table may lack the column even where an
                                 expression reads it (its cells are then unknown) */
    double tol_abs, tol_rel;  /* tolerance: a survey and the register agree when
                                 |survey - register| <= max(tol_abs, tol_rel * |survey|); 0: exact */
    srcpos pos;
    /* bool: extra spellings of yes and of no (values: {yes: [...], no: [...]}),
     * read besides the built-in ones; NULL when none */
    const char **yes_words, **no_words;
    size_t nyes, nno;
} rule_indicator;

typedef struct param_value {
    int year;
    double value;
    int confirmed;
    const char *source;
} param_value;

typedef struct rule_param {
    const char *id;
    text2 title;
    const char *unit, *note;
    param_value *values;
    size_t nvalues;
    int overridden;           /* --param NAME=VALUE: applies to every year */
    double override;
    int used;                 /* some expression reads it */
    srcpos pos;
} rule_param;

typedef struct rule_case {
    expr *when;               /* NULL for the final 'else' */
    expr *value;
} rule_case;

typedef struct rule_derived {
    const char *id;
    text2 title;
    const char *note;
    const char *text;         /* expression source, or NULL with cases */
    expr *e;                  /* NULL with cases */
    rule_case *cases;
    size_t ncases;
    vtype type;
    srcpos pos;
} rule_derived;

typedef struct rule_aggregate {
    const char *id;
    text2 title;
    agg_kind kind;
    int of;                   /* the child level it runs over */
    expr *where;              /* NULL = every child */
    expr *value;              /* sum/min/max; evaluated in the child's slots */
    const char *where_text, *value_text;
    srcpos pos;
} rule_aggregate;

typedef struct rule_recompute {
    int indicator;            /* index into the level's indicators */
    const char *text;
    expr *e;
    double tolerance;         /* absolute; a larger difference is flagged */
    srcpos pos;
} rule_recompute;

typedef struct rule_target {
    const char *id;
    text2 title;
    const char *seed;         /* the source document's own wording */
    const char *require;      /* expression source */
    const char *note;         /* how the requirement was read */
    target_severity severity;
    int waivable;             /* a waiver may excuse it (waivable: false: never; a waiver for it is an error) */
    expr *e;
    srcpos pos;
} rule_target;

typedef struct rule_level {
    const char *id;
    text2 title;
    int index;
    int parent, child;        /* level indices, -1 when none */
    int key, parent_key, name, year, claim;  /* indicator indices, -1 when none */
    int exit_year, registered, people;       /* likewise: the status columns across years
                                                and the column that counts the unit's people */
    const char *file;         /* default table name in a data directory */
    rule_indicator *ind;
    size_t nind;
    rule_derived *derived;
    size_t nderived;
    rule_aggregate *agg;
    size_t nagg;
    rule_recompute *recompute;
    size_t nrecompute;
    rule_target *targets;
    size_t ntargets;
    int param_base, derived_base, agg_base, verdict_base;
    size_t nslots;
    expr *identify;           /* the identification standard (who should be registered), or NULL */
    const char *identify_text;
    text2 identify_title;
    const char *identify_note;
    srcpos identify_pos;
    srcpos pos;
    int own_format;           /* a view of one of exitcheck's own files (a manifest, a waiver file), not
                                 a level of the pack: its missing columns are the file's, never the rules' */
} rule_level;

/* The four figures of a field verification (SPEC §7), in percent. */
typedef enum { RATE_WRONG_EXIT, RATE_MISSED, RATE_RECOGNITION, RATE_COMPREHENSIVE } verify_rate;
enum { RATE__COUNT = RATE_COMPREHENSIVE + 1 };
/* "wrong_exit_rate", "missed_rate", "recognition", "comprehensive_rate". */
extern const char *const verify_rate_names[RATE__COUNT];

typedef enum { VOP_LT, VOP_LE, VOP_GT, VOP_GE } veto_op;

/* A veto of the pack's `verification`: RATE OP THRESHOLD, the threshold a
 * number or a parameter (for the year). */
typedef struct rule_veto {
    const char *id;
    text2 title;
    const char *require, *note;
    verify_rate rate;
    veto_op op;
    int param;                /* index of the threshold's parameter, -1 for a number */
    double number;
    srcpos pos;
} rule_veto;

typedef struct rule_file {
    const char *path;
    char sha256[65];
} rule_file;

typedef struct ruleset ruleset;

/* path: a pack directory, or the path of its pack.yaml. */
ruleset *rules_load(const char *path, diag_list *d);
void rules_free(ruleset **rs);

const char *rules_id(const ruleset *rs);
const char *rules_version(const ruleset *rs);
text2 rules_title(const ruleset *rs);
const char *rules_source(const ruleset *rs);
/* The years of data the pack declares it applies to ('years' of 'pack',
 * both inclusive): 1 when it declares a range, with *from and *to (either
 * may be NULL) set, 0 for a bound not given; 0 and both 0 when it declares
 * none. */
int rules_years(const ruleset *rs, int *from, int *to);
const char *rules_dir(const ruleset *rs);

size_t rules_nlevels(const ruleset *rs);
const rule_level *rules_level(const ruleset *rs, size_t i);   /* top level first */
int rules_find_level(const ruleset *rs, const char *id);      /* -1 if none */

size_t rules_nparams(const ruleset *rs);
const rule_param *rules_param(const ruleset *rs, size_t i);
/* Overrides parameter name (all years). Returns 0, or -1 and a diagnostic
 * when the pack has no such parameter. */
int rules_set_param(ruleset *rs, const char *name, double v, diag_list *d);
/* The parameter's value for year (have_year = 0: no year known). Unknown
 * with WHY_NO_PARAM when there is none; *entry (may be NULL) receives the
 * table entry used, NULL for an override. */
value rules_param_value(const rule_param *p, int have_year, int year, const param_value **entry);

size_t rules_nfiles(const ruleset *rs);
const rule_file *rules_file(const ruleset *rs, size_t i);

/* The vetoes of the pack's `verification`, in order; none when it has no
 * such section. */
size_t rules_nvetoes(const ruleset *rs);
const rule_veto *rules_veto(const ruleset *rs, size_t i);
/* The threshold of veto v for the year (unknown when its parameter has no
 * value then). */
value rules_veto_threshold(const ruleset *rs, const rule_veto *v, int have_year, int year);
/* Whether rate meets veto v's comparison with threshold t (both known). */
int rules_veto_holds(const rule_veto *v, double rate, double t);

/* Finds a target by id (case-insensitive); *level receives its level. */
const rule_target *rules_find_target(const ruleset *rs, const char *id, const rule_level **level);
size_t rules_ntargets(const ruleset *rs);

/* Makes lv a view of one of exitcheck's own files (a manifest, a waiver
 * file) for the table reader: named id, the nind columns ind (borrowed),
 * key the column of its ids, no other role, no parent or child level,
 * own_format set (its missing columns are the file's, not the rules'). */
void rules_own_view(rule_level *lv, const char *id, rule_indicator *ind, size_t nind, int key);

/* A level as a message names it: its Chinese title in Chinese messages
 * (where the pack gives one), else its id ("household"). */
const char *rules_level_word(const rule_level *lv, int zh);

/* The name of slot s of level lv ("income_per_capita", "poverty_line",
 * "meets"...). */
const char *rules_slot_name(const ruleset *rs, const rule_level *lv, int slot);

/* An indicator type's name in rule files ("number", "integer", ...). */
const char *ind_type_name(ind_type t);
/* 0 and *out set when name is a type's name; -1 otherwise. */
int ind_type_parse(const char *name, ind_type *out);
/* The type an expression sees of a column of type t. */
vtype rules_ind_vtype(ind_type t);

#endif
