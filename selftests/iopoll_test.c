// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_SETUP_IOPOLL: which ops an IOPOLL ring takes, which files it can
 * poll, polled reads and writes of verified data on null_blk (poll queues)
 * at depth 32 and past the device's queue depth (the block layer's -EAGAIN
 * is retried, never seen), READ/WRITE_FIXED and BUFFER_SELECT when polled,
 * chains of polled reads, brd (done before it is queued), GETEVENTS with
 * min_complete, IOPOLL with SQPOLL, and closing the ring with polled I/O
 * in flight.
 *
 * The block devices come from the VM: XURING_NULLB (null_blk, memory
 * backed, poll_queues=2) and XURING_RAMDISK (brd). Unset: SKIP.
 *
 * On the debug lane null_blk is only read: its first write to a page
 * allocates with GFP_NOIO inside the block layer's RCU section (polled or
 * not), which the debug kernel rightly reports. Unwritten sectors read as
 * zeros, so the reads are still checked; brd covers polled writes there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define BS	4096

static struct xuring_sqe *prep(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off, uint64_t ud)
{
	return xt_prep_sqe(r, op, fd, addr, len, off, ud, 0);
}

static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + seed * 131 + (i >> 12));
}

static const char *dev_env(const char *name)
{
	const char *dev = getenv(name);

	return dev && *dev ? dev : NULL;
}

/* Open a block device from the environment with O_DIRECT, or -1. */
static int open_dev(const char *name, int flags)
{
	const char *dev = dev_env(name);

	return dev ? open(dev, flags | O_DIRECT) : -1;
}

/* Whether null_blk may be written here (see the top of the file). */
static bool nullb_writable(void)
{
	const char *lane = getenv("XURING_LANE");

	return !lane || strcmp(lane, "debug");
}

#define NEED_DEV(name) do {						\
	if (!dev_env(name))						\
		SKIP(return, "%s not set: no such device here", name);	\
} while (0)

/*
 * Reap @n CQEs, polling with GETEVENTS; res[user_data - base] = res,
 * flags likewise. Returns 0, or what enter failed with.
 */
static int reap(struct xt_ring *r, unsigned int n, uint64_t base, int *res,
		unsigned int *flags)
{
	struct xuring_cqe cqe;
	unsigned int got = 0;
	int ret;

	while (got < n) {
		if (xt_peek_cqe(r, &cqe)) {
			ret = xt_enter(r, 0, 1, XURING_ENTER_GETEVENTS);
			if (ret < 0 && ret != -EINTR)
				return ret;
			continue;
		}
		if (cqe.user_data - base >= n)
			return -ERANGE;
		res[cqe.user_data - base] = cqe.res;
		if (flags)
			flags[cqe.user_data - base] = cqe.flags;
		got++;
	}
	return 0;
}

static int iopoll_ring(struct xt_ring *r, enum xt_kind kind,
		       unsigned int entries, unsigned int extra)
{
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_IOPOLL | extra;
	return xt_ring_init(r, kind, entries, &p);
}

/* Which ops an IOPOLL ring takes, and which files it polls. */
XT_SCENARIO(ops)
{
	char path[64], *buf = aligned_alloc(BS, BS);
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd, p[2], dev = -1, fds[1] = { -1 };

	ASSERT_NE(NULL, buf);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, iopoll_ring(&r, kind, 8, 0));

#define OP(tag, op, fd, addr, len, want) do {				\
	ASSERT_NE(NULL, prep(&r, op, fd, addr, len, 0, 1));		\
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));				\
	EXPECT_EQ(want, cqe.res) TH_LOG("%s", tag);			\
	xt_rec(log, cqe.res, "%s", tag);				\
} while (0)

	/* 6.1's list: NOP (5.10 refused it), rw, FILES_UPDATE, buffers */
	OP("nop", XURING_OP_NOP, -1, NULL, 0, 0);
	OP("fsync", XURING_OP_FSYNC, fd, NULL, 0, -EINVAL);
	OP("cancel", XURING_OP_ASYNC_CANCEL, -1, NULL, 0, -EINVAL);
	OP("provide", XURING_OP_PROVIDE_BUFFERS, 1, buf, 64, 0);
	ASSERT_EQ(0, xt_sys_register(kind, r.fd, XURING_REGISTER_FILES,
				     fds, 1));
	OP("update", XURING_OP_FILES_UPDATE, -1, fds, 1, 1);
	sqe = prep(&r, XURING_OP_REMOVE_BUFFERS, 1, NULL, 0, 0, 1);
	ASSERT_NE(NULL, sqe);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	xt_rec(log, cqe.res, "remove");
	/* files that cannot be polled */
	OP("tmpfs", XURING_OP_READ, fd, buf, BS, -EOPNOTSUPP);
	OP("pipe", XURING_OP_READ, p[0], buf, BS, -EOPNOTSUPP);
	OP("pipe-write", XURING_OP_WRITE, p[1], buf, 1, -EOPNOTSUPP);
	if (dev_env("XURING_NULLB")) {
		/* the device, but not O_DIRECT */
		dev = open(dev_env("XURING_NULLB"), O_RDWR);
		ASSERT_LE(0, dev);
		OP("buffered", XURING_OP_READ, dev, buf, BS, -EOPNOTSUPP);
		close(dev);
		dev = open_dev("XURING_NULLB", O_RDWR);
		ASSERT_LE(0, dev);
		OP("direct", XURING_OP_READ, dev, buf, BS, BS);
		/* misaligned direct I/O fails as the device says */
		OP("misaligned", XURING_OP_READ, dev, buf + 1, BS, -EINVAL);
		close(dev);
	}
#undef OP
	xt_ring_exit(&r);
	close(fd);
	close(p[0]);
	close(p[1]);
	free(buf);
}

TEST(iopoll_ops_and_files)
{
	XT_DIFF(ops);
}

/*
 * Write @n blocks of a pattern (depth n), read them back into fresh
 * buffers (depth n), verify both ways. Ops are chosen by @variant: 0
 * READ/WRITE, 1 READV/WRITEV, 2 READ_FIXED/WRITE_FIXED. Without @write,
 * only read blocks never written, which hold zeros.
 */
static void rw_blocks(struct __test_metadata *_metadata, struct xt_ring *r,
		      struct xt_log *log, int fd, unsigned int n,
		      unsigned int variant, unsigned int seed, uint64_t base,
		      bool write)
{
	unsigned char *wbuf = aligned_alloc(BS, (size_t)n * BS);
	unsigned char *rbuf = aligned_alloc(BS, (size_t)n * BS);
	unsigned char *check = aligned_alloc(BS, BS);
	struct iovec *iov = calloc(2 * n, sizeof(*iov));
	int *res = calloc(n, sizeof(int));
	struct xuring_sqe *sqe;
	unsigned int i;
	int ret;

	ASSERT_NE(NULL, wbuf);
	ASSERT_NE(NULL, rbuf);
	ASSERT_NE(NULL, check);
	ASSERT_NE(NULL, iov);
	ASSERT_NE(NULL, res);
	if (write)
		fill(wbuf, (size_t)n * BS, seed);
	else
		memset(wbuf, 0, (size_t)n * BS);
	memset(rbuf, 0xee, (size_t)n * BS);
	if (variant == 2) {
		struct iovec reg[2] = {
			{ wbuf, (size_t)n * BS }, { rbuf, (size_t)n * BS },
		};

		ASSERT_EQ(0, xt_sys_register(r->kind, r->fd,
					     XURING_REGISTER_BUFFERS, reg, 2));
	}

	for (i = 0; i < n && write; i++) {
		unsigned char *w = wbuf + (size_t)i * BS;
		uint64_t off = (base + i) * BS;

		if (variant == 1) {
			iov[i].iov_base = w;
			iov[i].iov_len = BS;
			sqe = prep(r, XURING_OP_WRITEV, fd, &iov[i], 1, off,
				   i);
		} else {
			sqe = prep(r, variant ? XURING_OP_WRITE_FIXED :
				   XURING_OP_WRITE, fd, w, BS, off, i);
		}
		ASSERT_NE(NULL, sqe);
	}
	ret = write ? xt_submit(r) : (int)n;
	ASSERT_EQ((int)n, ret);
	if (write) {
		ASSERT_EQ(0, reap(r, n, 0, res, NULL));
	}
	for (i = 0; i < n && write; i++) {
		EXPECT_EQ(BS, res[i]) TH_LOG("write %u", i);
		xt_rec(log, res[i], "w%u", i);
	}
	/* what reached the device, seen through another fd */
	for (i = 0; i < n && write; i += n / 4 ? n / 4 : 1) {
		ASSERT_EQ(BS, pread(fd, check, BS, (base + i) * BS));
		EXPECT_EQ(0, memcmp(check, wbuf + (size_t)i * BS, BS))
			TH_LOG("block %u on the device", i);
	}

	for (i = 0; i < n; i++) {
		unsigned char *rd = rbuf + (size_t)i * BS;
		uint64_t off = (base + i) * BS;

		if (variant == 1) {
			iov[n + i].iov_base = rd;
			iov[n + i].iov_len = BS;
			sqe = prep(r, XURING_OP_READV, fd, &iov[n + i], 1, off,
				   i);
		} else {
			sqe = prep(r, variant ? XURING_OP_READ_FIXED :
				   XURING_OP_READ, fd, rd, BS, off, i);
			if (variant)
				sqe->buf_index = 1;
		}
		ASSERT_NE(NULL, sqe);
	}
	ASSERT_EQ((int)n, xt_submit(r));
	ASSERT_EQ(0, reap(r, n, 0, res, NULL));
	for (i = 0; i < n; i++) {
		EXPECT_EQ(BS, res[i]) TH_LOG("read %u", i);
		xt_rec(log, res[i], "r%u", i);
	}
	ret = memcmp(rbuf, wbuf, (size_t)n * BS);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "data");
	if (variant == 2)
		EXPECT_EQ(0, xt_sys_register(r->kind, r->fd,
					     XURING_UNREGISTER_BUFFERS,
					     NULL, 0));
	free(res);
	free(iov);
	free(check);
	free(rbuf);
	free(wbuf);
}

XT_SCENARIO(nullb_depth32)
{
	struct xt_ring r;
	int fd, v;

	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, kind, 32, 0));
	/* a different region and pattern for each half */
	for (v = 0; v < 3; v++)
		rw_blocks(_metadata, &r, log, fd, 32, v,
			  kind * 10 + v, (kind * 4 + v) * 64, nullb_writable());
	xt_ring_exit(&r);
	close(fd);
}

TEST(nullb_polled_read_write_depth32)
{
	NEED_DEV("XURING_NULLB");
	if (!getenv("XURING_NULLB_POLL") ||
	    strcmp(getenv("XURING_NULLB_POLL"), "1"))
		TH_LOG("null_blk without io_poll: completions come by irq");
	XT_DIFF(nullb_depth32);
}

/* More in flight than the device has tags: -EAGAIN is retried. */
XT_SCENARIO(nullb_deep)
{
	struct xt_ring r;
	int fd;

	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, kind, 256, 0));
	rw_blocks(_metadata, &r, log, fd, 256, 0, 40 + kind, 2048 + kind * 512,
		  nullb_writable());
	xt_ring_exit(&r);
	close(fd);
}

TEST(nullb_past_queue_depth)
{
	NEED_DEV("XURING_NULLB");
	XT_DIFF(nullb_deep);
}

/*
 * Chains of polled reads: one started by the submit call's own
 * completions (after a NOP), one by the reaper (after a polled read), and
 * one broken by a polled read the device refuses. The data is checked
 * against a plain read of the same blocks.
 */
XT_SCENARIO(linked)
{
	static const struct { int op; bool misaligned; uint64_t blk; } c[] = {
		{ XURING_OP_NOP }, { XURING_OP_READ, false, 3 },
		{ XURING_OP_READ, false, 4 },
		{ XURING_OP_READ, false, 5 }, { XURING_OP_READ, false, 6 },
		{ XURING_OP_NOP },
		{ XURING_OP_READ, true, 7 }, { XURING_OP_READ, false, 8 },
	};
	/* the last SQE of each chain */
	static const bool ends[] = { 0, 0, 1, 0, 0, 1, 0, 1 };
	unsigned int n = sizeof(c) / sizeof(c[0]), i;
	unsigned char *buf = aligned_alloc(BS, (n + 1) * BS);
	unsigned char *check = aligned_alloc(BS, BS);
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int fd, res[8];

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, check);
	memset(buf, 0xee, (n + 1) * BS);
	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, kind, 16, 0));
	for (i = 0; i < n; i++) {
		sqe = prep(&r, c[i].op, c[i].op == XURING_OP_NOP ? -1 : fd,
			   c[i].op == XURING_OP_NOP ? NULL :
			   buf + i * BS + c[i].misaligned,
			   c[i].op == XURING_OP_NOP ? 0 : BS, c[i].blk * BS, i);
		ASSERT_NE(NULL, sqe);
		if (!ends[i])
			sqe->flags |= XURING_SQE_IO_LINK;
	}
	ASSERT_EQ((int)n, xt_submit(&r));
	ASSERT_EQ(0, reap(&r, n, 0, res, NULL));
	for (i = 0; i < n; i++) {
		int want = c[i].op == XURING_OP_NOP ? 0 : BS;

		if (c[i].misaligned)
			want = -EINVAL;
		else if (i && c[i - 1].misaligned)
			want = -ECANCELED;
		EXPECT_EQ(want, res[i]) TH_LOG("SQE %u", i);
		xt_rec(log, res[i], "sqe%u", i);
		if (res[i] != BS)
			continue;
		ASSERT_EQ(BS, pread(fd, check, BS, c[i].blk * BS));
		EXPECT_EQ(0, memcmp(check, buf + i * BS, BS))
			TH_LOG("block of SQE %u", i);
	}
	xt_ring_exit(&r);
	close(fd);
	free(check);
	free(buf);
}

TEST(linked_polled_reads)
{
	NEED_DEV("XURING_NULLB");
	XT_DIFF(linked);
}

/*
 * brd completes in submit_bio: done before the request is even queued.
 * Polled bios are REQ_NOWAIT, which 6.12's brd refuses: there the polled
 * write fails with -EOPNOTSUPP, natively as well.
 */
XT_SCENARIO(ramdisk)
{
	char *blk = aligned_alloc(BS, BS);
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd;

	ASSERT_NE(NULL, blk);
	fd = open_dev("XURING_RAMDISK", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, kind, 16, 0));
	memset(blk, 0, BS);
	ASSERT_NE(NULL, prep(&r, XURING_OP_WRITE, fd, blk, BS, 0, 1));
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	xt_rec(log, cqe.res, "probe");
	free(blk);
	if (cqe.res == -EOPNOTSUPP) {
		TH_LOG("%s: the ramdisk takes no polled (nowait) I/O",
		       xt_kind_name(kind));
		xt_ring_exit(&r);
		close(fd);
		return;
	}
	ASSERT_EQ(BS, cqe.res);
	rw_blocks(_metadata, &r, log, fd, 16, 0, 50 + kind, kind * 32, true);
	rw_blocks(_metadata, &r, log, fd, 16, 2, 60 + kind, kind * 32 + 16,
		  true);
	xt_ring_exit(&r);
	close(fd);
}

TEST(ramdisk_polled)
{
	NEED_DEV("XURING_RAMDISK");
	XT_DIFF(ramdisk);
}

/* IOPOLL with SQPOLL: the SQ thread submits and reaps. */
XT_SCENARIO(sqpoll)
{
	struct xt_ring r;
	int fd;

	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, kind, 32, XURING_SETUP_SQPOLL));
	ASSERT_EQ(0, xt_sys_register(kind, r.fd, XURING_REGISTER_FILES,
				     &fd, 1));
	{
		unsigned char *buf = aligned_alloc(BS, 32 * BS);
		unsigned char *back = aligned_alloc(BS, 32 * BS);
		struct xuring_sqe *sqe;
		int res[32], i;

		ASSERT_NE(NULL, buf);
		ASSERT_NE(NULL, back);
		fill(buf, 32 * BS, 70 + kind);
		if (!nullb_writable())
			memset(buf, 0, 32 * BS);
		for (i = 0; i < 32 && nullb_writable(); i++) {
			sqe = prep(&r, XURING_OP_WRITE, 0, buf + i * BS, BS,
				   (3072 + kind * 64 + i) * BS, i);
			ASSERT_NE(NULL, sqe);
			sqe->flags = XURING_SQE_FIXED_FILE;
		}
		if (nullb_writable()) {
			xt_flush(&r);
			ASSERT_LE(0, xt_enter(&r, 32, 0,
					      XURING_ENTER_SQ_WAKEUP));
			ASSERT_EQ(0, reap(&r, 32, 0, res, NULL));
		}
		for (i = 0; i < 32 && nullb_writable(); i++) {
			EXPECT_EQ(BS, res[i]);
			xt_rec(log, res[i], "w%d", i);
		}
		memset(back, 0xee, 32 * BS);
		for (i = 0; i < 32; i++) {
			sqe = prep(&r, XURING_OP_READ, 0, back + i * BS, BS,
				   (3072 + kind * 64 + i) * BS, i);
			ASSERT_NE(NULL, sqe);
			sqe->flags = XURING_SQE_FIXED_FILE;
		}
		xt_flush(&r);
		ASSERT_LE(0, xt_enter(&r, 32, 0, XURING_ENTER_SQ_WAKEUP));
		ASSERT_EQ(0, reap(&r, 32, 0, res, NULL));
		for (i = 0; i < 32; i++) {
			EXPECT_EQ(BS, res[i]);
			xt_rec(log, res[i], "r%d", i);
		}
		EXPECT_EQ(0, memcmp(buf, back, 32 * BS));
		free(buf);
		free(back);
	}
	xt_ring_exit(&r);
	close(fd);
}

TEST(iopoll_with_sqpoll)
{
	NEED_DEV("XURING_NULLB");
	XT_DIFF(sqpoll);
}

/* Polled READ with BUFFER_SELECT names the buffer it used. */
XT_SCENARIO(select)
{
	unsigned char *mem = aligned_alloc(BS, 2 * BS);
	unsigned char *blk = aligned_alloc(BS, BS);
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd;

	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, blk);
	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	fill(blk, BS, 90);
	if (nullb_writable()) {
		ASSERT_EQ(BS, pwrite(fd, blk, BS, 4096 * BS));
	} else {
		memset(blk, 0, BS);
	}
	ASSERT_EQ(0, iopoll_ring(&r, kind, 8, 0));
	sqe = prep(&r, XURING_OP_PROVIDE_BUFFERS, 1, mem, BS, 33, 1);
	ASSERT_NE(NULL, sqe);
	sqe->buf_group = 6;
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_LE(0, cqe.res);
	sqe = prep(&r, XURING_OP_READ, fd, NULL, BS, 4096 * BS, 2);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT;
	sqe->buf_group = 6;
	ASSERT_EQ(1, xt_submit(&r));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(BS, cqe.res);
	EXPECT_EQ(XURING_CQE_F_BUFFER | (33U << 16), cqe.flags);
	xt_rec(log, cqe.res, "res");
	xt_rec(log, cqe.flags, "flags");
	EXPECT_EQ(0, memcmp(mem, blk, BS));
	xt_ring_exit(&r);
	close(fd);
	free(mem);
	free(blk);
}

TEST(polled_buffer_select)
{
	NEED_DEV("XURING_NULLB");
	XT_DIFF(select);
}

/*
 * GETEVENTS polls until min_complete CQEs are there; with nothing in
 * flight it returns instead of spinning.
 */
TEST(getevents_min_complete)
{
	unsigned char *buf = aligned_alloc(BS, 16 * BS);
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd, i, ret;
	long long t0;

	XT_NEED_XURING();
	NEED_DEV("XURING_NULLB");
	ASSERT_NE(NULL, buf);
	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, iopoll_ring(&r, XT_XURING, 16, 0));

	t0 = xt_now_ms();
	EXPECT_EQ(0, xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS));
	EXPECT_GT(1000, xt_now_ms() - t0);
	EXPECT_EQ(0U, xt_cq_ready(&r));

	for (i = 0; i < 16; i++)
		ASSERT_NE(NULL, prep(&r, XURING_OP_READ, fd, buf + i * BS, BS,
				     i * BS, i));
	ret = xt_enter(&r, xt_flush(&r), 16, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(16, ret);
	EXPECT_EQ(16U, xt_cq_ready(&r));
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		EXPECT_EQ(BS, cqe.res);
	}
	/* submitted without GETEVENTS: nothing shows until someone polls */
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, prep(&r, XURING_OP_READ, fd, buf + i * BS, BS,
				     i * BS, i));
	ASSERT_EQ(4, xt_submit(&r));
	xt_sleep_ms(20);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	EXPECT_EQ(0, xt_enter(&r, 0, 4, XURING_ENTER_GETEVENTS));
	EXPECT_EQ(4U, xt_cq_ready(&r));
	xt_ring_exit(&r);
	close(fd);
	free(buf);
}

/*
 * Closing the ring with polled I/O in flight, never reaped: the release
 * polls it to completion (the rmmod and kmemleak checks see the rest).
 */
XT_SCENARIO(close_in_flight)
{
	unsigned char *buf = aligned_alloc(BS, 64 * BS);
	unsigned int extra;
	struct xt_ring r;
	int fd, i;

	ASSERT_NE(NULL, buf);
	fd = open_dev("XURING_NULLB", O_RDWR);
	ASSERT_LE(0, fd);
	for (extra = 0; extra < 2; extra++) {
		ASSERT_EQ(0, iopoll_ring(&r, kind, 64,
					 extra ? XURING_SETUP_SQPOLL : 0));
		if (extra)
			ASSERT_EQ(0, xt_sys_register(kind, r.fd,
						     XURING_REGISTER_FILES,
						     &fd, 1));
		for (i = 0; i < 64; i++) {
			struct xuring_sqe *sqe;

			sqe = prep(&r, i & 1 || !nullb_writable() ?
				   XURING_OP_READ : XURING_OP_WRITE,
				   extra ? 0 : fd, buf + i * BS, BS,
				   (6000 + i) * BS, i);
			ASSERT_NE(NULL, sqe);
			if (extra)
				sqe->flags = XURING_SQE_FIXED_FILE;
		}
		xt_flush(&r);
		ASSERT_LE(0, xt_enter(&r, 64, 0, XURING_ENTER_SQ_WAKEUP *
				      extra));
		xt_ring_exit(&r);
	}
	/* the device is fine afterwards */
	ASSERT_EQ(BS, pread(fd, buf, BS, 6000 * BS));
	xt_rec(log, 0, "done");
	close(fd);
	free(buf);
}

TEST(close_with_polled_io_in_flight)
{
	NEED_DEV("XURING_NULLB");
	XT_DIFF(close_in_flight);
}

TEST_HARNESS_MAIN
