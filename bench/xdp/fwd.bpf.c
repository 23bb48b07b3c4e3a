// SPDX-License-Identifier: GPL-2.0
/*
 * fwd.bpf.c: the "xdp-limit" switch of the benchmark harness.
 *
 * GPL-2.0, not Apache-2.0 like the rest of vswitch: the kernel only lets
 * programs with a GPL-compatible license call some of the helpers used
 * here (the devmap broadcast redirect), so this one file carries that
 * license.
 *
 * The smallest useful switch: attached (native XDP) to every switch-side
 * veth end, it looks the destination MAC up in 'vsb_fdb' (filled by the
 * loader with the MAC of the namespace-side peer of each port) and
 * redirects the frame to that port through the devmap 'vsb_ports'.
 * Broadcast and unknown destinations are flooded to every other port.
 * No learning, no counters, no checksum work: this is the fastest a
 * switch could forward between veths on this machine, the "physical
 * limit" the other kinds are compared with.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define VSB_MAX_PORTS 8

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, VSB_MAX_PORTS);
    __type(key, __u32);   /* port number, 0-based */
    __type(value, __u32); /* ifindex of the switch-side veth end */
} vsb_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u64);   /* destination MAC in the low 6 bytes */
    __type(value, __u32); /* port number in vsb_ports */
} vsb_fdb SEC(".maps");

SEC("xdp")
int
vsb_fwd(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;
    struct ethhdr *eth = data;
    __u64 key = 0;
    __u32 *port;

    if ((void *) (eth + 1) > data_end) {
        return XDP_DROP;
    }
    __builtin_memcpy(&key, eth->h_dest, ETH_ALEN);
    port = bpf_map_lookup_elem(&vsb_fdb, &key);
    if (port) {
        return bpf_redirect_map(&vsb_ports, *port, 0);
    }
    return bpf_redirect_map(&vsb_ports, 0,
                            BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

char _license[] SEC("license") = "GPL";
