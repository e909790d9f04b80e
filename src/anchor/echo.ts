// How much caller text a problem `detail` or `pointer` may repeat back: a
// member name can be as long as the body, and an error should not echo 64 KiB.

/** Most characters of one piece of caller text that an error repeats. */
export const ECHO_LIMIT = 64;

/** `text` cut to ECHO_LIMIT characters, with "…" when cut; never splits a surrogate pair. */
export function cappedEcho(text: string): string {
  if (text.length <= ECHO_LIMIT) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[ECHO_LIMIT - 1]!) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
  return `${text.slice(0, cut)}…`;
}

/** A caller's member name as one JSON pointer token (RFC 6901: "~" → "~0", "/" → "~1"), capped. */
export function pointerToken(name: string): string {
  return cappedEcho(name).replace(/~/g, "~0").replace(/\//g, "~1");
}
