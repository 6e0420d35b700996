// Package kafkatest holds what the tests of several packages need from a broker (fake or real):
// the drain signal they judge exact counts by.
package kafkatest

import (
	"context"

	"github.com/twmb/franz-go/pkg/kadm"
)

// Lag is how many records of topics group has not committed yet: the end offset minus the
// committed one, summed over every partition. The committed offsets are fetched before the end
// offsets, so a lag of 0 means that every record on the topics at that moment had been handled
// (its effects stored and published) before its offset was committed.
func Lag(ctx context.Context, admin *kadm.Client, group string, topics ...string) (int64, error) {
	committed, err := admin.FetchOffsets(ctx, group)
	if err != nil {
		return 0, err
	}
	ends, err := admin.ListEndOffsets(ctx, topics...)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return 0, err
	}
	var lag int64
	ends.Each(func(end kadm.ListedOffset) {
		at := int64(0)
		if c, ok := committed.Lookup(end.Topic, end.Partition); ok && c.At > 0 {
			at = c.At
		}
		if end.Offset > at {
			lag += end.Offset - at
		}
	})
	return lag, nil
}
