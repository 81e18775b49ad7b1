// SPDX-License-Identifier: GPL-2.0
/*
 * Rings across fork: a child submitting on or waiting for the parent's
 * ring, setting up the parent's unset file, outliving the parent's fd,
 * exiting with work left or while waiting.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

/* Wait for pid; returns its exit code, or 128 + signal. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* The parent's view after someone else moved the SQ tail. */
static void resync(struct xt_ring *r)
{
	r->sqe_tail = __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE);
}

XT_SCENARIO(child_submits)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	pid_t pid;
	int rc;

	XT_RING(&r, kind, 4, NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(10);
		if (xt_queue_nops(&r, 2, 0xc0ffee))
			_exit(2);
		_exit(xt_submit(&r) == 2 ? 0 : 1);
	}
	rc = reap(pid);
	EXPECT_EQ(0, rc);
	xt_rec(log, rc, "child");
	resync(&r);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(0xc0ffeeULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(0xc0ffefULL, (unsigned long long)cqe.user_data);
	/* the parent's ring carries on */
	ASSERT_EQ(0, xt_queue_nops(&r, 3, 10));
	EXPECT_EQ(3, xt_submit_and_wait(&r, 3));
	EXPECT_EQ(3U, xt_cq_ready(&r));
	xt_rec(log, xt_cq_ready(&r), "ready");
	xt_ring_exit(&r);
}

TEST(child_submits_on_parent_ring)
{
	XT_DIFF(child_submits);
}

XT_SCENARIO(child_waits)
{
	struct xt_ring r;
	pid_t pid;
	int rc;

	XT_RING(&r, kind, 4, NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(10);
		rc = xt_enter(&r, 0, 2, XURING_ENTER_GETEVENTS);
		_exit(rc == 0 && xt_cq_ready(&r) >= 2 ? 0 : 1);
	}
	xt_sleep_ms(150);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	EXPECT_EQ(1, xt_submit(&r));
	xt_sleep_ms(50);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 2));
	EXPECT_EQ(1, xt_submit(&r));
	rc = reap(pid);
	EXPECT_EQ(0, rc) TH_LOG("%s: child %d", xt_kind_name(kind), rc);
	xt_rec(log, rc, "child");
	xt_ring_exit(&r);
}

TEST(child_woken_by_parent_completions)
{
	XT_DIFF(child_waits);
}

TEST(child_sets_up_parent_file)
{
	struct xuring_params *shared;
	struct xuring_cqe cqe;
	struct xuring_params p;
	struct xt_ring r;
	int fd, rc;
	pid_t pid;

	/* the ring lives on the file, whoever calls SETUP on it */
	XT_NEED_XURING();
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, shared);
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct xt_ring cr;

		alarm(10);
		memset(shared, 0, sizeof(*shared));
		shared->sq_entries = 4;
		if (ioctl(fd, XURING_IOC_SETUP, shared))
			_exit(1);
		if (xt_ring_map(&cr, XT_XURING, fd, shared))
			_exit(2);
		if (xt_queue_nops(&cr, 1, 0x11))
			_exit(3);
		_exit(xt_submit(&cr) == 1 ? 0 : 4);
	}
	rc = reap(pid);
	ASSERT_EQ(0, rc);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 8;
	EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, xt_ring_map(&r, XT_XURING, fd, shared));
	EXPECT_EQ(4U, *r.sq_entries);
	resync(&r);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(0x11ULL, (unsigned long long)cqe.user_data);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0x22));
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(0x22ULL, (unsigned long long)cqe.user_data);
	xt_ring_exit(&r);
}

XT_SCENARIO(parent_closes)
{
	struct xt_ring r;
	pid_t pid;
	int rc;

	XT_RING(&r, kind, 4, NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct xuring_cqe cqe;
		unsigned int i;

		alarm(10);
		xt_sleep_ms(100);	/* the parent is gone from the ring */
		for (i = 0; i < 10; i++) {
			if (xt_queue_nops(&r, 1, i))
				_exit(1);
			if (xt_submit_one(&r, &cqe) || cqe.user_data != i)
				_exit(2);
		}
		xt_ring_exit(&r);
		_exit(0);
	}
	xt_ring_exit(&r);
	rc = reap(pid);
	EXPECT_EQ(0, rc);
	xt_rec(log, rc, "child");
}

TEST(child_outlives_parent_fd)
{
	XT_DIFF(parent_closes);
}

XT_SCENARIO(child_leaves_work)
{
	unsigned int i;
	pid_t pid;
	int rc;

	/* children exit with full, overflowed, unreaped rings */
	for (i = 0; i < 4; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct xt_ring r;
			unsigned int b;

			alarm(10);
			if (xt_ring_init(&r, kind, 4, NULL))
				_exit(1);
			for (b = 0; b < 3; b++) {
				if (xt_queue_nops(&r, 4, b * 4) ||
				    xt_submit(&r) != 4)
					_exit(2);
			}
			/* and a last batch left queued, never submitted */
			xt_queue_nops(&r, 4, 100);
			xt_flush(&r);
			_exit(i & 1 ? 0 : (kill(getpid(), SIGKILL), 3));
		}
		rc = reap(pid);
		EXPECT_EQ(i & 1 ? 0 : 128 + SIGKILL, rc);
		xt_rec(log, rc, "child%u", i);
	}
}

TEST(child_exits_with_overflowed_ring)
{
	XT_DIFF(child_leaves_work);
}

XT_SCENARIO(killed_waiter)
{
	struct xt_ring r;
	pid_t pid;
	int rc;

	XT_RING(&r, kind, 4, NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(10);
		xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS);
		_exit(1);
	}
	xt_sleep_ms(150);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	rc = reap(pid);
	EXPECT_EQ(128 + SIGKILL, rc);
	xt_rec(log, rc, "child");
	/* nobody waits any more; the ring works */
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 0));
	EXPECT_EQ(4, xt_submit_and_wait(&r, 4));
	xt_ring_exit(&r);
}

TEST(waiter_killed_mid_wait)
{
	XT_DIFF(killed_waiter);
}

XT_SCENARIO(many_children)
{
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int i, bad = 0;
	pid_t pid;

	XT_RING(&r, kind, 8, NULL);
	for (i = 0; i < 16; i++) {
		resync(&r);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			alarm(10);
			if (xt_queue_nops(&r, 1, 1000 + i))
				_exit(1);
			_exit(xt_submit(&r) == 1 ? 0 : 2);
		}
		bad += reap(pid) != 0;
		if (xt_wait_cqe(&r, &cqe) || cqe.user_data != 1000 + i)
			bad++;
	}
	EXPECT_EQ(0U, bad);
	xt_rec(log, bad, "bad");
	xt_ring_exit(&r);
}

TEST(many_children_take_turns)
{
	XT_DIFF(many_children);
}

TEST_HARNESS_MAIN
