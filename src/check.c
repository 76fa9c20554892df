/*
 * check.c - a check's orchestration (see check.h for the order of work):
 * which table is read when, which stage each row goes through, and the
 * results the reports read. The stages themselves live in evaluate.c,
 * rollup.c, spool.c and settle.c.
 *
 * Invariants:
 * - every row a table delivers is either evaluated (and counted in its
 *   level's summary) or rejected as a duplicate, never dropped;
 * - upper-level units are kept by the rollup, found by id; bottom-level
 *   units live only in the spool once evaluated, and the one being
 *   evaluated or read back lives in the checker's scratch record.
 */
#include "check.h"
#include "digest.h"
#include "mem.h"
#include "settle.h"
#include "spool.h"
#include "strbuf.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

typedef struct level_input {
    table_stats stats;
    long exit_conflicts;      /* exit_year cells that contradict the row (data errors) */
    int have_stats;           /* the table was opened */
    int listed;               /* given but unreadable: reported as an input all the same */
    const char *path;
} level_input;

struct checker {
    const ruleset *rs;
    diag_list *d;
    size_t nlevels;
    int leaf;                 /* index of the bottom level */
    level_input in[RULES_MAX_LEVELS];
    arena *a;                 /* the input paths */
    evaluator *ev;
    rollup *ru;
    spool *sp;                /* the bottom level's units; NULL until its table is read */
    settle *st;
    unit_rec scratch;         /* the bottom-level unit being evaluated or read back */
    struct waivers *w;        /* documented exceptions, or NULL */
    int failed;
};

checker *check_new(const ruleset *rs, diag_list *d)
{
    checker *c = mem_calloc(1, sizeof *c);
    if (!c) {
        diag_oom(d);
        return NULL;
    }
    c->rs = rs;
    c->d = d;
    c->nlevels = rules_nlevels(rs);
    assert(c->nlevels >= 1 && c->nlevels <= RULES_MAX_LEVELS);
    c->leaf = (int)c->nlevels - 1;
    const rule_level *leaf = rules_level(rs, (size_t)c->leaf);
    unit_rec *s = &c->scratch;
    s->level = leaf;
    s->parent_idx = -1;
    s->slots = mem_calloc(leaf->nslots, sizeof(value));
    s->tstatus = mem_calloc(leaf->ntargets + 1, 1);
    s->reported = mem_calloc(leaf->nrecompute + 1, sizeof(value));
    s->differs = mem_calloc(leaf->nrecompute + 1, 1);
    s->applied = mem_calloc(leaf->nrecompute + 1, 1);
    c->a = arena_new();
    if (!s->slots || !s->tstatus || !s->reported || !s->differs || !s->applied || !c->a) {
        diag_oom(d);
        check_free(&c);
        return NULL;
    }
    if (!(c->ev = evaluate_new(rs, d)) || !(c->ru = rollup_new(rs, d)) || !(c->st = settle_new(d)))
        check_free(&c);
    return c;
}

void check_set_waivers(checker *c, struct waivers *w)
{
    c->w = w;
    evaluate_set_waivers(c->ev, w);
}

const struct waivers *check_waivers(const checker *c) { return c->w; }

void check_free(checker **cp)
{
    if (!cp || !*cp)
        return;
    checker *c = *cp;
    evaluate_free(&c->ev);
    rollup_free(&c->ru);
    spool_free(&c->sp);
    settle_free(&c->st);
    mem_free(c->scratch.slots);
    mem_free(c->scratch.tstatus);
    mem_free(c->scratch.reported);
    mem_free(c->scratch.differs);
    mem_free(c->scratch.applied);
    arena_free(&c->a);
    mem_free(c);
    *cp = NULL;
}

/* ---------- reading tables ---------- */

typedef struct row_ctx {
    checker *c;
    const rule_level *lv;
    const char *path;
    const table *t;
} row_ctx;

/* An exit_year that contradicts the row is a data error at that cell
 * (unit_exit_conflict); the unit's exit is then read from claimed_exit
 * alone (unit_exit_of). */
static void check_exit_year(row_ctx *rc, const table_row *row)
{
    const rule_level *lv = rc->lv;
    if (lv->exit_year >= 0 &&
        unit_exit_conflict(lv, row->vals, rc->c->d, rc->path, row->line, table_column(rc->t, (size_t)lv->exit_year)))
        rc->c->in[lv->index].exit_conflicts++;
}

/* Upper levels: keep the unit; it is evaluated once its children are in. */
static int keep_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    const rule_level *lv = rc->lv;
    long dup_line;
    check_exit_year(rc, row);
    if (rollup_keep(rc->c->ru, lv, row->vals, row->line, rc->path, &dup_line))
        return 0;
    if (!dup_line) { /* out of memory: diagnosed */
        rc->c->failed = 1;
        return 0;
    }
    const value *key = &row->vals[lv->key];
    if (value_looks_excel_exponent(key->u.s, key->len))
        diag_add(rc->c->d, DIAG_ERROR, rc->path, row->line, 0,
                 "row rejected: duplicate %s '%.*s' (first at line %ld): Excel's scientific notation lost the id's digits; format the column as text in Excel before saving",
                 lv->ind[lv->key].id, (int)key->len, key->u.s, dup_line);
    else
        diag_add(rc->c->d, DIAG_ERROR, rc->path, row->line, 0, "row rejected: duplicate %s '%.*s' (first at line %ld)",
                 lv->ind[lv->key].id, (int)key->len, key->u.s, dup_line);
    return 1;
}

/* A bottom-level row: evaluated, counted into its level and ancestors, and
 * spooled at once. Whether it repeats an earlier id is known only after
 * the whole table (settle_run, in bounded memory): it is counted now on
 * the assumption that it does not. */
static int stream_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    checker *c = rc->c;
    const rule_level *lv = rc->lv;
    unit_rec *u = &c->scratch;
    check_exit_year(rc, row);
    memcpy(u->slots, row->vals, lv->nind * sizeof(value));
    u->line = row->line;
    evaluate_unit(c->ev, u);
    long anc[RULES_MAX_LEVELS];
    rollup_link(c->ru, lv, u->slots, rc->path, row->line, anc, u, 1);
    rollup_count(c->ru, u);
    rollup_add(c->ru, u, anc);
    const value *key = &u->slots[lv->key];
    uint64_t off;
    if (spool_put(c->sp, u, &off) || settle_note(c->st, key->u.s, key->len, off, row->line))
        c->failed = 1;
    return 0;
}

static int read_level(checker *c, size_t li, const char *path, const table_opts *opts)
{
    const rule_level *lv = rules_level(c->rs, li);
    level_input *in = &c->in[li];
    in->path = arena_strdup(c->a, path);
    if (!in->path) {
        diag_oom(c->d);
        c->failed = 1;
        return -1;
    }
    table *t = table_open(path, lv, opts, c->d);
    if (!t) {
        /* still name it among the inputs, with the digest of its bytes */
        in->stats.encoding = N_("unread");
        in->stats.unread = 1;
        digest_file_hex(path, in->stats.sha256);
        in->listed = 1;
        return -1;
    }
    in->have_stats = 1;
    evaluate_set_read(c->ev, (int)li);
    rollup_set_read(c->ru, (int)li, in->path);
    row_ctx rc = {c, lv, in->path, t};
    int r = table_read(t, (int)li == c->leaf ? stream_row : keep_row, &rc);
    in->stats = *table_get_stats(t);
    in->stats.cell_errors += in->exit_conflicts;
    if (in->stats.sample_form && (int)li == c->leaf && lv->parent >= 0)
        diag_add(c->d, DIAG_WARNING, in->path, 1, in->stats.sample_form,
                 "this table is a sample's survey form (its column '%s'): the %s figures recomputed from it are the sample's, not the register's; compare a survey with the register with exitcheck verify",
                 TABLE_SAMPLE_COLUMN, rules_level_word(rules_level(c->rs, (size_t)lv->parent), diag_translator(c->d) != NULL));
    table_close(&t);
    return r;
}

/* Warns about each reported figure of u that differs from the recomputed
 * one beyond its tolerance. */
static void warn_differs(checker *c, const unit_rec *u, const char *path)
{
    const rule_level *lv = u->level;
    int zh = diag_translator(c->d) != NULL;
    for (size_t r = 0; r < lv->nrecompute; r++) {
        if (!u->differs[r])
            continue;
        const rule_recompute *rec = &lv->recompute[r];
        const rule_level *src = rules_level(c->rs, (size_t)evaluate_recompute_source(lv, rec));
        strbuf a = STRBUF_INIT, b = STRBUF_INIT, t = STRBUF_INIT;
        strbuf_num_short(&a, u->reported[r].u.num);
        strbuf_num_short(&b, u->slots[rec->indicator].u.num);
        strbuf_num(&t, rec->tolerance);
        if (a.oom || b.oom || t.oom)
            diag_oom(c->d);
        else
            diag_add(c->d, DIAG_WARNING, path, u->line, 0,
                     "%s '%s' reports %s %s, its %s data give %s (beyond the tolerance of %s); the targets use %s",
                     rules_level_word(lv, zh), u->id, lv->ind[rec->indicator].id, strbuf_str(&a),
                     rules_level_word(src, zh), strbuf_str(&b), strbuf_str(&t), strbuf_str(&b));
        strbuf_free(&a);
        strbuf_free(&b);
        strbuf_free(&t);
    }
}

/* The upper levels, bottom-up, now that their child data is complete. */
static void evaluate_upper(checker *c)
{
    for (int li = c->leaf - 1; li >= 0; li--) {
        const rule_level *lv = rules_level(c->rs, (size_t)li);
        unit_rec *units;
        size_t n = rollup_units(c->ru, li, &units);
        for (size_t k = 0; k < n; k++) {
            unit_rec *u = &units[k];
            evaluate_unit(c->ev, u);
            warn_differs(c, u, c->in[li].path);
            rollup_count(c->ru, u);
            long anc[RULES_MAX_LEVELS];
            rollup_link(c->ru, lv, u->slots, c->in[li].path, u->line, anc, u, 0); /* warned as it came */
            rollup_add(c->ru, u, anc);
        }
    }
}

/* A child table most of whose rows match no unit of the nearest ancestor
 * table read: ids spelt differently in the two tables. It is an error
 * (no trustworthy verdict), naming the likely cause. */
static void check_mismatch(checker *c, size_t li)
{
    const char *id;
    int anc;
    if (!rollup_mismatch(c->ru, (int)li, &id, &anc))
        return;
    static const char *const hints[] = {
        [IDHINT_NONE] = N_("the ids are spelt differently in the two tables, or the tables are not of the same places"),
        [IDHINT_DOT_ZERO] = N_("the ids end in '.0', as Excel and pandas write numbers: keep the id column as text"),
        [IDHINT_APOSTROPHE] = N_("the ids begin with an apostrophe, Excel's mark for text: remove it"),
        [IDHINT_EXPONENT] = N_("the ids are in scientific notation (E+), as Excel shows long numbers: keep the id column as text"),
        [IDHINT_FULLWIDTH] = N_("the ids are written with full-width digits: use ASCII digits"),
        [IDHINT_SPACES] = N_("the ids hold non-breaking or other spaces: remove them"),
        [IDHINT_PARENT_DOT_ZERO] = N_("the ids of the other table end in '.0', as Excel and pandas write numbers: keep the id column as text"),
        [IDHINT_PARENT_APOSTROPHE] = N_("the ids of the other table begin with an apostrophe, Excel's mark for text: remove it"),
    };
    _Static_assert(sizeof hints / sizeof hints[0] == IDHINT__COUNT, "a hint for every rollup_id_hint");
    const rule_level *al = rules_level(c->rs, (size_t)anc);
    const level_summary *s = check_summary(c, li);
    const char *word = rules_level_word(al, diag_translator(c->d) != NULL);
    diag_add(c->d, DIAG_ERROR, c->in[li].path, 0, 0,
             "%ld of %ld rows name a %s that is not in the %s table (%s), the first '%s': %s", s->unmatched, s->units,
             word, word, c->in[anc].path, id,
             diag_tr(c->d, hints[rollup_mismatch_hint(c->ru, id, anc)]));
}

int check_run(checker *c, const check_input *inputs, const table_opts *opts)
{
    int rc = 0;
    for (size_t i = 0; i < c->nlevels; i++) {
        if (!inputs[i].path)
            continue;
        int leaf = (int)i == c->leaf;
        if (leaf && !(c->sp = spool_new(c->d)))
            return -1;
        if (read_level(c, i, inputs[i].path, opts))
            rc = -1;
        if (c->failed)
            return -1;
        if (leaf && settle_run(c->st, c->sp, c->ru, rules_level(c->rs, i), c->rs, c->in[i].path, &c->in[i].stats,
                               c->scratch.slots))
            return -1;
    }
    evaluate_upper(c);
    for (size_t i = 0; i < c->nlevels; i++)
        check_mismatch(c, i);
    if (c->sp && spool_flush(c->sp))
        rc = -1;
    return rc;
}

/* ---------- results ---------- */

const level_summary *check_summary(const checker *c, size_t level) { return rollup_summary(c->ru, (int)level); }
const table_stats *check_stats(const checker *c, size_t level)
{
    return c->in[level].have_stats || c->in[level].listed ? &c->in[level].stats : NULL;
}
const char *check_input_path(const checker *c, size_t level) { return c->in[level].path; }

size_t check_years(const checker *c, const int **years) { return evaluate_years(c->ev, years); }

size_t check_missing_params(const checker *c, const missing_param **out)
{
    return evaluate_missing_params(c->ev, out);
}

int check_verdict(const checker *c)
{
    long exits = 0;
    for (size_t i = 0; i < c->nlevels; i++)
        exits += check_summary(c, i)->claims.claimed + check_summary(c, i)->earlier.claimed;
    for (size_t i = 0; i < c->nlevels; i++) {
        const level_summary *s = check_summary(c, i);
        if (exits ? s->claims.wrong + s->claims.unsupported + s->earlier.wrong > 0 : s->fail + s->unknown > 0)
            return 1;
    }
    return 0;
}

/* The bottom level's units, read back from the spool with slots [0, upto)
 * decoded; the rest below the aggregates read as unknown. */
static int foreach_spooled(checker *c, const rule_level *lv, unit_fn fn, void *ctx, int upto)
{
    if (!c->sp)
        return 0;
    unit_rec u = c->scratch; /* its target statuses will point into the spool's buffer */
    for (int i = upto; i < lv->agg_base; i++)
        u.slots[i] = value_unknown(WHY_NO_DATA);
    memset(u.applied, 0, lv->nrecompute + 1); /* no figure of a bottom-level unit is recomputed */
    spool_reader *rd = spool_read(c->sp, lv, upto, u.slots);
    if (!rd)
        return -1;
    int rc = 0, k;
    uint64_t off;
    while ((k = spool_next(rd, &u, &off, 0)) == 1)
        if ((rc = fn(ctx, &u)) != 0)
            break;
    if (k < 0)
        rc = -1;
    spool_read_end(&rd);
    return rc;
}

int check_foreach_ids(checker *c, size_t level, unit_fn fn, void *ctx)
{
    const rule_level *lv = rules_level(c->rs, level);
    if ((int)level != c->leaf)
        return check_foreach(c, level, fn, ctx);
    int upto = lv->key + 1;
    if (lv->parent_key + 1 > upto)
        upto = lv->parent_key + 1;
    if (lv->name + 1 > upto)
        upto = lv->name + 1;
    return foreach_spooled(c, lv, fn, ctx, upto);
}

int check_foreach(checker *c, size_t level, unit_fn fn, void *ctx)
{
    const rule_level *lv = rules_level(c->rs, level);
    if ((int)level == c->leaf)
        return foreach_spooled(c, lv, fn, ctx, lv->agg_base);
    unit_rec *units;
    size_t n = rollup_units(c->ru, (int)level, &units);
    for (size_t k = 0; k < n; k++) {
        int rc = fn(ctx, &units[k]);
        if (rc)
            return rc;
    }
    return 0;
}
