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

#include "diag.h"
#include "rules.h"
#include "value.h"

/* A unit's status is one of the first four; a target's may also be
 * ST_WAIVED: not met or unknown, and excused by a documented waiver
 * (waiver.h), which the unit's status counts as met. */
typedef enum { ST_PASS, ST_FAIL, ST_UNKNOWN, ST_WARN, ST_WAIVED } unit_status;
enum { ST__COUNT = ST_WARN + 1, TST__COUNT = ST_WAIVED + 1 };
typedef enum { CLAIM_NONE, CLAIM_SUPPORTED, CLAIM_WRONG, CLAIM_UNSUPPORTED } claim_status;
enum { CLAIM__COUNT = CLAIM_UNSUPPORTED + 1 };

/* Which exit a unit has (SPEC §3, "Status across years"), with Y the
 * row's year: this year's when claimed_exit is yes or exit_year = Y; an
 * earlier one when exit_year < Y. */
typedef enum { UEXIT_NONE, UEXIT_THIS_YEAR, UEXIT_EARLIER } unit_exit;
enum { UEXIT__COUNT = UEXIT_EARLIER + 1 };

/* "pass", "fail", "unknown", "warn", "waived" (the JSON report's names). */
const char *unit_status_name(unit_status s);
/* "none", "supported", "wrong_exit", "unsupported". */
const char *claim_status_name(claim_status c);
/* "none", "this_year", "earlier". */
const char *unit_exit_name(unit_exit e);

/* Exits and their outcomes, counted in units and in people (the units'
 * people column: a household's members; see the level's `people` role). */
typedef struct claim_tally {
    long claimed, supported, wrong, unsupported;
    double people, people_wrong;  /* people of the exits counted, of the wrong ones */
    long people_unknown;          /* exits whose people are unknown: no people-weighted rate */
    long by_waiver;               /* of the supported, those that hold only by waiver */
} claim_tally;

/* Counts one exit's outcome in (CLAIM_NONE counts nothing); people is the
 * unit's people value, NULL when its level has no people column;
 * by_waiver: the unit meets the standard only by waiver. */
void claim_tally_add(claim_tally *t, claim_status c, const value *people, int by_waiver);

/* What roll-ups counted into an upper-level unit from its descendants. */
typedef struct unit_below {
    long children;            /* child units counted in */
    long desc[RULES_MAX_LEVELS]; /* descendants counted in, per level */
    claim_tally leaf_claims;  /* this year's exits of its bottom-level descendants */
    claim_tally leaf_earlier; /* their earlier exits */
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
    unit_exit exit;           /* which exit the unit has, if any */
    claim_status claim;       /* the outcome of that exit; CLAIM_NONE when none */
    int orphan;               /* its parent table was read and does not hold its parent */
    int unmatched;            /* the nearest ancestor table read holds no unit it names */
    long parent_idx;          /* its parent's index in the parent level, -1 when none */
    unit_below below;
} unit_rec;

/* The number of u's targets that are waived. */
size_t unit_waived(const unit_rec *u);
/* 1 when u meets the standard (pass or warn) only because some target of
 * it is waived. */
int unit_by_waiver(const unit_rec *u);

/* 1 when child data of some level below was counted into u. */
int unit_has_children(const unit_rec *u);

/* The unit's status from the set of its targets' statuses (bit 1 << st
 * for each status st that some target has): fail when a blocking target is
 * not met, else unknown when one is unknown, else warn when a warning
 * target is not met, else pass. A waived target counts as met: its
 * caller sets ST_PASS's bit for it. */
static inline unit_status unit_status_of(unsigned seen)
{
    return seen & (1u << ST_FAIL)      ? ST_FAIL
           : seen & (1u << ST_UNKNOWN) ? ST_UNKNOWN
           : seen & (1u << ST_WARN)    ? ST_WARN
                                       : ST_PASS;
}
/* The outcome of an exit by a unit of that status (none without one). */
claim_status unit_claim_of(unit_exit exit, unit_status status);
/* The unit's exit from its row (slots [0, nind)): *conflict is set, and
 * the exit_year cell not used, when that cell is after the row's year, or
 * is before it while claimed_exit says yes (a data error the caller
 * reports at the exit_year cell). */
unit_exit unit_exit_of(const rule_level *lv, const value *slots, int *conflict);
/* When the row's exit_year contradicts it (see unit_exit_of), records
 * the data error at its cell (path, line, col: the exit_year column) in d
 * and returns 1; 0 otherwise. */
int unit_exit_conflict(const rule_level *lv, const value *vals, diag_list *d, const char *path, long line, long col);
/* Whether the unit is in the register (the registered builtin): its
 * registered column's yes or no; true when the level or the table has no
 * such column; unknown for a missing or bad cell. */
value unit_registered_of(const rule_level *lv, const value *slots);
/* Sets the verdict slots (meets, fails, ... registered) of a unit from its
 * row, status, exit and claim, so that its parent's aggregates can read
 * them. */
void unit_set_verdicts(const rule_level *lv, value *slots, unit_status status, unit_exit exit, claim_status claim);

#endif
