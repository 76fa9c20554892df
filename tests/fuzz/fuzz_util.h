/*
 * fuzz_util.h - what the fuzz harnesses share: a private scratch directory,
 * writing the input to a file there, the path of the source tree, and a
 * pass over the diagnostics that formats every one (so the excerpt and
 * caret code sees every location a hostile input can produce).
 *
 * The library reads files by path, so each input is written to a file in a
 * directory made once per process (libFuzzer's -jobs/-fork workers are
 * separate processes, each with its own directory) and removed at exit.
 * FUZZ_CHECK aborts with a message: libFuzzer keeps the input as a crash.
 */
#ifndef EXITCHECK_FUZZ_UTIL_H
#define EXITCHECK_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "strbuf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ", __FILE__,  \
                    __LINE__, #cond);                                          \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* A check of documented behaviour (not memory safety) that a run can
 * switch off once its finding is known, e.g. EXITCHECK_FUZZ_SKIP=utf8,nul
 * (the names: utf8, finite, nul, accounting; see README.md). */
static inline int fuzz_skipped(const char *name)
{
    const char *list = getenv("EXITCHECK_FUZZ_SKIP");
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p = comma ? comma + 1 : p + len;
    }
    return 0;
}

#define FUZZ_SOFT(name, cond, ...)                                             \
    do {                                                                       \
        if (!fuzz_skipped(name))                                               \
            FUZZ_CHECK(cond, __VA_ARGS__);                                     \
    } while (0)

static char fuzz_dir[4096];
static char *fuzz_names[16];
static int fuzz_nnames;

static inline void fuzz_cleanup(void)
{
    char path[4200];
    for (int i = 0; i < fuzz_nnames; i++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, fuzz_names[i]);
        unlink(path);
        free(fuzz_names[i]);
    }
    if (fuzz_dir[0])
        rmdir(fuzz_dir);
}

/* Makes the scratch directory; exits when it cannot. */
static const char *fuzz_scratch(void)
{
    if (fuzz_dir[0])
        return fuzz_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/exitcheck-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir)) {
        perror("exitcheck fuzz: cannot make a scratch directory");
        exit(1);
    }
    atexit(fuzz_cleanup);
    return fuzz_dir;
}

/* Writes data to the file name in the scratch directory and its path to
 * path; exits when it cannot (the harness cannot go on without it). */
static inline void fuzz_write(const char *name, const void *data, size_t size, char *path, size_t pathcap)
{
    snprintf(path, pathcap, "%s/%s", fuzz_scratch(), name);
    int known = 0;
    for (int i = 0; i < fuzz_nnames; i++)
        known |= strcmp(fuzz_names[i], name) == 0;
    if (!known && fuzz_nnames < (int)(sizeof fuzz_names / sizeof fuzz_names[0]))
        fuzz_names[fuzz_nnames++] = strdup(name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static inline void fuzz_remove(const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", fuzz_scratch(), name);
    unlink(path);
}

/* The source tree: $EXITCHECK_SRCDIR, else the one the harness was built from. */
static const char *fuzz_srcdir(void)
{
    const char *s = getenv("EXITCHECK_SRCDIR");
    return s && *s ? s : EXITCHECK_SRCDIR;
}

/* Formats every stored diagnostic and checks what a reader relies on:
 * a message, a known severity, a caret inside (or just after) its excerpt. */
static inline void fuzz_format_diags(const diag_list *d)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        FUZZ_CHECK(e && e->message, "diagnostic %zu has no message", i);
        FUZZ_CHECK(e->severity <= DIAG_ERROR, "diagnostic %zu has severity %d", i, (int)e->severity);
        FUZZ_CHECK(e->line >= 0 && e->column >= 0, "diagnostic '%s' at line %ld column %ld", e->message, e->line,
                   e->column);
        if (e->excerpt)
            FUZZ_CHECK(e->caret_col <= strlen(e->excerpt), "caret at %zu past an excerpt of %zu bytes", e->caret_col,
                       strlen(e->excerpt));
        strbuf_reset(&sb);
        diag_format(e, &sb);
    }
    strbuf_free(&sb);
}

#endif
