/*
 * convert.h - the third stage of reading a table: header columns ->
 * indicators, and each record's cells -> typed values.
 *
 * Columns match indicators by id, Chinese header or alias (surrounding
 * ASCII and full-width spaces trimmed), as written or else normalised:
 * whitespace and line breaks anywhere in the cell and a trailing unit
 * suffix in brackets ("（%）", "(元)") are ignored, and ASCII case. A record is checked as a whole
 * (width, NUL bytes, an open quote), then the cells the rules read are
 * parsed by the indicator's type; a cell that does not fit is a
 * diagnostic at file:line:column and an unknown value.
 *
 * Lifecycle: convert_new -> convert_map_header -> convert_record ... ->
 * convert_free. The converter owns the column maps and the row's values;
 * it counts rows, rejections and cell errors in the caller's table_stats.
 */
#ifndef EXITCHECK_CONVERT_H
#define EXITCHECK_CONVERT_H

#include <stddef.h>

#include "diag.h"
#include "frame.h"
#include "rules.h"
#include "table.h"

typedef struct convert convert;

/* A converter for lv's tables; NULL when memory ran out. path (for
 * messages) and st must outlive it. */
convert *convert_new(const rule_level *lv, const char *path, int partial, table_stats *st, diag_list *d);
void convert_free(convert **cv);
/* 1 when the record the framer has read as its header can be the header:
 * it has lv's key column and enough of the columns the rules need (half of
 * them, all of them when fewer than 4); 0 when not (a title row); -1 when
 * memory ran out (a diagnostic). */
int convert_header_fits(convert *cv, const frame *fr);
/* Maps the header the framer has read. Returns 0, or -1 after
 * diagnostics (a duplicate column, columns the rules need missing unless
 * partial allows it, memory). Missing columns also get notes: the header
 * cells found (when the table is refused) and, for each missing column,
 * the closest cell that matched nothing, when one is close. */
int convert_map_header(convert *cv, const frame *fr);
/* After the header: header column -> indicator (the framer's slot), or -1
 * for a column the level does not use; one slot per indicator, and one
 * more (convert_slots) for the first column's cell when no indicator
 * takes it (a totals row's 合计 is often there). */
const int *convert_column_slots(convert *cv);
size_t convert_slots(const convert *cv);
/* 1 when the table has a column for indicator i. */
int convert_has_column(const convert *cv, size_t i);
/* The 1-based header column of indicator i, 0 when the table has none. */
long convert_column(const convert *cv, size_t i);
/* Records may end before the header does (a workbook's rows, whose
 * trailing empty cells Excel leaves out): the cells they lack are empty.
 * Records longer than the header are still rejected. */
void convert_allow_short_rows(convert *cv);
/* Converts one record. Returns 1 with *row set (its values live until the
 * next call), 0 when the record was rejected (a diagnostic, counted), or
 * -1 when the cells ran out of memory (reading has to stop). */
int convert_record(convert *cv, const frame_record *r, const frame_cells *c, table_row *row);

#endif
