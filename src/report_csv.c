/*
 * report_csv.c - one row per unit and target, for spreadsheets.
 *
 * The provenance (tool, pack, parameters, file digests) comes first as
 * lines beginning with '#', then a header row and the rows. `claim` is the
 * outcome of the unit's exit and `exit` which exit it is (none, this_year,
 * earlier); claim_text says both ("WRONG EXIT (earlier, 2016)"). Fields are
 * quoted when they hold a comma, quote or line break. A text cell that
 * begins with = + - @, a tab or a carriage return is prefixed with an
 * apostrophe, so a spreadsheet shows it as text instead of running it as a
 * formula. With --bom the file starts with a UTF-8 byte order mark, which
 * Excel needs to show Chinese text correctly.
 *
 * With a waiver file (SPEC §8) the provenance names it too, a waived
 * target's status is "waived", and five more columns give its waiver:
 * basis, approver, approval date, expiry and line in the waiver file
 * (empty for a target not waived). Without one the columns are absent.
 */
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <string.h>

typedef struct cw {
    FILE *out;
    strbuf sb;
    const report_ctx *r;
} cw;

static void field_n(strbuf *sb, const char *s, size_t n, int first)
{
    if (!first)
        strbuf_putc(sb, ',');
    report_csv_cell(sb, s, n);
}

static void field(strbuf *sb, const char *s, int first) { field_n(sb, s, s ? strlen(s) : 0, first); }

static int flush(cw *w) { return report_flush(&w->sb, w->out); }

/* A waived target's waiver: basis, approver, approval date, expiry (empty
 * when none) and line; five empty cells for a target not waived (x NULL). */
static void waiver_cells(strbuf *sb, const waiver *x)
{
    char on[11] = "", exp[11] = "", line[32] = "";
    if (x) {
        waiver_date_text(x->approved_on, on);
        if (x->expires)
            waiver_date_text(x->expires, exp);
        snprintf(line, sizeof line, "%ld", x->line);
    }
    field(sb, x ? x->basis : NULL, 0);
    field(sb, x ? x->approved_by : NULL, 0);
    field(sb, on, 0);
    field(sb, exp, 0);
    field(sb, line, 0);
}

static int unit_rows(void *ctx, const unit_rec *u)
{
    cw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    int zh = w->r->opts.zh;
    char line[32];
    snprintf(line, sizeof line, "%ld", u->line);
    strbuf cell = STRBUF_INIT;
    for (size_t i = 0; i < lv->ntargets; i++) {
        const rule_target *t = &lv->targets[i];
        unit_status ts = (unit_status)u->tstatus[i];
        field(sb, lv->id, 1);
        field(sb, u->id, 0);
        field(sb, u->name, 0);
        field(sb, u->parent, 0);
        field(sb, line, 0);
        field(sb, unit_status_name(u->status), 0);
        field(sb, report_status_word(u->status, zh), 0);
        field(sb, claim_status_name(u->claim), 0);
        field(sb, unit_exit_name(u->exit), 0);
        strbuf_reset(&cell);
        report_exit_text(&cell, u, zh);
        field(sb, strbuf_str(&cell), 0);
        field(sb, t->id, 0);
        field(sb, report_title(&t->title, zh), 0);
        field(sb, unit_status_name(ts), 0);
        strbuf_reset(&cell);
        report_observed(&cell, w->r->rs, lv, t, u->slots, zh);
        field(sb, strbuf_str(&cell), 0);
        field(sb, t->require, 0);
        const waiver *x = ts == ST_WAIVED ? waivers_for(w->r->facts->waivers, u, i) : NULL;
        strbuf_reset(&cell);
        if (ts == ST_UNKNOWN || (x && x->outcome == ST_UNKNOWN))
            report_unknown_reason(&cell, w->r->rs, lv, t, u->slots, zh);
        field(sb, strbuf_str(&cell), 0);
        if (w->r->facts->waivers)
            waiver_cells(sb, x);
        strbuf_puts(sb, "\r\n");
    }
    strbuf_release_into(sb, &cell);
    return flush(w);
}

/* The provenance, as lines beginning with '#': tool, pack and exit
 * status, the parameters used by year, the tables and the rule files. */
static void provenance(strbuf *sb, const report_ctx *r)
{
    const ruleset *rs = r->rs;
    const report_facts *f = r->facts;
    int zh = r->opts.zh;
    strbuf line = STRBUF_INIT;
    strbuf_printf(&line, "# exitcheck %s; %s %s %s; %s %d", EXITCHECK_VERSION, RS(RS_PACK, zh), rules_id(rs),
                  rules_version(rs), RS(RS_EXIT_STATUS, zh), (int)f->status);
    field(sb, strbuf_str(&line), 1);
    strbuf_puts(sb, "\r\n");
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        strbuf_reset(&line);
        strbuf_printf(&line, "# %s %s:", RS(RS_PARAMS, zh), p->id);
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            strbuf_printf(&line, " %d=", py->year);
            report_value(&line, &py->v, zh);
            switch (py->origin) {
            case PARAM_UNVERIFIED: strbuf_printf(&line, " (%s)", RS(RS_UNVERIFIED, zh)); break;
            case PARAM_OVERRIDDEN: strbuf_printf(&line, " (%s)", RS(RS_GIVEN_BY_PARAM, zh)); break;
            case PARAM_CONFIRMED:
            case PARAM_NO_VALUE: break;
            }
        }
        field(sb, strbuf_str(&line), 1);
        strbuf_puts(sb, "\r\n");
    }
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        strbuf_reset(&line);
        strbuf_printf(&line, "# %s %s sha256 %s; %s %ld; %s %ld", RS(RS_INPUTS, zh), f->levels[i].path,
                      st->sha256, RS(RS_ROWS_READ, zh), st->rows_read, RS(RS_REJECTED, zh), st->rows_rejected);
        field(sb, strbuf_str(&line), 1);
        strbuf_puts(sb, "\r\n");
    }
    const waivers *wv = f->waivers;
    if (wv) {
        const table_stats *st = waivers_stats(wv);
        strbuf_reset(&line);
        strbuf_printf(&line, "# %s %s", RS(RS_WAIVER_FILE, zh), waivers_path(wv));
        if (st)
            strbuf_printf(&line, " sha256 %s; %s %ld; %s %ld", st->sha256, RS(RS_ROWS_READ, zh), st->rows_read,
                          RS(RS_REJECTED, zh), st->rows_rejected);
        strbuf_printf(&line, "; %s ", RS(RS_AS_OF, zh));
        report_as_of_text(&line, f->waivers, zh);
        field(sb, strbuf_str(&line), 1);
        strbuf_puts(sb, "\r\n");
    }
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        strbuf_reset(&line);
        strbuf_printf(&line, "# %s %s sha256 %s", RS(RS_RULE_FILES, zh), rules_file(rs, i)->path,
                      rules_file(rs, i)->sha256);
        field(sb, strbuf_str(&line), 1);
        strbuf_puts(sb, "\r\n");
    }
    strbuf_release_into(sb, &line);
}

int report_csv(const report_ctx *r, FILE *out)
{
    cw w = {out, STRBUF_INIT, r};
    strbuf *sb = &w.sb;
    int zh = r->opts.zh;
    if (r->opts.bom)
        strbuf_puts(sb, "\xEF\xBB\xBF");
    provenance(sb, r);
    static const char *const head_en[] = {"level", "unit_id", "unit_name", "parent_id", "line", "unit_status",
                                          "unit_status_text", "claim", "exit", "claim_text", "target", "target_title",
                                          "target_status", "observed", "required", "why_unknown"};
    static const char *const head_zh[] = {"层级", "单位编号", "单位名称", "上级编号", "行", "单位状态",
                                          "单位状态说明", "退出申请", "退出类型", "退出申请说明", "指标", "指标名称",
                                          "指标状态", "实际值", "要求", "无法判定的原因"};
    static const char *const waiver_en[] = {"waiver_basis", "waiver_approved_by", "waiver_approved_on",
                                            "waiver_expires", "waiver_line"};
    static const char *const waiver_zh[] = {"豁免依据", "豁免批准人", "豁免批准日期", "豁免有效期至", "豁免文件行"};
    for (size_t k = 0; k < sizeof head_en / sizeof head_en[0]; k++)
        field(sb, zh ? head_zh[k] : head_en[k], k == 0);
    for (size_t k = 0; r->facts->waivers && k < sizeof waiver_en / sizeof waiver_en[0]; k++)
        field(sb, zh ? waiver_zh[k] : waiver_en[k], 0);
    strbuf_puts(sb, "\r\n");
    int rc = flush(&w);
    for (size_t i = 0; i < r->facts->nlevels && rc == 0; i++)
        if (check_foreach(r->c, i, unit_rows, &w))
            rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
