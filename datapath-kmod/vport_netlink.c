// SPDX-License-Identifier: GPL-2.0
/*
 * vport_netlink.c - the ovs_vport generic netlink family.
 *
 * Every change (NEW, DEL, SET, and deletions caused by a device going
 * away) is multicast on the ovs_vport group, which userspace listens to.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "datapath.h"

static const struct nla_policy vdp_vport_policy[OVS_VPORT_ATTR_MAX + 1] = {
	[OVS_VPORT_ATTR_PORT_NO] = { .type = NLA_U32 },
	[OVS_VPORT_ATTR_TYPE] = { .type = NLA_U32 },
	[OVS_VPORT_ATTR_NAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[OVS_VPORT_ATTR_OPTIONS] = { .type = NLA_BINARY },
	[OVS_VPORT_ATTR_UPCALL_PID] = { .type = NLA_BINARY, .len = 4096 * 4 },
	[OVS_VPORT_ATTR_IFINDEX] = { .type = NLA_U32 },
	[OVS_VPORT_ATTR_NETNSID] = { .type = NLA_S32 },
};

static const struct genl_multicast_group vdp_vport_mcgrp = {
	.name = OVS_VPORT_MCGROUP,
};

static size_t vdp_vport_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ovs_header)) +
	       nla_total_size(sizeof(u32)) +		/* port no */
	       nla_total_size(sizeof(u32)) +		/* type */
	       nla_total_size(IFNAMSIZ) +
	       nla_total_size(4096 * sizeof(u32)) +	/* upcall pids */
	       nla_total_size_64bit(sizeof(struct ovs_vport_stats)) +
	       nla_total_size(sizeof(u32)) +		/* ifindex */
	       nla_total_size(nla_total_size(sizeof(u16))); /* options */
}

static int vdp_vport_fill(struct vdp_vport *vport, struct sk_buff *skb,
			  u32 portid, u32 seq, u32 flags, u8 cmd)
{
	struct ovs_vport_stats st;
	struct ovs_header *hdr;
	struct vdp_pids *pids;

	hdr = genlmsg_put(skb, portid, seq, &vdp_vport_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	hdr->dp_ifindex = vdp_dp_ifindex(vport->dp);
	pids = rcu_dereference_check(vport->pids, lockdep_is_held(&vdp_mutex));
	vdp_vport_get_stats(vport, &st);
	if (nla_put_u32(skb, OVS_VPORT_ATTR_PORT_NO, vport->port_no) ||
	    nla_put_u32(skb, OVS_VPORT_ATTR_TYPE, vport->type) ||
	    nla_put_string(skb, OVS_VPORT_ATTR_NAME, vport->dev->name) ||
	    nla_put(skb, OVS_VPORT_ATTR_UPCALL_PID, pids->n * sizeof(u32),
		    pids->ids) ||
	    nla_put_64bit(skb, OVS_VPORT_ATTR_STATS, sizeof(st), &st,
			  OVS_VPORT_ATTR_PAD) ||
	    nla_put_u32(skb, OVS_VPORT_ATTR_IFINDEX, vport->dev->ifindex))
		goto cancel;
	if (vport->type == OVS_VPORT_TYPE_VXLAN &&
	    vdp_vxlan_put_options(vport, skb))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * vdp_vport_build_msg - a vport message (vdp_mutex held).
 * @vport: port
 * @portid: netlink port id of the reply
 * @seq: sequence number of the reply
 * @flags: netlink flags of the reply
 * @cmd: OVS_VPORT_CMD_* of the reply
 * @gfp: allocation flags
 *
 * Return: the message or an ERR_PTR.
 */
struct sk_buff *vdp_vport_build_msg(struct vdp_vport *vport, u32 portid,
				    u32 seq, u32 flags, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb = genlmsg_new(vdp_vport_msg_size(), gfp);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	if (vdp_vport_fill(vport, skb, portid, seq, flags, cmd)) {
		kfree_skb(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	return skb;
}

/**
 * vdp_vport_notify_deleted - multicast that @vport is about to go away.
 * @vport: port
 *
 * For deletions userspace did not ask for (the device disappeared).
 */
void vdp_vport_notify_deleted(struct vdp_vport *vport)
{
	struct sk_buff *msg;

	msg = vdp_vport_build_msg(vport, 0, 0, 0, OVS_VPORT_CMD_DEL,
				  GFP_KERNEL);
	if (IS_ERR(msg))
		return;
	genlmsg_multicast_netns(&vdp_vport_family, vport->dp->net, msg, 0, 0,
				GFP_KERNEL);
}

/* The vport a request names: by NAME, or by dp_ifindex + PORT_NO. */
static struct vdp_vport *vdp_vport_from_info(struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct net *net = genl_info_net(info);
	struct vdp_datapath *dp;
	struct vdp_vport *vport = NULL;

	if (a[OVS_VPORT_ATTR_NAME]) {
		struct net_device *dev;

		dev = __dev_get_by_name(net, nla_data(a[OVS_VPORT_ATTR_NAME]));
		if (dev)
			vport = vdp_vport_of_dev(dev);
		if (vport && hdr->dp_ifindex &&
		    hdr->dp_ifindex != vdp_dp_ifindex(vport->dp))
			vport = NULL;
	} else if (a[OVS_VPORT_ATTR_PORT_NO]) {
		dp = vdp_dp_lookup(net, hdr->dp_ifindex, NULL);
		if (dp)
			vport = vdp_port_rcu(dp, nla_get_u32(a[OVS_VPORT_ATTR_PORT_NO]));
	} else {
		NL_SET_ERR_MSG(info->extack, "NAME or PORT_NO is required");
		return ERR_PTR(-EINVAL);
	}
	if (!vport) {
		NL_SET_ERR_MSG(info->extack, "no such port");
		return ERR_PTR(-ENODEV);
	}
	return vport;
}

static struct vdp_pids *vdp_vport_pids(struct nlattr *attr,
				       struct netlink_ext_ack *extack)
{
	struct vdp_pids *p;

	if (!nla_len(attr) || nla_len(attr) % sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "UPCALL_PID must be a non-empty u32 array");
		return ERR_PTR(-EINVAL);
	}
	p = vdp_pids_from_attr(attr);
	return p ? p : ERR_PTR(-ENOMEM);
}

static int vdp_vport_cmd_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct vdp_datapath *dp;
	struct vdp_vport *vport;
	struct vdp_pids *pids;
	struct sk_buff *reply;
	u32 port_no, type;
	int err;

	if (!a[OVS_VPORT_ATTR_NAME] || !a[OVS_VPORT_ATTR_TYPE] ||
	    !a[OVS_VPORT_ATTR_UPCALL_PID]) {
		NL_SET_ERR_MSG(info->extack, "NAME, TYPE and UPCALL_PID are required");
		return -EINVAL;
	}
	if (a[OVS_VPORT_ATTR_IFINDEX] || a[OVS_VPORT_ATTR_NETNSID]) {
		NL_SET_ERR_MSG(info->extack, "IFINDEX and NETNSID cannot be set");
		return -EOPNOTSUPP;
	}
	type = nla_get_u32(a[OVS_VPORT_ATTR_TYPE]);
	if (type != OVS_VPORT_TYPE_NETDEV && type != OVS_VPORT_TYPE_INTERNAL &&
	    type != OVS_VPORT_TYPE_VXLAN) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[OVS_VPORT_ATTR_TYPE],
				    "only netdev, internal and vxlan ports are supported");
		return -EOPNOTSUPP;
	}
	if (type != OVS_VPORT_TYPE_VXLAN && a[OVS_VPORT_ATTR_OPTIONS] &&
	    nla_len(a[OVS_VPORT_ATTR_OPTIONS])) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[OVS_VPORT_ATTR_OPTIONS],
				    "netdev and internal ports take no options");
		return -EINVAL;
	}
	pids = vdp_vport_pids(a[OVS_VPORT_ATTR_UPCALL_PID], info->extack);
	if (IS_ERR(pids))
		return PTR_ERR(pids);

	rtnl_lock();
	vdp_lock();
	dp = vdp_dp_lookup(genl_info_net(info), hdr->dp_ifindex, NULL);
	if (!dp) {
		NL_SET_ERR_MSG(info->extack, "no such datapath");
		err = -ENODEV;
		goto err_free;
	}
	if (a[OVS_VPORT_ATTR_PORT_NO]) {
		port_no = nla_get_u32(a[OVS_VPORT_ATTR_PORT_NO]);
		if (port_no >= VDP_MAX_PORTS) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[OVS_VPORT_ATTR_PORT_NO],
					    "port number too large");
			err = -EFBIG;
			goto err_free;
		}
		if (vdp_port_rcu(dp, port_no)) {
			NL_SET_ERR_MSG(info->extack, "port number in use");
			err = -EBUSY;
			goto err_free;
		}
	} else {
		for (port_no = 1; port_no < VDP_MAX_PORTS; port_no++)
			if (!vdp_port_rcu(dp, port_no))
				break;
		if (port_no >= VDP_MAX_PORTS) {
			NL_SET_ERR_MSG(info->extack, "datapath is full");
			err = -EFBIG;
			goto err_free;
		}
	}
	vport = vdp_vport_add(dp, nla_data(a[OVS_VPORT_ATTR_NAME]), type,
			      port_no, pids, a[OVS_VPORT_ATTR_OPTIONS],
			      info->extack);
	if (IS_ERR(vport)) {
		err = PTR_ERR(vport);
		goto out;
	}
	reply = vdp_vport_build_msg(vport, info->snd_portid, info->snd_seq, 0,
				    OVS_VPORT_CMD_NEW, GFP_KERNEL);
	if (IS_ERR(reply)) {
		vdp_vport_del(vport);
		err = PTR_ERR(reply);
		goto out;
	}
	genl_notify(&vdp_vport_family, reply, info, 0, GFP_KERNEL);
	err = 0;
	goto out;

err_free:
	kfree(pids);
out:
	vdp_unlock();
	rtnl_unlock();
	return err;
}

static int vdp_vport_cmd_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vdp_vport *vport;
	struct sk_buff *reply;
	int err;

	rtnl_lock();
	vdp_lock();
	vport = vdp_vport_from_info(info);
	if (IS_ERR(vport)) {
		err = PTR_ERR(vport);
		goto out;
	}
	if (vport->port_no == VDP_LOCAL_PORT) {
		NL_SET_ERR_MSG(info->extack, "the local port goes with its datapath");
		err = -EINVAL;
		goto out;
	}
	reply = vdp_vport_build_msg(vport, info->snd_portid, info->snd_seq, 0,
				    OVS_VPORT_CMD_DEL, GFP_KERNEL);
	if (IS_ERR(reply)) {
		err = PTR_ERR(reply);
		goto out;
	}
	vdp_vport_del(vport);
	genl_notify(&vdp_vport_family, reply, info, 0, GFP_KERNEL);
	err = 0;
out:
	vdp_unlock();
	rtnl_unlock();
	return err;
}

static int vdp_vport_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vdp_pids *pids = NULL, *old;
	struct vdp_vport *vport;
	struct sk_buff *reply;
	int err;

	if (a[OVS_VPORT_ATTR_OPTIONS] && nla_len(a[OVS_VPORT_ATTR_OPTIONS])) {
		NL_SET_ERR_MSG(info->extack,
			       "a port's options cannot change (netdev and internal ports take none)");
		return -EINVAL;
	}
	if (a[OVS_VPORT_ATTR_UPCALL_PID]) {
		pids = vdp_vport_pids(a[OVS_VPORT_ATTR_UPCALL_PID], info->extack);
		if (IS_ERR(pids))
			return PTR_ERR(pids);
	}
	rtnl_lock();
	vdp_lock();
	vport = vdp_vport_from_info(info);
	if (IS_ERR(vport)) {
		err = PTR_ERR(vport);
		goto err_free;
	}
	if (a[OVS_VPORT_ATTR_TYPE] &&
	    nla_get_u32(a[OVS_VPORT_ATTR_TYPE]) != vport->type) {
		NL_SET_ERR_MSG(info->extack, "a port's type cannot change");
		err = -EINVAL;
		goto err_free;
	}
	reply = genlmsg_new(vdp_vport_msg_size(), GFP_KERNEL);
	if (!reply) {
		err = -ENOMEM;
		goto err_free;
	}
	if (pids) {
		old = rcu_dereference_protected(vport->pids,
						lockdep_is_held(&vdp_mutex));
		rcu_assign_pointer(vport->pids, pids);
		kfree_rcu(old, rcu);
	}
	err = vdp_vport_fill(vport, reply, info->snd_portid, info->snd_seq, 0,
			     OVS_VPORT_CMD_SET);
	if (err) {
		kfree_skb(reply);
		goto out;
	}
	genl_notify(&vdp_vport_family, reply, info, 0, GFP_KERNEL);
	goto out;

err_free:
	kfree(pids);
out:
	vdp_unlock();
	rtnl_unlock();
	return err;
}

static int vdp_vport_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vdp_vport *vport;
	struct sk_buff *reply;

	rtnl_lock();
	vdp_lock();
	vport = vdp_vport_from_info(info);
	if (IS_ERR(vport))
		reply = ERR_CAST(vport);
	else
		reply = vdp_vport_build_msg(vport, info->snd_portid,
					    info->snd_seq, 0, OVS_VPORT_CMD_GET,
					    GFP_KERNEL);
	vdp_unlock();
	rtnl_unlock();
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	return genlmsg_reply(reply, info);
}

static int vdp_vport_cmd_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ovs_header *hdr = genlmsg_data(nlmsg_data(cb->nlh));
	struct vdp_datapath *dp;
	int i = cb->args[0];

	vdp_lock();
	dp = vdp_dp_lookup(sock_net(skb->sk), hdr->dp_ifindex, NULL);
	if (!dp) {
		vdp_unlock();
		return -ENODEV;
	}
	for (; i < VDP_MAX_PORTS; i++) {
		struct vdp_vport *v = vdp_port_rcu(dp, i);

		if (v && vdp_vport_fill(v, skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					OVS_VPORT_CMD_GET))
			break;
	}
	vdp_unlock();
	cb->args[0] = i;
	return skb->len;
}

static const struct genl_small_ops vdp_vport_ops[] = {
	{ .cmd = OVS_VPORT_CMD_NEW, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_vport_cmd_new },
	{ .cmd = OVS_VPORT_CMD_DEL, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_vport_cmd_del },
	{ .cmd = OVS_VPORT_CMD_GET, .doit = vdp_vport_cmd_get,
	  .dumpit = vdp_vport_cmd_dump },
	{ .cmd = OVS_VPORT_CMD_SET, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_vport_cmd_set },
};

struct genl_family vdp_vport_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_VPORT_FAMILY,
	.version = OVS_VPORT_VERSION,
	.maxattr = OVS_VPORT_ATTR_MAX,
	.policy = vdp_vport_policy,
	.netnsok = true,
	.parallel_ops = true,
	/* userspace uses NLM_F_CREATE|NLM_F_EXCL, which overlap dump bits */
	.resv_start_op = OVS_VPORT_CMD_SET + 1,
	.small_ops = vdp_vport_ops,
	.n_small_ops = ARRAY_SIZE(vdp_vport_ops),
	.mcgrps = &vdp_vport_mcgrp,
	.n_mcgrps = 1,
	.module = THIS_MODULE,
};
