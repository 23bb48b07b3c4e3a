// SPDX-License-Identifier: GPL-2.0
/*
 * vport-vxlan.c - VXLAN tunnel ports (RFC 7348), IPv4 and IPv6 underlay.
 *
 * A VXLAN vport owns two kernel UDP sockets bound to its destination port
 * (OVS_TUNNEL_ATTR_DST_PORT, default 4789) on every address of the
 * datapath's netns, one IPv4 and one IPv6 (v6-only; like openvswitch.ko's
 * port it takes IPv6 frames with a zero UDP checksum), both set up as UDP
 * tunnel sockets: encapsulated frames
 * arrive in vdp_vxlan_rcv(), which checks the VXLAN header, strips the
 * outer headers and hands the inner frame to the datapath with the outer
 * header in the key's tunnel fields.  On output the packet must carry the
 * egress tunnel info of a set(tunnel(...)) action (a metadata dst); the
 * port routes the outer destination (through the tunnel info's per-CPU
 * route cache), pushes the VXLAN header and sends it with
 * udp_tunnel_xmit_skb() or, for an IPv6 tunnel destination,
 * udp_tunnel6_xmit_skb() (the outer UDP checksum follows the key's csum
 * flag in both families, as with openvswitch.ko).  A packet too big for
 * the route's MTU once encapsulated is answered with ICMP "fragmentation
 * needed" (ICMPv6 "packet too big") when it may not be fragmented, the
 * reply coming back in through this port; else it is dropped and counted
 * if the outer header has DF or is IPv6 (vdp_vxlan_too_big()).
 * Drop reasons are counted per port and shown by ethtool -S.
 *
 * The port also has a net_device of its own, named after it, so that it
 * shows up in `ip link` and has counters; it carries no traffic: what the
 * host transmits on it is dropped.
 *
 * Not supported: IPv6 flow labels, VXLAN-GBP/GPE extensions, receive
 * GRO, the port's own remote/key configuration (the flow gives them).
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <linux/version.h>
#include <net/dst_metadata.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "datapath.h"

#define VDP_VXLAN_PORT		4789	/* IANA */
#define VDP_VXLAN_FLAG_I	0x08000000	/* first word: VNI valid */
#define VDP_VXLAN_HLEN		(sizeof(struct udphdr) + sizeof(struct vdp_vxlanhdr))

/* The 8-byte VXLAN header: flags + 24 reserved bits, VNI + 8 reserved. */
struct vdp_vxlanhdr {
	__be32 flags;
	__be32 vni;
};

/**
 * struct vdp_vxlan_priv - private area of a VXLAN port's device.
 * @vport: the port; NULL once it is deleted
 * @sock: the UDP tunnel socket
 * @sock6: the IPv6 one, or NULL when the netns has no IPv6
 * @dst_port: its UDP port, host order
 * @n_no_tunnel: outputs without set(tunnel(...)) (ethtool -S, as below)
 * @n_no_route: outputs with no route to the outer destination
 * @n_frag_needed: outputs too big, answered with ICMP to the inner source
 * @n_too_big: outputs too big that could not be answered: dropped
 * @n_rx_bad_header: received frames that are not VXLAN we take
 *
 * The counters are written only when a packet is dropped.
 */
struct vdp_vxlan_priv {
	struct vdp_vport __rcu *vport;	/* NULL once the port is deleted */
	struct socket *sock;		/* the UDP tunnel socket */
	struct socket *sock6;		/* IPv6 one; NULL without IPv6 */
	u16 dst_port;			/* its port, host order */
	/* Why packets were not sent or received (ethtool -S): */
	atomic_long_t n_no_tunnel;	/* output without set(tunnel(...)) */
	atomic_long_t n_no_route;	/* no route to the outer destination */
	atomic_long_t n_frag_needed;	/* too big: ICMP sent to the source */
	atomic_long_t n_too_big;	/* too big, outer DF: dropped */
	atomic_long_t n_rx_bad_header;	/* received: not a VXLAN frame we take */
};

static const struct nla_policy vdp_vxlan_opt_policy[OVS_TUNNEL_ATTR_MAX + 1] = {
	[OVS_TUNNEL_ATTR_DST_PORT] = { .type = NLA_U16 },
	[OVS_TUNNEL_ATTR_EXTENSION] = { .type = NLA_REJECT,
		.reject_message = "VXLAN extensions (GBP) are not supported" },
};

static netdev_tx_t vdp_vxlan_dev_xmit(struct sk_buff *skb,
				      struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const char vdp_vxlan_stat_names[][ETH_GSTRING_LEN] = {
	"tx_no_tunnel_info",
	"tx_no_route",
	"tx_frag_needed",
	"tx_too_big_dropped",
	"rx_bad_header",
};

static int vdp_vxlan_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(vdp_vxlan_stat_names) :
				      -EOPNOTSUPP;
}

static void vdp_vxlan_get_strings(struct net_device *dev, u32 sset, u8 *buf)
{
	if (sset == ETH_SS_STATS)
		memcpy(buf, vdp_vxlan_stat_names, sizeof(vdp_vxlan_stat_names));
}

static void vdp_vxlan_get_ethtool_stats(struct net_device *dev,
					struct ethtool_stats *stats, u64 *data)
{
	struct vdp_vxlan_priv *priv = netdev_priv(dev);

	data[0] = atomic_long_read(&priv->n_no_tunnel);
	data[1] = atomic_long_read(&priv->n_no_route);
	data[2] = atomic_long_read(&priv->n_frag_needed);
	data[3] = atomic_long_read(&priv->n_too_big);
	data[4] = atomic_long_read(&priv->n_rx_bad_header);
}

static const struct ethtool_ops vdp_vxlan_ethtool_ops = {
	.get_sset_count = vdp_vxlan_get_sset_count,
	.get_strings = vdp_vxlan_get_strings,
	.get_ethtool_stats = vdp_vxlan_get_ethtool_stats,
};

static const struct net_device_ops vdp_vxlan_dev_ops = {
	.ndo_init = vdp_dev_tstats_init,
	.ndo_start_xmit = vdp_vxlan_dev_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void vdp_vxlan_dev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &vdp_vxlan_dev_ops;
	dev->ethtool_ops = &vdp_vxlan_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vdp_dev_tstats_free;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->max_mtu = ETH_MAX_MTU - ETH_HLEN;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
	eth_hw_addr_random(dev);
}

/**
 * vdp_vxlan_get_vport - the vport of one of our VXLAN port devices.
 * @dev: any device (RTNL or RCU)
 *
 * Return: the vport, or NULL if @dev is not a VXLAN port's (anymore).
 */
struct vdp_vport *vdp_vxlan_get_vport(struct net_device *dev)
{
	struct vdp_vxlan_priv *priv;

	if (dev->netdev_ops != &vdp_vxlan_dev_ops)
		return NULL;
	priv = netdev_priv(dev);
	return rcu_dereference_check(priv->vport, lockdep_rtnl_is_held());
}

/* encap_rcv of the socket: 0 consumed, >0 not VXLAN (normal UDP). */
static int vdp_vxlan_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct vdp_vxlan_priv *priv = rcu_dereference_sk_user_data(sk);
	const struct vdp_vxlanhdr *vxh;
	const struct udphdr *uh;
	struct vdp_tun_key tun;
	struct vdp_vport *vport;
	struct net_device *dev;

	if (!priv)
		goto drop;
	vport = rcu_dereference(priv->vport);
	if (!vport)
		goto drop;
	dev = vport->dev;
	if (!pskb_may_pull(skb, VDP_VXLAN_HLEN + ETH_HLEN))
		goto err;
	uh = udp_hdr(skb);
	vxh = (const struct vdp_vxlanhdr *)(uh + 1);
	/*
	 * RFC 7348 wants reserved bits ignored; like Linux's vxlan we drop
	 * frames that set any (they would be an extension we do not know).
	 */
	if (vxh->flags != htonl(VDP_VXLAN_FLAG_I) || vxh->vni & htonl(0xff)) {
		atomic_long_inc(&priv->n_rx_bad_header);
		goto err;
	}

	memset(&tun, 0, sizeof(tun));
	tun.id = cpu_to_be64(ntohl(vxh->vni) >> 8);
	tun.flags = VDP_TUN_F_KEY;
	if (uh->check)
		tun.flags |= VDP_TUN_F_CSUM;
	if (sk->sk_family == AF_INET6) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		tun.ipv6_src = ip6h->saddr;
		tun.ipv6_dst = ip6h->daddr;
		tun.tos = ipv6_get_dsfield(ip6h);
		tun.ttl = ip6h->hop_limit;
	} else {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->frag_off & htons(IP_DF))
			tun.flags |= VDP_TUN_F_DF;
		tun.src = iph->saddr;
		tun.dst = iph->daddr;
		tun.tos = iph->tos;
		tun.ttl = iph->ttl;
	}
	tun.tp_src = uh->source;
	tun.tp_dst = uh->dest;

	if (iptunnel_pull_header(skb, VDP_VXLAN_HLEN, htons(ETH_P_TEB),
				 !net_eq(sock_net(sk), dev_net(dev))))
		goto err;
	/* As a netdev port's frames come: typed, data at the MAC header. */
	skb->protocol = eth_type_trans(skb, dev);
	skb_push_rcsum(skb, ETH_HLEN);
	dev_sw_netstats_rx_add(dev, skb->len);
	vdp_vport_receive_tun(vport, skb, &tun);
	return 0;

err:
	DEV_STATS_INC(dev, rx_errors);
drop:
	kfree_skb(skb);
	return 0;
}

/*
 * The route to the outer destination, from the flow's route cache when
 * the tunnel info has one (a set(tunnel(...)) of ours does).  Fills
 * *@saddr with the outer source.  Return: the route (a reference) or an
 * ERR_PTR: no route, or one through @dev itself (-ELOOP).
 */
static struct rtable *vdp_vxlan_route(struct net_device *dev,
				      struct sk_buff *skb,
				      struct ip_tunnel_info *info,
				      const struct vdp_tun_key *tun,
				      __be16 dport, __be32 *saddr)
{
	bool use_cache = ip_tunnel_dst_cache_usable(skb, info);
	struct flowi4 fl4;
	struct rtable *rt;

	if (use_cache) {
		rt = dst_cache_get_ip4(&info->dst_cache, saddr);
		if (rt)
			return rt;
	}
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = tun->dst;
	fl4.saddr = tun->src;
	fl4.flowi4_tos = RT_TOS(tun->tos);
	fl4.flowi4_mark = skb->mark;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.fl4_dport = dport;
	rt = ip_route_output_key(dev_net(dev), &fl4);
	if (IS_ERR(rt))
		return rt;
	if (rt->dst.dev == dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	if (use_cache)
		dst_cache_set_ip4(&info->dst_cache, &rt->dst, fl4.saddr);
	return rt;
}

/*
 * The IPv6 route to the outer destination, as vdp_vxlan_route() (IPv6
 * source in *@saddr).  Return: the route (a reference) or an ERR_PTR.
 */
static struct dst_entry *vdp_vxlan_route6(struct vdp_vxlan_priv *priv,
					  struct net_device *dev,
					  struct sk_buff *skb,
					  struct ip_tunnel_info *info,
					  const struct vdp_tun_key *tun,
					  __be16 dport, struct in6_addr *saddr)
{
	bool use_cache = ip_tunnel_dst_cache_usable(skb, info);
	struct dst_entry *dst;
	struct flowi6 fl6;

	if (!priv->sock6)
		return ERR_PTR(-EAFNOSUPPORT);
	if (use_cache) {
		dst = dst_cache_get_ip6(&info->dst_cache, saddr);
		if (dst)
			return dst;
	}
	memset(&fl6, 0, sizeof(fl6));
	fl6.daddr = tun->ipv6_dst;
	fl6.saddr = tun->ipv6_src;
	fl6.flowlabel = ip6_make_flowinfo(tun->tos, 0);
	fl6.flowi6_mark = skb->mark;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.fl6_dport = dport;
	dst = ipv6_stub->ipv6_dst_lookup_flow(dev_net(dev), priv->sock6->sk,
					      &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	if (dst->dev == dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	if (use_cache)
		dst_cache_set_ip6(&info->dst_cache, dst, &fl6.saddr);
	return dst;
}

/* Whether the inner packet's L3 part (every segment's) fits in @mtu. */
static bool vdp_vxlan_fits(const struct sk_buff *skb, int mtu)
{
	if (mtu <= 0)
		return false;
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu);
	return skb->len - skb_network_offset(skb) <= mtu;
}

/*
 * @skb became an ICMP "fragmentation needed" for the inner source
 * (skb_tunnel_check_pmtu()): it enters the datapath as if it came back
 * through the tunnel from the far end, as Linux's vxlan does for a port
 * of a bridge or of openvswitch.ko, so the flows that deliver the tunnel's
 * traffic take it to the sender.
 */
static void vdp_vxlan_reply(struct vdp_vport *vport, struct sk_buff *skb,
			    const struct vdp_tun_key *tun, __be32 local,
			    const struct in6_addr *local6)
{
	struct vdp_tun_key rtun = *tun;
	int off;

	if (vdp_tun_is_ipv6(tun)) {
		rtun.ipv6_src = tun->ipv6_dst;
		rtun.ipv6_dst = *local6;
	} else {
		rtun.src = tun->dst;
		rtun.dst = local;
	}
	skb_dst_drop(skb);
	skb_gso_reset(skb);
	off = skb_mac_offset(skb);
	if (off < 0)
		__skb_push(skb, -off);
	else if (off > 0 && !skb_pull(skb, off))
		goto drop;
	if (skb->len < ETH_HLEN)
		goto drop;
	skb->dev = vport->dev;
	skb->pkt_type = PACKET_HOST;
	vdp_vport_receive_tun(vport, skb, &rtun);
	return;
drop:
	kfree_skb(skb);
}

/*
 * The outer packet would be bigger than the route's MTU.  An inner IPv4
 * (or IPv6) packet that may not be fragmented is answered with ICMP
 * "fragmentation needed" (IPv6: "packet too big"); otherwise the packet is
 * dropped and counted when the outer header has DF, or left to the IP
 * layer to fragment when it has not.
 *
 * Return: true if @skb was consumed.
 */
static bool vdp_vxlan_too_big(struct vdp_vport *vport, struct sk_buff *skb,
			      struct dst_entry *dst, int overhead,
			      const struct vdp_tun_key *tun, __be32 saddr,
			      const struct in6_addr *saddr6, __be16 df)
{
	struct vdp_vxlan_priv *priv = netdev_priv(vport->dev);
	int err;

	skb_reset_mac_header(skb);
	err = skb_tunnel_check_pmtu(skb, dst, overhead, true);
	if (err > 0) {
		atomic_long_inc(&priv->n_frag_needed);
		dev_core_stats_tx_dropped_inc(vport->dev);
		vdp_vxlan_reply(vport, skb, tun, saddr, saddr6);
		return true;
	}
	/* An IPv6 outer header is never fragmented on the way. */
	if (err < 0 || df || vdp_tun_is_ipv6(tun)) {
		atomic_long_inc(&priv->n_too_big);
		dev_core_stats_tx_dropped_inc(vport->dev);
		net_dbg_ratelimited("vswitch_dp: %s: %u-byte packet does not fit the tunnel's MTU %u, dropped\n",
				    vport->dev->name, skb->len,
				    dst_mtu(dst));
		kfree_skb(skb);
		return true;
	}
	return false;
}

/**
 * vdp_vxlan_send - encapsulate and transmit a packet; consumes @skb.
 * @vport: a VXLAN port
 * @skb: the inner frame, data at its Ethernet header, network header set,
 *       with the egress tunnel info of a set(tunnel(...)) action
 *
 * A packet that does not fit the route's MTU is answered or dropped and
 * counted (vdp_vxlan_too_big()).  GSO packets stay GSO: each segment gets
 * the outer headers when the lower device segments them.
 */
void vdp_vxlan_send(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	struct vdp_vxlan_priv *priv = netdev_priv(dev);
	struct ip_tunnel_info *info = skb_tunnel_info(skb);
	struct net *net = dev_net(dev);
	struct in6_addr saddr6 = {};
	struct vdp_vxlanhdr *vxh;
	struct dst_entry *dst;
	struct vdp_tun_key tun;
	__be16 sport, dport, df;
	int headroom, overhead;
	__be32 saddr = 0;
	bool csum, ipv6;
	u8 ttl;

	if (!info || !(info->mode & IP_TUNNEL_INFO_TX) ||
	    !vdp_tun_from_info(&tun, info) ||
	    (!tun.dst && ipv6_addr_any(&tun.ipv6_dst))) {
		atomic_long_inc(&priv->n_no_tunnel);
		net_dbg_ratelimited("vswitch_dp: %s: output without a set(tunnel())\n",
				    dev->name);
		goto tx_error;
	}
	ipv6 = vdp_tun_is_ipv6(&tun);
	dport = tun.tp_dst ? tun.tp_dst : htons(priv->dst_port);
	csum = tun.flags & VDP_TUN_F_CSUM;
	df = tun.flags & VDP_TUN_F_DF ? htons(IP_DF) : 0;

	if (ipv6) {
		dst = vdp_vxlan_route6(priv, dev, skb, info, &tun, dport,
				       &saddr6);
	} else {
		struct rtable *rt;

		rt = vdp_vxlan_route(dev, skb, info, &tun, dport, &saddr);
		dst = IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
	}
	if (IS_ERR(dst)) {
		atomic_long_inc(&priv->n_no_route);
		DEV_STATS_INC(dev, tx_carrier_errors);
		goto tx_error;
	}
	if (tun.ttl)
		ttl = tun.ttl;
	else
		ttl = ipv6 ? ip6_dst_hoplimit(dst) : ip4_dst_hoplimit(dst);
	sport = udp_flow_src_port(net, skb, 0, 0, true);

	/* Outer IP + UDP + VXLAN, the inner L2 header and any VLAN tag. */
	overhead = (ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) +
		   VDP_VXLAN_HLEN + skb_network_offset(skb) +
		   (skb_vlan_tag_present(skb) ? VLAN_HLEN : 0);
	if (!vdp_vxlan_fits(skb, (int)dst_mtu(dst) - overhead) &&
	    vdp_vxlan_too_big(vport, skb, dst, overhead, &tun, saddr, &saddr6,
			      df)) {
		dst_release(dst);
		return;
	}

	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb) {
			dst_release(dst);
			DEV_STATS_INC(dev, tx_errors);
			return;
		}
	}
	headroom = LL_RESERVED_SPACE(dst->dev) + dst->header_len +
		   (ipv6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) +
		   VDP_VXLAN_HLEN;
	if (skb_cow_head(skb, headroom)) {
		dst_release(dst);
		goto tx_error;
	}
	skb_reset_mac_header(skb);
	if (iptunnel_handle_offloads(skb, csum ? SKB_GSO_UDP_TUNNEL_CSUM :
						 SKB_GSO_UDP_TUNNEL)) {
		dst_release(dst);
		goto tx_error;
	}
	vxh = __skb_push(skb, sizeof(*vxh));
	vxh->flags = htonl(VDP_VXLAN_FLAG_I);
	vxh->vni = htonl((u32)be64_to_cpu(tun.id) << 8);
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	/* iptunnel_xmit() counts the packet on skb->dev's tstats. */
	skb->dev = dev;
	if (ipv6)
		udp_tunnel6_xmit_skb(dst, priv->sock6->sk, skb, dev, &saddr6,
				     &tun.ipv6_dst, tun.tos, ttl, 0, sport,
				     dport, !csum);
	else
		udp_tunnel_xmit_skb(container_of(dst, struct rtable, dst), priv->sock->sk, skb, saddr,
				    tun.dst, tun.tos, ttl, df, sport, dport,
				    false, !csum);
	return;

tx_error:
	DEV_STATS_INC(dev, tx_errors);
	kfree_skb(skb);
}

static int vdp_vxlan_parse_options(const struct nlattr *options, u16 *port,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *a[OVS_TUNNEL_ATTR_MAX + 1];
	int err;

	*port = VDP_VXLAN_PORT;
	if (!options)
		return 0;
	/* Userspace does not flag its nests with NLA_F_NESTED. */
	err = nla_parse_deprecated_strict(a, OVS_TUNNEL_ATTR_MAX,
					  nla_data(options), nla_len(options),
					  vdp_vxlan_opt_policy, extack);
	if (err)
		return err;
	if (a[OVS_TUNNEL_ATTR_DST_PORT]) {
		*port = nla_get_u16(a[OVS_TUNNEL_ATTR_DST_PORT]);
		if (!*port) {
			NL_SET_ERR_MSG_ATTR(extack, a[OVS_TUNNEL_ATTR_DST_PORT],
					    "VXLAN destination port 0");
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * vdp_vxlan_create - create a VXLAN port: its device and its sockets.
 * @vport: the port being created
 * @net: netns of the device and the socket
 * @name: device name
 * @options: OVS_VPORT_ATTR_OPTIONS or NULL
 * @extack: error report
 *
 * Return: 0 or a negative errno.
 */
int vdp_vxlan_create(struct vdp_vport *vport, struct net *net,
		     const char *name, const struct nlattr *options,
		     struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg tcfg = {};
	struct udp_port_cfg ucfg = {};
	struct vdp_vxlan_priv *priv;
	struct net_device *dev;
	struct socket *sock6 = NULL;
	struct socket *sock;
	u16 port;
	int err;

	ASSERT_RTNL();
	err = vdp_vxlan_parse_options(options, &port, extack);
	if (err)
		return err;
	if (!dev_valid_name(name)) {
		NL_SET_ERR_MSG(extack, "invalid device name");
		return -EINVAL;
	}
	ucfg.family = AF_INET;
	ucfg.local_ip.s_addr = htonl(INADDR_ANY);
	ucfg.local_udp_port = htons(port);
	err = udp_sock_create(net, &ucfg, &sock);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot bind the VXLAN UDP port (in use?)");
		return err;
	}
	/* IPv6: v6-only beside the IPv4 one; zero checksums taken. */
	memset(&ucfg, 0, sizeof(ucfg));
	ucfg.family = AF_INET6;
	ucfg.local_ip6 = in6addr_any;
	ucfg.local_udp_port = htons(port);
	ucfg.ipv6_v6only = 1;
	ucfg.use_udp6_rx_checksums = 0;
	err = udp_sock_create(net, &ucfg, &sock6);
	if (err == -EAFNOSUPPORT || err == -EPFNOSUPPORT) {
		sock6 = NULL;	/* no IPv6 in this kernel: IPv4 only */
	} else if (err) {
		NL_SET_ERR_MSG(extack, "cannot bind the VXLAN UDP port on IPv6 (in use?)");
		goto err_sock;
	}

	dev = alloc_netdev(sizeof(*priv), name, NET_NAME_USER,
			   vdp_vxlan_dev_setup);
	if (!dev) {
		err = -ENOMEM;
		goto err_sock;
	}
	dev_net_set(dev, net);
	priv = netdev_priv(dev);
	RCU_INIT_POINTER(priv->vport, NULL);
	priv->sock = sock;
	priv->sock6 = sock6;
	priv->dst_port = port;
	err = register_netdevice(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the device (name taken?)");
		free_netdev(dev);
		goto err_sock;
	}
	err = dev_open(dev, extack);
	if (err) {
		unregister_netdevice(dev);
		goto err_sock;
	}
	rcu_assign_pointer(priv->vport, vport);
	dev_hold(dev);
	vport->dev = dev;

	tcfg.sk_user_data = priv;
	tcfg.encap_type = 1;
	tcfg.encap_rcv = vdp_vxlan_rcv;
	setup_udp_tunnel_sock(net, sock, &tcfg);
	if (sock6)
		setup_udp_tunnel_sock(net, sock6, &tcfg);
	return 0;

err_sock:
	if (sock6)
		udp_tunnel_sock_release(sock6);
	udp_tunnel_sock_release(sock);
	return err;
}

/**
 * vdp_vxlan_destroy - close the sockets and unregister the device.
 * @vport: a VXLAN port (RTNL held)
 *
 * udp_tunnel_sock_release() clears the socket's user data and waits for
 * no one; receivers hold RCU and check priv->vport, which goes first.
 * The device memory (and so priv) lives until the vport's reference is
 * dropped after a grace period.
 */
void vdp_vxlan_destroy(struct vdp_vport *vport)
{
	struct vdp_vxlan_priv *priv = netdev_priv(vport->dev);

	ASSERT_RTNL();
	RCU_INIT_POINTER(priv->vport, NULL);
	udp_tunnel_sock_release(priv->sock);
	priv->sock = NULL;
	if (priv->sock6)
		udp_tunnel_sock_release(priv->sock6);
	priv->sock6 = NULL;
	if (vport->dev->reg_state == NETREG_REGISTERED)
		unregister_netdevice(vport->dev);
}

/**
 * vdp_vxlan_put_options - OVS_VPORT_ATTR_OPTIONS of a VXLAN port.
 * @vport: a VXLAN port
 * @skb: message being built
 *
 * Return: 0 or -EMSGSIZE.
 */
int vdp_vxlan_put_options(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct vdp_vxlan_priv *priv = netdev_priv(vport->dev);
	struct nlattr *nest;

	nest = nla_nest_start_noflag(skb, OVS_VPORT_ATTR_OPTIONS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, OVS_TUNNEL_ATTR_DST_PORT, priv->dst_port)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
