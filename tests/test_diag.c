/*
 * test_diag.c - the diagnostics sink (src/diag.h): diag_format's exact
 * layout (location prefix, source line and caret line, each indented four
 * spaces), carets under CJK text two columns a character, the storage limit
 * with its suppressed count, errors counted even when not stored, copies of
 * every string, sorting by file and position, and out of memory.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "diag.h"
#include "strbuf.h"

static diag_list *D;
static strbuf out = STRBUF_INIT;

static void setup(void)
{
    D = diag_new();
    cr_assert_not_null(D);
}

static void teardown(void)
{
    diag_free(&D);
    strbuf_free(&out);
}

TestSuite(diag, .init = setup, .fini = teardown);

/* Formats stored entry i. */
static const char *fmt(size_t i)
{
    const diag_entry *e = diag_get(D, i);
    cr_assert_not_null(e, "no entry %zu", i);
    strbuf_reset(&out);
    diag_format(e, &out);
    cr_assert_not(out.oom);
    return strbuf_str(&out);
}

Test(diag, format_location_forms)
{
    diag_add(D, DIAG_ERROR, "f.csv", 3, 5, "bad %s %d", "cell", 7);
    diag_add(D, DIAG_WARNING, "f.csv", 7, 0, "no column");
    diag_add(D, DIAG_NOTE, "f.csv", 0, 0, "read as GB18030");
    diag_add(D, DIAG_ERROR, NULL, 0, 0, "no file");
    cr_assert_str_eq(fmt(0), "f.csv:3:5: error: bad cell 7\n");
    cr_assert_str_eq(fmt(1), "f.csv:7: warning: no column\n");
    cr_assert_str_eq(fmt(2), "f.csv: note: read as GB18030\n");
    cr_assert_str_eq(fmt(3), "error: no file\n");
}

Test(diag, format_with_excerpt_and_caret)
{
    const char *line = "    require: scor >= 60";
    diag_add_excerpt(D, DIAG_ERROR, "rules/x.yaml", 10, 14, line, strlen(line), 13, 4, "unknown name '%s'", "scor");
    cr_assert_str_eq(fmt(0), "rules/x.yaml:10:14: error: unknown name 'scor'\n"
                             "        require: scor >= 60\n"
                             "                 ^^^^\n");
    const diag_entry *e = diag_get(D, 0);
    cr_assert_str_eq(e->excerpt, line);
    cr_assert_eq(e->caret_col, 13);
    cr_assert_eq(e->caret_len, 4);
}

Test(diag, caret_at_start_and_default_length)
{
    diag_add_excerpt(D, DIAG_ERROR, "a", 1, 1, "x y", 3, 0, 0, "m");
    cr_assert_str_eq(fmt(0), "a:1:1: error: m\n    x y\n    ^\n");
    cr_assert_eq(diag_get(D, 0)->caret_len, 1, "a zero-length caret is one column");
}

Test(diag, caret_under_cjk_text)
{
    /* 收入 is two characters, four columns, six bytes */
    const char *line = "收入 >= 达标";
    size_t col = strlen("收入 >= ");
    diag_add_excerpt(D, DIAG_ERROR, "r.yaml", 2, 11, line, strlen(line), col, strlen("达标"), "m");
    cr_assert_str_eq(fmt(0), "r.yaml:2:11: error: m\n"
                             "    收入 >= 达标\n"
                             "            ^^^^\n");
    /* a caret under the first CJK character itself */
    diag_add_excerpt(D, DIAG_ERROR, "r.yaml", 2, 1, line, strlen(line), 0, 3, "m");
    cr_assert_str_eq(fmt(1), "r.yaml:2:1: error: m\n"
                             "    收入 >= 达标\n"
                             "    ^^\n");
    /* two-byte (non-CJK) characters are one column */
    const char *greek = "αβ x";
    diag_add_excerpt(D, DIAG_ERROR, "g", 1, 1, greek, strlen(greek), strlen("αβ "), 1, "m");
    cr_assert_str_eq(fmt(2), "g:1:1: error: m\n    αβ x\n       ^\n");
}

Test(diag, excerpt_keeps_one_line_and_tabs_become_spaces)
{
    const char *text = "\tab cd\nsecond line";
    diag_add_excerpt(D, DIAG_ERROR, "t", 1, 2, text, strlen(text), 1, 2, "m");
    const diag_entry *e = diag_get(D, 0);
    cr_assert_str_eq(e->excerpt, "\tab cd", "only the first line is kept");
    cr_assert_str_eq(fmt(0), "t:1:2: error: m\n     ab cd\n     ^^\n");
    const char *crlf = "abc\r\n";
    diag_add_excerpt(D, DIAG_ERROR, "t", 1, 1, crlf, strlen(crlf), 0, 1, "m");
    cr_assert_str_eq(diag_get(D, 1)->excerpt, "abc");
}

Test(diag, caret_past_the_end_is_clamped)
{
    diag_add_excerpt(D, DIAG_ERROR, "a", 1, 1, "abc", 3, 10, 5, "m");
    cr_assert_eq(diag_get(D, 0)->caret_col, 3);
    cr_assert_str_eq(fmt(0), "a:1:1: error: m\n    abc\n       ^\n");
    diag_add_excerpt(D, DIAG_ERROR, "a", 1, 1, "abc", 3, 1, 50, "m");
    cr_assert_str_eq(fmt(1), "a:1:1: error: m\n    abc\n     ^^\n", "a long caret stops at the line end");
}

Test(diag, excerpt_is_a_span)
{
    /* the excerpt need not be NUL-terminated */
    diag_add_excerpt(D, DIAG_ERROR, "a", 1, 1, "abcdef", 3, 0, 1, "m");
    cr_assert_str_eq(diag_get(D, 0)->excerpt, "abc");
}

Test(diag, the_sink_owns_copies)
{
    char file[16] = "a.csv", text[16] = "x + y";
    diag_add_excerpt(D, DIAG_ERROR, file, 1, 1, text, strlen(text), 0, 1, "%s", "hello");
    strcpy(file, "zzzzz");
    strcpy(text, "zzzzz");
    const diag_entry *e = diag_get(D, 0);
    cr_assert_str_eq(e->file, "a.csv");
    cr_assert_str_eq(e->excerpt, "x + y");
    cr_assert_str_eq(e->message, "hello");
}

Test(diag, counts_and_severity_names)
{
    diag_add(D, DIAG_NOTE, NULL, 0, 0, "n");
    diag_add(D, DIAG_WARNING, NULL, 0, 0, "w");
    cr_assert_eq(diag_errors(D), 0, "notes and warnings are not errors");
    diag_add(D, DIAG_ERROR, NULL, 0, 0, "e");
    cr_assert_eq(diag_errors(D), 1);
    cr_assert_eq(diag_count(D), 3);
    cr_assert_null(diag_get(D, 3));
    cr_assert_str_eq(diag_severity_name(DIAG_NOTE), "note");
    cr_assert_str_eq(diag_severity_name(DIAG_WARNING), "warning");
    cr_assert_str_eq(diag_severity_name(DIAG_ERROR), "error");
}

Test(diag, long_messages)
{
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    diag_add(D, DIAG_ERROR, "f", 1, 1, "[%s]", big);
    cr_assert_eq(strlen(diag_get(D, 0)->message), sizeof big + 1);
}

Test(diag, limit_stores_some_and_counts_all)
{
    diag_set_limit(D, 2);
    for (int i = 0; i < 5; i++)
        diag_add(D, DIAG_ERROR, "f", i + 1, 1, "error %d", i);
    cr_assert_eq(diag_errors(D), 5, "every error is counted");
    cr_assert_eq(diag_count(D), 2, "two are stored");
    cr_assert_eq(diag_suppressed(D), 3);
    cr_assert_str_eq(diag_get(D, 0)->message, "error 0", "the first ones are kept");
    cr_assert_str_eq(diag_get(D, 1)->message, "error 1");
    /* each severity has its own allowance */
    for (int i = 0; i < 3; i++)
        diag_add(D, DIAG_WARNING, "f", 1, 1, "warning %d", i);
    cr_assert_eq(diag_count(D), 4);
    cr_assert_eq(diag_suppressed(D), 4);
    cr_assert_eq(diag_errors(D), 5);
}

Test(diag, no_limit_by_default)
{
    for (int i = 0; i < 5000; i++)
        diag_add(D, DIAG_ERROR, "f", i + 1, 1, "e");
    cr_assert_eq(diag_count(D), 5000);
    cr_assert_eq(diag_suppressed(D), 0);
}

Test(diag, sort_by_file_then_position)
{
    diag_add(D, DIAG_ERROR, "b.yaml", 9, 1, "b9");
    diag_add(D, DIAG_ERROR, "a.yaml", 1, 1, "a1");
    diag_add(D, DIAG_ERROR, "b.yaml", 2, 7, "b2.7");
    diag_add(D, DIAG_ERROR, NULL, 0, 0, "nofile");
    diag_add(D, DIAG_ERROR, "b.yaml", 2, 3, "b2.3");
    diag_add(D, DIAG_WARNING, "b.yaml", 2, 3, "b2.3w");
    diag_sort(D);
    static const char *const want[] = {"nofile", "b2.3", "b2.3w", "b2.7", "b9", "a1"};
    cr_assert_eq(diag_count(D), 6);
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(diag_get(D, i)->message, want[i], "entry %zu", i);
}

Test(diag, out_of_memory_flag)
{
    cr_assert_not(diag_out_of_memory(D));
    diag_oom(D);
    cr_assert(diag_out_of_memory(D));
    cr_assert_eq(diag_errors(D), 1, "running out of memory is an error");
    diag_oom(NULL); /* never fails itself */
    diag_add(NULL, DIAG_ERROR, "f", 1, 1, "ignored");
}

/* A data file can bring hundreds of thousands of messages (--max-errors 0):
 * sorting them stays fast, groups them by file in order of appearance and
 * orders each file's by line, stable for equal lines. */
Test(diag, sort_many_entries_by_file_and_line, .timeout = 20)
{
    diag_list *d = diag_new();
    const char *files[3] = {"household.csv", "village.csv", "county.csv"};
    long n = 300000;
    for (long i = 0; i < n; i++)
        diag_add(d, DIAG_ERROR, files[i % 3], (n - i) / 2, 0, "m%ld", i);
    diag_add(d, DIAG_WARNING, NULL, 0, 0, "global");
    diag_sort(d);
    cr_assert_eq(diag_count(d), (size_t)n + 1);
    cr_assert_null(diag_get(d, 0)->file, "entries without a file come first");
    int rank = 0;
    long prev_line = -1;
    for (size_t i = 1; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        if (strcmp(e->file, files[rank]) != 0) {
            rank++;
            cr_assert_lt(rank, 3);
            cr_assert_str_eq(e->file, files[rank], "files in order of first appearance");
            prev_line = -1;
        }
        cr_assert_geq(e->line, prev_line, "%s: line %ld after %ld", e->file, e->line, prev_line);
        prev_line = e->line;
    }
    diag_free(&d);
}

/* diag_append carries entries over in order, under the target's limit. */
Test(diag, append_keeps_order_and_limit)
{
    diag_list *a = diag_new(), *b = diag_new();
    diag_set_limit(a, 3);
    diag_add(a, DIAG_ERROR, "f", 1, 0, "first");
    for (int i = 0; i < 5; i++)
        diag_add(b, DIAG_ERROR, "f", 10 + i, 0, "later %d", i);
    diag_append(a, b);
    cr_assert_eq(diag_count(a), 3);
    cr_assert_str_eq(diag_get(a, 1)->message, "later 0");
    cr_assert_str_eq(diag_get(a, 2)->message, "later 1");
    cr_assert_eq(diag_errors(a), 6);
    cr_assert_eq(diag_suppressed(a), 3);
    diag_free(&a);
    diag_free(&b);
}
