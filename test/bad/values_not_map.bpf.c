// A map-in-map entry pointing at a global variable instead of a map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); };
struct inner not_a_map;
struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 4); __type(key, int); __array(values, struct inner); } outer SEC(".maps") = { .values = { [1] = &not_a_map } };
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&outer, &(int){0}) ? XDP_PASS : XDP_DROP; }
