/**
 * Kore.ai's billing rule (seed 004): one session per started 15 minutes of
 * conversation, at least one (0-15, 16-30, 31-end: 31 minutes are 3 sessions,
 * exactly 30 are 2). Each delivered alert is one alert session.
 */
const SESSION_SECONDS = 15 * 60;

export function expectedSessionsForConversation(durationSeconds: number): number {
  return Math.max(1, Math.ceil(durationSeconds / SESSION_SECONDS));
}
