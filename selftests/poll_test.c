// SPDX-License-Identifier: GPL-2.0
/*
 * poll/epoll/select on the ring fd: POLLIN exactly when CQEs are ready,
 * POLLOUT while the SQ has room, and wakeups from another thread.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

/*
 * Retry on EINTR: native io_uring may interrupt the poller with task_work
 * (TIF_NOTIFY_SIGNAL) without any signal; that is not what is tested here.
 */
static short revents(int fd, short events, int timeout_ms, int *ret)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	do {
		*ret = poll(&pfd, 1, timeout_ms);
	} while (*ret < 0 && errno == EINTR);
	return pfd.revents;
}

static int ep_wait(int ep, struct epoll_event *ev, int max, int timeout_ms)
{
	int n;

	do {
		n = epoll_wait(ep, ev, max, timeout_ms);
	} while (n < 0 && errno == EINTR);
	return n;
}

#define IN	(POLLIN | POLLRDNORM)
#define OUT	(POLLOUT | POLLWRNORM)

XT_SCENARIO(states)
{
	struct xt_ring r;
	short ev;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	/* empty CQ: writable (SQ has room), not readable */
	ev = revents(r.fd, IN | OUT, 0, &ret);
	EXPECT_EQ(1, ret);
	EXPECT_EQ(0, ev & IN);
	EXPECT_EQ(OUT, ev & OUT);
	xt_rec(log, ev, "empty");
	ev = revents(r.fd, POLLIN, 0, &ret);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "empty-in-only");

	/* a NOP completes: readable */
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	ASSERT_EQ(1, xt_submit(&r));
	ev = revents(r.fd, IN | OUT, 0, &ret);
	EXPECT_EQ(1, ret);
	EXPECT_EQ(IN, ev & IN);
	xt_rec(log, ev, "one-cqe");

	/* reaped: not readable again */
	*r.cq_head = *r.cq_tail;
	ev = revents(r.fd, IN | OUT, 0, &ret);
	EXPECT_EQ(0, ev & IN);
	xt_rec(log, ev, "reaped");
	xt_ring_exit(&r);
}

TEST(pollin_only_with_cqes)
{
	XT_DIFF(states);
}

XT_SCENARIO(sq_full)
{
	struct xt_ring r;
	short ev;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	/* a full SQ (tail published, nothing submitted): not writable */
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 0));
	xt_flush(&r);
	ev = revents(r.fd, IN | OUT, 0, &ret);
	EXPECT_EQ(0, ev & OUT);
	EXPECT_EQ(0, ev & IN);
	xt_rec(log, ev, "full");
	ASSERT_EQ(4, xt_enter(&r, 4, 0, 0));
	ev = revents(r.fd, IN | OUT, 0, &ret);
	EXPECT_EQ(OUT, ev & OUT);
	EXPECT_EQ(IN, ev & IN);
	xt_rec(log, ev, "submitted");
	xt_ring_exit(&r);
}

TEST(pollout_only_while_sq_has_room)
{
	XT_DIFF(sq_full);
}

XT_SCENARIO(epoll)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	struct xt_ring r;
	int ep, n;

	XT_RING(&r, kind, 4, NULL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ev.data.u64 = 0x1234;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev));
	n = ep_wait(ep, out, 2, 0);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "empty");
	ASSERT_EQ(0, xt_queue_nops(&r, 2, 0));
	ASSERT_EQ(2, xt_submit(&r));
	n = ep_wait(ep, out, 2, 1000);
	EXPECT_EQ(1, n);
	EXPECT_EQ(0x1234ULL, (unsigned long long)out[0].data.u64);
	EXPECT_TRUE(out[0].events & EPOLLIN);
	xt_rec(log, n, "ready");
	xt_rec(log, out[0].events & EPOLLIN, "events");
	*r.cq_head = *r.cq_tail;
	n = ep_wait(ep, out, 2, 0);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "reaped");
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, r.fd, NULL));
	close(ep);
	xt_ring_exit(&r);
}

TEST(epoll_on_ring_fd)
{
	XT_DIFF(epoll);
}

XT_SCENARIO(epoll_close)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct xt_ring r;
	int ep, n;

	/* the ring goes away while still in an epoll set */
	XT_RING(&r, kind, 4, NULL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev));
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	ASSERT_EQ(1, xt_submit(&r));
	xt_ring_exit(&r);
	n = ep_wait(ep, &out, 1, 0);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "after-close");
	close(ep);
}

TEST(epoll_set_outlives_ring)
{
	XT_DIFF(epoll_close);
}

XT_SCENARIO(wakeup)
{
	struct xt_delayed d = { 0 };
	struct xt_ring r;
	long long t0, dt;
	short ev;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	d.r = &r;
	d.delay_ms = 150;
	d.count = 1;
	t0 = xt_now_ms();
	ASSERT_EQ(0, xt_delayed_start(&d));
	ev = revents(r.fd, POLLIN, 5000, &ret);
	dt = xt_now_ms() - t0;
	EXPECT_EQ(1, xt_delayed_join(&d));
	EXPECT_EQ(1, ret);
	EXPECT_EQ(POLLIN, ev & POLLIN);
	EXPECT_GE(dt, 100);
	EXPECT_LT(dt, 4000) TH_LOG("%s: poll woke after %lld ms",
				   xt_kind_name(kind), dt);
	xt_rec(log, ret, "ret");
	xt_ring_exit(&r);
}

TEST(poll_woken_by_completion)
{
	XT_DIFF(wakeup);
}

XT_SCENARIO(epoll_wakeup)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out;
	struct xt_delayed d = { 0 };
	struct xt_ring r;
	int ep, n;

	XT_RING(&r, kind, 4, NULL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, r.fd, &ev));
	d.r = &r;
	d.delay_ms = 100;
	d.count = 1;
	ASSERT_EQ(0, xt_delayed_start(&d));
	n = ep_wait(ep, &out, 1, 5000);
	EXPECT_EQ(1, xt_delayed_join(&d));
	EXPECT_EQ(1, n) TH_LOG("%s: epoll_wait: %m", xt_kind_name(kind));
	xt_rec(log, n, "n");
	close(ep);
	xt_ring_exit(&r);
}

TEST(epoll_edge_woken_by_completion)
{
	XT_DIFF(epoll_wakeup);
}

XT_SCENARIO(overflow)
{
	struct xt_ring r;
	unsigned int b;
	short ev;
	int ret;

	/* CQ full and more in the backlog: readable */
	XT_RING(&r, kind, 4, NULL);
	for (b = 0; b < 3; b++) {
		ASSERT_EQ(0, xt_queue_nops(&r, 4, b * 4));
		ASSERT_EQ(4, xt_submit(&r));
	}
	ASSERT_TRUE(xt_sq_flags(&r) & XURING_SQ_CQ_OVERFLOW);
	ev = revents(r.fd, IN, 0, &ret);
	EXPECT_EQ(IN, ev & IN);
	xt_rec(log, ev & IN, "in");
	xt_ring_exit(&r);
}

TEST(pollin_while_overflowed)
{
	XT_DIFF(overflow);
}

XT_SCENARIO(select)
{
	struct timeval tv = { 0, 0 };
	struct xt_ring r;
	fd_set rd;
	int n;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_LT(r.fd, FD_SETSIZE);
	FD_ZERO(&rd);
	FD_SET(r.fd, &rd);
	n = select(r.fd + 1, &rd, NULL, NULL, &tv);
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0));
	ASSERT_EQ(1, xt_submit(&r));
	FD_ZERO(&rd);
	FD_SET(r.fd, &rd);
	tv.tv_sec = 1;
	do {
		n = select(r.fd + 1, &rd, NULL, NULL, &tv);
	} while (n < 0 && errno == EINTR);
	EXPECT_EQ(1, n);
	EXPECT_TRUE(FD_ISSET(r.fd, &rd));
	xt_rec(log, n, "n");
	xt_ring_exit(&r);
}

TEST(select_on_ring_fd)
{
	XT_DIFF(select);
}

TEST(poll_before_setup)
{
	short ev;
	int fd, ret;

	/* no ring yet: nothing to read, and no crash */
	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	ev = revents(fd, POLLIN | POLLOUT, 0, &ret);
	EXPECT_LE(0, ret);
	EXPECT_EQ(0, ev & POLLIN);
	close(fd);
}

TEST_HARNESS_MAIN
