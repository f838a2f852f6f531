package catalog

import "testing"

func TestProducts(t *testing.T) {
	if len(Products()) != 2 {
		t.Fatal("want two products")
	}
}
