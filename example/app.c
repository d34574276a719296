// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bundled example's app: loads syscount.bpf.o through its light skeleton (libc
 * only: no libbpf, no libelf), watches itself make a few system calls and prints what
 * the BPF program counted.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "syscount.lskel.h"

static long lookup(int map_fd, __u32 key, __u64 *value)
{
	union {
		struct { __u32 map_fd; __u32 pad; __u64 key, value, flags; } e;
		char raw[128];
	} attr;

	memset(&attr, 0, sizeof(attr));
	attr.e.map_fd = map_fd;
	attr.e.key = (unsigned long)&key;
	attr.e.value = (unsigned long)value;
	return syscall(__NR_bpf, 1 /* BPF_MAP_LOOKUP_ELEM */, &attr, sizeof(attr));
}

int main(void)
{
	struct syscount_bpf *skel = syscount_bpf__open();
	__u64 getpids = 0;
	int err;

	if (!skel) {
		fprintf(stderr, "open failed\n");
		return 1;
	}
	skel->rodata->target_tgid = getpid();
	err = syscount_bpf__load(skel);
	if (err) {
		fprintf(stderr, "load failed: %s\n", skel->errstr);
		syscount_bpf__destroy(skel);
		return 1;
	}
	err = syscount_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "attach failed: %d\n", err);
		syscount_bpf__destroy(skel);
		return 1;
	}
	for (int i = 0; i < 5; i++)
		syscall(__NR_getpid);
	syscount_bpf__detach(skel);
	lookup(skel->maps.per_nr.map_fd, __NR_getpid, &getpids);
	printf("syscalls made by pid %d while attached: %llu, of which getpid: %llu\n",
	       getpid(), (unsigned long long)skel->bss->total, (unsigned long long)getpids);
	syscount_bpf__destroy(skel);
	return getpids == 5 ? 0 : 1;
}
