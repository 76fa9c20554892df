/*
 * test_plan.c - sampling plans (src/plan.h) against the shipped Gansu
 * pack: a good plan read and bound (strata, take, method, size slot, the
 * compiled `where`, the stage views and their slot layout); each mistake
 * reported at its file:line:column, every mistake of a plan in one run;
 * and the per-row side: plan_unit_slots filling the exit states and the
 * parameters, plan_stratum_of taking the first stratum whose `where` is
 * true, unknown counting as not true.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "digest.h"
#include "plan.h"
#include "rules.h"
#include "strbuf.h"
#include "value.h"

#define GANSU TEST_SRCDIR "/rules/gansu"
#define HAND_PLAN TEST_SRCDIR "/fixtures/sample/hand/plan.yaml"

static diag_list *D;
static ruleset *RS;
static plan *P;
static char path[64];

static void setup(void)
{
    path[0] = '\0';
    D = diag_new();
    cr_assert_not_null(D);
    RS = rules_load(GANSU, D);
    cr_assert_not_null(RS, "the Gansu pack should load");
    cr_assert_eq(diag_errors(D), 0);
    /* the pack's own warnings are not these tests' business */
    diag_free(&D);
    D = diag_new();
    cr_assert_not_null(D);
}

static void teardown(void)
{
    plan_free(&P);
    rules_free(&RS);
    diag_free(&D);
    if (path[0])
        unlink(path);
}

TestSuite(plan, .init = setup, .fini = teardown);
TestSuite(plan_mistakes, .init = setup, .fini = teardown);
TestSuite(plan_rows, .init = setup, .fini = teardown);

static const char *all_diags(void)
{
    static char buf[16384];
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(D); i++)
        diag_format(diag_get(D, i), &sb);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
    return buf;
}

/* Writes text to a temporary file (its path in `path`). */
static void write_plan(const char *text)
{
    snprintf(path, sizeof path, "/tmp/exitcheck-plan-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t n = strlen(text);
    cr_assert_eq(write(fd, text, n), (ssize_t)n);
    cr_assert_eq(close(fd), 0);
}

/* Loads and binds text; returns plan_bind's result (or -2 when plan_load
 * returned NULL). */
static int load_bind(const char *text)
{
    write_plan(text);
    P = plan_load(path, D);
    if (!P)
        return -2;
    return plan_bind(P, RS, D);
}

/* A stored error of the plan file at line:column whose message holds
 * fragment (and second, when not NULL). */
static int has_error(long line, long column, const char *fragment, const char *second)
{
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity == DIAG_ERROR && e->file && strcmp(e->file, path) == 0 && e->line == line &&
            e->column == column && strstr(e->message, fragment) && (!second || strstr(e->message, second)))
            return 1;
    }
    return 0;
}

#define EXPECT_ERROR(line, col, frag, second)                                                                          \
    cr_assert(has_error(line, col, frag, second), "expected an error at %ld:%ld with '%s'; got:\n%s", (long)(line),    \
              (long)(col), frag, all_diags())

static int view_slot(const rule_level *v, const char *id)
{
    for (size_t i = 0; i < v->nind; i++)
        if (strcmp(v->ind[i].id, id) == 0)
            return (int)i;
    cr_assert_fail("the view of %s has no column %s", v->id, id);
    return -1;
}

static int pack_param(const char *id)
{
    for (size_t i = 0; i < rules_nparams(RS); i++)
        if (strcmp(rules_param(RS, i)->id, id) == 0)
            return (int)i;
    cr_assert_fail("no parameter %s", id);
    return -1;
}

/* ---------- a good plan ---------- */

static const char GOOD[] =
    "# a plan with every kind of stratum\n"                                              /* 1 */
    "plan: good\n"                                                                       /* 2 */
    "version: \"3\"\n"                                                                   /* 3 */
    "title: {en: Good plan, zh: 好的抽样方案}\n"                                         /* 4 */
    "pack: gansu\n"                                                                      /* 5 */
    "source: a test\n"                                                                   /* 6 */
    "columns:\n"                                                                         /* 7 */
    "  household:\n"                                                                     /* 8 */
    "    dibao: {type: bool, zh: 低保户, aliases: [是否低保户]}\n"                       /* 9 */
    "    score: number\n"                                                                /* 10 */
    "villages:\n"                                                                        /* 11 */
    "  - {id: poor, where: poor_village, take: 3, method: pps, size: population}\n"      /* 12 */
    "  - {id: other, take: all, method: srs}\n"                                          /* 13 */
    "households:\n"                                                                      /* 14 */
    "  - {id: census, where: dibao, take: all}\n"                                        /* 15 */
    "  - {id: exited, where: registered and exited, take: 10}\n"                         /* 16 */
    "  - id: low\n"                                                                      /* 17 */
    "    where: income_per_capita < poverty_line\n"                                     /* 18 */
    "    take: 4\n"                                                                      /* 19 */
    "    method: pps\n"                                                                  /* 20 */
    "    size: score\n"                                                                  /* 21 */
    "  - {id: rest, take: 1}\n";                                                         /* 22 */

Test(plan, good_plan_loads_and_binds)
{
    cr_assert_eq(load_bind(GOOD), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_str_eq(plan_id(P), "good");
    cr_assert_str_eq(plan_version(P), "3");
    cr_assert_str_eq(plan_title(P).en, "Good plan");
    cr_assert_str_eq(plan_title(P).zh, "好的抽样方案");
    cr_assert_str_eq(plan_source(P), "a test");
    cr_assert_str_eq(plan_path(P), path);
    srcpos pp;
    cr_assert_str_eq(plan_pack(P, &pp), "gansu");
    cr_assert_eq(pp.line, 5);
    cr_assert_eq(pp.column, 7);
    char hex[65];
    digest_file_hex(path, hex);
    cr_assert_str_eq(plan_sha256(P), hex, "the plan's digest is that of its bytes");

    const plan_stage *v = plan_get_stage(P, PLAN_VILLAGES);
    cr_assert_eq(v->nstrata, 2);
    cr_assert_eq(v->level, 1, "villages are the level above the bottom one");
    cr_assert_str_eq(v->view->id, "village");
    cr_assert_str_eq(v->strata[0].id, "poor");
    cr_assert_eq(v->strata[0].take, 3);
    cr_assert_eq(v->strata[0].method, PLAN_PPS);
    cr_assert_str_eq(v->strata[0].size_name, "population");
    cr_assert_eq(v->strata[0].size, view_slot(v->view, "population"));
    cr_assert(v->view->ind[v->strata[0].size].required, "a size column is required");
    cr_assert_not_null(v->strata[0].where);
    cr_assert_str_eq(v->strata[0].where_text, "poor_village");
    cr_assert_eq(v->strata[0].pos.line, 12);
    cr_assert_eq(v->strata[0].pos.column, 5);
    cr_assert_str_eq(v->strata[1].id, "other");
    cr_assert_eq(v->strata[1].take, PLAN_TAKE_ALL);
    cr_assert_eq(v->strata[1].method, PLAN_SRS);
    cr_assert_null(v->strata[1].size_name);
    cr_assert_eq(v->strata[1].size, -1);
    cr_assert_null(v->strata[1].where, "no where: every unit that reaches the stratum");
    cr_assert_null(v->strata[1].where_text);
    /* the village view: the pack's indicators, no plan column */
    const rule_level *pv = rules_level(RS, 1);
    cr_assert_eq(v->view->nind, pv->nind);
    cr_assert_eq(v->state_base, (int)pv->nind);
    cr_assert_eq(v->param_base, v->state_base + PSTATE__COUNT);
    cr_assert_eq(v->nslots, (size_t)v->param_base + rules_nparams(RS));
    cr_assert_eq(v->nparams_read, 0);
    cr_assert(v->view->ind[v->view->key].required);
    cr_assert(v->view->ind[v->view->parent_key].required);
    cr_assert(v->view->ind[view_slot(v->view, "poor_village")].required, "a column a where reads is required");
    cr_assert_not(v->view->ind[view_slot(v->view, "doctors")].required, "a column nothing reads is not required");

    const plan_stage *h = plan_get_stage(P, PLAN_HOUSEHOLDS);
    const rule_level *ph = rules_level(RS, 2);
    cr_assert_eq(h->nstrata, 4);
    cr_assert_eq(h->level, 2);
    cr_assert_str_eq(h->view->id, "household");
    cr_assert_eq(h->view->nind, ph->nind + 2, "the pack's indicators, then the plan's two columns");
    cr_assert_str_eq(h->view->ind[ph->nind].id, "dibao");
    cr_assert_eq(h->view->ind[ph->nind].type, IND_BOOL);
    cr_assert_str_eq(h->view->ind[ph->nind].zh, "低保户");
    cr_assert_eq(h->view->ind[ph->nind].naliases, 1);
    cr_assert_str_eq(h->view->ind[ph->nind].aliases[0], "是否低保户");
    cr_assert_str_eq(h->view->ind[ph->nind + 1].id, "score");
    cr_assert_eq(h->view->ind[ph->nind + 1].type, IND_NUMBER);
    cr_assert_eq(h->state_base, (int)h->view->nind);
    cr_assert_eq(h->param_base, h->state_base + PSTATE__COUNT);
    cr_assert_eq(h->nslots, (size_t)h->param_base + rules_nparams(RS));
    static const long takes[] = {PLAN_TAKE_ALL, 10, 4, 1};
    static const plan_method methods[] = {PLAN_SRS, PLAN_SRS, PLAN_PPS, PLAN_SRS};
    static const char *const ids[] = {"census", "exited", "low", "rest"};
    static const long lines[] = {15, 16, 17, 22};
    for (size_t k = 0; k < 4; k++) {
        cr_assert_str_eq(h->strata[k].id, ids[k]);
        cr_assert_eq(h->strata[k].take, takes[k], "%s: take %ld", ids[k], h->strata[k].take);
        cr_assert_eq(h->strata[k].method, methods[k], "%s", ids[k]);
        cr_assert_eq(h->strata[k].pos.line, lines[k], "%s at line %ld", ids[k], h->strata[k].pos.line);
        cr_assert_eq(h->strata[k].where == NULL, k == 3, "%s: where compiled iff given", ids[k]);
    }
    cr_assert_eq(h->strata[2].size, (int)ph->nind + 1, "size: score is the plan's second column");
    cr_assert_str_eq(h->strata[2].where_text, "income_per_capita < poverty_line");
    /* the only parameter read is poverty_line, at its slot */
    cr_assert_eq(h->nparams_read, 1);
    cr_assert_eq(h->params[0], h->param_base + pack_param("poverty_line"));
    cr_assert(h->view->ind[view_slot(h->view, "dibao")].required);
    cr_assert(h->view->ind[view_slot(h->view, "income_per_capita")].required);
    /* the pack's level is not changed by the plan's view */
    cr_assert_eq(ph->nind + 2, h->view->nind);
    cr_assert_neq(ph->ind, h->view->ind);
}

Test(plan, shipped_plans_bind_to_their_packs)
{
    static const char *const plans[][2] = {
        {TEST_SRCDIR "/plans/simple.yaml", NULL},
        {HAND_PLAN, NULL},
        {TEST_SRCDIR "/plans/national-2018.yaml", TEST_SRCDIR "/rules/national-2016"},
    };
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ruleset *rs = RS;
        if (plans[i][1]) {
            rs = rules_load(plans[i][1], D);
            cr_assert_not_null(rs);
        }
        plan *p = plan_load(plans[i][0], D);
        cr_assert_not_null(p, "%s: %s", plans[i][0], all_diags());
        cr_assert_eq(plan_bind(p, rs, D), 0, "%s: %s", plans[i][0], all_diags());
        cr_assert_eq(diag_errors(D), 0, "%s: %s", plans[i][0], all_diags());
        srcpos pos;
        cr_assert_str_eq(plan_pack(p, &pos), rules_id(rs));
        plan_free(&p);
        cr_assert_null(p, "plan_free clears the pointer");
        if (rs != RS)
            rules_free(&rs);
    }
}

Test(plan, sniff_tells_plans_from_packs)
{
    cr_assert_eq(plan_sniff(HAND_PLAN), 1);
    cr_assert_eq(plan_sniff(TEST_SRCDIR "/plans/national-2018.yaml"), 1);
    cr_assert_eq(plan_sniff(GANSU "/pack.yaml"), 0);
    cr_assert_eq(plan_sniff(GANSU "/household.yaml"), 0);
    cr_assert_eq(plan_sniff(TEST_SRCDIR "/no/such/plan.yaml"), 0);
}

Test(plan, pack_named_is_not_the_pack_given)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "pack: national-2016\n"
                           "villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(2, 7, "the plan is written for the pack 'national-2016', the rules given are the pack 'gansu'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

/* ---------- mistakes, one at a time ---------- */

/* A plan whose villages are `vline` (one stratum, at line 3) and whose
 * households are fine: one mistake in a village stratum. */
static int one_village_stratum(const char *vline)
{
    char text[1024];
    snprintf(text, sizeof text,
             "plan: p\n"
             "villages:\n"
             "%s\n"
             "households:\n"
             "  - {id: h, take: 1}\n",
             vline);
    return load_bind(text);
}

Test(plan_mistakes, unknown_indicator_in_where_with_did_you_mean)
{
    cr_assert_eq(one_village_stratum("  - {id: v, where: poor_vilage and population > 10, take: 1}"), -1);
    EXPECT_ERROR(3, 20, "unknown name 'poor_vilage'", "did you mean 'poor_village'");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = diag_get(D, 0);
    cr_assert_not_null(e->excerpt, "an expression error shows its line");
    cr_assert_eq(e->caret_len, strlen("poor_vilage"));
}

Test(plan_mistakes, exit_state_misspelt_suggests_the_state)
{
    cr_assert_eq(one_village_stratum("  - {id: v, where: exited_earlyer, take: 1}"), -1);
    EXPECT_ERROR(3, 20, "unknown name 'exited_earlyer'", "did you mean 'exited_earlier'");
}

Test(plan_mistakes, where_that_is_not_a_bool)
{
    cr_assert_eq(one_village_stratum("  - {id: v, where: population + 1, take: 1}"), -1);
    EXPECT_ERROR(3, 20, "'where' of a stratum must be a bool, this expression is a number", NULL);
}

Test(plan_mistakes, take_zero)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 0}"), -1);
    EXPECT_ERROR(3, 19, "'take' of a stratum must be a whole number", "found '0'");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, take_negative)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: -1}"), -1);
    EXPECT_ERROR(3, 19, "'take' of a stratum must be a whole number", "found '-1'");
}

Test(plan_mistakes, take_fraction)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 1.5}"), -1);
    EXPECT_ERROR(3, 19, "'take' of a stratum must be a whole number", "found '1.5'");
}

Test(plan_mistakes, take_word)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: x}"), -1);
    EXPECT_ERROR(3, 19, "'take' of a stratum must be a whole number", "found 'x'");
}

Test(plan_mistakes, take_missing)
{
    cr_assert_eq(one_village_stratum("  - {id: v}"), -1);
    EXPECT_ERROR(3, 5, "a stratum has no 'take'", NULL);
}

Test(plan_mistakes, pps_without_size)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, method: pps}"), -1);
    EXPECT_ERROR(3, 30, "a pps stratum needs 'size'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, pps_with_take_all)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: all, method: pps, size: population}"), -1);
    EXPECT_ERROR(3, 19, "a pps stratum draws a number of units", "drop 'method: pps'");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, size_on_srs)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, size: population}"), -1);
    EXPECT_ERROR(3, 28, "'size' is read only by 'method: pps'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, size_naming_a_text_column)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, method: pps, size: village_name}"), -1);
    EXPECT_ERROR(3, 41, "'size' must name a number column; 'village_name' is a text column", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, size_naming_a_bool_column)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, method: pps, size: poor_village}"), -1);
    EXPECT_ERROR(3, 41, "'size' must name a number column; 'poor_village' is a bool column", NULL);
}

Test(plan_mistakes, size_naming_no_column)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, method: pps, size: populaton}"), -1);
    EXPECT_ERROR(3, 41, "'size' names 'populaton', which is not a column of level 'village'", NULL);
}

Test(plan_mistakes, unknown_method)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 2, method: cluster}"), -1);
    EXPECT_ERROR(3, 30, "unknown method 'cluster' (expected srs or pps)", NULL);
}

Test(plan_mistakes, duplicate_stratum_id)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "villages:\n"
                           "  - {id: v, take: 1}\n"
                           "households:\n"
                           "  - {id: a, take: 1}\n"
                           "  - {id: b, take: 1}\n"
                           "  - {id: a, where: registered, take: 2}\n"),
                 -1);
    EXPECT_ERROR(7, 10, "a second stratum 'a' in 'households' (the first is at line 5)", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, same_id_in_both_stages_is_fine)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "villages: [{id: all, take: 1}]\n"
                           "households: [{id: all, take: 1}]\n"),
                 0, "%s", all_diags());
}

Test(plan_mistakes, column_clashing_with_a_pack_indicator)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "columns:\n"
                           "  household:\n"
                           "    dibao: bool\n"
                           "    house_safe: bool\n"
                           "villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, where: dibao, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(5, 5, "the column 'house_safe' is already a name of level 'household'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, column_clashing_with_an_exit_state_or_parameter)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "columns:\n"
                           "  village:\n"
                           "    claimed: bool\n"
                           "    poverty_line: number\n"
                           "villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(4, 5, "the column 'claimed' is already a name of level 'village'", NULL);
    EXPECT_ERROR(5, 5, "the column 'poverty_line' is already a name of level 'village'", NULL);
}

Test(plan_mistakes, column_of_a_level_not_drawn)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "columns:\n"
                           "  county:\n"
                           "    x: bool\n"
                           "villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(3, 3, "'county' is not a level this plan draws", NULL);
}

Test(plan_mistakes, column_of_unknown_type)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "columns:\n"
                           "  household:\n"
                           "    x: colour\n"
                           "villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(4, 8, "unknown column type 'colour'", NULL);
}

Test(plan_mistakes, unknown_key_of_the_plan)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "villages: [{id: v, take: 1}]\n"
                           "colour: red\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(3, 1, "unknown key 'colour' in a plan", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, unknown_key_of_a_stratum_with_did_you_mean)
{
    cr_assert_eq(one_village_stratum("  - {id: v, take: 1, wher: registered}"), -1);
    EXPECT_ERROR(3, 22, "unknown key 'wher' in a stratum", "did you mean 'where'");
}

Test(plan_mistakes, missing_villages)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(1, 1, "the plan has no 'villages'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, missing_households)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "villages: [{id: v, take: 1}]\n"),
                 -1);
    EXPECT_ERROR(1, 1, "the plan has no 'households'", NULL);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

Test(plan_mistakes, empty_stage_and_wrong_kind)
{
    cr_assert_eq(load_bind("plan: p\n"
                           "villages: []\n"
                           "households: {a: 1}\n"),
                 -1);
    EXPECT_ERROR(2, 11, "'villages' lists no stratum", NULL);
    EXPECT_ERROR(3, 13, "'households' must be a list", NULL);
}

Test(plan_mistakes, missing_plan_id)
{
    cr_assert_eq(load_bind("villages: [{id: v, take: 1}]\n"
                           "households: [{id: h, take: 1}]\n"),
                 -1);
    cr_assert_geq(diag_errors(D), 1);
    cr_assert(strstr(all_diags(), "'plan'"), "%s", all_diags());
}

Test(plan_mistakes, empty_file_and_not_a_mapping)
{
    cr_assert_eq(load_bind(""), -2, "an empty plan is not returned");
    cr_assert(strstr(all_diags(), "the plan is empty"), "%s", all_diags());
    unlink(path);
    diag_free(&D);
    D = diag_new();
    cr_assert_eq(load_bind("- a\n- b\n"), -2);
    EXPECT_ERROR(1, 1, "a plan must be a mapping", NULL);
}

Test(plan_mistakes, no_such_file)
{
    P = plan_load(TEST_SRCDIR "/no/such/plan.yaml", D);
    cr_assert_null(P);
    cr_assert_geq(diag_errors(D), 1);
}

/* ---------- every mistake of a plan in one run ---------- */

static const char MANY[] =
    "plan: bad\n"                                                        /* 1 */
    "pack: gansu\n"                                                      /* 2 */
    "colour: red\n"                                                      /* 3 */
    "columns:\n"                                                         /* 4 */
    "  household:\n"                                                     /* 5 */
    "    dibao: bool\n"                                                  /* 6 */
    "    members: integer\n"                                             /* 7 */
    "villages:\n"                                                        /* 8 */
    "  - {id: a, where: poor_vilage, take: 0}\n"                         /* 9 */
    "  - {id: b, take: -1}\n"                                            /* 10 */
    "  - {id: c, take: 1.5, method: pps, size: population}\n"            /* 11 */
    "  - {id: d, take: x}\n"                                             /* 12 */
    "  - {id: e, take: 2, method: pps}\n"                                /* 13 */
    "  - {id: f, take: all, method: pps, size: population}\n"            /* 14 */
    "  - {id: g, take: 2, size: population}\n"                           /* 15 */
    "  - {id: h, take: 2, method: pps, size: village_name}\n"            /* 16 */
    "  - {id: a, take: 3}\n"                                             /* 17 */
    "households:\n"                                                      /* 18 */
    "  - {id: x, where: dibao and registerd, take: 1}\n"                 /* 19 */
    "  - {id: y, take: 1, methd: srs}\n";                                /* 20 */

Test(plan_mistakes, every_mistake_in_one_run)
{
    cr_assert_eq(load_bind(MANY), -1);
    EXPECT_ERROR(3, 1, "unknown key 'colour' in a plan", NULL);
    EXPECT_ERROR(7, 5, "the column 'members' is already a name of level 'household'", NULL);
    EXPECT_ERROR(9, 20, "unknown name 'poor_vilage'", "did you mean 'poor_village'");
    EXPECT_ERROR(9, 39, "'take' of a stratum must be", "found '0'");
    EXPECT_ERROR(10, 19, "'take' of a stratum must be", "found '-1'");
    EXPECT_ERROR(11, 19, "'take' of a stratum must be", "found '1.5'");
    EXPECT_ERROR(12, 19, "'take' of a stratum must be", "found 'x'");
    EXPECT_ERROR(13, 30, "a pps stratum needs 'size'", NULL);
    EXPECT_ERROR(14, 19, "a pps stratum draws a number of units", NULL);
    EXPECT_ERROR(15, 28, "'size' is read only by 'method: pps'", NULL);
    EXPECT_ERROR(16, 41, "'size' must name a number column", NULL);
    EXPECT_ERROR(17, 10, "a second stratum 'a' in 'villages' (the first is at line 9)", NULL);
    EXPECT_ERROR(19, 30, "unknown name 'registerd'", "did you mean 'registered'");
    EXPECT_ERROR(20, 22, "unknown key 'methd' in a stratum", "did you mean 'method'");
    cr_assert_eq(diag_errors(D), 14, "exactly the fourteen mistakes:\n%s", all_diags());
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        cr_assert_str_eq(e->file, path, "every message names the plan: %s", e->message);
        cr_assert_gt(e->line, 0, "every message has a line: %s", e->message);
        cr_assert_gt(e->column, 0, "every message has a column: %s", e->message);
    }
}

/* ---------- rows: exit states and strata ---------- */

static const char STATES[] =
    "plan: states\n"
    "columns:\n"
    "  household:\n"
    "    dibao: bool\n"
    "villages:\n"
    "  - {id: v, take: 1}\n"
    "households:\n"
    "  - {id: census, where: dibao, take: all}\n"
    "  - {id: claimed, where: claimed, take: 1}\n"
    "  - {id: earlier, where: exited_earlier, take: 1}\n"
    "  - {id: reg, where: registered, take: 1}\n"
    "  - {id: low, where: income_per_capita < poverty_line, take: 1}\n"
    "  - {id: unreg, where: not registered, take: 1}\n";

enum { S_CENSUS, S_CLAIMED, S_EARLIER, S_REG, S_LOW, S_UNREG };

static const plan_stage *HS;
static value *SL;

/* A household row of the STATES plan: every column absent from the table
 * (as --partial delivers it), year 2017, dibao no. */
static void row_reset(void)
{
    for (size_t i = 0; i < HS->nslots; i++)
        SL[i] = value_unknown(WHY_NO_COLUMN);
    SL[view_slot(HS->view, "household_id")] = value_text("h1", 2);
    SL[view_slot(HS->view, "year")] = value_num(2017);
    SL[view_slot(HS->view, "dibao")] = value_bool(0);
}

static void set(const char *id, value v) { SL[view_slot(HS->view, id)] = v; }

static void states_setup(void)
{
    cr_assert_eq(load_bind(STATES), 0, "%s", all_diags());
    HS = plan_get_stage(P, PLAN_HOUSEHOLDS);
    SL = calloc(HS->nslots, sizeof *SL);
    cr_assert_not_null(SL);
    row_reset();
}

/* The row's states after plan_unit_slots, and its stratum. */
static int classify(int *reg, int *claimed, int *exited, int *earlier)
{
    plan_unit_slots(P, PLAN_HOUSEHOLDS, SL);
    const value *st = SL + HS->state_base;
    int *out[PSTATE__COUNT] = {reg, claimed, exited, earlier};
    for (int k = 0; k < PSTATE__COUNT; k++) {
        if (!out[k])
            continue;
        if (st[k].kind == V_UNKNOWN)
            *out[k] = -1;
        else {
            cr_assert_eq(st[k].kind, V_BOOL, "state %s is a bool or unknown", plan_state_names[k]);
            *out[k] = st[k].u.b;
        }
    }
    return plan_stratum_of(P, PLAN_HOUSEHOLDS, SL);
}

#define STATES_ARE(r, c, e, ee)                                                                                        \
    do {                                                                                                               \
        int r_, c_, e_, ee_;                                                                                           \
        stratum = classify(&r_, &c_, &e_, &ee_);                                                                       \
        cr_assert_eq(r_, r, "registered %d, expected %d", r_, r);                                                      \
        cr_assert_eq(c_, c, "claimed %d, expected %d", c_, c);                                                         \
        cr_assert_eq(e_, e, "exited %d, expected %d", e_, e);                                                          \
        cr_assert_eq(ee_, ee, "exited_earlier %d, expected %d", ee_, ee);                                              \
    } while (0)

Test(plan_rows, exit_year_before_the_year_is_exited_earlier)
{
    states_setup();
    int stratum;
    set("registered", value_bool(1));
    set("exit_year", value_num(2015));
    set("claimed_exit", value_bool(0));
    STATES_ARE(1, 0, 1, 1);
    cr_assert_eq(stratum, S_EARLIER);
    free(SL);
}

Test(plan_rows, exit_year_of_the_year_is_claimed)
{
    states_setup();
    int stratum;
    set("registered", value_bool(1));
    set("exit_year", value_num(2017));
    set("claimed_exit", value_bool(0));
    STATES_ARE(1, 1, 1, 0);
    cr_assert_eq(stratum, S_CLAIMED);
    free(SL);
}

Test(plan_rows, claimed_exit_yes_is_claimed)
{
    states_setup();
    int stratum;
    set("registered", value_bool(1));
    set("exit_year", value_unknown(WHY_MISSING));
    set("claimed_exit", value_bool(1));
    STATES_ARE(1, 1, 1, 0);
    cr_assert_eq(stratum, S_CLAIMED);
    free(SL);
}

Test(plan_rows, exit_year_after_the_year_is_not_an_exit)
{
    states_setup();
    int stratum;
    set("registered", value_bool(1));
    set("exit_year", value_num(2018));
    set("claimed_exit", value_bool(0));
    STATES_ARE(1, 0, 0, 0);
    cr_assert_eq(stratum, S_REG);
    free(SL);
}

Test(plan_rows, registered_column_missing_is_registered)
{
    states_setup();
    int stratum;
    /* row_reset left registered, exit_year, claimed_exit as WHY_NO_COLUMN */
    STATES_ARE(1, 0, 0, 0);
    cr_assert_eq(stratum, S_REG, "a table without the registered column: every row is registered");
    free(SL);
}

Test(plan_rows, registered_cell_empty_is_unknown_and_matches_nothing)
{
    states_setup();
    int stratum;
    set("registered", value_unknown(WHY_MISSING));
    STATES_ARE(-1, 0, 0, 0);
    /* registered unknown: neither `registered` nor `not registered` holds,
     * and income is unknown: in no stratum */
    cr_assert_eq(stratum, -1);
    free(SL);
}

Test(plan_rows, registered_no_goes_to_not_registered)
{
    states_setup();
    int stratum;
    set("registered", value_bool(0));
    STATES_ARE(0, 0, 0, 0);
    cr_assert_eq(stratum, S_UNREG);
    free(SL);
}

Test(plan_rows, first_stratum_that_holds_wins)
{
    states_setup();
    int stratum;
    set("dibao", value_bool(1));
    set("registered", value_bool(1));
    set("exit_year", value_num(2017));
    STATES_ARE(1, 1, 1, 0);
    cr_assert_eq(stratum, S_CENSUS, "census comes first although claimed holds too");
    set("dibao", value_unknown(WHY_MISSING));
    stratum = classify(NULL, NULL, NULL, NULL);
    cr_assert_eq(stratum, S_CLAIMED, "dibao unknown: census does not hold");
    free(SL);
}

Test(plan_rows, parameters_come_from_the_rows_year)
{
    states_setup();
    /* poverty_line is 2952 in 2016 and has no value for 2017 */
    set("registered", value_bool(0));
    set("income_per_capita", value_num(2000));
    set("year", value_num(2016));
    cr_assert_eq(classify(NULL, NULL, NULL, NULL), S_LOW);
    int pl = HS->param_base + pack_param("poverty_line");
    cr_assert_eq(SL[pl].kind, V_NUM);
    cr_assert(SL[pl].u.num == 2952, "poverty_line %.17g", SL[pl].u.num);
    set("year", value_num(2017));
    cr_assert_eq(classify(NULL, NULL, NULL, NULL), S_UNREG, "no poverty line for 2017: low is unknown, not true");
    cr_assert_eq(SL[pl].kind, V_UNKNOWN);
    set("income_per_capita", value_num(3000));
    set("year", value_num(2016));
    cr_assert_eq(classify(NULL, NULL, NULL, NULL), S_UNREG, "3000 >= 2952");
    free(SL);
}

Test(plan_rows, a_stratum_without_where_takes_the_rest)
{
    plan_free(&P);
    P = plan_load(HAND_PLAN, D);
    cr_assert_not_null(P);
    cr_assert_eq(plan_bind(P, RS, D), 0, "%s", all_diags());
    const plan_stage *h = plan_get_stage(P, PLAN_HOUSEHOLDS);
    value *sl = calloc(h->nslots, sizeof *sl);
    cr_assert_not_null(sl);
    for (size_t i = 0; i < h->nslots; i++)
        sl[i] = value_unknown(WHY_NO_COLUMN);
    sl[view_slot(h->view, "year")] = value_num(2017);
    sl[view_slot(h->view, "registered")] = value_unknown(WHY_MISSING);
    sl[view_slot(h->view, "dibao")] = value_unknown(WHY_MISSING);
    plan_unit_slots(P, PLAN_HOUSEHOLDS, sl);
    cr_assert_eq(plan_stratum_of(P, PLAN_HOUSEHOLDS, sl), 2, "everything unknown: the stratum without where");
    sl[view_slot(h->view, "dibao")] = value_bool(1);
    plan_unit_slots(P, PLAN_HOUSEHOLDS, sl);
    cr_assert_eq(plan_stratum_of(P, PLAN_HOUSEHOLDS, sl), 0);
    sl[view_slot(h->view, "dibao")] = value_bool(0);
    sl[view_slot(h->view, "registered")] = value_bool(1);
    sl[view_slot(h->view, "claimed_exit")] = value_bool(1);
    plan_unit_slots(P, PLAN_HOUSEHOLDS, sl);
    cr_assert_eq(plan_stratum_of(P, PLAN_HOUSEHOLDS, sl), 1);
    /* the village stage of the hand plan: poor_village decides, unknown goes nowhere */
    const plan_stage *v = plan_get_stage(P, PLAN_VILLAGES);
    value *vs = calloc(v->nslots, sizeof *vs);
    cr_assert_not_null(vs);
    for (size_t i = 0; i < v->nslots; i++)
        vs[i] = value_unknown(WHY_NO_COLUMN);
    vs[view_slot(v->view, "poor_village")] = value_bool(1);
    plan_unit_slots(P, PLAN_VILLAGES, vs);
    cr_assert_eq(plan_stratum_of(P, PLAN_VILLAGES, vs), 0);
    vs[view_slot(v->view, "poor_village")] = value_bool(0);
    plan_unit_slots(P, PLAN_VILLAGES, vs);
    cr_assert_eq(plan_stratum_of(P, PLAN_VILLAGES, vs), 1);
    vs[view_slot(v->view, "poor_village")] = value_unknown(WHY_MISSING);
    plan_unit_slots(P, PLAN_VILLAGES, vs);
    cr_assert_eq(plan_stratum_of(P, PLAN_VILLAGES, vs), -1, "unknown is not true, and its negation neither");
    free(vs);
    free(sl);
}
