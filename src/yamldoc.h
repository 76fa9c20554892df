/*
 * yamldoc.h - a YAML file read with libyaml into a small tree whose every
 * node keeps its position (1-based line and column), so the rule loader can
 * point at the exact key or value at fault.
 *
 * Limits guard against hostile files: at most YAMLDOC_MAX_BYTES of input,
 * nesting at most YAMLDOC_MAX_DEPTH, at most YAMLDOC_MAX_NODES nodes, and no
 * anchors or aliases at all (rule files have no use for them, and refusing
 * them rules out "billion laughs"). One document per file.
 *
 * Ownership: the ydoc owns its tree, the raw bytes and their SHA-256.
 */
#ifndef EXITCHECK_YAMLDOC_H
#define EXITCHECK_YAMLDOC_H

#include <stddef.h>

#include "diag.h"

enum {
    YAMLDOC_MAX_BYTES = 16 * 1024 * 1024,
    YAMLDOC_MAX_DEPTH = 32,
    YAMLDOC_MAX_NODES = 1000000,
};

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } ynode_kind;
typedef enum { YS_PLAIN, YS_QUOTED, YS_BLOCK } yscalar_style;

typedef struct ynode {
    ynode_kind kind;
    long line, column;       /* of the node's first character */
    yscalar_style style;     /* scalars */
    const char *str;         /* scalars: NUL-terminated */
    size_t len;
    struct ynode **items;    /* seq: items; map: key0, value0, key1, ... */
    size_t n;                /* number of items (2 per map entry) */
} ynode;

typedef struct ydoc ydoc;

/* Reads and parses path. Returns NULL after recording diagnostics when the
 * file cannot be read or is not well-formed YAML within the limits. */
ydoc *ydoc_load(const char *path, diag_list *d);
const ynode *ydoc_root(const ydoc *doc);      /* NULL for an empty file */
const char *ydoc_path(const ydoc *doc);
const char *ydoc_sha256(const ydoc *doc);
/* The text of line (1-based) without its line end, or NULL. */
const char *ydoc_line(const ydoc *doc, long line, size_t *len);
void ydoc_free(ydoc **doc);

/* Convenience: the value of key in a map node, or NULL. */
const ynode *ynode_get(const ynode *map, const char *key);

#endif
