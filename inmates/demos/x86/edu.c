/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * edu: MSI of a real PCI device given to the cell, QEMU's edu test device
 * (1234:11e8, docs/specs/edu.txt in QEMU: one 64-bit MSI vector, register
 * 0x60 raises an interrupt, 0x64 acknowledges it, 0x24 shows the status).
 * Parameter "select" picks where the cell aims the MSI:
 *   0, 1  its own CPU, fixed delivery: accepted; the interrupt arrives
 *         with no VM exit of its own (the exit counters of CPU_GET_INFO:
 *         only the handler's EOI, an irqchip exit, beyond the counting)
 *   2     CPU 0, the root cell's: refused (msi_cpu_foreign)
 *   3     its own CPU as an NMI: refused (msi_delivery)
 * A refused message leaves the device's MSI disabled: nothing arrives,
 * the device's status shows the raise, the cell runs on.
 *
 * DMA (edu's engine: source 0x80, destination 0x88, count 0x90, command
 * 0x98; its buffer is device address 0x40000..0x40fff), behind an IOMMU
 * (configs/qemu-x86-vtd; device addresses are the cell's guest-physical
 * ones). The physical addresses a device would reach without an IOMMU
 * are those of configs/qemu-x86-amd/system.dts:
 *   4     its own RAM, both directions: the data checked
 *   5     the victim cell's canary page (attack.dts' RAM at 0x06f00000;
 *         the victim is this image with select 10)
 *   6     the root cell's RAM: the manager's canary page (MANAGER_EDU)
 *   7     a write to the hypervisor's image (0x07001000)
 *   8     a read of the hypervisor's header (0x07000000, "WARDENHV") into
 *         edu's buffer (the manager checks the buffer after the cell)
 *   9     a compatibility-format MSI written by the engine: vector 0x50,
 *         fixed, to CPU 0 (the manager checks its IRR)
 * 5..9 must fault (the cell FAILED: the inmate is stopped before it
 * finds the transfer done and reports it). With EDU_UNREPORTED added
 * (a unit that blocks without reporting: QEMU 7.2's AMD-Vi logs no
 * event) the cell runs on and says so; the targets are checked by the
 * manager and the victim.
 *   10    the victim: fills its canary page, checks it at each shutdown
 *         request and approves it.
 */
#include <inmate.h>

INMATE_NAME("edu");

#define EDU_ID 0x11e81234U
#define EDU_REG_ID 0x00
#define EDU_REG_STATUS 0x24
#define EDU_REG_RAISE 0x60
#define EDU_REG_ACK 0x64
#define EDU_VECTOR 0x50
#define EDU_RAISE 0x1
#define PCI_CAP_MSI 0x05
#define MSI_ENABLE 0x1
#define R_MSI_CPU_FOREIGN 131
#define R_MSI_DELIVERY 132
#define WAIT_NS 200000000ULL /* 200 ms */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_RUN 0x1
#define EDU_DMA_TO_RAM 0x2
#define EDU_BUF 0x40000ULL
#define VICTIM_RAM 0x06f00000ULL
#define ROOT_CANARY 0x00a00000ULL /* the manager's (x86.c, EDU_CANARY) */
#define HV_BASE 0x07000000ULL
#define CANARY 0x5a
#define EDU_UNREPORTED 16 /* added to selects 5..9 */
/* Bytes per transfer: QEMU 7.2's edu refuses (hw_error: QEMU stops) a
 * transfer that ends at the buffer's end, so never a whole 4 KiB. */
#define DMA_LEN 2048

static uint8_t page[3][4096] __attribute__((aligned(4096)));

static volatile unsigned int irqs;
static uintptr_t bar;

static void edu_irq(unsigned int irq)
{
	(void)irq;
	mmio_write32(bar + EDU_REG_ACK, mmio_read32(bar + EDU_REG_STATUS));
	irqs++;
}

struct exits {
	long total, irqchip;
};

static struct exits exits(unsigned int cpu)
{
	struct exits e;

	e.total = hc_cpu_get_info(cpu, WD_CPU_INFO_STAT_BASE +
					       WD_CPU_STAT_VMEXITS_TOTAL);
	e.irqchip = hc_cpu_get_info(cpu, WD_CPU_INFO_STAT_BASE +
						 WD_CPU_STAT_VMEXITS_IRQCHIP);
	return e;
}

/* One transfer of @cnt bytes (edu's buffer is the device's side); waits
 * 1 s at most for its end: true if it ended. */
static bool dma(uint64_t ram, unsigned int cnt, bool to_ram)
{
	uint64_t deadline = time_ns() + 1000000000ULL;

	mmio_write32(bar + (to_ram ? EDU_DMA_SRC : EDU_DMA_DST), EDU_BUF);
	mmio_write32(bar + (to_ram ? EDU_DMA_DST : EDU_DMA_SRC), (uint32_t)ram);
	mmio_write32(bar + EDU_DMA_CNT, cnt);
	mmio_write32(bar + EDU_DMA_CMD,
		     EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
	while ((mmio_read32(bar + EDU_DMA_CMD) & EDU_DMA_RUN) &&
	       time_ns() < deadline)
		;
	return !(mmio_read32(bar + EDU_DMA_CMD) & EDU_DMA_RUN);
}

static uint32_t victim_check(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(page[0]) && page[0][i] == CANARY; i++)
		;
	check("edu.victim-canary", i == sizeof(page[0]), "%u of %u bytes", i,
	      (unsigned int)sizeof(page[0]));
	test_verdict();
	return WD_MSG_REQUEST_APPROVED;
}

static void dma_tests(unsigned int sel, bool unreported)
{
	static const struct {
		uint64_t ram;
		bool to_ram;
		const char *what;
	} to[] = {
		[5] = { VICTIM_RAM, true, "the victim cell's RAM" },
		[6] = { ROOT_CANARY, true, "the root cell's RAM" },
		[7] = { HV_BASE + 0x1000, true, "hypervisor memory" },
		[8] = { HV_BASE, false, "hypervisor memory" },
		[9] = { 0xfee00000, true, "a compatibility-format MSI" },
	};
	uint64_t ram;
	bool done;

	/* Memory decoding and bus mastering (DMA). */
	pci_write((uint16_t)pci_find(0x1234, 0x11e8, 0), 0x04, 6, 2);
	if (sel == 4) {
		memset(page[0], CANARY, sizeof(page[0]));
		done = dma((uintptr_t)page[0], DMA_LEN, false) &&
		       dma((uintptr_t)page[1], DMA_LEN, true);
		check("edu.dma-own-ram",
		      done && !memcmp(page[0], page[1], DMA_LEN),
		      "0x%lx -> edu -> 0x%lx: %s", (unsigned long)page[0],
		      (unsigned long)page[1],
		      done ? "transferred" : "not done");
		return;
	}
	ram = to[sel].ram + (sel == 5 ? (uintptr_t)page[0] : 0);
	/* The MSI: 4 bytes of data 0x50 (fixed, edge) from edu's buffer. */
	*(volatile uint32_t *)page[2] = EDU_VECTOR;
	if (sel == 9 && !dma((uintptr_t)page[2], 4, false))
		return;
	printf("edu: DMA %s 0x%lx (%s)\n", to[sel].to_ram ? "to" : "from",
	       (unsigned long)ram, to[sel].what);
	done = dma(ram, sel == 9 ? 4 : DMA_LEN, to[sel].to_ram);
	delay_us(500000); /* the fault's NMI stops the cell */
	if (unreported)
		printf("edu: the cell runs on (no fault reported), transfer "
		       "%s\n",
		       done ? "done" : "not done");
	else
		check("edu.dma-blocked", false, "the cell runs on, transfer %s",
		      done ? "done" : "not done");
}

void inmate_main(void)
{
	unsigned int sel = inmate_params.select ? inmate_params.select : 1;
	unsigned int cpu = (unsigned int)cpu_hw_id(), cap;
	uint32_t dest = sel == 2 ? 0 : (uint32_t)cpu_hw_id();
	uint32_t data = (sel == 3 ? 0x400 : 0) | EDU_VECTOR;
	long want = sel == 2 ? R_MSI_CPU_FOREIGN :
		    sel == 3 ? R_MSI_DELIVERY :
			       0,
	     reason;
	struct exits e0, e1, e2, e3;
	uint64_t deadline;
	int bdf = pci_find(0x1234, 0x11e8, 0);

	if (sel == 10) {
		memset(page[0], CANARY, sizeof(page[0]));
		comm_set_shutdown_handler(victim_check);
		printf("edu: victim, canary at 0x%lx\n",
		       (unsigned long)page[0]);
		return;
	}
	if (!check("edu.device", bdf >= 0, "%s", bdf >= 0 ? "found" : "none")) {
		test_verdict();
		return;
	}
	bar = pci_read((uint16_t)bdf, 0x10, 4) & ~0xfU;
	cap = pci_find_cap((uint16_t)bdf, PCI_CAP_MSI);
	printf("edu: %02x:%02x.%x, BAR 0x%lx, MSI at 0x%x, select %u: "
	       "message 0x%x/0x%x\n",
	       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, (unsigned long)bar, cap,
	       sel, 0xfee00000U | dest << 12, data);
	check("edu.id", (mmio_read32(bar + EDU_REG_ID) & 0xff) == 0xed, "0x%x",
	      mmio_read32(bar + EDU_REG_ID));
	if (sel >= 4) {
		dma_tests(sel % EDU_UNREPORTED, sel > EDU_UNREPORTED);
		test_verdict();
		return;
	}
	if (!check("edu.msi-cap", cap != 0, "0x%x", cap)) {
		test_verdict();
		return;
	}
	apic_init(); /* the APIC software-enabled: it takes interrupts */
	irq_set_handler(EDU_VECTOR, edu_irq);
	/* Memory decoding and bus mastering (MSI is a memory write). */
	pci_write((uint16_t)bdf, 0x04, pci_read((uint16_t)bdf, 0x04, 2) | 6, 2);
	pci_write((uint16_t)bdf, cap + 4, 0xfee00000U | dest << 12, 4);
	pci_write((uint16_t)bdf, cap + 8, 0, 4);
	pci_write((uint16_t)bdf, cap + 12, data, 2);
	pci_write((uint16_t)bdf, cap + 2, MSI_ENABLE, 2);
	reason = hc_hypervisor_get_info(WD_INFO_LAST_REASON);
	check("edu.msi-reason", reason == want, "%ld, expected %ld", reason,
	      want);
	/* The shadow reads back what the cell wrote, refused or not. */
	check("edu.msi-readback",
	      pci_read((uint16_t)bdf, cap + 4, 4) ==
			      (0xfee00000U | dest << 12) &&
		      (pci_read((uint16_t)bdf, cap + 2, 2) & MSI_ENABLE),
	      "0x%x", pci_read((uint16_t)bdf, cap + 4, 4));

	irq_on();
	/* What counting itself costs, then counting around one interrupt. */
	e0 = exits(cpu);
	e1 = exits(cpu);
	e2 = exits(cpu);
	/* The TSC (time_ns) does not exit; PAUSE is slow on TCG. */
	deadline = time_ns() + WAIT_NS;
	mmio_write32(bar + EDU_REG_RAISE, EDU_RAISE);
	while (!irqs && time_ns() < deadline)
		;
	e3 = exits(cpu);
	irq_off();
	if (!want) {
		check("edu.interrupt", irqs == 1, "%u interrupt(s)", irqs);
		/* Beyond counting: the handler's EOI, nothing for delivery. */
		check("edu.delivery-exits",
		      e3.total - e2.total - (e1.total - e0.total) == 1 &&
			      e3.irqchip - e2.irqchip == 1,
		      "%ld exits, %ld irqchip (counting costs %ld)",
		      e3.total - e2.total, e3.irqchip - e2.irqchip,
		      e1.total - e0.total);
	} else {
		check("edu.no-interrupt", irqs == 0, "%u interrupt(s)", irqs);
		check("edu.raised",
		      mmio_read32(bar + EDU_REG_STATUS) & EDU_RAISE,
		      "status 0x%x", mmio_read32(bar + EDU_REG_STATUS));
		mmio_write32(bar + EDU_REG_ACK, EDU_RAISE);
	}
	pci_write((uint16_t)bdf, cap + 2, 0, 2);
	test_verdict();
}
