package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/viper"

	"example.com/ledger/internal/api"
)

func main() {
	// Settings come from configs/config.yaml; the defaults below only fill what it leaves out.
	viper.SetConfigName("config")
	viper.SetConfigType("yaml")
	viper.AddConfigPath("./configs")
	viper.SetDefault("server.port", 8080)
	viper.SetDefault("server.read_timeout_seconds", 5)
	if err := viper.ReadInConfig(); err != nil {
		log.Fatalf("reading configuration: %v", err)
	}

	srv := &http.Server{
		Addr:    fmt.Sprintf(":%d", viper.GetInt("server.port")),
		Handler: api.Routes(),
	}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		_ = srv.Close()
	}()
	log.Printf("ledger listening on %s", srv.Addr)
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
