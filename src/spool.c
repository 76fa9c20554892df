/*
 * spool.c - the bottom level's units in a temporary file (see spool.h).
 *
 * The byte layout of a record, written by put_record and read by
 * get_record and nowhere else:
 *
 *   u32 length of the whole record
 *   i64 line
 *   u8  status, u8 claim, u8 flags (FLAG_ORPHAN, FLAG_REJECTED), u8 exit
 *   per slot below the level's aggregates: u8 kind, u8 why, then
 *       V_NUM: f64; V_BOOL: u8; V_TEXT: u32 length (UINT32_MAX: no text),
 *       the bytes and a NUL (read back in place as a C string)
 *   u8 status per target (the last bytes: found without decoding slots)
 *
 * Records are gathered in a buffer and written SPOOL_FLUSH bytes at a
 * time; the flags byte is the only one ever rewritten (spool_reject, in
 * the file, after the last flush).
 */
#include "spool.h"
#include "mem.h"
#include "strbuf.h"
#include "xsort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SPOOL_FLUSH = 256 * 1024 };
enum { HEAD_LEN = 4 + 8 + 4, FLAGS_AT = 4 + 8 + 2 };
enum { FLAG_ORPHAN = 1, FLAG_REJECTED = 2 };

struct spool {
    diag_list *d;
    FILE *f;
    strbuf rec;               /* records not yet written */
    long count;
    uint64_t off;             /* bytes put so far, the buffered ones too */
};

struct spool_reader {
    spool *sp;
    const rule_level *lv;
    int upto;
    value *slots;
    strbuf buf;
    size_t have, at;
    uint64_t off;             /* of the next record in the file */
};

static void write_error(spool *sp)
{
    diag_add(sp->d, DIAG_ERROR, NULL, 0, 0, "cannot write the temporary unit file: %s", diag_tr(sp->d, strerror(errno)));
}

spool *spool_new(diag_list *d)
{
    spool *sp = mem_calloc(1, sizeof *sp);
    if (!sp) {
        diag_oom(d);
        return NULL;
    }
    sp->d = d;
    sp->rec = (strbuf)STRBUF_INIT;
    sp->f = xsort_tmpfile();
    if (!sp->f) {
        const char *dir = getenv("TMPDIR");
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot create a temporary file in %s (TMPDIR chooses the directory): %s",
                 dir && *dir ? dir : "/tmp", diag_tr(d, strerror(errno)));
        mem_free(sp);
        return NULL;
    }
    return sp;
}

void spool_free(spool **spp)
{
    if (!spp || !*spp)
        return;
    spool *sp = *spp;
    if (sp->f)
        fclose(sp->f);
    strbuf_free(&sp->rec);
    mem_free(sp);
    *spp = NULL;
}

long spool_count(const spool *sp) { return sp->count; }

int spool_flush(spool *sp)
{
    strbuf *sb = &sp->rec;
    if (sb->len && fwrite(sb->s, 1, sb->len, sp->f) != sb->len) {
        write_error(sp);
        return -1;
    }
    strbuf_reset(sb);
    if (fflush(sp->f) != 0) {
        write_error(sp);
        return -1;
    }
    return 0;
}

static unsigned char *put_bytes(unsigned char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

/* Writes u's record at p, which has room for it; returns its end. */
static unsigned char *put_record(unsigned char *p, const unit_rec *u)
{
    const rule_level *lv = u->level;
    unsigned char *start = p;
    p += 4;
    int64_t l = u->line;
    p = put_bytes(p, &l, 8);
    *p++ = (unsigned char)u->status;
    *p++ = (unsigned char)u->claim;
    *p++ = u->orphan ? FLAG_ORPHAN : 0;
    *p++ = (unsigned char)u->exit;
    for (int i = 0; i < lv->agg_base; i++) {
        const value *v = &u->slots[i];
        *p++ = v->kind;
        *p++ = v->why;
        switch ((vkind)v->kind) {
        case V_UNKNOWN: break;
        case V_NUM: p = put_bytes(p, &v->u.num, sizeof(double)); break;
        case V_BOOL: *p++ = (unsigned char)v->u.b; break;
        case V_TEXT: {
            uint32_t n = v->u.s ? (uint32_t)v->len : UINT32_MAX;
            p = put_bytes(p, &n, 4);
            if (v->u.s) {
                p = put_bytes(p, v->u.s, v->len);
                *p++ = '\0';
            }
            break;
        }
        }
    }
    p = put_bytes(p, u->tstatus, lv->ntargets);
    uint32_t len = (uint32_t)(p - start);
    memcpy(start, &len, 4);
    return p;
}

int spool_put(spool *sp, const unit_rec *u, uint64_t *off)
{
    const rule_level *lv = u->level;
    strbuf *sb = &sp->rec;
    /* the most this record can take, so that it is written without checks */
    size_t need = HEAD_LEN + (size_t)lv->agg_base * (2 + sizeof(double) + 4 + 1) + lv->ntargets;
    for (int i = 0; i < lv->agg_base; i++)
        if (u->slots[i].kind == V_TEXT && u->slots[i].u.s)
            need += u->slots[i].len;
    if (strbuf_reserve(sb, need)) {
        diag_oom(sp->d);
        return -1;
    }
    unsigned char *start = (unsigned char *)sb->s + sb->len;
    size_t len = (size_t)(put_record(start, u) - start);
    sb->len += len;
    sb->s[sb->len] = '\0';
    *off = sp->off;
    sp->off += len;
    sp->count++;
    if (sb->len < SPOOL_FLUSH)
        return 0;
    if (fwrite(sb->s, 1, sb->len, sp->f) != sb->len) {
        write_error(sp);
        return -1;
    }
    strbuf_reset(sb);
    return 0;
}

int spool_reject(spool *sp, uint64_t off)
{
    unsigned char flags;
    off_t at = (off_t)(off + FLAGS_AT);
    if (pread(fileno(sp->f), &flags, 1, at) != 1)
        return -1;
    flags |= FLAG_REJECTED; /* the orphan flag stays */
    return pwrite(fileno(sp->f), &flags, 1, at) == 1 ? 0 : -1;
}

/* ---------- reading back ---------- */

spool_reader *spool_read(spool *sp, const rule_level *lv, int upto, value *slots)
{
    spool_reader *r = mem_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (spool_reader){sp, lv, upto < lv->agg_base ? upto : lv->agg_base, slots, STRBUF_INIT, 0, 0, 0};
    if (fseek(sp->f, 0, SEEK_SET) != 0) {
        mem_free(r);
        return NULL;
    }
    return r;
}

void spool_read_end(spool_reader **rp)
{
    if (!rp || !*rp)
        return;
    strbuf_free(&(*rp)->buf);
    mem_free(*rp);
    *rp = NULL;
}

/* 1 with the next whole record in the buffer, 0 at the end, -1 on error. */
static int next_record(spool_reader *r, const unsigned char **rec, uint32_t *len)
{
    uint32_t n = 0;
    if (r->have - r->at >= 4)
        memcpy(&n, r->buf.s + r->at, 4);
    if (r->have - r->at < 4 || r->have - r->at < n) {
        if (r->have > r->at)
            memmove(r->buf.s, r->buf.s + r->at, r->have - r->at);
        r->have -= r->at;
        r->at = 0;
        size_t want = n > SPOOL_FLUSH ? n : SPOOL_FLUSH;
        if (strbuf_reserve(&r->buf, want))
            return -1;
        r->have += fread(r->buf.s + r->have, 1, r->buf.cap - 1 - r->have, r->sp->f);
        if (r->have == 0)
            return 0;
        if (r->have < 4)
            return -1;
        memcpy(&n, r->buf.s, 4);
        if (r->have < n)
            return -1;
    }
    if (n < HEAD_LEN)
        return -1;
    *rec = (const unsigned char *)r->buf.s + r->at;
    *len = n;
    r->at += n;
    return 1;
}

static int get_str(const unsigned char **p, const unsigned char *end, const char **s, unsigned int *n)
{
    uint32_t len;
    if (end - *p < 4)
        return -1;
    memcpy(&len, *p, 4);
    *p += 4;
    if (len == UINT32_MAX) {
        *s = NULL;
        *n = 0;
        return 0;
    }
    if ((size_t)(end - *p) <= len || (*p)[len] != '\0')
        return -1;
    *s = (const char *)*p;
    *n = len;
    *p += len + 1;
    return 0;
}

/* Decodes one slot at *p; -1 if the record ends or holds a bad kind. */
static int get_value(const unsigned char **p, const unsigned char *end, value *out)
{
    value v = {0};
    if (end - *p < 2)
        return -1;
    v.kind = *(*p)++;
    v.why = *(*p)++;
    switch ((vkind)v.kind) {
    case V_UNKNOWN: break;
    case V_NUM:
        if ((size_t)(end - *p) < sizeof(double))
            return -1;
        memcpy(&v.u.num, *p, sizeof(double));
        *p += sizeof(double);
        break;
    case V_BOOL:
        if (end - *p < 1)
            return -1;
        v.u.b = *(*p)++;
        break;
    case V_TEXT:
        if (get_str(p, end, &v.u.s, &v.len))
            return -1;
        break;
    }
    *out = v;
    return 0;
}

/* Fills u and slots [0, upto) from a record; -1 if it is malformed. */
static int get_record(spool_reader *r, const unsigned char *rec, uint32_t len, unit_rec *u)
{
    const rule_level *lv = r->lv;
    const unsigned char *p = rec + 4, *end = rec + len;
    int64_t line;
    memcpy(&line, p, 8);
    p += 8;
    u->level = lv;
    u->line = (long)line;
    u->status = (unit_status)p[0];
    u->claim = (claim_status)p[1];
    u->orphan = p[2] & FLAG_ORPHAN;
    u->exit = (unit_exit)p[3];
    if (p[0] >= ST__COUNT || p[1] >= CLAIM__COUNT || p[3] >= UEXIT__COUNT)
        return -1;
    p += 4;
    if ((size_t)(end - p) < lv->ntargets)
        return -1;
    for (int i = 0; i < r->upto; i++)
        if (get_value(&p, end, &r->slots[i]))
            return -1;
    if (r->upto == lv->agg_base ? (size_t)(end - p) != lv->ntargets : (size_t)(end - p) < lv->ntargets)
        return -1;
    u->tstatus = (unsigned char *)(end - lv->ntargets);
    u->slots = r->slots;
    /* text is spooled NUL-terminated: ids and names point into the record */
    const int roles[3] = {lv->key, lv->parent_key, lv->name};
    const char **outs[3] = {&u->id, &u->parent, &u->name};
    for (int k = 0; k < 3; k++)
        *outs[k] = roles[k] >= 0 && roles[k] < r->upto && r->slots[roles[k]].kind == V_TEXT ? r->slots[roles[k]].u.s
                                                                                            : NULL;
    return 0;
}

int spool_next(spool_reader *r, unit_rec *u, uint64_t *off, int with_rejected)
{
    for (;;) {
        const unsigned char *rec;
        uint32_t len;
        uint64_t at = r->off;
        int k = next_record(r, &rec, &len);
        if (k != 1)
            return k;
        r->off += len;
        if (!with_rejected && (rec[FLAGS_AT] & FLAG_REJECTED))
            continue;
        if (get_record(r, rec, len, u))
            return -1;
        *off = at;
        return 1;
    }
}
