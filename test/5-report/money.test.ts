import { formatMoney, percentOf, plainMoney, priceTimes, toGrosze } from "../../infra/5-report/money";
import { csvField, csvTable } from "../../infra/5-report/csv";

describe("money in integer grosze", () => {
  it("GIVEN prices in PLN WHEN converted THEN they are exact grosze, and more than 2 decimals is refused", () => {
    expect([toGrosze(0.45), toGrosze(35.01), toGrosze(0.1 + 0.2), toGrosze(1234.56)]).toStrictEqual([
      45, 3501, 30, 123456,
    ]);
    expect(() => toGrosze(0.123)).toThrow("not an amount in PLN with at most 2 decimals: 0.123");
  });

  it("GIVEN a price and an exact rational quantity WHEN multiplied THEN the result is rounded half up once", () => {
    expect(priceTimes(3501, 500, 1000)).toBe(1751); // 17,505 → 17,51
    expect(priceTimes(999, 3 * 2 ** 29, 2 ** 30)).toBe(1499); // 14,985 → 14,99
    expect(priceTimes(45, 2048)).toBe(92160);
    expect(priceTimes(1, 1, 3)).toBe(0);
    expect(percentOf(4024, 23)).toBe(926); // 9,2552 → 9,26
    // Summing a million 0,10 zł lines stays exact (no floating drift).
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) sum += priceTimes(10, 1);
    expect(sum).toBe(10_000_000);
  });

  it("GIVEN grosze WHEN formatted THEN pl is '1 234,56 zł' with no-break spaces, en is 'PLN 1,234.56', plain has no grouping", () => {
    expect(formatMoney(123456, "pl")).toBe("1\u00a0234,56\u00a0zł");
    expect(formatMoney(123456789, "pl")).toBe("1\u00a0234\u00a0567,89\u00a0zł");
    expect(formatMoney(5, "pl")).toBe("0,05\u00a0zł");
    expect(formatMoney(123456, "en")).toBe("PLN\u00a01,234.56");
    expect(formatMoney(-99, "en")).toBe("-PLN\u00a00.99");
    expect([plainMoney(123456, "pl"), plainMoney(123456, "en"), plainMoney(7, "pl")]).toStrictEqual([
      "1234,56",
      "1234.56",
      "0,07",
    ]);
  });
});

describe("CSV by RFC 4180", () => {
  it("GIVEN fields with separators, quotes and line breaks WHEN written THEN only those are quoted, quotes doubled", () => {
    expect([
      csvField("a;b", ";"),
      csvField("a,b", ";"),
      csvField('say "hi"', ","),
      csvField("two\nlines", ","),
      csvField("plain", ","),
    ]).toStrictEqual(['"a;b"', "a,b", '"say ""hi"""', '"two\nlines"', "plain"]);
  });

  it("GIVEN a table WHEN written THEN it starts with a BOM, ends every record with CRLF, and uses ; for pl and , for en", () => {
    const t = {
      id: "t",
      caption: "T",
      columns: [
        { label: "a", align: "left" as const },
        { label: "b", align: "left" as const },
      ],
      rows: [["1,5", "x;y"]],
      foot: [["Σ", "2"]],
      notes: ["ignored"],
    };
    expect(csvTable(t, "pl")).toBe('\ufeffa;b\r\n1,5;"x;y"\r\nΣ;2\r\n');
    expect(csvTable(t, "en")).toBe('\ufeffa,b\r\n"1,5",x;y\r\nΣ,2\r\n');
  });
});
