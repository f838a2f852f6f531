package main

import (
	"flag"
	"html/template"
	"log"
	"net/http"
	"strconv"
)

func main() {
	fs := flag.NewFlagSet("webd", flag.ExitOnError)
	port := fs.Int("port", 9898, "port to listen on")
	_ = fs.Parse(nil)

	page := template.Must(template.ParseFiles("templates/index.html"))
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { _ = page.Execute(w, nil) })
	log.Fatal(http.ListenAndServe(":"+strconv.Itoa(*port), mux))
}
