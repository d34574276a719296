// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * maptypes.bpf.c through its light skeleton: every map is created with the
 * definition the object asks for, with the two sizes only the loading machine knows
 * (the ring buffer rounded to this machine's page size, the perf event array one
 * slot per possible CPU), and each one a program or userspace can use works:
 * records read from the ring buffer's and the perf buffer's own mmap()ed pages,
 * records written into the user ring buffer through its mmap() and drained by the
 * program, LPM longest-prefix match, queue and stack order, a kernel stack trace,
 * an mmapable array written on both sides, task storage shared between a pidfd and
 * the program, socket and inode storage through their fds.
 */
#include "testlib.h"
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/perf_event.h>
#include SKEL_HEADER

#define RB_RECORDS 3
#define STACK_DEPTH 16

struct rec {
	__u32 seq;
	__u32 magic;
	__u64 pid_tgid;
};

struct lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

static long page_size;

/* The size a ring buffer of `size` must get here: a power-of-2 multiple of a page. */
static __u32 expected_ringbuf_size(__u32 size)
{
	__u64 n = page_size;

	while (n < size)
		n *= 2;
	return n;
}

static void check_def(int fd, const char *name, __u32 type, __u32 key_size, __u32 value_size,
		      __u32 max_entries, __u32 flags, int btf)
{
	struct bpf_map_info info;

	if (map_info(fd, &info))
		fail("map %s: info: %s", name, strerror(errno));
	CHECK(!strcmp(info.name, name) && info.type == type && info.key_size == key_size &&
	      info.value_size == value_size && info.max_entries == max_entries &&
	      info.map_flags == flags && (info.btf_value_type_id != 0) == btf,
	      "map %s ('%s'): type %u key %u value %u max %u flags 0x%x btf %d, expected "
	      "%u %u %u %u 0x%x %d", name, info.name, info.type, info.key_size, info.value_size,
	      info.max_entries, info.map_flags, info.btf_value_type_id != 0, type, key_size,
	      value_size, max_entries, flags, btf);
}

static void check_defs(struct maptypes_bpf *s)
{
	__u32 nopre = BPF_F_NO_PREALLOC, ro = BPF_F_RDONLY_PROG;	/* the kernel adds it to devmaps */

	check_def(s->maps.rb.map_fd, "rb", BPF_MAP_TYPE_RINGBUF, 0, 0, expected_ringbuf_size(5000), 0, 0);
	check_def(s->maps.urb.map_fd, "urb", BPF_MAP_TYPE_USER_RINGBUF, 0, 0,
		  expected_ringbuf_size(4096), 0, 0);
	check_def(s->maps.events.map_fd, "events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4,
		  nr_possible_cpus(), 0, 0);
	check_def(s->maps.trie.map_fd, "trie", BPF_MAP_TYPE_LPM_TRIE, 8, 4, 16, nopre, 1);
	check_def(s->maps.fifo.map_fd, "fifo", BPF_MAP_TYPE_QUEUE, 0, 4, 8, 0, 0);
	check_def(s->maps.lifo.map_fd, "lifo", BPF_MAP_TYPE_STACK, 0, 4, 8, 0, 0);
	check_def(s->maps.stacks.map_fd, "stacks", BPF_MAP_TYPE_STACK_TRACE, 4, STACK_DEPTH * 8, 16, 0, 0);
	check_def(s->maps.shared_mem.map_fd, "shared_mem", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_MMAPABLE, 1);
	check_def(s->maps.task_store.map_fd, "task_store", BPF_MAP_TYPE_TASK_STORAGE, 4, 8, 0, nopre, 1);
	check_def(s->maps.sk_store.map_fd, "sk_store", BPF_MAP_TYPE_SK_STORAGE, 4, 8, 0, nopre, 1);
	check_def(s->maps.inode_store.map_fd, "inode_store", BPF_MAP_TYPE_INODE_STORAGE, 4, 8, 0, nopre, 1);
	check_def(s->maps.devs.map_fd, "devs", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, ro, 0);
	check_def(s->maps.devs_hash.map_fd, "devs_hash", BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 4, ro, 0);
	check_def(s->maps.cpus.map_fd, "cpus", BPF_MAP_TYPE_CPUMAP, 4, 4, 2, 0, 0);
	check_def(s->maps.xsks.map_fd, "xsks", BPF_MAP_TYPE_XSKMAP, 4, 4, 4, 0, 0);
	check_def(s->maps.socks.map_fd, "socks", BPF_MAP_TYPE_SOCKMAP, 4, 4, 4, 0, 0);
	check_def(s->maps.sock_hash.map_fd, "sock_hash", BPF_MAP_TYPE_SOCKHASH, 4, 4, 4, 0, 0);
	check_def(s->maps.reuse.map_fd, "reuse", BPF_MAP_TYPE_REUSEPORT_SOCKARRAY, 4, 8, 4, 0, 1);
	check_def(s->maps.cgroups.map_fd, "cgroups", BPF_MAP_TYPE_CGROUP_ARRAY, 4, 4, 4, 0, 0);
	check_def(s->maps.cg_storage.map_fd, "cg_storage", BPF_MAP_TYPE_CGROUP_STORAGE, 16, 8, 0, 0, 1);
	check_def(s->maps.pcpu_cg_storage.map_fd, "pcpu_cg_storage",
		  BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, 16, 8, 0, 0, 1);
}

static int map_update(int fd, const void *key, const void *value, __u64 flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (__u64)(unsigned long)key;
	attr.value = (__u64)(unsigned long)value;
	attr.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &attr);
}

static int map_pop(int fd, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.value = (__u64)(unsigned long)value;
	return sys_bpf(BPF_MAP_LOOKUP_AND_DELETE_ELEM, &attr);
}

static void *map_mmap(int fd, size_t len, int prot, off_t off, const char *what)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);

	if (p == MAP_FAILED)
		fail("mmap %s: %s", what, strerror(errno));
	return p;
}

//
// ring buffer: consumer page (rw), then producer page and data twice over (ro)
//
struct ring {
	unsigned long *consumer, *producer;
	__u8 *data;
	__u32 size;
};

static void ring__map(struct ring *r, int fd, __u32 size, int user)
{
	int cons_prot = user ? PROT_READ : PROT_READ | PROT_WRITE;
	int prod_prot = user ? PROT_READ | PROT_WRITE : PROT_READ;
	void *p;

	r->size = size;
	r->consumer = map_mmap(fd, page_size, cons_prot, 0, "consumer page");
	/* a user ring buffer maps its data once, writable; a ring buffer twice, read-only */
	p = map_mmap(fd, page_size + (user ? size : 2 * size), prod_prot, page_size, "producer pages");
	r->producer = p;
	r->data = (__u8 *)p + page_size;
}

static void ring__unmap(struct ring *r, int user)
{
	munmap(r->consumer, page_size);
	munmap(r->producer, page_size + (user ? r->size : 2 * r->size));
}

static void check_ringbuf(int fd, __u32 size)
{
	unsigned long cons, prod;
	struct ring r;
	int n = 0;

	ring__map(&r, fd, size, 0);
	cons = __atomic_load_n(r.consumer, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(r.producer, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		__u32 *hdr = (__u32 *)(r.data + (cons & (size - 1)));
		__u32 len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		struct rec *rec = (struct rec *)(hdr + 2);

		CHECK(!(len & (BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT)), "record %d: len 0x%x", n, len);
		CHECK_EQ(len, sizeof(*rec));
		CHECK_EQ(rec->seq, n);
		CHECK_EQ(rec->magic, 0x5eed0000 + n);
		CHECK_EQ(rec->pid_tgid >> 32, getpid());
		cons += (BPF_RINGBUF_HDR_SZ + len + 7) / 8 * 8;
		__atomic_store_n(r.consumer, cons, __ATOMIC_RELEASE);
		n++;
	}
	CHECK_EQ(n, RB_RECORDS);
	ring__unmap(&r, 0);
}

/* Two u64 records into the user ring buffer, as a user-space producer writes them. */
static void fill_user_ringbuf(int fd, __u32 size)
{
	static const __u64 vals[] = { 5, 37 };
	unsigned long prod;
	struct ring r;
	size_t i;

	ring__map(&r, fd, size, 1);
	prod = __atomic_load_n(r.producer, __ATOMIC_ACQUIRE);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		__u32 *hdr = (__u32 *)(r.data + (prod & (size - 1)));

		hdr[1] = 0;
		memcpy(hdr + 2, &vals[i], sizeof(vals[i]));
		__atomic_store_n(hdr, sizeof(vals[i]), __ATOMIC_RELEASE);	/* not busy: ready */
		prod += BPF_RINGBUF_HDR_SZ + sizeof(vals[i]);
		__atomic_store_n(r.producer, prod, __ATOMIC_RELEASE);
	}
	ring__unmap(&r, 1);
}

//
// perf event array: one BPF_OUTPUT event on the CPU this process is pinned to
//
struct perf_buf {
	int fd;
	struct perf_event_mmap_page *page;
	size_t len;
};

static void perf_open(struct perf_buf *pb, int events_fd)
{
	struct perf_event_attr attr;
	cpu_set_t set;
	int cpu = sched_getcpu();

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fail("sched_setaffinity: %s", strerror(errno));
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	pb->fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (pb->fd < 0)
		fail("perf_event_open on CPU %d: %s", cpu, strerror(errno));
	pb->len = 2 * page_size;
	pb->page = map_mmap(pb->fd, pb->len, PROT_READ | PROT_WRITE, 0, "perf buffer");
	if (ioctl(pb->fd, PERF_EVENT_IOC_ENABLE, 0))
		fail("PERF_EVENT_IOC_ENABLE: %s", strerror(errno));
	if (map_update(events_fd, &cpu, &pb->fd, BPF_ANY))
		fail("events[%d] = perf fd: %s", cpu, strerror(errno));
}

static void check_perf(struct perf_buf *pb)
{
	__u64 head = __atomic_load_n(&pb->page->data_head, __ATOMIC_ACQUIRE);
	__u8 *data = (__u8 *)pb->page + page_size;
	struct perf_event_header *h = (void *)data;
	struct rec rec;
	__u32 raw_size;

	CHECK(head >= sizeof(*h), "no perf record");
	CHECK_EQ(h->type, PERF_RECORD_SAMPLE);
	memcpy(&raw_size, h + 1, sizeof(raw_size));
	CHECK(raw_size >= sizeof(rec), "raw size %u", raw_size);
	memcpy(&rec, (__u8 *)(h + 1) + sizeof(raw_size), sizeof(rec));
	CHECK_EQ(rec.seq, 7);
	CHECK_EQ(rec.magic, 0x9e4f);
	CHECK_EQ(rec.pid_tgid >> 32, getpid());
	munmap(pb->page, pb->len);
	close(pb->fd);
}

//
// the rest
//
static void fill_before(struct maptypes_bpf *s, int pidfd)
{
	struct lpm_key k8 = { 8, { 10, 0, 0, 0 } }, k16 = { 16, { 10, 1, 0, 0 } };
	__u32 v8 = 8, v16 = 16, v;
	__u64 start = 1000;

	CHECK(!map_update(s->maps.trie.map_fd, &k8, &v8, BPF_ANY), "trie 10/8: %s", strerror(errno));
	CHECK(!map_update(s->maps.trie.map_fd, &k16, &v16, BPF_ANY), "trie 10.1/16");
	for (v = 11; v <= 12; v++)
		CHECK(!map_update(s->maps.fifo.map_fd, NULL, &v, BPF_ANY), "fifo push: %s", strerror(errno));
	for (v = 21; v <= 22; v++)
		CHECK(!map_update(s->maps.lifo.map_fd, NULL, &v, BPF_ANY), "lifo push: %s", strerror(errno));
	CHECK(!map_update(s->maps.task_store.map_fd, &pidfd, &start, BPF_NOEXIST),
	      "task storage via pidfd: %s", strerror(errno));
	fill_user_ringbuf(s->maps.urb.map_fd, s->maps.urb.max_entries);
}

static void check_pops(int fd, const __u32 *want, int n, const char *what)
{
	__u32 v;
	int i;

	for (i = 0; i < n; i++) {
		CHECK(!map_pop(fd, &v), "%s pop #%d: %s", what, i, strerror(errno));
		CHECK_EQ(v, want[i]);
	}
	CHECK(map_pop(fd, &v) && errno == ENOENT, "%s not empty", what);
}

static void check_after(struct maptypes_bpf *s, int pidfd)
{
	static const __u32 fifo_rest[] = { 12, 101, 102, 103 }, lifo_rest[] = { 103, 102, 101, 21 };
	struct lpm_key k = { 32, { 192, 168, 1, 1 } };
	__u64 ips[STACK_DEPTH], task_val = 0, *mem;
	__u32 v = 0, id;

	CHECK_EQ(s->bss->rb_written, RB_RECORDS);
	check_ringbuf(s->maps.rb.map_fd, s->maps.rb.max_entries);
	CHECK_EQ(s->data->perf_ret, 0);
	CHECK_EQ(s->data->drained, 2);
	CHECK_EQ(s->bss->drained_sum, 42);
	CHECK_EQ(s->bss->lpm_found, 16);
	CHECK(!map_lookup(s->maps.trie.map_fd, &k, &v), "trie 192.168.1.1: %s", strerror(errno));
	CHECK_EQ(v, 0xc0a8);
	CHECK_EQ(s->bss->popped_fifo, 11);
	CHECK_EQ(s->bss->popped_lifo, 22);
	check_pops(s->maps.fifo.map_fd, fifo_rest, 4, "fifo");
	check_pops(s->maps.lifo.map_fd, lifo_rest, 4, "lifo");

	CHECK(s->data->stack_id >= 0, "bpf_get_stackid: %ld", (long)s->data->stack_id);
	id = s->data->stack_id;
	CHECK(!map_lookup(s->maps.stacks.map_fd, &id, ips), "stack %u: %s", id, strerror(errno));
	CHECK((ips[0] >> 48) == 0xffff, "stack %u: first ip 0x%llx is not a kernel address", id,
	      (unsigned long long)ips[0]);

	mem = map_mmap(s->maps.shared_mem.map_fd, page_size, PROT_READ | PROT_WRITE, 0, "shared_mem");
	CHECK_EQ(mem[2], 0xfeed);		/* the program's write, seen through mmap */
	mem[3] = 0xbeef;			/* and ours, seen through the syscall */
	id = 3;
	CHECK(!map_lookup(s->maps.shared_mem.map_fd, &id, &task_val), "shared_mem[3]");
	CHECK_EQ(task_val, 0xbeef);
	munmap(mem, page_size);

	CHECK(s->bss->task_hits >= 1, "task_storage never found the storage");
	CHECK(!map_lookup(s->maps.task_store.map_fd, &pidfd, &task_val), "task storage: %s",
	      strerror(errno));
	CHECK(task_val >= 1000 + s->bss->task_hits, "task storage %llu, hits %llu",
	      (unsigned long long)task_val, (unsigned long long)s->bss->task_hits);
}

/* Socket and inode storage, from userspace: the programs that use them need sockets or LSM hooks. */
static void check_fd_storage(struct maptypes_bpf *s)
{
	int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	__u64 v = 77, got = 0;

	CHECK(sock >= 0 && file >= 0, "socket/open: %s", strerror(errno));
	CHECK(!map_update(s->maps.sk_store.map_fd, &sock, &v, BPF_NOEXIST), "sk storage: %s",
	      strerror(errno));
	CHECK(!map_lookup(s->maps.sk_store.map_fd, &sock, &got), "sk storage lookup");
	CHECK_EQ(got, 77);
	/* inode storage lives in the BPF LSM's inode blob: without that LSM, EBADF */
	if (map_update(s->maps.inode_store.map_fd, &file, &v, BPF_NOEXIST)) {
		CHECK(errno == EBADF, "inode storage: %s", strerror(errno));
		printf("inode storage: BPF LSM inactive here, only created\n");
	} else {
		got = 0;
		CHECK(!map_lookup(s->maps.inode_store.map_fd, &file, &got), "inode storage lookup");
		CHECK_EQ(got, 77);
	}
	close(sock);
	close(file);
}

int main(void)
{
	struct maptypes_bpf *skel;
	struct tracked t = {};
	struct perf_buf pb;
	int pidfd;

	test_begin("maptypes-" SKEL_FLAVOUR);
	page_size = sysconf(_SC_PAGESIZE);
	skel = maptypes_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(maptypes_bpf__load(skel), "maptypes");
	check_all_loaded(skel);
	check_defs(skel);
	/* what the skeleton decided is in the skeleton too */
	CHECK_EQ(skel->maps.rb.max_entries, expected_ringbuf_size(5000));
	CHECK_EQ(skel->maps.events.max_entries, nr_possible_cpus());

	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	CHECK(pidfd >= 0, "pidfd_open: %s", strerror(errno));
	fill_before(skel, pidfd);
	perf_open(&pb, skel->maps.events.map_fd);
	CHECK_EQ(maptypes_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	maptypes_bpf__detach(skel);
	CHECK(skel->bss->done >= 1, "produce never ran");
	check_perf(&pb);
	check_after(skel, pidfd);
	check_fd_storage(skel);
	close(pidfd);

	maptypes_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("maptypes: ok\n");
	return 0;
}
