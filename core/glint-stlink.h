/* glint-stlink.h: the ST-LINK debug protocol, spoken over a GlintTransport.
 *
 * Owns what the probe firmware understands: version and API detection,
 * modes (DFU, mass storage, debug), SWD entry and clock, target voltage,
 * debug register and memory access chunked to the probe's limits (with the
 * last read/write status checked after every transfer), core registers,
 * NRST. It knows nothing of STM32 flash; that is the target's business.
 *
 * Status codes from the probe become GErrors: SWD_AP_FAULT ->
 * GLINT_ERROR_MEMORY_FAULT (message names the address), DP/AP WAIT retried a
 * bounded number of times then GLINT_ERROR_TARGET_NOT_RESPONDING, a command
 * the firmware lacks -> GLINT_ERROR_FIRMWARE_TOO_OLD naming the minimum. */
#pragma once

#include <glib.h>

#include "glint-transport.h"

G_BEGIN_DECLS

/* Status byte values (reply[0]). */
#define STLINK_DEBUG_ERR_OK 0x80
#define STLINK_DEBUG_ERR_FAULT 0x81
#define STLINK_JTAG_UNKNOWN_ERROR 0x01
#define STLINK_SPI_ERROR 0x02
#define STLINK_DMA_ERROR 0x03
#define STLINK_JTAG_UNKNOWN_JTAG_CHAIN 0x04
#define STLINK_JTAG_NO_DEVICE_CONNECTED 0x05
#define STLINK_JTAG_INTERNAL_ERROR 0x06
#define STLINK_JTAG_CMD_WAIT 0x07
#define STLINK_JTAG_CMD_ERROR 0x08
#define STLINK_JTAG_GET_IDCODE_ERROR 0x09
#define STLINK_JTAG_ALIGNMENT_ERROR 0x0A
#define STLINK_JTAG_DBG_POWER_ERROR 0x0B
#define STLINK_JTAG_WRITE_ERROR 0x0C
#define STLINK_JTAG_WRITE_VERIF_ERROR 0x0D
#define STLINK_JTAG_ALREADY_OPENED_IN_OTHER_MODE 0x0E
#define STLINK_SWD_AP_WAIT 0x10
#define STLINK_SWD_AP_FAULT 0x11
#define STLINK_SWD_AP_ERROR 0x12
#define STLINK_SWD_AP_PARITY_ERROR 0x13
#define STLINK_SWD_DP_WAIT 0x14
#define STLINK_SWD_DP_FAULT 0x15
#define STLINK_SWD_DP_ERROR 0x16
#define STLINK_SWD_DP_PARITY_ERROR 0x17
#define STLINK_SWD_AP_WDATA_ERROR 0x18
#define STLINK_SWD_AP_STICKY_ERROR 0x19
#define STLINK_SWD_AP_STICKYORUN_ERROR 0x1A
#define STLINK_BAD_AP_ERROR 0x1D
#define STLINK_SWV_NOT_AVAILABLE 0x20
#define STLINK_JTAG_CONF_CHANGED 0x40
#define STLINK_JTAG_FREQ_NOT_SUPPORTED 0x41
#define STLINK_JTAG_UNKNOWN_CMD 0x42

/* Command classes (byte 0) and debug sub-commands (byte 1). */
#define STLINK_GET_VERSION 0xF1
#define STLINK_DEBUG_COMMAND 0xF2
#define STLINK_DFU_COMMAND 0xF3
#define STLINK_SWIM_COMMAND 0xF4
#define STLINK_GET_CURRENT_MODE 0xF5
#define STLINK_GET_TARGET_VOLTAGE 0xF7
#define STLINK_APIV3_GET_VERSION_EX 0xFB

#define STLINK_DFU_EXIT 0x07
#define STLINK_SWIM_EXIT 0x01

#define STLINK_DEBUG_FORCEDEBUG 0x02
#define STLINK_DEBUG_READMEM_32BIT 0x07
#define STLINK_DEBUG_WRITEMEM_32BIT 0x08
#define STLINK_DEBUG_RUNCORE 0x09
#define STLINK_DEBUG_STEPCORE 0x0A
#define STLINK_DEBUG_READMEM_8BIT 0x0C
#define STLINK_DEBUG_WRITEMEM_8BIT 0x0D
#define STLINK_DEBUG_EXIT 0x21
#define STLINK_DEBUG_READCOREID 0x22
#define STLINK_DEBUG_APIV2_ENTER 0x30
#define STLINK_DEBUG_APIV2_READ_IDCODES 0x31
#define STLINK_DEBUG_APIV2_RESETSYS 0x32
#define STLINK_DEBUG_APIV2_READREG 0x33
#define STLINK_DEBUG_APIV2_WRITEREG 0x34
#define STLINK_DEBUG_APIV2_WRITEDEBUGREG 0x35
#define STLINK_DEBUG_APIV2_READDEBUGREG 0x36
#define STLINK_DEBUG_APIV2_READALLREGS 0x3A
#define STLINK_DEBUG_APIV2_GETLASTRWSTATUS 0x3B
#define STLINK_DEBUG_APIV2_DRIVE_NRST 0x3C
#define STLINK_DEBUG_APIV2_GETLASTRWSTATUS2 0x3E
#define STLINK_DEBUG_APIV2_START_TRACE_RX 0x40
#define STLINK_DEBUG_APIV2_STOP_TRACE_RX 0x41
#define STLINK_DEBUG_APIV2_GET_TRACE_NB 0x42
#define STLINK_DEBUG_APIV2_SWD_SET_FREQ 0x43
#define STLINK_DEBUG_APIV2_JTAG_SET_FREQ 0x44
#define STLINK_DEBUG_APIV2_READ_DAP_REG 0x45
#define STLINK_DEBUG_APIV2_WRITE_DAP_REG 0x46
#define STLINK_DEBUG_APIV2_READMEM_16BIT 0x47
#define STLINK_DEBUG_APIV2_WRITEMEM_16BIT 0x48
#define STLINK_DEBUG_APIV2_INIT_AP 0x4B
#define STLINK_DEBUG_APIV2_CLOSE_AP_DBG 0x4C
#define STLINK_DEBUG_WRITEMEM_32BIT_NO_ADDR_INC 0x50
#define STLINK_DEBUG_APIV2_RW_MISC_OUT 0x51
#define STLINK_DEBUG_APIV2_RW_MISC_IN 0x52
#define STLINK_DEBUG_READMEM_32BIT_NO_ADDR_INC 0x54
#define STLINK_DEBUG_APIV3_SET_COM_FREQ 0x61
#define STLINK_DEBUG_APIV3_GET_COM_FREQ 0x62

#define STLINK_DEBUG_ENTER_SWD 0xA3
#define STLINK_DEBUG_ENTER_JTAG_NO_RESET 0xA4

#define STLINK_NRST_LOW 0x00
#define STLINK_NRST_HIGH 0x01
#define STLINK_NRST_PULSE 0x02

/* GET_CURRENT_MODE reply byte 0. */
#define STLINK_MODE_DFU 0x00
#define STLINK_MODE_MASS 0x01
#define STLINK_MODE_DEBUG 0x02
#define STLINK_MODE_SWIM 0x03
#define STLINK_MODE_BOOTLOADER 0x04

/* Transfer limits (see reference section 2.12). */
#define STLINK_MAX_RW8_FS 64
#define STLINK_MAX_RW8_V3 512
#define STLINK_MAX_RW32 6144
/* One WRITEMEM_32BIT as stlink-org's flash loader sends it (u16 length). */
#define STLINK_MAX_RW32_RAW 0x8000
/* MEM-AP TAR auto-increment wraps at 1 KiB on every Cortex-M; a 32-bit
 * transfer crossing it would wrap back to the start of the block. */
#define STLINK_TAR_AUTOINC_SIZE 1024
/* DP/AP WAIT answers are retried this many times, 1 ms doubling each time. */
#define STLINK_WAIT_RETRIES 8
/* Oldest V2 debug firmware Glint accepts (GETLASTRWSTATUS2, FPU registers). */
#define STLINK_V2_MIN_JTAG 15

/* Core register indices for READREG/WRITEREG. */
#define STLINK_REG_R0 0
#define STLINK_REG_SP 13
#define STLINK_REG_LR 14
#define STLINK_REG_PC 15
#define STLINK_REG_XPSR 16
#define STLINK_REG_MSP 17
#define STLINK_REG_PSP 18
#define STLINK_REG_RW 19  /* CONTROL/FAULTMASK/BASEPRI/PRIMASK, packed */
#define STLINK_REG_RW2 20 /* second packed word (per core) */
#define STLINK_REG_FPSCR 0x21
#define STLINK_REG_S0 0x40
#define STLINK_REG_S31 0x5F

typedef struct {
	guint hw;     /* generation: 1, 2, 3 */
	guint jtag;   /* J: debug firmware version */
	guint swim;   /* S */
	guint msd;    /* M: mass storage / VCP */
	guint bridge; /* B (V3) */
	guint16 vid;
	guint16 pid;
	guint api; /* 2 or 3 */
} GlintStlinkVersion;

typedef struct _GlintStlink GlintStlink;

/* Takes a reference on @transport. */
GlintStlink *glint_stlink_new(GlintTransport *transport);
void glint_stlink_free(GlintStlink *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GlintStlink, glint_stlink_free)

GlintTransport *glint_stlink_get_transport(GlintStlink *self);

/* GET_VERSION (+ GET_VERSION_EX on V3); refuses V1 and V2 firmware older
 * than J15 with GLINT_ERROR_FIRMWARE_TOO_OLD. Leaves DFU/mass-storage/SWIM
 * mode so the probe is idle. Must be called first. */
gboolean glint_stlink_open(GlintStlink *self, GError **error);
const GlintStlinkVersion *glint_stlink_get_version(GlintStlink *self);
/* "V2J37S7" */
gchar *glint_stlink_version_to_string(const GlintStlinkVersion *version);

gboolean glint_stlink_get_mode(GlintStlink *self, guint8 *mode, GError **error);
/* Target supply as measured by the probe, in volts. */
gboolean glint_stlink_get_target_voltage(GlintStlink *self, gdouble *volts, GError **error);
/* Sets the nearest supported SWD clock not above @khz; @actual_khz may be NULL. */
gboolean glint_stlink_set_swd_freq(GlintStlink *self, guint khz, guint *actual_khz, GError **error);
gboolean glint_stlink_enter_swd(GlintStlink *self, GError **error);
gboolean glint_stlink_exit_debug(GlintStlink *self, GError **error);
gboolean glint_stlink_read_idcode(GlintStlink *self, guint32 *idcode, GError **error);
gboolean glint_stlink_drive_nrst(GlintStlink *self, guint8 level, GError **error);
/* RESETSYS: the probe's own system reset. */
gboolean glint_stlink_reset_sys(GlintStlink *self, GError **error);

/* Single 32-bit debug bus accesses (READDEBUGREG/WRITEDEBUGREG). */
gboolean glint_stlink_read32(GlintStlink *self, guint32 addr, guint32 *value, GError **error);
gboolean glint_stlink_write32(GlintStlink *self, guint32 addr, guint32 value, GError **error);

/* Memory of any address, length and alignment: split into 32-bit transfers
 * of at most STLINK_MAX_RW32 bytes not crossing a 1 KiB TAR boundary, with
 * unaligned heads and tails as 8-bit transfers; status checked after each. */
gboolean glint_stlink_read_mem(GlintStlink *self, guint32 addr, guint8 *buf, gsize len,
			       GError **error);
gboolean glint_stlink_write_mem(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
				GError **error);
/* One raw 32-bit write command of up to 0x8000 aligned bytes (flash loaders). */
gboolean glint_stlink_write_mem32_raw(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
				      GError **error);

gboolean glint_stlink_read_reg(GlintStlink *self, guint index, guint32 *value, GError **error);
gboolean glint_stlink_write_reg(GlintStlink *self, guint index, guint32 value, GError **error);

/* The MEM-AP TAR auto-increment span that no transfer may cross: 1 KiB by
 * default (ARMv7-M guarantees at least that), 4 KiB once the core is known
 * to be a Cortex-M3/M4 (as OpenOCD does). A power of two. */
void glint_stlink_set_tar_block(GlintStlink *self, guint bytes);

/* Number of commands sent (for statistics and tests). */
guint64 glint_stlink_get_command_count(GlintStlink *self);

/* Status byte of the last command that returned one (0 when the last
 * command failed before a status arrived), e.g. STLINK_SWD_DP_ERROR after a
 * write that reset the target. */
guint8 glint_stlink_get_last_status(GlintStlink *self);
/* Fault address reported by GETLASTRWSTATUS2 with the last status. */
guint32 glint_stlink_get_last_fault_address(GlintStlink *self);
/* The firmware's name for a status byte ("SWD_AP_FAULT"), or "UNKNOWN". */
const char *glint_stlink_status_to_string(guint8 status);

/* Memory through 8-bit transfers only (byte-wide peripheral registers), split
 * to the probe's 8-bit limit (64 bytes, 512 on V3 J6+); status after each. */
gboolean glint_stlink_read_mem8(GlintStlink *self, guint32 addr, guint8 *buf, gsize len,
				GError **error);
gboolean glint_stlink_write_mem8(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
				 GError **error);

/* SWO capture (reference 2.6, 0x40-0x42; V2 firmware J13 or newer). The
 * probe's UART receives at most 2 MHz on a V2/V2-1, 24 MHz on a V3
 * (OpenOCD's STLINK_TRACE_MAX_HZ); every host asks for a 4096-byte buffer. */
#define STLINK_V2_SWO_MAX_HZ 2000000u
#define STLINK_V3_SWO_MAX_HZ 24000000u
#define STLINK_TRACE_BUFFER_SIZE 4096u
guint32 glint_stlink_swo_max_hz(GlintStlink *self);
gboolean glint_stlink_trace_start(GlintStlink *self, guint buffer_size, guint32 baud,
				  GError **error);
gboolean glint_stlink_trace_stop(GlintStlink *self, GError **error);
/* GET_TRACE_NB, then at most @max of the bytes it announced from the trace
 * endpoint (*@got may be 0). */
gboolean glint_stlink_trace_read(GlintStlink *self, guint8 *buf, gsize max, gsize *got,
				 GError **error);

/* Memory through 16-bit transfers (READMEM_16BIT/WRITEMEM_16BIT): the
 * half-word bus accesses an F1-style flash controller programs with. @addr
 * and @len even; split into transfers of at most STLINK_MAX_RW32 bytes that
 * do not cross the TAR auto-increment block; status after each. V2 firmware
 * before J26 lacks them: GLINT_ERROR_FIRMWARE_TOO_OLD naming J26, and
 * nothing is sent. */
gboolean glint_stlink_has_mem16(GlintStlink *self);
gboolean glint_stlink_read_mem16(GlintStlink *self, guint32 addr, guint8 *buf, gsize len,
				 GError **error);
gboolean glint_stlink_write_mem16(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
				  GError **error);

/* How the WAIT back-off pauses; the default is g_usleep(). Tests and the
 * emulator replace it so that nothing blocks on wall-clock time. */
typedef void (*GlintStlinkSleepFunc)(gulong usec, gpointer user_data);
void glint_stlink_set_sleep_func(GlintStlink *self, GlintStlinkSleepFunc func, gpointer user_data);

G_END_DECLS
