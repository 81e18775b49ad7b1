// SPDX-License-Identifier: GPL-2.0
/*
 * SPLICE and TEE: file to pipe, pipe to file, pipe to pipe, sockets and
 * FIFOs; offsets and file positions; waiting, SPLICE_F_NONBLOCK and the end
 * of input; registered input files; the bytes that arrive, and the errors;
 * every case against native io_uring.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define TEXT "0123456789abcdefghijklmnopqrstuvwxyz"

static int run1(struct __test_metadata *_metadata, struct xt_ring *r,
		struct xt_log *log, const char *tag)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_submit_one(r, &cqe)) TH_LOG("%s", tag);
	EXPECT_EQ(0U, cqe.flags) TH_LOG("%s", tag);
	xt_rec(log, cqe.res, "%s.res", tag);
	xt_rec(log, cqe.flags, "%s.flags", tag);
	return cqe.res;
}

#define RUN(tag) run1(_metadata, &r, log, tag)

#define SQE() xt_sqe_of(_metadata, &r)

/* A file in the cwd holding TEXT, unlinked, opened with @flags. */
static int text_file(struct __test_metadata *_metadata, int flags)
{
	char path[64];
	int fd;

	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(TEXT), write(fd, TEXT, strlen(TEXT)));
	fd = xt_reopen_unlinked(fd, path, flags);
	ASSERT_LE(0, fd);
	return fd;
}

/* Read what is in pipe @fd now (nonblocking), as a string; recorded. */
static void drain(struct __test_metadata *_metadata, struct xt_log *log,
		  const char *tag, int fd, char *buf, size_t len)
{
	int fl = fcntl(fd, F_GETFL);
	ssize_t n;

	ASSERT_EQ(0, fcntl(fd, F_SETFL, fl | O_NONBLOCK));
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fl));
	xt_rec(log, n, "%s.drained", tag);
}

XT_SCENARIO(file_and_pipe)
{
	char buf[128];
	struct xt_ring r;
	int f, p[2];

	XT_RING(&r, kind, 8, NULL);
	f = text_file(_metadata, O_RDWR);
	ASSERT_EQ(0, pipe(p));

	/* file to pipe at an offset: the file position stays */
	ASSERT_EQ(4, lseek(f, 4, SEEK_SET));
	xuring_prep_splice(SQE(), f, 2, p[1], -1, 5, 0);
	EXPECT_EQ(5, RUN("file-off"));
	drain(_metadata, log, "file-off", p[0], buf, sizeof(buf));
	EXPECT_STREQ("23456", buf);
	EXPECT_EQ(4, lseek(f, 0, SEEK_CUR));

	/* from the file position, which moves */
	xuring_prep_splice(SQE(), f, -1, p[1], -1, 6, 0);
	EXPECT_EQ(6, RUN("file-pos"));
	drain(_metadata, log, "file-pos", p[0], buf, sizeof(buf));
	EXPECT_STREQ("456789", buf);
	EXPECT_EQ(10, lseek(f, 0, SEEK_CUR));
	xt_rec(log, lseek(f, 0, SEEK_CUR), "pos");

	/* at the end of the file: 0 */
	xuring_prep_splice(SQE(), f, 1000, p[1], -1, 6, 0);
	EXPECT_EQ(0, RUN("file-eof"));

	/* pipe to file, at an offset and at the position */
	ASSERT_EQ(5, write(p[1], "HELLO", 5));
	xuring_prep_splice(SQE(), p[0], -1, f, 20, 5, 0);
	EXPECT_EQ(5, RUN("to-file-off"));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(8, pread(f, buf, 8, 18));
	EXPECT_STREQ("ijHELLOp", buf);
	EXPECT_EQ(10, lseek(f, 0, SEEK_CUR));
	ASSERT_EQ(3, write(p[1], "xyz", 3));
	xuring_prep_splice(SQE(), p[0], -1, f, -1, 100, 0);
	EXPECT_EQ(3, RUN("to-file-pos"));
	EXPECT_EQ(13, lseek(f, 0, SEEK_CUR));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, pread(f, buf, 5, 9));
	EXPECT_STREQ("9xyzd", buf);

	/* more than a pipe holds: what fits */
	{
		static char big[256 * 1024];
		int g;

		g = text_file(_metadata, O_RDWR);
		ASSERT_EQ((ssize_t)sizeof(big), pwrite(g, big, sizeof(big), 0));
		xuring_prep_splice(SQE(), g, 0, p[1], -1, sizeof(big), 0);
		EXPECT_EQ(65536, RUN("big"));
		close(g);
	}
	close(f);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(file_to_pipe_and_back)
{
	XT_DIFF(file_and_pipe);
}

XT_SCENARIO(pipe_to_pipe)
{
	char buf[128];
	struct xt_ring r;
	int a[2], b[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));

	/* part of a buffer, then the rest of it and the next one */
	ASSERT_EQ(6, write(a[1], "abcdef", 6));
	ASSERT_EQ(3, write(a[1], "ghi", 3));
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 4, 0);
	EXPECT_EQ(4, RUN("part"));
	drain(_metadata, log, "part", b[0], buf, sizeof(buf));
	EXPECT_STREQ("abcd", buf);
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 100, 0);
	EXPECT_EQ(5, RUN("rest"));
	drain(_metadata, log, "rest", b[0], buf, sizeof(buf));
	EXPECT_STREQ("efghi", buf);

	/* empty: NONBLOCK says so, otherwise the splice waits */
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 10, SPLICE_F_NONBLOCK);
	EXPECT_EQ(-EAGAIN, RUN("empty-nonblock"));
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 10, 0);
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	ASSERT_EQ(4, write(a[1], "late", 4));
	{
		struct xuring_cqe cqe;

		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(4, cqe.res);
		xt_rec(log, cqe.res, "waited.res");
	}
	drain(_metadata, log, "waited", b[0], buf, sizeof(buf));
	EXPECT_STREQ("late", buf);

	/* no writer left: the end */
	close(a[1]);
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 10, 0);
	EXPECT_EQ(0, RUN("eof"));

	/* offsets mean nothing to pipes; a pipe to itself is refused */
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(1, write(a[1], "x", 1));
	xuring_prep_splice(SQE(), a[0], 0, b[1], -1, 1, 0);
	EXPECT_EQ(-ESPIPE, RUN("off-in"));
	xuring_prep_splice(SQE(), a[0], -1, b[1], 0, 1, 0);
	EXPECT_EQ(-ESPIPE, RUN("off-out"));
	xuring_prep_splice(SQE(), a[0], -1, a[1], -1, 1, 0);
	EXPECT_EQ(-EINVAL, RUN("self"));

	/* no reader on the output: -EPIPE (SIGPIPE is ignored here) */
	close(b[0]);
	xuring_prep_splice(SQE(), a[0], -1, b[1], -1, 1, 0);
	EXPECT_EQ(-EPIPE, RUN("no-reader"));
	close(a[0]);
	close(a[1]);
	close(b[1]);
	xt_ring_exit(&r);
}

TEST(pipe_to_pipe)
{
	signal(SIGPIPE, SIG_IGN);
	XT_DIFF(pipe_to_pipe);
}

XT_SCENARIO(sockets_and_fifos)
{
	char buf[128], fifo[64];
	struct xt_ring r;
	int sv[2], p[2], f, rd, wr;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ASSERT_EQ(0, pipe(p));

	/* socket to pipe to socket */
	ASSERT_EQ(6, write(sv[0], "socket", 6));
	xuring_prep_splice(SQE(), sv[1], -1, p[1], -1, 64, 0);
	EXPECT_EQ(6, RUN("sock-to-pipe"));
	xuring_prep_splice(SQE(), p[0], -1, sv[1], -1, 64, 0);
	EXPECT_EQ(6, RUN("pipe-to-sock"));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(6, read(sv[0], buf, sizeof(buf)));
	EXPECT_STREQ("socket", buf);
	xuring_prep_splice(SQE(), sv[0], -1, sv[1], -1, 64, 0);
	EXPECT_EQ(-EINVAL, RUN("sock-to-sock"));

	/* a FIFO in the file system is a pipe too */
	snprintf(fifo, sizeof(fifo), "xt-fifo-%d-%s", getpid(),
		 xt_kind_name(kind));
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	rd = open(fifo, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rd);
	wr = open(fifo, O_WRONLY);
	ASSERT_LE(0, wr);
	f = text_file(_metadata, O_RDONLY);
	xuring_prep_splice(SQE(), f, 10, wr, -1, 3, 0);
	EXPECT_EQ(3, RUN("file-to-fifo"));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(3, read(rd, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
	close(rd);
	close(wr);
	unlink(fifo);
	close(f);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(sockets_and_fifos)
{
	XT_DIFF(sockets_and_fifos);
}

XT_SCENARIO(tee)
{
	struct xuring_sqe *sqe;
	char buf[128];
	struct xt_ring r;
	int a[2], b[2], f;

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));

	/* the data is duplicated, not consumed */
	ASSERT_EQ(7, write(a[1], "teedata", 7));
	xuring_prep_tee(SQE(), a[0], b[1], 100, 0);
	EXPECT_EQ(7, RUN("tee"));
	drain(_metadata, log, "tee-out", b[0], buf, sizeof(buf));
	EXPECT_STREQ("teedata", buf);
	xuring_prep_tee(SQE(), a[0], b[1], 3, 0);
	EXPECT_EQ(3, RUN("tee-part"));
	drain(_metadata, log, "tee-part", b[0], buf, sizeof(buf));
	EXPECT_STREQ("tee", buf);
	drain(_metadata, log, "tee-in", a[0], buf, sizeof(buf));
	EXPECT_STREQ("teedata", buf);

	/* empty input: NONBLOCK, a wait, and the end */
	xuring_prep_tee(SQE(), a[0], b[1], 10, SPLICE_F_NONBLOCK);
	EXPECT_EQ(-EAGAIN, RUN("tee-nonblock"));
	xuring_prep_tee(SQE(), a[0], b[1], 10, 0);
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	ASSERT_EQ(2, write(a[1], "ok", 2));
	{
		struct xuring_cqe cqe;

		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(2, cqe.res);
		xt_rec(log, cqe.res, "tee-waited");
	}
	drain(_metadata, log, "tee-waited", b[0], buf, sizeof(buf));
	EXPECT_STREQ("ok", buf);
	drain(_metadata, log, "tee-waited-in", a[0], buf, sizeof(buf));
	close(a[1]);
	xuring_prep_tee(SQE(), a[0], b[1], 10, 0);
	EXPECT_EQ(0, RUN("tee-eof"));

	/* only pipe to another pipe */
	f = text_file(_metadata, O_RDWR);
	xuring_prep_tee(SQE(), f, b[1], 10, 0);
	EXPECT_EQ(-EINVAL, RUN("tee-file-in"));
	xuring_prep_tee(SQE(), a[0], f, 10, 0);
	EXPECT_EQ(-EINVAL, RUN("tee-file-out"));
	xuring_prep_tee(SQE(), b[0], b[1], 10, 0);
	EXPECT_EQ(-EINVAL, RUN("tee-self"));
	xuring_prep_tee(SQE(), b[1], a[0], 10, 0);
	EXPECT_EQ(-EBADF, RUN("tee-wrong-ends"));
	xuring_prep_tee(SQE(), a[0], b[1], 0, 0);
	EXPECT_EQ(0, RUN("tee-len-0"));
	sqe = SQE();
	xuring_prep_tee(sqe, a[0], b[1], 10, 0);
	sqe->off = 1;
	EXPECT_EQ(-EINVAL, RUN("tee-off"));
	sqe = SQE();
	xuring_prep_tee(sqe, a[0], b[1], 10, 0);
	sqe->splice_off_in = 1;
	EXPECT_EQ(-EINVAL, RUN("tee-off-in"));
	close(f);
	close(a[0]);
	close(b[0]);
	close(b[1]);
	xt_ring_exit(&r);
}

TEST(tee_duplicates)
{
	XT_DIFF(tee);
}

XT_SCENARIO(errors)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int f, ro, wo, app, p[2], closed;

	XT_RING(&r, kind, 8, NULL);
	f = text_file(_metadata, O_RDWR);
	ro = text_file(_metadata, O_RDONLY);
	wo = text_file(_metadata, O_WRONLY);
	app = text_file(_metadata, O_WRONLY | O_APPEND);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(4, write(p[1], "data", 4));
	closed = dup(0);
	ASSERT_LE(0, closed);
	close(closed);

	xuring_prep_splice(SQE(), f, 0, ro, 0, 4, 0);
	EXPECT_EQ(-EBADF, RUN("out-rdonly"));
	xuring_prep_splice(SQE(), f, 0, wo, 0, 4, 0);
	EXPECT_EQ(-EINVAL, RUN("file-to-file"));
	xuring_prep_splice(SQE(), wo, 0, p[1], -1, 4, 0);
	EXPECT_EQ(-EBADF, RUN("in-wronly"));
	xuring_prep_splice(SQE(), p[0], -1, app, -1, 4, 0);
	EXPECT_EQ(-EINVAL, RUN("append"));
	xuring_prep_splice(SQE(), p[0], -1, f, -4096, 4, 0);
	EXPECT_EQ(-EINVAL, RUN("neg-off"));
	xuring_prep_splice(SQE(), closed, -1, p[1], -1, 4, 0);
	EXPECT_EQ(-EBADF, RUN("bad-fd-in"));
	xuring_prep_splice(SQE(), p[0], -1, closed, -1, 4, 0);
	EXPECT_EQ(-EBADF, RUN("bad-fd-out"));
	xuring_prep_splice(SQE(), f, 0, p[1], -1, 4, 0x100);
	EXPECT_EQ(-EINVAL, RUN("bad-flags"));
	xuring_prep_splice(SQE(), f, 0, p[1], -1, 0, 0);
	EXPECT_EQ(0, RUN("len-0"));
	sqe = SQE();
	xuring_prep_splice(sqe, f, 0, p[1], -1, 4, 0);
	sqe->ioprio = 1;
	EXPECT_EQ(-EINVAL, RUN("ioprio"));
	/* a registered input file that is not there */
	xuring_prep_splice(SQE(), 0, -1, p[1], -1, 4,
			   XURING_SPLICE_F_FD_IN_FIXED);
	EXPECT_EQ(-EBADF, RUN("fixed-none"));
	close(f);
	close(ro);
	close(wo);
	close(app);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(errors)
{
	XT_DIFF(errors);
}

XT_SCENARIO(fixed)
{
	struct xuring_sqe *sqe;
	char buf[64];
	struct xt_ring r;
	int f, p[2], files[3];

	XT_RING(&r, kind, 8, NULL);
	f = text_file(_metadata, O_RDWR);
	ASSERT_EQ(0, pipe(p));
	files[0] = f;
	files[1] = p[0];
	files[2] = p[1];
	ASSERT_EQ(0, xt_sys_register(kind, r.fd, XURING_REGISTER_FILES, files,
				     3));

	/* registered input and output */
	sqe = SQE();
	xuring_prep_splice(sqe, 0, 0, 2, -1, 10, XURING_SPLICE_F_FD_IN_FIXED);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(10, RUN("fixed-both"));
	drain(_metadata, log, "fixed-both", p[0], buf, sizeof(buf));
	EXPECT_STREQ("0123456789", buf);
	/* registered input, plain output */
	ASSERT_EQ(3, write(p[1], "fix", 3));
	xuring_prep_splice(SQE(), 1, -1, f, 0, 3, XURING_SPLICE_F_FD_IN_FIXED);
	EXPECT_EQ(3, RUN("fixed-in"));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(4, pread(f, buf, 4, 0));
	EXPECT_STREQ("fix3", buf);
	xuring_prep_splice(SQE(), 7, -1, f, 0, 3, XURING_SPLICE_F_FD_IN_FIXED);
	EXPECT_EQ(-EBADF, RUN("fixed-out-of-range"));
	ASSERT_EQ(2, write(p[1], "tt", 2));
	sqe = SQE();
	xuring_prep_tee(sqe, 1, 2, 2, XURING_SPLICE_F_FD_IN_FIXED);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EINVAL, RUN("tee-fixed-self"));
	drain(_metadata, log, "tee-fixed-self", p[0], buf, sizeof(buf));
	EXPECT_STREQ("tt", buf);
	close(f);
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(registered_files)
{
	XT_DIFF(fixed);
}

/*
 * Splices waiting for data hold every worker a ring with two SQ entries
 * has for bounded work; the write that would feed them is XURING_SQE_ASYNC.
 * Requests on pipes and sockets may block for as long as their peer
 * wants, so io_uring runs them in a pool of their own that grows as they
 * block: the write runs, and the splices end.
 */
XT_SCENARIO(blocked_splices)
{
	struct xuring_cqe cqe[3];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i, n;
	int a[2], b[2];
	char buf[64];

	XT_RING(&r, kind, 2, NULL);
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	for (i = 0; i < 2; i++) {
		sqe = SQE();
		xuring_prep_splice(sqe, a[0], -1, b[1], -1, 3, 0);
		sqe->user_data = i;
		ASSERT_EQ(1, xt_submit(&r));
	}
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	sqe = SQE();
	xt_prep(sqe, XURING_OP_WRITE, a[1], "abcdef", 6, 0, 2);
	sqe->flags = XURING_SQE_ASYNC;
	ASSERT_EQ(1, xt_submit(&r));
	/* user_data 0 and 1: the splices, 2: the write */
	n = xt_reap_sorted(&r, cqe, 3, 5000);
	EXPECT_EQ(3U, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(i, cqe[i].user_data);
		EXPECT_EQ(i < 2 ? 3 : 6, cqe[i].res);
		xt_rec(log, cqe[i].res, "ud%u.res", i);
		xt_rec(log, cqe[i].flags, "ud%u.flags", i);
	}
	drain(_metadata, log, "spliced", b[0], buf, sizeof(buf));
	EXPECT_STREQ("abcdef", buf);
	close(a[1]);
	close(b[1]);
	/* a splice left waiting (a failure above) ends at EOF */
	xt_ring_exit(&r);
	close(a[0]);
	close(b[0]);
}

TEST(blocked_splices_leave_room_for_other_work)
{
	XT_DIFF(blocked_splices);
}

TEST_HARNESS_MAIN
