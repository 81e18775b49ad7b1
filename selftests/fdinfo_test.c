// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/self/fdinfo of a ring fd: readable in every state, describes the
 * ring once there is one, follows it as it moves, safe under load.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

static int read_fdinfo(int fd, char *buf, size_t len)
{
	char path[64];
	ssize_t n, total = 0;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -errno;
	while ((size_t)total < len - 1) {
		n = read(f, buf + total, len - 1 - total);
		if (n < 0) {
			n = -errno;
			close(f);
			return n;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = 0;
	close(f);
	return total;
}

/* Lines the VFS prints for every file. */
static bool generic_line(const char *line)
{
	static const char *const generic[] = {
		"pos:", "flags:", "mnt_id:", "ino:",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(generic); i++)
		if (!strncmp(line, generic[i], strlen(generic[i])))
			return true;
	return false;
}

static unsigned int ring_lines(const char *text)
{
	unsigned int n = 0;
	const char *line = text;

	while (line && *line) {
		if (!generic_line(line) && *line != '\n')
			n++;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

TEST(fdinfo_describes_ring)
{
	static char before[8192], setup[8192], busy[8192], over[8192];
	struct xuring_params p;
	struct xt_ring r;
	unsigned int b;
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read_fdinfo(fd, before, sizeof(before)));
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	ASSERT_EQ(0, ioctl(fd, XURING_IOC_SETUP, &p));
	ASSERT_EQ(0, xt_ring_map(&r, XT_XURING, fd, &p));
	ASSERT_LT(0, read_fdinfo(fd, setup, sizeof(setup)));
	EXPECT_LT(0U, ring_lines(setup))
		TH_LOG("no ring state in fdinfo:\n%s", setup);
	EXPECT_LE(ring_lines(before), ring_lines(setup));

	/* heads and tails move: so does the text */
	ASSERT_EQ(0, xt_queue_nops(&r, 3, 0));
	ASSERT_EQ(3, xt_submit(&r));
	ASSERT_LT(0, read_fdinfo(fd, busy, sizeof(busy)));
	EXPECT_NE(0, strcmp(setup, busy)) TH_LOG("fdinfo did not change");

	/* and while overflowed: 3 + 8 NOPs in a CQ of 8 */
	for (b = 0; b < 2; b++) {
		ASSERT_EQ(0, xt_queue_nops(&r, 4, 3 + b * 4));
		ASSERT_EQ(4, xt_submit(&r));
	}
	ASSERT_TRUE(xt_sq_flags(&r) & XURING_SQ_CQ_OVERFLOW);
	ASSERT_LT(0, read_fdinfo(fd, over, sizeof(over)));
	EXPECT_NE(0, strcmp(busy, over));
	xt_ring_exit(&r);
}

/* The number after "@name:" in fdinfo @text, or -1. */
static long long field(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, name, len) && line[len] == ':')
			return strtoll(line + len + 1, NULL, 10);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

TEST(fdinfo_counters)
{
	static char text[16384];
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int pfd[2], i;
	char c;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, pipe(pfd));

	/* 3 + 8 NOPs in a CQ of 8: 11 posted, 3 of them overflowed */
	ASSERT_EQ(0, xt_queue_nops(&r, 3, 0));
	ASSERT_EQ(3, xt_submit(&r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, xt_queue_nops(&r, 4, 3 + i * 4));
		ASSERT_EQ(4, xt_submit(&r));
	}
	ASSERT_LT(0, read_fdinfo(r.fd, text, sizeof(text)));
	EXPECT_EQ(11, field(text, "Submitted")) TH_LOG("%s", text);
	EXPECT_EQ(11, field(text, "CqesPosted"));
	EXPECT_EQ(3, field(text, "Overflowed"));
	EXPECT_EQ(0, field(text, "QueuedAsync"));
	EXPECT_EQ(0, field(text, "PollArmed"));
	EXPECT_EQ(-1, field(text, "IopollReaped"));
	for (i = 0; i < 11; i++)
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));

	/* a read of an empty pipe waits with FAST_POLL; an ASYNC one is queued */
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_READ, pfd[0], &c, 1, -1, 100);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, 101);
	sqe->flags = XURING_SQE_ASYNC;
	ASSERT_EQ(2, xt_submit(&r));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(101, cqe.user_data);
	ASSERT_EQ(1, write(pfd[1], "x", 1));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(100, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	ASSERT_LT(0, read_fdinfo(r.fd, text, sizeof(text)));
	EXPECT_EQ(13, field(text, "Submitted")) TH_LOG("%s", text);
	EXPECT_EQ(13, field(text, "CqesPosted"));
	EXPECT_EQ(1, field(text, "QueuedAsync"));
	EXPECT_EQ(1, field(text, "PollArmed"));
	close(pfd[0]);
	close(pfd[1]);
	xt_ring_exit(&r);
}

struct hammer {
	struct xt_ring *r;
	volatile bool stop;
	unsigned int rounds;
	int err;
};

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;
	int ret;

	while (!h->stop) {
		if (xt_queue_nops(h->r, 4, h->rounds)) {
			h->err = -ENOSPC;
			break;
		}
		ret = xt_submit_and_wait(h->r, 4);
		if (ret != 4) {
			h->err = ret < 0 ? ret : -EPROTO;
			break;
		}
		*h->r->cq_head = *h->r->cq_tail;
		h->rounds++;
	}
	return NULL;
}

TEST(fdinfo_under_load)
{
	static char buf[8192];
	struct hammer h = { 0 };
	struct xt_ring r;
	pthread_t t;
	long long end;
	unsigned int reads = 0;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 8, NULL);
	h.r = &r;
	ASSERT_EQ(0, pthread_create(&t, NULL, hammer_fn, &h));
	end = xt_now_ms() + 400;
	while (xt_now_ms() < end) {
		EXPECT_LT(0, read_fdinfo(r.fd, buf, sizeof(buf)));
		reads++;
	}
	h.stop = true;
	pthread_join(t, NULL);
	EXPECT_EQ(0, h.err);
	EXPECT_LT(0U, h.rounds);
	TH_LOG("%u fdinfo reads during %u submit rounds", reads, h.rounds);
	xt_ring_exit(&r);
}

TEST(fdinfo_after_fd_closed_elsewhere)
{
	static char buf[8192];
	struct xt_ring r;
	int dupfd;

	/* a dup keeps the file; fdinfo through it still works */
	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 4, NULL);
	dupfd = dup(r.fd);
	ASSERT_LE(0, dupfd);
	close(r.fd);
	r.fd = -1;
	EXPECT_LT(0, read_fdinfo(dupfd, buf, sizeof(buf)));
	EXPECT_LT(0U, ring_lines(buf));
	EXPECT_EQ(0, xt_sys_enter(XT_XURING, dupfd, 0, 0, 0, NULL, 8));
	close(dupfd);
	xt_ring_exit(&r);
}

/*
 * Read the ring's fdinfo into @text until it holds @line, for up to 2 s:
 * whether it came.
 */
static bool await_fdinfo(int fd, char *text, size_t len, const char *line)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		if (read_fdinfo(fd, text, len) > 0 && strstr(text, line))
			return true;
		xt_sleep_ms(10);
	}
	return false;
}

/*
 * Where requests in flight wait: a READ of an empty pipe on its file
 * (PollWaiting), a SPLICE from another in an unbound worker (IowqRunning),
 * and a drained NOP behind both (Deferred).
 */
TEST(fdinfo_names_waiting_requests)
{
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	char text[8192], c;
	int a[2], b[2], d[2];
	struct xt_ring r;
	unsigned int i;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 8, NULL);
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	ASSERT_EQ(0, pipe(d));
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_READ, a[0], &c, 1, -1, 200);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xuring_prep_splice(sqe, b[0], -1, d[1], -1, 1, 0);
	sqe->user_data = 201;
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, 202);
	sqe->flags = XURING_SQE_IO_DRAIN;
	ASSERT_EQ(3, xt_submit(&r));

	/* the splice blocks once a worker has it */
	EXPECT_TRUE(await_fdinfo(r.fd, text, sizeof(text), "IowqRunning: 201\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "PollWaiting:\t1: 200\n"));
	EXPECT_EQ(1, field(text, "Deferred"));
	EXPECT_NE(NULL, strstr(text, "IowqUnbound:\tpending 0, workers 1 of "));
	EXPECT_NE(NULL, strstr(text, "IowqBound:\tpending 0, workers 0 of "));

	ASSERT_EQ(1, write(a[1], "x", 1));
	ASSERT_EQ(1, write(b[1], "y", 1));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(cqe.user_data == 202 ? 0 : 1, cqe.res);
	}
	/* the worker posts the CQE before it lets go of the request */
	EXPECT_TRUE(await_fdinfo(r.fd, text, sizeof(text), "IowqRunning:\n"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "PollWaiting:\t0:\n"));
	EXPECT_EQ(0, field(text, "Deferred"));
	for (i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
		close(d[i]);
	}
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
