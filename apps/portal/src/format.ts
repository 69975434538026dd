// Display and input of digits, dates and money, in the language the member chose.
import { isoToJalali } from './jalali';

export type Lang = 'fa' | 'en';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';

/** Persian and Arabic-Indic digits to ASCII: every input field accepts any of the three. */
export function asciiDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (d) => String(PERSIAN.includes(d) ? PERSIAN.indexOf(d) : ARABIC.indexOf(d)));
}

/** ASCII digits shown as Persian digits in Persian; unchanged in English. */
export function digits(text: string | number, lang: Lang): string {
  const value = String(text);
  return lang === 'fa' ? value.replace(/[0-9]/g, (d) => PERSIAN[Number(d)]!) : value;
}

/** Integer rials with grouping and the unit: «۲٬۸۳۱٬۴۰۰ ریال» / "2,831,400 IRR". */
export function money(rials: number | null | undefined, lang: Lang): string {
  if (rials === null || rials === undefined) return '—';
  return `${new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US').format(rials)} ${lang === 'fa' ? 'ریال' : 'IRR'}`;
}

/** The Jalali calendar date of an ISO date or timestamp in Tehran ("1398/06/14"). */
export function jalaliDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return isoToJalali(iso);
  const tehran = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
  return isoToJalali(tehran);
}

/** Jalali date and Tehran time of a timestamp: "1398/08/12 14:05". */
export function jalaliDateTime(iso: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(iso),
  );
  return `${jalaliDate(iso)} ${time}`;
}
