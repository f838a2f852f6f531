import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-go-subcommand-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });

const gomod = "module github.com/dhax/go-base\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.9.1\n";
const main = 'package main\n\nimport "github.com/dhax/go-base/cmd"\n\nfunc main() {\n\tcmd.Execute()\n}\n';
const root = (run = "") => `package cmd

import (
\t"fmt"
\t"os"

\t"github.com/spf13/cobra"
)

// RootCmd represents the base command when called without any subcommands
var RootCmd = &cobra.Command{
\tUse:   "go-base",
\tShort: "A RESTful API boilerplate",
\tLong:  \`A RESTful API boilerplate with passwordless authentication.\`,${run}
}

// Execute adds all child commands to the root command.
func Execute() {
\tif err := RootCmd.Execute(); err != nil {
\t\tfmt.Println(err)
\t\tos.Exit(1)
\t}
}
`;
const serve = `package cmd

import (
\t"log"

\t"github.com/dhax/go-base/api"
\t"github.com/spf13/cobra"
)

// serveCmd represents the serve command
var serveCmd = &cobra.Command{
\tUse:   "serve",
\tShort: "start http server with configured api",
\tRun: func(cmd *cobra.Command, args []string) {
\t\tserver, err := api.NewServer()
\t\tif err != nil {
\t\t\tlog.Fatal(err)
\t\t}
\t\tserver.Start()
\t},
}

func init() {
\tRootCmd.AddCommand(serveCmd)
}
`;
const migrate = `package cmd

import "github.com/spf13/cobra"

var migrateCmd = &cobra.Command{
\tUse:   "migrate",
\tShort: "use go-pg migration tool",
\tRun: func(cmd *cobra.Command, args []string) {},
}

func init() {
\tRootCmd.AddCommand(migrateCmd)
}
`;
const api = `package api

import (
\t"net/http"
)

type Server struct{ *http.Server }

func NewServer() (*Server, error) {
\treturn &Server{&http.Server{Addr: ":3000"}}, nil
}

func (s *Server) Start() { s.ListenAndServe() }
`;

describe("a Go service started by a CLI subcommand", () => {
  it("cobra: a root command without Run and a serve subcommand that starts the server", async () => {
    const r = await report({ "go.mod": gomod, "main.go": main, "cmd/root.go": root(), "cmd/serve.go": serve, "cmd/migrate.go": migrate, "api/api.go": api });
    expect(r.values.startCommand).toBe("./go-base serve");
    expect(r.from.startCommand).toMatch(/cmd\/serve\.go: the cobra command "serve"/);
  });

  it("keeps the bare binary when the root command runs the service itself", async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": main,
      "cmd/root.go": root("\n\tRun: func(cmd *cobra.Command, args []string) { serveCmd.Run(cmd, args) },"),
      "cmd/serve.go": serve,
      "api/api.go": api,
    });
    expect(r.values.startCommand).toBe("./go-base");
  });

  it("urfave/cli: a serve command with an Action and no Action of the app's own", async () => {
    const app = `package main

import (
\t"log"
\t"net/http"
\t"os"

\t"github.com/urfave/cli/v2"
)

func main() {
\tapp := &cli.App{
\t\tName: "shorty",
\t\tCommands: []*cli.Command{
\t\t\t{
\t\t\t\tName:  "serve",
\t\t\t\tUsage: "start the HTTP server",
\t\t\t\tAction: func(c *cli.Context) error {
\t\t\t\t\treturn http.ListenAndServe(":8080", nil)
\t\t\t\t},
\t\t\t},
\t\t},
\t}
\tif err := app.Run(os.Args); err != nil {
\t\tlog.Fatal(err)
\t}
}
`;
    const r = await report({ "go.mod": "module example.com/shorty\n\ngo 1.22\n\nrequire github.com/urfave/cli/v2 v2.27.1\n", "main.go": app });
    expect(r.values.startCommand).toBe("./shorty serve");
  });

  it("takes the arguments of an existing Dockerfile's CMD when the sources do not say", async () => {
    const r = await report({
      "go.mod": gomod,
      "main.go": main,
      "cmd/root.go": root(),
      "cmd/daemon.go": serve.replace('"serve"', '"daemon"').replace(/serveCmd/g, "daemonCmd"),
      "api/api.go": api,
      Dockerfile:
        'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o main .\nFROM debian:bookworm-slim\nCOPY --from=build /src/main /main\nCMD ["./main", "daemon"]\n',
    });
    expect(r.values.startCommand).toBe("./go-base daemon");
    expect(r.from.startCommand).toMatch(/Dockerfile/);
  });
});
