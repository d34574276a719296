// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What a signed skeleton relies on that the installed <linux/bpf.h> is too old to
 * show, checked against the running kernel's own BTF: the 6.18 bpf_attr fields
 * the runtime fills (excl_prog_hash, signature, keyring_id...), bpf_map_info's
 * hash, and the struct bpf_map layout the signed loader reads (sha at 0, excl at
 * LSKEL_MAP_EXCL_OFF). Skips on a kernel without them: it has no signed loading.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "lskel_abi.h"
#include "../trampoline/lskel_runtime.h"

static struct btf *vmlinux;
static int failures;

/* Byte offset of member name in type (or in an anonymous struct/union inside it). */
static long member_off(const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);

	for (unsigned int i = 0; i < btf_vlen(t); i++, m++) {
		const struct btf_type *mt = btf__type_by_id(vmlinux, m->type);
		const char *mname = btf__name_by_offset(vmlinux, m->name_off);
		long inner;

		if (mname && !strcmp(mname, name))
			return btf_member_bit_offset(t, i) / 8;
		if ((!mname || !*mname) && (btf_is_struct(mt) || btf_is_union(mt)) &&
		    (inner = member_off(mt, name)) >= 0)
			return btf_member_bit_offset(t, i) / 8 + inner;
	}
	return -1;
}

static const struct btf_type *named(const char *name, int kind)
{
	int id = btf__find_by_name_kind(vmlinux, name, kind);

	return id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
}

static void check(const char *what, long ours, const struct btf_type *t, const char *field)
{
	long kernel = t ? member_off(t, field) : -1;

	if (kernel < 0) {
		printf("skipped: the running kernel's %s has no %s: no signed loading there\n",
		       what, field);
		exit(77);
	}
	printf("%s: %s.%s at %ld, ours at %ld\n", ours == kernel ? "ok" : "FAIL", what, field,
	       kernel, ours);
	failures += ours != kernel;
}

int main(void)
{
	const struct btf_type *attr, *info, *map;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux) {
		printf("skipped: no vmlinux BTF to read the kernel's layout from\n");
		return 77;
	}
	attr = named("bpf_attr", BTF_KIND_UNION);
	info = named("bpf_map_info", BTF_KIND_STRUCT);
	map = named("bpf_map", BTF_KIND_STRUCT);
	check("bpf_attr", offsetof(struct lskel_attr_map_create, excl_prog_hash), attr, "excl_prog_hash");
	check("bpf_attr", offsetof(struct lskel_attr_map_create, excl_prog_hash_size), attr,
	      "excl_prog_hash_size");
	check("bpf_attr", offsetof(struct lskel_attr_map_create, map_token_fd), attr, "map_token_fd");
	check("bpf_attr", offsetof(struct lskel_attr_prog_load, fd_array_cnt), attr, "fd_array_cnt");
	check("bpf_attr", offsetof(struct lskel_attr_prog_load, signature), attr, "signature");
	check("bpf_attr", offsetof(struct lskel_attr_prog_load, signature_size), attr, "signature_size");
	check("bpf_attr", offsetof(struct lskel_attr_prog_load, keyring_id), attr, "keyring_id");
	check("bpf_map_info", offsetof(struct lskel_map_info, hash), info, "hash");
	check("bpf_map_info", offsetof(struct lskel_map_info, hash_size), info, "hash_size");
	/* what the signed loader (gen_loader/loader.c) reads through the map pointer */
	check("bpf_map", 0, map, "sha");
	check("bpf_map", 32, map, "excl");
	btf__free(vmlinux);
	return failures ? 1 : 0;
}
