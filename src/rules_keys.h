/*
 * rules_keys.h - pass one's helpers for reading the YAML nodes of a rule
 * file (rules_keys.c), private to the rules modules. Each takes the loader
 * whose document (L->doc) holds the node, reports a mistake at the node
 * and returns NULL or -1 for it; strings are copied to the ruleset's arena.
 * `what` names the item in messages ("a parameter", "'pack'").
 */
#ifndef EXITCHECK_RULES_KEYS_H
#define EXITCHECK_RULES_KEYS_H

#include "rules_impl.h"

/* An error at node n (NULL: the document as a whole), with n's line as
 * excerpt and a caret under n; counts in L->errors. */
void rules_err_node(loader *L, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Edit distance for "did you mean" hints; 99 for strings over 40 bytes. */
size_t rules_distance(const char *a, const char *b);

/* Reports every key of map not in allowed (NULL-terminated), every
 * duplicate and every key that is not a scalar; returns 0 if all are
 * known. */
int rules_check_keys(loader *L, const ynode *map, const char *what, const char *const *allowed);

/* The position of n in the document being read (n NULL: line 0). */
srcpos rules_pos_of(loader *L, const ynode *n);
/* n when it is of kind, else NULL (with an error unless n is NULL). */
const ynode *rules_want_kind(loader *L, const ynode *n, ynode_kind kind, const char *what);

/* A required or optional scalar; NULL when absent or wrong. A required
 * one must not be empty. */
const ynode *rules_get_scalar(loader *L, const ynode *map, const char *key, int required, const char *what);
/* A copy of the scalar v in the arena; NULL for NULL. */
const char *rules_dup_scalar(loader *L, const ynode *v);
const char *rules_get_str(loader *L, const ynode *map, const char *key, int required, const char *what);
/* An id usable in expressions: required, an identifier, not a reserved word. */
const char *rules_get_ident(loader *L, const ynode *map, const char *key, const char *what);
/* 0 and *out, or -1 (absent, or not a number: an error). */
int rules_get_number(loader *L, const ynode *map, const char *key, int required, const char *what, double *out);
/* An optional true/yes or false/no: 0 and *out, or -1. */
int rules_get_flag(loader *L, const ynode *map, const char *key, const char *what, int *out);
/* A title: a scalar (English) or {en: ..., zh: ...}; {NULL, NULL} when absent. */
text2 rules_get_text2(loader *L, const ynode *map, const char *key, const char *what);
/* The source of an expression, kept for pass two: 0, or -1 and *out
 * zeroed (absent, or not a scalar). */
int rules_get_expr(loader *L, const ynode *map, const char *key, int required, const char *what, esrc *out);

/* An error in the expression s, at bytes [off, off + len) of its text, with
 * the source line and a caret where the text maps onto it exactly; an
 * "unknown name" message gains "did you mean 'suggest'?" when suggest is
 * not NULL. Counts in L->errors. */
void rules_err_expr(loader *L, const esrc *s, size_t off, size_t len, const char *message, const char *suggest);

#endif
