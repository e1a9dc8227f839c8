/*
 * evloop.c — epoll, a timer heap and a signalfd; see evloop.h.
 */
#include "evloop.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define EV_MAX_EVENTS 256
#define EV_NSIG 65

struct ev_io {
	ev_io_cb cb;
	void *arg;
	uint32_t events;
	bool used;
};

struct ev_loop {
	int epfd;
	uint64_t now;
	bool stop;

	struct ev_io *ios;	/* indexed by fd */
	size_t nios;

	struct ev_timer **heap;
	size_t nheap, heap_cap;

	int sigfd;
	sigset_t sigmask;
	struct {
		ev_signal_cb cb;
		void *arg;
	} sigs[EV_NSIG];

	ev_prepare_cb prepare;
	void *prepare_arg;

	bool in_timers;		/* run_timers() is calling back */
};

uint64_t ev_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * EV_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = calloc(1, sizeof *loop);

	if (loop == NULL)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	loop->sigfd = -1;
	sigemptyset(&loop->sigmask);
	loop->now = ev_monotonic_ns();
	return loop;
}

void ev_loop_free(struct ev_loop *loop)
{
	if (loop == NULL)
		return;
	if (loop->sigfd >= 0) {
		close(loop->sigfd);
		sigprocmask(SIG_UNBLOCK, &loop->sigmask, NULL);
	}
	close(loop->epfd);
	free(loop->ios);
	free(loop->heap);
	free(loop);
}

uint64_t ev_now(const struct ev_loop *loop)
{
	return loop->now;
}

void ev_now_update(struct ev_loop *loop)
{
	loop->now = ev_monotonic_ns();
}

/* --- descriptors ------------------------------------------------------ */

static int ios_reserve(struct ev_loop *loop, int fd)
{
	size_t n = loop->nios ? loop->nios : 64;
	struct ev_io *p;

	if ((size_t)fd < loop->nios)
		return 0;
	while (n <= (size_t)fd)
		n *= 2;
	p = realloc(loop->ios, n * sizeof *p);
	if (p == NULL)
		return -1;
	memset(p + loop->nios, 0, (n - loop->nios) * sizeof *p);
	loop->ios = p;
	loop->nios = n;
	return 0;
}

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb,
	      void *arg)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (fd < 0 || ios_reserve(loop, fd) < 0)
		return -1;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	loop->ios[fd] = (struct ev_io){ cb, arg, events, true };
	return 0;
}

int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (!ev_io_watched(loop, fd)) {
		errno = ENOENT;
		return -1;
	}
	if (loop->ios[fd].events == events)
		return 0;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -1;
	loop->ios[fd].events = events;
	return 0;
}

void ev_io_del(struct ev_loop *loop, int fd)
{
	if (!ev_io_watched(loop, fd))
		return;
	/* may fail when fd is already closed; the slot is freed anyway */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	loop->ios[fd].used = false;
}

void ev_io_forget(struct ev_loop *loop, int fd)
{
	if (ev_io_watched(loop, fd))
		loop->ios[fd].used = false;
}

bool ev_io_watched(const struct ev_loop *loop, int fd)
{
	return fd >= 0 && (size_t)fd < loop->nios && loop->ios[fd].used;
}

/* --- timers: a binary min-heap on `when` ------------------------------ */

static void heap_set(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->slot = i + 1;
}

static void heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (loop->heap[parent]->when <= t->when)
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= loop->nheap)
			break;
		if (c + 1 < loop->nheap &&
		    loop->heap[c + 1]->when < loop->heap[c]->when)
			c++;
		if (t->when <= loop->heap[c]->when)
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	t->when = 0;
	t->slot = 0;
	t->cb = cb;
	t->arg = arg;
}

void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, uint64_t when)
{
	if (ev_timer_active(t))
		ev_timer_stop(loop, t);
	if (loop->nheap == loop->heap_cap) {
		size_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
		struct ev_timer **p = realloc(loop->heap, cap * sizeof *p);

		if (p == NULL)
			abort();	/* a lost timer is a silent hang */
		loop->heap = p;
		loop->heap_cap = cap;
	}
	/* armed from a timer callback for "now" or earlier: the next pass,
	 * so a callback that re-arms itself cannot starve the descriptors */
	if (loop->in_timers && when <= loop->now)
		when = loop->now + 1;
	t->when = when;
	loop->heap[loop->nheap] = t;
	loop->nheap++;
	heap_up(loop, loop->nheap - 1);
}

void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i;
	struct ev_timer *last;

	if (!ev_timer_active(t))
		return;
	i = t->slot - 1;
	t->slot = 0;
	last = loop->heap[--loop->nheap];
	if (i == loop->nheap)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->slot - 1);
}

size_t ev_timer_count(const struct ev_loop *loop)
{
	return loop->nheap;
}

static void run_timers(struct ev_loop *loop)
{
	loop->in_timers = true;
	while (loop->nheap > 0 && loop->heap[0]->when <= loop->now) {
		struct ev_timer *t = loop->heap[0];

		ev_timer_stop(loop, t);
		t->cb(loop, t->arg);
	}
	loop->in_timers = false;
}

/* --- signals ---------------------------------------------------------- */

static void signal_ready(struct ev_loop *loop, int fd, uint32_t events,
			 void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo < EV_NSIG && loop->sigs[si.ssi_signo].cb)
			loop->sigs[si.ssi_signo].cb(loop, (int)si.ssi_signo,
						    loop->sigs[si.ssi_signo].arg);
	}
}

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg)
{
	int fd;

	if (signo <= 0 || signo >= EV_NSIG) {
		errno = EINVAL;
		return -1;
	}
	sigaddset(&loop->sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &loop->sigmask, NULL) < 0)
		return -1;
	fd = signalfd(loop->sigfd, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (loop->sigfd < 0 && ev_io_add(loop, fd, EPOLLIN, signal_ready,
					 NULL) < 0) {
		close(fd);
		return -1;
	}
	loop->sigfd = fd;
	loop->sigs[signo].cb = cb;
	loop->sigs[signo].arg = arg;
	return 0;
}

/* --- the loop --------------------------------------------------------- */

void ev_set_prepare(struct ev_loop *loop, ev_prepare_cb cb, void *arg)
{
	loop->prepare = cb;
	loop->prepare_arg = arg;
}

static int wait_ms(struct ev_loop *loop, int timeout_ms)
{
	int ms = timeout_ms;

	if (loop->nheap > 0) {
		uint64_t when = loop->heap[0]->when;
		uint64_t d = when > loop->now ? when - loop->now : 0;
		/* round up: waking a little late beats spinning early */
		uint64_t t = (d + EV_NS_PER_MS - 1) / EV_NS_PER_MS;

		if (t > 86400000ULL)
			t = 86400000ULL;
		if (ms < 0 || (uint64_t)ms > t)
			ms = (int)t;
	}
	if (loop->prepare != NULL) {
		int p = loop->prepare(loop, loop->prepare_arg);

		if (p >= 0 && (ms < 0 || p < ms))
			ms = p;
	}
	return ms;
}

int ev_loop_once(struct ev_loop *loop, int timeout_ms)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	int n;

	ev_now_update(loop);
	n = epoll_wait(loop->epfd, evs, EV_MAX_EVENTS, wait_ms(loop, timeout_ms));
	if (n < 0 && errno != EINTR)
		return -1;
	ev_now_update(loop);
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;

		/* an earlier callback of this batch may have removed fd */
		if (ev_io_watched(loop, fd))
			loop->ios[fd].cb(loop, fd, evs[i].events,
					 loop->ios[fd].arg);
	}
	run_timers(loop);
	return 0;
}

int ev_loop_run(struct ev_loop *loop)
{
	loop->stop = false;
	while (!loop->stop)
		if (ev_loop_once(loop, -1) < 0)
			return -1;
	return 0;
}

void ev_loop_break(struct ev_loop *loop)
{
	loop->stop = true;
}
