// SPDX-License-Identifier: GPL-2.0
/*
 * vport-netdev.c - ports backed by an existing Ethernet device.
 *
 * The device gets our rx_handler (which also keeps it out of bridges and
 * bonds), the datapath's local port as its master upper device (so
 * `ip link` shows it enslaved to the datapath) and promiscuous mode.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst_metadata.h>

#include "datapath.h"

static rx_handler_result_t vdp_netdev_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ip_tunnel_info *info;
	struct vdp_tun_key tun;
	struct vdp_vport *vport;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	vport = rcu_dereference(skb->dev->rx_handler_data);
	if (unlikely(!vport))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;
	/* The datapath sees whole frames, from the Ethernet header on. */
	skb_push_rcsum(skb, skb->data - skb_mac_header(skb));
	/* A Linux tunnel device in collect-metadata mode tells the outer
	 * header in the packet's metadata dst.
	 */
	info = skb_tunnel_info(skb);
	if (info && !(info->mode & IP_TUNNEL_INFO_TX) &&
	    vdp_tun_from_info(&tun, info)) {
		vdp_vport_receive_tun(vport, skb, &tun);
		return RX_HANDLER_CONSUMED;
	}
	vdp_vport_receive(vport, skb);
	return RX_HANDLER_CONSUMED;
}

/**
 * vdp_netdev_get_vport - the vport of a device attached as a netdev port.
 * @dev: any device (RTNL or RCU)
 *
 * Return: the vport, or NULL if @dev is not one of our netdev ports.
 */
struct vdp_vport *vdp_netdev_get_vport(struct net_device *dev)
{
	if (rcu_access_pointer(dev->rx_handler) != vdp_netdev_rx_handler)
		return NULL;
	return rtnl_dereference(dev->rx_handler_data);
}

/**
 * vdp_netdev_attach - hook an existing device up as a port.
 * @vport: the port being created (dp and port_no set)
 * @net: netns to look the device up in
 * @name: device name
 * @extack: error report
 *
 * Return: 0 or a negative errno.
 */
int vdp_netdev_attach(struct vdp_vport *vport, struct net *net,
		      const char *name, struct netlink_ext_ack *extack)
{
	struct vdp_vport *local = vdp_port_rcu(vport->dp, VDP_LOCAL_PORT);
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = __dev_get_by_name(net, name);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such network device");
		return -ENODEV;
	}
	if (dev->flags & IFF_LOOPBACK || dev->type != ARPHRD_ETHER ||
	    dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "only Ethernet devices can be netdev ports");
		return -EINVAL;
	}
	if (vdp_internal_get_vport(dev) || vdp_vxlan_get_vport(dev)) {
		NL_SET_ERR_MSG(extack, "device is an internal or vxlan port of a datapath");
		return -EINVAL;
	}
	if (!local) {
		NL_SET_ERR_MSG(extack, "datapath has no local port");
		return -ENODEV;
	}
	dev_hold(dev);
	vport->dev = dev;
	err = netdev_rx_handler_register(dev, vdp_netdev_rx_handler, vport);
	if (err) {
		NL_SET_ERR_MSG(extack, "device is busy (already bridged or a port?)");
		goto err_put;
	}
	err = netdev_master_upper_dev_link(dev, local->dev, NULL, NULL, extack);
	if (err)
		goto err_unregister;
	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto err_unlink;
	return 0;

err_unlink:
	netdev_upper_dev_unlink(dev, local->dev);
err_unregister:
	netdev_rx_handler_unregister(dev);
err_put:
	vport->dev = NULL;
	dev_put(dev);
	return err;
}

/**
 * vdp_netdev_detach - undo vdp_netdev_attach (RTNL held).
 * @vport: port
 *
 * The device reference is dropped with the vport, after RCU.
 */
void vdp_netdev_detach(struct vdp_vport *vport)
{
	struct net_device *dev = vport->dev;
	struct net_device *master;

	ASSERT_RTNL();
	netdev_rx_handler_unregister(dev);
	master = netdev_master_upper_dev_get(dev);
	if (master)
		netdev_upper_dev_unlink(dev, master);
	dev_set_promiscuity(dev, -1);
}

/**
 * vdp_netdev_send - transmit a packet on the port's device; consumes it.
 * @vport: port
 * @skb: packet
 */
void vdp_netdev_send(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	unsigned int len = skb->len - ETH_HLEN;

	if (skb_vlan_tagged(skb) && !skb_vlan_tag_present(skb))
		len -= VLAN_HLEN;
	if (unlikely(!(dev->flags & IFF_UP) ||
		     (len > dev->mtu && !skb_is_gso(skb)))) {
		kfree_skb(skb);
		return;
	}
	skb->dev = dev;
	dev_queue_xmit(skb);
}
