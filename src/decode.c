/*
 * decode.c - raw bytes -> UTF-8 (see decode.h).
 *
 * Raw bytes come from the reader in RAW_CHUNK blocks into raw[], already
 * hashed. UTF-8 is validated and handed out as it is; GB18030 goes through
 * iconv into dec[]. With --encoding auto the first block decides: a large
 * file cannot wait for its end, so a later byte that contradicts the
 * decision stops the read with an error rather than being misread.
 *
 * Invariants: raw[raw_pos, raw_len) are the bytes not yet handed out; an
 * incomplete GB18030 sequence stays there for the next block, an
 * incomplete UTF-8 one is carried in u8. A fault found after good bytes
 * waits in `fault` until they have been framed, so that its message names
 * the line after them; after a fault or an error, `failed` stays set.
 */
#include "decode.h"
#include "mem.h"
#include "reader.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RAW_CHUNK = 1 << 20 };

/* A UTF-8 sequence being validated across calls. */
typedef struct utf8_state {
    int need;                 /* continuation bytes still expected */
    unsigned cp;              /* code point being assembled (overlong/surrogate checks) */
    int len;                  /* length of the sequence */
} utf8_state;

typedef enum { FAULT_NONE, FAULT_UTF8, FAULT_GB18030 } fault_kind;

/* What the piece finders below come back with. */
typedef enum { GOT_PIECE, AT_END, FAILED } step;

struct decoder {
    const char *path;
    diag_list *d;
    reader *rd;
    unsigned long long size;  /* of the file, for progress */
    table_encoding want;      /* --encoding */
    table_encoding enc;       /* as decided */
    const char *label;        /* NULL until decided */
    iconv_t cd;
    unsigned char *raw;
    size_t raw_len;
    size_t raw_pos;
    char *dec;                /* iconv output */
    size_t dec_cap;
    utf8_state u8;
    int eof;
    char eol;
    fault_kind fault;         /* found, reported by the next decode_next */
    unsigned char fault_byte;
    int failed;               /* reading has stopped */
};

decoder *decode_open(const char *path, table_encoding want, diag_list *d)
{
    decoder *dc = mem_calloc(1, sizeof *dc);
    if (!dc) {
        diag_oom(d);
        return NULL;
    }
    dc->path = path;
    dc->d = d;
    dc->want = want;
    dc->cd = (iconv_t)-1;
    dc->eol = '\n';
    dc->raw = mem_alloc(RAW_CHUNK);
    if (!dc->raw) {
        diag_oom(d);
        decode_close(&dc);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", diag_tr(d, strerror(errno)));
        decode_close(&dc);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "is a directory, not a CSV file");
            fclose(f);
            decode_close(&dc);
            return NULL;
        }
        if (S_ISREG(st.st_mode))
            dc->size = (unsigned long long)st.st_size;
    }
    /* an Excel workbook given as a table: say so, not "invalid byte"
     * (a regular file only, read with pread: the stream is untouched) */
    unsigned char magic[8];
    if (dc->size >= sizeof magic && pread(fileno(f), magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
        (!memcmp(magic, "PK\x03\x04", 4) || !memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 magic[0] == 'P' ? "is an Excel workbook (.xlsx, a zip archive), not a CSV file: in Excel choose Save As, CSV UTF-8, and give that file"
                                 : "is an Excel 97-2003 workbook (.xls), not a CSV file: in Excel choose Save As, CSV UTF-8, and give that file");
        fclose(f);
        decode_close(&dc);
        return NULL;
    }
    dc->rd = reader_open(f);
    if (!dc->rd) {
        diag_oom(d);
        fclose(f); /* reader_open leaves it to us when it fails */
        decode_close(&dc);
        return NULL;
    }
    return dc;
}

void decode_set_diag(decoder *dc, diag_list *d) { dc->d = d; }
char decode_eol(const decoder *dc) { return dc->eol; }
const char *decode_encoding(const decoder *dc) { return dc->label; }
unsigned long long decode_offset(const decoder *dc) { return reader_offset(dc->rd); }
unsigned long long decode_size(const decoder *dc) { return dc->size; }

_Static_assert(sizeof(unsigned long long) == 8, "utf8_check's fast path reads 8 bytes at a time");

/* Validates UTF-8 in s[0..n), carrying an incomplete sequence over to the
 * next call in *u. Returns the offset of the first invalid byte, or n. */
static size_t utf8_check(utf8_state *u, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (u->need == 0) {
            /* fast path: 8 ASCII bytes at a time */
            while (i + 8 <= n) {
                unsigned long long w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
            unsigned char c = s[i];
            if (c < 0x80) {
                i++;
                continue;
            }
            if (c >= 0xC2 && c <= 0xDF) { u->need = 1; u->cp = c & 0x1F; }
            else if (c >= 0xE0 && c <= 0xEF) { u->need = 2; u->cp = c & 0x0F; }
            else if (c >= 0xF0 && c <= 0xF4) { u->need = 3; u->cp = c & 0x07; }
            else return i;
            u->len = u->need + 1;
            i++;
        } else {
            unsigned char c = s[i];
            if ((c & 0xC0) != 0x80)
                return i;
            u->cp = (u->cp << 6) | (c & 0x3F);
            if (--u->need == 0) {
                unsigned cp = u->cp;
                if ((u->len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                    (u->len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
                    return i;
            }
            i++;
        }
    }
    return n;
}

/* Reads the next raw block. Returns bytes read, 0 at end of file, -1 on error. */
static long read_block(decoder *dc, decode_where at)
{
    size_t keep = dc->raw_len - dc->raw_pos;
    if (keep && dc->raw_pos)
        memmove(dc->raw, dc->raw + dc->raw_pos, keep);
    dc->raw_len = keep;
    dc->raw_pos = 0;
    int err = 0;
    long got = reader_read(dc->rd, dc->raw + keep, RAW_CHUNK - keep, &err);
    if (got < 0) {
        diag_add(dc->d, DIAG_ERROR, dc->path, at.line, 0, "cannot read: %s", diag_tr(dc->d, strerror(err)));
        return -1;
    }
    dc->raw_len += (size_t)got;
    return (long)got;
}

/* 1 when s[0..n) reads as GB18030 (an incomplete sequence at the end is
 * allowed unless the file ends there). */
static int reads_as_gb18030(const decoder *dc, const unsigned char *s, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    int ok = 0;
    if (cd != (iconv_t)-1) {
        size_t cap = n * 2 + 16;
        char *out = mem_alloc(cap);
        if (out) {
            char *ip = (char *)s, *op = out;
            size_t il = n, ol = cap;
            size_t r = iconv(cd, &ip, &il, &op, &ol);
            ok = r != (size_t)-1 || (errno == EINVAL && !dc->eof);
            mem_free(out);
        }
        iconv_close(cd);
    }
    return ok;
}

/* Decides the encoding from the first block. Returns 0, or -1 after a
 * diagnostic. */
static int decide_encoding(decoder *dc)
{
    const unsigned char *s = dc->raw;
    size_t n = dc->raw_len;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        diag_add(dc->d, DIAG_ERROR, dc->path, 1, 0, "the file is UTF-16; save it as CSV in UTF-8 or GB18030");
        return -1;
    }
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        dc->raw_pos = 3;
        if (dc->want == ENC_GB18030) {
            diag_add(dc->d, DIAG_ERROR, dc->path, 1, 0,
                     "--encoding gb18030 was given, but the file starts with a UTF-8 byte order mark");
            return -1;
        }
        dc->enc = ENC_UTF8;
        dc->label = "utf-8 (BOM)";
        return 0;
    }
    if (dc->want != ENC_AUTO) {
        dc->enc = dc->want;
    } else {
        utf8_state probe = {0, 0, 0};
        size_t bad = utf8_check(&probe, s, n);
        if (bad == n) {
            dc->enc = ENC_UTF8;
        } else if (reads_as_gb18030(dc, s, n)) {
            dc->enc = ENC_GB18030;
            diag_add(dc->d, DIAG_NOTE, dc->path, 0, 0, "not valid UTF-8; reading it as GB18030");
        } else {
            long line = 1;
            for (size_t i = 0; i < bad; i++)
                line += s[i] == '\n';
            diag_add(dc->d, DIAG_ERROR, dc->path, line, 0,
                     "the file is neither UTF-8 nor GB18030 (invalid byte 0x%02x); save it as CSV in UTF-8", s[bad]);
            return -1;
        }
    }
    dc->label = dc->enc == ENC_UTF8 ? "utf-8" : "gb18030";
    if (dc->enc == ENC_GB18030) {
        dc->cd = iconv_open("UTF-8", "GB18030");
        if (dc->cd == (iconv_t)-1) {
            diag_add(dc->d, DIAG_ERROR, dc->path, 0, 0, "this system's iconv cannot convert GB18030");
            return -1;
        }
    }
    return 0;
}

/* Reads the next block and decides the encoding on the first one.
 * Returns 0, or -1 after a diagnostic. */
static int next_block(decoder *dc, decode_where at)
{
    long got = read_block(dc, at);
    if (got < 0)
        return -1;
    if (got == 0)
        dc->eof = 1;
    if (!dc->label && dc->raw_len) {
        if (decide_encoding(dc))
            return -1;
        /* a file without any LF in its first block but with CRs has
         * CR-only line ends (old spreadsheet exports) */
        if (!memchr(dc->raw, '\n', dc->raw_len) && memchr(dc->raw, '\r', dc->raw_len))
            dc->eol = '\r';
    }
    return 0;
}

/* Reports the fault found by consume, at the framer's position. */
static int report_fault(decoder *dc, decode_where at)
{
    if (dc->fault == FAULT_UTF8)
        diag_add(dc->d, DIAG_ERROR, dc->path, at.line, 0,
                 dc->want == ENC_AUTO
                     ? "invalid UTF-8 (byte 0x%02x); reading stopped, rows from line %ld on are not checked (the "
                       "file was read as UTF-8 from its first block: if it is GB18030, give --encoding gb18030)"
                     : "invalid UTF-8 (byte 0x%02x); reading stopped, rows from line %ld on are not checked (if "
                       "the file is GB18030, give --encoding gb18030)",
                 dc->fault_byte, at.line);
    else
        diag_add(dc->d, DIAG_ERROR, dc->path, at.line, 0,
                 dc->want == ENC_AUTO
                     ? "invalid GB18030 byte sequence (byte 0x%02x); reading stopped, rows from line %ld on are not "
                       "checked (the file was read as GB18030 from its first block)"
                     : "invalid GB18030 byte sequence (byte 0x%02x); reading stopped, rows from line %ld on are not "
                       "checked",
                 dc->fault_byte, at.record_line);
    dc->fault = FAULT_NONE;
    dc->failed = 1;
    return -1;
}

/* Decodes raw[raw_pos, raw_pos + len) into the piece *s, *n. An incomplete
 * multi-byte sequence at the end stays for the next block unless final.
 * A fault leaves the good bytes before it in the piece and is recorded
 * for report_fault. Returns 0, or -1 when memory ran out. */
static int consume(decoder *dc, size_t len, int final, const char **s, size_t *n)
{
    const unsigned char *in = dc->raw + dc->raw_pos;
    if (dc->enc == ENC_UTF8) {
        size_t bad = utf8_check(&dc->u8, in, len);
        if (bad != len || (final && dc->u8.need)) {
            /* the rows before the fault are checked: the piece ends at the
             * last line end before it, and reading stops there */
            size_t ok = bad;
            while (ok > 0 && in[ok - 1] != (unsigned char)dc->eol)
                ok--;
            dc->fault = FAULT_UTF8;
            dc->fault_byte = in[bad == len ? len - 1 : bad];
            *s = (const char *)in;
            *n = ok;
            return 0;
        }
        dc->raw_pos += len;
        *s = (const char *)in;
        *n = len;
        return 0;
    }
    if (mem_grow(&dc->dec, &dc->dec_cap, len * 2 + 16, 1)) {
        diag_oom(dc->d);
        dc->failed = 1;
        return -1;
    }
    char *ip = (char *)in, *op = dc->dec;
    size_t il = len, ol = dc->dec_cap;
    size_t r = iconv(dc->cd, &ip, &il, &op, &ol);
    int err = r == (size_t)-1 ? errno : 0;
    dc->raw_pos += len - il;
    *s = dc->dec;
    *n = (size_t)(op - dc->dec);
    /* EINVAL means the input ends inside a sequence; with a line end among
     * the bytes left it cannot be the start of a character cut by a block
     * boundary, so it is invalid (and would otherwise be offered again
     * for ever) */
    if (err == EINVAL && (memchr(ip, '\n', il) || memchr(ip, '\r', il)))
        err = EILSEQ;
    if (err == EILSEQ || (err == EINVAL && final)) {
        dc->fault = FAULT_GB18030;
        dc->fault_byte = dc->raw[dc->raw_pos];
    }
    return 0;
}

/* DECODE_LINE: the raw bytes up to the first CR or LF (libcsv ends a
 * record at either), or a full block, or what is left at end of file. */
static step next_line_piece(decoder *dc, decode_where at, const char **s, size_t *n)
{
    for (;;) {
        size_t avail = dc->raw_len - dc->raw_pos;
        const unsigned char *in = dc->raw + dc->raw_pos;
        const unsigned char *cr = avail ? memchr(in, '\r', avail) : NULL;
        const unsigned char *lf = avail ? memchr(in, '\n', avail) : NULL;
        const unsigned char *end = cr && (!lf || cr < lf) ? cr : lf;
        if (end)
            return consume(dc, (size_t)(end - in) + 1, 0, s, n) ? FAILED : GOT_PIECE;
        if (avail && (dc->eof || dc->raw_len == RAW_CHUNK))
            return consume(dc, avail, dc->eof, s, n) ? FAILED : GOT_PIECE;
        if (dc->eof)
            return AT_END;
        if (next_block(dc, at))
            return FAILED;
    }
}

/* DECODE_ALL: whatever is buffered, reading a block when nothing is. */
static step next_piece(decoder *dc, decode_where at, const char **s, size_t *n)
{
    for (;;) {
        if (dc->raw_pos < dc->raw_len) {
            if (consume(dc, dc->raw_len - dc->raw_pos, dc->eof, s, n))
                return FAILED;
            if (*n || dc->fault)
                return GOT_PIECE;
            /* only the start of a GB18030 sequence is left: read on */
        }
        if (dc->eof)
            return AT_END;
        if (next_block(dc, at))
            return FAILED;
    }
}

int decode_next(decoder *dc, decode_mode mode, decode_where at, const char **s, size_t *n)
{
    if (dc->failed)
        return -1;
    if (dc->fault)
        return report_fault(dc, at);
    *s = NULL;
    *n = 0;
    step r = FAILED;
    switch (mode) {
    case DECODE_LINE:
        r = next_line_piece(dc, at, s, n);
        break;
    case DECODE_ALL:
        r = next_piece(dc, at, s, n);
        break;
    }
    switch (r) {
    case FAILED:
        dc->failed = 1;
        return -1;
    case AT_END:
        return 0;
    case GOT_PIECE:
        break;
    }
    if (dc->fault && *n == 0)
        return report_fault(dc, at); /* nothing good before it */
    return 1;
}

int decode_end(decoder *dc, decode_where at)
{
    if (dc->enc == ENC_UTF8 && dc->u8.need) {
        diag_add(dc->d, DIAG_ERROR, dc->path, at.line, 0,
                 "the file ends inside a UTF-8 character (is it cut short?); the record from line %ld on is not checked",
                 at.record_line);
        dc->failed = 1;
        return -1;
    }
    return 0;
}

int decode_finish(decoder *dc, char sha256[65], long line, int quiet)
{
    int err = 0;
    if (reader_finish(dc->rd, sha256, &err) == 0)
        return 0;
    if (!quiet)
        diag_add(dc->d, DIAG_ERROR, dc->path, line, 0, "cannot read: %s", diag_tr(dc->d, strerror(err)));
    return -1;
}

void decode_close(decoder **dcp)
{
    if (!dcp || !*dcp)
        return;
    decoder *dc = *dcp;
    if (dc->cd != (iconv_t)-1)
        iconv_close(dc->cd);
    reader_close(&dc->rd);
    mem_free(dc->raw);
    mem_free(dc->dec);
    mem_free(dc);
    *dcp = NULL;
}
