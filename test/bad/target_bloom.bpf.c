// A bloom filter map (5.16) generated for a 5.15 target: refused at generation.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 8); __type(value, __u32); } seen SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { __u32 v = 1; return bpf_map_push_elem(&seen, &v, 0) ? XDP_DROP : XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
