/*
 * settle.c - duplicate settling for the bottom level (see settle.h).
 *
 * Invariants: every noted row is either counted once (it is the first
 * with its id) or rejected once; the count made as the rows came stands
 * unchanged when no id repeats. Two ids are taken for the same when both
 * of their 64-bit hashes agree (idmap_hash and an independent second
 * hash): a false match is not a practical worry.
 */
#include "settle.h"
#include "idmap.h"
#include "mem.h"
#include "xsort.h"

#include <errno.h>
#include <string.h>

/* Memory for the ids of bottom-level rows before they go to a temporary
 * file (twice this while sorting): the duplicate check is what would
 * otherwise grow with the number of households. */
enum { LEAF_ID_BUDGET = 2 * 1024 * 1024 };

struct settle {
    diag_list *d;
    xsort *ids;               /* (hash, hash, spool offset, line) of every row */
};

settle *settle_new(diag_list *d)
{
    settle *s = mem_calloc(1, sizeof *s);
    if (s && !(s->ids = xsort_new(LEAF_ID_BUDGET)))
        mem_free(s), s = NULL;
    if (!s)
        diag_oom(d);
    else
        s->d = d;
    return s;
}

void settle_free(settle **sp)
{
    if (!sp || !*sp)
        return;
    xsort_free(&(*sp)->ids);
    mem_free(*sp);
    *sp = NULL;
}

int settle_note(settle *s, const char *id, size_t len, uint64_t off, long line)
{
    xrec r = {idmap_hash(id, len), idmap_hash2(id, len), off, line};
    if (xsort_add(s->ids, &r)) {
        diag_add(s->d, DIAG_ERROR, NULL, 0, 0, "cannot write a temporary file: %s", diag_tr(s->d, strerror(errno)));
        return -1;
    }
    return 0;
}

/* Sorts the noted ids and returns the repeats, each as (offset, line of
 * the first row with its id), sorted by offset; NULL on error. */
static xsort *find_repeats(settle *s)
{
    xsort *dups = xsort_new(64 * 1024);
    if (!dups)
        return NULL;
    int rc = xsort_start(s->ids), k;
    xrec r, first = {0};
    for (int have = 0; rc == 0 && (k = xsort_next(s->ids, &r)) != 0; have = 1) {
        if (k < 0 || (have && r.k1 == first.k1 && r.k2 == first.k2 &&
                      xsort_add(dups, &(xrec){r.off, 0, r.off, first.line}))) {
            rc = -1;
            break;
        }
        if (!have || r.k1 != first.k1 || r.k2 != first.k2)
            first = r;
    }
    xsort_free(&s->ids);
    if (rc || xsort_start(dups)) {
        xsort_free(&dups);
        return NULL;
    }
    return dups;
}

/* How many leading slots the recount needs: the key, the parent key and
 * every other indicator (an ancestor's key, the registered and people
 * columns), and what the ancestors' aggregates over this level read
 * (their verdict slots are set from the unit's status, not decoded). */
static int recount_upto(const ruleset *rs, const rule_level *lv)
{
    int upto = (int)lv->nind;
    for (int L = lv->parent; L >= 0; L = rules_level(rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(rs, (size_t)L);
        for (size_t i = 0; i < al->nagg; i++) {
            const rule_aggregate *ag = &al->agg[i];
            if (ag->of != lv->index)
                continue;
            const expr *es[2] = {ag->where, ag->value};
            for (int k = 0; k < 2; k++) {
                const int *refs;
                size_t n = es[k] ? expr_refs(es[k], &refs) : 0;
                for (size_t j = 0; j < n; j++)
                    if (refs[j] < lv->agg_base && refs[j] + 1 > upto)
                        upto = refs[j] + 1;
            }
        }
    }
    return upto;
}

/* Reads the spool once: rejects the repeats in dups, counts the others. */
static int recount(xsort *dups, spool *sp, rollup *r, const rule_level *lv, const ruleset *rs, const char *path,
                   table_stats *stats, value *slots, diag_list *d)
{
    xrec dup;
    int more = xsort_next(dups, &dup), k = 0, rc = 0;
    rollup_reset(r, lv->index);
    spool_reader *rd = spool_read(sp, lv, recount_upto(rs, lv), slots);
    unsigned char *none = mem_calloc(lv->nrecompute + 1, 1); /* no figure of a bottom-level unit is recomputed */
    if (!rd || !none) {
        spool_read_end(&rd);
        mem_free(none);
        return -1;
    }
    unit_rec u = {0};
    u.applied = u.differs = none;
    uint64_t off;
    while (more >= 0 && (k = spool_next(rd, &u, &off, 1)) == 1) {
        if (more == 1 && dup.off == off) {
            const value *key = &slots[lv->key];
            if (value_looks_excel_exponent(key->u.s, key->len))
                diag_add(d, DIAG_ERROR, path, u.line, 0,
                         "row rejected: duplicate %s '%.*s' (first at line %ld): Excel's scientific notation lost the id's digits; format the column as text in Excel before saving",
                         lv->ind[lv->key].id, (int)key->len, key->u.s, (long)dup.line);
            else
                diag_add(d, DIAG_ERROR, path, u.line, 0, "row rejected: duplicate %s '%.*s' (first at line %ld)",
                         lv->ind[lv->key].id, (int)key->len, key->u.s, (long)dup.line);
            stats->rows_rejected++;
            stats->rejected[REJECT_DUPLICATE]++;
            if (spool_reject(sp, off)) {
                rc = -1;
                break;
            }
            more = xsort_next(dups, &dup);
            continue;
        }
        long anc[RULES_MAX_LEVELS];
        rollup_link(r, lv, slots, path, u.line, anc, &u, 0); /* warned as it came */
        unit_set_verdicts(lv, slots, u.status, u.exit, u.claim);
        rollup_count(r, &u);
        rollup_add(r, &u, anc);
    }
    if (k < 0 || more < 0)
        rc = -1;
    spool_read_end(&rd);
    mem_free(none);
    return rc;
}

int settle_run(settle *s, spool *sp, rollup *r, const rule_level *lv, const ruleset *rs, const char *path,
               table_stats *stats, value *scratch)
{
    if (spool_flush(sp))
        return -1;
    xsort *dups = find_repeats(s);
    if (!dups) {
        diag_add(s->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file: %s", diag_tr(s->d, strerror(errno)));
        return -1;
    }
    int rc = 0;
    /* no id repeats: the counts made as the rows came stand */
    if (xsort_count(dups) > 0 && recount(dups, sp, r, lv, rs, path, stats, scratch, s->d)) {
        diag_add(s->d, DIAG_ERROR, NULL, 0, 0, "cannot read back the temporary unit file: %s",
                 diag_tr(s->d, strerror(errno)));
        rc = -1;
    }
    xsort_free(&dups);
    return rc;
}
