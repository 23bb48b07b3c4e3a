/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/vlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "vswitch/ds.h"
#include "vswitch/thread.h"

static struct vs_mutex vlog_mutex = VS_MUTEX_INITIALIZER;
static struct vs_list
    all_modules VS_GUARDED_BY(vlog_mutex) = VS_LIST_INITIALIZER(&all_modules);
static int log_fd VS_GUARDED_BY(vlog_mutex) = -1;
static char *log_file_name VS_GUARDED_BY(vlog_mutex);
static bool syslog_open VS_GUARDED_BY(vlog_mutex);
static unsigned int msg_seq; /* Atomic. */

static const char *const level_names[VLL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG",
};
static const char *const dest_names[VLF_N_DESTINATIONS] = {
    "console",
    "syslog",
    "file",
};
static const int syslog_levels[VLL_N_LEVELS] = {
    LOG_DEBUG, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG,
};

void
vlog_register_module__(struct vlog_module *module)
{
    vs_mutex_lock(&vlog_mutex);
    vs_list_push_back(&all_modules, &module->node);
    vs_mutex_unlock(&vlog_mutex);
}

const char *
vlog_level_to_string(enum vlog_level level)
{
    return level < VLL_N_LEVELS ? level_names[level] : "???";
}

int
vlog_level_from_string(const char *s)
{
    for (int i = 0; i < VLL_N_LEVELS; i++) {
        if (!strcasecmp(s, level_names[i])) {
            return i;
        }
    }
    if (!strcasecmp(s, "debug")) {
        return VLL_DBG;
    }
    if (!strcasecmp(s, "error")) {
        return VLL_ERR;
    }
    if (!strcasecmp(s, "warning")) {
        return VLL_WARN;
    }
    return -1;
}

const char *
vlog_destination_to_string(enum vlog_destination dest)
{
    return dest >= 0 && dest < VLF_N_DESTINATIONS ? dest_names[dest] : "any";
}

int
vlog_destination_from_string(const char *s)
{
    for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
        if (!strcasecmp(s, dest_names[i])) {
            return i;
        }
    }
    return -1;
}

struct vlog_module *
vlog_module_from_name(const char *name)
{
    struct vlog_module *m, *found = NULL;

    vs_mutex_lock(&vlog_mutex);
    LIST_FOR_EACH (m, node, &all_modules) {
        if (!strcasecmp(m->name, name)) {
            found = m;
            break;
        }
    }
    vs_mutex_unlock(&vlog_mutex);
    return found;
}

static void
update_min_level(struct vlog_module *m) VS_REQUIRES(vlog_mutex)
{
    int min = VLL_OFF;

    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        int level = __atomic_load_n(&m->levels[d], __ATOMIC_RELAXED);

        /* The file destination only counts while a file is open. */
        if (d == VLF_FILE && log_fd < 0) {
            continue;
        }
        if (d == VLF_SYSLOG && !syslog_open) {
            continue;
        }
        if (level > min) {
            min = level;
        }
    }
    __atomic_store_n(&m->min_level, min, __ATOMIC_RELAXED);
}

static void
update_all_min_levels__(void) VS_REQUIRES(vlog_mutex)
{
    struct vlog_module *m;

    LIST_FOR_EACH (m, node, &all_modules) {
        update_min_level(m);
    }
}

static void
set_module_levels__(struct vlog_module *m, enum vlog_destination dest,
                    enum vlog_level level) VS_REQUIRES(vlog_mutex)
{
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        if (dest == VLF_ANY_DESTINATION || (int) dest == d) {
            __atomic_store_n(&m->levels[d], level, __ATOMIC_RELAXED);
        }
    }
    update_min_level(m);
}

void
vlog_set_levels(struct vlog_module *module, enum vlog_destination dest,
                enum vlog_level level)
{
    struct vlog_module *m;

    vs_mutex_lock(&vlog_mutex);
    if (module) {
        set_module_levels__(module, dest, level);
    } else {
        LIST_FOR_EACH (m, node, &all_modules) {
            set_module_levels__(m, dest, level);
        }
    }
    vs_mutex_unlock(&vlog_mutex);
}

enum vlog_level
vlog_get_level(const struct vlog_module *m, enum vlog_destination dest)
{
    return __atomic_load_n(&m->levels[dest], __ATOMIC_RELAXED);
}

char *
vlog_set_levels_from_string(const char *spec)
{
    struct vlog_module *module = NULL;
    int dest = VLF_ANY_DESTINATION;
    int level = -1;
    char *copy = xstrdup(spec), *save = NULL, *word;
    char *error = NULL;
    bool have_module = false, have_dest = false;

    for (word = strtok_r(copy, ": \t", &save); word;
         word = strtok_r(NULL, ": \t", &save)) {
        int x;

        if (!strcasecmp(word, "any")) {
            /* "any" module or destination: the default. */
            if (!have_module) {
                have_module = true;
            } else if (!have_dest) {
                have_dest = true;
            } else {
                error = xasprintf("\"any\" used too often in \"%s\"", spec);
                goto out;
            }
        } else if ((x = vlog_destination_from_string(word)) >= 0) {
            if (have_dest) {
                error = xasprintf("destination given twice in \"%s\"", spec);
                goto out;
            }
            dest = x;
            have_dest = true;
        } else if ((x = vlog_level_from_string(word)) >= 0) {
            if (level >= 0) {
                error = xasprintf("level given twice in \"%s\"", spec);
                goto out;
            }
            level = x;
        } else {
            struct vlog_module *m = vlog_module_from_name(word);

            if (!m) {
                error = xasprintf("unknown module, destination or level "
                                  "\"%s\"",
                                  word);
                goto out;
            }
            if (module) {
                error = xasprintf("module given twice in \"%s\"", spec);
                goto out;
            }
            module = m;
            have_module = true;
        }
    }
    vlog_set_levels(module, dest, level >= 0 ? level : VLL_DBG);

out:
    free(copy);
    return error;
}

void
vlog_set_verbosity(const char *spec)
{
    char *error;

    if (!spec || !*spec) {
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_DBG);
        return;
    }
    error = vlog_set_levels_from_string(spec);
    if (error) {
        vs_fatal(2, "-v: %s", error);
    }
}

static int
open_log_file__(const char *name)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);

    return fd < 0 ? -errno : fd;
}

int
vlog_set_log_file(const char *file_name)
{
    char *name;
    int fd;

    if (file_name) {
        name = xstrdup(file_name);
    } else {
        const char *dir = getenv("VSWITCH_LOGDIR");

        name = xasprintf("%s/%s.log", dir && *dir ? dir : "/var/log/vswitch",
                         vs_program_name());
    }
    fd = open_log_file__(name);
    if (fd < 0) {
        int error = -fd;

        fprintf(stderr, "%s: cannot open log file %s: %s\n", vs_program_name(),
                name, vs_strerror(error));
        free(name);
        return error;
    }
    vs_mutex_lock(&vlog_mutex);
    if (log_fd >= 0) {
        close(log_fd);
    }
    free(log_file_name);
    log_file_name = name;
    log_fd = fd;
    update_all_min_levels__();
    vs_mutex_unlock(&vlog_mutex);
    return 0;
}

int
vlog_reopen_log_file(void)
{
    int error = 0;

    vs_mutex_lock(&vlog_mutex);
    if (log_file_name) {
        int fd = open_log_file__(log_file_name);

        if (fd < 0) {
            error = -fd;
        } else {
            if (log_fd >= 0) {
                close(log_fd);
            }
            log_fd = fd;
        }
    }
    vs_mutex_unlock(&vlog_mutex);
    return error;
}

const char *
vlog_get_log_file(void)
{
    const char *name;

    vs_mutex_lock(&vlog_mutex);
    name = log_file_name;
    vs_mutex_unlock(&vlog_mutex);
    return name;
}

void
vlog_init_syslog(void)
{
    vs_mutex_lock(&vlog_mutex);
    if (!syslog_open) {
        openlog(vs_program_name(), LOG_NDELAY | LOG_PID, LOG_DAEMON);
        syslog_open = true;
        update_all_min_levels__();
    }
    vs_mutex_unlock(&vlog_mutex);
}

char *
vlog_get_levels(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct vlog_module *m;

    ds_put_format(&s, "%-16s  %-7s %-7s %-7s\n", "", "console", "syslog",
                  "file");
    ds_put_format(&s, "%-16s  %-7s %-7s %-7s\n", "", "-------", "------",
                  "------");
    vs_mutex_lock(&vlog_mutex);
    LIST_FOR_EACH (m, node, &all_modules) {
        ds_put_format(&s, "%-16s  %-7s %-7s %-7s\n", m->name,
                      level_names[m->levels[VLF_CONSOLE]],
                      level_names[m->levels[VLF_SYSLOG]],
                      level_names[m->levels[VLF_FILE]]);
    }
    vs_mutex_unlock(&vlog_mutex);
    return ds_steal_cstr(&s);
}

static void
format_message(struct ds *s, const struct vlog_module *m,
               enum vlog_level level, const char *fmt, va_list args)
{
    long long now = vs_time_wall_msec();
    time_t secs = now / 1000;
    struct tm tm;
    char date[32];

    gmtime_r(&secs, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    ds_put_format(s, "%s.%03dZ|%05u|%s|%s|", date, (int) (now % 1000),
                  __atomic_add_fetch(&msg_seq, 1, __ATOMIC_RELAXED), m->name,
                  level_names[level]);
    ds_put_format_valist(s, fmt, args);
    ds_chomp(s);
    ds_put_char(s, '\n');
}

void
vlog_valist(const struct vlog_module *m, enum vlog_level level,
            const char *fmt, va_list args)
{
    bool to_console, to_syslog, to_file;
    struct ds s = DS_EMPTY_INITIALIZER;
    int saved_errno = errno;

    if (level <= VLL_OFF || level >= VLL_N_LEVELS) {
        return;
    }
    to_console = (int) level <= (int) vlog_get_level(m, VLF_CONSOLE);
    to_syslog = (int) level <= (int) vlog_get_level(m, VLF_SYSLOG);
    to_file = (int) level <= (int) vlog_get_level(m, VLF_FILE);
    if (!to_console && !to_syslog && !to_file) {
        return;
    }
    format_message(&s, m, level, fmt, args);

    vs_mutex_lock(&vlog_mutex);
    if (to_console) {
        (void) vs_write_fully(STDERR_FILENO, s.string, s.length);
    }
    if (to_file && log_fd >= 0) {
        (void) vs_write_fully(log_fd, s.string, s.length);
    }
    if (to_syslog && syslog_open) {
        /* syslog adds its own time stamp: skip ours (up to the 2nd '|'). */
        const char *p = strchr(s.string, '|');

        p = p ? strchr(p + 1, '|') : NULL;
        syslog(syslog_levels[level], "%s", p ? p + 1 : s.string);
    }
    vs_mutex_unlock(&vlog_mutex);
    ds_destroy(&s);
    errno = saved_errno;
}

void
vlog(const struct vlog_module *m, enum vlog_level level, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vlog_valist(m, level, fmt, args);
    va_end(args);
}

#define VLOG_MSG_TOKENS (60 * 1000)

bool
vlog_should_drop(const struct vlog_module *m, enum vlog_level level,
                 struct vlog_rate_limit *rl)
{
    long long now = vs_time_msec();
    unsigned int n_dropped = 0;
    long long first_dropped = 0;
    bool drop;

    if (!vlog_is_enabled(m, level)) {
        return true;
    }
    pthread_mutex_lock(&rl->mutex);
    if (!rl->last_fill) {
        rl->tokens = (unsigned long long) rl->burst * VLOG_MSG_TOKENS;
        rl->last_fill = now;
    } else if (now > rl->last_fill) {
        unsigned long long add =
            (unsigned long long) (now - rl->last_fill) * rl->rate;
        unsigned long long cap =
            (unsigned long long) rl->burst * VLOG_MSG_TOKENS;

        rl->tokens = rl->tokens + add > cap ? cap : rl->tokens + add;
        rl->last_fill = now;
    }
    if (rl->tokens >= VLOG_MSG_TOKENS) {
        rl->tokens -= VLOG_MSG_TOKENS;
        drop = false;
        n_dropped = rl->n_dropped;
        first_dropped = rl->first_dropped;
        rl->n_dropped = 0;
    } else {
        if (!rl->n_dropped++) {
            rl->first_dropped = now;
        }
        drop = true;
    }
    pthread_mutex_unlock(&rl->mutex);

    if (n_dropped) {
        vlog(m, VLL_INFO,
             "Dropped %u log messages in last %lld seconds "
             "due to excessive rate",
             n_dropped, (now - first_dropped + 999) / 1000);
    }
    return drop;
}

void
vlog_rate_limit(const struct vlog_module *m, enum vlog_level level,
                struct vlog_rate_limit *rl, const char *fmt, ...)
{
    va_list args;

    if (vlog_should_drop(m, level, rl)) {
        return;
    }
    va_start(args, fmt);
    vlog_valist(m, level, fmt, args);
    va_end(args);
}

void
vlog_fatal(const struct vlog_module *m, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vlog_valist(m, VLL_EMER, fmt, args);
    va_end(args);
    if (vlog_get_level(m, VLF_CONSOLE) < VLL_EMER) {
        va_start(args, fmt);
        fprintf(stderr, "%s: ", vs_program_name());
        vfprintf(stderr, fmt, args);
        fputc('\n', stderr);
        va_end(args);
    }
    exit(1);
}

void
vlog_abort(const struct vlog_module *m, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vlog_valist(m, VLL_EMER, fmt, args);
    va_end(args);
    abort();
}
