/*
 * report_xlsx.h - the Excel workbook the -f xlsx reports are written to
 * (check's report_xlsx.c, sample's report_sample.c, verify's
 * report_verify.c), over libxlsxwriter in constant-memory mode;
 * implemented in report_xlsx_book.c.
 *
 * Lifecycle: xlsx_open -> for each sheet: xlsx_head (each header cell, if
 * any) -> xlsx_sheet -> for each row: xlsx_row, the cells, xlsx_row_end
 * -> xlsx_sheet_end; then xlsx_close, always, also after a failure.
 *
 * Invariants (each writer relies on them):
 * - rows are written in increasing order, one sheet at a time: constant-
 *   memory mode keeps only the current row of a sheet in memory. A sheet
 *   with a header that would pass Excel's 1,048,576 rows continues on
 *   "<name> (2)" with the same header (xlsx_row starts it).
 * - a sheet with a header has it bold and frozen, an autofilter over the
 *   rows written and its columns as wide as their text in the first 200
 *   rows (at most 60); a sheet without one (a summary) is free-form, its
 *   widths set with xlsx_widths.
 * - numbers are numbers, booleans booleans, text strings, never formulas
 *   (worksheet_write_string writes "=..." as text). xlsx_pct writes a
 *   percentage (12.5 for 12.5%) shown with two decimals.
 * - every string written is valid UTF-8 without what XML 1.0 forbids:
 *   a bad byte, a control character other than tab and line feed, U+FFFE
 *   and U+FFFF become U+FFFD, CR LF and a lone CR become LF, "_xHHHH_"
 *   is protected from Excel's unescaping, and a cell is cut at Excel's
 *   32,767 characters. Sheet names are at most 31 characters, without
 *   []:*?/\ or an apostrophe at either end, unique (" (2)" and on).
 * - the same calls give the same bytes: the document's creation and
 *   modification dates are fixed (1980-01-01T00:00:00Z, the date
 *   libxlsxwriter gives every zip entry); nothing else carries a time.
 * - libxlsxwriter 1.1 writes only to a named file: the workbook goes to a
 *   private temporary file (mkstemp in TMPDIR, default /tmp), which
 *   xlsx_close copies to out and unlinks on every path.
 * - nothing is printed and nothing exits: a failed write (or memory run
 *   out) marks the book, the calls after it do nothing, and xlsx_close
 *   returns -1 (libxlsxwriter itself prints only on its own internal
 *   errors: out of memory, a zip error).
 */
#ifndef EXITCHECK_REPORT_XLSX_H
#define EXITCHECK_REPORT_XLSX_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "rules.h"

typedef struct xlsx_book xlsx_book;
typedef unsigned short xlsx_col; /* a column, from 0 */

/* A new workbook titled title (its document property; cut at 255
 * characters); zip64: it may pass 4 GB. NULL with errno set on failure. */
xlsx_book *xlsx_open(const char *title, int zip64);
/* Ends the open sheet, closes the workbook, copies it to out (unless it
 * failed), unlinks the temporary file and frees *b. 0, or -1 with errno
 * set (EIO for a failure of libxlsxwriter's). */
int xlsx_close(xlsx_book **b, FILE *out);

/* Adds a header cell (copied) to the next sheet xlsx_sheet starts. */
void xlsx_head(xlsx_book *b, const char *s);
/* Starts a sheet called title (a name made safe and unique), with the
 * header cells given since the last one; ends the open sheet first.
 * 0 or -1. */
int xlsx_sheet(xlsx_book *b, const char *title);
/* Ends the open sheet: the widths of its columns and its autofilter. */
void xlsx_sheet_end(xlsx_book *b);
/* Makes room for the next row (past the last row: a continuation);
 * 0, or -1 when the book has failed. */
int xlsx_row(xlsx_book *b);
void xlsx_row_end(xlsx_book *b);

/* Cells of the current row; NULL or empty text writes nothing, nor does a
 * number that is not finite. */
void xlsx_text(xlsx_book *b, xlsx_col col, const char *s);
void xlsx_text_n(xlsx_book *b, xlsx_col col, const char *s, size_t n);
void xlsx_bold(xlsx_book *b, xlsx_col col, const char *s);
void xlsx_num(xlsx_book *b, xlsx_col col, double v);
void xlsx_pct(xlsx_book *b, xlsx_col col, double v);
void xlsx_bool(xlsx_book *b, xlsx_col col, int v);
/* The width of columns first..last of the open sheet (free-form sheets). */
void xlsx_widths(xlsx_book *b, xlsx_col first, xlsx_col last, double width);

/* Marks the book failed (a writer's own failure: memory, a callback). */
void xlsx_fail(xlsx_book *b);
/* 1 when a call has failed. */
int xlsx_bad(const xlsx_book *b);

/* The sheet "Problems" ("问题"): every diagnostic kept, in the order kept:
 * severity, file, line, column, the sheet and cell of a workbook input,
 * and the message. 0 or -1. */
int xlsx_problems(xlsx_book *b, const diag_list *d, int zh);
/* Summary rows of sample's and verify's workbooks: the tool and the pack
 * (label, id, version), and one row per rule file (label, path, and its
 * SHA-256 in column 9, under the inputs' SHA-256 column). */
void xlsx_tool_and_pack(xlsx_book *b, const ruleset *rs, int zh);
void xlsx_rule_files(xlsx_book *b, const ruleset *rs, int zh);

#endif
