/*
 * report_sample.c - the sample report in six formats (report_sample.h).
 *
 * The tables (village strata per county; household strata per county,
 * summed over the drawn villages) are built once as rows of strings and
 * rendered per format, so text, md, html and csv say the same thing; csv
 * and json also give every household stratum of every drawn village.
 * Every string from data or a plan goes through the format's escaping
 * (html: esc; csv: report_csv_cell; json: report_json_str; xlsx: the
 * workbook's own, report_xlsx.h).
 *
 * xlsx sheets: Summary (the outcome, plan, pack, seed, counts, the strata
 * per county as the text report's tables, the files read with their
 * SHA-256), Strata (every draw, as the csv report), Units drawn (the
 * manifest's rows: ids text, pi and weight numbers, u its 16 hex digits;
 * none when the input has errors, as then no manifest is written) and
 * Problems.
 */
#include "report_sample.h"
#include "report_html.h"
#include "report_strings.h"
#include "report_xlsx.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    SS_TITLE, SS_PLAN, SS_PACK, SS_SEED, SS_FRAME, SS_VILLAGES, SS_HOUSEHOLDS, SS_COUNTY, SS_VILLAGE, SS_STRATUM,
    SS_METHOD, SS_TAKE, SS_N, SS_DRAWN, SS_PI, SS_PI_OWN, SS_ALL, SS_VSUM, SS_HSUM, SS_NOT_DRAWN, SS_ORPHANS,
    SS_NO_STRATUM_V, SS_NO_STRATUM_H, SS_SIZE_ERRORS, SS_STATUS_OK, SS_STATUS_BAD, SS_NVILLAGES, SS_LEVEL,
    SS_ROWS, SS_NOTHING, SS_PROBLEMS_NONE, SS__COUNT
} sample_string;

static const char *const ss_en[SS__COUNT] = {
    [SS_TITLE] = "field-verification sample",
    [SS_PLAN] = "Plan",
    [SS_PACK] = "Pack",
    [SS_SEED] = "Seed",
    [SS_FRAME] = "Frame",
    [SS_VILLAGES] = "Villages, per county and stratum",
    [SS_HOUSEHOLDS] = "Households, per county and stratum (over the drawn villages)",
    [SS_COUNTY] = "county",
    [SS_VILLAGE] = "village",
    [SS_STRATUM] = "stratum",
    [SS_METHOD] = "method",
    [SS_TAKE] = "take",
    [SS_N] = "N",
    [SS_DRAWN] = "n",
    [SS_PI] = "pi",
    [SS_PI_OWN] = "pi (own)",
    [SS_ALL] = "all",
    [SS_VSUM] = "Villages drawn: %ld of %ld in the frame.",
    [SS_HSUM] = "Households drawn: %ld, from %ld in the drawn villages (%ld in the frame).",
    [SS_NOT_DRAWN] = "Never drawn:",
    [SS_ORPHANS] = "households whose village is not in the village table: %ld (the first at line %ld)",
    [SS_NO_STRATUM_V] = "villages in no stratum: %ld",
    [SS_NO_STRATUM_H] = "households of drawn villages in no stratum: %ld",
    [SS_SIZE_ERRORS] = "units of a pps stratum without a positive size (errors): %ld",
    [SS_STATUS_OK] = "The sample is drawn; exit status 0.",
    [SS_STATUS_BAD] = "The input has errors: this is not a sample to survey, and no manifest or form was written; exit status %d.",
    [SS_NVILLAGES] = "villages",
    [SS_LEVEL] = "level",
    [SS_ROWS] = "%ld rows read, %ld rejected",
    [SS_NOTHING] = "none",
    [SS_PROBLEMS_NONE] = "No problems found.",
};

static const char *const ss_zh[SS__COUNT] = {
    [SS_TITLE] = "实地核查抽样",
    [SS_PLAN] = "抽样方案",
    [SS_PACK] = "规则包",
    [SS_SEED] = "随机种子",
    [SS_FRAME] = "抽样框",
    [SS_VILLAGES] = "抽中的村（按县、按层）",
    [SS_HOUSEHOLDS] = "抽中的户（按县、按层，合计各抽中村）",
    [SS_COUNTY] = "县",
    [SS_VILLAGE] = "村",
    [SS_STRATUM] = "层",
    [SS_METHOD] = "方法",
    [SS_TAKE] = "应抽",
    [SS_N] = "总数 N",
    [SS_DRAWN] = "抽中 n",
    [SS_PI] = "入样概率 π",
    [SS_PI_OWN] = "村内入样概率 π",
    [SS_ALL] = "全部",
    [SS_VSUM] = "抽中村 %ld 个，抽样框共 %ld 个。",
    [SS_HSUM] = "抽中户 %ld 户，抽中村共 %ld 户（抽样框共 %ld 户）。",
    [SS_NOT_DRAWN] = "不参与抽样：",
    [SS_ORPHANS] = "%ld 户所属村不在村表中（第一户在第 %ld 行）",
    [SS_NO_STRATUM_V] = "%ld 个村不属于任何层",
    [SS_NO_STRATUM_H] = "抽中村中 %ld 户不属于任何层",
    [SS_SIZE_ERRORS] = "%ld 个按规模抽样（pps）层的单位没有正的规模值（错误）",
    [SS_STATUS_OK] = "样本已抽取；退出状态 0。",
    [SS_STATUS_BAD] = "输入有错误：此样本不能用于实地调查，未写出抽样清单和调查表；退出状态 %d。",
    [SS_NVILLAGES] = "村数",
    [SS_LEVEL] = "层级",
    [SS_ROWS] = "读入 %ld 行，拒收 %ld 行",
    [SS_NOTHING] = "无",
    [SS_PROBLEMS_NONE] = "未发现问题。",
};

_Static_assert(sizeof ss_en / sizeof *ss_en == SS__COUNT && sizeof ss_zh / sizeof *ss_zh == SS__COUNT,
               "a string for every sample_string in both languages");

static const char *SS(sample_string id, int zh) { return zh ? ss_zh[id] : ss_en[id]; }

/* Appends string id formatted with the arguments (as rs_printf: the
 * format is one of this file's tables). */
static void ss_printf(strbuf *sb, sample_string id, int zh, ...)
{
    va_list ap;
    va_start(ap, zh);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    strbuf_vprintf(sb, SS(id, zh), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

/* ---------- the tables, as rows of strings ---------- */

enum { MAXC = 9 };

typedef struct tbl {
    size_t ncols;
    int right[MAXC];          /* numbers align right */
    strbuf *cells;            /* rows x ncols, the header first */
    size_t nrows, cap;
    int oom;
} tbl;

static strbuf *tbl_row(tbl *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        strbuf *c = mem_realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c) {
            t->oom = 1;
            return NULL;
        }
        t->cells = c;
        t->cap = cap;
    }
    strbuf *row = &t->cells[t->nrows++ * t->ncols];
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = (strbuf)STRBUF_INIT;
    return row;
}

static void tbl_free(tbl *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        strbuf_free(&t->cells[i]);
    mem_free(t->cells);
}

static void pi_range(strbuf *sb, double lo, double hi, long n)
{
    if (!n) {
        strbuf_puts(sb, "-");
        return;
    }
    strbuf_printf(sb, "%.4g", lo);
    if (hi != lo)
        strbuf_printf(sb, "-%.4g", hi);
}

static void take_text(strbuf *sb, const plan_stratum *ps, int zh)
{
    if (ps->take == PLAN_TAKE_ALL)
        strbuf_puts(sb, SS(SS_ALL, zh));
    else
        strbuf_printf(sb, "%ld", ps->take);
}

static void village_table(const sample_report_ctx *r, tbl *t)
{
    int zh = r->zh;
    static const sample_string head[] = {SS_COUNTY, SS_STRATUM, SS_METHOD, SS_TAKE, SS_N, SS_DRAWN, SS_PI};
    t->ncols = 7;
    for (size_t i = 0; i < t->ncols; i++)
        t->right[i] = i >= 3;
    strbuf *h = tbl_row(t);
    for (size_t i = 0; h && i < t->ncols; i++)
        strbuf_puts(&h[i], SS(head[i], zh));
    const sample_cell *c;
    size_t n = r->s ? sample_cells(r->s, &c) : 0;
    const plan_stage *sg = plan_get_stage(r->p, PLAN_VILLAGES);
    for (size_t i = 0; i < n; i++) {
        if (c[i].stage != PLAN_VILLAGES)
            continue;
        const plan_stratum *ps = &sg->strata[c[i].stratum];
        strbuf *row = tbl_row(t);
        if (!row)
            return;
        strbuf_puts(&row[0], c[i].county);
        strbuf_puts(&row[1], ps->id);
        strbuf_puts(&row[2], ps->method == PLAN_PPS ? "pps" : "srs");
        take_text(&row[3], ps, zh);
        strbuf_printf(&row[4], "%ld", c[i].population);
        strbuf_printf(&row[5], "%ld", c[i].drawn);
        pi_range(&row[6], c[i].pi_min, c[i].pi_max, c[i].drawn);
    }
}

/* Household strata summed per county over its drawn villages. */
static void household_table(const sample_report_ctx *r, tbl *t)
{
    int zh = r->zh;
    static const sample_string head[] = {SS_COUNTY, SS_STRATUM, SS_METHOD, SS_TAKE, SS_NVILLAGES, SS_N, SS_DRAWN, SS_PI_OWN};
    t->ncols = 8;
    for (size_t i = 0; i < t->ncols; i++)
        t->right[i] = i >= 3;
    strbuf *h = tbl_row(t);
    for (size_t i = 0; h && i < t->ncols; i++)
        strbuf_puts(&h[i], SS(head[i], zh));
    const sample_cell *c;
    size_t n = r->s ? sample_cells(r->s, &c) : 0;
    const plan_stage *sg = plan_get_stage(r->p, PLAN_HOUSEHOLDS);
    size_t i = 0;
    while (i < n && c[i].stage != PLAN_HOUSEHOLDS)
        i++;
    /* cells come by county, village, stratum: sum each county's per stratum */
    while (i < n) {
        size_t end = i;
        while (end < n && !strcmp(c[end].county, c[i].county))
            end++;
        for (size_t k = 0; k < sg->nstrata; k++) {
            long villages = 0, N = 0, drawn = 0;
            double lo = 0, hi = 0;
            for (size_t j = i; j < end; j++) {
                if (c[j].stratum != (int)k)
                    continue;
                villages++;
                N += c[j].population;
                if (c[j].drawn) {
                    if (!drawn || c[j].pi_min < lo)
                        lo = c[j].pi_min;
                    if (!drawn || c[j].pi_max > hi)
                        hi = c[j].pi_max;
                }
                drawn += c[j].drawn;
            }
            const plan_stratum *ps = &sg->strata[k];
            strbuf *row = tbl_row(t);
            if (!row)
                return;
            strbuf_puts(&row[0], c[i].county);
            strbuf_puts(&row[1], ps->id);
            strbuf_puts(&row[2], ps->method == PLAN_PPS ? "pps" : "srs");
            take_text(&row[3], ps, zh);
            strbuf_printf(&row[4], "%ld", villages);
            strbuf_printf(&row[5], "%ld", N);
            strbuf_printf(&row[6], "%ld", drawn);
            pi_range(&row[7], lo, hi, drawn);
        }
        i = end;
    }
}

/* ---------- what every format states ---------- */

static void summary_lines(const sample_report_ctx *r, strbuf *lines[4], size_t *nl, strbuf *store)
{
    int zh = r->zh;
    const sample_counts *k = r->s ? sample_get_counts(r->s) : NULL;
    *nl = 0;
    if (!k)
        return;
    ss_printf(&store[0], SS_VSUM, zh, k->drawn[PLAN_VILLAGES], k->units[PLAN_VILLAGES]);
    ss_printf(&store[1], SS_HSUM, zh, k->drawn[PLAN_HOUSEHOLDS], k->in_drawn_villages,
                  k->units[PLAN_HOUSEHOLDS]);
    lines[(*nl)++] = &store[0];
    lines[(*nl)++] = &store[1];
    strbuf *nd = &store[2];
    int any = 0;
    if (k->orphans) {
        strbuf_printf(nd, "%s", any++ ? (zh ? "；" : "; ") : "");
        ss_printf(nd, SS_ORPHANS, zh, k->orphans, k->orphan_line);
    }
    if (k->no_stratum[PLAN_VILLAGES]) {
        strbuf_printf(nd, "%s", any++ ? (zh ? "；" : "; ") : "");
        ss_printf(nd, SS_NO_STRATUM_V, zh, k->no_stratum[PLAN_VILLAGES]);
    }
    if (k->no_stratum[PLAN_HOUSEHOLDS]) {
        strbuf_printf(nd, "%s", any++ ? (zh ? "；" : "; ") : "");
        ss_printf(nd, SS_NO_STRATUM_H, zh, k->no_stratum[PLAN_HOUSEHOLDS]);
    }
    if (k->size_errors[PLAN_VILLAGES] + k->size_errors[PLAN_HOUSEHOLDS]) {
        strbuf_printf(nd, "%s", any++ ? (zh ? "；" : "; ") : "");
        ss_printf(nd, SS_SIZE_ERRORS, zh, k->size_errors[PLAN_VILLAGES] + k->size_errors[PLAN_HOUSEHOLDS]);
    }
    if (any) {
        strbuf *line = &store[3];
        strbuf_printf(line, "%s %s%s", SS(SS_NOT_DRAWN, zh), strbuf_str(nd), zh ? "。" : ".");
        lines[(*nl)++] = line;
    }
}

static void status_line(const sample_report_ctx *r, strbuf *sb)
{
    if (r->status == EXIT_OK)
        strbuf_puts(sb, SS(SS_STATUS_OK, r->zh));
    else
        ss_printf(sb, SS_STATUS_BAD, r->zh, (int)r->status);
}

static const char *level_id(const sample_report_ctx *r, plan_stage_id st)
{
    return rules_level(r->rs, (size_t)plan_get_stage(r->p, st)->level)->id;
}

/* ---------- text and md ---------- */

static void text_table(strbuf *sb, const tbl *t, int md)
{
    int width[MAXC] = {0};
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t j = 0; j < t->ncols; j++) {
            int w = rs_width(strbuf_str(&t->cells[i * t->ncols + j]));
            if (w > width[j])
                width[j] = w;
        }
    for (size_t i = 0; i < t->nrows; i++) {
        strbuf_puts(sb, md ? "|" : " ");
        for (size_t j = 0; j < t->ncols; j++) {
            const strbuf *c = &t->cells[i * t->ncols + j];
            strbuf_putc(sb, ' ');
            if (md) {
                for (const char *p = strbuf_str(c); *p; p++) {
                    if (*p == '|' || *p == '\\' || *p == '*' || *p == '_' || *p == '`' || *p == '<')
                        strbuf_putc(sb, '\\');
                    strbuf_putc(sb, *p == '\n' ? ' ' : *p);
                }
                strbuf_puts(sb, " |");
            } else {
                rs_pad(sb, strbuf_str(c), width[j], t->right[j]);
                strbuf_putc(sb, ' ');
            }
        }
        while (!md && sb->len && sb->s[sb->len - 1] == ' ')
            sb->len--;
        strbuf_putc(sb, '\n');
        if (md && i == 0) {
            strbuf_putc(sb, '|');
            for (size_t j = 0; j < t->ncols; j++)
                strbuf_puts(sb, t->right[j] ? " ---: |" : " --- |");
            strbuf_putc(sb, '\n');
        }
    }
}

static void md_text(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>|#", *s))
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *s == '\n' ? ' ' : *s);
    }
}

static int write_text(const sample_report_ctx *r, FILE *out, int md)
{
    int zh = r->zh;
    strbuf sb = STRBUF_INIT;
    text2 pt = plan_title(r->p);
    strbuf_printf(&sb, "%sexitcheck %s: %s\n\n", md ? "# " : "", EXITCHECK_VERSION, SS(SS_TITLE, zh));
    const char *b = md ? "- **" : "", *e = md ? "**" : "";
    strbuf_printf(&sb, "%s%s%s%s ", b, SS(SS_PLAN, zh), e, zh ? "：" : ":");
    if (md)
        md_text(&sb, plan_id(r->p));
    else
        strbuf_puts(&sb, plan_id(r->p));
    if (plan_version(r->p))
        strbuf_printf(&sb, " %s", plan_version(r->p));
    if (report_title(&pt, zh) && *report_title(&pt, zh)) {
        strbuf_puts(&sb, " (");
        if (md)
            md_text(&sb, report_title(&pt, zh));
        else
            strbuf_puts(&sb, report_title(&pt, zh));
        strbuf_puts(&sb, ")");
    }
    strbuf_printf(&sb, "\n%s  %s  sha256 %s\n", md ? "" : "     ", plan_path(r->p), plan_sha256(r->p));
    strbuf_printf(&sb, "%s%s%s%s %s %s\n", b, SS(SS_PACK, zh), e, zh ? "：" : ":", rules_id(r->rs), rules_version(r->rs));
    for (size_t i = 0; i < rules_nfiles(r->rs); i++)
        strbuf_printf(&sb, "%s  %s  sha256 %s\n", md ? "" : "     ", rules_file(r->rs, i)->path,
                      rules_file(r->rs, i)->sha256);
    strbuf_printf(&sb, "%s%s%s%s ", b, SS(SS_SEED, zh), e, zh ? "：" : ":");
    if (md)
        strbuf_puts(&sb, "`");
    strbuf_printf(&sb, "%s", r->s ? sample_seed(r->s) : "");
    strbuf_puts(&sb, md ? "`\n" : "\n");
    strbuf_printf(&sb, "%s%s%s%s\n", b, SS(SS_FRAME, zh), e, zh ? "：" : ":");
    for (int st = 0; r->s && st < PLAN__STAGES; st++) {
        const table_stats *ts = sample_stats(r->s, (plan_stage_id)st);
        if (!ts)
            continue;
        strbuf_printf(&sb, "%s  %s  %s  %s  sha256 %s  ", md ? "" : "     ", level_id(r, (plan_stage_id)st),
                      sample_input_path(r->s, (plan_stage_id)st), report_tr(ts->encoding, zh), ts->sha256);
        ss_printf(&sb, SS_ROWS, zh, ts->rows_read, ts->rows_rejected);
        strbuf_putc(&sb, '\n');
    }
    strbuf_putc(&sb, '\n');
    strbuf st = STRBUF_INIT;
    status_line(r, &st);
    strbuf_printf(&sb, "%s%s%s\n\n", md ? "**" : "", strbuf_str(&st), md ? "**" : "");
    strbuf_free(&st);
    strbuf store[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
    strbuf *lines[4];
    size_t nl;
    summary_lines(r, lines, &nl, store);
    for (size_t i = 0; i < nl; i++)
        strbuf_printf(&sb, "%s%s\n", md ? "- " : "", strbuf_str(lines[i]));
    for (int i = 0; i < 4; i++)
        strbuf_free(&store[i]);
    tbl vt = {0}, ht = {0};
    village_table(r, &vt);
    household_table(r, &ht);
    strbuf_printf(&sb, "\n%s%s\n\n", md ? "## " : "", SS(SS_VILLAGES, zh));
    text_table(&sb, &vt, md);
    strbuf_printf(&sb, "\n%s%s\n\n", md ? "## " : "", SS(SS_HOUSEHOLDS, zh));
    text_table(&sb, &ht, md);
    int oom = vt.oom || ht.oom;
    tbl_free(&vt);
    tbl_free(&ht);
    strbuf_printf(&sb, "\n%s%s\n\n", md ? "## " : "", RS(RS_PROBLEMS, zh));
    if (!diag_count(r->d))
        strbuf_printf(&sb, "%s\n", SS(SS_PROBLEMS_NONE, zh));
    strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(r->d); i++) {
        strbuf_reset(&line);
        diag_format_tr(diag_get(r->d, i), diag_translator(r->d), &line);
        if (md) {
            /* the first line as a list item; the excerpt lines dropped (they are for terminals) */
            const char *nlp = strchr(strbuf_str(&line), '\n');
            strbuf_puts(&sb, "- ");
            size_t n = nlp ? (size_t)(nlp - strbuf_str(&line)) : line.len;
            char *one = mem_strndup(strbuf_str(&line), n);
            md_text(&sb, one);
            mem_free(one);
            strbuf_putc(&sb, '\n');
        } else {
            strbuf_puts(&sb, strbuf_str(&line));
        }
    }
    strbuf_free(&line);
    if (oom)
        sb.oom = 1;
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    return rc;
}

/* ---------- csv: one row per stratum draw ---------- */

static int write_csv(const sample_report_ctx *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    if (r->bom)
        strbuf_puts(&sb, "\xEF\xBB\xBF");
    /* the provenance as lines beginning with '#', as check's csv report */
    int zh = r->zh;
    strbuf_printf(&sb, "# exitcheck %s; %s; %s ", EXITCHECK_VERSION, SS(SS_TITLE, zh), SS(SS_PLAN, zh));
    strbuf_puts(&sb, plan_id(r->p));
    strbuf_printf(&sb, " %s sha256 %s; %s %s %s; ", plan_path(r->p), plan_sha256(r->p), RS(RS_PACK, zh),
                  rules_id(r->rs), rules_version(r->rs));
    strbuf_printf(&sb, "%s %s; %s %d\n", SS(SS_SEED, zh), r->s ? sample_seed(r->s) : "", RS(RS_EXIT_STATUS, zh),
                  (int)r->status);
    for (int st = 0; r->s && st < PLAN__STAGES; st++) {
        const table_stats *ts = sample_stats(r->s, (plan_stage_id)st);
        if (!ts)
            continue;
        strbuf_printf(&sb, "# %s %s sha256 %s; ", SS(SS_FRAME, zh), sample_input_path(r->s, (plan_stage_id)st),
                      ts->sha256);
        ss_printf(&sb, SS_ROWS, zh, ts->rows_read, ts->rows_rejected);
        strbuf_putc(&sb, '\n');
    }
    for (size_t i = 0; i < rules_nfiles(r->rs); i++)
        strbuf_printf(&sb, "# %s %s sha256 %s\n", RS(RS_RULE_FILES, zh), rules_file(r->rs, i)->path,
                      rules_file(r->rs, i)->sha256);
    strbuf_puts(&sb, "level,county_id,village_id,stratum,method,take,population,drawn,pi_min,pi_max,size_total\n");
    const sample_cell *c;
    size_t n = r->s ? sample_cells(r->s, &c) : 0;
    for (size_t i = 0; i < n; i++) {
        const plan_stratum *ps = &plan_get_stage(r->p, c[i].stage)->strata[c[i].stratum];
        report_csv_cell(&sb, level_id(r, c[i].stage), strlen(level_id(r, c[i].stage)));
        strbuf_putc(&sb, ',');
        report_csv_cell(&sb, c[i].county, strlen(c[i].county));
        strbuf_putc(&sb, ',');
        if (c[i].village)
            report_csv_cell(&sb, c[i].village, strlen(c[i].village));
        strbuf_printf(&sb, ",%s,%s,", ps->id, ps->method == PLAN_PPS ? "pps" : "srs");
        if (ps->take == PLAN_TAKE_ALL)
            strbuf_puts(&sb, "all");
        else
            strbuf_printf(&sb, "%ld", ps->take);
        strbuf_printf(&sb, ",%ld,%ld,", c[i].population, c[i].drawn);
        if (c[i].drawn)
            strbuf_printf(&sb, "%.17g,%.17g", c[i].pi_min, c[i].pi_max);
        else
            strbuf_putc(&sb, ',');
        strbuf_putc(&sb, ',');
        if (ps->method == PLAN_PPS)
            strbuf_printf(&sb, "%.17g", c[i].size_total);
        strbuf_putc(&sb, '\n');
        if (sb.len > 60000 && report_flush(&sb, out)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    return rc;
}

/* ---------- json: schema exitcheck-sample/1 ---------- */

static void jnum17(strbuf *sb, double v) { strbuf_printf(sb, "%.17g", v); }

static int write_json(const sample_report_ctx *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    int zh = r->zh;
    strbuf_puts(&sb, "{\n  \"schema\": \"exitcheck-sample/1\",\n  \"tool\": {\"name\": \"exitcheck\", \"version\": ");
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
    text2 pt = plan_title(r->p);
    strbuf_puts(&sb, "]},\n  \"plan\": {\"id\": ");
    report_json_str(&sb, plan_id(r->p));
    strbuf_puts(&sb, ", \"version\": ");
    report_json_str(&sb, plan_version(r->p));
    strbuf_puts(&sb, ", \"title\": ");
    report_json_str(&sb, pt.en || pt.zh ? report_title(&pt, zh) : NULL);
    strbuf_puts(&sb, ", \"path\": ");
    report_json_str(&sb, plan_path(r->p));
    strbuf_puts(&sb, ", \"sha256\": ");
    report_json_str(&sb, plan_sha256(r->p));
    strbuf_puts(&sb, "},\n  \"seed\": ");
    report_json_str(&sb, r->s ? sample_seed(r->s) : NULL);
    strbuf_puts(&sb, ",\n  \"inputs\": [");
    int k = 0;
    for (int st = 0; r->s && st < PLAN__STAGES; st++) {
        const table_stats *ts = sample_stats(r->s, (plan_stage_id)st);
        if (!ts)
            continue;
        strbuf_puts(&sb, k++ ? ",\n    {\"level\": " : "\n    {\"level\": ");
        report_json_str(&sb, level_id(r, (plan_stage_id)st));
        strbuf_puts(&sb, ", \"path\": ");
        report_json_str(&sb, sample_input_path(r->s, (plan_stage_id)st));
        strbuf_puts(&sb, ", \"encoding\": ");
        report_json_str(&sb, ts->encoding);
        strbuf_puts(&sb, ", \"sha256\": ");
        report_json_str(&sb, ts->sha256);
        strbuf_printf(&sb, ", \"rows_read\": %ld, \"rows_rejected\": %ld, \"cell_errors\": %ld}", ts->rows_read,
                      ts->rows_rejected, ts->cell_errors);
    }
    strbuf_puts(&sb, k ? "\n  ],\n" : "],\n");
    const sample_counts *kc = r->s ? sample_get_counts(r->s) : NULL;
    static const sample_counts none;
    if (!kc)
        kc = &none;
    strbuf_printf(&sb,
                  "  \"summary\": {\"villages\": {\"frame\": %ld, \"no_stratum\": %ld, \"size_errors\": %ld, \"drawn\": %ld},\n"
                  "              \"households\": {\"frame\": %ld, \"orphans\": %ld, \"in_drawn_villages\": %ld, "
                  "\"no_stratum\": %ld, \"size_errors\": %ld, \"drawn\": %ld}},\n",
                  kc->units[PLAN_VILLAGES], kc->no_stratum[PLAN_VILLAGES], kc->size_errors[PLAN_VILLAGES],
                  kc->drawn[PLAN_VILLAGES], kc->units[PLAN_HOUSEHOLDS], kc->orphans, kc->in_drawn_villages,
                  kc->no_stratum[PLAN_HOUSEHOLDS], kc->size_errors[PLAN_HOUSEHOLDS], kc->drawn[PLAN_HOUSEHOLDS]);
    strbuf_puts(&sb, "  \"strata\": [");
    const sample_cell *c;
    size_t n = r->s ? sample_cells(r->s, &c) : 0;
    for (size_t i = 0; i < n; i++) {
        const plan_stratum *ps = &plan_get_stage(r->p, c[i].stage)->strata[c[i].stratum];
        strbuf_puts(&sb, i ? ",\n    {\"level\": " : "\n    {\"level\": ");
        report_json_str(&sb, level_id(r, c[i].stage));
        strbuf_puts(&sb, ", \"county_id\": ");
        report_json_str(&sb, c[i].county);
        strbuf_puts(&sb, ", \"village_id\": ");
        report_json_str(&sb, c[i].village);
        strbuf_puts(&sb, ", \"stratum\": ");
        report_json_str(&sb, ps->id);
        strbuf_printf(&sb, ", \"method\": \"%s\", \"take\": ", ps->method == PLAN_PPS ? "pps" : "srs");
        if (ps->take == PLAN_TAKE_ALL)
            strbuf_puts(&sb, "\"all\"");
        else
            strbuf_printf(&sb, "%ld", ps->take);
        strbuf_printf(&sb, ", \"population\": %ld, \"drawn\": %ld, \"pi_min\": ", c[i].population, c[i].drawn);
        if (c[i].drawn)
            jnum17(&sb, c[i].pi_min);
        else
            strbuf_puts(&sb, "null");
        strbuf_puts(&sb, ", \"pi_max\": ");
        if (c[i].drawn)
            jnum17(&sb, c[i].pi_max);
        else
            strbuf_puts(&sb, "null");
        strbuf_puts(&sb, ", \"size_total\": ");
        if (ps->method == PLAN_PPS)
            jnum17(&sb, c[i].size_total);
        else
            strbuf_puts(&sb, "null");
        strbuf_putc(&sb, '}');
        if (sb.len > 60000 && report_flush(&sb, out)) {
            strbuf_free(&sb);
            return -1;
        }
    }
    strbuf_puts(&sb, n ? "\n  ],\n  \"diagnostics\": [" : "],\n  \"diagnostics\": [");
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

/* ---------- html ---------- */

static void html_table(strbuf *sb, const tbl *t)
{
    strbuf_puts(sb, "<table>\n");
    for (size_t i = 0; i < t->nrows; i++) {
        strbuf_puts(sb, "<tr>");
        for (size_t j = 0; j < t->ncols; j++) {
            strbuf_puts(sb, i == 0 ? "<th" : "<td");
            strbuf_puts(sb, t->right[j] ? " class=\"num\">" : ">");
            esc(sb, strbuf_str(&t->cells[i * t->ncols + j]));
            strbuf_puts(sb, i == 0 ? "</th>" : "</td>");
        }
        strbuf_puts(sb, "</tr>\n");
    }
    strbuf_puts(sb, "</table>\n");
}

static int write_html(const sample_report_ctx *r, FILE *out)
{
    int zh = r->zh;
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", zh ? "zh" : "en");
    strbuf_puts(&sb, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    strbuf_printf(&sb, "<meta name=\"generator\" content=\"exitcheck %s\">\n<title>exitcheck: ", EXITCHECK_VERSION);
    esc(&sb, SS(SS_TITLE, zh));
    strbuf_puts(&sb, " ");
    esc(&sb, plan_id(r->p));
    strbuf_printf(&sb, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>exitcheck: ", report_html_css);
    esc(&sb, SS(SS_TITLE, zh));
    strbuf_puts(&sb, "</h1>\n<p class=\"meta\">");
    esc(&sb, SS(SS_PLAN, zh));
    strbuf_puts(&sb, " <code>");
    esc(&sb, plan_id(r->p));
    strbuf_puts(&sb, "</code> &middot; ");
    esc(&sb, SS(SS_PACK, zh));
    strbuf_puts(&sb, " <code>");
    esc(&sb, rules_id(r->rs));
    strbuf_puts(&sb, "</code> ");
    esc(&sb, rules_version(r->rs));
    strbuf_puts(&sb, " &middot; ");
    esc(&sb, SS(SS_SEED, zh));
    strbuf_puts(&sb, " <code>");
    esc(&sb, r->s ? sample_seed(r->s) : "");
    strbuf_printf(&sb, "</code></p>\n<div class=\"verdict %s\">", r->status == EXIT_OK ? "ok" : "error");
    strbuf st = STRBUF_INIT;
    status_line(r, &st);
    esc(&sb, strbuf_str(&st));
    strbuf_free(&st);
    strbuf_puts(&sb, "</div>\n</header>\n<section id=\"summary\">\n");
    strbuf store[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
    strbuf *lines[4];
    size_t nl;
    summary_lines(r, lines, &nl, store);
    for (size_t i = 0; i < nl; i++) {
        strbuf_puts(&sb, "<p>");
        esc(&sb, strbuf_str(lines[i]));
        strbuf_puts(&sb, "</p>\n");
    }
    for (int i = 0; i < 4; i++)
        strbuf_free(&store[i]);
    tbl vt = {0}, ht = {0};
    village_table(r, &vt);
    household_table(r, &ht);
    strbuf_puts(&sb, "</section>\n<section id=\"villages\">\n<h2>");
    esc(&sb, SS(SS_VILLAGES, zh));
    strbuf_puts(&sb, "</h2>\n");
    html_table(&sb, &vt);
    strbuf_puts(&sb, "</section>\n<section id=\"households\">\n<h2>");
    esc(&sb, SS(SS_HOUSEHOLDS, zh));
    strbuf_puts(&sb, "</h2>\n");
    html_table(&sb, &ht);
    int oom = vt.oom || ht.oom;
    tbl_free(&vt);
    tbl_free(&ht);
    strbuf_puts(&sb, "</section>\n<section id=\"problems\">\n<h2>");
    esc(&sb, RS(RS_PROBLEMS, zh));
    strbuf_puts(&sb, "</h2>\n");
    if (!diag_count(r->d)) {
        strbuf_puts(&sb, "<p>");
        esc(&sb, SS(SS_PROBLEMS_NONE, zh));
        strbuf_puts(&sb, "</p>\n");
    } else {
        strbuf_puts(&sb, "<table>\n");
        for (size_t i = 0; i < diag_count(r->d); i++) {
            const diag_entry *de = diag_get(r->d, i);
            strbuf_puts(&sb, "<tr><td><code>");
            if (de->file) {
                strbuf where = STRBUF_INIT;
                diag_where(de, &where);
                esc(&sb, strbuf_str(&where));
                strbuf_release_into(&sb, &where);
            }
            strbuf_puts(&sb, "</code></td><td>");
            esc(&sb, report_tr(diag_severity_name(de->severity), zh));
            strbuf_puts(&sb, "</td><td>");
            esc(&sb, de->message);
            strbuf_puts(&sb, "</td></tr>\n");
        }
        strbuf_puts(&sb, "</table>\n");
    }
    strbuf_puts(&sb, "</section>\n<section id=\"provenance\">\n<h2>");
    esc(&sb, RS(RS_PROVENANCE, zh));
    strbuf_puts(&sb, "</h2>\n<table>\n<tr><td>");
    esc(&sb, SS(SS_PLAN, zh));
    strbuf_puts(&sb, "</td><td><code>");
    esc(&sb, plan_path(r->p));
    strbuf_puts(&sb, "</code></td><td><code>");
    esc(&sb, plan_sha256(r->p));
    strbuf_puts(&sb, "</code></td></tr>\n");
    for (size_t i = 0; i < rules_nfiles(r->rs); i++) {
        strbuf_puts(&sb, "<tr><td>");
        esc(&sb, SS(SS_PACK, zh));
        strbuf_puts(&sb, "</td><td><code>");
        esc(&sb, rules_file(r->rs, i)->path);
        strbuf_puts(&sb, "</code></td><td><code>");
        esc(&sb, rules_file(r->rs, i)->sha256);
        strbuf_puts(&sb, "</code></td></tr>\n");
    }
    for (int s = 0; r->s && s < PLAN__STAGES; s++) {
        const table_stats *ts = sample_stats(r->s, (plan_stage_id)s);
        if (!ts)
            continue;
        strbuf_puts(&sb, "<tr><td>");
        esc(&sb, SS(SS_FRAME, zh));
        strbuf_puts(&sb, "</td><td><code>");
        esc(&sb, sample_input_path(r->s, (plan_stage_id)s));
        strbuf_puts(&sb, "</code> ");
        strbuf tmp = STRBUF_INIT;
        ss_printf(&tmp, SS_ROWS, zh, ts->rows_read, ts->rows_rejected);
        esc(&sb, strbuf_str(&tmp));
        strbuf_free(&tmp);
        strbuf_puts(&sb, "</td><td><code>");
        esc(&sb, ts->sha256);
        strbuf_puts(&sb, "</code></td></tr>\n");
    }
    strbuf_printf(&sb, "</table>\n<p class=\"meta\">exitcheck %s</p>\n</section>\n", EXITCHECK_VERSION);
    strbuf_puts(&sb, "<section id=\"signature\" class=\"sig\">\n<div>");
    esc(&sb, RS(RS_SIGNATURE, zh));
    strbuf_puts(&sb, "</div>\n<div>");
    esc(&sb, RS(RS_DATE, zh));
    strbuf_puts(&sb, "</div>\n</section>\n</main>\n</body>\n</html>\n");
    if (oom)
        sb.oom = 1;
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    return rc;
}

/* ---------- xlsx: the workbook (report_xlsx.h) ---------- */

/* A cell of the tables above: a number when it is one ("12", "0.5"),
 * else text ("all", "-", a range of pi "0.25-0.5"). */
static void xlsx_cell(xlsx_book *b, xlsx_col col, const char *s)
{
    char *end;
    double v = *s ? strtod(s, &end) : 0;
    if (*s && !*end && strcmp(s, "-"))
        xlsx_num(b, col, v);
    else
        xlsx_text(b, col, s);
}

/* A table of rows of strings under its bold title and header: the counts
 * as numbers, the last column (pi, rounded, or a range of them) as the
 * text it is (the Strata sheet has each draw's pi exactly). */
static void xlsx_table(xlsx_book *b, const char *title, const tbl *t)
{
    if (t->oom)
        xlsx_fail(b);
    xlsx_bold(b, 0, title);
    xlsx_row_end(b);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            const char *c = strbuf_str(&t->cells[i * t->ncols + j]);
            if (i == 0)
                xlsx_bold(b, (xlsx_col)j, c);
            else if (t->right[j] && j + 1 < t->ncols)
                xlsx_cell(b, (xlsx_col)j, c);
            else
                xlsx_text(b, (xlsx_col)j, c);
        }
        xlsx_row_end(b);
    }
    xlsx_row_end(b);
}

/* Label, then values in columns 1, 2, 3. */
static void xlsx_line(xlsx_book *b, const char *label, const char *v1, const char *v2, const char *v3)
{
    xlsx_text(b, 0, label);
    xlsx_text(b, 1, v1);
    xlsx_text(b, 2, v2);
    xlsx_text(b, 3, v3);
    xlsx_row_end(b);
}

/* Every file read: the plan, the frame's tables, the rule files. */
static void xlsx_inputs(xlsx_book *b, const sample_report_ctx *r)
{
    int zh = r->zh;
    static const report_string head[] = {RS_X_INPUT, RS_FILE, RS_ENCODING, RS_ROWS_READ, RS_REJECTED, RS_LEVEL};
    xlsx_bold(b, 0, RS(RS_INPUTS, zh));
    xlsx_row_end(b);
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_bold(b, (xlsx_col)k, RS(head[k], zh));
    xlsx_bold(b, 9, "SHA-256");
    xlsx_row_end(b);
    xlsx_text(b, 0, SS(SS_PLAN, zh));
    xlsx_text(b, 1, plan_path(r->p));
    xlsx_text(b, 9, plan_sha256(r->p));
    xlsx_row_end(b);
    for (int st = 0; r->s && st < PLAN__STAGES; st++) {
        const table_stats *ts = sample_stats(r->s, (plan_stage_id)st);
        if (!ts)
            continue;
        xlsx_text(b, 0, SS(SS_FRAME, zh));
        xlsx_text(b, 1, sample_input_path(r->s, (plan_stage_id)st));
        xlsx_text(b, 2, report_tr(ts->encoding, zh));
        xlsx_num(b, 3, (double)ts->rows_read);
        xlsx_num(b, 4, (double)ts->rows_rejected);
        xlsx_text(b, 5, level_id(r, (plan_stage_id)st));
        xlsx_text(b, 9, ts->sha256);
        xlsx_row_end(b);
    }
    xlsx_rule_files(b, r->rs, zh);
}

/* The plan, pack and seed, the outcome, the counts, the strata per county
 * as the text report gives them, and the files read. */
static void xlsx_summary(xlsx_book *b, const sample_report_ctx *r)
{
    int zh = r->zh;
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "exitcheck %s: %s", EXITCHECK_VERSION, SS(SS_TITLE, zh));
    xlsx_bold(b, 0, strbuf_str(&sb));
    xlsx_row_end(b);
    strbuf_reset(&sb);
    status_line(r, &sb);
    xlsx_bold(b, 0, strbuf_str(&sb));
    xlsx_row_end(b);
    xlsx_text(b, 0, RS(RS_EXIT_STATUS, zh));
    xlsx_num(b, 1, (double)r->status);
    xlsx_row_end(b);
    xlsx_tool_and_pack(b, r->rs, zh);
    text2 pt = plan_title(r->p);
    xlsx_line(b, SS(SS_PLAN, zh), plan_id(r->p), plan_version(r->p), report_title(&pt, zh));
    xlsx_line(b, SS(SS_SEED, zh), r->s ? sample_seed(r->s) : NULL, NULL, NULL);
    xlsx_row_end(b);
    strbuf store[4] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
    strbuf *lines[4];
    size_t nl;
    summary_lines(r, lines, &nl, store);
    for (size_t i = 0; i < nl; i++)
        xlsx_line(b, strbuf_str(lines[i]), NULL, NULL, NULL);
    for (int i = 0; i < 4; i++) {
        if (store[i].oom)
            xlsx_fail(b);
        strbuf_free(&store[i]);
    }
    xlsx_row_end(b);
    tbl vt = {0}, ht = {0};
    village_table(r, &vt);
    household_table(r, &ht);
    xlsx_table(b, SS(SS_VILLAGES, zh), &vt);
    xlsx_table(b, SS(SS_HOUSEHOLDS, zh), &ht);
    tbl_free(&vt);
    tbl_free(&ht);
    xlsx_inputs(b, r);
    xlsx_widths(b, 0, 0, 26);
    xlsx_widths(b, 1, 8, 14);
    xlsx_widths(b, 9, 9, 66);
    if (sb.oom)
        xlsx_fail(b);
    strbuf_free(&sb);
}

/* Every stratum's draw, as the csv report: one row each. */
static void xlsx_strata(xlsx_book *b, const sample_report_ctx *r)
{
    int zh = r->zh;
    static const report_string head[] = {RS_LEVEL, RS_X_COUNTY_ID, RS_X_ANY_PARENT_ID};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_head(b, RS(head[k], zh));
    static const sample_string shead[] = {SS_STRATUM, SS_METHOD, SS_TAKE, SS_N, SS_DRAWN};
    for (size_t k = 0; k < sizeof shead / sizeof shead[0]; k++)
        xlsx_head(b, SS(shead[k], zh));
    xlsx_head(b, RS(RS_X_PI_MIN, zh));
    xlsx_head(b, RS(RS_X_PI_MAX, zh));
    xlsx_head(b, RS(RS_X_SIZE_TOTAL, zh));
    if (xlsx_sheet(b, RS(RS_X_STRATA, zh)))
        return;
    const sample_cell *c;
    size_t n = r->s ? sample_cells(r->s, &c) : 0;
    for (size_t i = 0; i < n && !xlsx_row(b); i++) {
        const plan_stratum *ps = &plan_get_stage(r->p, c[i].stage)->strata[c[i].stratum];
        xlsx_text(b, 0, level_id(r, c[i].stage));
        xlsx_text(b, 1, c[i].county);
        xlsx_text(b, 2, c[i].village);
        xlsx_text(b, 3, ps->id);
        xlsx_text(b, 4, ps->method == PLAN_PPS ? "pps" : "srs");
        if (ps->take == PLAN_TAKE_ALL)
            xlsx_text(b, 5, SS(SS_ALL, zh));
        else
            xlsx_num(b, 5, (double)ps->take);
        xlsx_num(b, 6, (double)c[i].population);
        xlsx_num(b, 7, (double)c[i].drawn);
        if (c[i].drawn) {
            xlsx_num(b, 8, c[i].pi_min);
            xlsx_num(b, 9, c[i].pi_max);
        }
        if (ps->method == PLAN_PPS)
            xlsx_num(b, 10, c[i].size_total);
        xlsx_row_end(b);
    }
    xlsx_sheet_end(b);
}

/* The units drawn, as the manifest lists them (the villages first); none
 * when the input has errors, as no manifest is then written. */
static void xlsx_units(xlsx_book *b, const sample_report_ctx *r)
{
    int zh = r->zh;
    static const report_string head[] = {RS_LEVEL, RS_ID, RS_X_ANY_PARENT_ID, RS_X_COUNTY_ID};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_head(b, RS(head[k], zh));
    xlsx_head(b, SS(SS_STRATUM, zh));
    xlsx_head(b, SS(SS_PI, zh));
    xlsx_head(b, RS(RS_X_WEIGHT, zh));
    xlsx_head(b, "u");
    xlsx_head(b, RS(RS_LINE, zh));
    if (xlsx_sheet(b, RS(RS_X_UNITS_DRAWN, zh)))
        return;
    for (int st = 0; r->s && r->status == EXIT_OK && st < PLAN__STAGES; st++) {
        const plan_stage *sg = plan_get_stage(r->p, (plan_stage_id)st);
        const sample_unit *u;
        size_t n = sample_units(r->s, (plan_stage_id)st, &u);
        for (size_t i = 0; i < n && !xlsx_row(b); i++) {
            char hex[24];
            snprintf(hex, sizeof hex, "%016llx", (unsigned long long)u[i].u);
            xlsx_text(b, 0, level_id(r, (plan_stage_id)st));
            xlsx_text(b, 1, u[i].id);
            xlsx_text(b, 2, u[i].parent);
            xlsx_text(b, 3, u[i].county);
            xlsx_text(b, 4, sg->strata[u[i].stratum].id);
            xlsx_num(b, 5, u[i].pi);
            xlsx_num(b, 6, u[i].weight);
            xlsx_text(b, 7, hex);
            xlsx_num(b, 8, (double)u[i].line);
            xlsx_row_end(b);
        }
    }
    xlsx_sheet_end(b);
}

static int write_xlsx(const sample_report_ctx *r, FILE *out)
{
    strbuf title = STRBUF_INIT;
    strbuf_printf(&title, "exitcheck %s: %s", SS(SS_TITLE, r->zh), plan_id(r->p));
    xlsx_book *b = xlsx_open(strbuf_str(&title), 0);
    strbuf_free(&title);
    if (!b)
        return -1;
    if (xlsx_sheet(b, RS(RS_X_SUMMARY, r->zh)) == 0)
        xlsx_summary(b, r);
    xlsx_strata(b, r);
    xlsx_units(b, r);
    xlsx_problems(b, r->d, r->zh);
    return xlsx_close(&b, out);
}

int sample_report_write(const void *ctx, FILE *out)
{
    const sample_report_ctx *r = ctx;
    switch (r->format) {
    case FMT_TEXT: return write_text(r, out, 0);
    case FMT_MD: return write_text(r, out, 1);
    case FMT_JSON: return write_json(r, out);
    case FMT_CSV: return write_csv(r, out);
    case FMT_HTML: return write_html(r, out);
    case FMT_XLSX: return write_xlsx(r, out);
    case FMT_JUNIT:
    case FMT_UNITS:
    case FMT__COUNT: break; /* refused by the command line */
    }
    return -1;
}
