// A kconfig extern of a type no config value fits (a pointer).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int *CONFIG_LSKEL_PTR __kconfig;
SEC("xdp") int f(struct xdp_md *ctx) { return CONFIG_LSKEL_PTR ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
