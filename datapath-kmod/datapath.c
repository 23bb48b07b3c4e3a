// SPDX-License-Identifier: GPL-2.0
/*
 * datapath.c - datapath objects and the per-packet path through them.
 */
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "datapath.h"

static DEFINE_PER_CPU(int, vdp_exec_depth);

/* Every datapath of every netns, for the periodic mask reordering. */
static LIST_HEAD(vdp_all_dps);

#define VDP_REORDER_INTERVAL	HZ

static void vdp_reorder_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(vdp_reorder, vdp_reorder_work);

static void vdp_reorder_work(struct work_struct *work)
{
	struct vdp_datapath *dp;

	vdp_lock();
	list_for_each_entry(dp, &vdp_all_dps, all_node)
		vdp_table_reorder(&dp->table);
	vdp_unlock();
	queue_delayed_work(vdp_wq, &vdp_reorder, VDP_REORDER_INTERVAL);
}

/**
 * vdp_reorder_start - start the periodic mask reordering.
 */
void vdp_reorder_start(void)
{
	queue_delayed_work(vdp_wq, &vdp_reorder, VDP_REORDER_INTERVAL);
}

/**
 * vdp_reorder_stop - stop it (no lock held; before module unload).
 */
void vdp_reorder_stop(void)
{
	cancel_delayed_work_sync(&vdp_reorder);
}

/**
 * vdp_pids_from_attr - copy an array of u32 netlink port ids.
 * @attr: attribute whose payload is a non-empty array of u32
 *
 * Return: a new array (kfree() it) or NULL on allocation failure.
 */
struct vdp_pids *vdp_pids_from_attr(const struct nlattr *attr)
{
	u32 n = nla_len(attr) / sizeof(u32);
	struct vdp_pids *p;

	p = kzalloc(struct_size(p, ids, n), GFP_KERNEL);
	if (!p)
		return NULL;
	p->n = n;
	memcpy(p->ids, nla_data(attr), n * sizeof(u32));
	return p;
}

/**
 * vdp_dp_create - create a datapath with its local port.
 * @net: netns (RTNL and vdp_mutex held)
 * @name: name of the datapath and of its local port
 * @upcall_pid: netlink port for upcalls of the local port
 * @extack: error report
 *
 * Return: the datapath or an ERR_PTR.
 */
struct vdp_datapath *vdp_dp_create(struct net *net, const char *name,
				   u32 upcall_pid,
				   struct netlink_ext_ack *extack)
{
	struct vdp_net *vn = net_generic(net, vdp_net_id);
	struct vdp_datapath *dp;
	struct vdp_vport *local;
	struct vdp_pids *pids;
	int err = -ENOMEM, cpu;

	ASSERT_RTNL();
	vdp_assert_locked();
	dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return ERR_PTR(-ENOMEM);
	dp->net = net;
	strscpy(dp->name, name, sizeof(dp->name));
	dp->ports = kcalloc(VDP_MAX_PORTS, sizeof(*dp->ports), GFP_KERNEL);
	if (!dp->ports)
		goto err_free_dp;
	dp->stats = alloc_percpu(struct vdp_dp_stats);
	if (!dp->stats)
		goto err_free_ports;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(dp->stats, cpu)->syncp);
	err = vdp_table_init(&dp->table);
	if (err)
		goto err_free_stats;

	pids = kzalloc(struct_size(pids, ids, 1), GFP_KERNEL);
	if (!pids) {
		err = -ENOMEM;
		goto err_destroy_table;
	}
	pids->n = 1;
	pids->ids[0] = upcall_pid;
	local = vdp_vport_add(dp, name, OVS_VPORT_TYPE_INTERNAL, VDP_LOCAL_PORT,
			      pids, NULL, extack);
	if (IS_ERR(local)) {
		err = PTR_ERR(local);
		if (err == -EEXIST)
			NL_SET_ERR_MSG(extack, "a device with that name exists");
		goto err_destroy_table;
	}
	list_add_tail_rcu(&dp->node, &vn->dps);
	list_add_tail(&dp->all_node, &vdp_all_dps);
	return dp;

err_destroy_table:
	vdp_table_destroy(&dp->table);
err_free_stats:
	free_percpu(dp->stats);
err_free_ports:
	kfree(dp->ports);
err_free_dp:
	kfree(dp);
	return ERR_PTR(err);
}

static void vdp_dp_free_rcu(struct rcu_head *head)
{
	struct vdp_datapath *dp = container_of(head, struct vdp_datapath, rcu);

	kfree(rcu_dereference_raw(dp->cpu_pids));
	free_percpu(dp->stats);
	kfree(dp->ports);
	kfree(dp);
}

/**
 * vdp_dp_destroy - delete every port and flow, free after RCU.
 * @dp: datapath (RTNL and vdp_mutex held)
 */
void vdp_dp_destroy(struct vdp_datapath *dp)
{
	int i;

	ASSERT_RTNL();
	vdp_assert_locked();
	list_del_rcu(&dp->node);
	list_del(&dp->all_node);
	/* Local port last: the others are its lower devices. */
	for (i = VDP_MAX_PORTS - 1; i >= 0; i--) {
		struct vdp_vport *v = vdp_port_rcu(dp, i);

		if (v)
			vdp_vport_del(v);
	}
	vdp_table_destroy(&dp->table);
	call_rcu(&dp->rcu, vdp_dp_free_rcu);
}

/**
 * vdp_dp_ifindex - ifindex of the datapath's local port, 0 if it has none.
 * @dp: datapath
 */
int vdp_dp_ifindex(const struct vdp_datapath *dp)
{
	struct vdp_vport *local = vdp_port_rcu(dp, VDP_LOCAL_PORT);

	return local ? local->dev->ifindex : 0;
}

/**
 * vdp_dp_lookup - find a datapath by ifindex of one of its internal ports
 * @net: network namespace
 * @dp_ifindex: ifindex of the datapath's local port, or 0 to look up by @name
 * @name: name to look up
 * or, if @dp_ifindex is 0, by name (vdp_mutex held).
 *
 * Return: the datapath or NULL.
 */
struct vdp_datapath *vdp_dp_lookup(struct net *net, int dp_ifindex,
				   const char *name)
{
	struct vdp_net *vn = net_generic(net, vdp_net_id);
	struct vdp_datapath *dp;

	vdp_assert_locked();
	if (dp_ifindex) {
		struct net_device *dev = __dev_get_by_index(net, dp_ifindex);
		struct vdp_vport *v = dev ? vdp_internal_get_vport(dev) : NULL;

		return v ? v->dp : NULL;
	}
	if (!name)
		return NULL;
	list_for_each_entry(dp, &vn->dps, node)
		if (!strncmp(dp->name, name, IFNAMSIZ))
			return dp;
	return NULL;
}

/**
 * vdp_dp_lookup_rcu - find a datapath by ifindex (RCU read side).
 * @net: network namespace
 * @dp_ifindex: ifindex of the datapath's local port, or 0 to look up by @name
 */
struct vdp_datapath *vdp_dp_lookup_rcu(struct net *net, int dp_ifindex)
{
	struct net_device *dev = dev_get_by_index_rcu(net, dp_ifindex);
	struct vdp_vport *v = dev ? vdp_internal_get_vport(dev) : NULL;

	return v ? v->dp : NULL;
}

/**
 * vdp_dp_get_stats - sum the per-CPU counters of a datapath.
 * @dp: datapath
 * @st: filled with the counters
 * @mst: filled with the mask counters
 */
void vdp_dp_get_stats(struct vdp_datapath *dp, struct ovs_dp_stats *st,
		      struct ovs_dp_megaflow_stats *mst)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	memset(mst, 0, sizeof(*mst));
	st->n_flows = dp->table.n_flows;
	mst->n_masks = vdp_table_n_masks(&dp->table);
	for_each_possible_cpu(cpu) {
		const struct vdp_dp_stats *s = per_cpu_ptr(dp->stats, cpu);
		struct vdp_dp_stats l;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			l.n_hit = s->n_hit;
			l.n_missed = s->n_missed;
			l.n_lost = s->n_lost;
			l.n_mask_hit = s->n_mask_hit;
			l.n_cache_hit = s->n_cache_hit;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->n_hit += l.n_hit;
		st->n_missed += l.n_missed;
		st->n_lost += l.n_lost;
		mst->n_mask_hit += l.n_mask_hit;
		mst->n_cache_hit += l.n_cache_hit;
	}
}

/**
 * vdp_dp_count_lost - count an upcall that could not be delivered.
 * @dp: datapath
 */
void vdp_dp_count_lost(struct vdp_datapath *dp)
{
	struct vdp_dp_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(dp->stats);
	u64_stats_update_begin(&s->syncp);
	s->n_lost++;
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/**
 * vdp_exec_enter - count a datapath entry on this CPU.
 *
 * Return: the depth after entering (1 for the outermost entry), or 0 if
 * that would exceed VDP_MAX_EXEC_DEPTH (then do not call vdp_exec_leave).
 */
int vdp_exec_enter(void)
{
	int depth = __this_cpu_inc_return(vdp_exec_depth);

	if (unlikely(depth > VDP_MAX_EXEC_DEPTH)) {
		__this_cpu_dec(vdp_exec_depth);
		return 0;
	}
	return depth;
}

/**
 * vdp_exec_leave - undo vdp_exec_enter.
 */
void vdp_exec_leave(void)
{
	__this_cpu_dec(vdp_exec_depth);
}

static void vdp_process_one(struct vdp_datapath *dp, struct sk_buff *skb,
			    struct vdp_key *key)
{
	struct vdp_dp_stats *s = this_cpu_ptr(dp->stats);
	u32 n_mask_hit = 0, n_cache_hit = 0;
	struct vdp_flow *flow;
	bool hit;

	flow = vdp_table_lookup(&dp->table, key, skb_get_hash(skb),
				&n_mask_hit, &n_cache_hit);
	hit = flow;
	u64_stats_update_begin(&s->syncp);
	if (hit)
		s->n_hit++;
	else
		s->n_missed++;
	s->n_mask_hit += n_mask_hit;
	s->n_cache_hit += n_cache_hit;
	u64_stats_update_end(&s->syncp);

	if (!flow) {
		struct vdp_vport *in = vdp_port_rcu(dp, key->in_port);
		struct vdp_upcall_info info = { .cmd = OVS_PACKET_CMD_MISS };
		struct vdp_pids *cpu_pids;

		if (dp->user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) {
			cpu_pids = rcu_dereference(dp->cpu_pids);
			if (cpu_pids && cpu_pids->n)
				info.portid = cpu_pids->ids[smp_processor_id() %
							    cpu_pids->n];
		} else if (in) {
			info.portid = vdp_vport_upcall_pid(in, skb);
		}
		if (in && info.portid && !vdp_vport_upcall_allowed(in))
			info.portid = 0;
		vdp_upcall(dp, skb, key, &info);
		consume_skb(skb);
		return;
	}
	vdp_flow_used(flow, skb, key->tcp_flags);
	{
		struct vdp_actions *acts = rcu_dereference(flow->acts);

		vdp_execute_actions(dp, skb, key, acts);
	}
}

/**
 * vdp_dp_process - look a packet up and act on it; consumes @skb.
 * @dp: datapath
 * @skb: packet, data at its Ethernet header
 * @key: its extracted key
 *
 * Caller holds rcu_read_lock() with bottom halves disabled.  Re-entries
 * (a packet sent to a port whose transmit enters a datapath again) are
 * bounded by VDP_MAX_EXEC_DEPTH; the outermost entry drains the per-CPU
 * recirculation queue.
 */
void vdp_dp_process(struct vdp_datapath *dp, struct sk_buff *skb,
		    struct vdp_key *key)
{
	int depth = vdp_exec_enter();

	if (!depth) {
		net_warn_ratelimited("vswitch_dp: %s: datapath re-entered too deeply, packet dropped\n",
				     dp->name);
		kfree_skb(skb);
		return;
	}
	vdp_process_one(dp, skb, key);
	if (depth == 1)
		vdp_deferred_drain(dp);
	vdp_exec_leave();
}
