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
    long by_waiver;                   /* units that meet the standard (pass or warn) only by waiver */
    claim_tally claims;               /* this year's exits */
    claim_tally earlier;              /* earlier exits */
    long orphans;                     /* units whose parent is not in the parent table */
    long unmatched;                   /* units that match no unit of the nearest ancestor table read */
    long differs;                     /* reported figures (unit x recomputed indicator) that differ */
    long *target_fail;                /* per target: units not meeting it */
    long *target_unknown;
    long *target_warn;
    long *target_waived;              /* per target: units for which it is waived */
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

/* Links a unit of level lv, whose row's values are vals, to its kept
 * ancestors: anc[L] receives its ancestor's index in level L, -1 when
 * none. The direct parent is the one its parent key names; a higher
 * ancestor is the one its own column for that level names, where it has
 * one and the id is in that level's table (household.county_id: a
 * household whose village is missing still counts to its county), else
 * its parent's. Sets u->orphan (the parent
 * table was read and does not hold the parent) and u->unmatched (the
 * nearest ancestor level whose table was read holds no unit it names).
 * With warn, orphans and an own ancestor id that differs from the
 * parent's are warnings at path:line. Returns anc[lv->parent] (-1 for a
 * top-level unit). */
long rollup_link(rollup *r, const rule_level *lv, const value *vals, const char *path, long line, long *anc,
                 unit_rec *u, int warn);

/* Counts an evaluated unit into its level's summary. */
void rollup_count(rollup *r, const unit_rec *u);
/* Counts an evaluated unit into the `below` of each ancestor that
 * rollup_link found for it (anc). */
void rollup_add(rollup *r, const unit_rec *u, const long *anc);
/* Takes back everything level's units added to its summary and to their
 * ancestors' `below`. Only valid while no other level has been counted
 * into those ancestors (the bottom level, before the upper levels roll
 * up). */
void rollup_reset(rollup *r, int level);

/* When more than half of level's units match no unit of the nearest
 * ancestor table read, the first id that did not (*id) and that
 * ancestor's level (*ancestor); 0 otherwise. */
int rollup_mismatch(const rollup *r, int level, const char **id, int *ancestor);

/* What the mismatched ids suggest (rollup_mismatch_hint). */
typedef enum {
    IDHINT_NONE,        /* nothing recognisable: the ids differ */
    IDHINT_DOT_ZERO,    /* '621123001.0', as Excel or pandas write a number */
    IDHINT_APOSTROPHE,  /* a leading ', Excel's mark for text */
    IDHINT_EXPONENT,    /* '6.21123E+08', as Excel shows a long number */
    IDHINT_FULLWIDTH,   /* full-width digits */
    IDHINT_SPACES,      /* non-breaking or other spaces that are not trimmed */
    IDHINT_PARENT_DOT_ZERO,  /* the ancestor table's ids end in '.0' */
    IDHINT_PARENT_APOSTROPHE /* the ancestor table's ids begin with ' */
} rollup_id_hint;
enum { IDHINT__COUNT = IDHINT_PARENT_APOSTROPHE + 1 };

/* The likely cause of a mismatch: from the spelling of id (an id that
 * matched no unit of level ancestor), and whether a respelling of it is an
 * id of that level. */
rollup_id_hint rollup_mismatch_hint(const rollup *r, const char *id, int ancestor);

/* The level's summary (counters only grow through the calls above). */
level_summary *rollup_summary(rollup *r, int level);
/* The kept units of upper level `level`, in input order. */
size_t rollup_units(rollup *r, int level, unit_rec **units);

#endif
