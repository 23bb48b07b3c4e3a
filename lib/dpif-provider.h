/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DPIF_PROVIDER_H
#define VSWITCH_DPIF_PROVIDER_H 1

/* dpif-provider: what a datapath type implements for the dpif front end
 * (lib/dpif.c).  Each member mirrors the dpif_*() function of the same
 * name, with the provider's own datapath object 'dp' in place of the
 * handle.  The front end owns naming, reference counting and the registry
 * of open datapaths; a provider only creates and destroys its objects.
 *
 * A provider whose datapaths outlive the process (the kernel's) sets
 * 'open', 'close' and 'enumerate': the front end then asks it for names
 * it has not opened itself, and forgets a datapath when its last handle
 * closes without dpif_delete() (the datapath lives on outside). */

#include "vswitch/dpif.h"

struct dpif_class {
    const char *type; /* "netdev", "system". */

    /* Optional: false if the type cannot be used here now (no kernel
     * module); dpif_type_is_known() then says false. */
    bool (*available)(void);
    /* Optional: opens the existing datapath 'name' (ENODEV if absent) or,
     * with 'create', creates it if absent. */
    int (*open)(const char *name, bool create, void **dpp);
    /* Optional: drops this process's object, leaving the datapath. */
    void (*close)(void *dp);
    /* Optional: appends "TYPE@NAME\n" for every datapath that exists. */
    int (*enumerate)(struct ds *out);

    int (*create)(const char *name, void **dpp);
    void (*destroy)(void *dp);
    int (*set_config)(void *dp, const struct dpif_config *);
    int (*get_stats)(const void *dp, struct dpif_dp_stats *);
    void (*run)(void *dp);

    /* 'opts' is never NULL. */
    int (*port_add)(void *dp, const char *devname, const char *type,
                    const struct dpif_port_opts *opts, uint32_t *port_nop);
    int (*port_del)(void *dp, uint32_t port_no);
    /* 'devname' or, if NULL, 'port_no'. */
    int (*port_query)(const void *dp, const char *devname, uint32_t port_no,
                      struct dpif_port *);
    int (*port_dump)(const void *dp, struct dpif_port **, size_t *n);
    int (*port_get_stats)(const void *dp, uint32_t port_no,
                          struct dpif_port_stats *);
    /* Optional: see dpif_port_get_pid(). */
    uint32_t (*port_get_pid)(const void *dp, uint32_t port_no);

    int (*flow_put)(void *dp, enum dpif_put_flags, const void *key,
                    size_t key_size, const void *mask, size_t mask_size,
                    const void *actions, size_t actions_size,
                    const struct dpif_ufid *, struct dpif_flow_stats *,
                    char **errorp);
    /* 'key' is the caller's key when the front end derived 'ufid' from
     * it (else NULL): a provider whose flows may lack UFIDs (installed by
     * other tools) falls back to it. */
    int (*flow_del)(void *dp, const void *key, size_t key_size,
                    const struct dpif_ufid *, struct dpif_flow_stats *);
    int (*flow_get)(const void *dp, const void *key, size_t key_size,
                    const struct dpif_ufid *, struct buf *storage,
                    struct dpif_flow *);
    int (*flow_flush)(void *dp);
    /* Optional: every op, its UFID filled in (never NULL here); without
     * it, the front end calls flow_put/flow_del one by one.  'keyed[i]'
     * says whether op i's UFID was derived from its key. */
    void (*operate)(void *dp, struct dpif_op *ops, const bool *keyed,
                    size_t n_ops);
    int (*flow_dump)(const void *dp, dpif_flow_dump_cb *, void *aux);

    int (*execute)(void *dp, const void *packet, size_t size, const void *key,
                   size_t key_size, const void *actions, size_t actions_size,
                   char **errorp);
    /* Optional (without it, every handler id shares one queue):
     * 'n_handlers' readers, ids 0 to n_handlers - 1, from now on; see
     * dpif_handlers_set(). */
    int (*handlers_set)(void *dp, size_t n_handlers);
    int (*recv_batch)(void *dp, uint32_t handler_id, struct dpif_upcall *,
                      size_t max, size_t *n);
    int (*recv_fd)(const void *dp, uint32_t handler_id);
};

extern const struct dpif_class dpif_netdev_class;
extern const struct dpif_class dpif_netlink_class;

#endif /* VSWITCH_DPIF_PROVIDER_H */
