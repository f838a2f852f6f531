package tidy

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileDropsEmptyRows(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(p, []byte("name,n\n b ,2\n,\na,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := File(p, 1); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "name,n\na,1\nb,2\n" {
		t.Fatalf("got %q", got)
	}
}
