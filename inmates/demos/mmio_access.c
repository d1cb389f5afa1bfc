/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * mmio-access: every access form the hypervisor must emulate, against a
 * test region at MMIO_TEST_BASE (256 bytes) that behaves like memory: a
 * sub-page region with all access widths, backed by RAM (docs/inmates.md).
 * Each case writes and reads values end to end and checks them. Parameter
 * "select" runs one case alone (1-based), since a form the hypervisor
 * cannot emulate stops the cell.
 */
#include "mmio_access.h"

INMATE_NAME("mmio-access");

__attribute__((weak)) const struct mmio_case mmio_denied[1];
__attribute__((weak)) const unsigned int num_mmio_denied;

void inmate_main(void)
{
	unsigned int sel = inmate_params.select, i;

	printf("mmio-access: region 0x%llx, %u cases, select %u\n",
	       (unsigned long long)R, num_mmio_cases, sel);
	for (i = 1; i <= num_mmio_cases; i++) {
		const struct mmio_case *c = &mmio_cases[i - 1];

		if (sel && sel != i)
			continue;
		check_run(c->name);
		check_eq(c->name, c->run(), c->want);
	}
	if (sel > num_mmio_cases && sel <= num_mmio_cases + num_mmio_denied) {
		const struct mmio_case *c =
			&mmio_denied[sel - num_mmio_cases - 1];

		check_run(c->name);
		check(c->name, false, "not denied: 0x%llx",
		      (unsigned long long)c->run());
	} else if (sel > num_mmio_cases) {
		check("mmio.select", false, "no case %u", sel);
	}
	test_verdict();
}
