/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_ODP_PRIVATE_H
#define VSWITCH_ODP_PRIVATE_H 1

/* Internals shared by odp-key.c, odp-action.c and odp-text.c. */

#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdarg.h>
#include "vswitch/flow.h"

struct buf;
struct flow_tnl;

/* Largest key attribute type handled, plus one. */
#define ODP_KEY_TB_SIZE (OVS_KEY_ATTR_RECIRC_ID + 1)

/* A scratch netlink message for building attribute lists with libmnl. */
struct odp_nlb {
    char space[8192] __attribute__((aligned(8))); /* Message bytes. */
    struct nlmsghdr *nlh;                         /* Header in 'space'. */
    bool overflow;                                /* Ran out of room. */
};

void odp_nlb_init(struct odp_nlb *);
void odp_nlb_put(struct odp_nlb *, uint16_t type, size_t len,
                 const void *data);
struct nlattr *odp_nlb_nest_start(struct odp_nlb *, uint16_t type);
void odp_nlb_nest_end(struct odp_nlb *, struct nlattr *);
/* Appends the attributes built so far to 'out'. */
void odp_nlb_to_buf(const struct odp_nlb *, struct buf *out);

int odp_key_attr_len(unsigned int type);
const char *odp_key_attr_name(unsigned int type);
int odp_key_split(const void *data, size_t size, const struct nlattr **tb,
                  const char *what, char **errorp);
void odp_tunnel_to_nlb(struct odp_nlb *, const struct flow_tnl *tnl,
                       const struct flow_tnl *key_tnl, bool is_mask);
/* A private, aligned copy of 'size' bytes at 'p' (which may be NULL if
 * 'size' is 0).  Free with free(). */
void *odp_copy(const void *p, size_t size);
/* Sets '*errorp' (if nonnull and unset) and returns EINVAL. */
int odp_error(char **errorp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* VSWITCH_ODP_PRIVATE_H */
