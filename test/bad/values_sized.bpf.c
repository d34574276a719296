// 'values' with a size: libbpf wants a zero-sized array (__array()).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); };
struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 4); __type(key, int); struct inner *values[2]; } m SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&m, &(int){0}) ? XDP_PASS : XDP_DROP; }
