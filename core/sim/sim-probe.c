/* sim-probe.c: the ST-LINK firmware (reference section 2).
 *
 * Parses 16-byte command blocks, applies the feature gates of the
 * configured firmware version, answers with the exact reply lengths of
 * reference 2.11, accumulates data-out phases (possibly split over several
 * bulk transfers) and keeps the last read/write status for GETLASTRWSTATUS. */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-private.h"
#include "sim-faults.h"

/* Command classes and DEBUG_COMMAND sub-commands (reference 2.1, 2.6) */
#define STLINK_GET_VERSION 0xF1u
#define STLINK_DEBUG_COMMAND 0xF2u
#define STLINK_DFU_COMMAND 0xF3u
#define STLINK_GET_CURRENT_MODE 0xF5u
#define STLINK_GET_TARGET_VOLTAGE 0xF7u
#define STLINK_GET_VERSION_EX 0xFBu
#define STLINK_DFU_EXIT 0x07u

#define DEBUG_GETSTATUS 0x01u
#define DEBUG_FORCEDEBUG 0x02u
#define DEBUG_APIV1_RESETSYS 0x03u
#define DEBUG_APIV1_READALLREGS 0x04u
#define DEBUG_APIV1_READREG 0x05u
#define DEBUG_APIV1_WRITEREG 0x06u
#define DEBUG_READMEM_32BIT 0x07u
#define DEBUG_WRITEMEM_32BIT 0x08u
#define DEBUG_RUNCORE 0x09u
#define DEBUG_STEPCORE 0x0Au
#define DEBUG_READMEM_8BIT 0x0Cu
#define DEBUG_WRITEMEM_8BIT 0x0Du
#define DEBUG_APIV1_WRITEDEBUGREG 0x0Fu
#define DEBUG_APIV1_ENTER 0x20u
#define DEBUG_EXIT 0x21u
#define DEBUG_READCOREID 0x22u
#define DEBUG_APIV2_ENTER 0x30u
#define DEBUG_APIV2_READ_IDCODES 0x31u
#define DEBUG_APIV2_RESETSYS 0x32u
#define DEBUG_APIV2_READREG 0x33u
#define DEBUG_APIV2_WRITEREG 0x34u
#define DEBUG_APIV2_WRITEDEBUGREG 0x35u
#define DEBUG_APIV2_READDEBUGREG 0x36u
#define DEBUG_APIV2_READALLREGS 0x3Au
#define DEBUG_APIV2_GETLASTRWSTATUS 0x3Bu
#define DEBUG_APIV2_DRIVE_NRST 0x3Cu
#define DEBUG_APIV2_GETLASTRWSTATUS2 0x3Eu
#define DEBUG_START_TRACE_RX 0x40u
#define DEBUG_STOP_TRACE_RX 0x41u
#define DEBUG_GET_TRACE_NB 0x42u
#define DEBUG_SWD_SET_FREQ 0x43u
#define DEBUG_JTAG_SET_FREQ 0x44u
#define DEBUG_READ_DAP_REG 0x45u
#define DEBUG_WRITE_DAP_REG 0x46u
#define DEBUG_READMEM_16BIT 0x47u
#define DEBUG_WRITEMEM_16BIT 0x48u
#define DEBUG_INIT_AP 0x4Bu
#define DEBUG_CLOSE_AP_DBG 0x4Cu
#define DEBUG_WRITEMEM_32BIT_NO_INC 0x50u
#define DEBUG_READMEM_32BIT_NO_INC 0x54u
#define DEBUG_GET_BOARD_IDS 0x56u
#define DEBUG_APIV3_SET_COM_FREQ 0x61u
#define DEBUG_APIV3_GET_COM_FREQ 0x62u

#define ENTER_SWD 0xA3u
#define ENTER_JTAG_NO_RESET 0xA4u
#define ENTER_JTAG_RESET 0x00u

#define DRIVE_NRST_LOW 0u
#define DRIVE_NRST_HIGH 1u
#define DRIVE_NRST_PULSE 2u

#define STLINK_VID 0x0483u
/* An 8-bit transfer fits one full-speed packet (reference 2.12) */
#define STLINK_RW8_MAX 64u
#define STLINK_V3_RW8_MAX 512u
#define NEVER G_MAXUINT

/* SWD_SET_FREQ divisors (reference 2.8) */
static const struct {
	guint16 divisor;
	guint khz;
} sim_swd_divisors[] = {
    {0, 4000}, {1, 1800}, {2, 1200}, {3, 950},	{7, 480},  {15, 240},
    {31, 125}, {40, 100}, {79, 50},  {158, 25}, {265, 15}, {798, 5},
};

/* STLINK-V3 SWD clock list (kHz), highest first */
static const guint sim_v3_swd_khz[] = {24000, 8000, 3300, 1000, 200, 50, 5};

guint
sim_probe_max_swd_khz(GlintSim *sim)
{
	/* both tables list the fastest clock first */
	return sim->kind == GLINT_PROBE_KIND_V3 ? sim_v3_swd_khz[0] : sim_swd_divisors[0].khz;
}

static guint32
le32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16
le16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

static void
put32(guint8 *p, guint32 v)
{
	p[0] = (guint8)v;
	p[1] = (guint8)(v >> 8);
	p[2] = (guint8)(v >> 16);
	p[3] = (guint8)(v >> 24);
}

guint16
sim_probe_pid(GlintProbeKind kind)
{
	switch (kind) {
	case GLINT_PROBE_KIND_V1:
		return 0x3744;
	case GLINT_PROBE_KIND_V2_1:
		return 0x374B;
	case GLINT_PROBE_KIND_V3:
		return 0x374E;
	default:
		return 0x3748;
	}
}

/* Whether the configured firmware has a feature that V2 got at @v2_j and V3
 * at @v3_j (reference 2.4). */
static gboolean
sim_probe_has(GlintSim *sim, guint v2_j, guint v3_j)
{
	if (sim->kind == GLINT_PROBE_KIND_V3)
		return sim->jtag_version >= v3_j;
	return sim->jtag_version >= v2_j;
}

static guint8 *
sim_reply(GlintSim *sim, gsize len)
{
	g_clear_pointer(&sim->reply, g_free);
	sim->reply = g_malloc0(MAX(len, 1));
	sim->reply_len = len;
	sim->reply_pos = 0;
	return sim->reply;
}

static void
sim_reply_status(GlintSim *sim, gsize len, guint8 status)
{
	guint8 *r = sim_reply(sim, len);
	r[0] = status;
}

void
sim_probe_init(GlintSim *sim)
{
	sim->mode = STLINK_MODE_DFU;
	sim->swd_khz = SIM_SWD_DEFAULT_KHZ;
	sim->last_status = STLINK_OK;
}

void
sim_probe_clear(GlintSim *sim)
{
	g_clear_pointer(&sim->reply, g_free);
	g_clear_pointer(&sim->data_buf, g_free);
	sim->reply_len = sim->reply_pos = 0;
	sim->data_wait = FALSE;
}

/* The state every target command meets first: debug mode, then the DP. */
static guint8
sim_probe_target_status(GlintSim *sim)
{
	if (sim->mode != STLINK_MODE_DEBUG)
		return STLINK_CMD_ERROR;
	if (sim->inject_count > 0) {
		sim->inject_count--;
		return sim->inject_status;
	}
	return sim_dp_status(sim);
}

/* A status after a bus access: a reset it caused shows as a DP error */
static guint8
sim_probe_after_access(GlintSim *sim, guint8 status)
{
	if (sim->dp_error_pending) {
		sim->dp_error_pending = FALSE;
		return STLINK_SWD_DP_ERROR;
	}
	return status;
}

static void
sim_probe_get_version(GlintSim *sim)
{
	guint8 *r = sim_reply(sim, 6);
	guint16 v;
	guint16 pid = sim_probe_pid(sim->kind);
	switch (sim->kind) {
	case GLINT_PROBE_KIND_V3:
		v = 3u << 12; /* V3 reports its versions through GET_VERSION_EX */
		break;
	case GLINT_PROBE_KIND_V1:
		v = (guint16)((1u << 12) | ((sim->jtag_version & 0x3F) << 6) |
			      (sim->swim_version & 0x3F));
		break;
	case GLINT_PROBE_KIND_V2_1:
		/* the last field is the mass-storage version; M26 keeps OpenOCD from
		 * taking the board for an STM8 one (reference 2.2) */
		v = (guint16)((2u << 12) | ((sim->jtag_version & 0x3F) << 6) | 26u);
		break;
	default:
		v = (guint16)((2u << 12) | ((sim->jtag_version & 0x3F) << 6) |
			      (sim->swim_version & 0x3F));
		break;
	}
	r[0] = (guint8)(v >> 8);
	r[1] = (guint8)v;
	r[2] = STLINK_VID & 0xFF;
	r[3] = STLINK_VID >> 8;
	r[4] = pid & 0xFF;
	r[5] = pid >> 8;
}

static void
sim_probe_get_version_ex(GlintSim *sim)
{
	guint8 *r;
	guint16 pid = sim_probe_pid(sim->kind);
	if (sim->kind != GLINT_PROBE_KIND_V3)
		return; /* unknown command on V2: no reply */
	r = sim_reply(sim, 12);
	r[0] = 3;
	r[1] = (guint8)sim->swim_version;
	r[2] = (guint8)sim->jtag_version;
	r[3] = 3; /* MSC/VCP */
	r[4] = 5; /* bridge */
	r[8] = STLINK_VID & 0xFF;
	r[9] = STLINK_VID >> 8;
	r[10] = pid & 0xFF;
	r[11] = pid >> 8;
}

static void
sim_probe_get_voltage(GlintSim *sim)
{
	guint8 *r;
	if (!sim_probe_has(sim, 13, 0))
		return; /* V2 before J13 does not know the command */
	r = sim_reply(sim, 8);
	/* a0: the 1.2 V reference; a1: VDD/2, both on the same ADC scale */
	put32(r, 1500);
	put32(r + 4, (sim->target_mv * 1500u + 1200u) / 2400u);
}

/* What a memory command meets before any access: the target, the AP
 * (honoured from V2J32/V3J2), the 8-bit cap, the alignment of 16/32-bit. */
static guint8
sim_probe_mem_status(GlintSim *sim, guint32 addr, guint len, guint unit, guint8 ap)
{
	guint8 status = sim_probe_target_status(sim);
	guint max8 = sim->kind == GLINT_PROBE_KIND_V3 && sim_probe_has(sim, NEVER, 6)
			 ? STLINK_V3_RW8_MAX
			 : STLINK_RW8_MAX;
	if (status != STLINK_OK)
		return status;
	if (ap != 0 && sim_probe_has(sim, 32, 2))
		return STLINK_BAD_AP;
	if (unit == 1 && len > max8)
		return STLINK_CMD_ERROR;
	if (unit > 1 && ((addr % unit) != 0 || (len % unit) != 0))
		return STLINK_ALIGNMENT_ERROR;
	return STLINK_OK;
}

/* Memory reads: READMEM_8/16/32BIT and the no-increment variant. */
static void
sim_probe_readmem(GlintSim *sim, const guint8 *cmd, guint unit, gboolean inc)
{
	guint32 addr = le32(cmd + 2);
	guint len = le16(cmd + 6);
	guint8 ap = cmd[8];
	guint8 *r = sim_reply(sim, (unit == 1 && len == 1) ? 2 : len);
	guint8 status = sim_probe_mem_status(sim, addr, len, unit, ap);
	guint off;
	for (off = 0; status == STLINK_OK && off < len; off += unit) {
		guint32 a = inc ? addr + off : addr;
		guint32 v = 0;
		if (sim_bus_read(sim, SIM_ACCESS_DEBUG, a, unit, &v) != SIM_BUS_OK) {
			status = STLINK_SWD_AP_FAULT;
			sim->last_fault_addr = a;
			break;
		}
		for (guint i = 0; i < unit; i++)
			r[off + i] = (guint8)(v >> (8 * i));
	}
	sim_clock_swd_accesses(sim, unit == 1 ? off : off / unit);
	if (status == STLINK_OK && unit == 1 && len == 1) {
		/* the firmware sends two bytes for a one-byte read */
		guint32 v = 0;
		if (sim_bus_read(sim, SIM_ACCESS_DEBUG, addr + 1, 1, &v) == SIM_BUS_OK)
			r[1] = (guint8)v;
	}
	sim->last_status = status;
}

static void
sim_probe_writemem_start(GlintSim *sim, const guint8 *cmd)
{
	guint len = le16(cmd + 6);
	if (len == 0) {
		sim->last_status = sim_probe_target_status(sim);
		return;
	}
	memcpy(sim->data_cmd, cmd, GLINT_STLINK_CMD_SIZE);
	g_clear_pointer(&sim->data_buf, g_free);
	sim->data_buf = g_malloc(len);
	sim->data_len = len;
	sim->data_got = 0;
	sim->data_wait = TRUE;
}

/* The data-out phase is complete: perform the write. */
static void
sim_probe_writemem_finish(GlintSim *sim)
{
	const guint8 *cmd = sim->data_cmd;
	guint8 sub = cmd[1];
	guint unit = sub == DEBUG_WRITEMEM_8BIT ? 1 : sub == DEBUG_WRITEMEM_16BIT ? 2 : 4;
	gboolean inc = sub != DEBUG_WRITEMEM_32BIT_NO_INC;
	guint32 addr = le32(cmd + 2);
	guint len = (guint)sim->data_len;
	guint8 status = sim_probe_mem_status(sim, addr, len, unit, cmd[8]);
	guint off;
	for (off = 0; status == STLINK_OK && off < len; off += unit) {
		guint32 a = inc ? addr + off : addr;
		guint32 v = 0;
		for (guint i = 0; i < unit; i++)
			v |= (guint32)sim->data_buf[off + i] << (8 * i);
		if (sim_bus_write(sim, SIM_ACCESS_DEBUG, a, unit, v) != SIM_BUS_OK) {
			status = STLINK_SWD_AP_FAULT;
			sim->last_fault_addr = a;
			break;
		}
		if (sim->dp_error_pending)
			break; /* the target reset under the write */
		if (sim->target_mv < sim_faults_bor_mv(sim)) {
			/* power failed under the write: the rest never lands */
			status = STLINK_SWD_DP_ERROR;
			break;
		}
	}
	sim_clock_swd_accesses(sim, unit == 1 ? off : off / unit);
	sim->last_status = sim_probe_after_access(sim, status);
	g_clear_pointer(&sim->data_buf, g_free);
	sim->data_len = sim->data_got = 0;
}

static void
sim_probe_read_debugreg(GlintSim *sim, const guint8 *cmd)
{
	guint8 *r = sim_reply(sim, 8);
	guint32 addr = le32(cmd + 2);
	guint32 v = 0;
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK && (addr & 3u) != 0)
		status = STLINK_ALIGNMENT_ERROR;
	if (status == STLINK_OK) {
		sim_clock_swd_accesses(sim, 1);
		if (sim_bus_read(sim, SIM_ACCESS_DEBUG, addr, 4, &v) != SIM_BUS_OK) {
			status = STLINK_SWD_AP_FAULT;
			sim->last_fault_addr = addr;
		}
	}
	r[0] = status;
	put32(r + 4, v);
}

static guint8
sim_probe_write_word(GlintSim *sim, guint32 addr, guint32 value)
{
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK && (addr & 3u) != 0)
		status = STLINK_ALIGNMENT_ERROR;
	if (status == STLINK_OK) {
		sim_clock_swd_accesses(sim, 1);
		if (sim_bus_write(sim, SIM_ACCESS_DEBUG, addr, 4, value) != SIM_BUS_OK) {
			status = STLINK_SWD_AP_FAULT;
			sim->last_fault_addr = addr;
		}
	}
	return sim_probe_after_access(sim, status);
}

/* ST-LINK register index -> DCRSR REGSEL (reference 2.6) */
static gboolean
sim_probe_regsel(GlintSim *sim, guint idx, guint *regsel)
{
	if (idx <= REGSEL_PSP) {
		*regsel = idx;
		return TRUE;
	}
	if (idx == 19 || idx == 20) {
		*regsel = REGSEL_CONTROL;
		return TRUE;
	}
	/* FPU registers through READREG need V2 J15 */
	if (!sim_probe_has(sim, 15, 0))
		return FALSE;
	if (idx == 0x21) {
		*regsel = REGSEL_FPSCR;
		return TRUE;
	}
	if (idx >= 0x40 && idx < 0x60) {
		*regsel = REGSEL_S0 + (idx - 0x40);
		return TRUE;
	}
	return FALSE;
}

static guint8
sim_probe_core_status(GlintSim *sim)
{
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK && !sim->core.halted)
		status = STLINK_FAULT; /* core registers need a halted core */
	if (status == STLINK_OK)
		sim_clock_swd_accesses(sim, 3);
	return status;
}

static void
sim_probe_readreg(GlintSim *sim, const guint8 *cmd, gboolean v1)
{
	guint regsel;
	guint8 status = sim_probe_core_status(sim);
	guint32 v = 0;
	if (status == STLINK_OK && !sim_probe_regsel(sim, cmd[2], &regsel))
		status = STLINK_CMD_ERROR;
	if (status == STLINK_OK)
		v = sim_core_reg_get(sim, regsel);
	if (v1) {
		put32(sim_reply(sim, 4), v);
		return;
	}
	sim_reply_status(sim, 8, status);
	put32(sim->reply + 4, v);
}

static void
sim_probe_writereg(GlintSim *sim, const guint8 *cmd)
{
	guint regsel;
	guint8 status = sim_probe_core_status(sim);
	if (status == STLINK_OK && !sim_probe_regsel(sim, cmd[2], &regsel))
		status = STLINK_CMD_ERROR;
	if (status == STLINK_OK)
		sim_core_reg_set(sim, regsel, le32(cmd + 3));
	sim_reply_status(sim, 2, status);
}

static void
sim_probe_readallregs(GlintSim *sim, gboolean v1)
{
	gsize head = v1 ? 0 : 4;
	guint8 *r = sim_reply(sim, head + 21 * 4);
	guint8 status = sim_probe_core_status(sim);
	if (!v1)
		r[0] = status;
	if (status != STLINK_OK)
		return;
	for (guint i = 0; i < 21; i++) {
		guint regsel = i <= REGSEL_PSP ? i : REGSEL_CONTROL;
		put32(r + head + 4 * i, sim_core_reg_get(sim, regsel));
	}
}

static void
sim_probe_read_idcodes(GlintSim *sim)
{
	guint8 *r = sim_reply(sim, 12);
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK) {
		sim_clock_swd_accesses(sim, 1);
		put32(r + 4, sim_dp_idcode(sim));
	} else if (status == STLINK_SWD_DP_ERROR) {
		status = STLINK_GET_IDCODE_ERROR;
	}
	r[0] = status;
}

static void
sim_probe_drive_nrst(GlintSim *sim, guint8 how)
{
	/* NRST is a probe pin: it works whatever the SWD state (if it is wired) */
	if (sim->nrst_unwired && how <= DRIVE_NRST_PULSE) {
		sim_reply_status(sim, 2, STLINK_OK);
		return;
	}
	switch (how) {
	case DRIVE_NRST_LOW:
		sim_set_nrst(sim, TRUE);
		break;
	case DRIVE_NRST_HIGH:
		sim_set_nrst(sim, FALSE);
		break;
	case DRIVE_NRST_PULSE:
		sim_set_nrst(sim, TRUE);
		sim_clock_advance(sim, SIM_NRST_PULSE_NS);
		sim_set_nrst(sim, FALSE);
		break;
	default:
		sim_reply_status(sim, 2, STLINK_CMD_ERROR);
		return;
	}
	sim_reply_status(sim, 2, STLINK_OK);
}

static void
sim_probe_swd_set_freq(GlintSim *sim, guint16 divisor)
{
	guint khz = divisor == 0 ? 4000 : 3600 / (divisor + 1u);
	for (guint i = 0; i < G_N_ELEMENTS(sim_swd_divisors); i++) {
		if (sim_swd_divisors[i].divisor == divisor)
			khz = sim_swd_divisors[i].khz;
	}
	sim->swd_khz = MAX(khz, 1u);
	sim_reply_status(sim, 2, STLINK_OK);
}

static void
sim_probe_v3_get_com_freq(GlintSim *sim)
{
	guint8 *r = sim_reply(sim, 52);
	r[0] = STLINK_OK;
	put32(r + 4, sim->swd_khz);
	r[8] = G_N_ELEMENTS(sim_v3_swd_khz);
	for (guint i = 0; i < G_N_ELEMENTS(sim_v3_swd_khz); i++)
		put32(r + 12 + 4 * i, sim_v3_swd_khz[i]);
}

static void
sim_probe_v3_set_com_freq(GlintSim *sim, guint32 khz)
{
	guint8 *r = sim_reply(sim, 8);
	guint chosen = sim_v3_swd_khz[G_N_ELEMENTS(sim_v3_swd_khz) - 1];
	/* the highest listed speed not above the request */
	for (guint i = 0; i < G_N_ELEMENTS(sim_v3_swd_khz); i++) {
		if (sim_v3_swd_khz[i] <= khz) {
			chosen = sim_v3_swd_khz[i];
			break;
		}
	}
	sim->swd_khz = chosen;
	r[0] = STLINK_OK;
	put32(r + 4, chosen);
}

static void
sim_probe_read_dap_reg(GlintSim *sim, const guint8 *cmd)
{
	guint8 *r = sim_reply(sim, 8);
	guint16 port = le16(cmd + 2);
	guint16 reg = le16(cmd + 4);
	guint8 status = sim_probe_target_status(sim);
	guint32 v = 0;
	if (status == STLINK_OK && port == 0xFFFF) {
		/* DP: IDCODE, CTRL/STAT with both power-up acknowledges */
		v = reg == 0x0 ? sim_dp_idcode(sim) : reg == 0x4 ? 0xF0000040u : 0;
	} else if (status == STLINK_OK && port == 0) {
		/* the core's AHB-AP: IDR, BASE (ROM table), CSW */
		v = reg == 0xFC	  ? sim_core_model(sim)->ap_idr
		    : reg == 0xF8 ? (ROMTABLE_BASE | 3u)
		    : reg == 0x00 ? 0x03000052u
				  : 0;
	} else if (status == STLINK_OK) {
		status = STLINK_BAD_AP;
	}
	r[0] = status;
	put32(r + 4, v);
}

typedef struct {
	guint8 sub;
	guint v2_j; /* first V2 firmware with the command */
	guint v3_j; /* first V3 firmware with the command */
} SimGate;

static const SimGate sim_gates[] = {
    {DEBUG_APIV2_GETLASTRWSTATUS2, 15, 0}, {DEBUG_START_TRACE_RX, 13, 0},
    {DEBUG_STOP_TRACE_RX, 13, 0},	   {DEBUG_GET_TRACE_NB, 13, 0},
    {DEBUG_SWD_SET_FREQ, 22, NEVER},	   {DEBUG_JTAG_SET_FREQ, 24, NEVER},
    {DEBUG_READ_DAP_REG, 24, 0},	   {DEBUG_WRITE_DAP_REG, 24, 0},
    {DEBUG_READMEM_16BIT, 26, 0},	   {DEBUG_WRITEMEM_16BIT, 26, 0},
    {DEBUG_WRITEMEM_32BIT_NO_INC, 26, 0},  {DEBUG_INIT_AP, 28, 0},
    {DEBUG_CLOSE_AP_DBG, 28, 0},	   {DEBUG_READMEM_32BIT_NO_INC, 32, 2},
    {DEBUG_GET_BOARD_IDS, 36, 6},	   {DEBUG_APIV3_SET_COM_FREQ, NEVER, 0},
    {DEBUG_APIV3_GET_COM_FREQ, NEVER, 0},
};

static gboolean
sim_probe_gated(GlintSim *sim, guint8 sub)
{
	for (guint i = 0; i < G_N_ELEMENTS(sim_gates); i++) {
		if (sim_gates[i].sub == sub)
			return !sim_probe_has(sim, sim_gates[i].v2_j, sim_gates[i].v3_j);
	}
	return FALSE;
}

/* APIV2_ENTER: SWD (0xA3), JTAG without (0xA4) or with (0x00) reset; the
 * board's DP speaks both, so the interface choice changes nothing else.
 * The probe takes its debug mode whatever the target does (a host may
 * then hold NRST and retry, as stlink's connect under reset does), but
 * it reads the DP IDCODE to connect: a target that does not answer (no
 * power, SWD pins taken by the firmware, RDP level 2) fails the command
 * with JTAG_GET_IDCODE_ERROR, as pyOCD reports from a NUCLEO-L476RG with
 * its target cut off (pyOCD issue 661) and OpenOCD turns into "init mode
 * failed (unable to connect to the target)". */
static void
sim_probe_enter(GlintSim *sim, guint8 how)
{
	if (how != ENTER_SWD && how != ENTER_JTAG_NO_RESET && how != ENTER_JTAG_RESET) {
		sim_reply_status(sim, 2, STLINK_CMD_ERROR);
		return;
	}
	sim->mode = STLINK_MODE_DEBUG;
	if (sim_dp_status(sim) != STLINK_OK) {
		sim_reply_status(sim, 2, STLINK_GET_IDCODE_ERROR);
		return;
	}
	sim_clock_swd_accesses(sim, 1);
	sim_reply_status(sim, 2, STLINK_OK);
}

/* RESETSYS: the firmware requests a system reset through AIRCR */
static void
sim_probe_reset_sys(GlintSim *sim)
{
	sim_system_reset_from(sim, SIM_RESET_SOFTWARE);
}

/* Commands that reach the target without a memory access (opening an AP,
 * a DAP register write): the status of the DP */
static void
sim_probe_dp_command(GlintSim *sim)
{
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK)
		sim_clock_swd_accesses(sim, 1);
	sim_reply_status(sim, 2, status);
}

/* API v1 style core control: a 2-byte status, the action only if the
 * target answers */
static void
sim_probe_core_action(GlintSim *sim, void (*action)(GlintSim *sim))
{
	guint8 status = sim_probe_target_status(sim);
	if (status == STLINK_OK)
		action(sim);
	sim_reply_status(sim, 2, status);
}

static void
sim_probe_debug_command(GlintSim *sim, const guint8 *cmd)
{
	guint8 sub = cmd[1];
	if (sim_probe_gated(sim, sub)) {
		/* the firmware does not know it: generic "unknown command" */
		sim_reply_status(sim, 2, STLINK_UNKNOWN_CMD);
		return;
	}
	switch (sub) {
	case DEBUG_GETSTATUS:
		sim_reply_status(sim, 2, sim->core.halted ? 0x81 : 0x80);
		break;
	case DEBUG_FORCEDEBUG:
		/* during reset the DP answers and the request halts at the reset vector */
		sim_probe_core_action(sim, sim_core_halt);
		break;
	case DEBUG_APIV1_RESETSYS:
	case DEBUG_APIV2_RESETSYS:
		sim_probe_core_action(sim, sim_probe_reset_sys);
		break;
	case DEBUG_APIV1_READALLREGS:
		sim_probe_readallregs(sim, TRUE);
		break;
	case DEBUG_APIV2_READALLREGS:
		sim_probe_readallregs(sim, FALSE);
		break;
	case DEBUG_APIV1_READREG:
		sim_probe_readreg(sim, cmd, TRUE);
		break;
	case DEBUG_APIV2_READREG:
		sim_probe_readreg(sim, cmd, FALSE);
		break;
	case DEBUG_APIV1_WRITEREG:
	case DEBUG_APIV2_WRITEREG:
		sim_probe_writereg(sim, cmd);
		break;
	case DEBUG_READMEM_32BIT:
		sim_probe_readmem(sim, cmd, 4, TRUE);
		break;
	case DEBUG_READMEM_32BIT_NO_INC:
		sim_probe_readmem(sim, cmd, 4, FALSE);
		break;
	case DEBUG_READMEM_16BIT:
		sim_probe_readmem(sim, cmd, 2, TRUE);
		break;
	case DEBUG_READMEM_8BIT:
		sim_probe_readmem(sim, cmd, 1, TRUE);
		break;
	case DEBUG_WRITEMEM_32BIT:
	case DEBUG_WRITEMEM_32BIT_NO_INC:
	case DEBUG_WRITEMEM_16BIT:
	case DEBUG_WRITEMEM_8BIT:
		sim_probe_writemem_start(sim, cmd);
		break;
	case DEBUG_RUNCORE:
		sim_probe_core_action(sim, sim_core_run);
		break;
	case DEBUG_STEPCORE:
		sim_probe_core_action(sim, sim_core_step);
		break;
	case DEBUG_APIV1_WRITEDEBUGREG:
	case DEBUG_APIV2_WRITEDEBUGREG:
		sim_reply_status(sim, 2, sim_probe_write_word(sim, le32(cmd + 2), le32(cmd + 6)));
		break;
	case DEBUG_APIV2_READDEBUGREG:
		sim_probe_read_debugreg(sim, cmd);
		break;
	case DEBUG_APIV1_ENTER:
		sim->mode = STLINK_MODE_DEBUG;
		break;
	case DEBUG_APIV2_ENTER:
		sim_probe_enter(sim, cmd[2]);
		break;
	case DEBUG_EXIT:
		sim->mode = STLINK_MODE_MASS;
		break;
	case DEBUG_READCOREID:
		put32(sim_reply(sim, 4),
		      sim_probe_target_status(sim) == STLINK_OK ? sim_dp_idcode(sim) : 0);
		break;
	case DEBUG_APIV2_READ_IDCODES:
		sim_probe_read_idcodes(sim);
		break;
	case DEBUG_APIV2_GETLASTRWSTATUS:
		sim_reply_status(sim, 2, sim->last_status);
		break;
	case DEBUG_APIV2_GETLASTRWSTATUS2:
		sim_reply_status(sim, 12, sim->last_status);
		if (sim->last_status == STLINK_SWD_AP_FAULT)
			put32(sim->reply + 4, sim->last_fault_addr);
		break;
	case DEBUG_APIV2_DRIVE_NRST:
		sim_probe_drive_nrst(sim, cmd[2]);
		break;
	case DEBUG_WRITE_DAP_REG:
	case DEBUG_INIT_AP:
		sim_probe_dp_command(sim);
		break;
	case DEBUG_START_TRACE_RX:
		/* the probe's own receiver: no target involved */
		sim_reply_status(sim, 2, sim_trace_rx_start(sim, le16(cmd + 2), le32(cmd + 4)));
		break;
	case DEBUG_STOP_TRACE_RX:
		sim_trace_rx_stop(sim);
		sim_reply_status(sim, 2, STLINK_OK);
		break;
	case DEBUG_JTAG_SET_FREQ:
	case DEBUG_CLOSE_AP_DBG:
		/* the probe's own business: no target involved */
		sim_reply_status(sim, 2, STLINK_OK);
		break;
	case DEBUG_GET_TRACE_NB: {
		/* no status: the count of bytes the trace endpoint now gives */
		guint16 n = sim_trace_rx_count(sim);
		guint8 *r = sim_reply(sim, 2);
		r[0] = (guint8)n;
		r[1] = (guint8)(n >> 8);
		break;
	}
	case DEBUG_SWD_SET_FREQ:
		sim_probe_swd_set_freq(sim, le16(cmd + 2));
		break;
	case DEBUG_READ_DAP_REG:
		sim_probe_read_dap_reg(sim, cmd);
		break;
	case DEBUG_GET_BOARD_IDS:
		sim_reply_status(sim, 128, STLINK_OK);
		break;
	case DEBUG_APIV3_GET_COM_FREQ:
		sim_probe_v3_get_com_freq(sim);
		break;
	case DEBUG_APIV3_SET_COM_FREQ:
		sim_probe_v3_set_com_freq(sim, le32(cmd + 4));
		break;
	default:
		sim_reply_status(sim, 2, STLINK_UNKNOWN_CMD);
		break;
	}
}

static void
sim_probe_dispatch(GlintSim *sim, const guint8 *cmd)
{
	switch (cmd[0]) {
	case STLINK_GET_VERSION:
		sim_probe_get_version(sim);
		break;
	case STLINK_GET_VERSION_EX:
		sim_probe_get_version_ex(sim);
		break;
	case STLINK_GET_CURRENT_MODE:
		sim_reply(sim, 2)[0] = sim->mode;
		break;
	case STLINK_GET_TARGET_VOLTAGE:
		sim_probe_get_voltage(sim);
		break;
	case STLINK_DFU_COMMAND:
		if (cmd[1] == STLINK_DFU_EXIT && sim->mode == STLINK_MODE_DFU)
			sim->mode = STLINK_MODE_MASS;
		break;
	case STLINK_DEBUG_COMMAND:
		sim_probe_debug_command(sim, cmd);
		break;
	default:
		/* unknown class: the firmware ignores it */
		g_debug("ignoring unknown ST-LINK command class 0x%02x", cmd[0]);
		break;
	}
}

static void
sim_probe_command(GlintSim *sim, const guint8 *cmd)
{
	if (sim->unplug_at != 0 && sim->command_count >= sim->unplug_at) {
		glint_sim_unplug(sim);
		return;
	}
	if (sim->hook != NULL && !sim->hook(sim, cmd, sim->hook_data)) {
		glint_sim_unplug(sim);
		return;
	}
	/* the core ran while the host was away: catch up before answering */
	sim_cpu_catch_up(sim);
	sim->command_count++;
	sim->stats.usb_commands++;
	sim->stats.usb_bytes += GLINT_STLINK_CMD_SIZE;
	sim->dp_error_pending = FALSE;
	/* a new command discards an unread reply */
	g_clear_pointer(&sim->reply, g_free);
	sim->reply_len = sim->reply_pos = 0;
	sim_probe_dispatch(sim, cmd);
	sim->stats.usb_bytes += sim->reply_len + (sim->data_wait ? sim->data_len : 0);
	sim_clock_usb_command(sim, sim->reply_len + (sim->data_wait ? sim->data_len : 0));
}

static void
sim_probe_bulk_out(GlintSim *sim, const guint8 *data, gsize len)
{
	if (sim->unplugged || data == NULL || len == 0)
		return;
	if (sim->data_wait) {
		gsize n = MIN(len, sim->data_len - sim->data_got);
		memcpy(sim->data_buf + sim->data_got, data, n);
		sim->data_got += n;
		if (sim->data_got == sim->data_len) {
			sim->data_wait = FALSE;
			sim_probe_writemem_finish(sim);
		}
		/* bytes beyond the announced length start nothing new */
		return;
	}
	/* one bulk transfer is one command block, zero padded to 16 bytes */
	{
		guint8 cmd[GLINT_STLINK_CMD_SIZE] = {0};
		memcpy(cmd, data, MIN(len, sizeof(cmd)));
		sim_probe_command(sim, cmd);
		if (len > sizeof(cmd) && sim->data_wait && !sim->unplugged)
			sim_probe_bulk_out(sim, data + sizeof(cmd), len - sizeof(cmd));
	}
}

void
glint_sim_bulk_out(GlintSim *sim, const guint8 *data, gsize len)
{
	g_return_if_fail(sim != NULL);
	sim_clock_host_activity(sim);
	sim_probe_bulk_out(sim, data, len);
	sim_clock_host_done(sim);
}

gsize
glint_sim_bulk_in(GlintSim *sim, guint8 *buf, gsize max)
{
	gsize n;
	g_return_val_if_fail(sim != NULL, 0);
	if (sim->unplugged || sim->reply == NULL || buf == NULL || max == 0)
		return 0;
	sim_clock_host_activity(sim);
	n = MIN(max, sim->reply_len - sim->reply_pos);
	memcpy(buf, sim->reply + sim->reply_pos, n);
	sim->reply_pos += n;
	if (sim->reply_pos >= sim->reply_len) {
		g_clear_pointer(&sim->reply, g_free);
		sim->reply_len = sim->reply_pos = 0;
	}
	sim_clock_host_done(sim);
	return n;
}

gsize
sim_probe_pending_reply(GlintSim *sim)
{
	return sim->reply == NULL ? 0 : sim->reply_len - sim->reply_pos;
}

guint64
glint_sim_get_command_count(GlintSim *sim)
{
	g_return_val_if_fail(sim != NULL, 0);
	return sim->command_count;
}
