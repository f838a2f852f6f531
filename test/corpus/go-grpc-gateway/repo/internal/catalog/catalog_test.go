package catalog

import (
	"context"
	"testing"
)

func TestGetItem(t *testing.T) {
	it, err := GetItem(context.Background(), &GetItemRequest{ID: "1"})
	if err != nil || it.Title != "Lamp" {
		t.Fatalf("GetItem: %v %v", it, err)
	}
	if _, err := GetItem(context.Background(), &GetItemRequest{ID: "2"}); err == nil {
		t.Fatal("want not found")
	}
}
