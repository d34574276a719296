// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cgrp_storage.bpf.c through its light skeleton: the cgroup storage map is created
 * as declared, the test seeds this process's cgroup's storage through the cgroup v2
 * directory fd, the program counts into the same storage on every syscall, and the
 * test reads the sum back. Needs 6.2; mounts cgroup2 on a temporary directory (and
 * unmounts it) when the system has it nowhere.
 */
#include "testlib.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include SKEL_HEADER

#define SEED 500
#define NR_CALLS 5

static char mnt_tmp[64];

/* The cgroup2 mount point from /proc/self/mountinfo, or a fresh one. */
static void cgroup2_root(char *path, size_t len)
{
	char line[1024], mnt[512], fstype[64];
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");

		if (dash && sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1 &&
		    sscanf(dash + 3, "%63s", fstype) == 1 && !strcmp(fstype, "cgroup2")) {
			snprintf(path, len, "%s", mnt);
			fclose(f);
			return;
		}
	}
	if (f)
		fclose(f);
	snprintf(mnt_tmp, sizeof(mnt_tmp), "/tmp/lskel-cgroup2-XXXXXX");
	if (!mkdtemp(mnt_tmp) || mount("none", mnt_tmp, "cgroup2", 0, NULL))
		skip("no cgroup2 mounted and cannot mount one: %s", strerror(errno));
	snprintf(path, len, "%s", mnt_tmp);
}

/* An fd on this process's cgroup v2 directory ("0::/path" in /proc/self/cgroup). */
static int own_cgroup_fd(void)
{
	char root[512], line[512], path[1100];
	FILE *f = fopen("/proc/self/cgroup", "r");
	int fd = -1;

	cgroup2_root(root, sizeof(root));
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s%s", root, line + 3);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			fail("open %s: %s", path, strerror(errno));
	}
	if (f)
		fclose(f);
	if (fd < 0)
		fail("no cgroup v2 line in /proc/self/cgroup");
	return fd;
}

static void require_kernel(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	uname(&u);
	sscanf(u.release, "%d.%d", &ma, &mi);
	if (ma < major || (ma == major && mi < minor))
		skip("BPF_MAP_TYPE_CGRP_STORAGE needs %d.%d, this is %s", major, minor, u.release);
}

int main(void)
{
	struct cgrp_storage_bpf *skel;
	struct bpf_map_info info;
	struct tracked t = {};
	union bpf_attr attr;
	__u64 seed = SEED, got = 0;
	int cg, i;

	test_begin("cgrp_storage-" SKEL_FLAVOUR);
	require_kernel(6, 2);
	skel = cgrp_storage_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(cgrp_storage_bpf__load(skel), "cgrp_storage");
	check_all_loaded(skel);
	CHECK(!map_info(skel->maps.cgrp_store.map_fd, &info), "info");
	CHECK_EQ(info.type, 32);	/* BPF_MAP_TYPE_CGRP_STORAGE, newer than some uapi headers */
	CHECK_EQ(info.key_size, 4);
	CHECK_EQ(info.value_size, 8);
	CHECK_EQ(info.map_flags, BPF_F_NO_PREALLOC);
	CHECK(info.btf_key_type_id && info.btf_value_type_id, "BTF ids");

	cg = own_cgroup_fd();
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = skel->maps.cgrp_store.map_fd;
	attr.key = (__u64)(unsigned long)&cg;
	attr.value = (__u64)(unsigned long)&seed;
	CHECK(!sys_bpf(BPF_MAP_UPDATE_ELEM, &attr), "seed via cgroup fd: %s", strerror(errno));

	CHECK_EQ(cgrp_storage_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	for (i = 0; i < NR_CALLS; i++)
		syscall(SYS_getpid);
	cgrp_storage_bpf__detach(skel);
	CHECK(skel->bss->hits >= NR_CALLS, "hits %llu", (unsigned long long)skel->bss->hits);
	CHECK(!map_lookup(skel->maps.cgrp_store.map_fd, &cg, &got), "lookup: %s", strerror(errno));
	CHECK_EQ(got, SEED + skel->bss->hits);
	close(cg);
	if (mnt_tmp[0]) {
		umount(mnt_tmp);
		rmdir(mnt_tmp);
	}

	cgrp_storage_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("cgrp_storage: ok\n");
	return 0;
}
