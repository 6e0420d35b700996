package orders

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxItems and MaxQuantity bound an order so that its total cannot overflow.
const (
	MaxItems    = 100
	MaxQuantity = 10_000
)

// Draft is a new order as the client sent it, before validation. Quantity and Price hold the
// JSON number literals as written, so that nothing is lost to floating point before the
// amounts are parsed exactly.
type Draft struct {
	UserID string
	Items  []DraftItem
}

// DraftItem is one line of a Draft.
type DraftItem struct {
	ProductID   string
	ProductName string
	Quantity    string
	Price       string
}

// Validate checks every field of the draft and returns its items with exact prices, or a
// *ValidationError naming each bad field.
func (d Draft) Validate() ([]Item, error) {
	var errs []FieldError
	bad := func(field, msg string) { errs = append(errs, FieldError{Field: field, Message: msg}) }

	if strings.TrimSpace(d.UserID) == "" {
		bad("user_id", "is required")
	}
	switch {
	case len(d.Items) == 0:
		bad("items", "must contain at least one item")
	case len(d.Items) > MaxItems:
		bad("items", fmt.Sprintf("must contain at most %d items", MaxItems))
	}

	items := make([]Item, 0, len(d.Items))
	for i, di := range d.Items {
		field := func(name string) string { return fmt.Sprintf("items[%d].%s", i, name) }
		if strings.TrimSpace(di.ProductID) == "" {
			bad(field("product_id"), "is required")
		}
		qty, err := strconv.ParseInt(di.Quantity, 10, 64)
		switch {
		case di.Quantity == "":
			bad(field("quantity"), "is required")
		case err != nil:
			bad(field("quantity"), "must be a whole number")
		case qty < 1:
			bad(field("quantity"), "must be at least 1")
		case qty > MaxQuantity:
			bad(field("quantity"), fmt.Sprintf("must be at most %d", MaxQuantity))
		}
		price, err := ParseAmount(di.Price)
		switch {
		case di.Price == "":
			bad(field("price"), "is required")
		case err != nil:
			bad(field("price"), err.Error())
		}
		items = append(items, Item{
			ProductID:   di.ProductID,
			ProductName: di.ProductName,
			Quantity:    qty,
			UnitPrice:   price,
		})
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	return items, nil
}
