// SPDX-License-Identifier: GPL-2.0
/*
 * The admin's module parameters, changed at run time through
 * /sys/module/xuring/parameters/: max_entries, max_rings_per_user,
 * sqpoll_unprivileged and deny_ops, each enforced. Every test puts the
 * parameter back as it found it.
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

static int param_write(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return xt_write_str(path, val);
}

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

TEST(max_entries)
{
	struct xuring_params p;
	char old[32];
	int fd, ret;

	XT_NEED_XURING();
	ASSERT_EQ(0, param_read("max_entries", old, sizeof(old)));
	ASSERT_EQ(0, param_write("max_entries", "64"));

	ret = xt_sys_setup(XT_XURING, 128, memset(&p, 0, sizeof(p)), &fd);
	EXPECT_EQ(-EINVAL, ret);
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CLAMP;
	ret = xt_sys_setup(XT_XURING, 1000, &p, &fd);
	EXPECT_EQ(0, ret);
	if (!ret) {
		EXPECT_EQ(64U, p.sq_entries);
		EXPECT_EQ(128U, p.cq_entries);
		close(fd);
	}
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 256;
	EXPECT_EQ(-EINVAL, xt_sys_setup(XT_XURING, 8, &p, &fd));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE | XURING_SETUP_CLAMP;
	p.cq_entries = 256;
	ret = xt_sys_setup(XT_XURING, 8, &p, &fd);
	EXPECT_EQ(0, ret);
	if (!ret) {
		EXPECT_EQ(128U, p.cq_entries);
		close(fd);
	}
	memset(&p, 0, sizeof(p));
	ret = xt_sys_setup(XT_XURING, 64, &p, &fd);
	EXPECT_EQ(0, ret);
	if (!ret)
		close(fd);

	EXPECT_EQ(0, param_write("max_entries", old));
}

TEST(max_rings_per_user)
{
	int fds[3], ret, i;
	struct xuring_params p;
	char old[32];

	XT_NEED_XURING();
	ASSERT_EQ(0, param_read("max_rings_per_user", old, sizeof(old)));
	ASSERT_EQ(0, param_write("max_rings_per_user", "2"));

	for (i = 0; i < 2; i++) {
		memset(&p, 0, sizeof(p));
		ret = xt_sys_setup(XT_XURING, 4, &p, &fds[i]);
		/* a ring an earlier test left alive counts too */
		EXPECT_EQ(0, ret) TH_LOG("ring %d of 2", i + 1);
		if (ret)
			break;
	}
	if (i == 2) {
		memset(&p, 0, sizeof(p));
		ret = xt_sys_setup(XT_XURING, 4, &p, &fds[2]);
		EXPECT_EQ(-EMFILE, ret);
		/* a ring that goes away makes room */
		close(fds[0]);
		usleep(100 * 1000);
		memset(&p, 0, sizeof(p));
		ret = xt_sys_setup(XT_XURING, 4, &p, &fds[0]);
		EXPECT_EQ(0, ret);
		if (!ret)
			close(fds[0]);
		close(fds[1]);
		usleep(100 * 1000);
	} else {
		while (i--)
			close(fds[i]);
	}

	/* in every case: the tests after this one need their rings */
	EXPECT_EQ(0, param_write("max_rings_per_user", old));
}

/* In a child that dropped to nobody: SQPOLL with the setting at @val. */
static int sqpoll_as_nobody(void)
{
	int fd = xt_dev_open(), status;
	struct xuring_params p;
	pid_t pid;

	if (fd < 0)
		return fd;
	pid = fork();
	if (pid == 0) {
		int ret;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_SQPOLL;
		p.sq_entries = 4;
		ret = ioctl(fd, XURING_IOC_SETUP, &p) ? errno : 0;
		_exit(ret);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

TEST(sqpoll_unprivileged)
{
	char old[8];

	XT_NEED_XURING();
	ASSERT_EQ(0, param_read("sqpoll_unprivileged", old, sizeof(old)));
	ASSERT_EQ(0, param_write("sqpoll_unprivileged", "N"));
	EXPECT_EQ(-EPERM, sqpoll_as_nobody());
	ASSERT_EQ(0, param_write("sqpoll_unprivileged", "Y"));
	EXPECT_EQ(0, sqpoll_as_nobody());
	EXPECT_EQ(0, param_write("sqpoll_unprivileged", old));
}

TEST(deny_ops)
{
	struct xuring_probe *probe;
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char val[256];

	XT_NEED_XURING();
	ASSERT_EQ(0, param_write("deny_ops", "nop, 22"));
	ASSERT_EQ(0, param_read("deny_ops", val, sizeof(val)));
	EXPECT_STREQ("NOP,READ", val);
	EXPECT_EQ(-EINVAL, param_write("deny_ops", "NOP,NOT_AN_OP"));
	EXPECT_EQ(-EINVAL, param_write("deny_ops", "34"));
	ASSERT_EQ(0, param_read("deny_ops", val, sizeof(val)));
	EXPECT_STREQ("NOP,READ", val);

	XT_RING(&r, XT_XURING, 4, NULL);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, 7);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EACCES, cqe.res);
	EXPECT_EQ(7ULL, (unsigned long long)cqe.user_data);

	probe = calloc(1, sizeof(*probe) + 64 * sizeof(probe->ops[0]));
	ASSERT_NE(NULL, probe);
	ASSERT_EQ(0, xt_sys_register(XT_XURING, r.fd, XURING_REGISTER_PROBE,
				     probe, 64));
	EXPECT_EQ(0, probe->ops[XURING_OP_NOP].flags & XURING_OP_SUPPORTED);
	EXPECT_EQ(0, probe->ops[XURING_OP_READ].flags & XURING_OP_SUPPORTED);
	EXPECT_NE(0, probe->ops[XURING_OP_WRITE].flags & XURING_OP_SUPPORTED);
	free(probe);

	/* an empty write never reaches the kernel: a newline clears it */
	ASSERT_EQ(0, param_write("deny_ops", "\n"));
	ASSERT_EQ(0, param_read("deny_ops", val, sizeof(val)));
	EXPECT_STREQ("", val);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, 8);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(0, cqe.res);
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
