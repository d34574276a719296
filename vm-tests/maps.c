// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * maps.bpf.c through its light skeleton. A map declared with max_entries 0 makes
 * the load fail cleanly (negative errno, no fd left behind) until the user sets
 * skel->maps.X.max_entries; a value set there also overrides a non-zero one. The
 * kernel's view of every map (type, sizes, flags, map_extra, BTF ids) matches the
 * definitions, and the values the program stored read back right from userspace.
 */
#include "testlib.h"
#include SKEL_HEADER

#define USER_SIZED_MAX 3
#define LRU_MAX 32

struct key2 {
	__u32 id;
	__u16 kind;
};

struct val3 {
	__u64 sum;
	__u32 count;
	char tag[4];
};

enum { BTF_KEY = 1, BTF_VALUE = 2, BTF_BOTH = 3 };

static void check_def(int fd, const char *name, __u32 type, __u32 key_size,
		      __u32 value_size, __u32 max_entries, __u32 flags, int btf)
{
	struct bpf_map_info info;

	if (map_info(fd, &info))
		fail("map %s: info: %s", name, strerror(errno));
	CHECK(!strcmp(info.name, name), "name '%s' != '%s'", info.name, name);
	CHECK_EQ(info.type, type);
	CHECK_EQ(info.key_size, key_size);
	CHECK_EQ(info.value_size, value_size);
	CHECK_EQ(info.max_entries, max_entries);
	CHECK_EQ(info.map_flags, flags);
	CHECK_EQ(info.btf_key_type_id != 0, !!(btf & BTF_KEY));
	CHECK_EQ(info.btf_value_type_id != 0, !!(btf & BTF_VALUE));
}

static void check_defs(struct maps_bpf *skel)
{
	struct bpf_map_info info;

	check_def(skel->maps.by_type.map_fd, "by_type", BPF_MAP_TYPE_HASH, 8, 16, 64, 0, BTF_BOTH);
	check_def(skel->maps.by_size.map_fd, "by_size", BPF_MAP_TYPE_ARRAY, 4, 24, 4, 0, 0);
	check_def(skel->maps.per_cpu.map_fd, "per_cpu", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, 0, BTF_BOTH);
	check_def(skel->maps.per_cpu_hash.map_fd, "per_cpu_hash", BPF_MAP_TYPE_PERCPU_HASH,
		  4, 4, 8, 0, BTF_BOTH);
	check_def(skel->maps.lru.map_fd, "lru", BPF_MAP_TYPE_LRU_HASH, 8, 8, LRU_MAX, 0, BTF_BOTH);
	check_def(skel->maps.no_prealloc.map_fd, "no_prealloc", BPF_MAP_TYPE_HASH, 4, 8, 8,
		  BPF_F_NO_PREALLOC, BTF_BOTH);
	check_def(skel->maps.on_node0.map_fd, "on_node0", BPF_MAP_TYPE_ARRAY, 4, 4, 1,
		  BPF_F_NUMA_NODE, BTF_BOTH);
	/* a bloom filter has no key, so only a value type */
	check_def(skel->maps.bloom.map_fd, "bloom", BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 32,
		  BPF_F_ZERO_SEED, BTF_VALUE);
	check_def(skel->maps.user_sized.map_fd, "user_sized", BPF_MAP_TYPE_HASH, 4, 4,
		  USER_SIZED_MAX, 0, BTF_BOTH);
	map_info(skel->maps.bloom.map_fd, &info);
	CHECK_EQ(info.map_extra, 3);
}

/* Sum of one u64 slot per possible CPU, and how many slots were non-zero. */
static __u64 percpu_sum(int fd, __u32 key, int *nr_set)
{
	int i, nr_cpus = nr_possible_cpus();
	__u64 *vals = calloc(nr_cpus, sizeof(*vals)), sum = 0;

	if (!vals)
		fail("calloc");
	if (map_lookup(fd, &key, vals))
		fail("percpu lookup %u: %s", key, strerror(errno));
	*nr_set = 0;
	for (i = 0; i < nr_cpus; i++) {
		sum += vals[i];
		*nr_set += !!vals[i];
	}
	free(vals);
	return sum;
}

static void check_values(struct maps_bpf *skel)
{
	static const __u8 bytes[24] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct key2 k2;
	struct val3 v3;
	__u8 got[24];
	__u64 k64 = 0x1234, v64 = 0;
	__u32 k = 1, v32 = 0;
	int nr_set;

	memset(&k2, 0, sizeof(k2));	/* the padding is part of the key */
	k2.id = 1;
	k2.kind = 2;
	CHECK(!map_lookup(skel->maps.by_type.map_fd, &k2, &v3), "by_type: %s", strerror(errno));
	CHECK_EQ(v3.sum, 300);
	CHECK_EQ(v3.count, 3);
	CHECK(!strcmp(v3.tag, "v3"), "tag");
	CHECK(!map_lookup(skel->maps.by_size.map_fd, &k, got), "by_size: %s", strerror(errno));
	CHECK(!memcmp(got, bytes, sizeof(bytes)), "by_size value");
	CHECK_EQ(percpu_sum(skel->maps.per_cpu.map_fd, 1, &nr_set), 1);
	CHECK_EQ(percpu_sum(skel->maps.per_cpu_hash.map_fd, 1, &nr_set), 0xabc);
	CHECK_EQ(nr_set, 1);
	CHECK(!map_lookup(skel->maps.lru.map_fd, &k64, &v64), "lru: %s", strerror(errno));
	CHECK_EQ(v64, 0x5678);
	v64 = 0;
	CHECK(!map_lookup(skel->maps.no_prealloc.map_fd, &k, &v64), "no_prealloc");
	CHECK_EQ(v64, 0x5678);
	k = 0;
	CHECK(!map_lookup(skel->maps.on_node0.map_fd, &k, &v32), "on_node0");
	CHECK_EQ(v32, 0xabc);
	v32 = 4242;			/* a bloom filter looks up by value, no key */
	CHECK(!map_lookup(skel->maps.bloom.map_fd, NULL, &v32), "bloom: %s", strerror(errno));
	CHECK_EQ(skel->data->bloom_hit, 0);
	CHECK_EQ(skel->data->bloom_miss, -ENOENT);
	CHECK_EQ(skel->bss->nr_inserted, USER_SIZED_MAX);
}

/* Without user_sized's max_entries the kernel refuses the map: clean failure. */
static void check_unsized_fails(void)
{
	struct maps_bpf *skel = maps_bpf__open();
	int err;

	CHECK(skel, "open");
	CHECK_EQ(skel->maps.user_sized.max_entries, 0);
	err = maps_bpf__load(skel);
	CHECK(err < 0, "load with max_entries 0 returned %d", err);
	maps_bpf__destroy(skel);
	check_no_bpf_fds();
}

int main(void)
{
	struct maps_bpf *skel;
	struct tracked t = {};

	test_begin("maps-" SKEL_FLAVOUR);
	check_unsized_fails();

	skel = maps_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	skel->maps.user_sized.max_entries = USER_SIZED_MAX;
	skel->maps.lru.max_entries = LRU_MAX;
	check_load(maps_bpf__load(skel), "maps");
	check_all_loaded(skel);
	check_defs(skel);
	CHECK_EQ(maps_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	maps_bpf__detach(skel);
	CHECK(skel->bss->done >= 1, "touch_maps never ran");
	check_values(skel);

	maps_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("maps: ok\n");
	return 0;
}
