/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The header writer: the object model, its trace and its loader in, one light
 * skeleton header out (C and C++, user space and kernel), API-compatible with
 * `bpftool gen skeleton -L`.
 */
#ifndef LSKEL_HEADER_H
#define LSKEL_HEADER_H

#include <stddef.h>
#include <stdio.h>

#include "../compiler/compiler.h"
#include "gen_loader.h"
#include "trace.h"

/* include/lskel_abi.h and trampoline/lskel_runtime.h as C strings, NULL-terminated
 * (runtime_text.c, made by embed.py) */
extern const char *const lskel_runtime_texts[];

/*
 * Writes the header for o to out. Requires o collected (maps and programs with
 * their ctx_off, o->ctx_sz), t built from o and l generated from t; borrows all
 * three. Returns 0, or -errno with a message in errmsg (bad object data: -EINVAL,
 * a context over 64 KiB: -E2BIG, write errors: -EIO).
 */
int header__write(FILE *out, const struct bobj *o, const struct trace *t,
		  const struct loader *l, char *errmsg, size_t errlen);

#endif /* LSKEL_HEADER_H */
