package com.example.ads;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;

/** Serves ads over gRPC; grpc.health.v1.Health says when it is ready. */
public final class AdService {
  private Server server;
  private final HealthStatusManager healthMgr = new HealthStatusManager();

  private void start() throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9555"));
    server = ServerBuilder.forPort(port).addService(healthMgr.getHealthService()).build().start();
    healthMgr.setStatus("", ServingStatus.SERVING);
    System.out.println("Ad service started, listening on " + port);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown()));
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    AdService service = new AdService();
    service.start();
    service.server.awaitTermination();
  }
}
