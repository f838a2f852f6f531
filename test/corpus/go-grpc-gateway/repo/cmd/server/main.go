// Command server serves the catalog over gRPC and, through a gateway, over HTTP/JSON.
package main

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/acme/catalog/internal/catalog"
	"github.com/acme/catalog/internal/gateway"
)

const (
	grpcAddr = ":9090"
	httpAddr = ":8080"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	lis, err := net.Listen("tcp", grpcAddr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	s := grpc.NewServer()
	catalog.Register(s)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(s, hs)
	reflection.Register(s)
	go func() {
		if err := s.Serve(lis); err != nil {
			log.Fatalf("grpc: %v", err)
		}
	}()

	conn, err := grpc.NewClient("localhost"+grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatalf("dial: %v", err)
	}
	defer conn.Close()

	gw := &http.Server{Addr: httpAddr, Handler: gateway.New(conn), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := gw.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("gateway: %v", err)
		}
	}()
	log.Printf("gRPC on %s, HTTP gateway on %s", grpcAddr, httpAddr)

	<-ctx.Done()
	hs.Shutdown()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = gw.Shutdown(shutdown)
	s.GracefulStop()
}
