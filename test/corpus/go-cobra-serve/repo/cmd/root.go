package cmd

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// RootCmd is the notes command; run without a subcommand it prints its help.
var RootCmd = &cobra.Command{
	Use:   "notes",
	Short: "A small notes service and its tools",
}

// Execute runs the subcommand the arguments name.
func Execute() {
	if err := RootCmd.Execute(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}
