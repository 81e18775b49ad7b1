// SPDX-License-Identifier: MIT
/*
 * libxuring: everything that touches /dev/xuring itself: opening it and the
 * three ioctls that stand in for io_uring's system calls. Each returns the
 * call's value, or a negative errno. (test/native-shim.c replaces this file
 * to run the library against the host's io_uring.)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "lib.h"

int xuring_open(void)
{
	int fd = open(XURING_DEV_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int xuring_setup(int fd, struct xuring_params *p)
{
	int ret = ioctl(fd, XURING_IOC_SETUP, p);

	return ret < 0 ? -errno : ret;
}

/*
 * What a failed ENTER or REGISTER ioctl returns. An fd that is not a ring
 * (a pipe, a file) has no such ioctl and answers ENOTTY, where the
 * io_uring_enter(2) and io_uring_register(2) system calls answer
 * EOPNOTSUPP: report theirs. A closed fd is EBADF either way.
 */
static int ring_call_error(void)
{
	return errno == ENOTTY ? -EOPNOTSUPP : -errno;
}

int xuring_enter2(int fd, unsigned int to_submit, unsigned int min_complete,
		  unsigned int flags, const sigset_t *sig, size_t sigsz)
{
	struct xuring_enter_args args = {
		.to_submit	= to_submit,
		.min_complete	= min_complete,
		.flags		= flags,
		.sigmask	= (uint64_t)(uintptr_t)sig,
		.sigmask_sz	= sigsz,
	};
	int ret = ioctl(fd, XURING_IOC_ENTER, &args);

	return ret < 0 ? ring_call_error() : ret;
}

int xuring_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		 unsigned int flags, const sigset_t *sig)
{
	return xuring_enter2(fd, to_submit, min_complete, flags, sig,
			     XURING_KERNEL_SIGSET_SIZE);
}

int xuring_register(int fd, unsigned int opcode, const void *arg,
		    unsigned int nr_args)
{
	struct xuring_register_args args = {
		.opcode		= opcode,
		.nr_args	= nr_args,
		.arg		= (uint64_t)(uintptr_t)arg,
	};
	int ret = ioctl(fd, XURING_IOC_REGISTER, &args);

	return ret < 0 ? ring_call_error() : ret;
}
