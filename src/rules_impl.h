/*
 * rules_impl.h - private to the rules modules (rules.c and the rules_*.c
 * stages); nothing else includes it. The public API is rules.h.
 *
 * What the stages share: the ruleset being built, the loader (that
 * ruleset, where diagnostics go, the YAML document pass one is reading and
 * the error count), and the source of every expression, which pass one
 * keeps for pass two (esrc, level_src).
 *
 * Invariants: levels[i] and lsrc[i] describe the same level, for every i
 * below nlevels <= RULES_MAX_LEVELS; level_src lives from pass one to the
 * end of pass two only (rules_load frees it before it returns); every
 * error reported through a loader counts in L->errors, and any error makes
 * rules_load return NULL.
 */
#ifndef EXITCHECK_RULES_IMPL_H
#define EXITCHECK_RULES_IMPL_H

#include "rules.h"
#include "mem.h"
#include "yamldoc.h"

#include <stddef.h>

/* The source of an expression, kept until pass two compiles it. */
typedef struct esrc {
    const char *text;
    size_t len;
    srcpos pos;        /* of the scalar */
    const char *line;  /* the source line when the mapping is exact, else NULL */
    size_t linelen;
    size_t col0;       /* 0-based byte column of text[0] in line */
} esrc;

/* The columns a level names by role, as keys of its entry in pack.yaml. */
typedef enum {
    ROLE_KEY, ROLE_PARENT_KEY, ROLE_NAME, ROLE_YEAR, ROLE_CLAIM,
    ROLE_EXIT_YEAR, ROLE_REGISTERED, ROLE_PEOPLE,
    ROLE__COUNT
} level_role;

/* The pack.yaml key of each role ("key", "parent_key", ...), also its name
 * in messages. */
extern const char *const rules_role_keys[ROLE__COUNT];

typedef struct level_src {
    esrc *derived_expr;      /* per derived: expr, or text NULL */
    esrc **case_when, **case_value;
    esrc *agg_where, *agg_value;
    esrc *recompute;
    esrc *target;
    const char **agg_of_name;
    srcpos *agg_of_pos;
    const char **recompute_ind_name;
    const char *parent_name;
    srcpos parent_pos;
    esrc identify;           /* the level's `identify`, or text NULL */
    const char *role_name[ROLE__COUNT];  /* by level_role; NULL when not given */
    srcpos role_pos[ROLE__COUNT];
    size_t cap_ind, cap_derived, cap_agg, cap_recompute, cap_targets;
} level_src;

struct ruleset {
    arena *a;
    char *dir;
    const char *id, *version, *source;
    text2 title;
    int has_years, year_from, year_to; /* 'years' of 'pack'; 0: not given */
    rule_level levels[RULES_MAX_LEVELS];
    level_src lsrc[RULES_MAX_LEVELS];
    size_t nlevels;
    rule_param *params;
    size_t nparams, cap_params;
    rule_file *files;
    size_t nfiles, cap_files;
    rule_veto *vetoes;
    size_t nvetoes;
    const char **veto_threshold;  /* per veto: the parameter its threshold names, resolved after loading */
    esrc *veto_src;               /* per veto: its require, for a message at the threshold */
};

/* What reads a YAML document: the ruleset being built (NULL for a
 * sampling plan, which plan.c reads with the same helpers), where
 * diagnostics go, the document and the stable copy of its path that
 * positions name, the arena strings are copied to, and the error count. */
typedef struct loader {
    ruleset *rs;
    diag_list *d;
    ydoc *doc;
    int errors;
    arena *a;
    const char *path;
} loader;

/* ---------- defined in rules.c ---------- */

/* An error at pos (no excerpt); counts in L->errors. */
void rules_err_pos(loader *L, srcpos pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Out of memory: recorded once in the diagnostics; counts in L->errors. */
void rules_oom(loader *L);
/* The level declared as id, or NULL. */
rule_level *rules_level_named(ruleset *rs, const char *id);

#endif
