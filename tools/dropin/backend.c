// SPDX-License-Identifier: MIT
/*
 * The drop-in's backends: which one a new ring gets (native io_uring, or
 * /dev/xuring when the system calls are refused), and the three calls on each.
 *
 * The ring layout is the same on both, so everything above this file is one
 * code path. The xuring side is libxuring's own call layer
 * (tools/lib/syscall.c, linked in): xuring_open/setup/enter2/register.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/xuring.h>
#include <xuring/xuring.h>

#include "dropin.h"

/* The ring ABI is one: the setup parameters must be too. */
_Static_assert(sizeof(struct io_uring_params) == sizeof(struct xuring_params),
	       "io_uring_params and xuring_params differ");
_Static_assert(offsetof(struct io_uring_params, sq_off) ==
	       offsetof(struct xuring_params, sq_off), "sq_off moved");
_Static_assert(offsetof(struct io_uring_params, cq_off) ==
	       offsetof(struct xuring_params, cq_off), "cq_off moved");
_Static_assert(IORING_ENTER_GETEVENTS == XURING_ENTER_GETEVENTS &&
	       IORING_ENTER_SQ_WAKEUP == XURING_ENTER_SQ_WAKEUP &&
	       IORING_ENTER_SQ_WAIT == XURING_ENTER_SQ_WAIT,
	       "enter flags differ");

enum backend { BACKEND_AUTO, BACKEND_NATIVE, BACKEND_XURING };

/*
 * liburing 2.3 makes its system calls without libc, so errno is never
 * touched by it, and programs print errno next to its -errno results
 * (QEMU does: "failed to init linux io_uring ring"). The drop-in's calls
 * through libc leave errno as they found it too.
 */
static int keep_errno(long ret, int saved)
{
	int err = ret < 0 ? -errno : (int)ret;

	errno = saved;
	return err;
}

static int sys_setup(unsigned int entries, struct io_uring_params *p)
{
	int saved = errno;

	return keep_errno(syscall(__NR_io_uring_setup, entries, p), saved);
}

static int sys_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		     unsigned int flags, const void *arg, size_t argsz)
{
	int saved = errno;

	return keep_errno(syscall(__NR_io_uring_enter, fd, to_submit,
				  min_complete, flags, arg, argsz), saved);
}

static int sys_register(int fd, unsigned int opcode, const void *arg,
			unsigned int nr_args)
{
	int saved = errno;

	return keep_errno(syscall(__NR_io_uring_register, fd, opcode, arg,
				  nr_args), saved);
}

static bool debug_on(void)
{
	const char *d = getenv("XURING_DEBUG");

	return d && *d && strcmp(d, "0");
}

static void __attribute__((format(printf, 1, 2))) debug(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!debug_on())
		return;
	va_start(ap, fmt);
	fputs("xuring: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	errno = saved;
}

static enum backend backend_wanted(void)
{
	const char *b = getenv("XURING_BACKEND");

	if (!b || !*b || !strcmp(b, "auto"))
		return BACKEND_AUTO;
	if (!strcmp(b, "native"))
		return BACKEND_NATIVE;
	if (!strcmp(b, "xuring"))
		return BACKEND_XURING;
	fprintf(stderr, "xuring: XURING_BACKEND=%s: want auto, native or xuring; using auto\n",
		b);
	return BACKEND_AUTO;
}

/*
 * The errors that mean "io_uring is not for this process": no system call
 * (compiled out, or seccomp's ENOSYS), EPERM (seccomp as Docker's default
 * profile answers, kernel.io_uring_disabled), EACCES (an LSM). Anything
 * else (EINVAL for flags the kernel does not know, ENOMEM, EMFILE) is the
 * kernel answering the request, and goes back to the program unchanged.
 */
static bool refused(int err)
{
	return err == -ENOSYS || err == -EPERM || err == -EACCES;
}

/*
 * A ring on /dev/xuring; *opened says whether the device could be opened
 * (if not, xuring is simply not there for this process).
 */
static int xuring_ring(unsigned int entries, struct io_uring_params *p,
		       bool *opened)
{
	int saved = errno, fd, ret;

	*opened = true;
	if (!p)		/* what the kernel says to a NULL params pointer */
		return -EFAULT;
	fd = xuring_open();
	*opened = fd >= 0;
	if (fd >= 0) {
		p->sq_entries = entries;
		ret = xuring_setup(fd, (struct xuring_params *)p);
		if (ret < 0) {
			close(fd);
			fd = ret;
		}
	}
	errno = saved;
	return fd;
}

/*
 * Set a ring up on the backend XURING_BACKEND asks for (auto: native, then
 * xuring if native is refused). Returns the ring fd or -errno; *on_xuring
 * says where it lives.
 */
int dropin_setup(unsigned int entries, struct io_uring_params *p,
		 bool *on_xuring)
{
	enum backend want = backend_wanted();
	struct io_uring_params in;
	int fd, native_err = 0;
	bool opened;

	*on_xuring = false;
	if (p)
		in = *p;
	if (want != BACKEND_XURING) {
		fd = sys_setup(entries, p);
		if (fd >= 0) {
			debug("ring fd %d: native io_uring", fd);
			return fd;
		}
		if (want == BACKEND_NATIVE || !refused(fd)) {
			debug("native io_uring_setup: %s%s", strerror(-fd),
			      want == BACKEND_NATIVE ? " (XURING_BACKEND=native)" : "");
			return fd;
		}
		native_err = fd;
		if (p)
			*p = in;
	}

	fd = xuring_ring(entries, p, &opened);
	if (fd < 0) {
		debug("/dev/xuring: %s", strerror(-fd));
		if (p)
			*p = in;
		/*
		 * auto without a usable /dev/xuring: the program sees what the
		 * kernel said, as without the drop-in. Once the device is open,
		 * its answer to the request (EINVAL, EFAULT, ENOMEM) is the one.
		 */
		return native_err && !opened ? native_err : fd;
	}
	*on_xuring = true;
	if (native_err)
		debug("ring fd %d: /dev/xuring (io_uring_setup: %s)", fd,
		      strerror(-native_err));
	else
		debug("ring fd %d: /dev/xuring (XURING_BACKEND=xuring)", fd);
	return fd;
}

/*
 * A ring fd the program got from io_uring_setup() and hands back: a
 * /dev/xuring file is a character device, an io_uring fd an anonymous inode.
 */
bool dropin_fd_is_xuring(int fd)
{
	int saved = errno;
	struct stat st;
	bool chr = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);

	errno = saved;
	return chr;
}

static int xuring_enter_fd(int fd, unsigned int to_submit,
			   unsigned int min_complete, unsigned int flags,
			   const void *arg, size_t argsz)
{
	/* no registered ring fds: an ioctl looks its fd up anyway */
	if (flags & ~(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP |
		      IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG))
		return -EINVAL;
	int saved = errno, ret;

	/* the kernel side checks the sigset's size, as io_uring_enter(2) */
	ret = xuring_enter2(fd, to_submit, min_complete, flags, arg,
			    arg ? argsz : DROPIN_SIGSET_SIZE);
	errno = saved;
	return ret;
}

static int xuring_register_fd(int fd, unsigned int opcode, const void *arg,
			      unsigned int nr_args)
{
	int saved = errno, ret = xuring_register(fd, opcode, arg, nr_args);

	errno = saved;
	return ret;
}

int dropin_enter(struct xuring *ring, unsigned int to_submit,
		 unsigned int min_complete, unsigned int flags,
		 const void *arg, size_t argsz)
{
	if (ring->int_flags & DROPIN_INT_XURING)
		return xuring_enter_fd(ring->ring_fd, to_submit, min_complete,
				       flags, arg, argsz);
	if (ring->int_flags & DROPIN_INT_REG_RING)
		flags |= IORING_ENTER_REGISTERED_RING;
	return sys_enter(ring->enter_ring_fd, to_submit, min_complete, flags,
			 arg, argsz);
}

int dropin_register(struct xuring *ring, unsigned int opcode,
		    const void *arg, unsigned int nr_args)
{
	if (ring->int_flags & DROPIN_INT_XURING)
		return xuring_register_fd(ring->ring_fd, opcode, arg, nr_args);
	return sys_register(ring->ring_fd, opcode, arg, nr_args);
}

/*
 * liburing 2.3's raw calls: -errno on failure, as liburing's own (it makes
 * the system calls without libc's errno). The fd says the backend, except
 * for a registered ring's index, which only native rings have.
 */
int io_uring_setup(unsigned int entries, struct io_uring_params *p)
{
	bool on_xuring;

	return dropin_setup(entries, p, &on_xuring);
}

int io_uring_enter2(unsigned int fd, unsigned int to_submit,
		    unsigned int min_complete, unsigned int flags,
		    sigset_t *sig, size_t sz)
{
	if (!(flags & IORING_ENTER_REGISTERED_RING) &&
	    dropin_fd_is_xuring((int)fd))
		return xuring_enter_fd((int)fd, to_submit, min_complete, flags,
				       sig, sz);
	return sys_enter((int)fd, to_submit, min_complete, flags, sig, sz);
}

int io_uring_enter(unsigned int fd, unsigned int to_submit,
		   unsigned int min_complete, unsigned int flags, sigset_t *sig)
{
	return io_uring_enter2(fd, to_submit, min_complete, flags, sig,
			       DROPIN_SIGSET_SIZE);
}

int io_uring_register(unsigned int fd, unsigned int opcode, const void *arg,
		      unsigned int nr_args)
{
	if (dropin_fd_is_xuring((int)fd))
		return xuring_register_fd((int)fd, opcode, arg, nr_args);
	return sys_register((int)fd, opcode, arg, nr_args);
}
