// tp_btf needs the tracepoint's name after the slash.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("tp_btf") int f(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
