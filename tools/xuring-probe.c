// SPDX-License-Identifier: MIT
/*
 * xuring-probe: what the loaded xuring module offers. Prints the ring
 * features, the SQE opcodes (from XURING_REGISTER_PROBE) and the register
 * opcodes (from harmless calls on a private ring).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xuring/xuring.h>

static const char *prog = "xuring-probe";

/* A register opcode's status as shown by a harmless call. */
struct reg_result {
	bool tried;		/* a call was made */
	int ret;		/* its return value */
	const char *how;	/* what was tried */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [--json] [-h]\n"
		"Print what the xuring module offers: ring features, SQE opcodes\n"
		"(XURING_REGISTER_PROBE) and register opcodes (tried with harmless\n"
		"calls on a private ring).\n"
		"  --json   machine-readable output\n"
		"  -h       this help\n", prog);
}

/* Why opening or setting up a ring failed, in a user's words. */
static void explain_open_error(int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, XURING_DEV_PATH, strerror(err));
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		fprintf(stderr,
			"%s: is the module loaded? (insmod xuring.ko)\n", prog);
		break;
	case EACCES:
	case EPERM:
		fprintf(stderr,
			"%s: %s is root-only by default; run as root or change "
			"its mode\n", prog, XURING_DEV_PATH);
		break;
	default:
		break;
	}
}

/*
 * Each register opcode gets a call that cannot hurt anything but the
 * private ring it is made on. A successful call proves the opcode works;
 * a failure is shown with its errno, never guessed at.
 */
static void try_register_ops(struct xuring *ring, struct reg_result *r)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct iovec iov = { .iov_base = page, .iov_len = sizeof(page) };
	struct xuring_probe *probe;
	struct xuring_restriction res;
	struct xuring dis;
	int fd, efd, id, slot;

	for (int i = 0; i < XURING_REGISTER_LAST; i++)
		r[i] = (struct reg_result){ .how = "not tried" };

	probe = xuring_get_probe_ring(ring);
	r[XURING_REGISTER_PROBE].tried = true;
	r[XURING_REGISTER_PROBE].ret = probe ? 0 : -errno;
	r[XURING_REGISTER_PROBE].how = "probe ops";
	xuring_free_probe(probe);

	r[XURING_REGISTER_BUFFERS].tried = true;
	r[XURING_REGISTER_BUFFERS].ret = xuring_register_buffers(ring, &iov, 1);
	r[XURING_REGISTER_BUFFERS].how = "one 4 KiB buffer";
	if (r[XURING_REGISTER_BUFFERS].ret == 0) {
		r[XURING_UNREGISTER_BUFFERS].tried = true;
		r[XURING_UNREGISTER_BUFFERS].ret =
			xuring_unregister_buffers(ring);
		r[XURING_UNREGISTER_BUFFERS].how = "after a register";
	}

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r[XURING_REGISTER_FILES].tried = true;
		r[XURING_REGISTER_FILES].ret =
			xuring_register_files(ring, &fd, 1);
		r[XURING_REGISTER_FILES].how = "one /dev/null fd";
		if (r[XURING_REGISTER_FILES].ret == 0) {
			slot = -1;
			r[XURING_REGISTER_FILES_UPDATE].tried = true;
			r[XURING_REGISTER_FILES_UPDATE].ret =
				xuring_register_files_update(ring, 0, &slot, 1);
			r[XURING_REGISTER_FILES_UPDATE].how =
				"clear slot 0";
			r[XURING_UNREGISTER_FILES].tried = true;
			r[XURING_UNREGISTER_FILES].ret =
				xuring_unregister_files(ring);
			r[XURING_UNREGISTER_FILES].how = "after a register";
		}
		close(fd);
	}

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd >= 0) {
		r[XURING_REGISTER_EVENTFD].tried = true;
		r[XURING_REGISTER_EVENTFD].ret =
			xuring_register_eventfd(ring, efd);
		r[XURING_REGISTER_EVENTFD].how = "an eventfd";
		if (r[XURING_REGISTER_EVENTFD].ret == 0) {
			r[XURING_UNREGISTER_EVENTFD].tried = true;
			r[XURING_UNREGISTER_EVENTFD].ret =
				xuring_unregister_eventfd(ring);
			r[XURING_UNREGISTER_EVENTFD].how = "after a register";
		}
		r[XURING_REGISTER_EVENTFD_ASYNC].tried = true;
		r[XURING_REGISTER_EVENTFD_ASYNC].ret =
			xuring_register_eventfd_async(ring, efd);
		r[XURING_REGISTER_EVENTFD_ASYNC].how = "an eventfd";
		if (r[XURING_REGISTER_EVENTFD_ASYNC].ret == 0)
			xuring_unregister_eventfd(ring);
		close(efd);
	}

	id = xuring_register_personality(ring);
	r[XURING_REGISTER_PERSONALITY].tried = true;
	r[XURING_REGISTER_PERSONALITY].ret = id;
	r[XURING_REGISTER_PERSONALITY].how = "current credentials";
	if (id > 0) {
		r[XURING_UNREGISTER_PERSONALITY].tried = true;
		r[XURING_UNREGISTER_PERSONALITY].ret =
			xuring_unregister_personality(ring, id);
		r[XURING_UNREGISTER_PERSONALITY].how = "after a register";
	}

	/* Restrictions and enabling need a ring that starts disabled. */
	if (xuring_queue_init(2, &dis, XURING_SETUP_R_DISABLED) < 0) {
		r[XURING_REGISTER_RESTRICTIONS].how =
			"not tried: no R_DISABLED ring";
		r[XURING_REGISTER_ENABLE_RINGS].how =
			"not tried: no R_DISABLED ring";
		return;
	}
	memset(&res, 0, sizeof(res));
	res.opcode = XURING_RESTRICTION_SQE_OP;
	res.sqe_op = XURING_OP_NOP;
	r[XURING_REGISTER_RESTRICTIONS].tried = true;
	r[XURING_REGISTER_RESTRICTIONS].ret =
		xuring_register_restrictions(&dis, &res, 1);
	r[XURING_REGISTER_RESTRICTIONS].how = "allow NOP, R_DISABLED ring";
	r[XURING_REGISTER_ENABLE_RINGS].tried = true;
	r[XURING_REGISTER_ENABLE_RINGS].ret = xuring_enable_rings(&dis);
	r[XURING_REGISTER_ENABLE_RINGS].how = "R_DISABLED ring";
	xuring_queue_exit(&dis);
}

static const char *errno_name(int err)
{
	switch (err) {
	case EINVAL:	return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOMEM:	return "ENOMEM";
	case EFAULT:	return "EFAULT";
	case EBADF:	return "EBADF";
	case EBUSY:	return "EBUSY";
	case ENXIO:	return "ENXIO";
	case EPERM:	return "EPERM";
	case EACCES:	return "EACCES";
	case EBADFD:	return "EBADFD";
	case EMFILE:	return "EMFILE";
	case EEXIST:	return "EEXIST";
	case ENOSYS:	return "ENOSYS";
	case ENOTTY:	return "ENOTTY";
	default:	return NULL;
	}
}

/* "yes", "no" (the module rejected the opcode) or "unknown". */
static const char *reg_verdict(const struct reg_result *r)
{
	int ret = r->ret;

	if (!r->tried)
		return "unknown";
	if (ret >= 0)
		return "yes";
	if (ret == -EINVAL || ret == -EOPNOTSUPP || ret == -ENOTTY)
		return "no";
	return "unknown";
}

static void format_ret(char *buf, size_t len, const struct reg_result *r)
{
	int ret = r->ret;
	const char *name;

	if (!r->tried) {
		snprintf(buf, len, "-");
	} else if (ret >= 0) {
		snprintf(buf, len, "%d", ret);
	} else {
		name = errno_name(-ret);
		if (name)
			snprintf(buf, len, "-%s", name);
		else
			snprintf(buf, len, "%d", ret);
	}
}

/* The setup flags, each tried on a throwaway ring of its own. */
static const struct {
	unsigned int flag;
	const char *name;
} setup_flags[] = {
	{ XURING_SETUP_IOPOLL,		"IOPOLL" },
	{ XURING_SETUP_SQPOLL,		"SQPOLL" },
	{ XURING_SETUP_SQ_AFF,		"SQ_AFF" },
	{ XURING_SETUP_CQSIZE,		"CQSIZE" },
	{ XURING_SETUP_CLAMP,		"CLAMP" },
	{ XURING_SETUP_ATTACH_WQ,	"ATTACH_WQ" },
	{ XURING_SETUP_R_DISABLED,	"R_DISABLED" },
	{ XURING_SETUP_SUBMIT_ALL,	"SUBMIT_ALL" },
	{ XURING_SETUP_COOP_TASKRUN,	"COOP_TASKRUN" },
	{ XURING_SETUP_TASKRUN_FLAG | XURING_SETUP_COOP_TASKRUN,
					"TASKRUN_FLAG" },
	{ XURING_SETUP_SINGLE_ISSUER,	"SINGLE_ISSUER" },
};
#define NR_SETUP_FLAGS	(sizeof(setup_flags) / sizeof(setup_flags[0]))

/* 0 when a ring set up with @flag (and what it needs) is accepted. */
static int try_setup_flag(unsigned int flag, int attach_fd)
{
	struct xuring_params p;
	int fd, ret;

	fd = xuring_open();
	if (fd < 0)
		return fd;
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	p.flags = flag;
	if (flag == XURING_SETUP_SQ_AFF)
		p.flags |= XURING_SETUP_SQPOLL;
	if (flag == XURING_SETUP_CQSIZE)
		p.cq_entries = 16;
	if (flag == XURING_SETUP_ATTACH_WQ)
		p.wq_fd = attach_fd;
	ret = xuring_setup(fd, &p);
	close(fd);
	return ret;
}

static void try_setup_flags(int ring_fd, int *res)
{
	for (unsigned int i = 0; i < NR_SETUP_FLAGS; i++)
		res[i] = try_setup_flag(setup_flags[i].flag, ring_fd);
}

static void print_text(const struct xuring_params *p,
		       const struct xuring_probe *probe, int probe_err,
		       const struct reg_result *r, const int *setup_res)
{
	unsigned int unknown = p->features;
	char buf[32];

	printf("xuring on %s: sq_entries %u, cq_entries %u\n\n",
	       XURING_DEV_PATH, p->sq_entries, p->cq_entries);

	printf("features (0x%08x):\n", p->features);
	for (unsigned int bit = 0; bit < 32; bit++) {
		unsigned int f = 1U << bit;
		const char *name = xuring_feature_name(f);

		if (!name)
			continue;
		printf("  %-18s %s\n", name, (p->features & f) ? "yes" : "no");
		unknown &= ~f;
	}
	if (unknown)
		printf("  unknown bits       0x%08x\n", unknown);

	printf("\nsetup flags (a throwaway ring each):\n");
	for (unsigned int i = 0; i < NR_SETUP_FLAGS; i++)
		printf("  %-18s %s\n", setup_flags[i].name,
		       !setup_res[i] ? "yes" : setup_res[i] == -EPERM ?
		       "yes (needs privileges)" : setup_res[i] == -EINVAL ?
		       "no" : strerror(-setup_res[i]));

	printf("\nopcodes (XURING_REGISTER_PROBE):\n");
	if (!probe) {
		printf("  probe failed: %s; opcode support unknown\n",
		       strerror(probe_err));
	} else {
		printf("  last_op %u, ops_len %u\n", probe->last_op,
		       probe->ops_len);
		for (int op = 0; op < XURING_OP_LAST; op++)
			printf("  %2d %-18s %s\n", op, xuring_op_name(op),
			       xuring_opcode_supported(probe, op) ? "yes" : "no");
		for (int op = XURING_OP_LAST; op < probe->ops_len; op++)
			if (probe->ops[op].flags & XURING_OP_SUPPORTED)
				printf("  %2d %-18s yes\n", op, "(unnamed)");
	}

	printf("\nregister opcodes (a harmless call on a private ring each):\n");
	for (int op = 0; op < XURING_REGISTER_LAST; op++) {
		format_ret(buf, sizeof(buf), &r[op]);
		printf("  %2d %-24s %-8s ret %-12s (%s)\n", op,
		       xuring_register_op_name(op), reg_verdict(&r[op]),
		       buf, r[op].how);
	}
	printf("  'no': the call failed with EINVAL/EOPNOTSUPP, what an "
	       "unimplemented\n  opcode returns; 'unknown': not tried or "
	       "failed for another reason.\n");
}

static void print_json(const struct xuring_params *p,
		       const struct xuring_probe *probe, int probe_err,
		       const struct reg_result *r, const int *setup_res)
{
	bool first = true;

	printf("{\n  \"device\": \"%s\",\n", XURING_DEV_PATH);
	printf("  \"sq_entries\": %u,\n  \"cq_entries\": %u,\n",
	       p->sq_entries, p->cq_entries);
	printf("  \"features\": {\"value\": %u, \"names\": [", p->features);
	for (unsigned int bit = 0; bit < 32; bit++) {
		const char *name = xuring_feature_name(1U << bit);

		if (!(p->features & (1U << bit)))
			continue;
		if (name)
			printf("%s\"%s\"", first ? "" : ", ", name);
		else
			printf("%s\"bit%u\"", first ? "" : ", ", bit);
		first = false;
	}
	printf("]},\n");

	printf("  \"setup_flags\": [\n");
	for (unsigned int i = 0; i < NR_SETUP_FLAGS; i++)
		printf("    {\"flag\": %u, \"name\": \"%s\", \"ret\": %d}%s\n",
		       setup_flags[i].flag, setup_flags[i].name, setup_res[i],
		       i + 1 < NR_SETUP_FLAGS ? "," : "");
	printf("  ],\n");

	if (!probe) {
		printf("  \"probe_error\": %d,\n  \"ops\": null,\n", -probe_err);
	} else {
		printf("  \"last_op\": %u,\n  \"ops_len\": %u,\n  \"ops\": [\n",
		       probe->last_op, probe->ops_len);
		for (int op = 0; op < XURING_OP_LAST; op++)
			printf("    {\"op\": %d, \"name\": \"%s\", "
			       "\"supported\": %s}%s\n", op, xuring_op_name(op),
			       xuring_opcode_supported(probe, op) ? "true" : "false",
			       op + 1 < XURING_OP_LAST ? "," : "");
		printf("  ],\n");
	}

	printf("  \"register_ops\": [\n");
	for (int op = 0; op < XURING_REGISTER_LAST; op++) {
		char ret[16];

		if (!r[op].tried)
			snprintf(ret, sizeof(ret), "null");
		else
			snprintf(ret, sizeof(ret), "%d", r[op].ret);
		printf("    {\"op\": %d, \"name\": \"%s\", \"status\": \"%s\", "
		       "\"ret\": %s, \"tried\": \"%s\"}%s\n", op,
		       xuring_register_op_name(op), reg_verdict(&r[op]),
		       ret, r[op].how, op + 1 < XURING_REGISTER_LAST ? "," : "");
	}
	printf("  ]\n}\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reg_result r[XURING_REGISTER_LAST];
	int setup_res[NR_SETUP_FLAGS];
	struct xuring_probe *probe;
	struct xuring_params p;
	struct xuring ring;
	bool json = false;
	int fd, opt, ret, probe_err = 0;

	if (argv[0] && argv[0][0]) {
		const char *slash = strrchr(argv[0], '/');

		prog = slash ? slash + 1 : argv[0];
	}
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	fd = xuring_open();
	if (fd < 0) {
		explain_open_error(-fd);
		return 1;
	}
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	ret = xuring_setup(fd, &p);
	if (ret < 0) {
		fprintf(stderr, "%s: XURING_IOC_SETUP: %s\n", prog,
			strerror(-ret));
		if (ret == -ENOTTY)
			fprintf(stderr, "%s: %s does not look like an xuring "
				"device (module/tools version mismatch?)\n",
				prog, XURING_DEV_PATH);
		close(fd);
		return 1;
	}
	ret = xuring_queue_mmap(fd, &p, &ring);
	if (ret < 0) {
		fprintf(stderr, "%s: mapping the rings: %s\n", prog,
			strerror(-ret));
		close(fd);
		return 1;
	}

	probe = xuring_get_probe_ring(&ring);
	if (!probe)
		probe_err = errno;
	try_register_ops(&ring, r);
	try_setup_flags(ring.ring_fd, setup_res);

	if (json)
		print_json(&p, probe, probe_err, r, setup_res);
	else
		print_text(&p, probe, probe_err, r, setup_res);

	xuring_free_probe(probe);
	xuring_queue_exit(&ring);
	return 0;
}
