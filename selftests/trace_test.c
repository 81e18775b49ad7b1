// SPDX-License-Identifier: GPL-2.0
/*
 * xuring's tracepoints: enabled through tracefs, a known workload (a ring,
 * NOPs, a punted request, an overflow, an SQ thread going to sleep) must
 * show up as the events it causes, with the user_data it carried.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	static char path[128];
	struct stat st;
	unsigned int i;

	mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/xuring", dirs[i]);
		if (!stat(path, &st))
			return dirs[i];
	}
	return NULL;
}

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return xt_write_str(path, val);
}

static char *read_trace(const char *dir)
{
	size_t cap = 1 << 20, len = 0;
	char path[192], *buf;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && (n = read(fd, buf + len, cap - len)) > 0)
		len += n;
	close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

static int count(const char *text, const char *a, const char *b)
{
	const char *line = text;
	int n = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char tmp[512];

		if (len >= sizeof(tmp))
			len = sizeof(tmp) - 1;
		memcpy(tmp, line, len);
		tmp[len] = 0;
		if (strstr(tmp, a) && (!b || strstr(tmp, b)))
			n++;
		line = end ? end + 1 : NULL;
	}
	return n;
}

TEST(events_of_a_workload)
{
	struct xuring_params p;
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r, s;
	const char *dir, *dev;
	char buf[4], *text;
	int pfd[2], bfd, i;
	void *blk;

	XT_NEED_XURING();
	dir = tracefs();
	if (!dir)
		SKIP(return, "no tracefs with events/xuring on this kernel");
	ASSERT_EQ(0, write_file(dir, "trace", ""));
	ASSERT_EQ(0, write_file(dir, "events/xuring/enable", "1"));

	/* a ring whose CQ holds 2: the third NOP overflows */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 2;
	XT_RING(&r, XT_XURING, 2, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 2, 0x1001));
	EXPECT_EQ(2, xt_submit(&r));
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 0x1003));
	EXPECT_EQ(1, xt_submit(&r));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));

	/* a read that has to go to the workers */
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(1, write(pfd[1], "x", 1));
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_READ, pfd[0], buf, 1, -1, 0x2001);
	sqe->flags = XURING_SQE_ASYNC;
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	close(pfd[0]);
	close(pfd[1]);
	xt_ring_exit(&r);

	/* a polled read of a block device, reaped by GETEVENTS */
	dev = getenv("XURING_NULLB");
	if (!dev)
		dev = getenv("XURING_RAMDISK");
	if (dev) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_IOPOLL;
		XT_RING(&r, XT_XURING, 4, &p);
		bfd = open(dev, O_RDONLY | O_DIRECT);
		ASSERT_LE(0, bfd);
		ASSERT_EQ(0, posix_memalign(&blk, 4096, 4096));
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_READ, bfd, blk, 4096, 0, 0x3001);
		ASSERT_EQ(0, xt_submit_one(&r, &cqe));
		EXPECT_EQ(4096, cqe.res);
		free(blk);
		close(bfd);
		xt_ring_exit(&r);
	}

	/* an SQ thread that goes idle after 10 ms */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	XT_RING(&s, XT_XURING, 4, &p);
	xt_sleep_ms(200);
	xt_ring_exit(&s);

	ASSERT_EQ(0, write_file(dir, "events/xuring/enable", "0"));
	text = read_trace(dir);
	ASSERT_NE(NULL, text);
	EXPECT_LE(2, count(text, "xuring_create:", NULL));
	EXPECT_EQ(1, count(text, "xuring_submit:", "user_data 0x1001,"));
	EXPECT_EQ(1, count(text, "xuring_submit:", "user_data 0x1003,"));
	EXPECT_EQ(1, count(text, "xuring_complete:", "user_data 0x1001, res 0,"));
	EXPECT_EQ(1, count(text, "xuring_complete:", "user_data 0x1003, res 0,"));
	EXPECT_EQ(1, count(text, "xuring_overflow:", "user_data 0x1003,"));
	EXPECT_EQ(1, count(text, "xuring_queue_async:", "user_data 0x2001,"));
	EXPECT_EQ(1, count(text, "xuring_complete:", "user_data 0x2001, res 1,"));
	EXPECT_LE(1, count(text, "xuring_sqpoll_sleep:", NULL));
	if (dev) {
		EXPECT_EQ(1, count(text, "xuring_complete:",
				   "user_data 0x3001, res 4096,"));
		EXPECT_LE(1, count(text, "xuring_iopoll_reap:", "reaped 1,"));
	}
	if (_metadata->passed == 0)
		TH_LOG("trace:\n%s", text);
	free(text);
	write_file(dir, "trace", "");
}

TEST_HARNESS_MAIN
