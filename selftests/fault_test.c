// SPDX-License-Identifier: GPL-2.0
/*
 * Faults around rings: SIGKILL with thousands of requests in flight (workers,
 * poll-armed reads, SQPOLL, polled block I/O), closing a ring while another
 * thread waits in it, a full fd table, locked-memory limits, CQ overflow
 * storms where every SQE still gets exactly one CQE, and rmmod while busy.
 * The runner checks the kernel log after each test, and unloads the module
 * and scans for leaks at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define INFLIGHT	3000

/* A fixture only for the harness's per-test timeouts (TCG, KASAN). */
FIXTURE(slow) {
	int unused;
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

static void catch(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(sig, &sa, NULL);
}

/* A ring that still answers: four NOPs in, four CQEs out. */
static int ring_works(void)
{
	struct xt_ring r;
	int ret;

	ret = xt_ring_init(&r, XT_XURING, 8, NULL);
	if (ret)
		return ret;
	ret = xt_queue_nops(&r, 4, 0);
	if (!ret)
		ret = xt_submit_and_wait(&r, 4) == 4 ? 0 : -EPROTO;
	xt_ring_exit(&r);
	return ret;
}

/*
 * The child fills a ring with requests that cannot finish, says how many it
 * submitted on @report, then waits to be killed. Returns the child's pid.
 */
typedef int (*fill_fn)(struct xt_ring *r);

static pid_t spawn_filler(fill_fn fill, unsigned int entries,
			  struct xuring_params *p, int *submitted)
{
	int pfd[2];
	pid_t pid;
	int n = -1;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct xt_ring r;

		close(pfd[0]);
		n = xt_ring_init(&r, XT_XURING, entries, p);
		if (!n)
			n = fill(&r);
		(void)!write(pfd[1], &n, sizeof(n));
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (pid > 0 && read(pfd[0], &n, sizeof(n)) != sizeof(n))
		n = -EPIPE;
	close(pfd[0]);
	*submitted = n;
	return pid;
}

/* SIGKILL @pid and reap it: the exit must not wait on the requests. */
static int kill_and_reap(pid_t pid, long long *ms)
{
	long long start = xt_now_ms();
	int status, i;

	kill(pid, SIGKILL);
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			*ms = xt_now_ms() - start;
			return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
		}
		xt_sleep_ms(10);
	}
	return -ETIMEDOUT;
}

static int submit_all(struct xt_ring *r)
{
	int ret, total = 0;

	while (xt_flush(r)) {
		ret = xt_enter(r, xt_flush(r), 0, 0);
		if (ret <= 0)
			return total ? total : ret;
		total += ret;
	}
	return total;
}

/* Reads on pipes and sockets nobody writes to: each one poll-armed. */
static int fill_poll_armed(struct xt_ring *r)
{
	static char buf[64];
	int fds[2], i, n = 0;

	for (i = 0; i < INFLIGHT; i++) {
		struct xuring_sqe *sqe;

		if (i % 30 == 0) {
			if (i % 60 ? pipe(fds) :
				     socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
				break;
		}
		sqe = xt_get_sqe(r);
		if (!sqe)
			break;
		xt_prep(sqe, XURING_OP_READ, fds[i % 2], buf, sizeof(buf), 0, i);
		n++;
	}
	return submit_all(r) == n ? n : -EPROTO;
}

/* ASYNC requests for the workers: blocking pipe reads, writes, fsyncs. */
static int fill_workers(struct xt_ring *r)
{
	static char buf[4096];
	char path[64];
	int fds[2], file, i, n = 0;

	file = xt_tmpfile(path, sizeof(path));
	if (file < 0 || pipe(fds))
		return -errno;
	unlink(path);
	for (i = 0; i < INFLIGHT; i++) {
		struct xuring_sqe *sqe = xt_get_sqe(r);

		if (!sqe)
			break;
		switch (i % 4) {
		case 0:
			xt_prep(sqe, XURING_OP_READ, fds[0], buf, 16, 0, i);
			break;
		case 1:
			xt_prep(sqe, XURING_OP_WRITE, file, buf, sizeof(buf),
				(uint64_t)i * sizeof(buf), i);
			break;
		case 2:
			xt_prep(sqe, XURING_OP_FSYNC, file, NULL, 0, 0, i);
			break;
		default:
			xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, i);
			break;
		}
		sqe->flags = XURING_SQE_ASYNC;
		n++;
	}
	return submit_all(r) == n ? n : -EPROTO;
}

/* SQPOLL: reads of registered pipes, submitted by the SQ thread. */
static int fill_sqpoll(struct xt_ring *r)
{
	static char buf[64];
	int files[64], fds[2], i, n = 0, ret;

	for (i = 0; i < 64; i += 2) {
		if (pipe(fds))
			return -errno;
		files[i] = fds[0];
		files[i + 1] = fds[1];
	}
	ret = xt_sys_register(XT_XURING, r->fd, XURING_REGISTER_FILES, files, 64);
	if (ret)
		return ret;
	for (i = 0; i < INFLIGHT; i++) {
		struct xuring_sqe *sqe = xt_get_sqe(r);

		if (!sqe)
			break;
		xt_prep(sqe, XURING_OP_READ, (i % 32) * 2, buf, sizeof(buf), 0, i);
		sqe->flags = XURING_SQE_FIXED_FILE;
		n++;
	}
	xt_flush(r);
	xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	/* until the SQ thread took them all */
	for (i = 0; i < 500 && *r->sq_head != *r->sq_tail; i++) {
		xt_sleep_ms(10);
		if (xt_sq_flags(r) & XURING_SQ_NEED_WAKEUP)
			xt_enter(r, 0, 0, XURING_ENTER_SQ_WAKEUP);
	}
	return *r->sq_head == *r->sq_tail ? n : -ETIMEDOUT;
}

/* The module's reference count: one per open /dev/xuring file. */
static int module_refs(void)
{
	FILE *f = fopen("/sys/module/xuring/refcnt", "r");
	int refs = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &refs) != 1)
		refs = -1;
	fclose(f);
	return refs;
}

/* Wait up to @ms for the count to come back down to @refs: ms waited, or -1. */
static long long refs_back_to(int refs, unsigned int ms)
{
	long long start = xt_now_ms();
	unsigned int i;

	for (i = 0; i < ms / 10; i++) {
		if (module_refs() <= refs)
			return xt_now_ms() - start;
		xt_sleep_ms(10);
	}
	return -1;
}

static void kill_filler(struct __test_metadata *_metadata, fill_fn fill,
			unsigned int entries, struct xuring_params *p,
			const char *what)
{
	long long ms = 0;
	int n, sig, refs;
	pid_t pid;

	refs = module_refs();
	ASSERT_LE(0, refs);
	pid = spawn_filler(fill, entries, p, &n);
	ASSERT_LT(0, pid);
	if (n < 0) {
		kill_and_reap(pid, &ms);
		ASSERT_LE(0, n) TH_LOG("%s: filling the ring: %s", what,
				       strerror(-n));
	}
	sig = kill_and_reap(pid, &ms);
	EXPECT_EQ(SIGKILL, sig) TH_LOG("%s: the child did not die", what);
	TH_LOG("%s: %d requests in flight, SIGKILL reaped in %lld ms", what, n,
	       ms);
	EXPECT_GE(n, INFLIGHT / 2);
	/* the dead child's ring is released: its module reference goes */
	ms = refs_back_to(refs, 20000);
	EXPECT_LE(0, ms)
		TH_LOG("%s: the killed child's ring was not released", what);
	TH_LOG("%s: ring released %lld ms after", what, ms);
	EXPECT_EQ(0, ring_works());
}

/* In a forked child: tell the parent it is ready, then exit or be killed. */
static void child_ready(int sync_wr, bool kill_it)
{
	if (write(sync_wr, "R", 1) != 1)
		_exit(3);
	if (kill_it)
		pause();
	_exit(0);	/* with the rings mapped, and their fds open */
}

/* Wait for child_ready(), kill the child or let it exit, and reap it. */
static void end_child(struct __test_metadata *_metadata, pid_t pid,
		      int sync[2], bool kill_it)
{
	int status;
	char c;

	close(sync[1]);
	ASSERT_EQ(1, read(sync[0], &c, 1));
	close(sync[0]);
	if (kill_it)
		kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(kill_it ? WIFSIGNALED(status) :
			      WIFEXITED(status) && !WEXITSTATUS(status));
}

/*
 * A child's rings wait on ring fds: one polls itself, and two poll each
 * other. Each request holds the file it polls, so only the exit can end
 * them; the child exits (or is killed), and all three rings must go.
 */
/* POLL_ADD for POLLIN on @fd; the CQs stay empty, so it waits. */
static void poll_ring(struct xt_ring *r, int fd, uint64_t user_data)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	xt_prep(sqe, XURING_OP_POLL_ADD, fd, NULL, 0, 0, user_data);
	sqe->poll32_events = POLLIN;
}

static void ring_poll_cycle(struct __test_metadata *_metadata, bool kill_it)
{
	int refs, sync[2];
	long long ms;
	pid_t pid;

	refs = module_refs();
	ASSERT_LE(0, refs);
	ASSERT_EQ(0, pipe(sync));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct xt_ring a, b, s;

		if (xt_ring_init(&a, XT_XURING, 4, NULL) ||
		    xt_ring_init(&b, XT_XURING, 4, NULL) ||
		    xt_ring_init(&s, XT_XURING, 4, NULL))
			_exit(1);
		poll_ring(&s, s.fd, 1);
		poll_ring(&a, b.fd, 2);
		poll_ring(&b, a.fd, 3);
		if (xt_submit(&s) != 1 || xt_submit(&a) != 1 ||
		    xt_submit(&b) != 1)
			_exit(2);
		child_ready(sync[1], kill_it);
	}
	end_child(_metadata, pid, sync, kill_it);
	ms = refs_back_to(refs, 10000);
	EXPECT_LE(0, ms) TH_LOG("the rings that polled rings were not released");
	TH_LOG("rings released %lld ms after the exit", ms);
}

TEST(exit_with_rings_polling_rings)
{
	XT_NEED_XURING();
	ring_poll_cycle(_metadata, false);
}

TEST(sigkill_with_rings_polling_rings)
{
	XT_NEED_XURING();
	ring_poll_cycle(_metadata, true);
}

/* Fill the pipe @wr writes to, and leave @wr blocking. */
static void fill_pipe(struct __test_metadata *_metadata, int wr)
{
	static char page[4096];

	ASSERT_EQ(0, fcntl(wr, F_SETFL, O_NONBLOCK));
	while (write(wr, page, sizeof(page)) > 0)
		;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(wr, F_SETFL, 0));
}

/* A TEE of a byte from @in into the full pipe @full: it blocks a worker. */
static void prep_blocked_tee(struct __test_metadata *_metadata,
			     struct xt_ring *r, int full, int in, uint64_t ud)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_TEE, full, NULL, 1, 0, ud);
	sqe->splice_fd_in = in;
}

/*
 * A child's TEE into a full pipe blocks in a worker (TEE has no poll to
 * wait on), and the pipe's only read end is in the ring's fixed files. The
 * child exits (or is killed) with the ring open and mapped: the TEE must
 * be cut short and the ring freed, or the worker, the child's mm, its
 * mappings and the ring hold each other forever. The parent sees the ring
 * go as the read end's close: POLLERR on the write end.
 */
static void blocked_tee_exit(struct __test_metadata *_metadata,
			     enum xt_kind kind, struct xt_log *log,
			     bool kill_it)
{
	int pfd[2], dfd[2], sync[2];
	long long start;
	bool released;
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, pipe(dfd));
	ASSERT_EQ(0, pipe(sync));
	ASSERT_EQ(1, write(dfd[1], "D", 1));
	fill_pipe(_metadata, pfd[1]);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct xt_ring r;

		if (xt_ring_init(&r, kind, 4, NULL) ||
		    xt_register_files(&r, &pfd[0], 1))
			_exit(1);
		close(pfd[0]);
		prep_blocked_tee(_metadata, &r, pfd[1], dfd[0], 1);
		if (xt_submit(&r) != 1)
			_exit(2);
		/* let a worker take it and block */
		xt_sleep_ms(100);
		child_ready(sync[1], kill_it);
	}
	close(pfd[0]);
	close(dfd[0]);
	close(dfd[1]);
	end_child(_metadata, pid, sync, kill_it);
	start = xt_now_ms();
	released = xt_pipe_released(pfd[1], 10000);
	EXPECT_TRUE(released)
		TH_LOG("%s: the exited child's ring still holds the pipe",
		       xt_kind_name(kind));
	xt_rec(log, released, "read end closed");
	TH_LOG("%s: ring released %lld ms after the exit", xt_kind_name(kind),
	       xt_now_ms() - start);
	close(pfd[1]);
}

XT_SCENARIO(exit_blocked_tee)
{
	blocked_tee_exit(_metadata, kind, log, false);
}

XT_SCENARIO(sigkill_blocked_tee)
{
	blocked_tee_exit(_metadata, kind, log, true);
}

TEST(exit_with_tee_blocked_in_worker)
{
	XT_DIFF(exit_blocked_tee);
}

TEST(sigkill_with_tee_blocked_in_worker)
{
	XT_DIFF(sigkill_blocked_tee);
}

/*
 * A child's read waits for its pipe; the data comes while both workers for
 * pipes are busy (a ring set up under RLIMIT_NPROC 2 has two unbound
 * workers), so its retry waits in the queue, still on the poll list, when
 * the child exits. The exit cancels it there (the data stays for the parent),
 * and it leaves the poll list too: the parent's next requests wait on that
 * list, in the ring's recycled requests. Native io_uring retries in the
 * submitter instead: this is xuring's own path.
 */
TEST(exit_with_woken_retry_queued)
{
	int full[2], data[2], q[2], go[2], sync[2], status, i;
	struct rlimit nproc, two = { 2, 2 };
	struct xuring_cqe cqe, cqes[2];
	struct xuring_params p;
	struct xt_ring r;
	char buf[8];
	pid_t pid;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 16;
	ASSERT_EQ(0, getrlimit(RLIMIT_NPROC, &nproc));
	ASSERT_EQ(0, setrlimit(RLIMIT_NPROC, &two));
	XT_RING(&r, XT_XURING, 2, &p);
	/* root may raise it again; the ring's pool is sized */
	ASSERT_EQ(0, setrlimit(RLIMIT_NPROC, &nproc));
	ASSERT_EQ(0, pipe(full));
	ASSERT_EQ(0, pipe(data));
	ASSERT_EQ(0, pipe(q));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(sync));
	fill_pipe(_metadata, full[1]);
	ASSERT_EQ(1, write(data[1], "D", 1));

	/* both block: TEE has no poll to wait on, and no room */
	prep_blocked_tee(_metadata, &r, full[1], data[0], 1);
	prep_blocked_tee(_metadata, &r, full[1], data[0], 2);
	ASSERT_EQ(2, xt_submit(&r));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char c;

		xt_prep(xt_get_sqe(&r), XURING_OP_READ, q[0], buf,
			sizeof(buf), 0, 3);
		if (xt_submit(&r) != 1 || write(sync[1], "R", 1) != 1 ||
		    read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* the read's retry still queued */
	}
	ASSERT_EQ(1, read(sync[0], buf, 1));
	r.sqe_tail = __atomic_load_n(r.sq_tail, __ATOMIC_ACQUIRE);
	xt_sleep_ms(100);
	/* the wakeup queues the read's retry: no worker is free */
	ASSERT_EQ(1, write(q[1], "x", 1));
	xt_sleep_ms(100);
	ASSERT_EQ(1, write(go[1], "G", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, xt_wait_cqe_ms(&r, &cqe, 5000));
	EXPECT_EQ(3ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	/* the byte is still there: the canceled read never ran */
	ASSERT_EQ(1, read(q[0], buf, sizeof(buf)));

	/* more waits on the poll list, in the canceled request's memory */
	for (i = 0; i < 16; i++) {
		unsigned int n;

		xt_prep(xt_get_sqe(&r), XURING_OP_READ, q[0], buf, 1, 0,
			10 + i);
		ASSERT_EQ(1, xt_submit(&r));
		xt_prep(xt_get_sqe(&r), XURING_OP_ASYNC_CANCEL, -1,
			(void *)(uintptr_t)(10 + i), 0, 0, 20 + i);
		ASSERT_EQ(1, xt_submit(&r));
		n = xt_reap_sorted(&r, cqes, 2, 5000);
		ASSERT_EQ(2U, n);
		EXPECT_EQ(-ECANCELED, cqes[0].res) TH_LOG("waiting read %d", i);
		EXPECT_EQ(0, cqes[1].res) TH_LOG("its cancel");
	}
	/* the close interrupts the TEEs */
	xt_ring_exit(&r);
	for (i = 0; i < 2; i++) {
		close(full[i]);
		close(data[i]);
		close(q[i]);
		close(go[i]);
		close(sync[i]);
	}
}

TEST_F_TIMEOUT(slow, sigkill_poll_armed, 120)
{
	XT_NEED_XURING();
	kill_filler(_metadata, fill_poll_armed, 4096, NULL, "poll-armed reads");
}

TEST_F_TIMEOUT(slow, sigkill_workers, 120)
{
	XT_NEED_XURING();
	kill_filler(_metadata, fill_workers, 4096, NULL, "worker requests");
}

TEST_F_TIMEOUT(slow, sigkill_sqpoll, 120)
{
	struct xuring_params p;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	kill_filler(_metadata, fill_sqpoll, 4096, &p, "SQPOLL reads");
}

static int fill_iopoll(struct xt_ring *r)
{
	const char *dev = getenv("XURING_NULLB");
	void *buf;
	int fd, i, n = 0;

	fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, 4096))
		return -errno;
	for (i = 0; i < INFLIGHT; i++) {
		struct xuring_sqe *sqe = xt_get_sqe(r);

		if (!sqe)
			break;
		xt_prep(sqe, XURING_OP_READ, fd, buf, 4096,
			(uint64_t)(i % 1024) * 4096, i);
		n++;
	}
	/* never reaped: the completions wait for a GETEVENTS that never comes */
	return submit_all(r) == n ? n : -EPROTO;
}

TEST_F_TIMEOUT(slow, sigkill_iopoll, 120)
{
	struct xuring_params p;
	const char *poll = getenv("XURING_NULLB_POLL");
	int fd = -1, ret;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_IOPOLL;
	ret = xt_sys_setup(XT_XURING, 8, &p, &fd);
	if (ret == -EINVAL)
		SKIP(return, "XURING_SETUP_IOPOLL not implemented yet (-EINVAL)");
	ASSERT_EQ(0, ret);
	close(fd);
	if (!getenv("XURING_NULLB") || !poll || strcmp(poll, "1"))
		SKIP(return, "no null_blk with poll queues (XURING_NULLB_POLL)");
	kill_filler(_metadata, fill_iopoll, 4096, &p, "polled block reads");
}

/* A thread waiting in GETEVENTS while the ring's fd is closed. */
struct waiter {
	int fd;
	unsigned int min;
	int ret;
	pthread_t th;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	w->ret = xt_sys_enter(XT_XURING, w->fd, 0, w->min,
			      XURING_ENTER_GETEVENTS, NULL, _NSIG / 8);
	return NULL;
}

/* Signal the waiter until it returns (at most @ms). */
static bool end_wait(struct waiter *w, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms / 10; i++) {
		if (!pthread_tryjoin_np(w->th, NULL))
			return true;
		pthread_kill(w->th, SIGUSR1);
		xt_sleep_ms(10);
	}
	return !pthread_tryjoin_np(w->th, NULL);
}

TEST_F_TIMEOUT(slow, close_during_getevents, 60)
{
	struct waiter w = { .min = 1 };
	struct xt_ring r;

	XT_NEED_XURING();
	catch(SIGUSR1);
	XT_RING(&r, XT_XURING, 8, NULL);
	w.fd = r.fd;
	ASSERT_EQ(0, pthread_create(&w.th, NULL, waiter_fn, &w));
	xt_sleep_ms(100);
	/* the waiter holds the file: close() neither blocks nor wakes it */
	xt_ring_exit(&r);
	xt_sleep_ms(100);
	EXPECT_NE(0, pthread_tryjoin_np(w.th, NULL));
	ASSERT_TRUE(end_wait(&w, 5000)) TH_LOG("the waiter never returned");
	EXPECT_EQ(-EINTR, w.ret);
	EXPECT_EQ(0, ring_works());
}

TEST_F_TIMEOUT(slow, close_during_getevents_with_inflight, 60)
{
	struct waiter w = { .min = 1 };
	struct xt_ring r;
	char buf[8];
	int fds[2], i;

	XT_NEED_XURING();
	catch(SIGUSR1);
	ASSERT_EQ(0, pipe(fds));
	XT_RING(&r, XT_XURING, 64, NULL);
	for (i = 0; i < 32; i++)
		xt_prep(xt_get_sqe(&r), XURING_OP_READ, fds[0], buf, 1, 0, i);
	ASSERT_EQ(32, xt_submit(&r));
	w.fd = r.fd;
	ASSERT_EQ(0, pthread_create(&w.th, NULL, waiter_fn, &w));
	xt_sleep_ms(50);
	xt_ring_exit(&r);
	/* a completion after close still satisfies the waiter */
	ASSERT_EQ(1, write(fds[1], "x", 1));
	ASSERT_TRUE(end_wait(&w, 5000)) TH_LOG("the waiter never returned");
	EXPECT_TRUE(w.ret == 0 || w.ret == -EINTR) TH_LOG("ret %d", w.ret);
	/* the rest wait on a pipe: closing it ends them with the ring */
	close(fds[1]);
	close(fds[0]);
	EXPECT_EQ(0, ring_works());
}

TEST_F_TIMEOUT(slow, close_from_thread_during_submit_storm, 60)
{
	struct waiter w = { .min = 1 << 20 };
	struct xt_ring r;
	int round;

	XT_NEED_XURING();
	catch(SIGUSR1);
	for (round = 0; round < 20; round++) {
		XT_RING(&r, XT_XURING, 256, NULL);
		w.fd = r.fd;
		ASSERT_EQ(0, pthread_create(&w.th, NULL, waiter_fn, &w));
		xt_queue_nops(&r, 200, 0);
		xt_submit(&r);
		xt_sleep_ms(round % 5);
		xt_ring_exit(&r);
		ASSERT_TRUE(end_wait(&w, 5000));
		EXPECT_TRUE(w.ret >= 0 || w.ret == -EINTR || w.ret == -EBADF)
			TH_LOG("ret %d", w.ret);
	}
	EXPECT_EQ(0, ring_works());
}

/* The fd table full: rings live on the open file, SETUP adds no fd. */
TEST(fd_table_full_rings_work)
{
	struct rlimit rl = { 32, 32 };
	int fds[64], n = 0, i, status;
	pid_t pid;

	XT_NEED_XURING();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct xuring_params p;
		struct xt_ring r;
		int fd;

		int nul[4];

		for (i = 0; i < 4; i++)
			nul[i] = open("/dev/null", O_RDWR);
		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(10);
		while (n < 64 && (fd = xt_dev_open()) >= 0)
			fds[n++] = fd;
		if (fd != -EMFILE || n < 4)
			_exit(11);
		/* every open ring sets up and runs with the table full */
		for (i = 0; i < n; i++) {
			memset(&p, 0, sizeof(p));
			p.sq_entries = 4;
			if (ioctl(fds[i], XURING_IOC_SETUP, &p))
				_exit(12);
		}
		if (xt_ring_map(&r, XT_XURING, fds[n - 1], &p))
			_exit(13);
		if (xt_queue_nops(&r, 4, 0) || xt_submit_and_wait(&r, 4) != 4)
			_exit(14);
		/* registering files takes no fd either (ring fds are refused) */
		if (xt_sys_register(XT_XURING, r.fd, XURING_REGISTER_FILES,
				    nul, 4))
			_exit(15);
		if (xt_dev_open() != -EMFILE)
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("step %d failed",
						 WEXITSTATUS(status));
}

#define ACCEPT_PARAM "/sys/module/xuring/parameters/allow_accept_connect"

/*
 * A full fd table: OPENAT and ACCEPT complete with -EMFILE, and the
 * connection ACCEPT could not take is still there once an fd is free. On
 * xuring and on native io_uring alike.
 */
static void emfile_case(struct __test_metadata *_metadata, enum xt_kind kind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct xuring_cqe cqe;
	struct xt_ring r;
	int lfd, cfd, fd, spare;

	XT_RING(&r, kind, 8, NULL);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lfd);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, listen(lfd, 4));
	ASSERT_EQ(0, getsockname(lfd, (struct sockaddr *)&sa, &len));
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, cfd);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&sa, sizeof(sa)));
	spare = open("/dev/null", O_RDONLY);
	ASSERT_LE(0, spare);
	/* fill the table */
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		;
	ASSERT_EQ(EMFILE, errno);

	xt_prep(xt_get_sqe(&r), XURING_OP_OPENAT, AT_FDCWD, "/dev/null", 0,
		0, 1);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EMFILE, cqe.res) TH_LOG("%s OPENAT", xt_kind_name(kind));
	xt_prep(xt_get_sqe(&r), XURING_OP_ACCEPT, lfd, NULL, 0, 0, 2);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(-EMFILE, cqe.res) TH_LOG("%s ACCEPT", xt_kind_name(kind));

	/* one fd free: the pending connection is accepted into it */
	close(spare);
	xt_prep(xt_get_sqe(&r), XURING_OP_ACCEPT, lfd, NULL, 0, 0, 3);
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(spare, cqe.res) TH_LOG("%s ACCEPT after close",
					 xt_kind_name(kind));
	xt_ring_exit(&r);
}

TEST(fd_table_full_openat_accept_emfile)
{
	struct rlimit rl = { .rlim_cur = 64, .rlim_max = 64 };
	pid_t pid;
	int kind, status;

	XT_NEED_XURING();
	/* ACCEPT is off unless the module parameter allows it */
	ASSERT_EQ(0, xt_write_str(ACCEPT_PARAM, "1"));
	for (kind = XT_XURING; kind <= XT_NATIVE; kind++) {
		if (kind == XT_NATIVE && !xt_native_available())
			break;
		/* in a child: the filled table and the small limit stay there */
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			if (setrlimit(RLIMIT_NOFILE, &rl))
				_exit(1);
			emfile_case(_metadata, kind);
			_exit(_metadata->passed ? 0 : 2);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("%s case failed", xt_kind_name(kind));
	}
	xt_write_str(ACCEPT_PARAM, "0");
}

/*
 * RLIMIT_MEMLOCK exhaustion by fixed buffers is register_test's
 * (memlock cases, as another user without CAP_IPC_LOCK).
 */

/*
 * Overflow storm: far more completions than the CQ holds, from the submit
 * call, from workers and from poll wakeups, reaped late and in bursts.
 * Every SQE gets exactly one CQE, and none is dropped.
 */
struct storm {
	int fds[2];
	volatile bool stop;
};

static void *storm_writer(void *arg)
{
	struct storm *s = arg;

	while (!s->stop) {
		(void)!write(s->fds[1], "x", 1);
		xt_sleep_ms(1);
	}
	return NULL;
}

TEST_F_TIMEOUT(slow, cq_overflow_storm, 120)
{
	const unsigned int total = 20000;
	struct xuring_params p;
	struct xuring_cqe cqe;
	struct storm s = { .stop = false };
	pthread_t th;
	unsigned char *seen;
	unsigned int sent = 0, got = 0, ebusy = 0, peak = 0, i;
	long long deadline = xt_now_ms() + 90000;
	static char buf[64];
	struct xt_ring r;
	int ret;

	XT_NEED_XURING();
	seen = calloc(total, 1);
	ASSERT_NE(NULL, seen);
	ASSERT_EQ(0, pipe(s.fds));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	p.cq_entries = 16;
	XT_RING(&r, XT_XURING, 16, &p);
	ASSERT_EQ(0, pthread_create(&th, NULL, storm_writer, &s));
	while (got < total && xt_now_ms() < deadline) {
		/* a burst of submissions, no reaping */
		for (i = 0; i < 16 && sent < total; i++) {
			struct xuring_sqe *sqe = xt_get_sqe(&r);

			if (!sqe)
				break;
			switch (sent % 3) {
			case 0:
				xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, sent);
				break;
			case 1:		/* completed by a worker */
				xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, sent);
				sqe->flags = XURING_SQE_ASYNC;
				break;
			default:	/* completed by a poll wakeup */
				xt_prep(sqe, XURING_OP_READ, s.fds[0], buf, 1,
					0, sent);
				break;
			}
			sent++;
		}
		ret = xt_enter(&r, xt_flush(&r), 0, 0);
		if (ret == -EBUSY) {
			ebusy++;
		} else {
			ASSERT_LE(0, ret) TH_LOG("submit: %s", strerror(-ret));
		}
		if (xt_cq_ready(&r) > peak)
			peak = xt_cq_ready(&r);
		/* reap only now and then, and flush the overflow list */
		if (sent % 256 < 16 || ret == -EBUSY || sent == total) {
			xt_enter(&r, 0, 0, XURING_ENTER_GETEVENTS);
			while (!xt_peek_cqe(&r, &cqe)) {
				ASSERT_LT(cqe.user_data, total);
				ASSERT_EQ(0, seen[cqe.user_data])
					TH_LOG("second CQE for %llu",
					       (unsigned long long)cqe.user_data);
				seen[cqe.user_data] = 1;
				got++;
				EXPECT_EQ(cqe.user_data % 3 != 2 ? 0 : 1,
					  cqe.res);
			}
		}
	}
	s.stop = true;
	pthread_join(th, NULL);
	TH_LOG("%u SQEs, %u CQEs, %u submits refused with -EBUSY, CQ %u deep",
	       sent, got, ebusy, r.p.cq_entries);
	EXPECT_EQ(total, sent);
	EXPECT_EQ(total, got);
	EXPECT_EQ(0U, *r.cq_overflow);
	EXPECT_GT(ebusy, 0U);
	xt_ring_exit(&r);
	close(s.fds[0]);
	close(s.fds[1]);
	free(seen);
}

/*
 * Found by fuzz_test (6.1): an eventfd WRITE that reached a worker spun
 * there: eventfd is FMODE_NOWAIT, its ->write (no write_iter on 6.1) says
 * -EAGAIN to a non-blocking attempt, and poll says writable.
 */
TEST_F_TIMEOUT(slow, eventfd_write_in_worker_completes, 60)
{
	uint64_t val = 5, v;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int efd, i;

	XT_NEED_XURING();
	efd = eventfd(0, 0);
	ASSERT_LE(0, efd);
	XT_RING(&r, XT_XURING, 8, NULL);
	xt_prep(xt_get_sqe(&r), XURING_OP_WRITE, efd, &val, 8, 0, 1);
	r.sqes[0].flags = XURING_SQE_ASYNC;
	ASSERT_EQ(1, xt_submit(&r));
	for (i = 0; i < 200 && !xt_cq_ready(&r); i++)
		xt_sleep_ms(10);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe)) TH_LOG("no CQE after 2 s");
	EXPECT_EQ(8, cqe.res);
	EXPECT_EQ(8, read(efd, &v, 8));
	EXPECT_EQ(5U, v);
	xt_ring_exit(&r);
	close(efd);
}

/* delete_module(2) as busybox rmmod calls it. */
static int try_rmmod(void)
{
	return syscall(__NR_delete_module, "xuring", O_NONBLOCK) ? -errno : 0;
}

#define RMMOD_REFUSED(ret) ((ret) == -EBUSY || (ret) == -EAGAIN)

TEST(rmmod_refused_while_busy)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	char buf[8];
	int fds[2], ret;

	XT_NEED_XURING();
	XT_RING(&r, XT_XURING, 8, NULL);
	ret = try_rmmod();
	if (ret == -EPERM || ret == -ENOENT) {
		xt_ring_exit(&r);
		SKIP(return, "cannot unload xuring here (%s)", strerror(-ret));
	}
	ASSERT_TRUE(RMMOD_REFUSED(ret)) TH_LOG("delete_module: %d", ret);
	/* with a request in flight */
	ASSERT_EQ(0, pipe(fds));
	sqe = xt_get_sqe(&r);
	xt_prep(sqe, XURING_OP_READ, fds[0], buf, 1, 0, 1);
	ASSERT_EQ(1, xt_submit(&r));
	ret = try_rmmod();
	EXPECT_TRUE(RMMOD_REFUSED(ret)) TH_LOG("delete_module: %d", ret);
	/* with the fd closed but the rings still mapped */
	ASSERT_EQ(0, close(r.fd));
	r.fd = -1;
	ret = try_rmmod();
	EXPECT_TRUE(RMMOD_REFUSED(ret)) TH_LOG("delete_module: %d", ret);
	/* the module is still there and still serves the mapped ring */
	ASSERT_EQ(1, write(fds[1], "x", 1));
	for (int i = 0; i < 500 && !xt_cq_ready(&r); i++)
		xt_sleep_ms(10);
	EXPECT_EQ(1U, xt_cq_ready(&r));
	xt_ring_exit(&r);
	close(fds[0]);
	close(fds[1]);
	EXPECT_EQ(0, ring_works());
	/* unloading once idle is the runner's last step (rmmod case) */
}

TEST_HARNESS_MAIN
