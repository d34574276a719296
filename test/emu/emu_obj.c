// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* See emu_obj.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_obj.h"

int emu_obj__build(struct emu_obj *x, const char *path)
{
	int err;

	memset(x, 0, sizeof(*x));
	x->path = path;
	x->o.fd = -1;
	err = bobj__open(&x->o, path, NULL);
	err = err ?: bobj__collect(&x->o);
	err = err ?: bobj__relocate(&x->o);
	err = err ?: bobj__build_trace(&x->o, &x->t);
	err = err ?: loader__gen(&x->t, &x->l);
	if (err)
		printf("FAIL %s: %s%s\n", path, x->o.errmsg, x->l.errmsg);
	return err;
}

void emu_obj__free(struct emu_obj *x)
{
	free(x->ctx);
	loader__free(&x->l);
	trace__free(&x->t);
	bobj__close(&x->o);
}
