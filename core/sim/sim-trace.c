/* sim-trace.c: the instrumentation trace path of an ARMv7-M core, from a
 * store into an ITM stimulus port to the bytes a host reads from the
 * ST-LINK's trace endpoint.
 *
 *   ITM (ARMv7-M C1.7): stimulus ports 0-31, TER, TPR, TCR, the lock. A
 *   store into an enabled port becomes a source packet (D4.2.8: a header
 *   byte naming the port and the payload size, 1, 2 or 4 bytes little
 *   endian), followed by a local timestamp when TCR.TSENA is set (D4.2.4),
 *   preceded by an Overflow packet when an earlier store was lost and by a
 *   synchronization packet when DWT_CTRL.SYNCTAP's CYCCNT bit toggled.
 *   DWT_CYCCNT (C1.8) counts the core's cycles while CYCCNTENA is set.
 *   TPIU (C1.10): ACPR divides TRACECLKIN (HCLK on STM32) into the SWO
 *   bit rate, SPPR picks NRZ (UART) or Manchester, FFCR.EnFCont keeps the
 *   formatter in the path.
 *
 *   The SWO pin: each byte goes out as a UART frame (start bit, 8 data
 *   bits, stop bit) at the TPIU's rate, one after the other; a byte leaves
 *   the ITM's FIFO when its frame starts. A store that finds the FIFO full
 *   is lost and flagged (Overflow). The pin carries SWO only when the
 *   machine's DBGMCU says so (TRACE_IOEN, TRACE_MODE asynchronous, clock
 *   enables) and, where the machine names it, the pin is in AF0.
 *
 *   A chip's own SWO unit (SimMachine.swo_unit, CoreSight SWO and trace
 *   funnel): the unit's CODR, SPPR and FFCR make the pin's UART instead of
 *   the core's TPIU, and only while the funnel passes the ITM's port; both
 *   need their lock opened (LAR) before they take writes.
 *
 *   The probe (reference 2.6, 0x40-0x42): START_TRACE_RX opens a receive
 *   buffer of the size asked for at a UART rate; each frame that ends
 *   while it is open is sampled at the probe's rate (so a rate that is off
 *   by more than a UART tolerates reads garbage or framing errors, as on a
 *   bench) and stored, unless the buffer is full: then it is lost.
 *   GET_TRACE_NB answers how many bytes are held; the trace endpoint then
 *   gives at most that many (probe-rs: "the byte count always needs to be
 *   polled first, otherwise the ST-Link won't return any data").
 *
 * Estimates, and what is left out, are in core/sim/README.md ("Trace"). */
#define G_LOG_DOMAIN "glint-sim"

#include <string.h>

#include "sim-private.h"

/* Bytes the ITM and TPIU hold between a stimulus store and the pin
 * (estimate: the Cortex-M4 TRM gives the TPIU a 4-word FIFO; the ITM's own
 * buffering is not documented). A store is accepted while its packet fits. */
#define SIM_ITM_FIFO_BYTES 16u
/* The largest source packet: a header and 4 bytes of payload */
#define SIM_ITM_PACKET_MAX 5u
/* A UART frame: start bit, 8 data bits, stop bit (NRZ, ARMv7-M D4.1) */
#define SIM_SWO_FRAME_BITS 10u
/* Local timestamps carry at most 28 bits (4 continuation bytes) */
#define SIM_LTS_MAX 0x0FFFFFFFu
/* Packet headers (ARMv7-M D4.2) */
#define ITM_OVERFLOW_HEADER 0x70u
#define ITM_LTS1_HEADER 0xC0u
#define ITM_SYNC_ZEROS 5u
#define ITM_SYNC_END 0x80u
/* ST-LINK SWO receivers: at most 2 MHz on a V2/V2-1, 24 MHz on a V3
 * (OpenOCD's STLINK_TRACE_MAX_HZ, STLINK_V3_TRACE_MAX_HZ) */
#define SIM_STLINK_SWO_MAX_HZ 2000000u
#define SIM_STLINK_V3_SWO_MAX_HZ 24000000u
#define SIM_NS_PER_S G_GINT64_CONSTANT(1000000000)

void
sim_trace_init(GlintSim *sim)
{
	sim->trace.line = g_array_new(FALSE, FALSE, sizeof(SimSwoByte));
	sim->trace.rx = g_byte_array_new();
	sim_trace_power_on(sim);
}

void
sim_trace_clear(GlintSim *sim)
{
	g_clear_pointer(&sim->trace.line, g_array_unref);
	g_clear_pointer(&sim->trace.rx, g_byte_array_unref);
}

/* The debug domain resets at power-on only (ARMv7-M C1.4: the ITM, DWT and
 * TPIU keep their set-up over a system reset). The probe keeps its
 * receiver: it is the probe's, not the target's. */
void
sim_trace_power_on(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	t->itm_ter = t->itm_tpr = t->itm_tcr = 0;
	t->itm_unlocked = FALSE;
	t->itm_overflow = FALSE;
	t->lts_cycles = sim->cpu.cycles;
	t->sync_period = 0;
	t->cyccnt = 0;
	t->cyccnt_cycles = sim->cpu.cycles;
	t->cyccnt_on = FALSE;
	t->tpiu_cspsr = TPIU_CSPSR_RESET;
	t->tpiu_acpr = 0;
	t->tpiu_sppr = TPIU_SPPR_RESET;
	t->tpiu_ffcr = TPIU_FFCR_RESET;
	t->swo_codr = 0;
	t->swo_sppr = SWO_SPPR_RESET;
	t->swo_ffcr = SWO_FFCR_RESET;
	t->swo_unlocked = FALSE;
	t->funnel_ctrl = FUNNEL_CTRL_RESET;
	t->funnel_unlocked = FALSE;
	g_array_set_size(t->line, 0);
	t->line_free_ns = 0;
}

static gboolean
sim_trace_present(GlintSim *sim)
{
	return !sim_core_is_armv6m(sim);
}

static gboolean
sim_trace_enabled(GlintSim *sim)
{
	return (sim->core.demcr & DEMCR_TRCENA) != 0;
}

/* DWT_CYCCNT ----------------------------------------------------------- */

static guint32
sim_trace_dwt_ctrl(GlintSim *sim)
{
	guint32 v = 0;
	(void)sim_ppb_read(sim, DWT_CTRL_ADDR, &v);
	return v;
}

static guint32
sim_trace_cyccnt(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	if (!t->cyccnt_on)
		return t->cyccnt;
	return t->cyccnt + (guint32)(sim->cpu.cycles - t->cyccnt_cycles);
}

/* CYCCNT counts while DWT_CTRL.CYCCNTENA and DEMCR.TRCENA are both set:
 * when that changes, what it counted so far becomes its value */
void
sim_trace_counter_gate_changed(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	gboolean on;
	if (!sim_trace_present(sim))
		return;
	on = sim_trace_enabled(sim) && (sim_trace_dwt_ctrl(sim) & DWT_CTRL_CYCCNTENA) != 0;
	if (on == t->cyccnt_on)
		return;
	t->cyccnt = sim_trace_cyccnt(sim);
	t->cyccnt_cycles = sim->cpu.cycles;
	t->cyccnt_on = on;
}

/* The SWO pin --------------------------------------------------------- */

/* The prescaler, protocol and formatter of the unit that drives the pin */
static void
sim_swo_output(GlintSim *sim, guint32 *prescaler, guint32 *sppr, guint32 *ffcr)
{
	const SimTrace *t = &sim->trace;
	if (sim->machine->swo_unit != NULL) {
		*prescaler = t->swo_codr;
		*sppr = t->swo_sppr;
		*ffcr = t->swo_ffcr;
		return;
	}
	*prescaler = t->tpiu_acpr;
	*sppr = t->tpiu_sppr;
	*ffcr = t->tpiu_ffcr;
}

/* SWO bit rate: TRACECLKIN (HCLK on STM32) / (PRESCALER + 1) */
static guint32
sim_swo_line_hz(GlintSim *sim)
{
	guint32 hclk = sim->machine->ops->hclk_hz(sim);
	guint32 prescaler, sppr, ffcr;
	sim_swo_output(sim, &prescaler, &sppr, &ffcr);
	return MAX(hclk / ((prescaler & TPIU_ACPR_PRESCALER_MASK) + 1u), 1u);
}

/* Whether the pin is in alternate function mode with AF0 (MODER 10, AFR
 * nibble 0), as on silicon at reset where it is JTDO/TRACESWO. The
 * registers' state, past the port's clock gate: the pin keeps its function
 * while the port is not clocked (the shared GPIO model, periph/sim-gpio.c) */
static gboolean
sim_swo_gpio_af0(GlintSim *sim, guint16 gpio_pin)
{
	guint port = (gpio_pin >> 4) & 0xFu, pin = gpio_pin & 0xFu;
	const SimGpio *g;
	guint32 afr;
	if (gpio_pin == 0)
		return TRUE;
	if (port >= SIM_GPIO_MAX_PORTS)
		return FALSE;
	g = &sim->gpio[port];
	afr = pin < 8 ? g->afrl : g->afrh;
	return ((g->moder >> (2 * pin)) & 3u) == GPIO_MODER_AF &&
	       ((afr >> (4 * (pin % 8))) & 0xFu) == 0;
}

/* Whether the machine routes the trace output to the SWO pin (TRACE_IOEN
 * set, TRACE_MODE 00, the clocks it names on, the pin in AF0, the funnel
 * passing the ITM); a machine that states no pin has none, one without
 * the setting always drives it */
static gboolean
sim_swo_pin_driven(GlintSim *sim)
{
	const SimSwoPin *pin = sim->machine->swo_pin;
	const SimSwoUnit *unit = sim->machine->swo_unit;
	guint32 v = 0;
	if (pin == NULL)
		return FALSE;
	if (unit != NULL && !(sim->trace.funnel_ctrl & unit->funnel_itm_port))
		return FALSE;
	if (!sim_swo_gpio_af0(sim, pin->gpio_pin))
		return FALSE;
	if (pin->enable_reg == 0)
		return TRUE;
	if (sim_bus_read(sim, SIM_ACCESS_AHB, pin->enable_reg, 4, &v) != SIM_BUS_OK)
		return FALSE;
	return (v & pin->enable_mask) == pin->enable_mask && (v & pin->mode_mask) == 0;
}

/* What a UART at the other end can decode: NRZ framing, the formatter
 * bypassed (with it the stream is wrapped in 16-byte TPIU frames), the pin
 * assigned to SWO */
static gboolean
sim_swo_readable(GlintSim *sim)
{
	guint32 prescaler, sppr, ffcr;
	sim_swo_output(sim, &prescaler, &sppr, &ffcr);
	return sppr == TPIU_SPPR_NRZ && !(ffcr & TPIU_FFCR_ENFCONT) && sim_swo_pin_driven(sim);
}

static gint64
sim_swo_frame_ns(guint32 line_hz)
{
	return (SIM_SWO_FRAME_BITS * SIM_NS_PER_S + line_hz - 1) / line_hz;
}

/* A UART at @rx_hz samples a frame sent at @line_hz: each bit in its middle
 * (counted from the start edge), the stop bit must read 1. FALSE: a
 * framing error, the byte is dropped. */
static gboolean
sim_swo_sample(guint8 sent, guint32 line_hz, guint32 rx_hz, guint8 *got)
{
	guint8 value = 0;
	for (guint bit = 0; bit < SIM_SWO_FRAME_BITS; bit++) {
		/* the line's bit under the sample point (bit + 1/2) / rx_hz */
		guint64 index = ((guint64)(2 * bit + 1) * line_hz) / (2ull * rx_hz);
		guint level = index == 0 ? 0 : index <= 8 ? (sent >> (index - 1)) & 1u : 1u;
		if (bit == 0 && level != 0)
			return FALSE;
		if (bit >= 1 && bit <= 8)
			value |= (guint8)(level << (bit - 1));
		if (bit == 9 && level != 1)
			return FALSE;
	}
	*got = value;
	return TRUE;
}

/* A frame has ended: the probe's receiver stores what it sampled */
static void
sim_swo_deliver(GlintSim *sim, const SimSwoByte *b)
{
	SimTrace *t = &sim->trace;
	guint8 value;
	if (!t->rx_on)
		return;
	if (!b->readable || !sim_swo_sample(b->value, b->line_hz, t->rx_hz, &value)) {
		sim->stats.swo_garbled++;
		return;
	}
	if (t->rx->len >= t->rx_capacity) {
		/* the probe's buffer is full: the newest bytes are lost */
		sim->stats.swo_probe_dropped++;
		return;
	}
	g_byte_array_append(t->rx, &value, 1);
	sim->stats.swo_probe_bytes++;
}

/* Frames that ended by @now go to the probe */
static void
sim_swo_retire(GlintSim *sim, gint64 now)
{
	GArray *line = sim->trace.line;
	guint n = 0;
	while (n < line->len && g_array_index(line, SimSwoByte, n).done_ns <= now) {
		sim_swo_deliver(sim, &g_array_index(line, SimSwoByte, n));
		n++;
	}
	if (n > 0)
		g_array_remove_range(line, 0, n);
}

/* Bytes in the FIFO at @now: those whose frame has not started */
static guint
sim_swo_fifo_level(GlintSim *sim, gint64 now)
{
	GArray *line = sim->trace.line;
	guint n = 0;
	for (guint i = 0; i < line->len; i++) {
		const SimSwoByte *b = &g_array_index(line, SimSwoByte, i);
		if (b->done_ns - sim_swo_frame_ns(b->line_hz) > now)
			n++;
	}
	return n;
}

static void
sim_swo_send(GlintSim *sim, gint64 now, const guint8 *bytes, guint len)
{
	SimTrace *t = &sim->trace;
	guint32 hz = sim_swo_line_hz(sim);
	gboolean readable = sim_swo_readable(sim);
	gint64 frame = sim_swo_frame_ns(hz);
	for (guint i = 0; i < len; i++) {
		SimSwoByte b = {0, hz, bytes[i], readable};
		gint64 start = MAX(now, t->line_free_ns);
		b.done_ns = start + frame;
		t->line_free_ns = b.done_ns;
		g_array_append_val(t->line, b);
		sim->stats.swo_line_bytes++;
	}
}

/* The ITM ----------------------------------------------------------- */

static guint
sim_itm_timestamp_prescale(guint32 tcr)
{
	static const guint prescale[] = {1, 4, 16, 64};
	return prescale[(tcr & ITM_TCR_TSPRESCALE_MASK) >> ITM_TCR_TSPRESCALE_SHIFT];
}

/* A local timestamp (D4.2.4): the timestamp counter's value since the
 * previous one, in the one-byte form for 1-6, else a header and up to 4
 * continuation bytes (7 bits each, bit 7 set on all but the last).
 * Returns its length, 0 when the counter has not moved. */
static guint
sim_itm_local_timestamp(GlintSim *sim, guint8 *out)
{
	SimTrace *t = &sim->trace;
	guint prescale = sim_itm_timestamp_prescale(t->itm_tcr);
	guint64 ticks = (sim->cpu.cycles - t->lts_cycles) / prescale;
	guint32 value;
	guint n = 0;
	if (ticks == 0)
		return 0;
	t->lts_cycles += ticks * prescale;
	value = (guint32)MIN(ticks, (guint64)SIM_LTS_MAX);
	if (value <= 6) {
		out[0] = (guint8)(value << 4);
		return 1;
	}
	out[n++] = ITM_LTS1_HEADER;
	do {
		guint8 b = value & 0x7Fu;
		value >>= 7;
		out[n++] = b | (value != 0 ? 0x80u : 0u);
	} while (value != 0);
	return n;
}

/* A synchronization packet is due when the CYCCNT bit SYNCTAP selects
 * (24, 26 or 28) has toggled since the last check (C1.8.3, D4.2.1) */
static gboolean
sim_itm_sync_due(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	guint32 ctrl = sim_trace_dwt_ctrl(sim);
	guint tap = (ctrl & DWT_CTRL_SYNCTAP_MASK) >> DWT_CTRL_SYNCTAP_SHIFT;
	guint32 period;
	if (!(t->itm_tcr & ITM_TCR_SYNCENA) || tap == 0 || !(ctrl & DWT_CTRL_CYCCNTENA))
		return FALSE;
	period = sim_trace_cyccnt(sim) >> (22 + 2 * tap);
	if (period == t->sync_period)
		return FALSE;
	t->sync_period = period;
	return TRUE;
}

static guint32
sim_itm_stim_read(GlintSim *sim)
{
	/* FIFOREADY while the ITM is on and a whole packet fits; the read
	 * is zero with the ITM off (why CMSIS checks ITMENA first) */
	if (!sim_trace_enabled(sim) || !(sim->trace.itm_tcr & ITM_TCR_ITMENA))
		return 0;
	sim_swo_retire(sim, sim->now_ns);
	return sim_swo_fifo_level(sim, sim->now_ns) + SIM_ITM_PACKET_MAX <= SIM_ITM_FIFO_BYTES
		   ? ITM_STIM_FIFOREADY
		   : 0;
}

gboolean
sim_trace_stim_write(GlintSim *sim, SimAccess who, guint32 addr, guint size, guint32 value)
{
	SimTrace *t = &sim->trace;
	guint port = (addr - ITM_STIM0_ADDR) / 4;
	guint8 packet[SIM_ITM_PACKET_MAX];
	guint8 extra[8];
	guint n;
	gint64 now = sim->now_ns;

	if (!sim_trace_present(sim) || addr < ITM_STIM0_ADDR || port >= ITM_STIM_PORTS)
		return FALSE;
	if (!sim_trace_enabled(sim) || !(t->itm_tcr & ITM_TCR_ITMENA) ||
	    !(t->itm_ter & (1u << port)))
		return TRUE;
	/* the payload is the bytes stored: a byte store at offset 1 sends
	 * that byte */
	value >>= 8 * (addr & 3u);
	sim_swo_retire(sim, now);
	if (sim_swo_fifo_level(sim, now) + 1 + size > SIM_ITM_FIFO_BYTES) {
		t->itm_overflow = TRUE;
		sim->stats.itm_overflows++;
		return TRUE;
	}
	if (sim_itm_sync_due(sim)) {
		static const guint8 sync[] = {0, 0, 0, 0, 0, ITM_SYNC_END};
		G_STATIC_ASSERT(sizeof(sync) == ITM_SYNC_ZEROS + 1);
		sim_swo_send(sim, now, sync, sizeof(sync));
	}
	if (t->itm_overflow) {
		guint8 overflow = ITM_OVERFLOW_HEADER;
		sim_swo_send(sim, now, &overflow, 1);
		t->itm_overflow = FALSE;
	}
	/* a software source packet: port in [7:3], size 1/2/4 as 01/10/11 */
	packet[0] = (guint8)(port << 3 | (size == 4 ? 3u : size));
	for (n = 0; n < size; n++)
		packet[1 + n] = (guint8)(value >> (8 * n));
	sim_swo_send(sim, now, packet, 1 + size);
	if (t->itm_tcr & ITM_TCR_TSENA) {
		n = sim_itm_local_timestamp(sim, extra);
		sim_swo_send(sim, now, extra, n);
	}
	return TRUE;
}

/* Registers ----------------------------------------------------------- */

static gboolean
sim_trace_itm_register(guint32 addr)
{
	return addr >= ITM_STIM0_ADDR && addr < ITM_STIM0_ADDR + 0xFD0u;
}

static gboolean
sim_trace_tpiu_register(guint32 addr)
{
	return addr >= TPIU_BASE && addr < TPIU_BASE + 0xFD0u;
}

gboolean
sim_trace_owns(GlintSim *sim, guint32 addr)
{
	if (!sim_trace_present(sim))
		return FALSE;
	return sim_trace_itm_register(addr) || sim_trace_tpiu_register(addr) ||
	       addr == DWT_CYCCNT_ADDR;
}

guint32
sim_trace_read(GlintSim *sim, SimAccess who, guint32 addr)
{
	SimTrace *t = &sim->trace;
	if (addr < ITM_STIM0_ADDR + 4 * ITM_STIM_PORTS)
		return sim_itm_stim_read(sim);
	switch (addr) {
	case ITM_TER_ADDR:
		return t->itm_ter;
	case ITM_TPR_ADDR:
		return t->itm_tpr;
	case ITM_TCR_ADDR:
		sim_swo_retire(sim, sim->now_ns);
		return t->itm_tcr |
		       (t->line->len > 0 && t->line_free_ns > sim->now_ns ? ITM_TCR_BUSY : 0);
	case ITM_LSR_ADDR:
		/* the lock applies to the core's accesses only */
		if (who != SIM_ACCESS_CORE)
			return 0;
		return CORESIGHT_LSR_SLI | (t->itm_unlocked ? 0 : CORESIGHT_LSR_SLK);
	case DWT_CYCCNT_ADDR:
		return sim_trace_cyccnt(sim);
	case TPIU_SSPSR_ADDR:
		return TPIU_SSPSR_RESET;
	case TPIU_CSPSR_ADDR:
		return t->tpiu_cspsr;
	case TPIU_ACPR_ADDR:
		return t->tpiu_acpr;
	case TPIU_SPPR_ADDR:
		return t->tpiu_sppr;
	case TPIU_FFSR_ADDR:
		return TPIU_FFSR_RESET;
	case TPIU_FFCR_ADDR:
		return t->tpiu_ffcr;
	case TPIU_TYPE_ADDR:
		return TPIU_TYPE_RESET;
	default:
		return 0;
	}
}

void
sim_trace_write(GlintSim *sim, SimAccess who, guint32 addr, guint32 value)
{
	SimTrace *t = &sim->trace;
	/* the core writes the ITM's control registers only once unlocked */
	gboolean locked = who == SIM_ACCESS_CORE && !t->itm_unlocked;

	if (addr < ITM_STIM0_ADDR + 4 * ITM_STIM_PORTS) {
		sim_trace_stim_write(sim, who, addr, 4, value);
		return;
	}
	switch (addr) {
	case ITM_TER_ADDR:
		if (!locked)
			t->itm_ter = value;
		break;
	case ITM_TPR_ADDR:
		if (!locked)
			t->itm_tpr = value & 0xFu;
		break;
	case ITM_TCR_ADDR:
		if (!locked)
			t->itm_tcr = value & ITM_TCR_WRITABLE;
		break;
	case ITM_LAR_ADDR:
		if (who == SIM_ACCESS_CORE)
			t->itm_unlocked = value == CORESIGHT_LAR_KEY;
		break;
	case DWT_CYCCNT_ADDR:
		t->cyccnt = value;
		t->cyccnt_cycles = sim->cpu.cycles;
		break;
	case TPIU_CSPSR_ADDR:
		t->tpiu_cspsr = value & TPIU_SSPSR_RESET;
		break;
	case TPIU_ACPR_ADDR:
		t->tpiu_acpr = value & TPIU_ACPR_PRESCALER_MASK;
		break;
	case TPIU_SPPR_ADDR:
		t->tpiu_sppr = value & 3u;
		break;
	case TPIU_FFCR_ADDR:
		t->tpiu_ffcr = value & (TPIU_FFCR_TRIGIN | TPIU_FFCR_ENFCONT);
		break;
	default:
		break;
	}
}

/* A chip's own SWO unit and trace funnel ------------------------------ */

/* CoreSight: the lock (LAR/LSR) guards accesses from the system bus; the
 * core and the debugger's AP0 both come that way */
static guint32
sim_coresight_lsr(gboolean unlocked)
{
	return CORESIGHT_LSR_SLI | (unlocked ? 0 : CORESIGHT_LSR_SLK);
}

guint32
sim_swo_unit_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	const SimTrace *t = &sim->trace;
	switch (offset) {
	case SWO_CODR:
		return t->swo_codr;
	case SWO_SPPR:
		return t->swo_sppr;
	case SWO_FFSR:
		return TPIU_FFSR_RESET;
	case SWO_FFCR:
		return t->swo_ffcr;
	case SWO_DEVID:
		return SWO_DEVID_RESET;
	case CORESIGHT_LSR:
		return sim_coresight_lsr(t->swo_unlocked);
	default:
		return 0;
	}
}

gboolean
sim_swo_unit_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		   guint32 value)
{
	SimTrace *t = &sim->trace;
	if (offset == CORESIGHT_LAR) {
		t->swo_unlocked = value == CORESIGHT_LAR_KEY;
		return TRUE;
	}
	/* a locked component ignores writes (no bus error) */
	if (!t->swo_unlocked)
		return TRUE;
	switch (offset) {
	case SWO_CODR:
		t->swo_codr = value & TPIU_ACPR_PRESCALER_MASK;
		break;
	case SWO_SPPR:
		t->swo_sppr = value & 3u;
		break;
	case SWO_FFCR:
		t->swo_ffcr = value & (TPIU_FFCR_TRIGIN | TPIU_FFCR_ENFCONT);
		break;
	default:
		break;
	}
	return TRUE;
}

guint32
sim_swo_funnel_read(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset)
{
	const SimTrace *t = &sim->trace;
	switch (offset) {
	case FUNNEL_CTRL:
		return t->funnel_ctrl;
	case CORESIGHT_LSR:
		return sim_coresight_lsr(t->funnel_unlocked);
	default:
		return 0;
	}
}

gboolean
sim_swo_funnel_write(GlintSim *sim, const SimPeriph *p, SimAccess who, guint32 offset, guint size,
		     guint32 value)
{
	SimTrace *t = &sim->trace;
	if (offset == CORESIGHT_LAR) {
		t->funnel_unlocked = value == CORESIGHT_LAR_KEY;
		return TRUE;
	}
	if (offset == FUNNEL_CTRL && t->funnel_unlocked)
		t->funnel_ctrl = value & FUNNEL_CTRL_WRITABLE;
	return TRUE;
}

/* The probe's receiver ------------------------------------------------ */

static guint32
sim_trace_rx_max_hz(GlintSim *sim)
{
	return sim->kind == GLINT_PROBE_KIND_V3 ? SIM_STLINK_V3_SWO_MAX_HZ : SIM_STLINK_SWO_MAX_HZ;
}

guint8
sim_trace_rx_start(GlintSim *sim, guint buffer_size, guint32 baud)
{
	SimTrace *t = &sim->trace;
	/* What the firmware answers to a rate it cannot sample or an empty
	 * buffer is not documented: a command error (estimate) */
	if (buffer_size == 0 || baud == 0 || baud > sim_trace_rx_max_hz(sim))
		return STLINK_CMD_ERROR;
	/* frames that ended before the receiver opened are not in it */
	sim_swo_retire(sim, sim->now_ns);
	g_byte_array_set_size(t->rx, 0);
	t->rx_on = TRUE;
	t->rx_hz = baud;
	t->rx_capacity = buffer_size;
	t->rx_announced = 0;
	return STLINK_OK;
}

void
sim_trace_rx_stop(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	sim_swo_retire(sim, sim->now_ns);
	t->rx_on = FALSE;
	g_byte_array_set_size(t->rx, 0);
	t->rx_announced = 0;
}

guint16
sim_trace_rx_count(GlintSim *sim)
{
	SimTrace *t = &sim->trace;
	sim_swo_retire(sim, sim->now_ns);
	t->rx_announced = MIN(t->rx->len, (guint)G_MAXUINT16);
	return (guint16)t->rx_announced;
}

gsize
glint_sim_trace_in(GlintSim *sim, guint8 *buf, gsize max)
{
	SimTrace *t;
	gsize n;
	g_return_val_if_fail(sim != NULL, 0);
	t = &sim->trace;
	if (sim->unplugged || buf == NULL)
		return 0;
	n = MIN(max, (gsize)t->rx_announced);
	if (n == 0)
		return 0;
	sim_clock_host_activity(sim);
	memcpy(buf, t->rx->data, n);
	g_byte_array_remove_range(t->rx, 0, (guint)n);
	t->rx_announced -= (guint)n;
	sim->stats.usb_bytes += n;
	/* the bulk packets on the bus (full speed: 19 of 64 bytes a frame) */
	if (sim->kind == GLINT_PROBE_KIND_V3) {
		sim_clock_advance(sim, (gint64)n * SIM_NS_PER_S / SIM_USB_HS_BYTES_PER_S);
	} else {
		guint64 packets = (n + SIM_USB_FS_PACKET_SIZE - 1) / SIM_USB_FS_PACKET_SIZE;
		sim_clock_advance(
		    sim, (gint64)(packets * SIM_USB_FRAME_NS / SIM_USB_FS_PACKETS_PER_FRAME));
	}
	sim_clock_host_done(sim);
	return n;
}
