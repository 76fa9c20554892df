/*
 * test_waiver.c - documented exceptions (src/waiver.h, SPEC §8) on a small
 * three-level pack of their own (county > village > hh, the household
 * level's id differing from its English title so that both are tried).
 *
 * Pinned: waiver_parse_date accepts exactly the dates YYYY-MM-DD of the
 * Gregorian calendar (leap years by the 4/100/400 rule) and
 * waiver_date_text writes them back; a waiver file is read with English
 * or Chinese headers, in any column order, in UTF-8 or GB18030; a level
 * is named by its id or English title in any case, its Chinese title or
 * that title followed by 级; every kind of bad row is an error with its
 * exact message at the row's line and the offending cell's column, and
 * is counted as rejected and never applied; applying waives fail, warn
 * and unknown targets (keeping the target's own outcome), leaves a met
 * target alone, skips an expired waiver (expires before the as-of date:
 * --as-of, else 31 December of the unit's row's year) and one that
 * cannot be dated; waivers_for finds the waiver that waived a target;
 * waivers of one unit are chained in file order; waivers_finish warns,
 * at the right cell, of every waiver that changed nothing.
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
#include "rules.h"
#include "strbuf.h"
#include "table.h"
#include "unit.h"
#include "value.h"
#include "waiver.h"

/* ---------- the pack ---------- */

static const char PACK[] =
    "pack: {id: wv, version: \"1\", title: Waiver tests}\n"
    "include: [county.yaml, village.yaml, hh.yaml]\n"
    "levels:\n"
    "  - {id: county, title: {en: County, zh: 县}, key: county_id, year: year}\n"
    "  - {id: village, title: {en: Village, zh: 村}, parent: county, parent_key: county_id, key: village_id,\n"
    "     year: year}\n"
    "  - {id: hh, title: {en: Household, zh: 户}, parent: village, parent_key: village_id, key: household_id,\n"
    "     year: year}\n";

static const char COUNTY[] =
    "level: county\n"
    "indicators:\n"
    "  - {id: county_id, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: rate, type: number}\n"
    "targets:\n"
    "  - {id: C1, title: Rate, require: \"rate < 3\"}\n";

static const char VILLAGE[] =
    "level: village\n"
    "indicators:\n"
    "  - {id: village_id, type: text}\n"
    "  - {id: county_id, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: rate, type: number}\n"
    "targets:\n"
    "  - {id: V1, title: Rate, require: \"rate < 3\"}\n"
    "  - {id: V2, title: Road, require: \"rate < 50\", severity: warn}\n";

/* H3 is on line 11 */
static const char HOUSEHOLD[] =
    "level: hh\n"
    "indicators:\n"
    "  - {id: household_id, type: text}\n"
    "  - {id: village_id, type: text}\n"
    "  - {id: year, type: integer}\n"
    "  - {id: income, type: number}\n"
    "  - {id: safe, type: bool}\n"
    "targets:\n"
    "  - {id: H1, title: Income, require: \"income >= 3000\"}\n"
    "  - {id: H2, title: Housing, require: safe, severity: warn}\n"
    "  - {id: H3, title: Listed, require: \"income >= 0\", waivable: false}\n";

/* target indices */
enum { H1, H2, H3 };
enum { V1, V2 };

static diag_list *D;
static ruleset *RS;
static const rule_level *LC, *LV, *LH;
static waivers *W;
static char dir[64];
static char wpath[128];
static const table_opts OPTS = {ENC_AUTO, 0, 1, NULL, NULL, 0};

static const char HEAD[] = "level,unit_id,target,basis,reason,approved_by,approved_on,expires\n";

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

static void put(const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static void puts_file(const char *name, const char *text) { put(name, text, strlen(text)); }

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/exitcheck-waiver-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    puts_file("pack.yaml", PACK);
    puts_file("county.yaml", COUNTY);
    puts_file("village.yaml", VILLAGE);
    puts_file("hh.yaml", HOUSEHOLD);
    D = diag_new();
    cr_assert_not_null(D);
    RS = rules_load(dir, D);
    cr_assert_not_null(RS, "the test pack should load:\n%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_eq(rules_nlevels(RS), 3);
    LC = rules_level(RS, 0);
    LV = rules_level(RS, 1);
    LH = rules_level(RS, 2);
    cr_assert_str_eq(LH->id, "hh");
    cr_assert_eq(LH->ntargets, 3);
    cr_assert_eq(LV->ntargets, 2);
    diag_free(&D);
    D = diag_new();
    cr_assert_not_null(D);
    W = waivers_new(RS, D);
    cr_assert_not_null(W);
    snprintf(wpath, sizeof wpath, "%s/waivers.csv", dir);
}

static void teardown(void)
{
    waivers_free(&W);
    cr_assert_null(W, "waivers_free clears the pointer");
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

TestSuite(waiver, .init = setup, .fini = teardown);

/* ---------- helpers ---------- */

/* Reads text as the waiver file; expects waivers_read to return 0. */
static void read_text(const char *text)
{
    puts_file("waivers.csv", text);
    cr_assert_eq(waivers_read(W, wpath, &OPTS), 0, "waivers_read failed:\n%s", all_diags());
}

/* A stored diagnostic of severity sev whose message is exactly msg, in
 * the waiver file at line and col; fails when there is none. */
static void expect_diag(diag_severity sev, long line, long col, const char *msg)
{
    int same_text = 0;
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity != sev || strcmp(e->message, msg))
            continue;
        same_text = 1;
        if (e->file && !strcmp(e->file, wpath) && e->line == line && e->column == col)
            return;
    }
    cr_assert_fail("no %s '%s' at %ld:%ld%s among:\n%s", diag_severity_name(sev), msg, line, col,
                   same_text ? " (there is one elsewhere)" : "", all_diags());
}

static size_t count_sev(diag_severity sev) { return diag_stored(D, sev); }

typedef struct unit_box {
    unit_rec u;
    value slots[32];
    unsigned char ts[8];
} unit_box;

/* A unit of lv with id (NULL: only its key cell holds it), the row's year
 * (0: none) and target statuses st (lv->ntargets of them). */
static unit_rec *unit_of(unit_box *b, const rule_level *lv, const char *id, int year, const unit_status *st)
{
    memset(b, 0, sizeof *b);
    cr_assert(lv->nslots <= 32 && lv->ntargets <= 8);
    b->u.level = lv;
    b->u.id = id;
    b->u.parent_idx = -1;
    b->u.slots = b->slots;
    b->u.tstatus = b->ts;
    for (size_t i = 0; i < lv->nslots; i++)
        b->slots[i] = value_unknown(WHY_MISSING);
    if (year)
        b->slots[lv->year] = value_num(year);
    for (size_t t = 0; t < lv->ntargets; t++)
        b->ts[t] = (unsigned char)st[t];
    return &b->u;
}

static unit_rec *hh(unit_box *b, const char *id, int year, unit_status s1, unit_status s2, unit_status s3)
{
    unit_status st[3] = {s1, s2, s3};
    return unit_of(b, LH, id, year, st);
}

static const waiver *only_waiver(void)
{
    cr_assert_eq(waivers_count(W), 1, "%zu waivers:\n%s", waivers_count(W), all_diags());
    return waivers_get(W, 0);
}

/* ---------- dates ---------- */

static int date_of(const char *s)
{
    int d = -12345;
    int rc = waiver_parse_date(s, strlen(s), &d);
    if (rc) {
        cr_assert_eq(rc, -1, "'%s': %d", s, rc);
        cr_assert_eq(d, -12345, "'%s' was refused but the output changed to %d", s, d);
        return -1;
    }
    return d;
}

Test(waiver, parse_date_valid)
{
    cr_assert_eq(date_of("2016-01-01"), 20160101);
    cr_assert_eq(date_of("2017-12-31"), 20171231);
    cr_assert_eq(date_of("2016-04-30"), 20160430);
    cr_assert_eq(date_of("0001-01-01"), 10101);
    cr_assert_eq(date_of("9999-12-31"), 99991231);
    cr_assert_eq(date_of("2019-11-30"), 20191130);
}

Test(waiver, parse_date_leap_years)
{
    cr_assert_eq(date_of("2016-02-29"), 20160229, "2016 is a leap year");
    cr_assert_eq(date_of("2017-02-29"), -1, "2017 is not");
    cr_assert_eq(date_of("2017-02-28"), 20170228);
    cr_assert_eq(date_of("1900-02-29"), -1, "1900: divisible by 100, not by 400");
    cr_assert_eq(date_of("2000-02-29"), 20000229, "2000: divisible by 400");
    cr_assert_eq(date_of("2100-02-29"), -1);
    cr_assert_eq(date_of("2016-02-30"), -1);
}

Test(waiver, parse_date_bad_shapes)
{
    static const char *const bad[] = {
        "2016-1-01", "2016-01-1", "16-01-01", "2016/01/01", "2016.01.01", "20160101", "2016-01-01x",
        "2016-01-01 ", " 2016-01-01", "2016-13-01", "2016-00-10", "2016-01-00", "2016-01-32", "2016-04-31",
        "0000-01-01", "2016-0a-01", "+016-01-01", "2016--1-01", "", "2016-01-0\xef\xbc\x91",
        "2016-01/01", "2016/01-01", "2016-01101", "201601-01-", "２０１６-01-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(date_of(bad[i]), -1, "'%s' is not a date", bad[i]);
}

Test(waiver, parse_date_reads_only_n_bytes)
{
    int d = 0;
    /* the first 10 bytes are a date; n says where it ends */
    cr_assert_eq(waiver_parse_date("2016-02-29 and more", 10, &d), 0);
    cr_assert_eq(d, 20160229);
    cr_assert_eq(waiver_parse_date("2016-02-29", 9, &d), -1);
    cr_assert_eq(waiver_parse_date("2016-02-29", 0, &d), -1);
}

Test(waiver, date_text)
{
    char buf[11];
    waiver_date_text(20160229, buf);
    cr_assert_str_eq(buf, "2016-02-29");
    waiver_date_text(20171231, buf);
    cr_assert_str_eq(buf, "2017-12-31");
    waiver_date_text(10101, buf);
    cr_assert_str_eq(buf, "0001-01-01");
    waiver_date_text(99991231, buf);
    cr_assert_str_eq(buf, "9999-12-31");
    /* round trip */
    int d = 0;
    cr_assert_eq(waiver_parse_date(buf, strlen(buf), &d), 0);
    cr_assert_eq(d, 99991231);
}

/* ---------- reading ---------- */

Test(waiver, reads_a_valid_file)
{
    cr_assert_null(waivers_stats(W), "no statistics before reading");
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc 12/2017,flood,County office,2017-03-01,2018-03-01\n"
              "village,v1,V2,Doc 13/2017,,Town office,2017-04-02,\n");
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
    cr_assert_eq(waivers_count(W), 2);
    const waiver *a = waivers_get(W, 0), *b = waivers_get(W, 1);
    cr_assert_null(waivers_get(W, 2));
    cr_assert_eq(a->line, 2);
    cr_assert_eq(a->level, 2);
    cr_assert_eq(a->target, H1);
    cr_assert_str_eq(a->unit_id, "h1");
    cr_assert_str_eq(a->basis, "Doc 12/2017");
    cr_assert_str_eq(a->reason, "flood");
    cr_assert_str_eq(a->approved_by, "County office");
    cr_assert_eq(a->approved_on, 20170301);
    cr_assert_eq(a->expires, 20180301);
    cr_assert_eq(a->next, -1);
    cr_assert_eq(a->matched + a->applied + a->met + a->expired + a->undated, 0);
    cr_assert_eq(b->line, 3);
    cr_assert_eq(b->level, 1);
    cr_assert_eq(b->target, V2);
    cr_assert_str_eq(b->unit_id, "v1");
    cr_assert_str_eq(b->reason, "", "an empty reason is \"\"");
    cr_assert_eq(b->expires, 0, "no expiry");
    cr_assert_eq(b->approved_on, 20170402);
    const table_stats *st = waivers_stats(W);
    cr_assert_not_null(st);
    cr_assert_eq(st->rows_read, 2);
    cr_assert_eq(st->rows_rejected, 0);
    cr_assert_str_eq(st->encoding, "utf-8");
    cr_assert_eq(strlen(st->sha256), 64);
    cr_assert_str_eq(waivers_path(W), wpath);
    cr_assert_str_eq(waiver_use_name(a), "no_unit");
}

Test(waiver, target_ids_any_case_and_cells_trimmed)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "  hh , h1 , h2 , Doc 1 ,, Office , 2017-03-01 ,\n");
    const waiver *x = only_waiver();
    cr_assert_eq(x->target, H2);
    cr_assert_str_eq(x->unit_id, "h1");
    cr_assert_str_eq(x->basis, "Doc 1");
    cr_assert_eq(x->approved_on, 20170301);
}

Test(waiver, columns_in_another_order_and_extra_columns)
{
    /* the columns of messages are those of the file */
    read_text("note,expires,approved_on,approved_by,reason,basis,target,unit_id,level\n"
              "x,2018-01-01,2017-01-01,Office,,Doc,H1,h1,hh\n"
              "x,2016-01-01,2017-01-01,,,Doc,H9,h2,hh\n");
    cr_assert_eq(waivers_count(W), 1);
    const waiver *x = waivers_get(W, 0);
    cr_assert_eq(x->expires, 20180101);
    cr_assert_eq(x->approved_on, 20170101);
    cr_assert_str_eq(x->unit_id, "h1");
    expect_diag(DIAG_ERROR, 3, 7, "unknown target 'H9': the pack wv has no such target");
    expect_diag(DIAG_ERROR, 3, 4, "approved_by is empty: a waiver must say who approved it");
    expect_diag(DIAG_ERROR, 3, 2, "expires 2016-01-01 is before approved_on 2017-01-01");
    cr_assert_eq(diag_errors(D), 3, "%s", all_diags());
    cr_assert_eq(waivers_stats(W)->rows_rejected, 1);
}

Test(waiver, every_kind_of_bad_row)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              /* 2 */ ",a2,H1,Doc,,Office,2017-01-01,\n"
              /* 3 */ "town,a3,H1,Doc,,Office,2017-01-01,\n"
              /* 4 */ "hh,a4,,Doc,,Office,2017-01-01,\n"
              /* 5 */ "hh,a5,H9,Doc,,Office,2017-01-01,\n"
              /* 6 */ "hh,a6,V1,Doc,,Office,2017-01-01,\n"
              /* 7 */ "hh,a7,H3,Doc,,Office,2017-01-01,\n"
              /* 8 */ "hh,a8,H1,,,Office,2017-01-01,\n"
              /* 9 */ "hh,a9,H1,Doc,,,2017-01-01,\n"
              /* 10 */ "hh,a10,H1,Doc,,Office,,\n"
              /* 11 */ "hh,a11,H1,Doc,,Office,2017/01/01,\n"
              /* 12 */ "hh,a12,H1,Doc,,Office,2017-02-29,\n"
              /* 13 */ "hh,a13,H1,Doc,,Office,2017-01-01,2017-13-01\n"
              /* 14 */ "hh,a14,H1,Doc,,Office,2017-01-01,2016-12-31\n"
              /* 15 */ "hh,a15,H1,First,,Office,2017-01-01,\n"
              /* 16 */ "hh,a15,H1,Second,,Office,2017-01-02,\n"
              /* 17 */ "hh,a15,h1,Third,,Office,2017-01-03,\n"
              /* 18 */ "hh,a18,H1,Doc,,Office,2017-01-01,2017-01-01x\n");
    expect_diag(DIAG_ERROR, 2, 1, "the level is empty (expected county, village or hh)");
    expect_diag(DIAG_ERROR, 3, 1, "unknown level 'town' (expected county, village or hh)");
    expect_diag(DIAG_ERROR, 4, 3, "the target is empty: a waiver names the target it excuses (such as H02)");
    expect_diag(DIAG_ERROR, 5, 3, "unknown target 'H9': the pack wv has no such target");
    expect_diag(DIAG_ERROR, 6, 3, "target V1 is a village target, but the row's level is hh");
    /* the position of H3 in the pack */
    const rule_level *tl = NULL;
    const rule_target *h3 = rules_find_target(RS, "H3", &tl);
    cr_assert_not_null(h3);
    cr_assert_eq(h3->waivable, 0);
    cr_assert_eq(h3->pos.line, 11);
    cr_assert_neq(rules_find_target(RS, "H1", &tl)->waivable, 0, "targets are waivable by default");
    char msg[512];
    snprintf(msg, sizeof msg, "target H3 cannot be waived: the pack marks it waivable: false (%s:11)", h3->pos.file);
    cr_assert_not_null(strstr(h3->pos.file, "hh.yaml"), "%s", h3->pos.file);
    expect_diag(DIAG_ERROR, 7, 3, msg);
    expect_diag(DIAG_ERROR, 8, 4, "the basis is empty: a waiver must say on what document it rests");
    expect_diag(DIAG_ERROR, 9, 6, "approved_by is empty: a waiver must say who approved it");
    expect_diag(DIAG_ERROR, 10, 7, "approved_on is empty: a waiver must say when it was approved");
    expect_diag(DIAG_ERROR, 11, 7, "approved_on: expected a date YYYY-MM-DD, found '2017/01/01'");
    expect_diag(DIAG_ERROR, 12, 7, "approved_on: 2017-02-29 is not a date of the calendar");
    expect_diag(DIAG_ERROR, 13, 8, "expires: 2017-13-01 is not a date of the calendar");
    expect_diag(DIAG_ERROR, 14, 8, "expires 2016-12-31 is before approved_on 2017-01-01");
    expect_diag(DIAG_ERROR, 16, 3, "a second waiver of hh 'a15' for target H1 (the first at line 15)");
    expect_diag(DIAG_ERROR, 17, 3, "a second waiver of hh 'a15' for target H1 (the first at line 15)");
    expect_diag(DIAG_ERROR, 18, 8, "expires: expected a date YYYY-MM-DD or nothing, found '2017-01-01x'");
    cr_assert_eq(diag_errors(D), 16, "one error per bad row:\n%s", all_diags());
    cr_assert_eq(count_sev(DIAG_WARNING), 0, "%s", all_diags());

    /* only the first waiver of a15 is kept */
    const waiver *x = only_waiver();
    cr_assert_eq(x->line, 15);
    cr_assert_str_eq(x->basis, "First");
    const table_stats *st = waivers_stats(W);
    cr_assert_eq(st->rows_read, 17);
    cr_assert_eq(st->rows_rejected, 16);
    cr_assert_eq(st->rows_read, (long)waivers_count(W) + st->rows_rejected);

    /* and the rejected ones are never applied */
    waivers_set_as_of(W, 20171231);
    static const char *const ids[] = {"a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9",
                                      "a10", "a11", "a12", "a13", "a14", "a18"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        unit_box b;
        unit_rec *u = hh(&b, ids[i], 2017, ST_FAIL, ST_WARN, ST_UNKNOWN);
        cr_assert_eq(waivers_apply(W, u), 0, "%s", ids[i]);
        cr_assert_eq(u->tstatus[H1], ST_FAIL, "%s", ids[i]);
        cr_assert_eq(u->tstatus[H2], ST_WARN, "%s", ids[i]);
        cr_assert_eq(u->tstatus[H3], ST_UNKNOWN, "%s", ids[i]);
    }
    /* a6 named a village target at the hh level: no village v1 is waived either */
    unit_box vb;
    unit_status vs[2] = {ST_FAIL, ST_FAIL};
    unit_rec *v = unit_of(&vb, LV, "a6", 2017, vs);
    cr_assert_eq(waivers_apply(W, v), 0);
    cr_assert_eq(v->tstatus[V1], ST_FAIL);
    /* a15 is waived by its first waiver only */
    unit_box b15;
    unit_rec *u15 = hh(&b15, "a15", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u15), 1);
    cr_assert_eq(u15->tstatus[H1], ST_WAIVED);
    cr_assert_eq(waivers_for(W, u15, H1), x);
}

Test(waiver, several_errors_in_one_row_reject_it_once)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "shire,b1,,,,,bad,\n"
              "hh,b2,H1,Doc,,Office,2017-01-01,\n");
    expect_diag(DIAG_ERROR, 2, 1, "unknown level 'shire' (expected county, village or hh)");
    expect_diag(DIAG_ERROR, 2, 3, "the target is empty: a waiver names the target it excuses (such as H02)");
    expect_diag(DIAG_ERROR, 2, 4, "the basis is empty: a waiver must say on what document it rests");
    expect_diag(DIAG_ERROR, 2, 6, "approved_by is empty: a waiver must say who approved it");
    expect_diag(DIAG_ERROR, 2, 7, "approved_on: expected a date YYYY-MM-DD, found 'bad'");
    cr_assert_eq(diag_errors(D), 5, "%s", all_diags());
    cr_assert_eq(waivers_stats(W)->rows_read, 2);
    cr_assert_eq(waivers_stats(W)->rows_rejected, 1);
    cr_assert_str_eq(only_waiver()->unit_id, "b2");
}

Test(waiver, rows_the_table_rejects_are_counted)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,,H1,Doc,,Office,2017-01-01,\n"        /* no unit id */
              "hh,c3,H1,Doc,,Office,2017-01-01\n"       /* 7 fields */
              "hh,c4,H1,Doc,,Office,2017-01-01,\n"      /* good */
              "hh,c5,H1,,,Office,2017-01-01,\n");       /* no basis */
    cr_assert_eq(waivers_count(W), 1);
    cr_assert_str_eq(waivers_get(W, 0)->unit_id, "c4");
    const table_stats *st = waivers_stats(W);
    cr_assert_eq(st->rows_read, 4);
    cr_assert_eq(st->rejected[REJECT_NO_KEY], 1);
    cr_assert_eq(st->rejected[REJECT_RAGGED], 1);
    cr_assert_eq(st->rows_rejected, 3, "two by the table, one invalid waiver");
    expect_diag(DIAG_ERROR, 5, 4, "the basis is empty: a waiver must say on what document it rests");
}

Test(waiver, missing_markers_are_empty_cells)
{
    /* "-" and "N/A" are how tables say "missing": a basis of "-" is none */
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,d2,H1,-,,N/A,2017-01-01,-\n");
    cr_assert_eq(waivers_count(W), 0);
    expect_diag(DIAG_ERROR, 2, 4, "the basis is empty: a waiver must say on what document it rests");
    expect_diag(DIAG_ERROR, 2, 6, "approved_by is empty: a waiver must say who approved it");
    cr_assert_eq(diag_errors(D), 2, "an expiry of '-' is no expiry, not a bad date:\n%s", all_diags());
}

Test(waiver, unreadable_or_headless_files)
{
    char missing[256];
    snprintf(missing, sizeof missing, "%s/nope.csv", dir);
    cr_assert_eq(waivers_read(W, missing, &OPTS), -1);
    cr_assert_gt(diag_errors(D), 0);
    const table_stats *st = waivers_stats(W);
    cr_assert_not_null(st);
    cr_assert_eq(st->unread, 1);
    cr_assert_str_eq(st->encoding, "unread");
    cr_assert_eq(waivers_count(W), 0);
}

Test(waiver, a_required_column_missing_is_an_error)
{
    puts_file("waivers.csv", "level,unit_id,target,reason,approved_by,approved_on,expires\n"
                             "hh,h1,H1,,Office,2017-01-01,\n");
    cr_assert_eq(waivers_read(W, wpath, &OPTS), -1);
    cr_assert_gt(diag_errors(D), 0);
    cr_assert_eq(waivers_count(W), 0);
    cr_assert_not_null(strstr(all_diags(), "basis"), "the missing column is named:\n%s", all_diags());
}

Test(waiver, optional_columns_may_be_absent)
{
    read_text("level,unit_id,target,basis,approved_by,approved_on\n"
              "hh,h1,H1,Doc,Office,2017-01-01\n");
    const waiver *x = only_waiver();
    cr_assert_str_eq(x->reason, "");
    cr_assert_eq(x->expires, 0);
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
}

static const char ZH_WAIVERS[] = "层级,单位编号,指标,依据,理由,批准人,批准日期,有效期至\n"
                                 "户,张三家,H1,县政府文件〔2017〕12号,因灾返贫,县扶贫办,2017-03-01,2018-02-28\n"
                                 "村级,李家村,V1,乡政府文件,,乡政府,2017-04-02,\n"
                                 "户,王五家,H3,文件,,县扶贫办,2017-03-01,\n";

static void expect_zh_waivers(void)
{
    cr_assert_eq(waivers_count(W), 2, "%s", all_diags());
    const waiver *a = waivers_get(W, 0), *b = waivers_get(W, 1);
    cr_assert_eq(a->level, 2);
    cr_assert_eq(a->target, H1);
    cr_assert_str_eq(a->unit_id, "张三家");
    cr_assert_str_eq(a->basis, "县政府文件〔2017〕12号");
    cr_assert_str_eq(a->reason, "因灾返贫");
    cr_assert_str_eq(a->approved_by, "县扶贫办");
    cr_assert_eq(a->approved_on, 20170301);
    cr_assert_eq(a->expires, 20180228);
    cr_assert_eq(b->level, 1);
    cr_assert_eq(b->target, V1);
    cr_assert_str_eq(b->unit_id, "李家村");
    cr_assert_eq(b->expires, 0);
    /* H3 cannot be waived; the target column is the third */
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = NULL;
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == DIAG_ERROR)
            e = diag_get(D, i);
    cr_assert_not_null(e);
    cr_assert_eq(e->line, 4);
    cr_assert_eq(e->column, 3);
    cr_assert_not_null(strstr(e->message, "target H3 cannot be waived"), "%s", e->message);
    cr_assert_eq(waivers_stats(W)->rows_read, 3);
    cr_assert_eq(waivers_stats(W)->rows_rejected, 1);
}

Test(waiver, chinese_headers)
{
    read_text(ZH_WAIVERS);
    expect_zh_waivers();
    cr_assert_str_eq(waivers_stats(W)->encoding, "utf-8");
    /* and applying by a Chinese unit id */
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "张三家", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 1);
    cr_assert_eq(u->tstatus[H1], ST_WAIVED);
}

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

Test(waiver, gb18030_file)
{
    size_t n;
    char *gb = to_gb18030(ZH_WAIVERS, &n);
    cr_assert_neq(memcmp(gb, ZH_WAIVERS, n < strlen(ZH_WAIVERS) ? n : strlen(ZH_WAIVERS)), 0,
                  "the bytes differ from the UTF-8 ones");
    put("waivers.csv", gb, n);
    free(gb);
    cr_assert_eq(waivers_read(W, wpath, &OPTS), 0, "%s", all_diags());
    cr_assert_str_eq(waivers_stats(W)->encoding, "gb18030");
    expect_zh_waivers();
}

Test(waiver, gb18030_file_forced)
{
    size_t n;
    char *gb = to_gb18030(ZH_WAIVERS, &n);
    put("waivers.csv", gb, n);
    free(gb);
    table_opts o = OPTS;
    o.encoding = ENC_GB18030;
    cr_assert_eq(waivers_read(W, wpath, &o), 0, "%s", all_diags());
    cr_assert_str_eq(waivers_stats(W)->encoding, "gb18030");
    expect_zh_waivers();
}

Test(waiver, level_names)
{
    static const struct {
        const char *name;
        int level;
    } ok[] = {
        {"hh", 2},       {"HH", 2},      {"Hh", 2},     {"Household", 2}, {"household", 2}, {"HOUSEHOLD", 2},
        {"hOuSeHoLd", 2}, {"户", 2},     {"户级", 2},   {"village", 1},   {"VILLAGE", 1},    {"村", 1},
        {"村级", 1},     {"County", 0},  {"县", 0},     {"县级", 0},
    };
    static const char *const bad[] = {"户户", "级", "户 级", "村级级", "household level", "h", "户口", "县城"};
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s", HEAD);
    int k = 0;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *t = ok[i].level == 2 ? "H1" : ok[i].level == 1 ? "V1" : "C1";
        strbuf_printf(&sb, "%s,u%d,%s,Doc,,Office,2017-01-01,\n", ok[i].name, k++, t);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        strbuf_printf(&sb, "%s,u%d,H1,Doc,,Office,2017-01-01,\n", bad[i], k++);
    read_text(strbuf_str(&sb));
    strbuf_free(&sb);
    size_t nok = sizeof ok / sizeof ok[0], nbad = sizeof bad / sizeof bad[0];
    cr_assert_eq(waivers_count(W), nok, "%s", all_diags());
    for (size_t i = 0; i < nok; i++) {
        const waiver *x = waivers_get(W, i);
        cr_assert_eq(x->level, ok[i].level, "'%s': level %d, expected %d", ok[i].name, x->level, ok[i].level);
        cr_assert_eq(x->line, (long)i + 2);
    }
    cr_assert_eq(diag_errors(D), nbad, "%s", all_diags());
    for (size_t i = 0; i < nbad; i++) {
        char msg[256];
        snprintf(msg, sizeof msg, "unknown level '%s' (expected county, village or hh)", bad[i]);
        expect_diag(DIAG_ERROR, (long)(nok + i + 2), 1, msg);
    }
}

/* ---------- applying ---------- */

Test(waiver, fail_unknown_and_warn_are_waived)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc A,,Office,2017-01-01,\n"
              "hh,h2,H1,Doc B,,Office,2017-01-01,2018-01-01\n"
              "hh,h3,H2,Doc C,,Office,2017-01-01,\n");
    waivers_set_as_of(W, 20171231);
    cr_assert_eq(waivers_as_of(W), 20171231);
    unit_box b1, b2, b3;
    unit_rec *u1 = hh(&b1, "h1", 2017, ST_FAIL, ST_WARN, ST_PASS);
    unit_rec *u2 = hh(&b2, "h2", 2017, ST_UNKNOWN, ST_PASS, ST_PASS);
    unit_rec *u3 = hh(&b3, "h3", 2017, ST_PASS, ST_WARN, ST_FAIL);

    cr_assert_eq(waivers_apply(W, u1), 1);
    cr_assert_eq(u1->tstatus[H1], ST_WAIVED, "fail -> waived");
    cr_assert_eq(u1->tstatus[H2], ST_WARN, "a target without a waiver keeps its status");
    cr_assert_eq(u1->tstatus[H3], ST_PASS);
    cr_assert_eq(waivers_apply(W, u2), 1);
    cr_assert_eq(u2->tstatus[H1], ST_WAIVED, "unknown -> waived");
    cr_assert_eq(waivers_apply(W, u3), 1);
    cr_assert_eq(u3->tstatus[H2], ST_WAIVED, "warn -> waived");
    cr_assert_eq(u3->tstatus[H3], ST_FAIL);

    const waiver *a = waivers_get(W, 0), *b = waivers_get(W, 1), *c = waivers_get(W, 2);
    cr_assert_eq(a->outcome, ST_FAIL);
    cr_assert_eq(b->outcome, ST_UNKNOWN);
    cr_assert_eq(c->outcome, ST_WARN);
    for (int i = 0; i < 3; i++) {
        const waiver *x = waivers_get(W, (size_t)i);
        cr_assert_eq(x->matched, 1);
        cr_assert_eq(x->applied, 1);
        cr_assert_eq(x->met + x->expired + x->undated, 0);
        cr_assert_eq(x->as_of, 20171231);
        cr_assert_str_eq(waiver_use_name(x), "applied");
    }
    cr_assert_eq(waivers_for(W, u1, H1), a);
    cr_assert_eq(waivers_for(W, u2, H1), b);
    cr_assert_eq(waivers_for(W, u3, H2), c);
    cr_assert_str_eq(waivers_for(W, u3, H2)->basis, "Doc C");
    cr_assert_null(waivers_for(W, u1, H2), "H2 of h1 is not waived");
    cr_assert_null(waivers_for(W, u3, H3), "H3 of h3 is not waived");
    cr_assert_null(waivers_for(W, u1, 3), "no target 3");
    cr_assert_eq(unit_waived(u1), 1);

    waivers_finish(W);
    cr_assert_eq(diag_count(D), 0, "waivers that were applied are not reported:\n%s", all_diags());
}

Test(waiver, a_met_target_stays_met)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_PASS, ST_FAIL, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 0);
    cr_assert_eq(u->tstatus[H1], ST_PASS);
    cr_assert_eq(u->tstatus[H2], ST_FAIL);
    const waiver *x = only_waiver();
    cr_assert_eq(x->matched, 1);
    cr_assert_eq(x->met, 1);
    cr_assert_eq(x->applied, 0);
    cr_assert_str_eq(waiver_use_name(x), "met");
    cr_assert_null(waivers_for(W, u, H1));
    waivers_finish(W);
    expect_diag(DIAG_WARNING, 2, 3, "waiver of hh 'h1' for H1 not needed: the target is met");
    cr_assert_eq(count_sev(DIAG_WARNING), 1, "%s", all_diags());
}

Test(waiver, expiry_against_the_as_of_date)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,2017-12-30\n"   /* a day before the as-of date */
              "hh,h2,H1,Doc,,Office,2017-01-01,2017-12-31\n"   /* on it */
              "hh,h3,H1,Doc,,Office,2017-01-01,2018-01-01\n"); /* after it */
    waivers_set_as_of(W, 20171231);
    unit_box b1, b2, b3;
    unit_rec *u1 = hh(&b1, "h1", 2017, ST_FAIL, ST_PASS, ST_PASS);
    unit_rec *u2 = hh(&b2, "h2", 2017, ST_FAIL, ST_PASS, ST_PASS);
    unit_rec *u3 = hh(&b3, "h3", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u1), 0);
    cr_assert_eq(u1->tstatus[H1], ST_FAIL, "an expired waiver is not applied");
    cr_assert_eq(waivers_apply(W, u2), 1);
    cr_assert_eq(u2->tstatus[H1], ST_WAIVED, "a waiver expiring on the as-of date still holds");
    cr_assert_eq(waivers_apply(W, u3), 1);
    cr_assert_eq(u3->tstatus[H1], ST_WAIVED);
    const waiver *x = waivers_get(W, 0);
    cr_assert_eq(x->expired, 1);
    cr_assert_eq(x->applied, 0);
    cr_assert_eq(x->matched, 1);
    cr_assert_str_eq(waiver_use_name(x), "expired");
    cr_assert_null(waivers_for(W, u1, H1));
    waivers_finish(W);
    expect_diag(DIAG_WARNING, 2, 8,
                "waiver of hh 'h1' for H1 not applied: it expired on 2017-12-30, before the as-of date 2017-12-31");
    cr_assert_eq(count_sev(DIAG_WARNING), 1, "%s", all_diags());
}

Test(waiver, an_expired_waiver_of_a_met_target_is_reported_as_expired)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2016-01-01,2016-06-30\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_PASS, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 0);
    cr_assert_eq(u->tstatus[H1], ST_PASS);
    const waiver *x = only_waiver();
    cr_assert_eq(x->expired, 1);
    cr_assert_eq(x->met, 0);
    cr_assert_str_eq(waiver_use_name(x), "expired");
}

Test(waiver, default_as_of_is_the_end_of_the_rows_year)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,2017-12-31\n"
              "hh,h2,H1,Doc,,Office,2017-01-01,2017-12-31\n"
              "hh,h3,H1,Doc,,Office,2017-01-01,2017-12-30\n");
    cr_assert_eq(waivers_as_of(W), 0, "no --as-of by default");
    unit_box b1, b2, b3;
    unit_rec *u1 = hh(&b1, "h1", 2017, ST_FAIL, ST_PASS, ST_PASS);
    unit_rec *u2 = hh(&b2, "h2", 2018, ST_FAIL, ST_PASS, ST_PASS);
    unit_rec *u3 = hh(&b3, "h3", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u1), 1, "2017-12-31 holds on 31 December 2017");
    cr_assert_eq(u1->tstatus[H1], ST_WAIVED);
    cr_assert_eq(waivers_get(W, 0)->as_of, 20171231);
    cr_assert_eq(waivers_apply(W, u2), 0, "it has expired by 31 December 2018");
    cr_assert_eq(u2->tstatus[H1], ST_FAIL);
    cr_assert_eq(waivers_get(W, 1)->as_of, 20181231);
    cr_assert_eq(waivers_apply(W, u3), 0, "2017-12-30 has expired by 31 December 2017");
    cr_assert_eq(u3->tstatus[H1], ST_FAIL);
    waivers_finish(W);
    expect_diag(DIAG_WARNING, 3, 8,
                "waiver of hh 'h2' for H1 not applied: it expired on 2017-12-31, before the as-of date 2018-12-31");
    expect_diag(DIAG_WARNING, 4, 8,
                "waiver of hh 'h3' for H1 not applied: it expired on 2017-12-30, before the as-of date 2017-12-31");
    cr_assert_eq(count_sev(DIAG_WARNING), 2, "%s", all_diags());
}

Test(waiver, as_of_overrides_the_rows_year)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,2017-06-30\n");
    waivers_set_as_of(W, 20170630);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 1, "--as-of 2017-06-30, not 2017-12-31 from the row");
    cr_assert_eq(only_waiver()->as_of, 20170630);
}

Test(waiver, undated_waivers_with_an_expiry_are_not_applied)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,2099-12-31\n"
              "hh,h1,H2,Doc,,Office,2017-01-01,\n");
    unit_box b;
    unit_rec *u = hh(&b, "h1", 0, ST_FAIL, ST_FAIL, ST_PASS); /* no year, no --as-of */
    cr_assert_eq(waivers_apply(W, u), 1, "only the waiver without an expiry holds");
    cr_assert_eq(u->tstatus[H1], ST_FAIL);
    cr_assert_eq(u->tstatus[H2], ST_WAIVED);
    const waiver *x = waivers_get(W, 0);
    cr_assert_eq(x->undated, 1);
    cr_assert_eq(x->applied, 0);
    cr_assert_eq(x->as_of, 0);
    cr_assert_str_eq(waiver_use_name(x), "undated");
    cr_assert_eq(waivers_get(W, 1)->applied, 1);
    waivers_finish(W);
    expect_diag(DIAG_WARNING, 2, 8,
                "waiver of hh 'h1' for H1 not applied: it expires on 2099-12-31 and the row has no year to judge "
                "that by (give --as-of DATE)");
    cr_assert_eq(count_sev(DIAG_WARNING), 1, "%s", all_diags());
}

Test(waiver, a_year_out_of_range_is_no_year)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,2099-12-31\n");
    unit_box b;
    unit_rec *u = hh(&b, "h1", 0, ST_FAIL, ST_PASS, ST_PASS);
    u->slots[LH->year] = value_num(12345);
    cr_assert_eq(waivers_apply(W, u), 0);
    cr_assert_eq(only_waiver()->undated, 1);
}

Test(waiver, chains_of_one_unit_in_file_order)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H2,Housing doc,,Office,2017-01-01,\n"
              "hh,h2,H1,Other,,Office,2017-01-01,\n"
              "hh,h1,H1,Income doc,,Office,2017-01-01,\n"
              "village,h1,V1,Village doc,,Office,2017-01-01,\n");
    cr_assert_eq(waivers_count(W), 4);
    cr_assert_eq(waivers_get(W, 0)->next, 2, "h1's first waiver leads to its second");
    cr_assert_eq(waivers_get(W, 1)->next, -1);
    cr_assert_eq(waivers_get(W, 2)->next, -1);
    cr_assert_eq(waivers_get(W, 3)->next, -1, "the village h1 is another unit");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_FAIL, ST_UNKNOWN, ST_FAIL);
    cr_assert_eq(waivers_apply(W, u), 2);
    cr_assert_eq(u->tstatus[H1], ST_WAIVED);
    cr_assert_eq(u->tstatus[H2], ST_WAIVED);
    cr_assert_eq(u->tstatus[H3], ST_FAIL);
    cr_assert_eq(unit_waived(u), 2);
    cr_assert_str_eq(waivers_for(W, u, H1)->basis, "Income doc");
    cr_assert_str_eq(waivers_for(W, u, H2)->basis, "Housing doc");
    cr_assert_eq(waivers_for(W, u, H1)->outcome, ST_FAIL);
    cr_assert_eq(waivers_for(W, u, H2)->outcome, ST_UNKNOWN);
    cr_assert_null(waivers_for(W, u, H3));
    cr_assert_eq(waivers_get(W, 1)->matched, 0, "h2 was not seen");
    cr_assert_eq(waivers_get(W, 3)->matched, 0, "the village waiver does not match a household");
    /* the village h1 */
    unit_box vb;
    unit_status vs[2] = {ST_FAIL, ST_WARN};
    unit_rec *v = unit_of(&vb, LV, "h1", 2017, vs);
    cr_assert_eq(waivers_apply(W, v), 1);
    cr_assert_eq(v->tstatus[V1], ST_WAIVED);
    cr_assert_eq(v->tstatus[V2], ST_WARN);
    cr_assert_str_eq(waivers_for(W, v, V1)->basis, "Village doc");
    cr_assert_null(waivers_for(W, v, V2));
}

Test(waiver, the_unit_id_from_the_key_cell)
{
    /* a bottom-level unit being evaluated has no id yet: its key cell */
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h7,H1,Doc,,Office,2017-01-01,\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, NULL, 2017, ST_FAIL, ST_PASS, ST_PASS);
    u->slots[LH->key] = value_text("h7", 2);
    cr_assert_eq(waivers_apply(W, u), 1);
    cr_assert_eq(u->tstatus[H1], ST_WAIVED);
    cr_assert_eq(waivers_for(W, u, H1), only_waiver());
    /* a longer id with the same prefix is another unit */
    unit_box b2;
    unit_rec *u2 = hh(&b2, NULL, 2017, ST_FAIL, ST_PASS, ST_PASS);
    u2->slots[LH->key] = value_text("h77", 3);
    cr_assert_eq(waivers_apply(W, u2), 0);
    cr_assert_eq(u2->tstatus[H1], ST_FAIL);
}

Test(waiver, unit_ids_are_exact)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,H1-001,H1,Doc,,Office,2017-01-01,\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1-001", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 0, "unit ids are case-sensitive");
    u = hh(&b, "H1-001", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 1);
}

Test(waiver, a_waiver_for_a_unit_never_seen)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,\n"
              "hh,ghost,H2,Doc,,Office,2017-01-01,\n"
              "county,c9,C1,Doc,,Office,2017-01-01,\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_FAIL, ST_PASS, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 1);
    const waiver *g = waivers_get(W, 1);
    cr_assert_eq(g->matched, 0);
    cr_assert_eq(g->applied, 0);
    cr_assert_str_eq(waiver_use_name(g), "no_unit");
    waivers_finish(W);
    expect_diag(DIAG_WARNING, 3, 2, "waiver not applied: no hh 'ghost' among the units checked");
    expect_diag(DIAG_WARNING, 4, 2, "waiver not applied: no county 'c9' among the units checked");
    cr_assert_eq(count_sev(DIAG_WARNING), 2, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0);
}

Test(waiver, finish_reports_in_file_order)
{
    read_text("level,unit_id,target,basis,reason,approved_by,approved_on,expires\n"
              "hh,nobody,H1,Doc,,Office,2017-01-01,\n"
              "hh,h1,H1,Doc,,Office,2017-01-01,\n"
              "hh,h1,H2,Doc,,Office,2017-01-01,2017-02-01\n");
    waivers_set_as_of(W, 20171231);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_PASS, ST_WARN, ST_PASS);
    cr_assert_eq(waivers_apply(W, u), 0);
    waivers_finish(W);
    cr_assert_eq(diag_count(D), 3, "%s", all_diags());
    cr_assert_eq(diag_get(D, 0)->line, 2);
    cr_assert_eq(diag_get(D, 1)->line, 3);
    cr_assert_eq(diag_get(D, 2)->line, 4);
    expect_diag(DIAG_WARNING, 3, 3, "waiver of hh 'h1' for H1 not needed: the target is met");
    expect_diag(DIAG_WARNING, 4, 8,
                "waiver of hh 'h1' for H2 not applied: it expired on 2017-02-01, before the as-of date 2017-12-31");
}

Test(waiver, no_waivers_change_nothing)
{
    read_text(HEAD);
    cr_assert_eq(waivers_count(W), 0);
    cr_assert_eq(waivers_stats(W)->rows_read, 0);
    unit_box b;
    unit_rec *u = hh(&b, "h1", 2017, ST_FAIL, ST_WARN, ST_UNKNOWN);
    cr_assert_eq(waivers_apply(W, u), 0);
    cr_assert_eq(u->tstatus[H1], ST_FAIL);
    cr_assert_null(waivers_for(W, u, H1));
    waivers_finish(W);
    cr_assert_eq(diag_count(D), 0, "%s", all_diags());
}
