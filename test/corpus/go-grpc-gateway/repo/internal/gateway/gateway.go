// Package gateway serves the gRPC API as HTTP/JSON, and the health of the gRPC server.
package gateway

import (
	"encoding/json"
	"net/http"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/acme/catalog/internal/catalog"
)

// New returns the gateway's handler: /v1/items/{id} calls catalog.v1.Catalog/GetItem, /healthz
// answers 200 while the gRPC server reports SERVING.
func New(conn *grpc.ClientConn) http.Handler {
	mux := http.NewServeMux()
	hc := healthpb.NewHealthClient(conn)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		res, err := hc.Check(r.Context(), &healthpb.HealthCheckRequest{})
		if err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			http.Error(w, "not serving", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	mux.HandleFunc("GET /v1/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		out := new(catalog.Item)
		err := conn.Invoke(r.Context(), "/catalog.v1.Catalog/GetItem", &catalog.GetItemRequest{ID: r.PathValue("id")}, out, grpc.CallContentSubtype("json"))
		if status.Code(err) == codes.NotFound {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	})
	return mux
}
