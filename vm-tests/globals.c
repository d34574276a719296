// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * globals.bpf.c through its light skeleton: every global-data section is visible
 * through skel->rodata, ->data, ->bss, ->data_custom and ->rodata_custom with the
 * BPF side's field layout; values written there before load become the maps'
 * initial values, untouched ones keep the object's; after load the program's copy in
 * .bss shows what the kernel really had, and its writes show through the mmaped
 * .data and .bss.
 */
#include "testlib.h"
#include "globals.h"
#include SKEL_HEADER

static void set_overrides(struct globals_bpf *skel)
{
	skel->rodata->target_tgid = getpid();
	skel->rodata->ro_point.x = 30;
	skel->rodata->ro_point.y = -40;
	memcpy((void *)skel->rodata->ro_str, "ABCDEF", 7);
	skel->data->data_int = 1000;
	skel->data->data_odd.pts[1].y = -44;
	skel->bss->bss_user = 0x5eed;
	skel->data_custom->custom_int = 170;
	skel->rodata_custom->custom_ro = 990;
}

/* Before load the views hold the object's init images. */
static void check_init_images(struct globals_bpf *skel)
{
	CHECK_EQ(skel->rodata->ro_point.x, 3);
	CHECK_EQ(skel->rodata->ro_point.y, -4);
	CHECK_EQ(skel->rodata->ro_wide, 0x1122334455667788ULL);
	CHECK_EQ(skel->rodata->ro_squares[7], 49);
	CHECK(!memcmp((void *)skel->rodata->ro_str, "abcdef", 7), "ro_str");
	CHECK_EQ(skel->data->data_int, 42);
	CHECK_EQ(skel->data->data_byte, 0x5a);
	CHECK_EQ(skel->data->data_odd.half, 0xbeef);
	CHECK_EQ(skel->data->data_odd.wide, 1ULL << 40);
	CHECK_EQ(skel->data->data_odd.pts[1].x, -3);
	CHECK_EQ(skel->data->data_arr[2], 9);
	CHECK_EQ(skel->data->data_aligned, 0xa11);
	CHECK_EQ((unsigned long)&skel->data->data_aligned % 16, 0);
	CHECK_EQ(skel->bss->nr_hits, 0);
	CHECK_EQ(skel->data_custom->custom_int, 17);
	CHECK(!strcmp(skel->data_custom->custom_buf, "custom"), "custom_buf");
	CHECK_EQ(skel->rodata_custom->custom_ro, 99);
	CHECK_EQ(skel->rodata_custom->ro_rec.b, 0xb0b0b0b);
	CHECK_EQ(sizeof(skel->rodata_custom->ro_rec), 7);
}

/* What the program copied on its first run, against init values and overrides. */
static void check_copy(struct globals_bpf *skel)
{
	static const __u8 bytes[5] = { 1, 2, 3, 4, 5 };
	typeof(skel->bss->out) *out = &skel->bss->out;

	CHECK_EQ(out->ro_point.x, 30);
	CHECK_EQ(out->ro_point.y, -40);
	CHECK(!memcmp(out->ro_bytes, bytes, 5), "ro_bytes");
	CHECK(!memcmp(out->ro_str, "ABCDEF", 7), "ro_str '%.7s'", out->ro_str);
	CHECK_EQ(out->ro_wide, 0x1122334455667788ULL);
	CHECK_EQ(out->ro_square, 1);		/* read after nr_hits became 1 */
	CHECK_EQ(out->data_int, 1000);
	CHECK_EQ(out->data_byte, 0x5a);
	CHECK_EQ(out->data_odd.tag, 7);
	CHECK_EQ(out->data_odd.half, 0xbeef);
	CHECK(!strcmp(out->data_odd.name, "xy"), "data_odd.name");
	CHECK_EQ(out->data_odd.wide, 1ULL << 40);
	CHECK_EQ(out->data_odd.pts[0].y, 2);
	CHECK_EQ(out->data_odd.pts[1].y, -44);
	CHECK_EQ(out->data_hidden, 11);		/* static: init image only */
	CHECK_EQ(out->data_arr[0], 7);
	CHECK_EQ(out->data_arr[2], 9);
	CHECK_EQ(out->data_aligned, 0xa11);
	CHECK_EQ(out->custom_int, 170);
	CHECK(!strcmp(out->custom_buf, "custom"), "custom_buf");
	CHECK_EQ(out->custom_ro, 990);
	CHECK_EQ(out->ro_rec.a, 0xa);
	CHECK_EQ(out->ro_rec.b, 0xb0b0b0b);
	CHECK_EQ(out->ro_rec.c, 0xc);
	CHECK_EQ(out->bss_hidden, 0);
	CHECK_EQ(out->bss_user, 0x5eed);
}

int main(void)
{
	struct globals_bpf *skel;
	struct tracked t = {};
	__u64 hits;

	test_begin("globals-" SKEL_FLAVOUR);
	skel = globals_bpf__open();
	CHECK(skel, "open");
	check_init_images(skel);
	set_overrides(skel);
	check_load(globals_bpf__load(skel), "globals");
	check_all_loaded(skel);
	CHECK_EQ(skel->rodata->ro_point.x, 30);
	CHECK_EQ(skel->data->data_int, 1000);

	CHECK_EQ(globals_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	syscall(SYS_getpid);
	globals_bpf__detach(skel);

	hits = skel->bss->nr_hits;
	CHECK(hits >= 2, "nr_hits %llu", (unsigned long long)hits);
	check_copy(skel);
	CHECK_EQ(skel->data->data_bumps, 1000 + hits);	/* .data written by BPF, read via mmap */

	/* and the other way: userspace writes to .data reach the program */
	skel->data->data_int = 2000;
	skel->bss->nr_hits = 0;
	CHECK_EQ(globals_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	globals_bpf__detach(skel);
	CHECK_EQ(skel->bss->out.data_int, 2000);
	CHECK_EQ(skel->bss->out.ro_square, 1);

	globals_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("globals: ok\n");
	return 0;
}
