/*
 * report_facts.h - what every report says about a run, computed once.
 *
 * Before any writer runs, report_facts_new reads the checker's summaries,
 * table statistics, data years and missing parameters and settles the
 * facts more than one format shows: the verdict (this year's claims and
 * the earlier exits counted at every level, how many do not hold, the exit
 * status, and which table's ids match no parent), each level's tallies, and
 * each parameter's value for each data year (confirmed, unverified, given
 * with --param, or no value). Writers then only format these facts, so
 * the seven formats cannot disagree on them.
 *
 * Lifetime: a plain struct, read-only once made. It points into the
 * ruleset and the checker, which must outlive it; report_facts_free
 * releases what it owns (the per-parameter arrays).
 */
#ifndef EXITCHECK_REPORT_FACTS_H
#define EXITCHECK_REPORT_FACTS_H

#include "check.h"
#include "exitcode.h"
#include "rules.h"

/* The verdict a report states first, in the order it is decided. "Exits"
 * are this year's claims and the earlier exits together (SPEC §3, §4): a
 * run with earlier exits and no claim this year is judged on its exits. */
typedef enum {
    VERDICT_ERRORS,         /* exit status 2: the input has errors */
    VERDICT_ALL_SUPPORTED,  /* some unit claims or has exited; every claim this year is
                               supported and no earlier exit is a wrong exit */
    VERDICT_SOME_FAIL,      /* a claim this year is wrong or unsupported, or an earlier
                               exit is a wrong exit */
    VERDICT_NOCLAIM_PASS,   /* no claims, no earlier exits; every unit meets the standard */
    VERDICT_NOCLAIM_FAIL    /* no claims, no earlier exits; some unit does not */
} report_verdict;

typedef struct report_level_facts {
    const rule_level *level;
    const level_summary *sum;
    const table_stats *stats;   /* NULL when no table of the level was given */
    const char *path;           /* the table's path, NULL likewise */
    long not_ok;                /* units that fail, are unknown or warn */
    long bad_claims;            /* this year's claims that are wrong or unsupported */
    long earlier;               /* earlier exits (sum->earlier.claimed) */
    long earlier_wrong;         /* of those, wrong exits: they make the verdict fail */
    long earlier_bad;           /* of those, wrong or unsupported: the ones reports list */
} report_level_facts;

/* How a parameter's value for one data year came about. */
typedef enum {
    PARAM_CONFIRMED,   /* the pack's value, confirmed by a source */
    PARAM_UNVERIFIED,  /* the pack's value, not confirmed */
    PARAM_OVERRIDDEN,  /* given with --param (the same for every year) */
    PARAM_NO_VALUE     /* none: targets that need it are unknown */
} param_origin;

typedef struct report_param_year {
    int year;
    value v;                    /* the value used; unknown when PARAM_NO_VALUE */
    const param_value *entry;   /* the pack's entry; NULL unless CONFIRMED or UNVERIFIED */
    param_origin origin;
    long units_missing;         /* units that needed it for the year and had none */
} report_param_year;

typedef struct report_param_facts {
    const rule_param *param;
    report_param_year *years;   /* one per data year (report_facts.nyears) */
    int *missing_years;         /* years it was needed without a value, as the check noted them */
    size_t nmissing;
} report_param_facts;

typedef struct report_facts {
    exit_status status;
    report_verdict verdict;
    long claimed;               /* this year's claims at every level */
    long bad;                   /* of those, wrong or unsupported */
    long earlier;               /* earlier exits at every level */
    long earlier_wrong;         /* of those, wrong exits */
    long earlier_unsupported;   /* of those, unsupported (they do not fail the verdict) */
    /* The first level (in pack order) of which more than half the units
     * match no unit of the nearest ancestor table read (the check then
     * adds an error, and the status is 2): unmatched of units, and that
     * ancestor level. mismatch_level is -1 when no level's ids mismatch. */
    long mismatch_level, mismatch_ancestor;
    long mismatch_unmatched, mismatch_units;
    long differs;               /* reported figures that differ, every level */
    const struct waivers *waivers; /* the run's waivers (waiver.h), NULL when none were given */
    long by_waiver;             /* this year's supported claims that hold only by waiver */
    long earlier_by_waiver;     /* earlier supported exits that hold only by waiver */
    long units_by_waiver;       /* units, every level, that meet the standard only by waiver */
    size_t nlevels;
    report_level_facts levels[RULES_MAX_LEVELS];
    long leaf;                  /* the bottom level's index, -1 when the pack has none */
    size_t nyears;
    const int *years;           /* the data years, ascending */
    size_t nparams;
    report_param_facts *params; /* every parameter of the pack, used or not, in pack order */
} report_facts;

/* Computes the facts of a finished check. NULL when out of memory. */
report_facts *report_facts_new(const ruleset *rs, const checker *c, exit_status status);
void report_facts_free(report_facts **f);

#endif
