/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sampled: the smallest complete vswitch daemon.  It exists to exercise the
 * core library end to end (daemon options, event loop, logging, coverage,
 * unixctl) in tests and in `make demo`; real daemons start the same way.
 *
 * Commands:
 *   sample/echo [ARG...]     replies with its arguments joined by spaces
 *   sample/log LEVEL TEXT    logs TEXT at LEVEL in module "sampled"
 *   sample/ticks             how many times the 100 ms timer fired
 *   sample/whoami            uid, gid and effective capabilities
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include "vswitch/coverage.h"
#include "vswitch/daemon.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(sampled);
COVERAGE_DEFINE(sampled_tick);
COVERAGE_DEFINE(sampled_echo);

static unsigned long long n_ticks;

static void
tick(void *aux)
{
    n_ticks++;
    COVERAGE_INC(sampled_tick);
}

static void
cmd_echo(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    COVERAGE_INC(sampled_echo);
    for (int i = 1; i < argc; i++) {
        ds_put_format(&s, "%s%s", i > 1 ? " " : "", argv[i]);
    }
    ds_put_char(&s, '\n');
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_log(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    int level = vlog_level_from_string(argv[1]);

    if (level <= VLL_OFF) {
        unixctl_command_reply_error(conn, "unknown level");
        return;
    }
    vlog(&this_module, level, "%s", argv[2]);
    unixctl_command_reply(conn, NULL);
}

static void
cmd_ticks(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char *s = xasprintf("%llu\n", n_ticks);

    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_whoami(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char line[256], *s = NULL;
    FILE *f = fopen("/proc/self/status", "r");
    struct ds ds = DS_EMPTY_INITIALIZER;

    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4)
            || !strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7)
            || !strncmp(line, "CapBnd:", 7)) {
            ds_put_cstr(&ds, line);
        }
    }
    if (f) {
        fclose(f);
    }
    s = ds_steal_cstr(&ds);
    unixctl_command_reply(conn, s);
    free(s);
}

static void
usage(void)
{
    printf("%s: sample vswitch daemon\nusage: %s [OPTIONS]\n",
           vs_program_name(), vs_program_name());
    daemon_usage();
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const int caps[] = {CAP_NET_ADMIN, CAP_NET_RAW};
    struct unixctl_server *server;
    struct evloop *loop;
    int c, error;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hv::", long_options, NULL)) != -1) {
        switch (c) {
            DAEMON_OPTION_HANDLERS
        case 'h':
            usage();
            return 0;
        default:
            vs_fatal(2,
                     "unknown option or missing argument '%s' (use --help "
                     "for help)",
                     argv[optind - 1]);
        }
    }
    if (optind < argc) {
        vs_fatal(2, "unexpected argument \"%s\"", argv[optind]);
    }

    daemon_keep_capabilities(caps, ARRAY_SIZE(caps));
    daemon_start();
    loop = evloop_create();
    error = unixctl_server_create(loop, daemon_unixctl_path(), &server);
    if (error) {
        vs_fatal(1, "cannot create control socket: %s", vs_strerror(error));
    }
    unixctl_command_register("sample/echo", "[ARG...]", 0, INT32_MAX, cmd_echo,
                             NULL);
    unixctl_command_register("sample/log", "LEVEL TEXT", 2, 2, cmd_log, NULL);
    unixctl_command_register("sample/ticks", "", 0, 0, cmd_ticks, NULL);
    unixctl_command_register("sample/whoami", "", 0, 0, cmd_whoami, NULL);
    evloop_add_timer(loop, 100, 100, tick, NULL);
    daemon_install_signals(loop);
    daemon_ready();

    evloop_run(loop);

    VLOG_INFO("exiting");
    unixctl_server_destroy(server);
    evloop_destroy(loop);
    daemon_cleanup();
    return 0;
}
