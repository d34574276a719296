// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mixed.bpf.c through our light skeleton (bpftool's cannot load it): maps with one
 * of key and value typed by BTF and the other by size load without BTF ids, the way
 * libbpf ends up creating them, and work.
 */
#include "testlib.h"
#include SKEL_HEADER

static void check_no_btf(int fd, const char *name, __u32 key_size, __u32 value_size)
{
	struct bpf_map_info info;

	if (map_info(fd, &info))
		fail("map %s: info: %s", name, strerror(errno));
	CHECK(!strcmp(info.name, name), "name '%s' != '%s'", info.name, name);
	CHECK_EQ(info.key_size, key_size);
	CHECK_EQ(info.value_size, value_size);
	CHECK_EQ(info.btf_key_type_id, 0);
	CHECK_EQ(info.btf_value_type_id, 0);
}

int main(void)
{
	static const __u8 twelve[12] = { 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	struct mixed_bpf *skel;
	struct tracked t = {};
	__u8 got[12];
	__u64 v = 0;
	__u32 k = 1;

	test_begin("mixed-" SKEL_FLAVOUR);
	skel = mixed_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(mixed_bpf__load(skel), "mixed");
	check_all_loaded(skel);
	check_no_btf(skel->maps.key_typed.map_fd, "key_typed", 4, 12);
	check_no_btf(skel->maps.value_typed.map_fd, "value_typed", 4, 8);
	CHECK_EQ(mixed_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	mixed_bpf__detach(skel);

	CHECK(!map_lookup(skel->maps.key_typed.map_fd, &k, got), "key_typed: %s", strerror(errno));
	CHECK(!memcmp(got, twelve, sizeof(got)), "key_typed value");
	CHECK(!map_lookup(skel->maps.value_typed.map_fd, &k, &v), "value_typed: %s",
	      strerror(errno));
	CHECK_EQ(v, 0x600d);

	mixed_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("mixed: ok\n");
	return 0;
}
