/*
 * rollup.h - roll-ups: the kept units of the upper levels, the link from a
 * unit to its parent, and the counters that evaluated units add to.
 *
 * The upper levels' units (counties, villages) are kept here, found by id;
 * each has a `below` that its descendants are counted into. A bottom-level
 * unit (a household) is never kept: it is counted as it comes.
 *
 * Two kinds of counter, each with one add and one reset:
 * - a level's summary (units by status, claims, per-target tallies,
 *   orphans, differing figures): rollup_count adds a unit to it;
 * - an upper unit's `below` (children, descendants per level, claims of
 *   bottom-level descendants, aggregate accumulators): rollup_add adds a
 *   unit to each of its ancestors.
 * rollup_reset takes back everything a level's units added to both, so a
 * level can be counted again from the start (the duplicate-settling path
 * does) without anyone having to remember a counter.
 *
 * Ownership: the rollup owns the kept units, their text and their arrays;
 * they live until rollup_free.
 */
#ifndef EXITCHECK_ROLLUP_H
#define EXITCHECK_ROLLUP_H

#include "diag.h"
#include "rules.h"
#include "unit.h"

typedef struct level_summary {
    long units, pass, fail, unknown, warn;
    claim_tally claims;
    long orphans;
    long differs;                     /* reported figures (unit x recomputed indicator) that differ */
    long *target_fail;                /* per target: units not meeting it */
    long *target_unknown;
    long *target_warn;
} level_summary;

typedef struct rollup rollup;

/* rs and d must outlive the rollup. NULL after a diagnostic when out of
 * memory. */
rollup *rollup_new(const ruleset *rs, diag_list *d);
void rollup_free(rollup **r);

/* Level L's table was read: units of the level below can be linked to its
 * units (without it, they are not orphans, they have no parent to find). */
void rollup_set_read(rollup *r, int level, const char *path);

/* Keeps a unit of upper level lv from its row's values (copied), linked to
 * its parent (warning when the parent is missing or inconsistent). Returns
 * the kept unit; NULL with *dup_line set when the id was kept before (the
 * caller reports the duplicate), NULL with *dup_line 0 when out of memory
 * (a diagnostic has been added). */
unit_rec *rollup_keep(rollup *r, const rule_level *lv, const value *vals, long line, const char *path,
                      long *dup_line);

/* The index, in lv's parent level, of the parent that vals name, or -1
 * (*orphan set when the parent table was read but does not hold it).
 * With warn, an orphan or an ancestor id that differs from the parent's
 * own (household.county_id) is a warning at path:line. */
long rollup_find_parent(rollup *r, const rule_level *lv, const value *vals, const char *path, long line, int *orphan,
                        int warn);

/* Counts an evaluated unit into its level's summary. */
void rollup_count(rollup *r, const unit_rec *u);
/* Counts an evaluated unit of lv, whose slots are given, into every
 * ancestor's `below`, starting with unit parent_idx of the parent level. */
void rollup_add(rollup *r, const rule_level *lv, const value *slots, claim_status claim, long parent_idx);
/* Takes back everything level's units added to its summary and to their
 * ancestors' `below`. Only valid while no other level has been counted
 * into those ancestors (the bottom level, before the upper levels roll
 * up). */
void rollup_reset(rollup *r, int level);

/* The level's summary (counters only grow through the calls above). */
level_summary *rollup_summary(rollup *r, int level);
/* The kept units of upper level `level`, in input order. */
size_t rollup_units(rollup *r, int level, unit_rec **units);

#endif
