// SPDX-License-Identifier: GPL-2.0
/*
 * vport.c - datapath ports, independent of their type.
 *
 * A vport is published in dp->ports[port_no] under vdp_mutex and RTNL and
 * freed (with its device reference) after an RCU grace period, so the
 * packet path may use any vport it found under rcu_read_lock().
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "datapath.h"

static void vdp_vport_free_rcu(struct rcu_head *head)
{
	struct vdp_vport *vport = container_of(head, struct vdp_vport, rcu);

	kfree(rcu_dereference_raw(vport->pids));
	dev_put(vport->dev);
	kfree(vport);
}

/**
 * vdp_vport_add - create a port and publish it in its datapath.
 * @dp: datapath (RTNL and vdp_mutex held)
 * @name: device name
 * @type: OVS_VPORT_TYPE_NETDEV, _INTERNAL or _VXLAN
 * @port_no: number, free and below VDP_MAX_PORTS
 * @pids: upcall ports, owned by the vport from now on (even on error)
 * @options: OVS_VPORT_ATTR_OPTIONS (VXLAN only) or NULL
 * @extack: error report
 *
 * Return: the vport or an ERR_PTR.
 */
struct vdp_vport *vdp_vport_add(struct vdp_datapath *dp, const char *name,
				u32 type, u32 port_no, struct vdp_pids *pids,
				const struct nlattr *options,
				struct netlink_ext_ack *extack)
{
	struct vdp_vport *vport;
	int err;

	ASSERT_RTNL();
	vdp_assert_locked();
	vport = kzalloc(sizeof(*vport), GFP_KERNEL);
	if (!vport) {
		kfree(pids);
		return ERR_PTR(-ENOMEM);
	}
	vport->dp = dp;
	vport->port_no = port_no;
	vport->type = type;
	RCU_INIT_POINTER(vport->pids, pids);
	spin_lock_init(&vport->rl_lock);
	vport->rl_tokens = (u64)vdp_upcall_burst * NSEC_PER_SEC;
	vport->rl_last = ktime_get_ns();
	atomic64_set(&vport->n_throttled, 0);

	switch (type) {
	case OVS_VPORT_TYPE_NETDEV:
		err = vdp_netdev_attach(vport, dp->net, name, extack);
		break;
	case OVS_VPORT_TYPE_INTERNAL:
		err = vdp_internal_create(vport, dp->net, name, extack);
		break;
	case OVS_VPORT_TYPE_VXLAN:
		err = vdp_vxlan_create(vport, dp->net, name, options, extack);
		break;
	default:
		NL_SET_ERR_MSG(extack, "only netdev, internal and vxlan ports are supported");
		err = -EOPNOTSUPP;
		break;
	}
	if (err)
		goto err_free;
	rcu_assign_pointer(dp->ports[port_no], vport);
	dp->n_ports++;
	return vport;

err_free:
	kfree(pids);
	kfree(vport);
	return ERR_PTR(err);
}

/**
 * vdp_vport_del - unpublish a port, detach its device, free it after RCU.
 * @vport: the port (RTNL and vdp_mutex held)
 */
void vdp_vport_del(struct vdp_vport *vport)
{
	struct vdp_datapath *dp = vport->dp;

	ASSERT_RTNL();
	vdp_assert_locked();
	RCU_INIT_POINTER(dp->ports[vport->port_no], NULL);
	dp->n_ports--;
	if (vport->type == OVS_VPORT_TYPE_INTERNAL)
		vdp_internal_destroy(vport);
	else if (vport->type == OVS_VPORT_TYPE_VXLAN)
		vdp_vxlan_destroy(vport);
	else
		vdp_netdev_detach(vport);
	call_rcu(&vport->rcu, vdp_vport_free_rcu);
}

/**
 * vdp_vport_by_name - the port of @dp whose device is @name, or NULL.
 * @dp: datapath
 * @name: name to look up
 */
struct vdp_vport *vdp_vport_by_name(struct vdp_datapath *dp, const char *name)
{
	int i;

	vdp_assert_locked();
	for (i = 0; i < VDP_MAX_PORTS; i++) {
		struct vdp_vport *v = vdp_port_rcu(dp, i);

		if (v && !strncmp(v->dev->name, name, IFNAMSIZ))
			return v;
	}
	return NULL;
}

/**
 * vdp_vport_of_dev - the vport a device of ours or an attached one backs.
 * @dev: any device (RTNL or RCU)
 *
 * Return: the vport or NULL.
 */
struct vdp_vport *vdp_vport_of_dev(struct net_device *dev)
{
	struct vdp_vport *vport = vdp_internal_get_vport(dev);

	if (!vport)
		vport = vdp_vxlan_get_vport(dev);
	if (!vport)
		vport = vdp_netdev_get_vport(dev);
	return vport;
}

/**
 * vdp_vport_receive_tun - a packet entered the datapath through @vport.
 * @vport: the port
 * @skb: the packet, data at its Ethernet header; consumed
 * @tun: the outer header it was decapsulated from, or NULL
 *
 * Caller holds rcu_read_lock() with bottom halves disabled.
 */
void vdp_vport_receive_tun(struct vdp_vport *vport, struct sk_buff *skb,
			   const struct vdp_tun_key *tun)
{
	struct vdp_key key;

	memset(&key, 0, sizeof(key));
	if (tun)
		key.tun = *tun;
	key.in_port = vport->port_no;
	key.priority = skb->priority;
	key.skb_mark = skb->mark;
	if (unlikely(vdp_key_extract(skb, &key))) {
		kfree_skb(skb);
		return;
	}
	vdp_dp_process(vport->dp, skb, &key);
}

/**
 * vdp_vport_receive - a packet entered the datapath through @vport.
 * @vport: the port
 * @skb: the packet, data at its Ethernet header; consumed
 *
 * Caller holds rcu_read_lock() with bottom halves disabled.
 */
void vdp_vport_receive(struct vdp_vport *vport, struct sk_buff *skb)
{
	vdp_vport_receive_tun(vport, skb, NULL);
}

/**
 * vdp_vport_send - transmit a packet out of @vport; consumes @skb.
 * @vport: port
 * @skb: packet
 */
void vdp_vport_send(struct vdp_vport *vport, struct sk_buff *skb)
{
	if (vport->type == OVS_VPORT_TYPE_INTERNAL) {
		vdp_internal_send(vport, skb);
		return;
	}
	if (vport->type == OVS_VPORT_TYPE_VXLAN) {
		vdp_vxlan_send(vport, skb);
		return;
	}
	vdp_netdev_send(vport, skb);
}

/**
 * vdp_vport_get_stats - counters of a port, from its device.
 * @vport: port
 * @st: filled with the counters
 */
void vdp_vport_get_stats(struct vdp_vport *vport, struct ovs_vport_stats *st)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(vport->dev, &s);
	st->rx_packets = s.rx_packets;
	st->tx_packets = s.tx_packets;
	st->rx_bytes = s.rx_bytes;
	st->tx_bytes = s.tx_bytes;
	st->rx_errors = s.rx_errors;
	st->tx_errors = s.tx_errors;
	/* Misses refused by the upcall rate limit: received, then dropped. */
	st->rx_dropped = s.rx_dropped + atomic64_read(&vport->n_throttled);
	st->tx_dropped = s.tx_dropped;
}

/**
 * vdp_vport_upcall_pid - netlink port for a miss on @vport, 0 if none.
 * @vport: port
 * @skb: packet
 */
u32 vdp_vport_upcall_pid(struct vdp_vport *vport, struct sk_buff *skb)
{
	struct vdp_pids *p = rcu_dereference(vport->pids);

	if (!p || !p->n)
		return 0;
	if (p->n == 1)
		return p->ids[0];
	return p->ids[reciprocal_scale(skb_get_hash(skb), p->n)];
}

/**
 * vdp_vport_upcall_allowed - take one token from the port's upcall bucket.
 * @vport: port
 *
 * The bucket refills at vdp_upcall_rate tokens per second up to
 * vdp_upcall_burst; a rate of 0 disables the limit.  A refused upcall is
 * counted in the port's n_throttled (reported as rx_dropped) and, by the
 * caller, as lost in the datapath's stats.
 *
 * Return: true if the upcall may be sent.
 */
bool vdp_vport_upcall_allowed(struct vdp_vport *vport)
{
	u64 rate = READ_ONCE(vdp_upcall_rate);
	u64 cap = (u64)max(READ_ONCE(vdp_upcall_burst), 1U) * NSEC_PER_SEC;
	u64 now, elapsed, t;
	bool ok;

	if (!rate)
		return true;
	spin_lock(&vport->rl_lock);
	now = ktime_get_ns();
	elapsed = now - vport->rl_last;
	/* Past the time it takes to fill the bucket (also avoids overflow). */
	if (elapsed >= div64_u64(cap, rate))
		t = cap;
	else
		t = vport->rl_tokens + elapsed * rate;
	vport->rl_tokens = min(t, cap);
	vport->rl_last = now;
	ok = vport->rl_tokens >= NSEC_PER_SEC;
	if (ok)
		vport->rl_tokens -= NSEC_PER_SEC;
	spin_unlock(&vport->rl_lock);
	if (!ok)
		atomic64_inc(&vport->n_throttled);
	return ok;
}
