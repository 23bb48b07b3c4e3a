// SPDX-License-Identifier: GPL-2.0
/*
 * flow_key.c - extraction of a packet's flow key.
 *
 * Headers are read with skb_header_pointer() only, so the packet may be
 * non-linear, shared or cloned and is never modified, except for its
 * network and transport header offsets which the SET actions use later.
 * A header cut short leaves the fields it would have filled at zero.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "datapath.h"

static void vdp_extract_nd(struct sk_buff *skb, struct vdp_key *key, int off,
			   u8 type);

/* TCP flags as the 12 low bits of the 13th and 14th header bytes. */
static __be16 vdp_tcp_flags(const struct tcphdr *th)
{
	return *(const __be16 *)((const u8 *)th + 12) & htons(0x0fff);
}

static void vdp_extract_l4(struct sk_buff *skb, struct vdp_key *key,
			   int off, bool v6)
{
	skb_set_transport_header(skb, off);
	switch (key->ip_proto) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, off, sizeof(_th), &_th);
		if (th && th->doff >= 5) {
			key->tp_src = th->source;
			key->tp_dst = th->dest;
			key->tcp_flags = vdp_tcp_flags(th);
		}
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
		if (uh) {
			key->tp_src = uh->source;
			key->tp_dst = uh->dest;
		}
		break;
	}
	case IPPROTO_SCTP: {
		struct sctphdr _sh;
		const struct sctphdr *sh;

		sh = skb_header_pointer(skb, off, sizeof(_sh), &_sh);
		if (sh) {
			key->tp_src = sh->source;
			key->tp_dst = sh->dest;
		}
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		u8 _ic[2];
		const u8 *ic;

		if ((key->ip_proto == IPPROTO_ICMPV6) != v6)
			break;
		ic = skb_header_pointer(skb, off, sizeof(_ic), _ic);
		if (!ic)
			break;
		key->tp_src = htons(ic[0]);
		key->tp_dst = htons(ic[1]);
		if (v6 && ic[1] == 0 && (ic[0] == NDISC_NEIGHBOUR_SOLICITATION ||
					 ic[0] == NDISC_NEIGHBOUR_ADVERTISEMENT))
			vdp_extract_nd(skb, key, off, ic[0]);
		break;
	}
	}
}

/**
 * vdp_extract_nd - neighbour discovery target and link-layer options.
 * @skb: the packet
 * @key: key to fill
 * @off: offset of the ICMPv6 header
 * @type: ICMPv6 type (solicitation or advertisement)
 *
 * Options with a length other than 8 bytes or duplicated ones leave the
 * link-layer addresses at zero.  The walk is bounded by the packet length.
 */
static void vdp_extract_nd(struct sk_buff *skb, struct vdp_key *key, int off,
			   u8 type)
{
	struct in6_addr _t;
	const struct in6_addr *t;
	int opt = off + 8 + sizeof(struct in6_addr);
	int end = skb->len;
	int guard = 0;

	t = skb_header_pointer(skb, off + 8, sizeof(_t), &_t);
	if (!t)
		return;
	key->nd_target = *t;
	while (opt + 8 <= end && guard++ < 64) {
		u8 _o[8];
		const u8 *o = skb_header_pointer(skb, opt, 8, _o);

		if (!o || o[1] == 0)
			break;
		if (o[1] == 1) {
			if (o[0] == ND_OPT_SOURCE_LL_ADDR &&
			    type == NDISC_NEIGHBOUR_SOLICITATION &&
			    is_zero_ether_addr(key->arp_sha))
				ether_addr_copy(key->arp_sha, o + 2);
			else if (o[0] == ND_OPT_TARGET_LL_ADDR &&
				 type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
				 is_zero_ether_addr(key->arp_tha))
				ether_addr_copy(key->arp_tha, o + 2);
		}
		opt += o[1] * 8;
	}
}

static void vdp_extract_ipv4(struct sk_buff *skb, struct vdp_key *key, int off)
{
	struct iphdr _iph;
	const struct iphdr *iph;
	int ihl;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return;
	ihl = iph->ihl * 4;
	if (off + ihl > skb->len)
		return;
	key->addr.ipv4.src = iph->saddr;
	key->addr.ipv4.dst = iph->daddr;
	key->ip_proto = iph->protocol;
	key->ip_tos = iph->tos;
	key->ip_ttl = iph->ttl;
	if (iph->frag_off & htons(IP_OFFSET)) {
		key->ip_frag = OVS_FRAG_TYPE_LATER;
		return;
	}
	if (iph->frag_off & htons(IP_MF))
		key->ip_frag = OVS_FRAG_TYPE_FIRST;
	vdp_extract_l4(skb, key, off + ihl, false);
}

static void vdp_extract_ipv6(struct sk_buff *skb, struct vdp_key *key, int off)
{
	struct ipv6hdr _ip6;
	const struct ipv6hdr *ip6;
	__be16 frag_off = 0;
	u8 nexthdr;
	int l4;

	ip6 = skb_header_pointer(skb, off, sizeof(_ip6), &_ip6);
	if (!ip6 || ip6->version != 6)
		return;
	key->addr.ipv6.src = ip6->saddr;
	key->addr.ipv6.dst = ip6->daddr;
	key->ipv6_label = *(const __be32 *)ip6 & htonl(0x000fffff);
	key->ip_tos = ipv6_get_dsfield(ip6);
	key->ip_ttl = ip6->hop_limit;
	nexthdr = ip6->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr, &frag_off);
	if (l4 < 0)
		return;
	key->ip_proto = nexthdr;
	if (frag_off & htons(IP6_OFFSET)) {
		key->ip_frag = OVS_FRAG_TYPE_LATER;
		return;
	}
	if (frag_off & htons(IP6_MF))
		key->ip_frag = OVS_FRAG_TYPE_FIRST;
	vdp_extract_l4(skb, key, l4, true);
}

static void vdp_extract_arp(struct sk_buff *skb, struct vdp_key *key, int off)
{
	struct {
		struct arphdr h;
		u8 sha[ETH_ALEN];
		__be32 sip;
		u8 tha[ETH_ALEN];
		__be32 tip;
	} __packed _a;
	const typeof(_a) *a;

	a = skb_header_pointer(skb, off, sizeof(_a), &_a);
	if (!a || a->h.ar_hrd != htons(ARPHRD_ETHER) ||
	    a->h.ar_pro != htons(ETH_P_IP) || a->h.ar_hln != ETH_ALEN ||
	    a->h.ar_pln != 4)
		return;
	key->arp_op = a->h.ar_op;
	key->addr.ipv4.src = a->sip;
	key->addr.ipv4.dst = a->tip;
	ether_addr_copy(key->arp_sha, a->sha);
	ether_addr_copy(key->arp_tha, a->tha);
}

/**
 * vdp_key_extract - fill the packet fields of a flow key.
 * @skb: packet whose data starts at its Ethernet header
 * @key: key whose metadata the caller set; the rest must be zero
 *
 * Sets the skb's MAC, network and transport header offsets.
 *
 * Return: 0, or -EINVAL if the packet is shorter than an Ethernet header.
 */
int vdp_key_extract(struct sk_buff *skb, struct vdp_key *key)
{
	struct ethhdr _eth;
	const struct ethhdr *eth;
	__be16 proto;
	int off = ETH_HLEN;

	skb_reset_mac_header(skb);
	eth = skb_header_pointer(skb, 0, sizeof(_eth), &_eth);
	if (!eth)
		return -EINVAL;
	ether_addr_copy(key->eth_src, eth->h_source);
	ether_addr_copy(key->eth_dst, eth->h_dest);
	proto = eth->h_proto;

	if (skb_vlan_tag_present(skb)) {
		key->vlan_tci = htons(skb_vlan_tag_get(skb) | VLAN_CFI_MASK);
		key->vlan_tpid = skb->vlan_proto;
	} else if (eth_type_vlan(proto)) {
		struct vlan_hdr _vh;
		const struct vlan_hdr *vh;

		vh = skb_header_pointer(skb, off, sizeof(_vh), &_vh);
		if (!vh) {
			key->eth_type = proto;
			return 0;
		}
		key->vlan_tci = vh->h_vlan_TCI | htons(VLAN_CFI_MASK);
		key->vlan_tpid = proto;
		proto = vh->h_vlan_encapsulated_proto;
		off += VLAN_HLEN;
	}
	if (ntohs(proto) < ETH_P_802_3_MIN)
		proto = htons(ETH_P_802_2);
	key->eth_type = proto;
	skb_set_network_header(skb, off);
	skb_reset_mac_len(skb);

	switch (ntohs(proto)) {
	case ETH_P_IP:
		vdp_extract_ipv4(skb, key, off);
		break;
	case ETH_P_IPV6:
		vdp_extract_ipv6(skb, key, off);
		break;
	case ETH_P_ARP:
	case ETH_P_RARP:
		vdp_extract_arp(skb, key, off);
		break;
	}
	return 0;
}
