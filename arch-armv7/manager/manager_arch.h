/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The root-cell manager on ARMv7: the boot layout (inmates/manager/). */
#ifndef WARDEN_MANAGER_ARCH_H
#define WARDEN_MANAGER_ARCH_H

#include "../boot.h"

#endif /* !WARDEN_MANAGER_ARCH_H */
