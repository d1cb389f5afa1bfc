// SPDX-License-Identifier: GPL-2.0
/*
 * x86 probe: what the test machines (QEMU q35 and Bochs) offer the AMD-V
 * backend and what their system configs must describe. Booted like warden
 * (tests/qemu/x86_manager.py, runs "probe"), it prints on COM1:
 *
 *   x86-probe: boot magic 0x2badb002 cmdline "exit=qemu" mem 640/130048 KiB
 *   x86-probe: cpu AuthenticAMD svm 1 npt 1 nrip 0 asids 16 svm-rev 1 ...
 *   x86-probe: apic base 0xfee00000 x2apic-cpuid 0 x2apic-on 0 id 0
 *   x86-probe: pci 00:1f.0 8086:2918 class 0x060100
 *   x86-probe: bar 00:01.0 0 mem 0xfeb80000 size 0x20000
 *   x86-probe: q35 pciexbar 0xb0000000 ...
 *   x86-probe: mem 0x800000 5744...    (16 bytes at each boot layout address)
 *   x86-probe: done
 *
 * and leaves the emulator through the port its command line names:
 * "exit=qemu" isa-debug-exit (0xf4), "exit=bochs" the shutdown port
 * (0x8900). The runner compares these lines with what the backend needs
 * and with configs/<machine>/system.dts.
 */
#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3f8
#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_VALUE 0x10 /* QEMU's status: 0x21 */
#define BOCHS_SHUTDOWN_PORT 0x8900
#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define IOAPIC_BASE 0xfec00000u
#define HPET_BASE 0xfed00000u
#define MSR_APIC_BASE 0x1b

struct multiboot_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(0));
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static uint32_t mmio_read(uint32_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static void mmio_write(uint32_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static void putc_serial(char c)
{
	int n;

	for (n = 0; n < 100000 && !(inb(COM1 + 5) & 0x20); n++)
		;
	outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s);
	}
}

static void put_hex(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	puts_(buf + i);
}

static void put_hex2(uint32_t v, int digits)
{
	while (digits--)
		putc_serial("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(buf + i);
}

static void serial_init(void)
{
	outb(COM1 + 1, 0);    /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 1);    /* 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0x07); /* FIFOs on, cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static uint32_t pci_read(unsigned int bdf, unsigned int reg)
{
	outl(PCI_ADDR, 0x80000000u | (bdf << 8) | (reg & 0xfc));
	return inl(PCI_DATA);
}

static void pci_write(unsigned int bdf, unsigned int reg, uint32_t v)
{
	outl(PCI_ADDR, 0x80000000u | (bdf << 8) | (reg & 0xfc));
	outl(PCI_DATA, v);
}

static void line(const char *s)
{
	puts_("x86-probe: ");
	puts_(s);
}

static void put_bdf(unsigned int bdf)
{
	put_hex2(bdf >> 8, 2);
	putc_serial(':');
	put_hex2((bdf >> 3) & 0x1f, 2);
	putc_serial('.');
	put_hex2(bdf & 7, 1);
}

/* A BAR's size by the usual sizing write, the BAR restored after it. */
static void probe_bars(unsigned int bdf, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		unsigned int reg = 0x10 + 4 * i;
		uint32_t bar = pci_read(bdf, reg), mask, size;
		bool io = bar & 1, wide = !io && (bar & 6) == 4;

		pci_write(bdf, reg, 0xffffffffu);
		mask = pci_read(bdf, reg);
		pci_write(bdf, reg, bar);
		mask &= io ? ~3u : ~0xfu;
		if (io)
			mask |= 0xffff0000u;
		size = ~mask + 1;
		if (mask) {
			line("bar ");
			put_bdf(bdf);
			putc_serial(' ');
			put_dec(i);
			puts_(io ? " io " : " mem ");
			put_hex(bar & (io ? ~3u : ~0xfu));
			if (wide)
				put_hex2(pci_read(bdf, reg + 4), 8);
			puts_(" size ");
			put_hex(size);
			puts_(wide ? " 64-bit\n" : "\n");
		}
		if (wide)
			i++;
	}
}

static void probe_pci(void)
{
	unsigned int dev, fn;

	for (dev = 0; dev < 32; dev++) {
		for (fn = 0; fn < 8; fn++) {
			unsigned int bdf = (dev << 3) | fn;
			uint32_t id = pci_read(bdf, 0), hdr;

			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			hdr = (pci_read(bdf, 0xc) >> 16) & 0xff;
			line("pci ");
			put_bdf(bdf);
			putc_serial(' ');
			put_hex2(id & 0xffff, 4);
			putc_serial(':');
			put_hex2(id >> 16, 4);
			puts_(" class ");
			put_hex2(pci_read(bdf, 8) >> 8, 6);
			puts_(" header ");
			put_hex2(hdr, 2);
			puts_("\n");
			probe_bars(bdf, (hdr & 0x7f) == 0 ? 6 : 2);
			/* q35's host bridge: where the ECAM is. */
			if (id == 0x29c08086) {
				line("q35 pciexbar ");
				put_hex(pci_read(bdf, 0x60));
				puts_(" high ");
				put_hex(pci_read(bdf, 0x64));
				puts_("\n");
			}
			/* ICH9's LPC: the ACPI PM block. */
			if (id == 0x29188086) {
				line("ich9 pmbase ");
				put_hex(pci_read(bdf, 0x40) & 0xff80);
				puts_(" acpi-cntl ");
				put_hex(pci_read(bdf, 0x44) & 0xff);
				puts_("\n");
			}
			/* PIIX4's power management function. */
			if (id == 0x71138086) {
				line("piix4 pmba ");
				put_hex(pci_read(bdf, 0x40) & 0xffc0);
				puts_(" pmregmisc ");
				put_hex(pci_read(bdf, 0x80) & 0xff);
				puts_("\n");
			}
			if (fn == 0 && !(hdr & 0x80))
				break;
		}
	}
}

/*
 * The first 16 bytes at each address of the boot layout (arch-x86/boot.h):
 * the runner compares them with the files it loaded there.
 */
static void probe_layout(void)
{
	/* ... and the last 16 bytes of a 1 MiB - 16 blob at 0x100000 */
	static const uint32_t where[] = { 0x100000, 0x1fffe0, 0x800000,
					  0x810000, 0x81f000, 0x820000,
					  0x860000, 0x870000 };
	unsigned int i, j;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		const volatile uint8_t *p =
			(const volatile uint8_t *)(uintptr_t)where[i];

		line("mem ");
		put_hex(where[i]);
		putc_serial(' ');
		for (j = 0; j < 16; j++)
			put_hex2(p[j], 2);
		puts_("\n");
	}
}

static bool has(const char *s, const char *word)
{
	const char *p, *w;

	for (; *s; s++) {
		for (p = s, w = word; *w && *p == *w; p++, w++)
			;
		if (!*w)
			return true;
	}
	return false;
}

void probe_main(uint32_t magic, const struct multiboot_info *mb);

void probe_main(uint32_t magic, const struct multiboot_info *mb)
{
	const char *cmdline = "";
	uint32_t r[4], vendor[4], max_ext, svm_edx = 0, svm_ebx = 0;
	uint32_t svm_eax = 0;
	uint64_t apic_base;
	bool svm;

	serial_init();
	if (magic == 0x2badb002 && (mb->flags & 4) && mb->cmdline)
		cmdline = (const char *)(uintptr_t)mb->cmdline;
	line("boot magic ");
	put_hex(magic);
	puts_(" cmdline \"");
	puts_(cmdline);
	puts_("\" mem ");
	put_dec(magic == 0x2badb002 && (mb->flags & 1) ? mb->mem_lower : 0);
	putc_serial('/');
	put_dec(magic == 0x2badb002 && (mb->flags & 1) ? mb->mem_upper : 0);
	puts_(" KiB\n");

	cpuid(0, r);
	vendor[0] = r[1];
	vendor[1] = r[3];
	vendor[2] = r[2];
	vendor[3] = 0;
	cpuid(0x80000000, r);
	max_ext = r[0];
	cpuid(0x80000001, r);
	svm = max_ext >= 0x80000001 && (r[2] & (1u << 2));
	if (svm && max_ext >= 0x8000000a) {
		cpuid(0x8000000a, r);
		svm_eax = r[0];
		svm_ebx = r[1];
		svm_edx = r[3];
	}
	line("cpu ");
	puts_((const char *)vendor);
	puts_(" svm ");
	put_dec(svm);
	puts_(" npt ");
	put_dec(svm_edx & 1);
	puts_(" nrip ");
	put_dec((svm_edx >> 3) & 1);
	puts_(" asids ");
	put_dec(svm_ebx);
	puts_(" svm-rev ");
	put_dec(svm_eax & 0xff);
	puts_(" svm-features ");
	put_hex(svm_edx);
	puts_("\n");

	cpuid(1, r);
	apic_base = rdmsr(MSR_APIC_BASE);
	line("apic base ");
	put_hex((uint32_t)apic_base & 0xfffff000u);
	puts_(" x2apic-cpuid ");
	put_dec((r[2] >> 21) & 1);
	puts_(" x2apic-on ");
	put_dec((apic_base >> 10) & 1);
	puts_(" bsp ");
	put_dec((apic_base >> 8) & 1);
	puts_(" id ");
	put_dec(r[1] >> 24);
	puts_(" lapic-version ");
	put_hex(mmio_read(0xfee00030) & 0xff);
	puts_("\n");

	mmio_write(IOAPIC_BASE, 1); /* IOREGSEL: the version register */
	r[0] = mmio_read(IOAPIC_BASE + 0x10);
	line("ioapic ");
	put_hex(IOAPIC_BASE);
	puts_(" version ");
	put_hex(r[0] & 0xff);
	puts_(" pins ");
	put_dec(((r[0] >> 16) & 0xff) + 1);
	puts_("\n");
	r[0] = mmio_read(HPET_BASE);
	line("hpet ");
	put_hex(HPET_BASE);
	puts_(" capabilities ");
	put_hex(r[0]);
	puts_("\n");

	probe_pci();
	probe_layout();
	line("done\n");
	/* Bochs writes the file as the UART sends: wait until it has. */
	for (r[0] = 0; r[0] < 1000000 && !(inb(COM1 + 5) & 0x40); r[0]++)
		;

	if (has(cmdline, "exit=bochs")) {
		const char *s = "Shutdown";

		for (; *s; s++)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	} else if (has(cmdline, "exit=qemu")) {
		outl(QEMU_EXIT_PORT, QEMU_EXIT_VALUE);
	}
	line("no exit port on the command line: halting\n");
}
