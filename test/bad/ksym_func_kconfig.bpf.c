// A function declared as a kconfig value.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int CONFIG_LSKEL_FUNC(void) __kconfig;
SEC("xdp") int f(struct xdp_md *ctx) { return CONFIG_LSKEL_FUNC() ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
