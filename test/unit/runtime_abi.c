// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The runtime's own bpf_attr pieces and constants against the installed
 * <linux/bpf.h>: every field the runtime sets must sit where the kernel reads it.
 * One row per field or constant: {name, ours, the kernel's}.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/bpf.h>

#include "lskel_abi.h"
#include "../trampoline/lskel_runtime.h"

struct row {
	const char *name;
	unsigned long ours, kernel;
};

#define OFF(ours_type, field, kernel_field)					\
	{ #ours_type "." #field, offsetof(struct ours_type, field),		\
	  offsetof(union bpf_attr, kernel_field) }
#define CONST(name) { #name, LSKEL_##name, name }
#define MAP_INFO(field)								\
	{ "lskel_map_info." #field, offsetof(struct lskel_map_info, field),	\
	  offsetof(struct bpf_map_info, field) }

static const struct row rows[] = {
	OFF(lskel_attr_map_create, map_type, map_type),
	OFF(lskel_attr_map_create, key_size, key_size),
	OFF(lskel_attr_map_create, value_size, value_size),
	OFF(lskel_attr_map_create, max_entries, max_entries),
	OFF(lskel_attr_map_create, map_flags, map_flags),
	OFF(lskel_attr_map_create, map_name, map_name),
	OFF(lskel_attr_map_create, btf_vmlinux_value_type_id, btf_vmlinux_value_type_id),
	OFF(lskel_attr_map_create, map_extra, map_extra),
	OFF(lskel_attr_map_elem, map_fd, map_fd),
	OFF(lskel_attr_map_elem, key, key),
	OFF(lskel_attr_map_elem, value, value),
	OFF(lskel_attr_map_elem, flags, flags),
	OFF(lskel_attr_prog_load, prog_type, prog_type),
	OFF(lskel_attr_prog_load, insn_cnt, insn_cnt),
	OFF(lskel_attr_prog_load, insns, insns),
	OFF(lskel_attr_prog_load, license, license),
	OFF(lskel_attr_prog_load, log_level, log_level),
	OFF(lskel_attr_prog_load, log_size, log_size),
	OFF(lskel_attr_prog_load, log_buf, log_buf),
	OFF(lskel_attr_prog_load, prog_flags, prog_flags),
	OFF(lskel_attr_prog_load, prog_name, prog_name),
	OFF(lskel_attr_prog_load, expected_attach_type, expected_attach_type),
	OFF(lskel_attr_prog_load, attach_btf_id, attach_btf_id),
	OFF(lskel_attr_prog_load, fd_array, fd_array),
	/* the fields after core_relo_rec_size are 6.4+: test/unit/signed_abi.c */
	{ "offsetof(lskel_attr_prog_load, log_true_size)",
	  offsetof(struct lskel_attr_prog_load, log_true_size),
	  offsetof(union bpf_attr, core_relo_rec_size) + sizeof(__u32) },
	OFF(lskel_attr_test_run, prog_fd, test.prog_fd),
	OFF(lskel_attr_test_run, retval, test.retval),
	OFF(lskel_attr_test_run, data_in, test.data_in),
	OFF(lskel_attr_test_run, ctx_size_in, test.ctx_size_in),
	OFF(lskel_attr_test_run, ctx_in, test.ctx_in),
	OFF(lskel_attr_test_run, ctx_out, test.ctx_out),
	OFF(lskel_attr_test_run, flags, test.flags),
	OFF(lskel_attr_test_run, batch_size, test.batch_size),
	OFF(lskel_attr_raw_tp, name, raw_tracepoint.name),
	OFF(lskel_attr_raw_tp, prog_fd, raw_tracepoint.prog_fd),
	OFF(lskel_attr_link_create, prog_fd, link_create.prog_fd),
	OFF(lskel_attr_link_create, target_fd, link_create.target_fd),
	OFF(lskel_attr_link_create, attach_type, link_create.attach_type),
	OFF(lskel_attr_link_create, flags, link_create.flags),
	OFF(lskel_attr_link_create, iter_info, link_create.iter_info),
	OFF(lskel_attr_link_create, iter_info, link_create.target_btf_id),
	OFF(lskel_attr_link_create_ext, target_fd, link_create.target_fd),
	OFF(lskel_attr_link_create_ext, target_btf_id, link_create.target_btf_id),
	OFF(lskel_attr_link_create, iter_info_len, link_create.iter_info_len),
	OFF(lskel_attr_obj, pathname, pathname),
	OFF(lskel_attr_obj, bpf_fd, bpf_fd),
	OFF(lskel_attr_obj, file_flags, file_flags),
	OFF(lskel_attr_info, bpf_fd, info.bpf_fd),
	OFF(lskel_attr_info, info_len, info.info_len),
	OFF(lskel_attr_info, info, info.info),
	MAP_INFO(type),
	MAP_INFO(key_size),
	MAP_INFO(value_size),
	MAP_INFO(max_entries),
	MAP_INFO(map_flags),
	MAP_INFO(map_extra),
	OFF(lskel_attr_prog_load, core_relos, core_relos),
	OFF(lskel_attr_prog_load, core_relo_rec_size, core_relo_rec_size),
	CONST(BPF_MAP_FREEZE),
	CONST(BPF_OBJ_PIN),
	CONST(BPF_OBJ_GET),
	CONST(BPF_OBJ_GET_INFO_BY_FD),
	CONST(BPF_MAP_CREATE),
	CONST(BPF_MAP_UPDATE_ELEM),
	CONST(BPF_PROG_LOAD),
	CONST(BPF_PROG_TEST_RUN),
	CONST(BPF_RAW_TRACEPOINT_OPEN),
	CONST(BPF_LINK_CREATE),
	CONST(BPF_MAP_TYPE_ARRAY),
	CONST(BPF_PROG_TYPE_SYSCALL),
	CONST(BPF_F_SLEEPABLE),
	CONST(BPF_LSM_MAC),
	CONST(BPF_TRACE_ITER),
};

int main(void)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].ours == rows[i].kernel)
			continue;
		fprintf(stderr, "%s: runtime %lu, <linux/bpf.h> %lu\n", rows[i].name,
			rows[i].ours, rows[i].kernel);
		bad++;
	}
	printf("%zu rows, %d mismatches\n", sizeof(rows) / sizeof(rows[0]), bad);
	return bad ? 1 : 0;
}
