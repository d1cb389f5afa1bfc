/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attack: tries each isolation property from inside a non-root cell and
 * reports each attempt. Refused hypercalls return an error and are checked
 * here; accesses the hypervisor must deny stop the cell, so each of those is
 * announced with "[run] NAME" first and reported as a failure only if it
 * returns. Parameter "select" runs one attempt alone (1-based number, see
 * docs/inmates.md); 0 runs them in order, which ends at the first denial.
 * Targets (another cell's RAM, hypervisor memory, ...) come from the
 * parameter block.
 */
#include "attack.h"

INMATE_NAME("attack");

static bool expect_eperm(long r, char *buf, size_t size)
{
	snprintf(buf, size, "result %ld", r);
	return r == -WD_EPERM;
}

static bool hc_disable(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_DISABLE, 0, 0), buf, size);
}

static bool hc_create(char *buf, size_t size)
{
	/* Any address will do: the caller is checked first. */
	return expect_eperm(hypercall(WD_HC_CELL_CREATE, 0x1000, 0), buf, size);
}

static bool hc_start(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_START, 1, 0), buf, size);
}

static bool hc_set_loadable(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_SET_LOADABLE, 1, 0), buf,
			    size);
}

static bool hc_destroy(char *buf, size_t size)
{
	return expect_eperm(hypercall(WD_HC_CELL_DESTROY, 1, 0), buf, size);
}

static bool hc_state_root(char *buf, size_t size)
{
	return expect_eperm(hc_cell_get_state(0), buf, size);
}

static bool hc_reason_root(char *buf, size_t size)
{
	static struct wd_reason_record rec;

	return expect_eperm(hypercall(WD_HC_GET_REASON, 0, (uintptr_t)&rec),
			    buf, size);
}

static bool hc_cpu_info_root(char *buf, size_t size)
{
	/* CPU 0 belongs to the root cell in every demo machine. */
	return expect_eperm(hc_cpu_get_info(0, WD_CPU_INFO_STATE), buf, size);
}

static bool hc_putc(char *buf, size_t size)
{
	struct wd_comm_region *comm = comm_region();

	if (comm->flags &
	    (WD_COMM_FLAG_DBG_PUTC_PERMITTED | WD_COMM_FLAG_DBG_PUTC_ACTIVE)) {
		snprintf(buf, size, "skip: the cell may use the console");
		return true;
	}
	return expect_eperm(hc_debug_putc('!'), buf, size);
}

static bool pci_read_foreign(char *buf, size_t size)
{
	uint32_t v;

	if (!pci_available()) {
		snprintf(buf, size, "skip: no ECAM window");
		return true;
	}
	/* Not denied: a foreign function reads like an empty slot. */
	v = pci_read(inmate_params.attack_bdf, 0, 4);
	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return v == 0xffffffff;
}

static bool ram_other_read(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_ram);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool ram_other_write(char *buf, size_t size)
{
	mmio_write32(inmate_params.attack_ram, 0xbad);
	snprintf(buf, size, "write not denied");
	return false;
}

static bool hv_read(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_hv);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool hv_write(char *buf, size_t size)
{
	mmio_write32(inmate_params.attack_hv, 0xbad);
	snprintf(buf, size, "write not denied");
	return false;
}

static bool mmio_unassigned(char *buf, size_t size)
{
	uint32_t v = mmio_read32(inmate_params.attack_mmio);

	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return false;
}

static bool pci_write_foreign(char *buf, size_t size)
{
	if (!pci_available()) {
		snprintf(buf, size, "skip: no ECAM window");
		return true;
	}
	pci_write(inmate_params.attack_bdf, 0x04, 0x0006, 2); /* command */
	snprintf(buf, size, "write not denied");
	return false;
}

/* Numbered from 1 in this order, then arch_attempts (docs/inmates.md). */
static const struct attempt common_attempts[] = {
	{ "attack.hc-disable", hc_disable, false },
	{ "attack.hc-cell-create", hc_create, false },
	{ "attack.hc-cell-start", hc_start, false },
	{ "attack.hc-cell-set-loadable", hc_set_loadable, false },
	{ "attack.hc-cell-destroy", hc_destroy, false },
	{ "attack.hc-get-state-root", hc_state_root, false },
	{ "attack.hc-get-reason-root", hc_reason_root, false },
	{ "attack.hc-cpu-info-root", hc_cpu_info_root, false },
	{ "attack.hc-putc-unpermitted", hc_putc, false },
	{ "attack.pci-read-foreign", pci_read_foreign, false },
	{ "attack.ram-other-read", ram_other_read, true },
	{ "attack.ram-other-write", ram_other_write, true },
	{ "attack.hv-read", hv_read, true },
	{ "attack.hv-write", hv_write, true },
	{ "attack.mmio-unassigned", mmio_unassigned, true },
	{ "attack.pci-write-foreign", pci_write_foreign, true },
};

static void try(const struct attempt *a)
{
	char detail[96] = "";
	bool ok;

	if (a->fatal)
		check_run(a->name);
	ok = a->run(detail, sizeof(detail));
	if (memcmp(detail, "skip: ", 6))
		check(a->name, ok, "%s", detail);
	else
		check_skip(a->name, detail + 6);
}

void inmate_main(void)
{
	unsigned int n = ARRAY_SIZE(common_attempts), i;
	unsigned int sel = inmate_params.select;

	printf("attack: %u attempts, select %u\n", n + num_arch_attempts, sel);
	for (i = 1; i <= n + num_arch_attempts; i++) {
		if (sel && sel != i)
			continue;
		try(i <= n ? &common_attempts[i - 1] :
			     &arch_attempts[i - n - 1]);
	}
	if (sel > n + num_arch_attempts)
		check("attack.select", false, "no attempt %u", sel);
	test_verdict();
}
