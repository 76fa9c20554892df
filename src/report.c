/*
 * report.c - the parts every report format shares, and atomic output.
 */
#include "report.h"
#include "waiver.h"
#include "diag_zh.h"
#include "lexer.h"
#include "mem.h"
#include "report_strings.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const report_format_info report_formats[] = {
    [FMT_TEXT] = {"text", report_text, "for a terminal or a printer (the default)"},
    [FMT_JSON] = {"json", report_json, "for programs: schema exitcheck-report/1"},
    [FMT_CSV] = {"csv", report_csv, "a row per unit and target, for spreadsheets"},
    [FMT_JUNIT] = {"junit", report_junit, "JUnit XML for CI servers: a test case per exit, earlier ones apart"},
    [FMT_HTML] = {"html", report_html, "one page to read on screen, print and sign"},
    [FMT_MD] = {"md", report_md, "Markdown for pull-request comments and CI summaries"},
    [FMT_UNITS] = {"units", report_units, "a CSV row per unit with its failed target ids"},
    [FMT_XLSX] = {"xlsx", report_xlsx, "an Excel workbook: a sheet per level, exits, figures, problems"},
};
_Static_assert(sizeof report_formats / sizeof report_formats[0] == FMT__COUNT, "an entry for the last format");

int report_format_parse(const char *name, report_format *out)
{
    for (int i = 0; i < FMT__COUNT; i++)
        if (strcmp(name, report_formats[i].name) == 0) {
            *out = (report_format)i;
            return 0;
        }
    return -1;
}

const char *report_status_word(unit_status s, int zh)
{
    switch (s) {
    case ST_PASS: return RS(RS_S_PASS, zh);
    case ST_FAIL: return RS(RS_S_FAIL, zh);
    case ST_UNKNOWN: return RS(RS_S_UNKNOWN, zh);
    case ST_WARN: return RS(RS_S_WARN, zh);
    case ST_WAIVED: return RS(RS_S_WAIVED, zh);
    }
    return "";
}

const char *report_claim_word(claim_status c, int zh)
{
    switch (c) {
    case CLAIM_NONE: return RS(RS_C_NONE, zh);
    case CLAIM_SUPPORTED: return RS(RS_C_SUPPORTED, zh);
    case CLAIM_WRONG: return RS(RS_C_WRONG, zh);
    case CLAIM_UNSUPPORTED: return RS(RS_C_UNSUPPORTED, zh);
    }
    return "";
}

const char *report_exit_word(const unit_rec *u, int zh)
{
    if (u->exit == UEXIT_EARLIER)
        switch (u->claim) {
        case CLAIM_SUPPORTED: return RS(RS_C_EXIT_SUPPORTED, zh);
        case CLAIM_UNSUPPORTED: return RS(RS_C_EXIT_UNSUPPORTED, zh);
        case CLAIM_WRONG:
        case CLAIM_NONE: break;
        }
    return report_claim_word(u->claim, zh);
}

int report_exit_year(const unit_rec *u)
{
    int s = u->level->exit_year;
    if (u->exit == UEXIT_NONE || s < 0 || u->slots[s].kind != V_NUM)
        return -1;
    double y = u->slots[s].u.num;
    return y >= 1 && y <= 9999 ? (int)y : -1;
}

void report_exit_when(strbuf *sb, const unit_rec *u, int zh)
{
    switch (u->exit) {
    case UEXIT_NONE: break;
    case UEXIT_THIS_YEAR: strbuf_puts(sb, RS(RS_EXIT_THIS_YEAR, zh)); break;
    case UEXIT_EARLIER:
        if (report_exit_year(u) >= 0)
            rs_printf(sb, RS_EXIT_EARLIER_YEAR, zh, report_exit_year(u));
        else
            strbuf_puts(sb, RS(RS_EXIT_EARLIER, zh));
        break;
    }
}

void report_exit_text(strbuf *sb, const unit_rec *u, int zh)
{
    strbuf_puts(sb, report_exit_word(u, zh));
    if (u->exit == UEXIT_EARLIER) {
        strbuf_puts(sb, zh ? "（" : " (");
        report_exit_when(sb, u, zh);
        strbuf_puts(sb, zh ? "）" : ")");
    }
}

/* The verdict with earlier exits: this year's claims, then the earlier
 * exits. */
static void exits_verdict(strbuf *sb, const report_facts *f, int zh)
{
    if (!f->claimed)
        strbuf_puts(sb, RS(RS_V_YEAR_NONE, zh));
    else if (f->bad)
        rs_printf(sb, RS_V_YEAR_BAD, zh, f->bad, f->claimed);
    else
        strbuf_puts(sb, RS(RS_V_YEAR_OK, zh));
    strbuf_puts(sb, RS(RS_V_SEP, zh));
    if (f->earlier_wrong)
        rs_printf(sb, RS_V_EARLIER_BAD, zh, f->earlier_wrong, f->earlier);
    else
        rs_printf(sb, RS_V_EARLIER_OK, zh, f->earlier);
    if (f->earlier_unsupported)
        rs_printf(sb, RS_V_EARLIER_UNVERIFIED, zh, f->earlier_unsupported);
}

/* The level's name in a sentence: its id in English ("household"), its
 * title in Chinese (户). */
static const char *level_word(const rule_level *lv, int zh)
{
    return zh ? report_title(&lv->title, zh) : lv->id;
}

const char *report_waiver_use(const waiver *x, int zh)
{
    return x->applied   ? RS(RS_W_APPLIED, zh)
           : x->expired ? RS(RS_W_EXPIRED, zh)
           : x->undated ? RS(RS_W_UNDATED, zh)
           : x->met     ? RS(RS_W_MET, zh)
                        : RS(RS_W_UNMATCHED, zh);
}

void report_waiver_text(strbuf *sb, const waiver *x, int zh)
{
    char d[11];
    const char *sep = zh ? "；" : "; ";
    strbuf_printf(sb, "%s%s%s", RS(RS_BASIS, zh), zh ? "：" : " ", x->basis);
    if (x->reason && *x->reason)
        strbuf_printf(sb, "%s%s%s%s", sep, RS(RS_WAIVER_REASON, zh), zh ? "：" : " ", x->reason);
    waiver_date_text(x->approved_on, d);
    strbuf_printf(sb, "%s%s%s%s%s%s%s%s", sep, RS(RS_APPROVED_BY, zh), zh ? "：" : " ", x->approved_by, sep,
                  RS(RS_APPROVED_ON, zh), zh ? "：" : " ", d);
    if (x->expires) {
        waiver_date_text(x->expires, d);
        strbuf_printf(sb, "%s%s%s%s", sep, RS(RS_EXPIRES, zh), zh ? "：" : " ", d);
    }
}

void report_problems_count(strbuf *sb, const diag_list *d, size_t listed_here, int zh)
{
    size_t e = diag_total(d, DIAG_ERROR), w = diag_total(d, DIAG_WARNING);
    rs_printf(sb, RS_PROBLEMS_COUNT, zh, e + w, e, w, listed_here);
}

size_t report_not_kept(const diag_list *d)
{
    return diag_total(d, DIAG_ERROR) + diag_total(d, DIAG_WARNING) - diag_stored(d, DIAG_ERROR) -
           diag_stored(d, DIAG_WARNING);
}

void report_not_kept_text(strbuf *sb, const diag_list *d, int zh)
{
    size_t n = report_not_kept(d);
    if (n)
        rs_printf(sb, RS_NOT_KEPT, zh, n, diag_limit(d), diag_limit(d));
}

void report_as_of_text(strbuf *sb, const waivers *w, int zh)
{
    int as_of = w ? waivers_as_of(w) : 0;
    if (as_of) {
        char d[11];
        waiver_date_text(as_of, d);
        strbuf_puts(sb, d);
    } else {
        strbuf_puts(sb, RS(RS_AS_OF_DEFAULT, zh));
    }
}

void report_verdict_text(strbuf *sb, const report_facts *f, int zh)
{
    switch (f->verdict) {
    case VERDICT_ERRORS:
        if (f->mismatch_level >= 0) {
            const rule_level *lv = f->levels[f->mismatch_level].level;
            const rule_level *anc = f->levels[f->mismatch_ancestor].level;
            rs_printf(sb, RS_V_MISMATCH, zh, f->mismatch_unmatched, f->mismatch_units, level_word(lv, zh),
                      level_word(anc, zh), level_word(anc, zh));
        } else {
            strbuf_puts(sb, RS(RS_V_ERRORS, zh));
        }
        break;
    case VERDICT_ALL_SUPPORTED:
        if (f->earlier)
            exits_verdict(sb, f, zh);
        else
            strbuf_puts(sb, RS(RS_V_ALL_SUPPORTED, zh));
        break;
    case VERDICT_SOME_FAIL:
        if (f->earlier)
            exits_verdict(sb, f, zh);
        else
            rs_printf(sb, RS_V_SOME_FAIL, zh, f->bad, f->claimed);
        break;
    case VERDICT_NOCLAIM_PASS: strbuf_puts(sb, RS(RS_V_NOCLAIM_PASS, zh)); break;
    case VERDICT_NOCLAIM_FAIL: strbuf_puts(sb, RS(RS_V_NOCLAIM_FAIL, zh)); break;
    }
    if (f->verdict != VERDICT_ERRORS && f->by_waiver + f->earlier_by_waiver)
        rs_printf(sb, RS_V_BY_WAIVER, zh, f->by_waiver + f->earlier_by_waiver);
}

int report_verdict_good(const report_facts *f)
{
    switch (f->verdict) {
    case VERDICT_ALL_SUPPORTED:
    case VERDICT_NOCLAIM_PASS: return 1;
    case VERDICT_ERRORS:
    case VERDICT_SOME_FAIL:
    case VERDICT_NOCLAIM_FAIL: return 0;
    }
    return 0;
}

void report_value(strbuf *sb, const value *v, int zh)
{
    static const char *const why_zh[WHY__COUNT] = {
        [WHY_NONE] = "已知", [WHY_MISSING] = "缺失", [WHY_INVALID] = "无效", [WHY_NO_COLUMN] = "无此列",
        [WHY_NO_PARAM] = "无参数取值", [WHY_DIV_ZERO] = "除数为零", [WHY_NO_DATA] = "下级数据不完整",
        [WHY_NO_CASE] = "无适用分档",
    };
    switch (v->kind) {
    case V_NUM: strbuf_num_short(sb, v->u.num); break;
    case V_BOOL: strbuf_puts(sb, v->u.b ? (zh ? "是" : "yes") : (zh ? "否" : "no")); break;
    case V_TEXT: strbuf_printf(sb, "'%.*s'", (int)v->len, v->u.s); break;
    case V_UNKNOWN:
        strbuf_puts(sb, zh && v->why < WHY__COUNT && why_zh[v->why] ? why_zh[v->why] : value_why_text((vwhy)v->why));
        break;
    }
}

void report_observed(strbuf *sb, const ruleset *rs, const rule_level *lv, const rule_target *t, const value *slots,
                     int zh)
{
    const int *refs;
    size_t n = expr_refs(t->e, &refs);
    for (size_t i = 0; i < n; i++) {
        strbuf_printf(sb, "%s%s ", i ? ", " : "", rules_slot_name(rs, lv, refs[i]));
        report_value(sb, &slots[refs[i]], zh);
    }
}

/* Names the unknown inputs of e. An unknown derived value is followed
 * back to the cells (or the case table) that made it unknown, so a reader
 * learns which cell to fix, not only that a total is unknown. */
static void unknown_causes(strbuf *sb, const ruleset *rs, const rule_level *lv, const expr *e, const value *slots,
                           int zh, const report_string *why_rs, int *k, int *seen, size_t *nseen, int depth)
{
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++) {
        int s = refs[i];
        const value *v = &slots[s];
        if (v->kind != V_UNKNOWN)
            continue;
        int dup = 0;
        for (size_t j = 0; j < *nseen; j++)
            dup |= seen[j] == s;
        if (dup)
            continue;
        if (*nseen < 64)
            seen[(*nseen)++] = s;
        if (s >= lv->derived_base && s < lv->agg_base && depth < 16) {
            const rule_derived *dv = &lv->derived[s - lv->derived_base];
            if (v->why == WHY_NO_CASE && !dv->e) {
                strbuf_puts(sb, (*k)++ ? "; " : "");
                rs_printf(sb, RS_WHY_NO_CASE, zh, dv->id);
                if (dv->ncases && dv->cases[0].when) {
                    strbuf_puts(sb, " (");
                    const int *crefs;
                    size_t cn = expr_refs(dv->cases[0].when, &crefs);
                    for (size_t c = 0; c < cn; c++) {
                        strbuf_printf(sb, "%s%s ", c ? ", " : "", rules_slot_name(rs, lv, crefs[c]));
                        report_value(sb, &slots[crefs[c]], zh);
                    }
                    strbuf_putc(sb, ')');
                }
                continue;
            }
            if (dv->e) {
                unknown_causes(sb, rs, lv, dv->e, slots, zh, why_rs, k, seen, nseen, depth + 1);
                continue;
            }
            for (size_t c = 0; c < dv->ncases; c++) {
                if (dv->cases[c].when && expr_eval(dv->cases[c].when, slots).kind == V_UNKNOWN) {
                    unknown_causes(sb, rs, lv, dv->cases[c].when, slots, zh, why_rs, k, seen, nseen, depth + 1);
                    break;
                }
                if (!dv->cases[c].when || expr_eval(dv->cases[c].when, slots).u.b) {
                    unknown_causes(sb, rs, lv, dv->cases[c].value, slots, zh, why_rs, k, seen, nseen, depth + 1);
                    break;
                }
            }
            continue;
        }
        strbuf_puts(sb, (*k)++ ? "; " : "");
        report_string id = v->why < WHY__COUNT && v->why != WHY_NONE ? why_rs[v->why] : RS_WHY_UNKNOWN;
        rs_printf(sb, id, zh, rules_slot_name(rs, lv, s));
    }
}

void report_unknown_reason(strbuf *sb, const ruleset *rs, const rule_level *lv, const rule_target *t,
                           const value *slots, int zh)
{
    static const report_string why_rs[WHY__COUNT] = {
        [WHY_NONE] = RS_WHY_UNKNOWN, [WHY_MISSING] = RS_WHY_MISSING, [WHY_INVALID] = RS_WHY_INVALID,
        [WHY_NO_COLUMN] = RS_WHY_NO_COLUMN, [WHY_NO_PARAM] = RS_WHY_NO_PARAM, [WHY_DIV_ZERO] = RS_WHY_DIV_ZERO,
        [WHY_NO_DATA] = RS_WHY_NO_DATA, [WHY_NO_CASE] = RS_WHY_NO_CASE,
    };
    int k = 0;
    int seen[64];
    size_t nseen = 0;
    unknown_causes(sb, rs, lv, t->e, slots, zh, why_rs, &k, seen, &nseen, 0);
    if (!k)
        strbuf_puts(sb, RS(RS_WHY_EXPR_DIV_ZERO, zh));
}

void report_require(strbuf *sb, const char *src, int zh)
{
    if (!zh) {
        strbuf_puts(sb, src);
        return;
    }
    /* the source as written, with the spans of the three logic tokens
     * replaced: a quoted 'and' or a name such as band is another token */
    static const char *const word[TOK__COUNT] = {[TOK_AND] = "且", [TOK_OR] = "或", [TOK_NOT] = "非"};
    size_t len = strlen(src), copied = 0;
    lexer lx;
    lexer_init(&lx, src, len);
    for (token t = lexer_next(&lx); t.kind != TOK_EOF && t.kind != TOK_ERROR; t = lexer_next(&lx)) {
        if (!word[t.kind])
            continue;
        strbuf_add(sb, src + copied, t.start - copied);
        /* 'a&&b' and '!x' have no spaces to keep the word apart */
        if (t.kind != TOK_NOT && t.start && !strchr(" \t\r\n(", src[t.start - 1]))
            strbuf_putc(sb, ' ');
        strbuf_puts(sb, word[t.kind]);
        copied = t.start + t.len;
        if (copied < len && !strchr(" \t\r\n)", src[copied]))
            strbuf_putc(sb, ' ');
    }
    strbuf_puts(sb, src + copied);
}

const char *report_tr(const char *msgid, int zh) { return zh ? diag_zh(msgid) : msgid; }

const char *report_title(const text2 *t, int zh)
{
    if (zh)
        return t->zh ? t->zh : t->en ? t->en : "";
    return t->en ? t->en : t->zh ? t->zh : "";
}

void report_people_rate_text(strbuf *sb, const claim_tally *t, const char *none)
{
    double r;
    if (report_people_rate(t, &r))
        strbuf_puts(sb, none);
    else
        strbuf_printf(sb, "%.1f%%", r);
}

void report_rate_text(strbuf *sb, long part, long whole, const char *none)
{
    if (!whole)
        strbuf_puts(sb, none);
    else
        strbuf_printf(sb, "%.1f%%", report_rate(part, whole));
}

int report_flush(strbuf *sb, FILE *out)
{
    if (sb->oom)
        return -1;
    if (sb->len && fwrite(sb->s, 1, sb->len, out) != sb->len)
        return -1;
    strbuf_reset(sb);
    return 0;
}

void report_csv_cell(strbuf *sb, const char *s, size_t n)
{
    if (!s)
        return;
    int formula = n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
    /* one pass to see whether the cell needs quotes; most (ids, codes,
     * numbers) do not and are copied whole */
    size_t i = 0;
    while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\n' && s[i] != '\r')
        i++;
    if (!formula && i == n) {
        strbuf_add(sb, s, n);
        return;
    }
    strbuf_putc(sb, '"');
    if (formula)
        strbuf_putc(sb, '\'');
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            strbuf_putc(sb, '"');
        strbuf_putc(sb, s[i]);
    }
    strbuf_putc(sb, '"');
}

double report_rate(long part, long whole)
{
    return whole ? 100.0 * (double)part / (double)whole : -1;
}

int report_write_atomic(const char *path, int (*writer)(const void *ctx, FILE *out), const void *r, diag_list *d)
{
    if (strcmp(path, "-") == 0) {
        if (writer(r, stdout) || fflush(stdout) != 0 || ferror(stdout)) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write the report to standard output: %s",
                     diag_tr(d, strerror(errno)));
            return -1;
        }
        return 0;
    }
    strbuf tmp = STRBUF_INIT;
    const char *slash = strrchr(path, '/');
    if (slash)
        strbuf_printf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
    else
        strbuf_printf(&tmp, ".%s.XXXXXX", path);
    if (tmp.oom) {
        diag_oom(d);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (-o /dev/stdout): write straight to it */
        FILE *out = fopen(path, "w");
        int bad = !out || writer(r, out) || fflush(out) != 0 || ferror(out);
        if (out && fclose(out) != 0)
            bad = 1;
        if (bad)
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write the report: %s", diag_tr(d, strerror(errno ? errno : EIO)));
        strbuf_free(&tmp);
        return bad ? -1 : 0;
    }
    /* O_EXCL with the umask applied (mkstemp would make it 0600) */
    int fd = -1;
    size_t base = tmp.len - 6;
    for (unsigned k = 0; k < 100 && fd < 0; k++) {
        tmp.len = base;
        strbuf_printf(&tmp, "%06u", (unsigned)((unsigned)getpid() * 100u + k) % 1000000u);
        fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot create the report: %s", diag_tr(d, strerror(errno)));
        strbuf_free(&tmp);
        return -1;
    }
    FILE *out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        unlink(tmp.s);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot create the report: %s", diag_tr(d, strerror(errno)));
        strbuf_free(&tmp);
        return -1;
    }
    errno = 0;
    int bad = writer(r, out) || fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0;
    int err = errno;
    if (fclose(out) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (bad || rename(tmp.s, path) != 0) {
        if (!bad)
            err = errno;
        unlink(tmp.s);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write the report: %s", diag_tr(d, strerror(err ? err : EIO)));
        strbuf_free(&tmp);
        return -1;
    }
    strbuf_free(&tmp);
    return 0;
}

static int write_format(const void *ctx, FILE *out)
{
    const report_ctx *r = ctx;
    return report_formats[r->format].write(r, out);
}

int report_write_file(report_format f, const report_ctx *r, const char *path, diag_list *d)
{
    assert(f >= 0 && f < FMT__COUNT && report_formats[f].write);
    report_ctx rf = *r;
    rf.format = f;
    return report_write_atomic(path, write_format, &rf, d);
}

int report_people_rate(const claim_tally *t, double *rate)
{
    if (!t->claimed || t->people_unknown || t->people <= 0)
        return -1;
    *rate = t->people_wrong / t->people * 100.0;
    return 0;
}

void report_orphans_text(strbuf *sb, const report_facts *f, int zh, const char *prefix, const char *eol)
{
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        if (!s->orphans)
            continue;
        strbuf_puts(sb, prefix);
        rs_printf(sb, RS_ORPHANS_LINE, zh, report_title(&f->levels[i].level->title, zh), s->orphans);
        strbuf_puts(sb, eol);
    }
}

void report_json_str_n(strbuf *sb, const char *s, size_t n)
{
    strbuf_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_puts(sb, "\\\""); break;
        case '\\': strbuf_puts(sb, "\\\\"); break;
        case '\n': strbuf_puts(sb, "\\n"); break;
        case '\r': strbuf_puts(sb, "\\r"); break;
        case '\t': strbuf_puts(sb, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                strbuf_printf(sb, "\\u%04x", c);
            else
                strbuf_putc(sb, (char)c);
        }
    }
    strbuf_putc(sb, '"');
}

void report_json_diag(strbuf *sb, const diag_entry *e)
{
    strbuf_puts(sb, "{\"file\": ");
    report_json_str(sb, e->file);
    strbuf_printf(sb, ", \"line\": %ld, \"column\": %ld, ", e->line, e->column);
    if (e->sheet) {
        char cell[24];
        strbuf_puts(sb, "\"sheet\": ");
        report_json_str(sb, e->sheet);
        strbuf_puts(sb, ", \"cell\": ");
        report_json_str(sb, diag_cell_name(e->line, e->column, cell)[0] ? cell : NULL);
        strbuf_puts(sb, ", ");
    }
    strbuf_printf(sb, "\"severity\": \"%s\", \"message\": ", diag_severity_name(e->severity));
    report_json_str(sb, e->message);
    strbuf_putc(sb, '}');
}

void report_json_str(strbuf *sb, const char *s)
{
    if (!s)
        strbuf_puts(sb, "null");
    else
        report_json_str_n(sb, s, strlen(s));
}
