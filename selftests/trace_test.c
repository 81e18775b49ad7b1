// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tracepoints, as issue 7 proposes them (system "xuring"):
 *   xuring_create          a ring set up: sq/cq entries, flags
 *   xuring_submit_sqe      an SQE consumed: opcode, user_data, flags
 *   xuring_queue_async     a request handed to a worker
 *   xuring_poll_arm        a request waiting on its file (FAST_POLL)
 *   xuring_complete        a CQE posted: user_data, res, flags
 *   xuring_cqe_overflow    a CQE parked on the overflow list
 *   xuring_sqpoll_wake     the SQ thread woken
 *   xuring_sqpoll_sleep    the SQ thread going to sleep
 *   xuring_iopoll_reap     completions reaped by polling (with IOPOLL)
 * Events that carry a user_data print it in hex; the test finds its own
 * requests by that value. It enables the events, runs a known workload and
 * counts what tracefs shows. It skips while events/xuring does not exist.
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

#define UD(n)	(0x7e570000ULL + (n))

static const char *const events[] = {
	"xuring_create", "xuring_submit_sqe", "xuring_queue_async",
	"xuring_poll_arm", "xuring_complete", "xuring_cqe_overflow",
	"xuring_sqpoll_wake", "xuring_sqpoll_sleep", "xuring_iopoll_reap",
};

static const char *tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	static char found[64];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(found, sizeof(found), "%s/trace", dirs[i]);
		if (!access(found, F_OK)) {
			snprintf(found, sizeof(found), "%s", dirs[i]);
			return found;
		}
	}
	if (!mount("tracefs", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

static int put(const char *dir, const char *file, const char *val)
{
	char path[256];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Lines of the trace naming @event (and @ud, unless 0). */
static unsigned int count(const char *trace, const char *event, uint64_t ud)
{
	char name[64], hex[32];
	const char *p = trace;
	unsigned int n = 0;

	snprintf(name, sizeof(name), " %s:", event);
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)ud);
	while ((p = strstr(p, name))) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (!ud || strcasestr(line, hex))
			n++;
		p += len;
	}
	return n;
}

static char *slurp(const char *dir)
{
	size_t cap = 1 << 20, len = 0;
	char path[256], *buf = malloc(cap + 1);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = open(path, O_RDONLY);
	while (buf && fd >= 0 && len < cap &&
	       (n = read(fd, buf + len, cap - len)) > 0)
		len += n;
	if (fd >= 0)
		close(fd);
	if (buf)
		buf[len] = 0;
	return buf;
}

TEST(known_workload_events)
{
	char path[256], buf[8], *trace;
	struct xuring_params p;
	struct xuring_cqe cqe;
	const char *dir = tracefs();
	struct xt_ring r, sq;
	unsigned int i;
	int fds[2], ret;

	XT_NEED_XURING();
	if (!dir)
		SKIP(return, "no tracefs in this kernel");
	snprintf(path, sizeof(path), "%s/events/xuring", dir);
	if (access(path, F_OK))
		SKIP(return, "no xuring tracepoints yet (events/xuring missing; issue 7)");
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(path, sizeof(path), "events/xuring/%s/enable", events[i]);
		EXPECT_EQ(0, put(dir, path, "1")) TH_LOG("event %s", events[i]);
	}
	ASSERT_EQ(0, put(dir, "trace", ""));
	ASSERT_EQ(0, put(dir, "tracing_on", "1"));

	/* 8 SQEs, 16 CQEs: create, 4 NOPs, an ASYNC NOP, a pipe read */
	XT_RING(&r, XT_XURING, 8, NULL);
	for (i = 0; i < 4; i++)
		xt_prep(xt_get_sqe(&r), XURING_OP_NOP, -1, NULL, 0, 0, UD(i));
	ASSERT_EQ(4, xt_submit_and_wait(&r, 4));
	xt_prep(xt_get_sqe(&r), XURING_OP_NOP, -1, NULL, 0, 0, UD(0x10));
	r.sqes[(r.sqe_tail - 1) & 7].flags = XURING_SQE_ASYNC;
	ASSERT_EQ(1, xt_submit_and_wait(&r, 5));
	ASSERT_EQ(0, pipe(fds));
	xt_prep(xt_get_sqe(&r), XURING_OP_READ, fds[0], buf, 1, 0, UD(0x20));
	ASSERT_EQ(1, xt_submit(&r));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_LE(0, xt_submit_and_wait(&r, 6));
	/* then overflow: 16 - 6 free, 16 more NOPs */
	for (i = 0; i < 16; i++) {
		xt_prep(xt_get_sqe(&r), XURING_OP_NOP, -1, NULL, 0, 0,
			UD(0x100 + i));
		if (i % 8 == 7)
			xt_submit(&r);
	}
	while (!xt_peek_cqe(&r, &cqe))
		;
	xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS);
	while (!xt_peek_cqe(&r, &cqe))
		;
	xt_ring_exit(&r);
	close(fds[0]);
	close(fds[1]);

	/* an SQ thread that sleeps after 10 ms and is woken */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	XT_RING(&sq, XT_XURING, 4, &p);
	xt_prep(xt_get_sqe(&sq), XURING_OP_NOP, -1, NULL, 0, 0, UD(0x200));
	xt_flush(&sq);
	for (i = 0; i < 100 && !(xt_sq_flags(&sq) & XURING_SQ_NEED_WAKEUP); i++)
		xt_sleep_ms(10);
	xt_prep(xt_get_sqe(&sq), XURING_OP_NOP, -1, NULL, 0, 0, UD(0x201));
	xt_flush(&sq);
	ret = xt_enter(&sq, 0, 2, XURING_ENTER_SQ_WAKEUP | XURING_ENTER_GETEVENTS);
	EXPECT_LE(0, ret);
	xt_ring_exit(&sq);
	put(dir, "tracing_on", "0");

	trace = slurp(dir);
	ASSERT_NE(NULL, trace);
	EXPECT_LE(2U, count(trace, "xuring_create", 0));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1U, count(trace, "xuring_submit_sqe", UD(i)));
		EXPECT_EQ(1U, count(trace, "xuring_complete", UD(i)));
	}
	EXPECT_EQ(1U, count(trace, "xuring_queue_async", UD(0x10)));
	EXPECT_EQ(1U, count(trace, "xuring_poll_arm", UD(0x20)));
	EXPECT_EQ(1U, count(trace, "xuring_complete", UD(0x20)));
	/* 6 were in the CQ when 16 more came: the last 6 overflowed */
	EXPECT_LE(1U, count(trace, "xuring_cqe_overflow", 0));
	EXPECT_EQ(1U, count(trace, "xuring_complete", UD(0x10f)));
	EXPECT_LE(1U, count(trace, "xuring_sqpoll_sleep", 0));
	EXPECT_LE(1U, count(trace, "xuring_sqpoll_wake", 0));
	EXPECT_EQ(1U, count(trace, "xuring_submit_sqe", UD(0x201)));
	if (!_metadata->passed)
		fprintf(stderr, "# trace:\n%.4000s\n", trace);
	free(trace);
	for (i = 0; i < ARRAY_SIZE(events); i++) {
		snprintf(path, sizeof(path), "events/xuring/%s/enable", events[i]);
		put(dir, path, "0");
	}
}

TEST_HARNESS_MAIN
