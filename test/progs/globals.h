/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Named types of globals.bpf.c's global variables, shared with the userspace test:
 * a skeleton refers to them by name and leaves their definitions to the user, as
 * bpftool's does. Needs __u8 and friends: vmlinux.h on the BPF side,
 * <linux/types.h> in userspace.
 */
#ifndef GLOBALS_H
#define GLOBALS_H

struct point {
	__s32 x, y;
};

struct odd {			/* sizes and holes of every kind */
	__u8 tag;
	__u16 half;
	char name[3];
	__u64 wide;
	struct point pts[2];
};

struct rec {
	__u8 a;
	__u32 b;
	__u16 c;
} __attribute__((packed));

#endif /* GLOBALS_H */
