// SPDX-License-Identifier: GPL-2.0
/*
 * FSYNC and FSYNC with DATASYNC: results on files, invalid flags and
 * fields, files without fsync; every case against native io_uring.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

struct fsync_req {
	int fd;
	unsigned int fsync_flags;
	uint64_t off;
	unsigned int len;
	uint64_t addr;
	uint16_t ioprio;
	uint16_t buf_index;
};

static int fsync_one(struct __test_metadata *_metadata, struct xt_ring *r,
		     struct xt_log *log, const char *tag,
		     const struct fsync_req *f)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;

	sqe = xt_get_sqe(r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_FSYNC, f->fd, NULL, f->len, f->off, 0x5eed);
	sqe->fsync_flags = f->fsync_flags;
	sqe->addr = f->addr;
	sqe->ioprio = f->ioprio;
	sqe->buf_index = f->buf_index;
	ASSERT_EQ(0, xt_submit_one(r, &cqe));
	EXPECT_EQ(0x5eedULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(0U, cqe.flags);
	xt_rec(log, cqe.res, "%s.res", tag);
	xt_rec(log, cqe.flags, "%s.flags", tag);
	return cqe.res;
}

#define FSYNC(tag, ...) ({						\
	struct fsync_req __f = { __VA_ARGS__ };				\
	fsync_one(_metadata, &r, log, tag, &__f);			\
})

static int data_file(struct __test_metadata *_metadata, int flags)
{
	char path[64], buf[8192];
	int fd;

	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	fd = xt_reopen_unlinked(fd, path, flags);
	ASSERT_LE(0, fd);
	return fd;
}

XT_SCENARIO(fsync_file)
{
	struct xt_ring r;
	int fd, ro, wo;

	XT_RING(&r, kind, 4, NULL);
	fd = data_file(_metadata, O_RDWR);
	ro = data_file(_metadata, O_RDONLY);
	wo = data_file(_metadata, O_WRONLY);
	EXPECT_EQ(0, FSYNC("fsync", .fd = fd));
	EXPECT_EQ(0, FSYNC("datasync", .fd = fd,
			   .fsync_flags = XURING_FSYNC_DATASYNC));
	EXPECT_EQ(0, FSYNC("range", .fd = fd, .off = 4096, .len = 4096));
	EXPECT_EQ(0, FSYNC("range-datasync", .fd = fd, .off = 100, .len = 1,
			   .fsync_flags = XURING_FSYNC_DATASYNC));
	EXPECT_EQ(0, FSYNC("past-eof", .fd = fd, .off = 1 << 30, .len = 10));
	EXPECT_EQ(0, FSYNC("rdonly", .fd = ro));
	EXPECT_EQ(0, FSYNC("wronly", .fd = wo,
			   .fsync_flags = XURING_FSYNC_DATASYNC));
	close(fd);
	close(ro);
	close(wo);
	xt_ring_exit(&r);
}

TEST(fsync_and_datasync_on_files)
{
	XT_DIFF(fsync_file);
}

XT_SCENARIO(bad_flags)
{
	static const unsigned int flags[] = {
		2, 3, 4, 0x80000000U, 0xffffffffU, 0xfffffffeU,
	};
	struct xt_ring r;
	unsigned int i;
	char tag[32];
	int fd;

	XT_RING(&r, kind, 4, NULL);
	fd = data_file(_metadata, O_RDWR);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		snprintf(tag, sizeof(tag), "flags%x", flags[i]);
		EXPECT_EQ(-EINVAL, FSYNC(tag, .fd = fd,
					 .fsync_flags = flags[i]))
			TH_LOG("%s: fsync_flags 0x%x", xt_kind_name(kind),
			       flags[i]);
	}
	close(fd);
	xt_ring_exit(&r);
}

TEST(invalid_fsync_flags_einval)
{
	XT_DIFF(bad_flags);
}

XT_SCENARIO(bad_fields)
{
	struct xt_ring r;
	int fd;

	/* fields FSYNC does not use must be zero */
	XT_RING(&r, kind, 4, NULL);
	fd = data_file(_metadata, O_RDWR);
	EXPECT_EQ(-EINVAL, FSYNC("addr", .fd = fd, .addr = 0x1000));
	EXPECT_EQ(-EINVAL, FSYNC("buf_index", .fd = fd, .buf_index = 1));
	EXPECT_EQ(-EINVAL, FSYNC("ioprio", .fd = fd, .ioprio = 1));
	EXPECT_EQ(0, FSYNC("clean", .fd = fd));
	close(fd);
	xt_ring_exit(&r);
}

TEST(unused_fields_einval)
{
	XT_DIFF(bad_fields);
}

XT_SCENARIO(bad_files)
{
	struct xt_ring r;
	int p[2], nul, closed;

	XT_RING(&r, kind, 4, NULL);
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);
	EXPECT_EQ(-EBADF, FSYNC("fd-1", .fd = -1));
	EXPECT_EQ(-EBADF, FSYNC("closed", .fd = closed));
	EXPECT_EQ(-EBADF, FSYNC("huge", .fd = 0x7fffffff));
	ASSERT_EQ(0, pipe(p));
	/* no ->fsync: EINVAL, as fsync(2) */
	EXPECT_EQ(-EINVAL, FSYNC("pipe", .fd = p[1]));
	EXPECT_EQ(-EINVAL, FSYNC("pipe-datasync", .fd = p[0],
				 .fsync_flags = XURING_FSYNC_DATASYNC));
	nul = open("/dev/null", O_RDWR);
	ASSERT_LE(0, nul);
	EXPECT_EQ(fsync(nul) ? -errno : 0, FSYNC("devnull", .fd = nul));
	close(nul);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(bad_and_unsyncable_files)
{
	XT_DIFF(bad_files);
}

XT_SCENARIO(batch)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int i, seen = 0;
	int fd;

	XT_RING(&r, kind, 8, NULL);
	fd = data_file(_metadata, O_RDWR);
	for (i = 0; i < 8; i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_FSYNC, fd, NULL, 0, 0, i);
		sqe->fsync_flags = i & 1 ? XURING_FSYNC_DATASYNC : 0;
	}
	ASSERT_EQ(8, xt_submit_and_wait(&r, 8));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
		ASSERT_GT(8ULL, (unsigned long long)cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		seen |= 1U << cqe.user_data;
	}
	EXPECT_EQ(0xffU, seen);
	xt_rec(log, seen, "seen");
	close(fd);
	xt_ring_exit(&r);
}

TEST(fsync_batch)
{
	XT_DIFF(batch);
}

TEST_HARNESS_MAIN
