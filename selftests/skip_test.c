// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_SQE_CQE_SKIP_SUCCESS (5.17, XURING_FEAT_CQE_SKIP): no CQE for a
 * request that succeeds. One that fails posts, and then its chain posts
 * nothing; a chain failed by a head without the flag posts for every
 * member, flag or not. A LINK_TIMEOUT with it never posts its -ETIME or
 * -ECANCELED. Skipped CQEs do not count for a TIMEOUT's count, and once
 * the flag has been seen, IO_DRAIN is refused with -EOPNOTSUPP. Every case
 * is run on native io_uring too, and the CQEs that come (all of them,
 * waited for until the ring is quiet) must be the same.
 *
 * Not compared: a failing STATX, FSYNC, FALLOCATE or SYNC_FILE_RANGE.
 * 6.1 does not count their errors as failures (no req_set_fail()),
 * so with the flag it posts nothing for them and runs their chain on;
 * xuring, as 5.10 did, fails them and their chain, and posts the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/time_types.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define SKIP_OK	XURING_SQE_CQE_SKIP_SUCCESS
#define LINK	XURING_SQE_IO_LINK
#define HARD	XURING_SQE_IO_HARDLINK
#define DRAIN	XURING_SQE_IO_DRAIN

/* the ring is quiet when no CQE came for this long */
#define QUIET_MS	250

#define PREP(r, op, fd, addr, len, off, ud, flags) \
	XT_PREP(r, op, fd, addr, len, off, ud, flags)

/*
 * Submit what is queued, then take every CQE that comes until the ring has
 * been quiet for QUIET_MS; record how many came, and each one by user_data.
 */
static void settle(struct __test_metadata *_metadata, struct xt_ring *r,
		   struct xt_log *log, const char *tag, unsigned int nr_sqes)
{
	struct xuring_cqe cqes[32];
	unsigned int n = 0, i;

	ASSERT_EQ((int)nr_sqes, xt_submit(r)) TH_LOG("%s", tag);
	while (n < 32 && !xt_wait_cqe_ms(r, &cqes[n], QUIET_MS))
		n++;
	xt_rec(log, n, "%s.cqes", tag);
	qsort(cqes, n, sizeof(*cqes), xt_cqe_cmp);
	for (i = 0; i < n; i++)
		xt_rec(log, cqes[i].res, "%s.%llu", tag,
		       (unsigned long long)cqes[i].user_data);
}

XT_SCENARIO(plain)
{
	struct xt_ring r;
	char buf[8];

	XT_RING(&r, kind, 16, NULL);
	EXPECT_TRUE(r.p.features & XURING_FEAT_CQE_SKIP);
	xt_rec(log, !!(r.p.features & XURING_FEAT_CQE_SKIP), "feature");

	/* successes are skipped, the plain one posts */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 1, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 2, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, 0);
	settle(_metadata, &r, log, "nops", 3);

	/* an error is posted */
	PREP(&r, XURING_OP_READ, 999, buf, 8, 0, 4, SKIP_OK);
	settle(_metadata, &r, log, "ebadf", 1);

	/* an SQE that fails to initialise is posted (and ends the submit) */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 5, SKIP_OK | 0x80);
	settle(_metadata, &r, log, "bad-flags", 1);
	xt_ring_exit(&r);
}

TEST(skip_success_only)
{
	XT_DIFF(plain);
}

XT_SCENARIO(chains)
{
	struct xt_ring r;
	char buf[8];

	XT_RING(&r, kind, 16, NULL);
	/* a chain of skipped successes: only the last, plain, posts */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 1, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 2, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, 0);
	settle(_metadata, &r, log, "ok", 3);

	/* a skipping head fails: its CQE, none for the canceled rest */
	PREP(&r, XURING_OP_READ, 999, buf, 8, 0, 4, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 5, LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 6, 0);
	settle(_metadata, &r, log, "skip-head", 3);

	/* a plain head fails: every member posts, skipping or not */
	PREP(&r, XURING_OP_READ, 999, buf, 8, 0, 7, LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 8, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 9, SKIP_OK);
	settle(_metadata, &r, log, "plain-head", 3);

	/* in the middle: what came before succeeded quietly */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 10, SKIP_OK | LINK);
	PREP(&r, XURING_OP_READ, 999, buf, 8, 0, 11, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 12, LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 13, 0);
	settle(_metadata, &r, log, "middle", 4);

	/* a hard link goes on after the failure */
	PREP(&r, XURING_OP_READ, 999, buf, 8, 0, 14, SKIP_OK | HARD);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 15, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 16, 0);
	settle(_metadata, &r, log, "hard", 3);

	/*
	 * A bad SQE ends a chain with a skipping head: the head's -ECANCELED
	 * says it, the bad SQE's own -EINVAL is not posted (6.1 does so)
	 */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 17, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 18, 0x80);
	settle(_metadata, &r, log, "bad-sqe", 2);

	/* a bad SQE that heads a chain and skips: its chain is quiet */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 20, SKIP_OK | LINK | 0x80);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 21, 0);
	settle(_metadata, &r, log, "bad-head", 2);
	xt_ring_exit(&r);
}

TEST(skip_in_chains)
{
	XT_DIFF(chains);
}

XT_SCENARIO(short_read)
{
	char path[64], buf[64];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int fd, p[2], q[2];

	XT_RING(&r, kind, 8, NULL);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(10, write(fd, "0123456789", 10));
	/* a whole read is a success; a short one breaks its chain */
	PREP(&r, XURING_OP_READ, fd, buf, 10, 0, 1, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 2, 0);
	settle(_metadata, &r, log, "whole", 2);
	PREP(&r, XURING_OP_READ, fd, buf, sizeof(buf), 0, 3, SKIP_OK | LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 4, 0);
	settle(_metadata, &r, log, "short", 2);
	close(fd);

	/* a short SPLICE fails too: posted, its chain quiet */
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	ASSERT_EQ(10, write(p[1], "0123456789", 10));
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xuring_prep_splice(sqe, p[0], -1, q[1], -1, 4096, 0);
	sqe->user_data = 5;
	sqe->flags = SKIP_OK | LINK;
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 6, 0);
	settle(_metadata, &r, log, "short-splice", 2);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	xt_ring_exit(&r);
}

TEST(skip_and_short_transfers)
{
	XT_DIFF(short_read);
}

XT_SCENARIO(timeouts)
{
	struct __kernel_timespec ms30 = { .tv_nsec = 30000000 };
	struct __kernel_timespec sec5 = { .tv_sec = 5 };
	struct xt_ring r;
	char buf[8];
	int p[2];

	XT_RING(&r, kind, 16, NULL);
	ASSERT_EQ(0, pipe(p));

	/* LINK_TIMEOUT beaten by its request: no -ECANCELED for it */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 1, LINK);
	PREP(&r, XURING_OP_LINK_TIMEOUT, -1, &sec5, 1, 0, 2, SKIP_OK);
	settle(_metadata, &r, log, "lt-beaten", 2);

	/* LINK_TIMEOUT fires: the read's -ECANCELED, no -ETIME */
	PREP(&r, XURING_OP_READ, p[0], buf, 8, 0, 3, LINK);
	PREP(&r, XURING_OP_LINK_TIMEOUT, -1, &ms30, 1, 0, 4, SKIP_OK);
	settle(_metadata, &r, log, "lt-fired", 2);

	/* the read skips, the timeout does not: both post */
	PREP(&r, XURING_OP_READ, p[0], buf, 8, 0, 5, SKIP_OK | LINK);
	PREP(&r, XURING_OP_LINK_TIMEOUT, -1, &ms30, 1, 0, 6, 0);
	settle(_metadata, &r, log, "read-skips", 2);

	/* a TIMEOUT that expires is posted */
	PREP(&r, XURING_OP_TIMEOUT, -1, &ms30, 1, 0, 7, SKIP_OK);
	settle(_metadata, &r, log, "expired", 1);

	/* skipped CQEs do not count; reached by its count: skipped */
	PREP(&r, XURING_OP_TIMEOUT, -1, &sec5, 1, 2, 8, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 9, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 10, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 11, SKIP_OK);
	settle(_metadata, &r, log, "uncounted", 4);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 12, 0);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 13, 0);
	settle(_metadata, &r, log, "counted", 2);

	/* two reached by one CQE, both skipped, none left armed */
	PREP(&r, XURING_OP_TIMEOUT, -1, &sec5, 1, 1, 14, SKIP_OK);
	PREP(&r, XURING_OP_TIMEOUT, -1, &sec5, 1, 1, 15, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 16, 0);
	settle(_metadata, &r, log, "two-counted", 3);
	PREP(&r, XURING_OP_TIMEOUT_REMOVE, -1, (void *)15, 0, 0, 17, 0);
	settle(_metadata, &r, log, "two-counted-gone", 1);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(skip_with_timeouts)
{
	XT_DIFF(timeouts);
}

XT_SCENARIO(cancel_poll)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char buf[8];
	int p[2];

	XT_RING(&r, kind, 16, NULL);
	ASSERT_EQ(0, pipe(p));
	/* the canceled read posts -ECANCELED, the cancel's 0 is skipped */
	PREP(&r, XURING_OP_READ, p[0], buf, 8, 0, 1, SKIP_OK);
	settle(_metadata, &r, log, "waiting", 1);
	PREP(&r, XURING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 0, 2, SKIP_OK);
	settle(_metadata, &r, log, "found", 1);
	PREP(&r, XURING_OP_ASYNC_CANCEL, -1, (void *)1, 0, 0, 3, SKIP_OK);
	settle(_metadata, &r, log, "enoent", 1);

	/* a poll that fires, skipped; one removed, posted */
	sqe = xt_prep_sqe(&r, XURING_OP_POLL_ADD, p[0], NULL, 0, 0, 4,
			  SKIP_OK);
	ASSERT_NE(NULL, sqe);
	sqe->poll32_events = POLLIN;
	sqe = xt_prep_sqe(&r, XURING_OP_POLL_ADD, p[0], NULL, 0, 0, 5,
			  SKIP_OK);
	ASSERT_NE(NULL, sqe);
	sqe->poll32_events = POLLPRI;
	settle(_metadata, &r, log, "armed", 2);
	ASSERT_EQ(1, write(p[1], "x", 1));
	settle(_metadata, &r, log, "fired", 0);
	PREP(&r, XURING_OP_POLL_REMOVE, -1, (void *)5, 0, 0, 6, SKIP_OK);
	settle(_metadata, &r, log, "removed", 1);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(skip_with_cancel_and_poll)
{
	XT_DIFF(cancel_poll);
}

XT_SCENARIO(drain)
{
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	/* drains work until the flag is seen, then are refused */
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 1, DRAIN);
	settle(_metadata, &r, log, "before", 1);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 2, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, DRAIN);
	settle(_metadata, &r, log, "after", 2);
	xt_ring_exit(&r);

	/* both on one SQE: refused, and posted */
	XT_RING(&r, kind, 8, NULL);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 4, SKIP_OK | DRAIN);
	settle(_metadata, &r, log, "both", 1);
	xt_ring_exit(&r);

	/*
	 * A drain in a chain drains the request after the chain too: that
	 * one skips its CQE, and what follows it must not wait for that CQE
	 */
	XT_RING(&r, kind, 8, NULL);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 5, LINK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 6, DRAIN);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 7, SKIP_OK);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 8, 0);
	settle(_metadata, &r, log, "drain-next", 4);
	PREP(&r, XURING_OP_NOP, -1, NULL, 0, 0, 9, 0);
	settle(_metadata, &r, log, "drain-next-after", 1);
	xt_ring_exit(&r);
}

TEST(skip_refuses_later_drains)
{
	XT_DIFF(drain);
}

TEST_HARNESS_MAIN
