/*
 * verify.h - the register against a field survey (SPEC §7.2): per surveyed
 * household its verified status, finding and differences; the accuracy
 * of the register; per county and overall the four figures 错退率,
 * 漏评率, 认可度 and 综合贫困发生率 as weighted estimates with standard
 * errors and 95% intervals; the pack's vetoes and each county's verdict.
 *
 * Order of work: the manifest (optional: the weights and the village
 * strata) and the survey are read whole (the survey is the sample: it is
 * held); the register's county and village tables are read for the
 * counties' rural population and the villages' counties; the register's
 * household table is streamed: each row is counted into its county's
 * people (registered, not exited, exited), and a row of a surveyed
 * household is compared with its survey row at once (only the
 * differences are kept). Memory grows with the survey and the villages,
 * not the register.
 *
 * Estimators (rates in percent): R = sum(w y) / sum(w x) with w the
 * manifest's weight (1 without one) and, for the two people-weighted
 * rates, y and x counted in the survey's members; its variance is the
 * linearised with-replacement one with villages as primary units, strata
 * the manifest's village strata within a county (one per county without a
 * manifest): z_i = w_i (y_i - R x_i) / sum(w x), z_v = the sum over
 * village v, var = sum over strata h of n_h / (n_h - 1) * sum over h's
 * villages (z_v - mean_h z)^2; a stratum of one village adds 0.
 *
 * Lifecycle: verify_new -> verify_run -> the accessors -> verify_free.
 * Every surveyed household and every drawn one is accounted for: a
 * finding each.
 */
#ifndef EXITCHECK_VERIFY_H
#define EXITCHECK_VERIFY_H

#include "diag.h"
#include "rules.h"
#include "table.h"
#include "unit.h"

typedef enum {
    FIND_OK,
    FIND_WRONG_EXIT,      /* exited (per the register) and fails on the survey's values */
    FIND_MISSED,          /* not registered and meets the pack's identify rule */
    FIND_UNDECIDED,       /* its rate's question has no answer on the survey's values */
    FIND_NOT_IN_REGISTER, /* says registered and is not in the register */
    FIND_NOT_SURVEYED     /* drawn (in the manifest) with no survey row */
} verify_finding;
enum { FIND__COUNT = FIND_NOT_SURVEYED + 1 };

/* "ok", "wrong_exit", ... (the JSON report's names). */
extern const char *const verify_finding_names[FIND__COUNT];

/* An indicator whose survey and register values do not agree. */
typedef struct verify_diff {
    int ind;                  /* index in the household level's indicators */
    value reg, sur;           /* texts point into the verifier's memory */
} verify_diff;

typedef struct verify_household {
    const char *id, *village, *county;   /* county: "" when not known */
    long line;                /* its survey row; 0 when not surveyed */
    long reg_line;            /* its register row; 0 when not in the register */
    int registered;           /* per the register (the survey's when not in it): 1, 0, -1 unknown */
    unit_exit exit;           /* per the register */
    unit_status verified;     /* the targets on the survey's values; meaningful when line > 0 */
    unsigned long long not_met; /* bit t: target t of the level not met on the survey's values (the first 64) */
    unsigned long long waived;  /* bit t: target t not met or unknown on the survey's values, and waived */
    int identify;             /* the identify rule on the survey's values: 1, 0, -1 unknown or no rule */
    int in_manifest;          /* a manifest was read and lists it */
    int year;                 /* its register row's year; 0 when not in the register */
    int have_weight;
    double weight;
    int have_members;
    double members;           /* the survey's */
    int recognition;          /* 1 approves, 0 does not, -1 no answer */
    verify_finding finding;
    int compared, agreed;     /* indicators compared with the register, and agreeing */
    verify_diff *diffs;
    size_t ndiffs;
    const value *survey;      /* the survey row's values (the level's indicators); NULL when not surveyed */
} verify_household;

typedef struct verify_estimate {
    int known;                /* value, se and ci are set */
    double value, se, lo, hi; /* percent */
    double num, den;          /* the weighted sums */
    long households, undecided;
} verify_estimate;

typedef struct verify_veto_result {
    unit_status status;       /* ST_PASS, ST_FAIL or ST_UNKNOWN */
    int within_margin;        /* the threshold lies in the closed 95% interval */
    int have_threshold;
    double threshold;
} verify_veto_result;

typedef struct verify_county {
    const char *id;
    verify_estimate rates[RATE__COUNT];
    verify_veto_result *vetoes;          /* one per veto of the pack */
    unit_status status;                  /* pass, fail or unknown */
    int have_population;
    double population;                   /* P: rural_population */
    double reg_people, poor_people, exited_people; /* in the register */
    long surveyed, single_strata;        /* strata of one village (they add 0 to a variance) */
} verify_county;

typedef struct verify_accuracy {
    long compared, agreed;
} verify_accuracy;

typedef struct verifier verifier;

/* rs and d must outlive the verifier. NULL after a diagnostic when out of
 * memory. */
verifier *verify_new(const ruleset *rs, diag_list *d);
void verify_free(verifier **v);

struct waivers;
/* Documented exceptions (waiver.h) applied to the households' targets on
 * the survey's values: a waived target counts as met, so a household whose
 * only unmet targets are waived is no wrong exit. w must outlive the
 * verifier; set before verify_run. NULL: none. */
void verify_set_waivers(verifier *v, struct waivers *w);
const struct waivers *verify_waivers(const verifier *v);

/* tables: one path per level of the pack (NULL: not given; the bottom
 * level's is required); survey required, manifest optional. Returns 0, or
 * -1 when an input could not be read (diagnosed). */
int verify_run(verifier *v, const char *const *tables, const char *survey, const char *manifest,
               const table_opts *opts);

size_t verify_counties(const verifier *v, const verify_county **out);
const verify_county *verify_overall(const verifier *v);
/* The surveyed households in survey order, then the drawn ones not
 * surveyed in manifest order. */
size_t verify_households(const verifier *v, const verify_household **out);
/* Per indicator of the household level (lv->nind entries), and the
 * households compared. */
const verify_accuracy *verify_indicator_accuracy(const verifier *v);
verify_accuracy verify_household_accuracy(const verifier *v);
/* The household level verified. */
const rule_level *verify_level(const verifier *v);
/* The register's year (for the parameters of the vetoes); 0 when unknown. */
int verify_year(const verifier *v);
/* 1 when a manifest was read. */
int verify_weighted(const verifier *v);

typedef enum { VIN_MANIFEST, VIN_SURVEY, VIN_COUNTY, VIN_VILLAGE, VIN_HOUSEHOLD } verify_input;
enum { VIN__COUNT = VIN_HOUSEHOLD + 1 };
/* NULL when that input was not given. */
const table_stats *verify_stats(const verifier *v, verify_input in);
const char *verify_input_path(const verifier *v, verify_input in);

/* 0 when every county passes, 1 otherwise (also with no county). */
int verify_verdict(const verifier *v);

#endif
