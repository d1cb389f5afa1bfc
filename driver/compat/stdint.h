/* SPDX-License-Identifier: GPL-2.0 */
/* The fixed-width types the warden headers use, from the kernel's own. */
#ifndef WARDEN_COMPAT_STDINT_H
#define WARDEN_COMPAT_STDINT_H
#include <linux/types.h>
#endif
