/*
 * report_strings.h - every fixed string a report prints, in English and
 * Chinese (--lang zh). Target, level and pack titles come from the pack;
 * ids, column names and numbers are never translated.
 *
 * RS(id, zh) returns the string for the report's language. The table is
 * kept parallel to the enum by designated initialisers; a test checks that
 * no entry is missing in either language.
 */
#ifndef EXITCHECK_REPORT_STRINGS_H
#define EXITCHECK_REPORT_STRINGS_H

typedef enum {
    RS_REPORT, RS_VERDICT, RS_V_ALL_SUPPORTED, RS_V_SOME_FAIL, RS_V_NOCLAIM_PASS, RS_V_NOCLAIM_FAIL,
    RS_V_ERRORS, RS_EXIT_STATUS, RS_SUMMARY, RS_LEVEL, RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN,
    RS_CLAIMED, RS_SUPPORTED, RS_WRONG_EXITS, RS_UNSUPPORTED, RS_WRONG_RATE, RS_PARAMS, RS_UNVERIFIED,
    RS_NO_VALUE, RS_GIVEN_BY_PARAM, RS_PARAM_HINT, RS_REPORTED, RS_RECOMPUTED, RS_DIFFERS, RS_TOLERANCE,
    RS_FAILING_UNITS, RS_ALL_UNITS, RS_WRONG_CLAIMS, RS_TARGETS_NOT_MET, RS_TARGET, RS_NOT_MET,
    RS_OBSERVED, RS_REQUIRED, RS_REASON, RS_PROBLEMS, RS_ERRORS, RS_WARNINGS, RS_INPUTS, RS_RULE_FILES,
    RS_ROWS_READ, RS_EVALUATED, RS_REJECTED, RS_LINE, RS_ID, RS_NAME, RS_STATUS, RS_CLAIM,
    RS_MORE_UNITS, RS_MORE_PROBLEMS, RS_PACK, RS_TOOL, RS_ENCODING, RS_FIGURES, RS_NO_CHILD_DATA,
    RS_CLAIMS_BELOW, RS_ORPHAN, RS_S_PASS, RS_S_FAIL, RS_S_UNKNOWN, RS_S_WARN, RS_C_SUPPORTED, RS_C_WRONG,
    RS_C_UNSUPPORTED, RS_C_NONE, RS_WHY_MISSING, RS_WHY_INVALID, RS_WHY_NO_COLUMN, RS_WHY_NO_PARAM,
    RS_WHY_DIV_ZERO, RS_WHY_NO_DATA, RS_WHY_NO_CASE, RS_WHY_UNKNOWN, RS_WHY_EXPR_DIV_ZERO, RS_NONE,
    RS_FAILURES_PER_TARGET, RS_YEAR, RS_VALUE, RS_SOURCE, RS_SIGNATURE, RS_DATE, RS_NO_YEAR,
    RS_NO_TABLE, RS_H_RATES, RS_RATES_BELOW, RS_H_FIGURES, RS_N_DIFFER, RS_MORE_ROWS, RS_LOCATION,
    RS_SEVERITY, RS_MESSAGE, RS_SEV_ERROR, RS_SEV_WARNING, RS_OPINION, RS_PROVENANCE, RS_PARAM, RS_PARAM_UNIT,
    RS_UNITS_AFFECTED, RS_FILE, RS_CHART_LABEL, RS_H_UNITS, RS_N_TARGET, RS_N_TARGETS,
    /* exits across years: this year's claims and earlier exits */
    RS_V_YEAR_BAD, RS_V_YEAR_OK, RS_V_YEAR_NONE, RS_V_EARLIER_BAD, RS_V_EARLIER_OK, RS_V_EARLIER_UNVERIFIED,
    RS_V_SEP, RS_V_MISMATCH, RS_THIS_YEAR, RS_EARLIER, RS_EXITED, RS_BY_PEOPLE, RS_WRONG_RATE_PEOPLE,
    RS_EARLIER_EXITS, RS_EXIT, RS_EXIT_EARLIER_YEAR, RS_EXIT_EARLIER, RS_EXIT_THIS_YEAR, RS_C_EXIT_SUPPORTED,
    RS_C_EXIT_UNSUPPORTED, RS_EARLIER_BELOW, RS_WRONG_EARLIER, RS_WRONG_EXITS_ALL, RS_EARLIER_SUITE,
    RS_H_EARLIER, RS_ORPHANS, RS_ORPHANS_LINE,
    /* waivers (documented exceptions) */
    RS_S_WAIVED, RS_WAIVED, RS_BY_WAIVER, RS_V_BY_WAIVER, RS_H_WAIVERS, RS_WAIVER_FILE, RS_BASIS,
    RS_WAIVER_REASON, RS_APPROVED_BY, RS_APPROVED_ON, RS_EXPIRES, RS_AS_OF, RS_AS_OF_DEFAULT, RS_OUTCOME,
    RS_W_APPLIED, RS_W_MET, RS_W_EXPIRED, RS_W_UNMATCHED, RS_W_UNDATED, RS_WITHOUT_WAIVER, RS_UNITS_BY_WAIVER,
    RS_NO_WAIVERS, RS_UNIT,
    /* waivers in the HTML and Markdown reports */
    RS_MET_BY_WAIVER, RS_H_UNITS_BY_WAIVER,
    /* honest totals of the problems found */
    RS_PROBLEMS_COUNT, RS_NOT_KEPT,
    /* the Excel workbook (-f xlsx): sheet names and headers */
    RS_X_SUMMARY, RS_X_EXITS, RS_X_FIGURES, RS_X_PROBLEMS, RS_X_PARENT_ID, RS_X_PARENT_NAME, RS_X_ANY_PARENT_ID,
    RS_X_ANY_PARENT_NAME, RS_X_MET, RS_X_FIGURE, RS_X_DIFFERENCE, RS_X_CHILDREN, RS_X_CLAIMS_BELOW, RS_X_WRONG_BELOW,
    RS_X_PERCENT, RS_X_TARGETS_NOT_MET, RS_X_TARGETS_UNKNOWN, RS_X_VERSION, RS_X_ORIGIN, RS_X_CONFIRMED,
    RS_X_UNITS_MISSING, RS_X_REJECTED_BY, RS_X_COLUMN, RS_X_SHEET, RS_X_CELL, RS_X_EARLIER_WRONG,
    RS_X_EARLIER_UNSUPPORTED, RS_X_CELL_ERRORS,
    RS__COUNT
} report_string;

const char *RS(report_string id, int zh);

struct strbuf;
/* Appends string id formatted with the arguments: the only place where a
 * report's format string is not a literal (it is one of this table's). */
void rs_printf(struct strbuf *sb, report_string id, int zh, ...);
/* Appends s padded with spaces to width terminal columns (CJK characters
 * count two), so tables line up in both languages. */
void rs_pad(struct strbuf *sb, const char *s, int width, int right);
/* Terminal columns of s (CJK characters count two). */
int rs_width(const char *s);

#endif
