package cmd

import (
	"log"

	"example.com/acme/notes/api"
	"github.com/spf13/cobra"
)

var serveCmd = &cobra.Command{
	Use:   "serve",
	Short: "start the HTTP server",
	Run: func(cmd *cobra.Command, args []string) {
		server := api.NewServer()
		if err := server.Start(); err != nil {
			log.Fatal(err)
		}
	},
}

func init() {
	RootCmd.AddCommand(serveCmd)
}
