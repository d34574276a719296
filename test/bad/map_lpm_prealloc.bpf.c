// An LPM trie without BPF_F_NO_PREALLOC, which every kernel refuses.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct key { __u32 prefixlen; __u32 addr; };
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 4); __type(key, struct key); __type(value, int); } trie SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { struct key k = { 32, 1 }; return bpf_map_lookup_elem(&trie, &k) ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
