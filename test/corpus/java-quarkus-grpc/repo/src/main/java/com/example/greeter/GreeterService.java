package com.example.greeter;

import io.quarkus.grpc.GrpcService;

@GrpcService
public class GreeterService {
}
