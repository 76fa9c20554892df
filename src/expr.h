/*
 * expr.h - requirement expressions: compiled once when a pack loads,
 * evaluated per row with no allocation.
 *
 * An expression sees the world as an array of value slots (indicators,
 * parameters, derived values and aggregates of one level); a resolver
 * supplied by the caller maps each name to its slot and static type.
 * Compilation type-checks everything, so evaluation cannot meet a type
 * error: it can only meet UNKNOWN, which it propagates by three-valued
 * logic (false and unknown = false; true and unknown = unknown; division by
 * zero = unknown). Nesting is bounded by EXPR_MAX_DEPTH.
 *
 * Ownership: a compiled expr lives in the arena passed to expr_compile and
 * is freed with it.
 */
#ifndef EXITCHECK_EXPR_H
#define EXITCHECK_EXPR_H

#include <stddef.h>

#include "mem.h"
#include "value.h"

enum { EXPR_MAX_DEPTH = 64, EXPR_MAX_LENGTH = 4096 };

typedef enum { VT_NUM, VT_BOOL, VT_TEXT, VT_ANY } vtype;

const char *vtype_name(vtype t);

typedef struct expr expr;

typedef struct expr_symbol {
    int slot;
    vtype type;
} expr_symbol;

/* Returns 1 and fills *out when name[0..len) is known, 0 otherwise. */
typedef int (*expr_resolver)(void *ctx, const char *name, size_t len, expr_symbol *out);
/* Called once per error, with the byte span of the fault in the source. */
typedef void (*expr_error_fn)(void *ctx, size_t offset, size_t len, const char *message);

/* Compiles src[0..len). On success returns the expression; on failure
 * returns NULL after reporting every error found through on_error. Out of
 * memory is reported as an error too. */
expr *expr_compile(arena *a, const char *src, size_t len, expr_resolver resolve,
                   expr_error_fn on_error, void *ctx);

vtype expr_type(const expr *e);
value expr_eval(const expr *e, const value *slots);
/* The distinct slots the expression reads, in order of first use. */
size_t expr_refs(const expr *e, const int **slots);

#endif
