/*
 * rules_resolve.h - resolving names (rules_resolve.c), private to the
 * rules modules: levels' parents and role columns after pass one, and the
 * names of expressions while pass two compiles them.
 */
#ifndef EXITCHECK_RULES_RESOLVE_H
#define EXITCHECK_RULES_RESOLVE_H

#include "rules_impl.h"

/* What an expression of level lv can see, besides indicators and
 * parameters. */
typedef struct scope {
    loader *L;
    rule_level *lv;
    int allow_aggs;        /* the level's aggregates (its own targets) */
    int allow_verdict;     /* the unit's verdict (aggregates of a parent) */
    size_t derived_limit;  /* derived values declared before this one */
    const esrc *src;
    const char *suggest;   /* the closest known name to the last unknown one */
} scope;

/* An expr_resolver; ctx is a scope. On an unknown name, sets
 * ctx->suggest to the closest visible name (or NULL) and returns 0. */
int rules_resolve(void *ctx, const char *name, size_t len, expr_symbol *out);

/* Links each level to its parent and child and resolves its role columns
 * to indicators, marking key and parent_key required. */
void rules_resolve_levels(loader *L);
/* Marks as used the key column of any level above its parent that a level
 * also carries (household.county_id), so it is read. */
void rules_mark_ancestor_keys(ruleset *rs);

/* The index of indicator id in lv, or -1. */
int rules_find_ind(const rule_level *lv, const char *id);

#endif
