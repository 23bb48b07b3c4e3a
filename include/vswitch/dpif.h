/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DPIF_H
#define VSWITCH_DPIF_H 1

/*
 * dpif: the datapath interface.
 *
 * A datapath is a set of numbered ports and a megaflow cache: flows whose
 * key, mask and actions are netlink attribute lists of <linux/openvswitch.h>
 * (OVS_KEY_ATTR_* and OVS_ACTION_ATTR_*, see odp.h), each identified by a
 * 128-bit UFID.  A packet that matches no flow becomes an upcall (a "miss")
 * that the slow path receives in batches; a userspace() action makes an
 * "action" upcall carrying its userdata.
 *
 * This module is the front end: the caller names a datapath type and the
 * front end dispatches to that type's provider (struct dpif_class in
 * lib/dpif-provider.h).  Types: "netdev" (the userspace datapath,
 * lib/dpif-netdev.c); "system" (the kernel's, vswitch_dp.ko or
 * openvswitch.ko over generic netlink, lib/dpif-netlink.c; known only
 * while a datapath module is loaded).
 *
 * Open datapaths are registered by name: dpif_open() of an existing name
 * returns a new handle on the same datapath (reference counted); the
 * datapath is destroyed with dpif_delete() or when its last handle closes
 * after dpif_delete().  Kernel datapaths outlive the process: dpif_open()
 * without 'create' finds those that exist, and closing the last handle
 * without dpif_delete() leaves the datapath in the kernel.
 *
 * Flow puts validate their attributes in full before touching the cache:
 * an unknown, malformed or (for the provider) unsupported attribute makes
 * the put fail with EINVAL and a message naming it; packets never meet an
 * action the datapath cannot run.
 *
 * Errors are positive errno values.
 *
 * Thread-safety: every function may be called from any thread; the
 * providers serialize writers internally and let packet threads read the
 * flow cache without locks (RCU).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct ds;
struct dpif;

/* Flow identifier: 128 bits, printed as a UUID ("ufid:xxxxxxxx-..."). */
struct dpif_ufid {
    uint32_t u32[4]; /* The 128 bits, first word printed first. */
};

/* Port number of "no port" / "pick one". */
#define DPIF_PORT_NONE UINT32_MAX
/* Largest port number plus one. */
#define DPIF_MAX_PORTS 256

/* What a port of a tunnel type needs besides its name and type. */
struct dpif_port_opts {
    uint16_t dst_port; /* UDP port to receive on (host order), 0: the
                        * type's default (4789 for "vxlan"). */
};

struct dpif_port {
    char *name;       /* Device name. */
    char *type;       /* netdev type ("system", "tap", ...). */
    uint32_t port_no; /* Datapath port number. */
};

struct dpif_port_stats {
    uint64_t rx_packets; /* Frames received. */
    uint64_t rx_bytes;   /* Bytes received. */
    uint64_t rx_dropped; /* Receive drops. */
    uint64_t rx_errors;  /* Receive errors. */
    uint64_t tx_packets; /* Frames sent. */
    uint64_t tx_bytes;   /* Bytes sent. */
    uint64_t tx_dropped; /* Send drops. */
    uint64_t tx_errors;  /* Send errors. */
};

struct dpif_flow_stats {
    uint64_t n_packets; /* Packets that hit the flow. */
    uint64_t n_bytes;   /* Their bytes. */
    long long used;     /* Last hit, vs_time_msec(); 0 = never. */
    uint16_t tcp_flags; /* OR of the TCP flags seen (host order). */
};

struct dpif_dp_stats {
    uint64_t n_hit;         /* Packets that matched a flow. */
    uint64_t n_missed;      /* Packets that matched none (upcalls queued). */
    uint64_t n_lost;        /* Upcalls dropped: queue full. */
    uint64_t n_flows;       /* Flows in the cache. */
    uint64_t n_masks;       /* Distinct masks (tuple-space subtables). */
    uint64_t n_mask_hit;    /* Subtables probed by hits (sum). */
    uint64_t n_emc_hit;     /* Hits served by the exact-match cache. */
    uint64_t n_dropped;     /* Packets dropped for any reason below. */
    uint64_t n_bad_frame;   /* Runt or unparsable frames. */
    uint64_t n_too_big;     /* Frames longer than the output port's MTU. */
    uint64_t n_tx_failed;   /* Frames the output device refused. */
    uint64_t n_recirc_loop; /* Recirculation budget exceeded. */
    uint64_t n_tnl_no_md;   /* Output to a tunnel port without tunnel
                             * metadata (no set(tunnel(...))). */
    uint64_t n_tnl_too_big; /* Over a tunnel's inner MTU, or refused by
                             * its socket as too big (EMSGSIZE). */
};

/* A flow as dumped or got.  The attribute buffers belong to the caller's
 * 'struct dpif_flow_buf' (or to the dump callback's duration). */
struct dpif_flow {
    const void *key;              /* OVS_KEY_ATTR_* of the flow. */
    size_t key_size;              /* Bytes at 'key'. */
    const void *mask;             /* Mask attributes, same layout. */
    size_t mask_size;             /* Bytes at 'mask'. */
    const void *actions;          /* OVS_ACTION_ATTR_*. */
    size_t actions_size;          /* Bytes at 'actions'. */
    struct dpif_ufid ufid;        /* Its identifier. */
    struct dpif_flow_stats stats; /* Counters. */
};

/* Flags for dpif_flow_put(). */
enum dpif_put_flags {
    DPIF_FP_CREATE = 1 << 0,     /* Create if absent. */
    DPIF_FP_MODIFY = 1 << 1,     /* Replace actions if present. */
    DPIF_FP_ZERO_STATS = 1 << 2, /* On modify, zero the counters. */
    DPIF_FP_PROBE = 1 << 3,      /* Feature probe: do not log failures. */
};

enum dpif_upcall_type {
    DPIF_UC_MISS,   /* No flow matched. */
    DPIF_UC_ACTION, /* A userspace() action. */
};

/* One upcall.  Free with dpif_upcall_uninit(). */
struct dpif_upcall {
    enum dpif_upcall_type type; /* Why. */
    uint32_t in_port;           /* Port the packet came in on. */
    void *packet;               /* The frame (malloc'd). */
    size_t packet_size;         /* Its bytes. */
    void *key;                  /* Its flow key attributes (malloc'd). */
    size_t key_size;            /* Bytes at 'key'. */
    void *userdata;             /* userspace() userdata, or NULL. */
    size_t userdata_size;       /* Its bytes. */
    uint32_t pid;               /* userspace() pid (0 for misses). */
};

void dpif_upcall_uninit(struct dpif_upcall *);

/* Datapath configuration knobs (dpif_set_config()). */
struct dpif_config {
    int n_threads;        /* I/O threads (1..DPIF_MAX_THREADS); 0: keep. */
    long long flow_limit; /* Most flows; 0: keep. */
    int upcall_queue;     /* Queued upcalls before loss; 0: keep. */
    int busy_poll;        /* 1: I/O threads busy-poll, 2: event-driven
                           * (the default); 0: keep. */
};
#define DPIF_MAX_THREADS 8

/* Datapath types known to this build, NULL-terminated. */
const char *const *dpif_types(void);
bool dpif_type_is_known(const char *type);

/* Opens datapath 'name' of 'type'; creates it if 'create' is true and it
 * does not exist (ENODEV if it does not and 'create' is false; EEXIST if
 * 'create' and it exists with another type).  On success, '*dpifp' is a
 * new handle. */
int dpif_open(const char *name, const char *type, bool create,
              struct dpif **dpifp);
/* Drops a handle; NULL is fine. */
void dpif_close(struct dpif *);
/* Destroys the datapath (its ports close, its flows go) once every handle
 * is closed; it disappears from dpif_enumerate() at once. */
void dpif_delete(struct dpif *);
const char *dpif_name(const struct dpif *);
const char *dpif_type(const struct dpif *);
/* "TYPE@NAME". */
const char *dpif_full_name(const struct dpif *);
/* Appends "TYPE@NAME\n" for every open datapath and every kernel datapath
 * to 'out'. */
void dpif_enumerate(struct ds *out);

int dpif_set_config(struct dpif *, const struct dpif_config *);
int dpif_get_stats(const struct dpif *, struct dpif_dp_stats *);
/* Periodic upkeep (re-ranking masks, ...); call about once a second. */
void dpif_run(struct dpif *);

/* Ports.  'port_nop' in: wanted number or DPIF_PORT_NONE; out: given. */
int dpif_port_add(struct dpif *, const char *devname, const char *type,
                  uint32_t *port_nop);
/* The same with options: a "vxlan" port's UDP port ('opts' may be NULL). */
int dpif_port_add_opts(struct dpif *, const char *devname, const char *type,
                       const struct dpif_port_opts *opts, uint32_t *port_nop);
int dpif_port_del(struct dpif *, uint32_t port_no);
/* Fills '*port' (free with dpif_port_destroy()).  ENODEV if absent. */
int dpif_port_query_by_name(const struct dpif *, const char *devname,
                            struct dpif_port *port);
int dpif_port_query_by_number(const struct dpif *, uint32_t port_no,
                              struct dpif_port *port);
void dpif_port_destroy(struct dpif_port *);
/* All ports, by number: '*portsp' (malloc'd array, free each with
 * dpif_port_destroy() then free()), '*n_portsp'. */
int dpif_port_dump(const struct dpif *, struct dpif_port **portsp,
                   size_t *n_portsp);
int dpif_port_get_stats(const struct dpif *, uint32_t port_no,
                        struct dpif_port_stats *);
/* The netlink PID a userspace() action in a megaflow from port 'port_no'
 * names: that port's handler socket (per-vport dispatch), or a handler's
 * (per-CPU dispatch: the kernel picks the CPU's own; a PID of 0 it
 * refuses).  0 for a datapath whose upcalls need no PID (userspace). */
uint32_t dpif_port_get_pid(const struct dpif *, uint32_t port_no);

/* Flows.  'ufid' may be NULL: the datapath then derives one from the key
 * bytes (so the same key text always names the same flow).  On error,
 * '*errorp' (if nonnull) receives a malloc'd message. */
int dpif_flow_put(struct dpif *, enum dpif_put_flags, const void *key,
                  size_t key_size, const void *mask, size_t mask_size,
                  const void *actions, size_t actions_size,
                  const struct dpif_ufid *ufid, struct dpif_flow_stats *stats,
                  char **errorp);
/* Deletes the flow named by 'ufid' or, if NULL, by 'key'.  Fills 'stats'
 * (if nonnull) with its final counters.  ENOENT if absent. */
int dpif_flow_del(struct dpif *, const void *key, size_t key_size,
                  const struct dpif_ufid *ufid, struct dpif_flow_stats *stats);
/* Looks a flow up as dpif_flow_del() does; on success '*flow' points into
 * 'storage' (appended to), which the caller owns. */
int dpif_flow_get(const struct dpif *, const void *key, size_t key_size,
                  const struct dpif_ufid *ufid, struct buf *storage,
                  struct dpif_flow *flow);
int dpif_flow_flush(struct dpif *);
/* Calls 'cb' for every flow (a snapshot); stops early if it returns
 * false. */
typedef bool dpif_flow_dump_cb(const struct dpif_flow *, void *aux);
int dpif_flow_dump(const struct dpif *, dpif_flow_dump_cb *, void *aux);

/* Several flow changes at once: the kernel provider sends them in as few
 * sendmsg() calls as it can and collects the acks; others run them one by
 * one.  Each op's 'error' (and 'stats', if nonnull) is filled in. */
enum dpif_op_type {
    DPIF_OP_FLOW_PUT, /* dpif_flow_put(). */
    DPIF_OP_FLOW_DEL, /* dpif_flow_del(). */
};

struct dpif_op {
    enum dpif_op_type type;        /* What to do. */
    enum dpif_put_flags flags;     /* DPIF_OP_FLOW_PUT: how. */
    const void *key;               /* The flow's key. */
    size_t key_size;               /* Its bytes. */
    const void *mask;              /* DPIF_OP_FLOW_PUT: its mask or NULL. */
    size_t mask_size;              /* Its bytes. */
    const void *actions;           /* DPIF_OP_FLOW_PUT: its actions. */
    size_t actions_size;           /* Their bytes. */
    const struct dpif_ufid *ufid;  /* Its UFID, or NULL: from 'key'. */
    struct dpif_flow_stats *stats; /* Out: counters, or NULL. */
    int error;                     /* Out: 0 or a positive errno. */
};

void dpif_operate(struct dpif *, struct dpif_op *ops, size_t n_ops);

/* Runs 'actions' on a copy of the 'size'-byte frame 'packet' whose
 * metadata (in_port, recirc_id, ...) is taken from 'key' (may be empty).
 * Returns 0, or EINVAL (with '*errorp') for bad actions. */
int dpif_execute(struct dpif *, const void *packet, size_t size,
                 const void *key, size_t key_size, const void *actions,
                 size_t actions_size, char **errorp);

/* Upcalls, read by 'n_handlers' handlers numbered 0 to n_handlers - 1.
 *
 * dpif_handlers_set() says how many (1..DPIF_MAX_HANDLERS; EINVAL
 * otherwise).  For "system" each handler owns one upcall socket: the
 * kernel sends CPU c's misses to handler c % n_handlers (per-CPU
 * dispatch) or, on a kernel without it, port p's to handler
 * p % n_handlers (per-vport PIDs); the call replaces the sockets (upcalls
 * queued on the old ones are lost) and points the kernel's upcalls at
 * this handle.  The userspace datapath has one queue that every handler
 * id reads.
 *
 * dpif_recv_batch() receives up to 'max' upcalls queued for 'handler_id'
 * into 'upcalls'; '*n' tells how many (0 if none: EAGAIN is not
 * returned).  dpif_recv_fd() is a file descriptor that becomes readable
 * while upcalls are queued for 'handler_id' (-1 on error).  For
 * "system", a handler id at or beyond the number of handlers is EINVAL
 * (fd -1), and if dpif_handlers_set() was not called, the first of these
 * calls on a handle sets one handler.
 *
 * Thread-safety: each handler id has one reader at a time (its own
 * thread); different ids may be read concurrently, without contention.
 * dpif_handlers_set() may run concurrently with readers, which then wait
 * for it; a reader must not rely on its id surviving a shrink. */
#define DPIF_MAX_HANDLERS 64
int dpif_handlers_set(struct dpif *, size_t n_handlers);
int dpif_recv_batch(struct dpif *, uint32_t handler_id,
                    struct dpif_upcall *upcalls, size_t max, size_t *n);
int dpif_recv_fd(const struct dpif *, uint32_t handler_id);

/* UFID helpers. */
void dpif_ufid_format(const struct dpif_ufid *, struct ds *);
/* Parses "ufid:UUID" (or a bare UUID) at '*s', advancing past it and a
 * following comma.  Returns true on success. */
bool dpif_ufid_parse(const char **s, struct dpif_ufid *);
/* The UFID derived from key bytes. */
void dpif_ufid_from_key(const void *key, size_t size, struct dpif_ufid *);
bool dpif_ufid_equal(const struct dpif_ufid *, const struct dpif_ufid *);

#endif /* VSWITCH_DPIF_H */
