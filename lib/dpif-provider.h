/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DPIF_PROVIDER_H
#define VSWITCH_DPIF_PROVIDER_H 1

/* dpif-provider: what a datapath type implements for the dpif front end
 * (lib/dpif.c).  Each member mirrors the dpif_*() function of the same
 * name, with the provider's own datapath object 'dp' in place of the
 * handle.  The front end owns naming, reference counting and the registry
 * of open datapaths; a provider only creates and destroys its objects. */

#include "vswitch/dpif.h"

struct dpif_class {
    const char *type; /* "netdev", "system". */

    int (*create)(const char *name, void **dpp);
    void (*destroy)(void *dp);
    int (*set_config)(void *dp, const struct dpif_config *);
    int (*get_stats)(const void *dp, struct dpif_dp_stats *);
    void (*run)(void *dp);

    int (*port_add)(void *dp, const char *devname, const char *type,
                    uint32_t *port_nop);
    int (*port_del)(void *dp, uint32_t port_no);
    /* 'devname' or, if NULL, 'port_no'. */
    int (*port_query)(const void *dp, const char *devname, uint32_t port_no,
                      struct dpif_port *);
    int (*port_dump)(const void *dp, struct dpif_port **, size_t *n);
    int (*port_get_stats)(const void *dp, uint32_t port_no,
                          struct dpif_port_stats *);

    int (*flow_put)(void *dp, enum dpif_put_flags, const void *key,
                    size_t key_size, const void *mask, size_t mask_size,
                    const void *actions, size_t actions_size,
                    const struct dpif_ufid *, struct dpif_flow_stats *,
                    char **errorp);
    int (*flow_del)(void *dp, const struct dpif_ufid *,
                    struct dpif_flow_stats *);
    int (*flow_get)(const void *dp, const struct dpif_ufid *,
                    struct buf *storage, struct dpif_flow *);
    int (*flow_flush)(void *dp);
    int (*flow_dump)(const void *dp, dpif_flow_dump_cb *, void *aux);

    int (*execute)(void *dp, const void *packet, size_t size, const void *key,
                   size_t key_size, const void *actions, size_t actions_size,
                   char **errorp);
    int (*recv_batch)(void *dp, struct dpif_upcall *, size_t max, size_t *n);
    int (*recv_fd)(const void *dp);
};

extern const struct dpif_class dpif_netdev_class;

#endif /* VSWITCH_DPIF_PROVIDER_H */
