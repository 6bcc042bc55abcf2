/** "1" → "01": lesson numbers as shown on cards and lesson headers. */
export function lessonNumber(order: number): string {
  return String(order).padStart(2, "0");
}
