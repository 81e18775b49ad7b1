// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_IOC_REGISTER: the io_uring_register(2) opcodes. Opcodes xuring
 * does not implement are -EINVAL, as unknown ones are.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "core.h"
#include "opdef.h"
#include "policy.h"
#include "register.h"
#include "rsrc.h"

/* The most probe entries a caller may ask for, as io_uring allows. */
#define XR_PROBE_MAX_ARGS	256

/* REGISTER_PROBE: which opcodes this module really implements. */
static int xr_probe(void __user *arg, unsigned int nr_args)
{
	struct xuring_probe *p;
	size_t size;
	int i, ret;

	size = struct_size(p, ops, nr_args);
	p = kzalloc(size, GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	ret = -EFAULT;
	if (copy_from_user(p, arg, size))
		goto out;
	ret = -EINVAL;
	if (memchr_inv(p, 0, size))
		goto out;

	p->last_op = XURING_OP_LAST - 1;
	if (nr_args > XURING_OP_LAST)
		nr_args = XURING_OP_LAST;
	for (i = 0; i < nr_args; i++) {
		p->ops[i].op = i;
		if (!xr_op_defs[i].not_supported && !xr_op_denied(i))
			p->ops[i].flags = XURING_OP_SUPPORTED;
	}
	p->ops_len = i;

	ret = 0;
	if (copy_to_user(arg, p, size))
		ret = -EFAULT;
out:
	kfree(p);
	return ret;
}

long xr_register(struct xr_ring_ctx *ctx,
		 struct xuring_register_args __user *uargs)
{
	struct xuring_register_args args;
	void __user *arg;
	long ret;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (args.opcode >= XURING_REGISTER_LAST)
		return -EINVAL;
	arg = u64_to_user_ptr(args.arg);

	mutex_lock(&ctx->uring_lock);
	switch (args.opcode) {
	case XURING_REGISTER_FILES:
		ret = xr_register_files(ctx, arg, args.nr_args);
		break;
	case XURING_UNREGISTER_FILES:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_unregister_files(ctx);
		break;
	case XURING_REGISTER_PROBE:
		ret = -EINVAL;
		if (!arg || args.nr_args > XR_PROBE_MAX_ARGS)
			break;
		ret = xr_probe(arg, args.nr_args);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&ctx->uring_lock);
	return ret;
}
