/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ivshmem: two cells exchange data and doorbell interrupts over an ivshmem
 * v2 device (Jailhouse's "IVSHMEM Device Specification", vendor 110a,
 * device 4106). Both cells run this image; the peer id (0 or 1) from the
 * device picks the message. Each writes its message into its output
 * section and its id into the read/write section, announces itself through
 * the state register and waits for the other's state, turns interrupts on
 * and says so in the read/write section, rings the other's doorbell once
 * the other is armed and waits for its own doorbell, then checks the
 * other's data, says in the read/write section that its doorbell came,
 * and sets state DONE once the other's came too.
 */
#include "ivshmem.h"

INMATE_NAME("ivshmem");

#define IVSHMEM_VENDOR 0x110a
#define IVSHMEM_DEVICE 0x4106
#define PCI_CFG_COMMAND 0x04
#define PCI_CMD_MEM 0x0002
#define PCI_CMD_MASTER 0x0004
#define PCI_CFG_BAR0 0x10
#define PCI_CFG_BAR2 0x18
#define PCI_CAP_VENDOR 0x09

/* Register region (BAR 0) */
#define IVSHMEM_ID 0x00
#define IVSHMEM_MAX_PEERS 0x04
#define IVSHMEM_INT_CTRL 0x08
#define IVSHMEM_DOORBELL 0x0c
#define IVSHMEM_STATE 0x10

#define STATE_READY 1
#define STATE_DONE 2
#define TIMEOUT_NS (5 * NS_PER_SEC)

static volatile uint32_t doorbells, state_irqs;
static volatile uint32_t *peer_state;

/*
 * The device interrupts on the peer's doorbell and on each state change of
 * a peer (vector 0, the only one with INTx). The protocol below leaves one
 * state change that can reach us with interrupts on, the peer's DONE,
 * which it writes only after our doorbell reached it (rw[4 + id] says so):
 * an interrupt while the peer is still READY is its doorbell. (Without
 * that wait, a vCPU the host does not run for a while takes the doorbell
 * only after the peer's DONE; observed on QEMU TCG.)
 */
static void doorbell(unsigned int irq)
{
	(void)irq;
	if (peer_state && *peer_state == STATE_READY)
		doorbells++;
	else
		state_irqs++;
}

static void message(char *buf, size_t size, uint32_t id)
{
	snprintf(buf, size, "warden ivshmem: hello from peer %u",
		 (unsigned int)id);
}

static bool wait_for(volatile uint32_t *p, uint32_t value)
{
	uint64_t until = time_ns() + TIMEOUT_NS;

	while (*p < value && time_ns() < until)
		cpu_relax();
	return *p >= value;
}

static uint64_t cap64(uint16_t bdf, unsigned int reg)
{
	return pci_read(bdf, reg, 4) | (uint64_t)pci_read(bdf, reg + 4, 4)
					       << 32;
}

void inmate_main(void)
{
	uint64_t shmem, rw_size, out_size;
	uint32_t state_size, id, peer, max_peers;
	volatile uint32_t *state_table, *rw;
	uintptr_t regs;
	char want[64], *out;
	unsigned int cap;
	int bdf, irq;
	bool ok;

	if (!check("ivshmem.pci", pci_available(), "ECAM window %s",
		   pci_available() ? "present" : "missing")) {
		test_verdict();
		return;
	}
	bdf = inmate_params.ivshmem_bdf;
	if (bdf == 0xffff)
		bdf = pci_find(IVSHMEM_VENDOR, IVSHMEM_DEVICE, 0);
	cap = bdf < 0 ? 0 : pci_find_cap(bdf, PCI_CAP_VENDOR);
	if (!check("ivshmem.device", bdf >= 0 && cap, "bdf %d, cap 0x%x", bdf,
		   cap)) {
		test_verdict();
		return;
	}

	/* Registers in BAR 0: place it if nobody did. */
	regs = pci_read(bdf, PCI_CFG_BAR0, 4) & ~0xfu;
	if (!regs) {
		regs = inmate_params.ivshmem_bar;
		pci_write(bdf, PCI_CFG_BAR0, regs, 4);
	}
	pci_write(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM | PCI_CMD_MASTER, 2);

	/* Shared memory: the capability's base address, else BAR 2/3. */
	state_size = pci_read(bdf, cap + 0x04, 4);
	rw_size = cap64(bdf, cap + 0x08);
	out_size = cap64(bdf, cap + 0x10);
	if (pci_read(bdf, cap + 0x02, 1) >= 0x20)
		shmem = cap64(bdf, cap + 0x18);
	else
		shmem = cap64(bdf, PCI_CFG_BAR2) & ~0xfULL;
	id = mmio_read32(regs + IVSHMEM_ID);
	max_peers = mmio_read32(regs + IVSHMEM_MAX_PEERS);
	peer = id ^ 1;
	printf("ivshmem: %02x:%02x.%x regs 0x%lx shmem 0x%llx state %u rw "
	       "0x%llx out 0x%llx, id %u of %u\n",
	       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, (unsigned long)regs,
	       (unsigned long long)shmem, (unsigned int)state_size,
	       (unsigned long long)rw_size, (unsigned long long)out_size,
	       (unsigned int)id, (unsigned int)max_peers);
	if (!check("ivshmem.layout",
		   shmem && state_size && out_size >= sizeof(want) &&
			   rw_size >= 24 && id < 2 && max_peers >= 2,
		   NULL)) {
		test_verdict();
		return;
	}
	state_table = (volatile uint32_t *)(uintptr_t)shmem;
	peer_state = &state_table[peer];
	rw = (volatile uint32_t *)(uintptr_t)(shmem + state_size);
	out = (char *)(uintptr_t)(shmem + state_size + rw_size + id * out_size);

	/* Our data first, then tell the peer we are ready, interrupts off
	 * (so its READY does not interrupt us). */
	message(out, out_size, id);
	rw[id] = 0x1000 + id;
	memory_barrier();
	mmio_write32(regs + IVSHMEM_STATE, STATE_READY);
	ok = wait_for(peer_state, STATE_READY);
	check("ivshmem.peer-ready", ok, "peer %u state %u", (unsigned int)peer,
	      (unsigned int)*peer_state);

	/* Interrupts on, announced through the R/W section (rw[2 + id]): a
	 * doorbell rung before the peer is armed would be dropped. */
	irq = ivshmem_irq_setup(bdf, inmate_params.ivshmem_bar, doorbell);
	check("ivshmem.irq", irq >= 0, "interrupt %d", irq);
	mmio_write32(regs + IVSHMEM_INT_CTRL, 1);
	irq_on();
	rw[2 + id] = 1;
	memory_barrier();
	check("ivshmem.peer-armed", wait_for(&rw[2 + peer], 1), NULL);

	mmio_write32(regs + IVSHMEM_DOORBELL, peer << 16 | 0);
	ok = wait_for(&doorbells, 1);
	check("ivshmem.doorbell", ok, "%u from peer %u",
	      (unsigned int)doorbells, (unsigned int)peer);

	message(want, sizeof(want), peer);
	ok = !memcmp((const char *)(uintptr_t)(shmem + state_size + rw_size +
					       peer * out_size),
		     want, strlen(want) + 1);
	check("ivshmem.peer-output", ok, "peer %u's output section %s",
	      (unsigned int)peer, ok ? "as expected" : "differs");
	check_eq("ivshmem.rw-section", rw[peer], 0x1000 + peer);

	/* Our doorbell came; DONE only once the peer's doorbell reached it,
	 * so that it cannot take our DONE for its doorbell. */
	rw[4 + id] = 1;
	memory_barrier();
	wait_for(&rw[4 + peer], 1);
	mmio_write32(regs + IVSHMEM_STATE, STATE_DONE);
	report_value("ivshmem.state-interrupts", state_irqs, NULL);
	test_verdict();
}
