// Task storage sized by numbers: the kernel wants the BTF of its key and value.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_TASK_STORAGE); __uint(map_flags, BPF_F_NO_PREALLOC); __uint(key_size, 4); __uint(value_size, 8); } ts SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { return bpf_map_lookup_elem(&ts, &(int){0}) ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
