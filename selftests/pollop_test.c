// SPDX-License-Identifier: GPL-2.0
/*
 * POLL_ADD and POLL_REMOVE: one-shot polls on pipes, sockets, eventfd and
 * the ring's own fd, 32-bit events, cancellation; against native io_uring.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

static struct xuring_sqe *poll_sqe(struct __test_metadata *_metadata,
				   struct xt_ring *r, int fd, uint32_t events,
				   uint64_t ud)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	EXPECT_NE(NULL, sqe);
	if (!sqe)
		return NULL;
	xt_prep(sqe, XURING_OP_POLL_ADD, fd, NULL, 0, 0, ud);
	sqe->poll32_events = events;
	return sqe;
}

static void rec_cqe(struct __test_metadata *_metadata, struct xt_ring *r,
		    struct xt_log *log, const char *tag, uint64_t ud)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_wait_cqe(r, &cqe));
	EXPECT_EQ(ud, cqe.user_data);
	xt_rec(log, cqe.res, "%s.res", tag);
	xt_rec(log, cqe.flags, "%s.flags", tag);
}

XT_SCENARIO(pipe_in)
{
	struct xt_ring r;
	char c;
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	poll_sqe(_metadata, &r, p[0], POLLIN, 1);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(30);
	xt_rec(log, xt_cq_ready(&r), "ready.early");
	ASSERT_EQ(1, write(p[1], "x", 1));
	rec_cqe(_metadata, &r, log, "in", 1);
	/* ready already: completes in the submit */
	poll_sqe(_metadata, &r, p[0], POLLIN | POLLOUT, 2);
	xt_rec(log, xt_submit(&r), "submit.ready");
	rec_cqe(_metadata, &r, log, "ready", 2);
	ASSERT_EQ(1, read(p[0], &c, 1));
	/* the write end is writable */
	poll_sqe(_metadata, &r, p[1], POLLOUT, 3);
	xt_rec(log, xt_submit(&r), "submit.out");
	rec_cqe(_metadata, &r, log, "out", 3);
	/* the peer goes away: POLLHUP, asked for or not */
	poll_sqe(_metadata, &r, p[0], POLLIN, 4);
	xt_rec(log, xt_submit(&r), "submit.hup");
	close(p[1]);
	rec_cqe(_metadata, &r, log, "hup", 4);
	close(p[0]);
	xt_ring_exit(&r);
}

TEST(pipe_in)
{
	XT_DIFF(pipe_in);
}

XT_SCENARIO(socket_and_eventfd)
{
	struct xt_ring r;
	uint64_t one = 1;
	int sv[2], efd;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	efd = eventfd(0, 0);
	ASSERT_LE(0, efd);
	poll_sqe(_metadata, &r, sv[0], POLLIN, 1);
	poll_sqe(_metadata, &r, efd, POLLIN, 2);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.early");
	ASSERT_EQ(3, write(sv[1], "abc", 3));
	ASSERT_EQ(8, write(efd, &one, 8));
	xt_reap_rec(_metadata, &r, log, "both", 2, NULL);
	/* shutdown of the peer: POLLRDHUP is reported too */
	poll_sqe(_metadata, &r, sv[1], POLLIN | POLLRDHUP, 3);
	xt_rec(log, xt_submit(&r), "submit.rdhup");
	ASSERT_EQ(0, shutdown(sv[0], SHUT_WR));
	rec_cqe(_metadata, &r, log, "rdhup", 3);
	close(sv[0]);
	close(sv[1]);
	close(efd);
	xt_ring_exit(&r);
}

TEST(socket_and_eventfd)
{
	XT_DIFF(socket_and_eventfd);
}

/* POLL_ADD on the ring itself fires when a CQE is posted. */
XT_SCENARIO(ring_fd)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	poll_sqe(_metadata, &r, r.fd, POLLIN, 1);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.early");
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 2));
	xt_rec(log, xt_submit(&r), "submit.nop");
	xt_reap_rec(_metadata, &r, log, "ring", 2, NULL);
	xt_ring_exit(&r);
}

TEST(ring_fd)
{
	XT_DIFF(ring_fd);
}

/*
 * POLL_ADD of a signalfd, the signal sent after the poll is armed: a
 * signalfd answers for the task that asks, so the wakeup's re-check runs
 * in the submitter (5.10's task_work), not in a worker.
 */
XT_SCENARIO(signalfd_after_arm)
{
	struct signalfd_siginfo si;
	struct xuring_cqe cqe;
	sigset_t set, old;
	struct xt_ring r;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &set, &old));
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	ASSERT_LE(0, sfd);
	XT_RING(&r, kind, 8, NULL);
	poll_sqe(_metadata, &r, sfd, POLLIN, 1);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	xt_rec(log, xt_cq_ready(&r), "ready.early");
	ASSERT_EQ(0, kill(getpid(), SIGUSR1));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, 2000))
		TH_LOG("%s: the POLL_ADD never completed", xt_kind_name(kind));
	xt_rec(log, cqe.res, "res");
	EXPECT_EQ(sizeof(si), read(sfd, &si, sizeof(si)));
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	xt_ring_exit(&r);
}

TEST(signalfd_after_arm)
{
	XT_DIFF(signalfd_after_arm);
}

XT_SCENARIO(remove_and_cancel)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	poll_sqe(_metadata, &r, p[0], POLLIN, 1);
	poll_sqe(_metadata, &r, p[0], POLLIN, 2);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_POLL_REMOVE, -1, (void *)1, 0, 0, 3);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_ASYNC_CANCEL, -1, (void *)2, 0, 0, 4);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_POLL_REMOVE, -1, (void *)99, 0, 0, 5);
	xt_rec(log, xt_submit(&r), "submit.remove");
	xt_reap_rec(_metadata, &r, log, "remove", 5, NULL);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(remove_and_cancel)
{
	XT_DIFF(remove_and_cancel);
}

XT_SCENARIO(bad_fields)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	sqe = poll_sqe(_metadata, &r, p[1], POLLOUT, 1);
	ASSERT_NE(NULL, sqe);
	sqe->addr = 0x1000;
	xt_rec(log, xt_submit(&r), "submit.addr");
	rec_cqe(_metadata, &r, log, "addr", 1);
	sqe = poll_sqe(_metadata, &r, 9999, POLLIN, 2);
	xt_rec(log, xt_submit(&r), "submit.badfd");
	rec_cqe(_metadata, &r, log, "badfd", 2);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_POLL_REMOVE, -1, (void *)1, 0, 0, 3);
	sqe->off = 1;
	xt_rec(log, xt_submit(&r), "submit.remove_off");
	rec_cqe(_metadata, &r, log, "remove_off", 3);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(bad_fields)
{
	XT_DIFF(bad_fields);
}

/* Many polls on one pipe: one write wakes them all. */
XT_SCENARIO(many_waiters)
{
	struct xt_ring r;
	int p[2], i;

	XT_RING(&r, kind, 16, NULL);
	ASSERT_EQ(0, pipe(p));
	for (i = 0; i < 8; i++)
		poll_sqe(_metadata, &r, p[0], POLLIN, 10 + i);
	xt_rec(log, xt_submit(&r), "submit");
	xt_sleep_ms(20);
	ASSERT_EQ(1, write(p[1], "x", 1));
	xt_reap_rec(_metadata, &r, log, "many", 8, NULL);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(many_waiters)
{
	XT_DIFF(many_waiters);
}

TEST_HARNESS_MAIN
