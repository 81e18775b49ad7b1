// SPDX-License-Identifier: GPL-2.0
/*
 * Admin policy, as module parameters (writable at run time under
 * /sys/module/xuring/parameters/): opcodes to deny, the largest ring, how
 * many rings one user may have, and whether SQPOLL needs CAP_SYS_ADMIN.
 */
#include <linux/hashtable.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "opdef.h"
#include "policy.h"

unsigned int xr_max_entries = 32768;
module_param_named(max_entries, xr_max_entries, uint, 0644);
MODULE_PARM_DESC(max_entries,
		 "Largest SQ a ring may have (1..32768, default 32768); the CQ may be twice that");

bool xr_sqpoll_unprivileged;
module_param_named(sqpoll_unprivileged, xr_sqpoll_unprivileged, bool, 0644);
MODULE_PARM_DESC(sqpoll_unprivileged,
		 "Allow XURING_SETUP_SQPOLL without CAP_SYS_ADMIN (default N, as in 5.10)");

static unsigned int xr_max_rings_per_user = 1024;
module_param_named(max_rings_per_user, xr_max_rings_per_user, uint, 0644);
MODULE_PARM_DESC(max_rings_per_user,
		 "Rings one user may have set up at once; more is -EMFILE (default 1024, 0: no limit)");

unsigned long xr_denied_ops[BITS_TO_LONGS(XURING_OP_LAST)];

/* "READ,WRITEV,30": opcode names or numbers, comma-separated; "" for none. */
static int xr_deny_ops_set(const char *val, const struct kernel_param *kp)
{
	DECLARE_BITMAP(ops, XURING_OP_LAST);
	char *buf, *cur, *tok;
	int ret = 0;

	buf = kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	bitmap_zero(ops, XURING_OP_LAST);
	cur = strim(buf);
	while ((tok = strsep(&cur, ",")) != NULL) {
		unsigned int op;

		tok = strim(tok);
		if (!*tok)
			continue;
		if (kstrtouint(tok, 0, &op)) {
			for (op = 0; op < XURING_OP_LAST; op++)
				if (!strcasecmp(tok, xr_op_defs[op].name))
					break;
		}
		if (op >= XURING_OP_LAST) {
			ret = -EINVAL;
			break;
		}
		__set_bit(op, ops);
	}
	kfree(buf);
	if (!ret)
		bitmap_copy(xr_denied_ops, ops, XURING_OP_LAST);
	return ret;
}

static int xr_deny_ops_get(char *buffer, const struct kernel_param *kp)
{
	int op, len = 0;

	for_each_set_bit(op, xr_denied_ops, XURING_OP_LAST)
		len += scnprintf(buffer + len, PAGE_SIZE - len, "%s%s",
				 len ? "," : "", xr_op_defs[op].name);
	len += scnprintf(buffer + len, PAGE_SIZE - len, "\n");
	return len;
}

static const struct kernel_param_ops xr_deny_ops_ops = {
	.set = xr_deny_ops_set,
	.get = xr_deny_ops_get,
};
module_param_cb(deny_ops, &xr_deny_ops_ops, NULL, 0644);
MODULE_PARM_DESC(deny_ops,
		 "Opcodes to refuse (-EACCES; probe reports them unsupported): names or numbers, comma-separated");

/* Rings per user, for max_rings_per_user. */
struct xr_user_rings {
	struct hlist_node node;
	kuid_t uid;
	unsigned int count;
};

static DEFINE_HASHTABLE(xr_user_rings, 6);
static DEFINE_MUTEX(xr_user_rings_lock);

static struct xr_user_rings *xr_user_rings_find(kuid_t uid)
{
	struct xr_user_rings *ur;

	hash_for_each_possible(xr_user_rings, ur, node, __kuid_val(uid))
		if (uid_eq(ur->uid, uid))
			return ur;
	return NULL;
}

/* Count a ring for @uid: -EMFILE past max_rings_per_user. */
int xr_policy_ring_get(kuid_t uid)
{
	unsigned int max = READ_ONCE(xr_max_rings_per_user);
	struct xr_user_rings *ur;
	int ret = 0;

	mutex_lock(&xr_user_rings_lock);
	ur = xr_user_rings_find(uid);
	if (!ur) {
		ur = kzalloc(sizeof(*ur), GFP_KERNEL);
		if (!ur) {
			ret = -ENOMEM;
			goto out;
		}
		ur->uid = uid;
		hash_add(xr_user_rings, &ur->node, __kuid_val(uid));
	}
	if (max && ur->count >= max) {
		ret = -EMFILE;
		if (!ur->count) {
			hash_del(&ur->node);
			kfree(ur);
		}
		goto out;
	}
	ur->count++;
out:
	mutex_unlock(&xr_user_rings_lock);
	return ret;
}

void xr_policy_ring_put(kuid_t uid)
{
	struct xr_user_rings *ur;

	mutex_lock(&xr_user_rings_lock);
	ur = xr_user_rings_find(uid);
	if (!WARN_ON_ONCE(!ur) && !--ur->count) {
		hash_del(&ur->node);
		kfree(ur);
	}
	mutex_unlock(&xr_user_rings_lock);
}

void xr_policy_exit(void)
{
	WARN_ON_ONCE(!hash_empty(xr_user_rings));
}
