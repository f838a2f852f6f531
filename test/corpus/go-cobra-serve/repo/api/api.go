package api

import (
	"net/http"
	"os"
)

// Server serves the notes API.
type Server struct{ srv *http.Server }

// NewServer listens on $PORT, else 3000.
func NewServer() *Server {
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})
	return &Server{srv: &http.Server{Addr: ":" + port, Handler: mux}}
}

// Start serves until the process ends.
func (s *Server) Start() error { return s.srv.ListenAndServe() }
