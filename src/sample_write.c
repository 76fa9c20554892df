/*
 * sample_write.c - a sample's two CSV files (SPEC §7.1): the manifest and
 * the survey form (declared in sample_write.h).
 *
 * Both are UTF-8 with LF line ends and their header on line 1; ids are
 * written exactly as the frame has them (quoted by RFC 4180 where they
 * hold a comma, quote or line break, never altered otherwise), because a
 * filled-in form and the manifest are joined with the register by id.
 * The form begins with a UTF-8 BOM so that Excel shows its Chinese
 * headers; the manifest does not (it is read by programs).
 */
#include "sample_write.h"
#include "mem.h"
#include "report.h"
#include "strbuf.h"

#include <string.h>

static void cell(strbuf *sb, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (strcspn(s, ",\"\n\r") == n) {
        strbuf_add(sb, s, n);
        return;
    }
    strbuf_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            strbuf_putc(sb, '"');
        strbuf_putc(sb, s[i]);
    }
    strbuf_putc(sb, '"');
}

int sample_write_manifest(const void *ctx, FILE *out)
{
    const sampler *s = ctx;
    const plan *p = sample_plan(s);
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "level,unit_id,parent_id,county_id,stratum,pi,weight,u\n");
    for (int st = 0; st < PLAN__STAGES; st++) {
        const plan_stage *sg = plan_get_stage(p, (plan_stage_id)st);
        const char *level = rules_level(sample_ruleset(s), (size_t)sg->level)->id;
        const sample_unit *u;
        size_t n = sample_units(s, (plan_stage_id)st, &u);
        for (size_t i = 0; i < n; i++) {
            strbuf_puts(&sb, level);
            strbuf_putc(&sb, ',');
            cell(&sb, u[i].id);
            strbuf_putc(&sb, ',');
            cell(&sb, u[i].parent);
            strbuf_putc(&sb, ',');
            cell(&sb, u[i].county);
            strbuf_putc(&sb, ',');
            cell(&sb, sg->strata[u[i].stratum].id);
            strbuf_printf(&sb, ",%.17g,%.17g,%016llx\n", u[i].pi, u[i].weight, (unsigned long long)u[i].u);
            if (sb.len > 60000 && report_flush(&sb, out)) {
                strbuf_free(&sb);
                return -1;
            }
        }
    }
    int rc = report_flush(&sb, out);
    strbuf_free(&sb);
    return rc;
}

/* Marks in want[] the columns that slot s of lv reads: itself for a
 * column; for a derived value, what its expression or cases read. */
static void mark_reads(const rule_level *lv, const expr *e, unsigned char *want, int depth)
{
    if (!e || depth > 64)
        return;
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++) {
        int s = refs[i];
        if (s < (int)lv->nind) {
            want[s] = 1;
        } else if (s >= lv->derived_base && s < lv->agg_base) {
            const rule_derived *dv = &lv->derived[s - lv->derived_base];
            mark_reads(lv, dv->e, want, depth + 1);
            for (size_t k = 0; k < dv->ncases; k++) {
                mark_reads(lv, dv->cases[k].when, want, depth + 1);
                mark_reads(lv, dv->cases[k].value, want, depth + 1);
            }
        }
    }
}

size_t sample_form_columns(const rule_level *lv, unsigned char *want)
{
    memset(want, 0, lv->nind);
    for (size_t t = 0; t < lv->ntargets; t++)
        mark_reads(lv, lv->targets[t].e, want, 0);
    mark_reads(lv, lv->identify, want, 0); /* who should be registered: the survey decides it too */
    /* the columns the form has in any case */
    int fixed[] = {lv->key, lv->parent_key, lv->year, lv->claim, lv->exit_year, lv->registered, lv->people};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (fixed[i] >= 0)
            want[fixed[i]] = 0;
    size_t n = 0;
    for (size_t i = 0; i < lv->nind; i++)
        n += want[i];
    return n;
}

static const char *header_of(const rule_indicator *ind) { return ind->zh ? ind->zh : ind->id; }

int sample_write_form(const void *ctx, FILE *out)
{
    const sampler *s = ctx;
    const plan *p = sample_plan(s);
    const ruleset *rs = sample_ruleset(s);
    const plan_stage *hs = plan_get_stage(p, PLAN_HOUSEHOLDS);
    const rule_level *lv = rules_level(rs, (size_t)hs->level);
    const rule_level *vl = rules_level(rs, (size_t)plan_get_stage(p, PLAN_VILLAGES)->level);
    unsigned char *want = mem_calloc(lv->nind + 1, 1);
    if (!want)
        return -1;
    sample_form_columns(lv, want);
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "\xEF\xBB\xBF");
    /* ids and where to find the household, then the survey's columns */
    cell(&sb, header_of(&lv->ind[lv->key]));
    strbuf_putc(&sb, ',');
    cell(&sb, lv->parent_key >= 0 ? header_of(&lv->ind[lv->parent_key]) : "village_id");
    strbuf_putc(&sb, ',');
    cell(&sb, vl->name >= 0 ? header_of(&vl->ind[vl->name]) : "村名称");
    strbuf_putc(&sb, ',');
    cell(&sb, vl->parent_key >= 0 ? header_of(&vl->ind[vl->parent_key]) : "县代码");
    strbuf_puts(&sb, "," TABLE_SAMPLE_COLUMN);
    for (size_t i = 0; i < lv->nind; i++)
        if (want[i]) {
            strbuf_putc(&sb, ',');
            cell(&sb, header_of(&lv->ind[i]));
        }
    strbuf_putc(&sb, ',');
    cell(&sb, lv->registered >= 0 ? header_of(&lv->ind[lv->registered]) : "是否建档立卡户");
    strbuf_putc(&sb, ',');
    cell(&sb, lv->people >= 0 ? header_of(&lv->ind[lv->people]) : "家庭人口");
    strbuf_puts(&sb, ",认可\n");
    size_t ncols = 0;
    for (size_t i = 0; i < lv->nind; i++)
        ncols += want[i];
    const sample_unit *u;
    size_t n = sample_units(s, PLAN_HOUSEHOLDS, &u);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        cell(&sb, u[i].id);
        strbuf_putc(&sb, ',');
        cell(&sb, u[i].parent);
        strbuf_putc(&sb, ',');
        cell(&sb, u[i].name);
        strbuf_putc(&sb, ',');
        cell(&sb, u[i].county);
        strbuf_putc(&sb, ',');
        cell(&sb, hs->strata[u[i].stratum].id);
        for (size_t k = 0; k < ncols + 3; k++)
            strbuf_putc(&sb, ',');
        strbuf_putc(&sb, '\n');
        if (sb.len > 60000)
            rc = report_flush(&sb, out);
    }
    if (!rc)
        rc = report_flush(&sb, out);
    strbuf_free(&sb);
    mem_free(want);
    return rc;
}
