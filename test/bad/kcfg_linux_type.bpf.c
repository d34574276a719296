// The kernel version (a number) asked for as a string.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern char LINUX_KERNEL_VERSION[8] __kconfig;
SEC("xdp") int f(struct xdp_md *ctx) { return LINUX_KERNEL_VERSION[0] ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
