/*
 * stage_pack.h - the small three-level pack (county > village > household)
 * that the stage tests (test_evaluate, test_rollup, test_spool,
 * test_settle) evaluate against, and helpers to build rows and unit
 * records of its levels. Included by one test file each; not a test
 * itself.
 *
 * The pack has what each stage decides on: a parameter with values for
 * 2019 and 2020 (line), one with a value for 2019 only (floor), one that no
 * expression reads (spare); household derived values with cases (band,
 * with an else; size, without one) and an expression (margin); a blocking
 * and a warning target on every level that has two; village aggregates
 * count / sum / sum-where / min / max / count-where over households and a
 * recomputed poor_population with a tolerance of 0.5; county aggregates
 * over villages and, two levels down, over households. Households carry
 * the status columns across years (exit_year, registered) and count their
 * people in members, villages in population (the people role); a
 * household row as hh_row builds it comes from a table without the
 * exit_year and registered columns.
 */
#ifndef EXITCHECK_TEST_STAGE_PACK_H
#define EXITCHECK_TEST_STAGE_PACK_H

#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"
#include "rules.h"
#include "strbuf.h"
#include "unit.h"
#include "value.h"

static const char SP_PACK[] =
    "pack: {id: stages, version: \"1\", title: Stage tests}\n"
    "include: [params.yaml, county.yaml, village.yaml, household.yaml]\n"
    "levels:\n"
    "  - {id: county, key: county_id, name: county_name, year: year, claim: claimed_exit}\n"
    "  - {id: village, parent: county, parent_key: county_id, key: village_id, name: village_name,\n"
    "     year: year, claim: claimed_exit, people: population}\n"
    "  - {id: household, parent: village, parent_key: village_id, key: household_id, name: head,\n"
    "     year: year, claim: claimed_exit, exit_year: exit_year, registered: registered, people: members}\n";

static const char SP_PARAMS[] =
    "params:\n"
    "  - id: line\n"
    "    values:\n"
    "      - {year: 2019, value: 3000, confirmed: true, source: test}\n"
    "      - {year: 2020, value: 4000, confirmed: true, source: test}\n"
    "  - id: floor\n"
    "    values:\n"
    "      - {year: 2019, value: 500, confirmed: false, source: test}\n"
    "  - id: spare\n"
    "    values: []\n";

static const char SP_COUNTY[] =
    "level: county\n"
    "indicators:\n"
    "  - {id: county_id, type: text}\n"
    "  - {id: county_name, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: claimed_exit, type: bool}\n"
    "aggregates:\n"
    "  - {id: villages, count: true}\n"
    "  - {id: villages_exited, count: true, where: claims and supported}\n"
    "  - {id: households, of: household, count: true}\n"
    "  - {id: household_income, of: household, sum: income}\n"
    "  - {id: poor_villages, count: true, where: \"rate >= 3\"}\n"
    "targets:\n"
    "  - {id: C1, title: Villages, require: \"villages >= 1\"}\n";

static const char SP_VILLAGE[] =
    "level: village\n"
    "indicators:\n"
    "  - {id: village_id, type: text}\n"
    "  - {id: county_id, type: text}\n"
    "  - {id: village_name, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: claimed_exit, type: bool}\n"
    "  - {id: population, type: integer}\n"
    "  - {id: poor_population, type: number}\n"
    "aggregates:\n"
    "  - {id: households, count: true}\n"
    "  - {id: people, sum: members}\n"
    "  - {id: poor_people, sum: members, where: not meets}\n"
    "  - {id: min_income, min: income}\n"
    "  - {id: max_income, max: income}\n"
    "  - {id: safe_households, count: true, where: safe}\n"
    "recompute:\n"
    "  - {indicator: poor_population, expr: poor_people, tolerance: 0.5}\n"
    "derived:\n"
    "  - {id: rate, expr: poor_population / population * 100}\n"
    "targets:\n"
    "  - {id: V1, title: Poverty rate, require: \"rate < 3\"}\n"
    "  - {id: V2, title: Households listed, require: \"households >= 1\", severity: warn}\n";

static const char SP_HOUSEHOLD[] =
    "level: household\n"
    "indicators:\n"
    "  - {id: household_id, type: text}\n"
    "  - {id: village_id, type: text}\n"
    "  - {id: county_id, type: text}\n"
    "  - {id: head, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: claimed_exit, type: bool}\n"
    "  - {id: income, type: number}\n"
    "  - {id: members, type: integer}\n"
    "  - {id: safe, type: bool}\n"
    "  - {id: exit_year, type: integer}\n"
    "  - {id: registered, type: bool}\n"
    "derived:\n"
    "  - id: band\n"
    "    cases:\n"
    "      - {when: \"income >= line * 2\", value: 2}\n"
    "      - {when: \"income >= line\", value: 1}\n"
    "      - {else: 0}\n"
    "  - id: size\n"
    "    cases:\n"
    "      - {when: \"members > 5\", value: \"'large'\"}\n"
    "  - {id: margin, expr: income - floor}\n"
    "targets:\n"
    "  - {id: H1, title: Income, require: \"income >= line\"}\n"
    "  - {id: H2, title: Housing, require: safe, severity: warn}\n";

static diag_list *D;
static ruleset *RS;
static const rule_level *LC, *LVV, *LH; /* county, village, household */
static char sp_dir[64];

static inline const char *all_diags(void)
{
    static char buf[16384];
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(D); i++)
        diag_format(diag_get(D, i), &sb);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
    return buf;
}

/* Stored diagnostics of severity sev whose message contains all of the
 * (up to two) fragments. */
static inline size_t diags_with(diag_severity sev, const char *a, const char *b)
{
    size_t n = 0;
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity == sev && (!a || strstr(e->message, a)) && (!b || strstr(e->message, b)))
            n++;
    }
    return n;
}

static inline void sp_put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", sp_dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
}

static inline void pack_setup(void)
{
    snprintf(sp_dir, sizeof sp_dir, "/tmp/exitcheck-stages-XXXXXX");
    cr_assert_not_null(mkdtemp(sp_dir));
    sp_put("pack.yaml", SP_PACK);
    sp_put("params.yaml", SP_PARAMS);
    sp_put("county.yaml", SP_COUNTY);
    sp_put("village.yaml", SP_VILLAGE);
    sp_put("household.yaml", SP_HOUSEHOLD);
    D = diag_new();
    cr_assert_not_null(D);
    RS = rules_load(sp_dir, D);
    cr_assert_not_null(RS, "the stage pack should load:\n%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_eq(rules_nlevels(RS), 3);
    LC = rules_level(RS, 0);
    LVV = rules_level(RS, 1);
    LH = rules_level(RS, 2);
    cr_assert_str_eq(LH->id, "household");
    /* the pack's own warnings (an unread parameter) are not the tests' business */
    diag_free(&D);
    D = diag_new();
    cr_assert_not_null(D);
}

static inline void pack_teardown(void)
{
    rules_free(&RS);
    diag_free(&D);
    DIR *dp = opendir(sp_dir);
    if (dp) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", sp_dir, e->d_name);
                unlink(path);
            }
        closedir(dp);
    }
    rmdir(sp_dir);
}

/* ---------- slots by name ---------- */

static inline int ind(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->nind; i++)
        if (strcmp(lv->ind[i].id, id) == 0)
            return (int)i;
    cr_assert_fail("%s has no indicator %s", lv->id, id);
    return -1;
}

static inline int param_slot(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < rules_nparams(RS); i++)
        if (strcmp(rules_param(RS, i)->id, id) == 0)
            return lv->param_base + (int)i;
    cr_assert_fail("no parameter %s", id);
    return -1;
}

static inline int derived_slot(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->nderived; i++)
        if (strcmp(lv->derived[i].id, id) == 0)
            return lv->derived_base + (int)i;
    cr_assert_fail("%s has no derived value %s", lv->id, id);
    return -1;
}

/* The aggregate's index in lv->agg (its slot is agg_base + this). */
static inline int agg_index(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->nagg; i++)
        if (strcmp(lv->agg[i].id, id) == 0)
            return (int)i;
    cr_assert_fail("%s has no aggregate %s", lv->id, id);
    return -1;
}

static inline int target_index(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->ntargets; i++)
        if (strcmp(lv->targets[i].id, id) == 0)
            return (int)i;
    cr_assert_fail("%s has no target %s", lv->id, id);
    return -1;
}

/* ---------- values ---------- */

static inline value T(const char *s) { return value_text(s, strlen(s)); }
static inline value N(double d) { return value_num(d); }
static inline value B(int b) { return value_bool(b); }
static inline value U(vwhy why) { return value_unknown(why); }

/* A row of lv: every indicator missing. Free with free(). */
static inline value *row_new(const rule_level *lv)
{
    value *v = calloc(lv->nslots, sizeof *v);
    cr_assert_not_null(v);
    for (size_t i = 0; i < lv->nslots; i++)
        v[i] = U(WHY_MISSING);
    return v;
}

static inline void setv(value *vals, const rule_level *lv, const char *id, value v) { vals[ind(lv, id)] = v; }

/* A household row as a table without the exit_year and registered
 * columns would deliver it. */
static inline void hh_row(value *v, const char *id, const char *village, const char *county, int year, int claims,
                          double income, double members, int safe)
{
    for (size_t i = 0; i < LH->nslots; i++)
        v[i] = U(WHY_MISSING);
    setv(v, LH, "household_id", T(id));
    if (village)
        setv(v, LH, "village_id", T(village));
    if (county)
        setv(v, LH, "county_id", T(county));
    setv(v, LH, "head", T("head"));
    setv(v, LH, "year", N(year));
    if (claims >= 0)
        setv(v, LH, "claimed_exit", B(claims));
    setv(v, LH, "income", N(income));
    if (members >= 0)
        setv(v, LH, "members", N(members));
    if (safe >= 0)
        setv(v, LH, "safe", B(safe));
    setv(v, LH, "exit_year", U(WHY_NO_COLUMN));
    setv(v, LH, "registered", U(WHY_NO_COLUMN));
}

/* A unit record of lv with arrays of its sizes, all zero; parent_idx -1. */
static inline unit_rec *unit_new(const rule_level *lv)
{
    unit_rec *u = calloc(1, sizeof *u);
    cr_assert_not_null(u);
    u->level = lv;
    u->parent_idx = -1;
    u->slots = calloc(lv->nslots, sizeof(value));
    u->tstatus = calloc(lv->ntargets + 1, 1);
    u->reported = calloc(lv->nrecompute + 1, sizeof(value));
    u->applied = calloc(lv->nrecompute + 1, 1);
    u->differs = calloc(lv->nrecompute + 1, 1);
    u->below.acc = calloc(lv->nagg + 1, sizeof(agg_acc));
    cr_assert(u->slots && u->tstatus && u->reported && u->applied && u->differs && u->below.acc);
    for (size_t i = 0; i < lv->nslots; i++)
        u->slots[i] = U(WHY_MISSING);
    return u;
}

static inline void unit_del(unit_rec *u)
{
    if (!u)
        return;
    free(u->slots);
    free(u->tstatus);
    free(u->reported);
    free(u->applied);
    free(u->differs);
    free(u->below.acc);
    free(u);
}

/* value assertions, with the slot's name in the message */
static inline void expect_num(const value *slots, int s, double want, const char *what)
{
    cr_assert_eq(slots[s].kind, V_NUM, "%s: kind %d, expected a number %g", what, slots[s].kind, want);
    cr_assert(slots[s].u.num == want, "%s: %.17g, expected %.17g", what, slots[s].u.num, want);
}

static inline void expect_unknown(const value *slots, int s, vwhy why, const char *what)
{
    cr_assert_eq(slots[s].kind, V_UNKNOWN, "%s: kind %d, expected unknown", what, slots[s].kind);
    cr_assert_eq(slots[s].why, why, "%s: why %d, expected %d", what, slots[s].why, why);
}

static inline void expect_bool(const value *slots, int s, int want, const char *what)
{
    cr_assert_eq(slots[s].kind, V_BOOL, "%s: kind %d, expected a boolean", what, slots[s].kind);
    cr_assert_eq(slots[s].u.b, want, "%s: %d, expected %d", what, slots[s].u.b, want);
}

#endif
