// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for /dev/xuring, deterministic by seed: random setup params,
 * SQEs of every opcode with random flags, fds, pointers and lengths, random
 * register and enter calls, closes with requests in flight, forks and kills.
 * Every call must return an errno or CQEs, in bounded time, and every SQE the
 * kernel consumed must get exactly one CQE.
 *
 * The run is a series of campaigns, each a child process with its own seed
 * (XURING_FUZZ_SEED + campaign number) doing up to XURING_FUZZ_CAMPAIGN_OPS
 * operations; campaigns go on until XURING_FUZZ_OPS operations in all (1M)
 * or XURING_FUZZ_SECS seconds. The debug lane must reach the operations:
 * its 900 s there are a bound, and stopping at it fails the test. Other
 * lanes stop at 1M operations or after 30 s.
 * One campaign again, alone:
 *   XURING_FUZZ_SEED=<campaign seed> XURING_FUZZ_CAMPAIGNS=1 fuzz_test
 * What counts as an operation: one SQE the kernel consumed (the SQ head went
 * past it), or one call of the fuzzer's vocabulary (ioctl, mmap, close,
 * fork, kill, poll, a feed of the files). SQEs written but never consumed,
 * and what forked children do, are not counted.
 *
 * Besides random SQEs, a campaign writes what io_uring's bugs were made of:
 * TIMEOUTs with a count, under a LINK_TIMEOUT of 0-100 us or longer; links
 * and drains around every opcode; well-formed OPENAT, STATX and RECVMSG
 * (they resume in their submitter); SQEs aimed at ring fds, its own and the
 * other rings'. Now and then it forks a child that submits OPENAT, CLOSE
 * and RECVMSG behind a TIMEOUT on a ring the campaign keeps checking, then
 * execs this binary as a helper (xtest.h), setuid-root or plain: none of
 * them may run for the new image. Every 4th campaign runs as an
 * unprivileged user granted /dev/xuring as udev/60-xuring.rules grants it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/fs.h>
#include <linux/stat.h>
#include <linux/time_types.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define KERNEL_PTR	0xffff888000000000ULL
#define NRINGS		4
#define NPIPES		3
#define NSOCKS		2
#define BUFSZ		(256 * 1024)

enum action {
	A_SUBMIT, A_REAP, A_ENTER, A_REGISTER, A_SETUP, A_CLOSE, A_FEED,
	A_FORK, A_THREAD_CLOSE, A_MMAP, A_POLL, A_DRAIN, A_SCRIBBLE, A_EXEC,
	A_NR,
};

/* What a campaign reports to the test, in shared memory. */
struct fuzz_stats {
	unsigned long long ops, sqes, consumed, dropped, cqes, enters, eintr;
	unsigned long long registers, setups, setup_ok, closes, forks, kills;
	unsigned long long cancels, abandoned, drains, errnos;
	unsigned long long timeout_chains, execs, execs_checked, user_campaigns;
	unsigned long long cq_overflow;		/* CQEs the kernel dropped */
	unsigned long long action_us[A_NR], action_n[A_NR];
	unsigned int problems;
	/* where the campaign is, for a hang report */
	unsigned long long cur_op;
	int cur_action;
	char problem[512];
};

static const char *const action_names[A_NR] = {
	"submit", "reap", "enter", "register", "setup", "close", "feed",
	"fork", "thread-close", "mmap", "poll", "drain", "scribble", "exec",
};

/*
 * Per-request bookkeeping: state, and enough to describe it. R_QUIET: in
 * flight, but it may end without a CQE (CQE_SKIP_SUCCESS, or a chain after
 * a request with it), so it is not waited for.
 */
enum { R_FREE, R_WRITTEN, R_DROPPED, R_INFLIGHT, R_DONE, R_QUIET };
/* What a request's CQE may say, beyond being an errno or a count. */
enum {
	E_ANY,
	E_COUNT_TIMEOUT,	/* a TIMEOUT with a count, linked */
	E_LINK_TIMEOUT,		/* the LINK_TIMEOUT behind it */
	E_OPEN,			/* a well-formed OPENAT: close what it opens */
	E_EXEC,			/* resumed after its submitter exec'd */
};
struct req_info {
	uint8_t state, op, flags, fdcat, expect;
};

struct fring {
	bool live;
	bool checked;		/* false once another process shared it */
	unsigned int gen;	/* ring number in this campaign */
	struct xt_ring r;
	unsigned int head_seen;	/* SQ head up to which consumption is known */
	uint32_t *pos_seq;	/* SQ position -> request seq */
	struct req_info *reqs;
	unsigned int nreqs, cap, inflight, oldest;
	unsigned int nfiles;	/* registered files */
	bool skip_chain;	/* the chain being consumed may skip CQEs */
	bool skip_seen;		/* a CQE_SKIP_SUCCESS: IO_DRAIN is refused */
	unsigned int overflow_seen;
};

/* The file descriptors SQEs are aimed at, by category. */
enum fdcat {
	FD_FILE, FD_RDONLY, FD_PIPE_R, FD_PIPE_W, FD_SOCK, FD_UDP, FD_EVENTFD,
	FD_NULL, FD_ZERO, FD_RING, FD_OTHER_RING, FD_DIR, FD_CLOSED, FD_NEG,
	FD_RANDOM, FD_RAMDISK, FD_OPATH, FD_FIXED, FD_NR,
};

struct campaign {
	uint64_t rnd;
	struct fuzz_stats *st;
	bool checks;		/* false in forked children: anything goes */
	struct fring rings[NRINGS];
	unsigned int next_gen;
	int pipes[NPIPES][2], socks[NSOCKS][2], udp, efd, nul, zero, dir;
	int file, rdonly, ramdisk, opath;
	unsigned char *buf;	/* BUFSZ of scratch for I/O */
	struct iovec *iov;	/* 64 iovecs, rewritten per SQE, and RECVMSG's */
	void *unmapped, *rdonly_page, *guard_end;
	size_t guard_avail;
	unsigned int wait_ms;
	struct __kernel_timespec *ts;	/* 64 timespecs for TIMEOUTs */
	unsigned int ts_next;
	struct msghdr msg;		/* for well-formed RECVMSGs */
	unsigned int nexec;
};

/*
 * Made by the test (as root) before the campaigns: a directory anyone may
 * write, for the files SQEs open and create, and this binary copied as a
 * plain and a setuid-root helper (empty when the test is not root).
 */
static char scratch_dir[256], helper_plain[300], helper_suid[300];

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

static uint64_t rnd(struct campaign *c)
{
	return xt_rand(&c->rnd);
}

static unsigned int below(struct campaign *c, unsigned int n)
{
	return n ? rnd(c) % n : 0;
}

static bool chance(struct campaign *c, unsigned int percent)
{
	return below(c, 100) < percent;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *e = getenv(name);

	return e && *e ? strtoul(e, NULL, 0) : def;
}

static void problem(struct campaign *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct campaign *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->checks)
		return;
	c->st->problems++;
	if (c->st->problem[0])
		return;
	n = snprintf(c->st->problem, sizeof(c->st->problem),
		     "op %llu (%s): ", c->st->cur_op,
		     action_names[c->st->cur_action]);
	va_start(ap, fmt);
	vsnprintf(c->st->problem + n, sizeof(c->st->problem) - n, fmt, ap);
	va_end(ap);
}

/*
 * Every wait is bounded: a timer interrupts whatever blocks, and keeps
 * doing so every 5 ms until disarmed, so a second blocking call in the same
 * stretch is interrupted too.
 */
static void arm(unsigned int ms)
{
	struct itimerval it = { { 0, 5000 }, { ms / 1000, (ms % 1000) * 1000 } };

	got_signal = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static int op_enter(struct campaign *c, struct fring *f, unsigned int submit,
		    unsigned int min, unsigned int flags)
{
	int ret;

	arm(chance(c, 90) ? 1 : 1 + below(c, c->wait_ms));
	ret = xt_enter(&f->r, submit, min, flags);
	disarm();
	c->st->ops++;
	c->st->enters++;
	if (ret == -EINTR)
		c->st->eintr++;
	else if (ret < 0)
		c->st->errnos++;
	return ret;
}

/* ---- the fd pool ------------------------------------------------------ */

static void open_pool(struct campaign *c)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	const char *rd = getenv("XURING_RAMDISK");
	char path[64];
	unsigned int i;

	for (i = 0; i < NPIPES; i++)
		if (pipe2(c->pipes[i], O_CLOEXEC))
			c->pipes[i][0] = c->pipes[i][1] = -1;
	for (i = 0; i < NSOCKS; i++)
		if (socketpair(AF_UNIX, i ? SOCK_STREAM : SOCK_SEQPACKET, 0,
			       c->socks[i]))
			c->socks[i][0] = c->socks[i][1] = -1;
	/* a UDP socket connected to itself: what it sends, it receives */
	c->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c->udp >= 0 && (bind(c->udp, (void *)&sin, sizeof(sin)) ||
			    getsockname(c->udp, (void *)&sin, &sl) ||
			    connect(c->udp, (void *)&sin, sizeof(sin)))) {
		close(c->udp);
		c->udp = -1;
	}
	c->efd = eventfd(0, EFD_CLOEXEC);
	c->nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	c->zero = open("/dev/zero", O_RDWR | O_CLOEXEC);
	c->dir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	c->opath = open(".", O_PATH | O_CLOEXEC);
	c->file = xt_tmpfile(path, sizeof(path));
	if (c->file >= 0) {
		c->rdonly = open(path, O_RDONLY | O_CLOEXEC);
		unlink(path);
		(void)!ftruncate(c->file, 1 << 20);
	} else {
		c->rdonly = -1;
	}
	/* read-only: the fuzzer must not scribble on other tests' disk */
	c->ramdisk = rd ? open(rd, O_RDONLY | O_DIRECT | O_CLOEXEC) : -1;
}

static void close_pool(struct campaign *c)
{
	int *fds[] = { &c->udp, &c->efd, &c->nul, &c->zero, &c->dir,
		       &c->opath, &c->file, &c->rdonly, &c->ramdisk };
	unsigned int i;

	for (i = 0; i < NPIPES; i++) {
		close(c->pipes[i][0]);
		close(c->pipes[i][1]);
	}
	for (i = 0; i < NSOCKS; i++) {
		close(c->socks[i][0]);
		close(c->socks[i][1]);
	}
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

static struct fring *other_ring(struct campaign *c, struct fring *not)
{
	unsigned int i, k = below(c, NRINGS);

	for (i = 0; i < NRINGS; i++) {
		struct fring *f = &c->rings[(k + i) % NRINGS];

		if (f->live && f != not)
			return f;
	}
	return NULL;
}

static int pick_fd(struct campaign *c, struct fring *f, enum fdcat cat)
{
	struct fring *o;

	switch (cat) {
	case FD_FILE:		return c->file;
	case FD_RDONLY:		return c->rdonly;
	case FD_PIPE_R:		return c->pipes[below(c, NPIPES)][0];
	case FD_PIPE_W:		return c->pipes[below(c, NPIPES)][1];
	case FD_SOCK:		return c->socks[below(c, NSOCKS)][below(c, 2)];
	case FD_UDP:		return c->udp;
	case FD_EVENTFD:	return c->efd;
	case FD_NULL:		return c->nul;
	case FD_ZERO:		return c->zero;
	case FD_RING:		return f->r.fd;
	case FD_OTHER_RING:
		o = other_ring(c, f);
		return o ? o->r.fd : f->r.fd;
	case FD_DIR:		return c->dir;
	case FD_CLOSED:		return 1000 + below(c, 24);
	case FD_NEG:		return -1 - (int)below(c, 3);
	case FD_RANDOM:		return (int)rnd(c);
	case FD_RAMDISK:	return c->ramdisk >= 0 ? c->ramdisk : c->file;
	case FD_OPATH:		return c->opath;
	case FD_FIXED:
		return chance(c, 90) ? (int)below(c, f->nfiles + 2) :
				       (int)rnd(c);
	default:		return -1;
	}
}

/* ---- pointers and lengths -------------------------------------------- */

static uint64_t pick_ptr(struct campaign *c, uint32_t *len)
{
	unsigned int off;

	switch (below(c, 12)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)c->unmapped;
	case 2:
		return KERNEL_PTR + (rnd(c) & 0xfffff);
	case 3:		/* straddles the end of mapped memory */
		*len = below(c, 2 * 4096);
		return (uintptr_t)c->guard_end + c->guard_avail - below(c, 256);
	case 4:		/* read-only memory: reads into it fault */
		*len = below(c, 8192);
		return (uintptr_t)c->rdonly_page;
	case 5:
		return rnd(c);
	case 6:		/* misaligned, valid */
		off = 1 + below(c, 63);
		*len = below(c, 4096);
		return (uintptr_t)c->buf + off;
	default:
		/*
		 * valid, with a length that fits: the kernel may rightly write
		 * past a buffer it was told is longer (case 3 is for that)
		 */
		off = below(c, BUFSZ / 2) & ~511U;
		*len = below(c, 65536) & (chance(c, 50) ? ~511U : ~0U);
		return (uintptr_t)c->buf + off;
	}
}

/*
 * Provided buffers are written by later reads with BUFFER_SELECT: sqe->fd
 * buffers of sqe->len bytes from sqe->addr. Those that start in one of the
 * regions pick_ptr() aims at end in it too, or the reads would rightly
 * land in whatever lies beyond: the stats page the campaign shares with
 * its parent, or the heap.
 */
static void keep_buffers_in_region(struct campaign *c, struct xuring_sqe *sqe)
{
	const struct { uint64_t start, size; } regions[] = {
		{ (uintptr_t)c->buf, BUFSZ },
		{ (uintptr_t)c->guard_end, 2 * c->guard_avail },
		{ (uintptr_t)c->rdonly_page, 2 * 4096 },
		{ (uintptr_t)c->unmapped, 4096 },
	};
	uint32_t nbufs = sqe->fd > 1 ? (uint32_t)sqe->fd : 1;
	uint64_t room;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		if (sqe->addr < regions[i].start ||
		    sqe->addr >= regions[i].start + regions[i].size)
			continue;
		room = regions[i].start + regions[i].size - sqe->addr;
		if ((uint64_t)sqe->len * nbufs > room)
			sqe->len = room / nbufs;
		return;
	}
}

/* An iovec array at addr, its count in *len. */
static uint64_t pick_iovecs(struct campaign *c, uint32_t *len)
{
	unsigned int i, n = chance(c, 90) ? below(c, 9) : below(c, 2000);
	uint32_t l;

	if (chance(c, 10))
		return pick_ptr(c, len);
	for (i = 0; i < 64; i++) {
		l = 0;
		c->iov[i].iov_base = (void *)(uintptr_t)pick_ptr(c, &l);
		/* a huge length only for the pointers that fault anyway */
		c->iov[i].iov_len = l;
		if (chance(c, 5) && (c->iov[i].iov_base == c->unmapped ||
				     c->iov[i].iov_base == NULL))
			c->iov[i].iov_len = rnd(c);
	}
	*len = n;
	if (n > 64 && chance(c, 50))
		*len = 1025 + below(c, 10);	/* over UIO_MAXIOV */
	return (uintptr_t)c->iov;
}

/* ---- rings ------------------------------------------------------------ */

static struct req_info *req_of(struct fring *f, uint64_t ud)
{
	uint32_t gen = ud >> 32, seq = (uint32_t)ud;

	if (gen != f->gen || seq >= f->nreqs)
		return NULL;
	return &f->reqs[seq];
}

static uint32_t new_req(struct fring *f)
{
	if (f->nreqs == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 1024;
		f->reqs = realloc(f->reqs, f->cap * sizeof(*f->reqs));
		if (!f->reqs)
			abort();
	}
	memset(&f->reqs[f->nreqs], 0, sizeof(f->reqs[0]));
	return f->nreqs++;
}

static void describe(struct fring *f, uint32_t seq, char *out, size_t n)
{
	struct req_info *q = &f->reqs[seq];

	snprintf(out, n, "ring %u (sq %u cq %u flags 0x%x) seq %u: opcode %u sqe flags 0x%x fd kind %u expect %u",
		 f->gen, f->r.p.sq_entries, f->r.p.cq_entries, f->r.p.flags,
		 seq, q->op, q->flags, q->fdcat, q->expect);
}

/* SQEs the kernel consumed since we last looked: each now owes a CQE. */
static void account_head(struct campaign *c, struct fring *f)
{
	unsigned int head = __atomic_load_n(f->r.sq_head, __ATOMIC_ACQUIRE);
	unsigned int mask = f->r.p.sq_entries - 1;

	if (!f->checked) {
		if (head - f->head_seen <= f->r.p.sq_entries)
			c->st->ops += head - f->head_seen;
		f->head_seen = head;
		return;
	}
	if (head - f->head_seen > f->r.p.sq_entries) {
		problem(c, "ring %u: SQ head jumped from %u to %u (%u entries)",
			f->gen, f->head_seen, head, f->r.p.sq_entries);
		f->checked = false;
		return;
	}
	for (; f->head_seen != head; f->head_seen++) {
		struct req_info *q = &f->reqs[f->pos_seq[f->head_seen & mask]];
		bool skip;

		c->st->consumed++;
		c->st->ops++;
		if (q->state == R_DROPPED) {
			c->st->dropped++;
			continue;
		}
		/* in consumption order: the chains as the kernel sees them */
		skip = (q->flags & XURING_SQE_CQE_SKIP_SUCCESS) || f->skip_chain;
		f->skip_chain = skip && (q->flags & (XURING_SQE_IO_LINK |
						     XURING_SQE_IO_HARDLINK));
		if (q->state == R_WRITTEN && skip) {
			q->state = R_QUIET;
		} else if (q->state == R_WRITTEN) {
			q->state = R_INFLIGHT;
			f->inflight++;
		}
		/* R_DONE: the CQE came first (SQPOLL posts before the head) */
	}
}

/*
 * The next SQE, in a slot whose last SQE is accounted for. The space is
 * counted from the head seen, not the live one: an SQ thread that moves
 * the head in between would otherwise free a slot whose SQE account_head()
 * has not seen go, and the two would share one pos_seq entry.
 */
static struct xuring_sqe *next_sqe(struct campaign *c, struct fring *f)
{
	account_head(c, f);
	if (f->r.sqe_tail - f->head_seen >= f->r.p.sq_entries)
		return NULL;
	return xt_get_sqe(&f->r);
}

/* Whether io_uring allows @res for a request made as @q->expect says. */
static bool allowed(const struct req_info *q, int res)
{
	switch (q->expect) {
	case E_COUNT_TIMEOUT:
		return !res || res == -ETIME || res == -ECANCELED;
	case E_LINK_TIMEOUT:
		return res == -ETIME || res == -ECANCELED || res == -EALREADY ||
		       res == -ENOENT || res == -EINVAL;
	case E_EXEC:
		return res == -ECANCELED;
	default:
		return true;
	}
}

static void check_cqe(struct campaign *c, struct fring *f,
		      const struct xuring_cqe *cqe)
{
	struct req_info *q = req_of(f, cqe->user_data);
	char d[160];

	c->st->cqes++;
	if (!q) {
		problem(c, "ring %u: CQE for unknown user_data 0x%llx res %d",
			f->gen, (unsigned long long)cqe->user_data, cqe->res);
		return;
	}
	/* describe() only for a problem: this runs for every CQE */
	if (cqe->res < -4095) {
		describe(f, (uint32_t)cqe->user_data, d, sizeof(d));
		problem(c, "%s: CQE res %d is no errno", d, cqe->res);
	}
	if (!allowed(q, cqe->res)) {
		describe(f, (uint32_t)cqe->user_data, d, sizeof(d));
		problem(c, "%s: res %d, which io_uring never gives here", d,
			cqe->res);
	}
	/* a well-formed OPENAT of the campaign opened this fd for it */
	if (q->expect == E_OPEN && q->op == XURING_OP_OPENAT && cqe->res >= 0 &&
	    q->state != R_DONE)
		close(cqe->res);
	switch (q->state) {
	case R_INFLIGHT:
		f->inflight--;
		q->state = R_DONE;
		break;
	case R_WRITTEN:		/* SQPOLL: CQE before the head moved */
	case R_QUIET:
		q->state = R_DONE;
		break;
	case R_DONE:
		describe(f, (uint32_t)cqe->user_data, d, sizeof(d));
		problem(c, "%s: second CQE (res %d)", d, cqe->res);
		break;
	default:
		describe(f, (uint32_t)cqe->user_data, d, sizeof(d));
		problem(c, "%s: CQE for an SQE the kernel dropped (res %d)",
			d, cqe->res);
		break;
	}
}

static void reap(struct campaign *c, struct fring *f)
{
	struct xuring_cqe cqe;
	unsigned int ov;

	account_head(c, f);
	for (int pass = 0; pass < 2; pass++) {
		unsigned int n = 0, tail = __atomic_load_n(f->r.cq_tail,
							  __ATOMIC_ACQUIRE);

		/*
		 * Scribbled memory may hold any tail: more than a ring of CQEs
		 * is garbage, and a loop over it would run for hours.
		 */
		if (tail - *f->r.cq_head > f->r.p.cq_entries) {
			if (f->checked)
				problem(c, "ring %u: CQ tail %u, head %u", f->gen,
					tail, *f->r.cq_head);
			*f->r.cq_head = tail;
		}
		while (n++ < f->r.p.cq_entries && !xt_peek_cqe(&f->r, &cqe))
			if (f->checked)
				check_cqe(c, f, &cqe);
		/* completions waiting on the overflow list come in on enter */
		if (!(xt_sq_flags(&f->r) & XURING_SQ_CQ_OVERFLOW))
			break;
		op_enter(c, f, 0, 0, XURING_ENTER_GETEVENTS);
	}
	ov = __atomic_load_n(f->r.cq_overflow, __ATOMIC_RELAXED);
	if (ov != f->overflow_seen && f->checked) {
		c->st->cq_overflow += ov - f->overflow_seen;
		problem(c, "ring %u: %u CQEs dropped (cq_overflow)", f->gen,
			ov - f->overflow_seen);
	}
	f->overflow_seen = ov;
}

static void ring_forget(struct campaign *c, struct fring *f)
{
	if (f->checked)
		c->st->abandoned += f->inflight;
	free(f->reqs);
	free(f->pos_seq);
	memset(f, 0, sizeof(*f));
	f->r.fd = -1;
}

static void ring_close(struct campaign *c, struct fring *f)
{
	xt_ring_exit(&f->r);
	c->st->ops++;
	c->st->closes++;
	ring_forget(c, f);
}

static struct fring *live_ring(struct campaign *c)
{
	unsigned int i, k = below(c, NRINGS);

	for (i = 0; i < NRINGS; i++)
		if (c->rings[(k + i) % NRINGS].live)
			return &c->rings[(k + i) % NRINGS];
	return NULL;
}

static void do_setup(struct campaign *c)
{
	struct xuring_params p;
	struct fring *f = NULL, *o;
	unsigned int i, entries;
	int fd = -1, ret;

	for (i = 0; i < NRINGS; i++)
		if (!c->rings[i].live)
			f = &c->rings[i];
	if (!f)
		return;
	memset(&p, 0, sizeof(p));
	entries = chance(c, 80) ? 1 + below(c, 64) :
		  chance(c, 50) ? below(c, 5000) : (unsigned int)rnd(c);
	if (chance(c, 15)) {
		p.flags |= XURING_SETUP_CQSIZE;
		p.cq_entries = chance(c, 80) ? below(c, 300) : (uint32_t)rnd(c);
	}
	if (chance(c, 20))
		p.flags |= XURING_SETUP_CLAMP;
	if (chance(c, 8)) {	/* the SQ thread spins while idle: keep it short */
		p.flags |= XURING_SETUP_SQPOLL;
		p.sq_thread_idle = below(c, 5);
		if (chance(c, 30)) {
			p.flags |= XURING_SETUP_SQ_AFF;
			p.sq_thread_cpu = below(c, 4);
		}
	}
	if (chance(c, 10)) {
		o = other_ring(c, NULL);
		p.flags |= XURING_SETUP_ATTACH_WQ;
		p.wq_fd = o && chance(c, 80) ? (uint32_t)o->r.fd :
			  (uint32_t)pick_fd(c, f, below(c, FD_FIXED));
	}
	if (chance(c, 5))
		p.flags |= 1U << below(c, 32);
	/*
	 * A disabled ring never consumes its SQ until ENABLE_RINGS, which a
	 * campaign does not send: the checks that every SQE is consumed and
	 * completed cannot hold for it (register_test covers R_DISABLED).
	 */
	p.flags &= ~XURING_SETUP_R_DISABLED;
	if (chance(c, 3))
		p.resv[below(c, 3)] = rnd(c);
	if (chance(c, 3))
		p.features = rnd(c);
	c->st->setups++;
	c->st->ops++;
	ret = xt_sys_setup(XT_XURING, entries, &p, &fd);
	if (ret) {
		c->st->errnos++;
		if (ret < -4095)
			problem(c, "setup(%u, flags 0x%x) = %d: no errno",
				entries, p.flags, ret);
		return;
	}
	ret = xt_ring_map(&f->r, XT_XURING, fd, &p);
	if (ret) {
		problem(c, "mapping a ring set up with %u entries: %d",
			p.sq_entries, ret);
		close(fd);
		return;
	}
	c->st->setup_ok++;
	f->live = true;
	f->checked = c->checks;
	f->gen = ++c->next_gen;
	f->pos_seq = calloc(p.sq_entries, sizeof(*f->pos_seq));
	if (!f->pos_seq)
		abort();
	f->head_seen = *f->r.sq_head;
	/* seq 0 is a sentinel nobody submits */
	new_req(f);
}

/* ---- one SQE ---------------------------------------------------------- */

static const uint8_t implemented_ops[] = {
	XURING_OP_NOP, XURING_OP_READV, XURING_OP_WRITEV, XURING_OP_FSYNC,
	XURING_OP_READ, XURING_OP_WRITE, XURING_OP_ASYNC_CANCEL,
};

/*
 * Whether a TIMEOUT of @f may still be waiting. One whose timespec is far
 * off and whose count is never reached ends only by a cancel; an IO_DRAIN
 * after it would hold every later request, the cancels too, for good (as
 * natively): a stall of the fuzzer's making, not the module's. A drained
 * TIMEOUT is the same stall: every request after it, cancels too, waits
 * for it to complete (as 5.10 keeps what follows a drain deferred until
 * all before it completed), so no TIMEOUT gets IO_DRAIN either.
 */
static bool timeout_pending(const struct fring *f)
{
	unsigned int i;

	for (i = f->oldest; i < f->nreqs; i++)
		if (f->reqs[i].op == XURING_OP_TIMEOUT &&
		    (f->reqs[i].state == R_WRITTEN ||
		     f->reqs[i].state == R_INFLIGHT ||
		     f->reqs[i].state == R_QUIET))
			return true;
	return false;
}

/*
 * A timespec for a TIMEOUT (@link: a LINK_TIMEOUT): 0-100 us, the window
 * where a link timeout races its request, or up to 100 ms; a TIMEOUT now
 * and then 10 s, which only its count or a cancel ends in time. Read by the
 * kernel when the SQE is submitted: 64 of them in turn suffice.
 */
static struct __kernel_timespec *new_ts(struct campaign *c, bool link)
{
	struct __kernel_timespec *ts = &c->ts[c->ts_next++ % 64];
	unsigned int k = below(c, 100);

	ts->tv_sec = 0;
	if (k < 45)
		ts->tv_nsec = below(c, 100001);
	else if (link || k < 90)
		ts->tv_nsec = 1000000 + below(c, 100000000);
	else
		ts->tv_sec = 10;
	return ts;
}

/* A clean SQE at the SQ tail, accounted as written; NULL when full. */
static struct xuring_sqe *add_sqe(struct campaign *c, struct fring *f,
				  int op, int fd, const void *addr,
				  unsigned int len, uint64_t off,
				  unsigned int flags, uint8_t expect)
{
	struct xuring_sqe *sqe = next_sqe(c, f);
	struct req_info *q;
	uint32_t seq;

	if (!sqe)
		return NULL;
	seq = new_req(f);
	f->pos_seq[(f->r.sqe_tail - 1) & (f->r.p.sq_entries - 1)] = seq;
	xt_prep(sqe, op, fd, addr, len, off, (uint64_t)f->gen << 32 | seq);
	sqe->flags = flags;
	q = &f->reqs[seq];
	q->state = R_WRITTEN;
	q->op = op;
	q->flags = flags;
	q->fdcat = FD_NR;
	/* IOPOLL rings refuse TIMEOUTs and most ops: any errno goes */
	q->expect = f->r.p.flags & XURING_SETUP_IOPOLL ? E_ANY : expect;
	c->st->sqes++;
	return sqe;
}

static unsigned int sq_room(struct fring *f)
{
	return f->r.p.sq_entries - (f->r.sqe_tail - f->head_seen);
}

/*
 * A TIMEOUT with a count of 1-4, which other CQEs complete, mostly linked
 * to a LINK_TIMEOUT: before the fix of issue 14, a completion by the count
 * left the LINK_TIMEOUT's timer armed on freed memory. The outcomes
 * io_uring allows: the TIMEOUT 0 (count), -ETIME (timer) or -ECANCELED
 * (its link timeout, a cancel, a failed link before it); the LINK_TIMEOUT
 * -ETIME (it fired), -ECANCELED (the TIMEOUT ended first), -EALREADY or
 * -ENOENT (too late to cancel), -EINVAL (a submit call ended between the
 * two, so it has nothing to guard).
 */
static void timeout_chain(struct campaign *c, struct fring *f)
{
	bool lt = chance(c, 70);
	unsigned int flags = 0;

	if (lt)
		flags = chance(c, 70) ? XURING_SQE_IO_LINK :
					XURING_SQE_IO_HARDLINK;
	if (!add_sqe(c, f, XURING_OP_TIMEOUT, -1, new_ts(c, false), 1,
		     1 + below(c, 4), flags, lt ? E_COUNT_TIMEOUT : E_ANY))
		return;
	c->st->timeout_chains++;
	if (lt)
		add_sqe(c, f, XURING_OP_LINK_TIMEOUT, -1, new_ts(c, true), 1, 0,
			chance(c, 20) ? XURING_SQE_IO_LINK : 0, E_LINK_TIMEOUT);
}

/*
 * A well-formed OPENAT, STATX or RECVMSG, ops that resume in their
 * submitter (task_work, FAST_POLL), with the link and drain flags the SQE
 * had. OPENAT mostly fails (-EEXIST, -ENOENT); what it opens is closed
 * when its CQE comes.
 */
static void wellformed(struct campaign *c, struct fring *f,
		       struct xuring_sqe *sqe, struct req_info *q)
{
	static char paths[3][300];
	unsigned int flags = sqe->flags & (XURING_SQE_IO_LINK |
		XURING_SQE_IO_HARDLINK | XURING_SQE_IO_DRAIN | XURING_SQE_ASYNC);
	unsigned int k = below(c, 3), p = below(c, 10);

	if (!scratch_dir[0])
		return;
	if (!paths[0][0]) {
		snprintf(paths[0], sizeof(paths[0]), "%s/o-%d", scratch_dir,
			 getpid());
		snprintf(paths[1], sizeof(paths[1]), "%s/none", scratch_dir);
		snprintf(paths[2], sizeof(paths[2]), "%s", scratch_dir);
	}
	q->expect = f->r.p.flags & XURING_SETUP_IOPOLL ? E_ANY : E_OPEN;
	switch (k) {
	case 0:
		xt_prep(sqe, XURING_OP_OPENAT, AT_FDCWD,
			paths[p < 5 ? 0 : p < 9 ? 1 : 2], 0644, 0, 0);
		sqe->open_flags = O_CLOEXEC | (p < 5 ? O_WRONLY | O_CREAT | O_EXCL :
					       O_RDONLY);
		break;
	case 1:
		xt_prep(sqe, XURING_OP_STATX, AT_FDCWD, paths[p % 3],
			STATX_BASIC_STATS, (uintptr_t)c->buf + BUFSZ - 4096, 0);
		break;
	default:
		xt_prep(sqe, XURING_OP_RECVMSG,
			c->socks[below(c, NSOCKS)][below(c, 2)], &c->msg, 1, 0, 0);
		break;
	}
	sqe->flags = flags;
}

static uint64_t inflight_ud(struct campaign *c, struct fring *f)
{
	unsigned int i, n = f->nreqs;

	for (i = 0; i < 32 && n > 1; i++) {
		uint32_t seq = f->oldest + below(c, n - f->oldest);

		if (seq && f->reqs[seq].state == R_INFLIGHT)
			return (uint64_t)f->gen << 32 | seq;
	}
	return (uint64_t)f->gen << 32 | below(c, n + 2);
}

static void fill_sqe(struct campaign *c, struct fring *f,
		     struct xuring_sqe *sqe, struct req_info *q, uint64_t ud)
{
	enum fdcat cat;
	uint32_t len = 0;
	unsigned int k;

	memset(sqe, 0, sizeof(*sqe));
	k = below(c, 100);
	sqe->opcode = k < 65 ? implemented_ops[below(c, sizeof(implemented_ops))] :
		      k < 95 ? below(c, XURING_OP_LAST) : (uint8_t)rnd(c);
	if (chance(c, 75))
		sqe->flags = chance(c, 50) ? 0 :
			     (chance(c, 50) ? XURING_SQE_ASYNC : 0) |
			     (chance(c, 25) ? XURING_SQE_FIXED_FILE : 0) |
			     (chance(c, 10) ? XURING_SQE_CQE_SKIP_SUCCESS : 0);
	else
		sqe->flags = chance(c, 50) ? 1U << below(c, 8) : (uint8_t)rnd(c);
	/* links and drains around every opcode, not only the random flags' */
	if (chance(c, 12))
		sqe->flags |= chance(c, 60) ? XURING_SQE_IO_LINK :
					      XURING_SQE_IO_HARDLINK;
	if (chance(c, 4))
		sqe->flags |= XURING_SQE_IO_DRAIN;
	/*
	 * IO_DRAIN makes a request, and everything after it, wait for every
	 * request before it - forever behind a read that never gets data, as
	 * natively: rare, so that most campaigns do not stall on one. Not in
	 * a chain past its head either: there it drains the chain and the
	 * request after it (5.10's drain_next), which may be a far-off
	 * TIMEOUT, the stall of timeout_pending(). link_test covers drains
	 * inside chains against native.
	 */
	if (chance(c, 80) || timeout_pending(f) ||
	    sqe->opcode == XURING_OP_TIMEOUT ||
	    (q[-1].flags & (XURING_SQE_IO_LINK | XURING_SQE_IO_HARDLINK)))
		sqe->flags &= ~XURING_SQE_IO_DRAIN;
	cat = (sqe->flags & XURING_SQE_FIXED_FILE) && chance(c, 80) ? FD_FIXED :
	      below(c, FD_FIXED);
	/*
	 * Ring fds are targets like any other: a request that names a ring
	 * holds the ring, never its file (SECURITY.md), so rings that poll or
	 * read themselves and each other are still freed once closed.
	 */
	/*
	 * A CLOSE that takes one of the campaign's own fds (its eventfd, a
	 * pipe end) would leave the requests waiting on that file with no
	 * one to feed them, and feed() writing to whatever reuses the number:
	 * a request that never completes, for the fuzzer's sake. CLOSE gets
	 * fds the campaign does not use (fileops_test closes real ones).
	 */
	if (sqe->opcode == XURING_OP_CLOSE && cat != FD_FIXED)
		cat = FD_CLOSED + below(c, 3);
	sqe->fd = pick_fd(c, f, cat);
	switch (sqe->opcode) {
	case XURING_OP_READV:
	case XURING_OP_WRITEV:
		sqe->addr = pick_iovecs(c, &len);
		break;
	case XURING_OP_ASYNC_CANCEL:
		sqe->addr = chance(c, 80) ? inflight_ud(c, f) : rnd(c);
		break;
	default:
		sqe->addr = pick_ptr(c, &len);
		break;
	}
	/* a random length only where it cannot land in our own memory */
	sqe->len = chance(c, 95) || sqe->addr < 4096 ||
		   sqe->addr >= KERNEL_PTR ? len : (uint32_t)rnd(c);
	if (sqe->len != len && (sqe->opcode == XURING_OP_READ ||
				sqe->opcode == XURING_OP_READV ||
				sqe->opcode == XURING_OP_RECV))
		sqe->len = len;
	if (sqe->opcode == XURING_OP_PROVIDE_BUFFERS)
		keep_buffers_in_region(c, sqe);
	switch (below(c, 6)) {
	case 0:
		sqe->off = (uint64_t)-1;	/* the file position */
		break;
	case 1:
		sqe->off = rnd(c);
		break;
	case 2:
		sqe->off = below(c, 4 << 20);
		break;
	default:
		sqe->off = below(c, 1 << 20) & ~511U;
		break;
	}
	if (chance(c, 15)) {
		static const int rwf[] = { RWF_HIPRI, RWF_DSYNC, RWF_SYNC,
					   RWF_NOWAIT, RWF_APPEND };
		sqe->rw_flags = chance(c, 70) ? rwf[below(c, 5)] : (int)rnd(c);
	}
	/* half the TIMEOUTs get a timespec that ends, and a count */
	if ((sqe->opcode == XURING_OP_TIMEOUT ||
	     sqe->opcode == XURING_OP_LINK_TIMEOUT) && chance(c, 50)) {
		sqe->addr = (uintptr_t)new_ts(c, false);
		sqe->len = 1;
		sqe->off = sqe->opcode == XURING_OP_TIMEOUT ? below(c, 5) : 0;
	}
	if (sqe->opcode == XURING_OP_FSYNC)
		sqe->fsync_flags = chance(c, 80) ? below(c, 2) : (uint32_t)rnd(c);
	if (chance(c, 5))
		sqe->ioprio = rnd(c);
	if (chance(c, 3))
		sqe->buf_index = rnd(c);
	if (chance(c, 3))
		sqe->personality = rnd(c);
	if (chance(c, 3))
		sqe->splice_fd_in = rnd(c);
	if (chance(c, 2))
		sqe->__pad2[1 + below(c, 2)] = rnd(c);
	if (chance(c, 6))
		wellformed(c, f, sqe, q);
	sqe->user_data = ud;
	q->op = sqe->opcode;
	q->flags = sqe->flags;
	q->fdcat = cat;
	if (sqe->flags & XURING_SQE_CQE_SKIP_SUCCESS)
		f->skip_seen = true;
}

static void do_submit(struct campaign *c, struct fring *f)
{
	unsigned int n = 1 + below(c, chance(c, 60) ? 16 : 64);
	unsigned int mask = f->r.p.sq_entries - 1, i, pos, round;
	bool sqpoll = f->r.p.flags & XURING_SETUP_SQPOLL;
	int ret;

	for (i = 0; i < n; i++) {
		struct xuring_sqe *sqe;
		uint32_t seq;

		if (chance(c, 3) && sq_room(f) >= 2) {
			timeout_chain(c, f);
			i++;
			continue;
		}
		/* an SQ thread consumes as we go: keep up with its head */
		sqe = next_sqe(c, f);
		if (!sqe)
			break;
		pos = (f->r.sqe_tail - 1) & mask;
		seq = new_req(f);
		f->pos_seq[pos] = seq;
		fill_sqe(c, f, sqe, &f->reqs[seq], (uint64_t)f->gen << 32 | seq);
		f->reqs[seq].state = R_WRITTEN;
		/* now and then an SQ array entry out of range: dropped */
		if (chance(c, 2)) {
			f->r.sq_array[pos] = f->r.p.sq_entries + below(c, 1000);
			f->reqs[seq].state = R_DROPPED;
		}
		c->st->sqes++;
	}
	xt_flush(&f->r);
	if (sqpoll) {
		if (xt_sq_flags(&f->r) & XURING_SQ_NEED_WAKEUP || chance(c, 10))
			op_enter(c, f, 0, 0, XURING_ENTER_SQ_WAKEUP);
		return;
	}
	/*
	 * Submission stops at an SQE that fails to initialise, as in
	 * io_uring: like a program that wants its SQEs in, enter again for
	 * the rest, a few times. Now and then hand in a random count.
	 */
	for (round = 0; round < 8; round++) {
		unsigned int pending = *f->r.sq_tail - *f->r.sq_head;

		if (!pending)
			break;
		/* waits that nothing may end cost a timer tick: keep them rare */
		ret = op_enter(c, f, chance(c, 90) ? pending :
				     below(c, 2 * pending + 2),
			       chance(c, 5) ? 1 + below(c, 2) : 0,
			       chance(c, 30) ? XURING_ENTER_GETEVENTS : 0);
		if (ret == -EBUSY) {	/* overflowed CQEs first */
			reap(c, f);
			continue;
		}
		if (ret < 0 && ret != -EAGAIN && ret != -EINTR)
			problem(c, "ring %u: submit enter = %d", f->gen, ret);
		if (ret <= 0)
			break;
	}
	account_head(c, f);
}

static void do_enter(struct campaign *c, struct fring *f)
{
	unsigned int flags = chance(c, 80) ? below(c, 16) : (uint32_t)rnd(c);
	unsigned int min = chance(c, 80) ? 0 : chance(c, 50) ? 1 + below(c, 3) :
						 (uint32_t)rnd(c);
	struct xuring_enter_args a = {
		.to_submit = chance(c, 80) ? below(c, 4) : (uint32_t)rnd(c),
		.min_complete = min, .flags = flags,
	};
	struct xuring_getevents_arg ga;
	struct __kernel_timespec ts;
	sigset_t set;
	int ret;

	if (chance(c, 5))
		a.resv = rnd(c);
	switch (below(c, 7)) {
	case 0:		/* a real mask that still lets the timer in */
		sigfillset(&set);
		sigdelset(&set, SIGALRM);
		a.sigmask = (uintptr_t)&set;
		a.sigmask_sz = chance(c, 80) ? _NSIG / 8 : below(c, 200);
		break;
	case 1:
		a.sigmask = (uintptr_t)c->unmapped;
		a.sigmask_sz = _NSIG / 8;
		break;
	case 2:
		a.sigmask = rnd(c);
		a.sigmask_sz = rnd(c);
		break;
	case 3:		/* EXT_ARG: a short timeout, and the mask beside it */
		sigfillset(&set);
		sigdelset(&set, SIGALRM);
		ts.tv_sec = chance(c, 90) ? 0 : (int64_t)rnd(c);
		ts.tv_nsec = chance(c, 80) ? below(c, 2000000) : (int64_t)rnd(c);
		memset(&ga, 0, sizeof(ga));
		ga.sigmask = chance(c, 50) ? (uintptr_t)&set :
			     chance(c, 50) ? 0 : (uintptr_t)c->unmapped;
		ga.sigmask_sz = chance(c, 90) ? _NSIG / 8 : below(c, 200);
		ga.pad = chance(c, 90) ? 0 : (uint32_t)rnd(c);
		ga.ts = chance(c, 80) ? (uintptr_t)&ts :
			chance(c, 50) ? 0 : (uintptr_t)c->unmapped;
		a.sigmask = (uintptr_t)&ga;
		a.sigmask_sz = chance(c, 90) ? sizeof(ga) : below(c, 64);
		if (chance(c, 80))
			a.flags |= XURING_ENTER_EXT_ARG;
		break;
	default:
		break;
	}
	account_head(c, f);
	arm(chance(c, 90) ? 1 : 1 + below(c, c->wait_ms));
	ret = ioctl(f->r.fd, XURING_IOC_ENTER, &a);
	ret = ret < 0 ? -errno : ret;
	disarm();
	c->st->ops++;
	c->st->enters++;
	if (ret == -EINTR)
		c->st->eintr++;
	else if (ret < 0)
		c->st->errnos++;
	if (ret > 0 && (unsigned int)ret > a.to_submit)
		problem(c, "ring %u: enter(to_submit %u) = %d", f->gen,
			a.to_submit, ret);
}

static void do_register(struct campaign *c, struct fring *f)
{
	/* room for a probe of 256 ops: 16 + 256 * 8 bytes */
	static int fds[1024];
	unsigned int op, nr, i;
	uint64_t arg;
	uint32_t dummy;
	int ret;

	op = chance(c, 85) ? below(c, XURING_REGISTER_LAST + 2) : (uint32_t)rnd(c);
	nr = chance(c, 80) ? below(c, 17) : (uint32_t)rnd(c);
	switch (below(c, 5)) {
	case 0:
		arg = pick_ptr(c, &dummy);
		break;
	default:	/* a table of fds, mostly good ones */
		for (i = 0; i < 64; i++)
			fds[i] = chance(c, 10) ? -1 :
				 pick_fd(c, f, chance(c, 80) ? FD_FILE + below(c, FD_CLOSED) :
						       below(c, FD_FIXED));
		if (op == XURING_REGISTER_PROBE)
			memset(fds, 0, sizeof(fds));
		arg = (uintptr_t)fds;
		/* the kernel may write nr entries back (probe): keep it inside */
		if (nr > 64 && (chance(c, 90) || op == XURING_REGISTER_PROBE))
			nr %= 64;
		break;
	}
	ret = xt_sys_register(XT_XURING, f->r.fd, op, (void *)(uintptr_t)arg, nr);
	c->st->ops++;
	c->st->registers++;
	if (ret < 0)
		c->st->errnos++;
	if (op == XURING_REGISTER_FILES && !ret)
		f->nfiles = nr;
	if (op == XURING_UNREGISTER_FILES && !ret)
		f->nfiles = 0;
}

static bool ready(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	return fd >= 0 && poll(&pfd, 1, 0) == 1 && (pfd.revents & events);
}

/* Read from @fd what is nearly full, so that blocked writers move. */
static void unclog(int fd, bool sock, char *b, size_t n)
{
	unsigned int k;
	int avail;

	for (k = 0; k < 8 && !ioctl(fd, FIONREAD, &avail) && avail > 32768 &&
		    !got_signal; k++)
		if ((sock ? recv(fd, b, n, MSG_DONTWAIT) : read(fd, b, n)) < 0)
			break;
}

/*
 * Write to a pipe and a socket, or to every one (@all, to drain), and to
 * the eventfd; read from what is nearly full. Each write wakes every
 * request polling that file. Requests race us for the data: a timer bounds
 * any read or write that blocks after all.
 */
static void feed(struct campaign *c, bool all)
{
	static char b[4096];
	unsigned int i, n = all ? NPIPES : 1, k = below(c, NPIPES);
	uint64_t v = 1;
	int fd;

	memset(b, 'x', sizeof(b));
	arm(20);
	for (i = 0; i < n; i++) {
		unclog(c->pipes[(k + i) % NPIPES][0], false, b, sizeof(b));
		fd = c->pipes[(k + i) % NPIPES][1];
		if (ready(fd, POLLOUT))
			(void)!write(fd, b, 1 + below(c, sizeof(b)));
	}
	n = all ? 2 * NSOCKS + 1 : 1;
	k = below(c, 2 * NSOCKS + 1);
	for (i = 0; i < n; i++) {
		unsigned int j = (k + i) % (2 * NSOCKS + 1);

		fd = j < 2 * NSOCKS ? c->socks[j / 2][j % 2] : c->udp;
		if (fd < 0)
			continue;
		unclog(fd, true, b, sizeof(b));
		(void)!send(fd, b, 1 + below(c, sizeof(b)), MSG_DONTWAIT);
	}
	/*
	 * Reset the counter, or add to it: a pending write of a value near
	 * ULLONG_MAX needs it at 0 until the write's worker gets to run.
	 */
	if (chance(c, 50) && ready(c->efd, POLLIN))
		(void)!read(c->efd, &v, 8);
	else if (ready(c->efd, POLLOUT))
		(void)!write(c->efd, &v, 8);
	disarm();
	c->st->ops++;
}

static void dump_file(const char *path)
{
	char line[256];
	FILE *fp = fopen(path, "r");

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp))
		fprintf(stderr, "#   %s", line);
	fclose(fp);
}

/* Kernel stacks of the threads sleeping in xuring's code. */
static void dump_stacks(void)
{
	char path[300], buf[4096];
	struct dirent *de;
	DIR *d = opendir("/proc");
	ssize_t n;
	int fd;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stack", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		if (!strstr(buf, "xr_") && !strstr(buf, "eventfd"))
			continue;
		fprintf(stderr, "# stack of %s:\n", de->d_name);
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			fprintf(stderr, "#   %s\n", l);
	}
	if (d)
		closedir(d);
}

/* What a ring that does not drain looks like, on stderr (the console). */
static void dump_stuck(struct campaign *c, struct fring *f)
{
	char path[64], d[160];
	unsigned int i, n = 0;

	if (!c->checks)
		return;
	for (i = 1; i < f->nreqs && n < 16; i++)
		if (f->reqs[i].state == R_INFLIGHT) {
			describe(f, i, d, sizeof(d));
			fprintf(stderr, "# stuck: %s\n", d);
			n++;
		}
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", f->r.fd);
	fprintf(stderr, "# %s:\n", path);
	dump_file(path);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", c->efd);
	fprintf(stderr, "# eventfd %s:\n", path);
	dump_file(path);
	dump_stacks();
}

/* An ASYNC_CANCEL for each request in flight, as far as the SQ has room. */
static void cancel_inflight(struct campaign *c, struct fring *f)
{
	unsigned int i, cancels = 0;

	/*
	 * Not while a round of cancels is still in flight. Behind an
	 * IO_DRAIN every request goes to a worker (as 5.10 queues what
	 * leaves its defer list), cancels too, and each walks the pool's
	 * queue: a new round every few idle passes piled up 12,000 cancels
	 * that 4 workers could not get through in the drain's 20 s on the
	 * debug lane (campaign 0x5eed002c).
	 */
	for (i = f->oldest + 1; i < f->nreqs; i++)
		if (f->reqs[i].state == R_INFLIGHT &&
		    f->reqs[i].op == XURING_OP_ASYNC_CANCEL && ++cancels >= 64)
			return;
	for (i = 1; i < f->nreqs; i++) {
		struct xuring_sqe *sqe;
		uint32_t seq;

		if (f->reqs[i].state != R_INFLIGHT ||
		    f->reqs[i].op == XURING_OP_ASYNC_CANCEL)
			continue;
		sqe = next_sqe(c, f);
		if (!sqe)
			break;
		seq = new_req(f);
		f->pos_seq[(f->r.sqe_tail - 1) & (f->r.p.sq_entries - 1)] = seq;
		xt_prep(sqe, XURING_OP_ASYNC_CANCEL, -1, NULL, 0, 0,
			(uint64_t)f->gen << 32 | seq);
		sqe->addr = (uint64_t)f->gen << 32 | i;
		f->reqs[seq].state = R_WRITTEN;
		f->reqs[seq].op = XURING_OP_ASYNC_CANCEL;
		c->st->cancels++;
		c->st->sqes++;
	}
	xt_flush(&f->r);
}

/*
 * Make a ring's requests finish: submit what is in the SQ, cancel what is
 * in flight (again while that makes no progress: a drained or linked
 * request may start, and block, only after others finish), feed their
 * files, wait. Any that never completes is lost.
 */
static void drain(struct campaign *c, struct fring *f)
{
	long long deadline = xt_now_ms() + (c->wait_ms > 20 ? 20000 : 8000);
	bool sqpoll = f->r.p.flags & XURING_SETUP_SQPOLL;
	unsigned int i, idle = 0, last;
	int ret = 0;
	char d[160];

	if (!f->checked)
		return;
	c->st->drains++;
	last = f->inflight;	/* the first pass cancels */
	for (;;) {
		reap(c, f);
		/* what is still in the SQ goes in first, all of it */
		for (i = 0; !sqpoll && i < f->r.p.sq_entries &&
			    *f->r.sq_tail != *f->r.sq_head; i++) {
			ret = op_enter(c, f, f->r.p.sq_entries, 0, 0);
			if (ret == -EBUSY)
				reap(c, f);
			else if (ret <= 0)
				break;
		}
		if (sqpoll)
			op_enter(c, f, 0, 0, XURING_ENTER_SQ_WAKEUP);
		reap(c, f);
		if (!f->inflight && *f->r.sq_tail == *f->r.sq_head)
			return;
		idle = f->inflight == last ? idle + 1 : 0;
		last = f->inflight;
		if (f->inflight && idle % 8 == 1) {
			cancel_inflight(c, f);
			continue;
		}
		feed(c, true);
		op_enter(c, f, 0, 1, XURING_ENTER_GETEVENTS);
		if (xt_now_ms() > deadline)
			break;
	}
	for (i = 1; i < f->nreqs; i++)
		if (f->reqs[i].state == R_INFLIGHT) {
			describe(f, i, d, sizeof(d));
			problem(c, "%u requests never completed; first: %s",
				f->inflight, d);
			dump_stuck(c, f);
			break;
		}
	if (*f->r.sq_tail != *f->r.sq_head)
		problem(c, "ring %u: SQ never drained (head %u tail %u, last enter %d)",
			f->gen, *f->r.sq_head, *f->r.sq_tail, ret);
	f->checked = false;
}

/* Print the file /proc/@pid/task/@tid/@what on stderr, prefixed. */
static void dump_proc_file(pid_t pid, const char *tid, const char *what)
{
	char path[300], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/%s", pid, tid, what);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
		if (strcmp(what, "status") || !strncmp(l, "State:", 6))
			fprintf(stderr, "#   %s: %s\n", what, l);
}

/*
 * Where the threads of @pid are, on stderr: the state and the system call
 * ("running" when on a CPU), and the kernel stack, which is empty for a
 * task running on a CPU.
 */
static void dump_task(pid_t pid)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		fprintf(stderr, "# task %d/%s:\n", pid, de->d_name);
		dump_proc_file(pid, de->d_name, "status");
		dump_proc_file(pid, de->d_name, "syscall");
		dump_proc_file(pid, de->d_name, "stack");
	}
	if (d)
		closedir(d);
}

/* A forked child plays with the rings it inherited, until killed or done. */
static void child_play(struct campaign *c, unsigned int ops);

static void do_fork(struct campaign *c, struct fring *f)
{
	unsigned int delay_us = below(c, 3000), i;
	uint64_t child_seed = rnd(c) | 1;
	int status;
	pid_t pid;

	/* the child submits on the shared rings: no more accounting there */
	for (i = 0; i < NRINGS; i++)
		if (c->rings[i].live && (&c->rings[i] == f || chance(c, 30)))
			c->rings[i].checked = false;
	c->st->forks++;
	c->st->ops++;
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		static struct fuzz_stats priv;

		/* the campaign's stats and checked rings are not the child's */
		priv = *c->st;
		c->st = &priv;
		c->rnd = child_seed;
		c->checks = false;
		for (i = 0; i < NRINGS; i++)
			if (c->rings[i].live && c->rings[i].checked)
				ring_close(c, &c->rings[i]);
		child_play(c, 50 + below(c, 200));
		_exit(0);
	}
	if (chance(c, 70)) {
		usleep(delay_us);
		kill(pid, SIGKILL);
		c->st->kills++;
		c->st->ops++;
	}
	/* a child that neither dies nor finishes is a hang */
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	problem(c, "forked child %d did not finish in 30 s", pid);
	dump_task(pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/*
 * Fork a child that submits, on a ring the campaign keeps checking, requests
 * that would run in it after a wait: an OPENAT creating a file, hard-linked
 * behind a TIMEOUT; a CLOSE of an fd the new image inherits, drained behind
 * one; a RECVMSG waiting for a message with an fd in it (FAST_POLL). Then
 * it execs the helper, setuid-root or plain. None may run for the new image:
 * its fds stay the same, no file appears, each completes -ECANCELED. Only
 * if the helper started after the TIMEOUT could fire may the OPENAT and
 * CLOSE have run before the exec, in the old image: then any result goes.
 */
static void do_exec(struct campaign *c, struct fring *f)
{
	static char data[64], ctl[CMSG_SPACE(sizeof(int))];
	static struct iovec iov = { data, sizeof(data) };
	static struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	int rep_pipe[2] = { -1, -1 }, sync[2] = { -1, -1 }, sv[2] = { -1, -1 };
	uint32_t seq[3] = { 0, 0, 0 };	/* OPENAT, CLOSE, RECVMSG */
	bool drain_ok = !timeout_pending(f) && !f->skip_seen;
	bool setuid, exec_ok, ambiguous;
	unsigned int t_ms, pending, i;
	struct __kernel_timespec *ts;
	struct xt_helper_report rep;
	char path[320], nap[32], c1;
	char *argv[2], *envp[2];
	struct xuring_sqe *sqe;
	int victim = -1, status = 0;
	ssize_t got = 0;
	long long t0;
	pid_t pid;

	if (!f->checked || !helper_plain[0] || sq_room(f) < 6 ||
	    f->r.p.flags & (XURING_SETUP_SQPOLL | XURING_SETUP_IOPOLL))
		return;
	account_head(c, f);
	if (*f->r.sq_tail != *f->r.sq_head || f->r.sqe_tail != *f->r.sq_tail)
		return;
	setuid = helper_suid[0] && chance(c, 50);
	t_ms = (c->wait_ms > 20 ? 60 : 20) + below(c, 40);
	snprintf(path, sizeof(path), "%s/exec-%d-%u", scratch_dir, getpid(),
		 c->nexec++);
	unlink(path);
	if (pipe2(rep_pipe, O_CLOEXEC) || pipe2(sync, O_CLOEXEC) ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		goto out;
	/* no O_CLOEXEC: the new image inherits it */
	victim = open(scratch_dir, O_RDONLY | O_DIRECTORY);
	if (victim < 0)
		goto out;
	ts = &c->ts[c->ts_next++ % 64];
	ts->tv_sec = 0;
	ts->tv_nsec = t_ms * 1000000LL;
	if (chance(c, 70)) {
		add_sqe(c, f, XURING_OP_TIMEOUT, -1, ts, 1, 0,
			XURING_SQE_IO_HARDLINK, E_ANY);
		sqe = add_sqe(c, f, XURING_OP_OPENAT, AT_FDCWD, path, 0666, 0,
			      0, E_EXEC);
		sqe->open_flags = O_WRONLY | O_CREAT;
		seq[0] = f->nreqs - 1;
	}
	if (drain_ok && chance(c, 50)) {
		if (!seq[0])
			add_sqe(c, f, XURING_OP_TIMEOUT, -1, ts, 1, 0, 0, E_ANY);
		add_sqe(c, f, XURING_OP_CLOSE, victim, NULL, 0, 0,
			XURING_SQE_IO_DRAIN, E_EXEC);
		seq[1] = f->nreqs - 1;
	}
	if (chance(c, 50) || (!seq[0] && !seq[1])) {
		add_sqe(c, f, XURING_OP_RECVMSG, sv[0], &msg, 1, 0, 0, E_EXEC);
		seq[2] = f->nreqs - 1;
	}
	xt_flush(&f->r);
	pending = *f->r.sq_tail - *f->r.sq_head;
	snprintf(nap, sizeof(nap), "XT_HELPER=%u", 2 * t_ms + 50);
	argv[0] = setuid ? helper_suid : helper_plain;
	argv[1] = NULL;
	envp[0] = nap;
	envp[1] = NULL;
	disarm();
	c->st->execs++;
	c->st->ops++;
	t0 = xt_now_us();
	pid = fork();
	if (pid < 0)
		goto out;
	if (!pid) {
		close(rep_pipe[0]);
		if (dup2(rep_pipe[1], XT_HELPER_FD) < 0)
			_exit(10);
		if (xt_sys_enter(XT_XURING, f->r.fd, pending, 0, 0, NULL, 0) !=
		    (int)pending)
			_exit(11);
		execve(argv[0], argv, envp);
		_exit(12);
	}
	close(rep_pipe[1]);
	close(sync[1]);
	rep_pipe[1] = sync[1] = -1;
	arm(10000);
	/* EOF once the exec closed the child's copy (or it exited) */
	(void)!read(sync[0], &c1, 1);
	if (seq[2]) {
		char mctl[CMSG_SPACE(sizeof(int))] = { 0 };
		struct msghdr m;
		struct iovec miov;

		xt_rights_msg(&m, &miov, mctl, sizeof(mctl), c->nul);
		(void)!sendmsg(sv[1], &m, MSG_DONTWAIT);
	}
	got = read(rep_pipe[0], &rep, sizeof(rep));
	disarm();
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (i == 3000) {
		problem(c, "exec'd child %d did not finish in 30 s", pid);
		dump_task(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	account_head(c, f);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 12)
		problem(c, "exec of %s failed", argv[0]);
	exec_ok = WIFEXITED(status) && !WEXITSTATUS(status) &&
		  got == sizeof(rep);
	ambiguous = !exec_ok || rep.start_us >= t0 + t_ms * 1000LL;
	if (exec_ok && rep.fds_after != rep.fds_before)
		problem(c, "exec of %s: the new image's fds went from %d to %d",
			argv[0], rep.fds_before, rep.fds_after);
	if (exec_ok && setuid && rep.euid)
		problem(c, "the setuid helper ran with euid %u", rep.euid);
	for (i = 0; i < 3; i++)
		if (seq[i] && (i < 2 ? ambiguous : !exec_ok))
			f->reqs[seq[i]].expect = E_ANY;
	if (!ambiguous)
		c->st->execs_checked++;
	reap(c, f);
	if (seq[0] && !ambiguous && f->reqs[seq[0]].state == R_DONE &&
	    !access(path, F_OK))
		problem(c, "an OPENAT submitted before an exec of %s created %s",
			argv[0], path);
out:
	unlink(path);
	for (i = 0; i < 2; i++) {
		if (rep_pipe[i] >= 0)
			close(rep_pipe[i]);
		if (sync[i] >= 0)
			close(sync[i]);
		if (sv[i] >= 0)
			close(sv[i]);
	}
	if (victim >= 0)
		close(victim);
}

struct blocker {
	int fd;
	int ret;
	pthread_t th;
};

static void *blocker_fn(void *arg)
{
	struct blocker *b = arg;

	b->ret = xt_sys_enter(XT_XURING, b->fd, 0, 1 << 20,
			      XURING_ENTER_GETEVENTS, NULL, _NSIG / 8);
	return NULL;
}

/* Close a ring while another thread waits in GETEVENTS on it. */
static void do_thread_close(struct campaign *c, struct fring *f)
{
	struct blocker b = { .fd = f->r.fd };
	unsigned int i;

	if (pthread_create(&b.th, NULL, blocker_fn, &b))
		return;
	usleep(below(c, 2000));
	ring_close(c, f);
	usleep(below(c, 2000));
	/*
	 * The waiter holds the file: only a signal ends its wait. A hang is
	 * what this looks for, not speed: the debug lane once took over 1 s.
	 */
	for (i = 0; i < 500; i++) {
		pthread_kill(b.th, SIGUSR1);
		if (!pthread_tryjoin_np(b.th, NULL))
			break;
		/* slow: where the waiter and the module's threads are */
		if (i == 100) {
			fprintf(stderr, "# a waiter on a closed ring is there after 1 s\n");
			dump_task(getpid());
			dump_stacks();
		}
		usleep(10000);
	}
	if (i == 500) {
		problem(c, "a waiter on a closed ring ignored SIGUSR1 for 5 s");
		pthread_join(b.th, NULL);	/* the watchdog takes over */
	}
	if (b.ret != -EINTR && b.ret < 0 && b.ret != -EBADF)
		problem(c, "a waiter on a closed ring got %d", b.ret);
	c->st->ops += 2;
}

static void do_mmap(struct campaign *c, struct fring *f)
{
	static const off_t bases[] = {
		XURING_OFF_SQ_RING, XURING_OFF_CQ_RING, XURING_OFF_SQES,
	};
	off_t off = chance(c, 70) ? bases[below(c, 3)] :
		    (off_t)(rnd(c) & 0xfffffff000ULL);
	size_t len = chance(c, 70) ? 1 + below(c, 64 * 1024) : (uint32_t)rnd(c);
	void *m;

	m = mmap(NULL, len, chance(c, 80) ? PROT_READ | PROT_WRITE : PROT_READ,
		 chance(c, 90) ? MAP_SHARED : MAP_PRIVATE, f->r.fd, off);
	c->st->ops++;
	if (m != MAP_FAILED) {
		(void)*(volatile unsigned int *)m;
		munmap(m, len);
	}
}

static void do_poll(struct campaign *c, struct fring *f)
{
	struct pollfd pfd = { .fd = f->r.fd, .events = POLLIN | POLLOUT };

	if (poll(&pfd, 1, below(c, 2)) < 0 && errno != EINTR)
		problem(c, "poll on ring %u: %s", f->gen, strerror(errno));
	c->st->ops++;
}

/* The user owns the ring memory: write garbage into it, then use it. */
static void do_scribble(struct campaign *c, struct fring *f)
{
	uint32_t *w = f->r.sq_ptr;
	unsigned int i, n = f->r.sq_sz / 4;

	for (i = 0; i < 4; i++)
		w[below(c, n)] = chance(c, 50) ? (uint32_t)rnd(c) : below(c, 64);
	f->checked = false;
	op_enter(c, f, below(c, 64), below(c, 2),
		 chance(c, 50) ? XURING_ENTER_GETEVENTS : 0);
}

static enum action pick_action(struct campaign *c, struct fring *f)
{
	static const struct { enum action a; unsigned int w; } table[] = {
		{ A_SUBMIT, 420 }, { A_REAP, 150 }, { A_ENTER, 80 },
		{ A_REGISTER, 60 }, { A_SETUP, 30 }, { A_CLOSE, 12 },
		{ A_FEED, 120 }, { A_FORK, 4 }, { A_THREAD_CLOSE, 3 },
		{ A_MMAP, 30 }, { A_POLL, 30 }, { A_DRAIN, 6 },
		{ A_SCRIBBLE, 2 }, { A_EXEC, 1 },
	};
	unsigned int total = 0, i, k;

	if (!f)
		return A_SETUP;
	for (i = 0; i < ARRAY_SIZE(table); i++)
		total += table[i].w;
	k = below(c, total);
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (k < table[i].w)
			return table[i].a;
		k -= table[i].w;
	}
	return A_SUBMIT;
}

static void step(struct campaign *c)
{
	struct fring *f = live_ring(c);
	enum action a = pick_action(c, f);
	long long t0 = now_us();

	c->st->cur_action = a;
	switch (a) {
	case A_SUBMIT:
		do_submit(c, f);
		break;
	case A_REAP:
		reap(c, f);
		break;
	case A_ENTER:
		do_enter(c, f);
		break;
	case A_REGISTER:
		do_register(c, f);
		break;
	case A_SETUP:
		do_setup(c);
		break;
	case A_CLOSE:
		if (chance(c, 50))
			drain(c, f);
		ring_close(c, f);
		break;
	case A_FEED:
		feed(c, false);
		break;
	case A_FORK:
		do_fork(c, f);
		break;
	case A_THREAD_CLOSE:
		do_thread_close(c, f);
		break;
	case A_MMAP:
		do_mmap(c, f);
		break;
	case A_POLL:
		do_poll(c, f);
		break;
	case A_DRAIN:
		drain(c, f);
		if (!f->checked && c->checks)
			ring_close(c, f);
		break;
	case A_SCRIBBLE:
		do_scribble(c, f);
		break;
	case A_EXEC:
		if (c->checks)
			do_exec(c, f);
		break;
	default:
		break;
	}
	c->st->action_us[a] += now_us() - t0;
	c->st->action_n[a]++;
}

static void child_play(struct campaign *c, unsigned int ops)
{
	unsigned long long end = c->st->ops + ops;

	while (c->st->ops < end) {
		struct fring *f = live_ring(c);

		if (!f)
			break;
		step(c);
	}
}

static void campaign_init(struct campaign *c, uint64_t seed,
			  struct fuzz_stats *st, unsigned int wait_ms)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned int i;

	memset(c, 0, sizeof(*c));
	/* odd and spread: seeds 2k and 2k + 1 gave one stream with "| 1" */
	c->rnd = (seed * 0x9e3779b97f4a7c15ULL) | 1;
	c->st = st;
	c->checks = true;
	c->wait_ms = wait_ms;
	for (i = 0; i < NRINGS; i++)
		c->rings[i].r.fd = -1;
	c->buf = aligned_alloc(4096, BUFSZ);
	c->iov = calloc(65, sizeof(*c->iov));
	c->unmapped = xt_unmapped_page();
	c->rdonly_page = mmap(NULL, 2 * pg, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	c->guard_end = xt_guarded_end(&c->guard_avail);
	c->ts = calloc(64, sizeof(*c->ts));
	if (!c->buf || !c->iov || c->rdonly_page == MAP_FAILED ||
	    !c->guard_end || !c->ts)
		abort();
	/* RECVMSG lands at the end of the scratch buffer */
	c->iov[64].iov_base = c->buf + BUFSZ - 8192;
	c->iov[64].iov_len = 4096;
	c->msg.msg_iov = &c->iov[64];
	c->msg.msg_iovlen = 1;
	memset(c->buf, 0x5a, BUFSZ);
	open_pool(c);
}

/* One campaign: runs in its own process. */
static void campaign_run(uint64_t seed, unsigned long ops,
			 struct fuzz_stats *st, unsigned int wait_ms,
			 long long deadline, bool user)
{
	struct sigaction sa;
	struct campaign c;
	unsigned int i;
	int nul;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* stdio is the console: keep garbage writes off it */
	nul = open("/dev/null", O_RDWR);
	dup2(nul, 0);
	dup2(nul, 1);
	close(nul);
	/* the device and the directory were granted by the test */
	if (user) {
		int ret = xt_drop_to(XT_UID, XT_GID);

		st->user_campaigns++;
		if (ret) {
			st->problems++;
			snprintf(st->problem, sizeof(st->problem),
				 "dropping to uid %u: %s", XT_UID,
				 strerror(-ret));
			return;
		}
	}
	campaign_init(&c, seed, st, wait_ms);
	for (i = 0; st->ops < ops && !st->problems; i++) {
		if (i % 64 == 0 && xt_now_ms() > deadline)
			break;
		st->cur_op = st->ops;
		step(&c);
	}
	/* the end: every live ring must drain completely */
	st->cur_action = A_DRAIN;
	for (i = 0; i < NRINGS && !st->problems; i++)
		if (c.rings[i].live) {
			drain(&c, &c.rings[i]);
			ring_close(&c, &c.rings[i]);
		}
	close_pool(&c);
}

/* ---- the test --------------------------------------------------------- */

struct plan {
	uint64_t seed;
	unsigned long ops, secs, campaign_ops, campaigns;
	unsigned int wait_ms;
	bool must_finish;	/* all the operations, or fail */
};

static void make_plan(struct plan *p)
{
	const char *lane = getenv("XURING_LANE");
	bool debug = lane && !strcmp(lane, "debug");

	p->seed = env_ul("XURING_FUZZ_SEED", 0x5eed0001);
	p->ops = env_ul("XURING_FUZZ_OPS", 1000000);
	p->secs = env_ul("XURING_FUZZ_SECS", debug ? 900 : lane ? 30 : 20);
	p->must_finish = debug && !getenv("XURING_FUZZ_SECS");
	p->campaign_ops = env_ul("XURING_FUZZ_CAMPAIGN_OPS", 20000);
	p->campaigns = env_ul("XURING_FUZZ_CAMPAIGNS", 1000000);
	/* waits are longer where everything is slower */
	p->wait_ms = debug ? 30 : 10;
}

static void add_stats(struct fuzz_stats *t, const struct fuzz_stats *s)
{
	const unsigned long long *a = &s->ops;
	unsigned long long *b = &t->ops;
	unsigned int i, n = offsetof(struct fuzz_stats, problems) /
			    sizeof(unsigned long long);

	for (i = 0; i < n; i++)
		b[i] += a[i];
	t->problems += s->problems;
}

/* Where the time went: "submit 17.7 s (9240 times), reap ...". */
static void log_action_times(const struct fuzz_stats *t)
{
	char line[1024];
	int a, n = 0;

	for (a = 0; a < A_NR && n < (int)sizeof(line); a++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s %.1f s (%llu)",
			      a ? ", " : "", action_names[a],
			      t->action_us[a] / 1e6, t->action_n[a]);
	printf("# time by action: %s\n", line);
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* The harness's limit sits above the debug lane's bound plus one drain. */
TEST_F_TIMEOUT(fuzz, campaigns, 1000)
{
	struct fuzz_stats *st, total;
	struct xt_ring r;
	struct plan p;
	unsigned long n = 0, killed = 0, i;
	long long start = xt_now_ms(), deadline;
	int status, refs, now;

	XT_NEED_XURING();
	make_plan(&p);
	refs = xt_module_refcnt();
	/*
	 * The scratch directory and the helpers; as root, the device for the
	 * unprivileged campaigns, and a setuid-root helper for them to exec.
	 */
	snprintf(scratch_dir, sizeof(scratch_dir), "%s/fz",
		 get_current_dir_name());
	ASSERT_TRUE(!mkdir(scratch_dir, 0777) || errno == EEXIST);
	ASSERT_EQ(0, chmod(scratch_dir, 01777));
	snprintf(helper_plain, sizeof(helper_plain), "%s/fz-helper",
		 get_current_dir_name());
	ASSERT_EQ(0, xt_copy_self(helper_plain, 0755));
	if (!geteuid()) {
		snprintf(helper_suid, sizeof(helper_suid), "%s/fz-helper-suid",
			 get_current_dir_name());
		ASSERT_EQ(0, xt_copy_self(helper_suid, 04755));
		ASSERT_EQ(0, xt_grant_device(XT_GID));
	}
	deadline = start + p.secs * 1000;
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	memset(&total, 0, sizeof(total));
	TH_LOG("seed 0x%llx: up to %lu ops in %lu s, %lu ops per campaign",
	       (unsigned long long)p.seed, p.ops, p.secs, p.campaign_ops);
	while (total.ops < p.ops && n < p.campaigns && xt_now_ms() < deadline) {
		uint64_t seed = p.seed + n;
		unsigned long ops = p.campaign_ops;
		long long limit;

		fflush(stdout);
		pid_t pid;
		bool kill_it = seed % 8 == 5;	/* every 8th dies mid-way */

		if (ops > p.ops - total.ops)
			ops = p.ops - total.ops;
		memset(st, 0, sizeof(*st));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			/* every 4th campaign as an unprivileged user */
			campaign_run(seed, ops, st, p.wait_ms, deadline,
				     helper_suid[0] && n % 4 == 1);
			_exit(0);
		}
		/* it stops at the deadline; then it has 45 s to drain */
		limit = deadline + 45000;
		for (;;) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			if (kill_it && st->ops > ops / 3) {
				kill(pid, SIGKILL);
				killed++;
				kill_it = false;
				continue;
			}
			if (xt_now_ms() > limit) {
				dump_task(pid);
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				TH_LOG("campaign seed 0x%llx hung at op %llu (%s)",
				       (unsigned long long)seed, st->cur_op,
				       action_names[st->cur_action]);
				EXPECT_TRUE(0);
				break;
			}
			xt_sleep_ms(5);
		}
		add_stats(&total, st);
		n++;
		if (st->problems) {
			TH_LOG("campaign seed 0x%llx: %u problems; first: %s",
			       (unsigned long long)seed, st->problems,
			       st->problem);
			EXPECT_EQ(0U, st->problems);
			break;
		}
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
			TH_LOG("campaign seed 0x%llx died of signal %d at op %llu (%s)",
			       (unsigned long long)seed, WTERMSIG(status),
			       st->cur_op, action_names[st->cur_action]);
			EXPECT_TRUE(0);
			break;
		}
	}
	TH_LOG("%lu campaigns (%lu killed) in %.1f s: %llu ops, %llu SQEs (%llu consumed, %llu dropped), %llu CQEs checked",
	       n, killed, (xt_now_ms() - start) / 1000.0, total.ops, total.sqes,
	       total.consumed, total.dropped, total.cqes);
	TH_LOG("%llu enters (%llu interrupted), %llu registers, %llu setups (%llu ok), %llu closes, %llu forks, %llu kills, %llu drains, %llu cancels, %llu errnos, %llu abandoned in closed rings",
	       total.enters, total.eintr, total.registers, total.setups,
	       total.setup_ok, total.closes, total.forks, total.kills,
	       total.drains, total.cancels, total.errnos, total.abandoned);
	TH_LOG("%llu timeout chains, %llu execs (%llu with every check), %llu campaigns unprivileged",
	       total.timeout_chains, total.execs, total.execs_checked,
	       total.user_campaigns);
	log_action_times(&total);
	/* print the figure where scripts can find it */
	printf("# FUZZ-OPS %llu cqes=%llu campaigns=%lu secs=%.0f\n", total.ops,
	       total.cqes, n, (xt_now_ms() - start) / 1000.0);
	fflush(stdout);
	EXPECT_EQ(0ULL, total.cq_overflow);
	EXPECT_GT(total.cqes, 0ULL);
	if (p.must_finish && total.ops < p.ops)
		TH_LOG("the bound of %lu s came before %lu operations",
		       p.secs, p.ops);
	EXPECT_TRUE(!p.must_finish || total.ops >= p.ops);
	/* and the module still serves fresh rings */
	XT_RING(&r, XT_XURING, 8, NULL);
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 0));
	EXPECT_EQ(4, xt_submit_and_wait(&r, 4));
	xt_ring_exit(&r);
	/*
	 * And no ring outlives the campaigns: the module's references come
	 * back to what they were. Give them a moment: a kernel thread's last
	 * fput of a ring file (a worker done with a ring it borrowed) is put
	 * off to a work item, and once an rmmod right after the test found
	 * one reference left that a second later was gone.
	 */
	for (i = 0, now = xt_module_refcnt(); now != refs && i < 200; i++) {
		xt_sleep_ms(50);
		now = xt_module_refcnt();
	}
	EXPECT_EQ(refs, now)
		TH_LOG("module references: %d before the campaigns, %d after",
		       refs, now);
	munmap(st, sizeof(*st));
}

TEST_HARNESS_MAIN
