/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_ODP_H
#define VSWITCH_ODP_H 1

/*
 * odp: the datapath's flow key and action formats.
 *
 * The kernel datapath (and ours) describes a packet as a list of netlink
 * attributes OVS_KEY_ATTR_* and a megaflow's mask as a second list with
 * the same structure, in the numbering of <linux/openvswitch.h> (the
 * kernel's header, never a copy: userspace-only action numbers such as
 * Open vSwitch's TUNNEL_PUSH collide with kernel ones and are never used
 * here).  This module converts between 'struct flow' (+ mask) and those
 * attributes, validates attribute lists that come from outside, and reads
 * and writes the text form that ovs-dpctl prints and accepts:
 *
 *   in_port(1),eth(src=...,dst=...),eth_type(0x0800),
 *   ipv4(src=10.0.0.0/255.255.255.0,dst=10.0.0.2,proto=6,tos=0,ttl=64,
 *   frag=no),tcp(src=1,dst=80)
 *   actions: 2,push_vlan(vid=10,pcp=0),set(tunnel(tun_id=0x5,...))
 *
 * Key layout choices (what the encoder emits, in this order): PRIORITY,
 * SKB_MARK, RECIRC_ID, DP_HASH, TUNNEL (only if the flow has a tunnel
 * destination), IN_PORT, ETHERNET, then either ETHERTYPE(tpid), VLAN(tci),
 * ENCAP{...} for each tag, then ETHERTYPE (omitted for 802.3 frames), the
 * L3 attribute for IPv4/IPv6/ARP, TCP+TCP_FLAGS/UDP/SCTP/ICMP/ICMPV6(+ND)
 * unless the packet is a later fragment.  A mask list carries an attribute
 * for each key attribute, holding the mask's bits; the text form omits
 * fields (and attributes) whose mask is zero and prints "/mask" for
 * partial masks.  VLAN-less flows: the mask's VLAN bits are implied by the
 * ETHERTYPE mask (exact EtherType = "no VLAN" exactly).
 *
 * Errors: decoders return 0 or EINVAL and, if 'errorp' is nonnull, a
 * malloc'd message naming the offending attribute (bad length, unknown
 * type, duplicate, mask without key, bad nesting).  They never read outside
 * the given bytes.
 *
 * Thread-safety: functions touch only their arguments.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/flow.h"

struct buf;
struct ds;

/* Appends the key attributes of 'flow' to 'key'. */
void odp_key_from_flow(struct buf *key, const struct flow *flow);
/* Appends the mask attributes of 'mask' to 'out', laid out as the key of
 * 'flow'. */
void odp_mask_from_flow(struct buf *out, const struct flow *flow,
                        const struct flow *mask);

/* Narrows 'mask' to the bits that 'flow''s key attributes carry and widens
 * it to match the key's structure exactly (EtherTypes, VLAN TPIDs, the IP
 * protocol when an L4 attribute follows, ICMPv6 type/code before ND), as
 * a datapath requires of a megaflow.  odp_mask_from_flow() applies it. */
void odp_mask_normalize(const struct flow *flow, struct flow *mask);

/* Decodes the key attributes at 'key' ('key_size' bytes) into 'flow' and,
 * if 'mask_attrs' is nonnull, the mask attributes into 'mask' (if
 * 'mask_attrs' is NULL and 'mask' nonnull, 'mask' becomes exact for every
 * attribute present).  Returns 0 or EINVAL. */
int odp_key_to_flow(const void *key, size_t key_size, const void *mask_attrs,
                    size_t mask_size, struct flow *flow, struct flow *mask,
                    char **errorp);

/* Text form of a key (and mask, if nonnull). */
void odp_key_format(const void *key, size_t key_size, const void *mask,
                    size_t mask_size, struct ds *);
/* Parses the text form into key and mask attribute lists (appended to
 * 'key' and 'mask'; 'mask' may be NULL).  Returns 0 or EINVAL. */
int odp_key_parse(const char *s, struct buf *key, struct buf *mask,
                  char **errorp);

/* Actions: attribute lists of OVS_ACTION_ATTR_*. */
/* Checks that every action is known and well formed. */
int odp_actions_validate(const void *actions, size_t size, char **errorp);
/* "2,push_vlan(vid=10,pcp=0),..." or "drop" if empty. */
void odp_actions_format(const void *actions, size_t size, struct ds *);
/* Parses the text form (without the "actions:" prefix) into 'out'. */
int odp_actions_parse(const char *s, struct buf *out, char **errorp);

/* Helpers shared by the key and action codecs (odp-key.c). */
/* Appends one key attribute of 'type' holding 'flow''s value (or, with
 * 'is_mask', the mask's) for use in set() actions; returns false if the
 * type cannot be set. */
bool odp_put_tunnel(struct buf *out, const struct flow_tnl *tnl,
                    const struct flow_tnl *key_tnl, bool is_mask);
int odp_parse_tunnel(const void *nested, size_t size, struct flow_tnl *tnl,
                     bool is_mask, char **errorp);
void odp_format_tunnel(const void *nested, size_t size, const void *mask,
                       size_t mask_size, struct ds *);
/* Formats one key attribute 'a' (with mask attribute 'ma', may be NULL). */
struct nlattr;
void odp_format_key_attr(const struct nlattr *a, const struct nlattr *ma,
                         struct ds *);
/* Parses one key attribute's text at '*s' ("name(...)") and appends it (and
 * its mask, if 'mask' nonnull) to the outputs; advances '*s'. */
int odp_parse_key_attr(const char **s, struct buf *key, struct buf *mask,
                       char **errorp);

#endif /* VSWITCH_ODP_H */
