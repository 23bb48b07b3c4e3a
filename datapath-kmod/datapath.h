/* SPDX-License-Identifier: GPL-2.0 */
/*
 * datapath.h - shared definitions of the vswitch kernel datapath.
 *
 * A datapath (struct vdp_datapath) is a set of ports (struct vdp_vport)
 * plus a megaflow table (struct vdp_flow_table).  A packet received on a
 * port has its flow key (struct vdp_key) extracted, is looked up in the
 * table and either has the flow's actions applied or is sent to userspace
 * (an upcall).  Userspace drives everything over four generic netlink
 * families whose wire format is the one of <uapi/linux/openvswitch.h>.
 *
 * Locking: every configuration change (datapaths, vports, flows) happens
 * under vdp_mutex; datapath and vport changes also hold RTNL, always taken
 * first.  The packet path only holds rcu_read_lock() with bottom halves
 * disabled; every object it can reach is freed after an RCU grace period.
 */
#ifndef VDP_DATAPATH_H
#define VDP_DATAPATH_H 1

#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/openvswitch.h>
#include <linux/rhashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#define VDP_MAX_PORTS		1024	/* port numbers are 0..VDP_MAX_PORTS-1 */
#define VDP_LOCAL_PORT		0	/* the datapath's own internal port */
#define VDP_MAX_ACTION_DEPTH	4	/* nesting of clone/sample/check_pkt_len */
#define VDP_MAX_EXEC_DEPTH	4	/* datapath re-entries on one CPU */
#define VDP_DEFERRED_MAX	16	/* recirculations queued per CPU */
#define VDP_MASK_CACHE_SIZE	256	/* per-CPU mask cache entries */
#define VDP_MAX_UFID_SIZE	16	/* bytes */

/* Tunnel key flags (struct vdp_tun_key.flags). */
#define VDP_TUN_F_KEY		0x0001	/* the tunnel ID is valid */
#define VDP_TUN_F_CSUM		0x0002	/* outer UDP checksum */
#define VDP_TUN_F_DF		0x0004	/* outer IPv4 don't-fragment */
#define VDP_TUN_F_OAM		0x0008	/* OAM frame */

/**
 * struct vdp_tun_key - outer (IPv4 or IPv6) tunnel header of a
 * decapsulated packet, or of the encapsulation a packet is to get.
 *
 * All zero for a packet that did not come through a tunnel.  A key uses
 * either the IPv4 or the IPv6 addresses, never both (vdp_tun_is_ipv6()).
 */
struct vdp_tun_key {
	__be64 id;			/* tunnel ID (VXLAN: VNI, low 24 bits) */
	__be32 src;			/* outer IPv4 source */
	__be32 dst;			/* outer IPv4 destination */
	struct in6_addr ipv6_src;	/* outer IPv6 source */
	struct in6_addr ipv6_dst;	/* outer IPv6 destination */
	__be16 tp_src;			/* outer UDP source port */
	__be16 tp_dst;			/* outer UDP destination port */
	u16 flags;			/* VDP_TUN_F_* */
	u8 tos;				/* outer TOS */
	u8 ttl;				/* outer TTL */
};

/* Whether a tunnel key (not a mask) has an IPv6 outer header. */
static inline bool vdp_tun_is_ipv6(const struct vdp_tun_key *tun)
{
	return !ipv6_addr_any(&tun->ipv6_dst) || !ipv6_addr_any(&tun->ipv6_src);
}

/**
 * struct vdp_key - flow key of a packet, and layout of a flow mask.
 *
 * Every field not present in a packet is zero.  The structure is compared
 * and hashed as an array of u32, so it has no implicit padding.  ICMP type
 * and code live in tp_src and tp_dst (network order, low byte).  ARP uses
 * ipv4 for the protocol addresses and arp_sha/arp_tha for the hardware
 * ones; IPv6 neighbour discovery uses nd_target and arp_sha/arp_tha for
 * the link-layer options.
 */
struct vdp_key {
	struct vdp_tun_key tun;		/* tunnel metadata; first (8-aligned) */
	u32 in_port;			/* datapath port the packet came in on */
	u32 priority;			/* skb->priority */
	u32 skb_mark;			/* skb->mark */
	u32 recirc_id;			/* 0 on first pass */
	u32 dp_hash;			/* set by the HASH action */
	u8 eth_src[ETH_ALEN];		/* Ethernet source */
	u8 eth_dst[ETH_ALEN];		/* Ethernet destination */
	__be16 vlan_tci;		/* VLAN_CFI_MASK set when tagged */
	__be16 vlan_tpid;		/* TPID of that tag */
	__be16 eth_type;		/* inner Ethernet type */
	u8 ip_proto;			/* IP protocol */
	u8 ip_tos;			/* IPv4 TOS or IPv6 traffic class */
	u8 ip_ttl;			/* IPv4 TTL or IPv6 hop limit */
	u8 ip_frag;			/* OVS_FRAG_TYPE_* */
	__be16 arp_op;			/* ARP opcode */
	__be32 ipv6_label;		/* IPv6 flow label (20 bits) */
	union {
		struct {
			__be32 src;	/* IPv4 or ARP source address */
			__be32 dst;	/* IPv4 or ARP target address */
		} ipv4;
		struct {
			struct in6_addr src;	/* IPv6 source */
			struct in6_addr dst;	/* IPv6 destination */
		} ipv6;
	} addr;
	struct in6_addr nd_target;	/* ND target address */
	u8 arp_sha[ETH_ALEN];		/* ARP sender / ND source link addr */
	u8 arp_tha[ETH_ALEN];		/* ARP target / ND target link addr */
	__be16 tp_src;			/* L4 source port or ICMP type */
	__be16 tp_dst;			/* L4 destination port or ICMP code */
	__be16 tcp_flags;		/* TCP flags (12 bits) */
	u16 pad;			/* always zero */
	u32 pad2;			/* always zero: no tail padding */
} __aligned(8);

/**
 * struct vdp_mask - one distinct flow mask and the flows that use it.
 */
struct vdp_mask {
	struct vdp_key key;		/* the mask bits */
	struct rhashtable flows;	/* flows, keyed by masked key */
	unsigned int n_flows;		/* flows using it (vdp_mutex) */
	u64 __percpu *hits;		/* lookups that hit this mask */
	u64 last_hits;			/* hits at the last reordering */
	struct rcu_work rwork;		/* deferred destruction */
};

/**
 * struct vdp_mask_array - the masks of a table, most used first.
 */
struct vdp_mask_array {
	struct rcu_head rcu;		/* freeing */
	int n;				/* number of masks */
	struct vdp_mask *masks[];	/* the masks */
};

/**
 * struct vdp_mask_cache_entry - per-CPU memory of the mask an skb hash hit.
 */
struct vdp_mask_cache_entry {
	u32 skb_hash;			/* hash of the last packet cached here */
	u32 mask_index;			/* index in the mask array */
};

/**
 * struct vdp_flow_table - the megaflow table of one datapath.
 *
 * Readers walk @masks under RCU; writers hold vdp_mutex.  @flows lists
 * every flow for dumps, in insertion order.
 */
struct vdp_flow_table {
	struct vdp_mask_array __rcu *masks;	/* masks, most used first */
	struct rhashtable ufids;		/* flows that have a UFID */
	struct list_head flows;			/* all flows (vdp_mutex) */
	unsigned int n_flows;			/* number of flows */
	struct vdp_mask_cache_entry __percpu *cache;	/* per-CPU cache */
};

/**
 * struct vdp_ufid - unique flow identifier chosen by userspace.
 */
struct vdp_ufid {
	u32 len;			/* bytes used in @id, 1..16 */
	u8 id[VDP_MAX_UFID_SIZE];	/* zero padded */
};

/**
 * struct vdp_flow_stats - per-CPU counters of a flow.
 */
struct vdp_flow_stats {
	struct u64_stats_sync syncp;	/* consistency of the counters */
	u64 packets;			/* packets matched */
	u64 bytes;			/* bytes matched */
	unsigned long used;		/* jiffies of the last match, 0: never */
	__be16 tcp_flags;		/* TCP flags seen */
};

/*
 * Kernel-only action of a prepared list (struct vdp_actions.exec): a
 * set(tunnel(...)) whose payload now holds a struct metadata_dst pointer
 * (unaligned; read it with memcpy), built once when the list was
 * installed.  Userspace cannot send it: validation refuses unknown types.
 */
#define VDP_ACTION_ATTR_TUN_MD	0x3fff	/* the largest type nla_type() returns */

/**
 * struct vdp_actions - a flow's actions: validated netlink attributes in
 * two forms of the same layout.
 *
 * @data is the list as userspace gave it (dumps and userspace(actions)
 * report it); @exec is the copy the packet path runs, where each
 * set(tunnel(...)) became VDP_ACTION_ATTR_TUN_MD with a prebuilt metadata
 * dst that the list holds a reference to.  Both have @len bytes and every
 * attribute at the same offset.  Freed with vdp_actions_free() (no reader
 * left) or vdp_actions_free_rcu().
 */
struct vdp_actions {
	struct rcu_head rcu;		/* freeing */
	u32 len;			/* bytes in @data, and in @exec */
	struct nlattr *exec;		/* prepared copy, after @data */
	struct nlattr data[];		/* OVS_ACTION_ATTR_*, user form */
};

/**
 * struct vdp_flow - one megaflow.
 */
struct vdp_flow {
	struct vdp_key key;		/* masked key; first: rhashtable key */
	struct rhash_head node;		/* in mask->flows */
	struct rhash_head ufid_node;	/* in table->ufids, if has_ufid */
	struct vdp_ufid ufid;		/* identifier, if has_ufid */
	bool has_ufid;			/* userspace gave a UFID */
	struct vdp_key ukey;		/* key as userspace gave it */
	struct vdp_mask *mask;		/* mask this flow uses */
	struct vdp_actions __rcu *acts;	/* actions */
	struct vdp_flow_stats __percpu *stats;	/* per-CPU counters */
	struct list_head list;		/* in table->flows */
	struct rcu_head rcu;		/* freeing */
};

/**
 * struct vdp_pids - array of netlink port ids for upcalls.
 */
struct vdp_pids {
	struct rcu_head rcu;		/* freeing */
	u32 n;				/* entries in @ids */
	u32 ids[];			/* netlink port ids */
};

/**
 * struct vdp_dp_stats - per-CPU counters of a datapath.
 */
struct vdp_dp_stats {
	struct u64_stats_sync syncp;	/* consistency of the counters */
	u64 n_hit;			/* packets that matched a flow */
	u64 n_missed;			/* packets that matched none */
	u64 n_lost;			/* upcalls that could not be sent */
	u64 n_mask_hit;			/* masks probed by lookups */
	u64 n_cache_hit;		/* lookups answered by the mask cache */
};

struct vdp_vport;

/**
 * struct vdp_datapath - one datapath.
 */
struct vdp_datapath {
	struct list_head node;			/* in the netns list (vdp_mutex) */
	struct net *net;			/* netns it lives in */
	char name[IFNAMSIZ];			/* name (of its local port too) */
	struct vdp_vport __rcu **ports;		/* VDP_MAX_PORTS entries */
	unsigned int n_ports;			/* ports in use */
	struct vdp_flow_table table;		/* megaflows */
	struct vdp_dp_stats __percpu *stats;	/* counters */
	u32 user_features;			/* OVS_DP_F_* negotiated */
	struct vdp_pids __rcu *cpu_pids;	/* per-CPU upcall ports */
	struct list_head all_node;		/* in vdp_all_dps (vdp_mutex) */
	struct rcu_head rcu;			/* freeing */
};

/**
 * struct vdp_vport - one port of a datapath, backed by a net_device.
 */
struct vdp_vport {
	struct net_device *dev;		/* the device (a reference is held) */
	struct vdp_datapath *dp;	/* owner */
	u32 port_no;			/* number in the datapath */
	u32 type;			/* OVS_VPORT_TYPE_* */
	struct vdp_pids __rcu *pids;	/* upcall ports */
	spinlock_t rl_lock;		/* protects the token bucket */
	u64 rl_tokens;			/* upcall tokens, in 1/NSEC_PER_SEC */
	u64 rl_last;			/* ktime of the last refill */
	atomic64_t n_throttled;		/* upcalls refused by the rate limit */
	struct rcu_head rcu;		/* freeing */
};

/**
 * struct vdp_upcall_info - what to send to userspace about a packet.
 */
struct vdp_upcall_info {
	u8 cmd;				/* OVS_PACKET_CMD_MISS or _ACTION */
	u32 portid;			/* netlink port to send to */
	const struct nlattr *userdata;	/* USERSPACE action userdata or NULL */
	const struct nlattr *actions;	/* actions to report, or NULL */
	u32 actions_len;		/* bytes at @actions */
	u32 cutlen;			/* bytes to cut from the packet's end */
};

/* dp_main.c */
extern struct mutex vdp_mutex;
extern struct workqueue_struct *vdp_wq;
extern unsigned int vdp_net_id;
extern unsigned int vdp_upcall_rate;
extern unsigned int vdp_upcall_burst;
#define vdp_lock()		mutex_lock(&vdp_mutex)
#define vdp_unlock()		mutex_unlock(&vdp_mutex)
#define vdp_assert_locked()	lockdep_assert_held(&vdp_mutex)

/**
 * struct vdp_net - per network namespace state.
 */
struct vdp_net {
	struct list_head dps;		/* datapaths of the netns (vdp_mutex) */
};

/* dp_netlink.c, vport_netlink.c, flow_netlink.c, upcall.c */
extern struct genl_family vdp_dp_family;
extern struct genl_family vdp_vport_family;
extern struct genl_family vdp_flow_family;
extern struct genl_family vdp_packet_family;
extern struct genl_family vdp_meter_family;
extern struct genl_family vdp_ct_limit_family;
void vdp_vport_notify_deleted(struct vdp_vport *vport);
struct sk_buff *vdp_vport_build_msg(struct vdp_vport *vport, u32 portid,
				    u32 seq, u32 flags, u8 cmd, gfp_t gfp);

/* datapath.c */
struct vdp_datapath *vdp_dp_create(struct net *net, const char *name,
				   u32 upcall_pid,
				   struct netlink_ext_ack *extack);
void vdp_dp_destroy(struct vdp_datapath *dp);
struct vdp_datapath *vdp_dp_lookup(struct net *net, int dp_ifindex,
				   const char *name);
struct vdp_datapath *vdp_dp_lookup_rcu(struct net *net, int dp_ifindex);
int vdp_dp_ifindex(const struct vdp_datapath *dp);
void vdp_dp_get_stats(struct vdp_datapath *dp, struct ovs_dp_stats *st,
		      struct ovs_dp_megaflow_stats *mst);
void vdp_dp_process(struct vdp_datapath *dp, struct sk_buff *skb,
		    struct vdp_key *key);
void vdp_dp_count_lost(struct vdp_datapath *dp);
void vdp_dp_drain_deferred(struct vdp_datapath *dp);
int vdp_exec_enter(void);
void vdp_reorder_start(void);
void vdp_reorder_stop(void);
void vdp_exec_leave(void);
struct vdp_pids *vdp_pids_from_attr(const struct nlattr *attr);

static inline struct vdp_vport *vdp_port_rcu(const struct vdp_datapath *dp,
					     u32 port_no)
{
	if (port_no >= VDP_MAX_PORTS)
		return NULL;
	return rcu_dereference_check(dp->ports[port_no],
				     lockdep_is_held(&vdp_mutex));
}

/* vport.c, vport-netdev.c, vport-internal.c, vport-vxlan.c */
struct vdp_vport *vdp_vport_add(struct vdp_datapath *dp, const char *name,
				u32 type, u32 port_no, struct vdp_pids *pids,
				const struct nlattr *options,
				struct netlink_ext_ack *extack);
struct vdp_vport *vdp_vport_of_dev(struct net_device *dev);
void vdp_vport_del(struct vdp_vport *vport);
struct vdp_vport *vdp_vport_by_name(struct vdp_datapath *dp,
				    const char *name);
void vdp_vport_receive(struct vdp_vport *vport, struct sk_buff *skb);
int vdp_dev_tstats_init(struct net_device *dev);
void vdp_dev_tstats_free(struct net_device *dev);
void vdp_vport_receive_tun(struct vdp_vport *vport, struct sk_buff *skb,
			   const struct vdp_tun_key *tun);
void vdp_vport_send(struct vdp_vport *vport, struct sk_buff *skb);
void vdp_vport_get_stats(struct vdp_vport *vport,
			 struct ovs_vport_stats *st);
u32 vdp_vport_upcall_pid(struct vdp_vport *vport, struct sk_buff *skb);
bool vdp_vport_upcall_allowed(struct vdp_vport *vport);
int vdp_netdev_attach(struct vdp_vport *vport, struct net *net,
		      const char *name, struct netlink_ext_ack *extack);
void vdp_netdev_detach(struct vdp_vport *vport);
void vdp_netdev_send(struct vdp_vport *vport, struct sk_buff *skb);
struct vdp_vport *vdp_netdev_get_vport(struct net_device *dev);
int vdp_internal_create(struct vdp_vport *vport, struct net *net,
			const char *name, struct netlink_ext_ack *extack);
void vdp_internal_destroy(struct vdp_vport *vport);
struct vdp_vport *vdp_internal_get_vport(struct net_device *dev);
void vdp_internal_send(struct vdp_vport *vport, struct sk_buff *skb);

/* vport-vxlan.c */
int vdp_vxlan_create(struct vdp_vport *vport, struct net *net,
		     const char *name, const struct nlattr *options,
		     struct netlink_ext_ack *extack);
void vdp_vxlan_destroy(struct vdp_vport *vport);
struct vdp_vport *vdp_vxlan_get_vport(struct net_device *dev);
void vdp_vxlan_send(struct vdp_vport *vport, struct sk_buff *skb);
int vdp_vxlan_put_options(struct vdp_vport *vport, struct sk_buff *skb);

/* flow_key.c */
int vdp_key_extract(struct sk_buff *skb, struct vdp_key *key);

/* key_attrs.c */
int vdp_match_from_attrs(const struct nlattr *key_attr,
			 const struct nlattr *mask_attr, struct vdp_key *key,
			 struct vdp_key *mask, struct netlink_ext_ack *extack);
int vdp_key_meta_from_attrs(const struct nlattr *key_attr,
			    struct vdp_key *key,
			    struct netlink_ext_ack *extack);
int vdp_key_to_attrs(struct sk_buff *skb, int attrtype,
		     const struct vdp_key *shape, const struct vdp_key *val);
size_t vdp_key_attrs_size(void);

/* tunnel.c */
struct ip_tunnel_info;
int vdp_tun_from_attr(const struct nlattr *attr, struct vdp_tun_key *tun,
		      bool is_mask, struct netlink_ext_ack *extack);
bool vdp_tun_present(const struct vdp_tun_key *tun);
size_t vdp_tun_attr_size(void);
int vdp_tun_to_attr(struct sk_buff *skb, const struct vdp_tun_key *shape,
		    const struct vdp_tun_key *val);
bool vdp_tun_is_set_tunnel(const struct nlattr *a);
int vdp_tun_validate_set(const struct nlattr *a,
			 struct netlink_ext_ack *extack);
bool vdp_tun_from_info(struct vdp_tun_key *tun,
		       const struct ip_tunnel_info *info);
struct metadata_dst *vdp_tun_md_build(const struct nlattr *a, gfp_t gfp);

/* action_attrs.c */
int vdp_actions_validate(const struct nlattr *attr, const struct vdp_key *key,
			 struct netlink_ext_ack *extack);
struct vdp_actions *vdp_actions_build(const struct nlattr *attr, gfp_t gfp);
void vdp_actions_free(struct vdp_actions *acts);
void vdp_actions_free_rcu(struct vdp_actions *acts);

/* actions.c */
void vdp_execute_actions(struct vdp_datapath *dp, struct sk_buff *skb,
			 struct vdp_key *key, const struct vdp_actions *acts);
void vdp_deferred_drain(struct vdp_datapath *dp);

/* flow_table.c */
int vdp_table_init(struct vdp_flow_table *tbl);
void vdp_table_destroy(struct vdp_flow_table *tbl);
void vdp_table_flush(struct vdp_flow_table *tbl);
struct vdp_flow *vdp_table_lookup(struct vdp_flow_table *tbl,
				  const struct vdp_key *key, u32 skb_hash,
				  u32 *n_mask_hit, u32 *n_cache_hit);
struct vdp_flow *vdp_table_find(struct vdp_flow_table *tbl,
				const struct vdp_key *key,
				const struct vdp_key *mask);
struct vdp_flow *vdp_table_find_ufid(struct vdp_flow_table *tbl,
				     const struct vdp_ufid *ufid);
int vdp_table_insert(struct vdp_flow_table *tbl, struct vdp_flow *flow,
		     const struct vdp_key *mask);
void vdp_table_remove(struct vdp_flow_table *tbl, struct vdp_flow *flow);
void vdp_table_reorder(struct vdp_flow_table *tbl);
int vdp_table_n_masks(struct vdp_flow_table *tbl);
struct vdp_flow *vdp_flow_alloc(void);
void vdp_flow_free(struct vdp_flow *flow);
void vdp_flow_used(struct vdp_flow *flow, const struct sk_buff *skb,
		   __be16 tcp_flags);
void vdp_flow_get_stats(struct vdp_flow *flow, struct ovs_flow_stats *st,
			unsigned long *used, __be16 *tcp_flags);
void vdp_flow_clear_stats(struct vdp_flow *flow);

/* upcall.c */
int vdp_upcall(struct vdp_datapath *dp, struct sk_buff *skb,
	       const struct vdp_key *key,
	       const struct vdp_upcall_info *info);

/* flow_netlink.c */
void vdp_key_mask_apply(struct vdp_key *dst, const struct vdp_key *key,
			const struct vdp_key *mask);

#endif /* VDP_DATAPATH_H */
