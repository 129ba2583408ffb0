// Per-number usage on the list (getUsage): calls, minutes and last call over the last 30 days,
// read for the numbers shown, from Switchboard's cache when it is under five minutes old.
import { $, errorText, formatDate, formatTime, h } from "./dom.js";

const MAX_AGE_SECONDS = 300;
const MAX_IDS = 1000; // getUsage takes 1–1000 ids
const DAY_MS = 86_400_000;

/** The window asked for: 30 days up to a moment pinned MAX_AGE_SECONDS ahead, kept until it has
 * passed. With the default `until` (now) the window moves on every request, so the cache could never
 * cover it and `maxAgeSeconds` would never spare a request; calls made meanwhile show once it moves. */
let pinned = null;
function usageWindow() {
  const now = Date.now();
  if (!pinned || now >= pinned.until) {
    const until = Math.ceil(now / 1000) * 1000 + MAX_AGE_SECONDS * 1000;
    pinned = { until, since: until - 30 * DAY_MS };
  }
  return { since: new Date(pinned.since).toISOString(), until: new Date(pinned.until).toISOString() };
}

/** The text of one number's usage, with a "provisional" badge while calls are still going. */
function usageLine(u) {
  const calls = u.calls === 1 ? "1 call" : `${u.calls} calls`;
  const parts = [calls, `${u.minutes.toFixed(1)} min`];
  if (u.lastCallAt) parts.push(`last call ${formatTime(u.lastCallAt)}`);
  return [
    h("span", { class: "usage-figures" }, parts.join(" · ")),
    u.notEnded > 0 ? h("span", { class: "badge status", title: `${u.notEnded} not ended yet: minutes and cost may change` }, "provisional") : null,
    h("span", { class: "usage-synced" }, `synced ${formatTime(u.syncedAt)}${u.fromCache ? " (cached)" : ""}`),
  ];
}

export function setupUsage(app) {
  const status = $("#usage-status");
  let seq = 0;

  /** Reads the usage of the numbers on the list and fills their rows. */
  app.loadUsage = async () => {
    const mine = ++seq;
    const ids = app.numbers.map((n) => n.id).slice(0, MAX_IDS);
    if (ids.length === 0) {
      status.textContent = "";
      return;
    }
    status.textContent = "Reading usage…";
    for (const id of ids) {
      const cell = $(`li[data-id="${CSS.escape(id)}"] .usage`);
      if (cell) cell.replaceChildren(h("span", { class: "usage-figures" }, "Usage…"));
    }
    let answered = false; // progress comes over another channel and may arrive after the reply
    try {
      const result = await app.rpc.call("getUsage", { profile: app.profile, ids, ...usageWindow(), maxAgeSeconds: MAX_AGE_SECONDS }, {
        onProgress: (v) => { if (v.message && mine === seq && !answered) status.textContent = `Reading usage… ${v.message}`; },
      });
      answered = true;
      if (mine !== seq) return;
      for (const u of result.usage) {
        const cell = $(`li[data-id="${CSS.escape(u.id)}"] .usage`);
        if (!cell) continue;
        Object.assign(cell.dataset, { calls: u.calls, minutes: u.minutes, notEnded: u.notEnded, lastCallAt: u.lastCallAt ?? "", syncedAt: u.syncedAt });
        cell.replaceChildren(...usageLine(u).filter(Boolean));
      }
      status.textContent = `Usage since ${formatDate(result.since)} (UTC), refreshed at most every ${MAX_AGE_SECONDS / 60} minutes.`;
    } catch (error) {
      answered = true;
      if (mine !== seq) return;
      for (const cell of document.querySelectorAll("#numbers .usage")) cell.replaceChildren();
      status.textContent = `Usage unavailable: ${errorText(error)}`;
    }
  };
}
