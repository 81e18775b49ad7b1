// SPDX-License-Identifier: GPL-2.0
/*
 * TIMEOUT (relative, absolute, count), TIMEOUT_REMOVE, LINK_TIMEOUT in each
 * ordering of who finishes first, and ASYNC_CANCEL of a TIMEOUT; every case
 * against native io_uring.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/time_types.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define LINK	XURING_SQE_IO_LINK

/* q(_metadata, r, op, fd, addr, len, off, flags, ud): queue one SQE */
#define q(...) xt_queue_sqe(__VA_ARGS__)

static const struct __kernel_timespec ms50 = { .tv_nsec = 50000000 };
static const struct __kernel_timespec sec10 = { .tv_sec = 10 };

XT_SCENARIO(relative_fires)
{
	struct xt_ring r;
	long long t0;

	XT_RING(&r, kind, 4, NULL);
	t0 = xt_now_ms();
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 1);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "rel", 1, NULL);
	EXPECT_LE(40, xt_now_ms() - t0);
	xt_ring_exit(&r);
}

TEST(relative_fires)
{
	XT_DIFF(relative_fires);
}

/* An absolute time @ms from now on @clock. */
static struct __kernel_timespec abs_in(clockid_t clock, long ms)
{
	struct __kernel_timespec ts;
	struct timespec now;

	clock_gettime(clock, &now);
	ts.tv_sec = now.tv_sec + ms / 1000;
	ts.tv_nsec = now.tv_nsec + (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

XT_SCENARIO(absolute_fires)
{
	struct __kernel_timespec ts;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	long long t0;

	XT_RING(&r, kind, 4, NULL);
	ts = abs_in(CLOCK_MONOTONIC, 50);
	t0 = xt_now_ms();
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ts, 1, 0, 0, 1);
	ASSERT_NE(NULL, sqe);
	sqe->timeout_flags = XURING_TIMEOUT_ABS;
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "abs", 1, NULL);
	EXPECT_LE(40, xt_now_ms() - t0);
	xt_ring_exit(&r);
}

TEST(absolute_fires)
{
	XT_DIFF(absolute_fires);
}

/* off = 2: completes with 0 once two other CQEs are posted. */
XT_SCENARIO(count_reached)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 2, 0, 1);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.before");
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 10));
	xt_rec(log, xt_submit(&r), "submit.nop1");
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.one");
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 11));
	xt_rec(log, xt_submit(&r), "submit.nop2");
	xt_reap_rec(_metadata, &r, log, "count", 3, NULL);
	xt_ring_exit(&r);
}

TEST(count_reached)
{
	XT_DIFF(count_reached);
}

/* A fired TIMEOUT's CQE does not count towards another TIMEOUT. */
XT_SCENARIO(fired_timeouts_do_not_count)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 1, 0, 1);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 2);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "fired", 1, NULL);
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.after");
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 10));
	xt_rec(log, xt_submit(&r), "submit.nop");
	xt_reap_rec(_metadata, &r, log, "count", 2, NULL);
	xt_ring_exit(&r);
}

TEST(fired_timeouts_do_not_count)
{
	XT_DIFF(fired_timeouts_do_not_count);
}

XT_SCENARIO(timeout_remove)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 0, 0, 1);
	q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0, 0, 2);
	q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)77, 0, 0, 0, 3);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "remove", 3, NULL);
	xt_ring_exit(&r);
}

TEST(timeout_remove)
{
	XT_DIFF(timeout_remove);
}

XT_SCENARIO(async_cancel_timeout)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 0, 0, 1);
	q(_metadata, &r, XURING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 0, 0, 2);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "cancel", 2, NULL);
	xt_ring_exit(&r);
}

TEST(async_cancel_timeout)
{
	XT_DIFF(async_cancel_timeout);
}

XT_SCENARIO(bad_params)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;

	XT_RING(&r, kind, 16, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 2, 0, 0, 1);
	xt_rec(log, xt_submit(&r), "submit.len");
	xt_reap_rec(_metadata, &r, log, "len", 1, NULL);
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 2);
	ASSERT_NE(NULL, sqe);
	sqe->timeout_flags = 0x80;
	xt_rec(log, xt_submit(&r), "submit.flags");
	xt_reap_rec(_metadata, &r, log, "flags", 1, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, NULL, 1, 0, 0, 3);
	xt_rec(log, xt_submit(&r), "submit.null");
	xt_reap_rec(_metadata, &r, log, "null", 1, NULL);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, xt_unmapped_page(), 1, 0, 0, 4);
	xt_rec(log, xt_submit(&r), "submit.unmapped");
	xt_reap_rec(_metadata, &r, log, "unmapped", 1, NULL);
	/* a LINK_TIMEOUT that follows nothing */
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &ms50, 1, 0, 0, 5);
	xt_rec(log, xt_submit(&r), "submit.bare");
	xt_reap_rec(_metadata, &r, log, "bare", 1, NULL);
	/* nonzero off on a LINK_TIMEOUT */
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, LINK, 6);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &ms50, 1, 1, 0, 7);
	xt_rec(log, xt_submit(&r), "submit.off");
	xt_reap_rec(_metadata, &r, log, "off", 2, NULL);
	xt_ring_exit(&r);
}

TEST(bad_params)
{
	XT_DIFF(bad_params);
}

/* The request finishes first: the LINK_TIMEOUT completes -ECANCELED. */
XT_SCENARIO(link_timeout_beaten)
{
	struct xt_ring r;
	char buf[4];
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, LINK, 1);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &sec10, 1, 0, LINK, 2);
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, 0, 3);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "nop", 3, NULL);
	/* a request that waits, then is satisfied before the timer */
	q(_metadata, &r, XURING_OP_READ, p[0], buf, 2, -1, LINK, 4);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &sec10, 1, 0, 0, 5);
	xt_rec(log, xt_submit(&r), "submit.pipe");
	xt_sleep_ms(30);
	ASSERT_EQ(2, write(p[1], "ok", 2));
	xt_reap_rec(_metadata, &r, log, "pipe", 2, NULL);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(link_timeout_beaten)
{
	XT_DIFF(link_timeout_beaten);
}

/* The timer fires first: the request is canceled, the chain with it. */
XT_SCENARIO(link_timeout_fires)
{
	struct xt_ring r;
	char buf[4];
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	q(_metadata, &r, XURING_OP_READ, p[0], buf, 2, -1, LINK, 1);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &ms50, 1, 0, LINK, 2);
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, 0, 3);
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "fire", 3, NULL);
	/* the pipe is still there: the read was really canceled */
	ASSERT_EQ(1, write(p[1], "z", 1));
	EXPECT_EQ(1, read(p[0], buf, 1));
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(link_timeout_fires)
{
	XT_DIFF(link_timeout_fires);
}

/* The request is canceled first: both complete -ECANCELED. */
XT_SCENARIO(link_timeout_target_canceled)
{
	struct xt_ring r;
	char buf[4];
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	q(_metadata, &r, XURING_OP_READ, p[0], buf, 2, -1, LINK, 1);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &sec10, 1, 0, 0, 2);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(30);
	q(_metadata, &r, XURING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 0, 0, 3);
	xt_rec(log, xt_submit(&r), "submit.cancel");
	xt_reap_rec(_metadata, &r, log, "canceled", 3, NULL);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(link_timeout_target_canceled)
{
	XT_DIFF(link_timeout_target_canceled);
}

/* Closing a ring with timers armed cancels them; nothing fires later. */
TEST(close_with_timers)
{
	struct xt_ring r;
	char buf[4];
	int p[2];

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 1);
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 3, 0, 2);
	q(_metadata, &r, XURING_OP_READ, p[0], buf, 2, -1, LINK, 3);
	q(_metadata, &r, XURING_OP_LINK_TIMEOUT, -1, &ms50, 1, 0, 0, 4);
	EXPECT_EQ(4, xt_submit(&r));
	xt_ring_exit(&r);
	xt_sleep_ms(100);
	close(p[0]);
	close(p[1]);
}

/*
 * The clocks (BOOTTIME and REALTIME, 5.15; both at once is -EINVAL) and
 * ETIME_SUCCESS (6.0: expiry posts -ETIME but does not fail the chain).
 */
XT_SCENARIO(clocks_etime)
{
	struct __kernel_timespec rt = abs_in(CLOCK_REALTIME, 50);
	struct __kernel_timespec bt = abs_in(CLOCK_BOOTTIME, 50);
	struct xuring_sqe *sqe;
	struct xt_ring r;
	long long t0;

	XT_RING(&r, kind, 8, NULL);
	t0 = xt_now_ms();
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 1);
	sqe->timeout_flags = XURING_TIMEOUT_BOOTTIME;
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &rt, 1, 0, 0, 2);
	sqe->timeout_flags = XURING_TIMEOUT_REALTIME | XURING_TIMEOUT_ABS;
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &bt, 1, 0, 0, 3);
	sqe->timeout_flags = XURING_TIMEOUT_BOOTTIME | XURING_TIMEOUT_ABS;
	/* a bad SQE ends its submit: one at a time */
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 4);
	sqe->timeout_flags = XURING_TIMEOUT_CLOCK_MASK;
	xt_rec(log, xt_submit(&r), "submit");
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0, 0, 5);
	/* bit 6 is 6.4's MULTISHOT: one no kernel knows */
	sqe->timeout_flags = 1U << 30;
	xt_rec(log, xt_submit(&r), "submit-bad");
	xt_reap_rec(_metadata, &r, log, "clocks", 5, NULL);
	EXPECT_LE(40, xt_now_ms() - t0);

	/* expired with ETIME_SUCCESS: the NOP after it runs */
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0,
		XURING_SQE_IO_LINK, 6);
	sqe->timeout_flags = XURING_TIMEOUT_ETIME_SUCCESS;
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, 0, 7);
	/* without it, the NOP is canceled */
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &ms50, 1, 0,
	  XURING_SQE_IO_LINK, 8);
	q(_metadata, &r, XURING_OP_NOP, -1, NULL, 0, 0, 0, 9);
	xt_rec(log, xt_submit(&r), "submit-etime");
	xt_reap_rec(_metadata, &r, log, "etime", 4, NULL);
	xt_ring_exit(&r);
}

TEST(timeout_clocks_and_etime_success)
{
	XT_DIFF(clocks_etime);
}

/*
 * TIMEOUT_REMOVE with TIMEOUT_UPDATE (5.11): a 10 s TIMEOUT re-armed to
 * 50 ms fires then, with its clock; unknown targets, bad flags and bad
 * times fail as in 6.1.
 */
XT_SCENARIO(update)
{
	struct __kernel_timespec bad = { .tv_sec = -1 };
	struct __kernel_timespec bt = abs_in(CLOCK_BOOTTIME, 50);
	struct xuring_sqe *sqe;
	struct xt_ring r;
	long long t0;

	XT_RING(&r, kind, 8, NULL);
	t0 = xt_now_ms();
	q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 0, 0, 1);
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT, -1, &sec10, 1, 0, 0, 2);
	sqe->timeout_flags = XURING_TIMEOUT_BOOTTIME;
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0,
		0, 3);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE;
	sqe->addr2 = (uintptr_t)&ms50;
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)2, 0, 0,
		0, 4);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE | XURING_TIMEOUT_ABS;
	sqe->addr2 = (uintptr_t)&bt;
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)99, 0, 0,
		0, 5);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE;
	sqe->addr2 = (uintptr_t)&ms50;
	xt_rec(log, xt_submit(&r), "submit");
	xt_reap_rec(_metadata, &r, log, "update", 5, NULL);
	EXPECT_GT(5000, xt_now_ms() - t0);

	/* each refused SQE ends its submit: one at a time */
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0,
		0, 6);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE | XURING_TIMEOUT_BOOTTIME;
	sqe->addr2 = (uintptr_t)&ms50;
	xt_rec(log, xt_submit(&r), "submit-clock");
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0,
		0, 7);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE;
	sqe->addr2 = (uintptr_t)&bad;
	xt_rec(log, xt_submit(&r), "submit-bad");
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0,
		0, 8);
	sqe->timeout_flags = XURING_TIMEOUT_UPDATE;
	sqe->addr2 = (uintptr_t)xt_unmapped_page();
	xt_rec(log, xt_submit(&r), "submit-efault");
	sqe = q(_metadata, &r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)1, 0, 0,
		0, 9);
	sqe->timeout_flags = XURING_TIMEOUT_ABS;
	xt_rec(log, xt_submit(&r), "submit-abs-alone");
	xt_reap_rec(_metadata, &r, log, "refused", 4, NULL);
	xt_ring_exit(&r);
}

TEST(timeout_update)
{
	XT_DIFF(update);
}

TEST_HARNESS_MAIN
