/* SPDX-License-Identifier: GPL-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_cfg.h"

static void header(struct wd_cell_desc *h, const char *name, uint64_t cpus)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	h->architecture = WD_ARCH_X86;
	h->revision = WD_CONFIG_REVISION;
	snprintf(h->name, sizeof(h->name), "%s", name);
	(void)cpus;
}

void cfg_add_mem(struct cfg *c, uint64_t phys, uint64_t virt, uint64_t size,
		 uint64_t flags)
{
	c->mem[c->nmem++] = (struct wd_memory){ phys, virt, size, flags };
}

void cfg_add_pio(struct cfg *c, uint16_t base, uint16_t len)
{
	c->pio[c->npio++] = (struct wd_pio){ base, len };
}

void cfg_add_irqchip(struct cfg *c, uint64_t addr, uint32_t base,
		     const unsigned int *pins, unsigned int npins)
{
	struct wd_irqchip *chip = &c->irq[c->nirq++];
	unsigned int i;

	memset(chip, 0, sizeof(*chip));
	chip->address = addr;
	chip->id = 0xff00;
	chip->pin_base = base;
	for (i = 0; i < npins; i++)
		chip->pin_bitmap[(pins[i] - base) / 32] |=
			1U << ((pins[i] - base) % 32);
}

void cfg_add_pci(struct cfg *c, uint16_t bdf, unsigned int first_cap,
		 unsigned int ncaps)
{
	struct wd_pci_device *d = &c->pci[c->npci++];

	memset(d, 0, sizeof(*d));
	d->type = WD_PCI_TYPE_DEVICE;
	d->bdf = bdf;
	d->bar_mask[0] = 0xfffff000; /* 4 KiB memory BAR */
	d->caps_start = (uint16_t)first_cap;
	d->num_caps = (uint16_t)ncaps;
}

void cfg_add_cap(struct cfg *c, uint16_t id, uint16_t start, uint16_t len,
		 uint16_t flags)
{
	c->caps[c->ncaps++] =
		(struct wd_pci_capability){ id, start, len, flags };
}

void cfg_system(struct cfg *c)
{
	unsigned int pins[24], i;

	memset(c, 0, sizeof(*c));
	c->system = true;
	memcpy(c->sys.signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN);
	c->sys.architecture = WD_ARCH_X86;
	c->sys.revision = WD_CONFIG_REVISION;
	c->sys.hypervisor_memory.phys_start = T_HV_BASE;
	c->sys.hypervisor_memory.size = T_HV_SIZE;
	c->sys.platform_info.pci_mmconfig_base = T_ECAM;
	c->sys.platform_info.pci_mmconfig_end_bus = 0;
	/* An IOMMU unit for the cells' devices (device .iommu 0). */
	c->sys.platform_info.iommu_units[0].type = WD_IOMMU_INTEL;
	c->sys.platform_info.iommu_units[0].base = 0xfed90000;
	c->sys.platform_info.iommu_units[0].size = 0x1000;
	header(&c->sys.root_cell, "root", 0);
	c->sys.root_cell.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED;
	c->cpus = 0xf;
	c->cpu_set_size = 8;
	cfg_add_mem(c, 0, 0, T_HV_BASE,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA);
	cfg_add_mem(c, T_DEV_PAGE, T_DEV_PAGE, 0x1000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
	cfg_add_mem(c, T_SUBPAGE, T_SUBPAGE, 0x100,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO | WD_MEM_IO_8 |
			    WD_MEM_IO_32);
	cfg_add_pio(c, 0x3f8, 8);
	cfg_add_pio(c, 0x2f8, 8);
	for (i = 0; i < 24; i++)
		pins[i] = i;
	cfg_add_irqchip(c, T_IOAPIC, 0, pins, 24);
	cfg_add_cap(c, 0x05, 0x50, 14, WD_PCICAPS_WRITE); /* MSI */
	cfg_add_cap(c, 0x01, 0x40, 8, 0);		  /* PM */
	cfg_add_pci(c, T_BDF_ROOT, 0, 0);
	cfg_add_pci(c, T_BDF_NIC, 0, 2);
}

static void cell_common(struct cfg *c, const char *name, unsigned int cpu,
			uint64_t phys)
{
	memset(c, 0, sizeof(*c));
	header(&c->cell, name, 0);
	c->cell.msg_reply_timeout = 100000000; /* 100 ms */
	c->cell.cpu_reset_address = 0xfff0;
	c->cpus = 1ULL << cpu;
	c->cpu_set_size = 8;
	cfg_add_mem(c, phys, 0, 0x100000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
			    WD_MEM_LOADABLE);
	cfg_add_mem(c, 0, T_COMM_VIRT, 0x1000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
}

void cfg_tiny(struct cfg *c)
{
	unsigned int pin = 5;

	cell_common(c, "tiny", 2, T_TINY_PHYS);
	c->cell.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED;
	cfg_add_pio(c, 0x2f8, 8);
	cfg_add_irqchip(c, T_IOAPIC, 0, &pin, 1);
	cfg_add_cap(c, 0x05, 0x50, 14, WD_PCICAPS_WRITE);
	cfg_add_cap(c, 0x01, 0x40, 8, 0);
	cfg_add_pci(c, T_BDF_NIC, 0, 2);
}

void cfg_attack(struct cfg *c)
{
	cell_common(c, "attack", 3, T_ATTACK_PHYS);
}

static uint8_t *put(uint8_t *p, const uint8_t *end, const void *src, size_t n)
{
	if (p + n > end) {
		fprintf(stderr, "cfg_build: buffer too small\n");
		abort();
	}
	memcpy(p, src, n);
	return p + n;
}

size_t cfg_build(const struct cfg *c, void *out, size_t max)
{
	uint8_t *p = out, *end = p + max;
	struct wd_cell_desc h = c->system ? c->sys.root_cell : c->cell;
	uint8_t cpus[64] = { 0 };

	h.cpu_set_size = c->cpu_set_size;
	h.num_memory_regions = c->nmem;
	h.num_irqchips = c->nirq;
	h.num_pio_regions = c->npio;
	h.num_pci_devices = c->npci;
	h.num_pci_caps = c->ncaps;
	memcpy(cpus, &c->cpus, sizeof(c->cpus));
	if (c->system) {
		struct wd_system s = c->sys;

		s.root_cell = h;
		p = put(p, end, &s, sizeof(s));
	} else {
		p = put(p, end, &h, sizeof(h));
	}
	p = put(p, end, cpus, c->cpu_set_size);
	p = put(p, end, c->mem, c->nmem * sizeof(c->mem[0]));
	p = put(p, end, c->irq, c->nirq * sizeof(c->irq[0]));
	p = put(p, end, c->pio, c->npio * sizeof(c->pio[0]));
	p = put(p, end, c->pci, c->npci * sizeof(c->pci[0]));
	p = put(p, end, c->caps, c->ncaps * sizeof(c->caps[0]));
	return (size_t)(p - (uint8_t *)out);
}

/* ---- fixture ---------------------------------------------------------- */

static uint32_t replies[WD_MAX_CELLS];

static void responder(void *arg)
{
	unsigned int id;

	(void)arg;
	for (id = 0; id < WD_MAX_CELLS; id++) {
		struct wd_comm_region *comm = fx_comm(id);

		if (comm && replies[id] && comm->msg_to_cell != WD_MSG_NONE &&
		    comm->reply_from_cell == WD_MSG_NONE)
			comm->reply_from_cell = replies[id];
	}
}

void fx_respond(unsigned int cell_id, uint32_t reply)
{
	replies[cell_id] = reply;
}

int fx_enable_raw(const void *buf, size_t len)
{
	memset(replies, 0, sizeof(replies));
	if (sim_machine_init(0, T_RAM_SIZE, T_CPUS))
		abort();
	sim_set_relax_hook(responder, NULL);
	return sim_enable(buf, len);
}

int fx_enable(const struct cfg *sys)
{
	static uint8_t buf[65536];
	struct cfg def;
	size_t len;

	if (!sys) {
		cfg_system(&def);
		sys = &def;
	}
	len = cfg_build(sys, buf, sizeof(buf));
	return fx_enable_raw(buf, len);
}

void fx_teardown(void)
{
	sim_machine_free();
}

size_t fx_put(const struct cfg *c, uint64_t gpa)
{
	static uint8_t buf[65536];
	size_t len = cfg_build(c, buf, sizeof(buf));
	void *dst = sim_phys_ptr(gpa, len);

	if (!dst)
		abort();
	memcpy(dst, buf, len);
	return len;
}

long hc(unsigned int cpu, unsigned long code, unsigned long a1,
	unsigned long a2)
{
	sim_set_cpu(cpu);
	return core_hypercall(code, a1, a2, false);
}

long hc_user(unsigned int cpu, unsigned long code, unsigned long a1,
	     unsigned long a2)
{
	sim_set_cpu(cpu);
	return core_hypercall(code, a1, a2, true);
}

long fx_create(const struct cfg *c)
{
	fx_put(c, T_CFG_GPA);
	return hc(0, WD_HC_CELL_CREATE, T_CFG_GPA, 0);
}

long fx_tiny_running(void)
{
	struct cfg c;
	long id;

	cfg_tiny(&c);
	id = fx_create(&c);
	if (id < 0 || hc(0, WD_HC_CELL_SET_LOADABLE, id, 0) ||
	    hc(0, WD_HC_CELL_START, id, 0))
		return -1;
	return id;
}

struct wd_comm_region *fx_comm(unsigned int id)
{
	struct cell *cell = core_cell_by_id(id);

	return cell ? core_cell_comm(cell) : NULL;
}

unsigned int fx_reason(unsigned int id)
{
	struct cell *cell = core_cell_by_id(id);

	return cell ? core_cell_last_reason(cell)->code : ~0U;
}

uint64_t fx_item(unsigned int id)
{
	struct cell *cell = core_cell_by_id(id);

	return cell ? core_cell_last_reason(cell)->item : ~0ULL;
}

enum access_result fx_mmio(unsigned int cpu, bool write, uint64_t addr,
			   unsigned int size, uint64_t *val)
{
	struct mmio_access acc = { .address = addr,
				   .size = size,
				   .is_write = write,
				   .value = val ? *val : 0 };
	enum access_result r;

	sim_set_cpu(cpu);
	r = core_mmio(&acc);
	if (val)
		*val = acc.value;
	return r;
}

enum access_result fx_pio(unsigned int cpu, bool write, uint16_t port,
			  unsigned int size, uint32_t *val)
{
	struct pio_access acc = { port, size, write, val ? *val : 0 };
	enum access_result r;

	sim_set_cpu(cpu);
	r = core_pio(&acc);
	if (val)
		*val = acc.value;
	return r;
}
