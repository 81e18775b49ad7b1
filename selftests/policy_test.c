// SPDX-License-Identifier: GPL-2.0
/*
 * The admin's module parameters (/sys/module/xuring/parameters/, mode
 * 0644, changeable at run time), as issue 7 proposes them:
 *   ops_allow            opcode names or numbers, comma-separated; when not
 *                        empty, only these ops run ("" = all implemented)
 *   ops_deny             opcodes refused even if allowed
 *     a refused op is not flagged by REGISTER_PROBE and its CQE is -EACCES
 *     (as io_uring's restrictions answer); a bad list is refused with
 *     EINVAL and the old value stays
 *   sqpoll_unprivileged  Y: SETUP_SQPOLL without CAP_SYS_ADMIN (default N)
 *   max_rings_per_user   rings set up per real uid, 0 = no limit (default);
 *                        SETUP beyond it fails with EMFILE, as inotify's
 *                        max_user_instances does; freed rings count no more
 *   max_entries          SQ entries limit (default and ceiling 32768); more
 *                        is EINVAL, or clamped with SETUP_CLAMP; the CQ
 *                        limit is twice this
 * Each test skips while its parameter does not exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define PARAMS "/sys/module/xuring/parameters/"

static int param_read(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

static int param_write(const char *name, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* Skip unless @name exists; keep its value in @old to restore. */
#define NEED_PARAM(name, old) do {					\
	if (param_read(name, old, sizeof(old)))				\
		SKIP(return, "module parameter xuring." name		\
		     " not implemented yet (issue 7)");			\
} while (0)

static int op_result(struct xt_ring *r, int op, int fd, void *buf,
		     unsigned int len)
{
	struct xuring_cqe cqe;
	int ret;

	xt_prep(xt_get_sqe(r), op, fd, buf, len, 0, 1);
	ret = xt_submit_one(r, &cqe);
	return ret ? ret : cqe.res;
}

static bool probe_flags(struct xt_ring *r, int op)
{
	struct xuring_probe *p = calloc(1, sizeof(*p) + 256 * 8);
	bool ok;

	xt_sys_register(XT_XURING, r->fd, XURING_REGISTER_PROBE, p, 256);
	ok = op <= p->last_op && (p->ops[op].flags & XURING_OP_SUPPORTED);
	free(p);
	return ok;
}

TEST(ops_deny)
{
	char old[512], buf[16];
	struct xt_ring r;
	struct iovec iov = { buf, sizeof(buf) };
	int nul;

	XT_NEED_XURING();
	NEED_PARAM("ops_deny", old);
	nul = open("/dev/zero", O_RDONLY);
	ASSERT_LE(0, nul);
	ASSERT_EQ(0, param_write("ops_deny", "READ,4"));
	XT_RING(&r, XT_XURING, 8, NULL);
	EXPECT_FALSE(probe_flags(&r, XURING_OP_READ));
	EXPECT_TRUE(probe_flags(&r, XURING_OP_READV));
	EXPECT_EQ(-EACCES, op_result(&r, XURING_OP_READ, nul, buf, 8));
	EXPECT_EQ(8, op_result(&r, XURING_OP_READV, nul, &iov, 1));
	/* a bad list is refused and changes nothing */
	EXPECT_EQ(-EINVAL, param_write("ops_deny", "NO_SUCH_OP"));
	EXPECT_EQ(-EACCES, op_result(&r, XURING_OP_READ, nul, buf, 8));
	/* lifting it works for rings that already exist */
	ASSERT_EQ(0, param_write("ops_deny", old[0] ? old : "\n"));
	EXPECT_EQ(8, op_result(&r, XURING_OP_READ, nul, buf, 8));
	EXPECT_TRUE(probe_flags(&r, XURING_OP_READ));
	xt_ring_exit(&r);
	close(nul);
}

TEST(ops_allow)
{
	char old[512], buf[16];
	struct xt_ring r;
	int nul;

	XT_NEED_XURING();
	NEED_PARAM("ops_allow", old);
	nul = open("/dev/zero", O_RDONLY);
	ASSERT_LE(0, nul);
	ASSERT_EQ(0, param_write("ops_allow", "nop"));
	XT_RING(&r, XT_XURING, 8, NULL);
	EXPECT_TRUE(probe_flags(&r, XURING_OP_NOP));
	EXPECT_FALSE(probe_flags(&r, XURING_OP_READ));
	EXPECT_EQ(0, op_result(&r, XURING_OP_NOP, -1, NULL, 0));
	EXPECT_EQ(-EACCES, op_result(&r, XURING_OP_READ, nul, buf, 8));
	ASSERT_EQ(0, param_write("ops_allow", old[0] ? old : "\n"));
	EXPECT_EQ(8, op_result(&r, XURING_OP_READ, nul, buf, 8));
	xt_ring_exit(&r);
	close(nul);
}

/* Run @fn as uid/gid 65534 with @n rings opened (as root) beforehand. */
static int as_nobody(int (*fn)(int *fds, int n), int n)
{
	int fds[16], i, status;
	pid_t pid = fork();

	if (pid == 0) {
		for (i = 0; i < n; i++)
			if ((fds[i] = xt_dev_open()) < 0)
				_exit(100);
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(101);
		_exit(fn(fds, n));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int setup_sqpoll(int *fds, int n)
{
	struct xuring_params p;

	(void)n;
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	p.flags = XURING_SETUP_SQPOLL;
	return ioctl(fds[0], XURING_IOC_SETUP, &p) ? errno : 0;
}

TEST(sqpoll_unprivileged)
{
	char old[16];

	XT_NEED_XURING();
	NEED_PARAM("sqpoll_unprivileged", old);
	ASSERT_EQ(0, param_write("sqpoll_unprivileged", "N"));
	EXPECT_EQ(EPERM, as_nobody(setup_sqpoll, 1));
	ASSERT_EQ(0, param_write("sqpoll_unprivileged", "Y"));
	EXPECT_EQ(0, as_nobody(setup_sqpoll, 1));
	ASSERT_EQ(0, param_write("sqpoll_unprivileged", old));
}

/* 3 rings set up, the 4th refused; a freed ring makes room. */
static int three_rings(int *fds, int n)
{
	struct xuring_params p;
	int i;

	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof(p));
		p.sq_entries = 4;
		if (ioctl(fds[i], XURING_IOC_SETUP, &p))
			return i < 3 ? 10 + i : errno == EMFILE ? 0 : 20;
		if (i == 3)
			return 21;	/* a fourth was accepted */
	}
	return 22;
}

static int freed_ring_counts_no_more(int *fds, int n)
{
	struct xuring_params p;
	int i, fd;

	(void)n;
	for (i = 0; i < 3; i++) {
		memset(&p, 0, sizeof(p));
		p.sq_entries = 4;
		if (ioctl(fds[i], XURING_IOC_SETUP, &p))
			return 30 + i;
	}
	close(fds[0]);
	/* the ring is freed from a work item: give it a moment */
	for (i = 0; i < 100; i++) {
		memset(&p, 0, sizeof(p));
		p.sq_entries = 4;
		fd = fds[3];
		if (!ioctl(fd, XURING_IOC_SETUP, &p))
			return 0;
		if (errno != EMFILE)
			return 40;
		xt_sleep_ms(10);
	}
	return 41;
}

TEST(max_rings_per_user)
{
	char old[32];

	XT_NEED_XURING();
	NEED_PARAM("max_rings_per_user", old);
	ASSERT_EQ(0, param_write("max_rings_per_user", "3"));
	EXPECT_EQ(0, as_nobody(three_rings, 4));
	EXPECT_EQ(0, as_nobody(freed_ring_counts_no_more, 4));
	/* another user's rings are not counted: root sets up more than 3 */
	{
		struct xt_ring r[4];
		int i;

		for (i = 0; i < 4; i++)
			XT_RING(&r[i], XT_XURING, 4, NULL);
		for (i = 0; i < 4; i++)
			xt_ring_exit(&r[i]);
	}
	ASSERT_EQ(0, param_write("max_rings_per_user", old));
}

TEST(max_entries)
{
	struct xuring_params p;
	char old[32];
	int fd = -1;

	XT_NEED_XURING();
	NEED_PARAM("max_entries", old);
	ASSERT_EQ(0, param_write("max_entries", "64"));
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(-EINVAL, xt_sys_setup(XT_XURING, 128, &p, &fd));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CLAMP;
	ASSERT_EQ(0, xt_sys_setup(XT_XURING, 128, &p, &fd));
	EXPECT_EQ(64U, p.sq_entries);
	close(fd);
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 256;
	EXPECT_EQ(-EINVAL, xt_sys_setup(XT_XURING, 8, &p, &fd));
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, xt_sys_setup(XT_XURING, 64, &p, &fd));
	close(fd);
	EXPECT_EQ(-EINVAL, param_write("max_entries", "0"));
	EXPECT_EQ(-EINVAL, param_write("max_entries", "65536"));
	ASSERT_EQ(0, param_write("max_entries", old));
}

TEST_HARNESS_MAIN
