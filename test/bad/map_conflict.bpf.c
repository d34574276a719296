// key_size and key disagree.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __uint(key_size, 8); __type(key, int); __type(value, int); } m SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&m, &(int){0}) ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
