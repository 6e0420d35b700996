package httpapi

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// FuzzDecodeDraft feeds arbitrary bodies to the order decoder and the domain's validation:
// neither may panic, every rejection names a field, and whatever passes both has exact,
// bounded amounts. The seed corpus lives in testdata/fuzz/FuzzDecodeDraft.
func FuzzDecodeDraft(f *testing.F) {
	f.Add(demoBody)
	f.Add(`{"user_id":"u1","items":[{"product_id":"p","quantity":1e3,"price":0.1e1}]}`)
	f.Add(`{"user_id":"u1","items":[{"product_id":"p","quantity":1,"price":-0}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/orders", strings.NewReader(body))
		draft, fieldErrs := decodeDraft(httptest.NewRecorder(), req)
		for _, fe := range fieldErrs {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("unnamed field error %+v for %q", fe, body)
			}
		}
		if len(fieldErrs) > 0 {
			return
		}
		items, err := draft.Validate()
		var invalid *orders.ValidationError
		if err != nil {
			if !errors.As(err, &invalid) || len(invalid.Errors) == 0 {
				t.Fatalf("Validate(%q) = %v, want a *ValidationError", body, err)
			}
			return
		}
		for _, it := range items {
			if it.Quantity < 1 || it.Quantity > orders.MaxQuantity || it.UnitPrice < 0 || it.UnitPrice > orders.MaxAmount {
				t.Fatalf("accepted an out-of-bounds item %+v from %q", it, body)
			}
		}
	})
}
