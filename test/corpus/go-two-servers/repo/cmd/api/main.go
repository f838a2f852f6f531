// The catalog API server.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"example.com/acme/catalog/internal/catalog"
)

func main() {
	port := flag.Int("port", 8081, "port to listen on")
	flag.Parse()

	mux := http.NewServeMux()
	api := catalog.Handler()
	mux.Handle("/v1/", http.StripPrefix("/v1", api))
	log.Printf("catalog api on :%d", *port)
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", *port), mux))
}
