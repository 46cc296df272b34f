// Parse an iCalendar feed from stdin with Mozilla's ical.js (Thunderbird's parser) and print,
// as JSON, what a calendar client would show: each event's UID, summary, status, sequence and
// its start and end as wall-clock times in Europe/London.
// ical.js is installed under frontend/node_modules (pinned in frontend/package.json); ICALJS names it.
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const { default: ICAL } = await import(pathToFileURL(join(process.env.ICALJS, "dist", "ical.js")).href);

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const root = new ICAL.Component(ICAL.parse(text));
for (const tz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(tz));
}
const london = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
const local = (time) => {
  if (time.isDate) return time.toString();
  const parts = Object.fromEntries(london.formatToParts(time.toJSDate()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
};
const events = root.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: local(event.startDate),
    end: local(event.endDate),
    tzid: event.startDate.isDate ? null : event.startDate.zone.tzid,
    location: event.location,
  };
});
process.stdout.write(JSON.stringify({
  name: root.getFirstPropertyValue("x-wr-calname"),
  method: root.getFirstPropertyValue("method"),
  events,
}));
