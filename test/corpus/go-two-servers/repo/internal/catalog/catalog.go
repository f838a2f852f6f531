// Package catalog serves the product catalog over HTTP.
package catalog

import (
	"encoding/json"
	"net/http"
)

// Products lists what is for sale.
func Products() []string { return []string{"lamp", "desk"} }

// Handler answers the API: the catalog and a readiness check.
func Handler() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ready")) })
	api.HandleFunc("GET /products", func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(Products()) })
	return api
}
