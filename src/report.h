/*
 * report.h - writes what a check found, in one of several formats.
 *
 * The full reports (text, json, csv, junit, md, html, xlsx) name the tool
 * version, the rule pack and its version, the parameters used (flagging
 * unverified values), the SHA-256 of every rule and data file read and the
 * rows read and rejected per table; text, json and html also list the
 * diagnostics, junit the errors. The units format is the bare listing: one row per unit with
 * its status, claim and failed target ids, and no provenance. Reports are
 * deterministic: the same inputs give the same bytes (no time stamps,
 * input order kept).
 *
 * Writers never print elsewhere: they write to the FILE they are given and
 * report I/O failure as a return value; report_write_file writes to a
 * temporary file beside the target and renames it, so a failed write leaves
 * no partial report.
 */
#ifndef EXITCHECK_REPORT_H
#define EXITCHECK_REPORT_H

#include <stdio.h>

#include "check.h"
#include "diag.h"
#include "exitcode.h"
#include "report_facts.h"
#include "rules.h"
#include "strbuf.h"

/* The formats, in the order --help and messages list them. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_JUNIT, FMT_HTML, FMT_MD, FMT_UNITS, FMT_XLSX, FMT__COUNT } report_format;

typedef struct report_opts {
    int color;               /* ANSI colour (text only) */
    int all;                 /* list every unit, not only those that fail (text) */
    int zh;                  /* report strings and titles in Chinese */
    int bom;                 /* csv: begin with a UTF-8 byte order mark (for Excel) */
} report_opts;

/* What a writer reads. facts (report_facts_new) are computed once per run,
 * before the first writer, and hold the exit status and verdict; rs, c, d
 * and facts must outlive every writer call. */
typedef struct report_ctx {
    const ruleset *rs;
    checker *c;
    const diag_list *d;
    const report_facts *facts;
    report_opts opts;
    report_format format;     /* set by report_write_file */
} report_ctx;

typedef int (*report_writer)(const report_ctx *r, FILE *out);

/* One entry per format: the one table that the command line's parsing,
 * --help and messages are built from. */
typedef struct report_format_info {
    const char *name;        /* as given to -f */
    report_writer write;
    const char *help;        /* one line for --help */
} report_format_info;

extern const report_format_info report_formats[]; /* FMT__COUNT entries */
/* The format called name; -1 when there is none. */
int report_format_parse(const char *name, report_format *out);

int report_text(const report_ctx *r, FILE *out);
int report_json(const report_ctx *r, FILE *out);
int report_csv(const report_ctx *r, FILE *out);
int report_junit(const report_ctx *r, FILE *out);
int report_md(const report_ctx *r, FILE *out);
int report_units(const report_ctx *r, FILE *out);
int report_html(const report_ctx *r, FILE *out);
/* An Excel workbook (report_xlsx.c): binary, so never to a terminal (the
 * command line refuses -f xlsx on a terminal's standard output). */
int report_xlsx(const report_ctx *r, FILE *out);

/* Writes the report in format f to path ("-" = stdout) atomically.
 * Returns 0, or -1 with a diagnostic. */
int report_write_file(report_format f, const report_ctx *r, const char *path, diag_list *d);
/* The same for any writer (a sample's manifest, form and reports): to a
 * temporary file beside path, renamed over it once complete; straight to
 * standard output ("-") or to a device. Returns 0, or -1 with a
 * diagnostic naming path. */
int report_write_atomic(const char *path, int (*writer)(const void *ctx, FILE *out), const void *ctx, diag_list *d);

/* ---- helpers shared by the writers ---- */

struct waiver;
/* What became of a waiver, as a report says it: applied, or why it was
 * not ("not applied: expired", ...). */
const char *report_waiver_use(const struct waiver *x, int zh);
/* "basis B; reason R; approved by A on 2017-06-30; expires 2018-06-30"
 * (the reason and the expiry only when given). */
void report_waiver_text(strbuf *sb, const struct waiver *x, int zh);
/* The problems' totals (SPEC: honest counts): "3002 found (errors 2,
 * warnings 3000); 20 listed here", counting every error and warning found,
 * kept or not. */
void report_problems_count(strbuf *sb, const diag_list *d, size_t listed_here, int zh);
/* Errors and warnings found but not kept (over --max-errors); with
 * report_not_kept_text the sentence saying so, nothing when none. */
size_t report_not_kept(const diag_list *d);
void report_not_kept_text(strbuf *sb, const diag_list *d, int zh);

struct waivers;
/* The as-of date waivers w were judged on: "2018-06-30", or "31 December
 * of each row's year" (also for w NULL). check's reports and verify's
 * share it. */
void report_as_of_text(strbuf *sb, const struct waivers *w, int zh);

/* The word for a unit's status or claim ("pass", "wrong exit", ...). */
const char *report_status_word(unit_status s, int zh);
const char *report_claim_word(claim_status c, int zh);
/* The word for the outcome of u's exit: report_claim_word's for this
 * year's claim, "exit supported" / "WRONG EXIT" / "exit unsupported" for
 * an earlier exit. */
const char *report_exit_word(const unit_rec *u, int zh);
/* The year of u's exit (its exit_year cell), -1 when unknown or none. */
int report_exit_year(const unit_rec *u);
/* Which exit u has: "this year", "earlier, 2016" ("earlier" without the
 * year), nothing when none. */
void report_exit_when(strbuf *sb, const unit_rec *u, int zh);
/* The outcome of u's exit and, for an earlier one, when:
 * "WRONG EXIT (earlier, 2016)"; "claim supported" for this year's. */
void report_exit_text(strbuf *sb, const unit_rec *u, int zh);
/* The verdict as a sentence ("3 of 40 claimed exits do not hold"). With
 * earlier exits it speaks of this year's claims and of the earlier exits
 * ("9 of 27 exits claimed this year do not hold; 7 of 25 earlier exits
 * are wrong exits"). At exit status 2 because more than half of a table's
 * ids match no parent, it says so with the counts (the error diagnostic
 * gives the likely cause). */
void report_verdict_text(strbuf *sb, const report_facts *f, int zh);
/* 1 when the verdict is good news (every claim holds, or no claims and
 * every unit meets): the formats that colour it use green. */
int report_verdict_good(const report_facts *f);
/* "7000", "yes", "'text'", or "missing" / "no value" etc. for unknowns. */
void report_value(strbuf *sb, const value *v, int zh);
/* "income_per_capita 7000, poverty_line 2952" for the values target t read. */
void report_observed(strbuf *sb, const ruleset *rs, const rule_level *lv, const rule_target *t, const value *slots,
                     int zh);
/* Why target t is unknown: "income_per_capita is missing; no value of
 * parameter province_budget_revenue_growth for the year". */
void report_unknown_reason(strbuf *sb, const ruleset *rs, const rule_level *lv, const rule_target *t,
                           const value *slots, int zh);
/* A target's requirement as written; in Chinese reports the logic words
 * and, or, not (and &&, ||, !) read 且, 或, 非. Names, numbers and quoted
 * text are left as they are (the expression's own tokens tell them). */
void report_require(strbuf *sb, const char *src, int zh);
/* An English name that a library module defines as a message id (a reject
 * reason, a table's "unread" encoding) in the report's language. */
const char *report_tr(const char *msgid, int zh);
/* The title in the requested language, falling back to the other. */
const char *report_title(const text2 *t, int zh);
/* Percentage of part in whole, or a negative number when whole is 0. */
double report_rate(long part, long whole);
/* The people-weighted wrong-exit rate of t (people of wrong exits / people
 * of the exits counted x 100): 0 with *rate set, -1 when there is none
 * (no exit, or some exit's people unknown, or no people). */
int report_people_rate(const claim_tally *t, double *rate);
/* One line per level that has orphans ("Household: 1 whose parent is not
 * in its table ..."), each begun with prefix and ended with eol. */
void report_orphans_text(strbuf *sb, const report_facts *f, int zh, const char *prefix, const char *eol);
/* Appends report_people_rate's rate as "12.5%", or none without one. */
void report_people_rate_text(strbuf *sb, const claim_tally *t, const char *none);
/* Appends part / whole as "12.5%", or none when whole is 0. */
void report_rate_text(strbuf *sb, long part, long whole, const char *none);
/* Writes sb to out and empties it: -1 when sb ran out of memory or the
 * write failed. Every writer flushes through here. */
int report_flush(strbuf *sb, FILE *out);
/* Appends one CSV cell: quoted when it holds a comma, quote or line break,
 * and prefixed with an apostrophe when it begins with = + - @, a tab or a
 * CR, so a spreadsheet shows it as text instead of running a formula. */
void report_csv_cell(strbuf *sb, const char *s, size_t n);

/* A JSON string of s[0..n), escaped; report_json_str: of a C string, or
 * null for NULL. */
void report_json_str_n(strbuf *sb, const char *s, size_t n);
void report_json_str(strbuf *sb, const char *s);
/* One diagnostic as a JSON object: file, line, column, severity, message,
 * and for a workbook's cell its sheet and Excel's cell name ("C17"). */
void report_json_diag(strbuf *sb, const diag_entry *e);

#endif
