// SPDX-License-Identifier: GPL-2.0
/*
 * action_attrs.c - validation of OVS_ACTION_ATTR_* lists.
 *
 * A list is validated once, when a flow is installed or a packet executed;
 * the packet path then walks it without further length checks.  The
 * kernel keeps two copies (struct vdp_actions): the list as given, and one
 * whose set(tunnel(...)) actions carry a prebuilt metadata dst.  Every
 * action this datapath does not implement is refused with -EOPNOTSUPP and
 * an extack message, so userspace's probes disable the feature.
 */
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/netlink.h>

#include "datapath.h"

static const struct nla_policy vdp_userspace_policy[OVS_USERSPACE_ATTR_MAX + 1] = {
	[OVS_USERSPACE_ATTR_PID] = { .type = NLA_U32 },
	[OVS_USERSPACE_ATTR_USERDATA] = { .type = NLA_BINARY },
	[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = { .type = NLA_U32 },
	[OVS_USERSPACE_ATTR_ACTIONS] = { .type = NLA_FLAG },
};

static const struct nla_policy vdp_sample_policy[OVS_SAMPLE_ATTR_MAX + 1] = {
	[OVS_SAMPLE_ATTR_PROBABILITY] = { .type = NLA_U32 },
	[OVS_SAMPLE_ATTR_ACTIONS] = { .type = NLA_NESTED },
};

static const struct nla_policy vdp_cpl_policy[OVS_CHECK_PKT_LEN_ATTR_MAX + 1] = {
	[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = { .type = NLA_U16 },
	[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = { .type = NLA_NESTED },
	[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL] = { .type = NLA_NESTED },
};

/* Size of the value of a key attribute that SET/SET_MASKED may carry. */
static int vdp_settable_size(int type)
{
	switch (type) {
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK:
		return sizeof(u32);
	case OVS_KEY_ATTR_ETHERNET:
		return sizeof(struct ovs_key_ethernet);
	case OVS_KEY_ATTR_IPV4:
		return sizeof(struct ovs_key_ipv4);
	case OVS_KEY_ATTR_IPV6:
		return sizeof(struct ovs_key_ipv6);
	case OVS_KEY_ATTR_TCP:
		return sizeof(struct ovs_key_tcp);
	case OVS_KEY_ATTR_UDP:
		return sizeof(struct ovs_key_udp);
	default:
		return -1;
	}
}

/* Whether the value of a masked set (@size bytes, the mask follows) sets no
 * bit that its mask leaves alone.
 */
static bool vdp_value_within_mask(const u8 *value, int size)
{
	const u8 *mask = value + size;
	int i;

	for (i = 0; i < size; i++)
		if (value[i] & ~mask[i])
			return false;
	return true;
}

/*
 * The IP protocol and fragment type are not writable: a masked set() must
 * leave them out of its mask, and a plain set() must repeat the flow's.
 * Only the low 20 bits of an IPv6 flow label exist.
 */
static int vdp_validate_set_ipv4(const struct nlattr *a, const struct ovs_key_ipv4 *v,
				 bool masked, const struct vdp_key *key,
				 struct netlink_ext_ack *extack)
{
	const struct ovs_key_ipv4 *m = v + 1;

	if (key->eth_type != htons(ETH_P_IP)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set(ipv4) on a flow that is not IPv4");
		return -EINVAL;
	}
	if (masked && (m->ipv4_proto || m->ipv4_frag)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set(ipv4) may not mask ipv4_proto or ipv4_frag: they are not writable");
		return -EINVAL;
	}
	if (!masked && (v->ipv4_proto != key->ip_proto ||
			v->ipv4_frag != key->ip_frag)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set(ipv4) must keep the flow's ipv4_proto and ipv4_frag");
		return -EINVAL;
	}
	return 0;
}

static int vdp_validate_set_ipv6(const struct nlattr *a, const struct ovs_key_ipv6 *v,
				 bool masked, const struct vdp_key *key,
				 struct netlink_ext_ack *extack)
{
	const struct ovs_key_ipv6 *m = v + 1;

	if (key->eth_type != htons(ETH_P_IPV6)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set(ipv6) on a flow that is not IPv6");
		return -EINVAL;
	}
	if (masked && (m->ipv6_proto || m->ipv6_frag)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set(ipv6) may not mask ipv6_proto or ipv6_frag: they are not writable");
		return -EINVAL;
	}
	if (masked && (m->ipv6_label & ~htonl(0x000fffff))) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set(ipv6) label mask has bits above the low 20");
		return -EINVAL;
	}
	if (!masked && (v->ipv6_proto != key->ip_proto ||
			v->ipv6_frag != key->ip_frag)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set(ipv6) must keep the flow's ipv6_proto and ipv6_frag");
		return -EINVAL;
	}
	if (v->ipv6_label & ~htonl(0x000fffff)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set(ipv6) label has bits above the low 20");
		return -EINVAL;
	}
	return 0;
}

static int vdp_validate_set(const struct nlattr *a, bool masked,
			    const struct vdp_key *key,
			    struct netlink_ext_ack *extack)
{
	const struct nlattr *ka = nla_data(a);
	int size;

	if (nla_len(a) < NLA_HDRLEN || !nla_ok(ka, nla_len(a)) ||
	    nla_total_size(nla_len(ka)) != nla_len(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set() must hold exactly one key attribute");
		return -EINVAL;
	}
	size = vdp_settable_size(nla_type(ka));
	if (size < 0) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set() of this field is not supported (eth, ipv4, ipv6, tcp, udp, priority, skb_mark are)");
		return -EOPNOTSUPP;
	}
	if (nla_len(ka) != (masked ? 2 * size : size)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set() value has the wrong size");
		return -EINVAL;
	}
	if (masked && !vdp_value_within_mask(nla_data(ka), size)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "set_masked() value has bits outside its mask");
		return -EINVAL;
	}
	switch (nla_type(ka)) {
	case OVS_KEY_ATTR_IPV4:
		return vdp_validate_set_ipv4(a, nla_data(ka), masked, key, extack);
	case OVS_KEY_ATTR_IPV6:
		return vdp_validate_set_ipv6(a, nla_data(ka), masked, key, extack);
	default:
		return 0;
	}
}

static int vdp_validate_list(const struct nlattr *attr, int depth,
			     const struct vdp_key *key,
			     struct netlink_ext_ack *extack);

static int vdp_validate_nested_list(const struct nlattr *attr, int depth,
				    const struct vdp_key *key,
				    struct netlink_ext_ack *extack)
{
	if (depth >= VDP_MAX_ACTION_DEPTH) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "actions nested too deeply");
		return -EINVAL;
	}
	return vdp_validate_list(attr, depth + 1, key, extack);
}

static int vdp_validate_one(const struct nlattr *a, int depth,
			    const struct vdp_key *key,
			    struct netlink_ext_ack *extack)
{
	int len = nla_len(a);
	int err;

	switch (nla_type(a)) {
	case OVS_ACTION_ATTR_OUTPUT:
		/* A port that does not exist (yet) drops the packet. */
		if (len != sizeof(u32))
			goto bad_len;
		return 0;
	case OVS_ACTION_ATTR_USERSPACE: {
		struct nlattr *u[OVS_USERSPACE_ATTR_MAX + 1];

		err = nla_parse_deprecated_strict(u, OVS_USERSPACE_ATTR_MAX, nla_data(a),
						  nla_len(a), vdp_userspace_policy, extack);
		if (err)
			return err;
		if (!u[OVS_USERSPACE_ATTR_PID] ||
		    !nla_get_u32(u[OVS_USERSPACE_ATTR_PID])) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "userspace() needs a nonzero pid");
			return -EINVAL;
		}
		return 0;
	}
	case OVS_ACTION_ATTR_SET:
		if (vdp_tun_is_set_tunnel(a))
			return vdp_tun_validate_set(a, extack);
		return vdp_validate_set(a, false, key, extack);
	case OVS_ACTION_ATTR_SET_MASKED:
		return vdp_validate_set(a, true, key, extack);
	case OVS_ACTION_ATTR_PUSH_VLAN: {
		const struct ovs_action_push_vlan *v;

		if (len != sizeof(*v))
			goto bad_len;
		v = nla_data(a);
		if (!eth_type_vlan(v->vlan_tpid) ||
		    !(v->vlan_tci & htons(VLAN_CFI_MASK))) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "push_vlan needs an 802.1Q/802.1ad TPID and the present bit");
			return -EINVAL;
		}
		return 0;
	}
	case OVS_ACTION_ATTR_POP_VLAN:
		if (len)
			goto bad_len;
		return 0;
	case OVS_ACTION_ATTR_RECIRC:
		if (len != sizeof(u32))
			goto bad_len;
		return 0;
	case OVS_ACTION_ATTR_HASH: {
		const struct ovs_action_hash *h;

		if (len != sizeof(*h))
			goto bad_len;
		h = nla_data(a);
		if (h->hash_alg != OVS_HASH_ALG_L4) {
			/* EINVAL: ovs-vswitchd's probe expects it (no warning). */
			NL_SET_ERR_MSG_ATTR(extack, a, "only the L4 hash is supported");
			return -EINVAL;
		}
		return 0;
	}
	case OVS_ACTION_ATTR_TRUNC: {
		const struct ovs_action_trunc *t;

		if (len != sizeof(*t))
			goto bad_len;
		t = nla_data(a);
		if (t->max_len < ETH_HLEN) {
			NL_SET_ERR_MSG_ATTR(extack, a, "trunc below the Ethernet header");
			return -EINVAL;
		}
		return 0;
	}
	case OVS_ACTION_ATTR_SAMPLE: {
		struct nlattr *s[OVS_SAMPLE_ATTR_MAX + 1];

		err = nla_parse_deprecated_strict(s, OVS_SAMPLE_ATTR_MAX, nla_data(a),
						  nla_len(a), vdp_sample_policy, extack);
		if (err)
			return err;
		if (!s[OVS_SAMPLE_ATTR_PROBABILITY] ||
		    !s[OVS_SAMPLE_ATTR_ACTIONS]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "sample() needs a probability and actions");
			return -EINVAL;
		}
		return vdp_validate_nested_list(s[OVS_SAMPLE_ATTR_ACTIONS],
						depth, key, extack);
	}
	case OVS_ACTION_ATTR_CLONE:
		return vdp_validate_nested_list(a, depth, key, extack);
	case OVS_ACTION_ATTR_CHECK_PKT_LEN: {
		struct nlattr *c[OVS_CHECK_PKT_LEN_ATTR_MAX + 1];

		err = nla_parse_deprecated_strict(c, OVS_CHECK_PKT_LEN_ATTR_MAX, nla_data(a),
						  nla_len(a), vdp_cpl_policy, extack);
		if (err)
			return err;
		if (!c[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
		    !c[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] ||
		    !c[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "check_pkt_len() needs a length and both action lists");
			return -EINVAL;
		}
		err = vdp_validate_nested_list(c[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER],
					       depth, key, extack);
		if (err)
			return err;
		return vdp_validate_nested_list(c[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL],
						depth, key, extack);
	}
	case OVS_ACTION_ATTR_PUSH_MPLS:
	case OVS_ACTION_ATTR_POP_MPLS:
	case OVS_ACTION_ATTR_ADD_MPLS:
		NL_SET_ERR_MSG_ATTR(extack, a, "MPLS actions are not supported");
		return -EINVAL;
	case OVS_ACTION_ATTR_CT_CLEAR:
		/* Drops whatever conntrack state the packet came with. */
		if (len)
			goto bad_len;
		return 0;
	case OVS_ACTION_ATTR_CT:
		NL_SET_ERR_MSG_ATTR(extack, a, "connection tracking is not supported");
		return -EOPNOTSUPP;
	case OVS_ACTION_ATTR_PUSH_ETH:
	case OVS_ACTION_ATTR_POP_ETH:
		NL_SET_ERR_MSG_ATTR(extack, a, "only Ethernet packets are supported");
		return -EOPNOTSUPP;
	case OVS_ACTION_ATTR_PUSH_NSH:
	case OVS_ACTION_ATTR_POP_NSH:
		NL_SET_ERR_MSG_ATTR(extack, a, "NSH is not supported");
		return -EOPNOTSUPP;
	case OVS_ACTION_ATTR_METER:
		NL_SET_ERR_MSG_ATTR(extack, a, "meters are not supported");
		return -EOPNOTSUPP;
	default:
		NL_SET_ERR_MSG_ATTR(extack, a, "unknown or unsupported action");
		return -EINVAL;
	}

bad_len:
	NL_SET_ERR_MSG_ATTR(extack, a, "action has the wrong size");
	return -EINVAL;
}

static int vdp_validate_list(const struct nlattr *attr, int depth,
			     const struct vdp_key *key,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, attr, rem) {
		err = vdp_validate_one(a, depth, key, extack);
		if (err)
			return err;
	}
	if (rem) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "trailing bytes after the actions");
		return -EINVAL;
	}
	return 0;
}

/**
 * vdp_actions_validate - check a nested action list before anyone runs it.
 * @attr: OVS_FLOW_ATTR_ACTIONS or OVS_PACKET_ATTR_ACTIONS
 * @key: the flow's masked key, or the key extracted from the packet: set()
 *       of IPv4/IPv6 is checked against its eth_type, ip_proto and ip_frag
 * @extack: error report
 *
 * Return: 0, -EINVAL (malformed, or an action this module lacks: what
 * ovs-vswitchd's feature probes expect) or -EOPNOTSUPP (ct()).
 */
int vdp_actions_validate(const struct nlattr *attr, const struct vdp_key *key,
			 struct netlink_ext_ack *extack)
{
	return vdp_validate_list(attr, 0, key, extack);
}

/*
 * Walk a (validated) list and the lists nested in it, calling @fn on each
 * set(tunnel(...)) or VDP_ACTION_ATTR_TUN_MD.  Stops at @fn's first error.
 */
static int vdp_walk_tunnel_sets(struct nlattr *head, int len,
				int (*fn)(struct nlattr *a, gfp_t gfp),
				gfp_t gfp)
{
	struct nlattr *a, *n;
	int rem, nrem, err;

	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case OVS_ACTION_ATTR_SET:
			if (!vdp_tun_is_set_tunnel(a))
				break;
			fallthrough;
		case VDP_ACTION_ATTR_TUN_MD:
			err = fn(a, gfp);
			if (err)
				return err;
			break;
		case OVS_ACTION_ATTR_CLONE:
			err = vdp_walk_tunnel_sets(nla_data(a), nla_len(a), fn, gfp);
			if (err)
				return err;
			break;
		case OVS_ACTION_ATTR_SAMPLE:
		case OVS_ACTION_ATTR_CHECK_PKT_LEN:
			nla_for_each_nested(n, a, nrem) {
				if ((nla_type(a) == OVS_ACTION_ATTR_SAMPLE &&
				     nla_type(n) != OVS_SAMPLE_ATTR_ACTIONS) ||
				    (nla_type(a) == OVS_ACTION_ATTR_CHECK_PKT_LEN &&
				     nla_type(n) == OVS_CHECK_PKT_LEN_ATTR_PKT_LEN))
					continue;
				err = vdp_walk_tunnel_sets(nla_data(n), nla_len(n),
							   fn, gfp);
				if (err)
					return err;
			}
			break;
		}
	}
	return 0;
}

/* Turn one set(tunnel(...)) of the exec copy into VDP_ACTION_ATTR_TUN_MD. */
static int vdp_prepare_tunnel_set(struct nlattr *a, gfp_t gfp)
{
	struct metadata_dst *md;

	if (nla_type(a) != OVS_ACTION_ATTR_SET)
		return 0;
	/* A validated set(tunnel) holds at least dst and ttl: 20 bytes. */
	if (nla_len(a) < (int)sizeof(md))
		return -EINVAL;
	md = vdp_tun_md_build(a, gfp);
	if (IS_ERR(md))
		return PTR_ERR(md);
	memcpy(nla_data(a), &md, sizeof(md));
	a->nla_type = VDP_ACTION_ATTR_TUN_MD;
	return 0;
}

static int vdp_release_tunnel_md(struct nlattr *a, gfp_t gfp)
{
	struct metadata_dst *md;

	if (nla_type(a) != VDP_ACTION_ATTR_TUN_MD)
		return 0;
	memcpy(&md, nla_data(a), sizeof(md));
	dst_release(&md->dst);
	return 0;
}

/**
 * vdp_actions_build - the kernel's copy of a validated action list.
 * @attr: OVS_FLOW_ATTR_ACTIONS or OVS_PACKET_ATTR_ACTIONS, validated by
 *        vdp_actions_validate()
 * @gfp: allocation flags
 *
 * Keeps the list as given (for dumps) and prepares the copy the packet
 * path runs: every set(tunnel(...)), nested ones included, gets its
 * metadata dst now, so that a packet only takes a reference to it.
 *
 * Return: the actions (the caller owns them) or ERR_PTR(-ENOMEM).
 */
struct vdp_actions *vdp_actions_build(const struct nlattr *attr, gfp_t gfp)
{
	size_t len = nla_len(attr);
	struct vdp_actions *acts;
	int err;

	acts = kmalloc(sizeof(*acts) + 2 * NLA_ALIGN(len), gfp);
	if (!acts)
		return ERR_PTR(-ENOMEM);
	acts->len = len;
	acts->exec = (struct nlattr *)((u8 *)acts->data + NLA_ALIGN(len));
	memcpy(acts->data, nla_data(attr), len);
	memcpy(acts->exec, nla_data(attr), len);
	err = vdp_walk_tunnel_sets(acts->exec, len, vdp_prepare_tunnel_set, gfp);
	if (err) {
		vdp_actions_free(acts);
		return ERR_PTR(err);
	}
	return acts;
}

/**
 * vdp_actions_free - free actions no packet path can see any more.
 * @acts: actions of vdp_actions_build(), or NULL
 *
 * Drops the list's references to its metadata dsts; packets that carry
 * one hold their own.
 */
void vdp_actions_free(struct vdp_actions *acts)
{
	if (!acts)
		return;
	vdp_walk_tunnel_sets(acts->exec, acts->len, vdp_release_tunnel_md, 0);
	kfree(acts);
}

static void vdp_actions_free_rcu_cb(struct rcu_head *head)
{
	vdp_actions_free(container_of(head, struct vdp_actions, rcu));
}

/**
 * vdp_actions_free_rcu - free actions after the readers of a grace period.
 * @acts: actions, or NULL
 */
void vdp_actions_free_rcu(struct vdp_actions *acts)
{
	if (acts)
		call_rcu(&acts->rcu, vdp_actions_free_rcu_cb);
}
