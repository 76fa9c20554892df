/*
 * test_value.c - how CSV cells become values (src/value.h): the one number
 * grammar (exact decimals, '%' and '％' on percentage columns, rejection of
 * exponents, hex, nan/inf, separators and full-width digits), missing-cell
 * markers, boolean spellings, trimming of ASCII and full-width spaces, and
 * the hints given for numbers that look almost right.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "value.h"

static int num(const char *s, int allow_percent, double *out)
{
    return value_parse_number(s, strlen(s), allow_percent, out);
}

static void expect_num(const char *s, int allow_percent, double want)
{
    double v = -12345.678;
    cr_assert_eq(num(s, allow_percent, &v), 0, "'%s' should parse (allow_percent=%d)", s, allow_percent);
    cr_assert(v == want, "'%s' parsed as %.17g, expected %.17g", s, v, want);
}

static void expect_reject(const char *s, int allow_percent)
{
    double v = -12345.678;
    cr_assert_eq(num(s, allow_percent, &v), -1, "'%s' should be rejected (allow_percent=%d)", s, allow_percent);
    cr_assert(v == -12345.678, "a rejected parse of '%s' must not write *out", s);
}

Test(value, plain_decimals)
{
    expect_num("96", 0, 96);
    expect_num("96.0", 0, 96);
    expect_num("0", 0, 0);
    expect_num("+3.5", 0, 3.5);
    expect_num("-2.25", 0, -2.25);
    expect_num(".5", 0, 0.5);
    expect_num("007", 0, 7);
    expect_num("2952", 1, 2952);
}

Test(value, negative_zero_is_zero)
{
    double v = 1;
    cr_assert_eq(num("-0", 0, &v), 0);
    cr_assert(v == 0, "-0 parsed as %g", v);
}

Test(value, percent_signs_only_where_allowed)
{
    expect_num("96%", 1, 96);
    expect_num("96.5%", 1, 96.5);
    expect_num("96\xEF\xBC\x85", 1, 96); /* full-width ％ */
    expect_reject("96%", 0);
    expect_reject("96\xEF\xBC\x85", 0);
    expect_reject("%", 1);
    expect_reject("96%%", 1);
    expect_reject("%96", 1);
}

/* Decimals of up to 15 significant digits must be the correctly rounded
 * double, so thresholds such as 1.95 compare exactly. */
Test(value, decimals_are_exact)
{
    expect_num("1.95", 0, 1.95);
    expect_num("0.3", 0, 0.3);
    expect_num("0.1", 0, 0.1);
    expect_num("10344.3", 0, 10344.3);
    expect_num("7.51", 0, 7.51);
    expect_num("0.07", 0, 0.07);
    expect_num("99.99", 1, 99.99);

    double v;
    cr_assert_eq(num("0.3", 0, &v), 0);
    cr_assert(v != 0.1 + 0.2, "0.3 must be the double nearest 0.3, not 0.1 + 0.2");

    static const char *const spellings[] = {
        "123456789012345", "0.000123456789012345", "98765.4321", "3.14159265358979",
        "2.675", "1.005", "0.000001", "8.30", "1234567.891",
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        double want = strtod(spellings[i], NULL);
        expect_num(spellings[i], 0, want);
    }
}

/* Short cells take a fast path: it must give strtod's double, bit for bit,
 * for every shape (leading zeros, no integer part, a trailing point). */
Test(value, short_cells_match_strtod)
{
    unsigned long long x = 88172645463325252ULL;
    char buf[32];
    for (int t = 0; t < 200000; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t n = 0;
        unsigned long long r = x;
        if (r % 4 == 0)
            buf[n++] = '-';
        else if (r % 4 == 1)
            buf[n++] = '+';
        r /= 4;
        int ndig = 1 + (int)(r % 15);
        r /= 15;
        int dot = (int)(r % (unsigned)(ndig + 2)) - 1; /* -1: no point */
        r /= (unsigned)(ndig + 2);
        for (int k = 0; k < ndig; k++) {
            if (k == dot)
                buf[n++] = '.';
            buf[n++] = (char)('0' + (x >> (k * 4 % 60)) % 10);
        }
        if (dot == ndig)
            buf[n++] = '.';
        buf[n] = '\0';
        double got = -1, want = strtod(buf, NULL);
        cr_assert_eq(value_parse_number(buf, n, 0, &got), 0, "'%s' should parse", buf);
        cr_assert(memcmp(&got, &want, sizeof got) == 0, "'%s' gave %.17g, strtod gives %.17g", buf, got, want);
    }
    static const char *const bad[] = {"1.2.3", ".", "-.", "+", "1-", "1 2", "1e5", "0x1", "..5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        cr_assert_eq(value_parse_number(bad[i], strlen(bad[i]), 0, &v), -1, "'%s' is not a number", bad[i]);
    }
}

Test(value, long_inputs_over_15_digits)
{
    static const char *const spellings[] = {
        "1234567890123456789",          /* 19 significant digits */
        "12345678901234567890123",      /* beyond what a uint64 holds */
        "3.14159265358979323846",
        "-12345678901234567.5",
        "0.0000000000000000000000001",  /* more than 22 decimals */
        "+9007199254740993",
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        double want = strtod(spellings[i], NULL);
        expect_num(spellings[i], 0, want);
    }
}

Test(value, rejects_other_spellings)
{
    static const char *const bad[] = {
        "", "1e5", "1E5", "0x10", "nan", "NaN", "inf", "-inf", "infinity", "1,234", "1 234",
        "\xEF\xBC\x91\xEF\xBC\x92", /* full-width １２ */
        "1.2.3", "-", "+", ".", "+-1", "--1", "12a", "a12", "1_000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_reject(bad[i], 0);
        expect_reject(bad[i], 1);
    }
}

Test(value, parse_does_not_trim)
{
    expect_reject(" 96 ", 0);
    expect_reject(" 96", 0);
    expect_reject("96 ", 0);
    expect_reject("\t96", 1);
    expect_reject("\xE3\x80\x80" "96", 1); /* leading U+3000 */
}

Test(value, parse_respects_the_span)
{
    /* the span is not NUL-terminated: only its bytes count */
    double v;
    cr_assert_eq(value_parse_number("96abc", 2, 0, &v), 0);
    cr_assert(v == 96);
    cr_assert_eq(value_parse_number("1.95,2", 4, 0, &v), 0);
    cr_assert(v == 1.95);
}

Test(value, missing_markers)
{
    static const char *const missing[] = {"", "NA", "na", "N/A", "n/a", "N/a", "-"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++)
        cr_assert_eq(value_is_missing(missing[i], strlen(missing[i])), 1, "'%s' should mean missing", missing[i]);
    static const char *const present[] = {"0", "N", "n", "nan", "NAN", "none", "--", "-1", "NA ", "N/A/", "no",
                                               "NB", "N/B", "NxA", "-a", "n/", "No"};
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++)
        cr_assert_eq(value_is_missing(present[i], strlen(present[i])), 0, "'%s' is not a missing marker", present[i]);
}

Test(value, booleans)
{
    static const char *const yes[] = {"yes", "YES", "Yes", "y", "Y", "true", "TRUE", "True", "1", "是", "有"};
    static const char *const no[] = {"no", "NO", "No", "n", "N", "false", "FALSE", "False", "0", "否", "无"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        int b = -1;
        cr_assert_eq(value_parse_bool(yes[i], strlen(yes[i]), &b), 0, "'%s' should be a boolean", yes[i]);
        cr_assert_eq(b, 1, "'%s' should be true", yes[i]);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        int b = -1;
        cr_assert_eq(value_parse_bool(no[i], strlen(no[i]), &b), 0, "'%s' should be a boolean", no[i]);
        cr_assert_eq(b, 0, "'%s' should be false", no[i]);
    }
}

Test(value, boolean_rejections)
{
    static const char *const bad[] = {"2", "maybe", "", "yess", "ye", "tru", "-1", "是的", "没有", " yes", "yes ", "10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int b = -1;
        cr_assert_eq(value_parse_bool(bad[i], strlen(bad[i]), &b), -1, "'%s' should not be a boolean", bad[i]);
        cr_assert_eq(b, -1, "a rejected boolean must not write *out");
    }
}

static void expect_trim(const char *in, const char *want)
{
    const char *s = in;
    size_t n = strlen(in);
    value_trim(&s, &n);
    cr_assert_eq(n, strlen(want), "trim('%s') has length %zu, expected %zu", in, n, strlen(want));
    cr_assert(memcmp(s, want, n) == 0, "trim('%s') gave '%.*s', expected '%s'", in, (int)n, s, want);
    cr_assert(s >= in && s + n <= in + strlen(in), "trim must return a span inside its input");
}

Test(value, trim_ascii_and_fullwidth_spaces)
{
    expect_trim("96", "96");
    expect_trim("  96 \t", "96");
    expect_trim("\r\n96\r\n", "96");
    expect_trim("\xE3\x80\x80" "96" "\xE3\x80\x80", "96");
    /* bytes of U+3000 inside other characters are kept: U+8000 is E8 80 80 */
    expect_trim("\xE8\x80\x80", "\xE8\x80\x80");
    expect_trim("\xE3\x80\x80\xE8\x80\x80 ", "\xE8\x80\x80");
    expect_trim("\xE3\x81\x82", "\xE3\x81\x82");
    expect_trim(" \xE3\x80\x80 是 \xE3\x80\x80\xE3\x80\x80", "是");
    expect_trim("9 6", "9 6");
    expect_trim("a\xE3\x80\x80" "b", "a\xE3\x80\x80" "b");
    expect_trim("   ", "");
    expect_trim("\xE3\x80\x80", "");
    expect_trim("", "");
    /* an incomplete U+3000 is not a space */
    expect_trim("\xE3\x80", "\xE3\x80");
    /* U+3001 (、) is not a space */
    expect_trim("\xE3\x80\x81", "\xE3\x80\x81");
}

static void expect_hint(const char *s, const char *word)
{
    const char *h = value_number_hint(s, strlen(s));
    cr_assert_not_null(h, "expected a hint for '%s'", s);
    cr_assert_not_null(strstr(h, word), "the hint for '%s' should mention '%s': %s", s, word, h);
}

Test(value, number_hints)
{
    expect_hint("1,234", "thousands");
    expect_hint("\xEF\xBC\x91\xEF\xBC\x92", "full-width");
    expect_hint("1e5", "exponent");
    expect_hint("nan", "nan");
    expect_hint("inf", "infinity");
    expect_hint("0x10", "hexadecimal");
    expect_hint("96%", "percent");
    cr_assert_null(value_number_hint("abc", 3), "nothing specific to say about 'abc'");
    cr_assert_null(value_number_hint("", 0));
}

Test(value, why_texts)
{
    for (int w = 0; w < WHY__COUNT; w++) {
        const char *t = value_why_text((vwhy)w);
        cr_assert_not_null(t, "reason %d has no text", w);
        cr_assert_gt(strlen(t), 0, "reason %d has an empty text", w);
        for (int o = 0; o < w; o++)
            cr_assert_str_neq(t, value_why_text((vwhy)o), "reasons %d and %d read the same", o, w);
    }
    cr_assert_not_null(value_why_text(WHY__COUNT));
}

Test(value, constructors)
{
    value u = value_unknown(WHY_DIV_ZERO);
    cr_assert_eq(u.kind, V_UNKNOWN);
    cr_assert_eq(u.why, WHY_DIV_ZERO);
    value b = value_bool(7);
    cr_assert_eq(b.kind, V_BOOL);
    cr_assert_eq(b.u.b, 1, "value_bool normalises to 0/1");
    value t = value_text("abc", 2);
    cr_assert_eq(t.kind, V_TEXT);
    cr_assert_eq(t.len, 2);
    cr_assert(value_num(1.5).u.num == 1.5);
}

/* ---------- what Excel leaves in a CSV file (issue 17) ---------- */

Test(value, ticks_and_crosses_are_booleans)
{
    static const char *const yes[] = {"√", "✓", "✔"};
    static const char *const no[] = {"×", "✗", "✘"};
    for (size_t i = 0; i < 3; i++) {
        int b = -1;
        cr_assert_eq(value_parse_bool(yes[i], strlen(yes[i]), &b), 0, "'%s' should be a boolean", yes[i]);
        cr_assert_eq(b, 1, "'%s' is yes", yes[i]);
        b = -1;
        cr_assert_eq(value_parse_bool(no[i], strlen(no[i]), &b), 0, "'%s' should be a boolean", no[i]);
        cr_assert_eq(b, 0, "'%s' is no", no[i]);
    }
    static const char *const bad[] = {"√√", "√ ", "x", "X", "×√", "✓✗"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int b = -1;
        cr_assert_eq(value_parse_bool(bad[i], strlen(bad[i]), &b), -1, "'%s' is not a boolean", bad[i]);
    }
}

Test(value, excel_error_values)
{
    static const char *const errors[] = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"};
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        const char *e = value_excel_error(errors[i], strlen(errors[i]));
        cr_assert_not_null(e, "'%s' is an Excel error value", errors[i]);
        cr_assert_str_eq(e, errors[i]);
    }
    /* any case, and full-width forms folded to the canonical spelling */
    cr_assert_str_eq(value_excel_error("#n/a", 4), "#N/A");
    cr_assert_str_eq(value_excel_error("#div/0!", 7), "#DIV/0!");
    const char *fw = "＃Ｎ／Ａ"; /* U+FF03 U+FF2E U+FF0F U+FF21 */
    cr_assert_str_eq(value_excel_error(fw, strlen(fw)), "#N/A");
    const char *mixed = "#DIV／0！";
    cr_assert_str_eq(value_excel_error(mixed, strlen(mixed)), "#DIV/0!");
    static const char *const not_errors[] = {"#",    "#N/A!", "#NA",  "N/A",  "#DIV/0", "#N/A ",
                                             " #N/A", "#VALUE", "#REF", "8000", "#1",     "#N/A#N/A"};
    for (size_t i = 0; i < sizeof not_errors / sizeof not_errors[0]; i++)
        cr_assert_null(value_excel_error(not_errors[i], strlen(not_errors[i])), "'%s' is not an Excel error value",
                       not_errors[i]);
}

Test(value, totals_labels)
{
    static const char *const totals[] = {"合计", "小计", "总计", "合 计", "　合　计　", " 合计 ", "合\t计", "合計", "總計"};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
        cr_assert_eq(value_is_totals(totals[i], strlen(totals[i])), 1, "'%s' labels a totals row", totals[i]);
    static const char *const others[] = {"合计数", "合", "计", "小计1", "总计：", "合计 合计", "",
                                         "total", "Total", "共计", "h1"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        cr_assert_eq(value_is_totals(others[i], strlen(others[i])), 0, "'%s' is not a totals label", others[i]);
}

Test(value, excel_exponent_ids)
{
    static const char *const sci[] = {"6.21123E+12", "6E+12", "6.2e+12", "1.23457E+15", "62.1E+11"};
    for (size_t i = 0; i < sizeof sci / sizeof sci[0]; i++)
        cr_assert_eq(value_looks_excel_exponent(sci[i], strlen(sci[i])), 1, "'%s' is Excel's E+ notation", sci[i]);
    static const char *const plain[] = {"6211230010005", "6.21123E12", "6.21123E-12", "E+12", "6.E+12", ".5E+3",
                                        "6.21123E+",     "6.21123E+1x", "h6.2E+12",   "",     "6.21123",  "-6.2E+12"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        cr_assert_eq(value_looks_excel_exponent(plain[i], strlen(plain[i])), 0, "'%s' is not E+ notation", plain[i]);
}

static void expect_date(long serial, int y, int m, int d)
{
    int gy = 0, gm = 0, gd = 0;
    cr_assert_eq(value_excel_date(serial, &gy, &gm, &gd), 0, "serial %ld has a date", serial);
    cr_assert(gy == y && gm == m && gd == d, "serial %ld is %04d-%02d-%02d, expected %04d-%02d-%02d", serial, gy, gm,
              gd, y, m, d);
}

Test(value, excel_date_serials)
{
    /* Excel's 1900 system: 1 is 1900-01-01, 59 the last day of February
     * 1900, 60 the 29th that 1900 never had, 61 March 1st */
    expect_date(1, 1900, 1, 1);
    expect_date(31, 1900, 1, 31);
    expect_date(32, 1900, 2, 1);
    expect_date(59, 1900, 2, 28);
    expect_date(60, 1900, 2, 29);
    expect_date(61, 1900, 3, 1);
    /* from 61 on, 1899-12-30 + serial days */
    expect_date(36526, 2000, 1, 1);
    expect_date(42370, 2016, 1, 1);
    expect_date(42735, 2016, 12, 31); /* 2016 is a leap year: 42370 + 365 */
    expect_date(44561, 2021, 12, 31);
    expect_date(44562, 2022, 1, 1);
    expect_date(2958465, 9999, 12, 31);
    int y, m, d;
    cr_assert_eq(value_excel_date(0, &y, &m, &d), -1);
    cr_assert_eq(value_excel_date(-5, &y, &m, &d), -1);
    cr_assert_eq(value_excel_date(2958466, &y, &m, &d), -1);
}
