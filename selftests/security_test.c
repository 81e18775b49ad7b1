// SPDX-License-Identifier: GPL-2.0
/*
 * The attacks of SECURITY.md, each made as an unprivileged user granted
 * /dev/xuring the way udev/60-xuring.rules grants it (group read/write),
 * and, where native io_uring can run the same thing, against it too:
 *  - a count TIMEOUT under a LINK_TIMEOUT, completed by a CQE (a use after
 *    free of an armed hrtimer before the fix);
 *  - short LINK_TIMEOUTs racing the request they guard: it is canceled,
 *    every round, whichever path it took;
 *  - requests that resume in their submitter after it exec'd a program,
 *    setuid or not: canceled, never run for the new image;
 *  - rings that poll themselves or each other, their fds closed, and rings
 *    whose fd is in flight on a unix socket they hold: freed once the
 *    processes are gone;
 *  - the submitter's RLIMIT_FSIZE in the workers.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/time_types.h>

#include "kselftest_harness.h"
#include "xtest.h"

/* The user and group the attacks run as; the group is granted the device. */
#define XS_UID	XT_UID
#define XS_GID	XT_GID

/*
 * As root: give the device to XS_GID as the udev rule does, let anyone
 * write the test's directory, then become XS_UID with only that group.
 */
static void xs_become_user(struct __test_metadata *_metadata)
{
	XT_NEED_XURING();
	ASSERT_EQ(0, xt_grant_device(XS_GID));
	ASSERT_EQ(0, xt_drop_to(XS_UID, XS_GID));
	ASSERT_EQ(XS_UID, geteuid());
}

static struct xuring_sqe *xs_sqe(struct xt_ring *r, int op, int fd,
				 const void *addr, unsigned int len,
				 uint64_t off, uint64_t ud, unsigned int flags)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	if (sqe) {
		xt_prep(sqe, op, fd, addr, len, off, ud);
		sqe->flags = flags;
	}
	return sqe;
}

/*
 * TIMEOUT {10 s, count 1} linked to a LINK_TIMEOUT {100 ms}, then a NOP:
 * the NOP's CQE completes the TIMEOUT by its count, which must take the
 * LINK_TIMEOUT's armed timer with it. 100 ms later nothing may fire.
 */
XT_SCENARIO(count_timeout_under_link_timeout)
{
	struct __kernel_timespec lts = { .tv_nsec = 100 * 1000 * 1000 };
	struct __kernel_timespec ts = { .tv_sec = 10 };
	struct xuring_cqe cqe[4];
	struct xt_ring r;
	unsigned int i, got;

	XT_RING(&r, kind, 8, NULL);
	xs_sqe(&r, XURING_OP_TIMEOUT, -1, &ts, 1, 1, 1, XURING_SQE_IO_LINK);
	xs_sqe(&r, XURING_OP_LINK_TIMEOUT, -1, &lts, 1, 0, 2, 0);
	xs_sqe(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, 0);
	ASSERT_EQ(3, xt_submit(&r));
	got = xt_reap_sorted(&r, cqe, 3, 2000);
	ASSERT_EQ(3U, got);
	EXPECT_EQ(0, cqe[0].res);
	EXPECT_EQ(-ECANCELED, cqe[1].res);
	EXPECT_EQ(0, cqe[2].res);
	for (i = 0; i < got; i++)
		xt_rec(log, cqe[i].res, "ud %llu",
		       (unsigned long long)cqe[i].user_data);
	/* where the freed timer fired before the fix */
	xt_sleep_ms(300);
	EXPECT_EQ(-ETIME, xt_wait_cqe_ms(&r, &cqe[3], 0));
	xt_ring_exit(&r);
}

TEST(count_timeout_under_link_timeout)
{
	xs_become_user(_metadata);
	XT_DIFF(count_timeout_under_link_timeout);
}

/* The same, a thousand times, the count reached by the TIMEOUT's own NOP. */
XT_SCENARIO(count_timeouts_under_link_timeouts_loop)
{
	struct __kernel_timespec lts = { .tv_nsec = 1000 };
	struct __kernel_timespec ts = { .tv_sec = 10 };
	unsigned int round, bad = 0;
	struct xuring_cqe cqe[3];
	struct xt_ring r;

	XT_RING(&r, kind, 8, NULL);
	for (round = 0; round < 1000; round++) {
		xs_sqe(&r, XURING_OP_TIMEOUT, -1, &ts, 1, 1, 1,
		       XURING_SQE_IO_LINK);
		xs_sqe(&r, XURING_OP_LINK_TIMEOUT, -1, &lts, 1, 0, 2, 0);
		xs_sqe(&r, XURING_OP_NOP, -1, NULL, 0, 0, 3, 0);
		ASSERT_EQ(3, xt_submit(&r));
		ASSERT_EQ(3U, xt_reap_sorted(&r, cqe, 3, 2000));
		/*
		 * The short timer may fire first: then it cancels the
		 * TIMEOUT (-ETIME), or finds it completed by its count
		 * meanwhile (-ENOENT, -EALREADY), as in io_uring.
		 */
		if ((cqe[0].res != 0 && cqe[0].res != -ECANCELED) ||
		    (cqe[1].res != -ECANCELED && cqe[1].res != -ETIME &&
		     cqe[1].res != -ENOENT && cqe[1].res != -EALREADY) ||
		    cqe[2].res != 0)
			bad++;
	}
	EXPECT_EQ(0U, bad);
	xt_rec(log, bad, "rounds with other results");
	xt_ring_exit(&r);
}

TEST(count_timeouts_under_link_timeouts_loop)
{
	xs_become_user(_metadata);
	XT_DIFF(count_timeouts_under_link_timeouts_loop);
}

/*
 * READV of an empty pipe under a LINK_TIMEOUT of @nsec, @rounds times: the
 * read is canceled (-ECANCELED) every round, and the timeout says it fired
 * (-ETIME), or, as io_uring may too, that it found the read running in a
 * worker (-EALREADY) or between two places (-ENOENT). A read left waiting
 * is a stuck request: it fails the test. @sqe_flags: IOSQE_ASYNC for the
 * worker's path.
 */
static void xs_link_timeout_race(struct __test_metadata *_metadata,
				 enum xt_kind kind, struct xt_log *log,
				 long nsec, unsigned int sqe_flags,
				 unsigned int rounds)
{
	struct __kernel_timespec ts = { .tv_nsec = nsec };
	unsigned int round, got, stuck = 0, other = 0;
	struct xuring_cqe cqe[2];
	struct xt_ring r;
	char buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	int p[2];

	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(p));
	for (round = 0; round < rounds; round++) {
		xs_sqe(&r, XURING_OP_READV, p[0], &iov, 1, 0, 1,
		       XURING_SQE_IO_LINK | sqe_flags);
		xs_sqe(&r, XURING_OP_LINK_TIMEOUT, -1, &ts, 1, 0, 2, 0);
		ASSERT_EQ(2, xt_submit(&r));
		got = xt_reap_sorted(&r, cqe, 2, 2000);
		if (got != 2) {
			/* the read waits on: feed it, and count the round */
			TH_LOG("%s round %u: %u CQEs", xt_kind_name(kind),
			       round, got);
			stuck++;
			ASSERT_EQ(1, write(p[1], "x", 1));
			ASSERT_EQ(2 - got, xt_reap_sorted(&r, cqe, 2 - got,
							  2000));
			continue;
		}
		if (cqe[0].res != -ECANCELED ||
		    (cqe[1].res != -ETIME && cqe[1].res != -EALREADY &&
		     cqe[1].res != -ENOENT)) {
			if (!other)
				TH_LOG("%s round %u: read %d, timeout %d",
				       xt_kind_name(kind), round, cqe[0].res,
				       cqe[1].res);
			other++;
		}
	}
	EXPECT_EQ(0U, stuck);
	EXPECT_EQ(0U, other);
	xt_rec(log, stuck, "stuck reads");
	xt_rec(log, other, "other results");
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

XT_SCENARIO(link_timeout_10ns)
{
	xs_link_timeout_race(_metadata, kind, log, 10, 0, 1000);
}

XT_SCENARIO(link_timeout_1us_async)
{
	xs_link_timeout_race(_metadata, kind, log, 1000, XURING_SQE_ASYNC,
			     1000);
}

XT_SCENARIO(link_timeout_100us)
{
	xs_link_timeout_race(_metadata, kind, log, 100 * 1000, 0, 300);
}

TEST(short_link_timeouts_always_cancel)
{
	xs_become_user(_metadata);
	XT_DIFF(link_timeout_10ns);
}

TEST(short_link_timeouts_always_cancel_async)
{
	xs_become_user(_metadata);
	XT_DIFF(link_timeout_1us_async);
}

TEST(link_timeouts_100us_always_cancel)
{
	xs_become_user(_metadata);
	XT_DIFF(link_timeout_100us);
}

/* How a request waits before it would run in the submitter again. */
enum xs_wait {
	XS_HARDLINK,	/* hard-linked behind a TIMEOUT */
	XS_DRAIN,	/* IO_DRAIN behind a TIMEOUT */
	XS_FAST_POLL,	/* a RECVMSG waiting for a message */
};

/* What the request does in the submitter, if it is run after the exec. */
enum xs_op {
	XS_OPENAT,	/* creates a file where only root may */
	XS_CLOSE,	/* closes an fd that the new image inherited */
	XS_RECVMSG,	/* installs the fd the message carries */
};

struct xs_exec_case {
	enum xs_wait wait;
	enum xs_op op;
	bool setuid;
};

#define XS_ROOT_DIR	"root-only"
#define XS_TARGET	XS_ROOT_DIR "/created"

/*
 * As root, before xs_become_user(): a directory only root may write, and
 * this binary copied as a setuid-root program (or as a plain one).
 */
static void xs_exec_prepare(struct __test_metadata *_metadata, bool setuid,
			    char *prog, size_t len)
{
	/* the tests share a directory: an earlier one may have made it */
	ASSERT_TRUE(!mkdir(XS_ROOT_DIR, 0755) || errno == EEXIST);
	snprintf(prog, len, "%s/xs-helper", get_current_dir_name());
	ASSERT_EQ(0, xt_copy_self(prog, setuid ? 04755 : 0755));
}

/*
 * The ring is this process's; a child submits the case's request and
 * execs the helper, which naps for 1.2 s. A TIMEOUT before the request
 * fires at 300 ms; a RECVMSG gets its message, with an fd in it, once the
 * exec is done. The request never runs for the new image: no file where
 * only root may write, the helper's fds the same. xuring cancels it
 * (-ECANCELED); native io_uring too, except that it runs a CLOSE hard-linked
 * to the TIMEOUT it cancels at exec, before the new image starts (0).
 */
static void xs_exec_run(struct __test_metadata *_metadata, enum xt_kind kind,
			struct xt_log *log, const struct xs_exec_case *c,
			const char *prog)
{
	struct __kernel_timespec ts = { .tv_nsec = 300 * 1000 * 1000 };
	struct xt_helper_report rep;
	struct xuring_cqe cqe[2];
	int rep_pipe[2], sync[2], sv[2] = { -1, -1 }, victim, status;
	unsigned int nr, i;
	struct xt_ring r;
	pid_t pid;
	char c1;

	unlink(XS_TARGET);
	XT_RING(&r, kind, 8, NULL);
	ASSERT_EQ(0, pipe(rep_pipe));
	ASSERT_EQ(0, pipe2(sync, O_CLOEXEC));
	victim = dup(0);
	ASSERT_LE(0, victim);
	if (c->op == XS_RECVMSG)
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char *argv[] = { (char *)prog, NULL };
		char *envp[] = { "XT_HELPER=1200", NULL };
		unsigned int link = 0, nr_sqes = 1;
		struct xuring_sqe *sqe = NULL;
		static char data[16], ctl[CMSG_SPACE(sizeof(int))];
		static struct iovec iov = { data, sizeof(data) };
		static struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl, .msg_controllen = sizeof(ctl),
		};

		close(rep_pipe[0]);
		close(sync[0]);
		if (dup2(rep_pipe[1], XT_HELPER_FD) < 0)
			_exit(10);
		if (c->wait != XS_FAST_POLL) {
			link = c->wait == XS_HARDLINK ? XURING_SQE_IO_HARDLINK : 0;
			xs_sqe(&r, XURING_OP_TIMEOUT, -1, &ts, 1, 0, 1, link);
			nr_sqes = 2;
		}
		switch (c->op) {
		case XS_OPENAT:
			sqe = xs_sqe(&r, XURING_OP_OPENAT, AT_FDCWD,
				     XS_TARGET, 0666, 0, 2, 0);
			sqe->open_flags = O_WRONLY | O_CREAT;
			break;
		case XS_CLOSE:
			sqe = xs_sqe(&r, XURING_OP_CLOSE, victim, NULL, 0, 0,
				     2, 0);
			break;
		case XS_RECVMSG:
			sqe = xs_sqe(&r, XURING_OP_RECVMSG, sv[0], &msg, 1, 0,
				     2, 0);
			break;
		}
		if (c->wait == XS_DRAIN)
			sqe->flags |= XURING_SQE_IO_DRAIN;
		if (xt_submit(&r) != (int)nr_sqes)
			_exit(11);
		execve(prog, argv, envp);
		_exit(12);
	}
	close(rep_pipe[1]);
	close(sync[1]);
	/* EOF once the child's exec closed its copy */
	ASSERT_EQ(0, read(sync[0], &c1, 1));
	close(sync[0]);
	if (c->op == XS_RECVMSG) {
		char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
		struct msghdr msg;
		struct iovec iov;

		xt_rights_msg(&msg, &iov, ctl, sizeof(ctl), victim);
		xt_sleep_ms(100);
		ASSERT_EQ(1, sendmsg(sv[1], &msg, 0));
	}
	ASSERT_EQ(sizeof(rep), read(rep_pipe[0], &rep, sizeof(rep)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status 0x%x", status);

	/* the exec really happened, with root's euid for a setuid one */
	EXPECT_EQ(c->setuid ? 0U : (unsigned int)XS_UID, rep.euid);
	EXPECT_EQ(rep.fds_before, rep.fds_after);
	EXPECT_NE(0, access(XS_TARGET, F_OK))
		TH_LOG("%s: the request created %s", xt_kind_name(kind),
		       XS_TARGET);

	nr = c->wait == XS_FAST_POLL ? 1 : 2;
	ASSERT_EQ(nr, xt_reap_sorted(&r, cqe, nr, 3000));
	for (i = 0; i < nr; i++) {
		if (cqe[i].user_data != 2)
			continue;
		if (kind == XT_NATIVE && c->op == XS_CLOSE &&
		    c->wait == XS_HARDLINK && !cqe[i].res)
			continue;
		EXPECT_EQ(-ECANCELED, cqe[i].res)
			TH_LOG("%s: the request's result", xt_kind_name(kind));
	}
	xt_rec(log, rep.fds_after - rep.fds_before, "helper's new fds");
	xt_rec(log, !access(XS_TARGET, F_OK), "file created");
	close(victim);
	if (sv[0] >= 0) {
		close(sv[0]);
		close(sv[1]);
	}
	close(rep_pipe[0]);
	xt_ring_exit(&r);
}

static const struct xs_exec_case *xs_case;
static const char *xs_prog;

XT_SCENARIO(exec_case)
{
	xs_exec_run(_metadata, kind, log, xs_case, xs_prog);
}

static void xs_exec_test(struct __test_metadata *_metadata,
			 const struct xs_exec_case *c)
{
	char prog[PATH_MAX];

	XT_NEED_XURING();
	xs_exec_prepare(_metadata, c->setuid, prog, sizeof(prog));
	xs_become_user(_metadata);
	xs_case = c;
	xs_prog = prog;
	XT_DIFF(exec_case);
}

#define XS_EXEC_TEST(name, w, o, s)					\
	TEST(exec_##name)						\
	{								\
		static const struct xs_exec_case c = { w, o, s };	\
		xs_exec_test(_metadata, &c);				\
	}

XS_EXEC_TEST(setuid_openat_hardlinked, XS_HARDLINK, XS_OPENAT, true)
XS_EXEC_TEST(setuid_openat_drained, XS_DRAIN, XS_OPENAT, true)
XS_EXEC_TEST(setuid_close_hardlinked, XS_HARDLINK, XS_CLOSE, true)
XS_EXEC_TEST(setuid_recvmsg_fast_poll, XS_FAST_POLL, XS_RECVMSG, true)
XS_EXEC_TEST(plain_openat_hardlinked, XS_HARDLINK, XS_OPENAT, false)
XS_EXEC_TEST(plain_close_drained, XS_DRAIN, XS_CLOSE, false)
XS_EXEC_TEST(plain_recvmsg_fast_poll, XS_FAST_POLL, XS_RECVMSG, false)

/*
 * Fork @procs processes, each exiting with @fn(its number); wait for them,
 * then, within @ms, for the module's reference count to be back where it
 * was: every ring they made is freed.
 */
static void xs_procs_leave_no_ring(struct __test_metadata *_metadata,
				   int procs, int (*fn)(int), int ms)
{
	int base, i, now = -1;
	long long deadline;

	base = xt_module_refcnt();
	ASSERT_LE(0, base);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid)
			_exit(fn(i));
	}
	for (i = 0; i < procs; i++) {
		int status;

		ASSERT_LT(0, wait(&status));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	deadline = xt_now_ms() + ms;
	while (xt_now_ms() < deadline) {
		now = xt_module_refcnt();
		if (now == base)
			break;
		xt_sleep_ms(50);
	}
	EXPECT_EQ(base, now);
}

/* A ring whose fd is closed and mappings stay: POLL_ADDs of @targets. */
static void xs_poll_rings(struct xt_ring *r, const int *targets, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct xuring_sqe *sqe = xs_sqe(r, XURING_OP_POLL_ADD,
						targets[i], NULL, 0, 0, i, 0);

		sqe->poll32_events = POLLIN;
	}
	xt_submit(r);
}

/* A READ of @fd hard-linked behind a TIMEOUT that only a cancel ends. */
static void xs_ring_behind_timeout(struct xt_ring *r, int fd)
{
	static struct __kernel_timespec ts = { .tv_sec = 1000 };
	static char buf[8];

	xs_sqe(r, XURING_OP_TIMEOUT, -1, &ts, 1, 0, 100,
	       XURING_SQE_IO_HARDLINK);
	xs_sqe(r, XURING_OP_READ, fd, buf, sizeof(buf), 0, 101, 0);
	xt_submit(r);
}

/*
 * Processes that make rings poll themselves and each other, and read each
 * other's fds behind TIMEOUTs, close every fd and exit with the mappings:
 * once they are gone, so are the rings (the module's reference count is
 * back where it was).
 */
/* One process of self_and_mutual_ring_polls_freed. */
static int xs_poll_each_other(int i)
{
	struct xt_ring a, b;
	int fds[2];

	(void)i;
	if (xt_ring_init(&a, XT_XURING, 4, NULL) ||
	    xt_ring_init(&b, XT_XURING, 4, NULL))
		return 1;
	fds[0] = a.fd;
	fds[1] = b.fd;
	/* a polls itself and b; b polls a */
	xs_poll_rings(&a, fds, 2);
	xs_poll_rings(&b, fds, 1);
	/* and each reads the other's fd behind a TIMEOUT */
	xs_ring_behind_timeout(&a, b.fd);
	xs_ring_behind_timeout(&b, a.fd);
	close(a.fd);
	close(b.fd);
	return 0;
}

TEST(self_and_mutual_ring_polls_freed)
{
	xs_become_user(_metadata);
	xs_procs_leave_no_ring(_metadata, 200, xs_poll_each_other, 10000);
}

/* Send @fd over @sock in SCM_RIGHTS: 0, or -errno. */
static int xs_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr msg;
	struct iovec iov;

	xt_rights_msg(&msg, &iov, cbuf, sizeof(cbuf), fd);
	return sendmsg(sock, &msg, 0) < 0 ? -errno : 0;
}

/* How a ring ends up holding the socket its own fd is queued on. */
enum xs_cycle {
	XS_CYCLE_FIXED,		/* the socket is a registered file */
	XS_CYCLE_FIXED_CLOSED,	/* ... and the ring closed long before exit */
	XS_CYCLE_POLL,		/* a POLL_ADD that never fires holds it */
	XS_CYCLE_WORKER,	/* a WRITE blocked in a worker holds it */
	XS_CYCLES
};

/*
 * One process of ring_fd_in_flight_cycles_freed: ring fd queued on
 * sv[1], which the ring holds as @how says; every fd closed, then exit.
 */
static int xs_make_cycle(enum xs_cycle how)
{
	static char buf[4096];
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int sv[2];

	if (xt_ring_init(&r, XT_XURING, 4, NULL) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	switch (how) {
	case XS_CYCLE_FIXED:
	case XS_CYCLE_FIXED_CLOSED:
		if (xt_register_files(&r, &sv[1], 1))
			return 2;
		break;
	case XS_CYCLE_POLL:
	case XS_CYCLE_WORKER:
		/* nobody reads sv[0]: fill the send buffer, and sv[1] waits */
		fcntl(sv[1], F_SETFL, O_NONBLOCK);
		while (write(sv[1], buf, sizeof(buf)) > 0)
			;
		fcntl(sv[1], F_SETFL, 0);
		if (how == XS_CYCLE_WORKER) {
			xs_sqe(&r, XURING_OP_WRITE, sv[1], buf, sizeof(buf), 0,
			       1, XURING_SQE_ASYNC);
			break;
		}
		sqe = xs_sqe(&r, XURING_OP_POLL_ADD, sv[1], NULL, 0, 0, 1, 0);
		sqe->poll32_events = POLLOUT;
		break;
	default:
		return 3;
	}
	if (xt_submit(&r) < 0)
		return 4;
	if (xs_send_fd(sv[0], r.fd))
		return 5;
	/* the peer too, or its close would end the POLL_ADD and the WRITE */
	if (how >= XS_CYCLE_POLL && xs_send_fd(sv[0], sv[0]))
		return 6;
	close(sv[0]);
	close(sv[1]);
	if (how == XS_CYCLE_FIXED_CLOSED || how == XS_CYCLE_WORKER) {
		/* unmapped and closed: only the process's exit is left */
		xt_ring_exit(&r);
		xt_sleep_ms(20);
	} else {
		close(r.fd);	/* exit takes the mappings */
	}
	return 0;
}

static int xs_make_cycle_nth(int i)
{
	return xs_make_cycle(i % XS_CYCLES);
}

/*
 * A ring's fd in flight (SCM_RIGHTS) on a unix socket the ring itself
 * holds: as a registered file, through a POLL_ADD, or through a WRITE
 * blocked in a worker. Native 6.1 and 6.12 refuse the send with -EINVAL;
 * xuring cannot see it, and frees the ring once every process that used it
 * is gone and no mapping is left (as 5.10's unix garbage collector did).
 */
TEST(ring_fd_in_flight_cycles_freed)
{
	if (xt_native_available()) {
		struct xt_ring n;
		int sv[2];

		XT_RING(&n, XT_NATIVE, 4, NULL);
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		EXPECT_EQ(-EINVAL, xs_send_fd(sv[0], n.fd));
		close(sv[0]);
		close(sv[1]);
		xt_ring_exit(&n);
	}
	xs_become_user(_metadata);
	xs_procs_leave_no_ring(_metadata, 50 * XS_CYCLES, xs_make_cycle_nth,
			       20000);
}

static int xs_sibling_naps(void *arg)
{
	struct timespec ts = { .tv_sec = 1 };

	(void)arg;
	nanosleep(&ts, NULL);
	return 0;
}

/*
 * One process of exited_submitter_never_runs_in_workers: a SPLICE from a
 * pipe whose writer only the ring holds (a registered file), hard-linked
 * behind a 300 ms TIMEOUT; a CLONE_VM sibling keeps the mm a second longer;
 * the submitter exits at once.
 */
static int xs_exit_before_worker(int i)
{
	static char stack[64 << 10];
	static struct __kernel_timespec ts = { .tv_nsec = 300 * 1000 * 1000 };
	struct xuring_sqe *sqe;
	struct xt_ring r;
	int in[2], out[2];

	(void)i;
	if (xt_ring_init(&r, XT_XURING, 4, NULL) || pipe(in) || pipe(out))
		return 1;
	if (xt_register_files(&r, &in[1], 1))
		return 2;
	if (clone(xs_sibling_naps, stack + sizeof(stack), CLONE_VM | SIGCHLD,
		  NULL) < 0)
		return 3;
	xs_sqe(&r, XURING_OP_TIMEOUT, -1, &ts, 1, 0, 1, XURING_SQE_IO_HARDLINK);
	sqe = xs_sqe(&r, XURING_OP_SPLICE, out[1], NULL, 1, -1, 2, 0);
	sqe->splice_fd_in = in[0];
	sqe->splice_off_in = -1;
	return xt_submit(&r) == 2 ? 0 : 4;
}

/*
 * A request that a worker would start after its submitter exited is
 * canceled instead, as 5.10 cancels an exiting task's requests, even when
 * another process (a CLONE_VM sibling) keeps the mm alive: otherwise the
 * SPLICE would block in a worker forever, holding that mm and through its
 * mappings the ring. Once the processes are gone, so are the rings.
 */
TEST(exited_submitter_never_runs_in_workers)
{
	xs_become_user(_metadata);
	xs_procs_leave_no_ring(_metadata, 20, xs_exit_before_worker, 15000);
}

/*
 * A ring polled by another ring goes away when its last fd and mapping
 * do (the poller holds the ring, not its file): the POLL_ADD says
 * EPOLLHUP. Native io_uring keeps the polled file open instead.
 */
TEST(polled_ring_released_wakes_poller)
{
	struct xuring_cqe cqe;
	struct xt_ring a, b;
	int bfd;

	xs_become_user(_metadata);
	XT_RING(&a, XT_XURING, 4, NULL);
	XT_RING(&b, XT_XURING, 4, NULL);
	bfd = b.fd;
	xs_poll_rings(&a, &bfd, 1);
	EXPECT_EQ(-ETIME, xt_wait_cqe_ms(&a, &cqe, 100));
	xt_ring_exit(&b);
	ASSERT_EQ(0, xt_wait_cqe_ms(&a, &cqe, 3000));
	EXPECT_EQ(POLLHUP, cqe.res & POLLHUP);
	xt_ring_exit(&a);
}

/*
 * A request that names a ring's fd holds the ring, not its file, and
 * borrows the file when it is issued: at once, after a link, or in a
 * worker, it gets what native io_uring 6.1 gets on a ring's fd (-EINVAL for
 * READ, WRITE and FSYNC, -ENOTSOCK for SEND, 0 for FADVISE; -EINVAL for a
 * SPLICE from or to it, a ring having no splice ops). xuring only:
 * after the exec tests, the test process that ran the same SQEs on native
 * 6.1 hung in its exit (the native ring had read its own fd).
 */
TEST(ops_on_ring_fd)
{
	static const struct {
		int op, res;
	} ops[] = {
		{ XURING_OP_READ, -EINVAL }, { XURING_OP_WRITE, -EINVAL },
		{ XURING_OP_FSYNC, -EINVAL }, { XURING_OP_SEND, -ENOTSOCK },
		{ XURING_OP_FADVISE, 0 },
	};
	static const unsigned int how[] = {
		0, XURING_SQE_ASYNC, XURING_SQE_IO_LINK,
	};
	struct xuring_cqe cqe[2 * 5 * 3 + 2];
	unsigned int i, j, n = 0, got;
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char buf[8] = "ring";
	int p[2];

	xs_become_user(_metadata);
	XT_RING(&r, XT_XURING, 64, NULL);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(1, write(p[1], "x", 1));
	/* SPLICE from the ring into a pipe, and from a pipe into the ring */
	sqe = xs_sqe(&r, XURING_OP_SPLICE, p[1], NULL, 1, -1, 100, 0);
	sqe->splice_fd_in = r.fd;
	sqe->splice_off_in = -1;
	sqe = xs_sqe(&r, XURING_OP_SPLICE, r.fd, NULL, 1, -1, 101, 0);
	sqe->splice_fd_in = p[0];
	sqe->splice_off_in = -1;
	n = 2;
	for (i = 0; i < 5; i++) {
		/* FSYNC and FADVISE take no buffer */
		bool nobuf = ops[i].op == XURING_OP_FSYNC ||
			     ops[i].op == XURING_OP_FADVISE;

		for (j = 0; j < 3; j++) {
			uint64_t ud = 10 * i + j;

			/* a NOP first, for the link */
			if (how[j] & XURING_SQE_IO_LINK) {
				xs_sqe(&r, XURING_OP_NOP, -1, NULL, 0, 0,
				       1000 + ud, XURING_SQE_IO_LINK);
				n++;
			}
			xs_sqe(&r, ops[i].op, r.fd, nobuf ? NULL : buf,
			       nobuf ? 0 : sizeof(buf), 0, ud,
			       how[j] & XURING_SQE_ASYNC);
			n++;
		}
	}
	ASSERT_EQ((int)n, xt_submit(&r));
	got = xt_reap_sorted(&r, cqe, n, 3000);
	ASSERT_EQ(n, got);
	for (i = 0; i < got; i++) {
		uint64_t ud = cqe[i].user_data;

		int want = ud >= 1000 ? 0 :
			   ud >= 100 ? -EINVAL : ops[ud / 10].res;

		EXPECT_EQ(want, cqe[i].res)
			TH_LOG("ud %llu", (unsigned long long)ud);
	}
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

/* 10 rings of 64 unbound workers each: more than a workqueue's 512 */
#define XS_HOG_RINGS	10
#define XS_HOG_DEPTH	64

/*
 * Whether a workqueue's worth of the rings' SPLICEs (512) have left their
 * pools' pending lists for a worker, by the rings' fdinfo: the rest cannot,
 * past max_active.
 */
static bool xs_hog_busy(const int *fds)
{
	char path[64], buf[4096];
	unsigned int pending = 0, n;
	int i, fd;

	for (i = 0; i < XS_HOG_RINGS; i++) {
		const char *line;
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fds[i]);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return false;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = 0;
		line = strstr(buf, "IowqUnbound:\tpending ");
		if (!line || sscanf(line, "IowqUnbound:\tpending %u", &n) != 1)
			return false;
		pending += n;
	}
	return pending <= XS_HOG_RINGS * XS_HOG_DEPTH - 512;
}

/*
 * A child, as XS_UID: SPLICEs from pipes nobody writes to, in workers, on
 * XS_HOG_RINGS rings; it says so on @ready once they all block, and waits
 * to be killed.
 */
static void xs_hog_workers(int ready)
{
	struct xt_ring r[XS_HOG_RINGS];
	int fds[XS_HOG_RINGS], i, j, in[2], out[2];
	long long deadline;

	for (i = 0; i < XS_HOG_RINGS; i++) {
		if (xt_ring_init(&r[i], XT_XURING, XS_HOG_DEPTH, NULL) ||
		    pipe(in) || pipe(out))
			_exit(1);
		fds[i] = r[i].fd;
		for (j = 0; j < XS_HOG_DEPTH; j++) {
			struct xuring_sqe *sqe = xs_sqe(&r[i], XURING_OP_SPLICE,
							out[1], NULL, 1, -1, j,
							XURING_SQE_ASYNC);

			sqe->splice_fd_in = in[0];
			sqe->splice_off_in = -1;
		}
		if (xt_submit(&r[i]) != XS_HOG_DEPTH)
			_exit(2);
	}
	deadline = xt_now_ms() + 20000;
	while (!xs_hog_busy(fds))
		if (xt_now_ms() > deadline)
			_exit(3);
		else
			xt_sleep_ms(50);
	if (write(ready, "r", 1) != 1)
		_exit(4);
	pause();
	_exit(0);
}

/*
 * One user's workers, blocked for good and more than a workqueue runs at
 * once, do not keep another user's from running: each user's workers have
 * a workqueue of their own.
 */
TEST(blocked_workers_of_one_user_do_not_starve_another)
{
	struct xuring_cqe cqe;
	struct xuring_sqe *sqe;
	int ready[2], a[2], b[2], status, ret;
	struct xt_ring r;
	pid_t pid;
	char c;

	XT_NEED_XURING();
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(ready[0]);
		xs_become_user(_metadata);
		xs_hog_workers(ready[1]);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1))
		TH_LOG("the other user's workers never all blocked");

	/* root: a SPLICE with its data there, in a worker */
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, pipe(a));
	ASSERT_EQ(0, pipe(b));
	ASSERT_EQ(1, write(a[1], "x", 1));
	sqe = xs_sqe(&r, XURING_OP_SPLICE, b[1], NULL, 1, -1, 1,
		     XURING_SQE_ASYNC);
	sqe->splice_fd_in = a[0];
	sqe->splice_off_in = -1;
	ASSERT_EQ(1, xt_submit(&r));
	ret = xt_wait_cqe_ms(&r, &cqe, 5000);
	EXPECT_EQ(0, ret)
		TH_LOG("root's worker waited behind the other user's");
	if (!ret)
		EXPECT_EQ(1, cqe.res);

	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	xt_ring_exit(&r);
}

#define XS_CGROUP	"/sys/fs/cgroup"

/*
 * Rings made in a loop inside a memory cgroup of 8 MiB: the cgroup stops
 * the loop (-ENOMEM from the setup) after a few dozen rings of 4096
 * entries (about 400 KiB each), not the host after thousands.
 */
/*
 * Put the calling process into the memory cgroup XS_CGROUP/@name, its
 * memory.max @max: NULL, or why not (cgroup2 or its memory controller
 * missing: the caller SKIPs).
 */
static const char *xs_enter_memcg(struct __test_metadata *_metadata,
				  const char *name, const char *max)
{
	char path[128], pid[32];

	mkdir(XS_CGROUP, 0755);
	if (mount("cgroup2", XS_CGROUP, "cgroup2", 0, NULL) && errno != EBUSY)
		return "no cgroup2";
	if (xt_write_str(XS_CGROUP "/cgroup.subtree_control", "+memory"))
		return "no memory controller";
	snprintf(path, sizeof(path), XS_CGROUP "/%s", name);
	EXPECT_TRUE(!mkdir(path, 0755) || errno == EEXIST);
	snprintf(path, sizeof(path), XS_CGROUP "/%s/memory.max", name);
	EXPECT_EQ(0, xt_write_str(path, max));
	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(path, sizeof(path), XS_CGROUP "/%s/cgroup.procs", name);
	EXPECT_EQ(0, xt_write_str(path, pid));
	return NULL;
}

TEST(ring_memory_charged_to_memcg)
{
	const struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct xuring_params p;
	int fds[1024], n, i, ret = 0;
	const char *why;

	XT_NEED_XURING();
	why = xs_enter_memcg(_metadata, "xs-rings", "8M");
	if (why)
		SKIP(return, "%s", why);
	ASSERT_TRUE(_metadata->passed);
	/* the cgroup is what stops it, not RLIMIT_MEMLOCK (below) */
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &unlimited));
	xs_become_user(_metadata);

	for (n = 0; n < 1024; n++) {
		memset(&p, 0, sizeof(p));
		ret = xt_sys_setup(XT_XURING, 4096, &p, &fds[n]);
		if (ret)
			break;
	}
	EXPECT_EQ(-ENOMEM, ret)
		TH_LOG("%d rings, then %s", n, strerror(-ret));
	EXPECT_LT(5, n);
	EXPECT_GT(100, n);
	TH_LOG("%d rings of 4096 entries in 8 MiB", n);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

static long long xs_memcg_current(const char *name)
{
	char path[128], val[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), XS_CGROUP "/%s/memory.current", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, val, sizeof(val) - 1);
	close(fd);
	return n > 0 ? atoll(val) : -1;
}

/*
 * What a worker allocates for a request is charged to the submitter's
 * memory cgroup, as io-wq's workers (the submitter's own threads) charge
 * it: 1 MiB written into a pipe from a worker (IOSQE_ASYNC) grows the
 * cgroup's memory.current by the pipe's pages. A kworker would charge the
 * root cgroup.
 */
XT_SCENARIO(worker_memcg)
{
	static char buf[1 << 20];
	long long before, after;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int p[2];

	memset(buf, 1, sizeof(buf));	/* its own pages are charged now */
	ASSERT_EQ(0, pipe(p));
	ASSERT_LE((int)sizeof(buf), fcntl(p[1], F_SETPIPE_SZ, sizeof(buf)));
	XT_RING(&r, kind, 4, NULL);
	before = xs_memcg_current("xs-workers");
	ASSERT_LE(0, before);
	xs_sqe(&r, XURING_OP_WRITE, p[1], buf, sizeof(buf), 0, 1,
	       XURING_SQE_ASYNC);
	ASSERT_EQ(1, xt_submit(&r));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, 5000));
	EXPECT_EQ((int)sizeof(buf), cqe.res);
	after = xs_memcg_current("xs-workers");
	EXPECT_LE(before + (768 << 10), after)
		TH_LOG("%s: memory.current %lld -> %lld", xt_kind_name(kind),
		       before, after);
	xt_rec(log, after - before >= (768 << 10), "pipe pages charged");
	xt_rec(log, cqe.res, "write");
	close(p[0]);
	close(p[1]);
	xt_ring_exit(&r);
}

TEST(worker_memory_charged_to_submitters_memcg)
{
	const char *why = xs_enter_memcg(_metadata, "xs-workers", "max");

	if (why)
		SKIP(return, "%s", why);
	ASSERT_TRUE(_metadata->passed);
	XT_DIFF(worker_memcg);
}

/*
 * As in 5.10, a ring's pages count against its creator's RLIMIT_MEMLOCK
 * (without CAP_IPC_LOCK): 1 MiB holds two rings of 4096 entries (101 pages
 * each), the third is -ENOMEM, and closing them gives the pages back.
 * xuring only: 6.x charges the memory cgroup alone (the test above).
 */
TEST(ring_memory_charged_to_memlock)
{
	const struct rlimit lim = { 1 << 20, 1 << 20 };
	int fds[3] = { -1, -1, -1 }, ret[3], i;
	long long deadline;

	XT_NEED_XURING();
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &lim));
	xs_become_user(_metadata);
	/* the user's rings of earlier tests are freed in work items: wait */
	deadline = xt_now_ms() + 5000;
	do {
		for (i = 0; i < 3; i++) {
			struct xuring_params p = { 0 };

			ret[i] = xt_sys_setup(XT_XURING, 4096, &p, &fds[i]);
		}
		if (!ret[0] && !ret[1])
			break;
		for (i = 0; i < 3; i++)
			if (!ret[i])
				close(fds[i]);
		xt_sleep_ms(20);
	} while (xt_now_ms() < deadline);
	EXPECT_EQ(0, ret[0]);
	EXPECT_EQ(0, ret[1]);
	EXPECT_EQ(-ENOMEM, ret[2]);
	for (i = 0; i < 3; i++)
		if (!ret[i])
			close(fds[i]);

	/* the pages come back when the rings are freed */
	deadline = xt_now_ms() + 5000;
	do {
		struct xuring_params p0 = { 0 }, p1 = { 0 };

		ret[0] = xt_sys_setup(XT_XURING, 4096, &p0, &fds[0]);
		ret[1] = ret[0] ? ret[0] :
			 xt_sys_setup(XT_XURING, 4096, &p1, &fds[1]);
		if (!ret[0])
			close(fds[0]);
		if (!ret[1]) {
			close(fds[1]);
			break;
		}
		xt_sleep_ms(20);
	} while (xt_now_ms() < deadline);
	EXPECT_EQ(0, ret[1]);
}

/*
 * Workers write with the submitter's RLIMIT_FSIZE, as io-wq's did: past
 * it -EFBIG, inline, in a worker (IOSQE_ASYNC) and for FALLOCATE.
 */
static void xs_fsize_limit(struct __test_metadata *_metadata,
			   enum xt_kind kind, struct xt_log *log,
			   unsigned int setup_flags)
{
	struct xuring_params p = { .flags = setup_flags };
	struct rlimit old, lim;
	struct xuring_cqe cqe[4];
	struct xt_ring r;
	char path[64], buf[4096] = { 1 };
	unsigned int i, fixed = 0;
	int fd, tfd;

	signal(SIGXFSZ, SIG_IGN);
	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	unlink(path);
	tfd = fd;
	XT_RING(&r, kind, 8, &p);
	ASSERT_EQ(0, getrlimit(RLIMIT_FSIZE, &old));
	/* the soft limit only: an unprivileged user could not raise it again */
	lim.rlim_cur = 64 << 10;
	lim.rlim_max = old.rlim_max;
	ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &lim));
	/* 5.10's SQ thread takes registered files only */
	if (setup_flags & XURING_SETUP_SQPOLL) {
		ASSERT_EQ(0, xt_register_files(&r, &fd, 1));
		tfd = 0;
		fixed = XURING_SQE_FIXED_FILE;
	}
	xs_sqe(&r, XURING_OP_WRITE, tfd, buf, sizeof(buf), 128 << 10, 1,
	       fixed);
	xs_sqe(&r, XURING_OP_WRITE, tfd, buf, sizeof(buf), 128 << 10, 2,
	       fixed | XURING_SQE_ASYNC);
	xs_sqe(&r, XURING_OP_WRITE, tfd, buf, sizeof(buf), 0, 3,
	       fixed | XURING_SQE_ASYNC);
	/* FALLOCATE: sqe->addr is the length, sqe->len the mode */
	xs_sqe(&r, XURING_OP_FALLOCATE, tfd, (void *)4096UL, 0, 256 << 10, 4,
	       fixed);
	/* the SQ thread may be asleep already (after its idle second) */
	ASSERT_EQ(4, xt_enter(&r, xt_flush(&r), 0,
			      fixed ? XURING_ENTER_SQ_WAKEUP : 0));
	ASSERT_EQ(4U, xt_reap_sorted(&r, cqe, 4, 3000));
	EXPECT_EQ(0, setrlimit(RLIMIT_FSIZE, &old));
	EXPECT_EQ(-EFBIG, cqe[0].res);
	EXPECT_EQ(-EFBIG, cqe[1].res);
	EXPECT_EQ(4096, cqe[2].res);
	EXPECT_EQ(-EFBIG, cqe[3].res);
	for (i = 0; i < 4; i++)
		xt_rec(log, cqe[i].res, "ud %u", i + 1);
	close(fd);
	xt_ring_exit(&r);
}

XT_SCENARIO(fsize_limit)
{
	xs_fsize_limit(_metadata, kind, log, 0);
}

TEST(fsize_limit_in_workers)
{
	xs_become_user(_metadata);
	XT_DIFF(fsize_limit);
}

/*
 * The SQ thread writes under its creator's RLIMIT_FSIZE, as it is when the
 * write is submitted (io_uring's SQ thread shares its creator's limits).
 * As root: SQPOLL needs CAP_SYS_ADMIN on xuring unless an admin allows it.
 */
XT_SCENARIO(fsize_limit_sqpoll)
{
	xs_fsize_limit(_metadata, kind, log, XURING_SETUP_SQPOLL);
}

TEST(fsize_limit_in_sq_thread)
{
	XT_DIFF(fsize_limit_sqpoll);
}

TEST_HARNESS_MAIN
