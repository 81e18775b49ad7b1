/* SPDX-License-Identifier: MIT */
/*
 * With -I tools/lib/include/xuring/compat ahead of the system paths, an
 * unmodified "#include <liburing.h>" gets xuring's liburing-compatible API.
 */
#include <xuring/liburing.h>
