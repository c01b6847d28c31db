/* glint-loader-abi.h: the contract between Glint's on-target flash loader
 * (core/family/<id>/loader/) and its host side (glint-loader.c): control block and
 * descriptor layout, op codes, error codes. Plain #defines so that the
 * assembler's preprocessor can read it too.
 *
 * Control block (host writes N_SLOTS and PAGE_SIZE before starting the
 * loader with r0 pointing at it; the loader owns the rest):
 *   0x00 MAGIC        LOADER_MAGIC once the loader runs
 *   0x04 DONE         descriptors completed so far
 *   0x08 ERROR        status error flags (bits 23:0), or a LOADER_ERR_* code; 0 while fine
 *   0x0C ERROR_ADDR   flash address the error concerns
 *   0x10 N_SLOTS      descriptors in the ring
 *   0x14 PAGE_SIZE    bytes per flash page (PAGE_CRCS)
 *   0x18 HCLK_FAST    1 when HCLK is, or will be made, >= 8 MHz (fast programming allowed)
 *   0x1C CLOCK_STATE  0 untouched, 1 to be raised when needed, 2 raised
 *   0x20 SAVED_MSIRANGE, 0x24 SAVED_ACR, 0x28 SAVED_AHB1ENR  what EXIT puts back
 *   0x40 descriptors, 16 bytes each: ADDR, LEN, ARG, OP (OP last, so one
 *        16-byte write publishes a complete descriptor).
 */
#pragma once

#define LOADER_MAGIC 0x52444C47 /* "GLDR" */

#define LOADER_CB_MAGIC 0x00
#define LOADER_CB_DONE 0x04
#define LOADER_CB_ERROR 0x08
#define LOADER_CB_ERROR_ADDR 0x0C
#define LOADER_CB_N_SLOTS 0x10
#define LOADER_CB_PAGE_SIZE 0x14
#define LOADER_CB_HCLK_FAST 0x18
#define LOADER_CB_CLOCK_STATE 0x1C
#define LOADER_CB_SAVED_MSIRANGE 0x20
#define LOADER_CB_SAVED_ACR 0x24
#define LOADER_CB_SAVED_AHB1ENR 0x28
#define LOADER_CB_DESC 0x40

#define LOADER_DESC_ADDR 0x0
#define LOADER_DESC_LEN 0x4
#define LOADER_DESC_ARG 0x8 /* source buffer, output buffer or CRC result */
#define LOADER_DESC_OP 0xC
#define LOADER_DESC_SIZE 16

#define LOADER_OP_NONE 0
#define LOADER_OP_PROGRAM 1	 /* ADDR, LEN (x8), ARG = source */
#define LOADER_OP_PROGRAM_FAST 2 /* ADDR (row aligned), LEN (x256), ARG = source */
#define LOADER_OP_ERASE 3	 /* ADDR (for reports), LEN = the family's erase command */
#define LOADER_OP_CRC 4		 /* ADDR, LEN; CRC-32 returned in ARG */
#define LOADER_OP_PAGE_CRCS 5	 /* ADDR, LEN = pages, ARG = output words */
#define LOADER_OP_EXIT 6
/* ADDR, LEN, ARG as PROGRAM; the next descriptor is a PROGRAM of another
 * bank, published right after, and both are programmed at the same time
 * (banks with a write buffer each: the STM32H7, RM0433 4.3.2). Only for a
 * family whose GlintLoaderDesc says parallel_banks. */
#define LOADER_OP_PROGRAM_PAIR 7

/* Not flash status bits: a family's loader reports its status register's
 * error flags in the low 24 bits (LOADER_ERR_FLAGS_MASK). */
#define LOADER_ERR_FLAGS_MASK 0x00FFFFFF
#define LOADER_ERR_LOCKED 0x01000000 /* the controller was locked at an erase or program */
#define LOADER_ERR_BAD_OP 0x02000000 /* unknown op code in a descriptor */
