/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A real object through the whole pipeline (open, collect, relocate, trace, loader),
 * for the emulator tests that run compiler output rather than hand-built traces.
 */
#ifndef LSKEL_EMU_OBJ_H
#define LSKEL_EMU_OBJ_H

#include "compiler/compiler.h"
#include "gen_loader/gen_loader.h"

struct emu_obj {
	const char *path;
	struct bobj o;
	struct trace t;
	struct loader l;
	uint8_t *ctx;		/* a context for emu__run if the test wants one; freed here */
};

/* 0, or -errno after printing "FAIL PATH: why" on stdout; free x either way. */
int emu_obj__build(struct emu_obj *x, const char *path);
void emu_obj__free(struct emu_obj *x);

#endif /* LSKEL_EMU_OBJ_H */
