// The profile form's values → the core's Profile (or what is wrong).
import type { Profile } from "./bindings";
import { timeToMinutes } from "./hours";

export type ProfileForm = { name: string; tz: string; start: string; end: string; days: number };

export function toProfile(f: ProfileForm): { profile: Profile } | { error: string } {
  const start = timeToMinutes(f.start);
  const end = timeToMinutes(f.end);
  if (start === null) return { error: "Enter when your working day starts, as HH:MM (e.g. 09:00)." };
  if (end === null) return { error: "Enter when your working day ends, as HH:MM (e.g. 17:00)." };
  return {
    profile: {
      display_name: f.name,
      time_zone: f.tz,
      working_hours: { start_min: start, end_min: end, days: f.days },
    },
  };
}
