// Initial entries of a hash of maps whose keys are not 4 bytes.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); };
struct inner in SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS); __uint(max_entries, 4); __type(key, long long); __array(values, struct inner); } outer SEC(".maps") = { .values = { [1] = &in } };
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&outer, &(long long){0}) ? XDP_PASS : XDP_DROP; }
