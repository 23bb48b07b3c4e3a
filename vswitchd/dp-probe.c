/* SPDX-License-Identifier: Apache-2.0 */
#include "dp-probe.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(dp_probe);

/* The key of every probe: nothing sends from the local port with a
 * TEST-NET-1 source and this MAC. */
#define PROBE_KEY                                                             \
    "in_port(0),eth(src=02:76:73:70:72:62,dst=02:76:73:70:72:63),"            \
    "eth_type(0x0800),ipv4(src=192.0.2.1,dst=192.0.2.2,proto=17,tos=0,"       \
    "ttl=64,frag=no),udp(src=9,dst=9)"

struct probe {
    const char *name;    /* As dp_features_format() prints it. */
    const char *actions; /* The actions under test. */
    size_t ofs;          /* Of its bool in struct dp_features. */
};

static const struct probe probes[] = {
    {"set_masked_eth", "set(eth(src=02:76:73:70:72:64))",
     offsetof(struct dp_features, set_masked_eth)},
    /* frag=no/0: the text form of ipv4() masks the fragment bits unless
     * told otherwise, and the stock module rightly refuses a set_masked
     * that writes them (non-writable). */
    {"set_masked_ipv4", "set(ipv4(src=192.0.2.3,frag=no/0))",
     offsetof(struct dp_features, set_masked_ipv4)},
    {"set_masked_l4", "set(udp(dst=10))",
     offsetof(struct dp_features, set_masked_l4)},
    {"push_vlan", "push_vlan(vid=10,pcp=0)",
     offsetof(struct dp_features, push_vlan)},
    {"recirc", "recirc(0x7fffffff)", offsetof(struct dp_features, recirc)},
    {"trunc", "trunc(100)", offsetof(struct dp_features, trunc)},
    {"clone", "clone(drop)", offsetof(struct dp_features, clone)},
};

static bool *
feature(struct dp_features *f, const struct probe *p)
{
    return (bool *) ((char *) f + p->ofs);
}

static const bool *
feature_c(const struct dp_features *f, const struct probe *p)
{
    return (const bool *) ((const char *) f + p->ofs);
}

const char *
dp_probe_text(size_t i, const char **actions)
{
    if (i >= ARRAY_SIZE(probes)) {
        return NULL;
    }
    *actions = probes[i].actions;
    return PROBE_KEY;
}

void
dp_features_init_all(struct dp_features *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
        *feature(f, &probes[i]) = true;
    }
    snprintf(f->module, sizeof f->module, "userspace");
}

/* The datapath module, from /sys/module (both register the same netlink
 * families, so the families cannot tell them apart). */
static void
probe_module(struct dp_features *f)
{
    static const char *const mods[] = {"vswitch_dp", "openvswitch"};

    snprintf(f->module, sizeof f->module, "unknown");
    for (size_t i = 0; i < ARRAY_SIZE(mods); i++) {
        char path[128], version[32] = "";
        FILE *file;

        snprintf(path, sizeof path, "/sys/module/%s/refcnt", mods[i]);
        file = fopen(path, "r");
        if (!file) {
            continue;
        }
        fclose(file);
        snprintf(path, sizeof path, "/sys/module/%s/version", mods[i]);
        file = fopen(path, "r");
        if (file) {
            if (!fgets(version, sizeof version, file)) {
                version[0] = '\0';
            }
            version[strcspn(version, "\n")] = '\0';
            fclose(file);
        }
        snprintf(f->module, sizeof f->module, "%s%s%s", mods[i],
                 *version ? " " : "", version);
        return;
    }
}

/* Whether the datapath takes a flow with 'actions' on the probe key. */
static bool
probe1(struct dpif *dpif, const char *actions_s)
{
    struct buf key = BUF_EMPTY_INITIALIZER, actions = BUF_EMPTY_INITIALIZER;
    char *error_s = NULL;
    bool ok = false;
    int error;

    if (odp_key_parse(PROBE_KEY, &key, NULL, &error_s)
        || odp_actions_parse(actions_s, &actions, &error_s)) {
        VLOG_ERR("probe %s does not parse: %s", actions_s,
                 error_s ? error_s : "?");
        goto out;
    }
    error =
        dpif_flow_put(dpif, DPIF_FP_CREATE | DPIF_FP_PROBE, key.data, key.size,
                      NULL, 0, actions.data, actions.size, NULL, NULL, NULL);
    ok = !error || error == EEXIST;
    if (ok) {
        dpif_flow_del(dpif, key.data, key.size, NULL, NULL);
    }
    VLOG_DBG("%s: probe %s: %s", dpif_name(dpif), actions_s,
             error ? vs_strerror(error) : "ok");
out:
    free(error_s);
    buf_uninit(&key);
    buf_uninit(&actions);
    return ok;
}

int
dp_probe(struct dpif *dpif, struct dp_features *f)
{
    int n_missing = 0;

    dp_features_init_all(f);
    if (strcmp(dpif_type(dpif), "system")) {
        return 0;
    }
    f->probed = true;
    probe_module(f);
    for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
        bool ok = probe1(dpif, probes[i].actions);

        *feature(f, &probes[i]) = ok;
        n_missing += !ok;
    }
    return n_missing;
}

void
dp_features_format(const struct dp_features *f, bool missing, struct ds *s)
{
    bool first = true;

    for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
        if (*feature_c(f, &probes[i]) != missing) {
            ds_put_format(s, "%s%s", first ? "" : " ", probes[i].name);
            first = false;
        }
    }
}
