// SPDX-License-Identifier: GPL-2.0
/*
 * vport-vxlan.c - VXLAN tunnel ports (RFC 7348), IPv4 underlay.
 *
 * A VXLAN vport owns a kernel UDP socket bound to its destination port
 * (OVS_TUNNEL_ATTR_DST_PORT, default 4789) on every IPv4 address of the
 * datapath's netns, set up as a UDP tunnel socket: encapsulated frames
 * arrive in vdp_vxlan_rcv(), which checks the VXLAN header, strips the
 * outer headers and hands the inner frame to the datapath with the outer
 * header in the key's tunnel fields.  On output the packet must carry the
 * egress tunnel info of a set(tunnel(...)) action (a metadata dst); the
 * port routes the outer destination, pushes the VXLAN header and sends it
 * with udp_tunnel_xmit_skb().
 *
 * The port also has a net_device of its own, named after it, so that it
 * shows up in `ip link` and has counters; it carries no traffic: what the
 * host transmits on it is dropped.
 *
 * Not supported: IPv6 outer headers, VXLAN-GBP/GPE extensions, receive
 * GRO, the port's own remote/key configuration (the flow gives them).
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/udp.h>
#include <linux/version.h>
#include <net/dst_metadata.h>
#include <net/ip_tunnels.h>
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
 * @dst_port: its UDP port, host order
 */
struct vdp_vxlan_priv {
	struct vdp_vport __rcu *vport;	/* NULL once the port is deleted */
	struct socket *sock;		/* the UDP tunnel socket */
	u16 dst_port;			/* its port, host order */
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

static const struct net_device_ops vdp_vxlan_dev_ops = {
	.ndo_init = vdp_dev_tstats_init,
	.ndo_start_xmit = vdp_vxlan_dev_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void vdp_vxlan_dev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &vdp_vxlan_dev_ops;
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
	const struct iphdr *iph;
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
	if (vxh->flags != htonl(VDP_VXLAN_FLAG_I) || vxh->vni & htonl(0xff))
		goto err;

	iph = ip_hdr(skb);
	memset(&tun, 0, sizeof(tun));
	tun.id = cpu_to_be64(ntohl(vxh->vni) >> 8);
	tun.flags = VDP_TUN_F_KEY;
	if (iph->frag_off & htons(IP_DF))
		tun.flags |= VDP_TUN_F_DF;
	if (uh->check)
		tun.flags |= VDP_TUN_F_CSUM;
	tun.src = iph->saddr;
	tun.dst = iph->daddr;
	tun.tos = iph->tos;
	tun.ttl = iph->ttl;
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

/**
 * vdp_vxlan_send - encapsulate and transmit a packet; consumes @skb.
 * @vport: a VXLAN port
 * @skb: the inner frame, data at its Ethernet header, with the egress
 *       tunnel info of a set(tunnel(...)) action
 */
void vdp_vxlan_send(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	struct vdp_vxlan_priv *priv = netdev_priv(dev);
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);
	struct net *net = dev_net(dev);
	struct vdp_vxlanhdr *vxh;
	struct vdp_tun_key tun;
	__be16 sport, dport, df;
	struct flowi4 fl4;
	struct rtable *rt;
	int headroom;
	bool csum;
	u8 ttl;

	if (!info || !(info->mode & IP_TUNNEL_INFO_TX) ||
	    !vdp_tun_from_info(&tun, info) || !tun.dst) {
		net_dbg_ratelimited("vswitch_dp: %s: output without an IPv4 set(tunnel())\n",
				    dev->name);
		goto tx_error;
	}
	dport = tun.tp_dst ? tun.tp_dst : htons(priv->dst_port);
	csum = tun.flags & VDP_TUN_F_CSUM;
	df = tun.flags & VDP_TUN_F_DF ? htons(IP_DF) : 0;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = tun.dst;
	fl4.saddr = tun.src;
	fl4.flowi4_tos = RT_TOS(tun.tos);
	fl4.flowi4_mark = skb->mark;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.fl4_dport = dport;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		DEV_STATS_INC(dev, tx_carrier_errors);
		goto tx_error;
	}
	if (rt->dst.dev == dev) {
		ip_rt_put(rt);
		goto tx_error;
	}
	ttl = tun.ttl ? tun.ttl : ip4_dst_hoplimit(&rt->dst);
	sport = udp_flow_src_port(net, skb, 0, 0, true);

	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb) {
			ip_rt_put(rt);
			DEV_STATS_INC(dev, tx_errors);
			return;
		}
	}
	headroom = LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len +
		   sizeof(struct iphdr) + VDP_VXLAN_HLEN;
	if (skb_cow_head(skb, headroom)) {
		ip_rt_put(rt);
		goto tx_error;
	}
	skb_reset_mac_header(skb);
	if (iptunnel_handle_offloads(skb, csum ? SKB_GSO_UDP_TUNNEL_CSUM :
						 SKB_GSO_UDP_TUNNEL)) {
		ip_rt_put(rt);
		goto tx_error;
	}
	vxh = __skb_push(skb, sizeof(*vxh));
	vxh->flags = htonl(VDP_VXLAN_FLAG_I);
	vxh->vni = htonl((u32)be64_to_cpu(tun.id) << 8);
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	/* iptunnel_xmit() counts the packet on skb->dev's tstats. */
	skb->dev = dev;
	udp_tunnel_xmit_skb(rt, priv->sock->sk, skb, fl4.saddr, tun.dst,
			    tun.tos, ttl, df, sport, dport, false, !csum);
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
 * vdp_vxlan_create - create a VXLAN port: its device and its socket.
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
	return 0;

err_sock:
	udp_tunnel_sock_release(sock);
	return err;
}

/**
 * vdp_vxlan_destroy - close the socket and unregister the device.
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
