// Vite plugin: squeezes the white space out of Lit's css`` and html`` templates, which no JS
// minifier touches (they are strings). Only the static text between ${…} changes.

import type { Plugin } from "vite";

type Kind = "css" | "html";

function squeeze(text: string, kind: Kind): string {
  if (kind === "css")
    return text
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/ ?([{};,>]) ?/g, "$1")
      .replace(/: /g, ":")
      .replace(/;}/g, "}")
      .replace(/([\s:(,])0\.(\d)/g, "$1.$2")
      .replace(/#([\da-f])\1([\da-f])\2([\da-f])\3\b/gi, "#$1$2$3");
  // Between tags, a line break and its indentation carry no meaning; elsewhere keep one space.
  return text.replace(/>\s*\n\s*</g, "><").replace(/\s*\n\s*/g, " ");
}

/** Index just past the template literal whose opening backtick is at `start`, rewriting it when `kind` is set. */
function template(code: string, start: number, kind: Kind | undefined, out: string[]): number {
  let i = start + 1;
  let chunk = "";
  out.push("`");
  const flush = () => {
    out.push(kind ? squeeze(chunk, kind) : chunk);
    chunk = "";
  };
  while (i < code.length) {
    const c = code[i]!;
    if (c === "\\") {
      chunk += code.slice(i, i + 2);
      i += 2;
    } else if (c === "`") {
      flush();
      out.push("`");
      return i + 1;
    } else if (c === "$" && code[i + 1] === "{") {
      flush();
      out.push("${");
      i = expression(code, i + 2, out);
    } else {
      chunk += c;
      i++;
    }
  }
  throw new Error("unterminated template literal");
}

/** Copies a ${…} expression (nested templates included) and returns the index past its `}`. */
function expression(code: string, start: number, out: string[]): number {
  let depth = 0;
  let i = start;
  while (i < code.length) {
    const c = code[i]!;
    if (c === "`") {
      const tag = /\b(css|html)\s*$/.exec(code.slice(Math.max(0, i - 8), i))?.[1] as Kind | undefined;
      i = template(code, i, tag, out);
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(code, i);
      out.push(code.slice(i, end));
      i = end;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}" && depth-- === 0) {
      out.push("}");
      return i + 1;
    }
    out.push(c);
    i++;
  }
  return i;
}

function stringEnd(code: string, start: number): number {
  let i = start + 1;
  while (i < code.length && code[i] !== code[start]) i += code[i] === "\\" ? 2 : 1;
  return i + 1;
}

export function minifyTemplates(code: string): string {
  const out: string[] = [];
  let i = 0;
  const tagged = /\b(css|html)`/g;
  for (let m = tagged.exec(code); m; m = tagged.exec(code)) {
    if (m.index < i) continue;
    out.push(code.slice(i, m.index + m[1]!.length));
    i = template(code, m.index + m[1]!.length, m[1] as Kind, out);
    tagged.lastIndex = i;
  }
  out.push(code.slice(i));
  return out.join("");
}

export function minifyLitTemplates(): Plugin {
  return {
    name: "rollcall-minify-lit-templates",
    apply: "build",
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      return { code: minifyTemplates(code), map: null };
    },
  };
}
