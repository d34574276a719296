// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Global data in every kind of section: .rodata, .data, .bss, .data.custom and
 * .rodata.custom, holding scalars of every width, arrays, nested and packed structs,
 * variables with odd sizes and forced alignment, and static variables the skeleton
 * must pad over without exposing them. When the target process enters a syscall,
 * copy_all() copies every input into the .bss struct `out`, so userspace can tell the
 * object's init values and its own pre-load overrides apart, and it bumps counters in
 * the writable sections so the mmaped views can be checked after the fact.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "globals.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* .rodata: the user may override any of these before load */
const volatile int target_tgid = 0;
const volatile struct point ro_point = { 3, -4 };
const volatile __u8 ro_bytes[5] = { 1, 2, 3, 4, 5 };
const volatile char ro_str[7] = "abcdef";
const volatile __u64 ro_wide = 0x1122334455667788ULL;
const __u32 ro_squares[8] = { 0, 1, 4, 9, 16, 25, 36, 49 };	/* plain const */

/* .data */
int data_int = 42;
__u8 data_byte = 0x5a;		/* followed by a wider variable: a hole */
struct odd data_odd = {
	.tag = 7, .half = 0xbeef, .name = "xy", .wide = 1ULL << 40,
	.pts = { { 1, 2 }, { -3, -4 } },
};
static __u32 data_hidden = 11;	/* static: not in the skeleton, still laid out */
__u16 data_arr[3] = { 7, 8, 9 };
__u32 data_aligned __attribute__((aligned(16))) = 0xa11;
__u64 data_bumps = 1000;	/* incremented on every hit */

/* .bss */
__u64 nr_hits = 0;
static __u8 bss_hidden;
__u64 bss_user;			/* the user sets it before load */
struct {
	struct point ro_point;
	__u8 ro_bytes[5];
	char ro_str[7];
	__u64 ro_wide;
	__u32 ro_square;
	int data_int;
	__u8 data_byte;
	struct odd data_odd;
	__u32 data_hidden;
	__u16 data_arr[3];
	__u32 data_aligned;
	int custom_int;
	char custom_buf[11];
	__u32 custom_ro;
	struct rec ro_rec;
	__u8 bss_hidden;
	__u64 bss_user;
} out = {};

/* custom sections: their own maps */
int custom_int SEC(".data.custom") = 17;
char custom_buf[11] SEC(".data.custom") = "custom";
const volatile __u32 custom_ro SEC(".rodata.custom") = 99;
const volatile struct rec ro_rec SEC(".rodata.custom") = { .a = 0xa, .b = 0xb0b0b0b, .c = 0xc };

static __always_inline void copy_ro(void)
{
	int i;

	out.ro_point.x = ro_point.x;
	out.ro_point.y = ro_point.y;
	for (i = 0; i < 5; i++)
		out.ro_bytes[i] = ro_bytes[i];
	for (i = 0; i < 7; i++)
		out.ro_str[i] = ro_str[i];
	out.ro_wide = ro_wide;
	out.ro_square = ro_squares[nr_hits & 7];
	out.custom_ro = custom_ro;
	out.ro_rec.a = ro_rec.a;
	out.ro_rec.b = ro_rec.b;
	out.ro_rec.c = ro_rec.c;
}

static __always_inline void copy_rw(void)
{
	int i;

	out.data_int = data_int;
	out.data_byte = data_byte;
	__builtin_memcpy(&out.data_odd, &data_odd, sizeof(data_odd));
	out.data_hidden = data_hidden;
	for (i = 0; i < 3; i++)
		out.data_arr[i] = data_arr[i];
	out.data_aligned = data_aligned;
	out.custom_int = custom_int;
	__builtin_memcpy(out.custom_buf, custom_buf, sizeof(custom_buf));
	out.bss_hidden = bss_hidden;
	out.bss_user = bss_user;
}

SEC("raw_tp/sys_enter")
int copy_all(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	/* only the first hit copies, so later syscalls cannot race the reader */
	if (__sync_fetch_and_add(&nr_hits, 1) == 0) {
		copy_ro();
		copy_rw();
	}
	__sync_fetch_and_add(&data_bumps, 1);
	data_hidden++;
	bss_hidden++;
	return 0;
}
