package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

var migrateCmd = &cobra.Command{
	Use:   "migrate",
	Short: "apply the schema migrations",
	Run: func(cmd *cobra.Command, args []string) {
		fmt.Println("nothing to migrate")
	},
}

func init() {
	RootCmd.AddCommand(migrateCmd)
}
