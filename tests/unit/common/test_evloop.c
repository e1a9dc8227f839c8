/*
 * test_evloop.c — timers fire in order and can be stopped, descriptors
 * and signals reach their callbacks, the prepare hook bounds the wait.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evloop.h"

#define NT 1000

static size_t order[NT], fired;

static void on_timer(struct ev_loop *loop, void *arg)
{
	(void)loop;
	order[fired++] = (size_t)(uintptr_t)arg;
}

/* Many timers armed in scrambled order fire in time order; stopped ones
 * never fire; the heap survives removal from the middle. */
static void test_timer_order(void **state)
{
	static struct ev_timer t[NT];
	struct ev_loop *loop = ev_loop_new();
	uint64_t base = ev_monotonic_ns();
	size_t stopped = 0;

	(void)state;
	fired = 0;
	for (size_t i = 0; i < NT; i++) {
		size_t k = (i * 7919) % NT;	/* a permutation of 0..NT-1 */

		ev_timer_init(&t[k], on_timer, (void *)(uintptr_t)k);
		ev_timer_start(loop, &t[k], base + k * 1000);
	}
	for (size_t k = 0; k < NT; k += 3) {
		ev_timer_stop(loop, &t[k]);
		stopped++;
	}
	assert_int_equal(ev_timer_count(loop), NT - stopped);
	while (ev_timer_count(loop) > 0)
		assert_int_equal(ev_loop_once(loop, 100), 0);
	assert_int_equal(fired, NT - stopped);
	for (size_t i = 1; i < fired; i++)
		assert_true(order[i - 1] < order[i]);
	for (size_t i = 0; i < fired; i++)
		assert_true(order[i] % 3 != 0);
	ev_loop_free(loop);
}

static unsigned rearmed;

static void on_rearm(struct ev_loop *loop, void *arg)
{
	rearmed++;
	ev_timer_start(loop, arg, ev_now(loop));
}

/* A callback that re-arms itself for "now" runs once per pass, not in a
 * loop that would starve every descriptor. */
static void test_rearm_now_waits_a_pass(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct ev_timer t;

	(void)state;
	ev_timer_init(&t, on_rearm, &t);
	ev_timer_start(loop, &t, ev_monotonic_ns());
	rearmed = 0;
	assert_int_equal(ev_loop_once(loop, 100), 0);
	assert_int_equal(rearmed, 1);
	assert_int_equal(ev_loop_once(loop, 100), 0);
	assert_int_equal(rearmed, 2);
	ev_timer_stop(loop, &t);
	ev_loop_free(loop);
}

static void on_readable(struct ev_loop *loop, int fd, uint32_t ev, void *arg)
{
	char c;

	assert_true(ev & EPOLLIN);
	assert_int_equal(read(fd, &c, 1), 1);
	*(char *)arg = c;
	ev_loop_break(loop);
}

static void test_io(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	int p[2];
	char got = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(ev_io_add(loop, p[0], EPOLLIN, on_readable, &got), 0);
	assert_true(ev_io_watched(loop, p[0]));
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(ev_loop_run(loop), 0);
	assert_int_equal(got, 'x');
	ev_io_del(loop, p[0]);
	assert_false(ev_io_watched(loop, p[0]));
	assert_int_equal(ev_io_add(loop, p[0], EPOLLIN, on_readable, &got), 0);
	ev_io_forget(loop, p[0]);
	assert_false(ev_io_watched(loop, p[0]));
	close(p[0]);
	close(p[1]);
	ev_loop_free(loop);
}

static void on_signal(struct ev_loop *loop, int signo, void *arg)
{
	*(int *)arg = signo;
	ev_loop_break(loop);
}

static void test_signal(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	int got = 0;

	(void)state;
	assert_int_equal(ev_signal_add(loop, SIGUSR1, on_signal, &got), 0);
	kill(getpid(), SIGUSR1);
	assert_int_equal(ev_loop_run(loop), 0);
	assert_int_equal(got, SIGUSR1);
	ev_loop_free(loop);
}

static int prepared;

static int prepare(struct ev_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	prepared++;
	return 5;	/* ms */
}

static void test_prepare_bounds_wait(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t t0 = ev_monotonic_ns();

	(void)state;
	ev_set_prepare(loop, prepare, NULL);
	assert_int_equal(ev_loop_once(loop, 10000), 0);
	assert_int_equal(prepared, 1);
	/* generous: the point is that it did not wait 10 s */
	assert_true(ev_monotonic_ns() - t0 < 5 * EV_NS_PER_SEC);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_rearm_now_waits_a_pass),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_prepare_bounds_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
