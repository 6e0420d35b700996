package kafka

import (
	"context"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/gen/polyglot/events/v1"
	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"
)

// UserDirectory is what the directory reader feeds with every user it reads.
type UserDirectory interface {
	RememberUser(ctx context.Context, u orders.User) error
}

// NewDirectoryClient builds a client that reads every partition of user-events from the
// start, outside any consumer group.
func NewDirectoryClient(brokers []string, log *slog.Logger) (*kgo.Client, error) {
	return kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ClientID("order-service-directory"),
		kgo.ConsumeTopics(TopicUserEvents),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.WithLogger(newLogger(log)),
	)
}

// Directory keeps this instance's directory of users complete. The group consumer hands each
// instance only its share of the partitions, but any instance may be asked for an order of
// any user; so every instance also reads all of user-events on its own. Records it cannot
// use are left to the group consumer, which dead-letters them.
type Directory struct {
	client *kgo.Client
	users  UserDirectory
	log    *slog.Logger
}

// NewDirectory builds the reader on a client from NewDirectoryClient.
func NewDirectory(client *kgo.Client, users UserDirectory, log *slog.Logger) *Directory {
	return &Directory{client: client, users: users, log: log}
}

// Run reads until ctx ends or the client is closed.
func (d *Directory) Run(ctx context.Context) {
	for {
		fetches := d.client.PollFetches(ctx)
		if fetches.IsClientClosed() || ctx.Err() != nil {
			return
		}
		for _, r := range fetches.Records() {
			u, ok := directoryEntry(r)
			if !ok {
				continue
			}
			// A failed write is retried until it succeeds or the service stops: a user
			// missing from the directory would turn their orders away.
			for err := d.users.RememberUser(ctx, u); err != nil; err = d.users.RememberUser(ctx, u) {
				d.log.Warn("directory: user not saved, retrying", "user_id", u.ID, "err", err)
				if sleep(ctx, time.Second) != nil {
					return
				}
			}
		}
	}
}

// directoryEntry reads the user of a sign-up or profile update, by ce_type.
func directoryEntry(r *kgo.Record) (orders.User, bool) {
	typ, _ := header(r, HeaderType)
	switch typ {
	case typeUserSignup:
		var ev eventsv1.UserSignupEvent
		if proto.Unmarshal(r.Value, &ev) != nil || ev.GetUserId() == "" {
			return orders.User{}, false
		}
		return userOf(ev.GetUserId(), ev.GetEmail(), ev.GetName()), true
	case typeUserUpdated:
		var ev eventsv1.UserUpdatedEvent
		if proto.Unmarshal(r.Value, &ev) != nil || ev.GetUserId() == "" {
			return orders.User{}, false
		}
		return userOf(ev.GetUserId(), ev.GetEmail(), ev.GetName()), true
	default:
		return orders.User{}, false
	}
}
