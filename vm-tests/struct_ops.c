// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops.bpf.c (legacy SEC(".struct_ops")) through its light skeleton, and,
 * included by struct_ops_link.c with ST_LINK defined, struct_ops_link.bpf.c
 * (SEC(".struct_ops.link")): a TCP congestion control written in BPF.
 *
 * Load alone registers nothing. NAME__attach() registers the algorithm: its name
 * shows in tcp_available_congestion_control, and in tcp_allowed_congestion_control
 * because the object's .flags (a scalar member the runtime copies into the kernel's
 * layout) says any user may pick it. A loopback transfer in a private network
 * namespace, with setsockopt(TCP_CONGESTION) on both ends, runs on it: the programs
 * count connections and acks in .bss and grow the window. Detach unregisters it
 * (the link form can then attach again); destroy leaves nothing loaded. If anything
 * fails half way, an exit handler still unregisters: a legacy registration would
 * otherwise outlive the process.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "testlib.h"
#include SKEL_HEADER

#ifdef ST_LINK
#define SKEL struct_ops_link_bpf
#define CC_NAME "lskel_cc"
#define FORM "link"
#else
#define SKEL struct_ops_bpf
#define CC_NAME "lskel_cc_legacy"
#define FORM "legacy"
#endif
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define SKEL_FN(f) CAT(SKEL, f)

#define TRANSFER_BYTES (16u << 20)

static struct SKEL *live_skel;

static void cleanup(void)
{
	SKEL_FN(__destroy)(live_skel);
	live_skel = NULL;
}

/* Whether name is one of the words of /proc/sys/net/ipv4/<file>. */
static int cc_listed(const char *file, const char *name)
{
	char path[128], buf[1024], *tok, *save = NULL;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", file);
	f = fopen(path, "r");
	if (!f)
		fail("%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			return 1;
	return 0;
}

/* A network namespace of our own with lo up: the transfer touches nothing else. */
static void private_loopback(void)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET))
		skip("unshare(CLONE_NEWNET): %s", strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(fd >= 0, "socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	CHECK(!ioctl(fd, SIOCGIFFLAGS, &ifr), "SIOCGIFFLAGS lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	CHECK(!ioctl(fd, SIOCSIFFLAGS, &ifr), "SIOCSIFFLAGS lo: %s", strerror(errno));
	close(fd);
}

static void set_cc(int fd)
{
	char got[16] = "";
	socklen_t len = sizeof(got);

	CHECK(!setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, CC_NAME, strlen(CC_NAME)),
	      "setsockopt(TCP_CONGESTION, %s): %s", CC_NAME, strerror(errno));
	CHECK(!getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, got, &len), "getsockopt: %s",
	      strerror(errno));
	CHECK(!strcmp(got, CC_NAME), "TCP_CONGESTION reads '%s'", got);
}

/* The child reads everything and reports the byte count as its exit status. */
static void receive_all(int lfd)
{
	static char buf[1 << 16];
	size_t total = 0;
	ssize_t n;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		_exit(1);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	_exit(n == 0 && total == TRANSFER_BYTES ? 0 : 2);
}

/* TRANSFER_BYTES over 127.0.0.1, both ends on the BPF algorithm. */
static void transfer(void)
{
	static char buf[1 << 16];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	size_t sent = 0;
	int lfd, fd, status;
	pid_t pid;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(lfd >= 0, "socket: %s", strerror(errno));
	set_cc(lfd);	/* the accepted socket inherits it */
	CHECK(!bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), "bind: %s", strerror(errno));
	CHECK(!listen(lfd, 1), "listen: %s", strerror(errno));
	CHECK(!getsockname(lfd, (struct sockaddr *)&addr, &alen), "getsockname");
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (!pid)
		receive_all(lfd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0, "socket: %s", strerror(errno));
	set_cc(fd);
	CHECK(!connect(fd, (struct sockaddr *)&addr, sizeof(addr)), "connect: %s", strerror(errno));
	memset(buf, 0x5a, sizeof(buf));
	while (sent < TRANSFER_BYTES) {
		ssize_t n = write(fd, buf, sizeof(buf));

		CHECK(n > 0, "write: %s", strerror(errno));
		sent += n;
	}
	close(fd);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "receiver status 0x%x", status);
	close(lfd);
}

static void check_registered(struct SKEL *skel)
{
#ifdef ST_LINK
	struct bpf_link_info info;

	CHECK(skel->links.cc_fd > 0, "no struct_ops link");
	CHECK(!link_info(skel->links.cc_fd, &info), "link info: %s", strerror(errno));
	CHECK_EQ(info.type, BPF_LINK_TYPE_STRUCT_OPS);
#else
	CHECK(skel->st_ops.cc.registered, "not marked registered");
#endif
	CHECK(cc_listed("tcp_available_congestion_control", CC_NAME),
	      "%s not in tcp_available_congestion_control", CC_NAME);
	CHECK(cc_listed("tcp_allowed_congestion_control", CC_NAME),
	      "%s not in tcp_allowed_congestion_control: .flags did not reach the kernel", CC_NAME);
}

static void check_transfer(struct SKEL *skel)
{
	transfer();
	CHECK(skel->bss->nr_init >= 2, "init ran %llu times", (unsigned long long)skel->bss->nr_init);
	CHECK(skel->bss->nr_cong_avoid > 0, "cong_avoid never ran");
	CHECK(skel->bss->max_cwnd > 10, "the window never grew: max %u", skel->bss->max_cwnd);
	printf("%s: %u bytes, init %llu, cong_avoid %llu, max cwnd %u\n", CC_NAME,
	       TRANSFER_BYTES, (unsigned long long)skel->bss->nr_init,
	       (unsigned long long)skel->bss->nr_cong_avoid, skel->bss->max_cwnd);
}

#ifdef ST_LINK
/* The running kernel's release as major * 1000 + minor. */
static int kernel_release(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		fail("uname: cannot read the kernel release");
	return major * 1000 + minor;
}
#endif

/* BPF_F_LINK struct_ops maps came in 6.4: an older kernel refuses the map. */
static void check_st_load(struct SKEL *skel, int err)
{
	if (!err)
		return;
#ifdef ST_LINK
	if (err == -EINVAL && kernel_release() < 6004 && strstr(skel->errstr, "map 'cc'"))
		skip("kernels before 6.4 refuse BPF_F_LINK struct_ops maps: %s", skel->errstr);
#endif
	fail("load: %d: %s", err, skel->errstr);
}

int main(void)
{
	struct tracked t = {};
	struct SKEL *skel;

	test_begin("struct_ops-" FORM);
	if (access("/proc/sys/net/ipv4/tcp_available_congestion_control", R_OK))
		skip("no TCP congestion control sysctls");
	CHECK(!cc_listed("tcp_available_congestion_control", CC_NAME),
	      "%s is registered before the test: left over from an earlier run?", CC_NAME);
	private_loopback();
	atexit(cleanup);

	skel = live_skel = SKEL_FN(__open)();
	CHECK(skel, "open");
	check_st_load(skel, SKEL_FN(__load)(skel));
	check_all_loaded(skel);
	CHECK(!cc_listed("tcp_available_congestion_control", CC_NAME), "registered by load");

	CHECK_EQ(SKEL_FN(__attach)(skel), 0);
	tracked__add_skel(&t, skel);
	check_registered(skel);
	CHECK_EQ(SKEL_FN(__attach)(skel), 0);	/* attached already: nothing to do */
	check_transfer(skel);

	SKEL_FN(__detach)(skel);
	CHECK(!cc_listed("tcp_available_congestion_control", CC_NAME), "still registered after detach");
#ifdef ST_LINK
	CHECK_EQ(SKEL_FN(__attach)(skel), 0);	/* the value stays; a new link registers it */
	tracked__add(&t, OBJ_LINK, skel->links.cc_fd);
	check_registered(skel);
#endif
	cleanup();
	CHECK(!cc_listed("tcp_available_congestion_control", CC_NAME), "still registered after destroy");
	tracked__check_gone(&t);
	printf("struct_ops %s: ok\n", FORM);
	return 0;
}
