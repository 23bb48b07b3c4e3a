/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DPCTL_H
#define VSWITCH_DPCTL_H 1

/*
 * dpctl: the ovs-dpctl command set over the dpif interface, as text.
 *
 * Commands (the spellings of ovs-dpctl / `ovs-appctl dpctl/...`; DP is
 * "NAME" or "TYPE@NAME" and may be left out when exactly one datapath is
 * open; FLOW is "[ufid:UUID,]KEY" in the ovs-dpctl key syntax):
 *
 *   add-dp DP [IFACE...]          del-dp DP            dump-dps
 *   add-if DP IFACE[,type=T][,port_no=N]...            del-if DP IFACE
 *   show [-s] [DP...]
 *   dump-flows [-m] [--names] [DP]
 *   add-flow [DP] FLOW ACTIONS    mod-flow [--clear] [DP] FLOW ACTIONS
 *   get-flow [DP] ufid:UUID       del-flow [DP] FLOW   del-flows [DP]
 *   set-config [DP] n-threads=N|flow-limit=N|upcall-queue=N...
 *   dummy-receive IFACE HEX       dummy-pop-sent IFACE   (dummy ports)
 *   dpif-show                     (`vswitch-appctl dpif/show`)
 *
 * --names prints port names for numbers in in_port() and output actions;
 * names are always accepted in input.
 *
 * dpctl owns the datapaths it creates (add-dp) until del-dp or
 * dpctl_destroy_all(); datapaths others own (the bridges') are made
 * reachable with dpctl_register_dp().
 *
 * Thread-safety: call from one thread (the daemon's main loop).
 */

#include <stdbool.h>

struct ds;

/* Runs dpctl command 'argv[0]' (without the "dpctl/" prefix) with its
 * arguments.  Appends the output (or, on failure, the error message) to
 * 'out'.  Returns 0 or a positive errno. */
int dpctl_run(int argc, const char *argv[], struct ds *out);

/* Runs one command like dpctl_run(), in this process, against the
 * kernel's datapaths ("system@NAME"), as ovs-dpctl does: every existing
 * kernel datapath is reachable by name, add-dp without a type creates a
 * kernel datapath, del-dp deletes any of them, and nothing else is deleted
 * when the command ends (handles are closed, datapaths stay).  For
 * vswitch-dpctl when the datapath is a kernel one or no vswitchd runs. */
int dpctl_run_direct(int argc, const char *argv[], struct ds *out);

/* Registers "dpctl/CMD" for every command, plus "dpif/show",
 * "netdev-dummy/receive" and "netdev-dummy/pop-sent", with unixctl. */
void dpctl_unixctl_register(void);

/* Calls dpif_run() on every datapath dpctl created. */
void dpctl_run_periodic(void);

/* Makes the existing datapath 'name' of 'type' (a bridge's) reachable by
 * the commands without handing it to dpctl: del-dp refuses it and
 * dpctl_destroy_all() only drops dpctl's handle. */
void dpctl_register_dp(const char *name, const char *type);
/* Forgets a datapath registered with dpctl_register_dp() (before its
 * owner deletes it). */
void dpctl_unregister_dp(const char *name);

/* Closes and deletes every datapath dpctl created. */
void dpctl_destroy_all(void);

#endif /* VSWITCH_DPCTL_H */
