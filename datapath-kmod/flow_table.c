// SPDX-License-Identifier: GPL-2.0
/*
 * flow_table.c - the megaflow table.
 *
 * A table is an array of distinct masks, most used first.  Each mask owns
 * a resizable RCU hash table (rhashtable, jhash with a random seed) of the
 * flows that use it, keyed by the flow's masked key.  A lookup masks the
 * packet's key with each mask in turn and probes that mask's hash table;
 * the first hit wins (userspace never installs overlapping megaflows).
 *
 * A per-CPU cache maps the packet's skb hash to the index of the mask
 * that matched last time, so that most lookups probe a single mask.  A
 * stale entry only costs a full walk.  Every second the datapath reorders
 * the mask array by the hits each mask had since the last time.
 *
 * Writers hold vdp_mutex.  Flows are freed after an RCU grace period;
 * masks (whose rhashtable destruction may sleep) after a grace period
 * from a work item.
 */
#include <linux/jhash.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "datapath.h"

static const struct rhashtable_params vdp_flow_params = {
	.key_len = sizeof(struct vdp_key),
	.key_offset = offsetof(struct vdp_flow, key),
	.head_offset = offsetof(struct vdp_flow, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params vdp_ufid_params = {
	.key_len = sizeof(struct vdp_ufid),
	.key_offset = offsetof(struct vdp_flow, ufid),
	.head_offset = offsetof(struct vdp_flow, ufid_node),
	.automatic_shrinking = true,
};

/**
 * vdp_key_mask_apply - @dst = @key & @mask, byte by byte.
 * @dst: result: @key masked by @mask
 * @key: key
 * @mask: mask
 */
void vdp_key_mask_apply(struct vdp_key *dst, const struct vdp_key *key,
			const struct vdp_key *mask)
{
	const u32 *k = (const u32 *)key, *m = (const u32 *)mask;
	u32 *d = (u32 *)dst;
	int i;

	BUILD_BUG_ON(sizeof(struct vdp_key) % sizeof(u32));
	for (i = 0; i < sizeof(struct vdp_key) / sizeof(u32); i++)
		d[i] = k[i] & m[i];
}

static struct vdp_mask_array *vdp_masks(struct vdp_flow_table *tbl)
{
	return rcu_dereference_check(tbl->masks, lockdep_is_held(&vdp_mutex));
}

/**
 * vdp_table_init - initialise an empty table.
 * @tbl: flow table
 *
 * Return: 0 or -ENOMEM.
 */
int vdp_table_init(struct vdp_flow_table *tbl)
{
	struct vdp_mask_array *ma;
	int err;

	INIT_LIST_HEAD(&tbl->flows);
	tbl->n_flows = 0;
	ma = kzalloc(sizeof(*ma), GFP_KERNEL);
	if (!ma)
		return -ENOMEM;
	RCU_INIT_POINTER(tbl->masks, ma);
	tbl->cache = __alloc_percpu(sizeof(struct vdp_mask_cache_entry) *
				    VDP_MASK_CACHE_SIZE,
				    __alignof__(struct vdp_mask_cache_entry));
	if (!tbl->cache) {
		err = -ENOMEM;
		goto err_free_masks;
	}
	err = rhashtable_init(&tbl->ufids, &vdp_ufid_params);
	if (err)
		goto err_free_cache;
	return 0;

err_free_cache:
	free_percpu(tbl->cache);
err_free_masks:
	kfree(ma);
	return err;
}

static void vdp_mask_free_work(struct work_struct *work)
{
	struct vdp_mask *m = container_of(to_rcu_work(work), struct vdp_mask,
					  rwork);

	rhashtable_destroy(&m->flows);
	free_percpu(m->hits);
	kfree(m);
}

/**
 * vdp_table_destroy - free a table; the caller removed every flow first.
 * @tbl: flow table
 */
void vdp_table_destroy(struct vdp_flow_table *tbl)
{
	struct vdp_mask_array *ma;
	int i;

	vdp_table_flush(tbl);
	ma = rcu_dereference_protected(tbl->masks, true);
	for (i = 0; i < ma->n; i++)	/* empty masks kept after an ENOMEM */
		queue_rcu_work(vdp_wq, &ma->masks[i]->rwork);
	rhashtable_destroy(&tbl->ufids);
	kfree_rcu(ma, rcu);
	free_percpu(tbl->cache);
}

static void vdp_flow_free_rcu(struct rcu_head *head)
{
	struct vdp_flow *flow = container_of(head, struct vdp_flow, rcu);

	vdp_actions_free(rcu_dereference_raw(flow->acts));
	free_percpu(flow->stats);
	kfree(flow);
}

/**
 * vdp_flow_alloc - a zeroed flow with its per-CPU counters.
 *
 * Return: the flow or ERR_PTR(-ENOMEM).
 */
struct vdp_flow *vdp_flow_alloc(void)
{
	struct vdp_flow *flow = kzalloc(sizeof(*flow), GFP_KERNEL);
	int cpu;

	if (!flow)
		return ERR_PTR(-ENOMEM);
	flow->stats = alloc_percpu(struct vdp_flow_stats);
	if (!flow->stats) {
		kfree(flow);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(flow->stats, cpu)->syncp);
	INIT_LIST_HEAD(&flow->list);
	return flow;
}

/**
 * vdp_flow_free - free a flow that readers may still see (after RCU).
 * @flow: flow
 */
void vdp_flow_free(struct vdp_flow *flow)
{
	if (flow)
		call_rcu(&flow->rcu, vdp_flow_free_rcu);
}

static struct vdp_mask *vdp_mask_create(const struct vdp_key *key)
{
	struct vdp_mask *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	m->key = *key;
	m->hits = alloc_percpu(u64);
	if (!m->hits)
		goto err_free;
	if (rhashtable_init(&m->flows, &vdp_flow_params))
		goto err_free_hits;
	INIT_RCU_WORK(&m->rwork, vdp_mask_free_work);
	return m;

err_free_hits:
	free_percpu(m->hits);
err_free:
	kfree(m);
	return NULL;
}

/* Publish a copy of the mask array with 'add' appended and 'del' removed. */
static int vdp_masks_replace(struct vdp_flow_table *tbl, struct vdp_mask *add,
			     struct vdp_mask *del)
{
	struct vdp_mask_array *old = vdp_masks(tbl), *new;
	int i, n = 0;

	new = kzalloc(struct_size(new, masks, old->n + 1), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	for (i = 0; i < old->n; i++)
		if (old->masks[i] != del)
			new->masks[n++] = old->masks[i];
	if (add)
		new->masks[n++] = add;
	new->n = n;
	rcu_assign_pointer(tbl->masks, new);
	kfree_rcu(old, rcu);
	return 0;
}

static struct vdp_mask *vdp_mask_find(struct vdp_flow_table *tbl,
				      const struct vdp_key *mask)
{
	struct vdp_mask_array *ma = vdp_masks(tbl);
	int i;

	for (i = 0; i < ma->n; i++)
		if (!memcmp(&ma->masks[i]->key, mask, sizeof(*mask)))
			return ma->masks[i];
	return NULL;
}

static void vdp_mask_put(struct vdp_flow_table *tbl, struct vdp_mask *m)
{
	if (--m->n_flows)
		return;
	if (vdp_masks_replace(tbl, NULL, m)) {
		/* Out of memory: keep the empty mask, it only costs probes. */
		m->n_flows = 0;
		return;
	}
	queue_rcu_work(vdp_wq, &m->rwork);
}

/**
 * vdp_table_insert - add a flow whose key, ukey and ufid are set.
 * @tbl: the table (vdp_mutex held)
 * @flow: the flow; its key must already be masked by @mask
 * @mask: its mask
 *
 * Return: 0, -EEXIST if a flow with the same masked key and mask (or the
 * same UFID) exists, or -ENOMEM.
 */
int vdp_table_insert(struct vdp_flow_table *tbl, struct vdp_flow *flow,
		     const struct vdp_key *mask)
{
	struct vdp_mask *m;
	bool new_mask = false;
	int err;

	vdp_assert_locked();
	m = vdp_mask_find(tbl, mask);
	if (!m) {
		m = vdp_mask_create(mask);
		if (!m)
			return -ENOMEM;
		new_mask = true;
	}
	err = rhashtable_lookup_insert_fast(&m->flows, &flow->node,
					    vdp_flow_params);
	if (err)
		goto err_mask;
	if (flow->has_ufid) {
		err = rhashtable_lookup_insert_fast(&tbl->ufids, &flow->ufid_node,
						    vdp_ufid_params);
		if (err)
			goto err_remove;
	}
	if (new_mask) {
		err = vdp_masks_replace(tbl, m, NULL);
		if (err)
			goto err_remove_ufid;
	}
	flow->mask = m;
	m->n_flows++;
	list_add_tail_rcu(&flow->list, &tbl->flows);
	tbl->n_flows++;
	return 0;

err_remove_ufid:
	if (flow->has_ufid)
		rhashtable_remove_fast(&tbl->ufids, &flow->ufid_node,
				       vdp_ufid_params);
err_remove:
	rhashtable_remove_fast(&m->flows, &flow->node, vdp_flow_params);
err_mask:
	if (new_mask) {
		/* Never published: no reader can hold it. */
		rhashtable_destroy(&m->flows);
		free_percpu(m->hits);
		kfree(m);
	}
	return err;
}

/**
 * vdp_table_remove - unlink a flow (vdp_mutex held); the caller frees it.
 * @tbl: flow table
 * @flow: flow
 */
void vdp_table_remove(struct vdp_flow_table *tbl, struct vdp_flow *flow)
{
	vdp_assert_locked();
	rhashtable_remove_fast(&flow->mask->flows, &flow->node,
			       vdp_flow_params);
	if (flow->has_ufid)
		rhashtable_remove_fast(&tbl->ufids, &flow->ufid_node,
				       vdp_ufid_params);
	list_del_rcu(&flow->list);
	tbl->n_flows--;
	vdp_mask_put(tbl, flow->mask);
}

/**
 * vdp_table_flush - remove and free every flow (vdp_mutex held).
 * @tbl: flow table
 */
void vdp_table_flush(struct vdp_flow_table *tbl)
{
	struct vdp_flow *flow, *next;

	list_for_each_entry_safe(flow, next, &tbl->flows, list) {
		vdp_table_remove(tbl, flow);
		vdp_flow_free(flow);
	}
}

static struct vdp_flow *vdp_mask_probe(struct vdp_mask *m,
				       const struct vdp_key *key)
{
	struct vdp_key masked;

	vdp_key_mask_apply(&masked, key, &m->key);
	return rhashtable_lookup_fast(&m->flows, &masked, vdp_flow_params);
}

/**
 * vdp_table_lookup - the flow a packet matches (RCU read side).
 * @tbl: the table
 * @key: the packet's key
 * @skb_hash: the packet's hash (0: do not use the cache)
 * @n_mask_hit: incremented by the number of masks probed
 * @n_cache_hit: incremented if the cache answered
 *
 * Return: the flow or NULL.
 */
struct vdp_flow *vdp_table_lookup(struct vdp_flow_table *tbl,
				  const struct vdp_key *key, u32 skb_hash,
				  u32 *n_mask_hit, u32 *n_cache_hit)
{
	struct vdp_mask_array *ma = rcu_dereference(tbl->masks);
	struct vdp_mask_cache_entry *ce = NULL;
	struct vdp_flow *flow;
	int i;

	if (skb_hash) {
		ce = this_cpu_ptr(tbl->cache) +
		     (skb_hash & (VDP_MASK_CACHE_SIZE - 1));
		if (ce->skb_hash == skb_hash && ce->mask_index < ma->n) {
			struct vdp_mask *m = ma->masks[ce->mask_index];

			(*n_mask_hit)++;
			flow = vdp_mask_probe(m, key);
			if (flow) {
				(*n_cache_hit)++;
				this_cpu_inc(*m->hits);
				return flow;
			}
		}
	}
	for (i = 0; i < ma->n; i++) {
		struct vdp_mask *m = ma->masks[i];

		(*n_mask_hit)++;
		flow = vdp_mask_probe(m, key);
		if (flow) {
			this_cpu_inc(*m->hits);
			if (ce) {
				ce->skb_hash = skb_hash;
				ce->mask_index = i;
			}
			return flow;
		}
	}
	return NULL;
}

/**
 * vdp_table_find - the flow userspace names by key (and maybe mask).
 * @tbl: the table (vdp_mutex held)
 * @key: key as userspace gave it
 * @mask: if not NULL, the flow must have exactly this mask; otherwise the
 *        first flow whose masked key matches @key
 *
 * Return: the flow or NULL.
 */
struct vdp_flow *vdp_table_find(struct vdp_flow_table *tbl,
				const struct vdp_key *key,
				const struct vdp_key *mask)
{
	struct vdp_mask_array *ma = vdp_masks(tbl);
	struct vdp_flow *flow;
	int i;

	vdp_assert_locked();
	for (i = 0; i < ma->n; i++) {
		struct vdp_mask *m = ma->masks[i];

		if (mask && memcmp(&m->key, mask, sizeof(*mask)))
			continue;
		flow = vdp_mask_probe(m, key);
		if (flow)
			return flow;
	}
	return NULL;
}

/**
 * vdp_table_find_ufid - the flow with a UFID (vdp_mutex held), or NULL.
 * @tbl: flow table
 * @ufid: unique flow id
 */
struct vdp_flow *vdp_table_find_ufid(struct vdp_flow_table *tbl,
				     const struct vdp_ufid *ufid)
{
	vdp_assert_locked();
	return rhashtable_lookup_fast(&tbl->ufids, ufid, vdp_ufid_params);
}

/**
 * vdp_table_n_masks - number of masks (vdp_mutex held or RCU).
 * @tbl: flow table
 */
int vdp_table_n_masks(struct vdp_flow_table *tbl)
{
	return vdp_masks(tbl)->n;
}

struct vdp_mask_rank {
	struct vdp_mask *m;
	u64 delta;
};

static int vdp_rank_cmp(const void *a, const void *b)
{
	const struct vdp_mask_rank *x = a, *y = b;

	if (x->delta == y->delta)
		return 0;
	return x->delta > y->delta ? -1 : 1;
}

/**
 * vdp_table_reorder - sort the masks by recent hits (vdp_mutex held).
 * @tbl: flow table
 *
 * The per-CPU mask cache keeps indices into the old array; they are
 * checked on use, so reordering only costs a few full walks.
 */
void vdp_table_reorder(struct vdp_flow_table *tbl)
{
	struct vdp_mask_array *old = vdp_masks(tbl), *new;
	struct vdp_mask_rank *rank;
	bool changed = false;
	int i, cpu;

	vdp_assert_locked();
	if (old->n < 2)
		return;
	rank = kcalloc(old->n, sizeof(*rank), GFP_KERNEL);
	if (!rank)
		return;
	for (i = 0; i < old->n; i++) {
		struct vdp_mask *m = old->masks[i];
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(m->hits, cpu);
		rank[i].m = m;
		rank[i].delta = sum - m->last_hits;
		m->last_hits = sum;
	}
	sort(rank, old->n, sizeof(*rank), vdp_rank_cmp, NULL);
	for (i = 0; i < old->n; i++)
		if (rank[i].m != old->masks[i])
			changed = true;
	if (changed) {
		new = kzalloc(struct_size(new, masks, old->n), GFP_KERNEL);
		if (new) {
			new->n = old->n;
			for (i = 0; i < old->n; i++)
				new->masks[i] = rank[i].m;
			rcu_assign_pointer(tbl->masks, new);
			kfree_rcu(old, rcu);
		}
	}
	kfree(rank);
}

/**
 * vdp_flow_used - account a packet to a flow (packet path, BH disabled).
 * @flow: flow
 * @skb: packet
 * @tcp_flags: TCP flags of the packet
 */
void vdp_flow_used(struct vdp_flow *flow, const struct sk_buff *skb,
		   __be16 tcp_flags)
{
	struct vdp_flow_stats *st = this_cpu_ptr(flow->stats);

	u64_stats_update_begin(&st->syncp);
	st->packets++;
	st->bytes += skb->len;
	st->used = jiffies;
	st->tcp_flags |= tcp_flags;
	u64_stats_update_end(&st->syncp);
}

/**
 * vdp_flow_get_stats - sum a flow's counters.
 * @flow: the flow
 * @st: packets and bytes
 * @used: latest use in jiffies, 0 if never
 * @tcp_flags: union of the TCP flags seen
 */
void vdp_flow_get_stats(struct vdp_flow *flow, struct ovs_flow_stats *st,
			unsigned long *used, __be16 *tcp_flags)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	*used = 0;
	*tcp_flags = 0;
	for_each_possible_cpu(cpu) {
		struct vdp_flow_stats *s = per_cpu_ptr(flow->stats, cpu);
		u64 packets, bytes;
		unsigned long u;
		__be16 f;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			packets = s->packets;
			bytes = s->bytes;
			u = s->used;
			f = s->tcp_flags;
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->n_packets += packets;
		st->n_bytes += bytes;
		if (u && (!*used || time_after(u, *used)))
			*used = u;
		*tcp_flags |= f;
	}
}

/**
 * vdp_flow_clear_stats - zero a flow's counters (vdp_mutex held).
 * @flow: flow
 */
void vdp_flow_clear_stats(struct vdp_flow *flow)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vdp_flow_stats *s = per_cpu_ptr(flow->stats, cpu);

		local_bh_disable();
		u64_stats_update_begin(&s->syncp);
		s->packets = 0;
		s->bytes = 0;
		s->used = 0;
		s->tcp_flags = 0;
		u64_stats_update_end(&s->syncp);
		local_bh_enable();
	}
}
