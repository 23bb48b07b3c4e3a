/* SPDX-License-Identifier: Apache-2.0 */
/* dpctl: ovs-dpctl's commands over the dpif interface (see dpctl.h). */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/netdev.h"
#include "vswitch/odp.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"

/* Datapaths created by add-dp (owned) and those others registered with
 * dpctl_register_dp() (not owned: dpctl holds a handle but never deletes
 * them). */
static struct dpif **dps;
static bool *dp_owned;
static size_t n_dps;
/* dpctl_run_direct() is running: the kernel's datapaths are the user's to
 * delete, and add-dp defaults to the kernel type. */
static bool direct;

static void
dps_append(struct dpif *dpif, bool owned)
{
    dps = xrealloc(dps, (n_dps + 1) * sizeof *dps);
    dp_owned = xrealloc(dp_owned, (n_dps + 1) * sizeof *dp_owned);
    dps[n_dps] = dpif;
    dp_owned[n_dps++] = owned;
}

static void
dps_remove(size_t i)
{
    n_dps--;
    dps[i] = dps[n_dps];
    dp_owned[i] = dp_owned[n_dps];
}

/* Finds the datapath 'name' ("NAME" or "TYPE@NAME"). */
static struct dpif *
find_dp(const char *name)
{
    const char *at = name ? strchr(name, '@') : NULL;

    if (!name) {
        return n_dps == 1 ? dps[0] : NULL;
    }
    for (size_t i = 0; i < n_dps; i++) {
        if (!strcmp(dpif_name(dps[i]), at ? at + 1 : name)
            && (!at || !strncmp(dpif_type(dps[i]), name, at - name))) {
            return dps[i];
        }
    }
    return NULL;
}

static bool
is_dp_name(const char *s)
{
    return find_dp(s) != NULL;
}

/* Resolves the optional DP argument: if 'argc' exceeds 'n_fixed', argv[0]
 * is the datapath.  Sets '*dpifp' or reports an error. */
static int
get_dp(int *argcp, const char ***argvp, int n_fixed, struct dpif **dpifp,
       struct ds *out)
{
    const char *name = NULL;

    if (*argcp > n_fixed) {
        name = (*argvp)[0];
        (*argcp)--;
        (*argvp)++;
    }
    *dpifp = find_dp(name);
    if (!*dpifp) {
        if (name) {
            ds_put_format(out, "%s: no such datapath", name);
        } else {
            ds_put_format(out, n_dps ? "more than one datapath: name one"
                                     : "no datapath (use add-dp)");
        }
        return ENODEV;
    }
    return 0;
}

/* Port names. */

static bool
port_name_to_number(struct dpif *dpif, const char *name, size_t len,
                    uint32_t *port_no)
{
    char *s = xstrndup(name, len);
    struct dpif_port port;
    bool ok = !dpif_port_query_by_name(dpif, s, &port);

    if (ok) {
        *port_no = port.port_no;
        dpif_port_destroy(&port);
    }
    free(s);
    return ok;
}

static bool
all_digits(const char *s, size_t len)
{
    if (!len) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return true;
}

/* Maps one port token 'v' ('len' bytes) into 'ds': a number to its name
 * ('to_names') or a name to its number; anything else is copied. */
static void
map_port(struct dpif *dpif, const char *v, size_t len, bool to_names,
         struct ds *ds)
{
    struct dpif_port port;
    uint32_t port_no;

    if (to_names && all_digits(v, len)
        && !dpif_port_query_by_number(dpif, strtoul(v, NULL, 10), &port)) {
        ds_put_cstr(ds, port.name);
        dpif_port_destroy(&port);
    } else if (!to_names && !all_digits(v, len)
               && port_name_to_number(dpif, v, len, &port_no)) {
        ds_put_format(ds, "%" PRIu32, port_no);
    } else {
        ds_put_buffer(ds, v, len);
    }
}

/* Rewrites "in_port(X)" in a key, or bare top-level tokens of an action
 * list (outputs), from numbers to names ('to_names') or back.  Returns a
 * malloc'd string. */
static char *
map_port_names(struct dpif *dpif, const char *s, bool is_actions,
               bool to_names)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (!is_actions) {
        const char *p;

        while ((p = strstr(s, "in_port("))) {
            const char *v = p + 8, *end = strchr(v, ')');

            if (!end) {
                break;
            }
            ds_put_buffer(&ds, s, v - s);
            map_port(dpif, v, end - v, to_names, &ds);
            s = end;
        }
        ds_put_cstr(&ds, s);
        return ds_steal_cstr(&ds);
    }
    while (*s) {
        int depth = 0;
        size_t len = 0;
        bool plain = true;

        while (s[len] && (depth || s[len] != ',')) {
            if (s[len] == '(') {
                depth++;
                plain = false;
            } else if (s[len] == ')') {
                depth--;
            }
            len++;
        }
        if (plain
            && (to_names
                || (strncmp(s, "drop", len) && strncmp(s, "pop_vlan", len)
                    && strncmp(s, "ct_clear", len)))) {
            map_port(dpif, s, len, to_names, &ds);
        } else {
            ds_put_buffer(&ds, s, len);
        }
        s += len;
        if (*s == ',') {
            ds_put_char(&ds, *s++);
        }
    }
    return ds_steal_cstr(&ds);
}

/* Flow text. */

struct flow_text {
    struct buf key;        /* Key attributes. */
    struct buf mask;       /* Mask attributes. */
    struct dpif_ufid ufid; /* UFID if given. */
    bool has_ufid;         /* Whether one was. */
};

static void
flow_text_uninit(struct flow_text *ft)
{
    buf_uninit(&ft->key);
    buf_uninit(&ft->mask);
}

static int
parse_flow(struct dpif *dpif, const char *text, struct flow_text *ft,
           struct ds *out)
{
    const char *s = text;
    char *mapped, *error = NULL;
    int rc;

    memset(ft, 0, sizeof *ft);
    buf_init(&ft->key, 0, 256);
    buf_init(&ft->mask, 0, 256);
    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (!strncmp(s, "ufid:", 5)) {
        if (!dpif_ufid_parse(&s, &ft->ufid)) {
            ds_put_format(out, "%s: bad ufid", text);
            return EINVAL;
        }
        ft->has_ufid = true;
    }
    if (!*s) {
        return 0;
    }
    mapped = map_port_names(dpif, s, false, false);
    rc = odp_key_parse(mapped, &ft->key, &ft->mask, &error);
    free(mapped);
    if (rc) {
        ds_put_format(out, "%s: %s", text, error ? error : "bad flow key");
        free(error);
    }
    return rc;
}

static int
parse_actions(struct dpif *dpif, const char *text, struct buf *actions,
              struct ds *out)
{
    char *mapped = map_port_names(dpif, text, true, false), *error = NULL;
    int rc;

    if (!strncmp(mapped, "actions:", 8)) {
        memmove(mapped, mapped + 8, strlen(mapped + 8) + 1);
    }
    rc = odp_actions_parse(mapped, actions, &error);
    free(mapped);
    if (rc) {
        ds_put_format(out, "%s: %s", text, error ? error : "bad actions");
        free(error);
    }
    return rc;
}

static void
format_tcp_flags(struct ds *ds, uint16_t flags)
{
    static const struct {
        uint16_t bit;
        char c;
    } names[] = {
        {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'},
        {TCP_PSH, 'P'}, {TCP_URG, 'U'}, {TCP_ACK, '.'},
        {TCP_ECE, 'E'}, {TCP_CWR, 'C'}, {TCP_NS, 'N'},
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (flags & names[i].bit) {
            ds_put_char(ds, names[i].c);
        }
    }
}

static void
format_stats(struct ds *ds, const struct dpif_flow_stats *st)
{
    ds_put_format(ds, "packets:%" PRIu64 ", bytes:%" PRIu64 ", used:",
                  st->n_packets, st->n_bytes);
    if (st->used) {
        long long age = vs_time_msec() - st->used;

        ds_put_format(ds, "%lld.%03llds", age / 1000, age % 1000);
    } else {
        ds_put_cstr(ds, "never");
    }
    if (st->tcp_flags) {
        ds_put_cstr(ds, ", flags:");
        format_tcp_flags(ds, st->tcp_flags);
    }
}

struct dump_aux {
    struct dpif *dpif; /* The datapath. */
    struct ds *out;    /* Output. */
    bool verbose;      /* -m. */
    bool names;        /* --names. */
};

static void
format_flow(const struct dump_aux *aux, const struct dpif_flow *f)
{
    struct ds key = DS_EMPTY_INITIALIZER, acts = DS_EMPTY_INITIALIZER;
    struct ds *out = aux->out;

    if (aux->verbose) {
        dpif_ufid_format(&f->ufid, out);
        ds_put_cstr(out, ", ");
    }
    odp_key_format(f->key, f->key_size, f->mask, f->mask_size, &key);
    odp_actions_format(f->actions, f->actions_size, &acts);
    if (aux->names) {
        char *k = map_port_names(aux->dpif, ds_cstr(&key), false, true);
        char *a = map_port_names(aux->dpif, ds_cstr(&acts), true, true);

        ds_put_format(out, "%s, ", k);
        format_stats(out, &f->stats);
        ds_put_format(out, ", actions:%s\n", a);
        free(k);
        free(a);
    } else {
        ds_put_format(out, "%s, ", ds_cstr(&key));
        format_stats(out, &f->stats);
        ds_put_format(out, ", actions:%s\n", ds_cstr(&acts));
    }
    ds_destroy(&key);
    ds_destroy(&acts);
}

static bool
dump_cb(const struct dpif_flow *f, void *aux_)
{
    format_flow(aux_, f);
    return true;
}

/* Commands. */

static int
add_if(struct dpif *dpif, const char *spec, struct ds *out)
{
    char *copy = xstrdup(spec), *save = NULL;
    char *name = strtok_r(copy, ",", &save), *opt;
    const char *type = "system";
    uint32_t port_no = DPIF_PORT_NONE;
    struct dpif_port_opts opts = {0};
    int error = 0;

    if (!name) {
        ds_put_format(out, "%s: missing interface name", spec);
        error = EINVAL;
        goto out;
    }
    while ((opt = strtok_r(NULL, ",", &save))) {
        long long v;

        if (!strncmp(opt, "type=", 5)) {
            type = opt + 5;
        } else if (!strncmp(opt, "port_no=", 8)
                   && vs_str_to_llong(opt + 8, 1, DPIF_MAX_PORTS - 1, &v)) {
            port_no = v;
        } else if (!strncmp(opt, "dst_port=", 9)
                   && vs_str_to_llong(opt + 9, 1, UINT16_MAX, &v)) {
            opts.dst_port = v;
        } else {
            ds_put_format(out, "%s: unknown option \"%s\"", spec, opt);
            error = EINVAL;
            goto out;
        }
    }
    if (!strcmp(type, "netdev")) {
        type = "system";
    }
    if (!netdev_type_is_known(type) && strcmp(type, "vxlan")) {
        ds_put_format(out, "%s: unknown port type \"%s\"", name, type);
        error = EINVAL;
        goto out;
    }
    error = dpif_port_add_opts(dpif, name, type, &opts, &port_no);
    if (error) {
        ds_put_format(out, "adding %s to %s failed: %s", name,
                      dpif_full_name(dpif), vs_strerror(error));
    }
out:
    free(copy);
    return error;
}

static int
cmd_add_dp(int argc, const char *argv[], struct ds *out)
{
    const char *name = argv[1], *at = strchr(name, '@');
    char *type =
        at ? xstrndup(name, at - name) : xstrdup(direct ? "system" : "netdev");
    struct dpif *dpif;
    int error;

    if (find_dp(name)) {
        ds_put_format(out, "%s: datapath exists", name);
        free(type);
        return EEXIST;
    }
    error = dpif_open(at ? at + 1 : name, type, true, &dpif);
    free(type);
    if (error) {
        ds_put_format(out, "%s: cannot create datapath: %s", name,
                      vs_strerror(error));
        return error;
    }
    dps_append(dpif, true);
    for (int i = 2; i < argc && !error; i++) {
        error = add_if(dpif, argv[i], out);
    }
    return error;
}

static int
cmd_del_dp(int argc, const char *argv[], struct ds *out)
{
    struct dpif *dpif = find_dp(argv[1]);

    if (!dpif) {
        ds_put_format(out, "%s: no such datapath", argv[1]);
        return ENODEV;
    }
    for (size_t i = 0; i < n_dps; i++) {
        if (dps[i] == dpif) {
            if (!dp_owned[i] && !direct) {
                ds_put_format(out,
                              "%s: datapath belongs to a bridge (remove the "
                              "bridge from the database instead)",
                              argv[1]);
                return EBUSY;
            }
            dps_remove(i);
            break;
        }
    }
    dpif_delete(dpif);
    dpif_close(dpif);
    return 0;
}

static int
cmd_dump_dps(int argc, const char *argv[], struct ds *out)
{
    for (size_t i = 0; i < n_dps; i++) {
        ds_put_format(out, "%s\n", dpif_full_name(dps[i]));
    }
    return 0;
}

static int
cmd_add_if(int argc, const char *argv[], struct ds *out)
{
    struct dpif *dpif = find_dp(argv[1]);
    int error = 0;

    if (!dpif) {
        ds_put_format(out, "%s: no such datapath", argv[1]);
        return ENODEV;
    }
    for (int i = 2; i < argc && !error; i++) {
        error = add_if(dpif, argv[i], out);
    }
    return error;
}

static int
cmd_del_if(int argc, const char *argv[], struct ds *out)
{
    struct dpif *dpif = find_dp(argv[1]);
    int error = 0;

    if (!dpif) {
        ds_put_format(out, "%s: no such datapath", argv[1]);
        return ENODEV;
    }
    for (int i = 2; i < argc && !error; i++) {
        struct dpif_port port;

        error = dpif_port_query_by_name(dpif, argv[i], &port);
        if (error) {
            ds_put_format(out, "%s: no port named %s", dpif_full_name(dpif),
                          argv[i]);
            return error;
        }
        error = dpif_port_del(dpif, port.port_no);
        dpif_port_destroy(&port);
    }
    return error;
}

static void
show_dp(struct dpif *dpif, bool stats, struct ds *out)
{
    struct dpif_dp_stats st;
    struct dpif_port *ports;
    size_t n_ports;

    dpif_get_stats(dpif, &st);
    ds_put_format(out, "%s:\n", dpif_full_name(dpif));
    ds_put_format(out,
                  "  lookups: hit:%" PRIu64 " missed:%" PRIu64 " lost:%" PRIu64
                  "\n",
                  st.n_hit, st.n_missed, st.n_lost);
    ds_put_format(out, "  flows: %" PRIu64 "\n", st.n_flows);
    ds_put_format(out,
                  "  masks: hit:%" PRIu64 " total:%" PRIu64 " hit/pkt:%.2f\n",
                  st.n_mask_hit, st.n_masks,
                  st.n_hit ? (double) st.n_mask_hit / st.n_hit : 0.0);
    if (!strcmp(dpif_type(dpif), "system")) {
        /* The kernel has neither an EMC nor our drop counters. */
        goto ports;
    }
    ds_put_format(out,
                  "  caches:\n    emc: hit:%" PRIu64 "\n"
                  "  drops: bad-frame:%" PRIu64 " too-big:%" PRIu64
                  " tx-failed:%" PRIu64 " recirc-loop:%" PRIu64
                  " tnl-no-md:%" PRIu64 " tnl-too-big:%" PRIu64 "\n",
                  st.n_emc_hit, st.n_bad_frame, st.n_too_big, st.n_tx_failed,
                  st.n_recirc_loop, st.n_tnl_no_md, st.n_tnl_too_big);
ports:
    dpif_port_dump(dpif, &ports, &n_ports);
    for (size_t i = 0; i < n_ports; i++) {
        ds_put_format(out, "  port %" PRIu32 ": %s", ports[i].port_no,
                      ports[i].name);
        if (strcmp(ports[i].type, "system")) {
            ds_put_format(out, " (%s)", ports[i].type);
        }
        ds_put_char(out, '\n');
        if (stats) {
            struct dpif_port_stats ps;

            if (!dpif_port_get_stats(dpif, ports[i].port_no, &ps)) {
                ds_put_format(
                    out,
                    "    RX packets:%" PRIu64 " errors:%" PRIu64
                    " dropped:%" PRIu64 "\n"
                    "    TX packets:%" PRIu64 " errors:%" PRIu64
                    " dropped:%" PRIu64 "\n"
                    "    RX bytes:%" PRIu64 "  TX bytes:%" PRIu64 "\n",
                    ps.rx_packets, ps.rx_errors, ps.rx_dropped, ps.tx_packets,
                    ps.tx_errors, ps.tx_dropped, ps.rx_bytes, ps.tx_bytes);
            }
        }
        dpif_port_destroy(&ports[i]);
    }
    free(ports);
}

static int
cmd_show(int argc, const char *argv[], struct ds *out)
{
    bool stats = false;
    int n = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "--statistics")) {
            stats = true;
        } else {
            struct dpif *dpif = find_dp(argv[i]);

            if (!dpif) {
                ds_put_format(out, "%s: no such datapath", argv[i]);
                return ENODEV;
            }
            show_dp(dpif, stats, out);
            n++;
        }
    }
    if (!n) {
        for (size_t i = 0; i < n_dps; i++) {
            show_dp(dps[i], stats, out);
        }
    }
    return 0;
}

static int
cmd_dump_flows(int argc, const char *argv[], struct ds *out)
{
    struct dump_aux aux = {.out = out};
    const char *name = NULL;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") || !strcmp(argv[i], "--more")) {
            aux.verbose = true;
        } else if (!strcmp(argv[i], "--names")) {
            aux.names = true;
        } else if (!strcmp(argv[i], "--no-names")) {
            aux.names = false;
        } else if (!strcmp(argv[i], "-s")
                   || !strcmp(argv[i], "--statistics")) {
            /* Statistics are always shown. */
        } else if (!name && is_dp_name(argv[i])) {
            name = argv[i];
        } else {
            ds_put_format(out, "%s: unknown argument or datapath", argv[i]);
            return EINVAL;
        }
    }
    aux.dpif = find_dp(name);
    if (!aux.dpif) {
        ds_put_cstr(out, n_dps ? "more than one datapath: name one"
                               : "no datapath (use add-dp)");
        return ENODEV;
    }
    return dpif_flow_dump(aux.dpif, dump_cb, &aux);
}

static int
put_flow(int argc, const char *argv[], bool modify, struct ds *out)
{
    struct buf actions = BUF_EMPTY_INITIALIZER;
    struct dpif_flow_stats stats;
    enum dpif_put_flags flags;
    struct flow_text ft;
    struct dpif *dpif;
    char *error_msg = NULL;
    bool clear = false;
    int error;

    argc--;
    argv++;
    while (argc && argv[0][0] == '-') {
        if (!strcmp(argv[0], "--clear")) {
            clear = true;
        } else if (strcmp(argv[0], "-s") && strcmp(argv[0], "--may-create")) {
            ds_put_format(out, "%s: unknown option", argv[0]);
            return EINVAL;
        }
        argc--;
        argv++;
    }
    if (argc < 2 || argc > 3) {
        ds_put_cstr(out, "usage: [DP] FLOW ACTIONS");
        return EINVAL;
    }
    error = get_dp(&argc, &argv, 2, &dpif, out);
    if (error) {
        return error;
    }
    error = parse_flow(dpif, argv[0], &ft, out);
    if (!error) {
        buf_init(&actions, 0, 256);
        error = parse_actions(dpif, argv[1], &actions, out);
    }
    if (!error) {
        flags = modify ? DPIF_FP_MODIFY : DPIF_FP_CREATE;
        if (clear) {
            flags |= DPIF_FP_ZERO_STATS;
        }
        error =
            dpif_flow_put(dpif, flags, ft.key.data, ft.key.size, ft.mask.data,
                          ft.mask.size, actions.data, actions.size,
                          ft.has_ufid ? &ft.ufid : NULL, &stats, &error_msg);
        if (error) {
            ds_put_format(out, "%s: %s%s%s", modify ? "mod-flow" : "add-flow",
                          vs_strerror(error), error_msg ? ": " : "",
                          error_msg ? error_msg : "");
            free(error_msg);
        }
    }
    flow_text_uninit(&ft);
    buf_uninit(&actions);
    return error;
}

static int
cmd_add_flow(int argc, const char *argv[], struct ds *out)
{
    return put_flow(argc, argv, false, out);
}

static int
cmd_mod_flow(int argc, const char *argv[], struct ds *out)
{
    return put_flow(argc, argv, true, out);
}

static int
cmd_get_flow(int argc, const char *argv[], struct ds *out)
{
    struct buf storage = BUF_EMPTY_INITIALIZER;
    struct dump_aux aux = {.out = out, .verbose = true};
    struct flow_text ft;
    struct dpif_flow f;
    int error;

    argc--;
    argv++;
    while (argc && argv[0][0] == '-') {
        if (!strcmp(argv[0], "--names")) {
            aux.names = true;
        }
        argc--;
        argv++;
    }
    if (argc < 1) {
        ds_put_cstr(out, "usage: [DP] ufid:UFID|FLOW");
        return EINVAL;
    }
    error = get_dp(&argc, &argv, 1, &aux.dpif, out);
    if (error) {
        return error;
    }
    error = parse_flow(aux.dpif, argv[0], &ft, out);
    if (!error) {
        error = dpif_flow_get(aux.dpif, ft.key.data, ft.key.size,
                              ft.has_ufid ? &ft.ufid : NULL, &storage, &f);
        if (error) {
            ds_put_format(out, "%s: %s", argv[0], vs_strerror(error));
        } else {
            format_flow(&aux, &f);
        }
    }
    flow_text_uninit(&ft);
    buf_uninit(&storage);
    return error;
}

static int
cmd_del_flow(int argc, const char *argv[], struct ds *out)
{
    struct dpif_flow_stats stats;
    struct flow_text ft;
    struct dpif *dpif;
    int error;

    argc--;
    argv++;
    if (argc < 1 || argc > 2) {
        ds_put_cstr(out, "usage: [DP] FLOW");
        return EINVAL;
    }
    error = get_dp(&argc, &argv, 1, &dpif, out);
    if (error) {
        return error;
    }
    error = parse_flow(dpif, argv[0], &ft, out);
    if (!error) {
        error = dpif_flow_del(dpif, ft.key.data, ft.key.size,
                              ft.has_ufid ? &ft.ufid : NULL, &stats);
        if (error) {
            ds_put_format(out, "del-flow: %s", vs_strerror(error));
        }
    }
    flow_text_uninit(&ft);
    return error;
}

static int
cmd_del_flows(int argc, const char *argv[], struct ds *out)
{
    struct dpif *dpif;
    int error;

    argc--;
    argv++;
    error = get_dp(&argc, &argv, 0, &dpif, out);
    return error ? error : dpif_flow_flush(dpif);
}

static int
cmd_set_config(int argc, const char *argv[], struct ds *out)
{
    struct dpif_config cfg = {0};
    struct dpif *dpif;
    int error;

    argc--;
    argv++;
    if (argc && !strchr(argv[0], '=')) {
        error = get_dp(&argc, &argv, argc - 1, &dpif, out);
    } else {
        error = get_dp(&argc, &argv, argc, &dpif, out);
    }
    if (error) {
        return error;
    }
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        long long v;

        if (!strncmp(argv[i], "busy-poll=", 10)) {
            if (!vs_str_to_llong(eq + 1, 0, 1, &v)) {
                ds_put_format(out, "%s: expected busy-poll=0 or 1", argv[i]);
                return EINVAL;
            }
            cfg.busy_poll = v ? 1 : 2;
            continue;
        }
        if (!eq || !vs_str_to_llong(eq + 1, 1, 1LL << 40, &v)) {
            ds_put_format(out, "%s: expected KEY=NUMBER", argv[i]);
            return EINVAL;
        }
        if (!strncmp(argv[i], "n-threads=", 10)) {
            cfg.n_threads = v;
        } else if (!strncmp(argv[i], "flow-limit=", 11)) {
            cfg.flow_limit = v;
        } else if (!strncmp(argv[i], "upcall-queue=", 13)) {
            cfg.upcall_queue = v;
        } else {
            ds_put_format(out, "%s: unknown key", argv[i]);
            return EINVAL;
        }
    }
    error = dpif_set_config(dpif, &cfg);
    if (error) {
        ds_put_format(out, "set-config: %s", vs_strerror(error));
    }
    return error;
}

static int
cmd_dummy_receive(int argc, const char *argv[], struct ds *out)
{
    const char *hex = argv[2];
    size_t len = strlen(hex), size = len / 2;
    uint8_t *frame;
    int error;

    if (len % 2 || !len) {
        ds_put_cstr(out, "frame: need an even number of hex digits");
        return EINVAL;
    }
    frame = xmalloc(size);
    for (size_t i = 0; i < size; i++) {
        char byte[3] = {hex[2 * i], hex[2 * i + 1], 0};
        char *end;

        frame[i] = strtoul(byte, &end, 16);
        if (*end) {
            free(frame);
            ds_put_cstr(out, "frame: bad hex digit");
            return EINVAL;
        }
    }
    error = netdev_dummy_receive(argv[1], frame, size);
    free(frame);
    if (error) {
        ds_put_format(out, "%s: %s", argv[1], vs_strerror(error));
    }
    return error;
}

static int
cmd_dummy_pop_sent(int argc, const char *argv[], struct ds *out)
{
    uint8_t *frame;
    size_t size;
    int error = netdev_dummy_pop_sent(argv[1], &frame, &size);

    if (error == EAGAIN) {
        return 0;
    } else if (error) {
        ds_put_format(out, "%s: %s", argv[1], vs_strerror(error));
        return error;
    }
    ds_put_hex(out, frame, size);
    ds_put_char(out, '\n');
    free(frame);
    return 0;
}

static int
cmd_dpif_show(int argc, const char *argv[], struct ds *out)
{
    for (size_t i = 0; i < n_dps; i++) {
        struct dpif_dp_stats st;
        struct dpif_port *ports;
        size_t n_ports;

        dpif_get_stats(dps[i], &st);
        ds_put_format(out, "%s: hit:%" PRIu64 " missed:%" PRIu64 "\n",
                      dpif_full_name(dps[i]), st.n_hit, st.n_missed);
        dpif_port_dump(dps[i], &ports, &n_ports);
        for (size_t j = 0; j < n_ports; j++) {
            ds_put_format(out, "    %s %" PRIu32 ": (%s)\n", ports[j].name,
                          ports[j].port_no, ports[j].type);
            dpif_port_destroy(&ports[j]);
        }
        free(ports);
    }
    return 0;
}

struct dpctl_cmd {
    const char *name;  /* Command. */
    const char *usage; /* Arguments. */
    int min_args;      /* Fewest arguments. */
    int max_args;      /* Most arguments. */
    int (*run)(int argc, const char *argv[], struct ds *out); /* Handler. */
};

static const struct dpctl_cmd cmds[] = {
    {"add-dp", "DP [IFACE...]", 1, INT32_MAX, cmd_add_dp},
    {"del-dp", "DP", 1, 1, cmd_del_dp},
    {"dump-dps", "", 0, 0, cmd_dump_dps},
    {"add-if", "DP IFACE[,type=T][,port_no=N]...", 2, INT32_MAX, cmd_add_if},
    {"del-if", "DP IFACE...", 2, INT32_MAX, cmd_del_if},
    {"show", "[-s] [DP...]", 0, INT32_MAX, cmd_show},
    {"dump-flows", "[-m] [--names] [DP]", 0, 4, cmd_dump_flows},
    {"add-flow", "[DP] FLOW ACTIONS", 2, 3, cmd_add_flow},
    {"mod-flow", "[--clear] [DP] FLOW ACTIONS", 2, 4, cmd_mod_flow},
    {"get-flow", "[DP] ufid:UFID|FLOW", 1, 3, cmd_get_flow},
    {"del-flow", "[DP] FLOW", 1, 2, cmd_del_flow},
    {"del-flows", "[DP]", 0, 1, cmd_del_flows},
    {"set-config",
     "[DP] KEY=VALUE... (n-threads, flow-limit, upcall-queue, busy-poll=0|1)",
     1, 5, cmd_set_config},
    {"dummy-receive", "IFACE HEX", 2, 2, cmd_dummy_receive},
    {"dummy-pop-sent", "IFACE", 1, 1, cmd_dummy_pop_sent},
    {"dpif-show", "", 0, 0, cmd_dpif_show},
};

static const struct dpctl_cmd *
find_cmd(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(cmds[i].name, name)) {
            return &cmds[i];
        }
    }
    return NULL;
}

int
dpctl_run(int argc, const char *argv[], struct ds *out)
{
    const struct dpctl_cmd *cmd = argc ? find_cmd(argv[0]) : NULL;

    if (!cmd) {
        ds_put_format(out, "%s: unknown command", argc ? argv[0] : "");
        return EINVAL;
    }
    if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
        ds_put_format(out, "%s: usage: %s %s", cmd->name, cmd->name,
                      cmd->usage);
        return EINVAL;
    }
    return cmd->run(argc, argv, out);
}

static void
unixctl_cb(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    const struct dpctl_cmd *cmd = aux;
    struct ds out = DS_EMPTY_INITIALIZER;
    const char **args = xmalloc((argc + 1) * sizeof *args);
    int error;

    args[0] = cmd->name;
    for (int i = 1; i < argc; i++) {
        args[i] = argv[i];
    }
    error = cmd->run(argc, args, &out);
    if (error) {
        ds_chomp(&out);
        ds_put_char(&out, '\n');
        unixctl_command_reply_error(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply(conn, ds_cstr(&out));
    }
    free(args);
    ds_destroy(&out);
}

void
dpctl_unixctl_register(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        const struct dpctl_cmd *c = &cmds[i];
        char *name;

        if (!strcmp(c->name, "dpif-show")) {
            name = xstrdup("dpif/show");
        } else if (!strncmp(c->name, "dummy-", 6)) {
            name = xasprintf("netdev-dummy/%s", c->name + 6);
        } else {
            name = xasprintf("dpctl/%s", c->name);
        }
        unixctl_command_register(name, c->usage, c->min_args, c->max_args,
                                 unixctl_cb, (void *) c);
        free(name);
    }
}

void
dpctl_run_periodic(void)
{
    for (size_t i = 0; i < n_dps; i++) {
        if (dp_owned[i]) {
            dpif_run(dps[i]);
        }
    }
}

void
dpctl_destroy_all(void)
{
    while (n_dps) {
        struct dpif *dpif = dps[--n_dps];

        if (dp_owned[n_dps]) {
            dpif_delete(dpif);
        }
        dpif_close(dpif);
    }
    free(dps);
    free(dp_owned);
    dps = NULL;
    dp_owned = NULL;
}

void
dpctl_register_dp(const char *name, const char *type)
{
    struct dpif *dpif;

    for (size_t i = 0; i < n_dps; i++) {
        if (!strcmp(dpif_name(dps[i]), name)) {
            return;
        }
    }
    if (!dpif_open(name, type, false, &dpif)) {
        dps_append(dpif, false);
    }
}

void
dpctl_unregister_dp(const char *name)
{
    for (size_t i = 0; i < n_dps; i++) {
        if (!dp_owned[i] && !strcmp(dpif_name(dps[i]), name)) {
            struct dpif *dpif = dps[i];

            dps_remove(i);
            dpif_close(dpif);
            return;
        }
    }
}

int
dpctl_run_direct(int argc, const char *argv[], struct ds *out)
{
    struct ds names = DS_EMPTY_INITIALIZER;
    const char *line;
    int error;

    /* Every kernel datapath, so that "NAME" and "system@NAME" resolve. */
    dpif_enumerate(&names);
    for (line = ds_cstr(&names); *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t) (nl - line) : strlen(line);

        if (len > 7 && !strncmp(line, "system@", 7)) {
            char *name = xstrndup(line + 7, len - 7);

            dpctl_register_dp(name, "system");
            free(name);
        }
        line += len + (nl != NULL);
    }
    ds_destroy(&names);

    direct = true;
    error = dpctl_run(argc, argv, out);
    direct = false;

    /* Close the handles; the datapaths stay in the kernel. */
    while (n_dps) {
        dpif_close(dps[--n_dps]);
    }
    free(dps);
    free(dp_owned);
    dps = NULL;
    dp_owned = NULL;
    return error;
}
