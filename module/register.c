// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_IOC_REGISTER: the io_uring_register(2) opcodes, and the per-ring
 * state only they set: the eventfd, personalities, restrictions and the
 * R_DISABLED state. The opcodes run under uring_lock; unlike 5.10 none of
 * them waits for the requests in flight to finish first.
 */
#include <linux/bitops.h>
#include <linux/cred.h>
#include <linux/eventfd.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "core.h"
#include "opdef.h"
#include "policy.h"
#include "register.h"
#include "rsrc.h"
#include "sqpoll.h"

/* The most probe entries a caller may ask for, as io_uring allows. */
#define XR_PROBE_MAX_ARGS	256
/* The most restriction entries one REGISTER_RESTRICTIONS may hold. */
#define XR_MAX_RESTRICTIONS	(XURING_RESTRICTION_LAST + \
				 XURING_REGISTER_LAST + XURING_OP_LAST)

struct xr_eventfd {
	struct eventfd_ctx *cq_ev_fd;
	bool async;			/* REGISTER_EVENTFD_ASYNC */
	/* a signal that came inside another eventfd's wakeup, done later */
	struct work_struct work;
};

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
		const struct xr_op_def *def = &xr_op_defs[i];

		p->ops[i].op = i;
		if (!def->not_supported && !xr_op_denied(i) &&
		    (!def->available || def->available()))
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

/* ---- eventfd ---- */

static void xr_eventfd_work(struct work_struct *work)
{
	struct xr_eventfd *ev = container_of(work, struct xr_eventfd, work);

	xr_eventfd_signal_one(ev->cq_ev_fd);
}

/* Whether what is completed here is completed outside the submit call. */
static bool xr_completing_async(struct xr_ring_ctx *ctx)
{
	return !in_task() || READ_ONCE(ctx->submit_task) != current;
}

/*
 * CQEs were posted: signal the registered eventfd, unless userspace set
 * XURING_CQ_EVENTFD_DISABLED or, for EVENTFD_ASYNC, they were completed
 * in the submit call. Any context.
 */
void __xr_eventfd_signal(struct xr_ring_ctx *ctx)
{
	struct xr_eventfd *ev;

	rcu_read_lock();
	ev = rcu_dereference(ctx->ev_fd);
	if (ev &&
	    !(READ_ONCE(ctx->rings->cq_flags) & XURING_CQ_EVENTFD_DISABLED) &&
	    (!ev->async || xr_completing_async(ctx))) {
		/* eventfd refuses to be signalled from inside its own wakeup */
		if (eventfd_signal_allowed())
			xr_eventfd_signal_one(ev->cq_ev_fd);
		else
			queue_work(system_unbound_wq, &ev->work);
	}
	rcu_read_unlock();
}

static int xr_eventfd_register(struct xr_ring_ctx *ctx, void __user *arg,
			       bool async)
{
	struct xr_eventfd *ev;
	__s32 fd;
	int ret;

	if (rcu_dereference_protected(ctx->ev_fd,
				      lockdep_is_held(&ctx->uring_lock)))
		return -EBUSY;
	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	ev = kmalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);
	if (!ev)
		return -ENOMEM;
	ev->cq_ev_fd = eventfd_ctx_fdget(fd);
	if (IS_ERR(ev->cq_ev_fd)) {
		ret = PTR_ERR(ev->cq_ev_fd);
		kfree(ev);
		return ret;
	}
	ev->async = async;
	INIT_WORK(&ev->work, xr_eventfd_work);
	rcu_assign_pointer(ctx->ev_fd, ev);
	return 0;
}

static void xr_eventfd_free(struct xr_eventfd *ev)
{
	flush_work(&ev->work);
	eventfd_ctx_put(ev->cq_ev_fd);
	kfree(ev);
}

static int xr_eventfd_unregister(struct xr_ring_ctx *ctx)
{
	struct xr_eventfd *ev;

	ev = rcu_dereference_protected(ctx->ev_fd,
				       lockdep_is_held(&ctx->uring_lock));
	if (!ev)
		return -ENXIO;
	RCU_INIT_POINTER(ctx->ev_fd, NULL);
	/* a completion elsewhere may be signalling it right now */
	synchronize_rcu();
	xr_eventfd_free(ev);
	return 0;
}

/* ---- personalities ---- */

/* REGISTER_PERSONALITY: the caller's credentials, under a new id. */
static int xr_register_personality(struct xr_ring_ctx *ctx)
{
	const struct cred *creds = get_current_cred();
	u32 id;
	int ret;

	/* 5.10's ids: 1 to 65534, handed out cyclically */
	ret = xa_alloc_cyclic(&ctx->personalities, &id, (void *)creds,
			      XA_LIMIT(1, USHRT_MAX - 1), &ctx->pers_next,
			      GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		put_cred(creds);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	return id;
}

static int xr_unregister_personality(struct xr_ring_ctx *ctx, unsigned int id)
{
	const struct cred *creds = xa_erase(&ctx->personalities, id);

	if (!creds)
		return -EINVAL;
	put_cred(creds);
	return 0;
}

/* ---- restrictions and enabling ---- */

/* REGISTER_RESTRICTIONS, once, on a ring that starts disabled. */
static int xr_register_restrictions(struct xr_ring_ctx *ctx, void __user *arg,
				    unsigned int nr_args)
{
	struct xr_restrictions *r = &ctx->restrictions;
	struct xuring_restriction *res;
	unsigned int i;
	int ret = 0;

	if (!ctx->r_disabled)
		return -EBADFD;
	if (r->registered)
		return -EBUSY;
	if (!arg || nr_args > XR_MAX_RESTRICTIONS)
		return -EINVAL;
	res = memdup_user(arg, array_size(nr_args, sizeof(*res)));
	if (IS_ERR(res))
		return PTR_ERR(res);

	for (i = 0; i < nr_args && !ret; i++) {
		switch (res[i].opcode) {
		case XURING_RESTRICTION_REGISTER_OP:
			if (res[i].register_op >= XURING_REGISTER_LAST)
				ret = -EINVAL;
			else
				__set_bit(res[i].register_op, r->register_op);
			break;
		case XURING_RESTRICTION_SQE_OP:
			if (res[i].sqe_op >= XURING_OP_LAST)
				ret = -EINVAL;
			else
				__set_bit(res[i].sqe_op, r->sqe_op);
			break;
		case XURING_RESTRICTION_SQE_FLAGS_ALLOWED:
			r->sqe_flags_allowed = res[i].sqe_flags;
			break;
		case XURING_RESTRICTION_SQE_FLAGS_REQUIRED:
			r->sqe_flags_required = res[i].sqe_flags;
			break;
		default:
			ret = -EINVAL;
			break;
		}
	}
	/* all or nothing */
	if (ret)
		memset(r, 0, sizeof(*r));
	else
		r->registered = true;
	kfree(res);
	return ret;
}

/* ENABLE_RINGS: enforce the restrictions, accept ENTER, start SQPOLL. */
static int xr_enable_rings(struct xr_ring_ctx *ctx, bool *start_sq)
{
	if (!ctx->r_disabled)
		return -EBADFD;
	/* SINGLE_ISSUER: the task that enables it, as in 6.1 */
	if ((ctx->flags & XURING_SETUP_SINGLE_ISSUER) && !ctx->issuer)
		WRITE_ONCE(ctx->issuer, get_task_struct(current));
	if (ctx->restrictions.registered)
		ctx->restricted = true;
	WRITE_ONCE(ctx->r_disabled, false);
	*start_sq = !!ctx->sq_data;
	return 0;
}

static bool xr_restriction_allows(struct xr_restrictions *r, u8 opcode,
				  unsigned int sqe_flags)
{
	if (!test_bit(opcode, r->sqe_op))
		return false;
	if ((sqe_flags & r->sqe_flags_required) != r->sqe_flags_required)
		return false;
	return !(sqe_flags & ~(r->sqe_flags_allowed | r->sqe_flags_required));
}

/* See xr_req_init_regs(). req->flags holds just the SQE's flags yet. */
int __xr_req_init_regs(struct xr_ring_ctx *ctx, struct xr_req *req,
		       const struct xr_op_def *def,
		       const struct xuring_sqe *sqe)
{
	const struct cred *creds;
	u16 id;

	if (ctx->restricted &&
	    !xr_restriction_allows(&ctx->restrictions, req->opcode, req->flags))
		return -EACCES;
	if ((req->flags & XURING_SQE_BUFFER_SELECT) && !def->buffer_select)
		return -EOPNOTSUPP;
	/* what native 6.1 allows there; 5.10 refused NOP too */
	if ((ctx->flags & XURING_SETUP_IOPOLL) && !def->iopoll)
		return -EINVAL;

	id = READ_ONCE(sqe->personality);
	if (id) {
		/* uring_lock is held: the id cannot go away under us */
		creds = xa_load(&ctx->personalities, id);
		if (!creds)
			return -EINVAL;
		req->creds = get_cred(creds);
		req->flags |= XR_REQ_F_OWN_CREDS | XR_REQ_F_PERSONALITY;
	}
	return 0;
}

/* The ring is freed: drop what only the register opcodes set up. */
void xr_register_ctx_free(struct xr_ring_ctx *ctx)
{
	const struct cred *creds;
	struct xr_eventfd *ev;
	unsigned long id;

	xa_for_each(&ctx->personalities, id, creds)
		put_cred(creds);
	xa_destroy(&ctx->personalities);

	/* no request is left to signal it */
	ev = rcu_dereference_protected(ctx->ev_fd, true);
	if (ev) {
		RCU_INIT_POINTER(ctx->ev_fd, NULL);
		xr_eventfd_free(ev);
	}
}

long xr_register(struct xr_ring_ctx *ctx,
		 struct xuring_register_args __user *uargs)
{
	struct xuring_register_args args;
	bool start_sq = false;
	void __user *arg;
	long ret;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	/* SINGLE_ISSUER: another task may not register, any opcode (6.1) */
	if (xr_not_the_issuer(ctx))
		return -EEXIST;
	if (args.opcode >= XURING_REGISTER_LAST)
		return -EINVAL;
	arg = u64_to_user_ptr(args.arg);

	mutex_lock(&ctx->uring_lock);
	if (ctx->restricted &&
	    !test_bit(args.opcode, ctx->restrictions.register_op)) {
		ret = -EACCES;
		goto out;
	}

	switch (args.opcode) {
	case XURING_REGISTER_BUFFERS:
		ret = xr_register_buffers(ctx, arg, args.nr_args);
		break;
	case XURING_UNREGISTER_BUFFERS:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_unregister_buffers(ctx);
		break;
	case XURING_REGISTER_FILES:
		ret = xr_register_files(ctx, arg, args.nr_args);
		break;
	case XURING_UNREGISTER_FILES:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_unregister_files(ctx);
		break;
	case XURING_REGISTER_FILES_UPDATE:
		ret = xr_register_files_update(ctx, arg, args.nr_args);
		break;
	case XURING_REGISTER_EVENTFD:
	case XURING_REGISTER_EVENTFD_ASYNC:
		ret = -EINVAL;
		if (args.nr_args != 1)
			break;
		ret = xr_eventfd_register(ctx, arg, args.opcode ==
					  XURING_REGISTER_EVENTFD_ASYNC);
		break;
	case XURING_UNREGISTER_EVENTFD:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_eventfd_unregister(ctx);
		break;
	case XURING_REGISTER_PROBE:
		ret = -EINVAL;
		if (!arg || args.nr_args > XR_PROBE_MAX_ARGS)
			break;
		ret = xr_probe(arg, args.nr_args);
		break;
	case XURING_REGISTER_PERSONALITY:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_register_personality(ctx);
		break;
	case XURING_UNREGISTER_PERSONALITY:
		ret = -EINVAL;
		if (arg)
			break;
		ret = xr_unregister_personality(ctx, args.nr_args);
		break;
	case XURING_REGISTER_RESTRICTIONS:
		ret = xr_register_restrictions(ctx, arg, args.nr_args);
		break;
	case XURING_REGISTER_ENABLE_RINGS:
		ret = -EINVAL;
		if (arg || args.nr_args)
			break;
		ret = xr_enable_rings(ctx, &start_sq);
		break;
	default:
		ret = -EINVAL;
		break;
	}
out:
	mutex_unlock(&ctx->uring_lock);
	/* the SQ thread takes uring_lock under its own lock: not in there */
	if (start_sq)
		xr_sqpoll_start(ctx);
	return ret;
}
