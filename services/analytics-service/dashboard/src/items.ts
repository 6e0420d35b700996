// The order form's items: one "product quantity price" a line, as the order-service API takes them.

export interface OrderItemInput {
  readonly product_id: string;
  readonly quantity: number;
  /** A JSON number, as the order-service API takes it (it keeps the decimal digits exactly). */
  readonly price: number;
}

/** "prod_1 2 29.99" -> { product_id: "prod_1", quantity: 2, price: 29.99 }; lines that are not such a triple are skipped. */
export function parseItems(text: string): OrderItemInput[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 3)
    .map(([product_id = "", quantity = "", price = ""]) => ({ product_id, quantity: Number(quantity), price: Number(price) }))
    .filter((item) => Number.isInteger(item.quantity) && Number.isFinite(item.price));
}
