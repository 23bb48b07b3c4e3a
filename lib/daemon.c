/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/daemon.h"

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

static bool detach;
static bool no_chdir;
static char *pidfile;       /* Path, or NULL for none. */
static int pidfile_fd = -1; /* Held open (and locked) while we run. */
static char *unixctl_path;
static char *user_spec; /* USER[:GROUP] or NULL. */
static bool log_file_wanted;
static char *log_file_name;
static int keep_caps[64];
static size_t n_keep_caps;
static int ready_fd = -1; /* Write end of the pipe to the parent. */
static bool pidfile_created;

void
daemon_handle_option(int c, const char *arg)
{
    switch (c) {
    case DAEMON_OPT_DETACH:
        detach = true;
        break;
    case DAEMON_OPT_PIDFILE:
        free(pidfile);
        pidfile = arg && *arg
                      ? xstrdup(arg)
                      : xasprintf("%s/%s.pid", vs_rundir(), vs_program_name());
        if (pidfile[0] != '/') {
            char *rel = pidfile;

            pidfile = xasprintf("%s/%s", vs_rundir(), rel);
            free(rel);
        }
        break;
    case DAEMON_OPT_LOG_FILE:
        log_file_wanted = true;
        free(log_file_name);
        log_file_name = arg && *arg ? xstrdup(arg) : NULL;
        break;
    case DAEMON_OPT_UNIXCTL:
        free(unixctl_path);
        unixctl_path = xstrdup(arg);
        break;
    case DAEMON_OPT_USER:
        free(user_spec);
        user_spec = xstrdup(arg);
        break;
    case DAEMON_OPT_NO_CHDIR:
        no_chdir = true;
        break;
    case 'v':
        vlog_set_verbosity(arg);
        break;
    default:
        vs_abort("daemon_handle_option: unknown option %d", c);
    }
}

void
daemon_usage(void)
{
    printf("\nDaemon options:\n"
           "  --detach                run in background as daemon\n"
           "  --pidfile[=FILE]        create pidfile (default: %s/%s.pid)\n"
           "  --log-file[=FILE]       log to FILE\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  --user=USER[:GROUP]     run as USER, keeping only needed "
           "capabilities\n"
           "  --no-chdir              do not chdir to '/'\n"
           "  -v, --verbose[=SPEC]    set logging levels\n",
           vs_rundir(), vs_program_name());
}

void
daemon_keep_capabilities(const int *caps, size_t n)
{
    if (n > ARRAY_SIZE(keep_caps)) {
        vs_abort("too many capabilities");
    }
    memcpy(keep_caps, caps, n * sizeof *caps);
    n_keep_caps = n;
}

bool
daemon_is_detached(void)
{
    return detach;
}

const char *
daemon_unixctl_path(void)
{
    return unixctl_path;
}

const char *
daemon_pidfile(void)
{
    return pidfile;
}

/* Forks.  The parent waits for the child's daemon_ready() and exits 0, or
 * exits with the child's status if the child died first.  Returns in the
 * child only. */
static void
fork_and_wait(void)
{
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) < 0) {
        vs_fatal(1, "pipe: %s", vs_strerror(errno));
    }
    pid = fork();
    if (pid < 0) {
        vs_fatal(1, "fork: %s", vs_strerror(errno));
    }
    if (pid > 0) {
        char c;
        ssize_t n;
        int status;

        close(fds[1]);
        do {
            n = read(fds[0], &c, 1);
        } while (n < 0 && errno == EINTR);
        if (n == 1) {
            _exit(0);
        }
        /* The child closed the pipe without saying it was ready. */
        if (waitpid(pid, &status, 0) == pid) {
            if (WIFEXITED(status)) {
                _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
            }
            if (WIFSIGNALED(status)) {
                fprintf(stderr, "%s: child died with signal %d\n",
                        vs_program_name(), WTERMSIG(status));
            }
        }
        _exit(1);
    }
    close(fds[0]);
    ready_fd = fds[1];
    setsid();
}

static void
drop_privileges(void)
{
    char *spec = xstrdup(user_spec), *group = strchr(spec, ':');
    struct passwd *pw;
    uid_t uid;
    gid_t gid;
    int error;

    if (group) {
        *group++ = '\0';
    }
    pw = getpwnam(spec);
    if (!pw) {
        vs_fatal(1, "--user: no user \"%s\"", spec);
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    if (group && *group) {
        struct group *gr = getgrnam(group);

        if (!gr) {
            vs_fatal(1, "--user: no group \"%s\"", group);
        }
        gid = gr->gr_gid;
    }
    if (geteuid() != 0) {
        vs_fatal(1, "--user needs to start as root");
    }
    capng_clear(CAPNG_SELECT_BOTH);
    for (size_t i = 0; i < n_keep_caps; i++) {
        if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
                         keep_caps[i])) {
            vs_fatal(1, "--user: cannot keep capability %d", keep_caps[i]);
        }
    }
    error =
        capng_change_id(uid, gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
    if (error) {
        vs_fatal(1, "--user: cannot become %s (libcap-ng error %d)", user_spec,
                 error);
    }
    VLOG_INFO("running as user %s (uid %ld, gid %ld) with %zu capabilities",
              spec, (long) uid, (long) gid, n_keep_caps);
    free(spec);
}

static void
remove_pidfile(void)
{
    if (pidfile && pidfile_created) {
        unlink(pidfile);
        pidfile_created = false;
    }
}

static void
make_pidfile(void)
{
    struct flock lck = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    char line[32];
    int fd;

    fd = open(pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        vs_fatal(1, "%s: cannot create pidfile: %s", pidfile,
                 vs_strerror(errno));
    }
    if (fcntl(fd, F_SETLK, &lck) < 0) {
        int error = errno;

        if (fcntl(fd, F_GETLK, &lck) == 0 && lck.l_type != F_UNLCK) {
            vs_fatal(1, "%s: already running as pid %ld", pidfile,
                     (long) lck.l_pid);
        }
        vs_fatal(1, "%s: cannot lock pidfile: %s", pidfile,
                 vs_strerror(error));
    }
    snprintf(line, sizeof line, "%ld\n", (long) getpid());
    if (ftruncate(fd, 0) < 0 || vs_write_fully(fd, line, strlen(line))) {
        vs_fatal(1, "%s: cannot write pidfile: %s", pidfile,
                 vs_strerror(errno));
    }
    pidfile_fd = fd;
    pidfile_created = true;
    atexit(remove_pidfile);
}

void
daemon_start(void)
{
    if (log_file_wanted && vlog_set_log_file(log_file_name)) {
        exit(1); /* vlog_set_log_file() said why. */
    }
    if (detach) {
        fork_and_wait();
    }
    if (user_spec) {
        drop_privileges();
    }
    if (pidfile) {
        make_pidfile();
    }
}

void
daemon_ready(void)
{
    if (ready_fd >= 0) {
        int null = open("/dev/null", O_RDWR);

        if (vs_write_fully(ready_fd, "", 1)) {
            VLOG_WARN("cannot notify parent: %s", vs_strerror(errno));
        }
        close(ready_fd);
        ready_fd = -1;
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            if (null > STDERR_FILENO) {
                close(null);
            }
        }
        if (!no_chdir && chdir("/") < 0) {
            VLOG_WARN("chdir(\"/\"): %s", vs_strerror(errno));
        }
    }
    VLOG_INFO("%s %s started", vs_program_name(), VSWITCH_VERSION);
}

static void
on_stop_signal(int signo, void *loop_)
{
    VLOG_INFO("%s: exiting", strsignal(signo));
    evloop_stop(loop_);
}

static void
on_hup(int signo, void *aux)
{
    int error = vlog_reopen_log_file();

    if (error) {
        VLOG_WARN("cannot reopen log file: %s", vs_strerror(error));
    }
}

void
daemon_install_signals(struct evloop *loop)
{
    signal(SIGPIPE, SIG_IGN);
    evloop_add_signal(loop, SIGTERM, on_stop_signal, loop);
    evloop_add_signal(loop, SIGINT, on_stop_signal, loop);
    evloop_add_signal(loop, SIGHUP, on_hup, NULL);
}

void
daemon_cleanup(void)
{
    remove_pidfile();
    if (pidfile_fd >= 0) {
        close(pidfile_fd);
        pidfile_fd = -1;
    }
}
