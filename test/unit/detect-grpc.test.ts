import { describe, expect, it } from "vitest";
import { tempRepos } from "../support/temp-repo.js";
import { detectReport } from "../../src/io/detect/index.js";

const repo = tempRepos("detect-grpc-");
const report = async (files: Record<string, string>) => detectReport(repo(files), { refusal: false });

const pyServer = (addr: string, extra = "") => `import os
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

import greeter_pb2_grpc
${extra}

class Greeter(greeter_pb2_grpc.GreeterServicer):
    def SayHello(self, request, context):
        return None


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
    greeter_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    server.add_insecure_port(${addr})
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    serve()
`;

describe("a Python gRPC server (grpcio)", () => {
  it("is gRPC on the port add_insecure_port names, with grpc.health.v1", async () => {
    const r = await report({ "requirements.txt": "grpcio==1.66.1\ngrpcio-health-checking==1.66.1\n", "server.py": pyServer('"[::]:50051"') });
    expect(r.refusal).toBeUndefined();
    expect(r.values).toMatchObject({ language: "python", startCommand: "python server.py", protocol: "grpc", grpcHealth: true, port: 50051 });
    expect(r.from.protocol).toMatch(/^server\.py: grpc\.server\(\) and \.add_insecure_port\("\[::\]:50051"\)/);
  });

  it("reads the port from the variable the address is made of, and says when no health service is registered", async () => {
    const r = await report({
      "requirements.txt": "grpcio==1.66.1\n",
      "server.py": pyServer('f"[::]:{port}"', 'port = os.environ.get("GRPC_PORT", "50061")')
        .replace(/.*HealthServicer.*\n/g, "")
        .replace(/from grpc_health.*\n/, ""),
    });
    expect(r.values).toMatchObject({ protocol: "grpc", grpcHealth: false, port: 50061 });
  });
});

const gwMod =
  "module example.com/acme/greeter\n\ngo 1.22\n\nrequire (\n\tgithub.com/grpc-ecosystem/grpc-gateway/v2 v2.22.0\n\tgoogle.golang.org/grpc v1.67.0\n)\n";
const gwMain = (ports: string, listen: string, serve: string) => `package main

import (
\t"context"
\t"flag"
\t"net"
\t"net/http"

\t"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
\t"google.golang.org/grpc"
)

${ports}

func main() {
\tflag.Parse()
\tlis, _ := net.Listen("tcp", ${listen})
\ts := grpc.NewServer()
\tgo s.Serve(lis)
\tgwmux := runtime.NewServeMux()
\tmux := http.NewServeMux()
\tmux.Handle("/", gwmux)
\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
\t${serve}
}
`;

describe("a Go gRPC server with an HTTP gateway on a port of its own", () => {
  it("is probed over HTTP on the gateway's port, with the gRPC port said", async () => {
    const r = await report({ "go.mod": gwMod, "main.go": gwMain("", '":9090"', 'http.ListenAndServe(":8080", mux)') });
    expect(r.values).toMatchObject({ protocol: "http", port: 8080, healthPath: "/healthz" });
    expect(r.from.port).toMatch(
      /the HTTP server \(ListenAndServe\(":8080"\)\) beside the gRPC server on 9090 \(main\.go: net\.Listen\("tcp", ":9090"\)\); the probes and the Service use the HTTP port/,
    );
  });

  it("reads the ports from flags named for gRPC and HTTP", async () => {
    const ports = 'var (\n\tgrpcPort = flag.Int("grpc-port", 9090, "gRPC port")\n\thttpPort = flag.Int("http-port", 8081, "gateway port")\n)';
    const r = await report({
      "go.mod": gwMod,
      "main.go": gwMain(
        ports,
        'fmt.Sprintf(":%d", *grpcPort)',
        'srv := &http.Server{Addr: fmt.Sprintf(":%d", *httpPort), Handler: mux}\n\tsrv.ListenAndServe()',
      ),
    });
    expect(r.values).toMatchObject({ protocol: "http", port: 8081, healthPath: "/healthz" });
  });

  it("reads the addresses from the variables the listeners are given (grpc-gateway-boilerplate style)", async () => {
    const main = gwMain("", "addr", "gwServer := &http.Server{\n\t\tAddr:    gatewayAddr,\n\t\tHandler: mux,\n\t}\n\tgwServer.ListenAndServe()").replace(
      "\tflag.Parse()",
      '\taddr := "0.0.0.0:10000"\n\tgatewayAddr := "0.0.0.0:11000"',
    );
    const r = await report({ "go.mod": gwMod, "main.go": main });
    expect(r.values).toMatchObject({ protocol: "http", port: 11000, healthPath: "/healthz" });
    expect(r.from.port).toMatch(/beside the gRPC server on 10000 \(main\.go: net\.Listen\("tcp", addr\) with addr := "0\.0\.0\.0:10000"\)/);
  });

  it("reads the gateway's address joined from a host and a port variable with its default", async () => {
    const main = `package main

import (
\t"net"

\t"example.com/acme/greeter/gateway"
\t"google.golang.org/grpc"
)

func main() {
\taddr := "0.0.0.0:10000"
\tlis, _ := net.Listen("tcp", addr)
\ts := grpc.NewServer()
\tgo s.Serve(lis)
\tgateway.Run("dns:///" + addr)
}
`;
    const gw = `package gateway

import (
\t"net/http"
\t"os"

\t"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

func Run(dial string) error {
\tmux := runtime.NewServeMux()
\tport := os.Getenv("PORT")
\tif port == "" {
\t\tport = "11000"
\t}
\tgatewayAddr := "0.0.0.0:" + port
\tsrv := &http.Server{
\t\tAddr:    gatewayAddr,
\t\tHandler: mux,
\t}
\treturn srv.ListenAndServe()
}
`;
    const r = await report({ "go.mod": gwMod, "main.go": main, "gateway/gateway.go": gw });
    expect(r.values).toMatchObject({ protocol: "http", port: 11000 });
    expect(r.from.port).toMatch(/^gateway\/gateway\.go: the HTTP server .* beside the gRPC server on 10000/);
  });

  it("a metrics listener beside a gRPC server is no gateway", async () => {
    const main = gwMain("", '":9090"', 'http.ListenAndServe(":9092", promhttp.Handler())').replace(
      '"google.golang.org/grpc"',
      '"google.golang.org/grpc"\n\t"github.com/prometheus/client_golang/prometheus/promhttp"',
    );
    const r = await report({ "go.mod": gwMod, "main.go": main });
    expect(r.values.port).not.toBe(9092);
    expect(r.from.port ?? "").not.toMatch(/beside the gRPC server/);
  });

  it("a gRPC server alone stays gRPC", async () => {
    const main =
      'package main\n\nimport (\n\t"net"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tlis, _ := net.Listen("tcp", ":9090")\n\tgrpc.NewServer().Serve(lis)\n}\n';
    expect((await report({ "go.mod": gwMod, "main.go": main })).values).toMatchObject({ protocol: "grpc", port: 9090 });
  });
});
