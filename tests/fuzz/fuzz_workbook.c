/*
 * fuzz_workbook.c - libFuzzer target: an .xlsx workbook -> book_open /
 * book_next (line and block pieces) -> and as the household table of
 * rules/gansu (loaded once): table_open / table_read.
 *
 * Two kinds of input. One that starts with "PK" is written as the
 * workbook file itself: hostile zip archives (bad directories, sizes that
 * lie, bombs) reach libzip and the limits. Any other input is the XML of
 * the parts, separated by lines "#%%": the sheet, then optionally the
 * shared strings, the styles and the workbook part; the harness wraps
 * them in a well-formed zip (deflated, or stored for one input in two),
 * with the package relationships of a workbook, so that the fuzzer's
 * mutations reach the XML walks (DOCTYPEs, entities, nesting, cells, rows,
 * numbers and dates) instead of stopping at a CRC.
 *
 * Checked besides crashes, leaks and UB (book.h, table.h): a failed
 * open left an error; book_next returns -1 only with an error; every
 * piece is valid UTF-8, non-empty, and in line mode ends at its first line
 * end; the line ends handed out are at most Excel's rows; the SHA-256 is
 * 64 hex digits; reading the same sheet as a table, rows_read = rows
 * delivered + rows_rejected, and a failed open or read left an error.
 */
#include "diag.h"
#include "rules.h"
#include "strbuf.h"
#include "table.h"
#include "book.h"

#include "fuzz_util.h"

#include <zip.h>

static ruleset *gansu;
static int household = -1;

static const char *RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
static const char *BOOK_RELS =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char *BOOK =
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"户\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4400];
    snprintf(path, sizeof path, "%s/rules/gansu", fuzz_srcdir());
    diag_list *d = diag_new();
    gansu = d ? rules_load(path, d) : NULL;
    if (!gansu) {
        fprintf(stderr, "fuzz_workbook: cannot load %s\n", path);
        exit(1);
    }
    diag_free(&d);
    household = rules_find_level(gansu, "household");
    if (household < 0) {
        fprintf(stderr, "fuzz_workbook: the Gansu pack has no level household\n");
        exit(1);
    }
    fuzz_scratch();
    return 0;
}

/* Wraps the parts of data (see above) in a zip at path. */
static void build_zip(const uint8_t *data, size_t size, const char *path)
{
    static const char *const names[4] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                                         "xl/workbook.xml"};
    const char *part[4] = {NULL, NULL, NULL, BOOK};
    size_t len[4] = {0, 0, 0, strlen(BOOK)};
    const char *s = (const char *)data, *end = s + size;
    for (int k = 0; k < 4 && s <= end; k++) {
        const char *sep = NULL;
        for (const char *p = s; p + 5 <= end && !sep; p++)
            if (!memcmp(p, "\n#%%\n", 5))
                sep = p;
        part[k] = s;
        len[k] = (size_t)((sep ? sep : end) - s);
        s = sep ? sep + 5 : end + 1;
    }
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    FUZZ_CHECK(za != NULL, "cannot create %s", path);
    const char *fixed[2][2] = {{"_rels/.rels", RELS}, {"xl/_rels/workbook.xml.rels", BOOK_RELS}};
    for (int k = 0; k < 6; k++) {
        const char *name = k < 2 ? fixed[k][0] : names[k - 2];
        const char *body = k < 2 ? fixed[k][1] : part[k - 2];
        size_t n = k < 2 ? strlen(body) : len[k - 2];
        if (!body)
            continue;
        zip_source_t *src = zip_source_buffer(za, body, n, 0);
        FUZZ_CHECK(src != NULL, "zip_source_buffer");
        zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
        FUZZ_CHECK(idx >= 0, "zip_file_add %s", name);
        if (size & 1)
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
    }
    FUZZ_CHECK(zip_close(za) == 0, "zip_close: %s", zip_strerror(za));
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

static void read_sheet(const char *path, int line_mode)
{
    diag_list *d = diag_new();
    if (!d)
        return;
    const char *prefer[] = {"household", "户"};
    book *wb = book_open(path, NULL, prefer, 2, d);
    if (!wb) {
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "book_open failed without an error");
        fuzz_format_diags(d);
        diag_free(&d);
        return;
    }
    diag_set_sheet(d, path, book_sheet(wb));
    const char *s;
    size_t n;
    int r;
    long lines = 0;
    while ((r = book_next(wb, line_mode, &s, &n)) > 0) {
        FUZZ_CHECK(n > 0, "an empty piece");
        FUZZ_CHECK(valid_utf8((const unsigned char *)s, n), "a piece that is not UTF-8");
        const char *nl = memchr(s, '\n', n);
        if (line_mode)
            FUZZ_CHECK(!nl || nl == s + n - 1, "a line piece goes on after its line end");
        for (size_t i = 0; i < n; i++)
            lines += s[i] == '\n';
    }
    FUZZ_CHECK(r == 0 || r == -1, "book_next returned %d", r);
    if (r < 0)
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "book_next stopped without an error");
    FUZZ_CHECK(lines <= WORKBOOK_MAX_ROWS, "%ld lines", lines);
    char sha[65];
    book_finish(wb, sha);
    FUZZ_CHECK(strlen(sha) == 64, "SHA-256 '%s'", sha);
    book_close(&wb);
    fuzz_format_diags(d);
    diag_free(&d);
}

static int count_row(void *ctx, const table_row *row)
{
    (void)row;
    ++*(long *)ctx;
    return 0;
}

static void read_table(const char *path)
{
    diag_list *d = diag_new();
    if (!d)
        return;
    table_opts opts = {.encoding = ENC_AUTO, .partial = 1, .threads = 1};
    table *t = table_open(path, rules_level(gansu, (size_t)household), &opts, d);
    if (!t) {
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "table_open failed without an error");
        diag_free(&d);
        return;
    }
    long delivered = 0;
    int rc = table_read(t, count_row, &delivered);
    const table_stats *st = table_get_stats(t);
    if (rc)
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "table_read failed without an error");
    if (!diag_out_of_memory(d))
        FUZZ_CHECK(st->rows_read == delivered + st->rows_rejected, "rows_read %ld, delivered %ld, rejected %ld",
                   st->rows_read, delivered, st->rows_rejected);
    table_close(&t);
    fuzz_format_diags(d);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4400];
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzz_write("book.xlsx", data, size, path, sizeof path);
    } else {
        snprintf(path, sizeof path, "%s/book.xlsx", fuzz_scratch());
        fuzz_write("book.xlsx", "", 0, path, sizeof path);
        build_zip(data, size, path);
    }
    read_sheet(path, (size & 2) != 0);
    read_table(path);
    return 0;
}
