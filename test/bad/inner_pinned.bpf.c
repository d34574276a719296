// An inner map definition asking to be pinned.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); __uint(pinning, LIBBPF_PIN_BY_NAME); };
struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 4); __type(key, int); __array(values, struct inner); } outer SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&outer, &(int){0}) ? XDP_PASS : XDP_DROP; }
