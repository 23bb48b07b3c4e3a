/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_BRIDGE_H
#define VSWITCHD_BRIDGE_H 1

/*
 * bridge: makes the running switch match the database.
 *
 * vswitchd keeps a replica (ovsdb-idl) of the Open_vSwitch, Bridge, Port,
 * Interface and Controller tables.  Whenever the replica changes, every
 * Bridge gets a datapath of its datapath_type (named like the bridge), and
 * every Interface of its Ports becomes a datapath port; ports that left
 * the database leave the datapath.  Results go back to the database in
 * one transaction together with cur_cfg = next_cfg, which is what
 * `vswitch-ctl`/`ovs-vsctl` wait for.  Port statistics are written every
 * few seconds, and interfaces that failed are retried then.
 *
 * Thread-safety: none; call from the daemon's main thread.
 */

#include <stdbool.h>
#include <stdint.h>

struct evloop;

/* 'remote': the database ("unix:PATH").  'default_dp_type': datapath type
 * for bridges whose datapath_type is empty ("netdev", or "auto": the kernel
 * datapath if this build has it, else netdev, said in the log and in
 * Bridge.status).  'loop' runs the bridges' OpenFlow switches. */
void bridge_init(const char *remote, const char *default_dp_type,
                 struct evloop *loop);
/* Processes database changes and periodic work. */
void bridge_run(void);
/* The fd to watch (-1 if none) with '*eventsp', and the longest wait in
 * ms before the next bridge_run() in '*timeoutp'. */
int bridge_wait(uint32_t *eventsp, long long *timeoutp);
/* Changes whenever bridge_wait()'s fd may have been replaced. */
unsigned int bridge_wait_seqno(void);
/* Removes every datapath port and datapath the bridge layer created. */
void bridge_exit(void);

#endif /* VSWITCHD_BRIDGE_H */
