/*
 * test_frame.c - the framer (src/frame.h): libcsv's parser state as
 * frame_csv_state reads it (pinned to libcsv's behaviour, so that an
 * upgrade that renumbers its private states fails here rather than
 * silently shifting every line number), and what the framer makes of a
 * stream: the physical start line of each record however the stream is
 * cut into pieces (LF, CRLF, CR-only, quoted newlines, blank lines), kept
 * cells, NUL bytes, an open quote at end of file, and its errors.
 */
#include <criterion/criterion.h>

#include <csv.h>
#include <string.h>

#include "diag.h"
#include "frame.h"
#include "strbuf.h"
#include "table.h"

/* ---------- libcsv's state, read by frame_csv_state ---------- */

static void ignore_field(void *s, size_t n, void *ctx) { (void)s, (void)n, (void)ctx; }
static void ignore_record(int c, void *ctx) { (void)c, (void)ctx; }

/* The state after libcsv has parsed text from a fresh start. */
static frame_state state_after(const char *text, struct csv_parser *p)
{
    cr_assert_eq(csv_init(p, CSV_STRICT_FINI), 0);
    size_t n = strlen(text);
    cr_assert_eq(csv_parse(p, text, n, ignore_field, ignore_record, NULL), n);
    return frame_csv_state(p);
}

static void expect_state(const char *text, frame_state want)
{
    struct csv_parser p;
    frame_state got = state_after(text, &p);
    csv_free(&p);
    cr_assert_eq(got, want, "after '%s': state %d, expected %d", text, got, want);
}

Test(frame_csv_state, between_records)
{
    expect_state("", FRAME_BETWEEN_RECORDS);
    expect_state("a,b\n", FRAME_BETWEEN_RECORDS);
    expect_state("a,b\r\n", FRAME_BETWEEN_RECORDS);
    expect_state("a,b\r", FRAME_BETWEEN_RECORDS);
    expect_state("\n\n\r\n", FRAME_BETWEEN_RECORDS); /* blank lines are no records */
    expect_state("a,\"b\nc\"\n", FRAME_BETWEEN_RECORDS);
}

Test(frame_csv_state, a_quoted_newline_is_a_record_in_progress)
{
    expect_state("a,\"b\n", FRAME_IN_QUOTES);
    expect_state("a,\"b\r\n", FRAME_IN_QUOTES);
    expect_state("\"", FRAME_IN_QUOTES);
    expect_state("a,\"b\"\"", FRAME_IN_QUOTES);   /* an escaped quote: still inside */
    expect_state("a,\"b\"\"c", FRAME_IN_QUOTES);
}

Test(frame_csv_state, inside_a_record_outside_quotes)
{
    expect_state("a", FRAME_IN_RECORD);   /* a field begun */
    expect_state("a,", FRAME_IN_RECORD);  /* a field not begun */
    expect_state("a,\"b\"", FRAME_IN_RECORD); /* the quote closed: the field might have ended */
    expect_state("a,\"\"", FRAME_IN_RECORD);
}

/* The values frame.c assumes for the two states it names; libcsv 3.0's
 * csv.h declares the field without them. */
Test(frame_csv_state, libcsv_state_numbers)
{
    struct csv_parser p;
    state_after("a,b\n", &p);
    cr_assert_eq(p.pstate, 0, "between records: ROW_NOT_BEGUN is 0");
    csv_free(&p);
    state_after("a,\"b\n", &p);
    cr_assert_eq(p.pstate, 2, "inside a quoted field: FIELD_BEGUN is 2");
    cr_assert(p.quoted);
    csv_free(&p);
    state_after("a,\"b\"", &p);
    cr_assert_neq(p.pstate, 2, "a closed quote is not FIELD_BEGUN");
    cr_assert(p.quoted);
    csv_free(&p);
}

/* ---------- the framer ---------- */

enum { NSLOTS = 3, MAXREC = 32 };

typedef struct got_record {
    frame_record r;
    char cell[NSLOTS][32];
    int seen[NSLOTS];
} got_record;

static diag_list *D;
static strbuf cells;
static size_t off[NSLOTS], len[NSLOTS];
static int seen[NSLOTS];
static got_record recs[MAXREC];
static int nrec;
static int stop_after; /* the sink says stop after this many records; 0: never */

static frame_cells slots(void)
{
    frame_cells c = {&cells, off, len, seen};
    return c;
}

/* Keeps a copy of each record and gives the same slots for the next. */
static int sink(void *ctx, const frame_record *r, frame_cells *next)
{
    (void)ctx;
    cr_assert_lt(nrec, MAXREC);
    got_record *g = &recs[nrec++];
    g->r = *r;
    for (int k = 0; k < NSLOTS; k++) {
        g->seen[k] = seen[k];
        if (seen[k]) {
            cr_assert_lt(len[k], sizeof g->cell[k]);
            memcpy(g->cell[k], cells.s + off[k], len[k]);
            g->cell[k][len[k]] = '\0';
        }
        seen[k] = 0;
    }
    strbuf_reset(&cells);
    *next = slots();
    return stop_after && nrec >= stop_after;
}

static void setup(void)
{
    D = diag_new();
    strbuf_reset(&cells);
    memset(seen, 0, sizeof seen);
    memset(recs, 0, sizeof recs);
    nrec = 0;
    stop_after = 0;
}

static void teardown(void)
{
    strbuf_free(&cells);
    diag_free(&D);
}

TestSuite(frame, .init = setup, .fini = teardown);

/* header column -> slot: "id" 0, "skip" dropped, "b" 1, "c" 2 */
static const int COLS[] = {0, -1, 1, 2};

/* Frames text in pieces of `step` bytes (0: all at once) and ends it.
 * Returns what frame_feed or frame_finish returned first that was not 0. */
static int frame_text(const char *text, size_t step, char eol)
{
    frame *fr = frame_new("t.csv", D);
    cr_assert_not_null(fr);
    size_t n = strlen(text), i = 0;
    int r = 0;
    while (r == 0 && !frame_header_done(fr) && i < n) {
        size_t nl = strcspn(text + i, "\r\n"); /* the header alone, as table_open feeds it */
        size_t take = i + nl < n ? nl + 1 : n - i;
        r = frame_feed(fr, text + i, take, eol);
        i += take;
    }
    cr_assert(frame_header_done(fr), "the header should be read");
    cr_assert_eq(frame_columns(fr), 4);
    cr_assert_str_eq(frame_column_name(fr, 0), "id");
    cr_assert_str_eq(frame_column_name(fr, 3), "c");
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    while (r == 0 && i < n) {
        size_t take = step && step < n - i ? step : n - i;
        r = frame_feed(fr, text + i, take, eol);
        i += take;
    }
    if (r == 0)
        r = frame_finish(fr);
    frame_free(&fr);
    return r;
}

static void expect_lines(const long *want, int count)
{
    cr_assert_eq(nrec, count, "%d records, expected %d", nrec, count);
    for (int i = 0; i < count; i++)
        cr_assert_eq(recs[i].r.line, want[i], "record %d starts on line %ld, expected %ld", i, recs[i].r.line, want[i]);
}

static const char QUOTED[] = "id,skip,b,c\n"
                             "1,x,\"two\nlines\",c1\n"
                             "2,x,b2,\"three\n\nlines\"\n"
                             "\n"
                             "3,x,b3,c3\n";

Test(frame, quoted_newlines_keep_physical_lines)
{
    static const long want[] = {2, 4, 8};
    for (size_t step = 0; step <= 7; step++) {
        nrec = 0;
        cr_assert_eq(frame_text(QUOTED, step, '\n'), 0);
        expect_lines(want, 3);
    }
    cr_assert_str_eq(recs[0].cell[1], "two\nlines");
    cr_assert_str_eq(recs[1].cell[2], "three\n\nlines");
    cr_assert_eq(recs[2].r.fields, 4);
    cr_assert_eq(diag_count(D), 0);
}

Test(frame, crlf_and_cr_only_line_ends)
{
    static const long want[] = {2, 3, 5};
    cr_assert_eq(frame_text("id,skip,b,c\r\n1,x,b,c\r\n2,x,\"b\r\nb\",c\r\n3,x,b,c\r\n", 3, '\n'), 0);
    cr_assert_str_eq(recs[1].cell[1], "b\r\nb");
    expect_lines(want, 3);
    nrec = 0;
    cr_assert_eq(frame_text("id,skip,b,c\r1,x,b,c\r2,x,\"b\rb\",c\r3,x,b,c\r", 2, '\r'), 0);
    expect_lines(want, 3);
}

Test(frame, kept_cells_and_blank_records)
{
    static const long want[] = {2, 5};
    cr_assert_eq(frame_text("id,skip,b,c\n1,dropped,,c1\n,,,\n\n9,,,\n", 0, '\n'), 0);
    expect_lines(want, 2);
    cr_assert_str_eq(recs[0].cell[0], "1");
    cr_assert(recs[0].seen[1], "an empty field is still a cell");
    cr_assert_str_eq(recs[0].cell[1], "");
    cr_assert_str_eq(recs[0].cell[2], "c1");
    cr_assert_str_eq(recs[1].cell[0], "9");
    /* a row of empty fields wider than the header is a record (ragged) */
    nrec = 0;
    cr_assert_eq(frame_text("id,skip,b,c\n,,,,\n", 0, '\n'), 0);
    cr_assert_eq(nrec, 1);
    cr_assert_eq(recs[0].r.fields, 5);
}

Test(frame, short_records_lack_cells)
{
    cr_assert_eq(frame_text("id,skip,b,c\n1,x\n", 0, '\n'), 0);
    cr_assert_eq(nrec, 1);
    cr_assert_eq(recs[0].r.fields, 2);
    cr_assert(recs[0].seen[0]);
    cr_assert(!recs[0].seen[1] && !recs[0].seen[2]);
}

Test(frame, nul_bytes_within_the_header_width)
{
    static const char text[] = "id,skip,b,c\n1,x,b\0b,c\n2,x,b,c,\0\n";
    frame *fr = frame_new("t.csv", D);
    cr_assert_eq(frame_feed(fr, text, 12, '\n'), 0);
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    cr_assert_eq(frame_feed(fr, text + 12, sizeof text - 1 - 12, '\n'), 0);
    cr_assert_eq(frame_finish(fr), 0);
    frame_free(&fr);
    cr_assert_eq(nrec, 2);
    cr_assert(recs[0].r.has_nul);
    cr_assert(!recs[1].r.has_nul, "the NUL is beyond the header's columns");
}

Test(frame, an_open_quote_at_end_of_file)
{
    cr_assert_eq(frame_text("id,skip,b,c\n1,x,b,c\n2,x,\"open\n3,x,b,c\n", 5, '\n'), 0);
    cr_assert_eq(nrec, 2);
    cr_assert(!recs[0].r.unterminated);
    cr_assert(recs[1].r.unterminated);
    cr_assert_eq(recs[1].r.line, 3);
    cr_assert_str_eq(recs[1].cell[1], "open\n3,x,b,c\n");
    /* a closed quote at the end is not open */
    nrec = 0;
    cr_assert_eq(frame_text("id,skip,b,c\n1,x,\"b\",\"c\"", 0, '\n'), 0);
    cr_assert_eq(nrec, 1);
    cr_assert(!recs[0].r.unterminated);
}

Test(frame, record_line_while_a_record_is_in_progress)
{
    frame *fr = frame_new("t.csv", D);
    cr_assert_eq(frame_feed(fr, "id,skip,b,c\n", 12, '\n'), 0);
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    cr_assert_eq(frame_feed(fr, "1,x,\"b\n", 7, '\n'), 0);
    cr_assert_eq(frame_feed(fr, "more\n", 5, '\n'), 0);
    cr_assert_eq(frame_line(fr), 4);
    cr_assert_eq(frame_record_line(fr), 2, "the record began on line 2");
    cr_assert_eq(frame_feed(fr, "\",c\n", 4, '\n'), 0);
    cr_assert_eq(frame_feed(fr, "2", 1, '\n'), 0);
    cr_assert_eq(frame_record_line(fr), 5);
    cr_assert_eq(frame_finish(fr), 0);
    frame_free(&fr);
    static const long want[] = {2, 5};
    expect_lines(want, 2);
}

Test(frame, the_sink_stops_reading)
{
    stop_after = 1;
    cr_assert_eq(frame_text("id,skip,b,c\n1,x,b,c\n2,x,b,c\n3,x,b,c\n", 0, '\n'), -1);
    cr_assert_eq(nrec, 1, "nothing reaches the sink after it said stop");
}

Test(frame, too_many_header_columns)
{
    strbuf h = STRBUF_INIT;
    for (int i = 0; i <= TABLE_MAX_COLUMNS; i++)
        strbuf_printf(&h, "%sc%d", i ? "," : "", i);
    strbuf_putc(&h, '\n');
    frame *fr = frame_new("t.csv", D);
    cr_assert_eq(frame_feed(fr, h.s, h.len, '\n'), -1);
    cr_assert(!frame_header_done(fr));
    frame_free(&fr);
    strbuf_free(&h);
    cr_assert_eq(diag_count(D), 1);
    const diag_entry *e = diag_get(D, 0);
    cr_assert_eq(e->line, 1);
    cr_assert_eq(e->column, TABLE_MAX_COLUMNS + 1);
    cr_assert(strstr(e->message, "too many columns"), "%s", e->message);
}

Test(frame, a_field_too_long_names_where_its_record_began)
{
    frame *fr = frame_new("t.csv", D);
    cr_assert_eq(frame_feed(fr, "id,skip,b,c\n", 12, '\n'), 0);
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    cr_assert_eq(frame_feed(fr, "1,x,b,c\n2,x,\"", 13, '\n'), 0);
    static char chunk[64 * 1024];
    memset(chunk, 'y', sizeof chunk);
    chunk[100] = '\n'; /* the quote goes on over lines */
    int r = 0;
    for (int i = 0; r == 0 && i < TABLE_MAX_FIELD / (int)sizeof chunk + 2; i++)
        r = frame_feed(fr, chunk, sizeof chunk, '\n');
    cr_assert_eq(r, -1);
    frame_free(&fr);
    cr_assert_eq(nrec, 1);
    cr_assert_eq(diag_count(D), 1);
    const diag_entry *e = diag_get(D, 0);
    cr_assert_eq(e->line, 3, "the record began on line 3, not %ld", e->line);
    cr_assert_eq(e->column, 3);
    cr_assert(strstr(e->message, "field too long"), "%s", e->message);
}

/* ---------- title rows and delimiters (issue 17) ---------- */

/* Feeds line pieces until a record is read as the header. */
static void feed_header(frame *fr, const char *text, size_t *i)
{
    size_t n = strlen(text);
    while (!frame_header_done(fr) && *i < n) {
        size_t nl = strcspn(text + *i, "\r\n");
        size_t take = *i + nl < n ? nl + 1 : n - *i;
        cr_assert_eq(frame_feed(fr, text + *i, take, '\n'), 0);
        *i += take;
    }
}

Test(frame, next_header_skips_title_rows)
{
    static const char text[] = "Title of the form,,,\r\n"
                               "\r\n"
                               "By: office\r\n"
                               "id,skip,b,c\r\n"
                               "1,x,b1,c1\r\n";
    frame *fr = frame_new("t.csv", D);
    size_t i = 0;
    feed_header(fr, text, &i);
    cr_assert_eq(frame_header_line(fr), 1);
    cr_assert_eq(frame_columns(fr), 4);
    cr_assert_str_eq(frame_column_name(fr, 0), "Title of the form");
    frame_next_header(fr);
    feed_header(fr, text, &i);
    cr_assert_eq(frame_header_line(fr), 3, "a blank line is no record");
    cr_assert_eq(frame_columns(fr), 1);
    cr_assert_str_eq(frame_column_name(fr, 0), "By: office");
    frame_next_header(fr);
    feed_header(fr, text, &i);
    cr_assert_eq(frame_header_line(fr), 4);
    cr_assert_eq(frame_columns(fr), 4);
    cr_assert_str_eq(frame_column_name(fr, 3), "c");
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    cr_assert_eq(frame_feed(fr, text + i, strlen(text) - i, '\n'), 0);
    cr_assert_eq(frame_finish(fr), 0);
    frame_free(&fr);
    static const long want[] = {5};
    expect_lines(want, 1);
    cr_assert_str_eq(recs[0].cell[1], "b1");
}

Test(frame, a_quoted_title_spanning_lines)
{
    static const char text[] = "\"a title\non two lines\"\nid,skip,b,c\n1,x,b1,c1\n";
    frame *fr = frame_new("t.csv", D);
    size_t i = 0;
    feed_header(fr, text, &i);
    cr_assert_eq(frame_header_line(fr), 1);
    frame_next_header(fr);
    feed_header(fr, text, &i);
    cr_assert_eq(frame_header_line(fr), 3);
    frame_keep_columns(fr, COLS, NSLOTS);
    frame_set_sink(fr, sink, NULL, slots());
    cr_assert_eq(frame_feed(fr, text + i, strlen(text) - i, '\n'), 0);
    cr_assert_eq(frame_finish(fr), 0);
    frame_free(&fr);
    static const long want[] = {4};
    expect_lines(want, 1);
}

Test(frame, tab_and_semicolon_delimiters)
{
    static const char *const texts[] = {"id\tskip\tb\tc\n1\tx,y\tb1\tc1\n", "id;skip;b;c\n1;x,y;b1;c1\n"};
    static const char delims[] = {'\t', ';'};
    for (int k = 0; k < 2; k++) {
        nrec = 0;
        frame *fr = frame_new("t.csv", D);
        cr_assert_eq(frame_delim(fr), ',');
        cr_assert(frame_between_records(fr));
        frame_set_delim(fr, delims[k]);
        size_t i = 0;
        feed_header(fr, texts[k], &i);
        cr_assert_eq(frame_columns(fr), 4);
        cr_assert_str_eq(frame_column_name(fr, 2), "b");
        frame_keep_columns(fr, COLS, NSLOTS);
        frame_set_sink(fr, sink, NULL, slots());
        cr_assert_eq(frame_feed(fr, texts[k] + i, strlen(texts[k]) - i, '\n'), 0);
        cr_assert_eq(frame_finish(fr), 0);
        frame_free(&fr);
        cr_assert_eq(nrec, 1);
        cr_assert_eq(recs[0].r.fields, 4, "a comma is text in a %s-separated file", k ? "semicolon" : "tab");
        cr_assert_str_eq(recs[0].cell[2], "c1");
    }
}
