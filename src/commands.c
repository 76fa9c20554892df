/*
 * commands.c - check, lint, explain and list (see commands.h).
 *
 * Diagnostics go to stderr in the form file:line:column: severity: message,
 * with the source line and a caret where there is one. With --lang zh,
 * check and list install the Chinese catalog on their sink before anything
 * is recorded, so messages and severity words are Chinese on stderr and in
 * the reports alike; lint and explain address rule authors and stay English.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "commands.h"
#include "waiver.h"
#include "commands_impl.h"
#include "check.h"
#include "diag.h"
#include "diag_zh.h"
#include "mem.h"
#include "plan.h"
#include "report.h"
#include "report_strings.h"
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cmd_show_progress(void *ctx, const table_progress *p)
{
    progress_line *pl = ctx;
    if (p->total < PROGRESS_MIN)
        return;
    double t = now();
    if (pl->path != p->path) {
        pl->path = p->path;
        pl->start = pl->last = t;
    }
    if (p->done) {
        if (pl->shown)
            fputs("\r\033[K", stderr);
        pl->shown = 0;
        return;
    }
    if (t - pl->last < 0.5)
        return;
    pl->last = t;
    double secs = t - pl->start, frac = (double)p->bytes / (double)p->total;
    double left = frac > 0 ? secs / frac - secs : 0;
    fprintf(stderr, "\r\033[K%s: %.0f of %.0f MiB (%.0f%%), %ld rows, %.0f rows/s, %d:%02d left", p->path,
            (double)p->bytes / 1048576.0, (double)p->total / 1048576.0, 100.0 * frac, p->rows,
            secs > 0 ? (double)p->rows / secs : 0.0, (int)(left / 60), (int)left % 60);
    fflush(stderr);
    pl->shown = 1;
}

/* "exitcheck: error: out of memory" in the language of tr, without
 * allocating. */
void cmd_print_oom(diag_translate_fn tr)
{
    const char *sev = diag_severity_name(DIAG_ERROR), *msg = N_("out of memory");
    fprintf(stderr, "exitcheck: %s: %s\n", tr ? tr(sev) : sev, tr ? tr(msg) : msg);
}

void cmd_print_diags(const diag_list *d)
{
    strbuf sb = STRBUF_INIT;
    diag_translate_fn tr = diag_translator(d);
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        strbuf_reset(&sb);
        if (!e->file)
            strbuf_puts(&sb, "exitcheck: ");
        diag_format_tr(e, tr, &sb);
        fputs(strbuf_str(&sb), stderr);
    }
    size_t more = diag_suppressed(d);
    if (more) {
        fputs("exitcheck: ", stderr);
        fprintf(stderr,
                more == 1 ? diag_tr(d, "%zu more diagnostic not shown (--max-errors 0 shows all)\n")
                          : diag_tr(d, "%zu more diagnostics not shown (--max-errors 0 shows all)\n"),
                more);
        fputs("exitcheck: ", stderr);
        fprintf(stderr, diag_tr(d, "found in all: errors %zu, warnings %zu, notes %zu; %zu of each severity shown\n"),
                diag_total(d, DIAG_ERROR), diag_total(d, DIAG_WARNING), diag_total(d, DIAG_NOTE), diag_limit(d));
    }
    if (diag_out_of_memory(d))
        cmd_print_oom(tr);
    strbuf_free(&sb);
}

/* Standard output, flushed: EXIT_ERROR with a diagnostic when a listing
 * could not be written (a full disk, a closed pipe), else status. */
exit_status cmd_stdout_written(diag_list *d, exit_status status)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return status;
    diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot write to standard output: %s",
             diag_tr(d, strerror(errno ? errno : EIO)));
    return EXIT_ERROR;
}

/* Loads the pack -r names (or the default one). */
ruleset *cmd_load_pack(const cli_config *cfg, const char *argv0, diag_list *d)
{
    strbuf path = STRBUF_INIT;
    if (cli_resolve_pack(argv0, cfg->rules, &path)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "cannot find the rule packs (looked next to the binary and in %s/rules); give -r RULES",
                 EXITCHECK_DATADIR);
        strbuf_free(&path);
        return NULL;
    }
    ruleset *rs = rules_load(strbuf_str(&path), d);
    strbuf_free(&path);
    return rs;
}

static int is_level(const ruleset *rs, const char *name, size_t len)
{
    for (size_t i = 0; i < rules_nlevels(rs); i++) {
        const char *id = rules_level(rs, i)->id;
        if (strlen(id) == len && !strncmp(id, name, len))
            return 1;
    }
    return 0;
}

/* The --LEVEL options against the levels of rs: a usage error, worded as
 * the parser words one, for a LEVEL the pack does not have or a missing
 * file. Returns 0 when every one names a table. */
static int level_options_ok(const cli_config *cfg, const ruleset *rs)
{
    for (size_t t = 0; t < cfg->ntables; t++) {
        const cli_table *ct = &cfg->tables[t];
        strbuf err = STRBUF_INIT;
        if (cli_level_option_error(ct, is_level(rs, ct->level, ct->level_len), &err)) {
            fprintf(stderr, "exitcheck: %s\n%s", strbuf_str(&err), cli_usage_hint());
            strbuf_free(&err);
            return 0;
        }
        strbuf_free(&err);
    }
    return 1;
}

/* level_options_ok for a command that has loaded *rs (or failed to):
 * on a usage error frees the pack and the diagnostics, printing none of
 * them (as for any usage error), and returns 0. */
int cmd_pack_takes_options(const cli_config *cfg, ruleset **rs, diag_list **d)
{
    if (!*rs || level_options_ok(cfg, *rs))
        return 1;
    rules_free(rs);
    diag_free(d);
    return 0;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!strcmp(a, b))
        return 1;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The file a path names once written, existing or not: its directory
 * resolved (through .. and symlinks) and its last component. */
static int resolved(const char *p, char *out, size_t n)
{
    const char *slash = strrchr(p, '/');
    char dir[PATH_MAX];
    const char *base = slash ? slash + 1 : p;
    if (slash) {
        size_t dn = slash == p ? 1 : (size_t)(slash - p);
        if (dn >= sizeof dir)
            return -1;
        memcpy(dir, p, dn);
        dir[dn] = '\0';
    } else {
        strcpy(dir, ".");
    }
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return -1;
    return snprintf(out, n, "%s/%s", real, base) < (int)n ? 0 : -1;
}

/* Two output paths that would write one file: the same existing file
 * (links included), or the same resolved name. */
static int same_output(const char *a, const char *b)
{
    if (same_file(a, b))
        return 1;
    char ra[PATH_MAX + 256], rb[PATH_MAX + 256];
    return resolved(a, ra, sizeof ra) == 0 && resolved(b, rb, sizeof rb) == 0 && !strcmp(ra, rb);
}

int cmd_outputs_clobber(const cli_config *cfg, const char *const *extra, size_t nextra, const ruleset *rs,
                        const char *const *ins, size_t nin, diag_list *d)
{
    const char *outs[CLI_MAX_OUTPUTS + 4];
    size_t no = 0;
    for (size_t k = 0; k < cfg->noutputs; k++)
        outs[no++] = cfg->outputs[k].path;
    for (size_t k = 0; k < nextra && no < sizeof outs / sizeof *outs; k++)
        if (extra[k])
            outs[no++] = extra[k];
    int bad = 0;
    for (size_t k = 0; k < no; k++) {
        if (cli_is_stdout(outs[k]))
            continue;
        const char *hit = NULL;
        for (size_t i = 0; !hit && i < nin; i++)
            if (ins[i] && same_file(outs[k], ins[i]))
                hit = ins[i];
        for (size_t i = 0; !hit && rs && i < rules_nfiles(rs); i++)
            if (same_file(outs[k], rules_file(rs, i)->path))
                hit = rules_file(rs, i)->path;
        if (hit) {
            diag_add(d, DIAG_ERROR, outs[k], 0, 0, "is an input of this run (%s): no output is written over an input",
                     hit);
            bad = 1;
        }
        for (size_t j = 0; j < k && !hit; j++)
            if (!cli_is_stdout(outs[j]) && same_output(outs[k], outs[j])) {
                diag_add(d, DIAG_ERROR, outs[k], 0, 0, "is the same file as the output %s: two outputs would overwrite each other",
                         outs[j]);
                bad = 1;
                break;
            }
    }
    return bad;
}

int cmd_set_params(const cli_config *cfg, ruleset *rs, diag_list *d)
{
    int bad = 0;
    for (size_t i = 0; i < cfg->nparams; i++) {
        char name[128];
        size_t n = cfg->params[i].name_len < sizeof name - 1 ? cfg->params[i].name_len : sizeof name - 1;
        memcpy(name, cfg->params[i].name, n);
        name[n] = '\0';
        bad |= rules_set_param(rs, name, cfg->params[i].value, d) != 0;
    }
    return bad;
}

/* The entries of dir whose name is name in any case (at most two kept,
 * in strcmp order); returns how many there are (0, 1, or 2 for "more than
 * one"). */
static int find_table(const char *dir, const char *name, char found[2][256])
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (strcasecmp(e->d_name, name) || strlen(e->d_name) >= 256)
            continue;
        char path[PATH_MAX];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path || stat(path, &st) != 0 ||
            S_ISDIR(st.st_mode))
            continue;
        if (n < 2) {
            strcpy(found[n], e->d_name);
        } else if (strcmp(e->d_name, found[1]) < 0) {
            strcpy(found[1], e->d_name);
        }
        if (n < 2)
            n++;
        if (n == 2 && strcmp(found[0], found[1]) > 0) {
            char t[256];
            strcpy(t, found[0]);
            strcpy(found[0], found[1]);
            strcpy(found[1], t);
        }
    }
    closedir(dp);
    return n;
}

/* The files of dir that can be the table called name: name itself in any
 * case, and the same base name with .xlsx or .xls. Returns how many (at
 * most 6), sorted within each kind. */
static int find_level_table(const char *dir, const char *name, char found[6][256])
{
    int n = find_table(dir, name, found);
    const char *dot = strrchr(name, '.');
    size_t bl = dot ? (size_t)(dot - name) : strlen(name);
    static const char *const ext[] = {".xlsx", ".xls"};
    for (int k = 0; k < 2; k++) {
        char base[256];
        if (bl + 6 >= sizeof base || (dot && !strcasecmp(dot, ext[k])))
            continue;
        memcpy(base, name, bl);
        strcpy(base + bl, ext[k]);
        n += find_table(dir, base, found + n);
    }
    return n;
}

/* Fills inputs (one per level of rs) from the tables named on the command
 * line and those found in the data directory; paths holds the joined
 * names. Returns 1 after a diagnostic when something named is not there. */
int cmd_find_inputs(const cli_config *cfg, const ruleset *rs, diag_list *d, check_input *inputs, strbuf *paths)
{
    int bad = 0;
    size_t nl = rules_nlevels(rs);
    for (size_t t = 0; t < cfg->ntables; t++) {
        const cli_table *ct = &cfg->tables[t];
        int found = 0;
        for (size_t i = 0; i < nl; i++) {
            const rule_level *lv = rules_level(rs, i);
            if (strlen(lv->id) == ct->level_len && !strncmp(lv->id, ct->level, ct->level_len)) {
                inputs[i].path = ct->path;
                found = 1;
            }
        }
        if (!found) { /* only --table LEVEL=F: level_options_ok has seen the others */
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "the pack '%s' has no level '%.*s'", rules_id(rs), (int)ct->level_len,
                     ct->level);
            bad = 1;
        }
    }
    if (cfg->datadir) {
        struct stat st;
        if (stat(cfg->datadir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0, "not a directory (give the directory that holds the CSV tables)");
            bad = 1;
        } else {
            int any = 0;
            for (size_t i = 0; i < nl; i++) {
                const rule_level *lv = rules_level(rs, i);
                if (inputs[i].path || !lv->file)
                    continue;
                /* the table's name in any case (Household.CSV): an office's
                 * export keeps whatever case its author typed; or the same
                 * name as a workbook (household.xlsx; an .xls is taken too,
                 * to be refused with its own message) */
                char found[6][256];
                int n = find_level_table(cfg->datadir, lv->file, found);
                if (n > 1) {
                    diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0,
                             "holds two files that could be the %s table: '%s' and '%s'; give one with --%s F", lv->id,
                             found[0], found[1], lv->id);
                    bad = 1;
                } else if (n == 1) {
                    strbuf_printf(&paths[i], "%s/%s", cfg->datadir, found[0]);
                    inputs[i].path = strbuf_str(&paths[i]);
                    any = 1;
                }
            }
            if (!any && !cfg->ntables) {
                strbuf names = STRBUF_INIT;
                for (size_t i = 0; i < nl; i++)
                    if (rules_level(rs, i)->file)
                        strbuf_printf(&names, "%s%s", names.len ? ", " : "", rules_level(rs, i)->file);
                diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0, "holds none of the tables of pack '%s' (%s)", rules_id(rs),
                         strbuf_str(&names));
                strbuf_free(&names);
                bad = 1;
            }
        }
    }
    return bad;
}

table_opts cmd_table_opts(const cli_config *cfg)
{
    table_opts o = {.encoding = cfg->encoding,
                    .partial = cfg->partial,
                    .threads = cfg->threads,
                    .sheet = cfg->sheet,
                    .header_row = cfg->header_row};
    return o;
}

struct waivers *cmd_read_waivers(const cli_config *cfg, const ruleset *rs, diag_list *d, const table_opts *opts,
                                 int *failed)
{
    *failed = 0;
    if (!cfg->waivers)
        return NULL;
    waivers *w = waivers_new(rs, d);
    if (!w) {
        *failed = 1;
        return NULL;
    }
    waivers_set_as_of(w, cfg->as_of);
    table_opts o = *opts;
    o.progress = NULL;
    waivers_read(w, cfg->waivers, &o);
    return w;
}

int cmd_check(const cli_config *cfg, const char *argv0)
{
    diag_list *d = diag_new();
    if (!d) {
        cmd_print_oom(cfg->zh ? diag_zh : NULL);
        return EXIT_ERROR;
    }
    diag_set_limit(d, (size_t)cfg->max_errors);
    if (cfg->zh)
        diag_set_translate(d, diag_zh);
    exit_status status = EXIT_ERROR;
    checker *c = NULL;
    waivers *wv = NULL;
    report_facts *facts = NULL;
    strbuf paths[CLI_MAX_TABLES];
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        paths[i] = (strbuf)STRBUF_INIT;
    ruleset *rs = cmd_load_pack(cfg, argv0, d);
    if (!rs)
        goto done;
    if (!cmd_pack_takes_options(cfg, &rs, &d))
        return EXIT_ERROR;
    int bad = 0;
    bad |= cmd_set_params(cfg, rs, d);
    check_input inputs[RULES_MAX_LEVELS] = {{0}};
    bad |= cmd_find_inputs(cfg, rs, d, inputs, paths);
    const char *ins[RULES_MAX_LEVELS + 1];
    size_t nin = rules_nlevels(rs);
    for (size_t i = 0; i < nin; i++)
        ins[i] = inputs[i].path;
    if (cfg->waivers)
        ins[nin++] = cfg->waivers;
    if (!bad)
        bad = cmd_outputs_clobber(cfg, NULL, 0, rs, ins, nin, d);
    if (bad)
        goto done;
    c = check_new(rs, d);
    if (!c)
        goto done;
    progress_line pl = {0};
    table_opts topts = cmd_table_opts(cfg);
    if (!cfg->quiet && isatty(STDERR_FILENO)) {
        topts.progress = cmd_show_progress;
        topts.progress_ctx = &pl;
    }
    int wfailed;
    wv = cmd_read_waivers(cfg, rs, d, &topts, &wfailed);
    if (wfailed)
        goto done;
    check_set_waivers(c, wv);
    check_run(c, inputs, &topts);
    if (wv)
        waivers_finish(wv);
    /* by file and line: the duplicates and parents of the bottom level are
     * settled after its table, but belong among its other rows' messages */
    diag_sort(d);
    status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR : check_verdict(c) ? EXIT_CLAIMS_FAIL : EXIT_OK;

    facts = report_facts_new(rs, c, status);
    if (!facts) {
        diag_oom(d);
        status = EXIT_ERROR;
        goto done;
    }
    report_ctx r = {rs, c, d, facts, {0, cfg->all, cfg->zh, cfg->bom}, FMT_TEXT};
    for (size_t i = 0; i < cfg->noutputs; i++) {
        const cli_output *o = &cfg->outputs[i];
        int tty = !strcmp(o->path, "-") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        r.opts.color = o->format == FMT_TEXT &&
                       (cfg->color == COLOR_ALWAYS || (cfg->color == COLOR_AUTO && tty));
        if (report_write_file(o->format, &r, o->path, d))
            status = EXIT_ERROR;
    }
done:
    cmd_print_diags(d);
    report_facts_free(&facts);
    check_free(&c);
    waivers_free(&wv);
    rules_free(&rs);
    diag_free(&d);
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        strbuf_free(&paths[i]);
    return status;
}

int cmd_lint(const cli_config *cfg, const char *argv0)
{
    exit_status status = EXIT_OK;
    size_t n = cfg->nargs ? cfg->nargs : 1;
    for (size_t i = 0; i < n; i++) {
        diag_list *d = diag_new();
        if (!d)
            return EXIT_ERROR;
        if (cfg->nargs && plan_sniff(cfg->args[i])) {
            diag_free(&d);
            if (cmd_lint_plan(cfg, argv0, cfg->args[i]) != EXIT_OK)
                status = EXIT_ERROR;
            continue;
        }
        cli_config one = *cfg;
        one.rules = cfg->nargs ? cfg->args[i] : cfg->rules;
        ruleset *rs = cmd_load_pack(&one, argv0, d);
        if (!cmd_pack_takes_options(cfg, &rs, &d))
            return EXIT_ERROR;
        cmd_print_diags(d);
        if (!rs) {
            fprintf(stderr, "%s: %zu error%s\n", one.rules ? one.rules : EXITCHECK_DEFAULT_PACK, diag_errors(d),
                    diag_errors(d) == 1 ? "" : "s");
            status = EXIT_ERROR;
        } else {
            size_t nl = rules_nlevels(rs), nt = rules_ntargets(rs), np = rules_nparams(rs), nf = rules_nfiles(rs);
            printf("%s: ok: pack %s %s, %zu level%s, %zu target%s, %zu parameter%s, %zu file%s\n", rules_dir(rs),
                   rules_id(rs), rules_version(rs), nl, nl == 1 ? "" : "s", nt, nt == 1 ? "" : "s", np,
                   np == 1 ? "" : "s", nf, nf == 1 ? "" : "s");
        }
        rules_free(&rs);
        diag_free(&d);
    }
    diag_list *d = diag_new();
    if (!d)
        return EXIT_ERROR;
    status = cmd_stdout_written(d, status);
    cmd_print_diags(d);
    diag_free(&d);
    return status;
}

static void print_wrapped(const char *label, const char *text)
{
    if (!text)
        return;
    printf("%s\n", label);
    const int width = 76;
    const char *p = text;
    while (*p) {
        /* wrap at a space before width bytes; CJK text wraps at width */
        size_t len = strlen(p);
        size_t take = len;
        if (len > (size_t)width) {
            take = (size_t)width;
            while (take > 20 && p[take] != ' ')
                take--;
            if (take <= 20)
                for (take = (size_t)width; take < len && ((unsigned char)p[take] & 0xC0) == 0x80; take++)
                    ;
        }
        printf("    %.*s\n", (int)take, p);
        p += take;
        while (*p == ' ')
            p++;
    }
}

/* A derived value: its title, how it is computed and its note, then the
 * derived values it reads in turn (a scoring scale's items). */
static void explain_derived(const ruleset *rs, const rule_level *lv, const rule_derived *dv, int depth)
{
    printf("    %*s%-*s derived: %s\n", depth * 2, "", 34 - depth * 2, dv->id,
           dv->title.en ? dv->title.en : dv->title.zh ? dv->title.zh : "");
    if (dv->text)
        printf("    %*s  = %s\n", depth * 2, "", dv->text);
    else
        printf("    %*s  by cases (%zu bands)\n", depth * 2, "", dv->ncases);
    if (dv->note)
        printf("    %*s  %s\n", depth * 2, "", dv->note);
    if (depth >= 3 || !dv->e)
        return;
    const int *refs;
    size_t n = expr_refs(dv->e, &refs);
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->derived_base && refs[i] < lv->agg_base)
            explain_derived(rs, lv, &lv->derived[refs[i] - lv->derived_base], depth + 1);
}

/* What a target reads: columns, parameters (with their values by year),
 * derived values (with what they read in turn) and aggregates. */
static void explain_uses(const ruleset *rs, const rule_level *lv, const rule_target *t)
{
    const int *refs;
    size_t n = expr_refs(t->e, &refs);
    printf("Uses:\n");
    int params_shown = 0;
    for (size_t i = 0; i < n; i++) {
        int s = refs[i];
        const char *name = rules_slot_name(rs, lv, s);
        if (s < (int)lv->nind) {
            const rule_indicator *ind = &lv->ind[s];
            printf("    %-34s column, %s%s%s%s%s\n", name, ind_type_name(ind->type), ind->unit ? ", " : "",
                   ind->unit ? ind->unit : "", ind->zh ? ", header " : "", ind->zh ? ind->zh : "");
        } else if (s < lv->derived_base) {
            const rule_param *p = rules_param(rs, (size_t)(s - lv->param_base));
            params_shown = 1;
            printf("    %-34s parameter:", name);
            if (!p->nvalues)
                printf(" no value in the pack (give --param %s=VALUE)", p->id);
            for (size_t k = 0; k < p->nvalues; k++) {
                strbuf v = STRBUF_INIT;
                strbuf_num(&v, p->values[k].value);
                printf(" %d=%s%s", p->values[k].year, strbuf_str(&v), p->values[k].confirmed ? "" : "?");
                strbuf_free(&v);
            }
            printf("\n");
        } else if (s < lv->agg_base) {
            explain_derived(rs, lv, &lv->derived[s - lv->derived_base], 0);
        } else {
            printf("    %-34s aggregate over child units\n", name);
        }
    }
    if (rules_source(rs))
        print_wrapped("Source:", rules_source(rs));
    if (params_shown)
        printf("(parameter values marked ? are not confirmed by a source)\n");
}

/* explain --unit: the unit's outcome for the target, and the waiver behind it. */
typedef struct unit_find {
    const ruleset *rs;
    const rule_target *t;
    size_t ti;
    const char *id;
    const waivers *w;
    const char *path;
    int found;
    long line;                /* the unit's row (the last found) */
} unit_find;

static int show_unit(void *ctx, const unit_rec *u)
{
    unit_find *uf = ctx;
    if (!u->id || strcmp(u->id, uf->id))
        return 0;
    uf->found++;
    uf->line = u->line;
    const rule_level *lv = u->level;
    strbuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "\n%s %s (%s:%ld): %s", lv->id, u->id, uf->path, u->line, report_status_word(u->status, 0));
    if (u->claim != CLAIM_NONE) {
        strbuf_puts(&sb, ", ");
        report_exit_text(&sb, u, 0);
    }
    if (unit_by_waiver(u))
        strbuf_puts(&sb, " (meets the standard only by waiver)");
    unit_status st = (unit_status)u->tstatus[uf->ti];
    strbuf_printf(&sb, "\n  %s: %s\n", uf->t->id, report_status_word(st, 0));
    const waiver *x = st == ST_WAIVED ? waivers_for(uf->w, u, uf->ti) : NULL;
    if (x) {
        st = x->outcome;
        strbuf_printf(&sb, "    without the waiver: %s\n", st == ST_UNKNOWN ? "unknown" : st == ST_WARN ? "warn" : "not met");
    }
    if (st == ST_UNKNOWN) {
        strbuf_puts(&sb, "    ");
        report_unknown_reason(&sb, uf->rs, lv, uf->t, u->slots, 0);
        strbuf_putc(&sb, '\n');
    } else {
        strbuf_puts(&sb, "    observed ");
        report_observed(&sb, uf->rs, lv, uf->t, u->slots, 0);
        strbuf_puts(&sb, "; required ");
        report_require(&sb, uf->t->require, 0);
        strbuf_putc(&sb, '\n');
    }
    if (x) {
        strbuf_puts(&sb, "    waived: ");
        report_waiver_text(&sb, x, 0);
        strbuf_printf(&sb, " (%s:%ld)\n", waivers_path(uf->w), x->line);
    } else if (uf->w) {
        /* a waiver of this unit and target that did not apply: say why */
        for (size_t i = 0; i < waivers_count(uf->w); i++) {
            const waiver *y = waivers_get(uf->w, i);
            if (y->level == lv->index && y->target == (int)uf->ti && !strcmp(y->unit_id, u->id)) {
                strbuf_printf(&sb, "    waiver at %s:%ld: %s; ", waivers_path(uf->w), y->line, report_waiver_use(y, 0));
                report_waiver_text(&sb, y, 0);
                strbuf_putc(&sb, '\n');
            }
        }
    }
    fputs(strbuf_str(&sb), stdout);
    strbuf_free(&sb);
    return 0;
}

typedef struct about_unit {
    const char *waivers, *path;
    long line;
} about_unit;

static int is_about_unit(const diag_entry *e, void *ctx)
{
    const about_unit *a = ctx;
    return e->file && ((a->waivers && !strcmp(e->file, a->waivers)) || (!strcmp(e->file, a->path) && e->line == a->line));
}

/* Runs the check explain --unit needs and shows the unit; the status. */
static exit_status explain_unit(const cli_config *cfg, ruleset *rs, const rule_level *lv, const rule_target *t,
                                diag_list *d)
{
    exit_status status = EXIT_ERROR;
    strbuf paths[CLI_MAX_TABLES];
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        paths[i] = (strbuf)STRBUF_INIT;
    checker *c = NULL;
    waivers *wv = NULL;
    int bad = 0;
    bad |= cmd_set_params(cfg, rs, d);
    check_input inputs[RULES_MAX_LEVELS] = {{0}};
    bad |= cmd_find_inputs(cfg, rs, d, inputs, paths);
    if (!bad && !inputs[lv->index].path) {
        diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0, "no %s table to find the unit in (%s, or --%s F)", lv->id,
                 lv->file ? lv->file : lv->id, lv->id);
        bad = 1;
    }
    if (bad || !(c = check_new(rs, d)))
        goto done;
    table_opts topts = cmd_table_opts(cfg);
    int wfailed;
    wv = cmd_read_waivers(cfg, rs, d, &topts, &wfailed);
    if (wfailed)
        goto done;
    check_set_waivers(c, wv);
    check_run(c, inputs, &topts);
    if (wv)
        waivers_finish(wv);
    diag_sort(d);
    unit_find uf = {rs, t, (size_t)(t - lv->targets), cfg->unit, wv, inputs[lv->index].path, 0, 0};
    if (check_foreach(c, (size_t)lv->index, show_unit, &uf) < 0) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "the %s units could not be read back", lv->id);
        goto done;
    }
    /* of the warnings, only those about the unit's row and the waivers:
     * the check's report is the place for the others */
    about_unit au = {cfg->waivers, uf.path, uf.line};
    size_t warned = diag_stored(d, DIAG_WARNING);
    diag_keep(d, is_about_unit, &au);
    size_t others = warned - diag_stored(d, DIAG_WARNING);
    if (others)
        diag_add(d, DIAG_NOTE, NULL, 0, 0,
                 "%zu other warnings about the data are not shown here (exitcheck check lists them)", others);
    if (!uf.found) {
        diag_add(d, DIAG_ERROR, inputs[lv->index].path, 0, 0, "no %s '%s' in this table (target %s is a %s target)",
                 lv->id, cfg->unit, t->id, lv->id);
        goto done;
    }
    status = diag_errors(d) ? EXIT_ERROR : EXIT_OK;
done:
    check_free(&c);
    waivers_free(&wv);
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        strbuf_free(&paths[i]);
    return status;
}

int cmd_explain(const cli_config *cfg, const char *argv0)
{
    diag_list *d = diag_new();
    if (!d)
        return EXIT_ERROR;
    ruleset *rs = cmd_load_pack(cfg, argv0, d);
    exit_status status = EXIT_OK;
    if (!cmd_pack_takes_options(cfg, &rs, &d))
        return EXIT_ERROR;
    if (!rs) {
        status = EXIT_ERROR;
    } else {
        const rule_level *lv;
        const rule_target *t = rules_find_target(rs, cfg->args[0], &lv);
        if (!t) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "the pack '%s' has no target '%s' (exitcheck list shows them)",
                     rules_id(rs), cfg->args[0]);
            status = EXIT_ERROR;
        } else {
            printf("%s  %s\n", t->id, t->title.en ? t->title.en : "");
            if (t->title.zh)
                printf("    %s\n", t->title.zh);
            printf("level: %s; severity: %s; pack: %s %s\n", lv->id, t->severity == SEV_WARN ? "warn" : "block",
                   rules_id(rs), rules_version(rs));
            if (!t->waivable)
                printf("waivable: false (no waiver may excuse it: see its reading below)\n");
            printf("defined at %s:%ld:%ld\n\n", t->pos.file, t->pos.line, t->pos.column);
            print_wrapped("Wording of the source document:", t->seed);
            printf("Requirement:\n    %s\n", t->require);
            print_wrapped("How it is read:", t->note);
            explain_uses(rs, lv, t);
            if (cfg->unit)
                status = explain_unit(cfg, rs, lv, t, d);
        }
    }
    status = cmd_stdout_written(d, status);
    cmd_print_diags(d);
    rules_free(&rs);
    diag_free(&d);
    return status;
}

/* One level's heading and targets. In Chinese the heading is the level's
 * title with its id, as the reports name levels. */
static void list_level(const rule_level *lv, int zh)
{
    strbuf n = STRBUF_INIT;
    rs_printf(&n, lv->ntargets == 1 ? RS_N_TARGET : RS_N_TARGETS, zh, lv->ntargets);
    if (zh)
        printf("\n%s（%s，%s）\n", report_title(&lv->title, zh), lv->id, strbuf_str(&n));
    else
        printf("\n%s (%s)\n", lv->id, strbuf_str(&n));
    strbuf_free(&n);
    for (size_t t = 0; t < lv->ntargets; t++) {
        const rule_target *tg = &lv->targets[t];
        if (tg->severity == SEV_WARN)
            printf("  %-5s [%s] %s\n", tg->id, RS(RS_WARN, zh), report_title(&tg->title, zh));
        else
            printf("  %-5s %s\n", tg->id, report_title(&tg->title, zh));
    }
}

int cmd_list(const cli_config *cfg, const char *argv0)
{
    diag_list *d = diag_new();
    if (!d)
        return EXIT_ERROR;
    if (cfg->zh)
        diag_set_translate(d, diag_zh);
    ruleset *rs = cmd_load_pack(cfg, argv0, d);
    exit_status status = EXIT_OK;
    if (!cmd_pack_takes_options(cfg, &rs, &d))
        return EXIT_ERROR;
    if (!rs) {
        status = EXIT_ERROR;
    } else {
        int found = cfg->level == NULL;
        text2 title = rules_title(rs);
        printf("%s %s%s%s\n", rules_id(rs), rules_version(rs), cfg->zh ? "：" : ": ", report_title(&title, cfg->zh));
        for (size_t i = 0; i < rules_nlevels(rs); i++) {
            const rule_level *lv = rules_level(rs, i);
            if (cfg->level && strcmp(cfg->level, lv->id))
                continue;
            found = 1;
            list_level(lv, cfg->zh);
        }
        if (!found) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "the pack '%s' has no level '%s'", rules_id(rs), cfg->level);
            status = EXIT_ERROR;
        }
    }
    status = cmd_stdout_written(d, status);
    cmd_print_diags(d);
    rules_free(&rs);
    diag_free(&d);
    return status;
}
