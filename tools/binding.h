/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DTS binding of warden configs (docs/config.md), as tables shared by
 * the compiler (tools/dts.c) and the dumper (tools/dump.c): one table per
 * node kind, one entry per property, naming the field it fills. Sharing the
 * tables is what keeps compile(dump(x)) == x: both sides walk the same
 * list of fields.
 */
#ifndef WARDEN_TOOLS_BINDING_H
#define WARDEN_TOOLS_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A named value of a flags or enum field. */
struct name_val {
	const char *name;
	uint64_t val;
};

enum ptype {
	PT_NUM,	   /* unsigned: one cell, or a 64-bit value (/bits/ 64) */
	PT_FLAGS,  /* string list: flag names and numeric strings ("0x40") */
	PT_ENUM,   /* one name, or a number (cell or numeric string) */
	PT_BDF,	   /* "BB:DD.F" (hex bus, device, function) or a number */
	PT_BYTES,  /* raw bytes [..], exactly width of them */
	PT_BOOL,   /* empty property: sets the bits in mask */
	PT_WIDTHS, /* io-widths = <8 16 32 64>: bits 16..19 of the field */
	PT_U32S,   /* exactly width / 4 cells */
	PT_SPECIAL /* known here, parsed and dumped by the node's own code */
};

/* struct prop.flags */
#define P_REQ 0x01	/* compile: required */
#define P_HEX 0x02	/* dump: hexadecimal */
#define P_ALWAYS 0x04	/* dump: even when zero */
#define P_SIZE 0x08	/* dump: comment with the size in KiB/MiB/GiB */
#define P_CELLCFG 0x10	/* only in a cell config's root node */
#define P_ROOTCELL 0x20 /* only in a system's root-cell node */
#define P_AMD 0x40	/* IOMMU: shares bytes with P_PVU entries */
#define P_PVU 0x80
#define P_ALWAYS_CFG 0x100 /* dump: always in a cell config's root */

struct prop {
	const char *name;
	enum ptype type;
	uint16_t off;	/* byte offset of the field in the node's struct */
	uint16_t width; /* bytes of the field */
	uint64_t mask;	/* bits of the field this property owns; 0: all */
	const struct name_val *names;
	unsigned int flags;
};

/* Tables end with an entry whose name is NULL. */
extern const struct prop sys_props[], hv_mem_props[], console_props[],
	platform_props[], x86_props[], arm_props[], iommu_props[], cell_props[],
	mem_props[], cache_props[], irqchip_props[], pio_props[], pci_props[],
	cap_props[];
extern const struct name_val arch_names[];

/* Sub-page width property: value of io-widths -> bit, and back. */
#define IO_WIDTH_SHIFT 16

/*
 * Read a little-endian field of @width bytes at @base + @off, and write
 * one. The structs are packed little-endian whatever the host.
 */
uint64_t field_get(const void *base, unsigned int off, unsigned int width);
void field_set(void *base, unsigned int off, unsigned int width, uint64_t v);

/* Look up @name (NULL if unknown) / @val (NULL if no exact name). */
const struct name_val *name_find(const struct name_val *tab, const char *name);
const char *name_of(const struct name_val *tab, uint64_t val);

/* Parse a numeric string (C syntax: 0x.., 0.., decimal); false if not. */
bool parse_numstr(const char *s, uint64_t *v);

/* Container node names of the variable arrays, indexed by cellcfg_kind. */
extern const char *const container_names[];

#endif /* !WARDEN_TOOLS_BINDING_H */
