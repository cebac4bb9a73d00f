/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lock.h - the spinlock the ports use where the kernel used spinlock_t.
 * A pthread spinlock: short critical sections, no sleeping while held, as in
 * the kernel; ThreadSanitizer understands it.
 */
#ifndef ZPB_LOCK_H
#define ZPB_LOCK_H

#include <pthread.h>

typedef struct {
	pthread_spinlock_t l;
} zlock_t;

static inline void zlock_init(zlock_t *z)
{
	pthread_spin_init(&z->l, PTHREAD_PROCESS_PRIVATE);
}

static inline void zlock_destroy(zlock_t *z)
{
	pthread_spin_destroy(&z->l);
}

static inline void zlock(zlock_t *z)
{
	pthread_spin_lock(&z->l);
}

static inline int ztrylock(zlock_t *z)
{
	return pthread_spin_trylock(&z->l) == 0;
}

static inline void zunlock(zlock_t *z)
{
	pthread_spin_unlock(&z->l);
}

#endif /* ZPB_LOCK_H */
