/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config map: who owns what in a system config and its cells. One
 * model (struct map), built once from the configs and the checker's
 * problems, drawn as text (tools/map.c) or as an SVG picture
 * (tools/map_svg.c).
 */
#ifndef WARDEN_TOOLS_MAP_H
#define WARDEN_TOOLS_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/cellcfg.h"

/* Owners: the hypervisor (its memory, the PCI config space window), the
 * root cell, then the cells in the order given. A mask has bit N for
 * owner N, so at most 64 owners. */
#define MAP_HV 0
#define MAP_ROOT 1
#define MAP_MAX_OWNERS 64

struct map_owner {
	const struct cellcfg *cfg; /* NULL for the hypervisor */
	char name[40];		   /* cell name, or "hypervisor" */
};

/* One memory region of one owner, or a range of the platform's. */
struct map_mem {
	unsigned int owner;
	int idx;	/* region index in the owner's config; -1: platform */
	uint64_t start; /* physical, or guest for comm regions */
	uint64_t size;	/* > 0 */
	uint64_t flags; /* WD_MEM_* */
	char what[96];	/* node name, ivshmem role, platform range */
	int problem;	/* first problem about it, -1 if none */
	bool taken;	/* a root region some cell takes (part of) */
};

/* A run of consecutive ids (CPUs, pins, ports, BDFs) with the same set of
 * owners listing them. */
struct map_run {
	uint64_t chip; /* irqchip address (pins only) */
	uint64_t first, last;
	uint64_t owners; /* mask */
	char what[48];	 /* PCI: device type */
	int problem;	 /* first problem about an id of the run, or -1 */
};

struct map_problem {
	unsigned int owner; /* config it is reported on */
	unsigned int kind;  /* CFG_* or CHECK_HDR */
	unsigned int idx;
	uint64_t value; /* the value the message names, if numeric */
	char *line;	/* the check message */
};

struct map {
	unsigned int arch;
	struct map_owner owner[MAP_MAX_OWNERS];
	unsigned int nowners;
	struct map_mem *mem; /* physical ranges, in address order */
	unsigned int nmem;
	struct map_mem *comm; /* comm regions (guest addresses) */
	unsigned int ncomm;
	struct map_run *cpus, *pins, *pci, *pio;
	unsigned int ncpus, npins, npci, npio;
	struct map_problem *prob;
	unsigned int nprob;
};

/*
 * Build the map of @n configs (exactly one a system config; the cells in
 * creation order) and run the checker on them. Returns 0, or -1 with the
 * reason printed to @err (no system config, too many configs, no memory).
 */
int map_build(struct map *m, struct cellcfg **cfgs, unsigned int n, FILE *err);
void map_free(struct map *m);

void map_text(const struct map *m, FILE *out, bool colour);
/* The self-contained SVG picture (no scripts). */
void map_svg(const struct map *m, FILE *out, const char *title);

/* ---- helpers shared by map.c and map_svg.c ---- */

/* "4 KiB", "240 MiB", "1.5 GiB", "256 B". Returns @buf. */
const char *map_size(uint64_t size, char *buf, size_t len);
/* "R W X DMA IO ROOTSHARED ..." Returns @buf. */
const char *map_flags(uint64_t flags, char *buf, size_t len);
/* Last byte of a range, saturated. */
uint64_t map_last(const struct map_mem *r);
/* Names of the owners in @mask, ", "-separated. Returns @buf. */
const char *map_owners(const struct map *m, uint64_t mask, char *buf,
		       size_t len);
/* The owner a run is drawn as: the first cell in @mask that is not the
 * root cell (a cell takes what it lists from the root cell), else the root
 * cell, else the hypervisor. */
unsigned int map_holder(uint64_t mask);
/* "CPU 3", "pins 32-63", "00:01.0", "ports 0x2f8-0x2ff". Returns @buf. */
const char *map_run_name(const struct map_run *r, char kind, char *buf,
			 size_t len);

#endif /* !WARDEN_TOOLS_MAP_H */
