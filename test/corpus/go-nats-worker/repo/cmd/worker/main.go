// Command worker sends an invoice e-mail for every invoice.issued event.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/acme/invoice-mailer/internal/consumer"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	url := os.Getenv("NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	c, err := consumer.New(url, os.Getenv("SMTP_RELAY"))
	if err != nil {
		slog.Error("connect", "err", err)
		os.Exit(1)
	}
	if err := c.Run(ctx); err != nil {
		slog.Error("consume", "err", err)
		os.Exit(1)
	}
}
