/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Precise failure reasons (warden extension). Every rejection in the core
 * records one of these codes plus the offending item; the name is the token
 * used in trap records, the text what the console prints.
 *
 * X(code, name, description of the item)
 */
#ifndef WARDEN_REASON_H
#define WARDEN_REASON_H

#define WD_REASONS(X)                                                               \
	X(0, none, "no failure recorded")                                           \
	/* configuration intake */                                                  \
	X(1, cfg_truncated,                                                         \
	  "config shorter than its header says; item = bytes needed")               \
	X(2, cfg_signature, "wrong config signature")                               \
	X(3, cfg_revision, "unsupported config revision; item = revision")          \
	X(4, cfg_arch, "config for another architecture; item = arch byte")         \
	X(5, cfg_too_large,                                                         \
	  "config larger than the hypervisor accepts; item = size")                 \
	X(6, cfg_name, "cell name empty or not NUL-terminated")                     \
	X(7, cfg_too_many, "too many entries of one kind; item = count")            \
	X(8, cfg_flags, "unknown flag bits; item = region index")                   \
	X(9, cfg_cpu_set_empty, "CPU set is empty")                                 \
	X(10, cfg_cpu_set_size,                                                     \
	  "CPU set larger than the CPU count; item = size")                         \
	X(11, mem_unaligned,                                                        \
	  "page-aligned region required; item = region index")                      \
	X(12, mem_size_zero,                                                        \
	  "memory region of size zero; item = region index")                        \
	X(13, mem_wrap, "memory region wraps around; item = region index")          \
	X(14, mem_overlap, "memory regions overlap; item = region index")           \
	X(15, mem_hypervisor,                                                       \
	  "region overlaps hypervisor memory; item = region index")                 \
	X(16, mem_subpage_width,                                                    \
	  "sub-page region without a valid access width; item = region index")      \
	X(17, mem_comm_region,                                                      \
	  "comm region must be one page, and only one; item = region index")        \
	X(18, mem_not_in_root,                                                      \
	  "region not owned by the root cell; item = region index")                 \
	X(19, irqchip_pins, "irqchip pin not assignable; item = pin")               \
	X(20, pio_range, "PIO range past port 0xffff; item = range index")          \
	X(21, pci_caps,                                                             \
	  "PCI device capabilities out of range; item = device index")              \
	X(22, pci_bdf_dup, "PCI device listed twice; item = BDF")                   \
	X(23, mem_map_failed, "stage-2 mapping failed; item = region index")        \
	X(24, no_memory,                                                            \
	  "hypervisor memory exhausted; item = pages wanted (0: backend tables)")   \
	X(25, pci_not_in_root,                                                      \
	  "PCI device not owned by the root cell; item = BDF")                      \
	X(26, mmio_overlap,                                                         \
	  "emulated MMIO range overlaps another one; item = address")               \
	X(27, pio_not_in_root, "port not owned by the root cell; item = port")      \
	X(28, mem_ecam,                                                             \
	  "region overlaps the PCI config space window; item = region index")       \
	/* cell management */                                                       \
	X(30, not_root,                                                             \
	  "management call from a non-root cell; item = hypercall code")            \
	X(31, cfg_address, "address not in the caller's RAM; item = address")       \
	X(32, cell_name_exists, "a cell with that name exists; item = its id")      \
	X(33, cpu_not_in_root, "CPU not owned by the root cell; item = CPU")        \
	X(34, cpu_is_caller, "CPU is the calling CPU; item = CPU")                  \
	X(35, cpu_invalid, "CPU id out of range; item = CPU")                       \
	X(36, cell_unknown, "no cell with that id; item = id")                      \
	X(37, cell_is_root,                                                         \
	  "operation not allowed on the root cell; item = id")                      \
	X(38, cell_locked,                                                          \
	  "a cell holds the configuration lock; item = its id")                     \
	X(39, shutdown_denied,                                                      \
	  "cell denied the shutdown request; item = its id")                        \
	X(40, too_many_cells, "cell table full; item = limit")                      \
	X(41, info_type, "unknown info type; item = type")                          \
	X(42, hypercall_unknown, "unknown hypercall; item = code")                  \
	X(43, putc_not_permitted,                                                   \
	  "debug console not permitted for this cell; item = cell id")              \
	X(44, cell_state,                                                           \
	  "cell state invalid for this operation; item = state")                    \
	X(45, not_enabled, "hypervisor not enabled")                                \
	X(46, reason_access, "reason of another cell requested; item = id")         \
	X(47, shutdown_timeout,                                                     \
	  "cell did not answer the shutdown request in time; item = timeout in ns") \
	X(48, already_enabled, "hypervisor already enabled")                        \
	X(49, cpu_init, "CPU could not enter the hypervisor; item = CPU")           \
	/* ivshmem devices: config rules, then links at CELL_CREATE */              \
	X(50, ivshmem_peers, "ivshmem peer count not in 2..16; item = BDF")         \
	X(51, ivshmem_id,                                                           \
	  "ivshmem device id not below the peer count; item = BDF")                 \
	X(52, ivshmem_regions,                                                      \
	  "ivshmem needs memory regions shmem-regions-start + 2 + peers; "          \
	  "item = BDF")                                                             \
	X(53, ivshmem_layout,                                                       \
	  "ivshmem shared memory not contiguous RAM, or a section too small; "      \
	  "item = region index")                                                    \
	X(54, ivshmem_writable,                                                     \
	  "ivshmem state table or a peer's output section writable; "               \
	  "item = region index")                                                    \
	X(55, ivshmem_vectors,                                                      \
	  "ivshmem MSI-X vector count invalid (x86 1..16, ARM 0); item = BDF")      \
	X(56, ivshmem_id_taken,                                                     \
	  "ivshmem id already used by a live peer; item = BDF")                     \
	X(57, ivshmem_mismatch,                                                     \
	  "ivshmem peers differ in shared memory, peers or vectors; item = BDF")    \
	/* traps from cells */                                                      \
	X(60, mmio_unhandled,                                                       \
	  "MMIO access outside the cell's regions; item = address")                 \
	X(61, mmio_width,                                                           \
	  "access width not permitted by the region; item = address")               \
	X(62, mmio_unaligned,                                                       \
	  "unaligned access to a sub-page region; item = address")                  \
	X(63, mmio_readonly,                                                        \
	  "write to a region without WRITE; item = address")                        \
	X(64, pio_denied, "port not assigned to the cell; item = port")             \
	X(65, pci_foreign,                                                          \
	  "config write to a PCI device of another cell; item = BDF")               \
	X(66, pci_header_write,                                                     \
	  "write to a protected PCI header register; item = BDF<<16|reg")           \
	X(67, pci_cap_write,                                                        \
	  "write to a read-only or unlisted PCI capability; item = BDF<<16|reg")    \
	X(68, pci_access_size,                                                      \
	  "PCI config access of invalid size or alignment; item = address")         \
	X(69, irq_foreign, "interrupt pin not owned by the cell; item = pin")       \
	X(70, machine_reset, "cell tried to reset the machine; item = method")      \
	X(71, machine_off,                                                          \
	  "cell tried to power off the machine; item = method")                     \
	X(72, cpu_exception,                                                        \
	  "unhandled exception in the cell; item = vector/class")                   \
	X(73, platform_denied,                                                      \
	  "platform register access denied; item = register")                       \
	X(74, hypervisor_fault,                                                     \
	  "fault inside the hypervisor; item = address, CPU or page")               \
	X(75, cpu_foreign,                                                          \
	  "CPU start request or interrupt for a CPU of another cell; item = CPU")   \
	X(76, mmio_claimed,                                                         \
	  "access to device registers a non-root cell owns; item = address")        \
	X(77, ivshmem_access,                                                       \
	  "ivshmem register or MSI-X access not aligned 32-bit; item = address")    \
	X(80, msr_denied,                                                           \
	  "MSR or APIC register access not allowed; item = MSR index")              \
	X(81, hypercall_user,                                                       \
	  "hypercall from guest user mode (CPL 3, PL0); item = hypercall code")     \
	/* ARMv7 decoder of MMIO accesses without syndrome (arch-armv7) */          \
	X(90, insn_unpredictable,                                                   \
	  "load/store the ARMv7 manual makes UNPREDICTABLE; item = instruction")    \
	X(91, insn_not_emulated,                                                    \
	  "MMIO access without syndrome by an instruction not emulated; "           \
	  "item = instruction")                                                     \
	X(92, insn_address,                                                         \
	  "decoded address is not the faulting one; item = instruction")            \
	X(93, insn_unreadable,                                                      \
	  "instruction of an MMIO access without syndrome not readable; "           \
	  "item = PC")                                                              \
	X(94, insn_thumb,                                                           \
	  "MMIO access without syndrome from Thumb code (not decoded); item = PC")  \
	/* 95-99: interrupt ownership, lost CPUs */                                 \
	X(95, cpu_lost,                                                             \
	  "CPU did not answer a park or suspend request: lost; item = CPU")         \
	X(100, sysreg_trapped,                                                      \
	  "trapped coprocessor access the backend does not emulate; item = HSR")    \
	/* x86 decoder of MMIO accesses (arch-x86/decode.c) */                      \
	X(101, insn_x86_not_emulated,                                               \
	  "MMIO access by an x86 instruction not emulated; "                        \
	  "item = its first 8 bytes, little-endian")                                \
	X(102, insn_x86_truncated,                                                  \
	  "x86 instruction of an MMIO access unreadable or over 15 bytes; "         \
	  "item = RIP")                                                             \
	X(103, insn_x86_address,                                                    \
	  "decoded address of an x86 MMIO access is not the faulting one; "         \
	  "item = its first 8 bytes, little-endian")                                \
	/* x86 exit layer (arch-x86/exit.c) */                                      \
	X(120, x86_walk_fault,                                                      \
	  "guest page walk of an x86 MMIO instruction faulted; "                    \
	  "item = linear address")                                                  \
	X(121, insn_x86_mode,                                                       \
	  "x86 MMIO instruction in a mode or form not decoded (16-bit code, "       \
	  "32-bit REX/moffs/disp32/67); item = RIP")                                \
	X(122, pio_string_rep,                                                      \
	  "string or REP port I/O (INS/OUTS) not emulated; item = port")            \
	X(123, xapic_denied,                                                        \
	  "xAPIC page access not allowed (width, alignment, register, IPI); "       \
	  "item = guest-physical address")                                          \
	X(124, x86_exec_mmio,                                                       \
	  "instruction fetch outside the cell's RAM; "                              \
	  "item = guest-physical address")                                          \
	/* IOAPIC emulation (arch-x86/ioapic.c) */                                  \
	X(125, ioapic_access,                                                       \
	  "IOAPIC access not emulated (not 32-bit, not IOREGSEL or IOWIN); "        \
	  "item = guest-physical address")                                          \
	X(126, ioapic_register,                                                     \
	  "IOAPIC write to ID, version, arbitration or a register past the "        \
	  "redirection table; item = register index")                               \
	X(127, ioapic_delivery,                                                     \
	  "IOAPIC entry not fixed/lowest-priority in physical mode (SMI, NMI, "     \
	  "INIT, ExtINT, logical); item = pin")                                     \
	X(128, ioapic_vector,                                                       \
	  "IOAPIC entry with a vector below 32; item = pin")                        \
	X(129, x86_event_npf,                                                       \
	  "nested page fault while delivering an event to the cell (IDT, "          \
	  "stack or TSS not in its RAM); item = guest-physical address")            \
	/* AMD-V backend (arch-amd/svm.c) */                                        \
	X(110, svm_state_invalid,                                                   \
	  "guest state VMRUN refuses (VMEXIT_INVALID); item = the cell's RIP")      \
	/* PCI MSI/MSI-X and device ownership (core/pci.c, hal_msi_route) */        \
	X(130, msi_address,                                                         \
	  "MSI address not allowed (format, mode, hint); "                          \
	  "item = BDF << 16 | index")                                               \
	X(131, msi_cpu_foreign,                                                     \
	  "MSI aimed at a CPU not of the cell; item = BDF << 16 | index")           \
	X(132, msi_delivery,                                                        \
	  "MSI delivery mode, trigger or data bits; item = BDF << 16 | index")      \
	X(133, msi_vector, "MSI vector below 32; item = BDF << 16 | index")         \
	X(134, msi_unsupported,                                                     \
	  "no MSI on this architecture (GICv2); item = BDF << 16 | index")          \
	X(135, msix_access,                                                         \
	  "bad MSI-X table access (width, owner); "                                 \
	  "item = guest-physical address")                                          \
	X(136, device_assign,                                                       \
	  "backend refused a PCI device (IOMMU); item = BDF")                       \
	/* VT-x backend (arch-x86/vmx.c, vmx_exit.c) */                             \
	X(140, vmx_state_invalid,                                                   \
	  "guest state VM entry refuses (exit reason 33); item = the cell's RIP")   \
	X(141, vmx_entry_failed,                                                    \
	  "VM entry failed; item = VMfail error number or exit reason")             \
	X(142, vmx_exit_unhandled,                                                  \
	  "VM exit the VT-x backend does not handle; item = basic exit reason")     \
	/* PCI configuration mechanism #1, ports 0xcf8/0xcfc (core/pio.c) */        \
	X(150, pci_addr_port,                                                       \
	  "PCI address port 0xcf8 accessed other than 32 bits at 0xcf8; "           \
	  "item = size << 16 | port")                                               \
	X(151, pci_data_port,                                                       \
	  "access crossing the PCI data ports 0xcfc-0xcff; "                        \
	  "item = size << 16 | port")                                               \
	X(152, pci_no_function,                                                     \
	  "config write through 0xcfc, address register disabled or beyond "        \
	  "the ECAM's buses; item = address register")                              \
	X(153, pio_pci_config,                                                      \
	  "config grants a PCI config port (0xcf8-0xcff, emulated); item = port")   \
	/* late launch from Linux (arch-armv7/setup.c, arch-x86/linux.c) */         \
	X(160, late_header,                                                         \
	  "image header's driver fields wrong; item = offset of the field")         \
	X(161, late_cpus_missing,                                                   \
	  "not every online CPU entered within a second; item = CPUs arrived")      \
	X(162, late_placement,                                                      \
	  "image not at the start of hypervisor memory or too large; item = start") \
	/* IOMMUs: DMA and interrupt remapping (core/pci.c, arch-x86/iommu.c) */    \
	X(170, iommu_none,                                                          \
	  "no IOMMU unit translates the PCI device given to a cell; item = BDF")    \
	X(171, iommu_unit,                                                          \
	  "IOMMU unit of the system config missing or unsupported; item = unit")    \
	X(172, dma_fault,                                                           \
	  "DMA blocked by the IOMMU; item = BDF << 48 | address")                   \
	X(173, dma_irq_fault,                                                       \
	  "interrupt blocked by the IOMMU; item = BDF << 48 | index or address")    \
	X(174, iommu_remap,                                                         \
	  "no interrupt-remapping entry left for the vector; "                      \
	  "item = BDF << 16 | index")                                               \
	/* the root cell's own limits (core/cell.c) */                              \
	X(185, cells_exist,                                                         \
	  "DISABLE while non-root cells exist; item = how many")

enum wd_reason {
#define WD_REASON_ENUM(code, name, text) WD_R_##name = code,
	WD_REASONS(WD_REASON_ENUM)
#undef WD_REASON_ENUM
};

#endif /* !WARDEN_REASON_H */
