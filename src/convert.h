/*
 * convert.h - the third stage of reading a table: header columns ->
 * indicators, and each record's cells -> typed values.
 *
 * Columns match indicators by id, Chinese header or alias (surrounding
 * ASCII and full-width spaces trimmed). A record is checked as a whole
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
/* Maps the header the framer has read. Returns 0, or -1 after
 * diagnostics (a duplicate column, columns the rules need missing unless
 * partial allows it, memory). */
int convert_map_header(convert *cv, const frame *fr);
/* After the header: header column -> indicator (the framer's slot), or -1
 * for a column the level does not use; one slot per indicator. */
const int *convert_column_slots(const convert *cv);
size_t convert_slots(const convert *cv);
/* 1 when the table has a column for indicator i. */
int convert_has_column(const convert *cv, size_t i);
/* The 1-based header column of indicator i, 0 when the table has none. */
long convert_column(const convert *cv, size_t i);
/* Converts one record. Returns 1 with *row set (its values live until the
 * next call), 0 when the record was rejected (a diagnostic, counted), or
 * -1 when the cells ran out of memory (reading has to stop). */
int convert_record(convert *cv, const frame_record *r, const frame_cells *c, table_row *row);

#endif
