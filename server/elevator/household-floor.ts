/**
 * The floor of a household from its room number, the way Chinese buildings number
 * rooms: 501 is on the 5th floor, 1203 on the 12th. A room that is not a number
 * has no known floor.
 */
export function floorOfRoom(room: string): number | undefined {
  const digits = /^(\d{3,4})$/.exec(room.trim());
  if (!digits) return undefined;
  return Math.floor(Number(digits[1]) / 100);
}
