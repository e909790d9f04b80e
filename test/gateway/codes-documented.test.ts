// The stable problem codes (src/errors.ts) are all documented: each one in
// the README with its status, and each in the OpenAPI document's Problem
// schema and under some operation's responses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES, type ProblemCode } from "../../src/errors.js";
import { OPENAPI_DOCUMENT } from "../../src/gateway/openapi.js";

const codes = Object.keys(PROBLEM_CODES) as ProblemCode[];
// Answers to requests that match no operation (no such route, wrong method): in the Problem schema only.
const OUTSIDE_OPERATIONS: ProblemCode[] = ["not-found", "method-not-allowed"];
const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
const documentText = JSON.stringify(OPENAPI_DOCUMENT);

describe("problem codes", () => {
  it("has codes to check", () => expect(codes.length).toBeGreaterThan(10));

  it.each(codes)("documents %s in the README", (code) => {
    expect(readme).toContain(`\`${code}\``);
  });

  it.each(codes)("documents %s in the OpenAPI document, under an operation's responses", (code) => {
    expect(OPENAPI_DOCUMENT.components.schemas.Problem.properties.code.enum).toContain(code);
    if (OUTSIDE_OPERATIONS.includes(code)) return;
    // problemResponse() names every code an operation can answer in its description.
    expect(documentText).toMatch(new RegExp(`Problem \\(RFC 9457\\):[^"]*\\b${code}\\b`));
  });
});
