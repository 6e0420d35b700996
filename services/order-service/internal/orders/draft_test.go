package orders

import (
	"errors"
	"reflect"
	"testing"
)

func TestDraftValidate(t *testing.T) {
	item := func(mod func(*DraftItem)) DraftItem {
		it := DraftItem{ProductID: "prod_1", Quantity: "2", Price: "29.99"}
		if mod != nil {
			mod(&it)
		}
		return it
	}
	manyItems := make([]DraftItem, MaxItems+1)
	for i := range manyItems {
		manyItems[i] = item(nil)
	}
	tests := []struct {
		name       string
		draft      Draft
		wantFields []string
	}{
		{name: "valid", draft: Draft{UserID: "u1", Items: []DraftItem{item(nil)}}},
		{name: "free item", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Price = "0" })}}},
		{name: "no user", draft: Draft{Items: []DraftItem{item(nil)}}, wantFields: []string{"user_id"}},
		{name: "blank user", draft: Draft{UserID: "  ", Items: []DraftItem{item(nil)}}, wantFields: []string{"user_id"}},
		{name: "no items", draft: Draft{UserID: "u1"}, wantFields: []string{"items"}},
		{name: "too many items", draft: Draft{UserID: "u1", Items: manyItems}, wantFields: []string{"items"}},
		{name: "no product", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.ProductID = "" })}}, wantFields: []string{"items[0].product_id"}},
		{name: "zero quantity", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Quantity = "0" })}}, wantFields: []string{"items[0].quantity"}},
		{name: "negative quantity", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Quantity = "-3" })}}, wantFields: []string{"items[0].quantity"}},
		{name: "fractional quantity", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Quantity = "1.5" })}}, wantFields: []string{"items[0].quantity"}},
		{name: "huge quantity", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Quantity = "10001" })}}, wantFields: []string{"items[0].quantity"}},
		{name: "missing quantity", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Quantity = "" })}}, wantFields: []string{"items[0].quantity"}},
		{name: "negative price", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Price = "-0.01" })}}, wantFields: []string{"items[0].price"}},
		{name: "three decimals", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Price = "9.999" })}}, wantFields: []string{"items[0].price"}},
		{name: "missing price", draft: Draft{UserID: "u1", Items: []DraftItem{item(func(i *DraftItem) { i.Price = "" })}}, wantFields: []string{"items[0].price"}},
		{
			name: "every bad field is named",
			draft: Draft{Items: []DraftItem{item(nil), item(func(i *DraftItem) {
				i.ProductID, i.Quantity, i.Price = "", "0", "1.001"
			})}},
			wantFields: []string{"user_id", "items[1].product_id", "items[1].quantity", "items[1].price"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := tt.draft.Validate()
			if tt.wantFields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want no error", err)
				}
				if len(items) != len(tt.draft.Items) {
					t.Fatalf("got %d items, want %d", len(items), len(tt.draft.Items))
				}
				return
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			var got []string
			for _, fe := range verr.Errors {
				got = append(got, fe.Field)
			}
			if !reflect.DeepEqual(got, tt.wantFields) {
				t.Fatalf("bad fields = %v, want %v", got, tt.wantFields)
			}
		})
	}
}
