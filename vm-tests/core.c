// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * core.bpf.c through its light skeleton: every CO-RE relocation resolved against
 * the running kernel. The expected offsets, sizes and type id come from walking
 * /sys/kernel/btf/vmlinux here (a few dozen lines, to stay libc-only), the rest from
 * getpid(), getppid(), /proc/self/comm and the UAPI headers.
 */
#include <linux/btf.h>
#include "testlib.h"
#include SKEL_HEADER

struct kernel_facts {
	__u32 task_id, task_size, pid_off, comm_off;
};

static void *read_file(const char *path, size_t *len)
{
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f || !buf)
		fail("read %s: %s", path, strerror(errno));
	*len = 0;
	while ((n = fread(buf + *len, 1, cap - *len, f)) > 0) {
		*len += n;
		if (*len == cap && !(buf = realloc(buf, cap *= 2)))
			fail("out of memory");
	}
	fclose(f);
	return buf;
}

/* Bytes of kind-specific data after a struct btf_type. */
static size_t btf_type_extra(const struct btf_type *t)
{
	__u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	default:
		return 0;
	}
}

static __u32 member_off(const struct btf_type *t, const char *strs, const char *name)
{
	const struct btf_member *m = (const void *)(t + 1);
	__u32 i, bits;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
		if (strcmp(strs + m->name_off, name))
			continue;
		bits = BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
		return bits / 8;
	}
	fail("task_struct has no member '%s'", name);
}

/* struct task_struct in the kernel's BTF: its id, size and two member offsets. */
static struct kernel_facts kernel_facts(void)
{
	struct kernel_facts kf = {};
	const struct btf_header *hdr;
	const char *types, *end, *strs;
	char *buf;
	size_t len;
	__u32 id = 1;

	buf = read_file("/sys/kernel/btf/vmlinux", &len);
	hdr = (const void *)buf;
	if (len < sizeof(*hdr) || hdr->magic != BTF_MAGIC)
		fail("/sys/kernel/btf/vmlinux: not BTF");
	types = buf + hdr->hdr_len + hdr->type_off;
	end = types + hdr->type_len;
	strs = buf + hdr->hdr_len + hdr->str_off;
	while (types < end && !kf.task_id) {
		const struct btf_type *t = (const void *)types;

		if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT &&
		    !strcmp(strs + t->name_off, "task_struct")) {
			kf.task_id = id;
			kf.task_size = t->size;
			kf.pid_off = member_off(t, strs, "pid");
			kf.comm_off = member_off(t, strs, "comm");
		}
		types += sizeof(*t) + btf_type_extra(t);
		id++;
	}
	if (!kf.task_id)
		fail("no struct task_struct in /sys/kernel/btf/vmlinux");
	free(buf);
	return kf;
}

static void check_res(struct core_bpf *skel)
{
	struct kernel_facts kf = kernel_facts();
	typeof(skel->bss->res) *res = &skel->bss->res;
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	CHECK(f && fgets(comm, sizeof(comm), f), "read /proc/self/comm");
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;

	CHECK_EQ(res->pid, getpid());
	CHECK_EQ(res->parent_tgid, getppid());
	CHECK_EQ(res->pid_exists, 1);
	CHECK_EQ(res->fake_field_exists, 0);
	CHECK_EQ(res->flavour_pid, getpid());
	CHECK_EQ(res->pid_size, 4);
	CHECK_EQ(res->comm_size, 16);
	CHECK_EQ(res->pid_off, kf.pid_off);
	CHECK_EQ(res->comm_off, kf.comm_off);
	CHECK_EQ(res->task_exists, 1);
	CHECK_EQ(res->fake_type_exists, 0);
	CHECK_EQ(res->task_size, kf.task_size);
	CHECK_EQ(res->task_btf_id, kf.task_id);
	CHECK_EQ(res->bloom_exists, 1);
	CHECK_EQ(res->bloom_value, BPF_MAP_TYPE_BLOOM_FILTER);
	CHECK(!strcmp(res->comm, comm), "comm '%s' != '%s'", res->comm, comm);
}

int main(void)
{
	struct core_bpf *skel;
	struct tracked t = {};

	test_begin("core-" SKEL_FLAVOUR);
	skel = core_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(core_bpf__load(skel), "core");
	check_all_loaded(skel);
	CHECK_EQ(core_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	core_bpf__detach(skel);
	CHECK_EQ(skel->bss->res.done >= 1, 1);
	check_res(skel);

	core_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("core: ok\n");
	return 0;
}
