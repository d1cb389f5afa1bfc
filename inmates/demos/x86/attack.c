/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86 attempts of the attack inmate: a foreign IOAPIC pin, a foreign CPU,
 * an unassigned port, and the reset paths (ports 0xcf9 and 0x64). Each
 * must be denied, which stops the cell. After the late ones (26, 27): the
 * root's function 00:01.0 through PCI config mechanism #1 (ports 0xcf8 and
 * 0xcfc), read (all ones, as an empty slot) and written (denied); 28: a
 * write to the MSR of the hypervisor's host save area (denied); 29, 30: a
 * fixed IPI and an NMI to a CPU of another cell (denied).
 */
#include "../attack.h"

#define IOAPIC_BASE 0xfec00000
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10

static bool irq_foreign(char *buf, size_t size)
{
	unsigned int pin = inmate_params.attack_pin;

	/* Mask the pin: its redirection entry, low half. */
	mmio_write32(IOAPIC_BASE + IOAPIC_REGSEL, 0x10 + 2 * pin);
	mmio_write32(IOAPIC_BASE + IOAPIC_WIN, 1 << 16);
	snprintf(buf, size, "IOAPIC pin %u not denied", pin);
	return false;
}

static bool cpu_foreign(char *buf, size_t size)
{
	uint64_t id = inmate_params.attack_cpu;

	apic_init();
	wrmsr(MSR_X2APIC_ICR, (id << 32) | APIC_ICR_INIT);
	wrmsr(MSR_X2APIC_ICR, (id << 32) | APIC_ICR_SIPI);
	snprintf(buf, size, "INIT/SIPI to APIC %llu not denied",
		 (unsigned long long)id);
	return false;
}

static bool pio_unassigned(char *buf, size_t size)
{
	uint8_t v = inb(inmate_params.attack_port);

	snprintf(buf, size, "port 0x%x read 0x%x",
		 (unsigned int)inmate_params.attack_port, v);
	return false;
}

static bool reset_cf9(char *buf, size_t size)
{
	outb(0xcf9, 0x06); /* hard reset */
	snprintf(buf, size, "port 0xcf9 write not denied");
	return false;
}

static bool reset_kbc(char *buf, size_t size)
{
	outb(0x64, 0xfe); /* pulse the reset line */
	snprintf(buf, size, "port 0x64 write not denied");
	return false;
}

#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc

static void pci_port_address(unsigned int reg)
{
	outl(PCI_ADDR_PORT,
	     0x80000000U | (uint32_t)inmate_params.attack_bdf << 8 | reg);
}

static bool pci_ports_read_foreign(char *buf, size_t size)
{
	uint32_t v;

	pci_port_address(0);
	v = inl(PCI_DATA_PORT);
	snprintf(buf, size, "read 0x%x", (unsigned int)v);
	return v == 0xffffffff;
}

static bool pci_ports_write_foreign(char *buf, size_t size)
{
	pci_port_address(0x04);
	outw(PCI_DATA_PORT, 0x0006); /* command: memory, bus master */
	snprintf(buf, size, "config write through port 0xcfc not denied");
	return false;
}

/*
 * AMD's VM_HSAVE_PA: where the CPU saves the hypervisor's state at each
 * VMRUN. Pointed at another cell's RAM (or Linux's), the next exit would
 * write there; an MSR no cell may touch.
 */
#define MSR_VM_HSAVE_PA 0xc0010117

static bool msr_hsave(char *buf, size_t size)
{
	wrmsr(MSR_VM_HSAVE_PA, inmate_params.attack_ram);
	snprintf(buf, size, "WRMSR 0x%x not denied", MSR_VM_HSAVE_PA);
	return false;
}

/* An interrupt (vector 0xf0) for another cell's CPU: cpu_foreign. */
static bool ipi_foreign(char *buf, size_t size)
{
	uint64_t id = inmate_params.attack_cpu;

	apic_init();
	wrmsr(MSR_X2APIC_ICR, (id << 32) | 0xf0);
	snprintf(buf, size, "IPI to APIC %llu not denied",
		 (unsigned long long)id);
	return false;
}

/* An NMI for another cell's CPU: no cell may send NMIs at all. */
static bool nmi_foreign(char *buf, size_t size)
{
	uint64_t id = inmate_params.attack_cpu;

	apic_init();
	wrmsr(MSR_X2APIC_ICR, (id << 32) | APIC_ICR_NMI);
	snprintf(buf, size, "NMI to APIC %llu not denied",
		 (unsigned long long)id);
	return false;
}

/* vmcall/vmmcall from ring 3: the hypervisor refuses it with -EPERM. */
bool arch_hc_user(char *buf, size_t size)
{
	long r;

	x86_user_vmmcall = hypercall_use_vmmcall();
	r = x86_user_hypercall(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);
	snprintf(buf, size, "result %ld", r);
	return r == -WD_EPERM;
}

const struct attempt arch_attempts[] = {
	{ "attack.irq-foreign", irq_foreign, true },
	{ "attack.cpu-foreign", cpu_foreign, true },
	{ "attack.pio-unassigned", pio_unassigned, true },
	{ "attack.reset-cf9", reset_cf9, true },
	{ "attack.reset-kbc", reset_kbc, true },
};
const unsigned int num_arch_attempts = ARRAY_SIZE(arch_attempts);

const struct attempt arch_more_attempts[] = {
	{ "attack.pci-ports-read-foreign", pci_ports_read_foreign, false },
	{ "attack.pci-ports-write-foreign", pci_ports_write_foreign, true },
	{ "attack.msr-hsave", msr_hsave, true },
	{ "attack.ipi-foreign", ipi_foreign, true },
	{ "attack.nmi-foreign", nmi_foreign, true },
};
const unsigned int num_arch_more_attempts = ARRAY_SIZE(arch_more_attempts);
