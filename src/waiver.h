/*
 * waiver.h - documented exceptions (SPEC §8): reads a waiver file and
 * decides, unit by unit, which targets a valid waiver excuses.
 *
 * A waiver file is a CSV table (UTF-8 or GB18030, English or Chinese
 * headers) of level, unit_id, target, basis, reason, approved_by,
 * approved_on, expires; dates are YYYY-MM-DD and expires may be empty.
 * waivers_read checks every row like a data table's: a row with an
 * unknown level or target, a target of another level, a target the pack
 * marks `waivable: false`, an empty basis, approver or approval date, a
 * bad date, an expiry before the approval, or a second waiver for the
 * same unit and target is an error at file:line:column and the row is
 * rejected (never applied).
 *
 * Application (waivers_apply, called by the evaluator between the
 * targets' statuses and the unit's): a waiver for the unit's level, id and
 * target turns a target that is not met (fail or warn) or unknown into
 * ST_WAIVED, unless it has expired: its `expires` is before the as-of
 * date (--as-of, else the 31 December of the unit's row's year; never the
 * clock). Without an as-of date (no --as-of and no year in the row) a
 * waiver that has an expiry date is not applied. waivers_finish then
 * reports, as warnings at the waiver's row, every waiver that matched no
 * unit, had expired, could not be dated, or covered a target that was met
 * anyway: none of those changed a result.
 *
 * Lifecycle: waivers_new -> waivers_set_as_of -> waivers_read -> (the
 * check calls waivers_apply per unit) -> waivers_finish -> the reports
 * read waivers_get / waivers_for -> waivers_free. The set keeps rs and d,
 * which must outlive it. Memory grows with the number of waivers, not of
 * units.
 */
#ifndef EXITCHECK_WAIVER_H
#define EXITCHECK_WAIVER_H

#include <stddef.h>

#include "diag.h"
#include "rules.h"
#include "table.h"
#include "unit.h"

/* The waiver file's columns, in this order in its view (1-based columns
 * of the file itself are in waiver.col). */
enum { WV_LEVEL, WV_UNIT, WV_TARGET, WV_BASIS, WV_REASON, WV_APPROVED_BY, WV_APPROVED_ON, WV_EXPIRES, WV__COUNT };

typedef struct waiver {
    long line;                    /* the row's line in the waiver file */
    int level;                    /* its level's index in the pack */
    int target;                   /* its target's index in that level */
    const char *unit_id, *basis, *reason, *approved_by;  /* reason "" when empty */
    int approved_on, expires;     /* YYYYMMDD; expires 0: no expiry */
    /* what the check made of it, over every unit it matched: */
    long matched;                 /* units of its level and id */
    long applied;                 /* ... whose target it waived */
    long met;                     /* ... whose target was met anyway (pass) */
    long expired;                 /* ... for which it had expired */
    long undated;                 /* ... without an as-of date to judge its expiry */
    unit_status outcome;          /* the target's own outcome where it applied last: fail, warn or unknown */
    int as_of;                    /* the as-of date its expiry was last judged on (0: none) */
    int next;                     /* the next waiver of the same unit, -1 when none */
} waiver;

typedef struct waivers waivers;

/* NULL after a diagnostic when out of memory. */
waivers *waivers_new(const ruleset *rs, diag_list *d);
void waivers_free(waivers **w);

/* The as-of date (YYYYMMDD) for every unit; 0 (the default): the 31
 * December of each unit's row's year. */
void waivers_set_as_of(waivers *w, int yyyymmdd);
int waivers_as_of(const waivers *w);

/* Reads the waiver file at path. Returns 0 when it was read (its bad rows
 * are errors in d), -1 when it could not be read at all. */
int waivers_read(waivers *w, const char *path, const table_opts *opts);

/* Applies the waivers of u's level and id to u's target statuses (see
 * above); returns the number of targets waived. */
size_t waivers_apply(waivers *w, unit_rec *u);

/* Reports (warnings in d) every waiver that changed no result, in file
 * order. Call once, after the last unit. */
void waivers_finish(waivers *w);

size_t waivers_count(const waivers *w);
const waiver *waivers_get(const waivers *w, size_t i);   /* valid rows, in file order */
/* The waiver that waived target t of u (u's tstatus[t] is ST_WAIVED), or
 * NULL. */
const waiver *waivers_for(const waivers *w, const unit_rec *u, size_t t);

const char *waivers_path(const waivers *w);
/* The file's statistics (rows_read; rows_rejected counts the rows the
 * table rejected and the invalid waivers); NULL before waivers_read. */
const table_stats *waivers_stats(const waivers *w);

/* What became of a waiver, as the JSON report names it: "applied" (it
 * waived the target of some unit), else "expired", "undated" (no as-of
 * date to judge its expiry by), "met" (the target was met anyway) or
 * "no_unit" (no unit of its level and id was read). */
const char *waiver_use_name(const waiver *x);

/* Parses a date YYYY-MM-DD of the Gregorian calendar into YYYYMMDD.
 * Returns 0, or -1 when s[0..n) is not such a date. */
int waiver_parse_date(const char *s, size_t n, int *out);
/* Writes YYYYMMDD as "YYYY-MM-DD" into buf (at least 11 bytes). */
void waiver_date_text(int yyyymmdd, char buf[11]);

#endif
