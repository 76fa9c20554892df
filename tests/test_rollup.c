/*
 * test_rollup.c - kept units, parent links and counters (src/rollup.h), on
 * the stage pack (stage_pack.h: county > village > household).
 *
 * Pinned: a kept unit is a copy of its row, a repeated id is refused with
 * the first one's line; orphans (parent table read and the id absent, or
 * the parent cell empty) are flagged and warned about, and nothing is an
 * orphan without the parent table; rollup_link finds a household's county
 * through its own county_id (when its village is missing, when no village
 * table was read, and over its village's county when the two differ) and
 * flags units the nearest ancestor table read does not hold; rollup_add
 * counts a child only at its direct parent and a descendant per level at
 * every ancestor, leaf exits only from the bottom level (this year's and
 * earlier ones apart, with their people), and aggregates with an unknown
 * where or value as unknown; rollup_count's tallies, earlier exits apart;
 * rollup_mismatch only when more than half the units match nothing, and
 * the hints for ids spelt as Excel and pandas spell them; rollup_reset
 * takes every counter back to zero, and counting again gives the same
 * figures.
 */
#include "stage_pack.h"

#include "rollup.h"

/* A unit's status from its target statuses, through the set unit_status_of reads. */
static unit_status status_of(const unsigned char *ts, size_t n)
{
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= 1u << ts[i];
    return unit_status_of(seen);
}

static rollup *R;

static void setup(void)
{
    pack_setup();
    R = rollup_new(RS, D);
    cr_assert_not_null(R);
}

static void teardown(void)
{
    rollup_free(&R);
    cr_assert_null(R, "rollup_free clears the pointer");
    pack_teardown();
}

TestSuite(rollup, .init = setup, .fini = teardown);

static const char *path_of(const rule_level *lv)
{
    return lv == LC ? "county.csv" : lv == LVV ? "village.csv" : "household.csv";
}

/* Keeps a unit of upper level lv; its row is freed before returning, so
 * the kept unit must hold copies. */
static unit_rec *keep(const rule_level *lv, const char *id, const char *parent, long line, long *dup)
{
    value *v = row_new(lv);
    char idbuf[64], pbuf[64], name[64];
    snprintf(idbuf, sizeof idbuf, "%s", id);
    v[lv->key] = T(idbuf);
    if (parent) {
        snprintf(pbuf, sizeof pbuf, "%s", parent);
        v[lv->parent_key] = T(pbuf);
    }
    snprintf(name, sizeof name, "name of %s", id);
    v[lv->name] = T(name);
    v[lv->year] = N(2019);
    long d = -7;
    unit_rec *u = rollup_keep(R, lv, v, line, path_of(lv), &d);
    memset(idbuf, 'x', sizeof idbuf);
    memset(pbuf, 'x', sizeof pbuf);
    memset(name, 'x', sizeof name);
    for (size_t i = 0; i < lv->nslots; i++)
        v[i] = N(-1);
    free(v);
    if (dup)
        *dup = d;
    else
        cr_assert_not_null(u, "keeping %s %s at line %ld: duplicate of line %ld", lv->id, id, line, d);
    return u;
}

static unit_rec *unit_at(const rule_level *lv, size_t i)
{
    unit_rec *units;
    size_t n = rollup_units(R, lv->index, &units);
    cr_assert_lt(i, n);
    return &units[i];
}

/* C1 (V1, V2) and C2 (V3), both tables read. */
static void tree(void)
{
    rollup_set_read(R, LC->index, "county.csv");
    keep(LC, "C1", NULL, 2, NULL);
    keep(LC, "C2", NULL, 3, NULL);
    rollup_set_read(R, LVV->index, "village.csv");
    keep(LVV, "V1", "C1", 2, NULL);
    keep(LVV, "V2", "C1", 3, NULL);
    keep(LVV, "V3", "C2", 4, NULL);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
}

/* The exit a claim's outcome implies in the older tests: this year's. */
static unit_exit exit_of_claim(claim_status cl) { return cl == CLAIM_NONE ? UEXIT_NONE : UEXIT_THIS_YEAR; }

/* A household's slots, with its verdicts set from status, exit and claim. */
static value *hh_exit(const char *village, double members, double income, int safe, unit_status st, unit_exit ex,
                      claim_status cl)
{
    value *v = row_new(LH);
    setv(v, LH, "household_id", T("H"));
    if (village)
        setv(v, LH, "village_id", T(village));
    if (members >= 0)
        setv(v, LH, "members", N(members));
    if (income >= 0)
        setv(v, LH, "income", N(income));
    if (safe >= 0)
        setv(v, LH, "safe", B(safe));
    unit_set_verdicts(LH, v, st, ex, cl);
    return v;
}

static value *hh(const char *village, double members, double income, int safe, unit_status st, claim_status cl)
{
    return hh_exit(village, members, income, safe, st, exit_of_claim(cl), cl);
}

static const char *const VILLAGE_IDS[] = {"V1", "V2", "V3"};

/* Links a household of village `village` and county `county` (either NULL:
 * an empty cell) as the streaming path does (no warnings), and adds it
 * to the ancestors found. Returns its direct parent's index. */
static long add_hh_in(const char *village, const char *county, double members, double income, int safe,
                      unit_status st, unit_exit ex, claim_status cl)
{
    unit_rec *u = unit_new(LH);
    value *v = hh_exit(village, members, income, safe, st, ex, cl);
    if (county)
        setv(v, LH, "county_id", T(county));
    memcpy(u->slots, v, LH->nslots * sizeof(value));
    free(v);
    u->status = st;
    u->exit = ex;
    u->claim = cl;
    long anc[RULES_MAX_LEVELS];
    long p = rollup_link(R, LH, u->slots, "household.csv", 2, anc, u, 0);
    rollup_add(R, u, anc);
    unit_del(u);
    return p;
}

/* Adds a household under the village at index vi (-1: no village_id, no county_id). */
static void add_hh(long vi, double members, double income, int safe, unit_status st, claim_status cl)
{
    long p = add_hh_in(vi >= 0 ? VILLAGE_IDS[vi] : NULL, NULL, members, income, safe, st, exit_of_claim(cl), cl);
    cr_assert_eq(p, vi, "the household's village");
}

/* Adds an evaluated village (its kept record) to its county. */
static void add_village(unit_rec *v, unit_status st, claim_status cl)
{
    v->status = st;
    v->exit = exit_of_claim(cl);
    v->claim = cl;
    unit_set_verdicts(LVV, v->slots, st, v->exit, cl);
    long anc[RULES_MAX_LEVELS];
    rollup_link(R, LVV, v->slots, "village.csv", v->line, anc, v, 0);
    rollup_add(R, v, anc);
}

static void expect_tally(const claim_tally *t, long claimed, long supported, long wrong, long unsupported,
                         const char *what)
{
    cr_assert(t->claimed == claimed && t->supported == supported && t->wrong == wrong &&
                  t->unsupported == unsupported,
              "%s: claims %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld", what, t->claimed, t->supported, t->wrong,
              t->unsupported, claimed, supported, wrong, unsupported);
}

static void expect_acc(const unit_rec *u, const char *agg, double v, long n, long unknown)
{
    const agg_acc *a = &u->below.acc[agg_index(u->level, agg)];
    cr_assert(a->n == n && a->unknown == unknown, "%s.%s: n %ld unknown %ld, expected n %ld unknown %ld", u->id, agg,
              a->n, a->unknown, n, unknown);
    if (n)
        cr_assert(a->v == v, "%s.%s: %g, expected %g", u->id, agg, a->v, v);
}

/* ---------- keeping units ---------- */

Test(rollup, kept_unit_is_a_copy_of_its_row)
{
    unit_rec *u = keep(LC, "C1", NULL, 2, NULL);
    cr_assert_str_eq(u->id, "C1");
    cr_assert_str_eq(u->name, "name of C1");
    cr_assert_null(u->parent, "a county has no parent column");
    cr_assert_eq(u->level, LC);
    cr_assert_eq(u->line, 2);
    cr_assert_eq(u->parent_idx, -1);
    cr_assert_eq(u->orphan, 0);
    expect_num(u->slots, LC->year, 2019, "year");
    cr_assert_eq(u->slots[LC->key].kind, V_TEXT);
    cr_assert_eq(u->slots[LC->key].len, 2);
    cr_assert_eq(u->slots[LC->key].u.s, u->id, "the id is the key slot's text");
    expect_unknown(u->slots, LC->claim, WHY_MISSING, "claimed_exit");
    cr_assert_eq(u->below.children, 0);
    cr_assert_eq(unit_has_children(u), 0);
    for (size_t i = 0; i < LC->nagg; i++)
        cr_assert(u->below.acc[i].n == 0 && u->below.acc[i].unknown == 0 && u->below.acc[i].v == 0);
}

Test(rollup, kept_id_copies_only_the_cells_bytes)
{
    value *v = row_new(LC);
    v[LC->key] = value_text("C12345", 2); /* a cell is a span, not a C string */
    long d;
    unit_rec *u = rollup_keep(R, LC, v, 5, "county.csv", &d);
    free(v);
    cr_assert_not_null(u);
    cr_assert_str_eq(u->id, "C1");
    cr_assert_null(u->name, "an empty name cell is no name");
    value *again = row_new(LC);
    again[LC->key] = T("C1");
    cr_assert_null(rollup_keep(R, LC, again, 9, "county.csv", &d), "C1 is the same id");
    cr_assert_eq(d, 5);
    free(again);
}

Test(rollup, duplicate_refused_with_the_first_line)
{
    keep(LC, "C1", NULL, 2, NULL);
    keep(LC, "C2", NULL, 3, NULL);
    long d = 0;
    cr_assert_null(keep(LC, "C1", NULL, 7, &d));
    cr_assert_eq(d, 2);
    cr_assert_null(keep(LC, "C2", NULL, 8, &d));
    cr_assert_eq(d, 3);
    cr_assert_null(keep(LC, "C1", NULL, 9, &d));
    cr_assert_eq(d, 2, "always the first row's line");
    unit_rec *units;
    cr_assert_eq(rollup_units(R, LC->index, &units), 2, "the repeats are not kept");
    cr_assert_str_eq(units[0].id, "C1");
    cr_assert_eq(units[0].line, 2);
    cr_assert_str_eq(units[1].id, "C2");
    cr_assert_eq(diag_count(D), 0, "the caller reports the duplicate:\n%s", all_diags());
}

Test(rollup, kept_units_in_input_order)
{
    static const char *const ids[] = {"C9", "C1", "C5", "C3", "C7"};
    for (int i = 0; i < 5; i++)
        keep(LC, ids[i], NULL, 10 + i, NULL);
    unit_rec *units;
    cr_assert_eq(rollup_units(R, LC->index, &units), 5);
    for (int i = 0; i < 5; i++) {
        cr_assert_str_eq(units[i].id, ids[i]);
        cr_assert_eq(units[i].line, 10 + i);
    }
}

Test(rollup, same_id_on_two_levels_is_no_duplicate)
{
    keep(LC, "X1", NULL, 2, NULL);
    long d = -1;
    cr_assert_not_null(keep(LVV, "X1", "X1", 2, &d));
    cr_assert_eq(d, 0);
}

/* ---------- parents and orphans ---------- */

Test(rollup, linked_to_its_parent)
{
    tree();
    unit_rec *v3 = unit_at(LVV, 2);
    cr_assert_str_eq(v3->id, "V3");
    cr_assert_str_eq(v3->parent, "C2");
    cr_assert_eq(v3->parent_idx, 1);
    cr_assert_eq(v3->orphan, 0);
    cr_assert_eq(unit_at(LVV, 0)->parent_idx, 0);
}

Test(rollup, orphan_when_the_parent_is_not_in_the_parent_table)
{
    tree();
    unit_rec *u = keep(LVV, "V9", "C9", 12, NULL);
    cr_assert_eq(u->orphan, 1);
    cr_assert_eq(u->parent_idx, -1);
    cr_assert_str_eq(u->parent, "C9");
    cr_assert_eq(diag_count(D), 1, "%s", all_diags());
    const diag_entry *e = diag_get(D, 0);
    cr_assert_eq(e->severity, DIAG_WARNING);
    cr_assert_str_eq(e->file, "village.csv");
    cr_assert_eq(e->line, 12);
    cr_assert_not_null(strstr(e->message, "'C9'"), "%s", e->message);
    cr_assert_not_null(strstr(e->message, "county.csv"), "names the parent table: %s", e->message);
}

Test(rollup, orphan_when_the_parent_cell_is_missing)
{
    tree();
    unit_rec *u = keep(LVV, "V8", NULL, 13, NULL);
    cr_assert_eq(u->orphan, 1);
    cr_assert_eq(u->parent_idx, -1);
    cr_assert_null(u->parent);
    cr_assert_eq(diags_with(DIAG_WARNING, "no county_id", NULL), 1, "%s", all_diags());
    cr_assert_eq(diag_get(D, 0)->line, 13);
}

Test(rollup, no_orphans_without_the_parent_table)
{
    keep(LC, "C1", NULL, 2, NULL); /* kept, but the county table is not marked read */
    unit_rec *u = keep(LVV, "V9", "C9", 2, NULL);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->parent_idx, -1);
    u = keep(LVV, "V1", "C1", 3, NULL);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->parent_idx, -1, "no parent table: nothing to link to");
    u = keep(LVV, "V8", NULL, 4, NULL);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
}

/* Links household row v with warnings as asked; returns its village. */
static long link_hh(value *v, long line, long *anc, unit_rec *u, int warn)
{
    u->orphan = u->unmatched = -1;
    return rollup_link(R, LH, v, "household.csv", line, anc, u, warn);
}

Test(rollup, link_without_and_with_warnings)
{
    tree();
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    value *v = hh("V3", 1, 1, 1, ST_PASS, CLAIM_NONE);
    cr_assert_eq(link_hh(v, 5, anc, u, 1), 2);
    cr_assert_eq(anc[LVV->index], 2);
    cr_assert_eq(anc[LC->index], 1, "V3's county C2, through the chain (the household has no county_id)");
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->unmatched, 0);
    for (int L = LH->index; L < RULES_MAX_LEVELS; L++)
        cr_assert_eq(anc[L], -1, "anc[%d] of a level that is no ancestor", L);
    setv(v, LH, "village_id", T("V404"));
    cr_assert_eq(link_hh(v, 6, anc, u, 0), -1);
    cr_assert_eq(u->orphan, 1);
    cr_assert_eq(u->unmatched, 1, "the village table, the nearest read, holds no V404");
    cr_assert_eq(anc[LC->index], -1, "no county_id, no village: no county");
    cr_assert_eq(diag_count(D), 0, "warn = 0: silent\n%s", all_diags());
    cr_assert_eq(link_hh(v, 6, anc, u, 1), -1);
    cr_assert_eq(u->orphan, 1);
    cr_assert_eq(diags_with(DIAG_WARNING, "'V404'", "village.csv"), 1, "%s", all_diags());
    setv(v, LH, "village_id", U(WHY_MISSING));
    cr_assert_eq(link_hh(v, 7, anc, u, 0), -1);
    cr_assert_eq(u->orphan, 1, "an empty village_id is an orphan");
    cr_assert_eq(u->unmatched, 1);
    free(v);
    unit_del(u);
}

Test(rollup, household_county_checked_against_its_villages)
{
    tree();
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    value *v = hh("V3", 1, 1, 1, ST_PASS, CLAIM_NONE);
    setv(v, LH, "county_id", T("C2")); /* V3's own */
    cr_assert_eq(link_hh(v, 5, anc, u, 1), 2);
    cr_assert_eq(anc[LC->index], 1);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    setv(v, LH, "county_id", T("C1"));
    cr_assert_eq(link_hh(v, 6, anc, u, 0), 2, "its village is the one it names");
    cr_assert_eq(anc[LC->index], 0, "its county is the one it names, C1, not its village's C2");
    cr_assert_eq(diag_count(D), 0, "warn = 0: silent");
    cr_assert_eq(link_hh(v, 6, anc, u, 1), 2);
    cr_assert_eq(anc[LC->index], 0);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->unmatched, 0);
    cr_assert_eq(diags_with(DIAG_WARNING, "county_id 'C1'", "'C2'"), 1, "%s", all_diags());
    cr_assert_eq(diag_get(D, 0)->line, 6);
    free(v);
    unit_del(u);
}

Test(rollup, household_of_a_missing_village_reaches_its_county_through_county_id)
{
    tree();
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    value *v = hh("V404", 1, 1, 1, ST_PASS, CLAIM_NONE);
    setv(v, LH, "county_id", T("C2"));
    cr_assert_eq(link_hh(v, 8, anc, u, 1), -1);
    cr_assert_eq(anc[LVV->index], -1);
    cr_assert_eq(anc[LC->index], 1, "C2, named by its own county_id");
    cr_assert_eq(u->orphan, 1, "its village is not in the village table");
    cr_assert_eq(u->unmatched, 1);
    cr_assert_eq(diags_with(DIAG_WARNING, "'V404'", NULL), 1, "the orphan is warned about:\n%s", all_diags());
    cr_assert_eq(diags_with(DIAG_WARNING, "differs", NULL), 0, "no village, nothing to differ from");
    free(v);
    unit_del(u);
}

Test(rollup, without_a_village_table_a_household_reaches_its_county_directly)
{
    rollup_set_read(R, LC->index, "county.csv");
    keep(LC, "C1", NULL, 2, NULL);
    keep(LC, "C2", NULL, 3, NULL);
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    value *v = hh("V1", 1, 1, 1, ST_PASS, CLAIM_NONE);
    setv(v, LH, "county_id", T("C2"));
    cr_assert_eq(link_hh(v, 2, anc, u, 1), -1, "no village table: no village to link to");
    cr_assert_eq(anc[LVV->index], -1);
    cr_assert_eq(anc[LC->index], 1, "C2");
    cr_assert_eq(u->orphan, 0, "no village table: not an orphan");
    cr_assert_eq(u->unmatched, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());

    /* counted into C2, and as no village's child */
    u->exit = UEXIT_THIS_YEAR;
    u->claim = CLAIM_WRONG;
    memcpy(u->slots, v, LH->nslots * sizeof(value));
    rollup_add(R, u, anc);
    unit_rec *c2 = unit_at(LC, 1);
    cr_assert_eq(c2->below.desc[LH->index], 1);
    cr_assert_eq(c2->below.children, 0, "a household is not a county's child");
    expect_acc(c2, "households", 0, 1, 0);
    cr_assert_eq(c2->below.leaf_claims.wrong, 1);
    cr_assert_eq(unit_at(LC, 0)->below.desc[LH->index], 0, "C1 untouched");

    /* a county the county table does not hold: unmatched */
    setv(v, LH, "county_id", T("C9"));
    cr_assert_eq(link_hh(v, 3, anc, u, 1), -1);
    cr_assert_eq(anc[LC->index], -1);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->unmatched, 1, "the county table, the nearest read, holds no C9");
    setv(v, LH, "county_id", U(WHY_MISSING));
    cr_assert_eq(link_hh(v, 4, anc, u, 1), -1);
    cr_assert_eq(anc[LC->index], -1);
    cr_assert_eq(u->unmatched, 0, "naming no county is not naming a wrong one");
    free(v);
    unit_del(u);
}

Test(rollup, nothing_to_match_without_an_ancestor_table)
{
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    value *v = hh("V1", 1, 1, 1, ST_PASS, CLAIM_NONE);
    setv(v, LH, "county_id", T("C1"));
    cr_assert_eq(link_hh(v, 2, anc, u, 1), -1);
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        cr_assert_eq(anc[L], -1, "anc[%d]", L);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->unmatched, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    free(v);
    unit_del(u);
}

Test(rollup, a_county_has_no_ancestor_to_link)
{
    tree();
    unit_rec *u = unit_new(LC);
    long anc[RULES_MAX_LEVELS];
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        anc[L] = 99;
    u->orphan = u->unmatched = 1;
    cr_assert_eq(rollup_link(R, LC, u->slots, "county.csv", 2, anc, u, 1), -1);
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        cr_assert_eq(anc[L], -1, "anc[%d]", L);
    cr_assert_eq(u->orphan, 0);
    cr_assert_eq(u->unmatched, 0);
    unit_del(u);
}

/* ---------- rollup_add ---------- */

Test(rollup, children_at_the_direct_parent_descendants_at_every_ancestor)
{
    tree();
    add_hh(0, 1, 1, 1, ST_PASS, CLAIM_NONE);
    add_hh(0, 1, 1, 1, ST_PASS, CLAIM_NONE);
    add_hh(1, 1, 1, 1, ST_PASS, CLAIM_NONE);
    add_hh(2, 1, 1, 1, ST_PASS, CLAIM_NONE);
    add_hh(-1, 1, 1, 1, ST_PASS, CLAIM_NONE); /* an orphan naming no county: counted nowhere */
    /* an orphan naming its county: counted in C1's figures, no village's */
    cr_assert_eq(add_hh_in("V404", "C1", 1, 1, 1, ST_PASS, UEXIT_NONE, CLAIM_NONE), -1);
    unit_rec *v1 = unit_at(LVV, 0), *v2 = unit_at(LVV, 1), *v3 = unit_at(LVV, 2);
    unit_rec *c1 = unit_at(LC, 0), *c2 = unit_at(LC, 1);
    cr_assert_eq(v1->below.children, 2);
    cr_assert_eq(v1->below.desc[LH->index], 2);
    cr_assert_eq(v2->below.children, 1);
    cr_assert_eq(v3->below.children, 1);
    cr_assert_eq(c1->below.children, 0, "households are not a county's children");
    cr_assert_eq(c1->below.desc[LH->index], 4, "V1's two, V2's one and the orphan naming C1");
    cr_assert_eq(c1->below.desc[LVV->index], 0);
    cr_assert_eq(c2->below.desc[LH->index], 1);
    cr_assert(unit_has_children(c1) && unit_has_children(v1));

    /* the villages, in their turn */
    for (size_t i = 0; i < 3; i++)
        add_village(unit_at(LVV, i), ST_PASS, CLAIM_NONE);
    c1 = unit_at(LC, 0);
    c2 = unit_at(LC, 1);
    cr_assert_eq(c1->below.children, 2);
    cr_assert_eq(c1->below.desc[LVV->index], 2);
    cr_assert_eq(c1->below.desc[LH->index], 4, "unchanged by the villages");
    cr_assert_eq(c2->below.children, 1);
    cr_assert_eq(c2->below.desc[LVV->index], 1);
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        if (L != LVV->index && L != LH->index)
            cr_assert_eq(c1->below.desc[L], 0, "level %d", L);
}

Test(rollup, leaf_claims_only_from_the_bottom_level)
{
    tree();
    add_hh(0, 1, 1, 1, ST_PASS, CLAIM_SUPPORTED);
    add_hh(0, 1, 1, 1, ST_FAIL, CLAIM_WRONG);
    add_hh(1, 1, 1, 1, ST_PASS, CLAIM_NONE);
    add_hh(1, 1, 1, 1, ST_UNKNOWN, CLAIM_UNSUPPORTED);
    add_hh(2, 1, 1, 1, ST_WARN, CLAIM_SUPPORTED);
    expect_tally(&unit_at(LVV, 0)->below.leaf_claims, 2, 1, 1, 0, "V1");
    expect_tally(&unit_at(LVV, 1)->below.leaf_claims, 1, 0, 0, 1, "V2");
    expect_tally(&unit_at(LC, 0)->below.leaf_claims, 3, 1, 1, 1, "C1");
    expect_tally(&unit_at(LC, 1)->below.leaf_claims, 1, 1, 0, 0, "C2");
    add_village(unit_at(LVV, 0), ST_FAIL, CLAIM_WRONG);
    expect_tally(&unit_at(LC, 0)->below.leaf_claims, 3, 1, 1, 1, "C1 after a village's claim");
}

static void expect_people(const claim_tally *t, double people, double wrong, long unknown, const char *what)
{
    cr_assert(t->people == people && t->people_wrong == wrong && t->people_unknown == unknown,
              "%s: people %g, wrong %g, unknown %ld; expected %g, %g, %ld", what, t->people, t->people_wrong,
              t->people_unknown, people, wrong, unknown);
}

Test(rollup, this_years_and_earlier_exits_apart_with_their_people)
{
    tree();
    /* village, county, members, status, exit, claim */
    add_hh_in("V1", NULL, 3, 1, 1, ST_PASS, UEXIT_THIS_YEAR, CLAIM_SUPPORTED);
    add_hh_in("V1", NULL, 4, 1, 1, ST_FAIL, UEXIT_THIS_YEAR, CLAIM_WRONG);
    add_hh_in("V1", NULL, 5, 1, 1, ST_FAIL, UEXIT_EARLIER, CLAIM_WRONG);
    add_hh_in("V1", NULL, 2, 1, 1, ST_PASS, UEXIT_EARLIER, CLAIM_SUPPORTED);
    add_hh_in("V1", NULL, -1, 1, 1, ST_UNKNOWN, UEXIT_EARLIER, CLAIM_UNSUPPORTED); /* members unknown */
    add_hh_in("V1", NULL, 6, 1, 1, ST_FAIL, UEXIT_NONE, CLAIM_NONE);
    add_hh_in("V3", NULL, 7, 1, 1, ST_FAIL, UEXIT_EARLIER, CLAIM_WRONG);
    add_hh_in("V404", "C2", 8, 1, 1, ST_WARN, UEXIT_THIS_YEAR, CLAIM_SUPPORTED); /* an orphan of C2 */
    const unit_below *v1 = &unit_at(LVV, 0)->below, *c1 = &unit_at(LC, 0)->below, *c2 = &unit_at(LC, 1)->below;
    expect_tally(&v1->leaf_claims, 2, 1, 1, 0, "V1 this year");
    expect_people(&v1->leaf_claims, 7, 4, 0, "V1 this year");
    expect_tally(&v1->leaf_earlier, 3, 1, 1, 1, "V1 earlier");
    expect_people(&v1->leaf_earlier, 7, 5, 1, "V1 earlier");
    expect_tally(&c1->leaf_claims, 2, 1, 1, 0, "C1 this year");
    expect_tally(&c1->leaf_earlier, 3, 1, 1, 1, "C1 earlier");
    expect_people(&c1->leaf_earlier, 7, 5, 1, "C1 earlier");
    expect_tally(&c2->leaf_claims, 1, 1, 0, 0, "C2 this year: the orphan, through its county_id");
    expect_people(&c2->leaf_claims, 8, 0, 0, "C2 this year");
    expect_tally(&c2->leaf_earlier, 1, 0, 1, 0, "C2 earlier: V3's");
    expect_people(&c2->leaf_earlier, 7, 7, 0, "C2 earlier");
    cr_assert_eq(v1->children, 6);
    cr_assert_eq(c2->children, 0);
    cr_assert_eq(c2->desc[LH->index], 2);
    expect_tally(&unit_at(LVV, 2)->below.leaf_claims, 0, 0, 0, 0, "V3 this year");
    /* a village's exit, this year's or earlier, is no leaf exit of its county */
    unit_rec *v2 = unit_at(LVV, 1);
    v2->status = ST_FAIL;
    v2->exit = UEXIT_EARLIER;
    v2->claim = CLAIM_WRONG;
    long anc[RULES_MAX_LEVELS];
    rollup_link(R, LVV, v2->slots, "village.csv", 3, anc, v2, 0);
    rollup_add(R, v2, anc);
    expect_tally(&c1->leaf_earlier, 3, 1, 1, 1, "C1 earlier, after a village's earlier exit");
    cr_assert_eq(c1->children, 1);
}

Test(rollup, aggregates_over_households)
{
    tree();
    /* members, income, safe, status */
    add_hh(0, 3, 2000, 1, ST_FAIL, CLAIM_WRONG);
    add_hh(0, 4, 5000, 0, ST_WARN, CLAIM_SUPPORTED);
    add_hh(0, 2, 800, -1, ST_UNKNOWN, CLAIM_NONE);
    add_hh(1, 5, 7000, 1, ST_PASS, CLAIM_NONE);
    unit_rec *v1 = unit_at(LVV, 0), *v2 = unit_at(LVV, 1), *c1 = unit_at(LC, 0);
    expect_acc(v1, "households", 0, 3, 0);
    expect_acc(v1, "people", 9, 3, 0);
    expect_acc(v1, "poor_people", 5, 2, 0); /* not meets: the fail and the unknown */
    expect_acc(v1, "min_income", 800, 3, 0);
    expect_acc(v1, "max_income", 5000, 3, 0);
    expect_acc(v1, "safe_households", 0, 1, 1); /* one unknown where */
    expect_acc(v2, "min_income", 7000, 1, 0);
    expect_acc(v2, "max_income", 7000, 1, 0);
    /* the county's aggregates over households, two levels down */
    expect_acc(c1, "households", 0, 4, 0);
    expect_acc(c1, "household_income", 14800, 4, 0);
    /* its aggregates over villages are not touched by households */
    expect_acc(c1, "villages", 0, 0, 0);
    expect_acc(c1, "poor_villages", 0, 0, 0);
}

Test(rollup, aggregate_value_unknown_is_counted_unknown)
{
    tree();
    add_hh(0, -1, 1500, 1, ST_PASS, CLAIM_NONE);  /* members unknown */
    add_hh(0, 2, -1, 1, ST_FAIL, CLAIM_NONE);     /* income unknown */
    add_hh(0, 6, 900, 1, ST_PASS, CLAIM_NONE);
    unit_rec *v1 = unit_at(LVV, 0), *c1 = unit_at(LC, 0);
    expect_acc(v1, "households", 0, 3, 0);
    expect_acc(v1, "people", 8, 2, 1);
    expect_acc(v1, "poor_people", 2, 1, 0); /* the unknown members are of a unit that meets: not counted */
    expect_acc(v1, "min_income", 900, 2, 1);
    expect_acc(v1, "max_income", 1500, 2, 1);
    expect_acc(c1, "household_income", 2400, 2, 1);
}

Test(rollup, aggregates_over_villages_with_an_unknown_where)
{
    tree();
    int rate = derived_slot(LVV, "rate");
    static const struct {
        double rate; /* < 0: unknown */
        unit_status st;
        claim_status cl;
    } vs[] = {{5, ST_FAIL, CLAIM_WRONG}, {1, ST_PASS, CLAIM_SUPPORTED}, {-1, ST_UNKNOWN, CLAIM_UNSUPPORTED}};
    for (size_t i = 0; i < 3; i++) {
        unit_rec *v = unit_at(LVV, i);
        v->slots[rate] = vs[i].rate < 0 ? U(WHY_DIV_ZERO) : N(vs[i].rate);
        add_village(v, vs[i].st, vs[i].cl);
    }
    unit_rec *c1 = unit_at(LC, 0), *c2 = unit_at(LC, 1);
    expect_acc(c1, "villages", 0, 2, 0);
    expect_acc(c1, "villages_exited", 0, 1, 0);
    expect_acc(c1, "poor_villages", 0, 1, 0);
    expect_acc(c2, "villages", 0, 1, 0);
    expect_acc(c2, "villages_exited", 0, 0, 0);
    expect_acc(c2, "poor_villages", 0, 0, 1); /* its rate is unknown */
}

/* ---------- rollup_count ---------- */

/* Counts a household of the given target statuses into the summary. */
static void count_hh(unsigned char t1, unsigned char t2, claim_status cl, int orphan)
{
    unit_rec *u = unit_new(LH);
    u->tstatus[0] = t1;
    u->tstatus[1] = t2;
    u->status = status_of(u->tstatus, 2);
    u->claim = cl;
    u->orphan = orphan;
    rollup_count(R, u);
    unit_del(u);
}

Test(rollup, count_tallies_a_levels_units)
{
    count_hh(ST_PASS, ST_PASS, CLAIM_SUPPORTED, 0);
    count_hh(ST_PASS, ST_WARN, CLAIM_SUPPORTED, 0);
    count_hh(ST_FAIL, ST_WARN, CLAIM_WRONG, 1);
    count_hh(ST_FAIL, ST_UNKNOWN, CLAIM_NONE, 0);
    count_hh(ST_UNKNOWN, ST_PASS, CLAIM_UNSUPPORTED, 1);
    count_hh(ST_PASS, ST_UNKNOWN, CLAIM_NONE, 0);
    const level_summary *s = rollup_summary(R, LH->index);
    cr_assert_eq(s->units, 6);
    cr_assert_eq(s->pass, 1);
    cr_assert_eq(s->warn, 1);
    cr_assert_eq(s->fail, 2);
    cr_assert_eq(s->unknown, 2);
    expect_tally(&s->claims, 4, 2, 1, 1, "household claims");
    cr_assert_eq(s->orphans, 2);
    cr_assert_eq(s->differs, 0);
    cr_assert_eq(s->target_fail[0], 2);
    cr_assert_eq(s->target_unknown[0], 1);
    cr_assert_eq(s->target_warn[0], 0);
    cr_assert_eq(s->target_fail[1], 0);
    cr_assert_eq(s->target_unknown[1], 2);
    cr_assert_eq(s->target_warn[1], 2);
    const level_summary *vs = rollup_summary(R, LVV->index);
    cr_assert_eq(vs->units, 0, "another level's summary is untouched");
}

Test(rollup, count_differing_figures)
{
    unit_rec *v = unit_new(LVV);
    v->differs[0] = 1;
    v->status = ST_PASS;
    rollup_count(R, v);
    v->differs[0] = 0;
    rollup_count(R, v);
    v->differs[0] = 1;
    v->status = ST_WARN;
    v->tstatus[1] = ST_WARN;
    v->claim = CLAIM_SUPPORTED;
    rollup_count(R, v);
    const level_summary *s = rollup_summary(R, LVV->index);
    cr_assert_eq(s->units, 3);
    cr_assert_eq(s->differs, 2);
    cr_assert_eq(s->pass, 2);
    cr_assert_eq(s->warn, 1);
    cr_assert_eq(s->target_warn[1], 1);
    expect_tally(&s->claims, 1, 1, 0, 0, "village claims");
    unit_del(v);
}

Test(rollup, count_earlier_exits_apart_from_this_years)
{
    static const struct {
        unit_status st;
        unit_exit ex;
        double members; /* < 0: unknown */
        int unmatched;
    } hs[] = {
        {ST_PASS, UEXIT_THIS_YEAR, 3, 0},  {ST_FAIL, UEXIT_THIS_YEAR, 4, 1}, {ST_FAIL, UEXIT_EARLIER, 5, 0},
        {ST_FAIL, UEXIT_EARLIER, 2, 1},    {ST_WARN, UEXIT_EARLIER, 6, 0},  {ST_UNKNOWN, UEXIT_EARLIER, -1, 0},
        {ST_FAIL, UEXIT_NONE, 9, 1},       {ST_UNKNOWN, UEXIT_THIS_YEAR, 1, 0},
    };
    unit_rec *u = unit_new(LH);
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        u->status = hs[i].st;
        u->tstatus[0] = (unsigned char)hs[i].st;
        u->exit = hs[i].ex;
        u->claim = unit_claim_of(hs[i].ex, hs[i].st);
        u->unmatched = hs[i].unmatched;
        setv(u->slots, LH, "members", hs[i].members < 0 ? U(WHY_MISSING) : N(hs[i].members));
        rollup_count(R, u);
    }
    unit_del(u);
    const level_summary *s = rollup_summary(R, LH->index);
    cr_assert_eq(s->units, 8);
    expect_tally(&s->claims, 3, 1, 1, 1, "this year's exits");
    expect_people(&s->claims, 8, 4, 0, "this year's exits");
    expect_tally(&s->earlier, 4, 1, 2, 1, "earlier exits");
    expect_people(&s->earlier, 13, 7, 1, "earlier exits");
    cr_assert_eq(s->unmatched, 3);
    cr_assert_eq(s->orphans, 0);
    cr_assert_eq(s->fail, 4);
}

Test(rollup, count_village_exits_with_their_population)
{
    unit_rec *v = unit_new(LVV);
    setv(v->slots, LVV, "population", N(250));
    v->status = ST_FAIL;
    v->exit = UEXIT_EARLIER;
    v->claim = CLAIM_WRONG;
    rollup_count(R, v);
    v->status = ST_PASS;
    v->exit = UEXIT_THIS_YEAR;
    v->claim = CLAIM_SUPPORTED;
    rollup_count(R, v);
    unit_del(v);
    const level_summary *s = rollup_summary(R, LVV->index);
    expect_tally(&s->earlier, 1, 0, 1, 0, "village earlier");
    expect_people(&s->earlier, 250, 250, 0, "village earlier");
    expect_tally(&s->claims, 1, 1, 0, 0, "village this year");
    expect_people(&s->claims, 250, 0, 0, "village this year");
}

/* ---------- ids that match no unit ---------- */

/* Streams households naming the given villages (warn on, as the
 * streaming path does) and counts them. */
static void stream_named(const char *const *villages, size_t n)
{
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    for (size_t i = 0; i < n; i++) {
        setv(u->slots, LH, "village_id", T(villages[i]));
        rollup_link(R, LH, u->slots, "household.csv", 2 + (long)i, anc, u, 1);
        rollup_count(R, u);
        rollup_add(R, u, anc);
    }
    unit_del(u);
}

Test(rollup, mismatch_only_above_half)
{
    tree();
    static const char *const half[] = {"V1", "V1.0", "V2", "V3.0"};
    stream_named(half, 4);
    const level_summary *s = rollup_summary(R, LH->index);
    cr_assert_eq(s->unmatched, 2);
    cr_assert_eq(s->orphans, 2);
    const char *id = "untouched";
    int anc = -7;
    cr_assert_eq(rollup_mismatch(R, LH->index, &id, &anc), 0, "2 of 4 is not more than half");
    cr_assert_str_eq(id, "untouched");
    cr_assert_eq(anc, -7);
    static const char *const one_more[] = {"V2.0"};
    stream_named(one_more, 1);
    cr_assert_eq(rollup_mismatch(R, LH->index, &id, &anc), 1, "3 of 5");
    cr_assert_str_eq(id, "V1.0", "the first id that matched nothing");
    cr_assert_eq(anc, LVV->index);
    cr_assert_eq(rollup_mismatch_hint(R, id, anc), IDHINT_DOT_ZERO);
    cr_assert_eq(rollup_mismatch(R, LVV->index, &id, &anc), 0, "the villages all matched");
}

Test(rollup, mismatch_against_the_county_table_without_villages)
{
    rollup_set_read(R, LC->index, "county.csv");
    keep(LC, "621123", NULL, 2, NULL);
    unit_rec *u = unit_new(LH);
    long anc[RULES_MAX_LEVELS];
    static const char *const counties[] = {"'621123", "'621123", "621123"};
    for (size_t i = 0; i < 3; i++) {
        setv(u->slots, LH, "village_id", T("V1"));
        setv(u->slots, LH, "county_id", T(counties[i]));
        rollup_link(R, LH, u->slots, "household.csv", 2 + (long)i, anc, u, 1);
        rollup_count(R, u);
    }
    unit_del(u);
    cr_assert_eq(rollup_summary(R, LH->index)->unmatched, 2);
    cr_assert_eq(rollup_summary(R, LH->index)->orphans, 0, "no village table: no orphans");
    const char *id;
    int level;
    cr_assert_eq(rollup_mismatch(R, LH->index, &id, &level), 1);
    cr_assert_str_eq(id, "'621123");
    cr_assert_eq(level, LC->index, "the nearest table read is the county table");
    cr_assert_eq(rollup_mismatch_hint(R, id, level), IDHINT_APOSTROPHE);
}

Test(rollup, mismatch_hints)
{
    tree();
    keep(LVV, "621123001.0", "C1", 5, NULL);
    keep(LVV, "'621123002", "C1", 6, NULL);
    int vl = LVV->index;
    static const struct {
        const char *id;
        rollup_id_hint want;
    } cases[] = {
        {"621123001.0", IDHINT_DOT_ZERO},
        {"'621123001", IDHINT_APOSTROPHE},
        {"6.21123E+08", IDHINT_EXPONENT},
        {"6.21123e+08", IDHINT_EXPONENT},
        {"\xEF\xBC\x96\xEF\xBC\x92\xEF\xBC\x91", IDHINT_FULLWIDTH}, /* U+FF16 U+FF12 U+FF11: 621 */
        {"62\xEF\xBC\x91", IDHINT_FULLWIDTH},                          /* one full-width digit at the end */
        {"\xEF\xBC\x90", IDHINT_FULLWIDTH},                            /* U+FF10 alone */
        {"621123\xC2\xA0", IDHINT_SPACES},                              /* a trailing NBSP */
        {"\xC2\xA0" "621123", IDHINT_SPACES},                           /* a leading one */
        {"621\xC2\xA0" "123", IDHINT_SPACES},
        {"\xC2\xA0", IDHINT_SPACES},
        {"621\xE2\x80\x83" "123", IDHINT_SPACES},                      /* U+2003 em space */
        {"621123\xE2\x80\x8B", IDHINT_SPACES},                         /* U+200B zero-width space */
        {"621123001", IDHINT_PARENT_DOT_ZERO},                          /* the village table has 621123001.0 */
        {"621123002", IDHINT_PARENT_APOSTROPHE},                        /* ... and '621123002 */
        {"621123003", IDHINT_NONE},
        {"V9", IDHINT_NONE},
        {"1.0", IDHINT_DOT_ZERO},
        {".0", IDHINT_NONE},                                            /* nothing before the .0 */
        {"", IDHINT_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(rollup_mismatch_hint(R, cases[i].id, vl), cases[i].want, "case %zu '%s': hint %d, expected %d",
                     i, cases[i].id, rollup_mismatch_hint(R, cases[i].id, vl), cases[i].want);
    cr_assert_eq(rollup_mismatch_hint(R, "621123001", LC->index), IDHINT_NONE, "the county table has no such id");
}

/* ---------- rollup_reset ---------- */

typedef struct snapshot {
    level_summary sum;
    long tf[4], tu[4], tw[4];
    unit_below below[2][3];
    agg_acc acc[2][3][8];
} snapshot;

static void take(snapshot *s)
{
    memset(s, 0, sizeof *s);
    const level_summary *hs = rollup_summary(R, LH->index);
    s->sum = *hs;
    memcpy(s->tf, hs->target_fail, LH->ntargets * sizeof(long));
    memcpy(s->tu, hs->target_unknown, LH->ntargets * sizeof(long));
    memcpy(s->tw, hs->target_warn, LH->ntargets * sizeof(long));
    const rule_level *lvs[2] = {LC, LVV};
    for (int L = 0; L < 2; L++) {
        unit_rec *units;
        size_t n = rollup_units(R, lvs[L]->index, &units);
        cr_assert_leq(n, 3);
        cr_assert_leq(lvs[L]->nagg, 8);
        for (size_t k = 0; k < n; k++) {
            s->below[L][k] = units[k].below;
            s->below[L][k].acc = NULL;
            memcpy(s->acc[L][k], units[k].below.acc, lvs[L]->nagg * sizeof(agg_acc));
        }
    }
}

static void expect_same(const snapshot *a, const snapshot *b, const char *what)
{
    const level_summary *x = &a->sum, *y = &b->sum;
    cr_assert(x->units == y->units && x->pass == y->pass && x->fail == y->fail && x->unknown == y->unknown &&
                  x->warn == y->warn && x->orphans == y->orphans && x->differs == y->differs &&
                  x->unmatched == y->unmatched,
              "%s: summaries differ (units %ld/%ld)", what, x->units, y->units);
    cr_assert(memcmp(&x->claims, &y->claims, sizeof x->claims) == 0, "%s: claims differ", what);
    cr_assert(memcmp(&x->earlier, &y->earlier, sizeof x->earlier) == 0, "%s: earlier exits differ", what);
    cr_assert(memcmp(a->tf, b->tf, sizeof a->tf) == 0 && memcmp(a->tu, b->tu, sizeof a->tu) == 0 &&
                  memcmp(a->tw, b->tw, sizeof a->tw) == 0,
              "%s: per-target tallies differ", what);
    for (int L = 0; L < 2; L++)
        for (int k = 0; k < 3; k++) {
            const unit_below *p = &a->below[L][k], *q = &b->below[L][k];
            cr_assert(p->children == q->children, "%s: level %d unit %d: children %ld/%ld", what, L, k, p->children,
                      q->children);
            cr_assert(memcmp(p->desc, q->desc, sizeof p->desc) == 0, "%s: level %d unit %d: descendants", what, L, k);
            cr_assert(memcmp(&p->leaf_claims, &q->leaf_claims, sizeof p->leaf_claims) == 0,
                      "%s: level %d unit %d: leaf claims", what, L, k);
            cr_assert(memcmp(&p->leaf_earlier, &q->leaf_earlier, sizeof p->leaf_earlier) == 0,
                      "%s: level %d unit %d: leaf earlier exits", what, L, k);
            for (int i = 0; i < 8; i++) {
                const agg_acc *c = &a->acc[L][k][i], *e = &b->acc[L][k][i];
                cr_assert(c->n == e->n && c->unknown == e->unknown && c->v == e->v,
                          "%s: level %d unit %d aggregate %d: n %ld/%ld unknown %ld/%ld v %g/%g", what, L, k, i, c->n,
                          e->n, c->unknown, e->unknown, c->v, e->v);
            }
        }
}

/* Counts a set of households as the streaming path does: into the
 * household summary and into their ancestors. */
static void count_households(void)
{
    static const struct {
        long vi;
        double members, income;
        int safe;
        unsigned char t1, t2;
        claim_status cl;
    } hs[] = {
        {0, 3, 2000, 1, ST_FAIL, ST_PASS, CLAIM_WRONG},    {0, 4, 5000, 0, ST_PASS, ST_WARN, CLAIM_SUPPORTED},
        {0, 2, 800, -1, ST_PASS, ST_UNKNOWN, CLAIM_NONE},  {1, 5, 7000, 1, ST_PASS, ST_PASS, CLAIM_SUPPORTED},
        {1, -1, 100, 1, ST_FAIL, ST_PASS, CLAIM_NONE},     {2, 6, 9000, 1, ST_PASS, ST_PASS, CLAIM_NONE},
        {-1, 9, 9, 1, ST_UNKNOWN, ST_PASS, CLAIM_UNSUPPORTED},
    };
    unit_rec *u = unit_new(LH);
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        u->tstatus[0] = hs[i].t1;
        u->tstatus[1] = hs[i].t2;
        u->status = status_of(u->tstatus, 2);
        u->claim = hs[i].cl;
        /* the first two exits are earlier ones */
        u->exit = i < 2 && u->claim != CLAIM_NONE ? UEXIT_EARLIER : exit_of_claim(u->claim);
        value *v = hh(hs[i].vi >= 0 ? VILLAGE_IDS[hs[i].vi] : NULL, hs[i].members, hs[i].income, hs[i].safe,
                      u->status, u->claim);
        memcpy(u->slots, v, LH->nslots * sizeof(value));
        free(v);
        long anc[RULES_MAX_LEVELS];
        cr_assert_eq(rollup_link(R, LH, u->slots, "household.csv", 2 + (long)i, anc, u, 0), hs[i].vi);
        cr_assert_eq(u->orphan, hs[i].vi < 0);
        rollup_count(R, u);
        rollup_add(R, u, anc);
    }
    unit_del(u);
}

Test(rollup, reset_takes_every_counter_back_to_zero)
{
    tree();
    count_households();
    snapshot s;
    take(&s);
    cr_assert_eq(s.sum.units, 7, "the counts are there before the reset");
    cr_assert_eq(s.below[0][0].desc[LH->index], 5);
    expect_tally(&s.sum.earlier, 2, 1, 1, 0, "earlier exits before the reset");
    cr_assert_eq(s.sum.unmatched, 1, "the household naming no village");
    expect_tally(&s.below[0][0].leaf_earlier, 2, 1, 1, 0, "C1's earlier exits before the reset");
    rollup_reset(R, LH->index);
    const level_summary *hs = rollup_summary(R, LH->index);
    cr_assert(hs->units == 0 && hs->pass == 0 && hs->fail == 0 && hs->unknown == 0 && hs->warn == 0 &&
              hs->orphans == 0 && hs->differs == 0 && hs->unmatched == 0);
    expect_tally(&hs->claims, 0, 0, 0, 0, "household claims after reset");
    expect_tally(&hs->earlier, 0, 0, 0, 0, "household earlier exits after reset");
    expect_people(&hs->claims, 0, 0, 0, "household claims after reset");
    expect_people(&hs->earlier, 0, 0, 0, "household earlier exits after reset");
    for (size_t i = 0; i < LH->ntargets; i++)
        cr_assert(hs->target_fail[i] == 0 && hs->target_unknown[i] == 0 && hs->target_warn[i] == 0, "target %zu", i);
    const rule_level *lvs[2] = {LC, LVV};
    for (int L = 0; L < 2; L++) {
        unit_rec *units;
        size_t n = rollup_units(R, lvs[L]->index, &units);
        for (size_t k = 0; k < n; k++) {
            const unit_below *b = &units[k].below;
            cr_assert_eq(b->children, 0, "%s", units[k].id);
            for (int d = 0; d < RULES_MAX_LEVELS; d++)
                cr_assert_eq(b->desc[d], 0, "%s desc[%d]", units[k].id, d);
            expect_tally(&b->leaf_claims, 0, 0, 0, 0, units[k].id);
            expect_tally(&b->leaf_earlier, 0, 0, 0, 0, units[k].id);
            expect_people(&b->leaf_earlier, 0, 0, 0, units[k].id);
            cr_assert_not_null(b->acc, "%s keeps its accumulators", units[k].id);
            for (size_t i = 0; i < lvs[L]->nagg; i++)
                cr_assert(b->acc[i].n == 0 && b->acc[i].unknown == 0 && b->acc[i].v == 0, "%s.%s", units[k].id,
                          lvs[L]->agg[i].id);
            cr_assert_eq(unit_has_children(&units[k]), 0);
        }
    }
}

Test(rollup, counting_again_after_reset_gives_the_same_figures)
{
    tree();
    count_households();
    snapshot first, second;
    take(&first);
    rollup_reset(R, LH->index);
    count_households();
    take(&second);
    expect_same(&first, &second, "recount");
    rollup_reset(R, LH->index);
    count_households();
    take(&second);
    expect_same(&first, &second, "third count");
}

Test(rollup, reset_leaves_other_levels_summaries)
{
    tree();
    count_households();
    unit_rec *v = unit_new(LVV);
    v->status = ST_FAIL;
    v->tstatus[0] = ST_FAIL;
    v->differs[0] = 1;
    rollup_count(R, v); /* a village summary count (not an add into the counties) */
    unit_del(v);
    rollup_reset(R, LH->index);
    const level_summary *vs = rollup_summary(R, LVV->index);
    cr_assert_eq(vs->units, 1);
    cr_assert_eq(vs->fail, 1);
    cr_assert_eq(vs->differs, 1);
    cr_assert_eq(vs->target_fail[0], 1);
}

/* ---------- a pack of four levels ---------- */

/* rollup.h: a higher ancestor is found through the unit's own column for
 * that level. With four levels (county > township > village > household)
 * a household whose village is missing from the village table reaches its
 * township through its own township_id; when its own county_id then
 * differs from that township's county, rollup_link's warning names the
 * household's village as units[anc[village]] with anc[village] = -1: a
 * read before the village array (a NULL dereference when the village
 * table holds no village at all; AddressSanitizer reports it at the
 * warning). Enable with the fix. */
Test(rollup_four_levels, own_county_differing_from_the_townships_without_a_village)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/exitcheck-four-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    static const char *const files[][2] = {
        {"pack.yaml", "pack: {id: four, version: \"1\", title: t}\n"
                      "include: [c.yaml, t.yaml, v.yaml, h.yaml]\n"
                      "levels:\n"
                      "  - {id: county, key: county_id}\n"
                      "  - {id: township, parent: county, parent_key: county_id, key: township_id}\n"
                      "  - {id: village, parent: township, parent_key: township_id, key: village_id}\n"
                      "  - {id: household, parent: village, parent_key: village_id, key: household_id}\n"},
        {"c.yaml", "level: county\nindicators:\n  - {id: county_id, type: text}\n"},
        {"t.yaml", "level: township\nindicators:\n  - {id: township_id, type: text}\n  - {id: county_id, type: text}\n"},
        {"v.yaml", "level: village\nindicators:\n  - {id: village_id, type: text}\n  - {id: township_id, type: text}\n"},
        {"h.yaml", "level: household\nindicators:\n  - {id: household_id, type: text}\n  - {id: village_id, type: text}\n"
                   "  - {id: township_id, type: text}\n  - {id: county_id, type: text}\n"},
    };
    char path[256];
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fputs(files[i][1], f);
        fclose(f);
    }
    diag_list *d = diag_new();
    ruleset *rs = rules_load(dir, d);
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        unlink(path);
    }
    rmdir(dir);
    cr_assert_not_null(rs);
    rollup *r = rollup_new(rs, d);
    for (int L = 0; L < 3; L++)
        rollup_set_read(r, L, "table.csv");
    long dup;
    value row[4];
    row[0] = T("C1");
    cr_assert_not_null(rollup_keep(r, rules_level(rs, 0), row, 2, "county.csv", &dup));
    row[0] = T("C2");
    cr_assert_not_null(rollup_keep(r, rules_level(rs, 0), row, 3, "county.csv", &dup));
    row[0] = T("T1");
    row[1] = T("C1");
    cr_assert_not_null(rollup_keep(r, rules_level(rs, 1), row, 2, "township.csv", &dup));
    const rule_level *hl = rules_level(rs, 3);
    value h[4] = {T("H1"), T("V404"), T("T1"), T("C2")};
    unit_rec u;
    memset(&u, 0, sizeof u);
    u.level = hl;
    long anc[RULES_MAX_LEVELS];
    cr_assert_eq(rollup_link(r, hl, h, "household.csv", 2, anc, &u, 1), -1);
    cr_assert_eq(u.orphan, 1);
    cr_assert_eq(anc[1], 0, "T1, through its own township_id");
    cr_assert_eq(anc[0], 1, "C2, through its own county_id");
    rollup_free(&r);
    rules_free(&rs);
    diag_free(&d);
}
