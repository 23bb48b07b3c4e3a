/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/thread.h"

#include <errno.h>
#include <string.h>
#include "vswitch/util.h"

void
vs_mutex_init(struct vs_mutex *m)
{
    pthread_mutex_init(&m->lock, NULL);
}

void
vs_mutex_destroy(struct vs_mutex *m)
{
    pthread_mutex_destroy(&m->lock);
}

void
vs_mutex_lock(struct vs_mutex *m) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_mutex_lock(&m->lock);

    if (error) {
        vs_abort("pthread_mutex_lock: %s", vs_strerror(error));
    }
}

void
vs_mutex_unlock(struct vs_mutex *m) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_mutex_unlock(&m->lock);

    if (error) {
        vs_abort("pthread_mutex_unlock: %s", vs_strerror(error));
    }
}

bool
vs_mutex_trylock(struct vs_mutex *m) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_mutex_trylock(&m->lock);

    if (error && error != EBUSY) {
        vs_abort("pthread_mutex_trylock: %s", vs_strerror(error));
    }
    return !error;
}

void
vs_rwlock_init(struct vs_rwlock *l)
{
    pthread_rwlock_init(&l->lock, NULL);
}

void
vs_rwlock_destroy(struct vs_rwlock *l)
{
    pthread_rwlock_destroy(&l->lock);
}

void
vs_rwlock_rdlock(struct vs_rwlock *l) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_rwlock_rdlock(&l->lock);

    if (error) {
        vs_abort("pthread_rwlock_rdlock: %s", vs_strerror(error));
    }
}

void
vs_rwlock_wrlock(struct vs_rwlock *l) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_rwlock_wrlock(&l->lock);

    if (error) {
        vs_abort("pthread_rwlock_wrlock: %s", vs_strerror(error));
    }
}

void
vs_rwlock_unlock(struct vs_rwlock *l) VS_NO_THREAD_SAFETY_ANALYSIS
{
    int error = pthread_rwlock_unlock(&l->lock);

    if (error) {
        vs_abort("pthread_rwlock_unlock: %s", vs_strerror(error));
    }
}

pthread_t
vs_thread_create(const char *name, void *(*start)(void *), void *aux)
{
    pthread_t thread;
    char short_name[16];
    int error;

    error = pthread_create(&thread, NULL, start, aux);
    if (error) {
        vs_abort("pthread_create(%s): %s", name, vs_strerror(error));
    }
    snprintf(short_name, sizeof short_name, "%s", name);
    pthread_setname_np(thread, short_name);
    return thread;
}
