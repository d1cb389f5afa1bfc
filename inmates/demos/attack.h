/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The attack inmate's table of attempts, shared with its arch parts. */
#ifndef ATTACK_H
#define ATTACK_H

#include <inmate.h>

struct attempt {
	const char *name;
	/* Non-fatal attempts return whether the hypervisor refused properly
	 * (detail in buf). Fatal ones must be denied, which stops the cell:
	 * if they return at all, isolation is broken (detail in buf). */
	bool (*run)(char *buf, size_t size);
	bool fatal;
};

extern const struct attempt arch_attempts[];
/* A hypercall from guest user mode: refused (x86, -EPERM) or undefined
 * (ARM, the cell's own exception); the arch part says which. */
bool arch_hc_user(char *buf, size_t size);
extern const unsigned int num_arch_attempts;
/* Arch attempts numbered after the late ones (ARM: 26-31); none unless
 * the arch part defines them (attack.c has empty weak defaults). */
extern const struct attempt arch_more_attempts[];
extern const unsigned int num_arch_more_attempts;

#endif /* !ATTACK_H */
