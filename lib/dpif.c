/* SPDX-License-Identifier: Apache-2.0 */
/* dpif: the datapath interface front end: the registry of open datapaths
 * by name, reference counting, dispatch to the type's provider, UFIDs. */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/hash.h"
#include "vswitch/list.h"
#include "vswitch/odp.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "dpif-provider.h"

static const struct dpif_class *const classes[] = {
    &dpif_netdev_class,
    &dpif_netlink_class,
};

/* One datapath, shared by its handles. */
struct dp_entry {
    struct vs_list node;            /* In 'entries' unless deleted. */
    char *name;                     /* Its name. */
    char *full_name;                /* "type@name". */
    const struct dpif_class *class; /* Its provider. */
    void *dp;                       /* The provider's object. */
    int refcnt;                     /* Open handles. */
    bool deleted;                   /* dpif_delete() was called. */
};

struct dpif {
    struct dp_entry *e; /* The datapath. */
};

static struct vs_mutex registry_mutex = VS_MUTEX_INITIALIZER;
static struct vs_list
    entries VS_GUARDED_BY(registry_mutex) = VS_LIST_INITIALIZER(&entries);

const char *const *
dpif_types(void)
{
    static const char *const all[] = {"netdev", "system", NULL};
    static const char *const netdev_only[] = {"netdev", NULL};

    return dpif_type_is_known("system") ? all : netdev_only;
}

static const struct dpif_class *
class_lookup(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
        if (!strcmp(classes[i]->type, type)) {
            return classes[i];
        }
    }
    return NULL;
}

bool
dpif_type_is_known(const char *type)
{
    const struct dpif_class *class = class_lookup(type);

    return class && (!class->available || class->available());
}

static struct dp_entry *
entry_lookup(const char *name) VS_REQUIRES(registry_mutex)
{
    struct dp_entry *e;

    LIST_FOR_EACH (e, node, &entries) {
        if (!strcmp(e->name, name)) {
            return e;
        }
    }
    return NULL;
}

int
dpif_open(const char *name, const char *type, bool create, struct dpif **dpifp)
{
    const struct dpif_class *class = class_lookup(type ? type : "netdev");
    struct dp_entry *e;
    int error = 0;

    *dpifp = NULL;
    if (!class) {
        return EAFNOSUPPORT;
    }
    vs_mutex_lock(&registry_mutex);
    e = entry_lookup(name);
    if (e) {
        if (e->class != class) {
            error = EEXIST;
            goto out;
        }
    } else if (!create && !class->open) {
        error = ENODEV;
        goto out;
    } else {
        void *dp;

        error = class->open ? class->open(name, create, &dp)
                            : class->create(name, &dp);
        if (error) {
            goto out;
        }
        e = xzalloc(sizeof *e);
        e->name = xstrdup(name);
        e->full_name = xasprintf("%s@%s", class->type, name);
        e->class = class;
        e->dp = dp;
        vs_list_push_back(&entries, &e->node);
    }
    e->refcnt++;
    *dpifp = xmalloc(sizeof **dpifp);
    (*dpifp)->e = e;
out:
    vs_mutex_unlock(&registry_mutex);
    return error;
}

static void
entry_unref(struct dp_entry *e) VS_REQUIRES(registry_mutex)
{
    if (--e->refcnt == 0) {
        if (!e->deleted && e->class->close) {
            /* The datapath lives on outside this process. */
            vs_list_remove(&e->node);
            e->class->close(e->dp);
            free(e->name);
            free(e->full_name);
            free(e);
            return;
        }
        if (!e->deleted) {
            /* Last handle closed without delete: the datapath lives on in
             * the registry until deleted, like a kernel datapath. */
            e->refcnt = 0;
            return;
        }
        e->class->destroy(e->dp);
        free(e->name);
        free(e->full_name);
        free(e);
    }
}

void
dpif_close(struct dpif *dpif)
{
    if (dpif) {
        vs_mutex_lock(&registry_mutex);
        entry_unref(dpif->e);
        vs_mutex_unlock(&registry_mutex);
        free(dpif);
    }
}

void
dpif_delete(struct dpif *dpif)
{
    struct dp_entry *e = dpif->e;

    vs_mutex_lock(&registry_mutex);
    if (!e->deleted) {
        e->deleted = true;
        vs_list_remove(&e->node);
    }
    vs_mutex_unlock(&registry_mutex);
}

const char *
dpif_name(const struct dpif *dpif)
{
    return dpif->e->name;
}

const char *
dpif_type(const struct dpif *dpif)
{
    return dpif->e->class->type;
}

const char *
dpif_full_name(const struct dpif *dpif)
{
    return dpif->e->full_name;
}

void
dpif_enumerate(struct ds *out)
{
    struct dp_entry *e;

    vs_mutex_lock(&registry_mutex);
    LIST_FOR_EACH (e, node, &entries) {
        if (!e->class->enumerate) {
            ds_put_format(out, "%s\n", e->full_name);
        }
    }
    vs_mutex_unlock(&registry_mutex);
    for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
        if (classes[i]->enumerate
            && (!classes[i]->available || classes[i]->available())) {
            classes[i]->enumerate(out);
        }
    }
}

int
dpif_set_config(struct dpif *dpif, const struct dpif_config *cfg)
{
    return dpif->e->class->set_config(dpif->e->dp, cfg);
}

int
dpif_get_stats(const struct dpif *dpif, struct dpif_dp_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    return dpif->e->class->get_stats(dpif->e->dp, stats);
}

void
dpif_run(struct dpif *dpif)
{
    if (dpif->e->class->run) {
        dpif->e->class->run(dpif->e->dp);
    }
}

int
dpif_port_add(struct dpif *dpif, const char *devname, const char *type,
              uint32_t *port_nop)
{
    return dpif_port_add_opts(dpif, devname, type, NULL, port_nop);
}

int
dpif_port_add_opts(struct dpif *dpif, const char *devname, const char *type,
                   const struct dpif_port_opts *opts, uint32_t *port_nop)
{
    static const struct dpif_port_opts no_opts;
    uint32_t port_no = port_nop ? *port_nop : DPIF_PORT_NONE;
    int error;

    error =
        dpif->e->class->port_add(dpif->e->dp, devname, type ? type : "system",
                                 opts ? opts : &no_opts, &port_no);
    if (port_nop) {
        *port_nop = error ? DPIF_PORT_NONE : port_no;
    }
    return error;
}

int
dpif_port_del(struct dpif *dpif, uint32_t port_no)
{
    return dpif->e->class->port_del(dpif->e->dp, port_no);
}

int
dpif_port_query_by_name(const struct dpif *dpif, const char *devname,
                        struct dpif_port *port)
{
    return dpif->e->class->port_query(dpif->e->dp, devname, 0, port);
}

int
dpif_port_query_by_number(const struct dpif *dpif, uint32_t port_no,
                          struct dpif_port *port)
{
    return dpif->e->class->port_query(dpif->e->dp, NULL, port_no, port);
}

void
dpif_port_destroy(struct dpif_port *port)
{
    if (port) {
        free(port->name);
        free(port->type);
        port->name = port->type = NULL;
    }
}

int
dpif_port_dump(const struct dpif *dpif, struct dpif_port **portsp,
               size_t *n_portsp)
{
    return dpif->e->class->port_dump(dpif->e->dp, portsp, n_portsp);
}

int
dpif_port_get_stats(const struct dpif *dpif, uint32_t port_no,
                    struct dpif_port_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    return dpif->e->class->port_get_stats(dpif->e->dp, port_no, stats);
}

uint32_t
dpif_port_get_pid(const struct dpif *dpif, uint32_t port_no)
{
    const struct dpif_class *c = dpif->e->class;

    return c->port_get_pid ? c->port_get_pid(dpif->e->dp, port_no) : 0;
}

int
dpif_flow_put(struct dpif *dpif, enum dpif_put_flags flags, const void *key,
              size_t key_size, const void *mask, size_t mask_size,
              const void *actions, size_t actions_size,
              const struct dpif_ufid *ufid, struct dpif_flow_stats *stats,
              char **errorp)
{
    struct dpif_ufid derived;

    if (errorp) {
        *errorp = NULL;
    }
    if (!ufid) {
        dpif_ufid_from_key(key, key_size, &derived);
        ufid = &derived;
    }
    return dpif->e->class->flow_put(dpif->e->dp, flags, key, key_size, mask,
                                    mask_size, actions, actions_size, ufid,
                                    stats, errorp);
}

int
dpif_flow_del(struct dpif *dpif, const void *key, size_t key_size,
              const struct dpif_ufid *ufid, struct dpif_flow_stats *stats)
{
    struct dpif_ufid derived;

    if (!ufid) {
        dpif_ufid_from_key(key, key_size, &derived);
        ufid = &derived;
    }
    return dpif->e->class->flow_del(dpif->e->dp, ufid == &derived ? key : NULL,
                                    key_size, ufid, stats);
}

int
dpif_flow_get(const struct dpif *dpif, const void *key, size_t key_size,
              const struct dpif_ufid *ufid, struct buf *storage,
              struct dpif_flow *flow)
{
    struct dpif_ufid derived;

    if (!ufid) {
        dpif_ufid_from_key(key, key_size, &derived);
        ufid = &derived;
    }
    return dpif->e->class->flow_get(dpif->e->dp, ufid == &derived ? key : NULL,
                                    key_size, ufid, storage, flow);
}

void
dpif_operate(struct dpif *dpif, struct dpif_op *ops, size_t n_ops)
{
    const struct dpif_class *class = dpif->e->class;
    struct dpif_ufid *derived = xcalloc(n_ops + 1, sizeof *derived);
    const struct dpif_ufid **given = xcalloc(n_ops + 1, sizeof *given);
    bool *keyed = xcalloc(n_ops + 1, sizeof *keyed);

    /* Every op gets a UFID; the caller's ops are restored afterwards. */
    for (size_t i = 0; i < n_ops; i++) {
        given[i] = ops[i].ufid;
        if (!ops[i].ufid) {
            dpif_ufid_from_key(ops[i].key, ops[i].key_size, &derived[i]);
            ops[i].ufid = &derived[i];
            keyed[i] = true;
        }
    }
    if (class->operate) {
        class->operate(dpif->e->dp, ops, keyed, n_ops);
    } else {
        for (size_t i = 0; i < n_ops; i++) {
            struct dpif_op *op = &ops[i];

            if (op->type == DPIF_OP_FLOW_PUT) {
                op->error = class->flow_put(
                    dpif->e->dp, op->flags, op->key, op->key_size, op->mask,
                    op->mask_size, op->actions, op->actions_size, op->ufid,
                    op->stats, NULL);
            } else {
                op->error =
                    class->flow_del(dpif->e->dp, keyed[i] ? op->key : NULL,
                                    op->key_size, op->ufid, op->stats);
            }
        }
    }
    for (size_t i = 0; i < n_ops; i++) {
        ops[i].ufid = given[i];
    }
    free(derived);
    free(given);
    free(keyed);
}

int
dpif_flow_flush(struct dpif *dpif)
{
    return dpif->e->class->flow_flush(dpif->e->dp);
}

int
dpif_flow_dump(const struct dpif *dpif, dpif_flow_dump_cb *cb, void *aux)
{
    return dpif->e->class->flow_dump(dpif->e->dp, cb, aux);
}

int
dpif_execute(struct dpif *dpif, const void *packet, size_t size,
             const void *key, size_t key_size, const void *actions,
             size_t actions_size, char **errorp)
{
    if (errorp) {
        *errorp = NULL;
    }
    return dpif->e->class->execute(dpif->e->dp, packet, size, key, key_size,
                                   actions, actions_size, errorp);
}

int
dpif_handlers_set(struct dpif *dpif, size_t n_handlers)
{
    if (!n_handlers || n_handlers > DPIF_MAX_HANDLERS) {
        return EINVAL;
    }
    return dpif->e->class->handlers_set
               ? dpif->e->class->handlers_set(dpif->e->dp, n_handlers)
               : 0;
}

int
dpif_recv_batch(struct dpif *dpif, uint32_t handler_id,
                struct dpif_upcall *upcalls, size_t max, size_t *n)
{
    *n = 0;
    return dpif->e->class->recv_batch(dpif->e->dp, handler_id, upcalls, max,
                                      n);
}

int
dpif_recv_fd(const struct dpif *dpif, uint32_t handler_id)
{
    return dpif->e->class->recv_fd(dpif->e->dp, handler_id);
}

void
dpif_upcall_uninit(struct dpif_upcall *u)
{
    if (u) {
        free(u->packet);
        free(u->key);
        free(u->userdata);
        memset(u, 0, sizeof *u);
    }
}

void
dpif_ufid_format(const struct dpif_ufid *ufid, struct ds *ds)
{
    ds_put_format(ds,
                  "ufid:%08" PRIx32 "-%04" PRIx32 "-%04" PRIx32 "-%04" PRIx32
                  "-%04" PRIx32 "%08" PRIx32,
                  ufid->u32[0], ufid->u32[1] >> 16, ufid->u32[1] & 0xffff,
                  ufid->u32[2] >> 16, ufid->u32[2] & 0xffff, ufid->u32[3]);
}

bool
dpif_ufid_parse(const char **sp, struct dpif_ufid *ufid)
{
    const char *s = *sp;
    char hex[33];
    int n = 0;

    if (!strncmp(s, "ufid:", 5)) {
        s += 5;
    }
    for (; *s && n < 32; s++) {
        if (isxdigit((unsigned char) *s)) {
            hex[n++] = *s;
        } else if (*s != '-') {
            break;
        }
    }
    if (n != 32 || isxdigit((unsigned char) *s)) {
        return false;
    }
    hex[32] = '\0';
    for (int i = 0; i < 4; i++) {
        char word[9];

        memcpy(word, hex + 8 * i, 8);
        word[8] = '\0';
        ufid->u32[i] = strtoul(word, NULL, 16);
    }
    while (*s == ',' || *s == ' ') {
        s++;
    }
    *sp = s;
    return true;
}

void
dpif_ufid_from_key(const void *key, size_t size, struct dpif_ufid *ufid)
{
    struct buf canon = BUF_EMPTY_INITIALIZER;
    const void *bytes = key;
    struct flow flow;
    uint64_t h0, h1;

    /* Hash the canonical encoding, so that two spellings of one key name
     * one flow. */
    if (!odp_key_to_flow(key, size, NULL, 0, &flow, NULL, NULL)) {
        odp_key_from_flow(&canon, &flow);
        bytes = canon.data;
        size = canon.size;
    }
    h0 = hash_bytes(bytes, size, 0x7566696430ULL);
    h1 = hash_bytes(bytes, size, 0x7566696431ULL);
    ufid->u32[0] = h0 >> 32;
    ufid->u32[1] = h0;
    ufid->u32[2] = h1 >> 32;
    ufid->u32[3] = h1;
    buf_uninit(&canon);
}

bool
dpif_ufid_equal(const struct dpif_ufid *a, const struct dpif_ufid *b)
{
    return !memcmp(a, b, sizeof *a);
}
