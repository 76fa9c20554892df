/*
 * test_expr.c - expressions (src/expr.h) over a small resolver (x, y
 * numbers; b, c booleans; t text): arithmetic, comparisons, three-valued
 * and/or/not in full, unknowns and division by zero, functions, type and
 * syntax errors with offsets, unknown names, depth/length bounds, refs.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "expr.h"
#include "mem.h"

enum { SX, SY, SB, ST, SC, NSLOTS };

typedef struct err {
    size_t off, len;
    char msg[256];
} err;

static arena *A;
static err errs[64];
static int nerrs;
static value slots[NSLOTS];

static int resolver(void *ctx, const char *name, size_t len, expr_symbol *out)
{
    static const struct { const char *name; int slot; vtype type; } syms[] = {
        {"x", SX, VT_NUM}, {"y", SY, VT_NUM}, {"b", SB, VT_BOOL}, {"t", ST, VT_TEXT}, {"c", SC, VT_BOOL},
    };
    (void)ctx;
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
        if (strlen(syms[i].name) == len && memcmp(syms[i].name, name, len) == 0) {
            out->slot = syms[i].slot;
            out->type = syms[i].type;
            return 1;
        }
    return 0;
}

static void on_error(void *ctx, size_t off, size_t len, const char *msg)
{
    (void)ctx;
    if (nerrs < (int)(sizeof errs / sizeof errs[0])) {
        errs[nerrs].off = off;
        errs[nerrs].len = len;
        snprintf(errs[nerrs].msg, sizeof errs[nerrs].msg, "%s", msg);
    }
    nerrs++;
}

static void setup(void)
{
    A = arena_new();
    cr_assert_not_null(A);
    nerrs = 0;
    slots[SX] = value_num(0);
    slots[SY] = value_num(0);
    slots[SB] = value_bool(0);
    slots[ST] = value_text("", 0);
    slots[SC] = value_bool(0);
}

static void teardown(void)
{
    mem_fail_after(0);
    arena_free(&A);
}

TestSuite(expr, .init = setup, .fini = teardown);

static expr *compile_ok(const char *src)
{
    nerrs = 0;
    expr *e = expr_compile(A, src, strlen(src), resolver, on_error, NULL);
    cr_assert_not_null(e, "'%s' should compile; first error: %s", src, nerrs ? errs[0].msg : "(none reported)");
    cr_assert_eq(nerrs, 0, "'%s' compiled but reported %d errors", src, nerrs);
    return e;
}

/* Compiles src expecting failure; returns the number of errors reported. */
static int compile_fail(const char *src)
{
    nerrs = 0;
    expr *e = expr_compile(A, src, strlen(src), resolver, on_error, NULL);
    cr_assert_null(e, "'%s' should not compile", src);
    cr_assert_gt(nerrs, 0, "'%s' failed without reporting an error", src);
    return nerrs;
}

static void expect_error(int i, size_t off, size_t len, const char *fragment)
{
    cr_assert_lt(i, nerrs, "expected an error #%d, only %d reported", i, nerrs);
    cr_assert_eq(errs[i].off, off, "error '%s' at offset %zu, expected %zu", errs[i].msg, errs[i].off, off);
    cr_assert_eq(errs[i].len, len, "error '%s' has length %zu, expected %zu", errs[i].msg, errs[i].len, len);
    cr_assert_not_null(strstr(errs[i].msg, fragment), "error '%s' should contain '%s'", errs[i].msg, fragment);
}

static value eval(const char *src) { return expr_eval(compile_ok(src), slots); }

static void expect_num(const char *src, double want)
{
    value v = eval(src);
    cr_assert_eq(v.kind, V_NUM, "'%s' should be a number, kind %d", src, v.kind);
    cr_assert(v.u.num == want, "'%s' = %.17g, expected %.17g", src, v.u.num, want);
}

static void expect_bool(const char *src, int want)
{
    value v = eval(src);
    cr_assert_eq(v.kind, V_BOOL, "'%s' should be a boolean, kind %d (why %d)", src, v.kind, v.why);
    cr_assert_eq(v.u.b, want, "'%s' is %d, expected %d", src, v.u.b, want);
}

static void expect_unknown(const char *src, vwhy why)
{
    value v = eval(src);
    cr_assert_eq(v.kind, V_UNKNOWN, "'%s' should be unknown, kind %d", src, v.kind);
    cr_assert_eq(v.why, why, "'%s' unknown because %s, expected %s", src, value_why_text(v.why), value_why_text(why));
}

/* ---------- values ---------- */

Test(expr, arithmetic_and_precedence)
{
    expect_num("1 + 2 * 3", 7);
    expect_num("(1 + 2) * 3", 9);
    expect_num("10 - 4 - 3", 3);
    expect_num("12 / 4 / 3", 1);
    expect_num("2 * 3 - 4 / 2", 4);
    expect_num("- -2", 2);
    expect_num("2 * -3", -6);
    expect_num("-(1 + 2) * 2", -6);
    slots[SX] = value_num(1);
    slots[SY] = value_num(8);
    expect_num("x / y * 100", 12.5);
    expect_num("-x + 1", 0);
    expect_num("x - y", -7);
}

Test(expr, comparisons)
{
    slots[SX] = value_num(96);
    expect_bool("x >= 96", 1);
    expect_bool("x > 96", 0);
    expect_bool("x <= 96", 1);
    expect_bool("x < 96", 0);
    expect_bool("x == 96.0", 1);
    expect_bool("x != 96", 0);
    expect_bool("1 + 1 == 2", 1);
    expect_bool("1.95 >= 1.95", 1);
    slots[SX] = value_num(1.95);
    expect_bool("x >= 1.95", 1);
    /* comparison binds looser than arithmetic, tighter than 'and' */
    expect_bool("x * 2 > 3 and 1 < 2", 1);
}

Test(expr, boolean_and_text_equality)
{
    slots[SB] = value_bool(1);
    slots[SC] = value_bool(0);
    expect_bool("b == true", 1);
    expect_bool("b != c", 1);
    expect_bool("c == false", 1);
    slots[ST] = value_text("abc", 3);
    expect_bool("t == 'abc'", 1);
    expect_bool("t == \"abc\"", 1);
    expect_bool("t != 'abd'", 1);
    expect_bool("t == 'ab'", 0);
    expect_bool("t == 'abcd'", 0);
    expect_bool("'' == ''", 1);
    /* text slots point into a row: not NUL-terminated */
    slots[ST] = value_text("abcdef", 3);
    expect_bool("t == 'abc'", 1);
}

/* ---------- three-valued logic ---------- */

static value tv(int which, vwhy why)
{
    return which == 2 ? value_unknown(why) : value_bool(which);
}

/* 0 = false, 1 = true, 2 = unknown */
static void expect_tv(const char *src, int want)
{
    value v = eval(src);
    if (want == 2) {
        cr_assert_eq(v.kind, V_UNKNOWN, "'%s' with b=%d c=%d should be unknown", src, slots[SB].kind == V_UNKNOWN ? 2 : slots[SB].u.b,
                     slots[SC].kind == V_UNKNOWN ? 2 : slots[SC].u.b);
    } else {
        cr_assert_eq(v.kind, V_BOOL, "'%s' with b=%d c=%d should be known", src, slots[SB].kind == V_UNKNOWN ? 2 : slots[SB].u.b,
                     slots[SC].kind == V_UNKNOWN ? 2 : slots[SC].u.b);
        cr_assert_eq(v.u.b, want, "'%s' with b=%d c=%d", src, slots[SB].kind == V_UNKNOWN ? 2 : slots[SB].u.b,
                     slots[SC].kind == V_UNKNOWN ? 2 : slots[SC].u.b);
    }
}

Test(expr, and_truth_table)
{
    /* rows: b = F, T, U; columns: c = F, T, U */
    static const int want[3][3] = {
        {0, 0, 0},
        {0, 1, 2},
        {0, 2, 2},
    };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            slots[SB] = tv(i, WHY_MISSING);
            slots[SC] = tv(j, WHY_MISSING);
            expect_tv("b and c", want[i][j]);
            expect_tv("b && c", want[i][j]);
        }
}

Test(expr, or_truth_table)
{
    static const int want[3][3] = {
        {0, 1, 2},
        {1, 1, 1},
        {2, 1, 2},
    };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            slots[SB] = tv(i, WHY_MISSING);
            slots[SC] = tv(j, WHY_MISSING);
            expect_tv("b or c", want[i][j]);
            expect_tv("b || c", want[i][j]);
        }
}

Test(expr, not_truth_table)
{
    static const int want[3] = {1, 0, 2};
    for (int i = 0; i < 3; i++) {
        slots[SB] = tv(i, WHY_MISSING);
        expect_tv("not b", want[i]);
        expect_tv("!b", want[i]);
        expect_tv("not not b", i);
    }
}

Test(expr, logic_precedence)
{
    /* not > and > or: "not b or b and c" is "(not b) or (b and c)" */
    slots[SB] = value_bool(1);
    slots[SC] = value_bool(0);
    expect_bool("not b or b and c", 0);
    expect_bool("b or b and c", 1);
    expect_bool("not (b and c)", 1);
    expect_bool("c and c or b", 1);
    /* 'not' applies to a whole comparison */
    slots[SX] = value_num(5);
    expect_bool("not x > 3", 0);
}

Test(expr, unknown_keeps_its_reason)
{
    slots[SB] = value_unknown(WHY_NO_PARAM);
    slots[SC] = value_bool(1);
    expect_unknown("b and c", WHY_NO_PARAM);
    expect_unknown("c and b", WHY_NO_PARAM);
    expect_unknown("not b", WHY_NO_PARAM);
    slots[SX] = value_unknown(WHY_INVALID);
    expect_unknown("x > 1 or false", WHY_INVALID);
}

/* ---------- unknown values ---------- */

Test(expr, division_by_zero_is_unknown)
{
    slots[SX] = value_num(5);
    slots[SY] = value_num(0);
    expect_unknown("x / y", WHY_DIV_ZERO);
    expect_unknown("x / 0", WHY_DIV_ZERO);
    expect_unknown("0 / 0", WHY_DIV_ZERO);
    expect_unknown("x / (y * 3)", WHY_DIV_ZERO);
    expect_unknown("x / y * 100 < 2", WHY_DIV_ZERO);
    expect_unknown("x / y + 1", WHY_DIV_ZERO);
    expect_bool("x / y > 1 or true", 1);
    expect_bool("x / y > 1 and false", 0);
    expect_num("0 / x", 0);
}

Test(expr, unknown_propagates_through_arithmetic_and_comparisons)
{
    slots[SX] = value_unknown(WHY_MISSING);
    slots[SY] = value_num(2);
    expect_unknown("x + 1", WHY_MISSING);
    expect_unknown("1 + x", WHY_MISSING);
    expect_unknown("x * 0", WHY_MISSING); /* missing is never read as zero */
    expect_unknown("x - x", WHY_MISSING);
    expect_unknown("-x", WHY_MISSING);
    expect_unknown("y / x", WHY_MISSING);
    expect_unknown("x > 1", WHY_MISSING);
    expect_unknown("x == x", WHY_MISSING);
    expect_unknown("1 != x", WHY_MISSING);
    expect_bool("x >= 0 and false", 0);
    expect_bool("x >= 0 or true", 1);
    /* the first unknown operand's reason wins */
    slots[SY] = value_unknown(WHY_NO_PARAM);
    expect_unknown("x + y", WHY_MISSING);
    expect_unknown("y + x", WHY_NO_PARAM);
    slots[ST] = value_unknown(WHY_NO_COLUMN);
    expect_unknown("t == 'a'", WHY_NO_COLUMN);
}

/* ---------- functions ---------- */

Test(expr, functions)
{
    expect_num("min(3, 1, 2)", 1);
    expect_num("max(3, 1, 2)", 3);
    expect_num("min(4, 5)", 4);
    expect_num("abs(-2.5)", 2.5);
    expect_num("abs(2.5)", 2.5);
    expect_num("if(1 < 2, 10, 20)", 10);
    expect_num("if(1 > 2, 10, 20)", 20);
    slots[SX] = value_num(7);
    expect_bool("known(x)", 1);
    expect_num("max(x, 1) + min(x, 1)", 8);
    slots[SX] = value_unknown(WHY_MISSING);
    expect_bool("known(x)", 0);
    expect_bool("known(x > 1)", 0);
    expect_bool("not known(x) or x > 1", 1);
    expect_unknown("min(x, 1)", WHY_MISSING);
    expect_unknown("min(1, x)", WHY_MISSING);
    expect_unknown("max(1, 2, x)", WHY_MISSING);
    expect_unknown("abs(x)", WHY_MISSING);
    /* only the branch taken is evaluated */
    slots[SB] = value_bool(1);
    expect_num("if(b, 1, x)", 1);
    expect_unknown("if(not b, 1, x)", WHY_MISSING);
    slots[SB] = value_unknown(WHY_NO_COLUMN);
    expect_unknown("if(b, 1, 2)", WHY_NO_COLUMN);
    /* if() takes the type of its branches */
    slots[ST] = value_text("z", 1);
    slots[SB] = value_bool(0);
    expr *e = compile_ok("if(b, t, 'z')");
    cr_assert_eq(expr_type(e), VT_TEXT);
    cr_assert_eq(expr_type(compile_ok("if(b, c, true)")), VT_BOOL);
    expect_bool("if(b, t, 'z') == 'z'", 1);
}

Test(expr, function_arity_and_names)
{
    compile_fail("min(1)");
    expect_error(0, 0, 6, "min");
    compile_fail("abs(1, 2)");
    expect_error(0, 7, 1, "too many arguments");
    compile_fail("if(b, 1)");
    expect_error(0, 0, 8, "if");
    compile_fail("known()");
    compile_fail("sqrt(4)");
    expect_error(0, 0, 4, "unknown function 'sqrt'");
    compile_fail("min(1, 2");
    compile_fail("min(1 2)");
}

/* ---------- types ---------- */

Test(expr, static_types)
{
    cr_assert_eq(expr_type(compile_ok("x + 1")), VT_NUM);
    cr_assert_eq(expr_type(compile_ok("x > 1")), VT_BOOL);
    cr_assert_eq(expr_type(compile_ok("t")), VT_TEXT);
    cr_assert_eq(expr_type(compile_ok("b")), VT_BOOL);
    cr_assert_eq(expr_type(compile_ok("known(t)")), VT_BOOL);
    cr_assert_eq(expr_type(compile_ok("abs(x)")), VT_NUM);
    /* a requirement must be boolean: that is the rule loader's check, not
     * the compiler's, so a number compiles */
    cr_assert_eq(expr_type(compile_ok("x * 2")), VT_NUM);
    cr_assert_str_eq(vtype_name(VT_NUM), "number");
    cr_assert_str_eq(vtype_name(VT_BOOL), "boolean");
    cr_assert_str_eq(vtype_name(VT_TEXT), "text");
}

Test(expr, type_errors)
{
    compile_fail("x + b");
    expect_error(0, 4, 1, "'+' needs a number, found a boolean");
    compile_fail("not x");
    expect_error(0, 4, 1, "'not' needs a boolean, found a number");
    compile_fail("t == 1");
    expect_error(0, 0, 6, "cannot compare a text with a number");
    compile_fail("b == 1");
    compile_fail("t < 'a'");
    compile_fail("b > c");
    compile_fail("x and b");
    compile_fail("b or 1");
    compile_fail("-b");
    compile_fail("b * 2");
    compile_fail("if(x, 1, 2)");
    compile_fail("if(b, 1, t)");
    compile_fail("min(b, 1)");
    compile_fail("abs(t)");
    compile_fail("t + t");
}

Test(expr, several_type_errors_in_one_expression)
{
    /*                0123456789012345678 */
    int n = compile_fail("(x and b) or (b + 1)");
    cr_assert_geq(n, 2, "both type errors should be reported, got %d", n);
}

/* The span of an operand in a type error ends where its last token ends,
 * so the caret does not cover the blanks after it. */
Test(expr, type_error_spans_exclude_trailing_blanks)
{
    compile_fail("b + 1 > 0");
    expect_error(0, 0, 1, "'+' needs a number");
    compile_fail("b   * 2");
    expect_error(0, 0, 1, "'*' needs a number");
    compile_fail("x > 1 and t + 1 > 0 and c");
    expect_error(0, 10, 1, "'+' needs a number");
    compile_fail("t == 1 and c");
    expect_error(0, 0, 6, "cannot compare");
    compile_fail("x and c");
    expect_error(0, 0, 1, "'and' needs a boolean");
    compile_fail("min(b , 1)");
    expect_error(0, 4, 1, "min needs a number");
}

/* ---------- names and syntax ---------- */

Test(expr, every_unknown_name_is_reported)
{
    /*                    0         1         2
     *                    0123456789012345678901234 */
    int n = compile_fail("foo > 1 and bar < qux + x");
    cr_assert_eq(n, 3, "one error per unknown name, got %d", n);
    expect_error(0, 0, 3, "unknown name 'foo'");
    expect_error(1, 12, 3, "unknown name 'bar'");
    expect_error(2, 18, 3, "unknown name 'qux'");
}

Test(expr, unknown_names_do_not_cause_follow_on_type_errors)
{
    int n = compile_fail("nope + 1 > 2 and not other");
    cr_assert_eq(n, 2, "only the two unknown names should be reported, got %d (first: %s)", n, errs[0].msg);
    expect_error(0, 0, 4, "'nope'");
    expect_error(1, 21, 5, "'other'");
}

Test(expr, syntax_errors_with_offsets)
{
    cr_assert_eq(compile_fail("x >"), 1);
    expect_error(0, 3, 1, "at the end of the expression");
    cr_assert_eq(compile_fail("x > 1)"), 1);
    expect_error(0, 5, 1, "found ')'");
    cr_assert_eq(compile_fail("(x > 1"), 1);
    expect_error(0, 6, 1, "')'");
    cr_assert_eq(compile_fail("x 1"), 1);
    expect_error(0, 2, 1, "found '1'");
    cr_assert_eq(compile_fail("x > and y"), 1);
    expect_error(0, 4, 3, "found 'and'");
    cr_assert_eq(compile_fail("x = 1"), 1);
    expect_error(0, 2, 1, "==");
    cr_assert_eq(compile_fail("x > 1e5"), 1);
    expect_error(0, 4, 3, "malformed number");
    cr_assert_eq(compile_fail("x > 收入"), 1);
    expect_error(0, 4, 3, "ASCII");
    cr_assert_eq(compile_fail(""), 1);
    expect_error(0, 0, 1, "empty");
    cr_assert_eq(compile_fail("   "), 1);
    expect_error(0, 0, 1, "empty");
}

Test(expr, comparisons_do_not_chain)
{
    /*                    0123456789 */
    cr_assert_eq(compile_fail("1 < x < 3"), 1);
    expect_error(0, 6, 1, "do not chain");
    compile_fail("x == y == b");
    cr_assert_not_null(strstr(errs[0].msg, "chain"), "%s", errs[0].msg);
    /* parenthesised, a comparison of a comparison is a type question */
    expect_bool("(1 < 2) == true", 1);
}

/* ---------- bounds ---------- */

static char *repeat(const char *pre, int n, const char *mid, const char *post, int m)
{
    size_t len = strlen(pre) * (size_t)n + strlen(mid) + strlen(post) * (size_t)m + 1;
    char *s = arena_alloc(A, len);
    cr_assert_not_null(s);
    char *p = s;
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", pre);
    p += sprintf(p, "%s", mid);
    for (int i = 0; i < m; i++)
        p += sprintf(p, "%s", post);
    return s;
}

Test(expr, nesting_depth_is_bounded)
{
    /* the top level counts as one: EXPR_MAX_DEPTH - 1 parentheses fit */
    expect_num(repeat("(", EXPR_MAX_DEPTH - 1, "7", ")", EXPR_MAX_DEPTH - 1), 7);
    cr_assert_eq(compile_fail(repeat("(", EXPR_MAX_DEPTH, "7", ")", EXPR_MAX_DEPTH)), 1);
    cr_assert_not_null(strstr(errs[0].msg, "nested too deeply"), "%s", errs[0].msg);
}

Test(expr, deep_nesting_is_an_error_not_a_crash)
{
    /* each fits within EXPR_MAX_LENGTH, so only the depth bound can stop it */
    cr_assert_eq(compile_fail(repeat("(", 2000, "x", ")", 2000)), 1);
    cr_assert_not_null(strstr(errs[0].msg, "nested too deeply"), "%s", errs[0].msg);
    cr_assert_eq(compile_fail(repeat("not ", 1000, "b", "", 0)), 1);
    cr_assert_not_null(strstr(errs[0].msg, "nested too deeply"), "%s", errs[0].msg);
    cr_assert_eq(compile_fail(repeat("-", 4000, "x", "", 0)), 1);
    cr_assert_not_null(strstr(errs[0].msg, "nested too deeply"), "%s", errs[0].msg);
    cr_assert_eq(compile_fail(repeat("min(", 500, "x", ")", 500)), 1);
    /* a long flat chain is not deep */
    expect_num(repeat("1 + ", 1000, "1", "", 0), 1001);
}

Test(expr, length_is_bounded)
{
    char *ok = repeat(" ", EXPR_MAX_LENGTH - 1, "x", "", 0);
    cr_assert_eq(strlen(ok), (size_t)EXPR_MAX_LENGTH);
    compile_ok(ok);
    char *bad = repeat(" ", EXPR_MAX_LENGTH, "x", "", 0);
    cr_assert_eq(compile_fail(bad), 1);
    cr_assert_not_null(strstr(errs[0].msg, "too long"), "%s", errs[0].msg);
}

/* ---------- refs and memory ---------- */

Test(expr, refs_are_distinct_in_order_of_first_use)
{
    const int *refs;
    size_t n = expr_refs(compile_ok("y + x > x * y and b or known(y)"), &refs);
    cr_assert_eq(n, 3);
    cr_assert_eq(refs[0], SY);
    cr_assert_eq(refs[1], SX);
    cr_assert_eq(refs[2], SB);
    n = expr_refs(compile_ok("1 > 2"), &refs);
    cr_assert_eq(n, 0);
    n = expr_refs(compile_ok("t == 'x' and t != 'y'"), &refs);
    cr_assert_eq(n, 1);
    cr_assert_eq(refs[0], ST);
}

Test(expr, out_of_memory_is_an_error)
{
    const char *src = "x + y > 1 and t == 'abc' or min(x, y) < 2";
    int succeeded = 0;
    for (long k = 1; k < 200 && !succeeded; k++) {
        arena *a = arena_new();
        cr_assert_not_null(a);
        nerrs = 0;
        mem_fail_after(k);
        expr *e = expr_compile(a, src, strlen(src), resolver, on_error, NULL);
        long failed = mem_failures();
        mem_fail_after(0);
        if (failed == 0) {
            cr_assert_not_null(e, "compiles when no allocation fails");
            succeeded = 1;
        } else {
            cr_assert_null(e, "allocation %ld failed, yet compile returned an expression", k);
            cr_assert_gt(nerrs, 0, "allocation %ld failed silently", k);
        }
        arena_free(&a);
    }
    cr_assert(succeeded, "the compile never got through all its allocations");
}
