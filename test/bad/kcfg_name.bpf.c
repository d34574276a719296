// A kconfig extern whose name neither a config (CONFIG_) nor the runtime (LINUX_) has.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int LSKEL_SETTING __kconfig;
SEC("xdp") int f(struct xdp_md *ctx) { return LSKEL_SETTING ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
