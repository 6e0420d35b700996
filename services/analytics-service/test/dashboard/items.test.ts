import { describe, expect, it } from "vitest";
import { parseItems } from "../../dashboard/src/items.js";

describe("parseItems", () => {
  it("reads one product, quantity and price a line, and skips the rest", () => {
    expect(parseItems("prod_1 2 29.99\n\n  prod_2   1 49.99  \nnot an item")).toEqual([
      { product_id: "prod_1", quantity: 2, price: 29.99 },
      { product_id: "prod_2", quantity: 1, price: 49.99 },
    ]);
    expect(JSON.stringify(parseItems("p 1 29.99"))).toBe('[{"product_id":"p","quantity":1,"price":29.99}]');
  });
});
