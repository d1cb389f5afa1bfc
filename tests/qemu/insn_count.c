// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU TCG plugin (plugin API version 1, QEMU 7.2): counts the instructions
 * vCPU 0 executes inside [lo, hi) (the hypervisor's image: HYP runs with
 * its MMU off, so its PCs are physical addresses) and prints the count at
 * every execution of the instruction at "mark" (a marker function of the
 * root-cell manager) and at exit:
 *   qemu-system-arm ... -plugin insn_count.so,lo=0x4f000000,hi=0x4f100000,mark=0x40101234
 * With "prof=N" it also counts per instruction in [lo, lo + N) and, at
 * every mark, prints "insn_count: pc 0xADDR N" for each one executed
 * since the previous mark (tests/qemu/x86_figures.py --profile sums them
 * per function).
 * Debian ships no qemu-plugin.h: the few declarations are written here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu, void *udata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *udata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *udata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t lo, hi, mark, count, prof_size;
static uint64_t *prof; /* per byte of [lo, lo + prof_size) */
static unsigned int marks;

static void on_insn(unsigned int vcpu, void *udata)
{
	(void)udata;
	if (vcpu == 0)
		count++;
}

static void on_insn_prof(unsigned int vcpu, void *udata)
{
	if (vcpu == 0) {
		count++;
		prof[(uintptr_t)udata]++;
	}
}

static void print_prof(void)
{
	char buf[80];
	uint64_t i;

	for (i = 0; i < prof_size; i++) {
		if (!prof[i])
			continue;
		snprintf(buf, sizeof(buf),
			 "insn_count: pc 0x%" PRIx64 " %" PRIu64 "\n", lo + i,
			 prof[i]);
		qemu_plugin_outs(buf);
		prof[i] = 0;
	}
}

static void on_mark(unsigned int vcpu, void *udata)
{
	char buf[80];

	(void)udata;
	if (vcpu != 0)
		return;
	if (prof)
		print_prof();
	snprintf(buf, sizeof(buf), "insn_count: mark %u hyp %" PRIu64 "\n",
		 marks++, count);
	qemu_plugin_outs(buf);
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);

		if (prof && pc >= lo && pc < lo + prof_size)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_insn_prof, QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)(pc - lo));
		else if (pc >= lo && pc < hi)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_insn, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (pc == mark)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void at_exit_cb(qemu_plugin_id_t id, void *udata)
{
	char buf[80];

	(void)id;
	(void)udata;
	snprintf(buf, sizeof(buf), "insn_count: exit hyp %" PRIu64 "\n", count);
	qemu_plugin_outs(buf);
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc,
		    char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "lo=", 3))
			lo = strtoull(argv[i] + 3, NULL, 0);
		else if (!strncmp(argv[i], "hi=", 3))
			hi = strtoull(argv[i] + 3, NULL, 0);
		else if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "prof=", 5))
			prof_size = strtoull(argv[i] + 5, NULL, 0);
	}
	if (prof_size) {
		prof = calloc(prof_size, sizeof(*prof));
		if (!prof)
			return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, at_exit_cb, NULL);
	return 0;
}
