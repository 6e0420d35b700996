package orders

import (
	"encoding/json"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Amount
		wantErr error
	}{
		{name: "two decimals", in: "29.99", want: 2999},
		{name: "one decimal", in: "0.5", want: 50},
		{name: "whole number", in: "5", want: 500},
		{name: "zero", in: "0", want: 0},
		{name: "exponent", in: "1e2", want: 10000},
		{name: "trailing zeros beyond cents", in: "1.500", want: 150},
		{name: "three decimals", in: "1.005", wantErr: errTooPrecise},
		{name: "tiny", in: "1e-3", wantErr: errTooPrecise},
		{name: "negative", in: "-1", wantErr: errNegative},
		{name: "not a number", in: "abc", wantErr: errNotDecimal},
		{name: "empty", in: "", wantErr: errNotDecimal},
		{name: "too large", in: "1e12", wantErr: errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if err != tt.wantErr {
				t.Fatalf("ParseAmount(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Fatalf("ParseAmount(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestTotalIsExact(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  string
	}{
		{name: "demo order", items: []Item{{Quantity: 2, UnitPrice: 2999}, {Quantity: 1, UnitPrice: 4999}}, want: "109.97"},
		{name: "a float trap", items: []Item{{Quantity: 1, UnitPrice: 10}, {Quantity: 1, UnitPrice: 20}}, want: "0.30"},
		{name: "welcome order", items: []Item{{Quantity: 1, UnitPrice: 0}}, want: "0.00"},
		{name: "many of one", items: []Item{{Quantity: MaxQuantity, UnitPrice: 1999}}, want: "199900.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := total(tt.items).String(); got != tt.want {
				t.Fatalf("total = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAmountParts(t *testing.T) {
	tests := []struct {
		in        Amount
		units     int64
		nanos     int32
		float     float64
		jsonValue string
	}{
		{in: 10997, units: 109, nanos: 970_000_000, float: 109.97, jsonValue: "109.97"},
		{in: 5, units: 0, nanos: 50_000_000, float: 0.05, jsonValue: "0.05"},
		{in: 0, units: 0, nanos: 0, float: 0, jsonValue: "0.00"},
		{in: -150, units: -1, nanos: -500_000_000, float: -1.5, jsonValue: "-1.50"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			if tt.in.Units() != tt.units || tt.in.Nanos() != tt.nanos {
				t.Fatalf("Units, Nanos = %d, %d, want %d, %d", tt.in.Units(), tt.in.Nanos(), tt.units, tt.nanos)
			}
			if tt.in.Float64() != tt.float {
				t.Fatalf("Float64 = %v, want %v", tt.in.Float64(), tt.float)
			}
			b, err := json.Marshal(tt.in)
			if err != nil || string(b) != tt.jsonValue {
				t.Fatalf("json = %s (%v), want %s", b, err, tt.jsonValue)
			}
		})
	}
}
