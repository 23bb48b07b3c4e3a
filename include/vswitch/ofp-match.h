/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OFP_MATCH_H
#define VSWITCH_OFP_MATCH_H 1

/*
 * ofp-match: OpenFlow matches on the wire, converted to and from our
 * 'struct match'.
 *
 * OpenFlow 1.3 (OXM): a 'struct ofp_match' of type OFPMT_OXM holding TLVs
 * of class OFPXMC_OPENFLOW_BASIC, and of Nicira's NXM class 1 for the outer
 * tunnel addresses (tun_src, tun_dst: what Open vSwitch sends; its
 * NXM_NX_TUN_ID is read as tunnel_id), padded to 8 bytes.  Decoding
 * checks, in
 * this order, for each TLV: the header fits (BAD_LEN), the class and field
 * are known (BAD_FIELD), a mask only on a maskable field (BAD_MASK), the
 * payload length is the field's (BAD_LEN), no field twice (DUP_FIELD),
 * value bits only inside the field (BAD_VALUE), mask bits only inside the
 * field (BAD_MASK), value bits only under the mask (BAD_WILDCARDS); and
 * after all TLVs, every field's prerequisites (BAD_PREREQ), which the
 * specification's table 12 gives (eth_type for L3, ip_proto for L4,
 * icmpv6_type 135/136 for ND, a VLAN tag for vlan_pcp, in_port for
 * in_phy_port).  in_phy_port is accepted and checked but not kept: we have
 * no separate physical port.  MPLS and PBB fields have no place in
 * 'struct flow' and are refused with BAD_FIELD.
 *
 * Encoding emits, in field-number order, each field the match constrains
 * whose prerequisites the match satisfies (so tp_src becomes tcp_src,
 * udp_src, sctp_src, icmpv4_type or icmpv6_type as the match says); a mask
 * only when it is not all-ones over the field.  Fields OXM cannot express
 * (registers, nw_ttl, nw_frag, tcp_flags, tunnel metadata other than
 * tun_id, tun_src and tun_dst) are left out.
 *
 * OpenFlow 1.0: the fixed 40-byte 'ofp_match' with its wildcard bits and
 * nw_src/nw_dst prefix lengths.  As the 1.0 specification and Open vSwitch
 * do, fields whose protocol the match does not pin down are ignored on
 * decode (nw_* without dl_type IP or ARP, tp_* without nw_proto
 * TCP/UDP/ICMP).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/match.h"
#include "vswitch/ofp-errors.h"

#define OFPMT_STANDARD 0 /* 1.1's fixed match. */
#define OFPMT_OXM 1

#define OXM_CLASS(H) ((H) >> 16)
#define OXM_FIELD(H) (((H) >> 9) & 0x7f)
#define OXM_HASMASK(H) (((H) >> 8) & 1)
#define OXM_LENGTH(H) ((H) &0xff)

/* Largest OXM payload of a field we know (ipv6 address + mask). */
#define OXM_MAX_LEN 16

/* Ids of the Nicira NXM class 1 fields we speak, past OpenFlow's own
 * OFPXMT_* numbers (they share 'struct oxm_field'.id and its bitmaps). */
enum {
    OXM_ID_TUN_IPV4_SRC = 48, /* NXM_NX_TUN_IPV4_SRC: tun_src. */
    OXM_ID_TUN_IPV4_DST = 49, /* NXM_NX_TUN_IPV4_DST: tun_dst. */
    OXM_ID_TUN_IPV6_SRC = 50, /* NXM_NX_TUN_IPV6_SRC: tun_ipv6_src. */
    OXM_ID_TUN_IPV6_DST = 51, /* NXM_NX_TUN_IPV6_DST: tun_ipv6_dst. */
};

/* Ids of the fields only NXM matches carry (their semantics differ from
 * every OXM field's: a 16-bit in_port, the whole VLAN TCI, DSCP in place,
 * metadata OXM 1.3 does not say).  oxm_field_lookup() and
 * oxm_field_by_name() never return them, and OXM encoding leaves them
 * out. */
enum {
    OXM_ID_NXM_IN_PORT = 64,   /* NXM_OF_IN_PORT: 16-bit port. */
    OXM_ID_NXM_VLAN_TCI = 65,  /* NXM_OF_VLAN_TCI: PCP|CFI(present)|VID. */
    OXM_ID_NXM_IP_TOS = 66,    /* NXM_OF_IP_TOS: DSCP bits in place. */
    OXM_ID_NXM_REG0 = 67,      /* NXM_NX_REG0..REG7: ids 67..74. */
    OXM_ID_NXM_IP_FRAG = 75,   /* NXM_NX_IP_FRAG: FLOW_NW_FRAG_* bits. */
    OXM_ID_NXM_IP_TTL = 76,    /* NXM_NX_IP_TTL. */
    OXM_ID_NXM_PKT_MARK = 77,  /* NXM_NX_PKT_MARK: skb_mark. */
    OXM_ID_NXM_TCP_FLAGS = 78, /* NXM_NX_TCP_FLAGS: low 12 bits. */
    OXM_ID_N = 79,             /* Ids are below this. */
};

/* One OXM field's description. */
struct oxm_field {
    uint8_t id;         /* OFPXMT_* or OXM_ID_* (below OXM_ID_N). */
    uint16_t cls;       /* Class on the wire (OFPXMC_OPENFLOW_BASIC, ...). */
    uint8_t wire_field; /* Field number within 'cls' on the wire. */
    uint8_t len;        /* Value length on the wire. */
    bool maskable;      /* May carry a mask. */
    const char *name;   /* ovs-ofctl name (set_field:V->NAME). */
    const char *name13; /* OXM name ("OXM_OF_ETH_DST"). */
};

/* The description of OXM field 'id' (OFPXMT_* or OXM_ID_*), NULL if we do
 * not support it. */
const struct oxm_field *oxm_field_get(unsigned int id);
/* The field with wire class 'cls' and number 'field', NULL if unknown. */
const struct oxm_field *oxm_field_lookup(unsigned int cls, unsigned int field);
/* The OXM header of 'f' for a 'len'-byte payload (value, or value and
 * mask). */
uint32_t oxm_field_header(const struct oxm_field *, unsigned int len);
/* By ovs-ofctl name ("eth_dst", "ip_src", "vlan_vid", ...). */
const struct oxm_field *oxm_field_by_name(const char *name);

/* Reads field 'id' of 'flow' into 'value' (field->len bytes, wire order). */
void oxm_field_read(const struct oxm_field *, const struct flow *,
                    uint8_t *value);
/* Writes 'value' under 'mask' (wire order; mask NULL means exact) into
 * 'match'.  No checks. */
void oxm_field_write(const struct oxm_field *, struct match *,
                     const uint8_t *value, const uint8_t *mask);
/* Checks that 'value' (and 'mask' if nonnull) stay inside the field's bits:
 * BAD_VALUE, BAD_MASK, BAD_WILDCARDS or 0. */
enum ofperr oxm_field_check(const struct oxm_field *, const uint8_t *value,
                            const uint8_t *mask);
/* Whether 'match' satisfies the prerequisites of 'field'. */
bool oxm_field_prereqs_ok(const struct oxm_field *, const struct match *);

/* Decodes one OXM TLV at 'p' ('size' bytes available).  Returns 0 and the
 * field, value and mask (all-ones if none) with '*lenp' the TLV's length,
 * or an error. */
enum ofperr oxm_pull_tlv(const uint8_t *p, size_t size,
                         const struct oxm_field **, uint8_t *value,
                         uint8_t *mask, bool *has_mask, size_t *lenp);

/* Decodes the OXM TLVs in 'p'..'p+size' (no ofp_match header) into
 * 'match'. */
enum ofperr oxm_decode_fields(const uint8_t *p, size_t size, struct match *);
/* Decodes a 'struct ofp_match' (1.3) at the start of 'p' ('size' bytes
 * available).  Sets '*lenp' to its length with padding. */
enum ofperr ofp13_match_decode(const void *p, size_t size, struct match *,
                               size_t *lenp);
/* Appends 'match' as the OXM TLVs alone; returns the bytes appended. */
size_t oxm_put_fields(struct buf *, const struct match *);
/* Appends 'match' as a padded 'struct ofp_match' (1.3); returns the bytes
 * appended. */
size_t ofp13_match_put(struct buf *, const struct match *);

/* NXM: Nicira's match format for OpenFlow 1.0 (NXT_FLOW_MOD,
 * NXT_FLOW_REMOVED, NXST_FLOW and NXST_AGGREGATE).  The same TLVs as OXM,
 * with NXM class 0 (OpenFlow 1.0's fields), class 1 (Nicira's) and, for
 * what only OXM names (metadata, sctp ports), OpenFlow basic class
 * headers.  Decoding checks, for each TLV, in this order (what Open
 * vSwitch does): the header and payload fit (BAD_MATCH_LEN), the header is
 * a known field with its exact length (BAD_FIELD), value bits only under
 * the mask (BAD_WILDCARDS), a partial mask only on a maskable field
 * (BAD_MASK), value bits only inside the field (BAD_VALUE), no field twice
 * (DUP_FIELD), the field's prerequisites met by the TLVs before it
 * (BAD_PREREQ).  NXM_NX_COOKIE (class 1, field 30) is not part of a
 * match: it sets '*cookie' and '*cookie_mask' (0 and 0 without it). */
#define OFPXMC_NXM_0 0x0000
#define NXM_NX_COOKIE 30

enum ofperr nxm_decode_fields(const uint8_t *p, size_t size, struct match *,
                              uint64_t *cookie, uint64_t *cookie_mask);
/* Appends 'match' (and NXM_NX_COOKIE if 'cookie_mask' is nonzero) as NXM
 * TLVs, unpadded; returns the bytes appended. */
size_t nxm_put_fields(struct buf *, const struct match *, uint64_t cookie,
                      uint64_t cookie_mask);
/* Appends nxm_put_fields() and zeros up to a multiple of 8 bytes; returns
 * the unpadded length (the 'match_len' NXM messages carry). */
size_t nxm_put_match(struct buf *, const struct match *, uint64_t cookie,
                     uint64_t cookie_mask);

/* OpenFlow 1.0. */
enum {
    OFPFW10_IN_PORT = 1 << 0,
    OFPFW10_DL_VLAN = 1 << 1,
    OFPFW10_DL_SRC = 1 << 2,
    OFPFW10_DL_DST = 1 << 3,
    OFPFW10_DL_TYPE = 1 << 4,
    OFPFW10_NW_PROTO = 1 << 5,
    OFPFW10_TP_SRC = 1 << 6,
    OFPFW10_TP_DST = 1 << 7,
    OFPFW10_NW_SRC_SHIFT = 8,
    OFPFW10_NW_DST_SHIFT = 14,
    OFPFW10_DL_VLAN_PCP = 1 << 20,
    OFPFW10_NW_TOS = 1 << 21,
    OFPFW10_ALL = (1 << 22) - 1,
};
#define OFPFW10_NW_SRC_MASK (0x3f << OFPFW10_NW_SRC_SHIFT)
#define OFPFW10_NW_DST_MASK (0x3f << OFPFW10_NW_DST_SHIFT)
#define OFP10_VLAN_NONE 0xffff
#define OFP10_MATCH_SIZE 40

/* Decodes the 40-byte OpenFlow 1.0 match at 'p'. */
void ofp10_match_decode(const void *p, struct match *);
/* Encodes 'match' as a 1.0 match into the 40 bytes at 'p'.  Bits 1.0 cannot
 * express are widened (IPv4 masks to the longest prefix inside them,
 * partial masks of other fields to "any"). */
void ofp10_match_encode(const struct match *, void *p);

/* Removes from 'match' the fields whose prerequisites it lacks (what 1.0
 * decoding does; also used by text parsing for 1.0). */
void ofp_match_normalize(struct match *);

#endif /* VSWITCH_OFP_MATCH_H */
