/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 set-up after start.S: the IDT, the C entry of every CPU, traps and
 * interrupts, the hypercall instruction and CPU start-up by INIT/SIPI.
 */
#include <inmate.h>

struct idt_entry {
	uint16_t offset0;
	uint16_t selector;
	uint16_t flags;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));

/* What vector_common leaves on the stack. */
struct x86_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

extern const char x86_vector_stubs[];
extern char stacks[];

static struct idt_entry idt[256] __attribute__((aligned(16)));
static bool use_vmmcall;
static volatile cpu_entry_t ap_entry;

static void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < ARRAY_SIZE(idt); v++) {
		uint64_t a = (uintptr_t)x86_vector_stubs + 16 * v;

		idt[v] = (struct idt_entry){
			.offset0 = a & 0xffff,
			.selector = BOOT_CS64,
			.flags = 0x8e00, /* present, DPL 0, interrupt gate */
			.offset1 = (a >> 16) & 0xffff,
			.offset2 = a >> 32,
		};
	}
}

static void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uintptr_t)idt };

	asm volatile("lidt %0" : : "m"(desc));
}

void x86_trap(struct x86_frame *f)
{
	if (f->vector == SPURIOUS_VECTOR)
		return; /* no EOI for spurious interrupts */
	if (f->vector >= 32) {
		irq_dispatch(f->vector);
		apic_eoi();
		return;
	}
	inmate_params.state = INMATE_STATE_FATAL;
	printf("[fatal] cpu %u: exception %lu (error 0x%lx) at rip 0x%lx\n",
	       cpu_index(), (unsigned long)f->vector, (unsigned long)f->error,
	       (unsigned long)f->rip);
	inmate_halt();
}

bool hypercall_use_vmmcall(void)
{
	return use_vmmcall;
}

/* Jailhouse inmates pick vmcall or vmmcall from the CPU; so do we, unless
 * the parameters say otherwise. */
static bool cpu_is_amd(void)
{
	uint32_t r[4];

	cpuid(0, r);
	/* "AuthenticAMD" / "HygonGenuine": EBX holds the first 4 bytes. */
	return r[1] == 0x68747541 || r[1] == 0x6f677948;
}

void arch_init(void)
{
	switch (inmate_params.hypercall) {
	case INMATE_HC_INSN_VMCALL:
		use_vmmcall = false;
		break;
	case INMATE_HC_INSN_VMMCALL:
		use_vmmcall = true;
		break;
	default:
		use_vmmcall = cpu_is_amd();
	}
	idt_init();
	arch_cpu_init();
}

void arch_cpu_init(void)
{
	idt_load();
}

/* C entry of every CPU (start.S), on its own stack. */
void __attribute__((noreturn)) x86_entry(unsigned int idx)
{
	if (idx == 0) {
		arch_init();
		inmate_start();
	}
	arch_cpu_init();
	__atomic_fetch_add(&inmate_params.cpus_up, 1, __ATOMIC_SEQ_CST);
	ap_entry(idx);
	inmate_halt();
}

unsigned int cpu_index(void)
{
	uintptr_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return (sp - (uintptr_t)stacks) / STACK_SIZE;
}

uint64_t cpu_hw_id(void)
{
	uint32_t r[4];

	/* The x2APIC id (leaf 0xb), also when the x2APIC is off; the
	 * initial APIC id (leaf 1) on CPUs without leaf 0xb. */
	cpuid(0, r);
	if (r[0] >= 0xb) {
		cpuid(0xb, r);
		return r[3];
	}
	cpuid(1, r);
	return r[1] >> 24;
}

void cpu_set_entry(cpu_entry_t entry)
{
	ap_entry = entry;
	memory_barrier();
}

int cpu_start(uint64_t hw_id, cpu_entry_t entry)
{
	uint32_t up = inmate_params.cpus_up;

	apic_init();
	cpu_set_entry(entry);
	wrmsr(MSR_X2APIC_ICR, (hw_id << 32) | APIC_ICR_INIT);
	wrmsr(MSR_X2APIC_ICR,
	      (hw_id << 32) | APIC_ICR_SIPI | (AP_ENTRY_ADDRESS >> 12));
	/* CPUs come up one at a time: this one got index up (the boot CPU
	 * counts itself in cpus_up). */
	return cpu_wait_started(up) ? (int)up : -1;
}

/* Weak: a program may end differently (the x86 root-cell manager powers
 * the machine off after a fatal exception). */
void __attribute__((weak)) inmate_halt(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}
