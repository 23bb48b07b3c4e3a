/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bridge: database-driven reconciliation (see bridge.h).
 *
 * State kept here is only what the datapath cannot tell us: for each
 * bridge its datapath handle and for each interface the datapath port it
 * got (or why it got none).  Everything else is read again from the
 * replica on every pass, so a pass is idempotent: the write-back compares
 * with what the database holds and sends only differences, and a pass
 * that changes nothing sends nothing (our own writes come back as
 * updates and end in such a pass).
 *
 * Port numbers.  The netdev datapath has ports 0..DPIF_MAX_PORTS-1; the
 * OpenFlow number of a port is its datapath number, except that the
 * bridge's own interface (named like the bridge) is datapath port 0 and
 * OpenFlow LOCAL (65534).  Order of assignment in a pass: interfaces with
 * ofport_request, then the local one, then interfaces that already have
 * an ofport in the database (so a restarted vswitchd gives every port its
 * old number back), then the rest, lowest free number first.
 *
 * Tunnels.  A "vxlan" Interface (tunnel.h) has no datapath port of its
 * own: all of a bridge's VXLAN interfaces with the same dst_port share one,
 * "vxlan_sys_<dst_port>", added with the first of them (or adopted from a
 * previous run) and removed with the last.  Each still gets an OpenFlow
 * number of its own, drawn from the same space as the datapath numbers
 * and distinct from all of them: a number a tunnel holds is never given
 * to a datapath port, and the reverse.  The table of a bridge's tunnels
 * (number, shared port, options) goes to its ofproto, which publishes it
 * to translation inside the xbridge snapshot; a tunnel's Interface.status
 * gets the device and carrier of the route to remote_ip, refreshed with
 * the statistics.
 */
#include "bridge.h"

#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include "connmgr.h"
#include "dp-probe.h"
#include "lib/netdev-provider.h"
#include "lib/port-notify.h"
#include "ofproto.h"
#include "tunnel.h"
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/hash.h"
#include "vswitch/netdev.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-idl-txn.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(bridge);

#define OFPP_LOCAL 65534
#define STATS_INTERVAL_MS 5000

struct iface {
    char *name;
    char *type;       /* As in the database ("" for system). */
    uint32_t port_no; /* Datapath port, DPIF_PORT_NONE if none. */
    char *error;      /* Why it has no port (malloc'd), or NULL. */
    int ifindex;      /* Kernel device's ifindex when added, or 0. */
    bool vanished;    /* Its device went away: port removed, number kept
                       * in 'last_port_no' for when it returns. */
    uint32_t last_port_no;

    /* Link facts written back, read from the kernel when the port is
     * added and on every periodic pass (not on every pass: a pass per
     * command would cost a netlink round trip per port and fact). */
    bool has_mac, has_mtu, has_carrier, has_ifindex;
    uint8_t mac[6];
    int mtu;
    bool carrier;
    int cur_ifindex;

    /* A tunnel: 'port_no' is the shared datapath port. */
    bool is_tnl;            /* Of a tunnel type. */
    bool tnl_bad;           /* Its options are wrong ('error' says). */
    uint16_t tnl_ofport;    /* Its OpenFlow number, 0 if none yet. */
    struct tnl_cfg tnl_cfg; /* Its options. */
    bool has_egress;        /* 'egress' is the route's device. */
    char egress[IF_NAMESIZE];
    bool egress_carrier; /* Carrier of 'egress'. */
    int egress_mtu;      /* MTU of 'egress', 0 if unknown. */
};

/* The datapath port that a bridge's tunnels with one dst_port share. */
struct tnl_dp {
    uint16_t dst_port;      /* UDP port. */
    uint32_t port_no;       /* Datapath port. */
    char name[IF_NAMESIZE]; /* "vxlan_sys_<dst_port>". */
};

struct br {
    char *name;
    char *dp_type;           /* Effective datapath type. */
    char *dp_note;           /* Why that type (auto), or NULL. */
    char *error;             /* Why there is no datapath, or NULL. */
    struct dpif *dpif;       /* NULL if it could not be opened. */
    struct ofproto *ofproto; /* Its OpenFlow switch (with 'dpif'). */
    bool ctl_less;           /* Standalone without controllers: has had
                              * its default NORMAL flow. */
    struct iface **ifaces;
    size_t n_ifaces;
    bool seen;
    struct dp_features features; /* Of 'dpif', probed at open. */
    bool fresh;                  /* Datapath just opened: ports not in the
                              * database (a previous run's) to remove. */
    struct tnl_dp *tnl_dps;      /* Shared tunnel ports. */
    size_t n_tnl_dps;            /* In 'tnl_dps'. */
};

static struct ovsdb_idl *idl;
static char *default_type;
static struct br **bridges;
static size_t n_bridges;
static unsigned int last_seqno;
static bool need_pass = true;
static long long next_stats;
static bool warned_no_db;
static struct evloop *main_loop;
/* Kernel notifications of device and datapath port changes (NULL if
 * rtnetlink could not be opened: the periodic check still runs). */
static struct port_notifier *notifier;
static struct evloop_fd *notifier_route, *notifier_vport;
/* A notification named one of our devices: re-read them on the next
 * pass, as the periodic check does. */
static bool devices_changed;
/* Open_vSwitch other_config:n-handler-threads, 0: the default. */
static size_t n_handler_threads;
/* Open_vSwitch other_config:flow-restore-wait=true: a restart is putting
 * the OpenFlow tables back (ovs-ctl restart, or an operator with
 * ovs-ofctl): the datapath's megaflows are neither revalidated nor
 * expired, misses go unanswered and controllers are not connected, until
 * it is false (or gone) again. */
static bool flow_restore_wait;

static const char *const ovs_cols[] = {
    "bridges",     "next_cfg",     "cur_cfg",   "datapath_types",
    "iface_types", "other_config", "datapaths", NULL,
};
/* Written for the datapath types the user made a row for (as ovs-vsctl
 * users do: "create Datapath ... -- set Open_vSwitch . datapaths:system=@d"). */
static const char *const datapath_cols[] = {"datapath_version", "capabilities",
                                            NULL};
static const char *const br_cols[] = {
    "name",         "datapath_type", "ports",     "datapath_id", "status",
    "other_config", "controller",    "fail_mode", "protocols",   NULL,
};
static const char *const port_cols[] = {"name",   "interfaces", "tag",
                                        "trunks", "vlan_mode",  NULL};
static const char *const if_cols[] = {
    "name",       "type",        "ofport",     "ofport_request",
    "error",      "mac_in_use",  "ifindex",    "mtu",
    "link_state", "admin_state", "statistics", "options",
    "status",     NULL,
};
/* Read and written back for the OpenFlow layer (connmgr.h). */
static const char *const ctl_cols[] = {
    "target",          "is_connected", "status",           "role",
    "connection_mode", "max_backoff",  "inactivity_probe", NULL,
};

/* ---- Reading the replica. */

static const char *
get_str(const struct ovsdb_idl_row *row, const char *col)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, col, NULL);

    return d && d->n ? d->keys[0].string : "";
}

static int64_t
get_int(const struct ovsdb_idl_row *row, const char *col, int64_t dflt)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, col, NULL);

    return d && d->n ? d->keys[0].integer : dflt;
}

static const char *
smap_get(const struct ovsdb_idl_row *row, const char *col, const char *key)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, col, NULL);

    for (unsigned int i = 0; d && i < d->n; i++) {
        if (!strcmp(d->keys[i].string, key)) {
            return d->values[i].string;
        }
    }
    return NULL;
}

/* ---- Building values to write. */

static void
datum_add_str(struct ovsdb_datum *d, const char *key, const char *value)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    d->keys[d->n].string = xstrdup(key);
    if (value) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        d->values[d->n].string = xstrdup(value);
    }
    d->n++;
}

static void
datum_add_int(struct ovsdb_datum *d, int64_t v)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    d->keys[d->n++].integer = v;
}

/* Map string -> integer. */
static void
datum_add_counter(struct ovsdb_datum *d, const char *key, uint64_t v)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
    d->keys[d->n].string = xstrdup(key);
    d->values[d->n].integer = (int64_t) v;
    d->n++;
}

/* Writes 'd' (taken) to 'col' of 'row' if it differs from what the
 * replica holds. */
static void
update(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
       const char *col, struct ovsdb_datum *d)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *cur = ovsdb_idl_row_get(row, col, &type);
    struct ovsdb_error *err;

    if (!cur) {
        VLOG_ERR("column %s not monitored", col);
        return;
    }
    err = ovsdb_datum_sort(d, type);
    if (err) {
        VLOG_ERR("%s: bad value: %s", col, err->details);
        ovsdb_error_destroy(err);
    } else if (!ovsdb_datum_equals(cur, d, type)) {
        ovsdb_idl_txn_write(txn, ovsdb_idl_row_table_name(row), &row->uuid,
                            col, d, type);
    }
    ovsdb_datum_destroy(d, type);
}

/* ---- Bridges and interfaces. */

static uint32_t
ofport_to_port_no(int64_t ofport)
{
    return ofport == OFPP_LOCAL ? 0 : (uint32_t) ofport;
}

static int64_t
port_no_to_ofport(uint32_t port_no)
{
    return port_no == 0 ? OFPP_LOCAL : (int64_t) port_no;
}

/* The OpenFlow number of 'iface', which has a port. */
static int64_t
iface_ofport(const struct iface *iface)
{
    return iface->is_tnl ? iface->tnl_ofport
                         : port_no_to_ofport(iface->port_no);
}

/* Frees 'iface'; unless 'keep', takes its port out of the datapath. */
static void
iface_destroy(struct br *br, struct iface *iface, bool keep)
{
    if (iface->port_no != DPIF_PORT_NONE && br->dpif && !keep
        && !iface->is_tnl) {
        int error = dpif_port_del(br->dpif, iface->port_no);

        if (error && error != ENOENT) {
            VLOG_WARN("%s: cannot remove port %s: %s", br->name, iface->name,
                      vs_strerror(error));
        }
    }
    free(iface->name);
    free(iface->type);
    free(iface->error);
    free(iface);
}

static void
br_remove_iface(struct br *br, size_t idx, bool keep)
{
    iface_destroy(br, br->ifaces[idx], keep);
    br->ifaces[idx] = br->ifaces[--br->n_ifaces];
}

/* Closes the datapath of 'br'.  With 'keep' (vswitchd exits) a kernel
 * datapath stays with its ports and megaflows, forwarding headless until
 * the next vswitchd adopts it; otherwise (the bridge left the database,
 * or changed type) it is deleted. */
static void
br_close_dp(struct br *br, bool keep)
{
    keep = keep && br->dpif && !strcmp(dpif_type(br->dpif), "system");
    ofproto_destroy(br->ofproto);
    br->ofproto = NULL;
    br->ctl_less = false;
    while (br->n_ifaces) {
        br_remove_iface(br, br->n_ifaces - 1, keep);
    }
    /* The shared tunnel ports go with the datapath (or stay with it). */
    free(br->tnl_dps);
    br->tnl_dps = NULL;
    br->n_tnl_dps = 0;
    if (br->dpif) {
        VLOG_INFO("%s: %s datapath %s", br->name,
                  keep ? "leaving" : "removing", dpif_full_name(br->dpif));
        dpctl_unregister_dp(br->name);
        if (!keep) {
            dpif_delete(br->dpif);
        }
        dpif_close(br->dpif);
        br->dpif = NULL;
    }
}

static void
br_destroy(struct br *br, bool keep)
{
    br_close_dp(br, keep);
    free(br->ifaces);
    free(br->name);
    free(br->dp_type);
    free(br->dp_note);
    free(br->error);
    free(br);
}

static struct br *
br_find(const char *name)
{
    for (size_t i = 0; i < n_bridges; i++) {
        if (!strcmp(bridges[i]->name, name)) {
            return bridges[i];
        }
    }
    return NULL;
}

static struct iface *
br_find_iface(const struct br *br, const char *name)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        if (!strcmp(br->ifaces[i]->name, name)) {
            return br->ifaces[i];
        }
    }
    return NULL;
}

/* The datapath type for a Bridge whose datapath_type is 'requested'. */
static void
resolve_dp_type(const char *requested, char **typep, char **notep)
{
    const char *t = *requested ? requested : default_type;

    *notep = NULL;
    if (!strcmp(t, "auto")) {
        if (dpif_type_is_known("system")) {
            t = "system";
        } else {
            t = "netdev";
            *notep = xstrdup("datapath_type auto: the kernel datapath is not "
                             "available, using netdev");
        }
    }
    *typep = xstrdup(t);
}

/* Finds out what the datapath of 'br' can do, and logs it. */
static void
br_probe(struct br *br)
{
    int n_missing = dp_probe(br->dpif, &br->features);
    struct ds have = DS_EMPTY_INITIALIZER, lack = DS_EMPTY_INITIALIZER;

    if (!br->features.probed) {
        return;
    }
    dp_features_format(&br->features, false, &have);
    dp_features_format(&br->features, true, &lack);
    VLOG_INFO("%s: datapath module %s supports: %s", br->name,
              br->features.module, ds_cstr(&have));
    if (n_missing) {
        /* Translation has a fallback for set_masked_eth only: a megaflow
         * that needs another missing action is refused by the kernel and
         * logged as a failed install. */
        VLOG_WARN("%s: datapath module %s lacks: %s", br->name,
                  br->features.module, ds_cstr(&lack));
    }
    ds_destroy(&have);
    ds_destroy(&lack);
}

static void
br_configure_dp(struct br *br, const struct ovsdb_idl_row *row)
{
    char *type, *note, *old_error;
    int error;

    resolve_dp_type(get_str(row, "datapath_type"), &type, &note);
    if (br->dp_type && strcmp(br->dp_type, type)) {
        VLOG_INFO("%s: datapath type changes from %s to %s", br->name,
                  br->dp_type, type);
        br_close_dp(br, false);
    }
    free(br->dp_type);
    br->dp_type = type;
    if (note && (!br->dp_note || strcmp(note, br->dp_note))) {
        VLOG_INFO("%s: %s", br->name, note);
    }
    free(br->dp_note);
    br->dp_note = note;
    if (br->dpif) {
        return;
    }
    old_error = br->error;
    br->error = NULL;
    if (!dpif_type_is_known(type)) {
        br->error = xasprintf("datapath type %s is not supported by this "
                              "vswitchd (available: netdev)",
                              type);
    } else {
        error = dpif_open(br->name, type, true, &br->dpif);
        if (error) {
            br->error = xasprintf("could not open datapath %s@%s (%s)", type,
                                  br->name, vs_strerror(error));
            br->dpif = NULL;
        } else {
            VLOG_INFO("%s: opened datapath %s", br->name,
                      dpif_full_name(br->dpif));
            br->fresh = true;
            br_probe(br);
            dpctl_register_dp(br->name, type);
        }
    }
    if (br->error && (!old_error || strcmp(old_error, br->error))) {
        VLOG_WARN("%s: %s", br->name, br->error);
    }
    free(old_error);
}

struct want {
    const struct ovsdb_idl_row *row;
    const struct ovsdb_idl_row *port; /* Its Port row. */
    const char *name;
    const char *type;
    int64_t request; /* ofport_request or -1. */
    int64_t old;     /* ofport in the database or -1. */
    struct iface *iface;
};

/* The Interface rows of bridge 'row', first occurrence of a name wins. */
static struct want *
collect_wants(const struct ovsdb_idl_row *row, size_t *np)
{
    const struct ovsdb_datum *ports = ovsdb_idl_row_get(row, "ports", NULL);
    struct want *w = NULL;
    size_t n = 0;

    for (unsigned int i = 0; ports && i < ports->n; i++) {
        const struct ovsdb_idl_row *port =
            ovsdb_idl_get_row(idl, "Port", &ports->keys[i].uuid);
        const struct ovsdb_datum *ifs;

        if (!port) {
            continue;
        }
        ifs = ovsdb_idl_row_get(port, "interfaces", NULL);
        for (unsigned int j = 0; ifs && j < ifs->n; j++) {
            const struct ovsdb_idl_row *ifr =
                ovsdb_idl_get_row(idl, "Interface", &ifs->keys[j].uuid);
            const char *name;
            bool dup = false;

            if (!ifr) {
                continue;
            }
            name = get_str(ifr, "name");
            for (size_t k = 0; k < n; k++) {
                dup |= !strcmp(w[k].name, name);
            }
            if (dup || !*name) {
                continue;
            }
            w = xrealloc(w, (n + 1) * sizeof *w);
            w[n] = (struct want){
                .row = ifr,
                .port = port,
                .name = name,
                .type = get_str(ifr, "type"),
                .request = get_int(ifr, "ofport_request", -1),
                .old = get_int(ifr, "ofport", -1),
            };
            n++;
        }
    }
    *np = n;
    return w;
}

static bool
same_type(const char *a, const char *b)
{
    if (!*a) {
        a = "system";
    }
    if (!*b) {
        b = "system";
    }
    return !strcmp(a, b);
}

static void
iface_read_facts(struct iface *iface)
{
    bool kernel = strcmp(iface->type, "dummy") != 0;

    iface->has_mac =
        kernel && !netdev_linux_get_etheraddr(iface->name, iface->mac);
    iface->has_mtu = kernel && !netdev_linux_get_mtu(iface->name, &iface->mtu);
    iface->has_carrier =
        kernel && !netdev_linux_get_carrier(iface->name, &iface->carrier);
    iface->has_ifindex =
        kernel && !netdev_linux_get_ifindex(iface->name, &iface->cur_ifindex);
}

static void
iface_set_error(struct iface *iface, char *error)
{
    free(iface->error);
    iface->error = error;
}

/* Whether 'p' is a tunnel's OpenFlow number or a shared tunnel port. */
static bool
tnl_holds(const struct br *br, uint32_t p)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        if (br->ifaces[i]->is_tnl && br->ifaces[i]->tnl_ofport == p) {
            return true;
        }
    }
    for (size_t i = 0; i < br->n_tnl_dps; i++) {
        if (br->tnl_dps[i].port_no == p) {
            return true;
        }
    }
    return false;
}

/* Tries to give 'w' datapath port 'port_no' (DPIF_PORT_NONE: any). */
static int
try_add(struct br *br, struct want *w, uint32_t port_no)
{
    const char *type = *w->type ? w->type : "system";
    struct dpif_port dp;
    int error;

    if (port_no != DPIF_PORT_NONE && tnl_holds(br, port_no)) {
        return EBUSY; /* A tunnel's OpenFlow number. */
    }
    if (!dpif_port_query_by_name(br->dpif, w->name, &dp)) {
        /* Already a port of this datapath: the kernel datapath's local
         * port, or a port a previous vswitchd left behind.  Adopt it with
         * its number, so that its megaflows stay right. */
        port_no = dp.port_no;
        VLOG_INFO("%s: adopting %s, already port %" PRIu32 " of %s", br->name,
                  w->name, port_no, dpif_full_name(br->dpif));
        dpif_port_destroy(&dp);
        error = 0;
    } else {
        error = dpif_port_add(br->dpif, w->name, type, &port_no);
    }
    if (!error) {
        int ifindex;

        w->iface->port_no = port_no;
        w->iface->ifindex =
            strcmp(type, "dummy")
                    && !netdev_linux_get_ifindex(w->name, &ifindex)
                ? ifindex
                : 0;
        iface_read_facts(w->iface);
        if (w->iface->vanished) {
            VLOG_INFO("%s: device %s is back", br->name, w->name);
            w->iface->vanished = false;
        }
        iface_set_error(w->iface, NULL);
        VLOG_INFO("%s: added interface %s (%s) as ofport %" PRId64, br->name,
                  w->name, type, port_no_to_ofport(port_no));
    }
    return error;
}

/* The lowest datapath port number above 0 that nothing uses or expects
 * back: not in the datapath, not kept by a vanished interface, not the
 * database ofport or ofport_request of an interface still to be added
 * (a shared tunnel port must not take a number an ordinary interface
 * asked for: it would be re-added under another number on every pass).
 * DPIF_PORT_NONE if
 * none is free. */
static uint32_t
pick_free(const struct br *br, const struct want *wants, size_t n_wants)
{
    for (uint32_t p = 1; p < DPIF_MAX_PORTS; p++) {
        struct dpif_port dp;
        bool used = false;

        for (size_t i = 0; i < br->n_ifaces && !used; i++) {
            const struct iface *iface = br->ifaces[i];

            used = iface->port_no == p
                   || (iface->vanished && iface->last_port_no == p);
        }
        used = used || tnl_holds(br, p);
        for (size_t i = 0; i < n_wants && !used; i++) {
            const struct want *w = &wants[i];

            /* Numbers still to be given: requested or held before. */
            used =
                w->iface->port_no == DPIF_PORT_NONE
                && ((w->old > 0 && ofport_to_port_no(w->old) == p)
                    || (w->request > 0 && ofport_to_port_no(w->request) == p));
        }
        if (!used && !dpif_port_query_by_number(br->dpif, p, &dp)) {
            dpif_port_destroy(&dp);
            used = true;
        }
        if (!used) {
            return p;
        }
    }
    return DPIF_PORT_NONE;
}

/* Whether OpenFlow number 'p' is free for tunnel 'self': no datapath
 * port, no other interface, no shared port has it. */
static bool
tnl_ofport_free(const struct br *br, const struct iface *self, int64_t p)
{
    struct dpif_port dp;

    if (p <= 0 || p >= DPIF_MAX_PORTS) {
        return false;
    }
    for (size_t i = 0; i < br->n_ifaces; i++) {
        const struct iface *o = br->ifaces[i];

        if (o != self
            && ((!o->is_tnl && o->port_no == p)
                || (o->is_tnl && o->tnl_ofport == p)
                || (o->vanished && o->last_port_no == p))) {
            return false;
        }
    }
    for (size_t i = 0; i < br->n_tnl_dps; i++) {
        if (br->tnl_dps[i].port_no == p) {
            return false;
        }
    }
    if (!dpif_port_query_by_number(br->dpif, (uint32_t) p, &dp)) {
        dpif_port_destroy(&dp);
        return false;
    }
    return true;
}

/* The shared datapath port of the tunnels on UDP port 'dst_port' into
 * '*port_nop': the one this bridge has, one a previous run left (adopted),
 * or a new one.  0 or a positive errno. */
static int
tnl_dp_get(struct br *br, uint16_t dst_port, const struct want *wants,
           size_t n_wants, uint32_t *port_nop)
{
    struct dpif_port_opts opts = {.dst_port = dst_port};
    struct dpif_port dp;
    struct tnl_dp *t;
    char name[IF_NAMESIZE];
    uint32_t port_no;
    int error;

    for (size_t i = 0; i < br->n_tnl_dps; i++) {
        if (br->tnl_dps[i].dst_port == dst_port) {
            *port_nop = br->tnl_dps[i].port_no;
            return 0;
        }
    }
    tnl_dp_port_name("vxlan", dst_port, name, sizeof name);
    if (!dpif_port_query_by_name(br->dpif, name, &dp)) {
        port_no = dp.port_no;
        VLOG_INFO("%s: adopting %s, already port %" PRIu32 " of %s", br->name,
                  name, port_no, dpif_full_name(br->dpif));
        dpif_port_destroy(&dp);
    } else {
        port_no = pick_free(br, wants, n_wants);
        if (port_no == DPIF_PORT_NONE) {
            return EFBIG;
        }
        error = dpif_port_add_opts(br->dpif, name, "vxlan", &opts, &port_no);
        if (error) {
            return error;
        }
        VLOG_INFO("%s: added tunnel port %s as datapath port %" PRIu32,
                  br->name, name, port_no);
    }
    br->tnl_dps =
        xrealloc(br->tnl_dps, (br->n_tnl_dps + 1) * sizeof *br->tnl_dps);
    t = &br->tnl_dps[br->n_tnl_dps++];
    t->dst_port = dst_port;
    t->port_no = port_no;
    snprintf(t->name, sizeof t->name, "%s", name);
    *port_nop = port_no;
    return 0;
}

/* Removes the shared tunnel ports that no tunnel uses any more. */
static void
tnl_dp_gc(struct br *br)
{
    for (size_t i = 0; i < br->n_tnl_dps;) {
        const struct tnl_dp *t = &br->tnl_dps[i];
        bool used = false;

        for (size_t j = 0; j < br->n_ifaces && !used; j++) {
            used =
                br->ifaces[j]->is_tnl && br->ifaces[j]->port_no == t->port_no;
        }
        if (used) {
            i++;
            continue;
        }
        VLOG_INFO("%s: removing tunnel port %s (%" PRIu32 "), its last "
                  "interface is gone",
                  br->name, t->name, t->port_no);
        if (br->dpif) {
            int error = dpif_port_del(br->dpif, t->port_no);

            if (error && error != ENOENT) {
                VLOG_WARN("%s: cannot remove port %s: %s", br->name, t->name,
                          vs_strerror(error));
            }
        }
        br->tnl_dps[i] = br->tnl_dps[--br->n_tnl_dps];
    }
}

/* The route to a tunnel's remote_ip: its device, carrier and MTU. */
static void
tnl_read_facts(struct iface *iface)
{
    iface->has_mac = iface->has_mtu = iface->has_carrier = false;
    iface->has_ifindex = false;
    iface->has_egress =
        !iface->tnl_cfg.remote_flow
        && !(iface->tnl_cfg.ipv6
                 ? tnl_route_lookup6(&iface->tnl_cfg.remote_ip6, iface->egress)
                 : tnl_route_lookup(iface->tnl_cfg.remote_ip, iface->egress));
    iface->egress_carrier = false;
    iface->egress_mtu = 0;
    if (iface->has_egress) {
        netdev_linux_get_carrier(iface->egress, &iface->egress_carrier);
        netdev_linux_get_mtu(iface->egress, &iface->egress_mtu);
    }
}

/* Gives tunnel 'w' an OpenFlow number and its shared datapath port. */
static void
add_tunnel(struct br *br, struct want *w, int pass, const struct want *wants,
           size_t n_wants)
{
    struct iface *iface = w->iface;
    uint32_t port_no;
    int64_t ofport = -1;
    int error;

    if (pass == 0) {
        if (w->request <= 0 || w->request >= DPIF_MAX_PORTS) {
            iface_set_error(iface, xasprintf("ofport_request %" PRId64
                                             " is out of range for a tunnel "
                                             "(1-%d)",
                                             w->request, DPIF_MAX_PORTS - 1));
            return;
        }
        if (tnl_ofport_free(br, iface, w->request)) {
            ofport = w->request;
        } else {
            VLOG_WARN("%s: ofport_request %" PRId64 " of %s is taken, "
                      "choosing another",
                      br->name, w->request, w->name);
        }
    }
    if (ofport < 0 && iface->tnl_ofport
        && tnl_ofport_free(br, iface, iface->tnl_ofport)) {
        ofport = iface->tnl_ofport;
    }
    if (ofport < 0 && tnl_ofport_free(br, iface, w->old)) {
        ofport = w->old;
    }
    iface->tnl_ofport = 0;
    if (ofport < 0) {
        port_no = pick_free(br, wants, n_wants);
        if (port_no == DPIF_PORT_NONE) {
            iface_set_error(iface, xasprintf("no free OpenFlow port number "
                                             "for tunnel %s",
                                             w->name));
            return;
        }
        ofport = port_no;
    }
    /* Reserved before the shared port picks a number. */
    iface->tnl_ofport = (uint16_t) ofport;
    error = tnl_dp_get(br, iface->tnl_cfg.dst_port, wants, n_wants, &port_no);
    if (error) {
        char name[IF_NAMESIZE];
        char *msg;

        tnl_dp_port_name("vxlan", iface->tnl_cfg.dst_port, name, sizeof name);
        msg = xasprintf("could not add datapath port %s for tunnel %s (%s)",
                        name, w->name, vs_strerror(error));
        if (!iface->error || strcmp(iface->error, msg)) {
            VLOG_WARN("%s: %s", br->name, msg);
        }
        iface_set_error(iface, msg);
        iface->tnl_ofport = 0;
        return;
    }
    iface->port_no = port_no;
    tnl_read_facts(iface);
    iface_set_error(iface, NULL);
    VLOG_INFO("%s: added tunnel %s (vxlan) as ofport %" PRId64
              " on datapath port %" PRIu32,
              br->name, w->name, ofport, port_no);
}

static void
add_port(struct br *br, struct want *w, int pass, const struct want *wants,
         size_t n_wants)
{
    const char *type = *w->type ? w->type : "system";
    int error;

    if (w->iface->is_tnl) {
        if (!w->iface->tnl_bad) {
            add_tunnel(br, w, pass, wants, n_wants);
        }
        return;
    }
    if (!netdev_type_is_known(type)) {
        iface_set_error(w->iface, xasprintf("could not add network device %s: "
                                            "unsupported type \"%s\"",
                                            w->name, type));
        return;
    }
    switch (pass) {
    case 0: /* ofport_request. */
        if (w->request != OFPP_LOCAL
            && (w->request <= 0 || w->request >= DPIF_MAX_PORTS)) {
            iface_set_error(w->iface, xasprintf("ofport_request %" PRId64
                                                " is out of range for the "
                                                "%s datapath (1-%d)",
                                                w->request, br->dp_type,
                                                DPIF_MAX_PORTS - 1));
            return;
        }
        error = try_add(br, w, ofport_to_port_no(w->request));
        if (error == EBUSY) {
            VLOG_WARN("%s: ofport_request %" PRId64 " of %s is taken, "
                      "choosing another",
                      br->name, w->request, w->name);
            error = try_add(br, w, pick_free(br, wants, n_wants));
        }
        break;
    case 1: /* The bridge's own interface. */
        error = try_add(br, w, 0);
        if (error == EBUSY) {
            error = try_add(br, w, pick_free(br, wants, n_wants));
        }
        break;
    case 2: /* Its old number. */
        error = try_add(br, w, ofport_to_port_no(w->old));
        if (error == EBUSY) {
            error = try_add(br, w, pick_free(br, wants, n_wants));
        }
        break;
    default:
        error = try_add(br, w, pick_free(br, wants, n_wants));
        break;
    }
    if (error) {
        char *msg = xasprintf(w->iface->vanished
                                  ? "network device %s vanished (%s)"
                                  : "could not open network device %s (%s)",
                              w->name, vs_strerror(error));

        if (!w->iface->error || strcmp(w->iface->error, msg)) {
            VLOG_WARN("%s: %s", br->name, msg);
        }
        iface_set_error(w->iface, msg);
    }
}

static int
want_pass(const struct br *br, const struct want *w)
{
    if (w->request > 0) {
        return 0;
    }
    if (!strcmp(w->name, br->name)) {
        return 1;
    }
    if (w->old == OFPP_LOCAL || (w->old > 0 && w->old < DPIF_MAX_PORTS)) {
        return 2;
    }
    return 3;
}

/* Takes out of the datapath the ports whose kernel device went away (or
 * was replaced: another ifindex), keeping their numbers for their
 * return. */
static void
br_check_devices(struct br *br)
{
    for (size_t i = 0; i < br->n_ifaces; i++) {
        struct iface *iface = br->ifaces[i];
        struct dpif_port dp;
        int ifindex;

        if (iface->port_no == DPIF_PORT_NONE) {
            continue;
        }
        if (dpif_port_query_by_number(br->dpif, iface->port_no, &dp)) {
            /* Someone (dpctl/del-if) took it out: add it back. */
            VLOG_WARN("%s: port %s left the datapath, adding it back",
                      br->name, iface->name);
            for (size_t j = 0; iface->is_tnl && j < br->n_tnl_dps; j++) {
                if (br->tnl_dps[j].port_no == iface->port_no) {
                    br->tnl_dps[j] = br->tnl_dps[--br->n_tnl_dps];
                    break;
                }
            }
            iface->port_no = DPIF_PORT_NONE;
            continue;
        }
        dpif_port_destroy(&dp);
        if (iface->is_tnl) {
            tnl_read_facts(iface);
            continue;
        }
        if (!iface->ifindex) {
            continue;
        }
        if (!netdev_linux_get_ifindex(iface->name, &ifindex)
            && ifindex == iface->ifindex) {
            iface_read_facts(iface);
            continue;
        }
        VLOG_WARN("%s: device %s vanished, removing ofport %" PRId64
                  " until it returns",
                  br->name, iface->name, port_no_to_ofport(iface->port_no));
        dpif_port_del(br->dpif, iface->port_no);
        iface->vanished = true;
        iface->last_port_no = iface->port_no;
        iface->port_no = DPIF_PORT_NONE;
        iface->ifindex = 0;
        iface_set_error(iface,
                        xasprintf("network device %s vanished", iface->name));
    }
}

static void
br_remove_stale(struct br *br, struct want *w, size_t n)
{
    /* Remove interfaces that left or whose type or requested number
     * changed. */
    for (size_t i = 0; i < br->n_ifaces;) {
        struct iface *iface = br->ifaces[i];
        struct want *match = NULL;

        for (size_t j = 0; j < n; j++) {
            if (!strcmp(w[j].name, iface->name)) {
                match = &w[j];
                break;
            }
        }
        if (!match || !same_type(match->type, iface->type) || !br->dpif
            || (match->request > 0 && iface->port_no != DPIF_PORT_NONE
                && iface_ofport(iface)
                       != (iface->is_tnl ? match->request
                                         : port_no_to_ofport(ofport_to_port_no(
                                             match->request))))) {
            if (iface->port_no != DPIF_PORT_NONE) {
                VLOG_INFO("%s: removing interface %s (ofport %" PRId64 ")",
                          br->name, iface->name, iface_ofport(iface));
            }
            br_remove_iface(br, i, false);
        } else {
            i++;
        }
    }
}

/* Takes out of a just adopted datapath the ports no interface claims
 * (left by a previous run for interfaces deleted meanwhile); the local
 * port stays. */
static void
br_remove_strays(struct br *br)
{
    struct dpif_port *ports;
    size_t n;

    if (dpif_port_dump(br->dpif, &ports, &n)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        bool claimed = ports[i].port_no == 0;

        for (size_t j = 0; j < br->n_tnl_dps && !claimed; j++) {
            claimed = br->tnl_dps[j].port_no == ports[i].port_no;
        }

        for (size_t j = 0; j < br->n_ifaces && !claimed; j++) {
            claimed = br->ifaces[j]->port_no == ports[i].port_no
                      || (br->ifaces[j]->vanished
                          && br->ifaces[j]->last_port_no == ports[i].port_no);
        }
        if (!claimed) {
            VLOG_INFO("%s: removing port %s (%" PRIu32 "), which the "
                      "database no longer has",
                      br->name, ports[i].name, ports[i].port_no);
            dpif_port_del(br->dpif, ports[i].port_no);
        }
        dpif_port_destroy(&ports[i]);
    }
    free(ports);
}

/* Reads the options of the tunnels among the 'n' wants 'w': a tunnel
 * whose options are wrong, or receive the same packets as an earlier
 * one's, loses its port and gets an error; one whose dst_port changed
 * moves to another shared port (keeping its OpenFlow number). */
static void
tnl_configure(struct br *br, struct want *w, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        struct iface *iface = w[j].iface;
        const struct ovsdb_datum *opts;
        const char **keys, **values;
        struct tnl_cfg cfg;
        char *error = NULL;

        iface->is_tnl = tnl_type_is_tunnel(w[j].type);
        if (!iface->is_tnl) {
            continue;
        }
        opts = ovsdb_idl_row_get(w[j].row, "options", NULL);
        keys = xcalloc(opts && opts->n ? opts->n : 1, sizeof *keys);
        values = xcalloc(opts && opts->n ? opts->n : 1, sizeof *values);
        for (unsigned int k = 0; opts && k < opts->n; k++) {
            keys[k] = opts->keys[k].string;
            values[k] = opts->values[k].string;
        }
        if (tnl_cfg_parse(w[j].type, keys, values, opts ? opts->n : 0, &cfg,
                          &error)) {
            for (size_t k = 0; k < j && !error; k++) {
                if (w[k].iface->is_tnl && !w[k].iface->tnl_bad
                    && tnl_cfg_same_receive(&w[k].iface->tnl_cfg, &cfg)) {
                    error = xasprintf("%s: receives the same packets as %s "
                                      "(same remote_ip, local_ip, in_key "
                                      "and dst_port)",
                                      w[j].name, w[k].name);
                }
            }
        } else {
            char *e = xasprintf("%s: %s", w[j].name, error);

            free(error);
            error = e;
        }
        free(keys);
        free(values);
        if (error) {
            if (!iface->error || strcmp(iface->error, error)) {
                VLOG_WARN("%s: %s", br->name, error);
            }
            iface_set_error(iface, error);
            iface->tnl_bad = true;
            iface->port_no = DPIF_PORT_NONE;
            iface->tnl_ofport = 0;
            continue;
        }
        if (iface->tnl_bad) {
            iface_set_error(iface, NULL);
        }
        iface->tnl_bad = false;
        if (iface->port_no != DPIF_PORT_NONE
            && cfg.dst_port != iface->tnl_cfg.dst_port) {
            iface->port_no = DPIF_PORT_NONE;
        }
        iface->tnl_cfg = cfg;
    }
}

/* Hands the tunnels of 'br' to its ofproto, which publishes them to
 * translation with its xbridge; a change revalidates the megaflows.
 * 'br' has an ofproto. */
static void
tnl_publish(struct br *br)
{
    struct tnl_port *ports =
        xcalloc(br->n_ifaces ? br->n_ifaces : 1, sizeof *ports);
    size_t n = 0;

    for (size_t i = 0; i < br->n_ifaces; i++) {
        const struct iface *iface = br->ifaces[i];

        if (iface->is_tnl && iface->port_no != DPIF_PORT_NONE) {
            ports[n].ofp_port = iface->tnl_ofport;
            ports[n].dp_port = iface->port_no;
            snprintf(ports[n].name, sizeof ports[n].name, "%s", iface->name);
            ports[n].cfg = iface->tnl_cfg;
            n++;
        }
    }
    ofproto_set_tunnels(br->ofproto, tnl_table_create(ports, n));
    free(ports);
}

/* Adds what the datapath lacks.  Runs after every bridge's removals, so
 * that an interface moving between bridges is free when it is added. */
static void
br_add_ports(struct br *br, struct want *w, size_t n, bool check)
{
    for (size_t j = 0; j < n; j++) {
        w[j].iface = br_find_iface(br, w[j].name);
        if (!w[j].iface) {
            struct iface *iface = xzalloc(sizeof *iface);

            iface->name = xstrdup(w[j].name);
            iface->type = xstrdup(w[j].type);
            iface->port_no = DPIF_PORT_NONE;
            br->ifaces =
                xrealloc(br->ifaces, (br->n_ifaces + 1) * sizeof *br->ifaces);
            br->ifaces[br->n_ifaces++] = iface;
            w[j].iface = iface;
        }
    }
    if (br->dpif && check) {
        br_check_devices(br);
    }
    tnl_configure(br, w, n);
    for (size_t j = 0; j < n; j++) {
        if (w[j].iface->vanished) {
            w[j].old = port_no_to_ofport(w[j].iface->last_port_no);
        }
    }
    if (!br->dpif) {
        for (size_t j = 0; j < n; j++) {
            iface_set_error(w[j].iface,
                            xstrdup(br->error ? br->error : "no datapath"));
        }
        return;
    }
    for (int pass = 0; pass < 4; pass++) {
        for (size_t j = 0; j < n; j++) {
            if (w[j].iface->port_no == DPIF_PORT_NONE
                && want_pass(br, &w[j]) == pass) {
                add_port(br, &w[j], pass, w, n);
            }
        }
    }
    tnl_dp_gc(br);
    if (br->fresh) {
        br_remove_strays(br);
        br->fresh = false;
    }
}

/* ---- OpenFlow. */

static void
ofproto_status_changed(void *aux)
{
    (void) aux;
    need_pass = true; /* Write Controller status back. */
}

/* The OpenFlow switch of 'br' is created with its datapath, together with
 * its management socket RUNDIR/BR.mgmt. */
static void
br_open_ofproto(struct br *br)
{
    char *mgmt;
    int error;

    if (br->ofproto || !br->dpif) {
        return;
    }
    /* On a kernel datapath, which may carry the megaflows of a previous
     * run, the ofproto starts held: released at the end of
     * br_configure_slow_path(), when it has its ports and flows. */
    br->ofproto = ofproto_create(br->name, main_loop, br->dpif);
    ofproto_set_dp_features(br->ofproto, &br->features);
    ofproto_set_status_cb(br->ofproto, ofproto_status_changed, NULL);
    mgmt = xasprintf("punix:%s/%s.mgmt", vs_rundir(), br->name);
    error = connmgr_add_service(ofproto_connmgr(br->ofproto), mgmt, NULL);
    if (error) {
        VLOG_WARN("%s: cannot listen on %s: %s", br->name, mgmt,
                  vs_strerror(error));
    }
    free(mgmt);
}

/* Port.vlan_mode/tag/trunks as xlate.h's VLAN settings. */
static void
port_vlan(const struct ovsdb_idl_row *port, struct ofproto_port *op)
{
    const struct ovsdb_datum *trunks = ovsdb_idl_row_get(port, "trunks", NULL);
    const char *mode = get_str(port, "vlan_mode");

    op->tag = (int) get_int(port, "tag", -1);
    op->trunks = NULL;
    if (trunks && trunks->n) {
        op->trunks = xzalloc(512);
        for (unsigned int i = 0; i < trunks->n; i++) {
            int64_t v = trunks->keys[i].integer;

            if (v >= 0 && v < 4096) {
                op->trunks[v / 8] |= 1u << (v % 8);
            }
        }
    }
    if (!strcmp(mode, "native-tagged")) {
        op->vlan_mode = XPORT_VLAN_NATIVE_TAGGED;
    } else if (!strcmp(mode, "native-untagged")) {
        op->vlan_mode = XPORT_VLAN_NATIVE_UNTAGGED;
    } else if (!strcmp(mode, "access")
               || (!*mode && op->tag >= 0 && !op->trunks)) {
        op->vlan_mode = XPORT_VLAN_ACCESS;
    } else {
        op->vlan_mode = XPORT_VLAN_TRUNK;
    }
}

static uint32_t
br_versions(const struct ovsdb_idl_row *row)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, "protocols", NULL);
    uint32_t versions = 0;

    for (unsigned int i = 0; d && i < d->n; i++) {
        uint8_t v = ofp_version_from_name(d->keys[i].string);

        if (v) {
            versions |= OFP_VERSION_BIT(v);
        }
    }
    return versions;
}

static char *datapath_id(const struct ovsdb_idl_row *, const char *name);

/* Hands the bridge's ports, controllers and settings to its ofproto. */
static void
br_configure_ofproto(struct br *br, const struct ovsdb_idl_row *row,
                     const struct want *w, size_t n)
{
    const struct ovsdb_datum *ctls;
    struct connmgr_controller *cc;
    struct ofproto_port *ports;
    size_t n_ports = 0, n_cc = 0;
    char *dpid;

    br_open_ofproto(br);
    if (!br->ofproto) {
        return;
    }
    dpid = datapath_id(row, br->name);
    ofproto_set_datapath_id(br->ofproto, strtoull(dpid, NULL, 16));
    free(dpid);
    ofproto_set_fail_secure(br->ofproto,
                            !strcmp(get_str(row, "fail_mode"), "secure"));
    ofproto_set_n_handlers(br->ofproto, n_handler_threads);
    connmgr_set_versions(ofproto_connmgr(br->ofproto), br_versions(row));

    ctls = ovsdb_idl_row_get(row, "controller", NULL);
    cc = xcalloc(ctls && ctls->n ? ctls->n : 1, sizeof *cc);
    for (unsigned int i = 0; ctls && i < ctls->n; i++) {
        const struct ovsdb_idl_row *c =
            ovsdb_idl_get_row(idl, "Controller", &ctls->keys[i].uuid);

        if (c && *get_str(c, "target")) {
            cc[n_cc].target = get_str(c, "target");
            cc[n_cc].max_backoff = (int) get_int(c, "max_backoff", 0);
            cc[n_cc].inactivity_probe =
                (int) get_int(c, "inactivity_probe", 0);
            if (cc[n_cc].inactivity_probe == 0
                && ovsdb_idl_row_get(c, "inactivity_probe", NULL)
                && ovsdb_idl_row_get(c, "inactivity_probe", NULL)->n) {
                cc[n_cc].inactivity_probe = -1; /* 0 in the row: never. */
            }
            n_cc++;
        }
    }
    /* While flows are being restored, a controller would race the restore
     * (the management socket stays: the restore goes through it). */
    connmgr_set_controllers(ofproto_connmgr(br->ofproto), cc,
                            flow_restore_wait ? 0 : n_cc);
    free(cc);
    /* A standalone bridge that has (or comes to have) no controller gets
     * a flow for NORMAL switching, once: what the user deletes stays
     * deleted until controllers come and go again. */
    if (!n_cc && strcmp(get_str(row, "fail_mode"), "secure")) {
        if (!br->ctl_less) {
            ofproto_flow_mod_text(br->ofproto, "priority=0,actions=NORMAL",
                                  OFPFC_ADD);
            br->ctl_less = true;
        }
    } else if (br->ctl_less) {
        ofproto_flow_mod_text(br->ofproto, "priority=0", OFPFC_DELETE_STRICT);
        br->ctl_less = false;
    }

    /* Tunnels first: translation must know a tunnel port before it
     * outputs to it. */
    tnl_publish(br);
    ports = xcalloc(n ? n : 1, sizeof *ports);
    for (size_t i = 0; i < n; i++) {
        const struct iface *iface = w[i].iface;
        struct ofproto_port *op = &ports[n_ports];

        if (!iface || iface->port_no == DPIF_PORT_NONE) {
            continue;
        }
        op->ofp_port = (uint16_t) iface_ofport(iface);
        op->dp_port = iface->port_no;
        snprintf(op->name, sizeof op->name, "%s", iface->name);
        if (iface->has_mac) {
            memcpy(op->mac, iface->mac, 6);
        }
        op->link_up = !iface->has_carrier || iface->carrier;
        port_vlan(w[i].port, op);
        n_ports++;
    }
    ofproto_set_ports(br->ofproto, ports, n_ports);
    for (size_t i = 0; i < n_ports; i++) {
        free(ports[i].trunks);
    }
    free(ports);
}

/* A positive integer from 'row''s other_config:'key', or 0. */
static long long
other_config_ll(const struct ovsdb_idl_row *row, const char *key)
{
    const char *v = smap_get(row, "other_config", key);
    char *end;
    long long x;

    if (!v) {
        return 0;
    }
    x = strtoll(v, &end, 10);
    if (*end || x <= 0) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);

        VLOG_WARN_RL(&rl, "other_config:%s=%s is not a positive integer", key,
                     v);
        return 0;
    }
    return x;
}

/* The Open_vSwitch row's slow-path knobs, as Open vSwitch names them:
 * other_config:max-idle (ms), other_config:flow-limit, and the hold of
 * other_config:flow-restore-wait. */
static void
br_configure_slow_path(struct br *br, const struct ovsdb_idl_row *ovs)
{
    if (!br->ofproto) {
        return;
    }
    ofproto_set_max_idle(br->ofproto, other_config_ll(ovs, "max-idle"));
    ofproto_set_flow_limit(br->ofproto, other_config_ll(ovs, "flow-limit"));
    ofproto_hold_revalidation(br->ofproto, flow_restore_wait);
}

/* Writes Controller.is_connected, role and status.  The status map's
 * seconds change every second: they are written with the periodic
 * statistics or when something else in the row changes, not on every
 * pass. */
static void
write_controllers(struct ovsdb_idl_txn *txn, const struct br *br,
                  const struct ovsdb_idl_row *row, bool with_stats)
{
    const struct ovsdb_datum *ctls =
        ovsdb_idl_row_get(row, "controller", NULL);

    for (unsigned int i = 0; ctls && i < ctls->n; i++) {
        const struct ovsdb_idl_row *c =
            ovsdb_idl_get_row(idl, "Controller", &ctls->keys[i].uuid);
        struct connmgr_status st;
        struct ovsdb_datum d = {0, NULL, NULL};
        const char *cur_state;
        char num[32];

        if (!c || !br->ofproto
            || !connmgr_get_status(ofproto_connmgr(br->ofproto),
                                   get_str(c, "target"), &st)) {
            continue;
        }
        d.keys = xzalloc(sizeof *d.keys);
        d.keys[0].boolean = st.is_connected;
        d.n = 1;
        update(txn, c, "is_connected", &d);

        d = (struct ovsdb_datum){0, NULL, NULL};
        datum_add_str(&d, st.role, NULL);
        update(txn, c, "role", &d);

        cur_state = smap_get(c, "status", "state");
        if (!with_stats && cur_state && !strcmp(cur_state, st.state)) {
            continue;
        }
        d = (struct ovsdb_datum){0, NULL, NULL};
        datum_add_str(&d, "state", st.state);
        if (st.sec_since_connect >= 0) {
            snprintf(num, sizeof num, "%lld", st.sec_since_connect);
            datum_add_str(&d, "sec_since_connect", num);
        }
        if (st.sec_since_disconnect >= 0) {
            snprintf(num, sizeof num, "%lld", st.sec_since_disconnect);
            datum_add_str(&d, "sec_since_disconnect", num);
        }
        if (st.last_error) {
            datum_add_str(&d, "last_error", st.last_error);
        }
        update(txn, c, "status", &d);
    }
}

/* ---- Write-back. */

static void
write_iface(struct ovsdb_idl_txn *txn, const struct br *br,
            const struct want *w, bool with_stats)
{
    const struct iface *iface = w->iface;
    struct ovsdb_datum d = {0, NULL, NULL};
    bool ok = iface->port_no != DPIF_PORT_NONE;
    bool kernel = strcmp(iface->type, "dummy") != 0 && !iface->is_tnl;

    datum_add_int(&d, ok ? iface_ofport(iface)
                      : iface->vanished
                          ? port_no_to_ofport(iface->last_port_no)
                          : -1);
    update(txn, w->row, "ofport", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (iface->error) {
        datum_add_str(&d, iface->error, NULL);
    }
    update(txn, w->row, "error", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok && iface->has_mac) {
        const uint8_t *mac = iface->mac;
        char s[18];

        snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
                 mac[2], mac[3], mac[4], mac[5]);
        datum_add_str(&d, s, NULL);
    }
    update(txn, w->row, "mac_in_use", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok && iface->has_ifindex) {
        datum_add_int(&d, iface->cur_ifindex);
    }
    update(txn, w->row, "ifindex", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok && iface->has_mtu) {
        datum_add_int(&d, iface->mtu);
    } else if (ok && iface->is_tnl && iface->has_egress
               && iface->egress_mtu > tnl_overhead(&iface->tnl_cfg)) {
        /* What fits inside the encapsulation on the underlay. */
        datum_add_int(&d, iface->egress_mtu - tnl_overhead(&iface->tnl_cfg));
    }
    update(txn, w->row, "mtu", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok) {
        datum_add_str(&d, "up", NULL); /* The datapath brings ports up. */
    } else if (iface->vanished) {
        datum_add_str(&d, "down", NULL);
    }
    update(txn, w->row, "admin_state", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok) {
        char num[16];

        snprintf(num, sizeof num, "%" PRIu32, iface->port_no);
        datum_add_str(&d, "datapath", dpif_full_name(br->dpif));
        datum_add_str(&d, "datapath_port", num);
        if (iface->is_tnl && iface->has_egress) {
            datum_add_str(&d, "tunnel_egress_iface", iface->egress);
            datum_add_str(&d, "tunnel_egress_iface_carrier",
                          iface->egress_carrier ? "up" : "down");
        }
    }
    update(txn, w->row, "status", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (ok) {
        if (!kernel) {
            datum_add_str(&d, "up", NULL);
        } else if (iface->has_carrier) {
            datum_add_str(&d, iface->carrier ? "up" : "down", NULL);
        }
    } else if (iface->vanished) {
        datum_add_str(&d, "down", NULL);
    }
    update(txn, w->row, "link_state", &d);

    if (with_stats) {
        struct dpif_port_stats st;

        d = (struct ovsdb_datum){0, NULL, NULL};
        if (ok && !dpif_port_get_stats(br->dpif, iface->port_no, &st)) {
            datum_add_counter(&d, "rx_packets", st.rx_packets);
            datum_add_counter(&d, "rx_bytes", st.rx_bytes);
            datum_add_counter(&d, "rx_dropped", st.rx_dropped);
            datum_add_counter(&d, "rx_errors", st.rx_errors);
            datum_add_counter(&d, "tx_packets", st.tx_packets);
            datum_add_counter(&d, "tx_bytes", st.tx_bytes);
            datum_add_counter(&d, "tx_dropped", st.tx_dropped);
            datum_add_counter(&d, "tx_errors", st.tx_errors);
        }
        update(txn, w->row, "statistics", &d);
    }
}

/* A stable datapath_id: other_config:datapath-id if valid, else derived
 * from the bridge's name (a locally administered MAC in the low 48
 * bits). */
static char *
datapath_id(const struct ovsdb_idl_row *row, const char *name)
{
    const char *cfg = smap_get(row, "other_config", "datapath-id");
    uint64_t h;

    if (cfg && strlen(cfg) == 16
        && strspn(cfg, "0123456789abcdefABCDEF") == 16) {
        return xstrdup(cfg);
    }
    h = hash_string(name, 0x76737764);
    h = (h & 0xfeffffffffffULL) | 0x020000000000ULL;
    return xasprintf("%016" PRIx64, h);
}

static void
write_bridge(struct ovsdb_idl_txn *txn, const struct br *br,
             const struct ovsdb_idl_row *row)
{
    struct ovsdb_datum d = {0, NULL, NULL};
    char *dpid = datapath_id(row, br->name);

    datum_add_str(&d, dpid, NULL);
    update(txn, row, "datapath_id", &d);
    free(dpid);

    d = (struct ovsdb_datum){0, NULL, NULL};
    if (br->dp_type) {
        datum_add_str(&d, "datapath_type", br->dp_type);
    }
    if (br->dpif) {
        datum_add_str(&d, "datapath", dpif_full_name(br->dpif));
    }
    if (br->dp_note) {
        datum_add_str(&d, "datapath_note", br->dp_note);
    }
    if (br->dpif && br->features.probed) {
        struct ds s = DS_EMPTY_INITIALIZER;

        datum_add_str(&d, "datapath_module", br->features.module);
        dp_features_format(&br->features, false, &s);
        datum_add_str(&d, "datapath_features", ds_cstr(&s));
        ds_clear(&s);
        dp_features_format(&br->features, true, &s);
        if (s.length) {
            datum_add_str(&d, "datapath_missing", ds_cstr(&s));
        }
        ds_destroy(&s);
    }
    if (br->error) {
        datum_add_str(&d, "error", br->error);
    }
    update(txn, row, "status", &d);
}

/* Datapath.capabilities and datapath_version of the row that
 * Open_vSwitch.datapaths names for each type, from the probe of a bridge
 * of that type (keys as Open vSwitch writes them; a type without a
 * bridge is left alone). */
static void
write_datapaths(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *ovs)
{
    const struct ovsdb_datum *dps = ovsdb_idl_row_get(ovs, "datapaths", NULL);

    for (unsigned int i = 0; dps && i < dps->n; i++) {
        const struct ovsdb_idl_row *row =
            ovsdb_idl_get_row(idl, "Datapath", &dps->values[i].uuid);
        const struct dp_features *f = NULL;
        struct ovsdb_datum d = {0, NULL, NULL};

        for (size_t j = 0; j < n_bridges && !f; j++) {
            const struct br *br = bridges[j];

            if (br->dpif && br->dp_type
                && !strcmp(br->dp_type, dps->keys[i].string)) {
                f = &br->features;
            }
        }
        if (!row || !f) {
            continue;
        }
        datum_add_str(&d, "masked_set_action",
                      f->set_masked_eth && f->set_masked_ipv4
                              && f->set_masked_l4
                          ? "true"
                          : "false");
        datum_add_str(&d, "recirc", f->recirc ? "true" : "false");
        datum_add_str(&d, "trunc", f->trunc ? "true" : "false");
        datum_add_str(&d, "clone", f->clone ? "true" : "false");
        datum_add_str(&d, "ufid", "true");
        datum_add_str(&d, "max_vlan_headers", f->push_vlan ? "2" : "0");
        update(txn, row, "capabilities", &d);
        d = (struct ovsdb_datum){0, NULL, NULL};
        /* The module's name (and version), or what ovs-vswitchd says of
         * its userspace datapath. */
        datum_add_str(&d, f->probed ? f->module : "<built-in>", NULL);
        update(txn, row, "datapath_version", &d);
    }
}

static void
write_ovs(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *ovs)
{
    static const char *const iface_types[] = {"dummy", "internal", "system",
                                              "tap", "vxlan"};
    const char *const *types = dpif_types();
    struct ovsdb_datum d = {0, NULL, NULL};

    for (size_t i = 0; types[i]; i++) {
        datum_add_str(&d, types[i], NULL);
    }
    update(txn, ovs, "datapath_types", &d);

    d = (struct ovsdb_datum){0, NULL, NULL};
    for (size_t i = 0; i < ARRAY_SIZE(iface_types); i++) {
        if (netdev_type_is_known(iface_types[i])
            || tnl_type_is_tunnel(iface_types[i])) {
            datum_add_str(&d, iface_types[i], NULL);
        }
    }
    update(txn, ovs, "iface_types", &d);
    write_datapaths(txn, ovs);
}

/* ---- A pass. */

/* Reconfigures from the replica and writes the results.  Returns false
 * if the transaction must be retried. */
static bool
reconfigure(bool with_stats)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl, "Open_vSwitch");
    const struct ovsdb_datum *brs;
    const struct ovsdb_idl_row **rows = NULL;
    struct want **wants = NULL;
    size_t *n_wants = NULL, n_rows = 0;
    struct ovsdb_idl_txn *txn;
    enum ovsdb_idl_txn_status status;
    int64_t next_cfg;
    bool ok = true;

    if (!ovs) {
        return true;
    }
    {
        const char *nh = smap_get(ovs, "other_config", "n-handler-threads");
        long v = nh ? strtol(nh, NULL, 10) : 0;

        n_handler_threads = v > 0 && v <= 64 ? (size_t) v : 0;
    }
    {
        const char *frw = smap_get(ovs, "other_config", "flow-restore-wait");
        bool wait = frw && !strcmp(frw, "true");

        if (wait != flow_restore_wait) {
            VLOG_INFO("flow-restore-wait %s", wait
                                                  ? "on: megaflows held, "
                                                    "controllers not connected"
                                                  : "off");
            flow_restore_wait = wait;
        }
    }
    for (size_t i = 0; i < n_bridges; i++) {
        bridges[i]->seen = false;
    }
    brs = ovsdb_idl_row_get(ovs, "bridges", NULL);
    for (unsigned int i = 0; brs && i < brs->n; i++) {
        const struct ovsdb_idl_row *row =
            ovsdb_idl_get_row(idl, "Bridge", &brs->keys[i].uuid);
        const char *name = row ? get_str(row, "name") : "";
        struct br *br;

        if (!*name) {
            continue;
        }
        br = br_find(name);
        if (br && br->seen) {
            VLOG_WARN("bridge %s appears twice; ignoring the second", name);
            continue;
        }
        if (!br) {
            br = xzalloc(sizeof *br);
            br->name = xstrdup(name);
            bridges = xrealloc(bridges, (n_bridges + 1) * sizeof *bridges);
            bridges[n_bridges++] = br;
            VLOG_INFO("adding bridge %s", name);
        }
        br->seen = true;
        rows = xrealloc(rows, (n_rows + 1) * sizeof *rows);
        rows[n_rows++] = row;
    }
    for (size_t i = 0; i < n_bridges;) {
        if (!bridges[i]->seen) {
            VLOG_INFO("deleting bridge %s", bridges[i]->name);
            br_destroy(bridges[i], false);
            bridges[i] = bridges[--n_bridges];
        } else {
            i++;
        }
    }

    wants = xcalloc(n_rows ? n_rows : 1, sizeof *wants);
    n_wants = xcalloc(n_rows ? n_rows : 1, sizeof *n_wants);
    for (size_t i = 0; i < n_rows; i++) {
        struct br *br = br_find(get_str(rows[i], "name"));

        br_configure_dp(br, rows[i]);
        wants[i] = collect_wants(rows[i], &n_wants[i]);
        br_remove_stale(br, wants[i], n_wants[i]);
    }
    for (size_t i = 0; i < n_rows; i++) {
        br_add_ports(br_find(get_str(rows[i], "name")), wants[i], n_wants[i],
                     with_stats || devices_changed);
    }
    for (size_t i = 0; i < n_rows; i++) {
        struct br *br = br_find(get_str(rows[i], "name"));

        br_configure_ofproto(br, rows[i], wants[i], n_wants[i]);
        br_configure_slow_path(br, ovs);
    }

    txn = ovsdb_idl_txn_create(idl);
    ovsdb_idl_txn_add_comment(txn, "vswitchd: reconfigure");
    write_ovs(txn, ovs);
    for (size_t i = 0; i < n_rows; i++) {
        struct br *br = br_find(get_str(rows[i], "name"));

        write_bridge(txn, br, rows[i]);
        write_controllers(txn, br, rows[i], with_stats);
        for (size_t j = 0; j < n_wants[i]; j++) {
            write_iface(txn, br, &wants[i][j], with_stats);
        }
    }
    next_cfg = get_int(ovs, "next_cfg", 0);
    if (get_int(ovs, "cur_cfg", 0) != next_cfg) {
        struct ovsdb_datum d = {0, NULL, NULL};

        datum_add_int(&d, next_cfg);
        update(txn, ovs, "cur_cfg", &d);
    }
    status = ovsdb_idl_txn_is_empty(txn)
                 ? OVSDB_IDL_TXN_UNCHANGED
                 : ovsdb_idl_txn_commit_block(txn, 10000);
    switch (status) {
    case OVSDB_IDL_TXN_SUCCESS:
        VLOG_DBG("configuration %" PRId64 " applied", next_cfg);
        break;
    case OVSDB_IDL_TXN_UNCHANGED:
        break;
    case OVSDB_IDL_TXN_TRY_AGAIN:
    case OVSDB_IDL_TXN_UNCOMMITTED:
        ok = false;
        break;
    case OVSDB_IDL_TXN_NOT_LOCKED:
    case OVSDB_IDL_TXN_ERROR:
    default:
        VLOG_WARN("database transaction failed (%s): %s",
                  ovsdb_idl_txn_status_to_string(status),
                  ovsdb_idl_txn_get_error(txn) ? ovsdb_idl_txn_get_error(txn)
                                               : "");
        ok = false;
        break;
    }
    ovsdb_idl_txn_destroy(txn);

    for (size_t i = 0; i < n_rows; i++) {
        free(wants[i]);
    }
    free(wants);
    free(n_wants);
    free(rows);
    return ok;
}

/* ---- Notifications. */

/* Whether 'name' is a device of ours: a bridge's or an interface's. */
static bool
is_our_device(const char *name)
{
    for (size_t i = 0; i < n_bridges; i++) {
        if (!strcmp(bridges[i]->name, name)) {
            return true;
        }
        for (size_t j = 0; j < bridges[i]->n_ifaces; j++) {
            if (!strcmp(bridges[i]->ifaces[j]->name, name)) {
                return true;
            }
        }
    }
    return false;
}

static void
notified(const struct dpnl_port_event *ev, void *aux)
{
    (void) aux;
    if (!ev->name || is_our_device(ev->name)) {
        VLOG_DBG("notification: %s %s", ev->name ? ev->name : "?",
                 ev->kind == DPNL_EV_LINK_NEW    ? "changed"
                 : ev->kind == DPNL_EV_LINK_DEL  ? "deleted"
                 : ev->kind == DPNL_EV_VPORT_DEL ? "left its datapath"
                                                 : "joined or changed a "
                                                   "datapath");
        devices_changed = true;
        need_pass = true;
    }
}

static void
notifier_readable(int fd, uint32_t events, void *aux)
{
    (void) fd;
    (void) events;
    (void) aux;
    if (port_notifier_run(notifier, notified, NULL)) {
        /* Some were lost: check everything. */
        devices_changed = true;
        need_pass = true;
    }
    if (port_notifier_vport_fd(notifier) < 0 && notifier_vport) {
        evloop_del_fd(notifier_vport);
        notifier_vport = NULL;
    }
}

/* Subscribes to ovs_vport notifications once a module is loaded. */
static void
notifier_try_vport(void)
{
    if (notifier && !notifier_vport && main_loop
        && (port_notifier_vport_fd(notifier) >= 0
            || port_notifier_try_vport(notifier))) {
        notifier_vport =
            evloop_add_fd(main_loop, port_notifier_vport_fd(notifier), EPOLLIN,
                          notifier_readable, NULL);
    }
}

static void
notifier_init(void)
{
    notifier = port_notifier_create();
    if (!notifier) {
        VLOG_WARN("no rtnetlink notifications (%s): devices are checked "
                  "every %d s",
                  vs_strerror(errno), STATS_INTERVAL_MS / 1000);
        return;
    }
    if (main_loop) {
        notifier_route =
            evloop_add_fd(main_loop, port_notifier_route_fd(notifier), EPOLLIN,
                          notifier_readable, NULL);
    }
    notifier_try_vport();
}

static void
notifier_exit(void)
{
    evloop_del_fd(notifier_route);
    evloop_del_fd(notifier_vport);
    notifier_route = notifier_vport = NULL;
    port_notifier_destroy(notifier);
    notifier = NULL;
}

/* ---- Interface. */

void
bridge_init(const char *remote, const char *default_dp_type,
            struct evloop *loop)
{
    main_loop = loop;
    idl = ovsdb_idl_create(remote, "Open_vSwitch");
    if (!idl) {
        vs_fatal(2, "%s: not a valid database remote", remote);
    }
    default_type = xstrdup(default_dp_type ? default_dp_type : "netdev");
    ovsdb_idl_monitor(idl, "Open_vSwitch", ovs_cols);
    ovsdb_idl_monitor(idl, "Bridge", br_cols);
    ovsdb_idl_monitor(idl, "Port", port_cols);
    ovsdb_idl_monitor(idl, "Interface", if_cols);
    ovsdb_idl_monitor(idl, "Controller", ctl_cols);
    ovsdb_idl_monitor(idl, "Datapath", datapath_cols);
    next_stats = vs_time_msec() + STATS_INTERVAL_MS;
    notifier_init();
    VLOG_INFO("database %s, default datapath type %s", remote, default_type);
}

static bool
has_errors(void)
{
    for (size_t i = 0; i < n_bridges; i++) {
        if (bridges[i]->error) {
            return true;
        }
        for (size_t j = 0; j < bridges[i]->n_ifaces; j++) {
            if (bridges[i]->ifaces[j]->error) {
                return true;
            }
        }
    }
    return false;
}

void
bridge_run(void)
{
    long long now = vs_time_msec();
    bool with_stats = false;

    if (!idl) {
        return;
    }
    ovsdb_idl_run(idl);
    if (!ovsdb_idl_is_synced(idl)) {
        if (!warned_no_db && ovsdb_idl_last_error(idl)) {
            VLOG_INFO("waiting for the database: %s",
                      ovsdb_idl_last_error(idl));
            warned_no_db = true;
        }
        return;
    }
    warned_no_db = false;
    if (now >= next_stats) {
        next_stats = now + STATS_INTERVAL_MS;
        with_stats = true;
        need_pass |= has_errors(); /* Retry what failed. */
        notifier_try_vport();
        for (size_t i = 0; i < n_bridges; i++) {
            if (bridges[i]->dpif) {
                dpif_run(bridges[i]->dpif);
            }
        }
    }
    if (ovsdb_idl_get_seqno(idl) != last_seqno) {
        need_pass = true;
    }
    if (need_pass || with_stats) {
        last_seqno = ovsdb_idl_get_seqno(idl);
        need_pass = !reconfigure(with_stats);
        devices_changed = false;
        ovsdb_idl_track_clear(idl);
    }
}

int
bridge_wait(uint32_t *eventsp, long long *timeoutp)
{
    long long until_stats = next_stats - vs_time_msec();
    int fd;

    if (!idl) {
        *eventsp = 0;
        *timeoutp = -1;
        return -1;
    }
    fd = ovsdb_idl_wait_fd(idl, eventsp, timeoutp);
    if (until_stats < 0) {
        until_stats = 0;
    }
    if (need_pass) {
        until_stats = 100; /* Retry a failed transaction soon. */
    }
    if (*timeoutp < 0 || *timeoutp > until_stats) {
        *timeoutp = until_stats;
    }
    return fd;
}

unsigned int
bridge_wait_seqno(void)
{
    return idl ? ovsdb_idl_get_conn_seqno(idl) : 0;
}

void
bridge_exit(void)
{
    for (size_t i = 0; i < n_bridges; i++) {
        br_destroy(bridges[i], true);
    }
    free(bridges);
    bridges = NULL;
    n_bridges = 0;
    if (idl) {
        ovsdb_idl_destroy(idl);
        idl = NULL;
    }
    free(default_type);
    default_type = NULL;
    notifier_exit();
}
