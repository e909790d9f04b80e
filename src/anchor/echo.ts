// How much caller text a problem `detail` or `pointer` may repeat back: a
// member name can be as long as the body, and an error should not echo 64 KiB.

/** Most characters of one piece of caller text (a member name) that an error repeats. */
export const ECHO_LIMIT = 64;
/** Most characters of a JSON pointer into caller data that an error repeats: a few capped names deep. */
export const POINTER_ECHO_LIMIT = 4 * ECHO_LIMIT;

/** `text` cut to `limit` characters, with "…" when cut; never splits a surrogate pair. */
export function cappedEcho(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
  return `${text.slice(0, cut)}…`;
}

/** A caller's member name as one JSON pointer token (RFC 6901: "~" → "~0", "/" → "~1"), capped. */
export function pointerToken(name: string): string {
  return cappedEcho(name).replace(/~/g, "~0").replace(/\//g, "~1");
}
