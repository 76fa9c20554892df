/*
 * diag_zh.h - the Chinese catalog of diagnostics (--lang zh).
 *
 * diag_zh is a diag_translate_fn: it maps an English message id (a format
 * that library code passes to diag_add, or an English word it passes to
 * diag_tr) to its Chinese text, or returns the id itself when the catalog
 * has no entry, so a missing entry shows English, never nothing. Ids,
 * column names, paths, numbers and a pack's own text are arguments of the
 * messages and are never translated.
 */
#ifndef EXITCHECK_DIAG_ZH_H
#define EXITCHECK_DIAG_ZH_H

#include <stddef.h>

typedef struct diag_zh_entry {
    const char *id;   /* the English message id */
    const char *zh;   /* the same arguments, in order or as %N$ conversions */
} diag_zh_entry;

const char *diag_zh(const char *msgid);
/* The catalog, sorted by id in strcmp order (for its test). */
const diag_zh_entry *diag_zh_entries(size_t *n);

#endif
