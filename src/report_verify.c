/*
 * report_verify.c - the report of `exitcheck verify` (report_verify.h) in
 * text, md, html, json (schema "exitcheck-verify/1"), csv and xlsx, English or
 * Chinese.
 *
 * text, md and html share one layout, the one evaluators used: per county
 * a table of the four figures (figure, value, 95% interval, veto,
 * verdict), then the suspect households (wrong exits and contradicted
 * cells, register and survey side by side, ready for 申诉举证), the
 * missed households, those undecided, not in the register or not
 * surveyed, and the register's accuracy by indicator. The csv report is
 * the household list with its header on row 1 (for a spreadsheet); json
 * holds everything. Every string from data goes through its format's
 * escaping (xlsx: the workbook's own, report_xlsx.h).
 *
 * xlsx sheets: Summary (the verdict, the four figures over all counties
 * with estimate, standard error, margin of error, interval and counts,
 * per county its verdict and people, per county and veto the outcome,
 * the parameters, the files read with their SHA-256); one sheet per
 * county ("County ID": each figure beside its vetoes); Households (the
 * csv report's list, with targets not met, recognition and lines);
 * Accuracy (per indicator); Problems. Rates are percentages, as in json.
 */
#include "report_verify.h"
#include "waiver.h"
#include "report_html.h"
#include "report_strings.h"
#include "report_xlsx.h"
#include "strbuf.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

typedef enum {
    VS_TITLE, VS_SURVEY, VS_MANIFEST, VS_REGISTER, VS_PACK, VS_UNWEIGHTED, VS_COUNTY, VS_OVERALL, VS_FIGURE,
    VS_VALUE, VS_INTERVAL, VS_VETO, VS_VERDICT, VS_MET, VS_NOT_MET, VS_UNKNOWN, VS_WITHIN, VS_PASS, VS_FAIL,
    VS_R_WRONG, VS_R_MISSED, VS_R_RECOG, VS_R_COMP, VS_SUSPECTS, VS_MISSED, VS_OTHERS, VS_ACCURACY, VS_HOUSEHOLD,
    VS_VILLAGE, VS_FINDING, VS_INDICATOR, VS_REG_VALUE, VS_SUR_VALUE, VS_COMPARED, VS_AGREE, VS_RATE, VS_NONE,
    VS_ALL_HOUSEHOLDS, VS_F_OK, VS_F_WRONG, VS_F_MISSED, VS_F_UNDECIDED, VS_F_NOT_IN_REG, VS_F_NOT_SURVEYED,
    VS_V_PASS, VS_V_FAIL, VS_N_HOUSEHOLDS, VS_WEIGHT, VS_SINGLE, VS_NOT_MET_T, VS_V_NONE, VS_V_NO_VETOES, VS_PARAMS,
    VS_COUNTY_COL, VS__COUNT
} verify_string;

static const char *const vs_en[VS__COUNT] = {
    [VS_TITLE] = "field verification: register against survey",
    [VS_SURVEY] = "Survey",
    [VS_MANIFEST] = "Manifest",
    [VS_REGISTER] = "Register",
    [VS_PACK] = "Pack",
    [VS_UNWEIGHTED] = "No manifest: every household weighs 1 (the survey's own, unweighted rates).",
    [VS_COUNTY] = "County",
    [VS_OVERALL] = "All counties",
    [VS_FIGURE] = "figure",
    [VS_VALUE] = "value",
    [VS_INTERVAL] = "95% interval",
    [VS_VETO] = "veto",
    [VS_VERDICT] = "verdict",
    [VS_MET] = "met",
    [VS_NOT_MET] = "NOT MET",
    [VS_UNKNOWN] = "unknown",
    [VS_WITHIN] = "within the margin of error",
    [VS_PASS] = "passes",
    [VS_FAIL] = "FAILS",
    [VS_R_WRONG] = "wrong-exit rate (错退率)",
    [VS_R_MISSED] = "missed rate (漏评率)",
    [VS_R_RECOG] = "recognition (认可度)",
    [VS_R_COMP] = "comprehensive poverty rate (综合贫困发生率)",
    [VS_SUSPECTS] = "Suspect households: wrong exits and cells that contradict the register",
    [VS_MISSED] = "Missed households (漏评)",
    [VS_OTHERS] = "Undecided, not in the register, not surveyed",
    [VS_ACCURACY] = "Accuracy of the register (信息准确率)",
    [VS_HOUSEHOLD] = "household",
    [VS_VILLAGE] = "village",
    [VS_FINDING] = "finding",
    [VS_INDICATOR] = "indicator",
    [VS_REG_VALUE] = "register",
    [VS_SUR_VALUE] = "survey",
    [VS_COMPARED] = "compared",
    [VS_AGREE] = "agree",
    [VS_RATE] = "rate",
    [VS_NONE] = "none",
    [VS_ALL_HOUSEHOLDS] = "households (every compared indicator agrees)",
    [VS_F_OK] = "ok",
    [VS_F_WRONG] = "WRONG EXIT",
    [VS_F_MISSED] = "missed",
    [VS_F_UNDECIDED] = "undecided",
    [VS_F_NOT_IN_REG] = "not in the register",
    [VS_F_NOT_SURVEYED] = "not surveyed",
    [VS_V_PASS] = "Every county passes every veto; exit status 0.",
    [VS_V_FAIL] = "%ld of %ld counties do not pass every veto; exit status %d.",
    [VS_N_HOUSEHOLDS] = "%ld households surveyed",
    [VS_WEIGHT] = "weight",
    [VS_SINGLE] = "strata of one village, which add 0 to the variances (flagged): %ld",
    [VS_NOT_MET_T] = "targets not met (survey)",
    [VS_V_NONE] = "No county has a surveyed household: nothing is judged; exit status %d.",
    [VS_V_NO_VETOES] = "The pack has no vetoes: the figures are reported, no county is judged; exit status %d.",
    [VS_PARAMS] = "Parameters",
    [VS_COUNTY_COL] = "county",
};

static const char *const vs_zh[VS__COUNT] = {
    [VS_TITLE] = "实地核查：建档立卡信息与实地调查比对",
    [VS_SURVEY] = "调查表",
    [VS_MANIFEST] = "抽样清单",
    [VS_REGISTER] = "建档立卡数据",
    [VS_PACK] = "规则包",
    [VS_UNWEIGHTED] = "未提供抽样清单：每户权重为 1（按调查样本直接计算，未加权）。",
    [VS_COUNTY] = "县",
    [VS_OVERALL] = "全部县",
    [VS_FIGURE] = "指标",
    [VS_VALUE] = "数值",
    [VS_INTERVAL] = "95% 置信区间",
    [VS_VETO] = "否决标准",
    [VS_VERDICT] = "结论",
    [VS_MET] = "达到",
    [VS_NOT_MET] = "未达到",
    [VS_UNKNOWN] = "无法判定",
    [VS_WITHIN] = "在误差范围内",
    [VS_PASS] = "通过",
    [VS_FAIL] = "未通过",
    [VS_R_WRONG] = "错退率",
    [VS_R_MISSED] = "漏评率",
    [VS_R_RECOG] = "群众认可度",
    [VS_R_COMP] = "综合贫困发生率",
    [VS_SUSPECTS] = "疑似问题户：错退户及与建档立卡信息不符的项目",
    [VS_MISSED] = "漏评户",
    [VS_OTHERS] = "无法判定、不在建档立卡数据中、未调查的户",
    [VS_ACCURACY] = "信息准确率",
    [VS_HOUSEHOLD] = "户",
    [VS_VILLAGE] = "村",
    [VS_FINDING] = "核查结果",
    [VS_INDICATOR] = "项目",
    [VS_REG_VALUE] = "建档立卡信息",
    [VS_SUR_VALUE] = "实地调查",
    [VS_COMPARED] = "比对数",
    [VS_AGREE] = "一致数",
    [VS_RATE] = "准确率",
    [VS_NONE] = "无",
    [VS_ALL_HOUSEHOLDS] = "户（各项均一致）",
    [VS_F_OK] = "无问题",
    [VS_F_WRONG] = "错退",
    [VS_F_MISSED] = "漏评",
    [VS_F_UNDECIDED] = "无法判定",
    [VS_F_NOT_IN_REG] = "不在建档立卡数据中",
    [VS_F_NOT_SURVEYED] = "未调查",
    [VS_V_PASS] = "各县均通过全部否决标准；退出码 0。",
    [VS_V_FAIL] = "%ld 个县（共 %ld 个）未通过全部否决标准；退出码 %d。",
    [VS_N_HOUSEHOLDS] = "调查 %ld 户",
    [VS_WEIGHT] = "权重",
    [VS_SINGLE] = "只有一个村的层（对方差的贡献计为 0，已标注）：%ld 个",
    [VS_NOT_MET_T] = "未达标项（实地调查）",
    [VS_V_NONE] = "没有县有被调查户：不作判定；退出码 %d。",
    [VS_V_NO_VETOES] = "规则包没有否决标准：只报告各项指标，不对县作出判定；退出码 %d。",
    [VS_PARAMS] = "参数",
    [VS_COUNTY_COL] = "县",
};
_Static_assert(sizeof vs_en / sizeof *vs_en == VS__COUNT && sizeof vs_zh / sizeof *vs_zh == VS__COUNT,
               "a string for every verify_string in both languages");

static const char *VS(verify_string id, int zh) { return zh ? vs_zh[id] : vs_en[id]; }

static void vs_printf(strbuf *sb, verify_string id, int zh, ...)
{
    va_list ap;
    va_start(ap, zh);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    strbuf_vprintf(sb, VS(id, zh), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

static const verify_string rate_words[RATE__COUNT] = {VS_R_WRONG, VS_R_MISSED, VS_R_RECOG, VS_R_COMP};
static const verify_string finding_words[FIND__COUNT] = {VS_F_OK,        VS_F_WRONG,       VS_F_MISSED,
                                                         VS_F_UNDECIDED, VS_F_NOT_IN_REG, VS_F_NOT_SURVEYED};

static int counties_failing(const verifier *v, long *n)
{
    const verify_county *c;
    *n = (long)verify_counties(v, &c);
    long bad = 0;
    for (long i = 0; i < *n; i++)
        bad += c[i].status != ST_PASS;
    return (int)bad;
}

/* 1 when the household belongs in the suspect list: a wrong exit, or a
 * household whose survey contradicts the register beyond the tolerances
 * (the missed and undecided ones have lists of their own). */
static int suspect(const verify_household *h, const rule_level *lv)
{
    (void)lv;
    return h->finding == FIND_WRONG_EXIT || (h->finding == FIND_OK && h->ndiffs > 0);
}

/* ---------- the text-like layouts (text, md, html) ---------- */

typedef enum { L_TEXT, L_MD, L_HTML } layout;

typedef struct tw {
    const verify_report_ctx *r;
    layout k;
    strbuf sb, tmp;
    int zh;
} tw;

static void put_text(tw *w, const char *s)
{
    if (!s)
        return;
    if (w->k == L_HTML) {
        esc(&w->sb, s);
    } else if (w->k == L_MD) {
        for (; *s; s++) {
            if (strchr("\\`*_[]<>|#", *s))
                strbuf_putc(&w->sb, '\\');
            strbuf_putc(&w->sb, *s == '\n' ? ' ' : *s);
        }
    } else {
        strbuf_puts(&w->sb, s);
    }
}

static void heading(tw *w, int level, const char *s)
{
    if (w->k == L_HTML) {
        strbuf_printf(&w->sb, "<h%d>", level);
        put_text(w, s);
        strbuf_printf(&w->sb, "</h%d>\n", level);
    } else if (w->k == L_MD) {
        strbuf_printf(&w->sb, "\n%.*s ", level, "#####");
        put_text(w, s);
        strbuf_puts(&w->sb, "\n\n");
    } else {
        strbuf_puts(&w->sb, "\n");
        put_text(w, s);
        strbuf_puts(&w->sb, "\n\n");
    }
}

static void para(tw *w, const char *s)
{
    if (w->k == L_HTML)
        strbuf_puts(&w->sb, "<p>");
    put_text(w, s);
    strbuf_puts(&w->sb, w->k == L_HTML ? "</p>\n" : "\n");
}

/* A table: cells[rows][ncols], row 0 the header. */
enum { TMAXC = 7 };
typedef struct ttab {
    size_t ncols, nrows, cap;
    strbuf *c;
    int right[TMAXC];
} ttab;

static strbuf *trow(ttab *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        strbuf *c = mem_realloc(t->c, cap * t->ncols * sizeof *c);
        if (!c)
            return NULL;
        t->c = c;
        t->cap = cap;
    }
    strbuf *row = &t->c[t->nrows++ * t->ncols];
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = (strbuf)STRBUF_INIT;
    return row;
}

static void tfree(ttab *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        strbuf_free(&t->c[i]);
    mem_free(t->c);
    memset(t, 0, sizeof *t);
}

static void tput(tw *w, ttab *t)
{
    strbuf *sb = &w->sb;
    if (w->k == L_HTML) {
        strbuf_puts(sb, "<table>\n");
        for (size_t i = 0; i < t->nrows; i++) {
            strbuf_puts(sb, "<tr>");
            for (size_t j = 0; j < t->ncols; j++) {
                strbuf_puts(sb, i ? "<td" : "<th");
                strbuf_puts(sb, t->right[j] ? " class=\"num\">" : ">");
                esc(sb, strbuf_str(&t->c[i * t->ncols + j]));
                strbuf_puts(sb, i ? "</td>" : "</th>");
            }
            strbuf_puts(sb, "</tr>\n");
        }
        strbuf_puts(sb, "</table>\n");
        tfree(t);
        return;
    }
    int width[TMAXC] = {0};
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->ncols; j++) {
            int wd = rs_width(strbuf_str(&t->c[i * t->ncols + j]));
            if (wd > width[j])
                width[j] = wd;
        }
    for (size_t i = 0; i < t->nrows; i++) {
        strbuf_puts(sb, w->k == L_MD ? "|" : " ");
        for (size_t j = 0; j < t->ncols; j++) {
            strbuf_putc(sb, ' ');
            if (w->k == L_MD) {
                put_text(w, strbuf_str(&t->c[i * t->ncols + j]));
                strbuf_puts(sb, " |");
            } else {
                rs_pad(sb, strbuf_str(&t->c[i * t->ncols + j]), width[j], t->right[j]);
                strbuf_putc(sb, ' ');
            }
        }
        while (w->k == L_TEXT && sb->len && sb->s[sb->len - 1] == ' ')
            sb->len--;
        strbuf_putc(sb, '\n');
        if (w->k == L_MD && i == 0) {
            strbuf_putc(sb, '|');
            for (size_t j = 0; j < t->ncols; j++)
                strbuf_puts(sb, t->right[j] ? " ---: |" : " --- |");
            strbuf_putc(sb, '\n');
        }
    }
    tfree(t);
}

static void num2(strbuf *sb, double x) { strbuf_printf(sb, "%.2f", x); }

static void rate_cells(strbuf *val, strbuf *ci, const verify_estimate *e, int zh)
{
    if (!e->known) {
        strbuf_puts(val, VS(VS_UNKNOWN, zh));
        strbuf_puts(ci, "-");
        return;
    }
    num2(val, e->value);
    strbuf_puts(val, "%");
    strbuf_puts(ci, "[");
    num2(ci, e->lo);
    strbuf_puts(ci, ", ");
    num2(ci, e->hi);
    strbuf_puts(ci, "]");
}

static void county_table(tw *w, const verify_county *c, int overall)
{
    const verify_report_ctx *r = w->r;
    int zh = w->zh;
    ttab t = {.ncols = 5};
    t.right[1] = 1;
    strbuf *h = trow(&t);
    if (!h)
        return;
    strbuf_puts(&h[0], VS(VS_FIGURE, zh));
    strbuf_puts(&h[1], VS(VS_VALUE, zh));
    strbuf_puts(&h[2], VS(VS_INTERVAL, zh));
    strbuf_puts(&h[3], VS(VS_VETO, zh));
    strbuf_puts(&h[4], VS(VS_VERDICT, zh));
    for (int k = 0; k < RATE__COUNT; k++) {
        strbuf *row = trow(&t);
        if (!row)
            break;
        strbuf_puts(&row[0], VS(rate_words[k], zh));
        rate_cells(&row[1], &row[2], &c->rates[k], zh);
        int any = 0;
        for (size_t i = 0; i < rules_nvetoes(r->rs); i++) {
            const rule_veto *vt = rules_veto(r->rs, i);
            if (vt->rate != (verify_rate)k)
                continue;
            const verify_veto_result *res = &c->vetoes[i];
            const char *title = report_title(&vt->title, zh);
            strbuf_printf(&row[3], "%s%s", any ? "; " : "", title && *title ? title : vt->require);
            if (!overall) {
                strbuf_printf(&row[4], "%s%s", any ? "; " : "",
                              VS(res->status == ST_PASS ? VS_MET : res->status == ST_FAIL ? VS_NOT_MET : VS_UNKNOWN, zh));
                if (res->within_margin && res->status != ST_UNKNOWN)
                    strbuf_printf(&row[4], zh ? "（%s）" : " (%s)", VS(VS_WITHIN, zh));
            }
            any = 1;
        }
    }
    tput(w, &t);
}

static void diffs_text(strbuf *sb, const verify_household *h, const rule_level *lv, int zh)
{
    for (size_t k = 0; k < h->ndiffs; k++) {
        const verify_diff *d = &h->diffs[k];
        const rule_indicator *ind = &lv->ind[d->ind];
        strbuf_printf(sb, "%s%s ", k ? "; " : "", zh && ind->zh ? ind->zh : ind->id);
        report_value(sb, &d->reg, zh);
        strbuf_puts(sb, " → ");
        report_value(sb, &d->sur, zh);
    }
}

/* The ids of the targets h does not meet on the survey's values, then
 * those waived ("H02 (waived)"). */
static void not_met_text(strbuf *sb, const verify_household *h, const rule_level *lv, int zh)
{
    for (size_t t = 0; t < lv->ntargets && t < 64; t++)
        if (h->not_met >> t & 1)
            strbuf_printf(sb, "%s%s", sb->len ? " " : "", lv->targets[t].id);
    for (size_t t = 0; t < lv->ntargets && t < 64; t++)
        if (h->waived >> t & 1)
            strbuf_printf(sb, "%s%s (%s)", sb->len ? " " : "", lv->targets[t].id, RS(RS_WAIVED, zh));
}

/* The households of a list: which(h) decides. */
static void household_table(tw *w, int (*which)(const verify_household *, const rule_level *))
{
    const verify_report_ctx *r = w->r;
    int zh = w->zh;
    const rule_level *lv = verify_level(r->v);
    const verify_household *hs;
    size_t n = verify_households(r->v, &hs);
    ttab t = {.ncols = 7};
    t.right[4] = 1;
    strbuf *h = trow(&t);
    if (!h)
        return;
    strbuf_puts(&h[0], VS(VS_COUNTY_COL, zh));
    strbuf_puts(&h[1], VS(VS_VILLAGE, zh));
    strbuf_puts(&h[2], VS(VS_HOUSEHOLD, zh));
    strbuf_puts(&h[3], VS(VS_FINDING, zh));
    strbuf_puts(&h[4], VS(VS_WEIGHT, zh));
    strbuf_puts(&h[5], VS(VS_NOT_MET_T, zh));
    strbuf_printf(&h[6], "%s → %s", VS(VS_REG_VALUE, zh), VS(VS_SUR_VALUE, zh));
    long shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!which(&hs[i], lv))
            continue;
        strbuf *row = trow(&t);
        if (!row)
            break;
        shown++;
        strbuf_puts(&row[0], hs[i].county);
        strbuf_puts(&row[1], hs[i].village);
        strbuf_puts(&row[2], hs[i].id);
        strbuf_puts(&row[3], VS(finding_words[hs[i].finding], zh));
        if (hs[i].have_weight)
            strbuf_num_short(&row[4], hs[i].weight);
        not_met_text(&row[5], &hs[i], lv, w->zh);
        diffs_text(&row[6], &hs[i], lv, zh);
    }
    if (!shown) {
        tfree(&t);
        para(w, VS(VS_NONE, zh));
        return;
    }
    tput(w, &t);
}

static int is_missed(const verify_household *h, const rule_level *lv)
{
    (void)lv;
    return h->finding == FIND_MISSED;
}

static int is_other(const verify_household *h, const rule_level *lv)
{
    (void)lv;
    return h->finding == FIND_UNDECIDED || h->finding == FIND_NOT_IN_REGISTER || h->finding == FIND_NOT_SURVEYED;
}

static void accuracy_table(tw *w)
{
    const verify_report_ctx *r = w->r;
    int zh = w->zh;
    const rule_level *lv = verify_level(r->v);
    const verify_accuracy *a = verify_indicator_accuracy(r->v);
    ttab t = {.ncols = 4};
    t.right[1] = t.right[2] = t.right[3] = 1;
    strbuf *h = trow(&t);
    if (!h)
        return;
    strbuf_puts(&h[0], VS(VS_INDICATOR, zh));
    strbuf_puts(&h[1], VS(VS_COMPARED, zh));
    strbuf_puts(&h[2], VS(VS_AGREE, zh));
    strbuf_puts(&h[3], VS(VS_RATE, zh));
    verify_accuracy ha = verify_household_accuracy(r->v);
    strbuf *row = trow(&t);
    if (row) {
        strbuf_puts(&row[0], VS(VS_ALL_HOUSEHOLDS, zh));
        strbuf_printf(&row[1], "%ld", ha.compared);
        strbuf_printf(&row[2], "%ld", ha.agreed);
        report_rate_text(&row[3], ha.agreed, ha.compared, "-");
    }
    for (size_t i = 0; i < lv->nind; i++) {
        if (!a[i].compared || !(row = trow(&t)))
            continue;
        strbuf_puts(&row[0], zh && lv->ind[i].zh ? lv->ind[i].zh : lv->ind[i].id);
        strbuf_printf(&row[1], "%ld", a[i].compared);
        strbuf_printf(&row[2], "%ld", a[i].agreed);
        report_rate_text(&row[3], a[i].agreed, a[i].compared, "-");
    }
    tput(w, &t);
}

/* The parameters a verify reads: the household targets', identify's and
 * the vetoes' thresholds. */
static int param_listed(const verify_report_ctx *r, size_t i)
{
    const rule_param *p = rules_param(r->rs, i);
    if (p->used)
        return 1;
    for (size_t j = 0; j < rules_nvetoes(r->rs); j++)
        if (rules_veto(r->rs, j)->param == (int)i)
            return 1;
    const rule_level *lv = verify_level(r->v);
    if (lv->identify) {
        const int *refs;
        size_t n = expr_refs(lv->identify, &refs);
        for (size_t k = 0; k < n; k++)
            if (refs[k] == lv->param_base + (int)i)
                return 1;
    }
    return 0;
}

/* "poverty_line 2952 (2016; UNVERIFIED: source)" for parameter i. */
static void param_text(strbuf *sb, const verify_report_ctx *r, size_t i)
{
    const rule_param *p = rules_param(r->rs, i);
    int year = verify_year(r->v);
    const param_value *entry = NULL;
    value pv = rules_param_value(p, year != 0, year, &entry);
    strbuf_printf(sb, "%s ", p->id);
    report_value(sb, &pv, r->zh);
    strbuf_printf(sb, " (%d", year);
    if (p->overridden)
        strbuf_puts(sb, "; --param");
    else if (entry && !entry->confirmed)
        strbuf_printf(sb, "; %s", RS(RS_UNVERIFIED, r->zh));
    if (entry && entry->source)
        strbuf_printf(sb, "; %s", entry->source);
    strbuf_putc(sb, ')');
}

static void item(tw *w, const char *s)
{
    if (w->k == L_MD)
        strbuf_puts(&w->sb, "- ");
    para(w, s);
}

static void provenance_lines(tw *w)
{
    const verify_report_ctx *r = w->r;
    int zh = w->zh;
    static const verify_string names[VIN__COUNT] = {VS_MANIFEST, VS_SURVEY, VS_REGISTER, VS_REGISTER, VS_REGISTER};
    strbuf line = STRBUF_INIT;
    strbuf_printf(&line, "exitcheck %s · %s %s %s", EXITCHECK_VERSION, VS(VS_PACK, zh), rules_id(r->rs),
                  rules_version(r->rs));
    item(w, strbuf_str(&line));
    for (int i = 0; i < VIN__COUNT; i++) {
        const table_stats *st = verify_stats(r->v, (verify_input)i);
        if (!st)
            continue;
        strbuf_reset(&line);
        strbuf_printf(&line, "%s: %s  sha256 %s  ", VS(names[i], zh), verify_input_path(r->v, (verify_input)i),
                      st->sha256);
        rs_printf(&line, RS_ROWS_READ, zh);
        strbuf_printf(&line, " %ld, ", st->rows_read);
        rs_printf(&line, RS_REJECTED, zh);
        strbuf_printf(&line, " %ld", st->rows_rejected);
        item(w, strbuf_str(&line));
    }
    const waivers *wv = verify_waivers(r->v);
    const table_stats *ws = wv ? waivers_stats(wv) : NULL;
    if (ws) {
        strbuf_reset(&line);
        strbuf_printf(&line, "%s: %s  sha256 %s  ", RS(RS_WAIVER_FILE, zh), waivers_path(wv), ws->sha256);
        rs_printf(&line, RS_ROWS_READ, zh);
        strbuf_printf(&line, " %ld, ", ws->rows_read);
        rs_printf(&line, RS_REJECTED, zh);
        strbuf_printf(&line, " %ld; %s ", ws->rows_rejected, RS(RS_AS_OF, zh));
        report_as_of_text(&line, wv, zh);
        item(w, strbuf_str(&line));
    }
    for (size_t i = 0; i < rules_nfiles(r->rs); i++) {
        strbuf_reset(&line);
        strbuf_printf(&line, "%s: %s  sha256 %s", VS(VS_PACK, zh), rules_file(r->rs, i)->path,
                      rules_file(r->rs, i)->sha256);
        item(w, strbuf_str(&line));
    }
    strbuf_free(&line);
}

/* The verdict, as every format states it. */
static void verdict_text(strbuf *v, const verify_report_ctx *r)
{
    int zh = r->zh;
    long nc;
    int bad = counties_failing(r->v, &nc);
    if (r->status == EXIT_ERROR)
        rs_printf(v, RS_V_ERRORS, zh);
    else if (!nc)
        vs_printf(v, VS_V_NONE, zh, (int)r->status);
    else if (!rules_nvetoes(r->rs))
        vs_printf(v, VS_V_NO_VETOES, zh, (int)r->status);
    else if (!bad)
        vs_printf(v, VS_V_PASS, zh);
    else
        vs_printf(v, VS_V_FAIL, zh, (long)bad, nc, (int)r->status);
}

static int write_layout(const verify_report_ctx *r, FILE *out, layout k)
{
    tw w = {r, k, STRBUF_INIT, STRBUF_INIT, r->zh};
    int zh = r->zh;
    strbuf *sb = &w.sb;
    strbuf title = STRBUF_INIT;
    strbuf_printf(&title, "exitcheck: %s", VS(VS_TITLE, zh));
    if (k == L_HTML) {
        strbuf_printf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", zh ? "zh" : "en");
        strbuf_puts(sb, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        esc(sb, strbuf_str(&title));
        strbuf_printf(sb, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>", report_html_css);
        esc(sb, strbuf_str(&title));
        strbuf_puts(sb, "</h1>\n");
    } else {
        strbuf_printf(sb, "%s%s\n", k == L_MD ? "# " : "", strbuf_str(&title));
    }
    strbuf_free(&title);
    /* the verdict */
    strbuf v = STRBUF_INIT;
    verdict_text(&v, r);
    if (k == L_HTML)
        strbuf_printf(sb, "<div class=\"verdict %s\">", r->status == EXIT_OK ? "ok" : r->status == EXIT_ERROR ? "error" : "bad");
    else if (k == L_MD)
        strbuf_puts(sb, "\n**");
    else
        strbuf_putc(sb, '\n');
    put_text(&w, strbuf_str(&v));
    strbuf_puts(sb, k == L_HTML ? "</div>\n</header>\n" : k == L_MD ? "**\n" : "\n");
    strbuf_free(&v);
    if (!verify_weighted(r->v))
        para(&w, VS(VS_UNWEIGHTED, zh));
    /* the counties */
    const verify_county *c;
    size_t n = verify_counties(r->v, &c);
    for (size_t i = 0; i < n; i++) {
        strbuf hd = STRBUF_INIT;
        strbuf_printf(&hd, "%s %s: %s · ", VS(VS_COUNTY, zh), c[i].id,
                      VS(c[i].status == ST_PASS ? VS_PASS : c[i].status == ST_FAIL ? VS_FAIL : VS_UNKNOWN, zh));
        vs_printf(&hd, VS_N_HOUSEHOLDS, zh, c[i].surveyed);
        if (c[i].single_strata) {
            strbuf_puts(&hd, " · ");
            vs_printf(&hd, VS_SINGLE, zh, c[i].single_strata);
        }
        heading(&w, 2, strbuf_str(&hd));
        strbuf_free(&hd);
        county_table(&w, &c[i], 0);
    }
    if (n > 1) {
        heading(&w, 2, VS(VS_OVERALL, zh));
        county_table(&w, verify_overall(r->v), 1);
    }
    heading(&w, 2, VS(VS_SUSPECTS, zh));
    household_table(&w, suspect);
    heading(&w, 2, VS(VS_MISSED, zh));
    household_table(&w, is_missed);
    heading(&w, 2, VS(VS_OTHERS, zh));
    household_table(&w, is_other);
    heading(&w, 2, VS(VS_ACCURACY, zh));
    accuracy_table(&w);
    heading(&w, 2, VS(VS_PARAMS, zh));
    for (size_t i = 0; i < rules_nparams(r->rs); i++) {
        if (!param_listed(r, i))
            continue;
        strbuf pl = STRBUF_INIT;
        param_text(&pl, r, i);
        item(&w, strbuf_str(&pl));
        strbuf_free(&pl);
    }
    heading(&w, 2, RS(RS_PROBLEMS, zh));
    strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(r->d); i++) {
        strbuf_reset(&line);
        diag_format_tr(diag_get(r->d, i), diag_translator(r->d), &line);
        if (k == L_TEXT) {
            strbuf_puts(sb, strbuf_str(&line));
        } else {
            char *nl = strchr(line.s, '\n');
            if (nl)
                *nl = '\0';
            if (k == L_MD)
                strbuf_puts(sb, "- ");
            para(&w, line.s);
        }
    }
    if (!diag_count(r->d))
        para(&w, VS(VS_NONE, zh));
    strbuf_free(&line);
    heading(&w, 2, RS(RS_PROVENANCE, zh));
    provenance_lines(&w);
    if (k == L_HTML) {
        strbuf_puts(sb, "<section id=\"signature\" class=\"sig\">\n<div>");
        esc(sb, RS(RS_SIGNATURE, zh));
        strbuf_puts(sb, "</div>\n<div>");
        esc(sb, RS(RS_DATE, zh));
        strbuf_puts(sb, "</div>\n<div class=\"wide\">");
        esc(sb, RS(RS_OPINION, zh));
        strbuf_puts(sb, "</div>\n</section>\n</main>\n</body>\n</html>\n");
    }
    int rc = report_flush(sb, out);
    strbuf_free(&w.sb);
    strbuf_free(&w.tmp);
    return rc;
}

/* ---------- json ---------- */

/* A number, or null for one too large to be finite (JSON has no infinity). */
static void jnum(strbuf *sb, double x)
{
    if (isfinite(x))
        strbuf_num(sb, x);
    else
        strbuf_puts(sb, "null");
}

static void jrate(strbuf *sb, const verify_estimate *e)
{
    strbuf_puts(sb, "{\"value\": ");
    if (e->known) {
        jnum(sb, e->value);
        strbuf_puts(sb, ", \"se\": ");
        jnum(sb, e->se);
        strbuf_puts(sb, ", \"ci\": [");
        jnum(sb, e->lo);
        strbuf_puts(sb, ", ");
        jnum(sb, e->hi);
        strbuf_puts(sb, "]");
    } else {
        strbuf_puts(sb, "null, \"se\": null, \"ci\": null");
    }
    strbuf_puts(sb, ", \"numerator\": ");
    jnum(sb, e->num);
    strbuf_puts(sb, ", \"denominator\": ");
    jnum(sb, e->den);
    strbuf_printf(sb, ", \"households\": %ld, \"undecided\": %ld}", e->households, e->undecided);
}

static void jrates(strbuf *sb, const verify_county *c)
{
    strbuf_puts(sb, "\"rates\": {");
    for (int k = 0; k < RATE__COUNT; k++) {
        strbuf_printf(sb, "%s\"%s\": ", k ? ", " : "", verify_rate_names[k]);
        jrate(sb, &c->rates[k]);
    }
    strbuf_putc(sb, '}');
}

static void jvalue(strbuf *sb, const value *x)
{
    switch (x->kind) {
    case V_NUM: jnum(sb, x->u.num); break;
    case V_BOOL: strbuf_puts(sb, x->u.b ? "true" : "false"); break;
    case V_TEXT: report_json_str_n(sb, x->u.s, x->len); break;
    case V_UNKNOWN: strbuf_puts(sb, "null"); break;
    }
}

static const char *status_name(unit_status s) { return unit_status_name(s); }

static int write_json(const verify_report_ctx *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    const verifier *v = r->v;
    const rule_level *lv = verify_level(v);
    strbuf_puts(&sb, "{\n  \"schema\": \"exitcheck-verify/1\",\n  \"tool\": {\"name\": \"exitcheck\", \"version\": ");
    report_json_str(&sb, EXITCHECK_VERSION);
    strbuf_puts(&sb, "},\n  \"ruleset\": {\"id\": ");
    report_json_str(&sb, rules_id(r->rs));
    strbuf_puts(&sb, ", \"version\": ");
    report_json_str(&sb, rules_version(r->rs));
    strbuf_puts(&sb, ", \"files\": [");
    for (size_t i = 0; i < rules_nfiles(r->rs); i++) {
        strbuf_puts(&sb, i ? ", {\"path\": " : "{\"path\": ");
        report_json_str(&sb, rules_file(r->rs, i)->path);
        strbuf_puts(&sb, ", \"sha256\": ");
        report_json_str(&sb, rules_file(r->rs, i)->sha256);
        strbuf_putc(&sb, '}');
    }
    strbuf_puts(&sb, "]},\n  \"inputs\": [");
    static const char *const kinds[VIN__COUNT] = {"manifest", "survey", NULL, NULL, NULL};
    int k = 0;
    for (int i = 0; i < VIN__COUNT; i++) {
        const table_stats *st = verify_stats(v, (verify_input)i);
        if (!st)
            continue;
        strbuf_puts(&sb, k++ ? ",\n    {\"level\": " : "\n    {\"level\": ");
        const char *level = kinds[i];
        if (!level) {
            size_t nl = rules_nlevels(r->rs);
            size_t li = i == VIN_HOUSEHOLD ? nl - 1 : i == VIN_VILLAGE ? nl - 2 : nl - 3;
            level = rules_level(r->rs, li)->id;
        }
        report_json_str(&sb, level);
        strbuf_puts(&sb, ", \"path\": ");
        report_json_str(&sb, verify_input_path(v, (verify_input)i));
        strbuf_puts(&sb, ", \"encoding\": ");
        report_json_str(&sb, st->encoding);
        strbuf_puts(&sb, ", \"sha256\": ");
        report_json_str(&sb, st->sha256);
        strbuf_printf(&sb, ", \"rows_read\": %ld, \"rows_rejected\": %ld}", st->rows_read, st->rows_rejected);
    }
    strbuf_puts(&sb, k ? "\n  ],\n" : "],\n");
    const waivers *wv = verify_waivers(v);
    if (wv) { /* the waiver file, only when one was given (the verify/1 schema has no such name otherwise) */
        const table_stats *ws = waivers_stats(wv);
        strbuf_puts(&sb, "  \"waivers\": {\"path\": ");
        report_json_str(&sb, waivers_path(wv));
        strbuf_puts(&sb, ", \"encoding\": ");
        report_json_str(&sb, ws->encoding);
        strbuf_puts(&sb, ", \"sha256\": ");
        report_json_str(&sb, ws->sha256);
        strbuf_printf(&sb, ", \"rows_read\": %ld, \"rows_rejected\": %ld, \"as_of\": ", ws->rows_read, ws->rows_rejected);
        if (waivers_as_of(wv)) {
            char d[11];
            waiver_date_text(waivers_as_of(wv), d);
            report_json_str(&sb, d);
        } else {
            strbuf_puts(&sb, "null");
        }
        strbuf_puts(&sb, "},\n");
    }
    strbuf_puts(&sb, "  \"params\": {");
    k = 0;
    int year = verify_year(v);
    for (size_t i = 0; i < rules_nparams(r->rs); i++) {
        if (!param_listed(r, i))
            continue;
        const rule_param *p = rules_param(r->rs, i);
        const param_value *entry = NULL;
        value pv = rules_param_value(p, year != 0, year, &entry);
        strbuf_puts(&sb, k++ ? ",\n    " : "\n    ");
        report_json_str(&sb, p->id);
        strbuf_printf(&sb, ": {\"year\": %d, \"value\": ", year);
        jvalue(&sb, &pv);
        strbuf_puts(&sb, ", \"confirmed\": ");
        strbuf_puts(&sb, p->overridden || !entry ? "null" : entry->confirmed ? "true" : "false");
        strbuf_puts(&sb, ", \"source\": ");
        report_json_str(&sb, p->overridden ? "--param" : entry ? entry->source : NULL);
        strbuf_putc(&sb, '}');
    }
    strbuf_printf(&sb, "%s},\n  \"weighted\": %s,\n  \"counties\": [", k ? "\n  " : "", verify_weighted(v) ? "true" : "false");
    const verify_county *c;
    size_t n = verify_counties(v, &c);
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(&sb, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        report_json_str(&sb, c[i].id);
        strbuf_printf(&sb, ", \"status\": \"%s\", ", status_name(c[i].status));
        jrates(&sb, &c[i]);
        strbuf_puts(&sb, ", \"vetoes\": [");
        for (size_t j = 0; j < rules_nvetoes(r->rs); j++) {
            const verify_veto_result *res = &c[i].vetoes[j];
            strbuf_puts(&sb, j ? ", {\"id\": " : "{\"id\": ");
            report_json_str(&sb, rules_veto(r->rs, j)->id);
            strbuf_printf(&sb, ", \"status\": \"%s\", \"within_margin\": %s, \"threshold\": ", status_name(res->status),
                          res->within_margin ? "true" : "false");
            if (res->have_threshold)
                jnum(&sb, res->threshold);
            else
                strbuf_puts(&sb, "null");
            strbuf_putc(&sb, '}');
        }
        strbuf_puts(&sb, "], \"population\": ");
        if (c[i].have_population)
            jnum(&sb, c[i].population);
        else
            strbuf_puts(&sb, "null");
        strbuf_puts(&sb, ", \"registered_people\": ");
        jnum(&sb, c[i].reg_people);
        strbuf_puts(&sb, ", \"poor_people\": ");
        jnum(&sb, c[i].poor_people);
        strbuf_puts(&sb, ", \"exited_people\": ");
        jnum(&sb, c[i].exited_people);
        strbuf_printf(&sb, ", \"surveyed\": %ld, \"single_village_strata\": %ld}", c[i].surveyed, c[i].single_strata);
        if (sb.len > 60000 && report_flush(&sb, out)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    strbuf_puts(&sb, n ? "\n  ],\n  \"overall\": {" : "],\n  \"overall\": {");
    jrates(&sb, verify_overall(v));
    strbuf_puts(&sb, "},\n  \"households\": [");
    const verify_household *h;
    size_t nh = verify_households(v, &h);
    for (size_t i = 0; i < nh; i++) {
        strbuf_puts(&sb, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        report_json_str(&sb, h[i].id);
        strbuf_puts(&sb, ", \"village_id\": ");
        report_json_str(&sb, h[i].village);
        strbuf_puts(&sb, ", \"county_id\": ");
        report_json_str(&sb, h[i].county);
        strbuf_printf(&sb, ", \"registered\": %s, \"exit\": \"%s\", \"verified_status\": ",
                      h[i].registered < 0 ? "null" : h[i].registered ? "true" : "false", unit_exit_name(h[i].exit));
        if (h[i].survey)
            strbuf_printf(&sb, "\"%s\"", status_name(h[i].verified));
        else
            strbuf_puts(&sb, "null");
        strbuf_puts(&sb, ", \"weight\": ");
        if (h[i].have_weight)
            jnum(&sb, h[i].weight);
        else
            strbuf_puts(&sb, "null");
        strbuf_printf(&sb, ", \"finding\": \"%s\", \"identify\": %s, \"recognition\": %s, \"line\": %ld, \"register_line\": %ld, \"not_met\": [",
                      verify_finding_names[h[i].finding],
                      h[i].identify < 0 ? "null" : h[i].identify ? "true" : "false",
                      h[i].recognition < 0 ? "null" : h[i].recognition ? "true" : "false", h[i].line, h[i].reg_line);
        for (size_t t = 0, k2 = 0; t < lv->ntargets && t < 64; t++)
            if (h[i].not_met >> t & 1)
                strbuf_printf(&sb, "%s\"%s\"", k2++ ? ", " : "", lv->targets[t].id);
        if (verify_waivers(v)) {
            strbuf_puts(&sb, "], \"waived\": [");
            for (size_t t = 0, k2 = 0; t < lv->ntargets && t < 64; t++)
                if (h[i].waived >> t & 1)
                    strbuf_printf(&sb, "%s\"%s\"", k2++ ? ", " : "", lv->targets[t].id);
        }
        strbuf_puts(&sb, "], \"differences\": [");
        for (size_t j = 0; j < h[i].ndiffs; j++) {
            strbuf_puts(&sb, j ? ", {\"indicator\": " : "{\"indicator\": ");
            report_json_str(&sb, lv->ind[h[i].diffs[j].ind].id);
            strbuf_puts(&sb, ", \"register\": ");
            jvalue(&sb, &h[i].diffs[j].reg);
            strbuf_puts(&sb, ", \"survey\": ");
            jvalue(&sb, &h[i].diffs[j].sur);
            strbuf_putc(&sb, '}');
        }
        strbuf_puts(&sb, "]}");
        if (sb.len > 60000 && report_flush(&sb, out)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    verify_accuracy ha = verify_household_accuracy(v);
    strbuf_printf(&sb, "%s  \"accuracy\": {\"households\": {\"compared\": %ld, \"agree\": %ld, \"rate\": ", nh ? "\n  ],\n" : "],\n",
                  ha.compared, ha.agreed);
    if (ha.compared)
        jnum(&sb, report_rate(ha.agreed, ha.compared));
    else
        strbuf_puts(&sb, "null");
    strbuf_puts(&sb, "}, \"indicators\": [");
    const verify_accuracy *a = verify_indicator_accuracy(v);
    k = 0;
    for (size_t i = 0; i < lv->nind; i++) {
        if (!a[i].compared)
            continue;
        strbuf_puts(&sb, k++ ? ", {\"id\": " : "{\"id\": ");
        report_json_str(&sb, lv->ind[i].id);
        strbuf_printf(&sb, ", \"compared\": %ld, \"agree\": %ld, \"rate\": ", a[i].compared, a[i].agreed);
        jnum(&sb, report_rate(a[i].agreed, a[i].compared));
        strbuf_putc(&sb, '}');
    }
    strbuf_puts(&sb, "]},\n  \"diagnostics\": [");
    for (size_t i = 0; i < diag_count(r->d); i++) {
        const diag_entry *de = diag_get(r->d, i);
        strbuf_puts(&sb, i ? ",\n    " : "\n    ");
        report_json_diag(&sb, de);
    }
    strbuf_puts(&sb, diag_count(r->d) ? "\n  ],\n" : "],\n");
    strbuf_printf(&sb, "  \"diagnostics_suppressed\": %zu,\n  \"exit_status\": %d\n}\n", diag_suppressed(r->d),
                  (int)r->status);
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    return rc;
}

/* ---------- csv: the household list, header on row 1 ---------- */

static int write_csv(const verify_report_ctx *r, FILE *out)
{
    strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
    const rule_level *lv = verify_level(r->v);
    if (r->bom)
        strbuf_puts(&sb, "\xEF\xBB\xBF");
    strbuf_puts(&sb, "county_id,village_id,household_id,finding,registered,exit,verified_status,weight,differences\n");
    const verify_household *h;
    size_t n = verify_households(r->v, &h);
    for (size_t i = 0; i < n; i++) {
        report_csv_cell(&sb, h[i].county, strlen(h[i].county));
        strbuf_putc(&sb, ',');
        report_csv_cell(&sb, h[i].village, strlen(h[i].village));
        strbuf_putc(&sb, ',');
        report_csv_cell(&sb, h[i].id, strlen(h[i].id));
        strbuf_printf(&sb, ",%s,%s,%s,%s,", verify_finding_names[h[i].finding],
                      h[i].registered < 0 ? "" : h[i].registered ? "yes" : "no", unit_exit_name(h[i].exit),
                      h[i].survey ? status_name(h[i].verified) : "");
        if (h[i].have_weight)
            strbuf_printf(&sb, "%.17g", h[i].weight);
        strbuf_putc(&sb, ',');
        strbuf_reset(&tmp);
        diffs_text(&tmp, &h[i], lv, r->zh);
        report_csv_cell(&sb, strbuf_str(&tmp), tmp.len);
        strbuf_putc(&sb, '\n');
        if (sb.len > 60000 && report_flush(&sb, out)) {
            strbuf_free(&sb);
            strbuf_free(&tmp);
            return -1;
        }
    }
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    strbuf_free(&tmp);
    return rc;
}

/* ---------- xlsx: the workbook (report_xlsx.h) ---------- */

static const verify_string county_words[] = {[ST_PASS] = VS_PASS, [ST_FAIL] = VS_FAIL, [ST_UNKNOWN] = VS_UNKNOWN,
                                             [ST_WARN] = VS_UNKNOWN, [ST_WAIVED] = VS_UNKNOWN};
static const verify_string veto_words[] = {[ST_PASS] = VS_MET, [ST_FAIL] = VS_NOT_MET, [ST_UNKNOWN] = VS_UNKNOWN,
                                           [ST_WARN] = VS_UNKNOWN, [ST_WAIVED] = VS_UNKNOWN};

/* The header of a figure's estimate, from column 0: figure, estimate,
 * standard error, margin of error, the interval, the weighted sums, the
 * households and those undecided. */
static const report_string rate_head[] = {RS_X_ESTIMATE, RS_X_SE,        RS_X_MARGIN,       RS_X_CI_LOW,
                                          RS_X_CI_HIGH,  RS_X_NUMERATOR, RS_X_DENOMINATOR, RS_X_HOUSEHOLDS_N};
enum { RATE_COLS = 10 };

static void rate_label(strbuf *sb, report_string id, int zh)
{
    strbuf_reset(sb);
    if (id <= RS_X_CI_HIGH)
        rs_printf(sb, RS_X_PERCENT, zh, RS(id, zh));
    else
        strbuf_puts(sb, RS(id, zh));
}

/* The header cells of a rates table: as a sheet's header (head) or as a
 * bold row of the summary. */
static void rate_header(xlsx_book *b, int head, int zh)
{
    strbuf sb = STRBUF_INIT;
    for (size_t k = 0; k <= sizeof rate_head / sizeof rate_head[0]; k++) {
        if (k == 0)
            strbuf_puts(&sb, VS(VS_FIGURE, zh));
        else
            rate_label(&sb, rate_head[k - 1], zh);
        if (head)
            xlsx_head(b, strbuf_str(&sb));
        else
            xlsx_bold(b, (xlsx_col)k, strbuf_str(&sb));
    }
    if (head)
        xlsx_head(b, VS(VS_F_UNDECIDED, zh));
    else
        xlsx_bold(b, RATE_COLS - 1, VS(VS_F_UNDECIDED, zh));
    if (sb.oom)
        xlsx_fail(b);
    strbuf_free(&sb);
}

/* Figure k's estimate in columns 0 to RATE_COLS - 1, percentages as the
 * json report's; nothing for an unknown estimate but its counts. */
static void rate_row(xlsx_book *b, const verify_estimate *e, int k, int zh)
{
    xlsx_text(b, 0, VS(rate_words[k], zh));
    if (e->known) {
        xlsx_pct(b, 1, e->value);
        xlsx_pct(b, 2, e->se);
        xlsx_pct(b, 3, 1.96 * e->se);
        xlsx_pct(b, 4, e->lo);
        xlsx_pct(b, 5, e->hi);
    }
    xlsx_num(b, 6, e->num);
    xlsx_num(b, 7, e->den);
    xlsx_num(b, 8, (double)e->households);
    xlsx_num(b, 9, (double)e->undecided);
}

/* Bold labels of a summary table, then the row ended. */
static void bold_row(xlsx_book *b, const report_string *ids, size_t n, int zh)
{
    for (size_t k = 0; k < n; k++)
        xlsx_bold(b, (xlsx_col)k, RS(ids[k], zh));
    xlsx_row_end(b);
}

/* Per county its verdict and people; then per county and veto the
 * outcome. */
static void vx_counties(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh;
    static const report_string head[] = {RS_X_COUNTY_ID, RS_VERDICT, RS_X_SURVEYED, RS_X_SINGLE, RS_X_POPULATION,
                                         RS_X_REG_PEOPLE, RS_X_POOR_PEOPLE, RS_X_EXITED_PEOPLE};
    bold_row(b, head, sizeof head / sizeof head[0], zh);
    const verify_county *c;
    size_t n = verify_counties(r->v, &c);
    for (size_t i = 0; i < n; i++) {
        xlsx_text(b, 0, c[i].id);
        xlsx_text(b, 1, VS(county_words[c[i].status], zh));
        xlsx_num(b, 2, (double)c[i].surveyed);
        xlsx_num(b, 3, (double)c[i].single_strata);
        if (c[i].have_population)
            xlsx_num(b, 4, c[i].population);
        xlsx_num(b, 5, c[i].reg_people);
        xlsx_num(b, 6, c[i].poor_people);
        xlsx_num(b, 7, c[i].exited_people);
        xlsx_row_end(b);
    }
    xlsx_row_end(b);
    static const report_string vhead[] = {RS_X_COUNTY_ID, RS_ID, RS_NAME, RS_X_FIGURE, RS_X_THRESHOLD, RS_VERDICT,
                                          RS_X_WITHIN};
    bold_row(b, vhead, sizeof vhead / sizeof vhead[0], zh);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < rules_nvetoes(r->rs); j++) {
            const rule_veto *vt = rules_veto(r->rs, j);
            const verify_veto_result *res = &c[i].vetoes[j];
            xlsx_text(b, 0, c[i].id);
            xlsx_text(b, 1, vt->id);
            xlsx_text(b, 2, report_title(&vt->title, zh));
            xlsx_text(b, 3, VS(rate_words[vt->rate], zh));
            if (res->have_threshold)
                xlsx_num(b, 4, res->threshold);
            xlsx_text(b, 5, VS(veto_words[res->status], zh));
            xlsx_bool(b, 6, res->within_margin);
            xlsx_row_end(b);
        }
    xlsx_row_end(b);
}

/* The parameters a verify reads, with their origin. */
static void vx_params(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh, year = verify_year(r->v);
    static const report_string head[] = {RS_PARAM, RS_PARAM_UNIT, RS_YEAR, RS_VALUE, RS_X_ORIGIN, RS_SOURCE};
    bold_row(b, head, sizeof head / sizeof head[0], zh);
    for (size_t i = 0; i < rules_nparams(r->rs); i++) {
        if (!param_listed(r, i))
            continue;
        const rule_param *p = rules_param(r->rs, i);
        const param_value *entry = NULL;
        value pv = rules_param_value(p, year != 0, year, &entry);
        xlsx_text(b, 0, p->id);
        xlsx_text(b, 1, p->unit);
        if (year)
            xlsx_num(b, 2, year);
        if (pv.kind == V_NUM)
            xlsx_num(b, 3, pv.u.num);
        else if (pv.kind == V_BOOL)
            xlsx_bool(b, 3, pv.u.b);
        else if (pv.kind == V_TEXT)
            xlsx_text_n(b, 3, pv.u.s, pv.len);
        report_string origin = p->overridden ? RS_GIVEN_BY_PARAM : !entry ? RS_NO_VALUE
                             : entry->confirmed ? RS_X_CONFIRMED : RS_UNVERIFIED;
        xlsx_text(b, 4, RS(origin, zh));
        xlsx_text(b, 5, entry && !p->overridden ? entry->source : NULL);
        xlsx_row_end(b);
    }
    xlsx_row_end(b);
}

/* An input's row: its kind, path, encoding, rows, SHA-256 (column 9). */
static void vx_input(xlsx_book *b, const char *kind, const char *path, const table_stats *st, int zh)
{
    xlsx_text(b, 0, kind);
    xlsx_text(b, 1, path);
    if (st) {
        xlsx_text(b, 2, report_tr(st->encoding, zh));
        xlsx_num(b, 3, (double)st->rows_read);
        xlsx_num(b, 4, (double)st->rows_rejected);
        xlsx_text(b, 9, st->sha256);
    }
    xlsx_row_end(b);
}

/* Every file read: survey, manifest, register, waivers, rule files. */
static void vx_inputs(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh;
    static const verify_string names[VIN__COUNT] = {VS_MANIFEST, VS_SURVEY, VS_REGISTER, VS_REGISTER, VS_REGISTER};
    static const report_string head[] = {RS_X_INPUT, RS_FILE, RS_ENCODING, RS_ROWS_READ, RS_REJECTED};
    xlsx_bold(b, 0, RS(RS_INPUTS, zh));
    xlsx_row_end(b);
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_bold(b, (xlsx_col)k, RS(head[k], zh));
    xlsx_bold(b, 9, "SHA-256");
    xlsx_row_end(b);
    for (int i = 0; i < VIN__COUNT; i++) {
        const table_stats *st = verify_stats(r->v, (verify_input)i);
        if (st)
            vx_input(b, VS(names[i], zh), verify_input_path(r->v, (verify_input)i), st, zh);
    }
    const waivers *wv = verify_waivers(r->v);
    if (wv)
        vx_input(b, RS(RS_WAIVER_FILE, zh), waivers_path(wv), waivers_stats(wv), zh);
    xlsx_rule_files(b, r->rs, zh);
}

static void vx_summary(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh;
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "exitcheck %s: %s", EXITCHECK_VERSION, VS(VS_TITLE, zh));
    xlsx_bold(b, 0, strbuf_str(&sb));
    xlsx_row_end(b);
    strbuf_reset(&sb);
    verdict_text(&sb, r);
    xlsx_text(b, 0, RS(RS_VERDICT, zh));
    xlsx_bold(b, 1, strbuf_str(&sb));
    xlsx_row_end(b);
    xlsx_text(b, 0, RS(RS_EXIT_STATUS, zh));
    xlsx_num(b, 1, (double)r->status);
    xlsx_row_end(b);
    xlsx_tool_and_pack(b, r->rs, zh);
    xlsx_text(b, 0, RS(RS_X_WEIGHTED, zh));
    xlsx_bool(b, 1, verify_weighted(r->v));
    if (!verify_weighted(r->v))
        xlsx_text(b, 2, VS(VS_UNWEIGHTED, zh));
    xlsx_row_end(b);
    xlsx_row_end(b);
    xlsx_bold(b, 0, VS(VS_OVERALL, zh));
    xlsx_row_end(b);
    rate_header(b, 0, zh);
    xlsx_row_end(b);
    for (int k = 0; k < RATE__COUNT; k++) {
        rate_row(b, &verify_overall(r->v)->rates[k], k, zh);
        xlsx_row_end(b);
    }
    xlsx_row_end(b);
    vx_counties(b, r);
    vx_params(b, r);
    vx_inputs(b, r);
    xlsx_widths(b, 0, 0, 30);
    xlsx_widths(b, 1, 8, 14);
    xlsx_widths(b, 9, 9, 66);
    if (sb.oom)
        xlsx_fail(b);
    strbuf_free(&sb);
}

/* A county's sheet: a row per figure and veto (one for a figure without
 * a veto), the estimate, then the veto, its threshold and outcome. */
static void vx_county(xlsx_book *b, const verify_report_ctx *r, const verify_county *c)
{
    int zh = r->zh;
    rate_header(b, 1, zh);
    xlsx_head(b, RS(RS_ID, zh));
    xlsx_head(b, VS(VS_VETO, zh));
    xlsx_head(b, RS(RS_X_THRESHOLD, zh));
    xlsx_head(b, VS(VS_VERDICT, zh));
    xlsx_head(b, RS(RS_X_WITHIN, zh));
    strbuf name = STRBUF_INIT;
    rs_printf(&name, RS_X_COUNTY_SHEET, zh, c->id);
    if (name.oom)
        xlsx_fail(b);
    int rc = xlsx_sheet(b, strbuf_str(&name));
    strbuf_free(&name);
    for (int k = 0; k < RATE__COUNT && !rc; k++) {
        int rows = 0;
        for (size_t j = 0; j <= rules_nvetoes(r->rs) && !xlsx_row(b); j++) {
            const rule_veto *vt = j < rules_nvetoes(r->rs) ? rules_veto(r->rs, j) : NULL;
            if (vt ? vt->rate != (verify_rate)k : rows > 0)
                continue;
            rate_row(b, &c->rates[k], k, zh);
            if (vt) {
                const verify_veto_result *res = &c->vetoes[j];
                xlsx_text(b, RATE_COLS, vt->id);
                xlsx_text(b, RATE_COLS + 1, report_title(&vt->title, zh));
                if (res->have_threshold)
                    xlsx_num(b, RATE_COLS + 2, res->threshold);
                xlsx_text(b, RATE_COLS + 3, VS(veto_words[res->status], zh));
                xlsx_bool(b, RATE_COLS + 4, res->within_margin);
            }
            xlsx_row_end(b);
            rows++;
        }
    }
    xlsx_sheet_end(b);
}

/* Every surveyed household, then the drawn ones not surveyed, as the csv
 * report lists them. */
static void vx_households(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh;
    const rule_level *lv = verify_level(r->v);
    static const verify_string vhead[] = {VS_COUNTY_COL, VS_VILLAGE, VS_HOUSEHOLD, VS_FINDING};
    for (size_t k = 0; k < sizeof vhead / sizeof vhead[0]; k++)
        xlsx_head(b, VS(vhead[k], zh));
    static const report_string rhead[] = {RS_X_REGISTERED, RS_EXIT, RS_X_VERIFIED, RS_X_WEIGHT};
    for (size_t k = 0; k < sizeof rhead / sizeof rhead[0]; k++)
        xlsx_head(b, RS(rhead[k], zh));
    xlsx_head(b, VS(VS_NOT_MET_T, zh));
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s → %s", VS(VS_REG_VALUE, zh), VS(VS_SUR_VALUE, zh));
    xlsx_head(b, strbuf_str(&sb));
    xlsx_head(b, RS(RS_X_RECOGNITION, zh));
    xlsx_head(b, RS(RS_X_SURVEY_LINE, zh));
    xlsx_head(b, RS(RS_X_REGISTER_LINE, zh));
    const verify_household *h;
    size_t n = verify_households(r->v, &h);
    if (xlsx_sheet(b, RS(RS_X_HOUSEHOLDS, zh)) == 0)
        for (size_t i = 0; i < n && !xlsx_row(b); i++) {
            xlsx_text(b, 0, h[i].county);
            xlsx_text(b, 1, h[i].village);
            xlsx_text(b, 2, h[i].id);
            xlsx_text(b, 3, VS(finding_words[h[i].finding], zh));
            if (h[i].registered >= 0)
                xlsx_bool(b, 4, h[i].registered);
            xlsx_text(b, 5, unit_exit_name(h[i].exit));
            if (h[i].survey)
                xlsx_text(b, 6, report_status_word(h[i].verified, zh));
            if (h[i].have_weight)
                xlsx_num(b, 7, h[i].weight);
            strbuf_reset(&sb);
            not_met_text(&sb, &h[i], lv, zh);
            xlsx_text(b, 8, strbuf_str(&sb));
            strbuf_reset(&sb);
            diffs_text(&sb, &h[i], lv, zh);
            xlsx_text(b, 9, strbuf_str(&sb));
            if (h[i].recognition >= 0)
                xlsx_bool(b, 10, h[i].recognition);
            if (h[i].line > 0)
                xlsx_num(b, 11, (double)h[i].line);
            if (h[i].reg_line > 0)
                xlsx_num(b, 12, (double)h[i].reg_line);
            xlsx_row_end(b);
        }
    if (sb.oom)
        xlsx_fail(b);
    strbuf_free(&sb);
    xlsx_sheet_end(b);
}

/* The register's accuracy: every household, then each indicator compared
 * (by id; in Chinese also its name). */
static void vx_accuracy(xlsx_book *b, const verify_report_ctx *r)
{
    int zh = r->zh;
    const rule_level *lv = verify_level(r->v);
    const verify_accuracy *a = verify_indicator_accuracy(r->v);
    verify_accuracy ha = verify_household_accuracy(r->v);
    static const verify_string head[] = {VS_INDICATOR, VS_COMPARED, VS_AGREE};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_head(b, VS(head[k], zh));
    strbuf sb = STRBUF_INIT;
    rs_printf(&sb, RS_X_PERCENT, zh, VS(VS_RATE, zh));
    xlsx_head(b, strbuf_str(&sb));
    if (zh)
        xlsx_head(b, RS(RS_NAME, zh));
    if (sb.oom)
        xlsx_fail(b);
    strbuf_free(&sb);
    if (xlsx_sheet(b, RS(RS_X_ACCURACY, zh)) || xlsx_row(b))
        return;
    xlsx_text(b, 0, VS(VS_ALL_HOUSEHOLDS, zh));
    xlsx_num(b, 1, (double)ha.compared);
    xlsx_num(b, 2, (double)ha.agreed);
    if (ha.compared)
        xlsx_pct(b, 3, report_rate(ha.agreed, ha.compared));
    xlsx_row_end(b);
    for (size_t i = 0; i < lv->nind && !xlsx_row(b); i++) {
        if (!a[i].compared)
            continue;
        xlsx_text(b, 0, lv->ind[i].id);
        xlsx_num(b, 1, (double)a[i].compared);
        xlsx_num(b, 2, (double)a[i].agreed);
        xlsx_pct(b, 3, report_rate(a[i].agreed, a[i].compared));
        if (zh)
            xlsx_text(b, 4, lv->ind[i].zh);
        xlsx_row_end(b);
    }
    xlsx_sheet_end(b);
}

static int write_xlsx(const verify_report_ctx *r, FILE *out)
{
    strbuf title = STRBUF_INIT;
    strbuf_printf(&title, "exitcheck: %s", VS(VS_TITLE, r->zh));
    xlsx_book *b = xlsx_open(strbuf_str(&title), 0);
    strbuf_free(&title);
    if (!b)
        return -1;
    if (xlsx_sheet(b, RS(RS_X_SUMMARY, r->zh)) == 0)
        vx_summary(b, r);
    const verify_county *c;
    size_t n = verify_counties(r->v, &c);
    for (size_t i = 0; i < n && !xlsx_bad(b); i++)
        vx_county(b, r, &c[i]);
    vx_households(b, r);
    vx_accuracy(b, r);
    xlsx_problems(b, r->d, r->zh);
    return xlsx_close(&b, out);
}

int verify_report_write(
const void *ctx, FILE *out)
{
    const verify_report_ctx *r = ctx;
    switch (r->format) {
    case FMT_TEXT: return write_layout(r, out, L_TEXT);
    case FMT_MD: return write_layout(r, out, L_MD);
    case FMT_HTML: return write_layout(r, out, L_HTML);
    case FMT_JSON: return write_json(r, out);
    case FMT_CSV: return write_csv(r, out);
    case FMT_XLSX: return write_xlsx(r, out);
    case FMT_JUNIT:
    case FMT_UNITS:
    case FMT__COUNT: break; /* refused by the command line */
    }
    return -1;
}
