import logging
import os
import signal
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from inventory import service

PORT = os.environ.get("GRPC_PORT", "50051")


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((service.handler(),))

    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set(service.SERVICE, health_pb2.HealthCheckResponse.SERVING)

    server.add_insecure_port("[::]:" + PORT)
    server.start()
    logging.info("inventory gRPC server on :%s", PORT)

    def stop(signum, frame):
        health_servicer.enter_graceful_shutdown()
        server.stop(5)

    signal.signal(signal.SIGTERM, stop)
    server.wait_for_termination()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    serve()
