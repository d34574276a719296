// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sizes the runtime decides on the loading machine (map_types.c): a ring
 * buffer's max_entries rounded as libbpf rounds it, and the CPU count parsed from
 * /sys/devices/system/cpu/possible's format. Rows of {input, expected}; the last
 * check parses this machine's own file.
 */
#include <stdio.h>

#include "lskel_abi.h"
#include "../trampoline/lskel_runtime.h"

struct ringbuf_row {
	__u32 size, page, expected;
};

static const struct ringbuf_row ringbuf_rows[] = {
	{ 0, 4096, 0 },			/* unset: the kernel refuses it, naming the map */
	{ 1, 4096, 4096 },
	{ 4096, 4096, 4096 },
	{ 4097, 4096, 8192 },
	{ 5000, 4096, 8192 },
	{ 8192, 4096, 8192 },
	{ 12288, 4096, 16384 },		/* a page multiple, not a power of 2 of pages */
	{ 1 << 20, 4096, 1 << 20 },
	{ 5000, 65536, 65536 },		/* the loading machine's page size decides */
	{ 65536 * 3, 65536, 65536 * 4 },
	{ 0x80000001u, 4096, 0x80000001u },	/* no such multiple in 32 bits: as is */
	{ 0xfffff000u, 4096, 0xfffff000u },
};

struct cpus_row {
	const char *list;
	int expected;
};

static const struct cpus_row cpus_rows[] = {
	{ "0\n", 1 },
	{ "0-1\n", 2 },
	{ "0-3,8-9\n", 6 },
	{ "0,2,4\n", 3 },
	{ "0-127", 128 },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "x", -EINVAL },
	{ "3-1\n", -EINVAL },
	{ "0-", -EINVAL },
	{ "0-3,", -EINVAL },
	{ "99999999999\n", -EINVAL },
};

int main(void)
{
	int failed = 0, n;

	for (size_t i = 0; i < sizeof(ringbuf_rows) / sizeof(ringbuf_rows[0]); i++) {
		const struct ringbuf_row *r = &ringbuf_rows[i];
		__u32 got = lskel_ringbuf_size(r->size, r->page);

		if (got != r->expected) {
			printf("FAIL: ringbuf size %u, page %u: %u, expected %u\n", r->size, r->page,
			       got, r->expected);
			failed++;
		}
	}
	for (size_t i = 0; i < sizeof(cpus_rows) / sizeof(cpus_rows[0]); i++) {
		const struct cpus_row *r = &cpus_rows[i];

		n = lskel_count_cpus(r->list);
		if (n != r->expected) {
			printf("FAIL: cpus '%s': %d, expected %d\n", r->list, n, r->expected);
			failed++;
		}
	}
	n = lskel_possible_cpus();
	if (n < 1) {
		printf("FAIL: this machine's possible CPUs: %d\n", n);
		failed++;
	}
	printf("%s (this machine: %d possible CPUs)\n", failed ? "FAILED" : "ok", n);
	return failed ? 1 : 0;
}
