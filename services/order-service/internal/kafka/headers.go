package kafka

import (
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// The CloudEvents (Kafka binding, binary mode) headers of the contract.
const (
	HeaderSpecVersion   = "ce_specversion"
	HeaderID            = "ce_id"
	HeaderSource        = "ce_source"
	HeaderType          = "ce_type"
	HeaderTime          = "ce_time"
	HeaderContentType   = "content-type"
	HeaderCorrelationID = "ce_correlationid"
	HeaderCausationID   = "ce_causationid"
	HeaderTraceParent   = "traceparent"
)

// Source is this service's ce_source and EventMetadata.source_service.
const (
	ServiceName = "order-service"
	Source      = "/" + ServiceName
)

// ceHeaders is one event's header values.
type ceHeaders struct {
	id, typ, correlationID, causationID, traceParent string
	time                                             time.Time
}

func (h ceHeaders) records() []kgo.RecordHeader {
	kv := [][2]string{
		{HeaderSpecVersion, "1.0"},
		{HeaderID, h.id},
		{HeaderSource, Source},
		{HeaderType, h.typ},
		{HeaderTime, h.time.UTC().Format(time.RFC3339Nano)},
		{HeaderContentType, "application/protobuf"},
		{HeaderCorrelationID, h.correlationID},
		{HeaderCausationID, h.causationID},
		{HeaderTraceParent, h.traceParent},
	}
	out := make([]kgo.RecordHeader, len(kv))
	for i, p := range kv {
		out[i] = kgo.RecordHeader{Key: p[0], Value: []byte(p[1])}
	}
	return out
}

// header returns the value of the first header named key, and whether there was one.
func header(r *kgo.Record, key string) (string, bool) {
	for _, h := range r.Headers {
		if h.Key == key {
			return string(h.Value), true
		}
	}
	return "", false
}
