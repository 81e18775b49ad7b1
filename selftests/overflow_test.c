// SPDX-License-Identifier: GPL-2.0
/*
 * CQ overflow with NODROP: completions beyond the CQ wait in the overflow
 * list, SQ_CQ_OVERFLOW is raised, the next enter flushes them in order, and
 * 5.10's submission refuses with -EBUSY while they cannot be flushed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "xtest.h"

static bool overflowed(const struct xt_ring *r)
{
	return xt_sq_flags(r) & XURING_SQ_CQ_OVERFLOW;
}

/* Reap everything ready; check the user_data sequence from *next. */
static unsigned int reap_in_order(struct __test_metadata *_metadata,
				  struct xt_ring *r, uint64_t *next)
{
	struct xuring_cqe cqe;
	unsigned int n = 0;

	while (!xt_peek_cqe(r, &cqe)) {
		EXPECT_EQ(*next, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		*next = cqe.user_data + 1;
		n++;
	}
	return n;
}

/* SQ 4, CQ 8: three batches of 4 NOPs leave 8 in the CQ and 4 overflowed. */
static void overflow_ring(struct __test_metadata *_metadata,
			  struct xt_ring *r, enum xt_kind kind,
			  struct xt_log *log)
{
	unsigned int b;
	int ret;

	XT_RING(r, kind, 4, NULL);
	ASSERT_EQ(8U, r->p.cq_entries);
	ASSERT_TRUE(r->p.features & XURING_FEAT_NODROP);
	for (b = 0; b < 3; b++) {
		ASSERT_EQ(0, xt_queue_nops(r, 4, b * 4));
		ret = xt_submit(r);
		EXPECT_EQ(4, ret) TH_LOG("%s: batch %u", xt_kind_name(kind), b);
		xt_rec(log, ret, "batch%u", b);
		xt_rec(log, xt_cq_ready(r), "ready%u", b);
		xt_rec(log, overflowed(r), "flag%u", b);
		if (b < 2)
			EXPECT_FALSE(overflowed(r));
	}
	EXPECT_EQ(8U, xt_cq_ready(r));
	EXPECT_TRUE(overflowed(r));
	/* nothing was dropped: the counter only counts lost CQEs */
	EXPECT_EQ(0U, *r->cq_overflow);
	xt_rec(log, *r->cq_overflow, "koverflow");
}

XT_SCENARIO(nodrop)
{
	struct xt_ring r;
	uint64_t next = 0;
	int ret;

	overflow_ring(_metadata, &r, kind, log);
	EXPECT_EQ(8U, reap_in_order(_metadata, &r, &next));
	/* reaping alone does not flush */
	EXPECT_TRUE(overflowed(&r));
	EXPECT_EQ(0U, xt_cq_ready(&r));
	xt_rec(log, overflowed(&r), "flag-after-reap");
	/* the next enter does */
	ret = xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "flush-ret");
	EXPECT_EQ(4U, xt_cq_ready(&r));
	EXPECT_FALSE(overflowed(&r));
	xt_rec(log, overflowed(&r), "flag-after-flush");
	EXPECT_EQ(4U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(12ULL, (unsigned long long)next);
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_rec(log, *r.cq_overflow, "koverflow-end");
	xt_rec(log, next, "reaped");
	/* and the ring goes on normally */
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 12));
	EXPECT_EQ(4, xt_submit_and_wait(&r, 4));
	EXPECT_EQ(4U, reap_in_order(_metadata, &r, &next));
	xt_ring_exit(&r);
}

TEST(nodrop_overflow_flushes_in_order)
{
	XT_DIFF(nodrop);
}

TEST(submit_while_overflowed_ebusy)
{
	struct xt_log *log = xt_log_new();
	struct xt_ring r;
	uint64_t next = 0;
	int ret;

	/*
	 * 5.10: io_submit_sqes() first tries to flush the backlog and fails
	 * with -EBUSY if it cannot. Native 6.x submits anyway (the check
	 * moved to the wait), so this is xuring's alone; native is logged.
	 */
	ASSERT_NE(NULL, log);
	if (xt_native_available()) {
		overflow_ring(_metadata, &r, XT_NATIVE, log);
		ASSERT_EQ(0, xt_queue_nops(&r, 4, 12));
		ret = xt_submit(&r);
		TH_LOG("native: submit while overflowed returns %d (%s)", ret,
		       ret < 0 ? strerror(-ret) : "submitted");
		xt_ring_exit(&r);
	}

	XT_NEED_XURING();
	overflow_ring(_metadata, &r, XT_XURING, log);
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 12));
	xt_flush(&r);
	EXPECT_EQ(-EBUSY, xt_enter(&r, 4, 0, 0));
	EXPECT_EQ(-EBUSY, xt_enter(&r, 1, 0, XURING_ENTER_GETEVENTS));
	/* nothing consumed, the CQ and the flag unchanged */
	EXPECT_EQ(12U, *r.sq_head);
	EXPECT_EQ(8U, xt_cq_ready(&r));
	EXPECT_TRUE(overflowed(&r));
	/* entering without submitting is fine */
	EXPECT_EQ(0, xt_enter(&r, 0, 0, 0));
	/* reap two: the flush can only move two, so still -EBUSY */
	EXPECT_EQ(0, xt_peek_cqe(&r, &(struct xuring_cqe){}));
	EXPECT_EQ(0, xt_peek_cqe(&r, &(struct xuring_cqe){}));
	next = 2;
	EXPECT_EQ(-EBUSY, xt_enter(&r, 4, 0, 0));
	EXPECT_EQ(8U, xt_cq_ready(&r));
	EXPECT_TRUE(overflowed(&r));
	/* reap the rest: the flush succeeds and submission works again */
	EXPECT_EQ(8U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(4, xt_enter(&r, 4, 0, 0));
	EXPECT_FALSE(overflowed(&r));
	EXPECT_EQ(16U, *r.sq_head);
	EXPECT_EQ(6U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(16ULL, (unsigned long long)next);
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_ring_exit(&r);
	xt_log_free(log);
}

XT_SCENARIO(partial_flush)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	uint64_t next = 2;

	overflow_ring(_metadata, &r, kind, log);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	/* room for two: two move, two stay */
	EXPECT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS));
	EXPECT_EQ(8U, xt_cq_ready(&r));
	EXPECT_TRUE(overflowed(&r));
	xt_rec(log, xt_cq_ready(&r), "ready-partial");
	xt_rec(log, overflowed(&r), "flag-partial");
	EXPECT_EQ(8U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS));
	EXPECT_FALSE(overflowed(&r));
	xt_rec(log, overflowed(&r), "flag-end");
	EXPECT_EQ(2U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(12ULL, (unsigned long long)next);
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_ring_exit(&r);
}

TEST(partial_flush_keeps_flag)
{
	XT_DIFF(partial_flush);
}

XT_SCENARIO(wait_flushes)
{
	struct xt_ring r;
	uint64_t next = 0;
	int ret;

	overflow_ring(_metadata, &r, kind, log);
	EXPECT_EQ(8U, reap_in_order(_metadata, &r, &next));
	/* waiting for 4 must not sleep: the 4 are in the backlog */
	ret = xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "wait-ret");
	EXPECT_EQ(4U, xt_cq_ready(&r));
	EXPECT_FALSE(overflowed(&r));
	EXPECT_EQ(4U, reap_in_order(_metadata, &r, &next));
	xt_ring_exit(&r);
}

TEST(getevents_wait_flushes_backlog)
{
	XT_DIFF(wait_flushes);
}

XT_SCENARIO(equal_sizes)
{
	struct xuring_params p;
	struct xt_ring r;
	uint64_t next = 0;
	unsigned int got = 0, rounds = 0;

	/* CQ as small as the SQ: one full batch overflows entirely */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 8;
	XT_RING(&r, kind, 8, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 8, 0));
	EXPECT_EQ(8, xt_submit(&r));
	EXPECT_FALSE(overflowed(&r));
	ASSERT_EQ(0, xt_queue_nops(&r, 8, 8));
	EXPECT_EQ(8, xt_submit(&r));
	EXPECT_TRUE(overflowed(&r));
	EXPECT_EQ(8U, xt_cq_ready(&r));
	while (got < 16 && rounds++ < 4) {
		got += reap_in_order(_metadata, &r, &next);
		EXPECT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS));
	}
	EXPECT_EQ(16U, got);
	EXPECT_FALSE(overflowed(&r));
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_rec(log, got, "got");
	xt_rec(log, rounds, "rounds");
	xt_ring_exit(&r);
}

TEST(overflow_with_cq_as_small_as_sq)
{
	XT_DIFF(equal_sizes);
}

XT_SCENARIO(results_kept)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	char buf[100], path[64];
	int fd, res[4] = { 1, 1, 1, 1 };
	unsigned int i;

	/* overflowed CQEs keep their res and flags */
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	memset(buf, 'q', sizeof(buf));
	ASSERT_EQ(100, write(fd, buf, 100));
	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, xt_queue_nops(&r, 4, i * 4));
		ASSERT_EQ(4, xt_submit(&r));
	}
	/* only requests that fail at issue: 5.10 ends a batch at init errors */
	sqe = xt_get_sqe(&r);
	xt_prep(sqe, XURING_OP_READ, fd, buf, 100, 0, 8);
	sqe = xt_get_sqe(&r);
	xt_prep(sqe, XURING_OP_READ, fd, xt_unmapped_page(), 100, 0, 9);
	sqe = xt_get_sqe(&r);
	xt_prep(sqe, XURING_OP_READ, fd, buf, 100, 50, 10);
	sqe = xt_get_sqe(&r);
	xt_prep(sqe, XURING_OP_READ, fd, buf, 100, 1000, 11);
	EXPECT_EQ(4, xt_submit(&r));
	/* native may complete tmpfs reads from a worker: give it time */
	for (i = 0; i < 200 && !overflowed(&r); i++)
		xt_sleep_ms(10);
	EXPECT_TRUE(overflowed(&r));
	*r.cq_head += 8;
	EXPECT_EQ(0, xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		EXPECT_EQ(0U, cqe.flags);
		if (cqe.user_data >= 8 && cqe.user_data < 12)
			res[cqe.user_data - 8] = cqe.res;
		switch (cqe.user_data) {
		case 8:
			EXPECT_EQ(100, cqe.res);
			break;
		case 9:
			EXPECT_EQ(-EFAULT, cqe.res);
			break;
		case 10:
			EXPECT_EQ(50, cqe.res);
			break;
		case 11:
			EXPECT_EQ(0, cqe.res);
			break;
		default:
			EXPECT_TRUE(0) TH_LOG("unexpected user_data %llu",
					      (unsigned long long)cqe.user_data);
		}
	}
	for (i = 0; i < 4; i++)
		xt_rec(log, res[i], "ud%u.res", 8 + i);
	EXPECT_FALSE(overflowed(&r));
	close(fd);
	xt_ring_exit(&r);
}

TEST(overflowed_cqes_keep_results)
{
	XT_DIFF(results_kept);
}

TEST(close_while_overflowed)
{
	struct xt_log *log = xt_log_new();
	struct xt_ring r;
	unsigned int i;

	/* the backlog is freed with the ring (kmemleak checks the rest) */
	XT_NEED_XURING();
	ASSERT_NE(NULL, log);
	for (i = 0; i < 20; i++) {
		overflow_ring(_metadata, &r, XT_XURING, log);
		xt_ring_exit(&r);
	}
	xt_log_free(log);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * In a child: the CQ is full and CQEs wait in the backlog, but the user
 * wrote cq.tail back to cq.head, so the ring looks empty. A wait for one
 * CQE cannot flush and has nothing to reap: as in 5.10, it sleeps, and a
 * signal ends it. Exits 0 on -EINTR, 1 on anything else.
 */
static void scribbled_wait_child(struct xt_ring *r)
{
	struct sigaction sa;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	__atomic_store_n(r->cq_tail, *r->cq_head, __ATOMIC_RELEASE);
	alarm(1);
	ret = xt_enter(r, 0, 1, XURING_ENTER_GETEVENTS);
	_exit(ret == -EINTR ? 0 : 1);
}

/* Wait up to @ms for @pid; true when it was reaped into *status. */
static bool wait_child_ms(pid_t pid, int *status, int ms)
{
	long long end = xt_now_ms() + ms;

	do {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		xt_sleep_ms(10);
	} while (xt_now_ms() < end);
	return false;
}

TEST(wait_with_scribbled_tail_sleeps)
{
	struct xt_log *log = xt_log_new();
	struct xt_ring r;
	unsigned int tail;
	uint64_t next = 0;
	int status;
	pid_t pid;

	/*
	 * xuring's alone: native 6.1 returns -EBUSY when the backlog cannot
	 * be flushed (5.11 on), and a native kernel that retried the flush
	 * without a look at signals would keep the suite here.
	 */
	ASSERT_NE(NULL, log);
	XT_NEED_XURING();
	overflow_ring(_metadata, &r, XT_XURING, log);
	tail = *r.cq_tail;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		scribbled_wait_child(&r);
	if (!wait_child_ms(pid, &status, 10000)) {
		/* it spins in the kernel: SIGKILL does not end that either */
		kill(pid, SIGKILL);
		EXPECT_TRUE(wait_child_ms(pid, &status, 5000))
			TH_LOG("the waiter ignores SIGKILL");
		ASSERT_TRUE(0) TH_LOG("the wait did not end at the signal");
	}
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("the wait did not fail with -EINTR");

	/* the true tail back: the ring is whole */
	*r.cq_tail = tail;
	EXPECT_EQ(8U, reap_in_order(_metadata, &r, &next));
	EXPECT_EQ(0, xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS));
	EXPECT_EQ(4U, reap_in_order(_metadata, &r, &next));
	EXPECT_FALSE(overflowed(&r));
	xt_ring_exit(&r);
	xt_log_free(log);
}

TEST_HARNESS_MAIN
