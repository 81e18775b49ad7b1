// SPDX-License-Identifier: GPL-2.0
/*
 * The register interface: EVENTFD, EVENTFD_ASYNC, UNREGISTER_EVENTFD and
 * XURING_CQ_EVENTFD_DISABLED; PERSONALITY / UNREGISTER_PERSONALITY and
 * requests running with another uid's credentials (in the submit call and
 * in a worker); RESTRICTIONS and ENABLE_RINGS on an R_DISABLED ring; the
 * probe and features listing all of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define NOBODY 65534

static struct xuring_sqe *prep(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off)
{
	return xt_prep_sqe(r, op, fd, addr, len, off, 0x7000 + op, 0);
}

#define REG(tag, op, arg, nr) XT_REG_REC(log, &r, tag, op, arg, nr)

#define ONE(tag) ({							\
	struct xuring_cqe __c;						\
	int __res = xt_one(_metadata, &r, &__c);			\
	xt_rec(log, __res, "%s.res", tag);				\
	__res;								\
})

/*
 * What the eventfd counted since the last look. A CQE becomes visible
 * just before the eventfd is signalled, so a count that is due is waited
 * for (a second at most); one that is not due gets 20 ms to show up.
 */
static long long evcount_wait(int efd, bool due)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	eventfd_t v;

	if (due)
		poll(&pfd, 1, 1000);
	else
		xt_sleep_ms(20);
	return eventfd_read(efd, &v) ? 0 : (long long)v;
}

#define evcount(efd)		evcount_wait(efd, true)
#define evcount_none(efd)	evcount_wait(efd, false)

/* ---- eventfd ---- */

XT_SCENARIO(evfd)
{
	int efd = eventfd(0, EFD_NONBLOCK), efd2 = eventfd(0, EFD_NONBLOCK);
	struct xuring_cqe cqe;
	struct xt_ring r;
	int p[2], i;
	long long n;

	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, pipe(p));
	XT_RING(&r, kind, 8, NULL);

	EXPECT_EQ(-ENXIO, REG("unreg-none", XURING_UNREGISTER_EVENTFD,
			      NULL, 0));
	EXPECT_EQ(-EINVAL, REG("nr0", XURING_REGISTER_EVENTFD, &efd, 0));
	EXPECT_EQ(-EINVAL, REG("nr2", XURING_REGISTER_EVENTFD, &efd, 2));
	i = 9999;
	EXPECT_EQ(-EBADF, REG("bad-fd", XURING_REGISTER_EVENTFD, &i, 1));
	EXPECT_EQ(-EINVAL, REG("not-eventfd", XURING_REGISTER_EVENTFD,
			       &p[0], 1));
	ASSERT_EQ(0, REG("register", XURING_REGISTER_EVENTFD, &efd, 1));
	EXPECT_EQ(-EBUSY, REG("twice", XURING_REGISTER_EVENTFD, &efd2, 1));
	EXPECT_EQ(-EBUSY, REG("twice-async", XURING_REGISTER_EVENTFD_ASYNC,
			      &efd2, 1));

	/* an inline completion signals */
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop"));
	n = evcount(efd);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "nop.count");
	/* a batch signals at least once */
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	ASSERT_EQ(4, xt_submit_and_wait(&r, 4));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	n = evcount(efd);
	EXPECT_LE(1, n);
	xt_rec(log, n >= 1, "batch.count");
	/* so does one completed later, from a pipe */
	ASSERT_NE(NULL, prep(&r, XURING_OP_READ, p[0], &n, 1, 0));
	ASSERT_EQ(1, xt_submit(&r));
	xt_sleep_ms(10);
	EXPECT_EQ(0, evcount_none(efd));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
	EXPECT_EQ(1, cqe.res);
	n = evcount(efd);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "pipe.count");

	/* XURING_CQ_EVENTFD_DISABLED, written by userspace, silences it */
	__atomic_store_n(r.cq_flags, XURING_CQ_EVENTFD_DISABLED,
			 __ATOMIC_RELEASE);
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop-disabled"));
	n = evcount_none(efd);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "disabled.count");
	__atomic_store_n(r.cq_flags, 0, __ATOMIC_RELEASE);
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop-enabled"));
	n = evcount(efd);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "enabled.count");

	EXPECT_EQ(-EINVAL, REG("unreg-arg", XURING_UNREGISTER_EVENTFD,
			       &efd, 0));
	EXPECT_EQ(-EINVAL, REG("unreg-nr", XURING_UNREGISTER_EVENTFD,
			       NULL, 1));
	EXPECT_EQ(0, REG("unregister", XURING_UNREGISTER_EVENTFD, NULL, 0));
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop-after"));
	n = evcount_none(efd);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "after.count");
	EXPECT_EQ(-ENXIO, REG("unreg-again", XURING_UNREGISTER_EVENTFD,
			      NULL, 0));
	/* and another one can be registered */
	EXPECT_EQ(0, REG("second", XURING_REGISTER_EVENTFD, &efd2, 1));
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop-second"));
	n = evcount(efd2);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "second.count");
	/* the ring closes with it registered */
	xt_ring_exit(&r);
	close(efd);
	close(efd2);
	close(p[0]);
	close(p[1]);
}

TEST(eventfd_register_signal)
{
	XT_DIFF(evfd);
}

/*
 * EVENTFD_ASYNC: what completes in the submit call does not signal, what
 * a worker completes does. (Completions from FAST_POLL and interrupts
 * signal on xuring, which counts them as async; native signals only for
 * its io-wq workers, so those are not compared.)
 */
XT_SCENARIO(eventfd_async)
{
	int efd = eventfd(0, EFD_NONBLOCK);
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char path[64];
	long long n;
	int fd;

	ASSERT_LE(0, efd);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, REG("register", XURING_REGISTER_EVENTFD_ASYNC, &efd, 1));

	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop"));
	n = evcount_none(efd);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "inline.count");

	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(0, ONE("nop-async"));
	n = evcount(efd);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "worker.count");

	/* fsync always runs in a worker */
	ASSERT_NE(NULL, prep(&r, XURING_OP_FSYNC, fd, NULL, 0, 0));
	EXPECT_EQ(0, ONE("fsync"));
	n = evcount(efd);
	EXPECT_EQ(1, n);
	xt_rec(log, n, "fsync.count");

	EXPECT_EQ(0, REG("unregister", XURING_UNREGISTER_EVENTFD, NULL, 0));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(0, ONE("after"));
	n = evcount_none(efd);
	EXPECT_EQ(0, n);
	xt_rec(log, n, "after.count");
	xt_ring_exit(&r);
	close(efd);
	close(fd);
}

TEST(eventfd_async)
{
	XT_DIFF(eventfd_async);
}

/* ---- personalities ---- */

XT_SCENARIO(personality_ids)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int id1, id2, id3;

	XT_RING(&r, kind, 4, NULL);
	EXPECT_EQ(-EINVAL, REG("reg-arg", XURING_REGISTER_PERSONALITY,
			       &r, 0));
	EXPECT_EQ(-EINVAL, REG("reg-nr", XURING_REGISTER_PERSONALITY,
			       NULL, 1));
	id1 = REG("id1", XURING_REGISTER_PERSONALITY, NULL, 0);
	id2 = REG("id2", XURING_REGISTER_PERSONALITY, NULL, 0);
	EXPECT_EQ(1, id1);
	EXPECT_EQ(2, id2);

	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->personality = id2;
	EXPECT_EQ(0, ONE("nop-id2"));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->personality = id2 + 1;
	EXPECT_EQ(-EINVAL, ONE("nop-unknown"));

	EXPECT_EQ(-EINVAL, REG("unreg-arg", XURING_UNREGISTER_PERSONALITY,
			       &r, id1));
	EXPECT_EQ(0, REG("unreg1", XURING_UNREGISTER_PERSONALITY, NULL, id1));
	EXPECT_EQ(-EINVAL, REG("unreg1-again", XURING_UNREGISTER_PERSONALITY,
			       NULL, id1));
	EXPECT_EQ(-EINVAL, REG("unreg0", XURING_UNREGISTER_PERSONALITY,
			       NULL, 0));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->personality = id1;
	EXPECT_EQ(-EINVAL, ONE("nop-gone"));
	/* ids go round: the freed one is not handed out again at once */
	id3 = REG("id3", XURING_REGISTER_PERSONALITY, NULL, 0);
	EXPECT_EQ(3, id3);
	xt_ring_exit(&r);
}

TEST(personality_register_unregister)
{
	XT_DIFF(personality_ids);
}

/* A child becomes nobody and registers its credentials on the ring. */
static int nobody_personality(struct xt_ring *r)
{
	int status, id = -1, pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		id = xt_register(r, XURING_REGISTER_PERSONALITY, NULL, 0);
		_exit(write(pfd[1], &id, sizeof(id)) == sizeof(id) ? 0 : 2);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) ||
	    read(pfd[0], &id, sizeof(id)) != sizeof(id))
		id = -EPROTO;
	close(pfd[0]);
	close(pfd[1]);
	return id;
}

/*
 * A sysctl only root may read, opened by root: whoever reads it through
 * the fd is checked at read time. READ with a nobody personality fails,
 * in the submit call and in a worker; without one it works.
 */
XT_SCENARIO(personality_creds_read)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char buf[64];
	int fd, id, res;

	fd = open("/proc/sys/kernel/cad_pid", O_RDONLY);
	if (fd < 0) {
		TH_LOG("no /proc/sys/kernel/cad_pid: %s", strerror(errno));
		xt_rec(log, 0, "skipped");
		return;
	}
	XT_RING(&r, kind, 4, NULL);
	id = nobody_personality(&r);
	ASSERT_LT(0, id);

	ASSERT_NE(NULL, prep(&r, XURING_OP_READ, fd, buf, sizeof(buf), 0));
	res = ONE("root");
	EXPECT_LT(0, res);
	sqe = prep(&r, XURING_OP_READ, fd, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->personality = id;
	EXPECT_EQ(-EPERM, ONE("nobody"));
	sqe = prep(&r, XURING_OP_READ, fd, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->personality = id;
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(-EPERM, ONE("nobody-worker"));
	sqe = prep(&r, XURING_OP_READ, fd, buf, sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_LT(0, ONE("root-worker"));
	xt_ring_exit(&r);
	close(fd);
}

TEST(personality_applies_credentials)
{
	XT_DIFF(personality_creds_read);
}

/*
 * The reverse, in a worker: a child that is nobody writes, with root's
 * personality and without, to a setuid file root made world-writable. A
 * write by someone without CAP_FSETID clears the setuid bit; root's keeps
 * it.
 */
static int suid_write(enum xt_kind kind, int id, const char *path,
		      bool use_personality)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct stat st;
	struct xt_ring r;
	int status, fd, ret;
	pid_t pid;

	if (chmod(path, 04777))
		return -1;
	if (xt_ring_init(&r, kind, 4, NULL))
		return -2;
	if (id == 0) {
		id = xt_register(&r, XURING_REGISTER_PERSONALITY, NULL, 0);
		if (id <= 0)
			return -3;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -4;
	pid = fork();
	if (pid < 0)
		return -5;
	if (!pid) {
		if (setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		sqe = xt_get_sqe(&r);
		xt_prep(sqe, XURING_OP_WRITE, fd, "data", 4, 0, 1);
		if (use_personality)
			sqe->personality = id;
		if (xt_submit_one(&r, &cqe) || cqe.res != 4)
			_exit(2);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -6;
	ret = WEXITSTATUS(status) ? -10 - WEXITSTATUS(status) : 0;
	close(fd);
	xt_ring_exit(&r);
	if (ret)
		return ret;
	if (stat(path, &st))
		return -7;
	return !!(st.st_mode & S_ISUID);
}

XT_SCENARIO(personality_creds_write)
{
	char path[64];
	int fd, res;

	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	close(fd);
	/* nobody's own write: the bit goes */
	res = suid_write(kind, 0, path, false);
	EXPECT_EQ(0, res);
	xt_rec(log, res, "nobody.suid");
	/* with root's personality: the bit stays */
	res = suid_write(kind, 0, path, true);
	EXPECT_EQ(1, res);
	xt_rec(log, res, "root-personality.suid");
	unlink(path);
}

TEST(personality_in_worker)
{
	XT_DIFF(personality_creds_write);
}

/* ---- restrictions ---- */

static struct xuring_restriction rs(int opcode, int arg)
{
	struct xuring_restriction res;

	memset(&res, 0, sizeof(res));
	res.opcode = opcode;
	res.sqe_op = arg;
	return res;
}

XT_SCENARIO(restrictions)
{
	struct xuring_restriction res[8];
	struct xuring_params p;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int fds[1] = { -1 };

	/* not disabled: neither works */
	XT_RING(&r, kind, 4, NULL);
	res[0] = rs(XURING_RESTRICTION_SQE_OP, XURING_OP_NOP);
	EXPECT_EQ(-EBADFD, REG("live-restrict", XURING_REGISTER_RESTRICTIONS,
			       res, 1));
	EXPECT_EQ(-EBADFD, REG("live-enable", XURING_REGISTER_ENABLE_RINGS,
			       NULL, 0));
	xt_ring_exit(&r);

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_R_DISABLED;
	XT_RING(&r, kind, 8, &p);
	/* a disabled ring takes no ENTER */
	EXPECT_EQ(-EBADFD, xt_enter(&r, 0, 0, 0));
	xt_rec(log, xt_enter(&r, 0, 1, XURING_ENTER_GETEVENTS), "enter");

	EXPECT_EQ(-EINVAL, REG("null", XURING_REGISTER_RESTRICTIONS, NULL, 1));
	EXPECT_EQ(-EINVAL, REG("too-many", XURING_REGISTER_RESTRICTIONS,
			       res, 1000));
	EXPECT_EQ(-EFAULT, REG("fault", XURING_REGISTER_RESTRICTIONS,
			       xt_unmapped_page(), 1));
	res[0] = rs(77, 0);
	EXPECT_EQ(-EINVAL, REG("bad-kind", XURING_REGISTER_RESTRICTIONS,
			       res, 1));
	res[0] = rs(XURING_RESTRICTION_SQE_OP, 200);
	EXPECT_EQ(-EINVAL, REG("bad-op", XURING_REGISTER_RESTRICTIONS,
			       res, 1));
	res[0] = rs(XURING_RESTRICTION_REGISTER_OP, 200);
	EXPECT_EQ(-EINVAL, REG("bad-regop", XURING_REGISTER_RESTRICTIONS,
			       res, 1));
	/* a good entry before a bad one: nothing is kept */
	res[0] = rs(XURING_RESTRICTION_SQE_OP, XURING_OP_FSYNC);
	res[1] = rs(77, 0);
	EXPECT_EQ(-EINVAL, REG("good-bad", XURING_REGISTER_RESTRICTIONS,
			       res, 2));

	res[0] = rs(XURING_RESTRICTION_SQE_OP, XURING_OP_NOP);
	res[1] = rs(XURING_RESTRICTION_SQE_OP, XURING_OP_READ);
	res[2] = rs(XURING_RESTRICTION_SQE_FLAGS_ALLOWED, XURING_SQE_ASYNC);
	res[3] = rs(XURING_RESTRICTION_REGISTER_OP, XURING_REGISTER_PROBE);
	res[4] = rs(XURING_RESTRICTION_REGISTER_OP,
		    XURING_REGISTER_PERSONALITY);
	EXPECT_EQ(0, REG("restrict", XURING_REGISTER_RESTRICTIONS, res, 5));
	EXPECT_EQ(-EBUSY, REG("again", XURING_REGISTER_RESTRICTIONS, res, 5));
	/* not enforced before ENABLE_RINGS */
	EXPECT_EQ(0, REG("files-before", XURING_REGISTER_FILES, fds, 1));
	EXPECT_EQ(-EINVAL, REG("enable-arg", XURING_REGISTER_ENABLE_RINGS,
			       res, 0));
	EXPECT_EQ(0, REG("enable", XURING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EACCES, REG("enable-again", XURING_REGISTER_ENABLE_RINGS,
			       NULL, 0));

	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(0, ONE("nop"));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(0, ONE("nop-async"));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_FIXED_FILE;
	EXPECT_EQ(-EACCES, ONE("nop-fixed"));
	ASSERT_NE(NULL, prep(&r, XURING_OP_FSYNC, 0, NULL, 0, 0));
	EXPECT_EQ(-EACCES, ONE("fsync"));
	/* checked before anything else about the SQE */
	ASSERT_NE(NULL, prep(&r, XURING_OP_WRITE, 9999, NULL, 0, 0));
	EXPECT_EQ(-EACCES, ONE("write-badfd"));
	ASSERT_NE(NULL, prep(&r, XURING_OP_READ, 9999, NULL, 0, 0));
	EXPECT_EQ(-EBADF, ONE("read-badfd"));

	EXPECT_LT(0, REG("personality", XURING_REGISTER_PERSONALITY,
			 NULL, 0));
	EXPECT_EQ(-EACCES, REG("files", XURING_REGISTER_FILES, fds, 1));
	EXPECT_EQ(-EACCES, REG("unreg-files", XURING_UNREGISTER_FILES,
			       NULL, 0));
	EXPECT_EQ(-EACCES, REG("restrict-after",
			       XURING_REGISTER_RESTRICTIONS, res, 1));
	EXPECT_EQ(-EINVAL, REG("unknown-op", 200, NULL, 0));
	xt_ring_exit(&r);

	/* required flags */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_R_DISABLED;
	XT_RING(&r, kind, 8, &p);
	res[0] = rs(XURING_RESTRICTION_SQE_OP, XURING_OP_NOP);
	res[1] = rs(XURING_RESTRICTION_SQE_FLAGS_REQUIRED, XURING_SQE_ASYNC);
	EXPECT_EQ(0, REG("restrict2", XURING_REGISTER_RESTRICTIONS, res, 2));
	EXPECT_EQ(0, REG("enable2", XURING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_NE(NULL, prep(&r, XURING_OP_NOP, -1, NULL, 0, 0));
	EXPECT_EQ(-EACCES, ONE("nop-plain"));
	sqe = prep(&r, XURING_OP_NOP, -1, NULL, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = XURING_SQE_ASYNC;
	EXPECT_EQ(0, ONE("nop-required"));
	xt_ring_exit(&r);

	/* enabled without restrictions: nothing is restricted */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_R_DISABLED;
	XT_RING(&r, kind, 8, &p);
	EXPECT_EQ(0, REG("enable3", XURING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_NE(NULL, prep(&r, XURING_OP_FSYNC, -1, NULL, 0, 0));
	EXPECT_EQ(-EBADF, ONE("fsync3"));
	EXPECT_EQ(0, REG("files3", XURING_REGISTER_FILES, fds, 1));
	xt_ring_exit(&r);
}

TEST(restrictions_and_enable)
{
	XT_DIFF(restrictions);
}

/* SQPOLL on a disabled ring: the thread submits nothing until enabled. */
XT_SCENARIO(sqpoll_disabled)
{
	struct xuring_params p;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int i;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_R_DISABLED | XURING_SETUP_SQPOLL;
	XT_RING(&r, kind, 8, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 3, 10));
	xt_flush(&r);
	EXPECT_EQ(-EBADFD, xt_enter(&r, 3, 0, XURING_ENTER_SQ_WAKEUP));
	xt_sleep_ms(50);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	EXPECT_EQ(0U, __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, REG("enable", XURING_REGISTER_ENABLE_RINGS, NULL, 0));
	xt_enter(&r, 3, 0, XURING_ENTER_SQ_WAKEUP);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, xt_wait_cqe(&r, &cqe));
		EXPECT_EQ(0, cqe.res);
		xt_rec(log, cqe.user_data, "ud%d", i);
	}
	xt_ring_exit(&r);
}

TEST(sqpoll_waits_for_enable)
{
	XT_DIFF(sqpoll_disabled);
}

/* The probe lists the ops this work added; the features, personalities. */
TEST(probe_and_features)
{
	static const int ops[] = {
		XURING_OP_READ_FIXED, XURING_OP_WRITE_FIXED,
		XURING_OP_FILES_UPDATE, XURING_OP_PROVIDE_BUFFERS,
		XURING_OP_REMOVE_BUFFERS,
	};
	struct {
		struct xuring_probe p;
		struct xuring_probe_op ops[XURING_OP_LAST];
	} probe;
	struct xuring_params p;
	struct xt_ring r;
	unsigned int i;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	XT_RING(&r, XT_XURING, 4, &p);
	EXPECT_TRUE(p.features & XURING_FEAT_CUR_PERSONALITY);
	memset(&probe, 0, sizeof(probe));
	ASSERT_EQ(0, xt_register(&r, XURING_REGISTER_PROBE, &probe,
				 XURING_OP_LAST));
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		EXPECT_TRUE(probe.p.ops[ops[i]].flags & XURING_OP_SUPPORTED)
			TH_LOG("op %d", ops[i]);
	xt_ring_exit(&r);
}

TEST_HARNESS_MAIN
