// A strong LINUX_ kconfig extern no runtime knows: it could never resolve.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int LINUX_HAS_LSKEL __kconfig;
SEC("xdp") int f(struct xdp_md *ctx) { return LINUX_HAS_LSKEL ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
