// SPDX-License-Identifier: GPL-2.0
/*
 * key_attrs.c - flow keys and masks to and from OVS_KEY_ATTR_* attributes.
 *
 * Parsing validates every attribute against vdp_key_policy (strict: exact
 * lengths, unknown types refused) before reading it.  Key attributes this
 * datapath cannot match on (MPLS, conntrack, NSH...) are refused
 * with an extack message, which is how userspace's feature probes learn
 * that they are missing.
 */
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <net/ndisc.h>
#include <net/netlink.h>

#include "datapath.h"

#define VDP_ENCAP_LEVEL 1	/* inside OVS_KEY_ATTR_ENCAP */

static const struct nla_policy vdp_key_policy[OVS_KEY_ATTR_MAX + 1] = {
	[OVS_KEY_ATTR_ENCAP] = { .type = NLA_NESTED },
	[OVS_KEY_ATTR_PRIORITY] = { .type = NLA_U32 },
	[OVS_KEY_ATTR_IN_PORT] = { .type = NLA_U32 },
	[OVS_KEY_ATTR_ETHERNET] =
		NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_ethernet)),
	[OVS_KEY_ATTR_VLAN] = { .type = NLA_BE16 },
	[OVS_KEY_ATTR_ETHERTYPE] = { .type = NLA_BE16 },
	[OVS_KEY_ATTR_IPV4] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_ipv4)),
	[OVS_KEY_ATTR_IPV6] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_ipv6)),
	[OVS_KEY_ATTR_TCP] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_tcp)),
	[OVS_KEY_ATTR_UDP] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_udp)),
	[OVS_KEY_ATTR_ICMP] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_icmp)),
	[OVS_KEY_ATTR_ICMPV6] =
		NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_icmpv6)),
	[OVS_KEY_ATTR_ARP] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_arp)),
	[OVS_KEY_ATTR_ND] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_nd)),
	[OVS_KEY_ATTR_SKB_MARK] = { .type = NLA_U32 },
	/* tunnel metadata (IPv4 or IPv6): tunnel.c */
	[OVS_KEY_ATTR_TUNNEL] = { .type = NLA_NESTED },
	[OVS_KEY_ATTR_SCTP] = NLA_POLICY_EXACT_LEN(sizeof(struct ovs_key_sctp)),
	[OVS_KEY_ATTR_TCP_FLAGS] = { .type = NLA_BE16 },
	[OVS_KEY_ATTR_DP_HASH] = { .type = NLA_U32 },
	[OVS_KEY_ATTR_RECIRC_ID] = { .type = NLA_U32 },
	[OVS_KEY_ATTR_MPLS] = { .type = NLA_REJECT,
		.reject_message = "MPLS is not supported" },
	[OVS_KEY_ATTR_CT_STATE] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_CT_ZONE] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_CT_MARK] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_CT_LABELS] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = { .type = NLA_REJECT,
		.reject_message = "connection tracking is not supported" },
	[OVS_KEY_ATTR_NSH] = { .type = NLA_REJECT,
		.reject_message = "NSH is not supported" },
	[OVS_KEY_ATTR_PACKET_TYPE] = { .type = NLA_REJECT,
		.reject_message = "only Ethernet packets are supported" },
	[OVS_KEY_ATTR_ND_EXTENSIONS] = { .type = NLA_REJECT,
		.reject_message = "ND extensions are not supported" },
	[OVS_KEY_ATTR_TUNNEL_INFO] = { .type = NLA_REJECT,
		.reject_message = "tunnel info is kernel-internal" },
	[OVS_KEY_ATTR_IPV6_EXTHDRS] = { .type = NLA_REJECT,
		.reject_message = "IPv6 extension header matching is not supported" },
};

/* Source of all-ones bytes for building exact masks. */
static const u8 vdp_ones[64] = {
	[0 ... 63] = 0xff
};

/* What vdp_key_parse_level() reads. */
enum vdp_parse {
	VDP_PARSE_KEY,		/* a key: values are checked */
	VDP_PARSE_MASK,		/* a mask: any bits go */
	VDP_PARSE_ONES,		/* a key, turned into its exact mask */
};

/*
 * vdp_key_parse_level - one level (outer, or inside ENCAP) of key attributes.
 * 'mode' VDP_PARSE_ONES writes all-ones into every field an attribute
 * covers instead of its value (builds the exact mask of a key).
 * '*present' collects the attribute types seen.
 */
static int vdp_key_parse_level(const struct nlattr *attr, struct vdp_key *k,
			       enum vdp_parse mode, u64 *present, int level,
			       struct netlink_ext_ack *extack)
{
	bool ones = mode == VDP_PARSE_ONES;
	bool check = mode == VDP_PARSE_KEY;
	struct nlattr *a[OVS_KEY_ATTR_MAX + 1];
	int err, t;

	/* Userspace does not flag its nests with NLA_F_NESTED. */
	err = nla_parse_deprecated_strict(a, OVS_KEY_ATTR_MAX, nla_data(attr),
					  nla_len(attr), vdp_key_policy, extack);
	if (err)
		return err;

	for (t = 1; t <= OVS_KEY_ATTR_MAX; t++) {
		if (!a[t])
			continue;
		if (level == VDP_ENCAP_LEVEL &&
		    (t == OVS_KEY_ATTR_ENCAP || t == OVS_KEY_ATTR_VLAN ||
		     t == OVS_KEY_ATTR_ETHERNET || t == OVS_KEY_ATTR_IN_PORT ||
		     t == OVS_KEY_ATTR_PRIORITY || t == OVS_KEY_ATTR_SKB_MARK ||
		     t == OVS_KEY_ATTR_RECIRC_ID || t == OVS_KEY_ATTR_TUNNEL ||
		     t == OVS_KEY_ATTR_DP_HASH)) {
			NL_SET_ERR_MSG_ATTR(extack, a[t],
					    "attribute not allowed inside encap (only one VLAN tag is supported)");
			return -EINVAL;
		}
		*present |= BIT_ULL(t);
	}

	if (a[OVS_KEY_ATTR_TUNNEL]) {
		/* An exact mask matches every tunnel field, absent ones as 0. */
		if (ones)
			memset(&k->tun, 0xff, sizeof(k->tun));
		else
			err = vdp_tun_from_attr(a[OVS_KEY_ATTR_TUNNEL], &k->tun,
						!check, extack);
		if (err)
			return err;
	}

#define VDP_SRC(type) (ones ? (const void *)vdp_ones : nla_data(a[type]))
	if (a[OVS_KEY_ATTR_PRIORITY])
		k->priority = ones ? U32_MAX : nla_get_u32(a[OVS_KEY_ATTR_PRIORITY]);
	if (a[OVS_KEY_ATTR_IN_PORT])
		k->in_port = ones ? U32_MAX : nla_get_u32(a[OVS_KEY_ATTR_IN_PORT]);
	if (a[OVS_KEY_ATTR_SKB_MARK])
		k->skb_mark = ones ? U32_MAX : nla_get_u32(a[OVS_KEY_ATTR_SKB_MARK]);
	if (a[OVS_KEY_ATTR_RECIRC_ID])
		k->recirc_id = ones ? U32_MAX : nla_get_u32(a[OVS_KEY_ATTR_RECIRC_ID]);
	if (a[OVS_KEY_ATTR_DP_HASH])
		k->dp_hash = ones ? U32_MAX : nla_get_u32(a[OVS_KEY_ATTR_DP_HASH]);
	if (a[OVS_KEY_ATTR_ETHERNET]) {
		const struct ovs_key_ethernet *e = VDP_SRC(OVS_KEY_ATTR_ETHERNET);

		memcpy(k->eth_src, e->eth_src, ETH_ALEN);
		memcpy(k->eth_dst, e->eth_dst, ETH_ALEN);
	}
	if (a[OVS_KEY_ATTR_VLAN])
		k->vlan_tci = ones ? htons(0xffff) :
				     nla_get_be16(a[OVS_KEY_ATTR_VLAN]);
	if (a[OVS_KEY_ATTR_ETHERTYPE]) {
		__be16 v = ones ? htons(0xffff) :
				  nla_get_be16(a[OVS_KEY_ATTR_ETHERTYPE]);

		if (level == 0 && a[OVS_KEY_ATTR_VLAN])
			k->vlan_tpid = v;
		else
			k->eth_type = v;
	}
	if (a[OVS_KEY_ATTR_IPV4]) {
		const struct ovs_key_ipv4 *ip = VDP_SRC(OVS_KEY_ATTR_IPV4);

		if (check && ip->ipv4_frag > OVS_FRAG_TYPE_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a[OVS_KEY_ATTR_IPV4],
					    "bad IPv4 fragment type");
			return -EINVAL;
		}
		k->addr.ipv4.src = ip->ipv4_src;
		k->addr.ipv4.dst = ip->ipv4_dst;
		k->ip_proto = ip->ipv4_proto;
		k->ip_tos = ip->ipv4_tos;
		k->ip_ttl = ip->ipv4_ttl;
		k->ip_frag = ip->ipv4_frag;
	}
	if (a[OVS_KEY_ATTR_IPV6]) {
		const struct ovs_key_ipv6 *ip = VDP_SRC(OVS_KEY_ATTR_IPV6);

		if (check && (ip->ipv6_frag > OVS_FRAG_TYPE_MAX ||
			      ip->ipv6_label & ~htonl(0x000fffff))) {
			NL_SET_ERR_MSG_ATTR(extack, a[OVS_KEY_ATTR_IPV6],
					    "bad IPv6 fragment type or flow label");
			return -EINVAL;
		}
		memcpy(&k->addr.ipv6.src, ip->ipv6_src, sizeof(struct in6_addr));
		memcpy(&k->addr.ipv6.dst, ip->ipv6_dst, sizeof(struct in6_addr));
		k->ipv6_label = ip->ipv6_label & htonl(0x000fffff);
		k->ip_proto = ip->ipv6_proto;
		k->ip_tos = ip->ipv6_tclass;
		k->ip_ttl = ip->ipv6_hlimit;
		k->ip_frag = ip->ipv6_frag;
	}
	if (a[OVS_KEY_ATTR_TCP]) {
		const struct ovs_key_tcp *p = VDP_SRC(OVS_KEY_ATTR_TCP);

		k->tp_src = p->tcp_src;
		k->tp_dst = p->tcp_dst;
	}
	if (a[OVS_KEY_ATTR_UDP]) {
		const struct ovs_key_udp *p = VDP_SRC(OVS_KEY_ATTR_UDP);

		k->tp_src = p->udp_src;
		k->tp_dst = p->udp_dst;
	}
	if (a[OVS_KEY_ATTR_SCTP]) {
		const struct ovs_key_sctp *p = VDP_SRC(OVS_KEY_ATTR_SCTP);

		k->tp_src = p->sctp_src;
		k->tp_dst = p->sctp_dst;
	}
	if (a[OVS_KEY_ATTR_ICMP]) {
		const struct ovs_key_icmp *p = VDP_SRC(OVS_KEY_ATTR_ICMP);

		k->tp_src = htons(p->icmp_type);
		k->tp_dst = htons(p->icmp_code);
	}
	if (a[OVS_KEY_ATTR_ICMPV6]) {
		const struct ovs_key_icmpv6 *p = VDP_SRC(OVS_KEY_ATTR_ICMPV6);

		k->tp_src = htons(p->icmpv6_type);
		k->tp_dst = htons(p->icmpv6_code);
	}
	if (a[OVS_KEY_ATTR_TCP_FLAGS])
		k->tcp_flags = ones ? htons(0x0fff) :
			nla_get_be16(a[OVS_KEY_ATTR_TCP_FLAGS]) & htons(0x0fff);
	if (a[OVS_KEY_ATTR_ARP]) {
		const struct ovs_key_arp *p = VDP_SRC(OVS_KEY_ATTR_ARP);

		k->addr.ipv4.src = p->arp_sip;
		k->addr.ipv4.dst = p->arp_tip;
		k->arp_op = p->arp_op;
		memcpy(k->arp_sha, p->arp_sha, ETH_ALEN);
		memcpy(k->arp_tha, p->arp_tha, ETH_ALEN);
	}
	if (a[OVS_KEY_ATTR_ND]) {
		const struct ovs_key_nd *p = VDP_SRC(OVS_KEY_ATTR_ND);

		memcpy(&k->nd_target, p->nd_target, sizeof(struct in6_addr));
		memcpy(k->arp_sha, p->nd_sll, ETH_ALEN);
		memcpy(k->arp_tha, p->nd_tll, ETH_ALEN);
	}
#undef VDP_SRC

	if (a[OVS_KEY_ATTR_ENCAP]) {
		if (level != 0 || !a[OVS_KEY_ATTR_VLAN]) {
			NL_SET_ERR_MSG_ATTR(extack, a[OVS_KEY_ATTR_ENCAP],
					    "encap() needs vlan() at the outer level");
			return -EINVAL;
		}
		err = vdp_key_parse_level(a[OVS_KEY_ATTR_ENCAP], k, mode,
					  present, VDP_ENCAP_LEVEL, extack);
		if (err)
			return err;
	}
	return 0;
}

#define VDP_HAS(p, t) ((p) & BIT_ULL(OVS_KEY_ATTR_##t))

/* Prerequisites of the L3/L4 attributes of a match. */
static int vdp_match_check(u64 p, const struct vdp_key *k,
			   const struct vdp_key *m,
			   struct netlink_ext_ack *extack)
{
	bool ip4 = k->eth_type == htons(ETH_P_IP) && m->eth_type == htons(0xffff);
	bool ip6 = k->eth_type == htons(ETH_P_IPV6) &&
		   m->eth_type == htons(0xffff);
	bool arp = (k->eth_type == htons(ETH_P_ARP) ||
		    k->eth_type == htons(ETH_P_RARP)) &&
		   m->eth_type == htons(0xffff);
	/*
	 * An L4 attribute needs the key's IP protocol to name it.  Its fields
	 * may only be matched (non-zero mask) when that protocol is matched
	 * exactly and the packet is not a later fragment; fully wildcarded,
	 * as ovs-vswitchd sends them under a wildcarded protocol, they match
	 * nothing and are accepted.
	 */
	bool l4_masked = m->tp_src || m->tp_dst || m->tcp_flags ||
			 memchr_inv(&m->nd_target, 0, sizeof(m->nd_target)) ||
			 ((VDP_HAS(p, ND)) && (!is_zero_ether_addr(m->arp_sha) ||
					       !is_zero_ether_addr(m->arp_tha)));
	bool exact_proto = !l4_masked ||
			   (m->ip_proto == 0xff && k->ip_frag != OVS_FRAG_TYPE_LATER);

	if (VDP_HAS(p, IPV4) && !ip4)
		goto bad_l3;
	if (VDP_HAS(p, IPV6) && !ip6)
		goto bad_l3;
	if (VDP_HAS(p, ARP) && !arp)
		goto bad_l3;
	if ((VDP_HAS(p, TCP) || VDP_HAS(p, TCP_FLAGS)) &&
	    !((ip4 || ip6) && exact_proto && k->ip_proto == IPPROTO_TCP))
		goto bad_l4;
	if (VDP_HAS(p, UDP) &&
	    !((ip4 || ip6) && exact_proto && k->ip_proto == IPPROTO_UDP))
		goto bad_l4;
	if (VDP_HAS(p, SCTP) &&
	    !((ip4 || ip6) && exact_proto && k->ip_proto == IPPROTO_SCTP))
		goto bad_l4;
	if (VDP_HAS(p, ICMP) &&
	    !(ip4 && exact_proto && k->ip_proto == IPPROTO_ICMP))
		goto bad_l4;
	if (VDP_HAS(p, ICMPV6) &&
	    !(ip6 && exact_proto && k->ip_proto == IPPROTO_ICMPV6))
		goto bad_l4;
	if (VDP_HAS(p, ND) && l4_masked &&
	    !(VDP_HAS(p, ICMPV6) && m->tp_src == htons(0xff) &&
	      m->tp_dst == htons(0xff) && k->tp_dst == 0 &&
	      (k->tp_src == htons(NDISC_NEIGHBOUR_SOLICITATION) ||
	       k->tp_src == htons(NDISC_NEIGHBOUR_ADVERTISEMENT)))) {
		NL_SET_ERR_MSG(extack, "nd() needs an exact ICMPv6 NS or NA type");
		return -EINVAL;
	}
	return 0;

bad_l3:
	NL_SET_ERR_MSG(extack, "L3 attribute without the matching exact eth_type()");
	return -EINVAL;
bad_l4:
	NL_SET_ERR_MSG(extack, "L4 attribute without the matching exact IP protocol");
	return -EINVAL;
}

/**
 * vdp_match_from_attrs - parse a flow's key and mask.
 * @key_attr: OVS_FLOW_ATTR_KEY
 * @mask_attr: OVS_FLOW_ATTR_MASK, or NULL for an exact match on @key_attr
 * @key: the key, as userspace gave it
 * @mask: the mask
 * @extack: error report
 *
 * Return: 0 or -EINVAL.
 */
int vdp_match_from_attrs(const struct nlattr *key_attr,
			 const struct nlattr *mask_attr, struct vdp_key *key,
			 struct vdp_key *mask, struct netlink_ext_ack *extack)
{
	u64 kp = 0, mp = 0;
	int err;

	memset(key, 0, sizeof(*key));
	memset(mask, 0, sizeof(*mask));
	err = vdp_key_parse_level(key_attr, key, VDP_PARSE_KEY, &kp, 0, extack);
	if (err)
		return err;
	if (!VDP_HAS(kp, ETHERNET)) {
		NL_SET_ERR_MSG_ATTR(extack, key_attr,
				    "flow key lacks eth(): only Ethernet flows are supported");
		return -EINVAL;
	}
	if (mask_attr)
		err = vdp_key_parse_level(mask_attr, mask, VDP_PARSE_MASK, &mp, 0,
					  extack);
	else
		err = vdp_key_parse_level(key_attr, mask, VDP_PARSE_ONES, &mp, 0,
					  extack);
	if (err)
		return err;

	/* Without a VLAN attribute a flow matches untagged packets only. */
	if (!VDP_HAS(mp, VLAN))
		mask->vlan_tci = htons(0xffff);
	if (!VDP_HAS(kp, VLAN)) {
		key->vlan_tci = 0;
		key->vlan_tpid = 0;
		mask->vlan_tpid = 0;
	}
	/* An Ethernet frame without Ethernet type is an 802.2 frame. */
	if (!VDP_HAS(kp, ETHERTYPE)) {
		key->eth_type = htons(ETH_P_802_2);
		mask->eth_type = htons(0xffff);
	}
	if (VDP_HAS(kp, VLAN) && !(key->vlan_tci & htons(VLAN_CFI_MASK)) &&
	    key->vlan_tci) {
		NL_SET_ERR_MSG_ATTR(extack, key_attr,
				    "vlan() without the VLAN present bit");
		return -EINVAL;
	}
	if (VDP_HAS(kp, VLAN) && !eth_type_vlan(key->vlan_tpid) &&
	    mask->vlan_tpid) {
		NL_SET_ERR_MSG_ATTR(extack, key_attr, "unknown VLAN TPID");
		return -EINVAL;
	}
	return vdp_match_check(kp, key, mask, extack);
}

/**
 * vdp_key_meta_from_attrs - parse a packet's key for its metadata.
 * @key_attr: OVS_PACKET_ATTR_KEY
 * @key: zeroed key; gets in_port, priority, skb_mark, recirc_id, dp_hash
 *       and the tunnel metadata
 * @extack: error report
 *
 * The packet fields of the attributes are validated but not used: they
 * are extracted from the packet itself.
 *
 * Return: 0 or -EINVAL.
 */
int vdp_key_meta_from_attrs(const struct nlattr *key_attr,
			    struct vdp_key *key,
			    struct netlink_ext_ack *extack)
{
	struct vdp_key tmp = {};
	u64 p = 0;
	int err;

	err = vdp_key_parse_level(key_attr, &tmp, VDP_PARSE_KEY, &p, 0, extack);
	if (err)
		return err;
	key->in_port = VDP_HAS(p, IN_PORT) ? tmp.in_port : U32_MAX;
	key->priority = tmp.priority;
	key->skb_mark = tmp.skb_mark;
	key->recirc_id = tmp.recirc_id;
	key->dp_hash = tmp.dp_hash;
	key->tun = tmp.tun;
	return 0;
}

/**
 * vdp_key_attrs_size - upper bound of the size of vdp_key_to_attrs() output.
 */
size_t vdp_key_attrs_size(void)
{
	return nla_total_size(0) +			/* the nest */
	       vdp_tun_attr_size() +
	       5 * nla_total_size(4) +			/* metadata */
	       nla_total_size(sizeof(struct ovs_key_ethernet)) +
	       2 * nla_total_size(2) + nla_total_size(0) + /* VLAN + encap */
	       nla_total_size(2) +			/* eth type */
	       nla_total_size(sizeof(struct ovs_key_ipv6)) +
	       nla_total_size(sizeof(struct ovs_key_tcp)) +
	       nla_total_size(2) +			/* tcp flags */
	       nla_total_size(sizeof(struct ovs_key_nd));
}

static int vdp_put_l3l4(struct sk_buff *skb, const struct vdp_key *s,
			const struct vdp_key *v)
{
	bool ip4 = s->eth_type == htons(ETH_P_IP);
	bool ip6 = s->eth_type == htons(ETH_P_IPV6);

	if (s->eth_type != htons(ETH_P_802_2) &&
	    nla_put_be16(skb, OVS_KEY_ATTR_ETHERTYPE, v->eth_type))
		return -EMSGSIZE;
	if (ip4) {
		struct ovs_key_ipv4 *p;
		struct nlattr *a = nla_reserve(skb, OVS_KEY_ATTR_IPV4, sizeof(*p));

		if (!a)
			return -EMSGSIZE;
		p = nla_data(a);
		p->ipv4_src = v->addr.ipv4.src;
		p->ipv4_dst = v->addr.ipv4.dst;
		p->ipv4_proto = v->ip_proto;
		p->ipv4_tos = v->ip_tos;
		p->ipv4_ttl = v->ip_ttl;
		p->ipv4_frag = v->ip_frag;
	} else if (ip6) {
		struct ovs_key_ipv6 *p;
		struct nlattr *a = nla_reserve(skb, OVS_KEY_ATTR_IPV6, sizeof(*p));

		if (!a)
			return -EMSGSIZE;
		p = nla_data(a);
		memcpy(p->ipv6_src, &v->addr.ipv6.src, sizeof(p->ipv6_src));
		memcpy(p->ipv6_dst, &v->addr.ipv6.dst, sizeof(p->ipv6_dst));
		p->ipv6_label = v->ipv6_label;
		p->ipv6_proto = v->ip_proto;
		p->ipv6_tclass = v->ip_tos;
		p->ipv6_hlimit = v->ip_ttl;
		p->ipv6_frag = v->ip_frag;
	} else if (s->eth_type == htons(ETH_P_ARP) ||
		   s->eth_type == htons(ETH_P_RARP)) {
		struct ovs_key_arp *p;
		struct nlattr *a = nla_reserve(skb, OVS_KEY_ATTR_ARP, sizeof(*p));

		if (!a)
			return -EMSGSIZE;
		p = nla_data(a);
		memset(p, 0, sizeof(*p));
		p->arp_sip = v->addr.ipv4.src;
		p->arp_tip = v->addr.ipv4.dst;
		p->arp_op = v->arp_op;
		memcpy(p->arp_sha, v->arp_sha, ETH_ALEN);
		memcpy(p->arp_tha, v->arp_tha, ETH_ALEN);
		return 0;
	}
	if (!(ip4 || ip6) || s->ip_frag == OVS_FRAG_TYPE_LATER)
		return 0;

	switch (s->ip_proto) {
	case IPPROTO_TCP: {
		struct ovs_key_tcp p = { .tcp_src = v->tp_src,
					 .tcp_dst = v->tp_dst };

		if (nla_put(skb, OVS_KEY_ATTR_TCP, sizeof(p), &p) ||
		    nla_put_be16(skb, OVS_KEY_ATTR_TCP_FLAGS, v->tcp_flags))
			return -EMSGSIZE;
		break;
	}
	case IPPROTO_UDP: {
		struct ovs_key_udp p = { .udp_src = v->tp_src,
					 .udp_dst = v->tp_dst };

		if (nla_put(skb, OVS_KEY_ATTR_UDP, sizeof(p), &p))
			return -EMSGSIZE;
		break;
	}
	case IPPROTO_SCTP: {
		struct ovs_key_sctp p = { .sctp_src = v->tp_src,
					  .sctp_dst = v->tp_dst };

		if (nla_put(skb, OVS_KEY_ATTR_SCTP, sizeof(p), &p))
			return -EMSGSIZE;
		break;
	}
	case IPPROTO_ICMP: {
		struct ovs_key_icmp p = { .icmp_type = ntohs(v->tp_src),
					  .icmp_code = ntohs(v->tp_dst) };

		if (ip4 && nla_put(skb, OVS_KEY_ATTR_ICMP, sizeof(p), &p))
			return -EMSGSIZE;
		break;
	}
	case IPPROTO_ICMPV6: {
		struct ovs_key_icmpv6 p = { .icmpv6_type = ntohs(v->tp_src),
					    .icmpv6_code = ntohs(v->tp_dst) };

		if (!ip6)
			break;
		if (nla_put(skb, OVS_KEY_ATTR_ICMPV6, sizeof(p), &p))
			return -EMSGSIZE;
		if (s->tp_dst == 0 &&
		    (s->tp_src == htons(NDISC_NEIGHBOUR_SOLICITATION) ||
		     s->tp_src == htons(NDISC_NEIGHBOUR_ADVERTISEMENT))) {
			struct ovs_key_nd nd;

			memcpy(nd.nd_target, &v->nd_target, sizeof(nd.nd_target));
			memcpy(nd.nd_sll, v->arp_sha, ETH_ALEN);
			memcpy(nd.nd_tll, v->arp_tha, ETH_ALEN);
			if (nla_put(skb, OVS_KEY_ATTR_ND, sizeof(nd), &nd))
				return -EMSGSIZE;
		}
		break;
	}
	}
	return 0;
}

/**
 * vdp_key_to_attrs - emit a key or a mask as nested OVS_KEY_ATTR_*.
 * @skb: message being built
 * @attrtype: type of the nest (OVS_FLOW_ATTR_KEY, _MASK, ...)
 * @shape: key deciding which attributes appear (the flow's key)
 * @val: values to emit (the same key, or the mask)
 *
 * Return: 0 or -EMSGSIZE.
 */
int vdp_key_to_attrs(struct sk_buff *skb, int attrtype,
		     const struct vdp_key *shape, const struct vdp_key *val)
{
	struct ovs_key_ethernet eth;
	struct nlattr *nest, *encap = NULL;

	nest = nla_nest_start_noflag(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, OVS_KEY_ATTR_RECIRC_ID, val->recirc_id) ||
	    nla_put_u32(skb, OVS_KEY_ATTR_DP_HASH, val->dp_hash) ||
	    nla_put_u32(skb, OVS_KEY_ATTR_PRIORITY, val->priority))
		goto err;
	if (vdp_tun_present(&shape->tun) &&
	    vdp_tun_to_attr(skb, &shape->tun, &val->tun))
		goto err;
	if (nla_put_u32(skb, OVS_KEY_ATTR_IN_PORT, val->in_port) ||
	    nla_put_u32(skb, OVS_KEY_ATTR_SKB_MARK, val->skb_mark))
		goto err;
	memcpy(eth.eth_src, val->eth_src, ETH_ALEN);
	memcpy(eth.eth_dst, val->eth_dst, ETH_ALEN);
	if (nla_put(skb, OVS_KEY_ATTR_ETHERNET, sizeof(eth), &eth))
		goto err;
	if (shape->vlan_tci & htons(VLAN_CFI_MASK)) {
		if (nla_put_be16(skb, OVS_KEY_ATTR_ETHERTYPE, val->vlan_tpid) ||
		    nla_put_be16(skb, OVS_KEY_ATTR_VLAN, val->vlan_tci))
			goto err;
		encap = nla_nest_start_noflag(skb, OVS_KEY_ATTR_ENCAP);
		if (!encap)
			goto err;
	}
	if (shape->eth_type && vdp_put_l3l4(skb, shape, val))
		goto err;
	if (encap)
		nla_nest_end(skb, encap);
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}
