/*
 * frame.h - the second stage of reading a table: UTF-8 -> CSV fields and
 * records through libcsv, each with the physical line it starts on.
 *
 * The framer first reads the header, whose names stay until the columns
 * to keep are set; then it copies each data record's kept cells into the
 * cells its sink gave and hands the record to the sink. Blank lines, and
 * records whose fields are all empty (",,,", as spreadsheets leave), are
 * not records.
 *
 * Lifecycle: frame_new -> frame_feed (header; frame_next_header to skip a
 * title row and read on) -> frame_keep_columns ->
 * frame_set_sink -> frame_feed ... -> frame_finish -> frame_free. The
 * framer owns libcsv's parser and the header names; the cells it writes
 * and the column map are the caller's.
 */
#ifndef EXITCHECK_FRAME_H
#define EXITCHECK_FRAME_H

#include <stddef.h>

#include "diag.h"

struct csv_parser;
struct strbuf;

typedef struct frame frame;

/* A data record as the framer ends it. */
typedef struct frame_record {
    long line;                  /* the physical line it starts on */
    int fields;                 /* fields in it */
    unsigned char has_nul;      /* a field within the header's width holds a NUL byte */
    unsigned char unterminated; /* it ends at end of file inside a quoted field */
} frame_record;

/* Where a record's kept cells go: their bytes are appended to buf, and the
 * cell of slot k is buf->s[off[k], off[k] + len[k]), with seen[k] set to 1
 * (0 when the record has no such field). libcsv's fields are not
 * NUL-terminated and its buffer is reused, hence the copy. */
typedef struct frame_cells {
    struct strbuf *buf;
    size_t *off, *len;
    int *seen;
} frame_cells;

/* Takes a record, on the thread that feeds; sets *next to where the next
 * record's cells go. Returns 0, or non-zero to stop reading. */
typedef int (*frame_record_fn)(void *ctx, const frame_record *r, frame_cells *next);

/* A framer at line 1 with its header to read; NULL when memory ran out.
 * path (for messages) must outlive it. */
frame *frame_new(const char *path, diag_list *d);
void frame_free(frame **fr);
/* Where later diagnostics go (the sink of the thread that feeds). */
void frame_set_diag(frame *fr, diag_list *d);
/* Frames s[0, n), split at eol for line numbers. Until the header is
 * done, s must end at or before the first CR or LF (DECODE_LINE pieces),
 * so that no data record comes before its columns and sink are set.
 * Returns 0, or -1 once reading has stopped (a diagnostic, or the sink
 * said stop). */
int frame_feed(frame *fr, const char *s, size_t n, char eol);
/* End of file: ends the last record if it has no line end. Returns 0 or -1
 * as frame_feed. */
int frame_finish(frame *fr);

/* The header: 1 once its record has ended; its fields, NUL-terminated;
 * the physical line it started on. */
int frame_header_done(const frame *fr);
int frame_columns(const frame *fr);
const char *frame_column_name(const frame *fr, int col);
long frame_header_line(const frame *fr);
/* The record just read is not the header after all (a title row above
 * it): forgets its fields and reads the next record as the header. Only
 * before frame_keep_columns. */
void frame_next_header(frame *fr);
/* 1 when no record is in progress (a piece starting now starts a record). */
int frame_between_records(const frame *fr);
/* The field delimiter: ',' unless set (a tab- or semicolon-separated
 * file); set only between records. */
void frame_set_delim(frame *fr, char delim);
char frame_delim(const frame *fr);
/* col_slot[c]: the slot of header column c, or -1 to drop it (borrowed, it
 * must outlive the framer); nslots cells per record. Frees the header. */
void frame_keep_columns(frame *fr, const int *col_slot, size_t nslots);
/* The sink of data records, and where the first one's cells go. */
void frame_set_sink(frame *fr, frame_record_fn fn, void *ctx, frame_cells first);

/* The physical line being read, and the line the record in progress (or
 * the next one) starts on. */
long frame_line(const frame *fr);
long frame_record_line(const frame *fr);

/* Where libcsv stands: between records, inside a record, or inside a
 * quoted field (a quoted newline). Read from libcsv's private parser state:
 * the one place that does so; tests/test_frame.c pins it to libcsv's
 * behaviour, so an upgrade that renumbers the states fails there. */
typedef enum { FRAME_BETWEEN_RECORDS, FRAME_IN_RECORD, FRAME_IN_QUOTES } frame_state;
frame_state frame_csv_state(const struct csv_parser *p);

#endif
