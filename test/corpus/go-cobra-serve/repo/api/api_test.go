package api

import "testing"

func TestNewServer(t *testing.T) {
	if NewServer().srv.Addr == "" {
		t.Fatal("no address")
	}
}
