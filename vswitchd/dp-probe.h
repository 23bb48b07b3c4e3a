/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_DP_PROBE_H
#define VSWITCHD_DP_PROBE_H 1

/*
 * dp-probe: what the datapath under a bridge can do, found out when the
 * bridge opens it.
 *
 * A kernel datapath is our vswitch_dp.ko or the stock openvswitch.ko, of
 * some version; both speak the same netlink families, so the module is
 * named from /sys/module, and each capability translation may rely on is
 * tried with a probe flow: a megaflow put with DPIF_FP_PROBE (failures
 * not logged) whose key no real traffic has (in_port 0, TEST-NET
 * addresses, a locally administered source MAC), deleted again at once.
 * A refused put means the module lacks the action; any other answer
 * (including EEXIST, a probe a crashed run left) means it has it.
 *
 * The userspace datapath has everything: dp_probe() of a "netdev"
 * datapath sets every feature without a probe.
 *
 * Translation reads the result through xbridge.features and avoids what
 * is missing (see xlate-rewrite.c).
 *
 * Thread-safety: dp_probe() on the thread that owns the bridge; the
 * struct is plain data, copied into each xbridge.
 */

#include <stdbool.h>
#include <stddef.h>

struct dpif;
struct ds;

struct dp_features {
    bool probed;          /* False: never probed (all assumed present). */
    bool set_masked_eth;  /* set_masked(eth(...)). */
    bool set_masked_ipv4; /* set_masked(ipv4(...)). */
    bool set_masked_l4;   /* set_masked(udp(...)) (tcp alike). */
    bool push_vlan;       /* push_vlan (pop_vlan came with it). */
    bool recirc;          /* recirc(ID). */
    bool trunc;           /* trunc(LEN). */
    bool clone;           /* clone(ACTIONS). */
    char module[64];      /* "vswitch_dp", "openvswitch", "userspace" or
                           * "unknown", with " VERSION" if the module has
                           * one. */
};

/* Every feature present, module "userspace" (what translation assumes
 * when a bridge has not been probed). */
void dp_features_init_all(struct dp_features *);

/* Probes 'dpif' (see above) into 'f'.  Returns the number of probes that
 * were refused. */
int dp_probe(struct dpif *dpif, struct dp_features *f);

/* Appends the present features, space-separated ("set_masked_eth ...");
 * with 'missing', the absent ones instead ("" if none). */
void dp_features_format(const struct dp_features *, bool missing, struct ds *);

/* The probe flows as text, for tests: 'i' from 0 until NULL is returned;
 * '*actions' gets the actions. */
const char *dp_probe_text(size_t i, const char **actions);

#endif /* VSWITCHD_DP_PROBE_H */
