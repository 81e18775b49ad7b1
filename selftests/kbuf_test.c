// SPDX-License-Identifier: GPL-2.0
/*
 * Provided buffers: PROVIDE_BUFFERS / REMOVE_BUFFERS argument checks and
 * results, XURING_SQE_BUFFER_SELECT on READ and READV (buffer id in the CQE
 * flags, -ENOBUFS when the group is empty, the length cut to the buffer),
 * BUFFER_SELECT on ops without it, and buffers held by requests when they
 * are canceled or the ring closes. Where 5.10 differs from native 6.1/6.12
 * (result of PROVIDE_BUFFERS, which buffer goes first, empty groups) xuring
 * is held to 5.10 and native is only logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define BID(flags)	((flags) >> XURING_CQE_BUFFER_SHIFT)

static struct xuring_sqe *prep(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off)
{
	return xt_prep_sqe(r, op, fd, addr, len, off, 0x6000 + op, 0);
}

/* PROVIDE_BUFFERS: nbufs of len from addr, ids from bid, into group bgid. */
static struct xuring_sqe *prep_provide(struct xt_ring *r, void *addr,
				       unsigned int len, int nbufs,
				       unsigned int bgid, unsigned int bid)
{
	struct xuring_sqe *sqe = prep(r, XURING_OP_PROVIDE_BUFFERS, nbufs,
				      addr, len, bid);

	if (sqe)
		sqe->buf_group = bgid;
	return sqe;
}

static struct xuring_sqe *prep_remove(struct xt_ring *r, int nbufs,
				      unsigned int bgid)
{
	struct xuring_sqe *sqe = prep(r, XURING_OP_REMOVE_BUFFERS, nbufs,
				      NULL, 0, 0);

	if (sqe)
		sqe->buf_group = bgid;
	return sqe;
}

/* READ with BUFFER_SELECT from group bgid. */
static struct xuring_sqe *prep_read_sel(struct xt_ring *r, int fd,
					unsigned int len, uint64_t off,
					unsigned int bgid)
{
	struct xuring_sqe *sqe = prep(r, XURING_OP_READ, fd, NULL, len, off);

	if (sqe) {
		sqe->flags = XURING_SQE_BUFFER_SELECT;
		sqe->buf_group = bgid;
	}
	return sqe;
}

/* Submit, record res and flags, return res. */
#define ONE(tag) ({							\
	struct xuring_cqe __c;						\
	int __res = xt_one(_metadata, &r, &__c);			\
	xt_rec(log, __res, "%s.res", tag);				\
	xt_rec(log, __c.flags, "%s.flags", tag);			\
	__res;								\
})

/* Submit a PROVIDE_BUFFERS; 5.10's result differs, so record only >= 0. */
#define PROVIDE(tag) ({							\
	struct xuring_cqe __c;						\
	int __res = xt_one(_metadata, &r, &__c);			\
	xt_rec(log, __res < 0 ? __res : 0, "%s.ok", tag);		\
	__res;								\
})

static int data_file(unsigned int len)
{
	char path[64], *buf = malloc(len);
	unsigned int i;
	int fd;

	if (!buf)
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = 'a' + i % 26;
	fd = xt_tmpfile(path, sizeof(path));
	if (fd >= 0) {
		unlink(path);
		if (pwrite(fd, buf, len, 0) != (ssize_t)len) {
			close(fd);
			fd = -1;
		}
	}
	free(buf);
	return fd;
}

XT_SCENARIO(provide_args)
{
	static char mem[4096];
	struct xuring_sqe *sqe;
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 0, 1, 0));
	EXPECT_EQ(-E2BIG, ONE("nbufs0"));
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, -1, 1, 0));
	EXPECT_EQ(-E2BIG, ONE("nbufs-neg"));
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 1, 1, 65536));
	EXPECT_EQ(-E2BIG, ONE("bid-big"));
	ASSERT_NE(NULL, prep_provide(&r, (void *)0xffff888000000000UL, 64,
				     4, 1, 0));
	EXPECT_EQ(-EFAULT, ONE("kernel-addr"));
	/* past the end of the address space: 5.10 -EFAULT, 6.1 -EOVERFLOW */
	ASSERT_NE(NULL, prep_provide(&r, (void *)(~0UL - 100), 64, 4, 1, 0));
	if (kind == XT_XURING) {
		struct xuring_cqe cqe;

		EXPECT_EQ(-EFAULT, xt_one(_metadata, &r, &cqe));
	} else {
		struct xuring_cqe cqe;

		TH_LOG("native: wrapping buffers %d",
		       xt_one(_metadata, &r, &cqe));
	}
	sqe = prep_provide(&r, mem, 64, 1, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, ONE("rw_flags"));
	sqe = prep_provide(&r, mem, 64, 1, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->ioprio = 1;
	EXPECT_EQ(-EINVAL, ONE("ioprio"));

	ASSERT_NE(NULL, prep_remove(&r, 0, 1));
	EXPECT_EQ(-EINVAL, ONE("rm-nbufs0"));
	sqe = prep_remove(&r, 1, 1);
	ASSERT_NE(NULL, sqe);
	sqe->addr = 1;
	EXPECT_EQ(-EINVAL, ONE("rm-addr"));
	sqe = prep_remove(&r, 1, 1);
	ASSERT_NE(NULL, sqe);
	sqe->len = 1;
	EXPECT_EQ(-EINVAL, ONE("rm-len"));
	sqe = prep_remove(&r, 1, 1);
	ASSERT_NE(NULL, sqe);
	sqe->off = 1;
	EXPECT_EQ(-EINVAL, ONE("rm-off"));
	ASSERT_NE(NULL, prep_remove(&r, 1, 77));
	EXPECT_EQ(-ENOENT, ONE("rm-unknown"));

	/* provide and remove for real */
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 5, 9, 100));
	EXPECT_LE(0, PROVIDE("provide5"));
	ASSERT_NE(NULL, prep_remove(&r, 2, 9));
	EXPECT_EQ(2, ONE("rm2"));
	ASSERT_NE(NULL, prep_remove(&r, 10, 9));
	EXPECT_EQ(3, ONE("rm-rest"));
	xt_ring_exit(&r);
}

TEST(provide_remove_arguments)
{
	XT_DIFF(provide_args);
}

/* READ from a file and a pipe with BUFFER_SELECT, one buffer at a time. */
XT_SCENARIO(read_select)
{
	char *mem = calloc(1, 4096);
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int fd, p[2], res, dir;

	ASSERT_NE(NULL, mem);
	fd = data_file(1000);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(p));
	XT_RING(&r, kind, 8, NULL);

	/* empty group: -ENOBUFS */
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 100, 0, 3));
	EXPECT_EQ(-ENOBUFS, ONE("empty"));

	/* one 64-byte buffer, id 7: the read is cut to 64 */
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 1, 3, 7));
	EXPECT_LE(0, PROVIDE("one"));
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 100, 10, 3));
	res = ONE("read");
	EXPECT_EQ(64, res);
	EXPECT_EQ(0, memcmp(mem, "klmnopqrst", 10));
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 100, 0, 3));
	EXPECT_EQ(-ENOBUFS, ONE("used-up"));

	/* shorter than the buffer; sqe->addr is not used */
	ASSERT_NE(NULL, prep_provide(&r, mem + 100, 200, 1, 3, 65535));
	EXPECT_LE(0, PROVIDE("big"));
	sqe = prep_read_sel(&r, fd, 20, 26, 3);
	ASSERT_NE(NULL, sqe);
	sqe->addr = 0x1234;
	EXPECT_EQ(20, ONE("short"));
	EXPECT_EQ(0, memcmp(mem + 100, "abcdefghij", 10));

	/* a read that waits on a pipe keeps its buffer through the wait */
	ASSERT_NE(NULL, prep_provide(&r, mem + 400, 32, 1, 4, 12));
	EXPECT_LE(0, PROVIDE("pipe-buf"));
	ASSERT_NE(NULL, prep_read_sel(&r, p[0], 32, 0, 4));
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(20);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	ASSERT_EQ(5, write(p[1], "hello", 5));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(5, cqe.res);
	EXPECT_EQ(XURING_CQE_F_BUFFER | (12U << 16), cqe.flags);
	xt_rec(log, cqe.res, "pipe.res");
	xt_rec(log, cqe.flags, "pipe.flags");
	EXPECT_EQ(0, memcmp(mem + 400, "hello", 5));

	/* an error from the read itself still names (and uses up) the buffer */
	ASSERT_NE(NULL, prep_provide(&r, mem + 500, 32, 1, 5, 3));
	EXPECT_LE(0, PROVIDE("err-buf"));
	dir = open(".", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dir);
	ASSERT_NE(NULL, prep_read_sel(&r, dir, 32, 0, 5));
	res = ONE("dir");
	EXPECT_EQ(-EISDIR, res);
	close(dir);
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 32, 0, 5));
	EXPECT_EQ(-ENOBUFS, ONE("dir-used-up"));

	xt_ring_exit(&r);
	close(fd);
	close(p[0]);
	close(p[1]);
	free(mem);
}

TEST(read_buffer_select)
{
	XT_DIFF(read_select);
}

/* 2 GiB + 2 MiB of address space, one 2 MiB memfd mapped over and over */
#define HUGE_PIECE	(2UL << 20)
#define HUGE_BUF	((2UL << 30) + HUGE_PIECE)
/* the kernel's MAX_RW_COUNT with 4 KiB pages: INT_MAX & PAGE_MASK */
#define MAX_RW		0x7ffff000

/*
 * A provided buffer past 2 GiB read into by READV with BUFFER_SELECT from
 * /dev/zero: MAX_RW_COUNT bytes, never a result past INT_MAX that reads as
 * an errno (CVE-2021-3491's pattern). In a worker (IOSQE_ASYNC): a
 * non-blocking attempt may stop early, when /dev/zero sees need_resched.
 */
XT_SCENARIO(readv_select_huge_buffer)
{
	struct xuring_sqe *sqe;
	unsigned long off;
	struct iovec iov;
	struct xt_ring r;
	int mfd, zfd;
	char *base;

	mfd = memfd_create("xt-huge", 0);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, HUGE_PIECE));
	base = mmap(NULL, HUGE_BUF, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, base);
	for (off = 0; off < HUGE_BUF; off += HUGE_PIECE)
		ASSERT_EQ(base + off,
			  mmap(base + off, HUGE_PIECE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED | MAP_POPULATE, mfd, 0));
	zfd = open("/dev/zero", O_RDONLY);
	ASSERT_LE(0, zfd);
	XT_RING(&r, kind, 8, NULL);
	ASSERT_NE(NULL, prep_provide(&r, base, (unsigned int)HUGE_BUF, 1, 1,
				     7));
	EXPECT_LE(0, PROVIDE("huge"));
	iov.iov_base = NULL;
	iov.iov_len = HUGE_BUF;
	sqe = prep(&r, XURING_OP_READV, zfd, &iov, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT | XURING_SQE_ASYNC;
	sqe->buf_group = 1;
	EXPECT_EQ(MAX_RW, ONE("readv"));
	close(zfd);
	close(mfd);
	xt_ring_exit(&r);
	munmap(base, HUGE_BUF);
}

/*
 * 2 GiB zeroed twice, and a million page table entries: the debug lane's
 * KASAN kernel takes more than the harness's default 30 s.
 */
FIXTURE(huge) {
};

FIXTURE_SETUP(huge)
{
}

FIXTURE_TEARDOWN(huge)
{
}

TEST_F_TIMEOUT(huge, readv_select_huge_buffer, 300)
{
	XT_DIFF(readv_select_huge_buffer);
}

XT_SCENARIO(readv_select)
{
	char *mem = calloc(1, 4096);
	struct xuring_sqe *sqe;
	struct iovec iov[2];
	struct xt_ring r;
	int fd;

	ASSERT_NE(NULL, mem);
	fd = data_file(1000);
	ASSERT_LE(0, fd);
	XT_RING(&r, kind, 8, NULL);
	ASSERT_NE(NULL, prep_provide(&r, mem, 128, 1, 1, 40));
	EXPECT_LE(0, PROVIDE("one"));

	/* one iovec: its length counts, its base does not */
	iov[0].iov_base = (void *)0x10;
	iov[0].iov_len = 50;
	sqe = prep(&r, XURING_OP_READV, fd, iov, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	EXPECT_EQ(50, ONE("readv"));
	/* more than one iovec: -EINVAL */
	iov[1] = iov[0];
	sqe = prep(&r, XURING_OP_READV, fd, iov, 2, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	EXPECT_EQ(-EINVAL, ONE("two-iovecs"));
	/* the iovec unreadable: -EFAULT */
	sqe = prep(&r, XURING_OP_READV, fd, xt_unmapped_page(), 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	EXPECT_EQ(-EFAULT, ONE("fault"));
	xt_ring_exit(&r);
	close(fd);
	free(mem);
}

TEST(readv_buffer_select)
{
	XT_DIFF(readv_select);
}

/* BUFFER_SELECT on ops that do not take it: -EOPNOTSUPP. */
XT_SCENARIO(not_selectable)
{
	static const int ops[] = {
		XURING_OP_NOP, XURING_OP_WRITE, XURING_OP_WRITEV,
		XURING_OP_READ_FIXED, XURING_OP_WRITE_FIXED, XURING_OP_FSYNC,
		XURING_OP_PROVIDE_BUFFERS, XURING_OP_REMOVE_BUFFERS,
		XURING_OP_ASYNC_CANCEL, XURING_OP_FILES_UPDATE,
	};
	static char mem[64];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char tag[32];
	unsigned int i;
	int fd = data_file(64);

	ASSERT_LE(0, fd);
	XT_RING(&r, kind, 8, NULL);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		sqe = prep(&r, ops[i], fd, mem, 8, 0);
		ASSERT_NE(NULL, sqe);
		sqe->flags = XURING_SQE_BUFFER_SELECT;
		snprintf(tag, sizeof(tag), "op%d", ops[i]);
		EXPECT_EQ(-EOPNOTSUPP, ONE(tag)) TH_LOG("op %d", ops[i]);
	}
	xt_ring_exit(&r);
	close(fd);
}

TEST(buffer_select_unsupported_ops)
{
	XT_DIFF(not_selectable);
}

/*
 * Several buffers: which ids come out. 5.10 hands out the last provided
 * first, native 6.1 the first; both hand out every id once.
 */
XT_SCENARIO(many)
{
	char *mem = calloc(1, 64 * 16);
	unsigned int seen = 0, order[8], i;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd;

	ASSERT_NE(NULL, mem);
	fd = data_file(64);
	ASSERT_LE(0, fd);
	XT_RING(&r, kind, 16, NULL);
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 8, 2, 0));
	EXPECT_LE(0, PROVIDE("eight"));
	for (i = 0; i < 8; i++) {
		ASSERT_NE(NULL, prep_read_sel(&r, fd, 64, 0, 2));
		ASSERT_EQ(64, xt_one(_metadata, &r, &cqe));
		ASSERT_TRUE(cqe.flags & XURING_CQE_F_BUFFER);
		order[i] = BID(cqe.flags);
		ASSERT_GT(8U, order[i]);
		/* the data landed in that buffer */
		EXPECT_EQ(0, memcmp(mem + 64 * order[i], "abcdefgh", 8));
		memset(mem + 64 * order[i], 0, 64);
		seen |= 1U << order[i];
	}
	EXPECT_EQ(0xffU, seen);
	xt_rec(log, seen, "seen");
	if (kind == XT_XURING) {
		for (i = 0; i < 8; i++) {
			EXPECT_EQ(7 - i, order[i]) TH_LOG("read %u", i);
		}
	} else {
		TH_LOG("native order: %u %u %u ... %u", order[0], order[1],
		       order[2], order[7]);
	}
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 64, 0, 2));
	EXPECT_EQ(-ENOBUFS, ONE("none-left"));
	xt_ring_exit(&r);
	close(fd);
	free(mem);
}

TEST(every_buffer_once)
{
	XT_DIFF(many);
}

/* 5.10's own answers, where later kernels changed them: xuring alone. */
TEST(provide_510_details)
{
	char *mem = calloc(1, 4096);
	struct xt_log *log = xt_log_new();
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd, i;

	XT_NEED_XURING();
	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, log);
	fd = data_file(64);
	ASSERT_LE(0, fd);
	XT_RING(&r, XT_XURING, 8, NULL);
	/* a new group answers with its id, an existing one with the count */
	ASSERT_NE(NULL, prep_provide(&r, mem, 16, 5, 300, 10));
	EXPECT_EQ(300, ONE("new"));
	ASSERT_NE(NULL, prep_provide(&r, mem + 100, 16, 3, 300, 20));
	EXPECT_EQ(3, ONE("more"));
	/* 65535 is the most buffers at once (65536 in later kernels) */
	ASSERT_NE(NULL, prep_provide(&r, mem, 1, 65536, 301, 0));
	EXPECT_EQ(-E2BIG, ONE("65536"));
	/* zero-length buffers are allowed (later kernels: -EINVAL) */
	ASSERT_NE(NULL, prep_provide(&r, mem, 0, 2, 302, 0));
	EXPECT_EQ(302, ONE("len0"));
	/* and a zero-length read takes a buffer and reads nothing */
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 0, 0, 302));
	EXPECT_EQ(0, xt_one(_metadata, &r, &cqe));
	EXPECT_EQ(XURING_CQE_F_BUFFER | (1U << 16), cqe.flags);
	/*
	 * Group 300 is [10..14, 20..22]: removing takes from the second on
	 * (11, 12), then reads take the last: 22, 21, 20, 14, 13, 10.
	 */
	ASSERT_NE(NULL, prep_remove(&r, 2, 300));
	EXPECT_EQ(2, ONE("rm2"));
	{
		static const unsigned int want[] = { 22, 21, 20, 14, 13, 10 };

		for (i = 0; i < 6; i++) {
			ASSERT_NE(NULL, prep_read_sel(&r, fd, 8, 0, 300));
			EXPECT_EQ(8, xt_one(_metadata, &r, &cqe));
			EXPECT_EQ(want[i], BID(cqe.flags));
		}
	}
	/* an emptied group is gone: remove says -ENOENT (later kernels 0) */
	ASSERT_NE(NULL, prep_remove(&r, 1, 300));
	EXPECT_EQ(-ENOENT, ONE("rm-empty"));
	/* READV: a negative iovec length is -EINVAL (6.1 reads the buffer) */
	{
		struct iovec iov = { mem, (size_t)-5 };
		struct xuring_sqe *sqe;

		ASSERT_NE(NULL, prep_provide(&r, mem, 8, 1, 304, 0));
		EXPECT_EQ(304, ONE("neg-buf"));
		sqe = prep(&r, XURING_OP_READV, fd, &iov, 1, 0);
		ASSERT_NE(NULL, sqe);
		sqe->flags = XURING_SQE_BUFFER_SELECT;
		sqe->buf_group = 304;
		EXPECT_EQ(-EINVAL, ONE("neg-len"));
	}
	/* bids wrap at 65536 */
	ASSERT_NE(NULL, prep_provide(&r, mem, 8, 2, 303, 65535));
	EXPECT_EQ(303, ONE("wrap"));
	ASSERT_NE(NULL, prep_read_sel(&r, fd, 8, 0, 303));
	EXPECT_EQ(8, xt_one(_metadata, &r, &cqe));
	EXPECT_EQ(0U, BID(cqe.flags));
	xt_ring_exit(&r);
	close(fd);
	free(mem);
	xt_log_free(log);
}

/*
 * A read canceled while waiting loses the buffer it had (5.10; later
 * kernels put it back when the read starts waiting), and buffers still in
 * a group or held by a waiting read go with the ring.
 */
TEST(buffers_of_canceled_and_closed)
{
	char *mem = calloc(1, 4096);
	struct xt_log *log = xt_log_new();
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int p[2], i;

	XT_NEED_XURING();
	ASSERT_NE(NULL, mem);
	ASSERT_NE(NULL, log);
	ASSERT_EQ(0, pipe(p));
	XT_RING(&r, XT_XURING, 8, NULL);
	ASSERT_NE(NULL, prep_provide(&r, mem, 64, 1, 1, 5));
	EXPECT_EQ(1, ONE("one"));
	sqe = prep_read_sel(&r, p[0], 64, 0, 1);
	ASSERT_NE(NULL, sqe);
	sqe->user_data = 1;
	ASSERT_EQ(1, xt_submit(&r));
	sqe = prep(&r, XURING_OP_ASYNC_CANCEL, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->addr = 1;
	sqe->user_data = 2;
	ASSERT_EQ(1, xt_submit(&r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		if (cqe.user_data == 1) {
			EXPECT_EQ(-ECANCELED, cqe.res);
			EXPECT_EQ(0U, cqe.flags);
		} else {
			EXPECT_EQ(0, cqe.res);
		}
	}
	ASSERT_NE(NULL, prep_read_sel(&r, p[0], 64, 0, 1));
	EXPECT_EQ(-ENOBUFS, ONE("lost"));

	/* leave buffers in groups and one held by a waiting read */
	ASSERT_NE(NULL, prep_provide(&r, mem, 16, 100, 1, 0));
	EXPECT_EQ(1, ONE("hundred"));
	ASSERT_NE(NULL, prep_provide(&r, mem, 16, 10, 2, 0));
	EXPECT_EQ(2, ONE("ten"));
	ASSERT_NE(NULL, prep_read_sel(&r, p[0], 16, 0, 2));
	ASSERT_EQ(1, xt_submit(&r));
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
	free(mem);
	xt_log_free(log);
}

TEST_HARNESS_MAIN
