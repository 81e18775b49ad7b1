// SPDX-License-Identifier: MIT
/*
 * Test-only stand-in for lib/syscall.c: maps the /dev/xuring calls onto the
 * host's io_uring system calls, so libxuring's ring code can be exercised
 * against a real io_uring without the module. Never part of libxuring.
 *
 * xuring_open() hands out a placeholder fd; xuring_setup() puts the new
 * io_uring fd in its place (dup3), so the "ring lives on the opened file"
 * model of /dev/xuring still holds for the library.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#pragma GCC visibility push(default)
#include <xuring/xuring.h>
#pragma GCC visibility pop

int xuring_open(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int xuring_setup(int fd, struct xuring_params *p)
{
	int rfd = (int)syscall(__NR_io_uring_setup, p->sq_entries, p);

	if (rfd < 0)
		return -errno;
	if (dup3(rfd, fd, O_CLOEXEC) < 0) {
		int err = errno;

		close(rfd);
		return -err;
	}
	close(rfd);
	return 0;
}

int xuring_enter2(int fd, unsigned int to_submit, unsigned int min_complete,
		  unsigned int flags, const sigset_t *sig, size_t sigsz)
{
	int ret = (int)syscall(__NR_io_uring_enter, fd, to_submit,
			       min_complete, flags, sig, sigsz);

	return ret < 0 ? -errno : ret;
}

int xuring_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		 unsigned int flags, const sigset_t *sig)
{
	return xuring_enter2(fd, to_submit, min_complete, flags, sig, _NSIG / 8);
}

int xuring_register(int fd, unsigned int opcode, const void *arg,
		    unsigned int nr_args)
{
	int ret = (int)syscall(__NR_io_uring_register, fd, opcode, arg,
			       nr_args);

	return ret < 0 ? -errno : ret;
}
