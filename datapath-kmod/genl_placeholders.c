// SPDX-License-Identifier: GPL-2.0
/*
 * genl_placeholders.c - the ovs_meter and ovs_ct_limit families, refused.
 *
 * We implement neither meters nor conntrack limits.  Leaving the families
 * unregistered is not enough: when userspace (ovs-vswitchd, ovs-dpctl)
 * looks a missing family up, the generic netlink controller asks modprobe
 * for "net-pf-16-proto-16-family-ovs_meter", which is openvswitch.ko's
 * alias.  That module then loads (with nf_conntrack and friends), fails
 * to register the families we hold and unloads again, for every lookup:
 * seconds per daemon start, and a daemon stalled meanwhile.  So both
 * families exist here and every command is refused with EOPNOTSUPP,
 * which ovs-vswitchd reads as "no meters" (logged at INFO level).
 */

#include <linux/openvswitch.h>
#include <net/genetlink.h>

#include "datapath.h"

static int vdp_meter_refuse(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack, "meters are not supported");
	return -EOPNOTSUPP;
}

static int vdp_ct_limit_refuse(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack, "connection tracking limits are not supported");
	return -EOPNOTSUPP;
}

#define VDP_REFUSE_OP(c, fn) \
	{ .cmd = (c), .doit = (fn), \
	  .validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP }

static const struct genl_small_ops vdp_meter_ops[] = {
	VDP_REFUSE_OP(OVS_METER_CMD_FEATURES, vdp_meter_refuse),
	VDP_REFUSE_OP(OVS_METER_CMD_SET, vdp_meter_refuse),
	VDP_REFUSE_OP(OVS_METER_CMD_DEL, vdp_meter_refuse),
	VDP_REFUSE_OP(OVS_METER_CMD_GET, vdp_meter_refuse),
};

static const struct genl_small_ops vdp_ct_limit_ops[] = {
	VDP_REFUSE_OP(OVS_CT_LIMIT_CMD_SET, vdp_ct_limit_refuse),
	VDP_REFUSE_OP(OVS_CT_LIMIT_CMD_DEL, vdp_ct_limit_refuse),
	VDP_REFUSE_OP(OVS_CT_LIMIT_CMD_GET, vdp_ct_limit_refuse),
};

struct genl_family vdp_meter_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_METER_FAMILY,
	.version = OVS_METER_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.resv_start_op = OVS_METER_CMD_GET + 1,
	.small_ops = vdp_meter_ops,
	.n_small_ops = ARRAY_SIZE(vdp_meter_ops),
	.module = THIS_MODULE,
};

struct genl_family vdp_ct_limit_family __ro_after_init = {
	.hdrsize = sizeof(struct ovs_header),
	.name = OVS_CT_LIMIT_FAMILY,
	.version = OVS_CT_LIMIT_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.resv_start_op = OVS_CT_LIMIT_CMD_GET + 1,
	.small_ops = vdp_ct_limit_ops,
	.n_small_ops = ARRAY_SIZE(vdp_ct_limit_ops),
	.module = THIS_MODULE,
};
