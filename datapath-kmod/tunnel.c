// SPDX-License-Identifier: GPL-2.0
/*
 * tunnel.c - tunnel metadata: OVS_KEY_ATTR_TUNNEL to and from struct
 * vdp_tun_key, and the set(tunnel(...)) action.
 *
 * Outer headers are IPv4 or IPv6 (never both in one key, as openvswitch.ko
 * refuses mixed attributes).  The tunnel ID attribute implies the key flag
 * (VDP_TUN_F_KEY): userspace's flags(+key) is the presence of tun_id.  A
 * key (not a mask) must name a non-zero outer destination and carry a TTL
 * attribute.
 *
 * set(tunnel(...)) gives the packet a metadata dst holding an
 * ip_tunnel_info in TX mode; a VXLAN vport's transmit reads it from there
 * (and so does a Linux tunnel device in collect-metadata mode attached as
 * a netdev port).  That dst is built once, when the action list is
 * installed (vdp_tun_md_build()), and shared by the flow's packets.
 */
#include <linux/version.h>
#include <net/dst_metadata.h>
#include <net/ip_tunnels.h>
#include <net/netlink.h>

#include "datapath.h"

/*
 * Value sizes of the tunnel key attributes (OVS_TUNNEL_KEY_ATTR_*).  The
 * tunnel ID is attribute type 0, which the generic netlink parsers refuse
 * as unknown, so these are checked by hand.  -1: any size (padding);
 * VDP_TUN_NO: not supported, refused with the message below.
 */
#define VDP_TUN_NO	-2
static const int vdp_tun_attr_len[OVS_TUNNEL_KEY_ATTR_MAX + 1] = {
	[OVS_TUNNEL_KEY_ATTR_ID] = sizeof(__be64),
	[OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = sizeof(__be32),
	[OVS_TUNNEL_KEY_ATTR_IPV4_DST] = sizeof(__be32),
	[OVS_TUNNEL_KEY_ATTR_TOS] = 1,
	[OVS_TUNNEL_KEY_ATTR_TTL] = 1,
	[OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT] = 0,
	[OVS_TUNNEL_KEY_ATTR_CSUM] = 0,
	[OVS_TUNNEL_KEY_ATTR_OAM] = 0,
	[OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS] = VDP_TUN_NO,
	[OVS_TUNNEL_KEY_ATTR_TP_SRC] = sizeof(__be16),
	[OVS_TUNNEL_KEY_ATTR_TP_DST] = sizeof(__be16),
	[OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS] = VDP_TUN_NO,
	[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = sizeof(struct in6_addr),
	[OVS_TUNNEL_KEY_ATTR_IPV6_DST] = sizeof(struct in6_addr),
	[OVS_TUNNEL_KEY_ATTR_PAD] = -1,
	[OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS] = VDP_TUN_NO,
	[OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE] = VDP_TUN_NO,
};

static int vdp_tun_refuse(const struct nlattr *t,
			  struct netlink_ext_ack *extack)
{
	switch (nla_type(t)) {
	case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
		NL_SET_ERR_MSG_ATTR(extack, t, "Geneve tunnel options are not supported");
		break;
	case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
		NL_SET_ERR_MSG_ATTR(extack, t, "VXLAN extensions (GBP) are not supported");
		break;
	case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
		NL_SET_ERR_MSG_ATTR(extack, t, "ERSPAN tunnel options are not supported");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, t, "tunnel info bridge mode is not supported");
		break;
	}
	return -EINVAL;
}

/**
 * vdp_tun_from_attr - parse a nested OVS_KEY_ATTR_TUNNEL.
 * @attr: the OVS_KEY_ATTR_TUNNEL attribute
 * @tun: filled (zeroed first)
 * @is_mask: @attr is a mask: flags are mask bits, nothing is required,
 *           unsupported attributes are accepted when all zero (wildcards)
 * @extack: error report
 *
 * Return: 0 or -EINVAL.
 */
int vdp_tun_from_attr(const struct nlattr *attr, struct vdp_tun_key *tun,
		      bool is_mask, struct netlink_ext_ack *extack)
{
	const struct nlattr *a[OVS_TUNNEL_KEY_ATTR_MAX + 1] = {};
	const struct nlattr *t;
	int rem, type;

	memset(tun, 0, sizeof(*tun));
	nla_for_each_nested(t, attr, rem) {
		type = nla_type(t);
		if (type > OVS_TUNNEL_KEY_ATTR_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, t, "unknown tunnel attribute");
			return -EINVAL;
		}
		if (vdp_tun_attr_len[type] == VDP_TUN_NO) {
			/* A mask may wildcard what we cannot match. */
			if (is_mask && !memchr_inv(nla_data(t), 0, nla_len(t)))
				continue;
			return vdp_tun_refuse(t, extack);
		}
		if (vdp_tun_attr_len[type] >= 0 &&
		    nla_len(t) != vdp_tun_attr_len[type]) {
			NL_SET_ERR_MSG_ATTR(extack, t,
					    "tunnel attribute has the wrong size");
			return -EINVAL;
		}
		if (a[type]) {
			NL_SET_ERR_MSG_ATTR(extack, t, "duplicate tunnel attribute");
			return -EINVAL;
		}
		a[type] = t;
	}
	if (rem) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "trailing bytes in tunnel()");
		return -EINVAL;
	}
	if (a[OVS_TUNNEL_KEY_ATTR_ID]) {
		tun->id = nla_get_be64(a[OVS_TUNNEL_KEY_ATTR_ID]);
		tun->flags |= VDP_TUN_F_KEY;
	}
	if (a[OVS_TUNNEL_KEY_ATTR_IPV4_SRC])
		tun->src = nla_get_in_addr(a[OVS_TUNNEL_KEY_ATTR_IPV4_SRC]);
	if (a[OVS_TUNNEL_KEY_ATTR_IPV4_DST])
		tun->dst = nla_get_in_addr(a[OVS_TUNNEL_KEY_ATTR_IPV4_DST]);
	if (a[OVS_TUNNEL_KEY_ATTR_IPV6_SRC])
		tun->ipv6_src = nla_get_in6_addr(a[OVS_TUNNEL_KEY_ATTR_IPV6_SRC]);
	if (a[OVS_TUNNEL_KEY_ATTR_IPV6_DST])
		tun->ipv6_dst = nla_get_in6_addr(a[OVS_TUNNEL_KEY_ATTR_IPV6_DST]);
	if ((a[OVS_TUNNEL_KEY_ATTR_IPV4_SRC] || a[OVS_TUNNEL_KEY_ATTR_IPV4_DST]) &&
	    (a[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] || a[OVS_TUNNEL_KEY_ATTR_IPV6_DST])) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "tunnel() mixes IPv4 and IPv6 addresses");
		return -EINVAL;
	}
	if (a[OVS_TUNNEL_KEY_ATTR_TOS])
		tun->tos = nla_get_u8(a[OVS_TUNNEL_KEY_ATTR_TOS]);
	if (a[OVS_TUNNEL_KEY_ATTR_TTL])
		tun->ttl = nla_get_u8(a[OVS_TUNNEL_KEY_ATTR_TTL]);
	if (a[OVS_TUNNEL_KEY_ATTR_TP_SRC])
		tun->tp_src = nla_get_be16(a[OVS_TUNNEL_KEY_ATTR_TP_SRC]);
	if (a[OVS_TUNNEL_KEY_ATTR_TP_DST])
		tun->tp_dst = nla_get_be16(a[OVS_TUNNEL_KEY_ATTR_TP_DST]);
	if (a[OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT])
		tun->flags |= VDP_TUN_F_DF;
	if (a[OVS_TUNNEL_KEY_ATTR_CSUM])
		tun->flags |= VDP_TUN_F_CSUM;
	if (a[OVS_TUNNEL_KEY_ATTR_OAM])
		tun->flags |= VDP_TUN_F_OAM;
	if (is_mask)
		return 0;
	if (a[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] || a[OVS_TUNNEL_KEY_ATTR_IPV6_DST]) {
		if (ipv6_addr_any(&tun->ipv6_dst)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "tunnel() needs a non-zero IPv6 destination");
			return -EINVAL;
		}
	} else if (!tun->dst) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "tunnel() needs a non-zero IPv4 destination");
		return -EINVAL;
	}
	if (!a[OVS_TUNNEL_KEY_ATTR_TTL]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "tunnel() needs a TTL");
		return -EINVAL;
	}
	return 0;
}

/**
 * vdp_tun_present - whether a key carries tunnel metadata.
 * @tun: the key's tunnel part
 */
bool vdp_tun_present(const struct vdp_tun_key *tun)
{
	return !!memchr_inv(tun, 0, sizeof(*tun));
}

/**
 * vdp_tun_attr_size - upper bound of vdp_tun_to_attr()'s output.
 */
size_t vdp_tun_attr_size(void)
{
	return nla_total_size(0) +			/* the nest */
	       nla_total_size_64bit(8) +		/* ID */
	       2 * nla_total_size(4) +			/* IPv4 addresses */
	       2 * nla_total_size(16) +			/* IPv6 addresses */
	       2 * nla_total_size(1) +			/* TOS, TTL */
	       3 * nla_total_size(0) +			/* flags */
	       2 * nla_total_size(2);			/* ports */
}

/* An IPv6 address attribute if @shape or @val is set; false: no room. */
static bool vdp_tun_put_in6(struct sk_buff *skb, int type,
			    const struct in6_addr *shape,
			    const struct in6_addr *val)
{
	if (ipv6_addr_any(shape) && ipv6_addr_any(val))
		return true;
	return !nla_put_in6_addr(skb, type, val);
}

/**
 * vdp_tun_to_attr - emit OVS_KEY_ATTR_TUNNEL.
 * @skb: message being built
 * @shape: the flow's tunnel key
 * @val: values (the same key, or its mask)
 *
 * A field appears when it is non-zero in the key or in the mask (the TTL
 * always does); a flag when it is set in @val.  Addresses are those of
 * @shape's family only.
 *
 * Return: 0 or -EMSGSIZE.
 */
int vdp_tun_to_attr(struct sk_buff *skb, const struct vdp_tun_key *shape,
		    const struct vdp_tun_key *val)
{
	bool ipv6 = vdp_tun_is_ipv6(shape);
	struct nlattr *nest;

	nest = nla_nest_start_noflag(skb, OVS_KEY_ATTR_TUNNEL);
	if (!nest)
		return -EMSGSIZE;
	if ((shape->flags | val->flags) & VDP_TUN_F_KEY &&
	    nla_put_be64(skb, OVS_TUNNEL_KEY_ATTR_ID, val->id,
			 OVS_TUNNEL_KEY_ATTR_PAD))
		goto err;
	if (!ipv6 && (shape->src || val->src) &&
	    nla_put_in_addr(skb, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, val->src))
		goto err;
	if (!ipv6 && (shape->dst || val->dst) &&
	    nla_put_in_addr(skb, OVS_TUNNEL_KEY_ATTR_IPV4_DST, val->dst))
		goto err;
	if (ipv6 && !vdp_tun_put_in6(skb, OVS_TUNNEL_KEY_ATTR_IPV6_SRC,
				     &shape->ipv6_src, &val->ipv6_src))
		goto err;
	if (ipv6 && !vdp_tun_put_in6(skb, OVS_TUNNEL_KEY_ATTR_IPV6_DST,
				     &shape->ipv6_dst, &val->ipv6_dst))
		goto err;
	if ((shape->tos || val->tos) && nla_put_u8(skb, OVS_TUNNEL_KEY_ATTR_TOS, val->tos))
		goto err;
	if (nla_put_u8(skb, OVS_TUNNEL_KEY_ATTR_TTL, val->ttl))
		goto err;
	if (val->flags & VDP_TUN_F_DF &&
	    nla_put_flag(skb, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT))
		goto err;
	if (val->flags & VDP_TUN_F_CSUM &&
	    nla_put_flag(skb, OVS_TUNNEL_KEY_ATTR_CSUM))
		goto err;
	if (val->flags & VDP_TUN_F_OAM &&
	    nla_put_flag(skb, OVS_TUNNEL_KEY_ATTR_OAM))
		goto err;
	if ((shape->tp_src || val->tp_src) &&
	    nla_put_be16(skb, OVS_TUNNEL_KEY_ATTR_TP_SRC, val->tp_src))
		goto err;
	if ((shape->tp_dst || val->tp_dst) &&
	    nla_put_be16(skb, OVS_TUNNEL_KEY_ATTR_TP_DST, val->tp_dst))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* set(tunnel(...)): the one nested key attribute of a SET action. */
static const struct nlattr *vdp_set_tunnel_attr(const struct nlattr *a)
{
	const struct nlattr *ka = nla_data(a);

	if (nla_len(a) < NLA_HDRLEN || !nla_ok(ka, nla_len(a)) ||
	    nla_type(ka) != OVS_KEY_ATTR_TUNNEL)
		return NULL;
	return ka;
}

/**
 * vdp_tun_is_set_tunnel - whether a SET action sets the tunnel.
 * @a: OVS_ACTION_ATTR_SET
 */
bool vdp_tun_is_set_tunnel(const struct nlattr *a)
{
	return vdp_set_tunnel_attr(a) != NULL;
}

/**
 * vdp_tun_validate_set - check set(tunnel(...)).
 * @a: OVS_ACTION_ATTR_SET holding OVS_KEY_ATTR_TUNNEL
 * @extack: error report
 *
 * Return: 0 or -EINVAL.
 */
int vdp_tun_validate_set(const struct nlattr *a, struct netlink_ext_ack *extack)
{
	const struct nlattr *ka = vdp_set_tunnel_attr(a);
	struct vdp_tun_key tun;

	if (!ka || nla_total_size(nla_len(ka)) != nla_len(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "set() must hold exactly one key attribute");
		return -EINVAL;
	}
	/* Like openvswitch.ko, a VXLAN port sends the ID's low 24 bits. */
	return vdp_tun_from_attr(ka, &tun, false, extack);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
static void vdp_tun_info_set_flags(struct ip_tunnel_info *info, u16 flags)
{
	ip_tunnel_flags_zero(info->key.tun_flags);
	if (flags & VDP_TUN_F_KEY)
		__set_bit(IP_TUNNEL_KEY_BIT, info->key.tun_flags);
	if (flags & VDP_TUN_F_CSUM)
		__set_bit(IP_TUNNEL_CSUM_BIT, info->key.tun_flags);
	if (flags & VDP_TUN_F_DF)
		__set_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags);
	if (flags & VDP_TUN_F_OAM)
		__set_bit(IP_TUNNEL_OAM_BIT, info->key.tun_flags);
}

static u16 vdp_tun_info_get_flags(const struct ip_tunnel_info *info)
{
	return (test_bit(IP_TUNNEL_KEY_BIT, info->key.tun_flags) ?
		VDP_TUN_F_KEY : 0) |
	       (test_bit(IP_TUNNEL_CSUM_BIT, info->key.tun_flags) ?
		VDP_TUN_F_CSUM : 0) |
	       (test_bit(IP_TUNNEL_DONT_FRAGMENT_BIT, info->key.tun_flags) ?
		VDP_TUN_F_DF : 0) |
	       (test_bit(IP_TUNNEL_OAM_BIT, info->key.tun_flags) ?
		VDP_TUN_F_OAM : 0);
}
#else
static void vdp_tun_info_set_flags(struct ip_tunnel_info *info, u16 flags)
{
	info->key.tun_flags = (flags & VDP_TUN_F_KEY ? TUNNEL_KEY : 0) |
			      (flags & VDP_TUN_F_CSUM ? TUNNEL_CSUM : 0) |
			      (flags & VDP_TUN_F_DF ? TUNNEL_DONT_FRAGMENT : 0) |
			      (flags & VDP_TUN_F_OAM ? TUNNEL_OAM : 0);
}

static u16 vdp_tun_info_get_flags(const struct ip_tunnel_info *info)
{
	__be16 f = info->key.tun_flags;

	return (f & TUNNEL_KEY ? VDP_TUN_F_KEY : 0) |
	       (f & TUNNEL_CSUM ? VDP_TUN_F_CSUM : 0) |
	       (f & TUNNEL_DONT_FRAGMENT ? VDP_TUN_F_DF : 0) |
	       (f & TUNNEL_OAM ? VDP_TUN_F_OAM : 0);
}
#endif

/**
 * vdp_tun_from_info - the tunnel key of an ip_tunnel_info.
 * @tun: filled
 * @info: tunnel info of a received packet, or of a set(tunnel(...))
 *
 * Return: true (IPv4 and IPv6 infos are both understood).
 */
bool vdp_tun_from_info(struct vdp_tun_key *tun,
		       const struct ip_tunnel_info *info)
{
	memset(tun, 0, sizeof(*tun));
	tun->flags = vdp_tun_info_get_flags(info);
	if (tun->flags & VDP_TUN_F_KEY)
		tun->id = info->key.tun_id;
	if (ip_tunnel_info_af(info) == AF_INET6) {
		tun->ipv6_src = info->key.u.ipv6.src;
		tun->ipv6_dst = info->key.u.ipv6.dst;
	} else {
		tun->src = info->key.u.ipv4.src;
		tun->dst = info->key.u.ipv4.dst;
	}
	tun->tos = info->key.tos;
	tun->ttl = info->key.ttl;
	tun->tp_src = info->key.tp_src;
	tun->tp_dst = info->key.tp_dst;
	return true;
}

/**
 * vdp_tun_md_build - the metadata dst of a validated set(tunnel(...)).
 * @a: OVS_ACTION_ATTR_SET holding OVS_KEY_ATTR_TUNNEL
 * @gfp: allocation flags
 *
 * Built once per action list (vdp_actions_build()); the packet path only
 * takes a reference.  Its tunnel info is in TX mode with a per-CPU route
 * cache (dst_cache) that a transmitting tunnel may use.
 *
 * Return: the dst, holding one reference (dst_release() drops it), or
 * ERR_PTR(-ENOMEM).
 */
struct metadata_dst *vdp_tun_md_build(const struct nlattr *a, gfp_t gfp)
{
	struct ip_tunnel_info *info;
	struct metadata_dst *md;
	struct vdp_tun_key tun;

	/* Validated: cannot fail. */
	vdp_tun_from_attr(nla_data(a), &tun, false, NULL);
	md = metadata_dst_alloc(0, METADATA_IP_TUNNEL, gfp);
	if (!md)
		return ERR_PTR(-ENOMEM);
	info = &md->u.tun_info;
	if (dst_cache_init(&info->dst_cache, gfp)) {
		metadata_dst_free(md);
		return ERR_PTR(-ENOMEM);
	}
	info->mode = IP_TUNNEL_INFO_TX;
	info->key.tun_id = tun.id;
	if (vdp_tun_is_ipv6(&tun)) {
		info->mode |= IP_TUNNEL_INFO_IPV6;
		info->key.u.ipv6.src = tun.ipv6_src;
		info->key.u.ipv6.dst = tun.ipv6_dst;
	} else {
		info->key.u.ipv4.src = tun.src;
		info->key.u.ipv4.dst = tun.dst;
	}
	info->key.tos = tun.tos;
	info->key.ttl = tun.ttl;
	info->key.tp_src = tun.tp_src;
	info->key.tp_dst = tun.tp_dst;
	vdp_tun_info_set_flags(info, tun.flags);
	return md;
}
