// SPDX-License-Identifier: GPL-2.0
/*
 * vport-internal.c - ports backed by a device the datapath creates.
 *
 * What the host transmits on such a device enters the datapath; what the
 * datapath outputs to it is received by the host stack.  Port 0 of every
 * datapath is an internal port named after the datapath.  The device is
 * bound to its netns and is deleted with its port.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/version.h>
#include <net/netfilter/nf_conntrack.h>

#include "datapath.h"

/**
 * struct vdp_internal_priv - private area of an internal device.
 * @vport: the port this device backs
 */
struct vdp_internal_priv {
	struct vdp_vport __rcu *vport;	/* NULL once the port is deleted */
};

static netdev_tx_t vdp_internal_xmit(struct sk_buff *skb,
				     struct net_device *dev)
{
	struct vdp_internal_priv *priv = netdev_priv(dev);
	struct vdp_vport *vport;
	unsigned int len = skb->len;

	rcu_read_lock();
	vport = rcu_dereference(priv->vport);
	if (unlikely(!vport || len < ETH_HLEN)) {
		rcu_read_unlock();
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	vdp_vport_receive(vport, skb);
	rcu_read_unlock();
	dev_sw_netstats_tx_add(dev, 1, len);
	return NETDEV_TX_OK;
}

static int vdp_internal_open(struct net_device *dev)
{
	netif_start_queue(dev);
	return 0;
}

static int vdp_internal_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

/*
 * vdp_dev_tstats_init - ndo_init of the module's own devices (internal
 * and VXLAN ports): per-CPU counters, freed by vdp_dev_tstats_free() as
 * the device's priv_destructor.
 */
int vdp_dev_tstats_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

void vdp_dev_tstats_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
	dev->tstats = NULL;
}

static const struct net_device_ops vdp_internal_ops = {
	.ndo_init = vdp_dev_tstats_init,
	.ndo_open = vdp_internal_open,
	.ndo_stop = vdp_internal_stop,
	.ndo_start_xmit = vdp_internal_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void vdp_internal_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &vdp_internal_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vdp_dev_tstats_free;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->max_mtu = ETH_MAX_MTU - ETH_HLEN;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA |
			 NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE;
	dev->hw_features = dev->features;
	dev->vlan_features = dev->features;
	eth_hw_addr_random(dev);
}

/**
 * vdp_internal_get_vport - the vport of one of our internal devices.
 * @dev: any device (RTNL or RCU)
 *
 * Return: the vport, or NULL if @dev is not an internal port (anymore).
 */
struct vdp_vport *vdp_internal_get_vport(struct net_device *dev)
{
	struct vdp_internal_priv *priv;

	if (dev->netdev_ops != &vdp_internal_ops)
		return NULL;
	priv = netdev_priv(dev);
	return rcu_dereference_check(priv->vport, lockdep_rtnl_is_held());
}

/**
 * vdp_internal_create - create and register the device of an internal port.
 * @vport: the port being created
 * @net: netns of the device
 * @name: device name
 * @extack: error report
 *
 * Return: 0 or a negative errno.
 */
int vdp_internal_create(struct vdp_vport *vport, struct net *net,
			const char *name, struct netlink_ext_ack *extack)
{
	struct vdp_internal_priv *priv;
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	if (!dev_valid_name(name)) {
		NL_SET_ERR_MSG(extack, "invalid device name");
		return -EINVAL;
	}
	dev = alloc_netdev(sizeof(*priv), name, NET_NAME_USER,
			   vdp_internal_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	priv = netdev_priv(dev);
	RCU_INIT_POINTER(priv->vport, NULL);
	err = register_netdevice(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the device (name taken?)");
		free_netdev(dev);
		return err;
	}
	/* Only now: a failed registration must not look like our port. */
	rcu_assign_pointer(priv->vport, vport);
	dev_hold(dev);
	vport->dev = dev;
	return 0;
}

/**
 * vdp_internal_destroy - unregister the device of an internal port.
 * @vport: port
 *
 * RTNL held.  The device memory lives until its last reference (the
 * vport's, dropped after RCU) is gone.
 */
void vdp_internal_destroy(struct vdp_vport *vport)
{
	struct vdp_internal_priv *priv = netdev_priv(vport->dev);

	ASSERT_RTNL();
	RCU_INIT_POINTER(priv->vport, NULL);
	if (vport->dev->reg_state == NETREG_REGISTERED)
		unregister_netdevice(vport->dev);
}

/**
 * vdp_internal_send - hand a packet from the datapath to the host stack.
 * @vport: port
 * @skb: packet
 */
void vdp_internal_send(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct net_device *dev = vport->dev;
	unsigned int len;

	if (unlikely(!(dev->flags & IFF_UP) || !pskb_may_pull(skb, ETH_HLEN))) {
		kfree_skb(skb);
		return;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->protocol = eth_type_trans(skb, dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	len = skb->len;
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
}
