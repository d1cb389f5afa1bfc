// SPDX-License-Identifier: GPL-2.0
/*
 * Capstone 4 decoding of trapping memory accesses. Register ids are
 * Capstone's, which coincide with Unicorn's for the GPRs (asserted below),
 * so a record's reg= names the register the engine would write.
 */
#include <assert.h>
#include <string.h>

#include <capstone/capstone.h>
#include <unicorn/unicorn.h>

#include "decode.h"

static_assert(X86_REG_RAX == (int)UC_X86_REG_RAX &&
		      X86_REG_EAX == (int)UC_X86_REG_EAX &&
		      X86_REG_AL == (int)UC_X86_REG_AL &&
		      X86_REG_R15 == (int)UC_X86_REG_R15 &&
		      X86_REG_RIP == (int)UC_X86_REG_RIP,
	      "Capstone and Unicorn x86 register ids differ");
static_assert(ARM_REG_R0 == (int)UC_ARM_REG_R0 &&
		      ARM_REG_R12 == (int)UC_ARM_REG_R12 &&
		      ARM_REG_SP == (int)UC_ARM_REG_SP &&
		      ARM_REG_LR == (int)UC_ARM_REG_LR &&
		      ARM_REG_PC == (int)UC_ARM_REG_PC,
	      "Capstone and Unicorn ARM register ids differ");

static int x86(const cs_insn *in, struct decoded *d)
{
	const cs_x86 *x = &in->detail->x86;
	int i, mem = -1, reg = -1;

	for (i = 0; i < x->op_count; i++) {
		if (x->operands[i].type == X86_OP_MEM && mem < 0)
			mem = i;
		else if (x->operands[i].type == X86_OP_REG && reg < 0)
			reg = i;
	}
	if (mem < 0)
		return -1;
	d->size = x->operands[mem].size;
	d->write = (x->operands[mem].access & CS_AC_WRITE) != 0;
	if (reg >= 0 && x->operands[reg].reg < 0xff)
		d->reg = (uint8_t)x->operands[reg].reg;
	d->sext = in->id == X86_INS_MOVSX || in->id == X86_INS_MOVSXD;
	switch (in->id) { /* string instructions step RSI/RDI */
	case X86_INS_MOVSB:
	case X86_INS_MOVSW:
	case X86_INS_MOVSD:
	case X86_INS_MOVSQ:
	case X86_INS_STOSB:
	case X86_INS_STOSW:
	case X86_INS_STOSD:
	case X86_INS_STOSQ:
	case X86_INS_LODSB:
	case X86_INS_LODSW:
	case X86_INS_LODSD:
	case X86_INS_LODSQ:
		d->wback = 1;
		break;
	default:
		break;
	}
	return 0;
}

static int arm(const cs_insn *in, struct decoded *d)
{
	const cs_arm *a = &in->detail->arm;
	int i, mem = -1;

	switch (in->id) {
	case ARM_INS_LDRSB:
	case ARM_INS_LDRSBT:
		d->sext = 1;
		/* fall through */
	case ARM_INS_LDRB:
	case ARM_INS_LDRBT:
		d->size = 1;
		break;
	case ARM_INS_LDRSH:
	case ARM_INS_LDRSHT:
		d->sext = 1;
		/* fall through */
	case ARM_INS_LDRH:
	case ARM_INS_LDRHT:
		d->size = 2;
		break;
	case ARM_INS_LDR:
	case ARM_INS_LDRT:
	case ARM_INS_LDREX:
		d->size = 4;
		break;
	case ARM_INS_LDRD:
		d->size = 8;
		break;
	case ARM_INS_STRB:
	case ARM_INS_STRBT:
		d->size = 1, d->write = true;
		break;
	case ARM_INS_STRH:
	case ARM_INS_STRHT:
		d->size = 2, d->write = true;
		break;
	case ARM_INS_STR:
	case ARM_INS_STRT:
		d->size = 4, d->write = true;
		break;
	case ARM_INS_STRD:
		d->size = 8, d->write = true;
		break;
	default:
		return -1; /* ldm/stm and friends: no single register */
	}
	for (i = 0; i < a->op_count; i++)
		if (a->operands[i].type == ARM_OP_MEM) {
			mem = i;
			break;
		}
	if (mem < 1 || a->operands[0].type != ARM_OP_REG)
		return -1;
	d->reg = (uint8_t)a->operands[0].reg;
	/* Post-indexed forms carry the offset as an operand after the
	 * memory operand and always write back. */
	d->wback = a->writeback || mem + 1 < a->op_count;
	return 0;
}

int decode_access(bool is_arm, const uint8_t *code, size_t n, uint64_t pc,
		  struct decoded *d)
{
	csh h;
	cs_insn *in = NULL;
	int ret = -1;

	memset(d, 0, sizeof(*d));
	d->reg = 0xff;
	if (cs_open(is_arm ? CS_ARCH_ARM : CS_ARCH_X86,
		    is_arm ? CS_MODE_ARM : CS_MODE_64, &h) != CS_ERR_OK)
		return -1;
	cs_option(h, CS_OPT_DETAIL, CS_OPT_ON);
	if (cs_disasm(h, code, n, pc, 1, &in) == 1) {
		d->len = (uint8_t)in->size;
		ret = is_arm ? arm(in, d) : x86(in, d);
		cs_free(in, 1);
	}
	cs_close(&h);
	if (ret)
		d->reg = 0xff;
	return ret;
}
