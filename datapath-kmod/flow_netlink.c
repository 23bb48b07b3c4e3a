// SPDX-License-Identifier: GPL-2.0
/*
 * flow_netlink.c - the ovs_flow generic netlink family.
 *
 * A flow is named by its UFID when userspace gave one, else by its key
 * (and mask).  NEW installs (or, without NLM_F_CREATE, replaces the actions
 * of an existing flow), SET replaces actions and may clear statistics,
 * DEL removes one flow or, without key and UFID, flushes the table, GET
 * reads one flow or dumps all.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "datapath.h"

static const struct nla_policy vdp_flow_policy[OVS_FLOW_ATTR_MAX + 1] = {
	/* Nests are NLA_BINARY: userspace does not set NLA_F_NESTED. */
	[OVS_FLOW_ATTR_KEY] = { .type = NLA_BINARY },
	[OVS_FLOW_ATTR_ACTIONS] = { .type = NLA_BINARY },
	[OVS_FLOW_ATTR_CLEAR] = { .type = NLA_FLAG },
	[OVS_FLOW_ATTR_MASK] = { .type = NLA_BINARY },
	[OVS_FLOW_ATTR_PROBE] = { .type = NLA_FLAG },
	[OVS_FLOW_ATTR_UFID] = { .type = NLA_BINARY, .len = VDP_MAX_UFID_SIZE },
	[OVS_FLOW_ATTR_UFID_FLAGS] = { .type = NLA_U32 },
};

static const struct genl_multicast_group vdp_flow_mcgrp = {
	.name = OVS_FLOW_MCGROUP,
};

#define VDP_UFID_FLAGS (OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK | \
			OVS_UFID_F_OMIT_ACTIONS)

static size_t vdp_flow_msg_size(const struct vdp_actions *acts)
{
	return NLMSG_ALIGN(sizeof(struct ovs_header)) +
	       2 * vdp_key_attrs_size() +			/* key, mask */
	       nla_total_size(VDP_MAX_UFID_SIZE) +
	       nla_total_size_64bit(sizeof(struct ovs_flow_stats)) +
	       nla_total_size(1) +				/* tcp flags */
	       nla_total_size_64bit(8) +			/* used */
	       nla_total_size(acts ? acts->len : 0);
}

static int vdp_flow_fill(struct vdp_datapath *dp, struct vdp_flow *flow,
			 struct sk_buff *skb, u32 portid, u32 seq, u32 flags,
			 u8 cmd, u32 ufid_flags)
{
	struct ovs_flow_stats st;
	struct vdp_actions *acts;
	struct ovs_header *hdr;
	unsigned long used;
	__be16 tcp_flags;

	hdr = genlmsg_put(skb, portid, seq, &vdp_flow_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	hdr->dp_ifindex = vdp_dp_ifindex(dp);
	if (flow->has_ufid &&
	    nla_put(skb, OVS_FLOW_ATTR_UFID, flow->ufid.len, flow->ufid.id))
		goto cancel;
	if ((!flow->has_ufid || !(ufid_flags & OVS_UFID_F_OMIT_KEY)) &&
	    vdp_key_to_attrs(skb, OVS_FLOW_ATTR_KEY, &flow->key, &flow->key))
		goto cancel;
	if (!(ufid_flags & OVS_UFID_F_OMIT_MASK) &&
	    vdp_key_to_attrs(skb, OVS_FLOW_ATTR_MASK, &flow->key,
			     &flow->mask->key))
		goto cancel;
	vdp_flow_get_stats(flow, &st, &used, &tcp_flags);
	if (st.n_packets &&
	    nla_put_64bit(skb, OVS_FLOW_ATTR_STATS, sizeof(st), &st,
			  OVS_FLOW_ATTR_PAD))
		goto cancel;
	if (used) {
		u64 ms = ktime_to_ms(ktime_get()) -
			 jiffies_to_msecs(jiffies - used);

		if (nla_put_u64_64bit(skb, OVS_FLOW_ATTR_USED, ms,
				      OVS_FLOW_ATTR_PAD))
			goto cancel;
	}
	if (tcp_flags &&
	    nla_put_u8(skb, OVS_FLOW_ATTR_TCP_FLAGS, (u8)ntohs(tcp_flags)))
		goto cancel;
	if (!(ufid_flags & OVS_UFID_F_OMIT_ACTIONS)) {
		acts = rcu_dereference_check(flow->acts,
					     lockdep_is_held(&vdp_mutex));
		if (nla_put(skb, OVS_FLOW_ATTR_ACTIONS, acts->len, acts->data))
			goto cancel;
	}
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static struct sk_buff *vdp_flow_build(struct vdp_datapath *dp,
				      struct vdp_flow *flow,
				      struct genl_info *info, u8 cmd,
				      u32 ufid_flags)
{
	struct vdp_actions *acts = rcu_dereference_protected(flow->acts,
					lockdep_is_held(&vdp_mutex));
	struct sk_buff *skb = genlmsg_new(vdp_flow_msg_size(acts), GFP_KERNEL);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	if (vdp_flow_fill(dp, flow, skb, info->snd_portid, info->snd_seq, 0,
			  cmd, ufid_flags)) {
		kfree_skb(skb);
		return ERR_PTR(-EMSGSIZE);
	}
	return skb;
}

/* Send a reply if the requester wants an echo or anyone listens. */
static void vdp_flow_notify(struct vdp_datapath *dp, struct vdp_flow *flow,
			    struct genl_info *info, u8 cmd, u32 ufid_flags)
{
	struct sk_buff *reply;

	if (!(info->nlhdr->nlmsg_flags & NLM_F_ECHO) &&
	    !genl_has_listeners(&vdp_flow_family, genl_info_net(info), 0))
		return;
	reply = vdp_flow_build(dp, flow, info, cmd, ufid_flags);
	if (IS_ERR(reply)) {
		netlink_set_err(genl_info_net(info)->genl_sock, 0,
				vdp_flow_family.mcgrp_offset, PTR_ERR(reply));
		return;
	}
	genl_notify(&vdp_flow_family, reply, info, 0, GFP_KERNEL);
}

static int vdp_ufid_get(struct nlattr *a, struct vdp_ufid *ufid,
			struct netlink_ext_ack *extack)
{
	memset(ufid, 0, sizeof(*ufid));
	if (!a)
		return 0;
	if (!nla_len(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "empty UFID");
		return -EINVAL;
	}
	ufid->len = nla_len(a);
	memcpy(ufid->id, nla_data(a), ufid->len);
	return 1;
}

static int vdp_flow_cmd_new_or_set(struct sk_buff *skb, struct genl_info *info,
				   bool is_set)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct vdp_key key, mask, masked;
	struct vdp_actions *acts = NULL, *old;
	struct vdp_flow *flow = NULL, *found;
	struct vdp_datapath *dp;
	struct vdp_ufid ufid;
	u32 ufid_flags = 0;
	int has_ufid, err;

	has_ufid = vdp_ufid_get(a[OVS_FLOW_ATTR_UFID], &ufid, extack);
	if (has_ufid < 0)
		return has_ufid;
	if (a[OVS_FLOW_ATTR_UFID_FLAGS]) {
		ufid_flags = nla_get_u32(a[OVS_FLOW_ATTR_UFID_FLAGS]);
		if (ufid_flags & ~VDP_UFID_FLAGS) {
			NL_SET_ERR_MSG(extack, "unknown UFID flags");
			return -EINVAL;
		}
	}
	if (!a[OVS_FLOW_ATTR_KEY]) {
		NL_SET_ERR_MSG(extack, "flow key is required");
		return -EINVAL;
	}
	if (!is_set && !a[OVS_FLOW_ATTR_ACTIONS]) {
		NL_SET_ERR_MSG(extack, "flow actions are required");
		return -EINVAL;
	}
	err = vdp_match_from_attrs(a[OVS_FLOW_ATTR_KEY], a[OVS_FLOW_ATTR_MASK],
				   &key, &mask, extack);
	if (err)
		return err;
	if (a[OVS_FLOW_ATTR_ACTIONS]) {
		/* Checked against the masked key, as openvswitch.ko does. */
		vdp_key_mask_apply(&masked, &key, &mask);
		err = vdp_actions_validate(a[OVS_FLOW_ATTR_ACTIONS], &masked, extack);
		if (err)
			return err;
		acts = vdp_actions_build(a[OVS_FLOW_ATTR_ACTIONS], GFP_KERNEL);
		if (IS_ERR(acts))
			return PTR_ERR(acts);
	}
	if (!is_set) {
		flow = vdp_flow_alloc();
		if (IS_ERR(flow)) {
			vdp_actions_free(acts);
			return PTR_ERR(flow);
		}
		vdp_key_mask_apply(&flow->key, &key, &mask);
		flow->ukey = key;
		flow->ufid = ufid;
		flow->has_ufid = has_ufid;
		RCU_INIT_POINTER(flow->acts, acts);
	}

	vdp_lock();
	dp = vdp_dp_lookup(genl_info_net(info), hdr->dp_ifindex, NULL);
	if (!dp) {
		NL_SET_ERR_MSG(extack, "no such datapath");
		err = -ENODEV;
		goto err_unlock;
	}
	found = has_ufid ? vdp_table_find_ufid(&dp->table, &ufid) :
			   vdp_table_find(&dp->table, &key, &mask);
	if (!found && !is_set && has_ufid &&
	    vdp_table_find(&dp->table, &key, &mask)) {
		NL_SET_ERR_MSG(extack, "a flow with that key and mask exists under another UFID");
		err = -EEXIST;
		goto err_unlock;
	}
	if (!found) {
		if (is_set) {
			NL_SET_ERR_MSG(extack, "no such flow");
			err = -ENOENT;
			goto err_unlock;
		}
		err = vdp_table_insert(&dp->table, flow, &mask);
		if (err)
			goto err_unlock;
		vdp_flow_notify(dp, flow, info, OVS_FLOW_CMD_NEW, ufid_flags);
		vdp_unlock();
		return 0;
	}

	/*
	 * The flow exists.  NEW with NLM_F_CREATE (or NLM_F_EXCL, which
	 * generic netlink reads as a dump bit) means "create only"; NEW
	 * without them or SET modifies it.
	 */
	if (!is_set && (info->nlhdr->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL))) {
		NL_SET_ERR_MSG(extack, "flow exists");
		err = -EEXIST;
		goto err_unlock;
	}
	if (memcmp(&found->mask->key, &mask, sizeof(mask)) ||
	    memcmp(&found->ukey, &key, sizeof(key))) {
		vdp_key_mask_apply(&key, &key, &mask);
		if (memcmp(&found->key, &key, sizeof(key)) ||
		    memcmp(&found->mask->key, &mask, sizeof(mask))) {
			NL_SET_ERR_MSG(extack, "flow key or mask differs from the existing flow's");
			err = -EINVAL;
			goto err_unlock;
		}
	}
	if (acts) {
		old = rcu_dereference_protected(found->acts,
						lockdep_is_held(&vdp_mutex));
		rcu_assign_pointer(found->acts, acts);
		vdp_actions_free_rcu(old);
		acts = NULL;
	}
	if (is_set && a[OVS_FLOW_ATTR_CLEAR])
		vdp_flow_clear_stats(found);
	vdp_flow_notify(dp, found, info, is_set ? OVS_FLOW_CMD_SET :
			OVS_FLOW_CMD_NEW, ufid_flags);
	vdp_unlock();
	if (flow) {
		RCU_INIT_POINTER(flow->acts, NULL);
		vdp_flow_free(flow);
	}
	return 0;

err_unlock:
	vdp_unlock();
	if (flow)
		vdp_flow_free(flow);	/* frees acts too */
	else
		vdp_actions_free(acts);
	return err;
}

static int vdp_flow_cmd_new(struct sk_buff *skb, struct genl_info *info)
{
	return vdp_flow_cmd_new_or_set(skb, info, false);
}

static int vdp_flow_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	return vdp_flow_cmd_new_or_set(skb, info, true);
}

/* The flow a GET or DEL names (vdp_mutex held). */
static struct vdp_flow *vdp_flow_from_info(struct vdp_datapath *dp,
					   struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct vdp_key key, mask;
	struct vdp_ufid ufid;
	struct vdp_flow *flow;
	int err;

	err = vdp_ufid_get(a[OVS_FLOW_ATTR_UFID], &ufid, info->extack);
	if (err < 0)
		return ERR_PTR(err);
	if (err) {
		flow = vdp_table_find_ufid(&dp->table, &ufid);
	} else {
		err = vdp_match_from_attrs(a[OVS_FLOW_ATTR_KEY],
					   a[OVS_FLOW_ATTR_MASK], &key, &mask,
					   info->extack);
		if (err)
			return ERR_PTR(err);
		flow = vdp_table_find(&dp->table, &key,
				      a[OVS_FLOW_ATTR_MASK] ? &mask : NULL);
	}
	if (!flow) {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		return ERR_PTR(-ENOENT);
	}
	return flow;
}

static int vdp_flow_cmd_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct vdp_datapath *dp;
	struct vdp_flow *flow;
	struct sk_buff *reply = NULL;
	u32 ufid_flags = 0;
	int err = 0;

	if (a[OVS_FLOW_ATTR_UFID_FLAGS])
		ufid_flags = nla_get_u32(a[OVS_FLOW_ATTR_UFID_FLAGS]) &
			     VDP_UFID_FLAGS;
	vdp_lock();
	dp = vdp_dp_lookup(genl_info_net(info), hdr->dp_ifindex, NULL);
	if (!dp) {
		NL_SET_ERR_MSG(info->extack, "no such datapath");
		err = -ENODEV;
		goto out;
	}
	if (!a[OVS_FLOW_ATTR_KEY] && !a[OVS_FLOW_ATTR_UFID]) {
		vdp_table_flush(&dp->table);
		goto out;
	}
	flow = vdp_flow_from_info(dp, info);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto out;
	}
	if ((info->nlhdr->nlmsg_flags & NLM_F_ECHO) ||
	    genl_has_listeners(&vdp_flow_family, genl_info_net(info), 0))
		reply = vdp_flow_build(dp, flow, info, OVS_FLOW_CMD_DEL,
				       ufid_flags);
	vdp_table_remove(&dp->table, flow);
	vdp_flow_free(flow);
	if (!IS_ERR_OR_NULL(reply))
		genl_notify(&vdp_flow_family, reply, info, 0, GFP_KERNEL);
out:
	vdp_unlock();
	return err;
}

static int vdp_flow_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ovs_header *hdr = info->userhdr;
	struct nlattr **a = info->attrs;
	struct vdp_datapath *dp;
	struct vdp_flow *flow;
	struct sk_buff *reply;
	u32 ufid_flags = 0;

	if (a[OVS_FLOW_ATTR_UFID_FLAGS])
		ufid_flags = nla_get_u32(a[OVS_FLOW_ATTR_UFID_FLAGS]) &
			     VDP_UFID_FLAGS;
	if (!a[OVS_FLOW_ATTR_KEY] && !a[OVS_FLOW_ATTR_UFID]) {
		NL_SET_ERR_MSG(info->extack, "KEY or UFID is required");
		return -EINVAL;
	}
	vdp_lock();
	dp = vdp_dp_lookup(genl_info_net(info), hdr->dp_ifindex, NULL);
	if (!dp) {
		NL_SET_ERR_MSG(info->extack, "no such datapath");
		reply = ERR_PTR(-ENODEV);
		goto out;
	}
	flow = vdp_flow_from_info(dp, info);
	if (IS_ERR(flow)) {
		reply = ERR_CAST(flow);
		goto out;
	}
	reply = vdp_flow_build(dp, flow, info, OVS_FLOW_CMD_GET, ufid_flags);
out:
	vdp_unlock();
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	return genlmsg_reply(reply, info);
}

static int vdp_flow_cmd_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ovs_header *hdr = genlmsg_data(nlmsg_data(cb->nlh));
	struct nlattr *a[OVS_FLOW_ATTR_MAX + 1];
	struct vdp_datapath *dp;
	struct vdp_flow *flow;
	u32 ufid_flags = 0;
	long i = 0, skip = cb->args[0];
	int err;

	err = genlmsg_parse_deprecated(cb->nlh, &vdp_flow_family, a,
				       OVS_FLOW_ATTR_MAX, vdp_flow_policy,
				       NULL);
	if (!err && a[OVS_FLOW_ATTR_UFID_FLAGS])
		ufid_flags = nla_get_u32(a[OVS_FLOW_ATTR_UFID_FLAGS]) &
			     VDP_UFID_FLAGS;
	vdp_lock();
	dp = vdp_dp_lookup(sock_net(skb->sk), hdr->dp_ifindex, NULL);
	if (!dp) {
		vdp_unlock();
		return -ENODEV;
	}
	list_for_each_entry(flow, &dp->table.flows, list) {
		if (i >= skip &&
		    vdp_flow_fill(dp, flow, skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  OVS_FLOW_CMD_GET, ufid_flags))
			break;
		i++;
	}
	vdp_unlock();
	cb->args[0] = i;
	return skb->len;
}

static const struct genl_small_ops vdp_flow_ops[] = {
	{ .cmd = OVS_FLOW_CMD_NEW, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_flow_cmd_new },
	{ .cmd = OVS_FLOW_CMD_DEL, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_flow_cmd_del },
	{ .cmd = OVS_FLOW_CMD_GET, .doit = vdp_flow_cmd_get,
	  .dumpit = vdp_flow_cmd_dump },
	{ .cmd = OVS_FLOW_CMD_SET, .flags = GENL_UNS_ADMIN_PERM,
	  .doit = vdp_flow_cmd_set },
};

struct genl_family vdp_flow_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_FLOW_FAMILY,
	.version = OVS_FLOW_VERSION,
	.maxattr = OVS_FLOW_ATTR_MAX,
	.policy = vdp_flow_policy,
	.netnsok = true,
	.parallel_ops = true,
	/* userspace uses NLM_F_CREATE|NLM_F_EXCL, which overlap dump bits */
	.resv_start_op = OVS_FLOW_CMD_SET + 1,
	.small_ops = vdp_flow_ops,
	.n_small_ops = ARRAY_SIZE(vdp_flow_ops),
	.mcgrps = &vdp_flow_mcgrp,
	.n_mcgrps = 1,
	.module = THIS_MODULE,
};
