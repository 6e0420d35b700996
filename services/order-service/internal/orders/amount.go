package orders

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
)

// Amount is an exact amount of money in cents (the minor unit of USD). Sums of Amounts are
// exact, unlike sums of float64 (2 x 29.99 + 49.99 is 109.97, not 109.97000000000001).
type Amount int64

// MaxAmount bounds every price and total, far below the int64 limit, so that quantity x price
// and the sum over the items can never overflow.
const MaxAmount Amount = 1_000_000_000_00

var (
	errNotDecimal  = errors.New("must be a decimal number")
	errNegative    = errors.New("must not be negative")
	errTooPrecise  = errors.New("must have at most two decimals")
	errTooLarge    = fmt.Errorf("must not exceed %s", MaxAmount)
	hundred        = big.NewRat(100, 1)
	maxAmountAsRat = new(big.Rat).SetInt64(int64(MaxAmount))
)

// ParseAmount reads a decimal number such as "29.99", "5" or "1e2" exactly (no floating point
// on the way) and returns it in cents. It refuses negative amounts, more than two decimals
// and amounts above MaxAmount.
func ParseAmount(s string) (Amount, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok || s == "" {
		return 0, errNotDecimal
	}
	if r.Sign() < 0 {
		return 0, errNegative
	}
	cents := new(big.Rat).Mul(r, hundred)
	if !cents.IsInt() {
		return 0, errTooPrecise
	}
	if cents.Cmp(maxAmountAsRat) > 0 {
		return 0, errTooLarge
	}
	return Amount(cents.Num().Int64()), nil
}

// Units is the whole-unit part, as in polyglot.common.v1.Money.
func (a Amount) Units() int64 { return int64(a) / 100 }

// Nanos is the fractional part in 10^-9 units, with the sign of Units.
func (a Amount) Nanos() int32 { return int32(int64(a)%100) * 10_000_000 }

// Float64 is the nearest double, only for the schemas' compatibility fields; never sum it.
func (a Amount) Float64() float64 {
	f, _ := strconv.ParseFloat(a.String(), 64)
	return f
}

// String renders the amount as a plain decimal with two places, e.g. "109.97".
func (a Amount) String() string {
	sign := ""
	v := int64(a)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalJSON writes the amount as a JSON number with two decimals (109.97, 0.00), so the
// value in the document is exact whatever the reader does with it afterwards.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }
