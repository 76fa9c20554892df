/*
 * test_table.c - CSV tables (src/table.h) read through a small pack's level:
 * header matching (id, Chinese, alias, BOM, spaces), missing and duplicate
 * columns, physical lines (CRLF, CR, quoted newlines), rejected rows and
 * their accounting, cell errors at file:line:column, empty files, GB18030.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "digest.h"
#include "rules.h"
#include "strbuf.h"
#include "table.h"

/* indicator indices of the test level */
enum { I_ID, I_LABEL, I_YEAR, I_CLAIM, I_INCOME, I_RATE, I_MEMBERS, I_SAFE, I_SPARE, NIND };

static const char PACK[] =
    "pack: {id: tbl, version: \"1\", title: Table test}\n"
    "include: [hh.yaml]\n"
    "levels:\n"
    "  - {id: hh, key: hh_id, name: label, year: year, claim: claimed_exit, file: hh.csv}\n";

static const char LEVEL[] =
    "level: hh\n"
    "indicators:\n"
    "  - {id: hh_id, type: text, zh: 户编号}\n"
    "  - {id: label, type: text, zh: 名称}\n"
    "  - {id: year, type: integer, zh: 年度}\n"
    "  - {id: claimed_exit, type: bool, zh: 申请退出}\n"
    "  - {id: income, type: number, min: 0, zh: 人均收入, aliases: [收入]}\n"
    "  - {id: rate, type: number, unit: percent, zh: 比例}\n"
    "  - {id: members, type: integer, zh: 家庭人口}\n"
    "  - {id: safe, type: bool, zh: 住房安全}\n"
    "  - {id: spare, type: number}\n"
    "targets:\n"
    "  - {id: T01, title: All, require: \"income > 0 and rate >= 0 and members >= 0 and safe\"}\n";

static const char HEADER[] = "hh_id,label,income,rate,members,safe\n";

enum { MAXROWS = 64 };

typedef struct row_copy {
    long line;
    int errors;
    value v[NIND];
    char text[NIND][128];
} row_copy;

static char dir[64];
static diag_list *D;
static ruleset *RS;
static const rule_level *LV;
static row_copy rows[MAXROWS];
static long nrows;
static const char *reject_id; /* the callback refuses rows with this id */

static void put(const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static const char *csv_path(void)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    return path;
}

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

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/exitcheck-table-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    put("pack.yaml", PACK, strlen(PACK));
    put("hh.yaml", LEVEL, strlen(LEVEL));
    D = diag_new();
    RS = rules_load(dir, D);
    cr_assert_not_null(RS, "the test pack should load:\n%s", all_diags());
    LV = rules_level(RS, 0);
    cr_assert_eq(LV->nind, NIND);
    cr_assert_str_eq(LV->ind[I_SAFE].id, "safe");
    nrows = 0;
    reject_id = NULL;
}

static void teardown(void)
{
    rules_free(&RS);
    diag_free(&D);
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

TestSuite(table, .init = setup, .fini = teardown);

static int collect(void *ctx, const table_row *row)
{
    (void)ctx;
    if (nrows < MAXROWS) {
        row_copy *r = &rows[nrows];
        r->line = row->line;
        r->errors = row->errors;
        size_t n = LV->nind < NIND ? LV->nind : NIND; /* a reloaded level may have fewer */
        for (size_t i = 0; i < n; i++) {
            r->v[i] = row->vals[i];
            if (r->v[i].kind == V_TEXT) {
                cr_assert_lt(r->v[i].len, sizeof r->text[i]);
                memcpy(r->text[i], r->v[i].u.s, r->v[i].len);
                r->text[i][r->v[i].len] = '\0';
                r->v[i].u.s = r->text[i];
            }
        }
    }
    nrows++;
    const value *id = &row->vals[I_ID];
    return reject_id && id->len == strlen(reject_id) && !memcmp(id->u.s, reject_id, id->len);
}

static table *open_bytes(const void *data, size_t len, table_encoding enc, int partial)
{
    put("t.csv", data, len);
    table_opts o = {.encoding = enc, .partial = partial};
    return table_open(csv_path(), LV, &o, D);
}

static table *open_opts(const char *text, table_encoding enc, int partial)
{
    return open_bytes(text, strlen(text), enc, partial);
}

static table *open_csv(const char *text) { return open_opts(text, ENC_AUTO, 0); }

/* Reads every row into rows[]; checks the accounting rule and that nothing stopped. */
static const table_stats *read_all(table *t)
{
    cr_assert_not_null(t, "table_open failed:\n%s", all_diags());
    nrows = 0;
    cr_assert_eq(table_read(t, collect, NULL), 0, "table_read stopped:\n%s", all_diags());
    const table_stats *st = table_get_stats(t);
    cr_assert_eq(st->rows_read, nrows + st->rows_rejected - st->rejected[REJECT_DUPLICATE],
                 "rows read %ld, delivered %ld, rejected %ld", st->rows_read, nrows, st->rows_rejected);
    long sum = 0;
    for (int r = 0; r < REJECT__COUNT; r++)
        sum += st->rejected[r];
    cr_assert_eq(sum, st->rows_rejected, "every rejected row has a reason");
    return st;
}

static void expect_text(const row_copy *r, int i, const char *want)
{
    cr_assert_eq(r->v[i].kind, V_TEXT, "%s on line %ld: kind %d, expected text", LV->ind[i].id, r->line, r->v[i].kind);
    cr_assert_str_eq(r->text[i], want, "%s on line %ld", LV->ind[i].id, r->line);
}

static void expect_num(const row_copy *r, int i, double want)
{
    cr_assert_eq(r->v[i].kind, V_NUM, "%s on line %ld: kind %d (why %d), expected a number", LV->ind[i].id, r->line,
                 r->v[i].kind, r->v[i].why);
    cr_assert(r->v[i].u.num == want, "%s on line %ld: %.17g, expected %.17g", LV->ind[i].id, r->line, r->v[i].u.num,
              want);
}

static void expect_bool(const row_copy *r, int i, int want)
{
    cr_assert_eq(r->v[i].kind, V_BOOL, "%s on line %ld: kind %d, expected a boolean", LV->ind[i].id, r->line,
                 r->v[i].kind);
    cr_assert_eq(r->v[i].u.b, want, "%s on line %ld", LV->ind[i].id, r->line);
}

static void expect_unknown(const row_copy *r, int i, vwhy why)
{
    cr_assert_eq(r->v[i].kind, V_UNKNOWN, "%s on line %ld: kind %d, expected unknown", LV->ind[i].id, r->line,
                 r->v[i].kind);
    cr_assert_eq(r->v[i].why, why, "%s on line %ld: %s, expected %s", LV->ind[i].id, r->line,
                 value_why_text(r->v[i].why), value_why_text(why));
}

static void expect_standard_row(const row_copy *r, long line)
{
    cr_assert_eq(r->line, line);
    cr_assert_eq(r->errors, 0);
    expect_text(r, I_ID, "H1");
    expect_num(r, I_INCOME, 100.5);
    expect_num(r, I_RATE, 96);
    expect_num(r, I_MEMBERS, 3);
    expect_bool(r, I_SAFE, 1);
}

static const diag_entry *only_error(void)
{
    cr_assert_eq(diag_errors(D), 1, "expected exactly one error:\n%s", all_diags());
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == DIAG_ERROR)
            return diag_get(D, i);
    cr_assert_fail("the error was not stored");
    return NULL;
}

static void expect_diag(const diag_entry *e, long line, long column, const char *fragment)
{
    cr_assert_str_eq(e->file, csv_path());
    cr_assert_eq(e->line, line, "'%s' at line %ld, expected %ld", e->message, e->line, line);
    cr_assert_eq(e->column, column, "'%s' at column %ld, expected %ld", e->message, e->column, column);
    cr_assert_not_null(strstr(e->message, fragment), "'%s' should contain '%s'", e->message, fragment);
}

/* ---------- headers ---------- */

Test(table, header_by_id)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,Alpha,100.5,96%,3,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "Alpha");
    cr_assert_eq(st->rows_read, 1);
    cr_assert_eq(st->rows_rejected, 0);
    cr_assert_eq(st->cell_errors, 0);
    cr_assert_str_eq(st->encoding, "utf-8");
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    cr_assert(table_has_column(t, I_INCOME));
    cr_assert_not(table_has_column(t, I_YEAR));
    cr_assert_not(table_has_column(t, I_SPARE));
    cr_assert_str_eq(table_path(t), csv_path());
    table_close(&t);
    cr_assert_null(t);
}

Test(table, header_by_chinese_name_and_alias)
{
    table *t = open_csv("户编号,名称,人均收入,比例,家庭人口,住房安全\nH1,甲村,100.5,96％,3,是\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "甲村");
    table_close(&t);

    t = open_csv("HH_ID,收入,Rate,members,SAFE\nH1,100.5,96,3,有\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    table_close(&t);
}

Test(table, header_with_bom)
{
    table *t = open_csv("\xEF\xBB\xBFhh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2); /* the BOM does not count */
    cr_assert_str_eq(st->encoding, "utf-8 (BOM)");
    table_close(&t);
}

Test(table, header_spaces_and_column_order)
{
    table *t = open_csv(" safe ,\xE3\x80\x80income\xE3\x80\x80,\trate , members,label,extra, hh_id\n"
                        "yes,100.5,96,3,x,ignored,H1\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    cr_assert_eq(diag_count(D), 0, "an unknown column is ignored:\n%s", all_diags());
    table_close(&t);
}

Test(table, duplicate_header_is_an_error)
{
    table *t = open_csv("hh_id,income,人均收入,rate,members,safe\nH1,1,1,1,1,yes\n");
    cr_assert_null(t);
    expect_diag(only_error(), 1, 3, "duplicate column");
}

Test(table, missing_columns_are_all_named)
{
    table *t = open_csv("hh_id,label,rate\nH1,a,1\n");
    cr_assert_null(t);
    const diag_entry *e = only_error();
    expect_diag(e, 1, 0, "3 columns the rules need are missing");
    cr_assert_not_null(strstr(e->message, "income (人均收入), members (家庭人口), safe (住房安全)"), "%s", e->message);
    cr_assert_not_null(strstr(e->message, "--partial"), "the message mentions --partial: %s", e->message);
}

Test(table, partial_turns_missing_columns_into_a_warning)
{
    table *t = open_opts("hh_id,label,rate\nH1,a,96\n", ENC_AUTO, 1);
    cr_assert_not_null(t, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_eq(diag_count(D), 1);
    cr_assert_eq(diag_get(D, 0)->severity, DIAG_WARNING);
    cr_assert_not_null(strstr(diag_get(D, 0)->message, "income"), "%s", diag_get(D, 0)->message);
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_num(&rows[0], I_RATE, 96);
    expect_unknown(&rows[0], I_INCOME, WHY_NO_COLUMN);
    expect_unknown(&rows[0], I_SAFE, WHY_NO_COLUMN);
    table_close(&t);
}

Test(table, partial_does_not_excuse_a_missing_key)
{
    table *t = open_opts("label,income,rate,members,safe\na,1,1,1,yes\n", ENC_AUTO, 1);
    cr_assert_null(t);
    cr_assert_not_null(strstr(only_error()->message, "hh_id"), "%s", only_error()->message);
}

/* ---------- records and lines ---------- */

Test(table, crlf_line_ends)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\r\nH1,a,100.5,96,3,yes\r\nH2,b,1,2,3,no\r\n");
    read_all(t);
    cr_assert_eq(nrows, 2);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "a");
    cr_assert_eq(rows[1].line, 3);
    expect_bool(&rows[1], I_SAFE, 0);
    table_close(&t);
}

Test(table, quoted_newlines_advance_the_line)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,\"two\nlines\",100.5,96,3,yes\n"
                        "H2,plain,1,2,3,no\n"
                        "\"H3\",\"a\n\nb\",1,2,3,yes\n"
                        "H4,x,1,2,3,no\n");
    read_all(t);
    cr_assert_eq(nrows, 4);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "two\nlines");
    cr_assert_eq(rows[1].line, 4);
    cr_assert_eq(rows[2].line, 5);
    expect_text(&rows[2], I_ID, "H3");
    expect_text(&rows[2], I_LABEL, "a\n\nb");
    cr_assert_eq(rows[3].line, 8);
    table_close(&t);
}

Test(table, quoted_crlf_newline_advances_the_line)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\r\n"
                        "H1,\"two\r\nlines\",100.5,96,3,yes\r\n"
                        "H2,plain,1,2,3,no\r\n");
    read_all(t);
    cr_assert_eq(nrows, 2);
    cr_assert_eq(rows[0].line, 2);
    cr_assert_eq(rows[1].line, 4);
    table_close(&t);
}

Test(table, doubled_quotes)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,\"say \"\"hi\"\", then, go\",100.5,\"96\",3,yes\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "say \"hi\", then, go");
    table_close(&t);
}

Test(table, last_line_without_newline)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\nH2,b,1,2,3,no");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    cr_assert_eq(rows[1].line, 3);
    expect_text(&rows[1], I_ID, "H2");
    expect_bool(&rows[1], I_SAFE, 0);
    cr_assert_eq(st->rows_read, 2);
    table_close(&t);
}

Test(table, blank_lines_are_not_records)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n\nH1,a,100.5,96,3,yes\n,,,,,\n\nH2,b,1,2,3,no\n\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    cr_assert_eq(rows[0].line, 3);
    cr_assert_eq(rows[1].line, 6);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->rows_rejected, 0);
    table_close(&t);
}

Test(table, ragged_rows_are_rejected)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,a,100.5,96,3,yes\n"
                        "H2,a,1,2,3\n"
                        "H3,a,1,2,3,no\n"
                        "H4,a,1,2,3,no,extra\n"
                        "H5,a,1,2,3,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 3);
    cr_assert_eq(st->rows_read, 5);
    cr_assert_eq(st->rows_rejected, 2);
    cr_assert_eq(st->rejected[REJECT_RAGGED], 2);
    cr_assert_eq(diag_errors(D), 2, "%s", all_diags());
    expect_diag(diag_get(D, 0), 3, 0, "5 fields, the header has 6");
    expect_diag(diag_get(D, 1), 5, 0, "7 fields, the header has 6");
    expect_text(&rows[2], I_ID, "H5");
    table_close(&t);
}

Test(table, empty_key_is_rejected)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n,a,100.5,96,3,yes\n  ,b,1,1,1,no\nH3,c,1,1,1,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    cr_assert_eq(st->rows_read, 3);
    cr_assert_eq(st->rejected[REJECT_NO_KEY], 2);
    expect_diag(diag_get(D, 0), 2, 0, "hh_id");
    table_close(&t);
}

Test(table, callback_can_reject_a_duplicate)
{
    reject_id = "H2";
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,1,1,1,no\nH2,b,1,1,1,no\nH3,c,1,1,1,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 3, "the callback saw every row");
    cr_assert_eq(st->rows_read, 3);
    cr_assert_eq(st->rows_rejected, 1);
    cr_assert_eq(st->rejected[REJECT_DUPLICATE], 1);
    table_close(&t);
}

Test(table, cr_only_line_ends)
{
    /* old spreadsheet exports end lines with CR alone */
    table *t = open_csv("hh_id,label,income,rate,members,safe\rH1,a,100.5,96,3,yes\rH2,b,x,2,3,no\r");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    expect_standard_row(&rows[0], 2);
    cr_assert_eq(rows[1].line, 3);
    cr_assert_eq(st->rows_read, 2);
    expect_diag(only_error(), 3, 3, "income");
    table_close(&t);
}

/* ---------- cells ---------- */

Test(table, bad_number_cell)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH0,a,1,1,1,no\nH1,a,abc,96,3,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2, "a row with a bad cell is still delivered");
    expect_unknown(&rows[1], I_INCOME, WHY_INVALID);
    expect_num(&rows[1], I_RATE, 96);
    cr_assert_eq(rows[1].errors, 1);
    cr_assert_eq(st->cell_errors, 1);
    cr_assert_eq(st->rows_rejected, 0);
    expect_diag(only_error(), 3, 3, "income: expected a number, found 'abc'");
    table_close(&t);
}

Test(table, cell_errors_name_the_problem)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,a,\"1,234\",96,3,yes\n"   /* line 2, column 3 */
                        "H2,a,100,96,3.5,yes\n"       /* line 3, column 5 */
                        "H3,a,100,96,3,maybe\n"       /* line 4, column 6 */
                        "H4,a,-5,96,3,yes\n"          /* line 5, column 3 */
                        "H5,a,96%,1e2,3,yes\n");      /* line 6, columns 3 and 4 */
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 5);
    cr_assert_eq(st->cell_errors, 6);
    cr_assert_eq(diag_errors(D), 6, "%s", all_diags());
    expect_diag(diag_get(D, 0), 2, 3, "thousands separators");
    expect_diag(diag_get(D, 1), 3, 5, "members: expected a whole number, found '3.5'");
    expect_diag(diag_get(D, 2), 4, 6, "safe: expected yes or no");
    expect_diag(diag_get(D, 3), 5, 3, "at least 0");
    expect_diag(diag_get(D, 4), 6, 3, "percent");
    expect_diag(diag_get(D, 5), 6, 4, "exponents");
    expect_unknown(&rows[1], I_MEMBERS, WHY_INVALID);
    expect_unknown(&rows[2], I_SAFE, WHY_INVALID);
    expect_unknown(&rows[3], I_INCOME, WHY_INVALID);
    cr_assert_eq(rows[4].errors, 2);
    table_close(&t);
}

Test(table, missing_cells)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,,\"\",NA,-,n/a\n"
                        "H2,  ,N/A, ,\xE3\x80\x80,\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    cr_assert_eq(st->cell_errors, 0, "missing is not an error:\n%s", all_diags());
    for (int r = 0; r < 2; r++) {
        expect_text(&rows[r], I_ID, r ? "H2" : "H1");
        expect_unknown(&rows[r], I_LABEL, WHY_MISSING);
        expect_unknown(&rows[r], I_INCOME, WHY_MISSING);
        expect_unknown(&rows[r], I_RATE, WHY_MISSING);
        expect_unknown(&rows[r], I_MEMBERS, WHY_MISSING);
        expect_unknown(&rows[r], I_SAFE, WHY_MISSING);
    }
    table_close(&t);
}

Test(table, cells_are_trimmed)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n  H1 ,\xE3\x80\x80x\xE3\x80\x80, 100.5 ,\t96 %,3 , yes\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "x");
    table_close(&t);
}

Test(table, integer_column_accepts_whole_numbers)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,1,1,3.0,yes\nH2,a,1,1,-0,yes\n");
    read_all(t);
    cr_assert_eq(nrows, 2);
    expect_num(&rows[0], I_MEMBERS, 3);
    expect_num(&rows[1], I_MEMBERS, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    table_close(&t);
}

/* A whole number beyond the range of long long (1e20) is still a whole
 * number: the check is made in floating point. */
Test(table, integer_column_beyond_long_long)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,1,1,100000000000000000000,yes\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    expect_num(&rows[0], I_MEMBERS, 1e20);
    table_close(&t);
}

/* ---------- whole files ---------- */

Test(table, empty_file_is_an_error)
{
    table *t = open_csv("");
    cr_assert_null(t);
    const diag_entry *e = only_error();
    cr_assert_str_eq(e->file, csv_path());
    cr_assert_not_null(strstr(e->message, "empty"), "%s", e->message);
}

Test(table, header_only_file_has_no_rows)
{
    table *t = open_csv(HEADER);
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 0);
    cr_assert_eq(st->rows_read, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    table_close(&t);

    t = open_bytes(HEADER, strlen(HEADER) - 1, ENC_AUTO, 0); /* without its newline */
    st = read_all(t);
    cr_assert_eq(st->rows_read, 0);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    table_close(&t);
}

Test(table, missing_file)
{
    table_opts o = {.encoding = ENC_AUTO};
    cr_assert_null(table_open("/nonexistent/exitcheck/t.csv", LV, &o, D));
    cr_assert_not_null(strstr(only_error()->message, "cannot open"), "%s", only_error()->message);
}

Test(table, unterminated_quote_at_eof)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\nH2,\"b,1,2,3,yes\nH3,c,1,2,3,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->rejected[REJECT_UNTERMINATED], 1);
    expect_diag(only_error(), 3, 0, "quoted field");
    table_close(&t);
}

Test(table, nul_byte_rejects_the_row)
{
    static const char csv[] = "hh_id,label,income,rate,members,safe\nH1,a\0b,100.5,96,3,yes\nH2,b,1,2,3,no\n";
    table *t = open_bytes(csv, sizeof csv - 1, ENC_AUTO, 0);
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_text(&rows[0], I_ID, "H2");
    cr_assert_eq(rows[0].line, 3);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->rejected[REJECT_NUL], 1);
    expect_diag(only_error(), 2, 0, "NUL");
    table_close(&t);
}

Test(table, overlong_field_stops_the_read)
{
    enum { BIG = TABLE_MAX_FIELD + 4096 };
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, HEADER);
    strbuf_puts(&sb, "H1,a,1,1,1,yes\nH2,");
    for (int i = 0; i < BIG; i++)
        strbuf_putc(&sb, 'a');
    strbuf_puts(&sb, ",1,1,1,yes\nH3,c,1,1,1,no\n");
    cr_assert_not(sb.oom);
    table *t = open_bytes(sb.s, sb.len, ENC_AUTO, 0);
    strbuf_free(&sb);
    cr_assert_not_null(t, "%s", all_diags());
    nrows = 0;
    cr_assert_eq(table_read(t, collect, NULL), -1, "an overlong field stops the read");
    cr_assert_eq(nrows, 1, "the row before it was delivered");
    const diag_entry *e = only_error();
    cr_assert_eq(e->line, 3, "the line of the record holding the field:\n%s", all_diags());
    cr_assert_not_null(strstr(e->message, "field too long"), "%s", e->message);
    table_close(&t);
}

Test(table, too_many_columns)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "hh_id,label,income,rate,members,safe");
    for (int i = 0; i < TABLE_MAX_COLUMNS; i++)
        strbuf_printf(&sb, ",c%d", i);
    strbuf_puts(&sb, "\nH1,a,1,1,1,yes\n");
    table *t = open_bytes(sb.s, sb.len, ENC_AUTO, 0);
    strbuf_free(&sb);
    cr_assert_null(t);
    const diag_entry *e = only_error();
    cr_assert_eq(e->line, 1);
    cr_assert_not_null(strstr(e->message, "too many columns"), "%s", e->message);
}

/* ---------- encodings ---------- */

static char *to_gb18030(const char *utf8, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    cr_assert_neq(cd, (iconv_t)-1, "iconv cannot convert to GB18030");
    size_t inlen = strlen(utf8), cap = inlen * 2 + 16;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    char *ip = (char *)utf8, *op = out;
    size_t il = inlen, ol = cap;
    cr_assert_neq(iconv(cd, &ip, &il, &op, &ol), (size_t)-1, "iconv failed: %s", strerror(errno));
    iconv_close(cd);
    *outlen = (size_t)(op - out);
    return out;
}

static const char ZH_CSV[] = "户编号,名称,人均收入,比例,家庭人口,住房安全\n"
                             "H1,甲村,100.5,96％,3,是\n"
                             "H2,乙村,2952,80,4,否\n";

static void expect_zh_rows(void)
{
    cr_assert_eq(nrows, 2);
    expect_standard_row(&rows[0], 2);
    expect_text(&rows[0], I_LABEL, "甲村");
    expect_text(&rows[1], I_LABEL, "乙村");
    expect_num(&rows[1], I_INCOME, 2952);
    expect_num(&rows[1], I_RATE, 80);
    expect_bool(&rows[1], I_SAFE, 0);
}

Test(table, gb18030_is_detected)
{
    table *t = open_csv(ZH_CSV);
    read_all(t);
    expect_zh_rows();
    table_close(&t);

    size_t n;
    char *gb = to_gb18030(ZH_CSV, &n);
    t = open_bytes(gb, n, ENC_AUTO, 0);
    const table_stats *st = read_all(t);
    expect_zh_rows();
    cr_assert_str_eq(st->encoding, "gb18030");
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_eq(diag_count(D), 1, "a notice says the file is read as GB18030:\n%s", all_diags());
    cr_assert_eq(diag_get(D, 0)->severity, DIAG_NOTE);
    table_close(&t);

    t = open_bytes(gb, n, ENC_GB18030, 0);
    st = read_all(t);
    expect_zh_rows();
    cr_assert_str_eq(st->encoding, "gb18030");
    table_close(&t);
    free(gb);
}

Test(table, gb18030_read_as_forced_utf8_is_an_error)
{
    size_t n;
    char *gb = to_gb18030(ZH_CSV, &n);
    table *t = open_bytes(gb, n, ENC_UTF8, 0);
    free(gb);
    cr_assert_null(t);
    const diag_entry *e = only_error();
    cr_assert_eq(e->line, 1);
    cr_assert_not_null(strstr(e->message, "invalid UTF-8"), "%s", e->message);
    cr_assert_not_null(strstr(e->message, "--encoding gb18030"), "a hint: %s", e->message);
}

Test(table, bom_contradicts_forced_gb18030)
{
    table *t = open_bytes("\xEF\xBB\xBFhh_id,label,income,rate,members,safe\n", strlen(HEADER) + 3, ENC_GB18030, 0);
    cr_assert_null(t);
    cr_assert_not_null(strstr(only_error()->message, "byte order mark"), "%s", only_error()->message);
}

Test(table, utf16_is_an_error)
{
    static const char csv[] = "\xFF\xFEh\0h\0_\0i\0d\0\n\0";
    table *t = open_bytes(csv, sizeof csv - 1, ENC_AUTO, 0);
    cr_assert_null(t);
    cr_assert_not_null(strstr(only_error()->message, "UTF-16"), "%s", only_error()->message);
}

Test(table, neither_utf8_nor_gb18030)
{
    static const char csv[] = "hh_id,label,income,rate,members,safe\nH1,\xFF\xFF,1,1,1,yes\n";
    table *t = open_bytes(csv, sizeof csv - 1, ENC_AUTO, 0);
    cr_assert_null(t);
    const diag_entry *e = only_error();
    cr_assert_eq(e->line, 2, "the line of the first bad byte");
    cr_assert_not_null(strstr(e->message, "neither UTF-8 nor GB18030"), "%s", e->message);
}

Test(table, invalid_utf8_after_the_first_block)
{
    /* ASCII for more than one read block, then a GB18030 byte pair: the
     * file was taken for UTF-8, so reading stops at the bad line with an
     * error, after delivering every row before it */
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, HEADER);
    long n = 0;
    while (sb.len < (1 << 20) + 5000)
        strbuf_printf(&sb, "H%ld,plain,1,1,1,yes\n", n++);
    strbuf_puts(&sb, "BAD,\xB2\xE2,1,1,1,yes\nLAST,x,1,1,1,no\n");
    cr_assert_not(sb.oom);
    table *t = open_bytes(sb.s, sb.len, ENC_AUTO, 0);
    strbuf_free(&sb);
    cr_assert_not_null(t, "%s", all_diags());
    nrows = 0;
    cr_assert_eq(table_read(t, collect, NULL), -1, "reading stops");
    cr_assert_eq(nrows, n, "every row before the bad one is delivered");
    const diag_entry *e = only_error();
    cr_assert_eq(e->line, n + 2, "the bad row is on line %ld, error at %ld", n + 2, e->line);
    cr_assert_not_null(strstr(e->message, "invalid UTF-8"), "%s", e->message);
    cr_assert_not_null(strstr(e->message, "--encoding gb18030"), "%s", e->message);
    table_close(&t);
}

/* ---------- digests and size ---------- */

Test(table, digest_of_abc)
{
    char hex[65];
    digest_bytes_hex("abc", 3, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(table, sha256_of_raw_bytes)
{
    /* sha256sum of exactly these bytes */
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,Alpha,100.5,96%,3,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_str_eq(st->sha256, "c0627aab9abcfd57c3408d9754867ecd2c8898893771d860f68edb09da6ce44d");
    table_close(&t);

    /* the BOM is part of the raw bytes */
    static const char bom[] = "\xEF\xBB\xBFhh_id,label,income,rate,members,safe\n";
    char want[65];
    digest_bytes_hex(bom, sizeof bom - 1, want);
    t = open_bytes(bom, sizeof bom - 1, ENC_AUTO, 0);
    st = read_all(t);
    cr_assert_str_eq(st->sha256, want);
    table_close(&t);
}

/* More than one 1 MiB read block, with multi-byte text everywhere, so
 * blocks end inside characters and records; every row is checked. */
enum { BIG_N = 60000 };

typedef struct big_ctx {
    long n;
    long wrong;
    char first_wrong[160];
} big_ctx;

static int check_big(void *ctx, const table_row *row)
{
    big_ctx *c = ctx;
    long i = c->n++;
    char id[32], label[64];
    snprintf(id, sizeof id, "X%06ld", i);
    snprintf(label, sizeof label, "第%ld村", i);
    const value *v = row->vals;
    int ok = row->line == i + 2 && row->errors == 0 && v[I_ID].kind == V_TEXT && v[I_ID].len == strlen(id) &&
             !memcmp(v[I_ID].u.s, id, v[I_ID].len) && v[I_LABEL].kind == V_TEXT &&
             v[I_LABEL].len == strlen(label) && !memcmp(v[I_LABEL].u.s, label, v[I_LABEL].len) &&
             v[I_INCOME].kind == V_NUM && v[I_INCOME].u.num == (double)i + 0.5 && v[I_SAFE].kind == V_BOOL &&
             v[I_SAFE].u.b == (int)(i % 2);
    if (!ok && !c->wrong++)
        snprintf(c->first_wrong, sizeof c->first_wrong, "row %ld (line %ld)", i, row->line);
    return 0;
}

static void big_file(int gb)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "户编号,名称,人均收入,比例,家庭人口,住房安全\n");
    for (long i = 0; i < BIG_N; i++)
        strbuf_printf(&sb, "X%06ld,第%ld村,%ld.5,96,3,%s\n", i, i, i, i % 2 ? "是" : "否");
    cr_assert_not(sb.oom);
    size_t n = sb.len;
    char *bytes = gb ? to_gb18030(sb.s, &n) : sb.s;
    cr_assert_gt(n, (size_t)(1 << 20) + 100000, "the file should span two read blocks");
    char want[65];
    digest_bytes_hex(bytes, n, want);

    big_ctx c = {0, 0, ""};
    table *t = open_bytes(bytes, n, ENC_AUTO, 0);
    cr_assert_not_null(t, "%s", all_diags());
    cr_assert_eq(table_read(t, check_big, &c), 0, "%s", all_diags());
    const table_stats *st = table_get_stats(t);
    cr_assert_eq(c.n, BIG_N);
    cr_assert_eq(c.wrong, 0, "%ld rows read wrongly, the first: %s", c.wrong, c.first_wrong);
    cr_assert_eq(st->rows_read, BIG_N);
    cr_assert_eq(st->rows_rejected, 0);
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_str_eq(st->encoding, gb ? "gb18030" : "utf-8");
    cr_assert_str_eq(st->sha256, want);
    table_close(&t);
    if (gb)
        free(bytes);
    strbuf_free(&sb);
}

Test(table, large_utf8_file)
{
    big_file(0);
}

Test(table, large_gb18030_file)
{
    big_file(1);
}

/* Folds a row into a running FNV-1a digest: line, errors and every value. */
static unsigned long long fold(unsigned long long h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static int fold_row(void *ctx, const table_row *row)
{
    unsigned long long *h = ctx;
    *h = fold(*h, &row->line, sizeof row->line);
    *h = fold(*h, &row->errors, sizeof row->errors);
    for (size_t i = 0; i < NIND; i++) {
        const value *v = &row->vals[i];
        *h = fold(*h, &v->kind, sizeof v->kind);
        if (v->kind == V_NUM)
            *h = fold(*h, &v->u.num, sizeof v->u.num);
        else if (v->kind == V_BOOL)
            *h = fold(*h, &v->u.b, sizeof v->u.b);
        else if (v->kind == V_TEXT)
            *h = fold(*h, v->u.s, v->len);
    }
    return 0;
}

/* Reads the file with the given threads; returns the digest of the rows and
 * of the diagnostics, and the statistics. */
static unsigned long long read_digest(int threads, table_stats *st)
{
    diag_free(&D);
    D = diag_new();
    table_opts o = {.encoding = ENC_AUTO, .threads = threads};
    table *t = table_open(csv_path(), LV, &o, D);
    cr_assert_not_null(t, "%s", all_diags());
    unsigned long long h = 14695981039346656037ULL;
    table_read(t, fold_row, &h);
    *st = *table_get_stats(t);
    table_close(&t);
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        h = fold(h, &e->line, sizeof e->line);
        h = fold(h, &e->column, sizeof e->column);
        h = fold(h, e->message, strlen(e->message));
    }
    return h;
}

/* Many batches' worth of rows with blank lines, ragged rows, bad cells,
 * quoted line ends and a last line cut inside a UTF-8 character: the
 * parser on its own thread delivers exactly what one thread delivers. */
Test(table, one_thread_and_two_agree)
{
    strbuf csv = STRBUF_INIT;
    strbuf_puts(&csv, "hh_id,label,income,rate,members,safe\n");
    for (int i = 0; i < 60000; i++) {
        switch (i % 97) {
        case 5: strbuf_puts(&csv, "\n"); break;
        case 11: strbuf_puts(&csv, ",,,,,\n"); break;
        case 23: strbuf_printf(&csv, "H%d,ragged,1\n", i); break;
        case 37: strbuf_printf(&csv, "H%d,bad,12x,96,3,maybe\n", i); break;
        case 51: strbuf_printf(&csv, "H%d,\"two\nlines\",10.5,96%%,2,no\n", i); break;
        default: strbuf_printf(&csv, "H%d,\xe6\x9d\x91%d,%d.%d,%d,%d,%s\n", i, i, i % 9000, i % 10, i % 101, i % 7,
                               i % 2 ? "yes" : "\xe5\x90\xa6");
        }
    }
    strbuf_puts(&csv, "H-last,\xe6\x9d");
    put("t.csv", csv.s, csv.len);
    strbuf_free(&csv);
    table_stats one, two;
    unsigned long long h1 = read_digest(1, &one), h2 = read_digest(2, &two);
    cr_assert_eq(one.rows_read, 60000 - 2 * 619, "%ld rows: %s", one.rows_read, all_diags());
    const diag_entry *last = diag_get(D, diag_count(D) - 1);
    cr_assert_not_null(strstr(last->message, "UTF-8 character"), "the cut last line is reported last: %s", last->message);
    cr_assert_gt(one.cell_errors, 600);
    cr_assert_gt(diag_errors(D), 600, "bad cells and ragged rows are reported");
    cr_assert_eq(one.rows_read, two.rows_read);
    cr_assert_eq(one.rows_rejected, two.rows_rejected);
    cr_assert_eq(one.cell_errors, two.cell_errors);
    cr_assert_str_eq(one.sha256, two.sha256);
    cr_assert_eq(h1, h2, "rows and diagnostics differ between one and two threads");
}

/* ---------- files as offices send them (issue 17) ---------- */

static void reset_diags(void)
{
    diag_free(&D);
    D = diag_new();
}

static size_t count_severity(diag_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < diag_count(D); i++)
        n += diag_get(D, i)->severity == sev;
    return n;
}

static const diag_entry *find_diag(const char *fragment)
{
    for (size_t i = 0; i < diag_count(D); i++)
        if (strstr(diag_get(D, i)->message, fragment))
            return diag_get(D, i);
    cr_assert_fail("no diagnostic contains '%s':\n%s", fragment, all_diags());
    return NULL;
}

static table *open_header_row(const char *text, long header_row)
{
    put("t.csv", text, strlen(text));
    table_opts o = {.encoding = ENC_AUTO, .header_row = header_row};
    return table_open(csv_path(), LV, &o, D);
}

Test(table, no_title_row_no_note)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    read_all(t);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    table_close(&t);
}

Test(table, one_title_row_is_skipped)
{
    table *t = open_csv("渭源县2016年脱贫退出申报表,,,,,\nhh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 3);
    cr_assert_eq(st->rows_read, 1, "a title row is not a record of the table");
    cr_assert_eq(st->rows_rejected, 0);
    cr_assert_eq(count_severity(DIAG_ERROR) + count_severity(DIAG_WARNING), 0, "%s", all_diags());
    const diag_entry *e = find_diag("header found on line 2");
    cr_assert_eq(e->severity, DIAG_NOTE);
    expect_diag(e, 2, 0, "the row above it is taken as a title and skipped");
    table_close(&t);
}

Test(table, two_title_rows_are_skipped)
{
    table *t = open_csv("渭源县2016年脱贫退出申报表,,,,,\n"
                        "填报单位：渭源县扶贫办,,,,,填报日期：2016年12月\n"
                        "户编号,名称,人均收入,比例,家庭人口,住房安全\n"
                        "H1,a,100.5,96,3,是\n"
                        "H2,b,100.5,96,3,是\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    expect_standard_row(&rows[0], 4);
    cr_assert_eq(rows[1].line, 5);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(diag_count(D), 1, "%s", all_diags());
    expect_diag(diag_get(D, 0), 3, 0, "header found on line 3; the 2 rows above it are taken as a title and skipped");
    table_close(&t);
}

Test(table, title_rows_with_crlf_and_a_quoted_newline_keep_physical_lines)
{
    table *t = open_csv("\"渭源县\r\n2016年脱贫退出申报表\",,,,,\r\n"
                        "\r\n"
                        "hh_id,label,income,rate,members,safe\r\n"
                        "H1,\"two\r\nlines\",100.5,96,3,yes\r\n"
                        "H2,b,oops,96,3,yes\r\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    expect_standard_row(&rows[0], 5);
    cr_assert_eq(rows[1].line, 7);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->cell_errors, 1);
    expect_diag(find_diag("header found"), 4, 0, "header found on line 4; the row above it");
    expect_diag(only_error(), 7, 3, "income");
    table_close(&t);
}

Test(table, a_header_on_line_11_is_not_looked_for)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 10; i++)
        strbuf_printf(&sb, "title %d,,,,,\n", i + 1);
    strbuf_puts(&sb, "hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    table *t = open_csv(strbuf_str(&sb));
    cr_assert_null(t);
    expect_diag(only_error(), 1, 0, "5 columns the rules need are missing");
    find_diag("the header on line 1 has 6 columns: 'title 1', '', '', '', '', ''");
    table_close(&t);

    /* on line 10 it is found */
    reset_diags();
    strbuf_reset(&sb);
    for (int i = 0; i < 9; i++)
        strbuf_printf(&sb, "title %d,,,,,\n", i + 1);
    strbuf_puts(&sb, "hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    t = open_csv(strbuf_str(&sb));
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 11);
    expect_diag(find_diag("header found"), 10, 0, "the 9 rows above it");
    table_close(&t);
    strbuf_free(&sb);
}

Test(table, too_few_columns_to_be_a_header)
{
    /* the key and 1 of the 5 columns needed (3 needed): a title row, not a header */
    table *t = open_csv("hh_id,rate\nhh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    read_all(t);
    expect_diag(find_diag("header found"), 2, 0, "the row above it");
    table_close(&t);

    /* the key and 2 (half of 5, rounded up, is 3): line 1 is the header after all */
    reset_diags();
    t = open_csv("hh_id,label,rate\nH1,a,1\n");
    cr_assert_null(t);
    expect_diag(only_error(), 1, 0, "3 columns the rules need are missing");
}

Test(table, no_header_found_with_partial_delivers_every_row_once)
{
    /* a table whose header fits nowhere: line 1 is its header, and the
     * rows read while searching are replayed, then the rest */
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "hh_id,label,rate\r\n");
    for (int i = 0; i < 30; i++)
        strbuf_printf(&sb, "H%d,\"x\r\ny\",%d\r\n", i, i);
    table *t = open_opts(strbuf_str(&sb), ENC_AUTO, 1);
    cr_assert_not_null(t, "%s", all_diags());
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 30);
    cr_assert_eq(st->rows_read, 30);
    for (int i = 0; i < 30; i++) {
        char id[16];
        snprintf(id, sizeof id, "H%d", i);
        expect_text(&rows[i], I_ID, id);
        expect_num(&rows[i], I_RATE, i);
        cr_assert_eq(rows[i].line, 2 + 2 * i);
    }
    cr_assert_null(strstr(all_diags(), "header found"), "%s", all_diags());
    table_close(&t);
    strbuf_free(&sb);

    /* one line without a line end */
    reset_diags();
    t = open_opts("hh_id,label", ENC_AUTO, 1);
    st = read_all(t);
    cr_assert_eq(st->rows_read, 0);
    table_close(&t);
}

Test(table, title_rows_then_header_only)
{
    table *t = open_csv("a title\nhh_id,label,income,rate,members,safe");
    const table_stats *st = read_all(t);
    cr_assert_eq(st->rows_read, 0);
    expect_diag(find_diag("header found"), 2, 0, "the row above it");
    table_close(&t);
}

Test(table, header_row_forces_the_header)
{
    /* line 2 would not be taken (too few columns); --header-row 2 takes it */
    table *t = open_header_row("a title\nhh_id,label,income\nH1,a,100.5\n", 0);
    cr_assert_null(t);
    reset_diags();
    static const char text[] = "a title\nhh_id,label,income\nH1,a,100.5\n";
    put("t.csv", text, strlen(text));
    table_opts o = {.encoding = ENC_AUTO, .partial = 1, .header_row = 2};
    t = table_open(csv_path(), LV, &o, D);
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    cr_assert_eq(rows[0].line, 3);
    expect_num(&rows[0], I_INCOME, 100.5);
    cr_assert_eq(st->rows_read, 1);
    expect_diag(find_diag("header taken from line 2"), 2, 0, "(--header-row); the lines above it are skipped");
    table_close(&t);

    /* a header row that would have been found anyway, and line 1 */
    reset_diags();
    t = open_header_row("t\nt\nhh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n", 3);
    read_all(t);
    expect_standard_row(&rows[0], 4);
    table_close(&t);
    reset_diags();
    t = open_header_row(HEADER, 1);
    read_all(t);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    table_close(&t);
}

Test(table, header_row_skips_what_would_be_the_header)
{
    /* forced below a line that fits: that line is skipped, not data */
    table *t = open_header_row("hh_id,label,income,rate,members,safe\nH0,a,1,1,1,yes\n"
                               "hh_id,label,income,rate,members,safe\nH1,a,100.5,96,3,yes\n", 3);
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 4);
    cr_assert_eq(st->rows_read, 1);
    table_close(&t);
}

Test(table, header_row_beyond_the_file)
{
    table *t = open_header_row("a\nb\n", 5);
    cr_assert_null(t);
    expect_diag(only_error(), 0, 0, "--header-row 5 is beyond the end of the file (its last record starts on line 2)");
}

Test(table, unit_suffixes_spaces_and_line_breaks_in_headers)
{
    table *t = open_csv("户编号,名称,人均收入（元）,比例(%),\"家庭\n人口（人）\",住 房\xE3\x80\x80安全\n"
                        "H1,a,100.5,96,3,yes\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 3);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    cr_assert_eq(table_column(t, I_MEMBERS), 5);
    table_close(&t);

    t = open_csv("HH ID,label,Income (yuan),rate [%],members\xE3\x80\x80(people),safe\nH1,a,100.5,96,3,yes\n");
    cr_assert_null(t, "'HH ID' is not hh_id: only whitespace is dropped, not meaning");
    reset_diags();
    t = open_csv("hh_id,label,Income (yuan),rate【%】,members\xE3\x80\x80(people),safe\nH1,a,100.5,96,3,yes\n");
    read_all(t);
    expect_standard_row(&rows[0], 2);
    table_close(&t);
}

Test(table, suffixes_are_not_meaning)
{
    /* a bracket that is the whole name, or not at the end, is kept */
    table *t = open_csv("hh_id,label,(收入),rate,members,safe\nH1,a,100.5,96,3,yes\n");
    cr_assert_null(t);
    reset_diags();
    t = open_csv("hh_id,label,人均(元)收入,rate,members,safe\nH1,a,100.5,96,3,yes\n");
    cr_assert_null(t);
    reset_diags();
    /* an exact alias wins over a normalised match: 收入 and 人均收入（元） are one column */
    t = open_csv("hh_id,label,人均收入（元）,收入,rate,members,safe\nH1,a,1,1,96,3,yes\n");
    cr_assert_null(t);
    expect_diag(only_error(), 1, 4, "duplicate column '收入'");
}

Test(table, missing_columns_suggest_the_closest_header)
{
    table *t = open_csv("hh_id,label,人均收入额,rate,member,安全,extra\nH1,a,1,96,3,yes,x\n");
    cr_assert_null(t);
    const diag_entry *e = only_error();
    expect_diag(e, 1, 0, "3 columns the rules need are missing: income (人均收入), members (家庭人口), safe (住房安全)");
    expect_diag(find_diag("the header on line 1 has 7 columns"), 1, 0,
                "'hh_id', 'label', '人均收入额', 'rate', 'member', '安全', 'extra'");
    const diag_entry *s = find_diag("looks like 人均收入");
    cr_assert_eq(s->severity, DIAG_NOTE);
    expect_diag(s, 1, 3, "column 3 '人均收入额' looks like 人均收入 (income)");
    expect_diag(find_diag("looks like members"), 1, 5, "column 5 'member' looks like members");
    expect_diag(find_diag("looks like 住房安全"), 1, 6, "column 6 '安全' looks like 住房安全 (safe)");
    cr_assert_null(strstr(all_diags(), "'extra' looks like"), "%s", all_diags());
}

Test(table, suggestions_after_title_rows_are_at_the_header)
{
    table *t = open_csv("title,,,\nhh_id,label,income,rate,members,safety\n");
    cr_assert_null(t);
    expect_diag(only_error(), 2, 0, "1 column the rules need is missing: safe (住房安全)");
    expect_diag(find_diag("looks like"), 2, 6, "column 6 'safety' looks like safe");
    find_diag("header found on line 2");
}

Test(table, tab_separated_file)
{
    table *t = open_csv("渭源县2016年脱贫退出申报表\n"
                        "hh_id\tlabel\tincome\trate\tmembers\tsafe\n"
                        "H1\tx,y\t100.5\t96\t3\tyes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 3);
    expect_text(&rows[0], I_LABEL, "x,y");
    cr_assert_eq(st->rows_read, 1);
    expect_diag(find_diag("tab-separated"), 2, 0, "the header line has no comma but tabs: the file is read as tab-separated");
    table_close(&t);
}

Test(table, semicolon_separated_file)
{
    table *t = open_csv("hh_id;label;income;rate;members;safe\r\nH1;x;100.5;96;3;yes\r\nH2;y;1;2\r\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->rejected[REJECT_RAGGED], 1);
    expect_diag(find_diag("semicolon-separated"), 1, 0, "the header line has no comma but semicolons");
    table_close(&t);
}

Test(table, a_title_with_a_semicolon_above_a_comma_header)
{
    table *t = open_csv("填报单位; 渭源县\nhh_id,label,income,rate,members,safe\nH1,a;b,100.5,96,3,yes\n");
    read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 3);
    expect_text(&rows[0], I_LABEL, "a;b");
    cr_assert_null(strstr(all_diags(), "separated"), "%s", all_diags());
    table_close(&t);
}

/* ---------- what Excel leaves in a CSV file (issue 17) ---------- */

/* The diagnostics of one severity, in order. */
static size_t of_severity(diag_severity sev, const diag_entry **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == sev && k < max)
            out[k++] = diag_get(D, i);
    return k;
}

Test(table, apostrophe_numbers_are_read_with_one_note_per_column)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,a,'100.5,'96%,'3,yes\n"
                        "H2,b,'7,1,'2,no\n"
                        "H3,c,8,'50,2,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 3);
    expect_standard_row(&rows[0], 2);
    expect_num(&rows[1], I_INCOME, 7);
    expect_num(&rows[1], I_MEMBERS, 2);
    expect_num(&rows[2], I_RATE, 50);
    cr_assert_eq(st->cell_errors, 0);
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const diag_entry *notes[8];
    cr_assert_eq(of_severity(DIAG_NOTE, notes, 8), 3, "one note per column, at its first cell:\n%s", all_diags());
    expect_diag(notes[0], 2, 3, "income: '100.5 is read as 100.5: a leading apostrophe");
    expect_diag(notes[1], 2, 4, "rate: '96% is read as 96%");
    expect_diag(notes[2], 2, 5, "members: '3 is read as 3");
    table_close(&t);
}

Test(table, apostrophe_does_not_excuse_a_bad_number)
{
    /* only the apostrophe is forgiven: what follows it must be a number of the column */
    table *t = open_csv("hh_id,label,income,rate,members,safe\nH1,a,\"'1,200\",1,'2.5,yes\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_unknown(&rows[0], I_INCOME, WHY_INVALID);
    expect_unknown(&rows[0], I_MEMBERS, WHY_INVALID); /* '2.5 is read as 2.5, not a whole number */
    cr_assert_eq(st->cell_errors, 2, "%s", all_diags());
    table_close(&t);
}

Test(table, excel_error_values_are_missing_with_a_warning)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,a,#N/A,#DIV/0!,3,#VALUE!\n"
                        "#N/A,b,1,1,1,yes\n"
                        "H3,#REF!,#num!,1,＃ＮＵＬＬ！,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    expect_unknown(&rows[0], I_INCOME, WHY_MISSING);
    expect_unknown(&rows[0], I_RATE, WHY_MISSING);
    expect_num(&rows[0], I_MEMBERS, 3);
    expect_unknown(&rows[0], I_SAFE, WHY_MISSING);
    cr_assert_eq(rows[0].errors, 0, "missing, not invalid");
    expect_unknown(&rows[1], I_LABEL, WHY_MISSING);
    expect_unknown(&rows[1], I_INCOME, WHY_MISSING);
    expect_unknown(&rows[1], I_MEMBERS, WHY_MISSING);
    cr_assert_eq(st->cell_errors, 0);
    /* an id that is an error value is no id: the row is rejected */
    cr_assert_eq(st->rejected[REJECT_NO_KEY], 1);
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *w[16];
    cr_assert_eq(of_severity(DIAG_WARNING, w, 16), 7, "a warning per cell:\n%s", all_diags());
    expect_diag(w[0], 2, 3, "income: '#N/A' is an Excel error value");
    expect_diag(w[1], 2, 4, "rate: '#DIV/0!' is an Excel error value");
    expect_diag(w[2], 2, 6, "safe: '#VALUE!'");
    expect_diag(w[3], 3, 1, "hh_id: '#N/A'");
    expect_diag(w[4], 4, 2, "label: '#REF!'");
    expect_diag(w[5], 4, 3, "income: '#num!'");
    expect_diag(w[6], 4, 5, "members: '＃ＮＵＬＬ！'");
    table_close(&t);
}

Test(table, totals_rows_are_skipped_and_counted)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H1,a,100.5,96,3,yes\n"
                        "合计,,200.5,,6,\n"
                        "\"  小 计 \",x,1,1,1,no\n"
                        ",总计,1,1,1,no\n"
                        "合　计,,1\n" /* ragged, but a totals row first */
                        "H2,b,1,1,1,no\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 2);
    expect_text(&rows[0], I_ID, "H1");
    expect_text(&rows[1], I_ID, "H2");
    cr_assert_eq(rows[1].line, 7);
    cr_assert_eq(st->rows_read, 6);
    cr_assert_eq(st->rows_rejected, 4);
    cr_assert_eq(st->rejected[REJECT_TOTALS], 4);
    cr_assert_eq(st->cell_errors, 0);
    cr_assert_eq(diag_errors(D), 0, "a totals row is no error:\n%s", all_diags());
    cr_assert_eq(diag_count(D), 4, "%s", all_diags());
    expect_diag(diag_get(D, 0), 3, 1, "row skipped: '合计' marks a totals row");
    expect_diag(diag_get(D, 1), 4, 1, "'小 计'");
    expect_diag(diag_get(D, 2), 5, 2, "'总计'");
    expect_diag(diag_get(D, 3), 6, 1, "'合　计'");
    cr_assert_eq(diag_get(D, 0)->severity, DIAG_NOTE);
    cr_assert_str_eq(reject_names[REJECT_TOTALS], "totals row");
    table_close(&t);
}

Test(table, totals_label_in_a_first_column_no_indicator_takes)
{
    /* 序号 (row number) is no indicator; the totals row says 合计 there */
    table *t = open_csv("序号,hh_id,label,income,rate,members,safe\n"
                        "1,H1,a,100.5,96,3,yes\n"
                        "合计,,,100.5,,3,\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 1);
    expect_standard_row(&rows[0], 2);
    cr_assert_eq(st->rejected[REJECT_TOTALS], 1);
    cr_assert_eq(st->rejected[REJECT_NO_KEY], 0);
    cr_assert_eq(diag_count(D), 1, "%s", all_diags());
    expect_diag(diag_get(D, 0), 3, 1, "'合计' marks a totals row");
    table_close(&t);
}

Test(table, exponent_ids_warn_once_at_the_first)
{
    table *t = open_csv("hh_id,label,income,rate,members,safe\n"
                        "H0,a,1,1,1,yes\n"
                        "6.21123E+12,a,1,1,1,yes\n"
                        "6.21123E+12,b,1,1,1,yes\n"
                        "6.21124E+12,c,1,1,1,yes\n");
    const table_stats *st = read_all(t);
    /* still read as today: the ids are texts, the duplicates the caller's */
    cr_assert_eq(nrows, 4);
    expect_text(&rows[1], I_ID, "6.21123E+12");
    cr_assert_eq(st->rows_rejected, 0);
    cr_assert_eq(diag_count(D), 1, "%s", all_diags());
    const diag_entry *e = diag_get(D, 0);
    cr_assert_eq(e->severity, DIAG_WARNING);
    expect_diag(e, 3, 1, "hh_id '6.21123E+12' looks like a number Excel rewrote in scientific notation");
    cr_assert_not_null(strstr(e->message, "format the column as text in Excel before saving"), "%s", e->message);
    table_close(&t);
}

/* Loads the test pack again with its level replaced (the pack's year and
 * exit_year roles read). */
static void reload(const char *pack, const char *level)
{
    rules_free(&RS);
    put("pack.yaml", pack, strlen(pack));
    put("hh.yaml", level, strlen(level));
    RS = rules_load(dir, D);
    cr_assert_not_null(RS, "the pack should load:\n%s", all_diags());
    LV = rules_level(RS, 0);
}

Test(table, years_outside_1900_2200_are_errors_with_a_hint)
{
    reload("pack: {id: tbl, version: \"1\", title: Table test}\n"
           "include: [hh.yaml]\n"
           "levels:\n"
           "  - {id: hh, key: hh_id, year: year, exit_year: exit_year, file: hh.csv}\n",
           "level: hh\n"
           "indicators:\n"
           "  - {id: hh_id, type: text}\n"
           "  - {id: year, type: integer}\n"
           "  - {id: exit_year, type: integer}\n"
           "targets:\n"
           "  - {id: T01, title: All, require: \"year > 0\"}\n");
    table *t = open_csv("hh_id,year,exit_year\n"
                        "H1,44561,\n"   /* Excel's serial of 2021-12-31 */
                        "H2,2016,42370\n" /* and of 2016-01-01 */
                        "H3,1899,\n"
                        "H4,16,\n"
                        "H5,1900,2200\n"
                        "H6,2201,\n"
                        "H7,9999,\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 7);
    expect_unknown(&rows[0], 1, WHY_INVALID);
    expect_num(&rows[1], 1, 2016);
    expect_unknown(&rows[1], 2, WHY_INVALID);
    expect_num(&rows[4], 1, 1900);
    expect_num(&rows[4], 2, 2200);
    cr_assert_eq(st->cell_errors, 6, "%s", all_diags());
    expect_diag(diag_get(D, 0), 2, 2,
                "year: expected a year from 1900 to 2200, found '44561'; looks like an Excel date serial (44561 = "
                "2021-12-31): format the column as a number or type the year");
    expect_diag(diag_get(D, 1), 3, 3, "exit_year: expected a year from 1900 to 2200, found '42370'; looks like an "
                                      "Excel date serial (42370 = 2016-01-01)");
    expect_diag(diag_get(D, 2), 4, 2, "found '1899'");
    cr_assert_null(strstr(diag_get(D, 2)->message, "Excel"), "1899 is no serial: %s", diag_get(D, 2)->message);
    expect_diag(diag_get(D, 3), 5, 2, "found '16'; write the year in full (2016, not 16)");
    expect_diag(diag_get(D, 4), 7, 2, "found '2201'");
    expect_diag(diag_get(D, 5), 8, 2, "found '9999'");
    table_close(&t);
}

Test(table, bool_spellings_of_the_pack)
{
    reload(PACK, "level: hh\n"
                 "indicators:\n"
                 "  - {id: hh_id, type: text}\n"
                 "  - {id: label, type: text}\n"
                 "  - {id: year, type: integer}\n"
                 "  - {id: claimed_exit, type: bool}\n"
                 "  - {id: income, type: number}\n"
                 "  - {id: rate, type: number}\n"
                 "  - {id: members, type: integer}\n"
                 "  - {id: safe, type: bool, values: {yes: [已改, OK], no: [未改]}}\n"
                 "targets:\n"
                 "  - {id: T01, title: All, require: \"income > 0 and rate >= 0 and members >= 0 and safe\"}\n");
    cr_assert_eq(LV->ind[I_SAFE].nyes, 2);
    cr_assert_eq(LV->ind[I_SAFE].nno, 1);
    table *t = open_csv("hh_id,label,income,rate,members,safe,claimed_exit\n"
                        "H1,a,1,1,1,已改,√\n"
                        "H2,a,1,1,1,未改,×\n"
                        "H3,a,1,1,1,ok,✔\n"
                        "H4,a,1,1,1,✘,是\n"
                        "H5,a,1,1,1,改了,已改\n");
    const table_stats *st = read_all(t);
    cr_assert_eq(nrows, 5);
    expect_bool(&rows[0], I_SAFE, 1);
    expect_bool(&rows[0], I_CLAIM, 1);
    expect_bool(&rows[1], I_SAFE, 0);
    expect_bool(&rows[1], I_CLAIM, 0);
    expect_bool(&rows[2], I_SAFE, 1); /* OK in any case, as the Latin built-ins */
    expect_bool(&rows[3], I_SAFE, 0);
    expect_unknown(&rows[4], I_SAFE, WHY_INVALID);
    expect_unknown(&rows[4], I_CLAIM, WHY_INVALID); /* the pack's spellings are safe's alone */
    cr_assert_eq(st->cell_errors, 2, "%s", all_diags());
    /* in the order of the pack's indicators: claimed_exit, then safe */
    expect_diag(diag_get(D, 0), 6, 7, "claimed_exit: expected yes or no (also y/n, true/false, 1/0, 是/否, 有/无, √/×), found '已改'");
    expect_diag(diag_get(D, 1), 6, 6,
                "safe: expected yes or no (also y/n, true/false, 1/0, 是/否, 有/无, √/×; in this column also 已改/OK "
                "for yes, 未改 for no), found '改了'");
    table_close(&t);
}
