/*
 * test_unit.c - the evaluated-unit record's rules (src/unit.h): a unit's
 * status from its targets' (fail beats unknown beats warn beats pass, no
 * target is a pass), a unit's exit from its claimed_exit, exit_year and
 * year cells (this year's, an earlier one, or none, and the conflicting
 * cells SPEC §3 calls data errors), an exit's outcome per status (a
 * warning still supports it, this year's or an earlier one alike), the
 * ten verdict slots a parent's aggregates read (registered included), the
 * claim tally in units and people, the names the JSON report uses, and
 * when a unit has child data.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "rules.h"
#include "unit.h"
#include "value.h"

/* A unit's status from its target statuses, through the set unit_status_of reads. */
static unit_status status_of(const unsigned char *ts, size_t n)
{
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++)
        seen |= 1u << ts[i];
    return unit_status_of(seen);
}

static const unit_status ALL_ST[] = {ST_PASS, ST_FAIL, ST_UNKNOWN, ST_WARN};
static const claim_status ALL_CLAIMS[] = {CLAIM_NONE, CLAIM_SUPPORTED, CLAIM_WRONG, CLAIM_UNSUPPORTED};
static const unit_exit ALL_EXITS[] = {UEXIT_NONE, UEXIT_THIS_YEAR, UEXIT_EARLIER};

/* The rule as the user documentation states it, written independently. */
static unit_status oracle_status(const unsigned char *ts, size_t n)
{
    static const int rank[ST__COUNT] = {[ST_PASS] = 0, [ST_WARN] = 1, [ST_UNKNOWN] = 2, [ST_FAIL] = 3};
    static const unit_status by_rank[] = {ST_PASS, ST_WARN, ST_UNKNOWN, ST_FAIL};
    int worst = 0;
    for (size_t i = 0; i < n; i++)
        if (rank[ts[i]] > worst)
            worst = rank[ts[i]];
    return by_rank[worst];
}

Test(unit, no_targets_is_a_pass)
{
    cr_assert_eq(status_of(NULL, 0), ST_PASS);
    unsigned char fail = ST_FAIL;
    cr_assert_eq(status_of(&fail, 0), ST_PASS, "only the first ntargets statuses count");
}

Test(unit, one_target_gives_its_own_status)
{
    for (size_t i = 0; i < 4; i++) {
        unsigned char t = (unsigned char)ALL_ST[i];
        cr_assert_eq(status_of(&t, 1), ALL_ST[i], "one target %s", unit_status_name(ALL_ST[i]));
    }
}

Test(unit, precedence_named_cases)
{
    struct {
        unsigned char ts[4];
        size_t n;
        unit_status want;
    } cases[] = {
        {{ST_PASS, ST_PASS, ST_PASS}, 3, ST_PASS},
        {{ST_PASS, ST_WARN, ST_PASS}, 3, ST_WARN},
        {{ST_WARN, ST_UNKNOWN}, 2, ST_UNKNOWN},
        {{ST_UNKNOWN, ST_WARN}, 2, ST_UNKNOWN},
        {{ST_UNKNOWN, ST_FAIL}, 2, ST_FAIL},
        {{ST_FAIL, ST_UNKNOWN, ST_WARN, ST_PASS}, 4, ST_FAIL},
        {{ST_WARN, ST_WARN, ST_PASS}, 3, ST_WARN},
        {{ST_PASS, ST_PASS, ST_FAIL}, 3, ST_FAIL}, /* the last target counts too */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(status_of(cases[i].ts, cases[i].n), cases[i].want, "case %zu: %s, expected %s", i,
                     unit_status_name(status_of(cases[i].ts, cases[i].n)), unit_status_name(cases[i].want));
}

/* Every combination of four targets' statuses (256) against the oracle. */
Test(unit, precedence_every_combination_of_four)
{
    for (unsigned k = 0; k < 256; k++) {
        unsigned char ts[4];
        for (int j = 0; j < 4; j++)
            ts[j] = (unsigned char)ALL_ST[(k >> (2 * j)) & 3];
        for (size_t n = 0; n <= 4; n++) {
            unit_status got = status_of(ts, n), want = oracle_status(ts, n);
            cr_assert_eq(got, want, "[%d %d %d %d] first %zu: %s, expected %s", ts[0], ts[1], ts[2], ts[3], n,
                         unit_status_name(got), unit_status_name(want));
        }
    }
}

Test(unit, no_exit_is_none_whatever_the_status)
{
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(unit_claim_of(UEXIT_NONE, ALL_ST[i]), CLAIM_NONE, "%s", unit_status_name(ALL_ST[i]));
}

Test(unit, exit_outcome_per_status)
{
    cr_assert_eq(unit_claim_of(UEXIT_THIS_YEAR, ST_PASS), CLAIM_SUPPORTED);
    cr_assert_eq(unit_claim_of(UEXIT_THIS_YEAR, ST_WARN), CLAIM_SUPPORTED,
                 "a warning target not met still supports the exit");
    cr_assert_eq(unit_claim_of(UEXIT_THIS_YEAR, ST_FAIL), CLAIM_WRONG);
    cr_assert_eq(unit_claim_of(UEXIT_THIS_YEAR, ST_UNKNOWN), CLAIM_UNSUPPORTED);
    /* an earlier exit is judged the same way: one that now fails is a wrong exit (SPEC §4) */
    cr_assert_eq(unit_claim_of(UEXIT_EARLIER, ST_PASS), CLAIM_SUPPORTED);
    cr_assert_eq(unit_claim_of(UEXIT_EARLIER, ST_WARN), CLAIM_SUPPORTED);
    cr_assert_eq(unit_claim_of(UEXIT_EARLIER, ST_FAIL), CLAIM_WRONG);
    cr_assert_eq(unit_claim_of(UEXIT_EARLIER, ST_UNKNOWN), CLAIM_UNSUPPORTED);
}

/* ---------- a unit's exit from its row ---------- */

/* A level with claimed_exit, year and exit_year in slots 0-2 (each role
 * -1 when the level has no such column). */
enum { S_CLAIM, S_YEAR, S_EXIT_YEAR, S_REGISTERED, S__COUNT };

static rule_level exit_level(int has_claim, int has_year, int has_exit_year)
{
    rule_level lv;
    memset(&lv, 0, sizeof lv);
    lv.key = lv.parent_key = lv.name = lv.registered = lv.people = -1;
    lv.claim = has_claim ? S_CLAIM : -1;
    lv.year = has_year ? S_YEAR : -1;
    lv.exit_year = has_exit_year ? S_EXIT_YEAR : -1;
    lv.verdict_base = S__COUNT;
    return lv;
}

/* The exit of a row: claimed (-1: missing cell, else yes/no), year and
 * exit_year (0: missing cell). */
static unit_exit exit_of(const rule_level *lv, int claimed, int year, int exit_year, int *conflict)
{
    value slots[S__COUNT];
    slots[S_CLAIM] = claimed < 0 ? value_unknown(WHY_MISSING) : value_bool(claimed);
    slots[S_YEAR] = year ? value_num(year) : value_unknown(WHY_MISSING);
    slots[S_EXIT_YEAR] = exit_year ? value_num(exit_year) : value_unknown(WHY_MISSING);
    slots[S_REGISTERED] = value_unknown(WHY_MISSING);
    *conflict = -1;
    return unit_exit_of(lv, slots, conflict);
}

static void expect_exit(int claimed, int year, int exit_year, unit_exit want, int want_conflict)
{
    rule_level lv = exit_level(1, 1, 1);
    int conflict;
    unit_exit got = exit_of(&lv, claimed, year, exit_year, &conflict);
    cr_assert_eq(got, want, "claimed %d, year %d, exit_year %d: %s, expected %s", claimed, year, exit_year,
                 unit_exit_name(got), unit_exit_name(want));
    cr_assert_eq(conflict, want_conflict, "claimed %d, year %d, exit_year %d: conflict %d, expected %d", claimed,
                 year, exit_year, conflict, want_conflict);
}

Test(unit, exit_claimed_yes_is_this_years)
{
    expect_exit(1, 2019, 0, UEXIT_THIS_YEAR, 0);
    expect_exit(0, 2019, 0, UEXIT_NONE, 0);
    expect_exit(-1, 2019, 0, UEXIT_NONE, 0);
}

Test(unit, exit_year_of_the_rows_year_is_this_years)
{
    expect_exit(-1, 2019, 2019, UEXIT_THIS_YEAR, 0); /* claimed_exit empty */
    expect_exit(0, 2019, 2019, UEXIT_THIS_YEAR, 0);  /* claimed_exit no: the register's exit year says so */
    expect_exit(1, 2019, 2019, UEXIT_THIS_YEAR, 0);
}

Test(unit, exit_year_before_the_rows_year_is_an_earlier_exit)
{
    expect_exit(0, 2019, 2018, UEXIT_EARLIER, 0);
    expect_exit(-1, 2019, 2015, UEXIT_EARLIER, 0);
    expect_exit(0, 2017, 2016, UEXIT_EARLIER, 0);
}

Test(unit, exit_year_after_the_rows_year_conflicts)
{
    expect_exit(0, 2019, 2020, UEXIT_NONE, 1);
    expect_exit(-1, 2017, 2019, UEXIT_NONE, 1);
    expect_exit(1, 2019, 2020, UEXIT_THIS_YEAR, 1); /* the claim stands; the exit year is not used */
}

Test(unit, claimed_with_an_earlier_exit_year_conflicts)
{
    expect_exit(1, 2019, 2018, UEXIT_THIS_YEAR, 1);
    expect_exit(1, 2017, 2014, UEXIT_THIS_YEAR, 1);
}

Test(unit, exit_from_claimed_only_without_an_exit_year_or_a_year)
{
    int conflict;
    rule_level no_col = exit_level(1, 1, 0);
    cr_assert_eq(exit_of(&no_col, 0, 2019, 2018, &conflict), UEXIT_NONE, "no exit_year column: its slot is not read");
    cr_assert_eq(conflict, 0);
    cr_assert_eq(exit_of(&no_col, 1, 2019, 2020, &conflict), UEXIT_THIS_YEAR);
    cr_assert_eq(conflict, 0);
    rule_level lv = exit_level(1, 1, 1);
    cr_assert_eq(exit_of(&lv, 0, 0, 2018, &conflict), UEXIT_NONE, "no year: the exit year cannot be placed");
    cr_assert_eq(conflict, 0);
    cr_assert_eq(exit_of(&lv, 1, 0, 2018, &conflict), UEXIT_THIS_YEAR);
    cr_assert_eq(conflict, 0);
    rule_level no_year = exit_level(1, 0, 1);
    cr_assert_eq(exit_of(&no_year, 0, 2019, 2018, &conflict), UEXIT_NONE, "no year column");
    cr_assert_eq(conflict, 0);
    cr_assert_eq(exit_of(&no_year, 1, 2019, 2020, &conflict), UEXIT_THIS_YEAR);
    cr_assert_eq(conflict, 0);
    rule_level no_claim = exit_level(0, 1, 1);
    cr_assert_eq(exit_of(&no_claim, 1, 2019, 0, &conflict), UEXIT_NONE, "no claimed_exit column: no claim");
    cr_assert_eq(exit_of(&no_claim, 1, 2019, 2019, &conflict), UEXIT_THIS_YEAR);
    cr_assert_eq(exit_of(&no_claim, 1, 2019, 2017, &conflict), UEXIT_EARLIER);
    cr_assert_eq(conflict, 0, "without a claimed_exit column an earlier exit year is no conflict");
}

Test(unit, exit_year_cell_of_another_kind_is_not_an_exit)
{
    rule_level lv = exit_level(1, 1, 1);
    value slots[S__COUNT] = {value_bool(0), value_num(2019), value_unknown(WHY_INVALID), value_bool(1)};
    int conflict = -1;
    cr_assert_eq(unit_exit_of(&lv, slots, &conflict), UEXIT_NONE, "an invalid exit_year cell");
    cr_assert_eq(conflict, 0);
    slots[S_CLAIM] = value_unknown(WHY_INVALID);
    slots[S_EXIT_YEAR] = value_num(2019);
    cr_assert_eq(unit_exit_of(&lv, slots, &conflict), UEXIT_THIS_YEAR, "an invalid claim cell, exit_year = year");
    cr_assert_eq(conflict, 0);
}

/* ---------- verdict slots ---------- */

/* A level whose verdict slots start at 3 of 13 slots: the slots around
 * them must stay as they were. */
Test(unit, verdict_slots_for_every_status_exit_and_claim)
{
    rule_level lv;
    memset(&lv, 0, sizeof lv);
    lv.claim = lv.year = lv.exit_year = lv.registered = lv.people = -1;
    lv.verdict_base = 3;
    enum { NS = 3 + VERDICT__COUNT + 2 };
    for (size_t si = 0; si < 4; si++)
        for (size_t ei = 0; ei < 3; ei++)
            for (size_t ci = 0; ci < 4; ci++) {
                unit_status st = ALL_ST[si];
                unit_exit ex = ALL_EXITS[ei];
                claim_status cl = ALL_CLAIMS[ci];
                value slots[NS];
                for (int i = 0; i < NS; i++)
                    slots[i] = value_num(1000 + i);
                unit_set_verdicts(&lv, slots, st, ex, cl);
                for (int i = 0; i < NS; i++) {
                    if (i >= 3 && i < 3 + VERDICT__COUNT)
                        continue;
                    cr_assert(slots[i].kind == V_NUM && slots[i].u.num == 1000 + i,
                              "slot %d outside the verdicts changed", i);
                }
                const value *vd = slots + 3;
                int want[VERDICT__COUNT] = {
                    [VERDICT_MEETS] = st == ST_PASS || st == ST_WARN,
                    [VERDICT_FAILS] = st == ST_FAIL,
                    [VERDICT_UNDECIDED] = st == ST_UNKNOWN,
                    [VERDICT_CLAIMS] = ex == UEXIT_THIS_YEAR,
                    [VERDICT_SUPPORTED] = cl == CLAIM_SUPPORTED,
                    [VERDICT_WRONG_EXIT] = cl == CLAIM_WRONG,
                    [VERDICT_UNSUPPORTED] = cl == CLAIM_UNSUPPORTED,
                    [VERDICT_EXITED] = ex != UEXIT_NONE,
                    [VERDICT_EXITED_EARLIER] = ex == UEXIT_EARLIER,
                    [VERDICT_REGISTERED] = 1, /* the level has no registered column */
                };
                for (int v = 0; v < VERDICT__COUNT; v++) {
                    cr_assert_eq(vd[v].kind, V_BOOL, "%s/%s/%s: %s is not a boolean", unit_status_name(st),
                                 unit_exit_name(ex), claim_status_name(cl), verdict_names[v]);
                    cr_assert_eq(vd[v].u.b, want[v], "%s/%s/%s: %s is %d", unit_status_name(st), unit_exit_name(ex),
                                 claim_status_name(cl), verdict_names[v], vd[v].u.b);
                }
            }
}

/* The verdicts of a unit of status st with exit ex, its claim derived. */
static void verdicts_of(value *slots, unit_status st, unit_exit ex)
{
    rule_level lv = exit_level(0, 0, 0);
    unit_set_verdicts(&lv, slots, st, ex, unit_claim_of(ex, st));
}

static void expect_verdicts(const value *vd, int meets, int fails, int undecided, int claims, int supported,
                            int wrong, int unsupported, int exited, int earlier, const char *what)
{
    int want[VERDICT__COUNT] = {meets, fails, undecided, claims, supported, wrong, unsupported, exited, earlier, 1};
    for (int v = 0; v < VERDICT__COUNT; v++) {
        cr_assert_eq(vd[v].kind, V_BOOL, "%s: %s is not a boolean", what, verdict_names[v]);
        cr_assert_eq(vd[v].u.b, want[v], "%s: %s is %d", what, verdict_names[v], vd[v].u.b);
    }
}

Test(unit, verdicts_of_a_warned_claim)
{
    value slots[S__COUNT + VERDICT__COUNT];
    verdicts_of(slots, ST_WARN, UEXIT_THIS_YEAR);
    expect_verdicts(slots + S__COUNT, 1, 0, 0, 1, 1, 0, 0, 1, 0, "warn, this year");
}

Test(unit, verdicts_of_earlier_exits_per_status)
{
    value slots[S__COUNT + VERDICT__COUNT];
    const value *vd = slots + S__COUNT;
    verdicts_of(slots, ST_PASS, UEXIT_EARLIER);
    expect_verdicts(vd, 1, 0, 0, 0, 1, 0, 0, 1, 1, "pass, earlier: supported, not a claim this year");
    verdicts_of(slots, ST_WARN, UEXIT_EARLIER);
    expect_verdicts(vd, 1, 0, 0, 0, 1, 0, 0, 1, 1, "warn, earlier");
    verdicts_of(slots, ST_FAIL, UEXIT_EARLIER);
    expect_verdicts(vd, 0, 1, 0, 0, 0, 1, 0, 1, 1, "fail, earlier: a wrong exit");
    verdicts_of(slots, ST_UNKNOWN, UEXIT_EARLIER);
    expect_verdicts(vd, 0, 0, 1, 0, 0, 0, 1, 1, 1, "unknown, earlier: unsupported");
    verdicts_of(slots, ST_FAIL, UEXIT_THIS_YEAR);
    expect_verdicts(vd, 0, 1, 0, 1, 0, 1, 0, 1, 0, "fail, this year");
    verdicts_of(slots, ST_FAIL, UEXIT_NONE);
    expect_verdicts(vd, 0, 1, 0, 0, 0, 0, 0, 0, 0, "fail, no exit: not a wrong exit");
}

/* The registered builtin of a level whose registered column is slot
 * S_REGISTERED, for that cell. */
static value registered_for(value cell)
{
    rule_level lv = exit_level(1, 1, 1);
    lv.registered = S_REGISTERED;
    value slots[S__COUNT + VERDICT__COUNT];
    slots[S_CLAIM] = value_bool(0);
    slots[S_YEAR] = value_num(2019);
    slots[S_EXIT_YEAR] = value_unknown(WHY_MISSING);
    slots[S_REGISTERED] = cell;
    unit_set_verdicts(&lv, slots, ST_PASS, UEXIT_NONE, CLAIM_NONE);
    cr_assert(slots[S_REGISTERED].kind == cell.kind && slots[S_REGISTERED].why == cell.why,
              "the registered cell itself is left alone");
    return slots[S__COUNT + VERDICT_REGISTERED];
}

Test(unit, registered_from_the_registered_column)
{
    value r = registered_for(value_bool(1));
    cr_assert(r.kind == V_BOOL && r.u.b == 1, "registered = yes");
    r = registered_for(value_bool(0));
    cr_assert(r.kind == V_BOOL && r.u.b == 0, "registered = no: a household outside the register");
    r = registered_for(value_unknown(WHY_NO_COLUMN));
    cr_assert(r.kind == V_BOOL && r.u.b == 1, "a table without the column: every row is registered (SPEC §3)");
    r = registered_for(value_unknown(WHY_MISSING));
    cr_assert_eq(r.kind, V_UNKNOWN, "an empty cell: not known");
    cr_assert_eq(r.why, WHY_MISSING);
    r = registered_for(value_unknown(WHY_INVALID));
    cr_assert_eq(r.kind, V_UNKNOWN, "a bad cell: not known");
    cr_assert_eq(r.why, WHY_INVALID);
}

Test(unit, registered_without_the_role)
{
    value slots[S__COUNT + VERDICT__COUNT];
    for (int i = 0; i < S__COUNT; i++)
        slots[i] = value_bool(0); /* a false cell in every slot: none is read */
    rule_level lv = exit_level(1, 1, 1);
    unit_set_verdicts(&lv, slots, ST_FAIL, UEXIT_NONE, CLAIM_NONE);
    cr_assert_eq(slots[S__COUNT + VERDICT_REGISTERED].kind, V_BOOL);
    cr_assert_eq(slots[S__COUNT + VERDICT_REGISTERED].u.b, 1, "a level without a registered role: every unit is");
}

Test(unit, verdict_names_in_slot_order)
{
    static const char *const want[VERDICT__COUNT] = {"meets",       "fails",  "undecided",      "claims",
                                                     "supported",   "wrong_exit", "unsupported", "exited",
                                                     "exited_earlier", "registered"};
    for (int v = 0; v < VERDICT__COUNT; v++)
        cr_assert_str_eq(verdict_names[v], want[v]);
}

/* ---------- the claim tally ---------- */

Test(unit, claim_tally_counts_outcomes)
{
    claim_tally t = {0};
    claim_tally_add(&t, CLAIM_NONE, NULL, 0);
    cr_assert(t.claimed == 0 && t.supported == 0 && t.wrong == 0 && t.unsupported == 0, "none adds nothing");
    cr_assert_eq(t.people_unknown, 0, "none adds no unknown people either");
    claim_tally_add(&t, CLAIM_SUPPORTED, NULL, 0);
    claim_tally_add(&t, CLAIM_SUPPORTED, NULL, 0);
    claim_tally_add(&t, CLAIM_WRONG, NULL, 0);
    claim_tally_add(&t, CLAIM_NONE, NULL, 0);
    claim_tally_add(&t, CLAIM_UNSUPPORTED, NULL, 0);
    claim_tally_add(&t, CLAIM_UNSUPPORTED, NULL, 0);
    claim_tally_add(&t, CLAIM_UNSUPPORTED, NULL, 0);
    cr_assert_eq(t.claimed, 6);
    cr_assert_eq(t.supported, 2);
    cr_assert_eq(t.wrong, 1);
    cr_assert_eq(t.unsupported, 3);
    cr_assert_eq(t.claimed, t.supported + t.wrong + t.unsupported);
    cr_assert_eq(t.people_unknown, 6, "no people column: every exit's people are unknown");
    cr_assert(t.people == 0 && t.people_wrong == 0);
}

Test(unit, claim_tally_adds_to_what_is_there)
{
    claim_tally t = {10, 5, 3, 2, 40, 12, 1, 0};
    value four = value_num(4);
    claim_tally_add(&t, CLAIM_WRONG, &four, 0);
    cr_assert(t.claimed == 11 && t.supported == 5 && t.wrong == 4 && t.unsupported == 2);
    cr_assert(t.people == 44 && t.people_wrong == 16 && t.people_unknown == 1);
    claim_tally_add(&t, CLAIM_NONE, &four, 0);
    cr_assert(t.claimed == 11 && t.supported == 5 && t.wrong == 4 && t.unsupported == 2);
    cr_assert(t.people == 44 && t.people_wrong == 16 && t.people_unknown == 1, "none adds no people");
}

Test(unit, claim_tally_counts_supported_exits_by_waiver)
{
    claim_tally t = {0};
    claim_tally_add(&t, CLAIM_SUPPORTED, NULL, 1);
    claim_tally_add(&t, CLAIM_SUPPORTED, NULL, 0);
    claim_tally_add(&t, CLAIM_WRONG, NULL, 1); /* only a supported exit holds by waiver */
    claim_tally_add(&t, CLAIM_NONE, NULL, 1);
    cr_assert_eq(t.claimed, 3);
    cr_assert_eq(t.supported, 2);
    cr_assert_eq(t.by_waiver, 1, "one of the two supported exits holds only by waiver");
}

Test(unit, claim_tally_counts_people)
{
    claim_tally t = {0};
    value three = value_num(3), five = value_num(5), two = value_num(2), half = value_num(1.5);
    value missing = value_unknown(WHY_MISSING), bad = value_unknown(WHY_INVALID), text = value_text("4", 1);
    claim_tally_add(&t, CLAIM_SUPPORTED, &three, 0);
    claim_tally_add(&t, CLAIM_WRONG, &five, 0);
    claim_tally_add(&t, CLAIM_UNSUPPORTED, &two, 0);
    claim_tally_add(&t, CLAIM_WRONG, &half, 0);
    claim_tally_add(&t, CLAIM_NONE, &five, 0);
    cr_assert_eq(t.claimed, 4);
    cr_assert(t.people == 11.5, "people of every exit: 3 + 5 + 2 + 1.5, got %g", t.people);
    cr_assert(t.people_wrong == 6.5, "people of the wrong exits: 5 + 1.5, got %g", t.people_wrong);
    cr_assert_eq(t.people_unknown, 0);
    claim_tally_add(&t, CLAIM_WRONG, &missing, 0);
    claim_tally_add(&t, CLAIM_SUPPORTED, &bad, 0);
    claim_tally_add(&t, CLAIM_SUPPORTED, &text, 0);
    claim_tally_add(&t, CLAIM_UNSUPPORTED, NULL, 0);
    cr_assert_eq(t.claimed, 8);
    cr_assert_eq(t.wrong, 3, "a wrong exit of unknown people is still a wrong exit");
    cr_assert_eq(t.people_unknown, 4, "an empty, a bad, a non-number and an absent people cell");
    cr_assert(t.people == 11.5 && t.people_wrong == 6.5, "unknown people add nothing: %g, %g", t.people,
              t.people_wrong);
}

Test(unit, status_names)
{
    cr_assert_str_eq(unit_status_name(ST_PASS), "pass");
    cr_assert_str_eq(unit_status_name(ST_FAIL), "fail");
    cr_assert_str_eq(unit_status_name(ST_UNKNOWN), "unknown");
    cr_assert_str_eq(unit_status_name(ST_WARN), "warn");
}

Test(unit, claim_names)
{
    cr_assert_str_eq(claim_status_name(CLAIM_NONE), "none");
    cr_assert_str_eq(claim_status_name(CLAIM_SUPPORTED), "supported");
    cr_assert_str_eq(claim_status_name(CLAIM_WRONG), "wrong_exit");
    cr_assert_str_eq(claim_status_name(CLAIM_UNSUPPORTED), "unsupported");
}

Test(unit, exit_names)
{
    cr_assert_str_eq(unit_exit_name(UEXIT_NONE), "none");
    cr_assert_str_eq(unit_exit_name(UEXIT_THIS_YEAR), "this_year");
    cr_assert_str_eq(unit_exit_name(UEXIT_EARLIER), "earlier");
}

Test(unit, has_children_from_descendants_of_any_level)
{
    unit_rec u;
    memset(&u, 0, sizeof u);
    cr_assert_eq(unit_has_children(&u), 0, "nothing counted in");
    for (int L = 0; L < RULES_MAX_LEVELS; L++) {
        memset(&u, 0, sizeof u);
        u.below.desc[L] = 1;
        cr_assert_eq(unit_has_children(&u), 1, "a descendant at level %d", L);
    }
}
