/*
 * test_workbook.c - the workbook reader (src/book.h): a sheet's cells
 * come out as Excel shows them (numbers, shared and inline strings, rich
 * text, booleans, errors, formulas' cached values, dates in both date
 * systems), rows and columns keep their sheet positions, the sheet is
 * chosen as documented, and hostile parts (DOCTYPEs, entities, bombs,
 * rows out of order) are refused with a message.
 *
 * The workbooks are assembled here with libzip from literal XML, so each
 * case states exactly what the file holds; tests/xlsx_same.py reads
 * workbooks made by an independent writer (openpyxl).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include "diag.h"
#include "strbuf.h"
#include "book.h"

static char path[64];

static const char *RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";

static const char *BOOK_RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

static const char *BOOK =
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"户\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char *STYLES =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"22\"/>"
    "<xf numFmtId=\"4\"/></cellXfs></styleSheet>";

static const char *SST =
    "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>户主</t></si>"
    "<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh></si>"
    "<si><t xml:space=\"preserve\">a, \"b\"_x000D_\nc</t></si>"
    "</sst>";

static const char *NOTE_SHEET =
    "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a note</t></is></c></row></sheetData></worksheet>";

#define SHEET_HEAD "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

typedef struct part {
    const char *name, *xml;
} part;

/* Writes a workbook of the standard parts, with sheet2 (户) = sheet and
 * any part replaced or added by extra. */
static void make_book(const char *sheet, const part *extra, size_t nextra)
{
    strcpy(path, "/tmp/exitcheck-wb-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    cr_assert(za);
    part parts[] = {{"_rels/.rels", RELS},           {"xl/_rels/workbook.xml.rels", BOOK_RELS},
                    {"xl/workbook.xml", BOOK},        {"xl/styles.xml", STYLES},
                    {"xl/sharedStrings.xml", SST},    {"xl/worksheets/sheet1.xml", NOTE_SHEET},
                    {"xl/worksheets/sheet2.xml", sheet}};
    size_t np = sizeof parts / sizeof parts[0];
    for (size_t i = 0; i < np + nextra; i++) {
        const part *p = i < np ? &parts[i] : &extra[i - np];
        int replaced = 0;
        for (size_t k = 0; i < np && k < nextra; k++)
            replaced |= !strcmp(extra[k].name, p->name);
        if (replaced || !p->xml)
            continue;
        zip_source_t *src = zip_source_buffer(za, p->xml, strlen(p->xml), 0);
        cr_assert(src);
        cr_assert(zip_file_add(za, p->name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) >= 0);
    }
    cr_assert(zip_close(za) == 0);
}

/* Reads the chosen sheet whole (line pieces if line) into out; returns
 * book_next's last result, or -2 when the workbook did not open. */
static int read_all(const char *sheet, int line, strbuf *out, diag_list *d)
{
    const char *prefer[] = {"household", "户"};
    book *wb = book_open(path, sheet, prefer, 2, d);
    if (!wb)
        return -2;
    const char *s;
    size_t n;
    int r;
    while ((r = book_next(wb, line, &s, &n)) > 0) {
        if (line)
            cr_assert(memchr(s, '\n', n) == NULL || memchr(s, '\n', n) == s + n - 1, "a line piece ends at its line end");
        strbuf_add(out, s, n);
    }
    char sha[65];
    book_finish(wb, sha);
    cr_assert_eq(strlen(sha), 64);
    book_close(&wb);
    return r;
}

static int has_message(const diag_list *d, const char *want)
{
    for (size_t i = 0; i < diag_count(d); i++)
        if (strstr(diag_get(d, i)->message, want))
            return 1;
    return 0;
}

static void expect_sheet(const char *sheet_xml, const char *want)
{
    make_book(sheet_xml, NULL, 0);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 0, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), want);
    cr_assert_eq(diag_errors(d), 0);
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, numbers_as_excel_shows_them)
{
    expect_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>96.299999999999997</v></c><c r=\"B1\"><v>621123001</v></c>"
                            "<c r=\"C1\"><v>6.21123001E8</v></c><c r=\"D1\"><v>6211230010010001</v></c>"
                            "<c r=\"E1\"><v>1E-3</v></c><c r=\"F1\"><v>-0</v></c><c r=\"G1\" s=\"4\"><v>2952.5</v></c>"
                            "<c r=\"H1\"><v>0.1</v></c></row>" SHEET_TAIL,
                 "96.3,621123001,621123001,6211230010010001,0.001,0,2952.5,0.1\n");
}

Test(workbook, strings_shared_inline_rich_and_escaped)
{
    expect_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                            "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><r><t>李</t></r><r><t>四</t></r>"
                            "<rPh><t>li</t></rPh></is></c><c r=\"E1\" t=\"str\"><f>A1&amp;\"\"</f><v>户主</v></c></row>" SHEET_TAIL,
                 "户主,张三,\"a, \"\"b\"\"  c\",李四,户主\n");
}

Test(workbook, booleans_errors_and_formulas)
{
    expect_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"b\"><v>1</v></c><c r=\"B1\" t=\"b\"><v>0</v></c>"
                            "<c r=\"C1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"D1\"><f>1+2</f><v>3</v></c>"
                            "<c r=\"E1\"><f>NOW()</f></c></row>" SHEET_TAIL,
                 "true,false,#DIV/0!,3\n");
}

Test(workbook, dates_in_the_1900_system)
{
    /* 42735 = 2016-12-31; 59, 60, 61 around Excel's false 1900-02-29;
     * a custom Chinese date format; a date and time (format 22) */
    expect_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>42735</v></c><c r=\"B1\" s=\"1\"><v>59</v></c>"
                            "<c r=\"C1\" s=\"1\"><v>60</v></c><c r=\"D1\" s=\"1\"><v>61</v></c><c r=\"E1\" s=\"2\"><v>1</v></c>"
                            "<c r=\"F1\" s=\"3\"><v>42735.5</v></c><c r=\"G1\" s=\"1\"><v>-1</v></c>"
                            "<c r=\"H1\"><v>42735</v></c></row>" SHEET_TAIL,
                 "2016-12-31,1900-02-28,1900-02-29,1900-03-01,1900-01-01,2016-12-31 12:00:00,-1,42735\n");
}

Test(workbook, dates_in_the_1904_system)
{
    const char *book1904 =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"户\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
    part extra[] = {{"xl/workbook.xml", book1904}};
    make_book(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>41273</v></c></row>" SHEET_TAIL,
              extra, 1);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 0, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), "1904-01-01,2016-12-31\n");
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, rows_and_columns_keep_their_places)
{
    /* row 2 left out, row 3 empty, cells from column B, a styled empty
     * cell at the end, no r on the last cell */
    expect_sheet(SHEET_HEAD "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>x</t></is></c><c r=\"D1\"><v>1</v></c>"
                            "<c r=\"F1\" s=\"1\"/></row><row r=\"3\"/><row r=\"4\"><c r=\"A4\"><v>2</v></c><c><v>3</v></c></row>"
                            "<row><c r=\"AA5\"><v>4</v></c></row>" SHEET_TAIL,
                 ",x,,1\n\n\n2,3\n,,,,,,,,,,,,,,,,,,,,,,,,,,4\n");
}

Test(workbook, line_pieces_end_at_line_ends)
{
    make_book(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"3\"><c r=\"A3\"><v>2</v></c></row>" SHEET_TAIL,
              NULL, 0);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 1, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), "1\n\n2\n");
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, the_sheet_chosen)
{
    make_book(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>7</v></c></row>" SHEET_TAIL, NULL, 0);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 0, &out, d), 0); /* named after the level, not the first */
    cr_assert_str_eq(strbuf_str(&out), "7\n");
    strbuf_reset(&out);
    cr_assert_eq(read_all("1", 0, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), "a note\n");
    strbuf_reset(&out);
    cr_assert_eq(read_all("说明", 0, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), "a note\n");
    cr_assert_eq(diag_errors(d), 0);
    cr_assert_eq(read_all("村", 0, &out, d), -2);
    cr_assert(has_message(d, "its sheets are: 说明, 户"));
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, hidden_sheets_are_not_the_default)
{
    const char *hidden_book =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"hidden\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/><sheet name=\"data\" sheetId=\"2\" r:id=\"rId2\"/>"
        "</sheets></workbook>";
    part extra[] = {{"xl/workbook.xml", hidden_book}};
    make_book(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>5</v></c></row>" SHEET_TAIL, extra, 1);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 0, &out, d), 0);
    cr_assert_str_eq(strbuf_str(&out), "5\n");
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, a_missing_shared_string_is_an_error_at_its_cell)
{
    make_book(SHEET_HEAD "<row r=\"17\"><c r=\"C17\" t=\"s\"><v>99</v></c><c r=\"D17\"><v>1</v></c></row>" SHEET_TAIL, NULL, 0);
    diag_list *d = diag_new();
    diag_set_sheet(d, path, "户");
    strbuf out = STRBUF_INIT;
    cr_assert_eq(read_all(NULL, 0, &out, d), 0);
    cr_assert_eq(diag_errors(d), 1);
    const diag_entry *e = diag_get(d, 0);
    cr_assert_eq(e->line, 17);
    cr_assert_eq(e->column, 3);
    strbuf where = STRBUF_INIT;
    diag_where(e, &where);
    strbuf want = STRBUF_INIT;
    strbuf_printf(&want, "%s:户!C17", path);
    cr_assert_str_eq(strbuf_str(&where), strbuf_str(&want));
    cr_assert_str_eq(strbuf_str(&out), "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n,,,1\n"); /* C17 read as empty */
    strbuf_free(&out);
    strbuf_free(&where);
    strbuf_free(&want);
    diag_free(&d);
    unlink(path);
}

static void expect_refused(const char *sheet_xml, const part *extra, size_t nextra, const char *msg)
{
    make_book(sheet_xml, extra, nextra);
    diag_list *d = diag_new();
    strbuf out = STRBUF_INIT;
    int r = read_all(NULL, 0, &out, d);
    cr_assert(r < 0, "refused: %s", msg);
    cr_assert(has_message(d, msg), "a message with '%s'", msg);
    strbuf_free(&out);
    diag_free(&d);
    unlink(path);
}

Test(workbook, doctypes_and_entities_are_refused)
{
    part sst[] = {{"xl/sharedStrings.xml",
                   "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                   "<sst><si><t>&x;</t></si></sst>"}};
    expect_refused(SHEET_HEAD SHEET_TAIL, sst, 1, "DOCTYPE");
    expect_refused("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                   "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
                   NULL, 0, "DOCTYPE");
}

Test(workbook, disorder_and_limits_are_refused)
{
    expect_refused(SHEET_HEAD "<row r=\"5\"/><row r=\"3\"/>" SHEET_TAIL, NULL, 0, "out of order");
    expect_refused(SHEET_HEAD "<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>1</v></c></row>" SHEET_TAIL, NULL, 0,
                   "out of order");
    expect_refused(SHEET_HEAD "<row r=\"1048577\"/>" SHEET_TAIL, NULL, 0, "beyond Excel's last");
    expect_refused(SHEET_HEAD "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" SHEET_TAIL, NULL, 0, "beyond Excel's last column");
    expect_refused(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</c></row>" SHEET_TAIL, NULL, 0, "not well-formed XML");
    strbuf deep = STRBUF_INIT;
    strbuf_puts(&deep, SHEET_HEAD);
    for (int i = 0; i < 100; i++)
        strbuf_puts(&deep, "<x>");
    for (int i = 0; i < 100; i++)
        strbuf_puts(&deep, "</x>");
    strbuf_puts(&deep, SHEET_TAIL);
    expect_refused(strbuf_str(&deep), NULL, 0, "nests elements deeper");
    strbuf_free(&deep);
}

Test(workbook, a_zip_bomb_is_refused)
{
    size_t n = 64u << 20; /* 64 MiB of spaces inflate from about 64 KiB */
    char *big = malloc(n + 200);
    cr_assert(big);
    strcpy(big, SHEET_HEAD);
    size_t h = strlen(big);
    memset(big + h, ' ', n);
    strcpy(big + h + n, SHEET_TAIL);
    expect_refused(big, NULL, 0, "zip bomb");
    free(big);
}

Test(workbook, not_a_workbook)
{
    strcpy(path, "/tmp/exitcheck-wb-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "PK\x03\x04garbage", 11), 11);
    close(fd);
    cr_assert_eq(book_sniff(path), BOOK_XLSX);
    diag_list *d = diag_new();
    cr_assert_null(book_open(path, NULL, NULL, 0, d));
    cr_assert(has_message(d, "cannot be read as an Excel workbook"));
    diag_free(&d);
    fd = open(path, O_WRONLY | O_TRUNC);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10), 10);
    close(fd);
    cr_assert_eq(book_sniff(path), BOOK_XLS);
    unlink(path);
    cr_assert_eq(book_sniff("/dev/null"), BOOK_NONE);
}
