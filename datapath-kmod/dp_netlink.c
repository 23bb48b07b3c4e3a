// SPDX-License-Identifier: GPL-2.0
/*
 * dp_netlink.c - the ovs_datapath generic netlink family.
 *
 * NEW creates a datapath and its local port, DEL destroys it, GET reads
 * one (by dp_ifindex or NAME) or dumps all, SET changes the upcall
 * settings.  USER_FEATURES is negotiated: a request carrying a bit this
 * datapath does not know fails with -EOPNOTSUPP, which userspace relies
 * on to detect that negotiation works.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "datapath.h"

#define VDP_KNOWN_FEATURES (OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS | \
			    OVS_DP_F_DISPATCH_UPCALL_PER_CPU)

static const struct nla_policy vdp_dp_policy[OVS_DP_ATTR_MAX + 1] = {
	[OVS_DP_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[OVS_DP_ATTR_UPCALL_PID] = { .type = NLA_U32 },
	[OVS_DP_ATTR_USER_FEATURES] = { .type = NLA_U32 },
	[OVS_DP_ATTR_MASKS_CACHE_SIZE] = { .type = NLA_U32 },
	[OVS_DP_ATTR_PER_CPU_PIDS] = { .type = NLA_BINARY, .len = 4096 * 4 },
};

static const struct genl_multicast_group vdp_dp_mcgrp = {
	.name = OVS_DATAPATH_MCGROUP,
};

static size_t vdp_dp_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ovs_header)) +
	       nla_total_size(IFNAMSIZ) +
	       nla_total_size_64bit(sizeof(struct ovs_dp_stats)) +
	       nla_total_size_64bit(sizeof(struct ovs_dp_megaflow_stats)) +
	       nla_total_size(sizeof(u32)) +	/* user features */
	       nla_total_size(sizeof(u32));	/* masks cache size */
}

static int vdp_dp_fill(struct vdp_datapath *dp, struct sk_buff *skb,
		       u32 portid, u32 seq, u32 flags, u8 cmd)
{
	struct ovs_dp_megaflow_stats mst;
	struct ovs_header *hdr;
	struct ovs_dp_stats st;

	hdr = genlmsg_put(skb, portid, seq, &vdp_dp_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	hdr->dp_ifindex = vdp_dp_ifindex(dp);
	vdp_dp_get_stats(dp, &st, &mst);
	if (nla_put_string(skb, OVS_DP_ATTR_NAME, dp->name) ||
	    nla_put_64bit(skb, OVS_DP_ATTR_STATS, sizeof(st), &st,
			  OVS_DP_ATTR_PAD) ||
	    nla_put_64bit(skb, OVS_DP_ATTR_MEGAFLOW_STATS, sizeof(mst), &mst,
			  OVS_DP_ATTR_PAD) ||
	    nla_put_u32(skb, OVS_DP_ATTR_USER_FEATURES, dp->user_features) ||
	    nla_put_u32(skb, OVS_DP_ATTR_MASKS_CACHE_SIZE, VDP_MASK_CACHE_SIZE))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static struct sk_buff *vdp_dp_build(struct vdp_datapath *dp,
				    struct genl_info *info, u8 cmd)
{
	struct sk_buff *skb = genlmsg_new(vdp_dp_msg_size(), GFP_KERNEL);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	if (vdp_dp_fill(dp, skb, info->snd_portid, info->snd_seq, 0, cmd)) {
		kfree_skb(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	return skb;
}

/* Apply USER_FEATURES, PER_CPU_PIDS, MASKS_CACHE_SIZE (vdp_mutex held). */
static int vdp_dp_apply(struct vdp_datapath *dp, struct nlattr **a,
			struct netlink_ext_ack *extack)
{
	u32 features = dp->user_features;
	struct vdp_pids *pids = NULL, *old;

	if (a[OVS_DP_ATTR_USER_FEATURES]) {
		features = nla_get_u32(a[OVS_DP_ATTR_USER_FEATURES]);
		if (features & ~VDP_KNOWN_FEATURES) {
			NL_SET_ERR_MSG_ATTR(extack, a[OVS_DP_ATTR_USER_FEATURES],
					    "unknown user feature bits");
			return -EOPNOTSUPP;
		}
	}
	if (a[OVS_DP_ATTR_MASKS_CACHE_SIZE] &&
	    nla_get_u32(a[OVS_DP_ATTR_MASKS_CACHE_SIZE]) != VDP_MASK_CACHE_SIZE) {
		NL_SET_ERR_MSG_ATTR(extack, a[OVS_DP_ATTR_MASKS_CACHE_SIZE],
				    "the mask cache size is fixed (256)");
		return -EOPNOTSUPP;
	}
	if (a[OVS_DP_ATTR_PER_CPU_PIDS]) {
		const struct nlattr *p = a[OVS_DP_ATTR_PER_CPU_PIDS];

		if (!nla_len(p) || nla_len(p) % sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, p,
					    "per-CPU pids must be a non-empty u32 array");
			return -EINVAL;
		}
		pids = vdp_pids_from_attr(p);
		if (!pids)
			return -ENOMEM;
	}
	dp->user_features = features;
	if (pids) {
		old = rcu_dereference_protected(dp->cpu_pids,
						lockdep_is_held(&vdp_mutex));
		rcu_assign_pointer(dp->cpu_pids, pids);
		kfree_rcu(old, rcu);
	}
	return 0;
}

static struct vdp_datapath *vdp_dp_from_info(struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr *name = info->attrs[OVS_DP_ATTR_NAME];
	struct vdp_datapath *dp;

	dp = vdp_dp_lookup(genl_info_net(info), name ? 0 : hdr->dp_ifindex,
			   name ? nla_data(name) : NULL);
	if (!dp)
		NL_SET_ERR_MSG(info->extack, "no such datapath");
	return dp;
}

static int vdp_dp_cmd_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vdp_datapath *dp;
	struct sk_buff *reply;
	int err;

	if (!a[OVS_DP_ATTR_NAME] || !a[OVS_DP_ATTR_UPCALL_PID]) {
		NL_SET_ERR_MSG(info->extack, "NAME and UPCALL_PID are required");
		return -EINVAL;
	}
	rtnl_lock();
	vdp_lock();
	if (vdp_dp_lookup(genl_info_net(info), 0, nla_data(a[OVS_DP_ATTR_NAME]))) {
		NL_SET_ERR_MSG(info->extack, "datapath exists");
		err = -EEXIST;
		goto out;
	}
	dp = vdp_dp_create(genl_info_net(info), nla_data(a[OVS_DP_ATTR_NAME]),
			   nla_get_u32(a[OVS_DP_ATTR_UPCALL_PID]), info->extack);
	if (IS_ERR(dp)) {
		err = PTR_ERR(dp);
		goto out;
	}
	err = vdp_dp_apply(dp, a, info->extack);
	if (err) {
		vdp_dp_destroy(dp);
		goto out;
	}
	reply = vdp_dp_build(dp, info, OVS_DP_CMD_NEW);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	genl_notify(&vdp_dp_family, reply, info, 0, GFP_KERNEL);
	err = 0;
out:
	vdp_unlock();
	rtnl_unlock();
	return err;
}

static int vdp_dp_cmd_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vdp_datapath *dp;
	struct sk_buff *reply;
	int err = -ENODEV;

	rtnl_lock();
	vdp_lock();
	dp = vdp_dp_from_info(info);
	if (!dp)
		goto out;
	reply = vdp_dp_build(dp, info, OVS_DP_CMD_DEL);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	vdp_dp_destroy(dp);
	genl_notify(&vdp_dp_family, reply, info, 0, GFP_KERNEL);
	err = 0;
out:
	vdp_unlock();
	rtnl_unlock();
	return err;
}

static int vdp_dp_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct vdp_datapath *dp;
	struct sk_buff *reply;
	int err = -ENODEV;

	vdp_lock();
	dp = vdp_dp_from_info(info);
	if (!dp)
		goto out;
	err = vdp_dp_apply(dp, info->attrs, info->extack);
	if (err)
		goto out;
	reply = vdp_dp_build(dp, info, OVS_DP_CMD_SET);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	genl_notify(&vdp_dp_family, reply, info, 0, GFP_KERNEL);
out:
	vdp_unlock();
	return err;
}

static int vdp_dp_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vdp_datapath *dp;
	struct sk_buff *reply;
	int err = -ENODEV;

	vdp_lock();
	dp = vdp_dp_from_info(info);
	if (!dp)
		goto out;
	reply = vdp_dp_build(dp, info, OVS_DP_CMD_GET);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	vdp_unlock();
	return genlmsg_reply(reply, info);
out:
	vdp_unlock();
	return err;
}

static int vdp_dp_cmd_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vdp_net *vn = net_generic(sock_net(skb->sk), vdp_net_id);
	struct vdp_datapath *dp;
	int skip = cb->args[0], i = 0;

	vdp_lock();
	list_for_each_entry(dp, &vn->dps, node) {
		if (i >= skip &&
		    vdp_dp_fill(dp, skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				OVS_DP_CMD_GET))
			break;
		i++;
	}
	vdp_unlock();
	cb->args[0] = i;
	return skb->len;
}

static const struct genl_small_ops vdp_dp_ops[] = {
	{ .cmd = OVS_DP_CMD_NEW, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_dp_cmd_new },
	{ .cmd = OVS_DP_CMD_DEL, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_dp_cmd_del },
	{ .cmd = OVS_DP_CMD_GET, .doit = vdp_dp_cmd_get,
	  .dumpit = vdp_dp_cmd_dump },
	{ .cmd = OVS_DP_CMD_SET, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_dp_cmd_set },
};

struct genl_family vdp_dp_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_DATAPATH_FAMILY,
	.version = OVS_DATAPATH_VERSION,
	.maxattr = OVS_DP_ATTR_MAX,
	.policy = vdp_dp_policy,
	.netnsok = true,
	.parallel_ops = true,
	/* userspace uses NLM_F_CREATE|NLM_F_EXCL, which overlap dump bits */
	.resv_start_op = OVS_DP_CMD_SET + 1,
	.small_ops = vdp_dp_ops,
	.n_small_ops = ARRAY_SIZE(vdp_dp_ops),
	.mcgrps = &vdp_dp_mcgrp,
	.n_mcgrps = 1,
	.module = THIS_MODULE,
};
