/*
 * yamldoc.c - builds a positioned tree from libyaml's event stream.
 *
 * libyaml marks are 0-based; nodes store them 1-based. The tree is built
 * with an explicit stack, so nesting depth is bounded without recursion.
 */
#include "yamldoc.h"
#include "digest.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

struct ydoc {
    arena *a;
    char *path;
    unsigned char *bytes;
    size_t len;
    char sha[65];
    ynode *root;
};

const ynode *ydoc_root(const ydoc *doc) { return doc->root; }
const char *ydoc_path(const ydoc *doc) { return doc->path; }
const char *ydoc_sha256(const ydoc *doc) { return doc->sha; }

void ydoc_free(ydoc **dp)
{
    if (!dp || !*dp)
        return;
    arena_free(&(*dp)->a);
    mem_free((*dp)->path);
    mem_free((*dp)->bytes);
    mem_free(*dp);
    *dp = NULL;
}

const char *ydoc_line(const ydoc *doc, long line, size_t *len)
{
    const char *s = (const char *)doc->bytes, *end = s + doc->len;
    for (long l = 1; l < line && s < end; l++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            return NULL;
        s = nl + 1;
    }
    if (s >= end && line > 1)
        return NULL;
    const char *e = s;
    while (e < end && *e != '\n' && *e != '\r')
        e++;
    *len = (size_t)(e - s);
    return s;
}

const ynode *ynode_get(const ynode *map, const char *key)
{
    if (!map || map->kind != YN_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->kind == YN_SCALAR && strcmp(map->items[i]->str, key) == 0)
            return map->items[i + 1];
    return NULL;
}

static int read_file(const char *path, ydoc *doc, diag_list *d)
{
    struct stat st;
    /* stat first: opening a FIFO would wait for a writer */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a regular file (a rule file must be a plain file)");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open rule file: %s", strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a regular file (a rule file must be a plain file)");
        fclose(f);
        return -1;
    }
    size_t cap = 65536, len = 0;
    unsigned char *buf = mem_alloc(cap);
    if (!buf)
        goto oom;
    for (;;) {
        if (len == cap) {
            if (cap >= YAMLDOC_MAX_BYTES) {
                diag_add(d, DIAG_ERROR, path, 0, 0, "rule file too large (the limit is %d MiB)",
                         YAMLDOC_MAX_BYTES / (1024 * 1024));
                mem_free(buf);
                fclose(f);
                return -1;
            }
            unsigned char *nb = mem_realloc(buf, cap * 2);
            if (!nb)
                goto oom;
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read rule file: %s", strerror(errno));
        mem_free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    doc->bytes = buf;
    doc->len = len;
    digest_bytes_hex(buf, len, doc->sha);
    return 0;
oom:
    mem_free(buf);
    fclose(f);
    diag_oom(d);
    return -1;
}

typedef struct frame {
    ynode *node;
    ynode **items;
    size_t n, cap;
} frame;

static int frame_push_item(frame *fr, ynode *item)
{
    if (mem_grow(&fr->items, &fr->cap, fr->n + 1, sizeof *fr->items))
        return -1;
    fr->items[fr->n++] = item;
    return 0;
}

static void event_error(diag_list *d, const char *path, const yaml_mark_t *m, const char *msg)
{
    diag_add(d, DIAG_ERROR, path, (long)m->line + 1, (long)m->column + 1, "%s", msg);
}

/* The document being built from libyaml's events: the open collections
 * (stack[1..depth]) and the count of nodes so far. */
typedef struct builder {
    ydoc *doc;
    diag_list *d;
    const char *path;
    frame stack[YAMLDOC_MAX_DEPTH + 1];
    int depth;
    long nodes;
} builder;

/* Adds n to the collection open at the top, or makes it the root. */
static int attach(builder *b, ynode *n)
{
    if (b->depth == 0) {
        b->doc->root = n;
        return 0;
    }
    if (frame_push_item(&b->stack[b->depth], n)) {
        diag_oom(b->d);
        return -1;
    }
    return 0;
}

/* A scalar, or the start of a sequence or mapping: a new node. 0, or -1
 * after a diagnostic. */
static int open_node(builder *b, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = ev->type == YAML_SCALAR_EVENT           ? ev->data.scalar.anchor
                                : ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor
                                                                        : ev->data.mapping_start.anchor;
    if (anchor) {
        event_error(b->d, b->path, &ev->start_mark, "YAML anchors are not allowed in rule files (write the value out)");
        return -1;
    }
    if (++b->nodes > YAMLDOC_MAX_NODES) {
        event_error(b->d, b->path, &ev->start_mark, "rule file has too many YAML nodes");
        return -1;
    }
    ynode *n = arena_alloc(b->doc->a, sizeof *n);
    if (!n) {
        diag_oom(b->d);
        return -1;
    }
    n->line = (long)ev->start_mark.line + 1;
    n->column = (long)ev->start_mark.column + 1;
    if (ev->type == YAML_SCALAR_EVENT) {
        n->kind = YN_SCALAR;
        n->len = ev->data.scalar.length;
        n->str = arena_strndup(b->doc->a, (const char *)ev->data.scalar.value, n->len);
        yaml_scalar_style_t st = ev->data.scalar.style;
        n->style = st == YAML_PLAIN_SCALAR_STYLE ? YS_PLAIN
                   : (st == YAML_SINGLE_QUOTED_SCALAR_STYLE || st == YAML_DOUBLE_QUOTED_SCALAR_STYLE) ? YS_QUOTED
                                                                                                     : YS_BLOCK;
        if (!n->str) {
            diag_oom(b->d);
            return -1;
        }
        return attach(b, n);
    }
    n->kind = ev->type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP;
    if (b->depth == YAMLDOC_MAX_DEPTH) {
        event_error(b->d, b->path, &ev->start_mark, "YAML nested too deeply for a rule file");
        return -1;
    }
    if (attach(b, n))
        return -1;
    b->depth++;
    b->stack[b->depth].node = n;
    b->stack[b->depth].n = 0;
    return 0;
}

/* The end of the collection open at the top: its items move to the arena. */
static int close_node(builder *b)
{
    frame *fr = &b->stack[b->depth];
    ynode *node = fr->node;
    node->n = fr->n;
    if (fr->n) {
        node->items = arena_alloc(b->doc->a, fr->n * sizeof(ynode *));
        if (!node->items) {
            diag_oom(b->d);
            return -1;
        }
        memcpy(node->items, fr->items, fr->n * sizeof(ynode *));
    }
    fr->n = 0;
    b->depth--;
    return 0;
}

/* One event: 1 at the end of the stream, 0 to go on, -1 after a
 * diagnostic. */
static int on_event(builder *b, const yaml_event_t *ev, int *docs)
{
    switch (ev->type) {
    case YAML_STREAM_END_EVENT: return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1) {
            event_error(b->d, b->path, &ev->start_mark,
                        "more than one YAML document in a rule file (remove the second '---')");
            return -1;
        }
        return 0;
    case YAML_ALIAS_EVENT:
        event_error(b->d, b->path, &ev->start_mark, "YAML aliases are not allowed in rule files (write the value out)");
        return -1;
    case YAML_SCALAR_EVENT:
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: return open_node(b, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return close_node(b);
    default: return 0; /* stream start, document end: nothing to build */
    }
}

ydoc *ydoc_load(const char *path, diag_list *d)
{
    ydoc *doc = mem_calloc(1, sizeof *doc);
    if (!doc || !(doc->a = arena_new()) || !(doc->path = mem_strdup(path))) {
        diag_oom(d);
        ydoc_free(&doc);
        return NULL;
    }
    if (read_file(path, doc, d)) {
        ydoc_free(&doc);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_oom(d);
        ydoc_free(&doc);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, doc->bytes, doc->len);
    builder *b = mem_calloc(1, sizeof *b);
    if (!b) {
        diag_oom(d);
        yaml_parser_delete(&parser);
        ydoc_free(&doc);
        return NULL;
    }
    b->doc = doc;
    b->d = d;
    b->path = path;
    int docs = 0, r = 0;
    while (r == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_mark_t m = parser.problem_mark;
            char msg[300];
            snprintf(msg, sizeof msg, "malformed YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
                     parser.context ? " " : "", parser.context ? parser.context : "");
            event_error(d, path, &m, msg);
            r = -1;
            break;
        }
        r = on_event(b, &ev, &docs);
        yaml_event_delete(&ev);
    }
    for (int i = 0; i <= YAMLDOC_MAX_DEPTH; i++)
        mem_free(b->stack[i].items);
    mem_free(b);
    yaml_parser_delete(&parser);
    if (r < 0) {
        ydoc_free(&doc);
        return NULL;
    }
    return doc;
}
