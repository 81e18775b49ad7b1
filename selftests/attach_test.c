// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_SETUP_ATTACH_WQ: rings sharing their workers and SQ thread, each
 * still working on its own, surviving the ring they attached to; bad wq_fd
 * values. Against native (5.10's errno where native changed it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define QUIET_MS	100
#define DONE_MS		5000
#define BIG_SEGS	1024
#define BIG_SEG		(1 << 20)
#define BIG_LEN		(BIG_SEGS * BIG_SEG)

#define PREP(r, op, fd, addr, len, off, ud, flags) \
	XT_PREP(r, op, fd, addr, len, off, ud, flags)

/* Store the tail, barrier, wake the SQ thread if it asks (man page). */
static void submit_sq(struct xt_ring *r)
{
	xt_flush(r);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP)
		xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
}

/* Submit (SQPOLL or not) and reap n CQEs sorted; record them. */
static void run(struct __test_metadata *_metadata, struct xt_ring *r,
		struct xt_log *log, const char *tag, struct xuring_cqe *cqes,
		unsigned int n)
{
	unsigned int i, got;

	if (r->p.flags & XURING_SETUP_SQPOLL)
		submit_sq(r);
	else
		ASSERT_EQ((int)n, xt_submit(r));
	got = xt_reap_sorted(r, cqes, n, DONE_MS);
	ASSERT_EQ(n, got) TH_LOG("%s: %u of %u", tag, got, n);
	for (i = 0; i < n; i++) {
		xt_rec(log, cqes[i].user_data, "%s.ud%u", tag, i);
		xt_rec(log, cqes[i].res, "%s.res%u", tag, i);
	}
}

static void attached(struct __test_metadata *_metadata, struct xt_ring *r,
		     enum xt_kind kind, unsigned int entries, unsigned int flags,
		     int wq_fd)
{
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags | XURING_SETUP_ATTACH_WQ;
	p.wq_fd = wq_fd;
	p.sq_thread_idle = 1000;
	XT_RING(r, kind, entries, &p);
}

/*
 * A mix on ring r: a NOP, a file read, an ASYNC read, and a pipe read that
 * waits. File fds are registered slots 0 (file) and 1 (pipe read end).
 */
static void mix(struct __test_metadata *_metadata, struct xt_ring *r,
		struct xt_log *log, const char *tag, int pw)
{
	unsigned int fixed = XURING_SQE_FIXED_FILE;
	struct xuring_cqe cqes[4];
	char a[16], b[16], c[16];

	PREP(r, XURING_OP_NOP, -1, NULL, 0, 0, 1, 0);
	PREP(r, XURING_OP_READ, 0, a, 16, 0, 2, fixed);
	PREP(r, XURING_OP_READ, 0, b, 16, 0, 3, fixed | XURING_SQE_ASYNC);
	run(_metadata, r, log, tag, cqes, 3);
	EXPECT_EQ(0, cqes[0].res);
	EXPECT_EQ(16, cqes[1].res);
	EXPECT_EQ(16, cqes[2].res);
	PREP(r, XURING_OP_READ, 1, c, 16, 0, 4, fixed);
	if (r->p.flags & XURING_SETUP_SQPOLL)
		submit_sq(r);
	else
		ASSERT_EQ(1, xt_submit(r));
	xt_sleep_ms(QUIET_MS);
	EXPECT_EQ(0U, xt_cq_ready(r));
	ASSERT_EQ(5, write(pw, "ready", 5));
	ASSERT_EQ(0, xt_wait_cqe_ms(r, &cqes[0], DONE_MS));
	EXPECT_EQ(4ULL, (unsigned long long)cqes[0].user_data);
	EXPECT_EQ(5, cqes[0].res);
	xt_rec(log, cqes[0].res, "%s.pipe", tag);
}

/*
 * Two rings sharing workers (and, with SQPOLL, the SQ thread): both work,
 * and the second outlives the first.
 */
static void share(struct __test_metadata *_metadata, enum xt_kind kind,
		  struct xt_log *log, unsigned int a_flags, unsigned int b_flags)
{
	struct xuring_params p;
	struct xt_ring a, b;
	int file, pa[2], pb[2], fds[2];

	file = xt_sparse_file(64);
	ASSERT_LE(0, file);
	ASSERT_EQ(0, pipe(pa));
	ASSERT_EQ(0, pipe(pb));
	memset(&p, 0, sizeof(p));
	p.flags = a_flags;
	p.sq_thread_idle = 1000;
	XT_RING(&a, kind, 4, &p);
	attached(_metadata, &b, kind, 8, b_flags, a.fd);
	fds[0] = file;
	fds[1] = pa[0];
	ASSERT_EQ(0, xt_register_files(&a, fds, 2));
	fds[1] = pb[0];
	ASSERT_EQ(0, xt_register_files(&b, fds, 2));

	mix(_metadata, &a, log, "a", pa[1]);
	mix(_metadata, &b, log, "b", pb[1]);
	/* the first ring goes, the second keeps what they shared */
	xt_ring_exit(&a);
	mix(_metadata, &b, log, "b-alone", pb[1]);
	xt_ring_exit(&b);
	close(file);
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
}

XT_SCENARIO(plain)
{
	share(_metadata, kind, log, 0, 0);
}

TEST(attached_rings_share_workers)
{
	XT_DIFF(plain);
}

XT_SCENARIO(sqpoll_both)
{
	struct xuring_cqe cqes[1];
	pid_t before[64];
	struct xt_ring a, b;
	struct xuring_params p;
	int n0, n1, n2;

	/*
	 * One SQ thread for both. Native's names itself once it runs: count
	 * after a NOP went through each ring.
	 */
	n0 = xt_sq_threads(kind, before, 64);
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	XT_RING(&a, kind, 4, &p);
	PREP(&a, XURING_OP_NOP, -1, NULL, 0, 0, 1, 0);
	run(_metadata, &a, log, "nop-a", cqes, 1);
	n1 = xt_sq_threads(kind, before, 64);
	attached(_metadata, &b, kind, 4, XURING_SETUP_SQPOLL, a.fd);
	PREP(&b, XURING_OP_NOP, -1, NULL, 0, 0, 2, 0);
	run(_metadata, &b, log, "nop-b", cqes, 1);
	n2 = xt_sq_threads(kind, before, 64);
	EXPECT_EQ(n0 + 1, n1);
	EXPECT_EQ(n1, n2) TH_LOG("%s: attaching made a thread", xt_kind_name(kind));
	xt_rec(log, n1 - n0, "threads-a");
	xt_rec(log, n2 - n1, "threads-b");
	xt_ring_exit(&b);
	xt_ring_exit(&a);

	share(_metadata, kind, log, XURING_SETUP_SQPOLL, XURING_SETUP_SQPOLL);
}

TEST(attached_sqpoll_rings_share_the_thread)
{
	XT_DIFF(sqpoll_both);
}

XT_SCENARIO(mixed)
{
	/* a plain ring attached to an SQPOLL one: shares only the workers */
	share(_metadata, kind, log, XURING_SETUP_SQPOLL, 0);
}

TEST(plain_ring_attached_to_sqpoll_ring)
{
	XT_DIFF(mixed);
}

XT_SCENARIO(sqpoll_to_plain)
{
	struct xuring_params p;
	struct xt_ring a;
	int ret, fd;

	/* SQPOLL sharing the thread of a ring that has none */
	XT_RING(&a, kind, 4, NULL);
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL | XURING_SETUP_ATTACH_WQ;
	p.wq_fd = a.fd;
	ret = xt_sys_setup(kind, 4, &p, &fd);
	EXPECT_EQ(-EINVAL, ret);
	if (!ret)
		close(fd);
	xt_rec(log, ret, "sqpoll-to-plain");
	xt_ring_exit(&a);
}

TEST(sqpoll_attached_to_plain_ring_einval)
{
	XT_DIFF(sqpoll_to_plain);
}

static int attach_to(enum xt_kind kind, unsigned int flags, int wq_fd)
{
	struct xuring_params p;
	int ret, fd;

	memset(&p, 0, sizeof(p));
	p.flags = flags | XURING_SETUP_ATTACH_WQ;
	p.wq_fd = wq_fd;
	ret = xt_sys_setup(kind, 4, &p, &fd);
	if (!ret)
		close(fd);
	return ret;
}

/*
 * wq_fd not open: 5.10 says -EBADF, native 6.1 -ENXIO. Not a ring (a pipe,
 * /dev/xuring before SETUP, a ring of the other kind): -EINVAL.
 */
XT_SCENARIO(bad_wq_fd)
{
	static const unsigned int modes[] = { 0, XURING_SETUP_SQPOLL };
	int p[2], unset, other = -1, closed, ret, want_badf;
	struct xuring_params op;
	unsigned int i;

	ASSERT_EQ(0, pipe(p));
	/* a number well above the fds the test opens */
	closed = fcntl(p[0], F_DUPFD_CLOEXEC, 900);
	ASSERT_LE(900, closed);
	close(closed);
	unset = xt_dev_open();
	if (kind == XT_XURING) {
		ASSERT_LE(0, unset);
		want_badf = -EBADF;
		if (xt_native_available()) {
			memset(&op, 0, sizeof(op));
			ASSERT_EQ(0, xt_sys_setup(XT_NATIVE, 4, &op, &other));
		}
	} else {
		want_badf = -ENXIO;
		if (xt_xuring_present()) {
			memset(&op, 0, sizeof(op));
			ASSERT_EQ(0, xt_sys_setup(XT_XURING, 4, &op, &other));
		}
	}

	for (i = 0; i < 2; i++) {
		ret = attach_to(kind, modes[i], closed);
		EXPECT_EQ(want_badf, ret) TH_LOG("closed fd, mode %u", i);
		ret = attach_to(kind, modes[i], -1);
		EXPECT_EQ(want_badf, ret) TH_LOG("fd -1, mode %u", i);
		ret = attach_to(kind, modes[i], p[0]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("pipe, mode %u", i);
		xt_rec(log, ret, "pipe%u", i);
		if (unset >= 0) {
			ret = attach_to(kind, modes[i], unset);
			EXPECT_EQ(-EINVAL, ret) TH_LOG("unset device, mode %u", i);
			xt_rec(log, ret, "unset%u", i);
		}
		if (other >= 0) {
			ret = attach_to(kind, modes[i], other);
			EXPECT_EQ(-EINVAL, ret) TH_LOG("other kind, mode %u", i);
			xt_rec(log, ret, "other%u", i);
		}
	}
	close(p[0]);
	close(p[1]);
	if (unset >= 0)
		close(unset);
	if (other >= 0)
		close(other);
}

TEST(bad_wq_fd)
{
	XT_DIFF(bad_wq_fd);
}

/*
 * Cancellation stays within a ring even where the workers are shared: a
 * request of ring b queued in the pool is not found by ring a's cancel,
 * and is by b's. The pool is saturated by a's long reads (a has 2 SQ
 * entries: 2 workers; native 6.1's workers are per task, sized by the
 * first ring, and shared by both rings too).
 */
XT_SCENARIO(cancel_scope)
{
	static const uint64_t ua[] = { 1, 2, 3 }, ub[] = { 7, 8 };
	struct xuring_cqe ca[3], cb[2];
	struct xuring_params p;
	struct xt_ring a, b;
	struct iovec *iov;
	unsigned int i;
	void *buf;
	int big;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 8;
	XT_RING(&a, kind, 2, &p);
	attached(_metadata, &b, kind, 4, 0, a.fd);
	big = xt_sparse_file(BIG_LEN);
	ASSERT_LE(0, big);
	buf = malloc(BIG_SEG);
	iov = calloc(BIG_SEGS, sizeof(*iov));
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, iov);
	for (i = 0; i < BIG_SEGS; i++)
		iov[i] = (struct iovec){ buf, BIG_SEG };

	PREP(&a, XURING_OP_READV, big, iov, BIG_SEGS, 0, 1, XURING_SQE_ASYNC);
	PREP(&a, XURING_OP_READV, big, iov, BIG_SEGS, 0, 2, XURING_SQE_ASYNC);
	ASSERT_EQ(2, xt_submit(&a));
	xt_sleep_ms(300);
	PREP(&b, XURING_OP_NOP, -1, NULL, 0, 0, 7, XURING_SQE_ASYNC);
	ASSERT_EQ(1, xt_submit(&b));
	PREP(&a, XURING_OP_ASYNC_CANCEL, -1, (void *)7, 0, 0, 3, 0);
	ASSERT_EQ(1, xt_submit(&a));
	PREP(&b, XURING_OP_ASYNC_CANCEL, -1, (void *)7, 0, 0, 8, 0);
	ASSERT_EQ(1, xt_submit(&b));

	ASSERT_EQ(2U, xt_reap_sorted(&b, cb, 2, DONE_MS));
	ASSERT_EQ(3U, xt_reap_sorted(&a, ca, 3, 120000));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(ua[i], ca[i].user_data);
		xt_rec(log, ca[i].res, "a%u", i);
	}
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(ub[i], cb[i].user_data);
		xt_rec(log, cb[i].res, "b%u", i);
	}
	EXPECT_EQ(BIG_LEN, ca[0].res);
	EXPECT_EQ(BIG_LEN, ca[1].res);
	EXPECT_EQ(-ENOENT, ca[2].res) TH_LOG("a canceled b's request");
	EXPECT_EQ(-ECANCELED, cb[0].res);
	EXPECT_EQ(0, cb[1].res);
	free(buf);
	free(iov);
	close(big);
	xt_ring_exit(&b);
	xt_ring_exit(&a);
}

TEST(cancel_stays_within_its_ring)
{
	XT_DIFF(cancel_scope);
}

TEST_HARNESS_MAIN
