package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"github.com/acme/csvtidy/internal/tidy"
	"github.com/spf13/cobra"
)

// Root is the csvtidy command with its subcommands.
func Root() *cobra.Command {
	var column int
	var compress bool
	root := &cobra.Command{Use: "csvtidy", Short: "Tidy CSV files"}
	run := &cobra.Command{
		Use:   "run <file|url>...",
		Short: "Tidy each file in place (a URL is downloaded first)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				path, err := local(a)
				if err != nil {
					return err
				}
				if err := tidy.File(path, column); err != nil {
					return fmt.Errorf("%s: %w", path, err)
				}
				if compress {
					gz := exec.Command("gzip", "-kf", path)
					gz.Stderr = os.Stderr
					if err := gz.Run(); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	run.Flags().IntVar(&column, "sort", 0, "column to sort rows by (0: keep the order)")
	run.Flags().BoolVar(&compress, "gzip", false, "also write a .gz copy")
	root.AddCommand(run)
	return root
}

// local downloads a URL to a temporary file; a path is returned as it is.
func local(arg string) (string, error) {
	if !strings.HasPrefix(arg, "https://") {
		return arg, nil
	}
	resp, err := http.Get(arg)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	f, err := os.CreateTemp("", "csvtidy-*.csv")
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return f.Name(), err
}
