// SPDX-License-Identifier: GPL-2.0
/*
 * upcall.c - the ovs_packet family: packets to and from userspace.
 *
 * MISS (no flow matched) and ACTION (a userspace() action) messages carry
 * a copy of the frame, VLAN tag included, and its full flow key; they are
 * unicast to the netlink port chosen by the caller.  A port id of 0, a full
 * socket or the per-port rate limit count as lost.  EXECUTE runs a list of
 * actions on a frame userspace supplies.
 */
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>

#include "datapath.h"

static const struct nla_policy vdp_packet_policy[OVS_PACKET_ATTR_MAX + 1] = {
	[OVS_PACKET_ATTR_PACKET] = { .type = NLA_BINARY },
	/* Nests are NLA_BINARY: userspace does not set NLA_F_NESTED. */
	[OVS_PACKET_ATTR_KEY] = { .type = NLA_BINARY },
	[OVS_PACKET_ATTR_ACTIONS] = { .type = NLA_BINARY },
	[OVS_PACKET_ATTR_PROBE] = { .type = NLA_FLAG },
	[OVS_PACKET_ATTR_MRU] = { .type = NLA_U16 },
	[OVS_PACKET_ATTR_HASH] = { .type = NLA_U64 },
};

/**
 * vdp_upcall - send a packet to userspace; does not consume @skb.
 * @dp: datapath
 * @skb: the packet
 * @key: its key
 * @info: command, destination and extra attributes
 *
 * Packet path (BH disabled, RCU).
 *
 * Return: 0 or a negative errno (the packet was counted as lost).
 */
int vdp_upcall(struct vdp_datapath *dp, struct sk_buff *skb,
	       const struct vdp_key *key, const struct vdp_upcall_info *info)
{
	struct sk_buff *nskb = NULL, *msg;
	struct ovs_header *hdr;
	struct nlattr *pa;
	unsigned int len;
	size_t size;
	int err;

	if (!info->portid) {
		err = -ENOTCONN;
		goto lost;
	}
	if (skb_vlan_tag_present(skb)) {
		/* Userspace wants the tag in the frame. */
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (!nskb) {
			err = -ENOMEM;
			goto lost;
		}
		nskb = __vlan_hwaccel_push_inside(nskb);
		if (!nskb) {
			err = -ENOMEM;
			goto lost;
		}
		skb = nskb;
	}
	len = skb->len;
	if (info->cutlen && info->cutlen < len)
		len -= info->cutlen;

	size = NLMSG_ALIGN(sizeof(struct ovs_header)) + vdp_key_attrs_size() +
	       nla_total_size(len) + nla_total_size(sizeof(u32));
	if (info->userdata)
		size += NLA_ALIGN(info->userdata->nla_len);
	if (info->actions)
		size += nla_total_size(info->actions_len);
	msg = genlmsg_new(size, GFP_ATOMIC);
	if (!msg) {
		err = -ENOMEM;
		goto lost;
	}
	hdr = genlmsg_put(msg, 0, 0, &vdp_packet_family, 0, info->cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	hdr->dp_ifindex = vdp_dp_ifindex(dp);
	err = vdp_key_to_attrs(msg, OVS_PACKET_ATTR_KEY, key, key);
	if (err)
		goto err_free_msg;
	if (info->userdata &&
	    nla_put(msg, OVS_PACKET_ATTR_USERDATA, nla_len(info->userdata),
		    nla_data(info->userdata))) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	if (info->actions &&
	    nla_put(msg, OVS_PACKET_ATTR_ACTIONS, info->actions_len,
		    info->actions)) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	if (len != skb->len &&
	    nla_put_u32(msg, OVS_PACKET_ATTR_LEN, skb->len)) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	pa = nla_reserve(msg, OVS_PACKET_ATTR_PACKET, len);
	if (!pa) {
		err = -EMSGSIZE;
		goto err_free_msg;
	}
	err = skb_copy_bits(skb, 0, nla_data(pa), len);
	if (err)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	consume_skb(nskb);
	err = genlmsg_unicast(dp->net, msg, info->portid);
	if (err)
		goto lost_noskb;
	return 0;

err_free_msg:
	kfree_skb(msg);
lost:
	kfree_skb(nskb);
lost_noskb:
	vdp_dp_count_lost(dp);
	return err;
}

static int vdp_packet_cmd_execute(struct sk_buff *skb, struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct vdp_actions *acts;
	struct vdp_datapath *dp;
	struct vdp_vport *in;
	struct vdp_key key, meta = {};
	struct sk_buff *pkt;
	const struct ethhdr *eth;
	int len, err, depth;

	if (!a[OVS_PACKET_ATTR_PACKET] || !a[OVS_PACKET_ATTR_KEY] ||
	    !a[OVS_PACKET_ATTR_ACTIONS]) {
		NL_SET_ERR_MSG(extack, "PACKET, KEY and ACTIONS are required");
		return -EINVAL;
	}
	len = nla_len(a[OVS_PACKET_ATTR_PACKET]);
	if (len < ETH_HLEN) {
		NL_SET_ERR_MSG_ATTR(extack, a[OVS_PACKET_ATTR_PACKET],
				    "packet shorter than an Ethernet header");
		return -EINVAL;
	}
	err = vdp_key_meta_from_attrs(a[OVS_PACKET_ATTR_KEY], &meta, extack);
	if (err)
		return err;

	pkt = __dev_alloc_skb(NET_IP_ALIGN + len, GFP_KERNEL);
	if (!pkt)
		return -ENOMEM;
	skb_reserve(pkt, NET_IP_ALIGN);
	skb_put_data(pkt, nla_data(a[OVS_PACKET_ATTR_PACKET]), len);
	skb_reset_mac_header(pkt);
	eth = (const struct ethhdr *)pkt->data;
	pkt->protocol = eth_proto_is_802_3(eth->h_proto) ? eth->h_proto :
							   htons(ETH_P_802_2);
	pkt->priority = meta.priority;
	pkt->mark = meta.skb_mark;
	if (a[OVS_PACKET_ATTR_HASH])
		skb_set_hash(pkt, (u32)nla_get_u64(a[OVS_PACKET_ATTR_HASH]),
			     PKT_HASH_TYPE_L4);

	memset(&key, 0, sizeof(key));
	key.tun = meta.tun;
	key.in_port = meta.in_port;
	key.priority = meta.priority;
	key.skb_mark = meta.skb_mark;
	key.recirc_id = meta.recirc_id;
	key.dp_hash = meta.dp_hash;
	vdp_key_extract(pkt, &key);	/* cannot fail: len >= ETH_HLEN */
	err = vdp_actions_validate(a[OVS_PACKET_ATTR_ACTIONS], &key, extack);
	if (err) {
		kfree_skb(pkt);
		return err;
	}
	acts = vdp_actions_build(a[OVS_PACKET_ATTR_ACTIONS], GFP_KERNEL);
	if (IS_ERR(acts)) {
		kfree_skb(pkt);
		return PTR_ERR(acts);
	}

	rcu_read_lock();
	dp = vdp_dp_lookup_rcu(genl_info_net(info), hdr->dp_ifindex);
	if (!dp) {
		rcu_read_unlock();
		kfree_skb(pkt);
		vdp_actions_free(acts);
		NL_SET_ERR_MSG(extack, "no such datapath");
		return -ENODEV;
	}
	in = vdp_port_rcu(dp, key.in_port);
	if (!in)
		in = vdp_port_rcu(dp, VDP_LOCAL_PORT);
	pkt->dev = in ? in->dev : NULL;
	if (!pkt->dev) {
		rcu_read_unlock();
		kfree_skb(pkt);
		vdp_actions_free(acts);
		return -ENODEV;
	}
	local_bh_disable();
	depth = vdp_exec_enter();
	if (depth) {
		vdp_execute_actions(dp, pkt, &key, acts);
		if (depth == 1)
			vdp_deferred_drain(dp);
		vdp_exec_leave();
	} else {
		kfree_skb(pkt);
	}
	local_bh_enable();
	rcu_read_unlock();
	/* Packets still in flight hold their own tunnel dst references. */
	vdp_actions_free(acts);
	return 0;
}

static const struct genl_small_ops vdp_packet_ops[] = {
	{ .cmd = OVS_PACKET_CMD_EXECUTE, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_packet_cmd_execute },
};

struct genl_family vdp_packet_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_PACKET_FAMILY,
	.version = OVS_PACKET_VERSION,
	.maxattr = OVS_PACKET_ATTR_MAX,
	.policy = vdp_packet_policy,
	.netnsok = true,
	.parallel_ops = true,
	/* userspace uses NLM_F_CREATE|NLM_F_EXCL, which overlap dump bits */
	.resv_start_op = OVS_PACKET_CMD_EXECUTE + 1,
	.small_ops = vdp_packet_ops,
	.n_small_ops = ARRAY_SIZE(vdp_packet_ops),
	.module = THIS_MODULE,
};
