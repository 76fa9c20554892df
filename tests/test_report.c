/*
 * test_report.c - helpers the report writers share (src/report.h):
 * report_require, which shows a target's requirement as written and, in
 * Chinese reports, its logic words as 且, 或, 非 without touching names,
 * numbers or quoted text.
 */
#include <criterion/criterion.h>

#include "report.h"

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
