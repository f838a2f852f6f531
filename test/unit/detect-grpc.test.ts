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
