/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names the skeleton derives from its input: the skeleton name from the object's file
 * name, and C identifiers from ELF section names. Both follow bpftool, so a Makefile
 * or program written for `bpftool gen skeleton -L` sees the same names.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"

#define MAX_SKEL_NAME 63

static void sanitize(char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			*s = '_';
}

/* "dir/a.bpf.o" -> "a_bpf": basename, one ".o" dropped, the rest made an identifier */
char *skel_name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *name;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > MAX_SKEL_NAME)
		n = MAX_SKEL_NAME;
	name = strndup(base, n);
	if (!name)
		return NULL;
	n = strlen(name);
	if (n > 2 && !strcmp(name + n - 2, ".o"))
		name[n - 2] = '\0';
	sanitize(name);
	return name;
}

/* ".rodata.str1.1" -> "rodata_str1_1" */
char *skel_ident_from_sec(const char *sec_name)
{
	char *ident = strdup(sec_name[0] == '.' ? sec_name + 1 : sec_name);

	if (ident)
		sanitize(ident);
	return ident;
}
