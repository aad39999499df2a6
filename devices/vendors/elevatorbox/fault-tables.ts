import { z } from 'zod';

/**
 * Fault numbering by source, as data. The same number means different things to
 * different boxes and platforms (1 is 冲顶 on GB-style firmware, 非平层困人 on
 * elevatorcloud, 安全回路断路 on the Chongqing platform), so a box's numbering is
 * a registration setting (`faultSource`), never guessed from the numbers.
 *
 * Rows without `supplement` are the fixture `shared/fixtures/devices/elevator/fault-codes.csv`
 * (or, for `shanghai`, `shanghai-haier-push-keys.md`), and the unit test reads those
 * files and fails when a row here and a row there disagree. Rows with `supplement`
 * come from the same public sources the fixture cites, where the fixture stops short;
 * the citation says which.
 */

/** What a vendor code means for Linli. */
export type FaultEffect =
  /** A contract `fault` (raise while in the box's set, clear when it leaves). `proposed`: the contract code we would rather use once it exists. */
  | { fault: string; proposed?: string }
  /** A contract event raised once when the code enters the set (nothing on leaving). */
  | { event: 'emergency.call' }
  /** Not a fault: the lift's operating mode. Reported beside the telemetry, raises nothing. */
  | { mode: ServiceMode }
  /** Known to the source, but we cannot say what it means for Linli: handled as an unknown code, with this reason. */
  | { unknown: string };

export type ServiceMode = 'auto' | 'stopped' | 'inspection' | 'fire-return' | 'firefighter' | 'emergency-power' | 'seismic';

export interface FaultRow {
  /** As the source writes it: "1", "F9999". */
  code: string;
  /** The source's own name for it. */
  name: string;
  /** The source's identifiers: C enum names, platform slugs. */
  ids: readonly string[];
  effect: FaultEffect;
  /** Set when the fixture does not have the row: the source it comes from. */
  supplement?: string;
}

export const FAULT_SOURCES = ['firmware', 'elevatorcloud', 'chongqing', 'shanghai', 'shmashine'] as const;
export const FaultSource = z.enum(FAULT_SOURCES);
export type FaultSource = z.infer<typeof FaultSource>;

/** The numbering a box speaks unless registration says otherwise: the frame format's own. */
export const DEFAULT_FAULT_SOURCE: FaultSource = 'elevatorcloud';

// Public sources (shared code index ids, as the fixture's SOURCES.md cites them).
const FIRMWARE_A = 'monitoring firmware A_* enum, idx:3510500821';
const CHONGQING = 'GovernFaultTypeChongqingEnum, idx:4434874386';
const SHMASHINE = 'Shmashine GovernFaultTypeEnum (shmashineCode), idx:4092869523';

// "Car moved away from the landing with its door open" (开门走车, UCMP): the contract's own code since
// issue 12 added `moving-with-door-open` (critical, closed by a person).
const UCMP: FaultEffect = { fault: 'moving-with-door-open' };

const f = (code: string, name: string, fault: string, ids: string[] = [], supplement?: string): FaultRow => ({
  code,
  name,
  ids,
  effect: fault === 'UCMP' ? UCMP : { fault },
  ...(supplement ? { supplement } : {}),
});
const row = (code: string, name: string, effect: FaultEffect, ids: string[] = [], supplement?: string): FaultRow => ({
  code,
  name,
  ids,
  effect,
  ...(supplement ? { supplement } : {}),
});

/** GB-style numbering 1–15, the same in two independent firmwares (A_* and fault_info_t enums) and the Shmashine platform. */
const firmware: FaultRow[] = [
  f('1', '冲顶', 'top-overrun', ['A_HIT_CEILING', 'RACE_TOP']),
  f('2', '蹲底', 'bottom-overrun', ['A_HIT_GROUND', 'RACE_DOWN']),
  f('3', '超速', 'overspeed', ['A_OVERSPEED', 'SPEED_PASS']),
  f('4', '运行中开门', 'door-open-while-running', ['A_OPEN_WHILE_RUNNIN', 'RUNNING_OPEN']),
  f('5', '开门走车', 'UCMP', ['A_OPEN_WITHOUT_STOPPIN', 'OPNE_RUN_CAR']),
  f('6', '门区外停梯', 'stopped-outside-door-zone', ['A_STOP_OUT_AREA', 'OUTSIDE_GATE']),
  f('7', '平层关人', 'trapped', ['A_CLOSE_IN_POSITION', 'FLAT_CLOSE_PEOPLE']),
  f('8', '非平层关人', 'trapped', ['A_CLOSE_OUT_POSITION', 'NON_FLAT_CLOSE_PEOPLE']),
  f('9', '停电', 'power-loss', ['A_POWER_CUT', 'POWER_CUT']),
  f('10', '安全回路断路', 'safety-circuit-open', ['A_SAFE_LOOP_BREAK', 'SAFETY_BROKE_DOWN']),
  f('11', '开门故障', 'door-fault', ['A_OPEN_FAULT', 'OPEN_FAULT']),
  f('12', '关门故障', 'door-fault', ['A_CLOSE_FAULT', 'CLOSE_FAULT']),
  f('13', '门锁回路断路', 'door-lock-circuit-open', ['A_LOCK_LOOP_BREAK', 'LOCK_LOOP_BROKEN']),
  f('14', '层站按钮粘连', 'landing-button-stuck', ['A_BUTTON_ALWAYS_PASSED', 'FLOOR_BUTTON_STICKS']),
  f('15', '电梯速度异常', 'speed-anomaly', ['A_SPEED_ANOMALY', 'ABNORMAL_SPEED']),
  f('16', '超速1.2倍', 'overspeed', ['A_OVERSPEED_1_2']),
  // 18–26 of the same enum are escalator faults (扶手, 梯级) or cut off in the source: left unknown.
  f('17', '超速1.4倍', 'overspeed', ['A_OVERSPEED_1_4'], FIRMWARE_A),
];

/** The numbers in an elevatorcloud `info` frame's `fault` array (its protocol document, 故障编号说明). */
const elevatorcloud: FaultRow[] = [
  f('1', '非平层困人', 'trapped'),
  f('2', '平层困人', 'trapped'),
  f('3', '运行中开门', 'door-open-while-running'),
  f('4', '门区外停梯', 'stopped-outside-door-zone'),
  f('5', '超速', 'overspeed'),
  f('6', '冲顶', 'top-overrun'),
  f('7', '蹲底', 'bottom-overrun'),
  f('8', '开门走车', 'UCMP'),
];

/** The Chongqing supervision platform's fault types (name, slug). */
const chongqing: FaultRow[] = [
  f('1', '安全回路断路', 'safety-circuit-open', ['safety']),
  f('2', '关门故障', 'door-fault', ['notClose']),
  f('3', '开门故障', 'door-fault', ['notOpen']),
  f('4', '门区外停梯', 'stopped-outside-door-zone', ['levelStop']),
  f('5', '开门走车', 'UCMP', ['ucmp']),
  f('6', '电动机运转时间限制器动作', 'motor-runtime-limiter', ['timeOver']),
  f('7', '楼层信息丢失', 'floor-position-lost', ['selector']),
  f('8', '防止电梯再运行故障', 'rerun-prevented', ['preventReRun']),
  row('40', '恢复自动运行模式', { mode: 'auto' }, ['modeAuto']),
  f('41', '主电源断开', 'power-loss', ['switchPowerOff']),
  row('42', '进入停止服务', { mode: 'stopped' }, ['modeStop']),
  row('43', '进入检修运行模式', { mode: 'inspection' }, ['maintenanceMode']),
  row('44', '进入消防返回模式', { mode: 'fire-return' }, ['modeFireReturns'], CHONGQING),
  row('45', '进入消防员运行模式', { mode: 'firefighter' }, ['modeFirefightersRun'], CHONGQING),
  row('46', '进入应急电源运行', { mode: 'emergency-power' }, ['modeEmergencyPower'], CHONGQING),
  row('47', '地震模式', { mode: 'seismic' }, ['modeSeismicPatterns'], CHONGQING),
  row('90', '用户报警', { event: 'emergency.call' }, ['interPhone'], CHONGQING),
  f('91', '蹲底', 'bottom-overrun', ['downLimit'], CHONGQING),
  f('92', '冲顶', 'top-overrun', ['upLimit'], CHONGQING),
  f('93', '平层关人', 'trapped', ['entrap'], CHONGQING),
];

/**
 * The Shanghai (Songjiang) platform's flags, `F…` faults and `E…` events, each "Y"/"N"
 * (a pusher's code; no captured body). The numbers in brackets in the fixture are the
 * pusher's own fault types, i.e. the `shmashine` table.
 */
const shanghai: FaultRow[] = [
  f('F9999', '停梯关人', 'trapped'),
  f('F9998', '长时间不关门', 'door-fault'),
  f('F9997', '上行开门走车', 'UCMP'),
  f('F9996', '下行开门走车', 'UCMP'),
  f('F9995', '长时间关人', 'trapped'),
  f('F9994', '非平层关人', 'trapped'),
  row('F9993', '紧急呼叫', { event: 'emergency.call' }),
  f('F9992', '冲顶', 'top-overrun'),
  f('F9991', '蹲底', 'bottom-overrun'),
  f('F9990', '运行中开门', 'door-open-while-running'),
  row('F9989', '运行中门关', { unknown: 'a car running with its door shut is normal; what the platform flags here is not documented' }),
  f('F9988', '撞击', 'impact-detected'),
  f('E9899', '按键电量过低', 'button-battery-low'),
  f('E9898', '烟雾', 'smoke'),
  f('E9897', '超员', 'overload'),
  f('E9896', '助动车', 'ebike-detected'),
  f('E9895', '超速10%', 'overspeed'),
];

const escalator = (code: string, name: string, id: string) =>
  row(code, name, { unknown: 'an escalator fault (自动扶梯); Linli runs elevators only' }, [id], SHMASHINE);

/** Shmashine (麦信) cubes' fault types: 1–15 as the firmware, then the platform's own. */
const shmashine: FaultRow[] = [
  f('1', '冲顶', 'top-overrun', ['UP_LIMIT'], SHMASHINE),
  f('2', '蹲底', 'bottom-overrun', ['DOWN_LIMIT'], SHMASHINE),
  f('3', '超速', 'overspeed', ['OVER_SPEED'], SHMASHINE),
  f('4', '运行中开门', 'door-open-while-running', ['OPEN_RUN'], SHMASHINE),
  f('5', '开门走车', 'UCMP', ['UCMP'], SHMASHINE),
  f('6', '门区外停梯', 'stopped-outside-door-zone', ['LEVEL_STOP'], SHMASHINE),
  f('7', '平层关人', 'trapped', ['ENTRAP'], SHMASHINE),
  f('8', '非平层关人', 'trapped', ['ENTRAP2'], SHMASHINE),
  f('9', '停电', 'power-loss', ['POWER_SUPPLY'], SHMASHINE),
  f('10', '安全回路断路', 'safety-circuit-open', ['SAFETY'], SHMASHINE),
  f('11', '开门故障', 'door-fault', ['NOT_OPEN'], SHMASHINE),
  f('12', '关门故障', 'door-fault', ['NOT_CLOSE'], SHMASHINE),
  f('13', '门锁回路断路', 'door-lock-circuit-open', ['DOOR_LOCK'], SHMASHINE),
  f('14', '按钮粘连', 'landing-button-stuck', ['BUTTON_ADHESION'], SHMASHINE),
  f('15', '运行速度异常', 'speed-anomaly', ['ABNORMAL_SPEED'], SHMASHINE),
  f('16', '制动系统故障', 'brake-fault', ['ABNORMAL_BRAKING_SYSTEM'], SHMASHINE),
  f('17', '电动机运转时间限制器动作', 'motor-runtime-limiter', ['TIME_OVER'], SHMASHINE),
  f('18', '温度传感器异常', 'sensor-fault', ['TEMPERATURE_SENSOR_ABNORMAL'], SHMASHINE),
  f('19', '楼层信息丢失', 'floor-position-lost', ['SELECTOR'], SHMASHINE),
  f('20', '关门时受阻挡', 'door-obstructed', ['DOOR_BLOCKING'], SHMASHINE),
  row('21', '用户报警', { event: 'emergency.call' }, ['INTER_PHONE'], SHMASHINE),
  f('22', '电池电量', 'battery-low', ['BATTERY_CAPACITY'], SHMASHINE),
  escalator('23', '安全回路断路', 'ES_SAFETY'),
  escalator('24', '超速保护', 'ES_SPEED_PROTECT_ABNORMAL'),
  escalator('25', '非操纵逆转保护', 'ES_REVERSE'),
  escalator('26', '梯级缺失保护', 'ES_FLOOR_PROTECT_ABNORMAL'),
  escalator('27', '未分类故障', 'ES_NO_CLASS_ABNORMAL'),
  escalator('28', '恢复自动运行模式', 'ES_MODE_AUTO'),
  escalator('29', '进入检修运行模式', 'ES_MODE_OVERHAUL'),
  escalator('30', '主电源断开', 'ES_POWER_SUPPLY'),
  escalator('31', '紧急停止开关动作', 'ES_EMERGENCY_STOP_BUTTON'),
  escalator('32', '检修盖板和（或）楼层板打开', 'ES_PLATE_OPEN'),
  escalator('33', '踏板缺失保护', 'ES_STEP'),
  escalator('34', '制动系统未释放', 'ES_UNRELEASED_BRAKING_SYSTEM'),
  escalator('35', '梳齿板卡阻', 'ES_TOOTH_PLATE_STUCK'),
  escalator('36', '扶梯检修模式', 'ES_MODE_MAINTENANCE'),
  f('37', '电动车乘梯', 'ebike-detected', ['ELECTRIC_VEHICLE_LADDER'], SHMASHINE),
  f('38', '电梯异常震动', 'abnormal-vibration', ['VIBRATION_ABNORMAL'], SHMASHINE),
  row('39', '未佩戴口罩', { unknown: 'a face-mask rule of the pandemic years, not a lift fault' }, ['NOT_WEARING_MASK'], SHMASHINE),
  f('40', '门电机阻塞', 'door-fault', ['DOOR_MONITOR_BLOCKING'], SHMASHINE),
  f('41', '主动开关断电', 'power-loss', ['SWITCH_POWER_OFF'], SHMASHINE),
  f('42', '气压传感器异常', 'sensor-fault', ['AIR_PRESSURE_SENSOR_ABNORMAL'], SHMASHINE),
];

export const FAULT_TABLES: Readonly<Record<FaultSource, readonly FaultRow[]>> = { firmware, elevatorcloud, chongqing, shanghai, shmashine };

const INDEX = new Map<FaultSource, Map<string, FaultRow>>(
  FAULT_SOURCES.map((s) => [s, new Map(FAULT_TABLES[s].map((r) => [r.code, r]))]),
);

/** The row for a code as the box sent it (a number, or a string such as "F9999"); undefined when the source has none. */
export function faultRow(source: FaultSource, code: string): FaultRow | undefined {
  return INDEX.get(source)?.get(code);
}
