// SPDX-License-Identifier: GPL-2.0
/*
 * xtest: the raw ring driver and small utilities shared by the selftests.
 * Native rings go through the io_uring system calls, xuring rings through
 * the ioctls on /dev/xuring; the mapping and ring handling is the same code.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "xtest.h"

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#define __NR_io_uring_enter	426
#define __NR_io_uring_register	427
#endif

#define load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

const char *xt_kind_name(enum xt_kind kind)
{
	return kind == XT_XURING ? "xuring" : "native";
}

size_t xt_sq_ring_size(const struct xuring_params *p)
{
	return p->sq_off.array + p->sq_entries * sizeof(unsigned int);
}

size_t xt_cq_ring_size(const struct xuring_params *p)
{
	return p->cq_off.cqes + p->cq_entries * sizeof(struct xuring_cqe);
}

size_t xt_sqes_size(const struct xuring_params *p)
{
	return p->sq_entries * sizeof(struct xuring_sqe);
}

int xt_dev_open(void)
{
	int fd = open("/dev/xuring", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int xt_sys_setup(enum xt_kind kind, unsigned int entries,
		 struct xuring_params *p, int *fdp)
{
	int fd, ret;

	if (kind == XT_NATIVE) {
		fd = syscall(__NR_io_uring_setup, entries, p);
		if (fd < 0)
			return -errno;
		*fdp = fd;
		return 0;
	}
	fd = xt_dev_open();
	if (fd < 0)
		return fd;
	p->sq_entries = entries;
	ret = ioctl(fd, XURING_IOC_SETUP, p);
	if (ret < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*fdp = fd;
	return 0;
}

int xt_sys_enter(enum xt_kind kind, int fd, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags,
		 const void *sig, size_t sigsz)
{
	struct xuring_enter_args a;
	int ret;

	if (kind == XT_NATIVE) {
		ret = syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			      flags, sig, sigsz);
		return ret < 0 ? -errno : ret;
	}
	memset(&a, 0, sizeof(a));
	a.to_submit = to_submit;
	a.min_complete = min_complete;
	a.flags = flags;
	a.sigmask = (uint64_t)(uintptr_t)sig;
	a.sigmask_sz = sigsz;
	ret = ioctl(fd, XURING_IOC_ENTER, &a);
	return ret < 0 ? -errno : ret;
}

int xt_sys_register(enum xt_kind kind, int fd, unsigned int opcode,
		    const void *arg, unsigned int nr_args)
{
	struct xuring_register_args a;
	int ret;

	if (kind == XT_NATIVE) {
		ret = syscall(__NR_io_uring_register, fd, opcode, arg, nr_args);
		return ret < 0 ? -errno : ret;
	}
	memset(&a, 0, sizeof(a));
	a.opcode = opcode;
	a.nr_args = nr_args;
	a.arg = (uint64_t)(uintptr_t)arg;
	ret = ioctl(fd, XURING_IOC_REGISTER, &a);
	return ret < 0 ? -errno : ret;
}

int xt_ring_map(struct xt_ring *r, enum xt_kind kind, int fd,
		const struct xuring_params *p)
{
	const int prot = PROT_READ | PROT_WRITE;
	const int flags = MAP_SHARED | MAP_POPULATE;
	void *ptr;
	int ret;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->fd = fd;
	r->p = *p;
	r->sq_sz = xt_sq_ring_size(p);
	r->cq_sz = xt_cq_ring_size(p);
	if (p->features & XURING_FEAT_SINGLE_MMAP) {
		if (r->cq_sz > r->sq_sz)
			r->sq_sz = r->cq_sz;
		r->cq_sz = r->sq_sz;
	}
	ptr = mmap(NULL, r->sq_sz, prot, flags, fd, XURING_OFF_SQ_RING);
	if (ptr == MAP_FAILED)
		return -errno;
	r->sq_ptr = ptr;
	if (p->features & XURING_FEAT_SINGLE_MMAP) {
		r->cq_ptr = ptr;
	} else {
		ptr = mmap(NULL, r->cq_sz, prot, flags, fd, XURING_OFF_CQ_RING);
		if (ptr == MAP_FAILED) {
			ret = -errno;
			munmap(r->sq_ptr, r->sq_sz);
			return ret;
		}
		r->cq_ptr = ptr;
	}
	r->sqes_sz = xt_sqes_size(p);
	ptr = mmap(NULL, r->sqes_sz, prot, flags, fd, XURING_OFF_SQES);
	if (ptr == MAP_FAILED) {
		ret = -errno;
		if (r->cq_ptr != r->sq_ptr)
			munmap(r->cq_ptr, r->cq_sz);
		munmap(r->sq_ptr, r->sq_sz);
		return ret;
	}
	r->sqes = ptr;

#define SQ(f) ((unsigned int *)((char *)r->sq_ptr + p->sq_off.f))
#define CQ(f) ((unsigned int *)((char *)r->cq_ptr + p->cq_off.f))
	r->sq_head = SQ(head);
	r->sq_tail = SQ(tail);
	r->sq_mask = SQ(ring_mask);
	r->sq_entries = SQ(ring_entries);
	r->sq_flags = SQ(flags);
	r->sq_dropped = SQ(dropped);
	r->sq_array = SQ(array);
	r->cq_head = CQ(head);
	r->cq_tail = CQ(tail);
	r->cq_mask = CQ(ring_mask);
	r->cq_entries = CQ(ring_entries);
	r->cq_overflow = CQ(overflow);
	r->cq_flags = CQ(flags);
	r->cqes = (struct xuring_cqe *)CQ(cqes);
#undef SQ
#undef CQ
	r->sqe_tail = *r->sq_tail;
	return 0;
}

int xt_ring_init(struct xt_ring *r, enum xt_kind kind, unsigned int entries,
		 struct xuring_params *pp)
{
	struct xuring_params local, *p = pp ? pp : &local;
	int fd, ret;

	if (!pp)
		memset(&local, 0, sizeof(local));
	ret = xt_sys_setup(kind, entries, p, &fd);
	if (ret)
		return ret;
	ret = xt_ring_map(r, kind, fd, p);
	if (ret)
		close(fd);
	return ret;
}

void xt_ring_exit(struct xt_ring *r)
{
	if (r->sqes)
		munmap(r->sqes, r->sqes_sz);
	if (r->cq_ptr && r->cq_ptr != r->sq_ptr)
		munmap(r->cq_ptr, r->cq_sz);
	if (r->sq_ptr)
		munmap(r->sq_ptr, r->sq_sz);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

struct xuring_sqe *xt_get_sqe(struct xt_ring *r)
{
	unsigned int head = load_acquire(r->sq_head);
	unsigned int idx;

	if (r->sqe_tail - head >= r->p.sq_entries)
		return NULL;
	idx = r->sqe_tail & (r->p.sq_entries - 1);
	r->sq_array[idx] = idx;
	r->sqe_tail++;
	return &r->sqes[idx];
}

unsigned int xt_flush(struct xt_ring *r)
{
	store_release(r->sq_tail, r->sqe_tail);
	return r->sqe_tail - load_acquire(r->sq_head);
}

int xt_enter(struct xt_ring *r, unsigned int to_submit,
	     unsigned int min_complete, unsigned int flags)
{
	return xt_sys_enter(r->kind, r->fd, to_submit, min_complete, flags,
			    NULL, _NSIG / 8);
}

int xt_submit(struct xt_ring *r)
{
	return xt_enter(r, xt_flush(r), 0, 0);
}

int xt_submit_and_wait(struct xt_ring *r, unsigned int wait_nr)
{
	return xt_enter(r, xt_flush(r), wait_nr,
			wait_nr ? XURING_ENTER_GETEVENTS : 0);
}

void xt_prep(struct xuring_sqe *sqe, int op, int fd, const void *addr,
	     unsigned int len, uint64_t off, uint64_t user_data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->len = len;
	sqe->off = off;
	sqe->user_data = user_data;
}

struct xuring_sqe *xt_prep_sqe(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off, uint64_t user_data,
			       unsigned int flags)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	if (!sqe)
		return NULL;
	xt_prep(sqe, op, fd, addr, len, off, user_data);
	sqe->flags = flags;
	return sqe;
}

int xt_reopen_unlinked(int fd, const char *path, int flags)
{
	int fd2;

	if (flags != O_RDWR) {
		fd2 = open(path, flags);
		if (fd2 < 0) {
			fd2 = -errno;
			close(fd);
			unlink(path);
			return fd2;
		}
		close(fd);
		fd = fd2;
	}
	unlink(path);
	return fd;
}

int xt_queue_nops(struct xt_ring *r, unsigned int n, uint64_t first_ud)
{
	struct xuring_sqe *sqe;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sqe = xt_get_sqe(r);
		if (!sqe)
			return -EBUSY;
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, first_ud + i);
	}
	return 0;
}

unsigned int xt_sq_flags(const struct xt_ring *r)
{
	return load_acquire(r->sq_flags);
}

unsigned int xt_cq_ready(const struct xt_ring *r)
{
	return load_acquire(r->cq_tail) - *r->cq_head;
}

int xt_peek_cqe(struct xt_ring *r, struct xuring_cqe *out)
{
	unsigned int head = *r->cq_head;

	if (load_acquire(r->cq_tail) == head)
		return -EAGAIN;
	*out = r->cqes[head & (r->p.cq_entries - 1)];
	store_release(r->cq_head, head + 1);
	return 0;
}

int xt_wait_cqe(struct xt_ring *r, struct xuring_cqe *out)
{
	int ret;

	while (xt_peek_cqe(r, out)) {
		ret = xt_enter(r, 0, 1, XURING_ENTER_GETEVENTS);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int xt_submit_one(struct xt_ring *r, struct xuring_cqe *out)
{
	int ret = xt_submit(r);

	if (ret < 0)
		return ret;
	if (ret != 1)
		return -EPROTO;
	return xt_wait_cqe(r, out);
}

bool xt_native_available(void)
{
	static int cached = -1;
	struct xuring_params p;
	int fd = -1;

	if (cached < 0) {
		memset(&p, 0, sizeof(p));
		cached = xt_sys_setup(XT_NATIVE, 1, &p, &fd) == 0;
		if (cached)
			close(fd);
	}
	return cached;
}

bool xt_xuring_present(void)
{
	return access("/dev/xuring", F_OK) == 0;
}

bool xt_xuring_optional(void)
{
	const char *e = getenv("XTEST_NO_XURING");

	return e && *e && strcmp(e, "0");
}

int xt_write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

long long xt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void xt_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int xt_tmpfile(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "xt-file-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	return fd;
}

/*
 * Inaccessible memory that nothing else will be mapped over: PROT_NONE
 * reservations that are never unmapped.
 */
void *xt_unmapped_page(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? (void *)16 : p;
}

void *xt_guarded_end(size_t *avail)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	mprotect(p + pg, pg, PROT_NONE);
	*avail = pg;
	return p;
}

long long xt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int count_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* The helper of xtest.h: runs before main() when XT_HELPER is set. */
__attribute__((constructor)) static void xt_helper(void)
{
	const char *ms = getenv("XT_HELPER");
	struct xt_helper_report rep;

	if (!ms)
		return;
	rep.start_us = xt_now_us();
	rep.euid = geteuid();
	rep.fds_before = count_fds();
	xt_sleep_ms(atoi(ms));
	rep.fds_after = count_fds();
	if (write(XT_HELPER_FD, &rep, sizeof(rep)) != sizeof(rep))
		_exit(2);
	_exit(0);
}

int xt_copy_self(const char *path, unsigned int mode)
{
	char buf[65536];
	int in, out, ret = 0;
	ssize_t n;

	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	if (n < 0)
		ret = -errno;
	close(in);
	close(out);
	if (!ret && chmod(path, mode))
		ret = -errno;
	return ret;
}

int xt_grant_device(unsigned int gid)
{
	if (chown("/dev/xuring", 0, gid) || chmod("/dev/xuring", 0660) ||
	    chmod(".", 01777))
		return -errno;
	return 0;
}

int xt_module_refcnt(void)
{
	char buf[32] = "";
	int fd = open("/sys/module/xuring/refcnt", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? atoi(buf) : -1;
}

int xt_drop_to(unsigned int uid, unsigned int gid)
{
	gid_t g = gid;

	if (setgroups(1, &g) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

static void *delayed_fn(void *arg)
{
	struct xt_delayed *d = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	xt_sleep_ms(d->delay_ms);
	d->ret = xt_queue_nops(d->r, d->count, d->first_ud);
	if (!d->ret)
		d->ret = xt_submit(d->r);
	return NULL;
}

int xt_delayed_start(struct xt_delayed *d)
{
	return -pthread_create(&d->thread, NULL, delayed_fn, d);
}

int xt_delayed_join(struct xt_delayed *d)
{
	pthread_join(d->thread, NULL);
	return d->ret;
}

struct xt_log *xt_log_new(void)
{
	return calloc(1, sizeof(struct xt_log));
}

void xt_log_free(struct xt_log *log)
{
	free(log);
}

void xt_rec(struct xt_log *log, long long val, const char *fmt, ...)
{
	va_list ap;

	if (log->n >= XT_LOG_MAX) {
		log->truncated = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(log->rec[log->n].what, sizeof(log->rec[0].what), fmt, ap);
	va_end(ap);
	log->rec[log->n].val = val;
	log->n++;
}

int xt_log_diff(const struct xt_log *x, const struct xt_log *n, FILE *out)
{
	unsigned int i, max = x->n > n->n ? x->n : n->n;
	int diffs = 0;

	for (i = 0; i < max; i++) {
		const struct xt_rec *a = i < x->n ? &x->rec[i] : NULL;
		const struct xt_rec *b = i < n->n ? &n->rec[i] : NULL;

		if (a && b && !strcmp(a->what, b->what) && a->val == b->val)
			continue;
		diffs++;
		if (diffs > 20)
			continue;
		fprintf(out, "#   diff [%u] xuring %s=%lld, native %s=%lld\n", i,
			a ? a->what : "(none)", a ? a->val : 0,
			b ? b->what : "(none)", b ? b->val : 0);
	}
	if (diffs > 20)
		fprintf(out, "#   ... %d differences in all\n", diffs);
	return diffs;
}

int xt_wait_cqe_ms(struct xt_ring *r, struct xuring_cqe *out, int ms)
{
	long long deadline = xt_now_ms() + ms;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	long long left;

	while (xt_peek_cqe(r, out)) {
		left = deadline - xt_now_ms();
		if (left <= 0)
			return -ETIME;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

int xt_cqe_cmp(const void *a, const void *b)
{
	const struct xuring_cqe *x = a, *y = b;

	return x->user_data < y->user_data ? -1 : x->user_data > y->user_data;
}

unsigned int xt_reap_sorted(struct xt_ring *r, struct xuring_cqe *out,
			    unsigned int n, int ms)
{
	long long deadline = xt_now_ms() + ms;
	unsigned int got = 0;
	long long left;

	while (got < n) {
		left = deadline - xt_now_ms();
		if (xt_wait_cqe_ms(r, &out[got], left > 0 ? (int)left : 0))
			break;
		got++;
	}
	qsort(out, got, sizeof(*out), xt_cqe_cmp);
	return got;
}

void xt_rights_msg(struct msghdr *msg, struct iovec *iov, void *cbuf,
		   size_t clen, int fd)
{
	struct cmsghdr *cm;

	memset(msg, 0, sizeof(*msg));
	iov->iov_base = "F";
	iov->iov_len = 1;
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	msg->msg_control = cbuf;
	msg->msg_controllen = clen;
	cm = CMSG_FIRSTHDR(msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
}

int xt_register(struct xt_ring *r, unsigned int opcode, const void *arg,
		unsigned int nr_args)
{
	return xt_sys_register(r->kind, r->fd, opcode, arg, nr_args);
}

int xt_register_files(struct xt_ring *r, const int *fds, unsigned int n)
{
	return xt_sys_register(r->kind, r->fd, XURING_REGISTER_FILES, fds, n);
}

int xt_tcp_pair(int sv[2], int bufsz)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t alen = sizeof(addr);
	int lfd, cfd = -1, afd, ret;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return -errno;
	if (bufsz > 0)
		setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) ||
	    listen(lfd, 1))
		goto fail;
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cfd < 0)
		goto fail;
	if (bufsz > 0)
		setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	if (connect(cfd, (struct sockaddr *)&addr, sizeof(addr)))
		goto fail;
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (afd < 0)
		goto fail;
	close(lfd);
	sv[0] = cfd;
	sv[1] = afd;
	return 0;
fail:
	ret = -errno;
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	return ret;
}

size_t xt_fill_socket(int fd)
{
	static const char junk[4096];
	unsigned int quiet = 0;
	size_t total = 0;
	ssize_t n;
	bool progress;

	/*
	 * Loopback moves data on in the background, and TCP frees what was
	 * sent as (delayed) ACKs come in: full once it stays full for a while
	 * (three quiet rounds: slow kernels ACK late).
	 */
	while (quiet < 3) {
		progress = false;
		while ((n = send(fd, junk, sizeof(junk), MSG_DONTWAIT)) > 0) {
			total += n;
			progress = true;
		}
		quiet = progress ? 0 : quiet + 1;
		xt_sleep_ms(250);
	}
	return total;
}

int xt_sparse_file(long long size)
{
	char path[64];
	int fd = xt_tmpfile(path, sizeof(path));

	if (fd < 0)
		return fd;
	unlink(path);
	if (ftruncate(fd, size)) {
		close(fd);
		return -errno;
	}
	return fd;
}

bool xt_pipe_released(int wfd, int ms)
{
	long long deadline = xt_now_ms() + ms;
	struct pollfd pfd = { .fd = wfd, .events = POLLOUT };

	/*
	 * A pipe's write end polls POLLERR once it has no reader. Nothing is
	 * written: data would wake a reader still blocked in the pipe.
	 */
	for (;;) {
		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLERR))
			return true;
		if (xt_now_ms() >= deadline)
			return false;
		xt_sleep_ms(10);
	}
}

bool xt_read_eof(int fd, int ms)
{
	long long deadline = xt_now_ms() + ms;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[4096];
	long long left;
	ssize_t n;

	for (;;) {
		left = deadline - xt_now_ms();
		if (left < 0)
			left = 0;
		if (poll(&pfd, 1, (int)left) > 0) {
			/* readable: data, EOF or an error, never a wait */
			n = read(fd, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno == ECONNRESET))
				return true;
			if (n > 0 || errno == EINTR)
				continue;
			return false;
		}
		if (left == 0)
			return false;
	}
}

static bool comm_is(const char *path, const char *prefix)
{
	char comm[64] = "";
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return false;
	comm[n] = 0;
	return !strncmp(comm, prefix, strlen(prefix));
}

int xt_sq_threads(enum xt_kind kind, pid_t *tids, int max)
{
	const char *dir = kind == XT_NATIVE ? "/proc/self/task" : "/proc";
	const char *prefix = kind == XT_NATIVE ? "iou-sqp-" : "xuring-sq\n";
	char path[300];
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", dir, de->d_name);
		if (!comm_is(path, prefix))
			continue;
		if (n < max)
			tids[n] = atoi(de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

int xt_cpus_allowed(pid_t tid, char *buf, size_t len)
{
	static const char key[] = "Cpus_allowed_list:";
	char path[64], line[256];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *v = line + sizeof(key) - 1;

		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\n")] = 0;
		snprintf(buf, len, "%s", v);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
