/*
 * unit.h - the evaluated-unit record: one county, village or household as
 * evaluation fills it in, roll-ups count it, the spool stores it and the
 * reports read it. Every stage after the table passes this one type.
 *
 * A record's arrays are sized by its level: slots (level->nslots values:
 * indicators, parameters, derived values, aggregates, verdicts, in the
 * order rules.h gives), tstatus (one unit_status per target), and reported,
 * applied, differs (one per recompute entry).
 *
 * Lifetime: an upper-level record (every level but the bottom one) is
 * owned by the checker and lives until check_free; its `below` holds what
 * roll-ups counted into it. A bottom-level record (a household) lives only
 * for the callback that receives it: its arrays are the checker's scratch
 * space, reused for the next one, and its `below` is all zero. Copy what
 * must outlive the callback.
 */
#ifndef EXITCHECK_UNIT_H
#define EXITCHECK_UNIT_H

#include "rules.h"
#include "value.h"

typedef enum { ST_PASS, ST_FAIL, ST_UNKNOWN, ST_WARN } unit_status;
enum { ST__COUNT = ST_WARN + 1 };
typedef enum { CLAIM_NONE, CLAIM_SUPPORTED, CLAIM_WRONG, CLAIM_UNSUPPORTED } claim_status;
enum { CLAIM__COUNT = CLAIM_UNSUPPORTED + 1 };

/* "pass", "fail", "unknown", "warn" (the JSON report's names). */
const char *unit_status_name(unit_status s);
/* "none", "supported", "wrong_exit", "unsupported". */
const char *claim_status_name(claim_status c);

typedef struct claim_tally {
    long claimed, supported, wrong, unsupported;
} claim_tally;

/* Counts one claim outcome in (CLAIM_NONE counts nothing). */
void claim_tally_add(claim_tally *t, claim_status c);

/* What roll-ups counted into an upper-level unit from its descendants. */
typedef struct unit_below {
    long children;            /* child units counted in */
    long desc[RULES_MAX_LEVELS]; /* descendants counted in, per level */
    claim_tally leaf_claims;  /* claims of its bottom-level descendants */
    agg_acc *acc;             /* per aggregate of the level; NULL for the bottom level */
} unit_below;

typedef struct unit_rec {
    const rule_level *level;
    long line;                /* the physical line its row starts on */
    const char *id;
    const char *parent, *name;   /* NULL when the level has no such column or the cell is empty */
    value *slots;
    unsigned char *tstatus;
    value *reported;          /* per recompute entry: the figure as the table gives it */
    unsigned char *applied;   /* per recompute entry: the unit has the child data, the figure was recomputed */
    unsigned char *differs;   /* per recompute entry: |reported - recomputed| > tolerance */
    unit_status status;
    claim_status claim;
    int orphan;               /* its parent table was read and does not hold its parent */
    long parent_idx;          /* its parent's index in the parent level, -1 when none */
    unit_below below;
} unit_rec;

/* 1 when child data of some level below was counted into u. */
int unit_has_children(const unit_rec *u);

/* The unit's status from the set of its targets' statuses (bit 1 << st
 * for each status st that some target has): fail when a blocking target is
 * not met, else unknown when one is unknown, else warn when a warning
 * target is not met, else pass. */
static inline unit_status unit_status_of(unsigned seen)
{
    return seen & (1u << ST_FAIL)      ? ST_FAIL
           : seen & (1u << ST_UNKNOWN) ? ST_UNKNOWN
           : seen & (1u << ST_WARN)    ? ST_WARN
                                       : ST_PASS;
}
/* The outcome of an exit claim by a unit of that status. */
claim_status unit_claim_of(int claims, unit_status status);
/* Sets the verdict slots (meets, fails, ... unsupported) of u from its
 * status and claim, so that its parent's aggregates can read them. */
void unit_set_verdicts(const rule_level *lv, value *slots, unit_status status, claim_status claim);

#endif
