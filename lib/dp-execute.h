/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DP_EXECUTE_H
#define VSWITCH_DP_EXECUTE_H 1

/* dp-execute: runs OVS_ACTION_ATTR_* lists on one packet for the userspace
 * datapath.  The packet is rewritten in place (set/set_masked with
 * checksum fix-up, push/pop VLAN in the headroom; set(tunnel) replaces
 * md.tunnel, which an output to a VXLAN port encapsulates with and any
 * other output ignores); output, userspace and
 * recirc are handed to the datapath through 'struct dp_exec_ops'; clone
 * and sample run their nested actions on a copy.  Lists must have passed
 * odp_actions_validate() and dp_actions_check() at flow-put time: the
 * executor trusts their structure and never fails on a packet (a packet an
 * action cannot apply to, say set(ipv4) on ARP, is left unchanged, as the
 * kernel datapath does).
 *
 * Thread-safety: touches only its arguments. */

#include <linux/virtio_net.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/flow.h"

/* One packet in flight. */
struct dp_pkt {
    uint8_t *data;              /* Ethernet header. */
    uint32_t size;              /* Bytes at 'data'. */
    uint32_t headroom;          /* Writable bytes before 'data'. */
    bool has_vnet;              /* 'vnet' is meaningful. */
    struct virtio_net_hdr vnet; /* Offload state. */
    struct flow_md md;          /* in_port, recirc_id, dp_hash, ... */
    uint32_t cutlen;            /* Pending trunc() length, 0 if none. */
    uint8_t *owned;             /* malloc'd storage holding 'data', if any. */
};

struct dp_exec_ops {
    /* Sends 'pkt' (truncated to 'pkt->cutlen' if nonzero) out of
     * 'port_no'.  If 'last', the callee may take 'pkt->owned' (setting it
     * to NULL) or keep pointing at 'pkt->data' until it flushes. */
    void (*output)(void *aux, struct dp_pkt *pkt, uint32_t port_no, bool last);
    /* A userspace() action with nested attributes 'attrs' ('size'). */
    void (*userspace)(void *aux, const struct dp_pkt *pkt, const void *attrs,
                      size_t size);
    /* Looks 'pkt' up again (md.recirc_id set); the callee owns 'pkt' and
     * its storage afterward. */
    void (*recirc)(void *aux, struct dp_pkt *pkt);
};

/* Executes 'actions' on 'pkt'.  'pkt' stays the caller's to free
 * (dp_pkt_uninit()), except what an output with 'last' took. */
void dp_execute_actions(struct dp_pkt *pkt, const void *actions, size_t size,
                        const struct dp_exec_ops *, void *aux);

/* A private copy of 'src' into 'dst' (malloc'd, with headroom). */
void dp_pkt_clone(const struct dp_pkt *src, struct dp_pkt *dst);
void dp_pkt_uninit(struct dp_pkt *);

/* Rejects actions this datapath cannot run (in addition to
 * odp_actions_validate()): set_masked(tunnel), set(tunnel) without an
 * IPv4 destination, set of SCTP, ...  Returns 0 or
 * EINVAL with '*errorp' naming the attribute. */
int dp_actions_check(const void *actions, size_t size, char **errorp);

#endif /* VSWITCH_DP_EXECUTE_H */
