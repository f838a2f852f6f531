// Command csvtidy normalises CSV files: trims cells, drops empty rows and
// sorts by a column.
package main

import (
	"os"

	"github.com/acme/csvtidy/internal/cli"
)

func main() {
	if err := cli.Root().Execute(); err != nil {
		os.Exit(1)
	}
}
