/*
 * test_unit.c - the evaluated-unit record's rules (src/unit.h): a unit's
 * status from its targets' (fail beats unknown beats warn beats pass, no
 * target is a pass), a claim's outcome per status (a warning still
 * supports the claim), the seven verdict slots a parent's aggregates read,
 * the claim tally, the names the JSON report uses, and when a unit has
 * child data.
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

Test(unit, no_claim_is_none_whatever_the_status)
{
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(unit_claim_of(0, ALL_ST[i]), CLAIM_NONE, "%s", unit_status_name(ALL_ST[i]));
}

Test(unit, claim_outcome_per_status)
{
    cr_assert_eq(unit_claim_of(1, ST_PASS), CLAIM_SUPPORTED);
    cr_assert_eq(unit_claim_of(1, ST_WARN), CLAIM_SUPPORTED, "a warning target not met still supports the exit");
    cr_assert_eq(unit_claim_of(1, ST_FAIL), CLAIM_WRONG);
    cr_assert_eq(unit_claim_of(1, ST_UNKNOWN), CLAIM_UNSUPPORTED);
    /* any non-zero claims flag is a claim */
    cr_assert_eq(unit_claim_of(7, ST_FAIL), CLAIM_WRONG);
    cr_assert_eq(unit_claim_of(-1, ST_PASS), CLAIM_SUPPORTED);
}

/* A level whose verdict slots start at 3 of 12 slots: the slots around
 * them must stay as they were. */
Test(unit, verdict_slots_for_every_status_and_claim)
{
    rule_level lv;
    memset(&lv, 0, sizeof lv);
    lv.verdict_base = 3;
    enum { NS = 3 + VERDICT__COUNT + 2 };
    for (size_t si = 0; si < 4; si++)
        for (size_t ci = 0; ci < 4; ci++) {
            unit_status st = ALL_ST[si];
            claim_status cl = ALL_CLAIMS[ci];
            value slots[NS];
            for (int i = 0; i < NS; i++)
                slots[i] = value_num(1000 + i);
            unit_set_verdicts(&lv, slots, st, cl);
            for (int i = 0; i < NS; i++) {
                if (i >= 3 && i < 3 + VERDICT__COUNT)
                    continue;
                cr_assert(slots[i].kind == V_NUM && slots[i].u.num == 1000 + i, "slot %d outside the verdicts changed",
                          i);
            }
            const value *vd = slots + 3;
            int want[VERDICT__COUNT] = {
                [VERDICT_MEETS] = st == ST_PASS || st == ST_WARN,
                [VERDICT_FAILS] = st == ST_FAIL,
                [VERDICT_UNDECIDED] = st == ST_UNKNOWN,
                [VERDICT_CLAIMS] = cl != CLAIM_NONE,
                [VERDICT_SUPPORTED] = cl == CLAIM_SUPPORTED,
                [VERDICT_WRONG_EXIT] = cl == CLAIM_WRONG,
                [VERDICT_UNSUPPORTED] = cl == CLAIM_UNSUPPORTED,
            };
            for (int v = 0; v < VERDICT__COUNT; v++) {
                cr_assert_eq(vd[v].kind, V_BOOL, "%s/%s: %s is not a boolean", unit_status_name(st),
                             claim_status_name(cl), verdict_names[v]);
                cr_assert_eq(vd[v].u.b, want[v], "%s/%s: %s is %d", unit_status_name(st), claim_status_name(cl),
                             verdict_names[v], vd[v].u.b);
            }
        }
}

Test(unit, verdicts_of_a_warned_claim)
{
    rule_level lv;
    memset(&lv, 0, sizeof lv);
    value slots[VERDICT__COUNT];
    unit_set_verdicts(&lv, slots, ST_WARN, unit_claim_of(1, ST_WARN));
    cr_assert(slots[VERDICT_MEETS].u.b);
    cr_assert(slots[VERDICT_CLAIMS].u.b);
    cr_assert(slots[VERDICT_SUPPORTED].u.b);
    cr_assert_not(slots[VERDICT_FAILS].u.b);
    cr_assert_not(slots[VERDICT_UNDECIDED].u.b);
    cr_assert_not(slots[VERDICT_WRONG_EXIT].u.b);
    cr_assert_not(slots[VERDICT_UNSUPPORTED].u.b);
}

Test(unit, verdict_names_in_slot_order)
{
    static const char *const want[VERDICT__COUNT] = {"meets",     "fails",      "undecided",  "claims",
                                                     "supported", "wrong_exit", "unsupported"};
    for (int v = 0; v < VERDICT__COUNT; v++)
        cr_assert_str_eq(verdict_names[v], want[v]);
}

Test(unit, claim_tally_counts_outcomes)
{
    claim_tally t = {0};
    claim_tally_add(&t, CLAIM_NONE);
    cr_assert(t.claimed == 0 && t.supported == 0 && t.wrong == 0 && t.unsupported == 0, "none adds nothing");
    claim_tally_add(&t, CLAIM_SUPPORTED);
    claim_tally_add(&t, CLAIM_SUPPORTED);
    claim_tally_add(&t, CLAIM_WRONG);
    claim_tally_add(&t, CLAIM_NONE);
    claim_tally_add(&t, CLAIM_UNSUPPORTED);
    claim_tally_add(&t, CLAIM_UNSUPPORTED);
    claim_tally_add(&t, CLAIM_UNSUPPORTED);
    cr_assert_eq(t.claimed, 6);
    cr_assert_eq(t.supported, 2);
    cr_assert_eq(t.wrong, 1);
    cr_assert_eq(t.unsupported, 3);
    cr_assert_eq(t.claimed, t.supported + t.wrong + t.unsupported);
}

Test(unit, claim_tally_adds_to_what_is_there)
{
    claim_tally t = {10, 5, 3, 2};
    claim_tally_add(&t, CLAIM_WRONG);
    cr_assert(t.claimed == 11 && t.supported == 5 && t.wrong == 4 && t.unsupported == 2);
    claim_tally_add(&t, CLAIM_NONE);
    cr_assert(t.claimed == 11 && t.supported == 5 && t.wrong == 4 && t.unsupported == 2);
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
