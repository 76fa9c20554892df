/*
 * convert.c - header columns -> indicators, cells -> values (convert.h).
 *
 * Receives the header the framer read, then one record at a time with its
 * cells (copies of libcsv's fields: not NUL-terminated, addressed by
 * offset and length); produces the row's values, one per indicator. The
 * number grammar, booleans, missing markers and trimming are value.c's
 * (shared with the command line and the packs); here is which of them
 * each indicator's type takes, and the message when a cell does not fit;
 * and what Excel leaves in a file: error values (#N/A) read as missing
 * with a warning, '8000 read as 8000 with a note, years outside
 * 1900-2200 (an Excel date serial named as such), totals rows (合计)
 * skipped with their own reject reason, ids in E+ notation warned about.
 *
 * Invariants: only the indicators in conv[] (those the rules read) are
 * parsed, the others are set once and never change; a rejected record
 * gets one diagnostic, no per-cell noise. All of it runs on the thread
 * that calls table_read.
 */
#include "convert.h"
#include "mem.h"
#include "strbuf.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct convert {
    const rule_level *lv;
    const char *path;
    int partial;              /* --partial: needed columns may be missing */
    int short_ok;             /* a record may end before the header does (a workbook's row) */
    diag_list *d;
    table_stats *st;          /* the table's */
    int ncols;                /* header fields */
    int *col_ind;             /* header column -> indicator index or -1 */
    int *ind_col;             /* indicator -> header column or -1 */
    value *vals;
    int *conv;                /* the indicators convert_record parses, in order */
    size_t nconv;
    int vals_ready;           /* vals of the others are set (they never change) */
    const frame_record *rec;  /* the record being converted */
    strbuf names;             /* every indicator's names, normalised (prepare_names) */
    size_t *name_off;         /* name k: names.s + name_off[k] */
    const char **name_raw;    /* name k as the pack writes it */
    size_t *name_first;       /* indicator i's names: [name_first[i], name_first[i + 1]) */
    unsigned char *noted;     /* per indicator: the NOTED_ notes already given in this table */
    int *keep;                /* the framer's map: col_ind, and column 1 in slot nind when no
                                 indicator takes it (convert_column_slots) */
    int first_slot;           /* the slot of column 1's cell; -1 when not kept */
};

/* Notes and warnings given once per column and table (noted[]). */
enum { NOTED_APOSTROPHE = 1, NOTED_EXPONENT = 2 };

convert *convert_new(const rule_level *lv, const char *path, int partial, table_stats *st, diag_list *d)
{
    convert *cv = mem_calloc(1, sizeof *cv);
    if (!cv)
        return NULL;
    cv->lv = lv;
    cv->path = path;
    cv->partial = partial;
    cv->st = st;
    cv->d = d;
    size_t ni = lv->nind ? lv->nind : 1;
    cv->ind_col = mem_alloc(ni * sizeof(int));
    cv->vals = mem_calloc(ni, sizeof(value));
    cv->conv = mem_alloc(ni * sizeof(int));
    cv->noted = mem_calloc(ni, 1);
    cv->first_slot = -1;
    if (!cv->ind_col || !cv->vals || !cv->conv || !cv->noted) {
        convert_free(&cv);
        return NULL;
    }
    for (size_t i = 0; i < lv->nind; i++) {
        cv->ind_col[i] = -1;
        /* only what the rules read is converted (and checked) */
        if (lv->ind[i].required || lv->ind[i].used || (int)i == lv->name || (int)i == lv->claim)
            cv->conv[cv->nconv++] = (int)i;
    }
    return cv;
}

void convert_free(convert **cvp)
{
    if (!cvp || !*cvp)
        return;
    convert *cv = *cvp;
    mem_free(cv->col_ind);
    mem_free(cv->ind_col);
    mem_free(cv->vals);
    mem_free(cv->conv);
    mem_free(cv->noted);
    mem_free(cv->keep);
    strbuf_free(&cv->names);
    mem_free(cv->name_off);
    mem_free(cv->name_raw);
    mem_free(cv->name_first);
    mem_free(cv);
    *cvp = NULL;
}

const int *convert_column_slots(convert *cv)
{
    /* column 1's cell is kept too, in the slot after the indicators' when
     * no indicator takes it: a totals row may say 合计 only there */
    if (!cv->keep && cv->ncols > 0 && (cv->keep = mem_alloc((size_t)cv->ncols * sizeof(int))) != NULL) {
        memcpy(cv->keep, cv->col_ind, (size_t)cv->ncols * sizeof(int));
        if (cv->keep[0] < 0)
            cv->keep[0] = (int)cv->lv->nind;
        cv->first_slot = cv->keep[0];
    }
    return cv->keep ? cv->keep : cv->col_ind;
}
size_t convert_slots(const convert *cv) { return cv->lv->nind + 1; }
int convert_has_column(const convert *cv, size_t i) { return cv->ind_col[i] >= 0; }
long convert_column(const convert *cv, size_t i) { return cv->ind_col[i] + 1L; }

/* ---------- header ---------- */

/* Header cells are compared as written (trimmed) first, then normalised:
 * formatting forgiven, never meaning. Normalising drops whitespace
 * anywhere in the cell (ASCII, U+3000, U+00A0, the line breaks of
 * Alt+Enter) and one trailing unit suffix in brackets ("（%）", "(元)",
 * "[m²]"), and lowers ASCII letters. */
enum { NAME_MAX_BYTES = 256 };

static void cell_text(strbuf *out, const char *s, size_t n);

/* The length of a UTF-8 space at s (n bytes left), 0 when none. */
static size_t space_at(const unsigned char *s, size_t n)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f')
        return 1;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
        return 3;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 */
        return 2;
    return 0;
}

/* The length of a closing bracket ending s[0, n), 0 when none. */
static size_t closer_before(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ')' || s[n - 1] == ']'))
        return 1;
    if (n >= 3 && s[n - 3] == 0xEF && s[n - 2] == 0xBC && s[n - 1] == 0x89) /* ） */
        return 3;
    if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x91) /* 】 */
        return 3;
    return 0;
}

/* The length of an opening bracket at s (n bytes left), 0 when none. */
static size_t opener_at(const unsigned char *s, size_t n)
{
    if (*s == '(' || *s == '[')
        return 1;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x88) /* （ */
        return 3;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x90) /* 【 */
        return 3;
    return 0;
}

/* Writes the normalised name of s[0, n) to out (NAME_MAX_BYTES). */
static void normalise(const char *s, size_t n, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = 0;
    for (size_t i = 0; i < n && len + 1 < NAME_MAX_BYTES;) {
        size_t sp = space_at(u + i, n - i);
        if (sp) {
            i += sp;
            continue;
        }
        unsigned char c = u[i++];
        out[len++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    /* a trailing bracketed suffix, when something comes before it */
    const unsigned char *o = (const unsigned char *)out;
    size_t cl = closer_before(o, len);
    if (cl) {
        size_t open = 0, olen = 0;
        for (size_t i = 0; i + cl < len; i++) {
            size_t k = opener_at(o + i, len - i);
            if (k) {
                open = i;
                olen = k;
            }
        }
        if (olen && open > 0)
            len = open;
    }
    /* never cut a UTF-8 sequence (a name longer than the buffer) */
    while (len > 0 && len + 1 >= NAME_MAX_BYTES && ((unsigned char)out[len - 1] & 0xC0) == 0x80)
        len--;
    out[len] = '\0';
}

/* Every indicator's names (id, Chinese header, aliases) normalised, kept
 * once per converter: names.s + name_off[k] for k in [name_first[i],
 * name_first[i + 1]). */
static int prepare_names(convert *cv)
{
    const rule_level *lv = cv->lv;
    if (cv->name_first)
        return 0;
    size_t total = 0;
    for (size_t i = 0; i < lv->nind; i++)
        total += 2 + lv->ind[i].naliases;
    cv->name_first = mem_alloc((lv->nind + 1) * sizeof *cv->name_first);
    cv->name_off = mem_alloc((total ? total : 1) * sizeof *cv->name_off);
    cv->name_raw = mem_alloc((total ? total : 1) * sizeof *cv->name_raw);
    if (!cv->name_first || !cv->name_off || !cv->name_raw)
        return -1;
    size_t k = 0;
    char buf[NAME_MAX_BYTES];
    for (size_t i = 0; i < lv->nind; i++) {
        const rule_indicator *ind = &lv->ind[i];
        cv->name_first[i] = k;
        for (size_t a = 0; a < 2 + ind->naliases; a++) {
            const char *name = a == 0 ? ind->id : a == 1 ? ind->zh : ind->aliases[a - 2];
            if (!name)
                continue;
            normalise(name, strlen(name), buf);
            cv->name_raw[k] = name;
            cv->name_off[k++] = cv->names.len;
            strbuf_add(&cv->names, buf, strlen(buf) + 1);
        }
    }
    cv->name_first[lv->nind] = k;
    return cv->names.oom ? -1 : 0;
}

static int header_matches(const rule_indicator *ind, const char *name)
{
    if (strcasecmp(ind->id, name) == 0)
        return 1;
    if (ind->zh && strcmp(ind->zh, name) == 0)
        return 1;
    for (size_t i = 0; i < ind->naliases; i++)
        if (strcmp(ind->aliases[i], name) == 0)
            return 1;
    return 0;
}

/* The indicator a header cell names: as written (trimmed) first, then
 * normalised; -1 for none. raw is trimmed, norm its normalised form. */
static int match_column(const convert *cv, const char *raw, const char *norm)
{
    const rule_level *lv = cv->lv;
    if (!*raw)
        return -1;
    for (size_t i = 0; i < lv->nind; i++)
        if (header_matches(&lv->ind[i], raw))
            return (int)i;
    if (!*norm)
        return -1;
    for (size_t i = 0; i < lv->nind; i++)
        for (size_t k = cv->name_first[i]; k < cv->name_first[i + 1]; k++)
            if (!strcmp(cv->names.s + cv->name_off[k], norm))
                return (int)i;
    return -1;
}

/* Header cell c: trimmed into raw, normalised into norm (NAME_MAX_BYTES each). */
static void header_cell(const frame *fr, int c, char *raw, char *norm)
{
    const char *name = frame_column_name(fr, c);
    size_t n = strlen(name);
    value_trim(&name, &n);
    normalise(name, n, norm);
    if (n >= NAME_MAX_BYTES)
        n = NAME_MAX_BYTES - 1;
    memcpy(raw, name, n);
    raw[n] = '\0';
}

int convert_header_fits(convert *cv, const frame *fr)
{
    const rule_level *lv = cv->lv;
    if (prepare_names(cv)) {
        diag_oom(cv->d);
        return -1;
    }
    size_t nreq = 0, found = 0;
    int key = lv->key < 0;
    unsigned char *seen = mem_calloc(lv->nind ? lv->nind : 1, 1);
    if (!seen) {
        diag_oom(cv->d);
        return -1;
    }
    char raw[NAME_MAX_BYTES], norm[NAME_MAX_BYTES];
    for (int c = 0; c < frame_columns(fr); c++) {
        header_cell(fr, c, raw, norm);
        int i = match_column(cv, raw, norm);
        if (i >= 0)
            seen[i] = 1;
    }
    for (size_t i = 0; i < lv->nind; i++) {
        if (!lv->ind[i].required)
            continue;
        nreq++;
        found += seen[i];
    }
    if (lv->key >= 0)
        key = seen[lv->key];
    mem_free(seen);
    size_t need = nreq < 4 ? nreq : (nreq + 1) / 2;
    return key && found >= need;
}

/* The code points of a NUL-terminated UTF-8 name (at most cap). */
static size_t code_points(const char *s, unsigned *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && n < cap) {
        unsigned c = *u++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (more)
            c &= 0x3Fu >> more;
        for (; more && (*u & 0xC0) == 0x80; more--)
            c = c << 6 | (*u++ & 0x3F);
        out[n++] = c;
    }
    return n;
}

static size_t edit_distance(const unsigned *a, size_t na, const unsigned *b, size_t nb)
{
    size_t row[NAME_MAX_BYTES + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

static int contains(const unsigned *hay, size_t nh, const unsigned *needle, size_t nn)
{
    for (size_t i = 0; nn && i + nn <= nh; i++)
        if (!memcmp(hay + i, needle, nn * sizeof *needle))
            return 1;
    return 0;
}

/* How far header h is from name m (normalised code points), or SIZE_MAX
 * when it is not close: a few edits for its length, or one holds the
 * other (the shorter at least two characters and half the longer). */
static size_t closeness(const unsigned *h, size_t nh, const unsigned *m, size_t nm)
{
    size_t d = edit_distance(h, nh, m, nm);
    size_t allowed = nm <= 4 ? 1 : nm <= 8 ? 2 : 3;
    if (d <= allowed && d < nm)
        return d;
    size_t shorter = nh < nm ? nh : nm, longer = nh < nm ? nm : nh;
    if (shorter >= 2 && 2 * shorter >= longer &&
        (nh > nm ? contains(h, nh, m, nm) : contains(m, nm, h, nh)))
        return longer - shorter;
    return SIZE_MAX;
}

/* A note per missing column for the closest header cell that matched
 * nothing, when one is close. */
static void suggest(convert *cv, const frame *fr, long line)
{
    const rule_level *lv = cv->lv;
    unsigned hcp[NAME_MAX_BYTES], mcp[NAME_MAX_BYTES];
    char raw[NAME_MAX_BYTES], norm[NAME_MAX_BYTES];
    for (size_t i = 0; i < lv->nind; i++) {
        if (cv->ind_col[i] >= 0 || !lv->ind[i].required)
            continue;
        size_t best = SIZE_MAX, best_k = 0;
        int best_c = -1;
        for (int c = 0; c < cv->ncols; c++) {
            if (cv->col_ind[c] >= 0)
                continue;
            header_cell(fr, c, raw, norm);
            size_t nh = code_points(norm, hcp, NAME_MAX_BYTES);
            if (!nh)
                continue;
            for (size_t k = cv->name_first[i]; k < cv->name_first[i + 1]; k++) {
                size_t nm = code_points(cv->names.s + cv->name_off[k], mcp, NAME_MAX_BYTES);
                size_t d = nm ? closeness(hcp, nh, mcp, nm) : SIZE_MAX;
                if (d < best) {
                    best = d;
                    best_c = c;
                    best_k = k;
                }
            }
        }
        if (best_c < 0)
            continue;
        strbuf shown = STRBUF_INIT;
        const char *name = frame_column_name(fr, best_c);
        size_t n = strlen(name);
        value_trim(&name, &n);
        cell_text(&shown, name, n);
        const char *like = cv->name_raw[best_k];
        if (strcmp(like, lv->ind[i].id))
            diag_add(cv->d, DIAG_NOTE, cv->path, line, best_c + 1, "column %d '%s' looks like %s (%s)", best_c + 1,
                     strbuf_str(&shown), like, lv->ind[i].id);
        else
            diag_add(cv->d, DIAG_NOTE, cv->path, line, best_c + 1, "column %d '%s' looks like %s", best_c + 1,
                     strbuf_str(&shown), like);
        strbuf_free(&shown);
    }
}

/* A note listing the header's cells as found (the first 40). */
static void list_headers(convert *cv, const frame *fr, long line)
{
    strbuf list = STRBUF_INIT;
    int shown = cv->ncols < 40 ? cv->ncols : 40;
    for (int c = 0; c < shown; c++) {
        const char *name = frame_column_name(fr, c);
        size_t n = strlen(name);
        value_trim(&name, &n);
        strbuf_puts(&list, c ? ", '" : "'");
        cell_text(&list, name, n);
        strbuf_putc(&list, '\'');
    }
    if (shown < cv->ncols)
        strbuf_puts(&list, ", ...");
    diag_add(cv->d, DIAG_NOTE, cv->path, line, 0,
             cv->ncols == 1 ? "the header on line %ld has %d column: %s" : "the header on line %ld has %d columns: %s",
             line, cv->ncols, strbuf_str(&list));
    strbuf_free(&list);
}

int convert_map_header(convert *cv, const frame *fr)
{
    const rule_level *lv = cv->lv;
    long line = frame_header_line(fr);
    int bad = 0;
    cv->ncols = frame_columns(fr);
    cv->col_ind = mem_alloc(sizeof(int) * (size_t)(cv->ncols ? cv->ncols : 1));
    if (!cv->col_ind || prepare_names(cv)) {
        diag_oom(cv->d);
        return -1;
    }
    char buf[NAME_MAX_BYTES], norm[NAME_MAX_BYTES];
    for (int c = 0; c < cv->ncols; c++) {
        header_cell(fr, c, buf, norm);
        cv->col_ind[c] = -1;
        if (!strcmp(buf, TABLE_SAMPLE_COLUMN))
            cv->st->sample_form = c + 1;
        int i = match_column(cv, buf, norm);
        if (i < 0)
            continue;
        if (cv->ind_col[i] >= 0) {
            diag_add(cv->d, DIAG_ERROR, cv->path, line, c + 1,
                     "duplicate column '%s': column %d ('%s') already gives %s", buf, cv->ind_col[i] + 1,
                     frame_column_name(fr, cv->ind_col[i]), lv->ind[i].id);
            bad = 1;
        } else {
            cv->ind_col[i] = c;
            cv->col_ind[c] = i;
        }
    }
    strbuf missing = STRBUF_INIT;
    int nmissing = 0;
    for (size_t i = 0; i < lv->nind; i++) {
        if (cv->ind_col[i] >= 0 || !lv->ind[i].required)
            continue;
        strbuf_printf(&missing, "%s%s", nmissing ? ", " : "", lv->ind[i].id);
        if (lv->ind[i].zh)
            strbuf_printf(&missing, " (%s)", lv->ind[i].zh);
        nmissing++;
    }
    if (nmissing) {
        int key_missing = lv->key >= 0 && cv->ind_col[lv->key] < 0;
        const char *m = strbuf_str(&missing);
        int refused = 1;
        if (lv->own_format) {
            diag_add(cv->d, DIAG_ERROR, cv->path, line, 0,
                     nmissing == 1 ? "%d column the file needs is missing: %s" : "%d columns the file needs are missing: %s",
                     nmissing, m);
            bad = 1;
        } else if (cv->partial && !key_missing) {
            diag_add(cv->d, DIAG_WARNING, cv->path, line, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s; targets that need it are unknown"
                                   : "%d columns the rules need are missing: %s; targets that need them are unknown",
                     nmissing, m);
            refused = 0;
        } else if (key_missing) {
            diag_add(cv->d, DIAG_ERROR, cv->path, line, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s"
                                   : "%d columns the rules need are missing: %s",
                     nmissing, m);
            bad = 1;
        } else {
            diag_add(cv->d, DIAG_ERROR, cv->path, line, 0,
                     nmissing == 1
                         ? "%d column the rules need is missing: %s (--partial checks the table anyway, with those targets unknown)"
                         : "%d columns the rules need are missing: %s (--partial checks the table anyway, with those targets unknown)",
                     nmissing, m);
            bad = 1;
        }
        if (refused)
            list_headers(cv, fr, line);
        suggest(cv, fr, line);
    }
    strbuf_free(&missing);
    return bad ? -1 : 0;
}

/* ---------- records ---------- */

static void cell_text(strbuf *out, const char *s, size_t n)
{
    size_t shown = n > 40 ? 40 : n;
    while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
        shown--; /* do not cut a UTF-8 sequence */
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            strbuf_printf(out, "\\x%02x", c);
        else
            strbuf_putc(out, (char)c);
    }
    if (shown < n)
        strbuf_puts(out, "...");
}

static void cell_error(convert *cv, int col, const rule_indicator *ind, const char *s, size_t n, const char *expected,
                       const char *hint)
{
    strbuf shown = STRBUF_INIT;
    cell_text(&shown, s, n);
    if (hint)
        diag_add(cv->d, DIAG_ERROR, cv->path, cv->rec->line, col + 1, "%s: expected %s, found '%s'; %s", ind->id,
                 expected, strbuf_str(&shown), diag_tr(cv->d, hint));
    else
        diag_add(cv->d, DIAG_ERROR, cv->path, cv->rec->line, col + 1, "%s: expected %s, found '%s'", ind->id, expected,
                 strbuf_str(&shown));
    strbuf_free(&shown);
    cv->st->cell_errors++;
}

/* The years a year cell may hold: outside them it is a typing or
 * formatting accident, not a year of poverty alleviation. */
#define YEAR_MIN 1900
#define YEAR_MAX 2200

static void year_error(convert *cv, int col, const rule_indicator *ind, const char *s, size_t n, double v)
{
    int y, m, d;
    strbuf hint = STRBUF_INIT;
    if (v >= 10000 && v <= 80000 && v == floor(v) && value_excel_date((long)v, &y, &m, &d) == 0)
        strbuf_printf(&hint, diag_tr(cv->d, "looks like an Excel date serial (%ld = %04d-%02d-%02d): format the column as a number or type the year"),
                      (long)v, y, m, d);
    else if (v >= 0 && v <= 99 && v == floor(v))
        strbuf_printf(&hint, diag_tr(cv->d, "write the year in full (%d, not %ld)"), (v <= 50 ? 2000 : 1900) + (int)v,
                      (long)v);
    strbuf range = STRBUF_INIT;
    strbuf_printf(&range, diag_tr(cv->d, "a year from %d to %d"), YEAR_MIN, YEAR_MAX);
    cell_error(cv, col, ind, s, n, strbuf_str(&range), hint.len ? strbuf_str(&hint) : NULL);
    strbuf_free(&range);
    strbuf_free(&hint);
}

static void bool_error(convert *cv, int col, const rule_indicator *ind, const char *s, size_t n)
{
    if (!ind->nyes && !ind->nno) {
        cell_error(cv, col, ind, s, n, diag_tr(cv->d, "yes or no (also y/n, true/false, 1/0, 是/否, 有/无, √/×)"), NULL);
        return;
    }
    strbuf yes = STRBUF_INIT, no = STRBUF_INIT, extra = STRBUF_INIT, expected = STRBUF_INIT;
    for (size_t k = 0; k < ind->nyes; k++)
        strbuf_printf(&yes, "%s%s", k ? "/" : "", ind->yes_words[k]);
    for (size_t k = 0; k < ind->nno; k++)
        strbuf_printf(&no, "%s%s", k ? "/" : "", ind->no_words[k]);
    if (ind->nyes && ind->nno)
        strbuf_printf(&extra, diag_tr(cv->d, "%s for yes, %s for no"), strbuf_str(&yes), strbuf_str(&no));
    else if (ind->nyes)
        strbuf_printf(&extra, diag_tr(cv->d, "%s for yes"), strbuf_str(&yes));
    else
        strbuf_printf(&extra, diag_tr(cv->d, "%s for no"), strbuf_str(&no));
    strbuf_printf(&expected, diag_tr(cv->d, "yes or no (also y/n, true/false, 1/0, 是/否, 有/无, √/×; in this column also %s)"),
                  strbuf_str(&extra));
    cell_error(cv, col, ind, s, n, strbuf_str(&expected), NULL);
    strbuf_free(&yes);
    strbuf_free(&no);
    strbuf_free(&extra);
    strbuf_free(&expected);
}

/* An Excel error value (#N/A, #DIV/0!, ...): a formula that failed in the
 * workbook. Missing, with a warning at the cell. */
static void excel_error(convert *cv, int col, const rule_indicator *ind, const char *s, size_t n)
{
    strbuf shown = STRBUF_INIT;
    cell_text(&shown, s, n);
    diag_add(cv->d, DIAG_WARNING, cv->path, cv->rec->line, col + 1,
             "%s: '%s' is an Excel error value (a formula that failed in the workbook): read as missing", ind->id,
             strbuf_str(&shown));
    strbuf_free(&shown);
}

static value parse_cell(convert *cv, const frame_cells *c, size_t i, int *errors)
{
    const rule_indicator *ind = &cv->lv->ind[i];
    if (cv->ind_col[i] < 0)
        return value_unknown(WHY_NO_COLUMN);
    if (!c->seen[i])
        return value_unknown(WHY_MISSING);
    const char *s = c->buf->s + c->off[i];
    size_t n = c->len[i];
    value_trim(&s, &n);
    if (value_is_missing(s, n))
        return value_unknown(WHY_MISSING);
    int col = cv->ind_col[i];
    if ((s[0] == '#' || (unsigned char)s[0] == 0xEF) && value_excel_error(s, n)) {
        excel_error(cv, col, ind, s, n); /* #N/A, #DIV/0!, ...: missing, never 0 */
        return value_unknown(WHY_MISSING);
    }
    switch (ind->type) {
    case IND_TEXT:
        if (ind->ncodes) {
            for (size_t k = 0; k < ind->ncodes; k++)
                if (strlen(ind->codes[k]) == n && memcmp(ind->codes[k], s, n) == 0)
                    return value_text(s, n);
            strbuf list = STRBUF_INIT, one_of = STRBUF_INIT;
            for (size_t k = 0; k < ind->ncodes; k++)
                strbuf_printf(&list, "%s%s", k ? ", " : "", ind->codes[k]);
            strbuf_printf(&one_of, diag_tr(cv->d, "one of %s"), strbuf_str(&list));
            cell_error(cv, col, ind, s, n, strbuf_str(&one_of), NULL);
            strbuf_free(&list);
            strbuf_free(&one_of);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        return value_text(s, n);
    case IND_BOOL: {
        int b;
        if (value_parse_bool(s, n, &b) == 0)
            return value_bool(b);
        for (size_t k = 0; k < ind->nyes; k++)
            if (strlen(ind->yes_words[k]) == n && strncasecmp(ind->yes_words[k], s, n) == 0)
                return value_bool(1);
        for (size_t k = 0; k < ind->nno; k++)
            if (strlen(ind->no_words[k]) == n && strncasecmp(ind->no_words[k], s, n) == 0)
                return value_bool(0);
        bool_error(cv, col, ind, s, n);
        (*errors)++;
        return value_unknown(WHY_INVALID);
    }
    case IND_NUMBER:
    case IND_INTEGER: {
        double v;
        if (s[0] == '\'' && n > 1 && value_parse_number(s + 1, n - 1, ind->percent, &v) == 0) {
            /* '8000: Excel's mark for a number stored as text */
            if (!(cv->noted[i] & NOTED_APOSTROPHE)) {
                cv->noted[i] |= NOTED_APOSTROPHE;
                strbuf shown = STRBUF_INIT;
                cell_text(&shown, s, n);
                diag_add(cv->d, DIAG_NOTE, cv->path, cv->rec->line, col + 1,
                         "%s: %s is read as %s: a leading apostrophe is how Excel marks a number stored as text (the first such cell in this column; the others are read the same way without a note)",
                         ind->id, strbuf_str(&shown), strbuf_str(&shown) + 1);
                strbuf_free(&shown);
            }
        } else if (value_parse_number(s, n, ind->percent, &v)) {
            cell_error(cv, col, ind, s, n,
                       ind->type == IND_INTEGER ? diag_tr(cv->d, "a whole number")
                       : ind->percent           ? diag_tr(cv->d, "a percentage such as 96, 96.5 or 96%")
                                                : diag_tr(cv->d, "a number"),
                       value_number_hint(s, n));
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if (ind->type == IND_INTEGER && v != floor(v)) {
            cell_error(cv, col, ind, s, n, diag_tr(cv->d, "a whole number"), NULL);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if (((int)i == cv->lv->year || (int)i == cv->lv->exit_year) && !(v >= YEAR_MIN && v <= YEAR_MAX)) {
            year_error(cv, col, ind, s, n, v);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if ((ind->has_min && v < ind->min) || (ind->has_max && v > ind->max)) {
            strbuf range = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
            if (ind->has_min)
                strbuf_num(&lo, ind->min);
            if (ind->has_max)
                strbuf_num(&hi, ind->max);
            if (ind->has_min && ind->has_max)
                strbuf_printf(&range, diag_tr(cv->d, "a value from %s to %s"), strbuf_str(&lo), strbuf_str(&hi));
            else if (ind->has_min)
                strbuf_printf(&range, diag_tr(cv->d, "a value of at least %s"), strbuf_str(&lo));
            else
                strbuf_printf(&range, diag_tr(cv->d, "a value of at most %s"), strbuf_str(&hi));
            cell_error(cv, col, ind, s, n, strbuf_str(&range), NULL);
            strbuf_free(&range);
            strbuf_free(&lo);
            strbuf_free(&hi);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        return value_num(v);
    }
    }
    return value_unknown(WHY_INVALID);
}

static void reject(convert *cv, reject_reason why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reject(convert *cv, reject_reason why, const char *fmt, ...)
{
    cv->st->rows_rejected++;
    cv->st->rejected[why]++;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(cv->d, DIAG_ERROR, cv->path, cv->rec->line, 0, fmt, ap);
    va_end(ap);
}

/* The slot of a totals row's label (合计, 小计, 总计) in its key, name or
 * first cell; -1 when the record is not a totals row. */
static int totals_slot(const convert *cv, const frame_cells *c)
{
    const rule_level *lv = cv->lv;
    int slots[3] = {lv->key, lv->name, cv->first_slot};
    for (int k = 0; k < 3; k++) {
        int sl = slots[k];
        if (sl < 0 || !c->seen[sl])
            continue;
        const char *s = c->buf->s + c->off[sl];
        size_t n = c->len[sl];
        value_trim(&s, &n);
        if (value_is_totals(s, n))
            return sl;
    }
    return -1;
}

/* An id in Excel's scientific notation (6.21123E+12): warned once per
 * column and table, at its first cell. */
static void check_exponent_id(convert *cv, int i)
{
    if (i < 0 || cv->vals[i].kind != V_TEXT || (cv->noted[i] & NOTED_EXPONENT) ||
        !value_looks_excel_exponent(cv->vals[i].u.s, cv->vals[i].len))
        return;
    cv->noted[i] |= NOTED_EXPONENT;
    strbuf shown = STRBUF_INIT;
    cell_text(&shown, cv->vals[i].u.s, cv->vals[i].len);
    diag_add(cv->d, DIAG_WARNING, cv->path, cv->rec->line, cv->ind_col[i] + 1,
             "%s '%s' looks like a number Excel rewrote in scientific notation: the id's digits are lost, and ids that differ may now read the same; format the column as text in Excel before saving (the first such id in this column; the others are not listed)",
             cv->lv->ind[i].id, strbuf_str(&shown));
    strbuf_free(&shown);
}

/* Converts one record (blank ones never reach it: the framer drops them). */
void convert_allow_short_rows(convert *cv) { cv->short_ok = 1; }

int convert_record(convert *cv, const frame_record *r, const frame_cells *c, table_row *row)
{
    cv->rec = r;
    cv->st->rows_read++;
    if (c->buf->oom) {
        diag_oom(cv->d);
        return -1;
    }
    if (r->unterminated) {
        reject(cv, REJECT_UNTERMINATED, "row rejected: a quoted field is still open at the end of the file");
        return 0;
    }
    int ts = totals_slot(cv, c);
    if (ts >= 0) {
        /* skipped as the office means it: counted with its own reason, a
         * note rather than an error */
        const char *s = c->buf->s + c->off[ts];
        size_t n = c->len[ts];
        value_trim(&s, &n);
        cv->st->rows_rejected++;
        cv->st->rejected[REJECT_TOTALS]++;
        diag_add(cv->d, DIAG_NOTE, cv->path, r->line, ts == (int)cv->lv->nind ? 1 : cv->ind_col[ts] + 1L,
                 "row skipped: '%.*s' marks a totals row, which is not a unit", (int)n, s);
        return 0;
    }
    if (cv->short_ok && r->fields > cv->ncols) {
        /* a workbook's row: Excel drops trailing empty cells, so only a
         * value past the header's last column makes it too long */
        cv->st->rows_rejected++;
        cv->st->rejected[REJECT_RAGGED]++;
        diag_add(cv->d, DIAG_ERROR, cv->path, r->line, r->fields,
                 "row rejected: a value right of the header's last column (column %d; the header has %d)", r->fields,
                 cv->ncols);
        return 0;
    }
    if (r->fields != cv->ncols && !cv->short_ok) {
        reject(cv, REJECT_RAGGED,
               r->fields == 1 ? "row rejected: %d field, the header has %d" : "row rejected: %d fields, the header has %d",
               r->fields, cv->ncols);
        return 0;
    }
    if (r->has_nul) {
        reject(cv, REJECT_NUL, "row rejected: a field contains a NUL byte (is this a binary file?)");
        return 0;
    }
    const rule_level *lv = cv->lv;
    int errors = 0;
    if (!cv->vals_ready) {
        /* the header is known by now: the indicators not converted read
         * the same in every row */
        for (size_t i = 0; i < lv->nind; i++)
            cv->vals[i] = value_unknown(cv->ind_col[i] < 0 ? WHY_NO_COLUMN : WHY_MISSING);
        cv->vals_ready = 1;
    }
    for (size_t k = 0; k < cv->nconv; k++) {
        size_t i = (size_t)cv->conv[k];
        cv->vals[i] = parse_cell(cv, c, i, &errors);
    }
    if (cv->vals[lv->key].kind != V_TEXT) {
        reject(cv, REJECT_NO_KEY, "row rejected: no %s", lv->ind[lv->key].id);
        return 0;
    }
    check_exponent_id(cv, lv->key);
    check_exponent_id(cv, lv->parent_key);
    row->line = r->line;
    row->vals = cv->vals;
    row->errors = errors;
    return 1;
}
