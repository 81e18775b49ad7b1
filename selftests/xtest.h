/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtest: helpers shared by the xuring selftests. One raw ring driver serves
 * both native io_uring and /dev/xuring, so a scenario runs unchanged on each.
 */
#ifndef XTEST_H
#define XTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/xuring.h>

enum xt_kind {
	XT_XURING,	/* /dev/xuring through its ioctls */
	XT_NATIVE,	/* the running kernel's io_uring system calls */
};

/* A ring of either kind, mapped the way liburing maps one. */
struct xt_ring {
	enum xt_kind kind;
	int fd;
	struct xuring_params p;

	void *sq_ptr;
	size_t sq_sz;
	void *cq_ptr;		/* == sq_ptr with SINGLE_MMAP */
	size_t cq_sz;
	struct xuring_sqe *sqes;
	size_t sqes_sz;

	unsigned int *sq_head, *sq_tail, *sq_mask, *sq_entries;
	unsigned int *sq_flags, *sq_dropped, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask, *cq_entries;
	unsigned int *cq_overflow, *cq_flags;
	struct xuring_cqe *cqes;

	unsigned int sqe_tail;	/* local tail: SQEs handed out so far */
};

/* Sizes of the three regions, computed from setup's answer. */
size_t xt_sq_ring_size(const struct xuring_params *p);
size_t xt_cq_ring_size(const struct xuring_params *p);
size_t xt_sqes_size(const struct xuring_params *p);

const char *xt_kind_name(enum xt_kind kind);

/* Raw entry points. Each returns >= 0 or -errno. */
int xt_dev_open(void);
int xt_sys_setup(enum xt_kind kind, unsigned int entries,
		 struct xuring_params *p, int *fdp);
int xt_sys_enter(enum xt_kind kind, int fd, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags,
		 const void *sig, size_t sigsz);
int xt_sys_register(enum xt_kind kind, int fd, unsigned int opcode,
		    const void *arg, unsigned int nr_args);

/* Ring life cycle. p may be NULL (no flags); on success it is updated. */
int xt_ring_init(struct xt_ring *r, enum xt_kind kind, unsigned int entries,
		 struct xuring_params *p);
int xt_ring_map(struct xt_ring *r, enum xt_kind kind, int fd,
		const struct xuring_params *p);
void xt_ring_exit(struct xt_ring *r);

/* Submission side. */
struct xuring_sqe *xt_get_sqe(struct xt_ring *r);
unsigned int xt_flush(struct xt_ring *r);	/* publish tail, ret pending */
int xt_enter(struct xt_ring *r, unsigned int to_submit,
	     unsigned int min_complete, unsigned int flags);
int xt_submit(struct xt_ring *r);
int xt_submit_and_wait(struct xt_ring *r, unsigned int wait_nr);
void xt_prep(struct xuring_sqe *sqe, int op, int fd, const void *addr,
	     unsigned int len, uint64_t off, uint64_t user_data);
/* The next SQE prepared with xt_prep() and @flags; NULL: the SQ is full. */
struct xuring_sqe *xt_prep_sqe(struct xt_ring *r, int op, int fd,
			       const void *addr, unsigned int len,
			       uint64_t off, uint64_t user_data,
			       unsigned int flags);
int xt_queue_nops(struct xt_ring *r, unsigned int n, uint64_t first_ud);
unsigned int xt_sq_flags(const struct xt_ring *r);

/* Completion side. */
unsigned int xt_cq_ready(const struct xt_ring *r);
int xt_peek_cqe(struct xt_ring *r, struct xuring_cqe *out);
int xt_wait_cqe(struct xt_ring *r, struct xuring_cqe *out);
/* Submit one SQE (already prepared), wait for and return its CQE. */
int xt_submit_one(struct xt_ring *r, struct xuring_cqe *out);
/* qsort() order of CQEs: by user_data. */
int xt_cqe_cmp(const void *a, const void *b);

/* Environment. */
bool xt_native_available(void);
bool xt_xuring_present(void);
bool xt_xuring_optional(void);		/* XTEST_NO_XURING=1: host runs */
long long xt_now_ms(void);
void xt_sleep_ms(unsigned int ms);
int xt_tmpfile(char *path, size_t len);	/* creates, returns O_RDWR fd */
/*
 * The file @fd has open at @path, opened again with @flags unless they are
 * O_RDWR (@fd is closed then), and unlinked: the fd, or -errno.
 */
int xt_reopen_unlinked(int fd, const char *path, int flags);
/* Write @val into the file at @path (sysfs, tracefs): 0 or -errno. */
int xt_write_str(const char *path, const char *val);
void *xt_unmapped_page(void);		/* a page that always faults */
/* a page of memory followed by one that faults; *avail = its size */
void *xt_guarded_end(size_t *avail);

/*
 * Exec and identity, for the security tests and the fuzzer. A test binary
 * exec'd with XT_HELPER=<ms> in its environment is a short-lived helper
 * (a constructor in xtest.c): it records the time it started, its euid and
 * how many fds it has, naps, counts its fds again, writes that report on
 * fd XT_HELPER_FD and exits, before main() runs. The requests of the image
 * before it must not land in it.
 */
#define XT_HELPER_FD	100
struct xt_helper_report {
	unsigned int euid;
	int fds_before, fds_after;
	long long start_us;	/* CLOCK_MONOTONIC when the new image started */
};
/* Microseconds on CLOCK_MONOTONIC, as start_us. */
long long xt_now_us(void);
/* Copy this binary to @path with @mode (04755: setuid to its owner). */
int xt_copy_self(const char *path, unsigned int mode);
/* The unprivileged user the tests run as, and its group (the device's). */
#define XT_UID	4242
#define XT_GID	4243
/*
 * As root: give /dev/xuring to @gid as udev/60-xuring.rules does (root:gid
 * 0660) and let anyone write the current directory (01777).
 */
int xt_grant_device(unsigned int gid);
/* /sys/module/xuring/refcnt: one per open ring file; -1 if unknown. */
int xt_module_refcnt(void);
/* As root: become @uid with only the group @gid. 0 or -errno. */
int xt_drop_to(unsigned int uid, unsigned int gid);

/* A thread that waits, then submits NOPs on the ring (all signals blocked). */
struct xt_delayed {
	struct xt_ring *r;
	unsigned int delay_ms;
	unsigned int count;
	uint64_t first_ud;
	int ret;
	pthread_t thread;
};
int xt_delayed_start(struct xt_delayed *d);
int xt_delayed_join(struct xt_delayed *d);

/* Records of one scenario's observable results, compared across kinds. */
#define XT_LOG_MAX 2048
struct xt_rec {
	char what[48];
	long long val;
};
struct xt_log {
	unsigned int n;
	bool truncated;
	struct xt_rec rec[XT_LOG_MAX];
};
struct xt_log *xt_log_new(void);
void xt_log_free(struct xt_log *log);
void xt_rec(struct xt_log *log, long long val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Returns the number of differences, printing each with prefix. */
int xt_log_diff(const struct xt_log *x, const struct xt_log *n, FILE *out);

/* Cheap deterministic random numbers for the garbage tests. */
static inline uint64_t xt_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/*
 * Helpers for the async engine tests: waiting with a deadline, files that
 * make requests wait, and the threads an SQPOLL ring runs on.
 */

/* xt_wait_cqe() with a deadline; -ETIME when none came within ms. */
int xt_wait_cqe_ms(struct xt_ring *r, struct xuring_cqe *out, int ms);
/*
 * Reap up to n CQEs within ms (without entering the ring: poll(2) on its
 * fd), sorted by user_data; returns how many came.
 */
unsigned int xt_reap_sorted(struct xt_ring *r, struct xuring_cqe *out,
			    unsigned int n, int ms);
/* xt_sys_register() on @r; returns >= 0 or -errno. */
int xt_register(struct xt_ring *r, unsigned int opcode, const void *arg,
		unsigned int nr_args);
/* The same, its result recorded in @log as @tag; a statement expression. */
#define XT_REG_REC(log, r, tag, op, arg, nr) ({				\
	int __r = xt_register((r), (op), (arg), (nr));			\
	xt_rec((log), __r, "%s", (tag));				\
	__r;								\
})
/* REGISTER_FILES; returns 0 or -errno. */
int xt_register_files(struct xt_ring *r, const int *fds, unsigned int n);
/* A connected loopback TCP pair: sv[0] connected, sv[1] accepted. */
int xt_tcp_pair(int sv[2], int bufsz);
/* sendmsg(2) or the ring: one byte of data and @fd in SCM_RIGHTS. */
void xt_rights_msg(struct msghdr *msg, struct iovec *iov, void *cbuf,
		   size_t clen, int fd);
/* Write into a socket with MSG_DONTWAIT until it is full; bytes written. */
size_t xt_fill_socket(int fd);
/* An unlinked tmpfs file of size bytes, all holes (reads cost no memory). */
int xt_sparse_file(long long size);
/* Whether the read end of this pipe is gone within ms (nothing written). */
bool xt_pipe_released(int wfd, int ms);
/*
 * Whether the other end of a pipe or socket is gone within ms: reads of fd
 * (drained as they go) reach EOF, or the connection is reset.
 */
bool xt_read_eof(int fd, int ms);
/*
 * The tids of the SQ threads this process can see: native io_uring's are
 * its own threads ("iou-sqp-PID"), xuring's are kernel threads
 * ("xuring-sq"). Returns how many (at most max are stored).
 */
int xt_sq_threads(enum xt_kind kind, pid_t *tids, int max);
/* Cpus_allowed_list of a task, e.g. "1" or "0-1"; 0 or -errno. */
int xt_cpus_allowed(pid_t tid, char *buf, size_t len);

#ifdef __KSELFTEST_HARNESS_H
/*
 * Harness glue. _metadata is the running test's; these macros ASSERT.
 */

/* /dev/xuring must exist; on the host (XTEST_NO_XURING=1) skip instead. */
#define XT_NEED_XURING() do {						\
	if (!xt_xuring_present()) {					\
		if (xt_xuring_optional())				\
			SKIP(return, "no /dev/xuring (XTEST_NO_XURING)");\
		ASSERT_TRUE(xt_xuring_present())			\
			TH_LOG("/dev/xuring is missing: module not loaded?");\
	}								\
} while (0)

#define XT_RING(r, kind, entries, pp) do {				\
	int __ret = xt_ring_init((r), (kind), (entries), (pp));	\
	ASSERT_EQ(0, __ret)						\
		TH_LOG("%s ring init(%u): %s", xt_kind_name(kind),	\
		       (unsigned int)(entries), strerror(-__ret));	\
} while (0)

/* Queue the next SQE (xt_prep_sqe()); the SQ must have room. */
#define XT_PREP(r, op, fd, addr, len, off, ud, flags) do {		\
	ASSERT_NE(NULL, xt_prep_sqe((r), (op), (fd), (addr), (len),	\
				    (off), (ud), (flags)));		\
} while (0)

/* The same, but a full SQ fails the test and goes on: NULL. */
static inline struct xuring_sqe *
xt_queue_sqe(struct __test_metadata *_metadata, struct xt_ring *r, int op,
	     int fd, const void *addr, unsigned int len, uint64_t off,
	     unsigned int flags, uint64_t ud)
{
	struct xuring_sqe *sqe = xt_prep_sqe(r, op, fd, addr, len, off, ud,
					     flags);

	EXPECT_NE(NULL, sqe);
	return sqe;
}

/* The next SQE, blank; the SQ must have room. */
static inline struct xuring_sqe *xt_sqe_of(struct __test_metadata *_metadata,
					   struct xt_ring *r)
{
	struct xuring_sqe *sqe = xt_get_sqe(r);

	ASSERT_NE(NULL, sqe);
	return sqe;
}

/*
 * Submit the SQE prepared last where native io_uring differs from 5.10 by
 * design: xuring must give the 5.10 answer @want; what native said is only
 * logged. Returns the CQE's res.
 */
static inline int xt_run_510(struct __test_metadata *_metadata,
			     struct xt_ring *r, enum xt_kind kind,
			     const char *tag, int want)
{
	struct xuring_cqe cqe;

	ASSERT_EQ(0, xt_submit_one(r, &cqe)) TH_LOG("%s", tag);
	if (kind == XT_XURING) {
		EXPECT_EQ(want, cqe.res) TH_LOG("%s", tag);
	} else if (cqe.res != want) {
		TH_LOG("%s: native %d, 5.10 %d", tag, cqe.res, want);
	}
	return cqe.res;
}

/*
 * Wait for @n CQEs (64 at most), copy them in arrival order to @out unless
 * it is NULL, and record each one's res and flags by user_data.
 */
static inline void xt_reap_rec(struct __test_metadata *_metadata,
			       struct xt_ring *r, struct xt_log *log,
			       const char *tag, unsigned int n,
			       struct xuring_cqe *out)
{
	struct xuring_cqe cqes[64];
	unsigned int i;

	ASSERT_GE(64U, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, xt_wait_cqe(r, &cqes[i]));
	if (out)
		memcpy(out, cqes, n * sizeof(*cqes));
	qsort(cqes, n, sizeof(*cqes), xt_cqe_cmp);
	for (i = 0; i < n; i++) {
		xt_rec(log, cqes[i].res, "%s.%llu.res", tag,
		       (unsigned long long)cqes[i].user_data);
		xt_rec(log, cqes[i].flags, "%s.%llu.flags", tag,
		       (unsigned long long)cqes[i].user_data);
	}
}

/* Submit the SQE prepared last and wait: its res, or how that failed. */
static inline int xt_one(struct __test_metadata *_metadata, struct xt_ring *r,
			 struct xuring_cqe *cqe)
{
	int ret = xt_submit_one(r, cqe);

	EXPECT_EQ(0, ret);
	return ret ? ret : cqe->res;
}

/*
 * Scenario signature: it runs on one kind, ASSERTs what must hold on every
 * kind, and records into log what must be equal across kinds.
 */
#define XT_SCENARIO(name)						\
	static void scenario_##name(struct __test_metadata *_metadata,		\
			 enum xt_kind kind, struct xt_log *log)

/*
 * Run a scenario on xuring, then on native io_uring, and require the two
 * logs to be equal. No native io_uring: the native half SKIPs the test
 * (after the xuring half passed). No xuring on a host run: native only.
 */
#define XT_DIFF(scenario) do {						\
	struct xt_log *__xl = xt_log_new(), *__nl = xt_log_new();	\
	bool __have_x = xt_xuring_present();				\
	ASSERT_NE(NULL, __xl);						\
	ASSERT_NE(NULL, __nl);						\
	if (!__have_x)							\
		XT_NEED_XURING_OR_CONTINUE();				\
	if (__have_x)							\
		scenario_##scenario(_metadata, XT_XURING, __xl);			\
	if (!_metadata->passed) {					\
		TH_LOG("failed in the xuring half");			\
		return;							\
	}								\
	if (!xt_native_available()) {					\
		SKIP(return, "native io_uring unavailable (xuring half %s)",\
		     __have_x ? "passed" : "not run");			\
	}								\
	scenario_##scenario(_metadata, XT_NATIVE, __nl);				\
	if (!_metadata->passed) {					\
		TH_LOG("failed in the native half");			\
		return;							\
	}								\
	if (!__have_x)							\
		SKIP(return, "native half passed; no /dev/xuring");	\
	ASSERT_FALSE(__xl->truncated);					\
	ASSERT_EQ(0, xt_log_diff(__xl, __nl, stderr))			\
		TH_LOG("xuring and native io_uring differ");		\
	xt_log_free(__xl);						\
	xt_log_free(__nl);						\
} while (0)

#define XT_NEED_XURING_OR_CONTINUE() do {				\
	if (!xt_xuring_optional())					\
		ASSERT_TRUE(xt_xuring_present())			\
			TH_LOG("/dev/xuring is missing: module not loaded?");\
} while (0)

/* Native-only reference half of a test that is specified for xuring. */
#define XT_NATIVE_OR_SKIP() do {					\
	if (_metadata->passed && !xt_native_available())		\
		SKIP(return, "native io_uring unavailable");		\
} while (0)

#endif /* __KSELFTEST_HARNESS_H */

#endif /* XTEST_H */
