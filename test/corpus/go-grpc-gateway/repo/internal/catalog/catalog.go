// Package catalog is the catalog.v1.Catalog gRPC service, with JSON messages.
package catalog

import (
	"context"
	"encoding/json"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
)

// JSON is the codec the service's messages use (content-subtype "json").
type JSON struct{}

func (JSON) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (JSON) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
func (JSON) Name() string                       { return "json" }

func init() { encoding.RegisterCodec(JSON{}) }

type GetItemRequest struct {
	ID string `json:"id"`
}

type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

var items = map[string]Item{"1": {ID: "1", Title: "Lamp"}}

// GetItem is the catalog.v1.Catalog/GetItem method.
func GetItem(_ context.Context, req *GetItemRequest) (*Item, error) {
	it, ok := items[req.ID]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "item %q not found", req.ID)
	}
	return &it, nil
}

type catalogServer interface{}

type server struct{}

var desc = grpc.ServiceDesc{
	ServiceName: "catalog.v1.Catalog",
	HandlerType: (*catalogServer)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "GetItem",
		Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			req := new(GetItemRequest)
			if err := dec(req); err != nil {
				return nil, err
			}
			return GetItem(ctx, req)
		},
	}},
	Metadata: "catalog/v1/catalog.proto",
}

// Register adds the service to a gRPC server.
func Register(s *grpc.Server) { s.RegisterService(&desc, server{}) }
