import { parse } from "yaml";
import { toYaml } from "../../infra/5-plan/yaml";

describe("the plan's YAML emitter", () => {
  it("GIVEN tricky scalars, keys and nesting WHEN written and read back by the yaml package THEN the value is identical", () => {
    // GIVEN strings a YAML 1.1 or 1.2 reader could take for numbers, booleans or null, multi-line text, nesting
    const value = {
      plain: "unit-mpu",
      digits: "12",
      octal: "0755",
      float: "1e3",
      yes: "Yes",
      off: "off",
      empty: "",
      spaced: "a b",
      colon: "a: b",
      dash: "- x",
      hash: "#x",
      star: "*x",
      polish: "Łódź – ąę",
      crlf: "\r\nx",
      text: "line1\n  indented\n\nback\n",
      noNewline: "multi\nline",
      keep: "multi\n\nline\n\n\n",
      leadingSpace: " lead\nx",
      trailingSpace: "trail \nx",
      tab: "tab\tin\nx",
      list: [1, "2", { x: 1, y: [] }, [], {}, [1, [2]], null, true, [{ a: { b: 1 } }]],
      nothing: null,
      flag: false,
      number: 1.5,
      "a.b/c": 1,
      "requests.cpu": "8",
      "": "empty key",
    };
    // WHEN
    const yaml = toYaml(value);
    // THEN
    expect(parse(yaml)).toStrictEqual(value);
    expect(parse(yaml, { version: "1.1" })).toStrictEqual(value);
  });

  it("GIVEN a multi-line string THEN it is a literal block a reviewer can read", () => {
    expect(toYaml({ data: { "main.cf": "myhostname = mail\nsmtpd_tls = yes\n" } })).toBe(
      "data:\n  main.cf: |\n    myhostname = mail\n    smtpd_tls = yes\n",
    );
  });

  it("GIVEN 2,000 random values WHEN written and read back THEN every one is identical", () => {
    // GIVEN a deterministic generator over characters that matter to YAML
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const chars = [
      "a",
      "Z",
      "0",
      "9",
      " ",
      "\n",
      "\t",
      ":",
      "-",
      "#",
      "'",
      '"',
      "\\",
      "{",
      "}",
      "[",
      "]",
      ",",
      "&",
      "*",
      "!",
      "|",
      ">",
      "%",
      "@",
      "`",
      "ł",
      "?",
      ".",
      "~",
      "\r",
      "\u0000",
      "\u2028",
    ];
    const str = () => Array.from({ length: rnd(12) }, () => chars[rnd(chars.length)]).join("");
    const val = (depth: number): unknown => {
      const r = rnd(depth > 3 ? 4 : 7);
      if (r === 0) return str();
      if (r === 1) return rnd(1000) - 500;
      if (r === 2) return rnd(2) === 0;
      if (r === 3) return null;
      if (r === 4) return Array.from({ length: rnd(4) }, () => val(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), val(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) {
      const v = { root: val(0), [str()]: val(0) };
      // WHEN / THEN
      expect(parse(toYaml(v))).toStrictEqual(v);
    }
  });

  it("GIVEN 5,000 strings of the characters the plain-scalar check looks at WHEN written THEN each reads back identical in YAML 1.2 and 1.1, and names stay plain", () => {
    // GIVEN strings over letters, digits and the punctuation allowed inside plain scalars, plus their neighbours
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const chars = [
      "a",
      "Z",
      "y",
      "n",
      "0",
      "7",
      " ",
      "_",
      ".",
      "/",
      "(",
      ")",
      "+",
      ",",
      "-",
      ":",
      "#",
      "ł",
      "–",
      "\t",
      "~",
      "=",
    ];
    for (let i = 0; i < 5000; i++) {
      const v = { s: Array.from({ length: 1 + rnd(8) }, () => chars[rnd(chars.length)]).join("") };
      // WHEN / THEN
      const yaml = toYaml(v);
      expect({ yaml, v: parse(yaml) }).toStrictEqual({ yaml, v });
      expect({ yaml, v: parse(yaml, { version: "1.1" }) }).toStrictEqual({ yaml, v });
    }
    expect(toYaml({ "app.kubernetes.io/name": "unit-mpu_a (b), c+d/e" })).toBe(
      "app.kubernetes.io/name: unit-mpu_a (b), c+d/e\n",
    );
  });
});
