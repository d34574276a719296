// 'values' before another attribute: it must come last.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); };
struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __type(key, int); struct inner *values[0]; __uint(max_entries, 4); } m SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&m, &(int){0}) ? XDP_PASS : XDP_DROP; }
