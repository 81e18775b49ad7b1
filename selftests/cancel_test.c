// SPDX-License-Identifier: GPL-2.0
/*
 * ASYNC_CANCEL in each state of its target: waiting for its file (poll
 * armed), queued for a worker (a saturated pool, a hashed write behind
 * another), running in a worker, completed, unknown. Against native.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define QUIET_MS	100
#define DONE_MS		5000
/* Long reads of a sparse file: long enough to be caught running. */
#define BIG_SEGS	1024
#define BIG_SEG		(1 << 20)
#define BIG_LEN		(BIG_SEGS * BIG_SEG)

#define PREP(op, fd, addr, len, off, ud, flags) \
	XT_PREP(&r, op, fd, addr, len, off, ud, flags)
#define CANCEL(target, ud) \
	PREP(XURING_OP_ASYNC_CANCEL, -1, (void *)(uintptr_t)(target), 0, 0, ud, 0)

/*
 * Reap n CQEs, sorted by user_data (a canceled request and its cancel may
 * post in either order), check their user_data and record them.
 */
static void reap(struct __test_metadata *_metadata, struct xt_ring *r,
		 struct xt_log *log, const char *tag, struct xuring_cqe *cqes,
		 const uint64_t *uds, unsigned int n, int ms)
{
	unsigned int i, got;

	got = xt_reap_sorted(r, cqes, n, ms);
	ASSERT_EQ(n, got) TH_LOG("%s: %u of %u CQEs", tag, got, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(uds[i], cqes[i].user_data);
		xt_rec(log, cqes[i].user_data, "%s.ud%u", tag, i);
		xt_rec(log, cqes[i].res, "%s.res%u", tag, i);
		xt_rec(log, cqes[i].flags, "%s.flags%u", tag, i);
	}
	xt_sleep_ms(QUIET_MS);
	EXPECT_EQ(0U, xt_cq_ready(r)) TH_LOG("%s: extra CQEs", tag);
}

/* Cancel a request waiting on fd (its file never becomes ready). */
static void cancel_waiting(struct __test_metadata *_metadata,
			   struct xt_ring *rp, struct xt_log *log,
			   const char *tag, int op, int fd, void *buf,
			   unsigned int len)
{
	static const uint64_t uds[] = { 0x10, 0x11 };
	struct xuring_cqe cqes[2];
	struct xt_ring r = *rp;

	PREP(op, fd, buf, len, 0, 0x10, 0);
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(QUIET_MS);
	ASSERT_EQ(0U, xt_cq_ready(&r)) TH_LOG("%s did not wait", tag);
	CANCEL(0x10, 0x11);
	ASSERT_EQ(1, xt_submit(&r));
	reap(_metadata, &r, log, tag, cqes, uds, 2, DONE_MS);
	EXPECT_EQ(-ECANCELED, cqes[0].res) TH_LOG("%s: target", tag);
	EXPECT_EQ(0, cqes[1].res) TH_LOG("%s: cancel", tag);
	*rp = r;
}

XT_SCENARIO(poll_armed)
{
	char buf[64], page[4096] = { 0 };
	struct xt_ring r;
	int p[2], q[2], sv[2], tv[2], efd;
	uint64_t val;

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	ASSERT_EQ(4096, fcntl(q[1], F_SETPIPE_SZ, 4096));
	ASSERT_EQ(4096, write(q[1], page, sizeof(page)));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, xt_tcp_pair(tv, 0));
	efd = eventfd(0, 0);
	ASSERT_LE(0, efd);

	cancel_waiting(_metadata, &r, log, "pipe-read", XURING_OP_READ, p[0],
		       buf, sizeof(buf));
	cancel_waiting(_metadata, &r, log, "pipe-write", XURING_OP_WRITE, q[1],
		       buf, sizeof(buf));
	cancel_waiting(_metadata, &r, log, "unix-read", XURING_OP_READ, sv[0],
		       buf, sizeof(buf));
	cancel_waiting(_metadata, &r, log, "tcp-read", XURING_OP_READ, tv[1],
		       buf, sizeof(buf));
	cancel_waiting(_metadata, &r, log, "eventfd-read", XURING_OP_READ, efd,
		       &val, 8);

	/* the canceled requests took nothing, and gave nothing */
	ASSERT_EQ(5, write(p[1], "hello", 5));
	EXPECT_EQ(5, read(p[0], buf, sizeof(buf)));
	EXPECT_EQ(4096, read(q[0], page, sizeof(page)));
	{
		struct pollfd pfd = { .fd = q[0], .events = POLLIN };

		EXPECT_EQ(0, poll(&pfd, 1, 0)) TH_LOG("a canceled write wrote");
	}
	ASSERT_EQ(3, write(sv[1], "abc", 3));
	EXPECT_EQ(3, read(sv[0], buf, sizeof(buf)));
	ASSERT_EQ(3, write(tv[0], "abc", 3));
	EXPECT_EQ(3, read(tv[1], buf, sizeof(buf)));
	xt_sleep_ms(QUIET_MS);
	EXPECT_EQ(0U, xt_cq_ready(&r));

	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(sv[0]);
	close(sv[1]);
	close(tv[0]);
	close(tv[1]);
	close(efd);
	xt_ring_exit(&r);
}

TEST(cancel_poll_armed_requests)
{
	XT_DIFF(poll_armed);
}

XT_SCENARIO(not_found)
{
	static const uint64_t uds1[] = { 5 }, uds2[] = { 6 }, uds3[] = { 7 };
	struct xuring_cqe cqes[1];
	struct xt_ring r;

	XT_RING(&r, kind, 4, NULL);
	/* completed already */
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 0x50, 0);
	ASSERT_EQ(0, xt_submit_one(&r, &cqes[0]));
	EXPECT_EQ(0x50ULL, (unsigned long long)cqes[0].user_data);
	CANCEL(0x50, 5);
	ASSERT_EQ(1, xt_submit(&r));
	reap(_metadata, &r, log, "completed", cqes, uds1, 1, DONE_MS);
	EXPECT_EQ(-ENOENT, cqes[0].res);
	/* never submitted */
	CANCEL(0xbadbad, 6);
	ASSERT_EQ(1, xt_submit(&r));
	reap(_metadata, &r, log, "unknown", cqes, uds2, 1, DONE_MS);
	EXPECT_EQ(-ENOENT, cqes[0].res);
	/* itself */
	CANCEL(7, 7);
	ASSERT_EQ(1, xt_submit(&r));
	reap(_metadata, &r, log, "self", cqes, uds3, 1, DONE_MS);
	EXPECT_EQ(-ENOENT, cqes[0].res);
	xt_ring_exit(&r);
}

TEST(cancel_completed_or_unknown_enoent)
{
	XT_DIFF(not_found);
}

/* One cancel SQE with one field set; returns its res. */
static int cancel_with(struct __test_metadata *_metadata, struct xt_ring *r,
		       int field, uint32_t val)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);
	struct xuring_cqe cqe;

	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_ASYNC_CANCEL, -1, (void *)0x4242, 0, 0, 9);
	switch (field) {
	case 0:
		sqe->off = val;
		break;
	case 1:
		sqe->len = val;
		break;
	case 2:
		sqe->ioprio = val;
		break;
	default:
		sqe->cancel_flags = val;
		break;
	}
	ASSERT_EQ(0, xt_submit_one(r, &cqe));
	return cqe.res;
}

XT_SCENARIO(bad_fields)
{
	struct xt_ring r;
	int res;

	XT_RING(&r, kind, 4, NULL);
	res = cancel_with(_metadata, &r, 0, 1);
	EXPECT_EQ(-EINVAL, res) TH_LOG("off");
	xt_rec(log, res, "off");
	res = cancel_with(_metadata, &r, 3, 1U << 31);
	EXPECT_EQ(-EINVAL, res) TH_LOG("unknown cancel flag");
	xt_rec(log, res, "flag31");
	/*
	 * 5.10 refuses len, ioprio and any cancel_flags; 6.1 gave len and the
	 * low cancel_flags bits meanings (CANCEL_ALL/FD/ANY, CANCEL_OP) and
	 * ignores ioprio. xuring is 5.10; native is only logged.
	 */
	res = cancel_with(_metadata, &r, 1, 1);
	TH_LOG("%s: cancel with len 1: %d", xt_kind_name(kind), res);
	if (kind == XT_XURING)
		EXPECT_EQ(-EINVAL, res);
	res = cancel_with(_metadata, &r, 2, 1);
	TH_LOG("%s: cancel with ioprio 1: %d", xt_kind_name(kind), res);
	if (kind == XT_XURING)
		EXPECT_EQ(-EINVAL, res);
	res = cancel_with(_metadata, &r, 3, 1);
	TH_LOG("%s: cancel with cancel_flags 1: %d", xt_kind_name(kind), res);
	if (kind == XT_XURING)
		EXPECT_EQ(-EINVAL, res);
	xt_ring_exit(&r);
}

TEST(cancel_unused_fields_einval)
{
	XT_DIFF(bad_fields);
}

static void big_iovecs(struct iovec *iov, void *buf)
{
	unsigned int i;

	for (i = 0; i < BIG_SEGS; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = BIG_SEG;
	}
}

/*
 * A ring of 2 SQ entries has 2 workers (xuring: min(entries, 2 x CPUs);
 * native 6.1: min(entries, 4 x CPUs) bounded workers, which regular
 * files and NOPs use). Two long reads of a regular file fill them; what
 * comes next waits in the queue and can be canceled there. The reads
 * themselves are running: -EALREADY, and tmpfs reads do not stop for the
 * signal native sends its worker, so they finish in full on both.
 */
XT_SCENARIO(saturated)
{
	static const uint64_t uds[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct xuring_cqe cqes[8];
	struct xuring_params p;
	struct iovec *iov;
	char small[4096];
	struct xt_ring r;
	void *buf;
	int big, fd;

	/* the first ring this thread submits on sizes native's workers */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 16;
	XT_RING(&r, kind, 2, &p);
	ASSERT_EQ(2U, p.sq_entries);
	big = xt_sparse_file(BIG_LEN);
	ASSERT_LE(0, big);
	fd = xt_sparse_file(sizeof(small));
	ASSERT_LE(0, fd);
	buf = malloc(BIG_SEG);
	iov = calloc(BIG_SEGS, sizeof(*iov));
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, iov);
	big_iovecs(iov, buf);

	PREP(XURING_OP_READV, big, iov, BIG_SEGS, 0, 1, XURING_SQE_ASYNC);
	PREP(XURING_OP_READV, big, iov, BIG_SEGS, 0, 2, XURING_SQE_ASYNC);
	ASSERT_EQ(2, xt_submit(&r));
	xt_sleep_ms(300);	/* the workers have taken them */
	ASSERT_EQ(0U, xt_cq_ready(&r)) TH_LOG("the long reads were short");

	/* queued behind them */
	PREP(XURING_OP_NOP, -1, NULL, 0, 0, 3, XURING_SQE_ASYNC);
	CANCEL(3, 4);
	ASSERT_EQ(2, xt_submit(&r));
	/* running */
	CANCEL(1, 5);
	ASSERT_EQ(1, xt_submit(&r));
	/* a queued read */
	PREP(XURING_OP_READ, fd, small, sizeof(small), 0, 6, XURING_SQE_ASYNC);
	CANCEL(6, 7);
	ASSERT_EQ(2, xt_submit(&r));
	/* queued, and not canceled: runs once a worker is free */
	PREP(XURING_OP_READ, fd, small, sizeof(small), 0, 8, XURING_SQE_ASYNC);
	ASSERT_EQ(1, xt_submit(&r));

	reap(_metadata, &r, log, "saturated", cqes, uds, 8, 120000);
	EXPECT_EQ(BIG_LEN, cqes[0].res);
	EXPECT_EQ(BIG_LEN, cqes[1].res);
	EXPECT_EQ(-ECANCELED, cqes[2].res) TH_LOG("queued NOP");
	EXPECT_EQ(0, cqes[3].res) TH_LOG("cancel of the queued NOP");
	EXPECT_EQ(-EALREADY, cqes[4].res) TH_LOG("cancel of a running read");
	EXPECT_EQ(-ECANCELED, cqes[5].res) TH_LOG("queued read");
	EXPECT_EQ(0, cqes[6].res) TH_LOG("cancel of the queued read");
	EXPECT_EQ((int)sizeof(small), cqes[7].res) TH_LOG("read after them");
	free(buf);
	free(iov);
	close(big);
	close(fd);
	xt_ring_exit(&r);
}

TEST(cancel_queued_in_saturated_pool_and_running)
{
	XT_DIFF(saturated);
}

/*
 * Buffered writes to one file run one at a time: the second waits behind
 * the first in the queue and is canceled there; the file shows it never ran.
 */
/* One run; false when native io_uring started the second write first. */
static bool hashed_once(struct __test_metadata *_metadata, enum xt_kind kind,
			struct xt_log *log)
{
	static const uint64_t uds[] = { 1, 2, 3 };
	struct xuring_cqe cqes[3];
	struct iovec iov[16];
	struct xt_ring r;
	struct stat st;
	bool reached;
	char *buf;
	int fd, i;

	XT_RING(&r, kind, 4, NULL);
	fd = xt_sparse_file(0);
	ASSERT_LE(0, fd);
	buf = malloc(1 << 20);
	ASSERT_NE(NULL, buf);
	memset(buf, 'w', 1 << 20);
	for (i = 0; i < 16; i++)
		iov[i] = (struct iovec){ buf, 1 << 20 };
	PREP(XURING_OP_WRITEV, fd, iov, 16, 0, 1, 0);
	PREP(XURING_OP_WRITE, fd, buf, 4096, 16 << 20, 2, 0);
	CANCEL(2, 3);
	ASSERT_EQ(3, xt_submit(&r));
	reap(_metadata, &r, log, "hashed", cqes, uds, 3, 60000);
	reached = kind == XT_XURING || cqes[2].res != -EALREADY;
	if (reached) {
		EXPECT_EQ(16 << 20, cqes[0].res);
		EXPECT_EQ(-ECANCELED, cqes[1].res);
		EXPECT_EQ(0, cqes[2].res);
		ASSERT_EQ(0, fstat(fd, &st));
		EXPECT_EQ(16 << 20, st.st_size);
		xt_rec(log, st.st_size, "size");
	}
	free(buf);
	close(fd);
	xt_ring_exit(&r);
	return reached;
}

/*
 * Native io_uring may start a worker for the second write, and on a slow
 * (debug) kernel the first write can finish meanwhile: the cancel then
 * finds the second one running (-EALREADY). That is not the state under
 * test, so native tries again; xuring queues it behind the first always.
 */
XT_SCENARIO(hashed)
{
	int i;

	for (i = 0; i < 5; i++) {
		struct xt_log *tmp = xt_log_new();
		bool reached;

		ASSERT_NE(NULL, tmp);
		reached = hashed_once(_metadata, kind, tmp);
		if (reached)
			*log = *tmp;
		xt_log_free(tmp);
		if (reached || !_metadata->passed)
			return;
		TH_LOG("%s: the second write ran before the cancel, again",
		       xt_kind_name(kind));
	}
	ASSERT_TRUE(false) TH_LOG("the second write never waited");
}

TEST(cancel_write_queued_behind_same_file)
{
	XT_DIFF(hashed);
}

/*
 * Two reads wait on one pipe and one byte arrives: both wake, one gets
 * the byte. On 6.1, pipes cannot be read without blocking, so the other
 * goes on to a blocking read in a worker. Canceling it while it runs is
 * -EALREADY and - as 5.10 does by signalling its worker, and native 6.1
 * too - interrupts the read: -EINTR.
 *
 * On 6.12 pipes can be tried without blocking: the loser finds the pipe
 * empty and waits on it again, native and xuring alike, and the cancel
 * finds it waiting (0, target -ECANCELED).
 */
XT_SCENARIO(running_blocked)
{
	struct xuring_cqe cqe, cqes[2];
	struct xt_ring r;
	char a = 0, b = 0;
	uint64_t loser;
	unsigned int got;
	int p[2];

	XT_RING(&r, kind, 4, NULL);
	ASSERT_EQ(0, pipe(p));
	PREP(XURING_OP_READ, p[0], &a, 1, 0, 1, 0);
	PREP(XURING_OP_READ, p[0], &b, 1, 0, 2, 0);
	ASSERT_EQ(2, xt_submit(&r));
	xt_sleep_ms(QUIET_MS);
	ASSERT_EQ(0U, xt_cq_ready(&r));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, DONE_MS));
	EXPECT_EQ(1, cqe.res);
	ASSERT_TRUE(cqe.user_data == 1 || cqe.user_data == 2);
	xt_rec(log, cqe.res, "winner.res");
	loser = cqe.user_data == 1 ? 2 : 1;
	xt_sleep_ms(300);	/* the loser is in its blocking read */
	ASSERT_EQ(0U, xt_cq_ready(&r));

	CANCEL(loser, 3);
	ASSERT_EQ(1, xt_submit(&r));
	got = xt_reap_sorted(&r, cqes, 2, 3000);
	if (got < 2) {
		EXPECT_EQ(2U, got)
			TH_LOG("%s: the read in a worker was neither canceled nor interrupted within 3 s",
			       xt_kind_name(kind));
		/* let it finish */
		ASSERT_EQ(1, write(p[1], "y", 1));
		got += xt_reap_sorted(&r, cqes + got, 2 - got, DONE_MS);
		for (unsigned int i = 0; i < got; i++)
			TH_LOG("%s: ud %llu res %d", xt_kind_name(kind),
			       (unsigned long long)cqes[i].user_data,
			       cqes[i].res);
		close(p[0]);
		close(p[1]);
		xt_ring_exit(&r);
		return;
	}
	if (cqes[0].user_data == 3) {
		struct xuring_cqe t = cqes[0];

		cqes[0] = cqes[1];
		cqes[1] = t;
	}
	EXPECT_EQ(loser, cqes[0].user_data);
	TH_LOG("%s: cancel %d, the read it targeted %d", xt_kind_name(kind),
	       cqes[1].res, cqes[0].res);
	if (cqes[1].res == 0) {
		/* waiting on the pipe again (6.12) */
		EXPECT_EQ(-ECANCELED, cqes[0].res);
	} else {
		EXPECT_EQ(-EALREADY, cqes[1].res);
		EXPECT_EQ(-EINTR, cqes[0].res);
	}
	xt_rec(log, cqes[0].res, "loser.res");
	xt_rec(log, cqes[1].res, "cancel.res");
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(cancel_running_blocked_read_interrupts_it)
{
	XT_DIFF(running_blocked);
}

TEST_HARNESS_MAIN
