/*
 * evloop.h — the one event loop of a greendot daemon (epoll).
 *
 * Descriptors, timers and signals.  Timers are caller-owned structs kept
 * in a binary heap, so 10,000 probe schedules cost no allocation and
 * O(log n) per (re)arm.  Signals arrive through a signalfd, so handlers
 * run in the loop like any other event.
 *
 * A prepare hook runs before every wait: net-snmp joins the loop there
 * (snmp_select_info2() re-syncs its descriptors and its timeout; see
 * subagent/ and monitor/).  The hook may lower the wait.
 *
 * Times are CLOCK_MONOTONIC nanoseconds.
 */
#ifndef GD_EVLOOP_H
#define GD_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

struct ev_loop;

typedef void (*ev_io_cb)(struct ev_loop *loop, int fd, uint32_t events,
			 void *arg);
typedef void (*ev_timer_cb)(struct ev_loop *loop, void *arg);
typedef void (*ev_signal_cb)(struct ev_loop *loop, int signo, void *arg);
/* Returns the longest the loop may wait, in ms, or -1 for no limit. */
typedef int (*ev_prepare_cb)(struct ev_loop *loop, void *arg);

struct ev_timer {
	uint64_t when;		/* monotonic ns */
	size_t slot;		/* heap position + 1; 0 when not armed */
	ev_timer_cb cb;
	void *arg;
};

#define EV_NS_PER_SEC 1000000000ULL
#define EV_NS_PER_MS  1000000ULL

uint64_t ev_monotonic_ns(void);

struct ev_loop *ev_loop_new(void);
void ev_loop_free(struct ev_loop *loop);

/* The time taken once per iteration (cheap "now" for callbacks). */
uint64_t ev_now(const struct ev_loop *loop);
void ev_now_update(struct ev_loop *loop);

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb,
	      void *arg);
int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events);
void ev_io_del(struct ev_loop *loop, int fd);
/* For a descriptor about to be closed: frees its slot without the
 * epoll_ctl(DEL) call, since closing the last reference removes it from
 * the epoll set anyway (a probe saves a system call per check).  Only
 * for descriptors never dup()ed or shared with a child. */
void ev_io_forget(struct ev_loop *loop, int fd);
bool ev_io_watched(const struct ev_loop *loop, int fd);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, uint64_t when);
void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_active(const struct ev_timer *t)
{
	return t->slot != 0;
}
size_t ev_timer_count(const struct ev_loop *loop);

/* Blocks signo and delivers it to cb through the loop's signalfd. */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg);

void ev_set_prepare(struct ev_loop *loop, ev_prepare_cb cb, void *arg);

/* One wait (at most timeout_ms, -1 forever) and its dispatch. */
int ev_loop_once(struct ev_loop *loop, int timeout_ms);
/* Until ev_loop_break(); returns 0, or -1 when epoll fails. */
int ev_loop_run(struct ev_loop *loop);
void ev_loop_break(struct ev_loop *loop);

#endif
