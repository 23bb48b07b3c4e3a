/* SPDX-License-Identifier: Apache-2.0 */
/* vswitch-ctl: the switch model (Open_vSwitch -> Bridge -> Port ->
 * Interface) and the commands on it. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

/* ---- The switch model: Open_vSwitch -> Bridge -> Port -> Interface ------ */

static struct wrow *
ovs_row(struct ctl_ctx *ctx, bool create)
{
    const struct ovsdb_table_schema *ts = table_of(ctx, "Open_vSwitch");
    size_t n;
    struct wrow **all = wrow_all(ctx, ts, &n);
    struct wrow *w = n ? all[0] : NULL;

    free(all);
    if (!w && create) {
        w = wrow_insert(ctx, ts, NULL);
    }
    if (!w) {
        ctl_fatal("database contains no Open_vSwitch record; run "
                  "\"init\" first");
    }
    return w;
}

/* Calls 'fn' for each uuid in column 'col' of 'w' that names a live row
 * of table 'ts'. */
static size_t
children(struct ctl_ctx *ctx, struct wrow *w, const char *col,
         const char *table, struct wrow ***out)
{
    const struct ovsdb_table_schema *ts = table_of(ctx, table);
    const struct ovsdb_datum *d = wrow_col(w, col);
    size_t n = 0;

    *out = xcalloc(d->n + 1, sizeof **out);
    for (unsigned int i = 0; i < d->n; i++) {
        struct wrow *c = wrow_get(ctx, ts, &d->keys[i].uuid);

        if (c) {
            (*out)[n++] = c;
        }
    }
    return n;
}

/* Deletes 'port' and its interfaces from the working copy, so that later
 * commands of the chain no longer find them by name (a "del-port X --
 * add-port Y X -- set Interface X ..." chain names the new row), as
 * ovs-vsctl does.  The caller removes the reference to the port. */
static void
forget_port(struct ctl_ctx *ctx, struct wrow *port)
{
    struct wrow **ifaces;
    size_t n = children(ctx, port, "interfaces", "Interface", &ifaces);

    for (size_t i = 0; i < n; i++) {
        ifaces[i]->deleted = true;
    }
    free(ifaces);
    port->deleted = true;
}

/* A fake bridge (a VLAN of a real one): a Port of the parent with
 * fake_bridge=true and tag=VLAN whose name is the fake bridge's; the
 * parent's ports with that tag belong to it. */
struct fake_br {
    struct wrow *port;   /* Its Port row. */
    struct wrow *parent; /* The real bridge. */
    int64_t vlan;        /* Its VLAN. */
};

struct model {
    struct wrow *ovs;      /* Open_vSwitch row. */
    struct wrow **br;      /* Real bridges. */
    size_t n_br;           /* Elements in 'br'. */
    struct fake_br *fakes; /* Fake bridges. */
    size_t n_fakes;        /* Elements in 'fakes'. */
};

static bool
port_is_fake(const struct wrow *port)
{
    const struct ovsdb_datum *f = wrow_col(port, "fake_bridge");
    const struct ovsdb_datum *t = wrow_col(port, "tag");

    return f->n && f->keys[0].boolean && t->n;
}

static void
model_load(struct ctl_ctx *ctx, struct model *m, bool create_ovs)
{
    memset(m, 0, sizeof *m);
    m->ovs = ovs_row(ctx, create_ovs);
    wrow_verify(m->ovs, "bridges");
    m->n_br = children(ctx, m->ovs, "bridges", "Bridge", &m->br);
    for (size_t i = 0; i < m->n_br; i++) {
        struct wrow **ports;
        size_t np = children(ctx, m->br[i], "ports", "Port", &ports);

        for (size_t k = 0; k < np; k++) {
            if (port_is_fake(ports[k])) {
                struct fake_br *f;

                m->fakes =
                    xrealloc(m->fakes, (m->n_fakes + 1) * sizeof *m->fakes);
                f = &m->fakes[m->n_fakes++];
                f->port = ports[k];
                f->parent = m->br[i];
                f->vlan = wrow_col(ports[k], "tag")->keys[0].integer;
            }
        }
        free(ports);
    }
}

static void
model_free(struct model *m)
{
    free(m->br);
    free(m->fakes);
}

static const struct fake_br *
find_fake(const struct model *m, const char *name)
{
    for (size_t i = 0; i < m->n_fakes; i++) {
        if (!strcmp(wrow_name(m->fakes[i].port), name)) {
            return &m->fakes[i];
        }
    }
    return NULL;
}

/* The real bridge named 'name', or for a fake bridge its parent (and the
 * fake bridge in '*fakep' if nonnull). */
static struct wrow *
find_bridge_ex(struct ctl_ctx *ctx, struct model *m, const char *name,
               bool must, const struct fake_br **fakep)
{
    const struct fake_br *f;

    (void) ctx;
    if (fakep) {
        *fakep = NULL;
    }
    for (size_t i = 0; i < m->n_br; i++) {
        if (!strcmp(wrow_name(m->br[i]), name)) {
            return m->br[i];
        }
    }
    f = find_fake(m, name);
    if (f) {
        if (fakep) {
            *fakep = f;
        }
        return f->parent;
    }
    if (must) {
        ctl_fatal("no bridge named %s", name);
    }
    return NULL;
}

static struct wrow *
find_bridge(struct ctl_ctx *ctx, struct model *m, const char *name, bool must)
{
    return find_bridge_ex(ctx, m, name, must, NULL);
}

/* The name of the (real or fake) bridge that port 'port' of real bridge
 * 'br' belongs to. */
static const char *
owner_name(const struct model *m, const struct wrow *br,
           const struct wrow *port)
{
    const struct ovsdb_datum *tag;

    if (port_is_fake(port)) {
        return wrow_name(port);
    }
    tag = wrow_col(port, "tag");
    for (size_t i = 0; tag->n && i < m->n_fakes; i++) {
        if (m->fakes[i].parent == br
            && m->fakes[i].vlan == tag->keys[0].integer) {
            return wrow_name(m->fakes[i].port);
        }
    }
    return wrow_name(br);
}

/* Finds port 'name' (or, with 'by_iface', the port with that interface);
 * stores its bridge. */
static struct wrow *
find_port(struct ctl_ctx *ctx, struct model *m, const char *name,
          bool by_iface, struct wrow **brp)
{
    for (size_t i = 0; i < m->n_br; i++) {
        struct wrow **ports;
        size_t np;

        wrow_verify(m->br[i], "ports");
        np = children(ctx, m->br[i], "ports", "Port", &ports);
        for (size_t k = 0; k < np; k++) {
            bool hit = !strcmp(wrow_name(ports[k]), name);

            if (!hit && by_iface) {
                struct wrow **ifs;
                size_t ni =
                    children(ctx, ports[k], "interfaces", "Interface", &ifs);

                for (size_t j = 0; j < ni && !hit; j++) {
                    hit = !strcmp(wrow_name(ifs[j]), name);
                }
                free(ifs);
            }
            if (hit) {
                struct wrow *p = ports[k];

                *brp = m->br[i];
                free(ports);
                return p;
            }
        }
        free(ports);
    }
    return NULL;
}

static struct wrow *
find_iface(struct ctl_ctx *ctx, struct model *m, const char *name,
           struct wrow **brp, struct wrow **portp)
{
    for (size_t i = 0; i < m->n_br; i++) {
        struct wrow **ports;
        size_t np = children(ctx, m->br[i], "ports", "Port", &ports);

        for (size_t k = 0; k < np; k++) {
            struct wrow **ifs;
            size_t ni =
                children(ctx, ports[k], "interfaces", "Interface", &ifs);

            for (size_t j = 0; j < ni; j++) {
                if (!strcmp(wrow_name(ifs[j]), name)) {
                    struct wrow *f = ifs[j];

                    *brp = m->br[i];
                    *portp = ports[k];
                    free(ifs);
                    free(ports);
                    return f;
                }
            }
            free(ifs);
        }
        free(ports);
    }
    return NULL;
}

void
cmd_init(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    (void) cmd;
    ovs_row(ctx, true);
}

static struct wrow *
new_iface(struct ctl_ctx *ctx, const char *name, const char *type)
{
    struct wrow *w = wrow_insert(ctx, table_of(ctx, "Interface"), NULL);

    wrow_set_string(w, "name", name);
    if (type) {
        wrow_set_string(w, "type", type);
    }
    return w;
}

static struct wrow *
new_port(struct ctl_ctx *ctx, const char *name, struct wrow **ifs, size_t n)
{
    struct wrow *w = wrow_insert(ctx, table_of(ctx, "Port"), NULL);

    wrow_set_string(w, "name", name);
    for (size_t i = 0; i < n; i++) {
        wrow_set_uuid(w, "interfaces", &ifs[i]->uuid, false);
    }
    return w;
}

static void
check_name_free(struct ctl_ctx *ctx, struct model *m, const char *what,
                const char *name)
{
    struct wrow *br, *p, *ip;

    if (find_bridge(ctx, m, name, false)) {
        ctl_fatal("cannot create a %s named %s because a bridge named %s "
                  "already exists",
                  what, name, name);
    }
    p = find_port(ctx, m, name, false, &br);
    if (p) {
        ctl_fatal("cannot create a %s named %s because a port named %s "
                  "already exists on bridge %s",
                  what, name, name, owner_name(m, br, p));
    }
    if (find_iface(ctx, m, name, &br, &ip)) {
        ctl_fatal("cannot create a %s named %s because an interface named "
                  "%s already exists on bridge %s",
                  what, name, name, owner_name(m, br, ip));
    }
}

void
cmd_add_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *name = cmd->argv[1];
    struct wrow *iface, *port, *br, *parent = NULL;
    const struct fake_br *fake;
    int64_t vlan = -1;
    struct model m;

    if (cmd->argc == 3) {
        ctl_fatal("'add-br' command takes exactly 1 or 3 arguments");
    }
    model_load(ctx, &m, true);
    if (cmd->argc == 4) {
        char *end;

        vlan = strtoll(cmd->argv[3], &end, 10);
        if (*end || !*cmd->argv[3] || vlan < 0 || vlan > 4095) {
            ctl_fatal("add-br: vlan must be between 0 and 4095");
        }
        parent = find_bridge_ex(ctx, &m, cmd->argv[2], true, &fake);
        if (fake) {
            ctl_fatal("cannot create fake bridge %s on fake bridge %s", name,
                      cmd->argv[2]);
        }
    }
    br = find_bridge_ex(ctx, &m, name, false, &fake);
    if (br && cmd_has(cmd, "--may-exist")) {
        if (!parent && fake) {
            ctl_fatal("\"--may-exist add-br %s\" but %s is a VLAN bridge "
                      "for VLAN %" PRId64,
                      name, name, fake->vlan);
        }
        if (parent && !fake) {
            ctl_fatal("\"--may-exist add-br %s %s %s\" but %s is not a "
                      "VLAN bridge",
                      name, cmd->argv[2], cmd->argv[3], name);
        }
        if (parent && (fake->parent != parent || fake->vlan != vlan)) {
            ctl_fatal("\"--may-exist add-br %s %s %s\" but %s has parent "
                      "%s and VLAN %" PRId64,
                      name, cmd->argv[2], cmd->argv[3], name,
                      wrow_name(fake->parent), fake->vlan);
        }
        model_free(&m);
        return;
    }
    check_name_free(ctx, &m, "bridge", name);
    iface = new_iface(ctx, name, "internal");
    port = new_port(ctx, name, &iface, 1);
    if (parent) {
        wrow_set_int(port, "tag", vlan);
        wrow_set_bool(port, "fake_bridge", true);
        wrow_set_uuid(parent, "ports", &port->uuid, false);
        model_free(&m);
        return;
    }
    br = wrow_insert(ctx, table_of(ctx, "Bridge"), NULL);
    wrow_set_string(br, "name", name);
    wrow_set_uuid(br, "ports", &port->uuid, false);
    wrow_set_uuid(m.ovs, "bridges", &br->uuid, false);
    model_free(&m);
}

void
cmd_del_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct fake_br *fake;
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge_ex(ctx, &m, cmd->argv[1], !cmd_has(cmd, "--if-exists"),
                        &fake);
    if (br && fake) {
        /* The fake bridge's own port and the ports on its VLAN. */
        struct wrow **ports;
        size_t np = children(ctx, br, "ports", "Port", &ports);

        for (size_t i = 0; i < np; i++) {
            if (!strcmp(owner_name(&m, br, ports[i]), cmd->argv[1])) {
                wrow_set_uuid(br, "ports", &ports[i]->uuid, true);
                forget_port(ctx, ports[i]);
            }
        }
        free(ports);
    } else if (br) {
        struct wrow **ports;
        size_t np = children(ctx, br, "ports", "Port", &ports);

        for (size_t i = 0; i < np; i++) {
            forget_port(ctx, ports[i]);
        }
        free(ports);
        wrow_set_uuid(m.ovs, "bridges", &br->uuid, true);
        br->deleted = true;
    }
    model_free(&m);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(wrow_name(*(struct wrow *const *) a),
                  wrow_name(*(struct wrow *const *) b));
}

void
cmd_list_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    bool real = cmd_has(cmd, "--real"), fake = cmd_has(cmd, "--fake");
    struct wrow **names;
    size_t n = 0;
    struct model m;

    if (!real && !fake) {
        real = fake = true;
    }
    model_load(ctx, &m, false);
    names = xcalloc(m.n_br + m.n_fakes + 1, sizeof *names);
    for (size_t i = 0; real && i < m.n_br; i++) {
        names[n++] = m.br[i];
    }
    for (size_t i = 0; fake && i < m.n_fakes; i++) {
        names[n++] = m.fakes[i].port;
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&cmd->output, "%s\n", wrow_name(names[i]));
    }
    free(names);
    model_free(&m);
}

void
cmd_br_exists(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    model_load(ctx, &m, false);
    if (!find_bridge(ctx, &m, cmd->argv[1], false)) {
        exit(2);
    }
    model_free(&m);
}

/* list-ports and list-ifaces. */
static void
list_ports_or_ifaces(struct ctl_ctx *ctx, struct ctl_command *cmd, bool ifaces)
{
    const char *brname = cmd->argv[1];
    struct wrow **ports, **names = NULL, *br;
    size_t np, n = 0;
    struct model m;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, brname, true);
    np = children(ctx, br, "ports", "Port", &ports);
    for (size_t i = 0; i < np; i++) {
        struct wrow **ifs;
        size_t ni;

        if (strcmp(owner_name(&m, br, ports[i]), brname)) {
            continue; /* Another (fake) bridge's. */
        }
        if (!ifaces) {
            if (strcmp(wrow_name(ports[i]), brname)) {
                names = xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = ports[i];
            }
            continue;
        }
        ni = children(ctx, ports[i], "interfaces", "Interface", &ifs);
        for (size_t k = 0; k < ni; k++) {
            if (strcmp(wrow_name(ifs[k]), brname)) {
                names = xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = ifs[k];
            }
        }
        free(ifs);
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&cmd->output, "%s\n", wrow_name(names[i]));
    }
    free(names);
    free(ports);
    model_free(&m);
}

void
cmd_list_ports(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    list_ports_or_ifaces(ctx, cmd, false);
}

void
cmd_list_ifaces(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    list_ports_or_ifaces(ctx, cmd, true);
}

/* add-port BR PORT [COL=VAL...] and add-bond BR PORT IFACE... [COL=VAL]. */
static void
add_port(struct ctl_ctx *ctx, struct ctl_command *cmd, bool bond)
{
    const char *brname = cmd->argv[1], *pname = cmd->argv[2];
    struct wrow *br, *port, *obr, **ifs;
    int first_setting = 3, n_ifs = 0;
    const struct fake_br *fake;
    struct model m;

    model_load(ctx, &m, false);
    br = find_bridge_ex(ctx, &m, brname, true, &fake);
    if (bond) {
        while (first_setting < cmd->argc
               && !strchr(cmd->argv[first_setting], '=')) {
            first_setting++;
        }
        if (first_setting - 3 < 2 && !cmd_has(cmd, "--fake-iface")) {
            ctl_fatal("add-bond requires at least 2 interfaces, but only "
                      "%d were specified",
                      first_setting - 3);
        }
    }
    port = find_port(ctx, &m, pname, false, &obr);
    if (port && cmd_has(cmd, "--may-exist")) {
        const char *owner = owner_name(&m, obr, port);

        if (strcmp(owner, brname)) {
            ctl_fatal("\"--may-exist add-port %s %s\" but %s is actually "
                      "attached to bridge %s",
                      brname, pname, pname, owner);
        }
        model_free(&m);
        return;
    }
    check_name_free(ctx, &m, "port", pname);
    ifs = xcalloc(cmd->argc, sizeof *ifs);
    if (bond) {
        for (int i = 3; i < first_setting; i++) {
            check_name_free(ctx, &m, "interface", cmd->argv[i]);
            ifs[n_ifs++] = new_iface(ctx, cmd->argv[i], NULL);
        }
    } else {
        ifs[n_ifs++] = new_iface(ctx, pname, NULL);
    }
    port = new_port(ctx, pname, ifs, n_ifs);
    if (bond && cmd_has(cmd, "--fake-iface")) {
        wrow_set_bool(port, "bond_fake_iface", true);
    }
    if (fake) {
        wrow_set_int(port, "tag", fake->vlan);
    }
    for (int i = first_setting; i < cmd->argc; i++) {
        set_column(ctx, port, cmd->argv[i]);
    }
    wrow_set_uuid(br, "ports", &port->uuid, false);
    free(ifs);
    model_free(&m);
}

void
cmd_add_port(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_port(ctx, cmd, false);
}

void
cmd_add_bond(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_port(ctx, cmd, true);
}

void
cmd_del_port(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *pname = cmd->argv[cmd->argc - 1];
    struct wrow *port, *br;
    struct model m;

    model_load(ctx, &m, false);
    port = find_port(ctx, &m, pname, cmd_has(cmd, "--with-iface"), &br);
    if (!port) {
        if (cmd->argc == 3) {
            find_bridge(ctx, &m, cmd->argv[1], true);
        }
        if (!cmd_has(cmd, "--if-exists")) {
            ctl_fatal("no port named %s", pname);
        }
        model_free(&m);
        return;
    }
    if (cmd->argc == 3) {
        find_bridge(ctx, &m, cmd->argv[1], true);
        if (strcmp(owner_name(&m, br, port), cmd->argv[1])) {
            ctl_fatal("bridge %s does not have a port %s", cmd->argv[1],
                      pname);
        }
    }
    if (!strcmp(wrow_name(port), owner_name(&m, br, port))) {
        ctl_fatal("cannot delete port %s because it is the local port for "
                  "bridge %s (deleting this port requires deleting the "
                  "entire bridge)",
                  pname, wrow_name(port));
    }
    wrow_set_uuid(br, "ports", &port->uuid, true);
    forget_port(ctx, port);
    model_free(&m);
}

void
cmd_port_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct wrow *br, *port;
    struct model m;

    model_load(ctx, &m, false);
    port = find_port(ctx, &m, cmd->argv[1], false, &br);
    if (!port) {
        ctl_fatal("no port named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", owner_name(&m, br, port));
    model_free(&m);
}

void
cmd_iface_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct wrow *br, *port;
    struct model m;

    model_load(ctx, &m, false);
    if (!find_iface(ctx, &m, cmd->argv[1], &br, &port)) {
        ctl_fatal("no interface named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", owner_name(&m, br, port));
    model_free(&m);
}

void
cmd_br_to_vlan(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    const struct fake_br *fake;

    model_load(ctx, &m, false);
    find_bridge_ex(ctx, &m, cmd->argv[1], true, &fake);
    ds_put_format(&cmd->output, "%" PRId64 "\n", fake ? fake->vlan : 0);
    model_free(&m);
}

void
cmd_br_to_parent(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    const struct fake_br *fake;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge_ex(ctx, &m, cmd->argv[1], true, &fake);
    ds_put_format(&cmd->output, "%s\n", wrow_name(br));
    model_free(&m);
}

/* Sets or deletes key 'key' of map column 'col' of 'w'. */
static void
map_set(struct wrow *w, const char *col, const char *key, const char *value)
{
    const struct ovsdb_column *c = column_of(w->ts, col);
    union ovsdb_atom k = {.string = (char *) key};
    struct ovsdb_datum d;
    long idx;

    ovsdb_datum_clone(&d, wrow_col(w, col), &c->type);
    idx = ovsdb_datum_find_key(&d, &k, OVSDB_TYPE_STRING);
    if (idx >= 0) {
        ovsdb_datum_remove_at(&d, idx, &c->type);
    }
    if (value) {
        union ovsdb_atom v = {.string = (char *) value};
        struct ovsdb_datum one = {1, &k, &v};

        ovsdb_datum_union(&d, &one, &c->type);
    }
    wrow_write(w, c, &d);
}

/* Prints the pairs of 'd' whose keys start with 'prefix' (stripped), or
 * with 'key' only that key's value. */
static void
print_map(struct ds *out, const struct ovsdb_datum *d, const char *key,
          const char *prefix)
{
    size_t plen = strlen(prefix);

    for (unsigned int i = 0; i < d->n; i++) {
        const char *k = d->keys[i].string;

        if (strncmp(k, prefix, plen)) {
            continue;
        }
        k += plen;
        if (!key) {
            ds_put_format(out, "%s=%s\n", k, d->values[i].string);
        } else if (!strcmp(k, key)) {
            ds_put_format(out, "%s\n", d->values[i].string);
        }
    }
}

void
cmd_br_set_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    const struct fake_br *fake;

    model_load(ctx, &m, false);
    br = find_bridge_ex(ctx, &m, cmd->argv[1], true, &fake);
    if (fake) {
        char *key = xasprintf("fake-bridge-%s", cmd->argv[2]);

        map_set(fake->port, "external_ids", key,
                cmd->argc > 3 ? cmd->argv[3] : NULL);
        free(key);
    } else {
        map_set(br, "external_ids", cmd->argv[2],
                cmd->argc > 3 ? cmd->argv[3] : NULL);
    }
    model_free(&m);
}

void
cmd_br_get_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    const struct fake_br *fake;

    model_load(ctx, &m, false);
    br = find_bridge_ex(ctx, &m, cmd->argv[1], true, &fake);
    if (fake) {
        print_map(&cmd->output, wrow_col(fake->port, "external_ids"),
                  cmd->argc > 2 ? cmd->argv[2] : NULL, "fake-bridge-");
    } else {
        print_map(&cmd->output, wrow_col(br, "external_ids"),
                  cmd->argc > 2 ? cmd->argv[2] : NULL, "");
    }
    model_free(&m);
}

/* Replaces the targets in set column 'col' of 'owner' (rows of 'table',
 * naming column "target") with new rows for argv[first..]. */
static void
set_targets(struct ctl_ctx *ctx, struct wrow *owner, const char *col,
            const char *table, char **argv, int argc)
{
    const struct ovsdb_column *c = column_of(owner->ts, col);
    struct ovsdb_datum d;

    ovsdb_datum_init_empty(&d);
    wrow_write(owner, c, &d);
    for (int i = 0; i < argc; i++) {
        struct wrow *t = wrow_insert(ctx, table_of(ctx, table), NULL);

        wrow_set_string(t, "target", argv[i]);
        wrow_set_uuid(owner, col, &t->uuid, false);
    }
}

static void
print_targets(struct ctl_ctx *ctx, struct ctl_command *cmd, struct wrow *owner,
              const char *col, const char *table)
{
    struct wrow **rows;
    size_t n = children(ctx, owner, col, table, &rows);
    char **names = xcalloc(n + 1, sizeof *names);

    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *d = wrow_col(rows[i], "target");

        names[i] = d->n ? d->keys[0].string : "";
    }
    qsort(names, n, sizeof *names, cmp_strp);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&cmd->output, "%s\n", names[i]);
    }
    free(names);
    free(rows);
}

void
cmd_set_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    set_targets(ctx, br, "controller", "Controller", cmd->argv + 2,
                cmd->argc - 2);
    model_free(&m);
}

void
cmd_get_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    print_targets(ctx, cmd, br, "controller", "Controller");
    model_free(&m);
}

void
cmd_del_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    set_targets(ctx, br, "controller", "Controller", NULL, 0);
    model_free(&m);
}

void
cmd_set_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *mode = cmd->argv[2];
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    if (strcmp(mode, "standalone") && strcmp(mode, "secure")) {
        ctl_fatal("fail-mode must be \"standalone\" or \"secure\"");
    }
    wrow_set_string(br, "fail_mode", mode);
    model_free(&m);
}

void
cmd_get_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_datum *d;
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    d = wrow_col(br, "fail_mode");
    if (d->n) {
        ds_put_format(&cmd->output, "%s\n", d->keys[0].string);
    }
    model_free(&m);
}

void
cmd_del_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    wrow_set_string(br, "fail_mode", NULL);
    model_free(&m);
}

void
cmd_set_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    set_targets(ctx, ovs_row(ctx, false), "manager_options", "Manager",
                cmd->argv + 1, cmd->argc - 1);
}

void
cmd_get_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    print_targets(ctx, cmd, ovs_row(ctx, false), "manager_options", "Manager");
}

void
cmd_del_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    set_targets(ctx, ovs_row(ctx, false), "manager_options", "Manager", NULL,
                0);
}

void
cmd_emer_reset(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    static const char *const ovs_cols[] = {"manager_options", "ssl",
                                           "external_ids", NULL};
    static const char *const br_cols[] = {
        "controller", "fail_mode",   "mirrors",      "netflow", "sflow",
        "ipfix",      "flood_vlans", "other_config", NULL};
    struct model m;

    (void) cmd;
    model_load(ctx, &m, false);
    for (size_t i = 0; ovs_cols[i]; i++) {
        const struct ovsdb_column *c =
            ovsdb_table_schema_find_column(m.ovs->ts, ovs_cols[i]);
        struct ovsdb_datum d;

        if (c) {
            ovsdb_datum_init_empty(&d);
            wrow_write(m.ovs, c, &d);
        }
    }
    for (size_t b = 0; b < m.n_br; b++) {
        struct wrow **ports;
        size_t np;

        for (size_t i = 0; br_cols[i]; i++) {
            const struct ovsdb_column *c =
                ovsdb_table_schema_find_column(m.br[b]->ts, br_cols[i]);
            struct ovsdb_datum d;

            if (c) {
                ovsdb_datum_init_empty(&d);
                wrow_write(m.br[b], c, &d);
            }
        }
        np = children(ctx, m.br[b], "ports", "Port", &ports);
        for (size_t p = 0; p < np; p++) {
            const struct ovsdb_column *c =
                column_of(ports[p]->ts, "other_config");
            struct ovsdb_datum d;

            ovsdb_datum_init_empty(&d);
            wrow_write(ports[p], c, &d);
        }
        free(ports);
    }
    model_free(&m);
}

static void
show_value(struct ds *out, int indent, const char *label, const struct wrow *w,
           const char *col)
{
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(w->ts, col);
    const struct ovsdb_datum *d;

    if (!c) {
        return;
    }
    d = wrow_col(w, col);
    if (ovsdb_datum_is_default(d, &c->type)) {
        return;
    }
    ds_put_char_multiple(out, ' ', indent);
    ds_put_format(out, "%s: ", label);
    ctl_datum_to_string(d, &c->type, out);
    ds_put_char(out, '\n');
}

static void
show_name(struct ds *out, int indent, const char *kind, const char *name)
{
    union ovsdb_atom a = {.string = (char *) name};

    ds_put_char_multiple(out, ' ', indent);
    ds_put_format(out, "%s ", kind);
    ctl_atom_to_string(&a, OVSDB_TYPE_STRING, out);
    ds_put_char(out, '\n');
}

static void
show_targets(struct ctl_ctx *ctx, struct ds *out, int indent,
             struct wrow *owner, const char *col, const char *table,
             const char *kind)
{
    struct wrow **rows;
    size_t n = children(ctx, owner, col, table, &rows);

    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *t = wrow_col(rows[i], "target");

        ds_put_char_multiple(out, ' ', indent);
        ds_put_format(out, "%s \"%s\"\n", kind, t->n ? t->keys[0].string : "");
        show_value(out, indent + 4, "is_connected", rows[i], "is_connected");
    }
    free(rows);
}

void
cmd_show(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct ds *out = &cmd->output;
    char u[37];
    struct model m;

    model_load(ctx, &m, false);
    ovsdb_uuid_to_string(&m.ovs->uuid, u);
    ds_put_format(out, "%s\n", u);
    show_targets(ctx, out, 4, m.ovs, "manager_options", "Manager", "Manager");
    for (size_t b = 0; b < m.n_br; b++) {
        struct wrow **ports;
        size_t np;

        show_name(out, 4, "Bridge", wrow_name(m.br[b]));
        show_targets(ctx, out, 8, m.br[b], "controller", "Controller",
                     "Controller");
        show_value(out, 8, "fail_mode", m.br[b], "fail_mode");
        show_value(out, 8, "datapath_type", m.br[b], "datapath_type");
        np = children(ctx, m.br[b], "ports", "Port", &ports);
        for (size_t p = 0; p < np; p++) {
            struct wrow **ifs;
            size_t ni;

            show_name(out, 8, "Port", wrow_name(ports[p]));
            show_value(out, 12, "tag", ports[p], "tag");
            show_value(out, 12, "trunks", ports[p], "trunks");
            show_value(out, 12, "vlan_mode", ports[p], "vlan_mode");
            show_value(out, 12, "fake_bridge", ports[p], "fake_bridge");
            ni = children(ctx, ports[p], "interfaces", "Interface", &ifs);
            for (size_t i = 0; i < ni; i++) {
                show_name(out, 12, "Interface", wrow_name(ifs[i]));
                show_value(out, 16, "type", ifs[i], "type");
                show_value(out, 16, "options", ifs[i], "options");
                show_value(out, 16, "error", ifs[i], "error");
            }
            free(ifs);
        }
        free(ports);
    }
    show_value(out, 4, "ovs_version", m.ovs, "ovs_version");
    model_free(&m);
}
