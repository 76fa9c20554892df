/*
 * test_rules.c - rule packs (src/rules.h). The shipped Gansu pack: its three
 * levels and their links, 19/17/12 targets, parameters by year and
 * overrides, key columns, target lookup. Then small packs written to a
 * temporary directory, good and bad: each mistake is reported at its exact
 * file:line:column, and one load reports every mistake of a file.
 */
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

#define GANSU TEST_SRCDIR "/rules/gansu"

static diag_list *D;
static char dir[64];

static void setup(void)
{
    D = diag_new();
    cr_assert_not_null(D);
    dir[0] = '\0';
}

static void teardown(void)
{
    mem_fail_after(0);
    diag_free(&D);
    if (!dir[0])
        return;
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(dp);
    }
    rmdir(dir);
}

TestSuite(rules, .init = setup, .fini = teardown);
TestSuite(gansu, .init = setup, .fini = teardown);

/* All stored diagnostics, formatted, for failure messages. */
static const char *all_diags(void)
{
    static char buf[8192];
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(D); i++)
        diag_format(diag_get(D, i), &sb);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
    return buf;
}

/* ---------- the Gansu pack ---------- */

static ruleset *load_gansu(void)
{
    ruleset *rs = rules_load(GANSU, D);
    cr_assert_not_null(rs, "the Gansu pack should load:\n%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    return rs;
}

Test(gansu, identity)
{
    ruleset *rs = load_gansu();
    cr_assert_str_eq(rules_id(rs), "gansu");
    cr_assert_not_null(rules_version(rs));
    cr_assert_not_null(rules_title(rs).en);
    cr_assert_not_null(rules_title(rs).zh);
    cr_assert_eq(rules_ntargets(rs), 48);
    /* pack.yaml and every included file, each with its digest */
    cr_assert_geq(rules_nfiles(rs), 2);
    cr_assert_not_null(strstr(rules_file(rs, 0)->path, "pack.yaml"), "%s", rules_file(rs, 0)->path);
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        const char *h = rules_file(rs, i)->sha256;
        cr_assert_eq(strlen(h), 64, "%s: digest '%s'", rules_file(rs, i)->path, h);
        cr_assert_eq(strspn(h, "0123456789abcdef"), 64, "%s: digest '%s'", rules_file(rs, i)->path, h);
    }
    rules_free(&rs);
    cr_assert_null(rs, "rules_free clears the pointer");
}

Test(gansu, three_levels_top_to_bottom)
{
    ruleset *rs = load_gansu();
    cr_assert_eq(rules_nlevels(rs), 3);
    static const char *const ids[] = {"county", "village", "household"};
    static const size_t ntargets[] = {19, 17, 12};
    static const char prefix[] = {'C', 'V', 'H'};
    for (size_t i = 0; i < 3; i++) {
        const rule_level *lv = rules_level(rs, i);
        cr_assert_str_eq(lv->id, ids[i]);
        cr_assert_eq(lv->index, (int)i);
        cr_assert_eq(rules_find_level(rs, ids[i]), (int)i);
        cr_assert_eq(lv->parent, (int)i - 1, "%s: parent %d", lv->id, lv->parent);
        cr_assert_eq(lv->child, i == 2 ? -1 : (int)i + 1, "%s: child %d", lv->id, lv->child);
        cr_assert_eq(lv->ntargets, ntargets[i], "%s has %zu targets", lv->id, lv->ntargets);
        for (size_t j = 0; j < lv->ntargets; j++) {
            char want[32];
            snprintf(want, sizeof want, "%c%02zu", prefix[i], j + 1);
            cr_assert_str_eq(lv->targets[j].id, want);
            cr_assert_not_null(lv->targets[j].e, "%s is compiled", want);
            cr_assert_eq(expr_type(lv->targets[j].e), VT_BOOL);
            cr_assert_not_null(lv->targets[j].title.en, "%s has an English title", want);
            cr_assert_not_null(lv->targets[j].title.zh, "%s has a Chinese title", want);
        }
    }
    cr_assert_null(rules_level(rs, 3));
    cr_assert_eq(rules_find_level(rs, "province"), -1);
    rules_free(&rs);
}

static const char *ind_id(const rule_level *lv, int i)
{
    cr_assert_geq(i, 0, "level %s lacks a role column", lv->id);
    cr_assert_lt(i, (int)lv->nind);
    return lv->ind[i].id;
}

Test(gansu, key_columns)
{
    ruleset *rs = load_gansu();
    const rule_level *c = rules_level(rs, 0), *v = rules_level(rs, 1), *h = rules_level(rs, 2);
    cr_assert_str_eq(ind_id(c, c->key), "county_id");
    cr_assert_eq(c->parent_key, -1);
    cr_assert_str_eq(ind_id(c, c->name), "county_name");
    cr_assert_str_eq(ind_id(v, v->key), "village_id");
    cr_assert_str_eq(ind_id(v, v->parent_key), "county_id");
    cr_assert_str_eq(ind_id(v, v->name), "village_name");
    cr_assert_str_eq(ind_id(h, h->key), "household_id");
    cr_assert_str_eq(ind_id(h, h->parent_key), "village_id");
    cr_assert_eq(h->name, -1);
    for (size_t i = 0; i < 3; i++) {
        const rule_level *lv = rules_level(rs, i);
        cr_assert_str_eq(ind_id(lv, lv->year), "year");
        cr_assert_str_eq(ind_id(lv, lv->claim), "claimed_exit");
        cr_assert(lv->ind[lv->key].required, "%s: the key column is required", lv->id);
        cr_assert_eq(lv->ind[lv->key].type, IND_TEXT);
    }
    /* an indicator a target reads is required, and answers to its Chinese header */
    for (size_t i = 0; i < h->nind; i++)
        if (!strcmp(h->ind[i].id, "income_per_capita")) {
            cr_assert(h->ind[i].required);
            cr_assert_str_eq(h->ind[i].zh, "人均可支配收入");
        }
    rules_free(&rs);
}

static const rule_param *param(const ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rules_nparams(rs); i++)
        if (!strcmp(rules_param(rs, i)->id, id))
            return rules_param(rs, i);
    cr_assert_fail("no parameter '%s'", id);
    return NULL;
}

Test(gansu, parameters_by_year)
{
    ruleset *rs = load_gansu();
    cr_assert_eq(rules_nparams(rs), 5);
    const rule_param *pl = param(rs, "poverty_line");
    const param_value *entry = NULL;
    value v = rules_param_value(pl, 1, 2016, &entry);
    cr_assert_eq(v.kind, V_NUM);
    cr_assert(v.u.num == 2952, "poverty_line 2016 = %g", v.u.num);
    cr_assert_not_null(entry);
    cr_assert_eq(entry->year, 2016);
    cr_assert(entry->confirmed, "the 2016 poverty line is confirmed");
    cr_assert_not_null(entry->source);

    v = rules_param_value(pl, 1, 2017, &entry);
    cr_assert_eq(v.kind, V_UNKNOWN, "no poverty line is shipped for 2017");
    cr_assert_eq(v.why, WHY_NO_PARAM);
    cr_assert_null(entry);
    v = rules_param_value(pl, 0, 2016, NULL);
    cr_assert_eq(v.why, WHY_NO_PARAM, "without a year there is no value");

    v = rules_param_value(param(rs, "province_rural_income"), 1, 2020, &entry);
    cr_assert(v.u.num == 10344.3, "province_rural_income 2020 = %.17g", v.u.num);
    cr_assert(entry->confirmed);
    /* 2019: 10,344.3 - 715.4 (NBS Gansu survey team, via 甘肃日报, Feb 2021) */
    v = rules_param_value(param(rs, "province_rural_income"), 1, 2019, &entry);
    cr_assert(v.u.num == 9628.9, "province_rural_income 2019 = %.17g", v.u.num);
    cr_assert(entry->confirmed, "the 2019 province income is confirmed");
    /* its growth leans on the recalled 2018 level: still unconfirmed */
    v = rules_param_value(param(rs, "province_rural_income_growth"), 1, 2019, &entry);
    cr_assert(v.u.num == 9.37, "province_rural_income_growth 2019 = %.17g", v.u.num);
    cr_assert_not(entry->confirmed, "the 2019 growth is derived from an unverified 2018 level");
    rules_param_value(param(rs, "province_rural_income"), 1, 2016, &entry);
    cr_assert_not_null(entry);
    cr_assert_not(entry->confirmed, "the 2016 province income is recalled, not confirmed");

    const rule_param *brg = param(rs, "province_budget_revenue_growth");
    cr_assert_eq(brg->nvalues, 0, "no value of budget revenue growth may be invented");
    for (int year = 2014; year <= 2020; year++)
        cr_assert_eq(rules_param_value(brg, 1, year, NULL).why, WHY_NO_PARAM, "year %d", year);
    rules_free(&rs);
}

Test(gansu, parameter_overrides)
{
    ruleset *rs = load_gansu();
    cr_assert_eq(rules_set_param(rs, "province_budget_revenue_growth", 8.5, D), 0);
    const rule_param *brg = param(rs, "province_budget_revenue_growth");
    const param_value *entry = (const param_value *)1;
    value v = rules_param_value(brg, 1, 2016, &entry);
    cr_assert_eq(v.kind, V_NUM);
    cr_assert(v.u.num == 8.5);
    cr_assert_null(entry, "an override has no table entry");
    cr_assert(rules_param_value(brg, 0, 0, NULL).u.num == 8.5, "an override applies without a year too");

    cr_assert_eq(rules_set_param(rs, "poverty_line", 3000, D), 0);
    v = rules_param_value(param(rs, "poverty_line"), 1, 2016, NULL);
    cr_assert(v.u.num == 3000, "the override replaces the 2016 value, got %g", v.u.num);
    cr_assert_eq(diag_errors(D), 0);

    cr_assert_eq(rules_set_param(rs, "poverty_lin", 1, D), -1);
    cr_assert_eq(diag_errors(D), 1);
    const diag_entry *e = diag_get(D, 0);
    cr_assert_not_null(strstr(e->message, "'poverty_lin'"), "%s", e->message);
    cr_assert_not_null(strstr(e->message, "poverty_line"), "the message lists the pack's parameters: %s", e->message);
    rules_free(&rs);
}

Test(gansu, find_target_ignores_case)
{
    ruleset *rs = load_gansu();
    const rule_level *lv = NULL;
    const rule_target *t = rules_find_target(rs, "h02", &lv);
    cr_assert_not_null(t);
    cr_assert_str_eq(t->id, "H02");
    cr_assert_not_null(lv);
    cr_assert_str_eq(lv->id, "household");
    cr_assert_not_null(t->require);
    cr_assert_not_null(strstr(t->require, "house_area_per_capita"), "%s", t->require);
    t = rules_find_target(rs, "c19", &lv);
    cr_assert_not_null(t);
    cr_assert_str_eq(lv->id, "county");
    cr_assert_not_null(rules_find_target(rs, "V17", NULL));
    cr_assert_null(rules_find_target(rs, "H13", &lv));
    cr_assert_null(rules_find_target(rs, "H0", &lv));
    rules_free(&rs);
}

Test(gansu, slot_names)
{
    ruleset *rs = load_gansu();
    const rule_level *h = rules_level(rs, 2);
    cr_assert_str_eq(rules_slot_name(rs, h, 0), h->ind[0].id);
    cr_assert_str_eq(rules_slot_name(rs, h, h->param_base), rules_param(rs, 0)->id);
    cr_assert_str_eq(rules_slot_name(rs, h, h->verdict_base + VERDICT_WRONG_EXIT), "wrong_exit");
    cr_assert_str_eq(rules_slot_name(rs, h, -1), "?");
    cr_assert_str_eq(rules_slot_name(rs, h, (int)h->nslots), "?");
    rules_free(&rs);
}

Test(gansu, loads_from_pack_yaml_path_too)
{
    ruleset *rs = rules_load(GANSU "/pack.yaml", D);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(rules_nlevels(rs), 3);
    rules_free(&rs);
}

/* ---------- small packs in a temporary directory ---------- */

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/exitcheck-rules-XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
}

static const char *path_of(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
}

static const char PACK[] =
    "pack:\n"
    "  id: mini\n"
    "  version: \"1\"\n"
    "  title: Mini\n"
    "include: [unit.yaml]\n"
    "levels:\n"
    "  - id: unit\n"
    "    key: unit_id\n"
    "    year: year\n"
    "    claim: claimed_exit\n"
    "    file: unit.csv\n";

/* line 10 is the requirement */
static const char UNIT[] =
    "level: unit\n"
    "indicators:\n"
    "  - {id: unit_id, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: claimed_exit, type: bool}\n"
    "  - {id: score, type: number}\n"
    "targets:\n"
    "  - id: U01\n"
    "    title: Score\n"
    "    require: score >= 60\n";

/* Writes pack.yaml and unit.yaml, replacing either with other text. */
static ruleset *load_mini(const char *pack, const char *unit)
{
    make_dir();
    put("pack.yaml", pack ? pack : PACK);
    put("unit.yaml", unit ? unit : UNIT);
    return rules_load(dir, D);
}

static const diag_entry *only_error(void)
{
    cr_assert_eq(diag_errors(D), 1, "expected exactly one error, got %zu:\n%s", diag_errors(D), all_diags());
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == DIAG_ERROR)
            return diag_get(D, i);
    cr_assert_fail("the error was not stored");
    return NULL;
}

/* The one error reported in file; other files may carry follow-on errors
 * (a level file that does not parse leaves its level without indicators). */
static const diag_entry *only_error_in(const char *file)
{
    const diag_entry *found = NULL;
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity != DIAG_ERROR || !e->file || strcmp(e->file, path_of(file)))
            continue;
        cr_assert_null(found, "more than one error in %s:\n%s", file, all_diags());
        found = e;
    }
    cr_assert_not_null(found, "no error in %s:\n%s", file, all_diags());
    return found;
}

static void expect_at(const diag_entry *e, const char *file, long line, long column, const char *fragment)
{
    cr_assert_not_null(e->file, "'%s' has no file", e->message);
    cr_assert_str_eq(e->file, path_of(file), "'%s'", e->message);
    cr_assert_eq(e->line, line, "'%s' at line %ld, expected %ld", e->message, e->line, line);
    cr_assert_eq(e->column, column, "'%s' at column %ld, expected %ld", e->message, e->column, column);
    cr_assert_not_null(strstr(e->message, fragment), "'%s' should contain '%s'", e->message, fragment);
}

Test(rules, minimal_pack_loads)
{
    ruleset *rs = load_mini(NULL, NULL);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    cr_assert_str_eq(rules_id(rs), "mini");
    cr_assert_str_eq(rules_version(rs), "1");
    cr_assert_eq(rules_nlevels(rs), 1);
    cr_assert_eq(rules_nfiles(rs), 2);
    const rule_level *lv = rules_level(rs, 0);
    cr_assert_eq(lv->parent, -1);
    cr_assert_eq(lv->child, -1);
    cr_assert_eq(lv->nind, 4);
    cr_assert_eq(lv->ind[3].type, IND_NUMBER);
    cr_assert(lv->ind[3].required, "score is read by a target");
    cr_assert_not(lv->ind[1].required, "year is read by nothing: the pack has no parameters");
    cr_assert_str_eq(lv->targets[0].require, "score >= 60");
    cr_assert_eq(lv->targets[0].pos.line, 8);
    rules_free(&rs);
}

Test(rules, unused_indicator_is_not_required)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number}\n"
        "  - {id: spare, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: score >= 60\n";
    ruleset *rs = load_mini(NULL, unit);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_str_eq(rules_level(rs, 0)->ind[4].id, "spare");
    cr_assert_not(rules_level(rs, 0)->ind[4].required);
    rules_free(&rs);
}

Test(rules, missing_pack_yaml)
{
    make_dir();
    cr_assert_null(rules_load(dir, D));
    const diag_entry *e = only_error();
    cr_assert_str_eq(e->file, path_of("pack.yaml"));
    cr_assert_not_null(strstr(e->message, "cannot open"), "%s", e->message);
}

Test(rules, no_such_pack)
{
    cr_assert_null(rules_load("/nonexistent/exitcheck/pack", D));
    const diag_entry *e = only_error();
    cr_assert_not_null(strstr(e->message, "no such rule pack"), "%s", e->message);
}

Test(rules, missing_included_file)
{
    make_dir();
    put("pack.yaml", PACK);
    cr_assert_null(rules_load(dir, D));
    cr_assert_geq(diag_errors(D), 1);
    int found = 0;
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->file && !strcmp(diag_get(D, i)->file, path_of("unit.yaml")))
            found = 1;
    cr_assert(found, "the missing unit.yaml is named:\n%s", all_diags());
}

Test(rules, unknown_key_did_you_mean)
{
    static const char pack[] =
        "pack:\n"
        "  id: mini\n"
        "  version: \"1\"\n"
        "  title: Mini\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - id: unit\n"
        "    titel: Unit\n"
        "    key: unit_id\n";
    cr_assert_null(load_mini(pack, NULL));
    const diag_entry *e = only_error();
    expect_at(e, "pack.yaml", 8, 5, "unknown key 'titel' in a level (did you mean 'title'?)");
    cr_assert_not_null(e->excerpt);
    cr_assert_str_eq(e->excerpt, "    titel: Unit");
    cr_assert_eq(e->caret_col, 4);
    cr_assert_eq(e->caret_len, 5);
}

Test(rules, unknown_key_without_a_near_match_lists_the_keys)
{
    static const char pack[] =
        "pack:\n"
        "  id: mini\n"
        "  version: \"1\"\n"
        "  title: Mini\n"
        "  licence_holder: x\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id, year: year, claim: claimed_exit}\n";
    cr_assert_null(load_mini(pack, NULL));
    const diag_entry *e = only_error();
    expect_at(e, "pack.yaml", 5, 3, "unknown key 'licence_holder'");
    cr_assert_not_null(strstr(e->message, "version"), "the allowed keys are listed: %s", e->message);
}

Test(rules, yaml_syntax_error_position)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "\t- {id: unit_id, type: text}\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error_in("unit.yaml");
    expect_at(e, "unit.yaml", 3, 1, "malformed YAML");
}

Test(rules, yaml_unclosed_flow_sequence)
{
    static const char unit[] =
        "level: unit\n"
        "indicators: [\n"
        "  {id: unit_id, type: text}\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error_in("unit.yaml");
    /* libyaml notices at the end of the input, line 4 */
    expect_at(e, "unit.yaml", 4, 1, "malformed YAML");
    cr_assert_not_null(strstr(e->message, "flow sequence"), "%s", e->message);
}

Test(rules, anchors_are_rejected)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - &n {id: score, type: number}\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error_in("unit.yaml");
    expect_at(e, "unit.yaml", 4, 5, "anchors are not allowed");
}

Test(rules, aliases_are_rejected)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - *n\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error_in("unit.yaml");
    expect_at(e, "unit.yaml", 4, 5, "aliases are not allowed");
}

Test(rules, deep_yaml_is_rejected)
{
    char unit[4096];
    int n = snprintf(unit, sizeof unit, "level: unit\nindicators: ");
    for (int i = 0; i < 200; i++)
        unit[n++] = '[';
    for (int i = 0; i < 200; i++)
        unit[n++] = ']';
    unit[n++] = '\n';
    unit[n] = '\0';
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error_in("unit.yaml");
    cr_assert_str_eq(e->file, path_of("unit.yaml"));
    cr_assert_eq(e->line, 2);
    cr_assert_not_null(strstr(e->message, "nested too deeply"), "%s", e->message);
}

Test(rules, unknown_name_in_a_requirement)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: score >= 60 and scor < 100\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error();
    /* 'scor' starts at byte 29 of the line: column 30 */
    expect_at(e, "unit.yaml", 10, 30, "unknown name 'scor' (did you mean 'score'?)");
    cr_assert_not_null(e->excerpt, "the diagnostic carries the source line");
    cr_assert_str_eq(e->excerpt, "    require: score >= 60 and scor < 100");
    cr_assert_eq(e->caret_col, 29);
    cr_assert_eq(e->caret_len, 4);
}

Test(rules, unknown_name_in_a_quoted_requirement)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: \"scor >= 60\"\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error();
    /* the opening quote is column 14, the name column 15 */
    expect_at(e, "unit.yaml", 10, 15, "unknown name 'scor'");
    cr_assert_eq(e->caret_col, 14);
    cr_assert_eq(e->caret_len, 4);
}

Test(rules, unknown_name_in_a_folded_requirement)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: >-\n"
        "      score >= 60 and\n"
        "      scor < 100\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error();
    /* a multi-line scalar: its start, with the expression as the excerpt */
    expect_at(e, "unit.yaml", 10, 14, "unknown name 'scor'");
    cr_assert_str_eq(e->excerpt, "score >= 60 and scor < 100");
    cr_assert_eq(e->caret_col, 16);
    cr_assert_eq(e->caret_len, 4);
}

Test(rules, requirement_must_be_boolean)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: score + 1\n";
    cr_assert_null(load_mini(NULL, unit));
    const diag_entry *e = only_error();
    expect_at(e, "unit.yaml", 10, 14, "must be a boolean");
    cr_assert_eq(e->caret_len, strlen("score + 1"));
}

Test(rules, duplicate_target_id)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: score >= 60\n"
        "  - id: u01\n"
        "    title: Again\n"
        "    require: score > 1\n";
    static const char pack[] =
        "pack: {id: mini, version: \"1\", title: Mini}\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id}\n";
    cr_assert_null(load_mini(pack, unit));
    const diag_entry *e = only_error();
    /* ids are compared without case, as rules_find_target looks them up */
    expect_at(e, "unit.yaml", 9, 9, "duplicate target 'u01'");
}

Test(rules, level_with_unknown_parent)
{
    static const char pack[] =
        "pack: {id: mini, version: \"1\", title: Mini}\n"
        "include: [unit.yaml, sub.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id}\n"
        "  - id: sub\n"
        "    parent: untit\n"
        "    parent_key: unit_id\n"
        "    key: sub_id\n";
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - {id: U01, title: Score, require: score >= 60}\n";
    make_dir();
    put("sub.yaml", "level: sub\nindicators:\n  - {id: sub_id, type: text}\n  - {id: unit_id, type: text}\n");
    put("pack.yaml", pack);
    put("unit.yaml", unit);
    cr_assert_null(rules_load(dir, D));
    const diag_entry *e = only_error();
    expect_at(e, "pack.yaml", 6, 13, "unknown parent level 'untit'");
}

Test(rules, one_load_reports_every_mistake_of_a_file)
{
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: year, type: integer}\n"
        "  - {id: claimed_exit, type: bool}\n"
        "  - {id: score, type: number, unti: percent}\n" /* 6: unknown key */
        "  - {id: flag, type: boolean}\n"                /* 7: unknown type */
        "targets:\n"
        "  - id: U01\n"
        "    title: Score\n"
        "    require: scor >= 60\n"                      /* 11: unknown name */
        "  - id: U02\n"
        "    title: Sum\n"
        "    require: score + 1\n"                       /* 14: not a boolean */
        "  - id: U01\n"                                  /* 15: duplicate */
        "    title: Again\n"
        "    require: score > 1\n"
        "  - id: U03\n"
        "    title: Two names\n"
        "    require: nope and score > nada\n";          /* 20: two unknown names */
    cr_assert_null(load_mini(NULL, unit));
    cr_assert_eq(diag_errors(D), 7, "expected 7 errors:\n%s", all_diags());
    cr_assert_eq(diag_count(D), 7);
    static const struct { long line, column; const char *fragment; } want[] = {
        {6, 31, "unknown key 'unti'"},
        {7, 22, "unknown indicator type 'boolean'"},
        {11, 14, "unknown name 'scor'"},
        {14, 14, "must be a boolean"},
        {15, 9, "duplicate target 'U01'"},
        {20, 14, "unknown name 'nope'"},
        {20, 31, "unknown name 'nada'"},
    };
    /* rules_load sorts its diagnostics by file, line and column */
    for (size_t i = 0; i < 7; i++)
        expect_at(diag_get(D, i), "unit.yaml", want[i].line, want[i].column, want[i].fragment);
}

Test(rules, parameter_mistakes)
{
    static const char pack[] =
        "pack: {id: mini, version: \"1\", title: Mini}\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id, year: year}\n"
        "params:\n"
        "  - id: p\n"
        "    values:\n"
        "      - {year: 2016, value: 1, confirmed: true, source: s}\n"
        "      - {year: 2016, value: 2, confirmed: false, source: s}\n" /* 9: two values for 2016 */
        "      - {year: 2016.5, value: 1, confirmed: true, source: s}\n" /* 10: not a whole year */
        "      - {year: 2017, value: 1, source: s}\n"                    /* 11: confirmed? */
        "  - id: q\n"                                                     /* 12: no values */
        "  - id: p\n";                                                    /* 13: duplicate */
    cr_assert_null(load_mini(pack, NULL));
    cr_assert_eq(diag_errors(D), 5, "%s", all_diags());
    expect_at(diag_get(D, 0), "pack.yaml", 9, 16, "two values for 2016");
    expect_at(diag_get(D, 1), "pack.yaml", 10, 16, "whole year");
    expect_at(diag_get(D, 2), "pack.yaml", 11, 9, "confirmed");
    expect_at(diag_get(D, 3), "pack.yaml", 12, 5, "no 'values'");
    expect_at(diag_get(D, 4), "pack.yaml", 13, 9, "duplicate parameter 'p'");
}

/* One parameter value with three mistakes reports all three. */
Test(rules, every_mistake_of_a_parameter_value)
{
    static const char pack[] =
        "pack: {id: mini, version: \"1\", title: Mini}\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id, year: year}\n"
        "params:\n"
        "  - id: p\n"
        "    values:\n"
        "      - {year: 2016, value: x, confirmed: maybe}\n";
    cr_assert_null(load_mini(pack, NULL));
    cr_assert_eq(diag_errors(D), 3, "the bad value, the bad flag and the missing source:\n%s", all_diags());
}

Test(rules, errors_in_several_files_are_all_reported)
{
    static const char pack[] =
        "pack:\n"
        "  id: mini\n"
        "  version: \"1\"\n"
        "  title: Mini\n"
        "include: [unit.yaml]\n"
        "levels:\n"
        "  - id: unit\n"
        "    key: unit_id\n"
        "    colour: blue\n";
    static const char unit[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: unit_id, type: text}\n"
        "  - {id: score, type: number}\n"
        "targets:\n"
        "  - {id: U01, title: Score, require: scor >= 60}\n";
    cr_assert_null(load_mini(pack, unit));
    cr_assert_eq(diag_errors(D), 2, "%s", all_diags());
    expect_at(diag_get(D, 0), "pack.yaml", 9, 5, "unknown key 'colour'");
    expect_at(diag_get(D, 1), "unit.yaml", 6, 38, "unknown name 'scor'");
}

/* ---------- 'years' of 'pack' ---------- */

/* PACK with one more line, line 5 of pack.yaml, inside 'pack'. */
static ruleset *load_with_years(const char *line5)
{
    char pack[1024];
    snprintf(pack, sizeof pack,
             "pack:\n"
             "  id: mini\n"
             "  version: \"1\"\n"
             "  title: Mini\n"
             "%s\n"
             "include: [unit.yaml]\n"
             "levels:\n"
             "  - {id: unit, key: unit_id, year: year, claim: claimed_exit, file: unit.csv}\n",
             line5);
    return load_mini(pack, NULL);
}

static void expect_years(const char *line5, int want_from, int want_to)
{
    ruleset *rs = load_with_years(line5);
    cr_assert_not_null(rs, "%s:\n%s", line5, all_diags());
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    int from = -1, to = -1;
    cr_assert_eq(rules_years(rs, &from, &to), 1, "%s declares a range", line5);
    cr_assert_eq(from, want_from, "%s: from %d", line5, from);
    cr_assert_eq(to, want_to, "%s: to %d", line5, to);
    rules_free(&rs);
}

Test(rules, years_absent)
{
    ruleset *rs = load_mini(NULL, NULL);
    cr_assert_not_null(rs, "%s", all_diags());
    int from = -1, to = -1;
    cr_assert_eq(rules_years(rs, &from, &to), 0);
    cr_assert_eq(from, 0);
    cr_assert_eq(to, 0);
    cr_assert_eq(rules_years(rs, NULL, NULL), 0, "either pointer may be NULL");
    rules_free(&rs);
}

Test(rules, years_from_and_to) { expect_years("  years: {from: 2016, to: 2020}", 2016, 2020); }
Test(rules, years_block_mapping) { expect_years("  years:\n    from: 2015\n    to: 2017", 2015, 2017); }
Test(rules, years_one_year) { expect_years("  years: {from: 2018, to: 2018}", 2018, 2018); }
Test(rules, years_from_only) { expect_years("  years: {from: 2016}", 2016, 0); }
Test(rules, years_to_only) { expect_years("  years: {to: 2020}", 0, 2020); }
Test(rules, years_extreme_bounds) { expect_years("  years: {from: 1, to: 9999}", 1, 9999); }

Test(rules, years_pointers_may_be_null)
{
    ruleset *rs = load_with_years("  years: {from: 2016, to: 2020}");
    cr_assert_not_null(rs, "%s", all_diags());
    int to = 0;
    cr_assert_eq(rules_years(rs, NULL, &to), 1);
    cr_assert_eq(to, 2020);
    rules_free(&rs);
}

/* The one error of a pack whose line 5 is line5, at line 5 (or line) and
 * column, containing fragment. */
static void expect_years_error(const char *line5, long line, long column, const char *fragment)
{
    ruleset *rs = load_with_years(line5);
    cr_assert_null(rs, "%s should not load", line5);
    expect_at(only_error(), "pack.yaml", line, column, fragment);
}

Test(rules, years_must_be_a_mapping)
{
    expect_years_error("  years: 2016-2020", 5, 10, "'years' of 'pack' must be a mapping, found a scalar");
}

Test(rules, years_unknown_key)
{
    expect_years_error("  years: {form: 2016, to: 2020}", 5, 11, "unknown key 'form' in 'years' of 'pack' (did you mean 'from'?)");
}

Test(rules, years_not_a_number)
{
    expect_years_error("  years: {from: 2016, to: soon}", 5, 27, "'to' of 'years' of 'pack' must be a number, found 'soon'");
}

Test(rules, years_not_a_scalar)
{
    expect_years_error("  years: {from: [2016], to: 2020}", 5, 17, "'from' of 'years' of 'pack' must be a scalar, found a list");
}

Test(rules, years_zero)
{
    expect_years_error("  years: {from: 0, to: 2020}", 5, 17, "'from' of 'years' must be a whole year from 1 to 9999, found '0'");
}

Test(rules, years_negative)
{
    expect_years_error("  years: {from: -2016}", 5, 17, "'from' of 'years' must be a whole year from 1 to 9999, found '-2016'");
}

Test(rules, years_too_large)
{
    expect_years_error("  years: {from: 2016, to: 10000}", 5, 27, "'to' of 'years' must be a whole year from 1 to 9999, found '10000'");
}

Test(rules, years_not_whole)
{
    expect_years_error("  years: {from: 2016.5}", 5, 17, "'from' of 'years' must be a whole year from 1 to 9999, found '2016.5'");
}

Test(rules, years_empty)
{
    expect_years_error("  years: {}", 5, 10, "'years' of 'pack' gives neither 'from' nor 'to'");
}

Test(rules, years_backwards)
{
    expect_years_error("  years: {from: 2020, to: 2016}", 5, 27,
                       "'years' of 'pack' ends before it begins: 'to' 2016 is before 'from' 2020");
}

/* Both bounds wrong: both reported, at their own columns. */
Test(rules, years_every_mistake_reported)
{
    cr_assert_null(load_with_years("  years: {from: x, to: 0}"));
    cr_assert_eq(diag_errors(D), 2, "%s", all_diags());
    expect_at(diag_get(D, 0), "pack.yaml", 5, 17, "'from' of 'years' of 'pack' must be a number");
    expect_at(diag_get(D, 1), "pack.yaml", 5, 24, "'to' of 'years' must be a whole year");
}

Test(rules, shipped_packs_declare_their_years)
{
    static const struct { const char *pack; int from, to; } want[] = {
        {TEST_SRCDIR "/rules/gansu", 2015, 2017},
        {TEST_SRCDIR "/rules/national-2016", 2016, 2020},
        {TEST_SRCDIR "/rules/weining", 2014, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        ruleset *rs = rules_load(want[i].pack, D);
        cr_assert_not_null(rs, "%s:\n%s", want[i].pack, all_diags());
        int from = 0, to = 0;
        cr_assert_eq(rules_years(rs, &from, &to), 1, "%s declares its years", want[i].pack);
        cr_assert_eq(from, want[i].from, "%s: from %d", want[i].pack, from);
        cr_assert_eq(to, want[i].to, "%s: to %d", want[i].pack, to);
        rules_free(&rs);
    }
}

Test(rules, set_param_on_a_pack_without_parameters)
{
    ruleset *rs = load_mini(NULL, NULL);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(rules_set_param(rs, "poverty_line", 1, D), -1);
    cr_assert_eq(diag_errors(D), 1);
    rules_free(&rs);
}

Test(rules, out_of_memory_never_crashes)
{
    make_dir();
    put("pack.yaml", PACK);
    put("unit.yaml", UNIT);
    int loaded = 0;
    for (long k = 1; k < 5000 && !loaded; k++) {
        diag_list *d = diag_new();
        cr_assert_not_null(d);
        mem_fail_after(k);
        ruleset *rs = rules_load(dir, d);
        long failed = mem_failures();
        mem_fail_after(0);
        if (failed == 0) {
            cr_assert_not_null(rs, "loads when no allocation fails");
            loaded = 1;
        } else {
            cr_assert_null(rs, "allocation %ld failed, yet the pack loaded", k);
            cr_assert(diag_out_of_memory(d) || diag_errors(d) > 0, "allocation %ld failed silently", k);
        }
        rules_free(&rs);
        diag_free(&d);
    }
    cr_assert(loaded, "the load never got through all its allocations");
}

/* ---------- the keys of field verification (SPEC §7.2) ---------- */

/* A household-like level (members, income, a yes/no column) with
 * parameters by year, for `identify`, `tolerance` and the `verification`
 * vetoes. A test appends its own `verification` section to pack.yaml
 * from line 13 on. */
static const char VPACK[] =
    "pack: {id: mini, version: \"1\", title: Mini}\n"                 /* 1 */
    "include: [unit.yaml]\n"                                           /* 2 */
    "levels:\n"                                                        /* 3 */
    "  - {id: unit, key: unit_id, year: year, people: members}\n"      /* 4 */
    "params:\n"                                                        /* 5 */
    "  - id: line\n"                                                   /* 6 */
    "    values:\n"                                                    /* 7 */
    "      - {year: 2016, value: 3000, confirmed: true, source: s}\n"  /* 8 */
    "  - id: max_rate\n"                                               /* 9 */
    "    values:\n"                                                    /* 10 */
    "      - {year: 2016, value: 2, confirmed: true, source: s}\n"     /* 11 */
    "      - {year: 2017, value: 3, confirmed: true, source: s}\n";    /* 12 */

/* The first five lines of every unit.yaml below: the columns VPACK names. */
#define VHEAD                                                                                                          \
    "level: unit\n"                                                                                                    \
    "indicators:\n"                                                                                                    \
    "  - {id: unit_id, type: text}\n"                                                                                  \
    "  - {id: year, type: integer}\n"                                                                                  \
    "  - {id: members, type: integer}\n"

static const char VUNIT[] =
    VHEAD
    "  - {id: safe, type: bool}\n"                                        /* 6 */
    "  - {id: income, type: number, tolerance: {abs: 100, rel: 0.05}}\n"  /* 7 */
    "  - {id: area, type: number, tolerance: {rel: 0.1}}\n"               /* 8 */
    "targets:\n"                                                          /* 9 */
    "  - {id: U01, title: Income, require: income > line}\n"              /* 10 */
    "  - {id: U02, title: Safe, require: safe}\n"                         /* 11 */
    "identify: income <= line or not safe\n";                             /* 12 */

/* VPACK followed by extra (its first line is line 13 of pack.yaml). */
static ruleset *load_verification(const char *extra, const char *unit)
{
    static char pack[4096];
    snprintf(pack, sizeof pack, "%s%s", VPACK, extra ? extra : "");
    return load_mini(pack, unit ? unit : VUNIT);
}

static int ind_named(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->nind; i++)
        if (!strcmp(lv->ind[i].id, id))
            return (int)i;
    cr_assert_fail("no indicator %s", id);
    return -1;
}

Test(rules, identify_and_tolerance_compiled)
{
    ruleset *rs = load_verification(NULL, NULL);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const rule_level *lv = rules_level(rs, 0);
    cr_assert_not_null(lv->identify, "identify is compiled");
    cr_assert_eq(expr_type(lv->identify), VT_BOOL, "identify is a boolean");
    cr_assert_str_eq(lv->identify_text, "income <= line or not safe");
    cr_assert_eq(lv->identify_pos.line, 12);
    /* it reads a parameter by year, so the level's year column is needed */
    cr_assert(lv->ind[lv->year].required, "identify reads line: year is required");
    const rule_indicator *inc = &lv->ind[ind_named(lv, "income")];
    cr_assert(inc->tol_abs == 100 && inc->tol_rel == 0.05, "income: abs %g rel %g", inc->tol_abs, inc->tol_rel);
    const rule_indicator *area = &lv->ind[ind_named(lv, "area")];
    cr_assert(area->tol_abs == 0 && area->tol_rel == 0.1, "area: abs %g rel %g (abs defaults to 0)", area->tol_abs,
              area->tol_rel);
    const rule_indicator *mem = &lv->ind[ind_named(lv, "members")];
    cr_assert(mem->tol_abs == 0 && mem->tol_rel == 0, "no tolerance: exact");
    /* no verification section: no vetoes */
    cr_assert_eq(rules_nvetoes(rs), 0);
    rules_free(&rs);
}

Test(rules, identify_as_a_mapping)
{
    static const char unit[] =
        VHEAD
        "  - {id: safe, type: bool}\n"
        "identify:\n"                                  /* 7 */
        "  require: not safe\n"
        "  title: {en: Unsafe, zh: 不安全}\n"
        "  note: a note\n"
        "  source: a source\n";
    ruleset *rs = load_verification(NULL, unit);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const rule_level *lv = rules_level(rs, 0);
    cr_assert_not_null(lv->identify);
    cr_assert_eq(expr_type(lv->identify), VT_BOOL);
    cr_assert_str_eq(lv->identify_text, "not safe");
    cr_assert_str_eq(lv->identify_title.en, "Unsafe");
    cr_assert_str_eq(lv->identify_title.zh, "不安全");
    cr_assert_str_eq(lv->identify_note, "a note");
    cr_assert_eq(lv->identify_pos.line, 8, "the mapping starts at its first key");
    rules_free(&rs);
}

Test(rules, identify_that_is_a_number)
{
    static const char unit[] =
        VHEAD
        "  - {id: income, type: number}\n"
        "identify: income + 1\n";                      /* 7: a number, not a boolean */
    cr_assert_null(load_verification(NULL, unit));
    const diag_entry *e = only_error();
    expect_at(e, "unit.yaml", 7, 11, "'identify' must be a boolean, this expression is a number");
    cr_assert_eq(e->caret_len, strlen("income + 1"));
}

Test(rules, identify_that_is_a_constant_number)
{
    static const char unit[] =
        VHEAD
        "identify:\n"
        "  require: 5\n";                              /* 7 */
    cr_assert_null(load_verification(NULL, unit));
    expect_at(only_error(), "unit.yaml", 7, 12, "'identify' must be a boolean");
}

/* A level's identify may be given once, in whichever of its files. */
Test(rules, identify_twice_in_a_level)
{
    static const char unit[] =
        VHEAD
        "  - {id: safe, type: bool}\n"
        "identify: not safe\n";                       /* 7 */
    static const char more[] =
        "level: unit\n"
        "indicators:\n"
        "  - {id: income, type: number}\n"
        "identify:\n"
        "  require: income < line\n";                 /* 5: the mapping */
    static const char pack[] =
        "pack: {id: mini, version: \"1\", title: Mini}\n"
        "include: [unit.yaml, more.yaml]\n"
        "levels:\n"
        "  - {id: unit, key: unit_id, year: year, people: members}\n"
        "params:\n"
        "  - id: line\n"
        "    values:\n"
        "      - {year: 2016, value: 3000, confirmed: true, source: s}\n";
    make_dir();
    put("pack.yaml", pack);
    put("unit.yaml", unit);
    put("more.yaml", more);
    cr_assert_null(rules_load(dir, D));
    expect_at(only_error(), "more.yaml", 5, 3, "level 'unit' already has 'identify' (at line 7)");
}

Test(rules, tolerance_on_a_bool_indicator)
{
    static const char unit[] =
        VHEAD
        "  - {id: safe, type: bool, tolerance: {abs: 1}}\n"    /* 6 */
        "  - {id: name, type: text, tolerance: {rel: 0.1}}\n"; /* 7 */
    cr_assert_null(load_verification(NULL, unit));
    cr_assert_eq(diag_errors(D), 2, "%s", all_diags());
    expect_at(diag_get(D, 0), "unit.yaml", 6, 39, "indicator 'safe' is bool: a tolerance applies to numbers only");
    expect_at(diag_get(D, 1), "unit.yaml", 7, 39, "indicator 'name' is text: a tolerance applies to numbers only");
}

Test(rules, tolerance_rel_outside_0_to_1)
{
    static const char unit[] =
        VHEAD
        "  - {id: a, type: number, tolerance: {rel: 1.5}}\n"          /* 6 */
        "  - {id: b, type: number, tolerance: {abs: 5, rel: -0.1}}\n" /* 7 */
        "  - {id: c, type: integer, tolerance: {rel: 1, abs: 0}}\n"   /* 8: both bounds are allowed */
        "  - {id: d, type: number, tolerance: {abs: -1}}\n"           /* 9 */
        "  - {id: e, type: number, tolerance: {}}\n"                  /* 10 */
        "  - {id: f, type: number, tolerance: {rel: 5%}}\n";          /* 11: a fraction, not a percentage */
    cr_assert_null(load_verification(NULL, unit));
    cr_assert_eq(diag_errors(D), 5, "%s", all_diags());
    expect_at(diag_get(D, 0), "unit.yaml", 6, 44, "'rel' of a tolerance is a fraction from 0 to 1 (0.05 for 5%)");
    expect_at(diag_get(D, 1), "unit.yaml", 7, 52, "'rel' of a tolerance is a fraction from 0 to 1");
    expect_at(diag_get(D, 2), "unit.yaml", 9, 44, "'abs' of a tolerance must be 0 or more");
    expect_at(diag_get(D, 3), "unit.yaml", 10, 38, "'tolerance' gives neither 'abs' nor 'rel'");
    expect_at(diag_get(D, 4), "unit.yaml", 11, 44, "'rel' of 'tolerance' must be a number, found '5%'");
}

/* A good section: four vetoes, each operator, a number or a parameter. */
static const char VETOES[] =
    "verification:\n"                                                  /* 13 */
    "  source: s\n"                                                    /* 14 */
    "  vetoes:\n"                                                      /* 15 */
    "    - {id: wrong, require: wrong_exit_rate < 2}\n"                /* 16 */
    "    - {id: missed, require: \"missed_rate<=1.5\", title: {en: Missed, zh: 漏评}}\n" /* 17 */
    "    - id: recog\n"                                                /* 18 */
    "      require: recognition >= 90\n"                               /* 19 */
    "    - {id: comp, require: comprehensive_rate > max_rate}\n";      /* 20 */

Test(rules, verification_vetoes)
{
    ruleset *rs = load_verification(VETOES, NULL);
    cr_assert_not_null(rs, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_eq(rules_nvetoes(rs), 4);
    static const struct {
        const char *id;
        verify_rate rate;
        veto_op op;
        long line;
    } want[] = {
        {"wrong", RATE_WRONG_EXIT, VOP_LT, 16},
        {"missed", RATE_MISSED, VOP_LE, 17},
        {"recog", RATE_RECOGNITION, VOP_GE, 18},
        {"comp", RATE_COMPREHENSIVE, VOP_GT, 20},
    };
    for (size_t i = 0; i < 4; i++) {
        const rule_veto *v = rules_veto(rs, i);
        cr_assert_str_eq(v->id, want[i].id);
        cr_assert_eq(v->rate, want[i].rate, "%s: rate %d", v->id, v->rate);
        cr_assert_eq(v->op, want[i].op, "%s: op %d", v->id, v->op);
        cr_assert_eq(v->pos.line, want[i].line, "%s at line %ld", v->id, v->pos.line);
    }
    cr_assert_str_eq(rules_veto(rs, 0)->require, "wrong_exit_rate < 2");
    cr_assert_str_eq(rules_veto(rs, 1)->require, "missed_rate<=1.5");
    cr_assert_str_eq(rules_veto(rs, 1)->title.zh, "漏评");
    /* numbers: the same threshold for every year, and with no year */
    static const double numbers[] = {2, 1.5, 90};
    for (size_t i = 0; i < 3; i++) {
        const rule_veto *v = rules_veto(rs, i);
        cr_assert_eq(v->param, -1, "%s has a number", v->id);
        value t = rules_veto_threshold(rs, v, 1, 2016);
        cr_assert(t.kind == V_NUM && t.u.num == numbers[i], "%s: %g", v->id, t.u.num);
        t = rules_veto_threshold(rs, v, 0, 0);
        cr_assert(t.kind == V_NUM && t.u.num == numbers[i], "%s without a year", v->id);
    }
    /* a parameter: its value for the year; unknown for a year without one */
    const rule_veto *comp = rules_veto(rs, 3);
    cr_assert_geq(comp->param, 0);
    cr_assert_str_eq(rules_param(rs, (size_t)comp->param)->id, "max_rate");
    value t = rules_veto_threshold(rs, comp, 1, 2016);
    cr_assert(t.kind == V_NUM && t.u.num == 2, "2016: %g", t.u.num);
    t = rules_veto_threshold(rs, comp, 1, 2017);
    cr_assert(t.kind == V_NUM && t.u.num == 3, "2017: %g", t.u.num);
    cr_assert_eq(rules_veto_threshold(rs, comp, 1, 2015).kind, V_UNKNOWN, "no value for 2015");
    cr_assert_eq(rules_veto_threshold(rs, comp, 0, 0).kind, V_UNKNOWN, "no year");
    /* --param overrides the parameter for every year */
    cr_assert_eq(rules_set_param(rs, "max_rate", 3.5, D), 0);
    t = rules_veto_threshold(rs, comp, 1, 2015);
    cr_assert(t.kind == V_NUM && t.u.num == 3.5, "override: %g", t.u.num);
    /* the comparisons, with the boundary on each side */
    cr_assert(rules_veto_holds(rules_veto(rs, 0), 1.99, 2));
    cr_assert_not(rules_veto_holds(rules_veto(rs, 0), 2, 2), "< is strict");
    cr_assert(rules_veto_holds(rules_veto(rs, 1), 1.5, 1.5), "<= includes the threshold");
    cr_assert_not(rules_veto_holds(rules_veto(rs, 1), 1.6, 1.5));
    cr_assert(rules_veto_holds(rules_veto(rs, 2), 90, 90), ">= includes the threshold");
    cr_assert_not(rules_veto_holds(rules_veto(rs, 2), 89.9, 90));
    cr_assert_not(rules_veto_holds(comp, 2, 2), "> is strict");
    cr_assert(rules_veto_holds(comp, 2.1, 2));
    rules_free(&rs);
}

/* The packs that ship the table of SPEC §7.2: four vetoes in its order,
 * the comprehensive rate's threshold the parameter max_poverty_rate. */
Test(rules, shipped_packs_have_four_vetoes)
{
    static const char *const packs[] = {TEST_SRCDIR "/rules/national-2016", GANSU};
    for (size_t p = 0; p < 2; p++) {
        ruleset *rs = rules_load(packs[p], D);
        cr_assert_not_null(rs, "%s:\n%s", packs[p], all_diags());
        cr_assert_eq(rules_nvetoes(rs), 4, "%s", packs[p]);
        static const veto_op ops[] = {VOP_LT, VOP_LT, VOP_GE, VOP_LT};
        static const double numbers[] = {2, 2, 90};
        for (size_t i = 0; i < 4; i++) {
            const rule_veto *v = rules_veto(rs, i);
            cr_assert_eq(v->rate, (verify_rate)i, "%s: veto %zu", packs[p], i);
            cr_assert_str_eq(v->id, verify_rate_names[i]);
            cr_assert_eq(v->op, ops[i], "%s: %s", packs[p], v->id);
            if (i < 3) {
                value t = rules_veto_threshold(rs, v, 1, 2016);
                cr_assert(t.kind == V_NUM && t.u.num == numbers[i], "%s: %s %g", packs[p], v->id, t.u.num);
            }
        }
        const rule_veto *comp = rules_veto(rs, 3);
        cr_assert_geq(comp->param, 0, "the comprehensive rate's threshold is a parameter");
        cr_assert_str_eq(rules_param(rs, (size_t)comp->param)->id, "max_poverty_rate");
        const rule_level *h = rules_level(rs, rules_nlevels(rs) - 1);
        cr_assert_not_null(h->identify, "%s: the household level has identify", packs[p]);
        cr_assert_eq(expr_type(h->identify), VT_BOOL);
        rules_free(&rs);
    }
    ruleset *rs = rules_load(TEST_SRCDIR "/rules/national-2016", D);
    cr_assert_not_null(rs);
    value t = rules_veto_threshold(rs, rules_veto(rs, 3), 1, 2016);
    cr_assert(t.kind == V_NUM && t.u.num == 2, "national-2016: max_poverty_rate 2016 is %g", t.u.num);
    const rule_level *h = rules_level(rs, 2);
    const rule_indicator *inc = &h->ind[ind_named(h, "income_per_capita")];
    cr_assert(inc->tol_abs == 100 && inc->tol_rel == 0.05, "income: abs %g rel %g", inc->tol_abs, inc->tol_rel);
    rules_free(&rs);
}

Test(rules, veto_with_an_unknown_rate)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: wrong, require: wrong_rate < 2}\n", /* 15 */
                                     NULL));
    expect_at(only_error(), "pack.yaml", 15, 28,
              "a veto compares one of wrong_exit_rate, missed_rate, recognition, comprehensive_rate; found 'wrong_rate'");
}

Test(rules, veto_with_a_bad_operator)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: wrong, require: wrong_exit_rate == 2}\n" /* 15 */
                                     "    - {id: recog, require: recognition != 90}\n"    /* 16 */
                                     "    - {id: missed, require: missed_rate 2}\n"       /* 17 */
                                     "    - {id: comp, require: comprehensive_rate => 2}\n", /* 18 */
                                     NULL));
    cr_assert_eq(diag_errors(D), 4, "%s", all_diags());
    expect_at(diag_get(D, 0), "pack.yaml", 15, 28, "a veto's 'require' is RATE < THRESHOLD (or <=, >, >=), found 'wrong_exit_rate == 2'");
    expect_at(diag_get(D, 1), "pack.yaml", 16, 28, "found 'recognition != 90'");
    expect_at(diag_get(D, 2), "pack.yaml", 17, 29, "found 'missed_rate 2'");
    expect_at(diag_get(D, 3), "pack.yaml", 18, 27, "found 'comprehensive_rate => 2'");
}

Test(rules, veto_without_a_threshold)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: wrong, require: wrong_exit_rate <}\n", /* 15 */
                                     NULL));
    expect_at(only_error(), "pack.yaml", 15, 28, "a veto's 'require' has no threshold after '<'");
}

Test(rules, veto_threshold_naming_no_parameter)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: comp, require: comprehensive_rate < max_rat}\n", /* 15 */
                                     NULL));
    const diag_entry *e = only_error();
    cr_assert_str_eq(e->file, path_of("pack.yaml"));
    cr_assert_eq(e->line, 15, "'%s' at line %ld", e->message, e->line);
    /* the pack has max_rate: the message is the "did you mean" one, with a caret under the name */
    cr_assert_str_eq(e->message, "unknown name 'max_rat' (did you mean 'max_rate'?)");
    cr_assert_eq(e->column, 48, "column %ld", e->column);
}

/* The mistake is in the require; in block style the veto's mapping
 * starts on the line above it. */
Test(rules, veto_threshold_naming_no_parameter_points_at_its_require)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - id: comp\n"                               /* 15 */
                                     "      require: comprehensive_rate < max_rat\n", /* 16 */
                                     NULL));
    const diag_entry *e = only_error();
    cr_assert_not_null(strstr(e->message, "'max_rat'"), "%s", e->message);
    cr_assert_eq(e->line, 16, "'%s' at line %ld, expected 16 (its require)", e->message, e->line);
}

Test(rules, duplicate_veto_id)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: wrong, require: wrong_exit_rate < 2}\n"  /* 15 */
                                     "    - {id: wrong, require: missed_rate < 2}\n",     /* 16 */
                                     NULL));
    expect_at(only_error(), "pack.yaml", 16, 12, "a second veto 'wrong' (the first is at line 15)");
}

Test(rules, verification_without_vetoes)
{
    cr_assert_null(load_verification("verification:\n"          /* 13 */
                                     "  source: s\n",           /* 14: the mapping */
                                     NULL));
    expect_at(only_error(), "pack.yaml", 14, 3, "'verification' has no 'vetoes'");
}

Test(rules, verification_unknown_key)
{
    cr_assert_null(load_verification("verification:\n"
                                     "  vetoes:\n"
                                     "    - {id: wrong, require: wrong_exit_rate < 2, treshold: 2}\n", /* 15 */
                                     NULL));
    const diag_entry *e = only_error();
    expect_at(e, "pack.yaml", 15, 49, "unknown key 'treshold' in a veto");
}
