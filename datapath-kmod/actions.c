// SPDX-License-Identifier: GPL-2.0
/*
 * actions.c - applying a validated action list to a packet.
 *
 * Runs with rcu_read_lock() held and bottom halves disabled.  Every list
 * consumes the skb it is given.  An OUTPUT that is not the last action
 * sends a clone; header rewrites make the packet data private first
 * (skb_ensure_writable), so earlier clones never see later changes.
 * Nested lists (clone, sample, check_pkt_len) run on a clone with a copy
 * of the key, or on the packet itself when they are the last action; their
 * depth is bounded by validation.  RECIRC queues the packet on a bounded
 * per-CPU FIFO that the outermost datapath entry drains, so recirculation
 * never recurses.  The list run is the prepared copy of
 * vdp_actions_build(): set(tunnel(...)) attaches a prebuilt metadata dst.
 */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/dsfield.h>
#include <net/dst_metadata.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "datapath.h"

struct vdp_deferred {
	struct sk_buff *skb;		/* packet to recirculate */
	struct vdp_key key;		/* its key, recirc_id set */
};

struct vdp_deferred_fifo {
	unsigned int head;		/* next to run */
	unsigned int tail;		/* next free */
	struct vdp_deferred items[VDP_DEFERRED_MAX];
};

static DEFINE_PER_CPU(struct vdp_deferred_fifo, vdp_fifo);

static const u8 vdp_all_ones[sizeof(struct ovs_key_ipv6)] = {
	[0 ... sizeof(struct ovs_key_ipv6) - 1] = 0xff
};

static void vdp_defer(struct vdp_datapath *dp, struct sk_buff *skb,
		      const struct vdp_key *key, u32 recirc_id)
{
	struct vdp_deferred_fifo *f = this_cpu_ptr(&vdp_fifo);
	struct vdp_deferred *d;

	if (f->tail - f->head >= VDP_DEFERRED_MAX) {
		net_warn_ratelimited("vswitch_dp: %s: recirculation queue full, packet dropped\n",
				     dp->name);
		kfree_skb(skb);
		return;
	}
	d = &f->items[f->tail++ % VDP_DEFERRED_MAX];
	d->skb = skb;
	d->key = *key;
	d->key.recirc_id = recirc_id;
}

/**
 * vdp_deferred_drain - run the recirculations queued on this CPU.
 * @dp: datapath they belong to
 *
 * Recirculated packets go through the flow table again with their key
 * re-extracted (the actions may have changed headers) but the metadata
 * kept.  New recirculations join the queue; the total is bounded by the
 * queue size.
 */
void vdp_deferred_drain(struct vdp_datapath *dp)
{
	struct vdp_deferred_fifo *f = this_cpu_ptr(&vdp_fifo);

	while (f->head != f->tail) {
		struct vdp_deferred *d = &f->items[f->head++ % VDP_DEFERRED_MAX];
		struct sk_buff *skb = d->skb;
		struct vdp_key key = {};

		key.tun = d->key.tun;
		key.in_port = d->key.in_port;
		key.priority = d->key.priority;
		key.skb_mark = d->key.skb_mark;
		key.recirc_id = d->key.recirc_id;
		key.dp_hash = d->key.dp_hash;
		if (vdp_key_extract(skb, &key)) {
			kfree_skb(skb);
			continue;
		}
		vdp_dp_process(dp, skb, &key);
	}
	f->head = 0;
	f->tail = 0;
}

static void vdp_do_output(struct vdp_datapath *dp, struct sk_buff *skb,
			  u32 port_no, u32 cutlen)
{
	struct vdp_vport *vport = vdp_port_rcu(dp, port_no);

	if (!vport) {
		kfree_skb(skb);
		return;
	}
	if (cutlen && cutlen < skb->len && pskb_trim(skb, cutlen)) {
		kfree_skb(skb);
		return;
	}
	vdp_vport_send(vport, skb);
}

/* ---- header rewrites ---------------------------------------------------- */

static void vdp_mask_bytes(u8 *dst, const u8 *val, const u8 *mask, int n)
{
	int i;

	for (i = 0; i < n; i++)
		dst[i] = (dst[i] & ~mask[i]) | (val[i] & mask[i]);
}

static int vdp_set_eth(struct sk_buff *skb, struct vdp_key *key,
		       const struct ovs_key_ethernet *v,
		       const struct ovs_key_ethernet *m)
{
	struct ethhdr *eth;
	int err;

	err = skb_ensure_writable(skb, ETH_HLEN);
	if (err)
		return err;
	eth = (struct ethhdr *)skb->data;
	skb_postpull_rcsum(skb, eth, 2 * ETH_ALEN);
	vdp_mask_bytes(eth->h_source, v->eth_src, m->eth_src, ETH_ALEN);
	vdp_mask_bytes(eth->h_dest, v->eth_dst, m->eth_dst, ETH_ALEN);
	skb_postpush_rcsum(skb, eth, 2 * ETH_ALEN);
	ether_addr_copy(key->eth_src, eth->h_source);
	ether_addr_copy(key->eth_dst, eth->h_dest);
	return 0;
}

/* Make the transport header writable; NULL if absent or cut short. */
static void *vdp_l4_writable(struct sk_buff *skb, const struct vdp_key *key,
			     u8 proto, int hlen)
{
	if (key->ip_proto != proto || key->ip_frag == OVS_FRAG_TYPE_LATER ||
	    !skb_transport_header_was_set(skb))
		return NULL;
	if (skb_transport_offset(skb) + hlen > skb->len ||
	    skb_ensure_writable(skb, skb_transport_offset(skb) + hlen))
		return NULL;
	return skb_transport_header(skb);
}

/* Fix the L4 checksum for a change of a pseudo-header address. */
static void vdp_l4_addr_changed(struct sk_buff *skb, const struct vdp_key *key,
				__be32 *from, const __be32 *to, bool v6)
{
	struct tcphdr *th;
	struct udphdr *uh;
	__sum16 *check;

	th = vdp_l4_writable(skb, key, IPPROTO_TCP, sizeof(*th));
	if (th) {
		check = &th->check;
		goto fix;
	}
	uh = vdp_l4_writable(skb, key, IPPROTO_UDP, sizeof(*uh));
	if (uh) {
		if (!uh->check && skb->ip_summed != CHECKSUM_PARTIAL)
			return;
		check = &uh->check;
		if (v6)
			inet_proto_csum_replace16(check, skb, from, to, true);
		else
			inet_proto_csum_replace4(check, skb, *from, *to, true);
		if (!*check)
			*check = CSUM_MANGLED_0;
		return;
	}
	if (v6) {
		u8 *ic = vdp_l4_writable(skb, key, IPPROTO_ICMPV6, 4);

		if (ic)
			inet_proto_csum_replace16((__sum16 *)(ic + 2), skb, from,
						  to, true);
	}
	return;
fix:
	if (v6)
		inet_proto_csum_replace16(check, skb, from, to, true);
	else
		inet_proto_csum_replace4(check, skb, *from, *to, true);
}

static int vdp_set_ipv4(struct sk_buff *skb, struct vdp_key *key,
			const struct ovs_key_ipv4 *v,
			const struct ovs_key_ipv4 *m)
{
	int off = skb_network_offset(skb);
	struct iphdr *iph;
	__be32 addr, old;
	int err;

	if (key->eth_type != htons(ETH_P_IP))
		return 0;	/* not an IPv4 packet: nothing to do */
	err = skb_ensure_writable(skb, off + sizeof(*iph));
	if (err)
		return err;
	iph = ip_hdr(skb);
	if (iph->version != 4 || iph->ihl < 5)
		return 0;
	if (skb_ensure_writable(skb, off + iph->ihl * 4))
		return -EINVAL;
	iph = ip_hdr(skb);

	addr = (iph->saddr & ~m->ipv4_src) | (v->ipv4_src & m->ipv4_src);
	if (addr != iph->saddr) {
		old = iph->saddr;
		vdp_l4_addr_changed(skb, key, &old, &addr, false);
		iph = ip_hdr(skb);
		iph->saddr = addr;
		key->addr.ipv4.src = addr;
	}
	addr = (iph->daddr & ~m->ipv4_dst) | (v->ipv4_dst & m->ipv4_dst);
	if (addr != iph->daddr) {
		old = iph->daddr;
		vdp_l4_addr_changed(skb, key, &old, &addr, false);
		iph = ip_hdr(skb);
		iph->daddr = addr;
		key->addr.ipv4.dst = addr;
	}
	iph->tos = (iph->tos & ~m->ipv4_tos) | (v->ipv4_tos & m->ipv4_tos);
	iph->ttl = (iph->ttl & ~m->ipv4_ttl) | (v->ipv4_ttl & m->ipv4_ttl);
	key->ip_tos = iph->tos;
	key->ip_ttl = iph->ttl;
	ip_send_check(iph);
	skb_clear_hash(skb);
	return 0;
}

static int vdp_set_ipv6(struct sk_buff *skb, struct vdp_key *key,
			const struct ovs_key_ipv6 *v,
			const struct ovs_key_ipv6 *m)
{
	int off = skb_network_offset(skb);
	struct ipv6hdr *ip6;
	__be32 addr[4], old[4], *lbl;
	int err, i;

	if (key->eth_type != htons(ETH_P_IPV6))
		return 0;
	err = skb_ensure_writable(skb, off + sizeof(*ip6));
	if (err)
		return err;
	ip6 = ipv6_hdr(skb);
	if (ip6->version != 6)
		return 0;

	for (i = 0; i < 4; i++)
		addr[i] = (ip6->saddr.s6_addr32[i] & ~m->ipv6_src[i]) |
			  (v->ipv6_src[i] & m->ipv6_src[i]);
	if (memcmp(addr, &ip6->saddr, sizeof(addr))) {
		memcpy(old, &ip6->saddr, sizeof(old));
		vdp_l4_addr_changed(skb, key, old, addr, true);
		ip6 = ipv6_hdr(skb);
		memcpy(&ip6->saddr, addr, sizeof(addr));
		memcpy(&key->addr.ipv6.src, addr, sizeof(addr));
	}
	for (i = 0; i < 4; i++)
		addr[i] = (ip6->daddr.s6_addr32[i] & ~m->ipv6_dst[i]) |
			  (v->ipv6_dst[i] & m->ipv6_dst[i]);
	if (memcmp(addr, &ip6->daddr, sizeof(addr))) {
		memcpy(old, &ip6->daddr, sizeof(old));
		vdp_l4_addr_changed(skb, key, old, addr, true);
		ip6 = ipv6_hdr(skb);
		memcpy(&ip6->daddr, addr, sizeof(addr));
		memcpy(&key->addr.ipv6.dst, addr, sizeof(addr));
	}
	if (m->ipv6_tclass) {
		ipv6_change_dsfield(ip6, ~m->ipv6_tclass,
				    v->ipv6_tclass & m->ipv6_tclass);
		key->ip_tos = ipv6_get_dsfield(ip6);
	}
	if (m->ipv6_label & htonl(0x000fffff)) {
		__be32 lm = m->ipv6_label & htonl(0x000fffff);

		lbl = (__be32 *)ip6;
		*lbl = (*lbl & ~lm) | (v->ipv6_label & lm);
		key->ipv6_label = *lbl & htonl(0x000fffff);
	}
	ip6->hop_limit = (ip6->hop_limit & ~m->ipv6_hlimit) |
			 (v->ipv6_hlimit & m->ipv6_hlimit);
	key->ip_ttl = ip6->hop_limit;
	skb_clear_hash(skb);
	return 0;
}

static int vdp_set_ports(struct sk_buff *skb, struct vdp_key *key, u8 proto,
			 const __be16 *v, const __be16 *m)
{
	__be16 *ports, np;
	__sum16 *check;
	bool udp = proto == IPPROTO_UDP;
	int i;

	ports = vdp_l4_writable(skb, key, proto,
				udp ? sizeof(struct udphdr) : sizeof(struct tcphdr));
	if (!ports)
		return 0;
	check = udp ? &((struct udphdr *)ports)->check :
		      &((struct tcphdr *)ports)->check;
	for (i = 0; i < 2; i++) {
		np = (ports[i] & ~m[i]) | (v[i] & m[i]);
		if (np == ports[i])
			continue;
		if (!udp || *check || skb->ip_summed == CHECKSUM_PARTIAL) {
			inet_proto_csum_replace2(check, skb, ports[i], np, false);
			if (udp && !*check)
				*check = CSUM_MANGLED_0;
		}
		ports[i] = np;
	}
	key->tp_src = ports[0];
	key->tp_dst = ports[1];
	skb_clear_hash(skb);
	return 0;
}

static int vdp_set(struct sk_buff *skb, struct vdp_key *key,
		   const struct nlattr *a, bool masked)
{
	const struct nlattr *ka = nla_data(a);
	const void *v = nla_data(ka);
	const void *m = masked ? v + nla_len(ka) / 2 : (const void *)vdp_all_ones;

	switch (nla_type(ka)) {
	case OVS_KEY_ATTR_PRIORITY:
		skb->priority = (skb->priority & ~*(const u32 *)m) |
				(*(const u32 *)v & *(const u32 *)m);
		key->priority = skb->priority;
		return 0;
	case OVS_KEY_ATTR_SKB_MARK:
		skb->mark = (skb->mark & ~*(const u32 *)m) |
			    (*(const u32 *)v & *(const u32 *)m);
		key->skb_mark = skb->mark;
		return 0;
	case OVS_KEY_ATTR_ETHERNET:
		return vdp_set_eth(skb, key, v, m);
	case OVS_KEY_ATTR_IPV4:
		return vdp_set_ipv4(skb, key, v, m);
	case OVS_KEY_ATTR_IPV6:
		return vdp_set_ipv6(skb, key, v, m);
	case OVS_KEY_ATTR_TCP:
		return vdp_set_ports(skb, key, IPPROTO_TCP, v, m);
	case OVS_KEY_ATTR_UDP:
		return vdp_set_ports(skb, key, IPPROTO_UDP, v, m);
	}
	return -EINVAL;
}

/* ---- the interpreter ---------------------------------------------------- */

struct vdp_exec_ctx {
	struct vdp_datapath *dp;	/* datapath */
	const struct nlattr *all;	/* the flow's whole action list */
	int all_len;			/* its length */
};

static void vdp_exec_list(struct vdp_exec_ctx *ctx, struct sk_buff *skb,
			  struct vdp_key *key, const struct nlattr *attr,
			  int len);

/* Run a nested list on the packet itself (last) or on a clone. */
static void vdp_exec_nested(struct vdp_exec_ctx *ctx, struct sk_buff *skb,
			    const struct vdp_key *key,
			    const struct nlattr *list, bool last)
{
	struct vdp_key copy = *key;
	struct sk_buff *c = last ? skb : skb_clone(skb, GFP_ATOMIC);

	if (!c)
		return;
	vdp_exec_list(ctx, c, &copy, nla_data(list), nla_len(list));
}

static const struct nlattr *vdp_nested_get(const struct nlattr *a, int type)
{
	const struct nlattr *n;
	int rem;

	nla_for_each_nested(n, a, rem)
		if (nla_type(n) == type)
			return n;
	return NULL;
}

/*
 * The socket a userspace() action's packet goes to: with per-CPU dispatch,
 * this CPU's handler, whatever the action says (as openvswitch.ko does:
 * the daemon's handler sockets are the CPU's, not the port's).
 */
static u32 vdp_action_portid(const struct vdp_datapath *dp, u32 pid)
{
	const struct vdp_pids *cpu_pids;

	if (!(dp->user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU))
		return pid;
	cpu_pids = rcu_dereference(dp->cpu_pids);
	if (!cpu_pids || !cpu_pids->n)
		return pid;
	return cpu_pids->ids[smp_processor_id() % cpu_pids->n];
}

static void vdp_exec_userspace(struct vdp_exec_ctx *ctx, struct sk_buff *skb,
			       const struct vdp_key *key,
			       const struct nlattr *a, u32 cutlen)
{
	struct vdp_upcall_info info = { .cmd = OVS_PACKET_CMD_ACTION };
	const struct nlattr *n;
	int rem;

	nla_for_each_nested(n, a, rem) {
		switch (nla_type(n)) {
		case OVS_USERSPACE_ATTR_PID:
			info.portid = vdp_action_portid(ctx->dp, nla_get_u32(n));
			break;
		case OVS_USERSPACE_ATTR_USERDATA:
			info.userdata = n;
			break;
		case OVS_USERSPACE_ATTR_ACTIONS:
			info.actions = ctx->all;
			info.actions_len = ctx->all_len;
			break;
		}
	}
	if (cutlen && cutlen < skb->len)
		info.cutlen = skb->len - cutlen;
	vdp_upcall(ctx->dp, skb, key, &info);
}

static void vdp_exec_list(struct vdp_exec_ctx *ctx, struct sk_buff *skb,
			  struct vdp_key *key, const struct nlattr *attr,
			  int len)
{
	const struct nlattr *a;
	u32 cutlen = 0;
	int rem;

	for (a = attr, rem = len; rem > 0; a = nla_next(a, &rem)) {
		bool last = nla_is_last(a, rem);
		struct sk_buff *c;

		switch (nla_type(a)) {
		case OVS_ACTION_ATTR_OUTPUT:
			if (last) {
				vdp_do_output(ctx->dp, skb, nla_get_u32(a), cutlen);
				return;
			}
			c = skb_clone(skb, GFP_ATOMIC);
			if (c)
				vdp_do_output(ctx->dp, c, nla_get_u32(a), cutlen);
			cutlen = 0;
			break;
		case OVS_ACTION_ATTR_USERSPACE:
			vdp_exec_userspace(ctx, skb, key, a, cutlen);
			cutlen = 0;
			break;
		case OVS_ACTION_ATTR_TRUNC:
			cutlen = ((const struct ovs_action_trunc *)nla_data(a))->max_len;
			break;
		case VDP_ACTION_ATTR_TUN_MD: {
			struct metadata_dst *md;

			/* set(tunnel(...)): the flow's prebuilt dst. */
			memcpy(&md, nla_data(a), sizeof(md));
			dst_hold(&md->dst);
			skb_dst_drop(skb);
			skb_dst_set(skb, &md->dst);
			break;
		}
		case OVS_ACTION_ATTR_SET:
		case OVS_ACTION_ATTR_SET_MASKED:
			if (vdp_set(skb, key, a,
				    nla_type(a) == OVS_ACTION_ATTR_SET_MASKED))
				goto drop;
			break;
		case OVS_ACTION_ATTR_PUSH_VLAN: {
			const struct ovs_action_push_vlan *v = nla_data(a);

			if (skb_vlan_push(skb, v->vlan_tpid,
					  ntohs(v->vlan_tci) & ~VLAN_CFI_MASK))
				goto drop;
			key->vlan_tci = v->vlan_tci;
			key->vlan_tpid = v->vlan_tpid;
			break;
		}
		case OVS_ACTION_ATTR_POP_VLAN:
			if (skb_vlan_pop(skb))
				goto drop;
			key->vlan_tci = 0;
			key->vlan_tpid = 0;
			if (skb_vlan_tag_present(skb)) {
				key->vlan_tci = htons(skb_vlan_tag_get(skb) |
						      VLAN_CFI_MASK);
				key->vlan_tpid = skb->vlan_proto;
			}
			break;
		case OVS_ACTION_ATTR_CT_CLEAR:
			nf_reset_ct(skb);
			break;
		case OVS_ACTION_ATTR_HASH: {
			const struct ovs_action_hash *h = nla_data(a);
			u32 hash = jhash_1word(skb_get_hash(skb), h->hash_basis);

			key->dp_hash = hash ? hash : 1;
			break;
		}
		case OVS_ACTION_ATTR_RECIRC:
			if (last) {
				vdp_defer(ctx->dp, skb, key, nla_get_u32(a));
				return;
			}
			c = skb_clone(skb, GFP_ATOMIC);
			if (c)
				vdp_defer(ctx->dp, c, key, nla_get_u32(a));
			break;
		case OVS_ACTION_ATTR_SAMPLE: {
			const struct nlattr *p, *acts;
			u32 prob;

			p = vdp_nested_get(a, OVS_SAMPLE_ATTR_PROBABILITY);
			acts = vdp_nested_get(a, OVS_SAMPLE_ATTR_ACTIONS);
			prob = nla_get_u32(p);
			if (prob != U32_MAX && get_random_u32() > prob) {
				if (last)
					goto drop_quiet;
				break;
			}
			vdp_exec_nested(ctx, skb, key, acts, last);
			if (last)
				return;
			break;
		}
		case OVS_ACTION_ATTR_CLONE:
			vdp_exec_nested(ctx, skb, key, a, last);
			if (last)
				return;
			break;
		case OVS_ACTION_ATTR_CHECK_PKT_LEN: {
			const struct nlattr *l;
			u16 max;

			l = vdp_nested_get(a, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN);
			max = nla_get_u16(l);
			l = vdp_nested_get(a, skb->len > max ?
				OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER :
				OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
			vdp_exec_nested(ctx, skb, key, l, last);
			if (last)
				return;
			break;
		}
		}
	}
drop_quiet:
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

/**
 * vdp_execute_actions - apply an action list to a packet; consumes @skb.
 * @dp: datapath
 * @skb: packet, data at its Ethernet header
 * @key: its key, updated as actions change the packet
 * @acts: actions of vdp_actions_build(); their prepared copy runs
 *
 * Caller holds rcu_read_lock() with bottom halves disabled.
 */
void vdp_execute_actions(struct vdp_datapath *dp, struct sk_buff *skb,
			 struct vdp_key *key, const struct vdp_actions *acts)
{
	struct vdp_exec_ctx ctx = {
		.dp = dp, .all = acts->data, .all_len = acts->len,
	};

	if (!acts->len) {
		consume_skb(skb);
		return;
	}
	vdp_exec_list(&ctx, skb, key, acts->exec, acts->len);
}
