/*
 * test_report.c - helpers the report writers share (src/report.h):
 * report_require, which shows a target's requirement as written and, in
 * Chinese reports, its logic words as 且, 或, 非 without touching names,
 * numbers or quoted text. And the waivers in the JSON, CSV, JUnit and
 * units reports (SPEC §8): a whole check of the data and waiver file of
 * fixtures/cases/check-waivers-json, written to memory, with and without
 * the waiver file.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report.h"
#include "waiver.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

static const char *require(const char *src, int zh)
{
    static strbuf sb = STRBUF_INIT;
    strbuf_reset(&sb);
    report_require(&sb, src, zh);
    cr_assert_not(sb.oom);
    return strbuf_str(&sb);
}

Test(report, require_in_english_is_the_source)
{
    const char *src = "house_safe and not debt_illness or x >= 30";
    cr_assert_str_eq(require(src, 0), src);
    cr_assert_str_eq(require("!a&&b||c", 0), "!a&&b||c");
}

Test(report, require_in_chinese_renders_the_logic_words)
{
    cr_assert_str_eq(require("income_per_capita > poverty_line and income_per_capita >= province_rural_income", 1),
                     "income_per_capita > poverty_line 且 income_per_capita >= province_rural_income");
    cr_assert_str_eq(require("safe_water and (not tap_water_feasible or tap_water)", 1),
                     "safe_water 且 (非 tap_water_feasible 或 tap_water)");
    cr_assert_str_eq(require("not debt_illness and not debt_schooling", 1), "非 debt_illness 且 非 debt_schooling");
}

Test(report, require_symbols_get_spaces)
{
    cr_assert_str_eq(require("!a&&b||c", 1), "非 a 且 b 或 c");
    cr_assert_str_eq(require("!(a || b)", 1), "非 (a 或 b)");
}

Test(report, require_leaves_names_numbers_and_quotes)
{
    cr_assert_str_eq(require("band >= 1 and android_rate > 0.5", 1), "band >= 1 且 android_rate > 0.5");
    cr_assert_str_eq(require("grade == 'and or not' or notes == \"not\"", 1),
                     "grade == 'and or not' 或 notes == \"not\"");
    cr_assert_str_eq(require("a >= 96", 1), "a >= 96");
    cr_assert_str_eq(require("", 1), "");
}

/* ---- waivers in the reports ---- */

#define WAIVER_CASE TEST_SRCDIR "/fixtures/cases/check-waivers-json"

/* The report of one format of a check of the waiver case's data, with its
 * waiver file when with_waivers (as-of date as_of, 0: the default);
 * malloc'd, NUL-terminated. */
static char *waiver_report(int (*writer)(const report_ctx *, FILE *), int with_waivers, int as_of)
{
    diag_list *d = diag_new();
    cr_assert_not_null(d);
    ruleset *rs = rules_load(TEST_SRCDIR "/rules/gansu", d);
    cr_assert_not_null(rs);
    cr_assert_eq(rules_set_param(rs, "province_budget_revenue_growth", 8, d), 0);
    checker *c = check_new(rs, d);
    cr_assert_not_null(c);
    table_opts opts = {ENC_AUTO, 0, 1, NULL, NULL, 0};
    waivers *w = NULL;
    if (with_waivers) {
        w = waivers_new(rs, d);
        cr_assert_not_null(w);
        waivers_set_as_of(w, as_of);
        cr_assert_eq(waivers_read(w, WAIVER_CASE "/waivers.csv", &opts), 0);
        check_set_waivers(c, w);
    }
    check_input inputs[3] = {{WAIVER_CASE "/data/county.csv"}, {WAIVER_CASE "/data/village.csv"},
                             {WAIVER_CASE "/data/household.csv"}};
    cr_assert_eq(check_run(c, inputs, &opts), 0);
    if (w)
        waivers_finish(w);
    cr_assert_eq(diag_errors(d), 0);
    exit_status st = check_verdict(c) ? EXIT_CLAIMS_FAIL : EXIT_OK;
    report_facts *facts = report_facts_new(rs, c, st);
    cr_assert_not_null(facts);
    report_ctx r = {rs, c, d, facts, {0, 0, 0, 0}, FMT_JSON};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_assert_eq(writer(&r, f), 0);
    cr_assert_eq(fclose(f), 0);
    report_facts_free(&facts);
    check_free(&c);
    waivers_free(&w);
    rules_free(&rs);
    diag_free(&d);
    return buf;
}

/* The line of report s that contains key (a unit's id, say), as a new
 * string; fails the test when there is none. */
static char *line_with(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    cr_assert_not_null(p, "no line with %s", key);
    const char *b = p, *e = strchr(p, '\n');
    while (b > s && b[-1] != '\n')
        b--;
    size_t n = e ? (size_t)(e - b) : strlen(b);
    char *line = malloc(n + 1);
    cr_assert_not_null(line);
    memcpy(line, b, n);
    line[n] = '\0';
    return line;
}

static void assert_has(const char *s, const char *want)
{
    cr_assert_not_null(strstr(s, want), "expected %s in:\n%s", want, s);
}

static void assert_lacks(const char *s, const char *unwanted)
{
    cr_assert_null(strstr(s, unwanted), "did not expect %s in:\n%s", unwanted, s);
}

Test(report_waivers, json_summary_counts_by_waiver)
{
    char *j = waiver_report(report_json, 1, 0);
    char *hh = line_with(j, "\"household\": {\"units\"");
    assert_has(hh, "\"warn\": 0, \"by_waiver\": 2, \"claimed\": 4, \"supported\": 3, \"supported_by_waiver\": 2, "
                   "\"wrong_exit\": 1");
    assert_has(hh, "\"earlier\": {\"exited\": 0, \"supported\": 0, \"supported_by_waiver\": 0, \"wrong_exit\": 0");
    assert_has(hh, "\"H04\": {\"fail\": 1, \"unknown\": 0, \"warn\": 0, \"waived\": 1}");
    assert_has(hh, "\"H09\": {\"fail\": 0, \"unknown\": 0, \"warn\": 0, \"waived\": 1}");
    char *vl = line_with(j, "\"village\": {\"units\"");
    assert_has(vl, "\"by_waiver\": 1, \"claimed\": 1, \"supported\": 0, \"supported_by_waiver\": 0");
    assert_has(vl, "\"V17\": {\"fail\": 0, \"unknown\": 0, \"warn\": 0, \"waived\": 2}");
    free(hh);
    free(vl);
    free(j);
}

Test(report_waivers, json_lists_the_waiver_file)
{
    char *j = waiver_report(report_json, 1, 0);
    /* right after the inputs */
    const char *in = strstr(j, "\n  \"inputs\": ["), *wv = strstr(j, "\n  \"waivers\": {\"path\": "),
               *pa = strstr(j, "\n  \"params\": {");
    cr_assert(in && wv && pa && in < wv && wv < pa);
    char *head = line_with(j, "\"waivers\": {");
    assert_has(head, "check-waivers-json/waivers.csv\", \"encoding\": \"utf-8\", \"sha256\": \"");
    assert_has(head, "\"rows_read\": 8, \"rows_rejected\": 0, \"as_of\": null, \"entries\": [");
    free(head);
    assert_has(j, "{\"line\": 2, \"level\": \"household\", \"unit_id\": \"h1\", \"target\": \"H02\", "
                  "\"basis\": \"县住建局〔2016〕7号\", \"reason\": null, \"approved_by\": \"渭源县扶贫开发领导小组\", "
                  "\"approved_on\": \"2016-09-01\", \"expires\": null, \"use\": \"met\", \"units_applied\": 0}");
    assert_has(j, "\"unit_id\": \"h2\", \"target\": \"H04\", \"basis\": \"县教育局〔2016〕21号\", "
                  "\"reason\": \"child on sick leave\", \"approved_by\": \"县教育局\", \"approved_on\": \"2016-10-15\", "
                  "\"expires\": \"2017-06-30\", \"use\": \"applied\", \"units_applied\": 1}");
    assert_has(j, "\"unit_id\": \"h6\", \"target\": \"H04\"");
    char *h6 = line_with(j, "\"unit_id\": \"h6\"");
    assert_has(h6, "\"use\": \"expired\", \"units_applied\": 0}");
    char *h9 = line_with(j, "\"unit_id\": \"h9\"");
    assert_has(h9, "\"use\": \"no_unit\"");
    free(h6);
    free(h9);
    free(j);
}

Test(report_waivers, json_as_of_given)
{
    char *j = waiver_report(report_json, 1, 20170101);
    assert_has(j, "\"as_of\": \"2017-01-01\", \"entries\"");
    free(j);
}

Test(report_waivers, json_units_show_their_waivers)
{
    char *j = waiver_report(report_json, 1, 0);
    /* a claim that holds only because a failed target is waived */
    char *h5 = line_with(j, "\"id\": \"h5\"");
    assert_has(h5, "\"status\": \"pass\", \"claim\": \"supported\", \"exit\": \"this_year\", \"by_waiver\": true, ");
    assert_has(h5, "{\"id\": \"H07\", \"status\": \"waived\", \"observed\": {\"ncms_enrolled\": 2, \"members\": 3}, "
                   "\"required\": \"ncms_enrolled >= members\", \"waiver\": {\"line\": 5, \"basis\": \"县合疗办〔2016〕3号\", "
                   "\"reason\": \"newborn enrolled in 2017 & <card> pending\", \"approved_by\": \"渭源县扶贫开发领导小组\", "
                   "\"approved_on\": \"2016-12-01\", \"expires\": \"2017-12-31\", \"outcome\": \"fail\"}}");
    /* an unknown target waived keeps the reason it is unknown */
    char *h4 = line_with(j, "\"id\": \"h4\"");
    assert_has(h4, "\"by_waiver\": true");
    assert_has(h4, "{\"id\": \"H09\", \"status\": \"waived\", \"observed\": {\"toilet\": null}, "
                   "\"required\": \"toilet\", \"reason\": \"toilet is missing\", \"waiver\": {\"line\": 4, ");
    assert_has(h4, "\"reason\": \"survey of 2016-11-02 lost, re-survey \\\"pending\\\"\"");
    assert_has(h4, "\"expires\": null, \"outcome\": \"unknown\"}}");
    /* a wrong exit with a waived target: not by waiver */
    char *h2 = line_with(j, "\"id\": \"h2\"");
    assert_has(h2, "\"status\": \"fail\", \"claim\": \"wrong_exit\", \"exit\": \"this_year\", \"by_waiver\": false");
    assert_has(h2, "{\"id\": \"H04\", \"status\": \"waived\"");
    assert_has(h2, "{\"id\": \"H01\", \"status\": \"fail\"");
    /* an expired waiver changes nothing */
    char *h6 = line_with(j, "\"id\": \"h6\"");
    assert_has(h6, "\"by_waiver\": false");
    assert_has(h6, "{\"id\": \"H04\", \"status\": \"fail\"");
    assert_lacks(h6, "\"waiver\"");
    char *v2 = line_with(j, "\"id\": \"621199002\"");
    assert_has(v2, "\"status\": \"pass\", \"claim\": \"none\", \"exit\": \"none\", \"by_waiver\": true");
    free(h5);
    free(h4);
    free(h2);
    free(h6);
    free(v2);
    free(j);
}

Test(report_waivers, json_without_waivers)
{
    char *j = waiver_report(report_json, 0, 0);
    assert_has(j, "\n  ],\n  \"waivers\": null,\n  \"params\": {");
    char *hh = line_with(j, "\"household\": {\"units\"");
    assert_has(hh, "\"warn\": 0, \"by_waiver\": 0, \"claimed\": 4, \"supported\": 1, \"supported_by_waiver\": 0, ");
    assert_has(hh, "\"H04\": {\"fail\": 2, \"unknown\": 0, \"warn\": 0, \"waived\": 0}");
    /* the units and their targets have no trace of waivers */
    const char *units = strstr(j, "\"units\": [");
    cr_assert_not_null(units);
    assert_lacks(units, "by_waiver");
    assert_lacks(units, "\"waived\"");
    assert_lacks(units, "\"waiver\"");
    free(hh);
    free(j);
}

Test(report_waivers, csv_columns_only_with_waivers)
{
    char *c = waiver_report(report_csv, 1, 0);
    assert_has(c, ",why_unknown,waiver_basis,waiver_approved_by,waiver_approved_on,waiver_expires,waiver_line\r\n");
    assert_has(c, "\r\n# Waivers ");
    assert_has(c, "check-waivers-json/waivers.csv sha256 ");
    assert_has(c, "; rows read 8; rejected 0; as of 31 December of each row's year\r\n");
    char *h5 = line_with(c, "h5,,621199002,6,pass,PASS,supported,this_year,claim supported,H07,");
    assert_has(h5, ",waived,\"ncms_enrolled 2, members 3\",ncms_enrolled >= members,,县合疗办〔2016〕3号,"
                   "渭源县扶贫开发领导小组,2016-12-01,2017-12-31,5\r");
    char *h4 = line_with(c, "h4,,621199002,5,pass,PASS,supported,this_year,claim supported,H09,");
    /* the basis begins with '=': shown as text, not run as a formula */
    assert_has(h4, ",waived,toilet missing,toilet,toilet is missing,\"'=toilet rebuilt after the flood\","
                   "Weiyuan poverty office,2016-11-20,,4\r");
    char *h3 = line_with(c, "h3,,621199001,4,pass,PASS,none,none,no claim,H01,");
    assert_has(h3, ",,,,,,\r");
    free(h5);
    free(h4);
    free(h3);
    free(c);
    c = waiver_report(report_csv, 0, 0);
    assert_lacks(c, "waiver_");
    assert_lacks(c, ",waived,");
    assert_lacks(c, "# Waivers");
    assert_has(c, ",why_unknown\r\n");
    free(c);
}

Test(report_waivers, units_column_only_with_waivers)
{
    char *u = waiver_report(report_units, 1, 0);
    assert_has(u, "level,id,parent,line,status,claim,exit,not_met,unknown,warn,waived\n");
    assert_has(u, "\nhousehold,h5,621199002,6,pass,supported,this_year,,,,H07\n");
    assert_has(u, "\nhousehold,h2,621199001,3,fail,wrong_exit,this_year,H01,,,H04\n");
    assert_has(u, "\nhousehold,h3,621199001,4,pass,none,none,,,,\n");
    free(u);
    u = waiver_report(report_units, 0, 0);
    assert_has(u, "level,id,parent,line,status,claim,exit,not_met,unknown,warn\n");
    assert_has(u, "\nhousehold,h5,621199002,6,fail,wrong_exit,this_year,H07,,\n");
    assert_has(u, "\nhousehold,h3,621199001,4,pass,none,none,,,\n");
    free(u);
}

Test(report_waivers, junit_passing_case_names_its_waivers)
{
    char *x = waiver_report(report_junit, 1, 0);
    assert_has(x, "<property name=\"exitcheck.waivers\" value=\"");
    assert_has(x, " rows_read=8 rows_rejected=0 as_of=default\"/>");
    assert_has(x, "    <testcase classname=\"exitcheck.household\" name=\"h5\" time=\"0\">\n"
                  "      <properties>\n"
                  "        <property name=\"waived\" value=\"H07: basis 县合疗办〔2016〕3号; reason newborn enrolled in 2017 "
                  "&amp; &lt;card&gt; pending; approved by 渭源县扶贫开发领导小组; approved on 2016-12-01; expires "
                  "2017-12-31\"/>\n"
                  "      </properties>\n"
                  "      <system-out>H07 waived: ");
    /* still a passing test case: no failure between h5 and the next case */
    const char *h5 = strstr(x, "name=\"h5\""), *end = strstr(h5, "</testcase>");
    cr_assert(end);
    cr_assert(!strstr(h5, "<failure") || strstr(h5, "<failure") > end);
    assert_has(x, "  without the waiver: unknown (toilet is missing)\n</system-out>");
    /* the supported claim without waivers stays an empty test case */
    assert_has(x, "<testcase classname=\"exitcheck.household\" name=\"h1\" time=\"0\"/>\n");
    free(x);
    x = waiver_report(report_junit, 0, 0);
    assert_lacks(x, "exitcheck.waivers");
    assert_lacks(x, "name=\"waived\"");
    assert_lacks(x, "<system-out>");
    free(x);
}
