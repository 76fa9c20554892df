/*
 * rules_load.h - pass one of rules_load (rules_load.c), private to the
 * rules modules: reads pack.yaml and the files it includes into the
 * loader's ruleset, keeping each expression's source for pass two.
 */
#ifndef EXITCHECK_RULES_LOAD_H
#define EXITCHECK_RULES_LOAD_H

#include "rules_impl.h"

/* pack_path: the pack's pack.yaml; L->rs->dir: the directory its
 * includes are named in. */
void rules_load_pack(loader *L, const char *pack_path);

#endif
