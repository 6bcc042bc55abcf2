export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const pad = (n: number, width = 2, fill = "0") => String(n).padStart(width, fill);

/**
 * strftime(3) in UTC for the conversions `date +FORMAT` users reach for: %Y %y %m %d %e %H %I
 * %M %S %p %a %A %b %h %B %j %s %N %Z %z %T %D %F %R %c %n %t %%. Unknown conversions are
 * printed as written, as GNU date does.
 *
 * @example
 * strftime("%Y-%m-%d %H:%M", Date.UTC(2026, 0, 12, 9)); // "2026-01-12 09:00"
 */
export function strftime(format: string, ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const conversions: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()),
    y: () => pad(d.getUTCFullYear() % 100),
    m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()),
    e: () => pad(d.getUTCDate(), 2, " "),
    H: () => pad(hours),
    I: () => pad(hours % 12 === 0 ? 12 : hours % 12),
    M: () => pad(d.getUTCMinutes()),
    S: () => pad(d.getUTCSeconds()),
    p: () => (hours < 12 ? "AM" : "PM"),
    a: () => DAYS[d.getUTCDay()],
    A: () => DAY_NAMES[d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    B: () => MONTH_NAMES[d.getUTCMonth()],
    j: () => pad(Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3),
    s: () => String(Math.floor(ms / 1000)),
    N: () => pad((ms % 1000) * 1_000_000, 9),
    Z: () => "UTC",
    z: () => "+0000",
    T: () => strftime("%H:%M:%S", ms),
    D: () => strftime("%m/%d/%y", ms),
    F: () => strftime("%Y-%m-%d", ms),
    R: () => strftime("%H:%M", ms),
    c: () => strftime("%a %b %e %H:%M:%S %Y", ms),
    n: () => "\n",
    t: () => "\t",
    "%": () => "%",
  };
  return format.replace(/%(.)/gs, (whole, code: string) => conversions[code]?.() ?? whole);
}
