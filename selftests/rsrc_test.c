// SPDX-License-Identifier: GPL-2.0
/*
 * Registered resources: REGISTER_FILES_UPDATE and the FILES_UPDATE op
 * (sparse slots, bad fds, updates under requests in flight), and the fixed
 * buffers: REGISTER_BUFFERS / UNREGISTER_BUFFERS argument checks,
 * READ_FIXED / WRITE_FIXED data and range checks, RLIMIT_MEMLOCK, and
 * unregistering or closing with fixed-buffer I/O in flight.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define PG 4096

static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 13 + seed * 5 + (i >> 9));
}

/* A tmpfs file holding len pattern bytes; O_RDWR. */
static int pattern_file(size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len);
	char path[64];
	int fd;

	if (!buf)
		return -1;
	fd = xt_tmpfile(path, sizeof(path));
	if (fd >= 0) {
		unlink(path);
		fill(buf, len, seed);
		if (pwrite(fd, buf, len, 0) != (ssize_t)len) {
			close(fd);
			fd = -1;
		}
	}
	free(buf);
	return fd;
}

/* Submit one SQE prepared by the caller; record and return its result. */
static int run_one(struct __test_metadata *_metadata, struct xt_ring *r,
		   struct xt_log *log, const char *tag)
{
	struct xuring_cqe cqe;
	int ret;

	ret = xt_submit_one(r, &cqe);
	EXPECT_EQ(0, ret) TH_LOG("%s: submit %d", tag, ret);
	if (ret)
		return ret;
	xt_rec(log, cqe.res, "%s.res", tag);
	xt_rec(log, cqe.flags, "%s.flags", tag);
	return cqe.res;
}

static struct xuring_sqe *prep(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off)
{
	return xt_prep_sqe(r, op, fd, addr, len, off, 0x5000 + op, 0);
}

/* register / unregister results, recorded */
#define REG(tag, op, arg, nr) XT_REG_REC(log, &r, tag, op, arg, nr)

/* ---- fixed files ---- */

XT_SCENARIO(files_update_register)
{
	int a = pattern_file(64, 1), b = pattern_file(64, 2);
	int c = pattern_file(64, 3);
	struct xuring_files_update up;
	struct xuring_sqe *sqe;
	char buf[64], want[64];
	int fds[4], ret;
	struct xt_ring r;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	XT_RING(&r, kind, 8, NULL);

	memset(&up, 0, sizeof(up));
	fds[0] = c;
	up.fds = (uintptr_t)fds;
	EXPECT_EQ(-ENXIO, REG("no-table", XURING_REGISTER_FILES_UPDATE,
			      &up, 1));

	fds[0] = a;
	fds[1] = -1;
	fds[2] = b;
	ASSERT_EQ(0, REG("register", XURING_REGISTER_FILES, fds, 3));

	EXPECT_EQ(-EINVAL, REG("nr0", XURING_REGISTER_FILES_UPDATE, &up, 0));
	EXPECT_EQ(-EFAULT, REG("arg-null", XURING_REGISTER_FILES_UPDATE,
			       NULL, 1));
	up.resv = 1;
	EXPECT_EQ(-EINVAL, REG("resv", XURING_REGISTER_FILES_UPDATE, &up, 1));
	up.resv = 0;
	up.offset = 0xffffffffU;
	EXPECT_EQ(-EOVERFLOW, REG("overflow", XURING_REGISTER_FILES_UPDATE,
				  &up, 2));
	up.offset = 2;
	EXPECT_EQ(-EINVAL, REG("past-end", XURING_REGISTER_FILES_UPDATE,
			       &up, 2));
	up.offset = 0;
	up.fds = (uintptr_t)xt_unmapped_page();
	EXPECT_EQ(-EFAULT, REG("fds-fault", XURING_REGISTER_FILES_UPDATE,
			       &up, 1));
	up.fds = (uintptr_t)fds;

	/* fill the sparse slot 1 with c, and read through it */
	fds[0] = c;
	up.offset = 1;
	EXPECT_EQ(1, REG("fill1", XURING_REGISTER_FILES_UPDATE, &up, 1));
	sqe = prep(&r, XURING_OP_READ, 1, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(64, run_one(_metadata, &r, log, "read1"));
	fill((unsigned char *)want, sizeof(want), 3);
	EXPECT_EQ(0, memcmp(buf, want, sizeof(buf)));

	/* empty slot 0: it no longer reads */
	fds[0] = -1;
	up.offset = 0;
	EXPECT_EQ(1, REG("clear0", XURING_REGISTER_FILES_UPDATE, &up, 1));
	sqe = prep(&r, XURING_OP_READ, 0, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, run_one(_metadata, &r, log, "read0"));

	/* a bad fd after a good one: one done, the bad slot left empty */
	fds[0] = a;
	fds[1] = 9999;
	EXPECT_EQ(1, REG("good-bad", XURING_REGISTER_FILES_UPDATE, &up, 2));
	sqe = prep(&r, XURING_OP_READ, 1, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, run_one(_metadata, &r, log, "read-bad-slot"));
	fds[0] = 9999;
	EXPECT_EQ(-EBADF, REG("bad-first", XURING_REGISTER_FILES_UPDATE,
			      &up, 1));
	/* a ring cannot be put in its own table (io_uring's own rule) */
	fds[0] = r.fd;
	up.offset = 2;
	EXPECT_EQ(-EBADF, REG("ring-fd", XURING_REGISTER_FILES_UPDATE,
			      &up, 1));
	/* slot 2 lost b on the way (the old file goes first, as in 5.10) */
	sqe = prep(&r, XURING_OP_READ, 2, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	ret = run_one(_metadata, &r, log, "read2");
	EXPECT_EQ(-EBADF, ret);

	EXPECT_EQ(0, REG("unregister", XURING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(-ENXIO, REG("after", XURING_REGISTER_FILES_UPDATE, &up, 1));
	xt_ring_exit(&r);
	close(a);
	close(b);
	close(c);
}

TEST(register_files_update)
{
	XT_DIFF(files_update_register);
}

XT_SCENARIO(files_update_op)
{
	int a = pattern_file(64, 4), b = pattern_file(64, 5);
	struct xuring_sqe *sqe;
	char buf[64], want[64];
	struct xt_ring r;
	int fds[2];

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	XT_RING(&r, kind, 8, NULL);
	fds[0] = -1;
	fds[1] = -1;
	ASSERT_EQ(0, REG("register", XURING_REGISTER_FILES, fds, 2));

	fds[0] = a;
	fds[1] = b;
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 2, 0));
	EXPECT_EQ(2, run_one(_metadata, &r, log, "update2"));
	sqe = prep(&r, XURING_OP_READ, 1, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(64, run_one(_metadata, &r, log, "read1"));
	fill((unsigned char *)want, sizeof(want), 5);
	EXPECT_EQ(0, memcmp(buf, want, sizeof(buf)));

	/* offset 1, one slot: -1 empties it */
	fds[0] = -1;
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 1));
	EXPECT_EQ(1, run_one(_metadata, &r, log, "clear1"));
	sqe = prep(&r, XURING_OP_READ, 1, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EBADF, run_one(_metadata, &r, log, "read-cleared"));

	/* argument checks */
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 0, 0));
	EXPECT_EQ(-EINVAL, run_one(_metadata, &r, log, "len0"));
	sqe = prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EINVAL, run_one(_metadata, &r, log, "fixed-flag"));
	sqe = prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, run_one(_metadata, &r, log, "rw_flags"));
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1,
			     xt_unmapped_page(), 1, 0));
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "fault"));
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 2, 1));
	EXPECT_EQ(-EINVAL, run_one(_metadata, &r, log, "past-end"));
	sqe = prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_BUFFER_SELECT;
	EXPECT_EQ(-EOPNOTSUPP, run_one(_metadata, &r, log, "bufsel"));
	/* with XURING_SQE_ASYNC it still works */
	fds[0] = b;
	sqe = prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(1, run_one(_metadata, &r, log, "async"));
	sqe = prep(&r, XURING_OP_READ, 0, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(64, run_one(_metadata, &r, log, "read0"));

	xt_ring_exit(&r);
	close(a);
	close(b);
}

TEST(files_update_op)
{
	XT_DIFF(files_update_op);
}

/* Where 5.10 and native 6.1/6.12 differ: xuring is checked alone. */
TEST(files_update_510_details)
{
	struct xuring_files_update up;
	struct xt_log *log = xt_log_new();
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int fds[2] = { -1, -1 };
	int res;

	XT_NEED_XURING();
	ASSERT_NE(NULL, log);
	XT_RING(&r, XT_XURING, 4, NULL);
	/* the op without a table: 5.10 -EINVAL (6.1 says -ENXIO) */
	ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 0));
	EXPECT_EQ(-EINVAL, run_one(_metadata, &r, log, "no-table"));
	ASSERT_EQ(0, xt_register(&r, XURING_REGISTER_FILES, fds, 2));
	/* -2 is no fd in 5.10 (later kernels skip the slot) */
	fds[0] = -2;
	memset(&up, 0, sizeof(up));
	up.fds = (uintptr_t)fds;
	EXPECT_EQ(-EBADF,
		  xt_register(&r, XURING_REGISTER_FILES_UPDATE, &up, 1));
	/* a buffer index on READ without BUFFER_SELECT: 5.10 -EINVAL */
	sqe = prep(&r, XURING_OP_READ, 0, fds, 4, 0);
	ASSERT_NE(NULL, sqe);
	sqe->buf_index = 1;
	res = run_one(_metadata, &r, log, "buf_index");
	EXPECT_EQ(-EINVAL, res);
	xt_ring_exit(&r);

	/* SQPOLL: 5.10 refuses FILES_UPDATE (later kernels allow it) */
	{
		struct xuring_params p;
		struct xuring_cqe cqe;

		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_SQPOLL;
		XT_RING(&r, XT_XURING, 4, &p);
		ASSERT_EQ(0,
			  xt_register(&r, XURING_REGISTER_FILES, fds + 1, 1));
		ASSERT_NE(NULL, prep(&r, XURING_OP_FILES_UPDATE, -1, fds + 1,
				     1, 0));
		xt_flush(&r);
		ASSERT_LE(0, xt_enter(&r, 1, 0, XURING_ENTER_SQ_WAKEUP));
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(-EINVAL, cqe.res);
		xt_ring_exit(&r);
	}
	xt_log_free(log);
}

/* Requests in flight keep their files when the slot changes. */
XT_SCENARIO(update_in_flight)
{
	struct xuring_files_update up;
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	int p[2], q[2], fds[2];
	char buf[16];
	struct xt_ring r;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(q));
	XT_RING(&r, kind, 8, NULL);
	fds[0] = p[0];
	fds[1] = q[0];
	ASSERT_EQ(0, REG("register", XURING_REGISTER_FILES, fds, 2));
	/* two reads that wait: slot 0 and slot 1 */
	sqe = prep(&r, XURING_OP_READ, 0, buf, 8, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	sqe->user_data = 1;
	ASSERT_EQ(1, xt_submit(&r));
	sqe = prep(&r, XURING_OP_READ, 1, buf + 8, 8, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	sqe->user_data = 2;
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(20);
	EXPECT_EQ(0U, xt_cq_ready(&r));

	/* slot 0 emptied by REGISTER_FILES_UPDATE, slot 1 by the op */
	fds[0] = -1;
	memset(&up, 0, sizeof(up));
	up.fds = (uintptr_t)fds;
	EXPECT_EQ(1, REG("reg-clear", XURING_REGISTER_FILES_UPDATE, &up, 1));
	sqe = prep(&r, XURING_OP_FILES_UPDATE, -1, fds, 1, 1);
	ASSERT_NE(NULL, sqe);
	sqe->user_data = 3;
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(3ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	xt_rec(log, cqe.res, "op-clear");

	/* the files are still there for the reads waiting on them */
	ASSERT_EQ(8, write(p[1], "abcdefgh", 8));
	ASSERT_EQ(8, write(q[1], "ABCDEFGH", 8));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(8, cqe.res);
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(8, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "abcdefghABCDEFGH", 16));
	xt_rec(log, memcmp(buf, "abcdefghABCDEFGH", 16), "data");

	/*
	 * And a read waiting while the whole table goes: xuring returns at
	 * once, 5.10 and native wait for the read, so only xuring is asked.
	 */
	if (kind != XT_XURING)
		goto out;
	fds[0] = p[0];
	up.offset = 0;
	EXPECT_EQ(1, xt_register(&r, XURING_REGISTER_FILES_UPDATE, &up, 1));
	sqe = prep(&r, XURING_OP_READ, 0, buf, 4, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	ASSERT_EQ(1, xt_submit(&r));
	EXPECT_EQ(0, xt_register(&r, XURING_UNREGISTER_FILES, NULL, 0));
	close(p[0]);
	ASSERT_EQ(4, write(p[1], "wxyz", 4));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(4, cqe.res);
out:
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

TEST(update_with_requests_in_flight)
{
	XT_DIFF(update_in_flight);
}

/* ---- fixed buffers ---- */

XT_SCENARIO(buffers_register_args)
{
	void *buf = aligned_alloc(PG, 4 * PG);
	void *ro, *none;
	struct iovec iov[2];
	struct xt_ring r;

	ASSERT_NE(NULL, buf);
	ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	none = xt_unmapped_page();
	XT_RING(&r, kind, 4, NULL);

	EXPECT_EQ(-ENXIO, REG("unreg-none", XURING_UNREGISTER_BUFFERS,
			      NULL, 0));
	iov[0].iov_base = buf;
	iov[0].iov_len = PG;
	EXPECT_EQ(-EINVAL, REG("nr0", XURING_REGISTER_BUFFERS, iov, 0));
	EXPECT_EQ(-EFAULT, REG("arg-null", XURING_REGISTER_BUFFERS, NULL, 1));
	EXPECT_EQ(-EFAULT, REG("arg-fault", XURING_REGISTER_BUFFERS,
			       none, 1));
	iov[0].iov_base = NULL;
	iov[0].iov_len = PG;
	EXPECT_EQ(-EFAULT, REG("base-null", XURING_REGISTER_BUFFERS, iov, 1));
	iov[0].iov_base = buf;
	iov[0].iov_len = 0;
	EXPECT_EQ(-EFAULT, REG("len0", XURING_REGISTER_BUFFERS, iov, 1));
	iov[0].iov_len = (1UL << 30) + 1;
	EXPECT_EQ(-EFAULT, REG("over-1g", XURING_REGISTER_BUFFERS, iov, 1));
	iov[0].iov_base = none;
	iov[0].iov_len = PG;
	EXPECT_EQ(-EFAULT, REG("unmapped", XURING_REGISTER_BUFFERS, iov, 1));
	iov[0].iov_base = ro;
	EXPECT_EQ(-EFAULT, REG("read-only", XURING_REGISTER_BUFFERS, iov, 1));
	/* the second entry bad: nothing stays registered */
	iov[0].iov_base = buf;
	iov[1].iov_base = none;
	iov[1].iov_len = PG;
	EXPECT_EQ(-EFAULT, REG("second-bad", XURING_REGISTER_BUFFERS, iov, 2));
	EXPECT_EQ(-ENXIO, REG("still-none", XURING_UNREGISTER_BUFFERS,
			      NULL, 0));

	iov[1].iov_base = (char *)buf + 2 * PG;
	iov[1].iov_len = 2 * PG;
	EXPECT_EQ(0, REG("register", XURING_REGISTER_BUFFERS, iov, 2));
	EXPECT_EQ(-EBUSY, REG("twice", XURING_REGISTER_BUFFERS, iov, 2));
	EXPECT_EQ(-EINVAL, REG("unreg-arg", XURING_UNREGISTER_BUFFERS,
			       iov, 0));
	EXPECT_EQ(-EINVAL, REG("unreg-nr", XURING_UNREGISTER_BUFFERS,
			       NULL, 1));
	EXPECT_EQ(0, REG("unregister", XURING_UNREGISTER_BUFFERS, NULL, 0));
	EXPECT_EQ(0, REG("again", XURING_REGISTER_BUFFERS, iov, 1));
	xt_ring_exit(&r);
	munmap(ro, PG);
	free(buf);
}

TEST(register_buffers_arguments)
{
	XT_DIFF(buffers_register_args);
}

/* Where 5.10 and native 6.1/6.12 differ: xuring alone. */
TEST(register_buffers_510_limits)
{
	void *buf = aligned_alloc(PG, PG);
	struct iovec *iov;
	char path[64];
	struct xt_ring r;
	void *shared;
	int fd, ret;

	XT_NEED_XURING();
	ASSERT_NE(NULL, buf);
	iov = calloc(1025, sizeof(*iov));
	ASSERT_NE(NULL, iov);
	XT_RING(&r, XT_XURING, 4, NULL);
	for (int i = 0; i < 1025; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = PG;
	}
	/* 5.10 takes up to UIO_MAXIOV buffers (later kernels 16384) */
	EXPECT_EQ(-EINVAL, xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1025));
	EXPECT_EQ(0, xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1024));
	EXPECT_EQ(0, xt_register(&r, XURING_UNREGISTER_BUFFERS, NULL, 0));
	/* NULL and 0 is no sparse slot in 5.10 (later kernels allow it) */
	iov[0].iov_base = NULL;
	iov[0].iov_len = 0;
	EXPECT_EQ(-EFAULT, xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1));
	/* file-backed memory, shmem included, is refused as in 5.10 */
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, ftruncate(fd, PG));
	shared = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	iov[0].iov_base = shared;
	iov[0].iov_len = PG;
	ret = xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1);
	EXPECT_EQ(-EOPNOTSUPP, ret);
	if (xt_native_available()) {
		struct xt_ring n;

		XT_RING(&n, XT_NATIVE, 4, NULL);
		TH_LOG("native REGISTER_BUFFERS of shmem: %d",
		       xt_register(&n, XURING_REGISTER_BUFFERS, iov, 1));
		xt_ring_exit(&n);
	}
	munmap(shared, PG);
	close(fd);
	xt_ring_exit(&r);
	free(iov);
	free(buf);
}

/* READ_FIXED / WRITE_FIXED on a tmpfs file, data and ranges. */
XT_SCENARIO(fixed_rw)
{
	const size_t blen = 5 * PG;
	unsigned char *buf = aligned_alloc(PG, blen + PG);
	unsigned char *want = malloc(blen), *ubuf;
	struct xuring_sqe *sqe;
	struct iovec iov[2];
	struct xt_ring r;
	int fd, res;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, want);
	fd = pattern_file(blen, 7);
	ASSERT_LE(0, fd);
	fill(want, blen, 7);
	XT_RING(&r, kind, 8, NULL);

	/* no buffers yet */
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, buf, PG, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "none"));

	/* buffer 0 starts 100 bytes into a page and spans 5 pages */
	ubuf = buf + 100;
	iov[0].iov_base = ubuf;
	iov[0].iov_len = blen - 200;
	iov[1].iov_base = buf;
	iov[1].iov_len = 64;
	ASSERT_EQ(0, REG("register", XURING_REGISTER_BUFFERS, iov, 2));

	memset(buf, 0, blen + PG);
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf, blen - 200, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ((int)(blen - 200), run_one(_metadata, &r, log, "whole"));
	EXPECT_EQ(0, memcmp(ubuf, want, blen - 200));

	/* from inside: the first page, and pages later (the skip path) */
	memset(buf, 0, blen + PG);
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf + 3000, 500, 10);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(500, run_one(_metadata, &r, log, "in-first"));
	EXPECT_EQ(0, memcmp(ubuf + 3000, want + 10, 500));
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf + 3 * PG + 17,
		   PG + 5, 33);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(PG + 5, run_one(_metadata, &r, log, "later-pages"));
	EXPECT_EQ(0, memcmp(ubuf + 3 * PG + 17, want + 33, PG + 5));
	/* exactly at the end, length 0 */
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf + blen - 200, 0, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(0, run_one(_metadata, &r, log, "end-len0"));

	/* outside the buffer: -EFAULT */
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf - 1, 10, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "before"));
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, ubuf + blen - 210, 11, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "past-end"));
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, (void *)~0UL, 10, 0);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "wrap"));
	/* buffer 1 is 64 bytes at buf: 65 is too many */
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, buf, 65, 0);
	ASSERT_NE(NULL, sqe);
	sqe->buf_index = 1;
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "buf1-65"));
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, buf, 64, 0);
	ASSERT_NE(NULL, sqe);
	sqe->buf_index = 1;
	EXPECT_EQ(64, run_one(_metadata, &r, log, "buf1-64"));
	/* no buffer 2 */
	sqe = prep(&r, XURING_OP_READ_FIXED, fd, buf, 64, 0);
	ASSERT_NE(NULL, sqe);
	sqe->buf_index = 2;
	EXPECT_EQ(-EFAULT, run_one(_metadata, &r, log, "index2"));

	/* WRITE_FIXED, then read the file back */
	fill(ubuf, blen - 200, 9);
	sqe = prep(&r, XURING_OP_WRITE_FIXED, fd, ubuf + PG, 2 * PG, 100);
	ASSERT_NE(NULL, sqe);
	EXPECT_EQ(2 * PG, run_one(_metadata, &r, log, "write"));
	memset(want, 0, blen);
	ASSERT_EQ(2 * PG, pread(fd, want, 2 * PG, 100));
	res = memcmp(want, ubuf + PG, 2 * PG);
	EXPECT_EQ(0, res);
	xt_rec(log, res, "write-data");
	/* a read-only file: -EBADF */
	sqe = prep(&r, XURING_OP_WRITE_FIXED, 0, ubuf, 10, 0);
	ASSERT_NE(NULL, sqe);
	sqe->fd = open("/proc/self/exe", O_RDONLY);
	EXPECT_EQ(-EBADF, run_one(_metadata, &r, log, "write-rdonly"));
	close(sqe->fd);

	xt_ring_exit(&r);
	close(fd);
	free(want);
	free(buf);
}

TEST(read_write_fixed)
{
	XT_DIFF(fixed_rw);
}

/*
 * RLIMIT_MEMLOCK: a child without CAP_IPC_LOCK, with 64 KiB for buffers,
 * sets two rings up and pins buffers until the limit says no.
 * Unregistering and closing give the pages back. xuring also charges each
 * ring's own pages (2 for 4 entries: rings and SQEs), as 5.10 does and 6.x
 * does not: its limit is that much higher, so that the buffers see the same.
 */
static int memlock_child(enum xt_kind kind)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	const rlim_t rings = kind == XT_XURING ? 2 * 2 * PG : 0;
	struct rlimit rl = { 16 * PG + rings, 16 * PG + rings };
	char *mem = aligned_alloc(PG, 32 * PG);
	struct iovec iov[2];
	struct xt_ring r, r2;

	if (!mem)
		return 10;
	memset(mem, 1, 32 * PG);
	/* drop CAP_IPC_LOCK (and everything else) from the effective set */
	if (syscall(SYS_capget, &hdr, data))
		return 11;
	data[0].effective &= ~(1U << CAP_IPC_LOCK);
	data[0].permitted &= ~(1U << CAP_IPC_LOCK);
	if (syscall(SYS_capset, &hdr, data))
		return 12;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return 13;
	if (xt_ring_init(&r, kind, 4, NULL))
		return 14;
	if (xt_ring_init(&r2, kind, 4, NULL))
		return 22;
	/* 17 pages do not fit in 16 */
	iov[0].iov_base = mem;
	iov[0].iov_len = 17 * PG;
	if (xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1) != -ENOMEM)
		return 20;
	/* 12 do (once rings of earlier tests have given theirs back) */
	iov[0].iov_len = 12 * PG;
	for (int i = 0; xt_register(&r, XURING_REGISTER_BUFFERS, iov, 1); i++) {
		if (i == 200)
			return 21;
		xt_sleep_ms(10);
	}
	iov[0].iov_base = mem + 16 * PG;
	iov[0].iov_len = 4 * PG;
	iov[1].iov_base = mem + 20 * PG;
	iov[1].iov_len = PG;
	/* the first fits, the second does not: all of it fails */
	if (xt_register(&r2, XURING_REGISTER_BUFFERS, iov, 2) != -ENOMEM)
		return 23;
	if (xt_register(&r2, XURING_REGISTER_BUFFERS, iov, 1))
		return 24;
	if (xt_register(&r2, XURING_UNREGISTER_BUFFERS, NULL, 0))
		return 25;
	/* given back: 4 + 1 fit now, and are given back by the close */
	if (xt_register(&r2, XURING_REGISTER_BUFFERS, iov, 2) != -ENOMEM)
		return 26;
	if (xt_register(&r2, XURING_REGISTER_BUFFERS, iov, 1))
		return 27;
	xt_ring_exit(&r2);
	/*
	 * The closed ring's pages come back (5.10 does it at release; on
	 * xuring, the ring's own too, once it is freed in a work item).
	 */
	r2.fd = -1;
	for (int i = 0; i < 200; i++, xt_sleep_ms(10)) {
		if (xt_ring_init(&r2, kind, 4, NULL)) {
			r2.fd = -1;
			continue;
		}
		if (!xt_register(&r2, XURING_REGISTER_BUFFERS, iov, 1))
			break;
		xt_ring_exit(&r2);
		r2.fd = -1;
	}
	if (r2.fd < 0)
		return 29;
	xt_ring_exit(&r2);
	xt_ring_exit(&r);
	free(mem);
	return 0;
}

XT_SCENARIO(memlock)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(memlock_child(kind));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("%s child failed at step %d", xt_kind_name(kind),
		       WEXITSTATUS(status));
	xt_rec(log, WEXITSTATUS(status), "child");
}

TEST(memlock_limit)
{
	XT_DIFF(memlock);
}

struct pipe_writer {
	pthread_t thread;
	int fd;
	unsigned int delay_ms;
	unsigned int count;
};

static void *pipe_writer_fn(void *arg)
{
	struct pipe_writer *w = arg;
	unsigned int i;

	xt_sleep_ms(w->delay_ms);
	for (i = 0; i < w->count; i++)
		if (write(w->fd, "01234567", 8) != 8)
			break;
	return NULL;
}

/*
 * Unregistering the buffers while READ_FIXEDs wait on a pipe: the requests
 * keep the pages, complete with the right data, and the buffers can be
 * registered again. (5.10 and native wait in UNREGISTER_BUFFERS for the
 * reads; xuring returns at once. A thread writes the data meanwhile.)
 */
XT_SCENARIO(unregister_in_flight)
{
	unsigned char *buf = aligned_alloc(PG, 4 * PG);
	struct pipe_writer w;
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	int p[2], i, res, got[5];
	struct iovec iov;
	struct xt_ring r;

	ASSERT_NE(NULL, buf);
	memset(buf, 0, 4 * PG);
	ASSERT_EQ(0, pipe(p));
	XT_RING(&r, kind, 8, NULL);
	iov.iov_base = buf;
	iov.iov_len = 4 * PG;
	ASSERT_EQ(0, REG("register", XURING_REGISTER_BUFFERS, &iov, 1));
	for (i = 0; i < 4; i++) {
		sqe = prep(&r, XURING_OP_READ_FIXED, p[0], buf + i * PG, 8, 0);
		ASSERT_NE(NULL, sqe);
		sqe->user_data = i;
	}
	ASSERT_EQ(4, xt_submit(&r));
	xt_sleep_ms(20);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	w.fd = p[1];
	w.delay_ms = 100;
	w.count = 4;
	ASSERT_EQ(0, pthread_create(&w.thread, NULL, pipe_writer_fn, &w));
	EXPECT_EQ(0, REG("unregister", XURING_UNREGISTER_BUFFERS, NULL, 0));
	/* a new READ_FIXED no longer finds buffer 0 */
	sqe = prep(&r, XURING_OP_READ_FIXED, p[0], buf, 8, 0);
	ASSERT_NE(NULL, sqe);
	sqe->user_data = 4;
	ASSERT_EQ(1, xt_submit(&r));
	for (i = 0; i < 5; i++)
		got[i] = 1;
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		ASSERT_GT(5ULL, (unsigned long long)cqe.user_data);
		got[cqe.user_data] = cqe.res;
	}
	pthread_join(w.thread, NULL);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(8, got[i]);
		xt_rec(log, got[i], "read%d", i);
	}
	EXPECT_EQ(-EFAULT, got[4]);
	xt_rec(log, got[4], "new-read");
	for (i = 0; i < 4; i++) {
		res = memcmp(buf + i * PG, "01234567", 8);
		EXPECT_EQ(0, res) TH_LOG("buffer page %d", i);
	}
	EXPECT_EQ(0, REG("again", XURING_REGISTER_BUFFERS, &iov, 1));

	/* and the ring closed with READ_FIXEDs still waiting */
	for (i = 0; i < 3; i++)
		ASSERT_NE(NULL, prep(&r, XURING_OP_READ_FIXED, p[0],
				     buf + i * PG, 8, 0));
	ASSERT_EQ(3, xt_submit(&r));
	xt_ring_exit(&r);
	close(p[0]);
	close(p[1]);
	free(buf);
}

TEST(unregister_buffers_in_flight)
{
	XT_DIFF(unregister_in_flight);
}

/* Every register opcode that takes a pointer: bad pointers fail cleanly. */
XT_SCENARIO(bad_pointers)
{
	static const unsigned int ops[] = {
		XURING_REGISTER_BUFFERS, XURING_REGISTER_FILES,
		XURING_REGISTER_EVENTFD, XURING_REGISTER_EVENTFD_ASYNC,
	};
	void *bad[] = { NULL, xt_unmapped_page(),
			(void *)0xffff888000000000UL };
	struct xuring_files_update up;
	struct xt_ring r;
	unsigned int i, j;
	int fd = -1;

	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (j = 0; j < 3; j++) {
			int ret = xt_register(&r, ops[i], bad[j], 1);

			EXPECT_EQ(-EFAULT, ret)
				TH_LOG("op %u pointer %u", ops[i], j);
			xt_rec(log, ret, "op%u.ptr%u", ops[i], j);
		}
	ASSERT_EQ(0, REG("files", XURING_REGISTER_FILES, &fd, 1));
	for (j = 0; j < 3; j++) {
		int ret = xt_register(&r, XURING_REGISTER_FILES_UPDATE,
					      bad[j], 1);

		EXPECT_EQ(-EFAULT, ret);
		xt_rec(log, ret, "update.ptr%u", j);
		memset(&up, 0, sizeof(up));
		up.fds = (uintptr_t)bad[j];
		ret = xt_register(&r, XURING_REGISTER_FILES_UPDATE, &up, 1);
		EXPECT_EQ(-EFAULT, ret);
		xt_rec(log, ret, "update.fds%u", j);
	}
	xt_ring_exit(&r);
}

TEST(register_bad_pointers)
{
	XT_DIFF(bad_pointers);
}

TEST_HARNESS_MAIN
