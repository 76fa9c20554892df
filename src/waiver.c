/*
 * waiver.c - reads a waiver file and applies its waivers (see waiver.h).
 *
 * Invariants: only rows that passed every check are kept (w->v); each
 * kept waiver is in its level's id map, chained (waiver.next) with the
 * other waivers of the same unit, and no two kept waivers share a level,
 * unit and target; waivers_apply changes a target's status only from
 * fail, warn or unknown to waived; every row the file delivers is kept or
 * counted as rejected.
 */
#include "waiver.h"
#include "digest.h"
#include "idmap.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct waivers {
    const ruleset *rs;
    diag_list *d;
    arena *a;
    idmap *ids[RULES_MAX_LEVELS];     /* unit id -> its first waiver */
    waiver *v;
    size_t n, cap;
    int as_of;
    const char *path;
    long col[WV__COUNT];              /* 1-based columns of the file, 0 when absent */
    long rejected;                    /* rows rejected here (invalid waivers) */
    table_stats stats;
    int have_stats;
    int failed;                       /* out of memory */
};

waivers *waivers_new(const ruleset *rs, diag_list *d)
{
    waivers *w = mem_calloc(1, sizeof *w);
    if (!w || !(w->a = arena_new())) {
        mem_free(w);
        diag_oom(d);
        return NULL;
    }
    w->rs = rs;
    w->d = d;
    for (size_t L = 0; L < rules_nlevels(rs); L++)
        if (!(w->ids[L] = idmap_new())) {
            diag_oom(d);
            waivers_free(&w);
            return NULL;
        }
    return w;
}

void waivers_free(waivers **wp)
{
    waivers *w = *wp;
    if (!w)
        return;
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        idmap_free(&w->ids[L]);
    arena_free(&w->a);
    mem_free(w->v);
    mem_free(w);
    *wp = NULL;
}

void waivers_set_as_of(waivers *w, int yyyymmdd) { w->as_of = yyyymmdd; }
int waivers_as_of(const waivers *w) { return w->as_of; }
size_t waivers_count(const waivers *w) { return w->n; }
const waiver *waivers_get(const waivers *w, size_t i) { return i < w->n ? &w->v[i] : NULL; }
const char *waivers_path(const waivers *w) { return w->path; }
const table_stats *waivers_stats(const waivers *w) { return w->have_stats ? &w->stats : NULL; }

const char *waiver_use_name(const waiver *x)
{
    return x->applied ? "applied" : x->expired ? "expired" : x->undated ? "undated" : x->met ? "met" : "no_unit";
}

/* ---------- dates ---------- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int waiver_parse_date(const char *s, size_t n, int *out)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int part[3] = {0, 0, 0};
    static const int at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[at[k] + i];
            if (c < '0' || c > '9')
                return -1;
            part[k] = part[k] * 10 + (c - '0');
        }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = part[0], m = part[1], dd = part[2];
    if (y < 1 || m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1] + (m == 2 && leap(y)))
        return -1;
    *out = y * 10000 + m * 100 + dd;
    return 0;
}

void waiver_date_text(int d, char buf[11])
{
    unsigned u = d > 0 ? (unsigned)d : 0u;
    snprintf(buf, 11, "%04u-%02u-%02u", (u / 10000u) % 10000u, (u / 100u) % 100u, u % 100u);
}

/* ---------- reading ---------- */

typedef struct cell {
    const char *s;                    /* NUL-terminated copy in the arena; "" when empty */
    size_t len;
} cell;

static int text_of(waivers *w, const value *v, cell *out)
{
    out->s = "";
    out->len = 0;
    if (v->kind != V_TEXT)
        return 0;
    char *s = arena_strndup(w->a, v->u.s, v->len);
    if (!s) {
        diag_oom(w->d);
        w->failed = 1;
        return -1;
    }
    out->s = s;
    out->len = v->len;
    return 0;
}

/* The level a cell names: its id or English title (any case), its Chinese
 * title, or that title followed by 级 ("县级"); -1 when none. */
static int find_level(const ruleset *rs, const cell *c)
{
    for (size_t L = 0; L < rules_nlevels(rs); L++) {
        const rule_level *lv = rules_level(rs, L);
        if (strcasecmp(c->s, lv->id) == 0 || (lv->title.en && strcasecmp(c->s, lv->title.en) == 0))
            return (int)L;
        if (lv->title.zh) {
            size_t zl = strlen(lv->title.zh);
            if (strcmp(c->s, lv->title.zh) == 0 ||
                (c->len == zl + 3 && !memcmp(c->s, lv->title.zh, zl) && !strcmp(c->s + zl, "级")))
                return (int)L;
        }
    }
    return -1;
}

static void level_list(const ruleset *rs, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    size_t nl = rules_nlevels(rs);
    for (size_t L = 0; L < nl && at < n; L++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", L == 0 ? "" : L + 1 == nl ? " or " : ", ",
                               rules_level(rs, L)->id);
}

static long col(const waivers *w, int i) { return w->col[i]; }

/* A level as messages name it: its id, or its Chinese title in Chinese. */
static const char *level_word(const waivers *w, const rule_level *lv)
{
    return rules_level_word(lv, diag_translator(w->d) != NULL);
}

/* A cell of the form DDDD-DD-DD, whether or not it is a date. */
static int date_shaped(const cell *c)
{
    if (c->len != 10)
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? c->s[i] != '-' : (c->s[i] < '0' || c->s[i] > '9'))
            return 0;
    return 1;
}

/* Records an error at the row's cell and returns 1 (the row is rejected). */
#define ROW_ERROR(w, line, c, ...) (diag_add((w)->d, DIAG_ERROR, (w)->path, (line), col((w), (c)), __VA_ARGS__), 1)

static int waiver_row(void *ctx, const table_row *row)
{
    waivers *w = ctx;
    if (w->failed)
        return 0;
    cell c[WV__COUNT];
    for (int i = 0; i < WV__COUNT; i++)
        if (text_of(w, &row->vals[i], &c[i]))
            return 0;
    long line = row->line;
    int bad = row->errors > 0;
    int level = -1;
    const rule_target *t = NULL;
    const rule_level *tl = NULL;
    if (!c[WV_LEVEL].len) {
        char levels[256];
        level_list(w->rs, levels, sizeof levels);
        bad |= ROW_ERROR(w, line, WV_LEVEL, "the level is empty (expected %s)", levels);
    } else if ((level = find_level(w->rs, &c[WV_LEVEL])) < 0) {
        char levels[256];
        level_list(w->rs, levels, sizeof levels);
        bad |= ROW_ERROR(w, line, WV_LEVEL, "unknown level '%s' (expected %s)", c[WV_LEVEL].s, levels);
    }
    if (!c[WV_TARGET].len) {
        bad |= ROW_ERROR(w, line, WV_TARGET, "the target is empty: a waiver names the target it excuses (such as H02)");
    } else if (!(t = rules_find_target(w->rs, c[WV_TARGET].s, &tl))) {
        bad |= ROW_ERROR(w, line, WV_TARGET, "unknown target '%s': the pack %s has no such target", c[WV_TARGET].s,
                         rules_id(w->rs));
    } else if (level >= 0 && tl->index != level) {
        bad |= ROW_ERROR(w, line, WV_TARGET, "target %s is a %s target, but the row's level is %s", t->id,
                         level_word(w, tl), level_word(w, rules_level(w->rs, (size_t)level)));
    } else if (!t->waivable) {
        bad |= ROW_ERROR(w, line, WV_TARGET, "target %s cannot be waived: the pack marks it waivable: false (%s:%ld)",
                         t->id, t->pos.file, t->pos.line);
    }
    if (!c[WV_BASIS].len)
        bad |= ROW_ERROR(w, line, WV_BASIS, "the basis is empty: a waiver must say on what document it rests");
    if (!c[WV_APPROVED_BY].len)
        bad |= ROW_ERROR(w, line, WV_APPROVED_BY, "approved_by is empty: a waiver must say who approved it");
    int approved = 0, expires = 0;
    if (!c[WV_APPROVED_ON].len)
        bad |= ROW_ERROR(w, line, WV_APPROVED_ON, "approved_on is empty: a waiver must say when it was approved");
    else if (waiver_parse_date(c[WV_APPROVED_ON].s, c[WV_APPROVED_ON].len, &approved))
        bad |= date_shaped(&c[WV_APPROVED_ON])
                   ? ROW_ERROR(w, line, WV_APPROVED_ON, "approved_on: %s is not a date of the calendar",
                               c[WV_APPROVED_ON].s)
                   : ROW_ERROR(w, line, WV_APPROVED_ON, "approved_on: expected a date YYYY-MM-DD, found '%s'",
                               c[WV_APPROVED_ON].s);
    if (c[WV_EXPIRES].len && waiver_parse_date(c[WV_EXPIRES].s, c[WV_EXPIRES].len, &expires))
        bad |= date_shaped(&c[WV_EXPIRES])
                   ? ROW_ERROR(w, line, WV_EXPIRES, "expires: %s is not a date of the calendar", c[WV_EXPIRES].s)
                   : ROW_ERROR(w, line, WV_EXPIRES, "expires: expected a date YYYY-MM-DD or nothing, found '%s'",
                               c[WV_EXPIRES].s);
    if (approved && expires && expires < approved)
        bad |= ROW_ERROR(w, line, WV_EXPIRES, "expires %s is before approved_on %s", c[WV_EXPIRES].s,
                         c[WV_APPROVED_ON].s);
    int ti = t ? (int)(t - tl->targets) : -1;
    if (!bad && level >= 0 && ti >= 0) {
        long first = idmap_get(w->ids[level], c[WV_UNIT].s, c[WV_UNIT].len);
        for (long k = first; k >= 0; k = w->v[k].next)
            if (w->v[k].target == ti) {
                bad |= ROW_ERROR(w, line, WV_TARGET, "a second waiver of %s '%s' for target %s (the first at line %ld)",
                                 level_word(w, rules_level(w->rs, (size_t)level)), c[WV_UNIT].s, t->id, w->v[k].line);
                break;
            }
    }
    if (bad) {
        w->rejected++;
        return 0;
    }
    if (mem_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v)) {
        diag_oom(w->d);
        w->failed = 1;
        return 0;
    }
    waiver *x = &w->v[w->n];
    memset(x, 0, sizeof *x);
    x->line = line;
    x->level = level;
    x->target = ti;
    x->unit_id = c[WV_UNIT].s;
    x->basis = c[WV_BASIS].s;
    x->reason = c[WV_REASON].s;
    x->approved_by = c[WV_APPROVED_BY].s;
    x->approved_on = approved;
    x->expires = expires;
    x->next = -1;
    long first = idmap_put(w->ids[level], x->unit_id, c[WV_UNIT].len, (long)w->n);
    if (first == -2) {
        diag_oom(w->d);
        w->failed = 1;
        return 0;
    }
    if (first >= 0) { /* append to the unit's chain, keeping file order */
        long k = first;
        while (w->v[k].next >= 0)
            k = w->v[k].next;
        w->v[k].next = (int)w->n;
    }
    w->n++;
    return 0;
}

int waivers_read(waivers *w, const char *path, const table_opts *opts)
{
    static const char *const names[WV__COUNT] = {"level", "unit_id", "target", "basis",
                                                 "reason", "approved_by", "approved_on", "expires"};
    static const char *const zh[WV__COUNT] = {"层级", "单位编号", "指标", "依据", "理由", "批准人", "批准日期", "有效期至"};
    rule_indicator ind[WV__COUNT];
    memset(ind, 0, sizeof ind);
    for (int i = 0; i < WV__COUNT; i++) {
        ind[i].id = names[i];
        ind[i].zh = zh[i];
        ind[i].type = IND_TEXT;
        ind[i].required = i != WV_REASON && i != WV_EXPIRES;
        ind[i].used = 1;
    }
    rule_level wl;
    rules_own_view(&wl, "waivers", ind, WV__COUNT, WV_UNIT);
    w->path = arena_strdup(w->a, path);
    if (!w->path) {
        diag_oom(w->d);
        return -1;
    }
    w->have_stats = 1;
    table_opts o = *opts;
    o.partial = 0;
    o.progress = NULL;
    table *t = table_open(path, &wl, &o, w->d);
    if (!t) {
        w->stats.encoding = N_("unread");
        w->stats.unread = 1;
        digest_file_hex(path, w->stats.sha256);
        return -1;
    }
    for (int i = 0; i < WV__COUNT; i++)
        w->col[i] = table_column(t, (size_t)i);
    int rc = table_read(t, waiver_row, w);
    w->stats = *table_get_stats(t);
    w->stats.rows_rejected += w->rejected;
    table_close(&t);
    return rc || w->failed ? -1 : 0;
}

/* ---------- applying ---------- */

/* The unit's id: its record's, or (a bottom-level unit being evaluated)
 * its key cell's. */
static int unit_key(const unit_rec *u, const char **id, size_t *n)
{
    if (u->id) {
        *id = u->id;
        *n = strlen(u->id);
        return 0;
    }
    const rule_level *lv = u->level;
    if (lv->key >= 0 && u->slots && u->slots[lv->key].kind == V_TEXT) {
        *id = u->slots[lv->key].u.s;
        *n = u->slots[lv->key].len;
        return 0;
    }
    return -1;
}

size_t waivers_apply(waivers *w, unit_rec *u)
{
    const rule_level *lv = u->level;
    const char *id;
    size_t idn;
    if (!w->n || lv->index < 0 || lv->index >= RULES_MAX_LEVELS || !w->ids[lv->index] || unit_key(u, &id, &idn))
        return 0;
    long k = idmap_get(w->ids[lv->index], id, idn);
    if (k < 0)
        return 0;
    int as_of = w->as_of;
    if (!as_of && lv->year >= 0 && u->slots[lv->year].kind == V_NUM) {
        double y = u->slots[lv->year].u.num;
        if (y >= 1 && y <= 9999)
            as_of = (int)y * 10000 + 1231;
    }
    size_t n = 0;
    for (; k >= 0; k = w->v[k].next) {
        waiver *x = &w->v[k];
        x->matched++;
        x->as_of = as_of;
        unit_status st = (unit_status)u->tstatus[x->target];
        if (x->expires && !as_of) {
            x->undated++;
        } else if (x->expires && x->expires < as_of) {
            x->expired++;
        } else if (st == ST_PASS) {
            x->met++;
        } else if (st == ST_FAIL || st == ST_WARN || st == ST_UNKNOWN) {
            x->applied++;
            x->outcome = st;
            u->tstatus[x->target] = ST_WAIVED;
            n++;
        }
    }
    return n;
}

const waiver *waivers_for(const waivers *w, const unit_rec *u, size_t t)
{
    const rule_level *lv = u->level;
    const char *id;
    size_t idn;
    if (!w || !w->n || t >= lv->ntargets || u->tstatus[t] != ST_WAIVED || lv->index < 0 ||
        lv->index >= RULES_MAX_LEVELS || !w->ids[lv->index] || unit_key(u, &id, &idn))
        return NULL;
    for (long k = idmap_get(w->ids[lv->index], id, idn); k >= 0; k = w->v[k].next)
        if (w->v[k].target == (int)t)
            return &w->v[k];
    return NULL;
}

void waivers_finish(waivers *w)
{
    for (size_t i = 0; i < w->n; i++) {
        const waiver *x = &w->v[i];
        const rule_level *lv = rules_level(w->rs, (size_t)x->level);
        const char *tid = lv->targets[x->target].id;
        char exp[11], asof[11];
        waiver_date_text(x->expires, exp);
        waiver_date_text(x->as_of, asof);
        if (!x->matched)
            diag_add(w->d, DIAG_WARNING, w->path, x->line, col(w, WV_UNIT),
                     "waiver not applied: no %s '%s' among the units checked", level_word(w, lv), x->unit_id);
        if (x->expired)
            diag_add(w->d, DIAG_WARNING, w->path, x->line, col(w, WV_EXPIRES),
                     "waiver of %s '%s' for %s not applied: it expired on %s, before the as-of date %s",
                     level_word(w, lv), x->unit_id, tid, exp, asof);
        if (x->undated)
            diag_add(w->d, DIAG_WARNING, w->path, x->line, col(w, WV_EXPIRES),
                     "waiver of %s '%s' for %s not applied: it expires on %s and the row has no year to judge that by (give --as-of DATE)",
                     level_word(w, lv), x->unit_id, tid, exp);
        if (x->met)
            diag_add(w->d, DIAG_WARNING, w->path, x->line, col(w, WV_TARGET),
                     "waiver of %s '%s' for %s not needed: the target is met", level_word(w, lv), x->unit_id, tid);
    }
}
