package com.example.tally

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress

fun main() {
    val port = System.getenv().getOrDefault("PORT", "8090").toInt()
    val server = HttpServer.create(InetSocketAddress(port), 0)
    server.createContext("/health") { exchange ->
        val body = """{"status":"UP"}""".toByteArray()
        exchange.responseHeaders.add("Content-Type", "application/json")
        exchange.sendResponseHeaders(200, body.size.toLong())
        exchange.responseBody.use { it.write(body) }
    }
    Runtime.getRuntime().addShutdownHook(Thread { server.stop(0) })
    server.start()
}
