/*
 * rules_compile.h - pass two of rules_load (rules_compile.c), private to
 * the rules modules: slots and compiled expressions of each level.
 */
#ifndef EXITCHECK_RULES_COMPILE_H
#define EXITCHECK_RULES_COMPILE_H

#include "rules_impl.h"

/* Lays out lv's slots, checks that its names do not collide, and compiles
 * its derived values, targets and recomputations. Needs the levels'
 * parents and role columns resolved (rules_resolve_levels). */
void rules_compile_level(loader *L, rule_level *lv);
/* Compiles lv's aggregates in the scope of the level each runs over; call
 * once rules_compile_level has run for every level, as they read the
 * child's derived values. */
void rules_compile_aggregates(loader *L, rule_level *lv);

#endif
